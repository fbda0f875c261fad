/* sim_tissue_parse_test.c: a lesson's `tissue:` mapping (lessons/
 * les_tissue.c): every key into the sim_tissue_desc, the exact diagnostics
 * for bad values, allocation failures, and the shipped reference lessons. */
#include "lessons_helpers.h"

#include "sim_tissue.h"

#define LT_TISSUE                                                              \
    "tissue:\n"                                                  /* 12 */      \
    "  fitzpatrick: 4\n"                                         /* 13 */      \
    "  epidermis_mm: 0.07\n"                                     /* 14 */      \
    "  dermis_mm: 2.4\n"                                         /* 15 */      \
    "  seed: 42\n"                                               /* 16 */      \
    "  regions:\n"                                               /* 17 */      \
    "    - {polygon_mm: [[0, 0], [10, 0], [10, 10]], dermis_mm: 1.5}\n"        \
    "    - {centre_mm: [50, 50], radius_mm: 5, epidermis_mm: 0.09}\n"          \
    "  scars:\n"                                                 /* 20 */      \
    "    - {type: strip, polyline_mm: [[0, 50], [100, 50]], width_mm: 3}\n"    \
    "    - {type: punch, centre_mm: [30, 30], diameter_mm: 1, unevenness: 0.8, dermis_mm: 0.9}\n" \
    "  hair:\n"                                                  /* 23 */      \
    "    norwood: 3\n"                                                         \
    "    progression: {years: 10, norwood: 5.5}\n"                             \
    "    density_per_cm2: 180\n"                                               \
    "    calibre_mm: 0.08\n"                                                   \
    "    length_mm: 2\n"                                                       \
    "    colour_rgb: [0.1, 0.05, 0.02]\n"                                      \
    "    whorl_mm: [10, -20]\n"                                                \
    "    whorl: anticlockwise\n"                                               \
    "    patches:\n"                                                           \
    "      - {polygon_mm: [[60, 60], [70, 60], [70, 70]], density_per_cm2: 0}\n"

static void every_key_reaches_the_desc(void **state)
{
    (void)state;
    les_lesson l;
    lt_parse_ok(&l, LT_VALID LT_TISSUE);
    const sim_tissue_desc *t = &l.tissue;
    assert_int_equal(t->fitzpatrick, 4);
    assert_true(t->epidermis_mm == 0.07 && t->dermis_mm == 2.4);
    assert_true(t->seed == 42);
    assert_int_equal(t->region_count, 2);
    assert_int_equal(t->regions[0].polygon_count, 3);
    assert_true(t->regions[0].polygon[1].x == 10 && t->regions[0].dermis_mm == 1.5);
    assert_true(t->regions[1].radius_mm == 5 && t->regions[1].centre_mm.x == 50);
    assert_int_equal(t->scar_count, 2);
    assert_int_equal(t->scars[0].kind, SIM_SCAR_STRIP);
    assert_true(t->scars[0].width_mm == 3 && t->scars[0].polyline_count == 2);
    assert_int_equal(t->scars[1].kind, SIM_SCAR_PUNCH);
    assert_true(t->scars[1].width_mm == 1 && t->scars[1].centre_mm.y == 30);
    assert_true(t->scars[1].unevenness == 0.8 && t->scars[1].dermis_mm == 0.9);
    const sim_hair_desc *h = &t->hair;
    assert_true(h->norwood == 3 && h->norwood_later == 5.5 && h->later_years == 10);
    assert_true(h->density_per_cm2 == 180 && h->calibre_mm == 0.08 && h->length_mm == 2);
    assert_true(h->colour_rgb[0] == 0.1 && h->colour_rgb[2] == 0.02);
    assert_true(h->whorl_given && h->whorl_mm.x == 10 && h->whorl_mm.y == -20);
    assert_int_equal(h->whorl_turn, -1);
    assert_int_equal(h->patch_count, 1);
    assert_true(h->patches[0].density_per_cm2 == 0 && h->patches[0].polygon_count == 3);
    /* and the map takes it */
    sim_tissue map;
    assert_int_equal(sim_tissue_init(&map, t, SIM_SURFACE_HEAD, NULL), SIM_OK);
    les_lesson_deinit(&l);
    /* no tissue: all zero, the reference scalp */
    lt_parse_ok(&l, LT_VALID);
    sim_tissue_desc zero;
    memset(&zero, 0, sizeof zero);
    assert_memory_equal(&l.tissue, &zero, sizeof zero);
    les_lesson_deinit(&l);
}

static void expect_diags(const char *tissue, const char *want)
{
    char text[4096];
    snprintf(text, sizeof text, "%s%s", LT_VALID, tissue);
    les_result r;
    char *got = lt_diagnose(text, &r);
    assert_int_equal(r, LES_ERR_INVALID);
    assert_string_equal(got, want);
    free(got);
}

