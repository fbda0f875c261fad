/* hap_servo.h: the 1 kHz haptic servo loop.
 *
 * Each tick: read the device, map the stylus into the surface frame
 * (calibration, hap_calib.h), evaluate the force model (hap_force.h), apply
 * the safety layer, command the device, and publish one sim_sample into the
 * lock-free ring (hap_ring.h) and a status snapshot.
 *
 * Timing: absolute deadlines on CLOCK_MONOTONIC with clock_nanosleep
 * (TIMER_ABSTIME), so period errors never accumulate; ticks that wake late
 * are measured (period jitter histogram, p50/p99/max) and a tick that
 * overruns one or more whole periods counts them as overruns and skips
 * ahead instead of bursting. The clock and the sleep are injectable, so
 * tests drive the loop deterministically.
 *
 * Real-time: the thread asks for SCHED_FIFO; when refused (no
 * CAP_SYS_NICE / rtprio limit) it runs at normal priority and says so in
 * hap_servo_info (not an error).
 *
 * Safety (forces go to zero FIRST, before anything else that tick):
 *  - stall: a tick that wakes more than stall_limit_s after its deadline
 *    latches HAP_FAULT_STALL;
 *  - a device read or write error latches HAP_FAULT_DEVICE;
 *  - an unplugged device (HAP_ERR_NO_DEVICE) latches HAP_FAULT_DEVICE_LOST
 *    and ends the loop; a finished replay ends it with HAP_FAULT_ENDED;
 *  - a stale force model (no hap_servo_heartbeat within model_timeout_s)
 *    holds forces at zero until heartbeats resume (then ramps in again);
 *  - stop (hap_servo_stop, hap_servo_request_stop from a signal handler).
 *  A WATCHDOG thread (on by default) covers a stall of the servo thread
 *  itself: when no tick has started for one period plus three quarters of
 *  the stall limit (polled every 250 us: within 2 ms of the missed deadline
 *  at the defaults) it calls the device's emergency zero
 *  (hap_device_emergency_zero),
 *  which does not wait for the servo thread (the Falcon sends a zero frame
 *  on its own USB transfer).
 *  Latched faults hold forces at zero until hap_servo_clear_fault. Forces
 *  ramp in from zero over ramp_s after start, a cleared fault or a
 *  re-enable; changes are rate-limited to max_force_rate_n_per_s (a step to
 *  zero on a fault is not); magnitudes are clamped to the smaller of the
 *  model's and the device's maximum, stiffness to the device's limit.
 *
 * Threads: the servo thread runs the loop; everything else is called from
 * one CONTROL thread (the main thread), except hap_servo_request_stop
 * (async-signal-safe, any thread). The servo thread never allocates, locks,
 * logs or does blocking I/O: it talks to the rest only through the ring,
 * the triple buffers and atomics.
 *
 * Ownership: the caller owns the hap_servo struct and the device (which the
 * servo borrows from start to stop). The servo owns its ring, buffers and
 * histograms (allocated at init). A surface handed in through the params is
 * borrowed: keep it alive until hap_servo_params_in_use() reaches the
 * generation that replaced it (or the servo stopped).
 */
#ifndef HAP_SERVO_H
#define HAP_SERVO_H

#include <pthread.h>
#include <stdatomic.h>

#include "hap_calib.h"
#include "hap_device.h"
#include "hap_force.h"
#include "hap_ring.h"
#include "hap_stats.h"
#include "hap_tribuf.h"

/* Injectable time. now_ns: a monotonic clock in ns; sleep_until: return at
 * or after the absolute time deadline_ns of that clock (may return early on
 * a signal: the loop re-checks). sleep_until is called on the servo thread
 * only; now_ns also from the control thread (hap_servo_heartbeat), so it
 * must be thread-safe when the loop runs on its own thread. */
typedef struct hap_clock {
    int64_t (*now_ns)(void *ctx);
    void (*sleep_until)(void *ctx, int64_t deadline_ns);
    void *ctx;
} hap_clock;

