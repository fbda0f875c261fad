/* les_lesson.c: lesson files (les_lesson.h): the format-1 schema, the checks
 * a schema table cannot express (surface kinds, points, depth bands, zone
 * geometry, unique names), the canonical hash, load/parse/deinit.
 *
 * Passes over one file:
 *  1. les__yaml_load: text -> positioned tree (temporary arena);
 *  2. les__schema_apply with the tables below: values into the lesson
 *     (lesson arena), raw points kept aside with their positions;
 *  3. geometry: points projected onto the chart for the surface, checked
 *     against the pad or the chart, polygons checked for crossings; names
 *     checked for repeats; FIDELITY.md warnings;
 *  4. the canonical hash, when nothing was wrong;
 *  5. diagnostics sorted into file order.
 * Passes 2 and 3 are apart so key order in the file never matters.
 *
 * Ownership: the lesson owns one arena (les_lesson_deinit frees it).
 * Threads: reentrant.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "les_parts.h"
#include "les_schema.h"

/* Limits: a lesson needs far less; they bound the work on hostile input. */
#define LES__MAX_ZONES 64
#define LES__MAX_POINTS 1000
#define LES__MAX_COORD_MM 10000.0
/* The head chart reaches theta = pi (sim_surface.h). */
#define LES__CHART_REACH_MM (SIM_PI * SIM_CHART_RADIUS_MM)

/* FIDELITY.md "Skin and depth", "Needles, dots, density": beyond these a
 * lesson is legal but probably a mistake, so it gets a warning. */
#define LES__EPIDERMIS_MM 0.10        /* scalp epidermis 0.06-0.10 mm */
#define LES__BLOWOUT_MM 2.0           /* "up to 1.5-2 mm"; deeper blows out */
#define LES__FOLLICLES_PER_CM2 310.0  /* natural follicle density */

/* ------------------------------------------------------------------------ */
/* Parse state                                                              */
/* ------------------------------------------------------------------------ */

/* A point as written: 2 or 3 coordinates and where it stands. */
typedef struct les__pt {
    double v[3];
    int dims;
    les_pos pos;
} les__pt;

typedef struct les__pts {
    les__pt *items;
    size_t count;
    les_pos pos;             /* the list */
    bool ok;                 /* every point is well-formed */
} les__pts;

typedef struct les__zone_in {
    les_zone zone;
    les__pts polygon;
    const les__node *node;   /* the zone's mapping */
} les__zone_in;

typedef struct les__parse {
    les__sctx sc;
    les_arena_block *tmp;    /* the YAML tree and raw points */
    les_lesson lesson;       /* built here, handed over on success */
    les__zone_in *zones;
    size_t zone_count;
    les__pts hairline;
    bool surface_ok;
} les__parse;

static les__parse *les__state(les__sctx *c) { return c->user; }

/* ------------------------------------------------------------------------ */
/* Points                                                                   */
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

