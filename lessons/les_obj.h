/* les_obj.h: imported head meshes, read from Wavefront OBJ files (the
 * format every scanner and modeller exports), for lessons whose surface
 * names a `mesh:`.
 *
 * What is read: `v x y z [w]` vertices and `f` faces of 3 or more corners
 * (`i`, `i/t`, `i//n`, `i/t/n`; negative indices count back from the
 * latest vertex), fanned into triangles. Texture coordinates, normals,
 * groups, objects, smoothing, materials, lines and points are skipped;
 * any other statement is an error. Comments start with `#`.
 *
 * What is checked, each error naming the file, line and column:
 *  - numbers are finite and, once scaled by unit_mm, within 10 m;
 *  - faces refer to vertices defined before them, never twice the same;
 *  - at most 1,000,000 vertices and 2,000,000 triangles;
 *  - the mesh is closed: every edge is shared by exactly two faces, wound
 *    in opposite directions (a head's signed distance needs it);
 *  - it is head-sized (50-500 mm across) and encloses the chart centre
 *    (sim_surface.h), so the scalp chart covers it.
 * A mesh wound clockwise (inward normals) is turned outward silently.
 * The result is in the head frame, millimetres, with vertex normals.
 *
 * Ownership: *out is a new mesh (sim_mesh_deinit). On failure it is empty.
 * Threads: reentrant.
 */
#ifndef LES_OBJ_H
#define LES_OBJ_H

#include "les_lesson.h"
#include "sim_mesh.h"

#define LES_OBJ_MAX_VERTICES 1000000u
#define LES_OBJ_MAX_TRIANGLES 2000000u

/* Parses OBJ text; `name` is used in messages (err->file). LES_OK,
 * LES_ERR_INPUT (with line and column) or LES_ERR_NOMEM. */
les_result les_obj_parse(const char *text, size_t len, const char *name,
                         double unit_mm, sim_mesh *out, sim_error *err);
/* Reads and parses a file; LES_ERR_IO when it cannot be read. */
les_result les_obj_load(const char *path, double unit_mm, sim_mesh *out,
                        sim_error *err);

#endif /* LES_OBJ_H */
