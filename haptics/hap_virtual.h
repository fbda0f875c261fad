/* hap_virtual.h: the virtual stylus, a device with no hardware. Used by
 * `stipple demo`, the servo benchmark and the tests.
 *
 * Where the stylus goes (the TARGET), in order of precedence:
 *  - a scripted stylus (hap_script.h), advanced to the servo's time; its
 *    samples are in the surface frame (info.surface_frame is set);
 *  - a caller's target function;
 *  - a fixed point (hold_mm).
 * How the tip follows it:
 *  - HAP_VIRTUAL_SCRIPTED: the tip is the target; forces are recorded but
 *    move nothing;
 *  - HAP_VIRTUAL_PHYSICAL: a hand of mass hand_mass_kg holds the stylus on a
 *    spring-damper to the target, and the commanded forces push it (so the
 *    puncture pop makes the needle jump in, and a stiff surface stops it).
 *
 * Limits: by default those of a Novint Falcon (CHAI3D's specification:
 * 8 N, 3 N/mm, 0.02 N s/mm); override them to test clamping.
 *
 * Fault injection (tests): hap_virtual_fail_next makes the next read fail
 * with a chosen result (HAP_ERR_IO, HAP_ERR_NO_DEVICE...). It may be
 * called from the control thread while a servo thread runs the device.
 *
 * Threads: open/close on the setup thread; reads and forces on the servo
 * thread (hap_device.h). The script and the target context are borrowed and
 * used on the servo thread only.
 */
#ifndef HAP_VIRTUAL_H
#define HAP_VIRTUAL_H

#include "hap_device.h"
#include "hap_script.h"

typedef enum hap_virtual_mode {
    HAP_VIRTUAL_SCRIPTED = 0,
    HAP_VIRTUAL_PHYSICAL = 1,
} hap_virtual_mode;

typedef struct hap_virtual_target {
    sim_vec3 tip_mm;
    sim_vec3 axis;            /* unit, tip toward grip; 0 = (0,0,1) */
    uint32_t buttons;         /* SIM_BUTTON_* */
} hap_virtual_target;

/* Target at servo time t_us; return false to end the session (reads then
 * answer HAP_ERR_ENDED). */
typedef bool (*hap_virtual_target_fn)(void *ctx, int64_t t_us, hap_virtual_target *out);

typedef struct hap_virtual_desc {
    hap_virtual_mode mode;
    hap_script *script;           /* borrowed; NULL: not scripted */
    bool loop_script;             /* start the script again when it ends */
    hap_virtual_target_fn target; /* used when script is NULL */
    void *target_ctx;
    sim_vec3 hold_mm;             /* used when both are NULL */
    /* physical mode (0 = default) */
    double hand_mass_kg;          /* 0.15 */
    double hand_k_n_per_mm;       /* 0.4 */
    double hand_b_n_s_per_mm;     /* 0 = critically damped */
    /* limits (0 = the Falcon's) */
    double max_force_n;           /* 8 */
    double max_stiffness_n_per_mm; /* 3 */
    double max_damping_n_s_per_mm; /* 0.02 */
    bool passive;                 /* no actuators (like a tablet) */
    bool axis_sensed;             /* report the target's axis as sensed */
    bool needs_homing;            /* reads say "not homed" until home() */
} hap_virtual_desc;

hap_result hap_virtual_open(hap_device *dev, const hap_virtual_desc *desc, sim_error *err);

/* Tests: the next read fails with `r` (HAP_OK cancels). Any thread. */
void hap_virtual_fail_next(hap_device *dev, hap_result r);
/* Tests, on the servo thread or after the loop stopped: the last force
 * commanded and the largest magnitude ever commanded (device space, N). */
sim_vec3 hap_virtual_last_force(const hap_device *dev);
double hap_virtual_peak_force(const hap_device *dev);
/* Tests: writes counted so far (servo thread or after stop). */
uint64_t hap_virtual_force_writes(const hap_device *dev);
/* Tests, any thread: emergency zeros received (the servo's watchdog). */
uint64_t hap_virtual_emergency_zeros(hap_device *dev);

#endif /* HAP_VIRTUAL_H */
