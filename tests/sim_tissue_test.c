/* sim_tissue_test.c: the tissue map: defaults, checks, layers over the
 * scalp, scars, native hair (Norwood pattern, patches, direction, cover,
 * progression) and skin tone; and the aging projection built on it. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "sim_age.h"
#include "sim_tissue.h"

static void defaults_resolve(void **state)
{
    (void)state;
    sim_tissue t;
    sim_tissue_init_default(&t, SIM_SURFACE_PAD);
    assert_int_equal(t.desc.fitzpatrick, 3);
    assert_true(t.desc.hair.calibre_mm == 0.07);
    assert_true(t.desc.hair.density_per_cm2 == 200.0);
    assert_int_equal(t.desc.hair.whorl_turn, 1);
    sim_tissue_sample s;
    sim_tissue_at(&t, sim_v2(10, 10), &s);
    assert_true(s.epidermis_mm == SIM_TISSUE_REF_EPIDERMIS_MM);
    assert_true(s.dermis_mm == SIM_TISSUE_REF_DERMIS_MM);
    assert_true(s.scar == 0.0 && s.uptake == 1.0 && s.spread == 1.0);
    assert_true(s.hair_per_cm2 == 0.0 && s.hair_cover == 0.0);
    /* a whole-skin override */
    sim_tissue_desc d = {.epidermis_mm = 0.06, .dermis_mm = 3.0, .fitzpatrick = 5};
    assert_int_equal(sim_tissue_init(&t, &d, SIM_SURFACE_HEAD, NULL), SIM_OK);
    sim_tissue_at(&t, sim_v2(0, -120), &s);
    assert_true(s.epidermis_mm == 0.06 && s.dermis_mm == 3.0);
}

static void bad_descs_are_refused_by_name(void **state)
{
    (void)state;
    sim_tissue t;
    sim_error err;
    sim_tissue_desc d = {.fitzpatrick = 7};
    assert_int_equal(sim_tissue_init(&t, &d, SIM_SURFACE_PAD, &err), SIM_ERR_RANGE);
    assert_string_equal(err.message, "fitzpatrick must be a skin type from 1 to 6");
    assert_int_equal(t.desc.fitzpatrick, 3);   /* left as the reference */
    d = (sim_tissue_desc){.dermis_mm = 9};
    assert_int_equal(sim_tissue_init(&t, &d, SIM_SURFACE_PAD, &err), SIM_ERR_RANGE);
    assert_string_equal(err.message, "skin: dermis_mm must be between 0.3 and 6 mm");
    sim_scar scar = {.kind = SIM_SCAR_PUNCH, .width_mm = 0};
    d = (sim_tissue_desc){.scars = &scar, .scar_count = 1};
    assert_int_equal(sim_tissue_init(&t, &d, SIM_SURFACE_PAD, &err), SIM_ERR_RANGE);
    assert_string_equal(err.message, "scar 0: width_mm must be between 0.05 and 50 mm");
    scar = (sim_scar){.kind = SIM_SCAR_STRIP, .width_mm = 2};
    assert_int_equal(sim_tissue_init(&t, &d, SIM_SURFACE_PAD, &err), SIM_ERR_ARG);
    assert_string_equal(err.message, "scar 0: a strip needs 2 or more points");
    d = (sim_tissue_desc){.hair = {.norwood = 8}};
    assert_int_equal(sim_tissue_init(&t, &d, SIM_SURFACE_HEAD, &err), SIM_ERR_RANGE);
    d = (sim_tissue_desc){.hair = {.calibre_mm = NAN}};
    assert_int_equal(sim_tissue_init(&t, &d, SIM_SURFACE_HEAD, &err), SIM_ERR_RANGE);
    sim_tissue_region r = {.radius_mm = 0};
    d = (sim_tissue_desc){.regions = &r, .region_count = 1};
    assert_int_equal(sim_tissue_init(&t, &d, SIM_SURFACE_HEAD, &err), SIM_ERR_ARG);
    d = (sim_tissue_desc){.region_count = 1};
    assert_int_equal(sim_tissue_init(&t, &d, SIM_SURFACE_HEAD, &err), SIM_ERR_ARG);
}

