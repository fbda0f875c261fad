/* les_tissue.c: the lesson's `tissue:` mapping: skin type and layers,
 * regions with other layers, scars, native hair (Norwood pattern and its
 * progression, density, calibre, length, colour, whorl, patches). Its schema
 * is applied by les_lesson.c to the `tissue` key and fills a sim_tissue_desc
 * (sim_tissue.h) whose arrays live in the lesson's arena.
 *
 * Shapes are written as chart points [a, b] (the pad's x, y or the head
 * chart's u, v; docs/lessons.md "Points").
 *
 * Threads: reentrant; the tables are const.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "les_parts.h"
#include "sim_tissue.h"

#define LES__TISSUE_MAX_ITEMS 256
#define LES__TISSUE_MAX_POINTS 1000
#define LES__TISSUE_MAX_COORD_MM 10000.0

/* ------------------------------------------------------------------------ */
/* Points                                                                   */
/* ------------------------------------------------------------------------ */

static bool les__tissue_point(les__sctx *c, const les__node *n, const char *name, sim_vec2 *out)
{
    double v[2];
    if (n->kind != LES__SEQ || n->count != 2) {
        les__expect_error(c, n, name, "a chart point [a, b] (mm)");
        return false;
    }
    for (int i = 0; i < 2; i++)
        if (!les__take_number(c, n->items[i], name, -LES__TISSUE_MAX_COORD_MM,
                              LES__TISSUE_MAX_COORD_MM, "mm", &v[i]))
            return false;
    *out = sim_v2(v[0], v[1]);
    return true;
}

/* A list of key->min..key->max chart points into the arena. */
typedef struct les__tissue_pts {
    sim_vec2 *items;
    size_t count;
} les__tissue_pts;

static void les__tissue_points_key(les__sctx *c, const les__key *key, const les__node *value,
                                   void *field, const char *path)
{
    (void)path;
    les__tissue_pts *pts = field;
    if (value->kind != LES__SEQ || (double)value->count < key->min ||
        (double)value->count > key->max) {
        char expected[96];
        snprintf(expected, sizeof expected, "a list of %g to %g chart points [a, b] (mm)",
                 key->min, key->max);
        les__expect_error(c, value, key->name, expected);
        return;
    }
    sim_vec2 *items = les__arena_array(c->arena, value->count, sizeof *items);
    if (!items) {
        c->nomem = true;
        return;
    }
    for (size_t i = 0; i < value->count; i++)
        if (value->items[i]->poisoned || !les__tissue_point(c, value->items[i], key->name, &items[i]))
            return;
    if (key->min >= 3) {
        size_t ea, eb;
        if (sim_polygon_self_intersects(items, value->count, &ea, &eb)) {
            les_diags_add(c->diags, LES_ERROR, value->pos.line, value->pos.column,
                          "`%s` crosses itself: the edge from point %zu to %zu meets the edge "
                          "from point %zu to %zu", key->name, ea + 1, (ea + 1) % value->count + 1,
                          eb + 1, (eb + 1) % value->count + 1);
            return;
        }
    }
    pts->items = items;
    pts->count = value->count;
}

/* A single chart point; sets the bool that follows the sim_vec2 in
 * les__tissue_at. */
typedef struct les__tissue_at {
    sim_vec2 point;
    bool given;
} les__tissue_at;

static void les__tissue_point_key(les__sctx *c, const les__key *key, const les__node *value,
                                  void *field, const char *path)
{
    (void)path;
    les__tissue_at *at = field;
    at->given = les__tissue_point(c, value, key->name, &at->point);
}

/* A list of mappings, each applied with `schema` into an arena array of
 * `size`-byte items; returns the array (count in *count) or NULL. */
