/* hap_servo.c: the 1 kHz servo loop (see hap_servo.h).
 *
 * Layout: configuration and clock, the per-tick body (servo thread only:
 * no allocation, no locks, no logging, no blocking I/O), the thread, and
 * the control-thread API.
 */
#include "hap_servo.h"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define DEFAULT_RATE_HZ 1000.0
#define DEFAULT_RING 16384
#define DEFAULT_STALL_S 0.002
#define DEFAULT_MODEL_TIMEOUT_S 0.5
#define DEFAULT_RAMP_S 0.5
#define DEFAULT_FORCE_RATE 2000.0
#define DEFAULT_RT_PRIORITY 80
#define JITTER_BIN_NS 1000         /* 1 us bins ... */
#define JITTER_BINS 20000          /* ... up to 20 ms */
#define EVAL_BIN_NS 50             /* 50 ns bins ... */
#define EVAL_BINS 20000            /* ... up to 1 ms */

/* The params as they travel through the triple buffer. */
typedef struct params_msg {
    hap_servo_params p;
    uint64_t generation;
} params_msg;

const char *hap_fault_name(hap_fault f)
{
    switch (f) {
    case HAP_FAULT_NONE: return "none";
    case HAP_FAULT_STALL: return "servo stall";
    case HAP_FAULT_DEVICE: return "device error";
    case HAP_FAULT_DEVICE_LOST: return "device disconnected";
    case HAP_FAULT_ENDED: return "recording ended";
    case HAP_FAULT_MODEL_STALE: return "force model stale";
    }
    return "unknown";
}

/* ------------------------------------------------------------------------ */
/* Clock                                                                    */
/* ------------------------------------------------------------------------ */

