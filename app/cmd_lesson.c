/* cmd_lesson.c: `stipple lesson`: instructors' tools for lesson files.
 *   validate FILE...  every diagnostic as FILE:LINE:COL: message
 *   hash FILE...      the canonical hash stored with every attempt
 *
 * Threads: main thread only.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "les_lesson.h"

static const char LESSON_HELP[] =
    "usage: stipple lesson validate FILE...\n"
    "       stipple lesson hash FILE...\n"
    "\n"
    "  validate   checks lesson files and prints every problem as\n"
    "             FILE:LINE:COL: error: message (exit 2 when any has errors)\n"
    "  hash       prints each lesson's canonical hash (SHA-256 of its content,\n"
    "             ignoring formatting and comments) and its id\n";

static int lesson_each(int argc, char **argv, bool print_hash)
{
    if (argc < 2)
        return app_usage_error("lesson %s: give at least one lesson file", argv[0]);
    int rc = APP_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        les_diags diags;
        les_lesson lesson;
        les_diags_init(&diags, argv[i]);
        les_result r = les_lesson_load(&lesson, argv[i], &diags);
        les_diags_print(&diags, stderr);
        if (r == LES_OK) {
            if (print_hash)
                printf("%s  %s\n", lesson.hash_hex, lesson.id);
            else
                printf("%s: ok (%s, %zu zone%s)\n", argv[i], lesson.id, lesson.zone_count,
                       lesson.zone_count == 1 ? "" : "s");
            les_lesson_deinit(&lesson);
        } else {
            rc = r == LES_ERR_NOMEM ? APP_EXIT_FAIL : APP_EXIT_USAGE;
        }
        les_diags_deinit(&diags);
    }
    return rc;
}

static int lesson_run(int argc, char **argv)
{
    if (argc < 2 || app_wants_help(argc, argv)) {
        fputs(LESSON_HELP, argc < 2 ? stderr : stdout);
        return argc < 2 ? APP_EXIT_USAGE : APP_EXIT_OK;
    }
    if (strcmp(argv[1], "validate") == 0)
        return lesson_each(argc - 1, argv + 1, false);
    if (strcmp(argv[1], "hash") == 0)
        return lesson_each(argc - 1, argv + 1, true);
    return app_usage_error("lesson: unknown subcommand '%s' (see 'stipple lesson --help')", argv[1]);
}

const app_command app_cmd_lesson = {"lesson", "validate lesson files, print their hash", lesson_run};
