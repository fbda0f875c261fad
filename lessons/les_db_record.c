/* les_db_record.c: recording an attempt: its samples queued in memory and
 * written to the journal (les_db_journal.c) at every flush, held there
 * while the disk refuses writes, and ending the attempt in one transaction
 * (see les_db_record.h for the guarantees).
 *
 * Threads: a recording belongs to the thread that began it.
 */
#include "les_db_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

/* ------------------------------------------------------------------------ */
/* Trace bytes                                                              */
/* ------------------------------------------------------------------------ */

les_rec_result les__trace_encode(const sim_trace_header *h, const sim_sample *a, size_t na,
                                 const sim_sample *b, size_t nb, uint8_t **out, size_t *size)
{
    *out = NULL;
    *size = 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)   /* defensive: only when out of memory */
        return LES_REC_ERR_NOMEM;
    sim_trace_writer w;
    sim_error e;
    /* one-second blocks, as sim_trace_save writes */
    sim_result r = sim_trace_writer_init(&w, f, "trace", h, 0, &e);
    for (size_t i = 0; r == SIM_OK && i < na + nb; i++)
        r = sim_trace_writer_append(&w, i < na ? &a[i] : &b[i - na], &e);
    sim_result rc = sim_trace_writer_close(&w, &e);
    bool ok = r == SIM_OK && rc == SIM_OK;
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        free(buf);   /* open_memstream's buffer comes from malloc */
        return LES_REC_ERR_NOMEM;
    }
    *out = sim_malloc(len ? len : 1);
    if (*out) {
        memcpy(*out, buf, len);
        *size = len;
    }
    free(buf);
    return *out ? LES_REC_OK : LES_REC_ERR_NOMEM;
}

