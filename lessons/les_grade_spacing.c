/* les_grade_spacing.c: the spacing metric (les_grade.h): one spatial index
 * over every impression, the 6 nearest neighbours of each, then per work
 * zone and overall: nearest-neighbour mean and CV, Clark-Evans (naive and
 * Donnelly), overlaps of healed dots, strays (for the hairline), the
 * bond-orientational order on a chart grid, Besag's L across scales, and
 * the largest empty circle. docs/grading.md has the formulas.
 *
 * Purity: sums run in impression order; ties go to the lower index.
 * Threads: reentrant.
 */
#include "les_grade_internal.h"

#include <math.h>
#include <string.h>

#include "sim_heal.h"

/* Cells of the index, in observed spacings. */
#define LES__INDEX_CELL 1.6
/* A dot whose 2nd nearest neighbour is this many spacings away is a stray. */
#define LES__STRAY_SPACINGS 4.0
/* Order regions: squares of this many spacings; regions with fewer dots
 * do not count. */
#define LES__ORDER_CELL 8.0
#define LES__ORDER_MIN_DOTS 16
#define LES__ORDER_MAX_CELLS 16384
/* Above this many dots every (dots / this + 1)-th is sampled for order. */
#define LES__ORDER_SAMPLE 40000
/* Ripley: radii in spacings; at most this many reference dots per zone. */
static const double les__ripley_r[] = {0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0};
#define LES__RIPLEY_N (sizeof les__ripley_r / sizeof les__ripley_r[0])
#define LES__RIPLEY_REFS 2048
/* Largest empty circle: chart grid candidates (over all zones) and the
 * number refined by pattern search. */
#define LES__GAP_CANDIDATES 2048
#define LES__GAP_REFINE 8
#define LES__GAP_HALVINGS 6

static bool les__in_work(const les__gctx *c, size_t i) { return c->zone[i] >= 0; }

/* A work zone with enough dots and skin for nearest-neighbour statistics. */
static bool les__zone_measured(const les_zone_grade *zg)
{
    return !zg->forbidden && zg->impressions >= 2 && zg->area_cm2 > 0;
}

/* Skin length of a closed chart polygon (edges subdivided every 2 chart
 * mm on a head). */
static double les__skin_perimeter(const sim_surface *s, const sim_vec2 *poly, size_t n)
{
    double len = 0.0;
    for (size_t i = 0; i < n; i++) {
        sim_vec2 a = poly[i], b = poly[(i + 1) % n];
        double chart = sim_v2_len(sim_v2_sub(b, a));
        if (s->kind == SIM_SURFACE_PAD) {
            len += chart;
            continue;
        }
        size_t parts = (size_t)ceil(chart / 2.0);
        sim_surface_hit h0, h1;
        bool ok = sim_surface_from_chart(s, a, &h0);
        for (size_t k = 1; k <= parts; k++) {
            double t = (double)k / (double)parts;
            bool ok1 = sim_surface_from_chart(s, sim_v2(a.x + t * (b.x - a.x),
                                                        a.y + t * (b.y - a.y)), &h1);
            len += ok && ok1 ? sim_v3_len(sim_v3_sub(h1.point_mm, h0.point_mm))
                             : chart / (double)parts;
            h0 = h1, ok = ok1;
        }
    }
    return len;
}

/* ------------------------------------------------------------------------ */
/* Index, neighbours, overlaps, strays                                      */
/* ------------------------------------------------------------------------ */

static les_result les__neighbours(les__gctx *c, double spacing_mm)
{
    sim_vec3 *pts = sim_malloc((c->n ? c->n : 1) * sizeof *pts);
    if (!pts)
        return LES_ERR_NOMEM;
    for (size_t i = 0; i < c->n; i++)
        pts[i] = c->imps[i].surface_mm;
    double cell = isfinite(spacing_mm) ? LES__INDEX_CELL * spacing_mm : 0.0;
    les_result r = les_spatial_build(&c->index, pts, c->n, cell, NULL);
    sim_free(pts);
    if (r != LES_OK)
        return r;
    les_spatial_knn_all(&c->index, LES__NN_K, c->nbr, c->nn_mm);
    /* healed sizes on the lesson's tissue (a map allocates nothing; a
     * parsed lesson's tissue is valid, else the reference scalp) */
    sim_tissue tissue;
    if (sim_tissue_init(&tissue, &c->lesson->tissue, c->surface->kind, NULL) != SIM_OK)
        sim_tissue_init_default(&tissue, c->surface->kind);
    sim_heal_params heal = {.tissue = &tissue};
    for (size_t i = 0; i < c->n; i++) {
        sim_healed_dot dot;
        sim_heal_one(&c->imps[i], &heal, &dot);
        c->healed_mm[i] = dot.diameter_mm;
    }
    for (size_t i = 0; i < c->n; i++) {
        const uint32_t *nb = c->nbr + i * LES__NN_K;
        const double *d = c->nn_mm + i * LES__NN_K;
        c->stray[i] = isfinite(spacing_mm) && d[1] > LES__STRAY_SPACINGS * spacing_mm;
        for (size_t j = 0; j < LES__NN_K && nb[j] != LES_SPATIAL_NONE; j++)
            if (d[j] < 0.5 * (c->healed_mm[i] + c->healed_mm[nb[j]]))
                c->overlap[i] = 1;
    }
    return LES_OK;
}

