/* lessons_oom_test.c: allocation failure injection (sim_alloc_fail_after)
 * across the lessons module. For N = 0, 1, 2, ... the N-th allocation
 * fails; every call must then report LES_ERR_NOMEM (or, for a bad file,
 * still its own error), never crash, and leak nothing (LeakSanitizer),
 * until N is large enough for the call to succeed. */
#include "les_curriculum.h"
#include "les_grade.h"
#include "les_json.h"
#include "les_obj.h"
#include "les_solve.h"
#include "lessons_helpers.h"

#define OOM_MAX_STEPS 100000

/* Runs `attempt` with the N-th allocation failing for N = 0.. until it
 * returns `success`; every other result must be `nomem`. Returns the
 * number of allocations the successful run made at most. */
static long oom_loop(les_result (*attempt)(void *), void *arg, les_result success,
                     les_result nomem)
{
    for (long n = 0; n < OOM_MAX_STEPS; n++) {
        sim_alloc_fail_after(n);
        les_result r = attempt(arg);
        sim_alloc_fail_after(-1);
        if (r == success)
            return n;
        if (r != nomem)
            fail_msg("step %ld: %s, expected %s", n, les_result_name(r), les_result_name(nomem));
    }
    fail_msg("never succeeded");
    return -1;
}

static les_result parse_text(void *arg)
{
    const char *text = arg;
    les_lesson l;
    les_diags d;
    les_diags_init(&d, "t.yaml");
    les_result r = les_lesson_parse(&l, text, strlen(text), &d);
    if (r == LES_OK && (l.zone_count == 0 || strlen(l.hash_hex) != 64))
        r = LES_ERR_ARG;
    les_lesson_deinit(&l);
    les_diags_deinit(&d);
    return r;
}

static les_result load_file(void *arg)
{
    les_lesson l;
    les_diags d;
    les_diags_init(&d, NULL);
    les_result r = les_lesson_load(&l, arg, &d);
    les_lesson_deinit(&l);
    les_diags_deinit(&d);
    return r;
}

static void test_parse_valid(void **state)
{
    (void)state;
    assert_true(oom_loop(parse_text, (void *)(LT_VALID "hairline: {polyline_mm: [[1, 1], "
                                                     "[2, 2]]}\n"),
                         LES_OK, LES_ERR_NOMEM) > 5);
}

static void test_load_assets(void **state)
{
    (void)state;
    char pad[1024], head[1024];
    snprintf(pad, sizeof pad, "%s", tu_asset("lessons/pad-even-spacing.yaml"));
    snprintf(head, sizeof head, "%s", tu_asset("lessons/head-frontal-shaved.yaml"));
    assert_true(oom_loop(load_file, pad, LES_OK, LES_ERR_NOMEM) > 5);
    assert_true(oom_loop(load_file, head, LES_OK, LES_ERR_NOMEM) > 5);
    /* every optional key, a file named (the earlier session) */
    snprintf(head, sizeof head, "%s", tu_asset("lessons/head-universalis-session2.yaml"));
    assert_true(oom_loop(load_file, head, LES_OK, LES_ERR_NOMEM) > 20);
    snprintf(head, sizeof head, "%s", tu_asset("lessons/head-scar-punch.yaml"));
    assert_true(oom_loop(load_file, head, LES_OK, LES_ERR_NOMEM) > 20);
}

/* An octahedron around the chart centre: the smallest valid head mesh. */
static const char OCTAHEDRON[] =
    "v 100 30 -10\nv -100 30 -10\nv 0 130 -10\nv 0 -70 -10\nv 0 30 90\nv 0 30 -110\n"
    "f 1 3 5\nf 3 2 5\nf 2 4 5\nf 4 1 5\nf 3 1 6\nf 2 3 6\nf 4 2 6\nf 1 4 6\n";

static les_result obj_once(void *arg)
{
    (void)arg;
    sim_mesh m;
    les_result r = les_obj_parse(OCTAHEDRON, sizeof OCTAHEDRON - 1, "o.obj", 1.0, &m, NULL);
    sim_mesh_deinit(&m);
    return r;
}

