/* les_sign.c: the station key file (created 0600 on first use, refused
 * when others can read it) and Ed25519 signing through libsodium. See
 * les_sign.h for the file formats.
 *
 * The secret seed is held only in the les_sign_key and in short-lived
 * buffers that are wiped (sodium_memzero) before they go; no message or
 * log ever holds it.
 *
 * Threads: reentrant once les_sign_init has run.
 */
#include "les_sign.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "les_db_internal.h"

#define KEY_MAGIC "stipple-station-key 1"
#define PUB_MAGIC "stipple-station-public-key 1"
#define KEY_FILE_MAX 4096

static les_rec_result key_error(sim_error *err, les_rec_result code, const char *path, int sys,
                                const char *fmt, const char *detail)
{
    if (err) {
        sim_error_clear(err);
        err->code = (int)code;
        snprintf(err->file, sizeof err->file, "%.255s", path ? path : "");
        snprintf(err->message, sizeof err->message, fmt, detail ? detail : "");
        err->sys_errno = sys;
    }
    return code;
}

les_rec_result les_sign_init(sim_error *err)
{
    if (sodium_init() < 0)   /* defensive: no entropy source */
        return key_error(err, LES_REC_ERR_KEY, NULL, 0, "cannot start libsodium%s", "");
    return LES_REC_OK;
}

void les_sha256_hex(const void *data, size_t len, char out[65])
{
    uint8_t h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(out, 65, h, sizeof h);
}

void les_hex(const void *bin, size_t len, char *out)
{
    sodium_bin2hex(out, 2 * len + 1, bin, len);
}

void les_sign_fingerprint(const uint8_t pk[LES_SIGN_PUBLIC_BYTES], char out[33])
{
    uint8_t h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, pk, LES_SIGN_PUBLIC_BYTES);
    sodium_bin2hex(out, 33, h, 16);
}

void les_sign_signature_fingerprint(const uint8_t sig[LES_SIGN_BYTES], char out[33])
{
    uint8_t h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, sig, LES_SIGN_BYTES);
    sodium_bin2hex(out, 33, h, 16);
}

void les_sign_key_deinit(les_sign_key *key)
{
    if (key)
        sodium_memzero(key, sizeof *key);
}

/* A station name: printable ASCII without newlines, at most 63 bytes. */
static void set_name(les_sign_key *key, const char *name)
{
    char host[256] = "station";
    if (!name || !*name) {
        if (gethostname(host, sizeof host - 1) == 0)
            host[sizeof host - 1] = 0;
        name = host;
    }
    size_t n = 0;
    for (const char *p = name; *p && n < LES_SIGN_NAME_MAX; p++)
        key->name[n++] = (*p >= 0x20 && *p < 0x7f) ? *p : '_';
    key->name[n] = 0;
}

/* Finds "<field> <value>" on its own line; copies value (cut at size). */
static bool field(const char *text, const char *name, char *out, size_t size)
{
    size_t nlen = strlen(name);
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > nlen && strncmp(line, name, nlen) == 0 && line[nlen] == ' ') {
            size_t vlen = len - nlen - 1;
            if (vlen >= size)
                vlen = size - 1;
            memcpy(out, line + nlen + 1, vlen);
            out[vlen] = 0;
            return true;
        }
        line = end ? end + 1 : NULL;
    }
    return false;
}

/* Reads a small file after checking who may read it (private: the key). */
static les_rec_result read_small(const char *path, bool private_file, char *buf, size_t size,
                                 sim_error *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return key_error(err, e == ENOENT ? LES_REC_ERR_NOTFOUND : LES_REC_ERR_KEY, path, e,
                         "cannot open the key file: %s", strerror(e));
    }
    struct stat st;
    les_rec_result r = LES_REC_OK;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        r = key_error(err, LES_REC_ERR_KEY, path, errno, "the key file is not a regular file%s", "");
    } else if (private_file && (st.st_mode & 077) != 0) {
        char detail[128];
        snprintf(detail, sizeof detail, "%04o", (unsigned)(st.st_mode & 07777));
        r = key_error(err, LES_REC_ERR_KEY, path, 0,
                      "the station key file's permissions %s let others read it: run "
                      "'chmod 600' on it (or make a new key)",
                      detail);
    } else if (private_file && st.st_uid != geteuid()) {
        r = key_error(err, LES_REC_ERR_KEY, path, 0,
                      "the station key file belongs to another user%s", "");
    } else if (st.st_size <= 0 || (size_t)st.st_size >= size) {
        r = key_error(err, LES_REC_ERR_KEY, path, 0, "the key file has the wrong size%s", "");
    } else {
        size_t got = 0;
        while (got < (size_t)st.st_size) {
            ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                break;
            got += (size_t)k;
        }
        buf[got] = 0;
        if (got != (size_t)st.st_size)
            r = key_error(err, LES_REC_ERR_KEY, path, errno, "cannot read the key file%s", "");
    }
    close(fd);
    return r;
}

