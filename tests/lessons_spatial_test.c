/* lessons_spatial_test.c: the spatial index against brute force on random
 * sets (flat, curved, clustered, duplicated, far-flung), the statistics on
 * sets with known answers, and allocation failures. */
#include "les_spatial.h"
#include "lessons_helpers.h"

/* Generators --------------------------------------------------------------- */

typedef enum shape { FLAT, SPHERE, CLUSTERS, DUPLICATES, FARFLUNG } shape;

static sim_vec3 *make_points(shape s, size_t n, uint64_t seed)
{
    sim_rng rng;
    sim_rng_seed(&rng, seed, 7);
    sim_vec3 *p = malloc(n * sizeof *p);
    for (size_t i = 0; i < n; i++) {
        double a = sim_rng_unit(&rng), b = sim_rng_unit(&rng);
        switch (s) {
        case FLAT: p[i] = sim_v3(100 * a, 60 * b, 0); break;
        case SPHERE: {
            double th = 0.5 * SIM_PI * a, ph = 2 * SIM_PI * b;
            p[i] = sim_v3(95 * sin(th) * cos(ph), 95 * cos(th) + 30, 95 * sin(th) * sin(ph));
            break;
        }
        case CLUSTERS: {
            size_t c = i % 7;
            p[i] = sim_v3(15.0 * (double)c + a, 3.0 * (double)(c % 3) + b, 0.2 * a * b);
            break;
        }
        case DUPLICATES: p[i] = sim_v3(floor(4 * a), floor(3 * b), 0); break;
        case FARFLUNG: p[i] = sim_v3(9000 * a - 4500, 9000 * b - 4500, 100 * a); break;
        }
    }
    return p;
}

static void check_knn_all(shape s, size_t n, double cell_mm, size_t k)
{
    sim_vec3 *p = make_points(s, n, 1000 + (uint64_t)s);
    les_spatial ix;
    assert_int_equal(les_spatial_build(&ix, p, n, cell_mm, NULL), LES_OK);
    uint32_t *nbr = malloc(n * k * sizeof *nbr);
    double *d = malloc(n * k * sizeof *d);
    les_spatial_knn_all(&ix, k, nbr, d);
    for (size_t i = 0; i < n; i++) {
        uint32_t bn[LES_SPATIAL_MAX_K];
        double bd[LES_SPATIAL_MAX_K];
        les_spatial_knn_brute(p, n, p[i], (uint32_t)i, k, bn, bd);
        for (size_t j = 0; j < k; j++) {
            if (nbr[i * k + j] != bn[j] || d[i * k + j] != bd[j])
                fail_msg("shape %d point %zu neighbour %zu: %u at %g, brute force %u at %g",
                         (int)s, i, j, nbr[i * k + j], d[i * k + j], bn[j], bd[j]);
        }
    }
    free(nbr);
    free(d);
    les_spatial_deinit(&ix);
    free(p);
}

static void test_knn_all_matches_brute_force(void **state)
{
    (void)state;
    check_knn_all(FLAT, 3000, 2.0, 6);
    check_knn_all(FLAT, 3000, 0.05, 6);    /* tiny cells: shells */
    check_knn_all(FLAT, 500, 500.0, 8);    /* one cell: refined */
    check_knn_all(SPHERE, 3000, 3.0, 6);
    check_knn_all(CLUSTERS, 2000, 1.0, 6);
    check_knn_all(DUPLICATES, 400, 0.5, 8);  /* ties broken by index */
    check_knn_all(FARFLUNG, 300, 0.5, 6);    /* full-scan fallback */
    check_knn_all(FLAT, 5, 1.0, 8);          /* fewer points than k */
    check_knn_all(FLAT, 1, 1.0, 3);
}

static void test_queries_match_brute_force(void **state)
{
    (void)state;
    const shape shapes[] = {FLAT, SPHERE, CLUSTERS, FARFLUNG};
    static const double radii[] = {0.5, 1.0, 2.5, 4.0, 9.0};
    for (size_t si = 0; si < 4; si++) {
        size_t n = 2000;
        sim_vec3 *p = make_points(shapes[si], n, 77);
        les_spatial ix;
        assert_int_equal(les_spatial_build(&ix, p, n, 1.5, NULL), LES_OK);
        sim_rng rng;
        sim_rng_seed(&rng, 5, si);
        for (int t = 0; t < 300; t++) {
            /* queries inside, around and far outside the set */
            double spread = t < 100 ? 120 : t < 200 ? 400 : 20000;
            sim_vec3 q = sim_v3(spread * (sim_rng_unit(&rng) - 0.3),
                                spread * (sim_rng_unit(&rng) - 0.3),
                                spread * 0.1 * (sim_rng_unit(&rng) - 0.5));
            uint32_t a[5], b[5];
            double da[5], db[5];
            size_t fa = les_spatial_knn(&ix, q, LES_SPATIAL_NONE, 5, a, da);
            size_t fb = les_spatial_knn_brute(p, n, q, LES_SPATIAL_NONE, 5, b, db);
            assert_int_equal(fa, fb);
            for (int j = 0; j < 5; j++)
                assert_true(a[j] == b[j] && da[j] == db[j]);
            uint64_t ca[5] = {0}, cb[5] = {0};
            les_spatial_count_within(&ix, q, 3, radii, 5, ca);
            les_spatial_count_within_brute(p, n, q, 3, radii, 5, cb);
            assert_memory_equal(ca, cb, sizeof ca);
        }
        les_spatial_deinit(&ix);
        free(p);
    }
}

