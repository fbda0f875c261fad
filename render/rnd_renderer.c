/* rnd_renderer.c: the renderer: GL objects for the skin surface, the dots,
 * the lesson overlays and the stylus tip, and the frame that draws them.
 *
 * A frame, back to front: a studio-gradient background; the skin (depth
 * written, back faces culled); the dots as instanced quads in the tangent
 * plane (depth tested, not written, polygon offset toward the eye, blended
 * over the skin); the overlay ribbons (a dark outline pass, then colour);
 * the tip marker (solid where visible, ghosted where under the skin).
 *
 * Lights follow the camera (key from the upper left, a cool fill from the
 * right, a rim from behind), so the skin reads the same from any orbit.
 *
 * Threads: the GL thread only. Ownership: the renderer owns its GL objects
 * and its overlay vertex list; it borrows the surface (set_surface).
 */
#include "rnd_internal.h"

#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */
/* ------------------------------------------------------------------------ */

#define RND__DOT_MIN_CAPACITY 1024
#define RND__DOT_LIFT_MM 0.01f
#define RND__TIP_MIN_RADIUS_MM 0.2
#define RND__TIP_RADIUS_PX 6.0
#define RND__OUTLINE_EXTRA_PX 2.0f
#define RND__KEY_DISTANCE 0.9    /* key lamp from the target, in camera distances */

/* Light directions in view space (x right, y up, z toward the viewer),
 * pointing toward the light. */
static const double rnd__key_view[3] = {-0.55, 0.72, 0.42};
static const double rnd__fill_view[3] = {0.75, -0.05, 0.55};
static const double rnd__rim_view[3] = {0.15, 0.55, -0.82};

static const float rnd__tip_air_rgba[4] = {0.30f, 0.85f, 1.00f, 1.0f};
static const float rnd__tip_skin_rgba[4] = {1.00f, 0.32f, 0.22f, 1.0f};
#define RND__TIP_GHOST_ALPHA 0.40f
static const float rnd__outline_rgba[4] = {0.04f, 0.04f, 0.05f, 0.55f};

/* The dot and ribbon attributes read neighbouring fields as one vector. */
_Static_assert(offsetof(rnd_dot, edge_mm) == offsetof(rnd_dot, diameter_mm) + sizeof(float),
               "rnd_dot: diameter_mm and edge_mm must be adjacent");
_Static_assert(offsetof(rnd__line_vertex, end) == offsetof(rnd__line_vertex, side) + sizeof(float) &&
               offsetof(rnd__line_vertex, width_px) == offsetof(rnd__line_vertex, end) + sizeof(float),
               "rnd__line_vertex: side, end, width_px must be adjacent");

struct rnd_renderer {
    rnd__programs progs;
    GLuint vao_empty;                /* the background's attribute-less draw */

    /* surface */
    const sim_surface *surface;      /* borrowed */
    GLuint vao_surface, vbo_surface, ibo_surface;
    GLsizei surface_indices;
    float center[3];                 /* bounding sphere, for depth range */
    float radius_mm;
    float skin[3];

    /* dots */
    GLuint vao_dots, vbo_corners, vbo_dots;
    size_t dot_count, dot_capacity;

    /* overlays */
    GLuint vao_lines, vbo_lines;
    size_t line_capacity;            /* vertices the GPU buffer holds */
    GLsizei line_count;
    uint64_t overlay_signature;      /* 0: nothing built */
    const sim_surface *overlay_surface;
    rnd__line_list lines;            /* CPU copy, reused between builds */

    /* tip */
    GLuint vao_tip, vbo_tip, ibo_tip;
};

/* ------------------------------------------------------------------------ */
/* Setup                                                                    */
/* ------------------------------------------------------------------------ */

