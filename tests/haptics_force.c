/* haptics_force.c: needle-on-skin force rendering on the practice pad and
 * on the default head: the skin spring and damper, friction (stick, then
 * slide), the puncture pop with the machine running (and none without), the
 * needle held on its line in tissue, drag, stiffening past the blowout
 * depth, withdrawal, vibration, clamping, limits, the tissue map hook, and
 * bad input. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "hap_force.h"

static sim_surface g_pad;

static int setup(void **state)
{
    (void)state;
    sim_surface_desc d = {.kind = SIM_SURFACE_PAD, .width_mm = 100, .height_mm = 100};
    return sim_surface_init(&g_pad, &d, NULL) == SIM_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sim_surface_deinit(&g_pad);
    return 0;
}

/* Defaults without vibration or friction unless a test wants them. */
static hap_force_params quiet(void)
{
    hap_force_params p;
    memset(&p, 0, sizeof p);
    p.vibration_n = -1;
    p.vibration_air_n = -1;
    p.mu_static = -1;
    return hap_force_params_resolve(p);
}

static hap_force_input at(double x, double y, double z, bool machine)
{
    hap_force_input in;
    memset(&in, 0, sizeof in);
    in.tip_mm = sim_v3(x, y, z);
    in.axis = sim_v3(0, 0, 1);
    in.machine_on = machine;
    return in;
}

static bool near(double a, double b, double tol) { return fabs(a - b) <= tol; }

static void test_defaults_resolve(void **state)
{
    (void)state;
    hap_force_params z;
    memset(&z, 0, sizeof z);
    hap_force_params p = hap_force_params_resolve(z);
    assert_true(p.k_skin_n_per_mm == 1.5 && p.puncture_force_n == 0.35);
    assert_true(p.blowout_depth_mm == 1.5 && p.max_force_n == 4.0);
    assert_true(p.puncture_force_off_n == 0.0);   /* stays "never" */
    z.mu_static = 0.2;
    z.mu_dynamic = 0.6;
    p = hap_force_params_resolve(z);
    assert_true(p.mu_dynamic == 0.2);            /* dynamic <= static */
    hap_force_params l = hap_force_params_limit(p, 0.5, 0.001);
    assert_true(l.k_skin_n_per_mm == 0.5 && l.k_lateral_n_per_mm == 0.5);
    assert_true(l.k_tissue_n_per_mm + l.k_blowout_n_per_mm <= 0.5 + 1e-12);
    assert_true(l.b_tissue_n_s_per_mm == 0.001);
    hap_force_params same = hap_force_params_limit(p, 0, 0);
    assert_true(same.k_skin_n_per_mm == p.k_skin_n_per_mm);
}

static void test_air_and_skin_spring(void **state)
{
    (void)state;
    hap_force_params p = quiet();
    hap_force_state st;
    hap_force_reset(&st);
    hap_force_input in = at(50, 50, 2, false);
    sim_vec3 f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(sim_v3_len(f) == 0.0);
    assert_int_equal(st.contact.phase, HAP_CONTACT_AIR);
    in = at(50, 50, -0.2, false);
    f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_int_equal(st.contact.phase, HAP_CONTACT_SURFACE);
    assert_true(near(f.z, 1.5 * 0.2, 1e-12) && f.x == 0 && f.y == 0);
    assert_true(near(st.contact.depth_mm, 0.2, 1e-12));
    /* damping only while pressing in */
    in.velocity_mm_s = sim_v3(0, 0, -10);
    f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(near(f.z, 0.3 + 0.003 * 10, 1e-12));
    in.velocity_mm_s = sim_v3(0, 0, 10);
    f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(near(f.z, 0.3, 1e-12));
    /* beside the pad is not skin */
    in = at(-5, 50, -0.2, false);
    f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(sim_v3_len(f) == 0.0);
    assert_int_equal(st.contact.phase, HAP_CONTACT_AIR);
}

