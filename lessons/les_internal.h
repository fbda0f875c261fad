/* les_internal.h: helpers shared by the lessons module's files; not a public
 * API (names carry the `les__` prefix).
 *
 *  - the arena a parsed lesson lives in (les_arena.c);
 *  - locale-independent number parsing and printing, whole-file reads and
 *    quoting of user text for messages (les_util.c).
 *
 * Every allocation goes through sim_malloc/sim_free so tests can fail each
 * one in turn. Threads: reentrant.
 */
#ifndef LES_INTERNAL_H
#define LES_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "les_lesson.h"

/* ---------------------------------------------------------------------------
 * Arena: a chain of blocks; everything in it is freed at once.
 * ------------------------------------------------------------------------- */
/* Zeroed memory for `size` bytes, aligned for any type; NULL when out of
 * memory. `*arena` may be NULL (an empty arena). */
void *les__arena_alloc(les_arena_block **arena, size_t size);
/* Zeroed array of count elements of `size` bytes (overflow-checked). */
void *les__arena_array(les_arena_block **arena, size_t count, size_t size);
/* A NUL-terminated copy of s[0..len) (s may hold NULs; the copy keeps them). */
char *les__arena_strndup(les_arena_block **arena, const char *s, size_t len);
/* Frees every block; *arena becomes NULL. */
void les__arena_free(les_arena_block **arena);

/* ---------------------------------------------------------------------------
 * Numbers: one strict grammar, never locale-dependent
 * ------------------------------------------------------------------------- */
/* Parses s[0..len) as a decimal number: [+-]? (digits [. digits?] | . digits)
 * ([eE] [+-]? digits)?, nothing else (no spaces, hex, inf or nan). False
 * when the text does not match or the value is not finite. */
bool les__parse_number(const char *s, size_t len, double *out);
/* snprintf of one double with `fmt` (one conversion such as "%.17g" or
 * "%.*f" with `decimals`), always with '.' as the decimal point whatever
 * the locale. Returns the length written (as snprintf). */
int les__format_double(char *buf, size_t size, const char *fmt, int decimals,
                       double v);
/* The canonical text of a number: an integer when v is integral and below
 * 2^53 in magnitude ("40"), otherwise "%.17g"; -0 prints as "0". */
void les__format_canonical(char *buf, size_t size, double v);

/* ---------------------------------------------------------------------------
 * Text for messages
 * ------------------------------------------------------------------------- */
/* Writes s[0..len) into buf between double quotes, control characters as
 * \n, \t or \xHH, cut to about 40 characters with "...". Returns buf. */
char *les__quote(char *buf, size_t size, const char *s, size_t len);

/* ---------------------------------------------------------------------------
 * Diagnostics
 * ------------------------------------------------------------------------- */
/* Sorts d->items[first..count) by line, then column, keeping the order of
 * equal positions (a parser reports in passes; readers want file order). */
void les__diags_sort(les_diags *d, size_t first);

/* ---------------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------------- */
/* Reads a whole file into a new NUL-terminated buffer (sim_free it).
 * Returns LES_OK, LES_ERR_IO (with *sys_errno set) or LES_ERR_NOMEM. */
les_result les__read_file(const char *path, char **text, size_t *len,
                          int *sys_errno);

#endif /* LES_INTERNAL_H */
