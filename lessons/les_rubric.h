/* les_rubric.h: how a lesson is scored: the pass mark, each metric's weight,
 * the sub-score a metric needs to pass, the metrics that must pass, and the
 * bands each measured value is scored against (docs/grading.md lists every
 * key with its unit, default and range).
 *
 * A band is [lo, hi] plus a falloff: a value inside the band scores 100, a
 * value outside falls linearly to 0 at `falloff` beyond the nearer end
 * (falloff 0: a step). Lessons write `[lo, hi]` (the default falloff) or
 * `[lo, hi, falloff]`.
 *
 * Parsed from the lesson's `rubric:` mapping (les_rubric.c, hooked into
 * the lesson by les_lesson.c); read by the grader (les_grade*.c).
 * Ownership: plain values, no pointers. Threads: read-only once parsed.
 */
#ifndef LES_RUBRIC_H
#define LES_RUBRIC_H

#include <stddef.h>
#include <stdint.h>

/* The metrics, in the order the grade lists them. */
typedef enum les_metric {
    LES_METRIC_DEPTH = 0,
    LES_METRIC_DENSITY,
    LES_METRIC_SPACING,
    LES_METRIC_HAIRLINE,
    LES_METRIC_TECHNIQUE,
    LES_METRIC_SAFETY,
    LES_METRIC_COUNT
} les_metric;

/* "depth", "density", "spacing", "hairline", "technique", "safety";
 * "unknown" out of range. */
const char *les_metric_name(les_metric m);

typedef struct les_band {
    double lo, hi;           /* full marks inside [lo, hi] */
    double falloff;          /* 0 marks this far beyond either end */
} les_band;

/* 100 inside the band, linear down to 0 at `falloff` outside; NaN for a
 * NaN value. (Inline: the grader calls it per impression.) */
static inline double les_band_score(les_band b, double v)
{
    if (v != v)
        return v;
    double out = v < b.lo ? b.lo - v : v > b.hi ? v - b.hi : 0.0;
    if (out <= 0.0)
        return 100.0;
    if (!(b.falloff > 0.0) || out >= b.falloff)
        return 0.0;
    return 100.0 * (1.0 - out / b.falloff);
}
/* A composite metric's score from its parts' band scores: their geometric
 * mean, NaN parts (not measured) left out; NaN when none is measured. One
 * part at 0 sinks the metric (rows, clumps, a ruler-straight hairline). */
double les_parts_score(const double *part, size_t count);

typedef struct les_spacing_rubric {
    les_band clark_evans;          /* Donnelly-corrected R */
    les_band nn_cv;                /* NN distance sd / mean */
    les_band orientational_order;  /* 0 (no order) .. 1 (perfect grid/rows) */
    les_band clumping;             /* max over r of (L(r) - r) / spacing */
    les_band overlap_share;        /* impressions overlapping a neighbour / all */
    les_band gap;                  /* largest empty circle's diameter / spacing */
} les_spacing_rubric;

typedef struct les_hairline_rubric {
    les_band deviation_mm;         /* mean |edge - target| */
    les_band max_deviation_mm;
    les_band symmetry_mm;          /* mean left/right difference */
    les_band softness_mm;          /* 10% -> 90% density ramp */
    les_band irregularity_mm;      /* edge about its own smoothed curve */
    les_band temple_mm;            /* temple point to the trainee's edge */
    double corridor_mm;            /* dots this far either side are measured */
    double bin_mm;                 /* edge sample length along the line; 0 = auto */
    double smoothing_mm;           /* window of the smoothed edge */
} les_hairline_rubric;

typedef struct les_technique_rubric {
    les_band angle_deg;            /* per impression: share inside counts */
    les_band dwell_s;
    les_band drag_mm;
    les_band pace_per_min;         /* impressions per minute of session */
} les_technique_rubric;

typedef struct les_rubric {
    double pass_mark;        /* 0..100 */
    double weight_depth;     /* default 1 */
    double weight_density;   /* default 1 */
    double weight_spacing;   /* default 1 */
    double weight_hairline;  /* default 1 (only where the lesson has a hairline) */
    double weight_technique; /* default 1 */
    double weight_safety;    /* default 0 (safety is must-pass instead) */
    double threshold[LES_METRIC_COUNT];  /* sub-score to pass; default 50,
                                            safety 100 */
    uint32_t must_pass;      /* bit (1u << les_metric); default safety */
    double density_tolerance;            /* relative error scoring 0; 0.5 */
    les_spacing_rubric spacing;
    les_hairline_rubric hairline;
    les_technique_rubric technique;
    double safety_penalty;   /* points per violation; 25 */
    double heatmap_cell_mm;  /* heatmap cell on the chart; 0 = auto */
} les_rubric;

/* Every field at its default (pass mark 0). The lesson parser starts from
 * this before reading `rubric:`. */
void les_rubric_defaults(les_rubric *r);
/* The weight of metric m. */
double les_rubric_weight(const les_rubric *r, les_metric m);

#endif /* LES_RUBRIC_H */
