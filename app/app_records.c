/* app_records.c: opening the records database with the station key and
 * the grader, start-up recovery, and per-attempt reports with a heatmap
 * (see app_records.h).
 *
 * Threads: main thread only.
 */
#include "app_records.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "app_session.h"
#include "app_version.h"
#include "les_db_verify.h"
#include "les_json.h"
#include "les_report.h"
#include "rnd.h"

/* ------------------------------------------------------------------------ */
/* Opening                                                                  */
/* ------------------------------------------------------------------------ */

static int default_path(char *buf, size_t size, const char *sub, const char *file)
{
    char dir[900];
    if (app_data_subdir(dir, sizeof dir, sub) != 0) {
        fprintf(stderr, "stipple: %s: cannot create the folder: %s\n", dir, strerror(errno));
        return -1;
    }
    snprintf(buf, size, "%.900s/%s", dir, file);
    return 0;
}

static int on_recovered(void *ctx, const les_db_recovered *rec)
{
    (void)ctx;
    fprintf(stderr,
            "stipple: recovered attempt #%lld (%.8s) of trainee %s as interrupted: %s\n",
            (long long)rec->info.id, rec->info.uid, rec->info.trainee, rec->note);
    return 0;
}

int app_records_open(app_records *r, const char *db_path, const char *key_path,
                     app_records_mode mode)
{
    memset(r, 0, sizeof *r);
    if (db_path)
        snprintf(r->db_path, sizeof r->db_path, "%s", db_path);
    else if (default_path(r->db_path, sizeof r->db_path, "records", "records.db") != 0)
        return APP_EXIT_FAIL;
    if (key_path)
        snprintf(r->key_path, sizeof r->key_path, "%s", key_path);
    else if (default_path(r->key_path, sizeof r->key_path, "keys", "station.key") != 0)
        return APP_EXIT_FAIL;
    if (mode == APP_RECORDS_READ && access(r->db_path, F_OK) != 0) {
        fprintf(stderr,
                "stipple: no records database at %s: record an attempt first ('stipple record') "
                "or give --db\n",
                r->db_path);
        return APP_EXIT_USAGE;
    }
    sim_error err;
    bool created = false;
    les_rec_result kr = les_sign_key_load(&r->key, r->key_path, mode == APP_RECORDS_WRITE, NULL,
                                          &created, &err);
    if (kr == LES_REC_OK) {
        r->have_key = true;
        if (created)
            fprintf(stderr, "stipple: created the station key %s (fingerprint %s)\n", r->key_path,
                    r->key.fingerprint);
    } else if (kr != LES_REC_ERR_NOTFOUND) {
        app_print_error(&err);
        return APP_EXIT_FAIL;
    }
    les_db_desc d = {
        .path = r->db_path,
        .grader = {app_records_grade, NULL},
        .app_version = STIPPLE_VERSION,
        .key = r->have_key ? &r->key : NULL,
    };
    if (les_db_open(&r->db, &d, &err) != LES_REC_OK) {
        app_print_error(&err);
        les_sign_key_deinit(&r->key);
        return APP_EXIT_FAIL;
    }
    r->open = true;
    if (les_db_recover(&r->db, r->have_key ? &r->key : NULL, on_recovered, NULL, NULL, &err) !=
        LES_REC_OK) {
        /* not fatal: the attempts stay recording and the next start retries */
        fprintf(stderr, "stipple: warning: cannot recover interrupted attempts now: %s\n",
                err.message);
    }
    return APP_EXIT_OK;
}

void app_records_close(app_records *r)
{
    if (r->open)
        les_db_close(&r->db);
    les_sign_key_deinit(&r->key);
    memset(r, 0, sizeof *r);
}

/* ------------------------------------------------------------------------ */
/* The grader hook                                                          */
/* ------------------------------------------------------------------------ */