static void *les__tissue_list(les__sctx *c, const les__key *key, const les__node *value,
                              const les__schema *schema, size_t size, const char *path,
                              size_t *count)
{
    *count = 0;
    if (value->kind != LES__SEQ || value->count < 1 || value->count > LES__TISSUE_MAX_ITEMS) {
        les__expect_error(c, value, key->name, "a list of 1 to 256 mappings");
        return NULL;
    }
    char *items = les__arena_array(c->arena, value->count, size);
    if (!items) {
        c->nomem = true;
        return NULL;
    }
    for (size_t i = 0; i < value->count; i++) {
        char sub[96];
        snprintf(sub, sizeof sub, "%s.%s[%zu]", path, key->name, i);
        les__schema_apply(c, schema, value->items[i], items + i * size, sub);
    }
    *count = value->count;
    return items;
}

/* The key node named `name` in a mapping (for positions), or NULL. */
static const les__node *les__map_key(const les__node *map, const char *name)
{
    for (size_t i = 0; map->kind == LES__MAP && i < map->count; i++)
        if (les__scalar_is(map->items[2 * i], name))
            return map->items[2 * i];
    return NULL;
}

static void les__missing(les__sctx *c, const les__node *map, const char *name, const char *why)
{
    les_diags_add(c->diags, LES_ERROR, map->pos.line, map->pos.column,
                  "missing required key `%s` %s", name, why);
}

#define LES__LAYER_KEYS(T)                                                        \
    {.name = "epidermis_mm", .type = LES__K_NUMBER, .min = 0.02, .max = 0.5,      \
     .unit = "mm", .offset = offsetof(T, epidermis_mm)},                          \
    {.name = "dermis_mm", .type = LES__K_NUMBER, .min = 0.3, .max = 6,            \
     .unit = "mm", .offset = offsetof(T, dermis_mm)}

/* ------------------------------------------------------------------------ */
/* Regions                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct les__region_in {
    les__tissue_pts polygon;
    les__tissue_at centre;
    double radius_mm;
    double epidermis_mm, dermis_mm;
} les__region_in;

static const les__key les__region_keys[] = {
    {.name = "polygon_mm", .type = LES__K_CUSTOM, .min = 3, .max = LES__TISSUE_MAX_POINTS,
     .offset = offsetof(les__region_in, polygon), .custom = les__tissue_points_key},
    {.name = "centre_mm", .type = LES__K_CUSTOM, .offset = offsetof(les__region_in, centre),
     .custom = les__tissue_point_key},
    {.name = "radius_mm", .type = LES__K_NUMBER, .min = 0.1, .max = 1000, .unit = "mm",
     .offset = offsetof(les__region_in, radius_mm)},
    LES__LAYER_KEYS(les__region_in),
};
static const les__schema les__region_schema = LES__SCHEMA(les__region_keys);

static void les__regions_key(les__sctx *c, const les__key *key, const les__node *value,
                             void *field, const char *path)
{
    sim_tissue_desc *d = field;
    size_t n;
    les__region_in *in = les__tissue_list(c, key, value, &les__region_schema, sizeof *in,
                                          path, &n);
    sim_tissue_region *out = n ? les__arena_array(c->arena, n, sizeof *out) : NULL;
    if (n && !out)
        c->nomem = true;
    if (!out)
        return;
    for (size_t i = 0; i < n; i++) {
        const les__node *map = value->items[i];
        bool circle = les__map_get(map, "centre_mm") || les__map_get(map, "radius_mm");
        bool polygon = les__map_get(map, "polygon_mm") != NULL;
        if (map->kind == LES__MAP && circle == polygon)
            les_diags_add(c->diags, LES_ERROR, map->pos.line, map->pos.column,
                          "a region needs either `polygon_mm` or `centre_mm` with `radius_mm`");
        else if (map->kind == LES__MAP && circle && !les__map_get(map, "radius_mm"))
            les__missing(c, map, "radius_mm", "(a circle needs its radius)");
        else if (map->kind == LES__MAP && circle && !les__map_get(map, "centre_mm"))
            les__missing(c, map, "centre_mm", "(a circle needs its centre)");
        out[i] = (sim_tissue_region){.polygon = in[i].polygon.items,
                                     .polygon_count = in[i].polygon.count,
                                     .centre_mm = in[i].centre.point,
                                     .radius_mm = in[i].radius_mm,
                                     .epidermis_mm = in[i].epidermis_mm,
                                     .dermis_mm = in[i].dermis_mm};
    }
    d->regions = out;
    d->region_count = n;
}

/* ------------------------------------------------------------------------ */
/* Scars                                                                    */
/* ------------------------------------------------------------------------ */

