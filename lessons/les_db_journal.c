/* les_db_journal.c: an attempt's trace journal on disk, and the MACs that
 * let recovery tell the station's blocks from anyone else's.
 *
 * The journal "<db>.traces/<uid>.trace" is a trace file (format v1,
 * sim_trace.h) written whole blocks at a time with pwrite, so a failed
 * write is cut back exactly and a crash leaves whole blocks and at most one
 * cut short. Its bytes are also hashed as they are written, so ending the
 * attempt can prove that what it reads back is what it wrote.
 *
 * An attempt begun with a station key also gets "<uid>.mac", one 48-byte
 * record per journal range, written (and cut back) with the block:
 *
 *     0  u64  end: the journal's size once the range is written
 *     8  u64  samples: the samples in the journal up to `end`
 *    16  u8[32] mac
 *
 *   mac = BLAKE2b-256 keyed with K over
 *         "stipple-journal/1\0", uid, u64 start, u64 end, u64 samples,
 *         the previous record's mac (32 zeros for the first),
 *         [first record only: the attempt's trainee, mode, lesson hash,
 *          start time and time limit], the journal's bytes [start, end)
 *   K   = BLAKE2b-256 keyed with the station's Ed25519 seed over
 *         "stipple-journal-key/1\0", uid
 *
 * (integers little-endian; strings as u32 length + bytes). The first record
 * covers the header [0, 128) and binds the journal to the attempt's row;
 * each later one covers one block. The record is written before its block,
 * so a crash leaves at most a record whose block never arrived (the block
 * cut short: the at most one second that is lost), never a block without a
 * record. Someone who can write the journals folder but lacks the station's
 * secret cannot make a record that verifies: recovery keeps the blocks
 * whose MACs verify, refuses and names the first that does not (and all
 * after it, the chain being broken), and refuses bytes no record covers.
 *
 * Threads: a journal belongs to its recording's thread; authentication is
 * reentrant.
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

#define MAC_DOMAIN "stipple-journal/1"
#define KEY_DOMAIN "stipple-journal-key/1"
#define MAC_RECORD 48

struct les__journal {
    int fd;                      /* the journal (read-write), flock'd */
    int mac_fd;                  /* the MAC file; -1 when unkeyed */
    char path[LES_DB_PATH_MAX + 64];
    char mac_path[LES_DB_PATH_MAX + 64];
    char uid[33];
    uint8_t mac_key[32];
    uint8_t chain[32];           /* the last record's mac */
    uint64_t bytes;              /* journal bytes on disk, whole blocks */
    uint64_t mac_bytes;
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

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_u64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* ------------------------------------------------------------------------ */
/* MACs                                                                     */
/* ------------------------------------------------------------------------ */

static void derive_key(const les_sign_key *key, const char *uid, uint8_t out[32])
{
    uint8_t msg[sizeof KEY_DOMAIN + 32];
    memcpy(msg, KEY_DOMAIN, sizeof KEY_DOMAIN);   /* with its NUL */
    memcpy(msg + sizeof KEY_DOMAIN, uid, 32);
    /* the Ed25519 secret key begins with its 32-byte seed */
    crypto_generichash(out, 32, msg, sizeof msg, key->sk, 32);
}

static void update_string(crypto_generichash_state *st, const char *s)
{
    uint8_t n[4];
    size_t len = s ? strlen(s) : 0;
    for (int i = 0; i < 4; i++)
        n[i] = (uint8_t)(len >> (8 * i));
    crypto_generichash_update(st, n, sizeof n);
    if (len)
        crypto_generichash_update(st, (const uint8_t *)s, len);
}

