/* les_db_journal.c: an attempt's trace journal on disk.
 *
 * The journal "<db>.traces/<uid>.trace" is a trace file (format v1,
 * sim_trace.h) written whole blocks at a time with pwrite, so a failed
 * write is cut back exactly and a crash leaves whole blocks and at most one
 * cut short. Its bytes are also hashed as they are written, so ending the
 * attempt can prove that what it reads back (through the journal's own
 * descriptor, whatever happened to its name) is what it wrote.
 *
 * Threads: a journal belongs to its recording's thread.
 */
#include "les_db_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

struct les__journal {
    int fd;                      /* the journal (read-write), flock'd */
    char path[LES_DB_PATH_MAX + 64];
    uint64_t bytes;              /* journal bytes on disk, whole blocks */
    uint64_t samples;            /* samples on disk */
    bool broken;                 /* a failed write could not be cut back */
    crypto_generichash_state digest;   /* every byte written, in order */
    uint8_t *block;
    size_t block_cap;
};

/* ------------------------------------------------------------------------ */
/* Files                                                                    */
/* ------------------------------------------------------------------------ */

static bool pwrite_all(int fd, const void *buf, size_t n, uint64_t at)
{
    const uint8_t *p = buf;
    while (n > 0) {
        ssize_t k = pwrite(fd, p, n, (off_t)at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        p += k;
        at += (uint64_t)k;
        n -= (size_t)k;
    }
    return true;
}

static bool pread_all(int fd, void *buf, size_t n, uint64_t at)
{
    uint8_t *p = buf;
    while (n > 0) {
        ssize_t k = pread(fd, p, n, (off_t)at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = EIO;   /* shorter than written: it was cut */
            return false;
        }
        p += k;
        at += (uint64_t)k;
        n -= (size_t)k;
    }
    return true;
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                  */
/* ------------------------------------------------------------------------ */

static les_rec_result sys_error(les_db *db, sim_error *err, const char *fmt, const char *path,
                                int e)
{
    les__db_error(db, les__errno_result(e), err, fmt, path, strerror(e));
    if (err) {
        snprintf(err->file, sizeof err->file, "%.255s", path);
        err->sys_errno = e;
    }
    return les__errno_result(e);
}

les_rec_result les__journal_create(les__journal **out, les_db *db, const char *uid,
                                   const sim_trace_header *h, sim_error *err)
{
    *out = NULL;
    if (mkdir(db->traces_dir, 0700) != 0 && errno != EEXIST)
        return sys_error(db, err, "cannot create the journal folder %s: %s", db->traces_dir,
                         errno);
    les__journal *j = sim_calloc(1, sizeof *j);
    if (!j)
        return les__db_error(db, LES_REC_ERR_NOMEM, err, "out of memory for the trace journal");
    les__fmt(j->path, sizeof j->path, "%s/%s.trace", db->traces_dir, uid);
    crypto_generichash_init(&j->digest, NULL, 0, 32);
    les_rec_result r = LES_REC_OK;
    j->fd = open(j->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (j->fd < 0)
        r = sys_error(db, err, "cannot create the trace journal %s: %s", j->path, errno);
    else if (flock(j->fd, LOCK_EX | LOCK_NB) != 0)   /* defensive: a fresh file */
        r = sys_error(db, err, "cannot lock the trace journal %s: %s", j->path, errno);
    uint8_t head[SIM_TRACE_HEADER_SIZE];
    sim_trace_encode_header(h, head);
    if (r == LES_REC_OK && (!pwrite_all(j->fd, head, sizeof head, 0) || fsync(j->fd) != 0))
        r = sys_error(db, err, "cannot write the trace journal %s: %s", j->path, errno);
    if (r == LES_REC_OK) {
        crypto_generichash_update(&j->digest, head, sizeof head);
        j->bytes = SIM_TRACE_HEADER_SIZE;
        int dfd = open(db->traces_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);   /* the new name survives a power cut */
            close(dfd);
        }
        *out = j;
        return LES_REC_OK;
    }
    les__journal_close(j, true);
    return r;
}

/* Cuts the journal back to its last whole block after a failed write. */
static void cut_back(les__journal *j)
{
    if (ftruncate(j->fd, (off_t)j->bytes) != 0)
        j->broken = true;
}

static les_rec_result write_error(les__journal *j, sim_error *e, const char *what, int sys)
{
    sim_error_set(e, SIM_ERR_IO, j->path, 0, 0, "cannot %s the trace journal: %s", what,
                  strerror(sys));
    if (e)
        e->sys_errno = sys;
    return les__errno_result(sys);
}

les_rec_result les__journal_write(les__journal *j, const sim_sample *s, size_t n, bool sync,
                                  size_t *done, sim_error *e)
{
    *done = 0;
    if (j->broken) {
        sim_error_set(e, SIM_ERR_IO, j->path, 0, 0,
                      "an earlier write error left the trace journal unrepairable; its first "
                      "%llu samples are intact",
                      (unsigned long long)j->samples);
        return LES_REC_ERR_IO;
    }
    while (*done < n) {
        size_t k = n - *done < SIM_TRACE_BLOCK_MAX ? n - *done : SIM_TRACE_BLOCK_MAX;
        size_t size = sim_trace_block_size(k);
        if (size > j->block_cap) {
            uint8_t *grown = sim_realloc(j->block, size);
            if (!grown) {
                sim_error_set(e, SIM_ERR_NOMEM, j->path, 0, 0,
                              "out of memory encoding a journal block");
                return LES_REC_ERR_NOMEM;
            }
            j->block = grown;
            j->block_cap = size;
        }
        sim_trace_encode_block(s + *done, k, j->samples, j->block);
        if (!pwrite_all(j->fd, j->block, size, j->bytes)) {
            int sys = errno;
            cut_back(j);
            return write_error(j, e, "write", sys);
        }
        crypto_generichash_update(&j->digest, j->block, size);
        j->bytes += size;
        j->samples += k;
        *done += k;
    }
    if (sync && fsync(j->fd) != 0)
        return write_error(j, e, "sync", errno);
    return LES_REC_OK;
}

uint64_t les__journal_samples(const les__journal *j)
{
    return j ? j->samples : 0;
}

les_rec_result les__journal_read_back(les__journal *j, les_db *db, uint8_t **out, size_t *size,
                                      sim_error *err)
{
    *out = NULL;
    *size = 0;
    uint8_t *buf = sim_malloc(j->bytes ? (size_t)j->bytes : 1);
    if (!buf)
        return les__db_error(db, LES_REC_ERR_NOMEM, err, "out of memory reading back the journal");
    if (!pread_all(j->fd, buf, (size_t)j->bytes, 0)) {
        int e = errno;
        sim_free(buf);
        return sys_error(db, err, "cannot read back the trace journal %s: %s", j->path, e);
    }
    crypto_generichash_state copy = j->digest;
    uint8_t want[32], got[32];
    crypto_generichash_final(&copy, want, sizeof want);
    crypto_generichash(got, sizeof got, buf, (unsigned long long)j->bytes, NULL, 0);
    if (sodium_memcmp(want, got, sizeof want) != 0) {
        sim_free(buf);
        les__db_error(db, LES_REC_ERR_IO, err,
                      "the trace journal %s no longer holds the bytes written to it (it was "
                      "changed on disk while recording)",
                      j->path);
        if (err)
            snprintf(err->file, sizeof err->file, "%.255s", j->path);
        return LES_REC_ERR_IO;
    }
    *out = buf;
    *size = (size_t)j->bytes;
    return LES_REC_OK;
}

void les__journal_close(les__journal *j, bool remove)
{
    if (!j)
        return;
    if (remove && j->fd >= 0)   /* only a file this journal holds open */
        unlink(j->path);
    if (j->fd >= 0)
        close(j->fd);   /* the lock goes with the descriptor */
    sim_free(j->block);
    sodium_memzero(j, sizeof *j);
    sim_free(j);
}
