/* rnd_overlay.c: geometry for what is drawn over the skin: the lesson's
 * zone outlines and target hairline as ribbons lying on the surface, and
 * the unit sphere of the stylus tip marker. Pure CPU; no GL.
 *
 * Zones and hairlines are chart polylines (sim_surface.h). On the pad the
 * chart is the pad's own (x, y): lines lie at z = +0.05 mm. On a head each
 * chart edge is sampled every RND__HEAD_STEP_MM, mapped onto the skin with
 * sim_surface_from_chart and lifted a little along the normal; samples the
 * chart cannot map break the line.
 *
 * Threads: reentrant. Ownership: rnd__line_list owns its array (sim_malloc).
 */
#include "rnd_internal.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */
/* ------------------------------------------------------------------------ */

#define RND__PAD_LIFT_MM 0.05
#define RND__HEAD_LIFT_MM 0.15
#define RND__HEAD_STEP_MM 1.0
#define RND__ZONE_WIDTH_PX 3.0f
#define RND__HAIRLINE_WIDTH_PX 4.0f
/* Segments meeting at a sharper turn than this get square caps that close
 * the gap on the outside of the corner. */
#define RND__CAP_TURN_COS 0.94

/* Zone outline colours (display sRGB), chosen to read on skin and to stay
 * apart from the hairline's yellow. */
static const float rnd__zone_palette[][4] = {
    {0.18f, 0.82f, 0.86f, 1.0f}, /* teal */
    {0.70f, 0.52f, 1.00f, 1.0f}, /* violet */
    {0.52f, 0.90f, 0.32f, 1.0f}, /* lime */
    {0.36f, 0.62f, 1.00f, 1.0f}, /* sky blue */
    {1.00f, 0.46f, 0.70f, 1.0f}, /* pink */
};
#define RND__PALETTE_N (sizeof rnd__zone_palette / sizeof rnd__zone_palette[0])
static const float rnd__hairline_rgba[4] = {1.00f, 0.80f, 0.18f, 1.0f};

/* ------------------------------------------------------------------------ */
/* Line list                                                                */
/* ------------------------------------------------------------------------ */

void rnd__line_list_free(rnd__line_list *l)
{
    if (!l)
        return;
    sim_free(l->v);
    memset(l, 0, sizeof *l);
}

static bool rnd__reserve(rnd__line_list *l, size_t more)
{
    if (l->count + more <= l->capacity)
        return true;
    size_t cap = l->capacity ? l->capacity : 256;
    while (cap < l->count + more)
        cap *= 2;
    rnd__line_vertex *v = sim_realloc(l->v, cap * sizeof *v);
    if (!v)
        return false;
    l->v = v;
    l->capacity = cap;
    return true;
}

/* A surface sample: position (lifted) and normal. */
typedef struct rnd__sample {
    sim_vec3 p, n;
} rnd__sample;

static void rnd__put(rnd__line_vertex *v, sim_vec3 p, sim_vec3 n, sim_vec3 along,
                     float side, float end, float width_px, const float rgba[4])
{
    v->pos[0] = (float)p.x;
    v->pos[1] = (float)p.y;
    v->pos[2] = (float)p.z;
    v->normal[0] = (float)n.x;
    v->normal[1] = (float)n.y;
    v->normal[2] = (float)n.z;
    v->along[0] = (float)along.x;
    v->along[1] = (float)along.y;
    v->along[2] = (float)along.z;
    v->side = side;
    v->end = end;
    v->width_px = width_px;
    memcpy(v->rgba, rgba, sizeof v->rgba);
}

