/* les_solve.c: the reference attempt for a lesson (les_solve.h):
 * best-candidate sampling on the skin, zone by zone, and the impressions
 * CSV writer.
 *
 * Distances between dots are measured in 3D on the skin (sim_surface_
 * from_chart), through a hash grid of cells one target spacing wide, so a
 * plan of n dots costs O(n * candidates). Candidates are uniform over the
 * zone's skin, not its chart: a chart point is kept with a probability
 * proportional to the skin area it stands for.
 *
 * Threads: reentrant.
 */
#include "les_solve.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "les_internal.h"

#define LES__PLAN_CANDIDATES 12
#define LES__PLAN_BAND_USE 0.6
#define LES__PLAN_MAX_TILT_DEG 8.0
#define LES__PLAN_DWELL_MIN_S 0.020
#define LES__PLAN_DWELL_MAX_S 0.040
#define LES__PLAN_ROW_MM 5.0          /* a hand works rows about this tall */
#define LES__PLAN_SAMPLES 20000       /* chart samples per zone for its share */
#define LES__PLAN_MAX_DOTS 200000u    /* bounds the work on hostile lessons */
#define LES__PLAN_JACOBIAN_STEP_MM 0.5
/* Dots keep this far inside their zone's outline, so the recording and
 * the CSV's rounding never carry one across it. */
#define LES__PLAN_EDGE_MARGIN_MM 0.2

/* ------------------------------------------------------------------------ */
/* Hash grid of placed dots                                                 */
/* ------------------------------------------------------------------------ */

typedef struct les__grid {
    double cell_mm;
    uint32_t *head;          /* bucket -> first dot + 1 (0: empty) */
    uint32_t *next;          /* dot -> next dot in its bucket + 1 */
    sim_vec3 *pos;
    size_t count, capacity, buckets;
} les__grid;

static uint64_t les__cell_hash(int64_t x, int64_t y, int64_t z)
{
    uint64_t h = (uint64_t)x * 0x9E3779B97F4A7C15ull;
    h ^= (uint64_t)y * 0xC2B2AE3D27D4EB4Full + (h << 6) + (h >> 2);
    h ^= (uint64_t)z * 0x165667B19E3779F9ull + (h << 6) + (h >> 2);
    return h;
}

static int64_t les__cell_of(double v, double cell) { return (int64_t)floor(v / cell); }

static bool les__grid_init(les__grid *g, double cell_mm, size_t capacity)
{
    memset(g, 0, sizeof *g);
    g->cell_mm = cell_mm;
    g->buckets = 1024;
    while (g->buckets < 2 * capacity)
        g->buckets *= 2;
    g->capacity = capacity ? capacity : 1;
    g->head = sim_calloc(g->buckets, sizeof *g->head);
    g->next = sim_calloc(g->capacity, sizeof *g->next);
    g->pos = sim_calloc(g->capacity, sizeof *g->pos);
    return g->head && g->next && g->pos;
}

static void les__grid_deinit(les__grid *g)
{
    sim_free(g->head);
    sim_free(g->next);
    sim_free(g->pos);
    memset(g, 0, sizeof *g);
}

static void les__grid_add(les__grid *g, sim_vec3 p)
{
    if (g->count >= g->capacity)
        return; /* capacity is sized for every dot; defensive */
    uint64_t b = les__cell_hash(les__cell_of(p.x, g->cell_mm), les__cell_of(p.y, g->cell_mm),
                                les__cell_of(p.z, g->cell_mm)) & (g->buckets - 1);
    g->pos[g->count] = p;
    g->next[g->count] = g->head[b];
    g->head[b] = (uint32_t)(++g->count);
}

/* Distance to the nearest placed dot, capped at two cells. */
static double les__grid_nearest(const les__grid *g, sim_vec3 p)
{
    double best = 2.0 * g->cell_mm;
    int64_t cx = les__cell_of(p.x, g->cell_mm), cy = les__cell_of(p.y, g->cell_mm),
            cz = les__cell_of(p.z, g->cell_mm);
    for (int64_t x = cx - 2; x <= cx + 2; x++)
        for (int64_t y = cy - 2; y <= cy + 2; y++)
            for (int64_t z = cz - 2; z <= cz + 2; z++) {
                uint64_t b = les__cell_hash(x, y, z) & (g->buckets - 1);
                for (uint32_t i = g->head[b]; i; i = g->next[i - 1]) {
                    double d = sim_v3_len(sim_v3_sub(g->pos[i - 1], p));
                    if (d < best)
                        best = d;
                }
            }
    return best;
}

