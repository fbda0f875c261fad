/* rnd_camera.c: the orbit camera: framing a surface, orbit and zoom, the
 * view and projection matrices drawing uses, and the exact inverse for
 * picking (rnd_camera_ray) and its forward map (rnd_camera_project).
 *
 * Conventions: the eye sits at target + distance * (cos(pitch) * h +
 * sin(pitch) * up), with h = cos(yaw) * front + sin(yaw) * side, side =
 * up x front. Up is +Z on the pad and +Y on a head; front points toward the
 * trainee on the pad (-Y) and toward the face on a head (+Z). The view is
 * cglm's look-at (right = normalize(forward x up)), the projection cglm's
 * perspective; picking and projecting use the same basis in double.
 *
 * Threads: pure functions of their arguments; reentrant.
 */
#include "rnd_internal.h"

#include <cglm/cglm.h>
#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */
/* ------------------------------------------------------------------------ */

#define RND__PITCH_LIMIT_RAD (89.0 * SIM_PI / 180.0)
#define RND__FOV_DEFAULT_RAD (35.0 * SIM_PI / 180.0)
#define RND__PAD_PITCH_RAD (60.0 * SIM_PI / 180.0)
#define RND__HEAD_PITCH_RAD (45.0 * SIM_PI / 180.0)
#define RND__HEAD_YAW_RAD (28.0 * SIM_PI / 180.0)
/* The framing keeps the surface inside this share of the half-height (and
 * of the half-width of a 4:3 viewport). */
#define RND__FRAME_FILL 0.90
#define RND__FRAME_ASPECT 1.3333
/* Head framing: vertices below this head-frame height (under the chin) do
 * not need to fit: the scalp is the subject. */
#define RND__HEAD_FRAME_MIN_Y_MM (-60.0)
#define RND__FRAME_MAX_SAMPLES 2048
#define RND__ZOOM_OUT_MARGIN 1.8

/* ------------------------------------------------------------------------ */
/* Basis                                                                    */
/* ------------------------------------------------------------------------ */

typedef struct rnd__basis {
    sim_vec3 eye, forward, right, up;
    double tan_half_fov;
} rnd__basis;

void rnd__camera_axes(const sim_surface *surface, double up[3], double front[3])
{
    bool head = surface && surface->kind == SIM_SURFACE_HEAD;
    up[0] = 0.0;
    up[1] = head ? 1.0 : 0.0;
    up[2] = head ? 0.0 : 1.0;
    front[0] = 0.0;
    front[1] = head ? 0.0 : -1.0;
    front[2] = head ? 1.0 : 0.0;
}

static double rnd__fov(const rnd_camera *cam)
{
    double f = cam->fov_y_rad;
    return (f > 0.01 && f < 3.0) ? f : RND__FOV_DEFAULT_RAD;
}

static rnd__basis rnd__basis_of(const rnd_camera *cam, const sim_surface *surface)
{
    double up[3], front[3];
    rnd__camera_axes(surface, up, front);
    sim_vec3 U = sim_v3(up[0], up[1], up[2]);
    sim_vec3 F = sim_v3(front[0], front[1], front[2]);
    sim_vec3 S = sim_v3_cross(U, F);
    double pitch = cam->pitch_rad;
    if (pitch > RND__PITCH_LIMIT_RAD)
        pitch = RND__PITCH_LIMIT_RAD;
    if (pitch < -RND__PITCH_LIMIT_RAD)
        pitch = -RND__PITCH_LIMIT_RAD;
    sim_vec3 h = sim_v3_add(sim_v3_scale(F, cos(cam->yaw_rad)),
                            sim_v3_scale(S, sin(cam->yaw_rad)));
    sim_vec3 out = sim_v3_add(sim_v3_scale(h, cos(pitch)), sim_v3_scale(U, sin(pitch)));
    double d = cam->distance_mm > 1e-3 ? cam->distance_mm : 1e-3;
    rnd__basis b;
    b.eye = sim_v3_add(cam->target, sim_v3_scale(out, d));
    b.forward = sim_v3_scale(out, -1.0);
    b.right = sim_v3_normalize(sim_v3_cross(b.forward, U));
    b.up = sim_v3_cross(b.right, b.forward);
    b.tan_half_fov = tan(0.5 * rnd__fov(cam));
    return b;
}

