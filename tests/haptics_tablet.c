/* haptics_tablet.c: the pen tablet's event handling without a device:
 * events -> pen state -> stylus state (position in mm, pressure -> depth,
 * tilt -> axis, buttons), and the chart mode that lays the tablet over the
 * head's chart. (The device itself runs under umockdev in
 * haptics_emulated.c.) */
#include "test_util.h"

#include <linux/input.h>
#include <math.h>
#include <string.h>

#include "hap_tablet.h"
#include "sim_trace.h"

static const hap_tablet_axes AXES = {
    .x_min = 0, .x_max = 15200, .y_min = 0, .y_max = 9500, .x_res = 100, .y_res = 100,
    .p_min = 0, .p_max = 2047, .has_tilt = true, .tilt_res = 57.29577951308232,
};

static void feed(hap_tablet_pen *pen, uint16_t t, uint16_t c, int32_t v)
{
    hap_tablet_pen_event(pen, t, c, v);
}

static void test_position_pressure_buttons(void **state)
{
    (void)state;
    hap_tablet_desc d = hap_tablet_desc_resolve((hap_tablet_desc){0});
    assert_true(d.max_depth_mm == 2.5 && d.hover_mm == 3.0 && d.button_map[0] == SIM_BUTTON_MACHINE);
    hap_tablet_pen pen;
    memset(&pen, 0, sizeof pen);
    feed(&pen, EV_KEY, BTN_TOOL_PEN, 1);
    feed(&pen, EV_ABS, ABS_X, 5000);
    feed(&pen, EV_ABS, ABS_Y, 1500);
    feed(&pen, EV_SYN, SYN_REPORT, 0);
    assert_int_equal(pen.reports, 1);
    hap_state st;
    memset(&st, 0, sizeof st);
    assert_true(hap_tablet_pen_state(&pen, &AXES, &d, &st));
    /* 50 mm right; y counted from the far edge: (9500 - 1500) / 100 = 80 mm */
    assert_true(st.tip_mm.x == 50.0 && st.tip_mm.y == 80.0 && st.tip_mm.z == 3.0);
    /* touching lightly (under the threshold): on the surface */
    feed(&pen, EV_KEY, BTN_TOUCH, 1);
    feed(&pen, EV_ABS, ABS_PRESSURE, 20);
    hap_tablet_pen_state(&pen, &AXES, &d, &st);
    assert_true(st.tip_mm.z == 0.0);
    /* half pressure: (0.5 - 0.02) / 0.98 of 2.5 mm */
    feed(&pen, EV_ABS, ABS_PRESSURE, 2047 / 2);
    hap_tablet_pen_state(&pen, &AXES, &d, &st);
    double p = (2047 / 2) / 2047.0;
    assert_true(fabs(-st.tip_mm.z - 2.5 * (p - 0.02) / 0.98) < 1e-12);
    assert_true(fabs(st.pressure - p) < 1e-12);
    /* full pressure, gamma 2 */
    feed(&pen, EV_ABS, ABS_PRESSURE, 2047);
    d.pressure_gamma = 2.0;
    hap_tablet_pen_state(&pen, &AXES, &d, &st);
    assert_true(fabs(st.tip_mm.z + 2.5) < 1e-12);
    /* buttons */
    feed(&pen, EV_KEY, BTN_STYLUS, 1);
    feed(&pen, EV_KEY, BTN_STYLUS2, 1);
    hap_tablet_pen_state(&pen, &AXES, &d, &st);
    assert_int_equal(st.buttons, SIM_BUTTON_MACHINE | SIM_BUTTON_AUX);
    feed(&pen, EV_KEY, BTN_STYLUS, 0);
    hap_tablet_pen_state(&pen, &AXES, &d, &st);
    assert_int_equal(st.buttons, SIM_BUTTON_AUX);
    /* lifted: hovers */
    feed(&pen, EV_KEY, BTN_TOUCH, 0);
    hap_tablet_pen_state(&pen, &AXES, &d, &st);
    assert_true(st.tip_mm.z == 3.0);
    assert_true(st.homed);
}

static void test_tilt(void **state)
{
    (void)state;
    hap_tablet_desc d = hap_tablet_desc_resolve((hap_tablet_desc){0});
    hap_tablet_pen pen;
    memset(&pen, 0, sizeof pen);
    hap_state st;
    memset(&st, 0, sizeof st);
    hap_tablet_pen_state(&pen, &AXES, &d, &st);
    assert_true(st.axis.z == 1.0 && st.axis_sensed);
    /* 30 degrees to the right (tilt_res is units per radian: degrees here) */
    feed(&pen, EV_ABS, ABS_TILT_X, 30);
    hap_tablet_pen_state(&pen, &AXES, &d, &st);
    assert_true(fabs(st.axis.x - sin(sim_rad(30))) < 1e-9 && fabs(st.axis.z - cos(sim_rad(30))) < 1e-9);
    /* leaning toward the user (+tilt_y) points the grip to -y */
    feed(&pen, EV_ABS, ABS_TILT_X, 0);
    feed(&pen, EV_ABS, ABS_TILT_Y, 20);
    hap_tablet_pen_state(&pen, &AXES, &d, &st);
    assert_true(st.axis.y < 0 && fabs(st.axis.y + sin(sim_rad(20))) < 1e-9);
    /* no tilt axes: straight up, not sensed */
    hap_tablet_axes flat = AXES;
    flat.has_tilt = false;
    hap_tablet_pen_state(&pen, &flat, &d, &st);
    assert_true(st.axis.z == 1.0 && !st.axis_sensed);
    /* no resolution from the kernel: 100 units a mm is assumed */
    flat.x_res = flat.y_res = 0;
    feed(&pen, EV_ABS, ABS_X, 250);
    hap_tablet_pen_state(&pen, &flat, &d, &st);
    assert_true(st.tip_mm.x == 2.5);
}

