/* records_bundle_test.c: an exam taken on one station is exported, verified
 * offline, imported on another and re-graded there with the same result;
 * a bundle altered on the way (a score, a removed attempt), signed by an
 * untrusted station or conflicting with what is there is refused with
 * nothing imported. */
#include "records_helpers.h"

typedef struct station {
    char db[1024];
    les_sign_key key;
} station;

static station make_station(const char *name, const char *key_name, int attempts)
{
    station s;
    snprintf(s.db, sizeof s.db, "%s", rt_fresh(name));
    rt_key(&s.key, key_name);
    les_db db;
    rt_open_key(&db, s.db, &s.key);
    sim_error err;
    assert_int_equal(les_db_trainee_add(&db, "T-7", "Seven", &err), LES_REC_OK);
    for (int i = 0; i < attempts; i++)
        rt_record(&db, &s.key, "T-7", i % 2 ? LES_MODE_PRACTICE : LES_MODE_EXAM,
                  (uint64_t)(800 + 400 * i));
    les_db_close(&db);
    return s;
}

static size_t count_attempts(les_db *db)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db->sql, "SELECT count(*) FROM attempts", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    size_t n = (size_t)sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static char *scores_of(les_db *db, const char *uid)
{
    les_db_attempt_info info;
    sim_error err;
    assert_int_equal(les_db_get(db, uid, &info, &err), LES_REC_OK);
    les_db_attempt_data d;
    assert_int_equal(les_db_attempt_load(db, info.id, &d, &err), LES_REC_OK);
    char *s = d.scores_json;
    d.scores_json = NULL;
    les_db_attempt_data_free(&d);
    return s;
}

static void export_verify_import_regrade(void **state)
{
    (void)state;
    station a = make_station("station-a.db", "a.key", 3);
    const char *bundle = rt_fresh("a.stpb");
    les_db db;
    rt_open_key(&db, a.db, &a.key);
    size_t count;
    sim_error err;
    les_db_filter f = les_db_filter_all();
    assert_int_equal(les_db_export(&db, &f, bundle, &a.key, &count, &err), LES_REC_OK);
    assert_int_equal(count, 3);
    assert_int_equal(les_db_export(&db, &f, bundle, &a.key, &count, &err), LES_REC_ERR_CONFLICT);
    f.trainee = "nobody";
    const char *empty = rt_fresh("empty.stpb");
    assert_int_equal(les_db_export(&db, &f, empty, &a.key, &count, &err), LES_REC_ERR_NOTFOUND);
    assert_int_equal(access(empty, F_OK), -1);
    les_db_attempt_info first;
    assert_int_equal(les_db_get(&db, "1", &first, &err), LES_REC_OK);
    char *scores_a = scores_of(&db, first.uid);
    les_db_close(&db);

    /* the certifying body verifies the bundle offline, trusting a's key */
    les_db b;
    rt_open(&b, bundle);
    assert_true(b.read_only);   /* a bundle is never modified */
    assert_int_equal(les_db_trainee_add(&b, "x", NULL, &err), LES_REC_ERR_READONLY);
    rt_problems p;
    memset(&p, 0, sizeof p);
    les_db_verify_desc vd = {.trusted = &a.key, .trusted_count = 1, .regrade = true,
                             .on_problem = rt_on_problem, .ctx = &p};
    les_db_verify_summary s;
    assert_int_equal(les_db_verify(&b, &vd, &s, &err), LES_REC_OK);
    if (s.problems)
        fail_msg("%s", p.text);
    assert_int_equal(s.attempts, 3);
    les_db_close(&b);

    /* another station imports it, and re-grades to the same bytes */
    station c = make_station("station-c.db", "c.key", 1);
    rt_open_key(&db, c.db, &c.key);
    size_t imported, skipped;
    assert_int_equal(les_db_import(&db, bundle, &a.key, 1, rt_on_problem, &p, &imported, &skipped,
                                   &err), LES_REC_OK);
    assert_int_equal(imported, 3);
    assert_int_equal(skipped, 0);
    assert_int_equal(count_attempts(&db), 4);
    assert_int_equal(les_db_import(&db, bundle, &a.key, 1, NULL, NULL, &imported, &skipped, &err),
                     LES_REC_OK);
    assert_int_equal(imported, 0);
    assert_int_equal(skipped, 3);
    les_db_attempt_info there;
    assert_int_equal(les_db_get(&db, first.uid, &there, &err), LES_REC_OK);
    assert_string_equal(there.station, a.key.fingerprint);
    assert_int_equal(there.mode, LES_MODE_EXAM);
    char *scores_c = scores_of(&db, first.uid);
    assert_string_equal(scores_a, scores_c);
    les_db_verify_summary s2 = rt_verify(&db, &p);
    if (s2.problems)
        fail_msg("%s", p.text);
    assert_int_equal(s2.attempts, 4);
    assert_int_equal(s2.regraded, 4);
    les_sign_key both[2] = {a.key, c.key};
    memset(&p, 0, sizeof p);
    vd.trusted = both;
    vd.trusted_count = 2;
    assert_int_equal(les_db_verify(&db, &vd, &s, &err), LES_REC_OK);
    assert_int_equal(s.problems, 0);
    les_db_close(&db);
    sim_free(scores_a);
    sim_free(scores_c);
    les_sign_key_deinit(&a.key);
    les_sign_key_deinit(&c.key);
}

