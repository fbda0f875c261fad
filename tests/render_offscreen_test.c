/* render_offscreen_test.c: headless rendering on whatever EGL offers (Mesa's
 * llvmpipe here): the pad and the head read as skin, dots land where the
 * camera math says and look as they should, overlays and the tip marker
 * show, the dot buffer grows without losing dots, PNGs round-trip.
 *
 * Pixel checks use tolerances and 3x3 averages: rasterisers differ in the
 * last bit. */
#include "test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd.h"

enum { W = 320, H = 240 };

typedef struct rgb { double r, g, b; } rgb;

typedef struct fixture {
    rnd_offscreen *off;
    rnd_renderer *rnd;
    sim_surface pad;
    uint8_t px[W * H * 4];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    sim_error err;
    if (rnd_offscreen_create(&f->off, W, H, &err) != RND_OK) {
        fprintf(stderr, "offscreen: %s\n", err.message);
        free(f);
        return -1;
    }
    if (rnd_renderer_create(&f->rnd, &err) != RND_OK) {
        fprintf(stderr, "renderer: %s\n", err.message);
        rnd_offscreen_destroy(f->off);
        free(f);
        return -1;
    }
    sim_surface_desc d;
    memset(&d, 0, sizeof d);
    d.kind = SIM_SURFACE_PAD;
    if (sim_surface_init(&f->pad, &d, &err) != SIM_OK ||
        rnd_renderer_set_surface(f->rnd, &f->pad) != RND_OK) {
        rnd_renderer_destroy(f->rnd);
        rnd_offscreen_destroy(f->off);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rnd_renderer_destroy(f->rnd);
    rnd_offscreen_destroy(f->off);
    sim_surface_deinit(&f->pad);
    free(f);
    return 0;
}

/* Average colour of the 3x3 pixels around continuous pixel coordinates. */
static rgb sample(const uint8_t *px, int w, int h, double x, double y)
{
    rgb c = {0, 0, 0};
    int cx = (int)floor(x), cy = (int)floor(y), n = 0;
    for (int j = cy - 1; j <= cy + 1; j++)
        for (int i = cx - 1; i <= cx + 1; i++) {
            if (i < 0 || j < 0 || i >= w || j >= h)
                continue;
            const uint8_t *p = px + ((size_t)j * w + i) * 4;
            c.r += p[0];
            c.g += p[1];
            c.b += p[2];
            n++;
        }
    assert_true(n > 0);
    c.r /= n;
    c.g /= n;
    c.b /= n;
    return c;
}

static double luma(rgb c) { return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b; }

static double rgb_dist(rgb a, rgb b)
{
    return sqrt((a.r - b.r) * (a.r - b.r) + (a.g - b.g) * (a.g - b.g) +
                (a.b - b.b) * (a.b - b.b));
}

static bool skin_like(rgb c)
{
    return c.r > c.g + 10.0 && c.g > c.b && c.r > 110.0 && c.r < 250.0;
}

/* Looks straight down on the pad's middle from 60 mm: ~0.16 mm a pixel. */
static rnd_camera close_camera(void)
{
    rnd_camera cam;
    memset(&cam, 0, sizeof cam);
    cam.target = sim_v3(50.0, 50.0, 0.0);
    cam.pitch_rad = sim_rad(89.0);
    cam.distance_mm = 60.0;
    cam.fov_y_rad = sim_rad(35.0);
    return cam;
}

static rnd_dot make_dot(double x, double y, double diameter_mm, const float rgba[4])
{
    rnd_dot d;
    memset(&d, 0, sizeof d);
    d.pos[0] = (float)x;
    d.pos[1] = (float)y;
    d.normal[2] = 1.0f;
    d.diameter_mm = (float)diameter_mm;
    d.edge_mm = 0.1f;
    memcpy(d.rgba, rgba, sizeof d.rgba);
    return d;
}

static void draw(fixture *f, const rnd_frame *frame)
{
    rnd_renderer_draw(f->rnd, frame);
    assert_int_equal(rnd_offscreen_read(f->off, f->px), RND_OK);
}

static rnd_frame frame_of(rnd_camera cam)
{
    rnd_frame fr;
    memset(&fr, 0, sizeof fr);
    fr.width = W;
    fr.height = H;
    fr.camera = cam;
    return fr;
}

static rgb at(fixture *f, const rnd_camera *cam, sim_vec3 p)
{
    double x, y;
    assert_true(rnd_camera_project(cam, &f->pad, W, H, p, &x, &y));
    assert_true(x > 2 && y > 2 && x < W - 2 && y < H - 2);
    return sample(f->px, W, H, x, y);
}

/* ------------------------------------------------------------------------ */

static void bad_sizes_are_refused_with_a_reason(void **state)
{
    (void)state;
    rnd_offscreen *off = (rnd_offscreen *)0x1;
    sim_error err;
    assert_int_equal(rnd_offscreen_create(&off, 0, 10, &err), RND_ERR_ARG);
    assert_null(off);
    assert_int_equal(err.code, RND_ERR_ARG);
    assert_non_null(strstr(err.message, "0 x 10"));
    assert_int_equal(rnd_offscreen_create(&off, 10, 100000, &err), RND_ERR_ARG);
    assert_int_equal(rnd_offscreen_create(NULL, 10, 10, &err), RND_ERR_ARG);
    assert_string_equal(rnd_result_name(RND_ERR_NO_DISPLAY), "RND_ERR_NO_DISPLAY");
    assert_string_equal(rnd_result_message(RND_ERR_IO), "cannot write the image");
    assert_string_equal(rnd_result_name((rnd_result)99), "RND_UNKNOWN");
}

static void out_of_memory_is_reported(void **state)
{
    fixture *f = *state;
    rnd_offscreen *off = NULL;
    sim_error err;
    sim_alloc_fail_after(0);
    rnd_result rc = rnd_offscreen_create(&off, 16, 16, &err);
    sim_alloc_fail_after(-1);
    assert_int_equal(rc, RND_ERR_NOMEM);
    assert_null(off);
    sim_alloc_fail_after(0);
    rc = rnd_renderer_set_surface(f->rnd, &f->pad);
    sim_alloc_fail_after(-1);
    assert_int_equal(rc, RND_ERR_NOMEM);
    assert_int_equal(rnd_renderer_set_surface(f->rnd, &f->pad), RND_OK);
}

static void pad_reads_as_skin_and_dots_as_ink(void **state)
{
    fixture *f = *state;
    assert_true(rnd_offscreen_samples(f->off) >= 1);
    const float black[4] = {0.022f, 0.022f, 0.025f, 0.95f};
    const float blue[4] = {0.050f, 0.068f, 0.110f, 0.95f};
    sim_impression imp;
    memset(&imp, 0, sizeof imp);
    imp.surface_mm = sim_v3(50.0, 44.0, 0.0);
    imp.normal = sim_v3(0.0, 0.0, 1.0);
    rnd_dot dots[3];
    dots[0] = make_dot(44.0, 50.0, 2.0, black);
    dots[1] = make_dot(56.0, 50.0, 2.0, blue);
    rnd_dots_from_impressions(&imp, NULL, 1, RND_DOTS_FRESH, &dots[2]);
    dots[2].diameter_mm = 2.0f; /* big enough to sample its centre */
    assert_int_equal(rnd_renderer_set_dots(f->rnd, dots, 3), RND_OK);
    assert_int_equal(rnd_renderer_dot_count(f->rnd), 3);

    rnd_camera cam = close_camera();
    rnd_frame fr = frame_of(cam);
    draw(f, &fr);
    rgb skin = at(f, &cam, sim_v3(50.0, 56.0, 0.0));
    rgb ink = at(f, &cam, sim_v3(44.0, 50.0, 0.0));
    rgb deep = at(f, &cam, sim_v3(56.0, 50.0, 0.0));
    rgb fresh = at(f, &cam, sim_v3(50.0, 44.0, 0.0));
    print_message("skin %.0f %.0f %.0f  ink %.0f %.0f %.0f  deep %.0f %.0f %.0f"
                  "  fresh %.0f %.0f %.0f\n", skin.r, skin.g, skin.b, ink.r, ink.g,
                  ink.b, deep.r, deep.g, deep.b, fresh.r, fresh.g, fresh.b);
    /* the default light-medium skin, lit from the front-top */
    assert_true(skin_like(skin));
    /* measured on llvmpipe (208 180 160); a shader change that moves the
     * skin tone further than this should be a deliberate one */
    const rgb expected = {208.0, 180.0, 160.0};
    assert_true(fabs(skin.r - expected.r) < 20.0);
    assert_true(fabs(skin.g - expected.g) < 20.0);
    assert_true(fabs(skin.b - expected.b) < 20.0);
    /* black pigment under skin: dark grey-black */
    assert_true(luma(ink) < 0.4 * luma(skin));
    assert_true(fabs(ink.r - ink.b) < 25.0);
    /* blue-shifted pigment: blue-grey, darker than skin */
    assert_true(deep.b > deep.r + 5.0);
    assert_true(luma(deep) < 0.6 * luma(skin));
    /* fresh marks: dark red-black */
    assert_true(fresh.r > fresh.b + 3.0);
    assert_true(luma(fresh) < 0.4 * luma(skin));

    /* a darker skin tone darkens the skin, not the picture's background */
    rnd_renderer_set_skin_tone(f->rnd, 0.20f, 0.11f, 0.07f);
    draw(f, &fr);
    rgb dark = at(f, &cam, sim_v3(50.0, 56.0, 0.0));
    assert_true(luma(dark) < luma(skin) - 40.0);
    rnd_renderer_set_skin_tone(f->rnd, RND_SKIN_DEFAULT_R, RND_SKIN_DEFAULT_G,
                               RND_SKIN_DEFAULT_B);

    /* without dots the same places are skin again */
    assert_int_equal(rnd_renderer_set_dots(f->rnd, NULL, 0), RND_OK);
    draw(f, &fr);
    rgb bare = at(f, &cam, sim_v3(44.0, 50.0, 0.0));
    assert_true(skin_like(bare));
    assert_true(rgb_dist(bare, skin) < 20.0);
}

static void framed_pad_stands_out_from_the_background(void **state)
{
    fixture *f = *state;
    assert_int_equal(rnd_renderer_set_dots(f->rnd, NULL, 0), RND_OK);
    rnd_camera cam = rnd_camera_frame(&f->pad);
    rnd_frame fr = frame_of(cam);
    draw(f, &fr);
    rgb centre = at(f, &cam, sim_v3(50.0, 50.0, 0.0));
    rgb corner = sample(f->px, W, H, 3.0, 3.0);
    assert_true(skin_like(centre));
    assert_true(rgb_dist(centre, corner) > 80.0);
    assert_true(luma(corner) < 80.0);
    /* alpha is opaque everywhere */
    for (size_t i = 3; i < sizeof f->px; i += 4)
        assert_int_equal(f->px[i], 255);
}

/* The darkest pixel cluster's centroid: where the GPU drew a lone dot. */
static void dark_centroid(const uint8_t *px, double *cx, double *cy)
{
    double sx = 0, sy = 0, sw = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            const uint8_t *p = px + ((size_t)y * W + x) * 4;
            double l = 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
            if (l < 80.0) {
                sx += (x + 0.5) * (80.0 - l);
                sy += (y + 0.5) * (80.0 - l);
                sw += 80.0 - l;
            }
        }
    assert_true(sw > 0.0);
    *cx = sx / sw;
    *cy = sy / sw;
}

