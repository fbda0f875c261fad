/* bench_query.c: tip-to-scalp closest point on the default head through the
 * BVH against brute force over every triangle (hap_bench.h). Prints one
 * JSON object on stdout: per-query times, their ratio, the largest
 * disagreement.
 *
 * Built, never run by ctest (timings on shared machines are not pass/fail).
 * Usage: bench_query [queries]   (default 20000; brute force times 200)
 */
#include <stdio.h>
#include <stdlib.h>

#include "hap_bench.h"

int main(int argc, char **argv)
{
    long q = argc > 1 ? atol(argv[1]) : 20000;
    if (q < 1 || q > 100000000) {
        fprintf(stderr, "bench_query: queries must be 1..100000000\n");
        return 2;
    }
    sim_surface head;
    sim_error err;
    sim_surface_desc sd = {.kind = SIM_SURFACE_HEAD};
    if (sim_surface_init(&head, &sd, &err) != SIM_OK) {
        fprintf(stderr, "bench_query: %s\n", err.message);
        return 1;
    }
    hap_bench_query_result r;
    int rc = 0;
    if (hap_bench_query(&head, (uint32_t)q, &r, &err) == HAP_OK) {
        hap_bench_query_json(&r, stdout);
    } else {
        fprintf(stderr, "bench_query: %s\n", err.message);
        rc = 1;
    }
    sim_surface_deinit(&head);
    return rc;
}
