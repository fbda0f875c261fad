/* sim_mesh.c: triangle mesh storage, normals, area, the exact closest point
 * on a triangle, ray/triangle intersection, and the brute-force queries the
 * BVH is checked against.
 *
 * Threads: reentrant; a mesh is read-only once built.
 */
#include "sim_mesh.h"
#include "sim_mesh_internal.h"

#include <math.h>
#include <string.h>

sim_result sim_mesh_alloc(sim_mesh *mesh, uint32_t vertex_count,
                          uint32_t triangle_count)
{
    memset(mesh, 0, sizeof *mesh);
    mesh->positions = sim_calloc(vertex_count, sizeof *mesh->positions);
    mesh->normals = sim_calloc(vertex_count, sizeof *mesh->normals);
    mesh->indices = sim_calloc((size_t)triangle_count * 3u, sizeof *mesh->indices);
    if (!mesh->positions || !mesh->normals || !mesh->indices) {
        sim_mesh_deinit(mesh);
        return SIM_ERR_NOMEM;
    }
    mesh->vertex_count = vertex_count;
    mesh->triangle_count = triangle_count;
    return SIM_OK;
}

void sim_mesh_deinit(sim_mesh *mesh)
{
    if (!mesh)
        return;
    sim_free(mesh->positions);
    sim_free(mesh->normals);
    sim_free(mesh->indices);
    memset(mesh, 0, sizeof *mesh);
}

void sim_mesh_triangle(const sim_mesh *mesh, uint32_t t, sim_vec3 out[3])
{
    const uint32_t *idx = &mesh->indices[(size_t)t * 3u];
    out[0] = mesh->positions[idx[0]];
    out[1] = mesh->positions[idx[1]];
    out[2] = mesh->positions[idx[2]];
}

/* Interior angle at corner a of triangle (a, b, c). */
static double corner_angle(sim_vec3 a, sim_vec3 b, sim_vec3 c)
{
    sim_vec3 u = sim_v3_normalize(sim_v3_sub(b, a));
    sim_vec3 v = sim_v3_normalize(sim_v3_sub(c, a));
    double d = sim_v3_dot(u, v);
    if (d > 1.0)
        d = 1.0;
    if (d < -1.0)
        d = -1.0;
    return acos(d);
}

void sim__mesh_corner_angles(const sim_vec3 p[3], double angle[3])
{
    angle[0] = corner_angle(p[0], p[1], p[2]);
    angle[1] = corner_angle(p[1], p[2], p[0]);
    angle[2] = corner_angle(p[2], p[0], p[1]);
}

sim_vec3 sim__triangle_normal(const sim_vec3 p[3])
{
    return sim_v3_normalize(sim_v3_cross(sim_v3_sub(p[1], p[0]), sim_v3_sub(p[2], p[0])));
}

void sim_mesh_compute_normals(sim_mesh *mesh)
{
    for (uint32_t v = 0; v < mesh->vertex_count; v++)
        mesh->normals[v] = sim_v3(0, 0, 0);
    for (uint32_t t = 0; t < mesh->triangle_count; t++) {
        sim_vec3 p[3];
        double angle[3];
        sim_mesh_triangle(mesh, t, p);
        sim_vec3 n = sim__triangle_normal(p);
        sim__mesh_corner_angles(p, angle);
        for (int k = 0; k < 3; k++) {
            uint32_t vi = mesh->indices[(size_t)t * 3u + (size_t)k];
            mesh->normals[vi] = sim_v3_add(mesh->normals[vi], sim_v3_scale(n, angle[k]));
        }
    }
    for (uint32_t v = 0; v < mesh->vertex_count; v++)
        mesh->normals[v] = sim_v3_normalize(mesh->normals[v]);
}

double sim_mesh_area(const sim_mesh *mesh)
{
    double area = 0.0;
    for (uint32_t t = 0; t < mesh->triangle_count; t++) {
        sim_vec3 p[3];
        sim_mesh_triangle(mesh, t, p);
        area += 0.5 * sim_v3_len(sim_v3_cross(sim_v3_sub(p[1], p[0]), sim_v3_sub(p[2], p[0])));
    }
    return area;
}

/* Ericson, Real-Time Collision Detection, 5.1.5: Voronoi regions of the
 * triangle's vertices, edges and face, in that order. */