static void drawn_dots_land_where_the_camera_projects_them(void **state)
{
    fixture *f = *state;
    const float black[4] = {0.0f, 0.0f, 0.0f, 1.0f};
    rnd_camera cam = close_camera();
    rnd_camera_orbit(&cam, 0.4, -0.6); /* a slanted view */
    const sim_vec3 spots[3] = {sim_v3(50.0, 50.0, 0.0), sim_v3(40.0, 55.0, 0.0),
                               sim_v3(58.0, 44.0, 0.0)};
    for (int i = 0; i < 3; i++) {
        rnd_dot d = make_dot(spots[i].x, spots[i].y, 1.2, black);
        assert_int_equal(rnd_renderer_set_dots(f->rnd, &d, 1), RND_OK);
        rnd_frame fr = frame_of(cam);
        draw(f, &fr);
        double gx, gy, px, py;
        dark_centroid(f->px, &gx, &gy);
        assert_true(rnd_camera_project(&cam, &f->pad, W, H, spots[i], &px, &py));
        print_message("dot %d drawn at %.2f %.2f, projected %.2f %.2f\n", i, gx,
                      gy, px, py);
        assert_true(fabs(gx - px) < 0.5 && fabs(gy - py) < 0.5);
        /* and the picking ray through the drawn dot finds the dot */
        sim_vec3 o, dir;
        rnd_camera_ray(&cam, &f->pad, W, H, gx, gy, &o, &dir);
        double t = -o.z / dir.z; /* the pad's plane z = 0 */
        sim_vec3 hit = sim_v3_add(o, sim_v3_scale(dir, t));
        assert_true(sim_v3_len(sim_v3_sub(hit, spots[i])) < 0.5);
    }
}

