/* cmd_record.c: `stipple record`: records an attempt from an existing
 * trace exactly as the simulator would: begin (lesson stored by hash,
 * trainee identified), every sample through the crash-safe journal, the
 * exam's time limit, end (graded, signed, stored). Replays, imports and
 * the tests create attempts this way; --pace feeds the samples at the
 * trace's own speed (or faster), as a live session would.
 *
 * Threads: main thread only.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "app_records.h"
#include "app_session.h"

static const char RECORD_HELP[] =
    "usage: stipple record --lesson FILE|HASH --trainee ID --trace FILE [--exam]\n"
    "                      [--lesson-hash HASH] [--time-limit MIN] [--instructor ID]\n"
    "                      [--db FILE] [--key FILE] [--pace X] [--report DIR]\n"
    "\n"
    "Records an attempt from a trace into the records database, exactly as the\n"
    "simulator would: the trace is journalled to disk as it is fed (flushed at\n"
    "least every second), graded when it ends, signed by this station's key\n"
    "(created on first use) and stored with the lesson's full text.\n"
    "\n"
    "  --lesson FILE|HASH  the lesson file, or the hash of a lesson already stored\n"
    "  --trainee ID        the trainee's code (letters, digits, . _ @ + -)\n"
    "  --trace FILE        the recorded trace (from the simulator or `stipple demo`)\n"
    "  --exam              exam mode: the lesson is pinned by hash (--lesson HASH, or\n"
    "                      a file with --lesson-hash), the trainee must be registered\n"
    "                      ('stipple records trainee add ID'), hints, the healed\n"
    "                      preview and undo are off, the time limit is enforced\n"
    "  --lesson-hash HASH  the lesson's expected canonical hash (refused if the file\n"
    "                      hashes differently)\n"
    "  --time-limit MIN    end the attempt after MIN minutes of trace time\n"
    "  --instructor ID     the supervising instructor\n"
    "  --db FILE           the records database (default\n"
    "                      $XDG_DATA_HOME/stipple/records/records.db)\n"
    "  --key FILE          the station key (default $XDG_DATA_HOME/stipple/keys/station.key)\n"
    "  --pace X            feed samples at X times the trace's speed (1 = real time;\n"
    "                      default: as fast as possible)\n"
    "  --report DIR        also write the attempt's report (PDF, PNG, certificate)\n"
    "\n"
    "Exit status: 0 recorded (passed or not), 1 failure (the attempt stays in its\n"
    "journal and the next start recovers it), 2 bad usage or input.\n";

typedef struct record_opts {
    const char *lesson, *trainee, *trace, *lesson_hash, *instructor, *db, *key, *report;
    bool exam;
    double time_limit_min, pace;
} record_opts;

static void pace_until(const struct timespec *t0, int64_t t_us, double pace)
{
    if (pace <= 0)
        return;
    double due_s = (double)t_us / 1e6 / pace;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double elapsed = (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
    if (due_s > elapsed) {
        double wait = due_s - elapsed;
        struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
        nanosleep(&ts, NULL);
    }
}

/* Feeds every sample; *outcome tells how it ended. */
static void feed(les_db_recording *rec, const sim_trace *t, double pace, les_outcome *outcome)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    *outcome = LES_OUTCOME_FINISHED;
    bool failing = false;
    for (size_t i = 0; i < t->count; i++) {
        pace_until(&t0, t->samples[i].t_us, pace);
        sim_error err;
        les_rec_result r = les_db_attempt_append(rec, &t->samples[i], &err);
        if (r == LES_REC_ERR_TIME_UP) {
            fprintf(stderr, "stipple: %s\n", err.message);
            *outcome = LES_OUTCOME_TIMED_OUT;
            return;
        }
        if (r != LES_REC_OK && !failing)   /* say it once; the recording goes on */
            fprintf(stderr, "stipple: warning: %s\n", err.message);
        failing = r != LES_REC_OK;
    }
}

