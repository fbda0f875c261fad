/* les_spatial.c: the spatial index and point-set statistics (les_spatial.h).
 *
 * The index: each point's cell (x, y, z), at most 2^21 per axis, gets the
 * dense key (x * dims_y + y) * dims_z + z; a stable LSD radix sort of
 * (key, index) puts the points in cell order with ties in index order; the
 * occupied cells are found through an open-addressing hash of their keys.
 * The grid's origin sits half a cell below the points' bounding box, so a
 * flat pad (z = 0) lies in the middle of one layer of cells.
 *
 * Single queries scan cubic shells of cells around the query's cell and
 * stop once the k-th best distance is no larger than the distance to the
 * nearest face of the scanned block that still has cells beyond it (or,
 * where shells would be mostly empty, scan every occupied cell that can
 * still matter). les_spatial_knn_all sweeps the cells in key order and
 * reads each 3 x 3 x 3 block as runs of adjacent keys found by cursors
 * that only move forward. The k best are kept in (distance, index) order,
 * so answers never depend on the scan order.
 *
 * Threads: build on one thread; queries are reentrant.
 */
#include "les_spatial.h"

#include <math.h>
#include <string.h>

#define LES__AXIS_BITS 21
#define LES__AXIS_CELLS (((int64_t)1 << LES__AXIS_BITS) - 4)
/* Points per occupied cell above which the build halves the cell. */
#define LES__MAX_OCCUPANCY 8.0
#define LES__MAX_REFINE 8
#define LES__MIN_CELL_MM 1e-6

/* Cells are numbered x-major: ((x * dims_y) + y) * dims_z + z, below 2^63
 * (each dimension is under 2^21), so sorted keys run along z, then y. */
static uint64_t les__key(const les_spatial *ix, const int64_t c[3])
{
    return ((uint64_t)c[0] * (uint64_t)ix->dims[1] + (uint64_t)c[1]) * (uint64_t)ix->dims[2] +
           (uint64_t)c[2];
}

static void les__unkey(const les_spatial *ix, uint64_t key, int64_t c[3])
{
    c[2] = (int64_t)(key % (uint64_t)ix->dims[2]);
    key /= (uint64_t)ix->dims[2];
    c[1] = (int64_t)(key % (uint64_t)ix->dims[1]);
    c[0] = (int64_t)(key / (uint64_t)ix->dims[1]);
}

/* splitmix64's finaliser: every key bit reaches the slot bits. */
static size_t les__hash(uint64_t key, size_t mask)
{
    key ^= key >> 30;
    key *= 0xBF58476D1CE4E5B9ull;
    key ^= key >> 27;
    key *= 0x94D049BB133111EBull;
    key ^= key >> 31;
    return (size_t)key & mask;
}

static double les__axis(sim_vec3 p, int a) { return a == 0 ? p.x : a == 1 ? p.y : p.z; }
/* Plain minimum and maximum (libm's fmin/fmax are calls; no NaN here). */
static inline double les__min(double a, double b) { return a < b ? a : b; }
static inline double les__max(double a, double b) { return a > b ? a : b; }

static double les__d2(sim_vec3 a, sim_vec3 b)
{
    double dx = a.x - b.x, dy = a.y - b.y, dz = a.z - b.z;
    return dx * dx + dy * dy + dz * dz;
}

/* The cell of p (may lie outside [0, dims)). */
static void les__cell_of(const les_spatial *ix, sim_vec3 p, int64_t c[3])
{
    for (int a = 0; a < 3; a++) {
        double f = floor((les__axis(p, a) - les__axis(ix->origin, a)) / ix->cell_mm);
        c[a] = f < -1e15 ? (int64_t)-1e15 : f > 1e15 ? (int64_t)1e15 : (int64_t)f;
    }
}

/* Index of the occupied cell with this key, or -1. */
static int64_t les__find_key(const les_spatial *ix, uint64_t key)
{
    for (size_t s = les__hash(key, ix->slot_mask); ix->slots[s]; s = (s + 1) & ix->slot_mask) {
        uint32_t cell = ix->slots[s] - 1;
        if (ix->keys[cell] == key)
            return cell;
    }
    return -1;
}

