/* les_feedback_text.c: the sentences a trainee reads after an attempt
 * (les__feedback_build, les_grade_internal.h): one per problem, each tied
 * to a place, worst first; a note when something is done well.
 *
 * Dots with the same problem are grouped by zone and region (the left
 * temple, the near-left corner of a zone) and each group is placed at its
 * dot nearest the group's centre. Wording: short, concrete, saying what to
 * do. Numbers go through les_fmt_num (never the locale).
 *
 * Purity: dots in index order, groups in (zone, region) order.
 * Threads: reentrant.
 */
#include "les_grade_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim_heal.h"

/* Regions per zone in a group key (les_place_region gives 0..15). */
#define LES__REGIONS 16
/* Problem groups reported per kind. */
#define LES__TOP_GROUPS 3
/* The list is cut to this many items, worst first. */
#define LES__MAX_ITEMS 24
/* Room to compose a message; items keep LES_FEEDBACK_MESSAGE_LEN. */
#define LES__MSG_LEN 512
/* Below this Clark-Evans index a pattern is called clumped, not random. */
#define LES__CLUMPED_CE 0.9
/* Technique faults below this share of the dots go unmentioned. */
#define LES__FAULT_SHARE 0.02
/* A group holding this share of the dots is major. */
#define LES__MAJOR_SHARE 0.05

typedef struct les__group {
    size_t count;
    double lo, hi;           /* depth range */
    double su, sv;           /* chart sums */
    size_t rep;              /* the dot nearest the centre */
    double rep_d2;
} les__group;

typedef bool (*les__dot_pred)(const les__gctx *c, size_t i);

static bool les__too_deep(const les__gctx *c, size_t i)
{
    return c->zone[i] >= 0 && c->imps[i].depth_mm > c->lesson->zones[c->zone[i]].depth_max_mm;
}

static bool les__too_shallow(const les__gctx *c, size_t i)
{
    return c->zone[i] >= 0 && c->imps[i].depth_mm < c->lesson->zones[c->zone[i]].depth_min_mm;
}

static bool les__overlapping(const les__gctx *c, size_t i)
{
    return c->zone[i] >= 0 && c->overlap[i];
}

/* Groups the dots matching `pred` by (zone, region); NULL when out of
 * memory. */
static les__group *les__group_dots(const les__gctx *c, les__dot_pred pred, size_t *ngroups)
{
    *ngroups = (c->lesson->zone_count ? c->lesson->zone_count : 1) * LES__REGIONS;
    les__group *g = sim_calloc(*ngroups, sizeof *g);
    uint32_t *key = sim_malloc((c->n ? c->n : 1) * sizeof *key);
    if (!g || !key) {
        sim_free(g);
        sim_free(key);
        return NULL;
    }
    for (size_t i = 0; i < c->n; i++) {
        key[i] = UINT32_MAX;
        if (!pred(c, i))
            continue;
        int z = c->zone[i];
        key[i] = (uint32_t)z * LES__REGIONS +
                 (uint32_t)les__place_region_in(c->surface, c->zone_box + 4 * z,
                                                c->imps[i].chart_mm);
        les__group *gr = &g[key[i]];
        double d = c->imps[i].depth_mm;
        gr->lo = gr->count ? fmin(gr->lo, d) : d;
        gr->hi = gr->count ? fmax(gr->hi, d) : d;
        gr->su += c->imps[i].chart_mm.x;
        gr->sv += c->imps[i].chart_mm.y;
        gr->count++;
        gr->rep_d2 = INFINITY;
    }
    for (size_t i = 0; i < c->n; i++) {
        if (key[i] == UINT32_MAX)
            continue;
        les__group *gr = &g[key[i]];
        double du = c->imps[i].chart_mm.x - gr->su / (double)gr->count;
        double dv = c->imps[i].chart_mm.y - gr->sv / (double)gr->count;
        if (du * du + dv * dv < gr->rep_d2) {
            gr->rep_d2 = du * du + dv * dv;
            gr->rep = i;
        }
    }
    sim_free(key);
    return g;
}

/* The index of the largest remaining group (count, then key), or SIZE_MAX;
 * it is marked taken. */
