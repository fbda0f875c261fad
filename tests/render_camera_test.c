/* render_camera_test.c: the orbit camera without GL: framing, orbit and
 * zoom clamps, and picking rays as the exact inverse of the projection. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "rnd.h"

/* In place: a surface's BVH points at its own mesh, so it must not move. */
static void make_surface(sim_surface *s, sim_surface_kind kind)
{
    sim_surface_desc d;
    memset(&d, 0, sizeof d);
    d.kind = kind;
    d.head.face_cells = 32;
    sim_error err;
    assert_int_equal(sim_surface_init(s, &d, &err), SIM_OK);
}

/* Distance from point p to the ray (o, unit d). */
static double ray_distance(sim_vec3 o, sim_vec3 d, sim_vec3 p)
{
    sim_vec3 rel = sim_v3_sub(p, o);
    double t = sim_v3_dot(rel, d);
    return sim_v3_len(sim_v3_sub(rel, sim_v3_scale(d, t)));
}

static void pad_frame_looks_down_at_the_centre(void **state)
{
    (void)state;
    sim_surface pad;
    make_surface(&pad, SIM_SURFACE_PAD);
    rnd_camera cam = rnd_camera_frame(&pad);
    assert_true(fabs(cam.target.x - 50.0) < 1e-9);
    assert_true(fabs(cam.target.y - 50.0) < 1e-9);
    assert_true(fabs(cam.target.z) < 1e-9);   /* on the skin */
    assert_true(fabs(sim_deg(cam.pitch_rad) - 60.0) < 1e-9);
    sim_vec3 eye = rnd_camera_eye(&cam, &pad);
    assert_true(eye.z > 0.0);                 /* above the pad */
    assert_true(eye.y < 50.0);                /* on the trainee's side */
    /* every corner of the pad is inside a 4:3 picture */
    for (int i = 0; i < 4; i++) {
        sim_vec3 c = sim_v3((i & 1) ? 100.0 : 0.0, (i & 2) ? 100.0 : 0.0, 0.0);
        double px, py;
        assert_true(rnd_camera_project(&cam, &pad, 800, 600, c, &px, &py));
        assert_true(px > 0.0 && px < 800.0);
        assert_true(py > 0.0 && py < 600.0);
    }
    /* the target lands in the middle of the picture */
    double px, py;
    assert_true(rnd_camera_project(&cam, &pad, 640, 480, cam.target, &px, &py));
    assert_true(fabs(px - 320.0) < 1e-6 && fabs(py - 240.0) < 1e-6);
    assert_true(cam.max_distance_mm > cam.distance_mm);
    assert_true(cam.min_distance_mm > 0.0 && cam.min_distance_mm <= 10.0);
    sim_surface_deinit(&pad);
}

static void head_frame_sees_the_scalp_from_front_top(void **state)
{
    (void)state;
    sim_surface head;
    make_surface(&head, SIM_SURFACE_HEAD);
    rnd_camera cam = rnd_camera_frame(&head);
    sim_vec3 eye = rnd_camera_eye(&cam, &head);
    assert_true(eye.z > cam.target.z);        /* in front of the face */
    assert_true(eye.y > cam.target.y);        /* above */
    /* the top of the head (vertex landmark) is in the picture */
    sim_head_landmarks lm;
    sim_head_landmarks_get(&lm);
    double px, py;
    assert_true(rnd_camera_project(&cam, &head, 800, 600, lm.vertex, &px, &py));
    assert_true(px > 0.0 && px < 800.0 && py > 0.0 && py < 600.0);
    /* and it is visible: the ray to it hits the head near the vertex */
    sim_vec3 o, d;
    rnd_camera_ray(&cam, &head, 800, 600, px, py, &o, &d);
    sim_mesh_hit hit;
    assert_true(sim_bvh_raycast(&head.bvh, o, d, 5000.0, &hit));
    assert_true(sim_v3_len(sim_v3_sub(hit.point, lm.vertex)) < 5.0);
    sim_surface_deinit(&head);
}

