/* app_input.h: the simulator's stylus, whatever is plugged in.
 *
 * Opens the best device available (a Novint Falcon with its firmware, else
 * a pen tablet, else the mouse; or the one the trainee names), calibrates it
 * into the lesson surface's frame, and runs the 1 kHz haptic servo thread
 * on it (haptics/hap_servo.h): forces for devices that have motors, and a
 * 1 kHz trace for every device, the mouse included. The main thread feeds
 * the mouse each frame and drains the samples each frame.
 *
 * Threads: every function here is for the main thread; the servo thread
 * runs inside (see hap_servo.h for what crosses between them).
 * Ownership: the caller owns the struct; app_input_close releases the
 * device and the thread. The surface is borrowed and must outlive it.
 */
#ifndef APP_INPUT_H
#define APP_INPUT_H

#include "hap_mouse.h"
#include "hap_servo.h"

typedef struct app_input_desc {
    const char *device;          /* "auto" (NULL), "mouse", "tablet", "falcon" */
    const char *firmware_path;   /* Falcon firmware (the user supplies it) */
    const char *calibration_path; /* a saved hap_calib; NULL = the default */
    const sim_surface *surface;  /* the lesson's skin (borrowed) */
    sim_vec3 work_centre_mm;     /* where a force device's workspace centre
                                    lands on the surface (default mapping) */
} app_input_desc;

typedef struct app_input {
    hap_device device;
    hap_servo servo;
    hap_servo_params params;     /* the params last published */
    bool open, servo_ready, running;
    hap_backend_kind kind;
    char name[96];               /* for the window and the trace header */
    char note[1200];             /* why the chosen device, or the fallback */
} app_input;

/* Opens a device and starts the servo thread. When the named (or any
 * better) device cannot be opened it falls back to the mouse and says why
 * in input->note. Returns APP_EXIT_OK or APP_EXIT_FAIL (message printed). */
int app_input_open(app_input *input, const app_input_desc *desc);
/* The mouse's aim this frame (ignored for other devices). */
void app_input_feed_mouse(app_input *input, const hap_mouse_input *in);
/* Switches the machine on from the keyboard or a pedal (OR-ed into every
 * sample), for devices without a machine button. */
void app_input_set_machine(app_input *input, bool on);
/* Moves up to max samples recorded since the last call into out and tells
 * the servo thread the main thread is alive. */
size_t app_input_drain(app_input *input, sim_sample *out, size_t max);
/* The servo's health (jitter, overruns, faults) for the HUD. */
void app_input_status(app_input *input, hap_servo_status *out);
/* Stops the thread (forces to zero first); the samples it recorded can
 * still be drained. */
void app_input_stop(app_input *input);
/* Stops the thread (forces to zero first) and closes the device. */
void app_input_close(app_input *input);

#endif /* APP_INPUT_H */
