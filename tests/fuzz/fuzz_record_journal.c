/* fuzz_record_journal.c: fuzz target for authenticating a crashed
 * attempt's journal against its MAC file (les__journal_authenticate, what
 * recovery trusts before it signs anything), then salvaging the
 * authenticated prefix as recovery does. Input: a u32 (little-endian)
 * journal length L, L journal bytes, then the MAC file's bytes. The key,
 * uid and attempt binding are fixed (a test-only key): seeds made with
 * them authenticate, so the fuzzer reaches every block check. Any bytes
 * must give a clean result, never a crash or sanitizer report. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "les_db_internal.h"
#include "les_sign.h"

#define FUZZ_UID "0123456789abcdef0123456789abcdef"

int fuzz_accepts(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcmp(path + n - 4, ".jnl") == 0;
}

/* The test-only station key every seed was made with. */
static const les_sign_key *fuzz_key(void)
{
    static les_sign_key key;
    static bool loaded;
    if (loaded)
        return &key;
    const char *dir = getenv("STIPPLE_TEST_TMP");
    char path[1024];
    snprintf(path, sizeof path, "%s/fuzz-journal-%ld.key", dir && *dir ? dir : "/tmp",
             (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    fputs("stipple-station-key 1\nname fuzz\nseed "
          "0101010101010101010101010101010101010101010101010101010101010101\n",
          f);
    fclose(f);
    chmod(path, 0600);
    sim_error err;
    loaded = les_sign_key_load(&key, path, false, NULL, NULL, &err) == LES_REC_OK;
    unlink(path);
    return loaded ? &key : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const les_sign_key *key = fuzz_key();
    if (!key)
        return 0;
    size_t len = size;
    size_t skip = 0;
    if (size >= 4) {
        len = (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 |
              (size_t)data[3] << 24;
        skip = 4;
        if (len > size - skip)
            len = size - skip;
    }
    const uint8_t *journal = data + skip, *macs = journal + len;
    size_t mac_size = size - skip - len;
    les__journal_binding bind = {
        "T-1", "practice", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        1700000000000000, 0};
    les__journal_check c;
    les__journal_authenticate(journal, len, macs, mac_size, key, FUZZ_UID, &bind, &c);
    if (c.good_bytes > len || strlen(c.note) >= sizeof c.note)
        __builtin_trap();
    if (c.authenticated && c.good_bytes < SIM_TRACE_HEADER_SIZE)
        __builtin_trap();
    if (c.authenticated) {
        /* what recovery then keeps: the authenticated prefix's blocks */
        sim_trace t;
        sim_trace_init(&t);
        sim_error err;
        sim_error_clear(&err);
        sim_result r = sim_trace_parse(&t, journal, c.good_bytes, "journal", &err);
        if (r == SIM_OK && !t.truncated && t.count != c.good_samples)
            __builtin_trap();   /* MACs and blocks disagree on the samples */
        sim_trace_deinit(&t);
    }
    return 0;
}