static void test_chart_mode(void **state)
{
    (void)state;
    sim_surface pad;
    sim_surface_desc sd = {.kind = SIM_SURFACE_PAD, .width_mm = 100, .height_mm = 100};
    assert_int_equal(sim_surface_init(&pad, &sd, NULL), SIM_OK);
    hap_tablet_desc d = hap_tablet_desc_resolve((hap_tablet_desc){.surface = &pad, .chart_scale = 0.5});
    hap_tablet_pen pen;
    memset(&pen, 0, sizeof pen);
    /* the tablet's centre (76, 47.5 mm) + (40, 20) mm -> chart (20, 10) */
    feed(&pen, EV_ABS, ABS_X, 7600 + 4000);
    feed(&pen, EV_ABS, ABS_Y, 4750 - 2000);
    feed(&pen, EV_KEY, BTN_TOUCH, 1);
    feed(&pen, EV_ABS, ABS_PRESSURE, 2047);
    hap_state st;
    memset(&st, 0, sizeof st);
    assert_true(hap_tablet_pen_state(&pen, &AXES, &d, &st));
    assert_true(fabs(st.tip_mm.x - 20) < 1e-9 && fabs(st.tip_mm.y - 10) < 1e-9);
    assert_true(fabs(st.tip_mm.z + 2.5) < 1e-9);
    assert_true(st.axis.z == 1.0 && !st.axis_sensed);
    /* off the chart (the pad's chart is the pad): not mapped */
    feed(&pen, EV_ABS, ABS_X, 0);
    assert_false(hap_tablet_pen_state(&pen, &AXES, &d, &st));
    sim_surface_deinit(&pad);
}

static void test_open_errors(void **state)
{
    (void)state;
    hap_device dev;
    sim_error err;
    hap_tablet_desc d = {.path = "/nonexistent/event99"};
    assert_int_equal(hap_tablet_open(&dev, &d, &err), HAP_ERR_NOT_FOUND);
    assert_string_equal(err.file, "/nonexistent/event99");
    assert_string_equal(err.message, "cannot open: No such file or directory");
    d.path = "/dev/null";
    assert_int_equal(hap_tablet_open(&dev, &d, &err), HAP_ERR_IO);
    d.max_depth_mm = -1;
    assert_int_equal(hap_tablet_open(&dev, &d, &err), HAP_ERR_ARG);
}


/* The axes' ranges come from the kernel (a device's absinfo): a device
 * that reports the full int32 range, with the pen at the far end, must
 * give finite millimetres and a clamped pressure (no int32 overflow in the
 * differences: UBSan aborts the test if one happens). */
static void test_extreme_device_ranges(void **state)
{
    (void)state;
    hap_tablet_axes wide = {
        .x_min = INT32_MIN, .x_max = INT32_MAX, .y_min = INT32_MIN, .y_max = INT32_MAX,
        .x_res = 0, .y_res = 0, .p_min = INT32_MIN, .p_max = INT32_MAX,
    };
    hap_tablet_desc d = hap_tablet_desc_resolve((hap_tablet_desc){0});
    hap_tablet_pen pen;
    memset(&pen, 0, sizeof pen);
    feed(&pen, EV_ABS, ABS_X, INT32_MAX);
    feed(&pen, EV_ABS, ABS_Y, INT32_MIN);
    feed(&pen, EV_KEY, BTN_TOUCH, 1);
    feed(&pen, EV_ABS, ABS_PRESSURE, INT32_MAX);
    hap_state st;
    memset(&st, 0, sizeof st);
    assert_true(hap_tablet_pen_state(&pen, &wide, &d, &st));
    /* (2^32 - 1) counts at the default 100 per mm */
    assert_true(fabs(st.tip_mm.x - 4294967295.0 / 100.0) < 1e-3);
    assert_true(fabs(st.tip_mm.y - 4294967295.0 / 100.0) < 1e-3);
    assert_true(st.pressure == 1.0);
    assert_true(fabs(st.tip_mm.z + d.max_depth_mm) < 1e-12);
    /* and at the low end */
    feed(&pen, EV_ABS, ABS_PRESSURE, INT32_MIN);
    assert_true(hap_tablet_pen_state(&pen, &wide, &d, &st));
    assert_true(st.pressure == 0.0 && st.tip_mm.z == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_position_pressure_buttons),
        cmocka_unit_test(test_tilt),
        cmocka_unit_test(test_chart_mode),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_extreme_device_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
