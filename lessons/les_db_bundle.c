/* les_db_bundle.c: export and import of signed bundles (see
 * les_db_verify.h).
 *
 * A bundle is a records database (current schema, rollback journal, one
 * file) holding the exported attempts with every row they point to, a
 * "bundled" audit event per attempt, and one `bundle` row: the manifest
 *
 *   {"format":"stipple-bundle/1","station":"<exporter's public key hex>",
 *    "exported_us":...,"attempts":[{"uid":"...","record_sha256":"..."},...]}
 *
 * (attempts sorted by uid) and the exporting station's signature of it.
 * Each attempt keeps the signature of the station that recorded it; the
 * manifest proves which attempts were sent together and that none was
 * added or removed on the way.
 *
 * Threads: as les_db.h.
 */
#include "les_db_verify.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "les_db_internal.h"
#include "les_json.h"

#define BUNDLE_FORMAT "stipple-bundle/1"

/* ------------------------------------------------------------------------ */
/* Manifest                                                                 */
/* ------------------------------------------------------------------------ */

/* Builds the manifest from the attempts the connection's main schema
 * holds (sim_malloc'd into *out). */
static les_rec_result build_manifest(les_db *db, const uint8_t pk[32], int64_t exported_us,
                                     char **out, sim_error *err)
{
    *out = NULL;
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(db, "SELECT uid, record FROM attempts ORDER BY uid", &st,
                                       err, "cannot build the bundle manifest");
    if (r != LES_REC_OK)
        return r;
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, pk, 32);
    les_json j;
    les_json_init(&j, NULL, 0);
    les_json_begin_object(&j);
    les_json_kv_string(&j, "format", BUNDLE_FORMAT);
    les_json_kv_string(&j, "station", hex);
    les_json_kv_int(&j, "exported_us", exported_us);
    les_json_key(&j, "attempts");
    les_json_begin_array(&j);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char uid[80], sha[65];
        les__db_text(st, 0, uid, sizeof uid);
        les_sha256_hex(sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1), sha);
        les_json_begin_object(&j);
        les_json_kv_string(&j, "uid", uid);
        les_json_kv_string(&j, "record_sha256", sha);
        les_json_end_object(&j);
    }
    les_json_end_array(&j);
    les_json_end_object(&j);
    if (rc != SQLITE_DONE)
        r = les__db_fail(db, rc, err, "cannot build the bundle manifest");
    sqlite3_finalize(st);
    if (r == LES_REC_OK && les_json_finish(&j) == LES_OK) {
        size_t len;
        const char *text = les_json_buffer(&j, &len);
        *out = sim_malloc(len + 1);
        if (*out)
            memcpy(*out, text, len + 1);
    }
    les_json_deinit(&j);
    if (r == LES_REC_OK && !*out)
        r = les__db_error(db, LES_REC_ERR_NOMEM, err, "out of memory building the manifest");
    return r;
}

long les__db_bundle_check(les_db *db, const les__trust *trust,
                          void (*report)(void *, const char *, const char *), void *ctx,
                          bool *is_bundle, sim_error *err)
{
    *is_bundle = false;
    sqlite3_stmt *st;
    if (les__db_prepare(db,
                        "SELECT manifest, station_key, signature, "
                        "coalesce(json_extract(CASE WHEN json_valid(manifest) THEN manifest END, "
                        "'$.exported_us'), 0), (SELECT count(*) FROM bundle) FROM bundle "
                        "ORDER BY id LIMIT 1",
                        &st, err, "cannot read the bundle manifest") != LES_REC_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE)
            return 0;
        les__db_fail(db, rc, err, "cannot read the bundle manifest");
        return -1;
    }
    *is_bundle = true;
    long problems = 0;
    bool oom = false;
    char *manifest = les__db_dup(st, 0, NULL, &oom);
    uint8_t pk[32] = {0}, sig[64] = {0};
    if (sqlite3_column_bytes(st, 1) == 32)
        memcpy(pk, sqlite3_column_blob(st, 1), 32);
    if (sqlite3_column_bytes(st, 2) == 64)
        memcpy(sig, sqlite3_column_blob(st, 2), 64);
    int64_t exported_us = sqlite3_column_int64(st, 3);
    int rows = sqlite3_column_int(st, 4);
    sqlite3_finalize(st);
    char fp[33];
    les_sign_fingerprint(pk, fp);
    if (!manifest) {
        report(ctx, "", "the bundle manifest is unreadable");
        return 1;
    }
    if (rows != 1) {
        report(ctx, "", "the bundle holds more than one manifest");
        problems++;
    }
    if (!les_sign_check(pk, manifest, strlen(manifest), sig)) {
        report(ctx, "", "the bundle manifest's signature does not verify: the manifest or its "
                        "signature was altered");
        problems++;
    }
    if (!les__trust_has(trust, pk)) {
        char msg[300];
        snprintf(msg, sizeof msg, "the bundle was signed by station %s, which %s", fp,
                 trust->from_list ? "is not one of the trusted keys"
                                  : "is not trusted: give its public key with --trust PUB");
        report(ctx, "", msg);
        problems++;
    }
    char *now = NULL;
    if (build_manifest(db, pk, exported_us, &now, err) != LES_REC_OK) {
        sim_free(manifest);
        return -1;
    }
    if (strcmp(now, manifest) != 0) {
        report(ctx, "", "the bundle's attempts are not the ones its manifest lists: an attempt "
                        "was added, removed or altered after export");
        problems++;
    }
    sim_free(now);
    sim_free(manifest);
    return problems;
}

