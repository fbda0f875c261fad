/* lessons_grade_spacing_test.c: the spacing metric on point sets with
 * known answers: Clark-Evans and Besag's L against spatstat; a hexagonal
 * grid (R = 2.15, ordered, flagged as a grid), a square grid and rows; a
 * Poisson-disk pattern (best), uniform random (R = 1, next), clumps (R < 1,
 * flagged); exact overlaps; a hole found as the largest gap; the grader's
 * nearest-neighbour statistics against brute force. */
#include "les_spatial.h"
#include "lessons_grade_helpers.h"
#include "lessons_patterns.h"
#include "sim_heal.h"

/* 60 x 60 mm at 40 dots/cm²: 1440 dots, spacing 1.58 mm. */
static const char FIELD[] =
    "stipple_lesson: 1\nid: spacing\ntitle: Spacing\nversion: 1\n"
    "surface: {type: pad, width_mm: 100, height_mm: 100}\n"
    "zones:\n"
    "  - {name: field, polygon_mm: [[20, 20], [80, 20], [80, 80], [20, 80]],\n"
    "     density_per_cm2: 40, depth_band_mm: [0.5, 1.2]}\n"
    "rubric: {pass_mark: 70}\n";
static const lp_box BOX = {20, 20, 80, 80};
#define N_DOTS 1440
/* Hexagonal spacing for 40/cm²: 2 / (sqrt(3) a^2) = 0.4 per mm². */
#define HEX_A 1.699

typedef lg_fixture fixture;

static int setup(void **state)
{
    *state = lg_fixture_new(FIELD, 100, 100);
    return 0;
}

static void grade(fixture *f, const lp_set *s, les_grade *g)
{
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, s->items, s->count, g, NULL), LES_OK);
    assert_true(g->spacing.applicable);
}

/* Reference values from R 4.2, spatstat 3.0-6, on the same points written
 * out with %.17g (lp_random / lp_poisson_disk / lp_clumped, seed 1):
 *   X <- ppp(x, y, window = owin(c(20, 80), c(20, 80)))
 *   clarkevans(X, correction = c("none", "Donnelly"))
 *   s <- 1 / sqrt(intensity(X)); rr <- seq(0, 3.2 * s, length.out = 2001)
 *   K <- Kest(X, r = rr, correction = "border"); (sqrt(K$border / pi) - rr) / s
 *   at rr nearest 3 s (the largest of the grader's radii for a Poisson disk). */
static void test_against_spatstat(void **state)
{
    fixture *f = *state;
    lp_set s = {0};
    les_grade g;
    lp_random(&s, BOX, N_DOTS, 1);
    grade(f, &s, &g);
    assert_true(fabs(g.spacing.clark_evans - 1.0032880069) < 1e-9);
    assert_true(fabs(g.spacing.clark_evans_donnelly - 0.9923081565) < 1e-9);
    les_grade_deinit(&g);
    lp_free(&s);
    lp_poisson_disk(&s, BOX, N_DOTS, 1.2, 1);
    grade(f, &s, &g);
    assert_true(fabs(g.spacing.clark_evans - 1.6833828001) < 1e-9);
    assert_true(fabs(g.spacing.clark_evans_donnelly - 1.6649600828) < 1e-9);
    assert_true(fabs(g.spacing.clumping - -0.08409) < 1e-4);
    les_grade_deinit(&g);
    lp_free(&s);
    lp_clumped(&s, BOX, N_DOTS, 10, 0.5, 1); /* libm in the generator: looser */
    grade(f, &s, &g);
    assert_true(fabs(g.spacing.clark_evans - 0.4094885540) < 1e-3);
    assert_true(fabs(g.spacing.clark_evans_donnelly - 0.4050071657) < 1e-3);
    assert_true(fabs(g.spacing.clumping - 0.860119) < 1e-2);
    les_grade_deinit(&g);
    lp_free(&s);
}

static void test_hexagonal_grid(void **state)
{
    fixture *f = *state;
    lp_set s = {0};
    lp_hex(&s, BOX, HEX_A);
    les_grade g;
    grade(f, &s, &g);
    assert_true(fabs(g.spacing.clark_evans - 2.1491) < 0.05);
    assert_true(fabs(g.spacing.nn_mean_mm - HEX_A) < 1e-9);
    assert_true(g.spacing.nn_cv < 1e-6);
    assert_true(g.spacing.orientational_order > 0.8);
    assert_int_equal(g.spacing.order_fold, 6);
    assert_true(g.spacing.part[LES_SP_ORDER] == 0.0 && g.spacing.score == 0.0);
    assert_true(lg_has_feedback(&g, LES_METRIC_SPACING, "regular hexagonal grid"));
    les_grade_deinit(&g);
    lp_free(&s);
}