static size_t les__take_largest(les__group *g, size_t n)
{
    size_t best = SIZE_MAX;
    for (size_t k = 0; k < n; k++)
        if (g[k].count && (best == SIZE_MAX || g[k].count > g[best].count))
            best = k;
    return best;
}

static const char *les__dots(char *buf, size_t size, size_t n)
{
    snprintf(buf, size, "%zu dot%s", n, n == 1 ? "" : "s");
    return buf;
}

static void les__place_of(const les__gctx *c, sim_vec2 uv, sim_vec3 *p)
{
    sim_surface_hit hit;
    *p = sim_surface_from_chart(c->surface, uv, &hit) ? hit.point_mm : sim_v3(uv.x, uv.y, 0);
}

static void les__add_at(les__gctx *c, les_metric m, les_feedback_severity sev, double impact,
                        sim_vec2 uv, const char *msg)
{
    sim_vec3 p;
    les__place_of(c, uv, &p);
    les_feedback_add(&c->g->feedback, m, sev, impact, p, uv, "%s", msg);
}

static void les__add_dot(les__gctx *c, les_metric m, les_feedback_severity sev, double impact,
                         size_t i, const char *msg)
{
    les_feedback_add(&c->g->feedback, m, sev, impact, c->imps[i].surface_mm,
                     c->imps[i].chart_mm, "%s", msg);
}

static sim_vec2 les__zone_centre(const les_zone *z)
{
    sim_vec2 s = {0, 0};
    for (size_t i = 0; i < z->polygon_count; i++)
        s = sim_v2(s.x + z->polygon[i].x, s.y + z->polygon[i].y);
    return z->polygon_count ? sim_v2(s.x / (double)z->polygon_count,
                                     s.y / (double)z->polygon_count)
                            : s;
}

static les_feedback_severity les__share_severity(const les__gctx *c, size_t count)
{
    size_t dots = c->g->spacing.dots ? c->g->spacing.dots : 1;
    return (double)count >= LES__MAJOR_SHARE * (double)dots ? LES_FEEDBACK_MAJOR
                                                             : LES_FEEDBACK_MINOR;
}

/* ------------------------------------------------------------------------ */
/* Safety                                                                   */
/* ------------------------------------------------------------------------ */

static void les__safety_text(les__gctx *c)
{
    const les_lesson *l = c->lesson;
    char msg[LES__MSG_LEN], dots[32];
    const char *why = l->client.condition ? l->client.condition : "a contraindication";
    sim_vec2 where = l->zone_count ? les__zone_centre(&l->zones[0]) : sim_v2(0, 0);
    if (c->g->safety.contraindicated) {
        if (c->n) {
            snprintf(msg, sizeof msg, "This client must not be treated (%s): stop and refer "
                     "them on. Any impression fails the attempt.", why);
            les__add_dot(c, LES_METRIC_SAFETY, LES_FEEDBACK_CRITICAL, (double)c->n, 0, msg);
        } else {
            snprintf(msg, sizeof msg, "You rightly declined to treat this client (%s).", why);
            les__add_at(c, LES_METRIC_SAFETY, LES_FEEDBACK_NOTE, 0, where, msg);
        }
        return;
    }
    for (size_t z = 0; z < l->zone_count; z++) {
        if (l->zones[z].kind != LES_ZONE_FORBIDDEN || !c->g->zones[z].impressions)
            continue;
        size_t first = 0;
        while (first < c->n && c->forbidden[first] != (int32_t)z)
            first++;
        size_t count = c->g->zones[z].impressions;
        snprintf(msg, sizeof msg, "%s %s in the forbidden zone `%s`: never work there.",
                 les__dots(dots, sizeof dots, count), count == 1 ? "is" : "are",
                 l->zones[z].name);
        les_feedback_severity sev = (l->rubric.must_pass & (1u << LES_METRIC_SAFETY))
                                        ? LES_FEEDBACK_CRITICAL : LES_FEEDBACK_MAJOR;
        les__add_dot(c, LES_METRIC_SAFETY, sev, (double)count, first, msg);
    }
}

/* ------------------------------------------------------------------------ */
/* Depth                                                                    */
/* ------------------------------------------------------------------------ */