static les_result mesh_lesson_once(void *arg)
{
    les_lesson l;
    les_diags d;
    les_diags_init(&d, NULL);
    les_result r = les_lesson_load(&l, arg, &d);
    les_diags_deinit(&d);
    if (r != LES_OK)
        return r;
    sim_surface s;
    r = les_lesson_surface_init(&l, &s, NULL);
    if (r == LES_OK)
        sim_surface_deinit(&s);
    les_lesson_deinit(&l);
    return r;
}

static les_result curriculum_once(void *arg)
{
    les_curriculum c;
    les_diags d;
    les_diags_init(&d, NULL);
    les_result r = les_curriculum_load(&c, arg, &d);
    les_curriculum_deinit(&c);
    les_diags_deinit(&d);
    return r;
}

/* Imported meshes, a lesson on one, and a curriculum of two lessons. */
static void test_mesh_and_curriculum(void **state)
{
    (void)state;
    assert_true(oom_loop(obj_once, NULL, LES_OK, LES_ERR_NOMEM) >= 3);
    char obj[1024], lesson[1024], cur[1024];
    snprintf(obj, sizeof obj, "%s", tu_tmp("oom-head.obj"));
    assert_int_equal(tu_write_file(obj, OCTAHEDRON, sizeof OCTAHEDRON - 1), 0);
    char text[1024];
    snprintf(text, sizeof text,
             LT_HEAD "surface: {type: head, mesh: %s}\n" LT_ZONE
                     "    polygon_mm: [[-20, 40], [20, 40], [20, 60], [-20, 60]]\n" LT_DENSITY
                         LT_BAND LT_RUBRIC,
             strrchr(obj, '/') + 1);
    snprintf(lesson, sizeof lesson, "%s", tu_tmp("oom-mesh.yaml"));
    assert_int_equal(tu_write_file(lesson, text, strlen(text)), 0);
    assert_true(oom_loop(mesh_lesson_once, lesson, LES_OK, LES_ERR_NOMEM) > 10);
    snprintf(text, sizeof text,
             "stipple_curriculum: 1\nid: c\ntitle: C\nlessons:\n  - file: %s\n"
             "  - file: %s\n    requires: [t]\n    min_score: 80\n",
             strrchr(lesson, '/') + 1, tu_asset("lessons/pad-single-dots.yaml"));
    snprintf(cur, sizeof cur, "%s", tu_tmp("oom-curriculum.yaml"));
    assert_int_equal(tu_write_file(cur, text, strlen(text)), 0);
    assert_true(oom_loop(curriculum_once, cur, LES_OK, LES_ERR_NOMEM) > 10);
    remove(obj);
    remove(lesson);
    remove(cur);
}

typedef struct plan_arg {
    const les_lesson *lesson;
    const sim_surface *surface;
} plan_arg;

static les_result plan_once(void *arg)
{
    plan_arg *p = arg;
    les_plan_dot *dots;
    size_t n;
    les_result r = les_plan_reference(p->lesson, p->surface, NULL, &dots, &n, NULL);
    if (r == LES_OK && n != 960)
        r = LES_ERR_ARG;
    sim_free(dots);
    return r;
}

static void test_plan(void **state)
{
    (void)state;
    les_lesson l;
    lt_parse_ok(&l, LT_HEAD LT_SURFACE LT_ZONE "    polygon_mm: [[20, 30], [80, 30], [80, 70], "
                    "[20, 70]]\n" LT_DENSITY LT_BAND LT_RUBRIC);
    sim_surface pad;
    assert_int_equal(les_lesson_surface_init(&l, &pad, NULL), LES_OK);
    plan_arg arg = {&l, &pad};
    assert_true(oom_loop(plan_once, &arg, LES_OK, LES_ERR_NOMEM) >= 3);
    sim_surface_deinit(&pad);
    les_lesson_deinit(&l);
}

/* A broken lesson parsed with the N-th allocation failing: every run
 * returns LES_ERR_NOMEM or LES_ERR_INVALID (a dropped diagnostic still
 * counts as an error), until one reports all of them. */