/* Exports a's attempts to a fresh bundle and returns its path. */
static const char *fresh_bundle(station *a, const char *name)
{
    const char *bundle = rt_fresh(name);
    les_db db;
    rt_open_key(&db, a->db, &a->key);
    les_db_filter f = les_db_filter_all();
    sim_error err;
    assert_int_equal(les_db_export(&db, &f, bundle, &a->key, NULL, &err), LES_REC_OK);
    les_db_close(&db);
    return bundle;
}

static void an_altered_or_untrusted_bundle_imports_nothing(void **state)
{
    (void)state;
    station a = make_station("station-a2.db", "a2.key", 2);
    station c = make_station("station-c2.db", "c2.key", 1);
    les_db db;
    rt_open_key(&db, c.db, &c.key);
    sim_error err;
    rt_problems p;

    /* a score edited on the way */
    const char *bundle = fresh_bundle(&a, "edited.stpb");
    rt_sql(bundle, "UPDATE attempts SET score = 100 WHERE id = 2");
    memset(&p, 0, sizeof p);
    assert_int_equal(les_db_import(&db, bundle, &a.key, 1, rt_on_problem, &p, NULL, NULL, &err),
                     LES_REC_ERR_SIGNATURE);
    assert_non_null(strstr(err.message, "nothing was imported"));
    assert_non_null(strstr(p.text, "#2 "));
    assert_non_null(strstr(p.text, "score: signed"));
    assert_int_equal(count_attempts(&db), 1);

    /* an attempt removed from the bundle */
    bundle = fresh_bundle(&a, "removed.stpb");
    rt_sql(bundle, "DELETE FROM attempts WHERE id = 1");
    memset(&p, 0, sizeof p);
    assert_int_equal(les_db_import(&db, bundle, &a.key, 1, rt_on_problem, &p, NULL, NULL, &err),
                     LES_REC_ERR_SIGNATURE);
    assert_non_null(strstr(p.text, "bundle: the bundle's attempts are not the ones its manifest "
                                   "lists"));
    assert_int_equal(count_attempts(&db), 1);

    /* the manifest's signature replaced */
    bundle = fresh_bundle(&a, "resigned.stpb");
    rt_sql(bundle, "UPDATE bundle SET signature = zeroblob(64)");
    memset(&p, 0, sizeof p);
    assert_int_equal(les_db_import(&db, bundle, &a.key, 1, rt_on_problem, &p, NULL, NULL, &err),
                     LES_REC_ERR_SIGNATURE);
    assert_non_null(strstr(p.text, "manifest's signature does not verify"));

    /* signed by a station the importer does not trust */
    bundle = fresh_bundle(&a, "untrusted.stpb");
    memset(&p, 0, sizeof p);
    assert_int_equal(les_db_import(&db, bundle, &c.key, 1, rt_on_problem, &p, NULL, NULL, &err),
                     LES_REC_ERR_UNTRUSTED);
    assert_non_null(strstr(p.text, "which this database does not trust"));
    assert_int_equal(count_attempts(&db), 1);

    /* a records database that is not a bundle */
    assert_int_equal(les_db_import(&db, a.db, NULL, 0, NULL, NULL, NULL, NULL, &err),
                     LES_REC_ERR_INPUT);
    assert_non_null(strstr(err.message, "not an export bundle"));

    /* the same uid already here with another record */
    assert_int_equal(les_db_import(&db, bundle, &a.key, 1, NULL, NULL, NULL, NULL, &err),
                     LES_REC_OK);
    les_db_close(&db);
    rt_sql(c.db, "UPDATE attempts SET record = record || ' ' WHERE id = 2");
    rt_open_key(&db, c.db, &c.key);
    size_t before = count_attempts(&db);
    assert_int_equal(les_db_import(&db, bundle, &a.key, 1, NULL, NULL, NULL, NULL, &err),
                     LES_REC_ERR_CONFLICT);
    assert_non_null(strstr(err.message, "different record"));
    assert_int_equal(count_attempts(&db), before);
    les_db_close(&db);
    les_sign_key_deinit(&a.key);
    les_sign_key_deinit(&c.key);
}