/* What a dot this deep heals as (SIM_VERSION's rule, default skin). */
static sim_heal_class les__healed_class(double depth_mm)
{
    sim_impression probe;
    memset(&probe, 0, sizeof probe);
    probe.depth_mm = depth_mm;
    sim_healed_dot dot;
    sim_heal_one(&probe, NULL, &dot);
    return dot.cls;
}

/* What will happen to a group of dots whose deepest is `deepest_mm`. */
static const char *les__consequence(bool deep, double deepest_mm)
{
    sim_heal_class cls = les__healed_class(deepest_mm);
    if (!deep)
        return cls == SIM_HEAL_FADED ? "inside the epidermis, they will flake off within weeks"
                                     : "pigment that shallow fades";
    return cls == SIM_HEAL_BLOWOUT  ? "expect blue-grey blowout"
           : cls == SIM_HEAL_BLURRED ? "they will blur and turn blue-grey"
                                     : "keep within the band";
}

static void les__depth_groups(les__gctx *c, bool deep)
{
    size_t ng;
    les__group *g = les__group_dots(c, deep ? les__too_deep : les__too_shallow, &ng);
    if (!g) {
        c->g->feedback.nomem = true;
        return;
    }
    for (int t = 0; t < LES__TOP_GROUPS; t++) {
        size_t k = les__take_largest(g, ng);
        if (k == SIZE_MAX)
            break;
        const les__group *gr = &g[k];
        size_t z = k / LES__REGIONS;
        const les_zone *zn = &c->lesson->zones[z];
        char msg[LES__MSG_LEN], place[96], dots[32], a[32], b[32], lo[32], hi[32];
        les_place_name(place, sizeof place, c->surface, c->lesson, (int)z,
                       c->imps[gr->rep].chart_mm);
        les_fmt_num(a, sizeof a, gr->lo, 2);
        les_fmt_num(b, sizeof b, gr->hi, 2);
        snprintf(msg, sizeof msg, "%s %s %s %s%s%s mm deep (band %s–%s mm): %s.",
                 les__dots(dots, sizeof dots, gr->count), place, gr->count == 1 ? "is" : "are",
                 a, gr->lo == gr->hi ? "" : "–", gr->lo == gr->hi ? "" : b,
                 les_fmt_num(lo, sizeof lo, zn->depth_min_mm, 2),
                 les_fmt_num(hi, sizeof hi, zn->depth_max_mm, 2),
                 les__consequence(deep, gr->hi));
        les__add_dot(c, LES_METRIC_DEPTH, les__share_severity(c, gr->count),
                     (double)gr->count, gr->rep, msg);
        g[k].count = 0;
    }
    sim_free(g);
}

static void les__depth_text(les__gctx *c)
{
    les__depth_groups(c, true);
    les__depth_groups(c, false);
    for (size_t z = 0; z < c->g->zone_count; z++) {
        const les_zone_grade *zg = &c->g->zones[z];
        const les_zone *zn = &c->lesson->zones[z];
        double band = zn->depth_max_mm - zn->depth_min_mm;
        if (zg->forbidden || zg->impressions < 5 || !(zg->depth_sd_mm > 0.5 * band))
            continue;
        char msg[LES__MSG_LEN], sd[32];
        snprintf(msg, sizeof msg, "Depth varies a lot in `%s` (± %s mm): give every dot the "
                 "same depth.", zn->name, les_fmt_num(sd, sizeof sd, zg->depth_sd_mm, 2));
        les__add_at(c, LES_METRIC_DEPTH, LES_FEEDBACK_MINOR, zg->depth_sd_mm / band,
                    les__zone_centre(zn), msg);
    }
}

/* ------------------------------------------------------------------------ */
/* Density                                                                  */
/* ------------------------------------------------------------------------ */

