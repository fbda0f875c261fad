/* render_layer_test.c: the baked skin layer (render/rnd_layer.c) and the
 * head's display mesh (render/rnd_lod.c), headless.
 *
 * Dots baked in chart space must land on screen where the camera projects
 * them, on the pad and on the head's curved chart, from a framed view down
 * to the loupe (where detail levels take over); the baked path and the
 * naive instanced path must agree; adding a dot bakes only that dot;
 * detail levels follow the view and are not baked again while it stays;
 * the caller's framebuffer and viewport survive a bake; the display mesh
 * lies on the simulation's surface.
 *
 * Positions are measured on difference images (with and without the dot),
 * so the skin's texture does not bias them. */
#include "test_util.h"

#include <epoxy/gl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd.h"
#include "rnd_internal.h"

enum { W = 320, H = 240 };

typedef struct fixture {
    rnd_offscreen *off;
    rnd_renderer *rnd;
    sim_surface pad, head;
    uint8_t with[W * H * 4], without[W * H * 4];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    sim_error err;
    rnd_offscreen_desc od = {W, H, 1};
    if (rnd_offscreen_create_desc(&f->off, &od, &err) != RND_OK ||
        rnd_renderer_create(&f->rnd, &err) != RND_OK) {
        fprintf(stderr, "setup: %s\n", err.message);
        rnd_offscreen_destroy(f->off);
        free(f);
        return -1;
    }
    sim_surface_desc d;
    memset(&d, 0, sizeof d);
    d.kind = SIM_SURFACE_PAD;
    if (sim_surface_init(&f->pad, &d, &err) != SIM_OK)
        return -1;
    d.kind = SIM_SURFACE_HEAD;
    if (sim_surface_init(&f->head, &d, &err) != SIM_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rnd_renderer_destroy(f->rnd);
    rnd_offscreen_destroy(f->off);
    sim_surface_deinit(&f->pad);
    sim_surface_deinit(&f->head);
    free(f);
    return 0;
}

static rnd_dot dot_at(const sim_surface *s, sim_vec2 chart, double diameter_mm)
{
    sim_surface_hit hit;
    assert_true(sim_surface_from_chart(s, chart, &hit));
    rnd_dot d;
    memset(&d, 0, sizeof d);
    d.pos[0] = (float)hit.point_mm.x, d.pos[1] = (float)hit.point_mm.y;
    d.pos[2] = (float)hit.point_mm.z;
    d.normal[0] = (float)hit.normal.x, d.normal[1] = (float)hit.normal.y;
    d.normal[2] = (float)hit.normal.z;
    d.diameter_mm = (float)diameter_mm;
    d.edge_mm = 0.05f;
    d.rgba[0] = d.rgba[1] = d.rgba[2] = 0.02f;
    d.rgba[3] = 1.0f;
    return d;
}

static void draw_into(fixture *f, const rnd_camera *cam, uint8_t *px)
{
    rnd_frame fr;
    memset(&fr, 0, sizeof fr);
    fr.width = W;
    fr.height = H;
    fr.camera = *cam;
    rnd_renderer_draw(f->rnd, &fr);
    assert_int_equal(rnd_offscreen_read(f->off, px), RND_OK);
}

static double luma(const uint8_t *p)
{
    return 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
}

/* Centroid of how much darker `with` is than `without`; returns the total
 * darkening (luma levels summed over pixels). */
static double darkening(const fixture *f, double *cx, double *cy, int *pixels)
{
    double sx = 0, sy = 0, sw = 0;
    int n = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            size_t i = ((size_t)y * W + x) * 4;
            double d = luma(f->without + i) - luma(f->with + i);
            if (d > 4.0) {
                sx += (x + 0.5) * d;
                sy += (y + 0.5) * d;
                sw += d;
            }
            if (d > 40.0)
                n++;
        }
    *cx = sw > 0 ? sx / sw : -1;
    *cy = sw > 0 ? sy / sw : -1;
    if (pixels)
        *pixels = n;
    return sw;
}

/* Renders `cam` with and without dot d; checks that the dot appears where
 * the camera projects its centre (within tol pixels). */
