/* rnd_heatmap.c: density and depth heatmaps of an attempt, computed from
 * its impressions on the lesson's zones (rnd.h "Heatmaps"), pure CPU.
 *
 * Each texel of a RND_HEAT_SIZE^2 image over the skin layer's chart square
 * is a place on the skin (sim_surface_from_chart). Its neighbourhood is the
 * disc of RND_HEAT_RADIUS_MM around it, measured on the skin in 3D; the
 * impressions in that disc and in the same zone give
 *  - density: their count over the disc's area inside the zone (so zone
 *    edges are not read as sparse), against the zone's target;
 *  - depth: their shares too shallow, in the band and too deep.
 * Impressions found in no zone show magenta in the density map.
 *
 * The grader (lessons/) does not report places yet; when it does, its
 * numbers should drive these colours instead.
 *
 * Threads: reentrant. Ownership: rnd_heatmap owns its pixels (sim_malloc).
 */
#include "rnd_internal.h"

#include "les_heatmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */
/* ------------------------------------------------------------------------ */

#define RND__HEAT_ALPHA 0.58
#define RND__HEAT_OUTSIDE_ALPHA 0.6
#define RND__HEAT_GOOD_BAND 0.2     /* |log2 ratio| below this is on target */
#define RND__HEAT_AREA_SAMPLES 24   /* points sampling a disc's share in a zone */
#define RND__HEAT_CHART_REACH 2.0   /* chart mm per skin mm, at most (bucket search) */

static const float rnd__blue[3] = {0.22f, 0.46f, 1.00f};
static const float rnd__green[3] = {0.24f, 0.84f, 0.36f};
static const float rnd__red[3] = {1.00f, 0.26f, 0.18f};
static const float rnd__amber[3] = {1.00f, 0.72f, 0.14f};
static const float rnd__violet[3] = {0.62f, 0.36f, 1.00f};
static const float rnd__magenta[3] = {0.96f, 0.22f, 0.86f};

/* ------------------------------------------------------------------------ */
/* Colours                                                                  */
/* ------------------------------------------------------------------------ */

static void rnd__mix3(const float a[3], const float b[3], double t, float out[3])
{
    for (int k = 0; k < 3; k++)
        out[k] = (float)(a[k] + (b[k] - a[k]) * t);
}

void rnd_heat_density_color(double ratio, float rgb[3])
{
    double t = ratio > 0.0 ? log2(ratio) : -1.0;
    t = t < -1.0 ? -1.0 : t > 1.0 ? 1.0 : t;
    double a = fabs(t) < RND__HEAT_GOOD_BAND ? 0.0 : (fabs(t) - RND__HEAT_GOOD_BAND) / (1.0 - RND__HEAT_GOOD_BAND);
    rnd__mix3(rnd__green, t < 0.0 ? rnd__blue : rnd__red, a, rgb);
}

void rnd_heat_depth_color(double shallow, double in_band, double deep, float rgb[3])
{
    double sum = shallow + in_band + deep;
    if (!(sum > 0.0)) {
        memcpy(rgb, rnd__green, sizeof rnd__green);
        return;
    }
    for (int k = 0; k < 3; k++)
        rgb[k] = (float)((shallow * rnd__amber[k] + in_band * rnd__green[k] + deep * rnd__violet[k]) / sum);
}

/* ------------------------------------------------------------------------ */
/* Domain                                                                   */
/* ------------------------------------------------------------------------ */

void rnd_chart_domain(const sim_surface *surface, double origin_mm[2], double *size_mm)
{
    if (surface && surface->kind == SIM_SURFACE_HEAD) {
        origin_mm[0] = origin_mm[1] = -RND__LAYER_HEAD_HALF_MM;
        *size_mm = 2.0 * RND__LAYER_HEAD_HALF_MM;
        return;
    }
    double w = surface && surface->width_mm > 0 ? surface->width_mm : 100.0;
    double h = surface && surface->height_mm > 0 ? surface->height_mm : 100.0;
    origin_mm[0] = origin_mm[1] = 0.0;
    *size_mm = w > h ? w : h;
}

