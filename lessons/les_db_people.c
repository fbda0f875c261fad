/* les_db_people.c: trainees, instructors, stations and lessons: the rows
 * attempts point to. Public calls run their own transaction; the les__db_*
 * helpers run inside the caller's (attempt begin, import).
 *
 * Threads: as les_db.h.
 */
#include "les_db_internal.h"

#include <stdio.h>
#include <string.h>

bool les_db_code_valid(const char *code)
{
    size_t n = code ? strlen(code) : 0;
    if (n == 0 || n > LES_DB_CODE_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '@' || c == '+' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

static les_rec_result bad_code(les_db *db, const char *who, const char *code, sim_error *err)
{
    return les__db_error(db, LES_REC_ERR_INPUT, err,
                         "%s code '%.80s' is not valid: use 1 to %d letters, digits or . _ @ + -",
                         who, code ? code : "", LES_DB_CODE_MAX);
}

/* Finds a person's id by code in `table` (trainees or instructors). */
static les_rec_result find_person(les_db *db, const char *table, const char *code, int64_t *id,
                                  bool *registered, char *name, size_t name_size, sim_error *err)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT id, name, %s FROM %s WHERE code = ?",
             strcmp(table, "trainees") == 0 ? "registered" : "1", table);
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(db, sql, &st, err, "cannot look up a person");
    if (r != LES_REC_OK)
        return r;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *id = 0;
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        if (name)
            les__db_text(st, 1, name, name_size);
        if (registered)
            *registered = sqlite3_column_int(st, 2) != 0;
    } else if (rc == SQLITE_DONE) {
        r = LES_REC_ERR_NOTFOUND;
    } else {
        r = les__db_fail(db, rc, err, "cannot look up a person");
    }
    sqlite3_finalize(st);
    return r;
}

static les_rec_result insert_person(les_db *db, const char *table, const char *code,
                                    const char *name, bool registered, int64_t *id, sim_error *err)
{
    char sql[160];
    bool trainees = strcmp(table, "trainees") == 0;
    snprintf(sql, sizeof sql, "INSERT INTO %s(code, name, added_us%s) VALUES (?, ?, ?%s)", table,
             trainees ? ", registered" : "", trainees ? ", ?" : "");
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(db, sql, &st, err, "cannot add a person");
    if (r != LES_REC_OK)
        return r;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name ? name : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, les__now_us());
    if (trainees)
        sqlite3_bind_int(st, 4, registered ? 1 : 0);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return les__db_fail(db, rc, err, "cannot add a person");
    *id = sqlite3_last_insert_rowid(db->sql);
    char detail[200];
    snprintf(detail, sizeof detail, "%s %s%s", trainees ? "trainee" : "instructor", code,
             trainees && !registered ? " (first practice attempt)" : "");
    return les__db_audit(db, trainees ? "trainee_added" : "instructor_added", NULL, detail, err);
}

les_rec_result les__db_trainee_id(les_db *db, const char *code, bool create,
                                  bool must_be_registered, int64_t *id, sim_error *err)
{
    if (!les_db_code_valid(code))
        return bad_code(db, "trainee", code, err);
    bool registered = false;
    les_rec_result r = find_person(db, "trainees", code, id, &registered, NULL, 0, err);
    if (r == LES_REC_OK && must_be_registered && !registered)
        return les__db_error(db, LES_REC_ERR_NOTFOUND, err,
                             "trainee %s is not registered for exams: an instructor registers "
                             "them with 'stipple records trainee add %s'",
                             code, code);
    if (r != LES_REC_ERR_NOTFOUND)
        return r;
    if (!create || must_be_registered)
        return les__db_error(db, LES_REC_ERR_NOTFOUND, err,
                             "no trainee %s: register them with 'stipple records trainee add %s'",
                             code, code);
    return insert_person(db, "trainees", code, NULL, false, id, err);
}

les_rec_result les__db_instructor_id(les_db *db, const char *code, int64_t *id, sim_error *err)
{
    if (!les_db_code_valid(code))
        return bad_code(db, "instructor", code, err);
    les_rec_result r = find_person(db, "instructors", code, id, NULL, NULL, 0, err);
    if (r == LES_REC_ERR_NOTFOUND)
        r = insert_person(db, "instructors", code, NULL, true, id, err);
    return r;
}