static void dot_lands_where_projected(fixture *f, const sim_surface *s, const rnd_dot *d,
                                      const rnd_camera *cam, double tol, int *pixels)
{
    assert_int_equal(rnd_renderer_set_dots(f->rnd, NULL, 0), RND_OK);
    draw_into(f, cam, f->without);
    assert_int_equal(rnd_renderer_set_dots(f->rnd, d, 1), RND_OK);
    draw_into(f, cam, f->with);
    double gx, gy, px, py;
    double total = darkening(f, &gx, &gy, pixels);
    sim_vec3 c = sim_v3(d->pos[0], d->pos[1], d->pos[2]);
    assert_true(rnd_camera_project(cam, s, W, H, c, &px, &py));
    print_message("dot at %.1f mm: drawn %.2f %.2f, projected %.2f %.2f (darkening %.0f)\n",
                  cam->distance_mm, gx, gy, px, py, total);
    assert_true(total > 50.0);
    assert_true(fabs(gx - px) < tol && fabs(gy - py) < tol);
}

/* ------------------------------------------------------------------------ */

static void pad_dot_lands_where_projected_on_both_paths(void **state)
{
    fixture *f = *state;
    assert_int_equal(rnd_renderer_set_surface(f->rnd, &f->pad), RND_OK);
    rnd_dot d = dot_at(&f->pad, sim_v2(47.0, 53.0), 1.0);
    rnd_camera cam = rnd_camera_frame(&f->pad);
    rnd_camera_look_at(&cam, &f->pad, sim_v3(50.0, 50.0, 0.0));
    cam.distance_mm = 60.0;
    rnd_camera_orbit(&cam, 0.5, -0.3);
    rnd_renderer_set_dot_path(f->rnd, RND_DOT_PATH_BAKED);
    int baked_px = 0, naive_px = 0;
    dot_lands_where_projected(f, &f->pad, &d, &cam, 0.5, &baked_px);
    rnd_renderer_set_dot_path(f->rnd, RND_DOT_PATH_INSTANCED);
    assert_int_equal(rnd_renderer_dot_path(f->rnd), RND_DOT_PATH_INSTANCED);
    dot_lands_where_projected(f, &f->pad, &d, &cam, 0.5, &naive_px);
    rnd_renderer_set_dot_path(f->rnd, RND_DOT_PATH_BAKED);
    /* the same size within a pixel's rim */
    print_message("dark pixels: baked %d, instanced %d\n", baked_px, naive_px);
    assert_true(baked_px > 10 && naive_px > 10);
    assert_true(abs(baked_px - naive_px) < 0.35 * naive_px);
}

/* A dragged dot is drawn out along its direction, on both paths. */
static void long_dots_are_long_on_both_paths(void **state)
{
    fixture *f = *state;
    assert_int_equal(rnd_renderer_set_surface(f->rnd, &f->pad), RND_OK);
    rnd_dot d = dot_at(&f->pad, sim_v2(50.0, 50.0), 1.0);
    d.length_mm = 3.0f;
    d.direction[0] = 1.0f; /* along x */
    rnd_camera cam = rnd_camera_preset(&f->pad, NULL, RND_VIEW_TOP);
    rnd_camera_look_at(&cam, &f->pad, sim_v3(50, 50, 0));
    cam.distance_mm = 40.0;
    for (int path = 0; path < 2; path++) {
        rnd_renderer_set_dot_path(f->rnd, path ? RND_DOT_PATH_INSTANCED : RND_DOT_PATH_BAKED);
        assert_int_equal(rnd_renderer_set_dots(f->rnd, NULL, 0), RND_OK);
        draw_into(f, &cam, f->without);
        assert_int_equal(rnd_renderer_set_dots(f->rnd, &d, 1), RND_OK);
        draw_into(f, &cam, f->with);
        int x0 = W, x1 = -1, y0 = H, y1 = -1;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                size_t i = ((size_t)y * W + x) * 4;
                if (luma(f->without + i) - luma(f->with + i) > 40.0) {
                    x0 = x < x0 ? x : x0, x1 = x > x1 ? x : x1;
                    y0 = y < y0 ? y : y0, y1 = y > y1 ? y : y1;
                }
            }
        double wx = x1 - x0 + 1, wy = y1 - y0 + 1;
        print_message("%s: dark box %.0f x %.0f px\n", path ? "instanced" : "baked", wx, wy);
        assert_true(x1 >= 0);
        assert_true(wx > 2.3 * wy && wx < 3.7 * wy);
    }
    rnd_renderer_set_dot_path(f->rnd, RND_DOT_PATH_BAKED);
}