static void adding_dots_keeps_the_earlier_ones(void **state)
{
    fixture *f = *state;
    const float black[4] = {0.0f, 0.0f, 0.0f, 1.0f};
    assert_int_equal(rnd_renderer_set_dots(f->rnd, NULL, 0), RND_OK);
    rnd_dot first = make_dot(44.0, 50.0, 2.0, black);
    assert_int_equal(rnd_renderer_add_dots(f->rnd, &first, 1), RND_OK);
    /* many more, far off the pad's middle, to force the buffer to grow
     * several times */
    enum { MORE = 5000 };
    rnd_dot *more = malloc(MORE * sizeof *more);
    assert_non_null(more);
    for (int i = 0; i < MORE; i++)
        more[i] = make_dot(5.0 + (i % 50) * 0.2, 5.0 + (i / 50) * 0.2, 0.1, black);
    for (int k = 0; k < MORE; k += 700) {
        size_t n = (size_t)(MORE - k < 700 ? MORE - k : 700);
        assert_int_equal(rnd_renderer_add_dots(f->rnd, more + k, n), RND_OK);
    }
    rnd_dot last = make_dot(56.0, 50.0, 2.0, black);
    assert_int_equal(rnd_renderer_add_dots(f->rnd, &last, 1), RND_OK);
    assert_int_equal(rnd_renderer_dot_count(f->rnd), MORE + 2);
    free(more);
    rnd_camera cam = close_camera();
    rnd_frame fr = frame_of(cam);
    draw(f, &fr);
    rgb skin = at(f, &cam, sim_v3(50.0, 56.0, 0.0));
    assert_true(luma(at(f, &cam, sim_v3(44.0, 50.0, 0.0))) < 0.4 * luma(skin));
    assert_true(luma(at(f, &cam, sim_v3(56.0, 50.0, 0.0))) < 0.4 * luma(skin));
    assert_int_equal(rnd_renderer_add_dots(f->rnd, NULL, 3), RND_ERR_ARG);
    assert_int_equal(rnd_renderer_set_dots(NULL, NULL, 0), RND_ERR_ARG);
}

