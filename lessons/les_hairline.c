/* les_hairline.c: the trainee's hairline against the lesson's
 * (les_hairline.h has the method; docs/grading.md the formulas).
 *
 * Steps: resample the target polyline every chart millimetre and map it
 * onto the skin (arc length, and the skin/chart scale across the line);
 * bucket its segments on a chart grid; give each dot its (s, d) in skin
 * mm; decide the bare side; the plateau density; the edge per bin; then
 * deviation, symmetry, softness, irregularity, temples and strays.
 *
 * Purity: a function of the inputs; loops run in index order.
 * Threads: reentrant.
 */
#include "les_hairline.h"

#include <math.h>
#include <string.h>

#define LES__HL_MAX_VERTS 4000
#define LES__HL_MAX_BINS 1000
#define LES__HL_MAX_BUCKETS 65536
/* Bucket size of the line's segment grid (chart mm). */
#define LES__HL_BUCKET_MM 8.0
#define LES__HL_MAX_PROFILE 800
#define LES__HL_MIN_PLATEAU_DOTS 10
#define LES__HL_MIN_SIGMA 0.25
/* Reference behind the edge for the per-bin count (les__edges). */
#define LES__HL_REF_MIN_MM 8.0
/* A bin whose edge lands this close to its reference is re-counted from
 * the corridor's back. */
#define LES__HL_SATURATED_MM 1.0

/* The resampled target. */
typedef struct les__line {
    size_t n;
    sim_vec2 *uv;            /* chart */
    sim_vec2 *normal;        /* unit chart normal, left of the direction */
    sim_vec3 *p;             /* skin point */
    double *s;               /* skin arc length from uv[0] */
    double *sigma;           /* skin mm per chart mm across the line */
    double sigma_min;
    /* segment buckets on a chart grid (CSR) */
    sim_vec2 lo;
    double cell;
    size_t cols, rows;
    uint32_t *start, *seg;
} les__line;

/* One dot in the corridor. */
typedef struct les__hdot {
    double s, d;             /* along, across (skin mm; d > 0 bare side) */
    uint32_t index;          /* impression */
    bool stray;
} les__hdot;

typedef struct les__hl {
    const les_hairline_desc *desc;
    const les_hairline_rubric *rb;
    les__line line;
    les__hdot *dots;
    size_t dot_count;
    double sign;             /* +1, or -1 when the line's left is the field */
    double corridor, length, rho0, s0, bin;
    size_t bins;
    double *edge;            /* per bin */
    double noise_var;        /* of an edge from counting alone, mm^2 */
    sim_vec3 *edge_p;
} les__hl;

static sim_vec2 les__v2_add(sim_vec2 a, sim_vec2 b, double t)
{
    return sim_v2(a.x + t * b.x, a.y + t * b.y);
}

/* ------------------------------------------------------------------------ */
/* The target line                                                          */
/* ------------------------------------------------------------------------ */

static size_t les__resample_count(const sim_vec2 *v, size_t n, double *step)
{
    double len = 0.0;
    for (size_t i = 1; i < n; i++)
        len += sim_v2_len(sim_v2_sub(v[i], v[i - 1]));
    *step = fmax(1.0, len / LES__HL_MAX_VERTS);
    size_t count = 1;
    for (size_t i = 1; i < n; i++)
        count += (size_t)ceil(sim_v2_len(sim_v2_sub(v[i], v[i - 1])) / *step);
    return count;
}

static bool les__line_alloc(les__line *l, size_t n)
{
    l->n = n;
    l->uv = sim_malloc(n * sizeof *l->uv);
    l->normal = sim_malloc(n * sizeof *l->normal);
    l->p = sim_malloc(n * sizeof *l->p);
    l->s = sim_malloc(n * sizeof *l->s);
    l->sigma = sim_malloc(n * sizeof *l->sigma);
    return l->uv && l->normal && l->p && l->s && l->sigma;
}

static void les__line_free(les__line *l)
{
    sim_free(l->uv);
    sim_free(l->normal);
    sim_free(l->p);
    sim_free(l->s);
    sim_free(l->sigma);
    sim_free(l->start);
    sim_free(l->seg);
    memset(l, 0, sizeof *l);
}

