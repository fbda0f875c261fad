/* les_spatial.h: point-set statistics on the skin.
 *
 * A spatial index over 3D points (impressions' surface_mm): a uniform grid
 * of cubic cells, only the occupied cells stored (sorted by cell, found
 * through an open-addressing hash), so memory is linear in the points
 * whatever the surface's extent. Queries:
 *  - the k nearest neighbours of every point (k <= LES_SPATIAL_MAX_K) or of
 *    any query point;
 *  - counts of points within a set of radii of a query point (Ripley's K).
 * Distances are straight 3D distances between surface points: at the
 * scales graded (a few mm on a head of ~95 mm radius) they equal distances
 * along the skin to better than 0.1%.
 *
 * Results are a deterministic total order: neighbours sorted by (distance,
 * original index), whatever the grid or scan order. Brute-force versions
 * of each query are here too, for tests and the benchmark's baseline.
 *
 * Also the classic statistics on top: Clark-Evans R (naive and with
 * Donnelly's edge correction), Besag's L from Ripley's K, bond-orientational
 * order. docs/grading.md gives every formula.
 *
 * Ownership: a les_spatial owns copies of the points (les_spatial_deinit).
 * Threads: build on one thread; queries are read-only and reentrant.
 */
#ifndef LES_SPATIAL_H
#define LES_SPATIAL_H

#include "les_lesson.h"

#define LES_SPATIAL_MAX_K 8
#define LES_SPATIAL_NONE UINT32_MAX   /* "no neighbour" in result arrays */

typedef struct les_spatial {
    size_t count;            /* points indexed */
    double cell_mm;          /* cell edge */
    sim_vec3 origin;         /* corner of cell (0, 0, 0) */
    int64_t dims[3];         /* cells along x, y, z */
    sim_vec3 *pts;           /* the points in cell order */
    uint32_t *ids;           /* original index of pts[i] */
    uint64_t *keys;          /* the occupied cells' keys, ascending */
    uint32_t *starts;        /* cell c holds pts[starts[c] .. starts[c + 1]) */
    size_t cells;
    uint32_t *slots;         /* hash slot -> cell + 1 (0: empty) */
    size_t slot_mask;
} les_spatial;

/* Indexes pts[0..n) (n < 2^32 - 1; every coordinate finite) with cells of
 * about `cell_mm` (made larger when the extent needs it, smaller while the
 * occupied cells hold more than 8 points on average). LES_ERR_ARG or
 * LES_ERR_NOMEM (index left empty). */
les_result les_spatial_build(les_spatial *ix, const sim_vec3 *pts, size_t n,
                             double cell_mm, sim_error *err);
void les_spatial_deinit(les_spatial *ix);

/* The k nearest neighbours of every indexed point, itself excluded:
 * nbr[i * k + j] and dist_mm[i * k + j] for j = 0..k-1, ascending by
 * (distance, index); LES_SPATIAL_NONE / INFINITY where fewer exist.
 * 1 <= k <= LES_SPATIAL_MAX_K. */
void les_spatial_knn_all(const les_spatial *ix, size_t k, uint32_t *nbr,
                         double *dist_mm);
/* The k nearest indexed points to q, skipping original index `exclude`
 * (LES_SPATIAL_NONE skips none). Fills nbr[0..k) and dist_mm[0..k) as
 * above; returns how many were found. */
size_t les_spatial_knn(const les_spatial *ix, sim_vec3 q, uint32_t exclude, size_t k,
                       uint32_t *nbr, double *dist_mm);
/* counts[j] += the indexed points (other than `exclude`) within r_mm[j] of
 * q (distance <= r), for ascending radii r_mm[0..m). */
void les_spatial_count_within(const les_spatial *ix, sim_vec3 q, uint32_t exclude,
                              const double *r_mm, size_t m, uint64_t *counts);

/* Brute force, O(n) per query: the same answers, for tests and baselines. */
size_t les_spatial_knn_brute(const sim_vec3 *pts, size_t n, sim_vec3 q, uint32_t exclude,
                             size_t k, uint32_t *nbr, double *dist_mm);
void les_spatial_count_within_brute(const sim_vec3 *pts, size_t n, sim_vec3 q,
                                    uint32_t exclude, const double *r_mm, size_t m,
                                    uint64_t *counts);

/* ---------------------------------------------------------------------------
 * Statistics
 * ------------------------------------------------------------------------- */
/* Clark-Evans R = mean NN distance / (0.5 / sqrt(n / area)): 1 for complete
 * spatial randomness, < 1 clumped, 2.1491 for a hexagonal grid. NaN for
 * n < 2 or no area. */
double les_clark_evans(double nn_mean_mm, size_t n, double area_mm2);
/* With Donnelly's (1978) edge correction, as spatstat's clarkevans:
 * expected mean = 0.5 sqrt(area / n) + (0.0514 + 0.0412 / sqrt(n)) *
 * perimeter / n. Derived for rectangles; close for other convex shapes. */
double les_clark_evans_donnelly(double nn_mean_mm, size_t n, double area_mm2,
                                double perimeter_mm);
/* Besag's L(r) = sqrt(K(r) / pi) from Ripley's K estimated as
 * pairs / (references * intensity): K = pairs / (refs * lambda). NaN when
 * refs is 0. */
double les_ripley_l(uint64_t pairs, size_t refs, double intensity_per_mm2);

/* Bond-orientational order accumulator for one region: feed each point's
 * local order psi_n = mean over its n nearest bonds of exp(i n theta)
 * (theta: the bond's direction on the chart) for
 * n = 2 (rows), 4 (square grid) and 6 (hexagonal grid); the region's order
 * is the largest |mean psi_n| (0: no common orientation, 1: a perfect grid
 * or rows). */
typedef struct les_order_acc {
    double re[3], im[3];     /* sums for n = 2, 4, 6 */
    size_t count;
} les_order_acc;

/* Adds one point whose nearest bonds (ascending distance) are the chart
 * vectors bond[0..k) to its neighbours, k >= 6 (fewer, or a zero-length
 * bond: the point is skipped). No trigonometry: exp(i n theta) is a power
 * of the unit bond read as a complex number. */
void les_order_add(les_order_acc *acc, const sim_vec2 *bond, size_t k);
/* The region's order in [0, 1]; *fold (may be NULL) gets 2, 4 or 6, the
 * symmetry that wins. NaN when empty. */
double les_order_value(const les_order_acc *acc, int *fold);

#endif /* LES_SPATIAL_H */