/* CLOCK_MONOTONIC + clock_nanosleep(TIMER_ABSTIME). */
hap_clock hap_clock_monotonic(void);

typedef enum hap_fault {
    HAP_FAULT_NONE = 0,
    HAP_FAULT_STALL,          /* a tick came later than stall_limit_s */
    HAP_FAULT_DEVICE,         /* device read/write error */
    HAP_FAULT_DEVICE_LOST,    /* unplugged: the loop ended */
    HAP_FAULT_ENDED,          /* the replay ended: the loop ended */
    HAP_FAULT_MODEL_STALE,    /* no heartbeat (clears itself) */
} hap_fault;

/* "none", "stall", "device error", ... */
const char *hap_fault_name(hap_fault f);

/* What the control thread hands in; swapped atomically as a whole. */
typedef struct hap_servo_params {
    const sim_surface *surface;   /* NULL: no contact, no forces */
    hap_force_params force;       /* resolved by the servo on receipt */
    hap_calib calib;              /* device -> surface */
    bool forces_enabled;          /* the master switch (starts ramp-in) */
    uint32_t buttons_or;          /* bits OR-ed into every sample's buttons
                                     (e.g. the machine switched on from the
                                     keyboard or a foot pedal) */
} hap_servo_params;

typedef struct hap_servo_desc {
    double rate_hz;               /* 0 = 1000 */
    size_t ring_capacity;         /* 0 = 16384 samples (16 s at 1 kHz) */
    double stall_limit_s;         /* 0 = 0.002; at most 1 */
    double model_timeout_s;       /* 0 = 0.5; negative = no heartbeat needed */
    double ramp_s;                /* 0 = 0.5; negative = no ramp */
    double max_force_rate_n_per_s; /* 0 = 2000; positive */
    int rt_priority;              /* SCHED_FIFO priority; 0 = 80; negative =
                                     do not ask */
    hap_clock clock;              /* now_ns NULL = hap_clock_monotonic() */
    bool no_watchdog;             /* no watchdog thread (emulated devices
                                     that allow one transfer at a time) */
    hap_servo_params params;      /* the first params */
} hap_servo_desc;

/* A status snapshot, published every tick (read with hap_servo_status). */
typedef struct hap_servo_status {
    uint64_t tick;
    int64_t t_us;                 /* servo time since start */
    hap_state device;             /* raw, device space */
    sim_vec3 tip_mm;              /* surface frame */
    sim_vec3 axis;                /* surface frame */
    sim_vec3 force_n;             /* commanded after safety, surface frame */
    hap_contact contact;
    uint32_t buttons;
    hap_fault fault;
    double ramp;                  /* 0..1 force gain of the ramp-in */
} hap_servo_status;

typedef struct hap_servo_info {
    bool running;
    bool realtime;                /* SCHED_FIFO granted */
    char realtime_note[160];      /* why not, in words ("" when granted) */
    double rate_hz;               /* ticks / elapsed time so far */
    uint64_t ticks;
    uint64_t overruns;            /* whole periods missed */
    uint64_t samples_dropped;     /* the ring was full */
    uint64_t device_errors;
    uint64_t watchdog_zeros;      /* emergency zeros sent by the watchdog */
    bool watchdog;                /* the watchdog thread runs */
    hap_fault fault;              /* the latched (or current) fault */
    hap_result fault_result;      /* the device's result for device faults */
    int64_t jitter_p50_ns, jitter_p99_ns, jitter_max_ns;
    int64_t force_eval_p50_ns, force_eval_p99_ns;
} hap_servo_info;

