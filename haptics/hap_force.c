/* hap_force.c: needle-on-skin force rendering (see hap_force.h for the
 * model, docs/haptics.md for the parameters' sources).
 *
 * Threads: the servo thread (or a test) owns a hap_force_state; nothing
 * here allocates, locks or reads a clock.
 */
#include "hap_force.h"

#include <math.h>
#include <string.h>

/* Below this cosine between the needle and the inward normal the stylus
 * axis is not trusted as the insertion direction (the needle would enter
 * nearly parallel to the skin or from inside it): the normal is used. */
#define HAP_MIN_ENTRY_COS 0.1

static double def(double v, double d) { return v == 0.0 ? d : v; }

hap_force_params hap_force_params_resolve(hap_force_params p)
{
    p.k_skin_n_per_mm = def(p.k_skin_n_per_mm, 1.5);
    p.b_skin_n_s_per_mm = def(p.b_skin_n_s_per_mm, 0.003);
    p.mu_static = def(p.mu_static, 0.5);
    p.mu_dynamic = def(p.mu_dynamic, 0.35);
    if (p.mu_static > 0 && p.mu_dynamic > p.mu_static)
        p.mu_dynamic = p.mu_static;
    p.puncture_force_n = def(p.puncture_force_n, 0.35);
    p.k_tissue_n_per_mm = def(p.k_tissue_n_per_mm, 0.35);
    p.b_tissue_n_s_per_mm = def(p.b_tissue_n_s_per_mm, 0.004);
    p.k_lateral_n_per_mm = def(p.k_lateral_n_per_mm, 1.2);
    p.b_lateral_n_s_per_mm = def(p.b_lateral_n_s_per_mm, 0.002);
    p.blowout_depth_mm = def(p.blowout_depth_mm, 1.5);
    p.k_blowout_n_per_mm = def(p.k_blowout_n_per_mm, 1.2);
    p.exit_mm = def(p.exit_mm, 0.05);
    p.vibration_hz = def(p.vibration_hz, 120.0);
    p.vibration_n = def(p.vibration_n, 0.12);
    p.vibration_air_n = def(p.vibration_air_n, 0.04);
    p.max_force_n = def(p.max_force_n, 4.0);
    return p;
}

static double cap(double v, double max) { return max > 0 && v > max ? max : v; }

hap_force_params hap_force_params_limit(hap_force_params p, double k_max, double b_max)
{
    p.k_skin_n_per_mm = cap(p.k_skin_n_per_mm, k_max);
    p.k_tissue_n_per_mm = cap(p.k_tissue_n_per_mm, k_max);
    p.k_lateral_n_per_mm = cap(p.k_lateral_n_per_mm, k_max);
    /* tissue and blowout springs act together past the blowout depth */
    if (k_max > 0 && p.k_tissue_n_per_mm + p.k_blowout_n_per_mm > k_max)
        p.k_blowout_n_per_mm = k_max - p.k_tissue_n_per_mm;
    p.b_skin_n_s_per_mm = cap(p.b_skin_n_s_per_mm, b_max);
    p.b_tissue_n_s_per_mm = cap(p.b_tissue_n_s_per_mm, b_max);
    p.b_lateral_n_s_per_mm = cap(p.b_lateral_n_s_per_mm, b_max);
    return p;
}

void hap_force_reset(hap_force_state *st)
{
    memset(st, 0, sizeof *st);
    st->contact.phase = HAP_CONTACT_AIR;
    st->contact.normal = sim_v3(0, 0, 1);
    st->tissue.stiffness_scale = st->tissue.puncture_scale = st->tissue.drag_scale = 1.0;
}

static bool finite3(sim_vec3 v) { return isfinite(v.x) && isfinite(v.y) && isfinite(v.z); }

static void lookup_tissue(hap_force_state *st, const hap_force_params *p, sim_vec2 chart)
{
    hap_tissue_local t = {1.0, 1.0, 1.0};
    if (p->tissue)
        p->tissue(p->tissue_ctx, chart, &t);
    /* a tissue map is lesson data: never let it make the model unstable */
    if (!(t.stiffness_scale > 0 && t.stiffness_scale <= 4))
        t.stiffness_scale = 1.0;
    if (!(t.puncture_scale > 0 && t.puncture_scale <= 4))
        t.puncture_scale = 1.0;
    if (!(t.drag_scale > 0 && t.drag_scale <= 4))
        t.drag_scale = 1.0;
    st->tissue = t;
}

/* Inside tissue: the needle held on its line through the entry point. */
static sim_vec3 tissue_force(hap_force_state *st, const hap_force_params *p,
                             const hap_force_input *in)
{
    hap_contact *c = &st->contact;
    sim_vec3 dir = c->insert_dir;
    sim_vec3 r = sim_v3_sub(in->tip_mm, c->entry_mm);
    double s = sim_v3_dot(r, dir);
    c->insertion_mm = s;
    sim_vec3 lateral = sim_v3_sub(r, sim_v3_scale(dir, s));
    double v_s = sim_v3_dot(in->velocity_mm_s, dir);
    sim_vec3 v_lat = sim_v3_sub(in->velocity_mm_s, sim_v3_scale(dir, v_s));
    double stiff = st->tissue.stiffness_scale;
    double inserted = s > 0 ? s : 0;
    double past = s - p->blowout_depth_mm;
    double axial_n = p->k_tissue_n_per_mm * stiff * inserted +
                     (past > 0 ? p->k_blowout_n_per_mm * stiff * past : 0) +
                     p->b_tissue_n_s_per_mm * st->tissue.drag_scale * v_s;
    sim_vec3 f = sim_v3_scale(dir, -axial_n);
    f = sim_v3_sub(f, sim_v3_scale(lateral, p->k_lateral_n_per_mm * stiff));
    f = sim_v3_sub(f, sim_v3_scale(v_lat, p->b_lateral_n_s_per_mm));
    return f;
}