static double rnd__aspect(int w, int h)
{
    return (w > 0 && h > 0) ? (double)w / (double)h : 1.0;
}

/* ------------------------------------------------------------------------ */
/* Matrices for drawing                                                     */
/* ------------------------------------------------------------------------ */

void rnd__camera_view(const rnd_camera *cam, const sim_surface *surface,
                      int w, int h, const float scene_center[3],
                      float scene_radius_mm, rnd__view *out)
{
    rnd__basis b = rnd__basis_of(cam, surface);
    vec3 eye = {(float)b.eye.x, (float)b.eye.y, (float)b.eye.z};
    vec3 center = {(float)(b.eye.x + b.forward.x), (float)(b.eye.y + b.forward.y),
                   (float)(b.eye.z + b.forward.z)};
    double up_axis[3], front[3];
    rnd__camera_axes(surface, up_axis, front);
    vec3 up = {(float)up_axis[0], (float)up_axis[1], (float)up_axis[2]};

    /* Depth range: enclose the scene sphere, never reach behind the eye. */
    sim_vec3 c = sim_v3(scene_center[0], scene_center[1], scene_center[2]);
    double dc = sim_v3_len(sim_v3_sub(c, b.eye));
    double r = scene_radius_mm > 0.0f ? 1.2 * scene_radius_mm : 100.0;
    double dist = cam->distance_mm > 1e-3 ? cam->distance_mm : 1e-3;
    double zfar = dc + r + dist;
    double znear = dc - r;
    if (znear < 0.02 * dist)
        znear = 0.02 * dist;
    if (znear < 0.01)
        znear = 0.01;

    mat4 view, proj, vp;
    glm_lookat(eye, center, up, view);
    glm_perspective((float)rnd__fov(cam), (float)rnd__aspect(w, h), (float)znear,
                    (float)zfar, proj);
    glm_mat4_mul(proj, view, vp);
    memcpy(out->view, view, sizeof out->view);
    memcpy(out->proj, proj, sizeof out->proj);
    memcpy(out->view_proj, vp, sizeof out->view_proj);
    out->eye[0] = eye[0];
    out->eye[1] = eye[1];
    out->eye[2] = eye[2];
    out->forward[0] = (float)b.forward.x;
    out->forward[1] = (float)b.forward.y;
    out->forward[2] = (float)b.forward.z;
    out->right[0] = (float)b.right.x;
    out->right[1] = (float)b.right.y;
    out->right[2] = (float)b.right.z;
    out->up[0] = (float)b.up.x;
    out->up[1] = (float)b.up.y;
    out->up[2] = (float)b.up.z;
    out->pixel_mm_per_mm = (float)(2.0 * b.tan_half_fov / (h > 0 ? h : 1));
}

/* ------------------------------------------------------------------------ */
/* Picking and projection                                                   */
/* ------------------------------------------------------------------------ */

void rnd_camera_ray(const rnd_camera *cam, const sim_surface *surface,
                    int w, int h, double px, double py,
                    sim_vec3 *origin, sim_vec3 *dir)
{
    if (!cam)
        return;
    rnd__basis b = rnd__basis_of(cam, surface);
    double aspect = rnd__aspect(w, h);
    double ndc_x = (w > 0) ? 2.0 * px / w - 1.0 : 0.0;
    double ndc_y = (h > 0) ? 1.0 - 2.0 * py / h : 0.0;
    sim_vec3 d = b.forward;
    d = sim_v3_add(d, sim_v3_scale(b.right, ndc_x * b.tan_half_fov * aspect));
    d = sim_v3_add(d, sim_v3_scale(b.up, ndc_y * b.tan_half_fov));
    if (origin)
        *origin = b.eye;
    if (dir)
        *dir = sim_v3_normalize(d);
}