/* Points the dot VAO's per-instance attributes at vbo_dots. */
static void rnd__dot_attribs(rnd_renderer *r)
{
    glBindVertexArray(r->vao_dots);
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo_dots);
    GLsizei stride = (GLsizei)sizeof(rnd_dot);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, stride,
                          (const void *)offsetof(rnd_dot, pos));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 3, GL_FLOAT, GL_FALSE, stride,
                          (const void *)offsetof(rnd_dot, normal));
    glEnableVertexAttribArray(3);
    glVertexAttribPointer(3, 2, GL_FLOAT, GL_FALSE, stride,
                          (const void *)offsetof(rnd_dot, diameter_mm));
    glEnableVertexAttribArray(4);
    glVertexAttribPointer(4, 4, GL_FLOAT, GL_FALSE, stride,
                          (const void *)offsetof(rnd_dot, rgba));
    for (GLuint i = 1; i <= 4; i++)
        glVertexAttribDivisor(i, 1);
    glBindVertexArray(0);
}

static void rnd__make_dots(rnd_renderer *r)
{
    static const float corners[8] = {-1, -1, 1, -1, -1, 1, 1, 1};
    glGenVertexArrays(1, &r->vao_dots);
    glGenBuffers(1, &r->vbo_corners);
    glGenBuffers(1, &r->vbo_dots);
    glBindVertexArray(r->vao_dots);
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo_corners);
    glBufferData(GL_ARRAY_BUFFER, sizeof corners, corners, GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), NULL);
    glBindVertexArray(0);
    rnd__dot_attribs(r);
}

static void rnd__make_lines(rnd_renderer *r)
{
    glGenVertexArrays(1, &r->vao_lines);
    glGenBuffers(1, &r->vbo_lines);
    glBindVertexArray(r->vao_lines);
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo_lines);
    GLsizei stride = (GLsizei)sizeof(rnd__line_vertex);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, stride,
                          (const void *)offsetof(rnd__line_vertex, pos));
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, stride,
                          (const void *)offsetof(rnd__line_vertex, normal));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 3, GL_FLOAT, GL_FALSE, stride,
                          (const void *)offsetof(rnd__line_vertex, along));
    glEnableVertexAttribArray(3);
    glVertexAttribPointer(3, 3, GL_FLOAT, GL_FALSE, stride,
                          (const void *)offsetof(rnd__line_vertex, side));
    glEnableVertexAttribArray(4);
    glVertexAttribPointer(4, 4, GL_FLOAT, GL_FALSE, stride,
                          (const void *)offsetof(rnd__line_vertex, rgba));
    glBindVertexArray(0);
}

static void rnd__make_tip(rnd_renderer *r)
{
    float pos[RND__SPHERE_VERTS][3];
    uint16_t idx[RND__SPHERE_INDICES];
    rnd__sphere(pos, idx);
    glGenVertexArrays(1, &r->vao_tip);
    glGenBuffers(1, &r->vbo_tip);
    glGenBuffers(1, &r->ibo_tip);
    glBindVertexArray(r->vao_tip);
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo_tip);
    glBufferData(GL_ARRAY_BUFFER, sizeof pos, pos, GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, 3 * sizeof(float), NULL);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, r->ibo_tip);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, sizeof idx, idx, GL_STATIC_DRAW);
    glBindVertexArray(0);
}