static void test_square_grid_and_rows(void **state)
{
    fixture *f = *state;
    lp_set s = {0};
    lp_square(&s, BOX, 1.58);
    les_grade g;
    grade(f, &s, &g);
    assert_int_equal(g.spacing.order_fold, 4);
    assert_true(g.spacing.orientational_order > 0.8);
    assert_true(lg_has_feedback(&g, LES_METRIC_SPACING, "square grid"));
    les_grade_deinit(&g);
    lp_free(&s);
    /* rows 2.2 mm apart, dots along each at random 0.9-1.5 mm steps */
    sim_rng rng;
    sim_rng_seed(&rng, 11, 0);
    for (double y = 21; y < 80; y += 2.2)
        for (double x = 20.5 + sim_rng_unit(&rng); x < 80; x += 0.9 + 0.6 * sim_rng_unit(&rng))
            lp_push(&s, x, y, 0.8);
    grade(f, &s, &g);
    assert_int_equal(g.spacing.order_fold, 2);
    assert_true(g.spacing.orientational_order > 0.6);
    assert_true(lg_has_feedback(&g, LES_METRIC_SPACING, "line up in rows"));
    les_grade_deinit(&g);
    lp_free(&s);
}

/* Poisson-disk best, random next, grid and clumps worst. */
static void test_ranking(void **state)
{
    fixture *f = *state;
    lp_set s = {0};
    les_grade g;
    lp_hex(&s, BOX, HEX_A);
    grade(f, &s, &g);
    double hex = g.spacing.score;
    les_grade_deinit(&g);
    lp_free(&s);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        lp_poisson_disk(&s, BOX, N_DOTS, 1.2, seed);
        grade(f, &s, &g);
        double pd = g.spacing.score;
        assert_true(g.spacing.clark_evans > 1.5);
        assert_true(lg_has_feedback(&g, LES_METRIC_SPACING, "even and natural"));
        les_grade_deinit(&g);
        lp_free(&s);
        lp_random(&s, BOX, N_DOTS, seed);
        grade(f, &s, &g);
        double random = g.spacing.score;
        assert_true(fabs(g.spacing.clark_evans - 1.0) < 0.05);
        assert_true(fabs(g.spacing.nn_cv - 0.523) < 0.05); /* Rayleigh: sqrt(4/pi - 1) */
        assert_true(g.spacing.orientational_order < 0.25);
        assert_true(lg_has_feedback(&g, LES_METRIC_SPACING, "placed at random"));
        les_grade_deinit(&g);
        lp_free(&s);
        lp_clumped(&s, BOX, N_DOTS, 10, 0.5, seed);
        grade(f, &s, &g);
        double clumped = g.spacing.score;
        assert_true(g.spacing.clark_evans < 0.6 && g.spacing.clumping > 0.5);
        assert_true(lg_has_feedback(&g, LES_METRIC_SPACING, "clump together"));
        les_grade_deinit(&g);
        lp_free(&s);
        assert_true(pd >= 90.0);
        assert_true(pd > random && random > 30.0);
        assert_true(random > hex && random > clumped);
        assert_true(hex <= 10.0 && clumped <= 10.0);
    }
}

/* 30 dots 3 mm apart, 5 of them with a partner 0.2 mm away: the healed
 * dots (0.43 mm for 0603RL at 0.8 mm) of each pair overlap: 10. */
static void test_overlaps_exact(void **state)
{
    fixture *f = *state;
    lp_set s = {0};
    for (int i = 0; i < 30; i++)
        lp_push(&s, 25 + 3.0 * (i % 6), 25 + 3.0 * (i / 6), 0.8);
    for (int i = 0; i < 5; i++)
        lp_push(&s, 25 + 3.0 * i + 0.2, 25, 0.8);
    les_grade g;
    grade(f, &s, &g);
    assert_int_equal(g.spacing.overlaps, 10);
    assert_true(lg_has_feedback(&g, LES_METRIC_SPACING, "10 dots will touch a neighbour"));
    les_grade_deinit(&g);
    /* blown-out dots heal to 1.24 mm: 1 mm apart they overlap, at 0.8 mm
     * deep they do not */
    lp_set deep = {0};
    for (int i = 0; i < 30; i++)
        lp_push(&deep, 25 + 1.0 * (i % 6), 25 + 1.0 * (i / 6), 2.9);
    grade(f, &deep, &g);
    assert_int_equal(g.spacing.overlaps, 30);
    les_grade_deinit(&g);
    for (size_t i = 0; i < deep.count; i++)
        deep.items[i].depth_mm = 0.8;
    grade(f, &deep, &g);
    assert_int_equal(g.spacing.overlaps, 0);
    les_grade_deinit(&g);
    lp_free(&s);
    lp_free(&deep);
}

