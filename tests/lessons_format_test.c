/* lessons_format_test.c: the optional keys of the lesson format (metadata,
 * client intake and decision, tools, forbidden zones, temple points,
 * sessions, mode, hints, imported meshes): a table of broken lessons, each
 * asserting the exact diagnostics (message, line, column), then the values
 * a complete lesson gives and the defaults an absent key leaves. */
#include "lessons_helpers.h"

/* A minimal valid head lesson (lines 1-11, like LT_VALID). */
#define LT_HVALID                                                              \
    LT_HEAD "surface: {type: head}\n" LT_ZONE                                  \
        "    polygon_mm: [[-20, 40], [20, 40], [20, 60], [-20, 60]]\n" LT_DENSITY \
            LT_BAND LT_RUBRIC

static const broken_case BROKEN[] = {
    {"level not a level",
     LT_VALID "level: expert\n",
     LES_ERR_INVALID,
     "t.yaml:12:8: error: `level` must be one of beginner, intermediate, advanced or "
     "certification, got \"expert\"\n"},
    {"mode with a suggestion",
     LT_VALID "mode: exm\n",
     LES_ERR_INVALID,
     "t.yaml:12:7: error: `mode` must be practice or exam, got \"exm\"; did you mean "
     "`exam`?\n"},
    {"client without a decision",
     LT_VALID "client: {name: Ann}\n",
     LES_ERR_INVALID,
     "t.yaml:12:9: error: missing required key `decision` in client\n"},
    {"client key with a suggestion",
     LT_VALID "client: {decision: treat, histroy: none}\n",
     LES_ERR_INVALID,
     "t.yaml:12:27: error: unknown key `histroy`; did you mean `history`?\n"},
    {"unknown condition",
     LT_VALID "client: {decision: refuse, conditions: [pregnant]}\n",
     LES_ERR_INVALID,
     "t.yaml:12:41: error: `conditions` must be a name listed in docs/lessons.md, got "
     "\"pregnant\"; did you mean `pregnancy`?\n"},
    {"treating a client who must be refused",
     LT_VALID "client: {decision: treat, conditions: [autoimmune-active]}\n",
     LES_ERR_INVALID,
     "t.yaml:12:20: error: the client reports `autoimmune-active` (an inflammatory or "
     "autoimmune condition in an active phase), which rules treatment out (FIDELITY.md): "
     "`decision` must be refuse\n"},
    {"caution needed",
     LT_VALID "client: {decision: treat, conditions: [previous-smp]}\n",
     LES_OK,
     "t.yaml:12:20: warning: the client reports `previous-smp` (earlier SMP by another "
     "artist): the usual decision is caution\n"},
    {"condition twice",
     LT_VALID "client: {decision: refuse, conditions: [sunburn, sunburn]}\n",
     LES_ERR_INVALID,
     "t.yaml:12:50: error: condition `sunburn` is listed twice\n"},
    {"client too young",
     LT_VALID "client: {decision: treat, age_years: 16}\n",
     LES_ERR_INVALID,
     "t.yaml:12:38: error: `age_years` must be an integer between 18 and 100 (years), got "
     "16\n"},
    {"an answer without its question",
     LT_VALID "client:\n  decision: treat\n  answers:\n    - answer: No.\n",
     LES_ERR_INVALID,
     "t.yaml:15:7: error: missing required key `question` in client.answers[0]\n"},
    {"unknown cartridge with a suggestion",
     LT_VALID "tools: {cartridges: [0604RL]}\n",
     LES_ERR_INVALID,
     "t.yaml:12:22: error: `cartridges` must be a cartridge Stipple knows, got "
     "\"0604RL\"; did you mean `0603RL`?\n"},
    {"unknown cartridge",
     LT_VALID "tools: {cartridges: [magnum]}\n",
     LES_ERR_INVALID,
     "t.yaml:12:22: error: `cartridges` must be a cartridge Stipple knows (0603RL, "
     "0601RL, 0801RL, 0803RL, 1001RL, 1003RL, 1201RL, 1203RL), got \"magnum\"\n"},
    {"cartridge twice",
     LT_VALID "tools: {cartridges: [0603RL, 0603rl]}\n",
     LES_ERR_INVALID,
     "t.yaml:12:30: error: cartridge 0603RL is listed twice\n"},
    {"dilution out of range",
     LT_VALID "tools: {pigments: [{name: black, dilution_percent: 99}]}\n",
     LES_ERR_INVALID,
     "t.yaml:12:52: error: `dilution_percent` must be a number between 0 and 95 (% "
     "distilled water), got 99\n"},
    {"pigment twice",
     LT_VALID "tools:\n  pigments:\n    - {name: black, dilution_percent: 30}\n"
              "    - {name: black, dilution_percent: 40}\n",
     LES_ERR_INVALID,
     "t.yaml:15:14: error: pigment `black` is already listed in tools.pigments[0]\n"},
    {"shade not among the pigments",
     LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY LT_BAND "    shade: blak\n" LT_RUBRIC
         "tools: {pigments: [{name: black, dilution_percent: 30}]}\n",
     LES_ERR_INVALID,
     "t.yaml:11:12: error: `shade` \"blak\" is not in `tools.pigments`; did you mean "
     "`black`?\n"},
    {"shade with no pigments",
     LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY LT_BAND "    shade: black\n" LT_RUBRIC,
     LES_ERR_INVALID,
     "t.yaml:11:12: error: `shade` names a pigment, but the lesson lists none: add it to "
     "`tools.pigments`\n"},
    {"zone cartridge not among the tools",
     LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY LT_BAND "    cartridge: 0801RL\n"
         LT_RUBRIC "tools: {cartridges: [0603RL]}\n",
     LES_ERR_INVALID,
     "t.yaml:11:16: error: cartridge 0801RL is not among `tools.cartridges`\n"},
    {"forbidden zone with a density",
     LT_HEAD LT_SURFACE LT_ZONE "    kind: forbidden\n" LT_POLY LT_DENSITY LT_RUBRIC,
     LES_ERR_INVALID,
     "t.yaml:10:22: error: zones[0] is a forbidden zone: no dot belongs there, so it "
     "takes no `density_per_cm2`\n"},
    {"zone kind with a suggestion",
     LT_HEAD LT_SURFACE LT_ZONE "    kind: forbiden\n" LT_POLY LT_RUBRIC,
     LES_ERR_INVALID,
     "t.yaml:8:11: error: `kind` must be work or forbidden, got \"forbiden\"; did you "
     "mean `forbidden`?\n"},
    {"one temple point",
     LT_VALID
         "hairline: {polyline_mm: [[10, 70], [90, 70]], temple_points_mm: [[10, 70]]}\n",
     LES_ERR_INVALID,
     "t.yaml:12:65: error: `temple_points_mm` must be a list of 2 points [a, b] or [x, y, "
     "z] (mm), got a list\n"},
    {"temple points on the wrong sides",
     LT_HVALID "hairline: {polyline_mm: [[-50, 63], [0, 72], [50, 63]], "
         "temple_points_mm: [[58, 91], [-58, 91]]}\n",
     LES_ERR_INVALID,
     "t.yaml:12:75: error: `temple_points_mm` must list the subject's right temple first "
     "(u < 0), then the left (u > 0)\n"},
    {"hairline off the head",
     LT_HVALID "hairline: {polyline_mm: [[-50, 63], [0, 300]]}\n",
     LES_ERR_INVALID,
     "t.yaml:12:37: error: point (0, 300) is off the head chart (more than 298 mm from "
     "the crown)\n"},
    {"hairline too low",
     LT_HVALID "hairline: {polyline_mm: [[-50, 80], [0, 100], [50, 80]]}\n",
     LES_OK,
     "t.yaml:12:25: warning: the hairline crosses the midline 48 mm above the glabella; a "
     "natural mid-frontal point is 70 (aggressive) to 100-110 mm (conservative): too low, "
     "and no room for future loss\n"},
    {"hairline too high",
     LT_HVALID "hairline: {polyline_mm: [[-50, 30], [0, 40], [50, 30]]}\n",
     LES_OK,
     "t.yaml:12:25: warning: the hairline crosses the midline 116 mm above the glabella; "
     "a natural mid-frontal point is 70 (aggressive) to 100-110 mm (conservative): too "
     "high to frame the face\n"},
    {"first session with an earlier one",
     LT_VALID "session: {number: 1, previous_impressions: s1.csv, days_since_previous: 20}\n",
     LES_ERR_INVALID,
     "t.yaml:12:44: error: a first session has no earlier session: `previous_impressions` "
     "needs `number` of 2 or more\n"
     "t.yaml:12:73: error: a first session has no earlier session: `days_since_previous` "
     "needs `number` of 2 or more\n"},
    {"session beyond the plan",
     LT_VALID "session: {number: 3, planned: 2, previous_impressions: s2.csv}\n",
     LES_ERR_INVALID,
     "t.yaml:12:19: error: session 3 of 2 planned: `number` must not exceed `planned`\n"},
    {"session without its number",
     LT_VALID "session: {planned: 2}\n",
     LES_ERR_INVALID,
     "t.yaml:12:10: error: missing required key `number` in session\n"},
    {"sessions too close",
     LT_VALID "session: {number: 2, previous_impressions: s1.csv, days_since_previous: 5}\n",
     LES_OK,
     "t.yaml:12:73: warning: sessions are usually 10-30 days apart (the skin heals, the "
     "dots settle); got 5\n"},
    {"exam with hints and no time limit",
     LT_VALID "mode: exam\nhints: [Go slowly.]\n",
     LES_OK,
     "t.yaml:12:7: warning: an exam usually has a `time_limit_min`\n"
     "t.yaml:13:8: warning: hints are not shown in exam mode\n"},
    {"time limit out of range",
     LT_VALID "time_limit_min: 0\n",
     LES_ERR_INVALID,
     "t.yaml:12:17: error: `time_limit_min` must be a number between 1 and 600 (minutes), "
     "got 0\n"},
    {"no hints in the list",
     LT_VALID "hints: []\n",
     LES_ERR_INVALID,
     "t.yaml:12:8: error: `hints` must be a list of 1 to 20 items, got a list\n"},
    {"a hint with a colon",
     LT_VALID "hints:\n  - Skin is thin: go shallow\n",
     LES_ERR_INVALID,
     "t.yaml:13:5: error: `hints` must be text of 1 to 500 characters, got a mapping (a "
     "colon and a space start one: put text holding \": \" in quotes)\n"},
    {"mesh on a pad",
     LT_HEAD "surface: {type: pad, width_mm: 100, height_mm: 100, mesh: a.obj}\n" LT_ZONE
         LT_POLY LT_DENSITY LT_BAND LT_RUBRIC,
     LES_ERR_INVALID,
     "t.yaml:5:53: error: unknown key `mesh`; expected one of: type, width_mm, height_mm\n"},
    {"mesh with a resolution",
     LT_HEAD "surface: {type: head, mesh: a.obj, resolution: 64}\n" LT_ZONE LT_POLY
         LT_DENSITY LT_BAND LT_RUBRIC,
     LES_ERR_INVALID,
     "t.yaml:5:10: error: `resolution` is for the default head; an imported `mesh` comes "
     "with its own triangles\n"},
    {"mesh unit without a mesh",
     LT_HEAD "surface: {type: head, mesh_unit_mm: 1000}\n" LT_ZONE LT_POLY LT_DENSITY
         LT_BAND LT_RUBRIC,
     LES_ERR_INVALID,
     "t.yaml:5:10: error: `mesh_unit_mm` needs a `mesh` in surface\n"},
    {"malformed SHA-256",
     LT_VALID "session: {number: 2, previous_impressions: s1.csv, previous_sha256: ABC}\n",
     LES_ERR_INVALID,
     "t.yaml:12:69: error: `previous_sha256` must be a SHA-256 of 64 lowercase hex digits "
     "(`sha256sum FILE`), got \"ABC\"\n"},
};