static void compute_mac(const uint8_t key[32], const char *uid, uint64_t start, uint64_t end,
                        uint64_t samples, const uint8_t prev[32],
                        const les__journal_binding *binding, const uint8_t *bytes, uint8_t out[32])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, key, 32, 32);
    crypto_generichash_update(&st, (const uint8_t *)MAC_DOMAIN, sizeof MAC_DOMAIN);
    crypto_generichash_update(&st, (const uint8_t *)uid, 32);
    uint8_t n[24];
    put_u64(n, start);
    put_u64(n + 8, end);
    put_u64(n + 16, samples);
    crypto_generichash_update(&st, n, sizeof n);
    crypto_generichash_update(&st, prev, 32);
    if (binding) {
        update_string(&st, binding->trainee);
        update_string(&st, binding->mode);
        update_string(&st, binding->lesson_hash);
        uint8_t t[16];
        put_u64(t, (uint64_t)binding->started_us);
        put_u64(t + 8, (uint64_t)binding->time_limit_s);
        crypto_generichash_update(&st, t, sizeof t);
    }
    crypto_generichash_update(&st, bytes, (unsigned long long)(end - start));
    crypto_generichash_final(&st, out, 32);
    sodium_memzero(&st, sizeof st);
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
                                   const sim_trace_header *h, const les_sign_key *key,
                                   const les__journal_binding *binding, sim_error *err)
{
    *out = NULL;
    if (mkdir(db->traces_dir, 0700) != 0 && errno != EEXIST)
        return sys_error(db, err, "cannot create the journal folder %s: %s", db->traces_dir,
                         errno);
    les__journal *j = sim_calloc(1, sizeof *j);
    if (!j)
        return les__db_error(db, LES_REC_ERR_NOMEM, err, "out of memory for the trace journal");
    j->fd = j->mac_fd = -1;
    snprintf(j->uid, sizeof j->uid, "%s", uid);
    les__fmt(j->path, sizeof j->path, "%s/%s.trace", db->traces_dir, uid);
    les__fmt(j->mac_path, sizeof j->mac_path, "%s/%s.mac", db->traces_dir, uid);
    crypto_generichash_init(&j->digest, NULL, 0, 32);
    les_rec_result r = LES_REC_OK;
    j->fd = open(j->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (j->fd < 0)
        r = sys_error(db, err, "cannot create the trace journal %s: %s", j->path, errno);
    else if (flock(j->fd, LOCK_EX | LOCK_NB) != 0)   /* defensive: a fresh file */
        r = sys_error(db, err, "cannot lock the trace journal %s: %s", j->path, errno);
    uint8_t head[SIM_TRACE_HEADER_SIZE];
    sim_trace_encode_header(h, head);
    if (r == LES_REC_OK && key && key->has_secret) {
        derive_key(key, uid, j->mac_key);
        static const uint8_t zero[32];
        uint8_t rec[MAC_RECORD];
        put_u64(rec, SIM_TRACE_HEADER_SIZE);
        put_u64(rec + 8, 0);
        compute_mac(j->mac_key, uid, 0, SIM_TRACE_HEADER_SIZE, 0, zero, binding, head, rec + 16);
        memcpy(j->chain, rec + 16, 32);
        j->mac_fd = open(j->mac_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (j->mac_fd < 0)
            r = sys_error(db, err, "cannot create the journal's MAC file %s: %s", j->mac_path,
                          errno);
        else if (!pwrite_all(j->mac_fd, rec, sizeof rec, 0) || fsync(j->mac_fd) != 0)
            r = sys_error(db, err, "cannot write the journal's MAC file %s: %s", j->mac_path,
                          errno);
        j->mac_bytes = MAC_RECORD;
    }
    if (r == LES_REC_OK && (!pwrite_all(j->fd, head, sizeof head, 0) || fsync(j->fd) != 0))
        r = sys_error(db, err, "cannot write the trace journal %s: %s", j->path, errno);
    if (r == LES_REC_OK) {
        crypto_generichash_update(&j->digest, head, sizeof head);
        j->bytes = SIM_TRACE_HEADER_SIZE;
        int dfd = open(db->traces_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);   /* the new names survive a power cut */
            close(dfd);
        }
        *out = j;
        return LES_REC_OK;
    }
    les__journal_close(j, true);
    return r;
}

/* Cuts both files back to their last whole range after a failed write. */
static void cut_back(les__journal *j)
{
    bool ok = ftruncate(j->fd, (off_t)j->bytes) == 0;
    if (j->mac_fd >= 0)
        ok = ftruncate(j->mac_fd, (off_t)j->mac_bytes) == 0 && ok;
    if (!ok)
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
        uint8_t rec[MAC_RECORD];
        if (j->mac_fd >= 0) {
            put_u64(rec, j->bytes + size);
            put_u64(rec + 8, j->samples + k);
            compute_mac(j->mac_key, j->uid, j->bytes, j->bytes + size, j->samples + k, j->chain,
                        NULL, j->block, rec + 16);
            /* the record first: a crash then leaves at most a record whose
             * block never arrived, never a block without its record */
            if (!pwrite_all(j->mac_fd, rec, sizeof rec, j->mac_bytes)) {
                int sys = errno;
                cut_back(j);
                return write_error(j, e, "write the MAC of", sys);
            }
        }
        if (!pwrite_all(j->fd, j->block, size, j->bytes)) {
            int sys = errno;
            cut_back(j);
            return write_error(j, e, "write", sys);
        }
        crypto_generichash_update(&j->digest, j->block, size);
        j->bytes += size;
        j->samples += k;
        if (j->mac_fd >= 0) {
            j->mac_bytes += MAC_RECORD;
            memcpy(j->chain, rec + 16, 32);
        }
        *done += k;
    }
    if (sync && ((j->mac_fd >= 0 && fsync(j->mac_fd) != 0) || fsync(j->fd) != 0))
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
    if (remove && j->fd >= 0)   /* only files this journal holds open */
        unlink(j->path);
    if (remove && j->mac_fd >= 0)
        unlink(j->mac_path);
    if (j->fd >= 0)
        close(j->fd);   /* the lock goes with the descriptor */
    if (j->mac_fd >= 0)
        close(j->mac_fd);
    sim_free(j->block);
    sodium_memzero(j, sizeof *j);
    sim_free(j);
}

