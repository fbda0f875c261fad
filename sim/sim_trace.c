/* sim_trace.c: trace format v1: encoding, reading (truncation-tolerant,
 * CRC-checked) and the append-only writer. The format is described in
 * sim_trace.h.
 *
 * Threads: a reader or writer belongs to one thread at a time.
 */
#include "sim_trace.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------------------ */
/* Little-endian helpers                                                    */
/* ------------------------------------------------------------------------ */

static void put_u16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_f32(uint8_t *p, float f)
{
    uint32_t v;
    memcpy(&v, &f, sizeof v);
    put_u32(p, v);
}

static uint16_t get_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

static uint32_t get_u32(const uint8_t *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint64_t get_u64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static float get_f32(const uint8_t *p)
{
    uint32_t v = get_u32(p);
    float f;
    memcpy(&f, &v, sizeof f);
    return f;
}

/* ------------------------------------------------------------------------ */
/* In-memory trace                                                          */
/* ------------------------------------------------------------------------ */

void sim_trace_init(sim_trace *t)
{
    memset(t, 0, sizeof *t);
}

void sim_trace_deinit(sim_trace *t)
{
    if (!t)
        return;
    sim_free(t->samples);
    memset(t, 0, sizeof *t);
}

sim_result sim_trace_push(sim_trace *t, const sim_sample *s)
{
    void *items = t->samples;
    if (sim_array_grow(&items, &t->capacity, t->count, sizeof *t->samples, 1024) != SIM_OK)
        return SIM_ERR_NOMEM;
    t->samples = items;
    t->samples[t->count++] = *s;
    return SIM_OK;
}

/* ------------------------------------------------------------------------ */
/* Codec                                                                    */
/* ------------------------------------------------------------------------ */

void sim_trace_encode_header(const sim_trace_header *h, uint8_t out[SIM_TRACE_HEADER_SIZE])
{
    memset(out, 0, SIM_TRACE_HEADER_SIZE);
    memcpy(out, SIM_TRACE_MAGIC, 8);
    put_u16(out + 8, SIM_TRACE_VERSION);
    put_u16(out + 10, SIM_TRACE_HEADER_SIZE);
    put_u32(out + 12, h->sample_rate_hz);
    memcpy(out + 16, h->lesson_hash, 32);
    put_u64(out + 48, h->seed);
    put_u64(out + 56, (uint64_t)h->start_unix_us);
    size_t dev = strnlen(h->device, SIM_TRACE_DEVICE_LEN);
    memcpy(out + 64, h->device, dev);
    put_u32(out + 124, sim_crc32(0, out, 124));
}

sim_result sim_trace_decode_header(const uint8_t in[SIM_TRACE_HEADER_SIZE],
                                   sim_trace_header *h, sim_error *err)
{
    memset(h, 0, sizeof *h);
    if (memcmp(in, SIM_TRACE_MAGIC, 8) != 0)
        return sim_error_set(err, SIM_ERR_FORMAT, NULL, 0, 0,
                             "not a Stipple trace (the file does not start with \"STPTRACE\")");
    uint16_t version = get_u16(in + 8);
    if (version != SIM_TRACE_VERSION)
        return sim_error_set(err, SIM_ERR_VERSION, NULL, 0, 0,
                             "trace format version %u is not supported (this build reads version %d)",
                             version, SIM_TRACE_VERSION);
    if (get_u16(in + 10) != SIM_TRACE_HEADER_SIZE)
        return sim_error_set(err, SIM_ERR_FORMAT, NULL, 0, 0, "trace header size %u, expected %d",
                             get_u16(in + 10), SIM_TRACE_HEADER_SIZE);
    if (get_u32(in + 124) != sim_crc32(0, in, 124))
        return sim_error_set(err, SIM_ERR_CRC, NULL, 0, 0, "the trace header is damaged (CRC mismatch)");
    h->sample_rate_hz = get_u32(in + 12);
    memcpy(h->lesson_hash, in + 16, 32);
    h->seed = get_u64(in + 48);
    h->start_unix_us = (int64_t)get_u64(in + 56);
    memcpy(h->device, in + 64, SIM_TRACE_DEVICE_LEN);
    h->device[SIM_TRACE_DEVICE_LEN] = 0;
    return SIM_OK;
}

size_t sim_trace_block_size(size_t n)
{
    return SIM_TRACE_BLOCK_HEADER_SIZE + n * SIM_TRACE_SAMPLE_SIZE + 4;
}

static void encode_sample(const sim_sample *s, uint8_t *p)
{
    put_u64(p, (uint64_t)s->t_us);
    for (int k = 0; k < 3; k++) {
        put_f32(p + 8 + 4 * k, s->tip_mm[k]);
        put_f32(p + 20 + 4 * k, s->axis[k]);
    }
    put_f32(p + 32, s->force_n);
    put_u32(p + 36, s->buttons);
}

static void decode_sample(const uint8_t *p, sim_sample *s)
{
    s->t_us = (int64_t)get_u64(p);
    for (int k = 0; k < 3; k++) {
        s->tip_mm[k] = get_f32(p + 8 + 4 * k);
        s->axis[k] = get_f32(p + 20 + 4 * k);
    }
    s->force_n = get_f32(p + 32);
    s->buttons = get_u32(p + 36);
}

void sim_trace_encode_block(const sim_sample *samples, size_t n, uint64_t first_index, uint8_t *out)
{
    put_u32(out, SIM_TRACE_BLOCK_MAGIC);
    put_u32(out + 4, (uint32_t)n);
    put_u64(out + 8, first_index);
    for (size_t i = 0; i < n; i++)
        encode_sample(&samples[i], out + SIM_TRACE_BLOCK_HEADER_SIZE + i * SIM_TRACE_SAMPLE_SIZE);
    size_t body = SIM_TRACE_BLOCK_HEADER_SIZE + n * SIM_TRACE_SAMPLE_SIZE;
    put_u32(out + body, sim_crc32(0, out, body));
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                  */
/* ------------------------------------------------------------------------ */

/* A byte source: a stream or a memory buffer. */
typedef struct byte_src {
    FILE *stream;
    const uint8_t *data;
    size_t size, pos;
} byte_src;

static size_t src_read(byte_src *src, void *buf, size_t n)
{
    if (src->stream)
        return fread(buf, 1, n, src->stream);
    size_t left = src->size - src->pos;
    if (n > left)
        n = left;
    memcpy(buf, src->data + src->pos, n);
    src->pos += n;
    return n;
}

static sim_result fail_at(sim_error *err, int code, const char *name, int64_t offset,
                          const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static sim_result fail_at(sim_error *err, int code, const char *name, int64_t offset,
                          const char *fmt, ...)
{
    if (err) {
        sim_error_set(err, code, name, 0, 0, "%s", "");
        err->offset = offset;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return (sim_result)code;
}

static sim_result read_trace(sim_trace *t, byte_src *src, const char *name, sim_error *err)
{
    sim_trace_init(t);
    sim_error_clear(err);
    uint8_t head[SIM_TRACE_HEADER_SIZE];
    size_t got = src_read(src, head, sizeof head);
    if (src->stream && ferror(src->stream))
        return fail_at(err, SIM_ERR_IO, name, 0, "cannot read the trace: %s", strerror(errno));
    if (got < sizeof head) {
        if (got >= 8 && memcmp(head, SIM_TRACE_MAGIC, 8) != 0)
            return fail_at(err, SIM_ERR_FORMAT, name, 0, "%s",
                           "not a Stipple trace (the file does not start with \"STPTRACE\")");
        return fail_at(err, SIM_ERR_TRUNCATED, name, (int64_t)got, "%s",
                       "the trace ends inside its header: no samples can be recovered");
    }
    sim_result r = sim_trace_decode_header(head, &t->header, err);
    if (r != SIM_OK) {
        if (err) {
            snprintf(err->file, sizeof err->file, "%s", name ? name : "");
            err->offset = 0;
        }
        return r;
    }

    int64_t offset = SIM_TRACE_HEADER_SIZE;
    uint8_t *block = sim_malloc(sim_trace_block_size(SIM_TRACE_BLOCK_MAX));
    if (!block)
        return fail_at(err, SIM_ERR_NOMEM, name, offset, "%s", "out of memory reading the trace");
    r = SIM_OK;
    for (uint64_t block_index = 0;; block_index++) {
        got = src_read(src, block, SIM_TRACE_BLOCK_HEADER_SIZE);
        if (got == 0)
            break;  /* clean end */
        if (got < SIM_TRACE_BLOCK_HEADER_SIZE) {
            t->truncated = true;
            break;
        }
        uint32_t n = get_u32(block + 4);
        if (get_u32(block) != SIM_TRACE_BLOCK_MAGIC || n == 0 || n > SIM_TRACE_BLOCK_MAX) {
            r = fail_at(err, SIM_ERR_FORMAT, name, offset,
                        "damaged trace: block %llu has a bad header (magic or sample count)",
                        (unsigned long long)block_index);
            break;
        }
        size_t rest = sim_trace_block_size(n) - SIM_TRACE_BLOCK_HEADER_SIZE;
        got = src_read(src, block + SIM_TRACE_BLOCK_HEADER_SIZE, rest);
        if (got < rest) {
            t->truncated = true;
            break;
        }
        size_t body = SIM_TRACE_BLOCK_HEADER_SIZE + (size_t)n * SIM_TRACE_SAMPLE_SIZE;
        if (get_u32(block + body) != sim_crc32(0, block, body)) {
            r = fail_at(err, SIM_ERR_CRC, name, offset, "damaged trace: block %llu fails its checksum",
                        (unsigned long long)block_index);
            break;
        }
        if (get_u64(block + 8) != t->count) {
            r = fail_at(err, SIM_ERR_FORMAT, name, offset,
                        "damaged trace: block %llu starts at sample %llu, expected %llu",
                        (unsigned long long)block_index, (unsigned long long)get_u64(block + 8),
                        (unsigned long long)t->count);
            break;
        }
        for (uint32_t i = 0; i < n && r == SIM_OK; i++) {
            sim_sample s;
            decode_sample(block + SIM_TRACE_BLOCK_HEADER_SIZE + (size_t)i * SIM_TRACE_SAMPLE_SIZE, &s);
            if (sim_trace_push(t, &s) != SIM_OK)
                r = fail_at(err, SIM_ERR_NOMEM, name, offset, "%s", "out of memory reading the trace");
        }
        if (r != SIM_OK)
            break;
        offset += (int64_t)sim_trace_block_size(n);
    }
    sim_free(block);
    if (r == SIM_OK && src->stream && ferror(src->stream))
        r = fail_at(err, SIM_ERR_IO, name, offset, "cannot read the trace: %s", strerror(errno));
    if (r == SIM_OK && t->truncated) {
        /* a warning, not an error: the whole blocks are good */
        fail_at(err, SIM_ERR_TRUNCATED, name, offset,
                "the trace is truncated after %zu samples (the last, incomplete block was dropped)",
                t->count);
    }
    return r;
}

sim_result sim_trace_read(sim_trace *t, FILE *stream, const char *name, sim_error *err)
{
    byte_src src = {.stream = stream};
    return read_trace(t, &src, name, err);
}

sim_result sim_trace_parse(sim_trace *t, const uint8_t *data, size_t size, const char *name,
                           sim_error *err)
{
    byte_src src = {.data = data, .size = size};
    return read_trace(t, &src, name, err);
}

sim_result sim_trace_load(sim_trace *t, const char *path, sim_error *err)
{
    sim_trace_init(t);
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        sim_error_set(err, SIM_ERR_IO, path, 0, 0, "cannot open the trace: %s", strerror(e));
        if (err)
            err->sys_errno = e;
        return SIM_ERR_IO;
    }
    sim_result r = sim_trace_read(t, f, path, err);
    fclose(f);
    return r;
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                  */
/* ------------------------------------------------------------------------ */

static sim_result io_error(sim_trace_writer *w, sim_error *err, const char *what)
{
    int e = errno;
    w->failed = true;
    sim_error_set(err, SIM_ERR_IO, w->name, 0, 0, "cannot %s the trace: %s", what, strerror(e));
    if (err)
        err->sys_errno = e;
    return SIM_ERR_IO;
}

sim_result sim_trace_writer_init(sim_trace_writer *w, FILE *stream, const char *name,
                                 const sim_trace_header *h, size_t block_samples, sim_error *err)
{
    memset(w, 0, sizeof *w);
    w->stream = stream;
    snprintf(w->name, sizeof w->name, "%s", name ? name : "");
    if (block_samples == 0)
        block_samples = h->sample_rate_hz ? h->sample_rate_hz : 1000;
    if (block_samples > SIM_TRACE_BLOCK_MAX)
        block_samples = SIM_TRACE_BLOCK_MAX;
    w->block_samples = block_samples;
    w->pending = sim_calloc(block_samples, sizeof *w->pending);
    w->scratch = sim_malloc(sim_trace_block_size(block_samples));
    if (!w->pending || !w->scratch) {
        sim_free(w->pending);
        sim_free(w->scratch);
        w->pending = NULL;
        w->scratch = NULL;
        w->failed = true;
        return sim_error_set(err, SIM_ERR_NOMEM, w->name, 0, 0, "out of memory for the trace writer");
    }
    uint8_t head[SIM_TRACE_HEADER_SIZE];
    sim_trace_encode_header(h, head);
    if (fwrite(head, 1, sizeof head, stream) != sizeof head || fflush(stream) != 0)
        return io_error(w, err, "write the header of");
    return SIM_OK;
}

sim_result sim_trace_writer_open(sim_trace_writer *w, const char *path, const sim_trace_header *h,
                                 size_t block_samples, sim_error *err)
{
    memset(w, 0, sizeof *w);
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(w->name, sizeof w->name, "%s", path);
        return io_error(w, err, "create");
    }
    sim_result r = sim_trace_writer_init(w, f, path, h, block_samples, err);
    w->owns_stream = true;
    return r;
}

/* Writes a whole buffer. Streams backed by a file descriptor are written
 * with write(2), past stdio's buffer, so that a failure can be undone
 * exactly; other streams (memory) go through stdio. */
static bool write_all(FILE *stream, const uint8_t *buf, size_t n)
{
    int fd = fileno(stream);
    if (fd < 0)
        return fwrite(buf, 1, n, stream) == n && fflush(stream) == 0;
    while (n > 0) {
        ssize_t k = write(fd, buf, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        buf += k;
        n -= (size_t)k;
    }
    return true;
}

/* Cuts the file back to `size` bytes after a failed block write. */
static bool cut_back(FILE *stream, off_t size)
{
    int fd = fileno(stream);
    if (fd < 0 || size < 0)
        return false;
    return ftruncate(fd, size) == 0 && lseek(fd, size, SEEK_SET) == size;
}

static sim_result write_pending(sim_trace_writer *w, sim_error *err)
{
    if (w->failed)
        return sim_error_set(err, SIM_ERR_IO, w->name, 0, 0,
                             "an earlier write error left the trace file unrepairable; "
                             "its first %llu samples are intact", (unsigned long long)w->written);
    if (w->pending_count == 0)
        return SIM_OK;
    size_t bytes = sim_trace_block_size(w->pending_count);
    sim_trace_encode_block(w->pending, w->pending_count, w->written, w->scratch);
    int fd = fileno(w->stream);
    off_t before = fd >= 0 ? lseek(fd, 0, SEEK_CUR) : -1;
    if (!write_all(w->stream, w->scratch, bytes)) {
        /* Cut the file back to its last whole block so a retry appends
         * cleanly; the queued samples stay queued. */
        int saved = errno;
        bool restored = cut_back(w->stream, before);
        clearerr(w->stream);
        errno = saved;
        sim_result r = io_error(w, err, "write");
        w->failed = !restored;
        return r;
    }
    w->written += w->pending_count;
    w->pending_count = 0;
    return SIM_OK;
}

sim_result sim_trace_writer_append(sim_trace_writer *w, const sim_sample *s, sim_error *err)
{
    if (!w->pending)
        return sim_error_set(err, SIM_ERR_ARG, w->name, 0, 0, "the trace writer is not open");
    if (w->pending_count == w->block_samples) {
        sim_result r = write_pending(w, err);
        if (r != SIM_OK)
            return r;
    }
    w->pending[w->pending_count++] = *s;
    if (w->pending_count == w->block_samples)
        return write_pending(w, err);
    return SIM_OK;
}

sim_result sim_trace_writer_flush(sim_trace_writer *w, bool sync, sim_error *err)
{
    if (!w->pending)
        return sim_error_set(err, SIM_ERR_ARG, w->name, 0, 0, "the trace writer is not open");
    sim_result r = write_pending(w, err);
    if (r == SIM_OK && sync && fileno(w->stream) >= 0 && fsync(fileno(w->stream)) != 0 &&
        errno != EINVAL)
        r = io_error(w, err, "sync");
    return r;
}

sim_result sim_trace_writer_close(sim_trace_writer *w, sim_error *err)
{
    sim_result r = SIM_OK;
    if (w->pending)
        r = write_pending(w, err);
    if (w->owns_stream && w->stream) {
        if (fclose(w->stream) != 0 && r == SIM_OK)
            r = io_error(w, err, "close");
    }
    sim_free(w->pending);
    sim_free(w->scratch);
    w->pending = NULL;
    w->scratch = NULL;
    w->stream = NULL;
    return r;
}

sim_result sim_trace_save(const sim_trace *t, const char *path, sim_error *err)
{
    sim_trace_writer w;
    sim_result r = sim_trace_writer_open(&w, path, &t->header, 0, err);
    for (size_t i = 0; r == SIM_OK && i < t->count; i++)
        r = sim_trace_writer_append(&w, &t->samples[i], err);
    sim_error tmp;
    sim_result rc = sim_trace_writer_close(&w, r == SIM_OK ? err : &tmp);
    return r != SIM_OK ? r : rc;
}
