/* rnd_bench.c: the renderer's benchmark (rnd_bench.h).
 *
 * The scene: the default head framed as the simulator opens it (or the
 * pad), with up to 100,000 healed-looking dots spread over the scalp the
 * way a session places them (random chart points inside the hairline,
 * fixed seed). For each dot count and each path (baked layer, naive
 * instanced quads) the renderer draws a few warm-up frames, then `frames`
 * timed frames, the camera orbiting 0.25 degrees per frame.
 *
 * Threads: the caller's; makes and destroys its own offscreen context.
 * Allocation: at start-up only (dots, timings).
 */
#include "rnd_bench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */
/* ------------------------------------------------------------------------ */

#define RND__BENCH_WARMUP 3
#define RND__BENCH_ORBIT_RAD (0.25 * SIM_PI / 180.0)
#define RND__BENCH_GOAL_FPS 60.0
#define RND__BENCH_HEAD_CHART_R_MM 125.0   /* dots inside this chart radius */
#define RND__BENCH_CLOSEUP_MM 45.0         /* close view: eye to skin */

static const size_t rnd__bench_counts[] = {0, 10000, 100000};
#define RND__BENCH_CASES (sizeof rnd__bench_counts / sizeof rnd__bench_counts[0])
#define RND__BENCH_MAX_DOTS 100000

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static double rnd__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int rnd__cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A dot like a healed one: 0.3-0.5 mm, neutral to slightly blue black. */
static void rnd__bench_dot(rnd_dot *d, sim_vec3 p, sim_vec3 n, sim_rng *rng)
{
    memset(d, 0, sizeof *d);
    d->pos[0] = (float)p.x, d->pos[1] = (float)p.y, d->pos[2] = (float)p.z;
    d->normal[0] = (float)n.x, d->normal[1] = (float)n.y, d->normal[2] = (float)n.z;
    d->diameter_mm = (float)(0.3 + 0.2 * sim_rng_unit(rng));
    d->edge_mm = 0.06f;
    double blue = 0.3 * sim_rng_unit(rng);
    d->rgba[0] = (float)(0.022 + 0.028 * blue);
    d->rgba[1] = (float)(0.022 + 0.046 * blue);
    d->rgba[2] = (float)(0.025 + 0.085 * blue);
    d->rgba[3] = 0.92f;
}

/* Fills dots[0..n) over the surface; returns how many were placed. */
static size_t rnd__bench_dots(const sim_surface *s, rnd_dot *dots, size_t n)
{
    sim_rng rng;
    sim_rng_seed(&rng, 42, 7);
    size_t k = 0;
    for (size_t tries = 0; k < n && tries < 4 * n; tries++) {
        sim_vec2 uv;
        if (s->kind == SIM_SURFACE_HEAD) {
            double r = RND__BENCH_HEAD_CHART_R_MM * sqrt(sim_rng_unit(&rng));
            double a = 2.0 * SIM_PI * sim_rng_unit(&rng);
            uv = sim_v2(r * sin(a), r * cos(a));
        } else {
            uv = sim_v2(s->width_mm * (0.05 + 0.9 * sim_rng_unit(&rng)),
                        s->height_mm * (0.05 + 0.9 * sim_rng_unit(&rng)));
        }
        sim_surface_hit hit;
        if (!sim_surface_from_chart(s, uv, &hit))
            continue;
        rnd__bench_dot(&dots[k++], hit.point_mm, hit.normal, &rng);
    }
    return k;
}

typedef struct rnd__bench_case {
    double fps, ms_median, ms_p95;
} rnd__bench_case;

/* Draws warm-up frames, then times `frames` frames with the camera
 * orbiting. */
static void rnd__bench_time(rnd_renderer *r, rnd_offscreen *off, rnd_frame *frame, int frames,
                            double *times, rnd__bench_case *out)
{
    for (int i = 0; i < RND__BENCH_WARMUP; i++) {
        rnd_camera_orbit(&frame->camera, RND__BENCH_ORBIT_RAD, 0.0);
        rnd_renderer_draw(r, frame);
        rnd_offscreen_finish(off);
    }
    double total = 0.0;
    for (int i = 0; i < frames; i++) {
        rnd_camera_orbit(&frame->camera, RND__BENCH_ORBIT_RAD, 0.0);
        double t0 = rnd__now_ms();
        rnd_renderer_draw(r, frame);
        rnd_offscreen_finish(off);
        times[i] = rnd__now_ms() - t0;
        total += times[i];
    }
    qsort(times, (size_t)frames, sizeof *times, rnd__cmp_double);
    out->fps = total > 0.0 ? 1000.0 * frames / total : 0.0;
    out->ms_median = times[frames / 2];
    out->ms_p95 = times[(frames * 95) / 100 < frames ? (frames * 95) / 100 : frames - 1];
}