/* polygon_mm, polyline_mm: a list of key->min..key->max points. */
static void les__points_key(les__sctx *c, const les__key *key, const les__node *value,
                            void *field, const char *path)
{
    (void)path;
    les__pts *pts = field;
    pts->pos = value->pos;
    if (value->kind != LES__SEQ || (double)value->count < key->min ||
        (double)value->count > key->max) {
        char expected[128];
        snprintf(expected, sizeof expected, "a list of %g to %g points [a, b] or [x, y, z] (mm)",
                 key->min, key->max);
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
/* Zones                                                                    */
/* ------------------------------------------------------------------------ */

static void les__band_warnings(les__sctx *c, const les__node *value, const les_zone *z)
{
    const les__node *lo = value->items[0], *hi = value->items[1];
    if (z->depth_min_mm < LES__EPIDERMIS_MM)
        les_diags_add(c->diags, LES_WARNING, lo->pos.line, lo->pos.column,
                      "the band starts at %s mm, inside the epidermis (0.06-0.10 mm "
                      "on the scalp): pigment there fades", lo->text);
    if (z->depth_max_mm > LES__BLOWOUT_MM)
        les_diags_add(c->diags, LES_WARNING, hi->pos.line, hi->pos.column,
                      "the band reaches %s mm: below about 2 mm dots blow out and "
                      "turn blue-grey", hi->text);
}

/* depth_band_mm: [min, max] with key->min <= min < max <= key->max. */
static void les__band_key(les__sctx *c, const les__key *key, const les__node *value,
                          void *field, const char *path)
{
    (void)path;
    les_zone *z = field;
    if (value->kind != LES__SEQ || value->count != 2) {
        les__expect_error(c, value, key->name,
                          "a list [shallowest, deepest] of depths between 0 and 4 (mm)");
        return;
    }
    double lo, hi;
    bool ok = les__take_number(c, value->items[0], key->name, key->min, key->max,
                               key->unit, &lo);
    ok = les__take_number(c, value->items[1], key->name, key->min, key->max,
                          key->unit, &hi) && ok;
    if (!ok)
        return;
    if (!(lo < hi)) {
        les_diags_add(c->diags, LES_ERROR, value->pos.line, value->pos.column,
                      "`%s` must be [shallowest, deepest] with shallowest < deepest, "
                      "got [%s, %s]", key->name, value->items[0]->text,
                      value->items[1]->text);
        return;
    }
    z->depth_min_mm = lo;
    z->depth_max_mm = hi;
    les__band_warnings(c, value, z);
}

static const les__key les__zone_keys[] = {
    {.name = "name", .type = LES__K_TEXT, .required = true, .min = 1, .max = 64,
     .offset = offsetof(les__zone_in, zone.name)},
    {.name = "polygon_mm", .type = LES__K_CUSTOM, .required = true, .min = 3,
     .max = LES__MAX_POINTS, .unit = "mm", .offset = offsetof(les__zone_in, polygon),
     .custom = les__points_key},
    {.name = "density_per_cm2", .type = LES__K_NUMBER, .required = true, .min = 1,
     .max = 400, .unit = "dots/cm²", .offset = offsetof(les__zone_in, zone.density_per_cm2)},
    {.name = "depth_band_mm", .type = LES__K_CUSTOM, .required = true, .min = 0,
     .max = 4, .unit = "mm", .offset = offsetof(les__zone_in, zone), .custom = les__band_key},
};
static const les__schema les__zone_schema = LES__SCHEMA(les__zone_keys);

static void les__zones_key(les__sctx *c, const les__key *key, const les__node *value,
                           void *field, const char *path)
{
    (void)field;
    (void)path;
    les__parse *p = les__state(c);
    if (value->kind != LES__SEQ || value->count < 1 || value->count > LES__MAX_ZONES) {
        les__expect_error(c, value, key->name, "a list of 1 to 64 zones");
        return;
    }
    p->zones = les__arena_array(&p->tmp, value->count, sizeof *p->zones);
    if (!p->zones) {
        c->nomem = true;
        return;
    }
    p->zone_count = value->count;
    for (size_t i = 0; i < value->count; i++) {
        les__zone_in *z = &p->zones[i];
        char sub[32];
        snprintf(sub, sizeof sub, "zones[%zu]", i);
        z->node = value->items[i];
        z->zone.pos = z->node->pos;
        les__schema_apply(c, &les__zone_schema, z->node, z, sub);
    }
}

/* ------------------------------------------------------------------------ */
/* Surface                                                                  */
/* ------------------------------------------------------------------------ */

static void les__surface_type_key(les__sctx *c, const les__key *key,
                                  const les__node *value, void *field, const char *path)
{
    (void)key;
    (void)path;
    static const char *const kinds[] = {"pad", "head"};
    sim_surface_desc *desc = field;
    if (les__scalar_is(value, "pad")) {
        desc->kind = SIM_SURFACE_PAD;
        return;
    }
    if (les__scalar_is(value, "head")) {
        desc->kind = SIM_SURFACE_HEAD;
        return;
    }
    char got[128];
    const char *hint = value->kind == LES__SCALAR
                           ? les__suggest(value->text, value->len, kinds, 2, sizeof kinds[0])
                           : NULL;
    les_diags_add(c->diags, LES_ERROR, value->pos.line, value->pos.column,
                  "`type` must be pad or head, got %s%s%s%s",
                  les__describe(value, got, sizeof got), hint ? "; did you mean `" : "",
                  hint ? hint : "", hint ? "`?" : "");
}

static void les__resolution_key(les__sctx *c, const les__key *key,
                                const les__node *value, void *field, const char *path)
{
    (void)path;
    int cells;
    if (les__take_int(c, value, key->name, key->min, key->max, key->unit, &cells))
        ((sim_surface_desc *)field)->head.face_cells = (uint32_t)cells;
}

#define LES__TYPE_KEY(req)                                                    \
    {.name = "type", .type = LES__K_CUSTOM, .required = (req),                \
     .custom = les__surface_type_key}
#define LES__SIZE_KEY(key, field, req)                                        \
    {.name = (key), .type = LES__K_NUMBER, .required = (req), .min = 10,      \
     .max = 500, .unit = "mm", .offset = offsetof(sim_surface_desc, field)}
#define LES__RESOLUTION_KEY                                                   \
    {.name = "resolution", .type = LES__K_CUSTOM, .min = 32, .max = 512,      \
     .unit = "cells per cube face edge", .custom = les__resolution_key}

static const les__key les__pad_keys[] = {
    LES__TYPE_KEY(true), LES__SIZE_KEY("width_mm", width_mm, true),
    LES__SIZE_KEY("height_mm", height_mm, true)};
static const les__key les__head_keys[] = {LES__TYPE_KEY(true), LES__RESOLUTION_KEY};
/* While the type is unknown: check what is there, require only the type. */
static const les__key les__any_surface_keys[] = {
    LES__TYPE_KEY(true), LES__SIZE_KEY("width_mm", width_mm, false),
    LES__SIZE_KEY("height_mm", height_mm, false), LES__RESOLUTION_KEY};
static const les__schema les__pad_schema = LES__SCHEMA(les__pad_keys);
static const les__schema les__head_schema = LES__SCHEMA(les__head_keys);
static const les__schema les__any_surface_schema = LES__SCHEMA(les__any_surface_keys);

static void les__surface_key(les__sctx *c, const les__key *key, const les__node *value,
                             void *field, const char *path)
{
    (void)path;
    sim_surface_desc *desc = field;
    const les__node *type = les__map_get(value, "type");
    const les__schema *schema = &les__any_surface_schema;
    if (les__scalar_is(type, "pad"))
        schema = &les__pad_schema;
    else if (les__scalar_is(type, "head"))
        schema = &les__head_schema;
    size_t errors = c->diags->errors;
    les__schema_apply(c, schema, value, desc, key->name);
    les__state(c)->surface_ok = desc->kind != SIM_SURFACE_NONE && c->diags->errors == errors;
}

/* ------------------------------------------------------------------------ */
/* The top level (the rubric's schema is in les_rubric.c)                  */
/* ------------------------------------------------------------------------ */

static const les__key les__hairline_keys[] = {
    {.name = "polyline_mm", .type = LES__K_CUSTOM, .required = true, .min = 2,
     .max = LES__MAX_POINTS, .unit = "mm", .offset = 0, .custom = les__points_key},
};
static const les__schema les__hairline_schema = LES__SCHEMA(les__hairline_keys);

static const les__key les__top_keys[] = {
    {.name = "stipple_lesson", .type = LES__K_INT, .required = true,
     .min = LES_FORMAT_VERSION, .max = LES_FORMAT_VERSION,
     .offset = offsetof(les__parse, lesson.format)},
    {.name = "id", .type = LES__K_ID, .required = true, .min = 1, .max = 64,
     .offset = offsetof(les__parse, lesson.id)},
    {.name = "title", .type = LES__K_TEXT, .required = true, .min = 1, .max = 200,
     .offset = offsetof(les__parse, lesson.title)},
    {.name = "version", .type = LES__K_INT, .required = true, .min = 1, .max = INFINITY,
     .offset = offsetof(les__parse, lesson.version)},
    {.name = "surface", .type = LES__K_CUSTOM, .required = true,
     .offset = offsetof(les__parse, lesson.surface), .custom = les__surface_key},
    {.name = "zones", .type = LES__K_CUSTOM, .required = true, .custom = les__zones_key},
    {.name = "hairline", .type = LES__K_MAP, .offset = offsetof(les__parse, hairline),
     .sub = &les__hairline_schema},
    {.name = "rubric", .type = LES__K_MAP, .required = true,
     .offset = offsetof(les__parse, lesson.rubric), .sub = &les__rubric_schema},
    {.name = "tissue", .type = LES__K_MAP, .offset = offsetof(les__parse, lesson.tissue),
     .sub = &les__tissue_schema},
};
static const les__schema les__top_schema = LES__SCHEMA(les__top_keys);

/* ------------------------------------------------------------------------ */
/* Geometry: points onto the chart, checked against the surface             */
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

/* Projects every point into a new array in the lesson arena; checks that
 * no point repeats the one before it (or, closed, the first). */
static sim_vec2 *les__chart_points(les__parse *p, const les__pts *pts, bool closed)
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

static void les__zone_polygon(les__parse *p, les__zone_in *z)
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

/* Zone names are unique; density warnings (values checked by the schema). */
static void les__zone_checks(les__parse *p, size_t i)
{
    les__sctx *c = &p->sc;
    const les__zone_in *z = &p->zones[i];
    const les__node *name = les__map_get(z->node, "name");
    for (size_t k = 0; z->zone.name && k < i; k++) {
        if (!p->zones[k].zone.name || strcmp(p->zones[k].zone.name, z->zone.name) != 0)
            continue;
        les_diags_add(c->diags, LES_ERROR, name->pos.line, name->pos.column,
                      "zone name `%s` is already used by zones[%zu]", z->zone.name, k);
        break;
    }
    const les__node *density = les__map_get(z->node, "density_per_cm2");
    if (density && z->zone.density_per_cm2 > LES__FOLLICLES_PER_CM2)
        les_diags_add(c->diags, LES_WARNING, density->pos.line, density->pos.column,
                      "%s dots/cm² is denser than natural follicles (about 310/cm²)",
                      density->text);
}

static void les__geometry(les__parse *p)
{
    for (size_t i = 0; i < p->zone_count; i++) {
        les__zone_checks(p, i);
        if (p->surface_ok && p->zones[i].polygon.ok)
            les__zone_polygon(p, &p->zones[i]);
    }
    if (p->surface_ok && p->hairline.ok) {
        p->lesson.hairline = les__chart_points(p, &p->hairline, false);
        p->lesson.hairline_count = p->lesson.hairline ? p->hairline.count : 0;
    }
}

/* ------------------------------------------------------------------------ */
/* Parse, load, free                                                        */
/* ------------------------------------------------------------------------ */

static les_result les__copy_zones(les__parse *p)
{
    les_lesson *l = &p->lesson;
    l->zones = les__arena_array(&l->arena, p->zone_count, sizeof *l->zones);
    if (!l->zones)
        return LES_ERR_NOMEM;
    for (size_t i = 0; i < p->zone_count; i++)
        l->zones[i] = p->zones[i].zone;
    l->zone_count = p->zone_count;
    return LES_OK;
}

/* Passes 2-4 on a loaded tree. */
static les_result les__build(les__parse *p, const les__node *root, size_t errors)
{
    les_diags *d = p->sc.diags;
    if (!root) {
        les_diags_add(d, LES_ERROR, 1, 1,
                      "the file is empty; a lesson starts with `stipple_lesson: 1`");
        return LES_ERR_INVALID;
    }
    les__schema_apply(&p->sc, &les__top_schema, root, p, "");
    if (!p->sc.nomem)
        les__geometry(p);
    if (p->sc.nomem)
        return LES_ERR_NOMEM;
    if (d->errors > errors)
        return LES_ERR_INVALID;
    les_result r = les__copy_zones(p);
    if (r == LES_OK)
        r = les__canonical_hash(root, p->lesson.hash, p->lesson.hash_hex);
    return r;
}

les_result les_lesson_parse(les_lesson *lesson, const char *text, size_t len,
                            les_diags *diags)
{
    if (!lesson || !diags)
        return LES_ERR_ARG;
    memset(lesson, 0, sizeof *lesson);
    if (!text && len)
        return LES_ERR_ARG;
    les__parse p;
    memset(&p, 0, sizeof p);
    p.sc.diags = diags;
    p.sc.arena = &p.lesson.arena;
    p.sc.user = &p;
    les_rubric_defaults(&p.lesson.rubric);
    p.lesson.path = "";
    size_t first = diags->count, errors = diags->errors;

    les__node *root = NULL;
    les_result r = les__yaml_load(text ? text : "", len, &p.tmp, diags, &root);
    if (r == LES_OK)
        r = les__build(&p, root, errors);
    if (r == LES_ERR_NOMEM)
        les_diags_add(diags, LES_ERROR, 1, 1, "out of memory");
    les__diags_sort(diags, first);
    les__arena_free(&p.tmp);
    if (r != LES_OK) {
        les__arena_free(&p.lesson.arena);
        return r;
    }
    *lesson = p.lesson;
    return LES_OK;
}

les_result les_lesson_load(les_lesson *lesson, const char *path, les_diags *diags)
{
    if (!lesson || !path || !diags)
        return LES_ERR_ARG;
    memset(lesson, 0, sizeof *lesson);
    if (!diags->file[0])
        snprintf(diags->file, sizeof diags->file, "%s", path);
    char *text = NULL;
    size_t len = 0;
    int sys_errno = 0;
    les_result r = les__read_file(path, &text, &len, &sys_errno);
    if (r == LES_ERR_IO)
        les_diags_add(diags, LES_ERROR, 1, 1, "cannot read the file: %s",
                      strerror(sys_errno));
    else if (r == LES_ERR_NOMEM)
        les_diags_add(diags, LES_ERROR, 1, 1, "out of memory");
    if (r != LES_OK)
        return r;
    r = les_lesson_parse(lesson, text, len, diags);
    sim_free(text);
    if (r != LES_OK)
        return r;
    lesson->path = les__arena_strndup(&lesson->arena, path, strlen(path));
    if (!lesson->path) {
        les_lesson_deinit(lesson);
        les_diags_add(diags, LES_ERROR, 1, 1, "out of memory");
        return LES_ERR_NOMEM;
    }
    return LES_OK;
}

void les_lesson_deinit(les_lesson *lesson)
{
    if (!lesson)
        return;
    les__arena_free(&lesson->arena);
    memset(lesson, 0, sizeof *lesson);
}

int les_lesson_zone_at(const les_lesson *lesson, sim_vec2 uv)
{
    if (!lesson)
        return -1;
    for (size_t i = 0; i < lesson->zone_count; i++)
        if (sim_polygon_contains(lesson->zones[i].polygon, lesson->zones[i].polygon_count, uv))
            return (int)i;
    return -1;
}
