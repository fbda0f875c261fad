/* records_record_test.c: recording attempts: exam rules, the time limit,
 * journal flushes, and recovery of what a crash leaves behind: a whole
 * journal, one cut short mid-block, one with a damaged block, one cut in
 * its header, a missing one; live recordings are left alone; stale
 * journals of committed attempts are swept. Recovery signs only what the
 * journal's MACs authenticate: a swapped trace, appended blocks, a
 * replaced journal or an edited row are refused and named. */
#include "records_helpers.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>

static void begin(les_db *db, const les_sign_key *key, les_db_attempt_desc *d,
                  les_db_recording *rec, uint64_t n)
{
    sim_error err;
    if (les_db_attempt_begin(db, d, key, rec, &err) != LES_REC_OK)
        fail_msg("begin: %s", err.message);
    for (uint64_t i = 0; i < n; i++) {
        sim_sample s = rt_sample(i);
        if (les_db_attempt_append(rec, &s, &err) != LES_REC_OK)
            fail_msg("append: %s", err.message);
    }
}

static int count_one(void *ctx, const les_db_attempt_info *info)
{
    (void)info;
    (*(int *)ctx)++;
    return 0;
}

/* Files in a folder (0 when it does not exist). */
static int dir_entries(const char *path)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s' 2>/dev/null)\"", path);
    return system(cmd) == 0 ? 0 : 1;
}

