/* render_heatmap_test.c: the density and depth heatmaps (render/
 * rnd_heatmap.c), pure CPU: a pad lesson worked on target in one place,
 * twice too dense in another, left bare in a third, with dots outside the
 * zone, too shallow and too deep; each place must get its colour. */
#include "test_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "les_grade.h"
#include "rnd.h"

static const char LESSON[] =
    "stipple_lesson: 1\n"
    "id: heat\n"
    "title: Heat\n"
    "version: 1\n"
    "surface: {type: pad, width_mm: 100, height_mm: 100}\n"
    "zones:\n"
    "  - name: field\n"
    "    polygon_mm: [[10, 10], [90, 10], [90, 60], [10, 60]]\n"
    "    density_per_cm2: 40\n"
    "    depth_band_mm: [0.5, 1.2]\n"
    "rubric: {pass_mark: 70}\n";

typedef struct fixture {
    les_lesson lesson;
    sim_surface pad;
    sim_impression_list imps;
} fixture;

static void add(fixture *f, double x, double y, double depth)
{
    sim_impression imp;
    memset(&imp, 0, sizeof imp);
    imp.surface_mm = sim_v3(x, y, 0.0);
    imp.normal = sim_v3(0, 0, 1);
    imp.chart_mm = sim_v2(x, y);
    imp.depth_mm = depth;
    assert_int_equal(sim_impression_list_push(&f->imps, &imp), SIM_OK);
}

/* A square grid at `per_cm2` over [x0, x1] x [y0, y1]. */
static void grid(fixture *f, double x0, double x1, double y0, double y1, double per_cm2,
                 double depth)
{
    double step = 10.0 / sqrt(per_cm2);
    for (double y = y0 + 0.5 * step; y < y1; y += step)
        for (double x = x0 + 0.5 * step; x < x1; x += step)
            add(f, x, y, depth);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    les_diags d;
    les_diags_init(&d, "heat.yaml");
    if (les_lesson_parse(&f->lesson, LESSON, sizeof LESSON - 1, &d) != LES_OK) {
        les_diags_print(&d, stderr);
        return -1;
    }
    les_diags_deinit(&d);
    sim_error err;
    if (sim_surface_init(&f->pad, &f->lesson.surface, &err) != SIM_OK)
        return -1;
    sim_impression_list_init(&f->imps);
    /* x 10..40: on target, in the band; 40..60: twice too dense; 60..75:
     * bare; 75..90 on target but half too shallow, half too deep; and a
     * patch outside the zone at y 75..85 */
    grid(f, 10, 40, 10, 60, 40, 0.8);
    grid(f, 40, 60, 10, 60, 160, 0.8);
    grid(f, 75, 90, 10, 35, 40, 0.2);
    grid(f, 75, 90, 35, 60, 40, 2.5);
    grid(f, 30, 50, 75, 85, 40, 0.8);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sim_impression_list_deinit(&f->imps);
    sim_surface_deinit(&f->pad);
    les_lesson_deinit(&f->lesson);
    free(f);
    return 0;
}

/* The heatmap's texel at chart point (x, y), as 0..255 RGBA. */
static const uint8_t *texel(const rnd_heatmap *hm, const sim_surface *s, double x, double y)
{
    double origin[2], size;
    rnd_chart_domain(s, origin, &size);
    int i = (int)((x - origin[0]) / size * hm->size), j = (int)((y - origin[1]) / size * hm->size);
    assert_true(i >= 0 && j >= 0 && i < hm->size && j < hm->size);
    return hm->rgba + ((size_t)j * hm->size + i) * 4;
}

static bool is_color(const uint8_t *t, const float want[3])
{
    return fabs(t[0] - 255.0 * want[0]) < 30 && fabs(t[1] - 255.0 * want[1]) < 30 &&
           fabs(t[2] - 255.0 * want[2]) < 30;
}

static void density_shows_sparse_dense_and_outside(void **state)
{
    fixture *f = *state;
    rnd_heatmap hm;
    assert_int_equal(rnd_heatmap_build(&f->pad, &f->lesson, f->imps.items, f->imps.count,
                                       RND_HEAT_DENSITY, &hm),
                     RND_OK);
    assert_int_equal(hm.size, RND_HEAT_SIZE);
    float on[3], dense[3], bare[3];
    rnd_heat_density_color(1.0, on);
    rnd_heat_density_color(4.0, dense);
    rnd_heat_density_color(0.0, bare);
    assert_true(on[1] > on[0] && on[1] > on[2]);       /* green */
    assert_true(dense[0] > dense[1] && dense[0] > dense[2]); /* red */
    assert_true(bare[2] > bare[0] && bare[2] > bare[1]);     /* blue */
    const uint8_t *t = texel(&hm, &f->pad, 25, 35);
    print_message("on target %d %d %d %d\n", t[0], t[1], t[2], t[3]);
    assert_true(is_color(t, on) && t[3] > 100);
    /* near the zone's edge the disc is half outside: still on target */
    t = texel(&hm, &f->pad, 12, 35);
    assert_true(is_color(t, on));
    t = texel(&hm, &f->pad, 50, 35);
    print_message("dense %d %d %d\n", t[0], t[1], t[2]);
    assert_true(t[0] > t[1] + 60);
    t = texel(&hm, &f->pad, 67, 35);
    assert_true(is_color(t, bare));
    /* dots outside the zone: magenta; bare skin outside: nothing */
    t = texel(&hm, &f->pad, 40, 80);
    assert_true(t[0] > 180 && t[2] > 180 && t[1] < 120 && t[3] > 60);
    t = texel(&hm, &f->pad, 80, 80);
    assert_int_equal(t[3], 0);
    rnd_heatmap_free(&hm);
    rnd_heatmap_free(&hm); /* idempotent */
}

