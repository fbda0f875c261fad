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
/* The machine above the tip (mm along the needle): the needle's free
 * length, the cartridge, the grip; its shadow on the skin. */
#define RND__CYL_SEGMENTS 20
#define RND__NEEDLE_MM 6.0
#define RND__NEEDLE_RADIUS_MM 0.15
#define RND__CARTRIDGE_MM 30.0
#define RND__GRIP_MM 120.0
#define RND__SHADOW_MM 14.0
#define RND__SHADOW_OFFSET_MM 6.0
#define RND__SHADOW_ALPHA 0.30f

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
_Static_assert(offsetof(rnd_dot, direction) == offsetof(rnd_dot, length_mm) + sizeof(float),
               "rnd_dot: length_mm and direction must be adjacent");
_Static_assert(offsetof(rnd__line_vertex, end) == offsetof(rnd__line_vertex, side) + sizeof(float) &&
               offsetof(rnd__line_vertex, width_px) == offsetof(rnd__line_vertex, end) + sizeof(float),
               "rnd__line_vertex: side, end, width_px must be adjacent");

struct rnd_renderer {
    rnd__programs progs;
    GLuint vao_empty;                /* the background's attribute-less draw */
    GLuint bg_fbo, bg_tex;           /* the background, drawn once per size */
    int bg_w, bg_h;

    /* surface */
    const sim_surface *surface;      /* borrowed */
    GLuint vao_surface, vbo_surface, ibo_surface;
    GLsizei surface_indices;
    GLuint vao_lod, vbo_lod, ibo_lod;  /* the head's display mesh (rnd_lod.c) */
    GLsizei lod_indices;             /* 0: none */
    rnd__clusters surface_clusters, lod_clusters;
    bool no_culling;                 /* tests: draw every cluster */
    uint32_t clusters_drawn;         /* the last frame's */
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

    /* the machine: a unit cylinder, and one dot for its shadow */
    GLuint vao_cyl, vbo_cyl;
    GLuint vao_shadow, vbo_shadow;

    /* skin detail textures, the ink layer, the heatmap */
    GLuint tex_fine, tex_coarse, tex_heat;
    rnd__layer *ink;
    rnd_dot_path dot_path;
    float heat_alpha;                /* 0: no heatmap */
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
    glEnableVertexAttribArray(5);
    glVertexAttribPointer(5, 4, GL_FLOAT, GL_FALSE, stride,
                          (const void *)offsetof(rnd_dot, length_mm));
    for (GLuint i = 1; i <= 5; i++)
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

/* A mipmapped, repeating RGBA8 texture from the CPU's detail noise. */
static GLuint rnd__make_detail_texture(const uint8_t *rgba, int size)
{
    GLuint tex = 0;
    glGenTextures(1, &tex);
    glBindTexture(GL_TEXTURE_2D, tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, size, size, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    glGenerateMipmap(GL_TEXTURE_2D);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR_MIPMAP_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_REPEAT);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_REPEAT);
    glBindTexture(GL_TEXTURE_2D, 0);
    return tex;
}

static void rnd__make_heat(rnd_renderer *r)
{
    static const float border[4] = {0, 0, 0, 0};
    static const uint8_t clear[4] = {0, 0, 0, 0};
    glGenTextures(1, &r->tex_heat);
    glBindTexture(GL_TEXTURE_2D, r->tex_heat);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, 1, 1, 0, GL_RGBA, GL_UNSIGNED_BYTE, clear);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_BORDER);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_BORDER);
    glTexParameterfv(GL_TEXTURE_2D, GL_TEXTURE_BORDER_COLOR, border);
    glBindTexture(GL_TEXTURE_2D, 0);
}

/* A unit cylinder along +z from 0 to 1, radius 1, as triangles with the
 * radial direction as its normal (the tip program shades by position). */
