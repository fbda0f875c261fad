/* les_lesson.c: lesson files (les_lesson.h): the format-1 top-level table,
 * the parse passes, load/parse/deinit and zone lookup. Each part of a
 * lesson is read in its own file (les_lesson_internal.h lists them).
 *
 * Passes over one file:
 *  1. les__yaml_load: text -> positioned tree (temporary arena);
 *  2. les__schema_apply with the tables: values into the lesson (lesson
 *     arena), raw points kept aside with their positions;
 *  3. geometry: points projected onto the chart for the surface, checked
 *     against the pad or the chart, polygons checked for crossings;
 *  4. checks across keys and realism warnings (les_check.c); the files the
 *     lesson names, when it was loaded from one (les_files.c);
 *  5. the canonical hash, when nothing was wrong;
 *  6. diagnostics sorted into file order.
 * Passes 2 and 3-4 are apart so key order in the file never matters.
 *
 * Ownership: the lesson owns one arena (les_lesson_deinit frees it).
 * Threads: reentrant.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "les_lesson_internal.h"

_Static_assert(sizeof(les_level) == sizeof(int), "enums are read as int");
_Static_assert(sizeof(les_mode) == sizeof(int), "enums are read as int");

/* ------------------------------------------------------------------------ */
/* Tables                                                                   */
/* ------------------------------------------------------------------------ */

static const char *const les__levels[] = {"beginner", "intermediate", "advanced",
                                          "certification", NULL};
static const char *const les__modes[] = {"practice", "exam", NULL};

/* level: an enum counted from 1 (0 is "not given"). */
static void les__level_key(les__sctx *c, const les__key *key, const les__node *value,
                           void *field, const char *path)
{
    (void)path;
    int i;
    if (les__take_enum(c, value, key->name, les__levels, &i))
        *(les_level *)field = (les_level)(i + 1);
}

/* time_limit_min: minutes in the file, seconds in the lesson. */
static void les__time_limit_key(les__sctx *c, const les__key *key, const les__node *value,
                                void *field, const char *path)
{
    (void)path;
    double min;
    if (les__take_number(c, value, key->name, key->min, key->max, key->unit, &min))
        *(double *)field = 60.0 * min;
}

static const les__key les__hairline_keys[] = {
    {.name = "polyline_mm", .type = LES__K_CUSTOM, .required = true, .min = 2,
     .max = LES__MAX_POINTS, .unit = "mm", .offset = offsetof(les__hairline_in, polyline),
     .custom = les__points_key},
    {.name = "temple_points_mm", .type = LES__K_CUSTOM, .min = 2, .max = 2, .unit = "mm",
     .offset = offsetof(les__hairline_in, temples), .custom = les__points_key},
};
static const les__schema les__hairline_schema = LES__SCHEMA(les__hairline_keys);

static const les__key les__session_keys[] = {
    {.name = "number", .type = LES__K_INT, .required = true, .min = 1, .max = 6,
     .offset = offsetof(les_session, number)},
    {.name = "planned", .type = LES__K_INT, .min = 1, .max = 6,
     .offset = offsetof(les_session, planned)},
    {.name = "days_since_previous", .type = LES__K_NUMBER, .min = 1, .max = 3650,
     .unit = "days", .offset = offsetof(les_session, days_since_previous)},
    {.name = "previous_impressions", .type = LES__K_TEXT, .min = 1, .max = 1000,
     .offset = offsetof(les_session, previous_impressions)},
    {.name = "previous_sha256", .type = LES__K_CUSTOM,
     .offset = offsetof(les_session, previous_sha256), .custom = les__sha256_key},
};
static const les__schema les__session_schema = LES__SCHEMA(les__session_keys);

static const les__key les__hint_item = {.name = "hints", .type = LES__K_PROSE, .min = 1,
                                        .max = 500};

#define LES__AT(field) offsetof(les__parse, lesson.field)
static const les__key les__top_keys[] = {
    {.name = "stipple_lesson", .type = LES__K_INT, .required = true,
     .min = LES_FORMAT_VERSION, .max = LES_FORMAT_VERSION, .offset = LES__AT(format)},
    {.name = "id", .type = LES__K_ID, .required = true, .min = 1, .max = 64,
     .offset = LES__AT(id)},
    {.name = "title", .type = LES__K_TEXT, .required = true, .min = 1, .max = 200,
     .offset = LES__AT(title)},
    {.name = "version", .type = LES__K_INT, .required = true, .min = 1, .max = INFINITY,
     .offset = LES__AT(version)},
    {.name = "author", .type = LES__K_TEXT, .min = 1, .max = 200, .offset = LES__AT(author)},
    {.name = "description", .type = LES__K_PROSE, .min = 1, .max = 4000,
     .offset = LES__AT(description)},
    {.name = "level", .type = LES__K_CUSTOM, .offset = LES__AT(level),
     .custom = les__level_key},
    {.name = "surface", .type = LES__K_CUSTOM, .required = true, .custom = les__surface_key},
    {.name = "tissue", .type = LES__K_MAP, .offset = LES__AT(tissue), .sub = &les__tissue_schema},
    {.name = "client", .type = LES__K_MAP, .offset = LES__AT(client),
     .sub = &les__client_schema},
    {.name = "tools", .type = LES__K_MAP, .offset = LES__AT(tools), .sub = &les__tools_schema},
    {.name = "zones", .type = LES__K_CUSTOM, .required = true, .custom = les__zones_key},
    {.name = "hairline", .type = LES__K_MAP, .offset = offsetof(les__parse, hairline),
     .sub = &les__hairline_schema},
    {.name = "session", .type = LES__K_MAP, .offset = LES__AT(session),
     .sub = &les__session_schema},
    {.name = "rubric", .type = LES__K_MAP, .required = true, .offset = LES__AT(rubric),
     .sub = &les__rubric_schema},
    {.name = "mode", .type = LES__K_ENUM, .names = les__modes, .offset = LES__AT(mode)},
    {.name = "time_limit_min", .type = LES__K_CUSTOM, .min = 1, .max = 600,
     .unit = "minutes", .offset = LES__AT(time_limit_s), .custom = les__time_limit_key},
    {.name = "hints", .type = LES__K_LIST, .min = 1, .max = 20, .offset = LES__AT(hints),
     .count_offset = LES__AT(hint_count), .item = &les__hint_item,
     .item_size = sizeof(const char *)},
};
#undef LES__AT
static const les__schema les__top_schema = LES__SCHEMA(les__top_keys);