static void overlays_and_tip_show_when_asked(void **state)
{
    fixture *f = *state;
    assert_int_equal(rnd_renderer_set_dots(f->rnd, NULL, 0), RND_OK);
    sim_vec2 square[4] = {{45, 45}, {55, 45}, {55, 55}, {45, 55}};
    sim_vec2 hairline[2] = {{40, 52}, {60, 52}};
    les_zone zone;
    memset(&zone, 0, sizeof zone);
    zone.name = "field";
    zone.polygon = square;
    zone.polygon_count = 4;
    les_lesson lesson;
    memset(&lesson, 0, sizeof lesson);
    lesson.zones = &zone;
    lesson.zone_count = 1;
    lesson.hairline = hairline;
    lesson.hairline_count = 2;

    rnd_camera cam = close_camera();
    rnd_frame fr = frame_of(cam);
    fr.lesson = &lesson;
    fr.show_overlays = false;
    draw(f, &fr);
    rgb edge_off = at(f, &cam, sim_v3(50.0, 45.0, 0.0));
    rgb hair_off = at(f, &cam, sim_v3(42.0, 52.0, 0.0));
    assert_true(skin_like(edge_off) && skin_like(hair_off));

    fr.show_overlays = true;
    draw(f, &fr);
    rgb edge_on = at(f, &cam, sim_v3(50.0, 45.0, 0.0));
    rgb hair_on = at(f, &cam, sim_v3(42.0, 52.0, 0.0));
    rgb inside = at(f, &cam, sim_v3(50.0, 49.0, 0.0));
    assert_true(edge_on.b > edge_on.r + 30.0);   /* the zone's teal */
    assert_true(hair_on.g > hair_on.b + 60.0);   /* the hairline's yellow */
    assert_true(skin_like(inside));              /* lines only, no fill */
    assert_true(rgb_dist(edge_on, hair_on) > 60.0);

    /* the lesson changes: the overlay follows */
    square[0].y = square[1].y = 47.0;
    draw(f, &fr);
    assert_true(skin_like(at(f, &cam, sim_v3(50.0, 45.0, 0.0))));
    assert_true(at(f, &cam, sim_v3(50.0, 47.0, 0.0)).b >
                at(f, &cam, sim_v3(50.0, 47.0, 0.0)).r + 30.0);

    /* the tip marker: cyan in the air, red in the skin */
    fr.show_overlays = false;
    fr.show_tip = true;
    fr.tip_mm = sim_v3(52.0, 48.0, 0.3);
    draw(f, &fr);
    rgb air = at(f, &cam, fr.tip_mm);
    fr.tip_in_skin = true;
    draw(f, &fr);
    rgb in = at(f, &cam, fr.tip_mm);
    assert_true(air.b > air.r + 40.0);
    assert_true(in.r > in.b + 60.0);
}