static void test_broken_table(void **state)
{
    (void)state;
    assert_int_equal(lt_check_table(BROKEN, sizeof BROKEN / sizeof BROKEN[0]), 0);
}

/* Every optional key, and what it becomes. */
static const char FULL[] =
    "stipple_lesson: 1\n"
    "id: full\n"
    "title: Full\n"
    "version: 3\n"
    "author: A. Teacher\n"
    "level: advanced\n"
    "description: |\n"
    "  Two lines\n"
    "  of description.\n"
    "surface: {type: head, resolution: 48}\n"
    "client:\n"
    "  name: Sam, 40\n"
    "  age_years: 40\n"
    "  history: Norwood 4.\n"
    "  answers:\n"
    "    - {question: Pregnant?, answer: No.}\n"
    "  conditions: [androgenetic-alopecia, alopecia-areata]\n"
    "  decision: caution\n"
    "  rationale: Regrowth possible.\n"
    "tools:\n"
    "  cartridges: [0601, 0803rl]\n"
    "  pigments:\n"
    "    - {name: soft-black, dilution_percent: 40}\n"
    "    - {name: black-25, dilution_percent: 25}\n"
    "zones:\n"
    "  - name: work\n"
    "    polygon_mm: [[-40, 30], [40, 30], [40, 70], [-40, 70]]\n"
    "    density_per_cm2: 60\n"
    "    depth_band_mm: [0.5, 1.2]\n"
    "    shade: black-25\n"
    "    cartridge: 0803RL\n"
    "    note: The main zone.\n"
    "  - name: mole\n"
    "    kind: forbidden\n"
    "    polygon_mm: [[0, 50], [4, 50], [4, 54], [0, 54]]\n"
    "    note: Leave it.\n"
    "hairline:\n"
    "  polyline_mm: [[-50, 63], [0, 72.6], [50, 63]]\n"
    "  temple_points_mm: [[-58, 91], [58, 91]]\n"
    "session: {number: 2, planned: 3, days_since_previous: 21, previous_impressions: s1.csv,\n"
    "          previous_sha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef}\n"
    "rubric: {pass_mark: 75}\n"
    "mode: exam\n"
    "time_limit_min: 90\n";