static void head_dot_lands_where_projected_from_afar_to_the_loupe(void **state)
{
    fixture *f = *state;
    assert_int_equal(rnd_renderer_set_surface(f->rnd, &f->head), RND_OK);
    rnd_renderer_set_dot_path(f->rnd, RND_DOT_PATH_BAKED);
    /* the front of the scalp, the crown, a temple: the chart bends differently */
    const sim_vec2 spots[3] = {{15.0, 75.0}, {-4.0, 3.0}, {62.0, 50.0}};
    const double dist_mm[4] = {250.0, 60.0, 15.0, 6.0};
    for (int s = 0; s < 3; s++) {
        for (int k = 0; k < 4; k++) {
            double diameter = dist_mm[k] > 100.0 ? 2.0 : dist_mm[k] > 10.0 ? 0.5 : 0.25;
            rnd_dot d = dot_at(&f->head, spots[s], diameter);
            rnd_camera cam = rnd_camera_frame(&f->head);
            sim_vec3 c = sim_v3(d.pos[0], d.pos[1], d.pos[2]);
            rnd_camera_look_at(&cam, &f->head, c);
            cam.min_distance_mm = 1.0;
            cam.distance_mm = dist_mm[k];
            rnd_camera_orbit(&cam, 0.05 * s, 0.0);
            int pixels = 0;
            dot_lands_where_projected(f, &f->head, &d, &cam, 1.0, &pixels);
            rnd_renderer_stats st;
            rnd_renderer_get_stats(f->rnd, &st);
            /* finer pixels than the whole layer's texels (~0.1 mm) */
            if (dist_mm[k] < 30.0)
                assert_true(st.detail_levels >= 1);
            if (dist_mm[k] < 20.0) {
                /* big on screen: its area is right within a pixel rim (a
                 * disc seen at a slant: times the cosine) */
                double px_mm = dist_mm[k] * 2.0 * tan(0.5 * cam.fov_y_rad) / H;
                double r_px = 0.5 * diameter / px_mm;
                sim_vec3 eye = rnd_camera_eye(&cam, &f->head);
                sim_vec3 to_eye = sim_v3_normalize(sim_v3_sub(eye, c));
                double cosine = sim_v3_dot(to_eye, sim_v3(d.normal[0], d.normal[1], d.normal[2]));
                double expect = SIM_PI * r_px * r_px * cosine;
                print_message("  %d dark pixels, a disc of radius %.1f px at cos %.2f has %.0f\n",
                              pixels, r_px, cosine, expect);
                assert_true(pixels > 0.6 * expect && pixels < 1.4 * expect + 2.0 * SIM_PI * r_px);
            }
        }
    }
}

static void adding_a_dot_bakes_only_it(void **state)
{
    fixture *f = *state;
    assert_int_equal(rnd_renderer_set_surface(f->rnd, &f->pad), RND_OK);
    rnd_dot d[3] = {dot_at(&f->pad, sim_v2(40, 40), 0.4), dot_at(&f->pad, sim_v2(45, 40), 0.4),
                    dot_at(&f->pad, sim_v2(50, 40), 0.4)};
    assert_int_equal(rnd_renderer_set_dots(f->rnd, d, 2), RND_OK);
    rnd_camera cam = rnd_camera_frame(&f->pad);
    draw_into(f, &cam, f->with);
    rnd_renderer_stats a, b;
    rnd_renderer_get_stats(f->rnd, &a);
    assert_int_equal(a.dots, 2);
    assert_int_equal(a.dots_baked, 2);
    assert_int_equal(rnd_renderer_add_dots(f->rnd, &d[2], 1), RND_OK);
    rnd_renderer_get_stats(f->rnd, &b);
    assert_int_equal(b.dots, 3);
    assert_int_equal(b.dots_baked, 2); /* baked on the next draw */
    draw_into(f, &cam, f->with);
    rnd_renderer_get_stats(f->rnd, &b);
    assert_int_equal(b.dots_baked, 3);
    assert_int_equal(b.whole_bakes, a.whole_bakes);
    assert_int_equal(b.add_bakes, a.add_bakes + 1);
    /* a frame with nothing new bakes nothing */
    draw_into(f, &cam, f->with);
    rnd_renderer_stats c;
    rnd_renderer_get_stats(f->rnd, &c);
    assert_int_equal(c.add_bakes, b.add_bakes);
    assert_int_equal(c.whole_bakes, b.whole_bakes);
    assert_int_equal(c.level_bakes, b.level_bakes);
}

