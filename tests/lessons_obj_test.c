/* lessons_obj_test.c: imported head meshes (les_obj.h) and the files a
 * lesson names: a table of broken OBJ files, each with its exact message
 * and position; what valid files become (fans, negative indices, skipped
 * statements, inward winding turned out); a lesson on an imported copy of
 * the default head; missing, changed and broken named files reported at
 * their keys. */
#include <sodium.h>

#include "les_obj.h"
#include "lessons_helpers.h"

/* An octahedron of "radius" r mm around the chart centre (0, 30, -10),
 * moved dx along x, wound outward or inward (a static buffer). */
static char *octahedron(double r, double dx, bool inward)
{
    static char buf[1024];
    double c[3] = {0 + dx, 30, -10};
    snprintf(buf, sizeof buf,
             "# an octahedron\n"
             "v %g %g %g\nv %g %g %g\nv %g %g %g\nv %g %g %g\nv %g %g %g\nv %g %g %g\n",
             c[0] + r, c[1], c[2], c[0] - r, c[1], c[2], c[0], c[1] + r, c[2], c[0],
             c[1] - r, c[2], c[0], c[1], c[2] + r, c[0], c[1], c[2] - r);
    /* +x=1 -x=2 +y=3 -y=4 +z=5 -z=6, counter-clockwise seen from outside */
    static const int f[8][3] = {{1, 3, 5}, {3, 2, 5}, {2, 4, 5}, {4, 1, 5},
                                {3, 1, 6}, {2, 3, 6}, {4, 2, 6}, {1, 4, 6}};
    for (int i = 0; i < 8; i++) {
        size_t len = strlen(buf);
        if (inward)
            snprintf(buf + len, sizeof buf - len, "f %d %d %d\n", f[i][0], f[i][2], f[i][1]);
        else
            snprintf(buf + len, sizeof buf - len, "f %d %d %d\n", f[i][0], f[i][1], f[i][2]);
    }
    return buf;
}

static les_result parse(const char *text, double unit_mm, sim_mesh *m, char *msg, size_t size)
{
    sim_error err;
    les_result r = les_obj_parse(text, strlen(text), "m.obj", unit_mm, m, &err);
    sim_error_format(&err, msg, size);
    return r;
}

typedef struct obj_case {
    const char *what;
    const char *text;
    const char *expected;    /* sim_error_format's output */
} obj_case;

#define TRI "v 0 0 0\nv 1 0 0\nv 0 1 0\n"

static const obj_case BROKEN[] = {
    {"unknown statement", TRI "vx 1 2 3\n",
     "m.obj:4:1: unknown OBJ statement \"vx\" (a head mesh needs only `v` and `f`)"},
    {"vertex of two numbers", "v 1 2\n",
     "m.obj:1:1: a vertex is `v x y z` (and an optional w), got 2 numbers"},
    {"vertex coordinate not a number", "# c\n  v 1 2 x\n",
     "m.obj:2:9: a vertex coordinate must be a number, got \"x\""},
    {"vertex too far", "v 1e9 0 0\n",
     "m.obj:1:3: a vertex lies more than 10 m from the origin (after scaling by 1 mm per unit)"},
    {"face before its vertex", TRI "f 1 2 9\n",
     "m.obj:4:7: the face refers to vertex 9, but 3 vertices are defined before it"},
    {"negative index too far back", TRI "f -1 -2 -4\n",
     "m.obj:4:9: the face refers to vertex -4, but 3 vertices are defined before it"},
    {"face of two corners", TRI "f 1 2\n", "m.obj:4:1: a face needs at least 3 corners, got 2"},
    {"vertex twice in a face", TRI "f 1 2 1\n", "m.obj:4:7: the face uses vertex 1 twice"},
    {"bad corner", TRI "f 1 2/x 3\n",
     "m.obj:4:5: a face corner must be a vertex index (i, i/t, i//n or i/t/n), got \"2/x\""},
    {"NUL byte", "v 0 0 0\nv \0 0\n", "m.obj:2:1: a NUL byte: this is not a text OBJ file"},
    {"too few triangles", TRI "f 1 2 3\n",
     "m.obj: the mesh has 3 vertices and 1 triangles; a closed head needs at least 4 of each"},
};

