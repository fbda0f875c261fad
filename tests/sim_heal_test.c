/* sim_heal_test.c: the healing model (SIM_VERSION 2 and later): known cases, physical
 * monotonicity within every kind of tissue, depth against the local layers,
 * footprint, stacking, merge groups, sessions and pigment. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "sim_heal.h"

/* A pad tissue with a strip scar along y = 50 and a thin-dermis circle. */
static const sim_vec2 SCAR_LINE[] = {{0, 50}, {100, 50}};
static const sim_scar SCARS[] = {
    {.kind = SIM_SCAR_STRIP, .polyline = SCAR_LINE, .polyline_count = 2, .width_mm = 4},
};
static const sim_tissue_region REGIONS[] = {
    {.centre_mm = {20, 80}, .radius_mm = 5, .dermis_mm = 1.2},
};

static sim_tissue g_tissue;
static sim_tissue g_head;

static int setup(void **state)
{
    (void)state;
    sim_tissue_desc d = {.scars = SCARS, .scar_count = 1, .regions = REGIONS,
                         .region_count = 1, .seed = 11};
    if (sim_tissue_init(&g_tissue, &d, SIM_SURFACE_PAD, NULL) != SIM_OK)
        return -1;
    sim_tissue_init_default(&g_head, SIM_SURFACE_HEAD);
    return 0;
}

static sim_impression imp_at(double x, double y, double depth_mm, uint32_t needle)
{
    sim_impression imp;
    memset(&imp, 0, sizeof imp);
    imp.surface_mm = sim_v3(x, y, 0);
    imp.normal = sim_v3(0, 0, 1);
    imp.chart_mm = sim_v2(x, y);
    imp.depth_mm = depth_mm;
    imp.needle = needle;
    return imp;
}

static sim_healed_dot heal_on(const sim_tissue *t, sim_vec2 at, double depth_mm, uint32_t needle)
{
    sim_impression imp = imp_at(at.x, at.y, depth_mm, needle);
    sim_heal_params p = {.tissue = t};
    sim_healed_dot d;
    sim_heal_one(&imp, &p, &d);
    return d;
}

static sim_healed_dot heal(double depth_mm, uint32_t needle)
{
    sim_impression imp = imp_at(10, 10, depth_mm, needle);
    sim_healed_dot d;
    sim_heal_one(&imp, NULL, &d);
    return d;
}

/* ------------------------------------------------------------------------ */

static void known_cases(void **state)
{
    (void)state;
    double group = sim_needle_get(0)->group_diameter_mm;
    /* 0.05 mm on the 0.08 mm epidermis fades */
    assert_int_equal(heal(0.05, 0).cls, SIM_HEAL_FADED);
    assert_true(heal(0.05, 0).darkness < 0.2);
    /* in the band: crisp, within 20% of the needle group's size, for every
     * cartridge */
    for (size_t n = 0; n < sim_needle_count(); n++) {
        double g = sim_needle_get(n)->group_diameter_mm;
        for (double d = 0.5; d <= 1.2 + 1e-9; d += 0.05) {
            sim_healed_dot h = heal(d, (uint32_t)n);
            assert_int_equal(h.cls, SIM_HEAL_CRISP);
            assert_true(fabs(h.diameter_mm - g) <= 0.2 * g);
            assert_true(h.darkness > 0.9);
            assert_true(h.hue_shift < 0.1);
            assert_true(h.length_mm == h.diameter_mm);
        }
    }
    assert_int_equal(heal(1.8, 0).cls, SIM_HEAL_BLURRED);
    /* 2.5 mm is a blowout: larger and blue-grey */
    sim_healed_dot b = heal(2.5, 0);
    assert_int_equal(b.cls, SIM_HEAL_BLOWOUT);
    assert_true(b.diameter_mm > 1.8 * group);
    assert_true(b.hue_shift > 0.6);
    assert_string_equal(sim_heal_class_name(SIM_HEAL_BLOWOUT), "blowout");
    assert_string_equal(sim_heal_class_name(SIM_HEAL_FADED), "faded");
    assert_string_equal(sim_depth_class_name(SIM_DEPTH_TRAUMA), "trauma");
}

