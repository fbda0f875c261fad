/* sim_tissue.c: the tissue map (sim_tissue.h): regional layer thicknesses,
 * scars with uneven uptake, native hair (Norwood pattern, patches, growth
 * direction, cover) and skin tone. Every constant below is listed with its
 * source in docs/fidelity.md.
 *
 * Threads: reentrant; a map is read-only after init.
 */
#include "sim_tissue.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */
/* ------------------------------------------------------------------------ */

/* Regional layers on a head (within FIDELITY.md's ranges: epidermis
 * 0.06-0.10 mm, scalp dermis from 2.1 mm): thinner at the temples, thicker
 * toward the occiput. */
#define TEMPLE_EPIDERMIS_MM 0.07
#define OCCIPUT_EPIDERMIS_MM 0.09
#define OCCIPUT_DERMIS_MM 2.6

/* A scar's edge blends into normal skin over this width; its uptake varies
 * over patches about this size (value-noise lattice). */
#define SCAR_EDGE_MM 0.5
#define SCAR_NOISE_CELL_MM 1.0

/* Native hair. */
#define HAIR_DENSITY_PER_CM2 200.0   /* 180-280 follicles/cm² */
#define HAIR_CALIBRE_MM 0.07         /* scalp hair 60-80 µm */
#define HAIR_LENGTH_MM 1.0           /* shaved stubble */
#define HAIR_LATER_YEARS 10.0
static const double HAIR_COLOUR_RGB[3] = {0.030, 0.020, 0.015};  /* dark brown */
/* Whorl: behind the top of the head, off-centre to the subject's right. */
#define WHORL_U_MM (-12.0)
#define WHORL_V_MM (-25.0)
#define WHORL_SWIRL 1.5              /* tangential / radial flow at the whorl */
#define WHORL_SWIRL_MM 30.0          /* the spiral fades over this distance */
/* Density ramps across a native hairline over this width (the 0.5-1 cm
 * transition zone). */
#define HAIR_TRANSITION_MM 10.0

/* The hair-bearing scalp's lower edge on the head chart: over the ears at
 * the sides, lower at the nape. */
#define SCALP_EDGE_SIDE_MM 150.0
#define SCALP_EDGE_NAPE_EXTRA_MM 45.0

/* Norwood stages on the default head's chart (a schematic of Norwood 1975):
 * v of the mid-frontal point, of the frontotemporal corner (|u| = 45 mm),
 * of the temporal fringe (|u| >= 90 mm), the vertex patch radius around the
 * whorl and the bald top's radius (type VII). Stage 1's mid-frontal point
 * lies 7 cm above the glabella on the skin (chart v 142 at the glabella). */
typedef struct norwood_row { double front_v, corner_v, fringe_v, vertex_r, top_r; } norwood_row;
static const norwood_row NORWOOD[7] = {
    {81, 74, 85, 0, 0},      /* I: juvenile hairline */
    {68, 45, 85, 0, 0},      /* II: mature, shallow temporal triangles */
    {60, 25, 80, 0, 0},      /* III: deep frontotemporal recession */
    {40, 12, 75, 30, 0},     /* IV: vertex thinning, a bridge between */
    {25, 0, 70, 42, 0},      /* V: narrower bridge */
    {-25, -30, 60, 55, 0},   /* VI: bridge gone */
    {-60, -60, 60, 70, 115}, /* VII: a horseshoe fringe only */
};
#define CORNER_U_MM 45.0
#define FRINGE_U_MM 90.0

/* Skin colour by Fitzpatrick type: the middle of each ITA° band (Chardon
 * 1991: very light > 55, light 41-55, intermediate 28-41, tan 10-28, brown
 * -30-10, dark < -30) at a* = 10, b* = 17. */