static void les__density_cells(les__gctx *c)
{
    const les_heatmap *m = &c->g->heatmap;
    long sparse = -1, dense = -1;
    double worst_lo = 0.6, worst_hi = 1.5;
    for (size_t k = 0; k < m->cols * m->rows; k++) {
        double t = m->target_per_cm2[k], d = m->density_per_cm2[k];
        if (!(t > 0) || isnan(d) || m->area_mm2[k] < 0.5 * m->cell_mm * m->cell_mm)
            continue;
        /* only what chance alone would rarely give (3 sd of a Poisson count) */
        double expected = t * m->area_mm2[k] / 100.0;
        if (fabs((double)m->dots[k] - expected) <= 3.0 * sqrt(expected))
            continue;
        if (d / t < worst_lo)
            worst_lo = d / t, sparse = (long)k;
        if (d / t > worst_hi)
            worst_hi = d / t, dense = (long)k;
    }
    for (int pass = 0; pass < 2; pass++) {
        long k = pass ? dense : sparse;
        if (k < 0)
            continue;
        sim_vec2 uv = les_heatmap_centre(m, (size_t)k);
        int z = les_lesson_zone_at(c->lesson, uv);
        char msg[LES__MSG_LEN], place[96], d[32], t[32];
        les_place_name(place, sizeof place, c->surface, c->lesson, z, uv);
        snprintf(msg, sizeof msg, "Dots are %s %s: %s dots/cm² against %s.",
                 pass ? "crowded" : "sparse", place,
                 les_fmt_num(d, sizeof d, m->density_per_cm2[k], 0),
                 les_fmt_num(t, sizeof t, m->target_per_cm2[k], 0));
        double ratio = m->density_per_cm2[k] / m->target_per_cm2[k];
        les__add_at(c, LES_METRIC_DENSITY, LES_FEEDBACK_MINOR, fabs(ratio - 1.0), uv, msg);
    }
}

static void les__density_text(les__gctx *c)
{
    const les_lesson *l = c->lesson;
    for (size_t z = 0; z < c->g->zone_count; z++) {
        const les_zone_grade *zg = &c->g->zones[z];
        const les_zone *zn = &l->zones[z];
        double ratio = zn->density_per_cm2 > 0 ? zg->per_cm2 / zn->density_per_cm2 : 1.0;
        if (zg->forbidden || fabs(ratio - 1.0) <= 0.1)
            continue;
        double missing = (zn->density_per_cm2 - zg->per_cm2) * zg->area_cm2;
        char msg[LES__MSG_LEN], d[32], t[32], n[32];
        snprintf(msg, sizeof msg, "`%s` has %s dots/cm² against a target of %s: %s about %s "
                 "dots%s.", zn->name, les_fmt_num(d, sizeof d, zg->per_cm2, 1),
                 les_fmt_num(t, sizeof t, zn->density_per_cm2, 0),
                 missing > 0 ? "add" : "leave out", les_fmt_num(n, sizeof n, fabs(missing), 0),
                 missing > 0 ? "" : " (space them further apart)");
        les_feedback_severity sev = zg->density_score < l->rubric.threshold[LES_METRIC_DENSITY]
                                        ? LES_FEEDBACK_MAJOR : LES_FEEDBACK_MINOR;
        les__add_at(c, LES_METRIC_DENSITY, sev, fabs(ratio - 1.0), les__zone_centre(zn), msg);
    }
    les__density_cells(c);
}

/* ------------------------------------------------------------------------ */
/* Spacing                                                                  */
/* ------------------------------------------------------------------------ */

static les_feedback_severity les__part_severity(double part)
{
    return part < 50.0 ? LES_FEEDBACK_MAJOR : LES_FEEDBACK_MINOR;
}

