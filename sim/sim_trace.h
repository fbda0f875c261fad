/* sim_trace.h: the trace, a session's source of truth (DESIGN.md section 1),
 * and its binary file format v1.
 *
 * A trace is every stylus sample of an attempt: time, tip position, stylus
 * axis, force and buttons. Impressions, healed dots and scores are pure
 * functions of (lesson, trace, SIM_VERSION).
 *
 * File format v1 (all integers and floats little-endian, IEEE-754):
 *
 *   header, 128 bytes:
 *     0  char[8]  magic "STPTRACE"
 *     8  u16      format version (1)
 *    10  u16      header size in bytes (128)
 *    12  u32      nominal sample rate, Hz
 *    16  u8[32]   lesson hash (SHA-256 of the lesson's canonical form)
 *    48  u64      simulation seed (the randomness this attempt may use)
 *    56  i64      start time, Unix microseconds (metadata only, never graded)
 *    64  char[60] device description, UTF-8, NUL-padded
 *   124  u32      CRC-32 of bytes 0..123
 *
 *   then blocks, appended one after another until the end of the file:
 *     0  u32      block magic "SBLK" (0x4B4C4253 read as u32)
 *     4  u32      sample count n (1..SIM_TRACE_BLOCK_MAX)
 *     8  u64      index of the block's first sample in the trace
 *    16  n * 40   samples:
 *          i64 t_us; f32 tip_mm[3]; f32 axis[3]; f32 force_n; u32 buttons
 *    16+40n u32   CRC-32 of the block's bytes 0..16+40n-1
 *
 * Append-only: a writer adds whole blocks and flushes, so a file cut short
 * by a crash reads back to its last whole block and the reader reports it
 * as truncated. A damaged block (bad CRC or magic) is an error naming its
 * byte offset.
 *
 * Frames: tip positions are in the lesson surface's frame (pad frame or head
 * frame), mm. `axis` is the unit vector from the needle tip back along the
 * cartridge toward the grip (so a needle held perpendicular to the pad has
 * axis (0, 0, 1)).
 *
 * Threads: a writer or reader belongs to one thread at a time. The haptic
 * servo thread never calls these (it hands samples over a ring).
 */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H

#include <stdio.h>

#include "sim_base.h"

#define SIM_TRACE_MAGIC "STPTRACE"
#define SIM_TRACE_VERSION 1
#define SIM_TRACE_HEADER_SIZE 128
#define SIM_TRACE_BLOCK_MAGIC 0x4B4C4253u   /* "SBLK" */
#define SIM_TRACE_BLOCK_HEADER_SIZE 16
#define SIM_TRACE_SAMPLE_SIZE 40
#define SIM_TRACE_BLOCK_MAX 4096            /* samples per block at most */
#define SIM_TRACE_DEVICE_LEN 60

/* Button bits of a sample. */
enum {
    SIM_BUTTON_MACHINE = 1u << 0,   /* the machine runs (needle reciprocates) */
    SIM_BUTTON_AUX = 1u << 1,       /* the stylus's second button */
    SIM_BUTTON_CLUTCH = 1u << 2,    /* clutch/reposition: no contact recorded */
};

/* One stylus sample: the whole per-tick input (DOOM's ticcmd idea). */
typedef struct sim_sample {
    int64_t t_us;          /* since the start of the attempt, microseconds */
    float tip_mm[3];       /* needle tip, surface frame */
    float axis[3];         /* unit, from the tip toward the grip */
    float force_n;         /* force measured or commanded along the axis */
    uint32_t buttons;      /* SIM_BUTTON_* bits */
} sim_sample;

typedef struct sim_trace_header {
    uint32_t sample_rate_hz;
    uint8_t lesson_hash[32];
    uint64_t seed;
    int64_t start_unix_us;
    char device[SIM_TRACE_DEVICE_LEN + 1];   /* NUL-terminated */
} sim_trace_header;

/* A trace in memory: the header and every sample. Owns `samples`. */
typedef struct sim_trace {
    sim_trace_header header;
    sim_sample *samples;
    size_t count, capacity;
    bool truncated;        /* the file ended inside a block; `count` holds
                              the samples of every whole block before it */
} sim_trace;

