/* les_points.c: points in a lesson (zones' polygons, the hairline, temple
 * points): reading them as written, projecting them onto the surface's
 * chart, and checking them against the surface and each other.
 *
 * A point is [a, b] (chart coordinates: the pad's x, y; the head chart's
 * u, v) or [x, y, z] (the surface's frame: on a head projected onto the
 * chart along its direction from the chart centre; on a pad its x, y).
 *
 * Threads: reentrant.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "les_lesson_internal.h"

/* The head chart reaches theta = pi (sim_surface.h). */
#define LES__CHART_REACH_MM (SIM_PI * SIM_CHART_RADIUS_MM)

/* ------------------------------------------------------------------------ */
/* Reading                                                                  */
/* ------------------------------------------------------------------------ */

static bool les__take_point(les__sctx *c, const les__node *n, const char *name,
                            les__pt *pt)
{
    char got[128];
    pt->pos = n->pos;
    if (n->kind != LES__SEQ || n->count < 2 || n->count > 3) {
        les_diags_add(c->diags, LES_ERROR, n->pos.line, n->pos.column,
                      "a point in `%s` must be [a, b] or [x, y, z], got %s", name,
                      les__describe(n, got, sizeof got));
        return false;
    }
    bool ok = true;
    pt->dims = (int)n->count;
    for (size_t i = 0; i < n->count; i++) {
        const les__node *v = n->items[i];
        if (v->kind == LES__SCALAR && v->type == LES__NUMBER &&
            fabs(v->number) <= LES__MAX_COORD_MM) {
            pt->v[i] = v->number;
            continue;
        }
        if (!v->poisoned)
            les_diags_add(c->diags, LES_ERROR, v->pos.line, v->pos.column,
                          "a coordinate in `%s` must be a number between -10000 and "
                          "10000 (mm), got %s", name, les__describe(v, got, sizeof got));
        ok = false;
    }
    return ok;
}

void les__points_key(les__sctx *c, const les__key *key, const les__node *value,
                     void *field, const char *path)
{
    (void)path;
    les__pts *pts = field;
    pts->pos = value->pos;
    if (value->kind != LES__SEQ || (double)value->count < key->min ||
        (double)value->count > key->max) {
        char expected[128];
        if (key->min == key->max)
            snprintf(expected, sizeof expected, "a list of %g points [a, b] or [x, y, z] (mm)",
                     key->min);
        else
            snprintf(expected, sizeof expected,
                     "a list of %g to %g points [a, b] or [x, y, z] (mm)", key->min, key->max);
        les__expect_error(c, value, key->name, expected);
        return;
    }
    pts->items = les__arena_array(&les__state(c)->tmp, value->count, sizeof *pts->items);
    if (!pts->items) {
        c->nomem = true;
        return;
    }
    pts->count = value->count;
    pts->ok = true;
    for (size_t i = 0; i < value->count; i++)
        if (value->items[i]->poisoned || !les__take_point(c, value->items[i], key->name,
                                                          &pts->items[i]))
            pts->ok = false;
}

/* ------------------------------------------------------------------------ */
/* Onto the chart                                                           */
/* ------------------------------------------------------------------------ */

/* Chart coordinates of a written point; false (reported) when it cannot
 * be used on this surface. */
static bool les__chart_point(les__sctx *c, const sim_surface_desc *s, const les__pt *pt,
                             sim_vec2 *uv)
{
    char a[32], b[32], w[32], h[32];
    if (s->kind == SIM_SURFACE_HEAD && pt->dims == 3) {
        sim_vec3 p = sim_v3(pt->v[0], pt->v[1], pt->v[2]);
        if (sim_v3_len(sim_v3_sub(p, sim_chart_centre())) < 1e-9) {
            les_diags_add(c->diags, LES_ERROR, pt->pos.line, pt->pos.column,
                          "a 3D point must not be the chart centre [%g, %g, %g], "
                          "which has no direction", SIM_CHART_CENTRE_X,
                          SIM_CHART_CENTRE_Y, SIM_CHART_CENTRE_Z);
            return false;
        }
        *uv = sim_chart_head(p);
    } else {
        *uv = sim_v2(pt->v[0], pt->v[1]);
    }
    les__format_double(a, sizeof a, "%g", 0, uv->x);
    les__format_double(b, sizeof b, "%g", 0, uv->y);
    if (s->kind == SIM_SURFACE_PAD &&
        !(uv->x >= 0 && uv->x <= s->width_mm && uv->y >= 0 && uv->y <= s->height_mm)) {
        les__format_double(w, sizeof w, "%g", 0, s->width_mm);
        les__format_double(h, sizeof h, "%g", 0, s->height_mm);
        les_diags_add(c->diags, LES_ERROR, pt->pos.line, pt->pos.column,
                      "point (%s, %s) lies outside the %s x %s mm pad", a, b, w, h);
        return false;
    }
    if (s->kind == SIM_SURFACE_HEAD && sim_v2_len(*uv) > LES__CHART_REACH_MM) {
        les_diags_add(c->diags, LES_ERROR, pt->pos.line, pt->pos.column,
                      "point (%s, %s) is off the head chart (more than %.0f mm from the "
                      "crown)", a, b, LES__CHART_REACH_MM);
        return false;
    }
    return true;
}

sim_vec2 *les__chart_points(les__parse *p, const les__pts *pts, bool closed)
{
    les__sctx *c = &p->sc;
    sim_vec2 *out = les__arena_array(&p->lesson.arena, pts->count, sizeof *out);
    if (!out) {
        c->nomem = true;
        return NULL;
    }
    bool ok = true;
    for (size_t i = 0; i < pts->count; i++)
        ok = les__chart_point(c, &p->lesson.surface, &pts->items[i], &out[i]) && ok;
    for (size_t i = 1; ok && i < pts->count; i++) {
        if (out[i].x != out[i - 1].x || out[i].y != out[i - 1].y)
            continue;
        les_diags_add(c->diags, LES_ERROR, pts->items[i].pos.line, pts->items[i].pos.column,
                      "point %zu repeats the point before it", i + 1);
        ok = false;
    }
    size_t last = pts->count - 1;
    if (ok && closed && out[last].x == out[0].x && out[last].y == out[0].y) {
        les_diags_add(c->diags, LES_ERROR, pts->items[last].pos.line,
                      pts->items[last].pos.column,
                      "the last point repeats the first; a polygon closes by itself, "
                      "leave it out");
        ok = false;
    }
    return ok ? out : NULL;
}

void les__zone_polygon(les__parse *p, les__zone_in *z)
{
    les__sctx *c = &p->sc;
    sim_vec2 *poly = les__chart_points(p, &z->polygon, true);
    if (!poly)
        return;
    size_t n = z->polygon.count, ea = 0, eb = 0;
    const char *name = z->zone.name ? z->zone.name : "?";
    if (sim_polygon_self_intersects(poly, n, &ea, &eb)) {
        les_diags_add(c->diags, LES_ERROR, z->polygon.pos.line, z->polygon.pos.column,
                      "the polygon of zone `%s` crosses itself: the edge from point %zu "
                      "to %zu meets the edge from point %zu to %zu", name, ea + 1,
                      (ea + 1) % n + 1, eb + 1, (eb + 1) % n + 1);
        return;
    }
    if (fabs(sim_polygon_signed_area(poly, n)) < 1e-9) {
        les_diags_add(c->diags, LES_ERROR, z->polygon.pos.line, z->polygon.pos.column,
                      "the polygon of zone `%s` encloses no area", name);
        return;
    }
    z->zone.polygon = poly;
    z->zone.polygon_count = n;
}