static void test_friction_sticks_then_slides(void **state)
{
    (void)state;
    hap_force_params z;
    memset(&z, 0, sizeof z);
    z.vibration_n = z.vibration_air_n = -1;
    hap_force_params p = hap_force_params_resolve(z);   /* mu 0.5 / 0.35 */
    hap_force_state st;
    hap_force_reset(&st);
    hap_force_input in = at(50, 50, -0.2, false);       /* normal force 0.3 N */
    hap_force_eval(&st, &p, &g_pad, &in);
    /* 0.05 mm sideways: lateral spring 0.075 N < 0.5 * 0.3: sticks */
    in = at(50.05, 50, -0.2, false);
    sim_vec3 f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(near(f.x, -1.5 * 0.05, 1e-12));
    assert_true(near(st.contact.proxy_mm.x, 50, 1e-12));
    /* 1 mm sideways: outside the cone, the proxy slides to the dynamic edge */
    in = at(51, 50, -0.2, false);
    f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(near(f.x, -0.35 * 0.3, 1e-12));
    assert_true(near(st.contact.proxy_mm.x, 51 - 0.35 * 0.3 / 1.5, 1e-12));
    assert_true(near(f.z, 0.3, 1e-12));
}

/* Pressing in slowly with the machine running: the force climbs to the
 * epidermis threshold, then pops down to the tissue's resistance. */
static void test_puncture_pop(void **state)
{
    (void)state;
    hap_force_params p = quiet();
    hap_force_state st;
    hap_force_reset(&st);
    double prev = 0, at_pop = -1, before_pop = 0;
    for (int i = 1; i <= 400 && at_pop < 0; i++) {
        double z = -0.001 * i;
        hap_force_input in = at(50, 50, z, true);
        sim_vec3 f = hap_force_eval(&st, &p, &g_pad, &in);
        if (st.contact.popped) {
            at_pop = -z;
            assert_true(f.z < before_pop * 0.5);           /* the felt drop */
            assert_true(near(f.z, 0.35 * (-z), 1e-9));      /* tissue: k_t * depth */
        } else {
            assert_true(f.z >= prev);
            before_pop = f.z;
        }
        prev = f.z;
    }
    assert_true(near(at_pop, 0.35 / 1.5, 0.0011));   /* 0.233 mm of dimple */
    assert_int_equal(st.contact.phase, HAP_CONTACT_TISSUE);
    assert_int_equal(st.contact.punctures, 1);
    assert_true(near(st.contact.entry_mm.x, 50, 1e-12) && st.contact.entry_mm.z == 0);
    /* the next tick does not pop again */
    hap_force_input in = at(50, 50, -at_pop - 0.001, true);
    hap_force_eval(&st, &p, &g_pad, &in);
    assert_false(st.contact.popped);
}

static void test_no_puncture_without_machine(void **state)
{
    (void)state;
    hap_force_params p = quiet();
    hap_force_state st;
    hap_force_reset(&st);
    hap_force_input in = at(50, 50, -2.0, false);   /* 3 N on the skin */
    sim_vec3 f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_int_equal(st.contact.phase, HAP_CONTACT_SURFACE);
    assert_true(near(f.z, 3.0, 1e-12));
    /* a finite machine-off threshold can be set */
    p.puncture_force_off_n = 2.0;
    hap_force_eval(&st, &p, &g_pad, &in);
    assert_int_equal(st.contact.phase, HAP_CONTACT_TISSUE);
}

static void puncture(hap_force_state *st, const hap_force_params *p, hap_force_input in)
{
    hap_force_reset(st);
    for (int i = 1; i < 1000 && st->contact.phase != HAP_CONTACT_TISSUE; i++) {
        in.tip_mm.z = -0.001 * i;
        hap_force_eval(st, p, &g_pad, &in);
    }
    assert_int_equal(st->contact.phase, HAP_CONTACT_TISSUE);
}