static const double ITA_DEG[6] = {62.0, 48.0, 34.5, 19.0, -10.0, -45.0};
#define SKIN_A_STAR 10.0
#define SKIN_B_STAR 17.0

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static double clamp01(double x) { return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x); }
static double lerp(double a, double b, double t) { return a + (b - a) * t; }
static double smooth01(double t)
{
    t = clamp01(t);
    return t * t * (3.0 - 2.0 * t);
}
static bool in_range(double x, double lo, double hi) { return x >= lo && x <= hi; }

/* A deterministic value in [0, 1) for lattice point (ix, iy) and seed. */
static double lattice_value(uint64_t seed, int64_t ix, int64_t iy)
{
    uint64_t h = seed ^ ((uint64_t)ix * 0x9E3779B97F4A7C15ULL) ^
                 ((uint64_t)iy * 0xC2B2AE3D27D4EB4FULL);
    sim_rng rng;
    sim_rng_seed(&rng, h, 0x5CA5u);
    return sim_rng_unit(&rng);
}

/* Bilinear value noise in [0, 1). */
static double value_noise(uint64_t seed, sim_vec2 uv, double cell_mm)
{
    double x = uv.x / cell_mm, y = uv.y / cell_mm;
    double fx = floor(x), fy = floor(y);
    int64_t ix = (int64_t)fx, iy = (int64_t)fy;
    double tx = smooth01(x - fx), ty = smooth01(y - fy);
    double a = lattice_value(seed, ix, iy), b = lattice_value(seed, ix + 1, iy);
    double c = lattice_value(seed, ix, iy + 1), d = lattice_value(seed, ix + 1, iy + 1);
    return lerp(lerp(a, b, tx), lerp(c, d, tx), ty);
}

/* ------------------------------------------------------------------------ */
/* Description                                                              */
/* ------------------------------------------------------------------------ */

sim_tissue_desc sim_tissue_desc_resolve(sim_tissue_desc d)
{
    if (d.fitzpatrick == 0)
        d.fitzpatrick = 3;
    sim_hair_desc *h = &d.hair;
    if (h->norwood_later == 0.0)
        h->norwood_later = h->norwood;
    if (h->later_years == 0.0)
        h->later_years = HAIR_LATER_YEARS;
    if (h->density_per_cm2 == 0.0)
        h->density_per_cm2 = HAIR_DENSITY_PER_CM2;
    if (h->calibre_mm == 0.0)
        h->calibre_mm = HAIR_CALIBRE_MM;
    if (h->length_mm == 0.0)
        h->length_mm = HAIR_LENGTH_MM;
    if (h->colour_rgb[0] == 0.0 && h->colour_rgb[1] == 0.0 && h->colour_rgb[2] == 0.0)
        memcpy(h->colour_rgb, HAIR_COLOUR_RGB, sizeof h->colour_rgb);
    if (!h->whorl_given)
        h->whorl_mm = sim_v2(WHORL_U_MM, WHORL_V_MM);
    if (h->whorl_turn == 0)
        h->whorl_turn = 1;
    return d;
}

void sim_tissue_init_default(sim_tissue *tissue, sim_surface_kind kind)
{
    memset(tissue, 0, sizeof *tissue);
    tissue->kind = kind;
    tissue->desc = sim_tissue_desc_resolve((sim_tissue_desc){0});
}

static sim_result check_layers(double epi, double derm, const char *what, sim_error *err)
{
    if (epi != 0.0 && !in_range(epi, 0.02, 0.5))
        return sim_error_set(err, SIM_ERR_RANGE, NULL, 0, 0,
                             "%s: epidermis_mm must be between 0.02 and 0.5 mm", what);
    if (derm != 0.0 && !in_range(derm, 0.3, 6.0))
        return sim_error_set(err, SIM_ERR_RANGE, NULL, 0, 0,
                             "%s: dermis_mm must be between 0.3 and 6 mm", what);
    return SIM_OK;
}