static void rnd__make_cylinder(rnd_renderer *r)
{
    float v[RND__CYL_SEGMENTS * 6 * 3];
    size_t k = 0;
    for (int i = 0; i < RND__CYL_SEGMENTS; i++) {
        double a0 = 2.0 * SIM_PI * i / RND__CYL_SEGMENTS, a1 = 2.0 * SIM_PI * (i + 1) / RND__CYL_SEGMENTS;
        float x0 = (float)cos(a0), y0 = (float)sin(a0), x1 = (float)cos(a1), y1 = (float)sin(a1);
        float quad[6][3] = {{x0, y0, 0}, {x1, y1, 0}, {x1, y1, 1}, {x0, y0, 0}, {x1, y1, 1}, {x0, y0, 1}};
        memcpy(v + k, quad, sizeof quad);
        k += 18;
    }
    glGenVertexArrays(1, &r->vao_cyl);
    glGenBuffers(1, &r->vbo_cyl);
    glBindVertexArray(r->vao_cyl);
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo_cyl);
    glBufferData(GL_ARRAY_BUFFER, sizeof v, v, GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, 3 * sizeof(float), NULL);
    glBindVertexArray(0);
    /* the shadow: one instance of the dot program's quad */
    static const float corners[8] = {-1, -1, 1, -1, -1, 1, 1, 1};
    glGenVertexArrays(1, &r->vao_shadow);
    glGenBuffers(1, &r->vbo_shadow);
    glBindVertexArray(r->vao_shadow);
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo_corners);
    glBufferData(GL_ARRAY_BUFFER, sizeof corners, corners, GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), NULL);
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo_shadow);
    glBufferData(GL_ARRAY_BUFFER, sizeof(rnd_dot), NULL, GL_DYNAMIC_DRAW);
    GLsizei stride = (GLsizei)sizeof(rnd_dot);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, stride, (const void *)offsetof(rnd_dot, pos));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 3, GL_FLOAT, GL_FALSE, stride, (const void *)offsetof(rnd_dot, normal));
    glEnableVertexAttribArray(3);
    glVertexAttribPointer(3, 2, GL_FLOAT, GL_FALSE, stride, (const void *)offsetof(rnd_dot, diameter_mm));
    glEnableVertexAttribArray(4);
    glVertexAttribPointer(4, 4, GL_FLOAT, GL_FALSE, stride, (const void *)offsetof(rnd_dot, rgba));
    glEnableVertexAttribArray(5);
    glVertexAttribPointer(5, 4, GL_FLOAT, GL_FALSE, stride, (const void *)offsetof(rnd_dot, length_mm));
    for (GLuint i = 1; i <= 5; i++)
        glVertexAttribDivisor(i, 1);
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
    glGenVertexArrays(1, &r->vao_lod);
    glGenBuffers(1, &r->vbo_lod);
    glGenBuffers(1, &r->ibo_lod);
    rnd__make_dots(r);
    rnd__make_lines(r);
    rnd__make_tip(r);
    rnd__make_cylinder(r);
    rnd__make_heat(r);
    r->tex_fine = rnd__make_detail_texture(rnd__noise_fine(), RND__NOISE_FINE_SIZE);
    r->tex_coarse = rnd__make_detail_texture(rnd__noise_coarse(), RND__NOISE_COARSE_SIZE);
    rc = rnd__layer_create(&r->ink, &r->progs, r->tex_fine, r->tex_coarse, err);
    if (rc != RND_OK) {
        rnd_renderer_destroy(r);
        return rc;
    }
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
    rnd__layer_destroy(r->ink);
    GLuint tex[4] = {r->tex_fine, r->tex_coarse, r->tex_heat, r->bg_tex};
    glDeleteTextures(4, tex);
    glDeleteFramebuffers(1, &r->bg_fbo);
    rnd__programs_delete(&r->progs);
    GLuint mv[2] = {r->vao_cyl, r->vao_shadow}, mb[2] = {r->vbo_cyl, r->vbo_shadow};
    glDeleteVertexArrays(2, mv);
    glDeleteBuffers(2, mb);
    GLuint lod[3] = {r->vao_lod, r->vbo_lod, r->ibo_lod};
    glDeleteVertexArrays(1, &lod[0]);
    glDeleteBuffers(2, &lod[1]);
    GLuint vaos[5] = {r->vao_empty, r->vao_surface, r->vao_dots, r->vao_lines,
                      r->vao_tip};
    GLuint bufs[7] = {r->vbo_surface, r->ibo_surface, r->vbo_corners, r->vbo_dots,
                      r->vbo_lines, r->vbo_tip, r->ibo_tip};
    glDeleteVertexArrays(5, vaos);
    glDeleteBuffers(7, bufs);
    rnd__line_list_free(&r->lines);
    rnd__clusters_free(&r->surface_clusters);
    rnd__clusters_free(&r->lod_clusters);
    sim_free(r);
}

