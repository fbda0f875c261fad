/* rnd_layer.c: the skin layer: the skin's albedo and relief, with every
 * placed dot's ink composited in, baked into textures in chart space, so
 * the skin shader makes one texture fetch per pixel and a frame costs the
 * same with 100 or 100,000 dots.
 *
 * What is baked, once, by two programs:
 *  - the fill program writes the skin: albedo (the tone, blotches, blood
 *    flush, mottle, pores, grain from rnd_noise.c's tileable textures,
 *    prefiltered by their mipmaps at the texel's footprint) and the relief
 *    height for bump mapping;
 *  - the bake program draws each dot over it: a quad in chart space through
 *    the chart's local Jacobian (a round dot on the skin is an ellipse in
 *    the chart), with the shape, irregularity and sub-texel handling of the
 *    screen's dot program, blended over the albedo in linear light (the
 *    textures are sRGB: dark ink keeps its precision in 8 bits) and leaving
 *    the relief alone.
 * Where:
 *  - the whole-surface layer: RND__LAYER_SIZE^2 texels with mipmaps over the
 *    chart square of the surface;
 *  - detail levels near the camera (a clipmap): level m has texels 2^-m the
 *    whole layer's and covers RND__LAYER_DETAIL_SIZE of them around the
 *    chart point under the view's centre, snapped to an eighth of its
 *    extent, so a level is baked again only when the view moves that far or
 *    zooms past it. Levels are cached by (m, origin): zooming back and forth
 *    re-uses them.
 * The skin shader samples the finest level that holds a fragment at its
 * pixel's footprint (blending two, like trilinear filtering), down to the
 * mipmapped whole layer: dots stay crisp from the whole head to the loupe.
 *
 * New dots are drawn into every mip level and every cached level they touch
 * (no mipmap regeneration); a whole bake fills and draws level 0 and
 * generates the mipmaps. A uniform grid over the chart
 * (RND__LAYER_GRID_CELL_MM) finds the dots a detail level needs; they are
 * drawn in the order they were placed, as in the whole layer, so
 * overlapping dots composite the same everywhere.
 *
 * Threads: the GL thread only. Ownership: the layer owns its GL objects and
 * its copies of the dots; it borrows the surface, the programs and the
 * detail noise textures. Allocation: only when dots are added beyond
 * capacity or a level needs more scratch than before; never per frame
 * otherwise.
 */
#include "rnd_internal.h"

#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */
/* ------------------------------------------------------------------------ */

#define RND__LAYER_JAC_STEP_MM 0.01      /* finite difference for the Jacobian */
#define RND__LAYER_MIN_CAPACITY 1024
#define RND__LAYER_LEVEL_SNAPS 8          /* a level moves in eighths of itself */
#define RND__LAYER_SHARP 2.0              /* levels keep texels under half a pixel */

typedef struct rnd__layer_level {
    bool valid;              /* baked for (origin) at texel level m */
    double origin[2];        /* chart mm, lower corner */
    double extent_mm;        /* chart mm covered (square) */
} rnd__layer_level;

struct rnd__layer {
    const rnd__programs *progs;      /* borrowed */
    const sim_surface *surface;      /* borrowed; NULL until set */
    GLuint tex_fine, tex_coarse;     /* borrowed: the skin's detail noise */
    float skin[3];                   /* linear albedo */
    bool show_dots;                  /* false: skin only (the naive path) */

    /* chart domain of the whole layer: a square */
    double origin[2], size_mm, texel_mm;

    /* GL */
    GLuint tex_whole, tex_detail, fbo;
    int mips;                        /* mip levels of tex_whole */
    GLuint vao, vbo_corners, vbo_all, vbo_sub, vao_empty;
    size_t all_capacity, sub_capacity;   /* instances the GPU buffers hold */

    /* dots: the drawable source, their baked form, the grid */
    rnd_dot *src;
    rnd__layer_dot *dots;
    int32_t *next;                   /* grid chain, per dot */
    size_t count, capacity;
    size_t baked;                    /* dots [0, baked) are in the textures */
    bool whole_dirty;                /* the whole layer needs a full bake */
    double max_radius_chart_mm;      /* the largest dot's reach in the chart */
    int32_t *heads;                  /* grid: first dot per cell, -1 empty */
    int grid_n;                      /* cells per side */
    double cell_mm;

    /* scratch for level bakes */
    int32_t *idx;
    rnd__layer_dot *sub;
    size_t scratch_capacity;

    /* detail levels: index m-1 for level m */
    rnd__layer_level levels[RND__LAYER_LEVELS];
    int active;                      /* levels 1..active in use this frame */
    double focus_pixel_mm;           /* a pixel at the view's centre, chart mm
                                        (0: the centre misses the surface) */
    float region[4];                 /* the target: chart origin, 1 / extent */
    float region_texel_mm;

    rnd__layer_stats stats;
};

