/* lessons_patterns.h: point sets with known answers for the grader's tests
 * (hexagonal and square grids, Poisson-disk, uniform random, clumped, soft
 * and shaped hairline fields), as impressions on a pad (z = 0, normal +z).
 * Deterministic: every generator takes a seed for sim_rng. Tests only. */
#ifndef LESSONS_PATTERNS_H
#define LESSONS_PATTERNS_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim_impression.h"

/* A growable array of impressions (plain malloc: the tests' own memory). */
typedef struct lp_set {
    sim_impression *items;
    size_t count, capacity;
} lp_set;

static inline void lp_push(lp_set *s, double x, double y, double depth_mm)
{
    if (s->count == s->capacity) {
        s->capacity = s->capacity ? 2 * s->capacity : 256;
        s->items = realloc(s->items, s->capacity * sizeof *s->items);
    }
    sim_impression *m = &s->items[s->count++];
    memset(m, 0, sizeof *m);
    m->surface_mm = sim_v3(x, y, 0);
    m->normal = sim_v3(0, 0, 1);
    m->chart_mm = sim_v2(x, y);
    m->depth_mm = depth_mm;
}

static inline void lp_free(lp_set *s)
{
    free(s->items);
    memset(s, 0, sizeof *s);
}

/* The box the patterns fill: [x0, x1] x [y0, y1]. */
typedef struct lp_box { double x0, y0, x1, y1; } lp_box;

static inline bool lp_in(lp_box b, double x, double y)
{
    return x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1;
}

/* A hexagonal grid of spacing a (rows along x). */
static inline void lp_hex(lp_set *s, lp_box b, double a)
{
    double h = a * sqrt(3.0) / 2.0;
    for (int j = 0; b.y0 + 0.25 * a + j * h <= b.y1; j++)
        for (int i = 0; b.x0 + 0.25 * a + i * a <= b.x1 + a; i++) {
            double x = b.x0 + 0.25 * a + i * a + (j % 2 ? 0.5 * a : 0.0);
            double y = b.y0 + 0.25 * a + j * h;
            if (lp_in(b, x, y))
                lp_push(s, x, y, 0.8);
        }
}

/* A square grid of spacing a. */
static inline void lp_square(lp_set *s, lp_box b, double a)
{
    for (double y = b.y0 + 0.5 * a; y <= b.y1; y += a)
        for (double x = b.x0 + 0.5 * a; x <= b.x1; x += a)
            lp_push(s, x, y, 0.8);
}

/* n points uniform in the box. */
static inline void lp_random(lp_set *s, lp_box b, size_t n, uint64_t seed)
{
    sim_rng rng;
    sim_rng_seed(&rng, seed, 1);
    for (size_t i = 0; i < n; i++) {
        double x = b.x0 + (b.x1 - b.x0) * sim_rng_unit(&rng);
        double y = b.y0 + (b.y1 - b.y0) * sim_rng_unit(&rng);
        lp_push(s, x, y, 0.8);
    }
}

/* Dart throwing: up to n points no closer than r (tries 60 n darts), with
 * a background grid of cells r / sqrt(2) holding at most one point. */
static inline void lp_poisson_disk(lp_set *s, lp_box b, size_t n, double r, uint64_t seed)
{
    sim_rng rng;
    sim_rng_seed(&rng, seed, 2);
    double cell = r / sqrt(2.0);
    int cols = (int)ceil((b.x1 - b.x0) / cell) + 1, rows = (int)ceil((b.y1 - b.y0) / cell) + 1;
    long *grid = malloc((size_t)cols * (size_t)rows * sizeof *grid);
    for (long k = 0; k < (long)cols * rows; k++)
        grid[k] = -1;
    size_t placed = 0;
    for (size_t t = 0; t < 60 * n && placed < n; t++) {
        double x = b.x0 + (b.x1 - b.x0) * sim_rng_unit(&rng);
        double y = b.y0 + (b.y1 - b.y0) * sim_rng_unit(&rng);
        int cx = (int)((x - b.x0) / cell), cy = (int)((y - b.y0) / cell);
        bool ok = true;
        for (int dy = -2; ok && dy <= 2; dy++)
            for (int dx = -2; ok && dx <= 2; dx++) {
                int gx = cx + dx, gy = cy + dy;
                if (gx < 0 || gy < 0 || gx >= cols || gy >= rows || grid[gy * cols + gx] < 0)
                    continue;
                const sim_impression *m = &s->items[grid[gy * cols + gx]];
                double ex = m->surface_mm.x - x, ey = m->surface_mm.y - y;
                ok = ex * ex + ey * ey >= r * r;
            }
        if (!ok)
            continue;
        grid[cy * cols + cx] = (long)s->count;
        lp_push(s, x, y, 0.8);
        placed++;
    }
    free(grid);
}

/* A standard normal deviate (Box-Muller). */
static inline double lp_normal(sim_rng *rng)
{
    double u = 1.0 - sim_rng_unit(rng), v = sim_rng_unit(rng);
    return sqrt(-2.0 * log(u)) * cos(2.0 * SIM_PI * v);
}

/* A Thomas cluster process: n points in clusters of `per` around uniform
 * parents, spread sigma. */
static inline void lp_clumped(lp_set *s, lp_box b, size_t n, size_t per, double sigma,
                              uint64_t seed)
{
    sim_rng rng;
    sim_rng_seed(&rng, seed, 3);
    size_t first = s->count;
    while (s->count - first < n) {
        double px = b.x0 + (b.x1 - b.x0) * sim_rng_unit(&rng);
        double py = b.y0 + (b.y1 - b.y0) * sim_rng_unit(&rng);
        for (size_t k = 0; k < per && s->count - first < n; k++) {
            double x = px + sigma * lp_normal(&rng), y = py + sigma * lp_normal(&rng);
            if (lp_in(b, x, y))
                lp_push(s, x, y, 0.8);
        }
    }
}

/* A hairline field: a Poisson-disk base of radius r over the box, kept
 * where y lies behind edge(x) (y < edge), with a linear density ramp of
 * width ramp_mm centred on the edge (0: a sharp edge). */
typedef double (*lp_edge_fn)(double x);

static inline void lp_field(lp_set *s, lp_box b, double r, lp_edge_fn edge, double ramp_mm,
                            uint64_t seed)
{
    lp_set base = {0};
    size_t n = (size_t)((b.x1 - b.x0) * (b.y1 - b.y0) / (r * r));
    lp_poisson_disk(&base, b, n, r, seed);
    sim_rng rng;
    sim_rng_seed(&rng, seed, 4);
    for (size_t i = 0; i < base.count; i++) {
        double x = base.items[i].surface_mm.x, y = base.items[i].surface_mm.y;
        double d = y - edge(x), u = sim_rng_unit(&rng);
        double keep = ramp_mm > 0 ? 0.5 - d / ramp_mm : (d < 0 ? 1.0 : 0.0);
        if (u < keep)
            lp_push(s, x, y, 0.8);
    }
    lp_free(&base);
}

#endif /* LESSONS_PATTERNS_H */
