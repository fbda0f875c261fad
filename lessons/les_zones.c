/* les_zones.c: the lesson's `zones:` list. A zone is a polygon on the
 * chart with a kind:
 *  - work (the default): fill it at `density_per_cm2` within
 *    `depth_band_mm`, optionally with a given shade and cartridge;
 *  - forbidden: no dot belongs there (an active lesion, skin outside the
 *    consented area); it takes no density or band.
 * The kind chooses the key table, the way `surface.type` does.
 *
 * Threads: reentrant; the tables are const.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "les_lesson_internal.h"

/* FIDELITY.md "Needles, dots, density": natural follicle density. */
#define LES__FOLLICLES_PER_CM2 310.0

static const char *const les__zone_kinds[] = {"work", "forbidden", NULL};

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

void les__cartridge_key(les__sctx *c, const les__key *key, const les__node *value,
                               void *field, const char *path)
{
    (void)path;
    const sim_needle **out = field;
    int i = value->kind == LES__SCALAR && value->type != LES__NULL && value->len < 32
                ? sim_needle_find(value->text)
                : -1;
    if (i >= 0) {
        *out = sim_needle_get((size_t)i);
        return;
    }
    const char *names[16];
    size_t n = sim_needle_count() < 16 ? sim_needle_count() : 16;
    char known[200] = "";
    for (size_t k = 0; k < n; k++) {
        names[k] = sim_needle_get(k)->name;
        size_t len = strlen(known);
        snprintf(known + len, sizeof known - len, "%s%s", k ? ", " : "", names[k]);
    }
    char got[128];
    const char *hint = value->kind == LES__SCALAR
                           ? les__suggest(value->text, value->len, names, n, sizeof names[0])
                           : NULL;
    if (hint)
        les_diags_add(c->diags, LES_ERROR, value->pos.line, value->pos.column,
                      "`%s` must be a cartridge Stipple knows, got %s; did you mean `%s`?",
                      key->name, les__describe(value, got, sizeof got), hint);
    else
        les_diags_add(c->diags, LES_ERROR, value->pos.line, value->pos.column,
                      "`%s` must be a cartridge Stipple knows (%s), got %s", key->name,
                      known, les__describe(value, got, sizeof got));
}

/* shade: kept as written; les__tools_checks finds it among the pigments. */
static void les__shade_key(les__sctx *c, const les__key *key, const les__node *value,
                           void *field, const char *path)
{
    (void)path;
    if (value->kind != LES__SCALAR || value->type != LES__TEXT) {
        les__expect_error(c, value, key->name, "the name of a pigment in `tools.pigments`");
        return;
    }
    *(const les__node **)field = value;
}

/* A forbidden zone refuses the keys of a work zone by name. */
static void les__not_forbidden_key(les__sctx *c, const les__key *key, const les__node *value,
                                   void *field, const char *path)
{
    (void)field;
    les_diags_add(c->diags, LES_ERROR, value->pos.line, value->pos.column,
                  "%s is a forbidden zone: no dot belongs there, so it takes no `%s`",
                  path, key->name);
}

static void les__kind_key(les__sctx *c, const les__key *key, const les__node *value,
                          void *field, const char *path)
{
    (void)path;
    int kind = 0;
    if (les__take_enum(c, value, key->name, les__zone_kinds, &kind))
        ((les__zone_in *)field)->zone.kind = (les_zone_kind)kind;
}

#define LES__ZKEY_NAME                                                        \
    {.name = "name", .type = LES__K_TEXT, .required = true, .min = 1, .max = 64, \
     .offset = offsetof(les__zone_in, zone.name)}
#define LES__ZKEY_KIND {.name = "kind", .type = LES__K_CUSTOM, .custom = les__kind_key}
#define LES__ZKEY_POLYGON                                                     \
    {.name = "polygon_mm", .type = LES__K_CUSTOM, .required = true, .min = 3,   \
     .max = LES__MAX_POINTS, .unit = "mm", .offset = offsetof(les__zone_in, polygon), \
     .custom = les__points_key}
#define LES__ZKEY_NOTE                                                        \
    {.name = "note", .type = LES__K_PROSE, .min = 1, .max = 500,              \
     .offset = offsetof(les__zone_in, zone.note)}
#define LES__ZKEY_DENSITY(req)                                                \
    {.name = "density_per_cm2", .type = LES__K_NUMBER, .required = (req), .min = 1, \
     .max = 400, .unit = "dots/cm²", .offset = offsetof(les__zone_in, zone.density_per_cm2)}
#define LES__ZKEY_BAND(req)                                                   \
    {.name = "depth_band_mm", .type = LES__K_CUSTOM, .required = (req), .min = 0, \
     .max = 4, .unit = "mm", .offset = offsetof(les__zone_in, zone), .custom = les__band_key}
#define LES__ZKEY_SHADE                                                       \
    {.name = "shade", .type = LES__K_CUSTOM, .offset = offsetof(les__zone_in, shade), \
     .custom = les__shade_key}
#define LES__ZKEY_CARTRIDGE                                                   \
    {.name = "cartridge", .type = LES__K_CUSTOM,                              \
     .offset = offsetof(les__zone_in, zone.cartridge), .custom = les__cartridge_key}
#define LES__ZKEY_REFUSE(key)                                                 \
    {.name = (key), .type = LES__K_CUSTOM, .custom = les__not_forbidden_key}

static const les__key les__work_keys[] = {
    LES__ZKEY_NAME, LES__ZKEY_KIND, LES__ZKEY_POLYGON, LES__ZKEY_DENSITY(true),
    LES__ZKEY_BAND(true), LES__ZKEY_SHADE, LES__ZKEY_CARTRIDGE, LES__ZKEY_NOTE,
};
static const les__key les__forbidden_keys[] = {
    LES__ZKEY_NAME, LES__ZKEY_KIND, LES__ZKEY_POLYGON, LES__ZKEY_NOTE,
    LES__ZKEY_REFUSE("density_per_cm2"), LES__ZKEY_REFUSE("depth_band_mm"),
    LES__ZKEY_REFUSE("shade"), LES__ZKEY_REFUSE("cartridge"),
};
/* While the kind is unknown: check what is there, require what all share. */
static const les__key les__any_zone_keys[] = {
    LES__ZKEY_NAME, LES__ZKEY_KIND, LES__ZKEY_POLYGON, LES__ZKEY_DENSITY(false),
    LES__ZKEY_BAND(false), LES__ZKEY_SHADE, LES__ZKEY_CARTRIDGE, LES__ZKEY_NOTE,
};
static const les__schema les__work_schema = LES__SCHEMA(les__work_keys);
static const les__schema les__forbidden_schema = LES__SCHEMA(les__forbidden_keys);
static const les__schema les__any_zone_schema = LES__SCHEMA(les__any_zone_keys);

void les__zones_key(les__sctx *c, const les__key *key, const les__node *value,
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
        const les__node *kind = les__map_get(z->node, "kind");
        const les__schema *schema = &les__work_schema;
        if (les__scalar_is(kind, "forbidden"))
            schema = &les__forbidden_schema;
        else if (kind && !les__scalar_is(kind, "work"))
            schema = &les__any_zone_schema;
        les__schema_apply(c, schema, z->node, z, sub);
    }
}

void les__zone_checks(les__parse *p, size_t i)
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
    if (density && z->zone.kind == LES_ZONE_WORK &&
        z->zone.density_per_cm2 > LES__FOLLICLES_PER_CM2)
        les_diags_add(c->diags, LES_WARNING, density->pos.line, density->pos.column,
                      "%s dots/cm² is denser than natural follicles (about 310/cm²)",
                      density->text);
}
