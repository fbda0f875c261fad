/* haptics_servo.c: the servo loop on the virtual stylus with an injected
 * clock: deadlines and jitter, forces clamped to the device's limits, the
 * watchdog (stall, device error, unplug, stale model) zeroing forces first,
 * ramp-in and rate limiting, a ring that never blocks, calibration applied
 * to samples; and the real thread started and stopped (no timing
 * asserted). */
#include "test_util.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "hap_servo.h"
#include "hap_virtual.h"

/* ------------------------------------------------------------------------ */
/* A fake clock: sleeping jumps to the deadline plus an injected delay.     */
/* ------------------------------------------------------------------------ */

typedef struct fake_clock {
    int64_t now;
    int64_t late_ns;        /* every wake-up comes this late */
    int64_t late_once_ns;   /* the next wake-up only */
    int64_t eval_ns;        /* each now_ns call advances time this much */
} fake_clock;

static int64_t fake_now(void *ctx)
{
    fake_clock *c = ctx;
    int64_t t = c->now;
    c->now += c->eval_ns;
    return t;
}

static void fake_sleep(void *ctx, int64_t deadline)
{
    fake_clock *c = ctx;
    if (c->now < deadline)
        c->now = deadline;
    c->now += c->late_ns + c->late_once_ns;
    c->late_once_ns = 0;
}

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

/* A servo on the pad with the fake clock; ramp and heartbeat off unless the
 * test turns them on. */
static void servo_on_pad(hap_servo *s, fake_clock *clk, hap_servo_desc *d_out)
{
    memset(clk, 0, sizeof *clk);
    clk->now = 1000000000;
    hap_servo_desc d;
    memset(&d, 0, sizeof d);
    d.clock = (hap_clock){fake_now, fake_sleep, clk};
    d.ramp_s = -1;
    d.model_timeout_s = -1;
    d.max_force_rate_n_per_s = 1e9;
    d.params.surface = &g_pad;
    d.params.forces_enabled = true;
    d.params.calib = hap_calib_identity();
    d.params.force.vibration_n = -1;
    d.params.force.vibration_air_n = -1;
    d.params.force.mu_static = -1;
    if (d_out)
        d = *d_out;
    if (d_out == NULL || d.clock.now_ns == NULL)
        d.clock = (hap_clock){fake_now, fake_sleep, clk};
    assert_int_equal(hap_servo_init(s, &d, NULL), HAP_OK);
}

static void open_holding(hap_device *dev, sim_vec3 at, double max_force, double max_k)
{
    hap_virtual_desc vd;
    memset(&vd, 0, sizeof vd);
    vd.hold_mm = at;
    vd.max_force_n = max_force;
    vd.max_stiffness_n_per_mm = max_k;
    assert_int_equal(hap_virtual_open(dev, &vd, NULL), HAP_OK);
}

/* ------------------------------------------------------------------------ */

static void test_deadlines_and_jitter(void **state)
{
    (void)state;
    hap_servo s;
    fake_clock clk;
    servo_on_pad(&s, &clk, NULL);
    hap_device dev;
    open_holding(&dev, sim_v3(50, 50, 5), 0, 0);
    int64_t t0 = clk.now;
    clk.late_ns = 30000;   /* every wake-up 30 us late */
    assert_true(hap_servo_run_ticks(&s, &dev, 100));
    hap_servo_info info;
    hap_servo_info_get(&s, &info);
    assert_int_equal(info.ticks, 100);
    assert_int_equal(info.overruns, 0);
    assert_int_equal(info.fault, HAP_FAULT_NONE);
    /* the first tick is on time, 99 are 30 us late */
    assert_int_equal(info.jitter_p50_ns, 30000);
    assert_int_equal(info.jitter_max_ns, 30000);
    /* absolute deadlines: lateness does not accumulate into the period */
    assert_int_equal(clk.now - t0, 100 * 1000000 + 30000);
    sim_sample out[200];
    assert_int_equal(hap_servo_drain(&s, out, 200), 100);
    assert_int_equal(out[0].t_us, 0);
    assert_int_equal(out[1].t_us, 1030);
    assert_int_equal(out[99].t_us, 99030);
    hap_servo_finish(&s);
    hap_device_close(&dev);
    hap_servo_deinit(&s);
}

