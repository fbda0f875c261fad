/* les_profiles.c: pigment, machine and cartridge profiles from assets/
 * (les_profiles.h), through the same YAML reader and schema engine as
 * lessons.
 *
 * Threads: reentrant; the tables are const.
 */
#include "les_profiles.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "les_schema.h"

#define LES__MAX_CARTRIDGES 64

/* ------------------------------------------------------------------------ */
/* Loading one file                                                         */
/* ------------------------------------------------------------------------ */

/* Reads `path` and applies `schema` to its top mapping into `target`. */
static les_result les__profile_load(const char *path, const les__schema *schema,
                                    void *target, les_arena_block **tmp, les_diags *diags)
{
    if (!path || !target || !diags)
        return LES_ERR_ARG;
    if (!diags->file[0])
        snprintf(diags->file, sizeof diags->file, "%s", path);
    size_t first = diags->count, errors = diags->errors;
    char *text = NULL;
    size_t len = 0;
    int sys_errno = 0;
    les_result r = les__read_file(path, &text, &len, &sys_errno);
    if (r == LES_ERR_IO)
        les_diags_add(diags, LES_ERROR, 1, 1, "cannot read the file: %s", strerror(sys_errno));
    les__node *root = NULL;
    if (r == LES_OK)
        r = les__yaml_load(text, len, tmp, diags, &root);
    sim_free(text);
    if (r == LES_OK && !root) {
        les_diags_add(diags, LES_ERROR, 1, 1, "the file is empty");
        r = LES_ERR_INVALID;
    }
    if (r == LES_OK) {
        les__sctx c = {.diags = diags, .arena = tmp};
        les__schema_apply(&c, schema, root, target, "");
        if (c.nomem)
            r = LES_ERR_NOMEM;
        else if (diags->errors > errors)
            r = LES_ERR_INVALID;
    }
    if (r == LES_ERR_NOMEM)
        les_diags_add(diags, LES_ERROR, 1, 1, "out of memory");
    les__diags_sort(diags, first);
    return r;
}