/* Skin point and across-scale of vertex i; false when off the surface. */
static bool les__line_lift(const sim_surface *surf, les__line *l, size_t i)
{
    sim_surface_hit h, q;
    if (!sim_surface_from_chart(surf, l->uv[i], &h))
        return false;
    l->p[i] = h.point_mm;
    double sigma = NAN;
    for (double t = 1.0; t >= -1.0 && isnan(sigma); t -= 2.0)
        if (sim_surface_from_chart(surf, les__v2_add(l->uv[i], l->normal[i], t), &q))
            sigma = sim_v3_len(sim_v3_sub(q.point_mm, h.point_mm));
    l->sigma[i] = fmax(LES__HL_MIN_SIGMA, isnan(sigma) ? 1.0 : sigma);
    return true;
}

static les_result les__line_build(les__line *l, const sim_surface *surf, const sim_vec2 *v,
                                  size_t n)
{
    double step;
    if (!les__line_alloc(l, les__resample_count(v, n, &step)))
        return LES_ERR_NOMEM;
    size_t k = 0;
    l->uv[k++] = v[0];
    for (size_t i = 1; i < n; i++) {
        sim_vec2 d = sim_v2_sub(v[i], v[i - 1]);
        size_t parts = (size_t)ceil(sim_v2_len(d) / step);
        for (size_t j = 1; j <= parts; j++)
            l->uv[k++] = les__v2_add(v[i - 1], d, (double)j / (double)parts);
    }
    l->n = k;
    l->sigma_min = INFINITY;
    for (size_t i = 0; i < k; i++) {
        sim_vec2 d = sim_v2_sub(l->uv[i + 1 < k ? i + 1 : i], l->uv[i > 0 ? i - 1 : i]);
        double len = sim_v2_len(d);
        l->normal[i] = len > 0 ? sim_v2(-d.y / len, d.x / len) : sim_v2(0, 1);
        if (!les__line_lift(surf, l, i))
            return LES_ERR_ARG;
        l->s[i] = i ? l->s[i - 1] + sim_v3_len(sim_v3_sub(l->p[i], l->p[i - 1])) : 0.0;
        l->sigma_min = fmin(l->sigma_min, l->sigma[i]);
    }
    return LES_OK;
}

/* Buckets: each segment goes into every cell its box overlaps; the grid
 * covers the line's box grown by `reach`, so a point off the grid is out
 * of reach. */
static void les__seg_cells(const les__line *l, size_t j, size_t c[4])
{
    sim_vec2 a = l->uv[j], b = l->uv[j + 1];
    double x0 = fmin(a.x, b.x) - l->lo.x, x1 = fmax(a.x, b.x) - l->lo.x;
    double y0 = fmin(a.y, b.y) - l->lo.y, y1 = fmax(a.y, b.y) - l->lo.y;
    c[0] = (size_t)fmax(0, floor(x0 / l->cell));
    c[1] = (size_t)fmin((double)l->cols - 1, floor(x1 / l->cell));
    c[2] = (size_t)fmax(0, floor(y0 / l->cell));
    c[3] = (size_t)fmin((double)l->rows - 1, floor(y1 / l->cell));
}