/* Index of the occupied cell c (any coordinates), or -1. */
static int64_t les__find(const les_spatial *ix, const int64_t c[3])
{
    for (int a = 0; a < 3; a++)
        if (c[a] < 0 || c[a] >= ix->dims[a])
            return -1;
    return les__find_key(ix, les__key(ix, c));
}

/* ------------------------------------------------------------------------ */
/* Build                                                                    */
/* ------------------------------------------------------------------------ */

/* Stable LSD radix sort of keys[] carrying ids[], 8 bits a pass; passes
 * where every key has the same digit are skipped. */
static void les__radix_sort(uint64_t *keys, uint32_t *ids, uint64_t *tk, uint32_t *ti,
                            size_t n)
{
    for (int shift = 0; shift < 64; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++)
            count[((keys[i] >> shift) & 0xff) + 1]++;
        bool same = false;
        for (int d = 1; d <= 256; d++)
            same = same || count[d] == n;
        if (same)
            continue;
        for (int d = 0; d < 256; d++)
            count[d + 1] += count[d];
        for (size_t i = 0; i < n; i++) {
            size_t at = count[(keys[i] >> shift) & 0xff]++;
            tk[at] = keys[i];
            ti[at] = ids[i];
        }
        memcpy(keys, tk, n * sizeof *keys);
        memcpy(ids, ti, n * sizeof *ids);
    }
}

typedef struct les__build_tmp {
    uint64_t *keys, *tk;
    uint32_t *ids, *ti;
} les__build_tmp;

/* Grid geometry for cell h over the box [lo, hi]. */
static void les__grid(les_spatial *ix, sim_vec3 lo, sim_vec3 hi, double h)
{
    ix->cell_mm = h;
    ix->origin = sim_v3(lo.x - 0.5 * h, lo.y - 0.5 * h, lo.z - 0.5 * h);
    for (int a = 0; a < 3; a++)
        ix->dims[a] = (int64_t)floor((les__axis(hi, a) - les__axis(lo, a)) / h + 0.5) + 1;
}

/* Keys and sort for the current grid; returns the number of cells. */
static size_t les__sort_cells(les_spatial *ix, const sim_vec3 *pts, size_t n,
                              les__build_tmp *t)
{
    double inv = 1.0 / ix->cell_mm;
    for (size_t i = 0; i < n; i++) {
        /* every point lies at least half a cell above the origin: truncation
         * is floor */
        int64_t c[3] = {(int64_t)((pts[i].x - ix->origin.x) * inv),
                        (int64_t)((pts[i].y - ix->origin.y) * inv),
                        (int64_t)((pts[i].z - ix->origin.z) * inv)};
        for (int a = 0; a < 3; a++)
            c[a] = c[a] < 0 ? 0 : c[a] >= ix->dims[a] ? ix->dims[a] - 1 : c[a];
        t->keys[i] = les__key(ix, c);
        t->ids[i] = (uint32_t)i;
    }
    les__radix_sort(t->keys, t->ids, t->tk, t->ti, n);
    size_t cells = 0;
    for (size_t i = 0; i < n; i++)
        cells += i == 0 || t->keys[i] != t->keys[i - 1];
    return cells;
}

static les_result les__fill(les_spatial *ix, const sim_vec3 *pts, size_t n,
                            const les__build_tmp *t, size_t cells)
{
    size_t slots = 16;
    while (slots < 2 * cells)
        slots *= 2;
    ix->pts = sim_malloc(n * sizeof *ix->pts);
    ix->ids = sim_malloc(n * sizeof *ix->ids);
    ix->keys = sim_malloc(cells * sizeof *ix->keys);
    ix->starts = sim_malloc((cells + 1) * sizeof *ix->starts);
    ix->slots = sim_calloc(slots, sizeof *ix->slots);
    if (!ix->pts || !ix->ids || !ix->keys || !ix->starts || !ix->slots)
        return LES_ERR_NOMEM;
    ix->count = n;
    ix->cells = cells;
    ix->slot_mask = slots - 1;
    size_t c = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || t->keys[i] != t->keys[i - 1]) {
            ix->keys[c] = t->keys[i];
            ix->starts[c++] = (uint32_t)i;
        }
        ix->ids[i] = t->ids[i];
        ix->pts[i] = pts[t->ids[i]];
    }
    ix->starts[cells] = (uint32_t)n;
    for (size_t k = 0; k < cells; k++) {
        size_t s = les__hash(ix->keys[k], ix->slot_mask);
        while (ix->slots[s])
            s = (s + 1) & ix->slot_mask;
        ix->slots[s] = (uint32_t)(k + 1);
    }
    return LES_OK;
}

