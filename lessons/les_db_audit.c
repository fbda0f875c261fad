/* les_db_audit.c: the audit log: an append-only chain of events (database
 * created or migrated, people, lessons and stations added, stations
 * trusted, attempts begun, ended, recovered, imported, exported), sealed
 * by station signatures, and the set of stations trusted here.
 *
 * Each event's hash is SHA-256(previous hash, "\n", the event as compact
 * JSON {id, at_us, event, attempt, detail}); the first event's previous
 * hash is 64 zeros. Editing or deleting an event breaks the chain, and an
 * attempt the log saw begin cannot disappear without verify noticing.
 *
 * A plain hash chain can be recomputed by anyone who edits the file, so
 * every event written with a station key is also sealed: `signer` holds
 * the station's public key and `seal` its Ed25519 signature of
 * "stipple-audit/1 <the event's hash>". A seal covers its event and, through
 * the chain, every event before it. Verify requires each seal to verify
 * and to come from a trusted station, and every event about a signed
 * attempt to lie at or before the last trusted seal; a chain recomputed
 * without a trusted key fails one or the other. (A chain cannot prove its
 * own tail was not cut: export bundles regularly.)
 *
 * Trust (les__db_trust): the stations trusted here are those whose
 * station_trusted event, sealed by an already trusted station, the chain
 * holds (and that a station_untrusted event did not take back), starting
 * from this database's own key (les_db_desc.key). Without a key to start
 * from, a station's seal on its own trust event counts (the database
 * vouches for itself: verify says so). A station's `trusted` flag must
 * agree: a flag set by hand is reported and trusts nothing.
 *
 * Threads: as les_db.h.
 */
#include "les_db_internal.h"

#include <stdio.h>
#include <string.h>

#include "les_json.h"

#include <sodium.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
#define SEAL_PREFIX "stipple-audit/1 "

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

/* The message a seal signs. */
static size_t seal_message(const char hash[65], char out[96])
{
    return (size_t)snprintf(out, 96, SEAL_PREFIX "%.64s", hash);
}

