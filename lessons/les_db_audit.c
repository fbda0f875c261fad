/* les_db_audit.c: the audit log: an append-only chain of events (database
 * created or migrated, people and lessons added, attempts begun, ended,
 * recovered, imported, exported).
 *
 * Each event's hash is SHA-256(previous hash, "\n", the event as compact
 * JSON {id, at_us, event, attempt, detail}); the first event's previous
 * hash is 64 zeros. Editing or deleting an event breaks the chain, and an
 * attempt the log saw begin cannot disappear without verify noticing. (A
 * chain cannot prove its own tail was not cut: export bundles regularly.)
 *
 * Threads: as les_db.h.
 */
#include "les_db_internal.h"

#include <stdio.h>
#include <string.h>

#include "les_json.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Events that bring an attempt into a database. */
#define ARRIVAL_EVENTS "('begun', 'imported', 'bundled')"

static bool event_hash(const char *prev, int64_t id, int64_t at_us, const char *event,
                       const char *uid, const char *detail, char out[65])
{
    les_json j;
    les_json_init(&j, NULL, 0);
    les_json_begin_object(&j);
    les_json_kv_int(&j, "id", id);
    les_json_kv_int(&j, "at_us", at_us);
    les_json_kv_string(&j, "event", event);
    les_json_kv_string(&j, "attempt", uid);
    les_json_kv_string(&j, "detail", detail);
    les_json_end_object(&j);
    bool ok = les_json_finish(&j) == LES_OK;
    if (ok) {
        size_t len;
        const char *text = les_json_buffer(&j, &len);
        size_t plen = strlen(prev);
        char *buf = sim_malloc(plen + 1 + len);
        ok = buf != NULL;
        if (ok) {
            memcpy(buf, prev, plen);
            buf[plen] = '\n';
            memcpy(buf + plen + 1, text, len);
            les_sha256_hex(buf, plen + 1 + len, out);
            sim_free(buf);
        }
    }
    les_json_deinit(&j);
    return ok;
}

les_rec_result les__db_audit(les_db *db, const char *event, const char *uid, const char *detail,
                             sim_error *err)
{
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
                                       &st, err, "cannot write the audit log");
    if (r != LES_REC_OK)
        return r;
    char prev[65] = GENESIS;
    int64_t id = 1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0) + 1;
        les__db_text(st, 1, prev, sizeof prev);
    } else if (rc != SQLITE_DONE) {
        r = les__db_fail(db, rc, err, "cannot write the audit log");
    }
    sqlite3_finalize(st);
    if (r != LES_REC_OK)
        return r;
    int64_t at = les__now_us();
    char hash[65];
    if (!event_hash(prev, id, at, event, uid, detail ? detail : "", hash))
        return les__db_error(db, LES_REC_ERR_NOMEM, err, "out of memory writing the audit log");
    r = les__db_prepare(db,
                        "INSERT INTO audit(id, at_us, event, attempt_uid, detail, prev_hash, hash) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        &st, err, "cannot write the audit log");
    if (r != LES_REC_OK)
        return r;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, at);
    sqlite3_bind_text(st, 3, event, -1, SQLITE_STATIC);
    if (uid)
        sqlite3_bind_text(st, 4, uid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, detail ? detail : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, prev, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, hash, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? LES_REC_OK : les__db_fail(db, rc, err, "cannot write the audit log");
}