static les_rec_result add_person(les_db *db, const char *table, const char *who,
                                 const char *code, const char *name, sim_error *err)
{
    if (!les_db_code_valid(code))
        return bad_code(db, who, code, err);
    les_rec_result r = les__db_begin(db, err, "cannot add a person");
    if (r != LES_REC_OK)
        return r;
    int64_t id;
    bool registered = false;
    char old_name[256] = "";
    r = find_person(db, table, code, &id, &registered, old_name, sizeof old_name, err);
    if (r == LES_REC_ERR_NOTFOUND) {
        r = insert_person(db, table, code, name, true, &id, err);
    } else if (r == LES_REC_OK) {
        if (name && *name && old_name[0] && strcmp(name, old_name) != 0) {
            r = les__db_error(db, LES_REC_ERR_CONFLICT, err, "%s %s is already registered as '%s'",
                              who, code, old_name);
        } else if (!registered || (name && *name && !old_name[0])) {
            char sql[128];
            snprintf(sql, sizeof sql, "UPDATE %s SET name = coalesce(nullif(?, ''), name)%s "
                     "WHERE id = ?", table, strcmp(table, "trainees") == 0 ? ", registered = 1" : "");
            sqlite3_stmt *st;
            r = les__db_prepare(db, sql, &st, err, "cannot register a person");
            if (r == LES_REC_OK) {
                sqlite3_bind_text(st, 1, name ? name : "", -1, SQLITE_STATIC);
                sqlite3_bind_int64(st, 2, id);
                int rc = sqlite3_step(st);
                sqlite3_finalize(st);
                char detail[128];
                snprintf(detail, sizeof detail, "%s %s registered", who, code);
                r = rc == SQLITE_DONE ? les__db_audit(db, "trainee_registered", NULL, detail, err)
                                      : les__db_fail(db, rc, err, "cannot register a person");
            }
        }
    }
    if (r == LES_REC_OK)
        return les__db_commit(db, err, "cannot add a person");
    les__db_rollback(db);
    return r;
}

les_rec_result les_db_trainee_add(les_db *db, const char *code, const char *name, sim_error *err)
{
    return add_person(db, "trainees", "trainee", code, name, err);
}

les_rec_result les_db_instructor_add(les_db *db, const char *code, const char *name,
                                     sim_error *err)
{
    return add_person(db, "instructors", "instructor", code, name, err);
}

