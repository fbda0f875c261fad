/* les_grade.c: the grader's driver (les_grade.h): checks the input, puts
 * each impression in its zone, grades depth and density per zone, runs
 * the other metrics (spacing, hairline, technique, safety), the heatmap and
 * the feedback, and weighs the total.
 *
 * Purity: a function of (lesson, surface, impressions) only; impressions
 * are visited in array order and zones in lesson order, so the sums, and
 * the JSON bytes, are the same on every run.
 *
 * Threads: reentrant.
 */
#include "les_grade_internal.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Checks and zones                                                         */
/* ------------------------------------------------------------------------ */

static const char *les__kind_name(sim_surface_kind k)
{
    return k == SIM_SURFACE_PAD ? "a pad" : k == SIM_SURFACE_HEAD ? "a head" : "no surface";
}

static bool les__finite3(sim_vec3 v) { return isfinite(v.x) && isfinite(v.y) && isfinite(v.z); }

static les_result les__grade_check(const les_lesson *lesson, const sim_surface *surface,
                                   const sim_impression *imps, size_t count, sim_error *err)
{
    if (surface->kind != lesson->surface.kind)
        return (les_result)sim_error_set(err, LES_ERR_ARG, NULL, 0, 0,
                                         "the lesson is for %s but the surface is %s",
                                         les__kind_name(lesson->surface.kind),
                                         les__kind_name(surface->kind));
    if (count >= UINT32_MAX)
        return (les_result)sim_error_set(err, LES_ERR_ARG, NULL, 0, 0,
                                         "too many impressions (%zu)", count);
    for (size_t i = 0; i < count; i++) {
        const sim_impression *m = &imps[i];
        if (!isfinite(m->chart_mm.x) || !isfinite(m->chart_mm.y) || !isfinite(m->depth_mm) ||
            !les__finite3(m->surface_mm))
            return (les_result)sim_error_set(err, LES_ERR_ARG, NULL, 0, 0,
                                             "impression %zu has a non-finite position "
                                             "or depth", i + 1);
    }
    return LES_OK;
}

double les__depth_error(double depth_mm, double lo_mm, double hi_mm)
{
    return depth_mm > hi_mm ? depth_mm - hi_mm : depth_mm < lo_mm ? depth_mm - lo_mm : 0.0;
}

/* Chart bounding boxes of the zones: x0, y0, x1, y1 each. */
static double *les__zone_boxes(const les_lesson *l)
{
    double *box = sim_malloc((l->zone_count ? l->zone_count : 1) * 4 * sizeof *box);
    for (size_t z = 0; box && z < l->zone_count; z++)
        les__zone_box(l, z, box + 4 * z);
    return box;
}

/* The first work zone and the first forbidden zone holding uv (-1: none). */
static void les__zones_of(const les_lesson *l, const double *box, sim_vec2 uv, int32_t *work,
                          int32_t *forbidden)
{
    *work = *forbidden = -1;
    for (size_t z = 0; z < l->zone_count && (*work < 0 || *forbidden < 0); z++) {
        const les_zone *zn = &l->zones[z];
        const double *b = box + 4 * z;
        int32_t *slot = zn->kind == LES_ZONE_FORBIDDEN ? forbidden : work;
        if (*slot >= 0 || uv.x < b[0] || uv.y < b[1] || uv.x > b[2] || uv.y > b[3])
            continue;
        if (sim_polygon_contains(zn->polygon, zn->polygon_count, uv))
            *slot = (int32_t)z;
    }
}

static les_result les__assign_zones(les__gctx *c)
{
    const les_lesson *l = c->lesson;
    c->zone_box = les__zone_boxes(l);
    if (!c->zone_box)
        return LES_ERR_NOMEM;
    for (size_t i = 0; i < c->n; i++) {
        sim_vec2 uv = c->imps[i].chart_mm;
        les__zones_of(l, c->zone_box, uv, &c->zone[i], &c->forbidden[i]);
        c->g->outside += c->zone[i] < 0 && c->forbidden[i] < 0;
    }
    return LES_OK;
}

/* ------------------------------------------------------------------------ */
/* Depth and density                                                        */
/* ------------------------------------------------------------------------ */

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

