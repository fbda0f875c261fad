/* records_helpers.h: helpers shared by the tests/records_*_test.c files: a
 * small pad lesson, synthetic traces, a grader hook built from the same
 * pieces the application's pipeline uses, and a scratch database with a
 * station key. Tests only. */
#ifndef RECORDS_HELPERS_H
#define RECORDS_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "les_db.h"
#include "les_db_record.h"
#include "les_db_verify.h"
#include "les_grade.h"
#include "les_json.h"
#include "les_lesson.h"
#include "les_sign.h"
#include "sim_heal.h"
#include "sim_impression.h"
#include "sim_surface.h"
#include "sim_trace.h"
#include "test_util.h"

#define RT_LESSON                                                  \
    "stipple_lesson: 1\n"                                          \
    "id: rec-pad\n"                                                \
    "title: Records pad\n"                                         \
    "version: 1\n"                                                 \
    "surface: {type: pad, width_mm: 100, height_mm: 100}\n"        \
    "zones:\n"                                                     \
    "  - name: a\n"                                                \
    "    polygon_mm: [[10, 10], [40, 10], [40, 40], [10, 40]]\n"   \
    "    density_per_cm2: 2\n"                                     \
    "    depth_band_mm: [0.5, 1.2]\n"                              \
    "rubric: {pass_mark: 50}\n"

/* The lesson's canonical hash (parsed once). */
static inline const char *rt_lesson_hash(void)
{
    static char hex[65];
    if (!hex[0]) {
        les_lesson l;
        les_diags d;
        les_diags_init(&d, "rt.yaml");
        assert_int_equal(les_lesson_parse(&l, RT_LESSON, strlen(RT_LESSON), &d), LES_OK);
        memcpy(hex, l.hash_hex, 65);
        les_lesson_deinit(&l);
        les_diags_deinit(&d);
    }
    return hex;
}

/* Sample i of a synthetic attempt at 1 kHz: one impression every 10
 * samples on a grid in the zone, 0.8 mm deep (every 7th 2 mm: too deep). */
static inline sim_sample rt_sample(uint64_t i)
{
    sim_sample s;
    memset(&s, 0, sizeof s);
    uint64_t k = i / 10, phase = i % 10;
    s.t_us = (int64_t)i * 1000;
    s.tip_mm[0] = (float)(12 + (k % 27));
    s.tip_mm[1] = (float)(12 + (k / 27) % 27);
    double depth = (k % 7 == 6) ? 2.0 : 0.8;
    bool in = phase >= 3 && phase <= 5;
    s.tip_mm[2] = in ? (float)-depth : 1.0f;
    s.axis[2] = 1.0f;
    s.force_n = in ? 0.6f : 0.0f;
    s.buttons = SIM_BUTTON_MACHINE;
    return s;
}

static inline sim_trace_header rt_header(void)
{
    sim_trace_header h;
    memset(&h, 0, sizeof h);
    h.sample_rate_hz = 1000;
    h.seed = 7;
    snprintf(h.device, sizeof h.device, "test");
    return h;
}

/* The grader hook: lesson text -> surface -> trace -> impressions -> grade
 * JSON, as app_session.c does. */
static inline int rt_grade(void *ctx, const char *text, size_t len, const uint8_t *trace,
                           size_t size, les_db_grade *out, sim_error *err)
{
    (void)ctx;
    les_lesson lesson;
    les_diags d;
    les_diags_init(&d, "stored");
    if (les_lesson_parse(&lesson, text, len, &d) != LES_OK) {
        les_diags_deinit(&d);
        return sim_error_set(err, 1, "stored", 0, 0, "the lesson does not parse");
    }
    les_diags_deinit(&d);
    sim_surface surface;
    bool have_surface = sim_surface_init(&surface, &lesson.surface, err) == SIM_OK;
    int rc = have_surface ? 0 : 1;
    sim_trace t;
    sim_trace_init(&t);
    sim_impression_list imps;
    sim_impression_list_init(&imps);
    if (rc == 0 && sim_trace_parse(&t, trace, size, "trace", err) != SIM_OK)
        rc = 2;
    if (rc == 0 && sim_impressions_from_trace(&surface, &t, NULL, &imps) != SIM_OK)
        rc = 3;
    les_grade g;
    if (rc == 0 && les_grade_run(&lesson, &surface, imps.items, imps.count, &g, err) != LES_OK)
        rc = 4;
    if (rc == 0) {
        les_json j;
        les_json_init(&j, NULL, 0);
        les_grade_to_json(&j, &g, &lesson);
        size_t n;
        const char *s = les_json_buffer(&j, &n);
        out->json = les_json_finish(&j) == LES_OK ? sim_malloc(n + 1) : NULL;
        if (out->json)
            memcpy(out->json, s, n + 1);
        else
            rc = sim_error_set(err, 5, "grade", 0, 0, "out of memory");
        out->score = g.score;
        out->passed = g.passed;
        les_json_deinit(&j);
        les_grade_deinit(&g);
    }
    sim_impression_list_deinit(&imps);
    sim_trace_deinit(&t);
    if (have_surface)
        sim_surface_deinit(&surface);
    les_lesson_deinit(&lesson);
    return rc;
}

