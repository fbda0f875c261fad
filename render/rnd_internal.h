/* rnd_internal.h: what the render module's files share and nobody else sees:
 * the camera matrices, shader programs, overlay geometry and the renderer
 * struct. Names carry the rnd__ prefix (cross-file internals).
 *
 * Threads: the GL thread only (the camera and geometry helpers are pure and
 * reentrant). Ownership: documented per function.
 */
#ifndef RND_INTERNAL_H
#define RND_INTERNAL_H

#include <epoxy/gl.h>

#include "rnd.h"

/* ---------------------------------------------------------------------------
 * Camera (rnd_camera.c)
 * ------------------------------------------------------------------------- */

/* Everything drawing and picking need from one camera, in float. */
typedef struct rnd__view {
    float view[16];          /* world -> eye, column-major */
    float proj[16];          /* eye -> clip, column-major */
    float view_proj[16];     /* proj * view */
    float eye[3];            /* world */
    float forward[3];        /* unit, world: the view direction */
    float right[3], up[3];   /* unit, world: screen axes */
    float pixel_mm_per_mm;   /* size of one pixel, mm, at 1 mm view depth */
} rnd__view;

/* The surface's up axis (+Z for the pad, +Y for a head) and the horizontal
 * direction from the target to the eye at yaw 0 (toward the trainee on the
 * pad, toward the face on a head). */
void rnd__camera_axes(const sim_surface *surface, double up[3], double front[3]);
/* Builds the matrices for a w x h viewport. near/far planes come from
 * scene_radius_mm around scene_center (so depth precision follows the zoom);
 * picking does not depend on them. */
void rnd__camera_view(const rnd_camera *cam, const sim_surface *surface,
                      int w, int h, const float scene_center[3],
                      float scene_radius_mm, rnd__view *out);

/* ---------------------------------------------------------------------------
 * Shaders (rnd_shaders.c)
 * ------------------------------------------------------------------------- */
typedef enum rnd__prog_id {
    RND__PROG_BACKGROUND = 0,
    RND__PROG_SKIN,          /* + a variant (RND__SKIN_*): 16 programs */
    RND__PROG_SKIN_LAST = RND__PROG_SKIN + 15,
    RND__PROG_DOTS,
    RND__PROG_LINES,
    RND__PROG_TIP,
    RND__PROG_BAKE,          /* dots into the skin layer (chart space) */
    RND__PROG_FILL,          /* the bare skin into the skin layer */
    RND__PROG_COUNT
} rnd__prog_id;

/* Uniforms any program may have (location -1 when a program lacks one). */
typedef enum rnd__uniform_id {
    RND__U_VIEW_PROJ = 0,
    RND__U_MODEL,
    RND__U_EYE,
    RND__U_FORWARD,
    RND__U_PIXEL_MM,
    RND__U_KEY_DIR,
    RND__U_KEY_POS,
    RND__U_FILL_DIR,
    RND__U_RIM_DIR,
    RND__U_UP,
    RND__U_SKIN,
    RND__U_KIND,
    RND__U_COLOR,
    RND__U_WIDTH_PX,
    RND__U_LIFT_MM,
    RND__U_VIEWPORT,
    RND__U_REGION,           /* bake: chart rectangle drawn (origin, 1/extent) */
    RND__U_TEXEL_MM,         /* bake: chart mm per texel */
    RND__U_DETAIL,           /* fill: fine detail texture unit */
    RND__U_BLOT,             /* fill: coarse detail texture unit */
    RND__U_LAYER,            /* skin: whole-surface layer unit */
    RND__U_LAYER_DETAIL,     /* skin: detail levels (array) unit */
    RND__U_LAYER_DOMAIN,     /* skin: the layer's chart origin, 1/size */
    RND__U_LAYER_TEXEL,      /* skin: chart mm per texel of the whole layer */
    RND__U_LVL_COUNT,        /* skin: detail levels in use */
    RND__U_LVL,              /* skin: vec4[RND__LAYER_LEVELS] level rectangles */
    RND__U_HEAT,             /* skin: heatmap texture unit */
    RND__U_HEAT_ALPHA,       /* skin: heatmap opacity (0: off) */
    RND__U_DOMAIN,           /* fill: the whole layer's chart origin, size */
    RND__U_DOMAIN_INV,       /* fill: 1 / its size */
    RND__U_NORMAL_MASK,      /* tip: which model axes the normal takes */
    RND__U_COUNT
} rnd__uniform_id;

