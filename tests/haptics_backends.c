/* haptics_backends.c: the device API's common layer and the backends with
 * no hardware: the virtual stylus (scripted with hap_script, physical with
 * a hand spring), trace replay, and the mouse. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "hap_mouse.h"
#include "hap_replay.h"
#include "hap_servo.h"
#include "hap_virtual.h"

static sim_surface g_pad;

static int setup(void **state)
{
    (void)state;
    sim_surface_desc d = {.kind = SIM_SURFACE_PAD, .width_mm = 100, .height_mm = 100};
    return sim_surface_init(&g_pad, &d, NULL) == SIM_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sim_surface_deinit(&g_pad);
    return 0;
}

static void test_result_names(void **state)
{
    (void)state;
    assert_string_equal(hap_result_name(HAP_ERR_BUSY), "HAP_ERR_BUSY");
    assert_string_equal(hap_result_message(HAP_ERR_NO_DEVICE), "the device was disconnected");
    assert_string_equal(hap_result_name((hap_result)999), "HAP_UNKNOWN");
    assert_string_equal(hap_result_message((hap_result)-1), "unknown result");
    assert_string_equal(hap_backend_name(HAP_BACKEND_FALCON), "falcon");
    assert_string_equal(hap_fault_name(HAP_FAULT_DEVICE_LOST), "device disconnected");
}

static void test_clamp_norm(void **state)
{
    (void)state;
    sim_vec3 v = hap_clamp_norm(sim_v3(3, 4, 0), 2.5);
    assert_true(fabs(v.x - 1.5) < 1e-12 && fabs(v.y - 2.0) < 1e-12);
    v = hap_clamp_norm(sim_v3(NAN, 1, INFINITY), 10);
    assert_true(v.x == 0 && v.y == 1 && v.z == 0);
    v = hap_clamp_norm(sim_v3(1, 1, 1), 0);
    assert_true(sim_v3_len(v) == 0);
}

static void test_device_common(void **state)
{
    (void)state;
    hap_device dev;
    memset(&dev, 0, sizeof dev);
    hap_state st;
    assert_false(hap_device_is_open(&dev));
    assert_int_equal(hap_device_read(&dev, 0, &st), HAP_ERR_ARG);
    sim_error err;
    assert_int_equal(hap_device_home(&dev, 1, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "homing: the device is not open");
    hap_device_close(&dev);   /* not open: fine */

    hap_virtual_desc vd;
    memset(&vd, 0, sizeof vd);
    vd.hold_mm = sim_v3(1, 2, 3);
    vd.max_force_n = 2.0;
    assert_int_equal(hap_virtual_open(&dev, &vd, NULL), HAP_OK);
    hap_device_info info;
    assert_int_equal(hap_device_info_get(&dev, &info), HAP_OK);
    assert_int_equal(info.backend, HAP_BACKEND_VIRTUAL);
    assert_true(info.max_force_n == 2.0 && info.max_stiffness_n_per_mm == 3.0);
    /* forces start disabled: zero goes out */
    assert_int_equal(hap_device_set_force(&dev, sim_v3(0, 0, 1)), HAP_OK);
    assert_true(sim_v3_len(hap_virtual_last_force(&dev)) == 0);
    hap_device_enable_forces(&dev, true);
    hap_device_set_force(&dev, sim_v3(0, 0, 5));
    assert_true(hap_virtual_last_force(&dev).z == 2.0);   /* clamped */
    hap_device_enable_forces(&dev, false);                 /* zero at once */
    assert_true(sim_v3_len(hap_virtual_last_force(&dev)) == 0);
    /* reads: sequence numbers, timestamps, velocity from differences */
    assert_int_equal(hap_device_read(&dev, 0, &st), HAP_OK);
    assert_int_equal(st.seq, 1);
    assert_true(st.tip_mm.x == 1 && st.homed);
    assert_int_equal(hap_device_read(&dev, 1000, &st), HAP_OK);
    assert_int_equal(st.seq, 2);
    assert_int_equal(st.t_us, 1000);
    assert_true(sim_v3_len(st.velocity_mm_s) == 0);
    hap_device_close(&dev);
    hap_device_close(&dev);   /* idempotent */
    assert_false(hap_device_is_open(&dev));
    vd.hand_mass_kg = -1;
    assert_int_equal(hap_virtual_open(&dev, &vd, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "virtual stylus: masses, gains and limits must be positive");
}

/* A target moving at constant speed: the velocity estimate converges. */
static bool ramp_target(void *ctx, int64_t t_us, hap_virtual_target *out)
{
    (void)ctx;
    memset(out, 0, sizeof *out);
    out->tip_mm = sim_v3(20.0 * (double)t_us * 1e-6, 0, 0);   /* 20 mm/s */
    return t_us < 2000000;
}

