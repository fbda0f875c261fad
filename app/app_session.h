/* app_session.h: the pipeline every command shares: lesson -> surface ->
 * impressions (from a trace or a CSV) -> healed dots -> grade.
 *
 * Each function prints its own one-line error (naming the file and place)
 * on stderr and returns an exit status (APP_EXIT_*), so commands stay
 * short. With `capture` set, the first error goes there instead and
 * nothing is printed (the records module re-grades stored attempts this
 * way and reports problems itself). Threads: main thread only.
 */
#ifndef APP_SESSION_H
#define APP_SESSION_H

#include "les_grade.h"
#include "les_lesson.h"
#include "sim_heal.h"
#include "sim_impression.h"
#include "sim_surface.h"
#include "sim_trace.h"

/* Everything one graded attempt needs; app_attempt_deinit frees it all. */
typedef struct app_attempt {
    les_lesson lesson;
    sim_surface surface;
    sim_trace trace;               /* empty when graded from a CSV */
    sim_impression_list impressions;
    sim_healed_dot *healed;        /* impressions.count entries */
    les_grade grade;
    bool have_lesson, have_surface, have_grade;
    sim_error *capture;            /* NULL: print errors; else keep the first here */
} app_attempt;

void app_attempt_init(app_attempt *a);
void app_attempt_deinit(app_attempt *a);

/* Loads and validates the lesson (printing every diagnostic), then builds
 * its surface. */
int app_attempt_load_lesson(app_attempt *a, const char *lesson_path);
/* The same on lesson text in memory (`name` is used in messages). */
int app_attempt_load_lesson_text(app_attempt *a, const char *text, size_t len, const char *name);
/* Reads a trace (warning on stderr when truncated or recorded for another
 * lesson) and extracts its impressions. */
int app_attempt_load_trace(app_attempt *a, const char *trace_path);
/* The same on trace bytes in memory. */
int app_attempt_load_trace_data(app_attempt *a, const uint8_t *data, size_t size,
                                const char *name);
/* Reads impressions from a CSV. */
int app_attempt_load_csv(app_attempt *a, const char *csv_path);
/* Heals and grades the loaded impressions. */
int app_attempt_grade(app_attempt *a);

#endif /* APP_SESSION_H */
