/* lessons_grade_test.c: grading v0 on point sets with known answers: exact
 * depth counts per zone (band edges included), density, weighted score,
 * pass/fail, impressions outside every zone; the JSON, byte for byte and
 * identical across runs; argument errors; a head lesson's areas. */
#include "les_grade.h"
#include "les_json.h"
#include "lessons_helpers.h"

/* Two zones on a 100 x 100 pad: A is 1 cm² at 10/cm², band [0.5, 1.2];
 * B is 2 cm² at 5/cm², band [1.0, 2.0]. */
static const char TWO_ZONES[] =
    "stipple_lesson: 1\nid: two-zones\ntitle: Two zones\nversion: 3\n"
    "surface: {type: pad, width_mm: 100, height_mm: 100}\n"
    "zones:\n"
    "  - {name: A, polygon_mm: [[0, 0], [10, 0], [10, 10], [0, 10]],\n"
    "     density_per_cm2: 10, depth_band_mm: [0.5, 1.2]}\n"
    "  - {name: B, polygon_mm: [[20, 0], [40, 0], [40, 10], [20, 10]],\n"
    "     density_per_cm2: 5, depth_band_mm: [1.0, 2.0]}\n"
    "rubric: {pass_mark: 51.8}\n";

static sim_impression imp_at(double x, double y, double depth_mm)
{
    sim_impression m;
    memset(&m, 0, sizeof m);
    m.surface_mm = sim_v3(x, y, 0);
    m.normal = sim_v3(0, 0, 1);
    m.chart_mm = sim_v2(x, y);
    m.depth_mm = depth_mm;
    return m;
}

/* A: 4 in band (edges 0.5 and 1.2 included), 3 shallow, 3 deep;
 * B: 3 in band, 1 shallow, 2 deep; 2 outside. */
static size_t known_points(sim_impression *out)
{
    static const double a_depths[] = {0.5, 0.8, 1.0, 1.2, 0.1, 0.2, 0.49, 1.3, 1.5, 2.0};
    static const double b_depths[] = {1.0, 1.5, 2.0, 0.5, 2.5, 3.0};
    size_t n = 0;
    for (size_t i = 0; i < 10; i++)
        out[n++] = imp_at(1.0 + (double)i * 0.8, 5.0, a_depths[i]);
    for (size_t i = 0; i < 6; i++)
        out[n++] = imp_at(22.0 + (double)i * 3.0, 2.0 + (double)i, b_depths[i]);
    out[n++] = imp_at(50, 50, 1.0);
    out[n++] = imp_at(15, 5, 1.0); /* between the zones */
    return n;
}

typedef struct fixture {
    les_lesson lesson;
    sim_surface pad;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    lt_parse_ok(&f->lesson, TWO_ZONES);
    sim_surface_desc desc = {.kind = SIM_SURFACE_PAD, .width_mm = 100, .height_mm = 100};
    assert_int_equal(sim_surface_init(&f->pad, &desc, NULL), SIM_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    les_lesson_deinit(&f->lesson);
    sim_surface_deinit(&f->pad);
    free(f);
    return 0;
}

static char *grade_json(const les_grade *g, const les_lesson *l)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_int_equal(les_grade_write_json(g, l, out), LES_OK);
    fclose(out);
    return text;
}