/* ------------------------------------------------------------------------ */
/* Chart helpers (pure CPU)                                                 */
/* ------------------------------------------------------------------------ */

sim_vec2 rnd__chart(const sim_surface *surface, sim_vec3 p)
{
    if (surface && surface->kind == SIM_SURFACE_HEAD)
        return sim_chart_head(p);
    return sim_v2(p.x, p.y);
}

/* The tangent frame the dot programs build from a normal (GLSL:
 * t = normalize(cross(a, n)), b = cross(n, t)). */
static void rnd__tangent_frame(sim_vec3 n, sim_vec3 *t, sim_vec3 *b)
{
    sim_vec3 a = fabs(n.x) < 0.9 ? sim_v3(1, 0, 0) : sim_v3(0, 1, 0);
    *t = sim_v3_normalize(sim_v3_cross(a, n));
    *b = sim_v3_cross(n, *t);
}

void rnd__elongation(const rnd_dot *src, sim_vec3 t, sim_vec3 b, float out[3])
{
    out[0] = 1.0f, out[1] = 0.0f, out[2] = 1.0f;
    double len = isfinite(src->length_mm) ? src->length_mm : 0.0;
    if (!(src->diameter_mm > 0.0f) || len <= src->diameter_mm)
        return;
    sim_vec3 dir = sim_v3(src->direction[0], src->direction[1], src->direction[2]);
    double x = sim_v3_dot(dir, t), y = sim_v3_dot(dir, b), l = hypot(x, y);
    if (!(l > 1e-6))
        return;
    double ratio = len / src->diameter_mm;
    out[0] = (float)(x / l), out[1] = (float)(y / l);
    out[2] = (float)(ratio > RND__MAX_ELONGATION ? RND__MAX_ELONGATION : ratio);
}

void rnd__layer_dot_from(const sim_surface *surface, const rnd_dot *src, rnd__layer_dot *d)
{
    sim_vec3 p = sim_v3(src->pos[0], src->pos[1], src->pos[2]);
    sim_vec3 n = sim_v3_normalize(sim_v3(src->normal[0], src->normal[1], src->normal[2]));
    if (sim_v3_len2(n) == 0.0)
        n = sim_v3(0, 0, 1);
    sim_vec3 t, b;
    rnd__tangent_frame(n, &t, &b);
    sim_vec2 c = rnd__chart(surface, p);
    double h = RND__LAYER_JAC_STEP_MM;
    sim_vec2 tp = rnd__chart(surface, sim_v3_add(p, sim_v3_scale(t, h)));
    sim_vec2 tm = rnd__chart(surface, sim_v3_sub(p, sim_v3_scale(t, h)));
    sim_vec2 bp = rnd__chart(surface, sim_v3_add(p, sim_v3_scale(b, h)));
    sim_vec2 bm = rnd__chart(surface, sim_v3_sub(p, sim_v3_scale(b, h)));
    memcpy(d->pos, src->pos, sizeof d->pos);
    d->chart[0] = (float)c.x;
    d->chart[1] = (float)c.y;
    d->jac[0] = (float)((tp.x - tm.x) / (2.0 * h));
    d->jac[1] = (float)((tp.y - tm.y) / (2.0 * h));
    d->jac[2] = (float)((bp.x - bm.x) / (2.0 * h));
    d->jac[3] = (float)((bp.y - bm.y) / (2.0 * h));
    for (int k = 0; k < 4; k++)
        if (!isfinite(d->jac[k]))
            d->jac[k] = 0.0f;  /* degenerate chart (the antipode): a point */
    d->size[0] = isfinite(src->diameter_mm) && src->diameter_mm > 0 ? src->diameter_mm : 0.0f;
    d->size[1] = isfinite(src->edge_mm) && src->edge_mm > 0 ? src->edge_mm : 0.0f;
    memcpy(d->rgba, src->rgba, sizeof d->rgba);
    rnd__elongation(src, t, b, d->elong);
}

/* How far a dot reaches in the chart from its centre (its quad's corner). */
static double rnd__reach_chart_mm(const rnd__layer_dot *d)
{
    double col0 = hypot(d->jac[0], d->jac[1]), col1 = hypot(d->jac[2], d->jac[3]);
    double s = col0 > col1 ? col0 : col1;
    double half = (1.1 * 0.5 * d->size[0] + 0.5 * d->size[1]) * (d->elong[2] > 1.0f ? d->elong[2] : 1.0f);
    /* the quad grows to a texel for tiny dots: allow two whole-layer texels */
    return 1.5 * s * half;
}

/* ------------------------------------------------------------------------ */
/* Setup                                                                    */
/* ------------------------------------------------------------------------ */

/* Points the VAO's per-instance attributes at `vbo`, starting at instance
 * `first` (GL 3.3 has no base instance: the offset does it). */
