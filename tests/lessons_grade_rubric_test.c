/* lessons_grade_rubric_test.c: the rubric (every key parsed, defaults,
 * each kind of mistake reported with its place), band scoring, must-pass
 * metrics and thresholds, safety (forbidden zones, a contraindicated
 * client) and technique (angle, dwell, drag, pace, session time). */
#include "lessons_grade_helpers.h"

/* ------------------------------------------------------------------------ */
/* Parsing                                                                  */
/* ------------------------------------------------------------------------ */

static void test_defaults(void **state)
{
    (void)state;
    les_lesson l;
    lt_parse_ok(&l, LT_VALID);
    const les_rubric *r = &l.rubric;
    assert_true(r->pass_mark == 70);
    for (int m = 0; m < LES_METRIC_COUNT; m++)
        assert_true(les_rubric_weight(r, (les_metric)m) == (m == LES_METRIC_SAFETY ? 0 : 1));
    assert_true(r->threshold[LES_METRIC_SPACING] == 50 && r->threshold[LES_METRIC_SAFETY] == 100);
    assert_int_equal(r->must_pass, 1u << LES_METRIC_SAFETY);
    assert_true(r->spacing.clark_evans.lo == 1.3 && r->spacing.clark_evans.hi == 2.0 &&
                r->spacing.clark_evans.falloff == 0.5);
    assert_true(r->hairline.softness_mm.lo == 5 && r->hairline.softness_mm.hi == 10);
    assert_true(r->hairline.corridor_mm == 20 && r->density_tolerance == 0.5);
    les_lesson_deinit(&l);
    assert_string_equal(les_metric_name(LES_METRIC_TECHNIQUE), "technique");
    assert_string_equal(les_metric_name(LES_METRIC_COUNT), "unknown");
}

static void test_every_key(void **state)
{
    (void)state;
    les_lesson l;
    lt_parse_ok(&l, LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY LT_BAND
                "rubric:\n"
                "  pass_mark: 65\n"
                "  weights: {depth: 2, density: 1, spacing: 3, hairline: 0, technique: 0.5,\n"
                "            safety: 1}\n"
                "  thresholds: {depth: 60, density: 40, spacing: 55, hairline: 45,\n"
                "               technique: 30, safety: 75}\n"
                "  must_pass: [depth, safety]\n"
                "  density: {tolerance: 0.3}\n"
                "  spacing: {clark_evans: [1.2, 1.9, 0.4], nn_cv: [0, 0.3],\n"
                "            orientational_order: [0, 0.4, 0.2], clumping: [-3, 0.2],\n"
                "            overlap_share: [0, 0.05], gap: [0, 4, 2]}\n"
                "  hairline: {deviation_mm: [0, 3], max_deviation_mm: [0, 6],\n"
                "             symmetry_mm: [0, 2.5], softness_mm: [4, 12, 3],\n"
                "             irregularity_mm: [0.5, 3], temple_mm: [0, 2], corridor_mm: 25,\n"
                "             bin_mm: 4, smoothing_mm: 40}\n"
                "  technique: {angle_deg: [0, 20], dwell_s: [0.05, 1], drag_mm: [0, 0.2],\n"
                "              pace_per_min: [10, 100, 30]}\n"
                "  safety: {penalty: 10}\n"
                "  heatmap_cell_mm: 4\n");
    const les_rubric *r = &l.rubric;
    assert_true(r->pass_mark == 65 && r->weight_spacing == 3 && r->weight_technique == 0.5);
    assert_true(r->weight_hairline == 0 && r->weight_safety == 1);
    assert_true(r->threshold[LES_METRIC_DEPTH] == 60 && r->threshold[LES_METRIC_SAFETY] == 75);
    assert_int_equal(r->must_pass, (1u << LES_METRIC_DEPTH) | (1u << LES_METRIC_SAFETY));
    assert_true(r->density_tolerance == 0.3);
    les_band ce = r->spacing.clark_evans;
    assert_true(ce.lo == 1.2 && ce.hi == 1.9 && ce.falloff == 0.4);
    /* a band without a falloff keeps the default's */
    assert_true(r->spacing.nn_cv.hi == 0.3 && r->spacing.nn_cv.falloff == 0.35);
    assert_true(r->hairline.softness_mm.falloff == 3 && r->hairline.corridor_mm == 25);
    assert_true(r->hairline.bin_mm == 4 && r->hairline.smoothing_mm == 40);
    assert_true(r->technique.pace_per_min.lo == 10 && r->technique.pace_per_min.falloff == 30);
    assert_true(r->safety_penalty == 10 && r->heatmap_cell_mm == 4);
    les_lesson_deinit(&l);
}