static int64_t mono_now_ns(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void mono_sleep_until(void *ctx, int64_t deadline_ns)
{
    (void)ctx;
    struct timespec ts = {(time_t)(deadline_ns / 1000000000), (long)(deadline_ns % 1000000000)};
    /* EINTR: the caller re-checks the time and the stop flag. */
    (void)clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

hap_clock hap_clock_monotonic(void)
{
    hap_clock c = {mono_now_ns, mono_sleep_until, NULL};
    return c;
}

static int64_t now_ns(const hap_servo *s)
{
    return s->desc.clock.now_ns(s->desc.clock.ctx);
}

/* ------------------------------------------------------------------------ */
/* Servo thread: the tick                                                   */
/* ------------------------------------------------------------------------ */

static void latch_fault(hap_servo *s, hap_fault f, hap_result r)
{
    /* relaxed: the servo thread is the only writer; readers only display
     * it, and the forces were already zeroed by the caller. */
    if (atomic_load_explicit(&s->fault, memory_order_relaxed) == HAP_FAULT_NONE ||
        f == HAP_FAULT_DEVICE_LOST || f == HAP_FAULT_ENDED) {
        atomic_store_explicit(&s->fault_result, (int)r, memory_order_relaxed);
        atomic_store_explicit(&s->fault, (int)f, memory_order_release);
    }
}

static hap_fault current_fault(hap_servo *s)
{
    /* relaxed: written by this thread only (latch_fault). */
    return (hap_fault)atomic_load_explicit(&s->fault, memory_order_relaxed);
}

/* Zero at once, bypassing ramp and rate limit. */
static void zero_force(hap_servo *s)
{
    (void)hap_device_set_force(s->dev, sim_v3(0, 0, 0));
    s->last_force_s = sim_v3(0, 0, 0);
    s->ramp_start_ns = -1;
}

static void count(atomic_uint_fast64_t *c, uint64_t n)
{
    /* relaxed: single writer (this thread), statistics only. */
    uint_fast64_t v = atomic_load_explicit(c, memory_order_relaxed);
    atomic_store_explicit(c, v + n, memory_order_relaxed);
}

static void apply_params(hap_servo *s, const params_msg *m)
{
    s->cur = m->p;
    s->cur.force = hap_force_params_resolve(s->cur.force);
    if (s->dev_info.actuated) {
        double gain = hap_calib_max_gain(&s->cur.calib);
        s->cur.force = hap_force_params_limit(s->cur.force,
                                              s->dev_info.max_stiffness_n_per_mm / gain,
                                              s->dev_info.max_damping_n_s_per_mm / gain);
    }
    /* release: the control thread may free the surface of an older
     * generation once it sees this one in use (acquire in params_in_use). */
    atomic_store_explicit(&s->params_in_use, m->generation, memory_order_release);
}

/* Device space -> surface frame, with the depth rescaling of hap_calib.h. */
static sim_vec3 map_tip(const hap_servo *s, sim_vec3 tip_dev)
{
    const hap_calib *c = &s->cur.calib;
    sim_vec3 p = hap_calib_point(c, tip_dev);
    double ds = hap_calib_depth_scale(c);
    if (ds != c->scale && s->cur.surface) {
        sim_surface_hit hit;
        sim_surface_closest(s->cur.surface, p, &hit);
        if (hit.depth_mm > 0 && hit.on_surface)
            p = sim_v3_sub(hit.point_mm, sim_v3_scale(hit.normal, hit.depth_mm * ds / c->scale));
    }
    return p;
}

static sim_vec3 safety(hap_servo *s, sim_vec3 f, int64_t now, bool allowed)
{
    if (!allowed) {
        s->ramp_start_ns = -1;
        return sim_v3(0, 0, 0);
    }
    if (s->ramp_start_ns < 0)
        s->ramp_start_ns = now;
    double ramp = 1.0;
    if (s->desc.ramp_s > 0) {
        ramp = (double)(now - s->ramp_start_ns) * 1e-9 / s->desc.ramp_s;
        ramp = ramp < 0 ? 0 : ramp > 1 ? 1 : ramp;
    }
    double max = s->cur.force.max_force_n;
    if (s->dev_info.max_force_n > 0 && s->dev_info.max_force_n < max)
        max = s->dev_info.max_force_n;
    f = hap_clamp_norm(sim_v3_scale(f, ramp), max);
    double max_step = s->desc.max_force_rate_n_per_s * (double)s->period_ns * 1e-9;
    sim_vec3 d = sim_v3_sub(f, s->last_force_s);
    double len = sim_v3_len(d);
    if (len > max_step)
        f = sim_v3_add(s->last_force_s, sim_v3_scale(d, max_step / len));
    return f;
}

static float finite_f(double v) { return isfinite(v) ? (float)v : 0.0f; }

static void publish_status(hap_servo *s, const hap_servo_status *st)
{
    hap_tribuf_put(&s->status_out, st);
}

/* One tick. Returns false when the loop must end. */
static bool servo_tick(hap_servo *s)
{
    int64_t now = now_ns(s);
    /* release: the watchdog (acquire) sees the servo alive */
    atomic_store_explicit(&s->tick_ns, now, memory_order_release);
    int64_t late = now - s->deadline_ns;
    bool stalled = late > s->stall_limit_ns;
    if (stalled)
        zero_force(s);                       /* first, before anything else */

    /* A clear requested before this tick applies to the faults before it:
     * take it now, so a stall this tick detects stays latched.
     * acquire-less exchange: clear_fault is a request flag with no data. */
    if (atomic_exchange_explicit(&s->clear_fault, false, memory_order_relaxed)) {
        hap_fault f = current_fault(s);
        if (f != HAP_FAULT_DEVICE_LOST && f != HAP_FAULT_ENDED) {
            atomic_store_explicit(&s->fault, HAP_FAULT_NONE, memory_order_release);
            atomic_store_explicit(&s->fault_result, HAP_OK, memory_order_relaxed);
            s->ramp_start_ns = -1;
        }
    }
    if (stalled)
        latch_fault(s, HAP_FAULT_STALL, HAP_OK);
    hap_histogram_record(&s->jitter, late < 0 ? -late : late);
    if (late >= s->period_ns) {
        int64_t missed = late / s->period_ns;
        count(&s->overruns, (uint64_t)missed);
        s->deadline_ns += missed * s->period_ns;   /* skip ahead, no burst */
    }
    bool fresh = false;
    const params_msg *m = hap_tribuf_read(&s->params_in, &fresh);
    if (fresh)
        apply_params(s, m);

    hap_servo_status status;
    memset(&status, 0, sizeof status);
    status.tick = s->tick;
    status.t_us = (now - s->start_ns) / 1000;

    hap_state st;
    hap_result r = hap_device_read(s->dev, status.t_us, &st);
    if (r != HAP_OK) {
        zero_force(s);
        count(&s->device_errors, 1);
        hap_fault f = r == HAP_ERR_NO_DEVICE ? HAP_FAULT_DEVICE_LOST
                    : r == HAP_ERR_ENDED ? HAP_FAULT_ENDED : HAP_FAULT_DEVICE;
        latch_fault(s, f, r);
        status.fault = current_fault(s);
        publish_status(s, &status);
        s->tick++;
        count(&s->ticks, 1);
        s->deadline_ns += s->period_ns;
        return f != HAP_FAULT_DEVICE_LOST && f != HAP_FAULT_ENDED;
    }

    sim_vec3 tip = map_tip(s, st.tip_mm);
    sim_vec3 axis = sim_v3_normalize(hap_calib_dir(&s->cur.calib, st.axis));
    sim_vec3 vel = hap_calib_velocity(&s->cur.calib, st.velocity_mm_s);
    uint32_t buttons = st.buttons | s->cur.buttons_or;

    hap_force_input in = {
        .tip_mm = tip, .axis = axis, .axis_sensed = st.axis_sensed,
        .velocity_mm_s = vel, .machine_on = (buttons & SIM_BUTTON_MACHINE) != 0,
        .t_s = (double)s->tick * (double)s->period_ns * 1e-9,
    };
    if (buttons & SIM_BUTTON_CLUTCH) {
        /* repositioning: no contact, no forces */
        hap_force_reset(&s->force_state);
    }
    int64_t t0 = now_ns(s);
    sim_vec3 f_model = (buttons & SIM_BUTTON_CLUTCH)
                           ? sim_v3(0, 0, 0)
                           : hap_force_eval(&s->force_state, &s->cur.force, s->cur.surface, &in);
    hap_histogram_record(&s->force_eval, now_ns(s) - t0);

    bool stale = false;
    if (s->desc.model_timeout_s > 0) {
        /* acquire: pairs with the release store in hap_servo_heartbeat
         * (only the value matters, but it keeps the reasoning simple). */
        int64_t hb = atomic_load_explicit(&s->heartbeat_ns, memory_order_acquire);
        stale = (double)(now - hb) * 1e-9 > s->desc.model_timeout_s;
    }
    hap_fault fault = current_fault(s);
    bool allowed = s->cur.forces_enabled && fault == HAP_FAULT_NONE && !stale &&
                   s->dev_info.actuated != 0 && st.homed;
    sim_vec3 f = safety(s, f_model, now, allowed);
    if (s->dev->forces_enabled != allowed)
        (void)hap_device_enable_forces(s->dev, allowed);
    r = hap_device_set_force(s->dev, hap_calib_force_to_device(&s->cur.calib, f));
    if (r != HAP_OK) {
        zero_force(s);
        count(&s->device_errors, 1);
        latch_fault(s, r == HAP_ERR_NO_DEVICE ? HAP_FAULT_DEVICE_LOST : HAP_FAULT_DEVICE, r);
        f = sim_v3(0, 0, 0);
    } else {
        s->last_force_s = f;
    }

    /* passive devices record the force a needle would meet; actuated ones
     * what was commanded */
    sim_vec3 f_rec = s->dev_info.actuated ? f : f_model;
    sim_sample smp = {
        .t_us = status.t_us,
        .tip_mm = {finite_f(tip.x), finite_f(tip.y), finite_f(tip.z)},
        .axis = {finite_f(axis.x), finite_f(axis.y), finite_f(axis.z)},
        .force_n = finite_f(sim_v3_dot(f_rec, axis)),
        .buttons = buttons,
    };
    (void)hap_ring_push(&s->ring, &smp);   /* a full ring counts a drop */

    status.device = st;
    status.tip_mm = tip;
    status.axis = axis;
    status.force_n = f;
    status.contact = s->force_state.contact;
    status.buttons = buttons;
    status.fault = current_fault(s);
    if (status.fault == HAP_FAULT_NONE && stale)
        status.fault = HAP_FAULT_MODEL_STALE;
    status.ramp = s->ramp_start_ns < 0 || s->desc.ramp_s <= 0
                      ? (allowed ? 1.0 : 0.0)
                      : fmin(1.0, (double)(now - s->ramp_start_ns) * 1e-9 / s->desc.ramp_s);
    publish_status(s, &status);

    s->tick++;
    count(&s->ticks, 1);
    /* relaxed: display only */
    atomic_store_explicit(&s->last_ns, now, memory_order_relaxed);
    s->deadline_ns += s->period_ns;
    bool lost = current_fault(s) == HAP_FAULT_DEVICE_LOST;
    return !lost;
}

static void sleep_to_deadline(hap_servo *s)
{
    /* relaxed: the stop flag carries no data (see hap_servo_request_stop). */
    while (!atomic_load_explicit(&s->stop, memory_order_relaxed) && now_ns(s) < s->deadline_ns)
        s->desc.clock.sleep_until(s->desc.clock.ctx, s->deadline_ns);
}

static void session_begin(hap_servo *s, hap_device *dev)
{
    s->dev = dev;
    (void)hap_device_info_get(dev, &s->dev_info);
    int64_t now = now_ns(s);
    s->start_ns = now;
    s->deadline_ns = now;
    s->ramp_start_ns = -1;
    s->tick = 0;
    s->last_force_s = sim_v3(0, 0, 0);
    hap_force_reset(&s->force_state);
    /* the params in effect, limited now that the device's limits are known
     * (the loop has not started: this thread may act as the reader) */
    apply_params(s, hap_tribuf_read(&s->params_in, NULL));
    atomic_store_explicit(&s->heartbeat_ns, now, memory_order_release);
    atomic_store_explicit(&s->started_ns, now, memory_order_relaxed);
    atomic_store_explicit(&s->last_ns, now, memory_order_relaxed);
    atomic_store_explicit(&s->tick_ns, now, memory_order_release);
    (void)hap_device_enable_forces(dev, false);
}

static void session_end(hap_servo *s)
{
    if (!s->dev)
        return;
    zero_force(s);
    (void)hap_device_enable_forces(s->dev, false);
    s->dev = NULL;
}

/* ------------------------------------------------------------------------ */
/* The thread                                                               */
/* ------------------------------------------------------------------------ */

static void *servo_main(void *arg)
{
    hap_servo *s = arg;
    /* relaxed: a plain request flag (see hap_servo_request_stop) */
    while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
        if (!servo_tick(s))
            break;
        sleep_to_deadline(s);
    }
    session_end(s);
    /* release: everything the loop wrote (counters, last status) is visible
     * to whoever sees running == false with acquire. */
    atomic_store_explicit(&s->running, false, memory_order_release);
    return NULL;
}

/* The watchdog: when the servo thread itself stops ticking (a page fault, a
 * long preemption, a driver call that blocks), the device is told to zero
 * its force without waiting for that thread. It polls every 250 us. */
static void *watchdog_main(void *arg)
{
    hap_servo *s = arg;
    /* a missed deadline plus three quarters of the stall limit, plus the
     * 250 us polling: with the defaults the zero goes out within 2 ms of the
     * deadline the servo missed */
    int64_t limit = s->period_ns + (int64_t)(s->desc.stall_limit_s * 0.75e9);
    int64_t fired_for = INT64_MIN;
    /* relaxed stop: a request flag; acquire running: see servo_main */
    while (!atomic_load_explicit(&s->stop, memory_order_relaxed) &&
           atomic_load_explicit(&s->running, memory_order_acquire)) {
        struct timespec ts = {0, 250000};
        nanosleep(&ts, NULL);
        /* acquire: pairs with the tick's release store */
        int64_t t = atomic_load_explicit(&s->tick_ns, memory_order_acquire);
        if (now_ns(s) - t > limit && t != fired_for) {
            fired_for = t;
            hap_device_emergency_zero(s->watchdog_dev);
            /* relaxed: a statistic; single writer */
            uint_fast64_t n = atomic_load_explicit(&s->watchdog_zeros, memory_order_relaxed);
            atomic_store_explicit(&s->watchdog_zeros, n + 1, memory_order_relaxed);
        }
    }
    return NULL;
}

/* Creates a thread at SCHED_FIFO `prio` when prio > 0 and allowed, else at
 * normal priority. Returns pthread_create's result; *rt whether FIFO. */
static int spawn(pthread_t *t, void *(*fn)(void *), void *arg, int prio, bool *rt)
{
    int rc = EPERM;
    *rt = false;
    if (prio > 0) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        struct sched_param sp = {.sched_priority = prio};
        int lo = sched_get_priority_min(SCHED_FIFO), hi = sched_get_priority_max(SCHED_FIFO);
        sp.sched_priority = sp.sched_priority < lo ? lo : sp.sched_priority > hi ? hi : sp.sched_priority;
        if (pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED) == 0 &&
            pthread_attr_setschedpolicy(&attr, SCHED_FIFO) == 0 &&
            pthread_attr_setschedparam(&attr, &sp) == 0)
            rc = pthread_create(t, &attr, fn, arg);
        pthread_attr_destroy(&attr);
        *rt = rc == 0;
    }
    if (rc != 0)
        rc = pthread_create(t, NULL, fn, arg);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Control thread                                                           */
