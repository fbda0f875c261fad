/* lessons_write_test.c: lessons written back as YAML (les_lesson_write)
 * read back as the same lesson: for every lesson of the curriculum and for
 * texts using every key, writing the lesson read back from what was
 * written gives the same bytes (every value survives, numbers exactly),
 * with no new diagnostic. */
#include <dirent.h>

#include "lessons_helpers.h"

static char *write_text(const les_lesson *l)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(les_lesson_write(l, f), LES_OK);
    fclose(f);
    return text;
}

/* Writes `l`, reads it back, writes again: the same bytes, at most
 * `warnings` diagnostics. */
static void round_trip(const les_lesson *l, const char *what, size_t warnings)
{
    char *first = write_text(l);
    les_lesson back;
    les_diags d;
    les_diags_init(&d, what);
    les_result r = les_lesson_parse(&back, first, strlen(first), &d);
    if (r != LES_OK || d.count > warnings) {
        les_diags_print(&d, stderr);
        fprintf(stderr, "%s written as:\n%s", what, first);
    }
    assert_int_equal(r, LES_OK);
    assert_true(d.count <= warnings);
    char *second = write_text(&back);
    if (strcmp(first, second) != 0)
        fprintf(stderr, "%s: first write:\n%s\nsecond write:\n%s", what, first, second);
    assert_string_equal(first, second);
    assert_int_equal(back.zone_count, l->zone_count);
    /* the rubric is plain values: every field survives */
    assert_memory_equal(&back.rubric, &l->rubric, sizeof l->rubric);
    les_lesson_deinit(&back);
    les_diags_deinit(&d);
    free(first);
    free(second);
}

static void round_trip_dir(const char *sub, size_t warnings)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", tu_asset(sub));
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    struct dirent *e;
    size_t n = 0;
    while ((e = readdir(dp))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0 ||
            strcmp(e->d_name, "curriculum.yaml") == 0)
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        les_lesson l;
        les_diags d;
        les_diags_init(&d, NULL);
        assert_int_equal(les_lesson_load(&l, path, &d), LES_OK);
        les_diags_deinit(&d);
        round_trip(&l, e->d_name, warnings);
        les_lesson_deinit(&l);
        n++;
    }
    closedir(dp);
    assert_true(n > 0);
}

static void test_curriculum_round_trips(void **state)
{
    (void)state;
    round_trip_dir("lessons", 0);
    round_trip_dir("lessons/sessions", 1);
}

/* Every key, text that needs escapes, numbers that need all their digits,
 * 3D points (written as their chart points). */
