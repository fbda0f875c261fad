/* les_grade_internal.h: what the grader's files share (internal to the
 * lessons module): the grading context built once per les_grade_run and
 * the steps each file provides.
 *
 *  - les_grade.c: checks, zones, depth, density, totals (the driver);
 *  - les_grade_spacing.c: spacing and density-independent pattern metrics;
 *  - les_grade_technique.c: technique and safety;
 *  - les_feedback.c: sentences from the finished metrics;
 *  - les_grade_json.c: the JSON.
 *
 * Threads: a context belongs to one les_grade_run call.
 */
#ifndef LES_GRADE_INTERNAL_H
#define LES_GRADE_INTERNAL_H

#include "les_grade.h"
#include "les_spatial.h"

/* Neighbours kept per impression (6: the hexagonal shell). */
#define LES__NN_K 6

typedef struct les__gctx {
    const les_lesson *lesson;
    const sim_surface *surface;
    const sim_impression *imps;
    size_t n;
    les_grade *g;
    int32_t *zone;           /* per impression: its work zone, or -1 */
    int32_t *forbidden;      /* per impression: its forbidden zone, or -1 */
    les_spatial index;       /* every impression */
    uint32_t *nbr;           /* LES__NN_K neighbours per impression */
    double *nn_mm;           /* their distances */
    uint8_t *stray;          /* per impression: isolated */
    double *healed_mm;       /* per impression: healed dot diameter */
    uint8_t *overlap;        /* per impression: overlaps a neighbour */
    double *zone_box;        /* per zone: chart x0, y0, x1, y1 */
} les__gctx;

/* Spacing metrics (les_grade_spacing.c): needs zones, the index and the
 * neighbours; fills g->spacing, the zones' spacing fields, stray and
 * overlap. */
les_result les__grade_spacing(les__gctx *c);
/* Technique and safety (les_grade_technique.c). */
void les__grade_technique(les__gctx *c);
void les__grade_safety(les__gctx *c);
/* The feedback sentences for a finished grade (les_feedback.c). */
void les__feedback_build(les__gctx *c);
/* Zone `zone`'s chart bounding box (x0, y0, x1, y1) (les_feedback.c). */
void les__zone_box(const les_lesson *l, size_t zone, double box[4]);
/* les_place_region with the zone's box at hand (NULL: none, the pad's). */
int les__place_region_in(const sim_surface *s, const double *box, sim_vec2 uv);
/* Signed depth error: 0 in [lo, hi], depth - hi when deeper, depth - lo
 * when shallower. */
double les__depth_error(double depth_mm, double lo_mm, double hi_mm);

#endif /* LES_GRADE_INTERNAL_H */
