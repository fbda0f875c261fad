/* hap_tablet.c: pen tablets through libevdev (see hap_tablet.h). */
#include "hap_tablet.h"

#include <errno.h>
#include <fcntl.h>
#include <libevdev/libevdev.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim_trace.h"

#define DEFAULT_RES_PER_MM 100.0   /* when the kernel gives no resolution */
#define MAX_EVENT_NODES 64

static double def(double v, double d) { return v == 0.0 ? d : v; }

hap_tablet_desc hap_tablet_desc_resolve(hap_tablet_desc d)
{
    d.max_depth_mm = def(d.max_depth_mm, 2.5);
    d.pressure_threshold = def(d.pressure_threshold, 0.02);
    d.pressure_gamma = def(d.pressure_gamma, 1.0);
    d.hover_mm = def(d.hover_mm, 3.0);
    d.chart_scale = def(d.chart_scale, 1.0);
    if (!d.button_map[0] && !d.button_map[1] && !d.button_map[2]) {
        d.button_map[0] = SIM_BUTTON_MACHINE;
        d.button_map[1] = SIM_BUTTON_AUX;
        d.button_map[2] = SIM_BUTTON_CLUTCH;
    }
    return d;
}

/* ------------------------------------------------------------------------ */
/* Events -> pen -> state (pure)                                            */
/* ------------------------------------------------------------------------ */

/* a - b of two device values (the kernel's absinfo and events: any int32),
 * in double so that no difference can overflow. */
static double diff(int32_t a, int32_t b) { return (double)a - (double)b; }

void hap_tablet_pen_event(hap_tablet_pen *pen, uint16_t type, uint16_t code, int32_t value)
{
    if (type == EV_ABS) {
        switch (code) {
        case ABS_X: pen->x = value; break;
        case ABS_Y: pen->y = value; break;
        case ABS_PRESSURE: pen->pressure = value; break;
        case ABS_TILT_X: pen->tilt_x = value; break;
        case ABS_TILT_Y: pen->tilt_y = value; break;
        default: break;
        }
    } else if (type == EV_KEY) {
        uint32_t bit = code == BTN_STYLUS ? 1u : code == BTN_STYLUS2 ? 2u : code == BTN_STYLUS3 ? 4u : 0u;
        if (bit)
            pen->keys = value ? pen->keys | bit : pen->keys & ~bit;
        else if (code == BTN_TOOL_PEN)
            pen->in_range = value != 0;
        else if (code == BTN_TOUCH)
            pen->touching = value != 0;
    } else if (type == EV_SYN && code == SYN_REPORT) {
        pen->reports++;
    }
}

static double depth_for(const hap_tablet_pen *pen, const hap_tablet_axes *a,
                        const hap_tablet_desc *d)
{
    if (!pen->touching || a->p_max <= a->p_min)
        return 0.0;
    double p = diff(pen->pressure, a->p_min) / diff(a->p_max, a->p_min);
    p = p < 0 ? 0 : p > 1 ? 1 : p;
    if (p <= d->pressure_threshold)
        return 0.0;
    double x = (p - d->pressure_threshold) / (1.0 - d->pressure_threshold);
    return d->max_depth_mm * pow(x, d->pressure_gamma);
}

bool hap_tablet_pen_state(const hap_tablet_pen *pen, const hap_tablet_axes *a,
                          const hap_tablet_desc *d, hap_state *st)
{
    double xr = a->x_res > 0 ? a->x_res : DEFAULT_RES_PER_MM;
    double yr = a->y_res > 0 ? a->y_res : DEFAULT_RES_PER_MM;
    double x_mm = diff(pen->x, a->x_min) / xr;
    double y_mm = diff(a->y_max, pen->y) / yr;   /* tablets count y toward the user */
    double depth = depth_for(pen, a, d);
    /* touching with no depth is on the skin; away it hovers */
    double height = pen->touching ? -depth : d->hover_mm;
    st->buttons = 0;
    for (int i = 0; i < 3; i++)
        if (pen->keys & (1u << i))
            st->buttons |= d->button_map[i];
    st->pressure = 0;
    if (a->p_max > a->p_min) {
        double p = diff(pen->pressure, a->p_min) / diff(a->p_max, a->p_min);
        st->pressure = p < 0 ? 0 : p > 1 ? 1 : p;
    }
    st->homed = true;
    if (!d->surface) {
        st->tip_mm = sim_v3(x_mm, y_mm, height);
        sim_vec3 axis = sim_v3(0, 0, 1);
        if (a->has_tilt) {
            double per_rad = a->tilt_res > 0 ? a->tilt_res : 180.0 / SIM_PI;   /* degrees */
            double tx = (double)pen->tilt_x / per_rad, ty = (double)pen->tilt_y / per_rad;
            if (fabs(tx) < 1.4 && fabs(ty) < 1.4)   /* below about 80 degrees */
                axis = sim_v3_normalize(sim_v3(tan(tx), -tan(ty), 1.0));
        }
        st->axis = axis;
        st->axis_sensed = a->has_tilt;
        return true;
    }
    double w_mm = diff(a->x_max, a->x_min) / xr, h_mm = diff(a->y_max, a->y_min) / yr;
    sim_vec2 uv = sim_v2((x_mm - w_mm / 2) * d->chart_scale, (y_mm - h_mm / 2) * d->chart_scale);
    sim_surface_hit hit;
    if (!sim_surface_from_chart(d->surface, uv, &hit))
        return false;
    st->tip_mm = sim_v3_sub(hit.point_mm, sim_v3_scale(hit.normal, -height));
    st->axis = hit.normal;
    st->axis_sensed = false;
    return true;
}