static void rnd__bench_array(FILE *out, const char *key, const rnd__bench_case *c, size_t n, int field)
{
    fprintf(out, "\"%s\": [", key);
    for (size_t i = 0; i < n; i++) {
        double v = field == 0 ? c[i].fps : field == 1 ? c[i].ms_median : c[i].ms_p95;
        fprintf(out, "%s%.1f", i ? ", " : "", v);
    }
    fprintf(out, "]");
}

static void rnd__bench_path(FILE *out, const char *name, const rnd__bench_case *c)
{
    fprintf(out, "\"%s\": {", name);
    rnd__bench_array(out, "fps", c, RND__BENCH_CASES, 0);
    fprintf(out, ", ");
    rnd__bench_array(out, "ms_median", c, RND__BENCH_CASES, 1);
    fprintf(out, ", ");
    rnd__bench_array(out, "ms_p95", c, RND__BENCH_CASES, 2);
    fprintf(out, "}");
}

/* A close view of the skin: RND__BENCH_CLOSEUP_MM from the chart point
 * (0, 60) (the front of the scalp) or the pad's centre. */
static rnd_camera rnd__bench_closeup(const sim_surface *s)
{
    rnd_camera cam = rnd_camera_frame(s);
    sim_surface_hit hit;
    sim_vec2 uv = s->kind == SIM_SURFACE_HEAD ? sim_v2(0.0, 60.0)
                                              : sim_v2(0.5 * s->width_mm, 0.5 * s->height_mm);
    if (sim_surface_from_chart(s, uv, &hit)) {
        rnd_camera_look_at(&cam, s, hit.point_mm);
        cam.min_distance_mm = 1.0;
        cam.distance_mm = RND__BENCH_CLOSEUP_MM;
    }
    return cam;
}

/* ------------------------------------------------------------------------ */
/* The benchmark                                                            */
/* ------------------------------------------------------------------------ */