/* On a head the layers vary within FIDELITY.md's ranges: epidermis
 * 0.06-0.10 mm, dermis from 2.1 mm; thicker at the occiput. */
static void layers_vary_over_the_scalp(void **state)
{
    (void)state;
    sim_tissue t;
    sim_tissue_init_default(&t, SIM_SURFACE_HEAD);
    double epi_lo = 1, epi_hi = 0, derm_lo = 10, derm_hi = 0;
    for (double u = -200; u <= 200; u += 5)
        for (double v = -200; v <= 200; v += 5) {
            sim_tissue_sample s;
            sim_tissue_at(&t, sim_v2(u, v), &s);
            epi_lo = fmin(epi_lo, s.epidermis_mm);
            epi_hi = fmax(epi_hi, s.epidermis_mm);
            derm_lo = fmin(derm_lo, s.dermis_mm);
            derm_hi = fmax(derm_hi, s.dermis_mm);
        }
    assert_true(epi_lo >= 0.06 && epi_hi <= 0.10 && epi_hi - epi_lo > 0.015);
    assert_true(derm_lo >= 2.1 && derm_hi > 2.4);
    sim_tissue_sample top, back;
    sim_tissue_at(&t, sim_v2(0, 0), &top);
    sim_tissue_at(&t, sim_v2(0, -140), &back);
    assert_true(back.dermis_mm > top.dermis_mm);
}

static void scars_and_regions(void **state)
{
    (void)state;
    const sim_vec2 line[] = {{0, 0}, {50, 0}};
    sim_scar scars[2] = {
        {.kind = SIM_SCAR_STRIP, .polyline = line, .polyline_count = 2, .width_mm = 2},
        {.kind = SIM_SCAR_PUNCH, .centre_mm = {80, 80}, .width_mm = 1, .dermis_mm = 0.8},
    };
    const sim_vec2 square[] = {{60, 0}, {70, 0}, {70, 10}, {60, 10}};
    sim_tissue_region regions[2] = {
        {.polygon = square, .polygon_count = 4, .epidermis_mm = 0.1},
        {.centre_mm = {65, 5}, .radius_mm = 1, .epidermis_mm = 0.07},   /* later wins */
    };
    sim_tissue_desc d = {.scars = scars, .scar_count = 2, .regions = regions, .region_count = 2};
    sim_tissue t;
    assert_int_equal(sim_tissue_init(&t, &d, SIM_SURFACE_PAD, NULL), SIM_OK);
    sim_tissue_sample in, edge, out, punch;
    sim_tissue_at(&t, sim_v2(25, 0.5), &in);
    sim_tissue_at(&t, sim_v2(25, 1.25), &edge);
    sim_tissue_at(&t, sim_v2(25, 3), &out);
    sim_tissue_at(&t, sim_v2(80, 80.2), &punch);
    assert_true(in.scar == 1.0 && in.dermis_mm == SIM_SCAR_DERMIS_MM);
    assert_true(in.epidermis_mm == SIM_SCAR_EPIDERMIS_MM && in.spread == SIM_SCAR_SPREAD);
    assert_true(edge.scar > 0.0 && edge.scar < 1.0);
    assert_true(edge.dermis_mm > in.dermis_mm && edge.dermis_mm < out.dermis_mm);
    assert_true(out.scar == 0.0 && out.uptake == 1.0);
    assert_true(punch.scar == 1.0 && punch.dermis_mm == 0.8);
    assert_true(in.uptake >= 1.0 - SIM_SCAR_UNEVENNESS && in.uptake <= 1.0);
    sim_tissue_sample a, b;
    sim_tissue_at(&t, sim_v2(62, 2), &a);
    sim_tissue_at(&t, sim_v2(65, 5), &b);
    assert_true(a.epidermis_mm == 0.1 && b.epidermis_mm == 0.07);
    /* uptake follows the seed */
    double differ = 0;
    for (double x = 0; x < 50; x += 1.3) {
        sim_tissue_sample s1, s2;
        sim_tissue_at(&t, sim_v2(x, 0), &s1);
        t.desc.seed = 99;
        sim_tissue_at(&t, sim_v2(x, 0), &s2);
        t.desc.seed = 0;
        differ += fabs(s1.uptake - s2.uptake);
    }
    assert_true(differ > 0.5);
}