/* Per-zone counts, means and spreads; the depth metric's extremes. */
static les_result les__grade_depths(les__gctx *c)
{
    les_grade *g = c->g;
    double *sum = sim_calloc(g->zone_count ? g->zone_count : 1, 2 * sizeof *sum);
    if (!sum)
        return LES_ERR_NOMEM;
    double all = 0.0, all2 = 0.0;
    size_t in = 0;
    g->depth.shallowest_mm = g->depth.deepest_mm = NAN;
    for (size_t i = 0; i < c->n; i++) {
        int32_t f = c->forbidden[i], z = c->zone[i];
        if (f >= 0)
            g->zones[f].impressions++;
        if (z < 0)
            continue;
        double d = c->imps[i].depth_mm;
        les__grade_zone(&g->zones[z], &c->lesson->zones[z], d);
        all += d;
        in++;
        g->depth.shallowest_mm = in == 1 ? d : fmin(g->depth.shallowest_mm, d);
        g->depth.deepest_mm = in == 1 ? d : fmax(g->depth.deepest_mm, d);
        sum[2 * z] += d;
    }
    g->depth.mean_mm = in ? all / (double)in : NAN;
    for (size_t i = 0; i < c->n; i++) {
        int32_t z = c->zone[i];
        if (z < 0)
            continue;
        double d = c->imps[i].depth_mm, dz = d - sum[2 * z] / (double)g->zones[z].impressions;
        all2 += (d - g->depth.mean_mm) * (d - g->depth.mean_mm);
        sum[2 * z + 1] += dz * dz;
    }
    g->depth.spread_mm = in ? sqrt(all2 / (double)in) : NAN;
    for (size_t z = 0; z < g->zone_count; z++) {
        size_t k = g->zones[z].impressions;
        bool work = !g->zones[z].forbidden && k;
        g->zones[z].depth_mean_mm = work ? sum[2 * z] / (double)k : NAN;
        g->zones[z].depth_sd_mm = work ? sqrt(sum[2 * z + 1] / (double)k) : NAN;
    }
    sim_free(sum);
    return LES_OK;
}

static double les__density_score(double per_cm2, double target_per_cm2, double tolerance)
{
    if (!(target_per_cm2 > 0.0) || !(tolerance > 0.0))
        return 0.0;
    double off = fabs(per_cm2 / target_per_cm2 - 1.0) / tolerance;
    return off >= 1.0 ? 0.0 : 100.0 * (1.0 - off);
}

/* Sums the work zones into the depth and density metrics. */
static void les__depth_density(les_grade *g, const les_lesson *lesson)
{
    size_t in_zones = 0;
    double area_cm2 = 0.0, target_sum = 0.0, tol = lesson->rubric.density_tolerance;
    for (size_t i = 0; i < g->zone_count; i++) {
        les_zone_grade *zg = &g->zones[i];
        if (zg->forbidden)
            continue;
        in_zones += zg->impressions;
        g->depth.in_band += zg->in_band;
        g->depth.too_shallow += zg->too_shallow;
        g->depth.too_deep += zg->too_deep;
        area_cm2 += zg->area_cm2;
        target_sum += lesson->zones[i].density_per_cm2 * zg->area_cm2;
        zg->density_score = les__density_score(zg->per_cm2, lesson->zones[i].density_per_cm2,
                                               tol);
    }
    g->depth.score = in_zones ? 100.0 * (double)g->depth.in_band / (double)in_zones : 0.0;
    if (area_cm2 > 0.0) {
        g->density.per_cm2 = (double)in_zones / area_cm2;
        g->density.target_per_cm2 = target_sum / area_cm2;
    }
    g->density.score = les__density_score(g->density.per_cm2, g->density.target_per_cm2, tol);
}

/* ------------------------------------------------------------------------ */
/* Totals                                                                   */
/* ------------------------------------------------------------------------ */

les_metric_view les_grade_metric(const les_grade *g, const les_lesson *lesson, les_metric m)
{
    les_metric_view v = {NAN, false, false, les_rubric_weight(&lesson->rubric, m)};
    switch (m) {
    case LES_METRIC_DEPTH: v.score = g->depth.score, v.applicable = true; break;
    case LES_METRIC_DENSITY: v.score = g->density.score, v.applicable = true; break;
    case LES_METRIC_SPACING:
        v.score = g->spacing.score, v.applicable = g->spacing.applicable;
        break;
    case LES_METRIC_HAIRLINE:
        v.score = g->hairline.score, v.applicable = g->hairline.applicable;
        break;
    case LES_METRIC_TECHNIQUE:
        v.score = g->technique.score, v.applicable = g->technique.applicable;
        break;
    case LES_METRIC_SAFETY: v.score = g->safety.score, v.applicable = true; break;
    default: break;
    }
    v.applicable = v.applicable && !isnan(v.score);
    v.passed = !v.applicable || v.score >= lesson->rubric.threshold[m];
    return v;
}

static void les__grade_totals(les_grade *g, const les_lesson *lesson)
{
    const les_rubric *r = &lesson->rubric;
    double sum = 0.0, weights = 0.0;
    bool *passed[LES_METRIC_COUNT] = {&g->depth.passed, &g->density.passed,
                                      &g->spacing.passed, &g->hairline.passed,
                                      &g->technique.passed, &g->safety.passed};
    for (int m = 0; m < LES_METRIC_COUNT; m++) {
        les_metric_view v = les_grade_metric(g, lesson, (les_metric)m);
        *passed[m] = v.passed;
        if (!v.passed && (r->must_pass & (1u << m)))
            g->failed_must_pass |= 1u << m;
        if (v.applicable && v.weight > 0.0) {
            sum += v.weight * v.score;
            weights += v.weight;
        }
    }
    g->score = weights > 0.0 ? sum / weights : 0.0;
    g->passed = g->score >= r->pass_mark && !g->failed_must_pass;
    if (g->safety.contraindicated) {
        /* refusing is the right answer: only an untouched client passes */
        bool refused = g->impressions == 0;
        g->score = refused ? 100.0 : 0.0;
        g->passed = refused;
        if (!refused)
            g->failed_must_pass |= 1u << LES_METRIC_SAFETY;
    }
}

