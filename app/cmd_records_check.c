/* cmd_records_check.c: `stipple records verify | export | import | report`:
 * checking records (with a progress bar on long runs), moving them between
 * stations as signed bundles, and per-attempt reports.
 *
 * Threads: main thread only.
 */
#include "cmd_records.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "les_db_verify.h"

int records_load_trust(const records_opts *o, les_sign_key *keys, size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < o->trust_count; i++) {
        sim_error err;
        if (les_sign_read_public(&keys[i], o->trust[i], &err) != LES_REC_OK) {
            app_print_error(&err);
            return APP_EXIT_USAGE;
        }
        (*n)++;
    }
    return APP_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* verify                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct verify_ctx {
    bool bar;                    /* draw the progress bar */
    bool drawn;                  /* a bar is on the line: end it before printing */
    struct timespec last;
    int64_t last_failed;         /* attempt id of the last problem printed */
} verify_ctx;

static void end_bar(verify_ctx *v)
{
    if (v->drawn) {
        fputc('\n', stderr);
        v->drawn = false;
    }
}

static void on_progress(void *ctx, size_t done, size_t total)
{
    verify_ctx *v = ctx;
    if (!v->bar || total == 0)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double since = (double)(now.tv_sec - v->last.tv_sec) + (now.tv_nsec - v->last.tv_nsec) / 1e9;
    if (done != total && done != 0 && since < 0.1)
        return;   /* at most ten redraws a second */
    v->last = now;
    int width = 30, filled = (int)(width * done / total);
    fprintf(stderr, "\rverifying [%.*s%.*s] %zu/%zu", filled,
            "##############################", width - filled,
            "..............................", done, total);
    v->drawn = true;
    if (done == total)
        end_bar(v);
    fflush(stderr);
}

static void on_problem(void *ctx, const les_db_problem *p)
{
    verify_ctx *v = ctx;
    end_bar(v);
    if (p->attempt_id)
        printf("FAIL attempt #%lld (%.8s) %s: %s\n", (long long)p->attempt_id, p->uid, p->check,
               p->message);
    else if (p->uid[0])
        printf("FAIL attempt %s %s: %s\n", p->uid, p->check, p->message);
    else
        printf("FAIL database %s: %s\n", p->check, p->message);
    fflush(stdout);
}

