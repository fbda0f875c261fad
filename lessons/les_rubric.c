/* les_rubric.c: the lesson's `rubric:` mapping (les_rubric.h): pass mark,
 * weights, per-metric thresholds, must-pass metrics, and each metric's
 * bands; the defaults; band scoring. Its schema is applied by les_lesson.c
 * to the `rubric` key. docs/grading.md documents every key.
 *
 * Threads: reentrant; the tables are const.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "les_parts.h"

static const char *const les__metric_names[LES_METRIC_COUNT] = {
    "depth", "density", "spacing", "hairline", "technique", "safety",
};

const char *les_metric_name(les_metric m)
{
    return (unsigned)m < LES_METRIC_COUNT ? les__metric_names[m] : "unknown";
}

double les_parts_score(const double *part, size_t count)
{
    double log_sum = 0.0;
    size_t used = 0;
    for (size_t i = 0; i < count; i++) {
        if (isnan(part[i]))
            continue;
        if (part[i] <= 0.0)
            return 0.0;
        log_sum += log(part[i] / 100.0);
        used++;
    }
    return used ? 100.0 * exp(log_sum / (double)used) : NAN;
}

static les_band les__band(double lo, double hi, double falloff)
{
    les_band b = {lo, hi, falloff};
    return b;
}

void les_rubric_defaults(les_rubric *r)
{
    memset(r, 0, sizeof *r);
    r->weight_depth = r->weight_density = r->weight_spacing = 1.0;
    r->weight_hairline = r->weight_technique = 1.0;
    r->weight_safety = 0.0;
    for (int m = 0; m < LES_METRIC_COUNT; m++)
        r->threshold[m] = 50.0;
    r->threshold[LES_METRIC_SAFETY] = 100.0;
    r->must_pass = 1u << LES_METRIC_SAFETY;
    r->density_tolerance = 0.5;
    /* Spacing (FIDELITY.md "Scoring dot patterns"): even but irregular. */
    r->spacing.clark_evans = les__band(1.3, 2.0, 0.5);
    r->spacing.nn_cv = les__band(0.0, 0.35, 0.35);
    r->spacing.orientational_order = les__band(0.0, 0.35, 0.3);
    r->spacing.clumping = les__band(-3.0, 0.15, 0.35);
    r->spacing.overlap_share = les__band(0.0, 0.02, 0.3);
    r->spacing.gap = les__band(0.0, 3.5, 3.0);
    /* Hairline (FIDELITY.md "Hairline and hair geometry"): a 5-10 mm
     * transition, irregular but never a zig-zag. */
    r->hairline.deviation_mm = les__band(0.0, 2.0, 4.0);
    r->hairline.max_deviation_mm = les__band(0.0, 5.0, 5.0);
    r->hairline.symmetry_mm = les__band(0.0, 2.0, 4.0);
    r->hairline.softness_mm = les__band(5.0, 10.0, 4.0);
    r->hairline.irregularity_mm = les__band(1.0, 2.5, 0.8);
    r->hairline.temple_mm = les__band(0.0, 3.0, 5.0);
    r->hairline.corridor_mm = 20.0;
    r->hairline.bin_mm = 0.0;
    r->hairline.smoothing_mm = 30.0;
    r->technique.angle_deg = les__band(0.0, 15.0, 15.0);
    r->technique.dwell_s = les__band(0.03, 0.8, 0.5);
    r->technique.drag_mm = les__band(0.0, 0.3, 0.5);
    r->technique.pace_per_min = les__band(20.0, 240.0, 60.0);
    r->safety_penalty = 25.0;
    r->heatmap_cell_mm = 0.0;
}

double les_rubric_weight(const les_rubric *r, les_metric m)
{
    switch (m) {
    case LES_METRIC_DEPTH: return r->weight_depth;
    case LES_METRIC_DENSITY: return r->weight_density;
    case LES_METRIC_SPACING: return r->weight_spacing;
    case LES_METRIC_HAIRLINE: return r->weight_hairline;
    case LES_METRIC_TECHNIQUE: return r->weight_technique;
    case LES_METRIC_SAFETY: return r->weight_safety;
    default: return 0.0;
    }
}

/* ------------------------------------------------------------------------ */
/* Bands and lists                                                          */
/* ------------------------------------------------------------------------ */

/* A band: [lo, hi] or [lo, hi, falloff], lo and hi within [key->min,
 * key->max], lo <= hi, falloff >= 0. */
