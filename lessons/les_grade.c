/* les_grade.c: grading v0 (les_grade.h): per zone, the impressions in the
 * depth band, too shallow and too deep, and the density against the
 * target; the rubric's weighted mean; the grade as JSON.
 *
 * Purity: a function of (lesson, surface, impressions) only; impressions
 * are visited in array order and zones in lesson order, so the sums, and
 * the JSON bytes, are the same on every run.
 *
 * Threads: reentrant.
 */
#include "les_grade.h"

#include <math.h>
#include <string.h>

#include "les_json.h"

/* The density sub-score falls to 0 at this relative error (les_grade.h). */
#define LES__DENSITY_TOLERANCE 0.5

static const char *les__kind_name(sim_surface_kind k)
{
    return k == SIM_SURFACE_PAD ? "a pad" : k == SIM_SURFACE_HEAD ? "a head" : "no surface";
}

static les_result les__grade_check(const les_lesson *lesson, const sim_surface *surface,
                                   const sim_impression *imps, size_t count, sim_error *err)
{
    if (surface->kind != lesson->surface.kind)
        return (les_result)sim_error_set(err, LES_ERR_ARG, NULL, 0, 0,
                                         "the lesson is for %s but the surface is %s",
                                         les__kind_name(lesson->surface.kind),
                                         les__kind_name(surface->kind));
    for (size_t i = 0; i < count; i++) {
        const sim_impression *m = &imps[i];
        if (!isfinite(m->chart_mm.x) || !isfinite(m->chart_mm.y) || !isfinite(m->depth_mm))
            return (les_result)sim_error_set(err, LES_ERR_ARG, NULL, 0, 0,
                                             "impression %zu has a non-finite position "
                                             "or depth", i + 1);
    }
    return LES_OK;
}

static void les__grade_zone(les_zone_grade *zg, const les_zone *z, double depth_mm)
{
    zg->impressions++;
    if (depth_mm < z->depth_min_mm)
        zg->too_shallow++;
    else if (depth_mm > z->depth_max_mm)
        zg->too_deep++;
    else
        zg->in_band++;
}

static double les__density_score(double per_cm2, double target_per_cm2)
{
    if (!(target_per_cm2 > 0.0))
        return 0.0;
    double off = fabs(per_cm2 / target_per_cm2 - 1.0) / LES__DENSITY_TOLERANCE;
    return off >= 1.0 ? 0.0 : 100.0 * (1.0 - off);
}

/* Sums the zones into the depth and density metrics and the total. */
static void les__grade_totals(les_grade *g, const les_lesson *lesson)
{
    size_t in_zones = 0;
    double area_cm2 = 0.0, target_sum = 0.0;
    for (size_t i = 0; i < g->zone_count; i++) {
        const les_zone_grade *zg = &g->zones[i];
        in_zones += zg->impressions;
        g->depth.in_band += zg->in_band;
        g->depth.too_shallow += zg->too_shallow;
        g->depth.too_deep += zg->too_deep;
        area_cm2 += zg->area_cm2;
        target_sum += lesson->zones[i].density_per_cm2 * zg->area_cm2;
    }
    g->depth.score = in_zones ? 100.0 * (double)g->depth.in_band / (double)in_zones : 0.0;
    if (area_cm2 > 0.0) {
        g->density.per_cm2 = (double)in_zones / area_cm2;
        g->density.target_per_cm2 = target_sum / area_cm2;
    }
    g->density.score = les__density_score(g->density.per_cm2, g->density.target_per_cm2);
    const les_rubric *r = &lesson->rubric;
    double weights = r->weight_depth + r->weight_density;
    g->score = weights > 0.0 ? (r->weight_depth * g->depth.score +
                                r->weight_density * g->density.score) / weights
                             : 0.0;
    g->passed = g->score >= r->pass_mark;
}

