/* les_solve.h: a lesson's reference attempt: where a skilled technician
 * places each dot, and impressions written as CSV.
 *
 * The plan (les_plan_reference) fills every work zone at its target
 * density, measured on the skin: dots placed one at a time, each the best
 * of several random candidates (the one farthest from every dot placed so
 * far, Mitchell's best-candidate sampling), which gives the even yet
 * irregular stipple SMP aims for (no rows, no clumps; FIDELITY.md "Scoring
 * dot patterns"). Where zones overlap, a point belongs to the zone
 * les_lesson_zone_at names (forbidden zones first), so forbidden zones
 * stay empty and each zone's density counts only its own skin; dots keep
 * 0.2 mm inside their zone's outline. Depths lie
 * in the middle of the zone's band, needle tilt up to 8 degrees, dwell 20
 * to 40 ms, the zone's cartridge (else the lesson's first). Dots come out
 * zone by zone, row by row, back and forth, as a hand works. A client the
 * lesson says to refuse gets an empty plan: the right attempt is no dot.
 *
 * `stipple lesson solve` turns a plan into strokes for the scripted
 * virtual stylus, records the trace, extracts its impressions and writes
 * them with les_impressions_write_csv: the reference solutions in
 * assets/solutions/ are made that way (docs/lessons.md).
 *
 * Determinism: a pure function of (lesson, surface, desc); no clock.
 * Ownership: *out is allocated with sim_malloc (sim_free it).
 * Threads: reentrant.
 */
#ifndef LES_SOLVE_H
#define LES_SOLVE_H

#include <stdio.h>

#include "les_lesson.h"
#include "sim_impression.h"

typedef struct les_plan_dot {
    sim_vec2 chart_mm;
    sim_vec3 point_mm;       /* on the skin */
    double depth_mm;
    double tilt_rad;         /* needle axis away from the normal */
    double dwell_s;
    uint32_t needle;         /* cartridge index (sim_needle_get) */
    uint32_t zone;           /* index into lesson->zones */
} les_plan_dot;

typedef struct les_plan_desc {
    uint64_t seed;           /* 0 = 1 */
    uint32_t candidates;     /* best-candidate tries per dot; 0 = 12 */
    double band_use;         /* share of the band's half-width used around
                                its middle; 0 = 0.6 */
    /* what earlier sessions left (may be NULL): new dots go between them,
     * as a later session's do */
    const sim_impression *previous;
    size_t previous_count;
} les_plan_desc;

/* Plans the reference attempt. LES_OK (possibly with *count == 0),
 * LES_ERR_ARG (the surface is not the lesson's kind) or LES_ERR_NOMEM. */
les_result les_plan_reference(const les_lesson *lesson, const sim_surface *surface,
                              const les_plan_desc *desc, les_plan_dot **out,
                              size_t *count, sim_error *err);

/* Writes impressions as the CSV `stipple grade --impressions` reads:
 * x_mm,y_mm,z_mm,depth_mm,needle,angle_deg,dwell_ms with fixed decimals
 * (so the bytes are the same on every machine). LES_ERR_IO when the stream
 * fails. */
les_result les_impressions_write_csv(FILE *out, const sim_impression *imps, size_t count);

#endif /* LES_SOLVE_H */
