/* lessons_grade_test.c: grading on point sets with known answers: exact
 * depth counts per zone (band edges included), depth mean and spread,
 * density, weighted score, pass/fail, impressions outside every zone; the
 * heatmap's cells; a depth feedback sentence word for word; the JSON, its
 * foundation keys byte for byte and identical across runs; argument
 * errors; a head lesson's areas; every allocation failing in turn. */
#include "les_json.h"
#include "lessons_grade_helpers.h"
#include "lessons_patterns.h"

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

/* A: 4 in band (edges 0.5 and 1.2 included), 3 shallow, 3 deep;
 * B: 3 in band, 1 shallow, 2 deep; 2 outside. */
static size_t known_points(sim_impression *out)
{
    static const double a_depths[] = {0.5, 0.8, 1.0, 1.2, 0.1, 0.2, 0.49, 1.3, 1.5, 2.0};
    static const double b_depths[] = {1.0, 1.5, 2.0, 0.5, 2.5, 3.0};
    size_t n = 0;
    for (size_t i = 0; i < 10; i++)
        out[n++] = lg_imp_at(1.0 + (double)i * 0.8, 5.0, a_depths[i]);
    for (size_t i = 0; i < 6; i++)
        out[n++] = lg_imp_at(22.0 + (double)i * 3.0, 2.0 + (double)i, b_depths[i]);
    out[n++] = lg_imp_at(50, 50, 1.0);
    out[n++] = lg_imp_at(15, 5, 1.0); /* between the zones */
    return n;
}

typedef lg_fixture fixture;

/* Grades the known points into *g; returns their count. */
static size_t grade_known(fixture *f, sim_impression imps[20], les_grade *g)
{
    size_t n = known_points(imps);
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, imps, n, g, NULL), LES_OK);
    return n;
}

static int setup(void **state)
{
    *state = lg_fixture_new(TWO_ZONES, 100, 100);
    return 0;
}

