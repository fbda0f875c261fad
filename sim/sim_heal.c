/* sim_heal.c: the healing model (SIM_VERSION 2): depth against the local
 * tissue, the healed dot by equivalent depth, tissue, needle, machine and
 * pigment, stacking of repeated hits and merge groups of overlapping dots.
 * See sim_heal.h for the model and docs/fidelity.md for every constant.
 *
 * Continuity: at each class boundary size and hue shift only grow with
 * depth, so a slightly deeper impression never heals smaller or less blue.
 *
 * Threads: reentrant.
 */
#include "sim_heal.h"

#include <math.h>
#include <string.h>

#include "sim_pairs.h"

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */
/* ------------------------------------------------------------------------ */

#define BLUR_START_MM 1.5        /* practitioners' deepest SMP depth */
#define BLOWOUT_START_MM 2.0     /* "up to 1.5-2 mm"; body tattoos 1.5-3 mm */
/* Darkness of pigment left in the epidermis once it has renewed. */
#define FADED_DARKNESS 0.12
/* Below the epidermis darkness ramps up to full by this depth (part of the
 * pigment is still shed with the uppermost papillary dermis). */
#define FULL_DARKNESS_DEPTH_MM 0.4
/* In the band the dot grows by up to 10% of the group toward blur_start. */
#define CRISP_GROWTH_START_MM 1.0
/* Beer-Lambert: darkness = 1 - exp(-k c), normalised to 1 at c = 1. */
#define BEER_K 2.0
/* Stacking: normal strikes in one tap; the wound holds this many loads
 * before pigment is pushed sideways. */
#define TAP_STRIKES 12.0
#define STACK_CAPACITY 2.0

/* ------------------------------------------------------------------------ */
/* Names                                                                    */
/* ------------------------------------------------------------------------ */

const char *sim_heal_class_name(sim_heal_class c)
{
    switch (c) {
    case SIM_HEAL_FADED: return "faded";
    case SIM_HEAL_CRISP: return "crisp";
    case SIM_HEAL_BLURRED: return "blurred";
    case SIM_HEAL_BLOWOUT: return "blowout";
    }
    return "unknown";
}

const char *sim_depth_class_name(sim_depth_class c)
{
    switch (c) {
    case SIM_DEPTH_LOST: return "lost";
    case SIM_DEPTH_SHALLOW: return "shallow";
    case SIM_DEPTH_BAND: return "band";
    case SIM_DEPTH_DEEP: return "deep";
    case SIM_DEPTH_BLOWOUT: return "blowout";
    case SIM_DEPTH_TRAUMA: return "trauma";
    }
    return "unknown";
}

/* ------------------------------------------------------------------------ */
/* Parameters and depth                                                     */
/* ------------------------------------------------------------------------ */

sim_heal_params sim_heal_params_resolve(sim_heal_params p)
{
    if (!(p.blur_start_mm > 0))
        p.blur_start_mm = BLUR_START_MM;
    if (!(p.blowout_start_mm > 0))
        p.blowout_start_mm = BLOWOUT_START_MM;
    if (p.blowout_start_mm <= p.blur_start_mm)
        p.blowout_start_mm = p.blur_start_mm + 0.5;
    if (!p.pigments)
        p.pigment_count = 0;
    return p;
}

double sim_depth_equivalent_mm(double depth_mm, double epidermis_mm, double dermis_mm)
{
    const double e0 = SIM_TISSUE_REF_EPIDERMIS_MM, d0 = SIM_TISSUE_REF_DERMIS_MM;
    if (!(epidermis_mm > 0) || !(dermis_mm > 0))
        return depth_mm;
    if (depth_mm <= epidermis_mm)
        return depth_mm * (e0 / epidermis_mm);
    return e0 + (depth_mm - epidermis_mm) * (d0 / dermis_mm);
}

static void sample_under(const sim_heal_params *p, const sim_impression *imp,
                         sim_tissue_sample *s)
{
    sim_tissue ref;
    const sim_tissue *t = p->tissue;
    if (!t) {
        sim_tissue_init_default(&ref, SIM_SURFACE_PAD);
        t = &ref;
    }
    sim_tissue_at(t, imp->chart_mm, s);
}

