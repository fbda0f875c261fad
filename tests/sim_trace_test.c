/* sim_trace_test.c: trace format v1: round trip, damage and truncation are
 * reported with their byte offsets, a full disk loses nothing written. */
#include "test_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_trace.h"

static sim_trace_header header(void)
{
    sim_trace_header h;
    memset(&h, 0, sizeof h);
    h.sample_rate_hz = 1000;
    for (int i = 0; i < 32; i++)
        h.lesson_hash[i] = (uint8_t)(i * 7 + 1);
    h.seed = 0x0123456789ABCDEFull;
    h.start_unix_us = 1790000000000000LL;
    strcpy(h.device, "virtual stylus");
    return h;
}

static sim_sample sample(int i)
{
    sim_sample s;
    memset(&s, 0, sizeof s);
    s.t_us = (int64_t)i * 1000;
    s.tip_mm[0] = 10.0f + 0.01f * (float)i;
    s.tip_mm[1] = 20.0f - 0.02f * (float)i;
    s.tip_mm[2] = -0.001f * (float)(i % 900);
    s.axis[2] = 1.0f;
    s.force_n = 0.25f * (float)(i % 7);
    s.buttons = (uint32_t)(i % 3 == 0 ? SIM_BUTTON_MACHINE : 0);
    return s;
}

/* Writes n samples in blocks of `block` to path. */
static void write_trace(const char *path, int n, size_t block)
{
    sim_trace_writer w;
    sim_trace_header h = header();
    assert_int_equal(sim_trace_writer_open(&w, path, &h, block, NULL), SIM_OK);
    for (int i = 0; i < n; i++) {
        sim_sample s = sample(i);
        assert_int_equal(sim_trace_writer_append(&w, &s, NULL), SIM_OK);
    }
    assert_int_equal(sim_trace_writer_close(&w, NULL), SIM_OK);
}

static void round_trip(void **state)
{
    (void)state;
    const char *path = strdup(tu_tmp("round.trace"));
    write_trace(path, 2500, 1000);   /* blocks of 1000, 1000, 500 */
    sim_trace t;
    sim_error err;
    assert_int_equal(sim_trace_load(&t, path, &err), SIM_OK);
    assert_false(t.truncated);
    assert_int_equal(t.count, 2500);
    sim_trace_header h = header();
    assert_int_equal(t.header.sample_rate_hz, 1000);
    assert_memory_equal(t.header.lesson_hash, h.lesson_hash, 32);
    assert_true(t.header.seed == h.seed);
    assert_true(t.header.start_unix_us == h.start_unix_us);
    assert_string_equal(t.header.device, "virtual stylus");
    for (int i = 0; i < 2500; i++) {
        sim_sample s = sample(i);
        assert_memory_equal(&t.samples[i], &s, sizeof s);
    }
    size_t size;
    uint8_t *bytes = tu_read_file(path, &size);
    assert_int_equal(size, SIM_TRACE_HEADER_SIZE + 2 * sim_trace_block_size(1000) + sim_trace_block_size(500));
    /* the header's magic and version are where the format says */
    assert_memory_equal(bytes, "STPTRACE", 8);
    assert_int_equal(bytes[8], 1);
    free(bytes);
    sim_trace_deinit(&t);
    remove(path);
    free((void *)path);
}

