/* les_json.c: the deterministic JSON writer (les_json.h).
 *
 * Shape tracking: one bit per open container says object or array, another
 * whether it already holds an item (so the writer places commas itself).
 * Numbers are printed through les__format_double, which keeps '.' as the
 * decimal point whatever the locale.
 *
 * Threads: a writer belongs to one thread.
 */
#include "les_json.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "les_internal.h"

/* ------------------------------------------------------------------------ */
/* Output                                                                   */
/* ------------------------------------------------------------------------ */

static bool les__json_reserve(les_json *j, size_t n)
{
    if (j->cap - j->len > n)
        return true;
    size_t cap = j->cap ? j->cap : 256;
    while (cap - j->len <= n) {
        if (cap > SIZE_MAX / 2)
            return false;
        cap *= 2;
    }
    char *grown = sim_realloc(j->buf, cap);
    if (!grown)
        return false;
    j->buf = grown;
    j->cap = cap;
    return true;
}

static void les__json_emit(les_json *j, const char *s, size_t n)
{
    if (j->status != LES_OK || n == 0)
        return;
    if (j->out) {
        if (fwrite(s, 1, n, j->out) != n)
            j->status = LES_ERR_IO;
        return;
    }
    if (!les__json_reserve(j, n)) {
        j->status = LES_ERR_NOMEM;
        return;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

static void les__json_emits(les_json *j, const char *s)
{
    les__json_emit(j, s, strlen(s));
}

static void les__json_indent(les_json *j, int level)
{
    static const char spaces[] = "                                ";
    if (j->indent == 0)
        return;
    les__json_emit(j, "\n", 1);
    size_t n = (size_t)j->indent * (size_t)level;
    while (n > 0) {
        size_t chunk = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        les__json_emit(j, spaces, chunk);
        n -= chunk;
    }
}

/* ------------------------------------------------------------------------ */
/* Shape                                                                    */
/* ------------------------------------------------------------------------ */

static uint64_t les__json_bit(const les_json *j)
{
    return (uint64_t)1 << (j->depth - 1);
}

static bool les__json_in_object(const les_json *j)
{
    return j->depth > 0 && (j->is_object & les__json_bit(j));
}

static void les__json_misuse(les_json *j)
{
    if (j->status == LES_OK)
        j->status = LES_ERR_ARG;
}

/* A comma (after the container's previous item) and the line break. */
static void les__json_separate(les_json *j)
{
    if (j->depth == 0)
        return;
    if (j->has_items & les__json_bit(j))
        les__json_emit(j, ",", 1);
    j->has_items |= les__json_bit(j);
    les__json_indent(j, j->depth);
}

/* Everything due before a value; false when no value may come here. */
static bool les__json_value(les_json *j)
{
    if (j->status != LES_OK)
        return false;
    if (j->key_pending) {
        j->key_pending = false;
        return true;
    }
    if (les__json_in_object(j)) {
        les__json_misuse(j);
        return false;
    }
    les__json_separate(j);
    return true;
}

static void les__json_begin(les_json *j, bool object)
{
    if (!les__json_value(j))
        return;
    if (j->depth >= LES_JSON_MAX_DEPTH) {
        les__json_misuse(j);
        return;
    }
    j->depth++;
    if (object)
        j->is_object |= les__json_bit(j);
    else
        j->is_object &= ~les__json_bit(j);
    j->has_items &= ~les__json_bit(j);
    les__json_emit(j, object ? "{" : "[", 1);
}

static void les__json_end(les_json *j, bool object)
{
    if (j->status != LES_OK)
        return;
    if (j->depth == 0 || j->key_pending || les__json_in_object(j) != object) {
        les__json_misuse(j);
        return;
    }
    bool had_items = (j->has_items & les__json_bit(j)) != 0;
    j->depth--;
    if (had_items)
        les__json_indent(j, j->depth);
    les__json_emit(j, object ? "}" : "]", 1);
}

/* ------------------------------------------------------------------------ */
/* Public API                                                               */
/* ------------------------------------------------------------------------ */

void les_json_init(les_json *j, FILE *out, int indent)
{
    memset(j, 0, sizeof *j);
    j->out = out;
    j->indent = indent < 0 ? 0 : indent > 8 ? 8 : indent;
    j->status = LES_OK;
}

void les_json_deinit(les_json *j)
{
    if (!j)
        return;
    sim_free(j->buf);
    j->buf = NULL;
    j->len = j->cap = 0;
}

les_result les_json_finish(les_json *j)
{
    if (j->status == LES_OK && (j->depth != 0 || j->key_pending))
        j->status = LES_ERR_ARG;
    if (j->out && fflush(j->out) != 0 && j->status == LES_OK)
        j->status = LES_ERR_IO;
    if (j->out && ferror(j->out) && j->status == LES_OK)
        j->status = LES_ERR_IO;
    return j->status;
}

const char *les_json_buffer(const les_json *j, size_t *len)
{
    if (len)
        *len = j->buf ? j->len : 0;
    return j->buf ? j->buf : "";
}

void les_json_begin_object(les_json *j) { les__json_begin(j, true); }
void les_json_end_object(les_json *j) { les__json_end(j, true); }
void les_json_begin_array(les_json *j) { les__json_begin(j, false); }
void les_json_end_array(les_json *j) { les__json_end(j, false); }

void les_json_newline(les_json *j)
{
    if (j->depth == 0 && !j->key_pending)
        les__json_emit(j, "\n", 1);
    else
        les__json_misuse(j);
}

static void les__json_quoted(les_json *j, const char *s, size_t len)
{
    les__json_emit(j, "\"", 1);
    size_t run = 0; /* start of the pending run of bytes needing no escape */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        les__json_emit(j, s + run, i - run);
        run = i + 1;
        char esc[8];
        switch (c) {
        case '"': les__json_emits(j, "\\\""); break;
        case '\\': les__json_emits(j, "\\\\"); break;
        case '\n': les__json_emits(j, "\\n"); break;
        case '\r': les__json_emits(j, "\\r"); break;
        case '\t': les__json_emits(j, "\\t"); break;
        case '\b': les__json_emits(j, "\\b"); break;
        case '\f': les__json_emits(j, "\\f"); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", c);
            les__json_emits(j, esc);
        }
    }
    les__json_emit(j, s + run, len - run);
    les__json_emit(j, "\"", 1);
}

void les_json_key_len(les_json *j, const char *key, size_t len)
{
    if (j->status != LES_OK)
        return;
    if (!les__json_in_object(j) || j->key_pending || !key) {
        les__json_misuse(j);
        return;
    }
    les__json_separate(j);
    les__json_quoted(j, key, len);
    les__json_emits(j, j->indent ? ": " : ":");
    j->key_pending = true;
}

void les_json_key(les_json *j, const char *key)
{
    les_json_key_len(j, key, key ? strlen(key) : 0);
}

void les_json_string_len(les_json *j, const char *s, size_t len)
{
    if (!les__json_value(j))
        return;
    if (s)
        les__json_quoted(j, s, len);
    else
        les__json_emits(j, "null");
}

void les_json_string(les_json *j, const char *s)
{
    les_json_string_len(j, s, s ? strlen(s) : 0);
}

void les_json_int(les_json *j, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    if (les__json_value(j))
        les__json_emits(j, buf);
}

void les_json_uint(les_json *j, uint64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    if (les__json_value(j))
        les__json_emits(j, buf);
}

void les_json_bool(les_json *j, bool v)
{
    if (les__json_value(j))
        les__json_emits(j, v ? "true" : "false");
}

void les_json_null(les_json *j)
{
    if (les__json_value(j))
        les__json_emits(j, "null");
}

/* "-0.00" (all digits zero after a minus sign) loses its sign. */
static void les__json_unsign_zero(char *buf)
{
    if (buf[0] != '-')
        return;
    for (const char *p = buf + 1; *p; p++)
        if (*p != '0' && *p != '.')
            return;
    memmove(buf, buf + 1, strlen(buf));
}

void les_json_fixed(les_json *j, double v, int decimals)
{
    if (!isfinite(v)) {
        les_json_null(j);
        return;
    }
    char buf[400]; /* DBL_MAX has 309 digits; 17 decimals more */
    decimals = decimals < 0 ? 0 : decimals > 17 ? 17 : decimals;
    les__format_double(buf, sizeof buf, "%.*f", decimals, v);
    les__json_unsign_zero(buf);
    if (les__json_value(j))
        les__json_emits(j, buf);
}

void les_json_number(les_json *j, double v)
{
    if (!isfinite(v)) {
        les_json_null(j);
        return;
    }
    char buf[64];
    les__format_canonical(buf, sizeof buf, v);
    if (les__json_value(j))
        les__json_emits(j, buf);
}

void les_json_kv_string(les_json *j, const char *key, const char *s)
{
    les_json_key(j, key);
    les_json_string(j, s);
}

void les_json_kv_int(les_json *j, const char *key, int64_t v)
{
    les_json_key(j, key);
    les_json_int(j, v);
}

void les_json_kv_uint(les_json *j, const char *key, uint64_t v)
{
    les_json_key(j, key);
    les_json_uint(j, v);
}

void les_json_kv_bool(les_json *j, const char *key, bool v)
{
    les_json_key(j, key);
    les_json_bool(j, v);
}

void les_json_kv_fixed(les_json *j, const char *key, double v, int decimals)
{
    les_json_key(j, key);
    les_json_fixed(j, v, decimals);
}
