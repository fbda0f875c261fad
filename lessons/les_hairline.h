/* les_hairline.h: the trainee's hairline, measured against the lesson's.
 *
 * The target hairline is a chart polyline. Every impression within the
 * corridor (rubric hairline.corridor_mm either side, on the skin) gets
 * coordinates along the line (s, skin mm from its first point) and across
 * it (d, skin mm, > 0 toward the bare side, the side with fewer dots).
 * Isolated dots (strays) are set aside. Then:
 *  - plateau density rho0 = dots per mm^2 in the band d in [-W, -W/3]
 *    (W = the corridor) — the worked field behind the line;
 *  - the edge in each bin of the line (bins of hairline.bin_mm, or about
 *    2.5 dot spacings): the equivalent sharp edge e = r + N(d > r) /
 *    (rho0 * bin length), r a reference a safe way behind the edge: the
 *    line where a field at plateau density holding the same dots would
 *    end (the 50% point of a symmetric density ramp);
 *  - mean and max deviation = mean and max |e| over the bins;
 *  - symmetry = mean |e(k) - e(mirror k)| over bins paired with their
 *    mirror image (head: u -> -u, the mid-sagittal plane; pad: x -> W - x);
 *  - softness = width of the density ramp from 90% to 10% of rho0, on the
 *    profile of d - e(bin) over all bins (smoothed, made monotone);
 *  - irregularity = RMS of e about its own moving average (window
 *    hairline.smoothing_mm), less the counting noise expected from the
 *    dots' discreteness: 0 for a ruler line, the tooth height for a
 *    zig-zag;
 *  - temple points: skin distance from each to the trainee's edge.
 * docs/grading.md gives the formulas and the defaults.
 *
 * Purity: a function of its inputs; bins and dots are visited in order.
 * Ownership: a les_hairline_metric owns its edge array
 * (les_hairline_metric_deinit). Threads: reentrant.
 */
#ifndef LES_HAIRLINE_H
#define LES_HAIRLINE_H

#include "les_rubric.h"
#include "les_lesson.h"
#include "sim_impression.h"

#define LES_HAIRLINE_MAX_TEMPLES 4

/* The parts of the hairline score, in this order. */
enum {
    LES_HL_DEVIATION, LES_HL_MAX_DEVIATION, LES_HL_SYMMETRY, LES_HL_SOFTNESS,
    LES_HL_IRREGULARITY, LES_HL_TEMPLES, LES_HL_PARTS
};

typedef struct les_hairline_desc {
    const sim_surface *surface;
    const sim_vec2 *target;          /* chart polyline, >= 2 points */
    size_t target_count;
    const sim_vec2 *temples;         /* chart points; may be NULL */
    size_t temple_count;
    const les_hairline_rubric *rubric;
    const uint8_t *stray;            /* per impression: 1 = isolated; may be NULL */
} les_hairline_desc;

typedef struct les_hairline_metric {
    double score;                    /* 0..100; NaN when not applicable */
    bool applicable;                 /* enough dots behind the line to measure */
    bool passed;
    double mean_deviation_mm, max_deviation_mm;
    double symmetry_mm;              /* NaN: no bin has a mirror partner */
    double softness_mm;
    double irregularity_mm;          /* NaN: fewer than 3 bins */
    double offset_mm;                /* mean signed deviation, > 0 in front */
    double left_offset_mm, right_offset_mm;  /* the same per half (NaN: none);
                                                head: subject's left (u > 0);
                                                pad: x < W/2 */
    double plateau_per_cm2;          /* rho0 */
    size_t dots;                     /* non-stray dots in the corridor */
    size_t strays;                   /* isolated dots in front of the edge */
    sim_vec3 stray_mm;               /* the first such stray */
    sim_vec2 stray_chart_mm;
    size_t bins;
    double bin_mm;
    sim_vec3 worst_mm;               /* the edge where |deviation| is largest */
    sim_vec2 worst_chart_mm;
    double worst_signed_mm;
    double temple_mm[LES_HAIRLINE_MAX_TEMPLES];
    size_t temple_count;
    double part[LES_HL_PARTS];       /* sub-scores (NaN: not measured) */
    sim_vec2 *edge_chart_mm;         /* the trainee's edge, one point per bin */
    size_t edge_count;
} les_hairline_metric;

/* Measures the hairline of imps[0..n) against d->target. A lesson without
 * enough dots behind the line gives applicable = false and LES_OK.
 * LES_ERR_NOMEM / LES_ERR_ARG otherwise (out emptied). */
les_result les_hairline_measure(const les_hairline_desc *d, const sim_impression *imps,
                                size_t n, les_hairline_metric *out, sim_error *err);
void les_hairline_metric_deinit(les_hairline_metric *m);

#endif /* LES_HAIRLINE_H */