/* ------------------------------------------------------------------------ */
/* Export                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct id_list {
    char *json;                  /* "[1,2,3]" for json_each */
    size_t len, cap, count;
    bool oom;
} id_list;

static int collect_id(void *ctx, const les_db_attempt_info *info)
{
    id_list *l = ctx;
    if (!info->is_signed || info->outcome == LES_OUTCOME_RECORDING)
        return 0;
    if (l->len + 32 > l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        char *grown = sim_realloc(l->json, cap);
        if (!grown) {
            l->oom = true;
            return 1;
        }
        l->json = grown;
        l->cap = cap;
    }
    l->len += (size_t)snprintf(l->json + l->len, l->cap - l->len, "%s%lld", l->count ? "," : "[",
                               (long long)info->id);
    l->count++;
    return 0;
}

static const char COPY_ROWS[] =
    "INSERT INTO lessons SELECT * FROM src.lessons WHERE hash IN "
    "  (SELECT lesson_hash FROM src.attempts WHERE id IN (SELECT value FROM json_each(?1)));"
    "INSERT INTO trainees(id, code, name, registered, added_us) "
    "  SELECT id, code, name, 0, added_us FROM src.trainees WHERE id IN "
    "  (SELECT trainee_id FROM src.attempts WHERE id IN (SELECT value FROM json_each(?1)));"
    "INSERT INTO instructors SELECT * FROM src.instructors WHERE id IN "
    "  (SELECT instructor_id FROM src.attempts WHERE id IN (SELECT value FROM json_each(?1)));"
    /* a bundle carries no trust: the receiver decides whom it trusts */
    "INSERT INTO stations(id, public_key, fingerprint, name, added_us, trusted) "
    "  SELECT id, public_key, fingerprint, name, added_us, 0 FROM src.stations WHERE id IN "
    "  (SELECT station_id FROM src.attempts WHERE id IN (SELECT value FROM json_each(?1)));"
    "INSERT INTO attempts SELECT * FROM src.attempts "
    "  WHERE id IN (SELECT value FROM json_each(?1));";