/* Skin program variants: llvmpipe runs both sides of a branch even when
 * its condition is uniform, so features that are off cost nothing only
 * when compiled out. */
enum {
    RND__SKIN_HEAD = 1,      /* the head's chart (else the pad's, with sides) */
    RND__SKIN_LEVELS = 2,    /* detail ink levels near the camera */
    RND__SKIN_HEAT = 4,      /* a heatmap over the skin */
    RND__SKIN_BUMP = 8,      /* relief by bump mapping (close views only: from
                                afar the relief is averaged flat anyway) */
};

/* The background's grid of vertex-coloured quads. */
#define RND__BG_COLS 24
#define RND__BG_ROWS 16
/* Relief is drawn when a pixel at the view's centre is finer than this. */
#define RND__BUMP_MAX_PIXEL_MM 0.2

typedef struct rnd__programs {
    GLuint prog[RND__PROG_COUNT];
    GLint loc[RND__PROG_COUNT][RND__U_COUNT];
} rnd__programs;

/* Compiles and links every program. On failure deletes what it made, puts
 * the compiler's log into err and returns RND_ERR_GL. */
rnd_result rnd__programs_build(rnd__programs *p, sim_error *err);
void rnd__programs_delete(rnd__programs *p);

/* ---------------------------------------------------------------------------
 * Skin detail textures (rnd_noise.c), pure CPU, made once per process
 * ------------------------------------------------------------------------- */
#define RND__NOISE_FINE_SIZE 1024          /* texels per side */
#define RND__NOISE_FINE_PERIOD_MM 25.6     /* the fine tile repeats every ... */
#define RND__NOISE_COARSE_SIZE 256
#define RND__NOISE_COARSE_PERIOD_MM 160.0
#define RND__NOISE_ALBEDO_GAIN 2.0         /* stored 0.5 + gain * deviation */
#define RND__NOISE_HEIGHT_GAIN 16.0        /* stored 0.5 + gain * height_mm */

/* RGBA8, RND__NOISE_*_SIZE^2 texels, tileable; static, read-only. */
const uint8_t *rnd__noise_fine(void);
const uint8_t *rnd__noise_coarse(void);

/* ---------------------------------------------------------------------------
 * Skin layer (rnd_layer.c): the skin and the placed dots baked in chart space
 * ------------------------------------------------------------------------- */

/* The whole surface's layer: RND__LAYER_SIZE^2 texels with mipmaps over a
 * square of the chart (pad: the pad; head: RND__LAYER_HEAD_HALF_MM around
 * the chart's centre). Near the camera, up to RND__LAYER_LEVELS detail
 * levels of RND__LAYER_DETAIL_SIZE^2 texels, level m with texels 2^-m the
 * size of the whole layer's, centred on the chart point under the view's
 * centre (a clipmap). Texels (sRGB) hold the skin's albedo with the ink
 * composited in; alpha holds the relief height (0.5 + gain * mm). */
#define RND__LAYER_SIZE 4096
#define RND__LAYER_DETAIL_SIZE 1024
#define RND__LAYER_LEVELS 6
#define RND__LAYER_HEAD_HALF_MM 200.0
#define RND__LAYER_GRID_CELL_MM 2.0
/* Sampled a little sharper than the pixel's footprint (a mip level finer
 * by this many): dots a few pixels wide keep their contrast; the cost is
 * a little shimmer on moving views. */
#define RND__LAYER_LOD_BIAS (-0.75)

/* One dot as the bake program draws it (vertex attributes 1-5). */
typedef struct rnd__layer_dot {
    float pos[3];            /* surface frame, mm (seeds its irregularity) */
    float chart[2];          /* centre, chart mm */
    float jac[4];            /* tangent-plane mm -> chart mm, column-major 2x2,
                                in the frame the dot shader builds from the
                                normal */
    float size[2];           /* diameter, soft edge, mm */
    float rgba[4];           /* linear ink albedo, opacity */
    float elong[3];          /* long axis in the tangent frame (x, y), and
                                length / diameter (>= 1; 1: round) */
} rnd__layer_dot;