static void detail_levels_follow_the_view_and_stay_baked(void **state)
{
    fixture *f = *state;
    assert_int_equal(rnd_renderer_set_surface(f->rnd, &f->head), RND_OK);
    rnd_dot d = dot_at(&f->head, sim_v2(0.0, 60.0), 0.3);
    assert_int_equal(rnd_renderer_set_dots(f->rnd, &d, 1), RND_OK);
    rnd_camera cam = rnd_camera_frame(&f->head);
    draw_into(f, &cam, f->with);
    rnd_renderer_stats s0, s1, s2, s3;
    rnd_renderer_get_stats(f->rnd, &s0);
    assert_int_equal(s0.detail_levels, 0); /* framed: the whole layer will do */
    rnd_camera_look_at(&cam, &f->head, sim_v3(d.pos[0], d.pos[1], d.pos[2]));
    cam.distance_mm = 20.0;
    draw_into(f, &cam, f->with);
    rnd_renderer_get_stats(f->rnd, &s1);
    assert_true(s1.detail_levels >= 1);
    assert_true(s1.level_bakes >= s0.level_bakes + (uint64_t)s1.detail_levels);
    /* orbiting about the same point and drawing again: nothing to bake */
    for (int i = 0; i < 5; i++) {
        rnd_camera_orbit(&cam, 0.05, 0.02);
        draw_into(f, &cam, f->with);
    }
    rnd_renderer_get_stats(f->rnd, &s2);
    assert_int_equal(s2.level_bakes, s1.level_bakes);
    /* moving 40 mm along the scalp bakes the levels there */
    sim_surface_hit hit;
    assert_true(sim_surface_from_chart(&f->head, sim_v2(0.0, 20.0), &hit));
    rnd_camera_look_at(&cam, &f->head, hit.point_mm);
    cam.distance_mm = 20.0;
    draw_into(f, &cam, f->with);
    rnd_renderer_get_stats(f->rnd, &s3);
    assert_true(s3.level_bakes > s2.level_bakes);
    assert_int_equal(s3.whole_bakes, s2.whole_bakes);
}

static void a_bake_leaves_the_callers_framebuffer_alone(void **state)
{
    fixture *f = *state;
    assert_int_equal(rnd_renderer_set_surface(f->rnd, &f->head), RND_OK);
    rnd_dot d = dot_at(&f->head, sim_v2(10.0, 40.0), 0.3);
    assert_int_equal(rnd_renderer_set_dots(f->rnd, &d, 1), RND_OK);
    GLint fbo_before = 0, read_before = 0;
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &fbo_before);
    glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &read_before);
    rnd_camera cam = rnd_camera_frame(&f->head);
    rnd_camera_look_at(&cam, &f->head, sim_v3(d.pos[0], d.pos[1], d.pos[2]));
    cam.distance_mm = 10.0; /* whole bake and level bakes this frame */
    rnd_frame fr;
    memset(&fr, 0, sizeof fr);
    fr.width = W;
    fr.height = H;
    fr.camera = cam;
    rnd_renderer_draw(f->rnd, &fr);
    GLint fbo_after = 0, read_after = 0, vp[4];
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &fbo_after);
    glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &read_after);
    glGetIntegerv(GL_VIEWPORT, vp);
    assert_int_equal(fbo_after, fbo_before);
    assert_int_equal(read_after, read_before);
    assert_int_equal(vp[2], W);
    assert_int_equal(vp[3], H);
    assert_false(glIsEnabled(GL_FRAMEBUFFER_SRGB));
    assert_false(glIsEnabled(GL_BLEND));
    assert_int_equal(glGetError(), GL_NO_ERROR);
}

