/* sim_heal_profiles_test.c: pigment, machine and cartridge profiles from
 * assets/ (lessons/les_profiles.c): the shipped files parse and pass the
 * sim's checks, assets/needles/cartridges.yaml equals the built-in table,
 * bad files are reported with their place, out of memory is an error. */
#include "lessons_helpers.h"

#include "les_profiles.h"
#include "sim_heal.h"

static char *diag_text(les_diags *d)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    les_diags_print(d, f);
    fclose(f);
    return out;
}

static void shipped_pigments_and_machines(void **state)
{
    (void)state;
    const char *pigments[] = {"pigments/carbon-black.yaml", "pigments/carbon-black-light.yaml",
                              "pigments/mixed-black.yaml"};
    sim_pigment p[3];
    for (int i = 0; i < 3; i++) {
        les_diags d;
        les_diags_init(&d, "");
        assert_int_equal(les_pigment_load(tu_asset(pigments[i]), &p[i], &d), LES_OK);
        assert_int_equal(d.count, 0);
        les_diags_deinit(&d);
        assert_int_equal(sim_pigment_check(&p[i], NULL), SIM_OK);
    }
    assert_string_equal(p[0].name, "carbon-black");
    /* the default pigment is the shipped carbon black */
    sim_pigment def = sim_pigment_resolve((sim_pigment){0});
    assert_memory_equal(&def, &p[0], sizeof def);
    assert_true(p[1].dilution == 0.4 && p[2].hue_drift_per_decade == 0.15);
    sim_machine m;
    les_diags d;
    les_diags_init(&d, "");
    assert_int_equal(les_machine_load(tu_asset("needles/rotary.yaml"), &m, &d), LES_OK);
    sim_machine mdef = sim_machine_resolve((sim_machine){0});
    assert_memory_equal(&m, &mdef, sizeof m);
    assert_int_equal(les_machine_load(tu_asset("needles/rotary-short.yaml"), &m, &d), LES_OK);
    assert_true(m.stroke_mm == 2.5);
    les_diags_deinit(&d);
}

static void cartridge_file_equals_the_table(void **state)
{
    (void)state;
    sim_needle table[64];
    size_t n = 0;
    les_diags d;
    les_diags_init(&d, "");
    assert_int_equal(les_cartridges_load(tu_asset("needles/cartridges.yaml"), table, 64, &n, &d),
                     LES_OK);
    les_diags_deinit(&d);
    assert_int_equal(n, sim_needle_count());
    for (size_t i = 0; i < n; i++) {
        const sim_needle *b = sim_needle_get(i);
        assert_string_equal(table[i].name, b->name);
        assert_int_equal(table[i].needle_count, b->needle_count);
        assert_true(table[i].needle_diameter_mm == b->needle_diameter_mm);
        assert_true(table[i].group_diameter_mm == b->group_diameter_mm);
    }
    les_diags_init(&d, "");
    assert_int_equal(les_cartridges_load(tu_asset("needles/cartridges.yaml"), table, 4, &n, &d),
                     LES_ERR_INVALID);
    les_diags_deinit(&d);
}

static void bad_profiles_are_named_with_their_place(void **state)
{
    (void)state;
    const char *path = tu_tmp("bad-pigment.yaml");
    const char bad[] = "stipple_pigment: 1\nname: Bad_Name\nshade: 2\ndilutoin: 0.5\n";
    assert_int_equal(tu_write_file(path, bad, sizeof bad - 1), 0);
    les_diags d;
    les_diags_init(&d, "p.yaml");
    sim_pigment p;
    assert_int_equal(les_pigment_load(path, &p, &d), LES_ERR_INVALID);
    char *got = diag_text(&d);
    assert_string_equal(got,
                        "p.yaml:2:7: error: `name` must be an id of 1 to 31 lowercase letters, "
                        "digits or '-', got \"Bad_Name\"\n"
                        "p.yaml:3:8: error: `shade` must be a number between 0.05 and 1, got 2\n"
                        "p.yaml:4:1: error: unknown key `dilutoin`; did you mean `dilution`?\n");
    free(got);
    les_diags_deinit(&d);
    assert_true(p.shade == 0.0);
    const char carts[] = "stipple_cartridges: 1\ncartridges:\n  - {name: X, needles: 2, "
                         "needle_diameter_mm: 0.2}\n";
    path = tu_tmp("bad-carts.yaml");
    assert_int_equal(tu_write_file(path, carts, sizeof carts - 1), 0);
    les_diags_init(&d, "c.yaml");
    sim_needle table[4];
    size_t n;
    assert_int_equal(les_cartridges_load(path, table, 4, &n, &d), LES_ERR_INVALID);
    got = diag_text(&d);
    assert_string_equal(got, "c.yaml:3:24: error: `needles` must be 1 or 3 (a round liner), got 2\n");
    free(got);
    les_diags_deinit(&d);
    les_diags_init(&d, "m.yaml");
    sim_machine m;
    assert_int_equal(les_machine_load(tu_tmp("missing.yaml"), &m, &d), LES_ERR_IO);
    les_diags_deinit(&d);
}

static void out_of_memory_is_an_error(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s", tu_asset("needles/cartridges.yaml"));
    for (long k = 0; k < 500; k++) {
        sim_needle table[64];
        size_t n;
        les_diags d;
        les_diags_init(&d, "");
        sim_alloc_fail_after(k);
        les_result r = les_cartridges_load(path, table, 64, &n, &d);
        sim_alloc_fail_after(-1);
        les_diags_deinit(&d);
        if (r == LES_OK) {
            assert_int_equal(n, 8);
            return;
        }
        assert_int_equal(r, LES_ERR_NOMEM);
    }
    fail_msg("the cartridges never loaded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_pigments_and_machines),
        cmocka_unit_test(cartridge_file_equals_the_table),
        cmocka_unit_test(bad_profiles_are_named_with_their_place),
        cmocka_unit_test(out_of_memory_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
