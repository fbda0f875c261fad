/* sim_surface_test.c: the pad and head surfaces, the scalp chart and the
 * polygon helpers. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "sim_surface.h"

static void pad_queries(void **state)
{
    (void)state;
    sim_surface pad;
    sim_surface_desc d = {.kind = SIM_SURFACE_PAD, .width_mm = 120, .height_mm = 60};
    assert_int_equal(sim_surface_init(&pad, &d, NULL), SIM_OK);
    sim_surface_hit h;
    sim_surface_closest(&pad, sim_v3(30, 20, -0.7), &h);
    assert_true(h.on_surface);
    assert_true(fabs(h.depth_mm - 0.7) < 1e-12);
    assert_true(h.normal.z == 1.0);
    assert_true(h.chart_mm.x == 30 && h.chart_mm.y == 20);
    sim_surface_closest(&pad, sim_v3(130, 20, -0.7), &h);
    assert_false(h.on_surface);
    assert_true(sim_surface_from_chart(&pad, sim_v2(10, 10), &h));
    assert_false(sim_surface_from_chart(&pad, sim_v2(10, 61), &h));
    /* the slab: 6 faces, the top face is the pad */
    assert_int_equal(pad.mesh.triangle_count, 12);
    assert_true(fabs(sim_mesh_area(&pad.mesh) - (2 * 120 * 60 + 2 * 6 * (120 + 60))) < 1e-9);
    sim_vec2 square[] = {{10, 10}, {30, 10}, {30, 30}, {10, 30}};
    assert_true(fabs(sim_surface_area_in_polygon(&pad, square, 4) - 400.0) < 1e-12);
    sim_surface_deinit(&pad);
}

static void head_chart_round_trip(void **state)
{
    (void)state;
    sim_surface head;
    sim_surface_desc d = {.kind = SIM_SURFACE_HEAD, .head = {.face_cells = 40}};
    assert_int_equal(sim_surface_init(&head, &d, NULL), SIM_OK);
    for (double u = -120; u <= 120; u += 20) {
        for (double v = -120; v <= 120; v += 20) {
            sim_surface_hit h;
            assert_true(sim_surface_from_chart(&head, sim_v2(u, v), &h));
            sim_vec2 back = sim_surface_chart(&head, h.point_mm);
            assert_true(fabs(back.x - u) < 1e-6 && fabs(back.y - v) < 1e-6);
            /* the point is on the skin: depth ~0 */
            sim_surface_hit c;
            sim_surface_closest(&head, h.point_mm, &c);
            assert_true(fabs(c.depth_mm) < 1e-6);
        }
    }
    /* the chart's axes: +v toward the face, +u toward the left ear */
    sim_surface_hit h;
    assert_true(sim_surface_from_chart(&head, sim_v2(0, 80), &h));
    assert_true(h.point_mm.z > 50);
    assert_true(sim_surface_from_chart(&head, sim_v2(80, 0), &h));
    assert_true(h.point_mm.x > 50);
    sim_surface_deinit(&head);
}

static void head_depth_below_the_skin(void **state)
{
    (void)state;
    sim_surface head;
    sim_surface_desc d = {.kind = SIM_SURFACE_HEAD, .head = {.face_cells = 40}};
    assert_int_equal(sim_surface_init(&head, &d, NULL), SIM_OK);
    sim_surface_hit h, in;
    assert_true(sim_surface_from_chart(&head, sim_v2(10, 30), &h));
    sim_vec3 p = sim_v3_sub(h.point_mm, sim_v3_scale(h.normal, 0.8));
    sim_surface_closest(&head, p, &in);
    assert_true(fabs(in.depth_mm - 0.8) < 0.01);
    p = sim_v3_add(h.point_mm, sim_v3_scale(h.normal, 2.0));
    sim_surface_closest(&head, p, &in);
    assert_true(fabs(in.depth_mm + 2.0) < 0.01);
    sim_surface_deinit(&head);
}

static void head_area_in_polygon(void **state)
{
    (void)state;
    sim_surface head;
    sim_surface_desc d = {.kind = SIM_SURFACE_HEAD, .head = {.face_cells = 64}};
    assert_int_equal(sim_surface_init(&head, &d, NULL), SIM_OK);
    /* a polygon covering the whole chart covers the whole mesh */
    sim_vec2 all[] = {{-400, -400}, {400, -400}, {400, 400}, {-400, 400}};
    double total = sim_mesh_area(&head.mesh);
    assert_true(fabs(sim_surface_area_in_polygon(&head, all, 4) - total) < 1e-6 * total);
    /* two halves add up to the whole */
    sim_vec2 left[] = {{0, -400}, {400, -400}, {400, 400}, {0, 400}};
    sim_vec2 right[] = {{-400, -400}, {0, -400}, {0, 400}, {-400, 400}};
    double sum = sim_surface_area_in_polygon(&head, left, 4) + sim_surface_area_in_polygon(&head, right, 4);
    assert_true(fabs(sum - total) < 1e-6 * total);
    /* a 20 x 20 mm chart square on top of the head is ~4 cm^2 of skin */
    sim_vec2 sq[] = {{-10, -10}, {10, -10}, {10, 10}, {-10, 10}};
    double a = sim_surface_area_in_polygon(&head, sq, 4);
    assert_true(a > 300 && a < 500);
    sim_surface_deinit(&head);
}

