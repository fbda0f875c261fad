/* sim_impression.c: the cartridge table and impression extraction from
 * stylus samples (see sim_impression.h for the definition of an
 * impression).
 *
 * Threads: reentrant; an extractor belongs to one thread.
 */
#include "sim_impression.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Cartridges                                                               */
/* ------------------------------------------------------------------------ */

/* Group diameter of a 3-needle round liner: three touching needles of
 * diameter d fit in a circle of d * (1 + 2/sqrt(3)). */
#define RL3_GROUP (1.0 + 2.0 / 1.7320508075688772)

static const sim_needle NEEDLES[] = {
    {"0603RL", 3, 0.20, 0.20 * RL3_GROUP},
    {"0601RL", 1, 0.20, 0.20},
    {"0801RL", 1, 0.25, 0.25},
    {"0803RL", 3, 0.25, 0.25 * RL3_GROUP},
    {"1001RL", 1, 0.30, 0.30},
    {"1003RL", 3, 0.30, 0.30 * RL3_GROUP},
    {"1201RL", 1, 0.35, 0.35},
    {"1203RL", 3, 0.35, 0.35 * RL3_GROUP},
};

double sim_needle_group_diameter_mm(uint32_t needle_count, double needle_diameter_mm)
{
    if (needle_count == 1)
        return needle_diameter_mm;
    if (needle_count == 3)
        return needle_diameter_mm * RL3_GROUP;
    return 0.0;
}

size_t sim_needle_count(void) { return sizeof NEEDLES / sizeof NEEDLES[0]; }

const sim_needle *sim_needle_get(size_t index)
{
    return index < sim_needle_count() ? &NEEDLES[index] : &NEEDLES[0];
}

int sim_needle_find(const char *name)
{
    if (!name)
        return -1;
    char norm[SIM_NEEDLE_NAME_LEN + 1];
    size_t n = 0;
    for (const char *p = name; *p && n < SIM_NEEDLE_NAME_LEN; p++)
        norm[n++] = (char)toupper((unsigned char)*p);
    norm[n] = 0;
    if (n == 4 && isdigit((unsigned char)norm[0]))
        strcat(norm, "RL");
    for (size_t i = 0; i < sim_needle_count(); i++)
        if (strcmp(norm, NEEDLES[i].name) == 0)
            return (int)i;
    return -1;
}

/* ------------------------------------------------------------------------ */
/* Lists                                                                    */
/* ------------------------------------------------------------------------ */

sim_impression_params sim_impression_params_resolve(sim_impression_params p)
{
    if (p.enter_depth_mm <= 0)
        p.enter_depth_mm = 0.005;
    if (p.needle >= sim_needle_count())
        p.needle = 0;
    return p;
}

void sim_impression_list_init(sim_impression_list *list)
{
    memset(list, 0, sizeof *list);
}

void sim_impression_list_deinit(sim_impression_list *list)
{
    if (!list)
        return;
    sim_free(list->items);
    memset(list, 0, sizeof *list);
}

sim_result sim_impression_list_push(sim_impression_list *list, const sim_impression *imp)
{
    void *items = list->items;
    if (sim_array_grow(&items, &list->capacity, list->count, sizeof *list->items, 256) != SIM_OK)
        return SIM_ERR_NOMEM;
    list->items = items;
    list->items[list->count++] = *imp;
    return SIM_OK;
}

/* ------------------------------------------------------------------------ */
/* Extraction                                                               */
/* ------------------------------------------------------------------------ */

void sim_extractor_init(sim_extractor *ex, const sim_surface *surface,
                        const sim_impression_params *params)
{
    memset(ex, 0, sizeof *ex);
    ex->surface = surface;
    ex->params = sim_impression_params_resolve(params ? *params : (sim_impression_params){0});
    ex->last_depth_mm = -INFINITY;
}

static sim_vec3 tip_of(const sim_sample *s)
{
    return sim_v3(s->tip_mm[0], s->tip_mm[1], s->tip_mm[2]);
}

/* The part of v along the surface (perpendicular to the unit normal n),
 * normalised; 0 when v has none. */
static sim_vec3 tangent_dir(sim_vec3 v, sim_vec3 n)
{
    sim_vec3 t = sim_v3_sub(v, sim_v3_scale(n, sim_v3_dot(v, n)));
    return sim_v3_len(t) > 1e-9 ? sim_v3_normalize(t) : sim_v3(0, 0, 0);
}

/* Where the tip travels under the skin: against the axis (which points from
 * the tip back to the grip), along the surface. */
static sim_vec3 tilt_of(const sim_sample *s, sim_vec3 normal)
{
    sim_vec3 axis = sim_v3(s->axis[0], s->axis[1], s->axis[2]);
    return tangent_dir(sim_v3_scale(axis, -1.0), normal);
}

static double needle_angle(const sim_sample *s, sim_vec3 normal)
{
    sim_vec3 axis = sim_v3_normalize(sim_v3(s->axis[0], s->axis[1], s->axis[2]));
    if (sim_v3_len2(axis) == 0.0)
        return 0.0;  /* a device that senses no axis: assume perpendicular */
    double c = sim_v3_dot(axis, normal);
    return acos(c > 1.0 ? 1.0 : (c < -1.0 ? -1.0 : c));
}

/* Opens an impression at the point where the needle crossed the surface:
 * between the previous (above) and current (below) tip when both are
 * known, else at the current tip's closest surface point. */