static void test_full_lesson(void **state)
{
    (void)state;
    les_lesson l;
    lt_parse_ok(&l, FULL);
    assert_string_equal(l.author, "A. Teacher");
    assert_string_equal(l.description, "Two lines\nof description.\n");
    assert_int_equal(l.level, LES_LEVEL_ADVANCED);
    assert_int_equal(l.surface.head.face_cells, 48);
    assert_null(l.mesh.path);
    const les_client *c = &l.client;
    assert_true(c->present);
    assert_string_equal(c->name, "Sam, 40");
    assert_int_equal(c->age_years, 40);
    assert_string_equal(c->history, "Norwood 4.");
    assert_int_equal(c->answer_count, 1);
    assert_string_equal(c->answers[0].question, "Pregnant?");
    assert_string_equal(c->answers[0].answer, "No.");
    assert_int_equal(c->condition_count, 2);
    assert_int_equal(c->conditions[1], LES_CONDITION_ALOPECIA_AREATA);
    assert_int_equal(c->decision, LES_DECISION_CAUTION);
    assert_string_equal(c->rationale, "Regrowth possible.");
    assert_false(c->contraindicated);
    assert_null(c->condition);
    assert_int_equal(l.tools.cartridge_count, 2);
    assert_ptr_equal(l.tools.cartridges[0], sim_needle_get((size_t)sim_needle_find("0601RL")));
    assert_ptr_equal(l.tools.cartridges[1], sim_needle_get((size_t)sim_needle_find("0803RL")));
    assert_int_equal(l.tools.pigment_count, 2);
    assert_true(l.tools.pigments[0].dilution_percent == 40);
    assert_int_equal(l.zone_count, 2);
    assert_int_equal(l.zones[0].kind, LES_ZONE_WORK);
    assert_ptr_equal(l.zones[0].shade, &l.tools.pigments[1]);
    assert_ptr_equal(l.zones[0].cartridge, l.tools.cartridges[1]);
    assert_string_equal(l.zones[0].note, "The main zone.");
    assert_int_equal(l.zones[1].kind, LES_ZONE_FORBIDDEN);
    assert_null(l.zones[1].shade);
    assert_int_equal(l.temple_point_count, 2);
    assert_true(l.temple_points[0].x == -58 && l.temple_points[1].y == 91);
    assert_int_equal(l.session.number, 2);
    assert_int_equal(l.session.planned, 3);
    assert_true(l.session.days_since_previous == 21);
    assert_string_equal(l.session.previous_impressions, "s1.csv");
    assert_int_equal(strlen(l.session.previous_sha256), 64);
    assert_int_equal(l.mode, LES_MODE_EXAM);
    assert_true(l.time_limit_s == 90 * 60);
    assert_int_equal(l.hint_count, 0);
    /* the forbidden zone wins inside the work zone, whatever the order */
    assert_int_equal(les_lesson_zone_at(&l, sim_v2(2, 52)), 1);
    assert_int_equal(les_lesson_zone_at(&l, sim_v2(-20, 52)), 0);
    les_lesson_deinit(&l);
}

