/* records_tamper_test.c: every edit an attacker with the database file can
 * make is caught by verify, which names the attempt and what is wrong: a
 * score, the scores JSON, a trace byte, a lesson's text, a signature, the
 * signed record, a re-keyed station, a forged attempt. An untouched
 * database verifies clean, and re-grading reproduces the stored scores
 * byte for byte. */
#include "records_helpers.h"

#include "les_db_internal.h"

typedef struct fixture {
    char path[1024];
    int64_t exam, practice;
    char exam_uid[33];
} fixture;

static fixture make(const char *name)
{
    fixture f;
    memset(&f, 0, sizeof f);
    snprintf(f.path, sizeof f.path, "%s", rt_fresh(name));
    les_db db;
    rt_open(&db, f.path);
    les_sign_key key;
    rt_key(&key, "tamper.key");
    sim_error err;
    assert_int_equal(les_db_trainee_add(&db, "T-9", "Nine", &err), LES_REC_OK);
    f.practice = rt_record(&db, &key, "T-1", LES_MODE_PRACTICE, 1500);
    f.exam = rt_record(&db, &key, "T-9", LES_MODE_EXAM, 2500);
    les_db_attempt_info info;
    char ref[16];
    snprintf(ref, sizeof ref, "%lld", (long long)f.exam);
    assert_int_equal(les_db_get(&db, ref, &info, &err), LES_REC_OK);
    memcpy(f.exam_uid, info.uid, 33);
    les_sign_key_deinit(&key);
    les_db_close(&db);
    return f;
}

/* Verifies the file; returns the problems. */
static rt_problems verify_file(const char *path, les_db_verify_summary *s)
{
    les_db db;
    rt_open(&db, path);
    rt_problems p;
    *s = rt_verify(&db, &p);
    les_db_close(&db);
    return p;
}

static void untouched_verifies_clean_and_regrades_byte_for_byte(void **state)
{
    (void)state;
    fixture f = make("clean.db");
    les_db_verify_summary s;
    rt_problems p = verify_file(f.path, &s);
    if (s.problems)
        fail_msg("%s", p.text);
    assert_int_equal(s.attempts, 2);
    assert_int_equal(s.regraded, 2);
    assert_int_equal(s.failed, 0);
    assert_int_equal(s.unsigned_count, 0);
}

static void an_edited_score_is_named(void **state)
{
    (void)state;
    fixture f = make("score.db");
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE attempts SET score = 99.5, passed = 1 WHERE id = %lld",
             (long long)f.exam);
    rt_sql(f.path, sql);
    les_db_verify_summary s;
    rt_problems p = verify_file(f.path, &s);
    assert_int_equal(s.failed, 1);
    assert_non_null(strstr(p.text, f.exam_uid));
    assert_non_null(strstr(p.text, "record: the stored fields no longer match the signed record"));
    assert_non_null(strstr(p.text, "score: signed \""));
    assert_non_null(strstr(p.text, "stored \"99.50\""));
}

static void edited_scores_json_is_named_and_regrade_disagrees(void **state)
{
    (void)state;
    fixture f = make("json.db");
    char sql[512];
    snprintf(sql, sizeof sql,
             "UPDATE attempts SET scores_json = replace(scores_json, '\"score\":', "
             "'\"score\":1') WHERE id = %lld",
             (long long)f.exam);
    rt_sql(f.path, sql);
    les_db_verify_summary s;
    rt_problems p = verify_file(f.path, &s);
    assert_int_equal(s.failed, 1);
    assert_non_null(strstr(p.text, "scores: the stored scores are not the ones signed"));
    assert_non_null(strstr(p.text, "regrade: re-grading the trace gives score"));
}

static void a_changed_trace_byte_is_named(void **state)
{
    (void)state;
    fixture f = make("trace.db");
    /* flip one byte inside the first sample of the first block */
    char sql[512];
    snprintf(sql, sizeof sql,
             "UPDATE attempts SET trace = substr(trace, 1, 150) || x'ff' || substr(trace, 152) "
             "WHERE id = %lld",
             (long long)f.practice);
    rt_sql(f.path, sql);
    les_db_verify_summary s;
    rt_problems p = verify_file(f.path, &s);
    assert_int_equal(s.failed, 1);
    assert_non_null(strstr(p.text, "trace: the trace's bytes changed"));
    /* the block's CRC catches it too: re-grading names the byte */
    assert_non_null(strstr(p.text, "regrade: the trace cannot be re-graded"));
    assert_non_null(strstr(p.text, "checksum"));
}


/* The trace is the source of truth: a signed attempt whose trace was
 * deleted (the column set to NULL, its hash left) cannot be re-graded and
 * must fail, not pass with the trace and re-grade checks skipped. */
