/* hap_script.h: a scripted virtual stylus. Given a list of strokes (a point
 * on the skin, a depth, a dwell, a tilt, an optional drag) it produces the
 * stylus samples a steady hand would: travel above the skin, descend along
 * the needle axis with the machine running, dwell, drag, retract, and on to
 * the next stroke.
 *
 * Used by `stipple demo`, by the virtual device backend and by tests that
 * need realistic traces with known answers.
 *
 * Determinism: samples are a pure function of (surface, desc, strokes).
 * Ownership: the script borrows the surface and the stroke array.
 * Threads: one thread per script; no allocation after init.
 */
#ifndef HAP_SCRIPT_H
#define HAP_SCRIPT_H

#include "sim_surface.h"
#include "sim_trace.h"

typedef struct hap_stroke {
    sim_vec2 chart_mm;       /* where to place the dot, chart coordinates */
    double depth_mm;         /* deepest point below the surface */
    double dwell_s;          /* time held at depth (0 = the desc's default) */
    double tilt_rad;         /* needle axis away from the normal */
    sim_vec2 drag_chart_mm;  /* sideways travel while at depth (chart) */
} hap_stroke;

typedef struct hap_script_desc {
    uint32_t rate_hz;           /* sample rate; 0 = 1000 */
    double hover_mm;            /* height above the skin between strokes; 0 = 1.5 */
    double approach_mm_s;       /* needle speed in and out; 0 = 40 */
    double travel_mm_s;         /* hand speed between strokes; 0 = 150 */
    double dwell_s;             /* default dwell; 0 = 0.03 */
    double force_k_n_per_mm;    /* reported force per mm of depth; 0 = 0.8 */
} hap_script_desc;

hap_script_desc hap_script_desc_resolve(hap_script_desc d);

typedef enum hap_script_phase {
    HAP_PHASE_TRAVEL, HAP_PHASE_DESCEND, HAP_PHASE_DWELL, HAP_PHASE_ASCEND,
    HAP_PHASE_DONE
} hap_script_phase;

typedef struct hap_script {
    const sim_surface *surface;
    hap_script_desc desc;
    const hap_stroke *strokes;
    size_t count, index;
    hap_script_phase phase;
    int64_t t_us;               /* time of the next sample */
    uint64_t sample_index;      /* samples produced so far */
    double phase_t_s;           /* time spent in the current phase */
    sim_vec3 pos;               /* current tip position */
    sim_vec3 travel_from;       /* where the current travel started */
    /* the current stroke, resolved on the surface */
    sim_vec3 entry, normal, axis, drag_to;
    double depth_mm;            /* travel along the axis to the deepest point */
    double dwell_s;
    bool valid;                 /* false: the stroke's chart point is off the surface */
} hap_script;

void hap_script_init(hap_script *s, const sim_surface *surface,
                     const hap_script_desc *desc, const hap_stroke *strokes,
                     size_t count);
/* Produces the next sample; false when the script is over. */
bool hap_script_next(hap_script *s, sim_sample *out);

#endif /* HAP_SCRIPT_H */
