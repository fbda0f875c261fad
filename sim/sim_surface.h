/* sim_surface.h: the skin surfaces a trainee works on, and the scalp chart.
 *
 * Two kinds:
 *  - the practice PAD: a W x H mm slab of skin. Its frame: the surface is
 *    z = 0, skin below it (z < 0), x to the right, y away from the trainee,
 *    the pad spans [0, W] x [0, H]. Depth is positive into the skin.
 *  - a HEAD: a closed mesh in the head frame (the procedural default head,
 *    or an imported scan) with its BVH.
 *
 * The chart is the 2D parameterisation lessons use for zones, hairlines and
 * heatmaps:
 *  - pad: (x, y) in mm, the pad's own frame.
 *  - head: an azimuthal equidistant projection of the direction from the
 *    chart centre SIM_CHART_CENTRE (about the centre of the cranium, in the
 *    head frame), centred on +Y (the top of the head), scaled by
 *    SIM_CHART_RADIUS_MM. With d = p - centre, theta the angle between d and
 *    +Y and phi = atan2(d.x, d.z) (0 toward the face, +90 deg toward the
 *    left ear):
 *        u = R * theta * sin(phi)   (toward the subject's left ear, +X)
 *        v = R * theta * cos(phi)   (toward the face, +Z)
 *    so the chart reads like a top view of the scalp. On an adult cranium
 *    the skin lies 90-110 mm from the centre over the top, front and back,
 *    so chart millimetres are within about 10% of skin millimetres there
 *    (the temples and sides, nearer the centre, are drawn about 20% large).
 * Distances and areas reported to users are measured on the surface in 3D,
 * never in the chart; the chart only says which zone a point is in.
 *
 * Ownership: a surface owns its mesh and BVH. The BVH points at the mesh
 * inside the struct, so a sim_surface must never be copied by value: pass
 * pointers. Threads: after init, all
 * queries are read-only and allocation-free (safe from the servo thread).
 */
#ifndef SIM_SURFACE_H
#define SIM_SURFACE_H

#include "sim_base.h"
#include "sim_mesh.h"

#define SIM_CHART_RADIUS_MM 95.0
#define SIM_CHART_CENTRE_X 0.0
#define SIM_CHART_CENTRE_Y 30.0
#define SIM_CHART_CENTRE_Z (-10.0)

typedef enum sim_surface_kind {
    SIM_SURFACE_NONE = 0,
    SIM_SURFACE_PAD = 1,
    SIM_SURFACE_HEAD = 2,
} sim_surface_kind;

typedef struct sim_surface_desc {
    sim_surface_kind kind;
    double width_mm;         /* pad: 0 = 100 */
    double height_mm;        /* pad: 0 = 100 */
    double thickness_mm;     /* pad: slab thickness drawn; 0 = 6 */
    sim_head_desc head;      /* head: mesh resolution */
} sim_surface_desc;

/* The desc with every zero field replaced by its default. */
sim_surface_desc sim_surface_desc_resolve(sim_surface_desc desc);

typedef struct sim_surface {
    sim_surface_kind kind;
    double width_mm, height_mm, thickness_mm;   /* pad only */
    sim_mesh mesh;           /* drawable mesh: the head, or the pad slab */
    sim_bvh bvh;             /* head only (the pad is answered analytically) */
} sim_surface;

/* A query's answer on the surface. */
typedef struct sim_surface_hit {
    sim_vec3 point_mm;       /* closest point on the skin surface */
    sim_vec3 normal;         /* unit outward normal there */
    double depth_mm;         /* how far the query point is below the skin
                                surface (> 0 in skin, < 0 in the air) */
    sim_vec2 chart_mm;       /* chart coordinates of point_mm */
    bool on_surface;         /* false: the pad's nearest point is on its rim,
                                the query is beside the pad, not over it */
} sim_surface_hit;

/* Builds the surface (the head mesh and BVH take ~0.1-0.3 s). On failure
 * the surface is left empty (safe to deinit). */
sim_result sim_surface_init(sim_surface *surface, const sim_surface_desc *desc,
                            sim_error *err);
/* Takes ownership of `mesh` (a closed head scan in the head frame); `mesh`
 * is emptied. */
sim_result sim_surface_init_mesh(sim_surface *surface, sim_mesh *mesh,
                                 sim_error *err);
void sim_surface_deinit(sim_surface *surface);

/* Closest point on the skin to p, with depth and chart. Always succeeds on
 * an initialised surface. Allocation-free. */
void sim_surface_closest(const sim_surface *surface, sim_vec3 p,
                         sim_surface_hit *hit);
/* First point where the ray origin + t*dir (t >= 0, dir unit) meets the
 * skin surface: the pad's top face within its bounds, or the head mesh.
 * False on a miss. Allocation-free. */
bool sim_surface_raycast(const sim_surface *surface, sim_vec3 origin, sim_vec3 dir,
                         sim_surface_hit *hit);
/* Chart coordinates of a point (on or near the surface). */
sim_vec2 sim_surface_chart(const sim_surface *surface, sim_vec3 p);
/* The surface point whose chart coordinates are uv. False when uv lies off
 * the pad or beyond the chart's range (theta > pi). */
bool sim_surface_from_chart(const sim_surface *surface, sim_vec2 uv,
                            sim_surface_hit *hit);
/* Surface area (mm^2, measured on the skin in 3D) whose chart coordinates
 * fall inside the polygon (chart mm, any winding, simple). The head sums
 * triangles by centroid (the error is under one triangle along the rim). */
double sim_surface_area_in_polygon(const sim_surface *surface,
                                   const sim_vec2 *polygon, size_t count);

/* Chart of a head-frame point (any distance from the chart centre);
 * exposed for lessons, which project 3D authoring points without a mesh. */
sim_vec2 sim_chart_head(sim_vec3 p);
/* Inverse: the unit direction from the chart centre for chart coordinates;
 * false beyond theta > pi. */
bool sim_chart_head_dir(sim_vec2 uv, sim_vec3 *dir);
/* The chart centre as a vector. */
sim_vec3 sim_chart_centre(void);

/* ---------------------------------------------------------------------------
 * 2D polygon helpers (chart space)
 * ------------------------------------------------------------------------- */
/* Even-odd point-in-polygon test. Points on an edge count as inside for
 * one of the two polygons sharing it, never both. */
bool sim_polygon_contains(const sim_vec2 *poly, size_t count, sim_vec2 p);
/* Signed area (shoelace; > 0 counter-clockwise). */
double sim_polygon_signed_area(const sim_vec2 *poly, size_t count);
/* True when two non-adjacent edges cross or touch. O(n^2); n is small. On
 * true, *edge_a and *edge_b (may be NULL) name the first crossing pair. */
bool sim_polygon_self_intersects(const sim_vec2 *poly, size_t count,
                                 size_t *edge_a, size_t *edge_b);
/* Distance from p to the polyline (open) or polygon (closed). */
double sim_polyline_distance(const sim_vec2 *pts, size_t count, bool closed,
                             sim_vec2 p);

#endif /* SIM_SURFACE_H */
