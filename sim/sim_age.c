/* sim_age.c: the aging projection (sim_age.h): pigment fading and spread
 * over years, hue drift of mixed inks, and where receding native hair
 * leaves the dots. Constants: docs/fidelity.md.
 *
 * Threads: reentrant.
 */
#include "sim_age.h"

#include <math.h>
#include <string.h>

/* Dots spread by this share of their size a year (ink migrates slowly). */
#define SPREAD_PER_YEAR 0.005
/* Half-life factor per Fitzpatrick type away from type III (darker skin
 * lets less UV through to the pigment). */
#define HALF_LIFE_PER_TYPE 0.10
/* Native hair "present": at least this share of the full density. */
#define HAIR_PRESENT_SHARE 0.5
/* The natural hairline for an older face once loss is expected. */
#define MATURE_NORWOOD 2.0
/* A dot counts as in front of a line beyond half its transition zone. */
#define HAIRLINE_TOLERANCE_MM 5.0

static double clamp01(double v) { return v < 0 ? 0 : (v > 1 ? 1 : v); }

double sim_age_norwood(const sim_heal_params *params, double years)
{
    if (!params || !params->tissue)
        return 0.0;
    return sim_tissue_norwood_after(params->tissue, years);
}

static void fade(sim_healed_dot *d, const sim_pigment *pig, int fitzpatrick, double years)
{
    sim_pigment p = sim_pigment_resolve(pig ? *pig : (sim_pigment){0});
    double half_life = p.half_life_years * (1.0 + HALF_LIFE_PER_TYPE * (fitzpatrick - 3));
    if (d->cls == SIM_HEAL_FADED)
        d->darkness = 0.0;  /* the epidermal trace has long renewed away */
    else
        d->darkness *= pow(0.5, years / half_life);
    double grow = 1.0 + SPREAD_PER_YEAR * years;
    d->diameter_mm *= grow;
    d->length_mm *= grow;
    d->edge_mm += d->diameter_mm * (grow - 1.0);
    d->hue_shift = clamp01(d->hue_shift + p.hue_drift_per_decade * years / 10.0);
}

/* In front of the natural hairline for the older face, or off the scalp. */
static bool beyond_hairline(sim_vec2 uv, double norwood_later)
{
    double stage = norwood_later >= MATURE_NORWOOD || norwood_later == 0.0 ? MATURE_NORWOOD : 1.0;
    if (uv.y > sim_tissue_frontal_line_v(uv.x, stage) + HAIRLINE_TOLERANCE_MM)
        return true;
    return sim_tissue_scalp_edge_distance(uv) > HAIRLINE_TOLERANCE_MM;
}

void sim_age_all(const sim_impression *imps, const sim_healed_dot *healed, size_t n,
                 const sim_heal_params *params, double years, sim_aged_dot *out)
{
    if (!imps || !healed || !out)
        return;
    sim_heal_params p = sim_heal_params_resolve(params ? *params : (sim_heal_params){0});
    sim_tissue ref;
    const sim_tissue *t = p.tissue;
    if (!t) {
        sim_tissue_init_default(&ref, SIM_SURFACE_PAD);
        t = &ref;
    }
    if (!(years >= 0.0) || !isfinite(years))
        years = 0.0;
    double now = t->desc.hair.norwood, later = sim_tissue_norwood_after(t, years);
    double full = t->desc.hair.density_per_cm2;
    for (size_t i = 0; i < n; i++) {
        sim_aged_dot *a = &out[i];
        memset(a, 0, sizeof *a);
        a->dot = healed[i];
        fade(&a->dot, sim_heal_params_pigment(&p, imps[i].session), t->desc.fitzpatrick, years);
        sim_vec2 uv = imps[i].chart_mm;
        a->hair_now_per_cm2 = sim_tissue_hair_at(t, uv, now);
        a->hair_later_per_cm2 = sim_tissue_hair_at(t, uv, later);
        a->hidden_later = sim_tissue_hair_cover(t, a->hair_later_per_cm2);
        a->dot.hidden = a->hidden_later;
        if (t->kind != SIM_SURFACE_HEAD)
            continue;
        if (beyond_hairline(uv, later))
            a->flags |= SIM_AGE_BEYOND_HAIRLINE;
        if (a->hair_now_per_cm2 >= HAIR_PRESENT_SHARE * full &&
            a->hair_later_per_cm2 < HAIR_PRESENT_SHARE * full)
            a->flags |= SIM_AGE_EXPOSED;
    }
}