/* ------------------------------------------------------------------------ */

static double def(double v, double d) { return v == 0.0 ? d : v; }

hap_result hap_servo_init(hap_servo *s, const hap_servo_desc *desc_in, sim_error *err)
{
    memset(s, 0, sizeof *s);
    hap_servo_desc d = desc_in ? *desc_in : (hap_servo_desc){0};
    d.rate_hz = def(d.rate_hz, DEFAULT_RATE_HZ);
    if (!(d.rate_hz >= 10 && d.rate_hz <= 20000))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "servo rate %.1f Hz is not in 10..20000", d.rate_hz);
    if (d.ring_capacity == 0)
        d.ring_capacity = DEFAULT_RING;
    d.stall_limit_s = def(d.stall_limit_s, DEFAULT_STALL_S);
    d.model_timeout_s = def(d.model_timeout_s, DEFAULT_MODEL_TIMEOUT_S);
    d.ramp_s = def(d.ramp_s, DEFAULT_RAMP_S);
    d.max_force_rate_n_per_s = def(d.max_force_rate_n_per_s, DEFAULT_FORCE_RATE);
    /* Safety settings: a negative rate limit would step forces away from
     * the target each tick, and a NaN or huge stall limit is undefined
     * when converted to nanoseconds. */
    if (!(d.max_force_rate_n_per_s > 0 && isfinite(d.max_force_rate_n_per_s)))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "servo max_force_rate_n_per_s %g is not a positive number",
                                         d.max_force_rate_n_per_s);
    if (!(d.stall_limit_s > 0 && d.stall_limit_s <= 1))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "servo stall_limit_s %g is not in (0, 1]", d.stall_limit_s);
    if (isnan(d.ramp_s) || isnan(d.model_timeout_s))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "servo ramp_s or model_timeout_s is not a number");
    if (d.rt_priority == 0)
        d.rt_priority = DEFAULT_RT_PRIORITY;
    if (!d.clock.now_ns || !d.clock.sleep_until)
        d.clock = hap_clock_monotonic();
    if (d.params.calib.scale == 0)
        d.params.calib = hap_calib_identity();
    hap_result r = hap_calib_check(&d.params.calib, err);
    if (r != HAP_OK)
        return r;
    s->desc = d;
    s->period_ns = (int64_t)llround(1e9 / d.rate_hz);
    s->stall_limit_ns = (int64_t)llround(d.stall_limit_s * 1e9);

    params_msg first = {d.params, 1};
    if ((r = hap_ring_init(&s->ring, d.ring_capacity, err)) != HAP_OK ||
        (r = hap_tribuf_init(&s->params_in, sizeof(params_msg), &first, err)) != HAP_OK ||
        (r = hap_tribuf_init(&s->status_out, sizeof(hap_servo_status), NULL, err)) != HAP_OK ||
        (r = hap_histogram_init(&s->jitter, JITTER_BIN_NS, JITTER_BINS, err)) != HAP_OK ||
        (r = hap_histogram_init(&s->force_eval, EVAL_BIN_NS, EVAL_BINS, err)) != HAP_OK) {
        hap_servo_deinit(s);
        return r;
    }
    atomic_init(&s->stop, false);
    atomic_init(&s->running, false);
    atomic_init(&s->clear_fault, false);
    atomic_init(&s->fault, HAP_FAULT_NONE);
    atomic_init(&s->fault_result, HAP_OK);
    atomic_init(&s->heartbeat_ns, 0);
    atomic_init(&s->ticks, 0);
    atomic_init(&s->overruns, 0);
    atomic_init(&s->device_errors, 0);
    atomic_init(&s->params_generation, 1);
    atomic_init(&s->params_in_use, 0);
    atomic_init(&s->started_ns, 0);
    atomic_init(&s->last_ns, 0);
    atomic_init(&s->tick_ns, 0);
    atomic_init(&s->watchdog_zeros, 0);
    /* the first params are in effect from the first tick */
    apply_params(s, &first);
    hap_tribuf_read(&s->params_in, NULL);
    return HAP_OK;
}

