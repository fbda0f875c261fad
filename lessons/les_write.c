/* les_write.c: a lesson written back as YAML (les_lesson_write), for
 * tools that build or edit lessons (the simulator's authoring mode) and
 * must save a file that validates and reads back as the same lesson.
 *
 * The output is plain and stable: keys in the order docs/lessons.md lists
 * them, mappings in block style, points and short lists in flow style,
 * text double-quoted with escapes, numbers in the shortest form that reads
 * back to the same double. Points are written as chart points [u, v] (3D
 * points were projected when the lesson was read). Keys at their default
 * (an absent `client:`, a first session, practice mode) are left out.
 *
 * Threads: reentrant.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "les_internal.h"
#include "les_rubric.h"

typedef struct les__w {
    FILE *out;
} les__w;

/* The shortest decimal that reads back to v, '.' whatever the locale. */
static void les__w_num(les__w *w, double v)
{
    char buf[40];
    if (v == floor(v) && fabs(v) < 9007199254740992.0) {
        les__format_canonical(buf, sizeof buf, v); /* 60, not 6e+01 */
        fputs(buf, w->out);
        return;
    }
    for (int digits = 1; digits <= 17; digits++) {
        les__format_double(buf, sizeof buf, "%.*g", digits, v);
        double back;
        if (les__parse_number(buf, strlen(buf), &back) && back == v)
            break;
    }
    fputs(buf, w->out);
}

