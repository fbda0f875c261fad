/* hap_script.c: the scripted virtual stylus (see hap_script.h).
 *
 * Each stroke runs four phases: TRAVEL (hover above the skin to the point
 * above the entry, machine off), DESCEND (along the needle axis to the
 * target depth, machine on), DWELL (held at depth, optionally dragged
 * sideways), ASCEND (back out to the hover height). Travel keeps the tip at
 * least `hover_mm` above the skin even across a curved head.
 *
 * Threads: one thread per script; allocation-free.
 */
#include "hap_script.h"

#include <math.h>
#include <string.h>

hap_script_desc hap_script_desc_resolve(hap_script_desc d)
{
    if (d.rate_hz == 0)
        d.rate_hz = 1000;
    if (d.hover_mm <= 0)
        d.hover_mm = 1.5;
    if (d.approach_mm_s <= 0)
        d.approach_mm_s = 40.0;
    if (d.travel_mm_s <= 0)
        d.travel_mm_s = 150.0;
    if (d.dwell_s <= 0)
        d.dwell_s = 0.03;
    if (d.force_k_n_per_mm <= 0)
        d.force_k_n_per_mm = 0.8;
    return d;
}

/* A unit vector perpendicular to n (deterministic choice). */
static sim_vec3 any_tangent(sim_vec3 n)
{
    sim_vec3 ref = fabs(n.x) < 0.9 ? sim_v3(1, 0, 0) : sim_v3(0, 1, 0);
    return sim_v3_normalize(sim_v3_cross(n, ref));
}

/* Resolves stroke `index` on the surface; invalid strokes are skipped. */
static void load_stroke(hap_script *s)
{
    while (s->index < s->count) {
        const hap_stroke *st = &s->strokes[s->index];
        sim_surface_hit hit;
        if (sim_surface_from_chart(s->surface, st->chart_mm, &hit)) {
            s->entry = hit.point_mm;
            s->normal = hit.normal;
            sim_vec3 t = any_tangent(hit.normal);
            s->axis = sim_v3_normalize(sim_v3_add(sim_v3_scale(hit.normal, cos(st->tilt_rad)),
                                                  sim_v3_scale(t, sin(st->tilt_rad))));
            /* depth is measured perpendicular to the skin; a tilted
             * needle travels further along its axis to reach it */
            s->depth_mm = st->depth_mm / cos(st->tilt_rad);
            s->dwell_s = st->dwell_s > 0 ? st->dwell_s : s->desc.dwell_s;
            s->drag_to = s->entry;
            if (st->drag_chart_mm.x != 0.0 || st->drag_chart_mm.y != 0.0) {
                sim_vec2 to = sim_v2(st->chart_mm.x + st->drag_chart_mm.x,
                                     st->chart_mm.y + st->drag_chart_mm.y);
                sim_surface_hit dh;
                if (sim_surface_from_chart(s->surface, to, &dh))
                    s->drag_to = dh.point_mm;
            }
            s->valid = true;
            s->travel_from = s->pos;
            s->phase = HAP_PHASE_TRAVEL;
            s->phase_t_s = 0;
            return;
        }
        s->index++;
    }
    s->phase = HAP_PHASE_DONE;
}

void hap_script_init(hap_script *s, const sim_surface *surface, const hap_script_desc *desc,
                     const hap_stroke *strokes, size_t count)
{
    memset(s, 0, sizeof *s);
    s->surface = surface;
    s->desc = hap_script_desc_resolve(desc ? *desc : (hap_script_desc){0});
    s->strokes = strokes;
    s->count = count;
    s->phase = HAP_PHASE_DONE;
    if (count == 0)
        return;
    /* start hovering above the first stroke */
    s->index = 0;
    load_stroke(s);
    if (s->phase != HAP_PHASE_DONE) {
        s->pos = sim_v3_add(s->entry, sim_v3_scale(s->axis, s->desc.hover_mm));
        s->travel_from = s->pos;
    }
}

