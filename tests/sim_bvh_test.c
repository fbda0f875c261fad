/* sim_bvh_test.c: the BVH answers exactly what brute force answers; the
 * signed distance has the right sign; the procedural head is closed,
 * outward-facing, faithful to its SDF and bit-identical on rebuild. */
#include "test_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim_mesh.h"
#include "sim_surface.h"

static sim_mesh g_head;
static sim_bvh g_bvh;

static int setup(void **state)
{
    (void)state;
    sim_head_desc d = {.face_cells = 24};
    if (sim_head_build(&g_head, &d, NULL) != SIM_OK)
        return -1;
    return sim_bvh_build(&g_bvh, &g_head, NULL) == SIM_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sim_bvh_deinit(&g_bvh);
    sim_mesh_deinit(&g_head);
    return 0;
}

static sim_vec3 random_point(sim_rng *rng, double r)
{
    return sim_v3((sim_rng_unit(rng) * 2 - 1) * r, (sim_rng_unit(rng) * 2 - 1) * r,
                  (sim_rng_unit(rng) * 2 - 1) * r);
}

static void closest_equals_brute(void **state)
{
    (void)state;
    sim_rng rng;
    sim_rng_seed(&rng, 42, 1);
    for (int i = 0; i < 2000; i++) {
        /* half near the skin (where the needle is), half anywhere */
        sim_vec3 p = random_point(&rng, 220.0);
        if (i % 2 == 0) {
            sim_vec3 on = g_head.positions[sim_rng_u32(&rng) % g_head.vertex_count];
            p = sim_v3_add(on, random_point(&rng, 3.0));
        }
        sim_mesh_hit a, b;
        assert_true(sim_bvh_closest(&g_bvh, p, INFINITY, &a));
        assert_true(sim_mesh_closest_brute(&g_head, p, &b));
        assert_true(fabs(a.distance - b.distance) < 1e-9);
        assert_true(sim_v3_len(sim_v3_sub(a.point, b.point)) < 1e-6);
    }
}

static void closest_respects_max_distance(void **state)
{
    (void)state;
    sim_mesh_hit h;
    assert_false(sim_bvh_closest(&g_bvh, sim_v3(0, 0, 500), 10.0, &h));
    assert_true(sim_bvh_closest(&g_bvh, sim_v3(0, 0, 500), 1000.0, &h));
    assert_true(h.distance > 300.0);
}

/* Inside the mesh by ray parity: crossings of a ray from p, counted by
 * brute force (an oblique direction avoids grazing edges). */
static bool inside_by_parity(sim_vec3 p)
{
    sim_vec3 d = sim_v3_normalize(sim_v3(0.3141, 0.5926, 0.5358));
    int crossings = 0;
    for (uint32_t t = 0; t < g_head.triangle_count; t++) {
        sim_vec3 tri[3];
        sim_mesh_triangle(&g_head, t, tri);
        sim_vec3 e1 = sim_v3_sub(tri[1], tri[0]), e2 = sim_v3_sub(tri[2], tri[0]);
        sim_vec3 h = sim_v3_cross(d, e2);
        double det = sim_v3_dot(e1, h);
        if (fabs(det) < 1e-15)
            continue;
        sim_vec3 s = sim_v3_sub(p, tri[0]);
        double u = sim_v3_dot(s, h) / det;
        sim_vec3 q = sim_v3_cross(s, e1);
        double v = sim_v3_dot(d, q) / det;
        double t_hit = sim_v3_dot(e2, q) / det;
        if (u >= 0 && v >= 0 && u + v <= 1 && t_hit > 0)
            crossings++;
    }
    return crossings % 2 == 1;
}

static void signed_distance_sign(void **state)
{
    (void)state;
    sim_rng rng;
    sim_rng_seed(&rng, 7, 3);
    int inside = 0, outside = 0;
    for (int i = 0; i < 600; i++) {
        sim_vec3 on = g_head.positions[sim_rng_u32(&rng) % g_head.vertex_count];
        sim_vec3 p = sim_v3_add(on, random_point(&rng, 4.0));
        sim_mesh_hit h;
        assert_true(sim_bvh_closest(&g_bvh, p, INFINITY, &h));
        if (h.distance < 1e-6)
            continue;
        bool in = inside_by_parity(p);
        assert_int_equal(h.signed_distance < 0, in);
        in ? inside++ : outside++;
    }
    assert_true(inside > 100 && outside > 100);
    sim_mesh_hit h;
    assert_true(sim_bvh_closest(&g_bvh, sim_v3(0, 40, 0), INFINITY, &h));
    assert_true(h.signed_distance < -50.0);   /* the middle of the head */
}