int app_records_grade(void *ctx, const char *lesson_text, size_t lesson_len,
                      const uint8_t *trace, size_t trace_size, les_db_grade *out,
                      sim_error *err)
{
    (void)ctx;
    memset(out, 0, sizeof *out);
    sim_error captured;
    sim_error_clear(&captured);
    app_attempt a;
    app_attempt_init(&a);
    a.capture = &captured;
    int rc = app_attempt_load_lesson_text(&a, lesson_text, lesson_len, "the stored lesson");
    if (rc == APP_EXIT_OK)
        rc = app_attempt_load_trace_data(&a, trace, trace_size, "the stored trace");
    if (rc == APP_EXIT_OK)
        rc = app_attempt_grade(&a);
    if (rc == APP_EXIT_OK) {
        les_json j;
        les_json_init(&j, NULL, 0);
        les_grade_to_json(&j, &a.grade, &a.lesson);
        size_t len;
        const char *text = les_json_buffer(&j, &len);
        out->json = les_json_finish(&j) == LES_OK ? sim_malloc(len + 1) : NULL;
        if (out->json) {
            memcpy(out->json, text, len + 1);
            out->score = a.grade.score;
            out->passed = a.grade.passed;
        } else {
            rc = APP_EXIT_FAIL;
            sim_error_set(&captured, SIM_ERR_NOMEM, "", 0, 0, "out of memory writing the grade");
        }
        les_json_deinit(&j);
    }
    if (rc != APP_EXIT_OK && err) {
        *err = captured;
        char buf[sizeof err->message];
        snprintf(err->message, sizeof err->message, "%s", sim_error_format(&captured, buf, sizeof buf));
    }
    app_attempt_deinit(&a);
    return rc;
}

