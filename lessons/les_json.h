/* les_json.h: a small deterministic JSON writer.
 *
 * Used for grades, score records, reports and the lesson's canonical form.
 * The same calls always give the same bytes on every machine:
 *  - numbers never follow the locale ('.' is the decimal point);
 *  - les_json_fixed prints a chosen number of decimals and never "-0.00"
 *    (negative zero and values that round to zero print unsigned);
 *  - NaN and infinities, which JSON cannot hold, are written as null;
 *  - strings are escaped as RFC 8259 requires (", \, and control
 *    characters; other bytes pass through, so give it UTF-8).
 *
 * Output goes to a FILE* or into a growable buffer the writer owns. Errors
 * are sticky: after a failed write or allocation, or a call that breaks
 * JSON's shape (a value where a key is due, an unbalanced end), every later
 * call does nothing and les_json_finish reports the first failure.
 *
 *     les_json j;
 *     les_json_init(&j, stdout, 0);            // compact, to a stream
 *     les_json_begin_object(&j);
 *     les_json_kv_fixed(&j, "score", 84.5, 2); // "score":84.50
 *     les_json_key(&j, "zones");
 *     les_json_begin_array(&j);
 *     les_json_end_array(&j);
 *     les_json_end_object(&j);
 *     les_result r = les_json_finish(&j);     // LES_OK or LES_ERR_IO
 *     les_json_deinit(&j);
 *
 * Ownership: the caller owns the les_json struct; in buffer mode the writer
 * owns the buffer until les_json_deinit (les_json_buffer borrows it).
 * Threads: one writer belongs to one thread.
 */
#ifndef LES_JSON_H
#define LES_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "les_lesson.h"

/* Deepest nesting of objects and arrays a writer accepts. */
#define LES_JSON_MAX_DEPTH 64

typedef struct les_json {
    FILE *out;               /* stream mode; NULL in buffer mode */
    char *buf;               /* buffer mode: the text so far, NUL-terminated */
    size_t len, cap;
    int indent;              /* spaces per level; 0 = compact, one line */
    int depth;               /* open containers */
    uint64_t is_object;      /* bit d: the container at depth d is an object */
    uint64_t has_items;      /* bit d: it already holds an item */
    bool key_pending;        /* a key was written; its value comes next */
    les_result status;       /* LES_OK until something fails (sticky) */
} les_json;

/* Starts a writer. `out` = NULL writes into an internal buffer instead.
 * `indent` = 0 gives compact one-line JSON; 1..8 pretty-prints with that
 * many spaces per level. */
void les_json_init(les_json *j, FILE *out, int indent);
/* Frees the buffer (buffer mode); the stream is the caller's. */
void les_json_deinit(les_json *j);
/* Checks that every container was closed and flushes the stream. Returns
 * LES_OK, LES_ERR_IO (stream failed), LES_ERR_NOMEM (buffer) or LES_ERR_ARG
 * (misuse: a missing value, an unclosed container). Adds nothing to the
 * output (write the trailing newline yourself with les_json_newline). */
les_result les_json_finish(les_json *j);
/* Buffer mode: the text so far (NUL-terminated, "" when empty) and its
 * length; borrowed until the next call. */
const char *les_json_buffer(const les_json *j, size_t *len);

void les_json_begin_object(les_json *j);
void les_json_end_object(les_json *j);
void les_json_begin_array(les_json *j);
void les_json_end_array(les_json *j);
/* An object's key; the next call writes its value. */
void les_json_key(les_json *j, const char *key);
/* Same for a key that may hold NUL bytes. */
void les_json_key_len(les_json *j, const char *key, size_t len);
/* Raw "\n" between top-level values (a JSON-lines stream). */
void les_json_newline(les_json *j);

/* Values: in an array, or after les_json_key in an object. */
void les_json_string(les_json *j, const char *s);        /* NULL -> null */
void les_json_string_len(les_json *j, const char *s, size_t len);
void les_json_int(les_json *j, int64_t v);
void les_json_uint(les_json *j, uint64_t v);
void les_json_bool(les_json *j, bool v);
void les_json_null(les_json *j);
/* v with exactly `decimals` digits after the point (0..17), rounded as
 * printf rounds; never "-0.00"; NaN/inf -> null. */
void les_json_fixed(les_json *j, double v, int decimals);
/* v exactly: integral values below 2^53 in magnitude as integers ("40",
 * and -0 as "0"), others with "%.17g", which reads back to the same double
 * (0.1 + 0.2 prints "0.30000000000000004", 1.2 prints "1.2"); NaN/inf ->
 * null. The lesson's canonical form uses it. */
void les_json_number(les_json *j, double v);

/* Key-value shorthands for objects. */
void les_json_kv_string(les_json *j, const char *key, const char *s);
void les_json_kv_int(les_json *j, const char *key, int64_t v);
void les_json_kv_uint(les_json *j, const char *key, uint64_t v);
void les_json_kv_bool(les_json *j, const char *key, bool v);
void les_json_kv_fixed(les_json *j, const char *key, double v, int decimals);

#endif /* LES_JSON_H */