/* A scene beside a side panel: the viewport starts at x; the background
 * fills the viewport and only it. */
static void a_viewport_beside_a_panel_is_drawn_whole(void **state)
{
    fixture *f = *state;
    assert_int_equal(rnd_renderer_set_surface(f->rnd, &f->pad), RND_OK);
    rnd_frame fr;
    memset(&fr, 0, sizeof fr);
    fr.x = 100;
    fr.width = W - 100;
    fr.height = H;
    fr.camera = rnd_camera_frame(&f->pad);
    for (int pass = 0; pass < 2; pass++) { /* the cached background, made and reused */
        rnd_renderer_draw(f->rnd, &fr);
        assert_int_equal(rnd_offscreen_read(f->off, f->with), RND_OK);
        const uint8_t *in = f->with + ((size_t)3 * W + 104) * 4;   /* viewport, top-left */
        const uint8_t *out = f->with + ((size_t)3 * W + 50) * 4;   /* left of it */
        print_message("inside %d %d %d, outside %d %d %d\n", in[0], in[1], in[2], out[0], out[1], out[2]);
        assert_true(in[0] > out[0] + 8 || in[2] > out[2] + 8); /* the gradient, not the clear */
        assert_true(abs(out[0] - 14) <= 2 && abs(out[2] - 17) <= 2);
    }
}

static void display_mesh_lies_on_the_head(void **state)
{
    fixture *f = *state;
    sim_mesh m;
    assert_int_equal(rnd__display_mesh(&f->head, 32, &m), RND_OK);
    assert_int_equal(m.triangle_count, 12u * 32u * 32u);
    double worst = 0.0;
    for (uint32_t i = 0; i < m.vertex_count; i++) {
        sim_surface_hit hit;
        sim_surface_closest(&f->head, m.positions[i], &hit);
        double dist = sim_v3_len(sim_v3_sub(hit.point_mm, m.positions[i]));
        worst = dist > worst ? dist : worst;
        assert_true(fabs(sim_v3_len(m.normals[i]) - 1.0) < 1e-6);
    }
    print_message("display mesh: %u vertices, farthest %.2g mm from the surface\n",
                  m.vertex_count, worst);
    assert_true(worst < 1e-6);
    /* outward triangles everywhere but under the ear lobes, where the head
     * is not star-shaped */
    uint32_t flipped = 0;
    for (uint32_t t = 0; t < m.triangle_count; t++) {
        sim_vec3 p[3];
        sim_mesh_triangle(&m, t, p);
        sim_vec3 n = sim_v3_cross(sim_v3_sub(p[1], p[0]), sim_v3_sub(p[2], p[0]));
        if (sim_v3_dot(n, m.normals[m.indices[3 * t]]) < 0.0)
            flipped++;
    }
    print_message("%u of %u triangles face inward\n", flipped, m.triangle_count);
    assert_true(flipped < m.triangle_count / 200);
    sim_mesh_deinit(&m);
    assert_int_equal(rnd__display_mesh(&f->pad, 32, &m), RND_ERR_ARG);
    assert_int_equal(rnd__display_mesh(&f->head, 1, &m), RND_ERR_ARG);
}