static les_result les__line_buckets(les__line *l, double reach)
{
    sim_vec2 lo = l->uv[0], hi = l->uv[0];
    for (size_t i = 1; i < l->n; i++) {
        lo = sim_v2(fmin(lo.x, l->uv[i].x), fmin(lo.y, l->uv[i].y));
        hi = sim_v2(fmax(hi.x, l->uv[i].x), fmax(hi.y, l->uv[i].y));
    }
    l->lo = sim_v2(lo.x - reach, lo.y - reach);
    l->cell = LES__HL_BUCKET_MM;
    for (;;) {
        l->cols = (size_t)ceil((hi.x - lo.x + 2 * reach) / l->cell) + 1;
        l->rows = (size_t)ceil((hi.y - lo.y + 2 * reach) / l->cell) + 1;
        if (l->cols * l->rows <= LES__HL_MAX_BUCKETS)
            break;
        l->cell *= 2.0;
    }
    size_t buckets = l->cols * l->rows, total = 0, c[4];
    l->start = sim_calloc(buckets + 1, sizeof *l->start);
    if (!l->start)
        return LES_ERR_NOMEM;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t j = 0; j + 1 < l->n; j++) {
            les__seg_cells(l, j, c);
            for (size_t y = c[2]; y <= c[3]; y++)
                for (size_t x = c[0]; x <= c[1]; x++) {
                    if (pass == 0)
                        l->start[y * l->cols + x + 1]++;
                    else
                        l->seg[l->start[y * l->cols + x]++] = (uint32_t)j;
                }
        }
        if (pass == 0) {
            for (size_t b = 0; b < buckets; b++)
                l->start[b + 1] += l->start[b];
            total = l->start[buckets];
            l->seg = sim_malloc((total ? total : 1) * sizeof *l->seg);
            if (!l->seg)
                return LES_ERR_NOMEM;
        }
    }
    /* pass 2 advanced each start to the next bucket's: shift back */
    memmove(l->start + 1, l->start, buckets * sizeof *l->start);
    l->start[0] = 0;
    return LES_OK;
}

/* The closest point of segment j to c: squared distance, parameter t in
 * [0, 1] and the unclamped one. */
static double les__seg_closest(const les__line *l, size_t j, sim_vec2 c, double *t, double *raw)
{
    sim_vec2 ab = sim_v2_sub(l->uv[j + 1], l->uv[j]);
    double len2 = sim_v2_dot(ab, ab);
    *raw = len2 > 0 ? sim_v2_dot(sim_v2_sub(c, l->uv[j]), ab) / len2 : 0.0;
    *t = *raw < 0 ? 0 : *raw > 1 ? 1 : *raw;
    sim_vec2 off = sim_v2_sub(c, les__v2_add(l->uv[j], ab, *t));
    return sim_v2_dot(off, off);
}

/* The segment closest to c (ties: the lower index), searching rings of
 * buckets outward until no unscanned bucket can hold a closer one or
 * none within `reach`; false when none is within reach. */
static bool les__closest_segment(const les__line *l, sim_vec2 c, double reach, size_t *seg,
                                 double *t, double *raw)
{
    double fx = floor((c.x - l->lo.x) / l->cell), fy = floor((c.y - l->lo.y) / l->cell);
    if (!(fx >= 0 && fy >= 0 && fx < (double)l->cols && fy < (double)l->rows))
        return false;
    long cx = (long)fx, cy = (long)fy;
    double best = INFINITY;
    for (long m = 0;; m++) {
        for (long y = cy - m; y <= cy + m; y++)
            for (long x = cx - m; x <= cx + m; x += (y == cy - m || y == cy + m) ? 1 : 2 * m) {
                if (x < 0 || y < 0 || x >= (long)l->cols || y >= (long)l->rows)
                    continue;
                size_t b = (size_t)y * l->cols + (size_t)x;
                for (uint32_t e = l->start[b]; e < l->start[b + 1]; e++) {
                    double tt, rr, d2 = les__seg_closest(l, l->seg[e], c, &tt, &rr);
                    if (d2 < best || (d2 == best && l->seg[e] < *seg))
                        best = d2, *seg = l->seg[e], *t = tt, *raw = rr;
                }
                if (m == 0)
                    break;
            }
        double scanned = (double)m * l->cell;
        if (best <= scanned * scanned || scanned > reach)
            break;
    }
    return best <= reach * reach;
}

/* (s, d) of chart point c; false when it is off the line's span or
 * farther than `reach` chart mm. */
static bool les__line_project(const les__line *l, sim_vec2 c, double reach, double *s,
                              double *d)
{
    size_t j = 0;
    double t = 0, raw = 0;
    if (!les__closest_segment(l, c, reach, &j, &t, &raw) || (j == 0 && raw < 0) ||
        (j + 2 == l->n && raw > 1))
        return false;
    sim_vec2 ab = sim_v2_sub(l->uv[j + 1], l->uv[j]);
    sim_vec2 off = sim_v2_sub(c, les__v2_add(l->uv[j], ab, t));
    double len = sim_v2_len(ab);
    double across = len > 0 ? (ab.x * off.y - ab.y * off.x) / len : 0.0;
    double sigma = l->sigma[j] + t * (l->sigma[j + 1] - l->sigma[j]);
    *s = l->s[j] + t * (l->s[j + 1] - l->s[j]);
    *d = across * sigma;
    return true;
}