static bool les__bounds(const sim_vec3 *pts, size_t n, sim_vec3 *lo, sim_vec3 *hi)
{
    *lo = *hi = n ? pts[0] : sim_v3(0, 0, 0);
    for (size_t i = 0; i < n; i++) {
        sim_vec3 p = pts[i];
        if (!isfinite(p.x) || !isfinite(p.y) || !isfinite(p.z))
            return false;
        lo->x = les__min(lo->x, p.x), lo->y = les__min(lo->y, p.y), lo->z = les__min(lo->z, p.z);
        hi->x = les__max(hi->x, p.x), hi->y = les__max(hi->y, p.y), hi->z = les__max(hi->z, p.z);
    }
    return true;
}

les_result les_spatial_build(les_spatial *ix, const sim_vec3 *pts, size_t n,
                             double cell_mm, sim_error *err)
{
    if (ix)
        memset(ix, 0, sizeof *ix);
    sim_vec3 lo, hi;
    if (!ix || (!pts && n) || n >= UINT32_MAX || !les__bounds(pts, n, &lo, &hi))
        return (les_result)sim_error_set(err, LES_ERR_ARG, NULL, 0, 0,
                                         "les_spatial_build: no index, too many points "
                                         "or a non-finite point");
    double extent = fmax(hi.x - lo.x, fmax(hi.y - lo.y, hi.z - lo.z));
    double h = isfinite(cell_mm) && cell_mm > 0 ? cell_mm : fmax(extent, 1.0);
    h = fmax(h, fmax(LES__MIN_CELL_MM, extent / (double)LES__AXIS_CELLS));
    les__build_tmp t = {
        sim_malloc((n ? n : 1) * sizeof *t.keys), sim_malloc((n ? n : 1) * sizeof *t.tk),
        sim_malloc((n ? n : 1) * sizeof *t.ids), sim_malloc((n ? n : 1) * sizeof *t.ti)};
    les_result r = LES_ERR_NOMEM;
    if (t.keys && t.tk && t.ids && t.ti) {
        les__grid(ix, lo, hi, h);
        size_t cells = les__sort_cells(ix, pts, n, &t);
        for (int refine = 0; refine < LES__MAX_REFINE && cells &&
                             (double)n / (double)cells > LES__MAX_OCCUPANCY &&
                             0.5 * h >= fmax(LES__MIN_CELL_MM, extent / (double)LES__AXIS_CELLS);
             refine++) {
            h *= 0.5;
            les__grid(ix, lo, hi, h);
            cells = les__sort_cells(ix, pts, n, &t);
        }
        r = les__fill(ix, pts, n, &t, cells);
    }
    sim_free(t.keys);
    sim_free(t.tk);
    sim_free(t.ids);
    sim_free(t.ti);
    if (r != LES_OK) {
        les_spatial_deinit(ix);
        return (les_result)sim_error_set(err, r, NULL, 0, 0, "out of memory");
    }
    return LES_OK;
}

void les_spatial_deinit(les_spatial *ix)
{
    if (!ix)
        return;
    sim_free(ix->pts);
    sim_free(ix->ids);
    sim_free(ix->keys);
    sim_free(ix->starts);
    sim_free(ix->slots);
    memset(ix, 0, sizeof *ix);
}

/* ------------------------------------------------------------------------ */
/* Nearest neighbours                                                       */
/* ------------------------------------------------------------------------ */

/* The k best so far, ascending by (d2, id). */
typedef struct les__best {
    uint32_t id[LES_SPATIAL_MAX_K];
    double d2[LES_SPATIAL_MAX_K];
    size_t found, k;
} les__best;

