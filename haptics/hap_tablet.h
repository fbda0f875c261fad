/* hap_tablet.h: pen tablets (Wacom and friends) as a stylus, through
 * libevdev (the kernel owns tablets: we read its input events).
 *
 * Pen position, pressure and tilt become a tip position; pressure maps to
 * depth: nothing below pressure_threshold, then
 *     depth = max_depth_mm * ((p - threshold) / (1 - threshold))^gamma
 * (p the pressure as a fraction of full scale). In range but not touching,
 * the tip hovers hover_mm above the tablet. Tablets have no actuators: the
 * servo records the force a needle would meet.
 *
 * DEVICE SPACE (mm): the tablet's active area seen from above, origin at its
 * lower-left corner (the corner nearest the user, on the left): +x right,
 * +y away from the user, +z up out of the tablet (so depth is -z). Axis from
 * tilt: (tan tilt_x, -tan tilt_y, 1) normalised (tilt_y positive leans the
 * pen toward the user, as evdev reports it).
 *
 * Chart mode (a head): with desc.surface set, the tablet area maps onto the
 * surface's chart (sim_surface.h) around its centre, chart_scale chart mm
 * per tablet mm; the needle then enters along the skin normal, positions are
 * in the surface frame (info.surface_frame) and tilt is not applied.
 *
 * The event handling (hap_tablet_pen_*) is pure and tested without a
 * device; hap_tablet_open does the I/O: a non-blocking event node, read
 * until it would block on every servo tick (never waits), resynchronised
 * after the kernel drops events, HAP_ERR_NO_DEVICE when unplugged.
 *
 * Threads and ownership: as hap_device.h. The surface is borrowed and must
 * outlive the device.
 */
#ifndef HAP_TABLET_H
#define HAP_TABLET_H

#include "hap_device.h"
#include "sim_surface.h"

typedef struct hap_tablet_desc {
    const char *path;             /* "/dev/input/eventN"; NULL/"" = first pen */
    double max_depth_mm;          /* depth at full pressure; 0 = 2.5 */
    double pressure_threshold;    /* fraction of full scale; 0 = 0.02 */
    double pressure_gamma;        /* 0 = 1 (linear) */
    double hover_mm;              /* in range, not touching; 0 = 3 */
    uint32_t button_map[3];       /* BTN_STYLUS, BTN_STYLUS2, BTN_STYLUS3;
                                     all 0 = machine, aux, clutch */
    const sim_surface *surface;   /* chart mode when set (borrowed) */
    double chart_scale;           /* chart mm per tablet mm; 0 = 1 */
} hap_tablet_desc;

/* The desc with defaults filled in. */
hap_tablet_desc hap_tablet_desc_resolve(hap_tablet_desc d);

/* The tablet's axes, from its absinfo. Resolutions in units per mm (x, y)
 * and units per radian (tilt); 0 when the kernel gives none. */
typedef struct hap_tablet_axes {
    int32_t x_min, x_max, y_min, y_max;
    double x_res, y_res;
    int32_t p_min, p_max;
    bool has_tilt;
    double tilt_res;
} hap_tablet_axes;

/* The pen's raw state, updated event by event. */
typedef struct hap_tablet_pen {
    int32_t x, y, pressure, tilt_x, tilt_y;
    bool in_range;                /* BTN_TOOL_PEN */
    bool touching;                /* BTN_TOUCH */
    uint32_t keys;                /* bit 0-2: BTN_STYLUS, _STYLUS2, _STYLUS3 */
    uint64_t reports;             /* SYN_REPORTs seen */
} hap_tablet_pen;

/* Applies one input event (type, code, value as in linux/input.h). */
void hap_tablet_pen_event(hap_tablet_pen *pen, uint16_t type, uint16_t code, int32_t value);
/* The stylus state for the pen (device space, or the surface frame in
 * chart mode); `d` must be resolved. Returns false in chart mode when the
 * pen is outside the chart (the state then hovers at the last point). */
bool hap_tablet_pen_state(const hap_tablet_pen *pen, const hap_tablet_axes *axes,
                          const hap_tablet_desc *d, hap_state *st);

/* Opens a pen tablet. HAP_ERR_NOT_FOUND (no pen tablet / no such node),
 * HAP_ERR_ACCESS (permissions: the user must be allowed to read the event
 * node), HAP_ERR_UNSUPPORTED (the node is not a pen), HAP_ERR_IO. */
hap_result hap_tablet_open(hap_device *dev, const hap_tablet_desc *desc, sim_error *err);

#endif /* HAP_TABLET_H */