/* ------------------------------------------------------------------------ */
/* Authenticating (recovery)                                                */
/* ------------------------------------------------------------------------ */

void les__journal_authenticate(const uint8_t *bytes, size_t size, const uint8_t *macs,
                               size_t mac_size, const les_sign_key *key, const char *uid,
                               const les__journal_binding *binding, les__journal_check *out)
{
    memset(out, 0, sizeof *out);
    if (!les__is_hex(uid, 32, 32))
        return;
    uint8_t k[32], mac[32];
    static const uint8_t zero[32];
    derive_key(key, uid, k);
    if (mac_size < MAC_RECORD) {
        les__fmt(out->note, sizeof out->note, "its MAC file is missing or empty");
        sodium_memzero(k, sizeof k);
        return;
    }
    if (get_u64(macs) != SIM_TRACE_HEADER_SIZE || get_u64(macs + 8) != 0 ||
        size < SIM_TRACE_HEADER_SIZE ||
        (compute_mac(k, uid, 0, SIM_TRACE_HEADER_SIZE, 0, zero, binding, bytes, mac),
         sodium_memcmp(mac, macs + 16, 32) != 0)) {
        les__fmt(out->note, sizeof out->note,
                 "its MAC file's first record does not match: the journal's header was replaced, "
                 "or the attempt's trainee, mode, lesson, start or time limit were changed");
        sodium_memzero(k, sizeof k);
        return;
    }
    out->authenticated = true;
    uint64_t end = SIM_TRACE_HEADER_SIZE, samples = 0;
    const uint8_t *chain = macs + 16;
    size_t records = mac_size / MAC_RECORD;
    for (size_t i = 1; i < records; i++) {
        const uint8_t *rec = macs + i * MAC_RECORD;
        uint64_t next = get_u64(rec), next_samples = get_u64(rec + 8);
        uint64_t count = next_samples - samples;
        if (next <= end || next_samples <= samples || count > SIM_TRACE_BLOCK_MAX ||
            next - end != sim_trace_block_size((size_t)count)) {
            les__fmt(out->note, sizeof out->note,
                     "block %zu (from byte %llu) refused: its MAC record is malformed", i - 1,
                     (unsigned long long)end);
            out->refused = true;
            break;
        }
        if (next > size) {
            out->cut = true;   /* the record was written, its block never arrived */
            break;
        }
        compute_mac(k, uid, end, next, next_samples, chain, NULL, bytes + end, mac);
        if (sodium_memcmp(mac, rec + 16, 32) != 0) {
            les__fmt(out->note, sizeof out->note,
                     "block %zu (from byte %llu) and everything after it refused: it fails its "
                     "MAC, so it is not the block this station wrote",
                     i - 1, (unsigned long long)end);
            out->refused = true;
            break;
        }
        chain = rec + 16;
        end = next;
        samples = next_samples;
    }
    if (!out->refused && !out->cut && size > end)
        les__fmt(out->note, sizeof out->note,
                 "%llu bytes after byte %llu refused: no MAC record covers them, so this station "
                 "did not write them",
                 (unsigned long long)(size - end), (unsigned long long)end);
    out->refused = out->refused || (!out->cut && size > end);
    out->good_bytes = (size_t)end;
    out->good_samples = samples;
    sodium_memzero(k, sizeof k);
}
