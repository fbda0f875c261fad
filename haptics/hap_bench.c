/* hap_bench.c: the servo and closest-point benchmarks (see hap_bench.h). */
#include "hap_bench.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "hap_servo.h"
#include "hap_virtual.h"

#define STROKE_ROWS 6
#define STROKE_COLS 6
#define STROKE_SPACING_MM 6.0
#define DRAIN_BATCH 512

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_ns(int64_t ns)
{
    struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
    nanosleep(&ts, NULL);
}

hap_result hap_bench_servo(const sim_surface *head, double seconds,
                           hap_bench_servo_result *out, sim_error *err)
{
    memset(out, 0, sizeof *out);
    if (!head || head->kind != SIM_SURFACE_HEAD || !(seconds > 0 && seconds <= 3600))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "bench servo: needs the head and 0 < seconds <= 3600");
    /* strokes on a grid around the crown, in the target band, machine on */
    hap_stroke strokes[STROKE_ROWS * STROKE_COLS];
    memset(strokes, 0, sizeof strokes);
    for (int r = 0; r < STROKE_ROWS; r++)
        for (int c = 0; c < STROKE_COLS; c++) {
            hap_stroke *s = &strokes[r * STROKE_COLS + c];
            s->chart_mm = sim_v2((c - STROKE_COLS / 2) * STROKE_SPACING_MM,
                                 (r - STROKE_ROWS / 2) * STROKE_SPACING_MM);
            s->depth_mm = 0.6 + 0.1 * ((r + c) % 6);
        }
    hap_script script;
    hap_script_desc sd;
    memset(&sd, 0, sizeof sd);
    hap_script_init(&script, head, &sd, strokes, STROKE_ROWS * STROKE_COLS);
    hap_virtual_desc vd;
    memset(&vd, 0, sizeof vd);
    vd.mode = HAP_VIRTUAL_PHYSICAL;
    vd.script = &script;
    vd.loop_script = true;
    hap_device dev;
    hap_result r = hap_virtual_open(&dev, &vd, err);
    if (r != HAP_OK)
        return r;
    hap_servo_desc d;
    memset(&d, 0, sizeof d);
    d.params.surface = head;
    d.params.forces_enabled = true;
    hap_servo servo;
    if ((r = hap_servo_init(&servo, &d, err)) != HAP_OK) {
        hap_device_close(&dev);
        return r;
    }
    if ((r = hap_servo_start(&servo, &dev, err)) != HAP_OK) {
        hap_servo_deinit(&servo);
        hap_device_close(&dev);
        return r;
    }
    /* the control side, as the app's frame loop: drain, heartbeat */
    sim_sample buf[DRAIN_BATCH];
    int64_t end = mono_ns() + (int64_t)(seconds * 1e9);
    while (mono_ns() < end) {
        size_t n;
        while ((n = hap_servo_drain(&servo, buf, DRAIN_BATCH)) > 0)
            out->samples += n;
        hap_servo_heartbeat(&servo);
        sleep_ns(10000000);   /* a 100 Hz frame loop */
    }
    hap_servo_stop(&servo);
    size_t n;
    while ((n = hap_servo_drain(&servo, buf, DRAIN_BATCH)) > 0)
        out->samples += n;
    hap_servo_info info;
    hap_servo_info_get(&servo, &info);
    hap_servo_status st;
    hap_servo_status_get(&servo, &st);
    out->seconds = seconds;
    out->rate_hz = info.rate_hz;
    out->jitter_p50_us = info.jitter_p50_ns * 1e-3;
    out->jitter_p99_us = info.jitter_p99_ns * 1e-3;
    out->jitter_max_us = info.jitter_max_ns * 1e-3;
    out->overruns = info.overruns;
    out->force_eval_p50_us = info.force_eval_p50_ns * 1e-3;
    out->force_eval_p99_us = info.force_eval_p99_ns * 1e-3;
    out->ticks = info.ticks;
    out->samples_dropped = info.samples_dropped;
    out->punctures = st.contact.punctures;
    out->watchdog_zeros = info.watchdog_zeros;
    out->fault = hap_fault_name(info.fault);
    out->realtime = info.realtime;
    snprintf(out->realtime_note, sizeof out->realtime_note, "%s", info.realtime_note);
    hap_servo_deinit(&servo);
    hap_device_close(&dev);
    return HAP_OK;
}

