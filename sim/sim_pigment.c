/* sim_pigment.c: pigment and machine profiles (sim_pigment.h): defaults,
 * range checks and the per-strike pigment load. Sources: docs/fidelity.md.
 *
 * Threads: reentrant.
 */
#include "sim_pigment.h"

#include <stdio.h>
#include <string.h>

/* Touch-ups every 3-6 years, read as the time to lose a quarter of the
 * darkness: 4.5 years * ln 2 / ln(4/3) = 10.8, rounded. */
#define PIGMENT_HALF_LIFE_YEARS 11.0
/* A medium stroke (3.5 mm) is the reference; 50 Hz = 3,000 strikes a minute. */
#define MACHINE_STROKE_MM 3.5
#define MACHINE_FREQUENCY_HZ 50.0

sim_pigment sim_pigment_resolve(sim_pigment p)
{
    if (!p.name[0])
        snprintf(p.name, sizeof p.name, "carbon-black");
    if (p.shade == 0.0)
        p.shade = 1.0;
    if (p.half_life_years == 0.0)
        p.half_life_years = PIGMENT_HALF_LIFE_YEARS;
    return p;
}

sim_machine sim_machine_resolve(sim_machine m)
{
    if (!m.name[0])
        snprintf(m.name, sizeof m.name, "rotary");
    if (m.stroke_mm == 0.0)
        m.stroke_mm = MACHINE_STROKE_MM;
    if (m.frequency_hz == 0.0)
        m.frequency_hz = MACHINE_FREQUENCY_HZ;
    return m;
}

static bool in_range(double x, double lo, double hi) { return x >= lo && x <= hi; }

sim_result sim_pigment_check(const sim_pigment *p, sim_error *err)
{
    sim_pigment r = sim_pigment_resolve(*p);
    if (!in_range(r.shade, 0.05, 1.0))
        return sim_error_set(err, SIM_ERR_RANGE, NULL, 0, 0,
                             "pigment %s: shade must be between 0.05 and 1", r.name);
    if (!in_range(r.dilution, 0.0, 0.9))
        return sim_error_set(err, SIM_ERR_RANGE, NULL, 0, 0,
                             "pigment %s: dilution must be between 0 and 0.9", r.name);
    if (!in_range(r.half_life_years, 0.5, 200.0))
        return sim_error_set(err, SIM_ERR_RANGE, NULL, 0, 0,
                             "pigment %s: half_life_years must be between 0.5 and 200", r.name);
    if (!in_range(r.hue_drift_per_decade, 0.0, 1.0))
        return sim_error_set(err, SIM_ERR_RANGE, NULL, 0, 0,
                             "pigment %s: hue_drift_per_decade must be between 0 and 1", r.name);
    return SIM_OK;
}

sim_result sim_machine_check(const sim_machine *m, sim_error *err)
{
    sim_machine r = sim_machine_resolve(*m);
    if (!in_range(r.stroke_mm, 1.5, 5.5))
        return sim_error_set(err, SIM_ERR_RANGE, NULL, 0, 0,
                             "machine %s: stroke_mm must be between 1.5 and 5.5 mm", r.name);
    if (!in_range(r.frequency_hz, 0.5, 200.0))
        return sim_error_set(err, SIM_ERR_RANGE, NULL, 0, 0,
                             "machine %s: frequency_hz must be between 0.5 and 200 Hz", r.name);
    return SIM_OK;
}

double sim_pigment_concentration(const sim_pigment *p)
{
    sim_pigment r = sim_pigment_resolve(*p);
    return r.shade * (1.0 - r.dilution);
}

double sim_machine_load_per_strike(const sim_machine *m)
{
    sim_machine r = sim_machine_resolve(*m);
    return r.stroke_mm / MACHINE_STROKE_MM;
}