/* ------------------------------------------------------------------------ */
/* One zone                                                                 */
/* ------------------------------------------------------------------------ */

typedef struct les__zone_plan {
    const les_lesson *lesson;
    const sim_surface *surface;
    size_t zone;
    sim_vec2 lo, hi;         /* the polygon's chart bounds */
    double share;            /* of the polygon's skin the zone owns */
    double jacobian_max;     /* skin mm^2 per chart mm^2, the most in the zone */
} les__zone_plan;

/* Skin area per chart area at uv (0 where the chart does not map). */
static double les__jacobian(const sim_surface *s, sim_vec2 uv)
{
    if (s->kind == SIM_SURFACE_PAD)
        return 1.0;
    const double h = LES__PLAN_JACOBIAN_STEP_MM;
    sim_surface_hit a, b, c;
    if (!sim_surface_from_chart(s, uv, &a) ||
        !sim_surface_from_chart(s, sim_v2(uv.x + h, uv.y), &b) ||
        !sim_surface_from_chart(s, sim_v2(uv.x, uv.y + h), &c))
        return 0.0;
    sim_vec3 du = sim_v3_sub(b.point_mm, a.point_mm), dv = sim_v3_sub(c.point_mm, a.point_mm);
    return sim_v3_len(sim_v3_cross(du, dv)) / (h * h);
}

static bool les__owns(const les__zone_plan *zp, sim_vec2 uv)
{
    return les_lesson_zone_at(zp->lesson, uv) == (int)zp->zone;
}

/* The zone's share of its polygon and the largest Jacobian, from a grid of
 * chart samples. */
static void les__zone_survey(les__zone_plan *zp)
{
    const les_zone *z = &zp->lesson->zones[zp->zone];
    zp->lo = zp->hi = z->polygon[0];
    for (size_t i = 1; i < z->polygon_count; i++) {
        zp->lo = sim_v2(fmin(zp->lo.x, z->polygon[i].x), fmin(zp->lo.y, z->polygon[i].y));
        zp->hi = sim_v2(fmax(zp->hi.x, z->polygon[i].x), fmax(zp->hi.y, z->polygon[i].y));
    }
    int side = (int)sqrt((double)LES__PLAN_SAMPLES);
    size_t inside = 0, owned = 0;
    zp->jacobian_max = 0.0;
    for (int i = 0; i < side; i++) {
        for (int k = 0; k < side; k++) {
            sim_vec2 uv = sim_v2(zp->lo.x + (zp->hi.x - zp->lo.x) * (i + 0.5) / side,
                                 zp->lo.y + (zp->hi.y - zp->lo.y) * (k + 0.5) / side);
            if (!sim_polygon_contains(z->polygon, z->polygon_count, uv))
                continue;
            inside++;
            if (!les__owns(zp, uv))
                continue;
            owned++;
            if ((i + k) % 7 == 0)
                zp->jacobian_max = fmax(zp->jacobian_max, les__jacobian(zp->surface, uv));
        }
    }
    zp->share = inside ? (double)owned / (double)inside : 0.0;
    zp->jacobian_max *= 1.1;
    if (zp->jacobian_max <= 0.0)
        zp->jacobian_max = 1.0;
}

/* A candidate: uniform over the zone's skin; false when none was found. */
static bool les__candidate(const les__zone_plan *zp, sim_rng *rng, sim_surface_hit *hit)
{
    for (int tries = 0; tries < 10000; tries++) {
        sim_vec2 uv = sim_v2(zp->lo.x + (zp->hi.x - zp->lo.x) * sim_rng_unit(rng),
                             zp->lo.y + (zp->hi.y - zp->lo.y) * sim_rng_unit(rng));
        double keep = sim_rng_unit(rng);
        const les_zone *z = &zp->lesson->zones[zp->zone];
        if (!les__owns(zp, uv) ||
            sim_polyline_distance(z->polygon, z->polygon_count, true, uv) < LES__PLAN_EDGE_MARGIN_MM)
            continue;
        if (keep * zp->jacobian_max > les__jacobian(zp->surface, uv))
            continue;
        if (sim_surface_from_chart(zp->surface, uv, hit))
            return true;
    }
    return false;
}

