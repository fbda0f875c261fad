/* les_db_schema.c: the records database's schema and its migrations.
 *
 * Each schema version is one step in LES_DB_STEPS: SQL (and optionally a
 * function for data changes) that turns version N-1 into N. Opening a file
 * runs every missing step in one IMMEDIATE transaction and then sets
 * PRAGMA user_version, so a crash, a full disk or a failing step leaves
 * the file exactly as it was. To change the schema: append a step with
 * to_version = LES_DB_SCHEMA_VERSION + 1, bump LES_DB_SCHEMA_VERSION, and
 * extend records_db_test.c's per-version fixtures (it migrates a database
 * created at every earlier version). Never edit a released step.
 *
 * Threads: as les_db.h.
 */
#include "les_db_internal.h"

#include <stdio.h>

/* Version 1: the first schema. Times are Unix microseconds; hashes are
 * lowercase hex; a lesson is stored once per canonical hash with the full
 * text it was parsed from. */
static const char SCHEMA_V1[] =
    "CREATE TABLE stations ("
    "  id INTEGER PRIMARY KEY,"
    "  public_key BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),"
    "  fingerprint TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  added_us INTEGER NOT NULL);"
    "CREATE TABLE trainees ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL DEFAULT '',"
    "  registered INTEGER NOT NULL DEFAULT 0,"   /* by an instructor (exams need it) */
    "  added_us INTEGER NOT NULL);"
    "CREATE TABLE instructors ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL DEFAULT '',"
    "  added_us INTEGER NOT NULL);"
    "CREATE TABLE lessons ("
    "  hash TEXT PRIMARY KEY CHECK (length(hash) = 64),"
    "  lesson_id TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  text BLOB NOT NULL,"
    "  added_us INTEGER NOT NULL);"
    "CREATE TABLE attempts ("
    "  id INTEGER PRIMARY KEY,"
    "  uid TEXT NOT NULL UNIQUE,"
    "  trainee_id INTEGER NOT NULL REFERENCES trainees(id),"
    "  instructor_id INTEGER REFERENCES instructors(id),"
    "  station_id INTEGER REFERENCES stations(id),"
    "  lesson_hash TEXT NOT NULL REFERENCES lessons(hash),"
    "  mode TEXT NOT NULL CHECK (mode IN ('practice', 'exam')),"
    "  session INTEGER NOT NULL,"
    "  started_us INTEGER NOT NULL,"
    "  ended_us INTEGER,"
    "  time_limit_s INTEGER NOT NULL DEFAULT 0,"
    "  outcome TEXT NOT NULL CHECK (outcome IN"
    "    ('recording', 'finished', 'timed_out', 'interrupted', 'abandoned')),"
    "  score REAL,"
    "  passed INTEGER,"
    "  scores_json TEXT,"
    "  app_version TEXT NOT NULL,"
    "  sim_version INTEGER NOT NULL,"
    "  trace BLOB,"
    "  trace_sha256 TEXT,"
    "  trace_samples INTEGER NOT NULL DEFAULT 0,"
    "  journal TEXT,"                             /* file under <db>.traces while recording */
    "  host TEXT NOT NULL DEFAULT '',"
    "  pid INTEGER NOT NULL DEFAULT 0,"
    "  record TEXT,"                              /* the signed canonical record */
    "  signature BLOB CHECK (signature IS NULL OR length(signature) = 64));"
    "CREATE INDEX attempts_by_trainee ON attempts(trainee_id, started_us);"
    "CREATE INDEX attempts_by_lesson ON attempts(lesson_hash, started_us);"
    "CREATE INDEX attempts_by_outcome ON attempts(outcome);"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at_us INTEGER NOT NULL,"
    "  event TEXT NOT NULL,"
    "  attempt_uid TEXT,"
    "  detail TEXT NOT NULL DEFAULT '',"
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL);"
    "CREATE TABLE bundle ("                       /* only in export bundles */
    "  id INTEGER PRIMARY KEY,"
    "  manifest TEXT NOT NULL,"
    "  station_key BLOB NOT NULL CHECK (length(station_key) = 32),"
    "  signature BLOB NOT NULL CHECK (length(signature) = 64));";

/* Version 2: trusted stations (les_db.h, "Trusted stations"). No station
 * of an older file is trusted: the station that opens it with its key
 * trusts itself (trust_own_station, run by version 3 once audit events can
 * be sealed); any other is trusted explicitly. */
static const char SCHEMA_V2[] =
    "ALTER TABLE stations ADD COLUMN trusted INTEGER NOT NULL DEFAULT 0;";

