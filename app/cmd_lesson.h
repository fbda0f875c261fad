/* cmd_lesson.h: the subcommands of `stipple lesson`, one file each
 * (cmd_lesson.c dispatches and holds validate and hash).
 *
 *   new      cmd_lesson_new.c       a commented template that validates
 *   solve    cmd_lesson_solve.c     a lesson's reference attempt
 *   preview  cmd_lesson_preview.c   a picture of zones, hairline, temples
 *
 * Each takes argv[0] = its own name and returns an exit status (APP_EXIT_*).
 * Threads: main thread only.
 */
#ifndef CMD_LESSON_H
#define CMD_LESSON_H

#include "les_lesson.h"

int app_lesson_new(int argc, char **argv);
int app_lesson_solve(int argc, char **argv);
int app_lesson_preview(int argc, char **argv);

/* Loads a lesson, printing every diagnostic; an exit status. */
int app_lesson_load(les_lesson *lesson, const char *path);

#endif /* CMD_LESSON_H */
