/* cmd_demo.c: `stipple demo`: a whole attempt with no display and no
 * device. A scripted virtual stylus works every zone of the lesson; the
 * trace is journalled to disk, read back (the trace is the source of
 * truth), graded, and the healed result rendered offscreen.
 *
 * Threads: main thread only.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "app_session.h"
#include "hap_plan.h"
#include "rnd.h"

static const char DEMO_HELP[] =
    "usage: stipple demo [--out DIR] [--lesson LESSON.yaml] [--seed N] [--size WxH]\n"
    "\n"
    "Runs a whole attempt headless: a scripted virtual stylus works every zone\n"
    "of the lesson (default: the default lesson) with a realistic share of\n"
    "mistakes; writes DIR/demo.trace, DIR/grade.json and DIR/healed.png (and\n"
    "DIR/fresh.png with the lesson's zones) and prints where they are.\n"
    "\n"
    "  --out DIR       output folder (default ./stipple-demo, created if needed)\n"
    "  --lesson FILE   the lesson to work\n"
    "  --seed N        the virtual trainee's randomness (default 1)\n"
    "  --size WxH      picture size in pixels (default 1280x800)\n";

/* Plans every zone and records the scripted samples to `path`. */
static int record_demo(const app_attempt *a, const char *path, uint64_t seed)
{
    sim_trace_header h;
    memset(&h, 0, sizeof h);
    h.sample_rate_hz = 1000;
    memcpy(h.lesson_hash, a->lesson.hash, 32);
    h.seed = seed;
    snprintf(h.device, sizeof h.device, "virtual stylus (scripted demo)");
    sim_trace_writer w;
    sim_error err;
    if (sim_trace_writer_open(&w, path, &h, 0, &err) != SIM_OK) {
        app_print_error(&err);
        sim_trace_writer_close(&w, NULL);
        return APP_EXIT_FAIL;
    }
    int rc = APP_EXIT_OK;
    int64_t t0_us = 0;
    /* the right attempt for a client who must be refused is no attempt */
    size_t zones = a->lesson.client.contraindicated ? 0 : a->lesson.zone_count;
    for (size_t z = 0; z < zones && rc == APP_EXIT_OK; z++) {
        const les_zone *zone = &a->lesson.zones[z];
        if (zone->kind == LES_ZONE_FORBIDDEN)
            continue;   /* a careful trainee keeps out */
        hap_plan_desc plan = {
            .density_per_cm2 = zone->density_per_cm2,
            .depth_min_mm = zone->depth_min_mm,
            .depth_max_mm = zone->depth_max_mm,
            .shallow_share = 0.04,
            .deep_share = 0.05,
            .max_tilt_rad = sim_rad(8.0),
        };
        sim_rng rng;
        sim_rng_seed(&rng, seed, z);
        hap_stroke *strokes;
        size_t count;
        if (hap_plan_zone(&a->surface, zone->polygon, zone->polygon_count, &plan, &rng, &strokes,
                          &count) != SIM_OK) {
            fprintf(stderr, "stipple: demo: cannot plan zone '%s'\n", zone->name);
            rc = APP_EXIT_FAIL;
            break;
        }
        hap_script_desc sd = {.approach_mm_s = 60.0, .hover_mm = 1.0};
        hap_script script;
        hap_script_init(&script, &a->surface, &sd, strokes, count);
        sim_sample s;
        int64_t last_us = t0_us;
        while (hap_script_next(&script, &s)) {
            s.t_us += t0_us;
            last_us = s.t_us;
            if (sim_trace_writer_append(&w, &s, &err) != SIM_OK) {
                app_print_error(&err);
                rc = APP_EXIT_FAIL;
                break;
            }
        }
        t0_us = last_us + 1000;
        sim_free(strokes);
    }
    if (sim_trace_writer_close(&w, rc == APP_EXIT_OK ? &err : NULL) != SIM_OK && rc == APP_EXIT_OK) {
        app_print_error(&err);
        rc = APP_EXIT_FAIL;
    }
    return rc;
}

static int write_grade(const app_attempt *a, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "stipple: %s: cannot create: %s\n", path, strerror(errno));
        return APP_EXIT_FAIL;
    }
    les_result r = les_grade_write_json(&a->grade, &a->lesson, f);
    if (fclose(f) != 0 || r != LES_OK) {
        fprintf(stderr, "stipple: %s: cannot write the grade\n", path);
        return APP_EXIT_FAIL;
    }
    return APP_EXIT_OK;
}