static les_rec_result parse_key(les_sign_key *key, char *text, const char *path, sim_error *err)
{
    char seed_hex[80] = "", name[LES_SIGN_NAME_MAX + 1] = "";
    uint8_t seed[crypto_sign_SEEDBYTES];
    size_t seed_len = 0;
    les_rec_result r = LES_REC_OK;
    if (strncmp(text, KEY_MAGIC "\n", strlen(KEY_MAGIC) + 1) != 0 ||
        !field(text, "seed", seed_hex, sizeof seed_hex) || strlen(seed_hex) != 64 ||
        sodium_hex2bin(seed, sizeof seed, seed_hex, 64, NULL, &seed_len, NULL) != 0 ||
        seed_len != sizeof seed) {
        r = key_error(err, LES_REC_ERR_KEY, path, 0,
                      "the station key file is damaged (expected '" KEY_MAGIC "' and a 64-digit "
                      "seed)%s",
                      "");
    } else {
        field(text, "name", name, sizeof name);
        set_name(key, name);
        crypto_sign_seed_keypair(key->pk, key->sk, seed);
        key->has_secret = true;
        les_sign_fingerprint(key->pk, key->fingerprint);
    }
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(seed_hex, sizeof seed_hex);
    return r;
}

/* mkdir -p with 0700 for the folders it creates. */
static int make_parents(const char *path)
{
    char buf[1024];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return -1;
    char *slash = strrchr(buf, '/');
    if (!slash || slash == buf)
        return 0;
    *slash = 0;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        int rc = mkdir(buf, 0700);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return -1;
    }
    return (mkdir(buf, 0700) != 0 && errno != EEXIST) ? -1 : 0;
}

/* Writes a new key: a private temporary file, fsync'd, then linked into
 * place (link never replaces a key another process created meanwhile). */
static les_rec_result create_key(les_sign_key *key, const char *path, const char *name,
                                 sim_error *err)
{
    if (make_parents(path) != 0)
        return key_error(err, LES_REC_ERR_KEY, path, errno,
                         "cannot create the station key's folder: %s", strerror(errno));
    uint8_t seed[crypto_sign_SEEDBYTES];
    char seed_hex[2 * crypto_sign_SEEDBYTES + 1];
    randombytes_buf(seed, sizeof seed);
    sodium_bin2hex(seed_hex, sizeof seed_hex, seed, sizeof seed);
    set_name(key, name);
    char text[256];
    int len = snprintf(text, sizeof text, KEY_MAGIC "\nname %s\nseed %s\n", key->name, seed_hex);
    sodium_memzero(seed_hex, sizeof seed_hex);

    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    les_rec_result r = LES_REC_OK;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        r = key_error(err, LES_REC_ERR_KEY, path, errno, "cannot create the station key: %s",
                      strerror(errno));
    } else {
        bool ok = fchmod(fd, 0600) == 0 && write(fd, text, (size_t)len) == len && fsync(fd) == 0;
        int e = errno;
        ok = close(fd) == 0 && ok;
        if (ok && link(tmp, path) != 0 && errno != EEXIST)
            ok = false, e = errno;
        unlink(tmp);
        if (!ok)
            r = key_error(err, LES_REC_ERR_KEY, path, e, "cannot write the station key: %s",
                          strerror(e));
    }
    sodium_memzero(text, sizeof text);
    if (r == LES_REC_OK) {
        crypto_sign_seed_keypair(key->pk, key->sk, seed);
        key->has_secret = true;
        les_sign_fingerprint(key->pk, key->fingerprint);
    }
    sodium_memzero(seed, sizeof seed);
    return r;
}