static bool looks_like_hash(const char *s)
{
    size_t n = strlen(s);
    if (n < 8 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

int app_records_load_lesson(app_records *r, app_attempt *a, const char *lesson,
                            const char *lesson_hash, les_mode mode, char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    bool by_hash = access(lesson, F_OK) != 0 && looks_like_hash(lesson);
    int rc = APP_EXIT_OK;
    if (!by_hash) {
        rc = app_read_file(lesson, text, len) == 0 ? APP_EXIT_OK : APP_EXIT_USAGE;
    } else {
        sim_error err;
        les_rec_result lr = les_db_lesson_text(&r->db, lesson, text, len, NULL, &err);
        if (lr != LES_REC_OK) {
            app_print_error(&err);
            rc = lr == LES_REC_ERR_NOTFOUND || lr == LES_REC_ERR_INPUT ? APP_EXIT_USAGE
                                                                       : APP_EXIT_FAIL;
        }
    }
    if (rc == APP_EXIT_OK)
        rc = app_attempt_load_lesson_text(a, *text, *len, lesson);
    if (rc == APP_EXIT_OK && lesson_hash && strcmp(lesson_hash, a->lesson.hash_hex) != 0) {
        fprintf(stderr, "stipple: %s hashes to %s, not the pinned %s: refusing to record\n",
                lesson, a->lesson.hash_hex, lesson_hash);
        rc = APP_EXIT_USAGE;
    }
    /* A lesson fetched by its stored hash must still hash to it: the text
     * in the database is data, and an edited row must not pin an exam to a
     * different lesson. */
    if (rc == APP_EXIT_OK && by_hash &&
        strncmp(a->lesson.hash_hex, lesson, strlen(lesson)) != 0) {
        fprintf(stderr,
                "stipple: %s: the stored text of lesson %s now hashes to %s, not the pinned "
                "%s: it was edited; refusing to record\n",
                r->db_path, lesson, a->lesson.hash_hex, lesson);
        rc = APP_EXIT_USAGE;
    }
    if (rc == APP_EXIT_OK && les_mode_rules_for(mode).needs_pinned_lesson && !by_hash &&
        !lesson_hash) {
        fprintf(stderr, "stipple: an exam's lesson is pinned by its hash: give --lesson HASH (a "
                        "stored lesson) or --lesson-hash %s with the file\n",
                a->lesson.hash_hex);
        rc = APP_EXIT_USAGE;
    }
    if (rc != APP_EXIT_OK) {
        sim_free(*text);
        *text = NULL;
    }
    return rc;
}

int app_records_begin(app_records *r, const app_attempt *a, const char *lesson_text,
                      size_t lesson_len, const char *trainee, const char *instructor,
                      les_mode mode, int64_t time_limit_s, const sim_trace_header *header,
                      les_db_recording *rec)
{
    les_db_attempt_desc d = {
        .trainee = trainee,
        .instructor = instructor,
        .mode = mode,
        .lesson_hash = a->lesson.hash_hex,
        .lesson_id = a->lesson.id,
        .lesson_title = a->lesson.title,
        .lesson_version = a->lesson.version,
        .lesson_text = lesson_text,
        .lesson_len = lesson_len,
        .time_limit_s = time_limit_s,
        .header = *header,
        .started_us = header->start_unix_us,
    };
    sim_error err;
    les_rec_result lr = les_db_attempt_begin(&r->db, &d, r->have_key ? &r->key : NULL, rec, &err);
    if (lr == LES_REC_OK)
        return APP_EXIT_OK;
    app_print_error(&err);
    return lr == LES_REC_ERR_INPUT || lr == LES_REC_ERR_NOTFOUND ? APP_EXIT_USAGE : APP_EXIT_FAIL;
}

int app_records_end(app_records *r, les_db_recording *rec, les_outcome outcome,
                    les_db_attempt_info *info)
{
    sim_error err;
    for (int tries = 0;; tries++) {
        les_rec_result lr = les_db_attempt_end(rec, outcome, info, &err);
        if (lr == LES_REC_OK) {
            printf("recorded ");
            app_records_print_attempt(stdout, info);
            printf("  uid %s in %s\n", info->uid, r->db_path);
            return APP_EXIT_OK;
        }
        if (lr != LES_REC_ERR_BUSY || tries == 3) {
            app_print_error(&err);
            les_db_attempt_release(rec);
            return APP_EXIT_FAIL;
        }
        struct timespec pause = {1, 0};
        nanosleep(&pause, NULL);
    }
}

int app_read_file(const char *path, char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "stipple: %s: cannot open: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 0;
    char *buf = NULL;
    for (;;) {
        if (*len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 16384;
            char *grown = sim_realloc(buf, cap);
            if (!grown) {
                sim_free(buf);
                fclose(f);
                fprintf(stderr, "stipple: %s: out of memory\n", path);
                return -1;
            }
            buf = grown;
        }
        size_t got = fread(buf + *len, 1, cap - *len - 1, f);
        *len += got;
        if (got == 0)
            break;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        sim_free(buf);
        fprintf(stderr, "stipple: %s: cannot read\n", path);
        return -1;
    }
    buf[*len] = 0;
    *text = buf;
    return 0;
}

void app_records_print_attempt(FILE *out, const les_db_attempt_info *i)
{
    char score[64];
    if (i->graded)
        snprintf(score, sizeof score, "score %.1f (%s)", i->score,
                 i->passed ? "passed" : "not passed");
    else
        snprintf(score, sizeof score, "not graded");
    fprintf(out, "#%lld %.8s %s %s %s session %lld: %s, %s, %llu samples, %s%s\n",
            (long long)i->id, i->uid, i->trainee, i->lesson_id, les_mode_name(i->mode),
            (long long)i->session, les_outcome_name(i->outcome), score,
            (unsigned long long)i->trace_samples, i->is_signed ? "signed by station " : "unsigned",
            i->is_signed ? i->station : "");
}

/* ------------------------------------------------------------------------ */
/* Reports                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct progress {
    les_report_point *points;
    size_t count, cap;
    int64_t current;
} progress;

static int add_point(void *ctx, const les_db_attempt_info *info)
{
    progress *p = ctx;
    if (!info->graded)
        return 0;
    void *items = p->points;
    if (sim_array_grow(&items, &p->cap, p->count, sizeof *p->points, 32) != SIM_OK)
        return 1;
    p->points = items;
    p->points[p->count++] = (les_report_point){info->started_us, info->score,
                                               info->mode == LES_MODE_EXAM,
                                               info->id == p->current};
    return 0;
}

/* Dots coloured by depth against their zone's band: the heatmap. */
static int render_heatmap(const app_attempt *a, const char *path, int w, int h)
{
    size_t n = a->impressions.count;
    rnd_dot *dots = sim_calloc(n ? n : 1, sizeof *dots);
    if (!dots)
        return -1;
    rnd_dots_from_impressions(a->impressions.items, NULL, n, RND_DOTS_FRESH, dots);
    for (size_t i = 0; i < n; i++) {
        const sim_impression *imp = &a->impressions.items[i];
        int z = les_lesson_zone_at(&a->lesson, imp->chart_mm);
        float c[3] = {0.45f, 0.45f, 0.45f};   /* outside every zone: grey */
        if (z >= 0) {
            const les_zone *zone = &a->lesson.zones[z];
            if (imp->depth_mm < zone->depth_min_mm)
                c[0] = 0.95f, c[1] = 0.62f, c[2] = 0.05f;   /* too shallow: amber */
            else if (imp->depth_mm > zone->depth_max_mm)
                c[0] = 0.85f, c[1] = 0.08f, c[2] = 0.08f;   /* too deep: red */
            else
                c[0] = 0.05f, c[1] = 0.55f, c[2] = 0.20f;   /* in band: green */
        }
        dots[i].rgba[0] = c[0], dots[i].rgba[1] = c[1], dots[i].rgba[2] = c[2];
        dots[i].rgba[3] = 1.0f;
        dots[i].diameter_mm *= 1.6f;   /* legible on a page */
    }
    rnd_picture_desc pd = {.path = path, .width = w, .height = h, .surface = &a->surface,
                           .lesson = &a->lesson, .dots = dots, .dot_count = n};
    sim_error err;
    sim_error_clear(&err);
    int rc = rnd_render_picture(&pd, &err) == RND_OK ? 0 : -1;
    if (rc != 0)
        fprintf(stderr, "stipple: warning: no scalp picture in the report: %s\n", err.message);
    sim_free(dots);
    return rc;
}

/* Feedback sentences from the grade (until the grader writes its own). */
static size_t feedback(const app_attempt *a, const les_db_attempt_info *info, char lines[][256],
                       size_t max)
{
    size_t n = 0;
    const les_grade *g = &a->grade;
    if (info->outcome == LES_OUTCOME_INTERRUPTED && n < max)
        snprintf(lines[n++], 256, "This attempt was interrupted (a crash or a power cut) and "
                 "recovered: it is graded on what was recorded.");
    if (info->outcome == LES_OUTCOME_TIMED_OUT && n < max)
        snprintf(lines[n++], 256, "The time limit ended this attempt: it is graded on what was "
                 "done in time.");
    if (g->depth.too_deep && n < max)
        snprintf(lines[n++], 256, "%zu dots are too deep: expect blue-grey blowout where they "
                 "heal.", g->depth.too_deep);
    if (g->depth.too_shallow && n < max)
        snprintf(lines[n++], 256, "%zu dots are too shallow: expect them to fade as the skin "
                 "heals.", g->depth.too_shallow);
    double ratio = g->density.target_per_cm2 > 0 ? g->density.per_cm2 / g->density.target_per_cm2
                                                 : 1.0;
    if (ratio < 0.9 && n < max)
        snprintf(lines[n++], 256, "The density is %.0f%% of the target (%.1f of %.1f dots/cm2): "
                 "fill the gaps.", 100 * ratio, g->density.per_cm2, g->density.target_per_cm2);
    else if (ratio > 1.1 && n < max)
        snprintf(lines[n++], 256, "The density is %.0f%% of the target (%.1f of %.1f dots/cm2): "
                 "dots this close merge as they heal.", 100 * ratio, g->density.per_cm2,
                 g->density.target_per_cm2);
    if (g->outside && n < max)
        snprintf(lines[n++], 256, "%zu impressions fell outside every zone of the lesson.",
                 g->outside);
    if (n == 0)
        snprintf(lines[n++], 256, "Depth and density are on target: well done.");
    return n;
}

/* The first problem verify finds with one attempt, for the message. */
typedef struct first_problem {
    size_t count;
    char text[400];
} first_problem;

static void keep_first_problem(void *ctx, const les_db_problem *p)
{
    first_problem *f = ctx;
    if (f->count++ == 0)
        snprintf(f->text, sizeof f->text, "%.16s: %.370s", p->check, p->message);
}

/* A certificate vouches for the attempt: it is only printed for one that
 * verifies (signature, signed fields, scores, trace, lesson, re-grade), so
 * an edited row never reaches paper. *why says what failed. */
static bool attempt_verifies(app_records *r, const les_db_attempt_info *info, char *why,
                             size_t why_size)
{
    first_problem f = {0};
    les_db_verify_desc vd = {.ids = &info->id, .id_count = 1, .regrade = true,
                             .on_problem = keep_first_problem, .ctx = &f};
    les_db_verify_summary sum;
    sim_error err;
    sim_error_clear(&err);
    if (les_db_verify(&r->db, &vd, &sum, &err) != LES_REC_OK) {
        snprintf(why, why_size, "%.380s", err.message);
        return false;
    }
    if (f.count == 0 && sum.attempts == 1)
        return true;
    snprintf(why, why_size, "%s", f.count ? f.text : "it could not be checked");
    return false;
}

static int write_report(app_records *r, const les_db_attempt_info *info,
                        const les_db_attempt_data *data, const app_attempt *a, bool graded,
                        const char *dir, const char *picture)
{
    char metric_detail[2][160];
    les_report_metric metrics[2];
    size_t metric_count = 0;
    char lines[8][256];
    const char *fb[8];
    size_t fb_count = 0;
    if (graded) {
        const les_grade *g = &a->grade;
        snprintf(metric_detail[0], sizeof metric_detail[0],
                 "%zu in band, %zu too shallow, %zu too deep", g->depth.in_band,
                 g->depth.too_shallow, g->depth.too_deep);
        snprintf(metric_detail[1], sizeof metric_detail[1], "%.1f dots/cm2, target %.1f",
                 g->density.per_cm2, g->density.target_per_cm2);
        metrics[0] = (les_report_metric){"depth", g->depth.score, metric_detail[0]};
        metrics[1] = (les_report_metric){"density", g->density.score, metric_detail[1]};
        metric_count = 2;
        fb_count = feedback(a, info, lines, 8);
        for (size_t i = 0; i < fb_count; i++)
            fb[i] = lines[i];
    }
    progress p = {.current = info->id};
    les_db_filter f = les_db_filter_all();
    f.trainee = info->trainee;
    f.lesson = info->lesson_hash;
    sim_error err;
    les_db_list(&r->db, &f, add_point, &p, &err);
    char sig_fp[33] = "";
    if (info->is_signed)
        les_sign_signature_fingerprint(data->signature, sig_fp);
    les_report_desc d = {
        .attempt = info,
        .pass_mark = a->have_lesson ? a->lesson.rubric.pass_mark : 0,
        .metrics = metrics,
        .metric_count = metric_count,
        .feedback = fb,
        .feedback_count = fb_count,
        .picture_png = picture,
        .picture_caption = "Each dot coloured by depth against its zone's band: green in band, "
                           "amber too shallow (fades), red too deep (blowout), grey outside "
                           "every zone.",
        .progress = p.points,
        .progress_count = p.count,
        .signature_fingerprint = sig_fp,
    };
    char path[1200];
    int rc = APP_EXIT_OK;
    snprintf(path, sizeof path, "%s/attempt-%lld.pdf", dir, (long long)info->id);
    if (les_report_pdf(&d, path, &err) != LES_REC_OK)
        rc = APP_EXIT_FAIL;
    else
        printf("  report       %s\n", path);
    snprintf(path, sizeof path, "%s/attempt-%lld.png", dir, (long long)info->id);
    if (rc == APP_EXIT_OK && les_report_png(&d, path, 0, &err) != LES_REC_OK)
        rc = APP_EXIT_FAIL;
    else if (rc == APP_EXIT_OK)
        printf("  picture      %s\n", path);
    char why[400];
    if (rc == APP_EXIT_OK && info->mode == LES_MODE_EXAM && info->passed && info->is_signed &&
        (info->outcome == LES_OUTCOME_FINISHED || info->outcome == LES_OUTCOME_TIMED_OUT)) {
        if (!attempt_verifies(r, info, why, sizeof why)) {
            fprintf(stderr, "stipple: %s: no certificate for attempt #%lld: it does not verify "
                            "(%s)\n", r->db_path, (long long)info->id, why);
            sim_free(p.points);
            return APP_EXIT_FAIL;
        }
        snprintf(path, sizeof path, "%s/certificate-%lld.pdf", dir, (long long)info->id);
        if (les_certificate_pdf(&d, path, &err) != LES_REC_OK)
            rc = APP_EXIT_FAIL;
        else
            printf("  certificate  %s\n", path);
    }
    if (rc != APP_EXIT_OK)
        app_print_error(&err);
    sim_free(p.points);
    return rc;
}

int app_records_report(app_records *r, const les_db_attempt_info *info, const char *dir,
                       int picture_w, int picture_h)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "stipple: %s: cannot create the report folder: %s\n", dir, strerror(errno));
        return APP_EXIT_FAIL;
    }
    les_db_attempt_data data;
    sim_error err;
    if (les_db_attempt_load(&r->db, info->id, &data, &err) != LES_REC_OK) {
        app_print_error(&err);
        return APP_EXIT_FAIL;
    }
    sim_error captured;
    sim_error_clear(&captured);
    app_attempt a;
    app_attempt_init(&a);
    a.capture = &captured;
    bool graded = false;
    if (app_attempt_load_lesson_text(&a, data.lesson_text, data.lesson_len, "the stored lesson") ==
            APP_EXIT_OK &&
        data.trace &&
        app_attempt_load_trace_data(&a, data.trace, data.trace_size, "the stored trace") ==
            APP_EXIT_OK &&
        app_attempt_grade(&a) == APP_EXIT_OK)
        graded = true;
    else if (captured.code)
        fprintf(stderr, "stipple: warning: attempt #%lld cannot be re-graded for its report: %s\n",
                (long long)info->id, captured.message);
    char picture[1200];
    snprintf(picture, sizeof picture, "%s/attempt-%lld-scalp.png", dir, (long long)info->id);
    bool have_picture = graded && render_heatmap(&a, picture, picture_w, picture_h) == 0;
    int rc = write_report(r, info, &data, &a, graded, dir, have_picture ? picture : NULL);
    les_report_shutdown();
    app_attempt_deinit(&a);
    les_db_attempt_data_free(&data);
    return rc;
}