static void test_every_key_round_trips(void **state)
{
    (void)state;
    static const char text[] =
        "stipple_lesson: 1\nid: every-key\ntitle: \"Quotes \\\" and \\\\ back\"\nversion: 7\n"
        "author: A. Teacher\nlevel: certification\n"
        "description: \"Line one\\nline two\\twith a tab\"\n"
        "surface: {type: head, resolution: 40}\n"
        "tissue:\n"
        "  fitzpatrick: 5\n  epidermis_mm: 0.07\n  dermis_mm: 2.4\n  seed: 12345\n"
        "  regions:\n"
        "    - {polygon_mm: [[0, 0], [10, 0], [10, 10]], dermis_mm: 3}\n"
        "    - {centre_mm: [5, -20], radius_mm: 8, epidermis_mm: 0.09}\n"
        "  scars:\n"
        "    - {type: strip, polyline_mm: [[-20, -100], [20, -100]], width_mm: 3.5,\n"
        "       dermis_mm: 1.1, unevenness: 0.7}\n"
        "    - {type: punch, centre_mm: [4, -90], diameter_mm: 1}\n"
        "  hair:\n"
        "    norwood: 3.5\n    progression: {years: 12, norwood: 5}\n"
        "    density_per_cm2: 180\n    calibre_mm: 0.08\n    length_mm: 2\n"
        "    colour_rgb: [0.1, 0.05, 0.02]\n    whorl_mm: [-12, -30]\n    whorl: anticlockwise\n"
        "    patches: [{polygon_mm: [[0, 0], [5, 0], [5, 5]], density_per_cm2: 0}]\n"
        "client:\n"
        "  name: \"Sam: 40\"\n  age_years: 40\n  history: Norwood 3.\n"
        "  answers: [{question: Pregnant?, answer: No.}]\n"
        "  conditions: [androgenetic-alopecia, alopecia-areata]\n"
        "  decision: caution\n  rationale: Regrowth possible.\n"
        "tools:\n  cartridges: [0601, 1203RL]\n"
        "  pigments: [{name: soft-black, dilution_percent: 33.333333333333336}]\n"
        "zones:\n"
        "  - name: work\n"
        "    polygon_mm: [[0, 125, -10], [40, 30], [40, 70], [-40, 70], [-40, 30]]\n"
        "    density_per_cm2: 61.7\n    depth_band_mm: [0.45, 1.15]\n"
        "    shade: soft-black\n    cartridge: 1203\n    note: The main zone.\n"
        "  - {name: mole, kind: forbidden, polygon_mm: [[0, 50], [4, 50], [4, 54]]}\n"
        "hairline:\n"
        "  polyline_mm: [[-50, 63], [0, 72.6], [50, 63]]\n"
        "  temple_points_mm: [[-58, 91], [58, 91]]\n"
        "session: {number: 2, planned: 3, days_since_previous: 21, previous_impressions: s1.csv,\n"
        "          previous_sha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef}\n"
        "rubric:\n"
        "  pass_mark: 72.5\n  weights: {depth: 2, density: 0.5, hairline: 0}\n"
        "  thresholds: {spacing: 40}\n  must_pass: [safety, depth]\n"
        "  density: {tolerance: 0.4}\n  spacing: {clark_evans: [1.2, 2]}\n"
        "  hairline: {softness_mm: [6, 14, 5], corridor_mm: 25}\n"
        "  technique: {pace_per_min: [30, 200]}\n  safety: {penalty: 50}\n"
        "  heatmap_cell_mm: 8\n"
        "mode: exam\ntime_limit_min: 92.5\n";
    les_lesson l;
    lt_parse_ok(&l, text);
    round_trip(&l, "every-key", 0);
    char *out = write_text(&l);
    /* what the writer says, in a few places */
    assert_non_null(strstr(out, "title: \"Quotes \\\" and \\\\ back\"\n"));
    assert_non_null(strstr(out, "description: \"Line one\\nline two\\twith a tab\"\n"));
    assert_non_null(strstr(out, "dilution_percent: 33.333333333333336}"));
    assert_non_null(strstr(out, "cartridges: [0601RL, 1203RL]\n"));
    assert_non_null(strstr(out, "polygon_mm: [[0, 0], [40, 30]")); /* the 3D point: the crown */
    assert_non_null(strstr(out, "time_limit_min: 92.5\n"));
    assert_non_null(strstr(out, "mode: exam\n"));
    free(out);
    les_lesson_deinit(&l);
    /* the smallest lesson writes the smallest file */
    lt_parse_ok(&l, LT_VALID);
    out = write_text(&l);
    assert_string_equal(out, "stipple_lesson: 1\nid: t\ntitle: \"T\"\nversion: 1\n"
                             "surface:\n  type: pad\n  width_mm: 100\n  height_mm: 100\n"
                             "zones:\n  - name: \"a\"\n"
                             "    polygon_mm: [[10, 10], [90, 10], [90, 90], [10, 90]]\n"
                             "    density_per_cm2: 40\n    depth_band_mm: [0.5, 1.2]\n"
                             "rubric:\n  pass_mark: 70\n");
    free(out);
    assert_int_equal(les_lesson_write(NULL, stdout), LES_ERR_ARG);
    les_lesson_deinit(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_curriculum_round_trips),
        cmocka_unit_test(test_every_key_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