les_rec_result les_sign_key_load(les_sign_key *key, const char *path, bool create,
                                 const char *name, bool *created, sim_error *err)
{
    memset(key, 0, sizeof *key);
    if (created)
        *created = false;
    if (!path || !*path)
        return key_error(err, LES_REC_ERR_ARG, NULL, 0, "no station key path given%s", "");
    les_rec_result r = les_sign_init(err);
    if (r != LES_REC_OK)
        return r;
    char text[KEY_FILE_MAX];
    r = read_small(path, true, text, sizeof text, err);
    if (r == LES_REC_ERR_NOTFOUND && create) {
        les_sign_key fresh;
        memset(&fresh, 0, sizeof fresh);
        r = create_key(&fresh, path, name, err);
        if (r == LES_REC_OK) {
            /* read back what is on disk: another process may have won the race */
            sodium_memzero(&fresh, sizeof fresh);
            r = read_small(path, true, text, sizeof text, err);
            if (r == LES_REC_OK && created)
                *created = true;
        }
    }
    if (r == LES_REC_OK)
        r = parse_key(key, text, path, err);
    sodium_memzero(text, sizeof text);
    if (r != LES_REC_OK)
        les_sign_key_deinit(key);
    return r;
}

char *les_sign_public_text(const les_sign_key *key)
{
    char hex[2 * LES_SIGN_PUBLIC_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, key->pk, LES_SIGN_PUBLIC_BYTES);
    size_t size = 512;
    char *text = sim_malloc(size);
    if (text)
        snprintf(text, size, PUB_MAGIC "\nname %s\nkey %s\nfingerprint %s\n", key->name, hex,
                 key->fingerprint);
    return text;
}

les_rec_result les_sign_write_public(const les_sign_key *key, const char *path, sim_error *err)
{
    char *text = les_sign_public_text(key);
    if (!text)
        return key_error(err, LES_REC_ERR_NOMEM, path, 0, "out of memory%s", "");
    FILE *f = fopen(path, "w");
    les_rec_result r = LES_REC_OK;
    if (!f) {
        r = key_error(err, LES_REC_ERR_IO, path, errno, "cannot create the public key file: %s",
                      strerror(errno));
    } else {
        bool ok = fputs(text, f) >= 0;
        if (fclose(f) != 0 || !ok)
            r = key_error(err, LES_REC_ERR_IO, path, errno, "cannot write the public key file: %s",
                          strerror(errno));
    }
    sim_free(text);
    return r;
}

les_rec_result les_sign_read_public(les_sign_key *key, const char *path, sim_error *err)
{
    memset(key, 0, sizeof *key);
    char text[KEY_FILE_MAX], hex[80] = "", name[LES_SIGN_NAME_MAX + 1] = "";
    les_rec_result r = read_small(path, false, text, sizeof text, err);
    if (r != LES_REC_OK)
        return r;
    size_t len = 0;
    if (strncmp(text, PUB_MAGIC "\n", strlen(PUB_MAGIC) + 1) != 0 ||
        !field(text, "key", hex, sizeof hex) || strlen(hex) != 64 ||
        sodium_hex2bin(key->pk, sizeof key->pk, hex, 64, NULL, &len, NULL) != 0 ||
        len != sizeof key->pk)
        return key_error(err, LES_REC_ERR_KEY, path, 0,
                         "not a Stipple public key file (expected '" PUB_MAGIC
                         "' and a 64-digit key)%s",
                         "");
    field(text, "name", name, sizeof name);
    set_name(key, name[0] ? name : "station");
    les_sign_fingerprint(key->pk, key->fingerprint);
    return LES_REC_OK;
}

les_rec_result les_sign_message(const les_sign_key *key, const void *msg, size_t len,
                                uint8_t sig[LES_SIGN_BYTES], sim_error *err)
{
    if (!key || !key->has_secret)
        return key_error(err, LES_REC_ERR_KEY, NULL, 0,
                         "no station secret key to sign with (a public key only)%s", "");
    crypto_sign_detached(sig, NULL, msg, len, key->sk);
    return LES_REC_OK;
}

bool les_sign_check(const uint8_t pk[LES_SIGN_PUBLIC_BYTES], const void *msg, size_t len,
                    const uint8_t sig[LES_SIGN_BYTES])
{
    return crypto_sign_verify_detached(sig, msg, len, pk) == 0;
}
