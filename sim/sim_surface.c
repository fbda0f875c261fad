/* sim_surface.c: the practice pad and the head as skin surfaces, the scalp
 * chart, and 2D polygon helpers in chart space.
 *
 * Threads: init/deinit on one thread; queries are read-only and
 * allocation-free (the servo thread may call sim_surface_closest).
 */
#include "sim_surface.h"

#include <math.h>
#include <string.h>

#define PAD_DEFAULT_MM 100.0
#define PAD_DEFAULT_THICKNESS_MM 6.0
/* Rays for chart -> surface start this far out: beyond any head. */
#define CHART_RAY_START_MM 600.0

sim_surface_desc sim_surface_desc_resolve(sim_surface_desc d)
{
    if (d.kind == SIM_SURFACE_NONE)
        d.kind = SIM_SURFACE_PAD;
    if (d.kind == SIM_SURFACE_PAD) {
        if (d.width_mm <= 0)
            d.width_mm = PAD_DEFAULT_MM;
        if (d.height_mm <= 0)
            d.height_mm = PAD_DEFAULT_MM;
        if (d.thickness_mm <= 0)
            d.thickness_mm = PAD_DEFAULT_THICKNESS_MM;
    }
    d.head = sim_head_desc_resolve(d.head);
    return d;
}

/* ------------------------------------------------------------------------ */
/* Construction                                                             */
/* ------------------------------------------------------------------------ */

/* The pad's drawable slab: six faces of four vertices each (flat normals). */
static sim_result build_pad_mesh(sim_mesh *mesh, double w, double h, double t)
{
    sim_result r = sim_mesh_alloc(mesh, 24, 12);
    if (r != SIM_OK)
        return r;
    const double x[2] = {0, w}, y[2] = {0, h}, z[2] = {-t, 0};
    /* face: normal, then four corners as (xi, yi, zi) counter-clockwise seen
     * from outside */
    static const int faces[6][3 + 12] = {
        {0, 0, 1, /**/ 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1},     /* top */
        {0, 0, -1, /**/ 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0},    /* bottom */
        {0, -1, 0, /**/ 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1},    /* near */
        {0, 1, 0, /**/ 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0},     /* far */
        {-1, 0, 0, /**/ 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0},    /* left */
        {1, 0, 0, /**/ 1, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1},     /* right */
    };
    for (uint32_t f = 0; f < 6; f++) {
        sim_vec3 n = sim_v3(faces[f][0], faces[f][1], faces[f][2]);
        for (uint32_t c = 0; c < 4; c++) {
            const int *k = &faces[f][3 + 3 * c];
            mesh->positions[f * 4 + c] = sim_v3(x[k[0]], y[k[1]], z[k[2]]);
            mesh->normals[f * 4 + c] = n;
        }
        uint32_t *idx = &mesh->indices[f * 6];
        idx[0] = f * 4, idx[1] = f * 4 + 1, idx[2] = f * 4 + 2;
        idx[3] = f * 4, idx[4] = f * 4 + 2, idx[5] = f * 4 + 3;
    }
    return SIM_OK;
}

sim_result sim_surface_init(sim_surface *s, const sim_surface_desc *desc_in, sim_error *err)
{
    memset(s, 0, sizeof *s);
    sim_surface_desc d = sim_surface_desc_resolve(desc_in ? *desc_in : (sim_surface_desc){0});
    if (d.kind == SIM_SURFACE_PAD) {
        s->kind = SIM_SURFACE_PAD;
        s->width_mm = d.width_mm;
        s->height_mm = d.height_mm;
        s->thickness_mm = d.thickness_mm;
        if (build_pad_mesh(&s->mesh, d.width_mm, d.height_mm, d.thickness_mm) != SIM_OK)
            return sim_error_set(err, SIM_ERR_NOMEM, NULL, 0, 0, "out of memory building the pad");
        return SIM_OK;
    }
    if (d.kind != SIM_SURFACE_HEAD)
        return sim_error_set(err, SIM_ERR_ARG, NULL, 0, 0, "unknown surface kind %d", (int)d.kind);
    sim_mesh mesh;
    sim_result r = sim_head_build(&mesh, &d.head, err);
    if (r != SIM_OK)
        return r;
    return sim_surface_init_mesh(s, &mesh, err);
}

sim_result sim_surface_init_mesh(sim_surface *s, sim_mesh *mesh, sim_error *err)
{
    memset(s, 0, sizeof *s);
    s->kind = SIM_SURFACE_HEAD;
    s->mesh = *mesh;
    memset(mesh, 0, sizeof *mesh);
    sim_result r = sim_bvh_build(&s->bvh, &s->mesh, err);
    if (r != SIM_OK)
        sim_surface_deinit(s);
    return r;
}

void sim_surface_deinit(sim_surface *s)
{
    if (!s)
        return;
    sim_bvh_deinit(&s->bvh);
    sim_mesh_deinit(&s->mesh);
    memset(s, 0, sizeof *s);
}

