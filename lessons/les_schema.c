/* les_schema.c: the declarative schema engine (les_schema.h): walks one
 * mapping of the YAML tree against a key table, stores the values and
 * reports every problem at its node.
 *
 * Threads: reentrant.
 */
#include "les_schema.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A mapping with more pairs is refused whole (lessons hold a handful). */
#define LES__MAX_PAIRS 256
/* Words longer than this get no suggestion. */
#define LES__SUGGEST_MAX 64
/* An enumeration's words are listed in messages up to this length. */
#define LES__ENUM_LIST_MAX 100

/* ------------------------------------------------------------------------ */
/* Messages                                                                 */
/* ------------------------------------------------------------------------ */

/* "%g" with '.' whatever the locale; returns buf. */
static const char *les__g(char *buf, size_t size, double v)
{
    les__format_double(buf, size, "%g", 0, v);
    return buf;
}

/* What a node is, for "got ...". */
const char *les__describe(const les__node *n, char *buf, size_t size)
{
    /* `- Skin is thin: go shallow` is a block mapping to YAML (it starts at
     * its key, a flow mapping at its brace): say why */
    if (n->kind == LES__MAP && n->count == 1 && n->items[0]->kind == LES__SCALAR &&
        n->items[0]->pos.line == n->pos.line && n->items[0]->pos.column == n->pos.column &&
        !n->items[0]->quoted)
        return "a mapping (a colon and a space start one: put text holding \": \" in quotes)";
    if (n->kind == LES__MAP)
        return "a mapping";
    if (n->kind == LES__SEQ)
        return "a list";
    if (n->type == LES__NULL)
        return "nothing";
    if (n->type == LES__NUMBER || n->type == LES__BOOL) {
        les__quote(buf, size, n->text, n->len);
        /* drop the quotes: a number is shown as written */
        size_t len = strlen(buf);
        memmove(buf, buf + 1, len - 2);
        buf[len - 2] = '\0';
        return buf;
    }
    les__quote(buf, size, n->text, n->len);
    double unused;
    if (n->quoted && les__parse_number(n->text, n->len, &unused)) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, " (text: write numbers without quotes)");
    }
    return buf;
}

void les__expect_error(les__sctx *c, const les__node *node, const char *name,
                       const char *expected)
{
    char got[128];
    les_diags_add(c->diags, LES_ERROR, node->pos.line, node->pos.column,
                  "`%s` must be %s, got %s", name, expected,
                  les__describe(node, got, sizeof got));
}

static const char *les__noun(les__key_type type)
{
    switch (type) {
    case LES__K_INT: return "an integer";
    case LES__K_NUMBER: return "a number";
    case LES__K_ID: return "an id";
    case LES__K_MAP: return "a mapping";
    case LES__K_LIST: return "a list";
    default: return "text";
    }
}

static void les__range_text(char *buf, size_t size, const char *noun, double min,
                            double max)
{
    char a[32], b[32];
    les__g(a, sizeof a, min);
    les__g(b, sizeof b, max);
    if (min == max)
        snprintf(buf, size, "%s", a);
    else if (isfinite(min) && isfinite(max))
        snprintf(buf, size, "%s between %s and %s", noun, a, b);
    else if (isfinite(min))
        snprintf(buf, size, "%s of at least %s", noun, a);
    else if (isfinite(max))
        snprintf(buf, size, "%s of at most %s", noun, b);
    else
        snprintf(buf, size, "%s", noun);
}

const char *les__expected_text(char *buf, size_t size, les__key_type type,
                               double min, double max, const char *unit)
{
    char a[32], b[32];
    if (type == LES__K_TEXT || type == LES__K_PROSE)
        snprintf(buf, size, "%s of %s to %s characters",
                 type == LES__K_TEXT ? "one line" : "text",
                 les__g(a, sizeof a, min), les__g(b, sizeof b, max));
    else if (type == LES__K_LIST && min == max)
        snprintf(buf, size, "a list of %s items", les__g(a, sizeof a, min));
    else if (type == LES__K_LIST)
        snprintf(buf, size, "a list of %s to %s items", les__g(a, sizeof a, min),
                 les__g(b, sizeof b, max));
    else if (type == LES__K_ID)
        snprintf(buf, size, "an id of %s to %s lowercase letters, digits or '-'",
                 les__g(a, sizeof a, min), les__g(b, sizeof b, max));
    else if (type == LES__K_INT || type == LES__K_NUMBER)
        les__range_text(buf, size, les__noun(type), min, max);
    else
        snprintf(buf, size, "%s", les__noun(type));
    size_t len = strlen(buf);
    if (unit && len < size)
        snprintf(buf + len, size - len, " (%s)", unit);
    return buf;
}

