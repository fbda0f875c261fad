/* les_db_verify.c: `stipple records verify`: every attempt's signature,
 * signed fields, trace, scores and lesson, a re-grade with the current
 * grader, the audit chain, and (in a bundle) the signed manifest. See
 * les_db_verify.h for the list of checks.
 *
 * Threads: as les_db.h.
 */
#include "les_db_verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "les_db_internal.h"
#include "les_lesson.h"

typedef struct lesson_check {
    char hash[65];
    char problem[400];           /* "" when the text still hashes to `hash` */
} lesson_check;

typedef struct verifier {
    les_db *db;
    const les_db_verify_desc *desc;
    les_db_verify_summary *sum;
    lesson_check *lessons;       /* checked lessons, so each is parsed once */
    size_t lesson_count, lesson_cap;
    size_t attempt_problems;     /* problems of the attempt being checked */
    les__trust trust;            /* the stations trusted (les__db_trust) */
} verifier;

static void problem(verifier *v, const les_db_attempt_info *info, const char *check,
                    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void problem(verifier *v, const les_db_attempt_info *info, const char *check,
                    const char *fmt, ...)
{
    les_db_problem p;
    memset(&p, 0, sizeof p);
    p.attempt_id = info ? info->id : 0;
    snprintf(p.uid, sizeof p.uid, "%s", info ? info->uid : "");
    p.check = check;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p.message, sizeof p.message, fmt, ap);
    va_end(ap);
    v->sum->problems++;
    v->attempt_problems++;
    if (v->desc->on_problem)
        v->desc->on_problem(v->desc->ctx, &p);
}

/* Database-wide problems found by the audit and bundle checks. */
static void db_problem(void *ctx, const char *uid, const char *message, const char *check)
{
    verifier *v = ctx;
    les_db_attempt_info info;
    memset(&info, 0, sizeof info);
    snprintf(info.uid, sizeof info.uid, "%s", uid ? uid : "");
    problem(v, uid && *uid ? &info : NULL, check, "%s", message);
}

static void audit_problem(void *ctx, const char *uid, const char *message)
{
    db_problem(ctx, uid, message, "audit");
}

static void bundle_problem(void *ctx, const char *uid, const char *message)
{
    db_problem(ctx, uid, message, "bundle");
}

static bool trusted(const verifier *v, const uint8_t pk[32])
{
    return les__trust_has(&v->trust, pk);
}

/* "" when lesson text still hashes to `hash`, else why not (cached). */
static const char *check_lesson(verifier *v, const char *hash, const char *text, size_t len)
{
    for (size_t i = 0; i < v->lesson_count; i++)
        if (strcmp(v->lessons[i].hash, hash) == 0)
            return v->lessons[i].problem;
    void *items = v->lessons;
    if (sim_array_grow(&items, &v->lesson_cap, v->lesson_count, sizeof *v->lessons, 8) != SIM_OK)
        return "out of memory checking the lesson";
    v->lessons = items;
    lesson_check *c = &v->lessons[v->lesson_count++];
    snprintf(c->hash, sizeof c->hash, "%s", hash);
    c->problem[0] = 0;
    les_lesson lesson;
    les_diags diags;
    les_diags_init(&diags, "stored lesson");
    les_result r = les_lesson_parse(&lesson, text ? text : "", text ? len : 0, &diags);
    if (r != LES_OK) {
        snprintf(c->problem, sizeof c->problem,
                 "the stored text of lesson %.12s... no longer parses (%s%s%s): it was edited",
                 hash, les_result_message(r), diags.count ? ": " : "",
                 diags.count ? diags.items[0].message : "");
    } else {
        if (strcmp(lesson.hash_hex, hash) != 0)
            snprintf(c->problem, sizeof c->problem,
                     "the stored text of lesson %.12s... now hashes to %.12s...: the lesson was "
                     "edited",
                     hash, lesson.hash_hex);
        les_lesson_deinit(&lesson);
    }
    les_diags_deinit(&diags);
    return c->problem;
}

/* The "score": value at the top of a grade JSON, for messages. */
static void score_of(const char *json, char *out, size_t size)
{
    const char *p = json ? strstr(json, "\"score\":") : NULL;
    size_t n = 0;
    if (p)
        for (p += 8; p[n] && p[n] != ',' && p[n] != '}' && n < 20; n++)
            ;
    snprintf(out, size, "%.*s", p ? (int)n : 1, p ? p : "?");
}

