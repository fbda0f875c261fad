/* hap_mouse.c: the mouse-fed stylus (see hap_mouse.h). */
#include "hap_mouse.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hap_tribuf.h"

typedef struct mouse {
    hap_tribuf inbox;             /* hap_mouse_input: main -> servo */
    double hover_mm;
    sim_vec3 last_point, last_normal;
    bool have_point;
} mouse;

static bool finite3(sim_vec3 v) { return isfinite(v.x) && isfinite(v.y) && isfinite(v.z); }

static hap_result mouse_read(hap_device *dev, int64_t t_us, hap_state *st)
{
    (void)t_us;
    mouse *m = dev->impl;
    const hap_mouse_input *in = hap_tribuf_read(&m->inbox, NULL);
    bool usable = in->valid && finite3(in->point_mm) && finite3(in->normal) &&
                  finite3(in->axis) && isfinite(in->depth_mm) && sim_v3_len2(in->normal) > 0;
    if (usable) {
        sim_vec3 n = sim_v3_normalize(in->normal);
        sim_vec3 a = sim_v3_len2(in->axis) > 0 ? sim_v3_normalize(in->axis) : n;
        st->tip_mm = sim_v3_sub(in->point_mm, sim_v3_scale(a, in->depth_mm));
        st->axis = a;
        st->buttons = in->buttons;
        m->last_point = in->point_mm;
        m->last_normal = n;
        m->have_point = true;
    } else {
        sim_vec3 n = m->have_point ? m->last_normal : sim_v3(0, 0, 1);
        sim_vec3 p = m->have_point ? m->last_point : sim_v3(0, 0, 0);
        st->tip_mm = sim_v3_add(p, sim_v3_scale(n, m->hover_mm));
        st->axis = n;
        /* off the skin the machine may still run (it buzzes in the air);
         * the clutch and aux buttons pass through too */
        st->buttons = in->buttons;
    }
    st->axis_sensed = true;
    st->homed = true;
    return HAP_OK;
}

static void mouse_close(hap_device *dev)
{
    mouse *m = dev->impl;
    hap_tribuf_deinit(&m->inbox);
    sim_free(m);
    dev->impl = NULL;
}

static const hap_backend_ops mouse_ops = {
    .name = "mouse",
    .close = mouse_close,
    .read = mouse_read,
};

hap_result hap_mouse_open(hap_device *dev, const hap_mouse_desc *desc, sim_error *err)
{
    memset(dev, 0, sizeof *dev);
    double hover = desc && desc->hover_mm != 0 ? desc->hover_mm : 5.0;
    if (!(hover > 0 && hover < 1000))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "mouse: hover height %g mm is not in (0, 1000)", hover);
    mouse *m = sim_calloc(1, sizeof *m);
    if (!m)
        return (hap_result)sim_error_set(err, HAP_ERR_NOMEM, NULL, 0, 0, "mouse: out of memory");
    hap_mouse_input none;
    memset(&none, 0, sizeof none);
    hap_result r = hap_tribuf_init(&m->inbox, sizeof none, &none, err);
    if (r != HAP_OK) {
        sim_free(m);
        return r;
    }
    m->hover_mm = hover;
    hap_device_info info;
    memset(&info, 0, sizeof info);
    info.backend = HAP_BACKEND_MOUSE;
    snprintf(info.model, sizeof info.model, "mouse");
    info.workspace_min_mm = sim_v3(-1000, -1000, -1000);
    info.workspace_max_mm = sim_v3(1000, 1000, 1000);
    info.sensed = HAP_AXIS_XYZ | HAP_AXIS_STYLUS;
    info.button_count = 3;
    info.surface_frame = true;
    hap_device__attach(dev, &mouse_ops, m, &info);
    return HAP_OK;
}

void hap_mouse_feed(hap_device *dev, const hap_mouse_input *in)
{
    if (!hap_device_is_open(dev) || dev->ops != &mouse_ops || !in)
        return;
    hap_tribuf_put(&((mouse *)dev->impl)->inbox, in);
}