static int record(const record_opts *o)
{
    les_mode mode = o->exam ? LES_MODE_EXAM : LES_MODE_PRACTICE;
    les_mode_rules rules = les_mode_rules_for(mode);
    app_records r;
    int rc = app_records_open(&r, o->db, o->key, APP_RECORDS_WRITE);
    if (rc != APP_EXIT_OK)
        return rc;
    char *text = NULL;
    size_t len = 0;
    app_attempt a;
    app_attempt_init(&a);
    rc = app_records_load_lesson(&r, &a, o->lesson, o->lesson_hash, mode, &text, &len);
    sim_error err;
    if (rc == APP_EXIT_OK && sim_trace_load(&a.trace, o->trace, &err) != SIM_OK) {
        app_print_error(&err);
        rc = APP_EXIT_USAGE;
    }
    if (rc == APP_EXIT_OK && a.trace.truncated)
        fprintf(stderr, "stipple: warning: %s is truncated: recording its whole blocks\n", o->trace);
    static const uint8_t zero[32];
    if (rc == APP_EXIT_OK && memcmp(a.trace.header.lesson_hash, zero, 32) != 0 &&
        memcmp(a.trace.header.lesson_hash, a.lesson.hash, 32) != 0) {
        fprintf(stderr, "stipple: %s%s was recorded for another lesson than %s\n",
                rules.needs_pinned_lesson ? "" : "warning: ", o->trace, a.lesson.id);
        if (rules.needs_pinned_lesson)
            rc = APP_EXIT_USAGE;
    }
    les_db_recording rec;
    if (rc == APP_EXIT_OK)
        rc = app_records_begin(&r, &a, text, len, o->trainee, o->instructor, mode,
                               (int64_t)(o->time_limit_min * 60.0 + 0.5), &a.trace.header, &rec);
    les_db_attempt_info info;
    if (rc == APP_EXIT_OK) {
        les_outcome outcome;
        feed(&rec, &a.trace, o->pace, &outcome);
        rc = app_records_end(&r, &rec, outcome, &info);
    }
    if (rc == APP_EXIT_OK && o->report)
        rc = app_records_report(&r, &info, o->report, 1280, 800);
    sim_free(text);
    app_attempt_deinit(&a);
    app_records_close(&r);
    return rc;
}

static int record_run(int argc, char **argv)
{
    if (app_wants_help(argc, argv)) {
        fputs(RECORD_HELP, stdout);
        return APP_EXIT_OK;
    }
    static const struct option opts[] = {
        {"lesson", required_argument, NULL, 'l'},
        {"trainee", required_argument, NULL, 't'},
        {"trace", required_argument, NULL, 'r'},
        {"exam", no_argument, NULL, 'e'},
        {"lesson-hash", required_argument, NULL, 'h'},
        {"time-limit", required_argument, NULL, 'm'},
        {"instructor", required_argument, NULL, 'i'},
        {"db", required_argument, NULL, 'd'},
        {"key", required_argument, NULL, 'k'},
        {"pace", required_argument, NULL, 'p'},
        {"report", required_argument, NULL, 'o'},
        {0, 0, 0, 0},
    };
    record_opts o = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'l': o.lesson = optarg; break;
        case 't': o.trainee = optarg; break;
        case 'r': o.trace = optarg; break;
        case 'e': o.exam = true; break;
        case 'h': o.lesson_hash = optarg; break;
        case 'i': o.instructor = optarg; break;
        case 'd': o.db = optarg; break;
        case 'k': o.key = optarg; break;
        case 'o': o.report = optarg; break;
        case 'm':
            o.time_limit_min = strtod(optarg, &end);
            if (*end || !*optarg || !(o.time_limit_min > 0) || o.time_limit_min > 24 * 60)
                return app_usage_error("record: --time-limit takes minutes (0 to 1440), got '%s'",
                                       optarg);
            break;
        case 'p':
            o.pace = strtod(optarg, &end);
            if (*end || !*optarg || !(o.pace > 0) || o.pace > 1e6)
                return app_usage_error("record: --pace takes a positive factor, got '%s'", optarg);
            break;
        default:
            return app_usage_error(
                "record: unknown or incomplete option '%s' (see 'stipple record --help')",
                argv[optind - 1]);
        }
    }
    if (optind < argc)
        return app_usage_error("record: unexpected argument '%s'", argv[optind]);
    if (!o.lesson || !o.trainee || !o.trace)
        return app_usage_error(
            "record: --lesson, --trainee and --trace are required (see 'stipple record --help')");
    if (!les_db_code_valid(o.trainee))
        return app_usage_error("record: trainee code '%s' is not valid: use 1 to %d letters, "
                               "digits or . _ @ + -",
                               o.trainee, LES_DB_CODE_MAX);
    return record(&o);
}

const app_command app_cmd_record = {"record", "record an attempt from a trace into the records",
                                    record_run};
