/* les_db_sign_record.c: the signed record of an attempt.
 *
 * What a station signs is not the database row (SQLite's bytes are not
 * stable) but a canonical record built from it: compact JSON, keys in a
 * fixed order, numbers in a fixed format (les_json), e.g.
 *
 *   {"format":"stipple-attempt/1","uid":"9f0c...","station":"<public key hex>",
 *    "trainee":"T-042","instructor":"","lesson":"<hash>","mode":"exam",
 *    "session":3,"started_us":...,"ended_us":...,"time_limit_s":1800,
 *    "outcome":"finished","graded":true,"score":"84.50","passed":true,
 *    "scores_sha256":"...","trace_sha256":"...","trace_samples":123456,
 *    "app_version":"0.1.0","sim_version":1}
 *
 * The record and its Ed25519 signature are stored with the attempt; verify
 * checks the signature over the stored record, then rebuilds the record
 * from the columns and names every field that no longer matches.
 *
 * Threads: as les_db.h.
 */
#include "les_db_internal.h"

#include <stdio.h>
#include <string.h>

#include "les_json.h"

#define RECORD_FORMAT "stipple-attempt/1"

char *les__record_json(const les__record *r)
{
    les_json j;
    les_json_init(&j, NULL, 0);
    les_json_begin_object(&j);
    les_json_kv_string(&j, "format", RECORD_FORMAT);
    les_json_kv_string(&j, "uid", r->uid);
    les_json_kv_string(&j, "station", r->station_key_hex);
    les_json_kv_string(&j, "trainee", r->trainee);
    les_json_kv_string(&j, "instructor", r->instructor ? r->instructor : "");
    les_json_kv_string(&j, "lesson", r->lesson_hash);
    les_json_kv_string(&j, "mode", r->mode);
    les_json_kv_int(&j, "session", r->session);
    les_json_kv_int(&j, "started_us", r->started_us);
    les_json_kv_int(&j, "ended_us", r->ended_us);
    les_json_kv_int(&j, "time_limit_s", r->time_limit_s);
    les_json_kv_string(&j, "outcome", r->outcome);
    les_json_kv_bool(&j, "graded", r->graded);
    /* a string: the record compares as text, and "84.50" reads the same
     * everywhere */
    char score[32];
    snprintf(score, sizeof score, "%.2f", r->graded ? r->score : 0.0);
    if (strcmp(score, "-0.00") == 0)
        snprintf(score, sizeof score, "0.00");
    les_json_kv_string(&j, "score", score);
    les_json_kv_bool(&j, "passed", r->graded && r->passed);
    les_json_kv_string(&j, "scores_sha256", r->scores_sha256 ? r->scores_sha256 : "");
    les_json_kv_string(&j, "trace_sha256", r->trace_sha256 ? r->trace_sha256 : "");
    les_json_kv_uint(&j, "trace_samples", r->trace_samples);
    les_json_kv_string(&j, "app_version", r->app_version);
    les_json_kv_int(&j, "sim_version", r->sim_version);
    les_json_end_object(&j);
    char *out = NULL;
    if (les_json_finish(&j) == LES_OK) {
        size_t len;
        const char *text = les_json_buffer(&j, &len);
        out = sim_malloc(len + 1);
        if (out)
            memcpy(out, text, len + 1);
    }
    les_json_deinit(&j);
    return out;
}

les_rec_result les__db_record_text(les_db *db, int64_t id, char **text, sim_error *err)
{
    *text = NULL;
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(
        db,
        "SELECT a.uid, lower(hex(s.public_key)), t.code, coalesce(i.code, ''), a.lesson_hash, "
        "a.mode, a.session, a.started_us, coalesce(a.ended_us, 0), a.time_limit_s, a.outcome, "
        "a.scores_json, coalesce(a.score, 0), coalesce(a.passed, 0), "
        "coalesce(a.trace_sha256, ''), a.trace_samples, a.app_version, a.sim_version "
        "FROM attempts a JOIN trainees t ON t.id = a.trainee_id "
        "LEFT JOIN instructors i ON i.id = a.instructor_id "
        "LEFT JOIN stations s ON s.id = a.station_id WHERE a.id = ?",
        &st, err, "cannot read the attempt");
    if (r != LES_REC_OK)
        return r;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        char uid[80], station[80], trainee[80], instructor[80], lesson[80], mode[16],
            outcome[16], trace_sha[80], app_version[40], scores_sha[65] = "";
        les__db_text(st, 0, uid, sizeof uid);
        les__db_text(st, 1, station, sizeof station);
        les__db_text(st, 2, trainee, sizeof trainee);
        les__db_text(st, 3, instructor, sizeof instructor);
        les__db_text(st, 4, lesson, sizeof lesson);
        les__db_text(st, 5, mode, sizeof mode);
        les__db_text(st, 10, outcome, sizeof outcome);
        les__db_text(st, 14, trace_sha, sizeof trace_sha);
        les__db_text(st, 16, app_version, sizeof app_version);
        bool graded = sqlite3_column_type(st, 11) != SQLITE_NULL;
        if (graded)
            les_sha256_hex(sqlite3_column_blob(st, 11), (size_t)sqlite3_column_bytes(st, 11),
                           scores_sha);
        les__record rec = {
            .uid = uid,
            .station_key_hex = station,
            .trainee = trainee,
            .instructor = instructor,
            .lesson_hash = lesson,
            .mode = mode,
            .session = sqlite3_column_int64(st, 6),
            .started_us = sqlite3_column_int64(st, 7),
            .ended_us = sqlite3_column_int64(st, 8),
            .time_limit_s = sqlite3_column_int64(st, 9),
            .outcome = outcome,
            .graded = graded,
            .score = sqlite3_column_double(st, 12),
            .passed = sqlite3_column_int(st, 13) != 0,
            .scores_sha256 = scores_sha,
            .trace_sha256 = trace_sha,
            .trace_samples = (uint64_t)sqlite3_column_int64(st, 15),
            .app_version = app_version,
            .sim_version = sqlite3_column_int(st, 17),
        };
        *text = les__record_json(&rec);
        if (!*text)
            r = les__db_error(db, LES_REC_ERR_NOMEM, err, "out of memory building a record");
    } else if (rc == SQLITE_DONE) {
        r = les__db_error(db, LES_REC_ERR_NOTFOUND, err, "no attempt #%lld", (long long)id);
    } else {
        r = les__db_fail(db, rc, err, "cannot read the attempt");
    }
    sqlite3_finalize(st);
    return r;
}