/* ------------------------------------------------------------------------ */
/* Surface                                                                  */
/* ------------------------------------------------------------------------ */

/* Uploads a mesh (positions and normals interleaved, 32-bit indices sorted
 * by cluster, rnd_cluster.c) into a VAO; fills its clusters; widens the
 * bounds lo/hi. RND_ERR_NOMEM or RND_ERR_GL. */
static rnd_result rnd__upload_mesh(GLuint vao, GLuint vbo, GLuint ibo, const sim_mesh *m,
                                   double cell_mm, rnd__clusters *clusters, double lo[3],
                                   double hi[3])
{
    rnd__clusters_free(clusters);
    rnd_result crc = rnd__clusters_build(m, cell_mm, clusters);
    if (crc != RND_OK)
        return crc;
    float *v = sim_malloc((size_t)m->vertex_count * 6 * sizeof *v);
    if (!v)
        return RND_ERR_NOMEM;
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
    glBindVertexArray(vao);
    glBindBuffer(GL_ARRAY_BUFFER, vbo);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)((size_t)m->vertex_count * 6 * sizeof *v), v,
                 GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, 6 * sizeof(float), NULL);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, 6 * sizeof(float),
                          (const void *)(3 * sizeof(float)));
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ibo);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER,
                 (GLsizeiptr)((size_t)m->triangle_count * 3 * sizeof(uint32_t)), clusters->indices,
                 GL_STATIC_DRAW);
    sim_free(clusters->indices); /* the GPU has them; the ranges are kept */
    clusters->indices = NULL;
    glBindVertexArray(0);
    sim_free(v);
    GLenum e = rnd__gl_drain_errors();
    if (e != GL_NO_ERROR)
        return e == GL_OUT_OF_MEMORY ? RND_ERR_NOMEM : RND_ERR_GL;
    return RND_OK;
}

