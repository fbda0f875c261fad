/* rnd_bench.h: the renderer's benchmark, shared by `stipple bench render`
 * and bench/bench_render: frame times offscreen with 0, 10k and 100k
 * placed dots, through the baked skin layer and through the naive
 * instanced redraw, in one run, printed as one JSON object.
 *
 * Every timed frame moves the camera a little (an orbit of 0.25 degrees),
 * so nothing can be re-used from the previous frame; each frame ends with
 * glFinish. Benchmarks are never run by the tests (timings on a shared
 * machine are not pass/fail).
 *
 * Threads: the calling thread (it makes its own offscreen context).
 */
#ifndef RND_BENCH_H
#define RND_BENCH_H

#include <stdio.h>

#include "rnd.h"

typedef struct rnd_bench_desc {
    int width, height;       /* pixels; 0 = 1280 x 800 */
    int samples;             /* per pixel; 0 = 1 (no multisampling) */
    int frames;              /* timed frames per case; 0 = 30 */
    bool pad;                /* the practice pad instead of the default head */
    bool closeup;            /* also time a close view (detail levels) */
} rnd_bench_desc;

/* Runs the benchmark and writes one JSON object and a newline to `out`:
 *   {"bench": "render", "device", "width", "height", "samples", "frames",
 *    "scene", "dots": [0, 10000, 100000],
 *    "baked": {"fps": [...], "ms_median": [...], "ms_p95": [...]},
 *    "instanced": {...}, "ratio": [...]  (baked fps / instanced fps),
 *    "ratio_100k", "goal_fps": 60, "baked_100k_meets_goal",
 *    "closeup": {...} (when asked)}
 * RND_ERR_NO_DISPLAY when no offscreen context can be had, RND_ERR_NOMEM,
 * RND_ERR_GL; err says why. */
rnd_result rnd_bench_run(const rnd_bench_desc *desc, FILE *out, sim_error *err);

#endif /* RND_BENCH_H */
