/* les_db_recover.c: turning what a crash left behind into interrupted
 * attempts (les_db_record.h explains when an attempt is orphaned).
 *
 * For every attempt still "recording" whose journal no live process holds
 * locked: read the journal, keep every whole block (a block cut short by
 * the crash is the at-most-one-second that is lost; a damaged block ends
 * what is kept), store the trace, grade it, mark the attempt interrupted,
 * saying what was found in the audit log, and delete the journal.
 *
 * Recovery signs only what it can authenticate. An attempt begun with a
 * station key has a MAC file beside its journal (les_db_journal.c): with
 * that station's key, recovery keeps the blocks whose MACs verify, refuses
 * and names the rest (a trace swapped in by someone who can write the
 * journals folder), and signs; when the first record does not verify (the
 * journal or the attempt's row was replaced) nothing is kept and nothing
 * signed. Without that key (another station's, or none), or for an attempt
 * begun without a key, the whole blocks are kept unsigned. Journals left
 * by an attempt that did commit (a crash between the commit and the
 * delete) are deleted too.
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
    bool keyed;                  /* begun with a station key: its journal has MACs */
    uint8_t station[32];
    char trainee[LES_DB_CODE_MAX + 16], mode[16], lesson_hash[80];
    int64_t started_us, time_limit_s;
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
        db, "SELECT a.id, a.uid, coalesce(a.journal, ''), s.public_key, coalesce(t.code, ''), "
            "a.mode, a.lesson_hash, a.started_us, a.time_limit_s FROM attempts a "
            "LEFT JOIN stations s ON s.id = a.station_id "
            "LEFT JOIN trainees t ON t.id = a.trainee_id WHERE a.outcome = 'recording' "
            "AND a.signature IS NULL AND a.record IS NULL AND a.trace IS NULL AND "
            "a.scores_json IS NULL ORDER BY a.id",
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
        o->keyed = sqlite3_column_type(st, 3) != SQLITE_NULL;
        memset(o->station, 0, sizeof o->station);
        if (o->keyed && sqlite3_column_bytes(st, 3) == 32)
            memcpy(o->station, sqlite3_column_blob(st, 3), 32);
        les__db_text(st, 4, o->trainee, sizeof o->trainee);
        les__db_text(st, 5, o->mode, sizeof o->mode);
        les__db_text(st, 6, o->lesson_hash, sizeof o->lesson_hash);
        o->started_us = sqlite3_column_int64(st, 7);
        o->time_limit_s = sqlite3_column_int64(st, 8);
    }
    if (r == LES_REC_OK && rc != SQLITE_DONE)
        r = les__db_fail(db, rc, err, "cannot look for unfinished attempts");
    sqlite3_finalize(st);
    return r;
}

/* The trace bytes to store from a journal's bytes (every whole block
 * before a cut or damage); describes them in note. */
static les_rec_result salvage(const uint8_t *bytes, size_t n, const char *name, uint8_t **trace,
                              size_t *size, uint64_t *samples, char *note, size_t note_size)
{
    *trace = NULL;
    *size = 0;
    *samples = 0;
    sim_trace_header h;
    if (n < SIM_TRACE_HEADER_SIZE || sim_trace_decode_header(bytes, &h, NULL) != SIM_OK) {
        les__fmt(note, note_size, "the journal's header is cut short or damaged (%zu bytes): no "
                 "samples recovered", n);
        return LES_REC_OK;
    }
    sim_trace t;
    sim_trace_init(&t);
    sim_error e;
    sim_error_clear(&e);
    sim_result sr = sim_trace_parse(&t, bytes, n, name, &e);
    *samples = t.count;
    les_rec_result r = LES_REC_OK;
    if (sr == SIM_OK && !t.truncated) {
        les__fmt(note, note_size, "%zu samples recovered from the journal", t.count);
        *trace = sim_malloc(n);
        if (*trace) {
            memcpy(*trace, bytes, n);
            *size = n;
        } else {
            r = LES_REC_ERR_NOMEM;
        }
    } else {
        /* keep every whole block before the cut or the damage */
        char why[600];
        les__fmt(note, note_size, "%zu samples recovered from the journal; %s", t.count,
                 sr == SIM_OK ? "its last block was cut short by the crash"
                              : sim_error_format(&e, why, sizeof why));
        r = les__trace_encode(&h, t.samples, t.count, NULL, 0, trace, size);
    }
    sim_trace_deinit(&t);
    return r;
}