static void ray_inverts_projection(void **state)
{
    (void)state;
    sim_surface pad;
    make_surface(&pad, SIM_SURFACE_PAD);
    sim_surface head;
    make_surface(&head, SIM_SURFACE_HEAD);
    const sim_surface *surfaces[2] = {&pad, &head};
    const int sizes[3][2] = {{640, 480}, {1280, 800}, {300, 900}};
    for (int s = 0; s < 2; s++) {
        rnd_camera cam = rnd_camera_frame(surfaces[s]);
        for (int k = 0; k < 6; k++) {
            rnd_camera_orbit(&cam, 0.7 * k, 0.05 * (k - 3));
            rnd_camera_zoom(&cam, k % 2 ? 0.5 : 1.3);
            for (int z = 0; z < 3; z++) {
                int w = sizes[z][0], h = sizes[z][1];
                for (int i = 0; i < 5; i++) {
                    sim_vec3 p = sim_v3_add(cam.target,
                                            sim_v3(7.0 * i - 14.0, 3.0 * i - 5.0, 2.0 * i - 4.0));
                    double px, py;
                    if (!rnd_camera_project(&cam, surfaces[s], w, h, p, &px, &py))
                        continue;
                    sim_vec3 o, d;
                    rnd_camera_ray(&cam, surfaces[s], w, h, px, py, &o, &d);
                    assert_true(fabs(sim_v3_len(d) - 1.0) < 1e-12);
                    assert_true(sim_v3_dot(sim_v3_sub(p, o), d) > 0.0);
                    assert_true(ray_distance(o, d, p) < 1e-9 * cam.distance_mm + 1e-9);
                }
            }
        }
    }
    /* the centre pixel looks at the target */
    rnd_camera cam = rnd_camera_frame(&pad);
    sim_vec3 o, d;
    rnd_camera_ray(&cam, &pad, 640, 480, 320.0, 240.0, &o, &d);
    assert_true(ray_distance(o, d, cam.target) < 1e-9);
    /* a point to the right of the target projects right of the centre */
    double px, py;
    rnd_camera_project(&cam, &pad, 640, 480, sim_v3(60.0, 50.0, 0.0), &px, &py);
    assert_true(px > 320.0);
    /* a point behind the eye does not project */
    sim_vec3 eye = rnd_camera_eye(&cam, &pad);
    sim_vec3 behind = sim_v3_add(eye, sim_v3_sub(eye, cam.target));
    assert_false(rnd_camera_project(&cam, &pad, 640, 480, behind, &px, &py));
    sim_surface_deinit(&pad);
    sim_surface_deinit(&head);
}

static void orbit_and_zoom_are_clamped(void **state)
{
    (void)state;
    sim_surface pad;
    make_surface(&pad, SIM_SURFACE_PAD);
    rnd_camera cam = rnd_camera_frame(&pad);
    double framed = cam.distance_mm;
    rnd_camera_zoom(&cam, 1e-9);
    assert_true(fabs(cam.distance_mm - cam.min_distance_mm) < 1e-12);
    assert_true(cam.distance_mm >= 3.0 && cam.distance_mm <= 10.0);
    rnd_camera_zoom(&cam, 1e9);
    assert_true(fabs(cam.distance_mm - cam.max_distance_mm) < 1e-12);
    assert_true(cam.distance_mm >= framed);
    /* nonsense factors change nothing */
    double before = cam.distance_mm;
    rnd_camera_zoom(&cam, 0.0);
    rnd_camera_zoom(&cam, -2.0);
    rnd_camera_zoom(&cam, NAN);
    assert_true(cam.distance_mm == before);
    /* pitch stops short of the poles; yaw wraps */
    rnd_camera_orbit(&cam, 0.0, 10.0);
    assert_true(sim_deg(cam.pitch_rad) <= 89.0 + 1e-9);
    rnd_camera_orbit(&cam, 0.0, -20.0);
    assert_true(sim_deg(cam.pitch_rad) >= -89.0 - 1e-9);
    rnd_camera_orbit(&cam, 100.0, 0.0);
    assert_true(fabs(cam.yaw_rad) <= SIM_PI + 1e-12);
    /* zero clamps mean the defaults */
    rnd_camera bare;
    memset(&bare, 0, sizeof bare);
    bare.distance_mm = 100.0;
    rnd_camera_zoom(&bare, 1e-9);
    assert_true(bare.distance_mm == RND_CAMERA_MIN_MM);
    rnd_camera_zoom(&bare, 1e12);
    assert_true(bare.distance_mm == RND_CAMERA_MAX_MM);
    sim_surface_deinit(&pad);
}