int records_verify(const records_opts *o)
{
    les_sign_key trust[RECORDS_MAX_TRUST];
    size_t trust_count;
    int rc = records_load_trust(o, trust, &trust_count);
    if (rc != APP_EXIT_OK)
        return rc;
    app_records r;
    rc = app_records_open(&r, o->db, o->key, APP_RECORDS_READ);
    if (rc != APP_EXIT_OK)
        return rc;
    int64_t *ids = NULL;
    if (o->nargs > 0) {
        ids = sim_calloc((size_t)o->nargs, sizeof *ids);
        for (int i = 0; ids && i < o->nargs && rc == APP_EXIT_OK; i++) {
            les_db_attempt_info info;
            sim_error err;
            if (les_db_get(&r.db, o->args[i], &info, &err) != LES_REC_OK) {
                app_print_error(&err);
                rc = APP_EXIT_USAGE;
            }
            ids[i] = info.id;
        }
    }
    verify_ctx v = {.bar = o->progress || isatty(STDERR_FILENO)};
    clock_gettime(CLOCK_MONOTONIC, &v.last);
    les_db_verify_desc d = {
        .ids = ids,
        .id_count = ids ? (size_t)o->nargs : 0,
        .trusted = trust_count ? trust : NULL,
        .trusted_count = trust_count,
        .regrade = !o->no_regrade,
        .on_problem = on_problem,
        .on_progress = on_progress,
        .ctx = &v,
    };
    les_db_verify_summary s;
    sim_error err;
    if (rc == APP_EXIT_OK && les_db_verify(&r.db, &d, &s, &err) != LES_REC_OK) {
        end_bar(&v);
        app_print_error(&err);
        rc = APP_EXIT_FAIL;
    }
    if (rc == APP_EXIT_OK) {
        printf("%s: %zu attempt%s checked, %zu re-graded, %zu unsigned, %zu failed, %zu "
               "problem%s\n",
               s.problems ? "FAILED" : "verified", s.attempts, s.attempts == 1 ? "" : "s",
               s.regraded, s.unsigned_count, s.failed, s.problems, s.problems == 1 ? "" : "s");
        if (!trust_count && s.attempts && s.unanchored)
            printf("note: no --trust and no station key here: the stations trusted are those "
                   "this database vouches for itself; give --trust PUB to check against keys "
                   "you hold\n");
        else if (!trust_count && s.attempts)
            printf("note: trusted: this station and the stations it trusts ('stipple records "
                   "trust list'); give --trust PUB to check against keys you hold\n");
        if (s.problems)
            rc = APP_EXIT_FAIL;
    }
    sim_free(ids);
    app_records_close(&r);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* export, import                                                           */
/* ------------------------------------------------------------------------ */

int records_export(const records_opts *o)
{
    if (!o->out || o->nargs)
        return app_usage_error("records export: give --out BUNDLE (and filters), nothing else");
    app_records r;
    int rc = app_records_open(&r, o->db, o->key, APP_RECORDS_READ);
    if (rc != APP_EXIT_OK)
        return rc;
    sim_error err;
    if (!r.have_key) {   /* the bundle is signed: the key is made on first use */
        if (les_sign_key_load(&r.key, r.key_path, true, NULL, NULL, &err) != LES_REC_OK) {
            app_print_error(&err);
            app_records_close(&r);
            return APP_EXIT_FAIL;
        }
        r.have_key = true;
        r.db.key = &r.key;
    }
    size_t count = 0;
    les_rec_result lr = les_db_export(&r.db, &o->filter, o->out, &r.key, &count, &err);
    if (lr != LES_REC_OK) {
        app_print_error(&err);
        rc = lr == LES_REC_ERR_CONFLICT || lr == LES_REC_ERR_NOTFOUND ? APP_EXIT_USAGE
                                                                      : APP_EXIT_FAIL;
    } else {
        printf("exported %zu attempt%s to %s, signed by station %s (%s)\n", count,
               count == 1 ? "" : "s", o->out, r.key.name, r.key.fingerprint);
    }
    app_records_close(&r);
    return rc;
}

int records_import(const records_opts *o)
{
    if (o->nargs != 1)
        return app_usage_error("records import: give one bundle");
    les_sign_key trust[RECORDS_MAX_TRUST];
    size_t trust_count;
    int rc = records_load_trust(o, trust, &trust_count);
    if (rc != APP_EXIT_OK)
        return rc;
    app_records r;
    rc = app_records_open(&r, o->db, o->key, APP_RECORDS_WRITE);
    if (rc != APP_EXIT_OK)
        return rc;
    verify_ctx v = {0};
    size_t imported = 0, skipped = 0;
    sim_error err;
    les_rec_result lr = les_db_import(&r.db, o->args[0], trust_count ? trust : NULL, trust_count,
                                      on_problem, &v, &imported, &skipped, &err);
    if (lr != LES_REC_OK) {
        app_print_error(&err);
        rc = lr == LES_REC_ERR_SIGNATURE || lr == LES_REC_ERR_UNTRUSTED ||
                     lr == LES_REC_ERR_CONFLICT || lr == LES_REC_ERR_INPUT ||
                     lr == LES_REC_ERR_NOTFOUND || lr == LES_REC_ERR_CORRUPT
                 ? APP_EXIT_USAGE
                 : APP_EXIT_FAIL;
    } else {
        printf("imported %zu attempt%s from %s (%zu already here)\n", imported,
               imported == 1 ? "" : "s", o->args[0], skipped);
    }
    app_records_close(&r);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* report                                                                   */
/* ------------------------------------------------------------------------ */

int records_report(const records_opts *o)
{
    if (o->nargs != 1)
        return app_usage_error("records report: give one attempt (its number or uid)");
    app_records r;
    int rc = app_records_open(&r, o->db, o->key, APP_RECORDS_READ);
    if (rc != APP_EXIT_OK)
        return rc;
    les_db_attempt_info info;
    sim_error err;
    if (les_db_get(&r.db, o->args[0], &info, &err) != LES_REC_OK) {
        app_print_error(&err);
        rc = APP_EXIT_USAGE;
    } else {
        printf("attempt ");
        app_records_print_attempt(stdout, &info);
        rc = app_records_report(&r, &info, o->out ? o->out : ".", o->picture_w, o->picture_h);
    }
    app_records_close(&r);
    return rc;
}
