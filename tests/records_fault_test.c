/* records_fault_test.c: faults while recording, each with a clear message
 * and nothing already recorded lost:
 *  - the database locked by another process (at begin, at end);
 *  - the disk full under SQLite (an injected SQLITE_FULL through a shim
 *    VFS, SQLite's own test_vfs idea);
 *  - the disk full under the journal (RLIMIT_FSIZE makes write(2) fail
 *    with EFBIG, in a child process), then space coming back;
 *  - a read-only database (opened read-only, and a read-only file for a
 *    user who cannot write it);
 *  - a journal that refuses writes, is moved away or damaged in place
 *    while samples are held in memory: ending stores them all or fails;
 *  - out of memory at every allocation of a whole recording. */
#include "records_helpers.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

/* ------------------------------------------------------------------------ */
/* A shim VFS that fails writes on demand                                   */
/* ------------------------------------------------------------------------ */

static int fail_writes;   /* xWrite returns SQLITE_FULL while set */

typedef struct shim_file {
    sqlite3_file base;
    sqlite3_file *real;   /* follows this struct in the same allocation */
} shim_file;

#define REAL(f) (((shim_file *)(f))->real)

static int shim_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int shim_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
    return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int shim_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    return fail_writes ? SQLITE_FULL : REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int shim_truncate(sqlite3_file *f, sqlite3_int64 s)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), s);
}
static int shim_sync(sqlite3_file *f, int fl) { return REAL(f)->pMethods->xSync(REAL(f), fl); }
static int shim_size(sqlite3_file *f, sqlite3_int64 *s)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), s);
}
static int shim_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int shim_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int shim_reserved(sqlite3_file *f, int *r)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r);
}
static int shim_control(sqlite3_file *f, int op, void *a)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, a);
}
static int shim_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int shim_device(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int shim_shm_map(sqlite3_file *f, int pg, int sz, int ext, void volatile **p)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, p);
}
static int shim_shm_lock(sqlite3_file *f, int o, int n, int fl)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl);
}
static void shim_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int shim_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static const sqlite3_io_methods shim_methods = {
    2, shim_close, shim_read, shim_write, shim_truncate, shim_sync, shim_size, shim_lock,
    shim_unlock, shim_reserved, shim_control, shim_sector, shim_device, shim_shm_map,
    shim_shm_lock, shim_shm_barrier, shim_shm_unmap, NULL, NULL,
};

static sqlite3_vfs shim_vfs;

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    sqlite3_vfs *real = vfs->pAppData;
    shim_file *s = (shim_file *)f;
    s->real = (sqlite3_file *)(s + 1);
    int rc = real->xOpen(real, name, s->real, flags, out);
    s->base.pMethods = s->real->pMethods ? &shim_methods : NULL;
    return rc;
}

static void register_shim(void)
{
    if (shim_vfs.zName)
        return;
    sqlite3_vfs *real = sqlite3_vfs_find(NULL);
    shim_vfs = *real;
    shim_vfs.zName = "faulty";
    shim_vfs.szOsFile = (int)sizeof(shim_file) + real->szOsFile;
    shim_vfs.pAppData = real;
    shim_vfs.xOpen = shim_open;
    assert_int_equal(sqlite3_vfs_register(&shim_vfs, 0), SQLITE_OK);
}

static void open_with(les_db *db, const char *path, const char *vfs, int busy_ms, bool read_only)
{
    sim_error err;
    les_db_desc d = {.path = path, .grader = {rt_grade, NULL}, .app_version = "test",
                     .vfs = vfs, .busy_timeout_ms = busy_ms, .read_only = read_only};
    if (les_db_open(db, &d, &err) != LES_REC_OK)
        fail_msg("open %s: %s", path, err.message);
}

static void record_samples(les_db_recording *rec, uint64_t from, uint64_t to)
{
    sim_error err;
    for (uint64_t i = from; i < to; i++) {
        sim_sample s = rt_sample(i);
        if (les_db_attempt_append(rec, &s, &err) != LES_REC_OK)
            fail_msg("append %llu: %s", (unsigned long long)i, err.message);
    }
}