hap_result hap_bench_query(const sim_surface *head, uint32_t queries,
                           hap_bench_query_result *out, sim_error *err)
{
    memset(out, 0, sizeof *out);
    if (!head || head->kind != SIM_SURFACE_HEAD || queries == 0)
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "bench query: needs the head and at least one query");
    sim_vec3 *pts = sim_malloc(queries * sizeof *pts);
    if (!pts)
        return (hap_result)sim_error_set(err, HAP_ERR_NOMEM, NULL, 0, 0, "bench query: out of memory");
    /* where a stylus tip is: near the scalp (within 3 mm either side) */
    sim_rng rng;
    sim_rng_seed(&rng, 6, 1);
    for (uint32_t i = 0; i < queries; i++) {
        sim_surface_hit hit;
        sim_vec2 uv;
        do {
            uv = sim_v2((sim_rng_unit(&rng) - 0.5) * 200.0, (sim_rng_unit(&rng) - 0.5) * 200.0);
        } while (!sim_surface_from_chart(head, uv, &hit));
        double off = (sim_rng_unit(&rng) - 0.5) * 6.0;
        pts[i] = sim_v3_add(hit.point_mm, sim_v3_scale(hit.normal, off));
    }
    double *bvh_d = sim_malloc(queries * sizeof *bvh_d);
    if (!bvh_d) {
        sim_free(pts);
        return (hap_result)sim_error_set(err, HAP_ERR_NOMEM, NULL, 0, 0, "bench query: out of memory");
    }
    int64_t t0 = mono_ns();
    for (uint32_t i = 0; i < queries; i++) {
        sim_surface_hit hit;
        sim_surface_closest(head, pts[i], &hit);
        bvh_d[i] = fabs(hit.depth_mm);
    }
    int64_t t1 = mono_ns();
    /* brute force on a subset: it is thousands of times slower */
    uint32_t nb = queries < 200 ? queries : 200;
    double max_err = 0;
    int64_t t2 = mono_ns();
    for (uint32_t i = 0; i < nb; i++) {
        sim_mesh_hit mh;
        if (sim_mesh_closest_brute(&head->mesh, pts[i], &mh)) {
            double e = fabs(mh.distance - bvh_d[i]);
            max_err = e > max_err ? e : max_err;
        }
    }
    int64_t t3 = mono_ns();
    out->triangles = head->mesh.triangle_count;
    out->queries = queries;
    out->brute_queries = nb;
    out->bvh_us = (double)(t1 - t0) * 1e-3 / queries;
    out->brute_us = (double)(t3 - t2) * 1e-3 / nb;
    out->ratio = out->bvh_us > 0 ? out->brute_us / out->bvh_us : 0;
    out->max_error_mm = max_err;
    sim_free(bvh_d);
    sim_free(pts);
    return HAP_OK;
}

void hap_bench_servo_json(const hap_bench_servo_result *r, FILE *f)
{
    fprintf(f,
            "{\"bench\": \"servo\", \"seconds\": %.1f, \"rate_hz\": %.1f, "
            "\"jitter_us\": {\"p50\": %.1f, \"p99\": %.1f, \"max\": %.1f}, "
            "\"overruns\": %llu, \"force_eval_us\": {\"p50\": %.2f, \"p99\": %.2f}, "
            "\"ticks\": %llu, \"samples\": %llu, \"samples_dropped\": %llu, "
            "\"punctures\": %llu, \"watchdog_zeros\": %llu, \"fault\": \"%s\", "
            "\"realtime\": %s}\n",
            r->seconds, r->rate_hz, r->jitter_p50_us, r->jitter_p99_us, r->jitter_max_us,
            (unsigned long long)r->overruns, r->force_eval_p50_us, r->force_eval_p99_us,
            (unsigned long long)r->ticks, (unsigned long long)r->samples,
            (unsigned long long)r->samples_dropped, (unsigned long long)r->punctures,
            (unsigned long long)r->watchdog_zeros, r->fault ? r->fault : "none",
            r->realtime ? "true" : "false");
}

void hap_bench_query_json(const hap_bench_query_result *r, FILE *f)
{
    fprintf(f,
            "{\"bench\": \"query\", \"triangles\": %u, \"queries\": %u, \"brute_queries\": %u, "
            "\"bvh_us\": %.3f, \"brute_us\": %.1f, \"ratio\": %.0f, \"max_error_mm\": %.3g}\n",
            r->triangles, r->queries, r->brute_queries, r->bvh_us, r->brute_us, r->ratio,
            r->max_error_mm);
}
