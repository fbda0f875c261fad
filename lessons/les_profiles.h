/* les_profiles.h: pigment, machine and cartridge profiles from assets/
 * (assets/pigments/NAME.yaml, assets/needles/NAME.yaml), parsed into the sim's
 * plain structs (sim_pigment.h, sim_impression.h): the sim never reads files.
 *
 * Each file is small YAML with a format key (`stipple_pigment: 1`,
 * `stipple_machine: 1`, `stipple_cartridges: 1`); every problem is reported
 * into `diags` with its line and column, as lessons are.
 *
 * Ownership: outputs are the caller's; nothing is kept. Threads: reentrant.
 */
#ifndef LES_PROFILES_H
#define LES_PROFILES_H

#include "les_lesson.h"
#include "sim_impression.h"
#include "sim_pigment.h"

/* A pigment profile. LES_OK, LES_ERR_IO, LES_ERR_SYNTAX, LES_ERR_INVALID or
 * LES_ERR_NOMEM; *out is zeroed on error. */
les_result les_pigment_load(const char *path, sim_pigment *out, les_diags *diags);
/* A machine profile. */
les_result les_machine_load(const char *path, sim_machine *out, les_diags *diags);
/* A cartridge list into out[0..capacity); *count receives how many. More
 * than `capacity` cartridges is an error. */
les_result les_cartridges_load(const char *path, sim_needle *out, size_t capacity,
                               size_t *count, les_diags *diags);

#endif /* LES_PROFILES_H */
