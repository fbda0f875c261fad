/* sim_pairs.h: close pairs among points in 3D (internal to sim: names carry
 * the `sim__` prefix). Used by healing to find stacked hits and overlapping
 * dots without comparing every pair.
 *
 * Points are binned into a grid of cubes of side `cell_mm`; every pair in
 * the same or adjacent cubes is offered to the callback, which applies the
 * exact test. So every pair closer than cell_mm is offered (others may be
 * too). Pairs come as (i, j) with i < j, in a fixed order that depends only
 * on the points. Without memory for the grid, every pair is offered: the
 * callers' results are the same, only slower.
 *
 * Threads: reentrant.
 */
#ifndef SIM_PAIRS_H
#define SIM_PAIRS_H

#include "sim_base.h"

typedef void (*sim__pair_fn)(size_t i, size_t j, void *ctx);

/* Point i is the sim_vec3 at (const char *)first + i * stride_bytes (so an
 * array of structs holding a point can be passed as it is). */
void sim__close_pairs(const sim_vec3 *first, size_t stride_bytes, size_t n,
                      double cell_mm, sim__pair_fn fn, void *ctx);

#endif /* SIM_PAIRS_H */
