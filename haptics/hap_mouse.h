/* hap_mouse.h: the mouse as a stylus. With no haptic device the app picks
 * the skin point under the cursor each frame (a ray cast), decides a depth
 * (wheel or keys) and the machine button, and feeds them here; the device
 * turns them into samples at the servo's rate, so the rest of the pipeline
 * is the same as with a real stylus.
 *
 * The needle enters at the picked point along `axis` (the surface normal
 * when zero): tip = point - axis * depth_mm. A negative depth hovers above
 * the point. When the cursor leaves the skin (valid = false) the tip lifts
 * hover_mm above the last point: no contact.
 *
 * Positions are in the surface frame (info.surface_frame); the device is
 * passive (the servo records the force a needle would meet).
 *
 * Threads: hap_mouse_feed from one thread (the main thread, once a frame)
 * while the servo thread reads; the hand-over is a lock-free triple buffer.
 */
#ifndef HAP_MOUSE_H
#define HAP_MOUSE_H

#include "hap_device.h"

typedef struct hap_mouse_input {
    bool valid;                   /* the cursor is over the skin */
    sim_vec3 point_mm;            /* picked skin point, surface frame */
    sim_vec3 normal;              /* unit outward normal there */
    sim_vec3 axis;                /* unit, tip toward grip; 0 = normal */
    double depth_mm;              /* below the skin along -axis; < 0 hovers */
    uint32_t buttons;             /* SIM_BUTTON_* */
} hap_mouse_input;

typedef struct hap_mouse_desc {
    double hover_mm;              /* lift when off the skin; 0 = 5 */
} hap_mouse_desc;

hap_result hap_mouse_open(hap_device *dev, const hap_mouse_desc *desc, sim_error *err);
/* Main thread: the newest pick. Never blocks. */
void hap_mouse_feed(hap_device *dev, const hap_mouse_input *in);

#endif /* HAP_MOUSE_H */
