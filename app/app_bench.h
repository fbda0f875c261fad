/* app_bench.h: benchmarks other files' `bench` dispatch reaches.
 *
 * `stipple bench` lives in cmd_bench_haptics.c (servo, query); the render
 * benchmark is here so each module's owner keeps its own. The dispatcher
 * calls app_bench_render for `stipple bench render ...`.
 *
 * Threads: main thread only.
 */
#ifndef APP_BENCH_H
#define APP_BENCH_H

/* `stipple bench render [--frames N] [--samples N] [--pad] [--closeup]`:
 * argv[0] is "render". Prints one JSON object (render/rnd_bench.h) and
 * returns an exit status (APP_EXIT_*). */
int app_bench_render(int argc, char **argv);

/* The help lines for `stipple bench --help`. */
extern const char APP_BENCH_RENDER_HELP[];

#endif /* APP_BENCH_H */