static void test_velocity_filter_and_end(void **state)
{
    (void)state;
    hap_virtual_desc vd;
    memset(&vd, 0, sizeof vd);
    vd.target = ramp_target;
    hap_device dev;
    assert_int_equal(hap_virtual_open(&dev, &vd, NULL), HAP_OK);
    hap_state st;
    for (int64_t t = 0; t < 500000; t += 1000)
        assert_int_equal(hap_device_read(&dev, t, &st), HAP_OK);
    assert_true(fabs(st.velocity_mm_s.x - 20.0) < 1e-6);
    assert_int_equal(hap_device_read(&dev, 2000000, &st), HAP_ERR_ENDED);
    sim_error err;
    assert_int_equal(hap_device_last_error(&dev, &err), HAP_ERR_ENDED);
    assert_non_null(strstr(err.message, "following the stylus target"));
    hap_device_close(&dev);
}

static void test_virtual_scripted(void **state)
{
    (void)state;
    hap_stroke strokes[2];
    memset(strokes, 0, sizeof strokes);
    strokes[0].chart_mm = sim_v2(40, 40);
    strokes[0].depth_mm = 0.8;
    strokes[1].chart_mm = sim_v2(60, 40);
    strokes[1].depth_mm = 1.0;
    hap_script script;
    hap_script_desc sd;
    memset(&sd, 0, sizeof sd);
    hap_script_init(&script, &g_pad, &sd, strokes, 2);
    hap_virtual_desc vd;
    memset(&vd, 0, sizeof vd);
    vd.script = &script;
    hap_device dev;
    assert_int_equal(hap_virtual_open(&dev, &vd, NULL), HAP_OK);
    hap_device_info info;
    hap_device_info_get(&dev, &info);
    assert_true(info.surface_frame);
    /* follow the script at 1 kHz: the tip reaches both depths */
    double deepest[2] = {0, 0};
    hap_state st;
    int64_t t = 0;
    hap_result r;
    while ((r = hap_device_read(&dev, t, &st)) == HAP_OK) {
        int k = st.tip_mm.x < 50 ? 0 : 1;
        if (-st.tip_mm.z > deepest[k])
            deepest[k] = -st.tip_mm.z;
        if (-st.tip_mm.z > 0.05)
            assert_true(st.buttons & SIM_BUTTON_MACHINE);
        t += 1000;
        assert_true(t < 60000000);
    }
    assert_int_equal(r, HAP_ERR_ENDED);
    assert_true(fabs(deepest[0] - 0.8) < 1e-3);
    assert_true(fabs(deepest[1] - 1.0) < 1e-3);
    hap_device_close(&dev);

    /* looped, at half the script's rate: never ends, time keeps going */
    hap_script_init(&script, &g_pad, &sd, strokes, 1);
    vd.loop_script = true;
    assert_int_equal(hap_virtual_open(&dev, &vd, NULL), HAP_OK);
    int dives = 0;
    bool down = false;
    for (t = 0; t < 20000000; t += 2000) {
        assert_int_equal(hap_device_read(&dev, t, &st), HAP_OK);
        if (!down && -st.tip_mm.z > 0.7) {
            dives++;
            down = true;
        } else if (down && st.tip_mm.z > 0) {
            down = false;
        }
    }
    assert_true(dives >= 3);
    hap_device_close(&dev);
}

/* The physical hand pressing into the pad through the servo: the puncture
 * pop lets the needle jump in, then tissue resistance holds it. */
static bool press_target(void *ctx, int64_t t_us, hap_virtual_target *out)
{
    (void)ctx;
    memset(out, 0, sizeof *out);
    double t = (double)t_us * 1e-6;
    out->tip_mm = sim_v3(50, 50, 1.0 - 4.0 * t);   /* 4 mm/s down from 1 mm up */
    out->axis = sim_v3(0, 0, 1);
    out->buttons = SIM_BUTTON_MACHINE;
    return t < 0.6;
}

typedef struct fake_clock { int64_t now; } fake_clock;
static int64_t fk_now(void *c) { return ((fake_clock *)c)->now; }
static void fk_sleep(void *c, int64_t d) { ((fake_clock *)c)->now = d; }