typedef struct rnd__layer rnd__layer;

typedef struct rnd__layer_stats {
    size_t dots, dots_baked;
    int levels_active;       /* detail levels the last frame used */
    uint64_t full_bakes;     /* whole-layer bakes so far */
    uint64_t level_bakes;    /* detail-level bakes so far */
    uint64_t add_bakes;      /* incremental bakes of new dots */
} rnd__layer_stats;

/* Creates the layer's GL objects (textures are made on the first surface).
 * The programs and the detail noise textures are borrowed and must outlive
 * the layer. */
rnd_result rnd__layer_create(rnd__layer **out, const rnd__programs *progs, GLuint tex_fine,
                             GLuint tex_coarse, sim_error *err);
/* NULL-safe; needs the same context current. */
void rnd__layer_destroy(rnd__layer *ink);
/* Sets the surface (borrowed) and its chart domain; every dot is baked
 * again. RND_ERR_NOMEM when the textures cannot be had. */
rnd_result rnd__layer_set_surface(rnd__layer *ink, const sim_surface *surface);
/* Replaces or appends dots (copied). New dots are baked on the next
 * rnd__layer_update; appending bakes only them. */
rnd_result rnd__layer_set_dots(rnd__layer *ink, const rnd_dot *dots, size_t n);
/* The skin's albedo (linear) and whether dots are baked in (the naive path
 * draws them itself); a change bakes the whole layer again. */
void rnd__layer_set_skin(rnd__layer *ink, const float rgb[3], bool show_dots);
rnd_result rnd__layer_add_dots(rnd__layer *ink, const rnd_dot *dots, size_t n);
/* Bakes what the view needs (new dots, detail levels around the chart point
 * under the view's centre). Leaves the caller's draw framebuffer, viewport
 * and blend state as they were. */
void rnd__layer_update(rnd__layer *ink, const rnd__view *view);
/* Binds the layer's textures to units 2 (whole) and 3 (detail levels) and
 * sets the skin program's layer uniforms (the program must be in use). */
void rnd__layer_bind(const rnd__layer *ink, const GLint *loc);
void rnd__layer_get_stats(const rnd__layer *ink, rnd__layer_stats *out);
/* Detail levels the next frame uses (0: the whole layer only). */
int rnd__layer_levels(const rnd__layer *ink);
/* How big a pixel is at the view's centre on the surface (chart mm, from
 * the last update); 0 when the centre misses the surface. */
double rnd__layer_focus_pixel_mm(const rnd__layer *ink);

/* Chart coordinates of a surface-frame point, and the chart's local scale
 * (chart mm per skin mm: sqrt of the Jacobian's determinant on the tangent
 * plane), pure CPU. The pad's chart is its (x, y). */
sim_vec2 rnd__chart(const sim_surface *surface, sim_vec3 p);
/* Long dots are drawn at most this many times longer than wide. */
#define RND__MAX_ELONGATION 6.0
/* The long axis of a drawable dot in the tangent frame (t, b) the dot
 * programs build, and its length / diameter; (1, 0, 1) when round. */
void rnd__elongation(const rnd_dot *src, sim_vec3 t, sim_vec3 b, float out[3]);
/* Fills d from a drawable dot (chart centre, Jacobian, elongation). */
void rnd__layer_dot_from(const sim_surface *surface, const rnd_dot *src, rnd__layer_dot *d);

/* ---------------------------------------------------------------------------
 * Display mesh (rnd_lod.c)
 * ------------------------------------------------------------------------- */
/* Heads with more triangles than this are drawn through a display mesh of
 * RND__LOD_CELLS cells per cube face (12 * cells^2 triangles) while a pixel
 * at the view's centre is coarser than RND__LOD_MIN_PIXEL_MM (its chords
 * sit up to ~0.07 mm inside the skin). */
#define RND__LOD_MAX_TRIANGLES 60000u
#define RND__LOD_CELLS 32u
#define RND__LOD_MIN_PIXEL_MM 0.15