/* A client to refuse: the grader's flag and the reason in a few words. */
static void test_contraindicated(void **state)
{
    (void)state;
    les_lesson l;
    lt_parse_ok(&l, LT_VALID "client: {decision: refuse, rationale: Not now.,\n"
                             "         conditions: [previous-smp, pregnancy, sunburn]}\n");
    assert_true(l.client.contraindicated);
    assert_string_equal(l.client.condition, "pregnancy");
    les_lesson_deinit(&l);
    lt_parse_ok(&l, LT_VALID "client: {decision: refuse, rationale: Unrealistic expectations.}\n");
    assert_true(l.client.contraindicated);
    assert_string_equal(l.client.condition, "Unrealistic expectations.");
    les_lesson_deinit(&l);
}

/* An absent optional key leaves its zero default. */
static void test_defaults(void **state)
{
    (void)state;
    les_lesson l;
    lt_parse_ok(&l, LT_VALID);
    assert_null(l.author);
    assert_null(l.description);
    assert_int_equal(l.level, LES_LEVEL_UNSET);
    assert_false(l.client.present);
    assert_false(l.client.contraindicated);
    assert_null(l.temple_points);
    assert_int_equal(l.client.decision, LES_DECISION_TREAT);
    assert_int_equal(l.tools.cartridge_count + l.tools.pigment_count, 0);
    assert_int_equal(l.zones[0].kind, LES_ZONE_WORK);
    assert_null(l.zones[0].shade);
    assert_null(l.zones[0].cartridge);
    assert_null(l.zones[0].note);
    assert_int_equal(l.temple_point_count, 0);
    assert_int_equal(l.session.number, 1);
    assert_int_equal(l.session.planned, 0);
    assert_null(l.session.previous_impressions);
    assert_null(l.mesh.path);
    assert_true(l.mesh.unit_mm == 1.0);
    assert_int_equal(l.mode, LES_MODE_PRACTICE);
    assert_true(l.time_limit_s == 0.0);
    assert_int_equal(l.hint_count, 0);
    les_lesson_deinit(&l);
}

