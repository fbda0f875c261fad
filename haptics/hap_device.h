/* hap_device.h: the haptic device API every backend implements (CHAI3D's
 * generic device, in C): open/close, what the device can do (limits in SI
 * units), homing, reading the stylus state, commanding a force, and turning
 * forces on and off.
 *
 * A device is a caller-owned `hap_device` struct with a table of backend
 * operations. Each backend has its own typed opener in its own header
 * (hap_virtual.h, hap_replay.h, hap_mouse.h, hap_falcon.h, hap_tablet.h);
 * after opening, every device is driven through the functions below.
 *
 * Frames and units: a device reports positions in its own DEVICE space (mm,
 * the backend documents its axes). The servo (hap_servo.h) maps them into
 * the lesson surface's frame with a calibration (hap_calib.h) before any
 * sample leaves the haptic thread. Forces given to hap_device_set_force are
 * in device space, newtons.
 *
 * Threads:
 *  - SETUP thread (usually main): open, close, home, info, last_error.
 *  - SERVO thread (or whoever runs the loop, one at a time): read, set_force,
 *    enable_forces. These never allocate, lock, log or block beyond the
 *    backend's documented short timeouts.
 *  Never call a setup function while a servo loop runs on the device.
 *
 * Ownership: the caller owns the hap_device struct; the backend owns its
 * private state (`impl`, allocated at open, freed at close). Anything a
 * desc points to is borrowed for the duration of the open call only, unless
 * the backend's header says otherwise.
 */
#ifndef HAP_DEVICE_H
#define HAP_DEVICE_H

#include "sim_base.h"

/* ---------------------------------------------------------------------------
 * Result codes (one X-macro table gives the enum, names and messages)
 * ------------------------------------------------------------------------- */
#define HAP_RESULT_MAP(X)                                                     \
    X(OK, "ok")                                                               \
    X(ERR_ARG, "invalid argument")                                            \
    X(ERR_NOMEM, "out of memory")                                             \
    X(ERR_NOT_FOUND, "no such device is connected")                           \
    X(ERR_ACCESS, "permission denied on the device node")                     \
    X(ERR_BUSY, "the device is in use by another program")                    \
    X(ERR_FIRMWARE, "the device firmware is missing or did not load")         \
    X(ERR_IO, "device input/output error")                                    \
    X(ERR_TIMEOUT, "the device did not answer in time")                       \
    X(ERR_NO_DEVICE, "the device was disconnected")                           \
    X(ERR_PROTOCOL, "the device sent malformed data")                         \
    X(ERR_NOT_HOMED, "the device is not homed")                               \
    X(ERR_UNSUPPORTED, "not supported by this device or build")               \
    X(ERR_STATE, "not allowed in the current state")                          \
    X(ERR_ENDED, "the recording has ended")                                   \
    X(ERR_THREAD, "could not start the servo thread")

typedef enum hap_result {
#define HAP__ENUM(name, msg) HAP_##name,
    HAP_RESULT_MAP(HAP__ENUM)
#undef HAP__ENUM
    HAP_RESULT_COUNT
} hap_result;

/* "HAP_ERR_BUSY" etc.; never NULL. */
const char *hap_result_name(hap_result r);
/* "the device is in use by another program" etc.; never NULL. */
const char *hap_result_message(hap_result r);

/* ---------------------------------------------------------------------------
 * What a device is and can do
 * ------------------------------------------------------------------------- */
typedef enum hap_backend_kind {
    HAP_BACKEND_NONE = 0,
    HAP_BACKEND_VIRTUAL,   /* simulated stylus (scripted or physics-driven) */
    HAP_BACKEND_REPLAY,    /* plays a recorded trace */
    HAP_BACKEND_MOUSE,     /* fed by the app with a picked surface point */
    HAP_BACKEND_FALCON,    /* Novint Falcon over libusb */
    HAP_BACKEND_TABLET,    /* pen tablet through libevdev */
    HAP_BACKEND_COUNT
} hap_backend_kind;

/* "virtual", "replay", "mouse", "falcon", "tablet"; "none" otherwise. */
const char *hap_backend_name(hap_backend_kind kind);

/* Axis bits for hap_device_info.sensed / .actuated. */
enum {
    HAP_AXIS_X = 1u << 0,          /* translation */
    HAP_AXIS_Y = 1u << 1,
    HAP_AXIS_Z = 1u << 2,
    HAP_AXIS_STYLUS = 1u << 3,     /* stylus direction (tilt) is sensed */
    HAP_AXIS_PRESSURE = 1u << 4,   /* tip pressure is sensed */
    HAP_AXIS_XYZ = HAP_AXIS_X | HAP_AXIS_Y | HAP_AXIS_Z,
};

typedef struct hap_device_info {
    hap_backend_kind backend;
    char model[64];               /* "Novint Falcon", "Wacom Intuos S Pen" */
    char location[64];            /* "usb 001:004", "/dev/input/event7", "" */
    double max_force_n;           /* continuous force the device can render */
    double max_stiffness_n_per_mm; /* stable spring at 1 kHz */
    double max_damping_n_s_per_mm; /* stable viscous gain at 1 kHz */
    sim_vec3 workspace_min_mm;    /* device-space box the tip can reach */
    sim_vec3 workspace_max_mm;
    uint32_t sensed;              /* HAP_AXIS_* bits */
    uint32_t actuated;            /* HAP_AXIS_* bits; 0: no forces */
    uint32_t button_count;
    double rate_hz;               /* native update rate; 0 = any */
    bool needs_homing;            /* read() reports not homed until home() */
    bool surface_frame;           /* positions are already in the surface
                                     frame (replay, mouse): calibrate with
                                     the identity */
} hap_device_info;