rnd_result rnd_renderer_set_surface(rnd_renderer *r, const sim_surface *surface)
{
    if (!r || !surface)
        return RND_ERR_ARG;
    const sim_mesh *m = &surface->mesh;
    if (!m->positions || !m->normals || !m->indices || m->vertex_count == 0 ||
        m->triangle_count == 0 || m->triangle_count > (uint32_t)(INT_MAX / 3))
        return RND_ERR_ARG;
    r->surface = NULL;
    r->surface_indices = r->lod_indices = 0;
    double lo[3] = {INFINITY, INFINITY, INFINITY};
    double hi[3] = {-INFINITY, -INFINITY, -INFINITY};
    rnd_result rc = rnd__upload_mesh(r->vao_surface, r->vbo_surface, r->ibo_surface, m,
                                     RND__CLUSTER_CELL_MM, &r->surface_clusters, lo, hi);
    if (rc != RND_OK)
        return rc;
    /* a fine head is also drawn through a coarser mesh on it (rnd_lod.c)
     * when its pixels are coarse enough not to see the difference */
    if (surface->kind == SIM_SURFACE_HEAD && m->triangle_count > RND__LOD_MAX_TRIANGLES) {
        sim_mesh lod;
        rc = rnd__display_mesh(surface, RND__LOD_CELLS, &lod);
        if (rc == RND_OK)
            rc = rnd__upload_mesh(r->vao_lod, r->vbo_lod, r->ibo_lod, &lod,
                                  RND__LOD_CLUSTER_CELL_MM, &r->lod_clusters, lo, hi);
        if (rc == RND_OK)
            r->lod_indices = (GLsizei)(lod.triangle_count * 3);
        sim_mesh_deinit(&lod);
        if (rc != RND_OK)
            return rc;
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
    return rnd__layer_set_surface(r->ink, surface);
}

void rnd_renderer_set_skin_tone(rnd_renderer *r, float red, float green, float blue)
{
    if (!r)
        return;
    float c[3] = {red, green, blue};
    for (int k = 0; k < 3; k++)
        r->skin[k] = (c[k] >= 0.0f && c[k] <= 1.0f) ? c[k] : (c[k] > 1.0f ? 1.0f : 0.0f);
    rnd__layer_set_skin(r->ink, r->skin, r->dot_path == RND_DOT_PATH_BAKED);
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
        rc = rnd__layer_set_dots(r->ink, dots, n);
    if (rc == RND_OK)
        r->dot_count = n;
    else
        rnd__layer_set_dots(r->ink, NULL, 0);
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
        rc = rnd__layer_add_dots(r->ink, dots, n);
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

static void rnd__draw_background(const rnd_renderer *r, const rnd_frame *f);

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

/* The background is the same every frame at a given size: it is drawn
 * once into a texture and copied into single-sampled framebuffers (a copy
 * costs a software rasteriser ~1 ms where drawing it cost ~2 ms). */
static void rnd__draw_background_cached(rnd_renderer *r, const rnd_frame *f)
{
    GLint draw_fbo = 0, read_fbo = 0, samples = 0;
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &draw_fbo);
    glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &read_fbo);
    glGetIntegerv(GL_SAMPLES, &samples);
    if (samples > 1) {
        rnd__draw_background(r, f);
        return;
    }
    if (r->bg_w != f->width || r->bg_h != f->height || !r->bg_fbo) {
        if (!r->bg_fbo) {
            glGenFramebuffers(1, &r->bg_fbo);
            glGenTextures(1, &r->bg_tex);
        }
        glBindTexture(GL_TEXTURE_2D, r->bg_tex);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, f->width, f->height, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, r->bg_fbo);
        glFramebufferTexture2D(GL_DRAW_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, r->bg_tex, 0);
        glViewport(0, 0, f->width, f->height);
        rnd__draw_background(r, f);
        glViewport(f->x, f->y, f->width, f->height);
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, (GLuint)draw_fbo);
        r->bg_w = f->width;
        r->bg_h = f->height;
    }
    glBindFramebuffer(GL_READ_FRAMEBUFFER, r->bg_fbo);
    glBlitFramebuffer(0, 0, f->width, f->height, f->x, f->y, f->x + f->width, f->y + f->height,
                      GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, (GLuint)read_fbo);
}

static void rnd__draw_background(const rnd_renderer *r, const rnd_frame *f)
{
    glDisable(GL_DEPTH_TEST);
    glDepthMask(GL_FALSE);
    glUseProgram(r->progs.prog[RND__PROG_BACKGROUND]);
    glUniform2f(r->progs.loc[RND__PROG_BACKGROUND][RND__U_VIEWPORT],
                (float)f->width, (float)f->height);
    glBindVertexArray(r->vao_empty);
    glDrawArrays(GL_TRIANGLES, 0, 6 * RND__BG_COLS * RND__BG_ROWS);
}

/* Draws the clusters of a mesh that are in view and face it, adjacent
 * ones in one call. */
static void rnd__draw_clusters(rnd_renderer *r, const rnd__clusters *cl, const rnd__view *v)
{
    float planes[6][4];
    rnd__frustum_planes(v->view_proj, planes);
    uint32_t first = 0, count = 0, drawn = 0;
    for (size_t i = 0; i <= cl->count; i++) {
        bool vis = i < cl->count &&
                   (r->no_culling || rnd__cluster_visible(&cl->items[i], planes, v->eye));
        if (vis && count > 0 && cl->items[i].first == first + count) {
            count += cl->items[i].count;
        } else {
            if (count > 0)
                glDrawElements(GL_TRIANGLES, (GLsizei)count, GL_UNSIGNED_INT,
                               (const void *)((size_t)first * sizeof(uint32_t)));
            first = vis ? cl->items[i].first : 0;
            count = vis ? cl->items[i].count : 0;
        }
        drawn += vis;
    }
    r->clusters_drawn = drawn;
}

