/* les_heatmap.c: per-cell density and depth-error maps on a chart grid
 * (les_heatmap.h).
 *
 * Skin area per cell: on a pad each work zone's polygon is clipped to each
 * cell it overlaps (Sutherland-Hodgman against the cell's four sides); on
 * a head each mesh triangle's area goes to the cell and first work zone
 * holding its centroid (the rule sim_surface_area_in_polygon uses).
 *
 * Purity: zones, triangles and impressions in order. Threads: reentrant.
 */
#include "les_heatmap.h"

#include <math.h>
#include <string.h>

#include "les_grade_internal.h"

#define LES__PAD_CELL_MM 5.0
#define LES__HEAD_CELL_MM 10.0
/* A cell with less skin in zones than this share of a full cell shows no
 * density (too little area to say). */
#define LES__MIN_AREA_SHARE 0.2

long les_heatmap_cell(const les_heatmap *m, sim_vec2 uv)
{
    if (!m->cols || !m->rows)
        return -1;
    double x = floor((uv.x - m->origin_mm.x) / m->cell_mm);
    double y = floor((uv.y - m->origin_mm.y) / m->cell_mm);
    /* the grid's far edges belong to its last cells */
    x = x == (double)m->cols && uv.x == m->origin_mm.x + (double)m->cols * m->cell_mm ? x - 1 : x;
    y = y == (double)m->rows && uv.y == m->origin_mm.y + (double)m->rows * m->cell_mm ? y - 1 : y;
    if (!(x >= 0 && y >= 0 && x < (double)m->cols && y < (double)m->rows))
        return -1;
    return (long)((size_t)y * m->cols + (size_t)x);
}

sim_vec2 les_heatmap_centre(const les_heatmap *m, size_t c)
{
    return sim_v2(m->origin_mm.x + ((double)(c % m->cols) + 0.5) * m->cell_mm,
                  m->origin_mm.y + ((double)(c / m->cols) + 0.5) * m->cell_mm);
}

/* ------------------------------------------------------------------------ */
/* Grid                                                                     */
/* ------------------------------------------------------------------------ */

static bool les__work_bounds(const les_lesson *l, sim_vec2 *lo, sim_vec2 *hi)
{
    bool any = false;
    for (size_t z = 0; z < l->zone_count; z++) {
        if (l->zones[z].kind == LES_ZONE_FORBIDDEN)
            continue;
        for (size_t i = 0; i < l->zones[z].polygon_count; i++) {
            sim_vec2 p = l->zones[z].polygon[i];
            *lo = any ? sim_v2(fmin(lo->x, p.x), fmin(lo->y, p.y)) : p;
            *hi = any ? sim_v2(fmax(hi->x, p.x), fmax(hi->y, p.y)) : p;
            any = true;
        }
    }
    return any;
}

static les_result les__alloc(les_heatmap *m)
{
    size_t n = m->cols * m->rows;
    m->area_mm2 = sim_calloc(n, sizeof *m->area_mm2);
    m->density_per_cm2 = sim_calloc(n, sizeof *m->density_per_cm2);
    m->target_per_cm2 = sim_calloc(n, sizeof *m->target_per_cm2);
    m->depth_error_mm = sim_calloc(n, sizeof *m->depth_error_mm);
    m->dots = sim_calloc(n, sizeof *m->dots);
    bool ok = m->area_mm2 && m->density_per_cm2 && m->target_per_cm2 && m->depth_error_mm &&
              m->dots;
    return ok ? LES_OK : LES_ERR_NOMEM;
}

/* ------------------------------------------------------------------------ */
/* Areas                                                                    */
/* ------------------------------------------------------------------------ */

/* Keeps the part of in[0..n) with sign * (axis coordinate - edge) >= 0. */
static size_t les__clip(const sim_vec2 *in, size_t n, sim_vec2 *out, int axis, double edge,
                        double sign)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        sim_vec2 a = in[i], b = in[(i + 1) % n];
        double da = sign * ((axis ? a.y : a.x) - edge), db = sign * ((axis ? b.y : b.x) - edge);
        if (da >= 0)
            out[k++] = a;
        if ((da >= 0) != (db >= 0)) {
            double t = da / (da - db);
            out[k++] = sim_v2(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y));
        }
    }
    return k;
}

/* Area of polygon poly[0..n) inside cell c (buffers hold 2n + 8 points). */
static double les__clip_area(const les_heatmap *m, size_t c, const sim_vec2 *poly, size_t n,
                             sim_vec2 *a, sim_vec2 *b)
{
    sim_vec2 lo = sim_v2(m->origin_mm.x + (double)(c % m->cols) * m->cell_mm,
                         m->origin_mm.y + (double)(c / m->cols) * m->cell_mm);
    memcpy(a, poly, n * sizeof *a);
    n = les__clip(a, n, b, 0, lo.x, 1.0);
    n = les__clip(b, n, a, 0, lo.x + m->cell_mm, -1.0);
    n = les__clip(a, n, b, 1, lo.y, 1.0);
    n = les__clip(b, n, a, 1, lo.y + m->cell_mm, -1.0);
    return n >= 3 ? fabs(sim_polygon_signed_area(a, n)) : 0.0;
}