/* ---------------------------------------------------------------------------
 * The stylus state, one per servo tick
 * ------------------------------------------------------------------------- */
typedef struct hap_state {
    uint64_t seq;                 /* 1, 2, 3... per successful read */
    int64_t t_us;                 /* servo time of the read */
    sim_vec3 tip_mm;              /* needle tip, device space */
    sim_vec3 axis;                /* unit, tip toward grip, device space;
                                     (0,0,1) when not sensed */
    sim_vec3 velocity_mm_s;       /* filtered (or sensed) tip velocity */
    uint32_t buttons;             /* SIM_BUTTON_* bits (sim_trace.h) */
    double pressure;              /* 0..1 where sensed, else 0 */
    bool axis_sensed;             /* `axis` comes from the device */
    bool homed;                   /* false until homing completes */
} hap_state;

/* ---------------------------------------------------------------------------
 * The device handle
 * ------------------------------------------------------------------------- */
typedef struct hap_device hap_device;

/* What a backend implements (cross-file internal; see hap_device__attach). */
typedef struct hap_backend_ops {
    const char *name;
    /* Setup thread. Frees `impl`; must leave forces at zero first. */
    void (*close)(hap_device *dev);
    /* Setup thread; NULL when the device needs no homing. */
    hap_result (*home)(hap_device *dev, double timeout_s, sim_error *err);
    /* Servo thread: fill tip_mm, axis, axis_sensed, buttons, pressure,
     * homed, and velocity_mm_s when `velocity_sensed` is set. */
    hap_result (*read)(hap_device *dev, int64_t t_us, hap_state *state);
    /* Servo thread: command a device-space force (already clamped). NULL
     * for devices without actuators. */
    hap_result (*write_force)(hap_device *dev, sim_vec3 force_n);
    /* ANY thread, while the servo thread may be inside read or write_force
     * (or stalled there): make the device render zero force now, touching
     * nothing the servo thread uses except through atomics (and, for USB,
     * submitting a transfer). The servo's watchdog calls it when the servo
     * thread itself stalls. NULL: no actuators. */
    void (*emergency_zero)(hap_device *dev);
} hap_backend_ops;

struct hap_device {
    const hap_backend_ops *ops;   /* NULL: not open */
    void *impl;                   /* backend state (owned by the backend) */
    hap_device_info info;
    bool velocity_sensed;         /* the backend fills velocity itself */
    bool forces_enabled;
    sim_vec3 force_n;             /* last force sent, device space */
    uint64_t seq;
    /* velocity estimate (first-order low-pass of finite differences) */
    sim_vec3 prev_tip_mm;
    sim_vec3 velocity_mm_s;       /* the filter's output */
    int64_t prev_t_us;
    bool have_prev;
    double velocity_cutoff_hz;    /* 0 = 40 */
    /* last failure seen on the servo path (formatted by hap_device_last_error) */
    hap_result last_result;
    int last_sys_code;            /* errno / libusb code, 0 if none */
    const char *last_what;        /* static text: what was being done */
};

/* Setup thread. Closes the device: forces to zero, then the backend's
 * close. NULL-safe, idempotent. */
void hap_device_close(hap_device *dev);
bool hap_device_is_open(const hap_device *dev);
/* Setup thread. Copies the device's info. */
hap_result hap_device_info_get(const hap_device *dev, hap_device_info *out);
/* Setup thread. Runs the homing procedure (the trainee may need to move the
 * grip: the backend's header says). HAP_OK at once for devices that need
 * none. Blocks up to timeout_s. */
hap_result hap_device_home(hap_device *dev, double timeout_s, sim_error *err);

/* Servo thread. Reads the newest state (device space); `t_us` is the
 * servo's clock, used for timestamps and the velocity estimate. */
hap_result hap_device_read(hap_device *dev, int64_t t_us, hap_state *out);
/* Servo thread. Commands a device-space force: clamped in magnitude to
 * info.max_force_n; zero while forces are disabled; a no-op on devices
 * without actuators. Non-finite components count as zero. */
hap_result hap_device_set_force(hap_device *dev, sim_vec3 force_n);
/* Servo thread. Turning forces off sends zero at once. */
hap_result hap_device_enable_forces(hap_device *dev, bool on);
/* Any thread, even while the servo thread is inside the device: the
 * backend's emergency zero (see hap_backend_ops); a no-op without one. */
void hap_device_emergency_zero(hap_device *dev);

/* Setup thread, while no servo loop runs on the device. Describes the last
 * failure of read/set_force ("reading the
 * Falcon's encoders: LIBUSB_ERROR_NO_DEVICE") into err; returns its code. */
hap_result hap_device_last_error(const hap_device *dev, sim_error *err);

/* ---------------------------------------------------------------------------
 * For backends (cross-file internal)
 * ------------------------------------------------------------------------- */
/* Makes `dev` an open device of the given backend. */
void hap_device__attach(hap_device *dev, const hap_backend_ops *ops, void *impl,
                        const hap_device_info *info);
/* Records a servo-path failure for hap_device_last_error; returns r. */
hap_result hap_device__fail(hap_device *dev, hap_result r, int sys_code,
                            const char *what);

/* Magnitude clamp of a vector (non-finite components become 0). */
sim_vec3 hap_clamp_norm(sim_vec3 v, double max_norm);

#endif /* HAP_DEVICE_H */
