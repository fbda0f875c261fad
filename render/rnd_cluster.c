/* rnd_cluster.c: a surface mesh cut into spatial clusters, so a frame
 * draws only the clusters in the view and facing it.
 *
 * Close up, the default head's ~200k triangles are mostly behind the
 * camera or beside the screen, and a software rasteriser still transforms
 * every vertex; from afar half the head faces away. The mesh's triangles
 * are sorted by the grid cell (RND__CLUSTER_CELL_MM) holding their
 * centroid; each cluster keeps its index range, a bounding sphere and a
 * cone bounding its face normals. A cluster is skipped when its sphere is
 * outside a frustum plane, or when every triangle in it faces away from
 * the eye (the cone test of meshoptimizer's meshopt_computeClusterBounds:
 * dot(c - eye, axis) >= sin(half-angle) * |c - eye| + radius).
 *
 * Pure CPU; threads: reentrant. Ownership: rnd__clusters owns its arrays
 * (sim_malloc), freed by rnd__clusters_free.
 */
#include "rnd_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Building                                                                 */
/* ------------------------------------------------------------------------ */

typedef struct rnd__tri_key {
    uint64_t cell;
    uint32_t tri;
} rnd__tri_key;

static int rnd__cmp_key(const void *a, const void *b)
{
    const rnd__tri_key *x = a, *y = b;
    if (x->cell != y->cell)
        return x->cell < y->cell ? -1 : 1;
    return (x->tri > y->tri) - (x->tri < y->tri);
}

void rnd__clusters_free(rnd__clusters *c)
{
    if (!c)
        return;
    sim_free(c->items);
    sim_free(c->indices);
    memset(c, 0, sizeof *c);
}

static void rnd__cluster_bounds(const sim_mesh *m, const uint32_t *idx, uint32_t count,
                                rnd__cluster *out)
{
    double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
    sim_vec3 axis = sim_v3(0, 0, 0);
    for (uint32_t k = 0; k < count; k++) {
        sim_vec3 p = m->positions[idx[k]];
        double q[3] = {p.x, p.y, p.z};
        for (int a = 0; a < 3; a++) {
            lo[a] = q[a] < lo[a] ? q[a] : lo[a];
            hi[a] = q[a] > hi[a] ? q[a] : hi[a];
        }
    }
    sim_vec3 centre = sim_v3(0.5 * (lo[0] + hi[0]), 0.5 * (lo[1] + hi[1]), 0.5 * (lo[2] + hi[2]));
    double r2 = 0.0;
    for (uint32_t k = 0; k < count; k++) {
        double d2 = sim_v3_len2(sim_v3_sub(m->positions[idx[k]], centre));
        r2 = d2 > r2 ? d2 : r2;
    }
    for (uint32_t k = 0; k + 2 < count; k += 3) {
        sim_vec3 a = m->positions[idx[k]], b = m->positions[idx[k + 1]], c = m->positions[idx[k + 2]];
        axis = sim_v3_add(axis, sim_v3_normalize(sim_v3_cross(sim_v3_sub(b, a), sim_v3_sub(c, a))));
    }
    axis = sim_v3_normalize(axis);
    double cos_min = 1.0;
    for (uint32_t k = 0; k + 2 < count; k += 3) {
        sim_vec3 a = m->positions[idx[k]], b = m->positions[idx[k + 1]], c = m->positions[idx[k + 2]];
        sim_vec3 n = sim_v3_normalize(sim_v3_cross(sim_v3_sub(b, a), sim_v3_sub(c, a)));
        if (sim_v3_len2(n) == 0.0)
            continue; /* degenerate: faces nowhere */
        double d = sim_v3_dot(n, axis);
        cos_min = d < cos_min ? d : cos_min;
    }
    out->centre[0] = (float)centre.x;
    out->centre[1] = (float)centre.y;
    out->centre[2] = (float)centre.z;
    out->radius = (float)(sqrt(r2) * 1.0001 + 1e-4);
    out->axis[0] = (float)axis.x;
    out->axis[1] = (float)axis.y;
    out->axis[2] = (float)axis.z;
    /* cutoff = sin(half-angle); a cone of 90 degrees or more never culls */
    out->cutoff = (sim_v3_len2(axis) > 0.0 && cos_min > 0.0) ? (float)(sqrt(1.0 - cos_min * cos_min) + 1e-4)
                                                              : 2.0f;
}