static sim_result check_scar(const sim_scar *s, size_t i, sim_error *err)
{
    char what[32];
    snprintf(what, sizeof what, "scar %zu", i);
    if (s->kind != SIM_SCAR_STRIP && s->kind != SIM_SCAR_PUNCH)
        return sim_error_set(err, SIM_ERR_ARG, NULL, 0, 0, "%s: unknown kind", what);
    if (s->kind == SIM_SCAR_STRIP && (!s->polyline || s->polyline_count < 2))
        return sim_error_set(err, SIM_ERR_ARG, NULL, 0, 0, "%s: a strip needs 2 or more points", what);
    if (!in_range(s->width_mm, 0.05, 50.0))
        return sim_error_set(err, SIM_ERR_RANGE, NULL, 0, 0,
                             "%s: width_mm must be between 0.05 and 50 mm", what);
    if (!in_range(s->unevenness, 0.0, 1.0))
        return sim_error_set(err, SIM_ERR_RANGE, NULL, 0, 0,
                             "%s: unevenness must be between 0 and 1", what);
    return check_layers(s->epidermis_mm, s->dermis_mm, what, err);
}

static sim_result check_hair(const sim_hair_desc *h, sim_error *err)
{
    if (!(h->norwood == 0.0 || in_range(h->norwood, 1.0, 7.0)) ||
        !(h->norwood_later == 0.0 || in_range(h->norwood_later, 1.0, 7.0)))
        return sim_error_set(err, SIM_ERR_RANGE, NULL, 0, 0,
                             "hair: a Norwood stage must be between 1 and 7");
    if (!in_range(h->later_years, 0.0, 100.0) || !in_range(h->density_per_cm2, 0.0, 1000.0) ||
        !in_range(h->calibre_mm, 0.0, 0.3) || !in_range(h->length_mm, 0.0, 1000.0) ||
        h->whorl_turn < -1 || h->whorl_turn > 1)
        return sim_error_set(err, SIM_ERR_RANGE, NULL, 0, 0, "hair: a value is out of range");
    for (int c = 0; c < 3; c++)
        if (!in_range(h->colour_rgb[c], 0.0, 1.0))
            return sim_error_set(err, SIM_ERR_RANGE, NULL, 0, 0,
                                 "hair: colour_rgb must be in [0, 1]");
    if (!isfinite(h->whorl_mm.x) || !isfinite(h->whorl_mm.y))
        return sim_error_set(err, SIM_ERR_RANGE, NULL, 0, 0, "hair: whorl_mm must be finite");
    if (h->patch_count && !h->patches)
        return sim_error_set(err, SIM_ERR_ARG, NULL, 0, 0, "hair: patches missing");
    for (size_t i = 0; i < h->patch_count; i++)
        if (!h->patches[i].polygon || h->patches[i].polygon_count < 3 ||
            !in_range(h->patches[i].density_per_cm2, 0.0, 1000.0))
            return sim_error_set(err, SIM_ERR_ARG, NULL, 0, 0,
                                 "hair patch %zu: needs 3 or more points and a density of 0 to 1000/cm²", i);
    return SIM_OK;
}

static sim_result check_desc(const sim_tissue_desc *d, sim_error *err)
{
    if (d->fitzpatrick < 0 || d->fitzpatrick > 6)
        return sim_error_set(err, SIM_ERR_RANGE, NULL, 0, 0,
                             "fitzpatrick must be a skin type from 1 to 6");
    sim_result r = check_layers(d->epidermis_mm, d->dermis_mm, "skin", err);
    if (r != SIM_OK)
        return r;
    if ((d->region_count && !d->regions) || (d->scar_count && !d->scars))
        return sim_error_set(err, SIM_ERR_ARG, NULL, 0, 0, "regions or scars missing");
    for (size_t i = 0; i < d->region_count; i++) {
        const sim_tissue_region *g = &d->regions[i];
        char what[32];
        snprintf(what, sizeof what, "region %zu", i);
        bool shape = g->polygon_count ? (g->polygon && g->polygon_count >= 3)
                                      : in_range(g->radius_mm, 1e-6, 1e4);
        if (!shape)
            return sim_error_set(err, SIM_ERR_ARG, NULL, 0, 0,
                                 "%s: needs a polygon of 3 or more points or a radius", what);
        if ((r = check_layers(g->epidermis_mm, g->dermis_mm, what, err)) != SIM_OK)
            return r;
    }
    for (size_t i = 0; i < d->scar_count; i++)
        if ((r = check_scar(&d->scars[i], i, err)) != SIM_OK)
            return r;
    return check_hair(&d->hair, err);
}

