/* les_curriculum.c: curriculum files (les_curriculum.h): the schema, the
 * lessons each entry names, and the unlock rules.
 *
 * Threads: reentrant.
 */
#include "les_curriculum.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "les_schema.h"

#define LES__MAX_ENTRIES 200

typedef struct les__entry_in {
    const char *file;
    const char **requires;
    size_t require_count;
    double min_score;
} les__entry_in;

typedef struct les__cur_parse {
    les__sctx sc;
    les_arena_block *tmp;
    les_curriculum cur;
    les__entry_in *entries;
    size_t entry_count;
} les__cur_parse;

static const les__key les__require_item = {.name = "requires", .type = LES__K_ID, .min = 1,
                                           .max = 64};
static const les__key les__entry_keys[] = {
    {.name = "file", .type = LES__K_TEXT, .required = true, .min = 1, .max = 1000,
     .offset = offsetof(les__entry_in, file)},
    {.name = "requires", .type = LES__K_LIST, .min = 0, .max = 50,
     .offset = offsetof(les__entry_in, requires),
     .count_offset = offsetof(les__entry_in, require_count), .item = &les__require_item,
     .item_size = sizeof(const char *)},
    {.name = "min_score", .type = LES__K_NUMBER, .min = 0, .max = 100,
     .offset = offsetof(les__entry_in, min_score)},
};
static const les__schema les__entry_schema = LES__SCHEMA(les__entry_keys);
static const les__key les__entry_item = {.name = "lessons", .type = LES__K_MAP,
                                         .sub = &les__entry_schema};

static const les__key les__cur_keys[] = {
    {.name = "stipple_curriculum", .type = LES__K_INT, .required = true,
     .min = LES_CURRICULUM_FORMAT, .max = LES_CURRICULUM_FORMAT,
     .offset = offsetof(les__cur_parse, cur.format)},
    {.name = "id", .type = LES__K_ID, .required = true, .min = 1, .max = 64,
     .offset = offsetof(les__cur_parse, cur.id)},
    {.name = "title", .type = LES__K_TEXT, .required = true, .min = 1, .max = 200,
     .offset = offsetof(les__cur_parse, cur.title)},
    {.name = "lessons", .type = LES__K_LIST, .required = true, .min = 1,
     .max = LES__MAX_ENTRIES, .offset = offsetof(les__cur_parse, entries),
     .count_offset = offsetof(les__cur_parse, entry_count), .item = &les__entry_item,
     .item_size = sizeof(les__entry_in)},
};
static const les__schema les__cur_schema = LES__SCHEMA(les__cur_keys);

bool les_curriculum_file(const les_curriculum *c, size_t i, char *buf, size_t size)
{
    if (!c || i >= c->count || !buf || size == 0)
        return false;
    les_lesson base = {.path = c->path};
    return les_lesson_file(&base, c->entries[i].file, buf, size);
}

/* ------------------------------------------------------------------------ */
/* Checks                                                                   */
/* ------------------------------------------------------------------------ */