static void test_virtual_physical_pop(void **state)
{
    (void)state;
    hap_virtual_desc vd;
    memset(&vd, 0, sizeof vd);
    vd.mode = HAP_VIRTUAL_PHYSICAL;
    vd.target = press_target;
    hap_device dev;
    assert_int_equal(hap_virtual_open(&dev, &vd, NULL), HAP_OK);
    fake_clock clk = {0};
    hap_servo_desc d;
    memset(&d, 0, sizeof d);
    d.clock = (hap_clock){fk_now, fk_sleep, &clk};
    d.model_timeout_s = -1;
    d.ramp_s = -1;
    d.params.surface = &g_pad;
    d.params.forces_enabled = true;
    d.params.force.vibration_n = -1;
    d.params.force.vibration_air_n = -1;
    hap_servo s;
    assert_int_equal(hap_servo_init(&s, &d, NULL), HAP_OK);
    double max_surface_depth = 0, depth_at_pop = -1;
    uint32_t punctures = 0;
    while (hap_servo_run_ticks(&s, &dev, 1)) {
        hap_servo_status st;
        hap_servo_status_get(&s, &st);
        if (st.contact.phase == HAP_CONTACT_SURFACE && st.contact.depth_mm > max_surface_depth)
            max_surface_depth = st.contact.depth_mm;
        if (st.contact.popped)
            depth_at_pop = st.contact.depth_mm;
        punctures = st.contact.punctures;
    }
    hap_servo_info info;
    hap_servo_info_get(&s, &info);
    assert_int_equal(info.fault, HAP_FAULT_ENDED);
    assert_int_equal(punctures, 1);
    /* the skin held the needle until 0.35 N: about 0.23 mm of dimple (the
     * hand spring lags its target, so the tip got there later) */
    assert_true(depth_at_pop > 0.2 && depth_at_pop < 0.3);
    assert_true(max_surface_depth < 0.3);
    hap_servo_deinit(&s);
    hap_device_close(&dev);
}