/* Runs each statement of COPY_ROWS with the id list bound. */
static les_rec_result copy_rows(les_db *b, const char *ids, sim_error *err)
{
    const char *sql = COPY_ROWS;
    while (*sql) {
        sqlite3_stmt *st;
        const char *tail;
        int rc = sqlite3_prepare_v2(b->sql, sql, -1, &st, &tail);
        if (rc != SQLITE_OK)
            return les__db_fail(b, rc, err, "cannot write the bundle");
        if (!st)
            break;
        sqlite3_bind_text(st, 1, ids, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return les__db_fail(b, rc, err, "cannot write the bundle");
        sql = tail;
    }
    return LES_REC_OK;
}

/* Audits each bundled attempt, then signs and stores the manifest. */
static les_rec_result seal_bundle(les_db *b, const les_sign_key *key, const char *source,
                                  sim_error *err)
{
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(b, "SELECT uid FROM attempts ORDER BY id", &st, err,
                                       "cannot write the bundle");
    if (r != LES_REC_OK)
        return r;
    char detail[LES_DB_PATH_MAX + 64];
    snprintf(detail, sizeof detail, "exported from %s by station %s", source, key->fingerprint);
    int rc;
    while (r == LES_REC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        char uid[80];
        les__db_text(st, 0, uid, sizeof uid);
        r = les__db_audit_as(b, key, "bundled", uid, detail, err);
    }
    sqlite3_finalize(st);
    char *manifest = NULL;
    if (r == LES_REC_OK)
        r = build_manifest(b, key->pk, les__now_us(), &manifest, err);
    uint8_t sig[LES_SIGN_BYTES];
    if (r == LES_REC_OK)
        r = les_sign_message(key, manifest, strlen(manifest), sig, err);
    if (r == LES_REC_OK)
        r = les__db_prepare(b, "INSERT INTO bundle(manifest, station_key, signature) VALUES (?, ?, ?)",
                            &st, err, "cannot write the bundle");
    if (r == LES_REC_OK) {
        sqlite3_bind_text(st, 1, manifest, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, key->pk, 32, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, sig, sizeof sig, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            r = les__db_fail(b, rc, err, "cannot write the bundle");
    }
    sim_free(manifest);
    return r;
}

les_rec_result les_db_export(les_db *db, const les_db_filter *filter, const char *path,
                             const les_sign_key *key, size_t *count, sim_error *err)
{
    if (count)
        *count = 0;
    if (!key || !key->has_secret)
        return les__db_error(db, LES_REC_ERR_KEY, err,
                             "a bundle is signed: the station's secret key is needed");
    id_list ids = {0};
    les_rec_result r = les_db_list(db, filter, collect_id, &ids, err);
    if (r == LES_REC_OK && ids.oom)
        r = les__db_error(db, LES_REC_ERR_NOMEM, err, "out of memory listing attempts");
    if (r == LES_REC_OK && ids.count == 0)
        r = les__db_error(db, LES_REC_ERR_NOTFOUND, err,
                          "no signed, ended attempt matches: nothing to export");
    if (r != LES_REC_OK) {
        sim_free(ids.json);
        return r;
    }
    snprintf(ids.json + ids.len, ids.cap - ids.len, "]");
    les_db b;
    les_db_desc bd = {.path = path, .single_file = true, .must_create = true,
                      .busy_timeout_ms = db->busy_timeout_ms, .app_version = db->app_version};
    r = les_db_open(&b, &bd, err);
    if (r != LES_REC_OK) {
        sim_free(ids.json);
        return r;
    }
    sqlite3_stmt *st;
    r = les__db_prepare(&b, "ATTACH ? AS src", &st, err, "cannot read the records database");
    if (r == LES_REC_OK) {
        sqlite3_bind_text(st, 1, db->path, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            r = les__db_fail(&b, rc, err, "cannot read the records database");
    }
    if (r == LES_REC_OK)
        r = les__db_begin(&b, err, "cannot write the bundle");
    if (r == LES_REC_OK) {
        r = copy_rows(&b, ids.json, err);
        if (r == LES_REC_OK)
            r = seal_bundle(&b, key, db->path, err);
        if (r == LES_REC_OK)
            r = les__db_commit(&b, err, "cannot write the bundle");
        else
            les__db_rollback(&b);
    }
    les__db_exec(&b, "DETACH src", NULL, "detach");
    les_db_close(&b);
    if (r != LES_REC_OK)
        unlink(path);
    else if (count)
        *count = ids.count;
    sim_free(ids.json);
    return r;
}

/* ------------------------------------------------------------------------ */
/* Import                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct import_ctx {
    void (*on_problem)(void *ctx, const les_db_problem *p);
    void *ctx;
    size_t problems;
} import_ctx;

static void import_problem(void *ctx, const les_db_problem *p)
{
    import_ctx *c = ctx;
    c->problems++;
    if (c->on_problem)
        c->on_problem(c->ctx, p);
}

/* The keys a bundle is signed with: the manifest's and every attempt's
 * station (sim_malloc'd public-only keys, named after the bundle's station
 * rows). Keys of the wrong length are left out: verify names them. */
static les_rec_result bundle_keys(les_db *b, les_sign_key **keys, size_t *count, sim_error *err)
{
    *keys = NULL;
    *count = 0;
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(
        b,
        "SELECT public_key, max(name) FROM (SELECT station_key AS public_key, '' AS name FROM "
        "bundle UNION ALL SELECT s.public_key, s.name FROM attempts a JOIN stations s ON s.id = "
        "a.station_id) WHERE length(public_key) = 32 GROUP BY public_key ORDER BY 1",
        &st, err, "cannot read the bundle");
    if (r != LES_REC_OK)
        return r;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        void *items = *keys;
        if (sim_array_grow(&items, &cap, *count, sizeof **keys, 4) != SIM_OK) {
            r = les__db_error(b, LES_REC_ERR_NOMEM, err, "out of memory reading the bundle");
            break;
        }
        *keys = items;
        les_sign_key *k = &(*keys)[(*count)++];
        memset(k, 0, sizeof *k);
        memcpy(k->pk, sqlite3_column_blob(st, 0), LES_SIGN_PUBLIC_BYTES);
        les__db_text(st, 1, k->name, sizeof k->name);
        les_sign_fingerprint(k->pk, k->fingerprint);
    }
    if (r == LES_REC_OK && rc != SQLITE_DONE)
        r = les__db_fail(b, rc, err, "cannot read the bundle");
    sqlite3_finalize(st);
    return r;
}

static bool listed(const les_sign_key *keys, size_t n, const uint8_t pk[32])
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(keys[i].pk, pk, LES_SIGN_PUBLIC_BYTES) == 0)
            return true;
    return false;
}

