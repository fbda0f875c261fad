/* lessons_parse_test.c: lesson parsing and validation. A table of broken
 * lessons, each asserting the exact diagnostics (message, line, column)
 * les_diags_print gives; a lesson with many errors, all reported in file
 * order; warnings; the default lessons in assets/; zone lookup; files. */
#include "lessons_helpers.h"

static const broken_case BROKEN[] = {
    {"missing top-level key",
     LT_HEAD LT_ZONE LT_POLY LT_DENSITY LT_BAND LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:1:1: error: missing required key `surface`\n"},
    {"missing zone key",
     LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_BAND LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:7:5: error: missing required key `density_per_cm2` in zones[0]\n"},
    {"missing key in a flow mapping",
     LT_HEAD "surface: {type: pad, width_mm: 100}\n" LT_ZONE LT_POLY LT_DENSITY LT_BAND
         LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:5:10: error: missing required key `height_mm` in surface\n"},
    {"wrong type",
     LT_HEAD LT_SURFACE LT_ZONE LT_POLY "    density_per_cm2: lots\n" LT_BAND LT_RUBRIC,
     LES_ERR_INVALID,
     "t.yaml:9:22: error: `density_per_cm2` must be a number between 1 and 400 "
     "(dots/cm²), got \"lots\"\n"},
    {"quoted number",
     LT_HEAD LT_SURFACE LT_ZONE LT_POLY "    density_per_cm2: \"40\"\n" LT_BAND LT_RUBRIC,
     LES_ERR_INVALID,
     "t.yaml:9:22: error: `density_per_cm2` must be a number between 1 and 400 "
     "(dots/cm²), got \"40\" (text: write numbers without quotes)\n"},
    {"out of range",
     LT_HEAD LT_SURFACE LT_ZONE LT_POLY "    density_per_cm2: 500\n" LT_BAND LT_RUBRIC,
     LES_ERR_INVALID,
     "t.yaml:9:22: error: `density_per_cm2` must be a number between 1 and 400 "
     "(dots/cm²), got 500\n"},
    {"a mapping where a number belongs",
     LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY LT_BAND "rubric: {pass_mark: {a: 1}}\n",
     LES_ERR_INVALID,
     "t.yaml:11:21: error: `pass_mark` must be a number between 0 and 100, got a mapping\n"},
    {"nothing where a value belongs",
     LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY LT_BAND "rubric:\n  pass_mark:\n",
     LES_ERR_INVALID,
     "t.yaml:12:13: error: `pass_mark` must be a number between 0 and 100, got nothing\n"},
    {"wrong format version",
     "stipple_lesson: 2\nid: t\ntitle: T\nversion: 1\n" LT_SURFACE LT_ZONE LT_POLY
         LT_DENSITY LT_BAND LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:1:17: error: `stipple_lesson` must be 1, got 2\n"},
    {"integer expected",
     "stipple_lesson: 1\nid: t\ntitle: T\nversion: 1.5\n" LT_SURFACE LT_ZONE LT_POLY
         LT_DENSITY LT_BAND LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:4:10: error: `version` must be an integer of at least 1, got 1.5\n"},
    {"bad id",
     "stipple_lesson: 1\nid: Pad_1\ntitle: T\nversion: 1\n" LT_SURFACE LT_ZONE LT_POLY
         LT_DENSITY LT_BAND LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:2:5: error: `id` must be an id of 1 to 64 lowercase letters, digits or '-', "
     "got \"Pad_1\"\n"},
    {"unknown key with a suggestion",
     LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY "    depth_bnd: [0.5, 1.2]\n" LT_RUBRIC,
     LES_ERR_INVALID,
     "t.yaml:7:5: error: missing required key `depth_band_mm` in zones[0]\n"
     "t.yaml:10:5: error: unknown key `depth_bnd`; did you mean `depth_band_mm`?\n"},
    {"unknown key without a suggestion",
     LT_VALID "colour: red\n", LES_ERR_INVALID,
     "t.yaml:12:1: error: unknown key `colour`; expected one of: stipple_lesson, id, "
     "title, version, author, description, level, surface, tissue, client, tools, "
     "zones, hairline, session, rubric, mode, time_limit_min, hints\n"},
    {"surface type with a suggestion",
     LT_HEAD "surface: {type: pda, width_mm: 100, height_mm: 100}\n" LT_ZONE LT_POLY
         LT_DENSITY LT_BAND LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:5:17: error: `type` must be pad or head, got \"pda\"; did you mean `pad`?\n"},
    {"key of the other surface kind",
     LT_HEAD "surface: {type: head, width_mm: 100}\n" LT_ZONE LT_POLY LT_DENSITY LT_BAND
         LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:5:23: error: unknown key `width_mm`; expected one of: type, resolution, mesh, "
     "mesh_unit_mm, mesh_sha256\n"},
    {"head resolution out of range",
     LT_HEAD "surface: {type: head, resolution: 8}\n" LT_ZONE LT_POLY LT_DENSITY LT_BAND
         LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:5:35: error: `resolution` must be an integer between 32 and 512 "
     "(cells per cube face edge), got 8\n"},
    {"duplicate key",
     "stipple_lesson: 1\nid: t\nid: u\ntitle: T\nversion: 1\n" LT_SURFACE LT_ZONE LT_POLY
         LT_DENSITY LT_BAND LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:3:1: error: duplicate key `id` (first given at line 2)\n"},
    {"bad YAML",
     LT_HEAD LT_SURFACE "zones: [a, b\n", LES_ERR_SYNTAX,
     "t.yaml:7:1: error: invalid YAML: did not find expected ',' or ']' (while parsing a "
     "flow sequence that starts at line 6, column 8)\n"},
    {"bad YAML indentation",
     "stipple_lesson: 1\nsurface:\n  type: pad\n width_mm: 100\n", LES_ERR_SYNTAX,
     "t.yaml:4:2: error: invalid YAML: did not find expected key (while parsing a block "
     "mapping that starts at line 1, column 1)\n"},
    {"control character",
     "title: \"a\x01\"\n", LES_ERR_SYNTAX,
     "t.yaml:1:10: error: invalid YAML: control characters are not allowed\n"},
    {"self-intersecting zone",
     LT_HEAD LT_SURFACE LT_ZONE "    polygon_mm: [[10, 10], [90, 90], [90, 10], [10, 90]]\n"
         LT_DENSITY LT_BAND LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:8:17: error: the polygon of zone `a` crosses itself: the edge from point 1 "
     "to 2 meets the edge from point 3 to 4\n"},
    {"zone outside the pad",
     LT_HEAD LT_SURFACE LT_ZONE "    polygon_mm: [[10, 10], [120, 10], [90, 90]]\n"
         LT_DENSITY LT_BAND LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:8:28: error: point (120, 10) lies outside the 100 x 100 mm pad\n"},
    {"hairline outside the pad",
     LT_VALID "hairline: {polyline_mm: [[10, 10], [50, -1]]}\n", LES_ERR_INVALID,
     "t.yaml:12:36: error: point (50, -1) lies outside the 100 x 100 mm pad\n"},
    {"reversed depth band",
     LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY "    depth_band_mm: [1.2, 0.5]\n" LT_RUBRIC,
     LES_ERR_INVALID,
     "t.yaml:10:20: error: `depth_band_mm` must be [shallowest, deepest] with shallowest "
     "< deepest, got [1.2, 0.5]\n"},
    {"depth band beyond 4 mm",
     LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY "    depth_band_mm: [0.5, 5]\n" LT_RUBRIC,
     LES_ERR_INVALID,
     "t.yaml:10:26: error: `depth_band_mm` must be a number between 0 and 4 (mm), got 5\n"},
    {"depth band of one number",
     LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY "    depth_band_mm: [0.5]\n" LT_RUBRIC,
     LES_ERR_INVALID,
     "t.yaml:10:20: error: `depth_band_mm` must be a list [shallowest, deepest] of depths "
     "between 0 and 4 (mm), got a list\n"},
    {"too few points",
     LT_HEAD LT_SURFACE LT_ZONE "    polygon_mm: [[10, 10], [90, 10]]\n" LT_DENSITY LT_BAND
         LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:8:17: error: `polygon_mm` must be a list of 3 to 1000 points [a, b] or "
     "[x, y, z] (mm), got a list\n"},
    {"malformed point",
     LT_HEAD LT_SURFACE LT_ZONE "    polygon_mm: [[10, 10], [90], [90, x]]\n" LT_DENSITY
         LT_BAND LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:8:28: error: a point in `polygon_mm` must be [a, b] or [x, y, z], got a list\n"
     "t.yaml:8:39: error: a coordinate in `polygon_mm` must be a number between -10000 and "
     "10000 (mm), got \"x\"\n"},
    {"repeated point",
     LT_HEAD LT_SURFACE LT_ZONE "    polygon_mm: [[10, 10], [90, 10], [90, 10], [10, 90]]\n"
         LT_DENSITY LT_BAND LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:8:38: error: point 3 repeats the point before it\n"},
    {"closing point",
     LT_HEAD LT_SURFACE LT_ZONE "    polygon_mm: [[10, 10], [90, 10], [90, 90], [10, 10]]\n"
         LT_DENSITY LT_BAND LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:8:48: error: the last point repeats the first; a polygon closes by itself, "
     "leave it out\n"},
    {"zone of no area",
     LT_HEAD LT_SURFACE LT_ZONE "    polygon_mm: [[10, 10], [50, 50], [90, 90]]\n" LT_DENSITY
         LT_BAND LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:8:17: error: the polygon of zone `a` encloses no area\n"},
    {"empty zone list",
     LT_HEAD LT_SURFACE "zones: []\n" LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:6:8: error: `zones` must be a list of 1 to 64 zones, got a list\n"},
    {"duplicate zone name",
     LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY LT_BAND "  - name: a\n" LT_POLY LT_DENSITY
         LT_BAND LT_RUBRIC, LES_ERR_INVALID,
     "t.yaml:11:11: error: zone name `a` is already used by zones[0]\n"},
    {"weights all zero",
     LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY LT_BAND
         "rubric: {pass_mark: 70, weights: {depth: 0, density: 0, spacing: 0, hairline: 0,\n"
         "  technique: 0}}\n", LES_ERR_INVALID,
     "t.yaml:11:34: error: `weights` must not all be zero\n"},
    {"head point at the chart centre",
     LT_HEAD "surface: {type: head}\n" LT_ZONE
         "    polygon_mm: [[0, 30, -10], [10, 0], [0, 10]]\n" LT_DENSITY LT_BAND LT_RUBRIC,
     LES_ERR_INVALID,
     "t.yaml:8:18: error: a 3D point must not be the chart centre [0, 30, -10], which has "
     "no direction\n"},
    {"head point off the chart",
     LT_HEAD "surface: {type: head}\n" LT_ZONE
         "    polygon_mm: [[0, 0], [10, 0], [0, 400]]\n" LT_DENSITY LT_BAND LT_RUBRIC,
     LES_ERR_INVALID,
     "t.yaml:8:35: error: point (0, 400) is off the head chart (more than 298 mm from the "
     "crown)\n"},
    {"not a mapping", "- a\n- b\n", LES_ERR_INVALID,
     "t.yaml:1:1: error: a lesson must be a mapping of keys such as `stipple_lesson: 1`, "
     "got a list\n"},
    {"empty file", "# only a comment\n", LES_ERR_INVALID,
     "t.yaml:1:1: error: the file is empty; a lesson starts with `stipple_lesson: 1`\n"},
    {"two documents", LT_VALID "---\n" LT_VALID, LES_ERR_INVALID,
     "t.yaml:12:1: error: a lesson file holds one YAML document; a second one starts here\n"},
    {"alias", LT_VALID "hairline: &h {polyline_mm: [[1, 1], [2, 2]]}\nx: *h\n",
     LES_ERR_INVALID,
     "t.yaml:12:11: error: YAML anchors (`&h`) are not supported in lessons; write the "
     "value out\n"
     "t.yaml:13:1: error: unknown key `x`; did you mean `id`?\n"
     "t.yaml:13:4: error: YAML aliases (`*h`) are not supported in lessons; write the "
     "value out\n"},
    {"tag", "stipple_lesson: !!int 1\n", LES_ERR_INVALID,
     "t.yaml:1:1: error: missing required key `id`\n"
     "t.yaml:1:1: error: missing required key `title`\n"
     "t.yaml:1:1: error: missing required key `version`\n"
     "t.yaml:1:1: error: missing required key `surface`\n"
     "t.yaml:1:1: error: missing required key `zones`\n"
     "t.yaml:1:1: error: missing required key `rubric`\n"
     "t.yaml:1:17: error: YAML tags (`tag:yaml.org,2002:int`) are not supported in "
     "lessons\n"},
    {"key that is not a word", LT_VALID "[a]: 1\n", LES_ERR_INVALID,
     "t.yaml:12:1: error: a key must be a plain word, got a list\n"},
};

static void test_broken_table(void **state)
{
    (void)state;
    assert_int_equal(lt_check_table(BROKEN, sizeof BROKEN / sizeof BROKEN[0]), 0);
}

/* Many errors in one file: every one is reported, in file order, even
 * though the parser finds them in several passes. */
static void test_all_errors_reported(void **state)
{
    (void)state;
    static const char text[] =
        "stipple_lesson: 1\n"                                                  /* 1 */
        "id: Bad Id\n"                                                         /* 2 */
        "title: T\n"                                                           /* 3 */
        "surface: {type: pad, width_mm: 100, height_mm: 5}\n"                  /* 4 */
        "zones:\n"                                                             /* 5 */
        "  - name: a\n"                                                        /* 6 */
        "    polygon_mm: [[10, 10], [90, 10], [90, 90]]\n"                     /* 7 */
        "    density_per_cm2: lots\n"                                          /* 8 */
        "    depth_bnd: [0.5, 1.2]\n"                                          /* 9 */
        "  - name: b\n"                                                        /* 10 */
        "    polygon_mm: [[10, 10], [90, 90], [90, 10], [10, 90]]\n"           /* 11 */
        "    density_per_cm2: 40\n"                                            /* 12 */
        "    depth_band_mm: [1.2, 0.5]\n"                                      /* 13 */
        "rubric: {pass_mark: 170}\n"                                           /* 14 */
        "version: 0\n";                                                        /* 15 */
    les_result r;
    char *got = lt_diagnose(text, &r);
    assert_int_equal(r, LES_ERR_INVALID);
    assert_string_equal(
        got,
        "t.yaml:2:5: error: `id` must be an id of 1 to 64 lowercase letters, digits or "
        "'-', got \"Bad Id\"\n"
        "t.yaml:4:48: error: `height_mm` must be a number between 10 and 500 (mm), got 5\n"
        "t.yaml:6:5: error: missing required key `depth_band_mm` in zones[0]\n"
        "t.yaml:8:22: error: `density_per_cm2` must be a number between 1 and 400 "
        "(dots/cm²), got \"lots\"\n"
        "t.yaml:9:5: error: unknown key `depth_bnd`; did you mean `depth_band_mm`?\n"
        "t.yaml:13:20: error: `depth_band_mm` must be [shallowest, deepest] with "
        "shallowest < deepest, got [1.2, 0.5]\n"
        "t.yaml:14:21: error: `pass_mark` must be a number between 0 and 100, got 170\n"
        "t.yaml:15:10: error: `version` must be an integer of at least 1, got 0\n");
    free(got);
}

/* Geometry is checked whatever the key order: surface after the zones. */
static void test_geometry_any_key_order(void **state)
{
    (void)state;
    static const char text[] =
        LT_HEAD LT_ZONE "    polygon_mm: [[10, 10], [90, 90], [90, 10], [10, 90]]\n"
        LT_DENSITY LT_BAND LT_RUBRIC "surface: {type: pad, width_mm: 50, height_mm: 100}\n";
    les_result r;
    char *got = lt_diagnose(text, &r);
    assert_int_equal(r, LES_ERR_INVALID);
    assert_string_equal(got,
                        "t.yaml:7:28: error: point (90, 90) lies outside the 50 x 100 mm pad\n"
                        "t.yaml:7:38: error: point (90, 10) lies outside the 50 x 100 mm pad\n");
    free(got);
}

static void test_warnings(void **state)
{
    (void)state;
    static const char text[] = LT_HEAD LT_SURFACE LT_ZONE LT_POLY
        "    density_per_cm2: 350\n"
        "    depth_band_mm: [0.05, 2.5]\n" LT_RUBRIC;
    les_result r;
    char *got = lt_diagnose(text, &r);
    assert_int_equal(r, LES_OK);
    assert_string_equal(
        got,
        "t.yaml:9:22: warning: 350 dots/cm² is denser than natural follicles (about "
        "310/cm²)\n"
        "t.yaml:10:21: warning: the band starts at 0.05 mm, inside the epidermis "
        "(0.06-0.10 mm on the scalp): pigment there fades\n"
        "t.yaml:10:27: warning: the band reaches 2.5 mm: below about 2 mm dots blow out "
        "and turn blue-grey\n");
    free(got);
}

static void test_valid_values(void **state)
{
    (void)state;
    les_lesson l;
    lt_parse_ok(&l, LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY LT_BAND
                "hairline: {polyline_mm: [[10, 70], [50, 75, 3], [90, 70]]}\n"
                "rubric: {pass_mark: 62.5, weights: {depth: 3}}\n");
    assert_int_equal(l.format, 1);
    assert_string_equal(l.id, "t");
    assert_string_equal(l.title, "T");
    assert_int_equal(l.version, 1);
    assert_int_equal(l.surface.kind, SIM_SURFACE_PAD);
    assert_true(l.surface.width_mm == 100 && l.surface.height_mm == 100);
    assert_int_equal(l.zone_count, 1);
    assert_string_equal(l.zones[0].name, "a");
    assert_int_equal(l.zones[0].polygon_count, 4);
    assert_true(l.zones[0].polygon[2].x == 90 && l.zones[0].polygon[2].y == 90);
    assert_true(l.zones[0].density_per_cm2 == 40);
    assert_true(l.zones[0].depth_min_mm == 0.5 && l.zones[0].depth_max_mm == 1.2);
    assert_int_equal(l.zones[0].pos.line, 7);
    assert_int_equal(l.zones[0].pos.column, 5);
    assert_int_equal(l.hairline_count, 3);
    assert_true(l.hairline[1].x == 50 && l.hairline[1].y == 75); /* 3D: x, y */
    assert_true(l.rubric.pass_mark == 62.5);
    assert_true(l.rubric.weight_depth == 3 && l.rubric.weight_density == 1);
    assert_int_equal(strlen(l.hash_hex), 64);
    assert_string_equal(l.path, "");
    assert_int_equal(les_lesson_zone_at(&l, sim_v2(50, 50)), 0);
    assert_int_equal(les_lesson_zone_at(&l, sim_v2(5, 50)), -1);
    les_lesson_deinit(&l);
    assert_null(l.arena);
    les_lesson_deinit(&l); /* idempotent */
}

static void test_head_points_projected(void **state)
{
    (void)state;
    les_lesson l;
    /* [0, 125, -10] is straight above the chart centre: the crown, (0, 0). */
    lt_parse_ok(&l, LT_HEAD "surface: {type: head, resolution: 64}\n" LT_ZONE
                "    polygon_mm: [[0, 125, -10], [40, 0], [0, 40]]\n" LT_DENSITY LT_BAND
                LT_RUBRIC);
    assert_int_equal(l.surface.kind, SIM_SURFACE_HEAD);
    assert_int_equal(l.surface.head.face_cells, 64);
    assert_true(fabs(l.zones[0].polygon[0].x) < 1e-9 && fabs(l.zones[0].polygon[0].y) < 1e-9);
    les_lesson_deinit(&l);
}

static void test_default_lessons(void **state)
{
    (void)state;
    static const char *const files[] = {"lessons/pad-even-spacing.yaml",
                                        "lessons/head-frontal-shaved.yaml"};
    for (size_t i = 0; i < 2; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s", tu_asset(files[i]));
        les_lesson l;
        les_diags d;
        les_diags_init(&d, NULL);
        les_result r = les_lesson_load(&l, path, &d);
        les_diags_print(&d, stderr);
        assert_int_equal(r, LES_OK);
        assert_int_equal(d.count, 0);
        assert_string_equal(d.file, path);
        assert_string_equal(l.path, path);
        les_lesson_deinit(&l);
        les_diags_deinit(&d);
    }
}

static void test_pad_default_lesson_values(void **state)
{
    (void)state;
    les_lesson l;
    les_diags d;
    les_diags_init(&d, NULL);
    assert_int_equal(les_lesson_load(&l, tu_asset("lessons/pad-even-spacing.yaml"), &d), LES_OK);
    assert_string_equal(l.id, "pad-even-spacing");
    assert_int_equal(l.zone_count, 1);
    assert_true(l.zones[0].density_per_cm2 == 40 && l.rubric.pass_mark == 70);
    assert_true(fabs(sim_polygon_signed_area(l.zones[0].polygon, 4)) == 2400.0);
    les_lesson_deinit(&l);
    les_diags_deinit(&d);
}

static void test_load_missing_file(void **state)
{
    (void)state;
    les_lesson l;
    les_diags d;
    les_diags_init(&d, "given-name.yaml");
    assert_int_equal(les_lesson_load(&l, "/nonexistent/x.yaml", &d), LES_ERR_IO);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.file, "given-name.yaml");
    assert_string_equal(d.items[0].message, "cannot read the file: No such file or directory");
    les_diags_deinit(&d);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    les_lesson l;
    les_diags d;
    les_diags_init(&d, NULL);
    assert_int_equal(les_lesson_parse(&l, NULL, 5, &d), LES_ERR_ARG);
    assert_int_equal(les_lesson_parse(NULL, "a", 1, &d), LES_ERR_ARG);
    assert_int_equal(les_lesson_parse(&l, "a", 1, NULL), LES_ERR_ARG);
    assert_int_equal(les_lesson_zone_at(NULL, sim_v2(0, 0)), -1);
    assert_string_equal(les_result_name(LES_ERR_SYNTAX), "LES_ERR_SYNTAX");
    assert_string_equal(les_result_message(LES_ERR_INVALID), "the lesson has errors");
    les_diags_deinit(&d);
}

/* Diagnostics accumulate across parses; each parse sorts only its own. */
static void test_diags_accumulate(void **state)
{
    (void)state;
    les_lesson l;
    les_diags d;
    les_diags_init(&d, "");
    les_diags_add(&d, LES_WARNING, 50, 1, "earlier %d", 1);
    assert_int_equal(les_lesson_parse(&l, "a: 1\n", 5, &d), LES_ERR_INVALID);
    assert_string_equal(d.items[0].message, "earlier 1");
    assert_true(d.count > 1 && d.errors == d.count - 1);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    les_diags_print(&d, f);
    fclose(f);
    assert_true(strncmp(out, "50:1: warning: earlier 1\n1:1: error: ", 37) == 0);
    free(out);
    les_diags_deinit(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_broken_table),
        cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_geometry_any_key_order),
        cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_valid_values),
        cmocka_unit_test(test_head_points_projected),
        cmocka_unit_test(test_default_lessons),
        cmocka_unit_test(test_pad_default_lesson_values),
        cmocka_unit_test(test_load_missing_file),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_diags_accumulate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
