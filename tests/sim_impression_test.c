/* sim_impression_test.c: impression extraction on synthetic traces with
 * known answers, on the pad and on the head. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "hap_script.h"
#include "sim_impression.h"

static sim_surface g_pad;

static int setup(void **state)
{
    (void)state;
    sim_surface_desc d = {.kind = SIM_SURFACE_PAD, .width_mm = 100, .height_mm = 80};
    return sim_surface_init(&g_pad, &d, NULL) == SIM_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sim_surface_deinit(&g_pad);
    return 0;
}

static sim_sample at(int64_t t_ms, double x, double y, double z, uint32_t buttons)
{
    sim_sample s;
    memset(&s, 0, sizeof s);
    s.t_us = t_ms * 1000;
    s.tip_mm[0] = (float)x;
    s.tip_mm[1] = (float)y;
    s.tip_mm[2] = (float)z;
    s.axis[2] = 1.0f;
    s.force_n = z < 0 ? (float)(-z * 0.8) : 0.0f;
    s.buttons = buttons;
    return s;
}

static size_t extract(const sim_sample *s, size_t n, sim_impression *out, size_t cap)
{
    sim_extractor ex;
    sim_extractor_init(&ex, &g_pad, NULL);
    size_t count = 0;
    bool done;
    sim_impression imp;
    for (size_t i = 0; i < n; i++) {
        sim_extractor_feed(&ex, &s[i], &imp, &done);
        if (done && count < cap)
            out[count++] = imp;
    }
    if (sim_extractor_finish(&ex, &imp) && count < cap)
        out[count++] = imp;
    return count;
}

static void one_vertical_poke(void **state)
{
    (void)state;
    const uint32_t M = SIM_BUTTON_MACHINE;
    sim_sample s[] = {
        at(0, 30, 40, 1.0, M), at(1, 30, 40, 0.2, M), at(2, 30, 40, -0.3, M),
        at(3, 30, 40, -0.8, M), at(4, 30, 40, -0.8, M), at(5, 30, 40, -0.5, M),
        at(6, 30, 40, 0.4, M), at(7, 30, 40, 1.0, 0),
    };
    sim_impression imp[4];
    assert_int_equal(extract(s, 8, imp, 4), 1);
    assert_true(fabs(imp[0].depth_mm - 0.8) < 1e-6);
    assert_true(fabs(imp[0].surface_mm.x - 30) < 1e-5);
    assert_true(fabs(imp[0].surface_mm.y - 40) < 1e-5);
    assert_true(fabs(imp[0].surface_mm.z) < 1e-12);
    assert_true(fabs(imp[0].chart_mm.x - 30) < 1e-5);
    assert_true(imp[0].angle_rad < 1e-6);
    assert_true(fabs(imp[0].dwell_s - 0.003) < 1e-9);   /* samples 2..5 below */
    assert_true(fabs(imp[0].peak_force_n - 0.64) < 1e-5);
    assert_true(imp[0].drag_mm < 1e-5);
    assert_int_equal(imp[0].t_start_us, 2000);
}

static void machine_off_leaves_nothing(void **state)
{
    (void)state;
    sim_sample s[] = {at(0, 30, 40, 1.0, 0), at(1, 30, 40, -0.8, 0), at(2, 30, 40, 1.0, 0)};
    sim_impression imp[2];
    assert_int_equal(extract(s, 3, imp, 2), 0);
}

static void machine_stopping_in_skin_ends_the_impression(void **state)
{
    (void)state;
    const uint32_t M = SIM_BUTTON_MACHINE;
    sim_sample s[] = {at(0, 10, 10, -0.5, M), at(1, 10, 10, -0.9, 0), at(2, 10, 10, -1.5, 0),
                      at(3, 10, 10, -1.5, M), at(4, 10, 10, 0.5, M)};
    sim_impression imp[4];
    /* first: 0.5 mm while running; the machine stops (no ink), restarts
     * deeper: a second impression at 1.5 mm */
    assert_int_equal(extract(s, 5, imp, 4), 2);
    assert_true(fabs(imp[0].depth_mm - 0.5) < 1e-6);
    assert_true(fabs(imp[1].depth_mm - 1.5) < 1e-6);
}

static void entry_is_where_the_needle_crossed(void **state)
{
    (void)state;
    const uint32_t M = SIM_BUTTON_MACHINE;
    /* slanted approach: crosses z = 0 at x = 21 */
    sim_sample s[] = {at(0, 20, 10, 1.0, M), at(1, 22, 10, -1.0, M), at(2, 22, 10, 1.0, M)};
    sim_impression imp[2];
    assert_int_equal(extract(s, 3, imp, 2), 1);
    assert_true(fabs(imp[0].surface_mm.x - 21.0) < 1e-5);
    assert_true(fabs(imp[0].drag_mm - 1.0) < 1e-5);   /* the tip moved 1 mm sideways */
}

