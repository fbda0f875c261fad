/* app_dots.c: an attempt's dots for the renderer (app_dots.h).
 *
 * Threads: main thread only. Allocation: the healed (and aged) dots of one
 * call, freed before it returns.
 */
#include <stdio.h>

#include "app.h"
#include "app_dots.h"
#include "sim_age.h"

/* The lesson's tissue, or the reference scalp when it will not resolve
 * (the lesson loaded, so this is a defensive branch). */
static void app__tissue(const app_attempt *a, sim_tissue *t)
{
    sim_error err;
    if (sim_tissue_init(t, &a->lesson.tissue, a->surface.kind, &err) != SIM_OK)
        sim_tissue_init_default(t, a->surface.kind);
}

void app_skin_rgb(const app_attempt *a, float rgb[3])
{
    sim_tissue t;
    app__tissue(a, &t);
    double c[3];
    sim_skin_rgb(t.desc.fitzpatrick, c);
    for (int k = 0; k < 3; k++)
        rgb[k] = (float)c[k];
}

int app_dots_make(const app_attempt *a, const sim_impression *imps, size_t n, app_dot_look look,
                  rnd_dot *out)
{
    if (look == APP_LOOK_FRESH || n == 0) {
        rnd_dots_from_impressions(imps, NULL, n, RND_DOTS_FRESH, out);
        return APP_EXIT_OK;
    }
    sim_healed_dot *healed = sim_calloc(n, sizeof *healed);
    sim_aged_dot *aged = look == APP_LOOK_AGED ? sim_calloc(n, sizeof *aged) : NULL;
    if (!healed || (look == APP_LOOK_AGED && !aged)) {
        sim_free(healed);
        sim_free(aged);
        fprintf(stderr, "stipple: out of memory healing %zu dots\n", n);
        return APP_EXIT_FAIL;
    }
    sim_tissue t;
    app__tissue(a, &t);
    sim_heal_params p = {.tissue = &t};
    sim_heal_all(imps, n, &p, healed);
    if (aged) {
        sim_age_all(imps, healed, n, &p, APP_AGED_YEARS, aged);
        for (size_t i = 0; i < n; i++)
            healed[i] = aged[i].dot;
    }
    rnd_dots_from_impressions(imps, healed, n, RND_DOTS_HEALED, out);
    sim_free(healed);
    sim_free(aged);
    return APP_EXIT_OK;
}
