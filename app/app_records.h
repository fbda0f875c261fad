/* app_records.h: what `stipple record`, `stipple records` and the simulator
 * share about the records database: default paths, opening with the
 * station key and the application's grader, start-up recovery, feeding a
 * trace into a recording, and per-attempt reports.
 *
 * Defaults: the database is $XDG_DATA_HOME/stipple/records/records.db and
 * the station key $XDG_DATA_HOME/stipple/keys/station.key (see app.h's
 * app_data_subdir); every command takes --db and --key.
 *
 * Each function prints its own one-line error and returns an exit status
 * (APP_EXIT_*). Threads: main thread only.
 */
#ifndef APP_RECORDS_H
#define APP_RECORDS_H

#include "les_db.h"
#include "les_db_record.h"
#include "les_sign.h"

struct app_attempt;

typedef struct app_records {
    les_db db;
    les_sign_key key;
    bool have_key;
    bool open;
    char db_path[1024];
    char key_path[1024];
} app_records;

typedef enum app_records_mode {
    APP_RECORDS_READ = 0,        /* the database must exist; the key is used if present */
    APP_RECORDS_WRITE = 1,       /* created when missing; key created on first use */
} app_records_mode;

/* Opens the database (db_path NULL = the default) and the station key
 * (key_path NULL = the default), then recovers interrupted attempts,
 * saying so on stderr. */
int app_records_open(app_records *r, const char *db_path, const char *key_path,
                     app_records_mode mode);
void app_records_close(app_records *r);

/* The grader hook (les_db_grader) running app_session.h's pipeline on a
 * stored lesson and trace: the JSON is `stipple grade --json`'s object. */
int app_records_grade(void *ctx, const char *lesson_text, size_t lesson_len,
                      const uint8_t *trace, size_t trace_size, les_db_grade *out,
                      sim_error *err);

/* Loads the lesson for an attempt into a (an app_session.h attempt) and
 * its full text into *text (sim_malloc'd, to be stored with the attempt):
 * `lesson` is a file, or 8+ hex digits of a lesson already stored. With
 * `lesson_hash` the lesson must hash to it; an exam (les_mode_rules) needs
 * its lesson pinned one way or the other. Prints why on failure. */
int app_records_load_lesson(app_records *r, struct app_attempt *a, const char *lesson,
                            const char *lesson_hash, les_mode mode, char **text, size_t *len);
/* Begins recording an attempt at a.lesson (parsed from lesson_text, which
 * is stored with it) for `trainee` in `mode`: the simulator and `stipple
 * record` both start attempts here. `header` is the trace header (its
 * lesson hash is set from the lesson). Prints why on failure. */
int app_records_begin(app_records *r, const struct app_attempt *a, const char *lesson_text,
                      size_t lesson_len, const char *trainee, const char *instructor,
                      les_mode mode, int64_t time_limit_s, const sim_trace_header *header,
                      les_db_recording *rec);
/* Ends it (retrying a few seconds while another process holds the
 * database), printing the stored attempt; on failure the attempt is left
 * in its journal for the next start to recover. */
int app_records_end(app_records *r, les_db_recording *rec, les_outcome outcome,
                    les_db_attempt_info *info);

/* Reads a whole file (sim_malloc'd, NUL-terminated). 0 on success, else -1
 * with a message printed. */
int app_read_file(const char *path, char **text, size_t *len);

/* Writes DIR/attempt-<id>.pdf and .png (and DIR/certificate-<id>.pdf for a
 * passed, signed exam), with a heatmap of the scalp rendered offscreen
 * (picture_w x picture_h pixels; without a GPU or EGL the report says the
 * picture is unavailable). Prints what it wrote. */
int app_records_report(app_records *r, const les_db_attempt_info *info, const char *dir,
                       int picture_w, int picture_h);

/* One line about a stored attempt: "#12 3fa9c0de... T-042 pad-even-spacing
 * exam session 2: finished, score 84.5 (passed), signed by station ...". */
void app_records_print_attempt(FILE *out, const les_db_attempt_info *info);

#endif /* APP_RECORDS_H */