static void les__copy_name(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

/* ------------------------------------------------------------------------ */
/* Pigments and machines                                                    */
/* ------------------------------------------------------------------------ */

typedef struct les__pigment_in {
    int format;
    const char *name;
    sim_pigment p;
} les__pigment_in;

static const les__key les__pigment_keys[] = {
    {.name = "stipple_pigment", .type = LES__K_INT, .required = true, .min = 1, .max = 1,
     .offset = offsetof(les__pigment_in, format)},
    {.name = "name", .type = LES__K_ID, .required = true, .min = 1, .max = SIM_PROFILE_NAME_LEN,
     .offset = offsetof(les__pigment_in, name)},
    {.name = "shade", .type = LES__K_NUMBER, .required = true, .min = 0.05, .max = 1,
     .offset = offsetof(les__pigment_in, p.shade)},
    {.name = "dilution", .type = LES__K_NUMBER, .min = 0, .max = 0.9,
     .offset = offsetof(les__pigment_in, p.dilution)},
    {.name = "half_life_years", .type = LES__K_NUMBER, .min = 0.5, .max = 200, .unit = "years",
     .offset = offsetof(les__pigment_in, p.half_life_years)},
    {.name = "hue_drift_per_decade", .type = LES__K_NUMBER, .min = 0, .max = 1,
     .offset = offsetof(les__pigment_in, p.hue_drift_per_decade)},
};
static const les__schema les__pigment_schema = LES__SCHEMA(les__pigment_keys);

les_result les_pigment_load(const char *path, sim_pigment *out, les_diags *diags)
{
    if (out)
        memset(out, 0, sizeof *out);
    les__pigment_in in;
    memset(&in, 0, sizeof in);
    les_arena_block *tmp = NULL;
    les_result r = les__profile_load(path, &les__pigment_schema, &in, &tmp, diags);
    if (r == LES_OK) {
        *out = sim_pigment_resolve(in.p);
        les__copy_name(out->name, sizeof out->name, in.name);
    }
    les__arena_free(&tmp);
    return r;
}

typedef struct les__machine_in {
    int format;
    const char *name;
    sim_machine m;
} les__machine_in;

static const les__key les__machine_keys[] = {
    {.name = "stipple_machine", .type = LES__K_INT, .required = true, .min = 1, .max = 1,
     .offset = offsetof(les__machine_in, format)},
    {.name = "name", .type = LES__K_ID, .required = true, .min = 1, .max = SIM_PROFILE_NAME_LEN,
     .offset = offsetof(les__machine_in, name)},
    {.name = "stroke_mm", .type = LES__K_NUMBER, .required = true, .min = 1.5, .max = 5.5,
     .unit = "mm", .offset = offsetof(les__machine_in, m.stroke_mm)},
    {.name = "frequency_hz", .type = LES__K_NUMBER, .required = true, .min = 0.5, .max = 200,
     .unit = "Hz", .offset = offsetof(les__machine_in, m.frequency_hz)},
};
static const les__schema les__machine_schema = LES__SCHEMA(les__machine_keys);

les_result les_machine_load(const char *path, sim_machine *out, les_diags *diags)
{
    if (out)
        memset(out, 0, sizeof *out);
    les__machine_in in;
    memset(&in, 0, sizeof in);
    les_arena_block *tmp = NULL;
    les_result r = les__profile_load(path, &les__machine_schema, &in, &tmp, diags);
    if (r == LES_OK) {
        *out = sim_machine_resolve(in.m);
        les__copy_name(out->name, sizeof out->name, in.name);
    }
    les__arena_free(&tmp);
    return r;
}

/* ------------------------------------------------------------------------ */
/* Cartridges                                                               */
/* ------------------------------------------------------------------------ */

typedef struct les__cart_in {
    const char *name;
    int needles;
    double needle_diameter_mm;
} les__cart_in;

typedef struct les__carts_in {
    int format;
    les__cart_in *items;
    size_t count;
} les__carts_in;

static void les__needles_key(les__sctx *c, const les__key *key, const les__node *value,
                             void *field, const char *path)
{
    (void)path;
    int n;
    if (les__take_int(c, value, key->name, 1, 3, NULL, &n)) {
        if (n == 2)
            les__expect_error(c, value, key->name, "1 or 3 (a round liner)");
        else
            *(int *)field = n;
    }
}

static const les__key les__cart_keys[] = {
    {.name = "name", .type = LES__K_TEXT, .required = true, .min = 1, .max = SIM_NEEDLE_NAME_LEN,
     .offset = offsetof(les__cart_in, name)},
    {.name = "needles", .type = LES__K_CUSTOM, .required = true,
     .offset = offsetof(les__cart_in, needles), .custom = les__needles_key},
    {.name = "needle_diameter_mm", .type = LES__K_NUMBER, .required = true, .min = 0.1,
     .max = 0.5, .unit = "mm", .offset = offsetof(les__cart_in, needle_diameter_mm)},
};
static const les__schema les__cart_schema = LES__SCHEMA(les__cart_keys);

static void les__carts_key(les__sctx *c, const les__key *key, const les__node *value,
                           void *field, const char *path)
{
    (void)path;
    les__carts_in *in = field;
    if (value->kind != LES__SEQ || value->count < 1 || value->count > LES__MAX_CARTRIDGES) {
        les__expect_error(c, value, key->name, "a list of 1 to 64 cartridges");
        return;
    }
    in->items = les__arena_array(c->arena, value->count, sizeof *in->items);
    if (!in->items) {
        c->nomem = true;
        return;
    }
    in->count = value->count;
    for (size_t i = 0; i < value->count; i++) {
        char sub[48];
        snprintf(sub, sizeof sub, "cartridges[%zu]", i);
        les__schema_apply(c, &les__cart_schema, value->items[i], &in->items[i], sub);
    }
}

static const les__key les__carts_keys[] = {
    {.name = "stipple_cartridges", .type = LES__K_INT, .required = true, .min = 1, .max = 1,
     .offset = offsetof(les__carts_in, format)},
    {.name = "cartridges", .type = LES__K_CUSTOM, .required = true, .custom = les__carts_key},
};
static const les__schema les__carts_schema = LES__SCHEMA(les__carts_keys);

les_result les_cartridges_load(const char *path, sim_needle *out, size_t capacity,
                               size_t *count, les_diags *diags)
{
    if (!out || !count)
        return LES_ERR_ARG;
    *count = 0;
    les__carts_in in;
    memset(&in, 0, sizeof in);
    les_arena_block *tmp = NULL;
    les_result r = les__profile_load(path, &les__carts_schema, &in, &tmp, diags);
    if (r == LES_OK && in.count > capacity) {
        les_diags_add(diags, LES_ERROR, 1, 1, "%zu cartridges, more than the %zu expected",
                      in.count, capacity);
        r = LES_ERR_INVALID;
    }
    for (size_t i = 0; r == LES_OK && i < in.count; i++) {
        sim_needle *n = &out[i];
        memset(n, 0, sizeof *n);
        les__copy_name(n->name, sizeof n->name, in.items[i].name);
        n->needle_count = (uint32_t)in.items[i].needles;
        n->needle_diameter_mm = in.items[i].needle_diameter_mm;
        n->group_diameter_mm = sim_needle_group_diameter_mm(n->needle_count, n->needle_diameter_mm);
    }
    if (r == LES_OK)
        *count = in.count;
    les__arena_free(&tmp);
    return r;
}