static size_t parse_broken(les_result *r)
{
    static const char text[] =
        "stipple_lesson: 2\nid: X\nsurface: {type: pad, width_mm: 1}\n"
        "zones: [{name: a, polygon_mm: [[0, 0], [1, 1], [1, 0], [0, 1]], depth_bnd: 1}]\n"
        "rubric: {pass_mark: -1}\n";
    les_lesson l;
    les_diags d;
    les_diags_init(&d, NULL);
    *r = les_lesson_parse(&l, text, sizeof text - 1, &d);
    size_t count = d.count;
    les_lesson_deinit(&l);
    les_diags_deinit(&d);
    return count;
}

static void test_parse_invalid(void **state)
{
    (void)state;
    les_result r;
    size_t all = parse_broken(&r);
    assert_int_equal(r, LES_ERR_INVALID);
    assert_true(all >= 8);
    long n = 0;
    for (; n < OOM_MAX_STEPS; n++) {
        sim_alloc_fail_after(n);
        size_t count = parse_broken(&r);
        sim_alloc_fail_after(-1);
        assert_true(r == LES_ERR_INVALID || r == LES_ERR_NOMEM);
        if (r == LES_ERR_INVALID && count == all)
            break;
    }
    assert_true(n > 0 && n < OOM_MAX_STEPS);
}

typedef struct grade_arg {
    const les_lesson *lesson;
    const sim_surface *surface;
    const sim_impression *imps;
    size_t count;
} grade_arg;

static les_result grade_once(void *arg)
{
    grade_arg *g = arg;
    les_grade grade;
    les_result r = les_grade_run(g->lesson, g->surface, g->imps, g->count, &grade, NULL);
    if (r == LES_OK) {
        les_json j;
        les_json_init(&j, NULL, 2);
        les_grade_to_json(&j, &grade, g->lesson);
        r = les_json_finish(&j);
        les_json_deinit(&j);
    }
    les_grade_deinit(&grade);
    return r;
}

static les_result csv_once(void *arg)
{
    grade_arg *g = arg;
    static const char text[] = "x_mm,y_mm,z_mm,depth_mm,needle\n"
                               "10,10,0,0.8,0603\n20,20,0,0.9,0803\n30,30,0,1.0,1203rl\n";
    sim_impression_list list;
    sim_impression_list_init(&list);
    les_result r = les_impressions_parse_csv(text, sizeof text - 1, "x.csv", g->surface,
                                             &list, NULL);
    sim_impression_list_deinit(&list);
    return r;
}

static void test_grade_and_csv(void **state)
{
    (void)state;
    les_lesson l;
    lt_parse_ok(&l, LT_VALID);
    sim_surface pad;
    sim_surface_desc desc = {.kind = SIM_SURFACE_PAD};
    assert_int_equal(sim_surface_init(&pad, &desc, NULL), SIM_OK);
    sim_impression imps[3];
    memset(imps, 0, sizeof imps);
    for (int i = 0; i < 3; i++) {
        imps[i].chart_mm = sim_v2(20.0 + i, 20.0);
        imps[i].depth_mm = 0.8;
    }
    grade_arg arg = {&l, &pad, imps, 3};
    assert_true(oom_loop(grade_once, &arg, LES_OK, LES_ERR_NOMEM) >= 2);
    assert_true(oom_loop(csv_once, &arg, LES_OK, LES_ERR_NOMEM) >= 2);
    sim_surface_deinit(&pad);
    les_lesson_deinit(&l);
}

/* Diagnostics dropped for lack of memory still count as errors. */
static void test_diags_keep_count(void **state)
{
    (void)state;
    les_diags d;
    les_diags_init(&d, NULL);
    sim_alloc_fail_after(0);
    les_diags_add(&d, LES_ERROR, 1, 1, "lost");
    les_diags_add(&d, LES_WARNING, 1, 1, "lost too");
    sim_alloc_fail_after(-1);
    assert_int_equal(d.count, 0);
    assert_int_equal(d.errors, 1);
    les_diags_deinit(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_load_assets),
        cmocka_unit_test(test_parse_invalid),
        cmocka_unit_test(test_grade_and_csv),
        cmocka_unit_test(test_diags_keep_count),
        cmocka_unit_test(test_mesh_and_curriculum),
        cmocka_unit_test(test_plan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