sim_depth_class sim_depth_classify(const sim_impression *imp, const sim_heal_params *params,
                                   double band_min_mm, double band_max_mm)
{
    sim_heal_params p = sim_heal_params_resolve(params ? *params : (sim_heal_params){0});
    sim_tissue_sample s;
    sample_under(&p, imp, &s);
    double d = sim_depth_equivalent_mm(imp->depth_mm, s.epidermis_mm, s.dermis_mm);
    if (d > SIM_TISSUE_REF_EPIDERMIS_MM + SIM_TISSUE_REF_DERMIS_MM)
        return SIM_DEPTH_TRAUMA;
    if (d > p.blowout_start_mm)
        return SIM_DEPTH_BLOWOUT;
    if (d <= SIM_TISSUE_REF_EPIDERMIS_MM)
        return SIM_DEPTH_LOST;
    if (d < band_min_mm)
        return SIM_DEPTH_SHALLOW;
    if (d <= band_max_mm)
        return SIM_DEPTH_BAND;
    return SIM_DEPTH_DEEP;
}

/* ------------------------------------------------------------------------ */
/* One dot                                                                  */
/* ------------------------------------------------------------------------ */

static double clamp01(double v) { return v < 0 ? 0 : (v > 1 ? 1 : v); }

/* The depth rule on the reference scalp, in multiples of the group. */
typedef struct depth_look { sim_heal_class cls; double size, edge, dark, hue; } depth_look;

static depth_look look_at_depth(double d, const sim_heal_params *p)
{
    const double e0 = SIM_TISSUE_REF_EPIDERMIS_MM;
    depth_look k;
    if (d <= e0) {
        k = (depth_look){SIM_HEAL_FADED, 0.9, 0.3, FADED_DARKNESS, 0.0};
    } else if (d <= p->blur_start_mm) {
        double ramp = clamp01((d - e0) / (FULL_DARKNESS_DEPTH_MM - e0));
        double deep = clamp01((d - CRISP_GROWTH_START_MM) / (p->blur_start_mm - CRISP_GROWTH_START_MM));
        k = (depth_look){SIM_HEAL_CRISP, 1.0 + 0.10 * deep, 0.10, 0.6 + 0.4 * ramp, 0.15 * deep};
    } else if (d <= p->blowout_start_mm) {
        double f = (d - p->blur_start_mm) / (p->blowout_start_mm - p->blur_start_mm);
        k = (depth_look){SIM_HEAL_BLURRED, 1.15 + 0.60 * f, 0.20 + 0.40 * f, 0.95 - 0.10 * f,
                         0.25 + 0.35 * f};
    } else {
        double g = clamp01(d - p->blowout_start_mm);
        k = (depth_look){SIM_HEAL_BLOWOUT, 1.8 + 1.2 * g, 0.6 + 0.6 * g, 0.8, 0.6 + 0.4 * g};
    }
    return k;
}

const sim_pigment *sim_heal_params_pigment(const sim_heal_params *p, uint32_t session)
{
    if (!p->pigments || !p->pigment_count)
        return NULL;
    return &p->pigments[session < p->pigment_count ? session : p->pigment_count - 1];
}

/* Pigment load of the impression's own dwell, in normal taps (>= 1). */
static double dwell_load(const sim_impression *imp, const sim_machine *m)
{
    double dwell = imp->dwell_s > 0 && isfinite(imp->dwell_s) ? imp->dwell_s : 0.0;
    double load = dwell * m->frequency_hz / TAP_STRIKES;
    return load > 1.0 ? load : 1.0;
}

/* Heals one impression under a given stacked load (>= 1 normal taps). */
static void heal_core(const sim_impression *imp, const sim_heal_params *p, double load,
                      sim_healed_dot *out)
{
    sim_tissue_sample s;
    sample_under(p, imp, &s);
    sim_footprint fp;
    sim_impression_footprint(imp, &fp);
    sim_machine machine = sim_machine_resolve(p->machine ? *p->machine : (sim_machine){0});
    const sim_pigment *pig = sim_heal_params_pigment(p, imp->session);
    sim_pigment pigment = sim_pigment_resolve(pig ? *pig : (sim_pigment){0});

    double depth = imp->depth_mm > 0 && isfinite(imp->depth_mm) ? imp->depth_mm : 0.0;
    double d = sim_depth_equivalent_mm(depth, s.epidermis_mm, s.dermis_mm);
    depth_look k = look_at_depth(d, p);
    double grow = sqrt(load > STACK_CAPACITY ? load / STACK_CAPACITY : 1.0);
    double g = fp.width_mm * s.spread * grow;
    double c = sim_pigment_concentration(&pigment) * sim_machine_load_per_strike(&machine) *
               s.uptake * load;
    double beer = (1.0 - exp(-BEER_K * c)) / (1.0 - exp(-BEER_K));

    memset(out, 0, sizeof *out);
    out->cls = k.cls;
    out->diameter_mm = g * k.size;
    out->edge_mm = g * k.edge;
    out->darkness = clamp01(k.dark * beer);
    out->hue_shift = clamp01(k.hue);
    out->length_mm = out->diameter_mm + (fp.length_mm - fp.width_mm) * s.spread;
    out->direction = fp.direction;
    out->equivalent_depth_mm = d;
    out->hidden = s.hair_cover;
    out->stack_count = 1;
    out->merge_count = 1;
}