/* Deeper never heals smaller or less blue, on every kind of tissue. */
static void deeper_never_heals_smaller_or_less_blue(void **state)
{
    (void)state;
    const sim_tissue *tissues[] = {NULL, &g_tissue, &g_tissue, &g_tissue, &g_head, &g_head};
    const sim_vec2 at[] = {{10, 10}, {10, 10}, {30, 50}, {20, 80}, {0, -120}, {80, 60}};
    for (size_t t = 0; t < sizeof at / sizeof at[0]; t++) {
        for (size_t n = 0; n < sim_needle_count(); n++) {
            sim_healed_dot prev = heal_on(tissues[t], at[t], 0.0, (uint32_t)n);
            for (double d = 0.01; d < 4.0; d += 0.01) {
                sim_healed_dot h = heal_on(tissues[t], at[t], d, (uint32_t)n);
                assert_true(h.diameter_mm >= prev.diameter_mm - 1e-12);
                assert_true(h.hue_shift >= prev.hue_shift - 1e-12);
                assert_true(h.cls >= prev.cls);
                assert_true(h.equivalent_depth_mm > prev.equivalent_depth_mm);
                prev = h;
            }
        }
    }
}

static void wider_cartridges_never_make_smaller_dots(void **state)
{
    (void)state;
    const sim_vec2 at[] = {{10, 10}, {30, 50}};
    for (int t = 0; t < 2; t++)
        for (double d = 0.02; d < 4.0; d += 0.05)
            for (size_t a = 0; a < sim_needle_count(); a++)
                for (size_t b = 0; b < sim_needle_count(); b++)
                    if (sim_needle_get(a)->group_diameter_mm < sim_needle_get(b)->group_diameter_mm)
                        assert_true(heal_on(&g_tissue, at[t], d, (uint32_t)a).diameter_mm <=
                                    heal_on(&g_tissue, at[t], d, (uint32_t)b).diameter_mm);
}

static void scar_spreads_more_than_normal_skin(void **state)
{
    (void)state;
    for (double d = 0.01; d < 4.0; d += 0.01) {
        sim_healed_dot normal = heal_on(&g_tissue, sim_v2(10, 10), d, 0);
        sim_healed_dot scar = heal_on(&g_tissue, sim_v2(30, 50), d, 0);
        assert_true(scar.diameter_mm > normal.diameter_mm);
        assert_true(scar.hue_shift >= normal.hue_shift);
    }
}

/* 0.8 mm is in the band on normal skin and too deep in a 1 mm thick scar;
 * 1.0 mm in 1.2 mm thin dermis likewise; thicker dermis takes deeper. */
static void depth_is_measured_against_the_local_layers(void **state)
{
    (void)state;
    sim_heal_params p = {.tissue = &g_tissue};
    sim_impression normal = imp_at(10, 10, 0.8, 0), scar = imp_at(30, 50, 0.8, 0);
    assert_int_equal(sim_depth_classify(&normal, &p, 0.5, 1.2), SIM_DEPTH_BAND);
    assert_int_equal(sim_depth_classify(&scar, &p, 0.5, 1.2), SIM_DEPTH_DEEP);
    sim_impression thin = imp_at(20, 80, 1.0, 0);
    assert_int_equal(sim_depth_classify(&thin, &p, 0.5, 1.2), SIM_DEPTH_DEEP);
    /* the reverse: a thick dermis takes a deeper needle in the band */
    sim_tissue_region thick = {.centre_mm = {50, 20}, .radius_mm = 5, .dermis_mm = 4.0};
    sim_tissue t;
    sim_tissue_desc d = {.regions = &thick, .region_count = 1};
    assert_int_equal(sim_tissue_init(&t, &d, SIM_SURFACE_PAD, NULL), SIM_OK);
    sim_heal_params pt = {.tissue = &t};
    sim_impression deep = imp_at(50, 20, 1.6, 0);
    assert_int_equal(sim_depth_classify(&deep, NULL, 0.5, 1.2), SIM_DEPTH_DEEP);
    assert_int_equal(sim_depth_classify(&deep, &pt, 0.5, 1.2), SIM_DEPTH_BAND);
    /* every class, on the reference scalp */
    const double depths[] = {0.05, 0.3, 0.8, 1.6, 2.1, 2.5};
    for (int k = 0; k < 6; k++) {
        sim_impression imp = imp_at(10, 10, depths[k], 0);
        assert_int_equal(sim_depth_classify(&imp, NULL, 0.5, 1.2), (sim_depth_class)k);
    }
    /* the mapping itself */
    assert_true(fabs(sim_depth_equivalent_mm(0.04, 0.04, 1.0) - 0.08) < 1e-12);
    assert_true(fabs(sim_depth_equivalent_mm(0.54, 0.04, 1.0) - (0.08 + 0.5 * 2.1)) < 1e-12);
    assert_true(sim_depth_equivalent_mm(0.3, 0.0, 1.0) == 0.3);
}