/* ------------------------------------------------------------------------ */
/* Comparing two records                                                    */
/* ------------------------------------------------------------------------ */

typedef struct span { const char *p; size_t n; } span;

/* Reads one JSON string or bare value starting at *p; advances *p. */
static span read_value(const char **p)
{
    const char *s = *p;
    span v = {s, 0};
    if (*s == '"') {
        const char *q = s + 1;
        while (*q && *q != '"')
            q += (*q == '\\' && q[1]) ? 2 : 1;
        if (*q == '"')
            q++;
        v.n = (size_t)(q - s);
        *p = q;
    } else {
        const char *q = s;
        while (*q && *q != ',' && *q != '}')
            q++;
        v.n = (size_t)(q - s);
        *p = q;
    }
    return v;
}

/* Finds key's value in a flat object written by les__record_json. */
static bool find_value(const char *obj, span key, span *out)
{
    const char *p = obj;
    if (*p != '{')
        return false;
    p++;
    while (*p && *p != '}') {
        span k = read_value(&p);
        if (*p != ':')
            return false;
        p++;
        span v = read_value(&p);
        if (k.n == key.n && memcmp(k.p, key.p, k.n) == 0) {
            *out = v;
            return true;
        }
        if (*p == ',')
            p++;
        else if (*p != '}')
            return false;
    }
    return false;
}

void les__record_diff(const char *signed_text, const char *current_text, char *out, size_t size)
{
    out[0] = 0;
    size_t used = 0;
    int shown = 0;
    const char *p = signed_text;
    if (!p || *p != '{') {
        snprintf(out, size, "the signed record is not readable");
        return;
    }
    p++;
    while (*p && *p != '}') {
        span k = read_value(&p);
        if (*p != ':')
            break;
        p++;
        span v = read_value(&p);
        span now = {"(missing)", 9};
        bool found = find_value(current_text, k, &now);
        if (!found || now.n != v.n || memcmp(now.p, v.p, v.n) != 0) {
            if (shown < 4 && used < size) {
                int w = snprintf(out + used, size - used, "%s%.*s: signed %.*s, stored %.*s",
                                 shown ? "; " : "", (int)(k.n > 2 ? k.n - 2 : 0), k.p + 1,
                                 (int)(v.n > 70 ? 70 : v.n), v.p,
                                 (int)(now.n > 70 ? 70 : now.n), now.p);
                used += w > 0 ? (size_t)w : 0;
            }
            shown++;
        }
        if (*p == ',')
            p++;
    }
    if (shown > 4 && used < size)
        snprintf(out + used, size - used, "; and %d more", shown - 4);
}

les_rec_result les__db_sign_attempt(les_db *db, int64_t id, const les_sign_key *key,
                                    sim_error *err)
{
    int64_t station = 0;
    les_rec_result r = les__db_station_id(db, key, &station, err);
    sqlite3_stmt *st;
    if (r == LES_REC_OK)
        r = les__db_prepare(db, "UPDATE attempts SET station_id = ? WHERE id = ?", &st, err,
                            "cannot sign the attempt");
    if (r == LES_REC_OK) {
        sqlite3_bind_int64(st, 1, station);
        sqlite3_bind_int64(st, 2, id);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            r = les__db_fail(db, rc, err, "cannot sign the attempt");
    }
    char *text = NULL;
    if (r == LES_REC_OK)
        r = les__db_record_text(db, id, &text, err);
    uint8_t sig[LES_SIGN_BYTES];
    if (r == LES_REC_OK)
        r = les_sign_message(key, text, strlen(text), sig, err);
    if (r == LES_REC_OK)
        r = les__db_prepare(db, "UPDATE attempts SET record = ?, signature = ? WHERE id = ?", &st,
                            err, "cannot sign the attempt");
    if (r == LES_REC_OK) {
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, sig, sizeof sig, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, id);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            r = les__db_fail(db, rc, err, "cannot sign the attempt");
    }
    sim_free(text);
    return r;
}