static void test_mistakes_reported(void **state)
{
    (void)state;
    static const struct {
        const char *rubric;
        const char *diag;
    } cases[] = {
        {"rubric: {pass_mark: 70, spacing: {clark_evans: [2, 1]}}\n",
         "t.yaml:11:48: error: `clark_evans` must be [lo, hi] with lo <= hi, got [2, 1]\n"},
        {"rubric: {pass_mark: 70, spacing: {clark_evans: 1.5}}\n",
         "t.yaml:11:48: error: `clark_evans` must be [lo, hi] or [lo, hi, falloff] with lo "
         "and hi between 0 and 3, got 1.5\n"},
        {"rubric: {pass_mark: 70, spacing: {nn_cv: [0, 9]}}\n",
         "t.yaml:11:46: error: `nn_cv` must be a number between 0 and 3, got 9\n"},
        {"rubric: {pass_mark: 70, must_pass: [depht]}\n",
         "t.yaml:11:37: error: `must_pass` lists metrics (depth, density, spacing, hairline, "
         "technique, safety), got \"depht\"; did you mean `depth`?\n"},
        {"rubric: {pass_mark: 70, must_pass: [safety, safety]}\n",
         "t.yaml:11:45: error: `must_pass` names `safety` twice\n"},
        {"rubric: {pass_mark: 70, spacing: {clark_evens: [1, 2]}}\n",
         "t.yaml:11:35: error: unknown key `clark_evens`; did you mean `clark_evans`?\n"},
        {"rubric: {pass_mark: 70, thresholds: {depth: 120}}\n",
         "t.yaml:11:45: error: `depth` must be a number between 0 and 100, got 120\n"},
        {"rubric: {pass_mark: 70, hairline: {corridor_mm: 2}}\n",
         "t.yaml:11:49: error: `corridor_mm` must be a number between 5 and 100 (mm), got 2\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, "%s", LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY LT_BAND);
        strcat(text, cases[i].rubric);
        les_result r;
        char *out = lt_diagnose(text, &r);
        assert_int_equal(r, LES_ERR_INVALID);
        if (strcmp(out, cases[i].diag) != 0)
            fail_msg("case %zu:\n got: %s want: %s", i, out, cases[i].diag);
        free(out);
    }
}

static void test_band_score(void **state)
{
    (void)state;
    les_band b = {1.0, 2.0, 0.5};
    assert_true(les_band_score(b, 1.5) == 100 && les_band_score(b, 1.0) == 100);
    assert_true(fabs(les_band_score(b, 0.75) - 50) < 1e-12);
    assert_true(fabs(les_band_score(b, 2.1) - 80) < 1e-12);
    assert_true(les_band_score(b, 2.5) == 0 && les_band_score(b, -7) == 0);
    assert_true(isnan(les_band_score(b, NAN)));
    les_band step = {0, 1, 0};
    assert_true(les_band_score(step, 1.0) == 100 && les_band_score(step, 1.0001) == 0);
    double parts[3] = {100, NAN, 25};
    assert_true(fabs(les_parts_score(parts, 3) - 50) < 1e-12);
    parts[0] = 0;
    assert_true(les_parts_score(parts, 3) == 0);
    double none[2] = {NAN, NAN};
    assert_true(isnan(les_parts_score(none, 2)));
}

/* ------------------------------------------------------------------------ */
/* Passing, safety, technique                                               */
/* ------------------------------------------------------------------------ */

/* Zone a: the 10..90 square (64 cm²). */
static const char LESSON[] = LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY LT_BAND;

/* The lesson above with `rest` appended (more zones, the rubric). */
static lg_fixture *fixture_new(const char *rest)
{
    char text[1024];
    snprintf(text, sizeof text, "%s%s", LESSON, rest);
    return lg_fixture_new(text, 0, 0);
}

/* Depth must pass at 80: 3 of 4 in band (75) fails the attempt even with
 * a total above the pass mark. */
static void test_must_pass(void **state)
{
    (void)state;
    lg_fixture *f = fixture_new("rubric: {pass_mark: 10, weights: {density: 0}, thresholds: {depth: 80},\n"
                     "         must_pass: [depth]}\n");
    sim_impression imps[4] = {lg_imp_at(20, 20, 0.6), lg_imp_at(30, 20, 0.7), lg_imp_at(40, 20, 0.8),
                              lg_imp_at(50, 20, 3.0)};
    les_grade g;
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, imps, 4, &g, NULL), LES_OK);
    assert_true(g.score == 75.0 && !g.depth.passed && !g.passed);
    assert_int_equal(g.failed_must_pass, 1u << LES_METRIC_DEPTH);
    les_grade_deinit(&g);
    imps[3].depth_mm = 1.0;
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, imps, 4, &g, NULL), LES_OK);
    assert_true(g.depth.passed && g.passed && g.failed_must_pass == 0);
    les_grade_deinit(&g);
    lg_fixture_free((void **)&f);
}