static void test_largest_gap(void **state)
{
    fixture *f = *state;
    lp_set full = {0}, s = {0};
    lp_poisson_disk(&full, BOX, N_DOTS, 1.2, 2);
    for (size_t i = 0; i < full.count; i++) {
        sim_vec2 p = full.items[i].chart_mm;
        if (hypot(p.x - 45, p.y - 55) > 5.0)
            lp_push(&s, p.x, p.y, 0.8);
    }
    les_grade g;
    grade(f, &s, &g);
    assert_true(g.spacing.largest_gap_mm >= 10.0 && g.spacing.largest_gap_mm < 12.5);
    assert_true(hypot(g.spacing.gap_chart_mm.x - 45, g.spacing.gap_chart_mm.y - 55) < 1.2);
    assert_true(g.spacing.part[LES_SP_GAP] < 100.0);
    assert_true(lg_has_feedback(&g, LES_METRIC_SPACING, "A gap 1"));
    les_grade_deinit(&g);
    grade(f, &full, &g);
    assert_true(g.spacing.largest_gap_mm < 5.0);
    les_grade_deinit(&g);
    lp_free(&s);
    lp_free(&full);
}

/* The grader's NN mean, CV and overlaps against an O(n^2 log n) loop, on a
 * random set with mixed depths and cartridges (healed sizes differ). */
typedef struct by_dist { double d; size_t j; } by_dist;

static int by_dist_cmp(const void *pa, const void *pb)
{
    const by_dist *a = pa, *b = pb;
    if (a->d != b->d)
        return a->d < b->d ? -1 : 1;
    return a->j < b->j ? -1 : a->j > b->j;
}

static void test_nn_statistics_brute_force(void **state)
{
    fixture *f = *state;
    lp_set s = {0};
    lp_random(&s, BOX, 900, 21);
    sim_rng rng;
    sim_rng_seed(&rng, 3, 3);
    for (size_t i = 0; i < s.count; i++) {
        s.items[i].depth_mm = 0.3 + 2.5 * sim_rng_unit(&rng);
        s.items[i].needle = sim_rng_u32(&rng) % (uint32_t)sim_needle_count();
    }
    les_grade g;
    grade(f, &s, &g);
    by_dist *all = malloc(s.count * sizeof *all);
    double sum = 0, sum2 = 0;
    size_t overlaps = 0;
    for (size_t i = 0; i < s.count; i++) {
        size_t n = 0;
        for (size_t j = 0; j < s.count; j++)
            if (j != i)
                all[n++] = (by_dist){
                    sim_v3_len(sim_v3_sub(s.items[i].surface_mm, s.items[j].surface_mm)), j};
        qsort(all, n, sizeof *all, by_dist_cmp);
        sum += all[0].d;
        sum2 += all[0].d * all[0].d;
        /* the grader looks among the 6 nearest */
        sim_healed_dot di, dj;
        sim_heal_one(&s.items[i], NULL, &di);
        bool overlap = false;
        for (size_t k = 0; k < 6; k++) {
            sim_heal_one(&s.items[all[k].j], NULL, &dj);
            overlap = overlap || all[k].d < 0.5 * (di.diameter_mm + dj.diameter_mm);
        }
        overlaps += overlap;
    }
    double mean = sum / (double)s.count;
    double cv = sqrt(sum2 / (double)s.count - mean * mean) / mean;
    assert_true(fabs(g.spacing.nn_mean_mm - mean) < 1e-12);
    assert_true(fabs(g.spacing.nn_cv - cv) < 1e-9);
    assert_int_equal(g.spacing.overlaps, overlaps);
    free(all);
    les_grade_deinit(&g);
    lp_free(&s);
}

static void test_too_few_dots(void **state)
{
    fixture *f = *state;
    lp_set s = {0};
    lp_random(&s, BOX, LES_SPACING_MIN_DOTS - 1, 4);
    les_grade g;
    assert_int_equal(les_grade_run(&f->lesson, &f->pad, s.items, s.count, &g, NULL), LES_OK);
    assert_false(g.spacing.applicable);
    assert_true(isnan(g.spacing.score) && isnan(g.spacing.clark_evans));
    assert_true(g.spacing.passed);
    les_grade_deinit(&g);
    lp_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_against_spatstat, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_hexagonal_grid, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_square_grid_and_rows, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_ranking, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_overlaps_exact, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_largest_gap, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_nn_statistics_brute_force, setup, lg_fixture_free),
        cmocka_unit_test_setup_teardown(test_too_few_dots, setup, lg_fixture_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