/* A fresh scratch path (removes what a previous run left). */
static inline const char *rt_fresh(const char *name)
{
    static char buf[4][1024];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, 1024, "%s", tu_tmp(name));
    char cmd[2200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'.traces '%s'-wal '%s'-shm '%s'-journal", p, p, p, p, p);
    if (system(cmd) != 0)
        fail_msg("cannot clean %s", p);
    return p;
}

static inline void rt_open(les_db *db, const char *path)
{
    sim_error err;
    les_db_desc d = {.path = path, .grader = {rt_grade, NULL}, .app_version = "test"};
    les_rec_result r = les_db_open(db, &d, &err);
    if (r != LES_REC_OK)
        fail_msg("open %s: %s", path, err.message);
}

/* Opens as the station holding `key` (its trusted anchor; it seals the
 * audit events it writes). */
static inline void rt_open_key(les_db *db, const char *path, const les_sign_key *key)
{
    sim_error err;
    les_db_desc d = {.path = path, .grader = {rt_grade, NULL}, .app_version = "test", .key = key};
    les_rec_result r = les_db_open(db, &d, &err);
    if (r != LES_REC_OK)
        fail_msg("open %s: %s", path, err.message);
}

static inline void rt_key(les_sign_key *key, const char *name)
{
    sim_error err;
    if (les_sign_key_load(key, tu_tmp(name), true, "test station", NULL, &err) != LES_REC_OK)
        fail_msg("key: %s", err.message);
}

static inline les_db_attempt_desc rt_desc(const char *trainee, les_mode mode)
{
    les_db_attempt_desc d;
    memset(&d, 0, sizeof d);
    d.trainee = trainee;
    d.mode = mode;
    d.lesson_hash = rt_lesson_hash();
    d.lesson_id = "rec-pad";
    d.lesson_title = "Records pad";
    d.lesson_version = 1;
    d.lesson_text = RT_LESSON;
    d.lesson_len = strlen(RT_LESSON);
    d.header = rt_header();
    return d;
}

/* Records a whole attempt of n samples; returns its id. */
static inline int64_t rt_record(les_db *db, const les_sign_key *key, const char *trainee,
                                les_mode mode, uint64_t n)
{
    les_db_attempt_desc d = rt_desc(trainee, mode);
    les_db_recording rec;
    sim_error err;
    if (les_db_attempt_begin(db, &d, key, &rec, &err) != LES_REC_OK)
        fail_msg("begin: %s", err.message);
    for (uint64_t i = 0; i < n; i++) {
        sim_sample s = rt_sample(i);
        if (les_db_attempt_append(&rec, &s, &err) != LES_REC_OK)
            fail_msg("append: %s", err.message);
    }
    les_db_attempt_info info;
    if (les_db_attempt_end(&rec, LES_OUTCOME_FINISHED, &info, &err) != LES_REC_OK)
        fail_msg("end: %s", err.message);
    return info.id;
}

/* Runs SQL on the database file directly (the tamperer's view). */
static inline void rt_sql(const char *path, const char *sql)
{
    sqlite3 *s;
    assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(s, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("sql '%s': %s", sql, msg);
    sqlite3_close(s);
}

/* Collects verify problems as "check: message" lines. */
typedef struct rt_problems {
    char text[16384];
    size_t count;
} rt_problems;

static inline void rt_on_problem(void *ctx, const les_db_problem *p)
{
    rt_problems *r = ctx;
    size_t used = strlen(r->text);
    snprintf(r->text + used, sizeof r->text - used, "#%lld %s %s: %s\n", (long long)p->attempt_id,
             p->uid, p->check, p->message);
    r->count++;
}

static inline les_db_verify_summary rt_verify(les_db *db, rt_problems *p)
{
    memset(p, 0, sizeof *p);
    les_db_verify_desc d = {.regrade = true, .on_problem = rt_on_problem, .ctx = p};
    les_db_verify_summary s;
    sim_error err;
    if (les_db_verify(db, &d, &s, &err) != LES_REC_OK)
        fail_msg("verify: %s", err.message);
    return s;
}

#endif