/* Problems in every part of a lesson, reported together in file order. */
static void test_all_errors_reported(void **state)
{
    (void)state;
    static const char text[] =
        LT_HEAD                                                              /* 1-4 */
        "client:\n"                                                          /* 5 */
        "  decision: maybe\n"                                                /* 6 */
        "tools: {cartridges: [0603RL], pigments: [{name: Black}]}\n"         /* 7 */
        LT_SURFACE                                                           /* 8 */
        "zones:\n"                                                           /* 9 */
        "  - name: a\n"                                                      /* 10 */
        "    kind: forbidden\n"                                              /* 11 */
        "    polygon_mm: [[10, 10], [90, 10], [90, 90], [10, 90]]\n"         /* 12 */
        "    shade: black\n"                                                 /* 13 */
        LT_RUBRIC                                                            /* 14 */
        "mode: practise\n";                                                  /* 15 */
    les_result r;
    char *got = lt_diagnose(text, &r);
    assert_int_equal(r, LES_ERR_INVALID);
    assert_string_equal(
        got,
        "t.yaml:6:13: error: `decision` must be one of treat, caution or refuse, got "
        "\"maybe\"\n"
        "t.yaml:7:42: error: missing required key `dilution_percent` in tools.pigments[0]\n"
        "t.yaml:7:49: error: `name` must be an id of 1 to 64 lowercase letters, digits or "
        "'-', got \"Black\"\n"
        "t.yaml:13:12: error: zones[0] is a forbidden zone: no dot belongs there, so it "
        "takes no `shade`\n"
        "t.yaml:15:7: error: `mode` must be practice or exam, got \"practise\"; did you mean "
        "`practice`?\n");
    free(got);
}

/* The conditions table: names unique and in YAML's spelling, a decision
 * and a sentence each; the decisions' and modes' names. */
static void test_names(void **state)
{
    (void)state;
    for (int i = 0; i < LES_CONDITION_COUNT; i++) {
        const char *name = les_condition_name((les_condition)i);
        assert_true(strlen(name) > 0 && strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") ==
                                            strlen(name));
        assert_true(strlen(les_condition_text((les_condition)i)) > 0);
        assert_true(les_condition_decision((les_condition)i) <= LES_DECISION_REFUSE);
        for (int k = 0; k < i; k++)
            assert_string_not_equal(name, les_condition_name((les_condition)k));
    }
    assert_int_equal(les_condition_decision(LES_CONDITION_AUTOIMMUNE_ACTIVE), LES_DECISION_REFUSE);
    assert_int_equal(les_condition_decision(LES_CONDITION_ALOPECIA_AREATA), LES_DECISION_CAUTION);
    assert_string_equal(les_condition_name(LES_CONDITION_COUNT), "");
    assert_string_equal(les_decision_name(LES_DECISION_CAUTION), "caution");
    assert_string_equal(les_mode_name(LES_MODE_EXAM), "exam");
    assert_string_equal(les_level_name(LES_LEVEL_CERTIFICATION), "certification");
    assert_string_equal(les_level_name(LES_LEVEL_UNSET), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_broken_table),
        cmocka_unit_test(test_full_lesson),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_contraindicated),
        cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