rnd_result rnd_renderer_create(rnd_renderer **out, sim_error *err)
{
    sim_error_clear(err);
    if (!out)
        return (rnd_result)sim_error_set(err, RND_ERR_ARG, NULL, 0, 0,
                                         "rnd_renderer_create: out is NULL");
    *out = NULL;
    if (!epoxy_is_desktop_gl() || epoxy_gl_version() < 33)
        return (rnd_result)sim_error_set(
            err, RND_ERR_GL, NULL, 0, 0,
            "the current context offers OpenGL %d.%d%s; the renderer needs "
            "desktop OpenGL 3.3 core",
            epoxy_gl_version() / 10, epoxy_gl_version() % 10,
            epoxy_is_desktop_gl() ? "" : " ES");
    rnd_renderer *r = sim_calloc(1, sizeof *r);
    if (!r)
        return (rnd_result)sim_error_set(err, RND_ERR_NOMEM, NULL, 0, 0,
                                         "out of memory for the renderer");
    rnd__gl_drain_errors();
    rnd_result rc = rnd__programs_build(&r->progs, err);
    if (rc != RND_OK) {
        sim_free(r);
        return rc;
    }
    glGenVertexArrays(1, &r->vao_empty);
    glGenVertexArrays(1, &r->vao_surface);
    glGenBuffers(1, &r->vbo_surface);
    glGenBuffers(1, &r->ibo_surface);
    rnd__make_dots(r);
    rnd__make_lines(r);
    rnd__make_tip(r);
    r->skin[0] = RND_SKIN_DEFAULT_R;
    r->skin[1] = RND_SKIN_DEFAULT_G;
    r->skin[2] = RND_SKIN_DEFAULT_B;
    r->radius_mm = 100.0f;
    GLenum e = rnd__gl_drain_errors();
    if (e != GL_NO_ERROR) {
        rnd_renderer_destroy(r);
        return (rnd_result)sim_error_set(err, RND_ERR_GL, NULL, 0, 0,
                                         "creating the renderer's GL objects failed (%s)",
                                         rnd__gl_error_name(e));
    }
    *out = r;
    return RND_OK;
}

void rnd_renderer_destroy(rnd_renderer *r)
{
    if (!r)
        return;
    rnd__programs_delete(&r->progs);
    GLuint vaos[5] = {r->vao_empty, r->vao_surface, r->vao_dots, r->vao_lines,
                      r->vao_tip};
    GLuint bufs[7] = {r->vbo_surface, r->ibo_surface, r->vbo_corners, r->vbo_dots,
                      r->vbo_lines, r->vbo_tip, r->ibo_tip};
    glDeleteVertexArrays(5, vaos);
    glDeleteBuffers(7, bufs);
    rnd__line_list_free(&r->lines);
    sim_free(r);
}

/* ------------------------------------------------------------------------ */
/* Surface                                                                  */
/* ------------------------------------------------------------------------ */

rnd_result rnd_renderer_set_surface(rnd_renderer *r, const sim_surface *surface)
{
    if (!r || !surface)
        return RND_ERR_ARG;
    const sim_mesh *m = &surface->mesh;
    if (!m->positions || !m->normals || !m->indices || m->vertex_count == 0 ||
        m->triangle_count == 0 || m->triangle_count > (uint32_t)(INT_MAX / 3))
        return RND_ERR_ARG;
    float *v = sim_malloc((size_t)m->vertex_count * 6 * sizeof *v);
    if (!v)
        return RND_ERR_NOMEM;
    double lo[3] = {INFINITY, INFINITY, INFINITY};
    double hi[3] = {-INFINITY, -INFINITY, -INFINITY};
    for (uint32_t i = 0; i < m->vertex_count; i++) {
        double p[3] = {m->positions[i].x, m->positions[i].y, m->positions[i].z};
        float *o = v + (size_t)i * 6;
        for (int k = 0; k < 3; k++) {
            o[k] = (float)p[k];
            lo[k] = p[k] < lo[k] ? p[k] : lo[k];
            hi[k] = p[k] > hi[k] ? p[k] : hi[k];
        }
        o[3] = (float)m->normals[i].x;
        o[4] = (float)m->normals[i].y;
        o[5] = (float)m->normals[i].z;
    }
    rnd__gl_drain_errors();
    glBindVertexArray(r->vao_surface);
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo_surface);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)((size_t)m->vertex_count * 6 * sizeof *v),
                 v, GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, 6 * sizeof(float), NULL);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, 6 * sizeof(float),
                          (const void *)(3 * sizeof(float)));
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, r->ibo_surface);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER,
                 (GLsizeiptr)((size_t)m->triangle_count * 3 * sizeof(uint32_t)),
                 m->indices, GL_STATIC_DRAW);
    glBindVertexArray(0);
    sim_free(v);
    GLenum e = rnd__gl_drain_errors();
    if (e != GL_NO_ERROR) {
        r->surface = NULL;
        r->surface_indices = 0;
        return e == GL_OUT_OF_MEMORY ? RND_ERR_NOMEM : RND_ERR_GL;
    }
    r->surface = surface;
    r->surface_indices = (GLsizei)(m->triangle_count * 3);
    double r2 = 0.0;
    for (int k = 0; k < 3; k++) {
        r->center[k] = (float)(0.5 * (lo[k] + hi[k]));
        r2 += 0.25 * (hi[k] - lo[k]) * (hi[k] - lo[k]);
    }
    r->radius_mm = (float)sqrt(r2);
    r->overlay_signature = 0; /* overlays are rebuilt on the new surface */
    return RND_OK;
}