sim_vec3 sim_closest_on_triangle(sim_vec3 p, sim_vec3 a, sim_vec3 b,
                                 sim_vec3 c, double bary[3])
{
    sim_vec3 ab = sim_v3_sub(b, a), ac = sim_v3_sub(c, a), ap = sim_v3_sub(p, a);
    double d1 = sim_v3_dot(ab, ap), d2 = sim_v3_dot(ac, ap);
    if (d1 <= 0.0 && d2 <= 0.0) {
        bary[0] = 1, bary[1] = 0, bary[2] = 0;
        return a;
    }
    sim_vec3 bp = sim_v3_sub(p, b);
    double d3 = sim_v3_dot(ab, bp), d4 = sim_v3_dot(ac, bp);
    if (d3 >= 0.0 && d4 <= d3) {
        bary[0] = 0, bary[1] = 1, bary[2] = 0;
        return b;
    }
    double vc = d1 * d4 - d3 * d2;
    if (vc <= 0.0 && d1 >= 0.0 && d3 <= 0.0) {
        double v = d1 / (d1 - d3);
        bary[0] = 1 - v, bary[1] = v, bary[2] = 0;
        return sim_v3_add(a, sim_v3_scale(ab, v));
    }
    sim_vec3 cp = sim_v3_sub(p, c);
    double d5 = sim_v3_dot(ab, cp), d6 = sim_v3_dot(ac, cp);
    if (d6 >= 0.0 && d5 <= d6) {
        bary[0] = 0, bary[1] = 0, bary[2] = 1;
        return c;
    }
    double vb = d5 * d2 - d1 * d6;
    if (vb <= 0.0 && d2 >= 0.0 && d6 <= 0.0) {
        double w = d2 / (d2 - d6);
        bary[0] = 1 - w, bary[1] = 0, bary[2] = w;
        return sim_v3_add(a, sim_v3_scale(ac, w));
    }
    double va = d3 * d6 - d5 * d4;
    if (va <= 0.0 && (d4 - d3) >= 0.0 && (d5 - d6) >= 0.0) {
        double w = (d4 - d3) / ((d4 - d3) + (d5 - d6));
        bary[0] = 0, bary[1] = 1 - w, bary[2] = w;
        return sim_v3_add(b, sim_v3_scale(sim_v3_sub(c, b), w));
    }
    double denom = 1.0 / (va + vb + vc);
    double v = vb * denom, w = vc * denom;
    bary[0] = 1 - v - w, bary[1] = v, bary[2] = w;
    return sim_v3_add(a, sim_v3_add(sim_v3_scale(ab, v), sim_v3_scale(ac, w)));
}

/* Moller-Trumbore, two-sided. Returns t or -1 on a miss. */
double sim__ray_triangle(sim_vec3 o, sim_vec3 d, const sim_vec3 p[3], double bary[3])
{
    sim_vec3 e1 = sim_v3_sub(p[1], p[0]), e2 = sim_v3_sub(p[2], p[0]);
    sim_vec3 h = sim_v3_cross(d, e2);
    double det = sim_v3_dot(e1, h);
    if (fabs(det) < 1e-18)
        return -1.0;
    double inv = 1.0 / det;
    sim_vec3 s = sim_v3_sub(o, p[0]);
    double u = inv * sim_v3_dot(s, h);
    if (u < 0.0 || u > 1.0)
        return -1.0;
    sim_vec3 q = sim_v3_cross(s, e1);
    double v = inv * sim_v3_dot(d, q);
    if (v < 0.0 || u + v > 1.0)
        return -1.0;
    double t = inv * sim_v3_dot(e2, q);
    if (t < 0.0)
        return -1.0;
    bary[0] = 1.0 - u - v, bary[1] = u, bary[2] = v;
    return t;
}

sim_vec3 sim__mesh_shading_normal(const sim_mesh *mesh, uint32_t t, const double bary[3])
{
    const uint32_t *idx = &mesh->indices[(size_t)t * 3u];
    sim_vec3 n = sim_v3_scale(mesh->normals[idx[0]], bary[0]);
    n = sim_v3_add(n, sim_v3_scale(mesh->normals[idx[1]], bary[1]));
    n = sim_v3_add(n, sim_v3_scale(mesh->normals[idx[2]], bary[2]));
    return sim_v3_normalize(n);
}

bool sim_mesh_closest_brute(const sim_mesh *mesh, sim_vec3 p, sim_mesh_hit *hit)
{
    double best = INFINITY;
    for (uint32_t t = 0; t < mesh->triangle_count; t++) {
        sim_vec3 tri[3];
        double bary[3];
        sim_mesh_triangle(mesh, t, tri);
        sim_vec3 q = sim_closest_on_triangle(p, tri[0], tri[1], tri[2], bary);
        double d2 = sim_v3_len2(sim_v3_sub(p, q));
        if (d2 < best) {
            best = d2;
            hit->point = q;
            hit->triangle = t;
            memcpy(hit->bary, bary, sizeof bary);
        }
    }
    if (best == INFINITY)
        return false;
    sim_vec3 tri[3];
    sim_mesh_triangle(mesh, hit->triangle, tri);
    hit->distance = sqrt(best);
    hit->normal = sim__mesh_shading_normal(mesh, hit->triangle, hit->bary);
    double side = sim_v3_dot(sim_v3_sub(p, hit->point), sim__triangle_normal(tri));
    hit->signed_distance = side < 0.0 ? -hit->distance : hit->distance;
    return true;
}

bool sim_mesh_raycast_brute(const sim_mesh *mesh, sim_vec3 origin, sim_vec3 dir,
                            double t_max, sim_mesh_hit *hit)
{
    double best = t_max;
    bool found = false;
    for (uint32_t t = 0; t < mesh->triangle_count; t++) {
        sim_vec3 tri[3];
        double bary[3];
        sim_mesh_triangle(mesh, t, tri);
        double tt = sim__ray_triangle(origin, dir, tri, bary);
        if (tt >= 0.0 && tt <= best) {
            best = tt;
            found = true;
            hit->triangle = t;
            memcpy(hit->bary, bary, sizeof bary);
        }
    }
    if (!found)
        return false;
    hit->distance = best;
    hit->signed_distance = 0.0;
    hit->point = sim_v3_add(origin, sim_v3_scale(dir, best));
    hit->normal = sim__mesh_shading_normal(mesh, hit->triangle, hit->bary);
    return true;
}