static void rnd__layer_attribs(rnd__layer *ink, GLuint vbo, size_t first)
{
    glBindVertexArray(ink->vao);
    glBindBuffer(GL_ARRAY_BUFFER, vbo);
    GLsizei stride = (GLsizei)sizeof(rnd__layer_dot);
    size_t base = first * sizeof(rnd__layer_dot);
    glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, stride,
                          (const void *)(base + offsetof(rnd__layer_dot, pos)));
    glVertexAttribPointer(2, 2, GL_FLOAT, GL_FALSE, stride,
                          (const void *)(base + offsetof(rnd__layer_dot, chart)));
    glVertexAttribPointer(3, 4, GL_FLOAT, GL_FALSE, stride,
                          (const void *)(base + offsetof(rnd__layer_dot, jac)));
    glVertexAttribPointer(4, 2, GL_FLOAT, GL_FALSE, stride,
                          (const void *)(base + offsetof(rnd__layer_dot, size)));
    glVertexAttribPointer(5, 4, GL_FLOAT, GL_FALSE, stride,
                          (const void *)(base + offsetof(rnd__layer_dot, rgba)));
    glVertexAttribPointer(6, 3, GL_FLOAT, GL_FALSE, stride,
                          (const void *)(base + offsetof(rnd__layer_dot, elong)));
}

rnd_result rnd__layer_create(rnd__layer **out, const rnd__programs *progs, GLuint tex_fine,
                             GLuint tex_coarse, sim_error *err)
{
    *out = NULL;
    rnd__layer *ink = sim_calloc(1, sizeof *ink);
    if (!ink)
        return (rnd_result)sim_error_set(err, RND_ERR_NOMEM, NULL, 0, 0,
                                         "out of memory for the ink layer");
    ink->progs = progs;
    ink->tex_fine = tex_fine;
    ink->tex_coarse = tex_coarse;
    ink->skin[0] = RND_SKIN_DEFAULT_R;
    ink->skin[1] = RND_SKIN_DEFAULT_G;
    ink->skin[2] = RND_SKIN_DEFAULT_B;
    ink->show_dots = true;
    glGenVertexArrays(1, &ink->vao_empty);
    static const float corners[8] = {-1, -1, 1, -1, -1, 1, 1, 1};
    glGenVertexArrays(1, &ink->vao);
    glGenBuffers(1, &ink->vbo_corners);
    glGenBuffers(1, &ink->vbo_all);
    glGenBuffers(1, &ink->vbo_sub);
    glGenFramebuffers(1, &ink->fbo);
    glBindVertexArray(ink->vao);
    glBindBuffer(GL_ARRAY_BUFFER, ink->vbo_corners);
    glBufferData(GL_ARRAY_BUFFER, sizeof corners, corners, GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), NULL);
    for (GLuint i = 1; i <= 6; i++) {
        glEnableVertexAttribArray(i);
        glVertexAttribDivisor(i, 1);
    }
    rnd__layer_attribs(ink, ink->vbo_all, 0);
    glBindVertexArray(0);
    *out = ink;
    return RND_OK;
}

void rnd__layer_destroy(rnd__layer *ink)
{
    if (!ink)
        return;
    GLuint bufs[3] = {ink->vbo_corners, ink->vbo_all, ink->vbo_sub};
    glDeleteBuffers(3, bufs);
    glDeleteVertexArrays(1, &ink->vao);
    glDeleteVertexArrays(1, &ink->vao_empty);
    glDeleteFramebuffers(1, &ink->fbo);
    GLuint tex[2] = {ink->tex_whole, ink->tex_detail};
    glDeleteTextures(2, tex);
    sim_free(ink->src);
    sim_free(ink->dots);
    sim_free(ink->next);
    sim_free(ink->heads);
    sim_free(ink->idx);
    sim_free(ink->sub);
    sim_free(ink);
}

