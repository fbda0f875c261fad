/* sim_mesh_internal.h: helpers shared by sim_mesh.c, sim_bvh.c and
 * sim_head.c. Not part of the public API. */
#ifndef SIM_MESH_INTERNAL_H
#define SIM_MESH_INTERNAL_H

#include "sim_mesh.h"

/* Unit normal of a counter-clockwise triangle. */
sim_vec3 sim__triangle_normal(const sim_vec3 p[3]);
/* Interior angles at the three corners. */
void sim__mesh_corner_angles(const sim_vec3 p[3], double angle[3]);
/* Ray (origin o, direction d) against a triangle, both sides: t >= 0 on a
 * hit (bary filled), -1 on a miss. */
double sim__ray_triangle(sim_vec3 o, sim_vec3 d, const sim_vec3 p[3], double bary[3]);
/* Interpolated shading normal at barycentric coordinates of triangle t. */
sim_vec3 sim__mesh_shading_normal(const sim_mesh *mesh, uint32_t t, const double bary[3]);

#endif
