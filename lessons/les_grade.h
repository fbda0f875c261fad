/* les_grade.h: grading an attempt against its lesson.
 *
 * A grade is a pure function of (lesson, surface, impressions): the same
 * inputs give the same grade and the same JSON bytes on every machine.
 *
 * Grading v0 (the foundation's): per zone,
 *  - depth: impressions in the zone's depth band, too shallow, too deep;
 *    sub-score = 100 * in_band / impressions in zones;
 *  - density: impressions per cm^2 of the zone's surface area against the
 *    target; sub-score = 100 * max(0, 1 - |ratio - 1| / 0.5) (a density off
 *    by half the target or more scores 0);
 * total = the rubric's weighted mean of the sub-scores; passed = total >=
 * pass mark. Impressions outside every zone count as `outside`.
 *
 * Ownership: a les_grade owns its per-zone array (les_grade_deinit).
 * Threads: reentrant.
 */
#ifndef LES_GRADE_H
#define LES_GRADE_H

#include <stdio.h>

#include "les_lesson.h"
#include "sim_impression.h"

typedef struct les_zone_grade {
    size_t impressions;      /* inside this zone */
    size_t in_band, too_shallow, too_deep;
    double area_cm2;         /* the zone's skin area */
    double per_cm2;          /* impressions / area */
} les_zone_grade;

typedef struct les_depth_metric {
    double score;            /* 0..100 */
    size_t in_band, too_shallow, too_deep;
} les_depth_metric;

typedef struct les_density_metric {
    double score;            /* 0..100 */
    double per_cm2;          /* over all zones: impressions in zones / area */
    double target_per_cm2;   /* area-weighted target */
} les_density_metric;

typedef struct les_grade {
    double score;            /* 0..100 */
    bool passed;
    size_t impressions;      /* all impressions graded */
    size_t outside;          /* in no zone */
    les_depth_metric depth;
    les_density_metric density;
    les_zone_grade *zones;   /* lesson->zone_count entries */
    size_t zone_count;
} les_grade;

/* Grades. LES_ERR_NOMEM or LES_ERR_ARG on failure (grade left empty). */
les_result les_grade_run(const les_lesson *lesson, const sim_surface *surface,
                         const sim_impression *imps, size_t count,
                         les_grade *grade, sim_error *err);
void les_grade_deinit(les_grade *grade);

/* Writes the grade as one JSON object (keys in a fixed order, numbers in a
 * fixed format) followed by a newline. Keys: score, passed, impressions,
 * outside, sim_version, lesson.{id, hash}, metrics.depth.{score, in_band,
 * too_shallow, too_deep}, metrics.density.{score, per_cm2, target_per_cm2},
 * zones[].{name, impressions, in_band, too_shallow, too_deep, area_cm2,
 * per_cm2}. Scores and densities have 2 decimals, areas 3. Returns
 * LES_ERR_IO when the stream fails. */
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
