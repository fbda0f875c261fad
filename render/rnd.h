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

/* "RND_ERR_GL" etc.; never NULL. */
const char *rnd_result_name(rnd_result r);
/* "OpenGL error" etc.; never NULL. */
const char *rnd_result_message(rnd_result r);

/* ---------------------------------------------------------------------------
 * Offscreen context (EGL surfaceless + FBO)
 * ------------------------------------------------------------------------- */
typedef struct rnd_offscreen rnd_offscreen;

/* Creates a 3.3 core context and a w x h framebuffer (colour + depth,
 * multisampled when available) and makes it current. Needs no X display and
 * no GPU (Mesa's llvmpipe will do). Fails with RND_ERR_NO_DISPLAY (and a
 * sentence in err) when EGL or a 3.3 core context cannot be had. Width and
 * height: 1..16384. */
rnd_result rnd_offscreen_create(rnd_offscreen **out, int width, int height,
                                sim_error *err);
/* The same with every knob (zero fields mean the default). */
typedef struct rnd_offscreen_desc {
    int width, height;       /* pixels, 1..16384 */
    int samples;             /* per pixel: 0 = 4 where the driver offers them,
                                1 = no multisampling; clamped to the driver's
                                maximum */
} rnd_offscreen_desc;

rnd_result rnd_offscreen_create_desc(rnd_offscreen **out,
                                     const rnd_offscreen_desc *desc,
                                     sim_error *err);
/* Makes the offscreen context current on the calling thread and binds its
 * framebuffer for drawing (needed only when several exist). */
rnd_result rnd_offscreen_make_current(rnd_offscreen *off);
/* Samples per pixel of its framebuffer (1 when not multisampled). */
int rnd_offscreen_samples(const rnd_offscreen *off);
/* The GL renderer's name (GL_RENDERER, e.g. "llvmpipe (LLVM 15.0.6, 256
 * bits)"), for logs and benchmarks; owned by the offscreen context. */
const char *rnd_offscreen_device(const rnd_offscreen *off);
/* Waits until every GL command issued so far has finished (for timing). */
void rnd_offscreen_finish(rnd_offscreen *off);
/* Reads the frame as top-down RGBA8 (width * height * 4 bytes). Resolves
 * the multisampled framebuffer first; drawing may continue afterwards. */
rnd_result rnd_offscreen_read(rnd_offscreen *off, uint8_t *rgba);
/* NULL-safe. Releases the context (current on this thread or not). */
void rnd_offscreen_destroy(rnd_offscreen *off);

/* The current context's GL_RENDERER ("" when none); true when it is a
 * software rasteriser (llvmpipe, softpipe): multisampling costs it a third
 * of a frame, so the app turns it off there. */
const char *rnd_gl_renderer(void);
bool rnd_gl_is_software(void);

/* Writes top-down RGBA8 pixels as a PNG. */
rnd_result rnd_write_png(const char *path, int width, int height,
                         const uint8_t *rgba, sim_error *err);
/* Reads a PNG as top-down RGBA8 (for golden-image tests and reports).
 * *rgba is allocated; free it with rnd_image_free. */
rnd_result rnd_read_png(const char *path, int *width, int *height,
                        uint8_t **rgba, sim_error *err);
void rnd_image_free(uint8_t *rgba);

/* ---------------------------------------------------------------------------
 * Camera: orbit around a target
 * ------------------------------------------------------------------------- */
typedef struct rnd_camera {
    sim_vec3 target;         /* looked-at point, surface frame, mm */
    double yaw_rad;          /* around the surface's up axis */
    double pitch_rad;        /* above the horizon, clamped to +-89 deg */
    double distance_mm;      /* from target to eye */
    double fov_y_rad;        /* vertical field of view */
    double min_distance_mm;  /* zoom clamp (a loupe); 0 = RND_CAMERA_MIN_MM */
    double max_distance_mm;  /* zoom clamp; 0 = RND_CAMERA_MAX_MM */
} rnd_camera;

#define RND_CAMERA_MIN_MM 5.0
#define RND_CAMERA_MAX_MM 2000.0

/* A camera that frames the whole surface: the pad from above at a slant;
 * the head from the front-top. */
rnd_camera rnd_camera_frame(const sim_surface *surface);
/* Orbit by mouse deltas (radians), zoom by a factor (< 1 closer), clamped
 * to [min_distance_mm, max_distance_mm]. */