static void test_tissue_line_drag_and_blowout(void **state)
{
    (void)state;
    hap_force_params p = quiet();
    hap_force_state st;
    puncture(&st, &p, at(50, 50, 0, true));
    /* on the line at 1.0 mm: only the axial resistance, pushing out */
    hap_force_input in = at(50, 50, -1.0, true);
    sim_vec3 f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(near(f.z, 0.35, 1e-12) && near(f.x, 0, 1e-12));
    assert_true(near(st.contact.insertion_mm, 1.0, 1e-12));
    /* 0.2 mm off the line: held back toward it */
    in = at(50.2, 50, -1.0, true);
    f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(near(f.x, -1.2 * 0.2, 1e-12));
    /* drag: moving in resists more, moving out less */
    in = at(50, 50, -1.0, true);
    in.velocity_mm_s = sim_v3(0, 0, -20);
    f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(near(f.z, 0.35 + 0.004 * 20, 1e-12));
    in.velocity_mm_s = sim_v3(0, 0, 20);
    f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(near(f.z, 0.35 - 0.004 * 20, 1e-12));
    /* past the blowout depth the resistance stiffens */
    double f14 = 0, f16 = 0, f18 = 0;
    in = at(50, 50, -1.4, true);
    f14 = hap_force_eval(&st, &p, &g_pad, &in).z;
    in.tip_mm.z = -1.6;
    f16 = hap_force_eval(&st, &p, &g_pad, &in).z;
    in.tip_mm.z = -1.8;
    f18 = hap_force_eval(&st, &p, &g_pad, &in).z;
    assert_true(near(f16 - f14, 0.35 * 0.2 + 1.2 * 0.1, 1e-9));
    assert_true(near(f18 - f16, (0.35 + 1.2) * 0.2, 1e-9));
    /* withdrawn past the entry: back in the air */
    in = at(50, 50, 0.1, true);
    f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_int_equal(st.contact.phase, HAP_CONTACT_AIR);
    assert_true(sim_v3_len(f) == 0.0);
}

static void test_tilted_needle_enters_along_axis(void **state)
{
    (void)state;
    hap_force_params p = quiet();
    hap_force_state st;
    hap_force_input in = at(50, 50, 0, true);
    double a = sim_rad(30);
    in.axis = sim_v3(sin(a), 0, cos(a));
    in.axis_sensed = true;
    puncture(&st, &p, in);
    assert_true(near(st.contact.insert_dir.x, -sin(a), 1e-12));
    assert_true(near(st.contact.insert_dir.z, -cos(a), 1e-12));
    /* a stylus held backwards is not trusted: the normal is used */
    in.axis = sim_v3(0, 0, -1);
    puncture(&st, &p, in);
    assert_true(near(st.contact.insert_dir.z, -1, 1e-12));
}

static void test_vibration(void **state)
{
    (void)state;
    hap_force_params z;
    memset(&z, 0, sizeof z);
    z.mu_static = -1;
    hap_force_params p = hap_force_params_resolve(z);   /* 120 Hz, 0.04 N in air */
    hap_force_state st;
    hap_force_reset(&st);
    hap_force_input in = at(50, 50, 5, true);
    in.t_s = 1.0 / (4 * 120.0);                        /* a quarter period: peak */
    sim_vec3 f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(near(f.z, 0.04, 1e-12));
    in.machine_on = false;
    f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(sim_v3_len(f) == 0.0);
    /* in contact: 0.12 N on top of the spring */
    in = at(50, 50, -0.1, true);
    in.t_s = 3.0 / (4 * 120.0);                        /* trough */
    f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(near(f.z, 0.15 - 0.12, 1e-12));
}

static void test_clamp_and_bad_input(void **state)
{
    (void)state;
    hap_force_params p = quiet();
    p.max_force_n = 1.0;
    hap_force_state st;
    hap_force_reset(&st);
    hap_force_input in = at(50, 50, -3, false);
    sim_vec3 f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(near(sim_v3_len(f), 1.0, 1e-12));
    in.tip_mm.x = NAN;
    f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(sim_v3_len(f) == 0.0);
    assert_int_equal(st.contact.phase, HAP_CONTACT_AIR);
    in = at(50, 50, -1, false);
    f = hap_force_eval(&st, &p, NULL, &in);
    assert_true(sim_v3_len(f) == 0.0);
}