static void test_broken_table(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof BROKEN / sizeof BROKEN[0]; i++) {
        const obj_case *c = &BROKEN[i];
        sim_mesh m;
        char msg[1024];
        sim_error err;
        /* the NUL case needs its length, not strlen */
        size_t len = strcmp(c->what, "NUL byte") == 0 ? 14 : strlen(c->text);
        les_result r = les_obj_parse(c->text, len, "m.obj", 1.0, &m, &err);
        sim_error_format(&err, msg, sizeof msg);
        if (r != LES_ERR_INPUT || strcmp(msg, c->expected) != 0 || m.positions) {
            fprintf(stderr, "case \"%s\": %s\n got:  %s\n want: %s\n", c->what,
                    les_result_name(r), msg, c->expected);
            failures++;
        }
        sim_mesh_deinit(&m);
    }
    assert_int_equal(failures, 0);
}

/* Whole-mesh checks: closed, consistently wound, head-sized, around the
 * chart centre. */
static void test_mesh_checks(void **state)
{
    (void)state;
    sim_mesh m;
    char msg[1024];
    char open_mesh[1200];
    snprintf(open_mesh, sizeof open_mesh, "%s", octahedron(100, 0, false));
    *strrchr(open_mesh, 'f') = '#'; /* drop the last face */
    assert_int_equal(parse(open_mesh, 1.0, &m, msg, sizeof msg), LES_ERR_INPUT);
    assert_string_equal(msg, "m.obj:12:1: the mesh is not closed: the edge from vertex 1 to 6 "
                             "belongs to one face only (a head mesh must be watertight)");
    char flipped[1200];
    snprintf(flipped, sizeof flipped, "%s", octahedron(100, 0, false));
    char *last = strrchr(flipped, 'f');
    memcpy(last, "f 1 6 4", 7); /* one face against its neighbours */
    assert_int_equal(parse(flipped, 1.0, &m, msg, sizeof msg), LES_ERR_INPUT);
    assert_string_equal(msg, "m.obj:15:1: the edge from vertex 1 to 6 is used by two faces in "
                             "the same direction (faces wound inconsistently, or more than two "
                             "faces on one edge)");
    assert_int_equal(parse(octahedron(100, 0, false), 0.001, &m, msg, sizeof msg), LES_ERR_INPUT);
    assert_string_equal(msg, "m.obj: the mesh is 0.2 mm across; a head is 150-250 mm (is "
                             "`mesh_unit_mm` right? a scan in metres needs 1000)");
    assert_int_equal(parse(octahedron(100, 300, false), 1.0, &m, msg, sizeof msg), LES_ERR_INPUT);
    assert_string_equal(msg, "m.obj: the mesh does not enclose the chart centre (0, 30, -10): a "
                             "head mesh must be in the head frame (origin between the ear "
                             "canals, +y up, +z toward the face, mm)");
    assert_null(m.positions);
}

static double signed_volume(const sim_mesh *m)
{
    double v6 = 0;
    for (uint32_t t = 0; t < m->triangle_count; t++) {
        sim_vec3 p[3];
        sim_mesh_triangle(m, t, p);
        v6 += sim_v3_dot(p[0], sim_v3_cross(p[1], p[2]));
    }
    return v6 / 6.0;
}

static void test_valid_meshes(void **state)
{
    (void)state;
    sim_mesh m;
    char msg[1024];
    assert_int_equal(parse(octahedron(100, 0, false), 1.0, &m, msg, sizeof msg), LES_OK);
    assert_int_equal(m.vertex_count, 6);
    assert_int_equal(m.triangle_count, 8);
    double outward = signed_volume(&m);
    assert_true(outward > 0);
    sim_mesh_deinit(&m);
    /* clockwise files are turned outward */
    assert_int_equal(parse(octahedron(100, 0, true), 1.0, &m, msg, sizeof msg), LES_OK);
    assert_true(fabs(signed_volume(&m) - outward) < 1e-6);
    sim_mesh_deinit(&m);
    /* a cube in centimetres, quads, negative and slashed indices, skipped
     * statements; fanned into 12 triangles */
    static const char cube[] =
        "mtllib head.mtl\no cube\ng all\ns 1\n"
        "v -10 -7 -11\nv 10 -7 -11\nv 10 13 -11\nv -10 13 -11\n"
        "v -10 -7 9\nv 10 -7 9\nv 10 13 9\nv -10 13 9\n"
        "vt 0 0\nvn 0 0 1\nusemtl skin\n"
        "f 1/1 4/1 3/1 2/1\nf 5//1 6//1 7//1 8//1\nf 1 2 6 5\n"
        "f 2/1/1 3/1/1 7/1/1 6/1/1\nf -8 -4 -1 -5\nf 4 8 7 3   # top\n";
    assert_int_equal(parse(cube, 10.0, &m, msg, sizeof msg), LES_OK);
    assert_int_equal(m.vertex_count, 8);
    assert_int_equal(m.triangle_count, 12);
    assert_true(m.positions[6].x == 100 && m.positions[6].y == 130);
    assert_true(fabs(signed_volume(&m) - 200.0 * 200 * 200) < 1e-3);
    for (uint32_t i = 0; i < m.vertex_count; i++)
        assert_true(fabs(sim_v3_len(m.normals[i]) - 1.0) < 1e-9);
    sim_mesh_deinit(&m);
}

