/* cmd_bench_haptics.c: `stipple bench servo|query`: the haptics benchmarks
 * (hap_bench.h), each printing one JSON object on stdout.
 *   servo [--seconds N]   the real 1 kHz servo thread on the virtual stylus
 *                         with the force model on the default head: rate,
 *                         period jitter, overruns, force evaluation time
 *   query [--queries N]   closest point on the default head: BVH against
 *                         brute force on the same points
 *
 * Threads: main thread (the servo benchmark starts and stops the servo
 * thread).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "app_bench.h"
#include "hap_bench.h"

static const char BENCH_HELP[] =
    "usage: stipple bench servo [--seconds N]\n"
    "       stipple bench query [--queries N]\n"
    "\n"
    "  servo   runs the haptic servo thread for N seconds (default 5) on the\n"
    "          virtual stylus over the default head and prints\n"
    "          {rate_hz, jitter_us: {p50, p99, max}, overruns,\n"
    "           force_eval_us: {p50, p99}, ...}\n"
    "  query   times N closest-point queries (default 20000) on the default\n"
    "          head through the BVH and 200 by brute force, and prints both\n"
    "          per-query times and their ratio\n";

/* Parses "--NAME VALUE" into *out within [lo, hi]; 1 consumed, 0 not this
 * option, -1 bad value (message printed). */
static int number_option(int argc, char **argv, int *i, const char *name, double lo, double hi,
                         double *out)
{
    if (strcmp(argv[*i], name) != 0)
        return 0;
    if (*i + 1 >= argc) {
        app_usage_error("bench: %s needs a value", name);
        return -1;
    }
    char *end = NULL;
    double v = strtod(argv[*i + 1], &end);
    if (end == argv[*i + 1] || *end || !(v >= lo && v <= hi)) {
        app_usage_error("bench: %s must be a number in %g..%g, not '%s'", name, lo, hi, argv[*i + 1]);
        return -1;
    }
    *out = v;
    (*i)++;
    return 1;
}

static int bench_run(int argc, char **argv)
{
    /* the render benchmark is the renderer's own (app_bench.h) */
    if (argc >= 2 && strcmp(argv[1], "render") == 0)
        return app_bench_render(argc - 1, argv + 1);
    if (argc < 2 || app_wants_help(argc, argv)) {
        FILE *out = argc < 2 ? stderr : stdout;
        fputs(BENCH_HELP, out);
        fputs(APP_BENCH_RENDER_HELP, out);
        return argc < 2 ? APP_EXIT_USAGE : APP_EXIT_OK;
    }
    bool servo = strcmp(argv[1], "servo") == 0, query = strcmp(argv[1], "query") == 0;
    if (!servo && !query)
        return app_usage_error("bench: unknown benchmark '%s' (see 'stipple bench --help')", argv[1]);
    double seconds = 5, queries = 20000;
    for (int i = 2; i < argc; i++) {
        int k = servo ? number_option(argc, argv, &i, "--seconds", 0.1, 3600, &seconds)
                      : number_option(argc, argv, &i, "--queries", 1, 1e8, &queries);
        if (k < 0)
            return APP_EXIT_USAGE;
        if (k == 0)
            return app_usage_error("bench %s: unexpected argument '%s'", argv[1], argv[i]);
    }
    sim_surface head;
    sim_error err;
    sim_error_clear(&err);
    sim_surface_desc sd = {.kind = SIM_SURFACE_HEAD};
    if (sim_surface_init(&head, &sd, &err) != SIM_OK) {
        app_print_error(&err);
        return APP_EXIT_FAIL;
    }
    hap_result r;
    if (servo) {
        hap_bench_servo_result res;
        r = hap_bench_servo(&head, seconds, &res, &err);
        if (r == HAP_OK) {
            hap_bench_servo_json(&res, stdout);
            if (!res.realtime)
                fprintf(stderr, "stipple: note: %s\n", res.realtime_note);
        }
    } else {
        hap_bench_query_result res;
        r = hap_bench_query(&head, (uint32_t)queries, &res, &err);
        if (r == HAP_OK)
            hap_bench_query_json(&res, stdout);
    }
    sim_surface_deinit(&head);
    if (r != HAP_OK) {
        app_print_error(&err);
        return APP_EXIT_FAIL;
    }
    return APP_EXIT_OK;
}

const app_command app_cmd_bench = {"bench", "haptics benchmarks: servo loop timing, closest-point queries",
                                   bench_run};