static void rnd__draw_skin(rnd_renderer *r, const rnd__view *v,
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
    double focus_px = rnd__layer_focus_pixel_mm(r->ink);
    int variant = (r->surface->kind == SIM_SURFACE_HEAD ? RND__SKIN_HEAD : 0) |
                  (rnd__layer_levels(r->ink) > 0 ? RND__SKIN_LEVELS : 0) |
                  (focus_px > 0.0 && focus_px < RND__BUMP_MAX_PIXEL_MM ? RND__SKIN_BUMP : 0) |
                  (r->heat_alpha > 0.0f ? RND__SKIN_HEAT : 0);
    rnd__prog_id id = (rnd__prog_id)(RND__PROG_SKIN + variant);
    rnd__common_uniforms(r, id, v, l);
    const GLint *loc = r->progs.loc[id];
    glActiveTexture(GL_TEXTURE4);
    glBindTexture(GL_TEXTURE_2D, r->tex_heat);
    glActiveTexture(GL_TEXTURE0);
    glUniform1i(loc[RND__U_HEAT], 4);
    glUniform1f(loc[RND__U_HEAT_ALPHA], r->heat_alpha);
    rnd__layer_bind(r->ink, loc);
    /* the display mesh sits within ~0.07 mm of the skin: drawn only when a
     * pixel is coarser than that could show (tiny triangles are what a
     * software rasteriser pays for; close up, the triangles are big) */
    bool coarse = r->lod_indices > 0 &&
                  (focus_px <= 0.0 || focus_px > RND__LOD_MIN_PIXEL_MM);
    glBindVertexArray(coarse ? r->vao_lod : r->vao_surface);
    rnd__draw_clusters(r, coarse ? &r->lod_clusters : &r->surface_clusters, v);
    glDisable(GL_CULL_FACE);
}

