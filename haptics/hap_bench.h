/* hap_bench.h: the haptics benchmarks, shared by `stipple bench` and the
 * bench/ executables:
 *  - servo: the real servo thread on the virtual stylus (a physical hand
 *    working strokes over the default head, the full force model), with the
 *    control thread draining samples and sending heartbeats as the app
 *    would; reports the achieved rate, period jitter, overruns and force
 *    evaluation time;
 *  - query: tip-to-scalp closest-point time on the default head through the
 *    BVH against brute force over every triangle, on the same points, with
 *    the largest disagreement between the two.
 * Each prints one JSON object.
 *
 * Timings are measurements, never pass/fail (shared machines).
 * Threads: call from the main thread. Ownership: the head is borrowed.
 */
#ifndef HAP_BENCH_H
#define HAP_BENCH_H

#include <stdio.h>

#include "hap_device.h"
#include "sim_surface.h"

typedef struct hap_bench_servo_result {
    double seconds;
    double rate_hz;
    double jitter_p50_us, jitter_p99_us, jitter_max_us;
    uint64_t overruns;
    double force_eval_p50_us, force_eval_p99_us;
    uint64_t ticks, samples, samples_dropped, punctures, watchdog_zeros;
    bool realtime;
    char realtime_note[160];
    const char *fault;            /* hap_fault_name of the fault at the end */
} hap_bench_servo_result;

typedef struct hap_bench_query_result {
    uint32_t triangles;
    uint32_t queries;             /* BVH queries timed */
    uint32_t brute_queries;       /* brute-force queries timed (a subset) */
    double bvh_us;                /* mean per query */
    double brute_us;
    double ratio;                 /* brute_us / bvh_us */
    double max_error_mm;          /* largest |BVH - brute| distance */
} hap_bench_query_result;

/* `head` must be a head surface (sim_surface_init with SIM_SURFACE_HEAD). */
hap_result hap_bench_servo(const sim_surface *head, double seconds,
                           hap_bench_servo_result *out, sim_error *err);
hap_result hap_bench_query(const sim_surface *head, uint32_t queries,
                           hap_bench_query_result *out, sim_error *err);

void hap_bench_servo_json(const hap_bench_servo_result *r, FILE *f);
void hap_bench_query_json(const hap_bench_query_result *r, FILE *f);

#endif /* HAP_BENCH_H */