static void test_known_counts(void **state)
{
    fixture *f = *state;
    sim_impression imps[20];
    size_t n = known_points(imps);
    les_grade g;
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, imps, n, &g, NULL), LES_OK);
    assert_int_equal(g.impressions, 18);
    assert_int_equal(g.outside, 2);
    assert_int_equal(g.zone_count, 2);
    assert_int_equal(g.zones[0].impressions, 10);
    assert_int_equal(g.zones[0].in_band, 4);
    assert_int_equal(g.zones[0].too_shallow, 3);
    assert_int_equal(g.zones[0].too_deep, 3);
    assert_true(g.zones[0].area_cm2 == 1.0 && g.zones[0].per_cm2 == 10.0);
    assert_int_equal(g.zones[1].impressions, 6);
    assert_int_equal(g.zones[1].in_band, 3);
    assert_int_equal(g.zones[1].too_shallow, 1);
    assert_int_equal(g.zones[1].too_deep, 2);
    assert_true(g.zones[1].area_cm2 == 2.0 && g.zones[1].per_cm2 == 3.0);
    /* depth: 7 of 16 in band */
    assert_int_equal(g.depth.in_band, 7);
    assert_int_equal(g.depth.too_shallow, 4);
    assert_int_equal(g.depth.too_deep, 5);
    assert_true(g.depth.score == 43.75);
    /* density: 16 / 3 cm² against (10 * 1 + 5 * 2) / 3 = 20/3: ratio 0.8 */
    assert_true(fabs(g.density.per_cm2 - 16.0 / 3.0) < 1e-12);
    assert_true(fabs(g.density.target_per_cm2 - 20.0 / 3.0) < 1e-12);
    assert_true(fabs(g.density.score - 60.0) < 1e-9);
    /* total: (43.75 + 60) / 2 = 51.875 (a hair below: 16/3 / (20/3) is not
     * exactly 0.8 in binary), above the pass mark 51.8 */
    assert_true(fabs(g.score - 51.875) < 1e-9);
    assert_true(g.passed);

    char *json = grade_json(&g, &f->lesson);
    char expected[2048];
    snprintf(expected, sizeof expected,
             "{\"score\":51.87,\"passed\":true,\"impressions\":18,\"outside\":2,"
             "\"sim_version\":%d,\"lesson\":{\"id\":\"two-zones\",\"hash\":\"%s\"},"
             "\"metrics\":{\"depth\":{\"score\":43.75,\"in_band\":7,\"too_shallow\":4,"
             "\"too_deep\":5},\"density\":{\"score\":60.00,\"per_cm2\":5.33,"
             "\"target_per_cm2\":6.67}},\"zones\":["
             "{\"name\":\"A\",\"impressions\":10,\"in_band\":4,\"too_shallow\":3,"
             "\"too_deep\":3,\"area_cm2\":1.000,\"per_cm2\":10.00},"
             "{\"name\":\"B\",\"impressions\":6,\"in_band\":3,\"too_shallow\":1,"
             "\"too_deep\":2,\"area_cm2\":2.000,\"per_cm2\":3.00}]}\n",
             SIM_VERSION, f->lesson.hash_hex);
    assert_string_equal(json, expected);
    free(json);
    les_grade_deinit(&g);
    assert_null(g.zones);
}

/* Weights change the total; the pass mark decides passed. */
static void test_weights_and_pass_mark(void **state)
{
    (void)state;
    les_lesson l;
    lt_parse_ok(&l, LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY LT_BAND
                "rubric: {pass_mark: 75, weights: {depth: 3, density: 0}}\n");
    sim_surface pad;
    sim_surface_desc desc = {.kind = SIM_SURFACE_PAD};
    assert_int_equal(sim_surface_init(&pad, &desc, NULL), SIM_OK);
    sim_impression imps[4] = {imp_at(20, 20, 0.6), imp_at(30, 20, 0.7), imp_at(40, 20, 0.8),
                              imp_at(50, 20, 3.0)};
    les_grade g;
    assert_int_equal(les_grade_run(&l, &pad, imps, 4, &g, NULL), LES_OK);
    assert_true(g.depth.score == 75.0);
    assert_true(g.score == 75.0); /* density weighs nothing */
    assert_true(g.passed);        /* exactly the pass mark passes */
    les_grade_deinit(&g);
    assert_int_equal(les_grade_run(&l, &pad, imps + 2, 2, &g, NULL), LES_OK);
    assert_true(g.score == 50.0);
    assert_false(g.passed);
    les_grade_deinit(&g);
    les_lesson_deinit(&l);
    sim_surface_deinit(&pad);
}

/* Density on target scores 100, falling linearly to 0 at 50% off. The
 * lesson's area is 3 cm² with a target of 20 dots. */
static void test_density_score_curve(void **state)
{
    fixture *f = *state;
    static const struct { size_t per_zone; double score; } cases[] = {
        {10, 100.0}, /* 20 dots: on target */
        {9, 80.0},   /* 18: 10% under */
        {12, 60.0},  /* 24: 20% over */
        {5, 0.0},    /* 10: 50% under */
        {15, 0.0},   /* 30: 50% over */
        {0, 0.0},
    };
    sim_impression imps[40];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t n = 0;
        for (size_t i = 0; i < cases[c].per_zone; i++) {
            imps[n++] = imp_at(0.5 + 0.6 * (double)i, 5, 1.0);
            imps[n++] = imp_at(21 + (double)i, 5, 1.5);
        }
        les_grade g;
        assert_int_equal(les_grade_run(&f->lesson, &f->pad, imps, n, &g, NULL), LES_OK);
        assert_true(fabs(g.density.score - cases[c].score) < 1e-9);
        les_grade_deinit(&g);
    }
}