static void drag_and_tilt_draw_the_mark_out(void **state)
{
    (void)state;
    sim_impression imp = imp_at(10, 10, 0.8, 0);
    sim_healed_dot round, dragged, tilted;
    sim_heal_one(&imp, NULL, &round);
    imp.drag_mm = 0.6;
    imp.drag_dir = sim_v3(1, 0, 0);
    sim_heal_one(&imp, NULL, &dragged);
    assert_true(fabs(dragged.length_mm - (round.diameter_mm + 0.6)) < 1e-9);
    assert_true(dragged.diameter_mm == round.diameter_mm);
    assert_true(dragged.direction.x == 1.0);
    imp.drag_mm = 0.0;
    imp.angle_rad = sim_rad(45);
    imp.tilt_dir = sim_v3(0, 1, 0);
    sim_heal_one(&imp, NULL, &tilted);
    assert_true(fabs(tilted.length_mm - (round.diameter_mm + 0.8)) < 1e-9);
    assert_true(tilted.direction.y == 1.0);
    /* a round mark has no direction */
    assert_true(sim_v3_len(round.direction) == 0.0);
    /* the footprint: an angle of 90 degrees is capped, never infinite */
    imp.angle_rad = sim_rad(90);
    sim_footprint fp;
    sim_impression_footprint(&imp, &fp);
    assert_true(isfinite(fp.length_mm) && fp.length_mm < 6.0);
}

static void long_dwell_and_repeated_hits_stack(void **state)
{
    (void)state;
    sim_impression imps[5] = {imp_at(10, 10, 0.8, 0), imp_at(10, 10, 0.8, 0),
                              imp_at(10.05, 10, 0.8, 0), imp_at(30, 10, 0.8, 0),
                              imp_at(50, 10, 0.8, 0)};
    imps[4].dwell_s = 5.0;        /* far too long */
    imps[3].dwell_s = 0.05;       /* a tap */
    sim_healed_dot out[5];
    sim_heal_all(imps, 5, NULL, out);
    assert_int_equal(out[0].stack_count, 3);
    assert_int_equal(out[2].stack_count, 3);
    assert_int_equal(out[3].stack_count, 1);
    assert_true(out[0].diameter_mm > out[3].diameter_mm);
    assert_true(out[4].diameter_mm > 2.0 * out[3].diameter_mm);
    assert_int_equal(out[4].cls, SIM_HEAL_CRISP);
    /* alone, the same tap heals as sim_heal_one says */
    sim_healed_dot one;
    sim_heal_one(&imps[3], NULL, &one);
    assert_true(one.diameter_mm == out[3].diameter_mm && one.darkness == out[3].darkness);
    /* a second session on a healed first one does not stack */
    imps[1].session = 1;
    sim_heal_all(imps, 5, NULL, out);
    assert_int_equal(out[0].stack_count, 2);
    assert_int_equal(out[1].stack_count, 1);
}

static void overlapping_dots_merge(void **state)
{
    (void)state;
    /* 0 and 1 overlap, 1 and 2 overlap: one group of three; 3 alone */
    sim_impression imps[4] = {imp_at(10, 10, 0.8, 0), imp_at(10.3, 10, 0.8, 0),
                              imp_at(10.6, 10, 0.8, 0), imp_at(20, 10, 0.8, 0)};
    sim_healed_dot out[4];
    sim_heal_all(imps, 4, NULL, out);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(out[i].merge_group, 0);
        assert_int_equal(out[i].merge_count, 3);
    }
    assert_int_equal(out[3].merge_group, 3);
    assert_int_equal(out[3].merge_count, 1);
    /* input order does not change the groups (the root is the smallest index) */
    sim_impression rev[4] = {imps[3], imps[2], imps[1], imps[0]};
    sim_heal_all(rev, 4, NULL, out);
    assert_int_equal(out[0].merge_count, 1);
    for (int i = 1; i < 4; i++)
        assert_int_equal(out[i].merge_group, 1);
}

