/* les_grade.h: grading an attempt against its lesson.
 *
 * A grade is a pure function of (lesson, surface, impressions): the same
 * inputs give the same grade and the same JSON bytes on every machine.
 * Distances and areas are measured on the skin in 3D; the chart only says
 * which zone a point is in. docs/grading.md explains every metric, its
 * formula and the rubric keys that set its bands.
 *
 * Metrics (each: a value, a 0-100 sub-score, passed against the rubric's
 * threshold, and the places that cost the most, in feedback):
 *  - depth: impressions in their zone's band, too shallow (fade), too deep
 *    (blowout), per zone; spread; score = 100 * in band / in work zones;
 *  - density: impressions per cm² of skin against the area-weighted
 *    target; 100 * max(0, 1 - |ratio - 1| / tolerance);
 *  - spacing: nearest-neighbour mean and CV, Clark-Evans (naive and
 *    Donnelly), overlaps of healed dots, the largest empty circle,
 *    bond-orientational order (rows, grids), clumping across scales
 *    (Besag's L); each part scored against its band, combined by
 *    geometric mean (les_parts_score);
 *  - hairline: the trainee's edge against the target (les_hairline.h);
 *  - technique: needle angle, dwell, drag, pace, session time;
 *  - safety: impressions in forbidden zones; a contraindicated client.
 * total = the rubric's weighted mean of the applicable metrics; passed =
 * total >= pass mark and every applicable must-pass metric passed. For a
 * contraindicated client the attempt passes (score 100) only when it has
 * no impressions at all, and fails (score 0) otherwise.
 *
 * Ownership: a les_grade owns its per-zone array, feedback, heatmap and
 * hairline edge (les_grade_deinit). Threads: reentrant.
 */
#ifndef LES_GRADE_H
#define LES_GRADE_H

#include <stdio.h>

#include "les_feedback.h"
#include "les_hairline.h"
#include "les_heatmap.h"
#include "les_lesson.h"
#include "sim_impression.h"

/* Bumped whenever the grader can give a different grade for the same
 * (lesson, impressions); written into the JSON. */
#define LES_GRADER_VERSION 2
/* Fewer dots in work zones than this leave spacing unmeasured. */
#define LES_SPACING_MIN_DOTS 20

typedef struct les_zone_grade {
    size_t impressions;      /* inside this zone */
    size_t in_band, too_shallow, too_deep;
    double area_cm2;         /* the zone's skin area */
    double per_cm2;          /* impressions / area */
    /* grader 2 */
    double depth_mean_mm, depth_sd_mm;   /* NaN when empty */
    double density_score;
    double nn_mean_mm;       /* NaN below LES_SPACING_MIN_DOTS */
    double clark_evans, clark_evans_donnelly;
    bool forbidden;          /* a forbidden zone: impressions are violations */
} les_zone_grade;

typedef struct les_depth_metric {
    double score;            /* 0..100 */
    size_t in_band, too_shallow, too_deep;
    bool passed;
    double mean_mm, spread_mm;           /* spread = standard deviation */
    double shallowest_mm, deepest_mm;    /* NaN when no dot is in a zone */
} les_depth_metric;

typedef struct les_density_metric {
    double score;            /* 0..100 */
    double per_cm2;          /* over all zones: impressions in zones / area */
    double target_per_cm2;   /* area-weighted target */
    bool passed;
} les_density_metric;

/* The parts of the spacing score, in this order. */
enum {
    LES_SP_CLARK_EVANS, LES_SP_NN_CV, LES_SP_ORDER, LES_SP_CLUMPING, LES_SP_OVERLAPS,
    LES_SP_GAP, LES_SP_PARTS
};

typedef struct les_spacing_metric {
    double score;            /* NaN when not applicable */
    bool applicable, passed;
    size_t dots;             /* impressions in work zones */
    double clark_evans, clark_evans_donnelly;
    double nn_mean_mm, nn_cv;
    size_t overlaps;         /* impressions whose healed dot overlaps a
                                neighbour's centre zone (centres closer than
                                the two dots' mean healed diameter) */
    double largest_gap_mm;   /* diameter of the largest empty circle */
    sim_vec3 gap_mm;         /* its centre */
    sim_vec2 gap_chart_mm;
    int gap_zone;
    double orientational_order;  /* 0..1 */
    int order_fold;          /* 2 rows, 4 square grid, 6 hexagonal grid */
    sim_vec2 order_chart_mm; /* the most ordered region */
    double clumping;         /* max over r of (L(r) - r) / spacing */
    double clumping_r_mm;    /* the r where it peaks */
    sim_vec3 densest_mm;     /* the most crowded dot */
    sim_vec2 densest_chart_mm;
    double spacing_mm;       /* 1 / sqrt(observed density) */
    double part[LES_SP_PARTS];   /* band scores (NaN: not measured) */
} les_spacing_metric;

