/* les_db.c: opening and closing the records database, the result codes,
 * and the SQLite helpers every records file shares: error mapping into
 * words a station's user can act on, statements, transactions, clocks.
 *
 * Threads: as les_db.h (one les_db per thread).
 */
#include "les_db_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

/* ------------------------------------------------------------------------ */
/* Result codes and vocabulary                                              */
/* ------------------------------------------------------------------------ */

static const char *const rec_names[] = {
#define LES_REC__NAME(name, msg) "LES_REC_" #name,
    LES_REC_RESULT_MAP(LES_REC__NAME)
#undef LES_REC__NAME
};

static const char *const rec_messages[] = {
#define LES_REC__MSG(name, msg) msg,
    LES_REC_RESULT_MAP(LES_REC__MSG)
#undef LES_REC__MSG
};

const char *les_rec_result_name(les_rec_result r)
{
    return ((int)r >= 0 && r < LES_REC_RESULT_COUNT) ? rec_names[r] : "LES_REC_UNKNOWN";
}

const char *les_rec_result_message(les_rec_result r)
{
    return ((int)r >= 0 && r < LES_REC_RESULT_COUNT) ? rec_messages[r] : "unknown result";
}

static const char *const mode_names[] = {"practice", "exam"};
static const char *const outcome_names[LES_OUTCOME_COUNT] = {
    "recording", "finished", "timed_out", "interrupted", "abandoned",
};

const char *les_mode_name(les_mode m)
{
    return (m == LES_MODE_PRACTICE || m == LES_MODE_EXAM) ? mode_names[m] : "?";
}

bool les_mode_parse(const char *s, les_mode *out)
{
    for (int i = 0; i < 2; i++)
        if (s && strcmp(s, mode_names[i]) == 0) {
            *out = (les_mode)i;
            return true;
        }
    return false;
}

const char *les_outcome_name(les_outcome o)
{
    return ((int)o >= 0 && o < LES_OUTCOME_COUNT) ? outcome_names[o] : "?";
}

bool les_outcome_parse(const char *s, les_outcome *out)
{
    for (int i = 0; i < LES_OUTCOME_COUNT; i++)
        if (s && strcmp(s, outcome_names[i]) == 0) {
            *out = (les_outcome)i;
            return true;
        }
    return false;
}

les_mode_rules les_mode_rules_for(les_mode mode)
{
    les_mode_rules r = {.hints = true, .healed_preview = true, .undo = true};
    if (mode == LES_MODE_EXAM) {
        r.hints = r.healed_preview = r.undo = false;
        r.needs_pinned_lesson = r.needs_known_trainee = r.signs = true;
    }
    return r;
}