static void rnd__draw_dots(const rnd_renderer *r, const rnd__view *v,
                           const rnd__lights *l)
{
    if (r->dot_count == 0 || r->dot_path != RND_DOT_PATH_INSTANCED)
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

/* One part of the machine: a cylinder along the axis from a to b mm above
 * the tip, of radius (mm; at least min_px pixels), in a colour. */
static void rnd__draw_part(const rnd_renderer *r, const rnd_frame *f, const rnd__view *v,
                           sim_vec3 axis, sim_vec3 side, sim_vec3 up, double a_mm, double b_mm,
                           double radius_mm, double min_px, const float rgba[4])
{
    sim_vec3 base = sim_v3_add(f->tip_mm, sim_v3_scale(axis, a_mm));
    double depth = (base.x - v->eye[0]) * v->forward[0] + (base.y - v->eye[1]) * v->forward[1] +
                   (base.z - v->eye[2]) * v->forward[2];
    double px = depth > 0 ? depth * v->pixel_mm_per_mm : 0.0;
    double rad = radius_mm > min_px * px ? radius_mm : min_px * px;
    double len = b_mm - a_mm;
    float model[16] = {(float)(side.x * rad), (float)(side.y * rad), (float)(side.z * rad), 0,
                       (float)(up.x * rad),   (float)(up.y * rad),   (float)(up.z * rad),   0,
                       (float)(axis.x * len), (float)(axis.y * len), (float)(axis.z * len), 0,
                       (float)base.x,         (float)base.y,         (float)base.z,         1};
    const GLint *loc = r->progs.loc[RND__PROG_TIP];
    glUniformMatrix4fv(loc[RND__U_MODEL], 1, GL_FALSE, model);
    glUniform4fv(loc[RND__U_COLOR], 1, rgba);
    glDrawArrays(GL_TRIANGLES, 0, RND__CYL_SEGMENTS * 6);
}

/* The needle, the cartridge and the machine's grip above the tip, and a
 * soft shadow on the skin under them (the key lamp is near the camera, so
 * the shadow falls a little away from the viewer). */
static void rnd__draw_machine(const rnd_renderer *r, const rnd_frame *f, const rnd__view *v,
                              const rnd__lights *l)
{
    if (!f->show_needle || !f->show_tip)
        return;
    sim_vec3 axis = sim_v3_normalize(f->needle_axis);
    if (sim_v3_len2(axis) < 0.5)
        return;
    sim_vec3 a = fabs(axis.x) < 0.9 ? sim_v3(1, 0, 0) : sim_v3(0, 1, 0);
    sim_vec3 side = sim_v3_normalize(sim_v3_cross(a, axis)), up = sim_v3_cross(axis, side);
    /* shadow: a soft dot on the skin, pushed away from the key lamp */
    sim_vec3 key = sim_v3(l->key[0], l->key[1], l->key[2]);
    sim_vec3 away = sim_v3_sub(sim_v3_scale(axis, sim_v3_dot(key, axis)), key);
    rnd_dot sh;
    memset(&sh, 0, sizeof sh);
    sim_vec3 c = sim_v3_add(f->tip_mm, sim_v3_scale(away, RND__SHADOW_OFFSET_MM));
    sh.pos[0] = (float)c.x, sh.pos[1] = (float)c.y, sh.pos[2] = (float)c.z;
    sh.normal[0] = (float)axis.x, sh.normal[1] = (float)axis.y, sh.normal[2] = (float)axis.z;
    sh.diameter_mm = (float)RND__SHADOW_MM;
    sh.edge_mm = (float)(0.8 * RND__SHADOW_MM);
    sh.rgba[3] = RND__SHADOW_ALPHA;
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LEQUAL);
    glDepthMask(GL_FALSE);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ZERO, GL_ONE);
    glEnable(GL_POLYGON_OFFSET_FILL);
    glPolygonOffset(-1.0f, -4.0f);
    rnd__common_uniforms(r, RND__PROG_DOTS, v, l);
    glUniform1f(r->progs.loc[RND__PROG_DOTS][RND__U_LIFT_MM], RND__DOT_LIFT_MM);
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo_shadow);
    glBufferSubData(GL_ARRAY_BUFFER, 0, sizeof sh, &sh);
    glBindVertexArray(r->vao_shadow);
    glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, 1);
    glDisable(GL_POLYGON_OFFSET_FILL);
    /* the parts: solid where seen, ghosted under the skin */
    rnd__common_uniforms(r, RND__PROG_TIP, v, l);
    glUniform3f(r->progs.loc[RND__PROG_TIP][RND__U_NORMAL_MASK], 1.0f, 1.0f, 0.0f);
    glBindVertexArray(r->vao_cyl);
    static const float steel[4] = {0.78f, 0.80f, 0.84f, 1.0f};
    static const float steel_ghost[4] = {0.78f, 0.80f, 0.84f, RND__TIP_GHOST_ALPHA};
    /* the cartridge and grip see-through: the work under them stays in view */
    static const float cartridge[4] = {0.90f, 0.92f, 0.95f, 0.55f};
    static const float grip[4] = {0.17f, 0.18f, 0.21f, 0.38f};
    glDisable(GL_BLEND);
    glDepthMask(GL_TRUE);
    glDepthFunc(GL_LESS);
    rnd__draw_part(r, f, v, axis, side, up, 0.0, RND__NEEDLE_MM, RND__NEEDLE_RADIUS_MM, 0.6, steel);
    glEnable(GL_BLEND);
    glDepthMask(GL_FALSE);
    glDepthFunc(GL_GREATER); /* the needle in the skin: ghosted */
    rnd__draw_part(r, f, v, axis, side, up, 0.0, RND__NEEDLE_MM, RND__NEEDLE_RADIUS_MM, 0.6, steel_ghost);
    glDepthFunc(GL_LESS);
    rnd__draw_part(r, f, v, axis, side, up, RND__CARTRIDGE_MM, RND__GRIP_MM, 8.5, 0.0, grip);
    rnd__draw_part(r, f, v, axis, side, up, RND__NEEDLE_MM, RND__CARTRIDGE_MM, 3.2, 0.0, cartridge);
    glDepthFunc(GL_LESS);
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
    glUniform3f(loc[RND__U_NORMAL_MASK], 1.0f, 1.0f, 1.0f);
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

    rnd__layer_update(r->ink, r->surface ? &v : NULL);
    glViewport(f->x, f->y, f->width, f->height);
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
    glDepthMask(GL_TRUE);
    glClearColor(0.055f, 0.058f, 0.066f, 1.0f);
    glClearDepth(1.0);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);

    rnd__draw_background_cached(r, f);
    rnd__draw_skin(r, &v, &l);
    rnd__draw_dots(r, &v, &l);
    rnd__draw_overlays(r, f, &v, &l);
    rnd__draw_machine(r, f, &v, &l);
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

