/* les_surface.c: the lesson's `surface:` mapping (a practice pad, the
 * default head, or an imported head mesh) and building that surface.
 *
 * The `type` chooses the key table: a pad takes its size, a head its mesh
 * resolution or an imported mesh (an OBJ file, les_obj.h). While the type
 * is unknown every key is checked and only the type is required.
 *
 * Threads: reentrant; the tables are const.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "les_lesson_internal.h"
#include "les_obj.h"

/* The parse writes the surface desc and the mesh reference side by side. */
typedef struct les__surface_in {
    sim_surface_desc desc;
    les_mesh_ref mesh;
} les__surface_in;

static void les__surface_type_key(les__sctx *c, const les__key *key,
                                  const les__node *value, void *field, const char *path)
{
    (void)path;
    static const char *const kinds[] = {"pad", "head", NULL};
    int kind;
    if (les__take_enum(c, value, key->name, kinds, &kind))
        ((les__surface_in *)field)->desc.kind = kind == 0 ? SIM_SURFACE_PAD : SIM_SURFACE_HEAD;
}

static void les__resolution_key(les__sctx *c, const les__key *key,
                                const les__node *value, void *field, const char *path)
{
    (void)path;
    int cells;
    if (les__take_int(c, value, key->name, key->min, key->max, key->unit, &cells))
        ((les__surface_in *)field)->desc.head.face_cells = (uint32_t)cells;
}

/* mesh: a relative or absolute path to an OBJ file, one line, no NULs. */
static void les__mesh_key(les__sctx *c, const les__key *key, const les__node *value,
                          void *field, const char *path)
{
    (void)path;
    bool ok = value->kind == LES__SCALAR && value->type == LES__TEXT && value->len >= 1 &&
              value->len <= 1000 && strlen(value->text) == value->len;
    for (size_t i = 0; ok && i < value->len; i++)
        ok = (unsigned char)value->text[i] >= 0x20;
    if (!ok) {
        les__expect_error(c, value, key->name,
                          "the path of an OBJ file (relative to the lesson's folder)");
        return;
    }
    les__surface_in *s = field;
    s->mesh.path = les__arena_strndup(c->arena, value->text, value->len);
    if (!s->mesh.path)
        c->nomem = true;
}

#define LES__TYPE_KEY {.name = "type", .type = LES__K_CUSTOM, .required = true,   \
                       .custom = les__surface_type_key}
#define LES__SIZE_KEY(key, field, req)                                        \
    {.name = (key), .type = LES__K_NUMBER, .required = (req), .min = 10,      \
     .max = 500, .unit = "mm", .offset = offsetof(les__surface_in, desc.field)}
#define LES__RESOLUTION_KEY                                                   \
    {.name = "resolution", .type = LES__K_CUSTOM, .min = 32, .max = 512,      \
     .unit = "cells per cube face edge", .custom = les__resolution_key}
#define LES__MESH_KEYS                                                        \
    {.name = "mesh", .type = LES__K_CUSTOM, .custom = les__mesh_key},         \
    {.name = "mesh_unit_mm", .type = LES__K_NUMBER, .min = 0.001, .max = 1000, \
     .unit = "mm per file unit", .offset = offsetof(les__surface_in, mesh.unit_mm)}, \
    {.name = "mesh_sha256", .type = LES__K_CUSTOM,                            \
     .offset = offsetof(les__surface_in, mesh.sha256), .custom = les__sha256_key}

static const les__key les__pad_keys[] = {
    LES__TYPE_KEY, LES__SIZE_KEY("width_mm", width_mm, true),
    LES__SIZE_KEY("height_mm", height_mm, true)};
static const les__key les__head_keys[] = {LES__TYPE_KEY, LES__RESOLUTION_KEY, LES__MESH_KEYS};
static const les__key les__any_surface_keys[] = {
    LES__TYPE_KEY, LES__SIZE_KEY("width_mm", width_mm, false),
    LES__SIZE_KEY("height_mm", height_mm, false), LES__RESOLUTION_KEY, LES__MESH_KEYS};
