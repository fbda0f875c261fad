/* cmd_grade.c: `stipple grade`: grades a recorded attempt (a trace or an
 * impressions CSV) against a lesson and prints the grade.
 *
 * Threads: main thread only.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "app_session.h"

static const char GRADE_HELP[] =
    "usage: stipple grade --lesson LESSON.yaml (--trace FILE | --impressions FILE.csv) [--json]\n"
    "\n"
    "Grades an attempt against a lesson. The grade is a pure function of the\n"
    "lesson and the recorded input: the same files always give the same bytes.\n"
    "\n"
    "  --lesson FILE        the lesson (YAML)\n"
    "  --trace FILE         a recorded trace (from the simulator or `stipple demo`)\n"
    "  --impressions FILE   a CSV with a header: x_mm,y_mm,z_mm,depth_mm and\n"
    "                       optionally needle,angle_deg,dwell_ms; points in the\n"
    "                       lesson surface's frame, projected onto it\n"
    "  --json               print one JSON object instead of a summary\n"
    "\n"
    "Exit status: 0 graded (passed or not), 1 failure, 2 bad usage or input.\n";

static void print_summary(const app_attempt *a)
{
    const les_grade *g = &a->grade;
    printf("%s (%s)\n", a->lesson.title, a->lesson.id);
    printf("  score %.1f / 100: %s (pass mark %.0f)\n", g->score, g->passed ? "PASSED" : "not passed",
           a->lesson.rubric.pass_mark);
    printf("  %zu impressions, %zu outside every zone\n", g->impressions, g->outside);
    printf("  depth   %5.1f  %zu in band, %zu too shallow (fade), %zu too deep (blowout risk)\n",
           g->depth.score, g->depth.in_band, g->depth.too_shallow, g->depth.too_deep);
    printf("  density %5.1f  %.1f dots/cm2 against a target of %.1f\n", g->density.score,
           g->density.per_cm2, g->density.target_per_cm2);
}

static int grade_run(int argc, char **argv)
{
    if (app_wants_help(argc, argv)) {
        fputs(GRADE_HELP, stdout);
        return APP_EXIT_OK;
    }
    static const struct option opts[] = {
        {"lesson", required_argument, NULL, 'l'},
        {"trace", required_argument, NULL, 't'},
        {"impressions", required_argument, NULL, 'i'},
        {"json", no_argument, NULL, 'j'},
        {0, 0, 0, 0},
    };
    const char *lesson = NULL, *trace = NULL, *csv = NULL;
    bool json = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'l': lesson = optarg; break;
        case 't': trace = optarg; break;
        case 'i': csv = optarg; break;
        case 'j': json = true; break;
        default:
            return app_usage_error("grade: unknown or incomplete option '%s' (see 'stipple grade --help')",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return app_usage_error("grade: unexpected argument '%s'", argv[optind]);
    if (!lesson)
        return app_usage_error("grade: --lesson is required (see 'stipple grade --help')");
    if ((trace != NULL) == (csv != NULL))
        return app_usage_error("grade: give exactly one of --trace or --impressions");

    app_attempt a;
    app_attempt_init(&a);
    int rc = app_attempt_load_lesson(&a, lesson);
    if (rc == APP_EXIT_OK)
        rc = trace ? app_attempt_load_trace(&a, trace) : app_attempt_load_csv(&a, csv);
    if (rc == APP_EXIT_OK)
        rc = app_attempt_grade(&a);
    if (rc == APP_EXIT_OK) {
        if (json) {
            if (les_grade_write_json(&a.grade, &a.lesson, stdout) != LES_OK || fflush(stdout) != 0)
                rc = APP_EXIT_FAIL;
        } else {
            print_summary(&a);
        }
    }
    app_attempt_deinit(&a);
    return rc;
}

const app_command app_cmd_grade = {"grade", "grade a trace or impressions CSV against a lesson", grade_run};