/* Loads entry i's lesson into the entry; diagnostics at its `file`. */
static void les__cur_lesson(les__cur_parse *p, size_t i, const les__node *file)
{
    les_curriculum_entry *e = &p->cur.entries[i];
    char path[4096];
    les_diags *d = p->sc.diags;
    if (!les_curriculum_file(&p->cur, i, path, sizeof path)) {
        les_diags_add(d, LES_ERROR, file->pos.line, file->pos.column, "the path is too long");
        return;
    }
    les_lesson l;
    les_diags ld;
    les_diags_init(&ld, path);
    les_result r = les_lesson_load(&l, path, &ld);
    if (r == LES_ERR_NOMEM) {
        p->sc.nomem = true;
    } else if (r != LES_OK) {
        const les_diag *first = ld.count ? &ld.items[0] : NULL;
        les_diags_add(d, LES_ERROR, file->pos.line, file->pos.column,
                      "lesson %s has %zu error%s; the first: %d:%d: %s", path, ld.errors,
                      ld.errors == 1 ? "" : "s", first ? first->line : 1,
                      first ? first->column : 1, first ? first->message : "");
    } else {
        e->id = les__arena_strndup(&p->cur.arena, l.id, strlen(l.id));
        e->title = les__arena_strndup(&p->cur.arena, l.title, strlen(l.title));
        p->sc.nomem = p->sc.nomem || !e->id || !e->title;
        e->level = l.level;
        e->mode = l.mode;
        e->pass_mark = l.rubric.pass_mark;
        if (ld.count > ld.errors)
            les_diags_add(d, LES_WARNING, file->pos.line, file->pos.column,
                          "lesson %s has %zu warning%s (stipple lesson validate %s)", path,
                          ld.count - ld.errors, ld.count - ld.errors == 1 ? "" : "s", path);
        les_lesson_deinit(&l);
    }
    les_diags_deinit(&ld);
}

static int les__cur_index(const les_curriculum *c, const char *id)
{
    for (size_t i = 0; i < c->count; i++)
        if (c->entries[i].id && strcmp(c->entries[i].id, id) == 0)
            return (int)i;
    return -1;
}

/* Entry i's requirements: earlier entries, each once. */
static void les__cur_requires(les__cur_parse *p, size_t i, const les__node *list)
{
    les_curriculum_entry *e = &p->cur.entries[i];
    const les__entry_in *in = &p->entries[i];
    les_diags *d = p->sc.diags;
    e->requires = les__arena_array(&p->cur.arena, in->require_count + 1, sizeof *e->requires);
    if (!e->requires) {
        p->sc.nomem = true;
        return;
    }
    for (size_t k = 0; k < in->require_count; k++) {
        const les__node *at = list->items[k];
        const char *id = in->requires[k];
        if (!id)
            continue; /* not an id (reported) */
        int j = les__cur_index(&p->cur, id);
        if (j >= 0 && (size_t)j < i) {
            bool seen = false;
            for (size_t m = 0; m < e->require_count && !seen; m++)
                seen = e->requires[m] == (size_t)j;
            if (seen)
                les_diags_add(d, LES_ERROR, at->pos.line, at->pos.column,
                              "`%s` is required twice", id);
            else
                e->requires[e->require_count++] = (size_t)j;
        } else if (j >= 0) {
            les_diags_add(d, LES_ERROR, at->pos.line, at->pos.column,
                          "`%s` comes later in the list (or is this lesson): a lesson can only "
                          "require lessons before it", id);
        } else {
            const char *names[LES__MAX_ENTRIES];
            size_t n = 0;
            for (size_t m = 0; m < p->cur.count; m++)
                if (p->cur.entries[m].id)
                    names[n++] = p->cur.entries[m].id;
            const char *hint = les__suggest(id, strlen(id), names, n, sizeof names[0]);
            les_diags_add(d, LES_ERROR, at->pos.line, at->pos.column,
                          "no lesson in the curriculum has the id `%s`%s%s%s", id,
                          hint ? "; did you mean `" : "", hint ? hint : "", hint ? "`?" : "");
        }
    }
}