/* ------------------------------------------------------------------------ */

static void a_locked_database_is_named_and_nothing_is_lost(void **state)
{
    (void)state;
    const char *path = rt_fresh("locked.db");
    les_db db;
    open_with(&db, path, NULL, 100, false);
    sqlite3 *other;
    assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);

    /* begin while another process writes: refused, nothing left behind */
    les_db_attempt_desc d = rt_desc("T-1", LES_MODE_PRACTICE);
    les_db_recording rec;
    sim_error err;
    assert_int_equal(les_db_attempt_begin(&db, &d, NULL, &rec, &err), LES_REC_ERR_BUSY);
    assert_non_null(strstr(err.message, "locked by another process (waited 0.1 s)"));
    assert_int_equal(access(rec.journal_path, F_OK), -1);
    assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);

    /* end while another process writes: refused, the journal keeps it all */
    assert_int_equal(les_db_attempt_begin(&db, &d, NULL, &rec, &err), LES_REC_OK);
    record_samples(&rec, 0, 1500);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(les_db_attempt_end(&rec, LES_OUTCOME_FINISHED, NULL, &err), LES_REC_ERR_BUSY);
    assert_non_null(strstr(err.message, "locked by another process"));
    assert_non_null(strstr(err.message, "the attempt is safe in its journal"));
    assert_true(rec.open);
    assert_int_equal(access(rec.journal_path, F_OK), 0);
    assert_int_equal(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    les_db_attempt_info info;
    assert_int_equal(les_db_attempt_end(&rec, LES_OUTCOME_FINISHED, &info, &err), LES_REC_OK);
    assert_int_equal(info.trace_samples, 1500);
    sqlite3_close(other);
    les_db_close(&db);
}

static void a_full_disk_under_sqlite_is_named_and_nothing_is_lost(void **state)
{
    (void)state;
    register_shim();
    const char *path = rt_fresh("full.db");
    les_db db;
    open_with(&db, path, "faulty", 0, false);
    sim_error err;
    fail_writes = 1;
    assert_int_equal(les_db_trainee_add(&db, "T-1", NULL, &err), LES_REC_ERR_FULL);
    assert_non_null(strstr(err.message, "the disk is full; free some space and try again"));
    les_db_attempt_desc d = rt_desc("T-1", LES_MODE_PRACTICE);
    les_db_recording rec;
    assert_int_equal(les_db_attempt_begin(&db, &d, NULL, &rec, &err), LES_REC_ERR_FULL);
    fail_writes = 0;
    assert_int_equal(les_db_attempt_begin(&db, &d, NULL, &rec, &err), LES_REC_OK);
    record_samples(&rec, 0, 1200);
    fail_writes = 1;
    assert_int_equal(les_db_attempt_end(&rec, LES_OUTCOME_FINISHED, NULL, &err), LES_REC_ERR_FULL);
    assert_non_null(strstr(err.message, "safe in its journal"));
    fail_writes = 0;
    les_db_attempt_info info;
    assert_int_equal(les_db_attempt_end(&rec, LES_OUTCOME_FINISHED, &info, &err), LES_REC_OK);
    assert_int_equal(info.trace_samples, 1200);
    rt_problems p;
    les_db_verify_summary s = rt_verify(&db, &p);
    assert_int_equal(s.problems, 0);
    les_db_close(&db);
}