/* Makes the textures once (their size does not depend on the surface). */
static rnd_result rnd__layer_textures(rnd__layer *ink)
{
    if (ink->tex_whole)
        return RND_OK;
    rnd__gl_drain_errors();
    glGenTextures(1, &ink->tex_whole);
    glBindTexture(GL_TEXTURE_2D, ink->tex_whole);
    int mips = 0;
    for (int s = RND__LAYER_SIZE; s >= 1; s /= 2, mips++)
        glTexImage2D(GL_TEXTURE_2D, mips, GL_SRGB8_ALPHA8, s, s, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                     NULL);
    ink->mips = mips;
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_BASE_LEVEL, 0);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, mips - 1);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR_MIPMAP_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);

    glGenTextures(1, &ink->tex_detail);
    glBindTexture(GL_TEXTURE_2D_ARRAY, ink->tex_detail);
    glTexImage3D(GL_TEXTURE_2D_ARRAY, 0, GL_SRGB8_ALPHA8, RND__LAYER_DETAIL_SIZE, RND__LAYER_DETAIL_SIZE,
                 RND__LAYER_LEVELS, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    glTexParameteri(GL_TEXTURE_2D_ARRAY, GL_TEXTURE_MAX_LEVEL, 0);
    glTexParameteri(GL_TEXTURE_2D_ARRAY, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D_ARRAY, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D_ARRAY, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D_ARRAY, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    GLenum e = rnd__gl_drain_errors();
    if (e != GL_NO_ERROR) {
        GLuint tex[2] = {ink->tex_whole, ink->tex_detail};
        glDeleteTextures(2, tex);
        ink->tex_whole = ink->tex_detail = 0;
        return e == GL_OUT_OF_MEMORY ? RND_ERR_NOMEM : RND_ERR_GL;
    }
    return RND_OK;
}

/* ------------------------------------------------------------------------ */
/* Dots and grid                                                            */
/* ------------------------------------------------------------------------ */

static int rnd__cell_of(const rnd__layer *ink, double x, double origin)
{
    double c = floor((x - origin) / ink->cell_mm);
    if (!(c >= 0.0))
        return 0;
    return c >= ink->grid_n ? ink->grid_n - 1 : (int)c;
}

static void rnd__grid_insert(rnd__layer *ink, size_t i)
{
    if (!ink->heads)
        return;
    const rnd__layer_dot *d = &ink->dots[i];
    int cx = rnd__cell_of(ink, d->chart[0], ink->origin[0]);
    int cy = rnd__cell_of(ink, d->chart[1], ink->origin[1]);
    size_t cell = (size_t)cy * (size_t)ink->grid_n + (size_t)cx;
    ink->next[i] = ink->heads[cell];
    ink->heads[cell] = (int32_t)i;
}

/* Converts dots [first, count) and files them in the grid. */
static void rnd__layer_convert(rnd__layer *ink, size_t first)
{
    for (size_t i = first; i < ink->count; i++) {
        rnd__layer_dot_from(ink->surface, &ink->src[i], &ink->dots[i]);
        double reach = rnd__reach_chart_mm(&ink->dots[i]);
        if (reach > ink->max_radius_chart_mm)
            ink->max_radius_chart_mm = reach;
        rnd__grid_insert(ink, i);
    }
}

static rnd_result rnd__layer_reserve(rnd__layer *ink, size_t need)
{
    if (need <= ink->capacity)
        return RND_OK;
    if (need > (size_t)INT32_MAX)
        return RND_ERR_NOMEM;
    size_t cap = ink->capacity ? ink->capacity : RND__LAYER_MIN_CAPACITY;
    while (cap < need)
        cap *= 2;
    rnd_dot *src = sim_realloc(ink->src, cap * sizeof *src);
    if (!src)
        return RND_ERR_NOMEM;
    ink->src = src;
    rnd__layer_dot *dots = sim_realloc(ink->dots, cap * sizeof *dots);
    if (!dots)
        return RND_ERR_NOMEM;
    ink->dots = dots;
    int32_t *next = sim_realloc(ink->next, cap * sizeof *next);
    if (!next)
        return RND_ERR_NOMEM;
    ink->next = next;
    ink->capacity = cap;
    return RND_OK;
}

/* Uploads dots [first, count) to vbo_all (growing it, keeping the rest). */
static rnd_result rnd__layer_upload(rnd__layer *ink, size_t first)
{
    size_t n = ink->count - first;
    if (n == 0)
        return RND_OK;
    rnd__gl_drain_errors();
    if (ink->count > ink->all_capacity) {
        size_t cap = ink->all_capacity ? ink->all_capacity : RND__LAYER_MIN_CAPACITY;
        while (cap < ink->count)
            cap *= 2;
        glBindBuffer(GL_ARRAY_BUFFER, ink->vbo_all);
        glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(cap * sizeof(rnd__layer_dot)), NULL,
                     GL_STATIC_DRAW);
        ink->all_capacity = cap;
        first = 0; /* the old contents are gone: upload everything */
        n = ink->count;
    }
    glBindBuffer(GL_ARRAY_BUFFER, ink->vbo_all);
    glBufferSubData(GL_ARRAY_BUFFER, (GLintptr)(first * sizeof(rnd__layer_dot)),
                    (GLsizeiptr)(n * sizeof(rnd__layer_dot)), ink->dots + first);
    GLenum e = rnd__gl_drain_errors();
    if (e != GL_NO_ERROR) {
        ink->all_capacity = 0;
        return e == GL_OUT_OF_MEMORY ? RND_ERR_NOMEM : RND_ERR_GL;
    }
    return RND_OK;
}

static void rnd__layer_invalidate_levels(rnd__layer *ink)
{
    for (int m = 0; m < RND__LAYER_LEVELS; m++)
        ink->levels[m].valid = false;
}

/* Re-files every dot for the current surface and domain. */
static rnd_result rnd__layer_refile(rnd__layer *ink)
{
    if (!ink->surface)
        return RND_OK;
    if (ink->heads)
        for (size_t c = 0; c < (size_t)ink->grid_n * (size_t)ink->grid_n; c++)
            ink->heads[c] = -1;
    ink->max_radius_chart_mm = 0.0;
    rnd__layer_convert(ink, 0);
    ink->baked = 0;
    ink->whole_dirty = true;
    rnd__layer_invalidate_levels(ink);
    return rnd__layer_upload(ink, 0);
}