void rnd_renderer_set_skin_tone(rnd_renderer *r, float red, float green, float blue)
{
    if (!r)
        return;
    float c[3] = {red, green, blue};
    for (int k = 0; k < 3; k++)
        r->skin[k] = (c[k] >= 0.0f && c[k] <= 1.0f) ? c[k] : (c[k] > 1.0f ? 1.0f : 0.0f);
}

/* ------------------------------------------------------------------------ */
/* Dots                                                                     */
/* ------------------------------------------------------------------------ */

/* Makes room for `need` dots, keeping the first `keep` already uploaded. */
static rnd_result rnd__dots_reserve(rnd_renderer *r, size_t need, size_t keep)
{
    if (need <= r->dot_capacity)
        return RND_OK;
    if (need > (size_t)INT_MAX || need > (size_t)PTRDIFF_MAX / sizeof(rnd_dot) / 2)
        return RND_ERR_NOMEM;
    size_t cap = r->dot_capacity ? r->dot_capacity : RND__DOT_MIN_CAPACITY;
    while (cap < need)
        cap *= 2;
    rnd__gl_drain_errors();
    GLuint fresh = 0;
    glGenBuffers(1, &fresh);
    glBindBuffer(GL_ARRAY_BUFFER, fresh);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(cap * sizeof(rnd_dot)), NULL,
                 GL_DYNAMIC_DRAW);
    if (rnd__gl_drain_errors() != GL_NO_ERROR) {
        glDeleteBuffers(1, &fresh);
        return RND_ERR_NOMEM;
    }
    if (keep > 0) {
        glBindBuffer(GL_COPY_READ_BUFFER, r->vbo_dots);
        glBindBuffer(GL_COPY_WRITE_BUFFER, fresh);
        glCopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, 0, 0,
                            (GLsizeiptr)(keep * sizeof(rnd_dot)));
    }
    glDeleteBuffers(1, &r->vbo_dots);
    r->vbo_dots = fresh;
    r->dot_capacity = cap;
    rnd__dot_attribs(r);
    return RND_OK;
}

static rnd_result rnd__dots_put(rnd_renderer *r, size_t first, const rnd_dot *dots,
                                size_t n)
{
    if (n == 0)
        return RND_OK;
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo_dots);
    glBufferSubData(GL_ARRAY_BUFFER, (GLintptr)(first * sizeof(rnd_dot)),
                    (GLsizeiptr)(n * sizeof(rnd_dot)), dots);
    return rnd__gl_drain_errors() == GL_NO_ERROR ? RND_OK : RND_ERR_GL;
}

rnd_result rnd_renderer_set_dots(rnd_renderer *r, const rnd_dot *dots, size_t n)
{
    if (!r || (n > 0 && !dots))
        return RND_ERR_ARG;
    r->dot_count = 0;
    rnd_result rc = rnd__dots_reserve(r, n, 0);
    if (rc == RND_OK)
        rc = rnd__dots_put(r, 0, dots, n);
    if (rc == RND_OK)
        r->dot_count = n;
    return rc;
}