/* ------------------------------------------------------------------------ */
/* Geometry                                                                 */
/* ------------------------------------------------------------------------ */

static void les__geometry(les__parse *p)
{
    for (size_t i = 0; i < p->zone_count; i++) {
        les__zone_checks(p, i);
        if (p->surface_ok && p->zones[i].polygon.ok)
            les__zone_polygon(p, &p->zones[i]);
    }
    les_lesson *l = &p->lesson;
    if (p->surface_ok && p->hairline.polyline.ok) {
        l->hairline = les__chart_points(p, &p->hairline.polyline, false);
        l->hairline_count = l->hairline ? p->hairline.polyline.count : 0;
    }
    if (p->surface_ok && p->hairline.temples.ok) {
        l->temple_points = les__chart_points(p, &p->hairline.temples, false);
        l->temple_point_count = l->temple_points ? 2 : 0;
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

/* Passes 2-5 on a loaded tree. */
static les_result les__build(les__parse *p, const les__node *root, size_t errors,
                             bool files)
{
    les_diags *d = p->sc.diags;
    if (!root) {
        les_diags_add(d, LES_ERROR, 1, 1,
                      "the file is empty; a lesson starts with `stipple_lesson: 1`");
        return LES_ERR_INVALID;
    }
    p->root = root;
    les__schema_apply(&p->sc, &les__top_schema, root, p, "");
    if (!p->sc.nomem)
        les__geometry(p);
    if (!p->sc.nomem)
        les__lesson_checks(p);
    if (!p->sc.nomem && files && d->errors == errors &&
        !les__check_files(&p->lesson, root, d))
        p->sc.nomem = true;
    if (p->sc.nomem)
        return LES_ERR_NOMEM;
    if (d->errors > errors)
        return LES_ERR_INVALID;
    les_result r = les__copy_zones(p);
    if (r == LES_OK)
        r = les__canonical_hash(root, p->lesson.hash, p->lesson.hash_hex);
    return r;
}

/* Parses text; `path` is the file it came from (its folder resolves the
 * files the lesson names, which are then checked), or NULL. */
static les_result les__parse_text(les_lesson *lesson, const char *text, size_t len,
                                  const char *path, les_diags *diags)
{
    les__parse p;
    memset(&p, 0, sizeof p);
    p.sc.diags = diags;
    p.sc.arena = &p.lesson.arena;
    p.sc.user = &p;
    les_rubric_defaults(&p.lesson.rubric);
    p.lesson.mesh.unit_mm = 1.0;
    p.lesson.session.number = 1;
    p.lesson.path = path ? les__arena_strndup(&p.lesson.arena, path, strlen(path)) : "";
    size_t first = diags->count, errors = diags->errors;

    les__node *root = NULL;
    les_result r = p.lesson.path ? LES_OK : LES_ERR_NOMEM;
    if (r == LES_OK)
        r = les__yaml_load(text ? text : "", len, &p.tmp, diags, &root);
    if (r == LES_OK)
        r = les__build(&p, root, errors, path != NULL);
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

les_result les_lesson_parse(les_lesson *lesson, const char *text, size_t len,
                            les_diags *diags)
{
    if (!lesson || !diags)
        return LES_ERR_ARG;
    memset(lesson, 0, sizeof *lesson);
    if (!text && len)
        return LES_ERR_ARG;
    return les__parse_text(lesson, text, len, NULL, diags);
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
    r = les__parse_text(lesson, text, len, path, diags);
    sim_free(text);
    return r;
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
    int work = -1;
    for (size_t i = 0; i < lesson->zone_count; i++) {
        const les_zone *z = &lesson->zones[i];
        if (!sim_polygon_contains(z->polygon, z->polygon_count, uv))
            continue;
        if (z->kind == LES_ZONE_FORBIDDEN)
            return (int)i;
        if (work < 0)
            work = (int)i;
    }
    return work;
}