/* A cube-sphere mesh of `cells` per face whose vertices lie on a head
 * surface (rays toward the head frame's origin), with its normals.
 * RND_ERR_ARG for a pad or a bad count, RND_ERR_NOMEM. */
rnd_result rnd__display_mesh(const sim_surface *surface, uint32_t cells, sim_mesh *out);

/* ---------------------------------------------------------------------------
 * Mesh clusters for view culling (rnd_cluster.c), pure CPU
 * ------------------------------------------------------------------------- */
#define RND__CLUSTER_CELL_MM 12.0       /* the simulation's ~1 mm triangles */
#define RND__LOD_CLUSTER_CELL_MM 30.0   /* the display mesh's ~5 mm ones */

typedef struct rnd__cluster {
    uint32_t first, count;   /* range in the reordered index array */
    float centre[3], radius; /* bounding sphere, mm */
    float axis[3], cutoff;   /* normal cone: sin(half-angle); > 1: never culled */
} rnd__cluster;

typedef struct rnd__clusters {
    rnd__cluster *items;
    size_t count;
    uint32_t *indices;       /* the mesh's triangles sorted by cluster */
} rnd__clusters;

/* Sorts the mesh's triangles into grid cells of cell_mm and bounds each.
 * RND_ERR_ARG, RND_ERR_NOMEM. */
rnd_result rnd__clusters_build(const sim_mesh *m, double cell_mm, rnd__clusters *out);
void rnd__clusters_free(rnd__clusters *c);
/* The six planes (normalised, inside >= 0) of a column-major view-proj. */
void rnd__frustum_planes(const float view_proj[16], float planes[6][4]);
/* False when the cluster is outside the frustum or faces away entirely. */
bool rnd__cluster_visible(const rnd__cluster *c, const float planes[6][4], const float eye[3]);

/* ---------------------------------------------------------------------------
 * Overlay and marker geometry (rnd_overlay.c), pure CPU
 * ------------------------------------------------------------------------- */

/* One vertex of a line ribbon lying on the surface. The vertex shader widens
 * it sideways (perpendicular to `along`, in the tangent plane) to a width in
 * pixels. */
typedef struct rnd__line_vertex {
    float pos[3];            /* on the surface (already lifted), mm */
    float normal[3];
    float along[3];          /* unit direction of the segment */
    float side;              /* -1 or +1: which edge of the ribbon */
    float end;               /* -1 start, +1 end: caps extend by half width */
    float width_px;
    float rgba[4];
} rnd__line_vertex;

/* A growable vertex array (owns `v`, sim_malloc). */
typedef struct rnd__line_list {
    rnd__line_vertex *v;
    size_t count, capacity;
} rnd__line_list;

void rnd__line_list_free(rnd__line_list *l);
/* Builds the ribbons for every zone polygon and the hairline of a lesson on
 * a surface (appended to l->count = 0). RND_ERR_NOMEM on failure. */
rnd_result rnd__overlay_build(const sim_surface *surface,
                              const les_lesson *lesson, rnd__line_list *l);
/* A content signature of the lesson's overlay (zones, hairline), so the
 * renderer rebuilds only when it changes. */
uint64_t rnd__overlay_signature(const les_lesson *lesson);

/* A unit UV sphere: positions (= normals), 16-bit indices. */
#define RND__SPHERE_SLICES 20
#define RND__SPHERE_STACKS 12
#define RND__SPHERE_VERTS ((RND__SPHERE_SLICES + 1) * (RND__SPHERE_STACKS + 1))
#define RND__SPHERE_INDICES (RND__SPHERE_SLICES * RND__SPHERE_STACKS * 6)
void rnd__sphere(float pos[RND__SPHERE_VERTS][3],
                 uint16_t idx[RND__SPHERE_INDICES]);

/* Tests: draw every surface cluster (true) or only those in view (the
 * default). */
void rnd__renderer_set_culling(rnd_renderer *r, bool enabled);

/* ---------------------------------------------------------------------------
 * Misc
 * ------------------------------------------------------------------------- */

/* Reads and clears glGetError; returns its first non-zero value (0 if none). */
GLenum rnd__gl_drain_errors(void);
const char *rnd__gl_error_name(GLenum e);

#endif /* RND_INTERNAL_H */
