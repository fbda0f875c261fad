/* les_db.h: the records database (DESIGN.md section 7): trainees,
 * instructors, stations, lessons by canonical hash, attempts with their
 * traces, scores and signatures, and an audit log. docs/records.md is the
 * user's guide; this header is the module's documentation.
 *
 * Storage: one SQLite file in WAL mode with foreign keys on and
 * synchronous=FULL. The schema is versioned (PRAGMA user_version, see
 * LES_DB_SCHEMA_VERSION); opening an older file migrates it step by step in
 * one transaction (les_db_schema.c); a newer file is refused. A trace being
 * recorded is journalled to "<db>.traces/<uid>.trace" and moved into the
 * database when the attempt ends (les_db_record.h); les_db_recover turns
 * what a crash left behind into interrupted attempts.
 *
 * Two processes may use one database (a station recording, a reviewer
 * listing): every writer waits up to busy_timeout_ms for the other, then
 * fails with LES_REC_ERR_BUSY and changes nothing.
 *
 * Errors: every call that can fail returns an les_rec_result and fills the
 * caller's sim_error (code = the les_rec_result, file = the database or
 * journal, sys_errno = the SQLite extended code or errno, message = one
 * sentence saying what happened and what was kept). Nothing here asserts,
 * aborts or exits on anything a file or the database holds.
 *
 * Names: les_db_* (database), les_sign_* (les_sign.h), les_report_*
 * (les_report.h); result codes LES_REC_* cover all of them (the "records"
 * part of the lessons module).
 *
 * Ownership: the caller owns an les_db (les_db_open / les_db_close); strings
 * returned through pointers are sim_malloc'd and the caller sim_frees them.
 * Threads: one les_db belongs to one thread at a time; use one les_db per
 * thread or process.
 */
#ifndef LES_DB_H
#define LES_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_base.h"

/* ---------------------------------------------------------------------------
 * Result codes (records, signatures, reports)
 * ------------------------------------------------------------------------- */
#define LES_REC_RESULT_MAP(X)                                                 \
    X(OK, "ok")                                                               \
    X(ERR_ARG, "invalid argument")                                            \
    X(ERR_NOMEM, "out of memory")                                             \
    X(ERR_IO, "input/output error")                                           \
    X(ERR_FULL, "the disk is full")                                           \
    X(ERR_READONLY, "the records database is read-only")                      \
    X(ERR_BUSY, "the records database is locked by another process")          \
    X(ERR_CORRUPT, "the file is damaged or not a Stipple records database")   \
    X(ERR_SCHEMA, "the records database was made by a newer Stipple")         \
    X(ERR_NOTFOUND, "no such record")                                         \
    X(ERR_CONFLICT, "a different record with the same identity exists")       \
    X(ERR_INPUT, "bad input")                                                 \
    X(ERR_KEY, "the station key cannot be used")                              \
    X(ERR_SIGNATURE, "a signature does not verify")                           \
    X(ERR_UNTRUSTED, "the signing station is not trusted")                    \
    X(ERR_TIME_UP, "the exam's time limit is reached")                        \
    X(ERR_STATE, "the attempt is not being recorded")

typedef enum les_rec_result {
#define LES_REC__ENUM(name, msg) LES_REC_##name,
    LES_REC_RESULT_MAP(LES_REC__ENUM)
#undef LES_REC__ENUM
    LES_REC_RESULT_COUNT
} les_rec_result;

/* "LES_REC_ERR_BUSY" etc.; never NULL. */
const char *les_rec_result_name(les_rec_result r);
const char *les_rec_result_message(les_rec_result r);

/* ---------------------------------------------------------------------------
 * Vocabulary
 * ------------------------------------------------------------------------- */
typedef enum les_mode { LES_MODE_PRACTICE = 0, LES_MODE_EXAM = 1 } les_mode;

/* What the simulator offers in a mode. Exams switch off everything that
 * would help: hints, the healed preview and undo. */
typedef struct les_mode_rules {
    bool hints;
    bool healed_preview;
    bool undo;
    bool needs_pinned_lesson;    /* the lesson is given by its hash */
    bool needs_known_trainee;    /* the trainee must be registered */
    bool signs;                  /* the attempt is signed when it ends */
} les_mode_rules;

