/* sim_heal.c: the first healing rule (SIM_VERSION 1): an impression's
 * healed class, size, softness, darkness and blue-grey shift from its depth
 * and cartridge. See sim_heal.h for the rule and its sources.
 *
 * Continuity: at each class boundary size and hue shift only grow with
 * depth, so a slightly deeper impression never heals smaller or less blue.
 *
 * Threads: reentrant.
 */
#include "sim_heal.h"

#include <math.h>

/* Darkness of pigment left in the epidermis once it has renewed (30-45
 * days): a faint shadow. */
#define FADED_DARKNESS 0.12
/* Below this depth part of the pigment is still shed with the upper
 * papillary dermis: darkness ramps up to full. */
#define FULL_DARKNESS_DEPTH_MM 0.4

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

sim_heal_params sim_heal_params_resolve(sim_heal_params p)
{
    if (p.epidermis_mm <= 0)
        p.epidermis_mm = 0.08;
    if (p.blur_start_mm <= 0)
        p.blur_start_mm = 1.5;
    if (p.blowout_start_mm <= 0)
        p.blowout_start_mm = 2.0;
    if (p.blowout_start_mm <= p.blur_start_mm)
        p.blowout_start_mm = p.blur_start_mm + 0.5;
    return p;
}

static double clamp01(double v) { return v < 0 ? 0 : (v > 1 ? 1 : v); }

void sim_heal_one(const sim_impression *imp, const sim_heal_params *params_in, sim_healed_dot *out)
{
    sim_heal_params p = sim_heal_params_resolve(params_in ? *params_in : (sim_heal_params){0});
    double group = sim_needle_get(imp->needle)->group_diameter_mm;
    double d = imp->depth_mm;
    if (d <= p.epidermis_mm) {
        out->cls = SIM_HEAL_FADED;
        out->diameter_mm = 0.9 * group;
        out->edge_mm = 0.3 * group;
        out->darkness = FADED_DARKNESS;
        out->hue_shift = 0.0;
    } else if (d <= p.blur_start_mm) {
        double ramp = clamp01((d - p.epidermis_mm) / (FULL_DARKNESS_DEPTH_MM - p.epidermis_mm));
        double deep = clamp01((d - 1.0) / (p.blur_start_mm - 1.0));
        out->cls = SIM_HEAL_CRISP;
        out->diameter_mm = group * (1.0 + 0.10 * deep);
        out->edge_mm = 0.10 * group;
        out->darkness = 0.6 + 0.4 * ramp;
        out->hue_shift = 0.15 * deep;
    } else if (d <= p.blowout_start_mm) {
        double f = (d - p.blur_start_mm) / (p.blowout_start_mm - p.blur_start_mm);
        out->cls = SIM_HEAL_BLURRED;
        out->diameter_mm = group * (1.15 + 0.60 * f);
        out->edge_mm = group * (0.20 + 0.40 * f);
        out->darkness = 0.95 - 0.10 * f;
        out->hue_shift = 0.25 + 0.35 * f;
    } else {
        double g = clamp01(d - p.blowout_start_mm);
        out->cls = SIM_HEAL_BLOWOUT;
        out->diameter_mm = group * (1.8 + 1.2 * g);
        out->edge_mm = group * (0.6 + 0.6 * g);
        out->darkness = 0.8;
        out->hue_shift = 0.6 + 0.4 * g;
    }
}

void sim_heal_all(const sim_impression *imps, size_t n, const sim_heal_params *params,
                  sim_healed_dot *out)
{
    for (size_t i = 0; i < n; i++)
        sim_heal_one(&imps[i], params, &out[i]);
}