static void test_known_counts(void **state)
{
    fixture *f = *state;
    sim_impression imps[20];
    les_grade g;
    grade_known(f, imps, &g);
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

    /* the foundation's keys, in their order, with their values */
    char *json = lg_grade_json(&g, &f->lesson);
    char expected[2048];
    snprintf(expected, sizeof expected,
             "{\"score\":51.87,\"passed\":true,\"impressions\":18,\"outside\":2,"
             "\"sim_version\":%d,\"lesson\":{\"id\":\"two-zones\",\"hash\":\"%s\"},"
             "\"metrics\":{\"depth\":{\"score\":43.75,\"in_band\":7,\"too_shallow\":4,"
             "\"too_deep\":5,", SIM_VERSION, f->lesson.hash_hex);
    assert_true(strncmp(json, expected, strlen(expected)) == 0);
    assert_non_null(strstr(json, "\"density\":{\"score\":60.00,\"per_cm2\":5.33,"
                                 "\"target_per_cm2\":6.67,"));
    assert_non_null(strstr(json, "\"zones\":[{\"name\":\"A\",\"impressions\":10,"
                                 "\"in_band\":4,\"too_shallow\":3,\"too_deep\":3,"
                                 "\"area_cm2\":1.000,\"per_cm2\":10.00,"));
    assert_non_null(strstr(json, "{\"name\":\"B\",\"impressions\":6,\"in_band\":3,"
                                 "\"too_shallow\":1,\"too_deep\":2,\"area_cm2\":2.000,"
                                 "\"per_cm2\":3.00,"));
    /* grader 2: spacing needs 20 dots, so only depth and density count */
    assert_false(g.spacing.applicable);
    assert_non_null(strstr(json, "\"spacing\":{\"score\":null,\"clark_evans\":null,"));
    assert_non_null(strstr(json, "\"grader_version\":2,\"pass_mark\":51.80,"
                                 "\"failed_must_pass\":[],\"feedback\":[{"));
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
    sim_impression imps[4] = {lg_imp_at(20, 20, 0.6), lg_imp_at(30, 20, 0.7), lg_imp_at(40, 20, 0.8),
                              lg_imp_at(50, 20, 3.0)};
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
            imps[n++] = lg_imp_at(0.5 + 0.6 * (double)i, 5, 1.0);
            imps[n++] = lg_imp_at(21 + (double)i, 5, 1.5);
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
    char *json = lg_grade_json(&g, &f->lesson);
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
    char *a = lg_grade_json(&g1, &f->lesson);
    char *b = lg_grade_json(&g2, &f->lesson);
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
    sim_impression imps[1] = {lg_imp_at(5, 5, NAN)};
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
    sim_impression imp = lg_imp_at(0, 0, 0.8);
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


/* Depth mean and spread per zone and overall, and the extremes. */
static void test_depth_statistics(void **state)
{
    fixture *f = *state;
    sim_impression imps[20];
    les_grade g;
    grade_known(f, imps, &g);
    double sum = 0, sum2 = 0, a = 0, a2 = 0;
    for (size_t i = 0; i < 16; i++)
        sum += imps[i].depth_mm;
    for (size_t i = 0; i < 10; i++)
        a += imps[i].depth_mm;
    for (size_t i = 0; i < 16; i++)
        sum2 += (imps[i].depth_mm - sum / 16) * (imps[i].depth_mm - sum / 16);
    for (size_t i = 0; i < 10; i++)
        a2 += (imps[i].depth_mm - a / 10) * (imps[i].depth_mm - a / 10);
    assert_true(fabs(g.depth.mean_mm - sum / 16) < 1e-12);
    assert_true(fabs(g.depth.spread_mm - sqrt(sum2 / 16)) < 1e-12);
    assert_true(g.depth.shallowest_mm == 0.1 && g.depth.deepest_mm == 3.0);
    assert_true(fabs(g.zones[0].depth_mean_mm - a / 10) < 1e-12);
    assert_true(fabs(g.zones[0].depth_sd_mm - sqrt(a2 / 10)) < 1e-12);
    assert_true(g.zones[0].density_score == 100.0);
    assert_true(fabs(g.zones[1].density_score - 20.0) < 1e-9); /* 3 against 5 */
    les_grade_deinit(&g);
}

/* Zone A is the 10 x 10 mm square at the origin: 2 x 2 heatmap cells of
 * 5 mm; zone B covers [20, 40] x [0, 10]: 4 x 2 cells; 8 x 2 in all. */
static void test_heatmap_cells(void **state)
{
    fixture *f = *state;
    sim_impression imps[20];
    les_grade g;
    grade_known(f, imps, &g);
    const les_heatmap *m = &g.heatmap;
    assert_true(m->cell_mm == 5.0 && m->origin_mm.x == 0 && m->origin_mm.y == 0);
    assert_int_equal(m->cols, 8);
    assert_int_equal(m->rows, 2);
    /* row 1 (y 5-10) holds A's 10 dots at y = 5: x < 5 in cell 8, the rest in 9 */
    assert_int_equal(m->dots[8], 5);
    assert_int_equal(m->dots[9], 5);
    assert_true(m->density_per_cm2[8] == 20.0 && m->density_per_cm2[9] == 20.0);
    assert_true(m->target_per_cm2[8] == 10.0 && isnan(m->density_per_cm2[2]));
    assert_true(isnan(m->depth_error_mm[0]));
    /* A, x < 5: depths 0.5, 0.8, 1.0, 1.2, 0.1 -> errors 0, 0, 0, 0, -0.4 */
    assert_true(fabs(m->depth_error_mm[8] - -0.08) < 1e-12);
    /* A, x >= 5: 0.2, 0.49, 1.3, 1.5, 2.0 -> -0.3, -0.01, 0.1, 0.3, 0.8 */
    assert_true(fabs(m->depth_error_mm[9] - 0.178) < 1e-12);
    assert_true(les_heatmap_cell(m, sim_v2(39, 1)) == 7 && les_heatmap_cell(m, sim_v2(44, 1)) < 0);
    assert_true(les_heatmap_cell(m, sim_v2(40, 10)) == 15); /* the far corner */
    les_grade_deinit(&g);
}

/* Zone A's too-shallow dots 0.1, 0.2, 0.49 mm all lie in its centre
 * third: the largest group, first. Its too-deep dots: 1.3 mm at x = 6.6
 * (the centre third), 1.5 and 2.0 mm at x = 7.4 and 8.2 (the right
 * third), placed at the dot nearest the group's centre (a tie: the first). */
static void test_depth_feedback_sentence(void **state)
{
    fixture *f = *state;
    sim_impression imps[20];
    les_grade g;
    grade_known(f, imps, &g);
    const les_feedback_item *it = lg_first_feedback(&g, LES_METRIC_DEPTH);
    assert_non_null(it);
    assert_string_equal(it->message, "3 dots in the centre of `A` are 0.10–0.49 mm deep "
                                     "(band 0.50–1.20 mm): pigment that shallow fades.");
    it++;
    assert_string_equal(it->message, "2 dots on the right side of `A` are 1.50–2.00 mm deep "
                                     "(band 0.50–1.20 mm): they will blur and turn blue-grey.");
    assert_true(it->point_mm.x == imps[8].surface_mm.x && it->point_mm.y == 5.0);
    assert_int_equal(it->severity, LES_FEEDBACK_MAJOR); /* 2 of 16 dots */
    /* worst first: severities never increase down the list */
    for (size_t i = 1; i < g.feedback.count; i++)
        assert_true(g.feedback.items[i - 1].severity <= g.feedback.items[i].severity);
    les_grade_deinit(&g);
}

/* A field with a hairline: every metric measured; the JSON the same bytes
 * on every run and holding every key the interface promises. */
static const char FIELD_HAIRLINE[] =
    "stipple_lesson: 1\nid: full\ntitle: Full\nversion: 1\n"
    "surface: {type: pad, width_mm: 100, height_mm: 100}\n"
    "zones:\n"
    "  - {name: field, polygon_mm: [[10, 20], [90, 20], [90, 70], [10, 70]],\n"
    "     density_per_cm2: 60, depth_band_mm: [0.5, 1.2]}\n"
    "hairline: {polyline_mm: [[10, 70], [50, 72], [90, 70]]}\n"
    "rubric: {pass_mark: 70}\n";

static double field_edge(double x) { return x < 50 ? 70 + x / 25.0 : 74 - x / 25.0; }

static void field_attempt(lp_set *s)
{
    lp_box box = {5, 15, 95, 95};
    lp_field(s, box, 1.0, field_edge, 6.0, 8);
    for (size_t i = 0; i < s->count; i++) {
        s->items[i].depth_mm = 0.4 + 0.05 * (double)(i % 20);
        s->items[i].angle_rad = 0.01 * (double)(i % 40);
        s->items[i].dwell_s = 0.05 + 0.001 * (double)(i % 7);
        s->items[i].t_start_us = (int64_t)i * 400000;
        s->items[i].t_end_us = s->items[i].t_start_us + 50000;
    }
}

static void test_json_all_metrics(void **state)
{
    (void)state;
    les_lesson l;
    lt_parse_ok(&l, FIELD_HAIRLINE);
    sim_surface pad;
    sim_surface_desc desc = {.kind = SIM_SURFACE_PAD, .width_mm = 100, .height_mm = 100};
    assert_int_equal(sim_surface_init(&pad, &desc, NULL), SIM_OK);
    lp_set s = {0};
    field_attempt(&s);
    les_grade g1, g2;
    assert_int_equal(les_grade_run(&l, &pad, s.items, s.count, &g1, NULL), LES_OK);
    assert_int_equal(les_grade_run(&l, &pad, s.items, s.count, &g2, NULL), LES_OK);
    assert_true(g1.spacing.applicable && g1.hairline.applicable && g1.technique.applicable);
    char *a = lg_grade_json(&g1, &l), *b = lg_grade_json(&g2, &l);
    assert_string_equal(a, b);
    static const char *const keys[] = {
        "\"spacing\":{\"score\":", "\"clark_evans\":", "\"clark_evans_donnelly\":",
        "\"nn_mean_mm\":", "\"nn_cv\":", "\"overlaps\":", "\"largest_gap_mm\":",
        "\"orientational_order\":", "\"hairline\":{\"score\":", "\"mean_deviation_mm\":",
        "\"max_deviation_mm\":", "\"symmetry_mm\":", "\"softness_mm\":",
        "\"irregularity_mm\":", "\"technique\":{\"score\":", "\"safety\":{\"score\":",
        "\"violations\":", "\"feedback\":[{\"metric\":", "\"severity\":", "\"message\":",
        "\"x_mm\":", "\"y_mm\":", "\"z_mm\":", "\"heatmaps\":{", "\"density_per_cm2\":[",
        "\"depth_error_mm\":["};
    const char *at = a;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const char *p = strstr(at, keys[k]);
        if (!p)
            fail_msg("missing or out of order: %s", keys[k]);
        at = p;
    }
    free(a);
    free(b);
    les_grade_deinit(&g1);
    les_grade_deinit(&g2);
    lp_free(&s);
    sim_surface_deinit(&pad);
    les_lesson_deinit(&l);
}