static void raycast_equals_brute(void **state)
{
    (void)state;
    sim_rng rng;
    sim_rng_seed(&rng, 99, 5);
    int hits = 0;
    for (int i = 0; i < 1000; i++) {
        sim_vec3 o = random_point(&rng, 300.0);
        sim_vec3 target = random_point(&rng, 80.0);
        sim_vec3 dir = sim_v3_normalize(sim_v3_sub(target, o));
        sim_mesh_hit a, b;
        bool ha = sim_bvh_raycast(&g_bvh, o, dir, 1000.0, &a);
        bool hb = sim_mesh_raycast_brute(&g_head, o, dir, 1000.0, &b);
        assert_int_equal(ha, hb);
        if (ha) {
            assert_true(fabs(a.distance - b.distance) < 1e-9);
            hits++;
        }
    }
    assert_true(hits > 300);
}

/* A ray through a vertex or along an edge shared by triangles must hit one
 * of them: a lattice-aligned grid, rays straight and slanted through every
 * vertex and every edge's midpoint. */
static void raycast_is_watertight(void **state)
{
    (void)state;
    enum { N = 8 };
    sim_mesh grid;
    assert_int_equal(sim_mesh_alloc(&grid, (N + 1) * (N + 1), N * N * 2), SIM_OK);
    for (int j = 0; j <= N; j++)
        for (int i = 0; i <= N; i++) {
            grid.positions[j * (N + 1) + i] = sim_v3(i * 0.1, j * 0.1, 0.3 * i - 0.2 * j);
            grid.normals[j * (N + 1) + i] = sim_v3(0, 0, 1);
        }
    uint32_t *idx = grid.indices;
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++) {
            uint32_t a = j * (N + 1) + i, b = a + 1, c = a + N + 2, d = a + N + 1;
            *idx++ = a, *idx++ = b, *idx++ = c;
            *idx++ = a, *idx++ = c, *idx++ = d;
        }
    sim_bvh bvh;
    assert_int_equal(sim_bvh_build(&bvh, &grid, NULL), SIM_OK);
    const sim_vec3 dirs[] = {{0, 0, -1}, {0.3, 0.1, -1}, {-0.7, 0.9, -1.1}};
    int rays = 0;
    for (int j = 1; j < 2 * N; j++)
        for (int i = 1; i < 2 * N; i++)
            for (size_t k = 0; k < sizeof dirs / sizeof dirs[0]; k++) {
                /* every half step: vertices (even, even), edge midpoints */
                sim_vec3 target = sim_v3(i * 0.05, j * 0.05, 0.3 * i * 0.5 - 0.2 * j * 0.5);
                sim_vec3 d = sim_v3_normalize(dirs[k]);
                sim_vec3 o = sim_v3_sub(target, sim_v3_scale(d, 5.0));
                sim_mesh_hit h;
                assert_true(sim_bvh_raycast(&bvh, o, d, 100.0, &h));
                assert_true(sim_mesh_raycast_brute(&grid, o, d, 100.0, &h));
                assert_true(fabs(h.distance - 5.0) < 1e-9);
                rays++;
            }
    assert_int_equal(rays, (2 * N - 1) * (2 * N - 1) * 3);
    sim_bvh_deinit(&bvh);
    sim_mesh_deinit(&grid);
}

static int edge_cmp(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    return (*x > *y) - (*x < *y);
}

static void head_is_closed_and_outward(void **state)
{
    (void)state;
    size_t n = (size_t)g_head.triangle_count * 3;
    uint64_t *directed = malloc(n * sizeof *directed);
    assert_non_null(directed);
    for (uint32_t t = 0; t < g_head.triangle_count; t++)
        for (int k = 0; k < 3; k++) {
            uint64_t a = g_head.indices[t * 3 + k], b = g_head.indices[t * 3 + (k + 1) % 3];
            directed[t * 3 + k] = (a << 32) | b;
        }
    qsort(directed, n, sizeof *directed, edge_cmp);
    for (size_t i = 0; i < n; i++) {
        /* each directed edge once, and its reverse present: closed manifold
         * with consistent winding */
        if (i > 0)
            assert_true(directed[i] != directed[i - 1]);
        uint64_t rev = (directed[i] << 32) | (directed[i] >> 32);
        assert_non_null(bsearch(&rev, directed, n, sizeof *directed, edge_cmp));
    }
    free(directed);
    /* outward winding: positive enclosed volume (divergence theorem) */
    double vol = 0;
    for (uint32_t t = 0; t < g_head.triangle_count; t++) {
        sim_vec3 p[3];
        sim_mesh_triangle(&g_head, t, p);
        vol += sim_v3_dot(p[0], sim_v3_cross(p[1], p[2])) / 6.0;
    }
    assert_true(vol > 2.0e6);   /* a head is several litres */
}