rnd_result rnd__layer_set_surface(rnd__layer *ink, const sim_surface *surface)
{
    rnd_result rc = rnd__layer_textures(ink);
    if (rc != RND_OK)
        return rc;
    rnd_chart_domain(surface, ink->origin, &ink->size_mm);
    ink->texel_mm = ink->size_mm / RND__LAYER_SIZE;
    int n = (int)ceil(ink->size_mm / RND__LAYER_GRID_CELL_MM);
    n = n < 1 ? 1 : n;
    if (n != ink->grid_n || !ink->heads) {
        int32_t *heads = sim_malloc((size_t)n * (size_t)n * sizeof *heads);
        if (!heads)
            return RND_ERR_NOMEM;
        sim_free(ink->heads);
        ink->heads = heads;
        ink->grid_n = n;
    }
    ink->cell_mm = ink->size_mm / n;
    ink->surface = surface;
    return rnd__layer_refile(ink);
}

void rnd__layer_set_skin(rnd__layer *ink, const float rgb[3], bool show_dots)
{
    if (ink->skin[0] == rgb[0] && ink->skin[1] == rgb[1] && ink->skin[2] == rgb[2] &&
        ink->show_dots == show_dots)
        return;
    memcpy(ink->skin, rgb, sizeof ink->skin);
    ink->show_dots = show_dots;
    ink->whole_dirty = true;
    rnd__layer_invalidate_levels(ink);
}

rnd_result rnd__layer_set_dots(rnd__layer *ink, const rnd_dot *dots, size_t n)
{
    rnd_result rc = rnd__layer_reserve(ink, n);
    if (rc != RND_OK)
        return rc;
    if (n > 0)
        memcpy(ink->src, dots, n * sizeof *dots);
    ink->count = n;
    return rnd__layer_refile(ink);
}

rnd_result rnd__layer_add_dots(rnd__layer *ink, const rnd_dot *dots, size_t n)
{
    if (n > SIZE_MAX - ink->count)
        return RND_ERR_NOMEM;
    rnd_result rc = rnd__layer_reserve(ink, ink->count + n);
    if (rc != RND_OK)
        return rc;
    size_t first = ink->count;
    if (n > 0)
        memcpy(ink->src + first, dots, n * sizeof *dots);
    ink->count += n;
    if (!ink->surface)
        return RND_OK;
    rnd__layer_convert(ink, first);
    return rnd__layer_upload(ink, first);
}

/* ------------------------------------------------------------------------ */
/* Baking                                                                   */
/* ------------------------------------------------------------------------ */

/* Targets the FBO at a texture level or an array layer and sets the bake
 * program's region (chart origin and extent) and texel size. */
/* Targets the FBO at a texture level or an array layer covering the chart
 * square (origin, extent_mm) with texels^2 texels. */
static void rnd__layer_target(rnd__layer *ink, bool detail, int level_or_layer,
                              const double origin[2], double extent_mm, int texels)
{
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, ink->fbo);
    if (detail)
        glFramebufferTextureLayer(GL_DRAW_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, ink->tex_detail, 0,
                                  level_or_layer);
    else
        glFramebufferTexture2D(GL_DRAW_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D,
                               ink->tex_whole, level_or_layer);
    glViewport(0, 0, texels, texels);
    ink->region[0] = (float)origin[0];
    ink->region[1] = (float)origin[1];
    ink->region[2] = (float)(1.0 / extent_mm);
    ink->region[3] = (float)(1.0 / extent_mm);
    ink->region_texel_mm = (float)(extent_mm / texels);
}

/* Writes the bare skin over the whole target (no blending). */
static void rnd__layer_fill(rnd__layer *ink)
{
    const GLint *loc = ink->progs->loc[RND__PROG_FILL];
    glUseProgram(ink->progs->prog[RND__PROG_FILL]);
    glUniform4fv(loc[RND__U_REGION], 1, ink->region);
    glUniform1f(loc[RND__U_TEXEL_MM], ink->region_texel_mm);
    glUniform3fv(loc[RND__U_SKIN], 1, ink->skin);
    glUniform4f(loc[RND__U_DOMAIN], (float)ink->origin[0], (float)ink->origin[1],
                (float)ink->size_mm, (float)ink->size_mm);
    glUniform1f(loc[RND__U_DOMAIN_INV], (float)(1.0 / ink->size_mm));
    glUniform1i(loc[RND__U_DETAIL], 0);
    glUniform1i(loc[RND__U_BLOT], 1);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, ink->tex_fine);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, ink->tex_coarse);
    glActiveTexture(GL_TEXTURE0);
    glDisable(GL_BLEND);
    glBindVertexArray(ink->vao_empty);
    glDrawArrays(GL_TRIANGLES, 0, 3);
}