typedef struct les__scar_in {
    int kind;
    les__tissue_pts polyline;
    les__tissue_at centre;
    double width_mm, diameter_mm;
    double epidermis_mm, dermis_mm, unevenness;
} les__scar_in;

static void les__scar_type_key(les__sctx *c, const les__key *key, const les__node *value,
                               void *field, const char *path)
{
    (void)key;
    (void)path;
    static const char *const kinds[] = {"strip", "punch"};
    int *kind = field;
    if (les__scalar_is(value, "strip")) {
        *kind = SIM_SCAR_STRIP;
        return;
    }
    if (les__scalar_is(value, "punch")) {
        *kind = SIM_SCAR_PUNCH;
        return;
    }
    char got[128];
    const char *hint = value->kind == LES__SCALAR
                           ? les__suggest(value->text, value->len, kinds, 2, sizeof kinds[0])
                           : NULL;
    les_diags_add(c->diags, LES_ERROR, value->pos.line, value->pos.column,
                  "`type` must be strip or punch, got %s%s%s%s",
                  les__describe(value, got, sizeof got), hint ? "; did you mean `" : "",
                  hint ? hint : "", hint ? "`?" : "");
}

static const les__key les__scar_keys[] = {
    {.name = "type", .type = LES__K_CUSTOM, .required = true,
     .offset = offsetof(les__scar_in, kind), .custom = les__scar_type_key},
    {.name = "polyline_mm", .type = LES__K_CUSTOM, .min = 2, .max = LES__TISSUE_MAX_POINTS,
     .offset = offsetof(les__scar_in, polyline), .custom = les__tissue_points_key},
    {.name = "width_mm", .type = LES__K_NUMBER, .min = 0.05, .max = 50, .unit = "mm",
     .offset = offsetof(les__scar_in, width_mm)},
    {.name = "centre_mm", .type = LES__K_CUSTOM, .offset = offsetof(les__scar_in, centre),
     .custom = les__tissue_point_key},
    {.name = "diameter_mm", .type = LES__K_NUMBER, .min = 0.05, .max = 50, .unit = "mm",
     .offset = offsetof(les__scar_in, diameter_mm)},
    {.name = "unevenness", .type = LES__K_NUMBER, .min = 0, .max = 1,
     .offset = offsetof(les__scar_in, unevenness)},
    LES__LAYER_KEYS(les__scar_in),
};
static const les__schema les__scar_schema = LES__SCHEMA(les__scar_keys);

/* A strip takes polyline_mm and width_mm; a punch centre_mm and diameter_mm. */
static void les__scar_check(les__sctx *c, const les__node *map, const les__scar_in *s)
{
    static const char *const strip_only[] = {"polyline_mm", "width_mm"};
    static const char *const punch_only[] = {"centre_mm", "diameter_mm"};
    if (map->kind != LES__MAP || !s->kind)
        return;
    bool strip = s->kind == SIM_SCAR_STRIP;
    const char *const *need = strip ? strip_only : punch_only;
    const char *const *refuse = strip ? punch_only : strip_only;
    for (int k = 0; k < 2; k++) {
        if (!les__map_get(map, need[k]))
            les__missing(c, map, need[k], strip ? "(a strip scar)" : "(a punch scar)");
        const les__node *bad = les__map_key(map, refuse[k]);
        if (bad)
            les_diags_add(c->diags, LES_ERROR, bad->pos.line, bad->pos.column,
                          "`%s` does not apply to a %s scar", refuse[k], strip ? "strip" : "punch");
    }
}

