/* les_db_verify.h: checking a records database, and moving attempts
 * between stations as signed bundles.
 *
 * Verification (`stipple records verify`) checks, for every attempt:
 *  - signature: the stored record verifies under the station's public key,
 *    and that station is trusted: one of the trust list's keys or the
 *    database's own key (les_db_desc.key) when a list is given, else a
 *    station this database trusts (les_db.h, "Trusted stations");
 *  - record:    each column (trainee, lesson, mode, times, outcome, score,
 *               versions...) still says what the signed record says;
 *  - trace:     the trace's SHA-256 is the signed one;
 *  - scores:    the scores JSON's SHA-256 is the signed one;
 *  - lesson:    the stored lesson text still hashes to the attempt's lesson
 *               hash (parsed, canonical form);
 *  - regrade:   the database's grader, run on the stored trace and lesson,
 *               reproduces the stored scores JSON byte for byte;
 * and for the database: the audit chain is unbroken and every attempt the
 * audit log saw begin still exists. Each problem names the attempt and
 * what is wrong; verification goes on to the end.
 *
 * Bundles: an export is itself a records database (single file, rollback
 * journal) holding the chosen attempts with their lessons, trainees,
 * instructors and stations, plus a manifest listing every attempt's uid
 * and record hash, signed by the exporting station. Another station or the
 * certifying body verifies it offline with `stipple records verify --db
 * BUNDLE --trust PUB` (a bundle carries no trust of its own); import
 * requires every station the bundle is signed with to be trusted, then
 * verifies it and refuses it when anything fails.
 *
 * Threads: as les_db.h.
 */
#ifndef LES_DB_VERIFY_H
#define LES_DB_VERIFY_H

#include "les_db.h"
#include "les_sign.h"

typedef struct les_db_problem {
    int64_t attempt_id;          /* 0 for database-wide problems */
    char uid[33];                /* "" for database-wide problems */
    const char *check;           /* "signature", "record", "trace", "scores",
                                    "lesson", "regrade", "audit", "bundle" */
    char message[768];
} les_db_problem;

typedef struct les_db_verify_desc {
    const int64_t *ids;          /* attempts to check; NULL = all */
    size_t id_count;
    const les_sign_key *trusted; /* public keys (with the database's own key, the
                                    only trusted stations); NULL = the stations
                                    this database trusts */
    size_t trusted_count;
    bool regrade;                /* re-grade with the database's grader */
    void (*on_problem)(void *ctx, const les_db_problem *p);
    void (*on_progress)(void *ctx, size_t done, size_t total);
    void *ctx;
} les_db_verify_desc;

typedef struct les_db_verify_summary {
    size_t attempts;             /* checked */
    size_t failed;               /* with at least one problem */
    size_t unsigned_count;       /* never signed (practice without a key, still recording) */
    size_t regraded;
    size_t problems;             /* all problems, database-wide ones included */
    bool unanchored;             /* no trust list and no station key: the stations
                                    trusted are those the database vouches for */
} les_db_verify_summary;

/* LES_REC_OK when the checks ran (look at summary->problems); an error only
 * when the database itself could not be read. */
les_rec_result les_db_verify(les_db *db, const les_db_verify_desc *desc,
                             les_db_verify_summary *summary, sim_error *err);

/* Writes a bundle at `path` (which must not exist) holding the attempts
 * matching `filter` that are signed, and signs its manifest with `key`.
 * *count gets how many attempts went in. */
les_rec_result les_db_export(les_db *db, const les_db_filter *filter, const char *path,
                             const les_sign_key *key, size_t *count, sim_error *err);
/* Imports the bundle at `path`. Every station it is signed with (the
 * manifest's and each attempt's) must be one of `trusted` or trusted by db
 * (les_db.h, "Trusted stations"); otherwise ERR_UNTRUSTED, each such
 * station reported, and err says how to trust it. Then it verifies the
 * bundle (every check above but the re-grade, and the manifest's
 * signature) and, when everything holds, adds its attempts (and their
 * lessons, trainees, instructors, stations) to db in one transaction, and
 * trusts in db the `trusted` keys the bundle is signed with. Attempts
 * already present (same uid, same record) are skipped; the same uid with
 * another record is ERR_CONFLICT. Problems go to on_problem; any problem
 * makes it ERR_SIGNATURE with nothing imported. db must be opened with
 * the station's secret key (les_db_desc.key), which seals the imported
 * attempts' audit events: ERR_KEY otherwise. *imported and *skipped may be
 * NULL. */
les_rec_result les_db_import(les_db *db, const char *path, const les_sign_key *trusted,
                             size_t trusted_count,
                             void (*on_problem)(void *ctx, const les_db_problem *p),
                             void *ctx, size_t *imported, size_t *skipped, sim_error *err);

#endif /* LES_DB_VERIFY_H */