bool rnd_camera_project(const rnd_camera *cam, const sim_surface *surface,
                        int w, int h, sim_vec3 p, double *px, double *py)
{
    if (!cam)
        return false;
    rnd__basis b = rnd__basis_of(cam, surface);
    sim_vec3 rel = sim_v3_sub(p, b.eye);
    double z = sim_v3_dot(rel, b.forward);
    if (z <= 1e-9)
        return false;
    double aspect = rnd__aspect(w, h);
    double ndc_x = sim_v3_dot(rel, b.right) / (z * b.tan_half_fov * aspect);
    double ndc_y = sim_v3_dot(rel, b.up) / (z * b.tan_half_fov);
    if (px)
        *px = 0.5 * (ndc_x + 1.0) * w;
    if (py)
        *py = 0.5 * (1.0 - ndc_y) * h;
    return true;
}

sim_vec3 rnd_camera_eye(const rnd_camera *cam, const sim_surface *surface)
{
    if (!cam)
        return sim_v3(0, 0, 0);
    return rnd__basis_of(cam, surface).eye;
}

/* ------------------------------------------------------------------------ */
/* Framing                                                                  */
/* ------------------------------------------------------------------------ */

/* Largest normalised extent (|ndc_y|, |ndc_x| for a 4:3 view) of the points
 * seen from `cam`; +inf when one is behind the eye. */
static double rnd__extent(const rnd_camera *cam, const sim_surface *surface,
                          const sim_vec3 *pts, size_t n)
{
    rnd__basis b = rnd__basis_of(cam, surface);
    double worst = 0.0;
    for (size_t i = 0; i < n; i++) {
        sim_vec3 rel = sim_v3_sub(pts[i], b.eye);
        double z = sim_v3_dot(rel, b.forward);
        if (z <= 1e-6)
            return INFINITY;
        double ex = fabs(sim_v3_dot(rel, b.right)) /
                    (z * b.tan_half_fov * RND__FRAME_ASPECT);
        double ey = fabs(sim_v3_dot(rel, b.up)) / (z * b.tan_half_fov);
        if (ex > worst)
            worst = ex;
        if (ey > worst)
            worst = ey;
    }
    return worst;
}

/* The smallest distance at which every point fits (bisection). */
static void rnd__fit_distance(rnd_camera *cam, const sim_surface *surface,
                              const sim_vec3 *pts, size_t n)
{
    double lo = 1.0, hi = 20000.0;
    for (int it = 0; it < 60; it++) {
        cam->distance_mm = 0.5 * (lo + hi);
        if (rnd__extent(cam, surface, pts, n) > RND__FRAME_FILL)
            lo = cam->distance_mm;
        else
            hi = cam->distance_mm;
    }
    cam->distance_mm = hi;
}

static rnd_camera rnd__frame_pad(const sim_surface *s)
{
    double W = s->width_mm > 0 ? s->width_mm : 100.0;
    double H = s->height_mm > 0 ? s->height_mm : 100.0;
    double T = s->thickness_mm > 0 ? s->thickness_mm : 6.0;
    rnd_camera cam = {0};
    cam.target = sim_v3(0.5 * W, 0.5 * H, 0.0); /* the skin's centre */
    cam.pitch_rad = RND__PAD_PITCH_RAD;
    cam.fov_y_rad = RND__FOV_DEFAULT_RAD;
    sim_vec3 box[8];
    for (int i = 0; i < 8; i++)
        box[i] = sim_v3((i & 1) ? W : 0.0, (i & 2) ? H : 0.0, (i & 4) ? -T : 0.0);
    rnd__fit_distance(&cam, s, box, 8);
    return cam;
}