/* The parts of the technique score, in this order. */
enum { LES_TQ_ANGLE, LES_TQ_DWELL, LES_TQ_DRAG, LES_TQ_PACE, LES_TQ_SESSION, LES_TQ_PARTS };

typedef struct les_technique_metric {
    double score;            /* NaN when no part has data */
    bool applicable, passed;
    double angle_mean_deg, angle_max_deg;
    size_t angle_out;        /* impressions outside the angle band */
    double dwell_mean_s;
    size_t dwell_short, dwell_long;
    double drag_mean_mm, drag_max_mm;
    size_t drag_out;
    double pace_per_min;     /* impressions per minute of session */
    double session_s;        /* first entry to last exit */
    double part[LES_TQ_PARTS];
} les_technique_metric;

typedef struct les_safety_metric {
    double score;            /* 100 - penalty per violation, at least 0 */
    size_t violations;       /* impressions in forbidden zones (all of them
                                for a contraindicated client) */
    bool passed;
    bool contraindicated;    /* the lesson's client must be refused */
} les_safety_metric;

typedef struct les_grade {
    double score;            /* 0..100 */
    bool passed;
    size_t impressions;      /* all impressions graded */
    size_t outside;          /* in no zone */
    les_depth_metric depth;
    les_density_metric density;
    les_zone_grade *zones;   /* lesson->zone_count entries */
    size_t zone_count;
    /* grader 2 */
    les_spacing_metric spacing;
    les_hairline_metric hairline;
    les_technique_metric technique;
    les_safety_metric safety;
    uint32_t failed_must_pass;   /* bit (1u << les_metric) */
    les_feedback feedback;       /* sorted worst first */
    les_heatmap heatmap;
} les_grade;

/* A metric's sub-score, whether it counts (applicable), its weight and
 * whether it passed, for any metric (JSON, summaries). */
typedef struct les_metric_view {
    double score;
    bool applicable, passed;
    double weight;
} les_metric_view;
les_metric_view les_grade_metric(const les_grade *grade, const les_lesson *lesson,
                                 les_metric m);

/* Grades. LES_ERR_NOMEM or LES_ERR_ARG on failure (grade left empty). */
les_result les_grade_run(const les_lesson *lesson, const sim_surface *surface,
                         const sim_impression *imps, size_t count,
                         les_grade *grade, sim_error *err);
void les_grade_deinit(les_grade *grade);

/* Writes the grade as one JSON object (keys in a fixed order, numbers in a
 * fixed format, values not measured as null) followed by a newline. Keys
 * (docs/formats.md, docs/grading.md): score, passed, impressions, outside,
 * sim_version, lesson.{id, hash}, metrics.depth.{score, in_band,
 * too_shallow, too_deep, ...}, metrics.density.{score, per_cm2,
 * target_per_cm2, ...}, zones[].{name, impressions, in_band, too_shallow,
 * too_deep, area_cm2, per_cm2, ...}, then grader_version, pass_mark,
 * failed_must_pass[], metrics.spacing.{score, clark_evans,
 * clark_evans_donnelly, nn_mean_mm, nn_cv, overlaps, largest_gap_mm,
 * orientational_order, ...}, metrics.hairline.{score, mean_deviation_mm,
 * max_deviation_mm, symmetry_mm, softness_mm, irregularity_mm, ...},
 * metrics.technique.{score, ...}, metrics.safety.{score, violations, ...},
 * feedback[].{metric, severity, message, x_mm, y_mm, z_mm, u_mm, v_mm},
 * heatmaps. Returns LES_ERR_IO when the stream fails. */
les_result les_grade_write_json(const les_grade *grade, const les_lesson *lesson,
                                FILE *out);
/* The same object written into a caller's JSON writer (no newline), for
 * records and reports that embed a grade in a larger document. */
struct les_json;
void les_grade_to_json(struct les_json *j, const les_grade *grade,
                       const les_lesson *lesson);

/* ---------------------------------------------------------------------------
 * Impressions from CSV (the `--impressions` input)
 * ------------------------------------------------------------------------- */
/* Reads a CSV with a header; required columns x_mm,y_mm,z_mm,depth_mm, optional
 * needle (a cartridge name such as 0603RL), angle_deg, dwell_ms, in any
 * order. Points are in the surface's frame and are projected onto it.
 * Errors name the file, line and column (LES_ERR_INPUT / LES_ERR_IO). */
les_result les_impressions_read_csv(const char *path, const sim_surface *surface,
                                    sim_impression_list *out, sim_error *err);
/* Same on text in memory (fuzz target; `name` is used in messages). */
les_result les_impressions_parse_csv(const char *text, size_t len, const char *name,
                                     const sim_surface *surface,
                                     sim_impression_list *out, sim_error *err);

#endif /* LES_GRADE_H */
