/* les_grade_json.c: a grade as JSON (les_grade.h). Keys come in a fixed
 * order, the foundation's first in each object, and numbers in a fixed
 * format (scores and densities 2 decimals, lengths, areas and indices 3);
 * a value not measured is null. So the same grade gives the same bytes.
 *
 * Threads: reentrant.
 */
#include "les_grade_internal.h"

#include <math.h>

#include "les_json.h"

/* Decimals per kind of value (fixed, so the bytes never drift). */
enum { LES__SCORE_DP = 2, LES__DENSITY_DP = 2, LES__AREA_DP = 3, LES__MM_DP = 3,
       LES__INDEX_DP = 3 };

static void les__kv_mm(les_json *j, const char *key, double v)
{
    les_json_kv_fixed(j, key, v, LES__MM_DP);
}

static void les__point(les_json *j, const char *key, sim_vec3 p)
{
    les_json_key(j, key);
    les_json_begin_array(j);
    les_json_fixed(j, p.x, LES__MM_DP);
    les_json_fixed(j, p.y, LES__MM_DP);
    les_json_fixed(j, p.z, LES__MM_DP);
    les_json_end_array(j);
}

/* "passed", "weight" (and "applicable" where a metric may not apply). */
static void les__view(les_json *j, const les_grade *g, const les_lesson *l, les_metric m,
                      bool with_applicable)
{
    les_metric_view v = les_grade_metric(g, l, m);
    if (with_applicable)
        les_json_kv_bool(j, "applicable", v.applicable);
    les_json_kv_bool(j, "passed", v.passed);
    les_json_kv_fixed(j, "weight", v.weight, LES__SCORE_DP);
    les_json_kv_fixed(j, "threshold", l->rubric.threshold[m], LES__SCORE_DP);
}

static void les__parts(les_json *j, const double *part, const char *const *names, size_t n)
{
    les_json_key(j, "parts");
    les_json_begin_object(j);
    for (size_t i = 0; i < n; i++)
        les_json_kv_fixed(j, names[i], part[i], LES__SCORE_DP);
    les_json_end_object(j);
}

static void les__json_depth_density(les_json *j, const les_grade *g, const les_lesson *l)
{
    les_json_key(j, "depth");
    les_json_begin_object(j);
    les_json_kv_fixed(j, "score", g->depth.score, LES__SCORE_DP);
    les_json_kv_uint(j, "in_band", g->depth.in_band);
    les_json_kv_uint(j, "too_shallow", g->depth.too_shallow);
    les_json_kv_uint(j, "too_deep", g->depth.too_deep);
    les__view(j, g, l, LES_METRIC_DEPTH, false);
    les__kv_mm(j, "mean_mm", g->depth.mean_mm);
    les__kv_mm(j, "spread_mm", g->depth.spread_mm);
    les__kv_mm(j, "shallowest_mm", g->depth.shallowest_mm);
    les__kv_mm(j, "deepest_mm", g->depth.deepest_mm);
    les_json_end_object(j);
    les_json_key(j, "density");
    les_json_begin_object(j);
    les_json_kv_fixed(j, "score", g->density.score, LES__SCORE_DP);
    les_json_kv_fixed(j, "per_cm2", g->density.per_cm2, LES__DENSITY_DP);
    les_json_kv_fixed(j, "target_per_cm2", g->density.target_per_cm2, LES__DENSITY_DP);
    les__view(j, g, l, LES_METRIC_DENSITY, false);
    les_json_kv_fixed(j, "tolerance", l->rubric.density_tolerance, LES__INDEX_DP);
    les_json_end_object(j);
}

static void les__json_spacing(les_json *j, const les_grade *g, const les_lesson *l)
{
    static const char *const parts[LES_SP_PARTS] = {
        "clark_evans", "nn_cv", "orientational_order", "clumping", "overlaps", "gap"};
    const les_spacing_metric *s = &g->spacing;
    les_json_key(j, "spacing");
    les_json_begin_object(j);
    les_json_kv_fixed(j, "score", s->score, LES__SCORE_DP);
    les_json_kv_fixed(j, "clark_evans", s->clark_evans, LES__INDEX_DP);
    les_json_kv_fixed(j, "clark_evans_donnelly", s->clark_evans_donnelly, LES__INDEX_DP);
    les__kv_mm(j, "nn_mean_mm", s->nn_mean_mm);
    les_json_kv_fixed(j, "nn_cv", s->nn_cv, LES__INDEX_DP);
    les_json_kv_uint(j, "overlaps", s->overlaps);
    les__kv_mm(j, "largest_gap_mm", s->largest_gap_mm);
    les_json_kv_fixed(j, "orientational_order", s->orientational_order, LES__INDEX_DP);
    les__view(j, g, l, LES_METRIC_SPACING, true);
    les_json_kv_uint(j, "dots", s->dots);
    les__kv_mm(j, "spacing_mm", s->spacing_mm);
    les_json_kv_int(j, "order_fold", s->order_fold);
    les_json_kv_fixed(j, "clumping", s->clumping, LES__INDEX_DP);
    les__kv_mm(j, "clumping_r_mm", s->clumping_r_mm);
    les__point(j, "gap_centre_mm", s->gap_mm);
    les__parts(j, s->part, parts, LES_SP_PARTS);
    les_json_end_object(j);
}