static void bad_values_are_named_with_their_place(void **state)
{
    (void)state;
    expect_diags("tissue:\n  fitzpatrik: 3\n  dermis_mm: 9\n",
                 "t.yaml:13:3: error: unknown key `fitzpatrik`; did you mean `fitzpatrick`?\n"
                 "t.yaml:14:14: error: `dermis_mm` must be a number between 0.3 and 6 (mm), got 9\n");
    expect_diags("tissue:\n  scars:\n    - {type: strp, width_mm: 2}\n"
                 "    - {type: punch, polyline_mm: [[1, 2], [3, 4]]}\n",
                 "t.yaml:14:14: error: `type` must be strip or punch, got \"strp\"; did you mean `strip`?\n"
                 "t.yaml:15:7: error: missing required key `centre_mm` (a punch scar)\n"
                 "t.yaml:15:7: error: missing required key `diameter_mm` (a punch scar)\n"
                 "t.yaml:15:21: error: `polyline_mm` does not apply to a punch scar\n");
    expect_diags("tissue:\n  scars:\n    - {type: strip, polyline_mm: [[1, 2]], width_mm: 1}\n",
                 "t.yaml:14:34: error: `polyline_mm` must be a list of 2 to 1000 chart points "
                 "[a, b] (mm), got a list\n");
    expect_diags("tissue:\n  regions:\n    - {centre_mm: [1, 2]}\n"
                 "    - {polygon_mm: [[0, 0], [1, 1], [1, 0], [0, 1]], radius_mm: 2}\n",
                 "t.yaml:14:7: error: missing required key `radius_mm` (a circle needs its radius)\n"
                 "t.yaml:15:7: error: a region needs either `polygon_mm` or `centre_mm` with `radius_mm`\n"
                 "t.yaml:15:20: error: `polygon_mm` crosses itself: the edge from point 1 to 2 "
                 "meets the edge from point 3 to 4\n");
    expect_diags("tissue:\n  hair:\n    progression: {years: 10, norwood: 9}\n"
                 "    whorl: sideways\n    colour_rgb: [1, 2, 0]\n    whorl_mm: [1, 2, 3]\n",
                 "t.yaml:14:5: error: missing required key `norwood` (a progression starts from the stage now)\n"
                 "t.yaml:14:39: error: `norwood` must be a number between 1 and 7, got 9\n"
                 "t.yaml:15:12: error: `whorl` must be clockwise or anticlockwise, got \"sideways\"\n"
                 "t.yaml:16:21: error: `colour_rgb` must be a number between 0 and 1 (linear RGB), got 2\n"
                 "t.yaml:17:15: error: `whorl_mm` must be a chart point [a, b] (mm), got a list\n");
    expect_diags("tissue:\n  seed: 1.5\n  scars: []\n",
                 "t.yaml:13:9: error: `seed` must be a whole number from 0 to 2^53 - 1, got 1.5\n"
                 "t.yaml:14:10: error: `scars` must be a list of 1 to 256 mappings, got a list\n");
}

/* Every allocation failing in turn: an error, never a crash or a leak. */
static void out_of_memory_is_an_error(void **state)
{
    (void)state;
    const char *text = LT_VALID LT_TISSUE;
    for (long n = 0; n < 400; n++) {
        les_lesson l;
        les_diags d;
        les_diags_init(&d, "t.yaml");
        sim_alloc_fail_after(n);
        les_result r = les_lesson_parse(&l, text, strlen(text), &d);
        sim_alloc_fail_after(-1);
        les_diags_deinit(&d);
        if (r == LES_OK) {
            assert_int_equal(l.tissue.scar_count, 2);
            les_lesson_deinit(&l);
            return;
        }
        assert_int_equal(r, LES_ERR_NOMEM);
    }
    fail_msg("the lesson never parsed");
}

/* The reference lessons behind the golden pictures parse and build maps. */
static void reference_lessons_parse(void **state)
{
    (void)state;
    const char *files[] = {STIPPLE_ASSET_DIR "/../tests/golden/heal_pad.yaml",
                           STIPPLE_ASSET_DIR "/../tests/golden/heal_head.yaml"};
    for (int i = 0; i < 2; i++) {
        les_lesson l;
        les_diags d;
        les_diags_init(&d, files[i]);
        les_result r = les_lesson_load(&l, files[i], &d);
        if (r != LES_OK)
            les_diags_print(&d, stderr);
        assert_int_equal(r, LES_OK);
        assert_int_equal(d.count, 0);
        les_diags_deinit(&d);
        sim_tissue t;
        assert_int_equal(sim_tissue_init(&t, &l.tissue, l.surface.kind, NULL), SIM_OK);
        les_lesson_deinit(&l);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_key_reaches_the_desc),
        cmocka_unit_test(bad_values_are_named_with_their_place),
        cmocka_unit_test(out_of_memory_is_an_error),
        cmocka_unit_test(reference_lessons_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