/* Draws dots [first, first + n) of `vbo` over the target's albedo (linear
 * blending into the sRGB texture; the relief in alpha is kept). */
static void rnd__layer_draw(rnd__layer *ink, GLuint vbo, size_t first, size_t n)
{
    if (n == 0 || n > (size_t)INT_MAX || !ink->show_dots)
        return;
    const GLint *loc = ink->progs->loc[RND__PROG_BAKE];
    glUseProgram(ink->progs->prog[RND__PROG_BAKE]);
    glUniform4fv(loc[RND__U_REGION], 1, ink->region);
    glUniform1f(loc[RND__U_TEXEL_MM], ink->region_texel_mm);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ZERO, GL_ONE);
    rnd__layer_attribs(ink, vbo, first);
    glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, (GLsizei)n);
}

/* Bakes the whole layer: skin and every dot into level 0, then mipmaps. */
static void rnd__layer_bake_whole(rnd__layer *ink)
{
    rnd__layer_target(ink, false, 0, ink->origin, ink->size_mm, RND__LAYER_SIZE);
    rnd__layer_fill(ink);
    rnd__layer_draw(ink, ink->vbo_all, 0, ink->count);
    glBindTexture(GL_TEXTURE_2D, ink->tex_whole);
    glGenerateMipmap(GL_TEXTURE_2D);
    ink->stats.full_bakes++;
}

static bool rnd__level_overlaps(const rnd__layer_level *l, const rnd__layer_dot *d, double reach)
{
    return d->chart[0] + reach >= l->origin[0] && d->chart[0] - reach <= l->origin[0] + l->extent_mm &&
           d->chart[1] + reach >= l->origin[1] && d->chart[1] - reach <= l->origin[1] + l->extent_mm;
}

/* Bakes dots [first, count) into every mip level and every cached detail
 * level they touch. */
static void rnd__layer_bake_new(rnd__layer *ink, size_t first)
{
    size_t n = ink->count - first;
    for (int lv = 0; lv < ink->mips; lv++)
        if ((RND__LAYER_SIZE >> lv) >= 1) {
            rnd__layer_target(ink, false, lv, ink->origin, ink->size_mm, RND__LAYER_SIZE >> lv);
            rnd__layer_draw(ink, ink->vbo_all, first, n);
        }
    for (int m = 1; m <= RND__LAYER_LEVELS; m++) {
        rnd__layer_level *l = &ink->levels[m - 1];
        if (!l->valid)
            continue;
        bool any = false;
        for (size_t i = first; i < ink->count && !any; i++)
            any = rnd__level_overlaps(l, &ink->dots[i], ink->max_radius_chart_mm);
        if (!any)
            continue;
        rnd__layer_target(ink, true, m - 1, l->origin, l->extent_mm, RND__LAYER_DETAIL_SIZE);
        rnd__layer_draw(ink, ink->vbo_all, first, n);
    }
    ink->stats.add_bakes++;
}

static int rnd__cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static bool rnd__layer_scratch(rnd__layer *ink, size_t need)
{
    if (need <= ink->scratch_capacity)
        return true;
    size_t cap = ink->scratch_capacity ? ink->scratch_capacity : RND__LAYER_MIN_CAPACITY;
    while (cap < need)
        cap *= 2;
    int32_t *idx = sim_realloc(ink->idx, cap * sizeof *idx);
    if (!idx)
        return false;
    ink->idx = idx;
    rnd__layer_dot *sub = sim_realloc(ink->sub, cap * sizeof *sub);
    if (!sub)
        return false;
    ink->sub = sub;
    ink->scratch_capacity = cap;
    return true;
}

/* Bakes detail level m (1-based) at `origin`. False when out of memory
 * (the level stays invalid and the coarser layers show instead). */
