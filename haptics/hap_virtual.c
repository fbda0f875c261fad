/* hap_virtual.c: the virtual stylus backend (see hap_virtual.h). */
#include "hap_virtual.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

typedef struct virt {
    hap_virtual_desc d;
    bool homed;
    /* script playback */
    sim_sample prev, next;        /* script samples around the current time */
    int64_t prev_t_us;            /* the sample before `prev` (its period) */
    bool have_prev, have_next, ended;
    int64_t script_base_us;       /* servo time where the current loop began */
    /* physical hand */
    sim_vec3 pos_mm, vel_mm_s;
    int64_t last_t_us;
    bool started;
    /* forces */
    sim_vec3 force_n;
    double peak_force_n;
    uint64_t writes;
    /* injection: written by any thread, read by the servo thread */
    atomic_int fail_next;
    /* emergency zeros from the watchdog thread */
    atomic_uint_fast64_t emergency;
} virt;

static double def(double v, double d) { return v == 0.0 ? d : v; }

/* Advances the script to servo time t_us: the target is the newest script
 * sample not after it. False once the script is over (and does not loop). */
static bool script_target(virt *v, int64_t t_us, hap_virtual_target *out)
{
    hap_script *sc = v->d.script;
    bool restarted = false;
    while (!v->ended) {
        if (!v->have_next) {
            if (!hap_script_next(sc, &v->next)) {
                if (v->d.loop_script && v->have_prev && !restarted) {
                    /* start over one sample period after the last sample */
                    int64_t step = v->prev.t_us - v->prev_t_us;
                    v->script_base_us += v->prev.t_us + (step > 0 ? step : 1000);
                    hap_script_init(sc, sc->surface, &sc->desc, sc->strokes, sc->count);
                    restarted = true;
                    continue;
                }
                v->ended = true;
                break;
            }
            restarted = false;
            v->have_next = true;
        }
        if (v->have_prev && v->next.t_us > t_us - v->script_base_us)
            break;
        v->prev_t_us = v->have_prev ? v->prev.t_us : v->next.t_us;
        v->prev = v->next;
        v->have_prev = true;
        v->have_next = false;
    }
    if (!v->have_prev || v->ended)
        return false;
    const sim_sample *s = &v->prev;
    out->tip_mm = sim_v3(s->tip_mm[0], s->tip_mm[1], s->tip_mm[2]);
    out->axis = sim_v3(s->axis[0], s->axis[1], s->axis[2]);
    out->buttons = s->buttons;
    return true;
}

static hap_result virt_read(hap_device *dev, int64_t t_us, hap_state *st)
{
    virt *v = dev->impl;
    /* acquire: pairs with hap_virtual_fail_next's release (value only). */
    int fail = atomic_exchange_explicit(&v->fail_next, HAP_OK, memory_order_acq_rel);
    if (fail != HAP_OK)
        return hap_device__fail(dev, (hap_result)fail, 0, "reading the virtual stylus (injected)");

    hap_virtual_target tg = {v->d.hold_mm, sim_v3(0, 0, 1), 0};
    if (v->d.script) {
        if (!script_target(v, t_us, &tg))
            return hap_device__fail(dev, HAP_ERR_ENDED, 0, "playing the stylus script");
    } else if (v->d.target) {
        if (!v->d.target(v->d.target_ctx, t_us, &tg))
            return hap_device__fail(dev, HAP_ERR_ENDED, 0, "following the stylus target");
    }
    if (sim_v3_len2(tg.axis) == 0)
        tg.axis = sim_v3(0, 0, 1);

    if (v->d.mode == HAP_VIRTUAL_PHYSICAL) {
        if (!v->started) {
            v->pos_mm = tg.tip_mm;
            v->vel_mm_s = sim_v3(0, 0, 0);
        } else {
            double dt_s = (double)(t_us - v->last_t_us) * 1e-6;
            if (dt_s < 0)
                dt_s = 0;
            if (dt_s > 0.01)
                dt_s = 0.01;   /* a stalled caller must not blow the hand up */
            sim_vec3 f = sim_v3_scale(sim_v3_sub(tg.tip_mm, v->pos_mm), v->d.hand_k_n_per_mm);
            f = sim_v3_sub(f, sim_v3_scale(v->vel_mm_s, v->d.hand_b_n_s_per_mm));
            f = sim_v3_add(f, v->force_n);
            /* N / kg = m/s^2 = 1000 mm/s^2; semi-implicit Euler */
            sim_vec3 a = sim_v3_scale(f, 1000.0 / v->d.hand_mass_kg);
            v->vel_mm_s = sim_v3_add(v->vel_mm_s, sim_v3_scale(a, dt_s));
            v->pos_mm = sim_v3_add(v->pos_mm, sim_v3_scale(v->vel_mm_s, dt_s));
        }
        st->tip_mm = v->pos_mm;
    } else {
        st->tip_mm = tg.tip_mm;
    }
    v->started = true;
    v->last_t_us = t_us;
    st->axis = sim_v3_normalize(tg.axis);
    st->axis_sensed = v->d.axis_sensed || v->d.script != NULL;
    st->buttons = tg.buttons;
    st->homed = v->homed;
    return HAP_OK;
}