static void les__scars_key(les__sctx *c, const les__key *key, const les__node *value,
                           void *field, const char *path)
{
    sim_tissue_desc *d = field;
    size_t n;
    les__scar_in *in = les__tissue_list(c, key, value, &les__scar_schema, sizeof *in, path, &n);
    sim_scar *out = n ? les__arena_array(c->arena, n, sizeof *out) : NULL;
    if (n && !out)
        c->nomem = true;
    if (!out)
        return;
    for (size_t i = 0; i < n; i++) {
        les__scar_check(c, value->items[i], &in[i]);
        out[i] = (sim_scar){.kind = (sim_scar_kind)in[i].kind,
                            .polyline = in[i].polyline.items,
                            .polyline_count = in[i].polyline.count,
                            .centre_mm = in[i].centre.point,
                            .width_mm = in[i].kind == SIM_SCAR_PUNCH ? in[i].diameter_mm
                                                                     : in[i].width_mm,
                            .epidermis_mm = in[i].epidermis_mm,
                            .dermis_mm = in[i].dermis_mm,
                            .unevenness = in[i].unevenness};
    }
    d->scars = out;
    d->scar_count = n;
}

/* ------------------------------------------------------------------------ */
/* Hair                                                                     */
/* ------------------------------------------------------------------------ */

static const les__key les__progression_keys[] = {
    {.name = "years", .type = LES__K_NUMBER, .required = true, .min = 1, .max = 60,
     .unit = "years", .offset = offsetof(sim_hair_desc, later_years)},
    {.name = "norwood", .type = LES__K_NUMBER, .required = true, .min = 1, .max = 7,
     .offset = offsetof(sim_hair_desc, norwood_later)},
};
static const les__schema les__progression_schema = LES__SCHEMA(les__progression_keys);

static void les__colour_key(les__sctx *c, const les__key *key, const les__node *value,
                            void *field, const char *path)
{
    (void)path;
    double *rgb = field;
    if (value->kind != LES__SEQ || value->count != 3) {
        les__expect_error(c, value, key->name, "a list [red, green, blue] of numbers from 0 to 1");
        return;
    }
    double v[3];
    for (int i = 0; i < 3; i++)
        if (!les__take_number(c, value->items[i], key->name, 0, 1, "linear RGB", &v[i]))
            return;
    memcpy(rgb, v, sizeof v);
}

static void les__whorl_key(les__sctx *c, const les__key *key, const les__node *value,
                           void *field, const char *path)
{
    (void)key;
    (void)path;
    int *turn = field;
    if (les__scalar_is(value, "clockwise"))
        *turn = 1;
    else if (les__scalar_is(value, "anticlockwise"))
        *turn = -1;
    else
        les__expect_error(c, value, "whorl", "clockwise or anticlockwise");
}

static void les__whorl_at_key(les__sctx *c, const les__key *key, const les__node *value,
                              void *field, const char *path)
{
    (void)path;
    sim_hair_desc *h = field;
    h->whorl_given = les__tissue_point(c, value, key->name, &h->whorl_mm);
}

typedef struct les__patch_in {
    les__tissue_pts polygon;
    double density_per_cm2;
} les__patch_in;

static const les__key les__patch_keys[] = {
    {.name = "polygon_mm", .type = LES__K_CUSTOM, .required = true, .min = 3,
     .max = LES__TISSUE_MAX_POINTS, .offset = offsetof(les__patch_in, polygon),
     .custom = les__tissue_points_key},
    {.name = "density_per_cm2", .type = LES__K_NUMBER, .required = true, .min = 0, .max = 1000,
     .unit = "hairs/cm²", .offset = offsetof(les__patch_in, density_per_cm2)},
};
static const les__schema les__patch_schema = LES__SCHEMA(les__patch_keys);

