/* sim_pigment.h: pigment and machine profiles: what goes into the skin with
 * each strike of the needle, and how often the needle strikes.
 *
 * Profiles are plain structs whose zero fields mean "default" (carbon black,
 * undiluted; a rotary machine with a 3.5 mm stroke at 50 Hz). The sim never
 * reads files: the assets (assets/pigments/, assets/needles/) are parsed in
 * lessons/ (les_profiles.c) and handed over as these structs. Every default
 * is listed with its source in docs/fidelity.md.
 *
 * Threads: reentrant; plain data.
 */
#ifndef SIM_PIGMENT_H
#define SIM_PIGMENT_H

#include "sim_base.h"

#define SIM_PROFILE_NAME_LEN 31

typedef struct sim_pigment {
    char name[SIM_PROFILE_NAME_LEN + 1];  /* "" = "carbon-black" */
    double shade;            /* darkness of the undiluted pigment, 0..1;
                                0 = 1 (carbon black) */
    double dilution;         /* share of distilled water, 0..0.9 */
    double half_life_years;  /* time for healed darkness to halve; 0 = 11 */
    double hue_drift_per_decade;  /* blue-grey drift as it ages (mixed inks
                                     break down toward blue); 0 for carbon */
} sim_pigment;

typedef struct sim_machine {
    char name[SIM_PROFILE_NAME_LEN + 1];  /* "" = "rotary" */
    double stroke_mm;        /* needle travel per cycle; 0 = 3.5 */
    double frequency_hz;     /* strikes per second; 0 = 50 */
} sim_machine;

/* The profiles with every zero field replaced by its default. */
sim_pigment sim_pigment_resolve(sim_pigment p);
sim_machine sim_machine_resolve(sim_machine m);

/* Checks ranges (after resolving); SIM_ERR_RANGE with a sentence naming the
 * field otherwise. */
sim_result sim_pigment_check(const sim_pigment *p, sim_error *err);
sim_result sim_machine_check(const sim_machine *m, sim_error *err);

/* Relative pigment concentration the needle carries: shade x (1 - dilution). */
double sim_pigment_concentration(const sim_pigment *p);
/* Pigment load of one strike relative to the reference machine (the needle
 * picks up pigment in proportion to the time it spends in the cartridge
 * reservoir: longer strokes carry more). */
double sim_machine_load_per_strike(const sim_machine *m);

#endif /* SIM_PIGMENT_H */
