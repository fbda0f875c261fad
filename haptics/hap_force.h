/* hap_force.h: force rendering of a needle on skin, in the lesson surface's
 * frame, evaluated once per servo tick.
 *
 * The model (DESIGN.md section 4 "Forces"; parameters and their sources in
 * docs/haptics.md):
 *  - AIR: no contact. The machine, when running, still buzzes in the hand.
 *  - SURFACE: a god-object proxy (Zilles & Salisbury 1995) stays on the skin
 *    while the tip presses into it: a spring-damper along the surface
 *    normal, and static/dynamic friction (a friction cone: the proxy sticks
 *    until the lateral spring force exceeds mu_static times the normal
 *    force, then slides at mu_dynamic).
 *  - PUNCTURE: when the normal force reaches the epidermis threshold (with
 *    the machine running) the skin gives: the felt "pop", where the force
 *    drops in one tick from the threshold to the tissue's resistance.
 *  - TISSUE: the needle is held on its insertion line (a lateral
 *    constraint); along it, a lower elastic resistance that grows with
 *    insertion, viscous drag, and extra stiffness from the depth where
 *    blowouts start (the phases follow Okamura, Simone & O'Leary 2004:
 *    stiffness before puncture, then friction and cutting). Withdrawing
 *    past the entry point ends the insertion.
 *  - The machine's vibration is added while it runs.
 * The output is clamped to max_force_n; the servo adds the device limits,
 * rate limiting, ramp-in and the fault handling (hap_servo.h).
 *
 * Determinism: a pure function of (params, surface, inputs, state).
 * Threads: any one thread per state; allocation-free and lock-free (the
 * surface query is too, sim_surface.h). Ownership: plain values; the params
 * borrow nothing except the optional tissue callback's context.
 */
#ifndef HAP_FORCE_H
#define HAP_FORCE_H

#include "hap_device.h"
#include "sim_surface.h"

/* Local tissue properties at a chart point, from the lesson's tissue map.
 * 1.0 everywhere is normal scalp. Must be allocation- and lock-free: it is
 * called from the servo thread at contact and at puncture. */
typedef struct hap_tissue_local {
    double stiffness_scale;   /* skin and tissue springs (scar tissue > 1) */
    double puncture_scale;    /* epidermis threshold */
    double drag_scale;        /* viscous drag in tissue */
} hap_tissue_local;
typedef void (*hap_tissue_fn)(void *ctx, sim_vec2 chart_mm, hap_tissue_local *out);

/* Zero fields mean the default given (sokol style); hap_force_params_resolve
 * fills them. A field documented "negative = off" may be switched off. */
typedef struct hap_force_params {
    /* skin surface, before puncture */
    double k_skin_n_per_mm;        /* 1.5: normal spring */
    double b_skin_n_s_per_mm;      /* 0.003: normal damping (pressing in only) */
    double mu_static;              /* 0.5; negative = frictionless */
    double mu_dynamic;             /* 0.35; clamped to <= mu_static */
    /* puncture */
    double puncture_force_n;       /* 0.35: normal force that pierces the
                                      epidermis with the machine running */
    double puncture_force_off_n;   /* threshold with the machine off;
                                      0 = never (the needle rests inside
                                      the cartridge) */
    /* inside tissue */
    double k_tissue_n_per_mm;      /* 0.35: resistance per mm inserted */
    double b_tissue_n_s_per_mm;    /* 0.004: viscous drag along the needle */
    double k_lateral_n_per_mm;     /* 1.2: holds the needle on its line */
    double b_lateral_n_s_per_mm;   /* 0.002 */
    double blowout_depth_mm;       /* 1.5: stiffening starts (FIDELITY.md:
                                      target band 0.5-1.2 mm, blowouts from
                                      about 1.5-2 mm) */
    double k_blowout_n_per_mm;     /* 1.2: extra stiffness past it */
    double exit_mm;                /* 0.05: withdraw this far above the
                                      entry point to leave the tissue */
    /* the machine */
    double vibration_hz;           /* 120 */
    double vibration_n;            /* 0.12 amplitude in contact; negative = off */
    double vibration_air_n;        /* 0.04 amplitude in the air; negative = off */
    /* output */
    double max_force_n;            /* 4.0 */
    /* optional tissue map (NULL: uniform) */
    hap_tissue_fn tissue;
    void *tissue_ctx;
} hap_force_params;

/* The params with every zero field replaced by its default and dependent
 * fields made consistent (mu_dynamic <= mu_static). */
hap_force_params hap_force_params_resolve(hap_force_params p);
/* Clamps every stiffness to k_max and every damping to b_max (surface-frame
 * values; the servo derives them from the device limits and calibration).
 * Non-positive limits leave the params unchanged. */
hap_force_params hap_force_params_limit(hap_force_params p, double k_max_n_per_mm,
                                        double b_max_n_s_per_mm);

typedef enum hap_contact_phase {
    HAP_CONTACT_AIR = 0,
    HAP_CONTACT_SURFACE,
    HAP_CONTACT_TISSUE,
} hap_contact_phase;

/* What the renderer knows about the contact (shown by the app; the trace
 * records the tip itself, the simulation decides impressions from it). */
typedef struct hap_contact {
    hap_contact_phase phase;
    double depth_mm;          /* tip below the skin surface (> 0 in skin) */
    double insertion_mm;      /* TISSUE: along the needle from the entry */
    double normal_force_n;    /* SURFACE: force pressing on the skin */
    sim_vec3 proxy_mm;        /* SURFACE: the god-object on the skin */
    sim_vec3 entry_mm;        /* TISSUE: where the needle went in */
    sim_vec3 normal;          /* skin normal at the contact */
    sim_vec3 insert_dir;      /* TISSUE: unit, into the skin */
    bool popped;              /* the epidermis gave way this tick */
    uint32_t punctures;       /* pops since the state was reset */
} hap_contact;

typedef struct hap_force_state {
    hap_contact contact;
    hap_tissue_local tissue;  /* at the current contact */
} hap_force_state;

typedef struct hap_force_input {
    sim_vec3 tip_mm;          /* surface frame */
    sim_vec3 axis;            /* unit, tip toward grip, surface frame */
    bool axis_sensed;         /* false: the needle is taken along -normal */
    sim_vec3 velocity_mm_s;   /* surface frame */
    bool machine_on;
    double t_s;               /* servo time: phase of the vibration */
} hap_force_input;

void hap_force_reset(hap_force_state *st);

/* One tick: the force on the stylus (surface frame, N), updating `st`.
 * `p` must be resolved (hap_force_params_resolve). A NULL surface, or
 * non-finite input, gives zero force and resets the contact. */
sim_vec3 hap_force_eval(hap_force_state *st, const hap_force_params *p,
                        const sim_surface *surface, const hap_force_input *in);

#endif /* HAP_FORCE_H */