static void tilt_and_drag(void **state)
{
    (void)state;
    const uint32_t M = SIM_BUTTON_MACHINE;
    sim_sample s[] = {at(0, 50, 50, 0.5, M), at(1, 50, 50, -0.7, M), at(2, 50.3, 50.4, -0.7, M),
                      at(3, 50.3, 50.4, 0.5, M)};
    double tilt = sim_rad(30);
    for (int i = 0; i < 4; i++) {
        s[i].axis[0] = (float)sin(tilt);
        s[i].axis[2] = (float)cos(tilt);
    }
    sim_impression imp[2];
    assert_int_equal(extract(s, 4, imp, 2), 1);
    assert_true(fabs(sim_deg(imp[0].angle_rad) - 30.0) < 1e-4);
    assert_true(fabs(imp[0].drag_mm - 0.5) < 1e-5);
}

static void beside_the_pad_is_not_skin(void **state)
{
    (void)state;
    const uint32_t M = SIM_BUTTON_MACHINE;
    sim_sample s[] = {at(0, -5, 10, 1.0, M), at(1, -5, 10, -1.0, M), at(2, 105, 10, -1.0, M)};
    sim_impression imp[2];
    assert_int_equal(extract(s, 3, imp, 2), 0);
}

static void scripted_strokes_on_the_head(void **state)
{
    (void)state;
    sim_surface head;
    sim_surface_desc d = {.kind = SIM_SURFACE_HEAD, .head = {.face_cells = 48}};
    assert_int_equal(sim_surface_init(&head, &d, NULL), SIM_OK);
    hap_stroke strokes[] = {
        {.chart_mm = {0, 40}, .depth_mm = 0.8},
        {.chart_mm = {20, 50}, .depth_mm = 0.3},
        {.chart_mm = {-30, 60}, .depth_mm = 2.2, .tilt_rad = sim_rad(20)},
        {.chart_mm = {10, -60}, .depth_mm = 1.0, .drag_chart_mm = {1.0, 0}},
    };
    hap_script script;
    hap_script_init(&script, &head, NULL, strokes, 4);
    sim_trace trace;
    sim_trace_init(&trace);
    sim_sample s;
    while (hap_script_next(&script, &s))
        assert_int_equal(sim_trace_push(&trace, &s), SIM_OK);
    sim_impression_list list;
    sim_impression_list_init(&list);
    assert_int_equal(sim_impressions_from_trace(&head, &trace, NULL, &list), SIM_OK);
    assert_int_equal(list.count, 4);
    for (size_t i = 0; i < 4; i++) {
        /* the entry lands on the planned chart point; float samples of a
         * ~130 mm position resolve ~0.01 um */
        double du = list.items[i].chart_mm.x - strokes[i].chart_mm.x;
        double dv = list.items[i].chart_mm.y - strokes[i].chart_mm.y;
        assert_true(sqrt(du * du + dv * dv) < 0.05);
        /* straight strokes hit their depth within 2 um; a tilted or
         * dragged needle on the curved scalp within 30 um */
        double tol = i < 2 ? 0.002 : 0.03;
        assert_true(fabs(list.items[i].depth_mm - strokes[i].depth_mm) < tol);
    }
    /* the normal under the deepest point turns a little on the curved scalp */
    assert_true(fabs(sim_deg(list.items[2].angle_rad) - 20.0) < 1.0);
    assert_true(list.items[3].drag_mm > 0.9 && list.items[3].drag_mm < 1.1);
    sim_impression_list_deinit(&list);
    sim_trace_deinit(&trace);
    sim_surface_deinit(&head);
}

static void needle_names(void **state)
{
    (void)state;
    assert_int_equal(sim_needle_find("0603RL"), 0);
    assert_int_equal(sim_needle_find("0603"), 0);
    assert_int_equal(sim_needle_find("0801rl"), 2);
    assert_int_equal(sim_needle_find("0909RL"), -1);
    assert_int_equal(sim_needle_find(""), -1);
    /* a 3RL group of 0.20 mm needles spans ~0.43 mm */
    assert_true(fabs(sim_needle_get(0)->group_diameter_mm - 0.431) < 0.001);
}


/* Sample times come from the trace file: any int64. An impression spanning
 * the whole range must give a finite dwell, not a signed overflow (UBSan
 * aborts the test on one). */
static void extreme_sample_times_give_a_finite_dwell(void **state)
{
    (void)state;
    const uint32_t M = SIM_BUTTON_MACHINE;
    sim_sample s[] = {at(0, 30, 40, -0.8, M), at(0, 30, 40, -0.8, M), at(0, 30, 40, 1.0, M)};
    s[0].t_us = INT64_MIN;
    s[1].t_us = INT64_MAX;
    s[2].t_us = INT64_MAX;
    sim_impression imp[2];
    assert_int_equal(extract(s, 3, imp, 2), 1);
    assert_true(isfinite(imp[0].dwell_s));
    assert_true(fabs(imp[0].dwell_s - 18446744073709.551615) < 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_vertical_poke),
        cmocka_unit_test(machine_off_leaves_nothing),
        cmocka_unit_test(machine_stopping_in_skin_ends_the_impression),
        cmocka_unit_test(entry_is_where_the_needle_crossed),
        cmocka_unit_test(tilt_and_drag),
        cmocka_unit_test(beside_the_pad_is_not_skin),
        cmocka_unit_test(scripted_strokes_on_the_head),
        cmocka_unit_test(needle_names),
        cmocka_unit_test(extreme_sample_times_give_a_finite_dwell),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
