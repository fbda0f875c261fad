/* les_sign.h: the station key and Ed25519 signatures (libsodium
 * crypto_sign) for attempts and bundles.
 *
 * A station (one simulator install) has one key pair. The secret key is
 * generated on first use and stored in a file only its owner may read
 * (mode 0600, in a 0700 folder); loading refuses a file that others can
 * read or write, or that another user owns, as ssh does. The public key is
 * stored with every attempt the station signs and can be exported for the
 * certifying body (les_sign_write_public).
 *
 * Key file (text, so it survives e-mail and diff; the secret never appears
 * in any message or log):
 *
 *     stipple-station-key 1
 *     name <station name>
 *     seed <64 hex digits: the Ed25519 seed>
 *
 * Public key file:
 *
 *     stipple-station-public-key 1
 *     name <station name>
 *     key <64 hex digits>
 *     fingerprint <32 hex digits>
 *
 * Fingerprint: the first 16 bytes of SHA-256(public key), in hex; short
 * enough to read aloud, printed on certificates.
 *
 * Ownership: caller-owned les_sign_key; les_sign_key_deinit wipes it.
 * Threads: reentrant once les_sign_init has run (call it at start-up).
 */
#ifndef LES_SIGN_H
#define LES_SIGN_H

#include "les_db.h"

#define LES_SIGN_PUBLIC_BYTES 32
#define LES_SIGN_SECRET_BYTES 64
#define LES_SIGN_BYTES 64
#define LES_SIGN_NAME_MAX 63

typedef struct les_sign_key {
    uint8_t pk[LES_SIGN_PUBLIC_BYTES];
    uint8_t sk[LES_SIGN_SECRET_BYTES];   /* zero in a public-only key */
    bool has_secret;
    char name[LES_SIGN_NAME_MAX + 1];
    char fingerprint[33];
} les_sign_key;

/* Initialises libsodium (idempotent). ERR_KEY when it cannot start. */
les_rec_result les_sign_init(sim_error *err);

/* Loads the key at `path`; when the file does not exist and `create` is
 * set, generates one named `name` (NULL = the host name), writes it with
 * mode 0600 (creating the folder with 0700) and sets *created. ERR_KEY with
 * the reason (too-open permissions, another owner, a damaged file);
 * ERR_NOTFOUND when missing and not creating. */
les_rec_result les_sign_key_load(les_sign_key *key, const char *path, bool create,
                                 const char *name, bool *created, sim_error *err);
/* Wipes the secret. NULL-safe. */
void les_sign_key_deinit(les_sign_key *key);

/* Fingerprint of a public key (33 bytes out). */
void les_sign_fingerprint(const uint8_t pk[LES_SIGN_PUBLIC_BYTES], char out[33]);

/* Writes / reads a public key file. Reading gives a public-only key. */
les_rec_result les_sign_write_public(const les_sign_key *key, const char *path, sim_error *err);
les_rec_result les_sign_read_public(les_sign_key *key, const char *path, sim_error *err);
/* The public key file's text (sim_malloc'd), for printing. */
char *les_sign_public_text(const les_sign_key *key);

/* Detached signature of msg. ERR_KEY when the key has no secret. */
les_rec_result les_sign_message(const les_sign_key *key, const void *msg, size_t len,
                                uint8_t sig[LES_SIGN_BYTES], sim_error *err);
/* True when sig is pk's signature of msg. */
bool les_sign_check(const uint8_t pk[LES_SIGN_PUBLIC_BYTES], const void *msg, size_t len,
                    const uint8_t sig[LES_SIGN_BYTES]);

/* A signature's fingerprint: the first 16 bytes of SHA-256(signature) in
 * hex (printed on reports and certificates). */
void les_sign_signature_fingerprint(const uint8_t sig[LES_SIGN_BYTES], char out[33]);

/* SHA-256 of data as 64 lowercase hex digits (65 bytes out). */
void les_sha256_hex(const void *data, size_t len, char out[65]);
/* Lowercase hex of len bytes into out (2 * len + 1 bytes, NUL-terminated). */
void les_hex(const void *bin, size_t len, char *out);

#endif /* LES_SIGN_H */