static inline void les__best_push(les__best *b, uint32_t id, double d2)
{
    size_t n = b->found;
    if (n == b->k) {
        if (d2 > b->d2[n - 1] || (d2 == b->d2[n - 1] && id > b->id[n - 1]))
            return;
        n--;
    }
    size_t j = n;
    while (j > 0 && (b->d2[j - 1] > d2 || (b->d2[j - 1] == d2 && b->id[j - 1] > id))) {
        b->d2[j] = b->d2[j - 1];
        b->id[j] = b->id[j - 1];
        j--;
    }
    b->d2[j] = d2;
    b->id[j] = id;
    b->found = n + 1;
}

static void les__scan_cell(const les_spatial *ix, size_t cell, sim_vec3 q, uint32_t exclude,
                           les__best *b)
{
    for (uint32_t i = ix->starts[cell]; i < ix->starts[cell + 1]; i++)
        if (ix->ids[i] != exclude)
            les__best_push(b, ix->ids[i], les__d2(q, ix->pts[i]));
}

/* Distance from q to the nearest face of the block of cells c +- m that
 * has occupied space beyond it; INFINITY when the block covers the grid. */
static double les__block_margin(const les_spatial *ix, sim_vec3 q, const int64_t c[3],
                                int64_t m)
{
    double margin = INFINITY;
    for (int a = 0; a < 3; a++) {
        double qa = les__axis(q, a), oa = les__axis(ix->origin, a);
        if (c[a] - m > 0)
            margin = les__min(margin, qa - (oa + (double)(c[a] - m) * ix->cell_mm));
        if (c[a] + m < ix->dims[a] - 1)
            margin = les__min(margin, oa + (double)(c[a] + m + 1) * ix->cell_mm - qa);
    }
    return margin;
}

/* Calls les__scan_cell on every occupied cell at Chebyshev distance m
 * from c, clipped to the grid, counting the cells it looks up in *probes;
 * false (stopped part-way) once *probes exceeds `budget`. */
static bool les__scan_shell(const les_spatial *ix, const int64_t c[3], int64_t m, sim_vec3 q,
                            uint32_t exclude, les__best *b, size_t *probes, size_t budget)
{
    int64_t lo[3], hi[3];
    for (int a = 0; a < 3; a++) {
        lo[a] = c[a] - m < 0 ? 0 : c[a] - m;
        hi[a] = c[a] + m > ix->dims[a] - 1 ? ix->dims[a] - 1 : c[a] + m;
        if (lo[a] > hi[a])
            return true;
    }
    int64_t p[3];
    for (p[0] = lo[0]; p[0] <= hi[0]; p[0]++) {
        for (p[1] = lo[1]; p[1] <= hi[1]; p[1]++) {
            bool edge = p[0] == c[0] - m || p[0] == c[0] + m || p[1] == c[1] - m ||
                        p[1] == c[1] + m;
            int64_t step = edge || m == 0 ? 1 : 2 * m;
            for (p[2] = edge ? lo[2] : c[2] - m; p[2] <= hi[2]; p[2] += step) {
                if (p[2] < lo[2])
                    continue;
                if (++*probes > budget)
                    return false;
                int64_t cell = les__find(ix, p);
                if (cell >= 0)
                    les__scan_cell(ix, (size_t)cell, q, exclude, b);
            }
        }
    }
    return true;
}

/* Squared distance from q to the box of occupied cell `cell`. */
static double les__cell_d2(const les_spatial *ix, size_t cell, sim_vec3 q)
{
    int64_t c[3];
    les__unkey(ix, ix->keys[cell], c);
    double d2 = 0.0;
    for (int a = 0; a < 3; a++) {
        double lo = les__axis(ix->origin, a) + (double)c[a] * ix->cell_mm;
        double qa = les__axis(q, a);
        double d = qa < lo ? lo - qa : qa > lo + ix->cell_mm ? qa - lo - ix->cell_mm : 0.0;
        d2 += d * d;
    }
    return d2;
}

/* Every occupied cell that can still hold one of the k best (sparse,
 * far-flung points where shells would be mostly empty). */
static void les__scan_all(const les_spatial *ix, sim_vec3 q, uint32_t exclude, les__best *b)
{
    for (size_t cell = 0; cell < ix->cells; cell++)
        if (b->found < b->k || les__cell_d2(ix, cell, q) <= b->d2[b->k - 1])
            les__scan_cell(ix, cell, q, exclude, b);
}