/* Chart point, normal and scale at arc length s. */
static void les__line_at(const les__line *l, double s, sim_vec2 *uv, sim_vec2 *normal,
                         double *sigma, sim_vec3 *p)
{
    size_t lo = 0, hi = l->n - 1;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (l->s[mid] <= s)
            lo = mid;
        else
            hi = mid;
    }
    double span = l->s[hi] - l->s[lo];
    double t = hi > lo && span > 0 ? (s - l->s[lo]) / span : 0.0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    *uv = les__v2_add(l->uv[lo], sim_v2_sub(l->uv[hi], l->uv[lo]), t);
    *normal = l->normal[t < 0.5 ? lo : hi];
    *sigma = l->sigma[lo] + t * (l->sigma[hi] - l->sigma[lo]);
    *p = sim_v3_add(l->p[lo], sim_v3_scale(sim_v3_sub(l->p[hi], l->p[lo]), t));
}

/* ------------------------------------------------------------------------ */
/* Dots, plateau and edges                                                  */
/* ------------------------------------------------------------------------ */

static les_result les__collect(les__hl *h, const sim_impression *imps, size_t n)
{
    const les__line *l = &h->line;
    double reach = h->corridor / l->sigma_min;
    h->dots = sim_malloc((n ? n : 1) * sizeof *h->dots);
    if (!h->dots)
        return LES_ERR_NOMEM;
    size_t plus = 0, minus = 0;
    for (size_t i = 0; i < n; i++) {
        double s, d;
        if (!les__line_project(l, imps[i].chart_mm, reach, &s, &d) || fabs(d) > h->corridor)
            continue;
        bool stray = h->desc->stray && h->desc->stray[i];
        h->dots[h->dot_count++] = (les__hdot){s, d, (uint32_t)i, stray};
        if (!stray) {
            plus += d > 0;
            minus += d < 0;
        }
    }
    h->sign = plus > minus ? -1.0 : 1.0;
    for (size_t i = 0; i < h->dot_count; i++)
        h->dots[i].d *= h->sign;
    return LES_OK;
}

/* Plateau density behind the line; false when too few dots there. */
static bool les__plateau(les__hl *h)
{
    double w = h->corridor;
    size_t count = 0;
    for (size_t i = 0; i < h->dot_count; i++)
        count += !h->dots[i].stray && h->dots[i].d >= -w && h->dots[i].d <= -w / 3.0;
    if (count < LES__HL_MIN_PLATEAU_DOTS || !(h->length > 0))
        return false;
    h->rho0 = (double)count / (h->length * 2.0 * w / 3.0);
    h->s0 = 1.0 / sqrt(h->rho0);
    return true;
}

static size_t les__bin_of(const les__hl *h, double s)
{
    double k = floor(s / h->bin);
    return k < 0 ? 0 : k >= (double)h->bins ? h->bins - 1 : (size_t)k;
}

/* Counting noise of the per-bin edge: the variance, across bins, of the
 * dots in a plateau block as deep as the counted part behind the edge
 * (the pattern's own count variance: low for an even pattern, high for a
 * clumped one), over (rho0 * bin)^2. */
static double les__noise(const les__hl *h, const size_t *plateau)
{
    if (h->bins < 2)
        return 0.0;
    double mean = 0.0, var = 0.0, per = h->rho0 * h->bin;
    for (size_t k = 0; k < h->bins; k++)
        mean += (double)plateau[k] / (double)h->bins;
    for (size_t k = 0; k < h->bins; k++)
        var += ((double)plateau[k] - mean) * ((double)plateau[k] - mean);
    return var / (double)(h->bins - 1) / (per * per);
}