static const les__schema les__pad_schema = LES__SCHEMA(les__pad_keys);
static const les__schema les__head_schema = LES__SCHEMA(les__head_keys);
static const les__schema les__any_surface_schema = LES__SCHEMA(les__any_surface_keys);

void les__surface_key(les__sctx *c, const les__key *key, const les__node *value,
                      void *field, const char *path)
{
    (void)field;
    (void)path;
    les__parse *p = les__state(c);
    const les__node *type = les__map_get(value, "type");
    const les__schema *schema = &les__any_surface_schema;
    if (les__scalar_is(type, "pad"))
        schema = &les__pad_schema;
    else if (les__scalar_is(type, "head"))
        schema = &les__head_schema;
    les__surface_in in = {.desc = p->lesson.surface, .mesh = p->lesson.mesh};
    size_t errors = c->diags->errors;
    les__schema_apply(c, schema, value, &in, key->name);
    const les__node *mesh = les__map_get(value, "mesh");
    if (!mesh && les__map_get(value, "mesh_unit_mm") && value->kind == LES__MAP)
        les_diags_add(c->diags, LES_ERROR, value->pos.line, value->pos.column,
                      "`mesh_unit_mm` needs a `mesh` in surface");
    if (!mesh && les__map_get(value, "mesh_sha256") && value->kind == LES__MAP)
        les_diags_add(c->diags, LES_ERROR, value->pos.line, value->pos.column,
                      "`mesh_sha256` needs a `mesh` in surface");
    if (mesh && les__map_get(value, "resolution") && value->kind == LES__MAP)
        les_diags_add(c->diags, LES_ERROR, value->pos.line, value->pos.column,
                      "`resolution` is for the default head; an imported `mesh` comes "
                      "with its own triangles");
    p->lesson.surface = in.desc;
    p->lesson.mesh = in.mesh;
    p->surface_ok = in.desc.kind != SIM_SURFACE_NONE && c->diags->errors == errors;
}

/* ------------------------------------------------------------------------ */
/* Building the surface                                                     */
/* ------------------------------------------------------------------------ */

les_result les_lesson_surface_init(const les_lesson *lesson, sim_surface *surface,
                                   sim_error *err)
{
    if (!lesson || !surface)
        return (les_result)sim_error_set(err, LES_ERR_ARG, NULL, 0, 0,
                                         "les_lesson_surface_init: missing argument");
    memset(surface, 0, sizeof *surface);
    if (!lesson->mesh.path) {
        sim_result r = sim_surface_init(surface, &lesson->surface, err);
        if (r == SIM_OK)
            return LES_OK;
        if (err)
            err->code = r == SIM_ERR_NOMEM ? LES_ERR_NOMEM : LES_ERR_INPUT;
        return r == SIM_ERR_NOMEM ? LES_ERR_NOMEM : LES_ERR_INPUT;
    }
    char path[4096];
    if (!les_lesson_file(lesson, lesson->mesh.path, path, sizeof path))
        return (les_result)sim_error_set(err, LES_ERR_IO, lesson->mesh.path, 0, 0,
                                         "the mesh's path is too long");
    sim_mesh mesh;
    les_result r = les_obj_load(path, lesson->mesh.unit_mm, &mesh, err);
    if (r != LES_OK)
        return r;
    sim_result s = sim_surface_init_mesh(surface, &mesh, err);
    sim_mesh_deinit(&mesh);
    if (s == SIM_OK)
        return LES_OK;
    r = s == SIM_ERR_NOMEM ? LES_ERR_NOMEM : LES_ERR_INPUT;
    if (err) {
        err->code = r;
        size_t n = strlen(path) < sizeof err->file ? strlen(path) : sizeof err->file - 1;
        memcpy(err->file, path, n);
        err->file[n] = '\0';
    }
    return r;
}