static les_result les__pad_areas(les_heatmap *m, const les_lesson *l)
{
    for (size_t z = 0; z < l->zone_count; z++) {
        const les_zone *zn = &l->zones[z];
        if (zn->kind == LES_ZONE_FORBIDDEN || zn->polygon_count < 3)
            continue;
        size_t cap = 2 * zn->polygon_count + 8;
        sim_vec2 *a = sim_malloc(cap * sizeof *a), *b = sim_malloc(cap * sizeof *b);
        if (!a || !b) {
            sim_free(a);
            sim_free(b);
            return LES_ERR_NOMEM;
        }
        sim_vec2 lo = zn->polygon[0], hi = zn->polygon[0];
        for (size_t i = 1; i < zn->polygon_count; i++) {
            lo = sim_v2(fmin(lo.x, zn->polygon[i].x), fmin(lo.y, zn->polygon[i].y));
            hi = sim_v2(fmax(hi.x, zn->polygon[i].x), fmax(hi.y, zn->polygon[i].y));
        }
        size_t c0 = (size_t)les_heatmap_cell(m, lo), c1 = (size_t)les_heatmap_cell(m, hi);
        for (size_t y = c0 / m->cols; y <= c1 / m->cols; y++)
            for (size_t x = c0 % m->cols; x <= c1 % m->cols; x++) {
                size_t c = y * m->cols + x;
                double area = les__clip_area(m, c, zn->polygon, zn->polygon_count, a, b);
                m->area_mm2[c] += area;
                m->target_per_cm2[c] += area * zn->density_per_cm2;
            }
        sim_free(a);
        sim_free(b);
    }
    return LES_OK;
}

static void les__head_areas(les_heatmap *m, const les_lesson *l, const sim_surface *s)
{
    for (uint32_t t = 0; t < s->mesh.triangle_count; t++) {
        sim_vec3 p[3];
        sim_mesh_triangle(&s->mesh, t, p);
        sim_vec3 centre = sim_v3_scale(sim_v3_add(p[0], sim_v3_add(p[1], p[2])), 1.0 / 3.0);
        sim_vec2 uv = sim_chart_head(centre);
        long c = les_heatmap_cell(m, uv);
        if (c < 0)
            continue;
        for (size_t z = 0; z < l->zone_count; z++) {
            const les_zone *zn = &l->zones[z];
            if (zn->kind == LES_ZONE_FORBIDDEN ||
                !sim_polygon_contains(zn->polygon, zn->polygon_count, uv))
                continue;
            double area = 0.5 * sim_v3_len(sim_v3_cross(sim_v3_sub(p[1], p[0]),
                                                        sim_v3_sub(p[2], p[0])));
            m->area_mm2[c] += area;
            m->target_per_cm2[c] += area * zn->density_per_cm2;
            break;
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Build                                                                    */
/* ------------------------------------------------------------------------ */

les_result les_heatmap_build(les_heatmap *m, const les_lesson *l, const sim_surface *s,
                             const sim_impression *imps, const int32_t *zone, size_t n,
                             double cell_mm)
{
    memset(m, 0, sizeof *m);
    sim_vec2 lo = {0, 0}, hi = {0, 0};
    if (!les__work_bounds(l, &lo, &hi))
        return LES_OK;
    m->cell_mm = cell_mm > 0 ? cell_mm
                             : s->kind == SIM_SURFACE_PAD ? LES__PAD_CELL_MM : LES__HEAD_CELL_MM;
    for (;;) {
        m->origin_mm = sim_v2(floor(lo.x / m->cell_mm) * m->cell_mm,
                              floor(lo.y / m->cell_mm) * m->cell_mm);
        m->cols = (size_t)fmax(1.0, ceil((hi.x - m->origin_mm.x) / m->cell_mm));
        m->rows = (size_t)fmax(1.0, ceil((hi.y - m->origin_mm.y) / m->cell_mm));
        if (m->cols * m->rows <= LES_HEATMAP_MAX_CELLS)
            break;
        m->cell_mm *= 2.0;
    }
    les_result r = les__alloc(m);
    if (r == LES_OK && s->kind == SIM_SURFACE_PAD)
        r = les__pad_areas(m, l);
    else if (r == LES_OK)
        les__head_areas(m, l, s);
    if (r != LES_OK) {
        les_heatmap_deinit(m);
        return r;
    }
    for (size_t i = 0; i < n; i++) {
        long c = zone[i] >= 0 ? les_heatmap_cell(m, imps[i].chart_mm) : -1;
        if (c < 0)
            continue;
        const les_zone *zn = &l->zones[zone[i]];
        m->dots[c]++;
        m->depth_error_mm[c] += les__depth_error(imps[i].depth_mm, zn->depth_min_mm,
                                                 zn->depth_max_mm);
    }
    double min_area = LES__MIN_AREA_SHARE * m->cell_mm * m->cell_mm;
    for (size_t c = 0; c < m->cols * m->rows; c++) {
        bool enough = m->area_mm2[c] >= min_area;
        m->density_per_cm2[c] = enough ? 100.0 * m->dots[c] / m->area_mm2[c] : NAN;
        m->target_per_cm2[c] = enough ? m->target_per_cm2[c] / m->area_mm2[c] : NAN;
        m->depth_error_mm[c] = m->dots[c] ? m->depth_error_mm[c] / m->dots[c] : NAN;
    }
    return LES_OK;
}

void les_heatmap_deinit(les_heatmap *m)
{
    if (!m)
        return;
    sim_free(m->area_mm2);
    sim_free(m->density_per_cm2);
    sim_free(m->target_per_cm2);
    sim_free(m->depth_error_mm);
    sim_free(m->dots);
    memset(m, 0, sizeof *m);
}
