/* cmd_lesson_solve.c: `stipple lesson solve`: a lesson's reference attempt,
 * the way the reference solutions in assets/solutions/ are made.
 *
 * The plan (les_plan_reference: every work zone at its density, depths in
 * the band, forbidden zones empty, nothing for a client to refuse) becomes
 * strokes for the scripted virtual stylus (hap_script); its samples are
 * recorded (optionally to a trace file) and fed through the impression
 * extractor exactly as a live session's are; the impressions are written
 * as CSV. Same lesson and seed, same bytes.
 *
 * Threads: main thread only.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cmd_lesson.h"
#include "hap_script.h"
#include "les_grade.h"
#include "les_solve.h"

static const char SOLVE_HELP[] =
    "usage: stipple lesson solve LESSON.yaml [--out FILE.csv] [--trace FILE] [--seed N]\n"
    "\n"
    "Makes the lesson's reference attempt: a skilled hand fills every work zone\n"
    "at its target density (measured on the skin), every dot in the middle of\n"
    "its depth band, even but irregular (best-candidate sampling), forbidden\n"
    "zones left alone, dots of a later session placed between the earlier\n"
    "session's; a client the lesson says to refuse gets no dot at all. The\n"
    "scripted virtual stylus performs it and the impressions are written as\n"
    "CSV (the input of `stipple grade --impressions`). The same lesson and seed\n"
    "always give the same bytes.\n"
    "\n"
    "  --out FILE     the impressions CSV (default: standard output)\n"
    "  --trace FILE   also keep the recorded trace (replay it in the simulator)\n"
    "  --seed N       where the dots fall (default 1)\n";

#define SOLVE_HOVER_MM 3.0
#define SOLVE_APPROACH_MM_S 20.0
#define SOLVE_TRAVEL_MM_S 30.0

typedef struct solve_run {
    les_lesson lesson;
    sim_surface surface;
    sim_impression_list previous, made;
    les_plan_dot *dots;
    hap_stroke *strokes;
    size_t count;
    bool have_lesson, have_surface;
} solve_run;

static void solve_deinit(solve_run *s)
{
    sim_free(s->dots);
    sim_free(s->strokes);
    sim_impression_list_deinit(&s->previous);
    sim_impression_list_deinit(&s->made);
    if (s->have_surface)
        sim_surface_deinit(&s->surface);
    if (s->have_lesson)
        les_lesson_deinit(&s->lesson);
}

static int solve_prepare(solve_run *s, const char *path)
{
    int rc = app_lesson_load(&s->lesson, path);
    if (rc != APP_EXIT_OK)
        return rc;
    s->have_lesson = true;
    sim_error err;
    sim_error_clear(&err);
    if (les_lesson_surface_init(&s->lesson, &s->surface, &err) != LES_OK) {
        app_print_error(&err);
        return APP_EXIT_FAIL;
    }
    s->have_surface = true;
    const char *prev = s->lesson.session.previous_impressions;
    char file[4096];
    if (prev && (!les_lesson_file(&s->lesson, prev, file, sizeof file) ||
                 les_impressions_read_csv(file, &s->surface, &s->previous, &err) != LES_OK)) {
        app_print_error(&err);
        return APP_EXIT_USAGE;
    }
    return APP_EXIT_OK;
}

static int solve_plan(solve_run *s, uint64_t seed)
{
    les_plan_desc desc = {.seed = seed, .previous = s->previous.items,
                          .previous_count = s->previous.count};
    sim_error err;
    sim_error_clear(&err);
    if (les_plan_reference(&s->lesson, &s->surface, &desc, &s->dots, &s->count, &err) != LES_OK) {
        app_print_error(&err);
        return APP_EXIT_FAIL;
    }
    s->strokes = sim_calloc(s->count ? s->count : 1, sizeof *s->strokes);
    if (!s->strokes)
        return APP_EXIT_FAIL;
    for (size_t i = 0; i < s->count; i++)
        s->strokes[i] = (hap_stroke){.chart_mm = s->dots[i].chart_mm,
                                     .depth_mm = s->dots[i].depth_mm,
                                     .dwell_s = s->dots[i].dwell_s,
                                     .tilt_rad = s->dots[i].tilt_rad};
    return APP_EXIT_OK;
}

static bool solve_push(solve_run *s, const sim_impression *imp)
{
    return sim_impression_list_push(&s->made, imp) == SIM_OK;
}

/* Runs the script, recording to `trace` (may be NULL) and extracting. */
static int solve_perform(solve_run *s, const char *trace, uint64_t seed)
{
    sim_trace_writer w;
    sim_error err;
    sim_error_clear(&err);
    if (trace) {
        sim_trace_header h;
        memset(&h, 0, sizeof h);
        h.sample_rate_hz = 1000;
        memcpy(h.lesson_hash, s->lesson.hash, 32);
        h.seed = seed;
        snprintf(h.device, sizeof h.device, "virtual stylus (reference solution)");
        if (sim_trace_writer_open(&w, trace, &h, 0, &err) != SIM_OK) {
            app_print_error(&err);
            sim_trace_writer_close(&w, NULL);
            return APP_EXIT_FAIL;
        }
    }
    /* a steady hand's pace: about two dots a second (technique band 20-240
     * a minute), the needle in and out at 20 mm/s, about 0.1 s in the skin */
    hap_script_desc sd = {.hover_mm = SOLVE_HOVER_MM, .approach_mm_s = SOLVE_APPROACH_MM_S,
                          .travel_mm_s = SOLVE_TRAVEL_MM_S};
    hap_script script;
    hap_script_init(&script, &s->surface, &sd, s->strokes, s->count);
    sim_extractor ex;
    sim_extractor_init(&ex, &s->surface, NULL);
    sim_sample sample;
    sim_impression imp;
    bool done, ok = true;
    int rc = APP_EXIT_OK;
    while (ok && hap_script_next(&script, &sample)) {
        if (trace && sim_trace_writer_append(&w, &sample, &err) != SIM_OK) {
            app_print_error(&err);
            rc = APP_EXIT_FAIL;
            break;
        }
        sim_extractor_feed(&ex, &sample, &imp, &done);
        ok = !done || solve_push(s, &imp);
    }
    if (ok && sim_extractor_finish(&ex, &imp))
        ok = solve_push(s, &imp);
    if (trace && sim_trace_writer_close(&w, rc == APP_EXIT_OK ? &err : NULL) != SIM_OK &&
        rc == APP_EXIT_OK) {
        app_print_error(&err);
        rc = APP_EXIT_FAIL;
    }
    if (!ok) {
        fprintf(stderr, "stipple: out of memory extracting impressions\n");
        return APP_EXIT_FAIL;
    }
    return rc;
}