static void test_force_clamped_to_device_limit(void **state)
{
    (void)state;
    hap_servo s;
    fake_clock clk;
    servo_on_pad(&s, &clk, NULL);
    hap_device dev;
    /* 3 mm into the pad with the machine off: 1.5 N/mm * 3 = 4.5 N wanted,
     * the device takes 2 N */
    open_holding(&dev, sim_v3(50, 50, -3), 2.0, 3.0);
    assert_true(hap_servo_run_ticks(&s, &dev, 50));
    assert_true(hap_virtual_peak_force(&dev) <= 2.0 + 1e-9);
    assert_true(fabs(hap_virtual_last_force(&dev).z - 2.0) < 1e-9);
    hap_servo_finish(&s);
    hap_device_close(&dev);
    hap_servo_deinit(&s);
}

static void test_stiffness_limited(void **state)
{
    (void)state;
    hap_servo s;
    fake_clock clk;
    servo_on_pad(&s, &clk, NULL);
    hap_device dev;
    /* device limit 0.5 N/mm: 1 mm in gives 0.5 N, not the model's 1.5 N */
    open_holding(&dev, sim_v3(50, 50, -1), 8.0, 0.5);
    assert_true(hap_servo_run_ticks(&s, &dev, 10));
    assert_true(fabs(hap_virtual_last_force(&dev).z - 0.5) < 1e-9);
    hap_servo_status st;
    hap_servo_status_get(&s, &st);
    assert_int_equal(st.contact.phase, HAP_CONTACT_SURFACE);
    assert_true(fabs(st.contact.depth_mm - 1.0) < 1e-12);
    hap_servo_finish(&s);
    hap_device_close(&dev);
    hap_servo_deinit(&s);
}

static void test_stall_zeroes_force_first(void **state)
{
    (void)state;
    hap_servo s;
    fake_clock clk;
    servo_on_pad(&s, &clk, NULL);
    hap_device dev;
    open_holding(&dev, sim_v3(50, 50, -1), 0, 0);
    assert_true(hap_servo_run_ticks(&s, &dev, 10));
    assert_true(hap_virtual_last_force(&dev).z > 1.0);
    clk.late_once_ns = 5000000;   /* the next sleep lasts 5 ms too long */
    assert_true(hap_servo_run_ticks(&s, &dev, 1));   /* a tick, then the long sleep */
    hap_servo_info info;
    hap_servo_info_get(&s, &info);
    assert_int_equal(info.fault, HAP_FAULT_NONE);
    uint64_t writes = hap_virtual_force_writes(&dev);
    assert_true(hap_servo_run_ticks(&s, &dev, 1));   /* the late tick */
    hap_servo_info_get(&s, &info);
    assert_int_equal(info.fault, HAP_FAULT_STALL);
    assert_int_equal(info.overruns, 5);
    /* the stalled tick's first write was the zero */
    assert_true(hap_virtual_force_writes(&dev) > writes);
    assert_true(sim_v3_len(hap_virtual_last_force(&dev)) == 0.0);
    /* latched: stays zero */
    assert_true(hap_servo_run_ticks(&s, &dev, 20));
    assert_true(sim_v3_len(hap_virtual_last_force(&dev)) == 0.0);
    hap_servo_status st;
    hap_servo_status_get(&s, &st);
    assert_int_equal(st.fault, HAP_FAULT_STALL);
    /* cleared: forces come back */
    hap_servo_clear_fault(&s);
    assert_true(hap_servo_run_ticks(&s, &dev, 2));
    hap_servo_info_get(&s, &info);
    assert_int_equal(info.fault, HAP_FAULT_NONE);
    assert_true(hap_virtual_last_force(&dev).z > 1.0);
    hap_servo_finish(&s);
    hap_device_close(&dev);
    hap_servo_deinit(&s);
}


