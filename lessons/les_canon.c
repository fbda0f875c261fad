/* les_canon.c: a lesson's canonical form and its SHA-256 (les_yaml.h).
 *
 * The canonical form is compact JSON of the YAML tree:
 *  - mappings as objects with their keys sorted bytewise (keys as text);
 *  - sequences as arrays, in order;
 *  - plain numbers normalised (parsed with strtod; integral values below
 *    2^53 printed as integers, others with "%.17g"), so 40, 40.0 and 4e1
 *    are one value;
 *  - null and booleans as JSON null, true, false;
 *  - every other scalar (quoted or not) as a JSON string, byte for byte.
 * Comments, quoting style, indentation and key order therefore leave the
 * hash alone; any change of value changes it. Exams pin lessons by this
 * hash: changing this file changes every stored hash (bump the format).
 *
 * crypto_hash_sha256 needs no sodium_init() (no random numbers and one
 * implementation, chosen at compile time).
 *
 * Threads: reentrant.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "les_json.h"
#include "les_yaml.h"

/* A mapping key with its canonical text, for sorting. */
typedef struct les__canon_key {
    const les__node *node;
    size_t index;            /* position in the mapping, the tiebreak */
    size_t len;
    bool own;                /* the text is in buf, not in the node */
    char buf[40];
} les__canon_key;

static void les__canon_key_text(les__canon_key *k)
{
    const les__node *n = k->node;
    k->own = true;
    if (n->kind != LES__SCALAR || n->type == LES__TEXT) {
        k->own = false;
        k->len = n->kind == LES__SCALAR ? n->len : 0;
        return;
    }
    if (n->type == LES__NUMBER)
        les__format_canonical(k->buf, sizeof k->buf, n->number);
    else if (n->type == LES__BOOL)
        snprintf(k->buf, sizeof k->buf, "%s", n->boolean ? "true" : "false");
    else
        snprintf(k->buf, sizeof k->buf, "null");
    k->len = strlen(k->buf);
}

static const char *les__canon_key_ptr(const les__canon_key *k)
{
    if (k->own)
        return k->buf;
    return k->node->kind == LES__SCALAR ? k->node->text : "";
}

static int les__canon_key_cmp(const void *a, const void *b)
{
    const les__canon_key *ka = a, *kb = b;
    size_t n = ka->len < kb->len ? ka->len : kb->len;
    int c = memcmp(les__canon_key_ptr(ka), les__canon_key_ptr(kb), n);
    if (c != 0)
        return c;
    if (ka->len != kb->len)
        return ka->len < kb->len ? -1 : 1;
    return ka->index < kb->index ? -1 : ka->index > kb->index;
}

static bool les__canon_node(les_json *j, const les__node *n);

static bool les__canon_map(les_json *j, const les__node *n)
{
    les__canon_key *keys = sim_calloc(n->count ? n->count : 1, sizeof *keys);
    if (!keys)
        return false;
    for (size_t i = 0; i < n->count; i++) {
        keys[i].node = n->items[2 * i];
        keys[i].index = i;
        les__canon_key_text(&keys[i]);
    }
    qsort(keys, n->count, sizeof *keys, les__canon_key_cmp);
    les_json_begin_object(j);
    bool ok = true;
    for (size_t i = 0; i < n->count && ok; i++) {
        les_json_key_len(j, les__canon_key_ptr(&keys[i]), keys[i].len);
        ok = les__canon_node(j, n->items[2 * keys[i].index + 1]);
    }
    les_json_end_object(j);
    sim_free(keys);
    return ok;
}

static bool les__canon_node(les_json *j, const les__node *n)
{
    if (n->kind == LES__MAP)
        return les__canon_map(j, n);
    if (n->kind == LES__SEQ) {
        les_json_begin_array(j);
        bool ok = true;
        for (size_t i = 0; i < n->count && ok; i++)
            ok = les__canon_node(j, n->items[i]);
        les_json_end_array(j);
        return ok;
    }
    switch (n->type) {
    case LES__NUMBER: les_json_number(j, n->number); break;
    case LES__NULL: les_json_null(j); break;
    case LES__BOOL: les_json_bool(j, n->boolean); break;
    default: les_json_string_len(j, n->text, n->len); break;
    }
    return true;
}

les_result les__canonical_json(const les__node *root, les_json *j)
{
    if (!root) {
        les_json_null(j);
    } else if (!les__canon_node(j, root)) {
        return LES_ERR_NOMEM;
    }
    return les_json_finish(j);
}

les_result les__canonical_hash(const les__node *root, uint8_t hash[32],
                               char hex[65])
{
    les_json j;
    les_json_init(&j, NULL, 0);
    les_result r = les__canonical_json(root, &j);
    if (r == LES_OK) {
        size_t len = 0;
        const char *text = les_json_buffer(&j, &len);
        crypto_hash_sha256(hash, (const unsigned char *)text, len);
        sodium_bin2hex(hex, 65, hash, 32);
    }
    les_json_deinit(&j);
    return r;
}