static void les__json_hairline(les_json *j, const les_grade *g, const les_lesson *l)
{
    static const char *const parts[LES_HL_PARTS] = {
        "deviation", "max_deviation", "symmetry", "softness", "irregularity", "temples"};
    const les_hairline_metric *h = &g->hairline;
    les_json_key(j, "hairline");
    les_json_begin_object(j);
    les_json_kv_fixed(j, "score", h->score, LES__SCORE_DP);
    les__kv_mm(j, "mean_deviation_mm", h->mean_deviation_mm);
    les__kv_mm(j, "max_deviation_mm", h->max_deviation_mm);
    les__kv_mm(j, "symmetry_mm", h->symmetry_mm);
    les__kv_mm(j, "softness_mm", h->softness_mm);
    les__kv_mm(j, "irregularity_mm", h->irregularity_mm);
    les__view(j, g, l, LES_METRIC_HAIRLINE, true);
    les__kv_mm(j, "offset_mm", h->offset_mm);
    les__kv_mm(j, "left_offset_mm", h->left_offset_mm);
    les__kv_mm(j, "right_offset_mm", h->right_offset_mm);
    les_json_kv_fixed(j, "plateau_per_cm2", h->plateau_per_cm2, LES__DENSITY_DP);
    les_json_kv_uint(j, "dots", h->dots);
    les_json_kv_uint(j, "strays", h->strays);
    les__kv_mm(j, "bin_mm", h->bin_mm);
    les_json_key(j, "temple_mm");
    les_json_begin_array(j);
    for (size_t t = 0; t < h->temple_count; t++)
        les_json_fixed(j, h->temple_mm[t], LES__MM_DP);
    les_json_end_array(j);
    les__parts(j, h->part, parts, LES_HL_PARTS);
    les_json_key(j, "edge_chart_mm");
    les_json_begin_array(j);
    for (size_t k = 0; k < h->edge_count; k++) {
        les_json_begin_array(j);
        les_json_fixed(j, h->edge_chart_mm[k].x, LES__MM_DP);
        les_json_fixed(j, h->edge_chart_mm[k].y, LES__MM_DP);
        les_json_end_array(j);
    }
    les_json_end_array(j);
    les_json_end_object(j);
}

static void les__json_technique_safety(les_json *j, const les_grade *g, const les_lesson *l)
{
    static const char *const parts[LES_TQ_PARTS] = {"angle", "dwell", "drag", "pace", "session"};
    const les_technique_metric *t = &g->technique;
    les_json_key(j, "technique");
    les_json_begin_object(j);
    les_json_kv_fixed(j, "score", t->score, LES__SCORE_DP);
    les__view(j, g, l, LES_METRIC_TECHNIQUE, true);
    les_json_kv_fixed(j, "angle_mean_deg", t->angle_mean_deg, LES__INDEX_DP);
    les_json_kv_uint(j, "angle_out", t->angle_out);
    les_json_kv_fixed(j, "dwell_mean_s", t->dwell_mean_s, LES__INDEX_DP);
    les_json_kv_uint(j, "dwell_short", t->dwell_short);
    les_json_kv_uint(j, "dwell_long", t->dwell_long);
    les__kv_mm(j, "drag_mean_mm", t->drag_mean_mm);
    les__kv_mm(j, "drag_max_mm", t->drag_max_mm);
    les_json_kv_uint(j, "drag_out", t->drag_out);
    les_json_kv_fixed(j, "pace_per_min", t->pace_per_min, LES__SCORE_DP);
    les_json_kv_fixed(j, "session_s", t->session_s, LES__INDEX_DP);
    les__parts(j, t->part, parts, LES_TQ_PARTS);
    les_json_end_object(j);
    les_json_key(j, "safety");
    les_json_begin_object(j);
    les_json_kv_fixed(j, "score", g->safety.score, LES__SCORE_DP);
    les_json_kv_uint(j, "violations", g->safety.violations);
    les__view(j, g, l, LES_METRIC_SAFETY, false);
    les_json_kv_bool(j, "contraindicated", g->safety.contraindicated);
    les_json_end_object(j);
}