/* The equivalent sharp edge per bin (les_hairline.h). */
static les_result les__edges(les__hl *h)
{
    double w = h->corridor, far = -w / 3.0;
    size_t beyond = 0;
    for (size_t i = 0; i < h->dot_count; i++)
        beyond += !h->dots[i].stray && h->dots[i].d > far;
    double global = far + (double)beyond / (h->rho0 * h->length);
    double reach = fmin(2.0 * w / 3.0, fmax(LES__HL_REF_MIN_MM, 3.0 * h->s0));
    double ref = fmax(-w, global - reach);
    double block = fmin(fmax(global - ref, h->s0), 2.0 * w / 3.0);
    double bin = h->rb->bin_mm > 0 ? h->rb->bin_mm : fmax(3.0, 2.5 * h->s0);
    double bins = floor(h->length / bin + 0.5);
    h->bins = bins < 1 ? 1 : bins > LES__HL_MAX_BINS ? LES__HL_MAX_BINS : (size_t)bins;
    h->bin = h->length / (double)h->bins;
    h->edge = sim_calloc(h->bins, sizeof *h->edge);
    size_t *cnt = sim_calloc(3 * h->bins, sizeof *cnt);
    if (!h->edge || !cnt) {
        sim_free(cnt);
        return LES_ERR_NOMEM;
    }
    size_t *near = cnt, *all = cnt + h->bins, *plateau = cnt + 2 * h->bins;
    for (size_t i = 0; i < h->dot_count; i++) {
        const les__hdot *d = &h->dots[i];
        if (d->stray)
            continue;
        size_t k = les__bin_of(h, d->s);
        near[k] += d->d > ref;
        all[k]++;
        plateau[k] += d->d < -w + block;
    }
    double per = h->rho0 * h->bin;
    for (size_t k = 0; k < h->bins; k++) {
        double e = ref + (double)near[k] / per;
        if (e - ref < LES__HL_SATURATED_MM && ref > -w)
            e = -w + (double)all[k] / per;
        h->edge[k] = e;
    }
    h->noise_var = les__noise(h, plateau);
    sim_free(cnt);
    return LES_OK;
}

/* ------------------------------------------------------------------------ */
/* Measures                                                                 */
/* ------------------------------------------------------------------------ */

static les_result les__edge_points(les__hl *h, les_hairline_metric *m)
{
    m->edge_chart_mm = sim_malloc(h->bins * sizeof *m->edge_chart_mm);
    h->edge_p = sim_malloc(h->bins * sizeof *h->edge_p);
    if (!m->edge_chart_mm || !h->edge_p)
        return LES_ERR_NOMEM;
    m->edge_count = h->bins;
    for (size_t k = 0; k < h->bins; k++) {
        sim_vec2 uv, nrm;
        double sigma;
        sim_vec3 p;
        les__line_at(&h->line, ((double)k + 0.5) * h->bin, &uv, &nrm, &sigma, &p);
        sim_vec2 e = les__v2_add(uv, nrm, h->sign * h->edge[k] / sigma);
        sim_surface_hit hit;
        bool on = sim_surface_from_chart(h->desc->surface, e, &hit);
        m->edge_chart_mm[k] = on ? e : uv;
        h->edge_p[k] = on ? hit.point_mm : p;
    }
    return LES_OK;
}

static void les__deviation(const les__hl *h, les_hairline_metric *m)
{
    double sum = 0, sum_abs = 0, worst = -1;
    for (size_t k = 0; k < h->bins; k++) {
        double e = h->edge[k];
        sum += e;
        sum_abs += fabs(e);
        if (fabs(e) > worst) {
            worst = fabs(e);
            m->worst_signed_mm = e;
            m->worst_mm = h->edge_p[k];
            m->worst_chart_mm = m->edge_chart_mm[k];
        }
    }
    m->offset_mm = sum / (double)h->bins;
    m->mean_deviation_mm = sum_abs / (double)h->bins;
    m->max_deviation_mm = worst;
}