/* A double-quoted YAML string with escapes. */
static void les__w_text(les__w *w, const char *s)
{
    fputc('"', w->out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(w->out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", w->out);
        else if (*p == '\t')
            fputs("\\t", w->out);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(w->out, "\\x%02x", *p);
        else
            fputc(*p, w->out);
    }
    fputc('"', w->out);
}

static void les__w_key_text(les__w *w, const char *indent, const char *key, const char *s)
{
    if (!s)
        return;
    fprintf(w->out, "%s%s: ", indent, key);
    les__w_text(w, s);
    fputc('\n', w->out);
}

static void les__w_key_num(les__w *w, const char *indent, const char *key, double v)
{
    fprintf(w->out, "%s%s: ", indent, key);
    les__w_num(w, v);
    fputc('\n', w->out);
}

static void les__w_point(les__w *w, sim_vec2 p)
{
    fputc('[', w->out);
    les__w_num(w, p.x);
    fputs(", ", w->out);
    les__w_num(w, p.y);
    fputc(']', w->out);
}

/* key: [[u, v], ...], four points a line (indent may end in "- "). */
static void les__w_points(les__w *w, const char *indent, const char *key, const sim_vec2 *pts,
                          size_t n)
{
    fprintf(w->out, "%s%s: [", indent, key);
    /* continuation lines start under the first point */
    int under = (int)(strlen(indent) + strlen(key) + 3);
    for (size_t i = 0; i < n; i++) {
        if (i && i % 4 == 0)
            fprintf(w->out, ",\n%*s", under, "");
        else if (i)
            fputs(", ", w->out);
        les__w_point(w, pts[i]);
    }
    fputs("]\n", w->out);
}

/* ------------------------------------------------------------------------ */
/* Parts                                                                    */
/* ------------------------------------------------------------------------ */

static void les__w_surface(les__w *w, const les_lesson *l)
{
    fputs("surface:\n", w->out);
    if (l->surface.kind == SIM_SURFACE_PAD) {
        fputs("  type: pad\n", w->out);
        les__w_key_num(w, "  ", "width_mm", l->surface.width_mm);
        les__w_key_num(w, "  ", "height_mm", l->surface.height_mm);
        return;
    }
    fputs("  type: head\n", w->out);
    if (l->surface.head.face_cells)
        fprintf(w->out, "  resolution: %u\n", l->surface.head.face_cells);
    les__w_key_text(w, "  ", "mesh", l->mesh.path);
    if (l->mesh.path && l->mesh.unit_mm != 1.0)
        les__w_key_num(w, "  ", "mesh_unit_mm", l->mesh.unit_mm);
    if (l->mesh.sha256)
        fprintf(w->out, "  mesh_sha256: %s\n", l->mesh.sha256);
}

static void les__w_layers(les__w *w, const char *indent, double epidermis, double dermis)
{
    if (epidermis > 0)
        les__w_key_num(w, indent, "epidermis_mm", epidermis);
    if (dermis > 0)
        les__w_key_num(w, indent, "dermis_mm", dermis);
}

static bool les__hair_given(const sim_hair_desc *h)
{
    const double *c = h->colour_rgb;
    return h->norwood > 0 || h->patch_count || h->density_per_cm2 > 0 || h->calibre_mm > 0 ||
           h->length_mm > 0 || c[0] != 0 || c[1] != 0 || c[2] != 0 || h->whorl_given ||
           h->whorl_turn;
}

static void les__w_hair(les__w *w, const sim_hair_desc *h)
{
    const double *c = h->colour_rgb;
    bool colour = c[0] != 0 || c[1] != 0 || c[2] != 0;
    if (!les__hair_given(h))
        return;
    fputs("  hair:\n", w->out);
    if (h->norwood > 0)
        les__w_key_num(w, "    ", "norwood", h->norwood);
    if (h->norwood_later > 0) {
        fputs("    progression: {years: ", w->out);
        les__w_num(w, h->later_years > 0 ? h->later_years : 10.0);
        fputs(", norwood: ", w->out);
        les__w_num(w, h->norwood_later);
        fputs("}\n", w->out);
    }
    if (h->density_per_cm2 > 0)
        les__w_key_num(w, "    ", "density_per_cm2", h->density_per_cm2);
    if (h->calibre_mm > 0)
        les__w_key_num(w, "    ", "calibre_mm", h->calibre_mm);
    if (h->length_mm > 0)
        les__w_key_num(w, "    ", "length_mm", h->length_mm);
    if (colour) {
        fputs("    colour_rgb: [", w->out);
        for (int i = 0; i < 3; i++) {
            les__w_num(w, c[i]);
            fputs(i < 2 ? ", " : "]\n", w->out);
        }
    }
    if (h->whorl_given) {
        fputs("    whorl_mm: ", w->out);
        les__w_point(w, h->whorl_mm);
        fputc('\n', w->out);
    }
    if (h->whorl_turn)
        fprintf(w->out, "    whorl: %s\n", h->whorl_turn > 0 ? "clockwise" : "anticlockwise");
    if (h->patch_count)
        fputs("    patches:\n", w->out);
    for (size_t i = 0; i < h->patch_count; i++) {
        les__w_points(w, "      - ", "polygon_mm", h->patches[i].polygon,
                      h->patches[i].polygon_count);
        les__w_key_num(w, "        ", "density_per_cm2", h->patches[i].density_per_cm2);
    }
}

static void les__w_tissue(les__w *w, const sim_tissue_desc *t)
{
    if (!(t->fitzpatrick || t->epidermis_mm > 0 || t->dermis_mm > 0 || t->seed ||
          t->region_count || t->scar_count || les__hair_given(&t->hair)))
        return;
    fputs("tissue:\n", w->out);
    if (t->fitzpatrick)
        fprintf(w->out, "  fitzpatrick: %d\n", t->fitzpatrick);
    les__w_layers(w, "  ", t->epidermis_mm, t->dermis_mm);
    if (t->seed)
        fprintf(w->out, "  seed: %llu\n", (unsigned long long)t->seed);
    if (t->region_count)
        fputs("  regions:\n", w->out);
    for (size_t i = 0; i < t->region_count; i++) {
        const sim_tissue_region *r = &t->regions[i];
        if (r->polygon_count) {
            les__w_points(w, "    - ", "polygon_mm", r->polygon, r->polygon_count);
        } else {
            fputs("    - centre_mm: ", w->out);
            les__w_point(w, r->centre_mm);
            fputc('\n', w->out);
            les__w_key_num(w, "      ", "radius_mm", r->radius_mm);
        }
        les__w_layers(w, "      ", r->epidermis_mm, r->dermis_mm);
    }
    if (t->scar_count)
        fputs("  scars:\n", w->out);
    for (size_t i = 0; i < t->scar_count; i++) {
        const sim_scar *s = &t->scars[i];
        bool strip = s->kind == SIM_SCAR_STRIP;
        fprintf(w->out, "    - type: %s\n", strip ? "strip" : "punch");
        if (strip) {
            les__w_points(w, "      ", "polyline_mm", s->polyline, s->polyline_count);
        } else {
            fputs("      centre_mm: ", w->out);
            les__w_point(w, s->centre_mm);
            fputc('\n', w->out);
        }
        les__w_key_num(w, "      ", strip ? "width_mm" : "diameter_mm", s->width_mm);
        les__w_layers(w, "      ", s->epidermis_mm, s->dermis_mm);
        if (s->unevenness > 0)
            les__w_key_num(w, "      ", "unevenness", s->unevenness);
    }
    les__w_hair(w, &t->hair);
}

static void les__w_client(les__w *w, const les_client *c)
{
    if (!c->present)
        return;
    fputs("client:\n", w->out);
    les__w_key_text(w, "  ", "name", c->name);
    if (c->age_years)
        fprintf(w->out, "  age_years: %d\n", c->age_years);
    les__w_key_text(w, "  ", "history", c->history);
    if (c->answer_count)
        fputs("  answers:\n", w->out);
    for (size_t i = 0; i < c->answer_count; i++) {
        les__w_key_text(w, "    - ", "question", c->answers[i].question);
        les__w_key_text(w, "      ", "answer", c->answers[i].answer);
    }
    if (c->condition_count) {
        fputs("  conditions: [", w->out);
        for (size_t i = 0; i < c->condition_count; i++)
            fprintf(w->out, "%s%s", i ? ", " : "", les_condition_name(c->conditions[i]));
        fputs("]\n", w->out);
    }
    fprintf(w->out, "  decision: %s\n", les_decision_name(c->decision));
    les__w_key_text(w, "  ", "rationale", c->rationale);
}

static void les__w_tools(les__w *w, const les_tools *t)
{
    if (!t->cartridge_count && !t->pigment_count)
        return;
    fputs("tools:\n", w->out);
    if (t->cartridge_count) {
        fputs("  cartridges: [", w->out);
        for (size_t i = 0; i < t->cartridge_count; i++)
            fprintf(w->out, "%s%s", i ? ", " : "", t->cartridges[i]->name);
        fputs("]\n", w->out);
    }
    if (t->pigment_count)
        fputs("  pigments:\n", w->out);
    for (size_t i = 0; i < t->pigment_count; i++) {
        fprintf(w->out, "    - {name: %s, dilution_percent: ", t->pigments[i].name);
        les__w_num(w, t->pigments[i].dilution_percent);
        fputs("}\n", w->out);
    }
}

static void les__w_zones(les__w *w, const les_lesson *l)
{
    fputs("zones:\n", w->out);
    for (size_t i = 0; i < l->zone_count; i++) {
        const les_zone *z = &l->zones[i];
        les__w_key_text(w, "  - ", "name", z->name);
        if (z->kind == LES_ZONE_FORBIDDEN)
            fputs("    kind: forbidden\n", w->out);
        les__w_points(w, "    ", "polygon_mm", z->polygon, z->polygon_count);
        if (z->kind == LES_ZONE_WORK) {
            les__w_key_num(w, "    ", "density_per_cm2", z->density_per_cm2);
            fputs("    depth_band_mm: [", w->out);
            les__w_num(w, z->depth_min_mm);
            fputs(", ", w->out);
            les__w_num(w, z->depth_max_mm);
            fputs("]\n", w->out);
            if (z->shade)
                fprintf(w->out, "    shade: %s\n", z->shade->name);
            if (z->cartridge)
                fprintf(w->out, "    cartridge: %s\n", z->cartridge->name);
        }
        les__w_key_text(w, "    ", "note", z->note);
    }
}

static void les__w_session(les__w *w, const les_session *s)
{
    if (s->number <= 1 && !s->planned && !s->days_since_previous && !s->previous_impressions)
        return;
    fputs("session:\n", w->out);
    fprintf(w->out, "  number: %d\n", s->number);
    if (s->planned)
        fprintf(w->out, "  planned: %d\n", s->planned);
    if (s->days_since_previous > 0)
        les__w_key_num(w, "  ", "days_since_previous", s->days_since_previous);
    les__w_key_text(w, "  ", "previous_impressions", s->previous_impressions);
    if (s->previous_sha256)
        fprintf(w->out, "  previous_sha256: %s\n", s->previous_sha256);
}

/* ------------------------------------------------------------------------ */
/* The rubric (les_rubric.h, docs/grading.md): what differs from defaults    */
/* ------------------------------------------------------------------------ */

typedef struct les__w_field {
    const char *group;       /* the mapping under rubric: */
    const char *key;
    size_t offset;           /* into les_rubric */
    bool band;               /* a les_band, else a double */
} les__w_field;

#define LES__WR(g, k, m, b) {(g), (k), offsetof(les_rubric, m), (b)}
static const les__w_field les__rubric_fields[] = {
    LES__WR("weights", "depth", weight_depth, false),
    LES__WR("weights", "density", weight_density, false),
    LES__WR("weights", "spacing", weight_spacing, false),
    LES__WR("weights", "hairline", weight_hairline, false),
    LES__WR("weights", "technique", weight_technique, false),
    LES__WR("weights", "safety", weight_safety, false),
    LES__WR("thresholds", "depth", threshold[LES_METRIC_DEPTH], false),
    LES__WR("thresholds", "density", threshold[LES_METRIC_DENSITY], false),
    LES__WR("thresholds", "spacing", threshold[LES_METRIC_SPACING], false),
    LES__WR("thresholds", "hairline", threshold[LES_METRIC_HAIRLINE], false),
    LES__WR("thresholds", "technique", threshold[LES_METRIC_TECHNIQUE], false),
    LES__WR("thresholds", "safety", threshold[LES_METRIC_SAFETY], false),
    LES__WR("density", "tolerance", density_tolerance, false),
    LES__WR("spacing", "clark_evans", spacing.clark_evans, true),
    LES__WR("spacing", "nn_cv", spacing.nn_cv, true),
    LES__WR("spacing", "orientational_order", spacing.orientational_order, true),
    LES__WR("spacing", "clumping", spacing.clumping, true),
    LES__WR("spacing", "overlap_share", spacing.overlap_share, true),
    LES__WR("spacing", "gap", spacing.gap, true),
    LES__WR("hairline", "deviation_mm", hairline.deviation_mm, true),
    LES__WR("hairline", "max_deviation_mm", hairline.max_deviation_mm, true),
    LES__WR("hairline", "symmetry_mm", hairline.symmetry_mm, true),
    LES__WR("hairline", "softness_mm", hairline.softness_mm, true),
    LES__WR("hairline", "irregularity_mm", hairline.irregularity_mm, true),
    LES__WR("hairline", "temple_mm", hairline.temple_mm, true),
    LES__WR("hairline", "corridor_mm", hairline.corridor_mm, false),
    LES__WR("hairline", "bin_mm", hairline.bin_mm, false),
    LES__WR("hairline", "smoothing_mm", hairline.smoothing_mm, false),
    LES__WR("technique", "angle_deg", technique.angle_deg, true),
    LES__WR("technique", "dwell_s", technique.dwell_s, true),
    LES__WR("technique", "drag_mm", technique.drag_mm, true),
    LES__WR("technique", "pace_per_min", technique.pace_per_min, true),
    LES__WR("safety", "penalty", safety_penalty, false),
    LES__WR("", "heatmap_cell_mm", heatmap_cell_mm, false),
};
#undef LES__WR

static void les__w_rubric(les__w *w, const les_rubric *r)
{
    les_rubric def;
    les_rubric_defaults(&def);
    fputs("rubric:\n", w->out);
    les__w_key_num(w, "  ", "pass_mark", r->pass_mark);
    const char *open = NULL; /* the group whose mapping is open */
    size_t n = sizeof les__rubric_fields / sizeof les__rubric_fields[0];
    for (size_t i = 0; i < n; i++) {
        const les__w_field *f = &les__rubric_fields[i];
        const char *a = (const char *)r + f->offset, *b = (const char *)&def + f->offset;
        if (memcmp(a, b, f->band ? sizeof(les_band) : sizeof(double)) == 0)
            continue;
        if (f->group[0] && (!open || strcmp(open, f->group) != 0))
            fprintf(w->out, "  %s:\n", f->group);
        open = f->group;
        fprintf(w->out, "%s%s: ", f->group[0] ? "    " : "  ", f->key);
        if (f->band) {
            les_band band;
            memcpy(&band, a, sizeof band);
            fputc('[', w->out);
            les__w_num(w, band.lo);
            fputs(", ", w->out);
            les__w_num(w, band.hi);
            fputs(", ", w->out);
            les__w_num(w, band.falloff);
            fputs("]\n", w->out);
        } else {
            double v;
            memcpy(&v, a, sizeof v);
            les__w_num(w, v);
            fputc('\n', w->out);
        }
    }
    if (r->must_pass != def.must_pass) {
        fputs("  must_pass: [", w->out);
        for (int m = 0, k = 0; m < LES_METRIC_COUNT; m++)
            if (r->must_pass & (1u << m))
                fprintf(w->out, "%s%s", k++ ? ", " : "", les_metric_name((les_metric)m));
        fputs("]\n", w->out);
    }
}

les_result les_lesson_write(const les_lesson *l, FILE *out)
{
    if (!l || !out || !l->id || !l->zones)
        return LES_ERR_ARG;
    les__w w = {out};
    fprintf(out, "stipple_lesson: %d\nid: %s\n", LES_FORMAT_VERSION, l->id);
    les__w_key_text(&w, "", "title", l->title);
    fprintf(out, "version: %d\n", l->version);
    les__w_key_text(&w, "", "author", l->author);
    les__w_key_text(&w, "", "description", l->description);
    if (l->level != LES_LEVEL_UNSET)
        fprintf(out, "level: %s\n", les_level_name(l->level));
    les__w_surface(&w, l);
    les__w_tissue(&w, &l->tissue);
    les__w_client(&w, &l->client);
    les__w_tools(&w, &l->tools);
    les__w_zones(&w, l);
    if (l->hairline) {
        fputs("hairline:\n", out);
        les__w_points(&w, "  ", "polyline_mm", l->hairline, l->hairline_count);
        if (l->temple_point_count)
            les__w_points(&w, "  ", "temple_points_mm", l->temple_points,
                          l->temple_point_count);
    }
    les__w_session(&w, &l->session);
    les__w_rubric(&w, &l->rubric);
    if (l->mode == LES_MODE_EXAM)
        fputs("mode: exam\n", out);
    if (l->time_limit_s > 0)
        les__w_key_num(&w, "", "time_limit_min", l->time_limit_s / 60.0);
    if (l->hint_count)
        fputs("hints:\n", out);
    for (size_t i = 0; i < l->hint_count; i++) {
        fputs("  - ", out);
        les__w_text(&w, l->hints[i]);
        fputc('\n', out);
    }
    return ferror(out) ? LES_ERR_IO : LES_OK;
}