/* Refuses a bundle signed by a station that is neither given nor trusted
 * here (ERR_UNTRUSTED, each one reported), then verifies it on its own (no
 * re-grade: that is verify's) trusting exactly the keys it is signed with.
 * *used gets those keys. */
static les_rec_result check_bundle(les_db *b, const char *path, const les__trust *here,
                                   const les_sign_key *trusted, size_t n, import_ctx *ic,
                                   les_sign_key **used, size_t *used_count, sim_error *err)
{
    les_rec_result r = bundle_keys(b, used, used_count, err);
    if (r != LES_REC_OK)
        return r;
    size_t untrusted = 0;
    const les_sign_key *first = NULL;
    for (size_t i = 0; i < *used_count; i++) {
        const les_sign_key *k = &(*used)[i];
        if (listed(trusted, n, k->pk) || les__trust_has(here, k->pk))
            continue;
        if (!first)
            first = k;
        untrusted++;
        les_db_problem p;
        memset(&p, 0, sizeof p);
        p.check = "signature";
        les__fmt(p.message, sizeof p.message,
                 "the bundle is signed by station %.80s (%s), which this database does not trust",
                 k->name[0] ? k->name : "?", k->fingerprint);
        import_problem(ic, &p);
    }
    if (first)
        return les__db_error(
            NULL, LES_REC_ERR_UNTRUSTED, err,
            "%s is signed by station %.80s (%s)%s, which this database does not trust: if that "
            "fingerprint is the one the station shows ('stipple records key'), import again with "
            "--trust PUB (its public key file) or first run 'stipple records trust add PUB'; "
            "nothing was imported",
            path, first->name[0] ? first->name : "?", first->fingerprint,
            untrusted > 1 ? " and others" : "");
    static const les_sign_key none;   /* an empty list: trust nothing else */
    les_db_verify_desc vd = {.trusted = *used_count ? *used : &none,
                             .trusted_count = *used_count,
                             .on_problem = import_problem, .ctx = ic};
    les_db_verify_summary sum;
    r = les_db_verify(b, &vd, &sum, err);
    if (r == LES_REC_OK && (ic->problems || sum.unsigned_count))
        r = les__db_error(NULL, LES_REC_ERR_SIGNATURE, err,
                          "%s does not verify (%zu problems%s): nothing was imported", path,
                          ic->problems, sum.unsigned_count ? ", unsigned attempts" : "");
    return r;
}

/* Only the rows the bundle's attempts refer to come along: the manifest
 * signs the attempts, and verify checks each attempt's lesson against its
 * hash; any other row in the file is unchecked (a lesson stored under a
 * hash its text does not have, a station key nobody signed with). */