static void look_at_keeps_the_eye_and_centres_the_point(void **state)
{
    (void)state;
    sim_surface pad, head;
    make_surface(&pad, SIM_SURFACE_PAD);
    make_surface(&head, SIM_SURFACE_HEAD);
    const sim_surface *surfaces[2] = {&pad, &head};
    const sim_vec3 points[2] = {sim_v3(30.0, 70.0, 0.0), sim_v3(40.0, 110.0, 30.0)};
    for (int s = 0; s < 2; s++) {
        rnd_camera cam = rnd_camera_frame(surfaces[s]);
        rnd_camera_orbit(&cam, 0.3, 0.1);
        sim_vec3 eye = rnd_camera_eye(&cam, surfaces[s]);
        rnd_camera_look_at(&cam, surfaces[s], points[s]);
        sim_vec3 eye2 = rnd_camera_eye(&cam, surfaces[s]);
        assert_true(sim_v3_len(sim_v3_sub(eye, eye2)) < 1e-9);
        double px, py;
        assert_true(rnd_camera_project(&cam, surfaces[s], 640, 480, points[s], &px, &py));
        assert_true(fabs(px - 320.0) < 1e-6 && fabs(py - 240.0) < 1e-6);
        /* zooming now closes in on the point */
        rnd_camera_zoom(&cam, 1e-9);
        sim_vec3 near = rnd_camera_eye(&cam, surfaces[s]);
        assert_true(fabs(sim_v3_len(sim_v3_sub(near, points[s])) - cam.min_distance_mm) < 1e-9);
    }
    sim_surface_deinit(&pad);
    sim_surface_deinit(&head);
}

/* Every preset on the head: the eye is where its name says and the scalp
 * is in the picture; names round-trip. */
static void presets_look_from_where_their_names_say(void **state)
{
    (void)state;
    sim_surface head, pad;
    make_surface(&head, SIM_SURFACE_HEAD);
    make_surface(&pad, SIM_SURFACE_PAD);
    sim_head_landmarks lm;
    sim_head_landmarks_get(&lm);
    for (int v = 0; v < RND_VIEW_COUNT; v++) {
        rnd_view back;
        assert_true(rnd_view_parse(rnd_view_name((rnd_view)v), &back));
        assert_int_equal(back, v);
        rnd_camera cam = rnd_camera_preset(&head, NULL, (rnd_view)v);
        sim_vec3 e = rnd_camera_eye(&cam, &head);
        print_message("%-8s eye %7.1f %7.1f %7.1f  distance %.0f\n", rnd_view_name((rnd_view)v), e.x,
                      e.y, e.z, cam.distance_mm);
        switch ((rnd_view)v) {
        case RND_VIEW_FRONT: assert_true(e.z > 300 && fabs(e.x) < 1.0); break;
        case RND_VIEW_LEFT: assert_true(e.x > 300 && fabs(e.z) < 60.0); break;  /* the subject's left: +x */
        case RND_VIEW_RIGHT: assert_true(e.x < -300 && fabs(e.z) < 60.0); break;
        case RND_VIEW_BACK: assert_true(e.z < -300); break;
        case RND_VIEW_TOP: assert_true(e.y > 300 && fabs(e.x) < 10 && fabs(e.z) < 30); break;
        case RND_VIEW_CROWN: assert_true(e.z < -100 && e.y > 200); break;
        case RND_VIEW_HAIRLINE:
            /* level with the client's eyes, in front, looking up at the hairline */
            assert_true(fabs(e.y - lm.canthus_left.y) < 1.0 && e.z > 300);
            assert_true(cam.pitch_rad < 0.0);
            break;
        default: break;
        }
        /* the top of the head is in the picture */
        double px, py;
        assert_true(rnd_camera_project(&cam, &head, 400, 300, lm.vertex, &px, &py));
        if (v != RND_VIEW_HAIRLINE)
            assert_true(px > 0 && px < 400 && py > 0 && py < 300);
        assert_true(cam.distance_mm >= cam.min_distance_mm && cam.distance_mm <= cam.max_distance_mm);
    }
    /* the pad: TOP looks straight down at the middle, the rest frame it */
    rnd_camera top = rnd_camera_preset(&pad, NULL, RND_VIEW_TOP);
    sim_vec3 e = rnd_camera_eye(&top, &pad);
    assert_true(fabs(e.x - 50.0) < 5.0 && fabs(e.y - 50.0) < 5.0 && e.z > 50.0);
    rnd_camera framed = rnd_camera_frame(&pad), front = rnd_camera_preset(&pad, NULL, RND_VIEW_FRONT);
    assert_memory_equal(&framed, &front, sizeof framed);
    rnd_view out = RND_VIEW_TOP;
    assert_false(rnd_view_parse("sideways", &out));
    assert_false(rnd_view_parse(NULL, &out));
    assert_int_equal(out, RND_VIEW_TOP);
    assert_string_equal(rnd_view_name((rnd_view)99), "?");
    sim_surface_deinit(&head);
    sim_surface_deinit(&pad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pad_frame_looks_down_at_the_centre),
        cmocka_unit_test(head_frame_sees_the_scalp_from_front_top),
        cmocka_unit_test(ray_inverts_projection),
        cmocka_unit_test(orbit_and_zoom_are_clamped),
        cmocka_unit_test(look_at_keeps_the_eye_and_centres_the_point),
        cmocka_unit_test(presets_look_from_where_their_names_say),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
