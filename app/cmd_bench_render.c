/* cmd_bench_render.c: `stipple bench render`: the renderer's benchmark
 * (render/rnd_bench.h): fps at 0, 10k and 100k placed dots through the
 * baked skin layer and through the naive instanced redraw, in one run, as
 * one JSON object on stdout. Offscreen (EGL): no display needed.
 *
 * Threads: main thread only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "app_bench.h"
#include "rnd_bench.h"

const char APP_BENCH_RENDER_HELP[] =
    "       stipple bench render [--frames N] [--samples N] [--pad] [--closeup]\n"
    "\n"
    "  render  times frames at 1280 x 800 with 0, 10k and 100k placed dots on the\n"
    "          default head (--pad: the practice pad), baked into the skin layer\n"
    "          and redrawn naively as instanced quads, and prints\n"
    "          {baked: {fps, ms_median, ms_p95}, instanced: {...}, ratio, ...};\n"
    "          --samples N multisampling (default 1), --frames N per case\n"
    "          (default 30), --closeup adds a view 45 mm from the skin\n";

int app_bench_render(int argc, char **argv)
{
    rnd_bench_desc d;
    memset(&d, 0, sizeof d);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--pad") == 0) {
            d.pad = true;
        } else if (strcmp(a, "--closeup") == 0) {
            d.closeup = true;
        } else if ((strcmp(a, "--frames") == 0 || strcmp(a, "--samples") == 0) && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            bool frames = strcmp(a, "--frames") == 0;
            if (*end || !*argv[i] || v < 1 || v > (frames ? 100000 : 16))
                return app_usage_error("bench render: %s takes 1 to %d, not '%s'", a,
                                       frames ? 100000 : 16, argv[i]);
            if (frames)
                d.frames = (int)v;
            else
                d.samples = (int)v;
        } else {
            return app_usage_error("bench render: unexpected argument '%s' (see 'stipple bench --help')", a);
        }
    }
    sim_error err;
    sim_error_clear(&err);
    if (rnd_bench_run(&d, stdout, &err) != RND_OK) {
        app_print_error(&err);
        return APP_EXIT_FAIL;
    }
    return APP_EXIT_OK;
}