void hap_servo_deinit(hap_servo *s)
{
    if (!s)
        return;
    hap_servo_stop(s);
    hap_servo_finish(s);
    hap_ring_deinit(&s->ring);
    hap_tribuf_deinit(&s->params_in);
    hap_tribuf_deinit(&s->status_out);
    hap_histogram_deinit(&s->jitter);
    hap_histogram_deinit(&s->force_eval);
    memset(s, 0, sizeof *s);
}

hap_result hap_servo_start(hap_servo *s, hap_device *dev, sim_error *err)
{
    if (!hap_device_is_open(dev))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "servo: the device is not open");
    if (s->thread_started || s->dev)
        return (hap_result)sim_error_set(err, HAP_ERR_STATE, NULL, 0, 0,
                                         "servo: already running");
    atomic_store_explicit(&s->stop, false, memory_order_relaxed);
    session_begin(s, dev);
    atomic_store_explicit(&s->running, true, memory_order_relaxed);

    int rc = spawn(&s->thread, servo_main, s, s->desc.rt_priority, &s->realtime);
    if (rc != 0) {
        atomic_store_explicit(&s->running, false, memory_order_relaxed);
        session_end(s);
        return (hap_result)sim_error_set(err, HAP_ERR_THREAD, NULL, 0, 0,
                                         "servo: cannot create the thread: %s", strerror(rc));
    }
    if (s->realtime)
        s->realtime_note[0] = 0;
    else if (s->desc.rt_priority > 0)
        snprintf(s->realtime_note, sizeof s->realtime_note,
                 "SCHED_FIFO priority %d refused: running at normal priority; grant "
                 "CAP_SYS_NICE or an rtprio limit for steadier timing",
                 s->desc.rt_priority);
    else
        snprintf(s->realtime_note, sizeof s->realtime_note, "real-time priority not requested");
    s->thread_started = true;
    if (!s->desc.no_watchdog) {
        bool wd_rt = false;
        s->watchdog_dev = dev;
        rc = spawn(&s->watchdog, watchdog_main, s,
                   s->desc.rt_priority > 0 ? s->desc.rt_priority + 1 : 0, &wd_rt);
        if (rc != 0) {
            hap_servo_stop(s);
            return (hap_result)sim_error_set(err, HAP_ERR_THREAD, NULL, 0, 0,
                                             "servo: cannot create the watchdog thread: %s",
                                             strerror(rc));
        }
        s->watchdog_started = true;
    }
    return HAP_OK;
}

