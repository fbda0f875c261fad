/* lessons_hash_test.c: the lesson's canonical hash. Reformatting,
 * reordering keys, comments and quoting keep it; changing any value
 * changes it; its value is pinned (exams store it: a change here breaks
 * every pinned lesson). */
#include "lessons_helpers.h"

static void hash_of(const char *text, char hex[65])
{
    les_lesson l;
    lt_parse_ok(&l, text);
    memcpy(hex, l.hash_hex, 65);
    les_lesson_deinit(&l);
}

/* The canonical form of LT_VALID, written out by hand:
 * {"id":"t","rubric":{"pass_mark":70},"stipple_lesson":1,"surface":
 * {"height_mm":100,"type":"pad","width_mm":100},"title":"T","version":1,
 * "zones":[{"density_per_cm2":40,"depth_band_mm":[0.5,1.2],
 * "name":"a","polygon_mm":[[10,10],[90,10],[90,90],[10,90]]}]}
 * and its SHA-256 from `printf '%s' '...' | sha256sum`. */
static void test_hash_pinned(void **state)
{
    (void)state;
    char hex[65];
    hash_of(LT_VALID, hex);
    assert_string_equal(hex, "9083e98ef46443affdff4dac9d279862c8d793bfd925afb691e826fd9e63252e");
}

static void test_same_hash_when_reformatted(void **state)
{
    (void)state;
    static const char *const same[] = {
        /* flow style, reordered keys, comments, quoted text, other number forms */
        "# a comment\n"
        "zones: [{depth_band_mm: [.5, 1.20], name: 'a', density_per_cm2: 4e1,\n"
        "         polygon_mm: [[10.0, 10], [90, 10], [90, 90], [10, +90]]}]\n"
        "rubric:\n"
        "  pass_mark: 70.0   # seventy\n"
        "title: \"T\"\n"
        "surface:\n"
        "  width_mm: 100\n"
        "  type: \"pad\"\n"
        "  height_mm: 1e2\n"
        "version: 1\n"
        "id: t\n"
        "stipple_lesson: 1\n",
        /* block style everywhere, CRLF line ends */
        "stipple_lesson: 1\r\nid: t\r\ntitle: T\r\nversion: 1\r\nsurface:\r\n  type: pad\r\n"
        "  width_mm: 100\r\n  height_mm: 100\r\nzones:\r\n- name: a\r\n  polygon_mm:\r\n"
        "  - [10, 10]\r\n  - [90, 10]\r\n  - - 90\r\n    - 90\r\n  - [10, 90]\r\n"
        "  density_per_cm2: 40\r\n  depth_band_mm: [0.5, 1.2]\r\nrubric: {pass_mark: 70}\r\n",
        /* an explicit document start and end */
        "---\n" LT_VALID "...\n",
    };
    char base[65], other[65];
    hash_of(LT_VALID, base);
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        hash_of(same[i], other);
        assert_string_equal(base, other);
    }
}

static void test_changed_value_changes_hash(void **state)
{
    (void)state;
    static const char *const changed[] = {
        LT_HEAD LT_SURFACE LT_ZONE LT_POLY "    density_per_cm2: 41\n" LT_BAND LT_RUBRIC,
        LT_HEAD LT_SURFACE LT_ZONE LT_POLY "    density_per_cm2: 40.000001\n" LT_BAND LT_RUBRIC,
        LT_HEAD LT_SURFACE LT_ZONE "    polygon_mm: [[90, 10], [10, 10], [10, 90], [90, 90]]\n"
            LT_DENSITY LT_BAND LT_RUBRIC,
        "stipple_lesson: 1\nid: t\ntitle: T.\nversion: 1\n" LT_SURFACE LT_ZONE LT_POLY
            LT_DENSITY LT_BAND LT_RUBRIC,
        "stipple_lesson: 1\nid: t\ntitle: T\nversion: 2\n" LT_SURFACE LT_ZONE LT_POLY
            LT_DENSITY LT_BAND LT_RUBRIC,
        LT_VALID "hairline: {polyline_mm: [[10, 70], [90, 70]]}\n",
        LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY LT_BAND
            "rubric: {pass_mark: 70, weights: {depth: 1, density: 1}}\n",
    };
    char base[65], other[65];
    hash_of(LT_VALID, base);
    for (size_t i = 0; i < sizeof changed / sizeof changed[0]; i++) {
        hash_of(changed[i], other);
        assert_string_not_equal(base, other);
        for (size_t k = 0; k < i; k++) { /* and all differ from each other */
            char prev[65];
            hash_of(changed[k], prev);
            assert_string_not_equal(prev, other);
        }
    }
}

/* The optional keys of the format: the same content in any order and
 * style hashes the same; each value counts. */
static void test_optional_keys(void **state)
{
    (void)state;
    static const char a[] = LT_VALID
        "client: {decision: caution, conditions: [alopecia-areata, previous-smp]}\n"
        "tools: {cartridges: [0603RL], pigments: [{name: soft-black, dilution_percent: 40}]}\n"
        "session: {number: 1, planned: 3}\nmode: practice\ntime_limit_min: 30\n"
        "hints: [One., Two.]\n";
    static const char b[] = "hints:\n  - One.\n  - Two.\ntime_limit_min: 30.0\n"
        "session:\n  planned: 3\n  number: 1\n"
        "tools:\n  pigments:\n    - dilution_percent: 40\n      name: 'soft-black'\n"
        "  cartridges: [0603RL]\n"
        "client:\n  conditions: [alopecia-areata, previous-smp]   # as reported\n"
        "  decision: caution\n" LT_VALID "mode: practice\n";
    char ha[65], hb[65], hc[65];
    hash_of(a, ha);
    hash_of(b, hb);
    assert_string_equal(ha, hb);
    /* the order of a list is content: the hints swapped */
    static const char c[] = LT_VALID
        "client: {decision: caution, conditions: [alopecia-areata, previous-smp]}\n"
        "tools: {cartridges: [0603RL], pigments: [{name: soft-black, dilution_percent: 40}]}\n"
        "session: {number: 1, planned: 3}\nmode: practice\ntime_limit_min: 30\n"
        "hints: [Two., One.]\n";
    hash_of(c, hc);
    assert_string_not_equal(ha, hc);
}

/* The hash is lowercase hex of the 32 bytes. */
static void test_hash_hex_matches_bytes(void **state)
{
    (void)state;
    les_lesson l;
    lt_parse_ok(&l, LT_VALID);
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", l.hash[i]);
    assert_string_equal(hex, l.hash_hex);
    les_lesson_deinit(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_pinned),
        cmocka_unit_test(test_same_hash_when_reformatted),
        cmocka_unit_test(test_changed_value_changes_hash),
        cmocka_unit_test(test_hash_hex_matches_bytes),
        cmocka_unit_test(test_optional_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