/* On the skin: god-object proxy with a friction cone; may puncture. */
static sim_vec3 surface_force(hap_force_state *st, const hap_force_params *p,
                              const hap_force_input *in, const sim_surface_hit *hit)
{
    hap_contact *c = &st->contact;
    if (c->phase == HAP_CONTACT_AIR) {
        c->phase = HAP_CONTACT_SURFACE;
        c->proxy_mm = hit->point_mm;
        lookup_tissue(st, p, hit->chart_mm);
    }
    sim_vec3 n = hit->normal;
    c->normal = n;
    double k = p->k_skin_n_per_mm * st->tissue.stiffness_scale;
    double v_in = -sim_v3_dot(in->velocity_mm_s, n);
    double fn = k * hit->depth_mm + (v_in > 0 ? p->b_skin_n_s_per_mm * v_in : 0);
    if (fn < 0)
        fn = 0;
    /* friction: the proxy sticks while the lateral spring stays inside the
     * cone, and is dragged along its edge once it leaves it */
    sim_vec3 u = sim_v3_sub(c->proxy_mm, hit->point_mm);
    sim_vec3 u_t = sim_v3_sub(u, sim_v3_scale(n, sim_v3_dot(u, n)));
    if (p->mu_static > 0) {
        double len = sim_v3_len(u_t);
        if (k * len > p->mu_static * fn) {
            double slide = p->mu_dynamic > 0 ? p->mu_dynamic * fn / k : 0;
            u_t = len > 0 ? sim_v3_scale(u_t, slide / len) : sim_v3(0, 0, 0);
        }
    } else {
        u_t = sim_v3(0, 0, 0);
    }
    c->proxy_mm = sim_v3_add(hit->point_mm, u_t);
    c->normal_force_n = fn;

    double threshold = in->machine_on ? p->puncture_force_n : p->puncture_force_off_n;
    threshold *= st->tissue.puncture_scale;
    if (threshold > 0 && fn >= threshold) {
        sim_vec3 dir = sim_v3_scale(n, -1.0);
        if (in->axis_sensed) {
            sim_vec3 a = sim_v3_scale(sim_v3_normalize(in->axis), -1.0);
            if (sim_v3_dot(a, dir) >= HAP_MIN_ENTRY_COS)
                dir = a;
        }
        c->phase = HAP_CONTACT_TISSUE;
        c->entry_mm = hit->point_mm;
        c->insert_dir = dir;
        c->popped = true;
        c->punctures++;
        c->normal_force_n = 0;
        return tissue_force(st, p, in);   /* the pop: resistance drops now */
    }
    return sim_v3_add(sim_v3_scale(n, fn), sim_v3_scale(u_t, k));
}

sim_vec3 hap_force_eval(hap_force_state *st, const hap_force_params *p,
                        const sim_surface *surface, const hap_force_input *in)
{
    hap_contact *c = &st->contact;
    c->popped = false;
    if (!surface || surface->kind == SIM_SURFACE_NONE || !finite3(in->tip_mm) ||
        !finite3(in->velocity_mm_s) || !finite3(in->axis) || !isfinite(in->t_s)) {
        uint32_t punctures = c->punctures;
        hap_force_reset(st);
        st->contact.punctures = punctures;
        return sim_v3(0, 0, 0);
    }
    sim_surface_hit hit;
    sim_surface_closest(surface, in->tip_mm, &hit);
    c->depth_mm = hit.depth_mm;

    sim_vec3 f = sim_v3(0, 0, 0);
    if (c->phase == HAP_CONTACT_TISSUE) {
        double s = sim_v3_dot(sim_v3_sub(in->tip_mm, c->entry_mm), c->insert_dir);
        if (s < -p->exit_mm)
            c->phase = HAP_CONTACT_AIR;   /* withdrawn: fall through */
        else
            f = tissue_force(st, p, in);
    }
    if (c->phase != HAP_CONTACT_TISSUE) {
        c->insertion_mm = 0;
        if (hit.depth_mm > 0 && hit.on_surface) {
            f = surface_force(st, p, in, &hit);
        } else {
            c->phase = HAP_CONTACT_AIR;
            c->proxy_mm = in->tip_mm;
            c->normal_force_n = 0;
        }
    }

    double amp = c->phase == HAP_CONTACT_AIR ? p->vibration_air_n : p->vibration_n;
    if (in->machine_on && amp > 0 && p->vibration_hz > 0) {
        sim_vec3 along = in->axis_sensed ? sim_v3_normalize(in->axis)
                       : c->phase == HAP_CONTACT_TISSUE ? sim_v3_scale(c->insert_dir, -1.0)
                                                        : c->normal;
        double w = sin(2.0 * SIM_PI * p->vibration_hz * in->t_s);
        f = sim_v3_add(f, sim_v3_scale(along, amp * w));
    }
    return hap_clamp_norm(f, p->max_force_n);
}