static rnd_camera rnd__frame_head(const sim_surface *s)
{
    rnd_camera cam = {0};
    cam.pitch_rad = RND__HEAD_PITCH_RAD;
    cam.yaw_rad = RND__HEAD_YAW_RAD;
    cam.fov_y_rad = RND__FOV_DEFAULT_RAD;
    const sim_mesh *m = &s->mesh;
    /* Samples of the upper head; their bounding-box centre is the target. */
    sim_vec3 pts[RND__FRAME_MAX_SAMPLES];
    size_t n = 0;
    uint32_t step = m->vertex_count / RND__FRAME_MAX_SAMPLES + 1;
    sim_vec3 lo = sim_v3(INFINITY, INFINITY, INFINITY);
    sim_vec3 hi = sim_v3(-INFINITY, -INFINITY, -INFINITY);
    for (uint32_t i = 0; i < m->vertex_count && n < RND__FRAME_MAX_SAMPLES; i += step) {
        sim_vec3 p = m->positions[i];
        if (p.y < RND__HEAD_FRAME_MIN_Y_MM)
            continue;
        pts[n++] = p;
        lo = sim_v3(fmin(lo.x, p.x), fmin(lo.y, p.y), fmin(lo.z, p.z));
        hi = sim_v3(fmax(hi.x, p.x), fmax(hi.y, p.y), fmax(hi.z, p.z));
    }
    if (n == 0) {
        cam.distance_mm = 500.0;
        return cam;
    }
    cam.target = sim_v3_scale(sim_v3_add(lo, hi), 0.5);
    rnd__fit_distance(&cam, s, pts, n);
    return cam;
}

rnd_camera rnd_camera_frame(const sim_surface *surface)
{
    rnd_camera cam;
    if (surface && surface->kind == SIM_SURFACE_HEAD && surface->mesh.vertex_count)
        cam = rnd__frame_head(surface);
    else if (surface && surface->kind == SIM_SURFACE_PAD)
        cam = rnd__frame_pad(surface);
    else {
        sim_surface pad = {0};
        pad.kind = SIM_SURFACE_PAD;
        cam = rnd__frame_pad(&pad);
    }
    cam.min_distance_mm = RND_CAMERA_MIN_MM;
    cam.max_distance_mm = RND__ZOOM_OUT_MARGIN * cam.distance_mm;
    return cam;
}

/* ------------------------------------------------------------------------ */
/* Orbit and zoom                                                           */
/* ------------------------------------------------------------------------ */

void rnd_camera_look_at(rnd_camera *cam, const sim_surface *surface, sim_vec3 p)
{
    if (!cam || !isfinite(p.x) || !isfinite(p.y) || !isfinite(p.z))
        return;
    sim_vec3 eye = rnd__basis_of(cam, surface).eye;
    sim_vec3 out = sim_v3_sub(eye, p);
    double d = sim_v3_len(out);
    if (d < 1e-6)
        return; /* the eye is on the point: no direction to keep */
    double up[3], front[3];
    rnd__camera_axes(surface, up, front);
    sim_vec3 U = sim_v3(up[0], up[1], up[2]);
    sim_vec3 F = sim_v3(front[0], front[1], front[2]);
    sim_vec3 S = sim_v3_cross(U, F);
    double su = sim_v3_dot(out, U) / d;
    su = su > 1.0 ? 1.0 : su < -1.0 ? -1.0 : su;
    cam->target = p;
    cam->distance_mm = d;
    cam->pitch_rad = asin(su);
    cam->yaw_rad = atan2(sim_v3_dot(out, S), sim_v3_dot(out, F));
    if (cam->pitch_rad > RND__PITCH_LIMIT_RAD)
        cam->pitch_rad = RND__PITCH_LIMIT_RAD;
    if (cam->pitch_rad < -RND__PITCH_LIMIT_RAD)
        cam->pitch_rad = -RND__PITCH_LIMIT_RAD;
}