static sim_tissue head_with_hair(double now, double later)
{
    sim_tissue t;
    sim_tissue_desc d = {.hair = {.norwood = now, .norwood_later = later, .later_years = 10}};
    assert_int_equal(sim_tissue_init(&t, &d, SIM_SURFACE_HEAD, NULL), SIM_OK);
    return t;
}

/* A later Norwood stage never has more hair anywhere; the fringe stays. */
static void norwood_stages_only_lose_hair(void **state)
{
    (void)state;
    sim_tissue t = head_with_hair(1, 0);
    for (double u = -190; u <= 190; u += 6)
        for (double v = -190; v <= 190; v += 6) {
            double prev = INFINITY;
            for (double s = 1.0; s <= 7.0; s += 0.25) {
                double h = sim_tissue_hair_at(&t, sim_v2(u, v), s);
                assert_true(h <= prev + 1e-9);
                assert_true(h >= 0.0 && h <= 200.0);
                prev = h;
            }
        }
    /* Norwood I: hair on the top; VII: bald top, a fringe over the ears */
    assert_true(sim_tissue_hair_at(&t, sim_v2(0, 0), 1) == 200.0);
    assert_true(sim_tissue_hair_at(&t, sim_v2(0, 0), 7) == 0.0);
    assert_true(sim_tissue_hair_at(&t, sim_v2(135, 0), 7) == 200.0);
    /* nothing grows on the forehead or below the scalp's edge */
    assert_true(sim_tissue_hair_at(&t, sim_v2(0, 120), 1) == 0.0);
    assert_true(sim_tissue_hair_at(&t, sim_v2(180, 0), 1) == 0.0);
    /* Norwood II's temporal recession stays 2 cm in front of the coronal
     * line through the ears (v = 10); III's goes deeper */
    assert_true(sim_tissue_frontal_line_v(45, 2) >= 30);
    assert_true(sim_tissue_frontal_line_v(45, 3) < 30);
    /* no pattern on a pad; no pattern at stage 0 */
    sim_tissue pad;
    sim_tissue_init_default(&pad, SIM_SURFACE_PAD);
    assert_true(sim_tissue_hair_at(&pad, sim_v2(0, 0), 3) == 0.0);
    assert_true(sim_tissue_hair_at(&t, sim_v2(0, 0), 0) == 0.0);
}

static void patches_direction_and_cover(void **state)
{
    (void)state;
    const sim_vec2 sq[] = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    sim_hair_patch patch = {.polygon = sq, .polygon_count = 4, .density_per_cm2 = 150};
    sim_tissue_desc d = {.hair = {.patches = &patch, .patch_count = 1, .length_mm = 5}};
    sim_tissue t;
    assert_int_equal(sim_tissue_init(&t, &d, SIM_SURFACE_PAD, NULL), SIM_OK);
    sim_tissue_sample s;
    sim_tissue_at(&t, sim_v2(5, 5), &s);
    assert_true(s.hair_per_cm2 == 150.0);
    /* Boolean cover: 1 - exp(-n calibre length) with n per mm² */
    assert_true(fabs(s.hair_cover - (1.0 - exp(-1.5 * 0.07 * 5))) < 1e-12);
    assert_true(fabs(sim_v2_len(s.hair_dir) - 1.0) < 1e-12);
    sim_tissue_at(&t, sim_v2(20, 5), &s);
    assert_true(s.hair_per_cm2 == 0.0 && s.hair_dir.x == 0.0 && s.hair_dir.y == 0.0);
    /* far from the whorl hair grows straight away from it; near it, it
     * turns: one way clockwise, the other anticlockwise */
    sim_tissue h = head_with_hair(2, 0);
    sim_vec2 w = h.desc.hair.whorl_mm;
    sim_vec2 far = sim_tissue_hair_direction(&h, sim_v2(w.x, w.y + 150));
    assert_true(far.y > 0.999);
    sim_vec2 cw = sim_tissue_hair_direction(&h, sim_v2(w.x + 5, w.y));
    h.desc.hair.whorl_turn = -1;
    sim_vec2 acw = sim_tissue_hair_direction(&h, sim_v2(w.x + 5, w.y));
    assert_true(cw.y > 0.5 && acw.y < -0.5);
}