static void test_empty_and_bad_input(void **state)
{
    (void)state;
    les_spatial ix;
    assert_int_equal(les_spatial_build(&ix, NULL, 0, 1.0, NULL), LES_OK);
    uint32_t nbr[2];
    double d[2];
    assert_int_equal(les_spatial_knn(&ix, sim_v3(0, 0, 0), LES_SPATIAL_NONE, 2, nbr, d), 0);
    assert_true(nbr[0] == LES_SPATIAL_NONE && d[0] == INFINITY);
    les_spatial_deinit(&ix);
    sim_vec3 bad[2] = {{0, 0, 0}, {NAN, 0, 0}};
    sim_error err;
    assert_int_equal(les_spatial_build(&ix, bad, 2, 1.0, &err), LES_ERR_ARG);
    assert_null(ix.pts);
    les_spatial_deinit(NULL);
}

static void test_build_out_of_memory(void **state)
{
    (void)state;
    sim_vec3 *p = make_points(FLAT, 200, 3);
    for (long n = 0;; n++) {
        les_spatial ix;
        sim_alloc_fail_after(n);
        les_result r = les_spatial_build(&ix, p, 200, 2.0, NULL);
        sim_alloc_fail_after(-1);
        les_spatial_deinit(&ix);
        if (r == LES_OK)
            break;
        assert_int_equal(r, LES_ERR_NOMEM);
        assert_true(n < 100);
    }
    free(p);
}

/* Statistics -------------------------------------------------------------- */

static void test_clark_evans_formulas(void **state)
{
    (void)state;
    /* a hexagonal grid of spacing a: every NN distance is a; the density
     * is 2 / (sqrt(3) a^2), so R = a / (0.5 sqrt(sqrt(3)/2) a) = 2.1491 */
    double area = 1e6, a = 1.0;
    size_t n = (size_t)(area * 2.0 / sqrt(3.0));
    assert_true(fabs(les_clark_evans(a, n, area) - 2.1491) < 1e-3);
    /* Donnelly: expected mean grows by (0.0514 + 0.0412/sqrt(n)) P / n */
    double e = 0.5 * sqrt(100.0 / 25.0) + (0.0514 + 0.0412 / 5.0) * 40.0 / 25.0;
    assert_true(fabs(les_clark_evans_donnelly(1.0, 25, 100.0, 40.0) - 1.0 / e) < 1e-12);
    assert_true(isnan(les_clark_evans(1.0, 1, 100.0)));
    assert_true(isnan(les_clark_evans_donnelly(1.0, 5, 0.0, 4.0)));
    /* L for a Poisson count: K = pi r^2 gives L = r */
    assert_true(fabs(les_ripley_l(314159265, 1000000, 100.0) - 1.0) < 1e-6);
    assert_true(isnan(les_ripley_l(5, 0, 1.0)));
}

static sim_vec2 bond_at(double theta_rad, double len)
{
    return sim_v2(len * cos(theta_rad), len * sin(theta_rad));
}

static void test_orientational_order(void **state)
{
    (void)state;
    les_order_acc hex = {0}, square = {0}, rows = {0}, none = {0};
    int fold = 0;
    for (int i = 0; i < 50; i++) {
        sim_vec2 h[6], s[6], r[6], z[6];
        for (int j = 0; j < 6; j++) {
            double len = 1.0 + 0.1 * j;
            h[j] = bond_at(0.3 + j * SIM_PI / 3.0, len);                /* hexagon */
            s[j] = bond_at(j < 4 ? 0.2 + j * SIM_PI / 2.0 : 1.0, len);  /* 4 square first */
            r[j] = bond_at(j < 2 ? 0.7 + j * SIM_PI : 0.1 * j, len);    /* 2 along a row */
            z[j] = bond_at((i * 7 + j * 13) % 360 * SIM_PI / 180.0 * 2.7, len);
        }
        les_order_add(&hex, h, 6);
        les_order_add(&square, s, 6);
        les_order_add(&rows, r, 6);
        les_order_add(&none, z, 6);
    }
    assert_true(fabs(les_order_value(&hex, &fold) - 1.0) < 1e-9 && fold == 6);
    assert_true(les_order_value(&square, &fold) > 0.99 && fold == 4);
    assert_true(les_order_value(&rows, &fold) > 0.99 && fold == 2);
    assert_true(les_order_value(&none, NULL) < 0.35);
    les_order_acc empty = {0};
    assert_true(isnan(les_order_value(&empty, &fold)) && fold == 0);
    /* the same as exp(i n theta) computed with trigonometry */
    sim_vec2 b[6];
    double theta[6] = {0.1, 1.3, 2.0, -2.5, 3.0, -0.7}, re6 = 0, im6 = 0;
    for (int j = 0; j < 6; j++) {
        b[j] = bond_at(theta[j], 0.5 + j);
        re6 += cos(6 * theta[j]) / 6;
        im6 += sin(6 * theta[j]) / 6;
    }
    les_order_acc one = {0};
    les_order_add(&one, b, 6);
    assert_true(fabs(one.re[2] - re6) < 1e-12 && fabs(one.im[2] - im6) < 1e-12);
    b[3] = sim_v2(0, 0); /* a zero bond: skipped */
    les_order_add(&one, b, 6);
    assert_int_equal(one.count, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_knn_all_matches_brute_force),
        cmocka_unit_test(test_queries_match_brute_force),
        cmocka_unit_test(test_empty_and_bad_input),
        cmocka_unit_test(test_build_out_of_memory),
        cmocka_unit_test(test_clark_evans_formulas),
        cmocka_unit_test(test_orientational_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
