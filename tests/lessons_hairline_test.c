/* lessons_hairline_test.c: the hairline metric on fields with known edges:
 * a 5 mm shift reports a mean deviation of 5 +- 1 mm (in front or behind),
 * a one-sided shift reports asymmetry, a ruler-straight edge and a
 * saw-tooth both score low on irregularity while a naturally irregular
 * edge scores well, a linear density ramp gives its 10-90% width, strays
 * are counted, temple points measured; the same on the default head,
 * measured on the skin. */
#include "lessons_grade_helpers.h"
#include "lessons_patterns.h"

/* Field below y = 70 on a pad; the target hairline along y = 70. */
static const char PAD_HAIRLINE[] =
    "stipple_lesson: 1\nid: hl\ntitle: Hairline\nversion: 1\n"
    "surface: {type: pad, width_mm: 100, height_mm: 100}\n"
    "zones:\n"
    "  - {name: field, polygon_mm: [[10, 20], [90, 20], [90, 70], [10, 70]],\n"
    "     density_per_cm2: 100, depth_band_mm: [0.5, 1.2]}\n"
    "hairline: {polyline_mm: [[10, 70], [30, 70], [50, 70], [70, 70], [90, 70]]}\n"
    "rubric: {pass_mark: 70}\n";

static const lp_box FIELD_BOX = {5, 15, 95, 95};
/* Poisson-disk radius: about 115 dots/cm². */
#define FIELD_R 0.75

static double edge_straight(double x) { (void)x; return 70.0; }
static double edge_forward(double x) { (void)x; return 75.0; }
static double edge_back(double x) { (void)x; return 65.0; }
static double edge_left_forward(double x) { return x < 50.0 ? 75.0 : 70.0; }
/* Teeth 16 mm tall every 16 mm. */
static double edge_saw(double x)
{
    double t = fmod(x, 16.0) / 16.0;
    return 70.0 + (t < 0.5 ? -8.0 + 32.0 * t : 24.0 - 32.0 * t);
}
/* Irregular at several scales, RMS about 1.7 mm. */
static double edge_natural(double x)
{
    return 70.0 + 2.0 * sin(2 * SIM_PI * x / 23.0) + 1.2 * sin(2 * SIM_PI * x / 9.3 + 1.0) +
           0.8 * sin(2 * SIM_PI * x / 5.1 + 2.0);
}

typedef lg_fixture fixture;

static int setup(void **state)
{
    *state = lg_fixture_new(PAD_HAIRLINE, 100, 100);
    return 0;
}

/* Grades a field with the given edge and ramp; fills *g (caller deinits). */
static void grade_field(fixture *f, lp_edge_fn edge, double ramp_mm, uint64_t seed,
                        les_grade *g)
{
    lp_set s = {0};
    lp_field(&s, FIELD_BOX, FIELD_R, edge, ramp_mm, seed);
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, s.items, s.count, g, NULL), LES_OK);
    assert_true(g->hairline.applicable);
    lp_free(&s);
}

static void test_shift_reports_deviation(void **state)
{
    fixture *f = *state;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        les_grade g;
        grade_field(f, edge_forward, 7.0, seed, &g);
        assert_true(fabs(g.hairline.mean_deviation_mm - 5.0) <= 1.0);
        assert_true(g.hairline.offset_mm > 4.0);
        assert_true(g.hairline.max_deviation_mm >= g.hairline.mean_deviation_mm);
        assert_true(lg_has_feedback(&g, LES_METRIC_HAIRLINE, "in front of the target"));
        les_grade_deinit(&g);
        grade_field(f, edge_back, 7.0, seed, &g);
        assert_true(fabs(g.hairline.mean_deviation_mm - 5.0) <= 1.0);
        assert_true(g.hairline.offset_mm < -4.0);
        assert_true(lg_has_feedback(&g, LES_METRIC_HAIRLINE, "behind the target"));
        les_grade_deinit(&g);
        grade_field(f, edge_straight, 7.0, seed, &g);
        assert_true(g.hairline.mean_deviation_mm < 1.0);
        assert_true(g.hairline.part[LES_HL_DEVIATION] == 100.0);
        les_grade_deinit(&g);
    }
}