/* ------------------------------------------------------------------------ */
/* Chart                                                                    */
/* ------------------------------------------------------------------------ */

sim_vec3 sim_chart_centre(void)
{
    return sim_v3(SIM_CHART_CENTRE_X, SIM_CHART_CENTRE_Y, SIM_CHART_CENTRE_Z);
}

sim_vec2 sim_chart_head(sim_vec3 point)
{
    sim_vec3 p = sim_v3_sub(point, sim_chart_centre());
    double horiz = sqrt(p.x * p.x + p.z * p.z);
    if (horiz == 0.0) {
        /* on the Y axis: the pole (theta 0) or the antipode (theta pi,
         * mapped to the back of the chart) */
        return p.y >= 0 ? sim_v2(0, 0) : sim_v2(0, -SIM_CHART_RADIUS_MM * SIM_PI);
    }
    double theta = atan2(horiz, p.y);
    double scale = SIM_CHART_RADIUS_MM * theta / horiz;
    return sim_v2(p.x * scale, p.z * scale);
}

bool sim_chart_head_dir(sim_vec2 uv, sim_vec3 *dir)
{
    double rho = sim_v2_len(uv);
    double theta = rho / SIM_CHART_RADIUS_MM;
    if (theta > SIM_PI)
        return false;
    if (rho == 0.0) {
        *dir = sim_v3(0, 1, 0);
        return true;
    }
    double st = sin(theta);
    *dir = sim_v3(st * uv.x / rho, cos(theta), st * uv.y / rho);
    return true;
}

sim_vec2 sim_surface_chart(const sim_surface *s, sim_vec3 p)
{
    if (s->kind == SIM_SURFACE_PAD)
        return sim_v2(p.x, p.y);
    return sim_chart_head(p);
}

/* ------------------------------------------------------------------------ */
/* Queries                                                                  */
/* ------------------------------------------------------------------------ */

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

void sim_surface_closest(const sim_surface *s, sim_vec3 p, sim_surface_hit *hit)
{
    if (s->kind == SIM_SURFACE_PAD) {
        double x = clampd(p.x, 0.0, s->width_mm), y = clampd(p.y, 0.0, s->height_mm);
        hit->point_mm = sim_v3(x, y, 0.0);
        hit->normal = sim_v3(0, 0, 1);
        hit->depth_mm = -p.z;
        hit->chart_mm = sim_v2(x, y);
        hit->on_surface = (x == p.x && y == p.y);
        return;
    }
    sim_mesh_hit mh;
    if (!sim_bvh_closest(&s->bvh, p, INFINITY, &mh)) {
        /* defensive: an initialised head always has triangles */
        memset(hit, 0, sizeof *hit);
        hit->depth_mm = -INFINITY;
        return;
    }
    hit->point_mm = mh.point;
    hit->normal = mh.normal;
    hit->depth_mm = -mh.signed_distance;
    hit->chart_mm = sim_chart_head(mh.point);
    hit->on_surface = true;
}

bool sim_surface_raycast(const sim_surface *s, sim_vec3 origin, sim_vec3 dir, sim_surface_hit *hit)
{
    if (s->kind == SIM_SURFACE_PAD) {
        if (dir.z == 0.0)
            return false;
        double t = -origin.z / dir.z;
        if (t < 0.0)
            return false;
        sim_vec3 p = sim_v3_add(origin, sim_v3_scale(dir, t));
        if (p.x < 0 || p.y < 0 || p.x > s->width_mm || p.y > s->height_mm)
            return false;
        hit->point_mm = sim_v3(p.x, p.y, 0.0);
        hit->normal = sim_v3(0, 0, 1);
        hit->depth_mm = 0;
        hit->chart_mm = sim_v2(p.x, p.y);
        hit->on_surface = true;
        return true;
    }
    sim_mesh_hit mh;
    if (!sim_bvh_raycast(&s->bvh, origin, dir, INFINITY, &mh))
        return false;
    hit->point_mm = mh.point;
    hit->normal = mh.normal;
    hit->depth_mm = 0;
    hit->chart_mm = sim_chart_head(mh.point);
    hit->on_surface = true;
    return true;
}

bool sim_surface_from_chart(const sim_surface *s, sim_vec2 uv, sim_surface_hit *hit)
{
    if (s->kind == SIM_SURFACE_PAD) {
        if (uv.x < 0 || uv.y < 0 || uv.x > s->width_mm || uv.y > s->height_mm)
            return false;
        hit->point_mm = sim_v3(uv.x, uv.y, 0);
        hit->normal = sim_v3(0, 0, 1);
        hit->depth_mm = 0;
        hit->chart_mm = uv;
        hit->on_surface = true;
        return true;
    }
    sim_vec3 dir;
    if (!sim_chart_head_dir(uv, &dir))
        return false;
    sim_mesh_hit mh;
    sim_vec3 origin = sim_v3_add(sim_chart_centre(), sim_v3_scale(dir, CHART_RAY_START_MM));
    if (!sim_bvh_raycast(&s->bvh, origin, sim_v3_scale(dir, -1.0), CHART_RAY_START_MM, &mh))
        return false;
    hit->point_mm = mh.point;
    hit->normal = mh.normal;
    hit->depth_mm = 0;
    hit->chart_mm = uv;
    hit->on_surface = true;
    return true;
}

