/* les_db_recover.c: turning what a crash left behind into interrupted
 * attempts (les_db_record.h explains when an attempt is orphaned).
 *
 * For every attempt still "recording" whose journal no live process holds
 * locked: read the journal, keep every whole block (a block cut short by
 * the crash is the at-most-one-second that is lost; a damaged block ends
 * what is kept), store the trace, grade it, sign it and mark the attempt
 * interrupted, saying what was found in the audit log. Then delete the
 * journal. Journals left by an attempt that did commit (a crash between
 * the commit and the delete) are deleted too.
 *
 * Threads: as les_db.h.
 */
#include "les_db_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct orphan {
    int64_t id;
    char uid[80];                /* room to see an over-long (edited) uid */
    char journal[80];
} orphan;

/* Lists attempts still recording (into a sim_malloc'd array). A row marked
 * recording that holds a signature, a record, a trace or scores was ended
 * and edited back: recovering it would wipe what it holds and sign it
 * afresh, so it is left for verify to name. */
static les_rec_result list_recording(les_db *db, orphan **out, size_t *count, sim_error *err)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(
        db, "SELECT id, uid, coalesce(journal, '') FROM attempts WHERE outcome = 'recording' "
            "AND signature IS NULL AND record IS NULL AND trace IS NULL AND scores_json IS NULL "
            "ORDER BY id",
        &st, err, "cannot look for unfinished attempts");
    if (r != LES_REC_OK)
        return r;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        void *items = *out;
        if (sim_array_grow(&items, &cap, *count, sizeof **out, 8) != SIM_OK) {
            r = les__db_error(db, LES_REC_ERR_NOMEM, err, "out of memory recovering attempts");
            break;
        }
        *out = items;
        orphan *o = &(*out)[(*count)++];
        o->id = sqlite3_column_int64(st, 0);
        les__db_text(st, 1, o->uid, sizeof o->uid);
        les__db_text(st, 2, o->journal, sizeof o->journal);
    }
    if (r == LES_REC_OK && rc != SQLITE_DONE)
        r = les__db_fail(db, rc, err, "cannot look for unfinished attempts");
    sqlite3_finalize(st);
    return r;
}

/* Reads a journal into the trace bytes to store; describes it in note. */
static les_rec_result salvage(int fd, const char *name, uint8_t **trace, size_t *size,
                              uint64_t *samples, char *note, size_t note_size)
{
    *trace = NULL;
    *size = 0;
    *samples = 0;
    uint8_t *bytes;
    size_t n;
    les_rec_result r = les__read_bytes(fd, &bytes, &n);
    if (r != LES_REC_OK) {
        snprintf(note, note_size, "the journal cannot be read: no samples recovered");
        return r == LES_REC_ERR_NOMEM ? r : LES_REC_OK;
    }
    sim_trace_header h;
    if (n < SIM_TRACE_HEADER_SIZE || sim_trace_decode_header(bytes, &h, NULL) != SIM_OK) {
        snprintf(note, note_size, "the journal's header is cut short or damaged (%zu bytes): no "
                 "samples recovered", n);
        sim_free(bytes);
        return LES_REC_OK;
    }
    sim_trace t;
    sim_trace_init(&t);
    sim_error e;
    sim_error_clear(&e);
    sim_result sr = sim_trace_parse(&t, bytes, n, name, &e);
    *samples = t.count;
    if (sr == SIM_OK && !t.truncated) {
        snprintf(note, note_size, "%zu samples recovered from the journal", t.count);
        *trace = bytes;
        *size = n;
        bytes = NULL;
    } else {
        /* keep every whole block before the cut or the damage */
        char why[600];
        snprintf(note, note_size, "%zu samples recovered from the journal; %s", t.count,
                 sr == SIM_OK ? "its last block was cut short by the crash"
                              : sim_error_format(&e, why, sizeof why));
        t.header = h;
        r = les__trace_encode(&h, t.samples, t.count, NULL, 0, trace, size);
    }
    sim_trace_deinit(&t);
    sim_free(bytes);
    return r;
}