/* Counts rows of `table` matching `where` (SQL). */
static int count_where(les_db *db, const char *table, const char *where)
{
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s", table, where);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The manifest signs the attempts; lessons, people and stations no attempt
 * refers to are outside it (and outside verify's checks). A row slipped
 * into a bundle must not arrive with the import: a lesson stored under a
 * hash its text does not have, a station key nobody signed with. */
static void rows_no_imported_attempt_refers_to_stay_out(void **state)
{
    (void)state;
    station a = make_station("station-x.db", "x.key", 1);
    const char *bundle = fresh_bundle(&a, "x.stpb");
    rt_sql(bundle, "INSERT INTO lessons(hash, lesson_id, title, version, text, added_us) VALUES "
                   "('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'evil', "
                   "'Evil', 1, 'not this hash', 1);"
                   "INSERT INTO stations(public_key, fingerprint, name, added_us) VALUES "
                   "(zeroblob(32), 'ffffffffffffffffffffffffffffffff', 'evil', 1);"
                   "INSERT INTO instructors(code, name, added_us) VALUES ('I-evil', 'Evil', 1);"
                   "INSERT INTO trainees(code, name, registered, added_us) VALUES "
                   "('T-evil', 'Evil', 1, 1)");
    station c = make_station("station-y.db", "y.key", 0);
    les_db db;
    rt_open_key(&db, c.db, &c.key);
    rt_problems p;
    memset(&p, 0, sizeof p);
    size_t imported = 0;
    sim_error err;
    if (les_db_import(&db, bundle, &a.key, 1, rt_on_problem, &p, &imported, NULL, &err) !=
        LES_REC_OK)
        fail_msg("%s\n%s", err.message, p.text);
    assert_int_equal(imported, 1);
    assert_int_equal(count_where(&db, "lessons", "lesson_id = 'evil'"), 0);
    assert_int_equal(count_where(&db, "stations", "name = 'evil'"), 0);
    assert_int_equal(count_where(&db, "instructors", "code = 'I-evil'"), 0);
    assert_int_equal(count_where(&db, "trainees", "code = 'T-evil'"), 0);
    /* what the attempt needs did arrive */
    assert_int_equal(count_where(&db, "trainees", "code = 'T-7'"), 1);
    les_db_verify_summary s = rt_verify(&db, &p);
    if (s.problems)
        fail_msg("%s", p.text);
    les_db_close(&db);
    les_sign_key_deinit(&a.key);
    les_sign_key_deinit(&c.key);
}

/* A forger makes a key of their own, records a "passed exam" with it and
 * exports a bundle signed by it. A receiving station trusts only itself
 * and the stations it was told to trust: the import is refused, nothing
 * arrives, and the message says how a genuine station is trusted. With the
 * key given (--trust) it imports, and the station is trusted here from
 * then on; a verifier with no trust list and no key trusts nobody in a
 * bundle (it carries no trust of its own). */
static void a_bundle_from_an_untrusted_station_is_refused(void **state)
{
    (void)state;
    station f = make_station("forger.db", "forger.key", 1);
    const char *bundle = fresh_bundle(&f, "forged.stpb");
    station c = make_station("station-c3.db", "c3.key", 1);
    les_db db;
    sim_error err;
    /* importing is sealed by the receiving station: it needs its key */
    rt_open(&db, c.db);
    assert_int_equal(les_db_import(&db, bundle, &f.key, 1, NULL, NULL, NULL, NULL, &err),
                     LES_REC_ERR_KEY);
    assert_non_null(strstr(err.message, "secret key is needed"));
    les_db_close(&db);
    rt_open_key(&db, c.db, &c.key);
    rt_problems p;
    memset(&p, 0, sizeof p);
    size_t imported = 99;
    les_rec_result r = les_db_import(&db, bundle, NULL, 0, rt_on_problem, &p, &imported, NULL, &err);
    assert_int_not_equal(r, LES_REC_OK);
    assert_int_equal(imported, 0);
    assert_non_null(strstr(err.message, "does not trust"));
    assert_non_null(strstr(err.message, f.key.fingerprint));
    assert_non_null(strstr(err.message, "--trust PUB"));
    assert_non_null(strstr(err.message, "nothing was imported"));
    assert_int_equal(count_attempts(&db), 1);
    /* given its key, it imports and verifies here afterwards */
    memset(&p, 0, sizeof p);
    if (les_db_import(&db, bundle, &f.key, 1, rt_on_problem, &p, &imported, NULL, &err) !=
        LES_REC_OK)
        fail_msg("%s\n%s", err.message, p.text);
    assert_int_equal(imported, 1);
    les_db_verify_summary s = rt_verify(&db, &p);
    if (s.problems)
        fail_msg("%s", p.text);
    /* no longer trusted: verify names its attempt as signed by a station
     * this database does not trust */
    les_db_close(&db);
    rt_sql(c.db, "UPDATE stations SET trusted = 0 WHERE name = 'test station' AND id = "
                 "(SELECT station_id FROM attempts ORDER BY id DESC LIMIT 1)");
    rt_open_key(&db, c.db, &c.key);
    s = rt_verify(&db, &p);
    assert_int_equal(s.failed, 1);
    assert_non_null(strstr(p.text, "which this database does not trust"));
    les_db_close(&db);
    /* the bundle, verified with no trust list and no key: nobody vouches */
    rt_open(&db, bundle);
    s = rt_verify(&db, &p);
    assert_int_equal(s.failed, 1);
    assert_non_null(strstr(p.text, "signature: signed by station"));
    assert_non_null(strstr(p.text, "bundle: the bundle was signed by station"));
    les_db_close(&db);
    les_sign_key_deinit(&f.key);
    les_sign_key_deinit(&c.key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(export_verify_import_regrade),
        cmocka_unit_test(an_altered_or_untrusted_bundle_imports_nothing),
        cmocka_unit_test(rows_no_imported_attempt_refers_to_stay_out),
        cmocka_unit_test(a_bundle_from_an_untrusted_station_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