static void a_removed_trace_is_named(void **state)
{
    (void)state;
    fixture f = make("no-trace.db");
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE attempts SET trace = NULL WHERE id = %lld",
             (long long)f.exam);
    rt_sql(f.path, sql);
    les_db_verify_summary s;
    rt_problems p = verify_file(f.path, &s);
    assert_int_equal(s.failed, 1);
    assert_non_null(strstr(p.text, f.exam_uid));
    assert_non_null(strstr(p.text, "trace: the signed trace is missing"));
}

static void an_edited_lesson_is_named_for_each_attempt(void **state)
{
    (void)state;
    fixture f = make("lesson.db");
    rt_sql(f.path, "UPDATE lessons SET text = replace(text, 'pass_mark: 50', 'pass_mark: 5')");
    les_db_verify_summary s;
    rt_problems p = verify_file(f.path, &s);
    assert_int_equal(s.failed, 2);
    assert_non_null(strstr(p.text, "lesson: the stored text of lesson"));
    assert_non_null(strstr(p.text, "now hashes to"));
    rt_sql(f.path, "UPDATE lessons SET text = 'stipple_lesson: [not, valid'");
    p = verify_file(f.path, &s);
    assert_non_null(strstr(p.text, "no longer parses"));
}

static void a_changed_signature_is_named(void **state)
{
    (void)state;
    fixture f = make("sig.db");
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE attempts SET signature = zeroblob(64) WHERE id = %lld", (long long)f.exam);
    rt_sql(f.path, sql);
    les_db_verify_summary s;
    rt_problems p = verify_file(f.path, &s);
    assert_int_equal(s.failed, 1);
    assert_non_null(strstr(p.text, "signature: the signature does not verify"));
    assert_non_null(strstr(p.text, f.exam_uid));
}

static void an_edited_signed_record_is_named(void **state)
{
    (void)state;
    fixture f = make("record.db");
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE attempts SET record = replace(record, '\"trainee\":\"T-9\"', "
             "'\"trainee\":\"T-8\"') WHERE id = %lld",
             (long long)f.exam);
    rt_sql(f.path, sql);
    les_db_verify_summary s;
    rt_problems p = verify_file(f.path, &s);
    assert_non_null(strstr(p.text, "signature: the signature does not verify"));
    assert_non_null(strstr(p.text, "trainee: signed \"T-8\", stored \"T-9\""));
}

static void an_unsigned_exam_and_a_removed_signature_are_named(void **state)
{
    (void)state;
    fixture f = make("unsigned.db");
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE attempts SET signature = NULL, record = NULL WHERE id = %lld",
             (long long)f.exam);
    rt_sql(f.path, sql);
    les_db_verify_summary s;
    rt_problems p = verify_file(f.path, &s);
    assert_non_null(strstr(p.text, "signature: the exam is not signed"));
}

