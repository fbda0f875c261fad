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

static double axis_of(sim_vec3 v, int k) { return k == 0 ? v.x : (k == 1 ? v.y : v.z); }

void sim__ray_prep(sim__ray *ray, sim_vec3 origin, sim_vec3 dir)
{
    ray->origin = origin;
    double ax = fabs(dir.x), ay = fabs(dir.y), az = fabs(dir.z);
    int kz = (ax > ay) ? (ax > az ? 0 : 2) : (ay > az ? 1 : 2);
    int kx = (kz + 1) % 3, ky = (kx + 1) % 3;
    if (axis_of(dir, kz) < 0) {
        int t = kx;
        kx = ky;
        ky = t;   /* keep the winding of the sheared triangle */
    }
    ray->kx = kx, ray->ky = ky, ray->kz = kz;
    double dz = axis_of(dir, kz);
    ray->sx = axis_of(dir, kx) / dz;
    ray->sy = axis_of(dir, ky) / dz;
    ray->sz = 1.0 / dz;
}

/* Woop, Benthin and Wald 2013: in a frame where the ray is the +z axis,
 * each edge function is computed from its two vertices alone, so a shared
 * edge gets exactly opposite values in its two triangles (IEEE subtraction
 * is exactly antisymmetric and -ffp-contract=off forbids fused products):
 * no ray slips between them. Points exactly on an edge count as inside. */
double sim__ray_triangle(const sim__ray *ray, const sim_vec3 p[3], double bary[3])
{
    sim_vec3 a = sim_v3_sub(p[0], ray->origin), b = sim_v3_sub(p[1], ray->origin),
             c = sim_v3_sub(p[2], ray->origin);
    double az = axis_of(a, ray->kz), bz = axis_of(b, ray->kz), cz = axis_of(c, ray->kz);
    double ax = axis_of(a, ray->kx) - ray->sx * az, ay = axis_of(a, ray->ky) - ray->sy * az;
    double bx = axis_of(b, ray->kx) - ray->sx * bz, by = axis_of(b, ray->ky) - ray->sy * bz;
    double cx = axis_of(c, ray->kx) - ray->sx * cz, cy = axis_of(c, ray->ky) - ray->sy * cz;
    double u = cx * by - cy * bx;
    double v = ax * cy - ay * cx;
    double w = bx * ay - by * ax;
    if ((u < 0 || v < 0 || w < 0) && (u > 0 || v > 0 || w > 0))
        return -1.0;
    double det = u + v + w;
    if (det == 0.0)
        return -1.0;   /* the ray runs in the triangle's plane */
    double t = (u * az + v * bz + w * cz) * ray->sz / det;
    if (!(t >= 0.0))
        return -1.0;
    bary[0] = u / det, bary[1] = v / det, bary[2] = w / det;
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
    sim__ray ray;
    sim__ray_prep(&ray, origin, dir);
    for (uint32_t t = 0; t < mesh->triangle_count; t++) {
        sim_vec3 tri[3];
        double bary[3];
        sim_mesh_triangle(mesh, t, tri);
        double tt = sim__ray_triangle(&ray, tri, bary);
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