static void chart_jacobian_maps_tangent_moves(void **state)
{
    fixture *f = *state;
    const sim_vec2 spots[3] = {{0.0, 80.0}, {70.0, 30.0}, {-20.0, -60.0}};
    for (int s = 0; s < 3; s++) {
        rnd_dot src = dot_at(&f->head, spots[s], 0.3);
        rnd__layer_dot d;
        rnd__layer_dot_from(&f->head, &src, &d);
        assert_true(fabs(d.chart[0] - spots[s].x) < 0.01 && fabs(d.chart[1] - spots[s].y) < 0.01);
        /* the frame the dot programs use, then a 0.5 mm move along it */
        sim_vec3 n = sim_v3(src.normal[0], src.normal[1], src.normal[2]);
        sim_vec3 a = fabs(n.x) < 0.9 ? sim_v3(1, 0, 0) : sim_v3(0, 1, 0);
        sim_vec3 t = sim_v3_normalize(sim_v3_cross(a, n)), b = sim_v3_cross(n, t);
        sim_vec3 p = sim_v3(src.pos[0], src.pos[1], src.pos[2]);
        sim_vec3 moved = sim_v3_add(p, sim_v3_add(sim_v3_scale(t, 0.3), sim_v3_scale(b, -0.4)));
        sim_vec2 want = rnd__chart(&f->head, moved);
        double gu = d.chart[0] + d.jac[0] * 0.3 + d.jac[2] * -0.4;
        double gv = d.chart[1] + d.jac[1] * 0.3 + d.jac[3] * -0.4;
        assert_true(fabs(gu - want.x) < 0.005 && fabs(gv - want.y) < 0.005);
        /* the chart is within ~25 % of the skin's scale over the scalp */
        double det = d.jac[0] * d.jac[3] - d.jac[1] * d.jac[2];
        print_message("chart (%.0f, %.0f): det %.3f\n", spots[s].x, spots[s].y, det);
        assert_true(fabs(det) > 0.75 && fabs(det) < 1.6);
    }
    /* the pad's chart is the pad */
    rnd_dot src = dot_at(&f->pad, sim_v2(20.0, 30.0), 0.3);
    rnd__layer_dot d;
    rnd__layer_dot_from(&f->pad, &src, &d);
    assert_true(fabs(d.chart[0] - 20.0) < 1e-5 && fabs(d.chart[1] - 30.0) < 1e-5);
    assert_true(fabs(fabs(d.jac[0] * d.jac[3] - d.jac[1] * d.jac[2]) - 1.0) < 1e-5);
}

static void culling_never_removes_what_is_seen(void **state)
{
    fixture *f = *state;
    assert_int_equal(rnd_renderer_set_surface(f->rnd, &f->head), RND_OK);
    rnd_dot d = dot_at(&f->head, sim_v2(20.0, 50.0), 1.0);
    assert_int_equal(rnd_renderer_set_dots(f->rnd, &d, 1), RND_OK);
    rnd_camera views[3];
    views[0] = rnd_camera_frame(&f->head);
    views[1] = views[0];
    rnd_camera_orbit(&views[1], 2.2, -0.6); /* the back of the head, from low */
    views[2] = views[0];
    rnd_camera_look_at(&views[2], &f->head, sim_v3(d.pos[0], d.pos[1], d.pos[2]));
    views[2].distance_mm = 12.0; /* the full mesh, mostly off screen */
    for (int i = 0; i < 3; i++) {
        rnd__renderer_set_culling(f->rnd, false);
        draw_into(f, &views[i], f->without);
        rnd_renderer_stats all, some;
        rnd_renderer_get_stats(f->rnd, &all);
        rnd__renderer_set_culling(f->rnd, true);
        draw_into(f, &views[i], f->with);
        rnd_renderer_get_stats(f->rnd, &some);
        print_message("view %d: %u of %u clusters drawn\n", i, some.clusters_drawn,
                      all.clusters_drawn);
        assert_true(some.clusters_drawn < all.clusters_drawn);
        assert_memory_equal(f->with, f->without, sizeof f->with);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pad_dot_lands_where_projected_on_both_paths),
        cmocka_unit_test(head_dot_lands_where_projected_from_afar_to_the_loupe),
        cmocka_unit_test(long_dots_are_long_on_both_paths),
        cmocka_unit_test(adding_a_dot_bakes_only_it),
        cmocka_unit_test(detail_levels_follow_the_view_and_stay_baked),
        cmocka_unit_test(a_bake_leaves_the_callers_framebuffer_alone),
        cmocka_unit_test(culling_never_removes_what_is_seen),
        cmocka_unit_test(a_viewport_beside_a_panel_is_drawn_whole),
        cmocka_unit_test(display_mesh_lies_on_the_head),
        cmocka_unit_test(chart_jacobian_maps_tangent_moves),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