/* ------------------------------------------------------------------------ */
/* Run                                                                      */
/* ------------------------------------------------------------------------ */

static les_result les__ctx_alloc(les__gctx *c)
{
    size_t n = c->n ? c->n : 1;
    c->zone = sim_malloc(n * sizeof *c->zone);
    c->forbidden = sim_malloc(n * sizeof *c->forbidden);
    c->stray = sim_calloc(n, sizeof *c->stray);
    c->overlap = sim_calloc(n, sizeof *c->overlap);
    c->healed_mm = sim_calloc(n, sizeof *c->healed_mm);
    c->nbr = sim_malloc(n * LES__NN_K * sizeof *c->nbr);
    c->nn_mm = sim_malloc(n * LES__NN_K * sizeof *c->nn_mm);
    c->g->zones = sim_calloc(c->lesson->zone_count ? c->lesson->zone_count : 1,
                             sizeof *c->g->zones);
    bool ok = c->zone && c->forbidden && c->stray && c->overlap && c->healed_mm && c->nbr &&
              c->nn_mm && c->g->zones;
    return ok ? LES_OK : LES_ERR_NOMEM;
}

static void les__ctx_free(les__gctx *c)
{
    sim_free(c->zone);
    sim_free(c->forbidden);
    sim_free(c->stray);
    sim_free(c->overlap);
    sim_free(c->healed_mm);
    sim_free(c->nbr);
    sim_free(c->nn_mm);
    sim_free(c->zone_box);
    les_spatial_deinit(&c->index);
}

static void les__zone_areas(les__gctx *c)
{
    les_grade *g = c->g;
    g->zone_count = c->lesson->zone_count;
    for (size_t i = 0; i < c->lesson->zone_count; i++) {
        const les_zone *z = &c->lesson->zones[i];
        les_zone_grade *zg = &g->zones[i];
        zg->forbidden = z->kind == LES_ZONE_FORBIDDEN;
        zg->area_cm2 = sim_surface_area_in_polygon(c->surface, z->polygon, z->polygon_count) /
                       100.0;
        zg->nn_mean_mm = zg->clark_evans = zg->clark_evans_donnelly = NAN;
    }
}

static les_result les__hairline(les__gctx *c)
{
    const les_lesson *l = c->lesson;
    if (!l->hairline || l->hairline_count < 2) {
        les_hairline_metric_deinit(&c->g->hairline);
        return LES_OK;
    }
    les_hairline_desc d = {
        .surface = c->surface, .target = l->hairline, .target_count = l->hairline_count,
        .temples = l->temple_points, .temple_count = l->temple_point_count,
        .rubric = &l->rubric.hairline, .stray = c->stray};
    return les_hairline_measure(&d, c->imps, c->n, &c->g->hairline, NULL);
}

static les_result les__grade_all(les__gctx *c)
{
    les_result r = les__ctx_alloc(c);
    if (r != LES_OK)
        return r;
    les__zone_areas(c);
    c->g->impressions = c->n;
    r = les__assign_zones(c);
    if (r == LES_OK)
        r = les__grade_depths(c);
    if (r != LES_OK)
        return r;
    for (size_t i = 0; i < c->g->zone_count; i++) {
        les_zone_grade *zg = &c->g->zones[i];
        zg->per_cm2 = zg->area_cm2 > 0.0 ? (double)zg->impressions / zg->area_cm2 : 0.0;
    }
    les__depth_density(c->g, c->lesson);
    r = les__grade_spacing(c);
    if (r == LES_OK)
        r = les__hairline(c);
    if (r == LES_OK)
        r = les_heatmap_build(&c->g->heatmap, c->lesson, c->surface, c->imps, c->zone, c->n,
                              c->lesson->rubric.heatmap_cell_mm);
    if (r != LES_OK)
        return r;
    les__grade_technique(c);
    les__grade_safety(c);
    les__grade_totals(c->g, c->lesson);
    les__feedback_build(c);
    return c->g->feedback.nomem ? LES_ERR_NOMEM : LES_OK;
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
    les__gctx c;
    memset(&c, 0, sizeof c);
    c.lesson = lesson;
    c.surface = surface;
    c.imps = imps;
    c.n = count;
    c.g = grade;
    les_feedback_init(&grade->feedback);
    r = les__grade_all(&c);
    les__ctx_free(&c);
    if (r != LES_OK) {
        les_grade_deinit(grade);
        return (les_result)sim_error_set(err, r, NULL, 0, 0, "out of memory");
    }
    return LES_OK;
}

void les_grade_deinit(les_grade *grade)
{
    if (!grade)
        return;
    sim_free(grade->zones);
    les_hairline_metric_deinit(&grade->hairline);
    les_feedback_deinit(&grade->feedback);
    les_heatmap_deinit(&grade->heatmap);
    memset(grade, 0, sizeof *grade);
}