static void les__cur_checks(les__cur_parse *p, const les__node *root)
{
    const les__node *list = les__map_get(root, "lessons");
    les_curriculum *c = &p->cur;
    c->entries = les__arena_array(&c->arena, p->entry_count + 1, sizeof *c->entries);
    if (!c->entries) {
        p->sc.nomem = true;
        return;
    }
    c->count = p->entry_count;
    for (size_t i = 0; i < c->count && !p->sc.nomem; i++) {
        const les__node *item = list->items[i];
        const les__node *file = les__map_get(item, "file");
        c->entries[i].file = p->entries[i].file;
        c->entries[i].min_score = p->entries[i].min_score;
        c->entries[i].pos = item->pos;
        if (!p->entries[i].file || !file)
            continue;
        les__cur_lesson(p, i, file);
        int first = c->entries[i].id ? les__cur_index(c, c->entries[i].id) : -1;
        if (first >= 0 && (size_t)first < i) {
            les_diags_add(p->sc.diags, LES_ERROR, file->pos.line, file->pos.column,
                          "lesson `%s` is already in the curriculum (lessons[%d])",
                          c->entries[i].id, first);
            c->entries[i].id = NULL;
        }
    }
    for (size_t i = 0; i < c->count && !p->sc.nomem; i++) {
        const les__node *req = les__map_get(list->items[i], "requires");
        if (req && req->kind == LES__SEQ && req->count == p->entries[i].require_count)
            les__cur_requires(p, i, req);
    }
}

/* ------------------------------------------------------------------------ */
/* Load, free, unlock                                                       */
/* ------------------------------------------------------------------------ */

static les_result les__cur_build(les__cur_parse *p, const les__node *root, size_t errors)
{
    les_diags *d = p->sc.diags;
    if (!root) {
        les_diags_add(d, LES_ERROR, 1, 1,
                      "the file is empty; a curriculum starts with `stipple_curriculum: 1`");
        return LES_ERR_INVALID;
    }
    les__schema_apply(&p->sc, &les__cur_schema, root, p, "");
    if (!p->sc.nomem && d->errors == errors)
        les__cur_checks(p, root);
    if (p->sc.nomem)
        return LES_ERR_NOMEM;
    return d->errors > errors ? LES_ERR_INVALID : LES_OK;
}

les_result les_curriculum_load(les_curriculum *c, const char *path, les_diags *diags)
{
    if (!c || !path || !diags)
        return LES_ERR_ARG;
    memset(c, 0, sizeof *c);
    if (!diags->file[0])
        snprintf(diags->file, sizeof diags->file, "%s", path);
    char *text = NULL;
    size_t len = 0;
    int sys_errno = 0;
    les_result r = les__read_file(path, &text, &len, &sys_errno);
    if (r != LES_OK) {
        les_diags_add(diags, LES_ERROR, 1, 1, "%s",
                      r == LES_ERR_IO ? "cannot read the file" : "out of memory");
        return r;
    }
    les__cur_parse p;
    memset(&p, 0, sizeof p);
    p.sc.diags = diags;
    p.sc.arena = &p.cur.arena;
    p.sc.user = &p;
    p.cur.path = les__arena_strndup(&p.cur.arena, path, strlen(path));
    size_t first = diags->count, errors = diags->errors;
    les__node *root = NULL;
    r = p.cur.path ? les__yaml_load(text, len, &p.tmp, diags, &root) : LES_ERR_NOMEM;
    if (r == LES_OK)
        r = les__cur_build(&p, root, errors);
    if (r == LES_ERR_NOMEM)
        les_diags_add(diags, LES_ERROR, 1, 1, "out of memory");
    les__diags_sort(diags, first);
    les__arena_free(&p.tmp);
    sim_free(text);
    if (r != LES_OK) {
        les__arena_free(&p.cur.arena);
        return r;
    }
    *c = p.cur;
    return LES_OK;
}

void les_curriculum_deinit(les_curriculum *c)
{
    if (!c)
        return;
    les__arena_free(&c->arena);
    memset(c, 0, sizeof *c);
}

bool les_curriculum_unlocked(const les_curriculum *c, size_t i, const double *best)
{
    if (!c || i >= c->count || !best)
        return false;
    const les_curriculum_entry *e = &c->entries[i];
    for (size_t k = 0; k < e->require_count; k++) {
        size_t j = e->requires[k];
        double need = e->min_score > 0 ? e->min_score : c->entries[j].pass_mark;
        if (!(best[j] >= need))
            return false;
    }
    return true;
}