/* A clear requested before a stall is seen must not wipe the stall: the
 * tick that detects it latches it after taking the request, so forces stay
 * at zero until the next clear. */
static void test_clear_before_a_stall_keeps_the_stall(void **state)
{
    (void)state;
    hap_servo s;
    fake_clock clk;
    servo_on_pad(&s, &clk, NULL);
    hap_device dev;
    open_holding(&dev, sim_v3(50, 50, -1), 0, 0);
    assert_true(hap_servo_run_ticks(&s, &dev, 10));
    assert_true(hap_virtual_last_force(&dev).z > 1.0);
    clk.late_once_ns = 5000000;
    assert_true(hap_servo_run_ticks(&s, &dev, 1));   /* a tick, then the long sleep */
    hap_servo_clear_fault(&s);                       /* (clears nothing yet) */
    assert_true(hap_servo_run_ticks(&s, &dev, 1));   /* the late tick */
    hap_servo_info info;
    hap_servo_info_get(&s, &info);
    assert_int_equal(info.fault, HAP_FAULT_STALL);
    assert_true(sim_v3_len(hap_virtual_last_force(&dev)) == 0.0);
    assert_true(hap_servo_run_ticks(&s, &dev, 5));
    assert_true(sim_v3_len(hap_virtual_last_force(&dev)) == 0.0);
    hap_servo_finish(&s);
    hap_device_close(&dev);
    hap_servo_deinit(&s);
}

static void test_device_error_then_unplug(void **state)
{
    (void)state;
    hap_servo s;
    fake_clock clk;
    servo_on_pad(&s, &clk, NULL);
    hap_device dev;
    open_holding(&dev, sim_v3(50, 50, -1), 0, 0);
    assert_true(hap_servo_run_ticks(&s, &dev, 10));
    assert_true(hap_virtual_last_force(&dev).z > 1.0);
    hap_virtual_fail_next(&dev, HAP_ERR_IO);
    assert_true(hap_servo_run_ticks(&s, &dev, 5));   /* keeps running ... */
    hap_servo_info info;
    hap_servo_info_get(&s, &info);
    assert_int_equal(info.fault, HAP_FAULT_DEVICE);
    assert_int_equal(info.fault_result, HAP_ERR_IO);
    assert_int_equal(info.device_errors, 1);
    assert_true(sim_v3_len(hap_virtual_last_force(&dev)) == 0.0);   /* ... at zero */
    sim_error err;
    assert_int_equal(hap_device_last_error(&dev, &err), HAP_ERR_IO);
    assert_string_equal(err.message,
                        "reading the virtual stylus (injected): device input/output error "
                        "on virtual stylus (scripted) (code 0)");

    hap_virtual_fail_next(&dev, HAP_ERR_NO_DEVICE);
    assert_false(hap_servo_run_ticks(&s, &dev, 5));  /* the session ended */
    hap_servo_info_get(&s, &info);
    assert_int_equal(info.fault, HAP_FAULT_DEVICE_LOST);
    assert_int_equal(info.fault_result, HAP_ERR_NO_DEVICE);
    assert_true(sim_v3_len(hap_virtual_last_force(&dev)) == 0.0);
    assert_false(dev.forces_enabled);
    /* a lost device cannot be cleared back into service */
    hap_servo_clear_fault(&s);
    assert_false(hap_servo_run_ticks(&s, &dev, 1));
    hap_device_close(&dev);
    hap_servo_deinit(&s);
}