void rnd_camera_orbit(rnd_camera *cam, double dyaw, double dpitch);
void rnd_camera_zoom(rnd_camera *cam, double factor);
/* Re-aims the camera at p (e.g. the skin point under the mouse) without
 * moving the eye: target, distance, yaw and pitch change. Zooming toward
 * the skin is look_at(picked point) then zoom; zooming on the head's
 * framing target alone would fly into the head. */
void rnd_camera_look_at(rnd_camera *cam, const sim_surface *surface, sim_vec3 p);
/* The ray under a pixel (0,0 top-left) for a viewport of w x h: origin and
 * unit direction in the surface frame (for picking with the mouse). Pixel
 * coordinates are continuous: the centre of pixel (i, j) is (i+0.5, j+0.5).
 * Exactly the inverse of the projection rnd_renderer_draw uses. */
void rnd_camera_ray(const rnd_camera *cam, const sim_surface *surface,
                    int w, int h, double px, double py,
                    sim_vec3 *origin, sim_vec3 *dir);
/* Where a surface-frame point lands in a w x h viewport (continuous pixel
 * coordinates, 0,0 top-left, as rnd_camera_ray takes). False when the point
 * is behind the eye. */
bool rnd_camera_project(const rnd_camera *cam, const sim_surface *surface,
                        int w, int h, sim_vec3 p, double *px, double *py);
/* The eye position, surface frame, mm. */
sim_vec3 rnd_camera_eye(const rnd_camera *cam, const sim_surface *surface);

/* Camera presets (the app's view menu and `stipple render --view`). On a
 * head: FRAMED (as the simulator opens), FRONT, LEFT and RIGHT (the
 * subject's), TOP, CROWN (from behind and above), BACK, HAIRLINE (the
 * frontal hairline from the eye level of someone facing the client). On a
 * pad every preset but TOP frames the pad at its usual slant; TOP looks
 * straight down. PAD is FRAMED. */
typedef enum rnd_view {
    RND_VIEW_FRAMED = 0,
    RND_VIEW_FRONT,
    RND_VIEW_LEFT,
    RND_VIEW_RIGHT,
    RND_VIEW_TOP,
    RND_VIEW_CROWN,
    RND_VIEW_BACK,
    RND_VIEW_HAIRLINE,
    RND_VIEW_PAD,
    RND_VIEW_COUNT
} rnd_view;

/* "front", "left", ...; never NULL ("?" for a bad value). */
const char *rnd_view_name(rnd_view v);
/* Parses a name (as rnd_view_name writes it); false when unknown. */
bool rnd_view_parse(const char *name, rnd_view *out);
/* The preset camera. `lesson` (may be NULL) places the HAIRLINE view on
 * the lesson's hairline. */
rnd_camera rnd_camera_preset(const sim_surface *surface, const les_lesson *lesson,
                             rnd_view view);

/* ---------------------------------------------------------------------------
 * Dots
 * ------------------------------------------------------------------------- */
typedef struct rnd_dot {
    float pos[3];            /* on the surface, mm */
    float normal[3];         /* outward unit normal */
    float diameter_mm;
    float edge_mm;           /* soft edge width */
    float rgba[4];           /* linear colour and opacity */
    float length_mm;         /* along `direction`; <= diameter_mm: round */
    float direction[3];      /* unit tangent of the long axis (drag, tilt) */
} rnd_dot;

typedef enum rnd_dot_style {
    RND_DOTS_FRESH = 0,      /* just placed: dark red-black */
    RND_DOTS_HEALED = 1,     /* as healed: size, softness, darkness, hue,
                                length (pass sim_age_all's dots for years on) */
} rnd_dot_style;

/* Converts impressions (and their healed dots for RND_DOTS_HEALED; may be
 * NULL for fresh) into drawable dots: out[0..n). Fresh: dark red-black,
 * a little larger than the needle group, nearly opaque. Healed: size, edge
 * and darkness from the healed dot (less the share native hair hides);
 * neutral grey-black (hue_shift 0) to blue-grey (hue_shift 1); faded dots
 * faint; dragged or tilted dots drawn out along their length. The healed
 * style with healed == NULL falls back to fresh. */
void rnd_dots_from_impressions(const sim_impression *imps,
                               const sim_healed_dot *healed, size_t n,
                               rnd_dot_style style, rnd_dot *out);

/* ---------------------------------------------------------------------------
 * Renderer
 * ------------------------------------------------------------------------- */
typedef struct rnd_renderer rnd_renderer;