rnd_result rnd__clusters_build(const sim_mesh *m, double cell_mm, rnd__clusters *out)
{
    memset(out, 0, sizeof *out);
    if (!m || m->triangle_count == 0 || !(cell_mm > 0.0))
        return RND_ERR_ARG;
    uint32_t n = m->triangle_count;
    rnd__tri_key *keys = sim_malloc((size_t)n * sizeof *keys);
    out->indices = sim_malloc((size_t)n * 3 * sizeof *out->indices);
    if (!keys || !out->indices) {
        sim_free(keys);
        rnd__clusters_free(out);
        return RND_ERR_NOMEM;
    }
    for (uint32_t t = 0; t < n; t++) {
        sim_vec3 p[3];
        sim_mesh_triangle(m, t, p);
        double c[3] = {(p[0].x + p[1].x + p[2].x) / 3.0, (p[0].y + p[1].y + p[2].y) / 3.0,
                       (p[0].z + p[1].z + p[2].z) / 3.0};
        uint64_t key = 0;
        for (int a = 0; a < 3; a++) {
            double g = floor(c[a] / cell_mm) + 1048576.0; /* 21 bits a side */
            g = g < 0.0 ? 0.0 : g > 2097151.0 ? 2097151.0 : g;
            key = (key << 21) | (uint64_t)g;
        }
        keys[t].cell = key;
        keys[t].tri = t;
    }
    qsort(keys, n, sizeof *keys, rnd__cmp_key);
    size_t clusters = 0;
    for (uint32_t t = 0; t < n; t++)
        if (t == 0 || keys[t].cell != keys[t - 1].cell)
            clusters++;
    out->items = sim_calloc(clusters, sizeof *out->items);
    if (!out->items) {
        sim_free(keys);
        rnd__clusters_free(out);
        return RND_ERR_NOMEM;
    }
    size_t c = 0;
    for (uint32_t t = 0; t < n; t++) {
        if (t > 0 && keys[t].cell != keys[t - 1].cell)
            c++;
        if (t == 0 || keys[t].cell != keys[t - 1].cell)
            out->items[c].first = 3 * t;
        out->items[c].count += 3;
        memcpy(out->indices + 3 * (size_t)t, m->indices + 3 * (size_t)keys[t].tri,
               3 * sizeof *out->indices);
    }
    out->count = clusters;
    for (size_t k = 0; k < clusters; k++)
        rnd__cluster_bounds(m, out->indices + out->items[k].first, out->items[k].count,
                            &out->items[k]);
    sim_free(keys);
    return RND_OK;
}

/* ------------------------------------------------------------------------ */
/* Culling                                                                  */
/* ------------------------------------------------------------------------ */

void rnd__frustum_planes(const float m[16], float planes[6][4])
{
    /* Gribb & Hartmann: rows of the column-major matrix */
    for (int i = 0; i < 3; i++)
        for (int s = 0; s < 2; s++) {
            float sign = s ? -1.0f : 1.0f;
            float *p = planes[2 * i + s];
            for (int k = 0; k < 4; k++)
                p[k] = m[4 * k + 3] + sign * m[4 * k + i];
            float len = sqrtf(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
            if (len > 0.0f)
                for (int k = 0; k < 4; k++)
                    p[k] /= len;
        }
}

bool rnd__cluster_visible(const rnd__cluster *c, const float planes[6][4], const float eye[3])
{
    for (int i = 0; i < 6; i++) {
        float d = planes[i][0] * c->centre[0] + planes[i][1] * c->centre[1] +
                  planes[i][2] * c->centre[2] + planes[i][3];
        if (d < -c->radius)
            return false;
    }
    if (c->cutoff <= 1.0f) {
        float v[3] = {c->centre[0] - eye[0], c->centre[1] - eye[1], c->centre[2] - eye[2]};
        float len = sqrtf(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        float along = v[0] * c->axis[0] + v[1] * c->axis[1] + v[2] * c->axis[2];
        if (along >= c->cutoff * len + c->radius)
            return false; /* every triangle faces away */
    }
    return true;
}