void hap_servo_request_stop(hap_servo *s)
{
    /* relaxed: a lock-free atomic store is async-signal-safe; the flag
     * carries no data, the join in hap_servo_stop orders the rest. */
    atomic_store_explicit(&s->stop, true, memory_order_relaxed);
}

void hap_servo_stop(hap_servo *s)
{
    if (!s->thread_started)
        return;
    hap_servo_request_stop(s);
    pthread_join(s->thread, NULL);
    s->thread_started = false;
    if (s->watchdog_started) {
        pthread_join(s->watchdog, NULL);
        s->watchdog_started = false;
    }
}

bool hap_servo_run_ticks(hap_servo *s, hap_device *dev, uint64_t ticks)
{
    if (s->thread_started || !hap_device_is_open(dev))
        return false;
    if (!s->dev) {
        if (current_fault(s) == HAP_FAULT_DEVICE_LOST || current_fault(s) == HAP_FAULT_ENDED)
            return false;
        session_begin(s, dev);
    }
    for (uint64_t i = 0; i < ticks; i++) {
        if (atomic_load_explicit(&s->stop, memory_order_relaxed) || !servo_tick(s)) {
            session_end(s);
            return false;
        }
        sleep_to_deadline(s);
    }
    return true;
}

void hap_servo_finish(hap_servo *s)
{
    if (!s->thread_started)
        session_end(s);
}