les_rec_result les_db_audit_list(les_db *db, const char *uid, les_db_audit_fn fn, void *ctx,
                                 sim_error *err)
{
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(
        db,
        "SELECT id, at_us, event, coalesce(attempt_uid, ''), detail FROM audit "
        "WHERE ?1 IS NULL OR attempt_uid = ?1 ORDER BY id",
        &st, err, "cannot read the audit log");
    if (r != LES_REC_OK)
        return r;
    if (uid)
        sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        les_db_audit_event ev;
        ev.id = sqlite3_column_int64(st, 0);
        ev.at_us = sqlite3_column_int64(st, 1);
        les__db_text(st, 2, ev.event, sizeof ev.event);
        les__db_text(st, 3, ev.attempt_uid, sizeof ev.attempt_uid);
        les__db_text(st, 4, ev.detail, sizeof ev.detail);
        if (fn(ctx, &ev) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        r = les__db_fail(db, rc, err, "cannot read the audit log");
    sqlite3_finalize(st);
    return r;
}

/* Walks the chain in id order. */
static long check_chain(les_db *db, void (*on_problem)(void *, const char *, const char *),
                        void *ctx, sim_error *err)
{
    sqlite3_stmt *st;
    if (les__db_prepare(db,
                        "SELECT id, at_us, event, attempt_uid, detail, prev_hash, hash FROM audit "
                        "ORDER BY id",
                        &st, err, "cannot read the audit log") != LES_REC_OK)
        return -1;
    long problems = 0;
    char expect_prev[65] = GENESIS;
    int64_t expect_id = 1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        char event[64], uid[80], prev[80], hash[80], *detail;
        les__db_text(st, 2, event, sizeof event);
        les__db_text(st, 3, uid, sizeof uid);
        les__db_text(st, 5, prev, sizeof prev);
        les__db_text(st, 6, hash, sizeof hash);
        bool oom = false;
        detail = les__db_dup(st, 4, NULL, &oom);
        char msg[512], again[65];
        const char *uid_arg = sqlite3_column_type(st, 3) == SQLITE_NULL ? NULL : uid;
        bool hashed = event_hash(prev, id, sqlite3_column_int64(st, 1), event, uid_arg,
                                 detail ? detail : "", again);
        sim_free(detail);
        if (id != expect_id || strcmp(prev, expect_prev) != 0) {
            snprintf(msg, sizeof msg,
                     "audit log broken before event #%lld (%s): an earlier event was removed or "
                     "altered",
                     (long long)id, event);
            on_problem(ctx, "", msg);
            problems++;
        }
        if (!hashed || strcmp(again, hash) != 0) {
            snprintf(msg, sizeof msg, "audit event #%lld (%s) was altered: its hash does not match",
                     (long long)id, event);
            on_problem(ctx, uid, msg);
            problems++;
        }
        snprintf(expect_prev, sizeof expect_prev, "%.64s", hash);
        expect_id = id + 1;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        les__db_fail(db, rc, err, "cannot read the audit log");
        return -1;
    }
    return problems;
}

/* Runs a query of (uid, message argument) rows and reports each. */
static long report_rows(les_db *db, const char *sql, const char *fmt,
                        void (*on_problem)(void *, const char *, const char *), void *ctx,
                        sim_error *err)
{
    sqlite3_stmt *st;
    if (les__db_prepare(db, sql, &st, err, "cannot read the audit log") != LES_REC_OK)
        return -1;
    long problems = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char uid[80], arg[80], msg[512];
        les__db_text(st, 0, uid, sizeof uid);
        les__db_text(st, 1, arg, sizeof arg);
        snprintf(msg, sizeof msg, fmt, uid, arg);
        on_problem(ctx, uid, msg);
        problems++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        les__db_fail(db, rc, err, "cannot read the audit log");
        return -1;
    }
    return problems;
}

long les__db_audit_check(les_db *db, void (*on_problem)(void *, const char *, const char *),
                         void *ctx, sim_error *err)
{
    long chain = check_chain(db, on_problem, ctx, err);
    if (chain < 0)
        return -1;
    long missing = report_rows(
        db,
        "SELECT attempt_uid, min(id) FROM audit WHERE event IN " ARRIVAL_EVENTS
        " AND attempt_uid NOT IN (SELECT uid FROM attempts) GROUP BY attempt_uid ORDER BY 2",
        "attempt %s is missing: the audit log saw it begin (event #%s) but the database no "
        "longer holds it",
        on_problem, ctx, err);
    if (missing < 0)
        return -1;
    long unlogged = report_rows(
        db,
        "SELECT uid, id FROM attempts WHERE uid NOT IN (SELECT attempt_uid FROM audit WHERE "
        "event IN " ARRIVAL_EVENTS " AND attempt_uid IS NOT NULL) ORDER BY id",
        "attempt %s (#%s) has no audit event of its beginning: it was added by hand",
        on_problem, ctx, err);
    if (unlogged < 0)
        return -1;
    return chain + missing + unlogged;
}
