/* les_heatmap.h: per-cell maps of an attempt on a chart grid, for the
 * renderer and reports: density (dots per cm² of skin) against the target,
 * and the mean depth error of the dots in each cell.
 *
 * The grid covers the work zones' chart outline in square cells of
 * `cell_mm` chart millimetres (rubric heatmap_cell_mm; auto: 5 mm on a
 * pad, 10 mm on a head, doubled until the grid has at most 4096 cells).
 * Cell (col, row) spans origin + [col, col + 1) x [row, row + 1) cells;
 * arrays are row-major, row 0 at the lowest v.
 *  - area: skin area of the cell inside work zones (pad: exact polygon
 *    clipping; head: mesh triangles by centroid, as zone areas are);
 *  - density_per_cm2: dots in work zones in the cell / area; NaN where the
 *    cell holds under 20% of a full cell's area (too little to say);
 *  - target_per_cm2: the zones' targets weighted by area (NaN likewise);
 *  - depth_error_mm: mean over the cell's dots of how far each lies outside
 *    its zone's band (+ too deep, - too shallow, 0 in band); NaN: no dots.
 *
 * Ownership: a les_heatmap owns its arrays (les_heatmap_deinit).
 * Threads: reentrant.
 */
#ifndef LES_HEATMAP_H
#define LES_HEATMAP_H

#include "les_lesson.h"
#include "sim_impression.h"

#define LES_HEATMAP_MAX_CELLS 4096

typedef struct les_heatmap {
    sim_vec2 origin_mm;      /* chart corner of cell (0, 0) */
    double cell_mm;
    size_t cols, rows;
    double *area_mm2;        /* cols * rows each */
    double *density_per_cm2;
    double *target_per_cm2;
    double *depth_error_mm;
    uint32_t *dots;
} les_heatmap;

/* Builds the maps. zone[i] is impression i's work zone (-1: none).
 * cell_mm 0 = auto. LES_ERR_NOMEM (map left empty); a lesson without work
 * zones gives an empty map (0 cells) and LES_OK. */
les_result les_heatmap_build(les_heatmap *map, const les_lesson *lesson,
                             const sim_surface *surface, const sim_impression *imps,
                             const int32_t *zone, size_t n, double cell_mm);
void les_heatmap_deinit(les_heatmap *map);

/* The cell holding chart point uv, or -1 when off the grid. */
long les_heatmap_cell(const les_heatmap *map, sim_vec2 uv);
/* The chart centre of cell c. */
sim_vec2 les_heatmap_centre(const les_heatmap *map, size_t c);

#endif /* LES_HEATMAP_H */