static void raycasts(void **state)
{
    (void)state;
    sim_surface pad;
    sim_surface_desc d = {.kind = SIM_SURFACE_PAD, .width_mm = 50, .height_mm = 50};
    assert_int_equal(sim_surface_init(&pad, &d, NULL), SIM_OK);
    sim_surface_hit h;
    sim_vec3 down = sim_v3_normalize(sim_v3(0.1, 0.2, -1));
    assert_true(sim_surface_raycast(&pad, sim_v3(10, 10, 50), down, &h));
    assert_true(fabs(h.point_mm.x - 15) < 1e-9 && fabs(h.point_mm.y - 20) < 1e-9);
    assert_false(sim_surface_raycast(&pad, sim_v3(10, 10, 50), sim_v3(0, 0, 1), &h));
    assert_false(sim_surface_raycast(&pad, sim_v3(60, 10, 50), sim_v3(0, 0, -1), &h));
    sim_surface_deinit(&pad);

    sim_surface head;
    sim_surface_desc hd = {.kind = SIM_SURFACE_HEAD, .head = {.face_cells = 32}};
    assert_int_equal(sim_surface_init(&head, &hd, NULL), SIM_OK);
    /* straight down onto the crown: the top of the head */
    assert_true(sim_surface_raycast(&head, sim_v3(0, 400, -12), sim_v3(0, -1, 0), &h));
    assert_true(h.point_mm.y > 120 && h.point_mm.y < 140);
    assert_true(h.normal.y > 0.9);
    assert_false(sim_surface_raycast(&head, sim_v3(0, 400, 0), sim_v3(0, 1, 0), &h));
    sim_surface_deinit(&head);
}

static void polygons(void **state)
{
    (void)state;
    sim_vec2 sq[] = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    assert_true(sim_polygon_contains(sq, 4, sim_v2(5, 5)));
    assert_false(sim_polygon_contains(sq, 4, sim_v2(15, 5)));
    assert_true(fabs(sim_polygon_signed_area(sq, 4) - 100) < 1e-12);
    sim_vec2 cw[] = {{0, 0}, {0, 10}, {10, 10}, {10, 0}};
    assert_true(fabs(sim_polygon_signed_area(cw, 4) + 100) < 1e-12);
    assert_false(sim_polygon_self_intersects(sq, 4, NULL, NULL));
    sim_vec2 bow[] = {{0, 0}, {10, 10}, {10, 0}, {0, 10}};
    size_t a, b;
    assert_true(sim_polygon_self_intersects(bow, 4, &a, &b));
    assert_int_equal(a, 0);
    assert_int_equal(b, 2);
    /* a point on the shared edge of two tiles is in exactly one */
    sim_vec2 right[] = {{10, 0}, {20, 0}, {20, 10}, {10, 10}};
    sim_vec2 p = sim_v2(10, 5);
    assert_int_equal(sim_polygon_contains(sq, 4, p) + sim_polygon_contains(right, 4, p), 1);
    sim_vec2 line[] = {{0, 0}, {10, 0}};
    assert_true(fabs(sim_polyline_distance(line, 2, false, sim_v2(5, 3)) - 3) < 1e-12);
    assert_true(fabs(sim_polyline_distance(line, 2, false, sim_v2(13, 4)) - 5) < 1e-12);
}

static void chart_of_directions(void **state)
{
    (void)state;
    sim_vec3 c0 = sim_chart_centre();
    sim_vec2 c = sim_chart_head(sim_v3_add(c0, sim_v3(0, 5, 0)));
    assert_true(c.x == 0 && c.y == 0);
    /* 90 degrees from the top toward the face: v = R * pi / 2 */
    c = sim_chart_head(sim_v3_add(c0, sim_v3(0, 0, 7)));
    assert_true(fabs(c.y - SIM_CHART_RADIUS_MM * SIM_PI / 2) < 1e-9 && fabs(c.x) < 1e-12);
    /* toward the left ear: +u */
    c = sim_chart_head(sim_v3_add(c0, sim_v3(3, 0, 0)));
    assert_true(fabs(c.x - SIM_CHART_RADIUS_MM * SIM_PI / 2) < 1e-9 && fabs(c.y) < 1e-12);
    sim_vec3 dir;
    assert_true(sim_chart_head_dir(sim_v2(30, 40), &dir));
    c = sim_chart_head(sim_v3_add(c0, sim_v3_scale(dir, 50)));
    assert_true(fabs(c.x - 30) < 1e-9 && fabs(c.y - 40) < 1e-9);
    assert_false(sim_chart_head_dir(sim_v2(0, 400), &dir));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pad_queries),
        cmocka_unit_test(head_chart_round_trip),
        cmocka_unit_test(head_depth_below_the_skin),
        cmocka_unit_test(head_area_in_polygon),
        cmocka_unit_test(raycasts),
        cmocka_unit_test(polygons),
        cmocka_unit_test(chart_of_directions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
