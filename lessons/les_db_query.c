/* les_db_query.c: reading attempts: list with filters, one attempt by id
 * or uid, its stored data (trace, scores, lesson, signed record), and a
 * trainee's scores over time per metric.
 *
 * Callbacks run while a statement is open: they must not write to the
 * same database.
 *
 * Threads: as les_db.h.
 */
#include "les_db_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void les__db_row_info(sqlite3_stmt *st, int c, les_db_attempt_info *info)
{
    memset(info, 0, sizeof *info);
    char word[32];
    info->id = sqlite3_column_int64(st, c + 0);
    les__db_text(st, c + 1, info->uid, sizeof info->uid);
    les__db_text(st, c + 2, info->trainee, sizeof info->trainee);
    les__db_text(st, c + 3, info->instructor, sizeof info->instructor);
    les__db_text(st, c + 4, info->lesson_hash, sizeof info->lesson_hash);
    les__db_text(st, c + 5, info->lesson_id, sizeof info->lesson_id);
    les__db_text(st, c + 6, info->lesson_title, sizeof info->lesson_title);
    les__db_text(st, c + 7, word, sizeof word);
    if (!les_mode_parse(word, &info->mode))   /* defensive: CHECK constraint */
        info->mode = LES_MODE_PRACTICE;
    info->session = sqlite3_column_int64(st, c + 8);
    info->started_us = sqlite3_column_int64(st, c + 9);
    info->ended_us = sqlite3_column_int64(st, c + 10);
    info->time_limit_s = sqlite3_column_int64(st, c + 11);
    les__db_text(st, c + 12, word, sizeof word);
    if (!les_outcome_parse(word, &info->outcome))   /* defensive: CHECK constraint */
        info->outcome = LES_OUTCOME_RECORDING;
    info->graded = sqlite3_column_int(st, c + 13) != 0;
    info->score = sqlite3_column_double(st, c + 14);
    info->passed = sqlite3_column_int(st, c + 15) != 0;
    info->is_signed = sqlite3_column_int(st, c + 16) != 0;
    les__db_text(st, c + 17, info->station, sizeof info->station);
    les__db_text(st, c + 18, info->station_name, sizeof info->station_name);
    les__db_text(st, c + 19, info->app_version, sizeof info->app_version);
    info->sim_version = sqlite3_column_int(st, c + 20);
    info->trace_samples = (uint64_t)sqlite3_column_int64(st, c + 21);
    info->trace_bytes = sqlite3_column_int64(st, c + 22);
    les__db_text(st, c + 23, info->trainee_name, sizeof info->trainee_name);
}

void les__db_bind_filter(sqlite3_stmt *st, const les_db_filter *f)
{
    if (f->trainee)
        sqlite3_bind_text(st, 1, f->trainee, -1, SQLITE_STATIC);
    if (f->lesson)
        sqlite3_bind_text(st, 2, f->lesson, -1, SQLITE_STATIC);
    if (f->mode == LES_MODE_PRACTICE || f->mode == LES_MODE_EXAM)
        sqlite3_bind_text(st, 3, les_mode_name((les_mode)f->mode), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, f->since_us);
    sqlite3_bind_int64(st, 5, f->until_us);
    if (f->outcome >= 0 && f->outcome < LES_OUTCOME_COUNT)
        sqlite3_bind_text(st, 6, les_outcome_name((les_outcome)f->outcome), -1, SQLITE_STATIC);
}

