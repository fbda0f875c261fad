/* les_db_internal.h: helpers shared by the records files (les_db*.c,
 * les_sign.c); not a public API (names carry the `les__` prefix). Tests
 * include it for the migration machinery and the record builder.
 *
 * Threads: as les_db.h.
 */
#ifndef LES_DB_INTERNAL_H
#define LES_DB_INTERNAL_H

#include <sqlite3.h>

#include "les_db.h"
#include "les_db_record.h"
#include "les_sign.h"

/* ---------------------------------------------------------------------------
 * Errors and statements (les_db.c)
 * ------------------------------------------------------------------------- */
/* Maps a SQLite result to an les_rec_result and fills err with "<what>:
 * <reason>", the reason in words a station's user can act on (locked by
 * another process, read-only, disk full, damaged). Returns the result. */
les_rec_result les__db_fail(les_db *db, int rc, sim_error *err, const char *what);
/* Fills err and returns code, file = the database. */
les_rec_result les__db_error(les_db *db, les_rec_result code, sim_error *err,
                             const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* snprintf for messages and paths where cutting a long value short is
 * intended (a message stays one readable line). */
void les__fmt(char *buf, size_t size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Prepares one statement; on failure fills err (what = `what`). */
les_rec_result les__db_prepare(les_db *db, const char *sql, sqlite3_stmt **st,
                               sim_error *err, const char *what);
/* Runs SQL that returns no rows (several statements allowed). */
les_rec_result les__db_exec(les_db *db, const char *sql, sim_error *err, const char *what);
/* BEGIN IMMEDIATE (takes the write lock now, waiting up to the busy
 * timeout), COMMIT, ROLLBACK (never fails visibly). */
les_rec_result les__db_begin(les_db *db, sim_error *err, const char *what);
les_rec_result les__db_commit(les_db *db, sim_error *err, const char *what);
void les__db_rollback(les_db *db);
/* A column as a C string ("" for NULL) copied into buf. */
void les__db_text(sqlite3_stmt *st, int col, char *buf, size_t size);
/* A NUL-terminated sim_malloc'd copy of a text or blob column (NULL for SQL
 * NULL); *len gets its length when not NULL. ERR_NOMEM via *oom. */
char *les__db_dup(sqlite3_stmt *st, int col, size_t *len, bool *oom);

/* ---------------------------------------------------------------------------
 * Time and randomness
 * ------------------------------------------------------------------------- */
int64_t les__now_us(void);        /* wall clock, Unix microseconds */
int64_t les__mono_us(void);       /* monotonic clock, microseconds */
/* 16 random bytes as 32 hex digits (libsodium). */
void les__random_uid(char out[33]);
bool les__is_hex(const char *s, size_t min_len, size_t max_len);

/* ---------------------------------------------------------------------------
 * Schema and migrations (les_db_schema.c)
 * ------------------------------------------------------------------------- */
typedef struct les__db_step {
    int to_version;              /* the version this step produces */
    const char *sql;             /* run first (may be NULL) */
    /* then this, for data changes SQL cannot express (may be NULL) */
    les_rec_result (*fn)(les_db *db, sim_error *err);
} les__db_step;

/* The real steps, version 1 first. */
const les__db_step *les__db_steps(size_t *count);
/* Migrates the open database from its user_version to `target` using
 * steps[0..count) in one transaction: all steps or none. ERR_SCHEMA when
 * the file is newer than target; ERR_CORRUPT when it is another
 * application's database. */
les_rec_result les__db_migrate(les_db *db, const les__db_step *steps, size_t count,
                               int target, sim_error *err);

/* ---------------------------------------------------------------------------
 * Rows (les_db_people.c, les_db_query.c)
 * ------------------------------------------------------------------------- */
/* Id of a trainee by code; with create, inserts an unregistered one. 0 and
 * ERR_NOTFOUND when missing. */
les_rec_result les__db_trainee_id(les_db *db, const char *code, bool create,
                                  bool must_be_registered, int64_t *id, sim_error *err);
les_rec_result les__db_instructor_id(les_db *db, const char *code, int64_t *id,
                                     sim_error *err);
/* Stores a lesson inside the caller's transaction (les_db_lesson_add). */
les_rec_result les__db_lesson_put(les_db *db, const char *hash, const char *lesson_id,
                                  const char *title, int version, const char *text, size_t len,
                                  sim_error *err);
/* Id of the station with this key, inserting it when new. The key signs
 * here, so its station trusts itself (les__db_station_trust). */
les_rec_result les__db_station_id(les_db *db, const les_sign_key *key, int64_t *id,
                                  sim_error *err);
/* Sets a station's trusted flag inside the caller's transaction, adding
 * its row (named `name`) when trusting a key the database does not know;
 * audits the change (station_trusted / station_untrusted, the detail
 * holding the key in hex and `why`), sealed by `by` (NULL = db->key). No
 * change, no event. ERR_NOTFOUND when distrusting an unknown key. */
les_rec_result les__db_station_trust(les_db *db, const uint8_t pk[32], const char *name,
                                     bool trusted, const char *why, const les_sign_key *by,
                                     sim_error *err);

/* The stations trusted here (les_db_audit.c explains how trust is read
 * from the sealed audit log). */
typedef struct les__trust {
    uint8_t (*keys)[32];         /* sim_malloc'd */
    size_t count, cap;
    bool from_list;              /* a caller's list (verify --trust), not the database's */
    bool anchored;               /* derived from this database's own key */
} les__trust;

/* With `list` (may hold no key, but not NULL): its keys and db->key.
 * Without: db->key and every station a trusted station's sealed
 * station_trusted event trusts (when db has no key, a station's seal on
 * its own trust event counts), less any a trusted station took back or
 * whose flag is cleared. */
les_rec_result les__db_trust(les_db *db, const les_sign_key *list, size_t n, les__trust *out,
                             sim_error *err);
bool les__trust_has(const les__trust *t, const uint8_t pk[32]);
void les__trust_deinit(les__trust *t);

/* The columns every attempt query selects (a, l, t, i, s aliases), in the
 * order les__db_row_info reads them. */
#define LES__ATTEMPT_COLUMNS                                                   \
    "a.id, a.uid, t.code, coalesce(i.code, ''), a.lesson_hash, l.lesson_id, "  \
    "l.title, a.mode, a.session, a.started_us, coalesce(a.ended_us, 0), "      \
    "a.time_limit_s, a.outcome, a.scores_json IS NOT NULL, coalesce(a.score, 0), " \
    "coalesce(a.passed, 0), a.signature IS NOT NULL, coalesce(s.fingerprint, ''), " \
    "coalesce(s.name, ''), a.app_version, a.sim_version, a.trace_samples, "    \
    "coalesce(length(a.trace), 0), t.name"
#define LES__ATTEMPT_FROM                                                      \
    " FROM attempts a JOIN trainees t ON t.id = a.trainee_id"                  \
    " JOIN lessons l ON l.hash = a.lesson_hash"                                \
    " LEFT JOIN instructors i ON i.id = a.instructor_id"                       \
    " LEFT JOIN stations s ON s.id = a.station_id"
void les__db_row_info(sqlite3_stmt *st, int first_col, les_db_attempt_info *info);
/* The WHERE clause of a filter (parameters ?1..?6) and its binder. */
#define LES__FILTER_WHERE                                                      \
    " WHERE (?1 IS NULL OR t.code = ?1)"                                       \
    " AND (?2 IS NULL OR l.lesson_id = ?2 OR (length(?2) >= 8 AND"             \
    "      substr(a.lesson_hash, 1, length(?2)) = lower(?2)))"                 \
    " AND (?3 IS NULL OR a.mode = ?3)"                                         \
    " AND (?4 = 0 OR a.started_us >= ?4)"                                      \
    " AND (?5 = 0 OR a.started_us < ?5)"                                       \
    " AND (?6 IS NULL OR a.outcome = ?6)"
void les__db_bind_filter(sqlite3_stmt *st, const les_db_filter *f);

/* Checks an export bundle's signed manifest against the attempts the file
 * holds (les_db_bundle.c). Reports through `report`; returns the number of
 * problems (0 when the file is not a bundle), -1 on a read error. */
long les__db_bundle_check(les_db *db, const les__trust *trust,
                          void (*report)(void *ctx, const char *uid, const char *message),
                          void *ctx, bool *is_bundle, sim_error *err);

/* ---------------------------------------------------------------------------
 * Audit (les_db_audit.c): call inside a write transaction.
 * ------------------------------------------------------------------------- */
/* Appends an event, sealed by db->key when it has one. */
les_rec_result les__db_audit(les_db *db, const char *event, const char *attempt_uid,
                             const char *detail, sim_error *err);
/* The same, sealed by `key` (NULL = db->key; a key without its secret
 * leaves the event unsealed). */
les_rec_result les__db_audit_as(les_db *db, const les_sign_key *key, const char *event,
                                const char *attempt_uid, const char *detail, sim_error *err);
/* Walks the chain; calls on_problem for every break, every seal that does
 * not verify, seals by stations not in `trust`, events about signed
 * attempts after the last trusted seal, stations flagged trusted that
 * `trust` does not hold, and attempts begun in the log but missing or
 * present without a beginning. Returns the number of problems (or -1 on a
 * read error, err filled). */
long les__db_audit_check(les_db *db, const les__trust *trust,
                         void (*on_problem)(void *ctx, const char *uid, const char *message),
                         void *ctx, sim_error *err);

/* ---------------------------------------------------------------------------
 * Signed records (les_db_sign_record.c)
 * ------------------------------------------------------------------------- */
/* The fields a signature covers, in the record's key order. */
typedef struct les__record {
    const char *uid;
    const char *station_key_hex;     /* 64 hex */
    const char *trainee;
    const char *instructor;          /* "" = none */
    const char *lesson_hash;
    const char *mode;
    int64_t session;
    int64_t started_us, ended_us, time_limit_s;
    const char *outcome;
    bool graded;
    double score;
    bool passed;
    const char *scores_sha256;       /* "" when ungraded */
    const char *trace_sha256;
    uint64_t trace_samples;
    const char *app_version;
    int sim_version;
} les__record;

/* The canonical record text (compact JSON, fixed key order; sim_malloc'd). */
char *les__record_json(const les__record *r);
/* Reads attempt `id`'s columns into the record text as it would be signed
 * now (sim_malloc'd into *text). */
les_rec_result les__db_record_text(les_db *db, int64_t id, char **text, sim_error *err);
/* Compares two flat JSON objects written by les__record_json key by key;
 * writes the first few differing keys with both values into out ("" when
 * equal). */
void les__record_diff(const char *signed_text, const char *current_text, char *out,
                      size_t size);
/* Signs attempt `id` as it stands (record + signature columns). */
les_rec_result les__db_sign_attempt(les_db *db, int64_t id, const les_sign_key *key,
                                    sim_error *err);

/* ---------------------------------------------------------------------------
 * Journals (les_db_journal.c)
 * ------------------------------------------------------------------------- */
typedef struct les__journal les__journal;

/* What a journal's first MAC record binds it to: the attempt's row. */
typedef struct les__journal_binding {
    const char *trainee;         /* code */
    const char *mode;            /* "practice" / "exam" */
    const char *lesson_hash;
    int64_t started_us;
    int64_t time_limit_s;
} les__journal_binding;

/* ERR_FULL, ERR_READONLY or ERR_IO for an errno (les_db.c). */
les_rec_result les__errno_result(int e);

/* Creates, locks and syncs "<traces>/<uid>.trace" with its header and,
 * with a secret key, "<uid>.mac" with its first record. On failure
 * nothing is left behind. */
les_rec_result les__journal_create(les__journal **out, les_db *db, const char *uid,
                                   const sim_trace_header *h, const les_sign_key *key,
                                   const les__journal_binding *binding, sim_error *err);
/* Writes s[0..n) as blocks (at most SIM_TRACE_BLOCK_MAX samples each),
 * each MAC record before its block; with sync, fsyncs both files.
 * *done = samples now on disk from s. On failure both files are cut back
 * to their last whole block and e (a sim_error, sys_errno set) says why;
 * the result is ERR_FULL, ERR_IO or ERR_NOMEM. */
les_rec_result les__journal_write(les__journal *j, const sim_sample *s, size_t n, bool sync,
                                  size_t *done, sim_error *e);
/* Samples on disk. */
uint64_t les__journal_samples(const les__journal *j);
/* The journal's bytes as written (sim_malloc'd), read through the
 * journal's own descriptor and checked against the hash of every byte
 * written: ERR_IO when they cannot be read or are not those bytes. */
les_rec_result les__journal_read_back(les__journal *j, les_db *db, uint8_t **out, size_t *size,
                                      sim_error *err);
/* Closes (releasing the lock) and frees; with remove, deletes both files.
 * NULL-safe. */
void les__journal_close(les__journal *j, bool remove);

/* What authenticating a journal found. */
typedef struct les__journal_check {
    bool authenticated;          /* the first record verifies: header and row are the station's */
    bool cut;                    /* the last record's block never reached the disk */
    bool refused;                /* bytes that fail their MAC or have none */
    size_t good_bytes;           /* the authenticated prefix: header and whole blocks */
    uint64_t good_samples;
    char note[400];              /* what was refused, or why nothing is authenticated */
} les__journal_check;

/* Checks a journal's bytes against its MAC file under `key` (with its
 * secret). */
void les__journal_authenticate(const uint8_t *bytes, size_t size, const uint8_t *macs,
                               size_t mac_size, const les_sign_key *key, const char *uid,
                               const les__journal_binding *binding, les__journal_check *out);

/* ---------------------------------------------------------------------------
 * Finishing an attempt (les_db_record.c, shared with recovery)
 * ------------------------------------------------------------------------- */
/* Encodes a header and samples a[0..na) then b[0..nb) as a trace file in
 * memory (one-second blocks; sim_malloc'd). ERR_NOMEM on failure. */
les_rec_result les__trace_encode(const sim_trace_header *h, const sim_sample *a, size_t na,
                                 const sim_sample *b, size_t nb, uint8_t **out, size_t *size);
/* Reads the whole file behind fd (from offset 0) into a sim_malloc'd buffer. */
les_rec_result les__read_bytes(int fd, uint8_t **out, size_t *size);
/* Grades the trace bytes with db->grader (before taking the write lock;
 * a grading failure is noted in `note`, not fatal), then in one
 * transaction stores the trace, the grade, outcome and end time, signs
 * the record with key (NULL = unsigned) and audits `event` with `detail`.
 * Only an attempt still "recording" is finished (ERR_STATE otherwise). */
les_rec_result les__db_finish_attempt(les_db *db, int64_t id, const uint8_t *trace,
                                      size_t trace_size, uint64_t samples,
                                      les_outcome outcome, int64_t ended_us,
                                      const les_sign_key *key, const char *event,
                                      const char *detail, char *note, size_t note_size,
                                      sim_error *err);

#endif /* LES_DB_INTERNAL_H */