static void exams_need_a_registered_trainee_and_a_key(void **state)
{
    (void)state;
    les_db db;
    rt_open(&db, rt_fresh("exam.db"));
    les_sign_key key;
    rt_key(&key, "exam.key");
    les_db_attempt_desc d = rt_desc("T-5", LES_MODE_EXAM);
    les_db_recording rec;
    sim_error err;
    assert_int_equal(les_db_attempt_begin(&db, &d, NULL, &rec, &err), LES_REC_ERR_KEY);
    assert_non_null(strstr(err.message, "station's secret key is needed"));
    assert_int_equal(les_db_attempt_begin(&db, &d, &key, &rec, &err), LES_REC_ERR_NOTFOUND);
    assert_non_null(strstr(err.message, "stipple records trainee add T-5"));
    /* nothing was left behind: no row, no journal */
    les_db_filter f = les_db_filter_all();
    int n = 0;
    assert_int_equal(les_db_list(&db, &f, count_one, &n, &err), LES_REC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(dir_entries(db.traces_dir), 0);
    d.trainee = "bad code!";
    assert_int_equal(les_db_attempt_begin(&db, &d, &key, &rec, &err), LES_REC_ERR_INPUT);
    /* a practice attempt registers nobody, but creates the trainee */
    d = rt_desc("T-5", LES_MODE_PRACTICE);
    begin(&db, NULL, &d, &rec, 100);
    les_db_attempt_info info;
    assert_int_equal(les_db_attempt_end(&rec, LES_OUTCOME_FINISHED, &info, &err), LES_REC_OK);
    assert_false(info.is_signed);   /* no key: practice is recorded unsigned */
    assert_true(info.graded);
    d = rt_desc("T-5", LES_MODE_EXAM);
    assert_int_equal(les_db_attempt_begin(&db, &d, &key, &rec, &err), LES_REC_ERR_NOTFOUND);
    assert_non_null(strstr(err.message, "not registered for exams"));
    assert_int_equal(les_db_trainee_add(&db, "T-5", NULL, &err), LES_REC_OK);
    begin(&db, &key, &d, &rec, 100);
    assert_int_equal(les_db_attempt_end(&rec, LES_OUTCOME_FINISHED, &info, &err), LES_REC_OK);
    assert_true(info.is_signed);
    assert_int_equal(info.mode, LES_MODE_EXAM);
    /* a recording is ended once */
    assert_int_equal(les_db_attempt_end(&rec, LES_OUTCOME_FINISHED, &info, &err),
                     LES_REC_ERR_STATE);
    les_mode_rules r = les_mode_rules_for(LES_MODE_EXAM);
    assert_false(r.hints || r.healed_preview || r.undo);
    assert_true(r.needs_pinned_lesson && r.needs_known_trainee && r.signs);
    r = les_mode_rules_for(LES_MODE_PRACTICE);
    assert_true(r.hints && r.healed_preview && r.undo && !r.signs);
    les_sign_key_deinit(&key);
    les_db_close(&db);
}

static void the_time_limit_is_enforced_on_trace_time(void **state)
{
    (void)state;
    les_db db;
    rt_open(&db, rt_fresh("limit.db"));
    les_sign_key key;
    rt_key(&key, "limit.key");
    sim_error err;
    assert_int_equal(les_db_trainee_add(&db, "T-6", NULL, &err), LES_REC_OK);
    les_db_attempt_desc d = rt_desc("T-6", LES_MODE_EXAM);
    d.time_limit_s = 2;
    les_db_recording rec;
    assert_int_equal(les_db_attempt_begin(&db, &d, &key, &rec, &err), LES_REC_OK);
    uint64_t i = 0;
    les_rec_result r = LES_REC_OK;
    for (; r == LES_REC_OK && i < 5000; i++) {
        sim_sample s = rt_sample(i);
        r = les_db_attempt_append(&rec, &s, &err);
    }
    assert_int_equal(r, LES_REC_ERR_TIME_UP);
    assert_non_null(strstr(err.message, "time limit of 2 s is reached"));
    assert_true(rec.time_up);
    assert_int_equal(i, 2002);   /* t = 0 .. 2.000 s recorded, 2.001 s refused */
    les_db_attempt_info info;
    assert_int_equal(les_db_attempt_end(&rec, LES_OUTCOME_TIMED_OUT, &info, &err), LES_REC_OK);
    assert_int_equal(info.outcome, LES_OUTCOME_TIMED_OUT);
    assert_int_equal(info.trace_samples, 2001);
    assert_int_equal(info.time_limit_s, 2);
    rt_problems p;
    les_db_verify_summary s = rt_verify(&db, &p);
    assert_int_equal(s.problems, 0);
    /* a limit whose microseconds do not fit an int64 is refused, not
     * overflowed (UBSan stops the test on the overflow) */
    d.time_limit_s = INT64_MAX / 1000;
    assert_int_equal(les_db_attempt_begin(&db, &d, &key, &rec, &err), LES_REC_ERR_ARG);
    assert_non_null(strstr(err.message, "time limit"));
    les_sign_key_deinit(&key);
    les_db_close(&db);
}

/* Samples on disk in a journal (whole blocks). */
static size_t journal_samples(const char *path)
{
    sim_trace t;
    sim_trace_init(&t);
    sim_error err;
    sim_trace_load(&t, path, &err);
    size_t n = t.count;
    sim_trace_deinit(&t);
    return n;
}

static void the_journal_is_flushed_every_interval(void **state)
{
    (void)state;
    les_db db;
    rt_open(&db, rt_fresh("flush.db"));
    les_db_attempt_desc d = rt_desc("T-1", LES_MODE_PRACTICE);
    d.flush_interval_ms = 30;
    les_db_recording rec;
    begin(&db, NULL, &d, &rec, 100);
    assert_int_equal(journal_samples(rec.journal_path), 0);   /* not a whole interval yet */
    struct timespec pause = {0, 40 * 1000 * 1000};
    nanosleep(&pause, NULL);
    sim_error err;
    assert_int_equal(les_db_attempt_tick(&rec, false, &err), LES_REC_OK);
    assert_int_equal(journal_samples(rec.journal_path), 100);
    sim_sample s = rt_sample(100);
    assert_int_equal(les_db_attempt_append(&rec, &s, &err), LES_REC_OK);
    nanosleep(&pause, NULL);
    s = rt_sample(101);
    assert_int_equal(les_db_attempt_append(&rec, &s, &err), LES_REC_OK);   /* flushes */
    assert_int_equal(journal_samples(rec.journal_path), 102);
    assert_int_equal(les_db_attempt_end(&rec, LES_OUTCOME_ABANDONED, NULL, &err), LES_REC_OK);
    assert_int_equal(access(rec.journal_path, F_OK), -1);   /* moved into the database */
    les_db_close(&db);
}

typedef struct recovered { int n; les_db_recovered items[4]; } recovered;

static int on_recovered(void *ctx, const les_db_recovered *r)
{
    recovered *c = ctx;
    if (c->n < 4)
        c->items[c->n] = *r;
    c->n++;
    return 0;
}

/* Begins an attempt, records n samples in blocks of `interval` samples,
 * and abandons it as a crash would (journal left, row recording). */
static void crash_after(les_db *db, const les_sign_key *key, uint64_t n, char *journal,
                        size_t size)
{
    les_db_attempt_desc d = rt_desc("T-1", LES_MODE_PRACTICE);
    les_db_recording rec;
    sim_error err;
    assert_int_equal(les_db_attempt_begin(db, &d, key, &rec, &err), LES_REC_OK);
    for (uint64_t i = 0; i < n; i++) {
        sim_sample s = rt_sample(i);
        assert_int_equal(les_db_attempt_append(&rec, &s, &err), LES_REC_OK);
        if (i % 1000 == 999)
            assert_int_equal(les_db_attempt_tick(&rec, true, &err), LES_REC_OK);
    }
    snprintf(journal, size, "%s", rec.journal_path);
    les_db_attempt_release(&rec);
    assert_int_equal(access(journal, F_OK), 0);
}

static void recovers_a_whole_journal_as_interrupted(void **state)
{
    (void)state;
    const char *path = rt_fresh("recover.db");
    les_db db;
    rt_open(&db, path);
    les_sign_key key;
    rt_key(&key, "recover.key");
    char journal[1200];
    crash_after(&db, &key, 2500, journal, sizeof journal);
    les_db_close(&db);

    /* "the next start" */
    rt_open(&db, path);
    recovered r = {0};
    size_t count;
    sim_error err;
    assert_int_equal(les_db_recover(&db, &key, on_recovered, &r, &count, &err), LES_REC_OK);
    assert_int_equal(count, 1);
    assert_int_equal(r.items[0].info.outcome, LES_OUTCOME_INTERRUPTED);
    assert_int_equal(r.items[0].info.trace_samples, 2500);
    assert_true(r.items[0].info.graded);
    assert_true(r.items[0].info.is_signed);
    assert_non_null(strstr(r.items[0].note, "2500 samples recovered from the journal"));
    assert_int_equal(access(journal, F_OK), -1);
    /* recovering twice finds nothing */
    assert_int_equal(les_db_recover(&db, &key, NULL, NULL, &count, &err), LES_REC_OK);
    assert_int_equal(count, 0);
    rt_problems p;
    les_db_verify_summary s = rt_verify(&db, &p);
    if (s.problems)
        fail_msg("%s", p.text);
    les_sign_key_deinit(&key);
    les_db_close(&db);
}

static void a_live_recording_is_left_alone(void **state)
{
    (void)state;
    const char *path = rt_fresh("live.db");
    les_db db, other;
    rt_open(&db, path);
    rt_open(&other, path);   /* a second process: a reviewer */
    les_db_attempt_desc d = rt_desc("T-1", LES_MODE_PRACTICE);
    les_db_recording rec;
    begin(&db, NULL, &d, &rec, 50);
    size_t count = 9;
    sim_error err;
    assert_int_equal(les_db_recover(&other, NULL, NULL, NULL, &count, &err), LES_REC_OK);
    assert_int_equal(count, 0);
    les_db_attempt_info info;
    assert_int_equal(les_db_get(&other, "1", &info, &err), LES_REC_OK);
    assert_int_equal(info.outcome, LES_OUTCOME_RECORDING);
    assert_int_equal(les_db_attempt_end(&rec, LES_OUTCOME_FINISHED, NULL, &err), LES_REC_OK);
    assert_int_equal(les_db_get(&other, "1", &info, &err), LES_REC_OK);
    assert_int_equal(info.outcome, LES_OUTCOME_FINISHED);
    les_db_close(&other);
    les_db_close(&db);
}

/* Cuts the file to `size` bytes. */
static void cut(const char *path, off_t size)
{
    assert_int_equal(truncate(path, size), 0);
}

static void a_journal_cut_mid_block_keeps_its_whole_blocks(void **state)
{
    (void)state;
    const char *path = rt_fresh("cut.db");
    les_db db;
    rt_open(&db, path);
    char journal[1200];
    crash_after(&db, NULL, 2500, journal, sizeof journal);
    struct stat st;
    assert_int_equal(stat(journal, &st), 0);
    cut(journal, st.st_size - 100);   /* the power went out mid-write */
    recovered r = {0};
    sim_error err;
    assert_int_equal(les_db_recover(&db, NULL, on_recovered, &r, NULL, &err), LES_REC_OK);
    assert_int_equal(r.n, 1);
    /* blocks of 1000, 1000, 500: the last one is lost, nothing else */
    assert_int_equal(r.items[0].info.trace_samples, 2000);
    assert_non_null(strstr(r.items[0].note, "its last block was cut short by the crash"));
    les_db_close(&db);
}

static void a_damaged_journal_block_ends_what_is_kept(void **state)
{
    (void)state;
    const char *path = rt_fresh("damaged.db");
    les_db db;
    rt_open(&db, path);
    char journal[1200];
    crash_after(&db, NULL, 2500, journal, sizeof journal);
    /* flip a byte in the second block */
    int fd = open(journal, O_RDWR);
    assert_true(fd >= 0);
    off_t at = SIM_TRACE_HEADER_SIZE + (off_t)sim_trace_block_size(1000) + 40;
    uint8_t b = 0x5a;
    assert_int_equal(pwrite(fd, &b, 1, at), 1);
    close(fd);
    recovered r = {0};
    sim_error err;
    assert_int_equal(les_db_recover(&db, NULL, on_recovered, &r, NULL, &err), LES_REC_OK);
    assert_int_equal(r.items[0].info.trace_samples, 1000);
    assert_non_null(strstr(r.items[0].note, "block 1 fails its checksum"));
    les_db_close(&db);
}

static void a_journal_cut_in_its_header_or_missing_still_recovers_the_attempt(void **state)
{
    (void)state;
    const char *path = rt_fresh("header.db");
    les_db db;
    rt_open(&db, path);
    char journal[1200], journal2[1200];
    crash_after(&db, NULL, 10, journal, sizeof journal);
    cut(journal, 50);
    crash_after(&db, NULL, 10, journal2, sizeof journal2);
    unlink(journal2);
    recovered r = {0};
    sim_error err;
    assert_int_equal(les_db_recover(&db, NULL, on_recovered, &r, NULL, &err), LES_REC_OK);
    assert_int_equal(r.n, 2);
    assert_non_null(strstr(r.items[0].note, "header is cut short or damaged (50 bytes)"));
    assert_non_null(strstr(r.items[1].note, "is missing"));
    for (int i = 0; i < 2; i++) {
        assert_int_equal(r.items[i].info.outcome, LES_OUTCOME_INTERRUPTED);
        assert_int_equal(r.items[i].info.trace_samples, 0);
        assert_false(r.items[i].info.graded);
    }
    les_db_close(&db);
}

/* ------------------------------------------------------------------------ */
/* Journals changed by someone who can write the journals folder            */
/* ------------------------------------------------------------------------ */

/* Writes a trace of n samples rt_sample(i + shift) under header h to a new
 * file and moves it over `path`, as an attacker would. */
static void swap_in_trace(const char *path, const sim_trace_header *h, uint64_t n, uint64_t shift)
{
    char tmp[1300];
    snprintf(tmp, sizeof tmp, "%s.forged", path);
    sim_trace t;
    sim_trace_init(&t);
    t.header = *h;
    for (uint64_t i = 0; i < n; i++) {
        sim_sample s = rt_sample(i + shift);
        s.t_us = (int64_t)i * 1000;
        assert_int_equal(sim_trace_push(&t, &s), SIM_OK);
    }
    sim_error err;
    assert_int_equal(sim_trace_save(&t, tmp, &err), SIM_OK);
    sim_trace_deinit(&t);
    assert_int_equal(rename(tmp, path), 0);
}

static sim_trace_header header_of(const char *journal)
{
    sim_trace t;
    sim_trace_init(&t);
    sim_error err;
    assert_int_equal(sim_trace_load(&t, journal, &err), SIM_OK);
    sim_trace_header h = t.header;
    sim_trace_deinit(&t);
    return h;
}

static les_db_recovered recover_single(les_db *db, const les_sign_key *key)
{
    recovered r = {0};
    sim_error err;
    assert_int_equal(les_db_recover(db, key, on_recovered, &r, NULL, &err), LES_REC_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.items[0].info.outcome, LES_OUTCOME_INTERRUPTED);
    return r.items[0];
}

/* A trace swapped in for a crashed attempt's journal (its header copied,
 * other samples) is not signed as that attempt: its blocks fail their MACs
 * and are refused, named in the note; the attempt is kept, interrupted,
 * signed with only what the station wrote (here nothing). */
static void a_swapped_journal_is_not_signed_as_the_interrupted_attempt(void **state)
{
    (void)state;
    const char *path = rt_fresh("swapped.db");
    les_sign_key key;
    rt_key(&key, "swap.key");
    les_db db;
    rt_open_key(&db, path, &key);
    char journal[1200];
    crash_after(&db, &key, 2500, journal, sizeof journal);
    sim_trace_header h = header_of(journal);
    swap_in_trace(journal, &h, 3000, 7);
    les_db_recovered r = recover_single(&db, &key);
    print_message("%s\n", r.note);
    assert_int_equal(r.info.trace_samples, 0);
    assert_non_null(strstr(r.note, "block 0 (from byte 128) and everything after it refused: it "
                                   "fails its MAC"));
    assert_true(r.info.is_signed);
    assert_int_equal(access(journal, F_OK), -1);
    rt_problems p;
    les_db_verify_summary s = rt_verify(&db, &p);
    if (s.problems)
        fail_msg("%s", p.text);
    les_db_close(&db);
    les_sign_key_deinit(&key);
}

/* Blocks appended to a journal after the crash (numbered on, with good
 * checksums) have no MAC record: refused, the station's blocks kept. */
static void blocks_appended_to_a_journal_are_refused(void **state)
{
    (void)state;
    const char *path = rt_fresh("appended.db");
    les_sign_key key;
    rt_key(&key, "append.key");
    les_db db;
    rt_open_key(&db, path, &key);
    char journal[1200];
    crash_after(&db, &key, 2000, journal, sizeof journal);
    sim_sample more[500];
    for (uint64_t i = 0; i < 500; i++)
        more[i] = rt_sample(2000 + i);
    size_t size = sim_trace_block_size(500);
    uint8_t *block = malloc(size);
    assert_non_null(block);
    sim_trace_encode_block(more, 500, 2000, block);
    FILE *f = fopen(journal, "ab");
    assert_non_null(f);
    assert_int_equal(fwrite(block, 1, size, f), size);
    fclose(f);
    free(block);
    les_db_recovered r = recover_single(&db, &key);
    print_message("%s\n", r.note);
    assert_int_equal(r.info.trace_samples, 2000);
    assert_true(r.info.is_signed);
    assert_non_null(strstr(r.note, "2000 samples recovered from the journal"));
    assert_non_null(strstr(r.note, "no MAC record covers them"));
    les_db_close(&db);
    les_sign_key_deinit(&key);
}

/* When nothing authenticates the journal (another trace moved over it, or
 * the attempt's row edited: another trainee), recovery keeps the attempt,
 * interrupted, with no samples and no signature. */
static void a_replaced_journal_or_an_edited_row_is_recovered_unsigned(void **state)
{
    (void)state;
    const char *path = rt_fresh("replaced.db");
    les_sign_key key;
    rt_key(&key, "replace.key");
    les_db db;
    rt_open_key(&db, path, &key);
    char journal[1200];
    crash_after(&db, &key, 1500, journal, sizeof journal);
    sim_trace_header other = rt_header();
    other.seed = 99;
    swap_in_trace(journal, &other, 1500, 0);
    les_db_recovered r = recover_single(&db, &key);
    print_message("%s\n", r.note);
    assert_false(r.info.is_signed);
    assert_int_equal(r.info.trace_samples, 0);
    assert_non_null(strstr(r.note, "nothing in its journal is authenticated"));

    crash_after(&db, &key, 1500, journal, sizeof journal);
    assert_int_equal(sqlite3_exec(db.sql,
                                  "INSERT INTO trainees(code, name, registered, added_us) VALUES "
                                  "('T-X', '', 1, 1); UPDATE attempts SET trainee_id = (SELECT id "
                                  "FROM trainees WHERE code = 'T-X') WHERE outcome = 'recording'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    r = recover_single(&db, &key);
    print_message("%s\n", r.note);
    assert_false(r.info.is_signed);
    assert_int_equal(r.info.trace_samples, 0);
    assert_non_null(strstr(r.note, "trainee, mode, lesson"));
    les_db_close(&db);
    les_sign_key_deinit(&key);
}

/* Only the station whose key began an attempt can authenticate its
 * journal: recovered by another station (or one begun without a key), the
 * samples are kept but not signed. */
static void only_the_station_that_began_an_attempt_signs_its_recovery(void **state)
{
    (void)state;
    const char *path = rt_fresh("other-station.db");
    les_sign_key a, b;
    rt_key(&a, "began.key");
    rt_key(&b, "recovers.key");
    les_db db;
    rt_open(&db, path);
    char journal[1200];
    crash_after(&db, &a, 1500, journal, sizeof journal);
    les_db_recovered r = recover_single(&db, &b);
    print_message("%s\n", r.note);
    assert_false(r.info.is_signed);
    assert_int_equal(r.info.trace_samples, 1500);
    assert_non_null(strstr(r.note, "which this process does not hold"));
    crash_after(&db, NULL, 1500, journal, sizeof journal);
    r = recover_single(&db, &b);
    assert_false(r.info.is_signed);
    assert_int_equal(r.info.trace_samples, 1500);
    assert_non_null(strstr(r.note, "begun without a station key"));
    les_db_close(&db);
    les_sign_key_deinit(&a);
    les_sign_key_deinit(&b);
}

static void stale_journals_of_committed_attempts_are_swept(void **state)
{
    (void)state;
    const char *path = rt_fresh("sweep.db");
    les_db db;
    rt_open(&db, path);
    int64_t id = rt_record(&db, NULL, "T-1", LES_MODE_PRACTICE, 20);
    les_db_attempt_info info;
    sim_error err;
    char ref[16];
    snprintf(ref, sizeof ref, "%lld", (long long)id);
    assert_int_equal(les_db_get(&db, ref, &info, &err), LES_REC_OK);
    char stale[1200], orphan[1200];
    snprintf(stale, sizeof stale, "%s/%s.trace", db.traces_dir, info.uid);
    snprintf(orphan, sizeof orphan, "%s/0123456789abcdef0123456789abcdef.trace", db.traces_dir);
    assert_int_equal(tu_write_file(stale, "x", 1), 0);
    assert_int_equal(tu_write_file(orphan, "y", 1), 0);
    assert_int_equal(les_db_recover(&db, NULL, NULL, NULL, NULL, &err), LES_REC_OK);
    assert_int_equal(access(stale, F_OK), -1);
    assert_int_equal(access(orphan, F_OK), -1);
    les_db_close(&db);
}

/* Two stations' processes (or a station and a reviewer) writing one
 * database at once: each waits for the other's transactions. */
static void two_processes_record_into_one_database(void **state)
{
    (void)state;
    const char *path = rt_fresh("shared.db");
    les_db db;
    rt_open(&db, path);
    les_db_close(&db);
    les_sign_key key;
    rt_key(&key, "shared.key");
    fflush(NULL);
    pid_t pids[2];
    for (int p = 0; p < 2; p++) {
        pids[p] = fork();
        if (pids[p] == 0) {
            les_db mine;
            rt_open(&mine, path);
            for (int i = 0; i < 4; i++)
                rt_record(&mine, &key, p ? "T-B" : "T-A", LES_MODE_PRACTICE, 1500);
            les_db_close(&mine);
            _exit(0);
        }
    }
    for (int p = 0; p < 2; p++) {
        int status;
        waitpid(pids[p], &status, 0);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    rt_open(&db, path);
    les_db_filter f = les_db_filter_all();
    int n = 0;
    sim_error err;
    assert_int_equal(les_db_list(&db, &f, count_one, &n, &err), LES_REC_OK);
    assert_int_equal(n, 8);
    les_db_attempt_info info;
    assert_int_equal(les_db_get(&db, "8", &info, &err), LES_REC_OK);
    assert_int_equal(info.session, 4);
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
        cmocka_unit_test(exams_need_a_registered_trainee_and_a_key),
        cmocka_unit_test(the_time_limit_is_enforced_on_trace_time),
        cmocka_unit_test(the_journal_is_flushed_every_interval),
        cmocka_unit_test(recovers_a_whole_journal_as_interrupted),
        cmocka_unit_test(a_live_recording_is_left_alone),
        cmocka_unit_test(a_journal_cut_mid_block_keeps_its_whole_blocks),
        cmocka_unit_test(a_damaged_journal_block_ends_what_is_kept),
        cmocka_unit_test(a_journal_cut_in_its_header_or_missing_still_recovers_the_attempt),
        cmocka_unit_test(a_swapped_journal_is_not_signed_as_the_interrupted_attempt),
        cmocka_unit_test(blocks_appended_to_a_journal_are_refused),
        cmocka_unit_test(a_replaced_journal_or_an_edited_row_is_recovered_unsigned),
        cmocka_unit_test(only_the_station_that_began_an_attempt_signs_its_recovery),
        cmocka_unit_test(stale_journals_of_committed_attempts_are_swept),
        cmocka_unit_test(two_processes_record_into_one_database),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