rnd_result rnd_bench_run(const rnd_bench_desc *desc_in, FILE *out, sim_error *err)
{
    sim_error_clear(err);
    rnd_bench_desc d = desc_in ? *desc_in : (rnd_bench_desc){0};
    if (d.width <= 0 || d.height <= 0)
        d.width = 1280, d.height = 800;
    if (d.samples <= 0)
        d.samples = 1;
    if (d.frames <= 0)
        d.frames = 30;
    if (d.frames > 100000 || d.width > 16384 || d.height > 16384 || !out)
        return (rnd_result)sim_error_set(err, RND_ERR_ARG, NULL, 0, 0,
                                         "bench: frames or size out of range");
    sim_surface surface;
    sim_surface_desc sd;
    memset(&sd, 0, sizeof sd);
    sd.kind = d.pad ? SIM_SURFACE_PAD : SIM_SURFACE_HEAD;
    if (sim_surface_init(&surface, &sd, err) != SIM_OK) {
        char why[sizeof err->message];
        snprintf(why, sizeof why, "%s", err->message);
        return (rnd_result)sim_error_set(err, RND_ERR_NOMEM, NULL, 0, 0, "bench: %s", why);
    }
    rnd_dot *dots = sim_malloc(RND__BENCH_MAX_DOTS * sizeof *dots);
    double *times = sim_malloc((size_t)d.frames * sizeof *times);
    rnd_offscreen *off = NULL;
    rnd_renderer *r = NULL;
    rnd_result rc = RND_OK;
    if (!dots || !times)
        rc = (rnd_result)sim_error_set(err, RND_ERR_NOMEM, NULL, 0, 0, "bench: out of memory");
    size_t placed = rc == RND_OK ? rnd__bench_dots(&surface, dots, RND__BENCH_MAX_DOTS) : 0;
    rnd_offscreen_desc od = {d.width, d.height, d.samples};
    if (rc == RND_OK)
        rc = rnd_offscreen_create_desc(&off, &od, err);
    if (rc == RND_OK)
        rc = rnd_renderer_create(&r, err);
    if (rc == RND_OK && (rc = rnd_renderer_set_surface(r, &surface)) != RND_OK)
        sim_error_set(err, rc, NULL, 0, 0, "bench: cannot upload the surface");

    rnd__bench_case baked[RND__BENCH_CASES], naive[RND__BENCH_CASES], close_case;
    memset(&close_case, 0, sizeof close_case);
    rnd_frame frame;
    memset(&frame, 0, sizeof frame);
    frame.width = d.width;
    frame.height = d.height;
    for (size_t c = 0; c < RND__BENCH_CASES && rc == RND_OK; c++) {
        size_t n = rnd__bench_counts[c] < placed ? rnd__bench_counts[c] : placed;
        if ((rc = rnd_renderer_set_dots(r, dots, n)) != RND_OK) {
            sim_error_set(err, rc, NULL, 0, 0, "bench: cannot upload %zu dots", n);
            break;
        }
        frame.camera = rnd_camera_frame(&surface);
        rnd_renderer_set_dot_path(r, RND_DOT_PATH_BAKED);
        rnd__bench_time(r, off, &frame, d.frames, times, &baked[c]);
        frame.camera = rnd_camera_frame(&surface);
        rnd_renderer_set_dot_path(r, RND_DOT_PATH_INSTANCED);
        rnd__bench_time(r, off, &frame, d.frames, times, &naive[c]);
        if (d.closeup && c + 1 == RND__BENCH_CASES) {
            frame.camera = rnd__bench_closeup(&surface);
            rnd_renderer_set_dot_path(r, RND_DOT_PATH_BAKED);
            rnd__bench_time(r, off, &frame, d.frames, times, &close_case);
        }
    }
    if (rc == RND_OK) {
        fprintf(out,
                "{\"bench\": \"render\", \"device\": \"%s\", \"width\": %d, \"height\": %d, "
                "\"samples\": %d, \"frames\": %d, \"scene\": \"%s, framed as the simulator "
                "opens it, orbiting 0.25 deg per frame\", \"dots\": [",
                rnd_offscreen_device(off), d.width, d.height, rnd_offscreen_samples(off),
                d.frames, d.pad ? "practice pad 100 x 100 mm" : "default head");
        for (size_t c = 0; c < RND__BENCH_CASES; c++)
            fprintf(out, "%s%zu", c ? ", " : "",
                    rnd__bench_counts[c] < placed ? rnd__bench_counts[c] : placed);
        fprintf(out, "], ");
        rnd__bench_path(out, "baked", baked);
        fprintf(out, ", ");
        rnd__bench_path(out, "instanced", naive);
        fprintf(out, ", \"ratio\": [");
        for (size_t c = 0; c < RND__BENCH_CASES; c++)
            fprintf(out, "%s%.2f", c ? ", " : "",
                    naive[c].fps > 0.0 ? baked[c].fps / naive[c].fps : 0.0);
        size_t last = RND__BENCH_CASES - 1;
        fprintf(out, "], \"ratio_100k\": %.2f, \"goal_fps\": %.0f, \"baked_100k_meets_goal\": %s",
                naive[last].fps > 0.0 ? baked[last].fps / naive[last].fps : 0.0,
                RND__BENCH_GOAL_FPS, baked[last].fps >= RND__BENCH_GOAL_FPS ? "true" : "false");
        if (d.closeup) {
            rnd_renderer_stats st;
            rnd_renderer_get_stats(r, &st);
            fprintf(out,
                    ", \"closeup\": {\"distance_mm\": %.0f, \"dots\": %zu, \"detail_levels\": %d, "
                    "\"fps\": %.1f, \"ms_median\": %.1f, \"ms_p95\": %.1f}",
                    RND__BENCH_CLOSEUP_MM, st.dots, st.detail_levels, close_case.fps,
                    close_case.ms_median, close_case.ms_p95);
        }
        fprintf(out, "}\n");
        fflush(out);
    }
    rnd_renderer_destroy(r);
    rnd_offscreen_destroy(off);
    sim_free(times);
    sim_free(dots);
    sim_surface_deinit(&surface);
    return rc;
}