static void truncation_keeps_whole_blocks(void **state)
{
    (void)state;
    const char *path = strdup(tu_tmp("trunc.trace"));
    write_trace(path, 300, 100);
    size_t size;
    uint8_t *bytes = tu_read_file(path, &size);
    size_t block = sim_trace_block_size(100);
    /* cut at every interesting point: inside the header, at a block edge,
     * inside a block header, inside samples, inside the CRC */
    struct { size_t cut; int code; size_t count; bool truncated; } cases[] = {
        {60, SIM_ERR_TRUNCATED, 0, false},
        {SIM_TRACE_HEADER_SIZE, SIM_OK, 0, false},
        {SIM_TRACE_HEADER_SIZE + 10, SIM_OK, 0, true},
        {SIM_TRACE_HEADER_SIZE + block, SIM_OK, 100, false},
        {SIM_TRACE_HEADER_SIZE + block + 500, SIM_OK, 100, true},
        {SIM_TRACE_HEADER_SIZE + 3 * block - 2, SIM_OK, 200, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sim_trace t;
        sim_error err;
        sim_result r = sim_trace_parse(&t, bytes, cases[i].cut, "cut.trace", &err);
        assert_int_equal(r, cases[i].code);
        assert_int_equal(t.count, cases[i].count);
        assert_int_equal(t.truncated, cases[i].truncated);
        if (cases[i].truncated) {
            assert_int_equal(err.code, SIM_ERR_TRUNCATED);
            assert_string_equal(err.file, "cut.trace");
            assert_non_null(strstr(err.message, "truncated"));
        }
        sim_trace_deinit(&t);
    }
    free(bytes);
    remove(path);
    free((void *)path);
}

static void damage_is_named_with_its_offset(void **state)
{
    (void)state;
    const char *path = strdup(tu_tmp("crc.trace"));
    write_trace(path, 300, 100);
    size_t size;
    uint8_t *bytes = tu_read_file(path, &size);
    size_t block = sim_trace_block_size(100);
    sim_trace t;
    sim_error err;
    char buf[600];

    /* a flipped bit in the second block's samples */
    bytes[SIM_TRACE_HEADER_SIZE + block + 50] ^= 0x10;
    assert_int_equal(sim_trace_parse(&t, bytes, size, "crc.trace", &err), SIM_ERR_CRC);
    assert_int_equal(t.count, 100);   /* the block before the damage is kept */
    assert_int_equal(err.offset, (int64_t)(SIM_TRACE_HEADER_SIZE + block));
    assert_string_equal(sim_error_format(&err, buf, sizeof buf),
                        "crc.trace: byte 4148: damaged trace: block 1 fails its checksum");
    sim_trace_deinit(&t);
    bytes[SIM_TRACE_HEADER_SIZE + block + 50] ^= 0x10;

    /* a damaged header */
    bytes[20] ^= 1;
    assert_int_equal(sim_trace_parse(&t, bytes, size, "crc.trace", &err), SIM_ERR_CRC);
    assert_string_equal(err.message, "the trace header is damaged (CRC mismatch)");
    sim_trace_deinit(&t);
    bytes[20] ^= 1;

    /* not a trace at all; a future version */
    uint8_t text[200];
    memset(text, 'x', sizeof text);
    assert_int_equal(sim_trace_parse(&t, text, sizeof text, "p.csv", &err), SIM_ERR_FORMAT);
    assert_non_null(strstr(err.message, "not a Stipple trace"));
    sim_trace_deinit(&t);
    bytes[8] = 9;
    assert_int_equal(sim_trace_parse(&t, bytes, size, "v9.trace", &err), SIM_ERR_VERSION);
    assert_non_null(strstr(err.message, "version 9"));
    sim_trace_deinit(&t);
    free(bytes);
    remove(path);
    free((void *)path);
}

static void full_disk_is_reported_and_loses_nothing(void **state)
{
    (void)state;
    FILE *full = fopen("/dev/full", "wb");
    if (!full)
        skip();
    sim_trace_writer w;
    sim_error err;
    sim_trace_header h = header();
    assert_int_equal(sim_trace_writer_init(&w, full, "/dev/full", &h, 10, &err), SIM_ERR_IO);
    assert_int_equal(err.sys_errno, ENOSPC);
    assert_non_null(strstr(err.message, "No space left on device"));
    sim_trace_writer_close(&w, NULL);
    fclose(full);
}

static void failed_write_keeps_samples_queued(void **state)
{
    (void)state;
    /* A stream that accepts the header, then fails: a memory stream opened
     * read-only after the header write is simulated by a closed-for-write
     * FILE: write into a pipe whose reader has gone. Simpler and portable:
     * fmemopen with room for the header only. */
    static char room[SIM_TRACE_HEADER_SIZE + 8];
    FILE *f = fmemopen(room, sizeof room, "w");
    assert_non_null(f);
    setvbuf(f, NULL, _IONBF, 0);
    sim_trace_writer w;
    sim_error err;
    sim_trace_header h = header();
    assert_int_equal(sim_trace_writer_init(&w, f, "mem", &h, 4, &err), SIM_OK);
    sim_sample s = sample(1);
    for (int i = 0; i < 3; i++)
        assert_int_equal(sim_trace_writer_append(&w, &s, &err), SIM_OK);
    /* the fourth fills the block; writing it fails */
    assert_int_equal(sim_trace_writer_append(&w, &s, &err), SIM_ERR_IO);
    assert_int_equal(w.pending_count, 4);   /* nothing dropped */
    assert_int_equal(w.written, 0);
    sim_trace_writer_close(&w, NULL);
    fclose(f);
}

static void fuzz_like_garbage_never_crashes(void **state)
{
    (void)state;
    const char *path = strdup(tu_tmp("garbage.trace"));
    write_trace(path, 50, 10);
    size_t size;
    uint8_t *bytes = tu_read_file(path, &size);
    sim_rng rng;
    sim_rng_seed(&rng, 1, 1);
    for (int i = 0; i < 2000; i++) {
        uint8_t *copy = malloc(size);
        memcpy(copy, bytes, size);
        int flips = 1 + (int)(sim_rng_u32(&rng) % 4);
        for (int k = 0; k < flips; k++)
            copy[sim_rng_u32(&rng) % size] ^= (uint8_t)(1u << (sim_rng_u32(&rng) % 8));
        size_t cut = sim_rng_u32(&rng) % (size + 1);
        sim_trace t;
        sim_error err;
        sim_result r = sim_trace_parse(&t, copy, cut, "g", &err);
        assert_true(r == SIM_OK || r == SIM_ERR_CRC || r == SIM_ERR_FORMAT ||
                    r == SIM_ERR_VERSION || r == SIM_ERR_TRUNCATED);
        assert_true(t.count <= 50);
        sim_trace_deinit(&t);
        free(copy);
    }
    free(bytes);
    remove(path);
    free((void *)path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(truncation_keeps_whole_blocks),
        cmocka_unit_test(damage_is_named_with_its_offset),
        cmocka_unit_test(full_disk_is_reported_and_loses_nothing),
        cmocka_unit_test(failed_write_keeps_samples_queued),
        cmocka_unit_test(fuzz_like_garbage_never_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