les_rec_result les_db_list(les_db *db, const les_db_filter *f, les_db_attempt_fn fn, void *ctx,
                           sim_error *err)
{
    les_db_filter all = les_db_filter_all();
    if (!f)
        f = &all;
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(db,
                                       "SELECT " LES__ATTEMPT_COLUMNS LES__ATTEMPT_FROM LES__FILTER_WHERE
                                       " ORDER BY a.started_us, a.id",
                                       &st, err, "cannot list attempts");
    if (r != LES_REC_OK)
        return r;
    les__db_bind_filter(st, f);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        les_db_attempt_info info;
        les__db_row_info(st, 0, &info);
        if (fn(ctx, &info) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        r = les__db_fail(db, rc, err, "cannot list attempts");
    sqlite3_finalize(st);
    return r;
}

static bool all_digits(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static les_rec_result get_attempt(les_db *db, const char *ref, bool by_id,
                                  les_db_attempt_info *info, sim_error *err);

les_rec_result les_db_get(les_db *db, const char *ref, les_db_attempt_info *info, sim_error *err)
{
    if (ref && ref[0] == '#')
        ref++;
    bool by_id = all_digits(ref) && strlen(ref) < 19;
    les_rec_result r = get_attempt(db, ref, by_id, info, err);
    /* a uid prefix may be all digits: try it when no row has that number */
    if (r == LES_REC_ERR_NOTFOUND && by_id && strlen(ref) >= 6)
        r = get_attempt(db, ref, false, info, err);
    return r;
}

static les_rec_result get_attempt(les_db *db, const char *ref, bool by_id,
                                  les_db_attempt_info *info, sim_error *err)
{
    if (!by_id && !les__is_hex(ref, 6, 32))
        return les__db_error(db, LES_REC_ERR_INPUT, err,
                             "'%.80s' is not an attempt: give its number or at least 6 digits of "
                             "its uid",
                             ref ? ref : "");
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(
        db,
        by_id ? "SELECT " LES__ATTEMPT_COLUMNS LES__ATTEMPT_FROM " WHERE a.id = ?1"
              : "SELECT " LES__ATTEMPT_COLUMNS LES__ATTEMPT_FROM
                " WHERE substr(a.uid, 1, length(?1)) = ?1 LIMIT 2",
        &st, err, "cannot read the attempt");
    if (r != LES_REC_OK)
        return r;
    if (by_id)
        sqlite3_bind_int64(st, 1, (sqlite3_int64)strtoll(ref, NULL, 10));
    else
        sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        les__db_row_info(st, 0, info);
        if (!by_id && sqlite3_step(st) == SQLITE_ROW)
            r = les__db_error(db, LES_REC_ERR_INPUT, err,
                              "attempt uid prefix %s is ambiguous: give more digits", ref);
    } else if (rc == SQLITE_DONE) {
        r = les__db_error(db, LES_REC_ERR_NOTFOUND, err, "no attempt %s%s in %s", by_id ? "#" : "",
                          ref, db->path);
    } else {
        r = les__db_fail(db, rc, err, "cannot read the attempt");
    }
    sqlite3_finalize(st);
    return r;
}

void les_db_attempt_data_free(les_db_attempt_data *d)
{
    if (!d)
        return;
    sim_free(d->scores_json);
    sim_free(d->trace);
    sim_free(d->lesson_text);
    sim_free(d->record);
    memset(d, 0, sizeof *d);
}

les_rec_result les_db_attempt_load(les_db *db, int64_t id, les_db_attempt_data *d, sim_error *err)
{
    memset(d, 0, sizeof *d);
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(
        db,
        "SELECT a.scores_json, a.trace, l.text, a.record, a.signature, s.public_key "
        "FROM attempts a JOIN lessons l ON l.hash = a.lesson_hash "
        "LEFT JOIN stations s ON s.id = a.station_id WHERE a.id = ?",
        &st, err, "cannot read the attempt");
    if (r != LES_REC_OK)
        return r;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        bool oom = false;
        size_t len = 0;
        d->scores_json = les__db_dup(st, 0, NULL, &oom);
        d->trace = (uint8_t *)les__db_dup(st, 1, &len, &oom);
        d->trace_size = len;
        d->lesson_text = les__db_dup(st, 2, &d->lesson_len, &oom);
        d->record = les__db_dup(st, 3, NULL, &oom);
        if (sqlite3_column_bytes(st, 4) == LES_SIGN_BYTES)
            memcpy(d->signature, sqlite3_column_blob(st, 4), LES_SIGN_BYTES);
        if (sqlite3_column_bytes(st, 5) == LES_SIGN_PUBLIC_BYTES)
            memcpy(d->station_key, sqlite3_column_blob(st, 5), LES_SIGN_PUBLIC_BYTES);
        if (oom)
            r = les__db_error(db, LES_REC_ERR_NOMEM, err, "out of memory reading attempt #%lld",
                              (long long)id);
    } else if (rc == SQLITE_DONE) {
        r = les__db_error(db, LES_REC_ERR_NOTFOUND, err, "no attempt #%lld", (long long)id);
    } else {
        r = les__db_fail(db, rc, err, "cannot read the attempt");
    }
    sqlite3_finalize(st);
    if (r != LES_REC_OK)
        les_db_attempt_data_free(d);
    return r;
}

les_rec_result les_db_history(les_db *db, const char *trainee, const char *lesson,
                              les_db_history_fn fn, void *ctx, sim_error *err)
{
    if (!les_db_code_valid(trainee))
        return les__db_error(db, LES_REC_ERR_INPUT, err, "'%.80s' is not a trainee code",
                             trainee ? trainee : "");
    les_db_filter f = les_db_filter_all();
    f.trainee = trainee;
    f.lesson = lesson;
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(
        db,
        "SELECT " LES__ATTEMPT_COLUMNS ", 'total', a.score, 0" LES__ATTEMPT_FROM LES__FILTER_WHERE
        " AND a.scores_json IS NOT NULL"
        " UNION ALL SELECT " LES__ATTEMPT_COLUMNS ", m.key, json_extract(m.value, '$.score'), 1"
        LES__ATTEMPT_FROM ", json_each(CASE WHEN json_valid(a.scores_json) THEN a.scores_json "
        "ELSE '{}' END, '$.metrics') m" LES__FILTER_WHERE " AND a.scores_json IS NOT NULL"
        " ORDER BY 10, 1, 27, 25",
        &st, err, "cannot read the trainee's history");
    if (r != LES_REC_OK)
        return r;
    les__db_bind_filter(st, &f);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        les_db_attempt_info info;
        les__db_row_info(st, 0, &info);
        char metric[64];
        les__db_text(st, 24, metric, sizeof metric);
        if (sqlite3_column_type(st, 25) == SQLITE_NULL)
            continue;   /* a metric without a score */
        if (fn(ctx, &info, metric, sqlite3_column_double(st, 25)) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        r = les__db_fail(db, rc, err, "cannot read the trainee's history");
    sqlite3_finalize(st);
    return r;
}
