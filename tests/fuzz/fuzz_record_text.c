/* fuzz_record_text.c: fuzz target for the records module's text parsers:
 * comparing two signed records field by field (les__record_diff, which
 * reads flat JSON), and station key and public key files (through a
 * scratch file with the key's 0600 mode). Any bytes must give a clean
 * result, never a crash or sanitizer report. Records: two lines (the
 * signed one, then the current one); key files: the whole input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "les_db_internal.h"
#include "les_sign.h"

int fuzz_accepts(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && (strcmp(path + n - 4, ".rec") == 0 || strcmp(path + n - 4, ".key") == 0 ||
                     strcmp(path + n - 4, ".pub") == 0);
}

static void keys(const uint8_t *data, size_t size)
{
    const char *dir = getenv("STIPPLE_TEST_TMP");
    char path[1024];
    snprintf(path, sizeof path, "%s/fuzz-key-%ld", dir && *dir ? dir : "/tmp", (long)getpid());
    unlink(path);
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    fwrite(data, 1, size, f);
    fclose(f);
    chmod(path, 0600);
    les_sign_key k;
    sim_error err;
    if (les_sign_key_load(&k, path, false, NULL, NULL, &err) == LES_REC_OK && !k.has_secret)
        __builtin_trap();
    les_sign_key_deinit(&k);
    les_sign_read_public(&k, path, &err);
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    char *second = strchr(text, '\n');
    if (second)
        *second++ = 0;
    char out[600];
    les__record_diff(text, second ? second : "", out, sizeof out);
    if (strlen(out) >= sizeof out)
        __builtin_trap();
    free(text);
    keys(data, size);
    return 0;
}