/* Two triangles for the segment a -> b; cap_a/cap_b extend its ends. */
static bool rnd__segment(rnd__line_list *l, const rnd__sample *a,
                         const rnd__sample *b, bool cap_a, bool cap_b,
                         float width_px, const float rgba[4])
{
    sim_vec3 d = sim_v3_sub(b->p, a->p);
    if (sim_v3_len2(d) < 1e-12)
        return true;
    if (!rnd__reserve(l, 6))
        return false;
    sim_vec3 along = sim_v3_normalize(d);
    float ea = cap_a ? -1.0f : 0.0f, eb = cap_b ? 1.0f : 0.0f;
    rnd__line_vertex *v = l->v + l->count;
    rnd__put(&v[0], a->p, a->n, along, -1.0f, ea, width_px, rgba);
    rnd__put(&v[1], a->p, a->n, along, 1.0f, ea, width_px, rgba);
    rnd__put(&v[2], b->p, b->n, along, 1.0f, eb, width_px, rgba);
    rnd__put(&v[3], a->p, a->n, along, -1.0f, ea, width_px, rgba);
    rnd__put(&v[4], b->p, b->n, along, 1.0f, eb, width_px, rgba);
    rnd__put(&v[5], b->p, b->n, along, -1.0f, eb, width_px, rgba);
    l->count += 6;
    return true;
}

static bool rnd__sharp_turn(const rnd__sample *a, const rnd__sample *b,
                            const rnd__sample *c)
{
    sim_vec3 u = sim_v3_normalize(sim_v3_sub(b->p, a->p));
    sim_vec3 w = sim_v3_normalize(sim_v3_sub(c->p, b->p));
    return sim_v3_dot(u, w) < RND__CAP_TURN_COS;
}

/* Ribbons through a run of consecutive samples (one unbroken piece). */
static bool rnd__run(rnd__line_list *l, const rnd__sample *s, size_t n,
                     float width_px, const float rgba[4])
{
    for (size_t i = 0; i + 1 < n; i++) {
        bool cap_a = i == 0 || rnd__sharp_turn(&s[i - 1], &s[i], &s[i + 1]);
        bool cap_b = i + 2 == n || rnd__sharp_turn(&s[i], &s[i + 1], &s[i + 2]);
        if (!rnd__segment(l, &s[i], &s[i + 1], cap_a, cap_b, width_px, rgba))
            return false;
    }
    return true;
}

/* ------------------------------------------------------------------------ */
/* Chart polylines onto the surface                                         */
/* ------------------------------------------------------------------------ */

static bool rnd__map(const sim_surface *surface, sim_vec2 uv, rnd__sample *out)
{
    if (surface->kind != SIM_SURFACE_HEAD) {
        out->p = sim_v3(uv.x, uv.y, RND__PAD_LIFT_MM);
        out->n = sim_v3(0.0, 0.0, 1.0);
        return true;
    }
    sim_surface_hit hit;
    if (!sim_surface_from_chart(surface, uv, &hit))
        return false;
    out->n = hit.normal;
    out->p = sim_v3_add(hit.point_mm, sim_v3_scale(hit.normal, RND__HEAD_LIFT_MM));
    return true;
}

/* Samples along one chart polyline; on the head, every RND__HEAD_STEP_MM. */
static bool rnd__polyline(const sim_surface *surface, const sim_vec2 *pts,
                          size_t count, bool closed, float width_px,
                          const float rgba[4], rnd__line_list *l)
{
    if (!pts || count < 2)
        return true;
    size_t edges = closed ? count : count - 1;
    bool head = surface->kind == SIM_SURFACE_HEAD;
    /* Samples of the current unbroken run live in a small ring: a run is
     * flushed whenever it is full (keeping its last two samples so caps
     * and joins continue) or broken. */
    enum { RUN_MAX = 256 };
    rnd__sample run[RUN_MAX];
    size_t n = 0;
    for (size_t e = 0; e < edges; e++) {
        sim_vec2 a = pts[e], b = pts[(e + 1) % count];
        double len = sim_v2_len(sim_v2_sub(b, a));
        int steps = head ? (int)ceil(len / RND__HEAD_STEP_MM) : 1;
        if (steps < 1)
            steps = 1;
        if (steps > 100000)
            steps = 100000; /* defensive: absurd chart coordinates */
        for (int k = (e == 0) ? 0 : 1; k <= steps; k++) {
            double t = (double)k / steps;
            sim_vec2 uv = sim_v2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
            rnd__sample s;
            if (!rnd__map(surface, uv, &s)) {
                if (!rnd__run(l, run, n, width_px, rgba))
                    return false;
                n = 0;
                continue;
            }
            if (n == RUN_MAX) {
                /* Draw all but the last segment; carry two samples over. */
                if (!rnd__run(l, run, n - 1, width_px, rgba))
                    return false;
                run[0] = run[n - 2];
                run[1] = run[n - 1];
                n = 2;
            }
            run[n++] = s;
        }
    }
    return rnd__run(l, run, n, width_px, rgba);
}

