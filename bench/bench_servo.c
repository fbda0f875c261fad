/* bench_servo.c: the haptic servo loop at 1 kHz on the virtual stylus over
 * the default head (hap_bench.h). Prints one JSON object on stdout:
 * rate_hz, jitter_us {p50, p99, max}, overruns, force_eval_us {p50, p99}.
 *
 * Built, never run by ctest (timings on shared machines are not pass/fail).
 * Usage: bench_servo [seconds]   (default 5)
 */
#include <stdio.h>
#include <stdlib.h>

#include "hap_bench.h"

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 5.0;
    sim_surface head;
    sim_error err;
    sim_surface_desc sd = {.kind = SIM_SURFACE_HEAD};
    if (sim_surface_init(&head, &sd, &err) != SIM_OK) {
        fprintf(stderr, "bench_servo: %s\n", err.message);
        return 1;
    }
    hap_bench_servo_result r;
    int rc = 0;
    if (hap_bench_servo(&head, seconds, &r, &err) == HAP_OK) {
        hap_bench_servo_json(&r, stdout);
        if (!r.realtime)
            fprintf(stderr, "bench_servo: %s\n", r.realtime_note);
    } else {
        fprintf(stderr, "bench_servo: %s\n", err.message);
        rc = 1;
    }
    sim_surface_deinit(&head);
    return rc;
}
