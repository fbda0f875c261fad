/* hap_device.c: the backend-independent half of a haptic device: result
 * names, force clamping and enabling, the velocity estimate, sequence
 * numbers and the last-error record (see hap_device.h).
 *
 * Threads: as documented per function in hap_device.h. Nothing here
 * allocates; the servo-path functions take no locks.
 */
#include "hap_device.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Result codes                                                             */
/* ------------------------------------------------------------------------ */

static const char *const hap__names[] = {
#define HAP__NAME(name, msg) "HAP_" #name,
    HAP_RESULT_MAP(HAP__NAME)
#undef HAP__NAME
};

static const char *const hap__messages[] = {
#define HAP__MSG(name, msg) msg,
    HAP_RESULT_MAP(HAP__MSG)
#undef HAP__MSG
};

const char *hap_result_name(hap_result r)
{
    if ((int)r < 0 || r >= HAP_RESULT_COUNT)
        return "HAP_UNKNOWN";
    return hap__names[r];
}

const char *hap_result_message(hap_result r)
{
    if ((int)r < 0 || r >= HAP_RESULT_COUNT)
        return "unknown result";
    return hap__messages[r];
}

const char *hap_backend_name(hap_backend_kind kind)
{
    switch (kind) {
    case HAP_BACKEND_VIRTUAL: return "virtual";
    case HAP_BACKEND_REPLAY: return "replay";
    case HAP_BACKEND_MOUSE: return "mouse";
    case HAP_BACKEND_FALCON: return "falcon";
    case HAP_BACKEND_TABLET: return "tablet";
    default: return "none";
    }
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

sim_vec3 hap_clamp_norm(sim_vec3 v, double max_norm)
{
    if (!isfinite(v.x))
        v.x = 0.0;
    if (!isfinite(v.y))
        v.y = 0.0;
    if (!isfinite(v.z))
        v.z = 0.0;
    if (!(max_norm > 0.0))
        return sim_v3(0, 0, 0);
    double len = sim_v3_len(v);
    if (len > max_norm)
        v = sim_v3_scale(v, max_norm / len);
    return v;
}

#define HAP_DEFAULT_VELOCITY_CUTOFF_HZ 40.0

/* ------------------------------------------------------------------------ */
/* Setup thread                                                             */
/* ------------------------------------------------------------------------ */

void hap_device__attach(hap_device *dev, const hap_backend_ops *ops, void *impl,
                        const hap_device_info *info)
{
    memset(dev, 0, sizeof *dev);
    dev->ops = ops;
    dev->impl = impl;
    dev->info = *info;
    dev->velocity_cutoff_hz = HAP_DEFAULT_VELOCITY_CUTOFF_HZ;
}

bool hap_device_is_open(const hap_device *dev)
{
    return dev && dev->ops;
}

void hap_device_close(hap_device *dev)
{
    if (!hap_device_is_open(dev))
        return;
    /* Forces to zero before anything else; a failure here changes nothing:
     * the backend's close zeroes again where the transport still works. */
    if (dev->ops->write_force)
        (void)dev->ops->write_force(dev, sim_v3(0, 0, 0));
    dev->ops->close(dev);
    memset(dev, 0, sizeof *dev);
}

hap_result hap_device_info_get(const hap_device *dev, hap_device_info *out)
{
    if (!hap_device_is_open(dev) || !out)
        return HAP_ERR_ARG;
    *out = dev->info;
    return HAP_OK;
}

hap_result hap_device_home(hap_device *dev, double timeout_s, sim_error *err)
{
    if (!hap_device_is_open(dev))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "homing: the device is not open");
    if (!dev->ops->home)
        return HAP_OK;
    return dev->ops->home(dev, timeout_s, err);
}