void sim_heal_one(const sim_impression *imp, const sim_heal_params *params, sim_healed_dot *out)
{
    sim_heal_params p = sim_heal_params_resolve(params ? *params : (sim_heal_params){0});
    sim_machine m = sim_machine_resolve(p.machine ? *p.machine : (sim_machine){0});
    heal_core(imp, &p, dwell_load(imp, &m), out);
}

/* ------------------------------------------------------------------------ */
/* Stacking and merging                                                     */
/* ------------------------------------------------------------------------ */

typedef struct pair_ctx {
    const sim_impression *imps;
    sim_healed_dot *out;
} pair_ctx;

static double surface_distance(const sim_impression *a, const sim_impression *b)
{
    return sim_v3_len(sim_v3_sub(a->surface_mm, b->surface_mm));
}

/* Repeated hits: the same session, within half a group of each other. */
static void stack_pair(size_t i, size_t j, void *vctx)
{
    pair_ctx *ctx = vctx;
    const sim_impression *a = &ctx->imps[i], *b = &ctx->imps[j];
    if (a->session != b->session)
        return;
    double ga = sim_needle_get(a->needle)->group_diameter_mm;
    double gb = sim_needle_get(b->needle)->group_diameter_mm;
    if (surface_distance(a, b) < 0.25 * (ga + gb)) {
        ctx->out[i].stack_count++;
        ctx->out[j].stack_count++;
    }
}

static uint32_t find_root(sim_healed_dot *out, uint32_t i)
{
    while (out[i].merge_group != i) {
        out[i].merge_group = out[out[i].merge_group].merge_group;
        i = out[i].merge_group;
    }
    return i;
}

/* Overlapping healed discs join one group; its root is its smallest index. */
static void merge_pair(size_t i, size_t j, void *vctx)
{
    pair_ctx *ctx = vctx;
    sim_healed_dot *out = ctx->out;
    if (surface_distance(&ctx->imps[i], &ctx->imps[j]) >=
        0.5 * (out[i].diameter_mm + out[j].diameter_mm))
        return;
    uint32_t a = find_root(out, (uint32_t)i), b = find_root(out, (uint32_t)j);
    if (a < b)
        out[b].merge_group = a;
    else if (b < a)
        out[a].merge_group = b;
}

void sim_heal_all(const sim_impression *imps, size_t n, const sim_heal_params *params,
                  sim_healed_dot *out)
{
    if (!imps || !out || n == 0 || n > UINT32_MAX)
        return;
    sim_heal_params p = sim_heal_params_resolve(params ? *params : (sim_heal_params){0});
    sim_machine m = sim_machine_resolve(p.machine ? *p.machine : (sim_machine){0});
    pair_ctx ctx = {imps, out};
    const sim_vec3 *points = &imps[0].surface_mm;
    double cell = 0.0;
    for (size_t i = 0; i < n; i++) {
        out[i].stack_count = 1;
        double g = sim_needle_get(imps[i].needle)->group_diameter_mm;
        cell = g > cell ? g : cell;
    }
    sim__close_pairs(points, sizeof *imps, n, cell, stack_pair, &ctx);
    for (size_t i = 0; i < n; i++) {
        uint32_t stack = out[i].stack_count;
        heal_core(&imps[i], &p, dwell_load(&imps[i], &m) + (double)(stack - 1), &out[i]);
        out[i].stack_count = stack;
    }
    cell = 0.0;
    for (size_t i = 0; i < n; i++) {
        out[i].merge_group = (uint32_t)i;
        out[i].merge_count = 0;
        cell = out[i].diameter_mm > cell ? out[i].diameter_mm : cell;
    }
    sim__close_pairs(points, sizeof *imps, n, cell, merge_pair, &ctx);
    for (size_t i = 0; i < n; i++)
        out[find_root(out, (uint32_t)i)].merge_count++;
    for (size_t i = 0; i < n; i++) {
        uint32_t root = find_root(out, (uint32_t)i);
        out[i].merge_group = root;
        out[i].merge_count = out[root].merge_count;
    }
}