/* Child: the journal's disk fills up mid-attempt, then space comes back. */
static int journal_full_then_freed(const char *path)
{
    signal(SIGXFSZ, SIG_IGN);
    les_db db;
    open_with(&db, path, NULL, 0, false);
    les_db_attempt_desc d = rt_desc("T-1", LES_MODE_PRACTICE);
    les_db_recording rec;
    sim_error err;
    if (les_db_attempt_begin(&db, &d, NULL, &rec, &err) != LES_REC_OK)
        return 10;
    /* room for the header and about one block of 1000 samples */
    struct rlimit lim;
    getrlimit(RLIMIT_FSIZE, &lim);
    struct rlimit small = {SIM_TRACE_HEADER_SIZE + sim_trace_block_size(1000) + 200, lim.rlim_max};
    setrlimit(RLIMIT_FSIZE, &small);
    int full_errors = 0;
    for (uint64_t i = 0; i < 3000; i++) {
        sim_sample s = rt_sample(i);
        les_rec_result r = les_db_attempt_append(&rec, &s, &err);
        if (i % 1000 == 999)
            r = les_db_attempt_tick(&rec, true, &err);
        if (r == LES_REC_ERR_FULL) {
            if (!strstr(err.message, "held in memory") || !strstr(err.message, "nothing already "
                                                                               "recorded is lost"))
                return 11;
            full_errors++;
        } else if (r != LES_REC_OK) {
            return 12;
        }
    }
    if (full_errors < 2 || !rec.journal_failing)
        return 13;
    setrlimit(RLIMIT_FSIZE, &lim);   /* space is back */
    if (les_db_attempt_tick(&rec, true, &err) != LES_REC_OK || rec.journal_failing)
        return 14;
    les_db_attempt_info info;
    if (les_db_attempt_end(&rec, LES_OUTCOME_FINISHED, &info, &err) != LES_REC_OK ||
        info.trace_samples != 3000)
        return 15;
    /* every sample made it, in order */
    les_db_attempt_data data;
    if (les_db_attempt_load(&db, info.id, &data, &err) != LES_REC_OK)
        return 16;
    sim_trace t;
    sim_trace_init(&t);
    int rc = sim_trace_parse(&t, data.trace, data.trace_size, "t", &err) == SIM_OK && t.count == 3000
                 ? 0 : 17;
    for (size_t i = 0; rc == 0 && i < t.count; i++) {
        sim_sample want = rt_sample(i);
        if (memcmp(&want, &t.samples[i], sizeof want) != 0)
            rc = 18;
    }
    sim_trace_deinit(&t);
    les_db_attempt_data_free(&data);
    les_db_close(&db);
    return rc;
}

/* Child: the disk stays full until the end: ending fails, the process
 * gives up; the parent recovers every whole block that reached the disk. */
static int journal_full_to_the_end(const char *path)
{
    signal(SIGXFSZ, SIG_IGN);
    les_db db;
    open_with(&db, path, NULL, 0, false);
    les_db_attempt_desc d = rt_desc("T-1", LES_MODE_PRACTICE);
    les_db_recording rec;
    sim_error err;
    if (les_db_attempt_begin(&db, &d, NULL, &rec, &err) != LES_REC_OK)
        return 20;
    struct stat st;
    stat(path, &st);
    record_samples(&rec, 0, 1000);
    if (les_db_attempt_tick(&rec, true, &err) != LES_REC_OK)
        return 21;
    struct rlimit lim;
    getrlimit(RLIMIT_FSIZE, &lim);
    struct rlimit none = {1, lim.rlim_max};   /* nothing more fits anywhere */
    setrlimit(RLIMIT_FSIZE, &none);
    for (uint64_t i = 1000; i < 2000; i++) {
        sim_sample s = rt_sample(i);
        les_db_attempt_append(&rec, &s, &err);
    }
    les_rec_result r = les_db_attempt_end(&rec, LES_OUTCOME_FINISHED, NULL, &err);
    if (r != LES_REC_ERR_FULL && r != LES_REC_ERR_IO)
        return 22;
    if (!strstr(err.message, "safe in its journal"))
        return 23;
    les_db_attempt_release(&rec);
    _exit(0);   /* like a crash: nothing else runs */
}

static int run_child(int (*fn)(const char *), const char *path)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        _exit(fn(path));
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

