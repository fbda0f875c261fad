/* test_util.c: see test_util.h. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#ifndef STIPPLE_ASSET_DIR
#define STIPPLE_ASSET_DIR "assets"
#endif

const char *tu_asset(const char *rel)
{
    static char buf[1024];
    const char *root = getenv("STIPPLE_ASSETS");
    snprintf(buf, sizeof buf, "%s/%s", root && *root ? root : STIPPLE_ASSET_DIR, rel);
    return buf;
}

const char *tu_tmp(const char *name)
{
    static char buf[1024];
    const char *root = getenv("STIPPLE_TEST_TMP");
    snprintf(buf, sizeof buf, "%s/%ld-%s", root && *root ? root : "/tmp", (long)getpid(), name);
    return buf;
}

uint8_t *tu_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *grown = realloc(buf, cap + 1);
            if (!grown) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[len] = 0;
    if (size)
        *size = len;
    return buf;
}

int tu_write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t put = fwrite(data, 1, size, f);
    int rc = fclose(f);
    return (put == size && rc == 0) ? 0 : -1;
}
