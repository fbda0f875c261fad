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
    RND__PROG_SKIN,
    RND__PROG_DOTS,
    RND__PROG_LINES,
    RND__PROG_TIP,
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
    RND__U_COUNT
} rnd__uniform_id;

typedef struct rnd__programs {
    GLuint prog[RND__PROG_COUNT];
    GLint loc[RND__PROG_COUNT][RND__U_COUNT];
} rnd__programs;

/* Compiles and links every program. On failure deletes what it made, puts
 * the compiler's log into err and returns RND_ERR_GL. */
rnd_result rnd__programs_build(rnd__programs *p, sim_error *err);
void rnd__programs_delete(rnd__programs *p);

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

/* ---------------------------------------------------------------------------
 * Misc
 * ------------------------------------------------------------------------- */

/* Reads and clears glGetError; returns its first non-zero value (0 if none). */
GLenum rnd__gl_drain_errors(void);
const char *rnd__gl_error_name(GLenum e);

#endif /* RND_INTERNAL_H */