static void les__pattern_text(les__gctx *c)
{
    const les_spacing_metric *sp = &c->g->spacing;
    const les_spacing_rubric *rb = &c->lesson->rubric.spacing;
    char msg[LES__MSG_LEN], place[96], a[32], b[32], d[32];
    double part = sp->part[LES_SP_ORDER];
    if (part < 100.0) {
        int z = les_lesson_zone_at(c->lesson, sp->order_chart_mm);
        les_place_name(place, sizeof place, c->surface, c->lesson, z, sp->order_chart_mm);
        const char *shape = sp->order_fold == 2   ? "line up in rows"
                            : sp->order_fold == 4 ? "form a square grid"
                                                  : "form a regular hexagonal grid";
        snprintf(msg, sizeof msg, "Dots %s %s (order %s; natural stippling stays below "
                 "%s): vary each dot's position.", shape, place,
                 les_fmt_num(a, sizeof a, sp->orientational_order, 2),
                 les_fmt_num(b, sizeof b, rb->orientational_order.hi, 2));
        les__add_at(c, LES_METRIC_SPACING, les__part_severity(part), 100.0 - part,
                    sp->order_chart_mm, msg);
    }
    double ce = isnan(sp->clark_evans_donnelly) ? sp->clark_evans : sp->clark_evans_donnelly;
    bool clumped = ce < LES__CLUMPED_CE || sp->part[LES_SP_CLUMPING] < 100.0;
    part = fmin(sp->part[LES_SP_CLUMPING], ce < rb->clark_evans.lo ? sp->part[LES_SP_CLARK_EVANS]
                                                                  : 100.0);
    if (part < 100.0 && !clumped) {
        snprintf(msg, sizeof msg, "Dots are placed at random rather than evenly (Clark–Evans %s; "
                 "1 is random, even work is %s–%s): keep the same distance to every neighbour.",
                 les_fmt_num(a, sizeof a, ce, 2), les_fmt_num(b, sizeof b, rb->clark_evans.lo, 1),
                 les_fmt_num(d, sizeof d, rb->clark_evans.hi, 1));
        les_feedback_add(&c->g->feedback, LES_METRIC_SPACING, les__part_severity(part),
                         100.0 - part, sp->densest_mm, sp->densest_chart_mm, "%s", msg);
    } else if (part < 100.0) {
        int z = les_lesson_zone_at(c->lesson, sp->densest_chart_mm);
        les_place_name(place, sizeof place, c->surface, c->lesson, z, sp->densest_chart_mm);
        snprintf(msg, sizeof msg, "Dots clump together, most of all %s (Clark–Evans %s; 1 is "
                 "random, even work is %s–%s): spread them evenly.", place,
                 les_fmt_num(a, sizeof a, ce, 2), les_fmt_num(b, sizeof b, rb->clark_evans.lo, 1),
                 les_fmt_num(d, sizeof d, rb->clark_evans.hi, 1));
        les_feedback_add(&c->g->feedback, LES_METRIC_SPACING, les__part_severity(part),
                         100.0 - part, sp->densest_mm, sp->densest_chart_mm, "%s", msg);
    } else if (ce > rb->clark_evans.hi && sp->part[LES_SP_ORDER] >= 100.0) {
        snprintf(msg, sizeof msg, "The spacing is mechanically even (Clark–Evans %s): natural "
                 "stippling is a little irregular.", les_fmt_num(a, sizeof a, ce, 2));
        les_feedback_add(&c->g->feedback, LES_METRIC_SPACING,
                         les__part_severity(sp->part[LES_SP_CLARK_EVANS]),
                         100.0 - sp->part[LES_SP_CLARK_EVANS], sp->densest_mm,
                         sp->densest_chart_mm, "%s", msg);
    }
}

static void les__evenness_text(les__gctx *c)
{
    const les_spacing_metric *sp = &c->g->spacing;
    char msg[LES__MSG_LEN], place[96], a[32], dots[32];
    double part = sp->part[LES_SP_NN_CV];
    if (part < 100.0 && sp->nn_cv > c->lesson->rubric.spacing.nn_cv.hi) {
        snprintf(msg, sizeof msg, "Spacing is uneven: the gap to the nearest dot varies by %s%%. "
                 "Aim for the same distance every time.",
                 les_fmt_num(a, sizeof a, 100.0 * sp->nn_cv, 0));
        les_feedback_add(&c->g->feedback, LES_METRIC_SPACING, les__part_severity(part),
                         100.0 - part, sp->densest_mm, sp->densest_chart_mm, "%s", msg);
    }
    part = sp->part[LES_SP_OVERLAPS];
    if (part < 100.0) {
        size_t ng;
        les__group *g = les__group_dots(c, les__overlapping, &ng);
        size_t k = g ? les__take_largest(g, ng) : SIZE_MAX;
        if (!g)
            c->g->feedback.nomem = true;
        if (k != SIZE_MAX) {
            les_place_name(place, sizeof place, c->surface, c->lesson, (int)(k / LES__REGIONS),
                           c->imps[g[k].rep].chart_mm);
            snprintf(msg, sizeof msg, "%s will touch a neighbour once healed, most %s: they "
                     "merge into blotches. Leave more room.",
                     les__dots(dots, sizeof dots, sp->overlaps), place);
            les__add_dot(c, LES_METRIC_SPACING, les__part_severity(part), 100.0 - part,
                         g[k].rep, msg);
        }
        sim_free(g);
    }
    part = sp->part[LES_SP_GAP];
    if (part < 100.0) {
        les_place_name(place, sizeof place, c->surface, c->lesson, sp->gap_zone,
                       sp->gap_chart_mm);
        snprintf(msg, sizeof msg, "A gap %s mm across %s: fill it.",
                 les_fmt_num(a, sizeof a, sp->largest_gap_mm, 1), place);
        les_feedback_add(&c->g->feedback, LES_METRIC_SPACING, les__part_severity(part),
                         100.0 - part, sp->gap_mm, sp->gap_chart_mm, "%s", msg);
    }
}