static void les__band_key(les__sctx *c, const les__key *key, const les__node *value,
                          void *field, const char *path)
{
    (void)path;
    char expected[160], range[96];
    les__expected_text(range, sizeof range, LES__K_NUMBER, key->min, key->max, key->unit);
    const char *between = range;
    if (strncmp(between, "a number ", 9) == 0)
        between += 9;
    snprintf(expected, sizeof expected, "[lo, hi] or [lo, hi, falloff] with lo and hi %s",
             between);
    if (value->kind != LES__SEQ || value->count < 2 || value->count > 3) {
        les__expect_error(c, value, key->name, expected);
        return;
    }
    les_band b = *(les_band *)field;
    bool ok = les__take_number(c, value->items[0], key->name, key->min, key->max,
                               key->unit, &b.lo);
    ok = les__take_number(c, value->items[1], key->name, key->min, key->max, key->unit,
                          &b.hi) && ok;
    if (value->count == 3)
        ok = les__take_number(c, value->items[2], key->name, 0, key->max - key->min,
                              key->unit, &b.falloff) && ok;
    if (!ok)
        return;
    if (b.lo > b.hi) {
        les_diags_add(c->diags, LES_ERROR, value->pos.line, value->pos.column,
                      "`%s` must be [lo, hi] with lo <= hi, got [%s, %s]", key->name,
                      value->items[0]->text, value->items[1]->text);
        return;
    }
    *(les_band *)field = b;
}

/* must_pass: a list of metric names, each at most once. */
static void les__must_pass_key(les__sctx *c, const les__key *key, const les__node *value,
                               void *field, const char *path)
{
    (void)path;
    if (value->kind != LES__SEQ) {
        les__expect_error(c, value, key->name,
                          "a list of metrics (depth, density, spacing, hairline, "
                          "technique, safety)");
        return;
    }
    uint32_t mask = 0;
    bool ok = true;
    for (size_t i = 0; i < value->count; i++) {
        const les__node *n = value->items[i];
        int found = -1;
        for (int m = 0; m < LES_METRIC_COUNT && n->kind == LES__SCALAR; m++)
            if (les__scalar_is(n, les__metric_names[m]))
                found = m;
        if (found >= 0 && (mask & (1u << found))) {
            les_diags_add(c->diags, LES_ERROR, n->pos.line, n->pos.column,
                          "`%s` names `%s` twice", key->name, les__metric_names[found]);
            ok = false;
            continue;
        }
        if (found >= 0) {
            mask |= 1u << found;
            continue;
        }
        char got[128];
        const char *hint = n->kind == LES__SCALAR
                               ? les__suggest(n->text, n->len, les__metric_names,
                                              LES_METRIC_COUNT, sizeof les__metric_names[0])
                               : NULL;
        les_diags_add(c->diags, LES_ERROR, n->pos.line, n->pos.column,
                      "`%s` lists metrics (depth, density, spacing, hairline, technique, "
                      "safety), got %s%s%s%s", key->name, les__describe(n, got, sizeof got),
                      hint ? "; did you mean `" : "", hint ? hint : "", hint ? "`?" : "");
        ok = false;
    }
    if (ok)
        *(uint32_t *)field = mask;
}

/* ------------------------------------------------------------------------ */
/* Tables                                                                   */
/* ------------------------------------------------------------------------ */

#define LES__R(member) offsetof(les_rubric, member)
#define LES__NUM(key, member, lo, hi, u)                                      \
    {.name = (key), .type = LES__K_NUMBER, .min = (lo), .max = (hi),          \
     .unit = (u), .offset = LES__R(member)}
#define LES__BAND(key, member, lo, hi, u)                                     \
    {.name = (key), .type = LES__K_CUSTOM, .min = (lo), .max = (hi),          \
     .unit = (u), .offset = LES__R(member), .custom = les__band_key}

static const les__key les__weight_keys[] = {
    LES__NUM("depth", weight_depth, 0, 100, NULL),
    LES__NUM("density", weight_density, 0, 100, NULL),
    LES__NUM("spacing", weight_spacing, 0, 100, NULL),
    LES__NUM("hairline", weight_hairline, 0, 100, NULL),
    LES__NUM("technique", weight_technique, 0, 100, NULL),
    LES__NUM("safety", weight_safety, 0, 100, NULL),
};
static const les__schema les__weight_schema = LES__SCHEMA(les__weight_keys);

static void les__weights_key(les__sctx *c, const les__key *key, const les__node *value,
                             void *field, const char *path)
{
    les_rubric *rubric = field;
    char sub[64];
    snprintf(sub, sizeof sub, "%s.%s", path, key->name);
    les__schema_apply(c, &les__weight_schema, value, rubric, sub);
    double sum = 0.0;
    for (int m = 0; m < LES_METRIC_COUNT; m++)
        sum += les_rubric_weight(rubric, (les_metric)m);
    if (value->kind == LES__MAP && sum == 0.0)
        les_diags_add(c->diags, LES_ERROR, value->pos.line, value->pos.column,
                      "`weights` must not all be zero");
}