static void les__patches_key(les__sctx *c, const les__key *key, const les__node *value,
                             void *field, const char *path)
{
    sim_hair_desc *h = field;
    size_t n;
    les__patch_in *in = les__tissue_list(c, key, value, &les__patch_schema, sizeof *in, path, &n);
    sim_hair_patch *out = n ? les__arena_array(c->arena, n, sizeof *out) : NULL;
    if (n && !out)
        c->nomem = true;
    if (!out)
        return;
    for (size_t i = 0; i < n; i++)
        out[i] = (sim_hair_patch){.polygon = in[i].polygon.items,
                                  .polygon_count = in[i].polygon.count,
                                  .density_per_cm2 = in[i].density_per_cm2};
    h->patches = out;
    h->patch_count = n;
}

static const les__key les__hair_keys[] = {
    {.name = "norwood", .type = LES__K_NUMBER, .min = 1, .max = 7,
     .offset = offsetof(sim_hair_desc, norwood)},
    {.name = "progression", .type = LES__K_MAP, .offset = 0, .sub = &les__progression_schema},
    {.name = "density_per_cm2", .type = LES__K_NUMBER, .min = 1, .max = 1000,
     .unit = "hairs/cm²", .offset = offsetof(sim_hair_desc, density_per_cm2)},
    {.name = "calibre_mm", .type = LES__K_NUMBER, .min = 0.01, .max = 0.3, .unit = "mm",
     .offset = offsetof(sim_hair_desc, calibre_mm)},
    {.name = "length_mm", .type = LES__K_NUMBER, .min = 0.1, .max = 1000, .unit = "mm",
     .offset = offsetof(sim_hair_desc, length_mm)},
    {.name = "colour_rgb", .type = LES__K_CUSTOM, .offset = offsetof(sim_hair_desc, colour_rgb),
     .custom = les__colour_key},
    {.name = "whorl_mm", .type = LES__K_CUSTOM, .offset = 0, .custom = les__whorl_at_key},
    {.name = "whorl", .type = LES__K_CUSTOM, .offset = offsetof(sim_hair_desc, whorl_turn),
     .custom = les__whorl_key},
    {.name = "patches", .type = LES__K_CUSTOM, .offset = 0, .custom = les__patches_key},
};
static const les__schema les__hair_schema = LES__SCHEMA(les__hair_keys);

/* `hair:`; a progression needs a stage to progress from. */
static void les__hair_key(les__sctx *c, const les__key *key, const les__node *value,
                          void *field, const char *path)
{
    char sub[64];
    snprintf(sub, sizeof sub, "%s.%s", path, key->name);
    les__schema_apply(c, &les__hair_schema, value, field, sub);
    if (value->kind == LES__MAP && les__map_get(value, "progression") &&
        !les__map_get(value, "norwood"))
        les__missing(c, value, "norwood", "(a progression starts from the stage now)");
}

/* ------------------------------------------------------------------------ */
/* The top of `tissue:`                                                     */
/* ------------------------------------------------------------------------ */

static void les__seed_key(les__sctx *c, const les__key *key, const les__node *value,
                          void *field, const char *path)
{
    (void)path;
    double v;
    if (les__take_number(c, value, key->name, 0, 9007199254740991.0, NULL, &v)) {
        if (v != (double)(uint64_t)v)
            les__expect_error(c, value, key->name, "a whole number from 0 to 2^53 - 1");
        else
            *(uint64_t *)field = (uint64_t)v;
    }
}

static const les__key les__tissue_keys[] = {
    {.name = "fitzpatrick", .type = LES__K_INT, .min = 1, .max = 6, .unit = "skin type",
     .offset = offsetof(sim_tissue_desc, fitzpatrick)},
    LES__LAYER_KEYS(sim_tissue_desc),
    {.name = "regions", .type = LES__K_CUSTOM, .offset = 0, .custom = les__regions_key},
    {.name = "scars", .type = LES__K_CUSTOM, .offset = 0, .custom = les__scars_key},
    {.name = "hair", .type = LES__K_CUSTOM, .offset = offsetof(sim_tissue_desc, hair),
     .custom = les__hair_key},
    {.name = "seed", .type = LES__K_CUSTOM, .offset = offsetof(sim_tissue_desc, seed),
     .custom = les__seed_key},
};
const les__schema les__tissue_schema = LES__SCHEMA(les__tissue_keys);