rnd_result rnd__overlay_build(const sim_surface *surface,
                              const les_lesson *lesson, rnd__line_list *l)
{
    l->count = 0;
    if (!surface || !lesson)
        return RND_OK;
    for (size_t z = 0; z < lesson->zone_count; z++) {
        const les_zone *zone = &lesson->zones[z];
        if (!rnd__polyline(surface, zone->polygon, zone->polygon_count, true,
                           RND__ZONE_WIDTH_PX, rnd__zone_palette[z % RND__PALETTE_N], l))
            return RND_ERR_NOMEM;
    }
    if (!rnd__polyline(surface, lesson->hairline, lesson->hairline_count, false,
                       RND__HAIRLINE_WIDTH_PX, rnd__hairline_rgba, l))
        return RND_ERR_NOMEM;
    return RND_OK;
}

/* FNV-1a over the overlay's chart coordinates. */
static uint64_t rnd__fnv(uint64_t h, const void *data, size_t n)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

uint64_t rnd__overlay_signature(const les_lesson *lesson)
{
    if (!lesson)
        return 0;
    uint64_t h = 14695981039346656037ull;
    h = rnd__fnv(h, &lesson->zone_count, sizeof lesson->zone_count);
    for (size_t z = 0; z < lesson->zone_count; z++) {
        const les_zone *zone = &lesson->zones[z];
        h = rnd__fnv(h, &zone->polygon_count, sizeof zone->polygon_count);
        if (zone->polygon)
            h = rnd__fnv(h, zone->polygon, zone->polygon_count * sizeof *zone->polygon);
    }
    h = rnd__fnv(h, &lesson->hairline_count, sizeof lesson->hairline_count);
    if (lesson->hairline)
        h = rnd__fnv(h, lesson->hairline,
                     lesson->hairline_count * sizeof *lesson->hairline);
    return h ? h : 1; /* 0 means "no overlay" */
}

/* ------------------------------------------------------------------------ */
/* Tip marker                                                               */
/* ------------------------------------------------------------------------ */

void rnd__sphere(float pos[RND__SPHERE_VERTS][3], uint16_t idx[RND__SPHERE_INDICES])
{
    int v = 0;
    for (int j = 0; j <= RND__SPHERE_STACKS; j++) {
        double th = SIM_PI * j / RND__SPHERE_STACKS;
        for (int i = 0; i <= RND__SPHERE_SLICES; i++, v++) {
            double ph = 2.0 * SIM_PI * i / RND__SPHERE_SLICES;
            pos[v][0] = (float)(sin(th) * cos(ph));
            pos[v][1] = (float)(sin(th) * sin(ph));
            pos[v][2] = (float)cos(th);
        }
    }
    int k = 0;
    for (int j = 0; j < RND__SPHERE_STACKS; j++) {
        for (int i = 0; i < RND__SPHERE_SLICES; i++) {
            uint16_t a = (uint16_t)(j * (RND__SPHERE_SLICES + 1) + i);
            uint16_t b = (uint16_t)(a + RND__SPHERE_SLICES + 1);
            /* counter-clockwise seen from outside */
            idx[k++] = a;
            idx[k++] = b;
            idx[k++] = (uint16_t)(a + 1);
            idx[k++] = (uint16_t)(a + 1);
            idx[k++] = b;
            idx[k++] = (uint16_t)(b + 1);
        }
    }
}