static void les__key_error(les__sctx *c, const les__key *key, const les__node *value)
{
    char expected[160];
    les__expected_text(expected, sizeof expected, key->type, key->min, key->max,
                       key->unit);
    les__expect_error(c, value, key->name, expected);
}

/* ------------------------------------------------------------------------ */
/* Suggestions                                                              */
/* ------------------------------------------------------------------------ */

static char les__lower(char ch)
{
    return (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
}

static size_t les__min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Optimal string alignment distance, case-insensitive; both <= 64 long. */
static size_t les__distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t d[LES__SUGGEST_MAX + 1][LES__SUGGEST_MAX + 1];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t k = 0; k <= lb; k++)
        d[0][k] = k;
    for (size_t i = 1; i <= la; i++) {
        for (size_t k = 1; k <= lb; k++) {
            size_t cost = les__lower(a[i - 1]) != les__lower(b[k - 1]);
            d[i][k] = les__min3(d[i - 1][k] + 1, d[i][k - 1] + 1, d[i - 1][k - 1] + cost);
            if (i > 1 && k > 1 && les__lower(a[i - 1]) == les__lower(b[k - 2]) &&
                les__lower(a[i - 2]) == les__lower(b[k - 1]) && d[i - 2][k - 2] + 1 < d[i][k])
                d[i][k] = d[i - 2][k - 2] + 1;
        }
    }
    return d[la][lb];
}

static bool les__is_prefix(const char *a, size_t la, const char *b, size_t lb)
{
    size_t n = la < lb ? la : lb;
    if (n < 3)
        return false;
    for (size_t i = 0; i < n; i++)
        if (les__lower(a[i]) != les__lower(b[i]))
            return false;
    return true;
}

const char *les__suggest(const char *word, size_t len, const void *names,
                         size_t count, size_t stride)
{
    if (len == 0 || len > LES__SUGGEST_MAX)
        return NULL;
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    for (size_t i = 0; i < count; i++) {
        const char *name;
        memcpy(&name, (const char *)names + i * stride, sizeof name);
        size_t nl = strlen(name);
        if (nl > LES__SUGGEST_MAX)
            continue;
        size_t d = les__distance(word, len, name, nl);
        size_t longer = len > nl ? len : nl;
        bool close = d <= 2 || 3 * d <= longer || les__is_prefix(word, len, name, nl);
        if (close && d < best_d) {
            best = name;
            best_d = d;
        }
    }
    return best;
}

/* ------------------------------------------------------------------------ */
/* Values                                                                   */
/* ------------------------------------------------------------------------ */

static bool les__number_in(const les__node *n, double min, double max, double *out)
{
    if (n->kind != LES__SCALAR || n->type != LES__NUMBER)
        return false;
    if (!(n->number >= min && n->number <= max))
        return false;
    *out = n->number;
    return true;
}

bool les__take_number(les__sctx *c, const les__node *node, const char *name,
                      double min, double max, const char *unit, double *out)
{
    if (les__number_in(node, min, max, out))
        return true;
    char expected[160];
    les__expected_text(expected, sizeof expected, LES__K_NUMBER, min, max, unit);
    les__expect_error(c, node, name, expected);
    return false;
}

bool les__take_int(les__sctx *c, const les__node *node, const char *name,
                   double min, double max, const char *unit, int *out)
{
    double lo = min > INT_MIN ? min : INT_MIN;
    double hi = max < INT_MAX ? max : INT_MAX;
    double x;
    if (les__number_in(node, lo, hi, &x) && x == (double)(int)x) {
        *out = (int)x;
        return true;
    }
    char expected[160];
    les__expected_text(expected, sizeof expected, LES__K_INT, min, max, unit);
    les__expect_error(c, node, name, expected);
    return false;
}

/* Characters (UTF-8 code points) in s, or SIZE_MAX when it holds a
 * control character (line breaks and tabs are allowed in prose). */
static size_t les__text_chars(const char *s, size_t len, bool prose)
{
    size_t chars = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        bool layout = prose && (ch == '\n' || ch == '\t');
        if ((ch < 0x20 || ch == 0x7f) && !layout)
            return SIZE_MAX;
        chars += (ch & 0xC0) != 0x80;
    }
    return chars;
}

static bool les__id_chars(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
            return false;
    }
    return true;
}

