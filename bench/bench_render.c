/* bench_render.c: the renderer's benchmark as its own executable (the same
 * as `stipple bench render`, see render/rnd_bench.h). Prints one JSON
 * object on stdout.
 *
 * Built, never run by ctest (timings on shared machines are not pass/fail).
 * Usage: bench_render [--frames N] [--samples N] [--pad] [--closeup]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd_bench.h"

int main(int argc, char **argv)
{
    rnd_bench_desc d;
    memset(&d, 0, sizeof d);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--pad") == 0)
            d.pad = true;
        else if (strcmp(argv[i], "--closeup") == 0)
            d.closeup = true;
        else if (strcmp(argv[i], "--frames") == 0 && i + 1 < argc)
            d.frames = atoi(argv[++i]);
        else if (strcmp(argv[i], "--samples") == 0 && i + 1 < argc)
            d.samples = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_render [--frames N] [--samples N] [--pad] [--closeup]\n");
            return 2;
        }
    }
    sim_error err;
    if (rnd_bench_run(&d, stdout, &err) != RND_OK) {
        fprintf(stderr, "bench_render: %s\n", err.message);
        return 1;
    }
    return 0;
}
