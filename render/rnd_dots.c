/* rnd_dots.c: how an impression looks: fresh (just placed) or healed.
 *
 * Colours are linear RGB albedos of "skin with ink under it": the dot
 * shader lights them like the skin and blends them over it with the dot's
 * opacity, so a black healed dot reads dark grey-black on skin and a
 * blue-shifted one blue-grey (the Tyndall-like look of pigment placed too
 * deep, FIDELITY.md "Skin and depth").
 *
 * Threads: reentrant, no GL. Ownership: the caller's arrays.
 */
#include "rnd_internal.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */
/* ------------------------------------------------------------------------ */

/* Fresh: ink with a little blood in it, a touch bigger than the needle
 * group (the skin around the puncture takes ink too), nearly opaque. */
static const float rnd__fresh_rgb[3] = {0.019f, 0.0070f, 0.0065f};
#define RND__FRESH_ALPHA 0.98f
#define RND__FRESH_GROWTH 1.15
#define RND__FRESH_EDGE_SHARE 0.18
#define RND__FALLBACK_GROUP_MM 0.40

/* Healed: neutral carbon black seen through the epidermis, shifting to
 * blue-grey with the heal model's hue_shift. */
static const float rnd__healed_black[3] = {0.022f, 0.022f, 0.025f};
static const float rnd__healed_blue[3] = {0.050f, 0.068f, 0.110f};
#define RND__HEALED_MAX_ALPHA 0.95

/* ------------------------------------------------------------------------ */
/* Conversion                                                               */
/* ------------------------------------------------------------------------ */

static double rnd__clamp01(double x)
{
    return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : (x == x ? x : 0.0);
}

static void rnd__place(const sim_impression *imp, rnd_dot *d)
{
    memset(d, 0, sizeof *d);
    sim_vec3 n = sim_v3_normalize(imp->normal);
    if (sim_v3_len2(n) == 0.0)
        n = sim_v3(0.0, 0.0, 1.0);
    d->pos[0] = (float)imp->surface_mm.x;
    d->pos[1] = (float)imp->surface_mm.y;
    d->pos[2] = (float)imp->surface_mm.z;
    d->normal[0] = (float)n.x;
    d->normal[1] = (float)n.y;
    d->normal[2] = (float)n.z;
}

static void rnd__fresh(const sim_impression *imp, rnd_dot *d)
{
    const sim_needle *needle = sim_needle_get(imp->needle);
    double group = needle ? needle->group_diameter_mm : RND__FALLBACK_GROUP_MM;
    if (!(group > 0.0))
        group = RND__FALLBACK_GROUP_MM;
    double diameter = RND__FRESH_GROWTH * group;
    rnd__place(imp, d);
    d->diameter_mm = (float)diameter;
    d->edge_mm = (float)(RND__FRESH_EDGE_SHARE * diameter);
    d->rgba[0] = rnd__fresh_rgb[0];
    d->rgba[1] = rnd__fresh_rgb[1];
    d->rgba[2] = rnd__fresh_rgb[2];
    d->rgba[3] = RND__FRESH_ALPHA;
}

static void rnd__healed(const sim_impression *imp, const sim_healed_dot *h,
                        rnd_dot *d)
{
    rnd__place(imp, d);
    double hue = rnd__clamp01(h->hue_shift);
    d->diameter_mm = (float)(h->diameter_mm > 0.0 ? h->diameter_mm : 0.0);
    d->edge_mm = (float)(h->edge_mm > 0.0 ? h->edge_mm : 0.0);
    for (int c = 0; c < 3; c++)
        d->rgba[c] = (float)(rnd__healed_black[c] +
                             (rnd__healed_blue[c] - rnd__healed_black[c]) * hue);
    /* native hair over the dot hides that share of it (sim_heal.h) */
    d->rgba[3] = (float)(RND__HEALED_MAX_ALPHA * rnd__clamp01(h->darkness) *
                         (1.0 - rnd__clamp01(h->hidden)));
    /* dragged or tilted: drawn out along the surface (SIM_VERSION 2) */
    if (h->length_mm > h->diameter_mm && isfinite(h->length_mm)) {
        d->length_mm = (float)h->length_mm;
        d->direction[0] = (float)h->direction.x;
        d->direction[1] = (float)h->direction.y;
        d->direction[2] = (float)h->direction.z;
    }
}

void rnd_dots_from_impressions(const sim_impression *imps,
                               const sim_healed_dot *healed, size_t n,
                               rnd_dot_style style, rnd_dot *out)
{
    if (!imps || !out)
        return;
    for (size_t i = 0; i < n; i++) {
        if (style == RND_DOTS_HEALED && healed)
            rnd__healed(&imps[i], &healed[i], &out[i]);
        else
            rnd__fresh(&imps[i], &out[i]);
    }
}