/* ------------------------------------------------------------------------ */
/* Nearest-neighbour statistics                                             */
/* ------------------------------------------------------------------------ */

static void les__nn_stats(les__gctx *c, les_spacing_metric *sp)
{
    les_grade *g = c->g;
    size_t zones = g->zone_count;
    double sum = 0, sum2 = 0, expected = 0, expected_d = 0, densest = INFINITY;
    size_t dots = 0;
    for (size_t z = 0; z < zones; z++) {
        les_zone_grade *zg = &g->zones[z];
        if (!les__zone_measured(zg))
            continue;
        double zsum = 0;
        for (size_t i = 0; i < c->n; i++)
            if (c->zone[i] == (int32_t)z)
                zsum += c->nn_mm[i * LES__NN_K];
        const les_zone *zn = &c->lesson->zones[z];
        double area = 100.0 * zg->area_cm2, k = (double)zg->impressions;
        double perimeter = les__skin_perimeter(c->surface, zn->polygon, zn->polygon_count);
        zg->nn_mean_mm = zsum / k;
        zg->clark_evans = les_clark_evans(zg->nn_mean_mm, zg->impressions, area);
        zg->clark_evans_donnelly =
            les_clark_evans_donnelly(zg->nn_mean_mm, zg->impressions, area, perimeter);
        /* R(1 mm) = 1 / expected mean NN distance */
        expected += k / les_clark_evans(1.0, zg->impressions, area);
        expected_d += k / les_clark_evans_donnelly(1.0, zg->impressions, area, perimeter);
    }
    for (size_t i = 0; i < c->n; i++) {
        if (!les__in_work(c, i) || !les__zone_measured(&g->zones[c->zone[i]]))
            continue;
        double d = c->nn_mm[i * LES__NN_K], mean6 = 0;
        sum += d;
        sum2 += d * d;
        dots++;
        sp->overlaps += c->overlap[i];
        for (size_t j = 0; j < LES__NN_K; j++)
            mean6 += c->nn_mm[i * LES__NN_K + j];
        if (mean6 < densest) {
            densest = mean6;
            sp->densest_mm = c->imps[i].surface_mm;
            sp->densest_chart_mm = c->imps[i].chart_mm;
        }
    }
    if (dots < 2)
        return;
    sp->nn_mean_mm = sum / (double)dots;
    double var = fmax(0.0, sum2 / (double)dots - sp->nn_mean_mm * sp->nn_mean_mm);
    sp->nn_cv = sp->nn_mean_mm > 0 ? sqrt(var) / sp->nn_mean_mm : NAN;
    sp->clark_evans = expected > 0 ? sum / expected : NAN;
    sp->clark_evans_donnelly = expected_d > 0 ? sum / expected_d : NAN;
}

/* ------------------------------------------------------------------------ */
/* Orientational order                                                      */
/* ------------------------------------------------------------------------ */

typedef struct les__grid2 {
    sim_vec2 lo;
    double cell;
    size_t cols, rows;
} les__grid2;

static void les__grid_fit(les__grid2 *gr, const les__gctx *c, double cell, size_t max_cells)
{
    bool first = true;
    sim_vec2 lo = {0, 0}, hi = {0, 0};
    for (size_t i = 0; i < c->n; i++) {
        if (!les__in_work(c, i))
            continue;
        sim_vec2 p = c->imps[i].chart_mm;
        lo = first ? p : sim_v2(fmin(lo.x, p.x), fmin(lo.y, p.y));
        hi = first ? p : sim_v2(fmax(hi.x, p.x), fmax(hi.y, p.y));
        first = false;
    }
    gr->lo = lo;
    gr->cell = cell;
    for (;;) {
        gr->cols = (size_t)floor((hi.x - lo.x) / gr->cell) + 1;
        gr->rows = (size_t)floor((hi.y - lo.y) / gr->cell) + 1;
        if (gr->cols * gr->rows <= max_cells)
            return;
        gr->cell *= 2.0;
    }
}