static void head_renders_as_skin_in_the_middle(void **state)
{
    (void)state;
    enum { HW = 256, HH = 192 };
    sim_surface head;
    sim_surface_desc d;
    memset(&d, 0, sizeof d);
    d.kind = SIM_SURFACE_HEAD;
    d.head.face_cells = 40;
    sim_error err;
    assert_int_equal(sim_surface_init(&head, &d, &err), SIM_OK);
    /* a hairline across the front of the scalp, in chart mm */
    sim_vec2 hairline[3] = {{-50.0, 55.0}, {0.0, 62.0}, {50.0, 55.0}};
    les_lesson lesson;
    memset(&lesson, 0, sizeof lesson);
    lesson.hairline = hairline;
    lesson.hairline_count = 3;
    const char *path = tu_tmp("render_head.png");
    assert_int_equal(rnd_render_png(path, HW, HH, &head, &lesson, NULL, 0, &err), RND_OK);
    int w = 0, h = 0;
    uint8_t *px = NULL;
    assert_int_equal(rnd_read_png(path, &w, &h, &px, &err), RND_OK);
    assert_int_equal(w, HW);
    assert_int_equal(h, HH);
    int skin = 0;
    for (int j = -2; j <= 2; j++)
        for (int i = -2; i <= 2; i++)
            skin += skin_like(sample(px, w, h, HW / 2 + 8 * i, HH / 2 + 8 * j));
    assert_true(skin >= 20);
    assert_true(!skin_like(sample(px, w, h, 3, 3)));
    /* the hairline shows somewhere on the scalp */
    rnd_camera cam = rnd_camera_frame(&head);
    sim_surface_hit hit;
    assert_true(sim_surface_from_chart(&head, hairline[1], &hit));
    double hx, hy;
    assert_true(rnd_camera_project(&cam, &head, w, h, hit.point_mm, &hx, &hy));
    rgb line = sample(px, w, h, hx, hy);
    assert_true(line.g > line.b + 40.0);
    rnd_image_free(px);
    remove(path);
    sim_surface_deinit(&head);
}

