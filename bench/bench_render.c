/* bench_render.c: frame time of the renderer offscreen at 1280 x 800 with
 * 0, 10k and 100k dots drawn as instanced quads on the framed practice pad,
 * plus one readback, with 4x multisampling (the offscreen default) and
 * without. Prints one JSON object on stdout.
 *
 * Built, never run by ctest (timings on shared machines are not pass/fail).
 * Usage: bench_render [frames_per_case]   (default 20)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rnd.h"

enum { BENCH_W = 1280, BENCH_H = 800 };

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Dots spread over the pad like a session's impressions: random positions
 * (a fixed seed), 0.3-0.5 mm, near-black. */
static void make_dots(rnd_dot *dots, size_t n)
{
    sim_rng rng;
    sim_rng_seed(&rng, 42, 1);
    for (size_t i = 0; i < n; i++) {
        rnd_dot *d = &dots[i];
        memset(d, 0, sizeof *d);
        d->pos[0] = (float)(5.0 + 90.0 * sim_rng_unit(&rng));
        d->pos[1] = (float)(5.0 + 90.0 * sim_rng_unit(&rng));
        d->normal[2] = 1.0f;
        d->diameter_mm = (float)(0.3 + 0.2 * sim_rng_unit(&rng));
        d->edge_mm = 0.05f;
        d->rgba[0] = d->rgba[1] = 0.022f;
        d->rgba[2] = 0.025f;
        d->rgba[3] = 0.9f;
    }
}

/* Times every dot count on one offscreen context with `samples` per pixel;
 * prints one JSON object (no trailing newline). Returns 0 on success. */
static int run_config(const sim_surface *pad, const rnd_dot *dots, int samples,
                      int frames, double *times, uint8_t *pixels)
{
    static const size_t counts[] = {0, 10000, 100000};
    enum { CASES = sizeof counts / sizeof counts[0] };
    sim_error err;
    rnd_offscreen *off = NULL;
    rnd_renderer *r = NULL;
    rnd_offscreen_desc desc = {BENCH_W, BENCH_H, samples};
    if (rnd_offscreen_create_desc(&off, &desc, &err) != RND_OK ||
        rnd_renderer_create(&r, &err) != RND_OK ||
        rnd_renderer_set_surface(r, pad) != RND_OK) {
        fprintf(stderr, "bench_render: %s\n", err.message);
        rnd_renderer_destroy(r);
        rnd_offscreen_destroy(off);
        return 1;
    }
    rnd_frame frame;
    memset(&frame, 0, sizeof frame);
    frame.width = BENCH_W;
    frame.height = BENCH_H;
    frame.camera = rnd_camera_frame(pad);

    printf("{\"device\": \"%s\", \"samples\": %d, \"cases\": [",
           rnd_offscreen_device(off), rnd_offscreen_samples(off));
    for (int c = 0; c < CASES; c++) {
        if (rnd_renderer_set_dots(r, dots, counts[c]) != RND_OK) {
            fprintf(stderr, "bench_render: cannot upload %zu dots\n", counts[c]);
            rnd_renderer_destroy(r);
            rnd_offscreen_destroy(off);
            return 1;
        }
        for (int i = 0; i < 2; i++) { /* warm-up: shader variants, caches */
            rnd_renderer_draw(r, &frame);
            rnd_offscreen_finish(off);
        }
        double total = 0.0;
        for (int i = 0; i < frames; i++) {
            double t0 = now_ms();
            rnd_renderer_draw(r, &frame);
            rnd_offscreen_finish(off);
            times[i] = now_ms() - t0;
            total += times[i];
        }
        qsort(times, (size_t)frames, sizeof *times, cmp_double);
        double mean = total / frames;
        printf("%s{\"dots\": %zu, \"ms_mean\": %.2f, \"ms_median\": %.2f, "
               "\"ms_min\": %.2f, \"ms_max\": %.2f, \"fps\": %.1f}",
               c ? ", " : "", counts[c], mean, times[frames / 2], times[0],
               times[frames - 1], 1000.0 / mean);
    }
    double t0 = now_ms();
    rnd_offscreen_read(off, pixels);
    printf("], \"readback_ms\": %.2f}", now_ms() - t0);
    rnd_renderer_destroy(r);
    rnd_offscreen_destroy(off);
    return 0;
}

int main(int argc, char **argv)
{
    int frames = argc > 1 ? atoi(argv[1]) : 20;
    if (frames < 1 || frames > 10000)
        frames = 20;
    enum { MAX_DOTS = 100000 };
    sim_error err;
    sim_surface pad;
    sim_surface_desc desc;
    memset(&desc, 0, sizeof desc);
    desc.kind = SIM_SURFACE_PAD;
    if (sim_surface_init(&pad, &desc, &err) != SIM_OK) {
        fprintf(stderr, "bench_render: %s\n", err.message);
        return 1;
    }
    rnd_dot *dots = malloc(MAX_DOTS * sizeof *dots);
    double *times = malloc((size_t)frames * sizeof *times);
    uint8_t *pixels = malloc((size_t)BENCH_W * BENCH_H * 4);
    int rc = 1;
    if (dots && times && pixels) {
        make_dots(dots, MAX_DOTS);
        printf("{\"bench\": \"render\", \"width\": %d, \"height\": %d, "
               "\"surface\": \"pad 100x100 mm, framed\", \"path\": \"instanced quads\", "
               "\"frames_per_case\": %d, \"configs\": [",
               BENCH_W, BENCH_H, frames);
        rc = run_config(&pad, dots, 0, frames, times, pixels);
        if (rc == 0) {
            printf(", ");
            rc = run_config(&pad, dots, 1, frames, times, pixels);
        }
        printf("]}\n");
    } else {
        fprintf(stderr, "bench_render: out of memory\n");
    }
    free(pixels);
    free(times);
    free(dots);
    sim_surface_deinit(&pad);
    return rc;
}