rnd_result rnd_renderer_set_heatmap(rnd_renderer *r, const rnd_heatmap *hm, float opacity)
{
    if (!r)
        return RND_ERR_ARG;
    if (!hm || !hm->rgba || hm->size < 1 || !(opacity > 0.0f)) {
        r->heat_alpha = 0.0f;
        return RND_OK;
    }
    /* premultiplied, so filtering toward transparent texels keeps hues */
    size_t n = (size_t)hm->size * (size_t)hm->size;
    uint8_t *pm = sim_malloc(n * 4);
    if (!pm)
        return RND_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        unsigned a = hm->rgba[4 * i + 3];
        for (int k = 0; k < 3; k++)
            pm[4 * i + k] = (uint8_t)((hm->rgba[4 * i + k] * a + 127) / 255);
        pm[4 * i + 3] = (uint8_t)a;
    }
    rnd__gl_drain_errors();
    glBindTexture(GL_TEXTURE_2D, r->tex_heat);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, hm->size, hm->size, 0, GL_RGBA, GL_UNSIGNED_BYTE, pm);
    glBindTexture(GL_TEXTURE_2D, 0);
    sim_free(pm);
    GLenum e = rnd__gl_drain_errors();
    if (e != GL_NO_ERROR) {
        r->heat_alpha = 0.0f;
        return e == GL_OUT_OF_MEMORY ? RND_ERR_NOMEM : RND_ERR_GL;
    }
    r->heat_alpha = opacity > 1.0f ? 1.0f : opacity;
    return RND_OK;
}

void rnd_renderer_draw_empty(rnd_renderer *r, int width, int height)
{
    if (!r || width < 1 || height < 1)
        return;
    rnd_frame f;
    memset(&f, 0, sizeof f);
    f.width = width;
    f.height = height;
    glViewport(0, 0, width, height);
    glDisable(GL_SCISSOR_TEST);
    glDepthMask(GL_TRUE);
    glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    rnd__draw_background_cached(r, &f);
    glBindVertexArray(0);
    glUseProgram(0);
}

rnd_result rnd_read_screen(int width, int height, uint8_t *rgba)
{
    if (width < 1 || height < 1 || !rgba)
        return RND_ERR_ARG;
    rnd__gl_drain_errors();
    glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    glReadBuffer(GL_BACK);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    if (rnd__gl_drain_errors() != GL_NO_ERROR)
        return RND_ERR_GL;
    size_t stride = (size_t)width * 4;
    for (int y = 0; y < height / 2; y++) {
        uint8_t *a = rgba + (size_t)y * stride, *b = rgba + (size_t)(height - 1 - y) * stride;
        for (size_t i = 0; i < stride; i++) {
            uint8_t t = a[i];
            a[i] = b[i];
            b[i] = t;
        }
    }
    return RND_OK;
}

void rnd_renderer_set_dot_path(rnd_renderer *r, rnd_dot_path path)
{
    if (r && (path == RND_DOT_PATH_BAKED || path == RND_DOT_PATH_INSTANCED)) {
        r->dot_path = path;
        rnd__layer_set_skin(r->ink, r->skin, path == RND_DOT_PATH_BAKED);
    }
}

rnd_dot_path rnd_renderer_dot_path(const rnd_renderer *r)
{
    return r ? r->dot_path : RND_DOT_PATH_BAKED;
}

void rnd_renderer_get_stats(const rnd_renderer *r, rnd_renderer_stats *out)
{
    if (!out)
        return;
    memset(out, 0, sizeof *out);
    if (!r)
        return;
    rnd__layer_stats s;
    rnd__layer_get_stats(r->ink, &s);
    out->dots = r->dot_count;
    out->dots_baked = s.dots_baked;
    out->detail_levels = s.levels_active;
    out->whole_bakes = s.full_bakes;
    out->level_bakes = s.level_bakes;
    out->add_bakes = s.add_bakes;
    out->clusters_drawn = r->clusters_drawn;
}

void rnd__renderer_set_culling(rnd_renderer *r, bool enabled)
{
    if (r)
        r->no_culling = !enabled;
}
