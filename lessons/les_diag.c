/* les_diag.c: the diagnostics list a parser fills (les_lesson.h): every
 * problem found in a file, with its line and column, printed the way
 * compilers print theirs ("FILE:LINE:COL: error: message").
 *
 * Ownership: a les_diags owns its items (les_diags_deinit frees them).
 * Threads: one list belongs to one thread.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "les_internal.h"

void les_diags_init(les_diags *d, const char *file)
{
    memset(d, 0, sizeof *d);
    if (file)
        snprintf(d->file, sizeof d->file, "%s", file);
}

void les_diags_deinit(les_diags *d)
{
    if (!d)
        return;
    sim_free(d->items);
    d->items = NULL;
    d->count = d->capacity = d->errors = 0;
}

static bool les__diags_reserve(les_diags *d)
{
    if (d->count < d->capacity)
        return true;
    size_t capacity = d->capacity ? d->capacity * 2 : 8;
    les_diag *grown = sim_realloc(d->items, capacity * sizeof *grown);
    if (!grown)
        return false;
    d->items = grown;
    d->capacity = capacity;
    return true;
}

void les_diags_add(les_diags *d, les_severity sev, int line, int column,
                   const char *fmt, ...)
{
    if (!d)
        return;
    if (sev == LES_ERROR)
        d->errors++;
    if (!les__diags_reserve(d))
        return;
    les_diag *diag = &d->items[d->count++];
    diag->severity = sev;
    diag->line = line > 0 ? line : 1;
    diag->column = column > 0 ? column : 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(diag->message, sizeof diag->message, fmt, ap);
    va_end(ap);
}

void les_diags_print(const les_diags *d, FILE *out)
{
    if (!d || !out)
        return;
    for (size_t i = 0; i < d->count; i++) {
        const les_diag *diag = &d->items[i];
        const char *sev = diag->severity == LES_ERROR ? "error" : "warning";
        if (d->file[0])
            fprintf(out, "%s:", d->file);
        fprintf(out, "%d:%d: %s: %s\n", diag->line, diag->column, sev,
                diag->message);
    }
}

static bool les__diag_before(const les_diag *a, const les_diag *b)
{
    return a->line < b->line || (a->line == b->line && a->column < b->column);
}

/* Insertion sort: stable, in place; used when no scratch memory is left. */
static void les__diags_insertion(les_diag *items, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        les_diag item = items[i];
        size_t k = i;
        while (k > 0 && les__diag_before(&item, &items[k - 1])) {
            items[k] = items[k - 1];
            k--;
        }
        items[k] = item;
    }
}

/* Bottom-up merge sort: stable, O(n log n) with n items of scratch. */
static void les__diags_merge(les_diag *items, les_diag *scratch, size_t n)
{
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t a = lo, b = mid, o = lo;
            while (a < mid && b < hi)
                scratch[o++] = les__diag_before(&items[b], &items[a]) ? items[b++] : items[a++];
            while (a < mid)
                scratch[o++] = items[a++];
            while (b < hi)
                scratch[o++] = items[b++];
        }
        memcpy(items, scratch, n * sizeof *items);
    }
}

void les__diags_sort(les_diags *d, size_t first)
{
    if (d->count <= first + 1)
        return;
    size_t n = d->count - first;
    les_diag *scratch = sim_malloc(n * sizeof *scratch);
    if (scratch)
        les__diags_merge(d->items + first, scratch, n);
    else
        les__diags_insertion(d->items + first, n);
    sim_free(scratch);
}