sim_result sim_tissue_init(sim_tissue *tissue, const sim_tissue_desc *desc,
                           sim_surface_kind kind, sim_error *err)
{
    sim_tissue_init_default(tissue, kind);
    if (!desc)
        return SIM_OK;
    sim_result r = check_desc(desc, err);
    if (r != SIM_OK)
        return r;
    tissue->desc = sim_tissue_desc_resolve(*desc);
    return SIM_OK;
}

/* ------------------------------------------------------------------------ */
/* Layers and scars                                                         */
/* ------------------------------------------------------------------------ */

static void regional_layers(const sim_tissue *t, sim_vec2 uv, double *epi, double *derm)
{
    *epi = SIM_TISSUE_REF_EPIDERMIS_MM;
    *derm = SIM_TISSUE_REF_DERMIS_MM;
    if (t->kind != SIM_SURFACE_HEAD)
        return;
    double occiput = smooth01((-uv.y - 60.0) / 60.0);
    double temple = smooth01((fabs(uv.x) - 60.0) / 40.0) * smooth01(uv.y / 40.0);
    *epi = lerp(lerp(*epi, OCCIPUT_EPIDERMIS_MM, occiput), TEMPLE_EPIDERMIS_MM, temple);
    *derm = lerp(*derm, OCCIPUT_DERMIS_MM, occiput);
}

static bool region_contains(const sim_tissue_region *g, sim_vec2 uv)
{
    if (g->polygon_count)
        return sim_polygon_contains(g->polygon, g->polygon_count, uv);
    return sim_v2_len(sim_v2_sub(uv, g->centre_mm)) <= g->radius_mm;
}

/* 1 inside the scar, falling to 0 over SCAR_EDGE_MM outside it. */
static double scar_strength(const sim_scar *s, sim_vec2 uv)
{
    double dist = s->kind == SIM_SCAR_STRIP
                      ? sim_polyline_distance(s->polyline, s->polyline_count, false, uv)
                      : sim_v2_len(sim_v2_sub(uv, s->centre_mm));
    return 1.0 - clamp01((dist - 0.5 * s->width_mm) / SCAR_EDGE_MM);
}

static void scar_at(const sim_tissue *t, sim_vec2 uv, double *epi, double *derm,
                    sim_tissue_sample *out)
{
    const sim_tissue_desc *d = &t->desc;
    const sim_scar *best = NULL;
    double strength = 0.0;
    for (size_t i = 0; i < d->scar_count; i++) {
        double s = scar_strength(&d->scars[i], uv);
        if (s > strength) {
            strength = s;
            best = &d->scars[i];
        }
    }
    out->scar = strength;
    out->uptake = 1.0;
    out->spread = 1.0;
    if (!best)
        return;
    double scar_epi = best->epidermis_mm > 0 ? best->epidermis_mm : SIM_SCAR_EPIDERMIS_MM;
    double scar_derm = best->dermis_mm > 0 ? best->dermis_mm : SIM_SCAR_DERMIS_MM;
    double uneven = best->unevenness > 0 ? best->unevenness : SIM_SCAR_UNEVENNESS;
    *epi = lerp(*epi, scar_epi, strength);
    *derm = lerp(*derm, scar_derm, strength);
    out->uptake = 1.0 - uneven * strength * value_noise(d->seed, uv, SCAR_NOISE_CELL_MM);
    out->spread = 1.0 + (SIM_SCAR_SPREAD - 1.0) * strength;
}