les_mode_rules les_mode_rules_for(les_mode mode);

typedef enum les_outcome {
    LES_OUTCOME_RECORDING = 0,   /* in progress (or crashed: see les_db_recover) */
    LES_OUTCOME_FINISHED,        /* the trainee finished */
    LES_OUTCOME_TIMED_OUT,       /* the time limit ended it */
    LES_OUTCOME_INTERRUPTED,     /* recovered after a crash or power cut */
    LES_OUTCOME_ABANDONED,       /* stopped without finishing */
    LES_OUTCOME_COUNT
} les_outcome;

/* "practice"/"exam", "recording"/"finished"/...: the words the database and
 * the command line use. Parsing returns false on an unknown word. */
const char *les_mode_name(les_mode m);
bool les_mode_parse(const char *s, les_mode *out);
const char *les_outcome_name(les_outcome o);
bool les_outcome_parse(const char *s, les_outcome *out);

/* ---------------------------------------------------------------------------
 * The grader, passed in by the application
 *
 * Grading is the application's pipeline (lesson -> surface -> impressions ->
 * healed dots -> grade, app_session.h); the records module calls it through
 * this hook when an attempt ends, when a crashed one is recovered and when
 * `verify` re-grades. `json` must be exactly the grade's JSON object (no
 * trailing newline) so a re-grade compares byte for byte.
 * ------------------------------------------------------------------------- */
typedef struct les_db_grade {
    char *json;                  /* sim_malloc'd; the records module frees it */
    double score;
    bool passed;
} les_db_grade;

typedef struct les_db_grader {
    /* Returns 0 and fills *out, or nonzero with err filled (a trace that
     * cannot be read, a lesson that no longer parses). */
    int (*grade)(void *ctx, const char *lesson_text, size_t lesson_len,
                 const uint8_t *trace, size_t trace_size, les_db_grade *out,
                 sim_error *err);
    void *ctx;
} les_db_grader;

/* ---------------------------------------------------------------------------
 * Opening
 * ------------------------------------------------------------------------- */
#define LES_DB_SCHEMA_VERSION 3
#define LES_DB_APPLICATION_ID 0x53545052   /* "STPR" in PRAGMA application_id */
#define LES_DB_PATH_MAX 1024

typedef struct les_db_desc {
    const char *path;            /* required */
    bool read_only;              /* never write: no creation, migration or recovery */
    bool single_file;            /* rollback journal instead of WAL (bundles) */
    bool must_create;            /* fail with ERR_CONFLICT when the file exists */
    int busy_timeout_ms;         /* 0 = 5000; < 0 = fail at once when locked */
    const char *vfs;             /* testing: a registered SQLite VFS; NULL = default */
    les_db_grader grader;        /* optional; without it attempts end ungraded */
    const char *app_version;     /* STIPPLE_VERSION, stored with attempts; NULL = "?" */
    /* This station's key (borrowed; NULL = none). Its public key is always
     * trusted here: verify and import treat it as a trusted station. */
    const struct les_sign_key *key;
} les_db_desc;

typedef struct les_db {
    struct sqlite3 *sql;
    char path[LES_DB_PATH_MAX];
    char traces_dir[LES_DB_PATH_MAX + 16];   /* "<path>.traces" */
    bool read_only;              /* asked for, or an export bundle (never changed) */
    bool read_only_file;         /* the file or its folder refuses writes */
    int busy_timeout_ms;
    les_db_grader grader;
    char app_version[32];
    const struct les_sign_key *key;   /* borrowed from les_db_desc; NULL = none */
} les_db;

/* Opens (creating when missing, unless read_only) and migrates to
 * LES_DB_SCHEMA_VERSION. On failure the db is closed and err says why:
 * ERR_CORRUPT (not a database, or another application's), ERR_SCHEMA (a
 * newer schema), ERR_BUSY, ERR_READONLY (needs creating or migrating but
 * cannot be written), ERR_IO, ERR_NOMEM. A file that cannot be written is
 * opened read-only (db->read_only_file) when it is already current; an
 * export bundle always opens read-only (it is signed as it is). */
