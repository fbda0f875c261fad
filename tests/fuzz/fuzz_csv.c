/* fuzz_csv.c: fuzz target for the impressions CSV reader
 * (les_impressions_parse_csv) on a 100 x 100 mm pad, with the impressions
 * read graded against a fixed lesson.
 *
 * Invariants (abort on violation): an input error names line and column
 * (1-based) and leaves the list empty; every impression read lies on the
 * pad with its chart equal to its surface point; grading succeeds.
 * Seeds: tests/fuzz/corpus/fuzz_csv/.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "les_grade.h"

static const char LESSON[] =
    "stipple_lesson: 1\nid: fuzz\ntitle: Fuzz\nversion: 1\n"
    "surface: {type: pad, width_mm: 100, height_mm: 100}\n"
    "zones: [{name: a, polygon_mm: [[10, 10], [90, 10], [90, 90], [10, 90]],\n"
    "         density_per_cm2: 40, depth_band_mm: [0.5, 1.2]}]\n"
    "rubric: {pass_mark: 70}\n";

int fuzz_accepts(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcmp(path + n - 4, ".csv") == 0;
}

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_csv: invariant broken: %s\n", what);
        abort();
    }
}

/* The pad and lesson, built once per process (reachable until exit). */
static void fixtures(sim_surface **pad, les_lesson **lesson)
{
    static sim_surface s_pad;
    static les_lesson s_lesson;
    static int ready;
    if (!ready) {
        sim_surface_desc desc = {.kind = SIM_SURFACE_PAD, .width_mm = 100, .height_mm = 100};
        les_diags d;
        les_diags_init(&d, NULL);
        check(sim_surface_init(&s_pad, &desc, NULL) == SIM_OK, "pad");
        check(les_lesson_parse(&s_lesson, LESSON, sizeof LESSON - 1, &d) == LES_OK, "lesson");
        les_diags_deinit(&d);
        ready = 1;
    }
    *pad = &s_pad;
    *lesson = &s_lesson;
}

static void check_list(const sim_impression_list *list, const sim_surface *pad,
                       const les_lesson *lesson)
{
    for (size_t i = 0; i < list->count; i++) {
        const sim_impression *m = &list->items[i];
        check(m->surface_mm.z == 0.0 && m->chart_mm.x == m->surface_mm.x &&
              m->chart_mm.y == m->surface_mm.y, "projected onto the pad");
        check(m->depth_mm >= 0.0 && m->depth_mm <= 10.0 && isfinite(m->angle_rad), "values");
    }
    les_grade g;
    check(les_grade_run(lesson, pad, list->items, list->count, &g, NULL) == LES_OK, "grade");
    check(g.impressions == list->count, "grade count");
    les_grade_deinit(&g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sim_surface *pad;
    les_lesson *lesson;
    fixtures(&pad, &lesson);
    sim_impression_list list;
    sim_impression_list_init(&list);
    sim_error err;
    sim_error_clear(&err);
    les_result r = les_impressions_parse_csv((const char *)data, size, "fuzz.csv", pad,
                                             &list, &err);
    if (r == LES_OK) {
        check_list(&list, pad, lesson);
    } else {
        check(r == LES_ERR_INPUT && err.line >= 1 && err.column >= 1 && err.message[0],
              "an input error names its place");
        check(list.count == 0, "a failed read adds nothing");
    }
    sim_impression_list_deinit(&list);
    return 0;
}