static void head_vertices_on_sdf(void **state)
{
    (void)state;
    for (uint32_t v = 0; v < g_head.vertex_count; v++)
        assert_true(fabs(sim_head_sdf(g_head.positions[v])) < 1e-5);
}

static void head_is_deterministic(void **state)
{
    (void)state;
    sim_mesh again;
    sim_head_desc d = {.face_cells = 24};
    assert_int_equal(sim_head_build(&again, &d, NULL), SIM_OK);
    assert_int_equal(again.vertex_count, g_head.vertex_count);
    assert_memory_equal(again.positions, g_head.positions, sizeof *again.positions * again.vertex_count);
    assert_memory_equal(again.indices, g_head.indices, sizeof *again.indices * 3 * again.triangle_count);
    sim_mesh_deinit(&again);
}

/* At the default resolution the flat triangles stay within 0.01 mm of the
 * smooth head over the scalp: ten times finer than the 0.1 mm depth work. */
static void default_head_is_fine_enough(void **state)
{
    (void)state;
    sim_mesh m;
    assert_int_equal(sim_head_build(&m, NULL, NULL), SIM_OK);
    double worst = 0;
    for (uint32_t t = 0; t < m.triangle_count; t++) {
        sim_vec3 p[3];
        sim_mesh_triangle(&m, t, p);
        sim_vec3 c = sim_v3_scale(sim_v3_add(p[0], sim_v3_add(p[1], p[2])), 1.0 / 3.0);
        if (c.y < 60.0 && c.z > 40.0)
            continue;   /* the face, brows and temples' edge are not scalp */
        if (c.y < 20.0 || (c.y < 40.0 && fabs(c.x) > 60.0))
            continue;   /* the ears and below */
        double e = fabs(sim_head_sdf(c));
        if (e > worst)
            worst = e;
    }
    assert_true(worst < 0.01);
    sim_mesh_deinit(&m);
}

static void landmarks_are_anthropometric(void **state)
{
    (void)state;
    sim_head_landmarks l;
    sim_head_landmarks_get(&l);
    /* vertex ~125-135 mm above the ear canals; head length 185-205 mm */
    assert_true(l.vertex.y > 120 && l.vertex.y < 140);
    double length = l.glabella.z - l.opisthocranion.z;
    assert_true(length > 185 && length < 225);
    assert_true(l.canthus_left.x > 0 && l.canthus_right.x < 0);
    assert_true(fabs(sim_head_sdf(l.glabella)) < 1e-6);
}

static void build_survives_allocation_failures(void **state)
{
    (void)state;
    sim_head_desc d = {.face_cells = 6};
    for (long n = 0;; n++) {
        sim_mesh m;
        sim_bvh b;
        sim_alloc_fail_after(n);
        sim_result r = sim_head_build(&m, &d, NULL);
        if (r == SIM_OK) {
            r = sim_bvh_build(&b, &m, NULL);
            sim_alloc_fail_after(-1);
            sim_bvh_deinit(&b);
        }
        sim_alloc_fail_after(-1);
        sim_mesh_deinit(&m);
        if (r == SIM_OK)
            break;
        assert_int_equal(r, SIM_ERR_NOMEM);
        assert_true(n < 100);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(closest_equals_brute),
        cmocka_unit_test(closest_respects_max_distance),
        cmocka_unit_test(signed_distance_sign),
        cmocka_unit_test(raycast_equals_brute),
        cmocka_unit_test(raycast_is_watertight),
        cmocka_unit_test(head_is_closed_and_outward),
        cmocka_unit_test(head_vertices_on_sdf),
        cmocka_unit_test(head_is_deterministic),
        cmocka_unit_test(default_head_is_fine_enough),
        cmocka_unit_test(landmarks_are_anthropometric),
        cmocka_unit_test(build_survives_allocation_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