static void a_full_disk_under_the_journal_keeps_samples_until_space_returns(void **state)
{
    (void)state;
    const char *path = rt_fresh("jfull.db");
    les_db db;
    rt_open(&db, path);   /* created at full size before the limit */
    les_db_close(&db);
    assert_int_equal(run_child(journal_full_then_freed, path), 0);

    const char *path2 = rt_fresh("jfull2.db");
    rt_open(&db, path2);
    les_db_close(&db);
    assert_int_equal(run_child(journal_full_to_the_end, path2), 0);
    rt_open(&db, path2);
    les_db_attempt_info info;
    sim_error err;
    size_t count;
    assert_int_equal(les_db_recover(&db, NULL, NULL, NULL, &count, &err), LES_REC_OK);
    assert_int_equal(count, 1);
    assert_int_equal(les_db_get(&db, "1", &info, &err), LES_REC_OK);
    assert_int_equal(info.outcome, LES_OUTCOME_INTERRUPTED);
    assert_int_equal(info.trace_samples, 1000);   /* everything that reached the disk */
    les_db_close(&db);
}

/* The descriptor this process holds open on `path` (the recorder's
 * journal), found through /proc: the test's way to make the recorder's
 * own writes fail while the disk and the database are fine. */
static int fd_of(const char *path)
{
    char want[PATH_MAX];
    assert_non_null(realpath(path, want));
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    int found = -1;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char link[300], target[PATH_MAX];
        snprintf(link, sizeof link, "/proc/self/fd/%s", de->d_name);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n <= 0)
            continue;
        target[n] = 0;
        if (strcmp(target, want) == 0)
            found = atoi(de->d_name);
    }
    closedir(d);
    assert_true(found >= 0);
    return found;
}

/* The recorder's journal descriptor now refuses writes (EBADF): samples
 * are held in memory from here on. */
static void journal_refuses_writes(const char *journal)
{
    int jfd = fd_of(journal);
    int ro = open(journal, O_RDONLY | O_CLOEXEC);
    assert_true(ro >= 0);
    assert_true(dup2(ro, jfd) == jfd);
    close(ro);
}

static void load_stored(les_db *db, int64_t id, sim_trace *t)
{
    les_db_attempt_data data;
    sim_error err;
    assert_int_equal(les_db_attempt_load(db, id, &data, &err), LES_REC_OK);
    sim_trace_init(t);
    if (sim_trace_parse(t, data.trace, data.trace_size, "stored", &err) != SIM_OK)
        fail_msg("the stored trace does not parse: %s", err.message);
    les_db_attempt_data_free(&data);
}

/* Ending an attempt while samples are held in memory: the stored trace is
 * the journal's samples and the held ones under the recording's own
 * header, even when the journal's name no longer reaches it; and when the
 * journal's bytes are not the ones written (damaged in place), ending
 * fails, storing nothing and keeping the journal and the held samples,
 * and succeeds with every sample once the journal is whole again. Never a
 * blank header, never fewer samples than were appended. */
