/* les_feedback.h: what the grade tells the trainee: short sentences, worst
 * first, each tied to a place on the skin ("14 dots in the left temple are
 * 1.6–2.1 mm deep (band 0.5–1.2 mm): expect blue-grey blowout"), and the
 * names of places ("the left temple", "the near-left corner of `field`").
 *
 * A feedback list is filled by the grader (les_grade.c calls
 * les__feedback_build, les_grade_internal.h) and sorted by severity, then
 * impact, then the order the items were made, so it is the same on every
 * run. Numbers in messages never follow the locale.
 *
 * Ownership: a les_feedback owns its items (les_feedback_deinit).
 * Threads: reentrant.
 */
#ifndef LES_FEEDBACK_H
#define LES_FEEDBACK_H

#include <stdarg.h>

#include "les_lesson.h"

typedef enum les_feedback_severity {
    LES_FEEDBACK_CRITICAL = 0,  /* fails the attempt by itself (safety) */
    LES_FEEDBACK_MAJOR = 1,     /* costs the metric, or fails it */
    LES_FEEDBACK_MINOR = 2,     /* worth fixing */
    LES_FEEDBACK_NOTE = 3,      /* well done, or for information */
} les_feedback_severity;

/* "critical", "major", "minor", "note". */
const char *les_feedback_severity_name(les_feedback_severity s);

#define LES_FEEDBACK_MESSAGE_LEN 240

typedef struct les_feedback_item {
    les_metric metric;
    les_feedback_severity severity;
    double impact;           /* orders items of one severity: larger first */
    size_t seq;              /* the order it was made (the last tie-break) */
    char message[LES_FEEDBACK_MESSAGE_LEN];
    sim_vec3 point_mm;       /* where, on the skin */
    sim_vec2 chart_mm;       /* the same on the chart */
} les_feedback_item;

typedef struct les_feedback {
    les_feedback_item *items;
    size_t count, capacity;
    bool nomem;              /* an item was dropped for lack of memory */
} les_feedback;

void les_feedback_init(les_feedback *fb);
void les_feedback_deinit(les_feedback *fb);
/* Appends an item whose message is printf-formatted (use les_fmt_num for
 * numbers: %f would follow the locale). Out of memory sets fb->nomem. */
void les_feedback_add(les_feedback *fb, les_metric metric, les_feedback_severity sev,
                      double impact, sim_vec3 point_mm, sim_vec2 chart_mm,
                      const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;
/* Sorts worst first: severity, impact (descending), seq. */
void les_feedback_sort(les_feedback *fb);

/* v with `decimals` decimals and '.' as the point, into buf (returned). */
const char *les_fmt_num(char *buf, size_t size, double v, int decimals);

/* Where chart point uv is, as a phrase with its preposition, for
 * sentences ("along the left temple", "at the front centre"; on a pad, by
 * thirds of the zone's outline: "in the near-left corner of `field`",
 * "along the far edge of `field`"). `zone` is the zone the place is in
 * (-1: none, a pad then names thirds of the pad). */
const char *les_place_name(char *buf, size_t size, const sim_surface *surface,
                           const les_lesson *lesson, int zone, sim_vec2 uv);
/* The region index behind les_place_name (0..15), for grouping places. */
int les_place_region(const sim_surface *surface, const les_lesson *lesson, int zone,
                     sim_vec2 uv);

#endif /* LES_FEEDBACK_H */