static void test_stale_model_holds_zero_until_heartbeat(void **state)
{
    (void)state;
    hap_servo s;
    fake_clock clk;
    memset(&clk, 0, sizeof clk);
    hap_servo_desc d;
    memset(&d, 0, sizeof d);
    d.model_timeout_s = 0.05;
    d.ramp_s = -1;
    d.max_force_rate_n_per_s = 1e9;
    d.params.surface = &g_pad;
    d.params.forces_enabled = true;
    d.params.force.vibration_n = -1;
    servo_on_pad(&s, &clk, &d);
    hap_device dev;
    open_holding(&dev, sim_v3(50, 50, -1), 0, 0);
    assert_true(hap_servo_run_ticks(&s, &dev, 40));
    assert_true(hap_virtual_last_force(&dev).z > 1.0);
    assert_true(hap_servo_run_ticks(&s, &dev, 20));   /* 60 ms: stale */
    assert_true(sim_v3_len(hap_virtual_last_force(&dev)) == 0.0);
    hap_servo_status st;
    hap_servo_status_get(&s, &st);
    assert_int_equal(st.fault, HAP_FAULT_MODEL_STALE);
    hap_servo_heartbeat(&s);
    assert_true(hap_servo_run_ticks(&s, &dev, 1));
    assert_true(hap_virtual_last_force(&dev).z > 1.0);
    hap_servo_info info;
    hap_servo_info_get(&s, &info);
    assert_int_equal(info.fault, HAP_FAULT_NONE);   /* never latched */
    hap_servo_finish(&s);
    hap_device_close(&dev);
    hap_servo_deinit(&s);
}

static void test_ramp_and_rate_limit(void **state)
{
    (void)state;
    hap_servo s;
    fake_clock clk;
    memset(&clk, 0, sizeof clk);
    hap_servo_desc d;
    memset(&d, 0, sizeof d);
    d.ramp_s = 0.1;
    d.model_timeout_s = -1;
    d.max_force_rate_n_per_s = 100;   /* 0.1 N per 1 ms tick */
    d.params.surface = &g_pad;
    d.params.forces_enabled = true;
    d.params.force.vibration_n = -1;
    servo_on_pad(&s, &clk, &d);
    hap_device dev;
    open_holding(&dev, sim_v3(50, 50, -1), 0, 0);   /* wants 1.5 N */
    double prev = 0;
    for (int i = 0; i < 150; i++) {
        assert_true(hap_servo_run_ticks(&s, &dev, 1));
        double f = hap_virtual_last_force(&dev).z;
        assert_true(f >= prev - 1e-12);                 /* rises monotonically */
        assert_true(f - prev <= 0.1 + 1e-9);            /* rate limit */
        assert_true(f <= 1.5 * (i * 0.001 / 0.1) + 1e-9); /* ramp */
        prev = f;
    }
    assert_true(fabs(prev - 1.5) < 1e-9);
    /* switching forces off drops to zero at once */
    hap_servo_params p = d.params;
    p.forces_enabled = false;
    assert_int_equal(hap_servo_set_params(&s, &p, NULL, NULL), HAP_OK);
    assert_true(hap_servo_run_ticks(&s, &dev, 1));
    assert_true(sim_v3_len(hap_virtual_last_force(&dev)) == 0.0);
    assert_false(dev.forces_enabled);
    hap_servo_finish(&s);
    hap_device_close(&dev);
    hap_servo_deinit(&s);
}

static void test_ring_full_never_blocks(void **state)
{
    (void)state;
    hap_servo s;
    fake_clock clk;
    memset(&clk, 0, sizeof clk);
    hap_servo_desc d;
    memset(&d, 0, sizeof d);
    d.ring_capacity = 16;
    d.model_timeout_s = -1;
    d.params.surface = &g_pad;
    servo_on_pad(&s, &clk, &d);
    hap_device dev;
    open_holding(&dev, sim_v3(50, 50, 5), 0, 0);
    assert_true(hap_servo_run_ticks(&s, &dev, 100));   /* nobody drains */
    hap_servo_info info;
    hap_servo_info_get(&s, &info);
    assert_int_equal(info.ticks, 100);
    assert_int_equal(info.samples_dropped, 84);
    sim_sample out[32];
    assert_int_equal(hap_servo_drain(&s, out, 32), 16);
    for (int i = 0; i < 16; i++)
        assert_int_equal(out[i].t_us, i * 1000);         /* the oldest kept */
    hap_servo_finish(&s);
    hap_device_close(&dev);
    hap_servo_deinit(&s);
}