static hap_result virt_write_force(hap_device *dev, sim_vec3 f)
{
    virt *v = dev->impl;
    v->force_n = f;
    double m = sim_v3_len(f);
    if (m > v->peak_force_n)
        v->peak_force_n = m;
    v->writes++;
    return HAP_OK;
}

static void virt_emergency_zero(hap_device *dev)
{
    virt *v = dev->impl;
    /* relaxed: a counter for tests; a simulated hand needs no real stop
     * (the servo zeroes its force when it runs again). */
    atomic_fetch_add_explicit(&v->emergency, 1, memory_order_relaxed);
}

static hap_result virt_home(hap_device *dev, double timeout_s, sim_error *err)
{
    (void)timeout_s;
    (void)err;
    ((virt *)dev->impl)->homed = true;
    return HAP_OK;
}

static void virt_close(hap_device *dev)
{
    sim_free(dev->impl);
    dev->impl = NULL;
}

static const hap_backend_ops virt_ops = {
    .name = "virtual",
    .close = virt_close,
    .home = virt_home,
    .read = virt_read,
    .write_force = virt_write_force,
    .emergency_zero = virt_emergency_zero,
};

hap_result hap_virtual_open(hap_device *dev, const hap_virtual_desc *desc, sim_error *err)
{
    memset(dev, 0, sizeof *dev);
    hap_virtual_desc d = desc ? *desc : (hap_virtual_desc){0};
    if (d.mode != HAP_VIRTUAL_SCRIPTED && d.mode != HAP_VIRTUAL_PHYSICAL)
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "virtual stylus: unknown mode %d", (int)d.mode);
    d.hand_mass_kg = def(d.hand_mass_kg, 0.15);
    d.hand_k_n_per_mm = def(d.hand_k_n_per_mm, 0.4);
    if (d.hand_b_n_s_per_mm == 0) {
        /* critical damping: b = 2 sqrt(k m), with k in N/m and b in N s/m,
         * then back to per-mm */
        double k_n_per_m = d.hand_k_n_per_mm * 1000.0;
        d.hand_b_n_s_per_mm = 2.0 * sqrt(k_n_per_m * d.hand_mass_kg) / 1000.0;
    }
    d.max_force_n = def(d.max_force_n, 8.0);
    d.max_stiffness_n_per_mm = def(d.max_stiffness_n_per_mm, 3.0);
    d.max_damping_n_s_per_mm = def(d.max_damping_n_s_per_mm, 0.02);
    if (!(d.hand_mass_kg > 0 && d.hand_k_n_per_mm >= 0 && d.hand_b_n_s_per_mm >= 0 &&
          d.max_force_n > 0 && d.max_stiffness_n_per_mm > 0 && d.max_damping_n_s_per_mm > 0))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "virtual stylus: masses, gains and limits must be positive");
    virt *v = sim_calloc(1, sizeof *v);
    if (!v)
        return (hap_result)sim_error_set(err, HAP_ERR_NOMEM, NULL, 0, 0,
                                         "virtual stylus: out of memory");
    v->d = d;
    v->homed = !d.needs_homing;
    atomic_init(&v->fail_next, HAP_OK);
    atomic_init(&v->emergency, 0);

    hap_device_info info;
    memset(&info, 0, sizeof info);
    info.backend = HAP_BACKEND_VIRTUAL;
    snprintf(info.model, sizeof info.model, "virtual stylus (%s)",
             d.mode == HAP_VIRTUAL_PHYSICAL ? "physical" : "scripted");
    info.max_force_n = d.max_force_n;
    info.max_stiffness_n_per_mm = d.max_stiffness_n_per_mm;
    info.max_damping_n_s_per_mm = d.max_damping_n_s_per_mm;
    info.workspace_min_mm = sim_v3(-1000, -1000, -1000);
    info.workspace_max_mm = sim_v3(1000, 1000, 1000);
    info.sensed = HAP_AXIS_XYZ | (d.axis_sensed || d.script ? HAP_AXIS_STYLUS : 0);
    info.actuated = d.passive ? 0 : HAP_AXIS_XYZ;
    info.button_count = 3;
    info.rate_hz = 0;
    info.needs_homing = d.needs_homing;
    info.surface_frame = d.script != NULL;
    hap_device__attach(dev, &virt_ops, v, &info);
    return HAP_OK;
}

void hap_virtual_fail_next(hap_device *dev, hap_result r)
{
    virt *v = dev->impl;
    /* release: pairs with virt_read's exchange (value only). */
    atomic_store_explicit(&v->fail_next, (int)r, memory_order_release);
}

sim_vec3 hap_virtual_last_force(const hap_device *dev)
{
    return ((const virt *)dev->impl)->force_n;
}

double hap_virtual_peak_force(const hap_device *dev)
{
    return ((const virt *)dev->impl)->peak_force_n;
}

uint64_t hap_virtual_force_writes(const hap_device *dev)
{
    return ((const virt *)dev->impl)->writes;
}

uint64_t hap_virtual_emergency_zeros(hap_device *dev)
{
    /* relaxed: see virt_emergency_zero */
    return atomic_load_explicit(&((virt *)dev->impl)->emergency, memory_order_relaxed);
}
