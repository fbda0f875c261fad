/* sim_heal_test.c: the first healing rule: known cases and physical
 * monotonicity. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "sim_heal.h"

static sim_healed_dot heal(double depth_mm, uint32_t needle)
{
    sim_impression imp;
    memset(&imp, 0, sizeof imp);
    imp.depth_mm = depth_mm;
    imp.needle = needle;
    sim_healed_dot d;
    sim_heal_one(&imp, NULL, &d);
    return d;
}

static void known_cases(void **state)
{
    (void)state;
    /* 0.05 mm on the 0.08 mm epidermis fades */
    assert_int_equal(heal(0.05, 0).cls, SIM_HEAL_FADED);
    assert_true(heal(0.05, 0).darkness < 0.2);
    /* in the band: crisp, within 20% of the needle group's size */
    for (double d = 0.5; d <= 1.2; d += 0.1) {
        sim_healed_dot h = heal(d, 0);
        double group = sim_needle_get(0)->group_diameter_mm;
        assert_int_equal(h.cls, SIM_HEAL_CRISP);
        assert_true(fabs(h.diameter_mm - group) <= 0.2 * group);
        assert_true(h.darkness > 0.9);
        assert_true(h.hue_shift < 0.1);
    }
    assert_int_equal(heal(1.8, 0).cls, SIM_HEAL_BLURRED);
    /* 2.5 mm is a blowout: larger and blue-grey */
    sim_healed_dot b = heal(2.5, 0);
    assert_int_equal(b.cls, SIM_HEAL_BLOWOUT);
    assert_true(b.diameter_mm > 1.8 * sim_needle_get(0)->group_diameter_mm);
    assert_true(b.hue_shift > 0.6);
    assert_string_equal(sim_heal_class_name(SIM_HEAL_BLOWOUT), "blowout");
}

static void deeper_never_heals_smaller_or_less_blue(void **state)
{
    (void)state;
    for (size_t n = 0; n < sim_needle_count(); n++) {
        sim_healed_dot prev = heal(0.0, (uint32_t)n);
        for (double d = 0.01; d < 4.0; d += 0.01) {
            sim_healed_dot h = heal(d, (uint32_t)n);
            assert_true(h.diameter_mm >= prev.diameter_mm - 1e-12);
            assert_true(h.hue_shift >= prev.hue_shift - 1e-12);
            assert_true(h.cls >= prev.cls);
            prev = h;
        }
    }
}

static void wider_cartridges_never_make_smaller_dots(void **state)
{
    (void)state;
    for (double d = 0.02; d < 4.0; d += 0.05)
        for (size_t a = 0; a < sim_needle_count(); a++)
            for (size_t b = 0; b < sim_needle_count(); b++)
                if (sim_needle_get(a)->group_diameter_mm < sim_needle_get(b)->group_diameter_mm)
                    assert_true(heal(d, (uint32_t)a).diameter_mm <= heal(d, (uint32_t)b).diameter_mm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_cases),
        cmocka_unit_test(deeper_never_heals_smaller_or_less_blue),
        cmocka_unit_test(wider_cartridges_never_make_smaller_dots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
