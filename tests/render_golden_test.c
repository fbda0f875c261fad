/* render_golden_test.c: reference scenes rendered headless and compared
 * with the reviewed pictures in tests/golden/ with a tolerance.
 *
 * Scenes: the pad and the default head, worked by the fixed attempts in
 * tests/golden/pad_attempt.csv and head_attempt.csv (make_attempts.py),
 * fresh, healed and ten years on (the healing and ageing models with the
 * lesson's tissue), and as density and depth heatmaps, from framed, close
 * and preset views.
 *
 * A scene passes when the mean absolute difference over all channels is
 * under 1.5 levels and fewer than 0.5 % of the pixels differ by more than
 * 24 levels in any channel: rasterisers (llvmpipe versions, CPU vector
 * widths) differ in the last bits, a changed picture differs far more.
 * A failing scene writes its picture and a difference image next to the
 * test's scratch files and says where.
 *
 * Regenerate on purpose only, then look at every picture before committing
 * (tests/golden/README.md):
 *     STIPPLE_GOLDEN_UPDATE=1 build/DIR/tests/render_golden_test
 */
#include "test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "les_grade.h"
#include "sim_age.h"
#include "rnd.h"

/* The golden pictures and attempts live in the source tree, next to the
 * assets the build names (tests/CMakeLists.txt defines STIPPLE_ASSET_DIR). */
#define GOLDEN_DIR STIPPLE_ASSET_DIR "/../tests/golden"

enum { W = 320, H = 200, SAMPLES = 4 };
#define MEAN_TOLERANCE 1.5
#define PIXEL_TOLERANCE 24
#define PIXEL_SHARE 0.005

typedef enum scene_mode { FRESH, HEALED, AGED, DENSITY, DEPTH } scene_mode;

typedef struct scene {
    const char *name;        /* tests/golden/<name>.png */
    bool head;
    scene_mode mode;
    rnd_view view;
    double close_mm;         /* > 0: look at `at` from this far instead */
    sim_vec2 at;             /* chart point for close views */
    bool overlays;
} scene;

static const scene SCENES[] = {
    {"pad_fresh", false, FRESH, RND_VIEW_FRAMED, 0, {0, 0}, true},
    {"pad_healed_close", false, HEALED, RND_VIEW_FRAMED, 45.0, {62.0, 64.0}, false},
    {"pad_density", false, DENSITY, RND_VIEW_TOP, 0, {0, 0}, true},
    {"head_healed_top", true, HEALED, RND_VIEW_TOP, 0, {0, 0}, false},
    {"head_aged_close", true, AGED, RND_VIEW_FRAMED, 40.0, {40.0, 60.0}, false},
    {"head_depth", true, DEPTH, RND_VIEW_FRAMED, 0, {0, 0}, false},
    {"head_hairline", true, HEALED, RND_VIEW_HAIRLINE, 0, {0, 0}, true},
};
#define SCENE_COUNT (sizeof SCENES / sizeof SCENES[0])

typedef struct world {
    les_lesson lesson;
    sim_surface surface;
    sim_tissue tissue;
    sim_impression_list imps;
    sim_healed_dot *healed;
    sim_healed_dot *aged;    /* ten years on (sim_age_all) */
    rnd_dot *dots;
    float skin[3];
} world;

typedef struct fixture {
    world pad, head;
    rnd_offscreen *off;
    rnd_renderer *rnd;
    uint8_t px[W * H * 4];
} fixture;

