/* rnd.h: the renderer, the only module that calls OpenGL.
 *
 * OpenGL 3.3 core through libepoxy. The caller provides a current context:
 * the app's SDL window, or rnd_offscreen (EGL, surfaceless, rendering into a
 * framebuffer object) for headless pictures and tests on Mesa's software
 * renderer.
 *
 * What it draws: the skin surface (head mesh or practice pad) shaded as
 * skin, impressions as dots lying on the surface (fresh marks or healed
 * dots), lesson overlays (zones, target hairline) and the stylus tip.
 *
 * Ownership: rnd_renderer owns its GL objects (rnd_renderer_deinit, with the
 * same context current). Threads: the thread that owns the GL context only.
 */
#ifndef RND_H
#define RND_H

#include "les_lesson.h"
#include "sim_heal.h"
#include "sim_impression.h"
#include "sim_surface.h"

#define RND_RESULT_MAP(X)                                                     \
    X(OK, "ok")                                                               \
    X(ERR_ARG, "invalid argument")                                            \
    X(ERR_NOMEM, "out of memory")                                             \
    X(ERR_NO_DISPLAY, "no display and no offscreen OpenGL available")         \
    X(ERR_GL, "OpenGL error")                                                 \
    X(ERR_IO, "cannot write the image")

typedef enum rnd_result {
#define RND__ENUM(name, msg) RND_##name,
    RND_RESULT_MAP(RND__ENUM)
#undef RND__ENUM
    RND_RESULT_COUNT
} rnd_result;

const char *rnd_result_name(rnd_result r);

/* ---------------------------------------------------------------------------
 * Offscreen context (EGL surfaceless + FBO)
 * ------------------------------------------------------------------------- */
typedef struct rnd_offscreen rnd_offscreen;

/* Creates a 3.3 core context and a w x h framebuffer (colour + depth,
 * multisampled when available) and makes it current. */
rnd_result rnd_offscreen_create(rnd_offscreen **out, int width, int height,
                                sim_error *err);
/* Reads the frame as top-down RGBA8 (width * height * 4 bytes). */
rnd_result rnd_offscreen_read(rnd_offscreen *off, uint8_t *rgba);
void rnd_offscreen_destroy(rnd_offscreen *off);

/* Writes top-down RGBA8 pixels as a PNG. */
rnd_result rnd_write_png(const char *path, int width, int height,
                         const uint8_t *rgba, sim_error *err);

/* ---------------------------------------------------------------------------
 * Camera: orbit around a target
 * ------------------------------------------------------------------------- */
typedef struct rnd_camera {
    sim_vec3 target;         /* looked-at point, surface frame, mm */
    double yaw_rad;          /* around the surface's up axis */
    double pitch_rad;        /* above the horizon, clamped to +-89 deg */
    double distance_mm;      /* from target to eye */
    double fov_y_rad;        /* vertical field of view */
} rnd_camera;

/* A camera that frames the whole surface: the pad from above at a slant;
 * the head from the front-top. */
rnd_camera rnd_camera_frame(const sim_surface *surface);
/* Orbit by mouse deltas (radians), zoom by a factor (< 1 closer). */
void rnd_camera_orbit(rnd_camera *cam, double dyaw, double dpitch);
void rnd_camera_zoom(rnd_camera *cam, double factor);
/* The ray under a pixel (0,0 top-left) for a viewport of w x h: origin and
 * unit direction in the surface frame (for picking with the mouse). */
void rnd_camera_ray(const rnd_camera *cam, const sim_surface *surface,
                    int w, int h, double px, double py,
                    sim_vec3 *origin, sim_vec3 *dir);

/* ---------------------------------------------------------------------------
 * Dots
 * ------------------------------------------------------------------------- */
typedef struct rnd_dot {
    float pos[3];            /* on the surface, mm */
    float normal[3];         /* outward unit normal */
    float diameter_mm;
    float edge_mm;           /* soft edge width */
    float rgba[4];           /* linear colour and opacity */
} rnd_dot;

typedef enum rnd_dot_style {
    RND_DOTS_FRESH = 0,      /* just placed: dark red-black, raised */
    RND_DOTS_HEALED = 1,     /* as healed: size, softness, darkness, hue */
} rnd_dot_style;

/* Converts impressions (and their healed dots for RND_DOTS_HEALED; may be
 * NULL for fresh) into drawable dots: out[0..n). */
void rnd_dots_from_impressions(const sim_impression *imps,
                               const sim_healed_dot *healed, size_t n,
                               rnd_dot_style style, rnd_dot *out);

/* ---------------------------------------------------------------------------
 * Renderer
 * ------------------------------------------------------------------------- */
typedef struct rnd_renderer rnd_renderer;

typedef struct rnd_frame {
    int width, height;       /* viewport, pixels */
    rnd_camera camera;
    const les_lesson *lesson;   /* overlays (zones, hairline); may be NULL */
    bool show_overlays;
    bool show_tip;           /* draw the stylus tip marker */
    sim_vec3 tip_mm;         /* stylus tip position */
    bool tip_in_skin;
} rnd_frame;

/* Needs a current 3.3 core context. */
rnd_result rnd_renderer_create(rnd_renderer **out, sim_error *err);
void rnd_renderer_destroy(rnd_renderer *r);
/* Uploads the surface mesh (call again when the surface changes). */
rnd_result rnd_renderer_set_surface(rnd_renderer *r, const sim_surface *surface);
/* Replaces every dot. */
rnd_result rnd_renderer_set_dots(rnd_renderer *r, const rnd_dot *dots, size_t n);
/* Adds dots after the existing ones (the live session's new impressions). */
rnd_result rnd_renderer_add_dots(rnd_renderer *r, const rnd_dot *dots, size_t n);
/* Draws one frame into the current framebuffer. */
void rnd_renderer_draw(rnd_renderer *r, const rnd_frame *frame);

/* One call for headless pictures: renders surface + dots (+ lesson overlays
 * when lesson != NULL) offscreen at w x h from the framing camera and
 * writes a PNG. */
rnd_result rnd_render_png(const char *path, int width, int height,
                          const sim_surface *surface, const les_lesson *lesson,
                          const rnd_dot *dots, size_t n, sim_error *err);

#endif /* RND_H */
