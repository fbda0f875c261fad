/* sim_age.h: the aging projection: how healed dots look after N years, and
 * which of them the client's hair loss will leave in the wrong place.
 *
 * After `years`:
 *  - pigment fades: darkness halves every pigment half-life (default 11
 *    years, from touch-ups every 3-6 years), a little slower on darker skin
 *    (less UV reaches the pigment); faded epidermal traces are gone;
 *  - dots spread slowly (0.5% of their size a year) and mixed inks drift
 *    toward blue-grey (the pigment's hue_drift_per_decade);
 *  - the native hair recedes along the tissue's Norwood progression.
 * Flags per dot (head surfaces, where the chart has a natural hairline):
 *  - SIM_AGE_BEYOND_HAIRLINE: the dot lies in front of a natural hairline
 *    for the older face (the mature, Norwood II, line once any loss is
 *    expected; "plan for future loss: never too low") or below the scalp's
 *    hair-bearing edge;
 *  - SIM_AGE_EXPOSED: the dot sits in native hair now (at least half the
 *    full density) that will have receded from it (under half) by then: it
 *    will stand in front of receding hair on bare skin.
 *
 * Purity: deterministic; no clock. Threads: reentrant.
 */
#ifndef SIM_AGE_H
#define SIM_AGE_H

#include "sim_heal.h"

enum {
    SIM_AGE_BEYOND_HAIRLINE = 1u << 0,
    SIM_AGE_EXPOSED = 1u << 1,
};

typedef struct sim_aged_dot {
    sim_healed_dot dot;          /* as it looks after `years` */
    double hair_now_per_cm2;     /* native hair at the dot now */
    double hair_later_per_cm2;   /* and after `years` */
    double hidden_later;         /* share hidden by hair then, 0..1 */
    uint32_t flags;              /* SIM_AGE_* */
} sim_aged_dot;

/* The Norwood stage used for `years` (0 when the tissue has no pattern). */
double sim_age_norwood(const sim_heal_params *params, double years);

/* Projects healed dots (sim_heal_all's output for the same impressions and
 * params) `years` ahead into out[0..n). params may be NULL. */
void sim_age_all(const sim_impression *imps, const sim_healed_dot *healed, size_t n,
                 const sim_heal_params *params, double years, sim_aged_dot *out);

#endif /* SIM_AGE_H */
