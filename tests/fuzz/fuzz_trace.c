/* fuzz_trace.c: fuzz target for the trace reader (sim_trace_parse) and what
 * every grade does with the samples next: impression extraction and
 * healing on a practice pad. Any bytes must give a clean result code, never
 * a crash, leak or sanitizer report; whatever is read back must be whole
 * blocks; every impression and healed dot must be finite. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_heal.h"
#include "sim_impression.h"
#include "sim_trace.h"

int fuzz_accepts(const char *path)
{
    size_t n = strlen(path);
    return n > 6 && strcmp(path + n - 6, ".trace") == 0;
}

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_trace: invariant broken: %s\n", what);
        abort();
    }
}

/* Impressions and healed dots of the samples on a 100 x 100 mm pad (built
 * once: the pad is cheap, but the fuzzer runs millions of inputs). */
static void extract_and_heal(const sim_trace *t)
{
    static sim_surface pad;
    static bool have_pad;
    if (!have_pad) {
        sim_surface_desc d = {.kind = SIM_SURFACE_PAD, .width_mm = 100, .height_mm = 100};
        check(sim_surface_init(&pad, &d, NULL) == SIM_OK, "pad");
        have_pad = true;
    }
    sim_impression_list list;
    sim_impression_list_init(&list);
    if (sim_impressions_from_trace(&pad, t, NULL, &list) == SIM_OK && list.count) {
        sim_healed_dot *dots = malloc(list.count * sizeof *dots);
        if (dots) {
            sim_heal_all(list.items, list.count, NULL, dots);
            for (size_t i = 0; i < list.count; i++) {
                check(isfinite(list.items[i].depth_mm) && list.items[i].depth_mm > 0, "depth");
                check(isfinite(dots[i].diameter_mm) && dots[i].diameter_mm > 0, "diameter");
                check(dots[i].darkness >= 0 && dots[i].darkness <= 1, "darkness");
                check(dots[i].merge_group <= i, "merge group");
            }
            free(dots);
        }
    }
    sim_impression_list_deinit(&list);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sim_trace t;
    sim_error err;
    sim_result r = sim_trace_parse(&t, data, size, "fuzz.trace", &err);
    if (r == SIM_OK && !t.truncated && size >= SIM_TRACE_HEADER_SIZE) {
        /* every sample of a clean read came from a whole block */
        if (t.count > (size - SIM_TRACE_HEADER_SIZE) / SIM_TRACE_SAMPLE_SIZE)
            __builtin_trap();
    }
    extract_and_heal(&t);
    sim_trace_deinit(&t);
    return 0;
}
