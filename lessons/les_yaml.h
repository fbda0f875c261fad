/* les_yaml.h: a YAML document as a small tree with positions (internal to
 * the lessons module).
 *
 * Built from libyaml's event API (not its document API) so that every node
 * keeps its line and column, the nesting depth is bounded before any
 * recursion sees it, aliases and tags are reported where they stand, and
 * all memory comes from an arena through sim_malloc.
 *
 * Plain scalars are resolved as YAML 1.2's core schema says: null (empty,
 * ~, null), booleans (true, false, any capitalisation of the first letter
 * or all caps), numbers (les__parse_number's grammar), else text. Quoted
 * scalars are always text.
 *
 * Ownership: the tree lives in the arena passed to les__yaml_load.
 * Threads: reentrant.
 */
#ifndef LES_YAML_H
#define LES_YAML_H

#include "les_internal.h"

/* Deepest nesting accepted (a lesson needs five levels). */
#define LES__YAML_MAX_DEPTH 32

typedef enum les__node_kind {
    LES__SCALAR = 0,
    LES__SEQ = 1,
    LES__MAP = 2,
} les__node_kind;

typedef enum les__scalar_type {
    LES__TEXT = 0,
    LES__NUMBER = 1,
    LES__NULL = 2,
    LES__BOOL = 3,
} les__scalar_type;

typedef struct les__node les__node;
struct les__node {
    les__node_kind kind;
    les_pos pos;              /* 1-based line and column of its start */
    /* scalars */
    const char *text;         /* as written, NUL-terminated (may hold NULs) */
    size_t len;
    bool quoted;              /* single- or double-quoted, literal, folded */
    les__scalar_type type;
    double number;            /* LES__NUMBER */
    bool boolean;             /* LES__BOOL */
    /* sequences: items[0..count); mappings: items[2i] key, items[2i+1]
     * value for i < count (count = pairs) */
    les__node **items;
    size_t count;
    /* a problem on this node (alias, tag) was already reported: checks
     * should skip it quietly */
    bool poisoned;
    /* building only */
    les__node *next_child, *first_child, *last_child;
    size_t child_count;
};

/* Parses text into a tree in *arena. Diagnostics go to `diags`:
 *  - LES_ERR_SYNTAX: libyaml rejected the text (one diagnostic, at the
 *    problem's position);
 *  - LES_ERR_INVALID: a structural limit (nesting, several documents);
 *  - LES_ERR_NOMEM;
 *  - LES_OK: *root is the document's root, or NULL for an empty stream;
 *    aliases, anchors and tags were reported as errors on the way (check
 *    diags->errors), their nodes marked `poisoned`. */
les_result les__yaml_load(const char *text, size_t len, les_arena_block **arena,
                          les_diags *diags, les__node **root);

/* The value under `key` in mapping `map` (the first, if repeated), or NULL. */
const les__node *les__map_get(const les__node *map, const char *key);
/* True when the scalar's text equals `s`. */
bool les__scalar_is(const les__node *node, const char *s);

/* ---------------------------------------------------------------------------
 * Canonical form and hash (les_canon.c)
 * ------------------------------------------------------------------------- */
struct les_json;
/* Writes the tree's canonical JSON (see les_canon.c) into `j` and finishes
 * it; LES_OK, LES_ERR_NOMEM or the writer's failure. */
les_result les__canonical_json(const les__node *root, struct les_json *j);
/* SHA-256 of the canonical JSON; hex is lowercase, NUL-terminated. */
les_result les__canonical_hash(const les__node *root, uint8_t hash[32],
                               char hex[65]);

#endif /* LES_YAML_H */