static void les__spacing_text(les__gctx *c)
{
    const les_spacing_metric *sp = &c->g->spacing;
    if (!sp->applicable)
        return;
    size_t before = c->g->feedback.count;
    les__pattern_text(c);
    les__evenness_text(c);
    if (c->g->feedback.count == before) {
        char msg[LES__MSG_LEN], a[32];
        snprintf(msg, sizeof msg, "Spacing is even and natural (Clark–Evans %s, no rows, no "
                 "clumps).", les_fmt_num(a, sizeof a, sp->clark_evans_donnelly, 2));
        les_feedback_add(&c->g->feedback, LES_METRIC_SPACING, LES_FEEDBACK_NOTE, 0,
                         sp->densest_mm, sp->densest_chart_mm, "%s", msg);
    }
}

/* ------------------------------------------------------------------------ */
/* Hairline                                                                 */
/* ------------------------------------------------------------------------ */

static void les__hairline_place_text(les__gctx *c)
{
    const les_hairline_metric *h = &c->g->hairline;
    char msg[LES__MSG_LEN], place[96], a[32], b[32];
    double part = fmin(h->part[LES_HL_DEVIATION], h->part[LES_HL_MAX_DEVIATION]);
    if (part < 100.0) {
        les_place_name(place, sizeof place, c->surface, c->lesson, -1, h->worst_chart_mm);
        bool ahead = h->offset_mm > 0.5 * h->mean_deviation_mm;
        bool behind = h->offset_mm < -0.5 * h->mean_deviation_mm;
        snprintf(msg, sizeof msg, "The hairline sits %s mm %s on average (up to %s mm %s): "
                 "%s.", les_fmt_num(a, sizeof a, h->mean_deviation_mm, 1),
                 ahead ? "in front of the target" : behind ? "behind the target"
                                                          : "off the target",
                 les_fmt_num(b, sizeof b, h->max_deviation_mm, 1), place,
                 ahead ? "move it back" : behind ? "bring it forward" : "follow the target line");
        les_feedback_add(&c->g->feedback, LES_METRIC_HAIRLINE, les__part_severity(part),
                         100.0 - part, h->worst_mm, h->worst_chart_mm, "%s", msg);
    }
    part = h->part[LES_HL_SYMMETRY];
    if (part < 100.0) {
        double diff = h->left_offset_mm - h->right_offset_mm;
        snprintf(msg, sizeof msg, "The %s side of the hairline sits %s mm further forward than "
                 "the %s: match the two sides.", diff >= 0 ? "left" : "right",
                 les_fmt_num(a, sizeof a, isnan(diff) ? h->symmetry_mm : fabs(diff), 1),
                 diff >= 0 ? "right" : "left");
        les_feedback_add(&c->g->feedback, LES_METRIC_HAIRLINE, les__part_severity(part),
                         100.0 - part, h->worst_mm, h->worst_chart_mm, "%s", msg);
    }
    for (size_t t = 0; t < h->temple_count; t++) {
        part = les_band_score(c->lesson->rubric.hairline.temple_mm, h->temple_mm[t]);
        if (part >= 100.0)
            continue;
        sim_vec2 uv = c->lesson->temple_points[t];
        bool left = c->surface->kind == SIM_SURFACE_PAD ? uv.x < 0.5 * c->surface->width_mm
                                                        : uv.x > 0.0;
        snprintf(msg, sizeof msg, "Your edge misses the %s temple point by %s mm.",
                 left ? "left" : "right", les_fmt_num(a, sizeof a, h->temple_mm[t], 1));
        les__add_at(c, LES_METRIC_HAIRLINE, les__part_severity(part), 100.0 - part, uv, msg);
    }
}