void rnd_camera_orbit(rnd_camera *cam, double dyaw, double dpitch)
{
    if (!cam || !isfinite(dyaw) || !isfinite(dpitch))
        return;
    cam->yaw_rad = remainder(cam->yaw_rad + dyaw, 2.0 * SIM_PI);
    cam->pitch_rad += dpitch;
    if (cam->pitch_rad > RND__PITCH_LIMIT_RAD)
        cam->pitch_rad = RND__PITCH_LIMIT_RAD;
    if (cam->pitch_rad < -RND__PITCH_LIMIT_RAD)
        cam->pitch_rad = -RND__PITCH_LIMIT_RAD;
}

void rnd_camera_zoom(rnd_camera *cam, double factor)
{
    if (!cam || !(factor > 0.0) || !isfinite(factor))
        return;
    double lo = cam->min_distance_mm > 0.0 ? cam->min_distance_mm : RND_CAMERA_MIN_MM;
    double hi = cam->max_distance_mm > 0.0 ? cam->max_distance_mm : RND_CAMERA_MAX_MM;
    if (hi < lo)
        hi = lo;
    double d = cam->distance_mm * factor;
    cam->distance_mm = d < lo ? lo : d > hi ? hi : d;
}

/* ------------------------------------------------------------------------ */
/* Presets                                                                  */
/* ------------------------------------------------------------------------ */

static const char *const rnd__view_names[RND_VIEW_COUNT] = {
    [RND_VIEW_FRAMED] = "framed", [RND_VIEW_FRONT] = "front",
    [RND_VIEW_LEFT] = "left",     [RND_VIEW_RIGHT] = "right",
    [RND_VIEW_TOP] = "top",       [RND_VIEW_CROWN] = "crown",
    [RND_VIEW_BACK] = "back",     [RND_VIEW_HAIRLINE] = "hairline",
    [RND_VIEW_PAD] = "pad",
};

const char *rnd_view_name(rnd_view v)
{
    return ((int)v >= 0 && v < RND_VIEW_COUNT) ? rnd__view_names[v] : "?";
}

bool rnd_view_parse(const char *name, rnd_view *out)
{
    if (!name || !out)
        return false;
    for (int i = 0; i < RND_VIEW_COUNT; i++)
        if (strcmp(name, rnd__view_names[i]) == 0) {
            *out = (rnd_view)i;
            return true;
        }
    return false;
}

/* Upper-head samples (above RND__HEAD_FRAME_MIN_Y_MM) for fitting. */
static size_t rnd__head_samples(const sim_surface *s, sim_vec3 *pts, double min_y)
{
    const sim_mesh *m = &s->mesh;
    size_t n = 0;
    uint32_t step = m->vertex_count / RND__FRAME_MAX_SAMPLES + 1;
    for (uint32_t i = 0; i < m->vertex_count && n < RND__FRAME_MAX_SAMPLES; i += step)
        if (m->positions[i].y >= min_y)
            pts[n++] = m->positions[i];
    return n;
}

/* The hairline's middle on the skin: the lesson's hairline point nearest
 * the chart's v axis, else chart (0, 95). */
static sim_vec3 rnd__hairline_point(const sim_surface *s, const les_lesson *lesson)
{
    sim_vec2 uv = sim_v2(0.0, 95.0);
    if (lesson && lesson->hairline && lesson->hairline_count > 0) {
        double best = INFINITY;
        for (size_t i = 0; i < lesson->hairline_count; i++)
            if (fabs(lesson->hairline[i].x) < best) {
                best = fabs(lesson->hairline[i].x);
                uv = lesson->hairline[i];
            }
    }
    sim_surface_hit hit;
    if (sim_surface_from_chart(s, uv, &hit))
        return hit.point_mm;
    return sim_v3(0.0, 95.0, 70.0);
}