rnd_result rnd_renderer_add_dots(rnd_renderer *r, const rnd_dot *dots, size_t n)
{
    if (!r || (n > 0 && !dots))
        return RND_ERR_ARG;
    if (n > SIZE_MAX - r->dot_count)
        return RND_ERR_NOMEM;
    rnd_result rc = rnd__dots_reserve(r, r->dot_count + n, r->dot_count);
    if (rc == RND_OK)
        rc = rnd__dots_put(r, r->dot_count, dots, n);
    if (rc == RND_OK)
        r->dot_count += n;
    return rc;
}

size_t rnd_renderer_dot_count(const rnd_renderer *r)
{
    return r ? r->dot_count : 0;
}

/* ------------------------------------------------------------------------ */
/* Overlays                                                                 */
/* ------------------------------------------------------------------------ */

/* Rebuilds the overlay ribbons when the lesson's content or the surface
 * changed. Returns false when there is nothing to draw. */
static bool rnd__overlay_update(rnd_renderer *r, const les_lesson *lesson)
{
    uint64_t sig = rnd__overlay_signature(lesson);
    if (sig == 0 || !r->surface)
        return false;
    if (sig == r->overlay_signature && r->overlay_surface == r->surface)
        return r->line_count > 0;
    r->overlay_signature = 0;
    r->line_count = 0;
    if (rnd__overlay_build(r->surface, lesson, &r->lines) != RND_OK)
        return false;
    size_t n = r->lines.count;
    if (n > (size_t)INT_MAX)
        return false;
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo_lines);
    if (n > r->line_capacity) {
        size_t cap = r->line_capacity ? r->line_capacity : 1024;
        while (cap < n)
            cap *= 2;
        glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(cap * sizeof(rnd__line_vertex)),
                     NULL, GL_DYNAMIC_DRAW);
        r->line_capacity = cap;
    }
    if (n > 0)
        glBufferSubData(GL_ARRAY_BUFFER, 0, (GLsizeiptr)(n * sizeof(rnd__line_vertex)),
                        r->lines.v);
    if (rnd__gl_drain_errors() != GL_NO_ERROR) {
        r->line_capacity = 0;
        return false;
    }
    r->line_count = (GLsizei)n;
    r->overlay_signature = sig;
    r->overlay_surface = r->surface;
    return n > 0;
}

/* ------------------------------------------------------------------------ */
/* Drawing                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct rnd__lights {
    float key[3], fill[3], rim[3], up[3];
    float key_pos[3];        /* the key lamp: up-left of the camera */
} rnd__lights;

static void rnd__view_dir(const rnd__view *v, const double d[3], float out[3])
{
    double w[3];
    for (int k = 0; k < 3; k++)
        w[k] = v->right[k] * d[0] + v->up[k] * d[1] - v->forward[k] * d[2];
    double len = sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
    for (int k = 0; k < 3; k++)
        out[k] = (float)(w[k] / (len > 0.0 ? len : 1.0));
}

/* Sets the uniforms a program shares with the others (absent ones skip). */
static void rnd__common_uniforms(const rnd_renderer *r, rnd__prog_id id,
                                 const rnd__view *v, const rnd__lights *l)
{
    const GLint *loc = r->progs.loc[id];
    glUseProgram(r->progs.prog[id]);
    glUniformMatrix4fv(loc[RND__U_VIEW_PROJ], 1, GL_FALSE, v->view_proj);
    glUniform3fv(loc[RND__U_EYE], 1, v->eye);
    glUniform3fv(loc[RND__U_FORWARD], 1, v->forward);
    glUniform1f(loc[RND__U_PIXEL_MM], v->pixel_mm_per_mm);
    glUniform3fv(loc[RND__U_KEY_DIR], 1, l->key);
    glUniform3fv(loc[RND__U_KEY_POS], 1, l->key_pos);
    glUniform3fv(loc[RND__U_FILL_DIR], 1, l->fill);
    glUniform3fv(loc[RND__U_RIM_DIR], 1, l->rim);
    glUniform3fv(loc[RND__U_UP], 1, l->up);
}

