/* sim_mesh_internal.h: helpers shared by sim_mesh.c, sim_bvh.c and
 * sim_head.c. Not part of the public API. */
#ifndef SIM_MESH_INTERNAL_H
#define SIM_MESH_INTERNAL_H

#include "sim_mesh.h"

/* Unit normal of a counter-clockwise triangle. */
sim_vec3 sim__triangle_normal(const sim_vec3 p[3]);
/* Interior angles at the three corners. */
void sim__mesh_corner_angles(const sim_vec3 p[3], double angle[3]);
/* A ray prepared for the watertight ray/triangle test (Woop, Benthin and
 * Wald, "Watertight Ray/Triangle Intersection", JCGT 2013): the axis the
 * ray runs most along and the shear that maps it onto that axis. */
typedef struct sim__ray {
    sim_vec3 origin;
    int kx, ky, kz;
    double sx, sy, sz;
} sim__ray;

/* Prepares origin + t*dir (dir non-zero). */
void sim__ray_prep(sim__ray *ray, sim_vec3 origin, sim_vec3 dir);
/* The prepared ray against a triangle, both sides: t >= 0 on a hit (bary
 * filled), -1 on a miss. Watertight: a ray through a shared edge or vertex
 * hits at least one of the triangles sharing it, never slips between. */
double sim__ray_triangle(const sim__ray *ray, const sim_vec3 p[3], double bary[3]);
/* Interpolated shading normal at barycentric coordinates of triangle t. */
sim_vec3 sim__mesh_shading_normal(const sim_mesh *mesh, uint32_t t, const double bary[3]);

#endif
