/* lessons_solve_test.c: reference attempts (les_solve.h). A plan fills
 * each work zone at its density on the skin, inside the zone, in the band,
 * never in a forbidden zone; its pattern is even but irregular (Clark-
 * Evans between a random pattern's 1 and a grid's 2.15); it is the same
 * for the same seed; a later session's dots go between the earlier ones; a
 * client to refuse gets no dot. Impressions survive a CSV round trip. */
#include "les_grade.h"
#include "les_solve.h"
#include "lessons_helpers.h"

#define PAD_LESSON                                                            \
    LT_HEAD LT_SURFACE                                                        \
    "tools: {cartridges: [0603RL, 0601RL]}\n"                                 \
    "zones:\n"                                                                \
    "  - {name: lesion, kind: forbidden, polygon_mm: [[40, 40], [50, 40], [50, 50], [40, 50]]}\n" \
    "  - {name: field, polygon_mm: [[20, 20], [80, 20], [80, 60], [20, 60]],\n" \
    "     density_per_cm2: 40, depth_band_mm: [0.5, 1.2]}\n"                  \
    "  - {name: edge, polygon_mm: [[20, 60], [80, 60], [80, 70], [20, 70]],\n" \
    "     density_per_cm2: 20, depth_band_mm: [0.6, 1.0], cartridge: 0601RL}\n" \
    LT_RUBRIC

typedef struct fixture {
    les_lesson lesson;
    sim_surface pad;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    lt_parse_ok(&f->lesson, PAD_LESSON);
    if (les_lesson_surface_init(&f->lesson, &f->pad, NULL) != LES_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sim_surface_deinit(&f->pad);
    les_lesson_deinit(&f->lesson);
    free(f);
    return 0;
}

static les_plan_dot *plan(fixture *f, const les_plan_desc *d, size_t *n)
{
    les_plan_dot *dots;
    sim_error err;
    assert_int_equal(les_plan_reference(&f->lesson, &f->pad, d, &dots, n, &err), LES_OK);
    return dots;
}

static double nearest(const les_plan_dot *dots, size_t n, size_t i, uint32_t zone)
{
    double best = INFINITY;
    for (size_t k = 0; k < n; k++)
        if (k != i && dots[k].zone == zone)
            best = fmin(best, sim_v3_len(sim_v3_sub(dots[k].point_mm, dots[i].point_mm)));
    return best;
}

static void test_plan_fills_zones(void **state)
{
    fixture *f = *state;
    size_t n;
    les_plan_dot *dots = plan(f, NULL, &n);
    size_t per_zone[3] = {0};
    for (size_t i = 0; i < n; i++) {
        const les_plan_dot *d = &dots[i];
        const les_zone *z = &f->lesson.zones[d->zone];
        per_zone[d->zone]++;
        assert_int_equal(les_lesson_zone_at(&f->lesson, d->chart_mm), (int)d->zone);
        assert_int_equal(z->kind, LES_ZONE_WORK);
        assert_true(sim_polyline_distance(z->polygon, z->polygon_count, true, d->chart_mm) >= 0.2);
        assert_true(d->depth_mm >= z->depth_min_mm && d->depth_mm <= z->depth_max_mm);
        assert_true(d->tilt_rad >= 0 && d->tilt_rad <= sim_rad(8.0));
        assert_true(d->dwell_s >= 0.02 && d->dwell_s <= 0.04);
        assert_string_equal(sim_needle_get(d->needle)->name, d->zone == 2 ? "0601RL" : "0603RL");
    }
    /* field: 24 cm² less the 1 cm² lesion at 40/cm²; edge: 6 cm² at 20/cm² */
    assert_int_equal(per_zone[0], 0);
    assert_true(per_zone[1] >= 918 && per_zone[1] <= 922);
    assert_int_equal(per_zone[2], 120);
    /* even but irregular: Clark-Evans R of the field */
    double sum = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (dots[i].zone == 1)
            sum += nearest(dots, n, i, 1), m++;
    double r = (sum / (double)m) / (0.5 / sqrt(40.0 / 100.0));
    assert_true(r > 1.3 && r < 2.0);
    /* worked in rows: the hand moves a couple of spacings between dots */
    double travel = 0;
    for (size_t i = 1; i < n; i++)
        if (dots[i].zone == dots[i - 1].zone)
            travel += sim_v2_len(sim_v2_sub(dots[i].chart_mm, dots[i - 1].chart_mm));
    assert_true(travel / (double)n < 5.0);
    sim_free(dots);
}

static void test_plan_deterministic(void **state)
{
    fixture *f = *state;
    size_t n1, n2, n3;
    les_plan_desc seed7 = {.seed = 7};
    les_plan_dot *a = plan(f, &seed7, &n1), *b = plan(f, &seed7, &n2);
    les_plan_dot *c = plan(f, NULL, &n3);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1 * sizeof *a);
    assert_true(n1 != n3 || memcmp(a, c, n1 * sizeof *a) != 0);
    sim_free(a);
    sim_free(b);
    sim_free(c);
}

