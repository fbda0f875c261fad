/* fuzz_lesson.c: fuzz target for lesson files (les_lesson_parse), with the
 * grader run on every lesson that parses.
 *
 * Invariants checked (abort on violation, so libFuzzer reports it):
 *  - a failed parse leaves at least one error diagnostic and an empty
 *    lesson; every diagnostic has a 1-based line and column;
 *  - a parsed lesson has zones with polygons, a 64-digit hash, and parses
 *    again to the same hash;
 *  - its optional parts are consistent: zone kinds known, forbidden zones
 *    without shade or cartridge, a zone's shade one of the lesson's
 *    pigments, 0 or 2 temple points, a decision no less cautious than the
 *    client's conditions allow;
 *  - grading it (pad lessons: on a pad, with a dot at every polygon vertex
 *    and centroid) succeeds and writes JSON;
 *  - its reference plan (pad lessons of up to 3000 dots) puts every dot in
 *    the zone it was planned for, in that zone's band;
 *  - written back as YAML (les_lesson_write) it parses, and writing that
 *    gives the same bytes.
 * Seeds: tests/fuzz/corpus/fuzz_lesson/ and the lessons in assets/.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "les_grade.h"
#include "les_json.h"
#include "les_solve.h"

int fuzz_accepts(const char *path)
{
    size_t n = strlen(path);
    return (n > 5 && strcmp(path + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(path + n - 4, ".yml") == 0);
}

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_lesson: invariant broken: %s\n", what);
        abort();
    }
}

static void check_diags(const les_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        check(d->items[i].line >= 1 && d->items[i].column >= 1, "diagnostic position");
    FILE *sink = fopen("/dev/null", "w");
    if (sink) {
        les_diags_print(d, sink);
        fclose(sink);
    }
}

/* Reference plans of small pad lessons. */
static void plan_on_pad(const les_lesson *l, const sim_surface *pad)
{
    double dots = 0;
    for (size_t z = 0; z < l->zone_count; z++)
        if (l->zones[z].kind == LES_ZONE_WORK)
            dots += l->zones[z].density_per_cm2 *
                    fabs(sim_polygon_signed_area(l->zones[z].polygon, l->zones[z].polygon_count)) /
                    100.0;
    if (dots > 3000)
        return;
    les_plan_dot *plan;
    size_t n;
    if (les_plan_reference(l, pad, NULL, &plan, &n, NULL) != LES_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        const les_zone *z = &l->zones[plan[i].zone];
        check(les_lesson_zone_at(l, plan[i].chart_mm) == (int)plan[i].zone, "planned zone");
        check(plan[i].depth_mm >= z->depth_min_mm && plan[i].depth_mm <= z->depth_max_mm,
              "planned depth");
    }
    sim_free(plan);
}

static void grade_on_pad(const les_lesson *l)
{
    sim_surface pad;
    if (sim_surface_init(&pad, &l->surface, NULL) != SIM_OK)
        return;
    sim_impression imps[64];
    size_t n = 0;
    for (size_t z = 0; z < l->zone_count && n < 64; z++) {
        for (size_t i = 0; i < l->zones[z].polygon_count && n < 64; i++, n++) {
            memset(&imps[n], 0, sizeof imps[n]);
            imps[n].chart_mm = l->zones[z].polygon[i];
            imps[n].depth_mm = 0.25 * (double)(n % 8);
        }
    }
    les_grade g;
    check(les_grade_run(l, &pad, imps, n, &g, NULL) == LES_OK, "grading a parsed lesson");
    check(g.impressions == n && g.zone_count == l->zone_count, "grade counts");
    les_json j;
    les_json_init(&j, NULL, 0);
    les_grade_to_json(&j, &g, l);
    check(les_json_finish(&j) == LES_OK, "grade JSON");
    les_json_deinit(&j);
    les_grade_deinit(&g);
    plan_on_pad(l, &pad);
    sim_surface_deinit(&pad);
}

static void check_parts(const les_lesson *l)
{
    check(l->temple_point_count == 0 || l->temple_point_count == 2, "temple points");
    for (size_t z = 0; z < l->zone_count; z++) {
        const les_zone *zone = &l->zones[z];
        check(zone->kind == LES_ZONE_WORK || zone->kind == LES_ZONE_FORBIDDEN, "zone kind");
        check(zone->kind == LES_ZONE_WORK || (!zone->shade && !zone->cartridge),
              "forbidden zones take no tools");
        check(!zone->shade || (zone->shade >= l->tools.pigments &&
                               zone->shade < l->tools.pigments + l->tools.pigment_count),
              "shade among the pigments");
    }
    for (size_t c = 0; l->client.present && c < l->client.condition_count; c++)
        check(les_condition_decision(l->client.conditions[c]) != LES_DECISION_REFUSE ||
                  l->client.decision == LES_DECISION_REFUSE,
              "a client to refuse is refused");
}

static char *write_yaml(const les_lesson *l, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    check(f != NULL, "memory stream");
    check(les_lesson_write(l, f) == LES_OK, "writing a parsed lesson");
    fclose(f);
    return text;
}

static void check_written(const les_lesson *l)
{
    size_t len1, len2;
    char *first = write_yaml(l, &len1);
    les_lesson back;
    les_diags d;
    les_diags_init(&d, "written.yaml");
    check(les_lesson_parse(&back, first, len1, &d) == LES_OK, "a written lesson parses");
    char *second = write_yaml(&back, &len2);
    check(len1 == len2 && memcmp(first, second, len1) == 0, "writing is stable");
    les_lesson_deinit(&back);
    les_diags_deinit(&d);
    free(first);
    free(second);
}

static void check_lesson(const les_lesson *l, const uint8_t *data, size_t size)
{
    check(l->zone_count >= 1 && l->zones && strlen(l->hash_hex) == 64, "lesson shape");
    for (size_t z = 0; z < l->zone_count; z++)
        check(l->zones[z].polygon && l->zones[z].polygon_count >= 3 && l->zones[z].name,
              "zone shape");
    check_parts(l);
    check_written(l);
    les_lesson again;
    les_diags d;
    les_diags_init(&d, NULL);
    check(les_lesson_parse(&again, (const char *)data, size, &d) == LES_OK, "parse twice");
    check(strcmp(again.hash_hex, l->hash_hex) == 0, "same hash twice");
    les_lesson_deinit(&again);
    les_diags_deinit(&d);
    if (l->surface.kind == SIM_SURFACE_PAD)
        grade_on_pad(l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    les_lesson l;
    les_diags d;
    les_diags_init(&d, "fuzz.yaml");
    les_result r = les_lesson_parse(&l, (const char *)data, size, &d);
    check_diags(&d);
    if (r == LES_OK) {
        check_lesson(&l, data, size);
    } else {
        check(d.errors > 0, "a failure has an error diagnostic");
        check(l.arena == NULL && l.zones == NULL, "a failure leaves the lesson empty");
    }
    les_lesson_deinit(&l);
    les_diags_deinit(&d);
    return 0;
}