static void test_one_sided_shift_is_asymmetric(void **state)
{
    fixture *f = *state;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        les_grade g;
        grade_field(f, edge_left_forward, 7.0, seed, &g);
        /* x < 50 is the left of the pad: 5 mm forward there only */
        assert_true(fabs(g.hairline.symmetry_mm - 5.0) <= 1.0);
        assert_true(g.hairline.left_offset_mm - g.hairline.right_offset_mm > 4.0);
        assert_true(g.hairline.part[LES_HL_SYMMETRY] < 50.0);
        assert_true(lg_has_feedback(&g, LES_METRIC_HAIRLINE, "The left side of the hairline sits"));
        les_grade_deinit(&g);
        grade_field(f, edge_forward, 7.0, seed, &g);
        assert_true(g.hairline.symmetry_mm < 1.5);
        les_grade_deinit(&g);
    }
}

static void test_irregularity_band(void **state)
{
    fixture *f = *state;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        les_grade ruler, saw, natural;
        grade_field(f, edge_straight, 0.0, seed, &ruler);
        grade_field(f, edge_saw, 7.0, seed, &saw);
        grade_field(f, edge_natural, 7.0, seed, &natural);
        assert_true(ruler.hairline.irregularity_mm < 0.6);
        assert_true(ruler.hairline.part[LES_HL_IRREGULARITY] < 50.0);
        assert_true(saw.hairline.irregularity_mm > 3.0);
        assert_true(saw.hairline.part[LES_HL_IRREGULARITY] < 50.0);
        assert_true(natural.hairline.irregularity_mm > 1.2 &&
                    natural.hairline.irregularity_mm < 2.4);
        assert_true(natural.hairline.part[LES_HL_IRREGULARITY] >= 90.0);
        assert_true(lg_has_feedback(&ruler, LES_METRIC_HAIRLINE, "ruler-straight"));
        assert_true(lg_has_feedback(&saw, LES_METRIC_HAIRLINE, "zig-zags"));
        assert_false(lg_has_feedback(&natural, LES_METRIC_HAIRLINE, "ruler-straight"));
        les_grade_deinit(&ruler);
        les_grade_deinit(&saw);
        les_grade_deinit(&natural);
    }
}

/* A linear ramp of width w has its 90% -> 10% points 0.8 w apart. */
static void test_softness_of_a_ramp(void **state)
{
    fixture *f = *state;
    static const double ramps[] = {0.0, 6.0, 10.0};
    for (size_t i = 0; i < 3; i++) {
        les_grade g;
        grade_field(f, edge_straight, ramps[i], 4, &g);
        double want = 0.8 * ramps[i];
        if (ramps[i] > 0)
            assert_true(fabs(g.hairline.softness_mm - want) <= 1.0);
        else
            assert_true(g.hairline.softness_mm < 2.5);
        les_grade_deinit(&g);
    }
}

static void test_strays_and_temples(void **state)
{
    fixture *f = *state;
    lp_set s = {0};
    lp_field(&s, FIELD_BOX, FIELD_R, edge_straight, 7.0, 5);
    lp_push(&s, 40, 85, 0.8); /* isolated dots well in front */
    lp_push(&s, 60, 88, 0.8);
    lp_push(&s, 30, 50, 0.8); /* one more inside the field: no stray */
    sim_vec2 temples[2] = {{12, 70}, {88, 76}};
    f->lesson.temple_points = temples;
    f->lesson.temple_point_count = 2;
    les_grade g;
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, s.items, s.count, &g, NULL), LES_OK);
    f->lesson.temple_points = NULL;
    f->lesson.temple_point_count = 0;
    assert_int_equal(g.hairline.strays, 2);
    assert_true(g.hairline.stray_chart_mm.x == 40 && g.hairline.stray_chart_mm.y == 85);
    assert_int_equal(g.hairline.temple_count, 2);
    assert_true(g.hairline.temple_mm[0] < 2.0);
    assert_true(fabs(g.hairline.temple_mm[1] - 6.0) < 1.5);
    assert_true(lg_has_feedback(&g, LES_METRIC_HAIRLINE, "2 dots in front of the hairline"));
    assert_true(lg_has_feedback(&g, LES_METRIC_HAIRLINE, "misses the right temple point"));
    les_grade_deinit(&g);
    lp_free(&s);
}