static les_rec_result trust_own_station(les_db *db, sim_error *err)
{
    if (!db->key)
        return LES_REC_OK;
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(db, "SELECT name FROM stations WHERE public_key = ?", &st,
                                       err, "cannot migrate the stations");
    if (r != LES_REC_OK)
        return r;
    sqlite3_bind_blob(st, 1, db->key->pk, LES_SIGN_PUBLIC_BYTES, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return LES_REC_OK;   /* it never signed here: it trusts itself when it does */
    if (rc != SQLITE_ROW)
        return les__db_fail(db, rc, err, "cannot migrate the stations");
    return les__db_station_trust(db, db->key->pk, db->key->name, true,
                                 "the station that signs here trusts itself", NULL, err);
}

/* Version 3: sealed audit events (les_db_audit.c): the sealing station's
 * public key and its signature of the event's hash. Older events stay
 * unsealed; the migration's events, sealed by the station that opens the
 * file with its key, seal them all through the chain. */
static const char SCHEMA_V3[] =
    "ALTER TABLE audit ADD COLUMN signer BLOB CHECK (signer IS NULL OR length(signer) = 32);"
    "ALTER TABLE audit ADD COLUMN seal BLOB CHECK (seal IS NULL OR length(seal) = 64);";

static const les__db_step LES_DB_STEPS[] = {
    {1, SCHEMA_V1, NULL},
    {2, SCHEMA_V2, NULL},
    {3, SCHEMA_V3, trust_own_station},
};

const les__db_step *les__db_steps(size_t *count)
{
    *count = sizeof LES_DB_STEPS / sizeof LES_DB_STEPS[0];
    return LES_DB_STEPS;
}

/* True when the file holds tables but was never a Stipple database. */
static les_rec_result foreign_tables(les_db *db, int version, bool *foreign, sim_error *err)
{
    *foreign = false;
    if (version != 0)
        return LES_REC_OK;
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(db, "SELECT count(*) FROM sqlite_schema", &st, err,
                                       "cannot read the records database");
    if (r != LES_REC_OK)
        return r;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *foreign = sqlite3_column_int(st, 0) > 0;
    else
        r = les__db_fail(db, rc, err, "cannot read the records database");
    sqlite3_finalize(st);
    return r;
}

static les_rec_result migrate_locked(les_db *db, const les__db_step *steps, size_t count,
                                     int target, int *from, sim_error *err)
{
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(db, "PRAGMA user_version", &st, err,
                                       "cannot read the schema version");
    if (r != LES_REC_OK)
        return r;
    int rc = sqlite3_step(st);
    int version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return les__db_fail(db, rc, err, "cannot read the schema version");
    *from = version;
    if (version > target)
        return les__db_error(db, LES_REC_ERR_SCHEMA, err,
                             "%s has schema version %d; this Stipple knows up to %d: use a newer "
                             "Stipple",
                             db->path, version, target);
    bool foreign;
    r = foreign_tables(db, version, &foreign, err);
    if (r == LES_REC_OK && foreign)
        r = les__db_error(db, LES_REC_ERR_CORRUPT, err,
                          "%s holds tables but is not a Stipple records database", db->path);
    for (size_t i = 0; r == LES_REC_OK && i < count; i++) {
        const les__db_step *s = &steps[i];
        if (s->to_version <= version || s->to_version > target)
            continue;
        char what[96];
        snprintf(what, sizeof what, "cannot migrate the records database to version %d",
                 s->to_version);
        if (s->sql)
            r = les__db_exec(db, s->sql, err, what);
        if (r == LES_REC_OK && s->fn)
            r = s->fn(db, err);
    }
    if (r != LES_REC_OK)
        return r;
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d; PRAGMA application_id=%d", target,
             LES_DB_APPLICATION_ID);
    r = les__db_exec(db, sql, err, "cannot record the schema version");
    if (r == LES_REC_OK) {
        char detail[96];
        if (version == 0)
            snprintf(detail, sizeof detail, "created at schema version %d", target);
        else
            snprintf(detail, sizeof detail, "migrated from schema version %d to %d", version,
                     target);
        r = les__db_audit(db, version == 0 ? "created" : "migrated", NULL, detail, err);
    }
    return r;
}

les_rec_result les__db_migrate(les_db *db, const les__db_step *steps, size_t count, int target,
                               sim_error *err)
{
    les_rec_result r = les__db_begin(db, err, "cannot create or migrate the records database");
    if (r != LES_REC_OK)
        return r;
    int from = 0;
    r = migrate_locked(db, steps, count, target, &from, err);
    if (r == LES_REC_OK)
        r = les__db_commit(db, err, "cannot create or migrate the records database");
    else
        les__db_rollback(db);
    return r;
}