/* ------------------------------------------------------------------------ */
/* A lesson on an imported head, and the files a lesson names               */
/* ------------------------------------------------------------------------ */

/* The default head at a low resolution, written as OBJ. */
static void write_head_obj(const char *path)
{
    sim_mesh head;
    sim_head_desc hd = {.face_cells = 24};
    assert_int_equal(sim_head_build(&head, &hd, NULL), SIM_OK);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (uint32_t i = 0; i < head.vertex_count; i++)
        fprintf(f, "v %.6f %.6f %.6f\n", head.positions[i].x, head.positions[i].y,
                head.positions[i].z);
    for (uint32_t t = 0; t < head.triangle_count; t++)
        fprintf(f, "f %u %u %u\n", head.indices[3 * t] + 1, head.indices[3 * t + 1] + 1,
                head.indices[3 * t + 2] + 1);
    fclose(f);
    sim_mesh_deinit(&head);
}

static void file_sha256(const char *path, char hex[65])
{
    size_t size = 0;
    uint8_t *data = tu_read_file(path, &size);
    assert_non_null(data);
    uint8_t h[32];
    crypto_hash_sha256(h, data, size);
    sodium_bin2hex(hex, 65, h, 32);
    free(data);
}

/* Writes a head lesson naming `mesh` (and `extra` lines) and loads it. */
static char *load_named(const char *mesh_line, const char *extra, les_lesson *l, les_result *r)
{
    char lesson[4096];
    snprintf(lesson, sizeof lesson,
             LT_HEAD "surface: {type: head, %s}\n" LT_ZONE
                     "    polygon_mm: [[-20, 40], [20, 40], [20, 60], [-20, 60]]\n" LT_DENSITY
                         LT_BAND LT_RUBRIC "%s",
             mesh_line, extra);
    char path[1024];
    snprintf(path, sizeof path, "%s", tu_tmp("named.yaml"));
    assert_int_equal(tu_write_file(path, lesson, strlen(lesson)), 0);
    les_diags d;
    les_diags_init(&d, "named.yaml");
    *r = les_lesson_load(l, path, &d);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    les_diags_print(&d, f);
    fclose(f);
    les_diags_deinit(&d);
    return out;
}

static void test_lesson_on_imported_head(void **state)
{
    (void)state;
    char obj[1024], rel[64], sha[65], line[256];
    snprintf(obj, sizeof obj, "%s", tu_tmp("head.obj"));
    write_head_obj(obj);
    file_sha256(obj, sha);
    /* the lesson sits beside the mesh: its path is relative */
    snprintf(rel, sizeof rel, "%s", strrchr(obj, '/') + 1);
    snprintf(line, sizeof line, "mesh: %s, mesh_sha256: %s", rel, sha);
    les_lesson l;
    les_result r;
    char *out = load_named(line, "", &l, &r);
    assert_string_equal(out, "");
    assert_int_equal(r, LES_OK);
    assert_string_equal(l.mesh.path, rel);
    sim_surface s;
    sim_error err;
    assert_int_equal(les_lesson_surface_init(&l, &s, &err), LES_OK);
    assert_int_equal(s.kind, SIM_SURFACE_HEAD);
    assert_true(s.mesh.triangle_count > 1000);
    sim_surface_hit hit;
    assert_true(sim_surface_from_chart(&s, sim_v2(0, 50), &hit));
    assert_true(hit.point_mm.y > 100); /* on top of the head */
    sim_surface_deinit(&s);
    les_lesson_deinit(&l);
    free(out);
    /* a changed mesh no longer matches the pinned SHA-256 */
    FILE *f = fopen(obj, "a");
    fputs("# edited\n", f);
    fclose(f);
    out = load_named(line, "", &l, &r);
    assert_int_equal(r, LES_ERR_INVALID);
    char want[1024];
    char now[65];
    file_sha256(obj, now);
    /* the pinned hash's column: after "surface: {type: head, mesh: REL, mesh_sha256: " */
    int column = (int)(strlen("surface: {type: head, mesh: ") + strlen(rel) +
                       strlen(", mesh_sha256: ") + 1);
    snprintf(want, sizeof want,
             "named.yaml:5:%d: error: the mesh has changed: its SHA-256 is %s, the lesson pins "
             "%s\n", column, now, sha);
    assert_string_equal(out, want);
    free(out);
    remove(obj);
}