static int render_pictures(const app_attempt *a, const char *healed_path, const char *fresh_path,
                           int w, int h)
{
    size_t n = a->impressions.count;
    rnd_dot *dots = sim_calloc(n ? n : 1, sizeof *dots);
    if (!dots)
        return APP_EXIT_FAIL;
    sim_error err;
    sim_error_clear(&err);
    int rc = APP_EXIT_OK;
    rnd_dots_from_impressions(a->impressions.items, a->healed, n, RND_DOTS_HEALED, dots);
    if (rnd_render_png(healed_path, w, h, &a->surface, NULL, dots, n, &err) != RND_OK)
        rc = APP_EXIT_FAIL;
    if (rc == APP_EXIT_OK) {
        rnd_dots_from_impressions(a->impressions.items, NULL, n, RND_DOTS_FRESH, dots);
        if (rnd_render_png(fresh_path, w, h, &a->surface, &a->lesson, dots, n, &err) != RND_OK)
            rc = APP_EXIT_FAIL;
    }
    if (rc != APP_EXIT_OK)
        app_print_error(&err);
    sim_free(dots);
    return rc;
}

static int demo_run(int argc, char **argv)
{
    if (app_wants_help(argc, argv)) {
        fputs(DEMO_HELP, stdout);
        return APP_EXIT_OK;
    }
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"lesson", required_argument, NULL, 'l'},
        {"seed", required_argument, NULL, 's'},
        {"size", required_argument, NULL, 'z'},
        {0, 0, 0, 0},
    };
    const char *out = "stipple-demo", *lesson = app_default_lesson();
    uint64_t seed = 1;
    int width = 1280, height = 800;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'o': out = optarg; break;
        case 'l': lesson = optarg; break;
        case 's':
            seed = strtoull(optarg, &end, 10);
            if (*end || !*optarg)
                return app_usage_error("demo: --seed takes a whole number, got '%s'", optarg);
            break;
        case 'z':
            if (sscanf(optarg, "%dx%d", &width, &height) != 2 || width < 16 || height < 16 ||
                width > 8192 || height > 8192)
                return app_usage_error("demo: --size takes WxH between 16 and 8192, got '%s'", optarg);
            break;
        default:
            return app_usage_error("demo: unknown or incomplete option '%s' (see 'stipple demo --help')",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return app_usage_error("demo: unexpected argument '%s'", argv[optind]);
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "stipple: %s: cannot create the output folder: %s\n", out, strerror(errno));
        return APP_EXIT_FAIL;
    }
    char trace_path[1200], grade_path[1200], healed_path[1200], fresh_path[1200];
    snprintf(trace_path, sizeof trace_path, "%s/demo.trace", out);
    snprintf(grade_path, sizeof grade_path, "%s/grade.json", out);
    snprintf(healed_path, sizeof healed_path, "%s/healed.png", out);
    snprintf(fresh_path, sizeof fresh_path, "%s/fresh.png", out);

    app_attempt a;
    app_attempt_init(&a);
    int rc = app_attempt_load_lesson(&a, lesson);
    if (rc == APP_EXIT_OK)
        rc = record_demo(&a, trace_path, seed);
    /* grade what is on disk, exactly as a re-grade years later would */
    if (rc == APP_EXIT_OK)
        rc = app_attempt_load_trace(&a, trace_path);
    if (rc == APP_EXIT_OK)
        rc = app_attempt_grade(&a);
    if (rc == APP_EXIT_OK)
        rc = write_grade(&a, grade_path);
    if (rc == APP_EXIT_OK)
        rc = render_pictures(&a, healed_path, fresh_path, width, height);
    if (rc == APP_EXIT_OK) {
        if (a.lesson.client.contraindicated)
            printf("demo: the client must be refused (%s): the virtual trainee places no dots\n",
                   a.lesson.client.condition ? a.lesson.client.condition : "contraindicated");
        printf("demo: %s, %zu impressions, score %.1f (%s)\n", a.lesson.id, a.impressions.count,
               a.grade.score, a.grade.passed ? "passed" : "not passed");
        printf("  trace   %s\n  grade   %s\n  healed  %s\n  fresh   %s\n", trace_path, grade_path,
               healed_path, fresh_path);
    }
    app_attempt_deinit(&a);
    return rc;
}

const app_command app_cmd_demo = {"demo", "run a scripted attempt headless: trace, grade and pictures",
                                  demo_run};