static void rnd__draw_background(const rnd_renderer *r, const rnd_frame *f)
{
    glDisable(GL_DEPTH_TEST);
    glDepthMask(GL_FALSE);
    glUseProgram(r->progs.prog[RND__PROG_BACKGROUND]);
    glUniform2f(r->progs.loc[RND__PROG_BACKGROUND][RND__U_VIEWPORT],
                (float)f->width, (float)f->height);
    glBindVertexArray(r->vao_empty);
    glDrawArrays(GL_TRIANGLES, 0, 3);
}

static void rnd__draw_skin(const rnd_renderer *r, const rnd__view *v,
                           const rnd__lights *l)
{
    if (!r->surface || r->surface_indices == 0)
        return;
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);
    glDepthMask(GL_TRUE);
    glEnable(GL_CULL_FACE);
    glCullFace(GL_BACK);
    glFrontFace(GL_CCW);
    rnd__common_uniforms(r, RND__PROG_SKIN, v, l);
    const GLint *loc = r->progs.loc[RND__PROG_SKIN];
    glUniform3fv(loc[RND__U_SKIN], 1, r->skin);
    glUniform1i(loc[RND__U_KIND], (GLint)r->surface->kind);
    glBindVertexArray(r->vao_surface);
    glDrawElements(GL_TRIANGLES, r->surface_indices, GL_UNSIGNED_INT, NULL);
    glDisable(GL_CULL_FACE);
}

static void rnd__draw_dots(const rnd_renderer *r, const rnd__view *v,
                           const rnd__lights *l)
{
    if (r->dot_count == 0)
        return;
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LEQUAL);
    glDepthMask(GL_FALSE);
    glEnable(GL_POLYGON_OFFSET_FILL);
    glPolygonOffset(-1.0f, -4.0f);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ZERO, GL_ONE);
    rnd__common_uniforms(r, RND__PROG_DOTS, v, l);
    glUniform1f(r->progs.loc[RND__PROG_DOTS][RND__U_LIFT_MM], RND__DOT_LIFT_MM);
    glBindVertexArray(r->vao_dots);
    glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, (GLsizei)r->dot_count);
    glDisable(GL_POLYGON_OFFSET_FILL);
}

static void rnd__draw_overlays(rnd_renderer *r, const rnd_frame *f,
                               const rnd__view *v, const rnd__lights *l)
{
    if (!f->show_overlays || !f->lesson || !rnd__overlay_update(r, f->lesson))
        return;
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LEQUAL);
    glDepthMask(GL_FALSE);
    glEnable(GL_POLYGON_OFFSET_FILL);
    glPolygonOffset(-2.0f, -8.0f);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ZERO, GL_ONE);
    rnd__common_uniforms(r, RND__PROG_LINES, v, l);
    const GLint *loc = r->progs.loc[RND__PROG_LINES];
    glBindVertexArray(r->vao_lines);
    /* a soft dark outline keeps every colour readable on any skin */
    glUniform1f(loc[RND__U_WIDTH_PX], RND__OUTLINE_EXTRA_PX);
    glUniform4fv(loc[RND__U_COLOR], 1, rnd__outline_rgba);
    glDrawArrays(GL_TRIANGLES, 0, r->line_count);
    glUniform1f(loc[RND__U_WIDTH_PX], 0.0f);
    glUniform4f(loc[RND__U_COLOR], 0.0f, 0.0f, 0.0f, 0.0f);
    glDrawArrays(GL_TRIANGLES, 0, r->line_count);
    glDisable(GL_POLYGON_OFFSET_FILL);
}

