/* sim_tissue.h: the tissue map: what the skin is like at any point of a
 * surface: epidermis and dermis thickness, scar tissue, native hair (density,
 * growth direction with a crown whorl, calibre, colour, how much of the skin
 * it hides, its Norwood pattern now and later) and skin tone (Fitzpatrick
 * I-VI).
 *
 * A map is described by a sim_tissue_desc whose zero fields mean "default"
 * (sokol style) and evaluated at chart points (sim_surface.h: the pad's x, y
 * or the head chart's u, v). Every default and every constant is listed with
 * its source in docs/fidelity.md:
 *  - layers: the reference scalp has a 0.08 mm epidermis (0.06-0.10 mm) over
 *    a 2.1 mm dermis; on a head both vary smoothly over the scalp (thinner at
 *    the temples, thicker at the occiput) within those ranges; lessons
 *    override them everywhere or in regions (polygons or circles);
 *  - scars: surgical strip scars (a polyline with a width) and round punch
 *    scars; inside a scar the layers are thinner, pigment is taken unevenly
 *    (deterministic value noise seeded from desc.seed) and spreads more;
 *  - hair: on a head, the hair-bearing scalp of a Norwood stage (1-7,
 *    fractional stages blend), a schematic of Norwood's 1975 types drawn on
 *    the default head's chart; on any surface, hair patches (polygons) with
 *    their own density. Hair grows away from the crown whorl, spiralling
 *    near it; it hides the share 1 - exp(-n * calibre * length) of the skin
 *    (random hairs lying flat, a Boolean coverage model).
 *
 * Ownership: the desc and the map borrow every array (polygons, scars,
 * patches): whoever owns the desc (a parsed lesson's arena) must outlive the
 * map. A map allocates nothing. Purity: deterministic, no clock, no globals.
 * Threads: after sim_tissue_init a map is read-only: any thread may query.
 */
#ifndef SIM_TISSUE_H
#define SIM_TISSUE_H

#include "sim_base.h"
#include "sim_surface.h"

/* The reference scalp every depth rule is written for (docs/fidelity.md). */
#define SIM_TISSUE_REF_EPIDERMIS_MM 0.08
#define SIM_TISSUE_REF_DERMIS_MM 2.1

/* ---------------------------------------------------------------------------
 * Description (zero fields: defaults)
 * ------------------------------------------------------------------------- */
/* A region with other layer thicknesses: a polygon, or (polygon_count 0) a
 * circle. Later regions override earlier ones. */
typedef struct sim_tissue_region {
    const sim_vec2 *polygon;     /* chart mm, borrowed */
    size_t polygon_count;
    sim_vec2 centre_mm;          /* circle, when polygon_count == 0 */
    double radius_mm;
    double epidermis_mm;         /* 0 = unchanged */
    double dermis_mm;            /* 0 = unchanged */
} sim_tissue_region;

typedef enum sim_scar_kind {
    SIM_SCAR_STRIP = 1,          /* linear donor scar of a strip harvest (FUT) */
    SIM_SCAR_PUNCH = 2,          /* round scar of a follicular-unit punch (FUE) */
} sim_scar_kind;

typedef struct sim_scar {
    sim_scar_kind kind;
    const sim_vec2 *polyline;    /* strip: chart mm, borrowed, >= 2 points */
    size_t polyline_count;
    sim_vec2 centre_mm;          /* punch */
    double width_mm;             /* strip: across; punch: diameter (> 0) */
    double epidermis_mm;         /* 0 = SIM_SCAR_EPIDERMIS_MM */
    double dermis_mm;            /* 0 = SIM_SCAR_DERMIS_MM */
    double unevenness;           /* 0..1 share of uptake that varies; 0 = 0.5 */
} sim_scar;

/* Hair with its own density inside a polygon (replaces the pattern there;
 * density 0 makes a bald patch). */
typedef struct sim_hair_patch {
    const sim_vec2 *polygon;     /* chart mm, borrowed, >= 3 points */
    size_t polygon_count;
    double density_per_cm2;
} sim_hair_patch;

typedef struct sim_hair_desc {
    double norwood;              /* pattern now: 1..7 (head only); 0 = none */
    double norwood_later;        /* the stage after later_years; 0 = norwood */
    double later_years;          /* 0 = 10 */
    double density_per_cm2;      /* in hair-bearing scalp; 0 = 200 */
    double calibre_mm;           /* shaft diameter; 0 = 0.07 */
    double length_mm;            /* 0 = 1 (a shaved scalp's stubble) */
    double colour_rgb[3];        /* linear RGB; all 0 = dark brown */
    bool whorl_given;            /* false: the default whorl position */
    sim_vec2 whorl_mm;           /* chart mm */
    int whorl_turn;              /* +1 clockwise, -1 anticlockwise (seen
                                    from above); 0 = clockwise */
    const sim_hair_patch *patches;   /* borrowed */
    size_t patch_count;
} sim_hair_desc;