static void check_regrade(verifier *v, const les_db_attempt_info *info,
                          const les_db_attempt_data *d)
{
    les_db_grade g;
    memset(&g, 0, sizeof g);
    sim_error e;
    sim_error_clear(&e);
    v->sum->regraded++;
    if (v->db->grader.grade(v->db->grader.ctx, d->lesson_text, d->lesson_len, d->trace,
                            d->trace_size, &g, &e) != 0) {
        problem(v, info, "regrade", "the trace cannot be re-graded: %s", e.message);
    } else if (!d->scores_json) {
        char now[32];
        score_of(g.json, now, sizeof now);
        problem(v, info, "regrade", "no stored scores, but re-grading gives score %s", now);
    } else if (strcmp(g.json, d->scores_json) != 0) {
        char now[32], stored[32], note[160] = "";
        score_of(g.json, now, sizeof now);
        score_of(d->scores_json, stored, sizeof stored);
        if (info->sim_version != SIM_VERSION)
            snprintf(note, sizeof note, " (graded by sim version %d, this is %d: the grader "
                     "changed)", info->sim_version, SIM_VERSION);
        problem(v, info, "regrade",
                "re-grading the trace gives score %s where the stored scores say %s; the stored "
                "scores JSON differs%s",
                now, stored, note);
    } else if (!info->graded || g.passed != info->passed ||
               !(g.score - info->score < 0.005 && info->score - g.score < 0.005)) {
        problem(v, info, "regrade",
                "re-grading the trace gives score %.2f (%s) where the stored score is %.2f (%s)",
                g.score, g.passed ? "passed" : "not passed", info->score,
                info->passed ? "passed" : "not passed");
    }
    sim_free(g.json);
}

static void check_signed(verifier *v, const les_db_attempt_info *info,
                         const les_db_attempt_data *d)
{
    bool sig_ok = les_sign_check(d->station_key, d->record, strlen(d->record), d->signature);
    if (!sig_ok)
        problem(v, info, "signature",
                "the signature does not verify under station %s's key: the signed record or the "
                "signature was altered",
                info->station[0] ? info->station : "(unknown)");
    else if (!trusted(v, d->station_key) && v->trust.from_list)
        problem(v, info, "signature",
                "signed by station %s (%s), which is not one of the trusted keys", info->station,
                info->station_name);
    else if (!trusted(v, d->station_key))
        problem(v, info, "signature",
                "signed by station %s (%s), which this database does not trust: if that station "
                "is genuine, trust its public key with 'stipple records trust add PUB'",
                info->station, info->station_name);
    char *now = NULL;
    sim_error e;
    if (les__db_record_text(v->db, info->id, &now, &e) != LES_REC_OK) {
        problem(v, info, "record", "cannot rebuild the record: %s", e.message);
        return;
    }
    if (strcmp(now, d->record) != 0) {
        char diff[600];
        les__record_diff(d->record, now, diff, sizeof diff);
        if (strstr(diff, "scores_sha256:"))
            problem(v, info, "scores", "the stored scores are not the ones signed: %s", diff);
        else
            problem(v, info, "record", "the stored fields no longer match the signed record: %s",
                    diff);
    }
    sim_free(now);
    char signed_sha[65] = "";
    const char *p = strstr(d->record, "\"trace_sha256\":\"");
    if (p)
        snprintf(signed_sha, sizeof signed_sha, "%.64s", p + 16);
    if (d->trace) {
        char sha[65];
        les_sha256_hex(d->trace, d->trace_size, sha);
        if (strcmp(sha, signed_sha) != 0)
            problem(v, info, "trace",
                    "the trace's bytes changed: they hash to %.16s..., the signed record says "
                    "%.16s...",
                    sha, signed_sha);
    } else if (les__is_hex(signed_sha, 64, 64)) {
        /* the source of truth is gone: nothing can be re-graded */
        problem(v, info, "trace",
                "the signed trace is missing: the signed record says its bytes hash to "
                "%.16s..., and none are stored",
                signed_sha);
    }
}

/* les_db_get joins an attempt with its lesson and trainee: a row it cannot
 * find may still be in the attempts table with one of those deleted. */
static les_rec_result check_orphan_row(verifier *v, int64_t id, sim_error *err)
{
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(v->db, "SELECT uid FROM attempts WHERE id = ?", &st, err,
                                       "cannot read the attempt");
    if (r != LES_REC_OK)
        return r;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        les_db_attempt_info info;
        memset(&info, 0, sizeof info);
        info.id = id;
        les__db_text(st, 0, info.uid, sizeof info.uid);
        v->sum->attempts++;
        v->attempt_problems = 0;
        problem(v, &info, "record",
                "its lesson or trainee row is missing (deleted from the database): the attempt "
                "cannot be read or checked");
        v->sum->failed++;
    } else if (rc != SQLITE_DONE) {
        r = les__db_fail(v->db, rc, err, "cannot read the attempt");
    }
    sqlite3_finalize(st);
    return r;
}