static void depth_shows_shallow_and_deep(void **state)
{
    fixture *f = *state;
    rnd_heatmap hm;
    assert_int_equal(rnd_heatmap_build(&f->pad, &f->lesson, f->imps.items, f->imps.count,
                                       RND_HEAT_DEPTH, &hm),
                     RND_OK);
    float good[3], shallow[3], deep[3];
    rnd_heat_depth_color(0, 1, 0, good);
    rnd_heat_depth_color(1, 0, 0, shallow);
    rnd_heat_depth_color(0, 0, 1, deep);
    assert_true(is_color(texel(&hm, &f->pad, 25, 35), good));
    assert_true(is_color(texel(&hm, &f->pad, 82, 20), shallow));
    assert_true(is_color(texel(&hm, &f->pad, 82, 50), deep));
    assert_true(shallow[0] > shallow[2] && deep[2] > deep[1]); /* amber, violet */
    /* no dots, no verdict; outside the zone, none either */
    assert_int_equal(texel(&hm, &f->pad, 67, 35)[3], 0);
    assert_int_equal(texel(&hm, &f->pad, 40, 80)[3], 0);
    rnd_heatmap_free(&hm);
}

static void bad_input_and_no_memory_are_reported(void **state)
{
    fixture *f = *state;
    rnd_heatmap hm;
    assert_int_equal(rnd_heatmap_build(NULL, &f->lesson, NULL, 0, RND_HEAT_DENSITY, &hm), RND_ERR_ARG);
    assert_null(hm.rgba);
    assert_int_equal(rnd_heatmap_build(&f->pad, NULL, NULL, 0, RND_HEAT_DENSITY, &hm), RND_ERR_ARG);
    assert_int_equal(rnd_heatmap_build(&f->pad, &f->lesson, NULL, 3, RND_HEAT_DENSITY, &hm), RND_ERR_ARG);
    assert_int_equal(rnd_heatmap_build(&f->pad, &f->lesson, NULL, 0, (rnd_heat_kind)7, &hm), RND_ERR_ARG);
    assert_int_equal(rnd_heatmap_build(&f->pad, &f->lesson, NULL, 0, RND_HEAT_DEPTH, NULL), RND_ERR_ARG);
    /* every allocation in turn fails cleanly (no leak: LeakSanitizer) */
    for (long k = 0; k < 4; k++) {
        sim_alloc_fail_after(k);
        rnd_result rc = rnd_heatmap_build(&f->pad, &f->lesson, f->imps.items, f->imps.count,
                                          RND_HEAT_DENSITY, &hm);
        sim_alloc_fail_after(-1);
        assert_int_equal(rc, RND_ERR_NOMEM);
        assert_null(hm.rgba);
    }
    /* no impressions: the density map is all blue over the zone */
    assert_int_equal(rnd_heatmap_build(&f->pad, &f->lesson, NULL, 0, RND_HEAT_DENSITY, &hm), RND_OK);
    float bare[3];
    rnd_heat_density_color(0.0, bare);
    assert_true(is_color(texel(&hm, &f->pad, 50, 35), bare));
    rnd_heatmap_free(&hm);
}

/* The grader's own maps give the same verdicts (coarser cells). */
static void the_graders_maps_give_the_same_verdicts(void **state)
{
    fixture *f = *state;
    les_grade g;
    sim_error err;
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, f->imps.items, f->imps.count, &g, &err), LES_OK);
    rnd_heatmap hm;
    if (g.heatmap.cols == 0) {
        print_message("this grader makes no maps: skipped\n");
        les_grade_deinit(&g);
        skip();
    }
    assert_int_equal(rnd_heatmap_from_grade(&f->pad, &g.heatmap, RND_HEAT_DENSITY, &hm), RND_OK);
    const uint8_t *on = texel(&hm, &f->pad, 22, 30), *dense = texel(&hm, &f->pad, 50, 35);
    const uint8_t *bare = texel(&hm, &f->pad, 67, 35);
    print_message("grader map: on %d %d %d, dense %d %d %d, bare %d %d %d\n", on[0], on[1], on[2], dense[0],
                  dense[1], dense[2], bare[0], bare[1], bare[2]);
    assert_true(on[1] > on[0] && on[1] > on[2]);
    assert_true(dense[0] > dense[1] + 40);
    assert_true(bare[2] > bare[0] && bare[2] > bare[1]);
    assert_int_equal(texel(&hm, &f->pad, 80, 85)[3], 0); /* off the zones: nothing */
    rnd_heatmap_free(&hm);
    assert_int_equal(rnd_heatmap_from_grade(&f->pad, &g.heatmap, RND_HEAT_DEPTH, &hm), RND_OK);
    const uint8_t *deep = texel(&hm, &f->pad, 82, 52);
    assert_true(deep[2] > deep[1]); /* violet */
    rnd_heatmap_free(&hm);
    les_heatmap empty;
    memset(&empty, 0, sizeof empty);
    assert_int_equal(rnd_heatmap_from_grade(&f->pad, &empty, RND_HEAT_DENSITY, &hm), RND_ERR_ARG);
    les_grade_deinit(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(density_shows_sparse_dense_and_outside),
        cmocka_unit_test(depth_shows_shallow_and_deep),
        cmocka_unit_test(bad_input_and_no_memory_are_reported),
        cmocka_unit_test(the_graders_maps_give_the_same_verdicts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
