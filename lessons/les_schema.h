/* les_schema.h: a small declarative schema that maps a positioned YAML tree
 * onto C structs and reports every problem (internal to the lessons module).
 *
 * A schema is a table of keys for one mapping: name, type, required, range
 * and unit, and where the value goes (an offset into the target struct).
 * les__schema_apply walks a mapping in file order and reports, at the
 * offending node:
 *  - unknown keys, with a suggestion from the schema by edit distance
 *    ("unknown key `depth_bnd`; did you mean `depth_band_mm`?");
 *  - duplicate keys;
 *  - wrong types and out-of-range values, naming the key, the expected type,
 *    range and unit ("`density_per_cm2` must be a number between 1 and 400
 *    (dots/cm²), got \"lots\"");
 *  - missing required keys, at the mapping that lacks them.
 * Values that need more than a type and a range (point lists, a depth band,
 * a discriminated mapping) go through a custom handler, which uses the same
 * reporting helpers.
 *
 * Threads: reentrant; the tables are const.
 */
#ifndef LES_SCHEMA_H
#define LES_SCHEMA_H

#include <math.h>

#include "les_yaml.h"

typedef struct les__sctx {
    les_diags *diags;
    les_arena_block **arena;  /* where strings and arrays of the result go */
    bool nomem;               /* an allocation failed (sticky) */
    void *user;               /* the caller's parse state */
} les__sctx;

typedef enum les__key_type {
    LES__K_INT,       /* int; value range [min, max] */
    LES__K_NUMBER,    /* double; value range [min, max] */
    LES__K_TEXT,      /* const char * in the arena; [min, max] characters,
                         no control characters */
    LES__K_ID,        /* as TEXT, only lowercase letters, digits and '-' */
    LES__K_PROSE,     /* as TEXT, but line breaks and tabs are allowed
                         (descriptions, histories, hints) */
    LES__K_ENUM,      /* int: the index of the value in `names` */
    LES__K_MAP,       /* a nested mapping: `sub` applied to the field */
    LES__K_LIST,      /* a list of [min, max] elements, each applied as
                         `item` to an element of `item_size` bytes; the
                         array goes to the field (a pointer), its length to
                         the size_t at `count_offset` */
    LES__K_CUSTOM,    /* `custom` handles the value */
} les__key_type;

typedef struct les__key les__key;
typedef struct les__schema les__schema;

/* A custom handler: checks `value` (never poisoned) and stores what it
 * finds at `field` (the target plus the key's offset). `path` names the
 * mapping holding the key ("" at the top, "zones[2]"). */
typedef void (*les__custom_fn)(les__sctx *c, const les__key *key,
                               const les__node *value, void *field,
                               const char *path);

struct les__key {
    const char *name;
    les__key_type type;
    bool required;
    double min, max;          /* range (use INFINITY for none) */
    const char *unit;         /* "mm", "dots/cm²"; NULL for none */
    size_t offset;            /* of the field in the target struct */
    const les__schema *sub;   /* LES__K_MAP */
    les__custom_fn custom;    /* LES__K_CUSTOM */
    const char *const *names; /* LES__K_ENUM: the allowed words, NULL-ended */
    const les__key *item;     /* LES__K_LIST: how each element is read (its
                                 offset is within the element) */
    size_t item_size;         /* LES__K_LIST: bytes per element */
    size_t count_offset;      /* LES__K_LIST: where the length goes */
};

struct les__schema {
    const les__key *keys;
    size_t count;
};

#define LES__SCHEMA(table) {(table), sizeof(table) / sizeof((table)[0])}

/* Applies `schema` to the mapping `node`, writing into `target`. `path`
 * names the mapping in messages ("" for the document's top). */
void les__schema_apply(les__sctx *c, const les__schema *schema,
                       const les__node *node, void *target, const char *path);

/* ---------------------------------------------------------------------------
 * Helpers for custom handlers
 * ------------------------------------------------------------------------- */
/* Reports "`name` must be EXPECTED, got WHAT" at the node. */
void les__expect_error(les__sctx *c, const les__node *node, const char *name,
                       const char *expected);
/* "a number between 1 and 400 (dots/cm²)" and friends, into buf. */
const char *les__expected_text(char *buf, size_t size, les__key_type type,
                               double min, double max, const char *unit);
/* The number in a plain numeric scalar within [min, max]; reports (as
 * `name` must be a number ...) and returns false otherwise. */
bool les__take_number(les__sctx *c, const les__node *node, const char *name,
                      double min, double max, const char *unit, double *out);
/* The same for an integer. */
bool les__take_int(les__sctx *c, const les__node *node, const char *name,
                   double min, double max, const char *unit, int *out);
/* The index of the scalar's text in the NULL-ended `names`; reports
 * "`name` must be one of a, b, got \"x\"; did you mean `a`?" and returns
 * false otherwise. */
bool les__take_enum(les__sctx *c, const les__node *node, const char *name,
                    const char *const *names, int *out);
/* What a node is, for "got ...": "a mapping", "a list", "nothing", a
 * number as written (500), text in quotes ("lots"). Returns buf or a
 * constant. */
const char *les__describe(const les__node *node, char *buf, size_t size);
/* The name closest to word[0..len) by edit distance (case-insensitive,
 * transpositions count one), or NULL when none is close enough to suggest.
 * `names` points at `count` elements of `stride` bytes whose first member
 * is a `const char *` (a les__key table, or a plain array of strings). */
const char *les__suggest(const char *word, size_t len, const void *names,
                         size_t count, size_t stride);

#endif /* LES_SCHEMA_H */