static les_rec_result check_attempt(verifier *v, int64_t id, sim_error *err)
{
    char ref[32];
    snprintf(ref, sizeof ref, "%lld", (long long)id);
    les_db_attempt_info info;
    les_rec_result r = les_db_get(v->db, ref, &info, err);
    if (r == LES_REC_ERR_NOTFOUND)
        return check_orphan_row(v, id, err);
    if (r != LES_REC_OK)
        return r;
    v->sum->attempts++;
    v->attempt_problems = 0;
    if (info.outcome == LES_OUTCOME_RECORDING) {
        /* in progress: nothing to check yet, unless it holds what only an
         * ended attempt has (les_db_recover leaves such rows alone) */
        if (info.is_signed || info.graded || info.trace_bytes > 0) {
            problem(v, &info, "record",
                    "the attempt is marked recording but holds a stored %s: it ended and its "
                    "outcome was edited back",
                    info.is_signed ? "signature" : info.graded ? "score" : "trace");
            v->sum->failed++;
        } else {
            v->sum->unsigned_count++;
        }
        return LES_REC_OK;
    }
    les_db_attempt_data d;
    r = les_db_attempt_load(v->db, id, &d, err);
    if (r != LES_REC_OK)
        return r;
    if (!d.record || !info.is_signed) {
        v->sum->unsigned_count++;
        if (info.mode == LES_MODE_EXAM)
            problem(v, &info, "signature", "the exam is not signed");
    } else {
        check_signed(v, &info, &d);
    }
    const char *lesson = check_lesson(v, info.lesson_hash, d.lesson_text, d.lesson_len);
    if (lesson[0])
        problem(v, &info, "lesson", "%s", lesson);
    if (v->desc->regrade && v->db->grader.grade && d.trace && !lesson[0])
        check_regrade(v, &info, &d);
    if (v->attempt_problems)
        v->sum->failed++;
    les_db_attempt_data_free(&d);
    return LES_REC_OK;
}

/* Every attempt id, oldest first (sim_malloc'd). */
static les_rec_result all_ids(les_db *db, int64_t **ids, size_t *count, sim_error *err)
{
    *ids = NULL;
    *count = 0;
    sqlite3_stmt *st;
    les_rec_result r = les__db_prepare(db, "SELECT id FROM attempts ORDER BY id", &st, err,
                                       "cannot list attempts");
    size_t cap = 0;
    int rc = SQLITE_DONE;
    while (r == LES_REC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        void *items = *ids;
        if (sim_array_grow(&items, &cap, *count, sizeof **ids, 64) != SIM_OK) {
            r = les__db_error(db, LES_REC_ERR_NOMEM, err, "out of memory listing attempts");
            break;
        }
        *ids = items;
        (*ids)[(*count)++] = sqlite3_column_int64(st, 0);
    }
    if (r == LES_REC_OK && rc != SQLITE_DONE)
        r = les__db_fail(db, rc, err, "cannot list attempts");
    sqlite3_finalize(st);
    return r;
}

les_rec_result les_db_verify(les_db *db, const les_db_verify_desc *desc,
                             les_db_verify_summary *summary, sim_error *err)
{
    les_db_verify_summary local;
    sim_error local_err;
    if (!err)
        err = &local_err;
    if (!summary)
        summary = &local;
    memset(summary, 0, sizeof *summary);
    les_db_verify_desc none;
    memset(&none, 0, sizeof none);
    verifier v = {.db = db, .desc = desc ? desc : &none, .sum = summary};
    int64_t *owned = NULL;
    const int64_t *ids = v.desc->ids;
    size_t count = v.desc->id_count;
    les_rec_result r = les__db_trust(db, v.desc->trusted, v.desc->trusted ? v.desc->trusted_count : 0,
                                     &v.trust, err);
    summary->unanchored = !v.trust.from_list && !v.trust.anchored;
    if (r == LES_REC_OK && !ids) {
        r = all_ids(db, &owned, &count, err);
        ids = owned;
    }
    for (size_t i = 0; r == LES_REC_OK && i < count; i++) {
        if (v.desc->on_progress)
            v.desc->on_progress(v.desc->ctx, i, count);
        r = check_attempt(&v, ids[i], err);
    }
    if (r == LES_REC_OK && v.desc->on_progress)
        v.desc->on_progress(v.desc->ctx, count, count);
    if (r == LES_REC_OK && !v.desc->ids) {
        /* database-wide checks only when verifying everything */
        if (les__db_audit_check(db, &v.trust, audit_problem, &v, err) < 0)
            r = (les_rec_result)err->code;
        bool is_bundle;
        if (r == LES_REC_OK &&
            les__db_bundle_check(db, &v.trust, bundle_problem, &v, &is_bundle, err) < 0)
            r = (les_rec_result)err->code;
    }
    sim_free(owned);
    sim_free(v.lessons);
    les__trust_deinit(&v.trust);
    return r;
}
