/* cmd_records.c: `stipple records`: the records database from the command
 * line: options and dispatch, and the reading subcommands (list, show,
 * history), the station key and registering people. Checking and moving
 * records (verify, export, import, report) are in cmd_records_check.c.
 *
 * Every subcommand opening the database for writing first recovers
 * attempts a crash left unfinished (app_records_open).
 *
 * Threads: main thread only.
 */
#include "cmd_records.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "les_json.h"

static const char RECORDS_HELP[] =
    "usage: stipple records SUBCOMMAND [OPTIONS]\n"
    "\n"
    "The records database: trainees, lessons by hash, attempts with their traces,\n"
    "scores and signatures (docs/records.md).\n"
    "\n"
    "  list [FILTERS] [--json]           attempts, oldest first\n"
    "  show ATTEMPT [--json]             one attempt (its number, or 6+ digits of its uid),\n"
    "                                    its scores and audit events\n"
    "  verify [ATTEMPT...] [--trust PUB]... [--no-regrade] [--progress]\n"
    "                                    check every signature and signed field, re-grade\n"
    "                                    every trace with this grader, check the audit log;\n"
    "                                    exit 1 when anything fails\n"
    "  export --out BUNDLE [FILTERS]     write the signed, ended attempts to a bundle signed\n"
    "                                    by this station (a records database of its own:\n"
    "                                    'stipple records --db BUNDLE verify' checks it)\n"
    "  import BUNDLE [--trust PUB]...    verify a bundle, then add its attempts; its\n"
    "                                    stations must be trusted here or given with\n"
    "                                    --trust (which then trusts them here)\n"
    "  history TRAINEE [--lesson L] [--json]\n"
    "                                    the trainee's scores over time, per metric\n"
    "  report ATTEMPT [--out DIR] [--size WxH]\n"
    "                                    the attempt's report (PDF and PNG) and, for a\n"
    "                                    passed exam, its certificate\n"
    "  key [--out FILE]                  this station's public key (for the certifying body)\n"
    "  trust add PUB | remove PUB | list  the stations whose signatures this database\n"
    "                                    accepts (this station always; others once trusted)\n"
    "  trainee add ID [--name NAME]      register a trainee (exams need it)\n"
    "  instructor add ID [--name NAME]   register an instructor\n"
    "\n"
    "Options for every subcommand:\n"
    "  --db FILE     the records database (default $XDG_DATA_HOME/stipple/records/records.db)\n"
    "  --key FILE    the station key (default $XDG_DATA_HOME/stipple/keys/station.key)\n"
    "Filters: --trainee ID, --lesson ID|HASH, --mode practice|exam,\n"
    "         --outcome finished|timed_out|interrupted|abandoned|recording,\n"
    "         --since YYYY-MM-DD, --until YYYY-MM-DD (UTC days, both included)\n"
    "\n"
    "Exit status: 0 success, 1 failure (or verification failed), 2 bad usage.\n";

/* ------------------------------------------------------------------------ */
/* Options                                                                  */
/* ------------------------------------------------------------------------ */

static bool parse_day(const char *s, int64_t *unix_us)
{
    int y, m, d;
    char extra;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return false;
    *unix_us = (int64_t)t * 1000000;
    return true;
}