/* ------------------------------------------------------------------------ */
/* Hair                                                                     */
/* ------------------------------------------------------------------------ */

static norwood_row norwood_row_at(double stage)
{
    double s = stage < 1.0 ? 1.0 : (stage > 7.0 ? 7.0 : stage);
    int i = (int)floor(s) - 1;
    if (i >= 6)
        return NORWOOD[6];
    double f = s - floor(s);
    const norwood_row *a = &NORWOOD[i], *b = &NORWOOD[i + 1];
    norwood_row r = {lerp(a->front_v, b->front_v, f), lerp(a->corner_v, b->corner_v, f),
                     lerp(a->fringe_v, b->fringe_v, f), lerp(a->vertex_r, b->vertex_r, f),
                     lerp(a->top_r, b->top_r, f)};
    return r;
}

double sim_tissue_frontal_line_v(double u_mm, double norwood)
{
    norwood_row r = norwood_row_at(norwood);
    double au = fabs(u_mm);
    if (au <= CORNER_U_MM) {
        double t = 0.5 - 0.5 * cos(SIM_PI * au / CORNER_U_MM);
        return lerp(r.front_v, r.corner_v, t);
    }
    return lerp(r.corner_v, r.fringe_v, smooth01((au - CORNER_U_MM) / (FRINGE_U_MM - CORNER_U_MM)));
}

double sim_tissue_scalp_edge_distance(sim_vec2 uv)
{
    double rho = sim_v2_len(uv);
    double back = uv.y < 0 && rho > 0 ? -uv.y / rho : 0.0;
    return rho - (SCALP_EDGE_SIDE_MM + SCALP_EDGE_NAPE_EXTRA_MM * back);
}

/* Share of full density of the Norwood pattern at uv (head chart). */
static double norwood_mask(const sim_tissue *t, sim_vec2 uv, double stage)
{
    norwood_row r = norwood_row_at(stage);
    double rho = sim_v2_len(uv);
    double m = clamp01(0.5 - sim_tissue_scalp_edge_distance(uv) / HAIR_TRANSITION_MM);
    m *= clamp01(0.5 + (sim_tissue_frontal_line_v(uv.x, stage) - uv.y) / HAIR_TRANSITION_MM);
    if (r.vertex_r > 0) {
        double dw = sim_v2_len(sim_v2_sub(uv, t->desc.hair.whorl_mm));
        m *= clamp01(0.5 + (dw - r.vertex_r) / HAIR_TRANSITION_MM);
    }
    if (r.top_r > 0)
        m *= clamp01(0.5 + (rho - r.top_r) / HAIR_TRANSITION_MM);
    return m;
}

double sim_tissue_hair_at(const sim_tissue *t, sim_vec2 uv, double norwood)
{
    const sim_hair_desc *h = &t->desc.hair;
    for (size_t i = h->patch_count; i-- > 0;)
        if (sim_polygon_contains(h->patches[i].polygon, h->patches[i].polygon_count, uv))
            return h->patches[i].density_per_cm2;
    if (t->kind != SIM_SURFACE_HEAD || norwood < 1.0)
        return 0.0;
    return h->density_per_cm2 * norwood_mask(t, uv, norwood);
}

double sim_tissue_hair_cover(const sim_tissue *t, double hair_per_cm2)
{
    const sim_hair_desc *h = &t->desc.hair;
    double per_mm2 = hair_per_cm2 * 0.01;
    return clamp01(1.0 - exp(-per_mm2 * h->calibre_mm * h->length_mm));
}