typedef struct hap_servo {
    /* configuration (resolved at init; constant afterwards) */
    hap_servo_desc desc;
    int64_t period_ns;
    int64_t stall_limit_ns;
    hap_device *dev;              /* borrowed between start and stop */
    hap_device_info dev_info;
    /* channels */
    hap_ring ring;                /* samples out */
    hap_tribuf params_in;         /* hap_servo_params in */
    hap_tribuf status_out;        /* hap_servo_status out */
    hap_histogram jitter;         /* |wake - deadline| */
    hap_histogram force_eval;     /* force model evaluation time */
    /* control (atomics shared between the threads) */
    atomic_bool stop;
    atomic_bool running;
    atomic_bool clear_fault;
    atomic_int fault;             /* hap_fault */
    atomic_int fault_result;      /* hap_result */
    atomic_int_fast64_t heartbeat_ns;
    atomic_uint_fast64_t ticks;
    atomic_uint_fast64_t overruns;
    atomic_uint_fast64_t device_errors;
    atomic_uint_fast64_t params_generation;  /* control side: published */
    atomic_uint_fast64_t params_in_use;      /* servo side: acquired */
    atomic_int_fast64_t started_ns, last_ns;
    atomic_int_fast64_t tick_ns;  /* start of the newest tick (watchdog) */
    atomic_uint_fast64_t watchdog_zeros;
    /* servo-thread state (touched by the loop only) */
    hap_servo_params cur;         /* resolved and limited */
    hap_force_state force_state;
    int64_t deadline_ns;
    int64_t start_ns;
    int64_t ramp_start_ns;
    bool ramping_from_zero;
    bool was_enabled;
    sim_vec3 last_force_s;        /* surface frame, after safety */
    uint64_t tick;
    /* threads */
    pthread_t thread;
    bool thread_started;
    pthread_t watchdog;
    bool watchdog_started;
    hap_device *watchdog_dev;     /* set before the watchdog starts */
    bool realtime;
    char realtime_note[160];
} hap_servo;

/* Control thread. Allocates the ring, buffers and histograms. */
hap_result hap_servo_init(hap_servo *s, const hap_servo_desc *desc, sim_error *err);
/* Control thread. Stops the loop if running, frees everything. */
void hap_servo_deinit(hap_servo *s);

/* Control thread. Starts the loop on its own thread, driving `dev` (open,
 * homed if it needs it). HAP_ERR_THREAD if no thread could be made;
 * SCHED_FIFO refused is not an error (see hap_servo_info). */
hap_result hap_servo_start(hap_servo *s, hap_device *dev, sim_error *err);
/* Control thread. Asks the loop to end and joins it; forces are zero when
 * it returns. Idempotent. */
void hap_servo_stop(hap_servo *s);
/* Any thread, async-signal-safe: asks the loop to end (forces to zero on
 * its way out). Join with hap_servo_stop. */
void hap_servo_request_stop(hap_servo *s);

/* Control thread, for tests and single-threaded tools: runs `ticks` ticks
 * of the loop on the calling thread with the desc's clock (the same code
 * the thread runs). The first call starts the session (time 0). Returns
 * false when the loop ended (stop, device lost, replay ended). */
bool hap_servo_run_ticks(hap_servo *s, hap_device *dev, uint64_t ticks);
/* Control thread: ends a session driven by hap_servo_run_ticks (forces to
 * zero, device forces disabled). */
void hap_servo_finish(hap_servo *s);

/* Control thread. Checks and publishes new params (the servo picks them up
 * at its next tick); *generation (may be NULL) receives their number.
 * HAP_ERR_ARG (nothing published) for an invalid calibration. */
hap_result hap_servo_set_params(hap_servo *s, const hap_servo_params *p,
                                uint64_t *generation, sim_error *err);
/* Control thread. The generation the servo works with now. */
uint64_t hap_servo_params_in_use(hap_servo *s);
/* Control thread, every frame: "the force model is alive". */
void hap_servo_heartbeat(hap_servo *s);
/* Control thread. Clears a latched fault (forces ramp in again) unless the
 * loop has ended. */
void hap_servo_clear_fault(hap_servo *s);

/* Control thread: the samples (consumer side of the ring). */
size_t hap_servo_drain(hap_servo *s, sim_sample *out, size_t max);
/* Control thread: the newest status snapshot. */
void hap_servo_status_get(hap_servo *s, hap_servo_status *out);
/* Control thread: counters and statistics (any time). */
void hap_servo_info_get(hap_servo *s, hap_servo_info *out);

#endif /* HAP_SERVO_H */