static void progression_and_aging(void **state)
{
    (void)state;
    sim_tissue t = head_with_hair(3, 5);
    assert_true(sim_tissue_norwood_after(&t, 0) == 3.0);
    assert_true(sim_tissue_norwood_after(&t, 5) == 4.0);
    assert_true(sim_tissue_norwood_after(&t, 40) == 7.0);
    /* dots: behind the Norwood III line (in hair now, bald at V), on the
     * bald top in front of it, and low on the forehead */
    sim_impression imps[3];
    memset(imps, 0, sizeof imps);
    imps[0].chart_mm = sim_v2(0, 45);
    imps[1].chart_mm = sim_v2(0, 64);
    imps[2].chart_mm = sim_v2(0, 95);
    for (int i = 0; i < 3; i++) {
        imps[i].depth_mm = 0.8;
        imps[i].surface_mm = sim_v3(0, 0, 10.0 * i);
    }
    sim_heal_params p = {.tissue = &t};
    sim_healed_dot healed[3];
    sim_heal_all(imps, 3, &p, healed);
    sim_aged_dot aged[3];
    sim_age_all(imps, healed, 3, &p, 10.0, aged);
    assert_int_equal(aged[0].flags, SIM_AGE_EXPOSED);
    assert_int_equal(aged[1].flags, 0);
    assert_int_equal(aged[2].flags, SIM_AGE_BEYOND_HAIRLINE);
    assert_true(aged[0].hair_now_per_cm2 > 100 && aged[0].hair_later_per_cm2 < 100);
    /* fading: about half after one half-life (type III: 11 years) */
    sim_age_all(imps, healed, 3, &p, 11.0, aged);
    assert_true(fabs(aged[1].dot.darkness - 0.5 * healed[1].darkness) < 1e-9);
    assert_true(aged[1].dot.diameter_mm > healed[1].diameter_mm);
    assert_true(sim_age_norwood(&p, 10.0) == 5.0);
    /* darker skin keeps pigment longer; carbon black does not drift */
    t.desc.fitzpatrick = 6;
    sim_aged_dot dark[3];
    sim_age_all(imps, healed, 3, &p, 11.0, dark);
    assert_true(dark[1].dot.darkness > aged[1].dot.darkness);
    assert_true(dark[1].dot.hue_shift == healed[1].hue_shift);
    /* a mixed ink drifts toward blue-grey */
    sim_pigment mixed = {.hue_drift_per_decade = 0.2};
    p.pigments = &mixed;
    p.pigment_count = 1;
    sim_age_all(imps, healed, 3, &p, 10.0, dark);
    assert_true(fabs(dark[1].dot.hue_shift - (healed[1].hue_shift + 0.2)) < 1e-9);
    /* zero years change nothing but the flags' stage */
    p.pigments = NULL;
    sim_age_all(imps, healed, 3, &p, 0.0, aged);
    assert_true(aged[1].dot.darkness == healed[1].darkness);
    assert_int_equal(aged[0].flags, 0);
}

static void skin_tone_darkens_with_type(void **state)
{
    (void)state;
    double prev[3] = {2, 2, 2};
    for (int type = 1; type <= 6; type++) {
        double rgb[3];
        sim_skin_rgb(type, rgb);
        for (int c = 0; c < 3; c++) {
            assert_true(rgb[c] >= 0.0 && rgb[c] <= 1.0);
            assert_true(rgb[c] < prev[c]);
            prev[c] = rgb[c];
        }
        assert_true(rgb[0] > rgb[1] && rgb[1] > rgb[2]);  /* warm */
    }
    double a[3], b[3];
    sim_skin_rgb(0, a);
    sim_skin_rgb(1, b);
    assert_memory_equal(a, b, sizeof a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_resolve),
        cmocka_unit_test(bad_descs_are_refused_by_name),
        cmocka_unit_test(layers_vary_over_the_scalp),
        cmocka_unit_test(scars_and_regions),
        cmocka_unit_test(norwood_stages_only_lose_hair),
        cmocka_unit_test(patches_direction_and_cover),
        cmocka_unit_test(progression_and_aging),
        cmocka_unit_test(skin_tone_darkens_with_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