/* A second session's dots fall between the first session's. */
static void test_plan_between_earlier_dots(void **state)
{
    fixture *f = *state;
    size_t n1, n2;
    les_plan_dot *first = plan(f, NULL, &n1);
    sim_impression *prev = calloc(n1, sizeof *prev);
    for (size_t i = 0; i < n1; i++)
        prev[i].surface_mm = first[i].point_mm;
    les_plan_desc d = {.seed = 2, .previous = prev, .previous_count = n1};
    les_plan_dot *second = plan(f, &d, &n2);
    assert_int_equal(n1, n2);
    double sum = 0, least = INFINITY;
    for (size_t i = 0; i < n2; i++) {
        double best = INFINITY;
        for (size_t k = 0; k < n1; k++)
            best = fmin(best, sim_v3_len(sim_v3_sub(second[i].point_mm, prev[k].surface_mm)));
        sum += best;
        least = fmin(least, best);
    }
    /* spacing in the field is about 1.6 mm: new dots sit in the gaps */
    assert_true(sum / (double)n2 > 0.5);
    assert_true(least > 0.05);
    sim_free(first);
    sim_free(second);
    free(prev);
}

static void test_refused_client_plan_is_empty(void **state)
{
    (void)state;
    les_lesson l;
    lt_parse_ok(&l, LT_VALID "client: {decision: refuse, conditions: [pregnancy]}\n");
    sim_surface pad;
    assert_int_equal(les_lesson_surface_init(&l, &pad, NULL), LES_OK);
    les_plan_dot *dots = (les_plan_dot *)1;
    size_t n = 5;
    assert_int_equal(les_plan_reference(&l, &pad, NULL, &dots, &n, NULL), LES_OK);
    assert_null(dots);
    assert_int_equal(n, 0);
    /* a head surface is not this lesson's */
    sim_surface_desc head = {.kind = SIM_SURFACE_HEAD, .head = {.face_cells = 32}};
    sim_surface h;
    assert_int_equal(sim_surface_init(&h, &head, NULL), SIM_OK);
    sim_error err;
    assert_int_equal(les_plan_reference(&l, &h, NULL, &dots, &n, &err), LES_ERR_ARG);
    assert_string_equal(err.message, "les_plan_reference: the surface is not the lesson's");
    sim_surface_deinit(&h);
    sim_surface_deinit(&pad);
    les_lesson_deinit(&l);
}

/* What les_impressions_write_csv writes, les_impressions_parse_csv reads. */
static void test_csv_round_trip(void **state)
{
    fixture *f = *state;
    sim_impression imps[3];
    memset(imps, 0, sizeof imps);
    for (int i = 0; i < 3; i++) {
        imps[i].surface_mm = sim_v3(20.25 + i, 30.5, 0);
        imps[i].depth_mm = 0.8126 + 0.1 * i;
        imps[i].angle_rad = sim_rad(4.26);
        imps[i].dwell_s = 0.0314;
        imps[i].needle = (uint32_t)i;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_int_equal(les_impressions_write_csv(out, imps, 3), LES_OK);
    fclose(out);
    assert_string_equal(text, "x_mm,y_mm,z_mm,depth_mm,needle,angle_deg,dwell_ms\n"
                              "20.250,30.500,0.000,0.813,0603RL,4.3,31\n"
                              "21.250,30.500,0.000,0.913,0601RL,4.3,31\n"
                              "22.250,30.500,0.000,1.013,0801RL,4.3,31\n");
    sim_impression_list back;
    sim_impression_list_init(&back);
    assert_int_equal(les_impressions_parse_csv(text, len, "r.csv", &f->pad, &back, NULL), LES_OK);
    assert_int_equal(back.count, 3);
    assert_true(fabs(back.items[2].chart_mm.x - 22.25) < 1e-9);
    assert_true(fabs(back.items[0].depth_mm - 0.813) < 1e-9);
    assert_int_equal(back.items[1].needle, 1);
    sim_impression_list_deinit(&back);
    free(text);
    assert_int_equal(les_impressions_write_csv(NULL, imps, 1), LES_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plan_fills_zones, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_between_earlier_dots, setup, teardown),
        cmocka_unit_test(test_refused_client_plan_is_empty),
        cmocka_unit_test_setup_teardown(test_csv_round_trip, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