typedef struct sim_tissue_desc {
    int fitzpatrick;             /* skin type 1..6; 0 = 3 */
    double epidermis_mm;         /* everywhere; 0 = the regional default */
    double dermis_mm;            /* everywhere; 0 = the regional default */
    const sim_tissue_region *regions;   /* borrowed */
    size_t region_count;
    const sim_scar *scars;       /* borrowed */
    size_t scar_count;
    sim_hair_desc hair;
    uint64_t seed;               /* uneven uptake in scars */
} sim_tissue_desc;

/* Scar defaults (docs/fidelity.md). */
#define SIM_SCAR_EPIDERMIS_MM 0.05
#define SIM_SCAR_DERMIS_MM 1.0
#define SIM_SCAR_UNEVENNESS 0.5
#define SIM_SCAR_SPREAD 1.25     /* lateral spread factor inside a scar */

/* ---------------------------------------------------------------------------
 * The map
 * ------------------------------------------------------------------------- */
typedef struct sim_tissue {
    sim_surface_kind kind;       /* regional defaults and Norwood: head only */
    sim_tissue_desc desc;        /* resolved (every default filled in) */
} sim_tissue;

/* The desc with every zero field replaced by its default. */
sim_tissue_desc sim_tissue_desc_resolve(sim_tissue_desc desc);

/* Checks the desc (ranges, counts, pointers) and fills the map. Returns
 * SIM_ERR_ARG or SIM_ERR_RANGE with a sentence in err (naming the field)
 * when something is out of range; the map is then the reference tissue. */
sim_result sim_tissue_init(sim_tissue *tissue, const sim_tissue_desc *desc,
                           sim_surface_kind kind, sim_error *err);
/* The reference tissue: default layers, no scars, no hair, type III. */
void sim_tissue_init_default(sim_tissue *tissue, sim_surface_kind kind);

/* What the skin is like at one point. */
typedef struct sim_tissue_sample {
    double epidermis_mm;
    double dermis_mm;
    double scar;                 /* 0 normal skin .. 1 inside a scar */
    double uptake;               /* share of pigment the skin keeps, 0..1 */
    double spread;               /* lateral spread factor, >= 1 */
    double hair_per_cm2;         /* native hair density now */
    double hair_cover;           /* share of skin hidden by hair, 0..1 */
    sim_vec2 hair_dir;           /* unit chart direction hair grows toward;
                                    (0, 0) where there is no hair */
} sim_tissue_sample;

/* Samples the map at chart point uv (hair with the current stage). */
void sim_tissue_at(const sim_tissue *tissue, sim_vec2 uv, sim_tissue_sample *out);

/* Native hair density (hairs/cm²) at uv for a Norwood stage (1..7, may be
 * fractional; <= 0: no pattern, only patches). */
double sim_tissue_hair_at(const sim_tissue *tissue, sim_vec2 uv, double norwood);
/* Share of skin that hair of this density hides, 0..1. */
double sim_tissue_hair_cover(const sim_tissue *tissue, double hair_per_cm2);
/* The Norwood stage `years` from now (linear along the desc's progression,
 * clamped to 1..7); the current stage when there is no progression. */
double sim_tissue_norwood_after(const sim_tissue *tissue, double years);
/* Unit chart direction hair grows toward at uv (away from the whorl,
 * spiralling near it). */
sim_vec2 sim_tissue_hair_direction(const sim_tissue *tissue, sim_vec2 uv);
/* The natural frontal hairline of a Norwood stage on the head chart: the
 * chart v of its front edge at lateral position u (head only). */
double sim_tissue_frontal_line_v(double u_mm, double norwood);

/* How far uv lies beyond the hair-bearing scalp's lower edge on the head
 * chart (over the ears at the sides, lower at the nape), mm; < 0 inside. */
double sim_tissue_scalp_edge_distance(sim_vec2 uv);

/* Skin albedo of a Fitzpatrick type (1..6, clamped), linear RGB in [0, 1]:
 * the CIELAB colour of the middle of its ITA° band (Chardon 1991). */
void sim_skin_rgb(int fitzpatrick, double rgb[3]);

#endif /* SIM_TISSUE_H */
