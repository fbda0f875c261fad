/* fuzz_trace.c: fuzz target for the trace reader (sim_trace_parse): any
 * bytes must give a clean result code, never a crash, leak or sanitizer
 * report; whatever is read back must be whole blocks. */
#include <stdint.h>
#include <string.h>

#include "sim_trace.h"

int fuzz_accepts(const char *path)
{
    size_t n = strlen(path);
    return n > 6 && strcmp(path + n - 6, ".trace") == 0;
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
    sim_trace_deinit(&t);
    return 0;
}