/* Recovers one orphan; *skipped when a live process holds its journal. */
static les_rec_result recover_one(les_db *db, const orphan *o, const les_sign_key *key,
                                  les_db_recovered *out, bool *skipped, sim_error *err)
{
    *skipped = false;
    /* The journal is always "<uid>.trace" in the journals folder (as
     * les_db_attempt_begin names it). The path is built from a checked uid,
     * never from the journal column: the database is data, and an edited
     * column must not make recovery read or delete a file elsewhere. */
    char path[LES_DB_PATH_MAX + 128], name[96];
    bool uid_ok = les__is_hex(o->uid, 32, 32);
    snprintf(name, sizeof name, "%s.trace", uid_ok ? o->uid : "-");
    snprintf(path, sizeof path, "%s/%s", db->traces_dir, name);
    int fd = uid_ok ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    int open_errno = uid_ok ? errno : EINVAL;
    if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        *skipped = true;   /* a live recording */
        return LES_REC_OK;
    }
    uint8_t *trace = NULL;
    size_t size = 0;
    uint64_t samples = 0;
    int64_t ended = 0;
    les_rec_result r = LES_REC_OK;
    memset(out, 0, sizeof *out);
    if (fd >= 0) {
        struct stat st;
        if (fstat(fd, &st) == 0)   /* the last flush is as near the crash as we know */
            ended = (int64_t)st.st_mtim.tv_sec * 1000000 + st.st_mtim.tv_nsec / 1000;
        r = salvage(fd, path, &trace, &size, &samples, out->note, sizeof out->note);
    } else if (!uid_ok) {
        les__fmt(out->note, sizeof out->note,
                 "its uid is not 32 hex digits, so it has no journal: no samples");
    } else {
        les__fmt(out->note, sizeof out->note, "its journal %s is missing (%s): no samples",
                 path, strerror(open_errno));
    }
    if (o->journal[0] && strcmp(o->journal, name) != 0) {
        size_t used = strlen(out->note);
        les__fmt(out->note + used, sizeof out->note - used,
                 "; its journal column was altered to '%.60s' (ignored)", o->journal);
    }
    if (r == LES_REC_OK) {
        char grade_note[400];
        r = les__db_finish_attempt(db, o->id, trace, size, samples, LES_OUTCOME_INTERRUPTED,
                                   ended ? ended : les__now_us(), key, "recovered", out->note,
                                   grade_note, sizeof grade_note, err);
        if (grade_note[0]) {
            size_t used = strlen(out->note);
            snprintf(out->note + used, sizeof out->note - used, "; %s", grade_note);
        }
    }
    sim_free(trace);
    if (r == LES_REC_OK && fd >= 0)
        unlink(path);
    if (fd >= 0)
        close(fd);
    if (r == LES_REC_OK) {
        char ref[40];
        snprintf(ref, sizeof ref, "%lld", (long long)o->id);
        r = les_db_get(db, ref, &out->info, err);
    }
    return r;
}

/* Deletes journals whose attempts committed (crash between commit and
 * delete) or that never got a row and hold no samples. */
static void sweep_journals(les_db *db)
{
    DIR *dir = opendir(db->traces_dir);
    if (!dir)
        return;
    sqlite3_stmt *st;
    if (les__db_prepare(db, "SELECT outcome FROM attempts WHERE uid = ?", &st, NULL, "sweep") !=
        LES_REC_OK) {
        closedir(dir);
        return;
    }
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n != 32 + 6 || strcmp(de->d_name + 32, ".trace") != 0)
            continue;
        char uid[33], path[LES_DB_PATH_MAX + 128];
        memcpy(uid, de->d_name, 32);
        uid[32] = 0;
        les__fmt(path, sizeof path, "%s/%s", db->traces_dir, de->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat fs;
        if (flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &fs) == 0) {
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, uid, -1, SQLITE_TRANSIENT);
            int rc = sqlite3_step(st);
            char state[32] = "";
            if (rc == SQLITE_ROW)
                les__db_text(st, 0, state, sizeof state);
            bool ended = rc == SQLITE_ROW && strcmp(state, "recording") != 0;
            bool empty_orphan = rc == SQLITE_DONE && fs.st_size <= SIM_TRACE_HEADER_SIZE;
            if (ended || empty_orphan)
                unlink(path);
        }
        close(fd);
    }
    sqlite3_finalize(st);
    closedir(dir);
}

les_rec_result les_db_recover(les_db *db, const les_sign_key *key, les_db_recovered_fn fn,
                              void *ctx, size_t *count, sim_error *err)
{
    if (count)
        *count = 0;
    if (!db || !db->sql)
        return les__db_error(db, LES_REC_ERR_ARG, err, "the records database is not open");
    if (db->read_only || db->read_only_file)
        return LES_REC_OK;
    if (key && !key->has_secret)
        key = NULL;
    orphan *list;
    size_t n;
    les_rec_result r = list_recording(db, &list, &n, err);
    for (size_t i = 0; r == LES_REC_OK && i < n; i++) {
        les_db_recovered rec;
        bool skipped;
        r = recover_one(db, &list[i], key, &rec, &skipped, err);
        if (r == LES_REC_OK && !skipped) {
            if (count)
                (*count)++;
            if (fn && fn(ctx, &rec) != 0)
                break;
        }
    }
    sim_free(list);
    if (r == LES_REC_OK)
        sweep_journals(db);
    return r;
}
