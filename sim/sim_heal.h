/* sim_heal.h: what an impression looks like once healed (about a month
 * later): its class, size, darkness and blue-grey shift.
 *
 * First rule (SIM_VERSION 1), by depth against the skin's layers:
 *  - above the dermis (depth <= epidermis thickness): the pigment sits in the
 *    epidermis and flakes off with its renewal -> FADED, a faint trace;
 *  - in the upper dermis, down to `blur_start_mm`: CRISP, about the needle
 *    group's size;
 *  - deeper, to `blowout_start_mm`: BLURRED, larger and softer, starting to
 *    look blue-grey through more skin (Tyndall-like scattering);
 *  - deeper still: BLOWOUT, spread well beyond the needle and blue-grey.
 * Figures: FIDELITY.md "Skin and depth" (epidermis 0.06-0.10 mm; target
 * 0.5-1.2 mm; body-tattoo depths 1.5-3 mm blow out on the scalp). The skin
 * model issue replaces this with a tissue map (docs/fidelity.md).
 *
 * Purity: deterministic, no clock, no globals. Threads: reentrant.
 */
#ifndef SIM_HEAL_H
#define SIM_HEAL_H

#include "sim_base.h"
#include "sim_impression.h"

typedef enum sim_heal_class {
    SIM_HEAL_FADED = 0,
    SIM_HEAL_CRISP = 1,
    SIM_HEAL_BLURRED = 2,
    SIM_HEAL_BLOWOUT = 3,
} sim_heal_class;

/* "faded", "crisp", "blurred", "blowout". */
const char *sim_heal_class_name(sim_heal_class c);

typedef struct sim_heal_params {
    double epidermis_mm;      /* 0 = 0.08 */
    double blur_start_mm;     /* 0 = 1.5 */
    double blowout_start_mm;  /* 0 = 2.0 */
} sim_heal_params;

sim_heal_params sim_heal_params_resolve(sim_heal_params p);

typedef struct sim_healed_dot {
    sim_heal_class cls;
    double diameter_mm;       /* visible diameter of the healed dot */
    double edge_mm;           /* width of its soft edge */
    double darkness;          /* 0 (invisible) .. 1 (full pigment) */
    double hue_shift;         /* 0 neutral black .. 1 fully blue-grey */
} sim_healed_dot;

/* Heals one impression. */
void sim_heal_one(const sim_impression *imp, const sim_heal_params *params,
                  sim_healed_dot *out);
/* Heals n impressions into out[0..n). */
void sim_heal_all(const sim_impression *imps, size_t n,
                  const sim_heal_params *params, sim_healed_dot *out);

#endif /* SIM_HEAL_H */