double sim_tissue_norwood_after(const sim_tissue *t, double years)
{
    const sim_hair_desc *h = &t->desc.hair;
    if (h->norwood < 1.0)
        return 0.0;
    double rate = (h->norwood_later - h->norwood) / h->later_years;
    double s = h->norwood + rate * (years > 0 ? years : 0.0);
    return s < 1.0 ? 1.0 : (s > 7.0 ? 7.0 : s);
}

sim_vec2 sim_tissue_hair_direction(const sim_tissue *t, sim_vec2 uv)
{
    const sim_hair_desc *h = &t->desc.hair;
    sim_vec2 d = sim_v2_sub(uv, h->whorl_mm);
    double r = sim_v2_len(d);
    if (r < 1e-9)
        return sim_v2(0.0, 1.0);
    sim_vec2 radial = sim_v2(d.x / r, d.y / r);
    /* The chart reads as a top view mirrored left-right (+u is the
     * subject's left), so clockwise from above turns counter-clockwise in
     * (u, v). */
    sim_vec2 tangent = sim_v2(-radial.y * h->whorl_turn, radial.x * h->whorl_turn);
    double swirl = WHORL_SWIRL * exp(-r / WHORL_SWIRL_MM);
    sim_vec2 dir = sim_v2(radial.x + swirl * tangent.x, radial.y + swirl * tangent.y);
    double len = sim_v2_len(dir);
    return sim_v2(dir.x / len, dir.y / len);
}

/* ------------------------------------------------------------------------ */
/* Sampling                                                                 */
/* ------------------------------------------------------------------------ */

void sim_tissue_at(const sim_tissue *t, sim_vec2 uv, sim_tissue_sample *out)
{
    const sim_tissue_desc *d = &t->desc;
    memset(out, 0, sizeof *out);
    double epi, derm;
    regional_layers(t, uv, &epi, &derm);
    if (d->epidermis_mm > 0)
        epi = d->epidermis_mm;
    if (d->dermis_mm > 0)
        derm = d->dermis_mm;
    for (size_t i = 0; i < d->region_count; i++) {
        const sim_tissue_region *g = &d->regions[i];
        if (!region_contains(g, uv))
            continue;
        if (g->epidermis_mm > 0)
            epi = g->epidermis_mm;
        if (g->dermis_mm > 0)
            derm = g->dermis_mm;
    }
    scar_at(t, uv, &epi, &derm, out);
    out->epidermis_mm = epi;
    out->dermis_mm = derm;
    out->hair_per_cm2 = sim_tissue_hair_at(t, uv, d->hair.norwood);
    out->hair_cover = sim_tissue_hair_cover(t, out->hair_per_cm2);
    if (out->hair_per_cm2 > 0)
        out->hair_dir = sim_tissue_hair_direction(t, uv);
}

/* ------------------------------------------------------------------------ */
/* Skin tone                                                                */
/* ------------------------------------------------------------------------ */

static double lab_finv(double t)
{
    const double delta = 6.0 / 29.0;
    return t > delta ? t * t * t : 3.0 * delta * delta * (t - 4.0 / 29.0);
}

void sim_skin_rgb(int fitzpatrick, double rgb[3])
{
    int type = fitzpatrick < 1 ? 1 : (fitzpatrick > 6 ? 6 : fitzpatrick);
    double L = 50.0 + SKIN_B_STAR * tan(sim_rad(ITA_DEG[type - 1]));
    double fy = (L + 16.0) / 116.0;
    double X = 0.95047 * lab_finv(fy + SKIN_A_STAR / 500.0);
    double Y = lab_finv(fy);
    double Z = 1.08883 * lab_finv(fy - SKIN_B_STAR / 200.0);
    rgb[0] = clamp01(3.2406 * X - 1.5372 * Y - 0.4986 * Z);
    rgb[1] = clamp01(-0.9689 * X + 1.8758 * Y + 0.0415 * Z);
    rgb[2] = clamp01(0.0557 * X - 0.2040 * Y + 1.0570 * Z);
}