/* Mirror pairs of bins; left/right means. */
static void les__symmetry(const les__hl *h, les_hairline_metric *m)
{
    const sim_surface *surf = h->desc->surface;
    bool pad = surf->kind == SIM_SURFACE_PAD;
    double centre = pad ? 0.5 * surf->width_mm : 0.0;
    double diff = 0, side_sum[2] = {0, 0};
    size_t pairs = 0, side_n[2] = {0, 0};
    for (size_t k = 0; k < h->bins; k++) {
        sim_vec2 uv, nrm;
        double sigma;
        sim_vec3 p;
        les__line_at(&h->line, ((double)k + 0.5) * h->bin, &uv, &nrm, &sigma, &p);
        bool left = pad ? uv.x < centre : uv.x > centre;
        side_sum[left ? 0 : 1] += h->edge[k];
        side_n[left ? 0 : 1]++;
        sim_vec2 mirror = sim_v2(2.0 * centre - uv.x, uv.y);
        double best = INFINITY;
        size_t best_k = k;
        for (size_t j = 0; j < h->bins; j++) {
            sim_vec2 u2, n2;
            double s2;
            sim_vec3 p2;
            les__line_at(&h->line, ((double)j + 0.5) * h->bin, &u2, &n2, &s2, &p2);
            double dist = sim_v2_len(sim_v2_sub(u2, mirror));
            if (dist < best)
                best = dist, best_k = j;
        }
        if (best_k != k && best <= fmax(2.0, h->bin / sigma)) {
            diff += fabs(h->edge[k] - h->edge[best_k]);
            pairs++;
        }
    }
    m->symmetry_mm = pairs ? diff / (double)pairs : NAN;
    m->left_offset_mm = side_n[0] ? side_sum[0] / (double)side_n[0] : NAN;
    m->right_offset_mm = side_n[1] ? side_sum[1] / (double)side_n[1] : NAN;
}

/* Pool-adjacent-violators: v[0..n) made non-increasing (weights w > 0). */
static void les__pava_down(double *v, const double *w, size_t n, double *bw, size_t *len)
{
    size_t blocks = 0;
    for (size_t i = 0; i < n; i++) {
        v[blocks] = v[i], bw[blocks] = w[i], len[blocks] = 1;
        blocks++;
        while (blocks > 1 && v[blocks - 2] < v[blocks - 1]) {
            double tw = bw[blocks - 2] + bw[blocks - 1];
            v[blocks - 2] = (v[blocks - 2] * bw[blocks - 2] + v[blocks - 1] * bw[blocks - 1]) / tw;
            bw[blocks - 2] = tw;
            len[blocks - 2] += len[blocks - 1];
            blocks--;
        }
    }
    for (size_t b = blocks, i = n; b-- > 0;)
        for (size_t j = 0; j < len[b]; j++)
            v[--i] = v[b];
}

/* First x where the profile falls to `level`, interpolated. */
static double les__crossing(const double *q, const double *x, size_t n, double level)
{
    for (size_t j = 0; j < n; j++)
        if (q[j] <= level)
            return j == 0 || q[j - 1] == q[j]
                       ? x[j]
                       : x[j - 1] + (x[j] - x[j - 1]) * (q[j - 1] - level) / (q[j - 1] - q[j]);
    return x[n - 1];
}

