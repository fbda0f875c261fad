/* cmd_lesson.c: `stipple lesson`: instructors' tools for lesson files.
 *   new [--pad|--head] [--out FILE]   a commented template (cmd_lesson_new.c)
 *   validate FILE...                  every diagnostic as FILE:LINE:COL: message
 *   hash FILE...                      the canonical hash stored with every attempt
 *   preview FILE --out PNG            a picture of the lesson (cmd_lesson_preview.c)
 *   solve FILE [--out CSV]            the reference attempt (cmd_lesson_solve.c)
 *
 * Threads: main thread only.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "cmd_lesson.h"
#include "les_curriculum.h"
#include "les_grade.h"

static const char LESSON_HELP[] =
    "usage: stipple lesson new [--pad | --head] [--out FILE]\n"
    "       stipple lesson validate FILE...\n"
    "       stipple lesson hash FILE...\n"
    "       stipple lesson preview FILE --out PNG [--view VIEW] [--size WxH]\n"
    "       stipple lesson solve FILE [--out CSV] [--trace FILE] [--seed N]\n"
    "\n"
    "  new        writes a commented lesson template that validates (edit it)\n"
    "  validate   checks lesson files, and the files they name, and prints every\n"
    "             problem as FILE:LINE:COL: error: message (exit 2 when any has\n"
    "             errors; warnings alone exit 0); a curriculum file (one that\n"
    "             starts `stipple_curriculum: 1`) is checked with all its lessons\n"
    "  hash       prints each lesson's canonical hash (SHA-256 of its content,\n"
    "             ignoring formatting and comments) and its id\n"
    "  preview    draws the lesson headless: surface, zones (forbidden ones in\n"
    "             red), target hairline, temple points, earlier sessions' dots\n"
    "  solve      makes the lesson's reference attempt as an impressions CSV\n"
    "\n"
    "docs/lessons.md describes every key. 'stipple lesson COMMAND --help' for more.\n";

int app_lesson_load(les_lesson *lesson, const char *path)
{
    les_diags diags;
    les_diags_init(&diags, path);
    les_result r = les_lesson_load(lesson, path, &diags);
    les_diags_print(&diags, stderr);
    les_diags_deinit(&diags);
    if (r == LES_OK)
        return APP_EXIT_OK;
    return r == LES_ERR_NOMEM ? APP_EXIT_FAIL : APP_EXIT_USAGE;
}

/* What only building the surface can tell: an imported mesh's BVH, and the
 * earlier session's impressions (each projected onto the skin). */
static int lesson_deep_check(const les_lesson *l)
{
    if (!l->mesh.path && !l->session.previous_impressions)
        return APP_EXIT_OK;
    sim_surface surface;
    sim_error err;
    sim_error_clear(&err);
    if (les_lesson_surface_init(l, &surface, &err) != LES_OK) {
        app_print_error(&err);
        return APP_EXIT_USAGE;
    }
    int rc = APP_EXIT_OK;
    char file[4096];
    const char *prev = l->session.previous_impressions;
    if (prev) {
        sim_impression_list list;
        sim_impression_list_init(&list);
        if (!les_lesson_file(l, prev, file, sizeof file) ||
            les_impressions_read_csv(file, &surface, &list, &err) != LES_OK) {
            app_print_error(&err);
            rc = APP_EXIT_USAGE;
        }
        sim_impression_list_deinit(&list);
    }
    sim_surface_deinit(&surface);
    return rc;
}

/* A curriculum file names itself on a line of its own. */
static bool is_curriculum(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[256];
    bool yes = false;
    while (f && !yes && fgets(line, sizeof line, f))
        yes = strncmp(line, "stipple_curriculum:", 19) == 0;
    if (f)
        fclose(f);
    return yes;
}

static int curriculum_validate(const char *path)
{
    les_curriculum c;
    les_diags diags;
    les_diags_init(&diags, path);
    les_result r = les_curriculum_load(&c, path, &diags);
    les_diags_print(&diags, stderr);
    les_diags_deinit(&diags);
    if (r != LES_OK)
        return r == LES_ERR_NOMEM ? APP_EXIT_FAIL : APP_EXIT_USAGE;
    printf("%s: ok (curriculum %s, %zu lessons)\n", path, c.id, c.count);
    les_curriculum_deinit(&c);
    return APP_EXIT_OK;
}

static int lesson_each(int argc, char **argv, bool print_hash)
{
    if (argc < 2)
        return app_usage_error("lesson %s: give at least one lesson file", argv[0]);
    int rc = APP_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        if (!print_hash && is_curriculum(argv[i])) {
            int crc = curriculum_validate(argv[i]);
            rc = crc != APP_EXIT_OK ? crc : rc;
            continue;
        }
        les_diags diags;
        les_lesson lesson;
        les_diags_init(&diags, argv[i]);
        les_result r = les_lesson_load(&lesson, argv[i], &diags);
        les_diags_print(&diags, stderr);
        size_t warnings = diags.count - diags.errors;
        les_diags_deinit(&diags);
        if (r != LES_OK) {
            rc = r == LES_ERR_NOMEM ? APP_EXIT_FAIL : APP_EXIT_USAGE;
            continue;
        }
        int deep = print_hash ? APP_EXIT_OK : lesson_deep_check(&lesson);
        if (deep != APP_EXIT_OK)
            rc = deep;
        else if (print_hash)
            printf("%s  %s\n", lesson.hash_hex, lesson.id);
        else
            printf("%s: ok (%s, %zu zone%s%s%zu warning%s)\n", argv[i], lesson.id,
                   lesson.zone_count, lesson.zone_count == 1 ? "" : "s", ", ", warnings,
                   warnings == 1 ? "" : "s");
        les_lesson_deinit(&lesson);
    }
    return rc;
}

static int lesson_run(int argc, char **argv)
{
    if (argc < 2) {
        fputs(LESSON_HELP, stderr);
        return APP_EXIT_USAGE;
    }
    const char *sub = argv[1];
    bool each = strcmp(sub, "validate") == 0 || strcmp(sub, "hash") == 0;
    if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0 ||
        (each && app_wants_help(argc - 1, argv + 1))) {
        fputs(LESSON_HELP, stdout);
        return APP_EXIT_OK;
    }
    if (each)
        return lesson_each(argc - 1, argv + 1, strcmp(sub, "hash") == 0);
    if (strcmp(sub, "new") == 0)
        return app_lesson_new(argc - 1, argv + 1);
    if (strcmp(sub, "solve") == 0)
        return app_lesson_solve(argc - 1, argv + 1);
    if (strcmp(sub, "preview") == 0)
        return app_lesson_preview(argc - 1, argv + 1);
    return app_usage_error("lesson: unknown subcommand '%s' (see 'stipple lesson --help')", sub);
}

const app_command app_cmd_lesson = {
    "lesson", "write, check, hash, preview and solve lesson files", lesson_run};