static size_t les__grid_cell(const les__grid2 *gr, sim_vec2 p)
{
    size_t x = (size_t)floor((p.x - gr->lo.x) / gr->cell);
    size_t y = (size_t)floor((p.y - gr->lo.y) / gr->cell);
    return (y < gr->rows ? y : gr->rows - 1) * gr->cols + (x < gr->cols ? x : gr->cols - 1);
}

static les_result les__order(les__gctx *c, les_spacing_metric *sp)
{
    les__grid2 gr;
    les__grid_fit(&gr, c, LES__ORDER_CELL * sp->spacing_mm, LES__ORDER_MAX_CELLS);
    size_t cells = gr.cols * gr.rows;
    les_order_acc *acc = sim_calloc(cells + 1, sizeof *acc);
    if (!acc)
        return LES_ERR_NOMEM;
    les_order_acc *all = &acc[cells];
    size_t stride = 1 + sp->dots / LES__ORDER_SAMPLE, seen = 0;
    for (size_t i = 0; i < c->n; i++) {
        const uint32_t *nb = c->nbr + i * LES__NN_K;
        if (!les__in_work(c, i) || nb[LES__NN_K - 1] == LES_SPATIAL_NONE || seen++ % stride)
            continue;
        sim_vec2 bond[LES__NN_K];
        for (size_t j = 0; j < LES__NN_K; j++)
            bond[j] = sim_v2_sub(c->imps[nb[j]].chart_mm, c->imps[i].chart_mm);
        les_order_add(&acc[les__grid_cell(&gr, c->imps[i].chart_mm)], bond, LES__NN_K);
    }
    for (size_t k = 0; k < cells; k++) {
        for (int f = 0; f < 3; f++) {
            all->re[f] += acc[k].re[f];
            all->im[f] += acc[k].im[f];
        }
        all->count += acc[k].count;
    }
    double sum = 0, worst = -1;
    size_t counted = 0;
    for (size_t k = 0; k < cells; k++) {
        int fold;
        if (acc[k].count < LES__ORDER_MIN_DOTS)
            continue;
        double v = les_order_value(&acc[k], &fold);
        sum += v * (double)acc[k].count;
        counted += acc[k].count;
        if (v > worst) {
            worst = v;
            sp->order_fold = fold;
            sp->order_chart_mm = sim_v2(gr.lo.x + ((double)(k % gr.cols) + 0.5) * gr.cell,
                                        gr.lo.y + ((double)(k / gr.cols) + 0.5) * gr.cell);
        }
    }
    if (counted) {
        sp->orientational_order = sum / (double)counted;
    } else if (all->count >= LES__ORDER_MIN_DOTS) {
        sp->orientational_order = les_order_value(all, &sp->order_fold);
        sp->order_chart_mm = sp->densest_chart_mm;
    }
    sim_free(acc);
    return LES_OK;
}

/* ------------------------------------------------------------------------ */
/* Clumping: Besag's L with border correction                               */
/* ------------------------------------------------------------------------ */

/* max_j (L(r_j) - r_j) / spacing for zone z, or NaN; *at gets that r. */
static double les__zone_clumping(const les__gctx *c, size_t z, double *at)
{
    const les_zone_grade *zg = &c->g->zones[z];
    const les_zone *zn = &c->lesson->zones[z];
    double lambda = (double)zg->impressions / (100.0 * zg->area_cm2);
    double s = 1.0 / sqrt(lambda), r[LES__RIPLEY_N];
    /* a chart mm can be up to ~1/1.5 skin mm on the head's sides */
    double chart_per_skin = c->surface->kind == SIM_SURFACE_PAD ? 1.0 : 1.5;
    for (size_t j = 0; j < LES__RIPLEY_N; j++)
        r[j] = les__ripley_r[j] * s;
    uint64_t pairs[LES__RIPLEY_N] = {0};
    size_t refs[LES__RIPLEY_N] = {0};
    size_t stride = zg->impressions / LES__RIPLEY_REFS + 1, seen = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->zone[i] != (int32_t)z || seen++ % stride)
            continue;
        double border = sim_polyline_distance(zn->polygon, zn->polygon_count, true,
                                              c->imps[i].chart_mm);
        uint64_t cnt[LES__RIPLEY_N] = {0};
        les_spatial_count_within(&c->index, c->imps[i].surface_mm, (uint32_t)i, r,
                                 LES__RIPLEY_N, cnt);
        for (size_t j = 0; j < LES__RIPLEY_N; j++) {
            if (border < r[j] * chart_per_skin)
                continue;
            refs[j]++;
            pairs[j] += cnt[j];
        }
    }
    double best = NAN;
    for (size_t j = 0; j < LES__RIPLEY_N; j++) {
        if (refs[j] < LES_SPACING_MIN_DOTS)
            continue;
        double v = (les_ripley_l(pairs[j], refs[j], lambda) - r[j]) / s;
        if (isnan(best) || v > best) {
            best = v;
            *at = r[j];
        }
    }
    return best;
}