/* The 90% -> 10% ramp of the density profile across the aligned edge. */
static les_result les__softness(const les__hl *h, les_hairline_metric *m)
{
    double w = h->corridor, hx = fmax(0.5, 0.5 * h->s0);
    size_t nb = (size_t)ceil(2.0 * w / hx);
    nb = nb > LES__HL_MAX_PROFILE ? LES__HL_MAX_PROFILE : nb;
    hx = 2.0 * w / (double)nb;
    double *buf = sim_calloc(6 * nb, sizeof *buf);
    size_t *len = sim_calloc(nb, sizeof *len);
    if (!buf || !len) {
        sim_free(buf);
        sim_free(len);
        return LES_ERR_NOMEM;
    }
    double *cnt = buf, *cover = buf + nb, *q = buf + 2 * nb, *x = buf + 3 * nb,
           *qw = buf + 4 * nb, *bw = buf + 5 * nb;
    for (size_t i = 0; i < h->dot_count; i++) {
        const les__hdot *d = &h->dots[i];
        double a = d->d - h->edge[les__bin_of(h, d->s)];
        double j = floor((a + w) / hx);
        if (!d->stray && j >= 0 && j < (double)nb)
            cnt[(size_t)j] += 1.0;
    }
    for (size_t k = 0; k < h->bins; k++)
        for (size_t j = 0; j < nb; j++) {
            double x0 = -w + (double)j * hx;
            cover[j] += x0 >= -w - h->edge[k] && x0 + hx <= w - h->edge[k] ? h->bin : 0.0;
        }
    size_t used = 0;
    for (size_t j = 0; j < nb; j++) {
        if (cover[j] <= 0)
            continue;
        q[used] = cnt[j] / (h->rho0 * cover[j] * hx);
        x[used] = -w + ((double)j + 0.5) * hx;
        qw[used++] = cover[j];
    }
    if (used >= 3) {
        /* a [1 2 1] smoothing, then monotone non-increasing */
        double prev = q[0];
        for (size_t j = 0; j < used; j++) {
            double next = j + 1 < used ? q[j + 1] : q[j], cur = q[j];
            q[j] = 0.25 * prev + 0.5 * cur + 0.25 * next;
            prev = cur;
        }
        les__pava_down(q, qw, used, bw, len);
        m->softness_mm = fmax(0.0, les__crossing(q, x, used, 0.1) -
                                       les__crossing(q, x, used, 0.9));
    } else {
        m->softness_mm = NAN;
    }
    sim_free(buf);
    sim_free(len);
    return LES_OK;
}

/* RMS of the edge about its moving average, less the counting noise. */
static void les__irregularity(const les__hl *h, les_hairline_metric *m)
{
    if (h->bins < 3) {
        m->irregularity_mm = NAN;
        return;
    }
    size_t win = (size_t)floor(h->rb->smoothing_mm / h->bin + 0.5);
    win = win < 3 ? 3 : win;
    win |= 1;
    while (win > h->bins)
        win -= 2;
    size_t half = win / 2;
    double res2 = 0;
    for (size_t k = 0; k < h->bins; k++) {
        size_t a = k >= half ? k - half : 0, b = k + half < h->bins ? k + half : h->bins - 1;
        double sum = 0;
        for (size_t j = a; j <= b; j++)
            sum += h->edge[j];
        double r = h->edge[k] - sum / (double)(b - a + 1);
        res2 += r * r;
    }
    double var = res2 / (double)h->bins - (1.0 - 1.0 / (double)win) * h->noise_var;
    m->irregularity_mm = sqrt(fmax(0.0, var));
}

static double les__point_segment(sim_vec3 p, sim_vec3 a, sim_vec3 b)
{
    sim_vec3 ab = sim_v3_sub(b, a);
    double len2 = sim_v3_len2(ab);
    double t = len2 > 0 ? sim_v3_dot(sim_v3_sub(p, a), ab) / len2 : 0.0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return sim_v3_len(sim_v3_sub(p, sim_v3_add(a, sim_v3_scale(ab, t))));
}

static void les__temples_strays(const les__hl *h, const sim_impression *imps,
                                les_hairline_metric *m)
{
    const les_hairline_desc *d = h->desc;
    for (size_t t = 0; t < d->temple_count && m->temple_count < LES_HAIRLINE_MAX_TEMPLES; t++) {
        sim_surface_hit hit;
        if (!sim_surface_from_chart(d->surface, d->temples[t], &hit))
            continue;
        double best = sim_v3_len(sim_v3_sub(hit.point_mm, h->edge_p[0]));
        for (size_t k = 0; k + 1 < h->bins; k++)
            best = fmin(best, les__point_segment(hit.point_mm, h->edge_p[k], h->edge_p[k + 1]));
        m->temple_mm[m->temple_count++] = best;
    }
    for (size_t i = 0; i < h->dot_count; i++) {
        const les__hdot *dot = &h->dots[i];
        if (!dot->stray || dot->d <= h->edge[les__bin_of(h, dot->s)])
            continue;
        if (m->strays++ == 0) {
            m->stray_mm = imps[dot->index].surface_mm;
            m->stray_chart_mm = imps[dot->index].chart_mm;
        }
    }
}