static uint32_t les__zone_needle(const les_lesson *l, const les_zone *z)
{
    const sim_needle *n = z->cartridge ? z->cartridge
                          : l->tools.cartridge_count ? l->tools.cartridges[0]
                                                     : NULL;
    for (size_t i = 0; n && i < sim_needle_count(); i++)
        if (sim_needle_get(i) == n)
            return (uint32_t)i;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Row order                                                                */
/* ------------------------------------------------------------------------ */

typedef struct les__order { double row, along; size_t index; } les__order;

static int les__order_cmp(const void *pa, const void *pb)
{
    const les__order *a = pa, *b = pb;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    if (a->along != b->along)
        return a->along < b->along ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Sorts dots[0..n) into rows worked back and forth. */
static bool les__rows(les_plan_dot *dots, size_t n)
{
    les__order *o = sim_calloc(n ? n : 1, sizeof *o);
    les_plan_dot *copy = sim_calloc(n ? n : 1, sizeof *copy);
    if (!o || !copy) {
        sim_free(o);
        sim_free(copy);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        double row = floor(dots[i].chart_mm.y / LES__PLAN_ROW_MM);
        bool back = fmod(fabs(row), 2.0) == 1.0;
        o[i] = (les__order){row, back ? -dots[i].chart_mm.x : dots[i].chart_mm.x, i};
    }
    qsort(o, n, sizeof *o, les__order_cmp);
    memcpy(copy, dots, n * sizeof *dots);
    for (size_t i = 0; i < n; i++)
        dots[i] = copy[o[i].index];
    sim_free(o);
    sim_free(copy);
    return true;
}

/* ------------------------------------------------------------------------ */
/* The plan                                                                 */
/* ------------------------------------------------------------------------ */

typedef struct les__plan {
    const les_lesson *lesson;
    const sim_surface *surface;
    les_plan_desc desc;
    sim_rng place, hand;     /* where dots go; how the hand places them */
    les__grid grid;
    les_plan_dot *dots;
    size_t count;
} les__plan;

static les_result les__plan_zone(les__plan *p, size_t zi, size_t want)
{
    const les_zone *z = &p->lesson->zones[zi];
    les__zone_plan zp = {.lesson = p->lesson, .surface = p->surface, .zone = zi};
    les__zone_survey(&zp);
    size_t first = p->count;
    double mid = 0.5 * (z->depth_min_mm + z->depth_max_mm);
    double half = 0.5 * (z->depth_max_mm - z->depth_min_mm);
    uint32_t needle = les__zone_needle(p->lesson, z);
    for (size_t k = 0; k < want; k++) {
        sim_surface_hit best, hit;
        double best_d = -1.0;
        for (uint32_t c = 0; c < p->desc.candidates; c++) {
            if (!les__candidate(&zp, &p->place, &hit))
                break;
            double d = les__grid_nearest(&p->grid, hit.point_mm);
            if (d > best_d) {
                best_d = d;
                best = hit;
            }
        }
        if (best_d < 0.0)
            break; /* the zone owns no skin the chart reaches */
        les__grid_add(&p->grid, best.point_mm);
        double u = sim_rng_unit(&p->hand);
        p->dots[p->count++] = (les_plan_dot){
            .chart_mm = best.chart_mm,
            .point_mm = best.point_mm,
            .depth_mm = mid + half * p->desc.band_use * (2.0 * u - 1.0),
            .tilt_rad = sim_rad(LES__PLAN_MAX_TILT_DEG) * sim_rng_unit(&p->hand),
            .dwell_s = LES__PLAN_DWELL_MIN_S +
                       (LES__PLAN_DWELL_MAX_S - LES__PLAN_DWELL_MIN_S) * sim_rng_unit(&p->hand),
            .needle = needle,
            .zone = (uint32_t)zi,
        };
    }
    return les__rows(p->dots + first, p->count - first) ? LES_OK : LES_ERR_NOMEM;
}

/* Dots each work zone wants: its density over the skin it owns. */
static size_t les__zone_want(const les_lesson *l, const sim_surface *s, size_t zi)
{
    const les_zone *z = &l->zones[zi];
    if (z->kind != LES_ZONE_WORK)
        return 0;
    les__zone_plan zp = {.lesson = l, .surface = s, .zone = zi};
    les__zone_survey(&zp);
    double area_mm2 = sim_surface_area_in_polygon(s, z->polygon, z->polygon_count);
    return (size_t)llround(z->density_per_cm2 * area_mm2 * zp.share / 100.0);
}

les_result les_plan_reference(const les_lesson *lesson, const sim_surface *surface,
                              const les_plan_desc *desc, les_plan_dot **out,
                              size_t *count, sim_error *err)
{
    if (out)
        *out = NULL;
    if (count)
        *count = 0;
    if (!lesson || !surface || !out || !count || surface->kind != lesson->surface.kind)
        return (les_result)sim_error_set(err, LES_ERR_ARG, NULL, 0, 0,
                                         "les_plan_reference: the surface is not the lesson's");
    les__plan p = {.lesson = lesson, .surface = surface};
    p.desc = desc ? *desc : (les_plan_desc){0};
    if (!p.desc.seed)
        p.desc.seed = 1;
    if (!p.desc.candidates)
        p.desc.candidates = LES__PLAN_CANDIDATES;
    if (!(p.desc.band_use > 0.0 && p.desc.band_use <= 1.0))
        p.desc.band_use = LES__PLAN_BAND_USE;
    if (lesson->client.present && lesson->client.decision == LES_DECISION_REFUSE)
        return LES_OK;
    size_t total = 0;
    double densest = 1.0;
    for (size_t i = 0; i < lesson->zone_count; i++) {
        total += les__zone_want(lesson, surface, i);
        if (lesson->zones[i].kind == LES_ZONE_WORK)
            densest = fmax(densest, lesson->zones[i].density_per_cm2);
    }
    if (p.desc.previous_count && !p.desc.previous)
        p.desc.previous_count = 0;
    if (total > LES__PLAN_MAX_DOTS || p.desc.previous_count > LES__PLAN_MAX_DOTS)
        return (les_result)sim_error_set(err, LES_ERR_ARG, NULL, 0, 0,
                                         "the lesson wants %zu dots; plans stop at %u", total,
                                         LES__PLAN_MAX_DOTS);
    sim_rng_seed(&p.place, p.desc.seed, 1);
    sim_rng_seed(&p.hand, p.desc.seed, 2);
    p.dots = sim_calloc(total ? total : 1, sizeof *p.dots);
    les_result r =
        p.dots && les__grid_init(&p.grid, 10.0 / sqrt(densest), total + p.desc.previous_count)
            ? LES_OK
            : LES_ERR_NOMEM;
    for (size_t i = 0; i < p.desc.previous_count && r == LES_OK; i++)
        les__grid_add(&p.grid, p.desc.previous[i].surface_mm);
    for (size_t i = 0; i < lesson->zone_count && r == LES_OK; i++)
        r = les__plan_zone(&p, i, les__zone_want(lesson, surface, i));
    les__grid_deinit(&p.grid);
    if (r != LES_OK) {
        sim_free(p.dots);
        return (les_result)sim_error_set(err, r, NULL, 0, 0, "out of memory planning");
    }
    *out = p.dots;
    *count = p.count;
    return LES_OK;
}

/* ------------------------------------------------------------------------ */
/* CSV                                                                      */
/* ------------------------------------------------------------------------ */

les_result les_impressions_write_csv(FILE *out, const sim_impression *imps, size_t count)
{
    if (!out || (!imps && count))
        return LES_ERR_ARG;
    fputs("x_mm,y_mm,z_mm,depth_mm,needle,angle_deg,dwell_ms\n", out);
    for (size_t i = 0; i < count; i++) {
        const sim_impression *m = &imps[i];
        const sim_needle *n = sim_needle_get(m->needle);
        char f[6][32];
        les__format_double(f[0], sizeof f[0], "%.*f", 3, m->surface_mm.x);
        les__format_double(f[1], sizeof f[1], "%.*f", 3, m->surface_mm.y);
        les__format_double(f[2], sizeof f[2], "%.*f", 3, m->surface_mm.z);
        les__format_double(f[3], sizeof f[3], "%.*f", 3, m->depth_mm);
        les__format_double(f[4], sizeof f[4], "%.*f", 1, sim_deg(m->angle_rad));
        les__format_double(f[5], sizeof f[5], "%.*f", 0, 1000.0 * m->dwell_s);
        fprintf(out, "%s,%s,%s,%s,%s,%s,%s\n", f[0], f[1], f[2], f[3],
                n ? n->name : "0603RL", f[4], f[5]);
    }
    return ferror(out) ? LES_ERR_IO : LES_OK;
}