hap_result hap_device_last_error(const hap_device *dev, sim_error *err)
{
    if (!dev)
        return HAP_ERR_ARG;
    if (dev->last_result == HAP_OK) {
        sim_error_clear(err);
        return HAP_OK;
    }
    if (err) {
        err->sys_errno = dev->last_sys_code;
        sim_error_set(err, dev->last_result, NULL, 0, 0, "%s: %s%s%s (code %d)",
                      dev->last_what ? dev->last_what : "device",
                      hap_result_message(dev->last_result),
                      dev->info.model[0] ? " on " : "", dev->info.model,
                      dev->last_sys_code);
    }
    return dev->last_result;
}

/* ------------------------------------------------------------------------ */
/* Servo thread                                                             */
/* ------------------------------------------------------------------------ */

hap_result hap_device__fail(hap_device *dev, hap_result r, int sys_code,
                            const char *what)
{
    dev->last_result = r;
    dev->last_sys_code = sys_code;
    dev->last_what = what;
    return r;
}

/* First-order low-pass of the finite-difference velocity: raw differences
 * of quantised encoder positions at 1 kHz are far too noisy for damping. */
static void estimate_velocity(hap_device *dev, hap_state *s)
{
    if (!dev->have_prev || s->t_us <= dev->prev_t_us) {
        if (!dev->have_prev)
            dev->velocity_mm_s = sim_v3(0, 0, 0);
        dev->have_prev = true;
    } else {
        double dt_s = (double)(s->t_us - dev->prev_t_us) * 1e-6;
        sim_vec3 raw = sim_v3_scale(sim_v3_sub(s->tip_mm, dev->prev_tip_mm), 1.0 / dt_s);
        double cutoff_hz = dev->velocity_cutoff_hz > 0 ? dev->velocity_cutoff_hz
                                                       : HAP_DEFAULT_VELOCITY_CUTOFF_HZ;
        double rc_s = 1.0 / (2.0 * SIM_PI * cutoff_hz);
        double alpha = dt_s / (rc_s + dt_s);
        dev->velocity_mm_s = sim_v3_add(dev->velocity_mm_s,
                                        sim_v3_scale(sim_v3_sub(raw, dev->velocity_mm_s), alpha));
    }
    dev->prev_tip_mm = s->tip_mm;
    dev->prev_t_us = s->t_us;
    s->velocity_mm_s = dev->velocity_mm_s;
}

hap_result hap_device_read(hap_device *dev, int64_t t_us, hap_state *out)
{
    if (!hap_device_is_open(dev) || !out)
        return HAP_ERR_ARG;
    hap_state s;
    memset(&s, 0, sizeof s);
    s.axis = sim_v3(0, 0, 1);
    hap_result r = dev->ops->read(dev, t_us, &s);
    if (r != HAP_OK)
        return r;
    s.t_us = t_us;
    s.seq = ++dev->seq;
    if (!dev->info.needs_homing)
        s.homed = true;
    if (!dev->velocity_sensed)
        estimate_velocity(dev, &s);
    *out = s;
    return HAP_OK;
}

hap_result hap_device_set_force(hap_device *dev, sim_vec3 force_n)
{
    if (!hap_device_is_open(dev))
        return HAP_ERR_ARG;
    if (!dev->ops->write_force || dev->info.actuated == 0)
        return HAP_OK;
    sim_vec3 f = dev->forces_enabled ? hap_clamp_norm(force_n, dev->info.max_force_n)
                                     : sim_v3(0, 0, 0);
    hap_result r = dev->ops->write_force(dev, f);
    if (r == HAP_OK)
        dev->force_n = f;
    return r;
}

hap_result hap_device_enable_forces(hap_device *dev, bool on)
{
    if (!hap_device_is_open(dev))
        return HAP_ERR_ARG;
    dev->forces_enabled = on;
    if (!on)
        return hap_device_set_force(dev, sim_v3(0, 0, 0));
    return HAP_OK;
}

void hap_device_emergency_zero(hap_device *dev)
{
    /* dev->ops is set at open and cleared at close, both on the setup
     * thread while no other thread uses the device (hap_device.h). */
    if (dev && dev->ops && dev->ops->emergency_zero)
        dev->ops->emergency_zero(dev);
}
