/* sim_pairs.c: close pairs among 3D points through a sorted grid (see
 * sim_pairs.h).
 *
 * Threads: reentrant.
 */
#include "sim_pairs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct cell_key {
    int64_t c[3];
    size_t index;
} cell_key;

static int key_cmp_cell(const cell_key *a, const int64_t c[3])
{
    for (int k = 0; k < 3; k++)
        if (a->c[k] != c[k])
            return a->c[k] < c[k] ? -1 : 1;
    return 0;
}

static int key_cmp(const void *pa, const void *pb)
{
    const cell_key *a = pa, *b = pb;
    int r = key_cmp_cell(a, b->c);
    if (r)
        return r;
    return a->index < b->index ? -1 : (a->index > b->index);
}

/* First key at or after cell c. */
static size_t lower_bound(const cell_key *keys, size_t n, const int64_t c[3])
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (key_cmp_cell(&keys[mid], c) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int64_t cell_of(double x, double cell_mm)
{
    double c = floor(x / cell_mm);
    /* points far outside any surface share the outermost cells */
    if (!(c > -1e15))
        return (int64_t)-1e15;
    return c < 1e15 ? (int64_t)c : (int64_t)1e15;
}

static void all_pairs(size_t n, sim__pair_fn fn, void *ctx)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            fn(i, j, ctx);
}

void sim__close_pairs(const sim_vec3 *first, size_t stride_bytes, size_t n,
                      double cell_mm, sim__pair_fn fn, void *ctx)
{
    if (n < 2)
        return;
    cell_key *keys = !(cell_mm > 0.0) || !isfinite(cell_mm) ? NULL
                                                            : sim_malloc(n * sizeof *keys);
    if (!keys) {
        all_pairs(n, fn, ctx);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        sim_vec3 p;
        memcpy(&p, (const char *)first + i * stride_bytes, sizeof p);
        keys[i].c[0] = cell_of(p.x, cell_mm);
        keys[i].c[1] = cell_of(p.y, cell_mm);
        keys[i].c[2] = cell_of(p.z, cell_mm);
        keys[i].index = i;
    }
    qsort(keys, n, sizeof *keys, key_cmp);
    for (size_t a = 0; a < n; a++) {
        const cell_key *k = &keys[a];
        for (int dx = -1; dx <= 1; dx++)
            for (int dy = -1; dy <= 1; dy++)
                for (int dz = -1; dz <= 1; dz++) {
                    int64_t c[3] = {k->c[0] + dx, k->c[1] + dy, k->c[2] + dz};
                    for (size_t b = lower_bound(keys, n, c);
                         b < n && key_cmp_cell(&keys[b], c) == 0; b++)
                        if (keys[b].index > k->index)
                            fn(k->index, keys[b].index, ctx);
                }
    }
    sim_free(keys);
}