static void ending_never_stores_fewer_samples_than_were_appended(void **state)
{
    (void)state;
    const char *path = rt_fresh("final.db");
    les_db db;
    rt_open(&db, path);
    sim_error err;

    /* the journal's name moved away while 1000 samples are held */
    les_db_attempt_desc d = rt_desc("T-1", LES_MODE_PRACTICE);
    les_db_recording rec;
    assert_int_equal(les_db_attempt_begin(&db, &d, NULL, &rec, &err), LES_REC_OK);
    record_samples(&rec, 0, 1000);
    assert_int_equal(les_db_attempt_tick(&rec, true, &err), LES_REC_OK);
    journal_refuses_writes(rec.journal_path);
    for (uint64_t i = 1000; i < 2000; i++) {
        sim_sample s = rt_sample(i);
        les_db_attempt_append(&rec, &s, &err);
    }
    assert_int_not_equal(les_db_attempt_tick(&rec, true, &err), LES_REC_OK);
    assert_true(rec.journal_failing);
    char moved[1200];
    snprintf(moved, sizeof moved, "%s.moved", rec.journal_path);
    assert_int_equal(rename(rec.journal_path, moved), 0);
    les_db_attempt_info info;
    if (les_db_attempt_end(&rec, LES_OUTCOME_FINISHED, &info, &err) != LES_REC_OK)
        fail_msg("end: %s", err.message);
    assert_int_equal(info.trace_samples, 2000);
    sim_trace t;
    load_stored(&db, info.id, &t);
    assert_int_equal(t.count, 2000);
    assert_int_equal(t.header.sample_rate_hz, 1000);
    assert_string_equal(t.header.device, "test");
    for (size_t i = 0; i < t.count; i++) {
        sim_sample want = rt_sample(i);
        assert_memory_equal(&want, &t.samples[i], sizeof want);
    }
    sim_trace_deinit(&t);
    unlink(moved);

    /* the journal damaged in place while 1000 samples are held */
    assert_int_equal(les_db_attempt_begin(&db, &d, NULL, &rec, &err), LES_REC_OK);
    record_samples(&rec, 0, 1000);
    assert_int_equal(les_db_attempt_tick(&rec, true, &err), LES_REC_OK);
    journal_refuses_writes(rec.journal_path);
    for (uint64_t i = 1000; i < 2000; i++) {
        sim_sample s = rt_sample(i);
        les_db_attempt_append(&rec, &s, &err);
    }
    int fd = open(rec.journal_path, O_RDWR | O_CLOEXEC);
    assert_true(fd >= 0);
    uint8_t was, bad;
    assert_int_equal(pread(fd, &was, 1, 20), 1);
    bad = (uint8_t)(was ^ 0xff);
    assert_int_equal(pwrite(fd, &bad, 1, 20), 1);
    assert_int_not_equal(les_db_attempt_end(&rec, LES_OUTCOME_FINISHED, &info, &err), LES_REC_OK);
    assert_non_null(strstr(err.message, "no longer holds the bytes written to it"));
    assert_non_null(strstr(err.message, "nothing was stored"));
    assert_true(rec.open);
    assert_int_equal(access(rec.journal_path, F_OK), 0);
    char ref[32];
    snprintf(ref, sizeof ref, "%lld", (long long)rec.attempt_id);
    assert_int_equal(les_db_get(&db, ref, &info, &err), LES_REC_OK);
    assert_int_equal(info.outcome, LES_OUTCOME_RECORDING);
    /* whole again: ending stores every sample */
    assert_int_equal(pwrite(fd, &was, 1, 20), 1);
    close(fd);
    if (les_db_attempt_end(&rec, LES_OUTCOME_FINISHED, &info, &err) != LES_REC_OK)
        fail_msg("end: %s", err.message);
    assert_int_equal(info.trace_samples, 2000);
    load_stored(&db, info.id, &t);
    assert_int_equal(t.count, 2000);
    assert_string_equal(t.header.device, "test");
    sim_trace_deinit(&t);
    rt_problems p;
    les_db_verify_summary s = rt_verify(&db, &p);
    if (s.problems)
        fail_msg("%s", p.text);
    les_db_close(&db);
}

static void a_database_opened_read_only_refuses_writes_clearly(void **state)
{
    (void)state;
    const char *path = rt_fresh("ro.db");
    les_db db;
    rt_open(&db, path);
    rt_record(&db, NULL, "T-1", LES_MODE_PRACTICE, 100);
    les_db_close(&db);
    open_with(&db, path, NULL, 0, true);
    sim_error err;
    les_db_attempt_info info;
    assert_int_equal(les_db_get(&db, "1", &info, &err), LES_REC_OK);
    assert_int_equal(les_db_trainee_add(&db, "T-2", NULL, &err), LES_REC_ERR_READONLY);
    assert_non_null(strstr(err.message, "opened read-only; nothing was changed"));
    les_db_attempt_desc d = rt_desc("T-1", LES_MODE_PRACTICE);
    les_db_recording rec;
    assert_int_equal(les_db_attempt_begin(&db, &d, NULL, &rec, &err), LES_REC_ERR_READONLY);
    size_t count = 5;
    assert_int_equal(les_db_recover(&db, NULL, NULL, NULL, &count, &err), LES_REC_OK);
    assert_int_equal(count, 0);
    les_db_close(&db);
}