/* The cartridge each dot was planned with (the extractor records one). */
static int solve_needles(solve_run *s)
{
    if (s->made.count != s->count) {
        fprintf(stderr, "stipple: the scripted stylus made %zu impressions for %zu strokes\n",
                s->made.count, s->count);
        return APP_EXIT_FAIL;
    }
    for (size_t i = 0; i < s->count; i++)
        s->made.items[i].needle = s->dots[i].needle;
    return APP_EXIT_OK;
}

static int solve_write(const solve_run *s, const char *out)
{
    FILE *f = out ? fopen(out, "w") : stdout;
    if (!f) {
        fprintf(stderr, "stipple: %s: cannot create: %s\n", out, strerror(errno));
        return APP_EXIT_FAIL;
    }
    les_result r = les_impressions_write_csv(f, s->made.items, s->made.count);
    if ((out ? fclose(f) : fflush(f)) != 0 || r != LES_OK) {
        fprintf(stderr, "stipple: %s: cannot write the impressions\n", out ? out : "stdout");
        return APP_EXIT_FAIL;
    }
    return APP_EXIT_OK;
}

int app_lesson_solve(int argc, char **argv)
{
    if (app_wants_help(argc, argv)) {
        fputs(SOLVE_HELP, stdout);
        return APP_EXIT_OK;
    }
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"trace", required_argument, NULL, 't'},
        {"seed", required_argument, NULL, 's'},
        {0, 0, 0, 0},
    };
    const char *out = NULL, *trace = NULL;
    uint64_t seed = 1;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'o': out = optarg; break;
        case 't': trace = optarg; break;
        case 's':
            seed = strtoull(optarg, &end, 10);
            if (*end || !*optarg || seed == 0)
                return app_usage_error("lesson solve: --seed takes a whole number above 0, got '%s'",
                                       optarg);
            break;
        default:
            return app_usage_error("lesson solve: unknown or incomplete option '%s' "
                                   "(see 'stipple lesson solve --help')", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return app_usage_error("lesson solve: give one lesson file (see 'stipple lesson solve --help')");
    solve_run s;
    memset(&s, 0, sizeof s);
    sim_impression_list_init(&s.previous);
    sim_impression_list_init(&s.made);
    int rc = solve_prepare(&s, argv[optind]);
    if (rc == APP_EXIT_OK)
        rc = solve_plan(&s, seed);
    if (rc == APP_EXIT_OK)
        rc = solve_perform(&s, trace, seed);
    if (rc == APP_EXIT_OK)
        rc = solve_needles(&s);
    if (rc == APP_EXIT_OK)
        rc = solve_write(&s, out);
    if (rc == APP_EXIT_OK && out)
        fprintf(stderr, "%s: %zu impressions -> %s\n", s.lesson.id, s.made.count, out);
    solve_deinit(&s);
    return rc;
}