static const les__key les__threshold_keys[] = {
    LES__NUM("depth", threshold[LES_METRIC_DEPTH], 0, 100, NULL),
    LES__NUM("density", threshold[LES_METRIC_DENSITY], 0, 100, NULL),
    LES__NUM("spacing", threshold[LES_METRIC_SPACING], 0, 100, NULL),
    LES__NUM("hairline", threshold[LES_METRIC_HAIRLINE], 0, 100, NULL),
    LES__NUM("technique", threshold[LES_METRIC_TECHNIQUE], 0, 100, NULL),
    LES__NUM("safety", threshold[LES_METRIC_SAFETY], 0, 100, NULL),
};
static const les__schema les__threshold_schema = LES__SCHEMA(les__threshold_keys);

static const les__key les__density_keys[] = {
    LES__NUM("tolerance", density_tolerance, 0.01, 10, NULL),
};
static const les__schema les__density_schema = LES__SCHEMA(les__density_keys);

static const les__key les__spacing_keys[] = {
    LES__BAND("clark_evans", spacing.clark_evans, 0, 3, NULL),
    LES__BAND("nn_cv", spacing.nn_cv, 0, 3, NULL),
    LES__BAND("orientational_order", spacing.orientational_order, 0, 1, NULL),
    LES__BAND("clumping", spacing.clumping, -3, 10, "spacings"),
    LES__BAND("overlap_share", spacing.overlap_share, 0, 1, NULL),
    LES__BAND("gap", spacing.gap, 0, 100, "spacings"),
};
static const les__schema les__spacing_schema = LES__SCHEMA(les__spacing_keys);

static const les__key les__hairline_keys[] = {
    LES__BAND("deviation_mm", hairline.deviation_mm, 0, 100, "mm"),
    LES__BAND("max_deviation_mm", hairline.max_deviation_mm, 0, 100, "mm"),
    LES__BAND("symmetry_mm", hairline.symmetry_mm, 0, 100, "mm"),
    LES__BAND("softness_mm", hairline.softness_mm, 0, 100, "mm"),
    LES__BAND("irregularity_mm", hairline.irregularity_mm, 0, 100, "mm"),
    LES__BAND("temple_mm", hairline.temple_mm, 0, 100, "mm"),
    LES__NUM("corridor_mm", hairline.corridor_mm, 5, 100, "mm"),
    LES__NUM("bin_mm", hairline.bin_mm, 0, 50, "mm"),
    LES__NUM("smoothing_mm", hairline.smoothing_mm, 5, 200, "mm"),
};
static const les__schema les__hairline_schema = LES__SCHEMA(les__hairline_keys);

static const les__key les__technique_keys[] = {
    LES__BAND("angle_deg", technique.angle_deg, 0, 90, "degrees"),
    LES__BAND("dwell_s", technique.dwell_s, 0, 60, "s"),
    LES__BAND("drag_mm", technique.drag_mm, 0, 10, "mm"),
    LES__BAND("pace_per_min", technique.pace_per_min, 0, 10000, "impressions/min"),
};
static const les__schema les__technique_schema = LES__SCHEMA(les__technique_keys);

static const les__key les__safety_keys[] = {
    LES__NUM("penalty", safety_penalty, 0, 100, "points per violation"),
};
static const les__schema les__safety_schema = LES__SCHEMA(les__safety_keys);

#define LES__SUB(key, schema)                                                 \
    {.name = (key), .type = LES__K_MAP, .offset = 0, .sub = &(schema)}

static const les__key les__rubric_keys[] = {
    {.name = "pass_mark", .type = LES__K_NUMBER, .required = true, .min = 0, .max = 100,
     .offset = offsetof(les_rubric, pass_mark)},
    {.name = "weights", .type = LES__K_CUSTOM, .custom = les__weights_key},
    LES__SUB("thresholds", les__threshold_schema),
    {.name = "must_pass", .type = LES__K_CUSTOM, .offset = LES__R(must_pass),
     .custom = les__must_pass_key},
    LES__SUB("density", les__density_schema),
    LES__SUB("spacing", les__spacing_schema),
    LES__SUB("hairline", les__hairline_schema),
    LES__SUB("technique", les__technique_schema),
    LES__SUB("safety", les__safety_schema),
    LES__NUM("heatmap_cell_mm", heatmap_cell_mm, 0, 100, "mm"),
};
const les__schema les__rubric_schema = LES__SCHEMA(les__rubric_keys);
