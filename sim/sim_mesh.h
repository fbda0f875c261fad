/* sim_mesh.h: triangle meshes, the bounding-volume hierarchy that answers
 * closest-point, signed-distance and ray queries on them, and the procedural
 * default head.
 *
 * Frames and units: head frame (DESIGN.md section 3), millimetres. Origin
 * midway between the ear canals, +X toward the subject's left ear, +Y up,
 * +Z forward (toward the face). Triangles wind counter-clockwise seen from
 * outside; meshes used for signed distance must be closed and manifold.
 *
 * Ownership: a sim_mesh owns its arrays (sim_mesh_deinit frees them). A
 * sim_bvh borrows its mesh (the mesh must outlive it) and owns its nodes.
 *
 * Threads: building is single-threaded. Queries on a built BVH are
 * read-only, allocate nothing and take no locks, so any number of threads
 * (the 1 kHz haptic servo thread included) may query one BVH at once.
 */
#ifndef SIM_MESH_H
#define SIM_MESH_H

#include "sim_base.h"

/* ---------------------------------------------------------------------------
 * Mesh
 * ------------------------------------------------------------------------- */
typedef struct sim_mesh {
    sim_vec3 *positions;     /* vertex_count positions, mm */
    sim_vec3 *normals;       /* vertex_count unit shading normals (outward) */
    uint32_t *indices;       /* 3 * triangle_count vertex indices, CCW outside */
    uint32_t vertex_count;
    uint32_t triangle_count;
} sim_mesh;

/* Allocates zeroed arrays for the given counts. On failure `mesh` is left
 * empty (safe to deinit) and SIM_ERR_NOMEM returned. */
sim_result sim_mesh_alloc(sim_mesh *mesh, uint32_t vertex_count,
                          uint32_t triangle_count);
/* Frees the arrays; leaves an empty mesh. NULL-safe, idempotent. */
void sim_mesh_deinit(sim_mesh *mesh);
/* Recomputes `normals` as angle-weighted averages of the face normals. */
void sim_mesh_compute_normals(sim_mesh *mesh);
/* Total surface area, mm^2. */
double sim_mesh_area(const sim_mesh *mesh);
/* Corner positions of triangle t. */
void sim_mesh_triangle(const sim_mesh *mesh, uint32_t t, sim_vec3 out[3]);

/* ---------------------------------------------------------------------------
 * Queries (shared by the BVH and the brute-force reference)
 * ------------------------------------------------------------------------- */
typedef struct sim_mesh_hit {
    sim_vec3 point;          /* closest point (or ray hit) on the surface, mm */
    sim_vec3 normal;         /* unit shading normal there (interpolated), outward */
    double distance;         /* unsigned distance from the query point, mm; ray t for rays */
    double signed_distance;  /* > 0 outside (in the air), < 0 inside (in skin) */
    uint32_t triangle;       /* index of the triangle hit */
    double bary[3];          /* barycentric coordinates of `point` in it */
} sim_mesh_hit;

/* Closest point on triangle (a, b, c) to p; writes barycentrics. */
sim_vec3 sim_closest_on_triangle(sim_vec3 p, sim_vec3 a, sim_vec3 b,
                                 sim_vec3 c, double bary[3]);

/* Brute force over every triangle: the reference the BVH is tested and
 * benchmarked against. Its signed_distance takes the sign from the closest
 * triangle's face normal, which is exact away from edges and vertices. */
bool sim_mesh_closest_brute(const sim_mesh *mesh, sim_vec3 p, sim_mesh_hit *hit);
bool sim_mesh_raycast_brute(const sim_mesh *mesh, sim_vec3 origin, sim_vec3 dir,
                            double t_max, sim_mesh_hit *hit);

/* ---------------------------------------------------------------------------
 * Bounding-volume hierarchy
 * ------------------------------------------------------------------------- */
typedef struct sim_bvh_node {
    float lo[3], hi[3];      /* bounds, conservatively rounded outward */
    uint32_t first;          /* leaf: first index into tri_order; inner: left child */
    uint32_t count;          /* leaf: triangle count (> 0); inner: 0 */
} sim_bvh_node;

typedef struct sim_bvh {
    const sim_mesh *mesh;    /* borrowed */
    sim_bvh_node *nodes;     /* node 0 is the root */
    uint32_t node_count;
    uint32_t *tri_order;     /* triangle indices, leaves index ranges of it */
    /* Angle-weighted pseudo-normals (Baerentzen & Aanaes 2005) give the
     * correct inside/outside sign at faces, edges and vertices of a closed
     * manifold mesh. */
    sim_vec3 *face_normal;   /* triangle_count */
    sim_vec3 *edge_normal;   /* 3 * triangle_count: edge (i, i+1) of each tri */
    sim_vec3 *vertex_normal; /* vertex_count */
    uint32_t depth;          /* deepest leaf; queries use a fixed stack */
} sim_bvh;

/* The deepest tree a build produces; queries keep a stack of this size. */
#define SIM_BVH_MAX_DEPTH 64

/* Builds a BVH over `mesh` (borrowed). Open meshes are allowed; the sign of
 * signed_distance is only meaningful for closed ones. */
sim_result sim_bvh_build(sim_bvh *bvh, const sim_mesh *mesh, sim_error *err);
/* Frees the tree; NULL-safe, idempotent. */
void sim_bvh_deinit(sim_bvh *bvh);

/* Closest point on the mesh to p within max_dist (use INFINITY for no
 * limit). Returns false when nothing is that close or the tree is empty.
 * Allocation-free, lock-free. */
bool sim_bvh_closest(const sim_bvh *bvh, sim_vec3 p, double max_dist,
                     sim_mesh_hit *hit);
/* First hit of the ray origin + t*dir, 0 <= t <= t_max (dir need not be
 * unit; hit->distance is t in units of |dir|). Returns false on a miss. */
bool sim_bvh_raycast(const sim_bvh *bvh, sim_vec3 origin, sim_vec3 dir,
                     double t_max, sim_mesh_hit *hit);

/* ---------------------------------------------------------------------------
 * The procedural default head
 * ------------------------------------------------------------------------- */
typedef struct sim_head_desc {
    uint32_t face_cells;     /* cells along each cube-sphere face edge; 0 = 128 */
} sim_head_desc;

/* The desc with every zero field replaced by its default. */
sim_head_desc sim_head_desc_resolve(sim_head_desc desc);

/* Anthropometric landmarks of the default head, head frame, mm. */
typedef struct sim_head_landmarks {
    sim_vec3 vertex;            /* highest point of the scalp */
    sim_vec3 glabella;          /* between the brows */
    sim_vec3 nasion;
    sim_vec3 opisthocranion;    /* most posterior point of the skull */
    sim_vec3 tragion_left, tragion_right;
    sim_vec3 canthus_left, canthus_right;   /* lateral canthi (eye corners) */
} sim_head_landmarks;

/* Builds the deterministic default head: a closed, smooth mesh of a full
 * head (cranium, face, ears, neck) sized to adult averages. Uses only
 * +, -, *, / and sqrt, so every IEEE-754 machine builds the same bits.
 * `out` receives a new mesh (caller deinits). */
sim_result sim_head_build(sim_mesh *out, const sim_head_desc *desc, sim_error *err);
/* Landmarks of the default head (independent of resolution). */
void sim_head_landmarks_get(sim_head_landmarks *out);
/* The head's signed distance function (mm, > 0 outside), exposed so tests
 * can check the mesh against the surface it approximates. */
double sim_head_sdf(sim_vec3 p);

#endif /* SIM_MESH_H */