static size_t les__best_out(const les__best *b, size_t k, uint32_t *nbr, double *dist_mm)
{
    for (size_t j = 0; j < k; j++) {
        nbr[j] = j < b->found ? b->id[j] : LES_SPATIAL_NONE;
        dist_mm[j] = j < b->found ? sqrt(b->d2[j]) : INFINITY;
    }
    return b->found;
}

size_t les_spatial_knn(const les_spatial *ix, sim_vec3 q, uint32_t exclude, size_t k,
                       uint32_t *nbr, double *dist_mm)
{
    les__best b = {.k = k < LES_SPATIAL_MAX_K ? k : LES_SPATIAL_MAX_K};
    if (b.k == 0)
        return 0;
    int64_t c[3], m = 0;
    les__cell_of(ix, q, c);
    for (int a = 0; a < 3; a++) {
        int64_t out = c[a] < 0 ? -c[a] : c[a] - (ix->dims[a] - 1);
        m = out > m ? out : m;
    }
    /* Shells cost up to the number of occupied cells, then one full scan. */
    size_t probes = 0, budget = 4 * ix->cells + 64;
    for (; ix->count; m++) {
        if (!les__scan_shell(ix, c, m, q, exclude, &b, &probes, budget)) {
            b.found = 0;
            les__scan_all(ix, q, exclude, &b);
            break;
        }
        double margin = les__block_margin(ix, q, c, m);
        if (margin == INFINITY || (b.found == b.k && margin >= 0 &&
                                   b.d2[b.k - 1] <= margin * margin))
            break;
    }
    return les__best_out(&b, b.k, nbr, dist_mm);
}

/* les_spatial_knn_all sweeps the cells in key order. The cells of the
 * block around cell (x, y, z) come in 9 runs, one per (x + dx, y + dy),
 * each run the keys from z - 1 to z + 1: contiguous in the sorted keys and
 * so in the points. Each run has a cursor into the keys that only moves
 * forward as the sweep does, so no cell is looked up by hash. */
typedef struct les__sweep {
    size_t cursor[9];
    uint32_t from[9], to[9];  /* the runs' point ranges, adjacent ones merged */
    int runs;
} les__sweep;

/* Adds the cells with keys in [lo, hi] as a run (merged with the last
 * run when adjacent), moving cursor *at forward to lo. */
static void les__sweep_run(const les_spatial *ix, uint64_t lo, uint64_t hi, size_t *at,
                           les__sweep *sw)
{
    size_t k = *at;
    while (k < ix->cells && ix->keys[k] < lo)
        k++;
    *at = k;
    size_t e = k;
    while (e < ix->cells && ix->keys[e] <= hi)
        e++;
    if (e == k)
        return;
    if (sw->runs && sw->to[sw->runs - 1] == ix->starts[k]) {
        sw->to[sw->runs - 1] = ix->starts[e];
        return;
    }
    sw->from[sw->runs] = ix->starts[k];
    sw->to[sw->runs++] = ix->starts[e];
}

static void les__sweep_block(const les_spatial *ix, const int64_t c[3], les__sweep *sw)
{
    const int64_t r = 1, side = 3;
    int64_t y0 = c[1] > r ? c[1] - r : 0, y1 = c[1] + r < ix->dims[1] ? c[1] + r : ix->dims[1] - 1;
    int64_t z0 = c[2] > r ? c[2] - r : 0, z1 = c[2] + r < ix->dims[2] ? c[2] + r : ix->dims[2] - 1;
    bool flat = ix->dims[2] == 1; /* then the y rows of one x are adjacent keys */
    sw->runs = 0;
    for (int64_t run = 0; run < (flat ? side : side * side); run++) {
        int64_t p[3] = {c[0] + (flat ? run : run / side) - r,
                        flat ? y0 : c[1] + run % side - r, z0};
        if (p[0] < 0 || p[1] < 0 || p[0] >= ix->dims[0] || p[1] >= ix->dims[1])
            continue;
        uint64_t lo = les__key(ix, p);
        les__sweep_run(ix, lo, lo + (uint64_t)(flat ? y1 - y0 : z1 - z0), &sw->cursor[run], sw);
    }
}

/* Pushes the block's points within sqrt(limit2) of q: a point farther
 * than the block's margin can only matter when fewer than k lie within
 * it, and then the caller searches again from scratch. */