/* Without memory for the neighbour grid every pair is compared: same bits. */
static void heal_all_is_the_same_without_memory(void **state)
{
    (void)state;
    enum { N = 400 };
    sim_impression *imps = test_malloc(N * sizeof *imps);
    sim_healed_dot *a = test_malloc(N * sizeof *a), *b = test_malloc(N * sizeof *b);
    sim_rng rng;
    sim_rng_seed(&rng, 5, 5);
    for (int i = 0; i < N; i++) {
        imps[i] = imp_at(100 * sim_rng_unit(&rng), 100 * sim_rng_unit(&rng),
                         3.0 * sim_rng_unit(&rng), sim_rng_u32(&rng) % 8);
        imps[i].dwell_s = 0.5 * sim_rng_unit(&rng);
    }
    sim_heal_params p = {.tissue = &g_tissue};
    sim_heal_all(imps, N, &p, a);
    sim_alloc_fail_after(0);
    sim_heal_all(imps, N, &p, b);
    sim_alloc_fail_after(-1);
    assert_memory_equal(a, b, N * sizeof *a);
    test_free(imps);
    test_free(a);
    test_free(b);
}

static void pigment_and_machine(void **state)
{
    (void)state;
    sim_impression imp = imp_at(10, 10, 0.8, 0);
    sim_pigment light[2] = {{.dilution = 0.5}, {.dilution = 0.0}};
    sim_heal_params p = {.pigments = light, .pigment_count = 2};
    sim_healed_dot first, second, third;
    sim_heal_one(&imp, &p, &first);
    imp.session = 1;
    sim_heal_one(&imp, &p, &second);
    imp.session = 7;                     /* later sessions use the last one */
    sim_heal_one(&imp, &p, &third);
    assert_true(first.darkness < second.darkness);
    assert_true(first.darkness > 0.5);
    assert_true(second.darkness == third.darkness);
    assert_true(first.diameter_mm == second.diameter_mm);
    /* a short stroke carries less pigment */
    sim_machine short_stroke = {.stroke_mm = 2.5};
    sim_heal_params ps = {.machine = &short_stroke};
    sim_healed_dot s;
    imp.session = 0;
    sim_heal_one(&imp, &ps, &s);
    assert_true(s.darkness < second.darkness);
    /* profile checks */
    sim_error err;
    sim_pigment bad = {.dilution = 0.95};
    assert_int_equal(sim_pigment_check(&bad, &err), SIM_ERR_RANGE);
    assert_string_equal(err.message, "pigment carbon-black: dilution must be between 0 and 0.9");
    sim_machine fast = {.frequency_hz = 500};
    assert_int_equal(sim_machine_check(&fast, &err), SIM_ERR_RANGE);
    assert_int_equal(sim_pigment_check(&light[0], &err), SIM_OK);
}

static void scar_uptake_is_uneven_but_deterministic(void **state)
{
    (void)state;
    double lo = 1.0, hi = 0.0;
    for (double x = 1; x < 99; x += 0.7) {
        sim_healed_dot d = heal_on(&g_tissue, sim_v2(x, 50), 0.5, 0);
        sim_healed_dot again = heal_on(&g_tissue, sim_v2(x, 50), 0.5, 0);
        assert_true(d.darkness == again.darkness);
        lo = d.darkness < lo ? d.darkness : lo;
        hi = d.darkness > hi ? d.darkness : hi;
    }
    assert_true(hi - lo > 0.15);
    assert_true(lo > 0.3);
}

static void odd_input_never_misbehaves(void **state)
{
    (void)state;
    sim_impression imp = imp_at(10, 10, NAN, 99);
    imp.dwell_s = INFINITY;
    imp.drag_mm = NAN;
    sim_healed_dot d;
    sim_heal_one(&imp, NULL, &d);
    assert_true(isfinite(d.diameter_mm) && isfinite(d.length_mm) && isfinite(d.darkness));
    imp.depth_mm = -1.0;
    sim_heal_one(&imp, NULL, &d);
    assert_int_equal(d.cls, SIM_HEAL_FADED);
    sim_heal_all(NULL, 3, NULL, &d);
    sim_heal_all(&imp, 0, NULL, &d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_cases),
        cmocka_unit_test(deeper_never_heals_smaller_or_less_blue),
        cmocka_unit_test(wider_cartridges_never_make_smaller_dots),
        cmocka_unit_test(scar_spreads_more_than_normal_skin),
        cmocka_unit_test(depth_is_measured_against_the_local_layers),
        cmocka_unit_test(drag_and_tilt_draw_the_mark_out),
        cmocka_unit_test(long_dwell_and_repeated_hits_stack),
        cmocka_unit_test(overlapping_dots_merge),
        cmocka_unit_test(heal_all_is_the_same_without_memory),
        cmocka_unit_test(pigment_and_machine),
        cmocka_unit_test(scar_uptake_is_uneven_but_deterministic),
        cmocka_unit_test(odd_input_never_misbehaves),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
