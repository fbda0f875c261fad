/* sim_heal.h: what an impression looks like once healed (about a month
 * later), and where its depth lies against the local skin.
 *
 * The model (SIM_VERSION 2; every constant with its source in
 * docs/fidelity.md):
 *  - Depth against the tissue. The rules are written for the reference
 *    scalp (SIM_TISSUE_REF_*: 0.08 mm epidermis over 2.1 mm dermis). An
 *    impression's depth is mapped layer by layer onto it: inside the
 *    epidermis in proportion to the local epidermis, below it in proportion
 *    to the local dermis. So 0.8 mm is in the band on the reference scalp
 *    and deep in a 1 mm thick scar.
 *  - Healing by that equivalent depth: in the epidermis the pigment flakes
 *    off with its 30-45 day renewal -> FADED, a faint trace; in the upper
 *    dermis -> CRISP at about the needle group's size, darkening over the
 *    first 0.4 mm; below `blur_start_mm` -> BLURRED, growing, softer and
 *    bluer (black seen through more skin looks blue-grey); below
 *    `blowout_start_mm` -> BLOWOUT, spread well beyond the needle.
 *  - Tissue: scar tissue spreads pigment more (x1.25) and takes it unevenly;
 *    native hair hides a share of the dot.
 *  - Needle and machine: the dot's width follows the cartridge's group;
 *    drag or tilt draw it out along the surface (length, direction); a
 *    dwell far longer than a tap, or repeated hits within half a group of
 *    each other in one session, stack pigment: beyond twice a normal load
 *    the dot grows as the square root of the load and darkens.
 *  - Pigment: darkness follows Beer-Lambert saturation of the concentration
 *    (shade x (1 - dilution)) times the machine's load and the skin's uptake.
 *  - Overlaps: dots whose healed discs overlap (transitively) form a merge
 *    group. Their darkness builds where they overlap as transmittances
 *    multiply, which is what drawing them over each other computes; a later
 *    session is placed on the healed earlier ones the same way.
 *
 * Purity: deterministic functions of (impressions, tissue, profiles); no
 * clock, no globals. Threads: reentrant.
 */
#ifndef SIM_HEAL_H
#define SIM_HEAL_H

#include "sim_base.h"
#include "sim_impression.h"
#include "sim_pigment.h"
#include "sim_tissue.h"

/* ---------------------------------------------------------------------------
 * Depth against the tissue
 * ------------------------------------------------------------------------- */
typedef enum sim_depth_class {
    SIM_DEPTH_LOST = 0,          /* in the epidermis: lost as it renews */
    SIM_DEPTH_SHALLOW = 1,       /* in the dermis, above the lesson's band */
    SIM_DEPTH_BAND = 2,          /* in the lesson's band */
    SIM_DEPTH_DEEP = 3,          /* below the band: blurs */
    SIM_DEPTH_BLOWOUT = 4,       /* blowout risk: deep reticular dermis */
    SIM_DEPTH_TRAUMA = 5,        /* through the dermis: bleeding, trauma */
} sim_depth_class;

/* "lost", "shallow", "band", "deep", "blowout", "trauma". */
const char *sim_depth_class_name(sim_depth_class c);

/* The depth on the reference scalp equivalent to depth_mm in skin with the
 * given layers (monotonic in depth_mm). */
double sim_depth_equivalent_mm(double depth_mm, double epidermis_mm, double dermis_mm);

/* ---------------------------------------------------------------------------
 * Healing
 * ------------------------------------------------------------------------- */
typedef enum sim_heal_class {
    SIM_HEAL_FADED = 0,
    SIM_HEAL_CRISP = 1,
    SIM_HEAL_BLURRED = 2,
    SIM_HEAL_BLOWOUT = 3,
} sim_heal_class;

/* "faded", "crisp", "blurred", "blowout". */
const char *sim_heal_class_name(sim_heal_class c);

/* Zero fields (and NULL pointers) mean the defaults. */
typedef struct sim_heal_params {
    const sim_tissue *tissue;    /* NULL: the reference scalp everywhere */
    const sim_pigment *pigments; /* per session (the last one serves later
                                    sessions); NULL: carbon black */
    size_t pigment_count;
    const sim_machine *machine;  /* NULL: the default machine */
    double blur_start_mm;        /* equivalent depth; 0 = 1.5 */
    double blowout_start_mm;     /* equivalent depth; 0 = 2.0 */
} sim_heal_params;

sim_heal_params sim_heal_params_resolve(sim_heal_params p);
/* The pigment of a session (the last one for later sessions); NULL for the
 * default. */
const sim_pigment *sim_heal_params_pigment(const sim_heal_params *p, uint32_t session);

/* Classifies an impression's depth against the tissue under it and the
 * lesson's band (written for the reference scalp). params may be NULL. */
sim_depth_class sim_depth_classify(const sim_impression *imp,
                                   const sim_heal_params *params,
                                   double band_min_mm, double band_max_mm);

typedef struct sim_healed_dot {
    sim_heal_class cls;
    double diameter_mm;       /* visible width of the healed dot (across) */
    double edge_mm;           /* width of its soft edge */
    double darkness;          /* 0 (invisible) .. 1 (full pigment) */
    double hue_shift;         /* 0 neutral black .. 1 fully blue-grey */
    /* SIM_VERSION 2 */
    double length_mm;         /* along `direction`; == diameter_mm when round */
    sim_vec3 direction;       /* unit surface tangent of the long axis; 0 round */
    double equivalent_depth_mm;  /* depth on the reference scalp */
    double hidden;            /* share hidden by native hair, 0..1 */
    uint32_t stack_count;     /* hits stacked here in its session (>= 1) */
    uint32_t merge_group;     /* index of the first impression of its group
                                 of overlapping dots; its own when alone */
    uint32_t merge_count;     /* dots in that group (>= 1) */
} sim_healed_dot;

/* Heals one impression on its own (no stacking or merging: stack_count and
 * merge_count 1, merge_group 0). params may be NULL. */
void sim_heal_one(const sim_impression *imp, const sim_heal_params *params,
                  sim_healed_dot *out);
/* Heals n impressions into out[0..n), with stacking and merge groups
 * (merge_group indexes imps). params may be NULL. Allocates a neighbour
 * grid; without memory it falls back to comparing every pair (same
 * result, slower). */
void sim_heal_all(const sim_impression *imps, size_t n,
                  const sim_heal_params *params, sim_healed_dot *out);

#endif /* SIM_HEAL_H */
