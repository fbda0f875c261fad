/* hap_plan.h: plans strokes over a zone the way a technician works it:
 * rows back and forth across the zone, one impression per cell of a jittered
 * grid sized for the target density (measured on the skin, not the chart),
 * with depths around the middle of the band and an adjustable share of
 * mistakes (too shallow, too deep).
 *
 * Used by `stipple demo`, by reference solutions and by tests that need a
 * realistic attempt. Deterministic for a given rng seed.
 * Ownership: *out is allocated with sim_malloc; the caller frees it with
 * sim_free. Threads: reentrant.
 */
#ifndef HAP_PLAN_H
#define HAP_PLAN_H

#include "hap_script.h"

typedef struct hap_plan_desc {
    double density_per_cm2;     /* target, on the skin */
    double depth_min_mm;        /* the depth band to aim for */
    double depth_max_mm;
    double shallow_share;       /* share of impressions placed too shallow */
    double deep_share;          /* share placed too deep */
    double max_tilt_rad;        /* needle tilt up to this (uniform) */
} hap_plan_desc;

/* Plans strokes over the chart polygon `poly` (n points). On success *out
 * holds *count strokes (possibly 0 for an empty zone). SIM_ERR_NOMEM or
 * SIM_ERR_ARG (bad polygon, density or band) otherwise. */
sim_result hap_plan_zone(const sim_surface *surface, const sim_vec2 *poly, size_t n,
                         const hap_plan_desc *desc, sim_rng *rng,
                         hap_stroke **out, size_t *count);

#endif /* HAP_PLAN_H */