static void png_round_trips_and_reports_io_errors(void **state)
{
    fixture *f = *state;
    rnd_camera cam = rnd_camera_frame(&f->pad);
    rnd_frame fr = frame_of(cam);
    draw(f, &fr);
    const char *tmp = tu_tmp("render_pad.png");
    char path[1024];
    snprintf(path, sizeof path, "%s", tmp);
    sim_error err;
    assert_int_equal(rnd_write_png(path, W, H, f->px, &err), RND_OK);
    int w = 0, h = 0;
    uint8_t *back = NULL;
    assert_int_equal(rnd_read_png(path, &w, &h, &back, &err), RND_OK);
    assert_int_equal(w, W);
    assert_int_equal(h, H);
    assert_memory_equal(back, f->px, sizeof f->px);
    rnd_image_free(back);
    remove(path);

    assert_int_equal(rnd_write_png("/nonexistent-dir/x.png", W, H, f->px, &err),
                     RND_ERR_IO);
    assert_int_equal(err.code, RND_ERR_IO);
    assert_string_equal(err.file, "/nonexistent-dir/x.png");
    assert_non_null(strstr(err.message, "cannot write"));
    assert_int_equal(rnd_read_png("/nonexistent-dir/x.png", &w, &h, &back, &err),
                     RND_ERR_IO);
    assert_null(back);
    assert_int_equal(rnd_write_png(path, 0, H, f->px, &err), RND_ERR_ARG);
}

static void render_png_in_one_call(void **state)
{
    fixture *f = *state;
    /* a second context beside the fixture's, made and released in the call */
    const char *tmp = tu_tmp("render_one_call.png");
    char path[1024];
    snprintf(path, sizeof path, "%s", tmp);
    sim_error err;
    const float ink[4] = {0.02f, 0.02f, 0.02f, 0.9f};
    rnd_dot d = make_dot(50.0, 50.0, 1.0, ink);
    assert_int_equal(rnd_render_png(path, 200, 120, &f->pad, NULL, &d, 1, &err), RND_OK);
    int w = 0, h = 0;
    uint8_t *px = NULL;
    assert_int_equal(rnd_read_png(path, &w, &h, &px, &err), RND_OK);
    assert_int_equal(w, 200);
    assert_int_equal(h, 120);
    rnd_image_free(px);
    remove(path);
    assert_int_equal(rnd_render_png(path, 200, 120, NULL, NULL, NULL, 0, &err), RND_ERR_ARG);
    /* the fixture's context still works */
    assert_int_equal(rnd_offscreen_make_current(f->off), RND_OK);
    rnd_camera cam = rnd_camera_frame(&f->pad);
    rnd_frame fr = frame_of(cam);
    draw(f, &fr);
    assert_true(skin_like(at(f, &cam, sim_v3(50.0, 50.0, 0.0))));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_sizes_are_refused_with_a_reason),
        cmocka_unit_test(out_of_memory_is_reported),
        cmocka_unit_test(pad_reads_as_skin_and_dots_as_ink),
        cmocka_unit_test(framed_pad_stands_out_from_the_background),
        cmocka_unit_test(drawn_dots_land_where_the_camera_projects_them),
        cmocka_unit_test(adding_dots_keeps_the_earlier_ones),
        cmocka_unit_test(overlays_and_tip_show_when_asked),
        cmocka_unit_test(head_renders_as_skin_in_the_middle),
        cmocka_unit_test(png_round_trips_and_reports_io_errors),
        cmocka_unit_test(render_png_in_one_call),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