static int parse_options(int argc, char **argv, records_opts *o)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"key", required_argument, NULL, 'k'},
        {"out", required_argument, NULL, 'o'},
        {"name", required_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},
        {"progress", no_argument, NULL, 'p'},
        {"no-regrade", no_argument, NULL, 'R'},
        {"trust", required_argument, NULL, 'T'},
        {"trainee", required_argument, NULL, 't'},
        {"lesson", required_argument, NULL, 'l'},
        {"mode", required_argument, NULL, 'm'},
        {"outcome", required_argument, NULL, 'c'},
        {"since", required_argument, NULL, 's'},
        {"until", required_argument, NULL, 'u'},
        {"size", required_argument, NULL, 'z'},
        {0, 0, 0, 0},
    };
    memset(o, 0, sizeof *o);
    o->filter = les_db_filter_all();
    o->picture_w = 1280;
    o->picture_h = 800;
    int c;
    optind = 1;
    opterr = 0;
    /* "+" would stop at the first positional; records takes options anywhere */
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        les_mode mode;
        les_outcome outcome;
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'k': o->key = optarg; break;
        case 'o': o->out = optarg; break;
        case 'n': o->name = optarg; break;
        case 'j': o->json = true; break;
        case 'p': o->progress = true; break;
        case 'R': o->no_regrade = true; break;
        case 't': o->filter.trainee = optarg; break;
        case 'l': o->filter.lesson = optarg; break;
        case 'T':
            if (o->trust_count == RECORDS_MAX_TRUST)
                return app_usage_error("records: at most %d --trust keys", RECORDS_MAX_TRUST);
            o->trust[o->trust_count++] = optarg;
            break;
        case 'm':
            if (!les_mode_parse(optarg, &mode))
                return app_usage_error("records: --mode is practice or exam, got '%s'", optarg);
            o->filter.mode = (int)mode;
            break;
        case 'c':
            if (!les_outcome_parse(optarg, &outcome))
                return app_usage_error("records: unknown --outcome '%s'", optarg);
            o->filter.outcome = (int)outcome;
            break;
        case 's':
            if (!parse_day(optarg, &o->filter.since_us))
                return app_usage_error("records: --since takes YYYY-MM-DD, got '%s'", optarg);
            break;
        case 'u':
            if (!parse_day(optarg, &o->filter.until_us))
                return app_usage_error("records: --until takes YYYY-MM-DD, got '%s'", optarg);
            o->filter.until_us += (int64_t)86400 * 1000000;   /* the whole day */
            break;
        case 'z':
            if (sscanf(optarg, "%dx%d", &o->picture_w, &o->picture_h) != 2 || o->picture_w < 16 ||
                o->picture_h < 16 || o->picture_w > 8192 || o->picture_h > 8192)
                return app_usage_error("records: --size takes WxH between 16 and 8192, got '%s'",
                                       optarg);
            break;
        default:
            return app_usage_error(
                "records: unknown or incomplete option '%s' (see 'stipple records --help')",
                argv[optind - 1]);
        }
    }
    o->args = argv + optind;
    o->nargs = argc - optind;
    return APP_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* list, show, history                                                      */
/* ------------------------------------------------------------------------ */

static void info_json(les_json *j, const les_db_attempt_info *i)
{
    les_json_begin_object(j);
    les_json_kv_int(j, "id", i->id);
    les_json_kv_string(j, "uid", i->uid);
    les_json_kv_string(j, "trainee", i->trainee);
    les_json_kv_string(j, "instructor", i->instructor);
    les_json_kv_string(j, "lesson_id", i->lesson_id);
    les_json_kv_string(j, "lesson_hash", i->lesson_hash);
    les_json_kv_string(j, "mode", les_mode_name(i->mode));
    les_json_kv_int(j, "session", i->session);
    les_json_kv_int(j, "started_us", i->started_us);
    les_json_kv_int(j, "ended_us", i->ended_us);
    les_json_kv_int(j, "time_limit_s", i->time_limit_s);
    les_json_kv_string(j, "outcome", les_outcome_name(i->outcome));
    les_json_key(j, "score");
    if (i->graded)
        les_json_fixed(j, i->score, 2);
    else
        les_json_null(j);
    les_json_kv_bool(j, "passed", i->graded && i->passed);
    les_json_kv_bool(j, "signed", i->is_signed);
    les_json_kv_string(j, "station", i->station);
    les_json_kv_string(j, "app_version", i->app_version);
    les_json_kv_int(j, "sim_version", i->sim_version);
    les_json_kv_uint(j, "trace_samples", i->trace_samples);
    les_json_end_object(j);
}

typedef struct list_ctx { les_json *json; size_t count; } list_ctx;

