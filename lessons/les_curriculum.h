/* les_curriculum.h: a curriculum: an ordered list of lessons with unlock
 * rules, used by the simulator's lesson picker.
 *
 *   stipple_curriculum: 1
 *   id: smp-foundation
 *   title: From the practice pad to certification
 *   lessons:
 *     - file: pad-single-dots.yaml          # relative to this file
 *     - file: pad-even-spacing.yaml
 *       requires: [pad-single-dots]         # passed first (ids, earlier entries)
 *     - file: exam-certification.yaml
 *       requires: [head-hairline-young, head-temples]
 *       min_score: 85                       # on each required lesson (default:
 *                                           # that lesson's pass mark)
 *
 * Loading checks the file like a lesson (every diagnostic, FILE:LINE:COL),
 * loads every lesson it names (their diagnostics are counted at the entry),
 * and checks the rules: ids unique, a requirement names an earlier entry
 * (so the order is a valid course and has no cycle).
 *
 * Ownership: a curriculum lives in one arena (les_curriculum_deinit).
 * Threads: reentrant.
 */
#ifndef LES_CURRICULUM_H
#define LES_CURRICULUM_H

#include "les_lesson.h"

#define LES_CURRICULUM_FORMAT 1

typedef struct les_curriculum_entry {
    const char *file;            /* as written */
    const char *id;              /* the lesson's id */
    const char *title;           /* the lesson's title */
    les_level level;
    les_mode mode;
    double pass_mark;            /* the lesson's */
    size_t *requires;            /* indices of earlier entries */
    size_t require_count;
    double min_score;            /* on each required lesson; 0: its pass mark */
    les_pos pos;
} les_curriculum_entry;

typedef struct les_curriculum {
    int format;
    const char *id;
    const char *title;
    les_curriculum_entry *entries;
    size_t count;
    const char *path;
    les_arena_block *arena;
} les_curriculum;

/* Reads and checks a curriculum file and the lessons it names. LES_OK
 * (possibly with warnings), LES_ERR_IO, LES_ERR_SYNTAX, LES_ERR_INVALID
 * or LES_ERR_NOMEM; on error the curriculum is empty. */
les_result les_curriculum_load(les_curriculum *c, const char *path, les_diags *diags);
void les_curriculum_deinit(les_curriculum *c);

/* The lesson file of entry i (resolved against the curriculum's folder)
 * into buf; false when it does not fit or i is out of range. */
bool les_curriculum_file(const les_curriculum *c, size_t i, char *buf, size_t size);

/* Whether entry i is open to a trainee whose best score on each entry is
 * best[0..count) (NAN: never attempted): every requirement scored at least
 * its min_score, or the required lesson's pass mark. */
bool les_curriculum_unlocked(const les_curriculum *c, size_t i, const double *best);

#endif /* LES_CURRICULUM_H */