/* ------------------------------------------------------------------------ */
/* Building                                                                 */
/* ------------------------------------------------------------------------ */

typedef struct rnd__heat_imp {
    sim_vec3 p;
    int zone;                /* -1: outside every zone */
    int depth_class;         /* -1 shallow, 0 in band, +1 deep */
} rnd__heat_imp;

typedef struct rnd__heat_grid {
    double origin[2], cell_mm;
    int n;                   /* cells per side */
    int32_t *heads, *next;
} rnd__heat_grid;

static int rnd__heat_cell(const rnd__heat_grid *g, double x, int axis)
{
    double c = floor((x - g->origin[axis]) / g->cell_mm);
    return c < 0 ? 0 : c >= g->n ? g->n - 1 : (int)c;
}

void rnd_heatmap_free(rnd_heatmap *hm)
{
    if (!hm)
        return;
    sim_free(hm->rgba);
    memset(hm, 0, sizeof *hm);
}

/* Share of the chart disc (radius r around q) inside zone z. */
static double rnd__zone_share(const les_lesson *lesson, int z, sim_vec2 q, double r)
{
    int inside = 0;
    for (int k = 0; k < RND__HEAT_AREA_SAMPLES; k++) {
        /* a sunflower spiral: even cover of the disc */
        double rr = r * sqrt((k + 0.5) / RND__HEAT_AREA_SAMPLES);
        double a = k * 2.39996322972865332;
        sim_vec2 p = sim_v2(q.x + rr * cos(a), q.y + rr * sin(a));
        inside += les_lesson_zone_at(lesson, p) == z;
    }
    return (double)inside / RND__HEAT_AREA_SAMPLES;
}

