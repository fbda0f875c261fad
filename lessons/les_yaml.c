/* les_yaml.c: YAML text to a positioned tree, through libyaml's event API
 * (les_yaml.h).
 *
 * Why events: libyaml's document API drops the alias positions, allocates
 * with plain malloc, and turns `&a [*a]` into a cycle; here each event
 * becomes an arena node with its start mark, open containers sit on a
 * fixed stack of LES__YAML_MAX_DEPTH, and aliases are refused where they
 * stand, so every later walk of the tree is finite and shallow.
 *
 * libyaml marks are 0-based (column in characters); diagnostics are 1-based.
 * Threads: reentrant.
 */
#include "les_yaml.h"

#include <string.h>
#include <yaml.h>

typedef struct les__builder {
    les_arena_block **arena;
    les_diags *diags;
    les__node *root;
    les__node *stack[LES__YAML_MAX_DEPTH];
    int depth;
    int documents;
} les__builder;

static les_pos les__mark_pos(yaml_mark_t mark)
{
    les_pos pos = {(int)mark.line + 1, (int)mark.column + 1};
    return pos;
}

/* Line and column of a byte offset (reader errors carry only an offset). */
static les_pos les__offset_pos(const char *text, size_t len, size_t offset)
{
    les_pos pos = {1, 1};
    for (size_t i = 0; i < offset && i < len; i++) {
        if (text[i] == '\n') {
            pos.line++;
            pos.column = 1;
        } else {
            pos.column++;
        }
    }
    return pos;
}

static void les__syntax_error(const yaml_parser_t *p, const char *text, size_t len,
                              les_diags *diags)
{
    const char *problem = p->problem ? p->problem : "cannot parse this";
    les_pos pos = p->error == YAML_READER_ERROR
                      ? les__offset_pos(text, len, p->problem_offset)
                      : les__mark_pos(p->problem_mark);
    if (p->context) {
        les_pos ctx = les__mark_pos(p->context_mark);
        les_diags_add(diags, LES_ERROR, pos.line, pos.column,
                      "invalid YAML: %s (%s that starts at line %d, column %d)",
                      problem, p->context, ctx.line, ctx.column);
    } else {
        les_diags_add(diags, LES_ERROR, pos.line, pos.column, "invalid YAML: %s",
                      problem);
    }
}

/* ------------------------------------------------------------------------ */
/* Scalars                                                                  */
/* ------------------------------------------------------------------------ */