/* Reads a whole file into a sim_malloc'd buffer. */
les_rec_result les__read_bytes(int fd, uint8_t **out, size_t *size)
{
    *out = NULL;
    *size = 0;
    struct stat st;
    if (fstat(fd, &st) != 0)
        return LES_REC_ERR_IO;
    size_t cap = (size_t)st.st_size;
    uint8_t *buf = sim_malloc(cap ? cap : 1);
    if (!buf)
        return LES_REC_ERR_NOMEM;
    size_t got = 0;
    while (got < cap) {
        ssize_t k = pread(fd, buf + got, cap - got, (off_t)got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    if (got != cap) {
        sim_free(buf);
        return LES_REC_ERR_IO;
    }
    *out = buf;
    *size = got;
    return LES_REC_OK;
}

/* ------------------------------------------------------------------------ */
/* Finishing (shared with recovery)                                         */
/* ------------------------------------------------------------------------ */

/* Grades the trace bytes with the database's grader. */
static void grade_trace(les_db *db, int64_t id, const uint8_t *trace, size_t size,
                        les_db_grade *g, char *note, size_t note_size)
{
    memset(g, 0, sizeof *g);
    if (!db->grader.grade || !trace)
        return;
    sqlite3_stmt *st;
    sim_error e;
    sim_error_clear(&e);
    if (les__db_prepare(db,
                        "SELECT l.text FROM attempts a JOIN lessons l ON l.hash = a.lesson_hash "
                        "WHERE a.id = ?",
                        &st, &e, "cannot read the lesson") != LES_REC_OK) {
        les__fmt(note, note_size, "not graded: %s", e.message);
        return;
    }
    sqlite3_bind_int64(st, 1, id);
    char *text = NULL;
    size_t len = 0;
    bool oom = false;
    if (sqlite3_step(st) == SQLITE_ROW)
        text = les__db_dup(st, 0, &len, &oom);
    sqlite3_finalize(st);
    if (!text) {
        snprintf(note, note_size, "not graded: %s", oom ? "out of memory" : "the lesson is missing");
        return;
    }
    if (db->grader.grade(db->grader.ctx, text, len, trace, size, g, &e) != 0) {
        sim_free(g->json);
        memset(g, 0, sizeof *g);
        les__fmt(note, note_size, "not graded: %s", e.message);
    }
    sim_free(text);
}

static les_rec_result finish_locked(les_db *db, int64_t id, const uint8_t *trace, size_t size,
                                    uint64_t samples, les_outcome outcome, int64_t ended_us,
                                    const les_db_grade *g, const les_sign_key *key,
                                    const char *event, const char *detail, sim_error *err)
{
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(db, "SELECT uid, outcome FROM attempts WHERE id = ?", &st,
                                       err, "cannot end the attempt");
    if (r != LES_REC_OK)
        return r;
    sqlite3_bind_int64(st, 1, id);
    char uid[80] = "", state[32] = "";
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        les__db_text(st, 0, uid, sizeof uid);
        les__db_text(st, 1, state, sizeof state);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE
                   ? les__db_error(db, LES_REC_ERR_NOTFOUND, err, "attempt #%lld is gone",
                                   (long long)id)
                   : les__db_fail(db, rc, err, "cannot end the attempt");
    if (strcmp(state, "recording") != 0)
        return les__db_error(db, LES_REC_ERR_STATE, err,
                             "attempt %s is already %s (another process ended or recovered it)",
                             uid, state);
    char sha[65] = "";
    if (trace)
        les_sha256_hex(trace, size, sha);
    r = les__db_prepare(db,
                        "UPDATE attempts SET trace = ?, trace_sha256 = ?, trace_samples = ?, "
                        "outcome = ?, ended_us = ?, scores_json = ?, score = ?, passed = ?, "
                        "journal = NULL WHERE id = ?",
                        &st, err, "cannot end the attempt");
    if (r != LES_REC_OK)
        return r;
    if (trace) {
        /* a trace over SQLite's length limit is refused, never stored as
         * NULL beside its hash */
        rc = sqlite3_bind_blob64(st, 1, trace, size, SQLITE_STATIC);
        if (rc != SQLITE_OK) {
            sqlite3_finalize(st);
            if ((rc & 0xff) != SQLITE_TOOBIG)
                return les__db_fail(db, rc, err, "cannot end the attempt");
            return les__db_error(db, LES_REC_ERR_INPUT, err,
                                 "cannot end attempt %s: its trace (%zu bytes) is longer than "
                                 "the records database takes (%d bytes)",
                                 uid, size, sqlite3_limit(db->sql, SQLITE_LIMIT_LENGTH, -1));
        }
        sqlite3_bind_text(st, 2, sha, -1, SQLITE_STATIC);
    }
    sqlite3_bind_int64(st, 3, (sqlite3_int64)samples);
    sqlite3_bind_text(st, 4, les_outcome_name(outcome), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, ended_us);
    if (g->json) {
        sqlite3_bind_text(st, 6, g->json, -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 7, g->score);
        sqlite3_bind_int(st, 8, g->passed ? 1 : 0);
    }
    sqlite3_bind_int64(st, 9, id);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return les__db_fail(db, rc, err, "cannot end the attempt");
    if (key)
        r = les__db_sign_attempt(db, id, key, err);
    if (r == LES_REC_OK)
        r = les__db_audit_as(db, key, event, uid, detail, err);
    return r;
}

les_rec_result les__db_finish_attempt(les_db *db, int64_t id, const uint8_t *trace,
                                      size_t trace_size, uint64_t samples, les_outcome outcome,
                                      int64_t ended_us, const les_sign_key *key, const char *event,
                                      const char *detail, char *note, size_t note_size,
                                      sim_error *err)
{
    les_db_grade g;
    char grade_note[400] = "";
    grade_trace(db, id, trace, trace_size, &g, grade_note, sizeof grade_note);
    if (note && note_size)
        snprintf(note, note_size, "%s", grade_note);
    char full[700];
    snprintf(full, sizeof full, "%s%s%s", detail ? detail : "", grade_note[0] ? "; " : "",
             grade_note);
    les_rec_result r = les__db_begin(db, err, "cannot end the attempt");
    if (r == LES_REC_OK) {
        r = finish_locked(db, id, trace, trace_size, samples, outcome, ended_us, &g, key, event,
                          full, err);
        if (r == LES_REC_OK)
            r = les__db_commit(db, err, "cannot end the attempt");
        else
            les__db_rollback(db);
    }
    sim_free(g.json);
    return r;
}

/* ------------------------------------------------------------------------ */
/* Journal writes                                                           */
/* ------------------------------------------------------------------------ */

static les_rec_result journal_error(les_db_recording *rec, const sim_error *e, sim_error *err)
{
    int sys = e->sys_errno;
    les_rec_result code = (sys == ENOSPC || sys == EDQUOT || sys == EFBIG) ? LES_REC_ERR_FULL
                          : e->code == SIM_ERR_NOMEM                     ? LES_REC_ERR_NOMEM
                                                                         : LES_REC_ERR_IO;
    rec->journal_failing = true;
    les__db_error(rec->db, code, err,
                  "the trace journal cannot be written (%s): %zu samples are held in memory and "
                  "are written as soon as it can be; nothing already recorded is lost",
                  sys ? strerror(sys) : e->message, rec->pending.count);
    if (err) {
        snprintf(err->file, sizeof err->file, "%.255s", rec->journal_path);
        err->sys_errno = sys;
    }
    return code;
}

/* Writes the pending samples to the journal, oldest first (and syncs). */
static les_rec_result write_pending(les_db_recording *rec, bool sync, sim_error *err)
{
    sim_error e;
    sim_error_clear(&e);
    size_t done = 0;
    les_rec_result r = les__journal_write(rec->journal, rec->pending.samples, rec->pending.count,
                                          sync, &done, &e);
    if (done) {
        memmove(rec->pending.samples, rec->pending.samples + done,
                (rec->pending.count - done) * sizeof *rec->pending.samples);
        rec->pending.count -= done;
    }
    if (r != LES_REC_OK)
        return journal_error(rec, &e, err);
    rec->journal_failing = false;
    return LES_REC_OK;
}

les_rec_result les_db_attempt_tick(les_db_recording *rec, bool force, sim_error *err)
{
    if (!rec || !rec->open)
        return les__db_error(rec ? rec->db : NULL, LES_REC_ERR_STATE, err,
                             "no attempt is being recorded");
    int64_t now = les__mono_us();
    if (rec->journal_failing) {
        if (!force && now - rec->last_retry_us < rec->flush_interval_us)
            return LES_REC_OK;
        rec->last_retry_us = now;
    } else if (!force && now - rec->last_flush_us < rec->flush_interval_us) {
        return LES_REC_OK;
    }
    rec->last_flush_us = now;
    return write_pending(rec, true, err);
}

les_rec_result les_db_attempt_append(les_db_recording *rec, const sim_sample *s, sim_error *err)
{
    if (!rec || !rec->open || !s)
        return les__db_error(rec ? rec->db : NULL, LES_REC_ERR_STATE, err,
                             "no attempt is being recorded");
    if (rec->time_limit_us > 0 && s->t_us > rec->time_limit_us) {
        rec->time_up = true;
        return les__db_error(rec->db, LES_REC_ERR_TIME_UP, err,
                             "the time limit of %lld s is reached: samples after it are not "
                             "recorded",
                             (long long)(rec->time_limit_us / 1000000));
    }
    if (sim_trace_push(&rec->pending, s) != SIM_OK)
        return les__db_error(rec->db, LES_REC_ERR_NOMEM, err,
                             "out of memory holding samples for the trace journal: this sample "
                             "is lost");
    rec->accepted++;
    /* a whole block waits: write it now (synced at the next tick) */
    if (rec->pending.count >= SIM_TRACE_BLOCK_MAX && !rec->journal_failing) {
        les_rec_result r = write_pending(rec, false, err);
        if (r != LES_REC_OK) {
            rec->last_retry_us = les__mono_us();
            return r;
        }
    }
    return les_db_attempt_tick(rec, false, err);
}

/* ------------------------------------------------------------------------ */
/* Begin                                                                    */
/* ------------------------------------------------------------------------ */

static les_rec_result insert_attempt(les_db *db, const les_db_attempt_desc *d,
                                     const les_sign_key *key, les_db_recording *rec,
                                     int64_t started_us, sim_error *err)
{
    les_mode_rules rules = les_mode_rules_for(d->mode);
    les_rec_result r = LES_REC_OK;
    if (d->lesson_text) {
        r = les__db_lesson_put(db, d->lesson_hash, d->lesson_id, d->lesson_title,
                               d->lesson_version, d->lesson_text, d->lesson_len, err);
    } else {
        char *text = NULL;
        r = les_db_lesson_text(db, d->lesson_hash, &text, NULL, NULL, err);
        sim_free(text);
    }
    int64_t trainee = 0, instructor = 0, station = 0;
    if (r == LES_REC_OK)
        r = les__db_trainee_id(db, d->trainee, !rules.needs_known_trainee,
                               rules.needs_known_trainee, &trainee, err);
    if (r == LES_REC_OK && d->instructor && *d->instructor)
        r = les__db_instructor_id(db, d->instructor, &instructor, err);
    if (r == LES_REC_OK && key)
        r = les__db_station_id(db, key, &station, err);
    int64_t session = 1;
    sqlite3_stmt *st;
    if (r == LES_REC_OK)
        r = les__db_prepare(db,
                            "SELECT count(*) + 1 FROM attempts WHERE trainee_id = ? AND "
                            "lesson_hash = ?",
                            &st, err, "cannot begin the attempt");
    if (r == LES_REC_OK) {
        sqlite3_bind_int64(st, 1, trainee);
        sqlite3_bind_text(st, 2, d->lesson_hash, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        session = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 1;
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW)
            r = les__db_fail(db, rc, err, "cannot begin the attempt");
    }
    if (r == LES_REC_OK)
        r = les__db_prepare(db,
                            "INSERT INTO attempts(uid, trainee_id, instructor_id, station_id, "
                            "lesson_hash, mode, session, started_us, time_limit_s, outcome, "
                            "app_version, sim_version, journal, host, pid) VALUES (?, ?, ?, ?, "
                            "?, ?, ?, ?, ?, 'recording', ?, ?, ?, ?, ?)",
                            &st, err, "cannot begin the attempt");
    if (r != LES_REC_OK)
        return r;
    char journal[64], host[128] = "";
    snprintf(journal, sizeof journal, "%s.trace", rec->uid);
    if (gethostname(host, sizeof host - 1) != 0)
        host[0] = 0;
    sqlite3_bind_text(st, 1, rec->uid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, trainee);
    if (instructor)
        sqlite3_bind_int64(st, 3, instructor);
    if (station)
        sqlite3_bind_int64(st, 4, station);
    sqlite3_bind_text(st, 5, d->lesson_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, les_mode_name(d->mode), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, session);
    sqlite3_bind_int64(st, 8, started_us);
    sqlite3_bind_int64(st, 9, d->time_limit_s);
    sqlite3_bind_text(st, 10, db->app_version, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 11, SIM_VERSION);
    sqlite3_bind_text(st, 12, journal, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 13, host, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 14, (int64_t)getpid());
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return les__db_fail(db, rc, err, "cannot begin the attempt");
    rec->attempt_id = sqlite3_last_insert_rowid(db->sql);
    char detail[300];
    snprintf(detail, sizeof detail, "trainee %s, lesson %.80s (%.12s), %s, session %lld%s",
             d->trainee, d->lesson_id ? d->lesson_id : "?", d->lesson_hash,
             les_mode_name(d->mode), (long long)session,
             d->time_limit_s > 0 ? ", time limit set" : "");
    return les__db_audit_as(db, key, "begun", rec->uid, detail, err);
}

les_rec_result les_db_attempt_begin(les_db *db, const les_db_attempt_desc *d,
                                    const les_sign_key *key, les_db_recording *rec,
                                    sim_error *err)
{
    memset(rec, 0, sizeof *rec);
    sim_trace_init(&rec->pending);
    rec->db = db;
    if (!d || !d->trainee || !les__is_hex(d->lesson_hash, 64, 64) ||
        (d->lesson_text && !d->lesson_id) || d->time_limit_s < 0 ||
        (d->mode != LES_MODE_PRACTICE && d->mode != LES_MODE_EXAM))
        return les__db_error(db, LES_REC_ERR_ARG, err,
                             "an attempt needs a trainee, a mode and the lesson's 64-digit hash");
    if (d->time_limit_s > LES_DB_TIME_LIMIT_MAX_S)
        return les__db_error(db, LES_REC_ERR_ARG, err,
                             "the time limit of %lld s is over the %lld s an attempt may last",
                             (long long)d->time_limit_s, (long long)LES_DB_TIME_LIMIT_MAX_S);
    if (!les_db_code_valid(d->trainee))
        return les__db_error(db, LES_REC_ERR_INPUT, err,
                             "trainee code '%.80s' is not valid: use 1 to %d letters, digits or "
                             ". _ @ + -",
                             d->trainee, LES_DB_CODE_MAX);
    if (les_mode_rules_for(d->mode).signs && (!key || !key->has_secret))
        return les__db_error(db, LES_REC_ERR_KEY, err,
                             "an exam is signed when it ends: the station's secret key is needed");
    if (key && !key->has_secret)
        key = NULL;   /* a public key cannot sign the attempt nor MAC its journal */
    les_rec_result r = les_db_require_writable(db, "cannot begin the attempt", err);
    if (r != LES_REC_OK)
        return r;
    les__random_uid(rec->uid);
    sim_trace_header h = d->header;
    size_t bin_len = 0;
    sodium_hex2bin(h.lesson_hash, sizeof h.lesson_hash, d->lesson_hash, 64, NULL, &bin_len, NULL);
    int64_t started = d->started_us ? d->started_us : les__now_us();
    if (!h.start_unix_us)
        h.start_unix_us = started;
    rec->header = h;
    snprintf(rec->journal_path, sizeof rec->journal_path, "%s/%s.trace", db->traces_dir,
             rec->uid);
    les__journal_binding bind = {d->trainee, les_mode_name(d->mode), d->lesson_hash, started,
                                 d->time_limit_s};
    r = les__journal_create(&rec->journal, db, rec->uid, &h, key, &bind, err);
    if (r != LES_REC_OK)
        return r;
    r = les__db_begin(db, err, "cannot begin the attempt");
    if (r == LES_REC_OK) {
        r = insert_attempt(db, d, key, rec, started, err);
        if (r == LES_REC_OK)
            r = les__db_commit(db, err, "cannot begin the attempt");
        else
            les__db_rollback(db);
    }
    if (r != LES_REC_OK) {
        les__journal_close(rec->journal, true);
        rec->journal = NULL;
        return r;
    }
    rec->key = key;
    rec->mode = d->mode;
    rec->time_limit_us = d->time_limit_s * 1000000;
    rec->flush_interval_us = (d->flush_interval_ms > 0 ? d->flush_interval_ms : 1000) * (int64_t)1000;
    rec->last_flush_us = rec->last_retry_us = les__mono_us();
    rec->open = true;
    return LES_REC_OK;
}

/* ------------------------------------------------------------------------ */
/* End                                                                      */
/* ------------------------------------------------------------------------ */

/* The trace as it will be stored: the journal's bytes when it holds every
 * sample, else its samples and those still held in memory, encoded under
 * the recording's own header. Never fewer samples than were appended: when
 * the journal cannot be read back whole, ending fails and keeps both. */
static les_rec_result final_trace(les_db_recording *rec, uint8_t **out, size_t *size,
                                  sim_error *err)
{
    *out = NULL;
    *size = 0;
    uint8_t *bytes = NULL;
    size_t n = 0;
    les_rec_result r = les__journal_read_back(rec->journal, rec->db, &bytes, &n, err);
    if (r != LES_REC_OK)
        return r;
    uint64_t on_disk = les__journal_samples(rec->journal);
    if (on_disk + rec->pending.count != rec->accepted) {   /* defensive */
        sim_free(bytes);
        return les__db_error(rec->db, LES_REC_ERR_IO, err,
                             "the journal holds %llu samples and memory %zu, of the %llu recorded",
                             (unsigned long long)on_disk, rec->pending.count,
                             (unsigned long long)rec->accepted);
    }
    if (rec->pending.count == 0) {
        *out = bytes;
        *size = n;
        return LES_REC_OK;
    }
    sim_trace t;
    sim_trace_init(&t);
    sim_error e;
    sim_error_clear(&e);
    if (sim_trace_parse(&t, bytes, n, rec->journal_path, &e) != SIM_OK || t.truncated ||
        t.count != on_disk) {   /* defensive: these are the bytes written */
        char why[400];
        r = les__db_error(rec->db, LES_REC_ERR_IO, err,
                          "the trace journal %s cannot be read back whole (%s)",
                          rec->journal_path, sim_error_format(&e, why, sizeof why));
    } else {
        r = les__trace_encode(&rec->header, t.samples, t.count, rec->pending.samples,
                              rec->pending.count, out, size);
        if (r != LES_REC_OK)
            r = les__db_error(rec->db, r, err, "out of memory encoding the trace");
    }
    sim_trace_deinit(&t);
    sim_free(bytes);
    return r;
}

static void close_recording(les_db_recording *rec, bool remove_journal)
{
    les__journal_close(rec->journal, remove_journal);   /* the lock goes with it */
    rec->journal = NULL;
    sim_trace_deinit(&rec->pending);
    rec->open = false;
}

les_rec_result les_db_attempt_end(les_db_recording *rec, les_outcome outcome,
                                  les_db_attempt_info *info, sim_error *err)
{
    if (!rec || !rec->open)
        return les__db_error(rec ? rec->db : NULL, LES_REC_ERR_STATE, err,
                             "no attempt is being recorded");
    if (outcome != LES_OUTCOME_FINISHED && outcome != LES_OUTCOME_TIMED_OUT &&
        outcome != LES_OUTCOME_ABANDONED)
        return les__db_error(rec->db, LES_REC_ERR_ARG, err,
                             "an attempt ends finished, timed out or abandoned");
    sim_error e;
    sim_error_clear(&e);
    les_db_attempt_tick(rec, true, &e);   /* what the journal cannot take stays in memory */
    uint8_t *trace = NULL;
    size_t size = 0;
    les_rec_result r = final_trace(rec, &trace, &size, err);
    if (r != LES_REC_OK) {
        if (err) {
            char msg[sizeof err->message];
            les__fmt(msg, sizeof msg,
                     "cannot end the attempt: %s; nothing was stored: the journal and the %zu "
                     "samples held in memory are kept: end it again, or the next start recovers "
                     "what the journal holds",
                     err->message, rec->pending.count);
            snprintf(err->message, sizeof err->message, "%s", msg);
        }
        return r;
    }
    char detail[200];
    snprintf(detail, sizeof detail, "%s, %llu samples", les_outcome_name(outcome),
             (unsigned long long)rec->accepted);
    r = les__db_finish_attempt(rec->db, rec->attempt_id, trace, size, rec->accepted, outcome,
                               les__now_us(), rec->key, "ended", detail, NULL, 0, err);
    sim_free(trace);
    if (r != LES_REC_OK) {
        if (err) {
            char msg[sizeof err->message];
            les__fmt(msg, sizeof msg, "%s; the attempt is safe in its journal: end it again, or "
                     "the next start recovers it", err->message);
            snprintf(err->message, sizeof err->message, "%s", msg);
        }
        return r;
    }
    close_recording(rec, true);
    if (info) {
        char ref[40];
        snprintf(ref, sizeof ref, "%lld", (long long)rec->attempt_id);
        return les_db_get(rec->db, ref, info, err);
    }
    return LES_REC_OK;
}

void les_db_attempt_release(les_db_recording *rec)
{
    if (!rec || !rec->open)
        return;
    sim_error e;
    les_db_attempt_tick(rec, true, &e);
    close_recording(rec, false);
}