/* Child: as a user who may not write the file. */
static int read_only_file(const char *path)
{
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
        return 30;
    les_db db;
    open_with(&db, path, NULL, 0, false);
    if (!db.read_only_file)
        return 31;
    sim_error err;
    les_db_attempt_info info;
    if (les_db_get(&db, "1", &info, &err) != LES_REC_OK)
        return 32;
    les_db_attempt_desc d = rt_desc("T-1", LES_MODE_PRACTICE);
    les_db_recording rec;
    if (les_db_attempt_begin(&db, &d, NULL, &rec, &err) != LES_REC_ERR_READONLY ||
        !strstr(err.message, "read-only (the file or its folder cannot be written)"))
        return 33;
    les_db_close(&db);
    return 0;
}

static void a_read_only_file_refuses_writes_clearly(void **state)
{
    (void)state;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", rt_fresh("rodir"));
    assert_int_equal(mkdir(dir, 0777), 0);
    assert_int_equal(chmod(dir, 0777), 0);   /* the folder is writable: only the file is not */
    char path[1100];
    snprintf(path, sizeof path, "%s/ro.db", dir);
    les_db db;
    rt_open(&db, path);
    rt_record(&db, NULL, "T-1", LES_MODE_PRACTICE, 100);
    les_db_close(&db);
    assert_int_equal(chmod(path, 0444), 0);
    assert_int_equal(run_child(read_only_file, path), 0);
}

static void out_of_memory_anywhere_in_a_recording_is_an_error_not_a_crash(void **state)
{
    (void)state;
    const char *path = rt_fresh("oom.db");
    les_db db;
    rt_open(&db, path);
    les_sign_key key;
    rt_key(&key, "oom.key");
    int failures = 0;
    for (long n = 0; n < 400; n++) {
        les_db_attempt_desc d = rt_desc("T-1", LES_MODE_PRACTICE);
        les_db_recording rec;
        sim_error err;
        sim_alloc_fail_after(n);
        les_rec_result r = les_db_attempt_begin(&db, &d, &key, &rec, &err);
        bool began = r == LES_REC_OK;
        for (uint64_t i = 0; began && i < 1200; i++) {
            sim_sample s = rt_sample(i);
            r = les_db_attempt_append(&rec, &s, &err);
            if (r == LES_REC_ERR_NOMEM)
                break;
        }
        if (began && les_db_attempt_end(&rec, LES_OUTCOME_FINISHED, NULL, &err) != LES_REC_OK) {
            failures++;
            les_db_attempt_release(&rec);
        }
        sim_alloc_fail_after(-1);
        if (!began)
            failures++;
    }
    assert_true(failures > 0);
    /* whatever was left recording is recovered; the database verifies */
    sim_error err;
    assert_int_equal(les_db_recover(&db, &key, NULL, NULL, NULL, &err), LES_REC_OK);
    rt_problems p;
    les_db_verify_summary s = rt_verify(&db, &p);
    if (s.problems)
        fail_msg("%s", p.text);
    les_sign_key_deinit(&key);
    les_db_close(&db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_locked_database_is_named_and_nothing_is_lost),
        cmocka_unit_test(a_full_disk_under_sqlite_is_named_and_nothing_is_lost),
        cmocka_unit_test(a_full_disk_under_the_journal_keeps_samples_until_space_returns),
        cmocka_unit_test(ending_never_stores_fewer_samples_than_were_appended),
        cmocka_unit_test(a_database_opened_read_only_refuses_writes_clearly),
        cmocka_unit_test(a_read_only_file_refuses_writes_clearly),
        cmocka_unit_test(out_of_memory_anywhere_in_a_recording_is_an_error_not_a_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