static void les__hairline_edge_text(les__gctx *c)
{
    const les_hairline_metric *h = &c->g->hairline;
    const les_hairline_rubric *rb = &c->lesson->rubric.hairline;
    char msg[LES__MSG_LEN], place[96], a[32], b[32], d[32], dots[32];
    double part = h->part[LES_HL_SOFTNESS];
    if (part < 100.0) {
        bool hard = h->softness_mm < rb->softness_mm.lo;
        snprintf(msg, sizeof msg, "The hairline edge is %s (%s mm from 90%% to 10%% density): "
                 "%s over %s–%s mm.", hard ? "hard" : "too diffuse",
                 les_fmt_num(a, sizeof a, h->softness_mm, 1),
                 hard ? "fade it in" : "tighten the transition",
                 les_fmt_num(b, sizeof b, rb->softness_mm.lo, 0),
                 les_fmt_num(d, sizeof d, rb->softness_mm.hi, 0));
        les_feedback_add(&c->g->feedback, LES_METRIC_HAIRLINE, les__part_severity(part),
                         100.0 - part, h->worst_mm, h->worst_chart_mm, "%s", msg);
    }
    part = h->part[LES_HL_IRREGULARITY];
    if (part < 100.0) {
        bool straight = h->irregularity_mm < rb->irregularity_mm.lo;
        snprintf(msg, sizeof msg, straight
                     ? "The hairline is ruler-straight (irregularity %s mm): break the edge "
                       "with small irregularities."
                     : "The hairline edge zig-zags (irregularity %s mm): soften it into "
                       "gentle, natural irregularity.",
                 les_fmt_num(a, sizeof a, h->irregularity_mm, 1));
        les_feedback_add(&c->g->feedback, LES_METRIC_HAIRLINE, les__part_severity(part),
                         100.0 - part, h->worst_mm, h->worst_chart_mm, "%s", msg);
    }
    if (h->strays) {
        les_place_name(place, sizeof place, c->surface, c->lesson, -1, h->stray_chart_mm);
        snprintf(msg, sizeof msg, "%s in front of the hairline stand%s alone, e.g. %s: "
                 "isolated dots look like mistakes.", les__dots(dots, sizeof dots, h->strays),
                 h->strays == 1 ? "s" : "", place);
        les_feedback_add(&c->g->feedback, LES_METRIC_HAIRLINE, LES_FEEDBACK_MINOR,
                         (double)h->strays, h->stray_mm, h->stray_chart_mm, "%s", msg);
    }
}

/* ------------------------------------------------------------------------ */
/* Technique                                                                */
/* ------------------------------------------------------------------------ */

/* The first impression with the wanted fault: 0 angle, 1 dwell, 2 drag. */
static size_t les__first_fault(const les__gctx *c, int what)
{
    const les_technique_rubric *rb = &c->lesson->rubric.technique;
    for (size_t i = 0; i < c->n; i++) {
        const sim_impression *m = &c->imps[i];
        double v = what == 0 ? sim_deg(m->angle_rad) : what == 1 ? m->dwell_s : m->drag_mm;
        les_band b = what == 0 ? rb->angle_deg : what == 1 ? rb->dwell_s : rb->drag_mm;
        if (v < b.lo || v > b.hi)
            return i;
    }
    return 0;
}

