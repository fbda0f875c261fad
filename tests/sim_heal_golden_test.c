/* sim_heal_golden_test.c: golden pictures of the healing reference sets
 * (tests/golden/heal_*.yaml + .csv), healed and aged ten years, rendered
 * headless and compared with tests/golden/heal_*.png within a tolerance
 * (software rasterisers differ by a few levels at edges).
 *
 * To regenerate on purpose (and review the pictures before committing):
 *     STIPPLE_UPDATE_GOLDEN=1 build/s/tests/sim_heal_golden_test
 * Skipped where no offscreen OpenGL is available.
 */
#include "test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "les_grade.h"
#include "les_lesson.h"
#include "rnd.h"
#include "sim_age.h"

#define GOLDEN_DIR STIPPLE_ASSET_DIR "/../tests/golden/"
#define GOLDEN_W 640
#define GOLDEN_H 400
/* Pass: mean channel difference under 1 level, and under 0.02% of pixels
 * off by more than 16 levels in any channel. */
#define TOL_MEAN 1.0
#define TOL_BAD_SHARE 0.0002
#define TOL_BAD_LEVEL 16

typedef struct golden_case {
    const char *lesson, *csv[2];
    double years;
    const char *png;
} golden_case;

/* Everything one case needs; freed by case_deinit. */
typedef struct golden_run {
    les_lesson lesson;
    sim_surface surface;
    sim_impression_list imps;
    sim_tissue tissue;
    sim_healed_dot *healed;
    rnd_dot *dots;
} golden_run;

static void case_deinit(golden_run *g)
{
    sim_free(g->healed);
    sim_free(g->dots);
    sim_impression_list_deinit(&g->imps);
    sim_surface_deinit(&g->surface);
    les_lesson_deinit(&g->lesson);
}

/* Loads, heals (and ages) a case into g->dots. */
static void case_build(golden_run *g, const golden_case *c)
{
    memset(g, 0, sizeof *g);
    les_diags d;
    les_diags_init(&d, c->lesson);
    assert_int_equal(les_lesson_load(&g->lesson, c->lesson, &d), LES_OK);
    les_diags_deinit(&d);
    assert_int_equal(sim_surface_init(&g->surface, &g->lesson.surface, NULL), SIM_OK);
    sim_impression_list_init(&g->imps);
    for (uint32_t s = 0; s < 2 && c->csv[s]; s++) {
        size_t first = g->imps.count;
        sim_error err;
        assert_int_equal(les_impressions_read_csv(c->csv[s], &g->surface, &g->imps, &err), LES_OK);
        for (size_t i = first; i < g->imps.count; i++)
            g->imps.items[i].session = s;
    }
    assert_int_equal(sim_tissue_init(&g->tissue, &g->lesson.tissue, g->surface.kind, NULL), SIM_OK);
    size_t n = g->imps.count;
    g->healed = sim_calloc(n, sizeof *g->healed);
    g->dots = sim_calloc(n, sizeof *g->dots);
    assert_non_null(g->healed);
    assert_non_null(g->dots);
    sim_heal_params p = {.tissue = &g->tissue};
    sim_heal_all(g->imps.items, n, &p, g->healed);
    if (c->years > 0) {
        sim_aged_dot *aged = sim_calloc(n, sizeof *aged);
        assert_non_null(aged);
        sim_age_all(g->imps.items, g->healed, n, &p, c->years, aged);
        for (size_t i = 0; i < n; i++)
            g->healed[i] = aged[i].dot;
        sim_free(aged);
    }
    rnd_dots_from_impressions(g->imps.items, g->healed, n, RND_DOTS_HEALED, g->dots);
}

/* The pad is framed whole; on the head, aim at the dots' centre. */
static rnd_camera case_camera(const golden_run *g)
{
    rnd_camera cam = rnd_camera_frame(&g->surface);
    if (g->surface.kind != SIM_SURFACE_HEAD)
        return cam;
    sim_vec3 c = sim_v3(0, 0, 0);
    for (size_t i = 0; i < g->imps.count; i++)
        c = sim_v3_add(c, g->imps.items[i].surface_mm);
    rnd_camera_look_at(&cam, &g->surface, sim_v3_scale(c, 1.0 / (double)g->imps.count));
    rnd_camera_zoom(&cam, 0.3);
    return cam;
}