/* ------------------------------------------------------------------------ */
/* The device                                                               */
/* ------------------------------------------------------------------------ */

typedef struct tablet {
    int fd;
    struct libevdev *evdev;
    hap_tablet_desc d;
    hap_tablet_axes axes;
    hap_tablet_pen pen;
    hap_state last;               /* the last good state (chart misses keep it) */
    bool have_last;
} tablet;

static hap_result tablet_read(hap_device *dev, int64_t t_us, hap_state *st)
{
    (void)t_us;
    tablet *tb = dev->impl;
    for (;;) {
        struct input_event ev;
        int rc = libevdev_next_event(tb->evdev, LIBEVDEV_READ_FLAG_NORMAL, &ev);
        if (rc == LIBEVDEV_READ_STATUS_SYNC) {
            /* the kernel dropped events: take the resynchronised state */
            while (rc == LIBEVDEV_READ_STATUS_SYNC) {
                hap_tablet_pen_event(&tb->pen, ev.type, ev.code, ev.value);
                rc = libevdev_next_event(tb->evdev, LIBEVDEV_READ_FLAG_SYNC, &ev);
            }
            continue;
        }
        if (rc == LIBEVDEV_READ_STATUS_SUCCESS) {
            hap_tablet_pen_event(&tb->pen, ev.type, ev.code, ev.value);
            continue;
        }
        if (rc == -EAGAIN)
            break;
        if (rc == -ENODEV)
            return hap_device__fail(dev, HAP_ERR_NO_DEVICE, -rc, "reading the pen tablet");
        if (rc == -EINTR)
            continue;
        return hap_device__fail(dev, HAP_ERR_IO, -rc, "reading the pen tablet");
    }
    hap_state s = *st;
    if (hap_tablet_pen_state(&tb->pen, &tb->axes, &tb->d, &s)) {
        tb->last = s;
        tb->have_last = true;
    } else if (tb->have_last) {
        s = tb->last;
        s.tip_mm = sim_v3_add(s.tip_mm, sim_v3_scale(s.axis, tb->d.hover_mm));
    }
    *st = s;
    return HAP_OK;
}

static void tablet_close(hap_device *dev)
{
    tablet *tb = dev->impl;
    libevdev_free(tb->evdev);
    if (tb->fd >= 0)
        close(tb->fd);
    sim_free(tb);
    dev->impl = NULL;
}

static const hap_backend_ops tablet_ops = {
    .name = "tablet",
    .close = tablet_close,
    .read = tablet_read,
};

static bool is_pen(struct libevdev *e)
{
    return libevdev_has_event_code(e, EV_ABS, ABS_X) && libevdev_has_event_code(e, EV_ABS, ABS_Y) &&
           libevdev_has_event_code(e, EV_ABS, ABS_PRESSURE) &&
           libevdev_has_event_code(e, EV_KEY, BTN_TOOL_PEN);
}

/* Opens one node; HAP_ERR_UNSUPPORTED when it is not a pen. */
static hap_result open_node(const char *path, int *fd_out, struct libevdev **ev_out, sim_error *err)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        if (err)
            err->sys_errno = e;
        hap_result r = e == EACCES || e == EPERM ? HAP_ERR_ACCESS
                     : e == ENOENT || e == ENODEV || e == ENXIO ? HAP_ERR_NOT_FOUND
                     : e == EBUSY ? HAP_ERR_BUSY : HAP_ERR_IO;
        return (hap_result)sim_error_set(err, r, path, 0, 0, "cannot open: %s%s", strerror(e),
                                         r == HAP_ERR_ACCESS
                                             ? " (add the user to the 'input' group or install "
                                               "the udev rule from docs/haptics.md)"
                                             : "");
    }
    struct libevdev *ev = NULL;
    int rc = libevdev_new_from_fd(fd, &ev);
    if (rc < 0) {
        close(fd);
        return (hap_result)sim_error_set(err, HAP_ERR_IO, path, 0, 0,
                                         "not an input device: %s", strerror(-rc));
    }
    if (!is_pen(ev)) {
        libevdev_free(ev);
        close(fd);
        return (hap_result)sim_error_set(err, HAP_ERR_UNSUPPORTED, path, 0, 0,
                                         "not a pen tablet (no pen tool with pressure)");
    }
    *fd_out = fd;
    *ev_out = ev;
    return HAP_OK;
}