static void les__technique_dots(les__gctx *c)
{
    const les_technique_metric *t = &c->g->technique;
    const les_technique_rubric *rb = &c->lesson->rubric.technique;
    char msg[LES__MSG_LEN], a[32], b[32];
    double n = (double)c->n;
    if (t->part[LES_TQ_ANGLE] < 100.0 && (double)t->angle_out >= LES__FAULT_SHARE * n) {
        snprintf(msg, sizeof msg, "%s%% of dots went in more than %s° off perpendicular: hold "
                 "the needle upright to the skin.",
                 les_fmt_num(a, sizeof a, 100.0 * (double)t->angle_out / n, 0),
                 les_fmt_num(b, sizeof b, rb->angle_deg.hi, 0));
        les__add_dot(c, LES_METRIC_TECHNIQUE, les__part_severity(t->part[LES_TQ_ANGLE]),
                     100.0 - t->part[LES_TQ_ANGLE], les__first_fault(c, 0), msg);
    }
    bool longer = t->dwell_long >= t->dwell_short;
    if (t->part[LES_TQ_DWELL] < 100.0 &&
        (double)(longer ? t->dwell_long : t->dwell_short) >= LES__FAULT_SHARE * n) {
        snprintf(msg, sizeof msg, "%s%% of dots were held in %s %s s: %s.",
                 les_fmt_num(a, sizeof a,
                             100.0 * (double)(longer ? t->dwell_long : t->dwell_short) / n, 0),
                 longer ? "longer than" : "shorter than",
                 les_fmt_num(b, sizeof b, longer ? rb->dwell_s.hi : rb->dwell_s.lo, 2),
                 longer ? "tap in and out" : "let the needle reach its depth");
        les__add_dot(c, LES_METRIC_TECHNIQUE, les__part_severity(t->part[LES_TQ_DWELL]),
                     100.0 - t->part[LES_TQ_DWELL], les__first_fault(c, 1), msg);
    }
    if (t->part[LES_TQ_DRAG] < 100.0 && (double)t->drag_out >= LES__FAULT_SHARE * n) {
        char dots[32];
        snprintf(msg, sizeof msg, "%s %s dragged sideways (up to %s mm): lift straight out.",
                 les__dots(dots, sizeof dots, t->drag_out), t->drag_out == 1 ? "was" : "were",
                 les_fmt_num(a, sizeof a, t->drag_max_mm, 2));
        les__add_dot(c, LES_METRIC_TECHNIQUE, les__part_severity(t->part[LES_TQ_DRAG]),
                     100.0 - t->part[LES_TQ_DRAG], les__first_fault(c, 2), msg);
    }
}

static void les__technique_time(les__gctx *c)
{
    const les_technique_metric *t = &c->g->technique;
    const les_technique_rubric *rb = &c->lesson->rubric.technique;
    char msg[LES__MSG_LEN], a[32], b[32];
    if (t->part[LES_TQ_PACE] < 100.0) {
        bool fast = t->pace_per_min > rb->pace_per_min.hi;
        snprintf(msg, sizeof msg, "Your pace was %s dots a minute, %s %s: %s.",
                 les_fmt_num(a, sizeof a, t->pace_per_min, 0), fast ? "above" : "below",
                 les_fmt_num(b, sizeof b, fast ? rb->pace_per_min.hi : rb->pace_per_min.lo, 0),
                 fast ? "slow down and place each dot" : "work more steadily");
        les__add_dot(c, LES_METRIC_TECHNIQUE, les__part_severity(t->part[LES_TQ_PACE]),
                     100.0 - t->part[LES_TQ_PACE], c->n - 1, msg);
    }
    if (t->part[LES_TQ_SESSION] < 100.0) {
        snprintf(msg, sizeof msg, "The session took %s min, over the %s min limit.",
                 les_fmt_num(a, sizeof a, t->session_s / 60.0, 1),
                 les_fmt_num(b, sizeof b, c->lesson->time_limit_s / 60.0, 0));
        les__add_dot(c, LES_METRIC_TECHNIQUE, les__part_severity(t->part[LES_TQ_SESSION]),
                     100.0 - t->part[LES_TQ_SESSION], c->n - 1, msg);
    }
}

void les__feedback_build(les__gctx *c)
{
    les__safety_text(c);
    if (!c->g->safety.contraindicated) {
        les__depth_text(c);
        les__density_text(c);
        les__spacing_text(c);
        if (c->g->hairline.applicable) {
            les__hairline_place_text(c);
            les__hairline_edge_text(c);
        }
        if (c->g->technique.applicable) {
            les__technique_dots(c);
            les__technique_time(c);
        }
    }
    les_feedback_sort(&c->g->feedback);
    if (c->g->feedback.count > LES__MAX_ITEMS)
        c->g->feedback.count = LES__MAX_ITEMS;
}