les_rec_result les_db_open(les_db *db, const les_db_desc *desc, sim_error *err);
/* NULL-safe; closes and zeroes. */
void les_db_close(les_db *db);
/* The schema version of the open file. */
int les_db_schema_version(les_db *db);
/* ERR_READONLY with a clear message when the database cannot be written
 * (the check every writer makes first). */
les_rec_result les_db_require_writable(les_db *db, const char *what, sim_error *err);

/* ---------------------------------------------------------------------------
 * People, stations and lessons
 * ------------------------------------------------------------------------- */
#define LES_DB_CODE_MAX 64

/* A trainee's or instructor's code: 1..64 characters of [A-Za-z0-9._@+-]. */
bool les_db_code_valid(const char *code);

/* Registers a trainee (exams need a registered trainee). ERR_CONFLICT when
 * the code exists with another name; adding the same twice is OK. */
les_rec_result les_db_trainee_add(les_db *db, const char *code, const char *name,
                                  sim_error *err);
les_rec_result les_db_instructor_add(les_db *db, const char *code, const char *name,
                                     sim_error *err);
/* Stores a lesson's full text under its canonical hash (64 lowercase hex;
 * the caller parsed the text and knows the hash). Adding it again is OK:
 * texts with one canonical hash are one lesson, and the first text stays
 * (verify re-parses it and checks its hash). */
les_rec_result les_db_lesson_add(les_db *db, const char *hash_hex, const char *lesson_id,
                                 const char *title, int version, const char *text,
                                 size_t len, sim_error *err);
/* The stored text of a lesson (sim_malloc'd, NUL-terminated). `hash` is
 * the whole hash or an unambiguous prefix of at least 8 hex digits; the
 * full hash is written to hash_out (65 bytes) when not NULL. */
les_rec_result les_db_lesson_text(les_db *db, const char *hash, char **text, size_t *len,
                                  char *hash_out, sim_error *err);

/* ---------------------------------------------------------------------------
 * Trusted stations
 *
 * A signature proves which key signed, not whose key it is. The database
 * opened with a station's key (les_db_desc.key) trusts that key; the
 * station trusts itself in the log the first time it signs here; any other
 * station is trusted explicitly, by les_db_trust_add (`stipple records
 * trust add PUB`) or by importing with its key given (les_db_import's
 * `trusted`). Each change is a station_trusted / station_untrusted audit
 * event sealed by this station's key (so both need the secret key:
 * ERR_KEY without it), and sets the station's `trusted` flag. Verify and
 * import trust a station only when a trusted station's sealed event
 * trusted it (les_db_audit.c); a flag without one is reported. Import
 * refuses a bundle signed by a station that is neither given nor trusted;
 * verify reports every attempt signed by a station it does not trust.
 * ------------------------------------------------------------------------- */
/* Trusts the station whose public key is `station` (adding its row when
 * new, named after the key's name). Trusting it again is OK. ERR_KEY when
 * the database was not opened with a secret key (it seals the change). */
les_rec_result les_db_trust_add(les_db *db, const struct les_sign_key *station, sim_error *err);
/* Stops trusting it (ERR_NOTFOUND when the database has no such station).
 * Its attempts stay; verify then reports them as signed by an untrusted
 * station. */
les_rec_result les_db_trust_remove(les_db *db, const struct les_sign_key *station,
                                   sim_error *err);

typedef struct les_db_station_info {
    uint8_t public_key[32];
    char fingerprint[33];
    char name[128];
    bool trusted;                /* the flag (see above) */
    bool is_this_station;        /* the key the database was opened with */
    int64_t added_us;
    int64_t attempts;            /* attempts it signed here */
} les_db_station_info;

typedef int (*les_db_station_fn)(void *ctx, const les_db_station_info *info);
/* Every station the database knows, oldest first. */
les_rec_result les_db_stations(les_db *db, les_db_station_fn fn, void *ctx, sim_error *err);