static int load_world(world *w, const char *lesson, const char *csv)
{
    char path[1024];
    snprintf(path, sizeof path, "%s", tu_asset(lesson));
    les_diags d;
    les_diags_init(&d, path);
    les_result lr = les_lesson_load(&w->lesson, path, &d);
    les_diags_print(&d, stderr);
    les_diags_deinit(&d);
    if (lr != LES_OK)
        return -1;
    sim_error err;
    if (sim_surface_init(&w->surface, &w->lesson.surface, &err) != SIM_OK)
        return -1;
    sim_impression_list_init(&w->imps);
    snprintf(path, sizeof path, "%s/%s", GOLDEN_DIR, csv);
    if (les_impressions_read_csv(path, &w->surface, &w->imps, &err) != LES_OK) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        return -1;
    }
    size_t n = w->imps.count;
    w->healed = calloc(n, sizeof *w->healed);
    w->aged = calloc(n, sizeof *w->aged);
    sim_aged_dot *aged = calloc(n, sizeof *aged);
    w->dots = calloc(n, sizeof *w->dots);
    if (!w->healed || !w->aged || !aged || !w->dots)
        return -1;
    /* healed and aged as the simulator shows them: the lesson's tissue */
    if (sim_tissue_init(&w->tissue, &w->lesson.tissue, w->surface.kind, &err) != SIM_OK)
        return -1;
    sim_heal_params p = {.tissue = &w->tissue};
    sim_heal_all(w->imps.items, n, &p, w->healed);
    sim_age_all(w->imps.items, w->healed, n, &p, 10.0, aged);
    for (size_t i = 0; i < n; i++)
        w->aged[i] = aged[i].dot;
    free(aged);
    double skin[3];
    sim_skin_rgb(w->tissue.desc.fitzpatrick, skin);
    for (int k = 0; k < 3; k++)
        w->skin[k] = (float)skin[k];
    return 0;
}

static void free_world(world *w)
{
    free(w->healed);
    free(w->aged);
    free(w->dots);
    sim_impression_list_deinit(&w->imps);
    sim_surface_deinit(&w->surface);
    les_lesson_deinit(&w->lesson);
}

static int setup(void **state)
{
    *state = NULL;
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    if (load_world(&f->pad, "lessons/pad-even-spacing.yaml", "pad_attempt.csv") != 0 ||
        load_world(&f->head, "lessons/head-frontal-shaved.yaml", "head_attempt.csv") != 0) {
        free_world(&f->pad);
        free_world(&f->head);
        free(f);
        return -1;
    }
    sim_error err;
    rnd_offscreen_desc od = {W, H, SAMPLES};
    if (rnd_offscreen_create_desc(&f->off, &od, &err) != RND_OK ||
        rnd_renderer_create(&f->rnd, &err) != RND_OK) {
        fprintf(stderr, "golden: %s\n", err.message);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (!f)
        return 0; /* setup failed and said why */
    rnd_renderer_destroy(f->rnd);
    rnd_offscreen_destroy(f->off);
    free_world(&f->pad);
    free_world(&f->head);
    free(f);
    return 0;
}

static void render_scene(fixture *f, const scene *sc)
{
    world *w = sc->head ? &f->head : &f->pad;
    size_t n = w->imps.count;
    rnd_dots_from_impressions(w->imps.items, sc->mode == AGED ? w->aged : w->healed, n,
                              sc->mode == FRESH ? RND_DOTS_FRESH : RND_DOTS_HEALED, w->dots);
    assert_int_equal(rnd_renderer_set_surface(f->rnd, &w->surface), RND_OK);
    rnd_renderer_set_skin_tone(f->rnd, w->skin[0], w->skin[1], w->skin[2]);
    assert_int_equal(rnd_renderer_set_dots(f->rnd, w->dots, n), RND_OK);
    rnd_heatmap hm;
    memset(&hm, 0, sizeof hm);
    if (sc->mode == DENSITY || sc->mode == DEPTH)
        assert_int_equal(rnd_heatmap_build(&w->surface, &w->lesson, w->imps.items, n,
                                           sc->mode == DENSITY ? RND_HEAT_DENSITY : RND_HEAT_DEPTH, &hm),
                         RND_OK);
    assert_int_equal(rnd_renderer_set_heatmap(f->rnd, hm.rgba ? &hm : NULL, 1.0f), RND_OK);
    rnd_heatmap_free(&hm);
    rnd_frame fr;
    memset(&fr, 0, sizeof fr);
    fr.width = W;
    fr.height = H;
    fr.camera = rnd_camera_preset(&w->surface, &w->lesson, sc->view);
    if (sc->close_mm > 0.0) {
        sim_surface_hit hit;
        assert_true(sim_surface_from_chart(&w->surface, sc->at, &hit));
        rnd_camera_look_at(&fr.camera, &w->surface, hit.point_mm);
        fr.camera.distance_mm = sc->close_mm;
    }
    fr.lesson = &w->lesson;
    fr.show_overlays = sc->overlays;
    rnd_renderer_draw(f->rnd, &fr);
    assert_int_equal(rnd_offscreen_read(f->off, f->px), RND_OK);
}

static void compare(const fixture *f, const scene *sc)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.png", GOLDEN_DIR, sc->name);
    sim_error err;
    if (getenv("STIPPLE_GOLDEN_UPDATE") && *getenv("STIPPLE_GOLDEN_UPDATE") == '1') {
        assert_int_equal(rnd_write_png(path, W, H, f->px, &err), RND_OK);
        print_message("golden: wrote %s (look at it before committing)\n", path);
        return;
    }
    int w = 0, h = 0;
    uint8_t *ref = NULL;
    if (rnd_read_png(path, &w, &h, &ref, &err) != RND_OK) {
        print_error("golden: %s: %s (STIPPLE_GOLDEN_UPDATE=1 makes it)\n", path, err.message);
        fail();
    }
    assert_int_equal(w, W);
    assert_int_equal(h, H);
    double sum = 0.0;
    size_t off = 0;
    uint8_t *diff = malloc((size_t)W * H * 4);
    assert_non_null(diff);
    for (size_t i = 0; i < (size_t)W * H; i++) {
        int worst = 0;
        for (int k = 0; k < 3; k++) {
            int d = abs((int)f->px[4 * i + k] - (int)ref[4 * i + k]);
            sum += d;
            worst = d > worst ? d : worst;
        }
        off += worst > PIXEL_TOLERANCE;
        uint8_t v = (uint8_t)(worst * 4 > 255 ? 255 : worst * 4);
        diff[4 * i] = v, diff[4 * i + 1] = v, diff[4 * i + 2] = v, diff[4 * i + 3] = 255;
    }
    double mean = sum / (3.0 * W * H), share = (double)off / (W * H);
    print_message("%-18s mean diff %.3f, %.3f%% of pixels off by > %d\n", sc->name, mean, 100.0 * share,
                  PIXEL_TOLERANCE);
    bool ok = mean < MEAN_TOLERANCE && share < PIXEL_SHARE;
    if (!ok) {
        char got[1024], dif[1024];
        snprintf(got, sizeof got, "%s", tu_tmp(sc->name));
        strncat(got, ".png", sizeof got - strlen(got) - 1);
        rnd_write_png(got, W, H, f->px, &err);
        snprintf(dif, sizeof dif, "%s", tu_tmp(sc->name));
        strncat(dif, "-diff.png", sizeof dif - strlen(dif) - 1);
        rnd_write_png(dif, W, H, diff, &err);
        print_error("golden: %s differs from %s: see %s and %s\n", sc->name, path, got, dif);
    }
    free(diff);
    rnd_image_free(ref);
    assert_true(ok);
}