les_db_filter les_db_filter_all(void)
{
    les_db_filter f = {.mode = -1, .outcome = -1};
    return f;
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */
/* ------------------------------------------------------------------------ */

void les__fmt(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

les_rec_result les__db_error(les_db *db, les_rec_result code, sim_error *err, const char *fmt, ...)
{
    if (!err)
        return code;
    sim_error_clear(err);
    err->code = (int)code;
    snprintf(err->file, sizeof err->file, "%.255s", db ? db->path : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

les_rec_result les__db_fail(les_db *db, int rc, sim_error *err, const char *what)
{
    sqlite3 *sql = db ? db->sql : NULL;
    const char *msg = sql ? sqlite3_errmsg(sql) : sqlite3_errstr(rc);
    int sys = sql ? sqlite3_system_errno(sql) : 0;
    les_rec_result code;
    char reason[300];
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = LES_REC_ERR_BUSY;
        snprintf(reason, sizeof reason,
                 "the records database is locked by another process (waited %.1f s); "
                 "try again when it has finished",
                 db && db->busy_timeout_ms > 0 ? db->busy_timeout_ms / 1000.0 : 0.0);
        break;
    case SQLITE_READONLY:
        code = LES_REC_ERR_READONLY;
        snprintf(reason, sizeof reason, "the records database cannot be written (%s)", msg);
        break;
    case SQLITE_FULL:
        code = LES_REC_ERR_FULL;
        snprintf(reason, sizeof reason, "the disk is full; free some space and try again");
        break;
    case SQLITE_IOERR:
        if (sys == ENOSPC || sys == EDQUOT || sys == EFBIG) {
            code = LES_REC_ERR_FULL;
            snprintf(reason, sizeof reason, "the disk is full (%s); free some space and try again",
                     strerror(sys));
        } else {
            code = LES_REC_ERR_IO;
            snprintf(reason, sizeof reason, "input/output error (%s)", sys ? strerror(sys) : msg);
        }
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        code = LES_REC_ERR_CORRUPT;
        snprintf(reason, sizeof reason, "the file is damaged or not a Stipple records database (%s)",
                 msg);
        break;
    case SQLITE_NOMEM:
        code = LES_REC_ERR_NOMEM;
        snprintf(reason, sizeof reason, "out of memory");
        break;
    case SQLITE_CANTOPEN:
        code = LES_REC_ERR_IO;
        snprintf(reason, sizeof reason, "cannot open the records database (%s)",
                 sys ? strerror(sys) : msg);
        break;
    case SQLITE_CONSTRAINT:
        code = LES_REC_ERR_CONFLICT;
        snprintf(reason, sizeof reason, "%s", msg);
        break;
    default:
        code = LES_REC_ERR_IO;
        snprintf(reason, sizeof reason, "%s", msg);
        break;
    }
    les__db_error(db, code, err, "%s: %s", what, reason);
    if (err)
        err->sys_errno = rc;
    return code;
}

les_rec_result les__errno_result(int e)
{
    if (e == ENOSPC || e == EDQUOT || e == EFBIG)
        return LES_REC_ERR_FULL;
    if (e == EROFS || e == EACCES || e == EPERM)
        return LES_REC_ERR_READONLY;
    if (e == ENOMEM)
        return LES_REC_ERR_NOMEM;
    return LES_REC_ERR_IO;
}

/* ------------------------------------------------------------------------ */
/* Statements and transactions                                              */
/* ------------------------------------------------------------------------ */

les_rec_result les__db_prepare(les_db *db, const char *sql, sqlite3_stmt **st, sim_error *err,
                               const char *what)
{
    int rc = sqlite3_prepare_v2(db->sql, sql, -1, st, NULL);
    if (rc != SQLITE_OK) {
        *st = NULL;
        return les__db_fail(db, rc, err, what);
    }
    return LES_REC_OK;
}

les_rec_result les__db_exec(les_db *db, const char *sql, sim_error *err, const char *what)
{
    int rc = sqlite3_exec(db->sql, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? LES_REC_OK : les__db_fail(db, rc, err, what);
}

les_rec_result les__db_begin(les_db *db, sim_error *err, const char *what)
{
    les_rec_result r = les_db_require_writable(db, what, err);
    return r != LES_REC_OK ? r : les__db_exec(db, "BEGIN IMMEDIATE", err, what);
}

les_rec_result les__db_commit(les_db *db, sim_error *err, const char *what)
{
    int rc = sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return LES_REC_OK;
    les_rec_result r = les__db_fail(db, rc, err, what);
    les__db_rollback(db);
    return r;
}

void les__db_rollback(les_db *db)
{
    if (db && db->sql && !sqlite3_get_autocommit(db->sql))
        sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}

void les__db_text(sqlite3_stmt *st, int col, char *buf, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(buf, size, "%s", t ? (const char *)t : "");
}

char *les__db_dup(sqlite3_stmt *st, int col, size_t *len, bool *oom)
{
    if (len)
        *len = 0;
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return NULL;
    const void *p = sqlite3_column_blob(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    char *copy = sim_malloc(n + 1);
    if (!copy) {
        *oom = true;
        return NULL;
    }
    if (n)
        memcpy(copy, p, n);
    copy[n] = 0;
    if (len)
        *len = n;
    return copy;
}

/* ------------------------------------------------------------------------ */
/* Time and randomness                                                      */
/* ------------------------------------------------------------------------ */

int64_t les__now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t les__mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void les__random_uid(char out[33])
{
    uint8_t bytes[16];
    randombytes_buf(bytes, sizeof bytes);
    sodium_bin2hex(out, 33, bytes, sizeof bytes);
}

bool les__is_hex(const char *s, size_t min_len, size_t max_len)
{
    size_t n = s ? strlen(s) : 0;
    if (n < min_len || n > max_len)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* ------------------------------------------------------------------------ */
/* Open and close                                                           */
/* ------------------------------------------------------------------------ */

static les_rec_result read_int_pragma(les_db *db, const char *sql, int *out, sim_error *err)
{
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(db, sql, &st, err, "cannot read the records database");
    if (r != LES_REC_OK)
        return r;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    else
        r = les__db_fail(db, rc, err, "cannot read the records database");
    sqlite3_finalize(st);
    return r;
}

int les_db_schema_version(les_db *db)
{
    int v = -1;
    if (db && db->sql)
        read_int_pragma(db, "PRAGMA user_version", &v, NULL);
    return v;
}

les_rec_result les_db_require_writable(les_db *db, const char *what, sim_error *err)
{
    if (!db || !db->sql)
        return les__db_error(db, LES_REC_ERR_ARG, err, "%s: the records database is not open", what);
    if (db->read_only_file)
        return les__db_error(db, LES_REC_ERR_READONLY, err,
                             "%s: the records database is read-only (the file or its folder "
                             "cannot be written); nothing was changed",
                             what);
    if (db->read_only)
        return les__db_error(db, LES_REC_ERR_READONLY, err,
                             "%s: the records database was opened read-only; nothing was changed",
                             what);
    return LES_REC_OK;
}

/* Sets the journal mode and durability of a writable connection. */
static les_rec_result configure_writer(les_db *db, bool single_file, sim_error *err)
{
    const char *mode = single_file ? "PRAGMA journal_mode=DELETE" : "PRAGMA journal_mode=WAL";
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(db, mode, &st, err, "cannot set up the records database");
    if (r != LES_REC_OK)
        return r;
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return les__db_fail(db, rc, err, "cannot set up the records database");
    /* FULL: a committed attempt survives a power cut, WAL or not. */
    return les__db_exec(db, "PRAGMA synchronous=FULL", err, "cannot set up the records database");
}

static les_rec_result migrate(les_db *db, sim_error *err)
{
    size_t count;
    const les__db_step *steps = les__db_steps(&count);
    return les__db_migrate(db, steps, count, LES_DB_SCHEMA_VERSION, err);
}

/* An older file that must not change (opened read-only, an export bundle,
 * a file this user cannot write) is copied into memory and migrated there:
 * the caller reads the current schema, the file stays as it was. */
static les_rec_result migrate_in_memory(les_db *db, sim_error *err)
{
    sqlite3 *mem = NULL;
    int rc = sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL);
    sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(mem, "main", db->sql, "main") : NULL;
    if (b) {
        rc = sqlite3_backup_step(b, -1);
        rc = sqlite3_backup_finish(b) == SQLITE_OK && rc == SQLITE_DONE ? SQLITE_OK : rc;
    } else if (rc == SQLITE_OK) {
        rc = sqlite3_errcode(mem);
    }
    if (rc != SQLITE_OK) {
        les_rec_result r = les__db_fail(db, rc, err, "cannot read the records database");
        sqlite3_close_v2(mem);
        return r;
    }
    sqlite3_close_v2(db->sql);
    db->sql = mem;
    sqlite3_extended_result_codes(db->sql, 1);
    bool ro = db->read_only, ro_file = db->read_only_file;
    db->read_only = db->read_only_file = false;
    les_rec_result r = les__db_exec(db, "PRAGMA foreign_keys=ON", err,
                                    "cannot set up the records database");
    if (r == LES_REC_OK)
        r = migrate(db, err);
    db->read_only = ro;
    db->read_only_file = ro_file;
    return r;
}

les_rec_result les_db_open(les_db *db, const les_db_desc *desc, sim_error *err)
{
    memset(db, 0, sizeof *db);
    if (!desc || !desc->path || !*desc->path)
        return les__db_error(NULL, LES_REC_ERR_ARG, err, "no records database path given");
    if (strlen(desc->path) >= sizeof db->path)
        return les__db_error(NULL, LES_REC_ERR_ARG, err, "the records database path is too long");
    snprintf(db->path, sizeof db->path, "%s", desc->path);
    snprintf(db->traces_dir, sizeof db->traces_dir, "%s.traces", desc->path);
    snprintf(db->app_version, sizeof db->app_version, "%s",
             desc->app_version ? desc->app_version : "?");
    db->grader = desc->grader;
    db->key = desc->key;
    db->read_only = desc->read_only;
    db->busy_timeout_ms = desc->busy_timeout_ms == 0 ? 5000
                          : desc->busy_timeout_ms < 0 ? 0 : desc->busy_timeout_ms;
    if (desc->must_create && access(desc->path, F_OK) == 0)
        return les__db_error(db, LES_REC_ERR_CONFLICT, err, "%s already exists; choose a new file",
                             desc->path);
    if (desc->read_only && access(desc->path, F_OK) != 0)
        return les__db_error(db, LES_REC_ERR_NOTFOUND, err, "no records database at %s (%s)",
                             desc->path, strerror(errno));
    if (sodium_init() < 0)   /* defensive: only fails when /dev/urandom is missing */
        return les__db_error(db, LES_REC_ERR_KEY, err, "cannot start libsodium");

    int flags = desc->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(desc->path, &db->sql, flags, desc->vfs);
    if (rc != SQLITE_OK) {
        les_rec_result r = les__db_fail(db, rc, err, "cannot open the records database");
        les_db_close(db);
        return r;
    }
    sqlite3_extended_result_codes(db->sql, 1);
    sqlite3_busy_timeout(db->sql, db->busy_timeout_ms);
    if (!desc->read_only && sqlite3_db_readonly(db->sql, "main") == 1)
        db->read_only_file = true;

    int version = 0, app_id = 0;
    les_rec_result r = read_int_pragma(db, "PRAGMA user_version", &version, err);
    if (r == LES_REC_OK)
        r = read_int_pragma(db, "PRAGMA application_id", &app_id, err);
    if (r == LES_REC_OK && app_id != 0 && app_id != LES_DB_APPLICATION_ID)
        r = les__db_error(db, LES_REC_ERR_CORRUPT, err,
                          "%s is another application's database, not Stipple records", db->path);
    if (r == LES_REC_OK && version > LES_DB_SCHEMA_VERSION)
        r = les__db_error(db, LES_REC_ERR_SCHEMA, err,
                          "%s has schema version %d; this Stipple knows up to %d: use a newer "
                          "Stipple",
                          db->path, version, LES_DB_SCHEMA_VERSION);
    /* an export bundle is signed as it is: it never changes (nor becomes WAL) */
    int bundle_rows = 0;
    if (r == LES_REC_OK && version >= 1 &&
        read_int_pragma(db, "SELECT count(*) FROM bundle", &bundle_rows, NULL) == LES_REC_OK &&
        bundle_rows > 0)
        db->read_only = true;
    if (r == LES_REC_OK && !db->read_only && !db->read_only_file)
        r = configure_writer(db, desc->single_file, err);
    if (r == LES_REC_OK)
        r = les__db_exec(db, "PRAGMA foreign_keys=ON", err, "cannot set up the records database");
    if (r == LES_REC_OK && version < LES_DB_SCHEMA_VERSION) {
        if (db->read_only || db->read_only_file)
            r = migrate_in_memory(db, err);
        else
            r = migrate(db, err);
    }
    if (r != LES_REC_OK)
        les_db_close(db);
    return r;
}

void les_db_close(les_db *db)
{
    if (!db)
        return;
    if (db->sql) {
        les__db_rollback(db);
        sqlite3_close_v2(db->sql);
    }
    memset(db, 0, sizeof *db);
}