static bool rnd__layer_bake_level(rnd__layer *ink, int m, const double origin[2], double extent_mm)
{
    rnd__layer_level *l = &ink->levels[m - 1];
    l->valid = false;
    l->origin[0] = origin[0];
    l->origin[1] = origin[1];
    l->extent_mm = extent_mm;
    /* gather the dots of every grid cell the level (plus a dot's reach)
     * overlaps, in placing order */
    double reach = ink->max_radius_chart_mm;
    int x0 = rnd__cell_of(ink, origin[0] - reach, ink->origin[0]);
    int x1 = rnd__cell_of(ink, origin[0] + extent_mm + reach, ink->origin[0]);
    int y0 = rnd__cell_of(ink, origin[1] - reach, ink->origin[1]);
    int y1 = rnd__cell_of(ink, origin[1] + extent_mm + reach, ink->origin[1]);
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && !rnd__layer_scratch(ink, n))
            return false;
        n = 0;
        for (int cy = y0; cy <= y1; cy++)
            for (int cx = x0; cx <= x1; cx++)
                for (int32_t i = ink->heads[(size_t)cy * ink->grid_n + cx]; i >= 0; i = ink->next[i]) {
                    if ((size_t)i >= ink->baked)
                        continue; /* not yet baked anywhere: bake_new adds it */
                    if (!rnd__level_overlaps(l, &ink->dots[i], reach))
                        continue;
                    if (pass == 1)
                        ink->idx[n] = i;
                    n++;
                }
    }
    if (n > 1)
        qsort(ink->idx, n, sizeof *ink->idx, rnd__cmp_i32);
    for (size_t k = 0; k < n; k++)
        ink->sub[k] = ink->dots[ink->idx[k]];
    rnd__gl_drain_errors();
    glBindBuffer(GL_ARRAY_BUFFER, ink->vbo_sub);
    if (n > ink->sub_capacity) {
        size_t cap = ink->sub_capacity ? ink->sub_capacity : RND__LAYER_MIN_CAPACITY;
        while (cap < n)
            cap *= 2;
        glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(cap * sizeof(rnd__layer_dot)), NULL,
                     GL_STREAM_DRAW);
        ink->sub_capacity = cap;
    }
    if (n > 0)
        glBufferSubData(GL_ARRAY_BUFFER, 0, (GLsizeiptr)(n * sizeof(rnd__layer_dot)), ink->sub);
    if (rnd__gl_drain_errors() != GL_NO_ERROR) {
        ink->sub_capacity = 0;
        return false;
    }
    rnd__layer_target(ink, true, m - 1, origin, extent_mm, RND__LAYER_DETAIL_SIZE);
    rnd__layer_fill(ink);
    rnd__layer_draw(ink, ink->vbo_sub, 0, n);
    l->valid = true;
    ink->stats.level_bakes++;
    return true;
}

/* The chart point under the view's centre and the chart size of a pixel
 * there; false when the view's centre misses the surface. */
static bool rnd__layer_focus(const rnd__layer *ink, const rnd__view *view, sim_vec2 *chart,
                           double *pixel_chart_mm)
{
    sim_vec3 eye = sim_v3(view->eye[0], view->eye[1], view->eye[2]);
    sim_vec3 fwd = sim_v3(view->forward[0], view->forward[1], view->forward[2]);
    sim_surface_hit hit;
    if (!sim_surface_raycast(ink->surface, eye, fwd, &hit))
        return false;
    double depth = sim_v3_dot(sim_v3_sub(hit.point_mm, eye), fwd);
    if (!(depth > 0.0))
        return false;
    rnd_dot probe = {{(float)hit.point_mm.x, (float)hit.point_mm.y, (float)hit.point_mm.z},
                     {(float)hit.normal.x, (float)hit.normal.y, (float)hit.normal.z},
                     1.0f, 0.0f, {0, 0, 0, 0}, 0.0f, {0, 0, 0}};
    rnd__layer_dot d;
    rnd__layer_dot_from(ink->surface, &probe, &d);
    double scale = sqrt(fabs((double)d.jac[0] * d.jac[3] - (double)d.jac[1] * d.jac[2]));
    *chart = rnd__chart(ink->surface, hit.point_mm);
    *pixel_chart_mm = view->pixel_mm_per_mm * depth * (scale > 0.0 ? scale : 1.0);
    return isfinite(chart->x) && isfinite(chart->y) && *pixel_chart_mm > 0.0;
}