static void les__apply_text(les__sctx *c, const les__key *key, const les__node *v,
                            const char **field)
{
    bool ok = v->kind == LES__SCALAR && v->type != LES__NULL;
    if (ok) {
        size_t chars = les__text_chars(v->text, v->len, key->type == LES__K_PROSE);
        ok = chars != SIZE_MAX && (double)chars >= key->min && (double)chars <= key->max;
    }
    if (ok && key->type == LES__K_ID)
        ok = les__id_chars(v->text, v->len);
    if (!ok) {
        les__key_error(c, key, v);
        return;
    }
    *field = les__arena_strndup(c->arena, v->text, v->len);
    if (!*field)
        c->nomem = true;
}

/* "a, b or c" into buf. */
static void les__names_text(char *buf, size_t size, const char *const *names)
{
    buf[0] = '\0';
    for (size_t i = 0; names[i]; i++) {
        size_t len = strlen(buf);
        const char *sep = i == 0 ? "" : names[i + 1] ? ", " : " or ";
        snprintf(buf + len, size - len, "%s%s", sep, names[i]);
    }
}

bool les__take_enum(les__sctx *c, const les__node *node, const char *name,
                    const char *const *names, int *out)
{
    size_t count = 0;
    while (names[count])
        count++;
    if (node->kind == LES__SCALAR && node->type == LES__TEXT) {
        for (size_t i = 0; i < count; i++) {
            if (les__scalar_is(node, names[i])) {
                *out = (int)i;
                return true;
            }
        }
    }
    char list[400], expected[420], got[128];
    les__names_text(list, sizeof list, names);
    /* a long list would drown the message: point to the docs instead */
    if (strlen(list) > LES__ENUM_LIST_MAX)
        snprintf(expected, sizeof expected, "a name listed in docs/lessons.md");
    else
        snprintf(expected, sizeof expected, "%s%s", count > 2 ? "one of " : "", list);
    const char *hint = node->kind == LES__SCALAR
                           ? les__suggest(node->text, node->len, names, count, sizeof names[0])
                           : NULL;
    les_diags_add(c->diags, LES_ERROR, node->pos.line, node->pos.column,
                  "`%s` must be %s, got %s%s%s%s", name, expected,
                  les__describe(node, got, sizeof got), hint ? "; did you mean `" : "",
                  hint ? hint : "", hint ? "`?" : "");
    return false;
}

static void les__apply_key(les__sctx *c, const les__key *key, const les__node *v,
                           void *target, const char *path);

/* A list: every element read as key->item into a new array. */
static void les__apply_list(les__sctx *c, const les__key *key, const les__node *v,
                            void *target, const char *path)
{
    if (v->kind != LES__SEQ || (double)v->count < key->min || (double)v->count > key->max) {
        les__key_error(c, key, v);
        return;
    }
    char *items = les__arena_array(c->arena, v->count ? v->count : 1, key->item_size);
    if (!items) {
        c->nomem = true;
        return;
    }
    memcpy((char *)target + key->offset, &items, sizeof items);
    memcpy((char *)target + key->count_offset, &v->count, sizeof v->count);
    for (size_t i = 0; i < v->count; i++) {
        char sub[128];
        snprintf(sub, sizeof sub, "%s%s%s[%zu]", path, path[0] ? "." : "", key->name, i);
        void *elem = items + i * key->item_size;
        if (v->items[i]->poisoned)
            continue;
        if (key->item->type == LES__K_MAP)
            les__schema_apply(c, key->item->sub, v->items[i], elem, sub);
        else
            les__apply_key(c, key->item, v->items[i], elem, sub);
    }
}

static void les__apply_key(les__sctx *c, const les__key *key, const les__node *v,
                           void *target, const char *path)
{
    void *field = (char *)target + key->offset;
    char sub[128];
    switch (key->type) {
    case LES__K_INT:
        les__take_int(c, v, key->name, key->min, key->max, key->unit, field);
        break;
    case LES__K_NUMBER:
        if (!les__number_in(v, key->min, key->max, field))
            les__key_error(c, key, v);
        break;
    case LES__K_TEXT:
    case LES__K_PROSE:
    case LES__K_ID: les__apply_text(c, key, v, field); break;
    case LES__K_ENUM: les__take_enum(c, v, key->name, key->names, field); break;
    case LES__K_MAP:
        snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", key->name);
        les__schema_apply(c, key->sub, v, field, sub);
        break;
    case LES__K_LIST: les__apply_list(c, key, v, target, path); break;
    case LES__K_CUSTOM: key->custom(c, key, v, field, path); break;
    }
}

/* ------------------------------------------------------------------------ */
/* Mappings                                                                 */
/* ------------------------------------------------------------------------ */