static void test_not_applicable(void **state)
{
    fixture *f = *state;
    les_grade g;
    /* no dots behind the line: not measured, and it does not count */
    sim_impression one[1];
    memset(one, 0, sizeof one);
    one[0].chart_mm = sim_v2(50, 50);
    one[0].surface_mm = sim_v3(50, 50, 0);
    one[0].depth_mm = 0.8;
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, one, 1, &g, NULL), LES_OK);
    assert_false(g.hairline.applicable);
    assert_true(isnan(g.hairline.score) && g.hairline.passed);
    les_grade_deinit(&g);
    les_hairline_metric m;
    sim_error err;
    assert_int_equal(les_hairline_measure(NULL, NULL, 0, &m, &err), LES_ERR_ARG);
}

/* The default head: dots laid on the chart, lifted onto the skin; the
 * front edge shifted 5 mm (chart) forward. On the top of the head a chart
 * millimetre is close to a skin millimetre, so the deviation is 5 +- 1. */
static double head_edge(double u)
{
    static const double us[] = {-60, -30, 0, 30, 60}, vs[] = {80.6, 91.4, 95, 91.4, 80.6};
    if (u <= us[0])
        return vs[0];
    for (int i = 0; i < 4; i++)
        if (u <= us[i + 1])
            return vs[i] + (vs[i + 1] - vs[i]) * (u - us[i]) / (us[i + 1] - us[i]);
    return vs[4];
}
static double head_edge_forward(double u) { return head_edge(u) + 5.0; }

static void head_field(const sim_surface *head, lp_edge_fn edge, lp_set *out)
{
    lp_set flat = {0};
    lp_box box = {-70, 40, 70, 110};
    lp_field(&flat, box, 1.0, edge, 6.0, 9);
    for (size_t i = 0; i < flat.count; i++) {
        sim_surface_hit hit;
        if (!sim_surface_from_chart(head, flat.items[i].chart_mm, &hit))
            continue;
        lp_push(out, 0, 0, 0.8);
        out->items[out->count - 1].surface_mm = hit.point_mm;
        out->items[out->count - 1].normal = hit.normal;
        out->items[out->count - 1].chart_mm = hit.chart_mm;
    }
    lp_free(&flat);
}

static void test_head_hairline(void **state)
{
    (void)state;
    les_lesson l;
    lt_parse_ok(&l, "stipple_lesson: 1\nid: head-hl\ntitle: Head\nversion: 1\n"
                    "surface: {type: head, resolution: 48}\n"
                    "zones:\n  - {name: top, polygon_mm: [[-70, 40], [70, 40], [70, 110], "
                    "[-70, 110]], density_per_cm2: 80, depth_band_mm: [0.5, 1.2]}\n"
                    "hairline: {polyline_mm: [[-60, 80.6], [-30, 91.4], [0, 95], [30, 91.4], "
                    "[60, 80.6]]}\n"
                    "rubric: {pass_mark: 70}\n");
    sim_surface head;
    sim_surface_desc desc = {.kind = SIM_SURFACE_HEAD, .head = {.face_cells = 48}};
    assert_int_equal(sim_surface_init(&head, &desc, NULL), SIM_OK);
    lp_set on = {0}, fwd = {0};
    head_field(&head, head_edge, &on);
    head_field(&head, head_edge_forward, &fwd);
    les_grade g;
    assert_int_equal(les_grade_run(&l, &head, on.items, on.count, &g, NULL), LES_OK);
    assert_true(g.hairline.applicable && g.hairline.mean_deviation_mm < 1.5);
    les_grade_deinit(&g);
    assert_int_equal(les_grade_run(&l, &head, fwd.items, fwd.count, &g, NULL), LES_OK);
    assert_true(g.hairline.applicable);
    assert_true(fabs(g.hairline.mean_deviation_mm - 5.0) <= 1.0);
    assert_true(g.hairline.offset_mm > 4.0);
    assert_true(g.hairline.symmetry_mm < 1.5);
    les_grade_deinit(&g);
    lp_free(&on);
    lp_free(&fwd);
    sim_surface_deinit(&head);
    les_lesson_deinit(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shift_reports_deviation, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_one_sided_shift_is_asymmetric, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_irregularity_band, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_softness_of_a_ramp, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_strays_and_temples, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_not_applicable, setup, lg_fixture_free),
        cmocka_unit_test(test_head_hairline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