static void stiff_scar(void *ctx, sim_vec2 chart, hap_tissue_local *out)
{
    (void)ctx;
    if (chart.x > 60) {
        out->stiffness_scale = 2.0;
        out->puncture_scale = 3.0;
    }
}

static void bad_map(void *ctx, sim_vec2 chart, hap_tissue_local *out)
{
    (void)ctx;
    (void)chart;
    out->stiffness_scale = NAN;
    out->puncture_scale = 1e9;
    out->drag_scale = -1;
}

static void test_tissue_map(void **state)
{
    (void)state;
    hap_force_params p = quiet();
    p.tissue = stiff_scar;
    hap_force_state st;
    hap_force_reset(&st);
    hap_force_input in = at(70, 50, -0.2, true);
    sim_vec3 f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(near(f.z, 2 * 1.5 * 0.2, 1e-12));
    assert_int_equal(st.contact.phase, HAP_CONTACT_SURFACE);   /* 0.6 N < 3 * 0.35 */
    hap_force_reset(&st);
    in = at(30, 50, -0.2, true);
    f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(near(f.z, 1.5 * 0.2, 1e-12));
    /* a broken map is ignored */
    p.tissue = bad_map;
    hap_force_reset(&st);
    f = hap_force_eval(&st, &p, &g_pad, &in);
    assert_true(near(f.z, 1.5 * 0.2, 1e-12));
}

/* On the head: press along the inward normal at the vertex. */
static void test_head(void **state)
{
    (void)state;
    sim_surface head;
    sim_surface_desc d = {.kind = SIM_SURFACE_HEAD};
    assert_int_equal(sim_surface_init(&head, &d, NULL), SIM_OK);
    sim_head_landmarks lm;
    sim_head_landmarks_get(&lm);
    sim_surface_hit hit;
    sim_surface_closest(&head, lm.vertex, &hit);
    hap_force_params p = quiet();
    hap_force_state st;
    hap_force_reset(&st);
    hap_force_input in;
    memset(&in, 0, sizeof in);
    in.axis = hit.normal;
    in.machine_on = true;
    in.tip_mm = sim_v3_add(hit.point_mm, sim_v3_scale(hit.normal, 1.0));
    sim_vec3 f = hap_force_eval(&st, &p, &head, &in);
    assert_true(sim_v3_len(f) == 0.0);
    in.tip_mm = sim_v3_sub(hit.point_mm, sim_v3_scale(hit.normal, 0.1));
    f = hap_force_eval(&st, &p, &head, &in);
    assert_int_equal(st.contact.phase, HAP_CONTACT_SURFACE);
    assert_true(sim_v3_dot(sim_v3_normalize(f), hit.normal) > 0.99);
    assert_true(near(sim_v3_len(f), 0.15, 0.01));
    in.tip_mm = sim_v3_sub(hit.point_mm, sim_v3_scale(hit.normal, 0.3));
    hap_force_eval(&st, &p, &head, &in);
    assert_int_equal(st.contact.phase, HAP_CONTACT_TISSUE);
    sim_surface_deinit(&head);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_resolve),
        cmocka_unit_test(test_air_and_skin_spring),
        cmocka_unit_test(test_friction_sticks_then_slides),
        cmocka_unit_test(test_puncture_pop),
        cmocka_unit_test(test_no_puncture_without_machine),
        cmocka_unit_test(test_tissue_line_drag_and_blowout),
        cmocka_unit_test(test_tilted_needle_enters_along_axis),
        cmocka_unit_test(test_vibration),
        cmocka_unit_test(test_clamp_and_bad_input),
        cmocka_unit_test(test_tissue_map),
        cmocka_unit_test(test_head),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