static bool les__is_word(const char *s, size_t len, const char *lower)
{
    size_t n = strlen(lower);
    if (len != n)
        return false;
    char title[16], upper[16];
    if (n >= sizeof title)
        return false;
    for (size_t i = 0; i <= n; i++) {
        char c = lower[i];
        upper[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
        title[i] = i == 0 ? upper[i] : c;
    }
    return memcmp(s, lower, n) == 0 || memcmp(s, title, n) == 0 ||
           memcmp(s, upper, n) == 0;
}

static void les__resolve_plain(les__node *n)
{
    if (n->len == 0 || (n->len == 1 && n->text[0] == '~') ||
        les__is_word(n->text, n->len, "null")) {
        n->type = LES__NULL;
    } else if (les__is_word(n->text, n->len, "true") ||
               les__is_word(n->text, n->len, "false")) {
        n->type = LES__BOOL;
        n->boolean = n->text[0] == 't' || n->text[0] == 'T';
    } else if (les__parse_number(n->text, n->len, &n->number)) {
        n->type = LES__NUMBER;
    } else {
        n->type = LES__TEXT;
    }
}

/* ------------------------------------------------------------------------ */
/* Tree building                                                            */
/* ------------------------------------------------------------------------ */

static void les__attach(les__builder *b, les__node *n)
{
    if (b->depth == 0) {
        if (!b->root)
            b->root = n;
        return;
    }
    les__node *parent = b->stack[b->depth - 1];
    if (parent->last_child)
        parent->last_child->next_child = n;
    else
        parent->first_child = n;
    parent->last_child = n;
    parent->child_count++;
}

/* Refuses anchors, aliases and tags (reported once, the node poisoned). */
static void les__check_extras(les__builder *b, les__node *n, const yaml_char_t *anchor,
                              const yaml_char_t *tag)
{
    if (anchor) {
        les_diags_add(b->diags, LES_ERROR, n->pos.line, n->pos.column,
                      "YAML anchors (`&%.40s`) are not supported in lessons; "
                      "write the value out", (const char *)anchor);
        n->poisoned = true;
    } else if (tag) {
        les_diags_add(b->diags, LES_ERROR, n->pos.line, n->pos.column,
                      "YAML tags (`%.40s`) are not supported in lessons",
                      (const char *)tag);
        n->poisoned = true;
    }
}

static les__node *les__new_node(les__builder *b, les__node_kind kind, yaml_mark_t mark)
{
    les__node *n = les__arena_alloc(b->arena, sizeof *n);
    if (n) {
        n->kind = kind;
        n->pos = les__mark_pos(mark);
    }
    return n;
}

static les_result les__on_scalar(les__builder *b, const yaml_event_t *e)
{
    les__node *n = les__new_node(b, LES__SCALAR, e->start_mark);
    if (!n)
        return LES_ERR_NOMEM;
    n->len = e->data.scalar.length;
    n->text = les__arena_strndup(b->arena, (const char *)e->data.scalar.value, n->len);
    if (!n->text)
        return LES_ERR_NOMEM;
    n->quoted = e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    if (n->quoted)
        n->type = LES__TEXT;
    else
        les__resolve_plain(n);
    les__check_extras(b, n, e->data.scalar.anchor, e->data.scalar.tag);
    les__attach(b, n);
    return LES_OK;
}

static les_result les__on_alias(les__builder *b, const yaml_event_t *e)
{
    les__node *n = les__new_node(b, LES__SCALAR, e->start_mark);
    if (!n)
        return LES_ERR_NOMEM;
    n->text = "";
    n->type = LES__NULL;
    n->poisoned = true;
    les_diags_add(b->diags, LES_ERROR, n->pos.line, n->pos.column,
                  "YAML aliases (`*%.40s`) are not supported in lessons; "
                  "write the value out", (const char *)e->data.alias.anchor);
    les__attach(b, n);
    return LES_OK;
}

static les_result les__on_start(les__builder *b, const yaml_event_t *e, bool map)
{
    if (b->depth == LES__YAML_MAX_DEPTH) {
        les_pos pos = les__mark_pos(e->start_mark);
        les_diags_add(b->diags, LES_ERROR, pos.line, pos.column,
                      "nesting deeper than %d levels", LES__YAML_MAX_DEPTH);
        return LES_ERR_INVALID;
    }
    les__node *n = les__new_node(b, map ? LES__MAP : LES__SEQ, e->start_mark);
    if (!n)
        return LES_ERR_NOMEM;
    if (map)
        les__check_extras(b, n, e->data.mapping_start.anchor, e->data.mapping_start.tag);
    else
        les__check_extras(b, n, e->data.sequence_start.anchor, e->data.sequence_start.tag);
    les__attach(b, n);
    b->stack[b->depth++] = n;
    return LES_OK;
}

static les_result les__on_end(les__builder *b)
{
    if (b->depth == 0)
        return LES_OK; /* defensive: libyaml balances its events */
    les__node *n = b->stack[--b->depth];
    n->items = les__arena_array(b->arena, n->child_count, sizeof *n->items);
    if (!n->items)
        return LES_ERR_NOMEM;
    size_t i = 0;
    for (les__node *c = n->first_child; c; c = c->next_child)
        n->items[i++] = c;
    n->count = n->kind == LES__MAP ? n->child_count / 2 : n->child_count;
    return LES_OK;
}

static les_result les__on_document(les__builder *b, const yaml_event_t *e)
{
    if (++b->documents == 1)
        return LES_OK;
    les_pos pos = les__mark_pos(e->start_mark);
    les_diags_add(b->diags, LES_ERROR, pos.line, pos.column,
                  "a lesson file holds one YAML document; a second one starts here");
    return LES_ERR_INVALID;
}

static les_result les__on_event(les__builder *b, const yaml_event_t *e)
{
    switch (e->type) {
    case YAML_DOCUMENT_START_EVENT: return les__on_document(b, e);
    case YAML_SCALAR_EVENT: return les__on_scalar(b, e);
    case YAML_ALIAS_EVENT: return les__on_alias(b, e);
    case YAML_SEQUENCE_START_EVENT: return les__on_start(b, e, false);
    case YAML_MAPPING_START_EVENT: return les__on_start(b, e, true);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: return les__on_end(b);
    default: return LES_OK;
    }
}

les_result les__yaml_load(const char *text, size_t len, les_arena_block **arena,
                          les_diags *diags, les__node **root)
{
    *root = NULL;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return LES_ERR_NOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    les__builder b = {.arena = arena, .diags = diags};
    les_result r = LES_OK;
    for (bool done = false; !done && r == LES_OK;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&parser, &e)) {
            if (parser.error == YAML_MEMORY_ERROR) {
                r = LES_ERR_NOMEM;
            } else {
                les__syntax_error(&parser, text, len, diags);
                r = LES_ERR_SYNTAX;
            }
            break;
        }
        done = e.type == YAML_STREAM_END_EVENT;
        r = les__on_event(&b, &e);
        yaml_event_delete(&e);
    }
    yaml_parser_delete(&parser);
    if (r == LES_OK)
        *root = b.root;
    return r;
}

const les__node *les__map_get(const les__node *map, const char *key)
{
    if (!map || map->kind != LES__MAP)
        return NULL;
    for (size_t i = 0; i < map->count; i++)
        if (les__scalar_is(map->items[2 * i], key))
            return map->items[2 * i + 1];
    return NULL;
}

bool les__scalar_is(const les__node *node, const char *s)
{
    size_t n = strlen(s);
    return node && node->kind == LES__SCALAR && node->len == n &&
           memcmp(node->text, s, n) == 0;
}