static const char IMPORT_ROWS[] =
    "INSERT OR IGNORE INTO lessons(hash, lesson_id, title, version, text, added_us) "
    "  SELECT hash, lesson_id, title, version, text, added_us FROM b.lessons "
    "  WHERE hash IN (SELECT lesson_hash FROM b.attempts);"
    "INSERT OR IGNORE INTO trainees(code, name, registered, added_us) "
    "  SELECT code, name, 0, added_us FROM b.trainees "
    "  WHERE id IN (SELECT trainee_id FROM b.attempts);"
    "INSERT OR IGNORE INTO instructors(code, name, added_us) "
    "  SELECT code, name, added_us FROM b.instructors "
    "  WHERE id IN (SELECT instructor_id FROM b.attempts);"
    "INSERT OR IGNORE INTO stations(public_key, fingerprint, name, added_us) "
    "  SELECT public_key, fingerprint, name, added_us FROM b.stations "
    "  WHERE id IN (SELECT station_id FROM b.attempts);"
    "INSERT INTO attempts(uid, trainee_id, instructor_id, station_id, lesson_hash, mode, "
    "  session, started_us, ended_us, time_limit_s, outcome, score, passed, scores_json, "
    "  app_version, sim_version, trace, trace_sha256, trace_samples, journal, host, pid, "
    "  record, signature) "
    "SELECT ba.uid, (SELECT id FROM main.trainees WHERE code = bt.code), "
    "  (SELECT id FROM main.instructors WHERE code = bi.code), "
    "  (SELECT id FROM main.stations WHERE public_key = bs.public_key), ba.lesson_hash, "
    "  ba.mode, ba.session, ba.started_us, ba.ended_us, ba.time_limit_s, ba.outcome, ba.score, "
    "  ba.passed, ba.scores_json, ba.app_version, ba.sim_version, ba.trace, ba.trace_sha256, "
    "  ba.trace_samples, NULL, ba.host, ba.pid, ba.record, ba.signature "
    "FROM b.attempts ba JOIN b.trainees bt ON bt.id = ba.trainee_id "
    "  LEFT JOIN b.instructors bi ON bi.id = ba.instructor_id "
    "  LEFT JOIN b.stations bs ON bs.id = ba.station_id "
    "WHERE ba.uid NOT IN (SELECT uid FROM main.attempts) ORDER BY ba.id;";

/* Inside the transaction: conflicts, new uids, rows, audit events. */
static les_rec_result import_locked(les_db *db, const char *path, size_t *imported,
                                    size_t *skipped, sim_error *err)
{
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(
        db,
        "SELECT ba.uid FROM b.attempts ba JOIN main.attempts ma ON ma.uid = ba.uid "
        "WHERE ma.record IS NOT ba.record LIMIT 1",
        &st, err, "cannot import");
    if (r != LES_REC_OK)
        return r;
    int rc = sqlite3_step(st);
    char uid[80] = "";
    if (rc == SQLITE_ROW)
        les__db_text(st, 0, uid, sizeof uid);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return les__db_error(db, LES_REC_ERR_CONFLICT, err,
                             "attempt %s is already here with a different record: nothing was "
                             "imported",
                             uid);
    if (rc != SQLITE_DONE)
        return les__db_fail(db, rc, err, "cannot import");
    r = les__db_exec(db,
                     "CREATE TEMP TABLE IF NOT EXISTS import_new(uid TEXT); DELETE FROM import_new;"
                     "INSERT INTO import_new SELECT uid FROM b.attempts WHERE uid NOT IN "
                     "(SELECT uid FROM main.attempts) ORDER BY id;",
                     err, "cannot import");
    if (r == LES_REC_OK)
        r = les__db_exec(db, IMPORT_ROWS, err, "cannot import");
    if (r != LES_REC_OK)
        return r;
    r = les__db_prepare(db,
                        "SELECT n.uid, (SELECT count(*) FROM b.attempts) FROM import_new n "
                        "ORDER BY n.rowid",
                        &st, err, "cannot import");
    if (r != LES_REC_OK)
        return r;
    char detail[LES_DB_PATH_MAX + 32];
    snprintf(detail, sizeof detail, "imported from %s", path);
    size_t n = 0, total = 0;
    while (r == LES_REC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        les__db_text(st, 0, uid, sizeof uid);
        total = (size_t)sqlite3_column_int64(st, 1);
        r = les__db_audit(db, "imported", uid, detail, err);
        n++;
    }
    sqlite3_finalize(st);
    if (r == LES_REC_OK && n == 0) {
        /* nothing new: count what was there */
        if (les__db_prepare(db, "SELECT count(*) FROM b.attempts", &st, err, "cannot import") ==
            LES_REC_OK) {
            if (sqlite3_step(st) == SQLITE_ROW)
                total = (size_t)sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        }
    }
    if (imported)
        *imported = n;
    if (skipped)
        *skipped = total - n;
    return r;
}

