/* fuzz_calib.c: fuzz target for the station calibration file
 * (hap_calib_load, docs/haptics.md section 6), read through a scratch file
 * as the app reads it. Any bytes must give a clean result code, never a
 * crash or sanitizer report; a file that loads must pass hap_calib_check
 * (the servo refuses anything else) and save and load back to the same
 * calibration. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hap_calib.h"

int fuzz_accepts(const char *path)
{
    size_t n = strlen(path);
    return n > 6 && strcmp(path + n - 6, ".calib") == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dir = getenv("STIPPLE_TEST_TMP");
    char path[1024], again[1100];
    snprintf(path, sizeof path, "%s/fuzz-calib-%ld", dir && *dir ? dir : "/tmp", (long)getpid());
    snprintf(again, sizeof again, "%s.saved", path);
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    hap_calib c;
    sim_error err;
    if (hap_calib_load(&c, path, &err) == HAP_OK) {
        if (hap_calib_check(&c, NULL) != HAP_OK)
            __builtin_trap();
        hap_calib back;
        if (hap_calib_save(&c, again, NULL) != HAP_OK || hap_calib_load(&back, again, NULL) != HAP_OK ||
            memcmp(&back, &c, sizeof c) != 0)
            __builtin_trap();
        unlink(again);
    }
    unlink(path);
    return 0;
}
