/* render_dots_test.c: impressions to drawable dots (no GL): fresh marks,
 * healed dots across the healing classes, and their colours. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "rnd.h"

static sim_impression impression(double depth_mm, uint32_t needle)
{
    sim_impression imp;
    memset(&imp, 0, sizeof imp);
    imp.surface_mm = sim_v3(12.0, 34.0, 0.0);
    imp.normal = sim_v3(0.0, 0.0, 2.0); /* not unit on purpose */
    imp.depth_mm = depth_mm;
    imp.needle = needle;
    return imp;
}

static void fresh_dots_are_dark_red_black_and_larger_than_the_group(void **state)
{
    (void)state;
    for (uint32_t k = 0; k < (uint32_t)sim_needle_count(); k++) {
        sim_impression imp = impression(0.8, k);
        rnd_dot d;
        rnd_dots_from_impressions(&imp, NULL, 1, RND_DOTS_FRESH, &d);
        double group = sim_needle_get(k)->group_diameter_mm;
        assert_true(d.diameter_mm > group);
        assert_true(d.diameter_mm < 1.5 * group);
        assert_true(d.rgba[3] > 0.85f);
        assert_true(d.rgba[0] > d.rgba[2]);       /* reddish */
        assert_true(d.rgba[0] < 0.1f);            /* but nearly black */
        assert_true(d.pos[0] == 12.0f && d.pos[1] == 34.0f && d.pos[2] == 0.0f);
        assert_true(fabsf(d.normal[2] - 1.0f) < 1e-6f); /* normalised */
    }
    /* an unknown cartridge still gives a sensible dot */
    sim_impression imp = impression(0.8, 9999);
    rnd_dot d;
    rnd_dots_from_impressions(&imp, NULL, 1, RND_DOTS_FRESH, &d);
    assert_true(d.diameter_mm > 0.1f && d.diameter_mm < 1.0f);
}

static void healed_dots_follow_the_heal_model(void **state)
{
    (void)state;
    const double depths[4] = {0.05, 0.8, 1.8, 2.6}; /* faded, crisp, blurred, blowout */
    sim_impression imps[4];
    sim_healed_dot healed[4];
    rnd_dot dots[4];
    for (int i = 0; i < 4; i++)
        imps[i] = impression(depths[i], 0);
    sim_heal_all(imps, 4, NULL, healed);
    rnd_dots_from_impressions(imps, healed, 4, RND_DOTS_HEALED, dots);
    for (int i = 0; i < 4; i++) {
        assert_true(fabs(dots[i].diameter_mm - healed[i].diameter_mm) < 1e-6);
        assert_true(fabs(dots[i].edge_mm - healed[i].edge_mm) < 1e-6);
    }
    /* faded dots are faint, crisp ones dark */
    assert_true(dots[0].rgba[3] < 0.35f);
    assert_true(dots[1].rgba[3] > 0.8f);
    /* crisp: neutral grey-black; blowout: blue-grey */
    assert_true(fabsf(dots[1].rgba[2] - dots[1].rgba[0]) < 0.02f);
    assert_true(dots[3].rgba[2] > 1.4f * dots[3].rgba[0]);
    assert_true(dots[3].rgba[2] > dots[1].rgba[2]);
}

static void hue_shift_and_darkness_map_monotonically(void **state)
{
    (void)state;
    sim_impression imp = impression(1.0, 0);
    float last_blue_ratio = 0.0f, last_alpha = -1.0f;
    for (int i = 0; i <= 10; i++) {
        sim_healed_dot h;
        memset(&h, 0, sizeof h);
        h.cls = SIM_HEAL_CRISP;
        h.diameter_mm = 0.4;
        h.edge_mm = 0.05;
        h.darkness = i / 10.0;
        h.hue_shift = i / 10.0;
        rnd_dot d;
        rnd_dots_from_impressions(&imp, &h, 1, RND_DOTS_HEALED, &d);
        float ratio = d.rgba[2] / d.rgba[0];
        assert_true(ratio >= last_blue_ratio);
        assert_true(d.rgba[3] > last_alpha);
        last_blue_ratio = ratio;
        last_alpha = d.rgba[3];
    }
    assert_true(last_alpha <= 1.0f);
    /* out-of-range inputs are clamped, never wild */
    sim_healed_dot h = {.cls = SIM_HEAL_BLOWOUT, .diameter_mm = -1.0, .edge_mm = -1.0,
                        .darkness = 7.0, .hue_shift = -3.0};
    rnd_dot d;
    rnd_dots_from_impressions(&imp, &h, 1, RND_DOTS_HEALED, &d);
    assert_true(d.diameter_mm == 0.0f && d.edge_mm == 0.0f);
    assert_true(d.rgba[3] <= 1.0f && d.rgba[3] > 0.9f);
    assert_true(fabsf(d.rgba[2] - d.rgba[0]) < 0.02f);
}

static void healed_style_without_healed_dots_falls_back_to_fresh(void **state)
{
    (void)state;
    sim_impression imp = impression(0.8, 0);
    rnd_dot a, b;
    rnd_dots_from_impressions(&imp, NULL, 1, RND_DOTS_HEALED, &a);
    rnd_dots_from_impressions(&imp, NULL, 1, RND_DOTS_FRESH, &b);
    assert_memory_equal(&a, &b, sizeof a);
    /* NULL arrays are ignored */
    rnd_dots_from_impressions(NULL, NULL, 1, RND_DOTS_FRESH, &a);
    rnd_dots_from_impressions(&imp, NULL, 1, RND_DOTS_FRESH, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fresh_dots_are_dark_red_black_and_larger_than_the_group),
        cmocka_unit_test(healed_dots_follow_the_heal_model),
        cmocka_unit_test(hue_shift_and_darkness_map_monotonically),
        cmocka_unit_test(healed_style_without_healed_dots_falls_back_to_fresh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