static void compare(const char *got_path, const char *want_path)
{
    int gw, gh, ww, wh;
    uint8_t *got = NULL, *want = NULL;
    sim_error err;
    assert_int_equal(rnd_read_png(got_path, &gw, &gh, &got, &err), RND_OK);
    if (rnd_read_png(want_path, &ww, &wh, &want, &err) != RND_OK)
        fail_msg("no golden %s: run with STIPPLE_UPDATE_GOLDEN=1 and review it", want_path);
    assert_int_equal(gw, ww);
    assert_int_equal(gh, wh);
    double sum = 0.0;
    size_t bad = 0, pixels = (size_t)gw * (size_t)gh;
    for (size_t i = 0; i < pixels; i++) {
        int worst = 0;
        for (int c = 0; c < 3; c++) {
            int d = abs((int)got[4 * i + c] - (int)want[4 * i + c]);
            sum += d;
            worst = d > worst ? d : worst;
        }
        bad += worst > TOL_BAD_LEVEL;
    }
    double mean = sum / (3.0 * (double)pixels);
    double share = (double)bad / (double)pixels;
    rnd_image_free(got);
    rnd_image_free(want);
    if (getenv("STIPPLE_GOLDEN_VERBOSE"))
        printf("%s: mean %.3f levels, %.4f%% of pixels off\n", want_path, mean, 100.0 * share);
    if (mean > TOL_MEAN || share > TOL_BAD_SHARE)
        fail_msg("%s differs from %s: mean %.2f levels, %.3f%% of pixels off", got_path,
                 want_path, mean, 100.0 * share);
}

static void run_case(const golden_case *c)
{
    golden_run g;
    case_build(&g, c);
    char want[512], got[512];
    snprintf(want, sizeof want, GOLDEN_DIR "%s", c->png);
    snprintf(got, sizeof got, "%s", tu_tmp(c->png));
    bool update = getenv("STIPPLE_UPDATE_GOLDEN") != NULL;
    rnd_camera cam = case_camera(&g);
    double skin[3];
    sim_skin_rgb(g.tissue.desc.fitzpatrick, skin);
    float skin_rgb[3] = {(float)skin[0], (float)skin[1], (float)skin[2]};
    rnd_picture_desc pd = {.path = update ? want : got, .width = GOLDEN_W, .height = GOLDEN_H,
                           .surface = &g.surface, .dots = g.dots, .dot_count = g.imps.count,
                           .camera = &cam, .skin_rgb = skin_rgb};
    sim_error err;
    rnd_result r = rnd_render_picture(&pd, &err);
    case_deinit(&g);
    if (r == RND_ERR_NO_DISPLAY)
        skip();
    assert_int_equal(r, RND_OK);
    if (!update)
        compare(got, want);
}

static void pad_healed(void **state)
{
    (void)state;
    golden_case c = {GOLDEN_DIR "heal_pad.yaml",
                     {GOLDEN_DIR "heal_pad.csv", GOLDEN_DIR "heal_pad_session2.csv"}, 0,
                     "heal_pad.png"};
    run_case(&c);
}

static void pad_aged_ten_years(void **state)
{
    (void)state;
    golden_case c = {GOLDEN_DIR "heal_pad.yaml", {GOLDEN_DIR "heal_pad.csv", NULL}, 10,
                     "heal_pad_10y.png"};
    run_case(&c);
}

static void head_healed(void **state)
{
    (void)state;
    golden_case c = {GOLDEN_DIR "heal_head.yaml", {GOLDEN_DIR "heal_head.csv", NULL}, 0,
                     "heal_head.png"};
    run_case(&c);
}

static void head_aged_ten_years(void **state)
{
    (void)state;
    golden_case c = {GOLDEN_DIR "heal_head.yaml", {GOLDEN_DIR "heal_head.csv", NULL}, 10,
                     "heal_head_10y.png"};
    run_case(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pad_healed),
        cmocka_unit_test(pad_aged_ten_years),
        cmocka_unit_test(head_healed),
        cmocka_unit_test(head_aged_ten_years),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
