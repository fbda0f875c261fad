/* records_crash_test.c: SIGKILL a process mid-attempt while it records at
 * 1 kHz in real time; the next start recovers the attempt as interrupted
 * with at most the last second of samples missing (DESIGN.md section 7).
 * The child publishes how many samples it handed to the recorder through
 * shared memory, so the parent knows exactly what was lost. */
#include "records_helpers.h"

#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Records samples paced by the wall clock (sample i at start + i ms) until
 * killed; *handed is the count of samples the recorder has accepted. */
static void child(const char *path, atomic_ulong *handed, const les_sign_key *key)
{
    les_db db;
    rt_open(&db, path);
    les_db_attempt_desc d = rt_desc("T-1", LES_MODE_PRACTICE);
    les_db_recording rec;
    sim_error err;
    if (les_db_attempt_begin(&db, &d, key, &rec, &err) != LES_REC_OK)
        _exit(3);
    int64_t t0 = mono_us();
    for (uint64_t i = 0;; i++) {
        int64_t due = t0 + (int64_t)i * 1000;
        int64_t now = mono_us();
        if (due > now) {
            struct timespec pause = {0, (long)(due - now) * 1000};
            nanosleep(&pause, NULL);
        }
        sim_sample s = rt_sample(i);
        if (les_db_attempt_append(&rec, &s, &err) != LES_REC_OK)
            _exit(4);
        atomic_store(handed, i + 1);
    }
}

static void sigkill_mid_attempt_loses_at_most_a_second(void **state)
{
    (void)state;
    const char *path = rt_fresh("crash.db");
    les_db db;
    rt_open(&db, path);   /* created before the child runs */
    les_db_close(&db);
    les_sign_key key;
    rt_key(&key, "crash.key");
    atomic_ulong *handed = mmap(NULL, sizeof *handed, PROT_READ | PROT_WRITE,
                                MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    assert_true(handed != MAP_FAILED);
    atomic_store(handed, 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        child(path, handed, &key);
    /* let it record for about 2.7 s, then pull the plug */
    struct timespec wait = {2, 700 * 1000 * 1000};
    nanosleep(&wait, NULL);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    unsigned long n = atomic_load(handed);
    assert_true(n > 1000);   /* it did record for more than a second */

    /* the next start */
    rt_open(&db, path);
    sim_error err;
    size_t count;
    assert_int_equal(les_db_recover(&db, &key, NULL, NULL, &count, &err), LES_REC_OK);
    assert_int_equal(count, 1);
    les_db_attempt_info info;
    assert_int_equal(les_db_get(&db, "1", &info, &err), LES_REC_OK);
    assert_int_equal(info.outcome, LES_OUTCOME_INTERRUPTED);
    assert_true(info.is_signed && info.graded);
    unsigned long kept = (unsigned long)info.trace_samples;
    print_message("handed %lu samples, recovered %lu (%.3f s missing)\n", n, kept,
                  (double)(n - kept) / 1000.0);
    assert_true(kept <= n);
    /* 1 kHz: a second is 1000 samples; allow the pacing loop's slack */
    assert_true(n - kept <= 1100);
    /* and what was kept is exactly the first samples, in order */
    les_db_attempt_data data;
    assert_int_equal(les_db_attempt_load(&db, info.id, &data, &err), LES_REC_OK);
    sim_trace t;
    sim_trace_init(&t);
    assert_int_equal(sim_trace_parse(&t, data.trace, data.trace_size, "t", &err), SIM_OK);
    assert_int_equal(t.count, kept);
    for (size_t i = 0; i < t.count; i++) {
        sim_sample want = rt_sample(i);
        assert_memory_equal(&want, &t.samples[i], sizeof want);
    }
    sim_trace_deinit(&t);
    les_db_attempt_data_free(&data);
    rt_problems p;
    les_db_verify_summary s = rt_verify(&db, &p);
    if (s.problems)
        fail_msg("%s", p.text);
    les_db_close(&db);
    les_sign_key_deinit(&key);
    munmap(handed, sizeof *handed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sigkill_mid_attempt_loses_at_most_a_second),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
