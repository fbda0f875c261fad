/* hap_plan.c: stroke planning over a zone (see hap_plan.h). */
#include "hap_plan.h"

#include <math.h>

static double lerp(double a, double b, double t) { return a + (b - a) * t; }

/* A depth for one impression: mostly inside the band, some mistakes. */
static double plan_depth(const hap_plan_desc *d, sim_rng *rng)
{
    double roll = sim_rng_unit(rng);
    if (roll < d->shallow_share)
        return d->depth_min_mm * lerp(0.2, 0.85, sim_rng_unit(rng));
    if (roll < d->shallow_share + d->deep_share)
        return d->depth_max_mm + lerp(0.3, 1.2, sim_rng_unit(rng));
    double mid = 0.5 * (d->depth_min_mm + d->depth_max_mm);
    double half = 0.5 * (d->depth_max_mm - d->depth_min_mm);
    return mid + half * 0.8 * (2.0 * sim_rng_unit(rng) - 1.0);
}

sim_result hap_plan_zone(const sim_surface *surface, const sim_vec2 *poly, size_t n,
                         const hap_plan_desc *desc, sim_rng *rng, hap_stroke **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (n < 3 || desc->density_per_cm2 <= 0 || desc->depth_max_mm <= desc->depth_min_mm)
        return SIM_ERR_ARG;
    double chart_area = fabs(sim_polygon_signed_area(poly, n));
    double skin_area = sim_surface_area_in_polygon(surface, poly, n);
    double target = desc->density_per_cm2 * skin_area / 100.0;
    if (chart_area <= 0 || target < 1)
        return SIM_OK;
    double cell = sqrt(chart_area / target);
    double lo_x = poly[0].x, hi_x = poly[0].x, lo_y = poly[0].y, hi_y = poly[0].y;
    for (size_t i = 1; i < n; i++) {
        lo_x = fmin(lo_x, poly[i].x), hi_x = fmax(hi_x, poly[i].x);
        lo_y = fmin(lo_y, poly[i].y), hi_y = fmax(hi_y, poly[i].y);
    }
    size_t cols = (size_t)ceil((hi_x - lo_x) / cell), rows = (size_t)ceil((hi_y - lo_y) / cell);
    hap_stroke *strokes = sim_calloc(cols * rows + 1, sizeof *strokes);
    if (!strokes)
        return SIM_ERR_NOMEM;
    size_t k = 0;
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < cols; c++) {
            /* back and forth, as a hand works a row */
            size_t col = (r % 2 == 0) ? c : cols - 1 - c;
            sim_vec2 p = sim_v2(lo_x + (col + lerp(0.1, 0.9, sim_rng_unit(rng))) * cell,
                                lo_y + (r + lerp(0.1, 0.9, sim_rng_unit(rng))) * cell);
            double depth = plan_depth(desc, rng);
            double tilt = desc->max_tilt_rad * sim_rng_unit(rng);
            double dwell = lerp(0.02, 0.05, sim_rng_unit(rng));
            if (!sim_polygon_contains(poly, n, p))
                continue;
            strokes[k++] = (hap_stroke){.chart_mm = p, .depth_mm = depth, .dwell_s = dwell,
                                        .tilt_rad = tilt};
        }
    }
    *out = strokes;
    *count = k;
    return SIM_OK;
}