static void open_impression(sim_extractor *ex, const sim_sample *s, const sim_surface_hit *hit,
                            bool have_prev, sim_vec3 prev_tip)
{
    sim_surface_hit entry = *hit;
    if (have_prev && ex->last_depth_mm < 0.0) {
        double a = -ex->last_depth_mm, b = hit->depth_mm;
        double t = a / (a + b);
        sim_vec3 cross = sim_v3_add(prev_tip, sim_v3_scale(sim_v3_sub(tip_of(s), prev_tip), t));
        sim_surface_closest(ex->surface, cross, &entry);
        if (!entry.on_surface)
            entry = *hit;
    }
    sim_impression *imp = &ex->open;
    memset(imp, 0, sizeof *imp);
    imp->surface_mm = entry.point_mm;
    imp->normal = entry.normal;
    imp->chart_mm = entry.chart_mm;
    imp->depth_mm = hit->depth_mm;
    imp->angle_rad = needle_angle(s, hit->normal);
    imp->peak_force_n = s->force_n;
    imp->t_start_us = s->t_us;
    imp->t_end_us = s->t_us;
    imp->needle = ex->params.needle;
    imp->tilt_dir = tilt_of(s, hit->normal);
    sim_vec3 off = sim_v3_sub(hit->point_mm, entry.point_mm);
    imp->drag_mm = sim_v3_len(off);
    imp->drag_dir = tangent_dir(off, entry.normal);
    ex->in_contact = true;
}

static void update_impression(sim_extractor *ex, const sim_sample *s, const sim_surface_hit *hit)
{
    sim_impression *imp = &ex->open;
    if (hit->depth_mm > imp->depth_mm) {
        imp->depth_mm = hit->depth_mm;
        imp->angle_rad = needle_angle(s, hit->normal);
        imp->tilt_dir = tilt_of(s, hit->normal);
    }
    if (s->force_n > imp->peak_force_n)
        imp->peak_force_n = s->force_n;
    sim_vec3 off = sim_v3_sub(hit->point_mm, imp->surface_mm);
    double drag = sim_v3_len(off);
    if (drag > imp->drag_mm) {
        imp->drag_mm = drag;
        imp->drag_dir = tangent_dir(off, imp->normal);
    }
    imp->t_end_us = s->t_us;
}

static void close_impression(sim_extractor *ex, sim_impression *out)
{
    sim_impression *imp = &ex->open;
    /* in double: sample times come from a file and may be any int64 (the
     * result is the same for every difference that fits) */
    imp->dwell_s = ((double)imp->t_end_us - (double)imp->t_start_us) * 1e-6;
    *out = *imp;
    ex->in_contact = false;
}

void sim_extractor_feed(sim_extractor *ex, const sim_sample *s, sim_impression *out, bool *done)
{
    *done = false;
    sim_surface_hit hit;
    sim_vec3 tip = tip_of(s);
    sim_surface_closest(ex->surface, tip, &hit);
    bool machine = (s->buttons & SIM_BUTTON_MACHINE) && !(s->buttons & SIM_BUTTON_CLUTCH);
    bool below = hit.on_surface && hit.depth_mm > 0.0;
    bool have_prev = ex->last_depth_mm != -INFINITY;
    if (ex->in_contact) {
        if (!machine || !below) {
            close_impression(ex, out);
            *done = true;
        } else {
            update_impression(ex, s, &hit);
        }
    } else if (machine && hit.on_surface && hit.depth_mm >= ex->params.enter_depth_mm) {
        open_impression(ex, s, &hit, have_prev, ex->last_tip);
    }
    ex->last_tip = tip;
    ex->last_depth_mm = hit.depth_mm;
}

bool sim_extractor_finish(sim_extractor *ex, sim_impression *out)
{
    if (!ex->in_contact)
        return false;
    close_impression(ex, out);
    return true;
}

sim_result sim_impressions_from_trace(const sim_surface *surface, const sim_trace *trace,
                                      const sim_impression_params *params,
                                      sim_impression_list *list)
{
    sim_extractor ex;
    sim_extractor_init(&ex, surface, params);
    sim_impression imp;
    bool done;
    for (size_t i = 0; i < trace->count; i++) {
        sim_extractor_feed(&ex, &trace->samples[i], &imp, &done);
        if (done && sim_impression_list_push(list, &imp) != SIM_OK)
            return SIM_ERR_NOMEM;
    }
    if (sim_extractor_finish(&ex, &imp) && sim_impression_list_push(list, &imp) != SIM_OK)
        return SIM_ERR_NOMEM;
    return SIM_OK;
}

/* ------------------------------------------------------------------------ */
/* Footprint                                                                */
/* ------------------------------------------------------------------------ */

/* Beyond this tilt the depth x tan(angle) streak is capped (a needle laid
 * nearly flat scratches rather than punctures). */
#define FOOTPRINT_MAX_TILT_RAD 1.3962634015954636  /* 80 degrees */

void sim_impression_footprint(const sim_impression *imp, sim_footprint *out)
{
    double group = sim_needle_get(imp->needle)->group_diameter_mm;
    double angle = imp->angle_rad > 0 ? imp->angle_rad : 0.0;
    if (angle > FOOTPRINT_MAX_TILT_RAD)
        angle = FOOTPRINT_MAX_TILT_RAD;
    double depth = imp->depth_mm > 0 ? imp->depth_mm : 0.0;
    double tilt = depth * tan(angle);
    double drag = imp->drag_mm > 0 && isfinite(imp->drag_mm) ? imp->drag_mm : 0.0;
    out->width_mm = group;
    out->length_mm = group + (drag > tilt ? drag : tilt);
    out->direction = drag > tilt ? imp->drag_dir : imp->tilt_dir;
    if (out->length_mm - group < 1e-9)
        out->direction = sim_v3(0, 0, 0);
}