rnd_result rnd_heatmap_build(const sim_surface *surface, const les_lesson *lesson,
                             const sim_impression *imps, size_t n, rnd_heat_kind kind,
                             rnd_heatmap *out)
{
    if (!out)
        return RND_ERR_ARG;
    memset(out, 0, sizeof *out);
    if (!surface || !lesson || (n > 0 && !imps) ||
        (kind != RND_HEAT_DENSITY && kind != RND_HEAT_DEPTH) || n > (size_t)INT32_MAX)
        return RND_ERR_ARG;
    const int N = RND_HEAT_SIZE;
    double origin[2], size;
    rnd_chart_domain(surface, origin, &size);
    rnd__heat_grid g = {{origin[0], origin[1]}, RND_HEAT_RADIUS_MM * RND__HEAT_CHART_REACH, 0, NULL, NULL};
    g.n = (int)ceil(size / g.cell_mm);
    out->rgba = sim_calloc((size_t)N * N, 4);
    rnd__heat_imp *hi = sim_malloc((n ? n : 1) * sizeof *hi);
    g.heads = sim_malloc((size_t)g.n * g.n * sizeof *g.heads);
    g.next = sim_malloc((n ? n : 1) * sizeof *g.next);
    if (!out->rgba || !hi || !g.heads || !g.next) {
        sim_free(hi);
        sim_free(g.heads);
        sim_free(g.next);
        rnd_heatmap_free(out);
        return RND_ERR_NOMEM;
    }
    out->kind = kind;
    out->size = N;
    for (int c = 0; c < g.n * g.n; c++)
        g.heads[c] = -1;
    for (size_t i = 0; i < n; i++) {
        hi[i].p = imps[i].surface_mm;
        hi[i].zone = les_lesson_zone_at(lesson, imps[i].chart_mm);
        hi[i].depth_class = 0;
        if (hi[i].zone >= 0) {
            const les_zone *z = &lesson->zones[hi[i].zone];
            hi[i].depth_class = imps[i].depth_mm < z->depth_min_mm   ? -1
                                : imps[i].depth_mm > z->depth_max_mm ? 1
                                                                     : 0;
        }
        size_t cell = (size_t)rnd__heat_cell(&g, imps[i].chart_mm.y, 1) * g.n +
                      (size_t)rnd__heat_cell(&g, imps[i].chart_mm.x, 0);
        g.next[i] = g.heads[cell];
        g.heads[cell] = (int32_t)i;
    }
    const double R = RND_HEAT_RADIUS_MM, R2 = R * R;
    const double disc_cm2 = SIM_PI * R2 / 100.0;
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++) {
            sim_vec2 q = sim_v2(origin[0] + (i + 0.5) * size / N, origin[1] + (j + 0.5) * size / N);
            int zone = les_lesson_zone_at(lesson, q);
            sim_surface_hit hit;
            if (!sim_surface_from_chart(surface, q, &hit))
                continue;
            /* the impressions within R on the skin */
            size_t same = 0, other = 0, cls[3] = {0, 0, 0};
            int x0 = rnd__heat_cell(&g, q.x - g.cell_mm, 0), x1 = rnd__heat_cell(&g, q.x + g.cell_mm, 0);
            int y0 = rnd__heat_cell(&g, q.y - g.cell_mm, 1), y1 = rnd__heat_cell(&g, q.y + g.cell_mm, 1);
            for (int cy = y0; cy <= y1; cy++)
                for (int cx = x0; cx <= x1; cx++)
                    for (int32_t k = g.heads[(size_t)cy * g.n + cx]; k >= 0; k = g.next[k]) {
                        if (sim_v3_len2(sim_v3_sub(hi[k].p, hit.point_mm)) > R2)
                            continue;
                        if (hi[k].zone == zone && zone >= 0) {
                            same++;
                            cls[hi[k].depth_class + 1]++;
                        } else if (hi[k].zone < 0) {
                            other++;
                        }
                    }
            float rgb[3];
            double alpha = 0.0;
            if (zone >= 0 && kind == RND_HEAT_DENSITY) {
                double share = rnd__zone_share(lesson, zone, q, R);
                double target = lesson->zones[zone].density_per_cm2;
                double per_cm2 = same / (disc_cm2 * (share > 0.05 ? share : 0.05));
                rnd_heat_density_color(target > 0.0 ? per_cm2 / target : 1.0, rgb);
                alpha = RND__HEAT_ALPHA;
            } else if (zone >= 0 && kind == RND_HEAT_DEPTH && same > 0) {
                rnd_heat_depth_color((double)cls[0], (double)cls[1], (double)cls[2], rgb);
                alpha = RND__HEAT_ALPHA * (same >= 3 ? 1.0 : same / 3.0);
            } else if (zone < 0 && kind == RND_HEAT_DENSITY && other > 0) {
                memcpy(rgb, rnd__magenta, sizeof rgb);
                alpha = RND__HEAT_OUTSIDE_ALPHA * (other >= 3 ? 1.0 : other / 3.0);
            }
            if (alpha <= 0.0)
                continue;
            uint8_t *o = out->rgba + ((size_t)j * N + i) * 4;
            for (int k = 0; k < 3; k++)
                o[k] = (uint8_t)lrint(255.0 * (rgb[k] < 0 ? 0 : rgb[k] > 1 ? 1 : rgb[k]));
            o[3] = (uint8_t)lrint(255.0 * alpha);
        }
    sim_free(hi);
    sim_free(g.heads);
    sim_free(g.next);
    return RND_OK;
}

/* ------------------------------------------------------------------------ */
/* From the grader's maps                                                   */
/* ------------------------------------------------------------------------ */

#define RND__DEPTH_SHALLOW_FULL_MM 0.3   /* mean error that shows full amber */
#define RND__DEPTH_DEEP_FULL_MM 0.5      /* and full violet */

/* The grader's value at chart point q, bilinear between cell centres over
 * the cells that have one; false where none has. */