hap_result hap_servo_set_params(hap_servo *s, const hap_servo_params *p,
                                uint64_t *generation, sim_error *err)
{
    if (!p)
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0, "servo: no params");
    params_msg m = {*p, 0};
    if (m.p.calib.scale == 0)
        m.p.calib = hap_calib_identity();
    hap_result r = hap_calib_check(&m.p.calib, err);
    if (r != HAP_OK)
        return r;
    /* relaxed: only this (control) thread writes the counter. */
    m.generation = atomic_load_explicit(&s->params_generation, memory_order_relaxed) + 1;
    atomic_store_explicit(&s->params_generation, m.generation, memory_order_relaxed);
    hap_tribuf_put(&s->params_in, &m);   /* the tribuf orders the payload */
    if (generation)
        *generation = m.generation;
    return HAP_OK;
}

uint64_t hap_servo_params_in_use(hap_servo *s)
{
    /* acquire: pairs with apply_params' release, so once we see generation
     * g the servo no longer reads anything of generations before g. */
    return atomic_load_explicit(&s->params_in_use, memory_order_acquire);
}

void hap_servo_heartbeat(hap_servo *s)
{
    /* release: pairs with the servo's acquire load (value only). */
    atomic_store_explicit(&s->heartbeat_ns, now_ns(s), memory_order_release);
}