static void les__scan_runs(const les_spatial *ix, const les__sweep *sw, sim_vec3 q,
                           uint32_t exclude, double limit2, les__best *b)
{
    for (int r = 0; r < sw->runs; r++)
        for (uint32_t j = sw->from[r]; j < sw->to[r]; j++) {
            double dx = ix->pts[j].x - q.x, dy = ix->pts[j].y - q.y, dz = ix->pts[j].z - q.z;
            double d2 = dx * dx + dy * dy + dz * dz;
            if (d2 > limit2 || (b->found == b->k && d2 > b->d2[b->k - 1]))
                continue;
            if (ix->ids[j] != exclude)
                les__best_push(b, ix->ids[j], d2);
        }
}

void les_spatial_knn_all(const les_spatial *ix, size_t k, uint32_t *nbr, double *dist_mm)
{
    if (k == 0 || k > LES_SPATIAL_MAX_K)
        return;
    les__sweep sw;
    memset(&sw, 0, sizeof sw);
    for (size_t cell = 0; cell < ix->cells; cell++) {
        int64_t c[3];
        les__unkey(ix, ix->keys[cell], c);
        les__sweep_block(ix, c, &sw);
        double plane[6]; /* the block's faces with cells beyond; +-inf where none */
        for (int a = 0; a < 3; a++) {
            double o = les__axis(ix->origin, a);
            plane[2 * a] = c[a] - 1 > 0 ? o + (double)(c[a] - 1) * ix->cell_mm : -INFINITY;
            plane[2 * a + 1] =
                c[a] + 1 < ix->dims[a] - 1 ? o + (double)(c[a] + 2) * ix->cell_mm : INFINITY;
        }
        /* the previous point p of the cell bounds this one's k-th distance:
         * p and its k nearest, less q, lie within r_k(p) + |pq| of q */
        double prev_rk = INFINITY;
        sim_vec3 prev = {0, 0, 0};
        for (uint32_t i = ix->starts[cell]; i < ix->starts[cell + 1]; i++) {
            sim_vec3 q = ix->pts[i];
            uint32_t id = ix->ids[i];
            les__best b = {.k = k};
            double margin = les__min(les__min(q.x - plane[0], plane[1] - q.x),
                                     les__min(les__min(q.y - plane[2], plane[3] - q.y),
                                              les__min(q.z - plane[4], plane[5] - q.z)));
            /* (grown by 1e-9 against rounding: never drop a true neighbour) */
            double limit = les__min(margin, (prev_rk + sqrt(les__d2(prev, q))) * (1 + 1e-9));
            les__scan_runs(ix, &sw, q, id, limit * limit, &b);
            double *out_d = dist_mm + (size_t)id * k;
            if (b.found == k && b.d2[k - 1] <= margin * margin)
                les__best_out(&b, k, nbr + (size_t)id * k, out_d);
            else
                les_spatial_knn(ix, q, id, k, nbr + (size_t)id * k, out_d);
            prev_rk = out_d[k - 1];
            prev = q;
        }
    }
}

void les_spatial_count_within(const les_spatial *ix, sim_vec3 q, uint32_t exclude,
                              const double *r_mm, size_t m, uint64_t *counts)
{
    if (m == 0 || !ix->count)
        return;
    double rmax = r_mm[m - 1], r2max = rmax * rmax;
    int64_t lo[3], hi[3], p[3];
    les__cell_of(ix, sim_v3(q.x - rmax, q.y - rmax, q.z - rmax), lo);
    les__cell_of(ix, sim_v3(q.x + rmax, q.y + rmax, q.z + rmax), hi);
    for (int a = 0; a < 3; a++) {
        lo[a] = lo[a] < 0 ? 0 : lo[a];
        hi[a] = hi[a] > ix->dims[a] - 1 ? ix->dims[a] - 1 : hi[a];
    }
    for (p[0] = lo[0]; p[0] <= hi[0]; p[0]++)
        for (p[1] = lo[1]; p[1] <= hi[1]; p[1]++)
            for (p[2] = lo[2]; p[2] <= hi[2]; p[2]++) {
                int64_t cell = les__find(ix, p);
                if (cell < 0)
                    continue;
                for (uint32_t i = ix->starts[cell]; i < ix->starts[cell + 1]; i++) {
                    double d2 = les__d2(q, ix->pts[i]);
                    if (d2 > r2max || ix->ids[i] == exclude)
                        continue;
                    for (size_t j = 0; j < m; j++)
                        counts[j] += d2 <= r_mm[j] * r_mm[j];
                }
            }
}