static void les__score(les_hairline_metric *m, const les_hairline_rubric *rb)
{
    double temples = NAN;
    if (m->temple_count) {
        temples = 0;
        for (size_t t = 0; t < m->temple_count; t++)
            temples += m->temple_mm[t] / (double)m->temple_count;
    }
    m->part[LES_HL_DEVIATION] = les_band_score(rb->deviation_mm, m->mean_deviation_mm);
    m->part[LES_HL_MAX_DEVIATION] = les_band_score(rb->max_deviation_mm, m->max_deviation_mm);
    m->part[LES_HL_SYMMETRY] = les_band_score(rb->symmetry_mm, m->symmetry_mm);
    m->part[LES_HL_SOFTNESS] = les_band_score(rb->softness_mm, m->softness_mm);
    m->part[LES_HL_IRREGULARITY] = les_band_score(rb->irregularity_mm, m->irregularity_mm);
    m->part[LES_HL_TEMPLES] = les_band_score(rb->temple_mm, temples);
    m->score = les_parts_score(m->part, LES_HL_PARTS);
}

static void les__metric_clear(les_hairline_metric *m)
{
    memset(m, 0, sizeof *m);
    m->score = m->mean_deviation_mm = m->max_deviation_mm = m->symmetry_mm = NAN;
    m->softness_mm = m->irregularity_mm = m->offset_mm = NAN;
    m->left_offset_mm = m->right_offset_mm = m->plateau_per_cm2 = m->worst_signed_mm = NAN;
    m->bin_mm = NAN;
    for (int p = 0; p < LES_HL_PARTS; p++)
        m->part[p] = NAN;
}

static les_result les__measure(les__hl *h, const sim_impression *imps, size_t n,
                               les_hairline_metric *m)
{
    const les_hairline_desc *d = h->desc;
    les_result r = les__line_build(&h->line, d->surface, d->target, d->target_count);
    if (r == LES_OK)
        r = les__line_buckets(&h->line, h->corridor / h->line.sigma_min);
    if (r == LES_OK)
        r = les__collect(h, imps, n);
    h->length = r == LES_OK ? h->line.s[h->line.n - 1] : 0.0;
    if (r != LES_OK || !les__plateau(h))
        return r == LES_ERR_ARG ? LES_OK : r; /* off the surface: not measured */
    r = les__edges(h);
    if (r == LES_OK)
        r = les__edge_points(h, m);
    if (r == LES_OK)
        r = les__softness(h, m);
    if (r != LES_OK)
        return r;
    m->applicable = true;
    m->plateau_per_cm2 = 100.0 * h->rho0;
    m->bins = h->bins;
    m->bin_mm = h->bin;
    for (size_t i = 0; i < h->dot_count; i++)
        m->dots += !h->dots[i].stray;
    les__deviation(h, m);
    les__symmetry(h, m);
    les__irregularity(h, m);
    les__temples_strays(h, imps, m);
    les__score(m, h->rb);
    return LES_OK;
}

les_result les_hairline_measure(const les_hairline_desc *d, const sim_impression *imps,
                                size_t n, les_hairline_metric *out, sim_error *err)
{
    if (out)
        les__metric_clear(out);
    if (!d || !out || !d->surface || !d->rubric || !d->target || d->target_count < 2 ||
        (!imps && n))
        return (les_result)sim_error_set(err, LES_ERR_ARG, NULL, 0, 0,
                                         "les_hairline_measure: missing argument");
    les__hl h;
    memset(&h, 0, sizeof h);
    h.desc = d;
    h.rb = d->rubric;
    h.corridor = d->rubric->corridor_mm;
    les_result r = les__measure(&h, imps, n, out);
    les__line_free(&h.line);
    sim_free(h.dots);
    sim_free(h.edge);
    sim_free(h.edge_p);
    if (r != LES_OK) {
        les_hairline_metric_deinit(out);
        return (les_result)sim_error_set(err, r, NULL, 0, 0, "out of memory");
    }
    return LES_OK;
}

void les_hairline_metric_deinit(les_hairline_metric *m)
{
    if (!m)
        return;
    sim_free(m->edge_chart_mm);
    les__metric_clear(m);
}