typedef struct rnd_frame {
    int width, height;       /* viewport, pixels */
    int x, y;                /* the viewport's lower-left corner in the
                                framebuffer (a side panel beside the scene);
                                the rest is cleared */
    rnd_camera camera;
    const les_lesson *lesson;   /* overlays (zones, hairline); may be NULL */
    bool show_overlays;
    bool show_tip;           /* draw the stylus tip marker */
    sim_vec3 tip_mm;         /* stylus tip position */
    bool tip_in_skin;
    bool show_needle;        /* the needle, cartridge and machine above the
                                tip, along needle_axis, with a soft shadow */
    sim_vec3 needle_axis;    /* unit, from the tip toward the grip */
} rnd_frame;

/* The default skin tone: a light-medium skin, linear RGB albedo. */
#define RND_SKIN_DEFAULT_R 0.50f
#define RND_SKIN_DEFAULT_G 0.315f
#define RND_SKIN_DEFAULT_B 0.235f

/* Needs a current 3.3 core context (desktop GL). RND_ERR_GL with the
 * compiler's log when a shader does not build. */
rnd_result rnd_renderer_create(rnd_renderer **out, sim_error *err);
/* NULL-safe; needs the same context current. */
void rnd_renderer_destroy(rnd_renderer *r);
/* Uploads the surface mesh (call again when the surface changes). The
 * surface is borrowed for lesson overlays on a head (sim_surface_from_chart)
 * and must outlive the renderer or be replaced first. */
rnd_result rnd_renderer_set_surface(rnd_renderer *r, const sim_surface *surface);
/* Skin albedo, linear RGB in [0, 1] (default RND_SKIN_DEFAULT_*). */
void rnd_renderer_set_skin_tone(rnd_renderer *r, float red, float green,
                                float blue);
/* Replaces every dot. */
rnd_result rnd_renderer_set_dots(rnd_renderer *r, const rnd_dot *dots, size_t n);
/* Adds dots after the existing ones (the live session's new impressions).
 * Only the new dots are baked, on the next draw. Buffers grow
 * geometrically; nothing else allocates per call. */
rnd_result rnd_renderer_add_dots(rnd_renderer *r, const rnd_dot *dots, size_t n);
size_t rnd_renderer_dot_count(const rnd_renderer *r);

/* How placed dots reach the screen.
 *  BAKED (the default): each dot is drawn once into the ink layer, textures
 *    in the chart's space (the whole surface with mipmaps, plus detail
 *    levels around the view's centre baked when the view moves there), and
 *    the skin shader composites the ink under the skin's sheen. A frame
 *    costs the same with 100 or 100,000 dots.
 *  INSTANCED: every dot is drawn every frame as an instanced quad (the
 *    naive path; kept for comparison in `stipple bench render`). */
typedef enum rnd_dot_path {
    RND_DOT_PATH_BAKED = 0,
    RND_DOT_PATH_INSTANCED = 1,
} rnd_dot_path;

void rnd_renderer_set_dot_path(rnd_renderer *r, rnd_dot_path path);
rnd_dot_path rnd_renderer_dot_path(const rnd_renderer *r);

/* What the renderer did so far (tests, benchmarks, the settings screen). */
typedef struct rnd_renderer_stats {
    size_t dots;             /* dots held */
    size_t dots_baked;       /* of which already in the ink layer */
    int detail_levels;       /* ink detail levels the last frame used */
    uint64_t whole_bakes;    /* whole-layer bakes (set_dots, new surface) */
    uint64_t level_bakes;    /* detail-level bakes (the view moved or zoomed) */
    uint64_t add_bakes;      /* incremental bakes of added dots */
    uint32_t clusters_drawn; /* surface clusters in view the last frame */
} rnd_renderer_stats;

void rnd_renderer_get_stats(const rnd_renderer *r, rnd_renderer_stats *out);
/* Draws one frame into the current framebuffer (background, skin, dots,
 * overlays, tip). Colours are written display-encoded (sRGB) by the
 * shaders: leave GL_FRAMEBUFFER_SRGB disabled. Leaves depth test, blending,
 * culling and polygon offset disabled. Allocates only when the lesson's
 * overlay geometry changed. */
void rnd_renderer_draw(rnd_renderer *r, const rnd_frame *frame);

/* Draws only the background (before a lesson is open). */
void rnd_renderer_draw_empty(rnd_renderer *r, int width, int height);
/* Reads the window's back buffer (after drawing, before the swap) as
 * top-down RGBA8, width * height * 4 bytes: screenshots. */