static void les__clumping(const les__gctx *c, les_spacing_metric *sp)
{
    double sum = 0, worst = -INFINITY;
    size_t dots = 0;
    for (size_t z = 0; z < c->g->zone_count; z++) {
        const les_zone_grade *zg = &c->g->zones[z];
        if (zg->forbidden || zg->impressions < LES_SPACING_MIN_DOTS || !(zg->area_cm2 > 0))
            continue;
        double at = NAN, v = les__zone_clumping(c, z, &at);
        if (isnan(v))
            continue;
        sum += v * (double)zg->impressions;
        dots += zg->impressions;
        if (v > worst) {
            worst = v;
            sp->clumping_r_mm = at;
        }
    }
    sp->clumping = dots ? sum / (double)dots : NAN;
}

/* ------------------------------------------------------------------------ */
/* Largest empty circle                                                     */
/* ------------------------------------------------------------------------ */

typedef struct les__gap {
    double radius_mm;        /* distance to the nearest dot */
    sim_vec2 uv;
    sim_vec3 p;
    size_t order;            /* tie-break: the order it was found */
} les__gap;

/* Radius of the empty circle at chart point uv in zone z; false when uv is
 * outside the zone or off the surface. */
static bool les__gap_at(const les__gctx *c, size_t z, sim_vec2 uv, les__gap *out)
{
    const les_zone *zn = &c->lesson->zones[z];
    sim_surface_hit hit;
    if (!sim_polygon_contains(zn->polygon, zn->polygon_count, uv) ||
        !sim_surface_from_chart(c->surface, uv, &hit))
        return false;
    uint32_t id;
    double d;
    if (!les_spatial_knn(&c->index, hit.point_mm, LES_SPATIAL_NONE, 1, &id, &d))
        return false;
    out->radius_mm = d;
    out->uv = uv;
    out->p = hit.point_mm;
    return true;
}

static bool les__gap_better(const les__gap *a, const les__gap *b)
{
    return a->radius_mm > b->radius_mm ||
           (a->radius_mm == b->radius_mm && a->order < b->order);
}

/* Keeps the LES__GAP_REFINE best in top[], best first. */
static void les__gap_keep(les__gap *top, size_t *count, les__gap g)
{
    size_t n = *count;
    if (n == LES__GAP_REFINE && !les__gap_better(&g, &top[n - 1]))
        return;
    size_t j = n < LES__GAP_REFINE ? n++ : n - 1;
    while (j > 0 && les__gap_better(&g, &top[j - 1])) {
        top[j] = top[j - 1];
        j--;
    }
    top[j] = g;
    *count = n;
}

/* Pattern search from a candidate: moves to a better neighbour while one
 * exists, halving the step when none does. */
static les__gap les__gap_refine(const les__gctx *c, size_t z, les__gap g, double step)
{
    static const int dirs[8][2] = {{1, 0}, {1, 1}, {0, 1}, {-1, 1},
                                   {-1, 0}, {-1, -1}, {0, -1}, {1, -1}};
    for (int h = 0; h < LES__GAP_HALVINGS; h++) {
        step *= 0.5;
        for (bool moved = true; moved;) {
            moved = false;
            for (int k = 0; k < 8; k++) {
                les__gap t = g;
                sim_vec2 uv = sim_v2(g.uv.x + step * dirs[k][0], g.uv.y + step * dirs[k][1]);
                if (les__gap_at(c, z, uv, &t) && t.radius_mm > g.radius_mm + 1e-9) {
                    g = t;
                    moved = true;
                }
            }
        }
    }
    return g;
}

/* The largest empty circle in zone z with a budget of chart candidates;
 * its diameter in *gap (NaN when none). */