/* Trusts here the given keys the bundle is signed with that this database
 * did not trust yet (inside the import's transaction): its attempts then
 * verify on this station. */
static les_rec_result trust_given(les_db *db, const char *path, const les__trust *here,
                                  const les_sign_key *trusted, size_t n, const les_sign_key *used,
                                  size_t used_count, sim_error *err)
{
    char why[LES_DB_PATH_MAX + 64];
    les__fmt(why, sizeof why, "given with --trust to import %s", path);
    les_rec_result r = LES_REC_OK;
    for (size_t i = 0; r == LES_REC_OK && i < n; i++)
        if (listed(used, used_count, trusted[i].pk) && !les__trust_has(here, trusted[i].pk))
            r = les__db_station_trust(db, trusted[i].pk, trusted[i].name, true, why, NULL, err);
    return r;
}

les_rec_result les_db_import(les_db *db, const char *path, const les_sign_key *trusted,
                             size_t trusted_count,
                             void (*on_problem)(void *ctx, const les_db_problem *p), void *ctx,
                             size_t *imported, size_t *skipped, sim_error *err)
{
    if (imported)
        *imported = 0;
    if (skipped)
        *skipped = 0;
    les_rec_result r = les_db_require_writable(db, "cannot import", err);
    if (r != LES_REC_OK)
        return r;
    /* the imported attempts, and any station trusted with them, enter the
     * audit log sealed by this station */
    if (!db->key || !db->key->has_secret)
        return les__db_error(db, LES_REC_ERR_KEY, err,
                             "importing is sealed by this station's key: the station's secret "
                             "key is needed; nothing was imported");
    les_db b;
    les_db_desc bd = {.path = path, .read_only = true, .busy_timeout_ms = db->busy_timeout_ms};
    r = les_db_open(&b, &bd, err);
    if (r != LES_REC_OK)
        return r;
    sqlite3_stmt *st;
    bool is_bundle = false;
    if (les__db_prepare(&b, "SELECT count(*) FROM bundle", &st, NULL, "probe") == LES_REC_OK) {
        is_bundle = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
        sqlite3_finalize(st);
    }
    import_ctx ic = {on_problem, ctx, 0};
    les_sign_key *used = NULL;
    size_t used_count = 0, n = trusted ? trusted_count : 0;
    les__trust here;
    memset(&here, 0, sizeof here);
    if (!is_bundle)
        r = les__db_error(NULL, LES_REC_ERR_INPUT, err,
                          "%s is a records database but not an export bundle", path);
    else
        r = les__db_trust(db, NULL, 0, &here, err);
    if (r == LES_REC_OK)
        r = check_bundle(&b, path, &here, trusted, n, &ic, &used, &used_count, err);

    les_db_close(&b);
    if (r == LES_REC_OK)
        r = les__db_prepare(db, "ATTACH ? AS b", &st, err, "cannot open the bundle");
    if (r != LES_REC_OK) {
        sim_free(used);
        les__trust_deinit(&here);
        return r;
    }
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        sim_free(used);
        les__trust_deinit(&here);
        return les__db_fail(db, rc, err, "cannot open the bundle");
    }
    r = les__db_begin(db, err, "cannot import");
    if (r == LES_REC_OK) {
        r = import_locked(db, path, imported, skipped, err);
        if (r == LES_REC_OK)
            r = trust_given(db, path, &here, trusted, n, used, used_count, err);
        if (r == LES_REC_OK)
            r = les__db_commit(db, err, "cannot import");
        else
            les__db_rollback(db);
    }
    les__db_exec(db, "DETACH b", NULL, "detach");
    sim_free(used);
    les__trust_deinit(&here);
    return r;
}