/* ---------------------------------------------------------------------------
 * Reading attempts
 * ------------------------------------------------------------------------- */
typedef struct les_db_attempt_info {
    int64_t id;                  /* this database's row id */
    char uid[33];                /* globally unique (hex), kept across export/import */
    char trainee[LES_DB_CODE_MAX + 1];
    char trainee_name[128];      /* "" when not registered with a name */
    char instructor[LES_DB_CODE_MAX + 1];    /* "" when none */
    char lesson_hash[65];
    char lesson_id[128];
    char lesson_title[256];
    les_mode mode;
    int64_t session;             /* the trainee's n-th attempt at this lesson here */
    int64_t started_us, ended_us;            /* Unix microseconds; ended 0 while recording */
    int64_t time_limit_s;        /* 0 = none */
    les_outcome outcome;
    bool graded;
    double score;
    bool passed;
    bool is_signed;
    char station[33];            /* the signing station's key fingerprint, "" unsigned */
    char station_name[128];
    char app_version[32];
    int sim_version;
    uint64_t trace_samples;
    int64_t trace_bytes;
} les_db_attempt_info;

typedef struct les_db_filter {
    const char *trainee;         /* exact code; NULL = any */
    const char *lesson;          /* lesson id, or a hash prefix (>= 8 hex); NULL = any */
    int mode;                    /* -1 = any, else an les_mode */
    int64_t since_us, until_us;  /* started in [since, until); 0 = unbounded */
    int outcome;                 /* -1 = any, else an les_outcome */
} les_db_filter;

/* A filter that matches everything. */
les_db_filter les_db_filter_all(void);

typedef int (*les_db_attempt_fn)(void *ctx, const les_db_attempt_info *info);

/* Calls fn for every matching attempt, oldest first; stops early when fn
 * returns nonzero. */
les_rec_result les_db_list(les_db *db, const les_db_filter *f, les_db_attempt_fn fn, void *ctx,
                           sim_error *err);
/* One attempt by row id ("42") or uid prefix (>= 6 hex digits, unambiguous). */
les_rec_result les_db_get(les_db *db, const char *ref, les_db_attempt_info *info,
                          sim_error *err);

/* An attempt's stored data (each out pointer may be NULL; every non-NULL
 * result is sim_malloc'd and NUL-terminated). The scores JSON is NULL for
 * an ungraded attempt, the trace NULL while recording. */
typedef struct les_db_attempt_data {
    char *scores_json;
    uint8_t *trace;
    size_t trace_size;
    char *lesson_text;
    size_t lesson_len;
    char *record;                /* the signed record (canonical JSON), NULL unsigned */
    uint8_t signature[64];
    uint8_t station_key[32];
} les_db_attempt_data;

les_rec_result les_db_attempt_load(les_db *db, int64_t id, les_db_attempt_data *data,
                                   sim_error *err);
void les_db_attempt_data_free(les_db_attempt_data *data);

/* Scores over time: one call per (attempt, metric) for the trainee's graded
 * attempts, oldest first, metrics by name ("total" first, then every key of
 * the grade's "metrics" object). */
typedef int (*les_db_history_fn)(void *ctx, const les_db_attempt_info *info,
                                 const char *metric, double score);
les_rec_result les_db_history(les_db *db, const char *trainee, const char *lesson,
                              les_db_history_fn fn, void *ctx, sim_error *err);

/* ---------------------------------------------------------------------------
 * Audit log: every change appends an event; each event's hash covers the
 * previous one's, so an edited or removed event breaks the chain, and an
 * event written with a station key is sealed by it (les_db_audit.c), so a
 * chain recomputed without a trusted key fails verify.
 * ------------------------------------------------------------------------- */
typedef struct les_db_audit_event {
    int64_t id;
    int64_t at_us;
    char event[32];
    char attempt_uid[33];
    char detail[512];
} les_db_audit_event;

typedef int (*les_db_audit_fn)(void *ctx, const les_db_audit_event *ev);
les_rec_result les_db_audit_list(les_db *db, const char *attempt_uid, les_db_audit_fn fn,
                                 void *ctx, sim_error *err);

#endif /* LES_DB_H */
