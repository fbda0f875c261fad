/* rnd_lod.c: the mesh the renderer draws for a head: coarser than the one
 * the simulation queries, with every vertex on it.
 *
 * The default head has ~200k triangles of ~1 mm: right for contact and
 * picking, but a software rasteriser pays per triangle and shades whole
 * 2x2 (or larger) pixel blocks at every small triangle's edges, so a frame
 * of the framed head cost ~3x that of the same pixels on a few big
 * triangles. The display mesh is a cube-sphere of RND__LOD_CELLS cells per
 * face whose vertices are where rays from far outside toward the head
 * frame's origin first meet the simulation's surface (the default head is
 * star-shaped about that origin, so this is its surface), with the
 * surface's interpolated normals. Chords of ~4 mm on a ~100 mm radius sit
 * within ~0.02 mm of the surface: no visible difference in shading, and
 * the ink layer is in chart space, so dots do not depend on the mesh.
 *
 * Threads: reentrant (reads the surface; allocates the output only).
 * Ownership: the caller deinits the mesh (sim_mesh_deinit).
 */
#include "rnd_internal.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */
/* ------------------------------------------------------------------------ */

#define RND__LOD_FAR_MM 1000.0   /* rays start this far out */
#define RND__LOD_TRIES 4

/* The six cube faces: outward axis and in-plane axes (u x v = n), as the
 * default head's own cube-sphere. */
static const int rnd__face_axes[6][3][3] = {
    {{1, 0, 0}, {0, 0, -1}, {0, 1, 0}},
    {{-1, 0, 0}, {0, 0, 1}, {0, 1, 0}},
    {{0, 1, 0}, {1, 0, 0}, {0, 0, -1}},
    {{0, -1, 0}, {1, 0, 0}, {0, 0, 1}},
    {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}},
    {{0, 0, -1}, {-1, 0, 0}, {0, 1, 0}},
};

/* Cube point to a unit direction (area-balancing map, symmetric in the
 * axes so shared cube edges give identical directions from both faces). */
static sim_vec3 rnd__cube_dir(double a, double b, double c)
{
    double a2 = a * a, b2 = b * b, c2 = c * c;
    sim_vec3 s = sim_v3(a * sqrt(1.0 - b2 / 2.0 - c2 / 2.0 + b2 * c2 / 3.0),
                        b * sqrt(1.0 - c2 / 2.0 - a2 / 2.0 + c2 * a2 / 3.0),
                        c * sqrt(1.0 - a2 / 2.0 - b2 / 2.0 + a2 * b2 / 3.0));
    return sim_v3_normalize(s);
}

/* The outermost surface point along `dir` from the origin. A ray exactly
 * through a vertex or along an edge of the simulation's mesh can slip
 * between its triangles (the ray-triangle test is not watertight) and meet
 * the far side: such hits are refused and the ray moved by a few microns,
 * which is far below anything drawn. */
static bool rnd__outer_hit(const sim_surface *surface, sim_vec3 dir, sim_surface_hit *hit)
{
    static const double jitter_mm[RND__LOD_TRIES][2] = {
        {0.0, 0.0}, {0.0031, 0.0017}, {-0.0023, 0.0029}, {0.0013, -0.0037},
    };
    sim_vec3 a = fabs(dir.x) < 0.9 ? sim_v3(1, 0, 0) : sim_v3(0, 1, 0);
    sim_vec3 t = sim_v3_normalize(sim_v3_cross(a, dir)), b = sim_v3_cross(dir, t);
    for (int k = 0; k < RND__LOD_TRIES; k++) {
        sim_vec3 from = sim_v3_add(sim_v3_scale(dir, RND__LOD_FAR_MM),
                                   sim_v3_add(sim_v3_scale(t, jitter_mm[k][0]),
                                              sim_v3_scale(b, jitter_mm[k][1])));
        if (sim_surface_raycast(surface, from, sim_v3_scale(dir, -1.0), hit) &&
            sim_v3_dot(hit->point_mm, dir) > 0.0)
            return true;
    }
    return false;
}

rnd_result rnd__display_mesh(const sim_surface *surface, uint32_t cells, sim_mesh *out)
{
    memset(out, 0, sizeof *out);
    if (!surface || surface->kind != SIM_SURFACE_HEAD || cells < 2 || cells > 512)
        return RND_ERR_ARG;
    uint32_t side = cells + 1;
    uint32_t verts = 6u * side * side, tris = 6u * cells * cells * 2u;
    if (sim_mesh_alloc(out, verts, tris) != SIM_OK)
        return RND_ERR_NOMEM;
    for (uint32_t f = 0; f < 6; f++) {
        const int (*ax)[3] = rnd__face_axes[f];
        for (uint32_t j = 0; j < side; j++)
            for (uint32_t i = 0; i < side; i++) {
                /* integer lattice, as the head's: identical directions on
                 * shared cube edges */
                int32_t u = 2 * (int32_t)i - (int32_t)cells;
                int32_t v = 2 * (int32_t)j - (int32_t)cells;
                double k[3];
                for (int c = 0; c < 3; c++)
                    k[c] = (double)(ax[0][c] * (int32_t)cells + ax[1][c] * u + ax[2][c] * v) / cells;
                sim_vec3 dir = rnd__cube_dir(k[0], k[1], k[2]);
                size_t vi = ((size_t)f * side + j) * side + i;
                sim_surface_hit hit;
                if (!rnd__outer_hit(surface, dir, &hit)) {
                    /* not star-shaped here (a scan with a hole): the
                     * closest point keeps the mesh closed */
                    sim_surface_closest(surface, sim_v3_scale(dir, 100.0), &hit);
                }
                out->positions[vi] = hit.point_mm;
                out->normals[vi] = hit.normal;
            }
    }
    uint32_t *idx = out->indices;
    for (uint32_t f = 0; f < 6; f++)
        for (uint32_t j = 0; j < cells; j++)
            for (uint32_t i = 0; i < cells; i++) {
                uint32_t base = f * side * side;
                uint32_t a = base + j * side + i, b = a + 1;
                uint32_t e = base + (j + 1) * side + i, c = e + 1;
                if (((i + j) & 1u) == 0) {
                    *idx++ = a, *idx++ = b, *idx++ = c;
                    *idx++ = a, *idx++ = c, *idx++ = e;
                } else {
                    *idx++ = a, *idx++ = b, *idx++ = e;
                    *idx++ = b, *idx++ = c, *idx++ = e;
                }
            }
    return RND_OK;
}