static void test_named_files_reported(void **state)
{
    (void)state;
    les_lesson l;
    les_result r;
    char *out = load_named("mesh: missing.obj", "", &l, &r);
    assert_int_equal(r, LES_ERR_INVALID);
    char want[2048];
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", tu_tmp("x"));
    *strrchr(dir, '/') = '\0';
    snprintf(want, sizeof want,
             "named.yaml:5:29: error: cannot read the mesh %s/missing.obj: No such file or "
             "directory\n", dir);
    assert_string_equal(out, want);
    free(out);
    /* a mesh that does not parse: the OBJ's own place in the message */
    char obj[1024];
    snprintf(obj, sizeof obj, "%s", tu_tmp("bad.obj"));
    assert_int_equal(tu_write_file(obj, "v 0 0 0\nq\n", 10), 0);
    char line[256];
    snprintf(line, sizeof line, "mesh: %s", strrchr(obj, '/') + 1);
    out = load_named(line, "", &l, &r);
    assert_int_equal(r, LES_ERR_INVALID);
    snprintf(want, sizeof want,
             "named.yaml:5:29: error: the mesh is not usable: %s:2:1: unknown OBJ statement "
             "\"q\" (a head mesh needs only `v` and `f`)\n", obj);
    assert_string_equal(out, want);
    free(out);
    remove(obj);
    /* earlier impressions: missing, then pinned to other content */
    char csv[1024];
    snprintf(csv, sizeof csv, "%s", tu_tmp("s1.csv"));
    assert_int_equal(tu_write_file(csv, "x_mm,y_mm,z_mm,depth_mm\n", 24), 0);
    char session[512];
    snprintf(session, sizeof session,
             "session: {number: 2, previous_impressions: %s,\n"
             "          previous_sha256: %064d}\n", strrchr(csv, '/') + 1, 0);
    out = load_named("resolution: 32", session, &l, &r);
    assert_int_equal(r, LES_ERR_INVALID);
    char sha[65];
    file_sha256(csv, sha);
    snprintf(want, sizeof want,
             "named.yaml:13:28: error: the earlier session's impressions has changed: its "
             "SHA-256 is %s, the lesson pins %064d\n", sha, 0);
    assert_string_equal(out, want);
    free(out);
    remove(csv);
    out = load_named("resolution: 32", "session: {number: 2, previous_impressions: gone.csv}\n",
                     &l, &r);
    assert_int_equal(r, LES_ERR_INVALID);
    snprintf(want, sizeof want,
             "named.yaml:12:44: error: cannot read the earlier session's impressions "
             "%s/gone.csv: No such file or directory\n", dir);
    assert_string_equal(out, want);
    free(out);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    sim_mesh m;
    sim_error err;
    assert_int_equal(les_obj_parse(NULL, 3, "x", 1.0, &m, &err), LES_ERR_ARG);
    assert_int_equal(les_obj_parse("v", 1, "x", 0.0, &m, &err), LES_ERR_ARG);
    assert_int_equal(les_obj_parse("v", 1, "x", 1.0, NULL, &err), LES_ERR_ARG);
    assert_int_equal(les_obj_load("/nonexistent/x.obj", 1.0, &m, &err), LES_ERR_IO);
    assert_string_equal(err.message, "cannot read the mesh: No such file or directory");
    assert_int_equal(les_lesson_surface_init(NULL, NULL, &err), LES_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_broken_table),
        cmocka_unit_test(test_mesh_checks),
        cmocka_unit_test(test_valid_meshes),
        cmocka_unit_test(test_lesson_on_imported_head),
        cmocka_unit_test(test_named_files_reported),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