static void test_no_impressions(void **state)
{
    fixture *f = *state;
    les_grade g;
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, NULL, 0, &g, NULL), LES_OK);
    assert_true(g.score == 0.0 && !g.passed && g.impressions == 0);
    assert_true(g.depth.score == 0.0 && g.density.score == 0.0);
    char *json = grade_json(&g, &f->lesson);
    assert_non_null(strstr(json, "\"score\":0.00,\"passed\":false,\"impressions\":0,"));
    free(json);
    les_grade_deinit(&g);
}

/* Same inputs, same bytes: through a stream and through a buffer writer. */
static void test_deterministic_json(void **state)
{
    fixture *f = *state;
    sim_impression imps[20];
    size_t n = known_points(imps);
    les_grade g1, g2;
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, imps, n, &g1, NULL), LES_OK);
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, imps, n, &g2, NULL), LES_OK);
    char *a = grade_json(&g1, &f->lesson);
    char *b = grade_json(&g2, &f->lesson);
    assert_string_equal(a, b);
    les_json j;
    les_json_init(&j, NULL, 0);
    les_grade_to_json(&j, &g1, &f->lesson);
    les_json_newline(&j);
    assert_int_equal(les_json_finish(&j), LES_OK);
    assert_string_equal(les_json_buffer(&j, NULL), a);
    les_json_deinit(&j);
    free(a);
    free(b);
    les_grade_deinit(&g1);
    les_grade_deinit(&g2);
}

static void test_bad_arguments(void **state)
{
    fixture *f = *state;
    les_grade g;
    sim_error err;
    sim_error_clear(&err);
    sim_impression imps[1] = {imp_at(5, 5, NAN)};
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, imps, 1, &g, &err), LES_ERR_ARG);
    assert_string_equal(err.message, "impression 1 has a non-finite position or depth");
    assert_null(g.zones);
    assert_int_equal(les_grade_run(NULL, &f->pad, NULL, 0, &g, &err), LES_ERR_ARG);
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, NULL, 3, &g, &err), LES_ERR_ARG);
    sim_surface none;
    memset(&none, 0, sizeof none);
    assert_int_equal(les_grade_run(&f->lesson, &none, NULL, 0, &g, &err), LES_ERR_ARG);
    assert_string_equal(err.message, "the lesson is for a pad but the surface is no surface");
    assert_int_equal(les_grade_write_json(NULL, &f->lesson, stdout), LES_ERR_ARG);
    les_grade_deinit(NULL);
}

static void test_write_failure(void **state)
{
    fixture *f = *state;
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        skip();
    les_grade g;
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, NULL, 0, &g, NULL), LES_OK);
    assert_int_equal(les_grade_write_json(&g, &f->lesson, full), LES_ERR_IO);
    fclose(full);
    les_grade_deinit(&g);
}

/* The default head lesson: its zone's skin area is measured on the mesh. */
static void test_head_lesson_area(void **state)
{
    (void)state;
    les_lesson l;
    les_diags d;
    les_diags_init(&d, NULL);
    assert_int_equal(les_lesson_load(&l, tu_asset("lessons/head-frontal-shaved.yaml"), &d),
                     LES_OK);
    sim_surface head;
    sim_surface_desc desc = {.kind = SIM_SURFACE_HEAD, .head = {.face_cells = 48}};
    assert_int_equal(sim_surface_init(&head, &desc, NULL), SIM_OK);
    sim_surface_hit hit;
    assert_true(sim_surface_from_chart(&head, sim_v2(0, 60), &hit));
    sim_impression imp = imp_at(0, 0, 0.8);
    imp.surface_mm = hit.point_mm;
    imp.chart_mm = hit.chart_mm;
    les_grade g;
    assert_int_equal(les_grade_run(&l, &head, &imp, 1, &g, NULL), LES_OK);
    /* chart area: about 120 x 70 mm; on the skin within tens of percent */
    assert_true(g.zones[0].area_cm2 > 50.0 && g.zones[0].area_cm2 < 130.0);
    assert_int_equal(g.zones[0].in_band, 1);
    les_grade_deinit(&g);
    sim_surface_deinit(&head);
    les_lesson_deinit(&l);
    les_diags_deinit(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_known_counts, setup, teardown),
        cmocka_unit_test(test_weights_and_pass_mark),
        cmocka_unit_test_setup_teardown(test_density_score_curve, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_impressions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deterministic_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_failure, setup, teardown),
        cmocka_unit_test(test_head_lesson_area),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