les_rec_result les__db_audit_as(les_db *db, const les_sign_key *key, const char *event,
                                const char *uid, const char *detail, sim_error *err)
{
    if (!key)
        key = db->key;
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
    uint8_t seal[LES_SIGN_BYTES];
    bool sealed = key && key->has_secret;
    if (sealed) {
        char msg[96];
        size_t len = seal_message(hash, msg);
        r = les_sign_message(key, msg, len, seal, err);
        if (r != LES_REC_OK)
            return r;
    }
    /* (an unsealed event names no seal columns: a test fixture migrated to
     * an older version writes its events that way) */
    r = les__db_prepare(db,
                        sealed ? "INSERT INTO audit(id, at_us, event, attempt_uid, detail, "
                                 "prev_hash, hash, signer, seal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                               : "INSERT INTO audit(id, at_us, event, attempt_uid, detail, "
                                 "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
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
    if (sealed) {
        sqlite3_bind_blob(st, 8, key->pk, LES_SIGN_PUBLIC_BYTES, SQLITE_STATIC);
        sqlite3_bind_blob(st, 9, seal, sizeof seal, SQLITE_STATIC);
    }
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? LES_REC_OK : les__db_fail(db, rc, err, "cannot write the audit log");
}

les_rec_result les__db_audit(les_db *db, const char *event, const char *uid, const char *detail,
                             sim_error *err)
{
    return les__db_audit_as(db, NULL, event, uid, detail, err);
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

/* ------------------------------------------------------------------------ */
/* Trust sets                                                               */
/* ------------------------------------------------------------------------ */

void les__trust_deinit(les__trust *t)
{
    if (!t)
        return;
    sim_free(t->keys);
    memset(t, 0, sizeof *t);
}

bool les__trust_has(const les__trust *t, const uint8_t pk[32])
{
    for (size_t i = 0; t && i < t->count; i++)
        if (memcmp(t->keys[i], pk, 32) == 0)
            return true;
    return false;
}

static bool trust_add(les__trust *t, const uint8_t pk[32])
{
    if (les__trust_has(t, pk))
        return true;
    void *items = t->keys;
    if (sim_array_grow(&items, &t->cap, t->count, sizeof *t->keys, 8) != SIM_OK)
        return false;
    t->keys = items;
    memcpy(t->keys[t->count++], pk, 32);
    return true;
}

static void trust_drop(les__trust *t, const uint8_t pk[32])
{
    for (size_t i = 0; i < t->count; i++)
        if (memcmp(t->keys[i], pk, 32) == 0) {
            memmove(t->keys[i], t->keys[i + 1], (t->count - i - 1) * sizeof *t->keys);
            t->count--;
            return;
        }
}

/* ------------------------------------------------------------------------ */
/* Walking the chain                                                        */
/* ------------------------------------------------------------------------ */

typedef struct audit_row {
    int64_t id, at_us;
    char event[64], uid[80], prev[80], hash[80], again[65];
    bool has_uid, hashed;
    bool linked;                 /* id and prev_hash follow the previous event */
    bool has_seal, seal_ok;      /* a well-formed seal that verifies over `again` */
    uint8_t signer[32];
    char *detail;                /* sim_malloc'd */
} audit_row;

typedef struct audit_walk {
    les_db *db;
    sqlite3_stmt *st;
    char expect_prev[65];
    int64_t expect_id;
    bool oom;
} audit_walk;

static les_rec_result walk_begin(les_db *db, audit_walk *w, sim_error *err)
{
    memset(w, 0, sizeof *w);
    w->db = db;
    snprintf(w->expect_prev, sizeof w->expect_prev, GENESIS);
    w->expect_id = 1;
    return les__db_prepare(db,
                           "SELECT id, at_us, event, attempt_uid, detail, prev_hash, hash, signer, "
                           "seal FROM audit ORDER BY id",
                           &w->st, err, "cannot read the audit log");
}

/* The next event: SQLITE_ROW, SQLITE_DONE or an error code. */
static int walk_next(audit_walk *w, audit_row *a)
{
    memset(a, 0, sizeof *a);
    int rc = sqlite3_step(w->st);
    if (rc != SQLITE_ROW)
        return rc;
    sqlite3_stmt *st = w->st;
    a->id = sqlite3_column_int64(st, 0);
    a->at_us = sqlite3_column_int64(st, 1);
    les__db_text(st, 2, a->event, sizeof a->event);
    a->has_uid = sqlite3_column_type(st, 3) != SQLITE_NULL;
    les__db_text(st, 3, a->uid, sizeof a->uid);
    a->detail = les__db_dup(st, 4, NULL, &w->oom);
    les__db_text(st, 5, a->prev, sizeof a->prev);
    les__db_text(st, 6, a->hash, sizeof a->hash);
    a->hashed = event_hash(a->prev, a->id, a->at_us, a->event, a->has_uid ? a->uid : NULL,
                           a->detail ? a->detail : "", a->again) &&
                strcmp(a->again, a->hash) == 0;
    a->linked = a->id == w->expect_id && strcmp(a->prev, w->expect_prev) == 0;
    bool has_signer = sqlite3_column_type(st, 7) != SQLITE_NULL;
    bool has_seal = sqlite3_column_type(st, 8) != SQLITE_NULL;
    a->has_seal = has_signer || has_seal;
    if (has_signer && has_seal && sqlite3_column_bytes(st, 7) == 32 &&
        sqlite3_column_bytes(st, 8) == LES_SIGN_BYTES && a->again[0]) {
        memcpy(a->signer, sqlite3_column_blob(st, 7), 32);
        char msg[96];
        size_t len = seal_message(a->again, msg);
        a->seal_ok = les_sign_check(a->signer, msg, len, sqlite3_column_blob(st, 8));
    }
    snprintf(w->expect_prev, sizeof w->expect_prev, "%.64s", a->hash);
    w->expect_id = a->id + 1;
    return SQLITE_ROW;
}

/* The station key a trust event names: its detail begins "key <64 hex>"
 * (les__db_station_trust), before any name or path that could hold
 * words of its own. */
static bool trust_event_key(const audit_row *a, uint8_t pk[32])
{
    const char *p = a->detail;
    size_t len = 0;
    return p && strncmp(p, "key ", 4) == 0 && strnlen(p + 4, 65) >= 64 &&
           (p[68] == 0 || p[68] == ',') &&
           sodium_hex2bin(pk, 32, p + 4, 64, NULL, &len, NULL) == 0 && len == 32;
}

les_rec_result les__db_trust(les_db *db, const les_sign_key *list, size_t n, les__trust *out,
                             sim_error *err)
{
    memset(out, 0, sizeof *out);
    bool ok = true;
    if (db->key)
        ok = trust_add(out, db->key->pk);
    if (list) {
        out->from_list = true;
        for (size_t i = 0; ok && i < n; i++)
            ok = trust_add(out, list[i].pk);
        if (!ok) {
            les__trust_deinit(out);
            return les__db_error(db, LES_REC_ERR_NOMEM, err, "out of memory listing trust");
        }
        return LES_REC_OK;
    }
    out->anchored = db->key != NULL;
    /* anchors: this station's key; they are never taken back */
    size_t anchors = out->count;
    audit_walk w;
    les_rec_result r = walk_begin(db, &w, err);
    if (r != LES_REC_OK) {
        les__trust_deinit(out);
        return r;
    }
    bool intact = true;
    audit_row a;
    int rc;
    while (ok && (rc = walk_next(&w, &a)) == SQLITE_ROW) {
        /* only an unbroken chain counts: a sealed event copied in from
         * elsewhere does not follow its predecessor */
        intact = intact && a.linked && a.hashed;
        uint8_t pk[32];
        bool trust = strcmp(a.event, "station_trusted") == 0;
        bool untrust = strcmp(a.event, "station_untrusted") == 0;
        if (intact && a.seal_ok && (trust || untrust) && trust_event_key(&a, pk)) {
            bool by_trusted = les__trust_has(out, a.signer);
            bool self = !out->anchored && memcmp(a.signer, pk, 32) == 0;
            if (trust && (by_trusted || self)) {
                ok = trust_add(out, pk);
            } else if (untrust && by_trusted) {
                bool anchor = false;
                for (size_t i = 0; i < anchors; i++)
                    anchor = anchor || memcmp(out->keys[i], pk, 32) == 0;
                if (!anchor)
                    trust_drop(out, pk);
            }
        }
        sim_free(a.detail);
    }
    sqlite3_finalize(w.st);
    if (!ok || w.oom) {
        les__trust_deinit(out);
        return les__db_error(db, LES_REC_ERR_NOMEM, err, "out of memory reading the audit log");
    }
    if (rc != SQLITE_DONE) {
        les__trust_deinit(out);
        return les__db_fail(db, rc, err, "cannot read the audit log");
    }
    /* a flag cleared (by hand or by trust remove) takes trust back too */
    sqlite3_stmt *st;
    r = les__db_prepare(db, "SELECT public_key FROM stations WHERE trusted = 0", &st, err,
                        "cannot read the stations");
    while (r == LES_REC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != 32)
            continue;
        const uint8_t *pk = sqlite3_column_blob(st, 0);
        bool anchor = false;
        for (size_t i = 0; i < anchors; i++)
            anchor = anchor || memcmp(out->keys[i], pk, 32) == 0;
        if (!anchor)
            trust_drop(out, pk);
    }
    if (r == LES_REC_OK) {
        if (rc != SQLITE_DONE)
            r = les__db_fail(db, rc, err, "cannot read the stations");
        sqlite3_finalize(st);
    }
    if (r != LES_REC_OK)
        les__trust_deinit(out);
    return r;
}

/* ------------------------------------------------------------------------ */
/* Checking                                                                 */
/* ------------------------------------------------------------------------ */

typedef struct signer_stat {
    uint8_t pk[32];
    int64_t first, last;
    size_t count;
} signer_stat;

/* "name (fingerprint)" of a station key, for messages. */
static void station_label(les_db *db, const uint8_t pk[32], char *out, size_t size)
{
    char fp[33], name[128] = "";
    les_sign_fingerprint(pk, fp);
    sqlite3_stmt *st;
    if (les__db_prepare(db, "SELECT name FROM stations WHERE public_key = ?", &st, NULL,
                        "label") == LES_REC_OK) {
        sqlite3_bind_blob(st, 1, pk, 32, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            les__db_text(st, 0, name, sizeof name);
        sqlite3_finalize(st);
    }
    les__fmt(out, size, "%s (%.80s)", fp, name[0] ? name : "not in this database");
}

/* The highest event id about a signed attempt (0 when none). */
static int64_t last_signed_event(les_db *db, sim_error *err, bool *failed)
{
    sqlite3_stmt *st;
    *failed = les__db_prepare(db,
                              "SELECT coalesce(max(e.id), 0) FROM audit e JOIN attempts a ON "
                              "a.uid = e.attempt_uid WHERE a.signature IS NOT NULL",
                              &st, err, "cannot read the audit log") != LES_REC_OK;
    if (*failed)
        return 0;
    int rc = sqlite3_step(st);
    int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) {
        les__db_fail(db, rc, err, "cannot read the audit log");
        *failed = true;
    }
    return id;
}

/* Walks the chain in id order: links, hashes, seals. */
static long check_chain(les_db *db, const les__trust *trust,
                        void (*on_problem)(void *, const char *, const char *), void *ctx,
                        sim_error *err)
{
    audit_walk w;
    if (walk_begin(db, &w, err) != LES_REC_OK)
        return -1;
    long problems = 0;
    int64_t sealed_to = 0;   /* the last event a trusted station sealed */
    signer_stat *signers = NULL;
    size_t signer_count = 0, signer_cap = 0;
    char msg[600];
    audit_row a;
    int rc;
    while ((rc = walk_next(&w, &a)) == SQLITE_ROW) {
        if (!a.linked) {
            snprintf(msg, sizeof msg,
                     "audit log broken before event #%lld (%s): an earlier event was removed or "
                     "altered",
                     (long long)a.id, a.event);
            on_problem(ctx, "", msg);
            problems++;
        }
        if (!a.hashed) {
            snprintf(msg, sizeof msg, "audit event #%lld (%s) was altered: its hash does not match",
                     (long long)a.id, a.event);
            on_problem(ctx, a.uid, msg);
            problems++;
        }
        if (a.has_seal && !a.seal_ok) {
            snprintf(msg, sizeof msg,
                     "audit event #%lld (%s) has a seal that does not verify: the event, its "
                     "chain or its seal was altered",
                     (long long)a.id, a.event);
            on_problem(ctx, a.uid, msg);
            problems++;
        } else if (a.seal_ok && les__trust_has(trust, a.signer)) {
            sealed_to = a.id;
        } else if (a.seal_ok) {
            size_t i = 0;
            while (i < signer_count && memcmp(signers[i].pk, a.signer, 32) != 0)
                i++;
            if (i == signer_count) {
                void *items = signers;
                if (sim_array_grow(&items, &signer_cap, signer_count, sizeof *signers, 4) ==
                    SIM_OK) {
                    signers = items;
                    memset(&signers[signer_count], 0, sizeof *signers);
                    memcpy(signers[signer_count].pk, a.signer, 32);
                    signers[signer_count++].first = a.id;
                } else {
                    w.oom = true;
                }
            }
            if (i < signer_count) {
                signers[i].last = a.id;
                signers[i].count++;
            }
        }
        sim_free(a.detail);
    }
    sqlite3_finalize(w.st);
    if (rc != SQLITE_DONE || w.oom) {
        sim_free(signers);
        if (w.oom)
            les__db_error(db, LES_REC_ERR_NOMEM, err, "out of memory reading the audit log");
        else
            les__db_fail(db, rc, err, "cannot read the audit log");
        return -1;
    }
    for (size_t i = 0; i < signer_count; i++) {
        char who[200];
        station_label(db, signers[i].pk, who, sizeof who);
        snprintf(msg, sizeof msg,
                 "%zu audit event%s (#%lld to #%lld) %s sealed by station %s, which is not %s",
                 signers[i].count, signers[i].count == 1 ? "" : "s", (long long)signers[i].first,
                 (long long)signers[i].last, signers[i].count == 1 ? "is" : "are", who,
                 trust->from_list ? "one of the trusted keys" : "trusted here");
        on_problem(ctx, "", msg);
        problems++;
    }
    sim_free(signers);
    bool failed;
    int64_t last = last_signed_event(db, err, &failed);
    if (failed)
        return -1;
    if (last > sealed_to) {
        snprintf(msg, sizeof msg,
                 "the audit log is not sealed after event #%lld: events up to #%lld about signed "
                 "attempts carry no trusted station's seal (the log was rewritten without a "
                 "trusted station's key)",
                 (long long)sealed_to, (long long)last);
        on_problem(ctx, "", msg);
        problems++;
    }
    return problems;
}

/* Stations flagged trusted that the sealed chain does not trust. */
static long check_flags(les_db *db, const les__trust *trust,
                        void (*on_problem)(void *, const char *, const char *), void *ctx,
                        sim_error *err)
{
    if (trust->from_list)
        return 0;   /* the caller's list decides, not the database */
    sqlite3_stmt *st;
    if (les__db_prepare(db, "SELECT public_key FROM stations WHERE trusted = 1 ORDER BY id", &st,
                        err, "cannot read the stations") != LES_REC_OK)
        return -1;
    long problems = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t pk[32] = {0};
        if (sqlite3_column_bytes(st, 0) == 32)
            memcpy(pk, sqlite3_column_blob(st, 0), 32);
        if (les__trust_has(trust, pk))
            continue;
        char who[200], msg[600];
        station_label(db, pk, who, sizeof who);
        snprintf(msg, sizeof msg,
                 "station %s is marked trusted, but no trusted station's sealed audit event "
                 "trusted it%s: it is not trusted",
                 who, trust->anchored ? " (if it is genuine, trust it here with 'stipple records "
                                        "trust add PUB')"
                                      : "");
        on_problem(ctx, "", msg);
        problems++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        les__db_fail(db, rc, err, "cannot read the stations");
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

long les__db_audit_check(les_db *db, const les__trust *trust,
                         void (*on_problem)(void *, const char *, const char *), void *ctx,
                         sim_error *err)
{
    long chain = check_chain(db, trust, on_problem, ctx, err);
    if (chain < 0)
        return -1;
    long flags = check_flags(db, trust, on_problem, ctx, err);
    if (flags < 0)
        return -1;
    chain += flags;
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