static void note_more(char *note, size_t size, const char *fmt, const char *what)
{
    size_t used = strlen(note);
    if (used < size)
        les__fmt(note + used, size - used, fmt, what);
}

/* Reads a small file whole (NULL, size 0 when it is missing). */
static les_rec_result read_whole(const char *path, uint8_t **out, size_t *size)
{
    *out = NULL;
    *size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return errno == ENOENT ? LES_REC_OK : LES_REC_ERR_IO;
    les_rec_result r = les__read_bytes(fd, out, size);
    close(fd);
    return r;
}

/* The bytes to store, and the key to sign them with (NULL: unsigned), for
 * an orphan whose journal holds `bytes`. */
static les_rec_result authenticate(les_db *db, const orphan *o, const uint8_t *bytes, size_t n,
                                   const char *path, const les_sign_key *key, uint8_t **trace,
                                   size_t *size, uint64_t *samples, const les_sign_key **sign,
                                   char *note, size_t note_size)
{
    *sign = NULL;
    if (!o->keyed) {
        les_rec_result r = salvage(bytes, n, path, trace, size, samples, note, note_size);
        if (key)
            note_more(note, note_size, "%s", "; it was begun without a station key, so it is "
                                             "stored unsigned");
        return r;
    }
    if (!key || memcmp(key->pk, o->station, 32) != 0) {
        les_rec_result r = salvage(bytes, n, path, trace, size, samples, note, note_size);
        char fp[33], why[200];
        les_sign_fingerprint(o->station, fp);
        les__fmt(why, sizeof why, "; its journal is authenticated by station %s's key, which "
                 "this process does not hold, so it is stored unsigned", fp);
        note_more(note, note_size, "%s", why);
        return r;
    }
    char mac_path[LES_DB_PATH_MAX + 128];
    les__fmt(mac_path, sizeof mac_path, "%s/%.32s.mac", db->traces_dir, o->uid);
    uint8_t *macs = NULL;
    size_t mac_size = 0;
    les_rec_result r = read_whole(mac_path, &macs, &mac_size);
    if (r == LES_REC_ERR_NOMEM)
        return r;
    les__journal_binding bind = {o->trainee, o->mode, o->lesson_hash, o->started_us,
                                 o->time_limit_s};
    les__journal_check c;
    les__journal_authenticate(bytes, n, macs, mac_size, key, o->uid, &bind, &c);
    sim_free(macs);
    if (!c.authenticated) {
        les__fmt(note, note_size, "nothing in its journal is authenticated (%s): no samples "
                 "recovered, stored unsigned", c.note);
        return LES_REC_OK;
    }
    r = salvage(bytes, c.good_bytes, path, trace, size, samples, note, note_size);
    if (c.cut)
        note_more(note, note_size, "%s", "; its last block was cut short by the crash");
    if (c.refused)
        note_more(note, note_size, "; %s", c.note);
    *sign = key;
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
    char path[LES_DB_PATH_MAX + 128], mac_path[LES_DB_PATH_MAX + 128], name[96];
    bool uid_ok = les__is_hex(o->uid, 32, 32);
    snprintf(name, sizeof name, "%s.trace", uid_ok ? o->uid : "-");
    snprintf(path, sizeof path, "%s/%s", db->traces_dir, name);
    les__fmt(mac_path, sizeof mac_path, "%s/%s.mac", db->traces_dir, uid_ok ? o->uid : "-");
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
    const les_sign_key *sign = NULL;
    les_rec_result r = LES_REC_OK;
    memset(out, 0, sizeof *out);
    if (fd >= 0) {
        struct stat st;
        if (fstat(fd, &st) == 0)   /* the last flush is as near the crash as we know */
            ended = (int64_t)st.st_mtim.tv_sec * 1000000 + st.st_mtim.tv_nsec / 1000;
        uint8_t *bytes = NULL;
        size_t n = 0;
        r = les__read_bytes(fd, &bytes, &n);
        if (r == LES_REC_OK)
            r = authenticate(db, o, bytes, n, path, key, &trace, &size, &samples, &sign,
                             out->note, sizeof out->note);
        else if (r != LES_REC_ERR_NOMEM) {
            les__fmt(out->note, sizeof out->note, "the journal cannot be read: no samples "
                     "recovered");
            r = LES_REC_OK;
        }
        sim_free(bytes);
    } else if (!uid_ok) {
        les__fmt(out->note, sizeof out->note,
                 "its uid is not 32 hex digits, so it has no journal: no samples");
    } else {
        les__fmt(out->note, sizeof out->note, "its journal %s is missing (%s): no samples",
                 path, strerror(open_errno));
    }
    if (!sign && key && (fd < 0 || !uid_ok))   /* nothing authenticates the attempt's row */
        note_more(out->note, sizeof out->note, "%s", "; stored unsigned");
    if (o->journal[0] && strcmp(o->journal, name) != 0) {
        size_t used = strlen(out->note);
        les__fmt(out->note + used, sizeof out->note - used,
                 "; its journal column was altered to '%.60s' (ignored)", o->journal);
    }
    if (r == LES_REC_OK) {
        char grade_note[400];
        r = les__db_finish_attempt(db, o->id, trace, size, samples, LES_OUTCOME_INTERRUPTED,
                                   ended ? ended : les__now_us(), sign, "recovered", out->note,
                                   grade_note, sizeof grade_note, err);
        if (grade_note[0]) {
            size_t used = strlen(out->note);
            snprintf(out->note + used, sizeof out->note - used, "; %s", grade_note);
        }
    }
    sim_free(trace);
    if (r == LES_REC_OK && uid_ok) {
        if (fd >= 0)
            unlink(path);
        unlink(mac_path);
    }
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
        bool journal = n == 32 + 6 && strcmp(de->d_name + 32, ".trace") == 0;
        bool macs = n == 32 + 4 && strcmp(de->d_name + 32, ".mac") == 0;
        if (!journal && !macs)
            continue;
        char uid[33], path[LES_DB_PATH_MAX + 128], other[LES_DB_PATH_MAX + 128];
        memcpy(uid, de->d_name, 32);
        uid[32] = 0;
        if (!les__is_hex(uid, 32, 32))
            continue;
        les__fmt(path, sizeof path, "%s/%s", db->traces_dir, de->d_name);
        les__fmt(other, sizeof other, "%s/%s.trace", db->traces_dir, uid);
        /* a MAC file goes with its journal; alone, it goes when its
         * attempt is no longer recording */
        if (macs && access(other, F_OK) == 0)
            continue;
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat fs;
        if ((macs || flock(fd, LOCK_EX | LOCK_NB) == 0) && fstat(fd, &fs) == 0) {
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, uid, -1, SQLITE_TRANSIENT);
            int rc = sqlite3_step(st);
            char state[32] = "";
            if (rc == SQLITE_ROW)
                les__db_text(st, 0, state, sizeof state);
            bool ended = rc == SQLITE_ROW && strcmp(state, "recording") != 0;
            bool empty_orphan =
                rc == SQLITE_DONE && (macs || fs.st_size <= SIM_TRACE_HEADER_SIZE);
            if (ended || empty_orphan) {
                unlink(path);
                if (journal) {
                    les__fmt(other, sizeof other, "%s/%s.mac", db->traces_dir, uid);
                    unlink(other);
                }
            }
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