void hap_servo_clear_fault(hap_servo *s)
{
    /* relaxed: a request flag; the servo reads it with an exchange. */
    atomic_store_explicit(&s->clear_fault, true, memory_order_relaxed);
}

size_t hap_servo_drain(hap_servo *s, sim_sample *out, size_t max)
{
    return hap_ring_pop(&s->ring, out, max);
}

void hap_servo_status_get(hap_servo *s, hap_servo_status *out)
{
    memcpy(out, hap_tribuf_read(&s->status_out, NULL), sizeof *out);
}

void hap_servo_info_get(hap_servo *s, hap_servo_info *out)
{
    memset(out, 0, sizeof *out);
    /* acquire: see servo_main's release store. */
    out->running = atomic_load_explicit(&s->running, memory_order_acquire);
    out->realtime = s->realtime;
    snprintf(out->realtime_note, sizeof out->realtime_note, "%s", s->realtime_note);
    /* relaxed below: statistics for display */
    out->ticks = atomic_load_explicit(&s->ticks, memory_order_relaxed);
    out->overruns = atomic_load_explicit(&s->overruns, memory_order_relaxed);
    out->device_errors = atomic_load_explicit(&s->device_errors, memory_order_relaxed);
    out->watchdog_zeros = atomic_load_explicit(&s->watchdog_zeros, memory_order_relaxed);
    out->watchdog = s->watchdog_started;
    out->samples_dropped = hap_ring_dropped(&s->ring);
    /* acquire: pairs with latch_fault's release (fault_result before fault) */
    out->fault = (hap_fault)atomic_load_explicit(&s->fault, memory_order_acquire);
    out->fault_result = (hap_result)atomic_load_explicit(&s->fault_result, memory_order_relaxed);
    int64_t t0 = atomic_load_explicit(&s->started_ns, memory_order_relaxed);
    int64_t t1 = atomic_load_explicit(&s->last_ns, memory_order_relaxed);
    if (t1 > t0 && out->ticks > 1)
        out->rate_hz = (double)(out->ticks - 1) / ((double)(t1 - t0) * 1e-9);
    out->jitter_p50_ns = hap_histogram_percentile_ns(&s->jitter, 0.50);
    out->jitter_p99_ns = hap_histogram_percentile_ns(&s->jitter, 0.99);
    out->jitter_max_ns = hap_histogram_max_ns(&s->jitter);
    out->force_eval_p50_ns = hap_histogram_percentile_ns(&s->force_eval, 0.50);
    out->force_eval_p99_ns = hap_histogram_percentile_ns(&s->force_eval, 0.99);
}