rnd_result rnd_read_screen(int width, int height, uint8_t *rgba);

/* One call for headless pictures: renders surface + dots (+ lesson overlays
 * when lesson != NULL) offscreen at w x h from the framing camera and
 * writes a PNG. */
rnd_result rnd_render_png(const char *path, int width, int height,
                          const sim_surface *surface, const les_lesson *lesson,
                          const rnd_dot *dots, size_t n, sim_error *err);

/* The same with every knob (zero fields mean the default). */
typedef struct rnd_picture_desc {
    const char *path;            /* PNG to write */
    int width, height;           /* pixels; 0 = 1280 x 800 */
    const sim_surface *surface;  /* required */
    const les_lesson *lesson;    /* overlays when non-NULL */
    const rnd_dot *dots;
    size_t dot_count;
    const rnd_camera *camera;    /* NULL = rnd_camera_frame(surface) */
    const float *skin_rgb;       /* 3 floats; NULL = the default tone */
    bool show_tip;
    sim_vec3 tip_mm;
    bool tip_in_skin;
    const struct rnd_heatmap *heatmap;  /* drawn over the skin when non-NULL */
    int samples;                 /* per pixel; 0 = 4 (pictures are not timed) */
} rnd_picture_desc;

rnd_result rnd_render_picture(const rnd_picture_desc *desc, sim_error *err);

/* ---------------------------------------------------------------------------
 * Heatmaps: where an attempt went wrong, coloured over the skin
 * ------------------------------------------------------------------------- */
typedef enum rnd_heat_kind {
    RND_HEAT_DENSITY = 1,    /* dots per cm^2 against the zone's target */
    RND_HEAT_DEPTH = 2,      /* share of dots too shallow / in band / too deep */
} rnd_heat_kind;

/* A heatmap is an image over the chart square the renderer bakes the skin
 * in (rnd_chart_domain), colours display-encoded, alpha its opacity.
 * Density (within RND_HEAT_RADIUS_MM on the skin, in each lesson zone):
 * blue where sparser than the target (half or less: full blue), green on
 * target, red where denser (twice or more: full red); dots outside every
 * zone are magenta. Depth: each place's share of dots in the band (green),
 * too shallow (amber: will fade) and too deep (violet: blurs, turns
 * blue-grey). Computed here from the impressions; the grader's own places
 * will replace it when it reports them. Owns `rgba` (rnd_heatmap_free). */
typedef struct rnd_heatmap {
    rnd_heat_kind kind;
    int size;                /* texels per side */
    uint8_t *rgba;           /* size * size * 4, row 0 at the chart's low v */
} rnd_heatmap;

#define RND_HEAT_RADIUS_MM 5.0
#define RND_HEAT_SIZE 256

/* The chart square (origin, side, mm) the skin layer and heatmaps cover:
 * the pad, or RND__LAYER_HEAD_HALF_MM around the head chart's centre. */
void rnd_chart_domain(const sim_surface *surface, double origin_mm[2], double *size_mm);

/* Builds a heatmap of `kind` for the impressions on the lesson's zones.
 * RND_ERR_ARG (no surface or lesson), RND_ERR_NOMEM. */
rnd_result rnd_heatmap_build(const sim_surface *surface, const les_lesson *lesson,
                             const sim_impression *imps, size_t n, rnd_heat_kind kind,
                             rnd_heatmap *out);
void rnd_heatmap_free(rnd_heatmap *hm);
/* The same from the grader's own maps (les_grade.h: density against the
 * target and mean depth error per chart cell, interpolated between cell
 * centres), so the picture says what the grade counted. RND_ERR_ARG when
 * the grade has no map (then build one from the impressions), NOMEM. */
struct les_heatmap;
rnd_result rnd_heatmap_from_grade(const sim_surface *surface, const struct les_heatmap *map,
                                  rnd_heat_kind kind, rnd_heatmap *out);
/* The heatmap's colour for a density ratio (measured / target) and for a
 * depth mix, as drawn (display RGB 0..1), for legends. */
void rnd_heat_density_color(double ratio, float rgb[3]);
void rnd_heat_depth_color(double shallow, double in_band, double deep, float rgb[3]);

/* Shows a heatmap over the skin at `opacity` (0..1), or none (NULL). The
 * image is copied to the GPU. */
rnd_result rnd_renderer_set_heatmap(rnd_renderer *r, const rnd_heatmap *hm, float opacity);

#endif /* RND_H */