static void scenes_match_their_golden_pictures(void **state)
{
    fixture *f = *state;
    for (size_t i = 0; i < SCENE_COUNT; i++) {
        render_scene(f, &SCENES[i]);
        compare(f, &SCENES[i]);
    }
}

/* The comparison can fail: a picture with one dot moved is caught. */
static void a_changed_picture_fails(void **state)
{
    fixture *f = *state;
    const scene *sc = &SCENES[1]; /* the close pad: dots are big */
    render_scene(f, sc);
    uint8_t *before = malloc(sizeof f->px);
    assert_non_null(before);
    memcpy(before, f->px, sizeof f->px);
    /* the same attempt with every dot 0.4 mm to the right */
    world *w = &f->pad;
    for (size_t i = 0; i < w->imps.count; i++)
        w->imps.items[i].surface_mm.x += 0.4;
    render_scene(f, sc);
    for (size_t i = 0; i < w->imps.count; i++)
        w->imps.items[i].surface_mm.x -= 0.4;
    size_t off = 0;
    for (size_t i = 0; i < (size_t)W * H; i++)
        for (int k = 0; k < 3; k++)
            if (abs((int)f->px[4 * i + k] - (int)before[4 * i + k]) > PIXEL_TOLERANCE) {
                off++;
                break;
            }
    free(before);
    print_message("moving every dot 0.4 mm changes %zu pixels (%.1f%%)\n", off, 100.0 * off / (W * H));
    assert_true((double)off / (W * H) > PIXEL_SHARE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scenes_match_their_golden_pictures),
        cmocka_unit_test(a_changed_picture_fails),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