/* Every allocation of a full grade fails in turn: LES_ERR_NOMEM, an empty
 * grade, no leak; then it succeeds. */
static void test_out_of_memory(void **state)
{
    (void)state;
    les_lesson l;
    lt_parse_ok(&l, FIELD_HAIRLINE);
    sim_surface pad;
    sim_surface_desc desc = {.kind = SIM_SURFACE_PAD, .width_mm = 100, .height_mm = 100};
    assert_int_equal(sim_surface_init(&pad, &desc, NULL), SIM_OK);
    lp_set s = {0};
    field_attempt(&s);
    for (long n = 0;; n++) {
        les_grade g;
        sim_error err;
        sim_alloc_fail_after(n);
        les_result r = les_grade_run(&l, &pad, s.items, s.count, &g, &err);
        sim_alloc_fail_after(-1);
        if (r == LES_OK) {
            assert_true(n > 10);
            les_grade_deinit(&g);
            break;
        }
        assert_int_equal(r, LES_ERR_NOMEM);
        assert_string_equal(err.message, "out of memory");
        assert_null(g.zones);
        assert_null(g.feedback.items);
        assert_true(n < 1000);
    }
    lp_free(&s);
    sim_surface_deinit(&pad);
    les_lesson_deinit(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_known_counts, setup, lg_fixture_free),
        cmocka_unit_test(test_weights_and_pass_mark),
        cmocka_unit_test_setup_teardown(test_density_score_curve, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_no_impressions, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_deterministic_json, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_write_failure, setup, lg_fixture_free),
        cmocka_unit_test(test_head_lesson_area),
        cmocka_unit_test_setup_teardown(test_depth_statistics, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_heatmap_cells, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_depth_feedback_sentence, setup, lg_fixture_free),
        cmocka_unit_test(test_json_all_metrics),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