static rnd_camera rnd__preset_head(const sim_surface *s, const les_lesson *lesson, rnd_view v)
{
    rnd_camera cam = rnd__frame_head(s);
    if (v == RND_VIEW_FRAMED || v == RND_VIEW_PAD)
        return cam;
    sim_vec3 pts[RND__FRAME_MAX_SAMPLES];
    size_t n = rnd__head_samples(s, pts, RND__HEAD_FRAME_MIN_Y_MM);
    switch (v) {
    case RND_VIEW_FRONT: cam.yaw_rad = 0.0; cam.pitch_rad = sim_rad(10.0); break;
    case RND_VIEW_LEFT: cam.yaw_rad = sim_rad(90.0); cam.pitch_rad = sim_rad(10.0); break;
    case RND_VIEW_RIGHT: cam.yaw_rad = sim_rad(-90.0); cam.pitch_rad = sim_rad(10.0); break;
    case RND_VIEW_TOP: cam.yaw_rad = 0.0; cam.pitch_rad = sim_rad(89.0); break;
    case RND_VIEW_BACK: cam.yaw_rad = sim_rad(180.0); cam.pitch_rad = sim_rad(10.0); break;
    case RND_VIEW_CROWN:
        /* the crown from behind and above: only the scalp needs to fit */
        cam.yaw_rad = sim_rad(180.0);
        cam.pitch_rad = sim_rad(55.0);
        n = rnd__head_samples(s, pts, 40.0);
        break;
    case RND_VIEW_HAIRLINE: {
        /* someone facing the client: eyes level with the client's, about
         * 45 cm away, looking at the middle of the hairline */
        sim_head_landmarks lm;
        sim_head_landmarks_get(&lm);
        sim_vec3 h = rnd__hairline_point(s, lesson);
        double dz = 450.0, dy = h.y - lm.canthus_left.y;
        cam.target = h;
        cam.yaw_rad = 0.0;
        cam.pitch_rad = -atan2(dy, dz);
        cam.distance_mm = sqrt(dz * dz + dy * dy);
        cam.fov_y_rad = sim_rad(18.0); /* a longer lens: no close-up distortion */
        return cam;
    }
    default: break;
    }
    if (n > 0) {
        sim_vec3 lo = sim_v3(INFINITY, INFINITY, INFINITY), hi = sim_v3(-INFINITY, -INFINITY, -INFINITY);
        for (size_t i = 0; i < n; i++) {
            lo = sim_v3(fmin(lo.x, pts[i].x), fmin(lo.y, pts[i].y), fmin(lo.z, pts[i].z));
            hi = sim_v3(fmax(hi.x, pts[i].x), fmax(hi.y, pts[i].y), fmax(hi.z, pts[i].z));
        }
        cam.target = sim_v3_scale(sim_v3_add(lo, hi), 0.5);
        rnd__fit_distance(&cam, s, pts, n);
    }
    return cam;
}

rnd_camera rnd_camera_preset(const sim_surface *surface, const les_lesson *lesson, rnd_view view)
{
    rnd_camera cam = rnd_camera_frame(surface);
    if (!surface || (int)view < 0 || view >= RND_VIEW_COUNT)
        return cam;
    double max_mm = cam.max_distance_mm;
    if (surface->kind == SIM_SURFACE_HEAD && surface->mesh.vertex_count) {
        cam = rnd__preset_head(surface, lesson, view);
    } else if (view == RND_VIEW_TOP) {
        cam.pitch_rad = sim_rad(89.0);
        cam.yaw_rad = 0.0;
        double W = surface->width_mm > 0 ? surface->width_mm : 100.0;
        double H = surface->height_mm > 0 ? surface->height_mm : 100.0;
        sim_vec3 box[4] = {sim_v3(0, 0, 0), sim_v3(W, 0, 0), sim_v3(0, H, 0), sim_v3(W, H, 0)};
        rnd__fit_distance(&cam, surface, box, 4);
    }
    cam.min_distance_mm = RND_CAMERA_MIN_MM;
    cam.max_distance_mm = max_mm > cam.distance_mm * 1.2 ? max_mm : RND__ZOOM_OUT_MARGIN * cam.distance_mm;
    return cam;
}