void rnd__layer_update(rnd__layer *ink, const rnd__view *view)
{
    if (!ink || !ink->surface || !ink->tex_whole)
        return;
    bool need_levels = false;
    sim_vec2 c = {0, 0};
    double f = 0.0;
    int want = 0;
    ink->focus_pixel_mm = 0.0;
    if (view && rnd__layer_focus(ink, view, &c, &f))
        ink->focus_pixel_mm = f;
    /* levels from a pixel under two whole-layer texels: a texel as big as a
     * pixel, filtered, would soften dots a couple of pixels wide */
    if (ink->focus_pixel_mm > 0.0 && f < RND__LAYER_SHARP * ink->texel_mm) {
        want = (int)ceil(log2(RND__LAYER_SHARP * ink->texel_mm / f));
        want = want < 0 ? 0 : want > RND__LAYER_LEVELS ? RND__LAYER_LEVELS : want;
        need_levels = want > 0;
    }
    bool work = ink->whole_dirty || ink->baked < ink->count;
    double origins[RND__LAYER_LEVELS][2];
    double extents[RND__LAYER_LEVELS];
    for (int m = 1; m <= want; m++) {
        double extent = ink->texel_mm * ldexp(1.0, -m) * RND__LAYER_DETAIL_SIZE;
        double step = extent / RND__LAYER_LEVEL_SNAPS;
        const rnd__layer_level *l = &ink->levels[m - 1];
        /* a level stays while the view's centre is in its middle half, so
         * small moves never bake it again (no flapping on a snap line) */
        bool keep = l->valid && l->extent_mm == extent &&
                    c.x > l->origin[0] + 0.25 * extent && c.x < l->origin[0] + 0.75 * extent &&
                    c.y > l->origin[1] + 0.25 * extent && c.y < l->origin[1] + 0.75 * extent;
        if (keep) {
            origins[m - 1][0] = l->origin[0];
            origins[m - 1][1] = l->origin[1];
        } else {
            origins[m - 1][0] = (floor(c.x / step) - RND__LAYER_LEVEL_SNAPS / 2) * step;
            origins[m - 1][1] = (floor(c.y / step) - RND__LAYER_LEVEL_SNAPS / 2) * step;
            work = true;
        }
        extents[m - 1] = extent;
    }
    ink->active = 0;
    if (work) {
        GLint prev_fbo = 0, prev_vp[4];
        glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &prev_fbo);
        glGetIntegerv(GL_VIEWPORT, prev_vp);
        GLboolean blend = glIsEnabled(GL_BLEND), depth = glIsEnabled(GL_DEPTH_TEST);
        GLboolean cull = glIsEnabled(GL_CULL_FACE), scissor = glIsEnabled(GL_SCISSOR_TEST);
        GLboolean srgb = glIsEnabled(GL_FRAMEBUFFER_SRGB);
        glDisable(GL_DEPTH_TEST);
        glDisable(GL_CULL_FACE);
        glDisable(GL_SCISSOR_TEST);
        glEnable(GL_FRAMEBUFFER_SRGB); /* linear blending into sRGB texels */
        if (ink->whole_dirty) {
            rnd__layer_invalidate_levels(ink);
            ink->baked = ink->count;
            rnd__layer_bake_whole(ink);
            ink->whole_dirty = false;
        } else if (ink->baked < ink->count) {
            size_t first = ink->baked;
            ink->baked = ink->count;
            rnd__layer_bake_new(ink, first);
        }
        for (int m = 1; m <= want; m++) {
            const rnd__layer_level *l = &ink->levels[m - 1];
            if (!l->valid || l->origin[0] != origins[m - 1][0] ||
                l->origin[1] != origins[m - 1][1] || l->extent_mm != extents[m - 1])
                rnd__layer_bake_level(ink, m, origins[m - 1], extents[m - 1]);
        }
        rnd__layer_attribs(ink, ink->vbo_all, 0);
        glBindVertexArray(0);
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, (GLuint)prev_fbo);
        glViewport(prev_vp[0], prev_vp[1], prev_vp[2], prev_vp[3]);
        if (!blend)
            glDisable(GL_BLEND);
        if (depth)
            glEnable(GL_DEPTH_TEST);
        if (cull)
            glEnable(GL_CULL_FACE);
        if (scissor)
            glEnable(GL_SCISSOR_TEST);
        if (!srgb)
            glDisable(GL_FRAMEBUFFER_SRGB);
        if (blend)
            glEnable(GL_BLEND);
    }
    if (need_levels)
        for (int m = 1; m <= want && ink->levels[m - 1].valid; m++)
            ink->active = m;
    ink->stats.levels_active = ink->active;
}

void rnd__layer_bind(const rnd__layer *ink, const GLint *loc)
{
    glActiveTexture(GL_TEXTURE2);
    glBindTexture(GL_TEXTURE_2D, ink->tex_whole);
    glActiveTexture(GL_TEXTURE3);
    glBindTexture(GL_TEXTURE_2D_ARRAY, ink->tex_detail);
    glActiveTexture(GL_TEXTURE0);
    glUniform1i(loc[RND__U_LAYER], 2);
    glUniform1i(loc[RND__U_LAYER_DETAIL], 3);
    float lv[RND__LAYER_LEVELS][4];
    memset(lv, 0, sizeof lv);
    for (int m = 1; m <= ink->active; m++) {
        const rnd__layer_level *l = &ink->levels[m - 1];
        lv[m - 1][0] = (float)l->origin[0];
        lv[m - 1][1] = (float)l->origin[1];
        lv[m - 1][2] = (float)(1.0 / l->extent_mm);
    }
    glUniform4f(loc[RND__U_LAYER_DOMAIN], (float)ink->origin[0], (float)ink->origin[1],
                (float)(1.0 / ink->size_mm), 0.0f);
    glUniform1f(loc[RND__U_LAYER_TEXEL], (float)ink->texel_mm);
    glUniform1i(loc[RND__U_LVL_COUNT], ink->active);
    glUniform4fv(loc[RND__U_LVL], RND__LAYER_LEVELS, &lv[0][0]);
}

double rnd__layer_focus_pixel_mm(const rnd__layer *ink)
{
    return ink ? ink->focus_pixel_mm : 0.0;
}

int rnd__layer_levels(const rnd__layer *ink)
{
    return ink ? ink->active : 0;
}

void rnd__layer_get_stats(const rnd__layer *ink, rnd__layer_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!ink)
        return;
    *out = ink->stats;
    out->dots = ink->count;
    out->dots_baked = ink->baked;
}
