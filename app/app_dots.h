/* app_dots.h: an attempt's dots as the renderer draws them, the same way
 * in the simulator and in `stipple render`: fresh marks, or healed with the
 * lesson's tissue (sim_heal.h), or healed and projected years on
 * (sim_age.h); and the lesson's skin colour (its Fitzpatrick type).
 *
 * Threads: main thread only. Ownership: the caller's arrays.
 */
#ifndef APP_DOTS_H
#define APP_DOTS_H

#include "app_session.h"
#include "rnd.h"

typedef enum app_dot_look {
    APP_LOOK_FRESH = 0,
    APP_LOOK_HEALED,
    APP_LOOK_AGED,
} app_dot_look;

/* The "+10 years" view. */
#define APP_AGED_YEARS 10.0

/* Fills out[0..n) for imps (the attempt's, or a replay's so far) in a look.
 * APP_EXIT_FAIL (and a line on stderr) when out of memory. */
int app_dots_make(const app_attempt *a, const sim_impression *imps, size_t n, app_dot_look look,
                  rnd_dot *out);
/* The lesson's skin albedo, linear RGB (its tissue's Fitzpatrick type). */
void app_skin_rgb(const app_attempt *a, float rgb[3]);

#endif /* APP_DOTS_H */