static bool les__zone_gap(const les__gctx *c, size_t z, size_t budget, les__gap *best)
{
    const les_zone *zn = &c->lesson->zones[z];
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < zn->polygon_count; i++) {
        x0 = fmin(x0, zn->polygon[i].x), y0 = fmin(y0, zn->polygon[i].y);
        x1 = fmax(x1, zn->polygon[i].x), y1 = fmax(y1, zn->polygon[i].y);
    }
    double area = fabs(sim_polygon_signed_area(zn->polygon, zn->polygon_count));
    double step = fmax(sqrt(area / (double)budget), 0.5 * c->g->spacing.spacing_mm);
    les__gap top[LES__GAP_REFINE];
    size_t kept = 0, order = 0;
    for (double y = y0 + 0.5 * step; y < y1; y += step)
        for (double x = x0 + 0.5 * step; x < x1; x += step) {
            les__gap g;
            if (les__gap_at(c, z, sim_v2(x, y), &g)) {
                g.order = order++;
                les__gap_keep(top, &kept, g);
            }
        }
    for (size_t k = 0; k < kept; k++) {
        les__gap g = les__gap_refine(c, z, top[k], step);
        if (k == 0 || les__gap_better(&g, best))
            *best = g;
    }
    return kept > 0;
}

static void les__gaps(const les__gctx *c, les_spacing_metric *sp)
{
    double total = 0, worst = -1;
    for (size_t z = 0; z < c->g->zone_count; z++)
        if (!c->g->zones[z].forbidden)
            total += c->g->zones[z].area_cm2;
    for (size_t z = 0; z < c->g->zone_count && total > 0; z++) {
        const les_zone_grade *zg = &c->g->zones[z];
        if (!les__zone_measured(zg))
            continue;
        size_t budget = (size_t)fmax(64.0, LES__GAP_CANDIDATES * zg->area_cm2 / total);
        les__gap g;
        if (!les__zone_gap(c, z, budget, &g))
            continue;
        double spacing = sqrt(100.0 * zg->area_cm2 / (double)zg->impressions);
        double ratio = 2.0 * g.radius_mm / spacing;
        if (ratio > worst) {
            worst = ratio;
            sp->largest_gap_mm = 2.0 * g.radius_mm;
            sp->gap_mm = g.p;
            sp->gap_chart_mm = g.uv;
            sp->gap_zone = (int)z;
            sp->part[LES_SP_GAP] = les_band_score(c->lesson->rubric.spacing.gap, ratio);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* The metric                                                               */
/* ------------------------------------------------------------------------ */

static void les__spacing_clear(les_spacing_metric *sp)
{
    memset(sp, 0, sizeof *sp);
    sp->score = sp->clark_evans = sp->clark_evans_donnelly = sp->nn_mean_mm = NAN;
    sp->nn_cv = sp->largest_gap_mm = sp->orientational_order = sp->clumping = NAN;
    sp->clumping_r_mm = sp->spacing_mm = NAN;
    sp->gap_zone = -1;
    for (int p = 0; p < LES_SP_PARTS; p++)
        sp->part[p] = NAN;
}

static void les__spacing_score(les_spacing_metric *sp, const les_spacing_rubric *rb)
{
    double ce = isnan(sp->clark_evans_donnelly) ? sp->clark_evans : sp->clark_evans_donnelly;
    sp->part[LES_SP_CLARK_EVANS] = les_band_score(rb->clark_evans, ce);
    sp->part[LES_SP_NN_CV] = les_band_score(rb->nn_cv, sp->nn_cv);
    sp->part[LES_SP_ORDER] = les_band_score(rb->orientational_order, sp->orientational_order);
    sp->part[LES_SP_CLUMPING] = les_band_score(rb->clumping, sp->clumping);
    sp->part[LES_SP_OVERLAPS] =
        les_band_score(rb->overlap_share, (double)sp->overlaps / (double)sp->dots);
    sp->score = les_parts_score(sp->part, LES_SP_PARTS);
}

les_result les__grade_spacing(les__gctx *c)
{
    les_spacing_metric *sp = &c->g->spacing;
    les__spacing_clear(sp);
    double area_cm2 = 0;
    for (size_t z = 0; z < c->g->zone_count; z++) {
        if (c->g->zones[z].forbidden)
            continue;
        sp->dots += c->g->zones[z].impressions;
        area_cm2 += c->g->zones[z].area_cm2;
    }
    if (sp->dots >= 2 && area_cm2 > 0)
        sp->spacing_mm = sqrt(100.0 * area_cm2 / (double)sp->dots);
    les_result r = les__neighbours(c, sp->spacing_mm);
    if (r != LES_OK || sp->dots < LES_SPACING_MIN_DOTS || isnan(sp->spacing_mm))
        return r;
    les__nn_stats(c, sp);
    r = les__order(c, sp);
    if (r != LES_OK)
        return r;
    les__clumping(c, sp);
    les__gaps(c, sp);
    les__spacing_score(sp, &c->lesson->rubric.spacing);
    sp->applicable = !isnan(sp->score);
    return LES_OK;
}