static void test_forbidden_zone(void **state)
{
    (void)state;
    lg_fixture *f = fixture_new("  - {name: lesion, polygon_mm: [[40, 40], [50, 40], [50, 50], [40, 50]],\n"
                     "     density_per_cm2: 1, depth_band_mm: [0.5, 1.2]}\n"
                     "rubric: {pass_mark: 10}\n");
    /* the format engineer parses `kind`; here it is set on the parsed lesson.
     * The lesion lies inside zone a, listed after it: it still counts. */
    f->lesson.zones[1].kind = LES_ZONE_FORBIDDEN;
    sim_impression imps[5] = {lg_imp_at(20, 20, 0.8), lg_imp_at(45, 45, 0.8), lg_imp_at(46, 45, 0.8),
                              lg_imp_at(60, 60, 0.8), lg_imp_at(95, 95, 0.8)};
    les_grade g;
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, imps, 5, &g, NULL), LES_OK);
    assert_int_equal(g.safety.violations, 2);
    assert_true(g.safety.score == 50.0 && !g.safety.passed);
    assert_int_equal(g.zones[1].impressions, 2);
    assert_true(g.zones[1].forbidden && !g.zones[0].forbidden);
    assert_int_equal(g.zones[0].impressions, 4); /* the lesion is inside the field */
    assert_int_equal(g.outside, 1);
    assert_false(g.passed);
    assert_int_equal(g.failed_must_pass, 1u << LES_METRIC_SAFETY);
    const les_feedback_item *it = &g.feedback.items[0];
    assert_int_equal(it->metric, LES_METRIC_SAFETY);
    assert_int_equal(it->severity, LES_FEEDBACK_CRITICAL);
    assert_string_equal(it->message, "2 dots are in the forbidden zone `lesion`: never work there.");
    assert_true(it->point_mm.x == 45 && it->point_mm.y == 45);
    les_grade_deinit(&g);
    lg_fixture_free((void **)&f);
}

static void test_contraindicated_client(void **state)
{
    (void)state;
    lg_fixture *f = fixture_new("rubric: {pass_mark: 70}\n");
    f->lesson.client.contraindicated = true;
    f->lesson.client.condition = "active lichen planopilaris";
    les_grade g;
    /* refusing is right: no impressions passes with full marks */
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, NULL, 0, &g, NULL), LES_OK);
    assert_true(g.passed && g.score == 100.0 && g.safety.contraindicated);
    assert_string_equal(g.feedback.items[0].message,
                        "You rightly declined to treat this client (active lichen "
                        "planopilaris).");
    les_grade_deinit(&g);
    /* one perfect impression fails the attempt */
    sim_impression one = lg_imp_at(50, 50, 0.8);
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, &one, 1, &g, NULL), LES_OK);
    assert_true(!g.passed && g.score == 0.0 && g.safety.violations == 1);
    assert_int_equal(g.failed_must_pass, 1u << LES_METRIC_SAFETY);
    const les_feedback_item *it = &g.feedback.items[0];
    assert_int_equal(it->severity, LES_FEEDBACK_CRITICAL);
    assert_string_equal(it->message, "This client must not be treated (active lichen "
                                     "planopilaris): stop and refer them on. Any impression "
                                     "fails the attempt.");
    assert_int_equal(g.feedback.count, 1);
    les_grade_deinit(&g);
    lg_fixture_free((void **)&f);
}

/* 50 impressions, one every 6 s (a 5 min session, 10 a minute), 5 at 30
 * degrees, 5 held 2 s, 5 dragged 0.8 mm; a 3 minute time limit. */