static void les__json_metrics(les_json *j, const les_grade *g, const les_lesson *l)
{
    les_json_key(j, "metrics");
    les_json_begin_object(j);
    les__json_depth_density(j, g, l);
    les__json_spacing(j, g, l);
    les__json_hairline(j, g, l);
    les__json_technique_safety(j, g, l);
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
        les_json_kv_string(j, "kind", zg->forbidden ? "forbidden" : "work");
        les__kv_mm(j, "depth_mean_mm", zg->depth_mean_mm);
        les__kv_mm(j, "depth_sd_mm", zg->depth_sd_mm);
        les_json_kv_fixed(j, "density_score", zg->forbidden ? NAN : zg->density_score,
                          LES__SCORE_DP);
        les__kv_mm(j, "nn_mean_mm", zg->nn_mean_mm);
        les_json_kv_fixed(j, "clark_evans", zg->clark_evans, LES__INDEX_DP);
        les_json_kv_fixed(j, "clark_evans_donnelly", zg->clark_evans_donnelly, LES__INDEX_DP);
        les_json_end_object(j);
    }
    les_json_end_array(j);
}

static void les__json_feedback(les_json *j, const les_grade *g)
{
    les_json_key(j, "feedback");
    les_json_begin_array(j);
    for (size_t i = 0; i < g->feedback.count; i++) {
        const les_feedback_item *it = &g->feedback.items[i];
        les_json_begin_object(j);
        les_json_kv_string(j, "metric", les_metric_name(it->metric));
        les_json_kv_string(j, "severity", les_feedback_severity_name(it->severity));
        les_json_kv_string(j, "message", it->message);
        les__kv_mm(j, "x_mm", it->point_mm.x);
        les__kv_mm(j, "y_mm", it->point_mm.y);
        les__kv_mm(j, "z_mm", it->point_mm.z);
        les__kv_mm(j, "u_mm", it->chart_mm.x);
        les__kv_mm(j, "v_mm", it->chart_mm.y);
        les_json_end_object(j);
    }
    les_json_end_array(j);
}

static void les__json_map(les_json *j, const char *key, const double *v, size_t n, int dp)
{
    les_json_key(j, key);
    les_json_begin_array(j);
    for (size_t i = 0; i < n; i++)
        les_json_fixed(j, v[i], dp);
    les_json_end_array(j);
}

static void les__json_heatmaps(les_json *j, const les_grade *g)
{
    const les_heatmap *m = &g->heatmap;
    size_t n = m->cols * m->rows;
    les_json_key(j, "heatmaps");
    les_json_begin_object(j);
    les_json_key(j, "origin_mm");
    les_json_begin_array(j);
    les_json_fixed(j, m->origin_mm.x, LES__MM_DP);
    les_json_fixed(j, m->origin_mm.y, LES__MM_DP);
    les_json_end_array(j);
    les__kv_mm(j, "cell_mm", m->cell_mm);
    les_json_kv_uint(j, "cols", m->cols);
    les_json_kv_uint(j, "rows", m->rows);
    les__json_map(j, "density_per_cm2", m->density_per_cm2, n, LES__DENSITY_DP);
    les__json_map(j, "target_per_cm2", m->target_per_cm2, n, LES__DENSITY_DP);
    les__json_map(j, "depth_error_mm", m->depth_error_mm, n, LES__MM_DP);
    les_json_end_object(j);
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
    les__json_metrics(j, grade, lesson);
    les__json_zones(j, grade, lesson);
    les_json_kv_int(j, "grader_version", LES_GRADER_VERSION);
    les_json_kv_fixed(j, "pass_mark", lesson->rubric.pass_mark, LES__SCORE_DP);
    les_json_key(j, "failed_must_pass");
    les_json_begin_array(j);
    for (int m = 0; m < LES_METRIC_COUNT; m++)
        if (grade->failed_must_pass & (1u << m))
            les_json_string(j, les_metric_name((les_metric)m));
    les_json_end_array(j);
    les__json_feedback(j, grade);
    les__json_heatmaps(j, grade);
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