static const les__key *les__find_key(const les__schema *s, const les__node *k)
{
    for (size_t i = 0; i < s->count; i++)
        if (les__scalar_is(k, s->keys[i].name))
            return &s->keys[i];
    return NULL;
}

/* The key's text between backquotes (escaped and cut as les__quote does). */
static char *les__backquote(char *buf, size_t size, const les__node *k)
{
    les__quote(buf, size, k->text, k->len);
    size_t n = strlen(buf);
    buf[0] = '`';
    buf[n - 1] = '`';
    return buf;
}

static void les__unknown_key(les__sctx *c, const les__schema *s, const les__node *k)
{
    const char *hint = les__suggest(k->text, k->len, s->keys, s->count, sizeof s->keys[0]);
    char name[64];
    les__backquote(name, sizeof name, k);
    if (hint) {
        les_diags_add(c->diags, LES_ERROR, k->pos.line, k->pos.column,
                      "unknown key %s; did you mean `%s`?", name, hint);
        return;
    }
    char known[200] = "";
    for (size_t i = 0; i < s->count; i++) {
        size_t len = strlen(known);
        snprintf(known + len, sizeof known - len, "%s%s", i ? ", " : "", s->keys[i].name);
    }
    les_diags_add(c->diags, LES_ERROR, k->pos.line, k->pos.column,
                  "unknown key %s; expected one of: %s", name, known);
}

/* The earlier key equal to pair i's key, or NULL. */
static const les__node *les__earlier_key(const les__node *map, size_t i)
{
    const les__node *k = map->items[2 * i];
    for (size_t e = 0; e < i; e++) {
        const les__node *o = map->items[2 * e];
        if (o->kind == LES__SCALAR && o->len == k->len && memcmp(o->text, k->text, k->len) == 0)
            return o;
    }
    return NULL;
}

/* Checks pair i's key; the schema key it names, or NULL (reported). */
static const les__key *les__check_key(les__sctx *c, const les__schema *s,
                                      const les__node *map, size_t i)
{
    const les__node *k = map->items[2 * i];
    char got[128];
    if (k->poisoned)
        return NULL;
    if (k->kind != LES__SCALAR) {
        les_diags_add(c->diags, LES_ERROR, k->pos.line, k->pos.column,
                      "a key must be a plain word, got %s", les__describe(k, got, sizeof got));
        return NULL;
    }
    const les__node *first = les__earlier_key(map, i);
    if (first) {
        les_diags_add(c->diags, LES_ERROR, k->pos.line, k->pos.column,
                      "duplicate key %s (first given at line %d)",
                      les__backquote(got, sizeof got, k), first->pos.line);
        return NULL;
    }
    const les__key *key = les__find_key(s, k);
    if (!key)
        les__unknown_key(c, s, k);
    return key;
}

static bool les__is_mapping(les__sctx *c, const les__node *node, const char *path)
{
    if (node->kind == LES__MAP)
        return true;
    char buf[128];
    const char *got = les__describe(node, buf, sizeof buf);
    if (path[0])
        les_diags_add(c->diags, LES_ERROR, node->pos.line, node->pos.column,
                      "`%s` must be a mapping, got %s", path, got);
    else
        les_diags_add(c->diags, LES_ERROR, node->pos.line, node->pos.column,
                      "a lesson must be a mapping of keys such as `stipple_lesson: 1`, "
                      "got %s", got);
    return false;
}

void les__schema_apply(les__sctx *c, const les__schema *schema,
                       const les__node *node, void *target, const char *path)
{
    if (node->poisoned || !les__is_mapping(c, node, path))
        return;
    if (node->count > LES__MAX_PAIRS) {
        les_diags_add(c->diags, LES_ERROR, node->pos.line, node->pos.column,
                      "too many keys (%zu); a mapping holds at most %d", node->count,
                      LES__MAX_PAIRS);
        return;
    }
    uint64_t seen = 0; /* bit i: schema key i was given */
    for (size_t i = 0; i < node->count; i++) {
        const les__key *key = les__check_key(c, schema, node, i);
        if (!key)
            continue;
        seen |= (uint64_t)1 << (key - schema->keys);
        const les__node *value = node->items[2 * i + 1];
        if (!value->poisoned)
            les__apply_key(c, key, value, target, path);
    }
    for (size_t i = 0; i < schema->count; i++) {
        if (!schema->keys[i].required || (seen & ((uint64_t)1 << i)))
            continue;
        les_diags_add(c->diags, LES_ERROR, node->pos.line, node->pos.column,
                      "missing required key `%s`%s%s", schema->keys[i].name,
                      path[0] ? " in " : "", path);
    }
}