double sim_surface_area_in_polygon(const sim_surface *s, const sim_vec2 *poly, size_t n)
{
    if (n < 3)
        return 0.0;
    if (s->kind == SIM_SURFACE_PAD)
        return fabs(sim_polygon_signed_area(poly, n));
    double area = 0.0;
    for (uint32_t t = 0; t < s->mesh.triangle_count; t++) {
        sim_vec3 p[3];
        sim_mesh_triangle(&s->mesh, t, p);
        sim_vec3 c = sim_v3_scale(sim_v3_add(p[0], sim_v3_add(p[1], p[2])), 1.0 / 3.0);
        if (!sim_polygon_contains(poly, n, sim_chart_head(c)))
            continue;
        area += 0.5 * sim_v3_len(sim_v3_cross(sim_v3_sub(p[1], p[0]), sim_v3_sub(p[2], p[0])));
    }
    return area;
}

/* ------------------------------------------------------------------------ */
/* 2D polygons                                                              */
/* ------------------------------------------------------------------------ */

bool sim_polygon_contains(const sim_vec2 *poly, size_t n, sim_vec2 p)
{
    bool inside = false;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        sim_vec2 a = poly[i], b = poly[j];
        /* half-open in y: a vertex is counted for one edge only */
        if ((a.y > p.y) != (b.y > p.y)) {
            double x = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y);
            if (p.x < x)
                inside = !inside;
        }
    }
    return n >= 3 && inside;
}

double sim_polygon_signed_area(const sim_vec2 *poly, size_t n)
{
    double twice = 0.0;
    for (size_t i = 0, j = n - 1; i < n; j = i++)
        twice += poly[j].x * poly[i].y - poly[i].x * poly[j].y;
    return 0.5 * twice;
}

static double orient(sim_vec2 a, sim_vec2 b, sim_vec2 c)
{
    return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}

static bool on_segment(sim_vec2 a, sim_vec2 b, sim_vec2 p)
{
    return fmin(a.x, b.x) <= p.x && p.x <= fmax(a.x, b.x) &&
           fmin(a.y, b.y) <= p.y && p.y <= fmax(a.y, b.y);
}

/* True when segments ab and cd share a point. */
static bool segments_meet(sim_vec2 a, sim_vec2 b, sim_vec2 c, sim_vec2 d)
{
    double o1 = orient(a, b, c), o2 = orient(a, b, d);
    double o3 = orient(c, d, a), o4 = orient(c, d, b);
    if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) &&
        ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)))
        return true;
    return (o1 == 0 && on_segment(a, b, c)) || (o2 == 0 && on_segment(a, b, d)) ||
           (o3 == 0 && on_segment(c, d, a)) || (o4 == 0 && on_segment(c, d, b));
}

bool sim_polygon_self_intersects(const sim_vec2 *poly, size_t n, size_t *edge_a, size_t *edge_b)
{
    for (size_t i = 0; i < n; i++) {
        sim_vec2 a = poly[i], b = poly[(i + 1) % n];
        for (size_t j = i + 1; j < n; j++) {
            /* neighbours share a vertex by construction */
            if (j == i + 1 || (i == 0 && j == n - 1))
                continue;
            if (segments_meet(a, b, poly[j], poly[(j + 1) % n])) {
                if (edge_a)
                    *edge_a = i;
                if (edge_b)
                    *edge_b = j;
                return true;
            }
        }
    }
    return false;
}

static double segment_distance(sim_vec2 a, sim_vec2 b, sim_vec2 p)
{
    sim_vec2 ab = sim_v2_sub(b, a), ap = sim_v2_sub(p, a);
    double len2 = sim_v2_dot(ab, ab);
    double t = len2 > 0 ? clampd(sim_v2_dot(ap, ab) / len2, 0.0, 1.0) : 0.0;
    return sim_v2_len(sim_v2(ap.x - ab.x * t, ap.y - ab.y * t));
}

double sim_polyline_distance(const sim_vec2 *pts, size_t n, bool closed, sim_vec2 p)
{
    if (n == 0)
        return INFINITY;
    if (n == 1)
        return sim_v2_len(sim_v2_sub(p, pts[0]));
    double best = INFINITY;
    size_t segs = closed ? n : n - 1;
    for (size_t i = 0; i < segs; i++) {
        double d = segment_distance(pts[i], pts[(i + 1) % n], p);
        if (d < best)
            best = d;
    }
    return best;
}
