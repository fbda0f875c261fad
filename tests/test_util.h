/* test_util.h: helpers shared by the cmocka tests: asset and scratch paths,
 * whole-file reads. Tests only; never linked into the program. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* "$STIPPLE_ASSETS/rel" (falls back to the source tree's assets/). Returns a
 * static buffer: copy it before the next call. */
const char *tu_asset(const char *rel);
/* A scratch path "$STIPPLE_TEST_TMP/<pid>-name" (static buffer as above). */
const char *tu_tmp(const char *name);
/* Reads a whole file; caller frees. NULL on failure. */
uint8_t *tu_read_file(const char *path, size_t *size);
/* Writes bytes to a file; 0 on success. */
int tu_write_file(const char *path, const void *data, size_t size);

#endif