static int list_one(void *ctx, const les_db_attempt_info *i)
{
    list_ctx *l = ctx;
    l->count++;
    if (l->json) {
        info_json(l->json, i);
        les_json_newline(l->json);
        return 0;
    }
    char when[32] = "-";
    time_t t = (time_t)(i->started_us / 1000000);
    struct tm tm;
    if (gmtime_r(&t, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    char score[16] = "-";
    if (i->graded)
        snprintf(score, sizeof score, "%.1f%s", i->score, i->passed ? "" : "*");
    printf("%5lld  %.8s  %-16s  %-12.12s  %-20.20s  %-8s  %4lld  %-11s  %6s  %s\n",
           (long long)i->id, i->uid, when, i->trainee, i->lesson_id, les_mode_name(i->mode),
           (long long)i->session, les_outcome_name(i->outcome), score,
           i->is_signed ? "signed" : "-");
    return 0;
}

static int records_list(const records_opts *o)
{
    app_records r;
    int rc = app_records_open(&r, o->db, o->key, APP_RECORDS_READ);
    if (rc != APP_EXIT_OK)
        return rc;
    les_json j;
    les_json_init(&j, stdout, 0);
    list_ctx l = {o->json ? &j : NULL, 0};
    if (!o->json)
        printf("%5s  %-8s  %-16s  %-12s  %-20s  %-8s  %4s  %-11s  %6s  %s\n", "#", "uid",
               "started (UTC)", "trainee", "lesson", "mode", "sess", "outcome", "score", "signed");
    sim_error err;
    if (les_db_list(&r.db, &o->filter, list_one, &l, &err) != LES_REC_OK) {
        app_print_error(&err);
        rc = APP_EXIT_FAIL;
    }
    if (!o->json && rc == APP_EXIT_OK)
        printf("%zu attempt%s (* not passed)\n", l.count, l.count == 1 ? "" : "s");
    les_json_deinit(&j);
    app_records_close(&r);
    return rc;
}

static int print_event(void *ctx, const les_db_audit_event *ev)
{
    les_json *j = ctx;
    if (j) {
        les_json_begin_object(j);
        les_json_kv_int(j, "id", ev->id);
        les_json_kv_int(j, "at_us", ev->at_us);
        les_json_kv_string(j, "event", ev->event);
        les_json_kv_string(j, "detail", ev->detail);
        les_json_end_object(j);
        return 0;
    }
    char when[32] = "-";
    time_t t = (time_t)(ev->at_us / 1000000);
    struct tm tm;
    if (gmtime_r(&t, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    printf("    #%lld %s UTC  %-10s %s\n", (long long)ev->id, when, ev->event, ev->detail);
    return 0;
}

static int records_show(const records_opts *o)
{
    if (o->nargs != 1)
        return app_usage_error("records show: give one attempt (its number or uid)");
    app_records r;
    int rc = app_records_open(&r, o->db, o->key, APP_RECORDS_READ);
    if (rc != APP_EXIT_OK)
        return rc;
    les_db_attempt_info info;
    les_db_attempt_data data;
    memset(&data, 0, sizeof data);
    sim_error err;
    if (les_db_get(&r.db, o->args[0], &info, &err) != LES_REC_OK ||
        les_db_attempt_load(&r.db, info.id, &data, &err) != LES_REC_OK) {
        app_print_error(&err);
        app_records_close(&r);
        return err.code == LES_REC_ERR_NOTFOUND || err.code == LES_REC_ERR_INPUT ? APP_EXIT_USAGE
                                                                                 : APP_EXIT_FAIL;
    }
    if (o->json) {
        les_json j;
        les_json_init(&j, stdout, 0);
        les_json_begin_object(&j);
        les_json_key(&j, "attempt");
        info_json(&j, &info);
        les_json_kv_string(&j, "scores", data.scores_json);
        les_json_kv_string(&j, "record", data.record);
        les_json_key(&j, "audit");
        les_json_begin_array(&j);
        les_db_audit_list(&r.db, info.uid, print_event, &j, &err);
        les_json_end_array(&j);
        les_json_end_object(&j);
        les_json_newline(&j);
        if (les_json_finish(&j) != LES_OK)
            rc = APP_EXIT_FAIL;
        les_json_deinit(&j);
    } else {
        app_records_print_attempt(stdout, &info);
        char a[40], b[40];
        time_t t0 = (time_t)(info.started_us / 1000000), t1 = (time_t)(info.ended_us / 1000000);
        struct tm tm;
        strftime(a, sizeof a, "%Y-%m-%d %H:%M:%S", gmtime_r(&t0, &tm));
        if (info.ended_us)
            strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S", gmtime_r(&t1, &tm));
        else
            snprintf(b, sizeof b, "(still recording)");
        printf("  uid         %s\n  lesson      %s: %s\n  hash        %s\n", info.uid,
               info.lesson_id, info.lesson_title, info.lesson_hash);
        printf("  started     %s UTC\n  ended       %s%s\n", a, b, info.ended_us ? " UTC" : "");
        if (info.time_limit_s)
            printf("  time limit  %lld min\n", (long long)(info.time_limit_s / 60));
        if (info.instructor[0])
            printf("  instructor  %s\n", info.instructor);
        printf("  versions    Stipple %s, sim %d\n", info.app_version, info.sim_version);
        printf("  trace       %llu samples, %lld bytes\n", (unsigned long long)info.trace_samples,
               (long long)info.trace_bytes);
        if (info.is_signed) {
            char fp[33];
            les_sign_signature_fingerprint(data.signature, fp);
            printf("  signed by   station %s (%s), signature fingerprint %s\n", info.station_name,
                   info.station, fp);
        }
        printf("  scores      %s\n  audit\n", data.scores_json ? data.scores_json : "(not graded)");
        les_db_audit_list(&r.db, info.uid, print_event, NULL, &err);
    }
    les_db_attempt_data_free(&data);
    app_records_close(&r);
    return rc;
}

/* History: rows (attempt, metric, score) gathered into one line per attempt. */
typedef struct history {
    char metrics[16][32];
    size_t metric_count;
    struct row {
        les_db_attempt_info info;
        double scores[16];
        bool has[16];
    } *rows;
    size_t count, cap;
} history;

static int history_row(void *ctx, const les_db_attempt_info *info, const char *metric,
                       double score)
{
    history *h = ctx;
    if (h->count == 0 || h->rows[h->count - 1].info.id != info->id) {
        void *items = h->rows;
        if (sim_array_grow(&items, &h->cap, h->count, sizeof *h->rows, 32) != SIM_OK)
            return 1;
        h->rows = items;
        memset(&h->rows[h->count], 0, sizeof h->rows[h->count]);
        h->rows[h->count++].info = *info;
    }
    size_t m = 0;
    while (m < h->metric_count && strcmp(h->metrics[m], metric) != 0)
        m++;
    if (m == h->metric_count) {
        if (m == 16)
            return 0;   /* more metrics than a line holds: the first 16 */
        snprintf(h->metrics[m], sizeof h->metrics[m], "%s", metric);
        h->metric_count++;
    }
    h->rows[h->count - 1].scores[m] = score;
    h->rows[h->count - 1].has[m] = true;
    return 0;
}

static void history_print(const history *h, bool json)
{
    if (json) {
        les_json j;
        les_json_init(&j, stdout, 0);
        for (size_t i = 0; i < h->count; i++) {
            const struct row *r = &h->rows[i];
            les_json_begin_object(&j);
            les_json_kv_int(&j, "id", r->info.id);
            les_json_kv_int(&j, "started_us", r->info.started_us);
            les_json_kv_string(&j, "lesson_id", r->info.lesson_id);
            les_json_kv_string(&j, "mode", les_mode_name(r->info.mode));
            les_json_kv_string(&j, "outcome", les_outcome_name(r->info.outcome));
            les_json_key(&j, "scores");
            les_json_begin_object(&j);
            for (size_t m = 0; m < h->metric_count; m++)
                if (r->has[m])
                    les_json_kv_fixed(&j, h->metrics[m], r->scores[m], 2);
            les_json_end_object(&j);
            les_json_end_object(&j);
            les_json_newline(&j);
        }
        les_json_finish(&j);
        les_json_deinit(&j);
        return;
    }
    printf("%-10s  %5s  %-20s  %-8s", "date", "#", "lesson", "mode");
    for (size_t m = 0; m < h->metric_count; m++)
        printf("  %8.8s", h->metrics[m]);
    printf("\n");
    for (size_t i = 0; i < h->count; i++) {
        const struct row *r = &h->rows[i];
        char day[16] = "-";
        time_t t = (time_t)(r->info.started_us / 1000000);
        struct tm tm;
        if (gmtime_r(&t, &tm))
            strftime(day, sizeof day, "%Y-%m-%d", &tm);
        printf("%-10s  %5lld  %-20.20s  %-8s", day, (long long)r->info.id, r->info.lesson_id,
               les_mode_name(r->info.mode));
        for (size_t m = 0; m < h->metric_count; m++) {
            if (r->has[m])
                printf("  %8.1f", r->scores[m]);
            else
                printf("  %8s", "-");
        }
        printf("\n");
    }
}

static int records_history(const records_opts *o)
{
    if (o->nargs != 1)
        return app_usage_error("records history: give one trainee");
    app_records r;
    int rc = app_records_open(&r, o->db, o->key, APP_RECORDS_READ);
    if (rc != APP_EXIT_OK)
        return rc;
    history h;
    memset(&h, 0, sizeof h);
    sim_error err;
    les_rec_result lr = les_db_history(&r.db, o->args[0], o->filter.lesson, history_row, &h, &err);
    if (lr != LES_REC_OK) {
        app_print_error(&err);
        rc = lr == LES_REC_ERR_INPUT ? APP_EXIT_USAGE : APP_EXIT_FAIL;
    } else if (h.count == 0 && !o->json) {
        printf("no graded attempts for trainee %s\n", o->args[0]);
    } else {
        history_print(&h, o->json);
    }
    sim_free(h.rows);
    app_records_close(&r);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* key, people                                                              */
/* ------------------------------------------------------------------------ */

static int records_key(const records_opts *o)
{
    char path[1024];
    if (o->key) {
        snprintf(path, sizeof path, "%s", o->key);
    } else {
        char dir[900];
        if (app_data_subdir(dir, sizeof dir, "keys") != 0) {
            fprintf(stderr, "stipple: %s: cannot create the key folder\n", dir);
            return APP_EXIT_FAIL;
        }
        snprintf(path, sizeof path, "%.900s/station.key", dir);
    }
    les_sign_key key;
    bool created;
    sim_error err;
    if (les_sign_key_load(&key, path, true, o->name, &created, &err) != LES_REC_OK) {
        app_print_error(&err);
        return APP_EXIT_FAIL;
    }
    if (created)
        fprintf(stderr, "stipple: created the station key %s\n", path);
    int rc = APP_EXIT_OK;
    if (o->out) {
        if (les_sign_write_public(&key, o->out, &err) != LES_REC_OK) {
            app_print_error(&err);
            rc = APP_EXIT_FAIL;
        } else {
            printf("wrote the public key of station %s (fingerprint %s) to %s\n", key.name,
                   key.fingerprint, o->out);
        }
    } else {
        char *text = les_sign_public_text(&key);
        if (text)
            fputs(text, stdout);
        sim_free(text);
    }
    les_sign_key_deinit(&key);
    return rc;
}

static int records_people(const records_opts *o, bool trainee)
{
    const char *who = trainee ? "trainee" : "instructor";
    if (o->nargs != 2 || strcmp(o->args[0], "add") != 0)
        return app_usage_error("records %s: use 'records %s add ID [--name NAME]'", who, who);
    app_records r;
    int rc = app_records_open(&r, o->db, o->key, APP_RECORDS_WRITE);
    if (rc != APP_EXIT_OK)
        return rc;
    sim_error err;
    les_rec_result lr = trainee ? les_db_trainee_add(&r.db, o->args[1], o->name, &err)
                                : les_db_instructor_add(&r.db, o->args[1], o->name, &err);
    if (lr != LES_REC_OK) {
        app_print_error(&err);
        rc = lr == LES_REC_ERR_INPUT || lr == LES_REC_ERR_CONFLICT ? APP_EXIT_USAGE : APP_EXIT_FAIL;
    } else {
        printf("registered %s %s\n", who, o->args[1]);
    }
    app_records_close(&r);
    return rc;
}

static int print_station(void *ctx, const les_db_station_info *s)
{
    (void)ctx;
    char day[16] = "-";
    time_t t = (time_t)(s->added_us / 1000000);
    struct tm tm;
    if (gmtime_r(&t, &tm))
        strftime(day, sizeof day, "%Y-%m-%d", &tm);
    printf("%-32s  %-20.20s  %-10s  %8lld  %s%s\n", s->fingerprint, s->name, day,
           (long long)s->attempts, s->trusted || s->is_this_station ? "trusted" : "NOT trusted",
           s->is_this_station ? " (this station)" : "");
    return 0;
}

static int records_trust(const records_opts *o)
{
    bool list = o->nargs == 1 && strcmp(o->args[0], "list") == 0;
    bool add = o->nargs == 2 && strcmp(o->args[0], "add") == 0;
    bool remove = o->nargs == 2 && strcmp(o->args[0], "remove") == 0;
    if (!list && !add && !remove)
        return app_usage_error("records trust: use 'records trust add PUB', 'records trust "
                               "remove PUB' or 'records trust list' (PUB: a station's public "
                               "key file, from 'stipple records key --out')");
    les_sign_key station;
    sim_error err;
    if (!list && les_sign_read_public(&station, o->args[1], &err) != LES_REC_OK) {
        app_print_error(&err);
        return APP_EXIT_USAGE;
    }
    app_records r;
    int rc = app_records_open(&r, o->db, o->key, list ? APP_RECORDS_READ : APP_RECORDS_WRITE);
    if (rc != APP_EXIT_OK)
        return rc;
    if (list) {
        printf("%-32s  %-20s  %-10s  %8s  %s\n", "fingerprint", "name", "added", "attempts",
               "trust");
        if (les_db_stations(&r.db, print_station, NULL, &err) != LES_REC_OK) {
            app_print_error(&err);
            rc = APP_EXIT_FAIL;
        }
    } else {
        les_rec_result lr = add ? les_db_trust_add(&r.db, &station, &err)
                                : les_db_trust_remove(&r.db, &station, &err);
        if (lr != LES_REC_OK) {
            app_print_error(&err);
            rc = lr == LES_REC_ERR_NOTFOUND ? APP_EXIT_USAGE : APP_EXIT_FAIL;
        } else if (add) {
            printf("trusted station %s (fingerprint %s) in %s: its signed attempts and bundles "
                   "are accepted here\n", station.name, station.fingerprint, r.db_path);
        } else {
            printf("station %s (fingerprint %s) is no longer trusted in %s: verify reports its "
                   "attempts\n", station.name, station.fingerprint, r.db_path);
        }
    }
    app_records_close(&r);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Dispatch                                                                 */
/* ------------------------------------------------------------------------ */

static int records_run(int argc, char **argv)
{
    if (argc < 2 || app_wants_help(argc, argv)) {
        fputs(RECORDS_HELP, stdout);
        return argc < 2 ? APP_EXIT_USAGE : APP_EXIT_OK;
    }
    records_opts o;
    /* the subcommand is the first word that is not an option or its value */
    int rc = parse_options(argc, argv, &o);
    if (rc != APP_EXIT_OK)
        return rc;
    if (o.nargs < 1)
        return app_usage_error("records: give a subcommand (see 'stipple records --help')");
    const char *sub = o.args[0];
    o.args++;
    o.nargs--;
    if (strcmp(sub, "list") == 0)
        return o.nargs ? app_usage_error("records list: unexpected '%s'", o.args[0])
                       : records_list(&o);
    if (strcmp(sub, "show") == 0)
        return records_show(&o);
    if (strcmp(sub, "verify") == 0)
        return records_verify(&o);
    if (strcmp(sub, "export") == 0)
        return records_export(&o);
    if (strcmp(sub, "import") == 0)
        return records_import(&o);
    if (strcmp(sub, "history") == 0)
        return records_history(&o);
    if (strcmp(sub, "report") == 0)
        return records_report(&o);
    if (strcmp(sub, "key") == 0)
        return records_key(&o);
    if (strcmp(sub, "trust") == 0)
        return records_trust(&o);
    if (strcmp(sub, "trainee") == 0 || strcmp(sub, "instructor") == 0)
        return records_people(&o, sub[0] == 't');
    return app_usage_error("records: unknown subcommand '%s' (see 'stipple records --help')", sub);
}

const app_command app_cmd_records = {"records", "list, show, verify, export and import records",
                                     records_run};