les_result les_grade_run(const les_lesson *lesson, const sim_surface *surface,
                         const sim_impression *imps, size_t count,
                         les_grade *grade, sim_error *err)
{
    if (grade)
        memset(grade, 0, sizeof *grade);
    if (!lesson || !surface || !grade || (!imps && count))
        return (les_result)sim_error_set(err, LES_ERR_ARG, NULL, 0, 0,
                                         "les_grade_run: missing argument");
    les_result r = les__grade_check(lesson, surface, imps, count, err);
    if (r != LES_OK)
        return r;
    grade->zones = sim_calloc(lesson->zone_count, sizeof *grade->zones);
    if (!grade->zones)
        return (les_result)sim_error_set(err, LES_ERR_NOMEM, NULL, 0, 0, "out of memory");
    grade->zone_count = lesson->zone_count;
    for (size_t i = 0; i < lesson->zone_count; i++) {
        const les_zone *z = &lesson->zones[i];
        les_zone_grade *zg = &grade->zones[i];
        zg->area_cm2 = sim_surface_area_in_polygon(surface, z->polygon, z->polygon_count) / 100.0;
    }
    grade->impressions = count;
    for (size_t i = 0; i < count; i++) {
        int zi = les_lesson_zone_at(lesson, imps[i].chart_mm);
        if (zi < 0)
            grade->outside++;
        else
            les__grade_zone(&grade->zones[zi], &lesson->zones[zi], imps[i].depth_mm);
    }
    for (size_t i = 0; i < grade->zone_count; i++) {
        les_zone_grade *zg = &grade->zones[i];
        zg->per_cm2 = zg->area_cm2 > 0.0 ? (double)zg->impressions / zg->area_cm2 : 0.0;
    }
    les__grade_totals(grade, lesson);
    return LES_OK;
}

void les_grade_deinit(les_grade *grade)
{
    if (!grade)
        return;
    sim_free(grade->zones);
    memset(grade, 0, sizeof *grade);
}

/* ------------------------------------------------------------------------ */
/* JSON                                                                     */
/* ------------------------------------------------------------------------ */

/* Decimals per kind of value (fixed, so the bytes never drift). */
enum { LES__SCORE_DP = 2, LES__DENSITY_DP = 2, LES__AREA_DP = 3 };

static void les__json_metrics(les_json *j, const les_grade *g)
{
    les_json_key(j, "metrics");
    les_json_begin_object(j);
    les_json_key(j, "depth");
    les_json_begin_object(j);
    les_json_kv_fixed(j, "score", g->depth.score, LES__SCORE_DP);
    les_json_kv_uint(j, "in_band", g->depth.in_band);
    les_json_kv_uint(j, "too_shallow", g->depth.too_shallow);
    les_json_kv_uint(j, "too_deep", g->depth.too_deep);
    les_json_end_object(j);
    les_json_key(j, "density");
    les_json_begin_object(j);
    les_json_kv_fixed(j, "score", g->density.score, LES__SCORE_DP);
    les_json_kv_fixed(j, "per_cm2", g->density.per_cm2, LES__DENSITY_DP);
    les_json_kv_fixed(j, "target_per_cm2", g->density.target_per_cm2, LES__DENSITY_DP);
    les_json_end_object(j);
    les_json_end_object(j);
}

static void les__json_zones(les_json *j, const les_grade *g, const les_lesson *lesson)
{
    les_json_key(j, "zones");
    les_json_begin_array(j);
    for (size_t i = 0; i < g->zone_count; i++) {
        const les_zone_grade *zg = &g->zones[i];
        les_json_begin_object(j);
        les_json_kv_string(j, "name", i < lesson->zone_count ? lesson->zones[i].name : NULL);
        les_json_kv_uint(j, "impressions", zg->impressions);
        les_json_kv_uint(j, "in_band", zg->in_band);
        les_json_kv_uint(j, "too_shallow", zg->too_shallow);
        les_json_kv_uint(j, "too_deep", zg->too_deep);
        les_json_kv_fixed(j, "area_cm2", zg->area_cm2, LES__AREA_DP);
        les_json_kv_fixed(j, "per_cm2", zg->per_cm2, LES__DENSITY_DP);
        les_json_end_object(j);
    }
    les_json_end_array(j);
}

void les_grade_to_json(les_json *j, const les_grade *grade, const les_lesson *lesson)
{
    les_json_begin_object(j);
    les_json_kv_fixed(j, "score", grade->score, LES__SCORE_DP);
    les_json_kv_bool(j, "passed", grade->passed);
    les_json_kv_uint(j, "impressions", grade->impressions);
    les_json_kv_uint(j, "outside", grade->outside);
    les_json_kv_int(j, "sim_version", SIM_VERSION);
    les_json_key(j, "lesson");
    les_json_begin_object(j);
    les_json_kv_string(j, "id", lesson->id);
    les_json_kv_string(j, "hash", lesson->hash_hex);
    les_json_end_object(j);
    les__json_metrics(j, grade);
    les__json_zones(j, grade, lesson);
    les_json_end_object(j);
}

les_result les_grade_write_json(const les_grade *grade, const les_lesson *lesson,
                                FILE *out)
{
    if (!grade || !lesson || !out)
        return LES_ERR_ARG;
    les_json j;
    les_json_init(&j, out, 0);
    les_grade_to_json(&j, grade, lesson);
    les_json_newline(&j);
    les_result r = les_json_finish(&j);
    les_json_deinit(&j);
    return r;
}