/* ------------------------------------------------------------------------ */
/* Brute force                                                              */
/* ------------------------------------------------------------------------ */

size_t les_spatial_knn_brute(const sim_vec3 *pts, size_t n, sim_vec3 q, uint32_t exclude,
                             size_t k, uint32_t *nbr, double *dist_mm)
{
    les__best b = {.k = k < LES_SPATIAL_MAX_K ? k : LES_SPATIAL_MAX_K};
    if (b.k == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((uint32_t)i != exclude)
            les__best_push(&b, (uint32_t)i, les__d2(q, pts[i]));
    return les__best_out(&b, b.k, nbr, dist_mm);
}

void les_spatial_count_within_brute(const sim_vec3 *pts, size_t n, sim_vec3 q,
                                    uint32_t exclude, const double *r_mm, size_t m,
                                    uint64_t *counts)
{
    for (size_t i = 0; i < n; i++) {
        if ((uint32_t)i == exclude)
            continue;
        double d2 = les__d2(q, pts[i]);
        for (size_t j = 0; j < m; j++)
            counts[j] += d2 <= r_mm[j] * r_mm[j];
    }
}

/* ------------------------------------------------------------------------ */
/* Statistics                                                               */
/* ------------------------------------------------------------------------ */

double les_clark_evans(double nn_mean_mm, size_t n, double area_mm2)
{
    if (n < 2 || !(area_mm2 > 0))
        return NAN;
    return nn_mean_mm / (0.5 * sqrt(area_mm2 / (double)n));
}

double les_clark_evans_donnelly(double nn_mean_mm, size_t n, double area_mm2,
                                double perimeter_mm)
{
    if (n < 2 || !(area_mm2 > 0))
        return NAN;
    double dn = (double)n;
    double expected = 0.5 * sqrt(area_mm2 / dn) + (0.0514 + 0.0412 / sqrt(dn)) * perimeter_mm / dn;
    return nn_mean_mm / expected;
}

double les_ripley_l(uint64_t pairs, size_t refs, double intensity_per_mm2)
{
    if (refs == 0 || !(intensity_per_mm2 > 0))
        return NAN;
    return sqrt((double)pairs / ((double)refs * intensity_per_mm2) / SIM_PI);
}

static const int les__folds[3] = {2, 4, 6};

void les_order_add(les_order_acc *acc, const sim_vec2 *bond, size_t k)
{
    if (k < 6)
        return;
    double re[3] = {0, 0, 0}, im[3] = {0, 0, 0};
    for (int j = 0; j < 6; j++) {
        double x = bond[j].x, y = bond[j].y, len2 = x * x + y * y;
        if (!(len2 > 0))
            return;
        /* exp(2 i theta) = (x + i y)^2 / |x + i y|^2 */
        double inv = 1.0 / len2, c2 = (x * x - y * y) * inv, s2 = 2 * x * y * inv;
        double c4 = c2 * c2 - s2 * s2, s4 = 2 * c2 * s2;    /* exp(4 i theta) */
        double c6 = c4 * c2 - s4 * s2, s6 = c4 * s2 + s4 * c2;
        if (j < 2)
            re[0] += c2, im[0] += s2;
        if (j < 4)
            re[1] += c4, im[1] += s4;
        re[2] += c6, im[2] += s6;
    }
    for (int f = 0; f < 3; f++) {
        acc->re[f] += re[f] / les__folds[f];
        acc->im[f] += im[f] / les__folds[f];
    }
    acc->count++;
}

double les_order_value(const les_order_acc *acc, int *fold)
{
    if (fold)
        *fold = 0;
    if (acc->count == 0)
        return NAN;
    double best = -1.0;
    for (int f = 0; f < 3; f++) {
        double v = hypot(acc->re[f], acc->im[f]) / (double)acc->count;
        if (v > best) {
            best = v;
            if (fold)
                *fold = les__folds[f];
        }
    }
    return best;
}