static void test_replay(void **state)
{
    (void)state;
    sim_trace tr;
    sim_trace_init(&tr);
    tr.header.sample_rate_hz = 1000;
    for (int i = 0; i < 5; i++) {
        sim_sample smp;
        memset(&smp, 0, sizeof smp);
        smp.t_us = 100000 + i * 1000;
        smp.tip_mm[0] = (float)i;
        smp.axis[2] = 1;
        smp.buttons = (uint32_t)i;
        assert_int_equal(sim_trace_push(&tr, &smp), SIM_OK);
    }
    hap_replay_desc rd = {.trace = &tr};
    hap_device dev;
    assert_int_equal(hap_replay_open(&dev, &rd, NULL), HAP_OK);
    hap_state st;
    assert_int_equal(hap_device_read(&dev, 0, &st), HAP_OK);
    assert_true(st.tip_mm.x == 0);
    assert_int_equal(hap_device_read(&dev, 2500, &st), HAP_OK);
    assert_true(st.tip_mm.x == 2 && st.buttons == 2 && st.axis_sensed);
    assert_int_equal(hap_device_read(&dev, 4000, &st), HAP_OK);
    assert_true(st.tip_mm.x == 4);
    assert_int_equal(hap_device_read(&dev, 4001, &st), HAP_ERR_ENDED);
    hap_device_close(&dev);
    /* twice as fast, looping */
    rd.speed = 2.0;
    rd.loop = true;
    assert_int_equal(hap_replay_open(&dev, &rd, NULL), HAP_OK);
    assert_int_equal(hap_device_read(&dev, 1000, &st), HAP_OK);
    assert_true(st.tip_mm.x == 2);
    assert_int_equal(hap_device_read(&dev, 3000, &st), HAP_OK);   /* 6 ms: past the end */
    assert_true(st.tip_mm.x == 0 || st.tip_mm.x == 1);
    hap_device_close(&dev);
    /* bad input */
    sim_error err;
    rd.speed = -1;
    assert_int_equal(hap_replay_open(&dev, &rd, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "replay: speed -1 is not in [0.001, 1000]");
    rd.speed = 1;
    tr.samples[3].t_us = 0;
    assert_int_equal(hap_replay_open(&dev, &rd, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "replay: sample 3 goes back in time");
    sim_trace empty;
    sim_trace_init(&empty);
    rd.trace = &empty;
    assert_int_equal(hap_replay_open(&dev, &rd, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "replay: the trace has no samples");
    /* times from a file: a span the playback arithmetic cannot hold is
     * refused (UBSan aborts here on an int64 overflow) */
    rd.trace = &tr;
    tr.samples[0].t_us = INT64_MIN;
    for (size_t i = 1; i < tr.count; i++)
        tr.samples[i].t_us = INT64_MAX;
    assert_int_equal(hap_replay_open(&dev, &rd, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "replay: the trace's times span more than 30 years");
    /* so is a speed too slow to reach the end in a lifetime */
    for (size_t i = 0; i < tr.count; i++)
        tr.samples[i].t_us = (int64_t)i * 1000;
    rd.speed = 1e-9;
    assert_int_equal(hap_replay_open(&dev, &rd, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "replay: speed 1e-09 is not in [0.001, 1000]");
    sim_trace_deinit(&tr);
}

static void test_mouse(void **state)
{
    (void)state;
    hap_device dev;
    assert_int_equal(hap_mouse_open(&dev, NULL, NULL), HAP_OK);
    hap_state st;
    assert_int_equal(hap_device_read(&dev, 0, &st), HAP_OK);   /* nothing fed yet: hovering */
    assert_true(st.tip_mm.z == 5.0);
    hap_mouse_input in;
    memset(&in, 0, sizeof in);
    in.valid = true;
    in.point_mm = sim_v3(30, 40, 0);
    in.normal = sim_v3(0, 0, 2);        /* normalised by the device */
    in.depth_mm = 0.9;
    in.buttons = SIM_BUTTON_MACHINE;
    hap_mouse_feed(&dev, &in);
    assert_int_equal(hap_device_read(&dev, 1000, &st), HAP_OK);
    assert_true(st.tip_mm.x == 30 && st.tip_mm.y == 40 && fabs(st.tip_mm.z + 0.9) < 1e-12);
    assert_true(st.buttons == SIM_BUTTON_MACHINE && st.axis.z == 1);
    /* tilted needle */
    in.axis = sim_v3(1, 0, 1);
    hap_mouse_feed(&dev, &in);
    hap_device_read(&dev, 2000, &st);
    assert_true(fabs(st.tip_mm.x - (30 - 0.9 / sqrt(2))) < 1e-12);
    /* off the skin: lifts above the last point */
    in.valid = false;
    hap_mouse_feed(&dev, &in);
    hap_device_read(&dev, 3000, &st);
    assert_true(st.tip_mm.x == 30 && st.tip_mm.z == 5.0);
    /* garbage is not followed */
    in.valid = true;
    in.depth_mm = NAN;
    hap_mouse_feed(&dev, &in);
    hap_device_read(&dev, 4000, &st);
    assert_true(st.tip_mm.z == 5.0);
    hap_device_close(&dev);
    hap_mouse_feed(&dev, &in);   /* closed: ignored */
    sim_error err;
    hap_mouse_desc md = {.hover_mm = -2};
    assert_int_equal(hap_mouse_open(&dev, &md, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "mouse: hover height -2 mm is not in (0, 1000)");
}

/* Every allocation failing in turn: the opener reports out of memory,
 * leaves the device closed, and leaks nothing (ASan checks). */
static void test_out_of_memory(void **state)
{
    (void)state;
    sim_trace tr;
    sim_trace_init(&tr);
    sim_sample smp;
    memset(&smp, 0, sizeof smp);
    assert_int_equal(sim_trace_push(&tr, &smp), SIM_OK);
    for (int which = 0; which < 3; which++) {
        bool opened = false;
        for (long n = 0; n < 20 && !opened; n++) {
            hap_device dev;
            sim_error err;
            sim_alloc_fail_after(n);
            hap_result r;
            if (which == 0) {
                hap_virtual_desc vd;
                memset(&vd, 0, sizeof vd);
                r = hap_virtual_open(&dev, &vd, &err);
            } else if (which == 1) {
                r = hap_mouse_open(&dev, NULL, &err);
            } else {
                hap_replay_desc rd = {.trace = &tr};
                r = hap_replay_open(&dev, &rd, &err);
            }
            sim_alloc_fail_after(-1);
            if (r == HAP_OK) {
                opened = true;
                hap_device_close(&dev);
            } else {
                assert_int_equal(r, HAP_ERR_NOMEM);
                assert_false(hap_device_is_open(&dev));
            }
        }
        assert_true(opened);
    }
    /* and the servo */
    bool made = false;
    for (long n = 0; n < 20 && !made; n++) {
        hap_servo s;
        sim_alloc_fail_after(n);
        hap_result r = hap_servo_init(&s, NULL, NULL);
        sim_alloc_fail_after(-1);
        if (r == HAP_OK) {
            made = true;
            hap_servo_deinit(&s);
        } else {
            assert_int_equal(r, HAP_ERR_NOMEM);
        }
    }
    assert_true(made);
    sim_trace_deinit(&tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_result_names),
        cmocka_unit_test(test_clamp_norm),
        cmocka_unit_test(test_device_common),
        cmocka_unit_test(test_velocity_filter_and_end),
        cmocka_unit_test(test_virtual_scripted),
        cmocka_unit_test(test_virtual_physical_pop),
        cmocka_unit_test(test_replay),
        cmocka_unit_test(test_mouse),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