hap_result hap_tablet_open(hap_device *dev, const hap_tablet_desc *desc, sim_error *err)
{
    memset(dev, 0, sizeof *dev);
    hap_tablet_desc d = hap_tablet_desc_resolve(desc ? *desc : (hap_tablet_desc){0});
    if (!(d.max_depth_mm > 0 && d.max_depth_mm < 20 && d.pressure_threshold >= 0 &&
          d.pressure_threshold < 1 && d.pressure_gamma > 0 && d.hover_mm > 0 && d.chart_scale > 0))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "tablet: depth, threshold, gamma, hover or scale out of range");
    int fd = -1;
    struct libevdev *ev = NULL;
    char path[64];
    hap_result r;
    if (d.path && *d.path) {
        r = open_node(d.path, &fd, &ev, err);
        snprintf(path, sizeof path, "%s", d.path);
    } else {
        /* the first pen; remember a permission failure to report it */
        r = HAP_ERR_NOT_FOUND;
        bool denied = false;
        for (int i = 0; i < MAX_EVENT_NODES && r != HAP_OK; i++) {
            snprintf(path, sizeof path, "/dev/input/event%d", i);
            r = open_node(path, &fd, &ev, NULL);
            denied |= r == HAP_ERR_ACCESS;
        }
        if (r != HAP_OK)
            return (hap_result)sim_error_set(err, denied ? HAP_ERR_ACCESS : HAP_ERR_NOT_FOUND, NULL, 0, 0,
                                             denied ? "no readable pen tablet: some input devices "
                                                      "are not readable by this user (add it to the "
                                                      "'input' group)"
                                                    : "no pen tablet is connected");
    }
    if (r != HAP_OK)
        return r;
    tablet *tb = sim_calloc(1, sizeof *tb);
    if (!tb) {
        libevdev_free(ev);
        close(fd);
        return (hap_result)sim_error_set(err, HAP_ERR_NOMEM, NULL, 0, 0, "tablet: out of memory");
    }
    tb->fd = fd;
    tb->evdev = ev;
    tb->d = d;
    const struct input_absinfo *ax = libevdev_get_abs_info(ev, ABS_X);
    const struct input_absinfo *ay = libevdev_get_abs_info(ev, ABS_Y);
    const struct input_absinfo *ap = libevdev_get_abs_info(ev, ABS_PRESSURE);
    const struct input_absinfo *at = libevdev_get_abs_info(ev, ABS_TILT_X);
    tb->axes.x_min = ax->minimum;
    tb->axes.x_max = ax->maximum;
    tb->axes.y_min = ay->minimum;
    tb->axes.y_max = ay->maximum;
    tb->axes.x_res = ax->resolution;
    tb->axes.y_res = ay->resolution;
    tb->axes.p_min = ap->minimum;
    tb->axes.p_max = ap->maximum;
    tb->axes.has_tilt = at && libevdev_has_event_code(ev, EV_ABS, ABS_TILT_Y);
    tb->axes.tilt_res = at ? at->resolution : 0;
    /* the current state, before any event arrives */
    tb->pen.x = libevdev_get_event_value(ev, EV_ABS, ABS_X);
    tb->pen.y = libevdev_get_event_value(ev, EV_ABS, ABS_Y);
    tb->pen.pressure = libevdev_get_event_value(ev, EV_ABS, ABS_PRESSURE);
    tb->pen.in_range = libevdev_get_event_value(ev, EV_KEY, BTN_TOOL_PEN) != 0;
    tb->pen.touching = libevdev_get_event_value(ev, EV_KEY, BTN_TOUCH) != 0;

    hap_device_info info;
    memset(&info, 0, sizeof info);
    info.backend = HAP_BACKEND_TABLET;
    snprintf(info.model, sizeof info.model, "%s", libevdev_get_name(ev) ? libevdev_get_name(ev) : "pen tablet");
    snprintf(info.location, sizeof info.location, "%s", path);
    double xr = tb->axes.x_res > 0 ? tb->axes.x_res : DEFAULT_RES_PER_MM;
    double yr = tb->axes.y_res > 0 ? tb->axes.y_res : DEFAULT_RES_PER_MM;
    info.workspace_min_mm = sim_v3(0, 0, -d.max_depth_mm);
    info.workspace_max_mm = sim_v3(diff(tb->axes.x_max, tb->axes.x_min) / xr,
                                   diff(tb->axes.y_max, tb->axes.y_min) / yr, d.hover_mm);
    info.sensed = HAP_AXIS_XYZ | HAP_AXIS_PRESSURE | (tb->axes.has_tilt ? HAP_AXIS_STYLUS : 0);
    info.button_count = 3;
    info.surface_frame = d.surface != NULL;
    hap_device__attach(dev, &tablet_ops, tb, &info);
    return HAP_OK;
}