static void test_technique(void **state)
{
    (void)state;
    lg_fixture *f = fixture_new("rubric: {pass_mark: 70}\n");
    f->lesson.time_limit_s = 180;
    sim_impression imps[50];
    for (int i = 0; i < 50; i++) {
        imps[i] = lg_imp_at(20 + (i % 10) * 5, 20 + (i / 10) * 5, 0.8);
        imps[i].angle_rad = sim_rad(i < 5 ? 30.0 : 5.0);
        imps[i].dwell_s = i >= 5 && i < 10 ? 2.0 : 0.1;
        imps[i].drag_mm = i >= 10 && i < 15 ? 0.8 : 0.05;
        imps[i].t_start_us = (int64_t)i * 6000000 + 1000;
        imps[i].t_end_us = imps[i].t_start_us + (int64_t)(imps[i].dwell_s * 1e6);
    }
    les_grade g;
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, imps, 50, &g, NULL), LES_OK);
    const les_technique_metric *t = &g.technique;
    assert_true(t->applicable);
    assert_int_equal(t->angle_out, 5);
    assert_int_equal(t->dwell_long, 5);
    assert_int_equal(t->dwell_short, 0);
    assert_int_equal(t->drag_out, 5);
    assert_true(fabs(t->angle_mean_deg - 7.5) < 1e-9 && fabs(t->drag_max_mm - 0.8) < 1e-12);
    /* angle: 45 at 100, 5 at 30 deg (15 past the band, falloff 15) at 0 */
    assert_true(fabs(t->part[LES_TQ_ANGLE] - 90.0) < 1e-9);
    /* dwell: 2 s is 1.2 s past 0.8 (falloff 0.5): 0 */
    assert_true(fabs(t->part[LES_TQ_DWELL] - 90.0) < 1e-9);
    /* drag 0.8 is 0.5 past 0.3: 0 */
    assert_true(fabs(t->part[LES_TQ_DRAG] - 90.0) < 1e-9);
    assert_true(fabs(t->session_s - (49 * 6.0 + 0.1)) < 1e-9);
    assert_true(fabs(t->pace_per_min - 50.0 / (t->session_s / 60.0)) < 1e-9);
    assert_true(t->pace_per_min < 20.0 && t->part[LES_TQ_PACE] < 100.0);
    assert_true(t->part[LES_TQ_SESSION] == 0.0); /* 294 s against 180 s, falloff 90 */
    double mean = (90.0 * 3 + t->part[LES_TQ_PACE]) / 5.0;
    assert_true(fabs(t->score - mean) < 1e-9);
    assert_non_null(lg_first_feedback(&g, LES_METRIC_TECHNIQUE));
    bool angle = false, session = false;
    for (size_t i = 0; i < g.feedback.count; i++) {
        angle = angle || strcmp(g.feedback.items[i].message,
                                "10% of dots went in more than 15° off perpendicular: hold "
                                "the needle upright to the skin.") == 0;
        session = session || strcmp(g.feedback.items[i].message,
                                    "The session took 4.9 min, over the 3 min limit.") == 0;
    }
    assert_true(angle && session);
    les_grade_deinit(&g);
    /* impressions without times, angles or dwell (a bare CSV): not measured */
    for (int i = 0; i < 50; i++)
        imps[i] = lg_imp_at(20 + (i % 10) * 5, 20 + (i / 10) * 5, 0.8);
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, imps, 50, &g, NULL), LES_OK);
    assert_false(g.technique.applicable);
    assert_true(isnan(g.technique.score) && g.technique.passed);
    les_grade_deinit(&g);
    lg_fixture_free((void **)&f);
}

/* Places named for sentences: head regions by chart position; pad thirds
 * of the zone's outline (near is small y). */
static void test_place_names(void **state)
{
    (void)state;
    lg_fixture *f = fixture_new("rubric: {pass_mark: 70}\n");
    char buf[96];
    assert_string_equal(les_place_name(buf, sizeof buf, &f->pad, &f->lesson, 0, sim_v2(12, 12)),
                        "in the near-left corner of `a`");
    assert_string_equal(les_place_name(buf, sizeof buf, &f->pad, &f->lesson, 0, sim_v2(50, 88)),
                        "along the far edge of `a`");
    assert_string_equal(les_place_name(buf, sizeof buf, &f->pad, NULL, -1, sim_v2(95, 50)),
                        "on the right side of the pad");
    lg_fixture_free((void **)&f);
    sim_surface head;
    memset(&head, 0, sizeof head);
    head.kind = SIM_SURFACE_HEAD;
    static const struct { double u, v; const char *name; } places[] = {
        {70, 60, "along the left temple"}, {-70, 60, "along the right temple"},
        {0, 90, "at the front centre"}, {30, 90, "at the front left"},
        {-30, 20, "on the top right"}, {0, -60, "at the crown"},
        {0, -120, "at the back of the head"}};
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++)
        assert_string_equal(les_place_name(buf, sizeof buf, &head, NULL, -1,
                                           sim_v2(places[i].u, places[i].v)),
                            places[i].name);
    char num[16];
    assert_string_equal(les_fmt_num(num, sizeof num, -0.001, 1), "0.0");
    assert_string_equal(les_fmt_num(num, sizeof num, 2.345, 2), "2.35");
    assert_string_equal(les_fmt_num(num, sizeof num, NAN, 1), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_mistakes_reported),
        cmocka_unit_test(test_place_names),
        cmocka_unit_test(test_band_score),
        cmocka_unit_test(test_must_pass),
        cmocka_unit_test(test_forbidden_zone),
        cmocka_unit_test(test_contraindicated_client),
        cmocka_unit_test(test_technique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