void sim_trace_init(sim_trace *trace);
void sim_trace_deinit(sim_trace *trace);
/* Appends (growing the array). SIM_ERR_NOMEM on failure, trace unchanged. */
sim_result sim_trace_push(sim_trace *trace, const sim_sample *sample);

/* ---------------------------------------------------------------------------
 * Encoding (pure functions on buffers: the codec is testable without files)
 * ------------------------------------------------------------------------- */
void sim_trace_encode_header(const sim_trace_header *h,
                             uint8_t out[SIM_TRACE_HEADER_SIZE]);
sim_result sim_trace_decode_header(const uint8_t in[SIM_TRACE_HEADER_SIZE],
                                   sim_trace_header *h, sim_error *err);
/* Bytes a block of n samples takes on disk. */
size_t sim_trace_block_size(size_t n);
/* Encodes samples[0..n) as one block into out (sim_trace_block_size(n)
 * bytes); n must be 1..SIM_TRACE_BLOCK_MAX. */
void sim_trace_encode_block(const sim_sample *samples, size_t n,
                            uint64_t first_index, uint8_t *out);

/* ---------------------------------------------------------------------------
 * Reading
 * ------------------------------------------------------------------------- */
/* Reads a whole trace from a stream (`name` is used in messages only).
 * Returns SIM_OK with trace->truncated set (and err filled as a warning,
 * code SIM_ERR_TRUNCATED) when the file ends inside a block; SIM_ERR_CRC,
 * SIM_ERR_FORMAT, SIM_ERR_VERSION or SIM_ERR_IO with err naming the byte
 * offset otherwise. On error the trace keeps the samples read before the
 * fault (the caller decides whether to use them). */
sim_result sim_trace_read(sim_trace *trace, FILE *stream, const char *name,
                          sim_error *err);
/* Convenience: opens, reads and closes `path`. */
sim_result sim_trace_load(sim_trace *trace, const char *path, sim_error *err);
/* Parses a trace held in memory (used by the fuzz target). */
sim_result sim_trace_parse(sim_trace *trace, const uint8_t *data, size_t size,
                           const char *name, sim_error *err);

/* ---------------------------------------------------------------------------
 * Writing (append-only journal)
 * ------------------------------------------------------------------------- */
typedef struct sim_trace_writer {
    FILE *stream;          /* owned when opened with sim_trace_writer_open */
    bool owns_stream;
    char name[256];
    sim_sample *pending;   /* samples not yet written as a block */
    size_t pending_count;
    size_t block_samples;  /* samples per block (flush threshold) */
    uint64_t written;      /* samples already in whole blocks on disk */
    uint8_t *scratch;      /* encode buffer for one block */
    bool failed;           /* a failed write could not be cut back to a
                              whole block: later writes refuse */
} sim_trace_writer;

/* Creates (truncates) `path` and writes the header. block_samples: samples
 * per block, 0 = the sample rate (one block a second). */
sim_result sim_trace_writer_open(sim_trace_writer *w, const char *path,
                                 const sim_trace_header *h, size_t block_samples,
                                 sim_error *err);
/* Same on a caller-owned stream positioned at its start. */
sim_result sim_trace_writer_init(sim_trace_writer *w, FILE *stream,
                                 const char *name, const sim_trace_header *h,
                                 size_t block_samples, sim_error *err);
/* Queues a sample; writes a block (and flushes the stream) when the block
 * is full. On an I/O error the file is cut back to its last whole block,
 * the queued samples stay queued and the error is returned: nothing already
 * written is lost, and a later append or flush retries. When the queue is
 * full and cannot be written, `s` is not queued (the caller keeps it). */
sim_result sim_trace_writer_append(sim_trace_writer *w, const sim_sample *s,
                                   sim_error *err);
/* Writes any queued samples as a (short) block and flushes the stream;
 * with `sync` also fsyncs the file. Call it at least once a second. */
sim_result sim_trace_writer_flush(sim_trace_writer *w, bool sync, sim_error *err);
/* Flushes, closes an owned stream, frees buffers. */
sim_result sim_trace_writer_close(sim_trace_writer *w, sim_error *err);

/* Writes a whole in-memory trace to `path` (blocks of one second). */
sim_result sim_trace_save(const sim_trace *trace, const char *path, sim_error *err);

#endif /* SIM_TRACE_H */