static bool rnd__grade_value(const les_heatmap *m, const double *v, sim_vec2 q, double *out)
{
    double fx = (q.x - m->origin_mm.x) / m->cell_mm - 0.5, fy = (q.y - m->origin_mm.y) / m->cell_mm - 0.5;
    long x0 = (long)floor(fx), y0 = (long)floor(fy);
    double tx = fx - x0, ty = fy - y0, sum = 0.0, wsum = 0.0;
    bool inside = false;
    for (int j = 0; j < 2; j++)
        for (int i = 0; i < 2; i++) {
            long cx = x0 + i, cy = y0 + j;
            if (cx < 0 || cy < 0 || cx >= (long)m->cols || cy >= (long)m->rows)
                continue;
            double val = v[(size_t)cy * m->cols + (size_t)cx];
            if (!isfinite(val))
                continue;
            double w = (i ? tx : 1.0 - tx) * (j ? ty : 1.0 - ty);
            sum += w * val;
            wsum += w;
            /* the point itself must lie in a cell with a value */
            inside |= (long)floor(fx + 0.5) == cx && (long)floor(fy + 0.5) == cy;
        }
    if (!inside || !(wsum > 1e-9))
        return false;
    *out = sum / wsum;
    return true;
}

rnd_result rnd_heatmap_from_grade(const sim_surface *surface, const les_heatmap *m, rnd_heat_kind kind,
                                  rnd_heatmap *out)
{
    if (!out)
        return RND_ERR_ARG;
    memset(out, 0, sizeof *out);
    if (!surface || !m || m->cols == 0 || m->rows == 0 || !(m->cell_mm > 0.0) ||
        (kind != RND_HEAT_DENSITY && kind != RND_HEAT_DEPTH) || !m->density_per_cm2 ||
        !m->target_per_cm2 || !m->depth_error_mm)
        return RND_ERR_ARG;
    const int N = RND_HEAT_SIZE;
    double *ratio = sim_malloc(m->cols * m->rows * sizeof *ratio);
    out->rgba = sim_calloc((size_t)N * N, 4);
    if (!ratio || !out->rgba) {
        sim_free(ratio);
        rnd_heatmap_free(out);
        return RND_ERR_NOMEM;
    }
    for (size_t c = 0; c < m->cols * m->rows; c++)
        ratio[c] = m->target_per_cm2[c] > 0.0 ? m->density_per_cm2[c] / m->target_per_cm2[c] : NAN;
    out->kind = kind;
    out->size = N;
    double origin[2], size;
    rnd_chart_domain(surface, origin, &size);
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++) {
            sim_vec2 q = sim_v2(origin[0] + (i + 0.5) * size / N, origin[1] + (j + 0.5) * size / N);
            double v;
            float rgb[3];
            if (kind == RND_HEAT_DENSITY) {
                if (!rnd__grade_value(m, ratio, q, &v))
                    continue;
                rnd_heat_density_color(v, rgb);
            } else {
                if (!rnd__grade_value(m, m->depth_error_mm, q, &v))
                    continue;
                double sh = v < 0 ? -v / RND__DEPTH_SHALLOW_FULL_MM : 0.0;
                double dp = v > 0 ? v / RND__DEPTH_DEEP_FULL_MM : 0.0;
                sh = sh > 1 ? 1 : sh;
                dp = dp > 1 ? 1 : dp;
                rnd_heat_depth_color(sh, 1.0 - (sh > dp ? sh : dp), dp, rgb);
            }
            uint8_t *o = out->rgba + ((size_t)j * N + i) * 4;
            for (int k = 0; k < 3; k++)
                o[k] = (uint8_t)lrint(255.0 * (rgb[k] < 0 ? 0 : rgb[k] > 1 ? 1 : rgb[k]));
            o[3] = (uint8_t)lrint(255.0 * RND__HEAT_ALPHA);
        }
    sim_free(ratio);
    return RND_OK;
}