les_rec_result les__db_station_id(les_db *db, const les_sign_key *key, int64_t *id, sim_error *err)
{
    *id = 0;
    les_rec_result r = les__db_station_trust(db, key->pk, key->name, true,
                                             "it signs here: a station trusts itself", key, err);
    sqlite3_stmt *st;
    if (r == LES_REC_OK)
        r = les__db_prepare(db, "SELECT id FROM stations WHERE public_key = ?", &st, err,
                            "cannot look up the station");
    if (r != LES_REC_OK)
        return r;
    sqlite3_bind_blob(st, 1, key->pk, LES_SIGN_PUBLIC_BYTES, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return LES_REC_OK;
    return rc == SQLITE_DONE   /* defensive: the row was just ensured */
               ? les__db_error(db, LES_REC_ERR_NOTFOUND, err, "the station %s is not stored",
                               key->fingerprint)
               : les__db_fail(db, rc, err, "cannot look up the station");
}

/* Adds a station row (untrusted: the caller sets the flag). */
static les_rec_result insert_station(les_db *db, const uint8_t pk[32], const char *name,
                                     const char *fp, const les_sign_key *by, sim_error *err)
{
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(db,
                                       "INSERT INTO stations(public_key, fingerprint, name, "
                                       "added_us) VALUES (?, ?, ?, ?)",
                                       &st, err, "cannot add the station");
    if (r != LES_REC_OK)
        return r;
    sqlite3_bind_blob(st, 1, pk, LES_SIGN_PUBLIC_BYTES, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, fp, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, les__now_us());
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return les__db_fail(db, rc, err, "cannot add the station");
    char detail[160];
    les__fmt(detail, sizeof detail, "station %.80s (%s)", name, fp);
    return les__db_audit_as(db, by, "station_added", NULL, detail, err);
}

les_rec_result les__db_station_trust(les_db *db, const uint8_t pk[32], const char *name,
                                     bool trusted, const char *why, const les_sign_key *by,
                                     sim_error *err)
{
    char fp[33], hex[65];
    les_sign_fingerprint(pk, fp);
    les_hex(pk, LES_SIGN_PUBLIC_BYTES, hex);
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(db, "SELECT trusted, name FROM stations WHERE public_key = ?",
                                       &st, err, "cannot look up the station");
    if (r != LES_REC_OK)
        return r;
    sqlite3_bind_blob(st, 1, pk, LES_SIGN_PUBLIC_BYTES, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    bool was = rc == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
    char stored_name[128] = "";
    if (rc == SQLITE_ROW)
        les__db_text(st, 1, stored_name, sizeof stored_name);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return les__db_fail(db, rc, err, "cannot look up the station");
    if (rc == SQLITE_DONE) {
        if (!trusted)
            return les__db_error(db, LES_REC_ERR_NOTFOUND, err,
                                 "this database knows no station %s", fp);
        snprintf(stored_name, sizeof stored_name, "%s", name && *name ? name : "station");
        r = insert_station(db, pk, stored_name, fp, by, err);
        if (r != LES_REC_OK)
            return r;
    }
    if (was == trusted)
        return LES_REC_OK;
    r = les__db_prepare(db, "UPDATE stations SET trusted = ? WHERE public_key = ?", &st, err,
                        "cannot change the station's trust");
    if (r != LES_REC_OK)
        return r;
    sqlite3_bind_int(st, 1, trusted ? 1 : 0);
    sqlite3_bind_blob(st, 2, pk, LES_SIGN_PUBLIC_BYTES, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return les__db_fail(db, rc, err, "cannot change the station's trust");
    char detail[400];
    les__fmt(detail, sizeof detail, "key %s, station %.80s (%s): %.180s", hex, stored_name, fp,
             why ? why : "");
    return les__db_audit_as(db, by, trusted ? "station_trusted" : "station_untrusted", NULL,
                            detail, err);
}

static les_rec_result change_trust(les_db *db, const les_sign_key *station, bool trusted,
                                   sim_error *err)
{
    if (!station)
        return les__db_error(db, LES_REC_ERR_ARG, err, "no station key given");
    /* a trust event only counts when this station's key seals it */
    if (!db->key || !db->key->has_secret)
        return les__db_error(db, LES_REC_ERR_KEY, err,
                             "changing whom this database trusts is sealed by this station's "
                             "key: the station's secret key is needed");
    les_rec_result r = les__db_begin(db, err, "cannot change the station's trust");
    if (r != LES_REC_OK)
        return r;
    r = les__db_station_trust(db, station->pk, station->name, trusted,
                              trusted ? "trusted by hand" : "no longer trusted, by hand", NULL,
                              err);
    if (r == LES_REC_OK)
        return les__db_commit(db, err, "cannot change the station's trust");
    les__db_rollback(db);
    return r;
}

les_rec_result les_db_trust_add(les_db *db, const les_sign_key *station, sim_error *err)
{
    return change_trust(db, station, true, err);
}

les_rec_result les_db_trust_remove(les_db *db, const les_sign_key *station, sim_error *err)
{
    return change_trust(db, station, false, err);
}

les_rec_result les_db_stations(les_db *db, les_db_station_fn fn, void *ctx, sim_error *err)
{
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(
        db,
        "SELECT s.public_key, s.fingerprint, s.name, s.trusted, s.added_us, "
        "(SELECT count(*) FROM attempts a WHERE a.station_id = s.id) FROM stations s ORDER BY s.id",
        &st, err, "cannot list the stations");
    if (r != LES_REC_OK)
        return r;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        les_db_station_info info;
        memset(&info, 0, sizeof info);
        if (sqlite3_column_bytes(st, 0) == LES_SIGN_PUBLIC_BYTES)
            memcpy(info.public_key, sqlite3_column_blob(st, 0), LES_SIGN_PUBLIC_BYTES);
        les__db_text(st, 1, info.fingerprint, sizeof info.fingerprint);
        les__db_text(st, 2, info.name, sizeof info.name);
        info.trusted = sqlite3_column_int(st, 3) != 0;
        info.is_this_station =
            db->key && memcmp(db->key->pk, info.public_key, LES_SIGN_PUBLIC_BYTES) == 0;
        info.added_us = sqlite3_column_int64(st, 4);
        info.attempts = sqlite3_column_int64(st, 5);
        if (fn(ctx, &info) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        r = les__db_fail(db, rc, err, "cannot list the stations");
    sqlite3_finalize(st);
    return r;
}

les_rec_result les__db_lesson_put(les_db *db, const char *hash, const char *lesson_id,
                                  const char *title, int version, const char *text, size_t len,
                                  sim_error *err)
{
    if (!les__is_hex(hash, 64, 64) || !lesson_id || !text)
        return les__db_error(db, LES_REC_ERR_ARG, err,
                             "a lesson needs its 64-digit hash, its id and its text");
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(db, "SELECT 1 FROM lessons WHERE hash = ?", &st, err,
                                       "cannot store the lesson");
    if (r != LES_REC_OK)
        return r;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    /* Texts with one canonical hash are one lesson (comments and key order
     * aside): the first text stored stays. */
    if (rc == SQLITE_ROW)
        return LES_REC_OK;
    if (rc != SQLITE_DONE)
        return les__db_fail(db, rc, err, "cannot store the lesson");
    r = les__db_prepare(db,
                        "INSERT INTO lessons(hash, lesson_id, title, version, text, added_us) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        &st, err, "cannot store the lesson");
    if (r != LES_REC_OK)
        return r;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, lesson_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, title ? title : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, version);
    sqlite3_bind_int64(st, 6, les__now_us());
    /* the whole length (a size_t, never cut to an int); over SQLite's
     * limit the bind refuses, and so does this */
    rc = sqlite3_bind_blob64(st, 5, text, (sqlite3_uint64)len, SQLITE_STATIC);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        if ((rc & 0xff) != SQLITE_TOOBIG)
            return les__db_fail(db, rc, err, "cannot store the lesson");
        return les__db_error(db, LES_REC_ERR_INPUT, err,
                             "the text of lesson %.80s (%zu bytes) is longer than the records "
                             "database takes (%d bytes)",
                             lesson_id, len, sqlite3_limit(db->sql, SQLITE_LIMIT_LENGTH, -1));
    }
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return les__db_fail(db, rc, err, "cannot store the lesson");
    char detail[200];
    snprintf(detail, sizeof detail, "lesson %.80s %s", lesson_id, hash);
    return les__db_audit(db, "lesson_added", NULL, detail, err);
}

les_rec_result les_db_lesson_add(les_db *db, const char *hash, const char *lesson_id,
                                 const char *title, int version, const char *text, size_t len,
                                 sim_error *err)
{
    les_rec_result r = les__db_begin(db, err, "cannot store the lesson");
    if (r != LES_REC_OK)
        return r;
    r = les__db_lesson_put(db, hash, lesson_id, title, version, text, len, err);
    if (r == LES_REC_OK)
        return les__db_commit(db, err, "cannot store the lesson");
    les__db_rollback(db);
    return r;
}

les_rec_result les_db_lesson_text(les_db *db, const char *hash, char **text, size_t *len,
                                  char *hash_out, sim_error *err)
{
    *text = NULL;
    if (len)
        *len = 0;
    if (!les__is_hex(hash, 8, 64))
        return les__db_error(db, LES_REC_ERR_INPUT, err,
                             "'%.80s' is not a lesson hash (8 to 64 lowercase hex digits)",
                             hash ? hash : "");
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(db,
                                       "SELECT hash, text FROM lessons WHERE substr(hash, 1, ?) = ? "
                                       "LIMIT 2",
                                       &st, err, "cannot read the lesson");
    if (r != LES_REC_OK)
        return r;
    sqlite3_bind_int(st, 1, (int)strlen(hash));
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (hash_out)
            les__db_text(st, 0, hash_out, 65);
        bool oom = false;
        *text = les__db_dup(st, 1, len, &oom);
        if (oom)
            r = les__db_error(db, LES_REC_ERR_NOMEM, err, "out of memory reading a lesson");
        else if (sqlite3_step(st) == SQLITE_ROW)
            r = les__db_error(db, LES_REC_ERR_INPUT, err,
                              "lesson hash prefix %s is ambiguous: give more digits", hash);
    } else if (rc == SQLITE_DONE) {
        r = les__db_error(db, LES_REC_ERR_NOTFOUND, err, "no lesson with hash %s is stored", hash);
    } else {
        r = les__db_fail(db, rc, err, "cannot read the lesson");
    }
    sqlite3_finalize(st);
    if (r != LES_REC_OK) {
        sim_free(*text);
        *text = NULL;
    }
    return r;
}
