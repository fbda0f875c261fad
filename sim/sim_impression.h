/* sim_impression.h: needle cartridges, impressions (what one contact with
 * the machine running leaves in the skin) and their extraction from a trace.
 *
 * An impression starts when the needle tip goes below the skin surface while
 * the machine runs, and ends when the tip comes back above the surface or
 * the machine stops. It records where the needle entered, how deep it went,
 * at what angle, for how long, how far it was dragged sideways and the peak
 * force.
 *
 * Purity: extraction is a deterministic function of (surface, samples,
 * params); it reads no clock and no global state.
 * Threads: reentrant; the extractor struct belongs to one thread.
 */
#ifndef SIM_IMPRESSION_H
#define SIM_IMPRESSION_H

#include "sim_base.h"
#include "sim_surface.h"
#include "sim_trace.h"

/* ---------------------------------------------------------------------------
 * Needle cartridges
 * ------------------------------------------------------------------------- */
#define SIM_NEEDLE_NAME_LEN 15

typedef struct sim_needle {
    char name[SIM_NEEDLE_NAME_LEN + 1];   /* e.g. "0603RL" */
    uint32_t needle_count;       /* 1 or 3 (round liner) */
    double needle_diameter_mm;   /* one needle: 0.18-0.35 */
    double group_diameter_mm;    /* the circle enclosing the group */
} sim_needle;

/* Cartridges known to the simulator: gauge 06/08/10/12 (0.20/0.25/0.30/
 * 0.35 mm) in 1RL and 3RL (FIDELITY.md "Needles, dots, density"). Index 0 is
 * the default cartridge (0603RL). */
size_t sim_needle_count(void);
const sim_needle *sim_needle_get(size_t index);
/* Index of the cartridge named `name` (case-insensitive, "RL" optional:
 * "0603", "0603RL", "0603rl"); -1 when unknown. */
int sim_needle_find(const char *name);
/* Diameter of the circle enclosing a round-liner group: the needle itself
 * for 1, three touching needles (d * (1 + 2/sqrt(3))) for 3; 0 otherwise. */
double sim_needle_group_diameter_mm(uint32_t needle_count, double needle_diameter_mm);

/* ---------------------------------------------------------------------------
 * Impressions
 * ------------------------------------------------------------------------- */
typedef struct sim_impression {
    sim_vec3 surface_mm;     /* where the needle entered the skin */
    sim_vec3 normal;         /* outward unit surface normal there */
    sim_vec2 chart_mm;       /* chart coordinates of surface_mm */
    double depth_mm;         /* deepest point below the surface */
    double angle_rad;        /* needle axis to the surface normal, at the
                                deepest point (0 = perpendicular) */
    double dwell_s;          /* time below the surface */
    double drag_mm;          /* largest sideways travel of the tip from the
                                entry point while below the surface */
    double peak_force_n;
    int64_t t_start_us;      /* first sample below the surface */
    int64_t t_end_us;        /* last sample below the surface */
    uint32_t needle;         /* index into the cartridge table */
    /* Footprint (SIM_VERSION 2): which way the mark is drawn out. Zero when
     * unknown (e.g. read from a CSV): the mark is then taken as round,
     * save for the streak a tilt implies (sim_impression_footprint). */
    sim_vec3 drag_dir;       /* unit surface tangent toward the farthest
                                sideways point of the tip; 0 when none */
    sim_vec3 tilt_dir;       /* unit surface tangent the tip travels along
                                under the skin (the needle's lean) at the
                                deepest point; 0 when perpendicular */
    uint32_t session;        /* treatment session, 0 = the first; later
                                sessions are placed on healed earlier ones */
} sim_impression;

/* The mark an impression leaves before healing: the needle group's circle
 * drawn out into a streak by sideways drag or by a tilted needle (whose tip
 * travels depth x tan(angle) sideways under the skin). */
typedef struct sim_footprint {
    double width_mm;         /* across: the cartridge's group diameter */
    double length_mm;        /* along `direction`: width + streak */
    sim_vec3 direction;      /* unit surface tangent; 0 when round or unknown */
} sim_footprint;

void sim_impression_footprint(const sim_impression *imp, sim_footprint *out);

typedef struct sim_impression_params {
    double enter_depth_mm;   /* the tip must go this far below the surface to
                                start an impression (noise guard); 0 = 0.005 */
    uint32_t needle;         /* cartridge index recorded on impressions */
} sim_impression_params;

sim_impression_params sim_impression_params_resolve(sim_impression_params p);

/* A growable array of impressions (owns `items`). */
typedef struct sim_impression_list {
    sim_impression *items;
    size_t count, capacity;
} sim_impression_list;

void sim_impression_list_init(sim_impression_list *list);
void sim_impression_list_deinit(sim_impression_list *list);
sim_result sim_impression_list_push(sim_impression_list *list,
                                    const sim_impression *imp);

/* Incremental extractor: feed samples in time order (the live simulator
 * feeds them as they arrive; a replay feeds the whole trace). */
typedef struct sim_extractor {
    const sim_surface *surface;  /* borrowed */
    sim_impression_params params;
    bool in_contact;             /* an impression is open */
    sim_impression open;         /* the impression being built */
    sim_vec3 last_tip;           /* the latest sample's tip */
    double last_depth_mm;        /* its depth; -INFINITY before the first */
} sim_extractor;

void sim_extractor_init(sim_extractor *ex, const sim_surface *surface,
                        const sim_impression_params *params);
/* Feeds one sample. When it completes an impression, *done is set to true
 * and *out receives it. */
void sim_extractor_feed(sim_extractor *ex, const sim_sample *s,
                        sim_impression *out, bool *done);
/* Ends the trace: closes an open impression (returns true and fills out). */
bool sim_extractor_finish(sim_extractor *ex, sim_impression *out);

/* Extracts every impression of a trace into `list` (appended). */
sim_result sim_impressions_from_trace(const sim_surface *surface,
                                      const sim_trace *trace,
                                      const sim_impression_params *params,
                                      sim_impression_list *list);

#endif /* SIM_IMPRESSION_H */
