/* records_db_test.c: the records database: creation, schema versions and
 * migrations (from every earlier version, all-or-nothing), foreign files,
 * trainees and lessons, listing with filters, history, the audit chain. */
#include "records_helpers.h"

#include "les_db_internal.h"

static int count_rows(les_db *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void creates_a_current_wal_database(void **state)
{
    (void)state;
    const char *path = rt_fresh("create.db");
    les_db db;
    rt_open(&db, path);
    assert_int_equal(les_db_schema_version(&db), LES_DB_SCHEMA_VERSION);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db.sql, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    assert_int_equal(count_rows(&db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(count_rows(&db, "PRAGMA application_id"), LES_DB_APPLICATION_ID);
    assert_int_equal(count_rows(&db, "SELECT count(*) FROM audit WHERE event = 'created'"), 1);
    les_db_close(&db);
    /* opening again changes nothing */
    rt_open(&db, path);
    assert_int_equal(count_rows(&db, "SELECT count(*) FROM audit"), 1);
    les_db_close(&db);
}

/* Fixtures: a database at each earlier version, with data in it. Version 0
 * is an empty file. When a version 2 arrives, add its fixture here. */
static void make_fixture(const char *path, int version)
{
    les_db db;
    memset(&db, 0, sizeof db);
    snprintf(db.path, sizeof db.path, "%s", path);
    assert_int_equal(sqlite3_open(path, &db.sql), SQLITE_OK);
    size_t n;
    const les__db_step *steps = les__db_steps(&n);
    sim_error err;
    if (version > 0) {
        assert_int_equal(les__db_migrate(&db, steps, n, version, &err), LES_REC_OK);
        char sql[2048];
        snprintf(sql, sizeof sql,
                 "INSERT INTO trainees(code, name, registered, added_us) VALUES ('old-1', 'Old', 1, 1);"
                 "INSERT INTO lessons VALUES ('%s', 'rec-pad', 'Records pad', 1, '%s', 1);"
                 "INSERT INTO attempts(uid, trainee_id, lesson_hash, mode, session, started_us, "
                 "ended_us, outcome, app_version, sim_version) VALUES "
                 "('00112233445566778899aabbccddeeff', 1, '%s', 'practice', 1, 1000, 2000, "
                 "'abandoned', 'v0', 1);",
                 rt_lesson_hash(), RT_LESSON, rt_lesson_hash());
        assert_int_equal(sqlite3_exec(db.sql, sql, NULL, NULL, NULL), SQLITE_OK);
    }
    sqlite3_close(db.sql);
}

static void migrates_from_every_earlier_version(void **state)
{
    (void)state;
    for (int v = 0; v < LES_DB_SCHEMA_VERSION; v++) {
        char name[32];
        snprintf(name, sizeof name, "mig-v%d.db", v);
        const char *path = rt_fresh(name);
        make_fixture(path, v);
        les_db db;
        rt_open(&db, path);
        assert_int_equal(les_db_schema_version(&db), LES_DB_SCHEMA_VERSION);
        if (v > 0) {
            les_db_attempt_info info;
            sim_error err;
            assert_int_equal(les_db_get(&db, "001122", &info, &err), LES_REC_OK);
            assert_string_equal(info.trainee, "old-1");
            assert_int_equal(info.outcome, LES_OUTCOME_ABANDONED);
        }
        les_db_close(&db);
    }
    /* and the current version itself is a fixture that opens unchanged */
    const char *path = rt_fresh("mig-current.db");
    make_fixture(path, LES_DB_SCHEMA_VERSION);
    les_db db;
    rt_open(&db, path);
    assert_int_equal(count_rows(&db, "SELECT count(*) FROM attempts"), 1);
    les_db_close(&db);
}

static les_rec_result failing_step(les_db *db, sim_error *err)
{
    return les__db_error(db, LES_REC_ERR_IO, err, "the next step fails on purpose");
}

/* A future step that fails leaves the file exactly at its old version,
 * its data intact (all steps run in one transaction). */
static void a_failing_migration_changes_nothing(void **state)
{
    (void)state;
    const int now = LES_DB_SCHEMA_VERSION, next = LES_DB_SCHEMA_VERSION + 1;
    const char *path = rt_fresh("mig-fail.db");
    make_fixture(path, now);
    size_t n;
    const les__db_step *real = les__db_steps(&n);
    les__db_step steps[16];
    assert_true(n < 16);
    memcpy(steps, real, n * sizeof *steps);
    steps[n] = (les__db_step){next, "CREATE TABLE next_thing(x); ALTER TABLE trainees ADD COLUMN "
                                    "email TEXT;",
                              failing_step};
    les_db db;
    memset(&db, 0, sizeof db);
    snprintf(db.path, sizeof db.path, "%s", path);
    assert_int_equal(sqlite3_open(path, &db.sql), SQLITE_OK);
    sim_error err;
    assert_int_equal(les__db_migrate(&db, steps, n + 1, next, &err), LES_REC_ERR_IO);
    assert_string_equal(err.message, "the next step fails on purpose");
    assert_int_equal(count_rows(&db, "PRAGMA user_version"), now);
    assert_int_equal(
        count_rows(&db, "SELECT count(*) FROM sqlite_schema WHERE name = 'next_thing'"), 0);
    assert_int_equal(count_rows(&db, "SELECT count(*) FROM trainees"), 1);
    int migrated = count_rows(&db, "SELECT count(*) FROM audit WHERE event = 'migrated'");
    /* the same step list without the failure migrates, keeping the data */
    steps[n].fn = NULL;
    assert_int_equal(les__db_migrate(&db, steps, n + 1, next, &err), LES_REC_OK);
    assert_int_equal(count_rows(&db, "PRAGMA user_version"), next);
    assert_int_equal(count_rows(&db, "SELECT count(*) FROM trainees WHERE email IS NULL"), 1);
    assert_int_equal(count_rows(&db, "SELECT count(*) FROM audit WHERE event = 'migrated'"),
                     migrated + 1);
    sqlite3_close(db.sql);
    /* a file newer than this Stipple is refused, untouched */
    les_db_desc d = {.path = path};
    assert_int_equal(les_db_open(&db, &d, &err), LES_REC_ERR_SCHEMA);
    char want[96];
    snprintf(want, sizeof want, "schema version %d; this Stipple knows up to %d", next, now);
    assert_non_null(strstr(err.message, want));
}

/* Version 2 added trusted stations: a version 1 file's stations are not
 * trusted after migrating, except the station that opens it with its key
 * (it signed those attempts itself). */
static void version_2_trusts_only_the_station_that_opens_a_version_1_file(void **state)
{
    (void)state;
    const char *path = rt_fresh("mig-trust.db");
    make_fixture(path, 1);
    les_sign_key mine, other;
    rt_key(&mine, "mig-mine.key");
    rt_key(&other, "mig-other.key");
    char sql[600], a[65], b[65];
    les_hex(mine.pk, 32, a);
    les_hex(other.pk, 32, b);
    snprintf(sql, sizeof sql,
             "INSERT INTO stations(public_key, fingerprint, name, added_us) VALUES "
             "(x'%s', '%s', 'mine', 1), (x'%s', '%s', 'other', 1)",
             a, mine.fingerprint, b, other.fingerprint);
    rt_sql(path, sql);
    les_db db;
    sim_error err;
    les_db_desc d = {.path = path, .app_version = "test", .key = &mine};
    assert_int_equal(les_db_open(&db, &d, &err), LES_REC_OK);
    assert_int_equal(les_db_schema_version(&db), LES_DB_SCHEMA_VERSION);
    assert_int_equal(count_rows(&db, "SELECT count(*) FROM stations WHERE trusted = 1 AND "
                                     "name = 'mine'"), 1);
    assert_int_equal(count_rows(&db, "SELECT count(*) FROM stations WHERE trusted = 0 AND "
                                     "name = 'other'"), 1);
    assert_int_equal(count_rows(&db, "SELECT count(*) FROM audit WHERE event = "
                                     "'station_trusted' AND detail LIKE '%, station mine (%'"), 1);
    les_db_close(&db);
    les_sign_key_deinit(&mine);
    les_sign_key_deinit(&other);
}

/* An older file that must not change (opened read-only, or an export
 * bundle) is migrated in memory: it reads at the current schema and the
 * file keeps its bytes. */
static void an_older_file_opened_read_only_is_migrated_in_memory(void **state)
{
    (void)state;
    const char *path = rt_fresh("mig-ro.db");
    make_fixture(path, 1);
    size_t before_size = 0;
    uint8_t *before = tu_read_file(path, &before_size);
    assert_non_null(before);
    les_db db;
    sim_error err;
    les_db_desc d = {.path = path, .read_only = true};
    if (les_db_open(&db, &d, &err) != LES_REC_OK)
        fail_msg("%s", err.message);
    assert_int_equal(les_db_schema_version(&db), LES_DB_SCHEMA_VERSION);
    assert_int_equal(count_rows(&db, "SELECT count(*) FROM stations WHERE trusted = 0"), 0);
    les_db_attempt_info info;
    assert_int_equal(les_db_get(&db, "001122", &info, &err), LES_REC_OK);
    assert_int_equal(les_db_trainee_add(&db, "T-2", NULL, &err), LES_REC_ERR_READONLY);
    les_db_close(&db);
    size_t after_size = 0;
    uint8_t *after = tu_read_file(path, &after_size);
    assert_int_equal(after_size, before_size);
    assert_memory_equal(after, before, before_size);
    free(before);
    free(after);
}

static void foreign_files_are_refused(void **state)
{
    (void)state;
    sim_error err;
    les_db db;
    const char *text = rt_fresh("not-a-db.db");
    tu_write_file(text, "hello, this is not SQLite at all, but long enough to look like a header",
                  72);
    les_db_desc d = {.path = text};
    assert_int_equal(les_db_open(&db, &d, &err), LES_REC_ERR_CORRUPT);
    assert_non_null(strstr(err.message, "not a Stipple records database"));

    const char *other = rt_fresh("other-app.db");
    rt_sql(other, "CREATE TABLE music(title TEXT)");
    d.path = other;
    assert_int_equal(les_db_open(&db, &d, &err), LES_REC_ERR_CORRUPT);
    assert_non_null(strstr(err.message, "not a Stipple records database"));
    rt_sql(other, "PRAGMA application_id = 1234");
    assert_int_equal(les_db_open(&db, &d, &err), LES_REC_ERR_CORRUPT);
    assert_non_null(strstr(err.message, "another application's database"));

    d.path = rt_fresh("missing.db");
    d.read_only = true;
    assert_int_equal(les_db_open(&db, &d, &err), LES_REC_ERR_NOTFOUND);
    d.path = "";
    assert_int_equal(les_db_open(&db, &d, &err), LES_REC_ERR_ARG);
}

static void trainees_and_lessons(void **state)
{
    (void)state;
    les_db db;
    rt_open(&db, rt_fresh("people.db"));
    sim_error err;
    assert_int_equal(les_db_trainee_add(&db, "T-1", "Ada", &err), LES_REC_OK);
    assert_int_equal(les_db_trainee_add(&db, "T-1", "Ada", &err), LES_REC_OK);
    assert_int_equal(les_db_trainee_add(&db, "T-1", "Bob", &err), LES_REC_ERR_CONFLICT);
    assert_non_null(strstr(err.message, "already registered as 'Ada'"));
    assert_int_equal(les_db_trainee_add(&db, "bad code", NULL, &err), LES_REC_ERR_INPUT);
    assert_non_null(strstr(err.message, "'bad code' is not valid"));
    assert_int_equal(les_db_instructor_add(&db, "I-1", "Ines", &err), LES_REC_OK);
    assert_false(les_db_code_valid(""));
    assert_false(les_db_code_valid("a/b"));
    assert_true(les_db_code_valid("jane.doe@school+1"));

    const char *h = rt_lesson_hash();
    assert_int_equal(les_db_lesson_add(&db, h, "rec-pad", "Records pad", 1, RT_LESSON,
                                       strlen(RT_LESSON), &err), LES_REC_OK);
    assert_int_equal(les_db_lesson_add(&db, h, "rec-pad", "Records pad", 1, RT_LESSON,
                                       strlen(RT_LESSON), &err), LES_REC_OK);
    char *text;
    size_t len;
    char full[65];
    char prefix[9];
    memcpy(prefix, h, 8);
    prefix[8] = 0;
    assert_int_equal(les_db_lesson_text(&db, prefix, &text, &len, full, &err), LES_REC_OK);
    assert_string_equal(text, RT_LESSON);
    assert_string_equal(full, h);
    sim_free(text);
    assert_int_equal(les_db_lesson_text(&db, "00000000", &text, &len, NULL, &err),
                     LES_REC_ERR_NOTFOUND);
    assert_int_equal(les_db_lesson_text(&db, "xyz", &text, &len, NULL, &err), LES_REC_ERR_INPUT);
    les_db_close(&db);
}

/* A lesson text or a trace longer than SQLite takes is refused with the
 * lengths named, never cut short or stored as NULL: the lesson is not
 * stored; the attempt does not end (its journal keeps it) until it fits. */
static void texts_and_traces_too_long_for_the_database_are_refused_whole(void **state)
{
    (void)state;
    les_db db;
    rt_open(&db, rt_fresh("too-long.db"));
    sim_error err;
    sqlite3_limit(db.sql, SQLITE_LIMIT_LENGTH, 4000);
    size_t n = 5000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, '#', n);
    big[n] = 0;
    char hash[65];
    memset(hash, 'a', 64);
    hash[64] = 0;
    assert_int_equal(les_db_lesson_add(&db, hash, "big", "Big", 1, big, n, &err),
                     LES_REC_ERR_INPUT);
    assert_non_null(strstr(err.message, "(5000 bytes) is longer than the records database takes "
                                        "(4000 bytes)"));
    assert_int_equal(count_rows(&db, "SELECT count(*) FROM lessons"), 0);
    free(big);

    sqlite3_limit(db.sql, SQLITE_LIMIT_LENGTH, 20000);
    les_db_attempt_desc d = rt_desc("T-1", LES_MODE_PRACTICE);
    les_db_recording rec;
    assert_int_equal(les_db_attempt_begin(&db, &d, NULL, &rec, &err), LES_REC_OK);
    for (uint64_t i = 0; i < 1000; i++) {
        sim_sample s = rt_sample(i);
        assert_int_equal(les_db_attempt_append(&rec, &s, &err), LES_REC_OK);
    }
    les_db_attempt_info info;
    assert_int_equal(les_db_attempt_end(&rec, LES_OUTCOME_FINISHED, &info, &err),
                     LES_REC_ERR_INPUT);
    assert_non_null(strstr(err.message, "is longer than the records database takes"));
    assert_true(rec.open);
    assert_int_equal(count_rows(&db, "SELECT count(*) FROM attempts WHERE outcome = "
                                     "'recording' AND trace IS NULL"), 1);
    sqlite3_limit(db.sql, SQLITE_LIMIT_LENGTH, 1000000000);
    assert_int_equal(les_db_attempt_end(&rec, LES_OUTCOME_FINISHED, &info, &err), LES_REC_OK);
    assert_int_equal(info.trace_samples, 1000);
    assert_true(info.trace_bytes > 20000);
    les_db_close(&db);
}

typedef struct listed { int n; int64_t ids[16]; } listed;

static int collect(void *ctx, const les_db_attempt_info *info)
{
    listed *l = ctx;
    l->ids[l->n++] = info->id;
    return 0;
}

typedef struct hist { int n; char lines[32][96]; } hist;

static int on_history(void *ctx, const les_db_attempt_info *info, const char *metric, double score)
{
    hist *h = ctx;
    snprintf(h->lines[h->n++], 96, "%lld %s %.2f", (long long)info->id, metric, score);
    return 0;
}

static void lists_filters_and_history(void **state)
{
    (void)state;
    les_db db;
    rt_open(&db, rt_fresh("list.db"));
    les_sign_key key;
    rt_key(&key, "list.key");
    sim_error err;
    assert_int_equal(les_db_trainee_add(&db, "T-2", NULL, &err), LES_REC_OK);
    int64_t a = rt_record(&db, &key, "T-1", LES_MODE_PRACTICE, 2000);
    int64_t b = rt_record(&db, &key, "T-2", LES_MODE_EXAM, 3000);
    int64_t c = rt_record(&db, &key, "T-1", LES_MODE_PRACTICE, 500);

    listed l = {0};
    les_db_filter f = les_db_filter_all();
    assert_int_equal(les_db_list(&db, &f, collect, &l, &err), LES_REC_OK);
    assert_int_equal(l.n, 3);
    memset(&l, 0, sizeof l);
    f.trainee = "T-1";
    assert_int_equal(les_db_list(&db, &f, collect, &l, &err), LES_REC_OK);
    assert_int_equal(l.n, 2);
    assert_true(l.ids[0] == a && l.ids[1] == c);
    memset(&l, 0, sizeof l);
    f = les_db_filter_all();
    f.mode = LES_MODE_EXAM;
    assert_int_equal(les_db_list(&db, &f, collect, &l, &err), LES_REC_OK);
    assert_true(l.n == 1 && l.ids[0] == b);
    memset(&l, 0, sizeof l);
    f = les_db_filter_all();
    f.lesson = "rec-pad";
    f.since_us = 1;
    assert_int_equal(les_db_list(&db, &f, collect, &l, &err), LES_REC_OK);
    assert_int_equal(l.n, 3);
    memset(&l, 0, sizeof l);
    f.until_us = 2;   /* before every attempt */
    assert_int_equal(les_db_list(&db, &f, collect, &l, &err), LES_REC_OK);
    assert_int_equal(l.n, 0);

    les_db_attempt_info info;
    assert_int_equal(les_db_get(&db, "2", &info, &err), LES_REC_OK);
    assert_int_equal(info.id, b);
    assert_int_equal(info.mode, LES_MODE_EXAM);
    assert_int_equal(info.session, 1);
    assert_true(info.is_signed);
    assert_string_equal(info.station, key.fingerprint);
    assert_int_equal(info.trace_samples, 3000);
    assert_int_equal(info.outcome, LES_OUTCOME_FINISHED);
    assert_int_equal(les_db_get(&db, "3", &info, &err), LES_REC_OK);
    assert_int_equal(info.session, 2);   /* T-1's second go at the lesson */
    char prefix[7];
    memcpy(prefix, info.uid, 6);
    prefix[6] = 0;
    assert_int_equal(les_db_get(&db, prefix, &info, &err), LES_REC_OK);
    assert_int_equal(info.id, c);
    assert_int_equal(les_db_get(&db, "99", &info, &err), LES_REC_ERR_NOTFOUND);
    assert_int_equal(les_db_get(&db, "zz", &info, &err), LES_REC_ERR_INPUT);

    hist h = {0};
    assert_int_equal(les_db_history(&db, "T-1", NULL, on_history, &h, &err), LES_REC_OK);
    /* total and every scored metric (density, depth, safety, spacing,
     * technique; no hairline in this lesson) for each attempt */
    assert_int_equal(h.n, 12);
    assert_non_null(strstr(h.lines[0], " total "));
    assert_non_null(strstr(h.lines[1], " density "));
    assert_non_null(strstr(h.lines[2], " depth "));
    les_sign_key_deinit(&key);
    les_db_close(&db);
}

typedef struct events { int n; char names[64][32]; } events;

static int on_event(void *ctx, const les_db_audit_event *ev)
{
    events *e = ctx;
    snprintf(e->names[e->n++], 32, "%s", ev->event);
    return 0;
}

static void the_audit_chain_catches_edits_and_deletions(void **state)
{
    (void)state;
    const char *path = rt_fresh("audit.db");
    les_db db;
    rt_open(&db, path);
    les_sign_key key;
    rt_key(&key, "audit.key");
    rt_record(&db, &key, "T-1", LES_MODE_PRACTICE, 300);
    rt_record(&db, &key, "T-1", LES_MODE_PRACTICE, 300);
    events ev = {0};
    sim_error err;
    assert_int_equal(les_db_audit_list(&db, NULL, on_event, &ev, &err), LES_REC_OK);
    assert_string_equal(ev.names[0], "created");
    int begun = 0, ended = 0;
    for (int i = 0; i < ev.n; i++) {
        begun += strcmp(ev.names[i], "begun") == 0;
        ended += strcmp(ev.names[i], "ended") == 0;
    }
    assert_int_equal(begun, 2);
    assert_int_equal(ended, 2);
    rt_problems p;
    les_db_verify_summary s = rt_verify(&db, &p);
    assert_int_equal(s.problems, 0);
    les_db_close(&db);

    /* an attempt deleted outright */
    rt_sql(path, "DELETE FROM attempts WHERE id = 2");
    rt_open(&db, path);
    s = rt_verify(&db, &p);
    assert_int_equal(s.problems, 1);
    assert_non_null(strstr(p.text, "audit: attempt "));
    assert_non_null(strstr(p.text, "is missing: the audit log saw it begin"));
    les_db_close(&db);

    /* an audit event edited */
    rt_sql(path, "UPDATE audit SET detail = 'nothing to see' WHERE event = 'begun' AND id = "
                 "(SELECT min(id) FROM audit WHERE event = 'begun')");
    rt_open(&db, path);
    s = rt_verify(&db, &p);
    assert_non_null(strstr(p.text, "(begun) was altered: its hash does not match"));
    les_db_close(&db);

    /* an audit event removed from the middle */
    rt_sql(path, "DELETE FROM audit WHERE id = 3");
    rt_open(&db, path);
    s = rt_verify(&db, &p);
    assert_non_null(strstr(p.text, "audit log broken before event #4"));
    les_db_close(&db);
    les_sign_key_deinit(&key);
}

/* The attacker's tool: rewrites the audit chain's hashes from the first
 * event on, as anyone who edits the file can (SHA-256 needs no key); with
 * `forger`, also seals every event with that key (NULL: seals untouched). */
static void recompute_chain(const char *path, const les_sign_key *forger)
{
    sqlite3 *s;
    assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
    assert_int_equal(sqlite3_exec(s, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *rd, *wr;
    assert_int_equal(sqlite3_prepare_v2(s, "SELECT id, at_us, event, attempt_uid, detail FROM "
                                           "audit ORDER BY id", -1, &rd, NULL), SQLITE_OK);
    const char *sql = forger ? "UPDATE audit SET prev_hash = ?, hash = ?, signer = ?, seal = ? "
                               "WHERE id = ?"
                             : "UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?5";
    assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &wr, NULL), SQLITE_OK);
    char prev[65];
    memset(prev, '0', 64);
    prev[64] = 0;
    while (sqlite3_step(rd) == SQLITE_ROW) {
        les_json j;
        les_json_init(&j, NULL, 0);
        les_json_begin_object(&j);
        les_json_kv_int(&j, "id", sqlite3_column_int64(rd, 0));
        les_json_kv_int(&j, "at_us", sqlite3_column_int64(rd, 1));
        les_json_kv_string(&j, "event", (const char *)sqlite3_column_text(rd, 2));
        les_json_kv_string(&j, "attempt", (const char *)sqlite3_column_text(rd, 3));
        les_json_kv_string(&j, "detail", (const char *)sqlite3_column_text(rd, 4));
        les_json_end_object(&j);
        assert_int_equal(les_json_finish(&j), LES_OK);
        size_t len;
        const char *text = les_json_buffer(&j, &len);
        char buf[4096], hash[65];
        assert_true(len + 66 < sizeof buf);
        memcpy(buf, prev, 64);
        buf[64] = '\n';
        memcpy(buf + 65, text, len);
        les_sha256_hex(buf, 65 + len, hash);
        les_json_deinit(&j);
        sqlite3_bind_text(wr, 1, prev, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(wr, 2, hash, -1, SQLITE_TRANSIENT);
        uint8_t seal[64];
        if (forger) {
            char msg[96];
            snprintf(msg, sizeof msg, "stipple-audit/1 %s", hash);
            sim_error err;
            assert_int_equal(les_sign_message(forger, msg, strlen(msg), seal, &err), LES_REC_OK);
            sqlite3_bind_blob(wr, 3, forger->pk, 32, SQLITE_TRANSIENT);
            sqlite3_bind_blob(wr, 4, seal, 64, SQLITE_TRANSIENT);
        }
        sqlite3_bind_int64(wr, 5, sqlite3_column_int64(rd, 0));
        assert_int_equal(sqlite3_step(wr), SQLITE_DONE);
        sqlite3_reset(wr);
        memcpy(prev, hash, 65);
    }
    sqlite3_finalize(rd);
    sqlite3_finalize(wr);
    assert_int_equal(sqlite3_exec(s, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(s);
}

/* A SHA-256 chain alone can be recomputed by anyone who edits the file:
 * the events a station writes are sealed with its key, so an edited and
 * recomputed chain fails verify (the seals no longer match), so does one
 * whose seals were stripped (events about signed attempts are unsealed),
 * and so does one re-sealed with a key this station does not trust. */
static void a_recomputed_audit_chain_without_the_key_fails(void **state)
{
    (void)state;
    const char *path = rt_fresh("audit-forged.db");
    les_db db;
    les_sign_key key, forger;
    rt_key(&key, "audit2.key");
    rt_key(&forger, "audit2-forger.key");
    rt_open_key(&db, path, &key);
    rt_record(&db, &key, "T-1", LES_MODE_PRACTICE, 300);
    rt_record(&db, &key, "T-1", LES_MODE_PRACTICE, 300);
    rt_problems p;
    les_db_verify_summary s = rt_verify(&db, &p);
    if (s.problems)
        fail_msg("%s", p.text);
    les_db_close(&db);

    /* edit an event, recompute the chain: it hashes clean */
    rt_sql(path, "UPDATE audit SET detail = 'abandoned, 0 samples' WHERE id = "
                 "(SELECT min(id) FROM audit WHERE event = 'ended')");
    recompute_chain(path, NULL);
    rt_open_key(&db, path, &key);
    s = rt_verify(&db, &p);
    assert_true(s.problems > 0);
    assert_null(strstr(p.text, "its hash does not match"));
    assert_non_null(strstr(p.text, "audit: audit event #"));
    assert_non_null(strstr(p.text, "has a seal that does not verify"));
    les_db_close(&db);

    /* the seals stripped: the events about signed attempts are unsealed */
    rt_sql(path, "UPDATE audit SET signer = NULL, seal = NULL");
    rt_open_key(&db, path, &key);
    s = rt_verify(&db, &p);
    assert_non_null(strstr(p.text, "the audit log is not sealed after event #0"));
    les_db_close(&db);

    /* re-sealed with the forger's key: not a station this one trusts */
    recompute_chain(path, &forger);
    rt_open_key(&db, path, &key);
    s = rt_verify(&db, &p);
    assert_non_null(strstr(p.text, "sealed by station"));
    assert_non_null(strstr(p.text, "which is not trusted here"));
    assert_non_null(strstr(p.text, "not sealed after event #0"));
    les_db_close(&db);
    les_sign_key_deinit(&key);
    les_sign_key_deinit(&forger);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(creates_a_current_wal_database),
        cmocka_unit_test(migrates_from_every_earlier_version),
        cmocka_unit_test(a_failing_migration_changes_nothing),
        cmocka_unit_test(version_2_trusts_only_the_station_that_opens_a_version_1_file),
        cmocka_unit_test(an_older_file_opened_read_only_is_migrated_in_memory),
        cmocka_unit_test(foreign_files_are_refused),
        cmocka_unit_test(trainees_and_lessons),
        cmocka_unit_test(texts_and_traces_too_long_for_the_database_are_refused_whole),
        cmocka_unit_test(lists_filters_and_history),
        cmocka_unit_test(the_audit_chain_catches_edits_and_deletions),
        cmocka_unit_test(a_recomputed_audit_chain_without_the_key_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