static void a_forger_who_resigns_with_their_own_key_fails_the_trust_list(void **state)
{
    (void)state;
    fixture f = make("forge.db");
    /* the forger edits the score and re-signs with a key of their own */
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE attempts SET score = 100 WHERE id = %lld", (long long)f.exam);
    rt_sql(f.path, sql);
    les_db db;
    rt_open(&db, f.path);
    les_sign_key forger, station;
    rt_key(&forger, "forger.key");
    rt_key(&station, "tamper.key");
    sim_error err;
    assert_int_equal(sqlite3_exec(db.sql, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(les__db_sign_attempt(&db, f.exam, &forger, &err), LES_REC_OK);
    assert_int_equal(sqlite3_exec(db.sql, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    /* without a trust list the record is self-consistent... */
    rt_problems p;
    memset(&p, 0, sizeof p);
    les_db_verify_desc d = {.regrade = false, .on_problem = rt_on_problem, .ctx = &p};
    les_db_verify_summary s;
    assert_int_equal(les_db_verify(&db, &d, &s, &err), LES_REC_OK);
    assert_int_equal(s.failed, 0);
    /* ...but the certifying body trusts the station's key only */
    d.trusted = &station;
    d.trusted_count = 1;
    assert_int_equal(les_db_verify(&db, &d, &s, &err), LES_REC_OK);
    assert_int_equal(s.failed, 1);
    assert_non_null(strstr(p.text, "which is not one of the trusted keys"));
    /* and the re-grade still tells the truth */
    memset(&p, 0, sizeof p);
    d.regrade = true;
    assert_int_equal(les_db_verify(&db, &d, &s, &err), LES_REC_OK);
    assert_non_null(strstr(p.text, "regrade: re-grading the trace gives score"));
    les_sign_key_deinit(&forger);
    les_sign_key_deinit(&station);
    les_db_close(&db);
}

/* On the station itself (which holds its key) the database's own word on
 * trust is not enough: the forger's re-signed attempt names its station
 * as untrusted with no trust list, though the forger's code marked it
 * trusted and sealed that with the forger's own key, and a trusted flag
 * set by hand is named too. */
static void on_the_station_a_forgers_key_is_untrusted_without_a_trust_list(void **state)
{
    (void)state;
    fixture f = make("forge-anchored.db");
    les_sign_key forger, station;
    rt_key(&forger, "forger2.key");
    rt_key(&station, "tamper.key");
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE attempts SET score = 100 WHERE id = %lld", (long long)f.exam);
    rt_sql(f.path, sql);
    les_db db;
    rt_open(&db, f.path);
    sim_error err;
    assert_int_equal(sqlite3_exec(db.sql, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(les__db_sign_attempt(&db, f.exam, &forger, &err), LES_REC_OK);
    assert_int_equal(sqlite3_exec(db.sql, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    les_db_close(&db);
    rt_open_key(&db, f.path, &station);
    rt_problems p;
    memset(&p, 0, sizeof p);
    les_db_verify_desc d = {.on_problem = rt_on_problem, .ctx = &p};
    les_db_verify_summary s;
    assert_int_equal(les_db_verify(&db, &d, &s, &err), LES_REC_OK);
    assert_int_equal(s.failed, 1);
    assert_non_null(strstr(p.text, f.exam_uid));
    assert_non_null(strstr(p.text, "which this database does not trust"));
    assert_non_null(strstr(p.text, "is marked trusted, but no trusted station's sealed audit "
                                   "event trusted it"));
    les_db_close(&db);
    /* a station whose flag was set by hand is not trusted either */
    rt_sql(f.path, "INSERT INTO stations(public_key, fingerprint, name, added_us, trusted) "
                   "VALUES (zeroblob(32), 'x', 'by hand', 1, 1)");
    rt_open_key(&db, f.path, &station);
    memset(&p, 0, sizeof p);
    assert_int_equal(les_db_verify(&db, &d, &s, &err), LES_REC_OK);
    assert_non_null(strstr(p.text, "(by hand) is marked trusted"));
    les_db_close(&db);
    les_sign_key_deinit(&forger);
    les_sign_key_deinit(&station);
}

static void an_attempt_added_by_hand_is_named(void **state)
{
    (void)state;
    fixture f = make("forged-row.db");
    rt_sql(f.path, "INSERT INTO attempts(uid, trainee_id, lesson_hash, mode, session, started_us, "
                   "ended_us, outcome, score, passed, app_version, sim_version) SELECT "
                   "'abcdefabcdefabcdefabcdefabcdefab', trainee_id, lesson_hash, 'practice', 9, 1, "
                   "2, 'finished', 100, 1, 'x', 1 FROM attempts LIMIT 1");
    les_db_verify_summary s;
    rt_problems p = verify_file(f.path, &s);
    assert_non_null(strstr(p.text, "abcdefabcdefabcdefabcdefabcdefab (#3) has no audit event of its "
                               "beginning"));
}


/* Recovery opens an attempt's journal and deletes it afterwards: a journal
 * column edited to name a file outside the journals folder must not make it
 * read or delete that file. The journal is always "<uid>.trace". */
static int count_recovered(void *ctx, const les_db_recovered *r)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

static void a_journal_column_naming_another_file_is_never_read_or_deleted(void **state)
{
    (void)state;
    fixture f = make("journal-path.db");
    /* the victim: a valid trace beside the database (so reading it would
     * even "recover" samples from it) */
    char victim[1100];
    snprintf(victim, sizeof victim, "%s.victim", f.path);
    sim_trace t;
    sim_trace_init(&t);
    t.header = rt_header();
    for (uint64_t i = 0; i < 300; i++) {
        sim_sample s = rt_sample(i);
        assert_int_equal(sim_trace_push(&t, &s), SIM_OK);
    }
    sim_error err;
    assert_int_equal(sim_trace_save(&t, victim, &err), SIM_OK);
    sim_trace_deinit(&t);
    size_t victim_size = 0;
    uint8_t *before = tu_read_file(victim, &victim_size);
    assert_non_null(before);

    /* an attempt left recording, its journal on disk */
    les_db db;
    rt_open(&db, f.path);
    les_sign_key key;
    rt_key(&key, "tamper.key");
    les_db_attempt_desc d = rt_desc("T-1", LES_MODE_PRACTICE);
    les_db_recording rec;
    assert_int_equal(les_db_attempt_begin(&db, &d, &key, &rec, &err), LES_REC_OK);
    for (uint64_t i = 0; i < 1200; i++) {
        sim_sample s = rt_sample(i);
        assert_int_equal(les_db_attempt_append(&rec, &s, &err), LES_REC_OK);
    }
    char uid[33];
    memcpy(uid, rec.uid, sizeof uid);
    les_db_attempt_release(&rec);
    les_db_close(&db);

    const char *base = strrchr(victim, '/') + 1;
    char sql[1400];
    snprintf(sql, sizeof sql, "UPDATE attempts SET journal = '../%s' WHERE uid = '%s'", base, uid);
    rt_sql(f.path, sql);

    rt_open(&db, f.path);
    int seen = 0;
    size_t count = 0;
    assert_int_equal(les_db_recover(&db, &key, count_recovered, &seen, &count, &err), LES_REC_OK);
    assert_int_equal(count, 1);
    /* the victim is untouched... */
    size_t after_size = 0;
    uint8_t *after = tu_read_file(victim, &after_size);
    if (!after)
        fail_msg("recovery deleted %s, named by an edited journal column", victim);
    assert_int_equal(after_size, victim_size);
    assert_memory_equal(after, before, victim_size);
    /* ...and the attempt got its own journal's samples */
    les_db_attempt_info info;
    assert_int_equal(les_db_get(&db, uid, &info, &err), LES_REC_OK);
    assert_int_equal(info.outcome, LES_OUTCOME_INTERRUPTED);
    assert_int_equal(info.trace_samples, 1200);
    free(before);
    free(after);
    les_sign_key_deinit(&key);
    les_db_close(&db);
    unlink(victim);
}


/* An ended, signed exam edited back to "recording": verify must not skip it
 * as in progress, and recovery must not take it for a crashed recording
 * (it would wipe its trace and sign it afresh as interrupted). A live
 * recording never holds a signed record or a stored trace. */
static void an_ended_attempt_set_back_to_recording_is_named_and_left_alone(void **state)
{
    (void)state;
    fixture f = make("back-to-recording.db");
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE attempts SET outcome = 'recording' WHERE id = %lld",
             (long long)f.exam);
    rt_sql(f.path, sql);
    les_db_verify_summary s;
    rt_problems p = verify_file(f.path, &s);
    assert_int_equal(s.failed, 1);
    assert_non_null(strstr(p.text, f.exam_uid));
    assert_non_null(strstr(p.text, "marked recording but"));
    les_db db;
    rt_open(&db, f.path);
    les_sign_key key;
    rt_key(&key, "tamper.key");
    size_t count = 99;
    sim_error err;
    assert_int_equal(les_db_recover(&db, &key, NULL, NULL, &count, &err), LES_REC_OK);
    assert_int_equal(count, 0);
    les_db_attempt_info info;
    assert_int_equal(les_db_get(&db, f.exam_uid, &info, &err), LES_REC_OK);
    assert_int_equal(info.outcome, LES_OUTCOME_RECORDING);
    assert_true(info.is_signed);
    assert_int_equal(info.trace_samples, 2500);
    assert_true(info.trace_bytes > 0);
    les_sign_key_deinit(&key);
    les_db_close(&db);
}


/* An attempt whose lesson (or trainee) row was deleted drops out of every
 * query that joins them: verify must name it, not skip it and report a
 * clean database. */
static void an_attempt_whose_lesson_row_was_deleted_is_named(void **state)
{
    (void)state;
    fixture f = make("no-lesson-row.db");
    rt_sql(f.path, "DELETE FROM lessons");
    les_db_verify_summary s;
    rt_problems p = verify_file(f.path, &s);
    assert_int_equal(s.failed, 2);
    assert_non_null(strstr(p.text, f.exam_uid));
    assert_non_null(strstr(p.text, "its lesson or trainee row is missing"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(untouched_verifies_clean_and_regrades_byte_for_byte),
        cmocka_unit_test(an_edited_score_is_named),
        cmocka_unit_test(edited_scores_json_is_named_and_regrade_disagrees),
        cmocka_unit_test(a_changed_trace_byte_is_named),
        cmocka_unit_test(a_removed_trace_is_named),
        cmocka_unit_test(an_edited_lesson_is_named_for_each_attempt),
        cmocka_unit_test(a_changed_signature_is_named),
        cmocka_unit_test(an_edited_signed_record_is_named),
        cmocka_unit_test(an_unsigned_exam_and_a_removed_signature_are_named),
        cmocka_unit_test(a_forger_who_resigns_with_their_own_key_fails_the_trust_list),
        cmocka_unit_test(on_the_station_a_forgers_key_is_untrusted_without_a_trust_list),
        cmocka_unit_test(an_attempt_added_by_hand_is_named),
        cmocka_unit_test(an_attempt_whose_lesson_row_was_deleted_is_named),
        cmocka_unit_test(a_journal_column_naming_another_file_is_never_read_or_deleted),
        cmocka_unit_test(an_ended_attempt_set_back_to_recording_is_named_and_left_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