/* The tip on the needle line at `depth` (negative: above the skin). */
static sim_vec3 on_axis(const hap_script *s, sim_vec3 base, double depth)
{
    return sim_v3_sub(base, sim_v3_scale(s->axis, depth));
}

/* Keeps a travelling tip at least hover_mm above the skin. */
static sim_vec3 keep_above(const hap_script *s, sim_vec3 p)
{
    sim_surface_hit hit;
    sim_surface_closest(s->surface, p, &hit);
    if (hit.depth_mm > -s->desc.hover_mm)
        return sim_v3_add(hit.point_mm, sim_v3_scale(hit.normal, s->desc.hover_mm));
    return p;
}

bool hap_script_next(hap_script *s, sim_sample *out)
{
    if (s->phase == HAP_PHASE_DONE)
        return false;
    const hap_script_desc *d = &s->desc;
    double dt = 1.0 / d->rate_hz;
    double hover = d->hover_mm;
    uint32_t buttons = 0;
    double depth = -hover;   /* below the skin along the axis; < 0 above */
    sim_vec3 base = s->entry;

    switch (s->phase) {
    case HAP_PHASE_TRAVEL: {
        sim_vec3 target = on_axis(s, s->entry, -hover);
        double dist = sim_v3_len(sim_v3_sub(target, s->travel_from));
        double dur = dist / d->travel_mm_s;
        double f = dur > 0 ? s->phase_t_s / dur : 1.0;
        if (f >= 1.0) {
            s->pos = target;
            s->phase = HAP_PHASE_DESCEND;
            s->phase_t_s = 0;
        } else {
            sim_vec3 p = sim_v3_add(s->travel_from,
                                    sim_v3_scale(sim_v3_sub(target, s->travel_from), f));
            s->pos = keep_above(s, p);
        }
        break;
    }
    case HAP_PHASE_DESCEND:
        buttons = SIM_BUTTON_MACHINE;
        depth = -hover + d->approach_mm_s * s->phase_t_s;
        if (depth >= s->depth_mm) {
            depth = s->depth_mm;
            s->phase = HAP_PHASE_DWELL;
            s->phase_t_s = 0;
        }
        s->pos = on_axis(s, base, depth);
        break;
    case HAP_PHASE_DWELL: {
        buttons = SIM_BUTTON_MACHINE;
        depth = s->depth_mm;
        double f = s->dwell_s > 0 ? s->phase_t_s / s->dwell_s : 1.0;
        if (f > 1.0)
            f = 1.0;
        base = sim_v3_add(s->entry, sim_v3_scale(sim_v3_sub(s->drag_to, s->entry), f));
        s->pos = on_axis(s, base, depth);
        if (s->phase_t_s >= s->dwell_s) {
            s->phase = HAP_PHASE_ASCEND;
            s->phase_t_s = 0;
            s->entry = s->drag_to;   /* retract where the drag ended */
        }
        break;
    }
    case HAP_PHASE_ASCEND:
        buttons = SIM_BUTTON_MACHINE;
        depth = s->depth_mm - d->approach_mm_s * s->phase_t_s;
        if (depth <= -hover) {
            depth = -hover;
            s->pos = on_axis(s, base, depth);
            s->index++;
            load_stroke(s);
        } else {
            s->pos = on_axis(s, base, depth);
        }
        break;
    case HAP_PHASE_DONE:
        return false;
    }

    memset(out, 0, sizeof *out);
    out->t_us = s->t_us;
    out->tip_mm[0] = (float)s->pos.x;
    out->tip_mm[1] = (float)s->pos.y;
    out->tip_mm[2] = (float)s->pos.z;
    out->axis[0] = (float)s->axis.x;
    out->axis[1] = (float)s->axis.y;
    out->axis[2] = (float)s->axis.z;
    out->force_n = depth > 0 ? (float)(d->force_k_n_per_mm * depth) : 0.0f;
    out->buttons = buttons;
    s->phase_t_s += dt;
    s->t_us = (int64_t)llround((double)(++s->sample_index) * 1e6 / d->rate_hz);
    return true;
}