static void test_calibration_maps_samples(void **state)
{
    (void)state;
    hap_servo s;
    fake_clock clk;
    servo_on_pad(&s, &clk, NULL);
    hap_servo_params p;
    memset(&p, 0, sizeof p);
    p.surface = &g_pad;
    p.forces_enabled = true;
    p.force.vibration_n = -1;
    p.calib = hap_calib_identity();
    /* device x -> surface y, device y -> surface -x; scale 2, offset */
    double rot[3][3] = {{0, -1, 0}, {1, 0, 0}, {0, 0, 1}};
    memcpy(p.calib.rot, rot, sizeof rot);
    p.calib.scale = 2.0;
    p.calib.offset_mm = sim_v3(50, 50, 0);
    p.buttons_or = SIM_BUTTON_AUX;
    uint64_t gen = 0;
    assert_int_equal(hap_servo_set_params(&s, &p, &gen, NULL), HAP_OK);
    assert_int_equal(gen, 2);
    hap_device dev;
    /* device (1, 2, -0.5) -> surface (50 - 4, 50 + 2, -1) */
    open_holding(&dev, sim_v3(1, 2, -0.5), 0, 0);
    assert_true(hap_servo_run_ticks(&s, &dev, 3));
    assert_int_equal(hap_servo_params_in_use(&s), 2);
    sim_sample out[4];
    assert_int_equal(hap_servo_drain(&s, out, 4), 3);
    assert_true(out[2].tip_mm[0] == 46.0f && out[2].tip_mm[1] == 52.0f && out[2].tip_mm[2] == -1.0f);
    assert_int_equal(out[2].buttons, SIM_BUTTON_AUX);
    /* 1 mm deep in the surface frame: 1.5 N surface-frame, limited by the
     * stiffness limit seen through the scale (3 N/mm / 2 = 1.5 N/mm) */
    assert_true(fabs(out[2].force_n - 1.5f) < 1e-5);
    assert_true(fabs(hap_virtual_last_force(&dev).z - 1.5) < 1e-9);
    /* a reflection is refused and not published */
    hap_servo_params bad = p;
    bad.calib.rot[2][2] = -1;
    sim_error err;
    assert_int_equal(hap_servo_set_params(&s, &bad, NULL, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "calibration: rotation is a reflection (determinant -1.000)");
    hap_servo_finish(&s);
    hap_device_close(&dev);
    hap_servo_deinit(&s);
}

static void test_depth_scale(void **state)
{
    (void)state;
    hap_servo s;
    fake_clock clk;
    servo_on_pad(&s, &clk, NULL);
    hap_servo_params p;
    memset(&p, 0, sizeof p);
    p.surface = &g_pad;
    p.calib = hap_calib_identity();
    p.calib.scale = 2.0;
    p.calib.depth_scale = 0.5;        /* 1 mm of hand travel = 0.5 mm deep */
    assert_int_equal(hap_servo_set_params(&s, &p, NULL, NULL), HAP_OK);
    hap_device dev;
    open_holding(&dev, sim_v3(10, 10, -1), 0, 0);
    assert_true(hap_servo_run_ticks(&s, &dev, 1));
    sim_sample out[2];
    assert_int_equal(hap_servo_drain(&s, out, 2), 1);
    assert_true(out[0].tip_mm[0] == 20.0f && out[0].tip_mm[1] == 20.0f);
    assert_true(out[0].tip_mm[2] == -0.5f);
    hap_servo_finish(&s);
    hap_device_close(&dev);
    hap_servo_deinit(&s);
}

static void test_homing_gates_forces(void **state)
{
    (void)state;
    hap_servo s;
    fake_clock clk;
    servo_on_pad(&s, &clk, NULL);
    hap_virtual_desc vd;
    memset(&vd, 0, sizeof vd);
    vd.hold_mm = sim_v3(50, 50, -1);
    vd.needs_homing = true;
    hap_device dev;
    assert_int_equal(hap_virtual_open(&dev, &vd, NULL), HAP_OK);
    assert_true(hap_servo_run_ticks(&s, &dev, 5));
    assert_true(sim_v3_len(hap_virtual_last_force(&dev)) == 0.0);
    hap_servo_finish(&s);
    assert_int_equal(hap_device_home(&dev, 1.0, NULL), HAP_OK);
    assert_true(hap_servo_run_ticks(&s, &dev, 5));
    assert_true(hap_virtual_last_force(&dev).z > 1.0);
    hap_servo_finish(&s);
    hap_device_close(&dev);
    hap_servo_deinit(&s);
}

/* The real thread on the monotonic clock: starts, produces samples in
 * order, stops with forces at zero. Nothing about timing is asserted. */
static void test_thread_start_stop(void **state)
{
    (void)state;
    hap_servo s;
    hap_servo_desc d;
    memset(&d, 0, sizeof d);
    d.params.surface = &g_pad;
    d.params.forces_enabled = true;
    d.model_timeout_s = -1;
    assert_int_equal(hap_servo_init(&s, &d, NULL), HAP_OK);
    hap_device dev;
    open_holding(&dev, sim_v3(50, 50, -1), 0, 0);
    assert_int_equal(hap_servo_start(&s, &dev, NULL), HAP_OK);
    hap_servo_info info;
    hap_servo_info_get(&s, &info);
    assert_true(info.realtime || strstr(info.realtime_note, "SCHED_FIFO") != NULL);
    sim_sample buf[64];
    size_t got = 0;
    int64_t last = -1;
    while (got < 50) {
        size_t n = hap_servo_drain(&s, buf, 64);
        for (size_t i = 0; i < n; i++) {
            assert_true(buf[i].t_us > last);
            last = buf[i].t_us;
        }
        got += n;
        hap_servo_heartbeat(&s);
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    sim_error err;
    assert_int_equal(hap_servo_start(&s, &dev, &err), HAP_ERR_STATE);
    hap_servo_stop(&s);
    hap_servo_stop(&s);   /* idempotent */
    hap_servo_info_get(&s, &info);
    assert_false(info.running);
    assert_true(sim_v3_len(hap_virtual_last_force(&dev)) == 0.0);
    assert_false(dev.forces_enabled);
    hap_device_close(&dev);
    hap_servo_deinit(&s);
}

/* A clock on CLOCK_MONOTONIC whose sleep can be made to oversleep once:
 * the servo thread stalls for real. */
typedef struct stall_clock {
    atomic_int stall_ms;
} stall_clock;

static int64_t sc_now(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sc_sleep(void *ctx, int64_t deadline)
{
    stall_clock *c = ctx;
    int ms = atomic_exchange(&c->stall_ms, 0);
    if (ms > 0) {
        struct timespec ts = {0, (long)ms * 1000000L};
        nanosleep(&ts, NULL);
    }
    struct timespec d = {(time_t)(deadline / 1000000000), (long)(deadline % 1000000000)};
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &d, NULL);
}

static void wait_until(bool (*cond)(void *), void *arg)
{
    /* bounded polling: only guards against a hang, asserts no timing */
    for (int i = 0; i < 5000 && !cond(arg); i++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
}

typedef struct wd_ctx {
    hap_servo *s;
    hap_device *dev;
} wd_ctx;

static bool ticked(void *arg)
{
    hap_servo_info info;
    hap_servo_info_get(((wd_ctx *)arg)->s, &info);
    return info.ticks > 20;
}

static bool stopped_by_watchdog(void *arg)
{
    return hap_virtual_emergency_zeros(((wd_ctx *)arg)->dev) > 0;
}

static bool stall_latched(void *arg)
{
    hap_servo_info info;
    hap_servo_info_get(((wd_ctx *)arg)->s, &info);
    return info.fault == HAP_FAULT_STALL;
}

/* The servo thread itself stalls for 30 ms: the watchdog thread has the
 * device zero its force meanwhile, and the servo latches the stall when it
 * runs again. */
static void test_watchdog_covers_a_stalled_thread(void **state)
{
    (void)state;
    stall_clock clk;
    atomic_init(&clk.stall_ms, 0);
    hap_servo s;
    hap_servo_desc d;
    memset(&d, 0, sizeof d);
    d.clock = (hap_clock){sc_now, sc_sleep, &clk};
    d.model_timeout_s = -1;
    d.params.surface = &g_pad;
    d.params.forces_enabled = true;
    assert_int_equal(hap_servo_init(&s, &d, NULL), HAP_OK);
    hap_device dev;
    open_holding(&dev, sim_v3(50, 50, -1), 0, 0);
    assert_int_equal(hap_servo_start(&s, &dev, NULL), HAP_OK);
    wd_ctx ctx = {&s, &dev};
    wait_until(ticked, &ctx);
    assert_true(ticked(&ctx));
    atomic_store(&clk.stall_ms, 30);
    wait_until(stopped_by_watchdog, &ctx);
    assert_true(hap_virtual_emergency_zeros(&dev) > 0);
    wait_until(stall_latched, &ctx);
    hap_servo_info info;
    hap_servo_info_get(&s, &info);
    assert_int_equal(info.fault, HAP_FAULT_STALL);
    assert_true(info.watchdog && info.watchdog_zeros > 0);
    hap_servo_stop(&s);
    assert_true(sim_v3_len(hap_virtual_last_force(&dev)) == 0.0);
    hap_device_close(&dev);
    hap_servo_deinit(&s);
}

static void test_bad_desc(void **state)
{
    (void)state;
    hap_servo s;
    hap_servo_desc d;
    memset(&d, 0, sizeof d);
    d.rate_hz = 5;
    sim_error err;
    assert_int_equal(hap_servo_init(&s, &d, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "servo rate 5.0 Hz is not in 10..20000");
    d.rate_hz = 0;
    /* a negative rate limit would push forces away from the target, a NaN
     * stall limit is undefined when converted to ns */
    d.max_force_rate_n_per_s = -100;
    assert_int_equal(hap_servo_init(&s, &d, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "servo max_force_rate_n_per_s -100 is not a positive number");
    d.max_force_rate_n_per_s = 0;
    d.stall_limit_s = NAN;
    assert_int_equal(hap_servo_init(&s, &d, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "servo stall_limit_s nan is not in (0, 1]");
    d.stall_limit_s = 0;
    d.ramp_s = NAN;
    assert_int_equal(hap_servo_init(&s, &d, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "servo ramp_s or model_timeout_s is not a number");
    d.ramp_s = 0;
    sim_alloc_fail_after(1);
    hap_result r = hap_servo_init(&s, &d, &err);
    sim_alloc_fail_after(-1);
    assert_int_equal(r, HAP_ERR_NOMEM);
    hap_servo_deinit(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadlines_and_jitter),
        cmocka_unit_test(test_force_clamped_to_device_limit),
        cmocka_unit_test(test_stiffness_limited),
        cmocka_unit_test(test_stall_zeroes_force_first),
        cmocka_unit_test(test_clear_before_a_stall_keeps_the_stall),
        cmocka_unit_test(test_device_error_then_unplug),
        cmocka_unit_test(test_stale_model_holds_zero_until_heartbeat),
        cmocka_unit_test(test_ramp_and_rate_limit),
        cmocka_unit_test(test_ring_full_never_blocks),
        cmocka_unit_test(test_calibration_maps_samples),
        cmocka_unit_test(test_depth_scale),
        cmocka_unit_test(test_homing_gates_forces),
        cmocka_unit_test(test_thread_start_stop),
        cmocka_unit_test(test_watchdog_covers_a_stalled_thread),
        cmocka_unit_test(test_bad_desc),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
