/* app_session.c: lesson -> surface -> impressions -> healed dots -> grade,
 * with the command line's error reporting (see app_session.h).
 *
 * Threads: main thread only.
 */
#include "app_session.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "les_sign.h"

void app_attempt_init(app_attempt *a)
{
    memset(a, 0, sizeof *a);
    sim_trace_init(&a->trace);
    sim_impression_list_init(&a->impressions);
}

void app_attempt_deinit(app_attempt *a)
{
    if (a->have_grade)
        les_grade_deinit(&a->grade);
    sim_free(a->healed);
    sim_impression_list_deinit(&a->impressions);
    sim_trace_deinit(&a->trace);
    if (a->have_surface)
        sim_surface_deinit(&a->surface);
    if (a->have_lesson)
        les_lesson_deinit(&a->lesson);
    memset(a, 0, sizeof *a);
}

/* Prints err, or keeps it in a->capture (the first one only). */
static void report(app_attempt *a, const sim_error *err)
{
    if (!a->capture)
        app_print_error(err);
    else if (a->capture->code == 0)
        *a->capture = *err;
}

/* After parsing: print the diagnostics, or capture the first error. */
static void report_diags(app_attempt *a, const les_diags *diags, les_result r)
{
    if (!a->capture) {
        les_diags_print(diags, stderr);
        return;
    }
    if (r == LES_OK || a->capture->code != 0)
        return;
    sim_error err;
    sim_error_clear(&err);
    err.code = (int)r;
    snprintf(err.file, sizeof err.file, "%.255s", diags->file);
    snprintf(err.message, sizeof err.message, "%s", les_result_message(r));
    for (size_t i = 0; i < diags->count; i++)
        if (diags->items[i].severity == LES_ERROR) {
            err.line = diags->items[i].line;
            err.column = diags->items[i].column;
            snprintf(err.message, sizeof err.message, "%s", diags->items[i].message);
            break;
        }
    report(a, &err);
}

/* Builds the parsed lesson's surface. */
static int build_surface(app_attempt *a, const char *name)
{
    a->have_lesson = true;
    sim_error err;
    sim_error_clear(&err);
    /* the pad, the default head or the lesson's imported mesh */
    if (les_lesson_surface_init(&a->lesson, &a->surface, &err) != LES_OK) {
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%.255s", name);
        report(a, &err);
        return APP_EXIT_FAIL;
    }
    a->have_surface = true;
    return APP_EXIT_OK;
}

int app_attempt_load_lesson(app_attempt *a, const char *path)
{
    les_diags diags;
    les_diags_init(&diags, path);
    les_result r = les_lesson_load(&a->lesson, path, &diags);
    report_diags(a, &diags, r);
    les_diags_deinit(&diags);
    if (r != LES_OK)
        return r == LES_ERR_NOMEM ? APP_EXIT_FAIL : APP_EXIT_USAGE;
    return build_surface(a, path);
}

int app_attempt_load_lesson_text(app_attempt *a, const char *text, size_t len, const char *name)
{
    les_diags diags;
    les_diags_init(&diags, name);
    les_result r = les_lesson_parse(&a->lesson, text, len, &diags);
    report_diags(a, &diags, r);
    les_diags_deinit(&diags);
    if (r != LES_OK)
        return r == LES_ERR_NOMEM ? APP_EXIT_FAIL : APP_EXIT_USAGE;
    return build_surface(a, name);
}

static bool hash_is_zero(const uint8_t h[32])
{
    for (int i = 0; i < 32; i++)
        if (h[i])
            return false;
    return true;
}

/* After reading a trace (r, err): warnings, then impressions. */
static int trace_loaded(app_attempt *a, sim_result r, const sim_error *err, const char *name)
{
    if (r != SIM_OK) {
        report(a, err);
        return r == SIM_ERR_NOMEM ? APP_EXIT_FAIL : APP_EXIT_USAGE;
    }
    if (a->trace.truncated && !a->capture) {
        char buf[1024];
        fprintf(stderr, "stipple: warning: %s\n", sim_error_format(err, buf, sizeof buf));
    }
    if (!hash_is_zero(a->trace.header.lesson_hash) &&
        memcmp(a->trace.header.lesson_hash, a->lesson.hash, 32) != 0 && !a->capture) {
        char hex[65];
        les_hex(a->trace.header.lesson_hash, 32, hex);
        fprintf(stderr,
                "stipple: warning: %s was recorded for lesson %.12s..., not %s (%.12s...)\n",
                name, hex, a->lesson.id, a->lesson.hash_hex);
    }
    if (sim_impressions_from_trace(&a->surface, &a->trace, NULL, &a->impressions) != SIM_OK) {
        sim_error oom;
        sim_error_set(&oom, SIM_ERR_NOMEM, name, 0, 0, "out of memory extracting impressions");
        report(a, &oom);
        return APP_EXIT_FAIL;
    }
    return APP_EXIT_OK;
}

int app_attempt_load_trace(app_attempt *a, const char *path)
{
    sim_error err;
    sim_error_clear(&err);
    sim_result r = sim_trace_load(&a->trace, path, &err);
    return trace_loaded(a, r, &err, path);
}

int app_attempt_load_trace_data(app_attempt *a, const uint8_t *data, size_t size, const char *name)
{
    sim_error err;
    sim_error_clear(&err);
    sim_result r = sim_trace_parse(&a->trace, data, size, name, &err);
    return trace_loaded(a, r, &err, name);
}

int app_attempt_load_csv(app_attempt *a, const char *path)
{
    sim_error err;
    sim_error_clear(&err);
    les_result r = les_impressions_read_csv(path, &a->surface, &a->impressions, &err);
    if (r != LES_OK) {
        report(a, &err);
        return r == LES_ERR_NOMEM ? APP_EXIT_FAIL : APP_EXIT_USAGE;
    }
    return APP_EXIT_OK;
}

int app_attempt_grade(app_attempt *a)
{
    size_t n = a->impressions.count;
    a->healed = sim_calloc(n ? n : 1, sizeof *a->healed);
    if (!a->healed) {
        sim_error oom;
        sim_error_set(&oom, SIM_ERR_NOMEM, "", 0, 0, "out of memory healing %zu impressions", n);
        report(a, &oom);
        return APP_EXIT_FAIL;
    }
    sim_error err;
    sim_error_clear(&err);
    /* the lesson's tissue (borrowed from its arena while healing) */
    sim_tissue tissue;
    if (sim_tissue_init(&tissue, &a->lesson.tissue, a->surface.kind, &err) != SIM_OK) {
        snprintf(err.file, sizeof err.file, "%s", a->lesson.path ? a->lesson.path : "");
        report(a, &err);
        return APP_EXIT_USAGE;
    }
    sim_heal_params heal = {.tissue = &tissue};
    sim_heal_all(a->impressions.items, n, &heal, a->healed);
    if (les_grade_run(&a->lesson, &a->surface, a->impressions.items, n, &a->grade, &err) != LES_OK) {
        report(a, &err);
        return APP_EXIT_FAIL;
    }
    a->have_grade = true;
    return APP_EXIT_OK;
}