static void rnd__draw_tip(const rnd_renderer *r, const rnd_frame *f,
                          const rnd__view *v, const rnd__lights *l)
{
    if (!f->show_tip)
        return;
    double depth = (f->tip_mm.x - v->eye[0]) * v->forward[0] +
                   (f->tip_mm.y - v->eye[1]) * v->forward[1] +
                   (f->tip_mm.z - v->eye[2]) * v->forward[2];
    if (depth <= 0.0)
        return;
    double radius = RND__TIP_RADIUS_PX * depth * v->pixel_mm_per_mm;
    if (radius < RND__TIP_MIN_RADIUS_MM)
        radius = RND__TIP_MIN_RADIUS_MM;
    float s = (float)radius;
    float model[16] = {s, 0, 0, 0, 0, s, 0, 0, 0, 0, s, 0,
                       (float)f->tip_mm.x, (float)f->tip_mm.y, (float)f->tip_mm.z, 1};
    const float *rgba = f->tip_in_skin ? rnd__tip_skin_rgba : rnd__tip_air_rgba;
    rnd__common_uniforms(r, RND__PROG_TIP, v, l);
    const GLint *loc = r->progs.loc[RND__PROG_TIP];
    glUniformMatrix4fv(loc[RND__U_MODEL], 1, GL_FALSE, model);
    glBindVertexArray(r->vao_tip);
    glEnable(GL_DEPTH_TEST);
    /* visible part: solid */
    glDisable(GL_BLEND);
    glDepthMask(GL_TRUE);
    glDepthFunc(GL_LESS);
    glUniform4fv(loc[RND__U_COLOR], 1, rgba);
    glDrawElements(GL_TRIANGLES, RND__SPHERE_INDICES, GL_UNSIGNED_SHORT, NULL);
    /* part under the skin: ghosted, so the trainee sees how deep it is */
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ZERO, GL_ONE);
    glDepthMask(GL_FALSE);
    glDepthFunc(GL_GREATER);
    glUniform4f(loc[RND__U_COLOR], rgba[0], rgba[1], rgba[2], RND__TIP_GHOST_ALPHA);
    glDrawElements(GL_TRIANGLES, RND__SPHERE_INDICES, GL_UNSIGNED_SHORT, NULL);
}

void rnd_renderer_draw(rnd_renderer *r, const rnd_frame *f)
{
    if (!r || !f || f->width < 1 || f->height < 1)
        return;
    rnd__view v;
    rnd__camera_view(&f->camera, r->surface, f->width, f->height, r->center,
                     r->radius_mm, &v);
    rnd__lights l;
    rnd__view_dir(&v, rnd__key_view, l.key);
    /* the key lamp hangs near the camera, a little closer to the target
     * than the eye: its light falls across the surface with a gentle
     * gradient and a sheen where a lamp's would be */
    for (int k = 0; k < 3; k++) {
        double target = v.eye[k] + v.forward[k] * f->camera.distance_mm;
        l.key_pos[k] = (float)(target + l.key[k] * RND__KEY_DISTANCE * f->camera.distance_mm);
    }
    rnd__view_dir(&v, rnd__fill_view, l.fill);
    rnd__view_dir(&v, rnd__rim_view, l.rim);
    double up[3], front[3];
    rnd__camera_axes(r->surface, up, front);
    for (int k = 0; k < 3; k++)
        l.up[k] = (float)up[k];

    glViewport(0, 0, f->width, f->height);
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
    glDepthMask(GL_TRUE);
    glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
    glClearDepth(1.0);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);

    rnd__draw_background(r, f);
    rnd__draw_skin(r, &v, &l);
    rnd__draw_dots(r, &v, &l);
    rnd__draw_overlays(r, f, &v, &l);
    rnd__draw_tip(r, f, &v, &l);

    glDisable(GL_DEPTH_TEST);
    glDisable(GL_BLEND);
    glDisable(GL_CULL_FACE);
    glDisable(GL_POLYGON_OFFSET_FILL);
    glDepthMask(GL_TRUE);
    glDepthFunc(GL_LESS);
    glBindVertexArray(0);
    glUseProgram(0);
}
