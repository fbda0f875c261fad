/* haptics_calib.c: device-to-surface calibration: the 3-point fit recovers a
 * known similarity, rejects degenerate triangles, reports its residual; the
 * checks refuse reflections and bad scales; save/load round trip and load
 * errors named with file, line and column. */
#include "test_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hap_calib.h"

static hap_calib known(void)
{
    /* 30 degrees about z, then 20 about x; scale 1.8; an offset */
    double a = sim_rad(30), b = sim_rad(20);
    double rz[3][3] = {{cos(a), -sin(a), 0}, {sin(a), cos(a), 0}, {0, 0, 1}};
    double rx[3][3] = {{1, 0, 0}, {0, cos(b), -sin(b)}, {0, sin(b), cos(b)}};
    hap_calib c = hap_calib_identity();
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            c.rot[i][j] = 0;
            for (int k = 0; k < 3; k++)
                c.rot[i][j] += rx[i][k] * rz[k][j];
        }
    c.scale = 1.8;
    c.offset_mm = sim_v3(12, -40, 95);
    return c;
}

static void test_fit_recovers_similarity(void **state)
{
    (void)state;
    hap_calib truth = known();
    const sim_vec3 dev[3] = {{0, 0, 110}, {40, 5, 120}, {-10, 35, 100}};
    sim_vec3 surf[3];
    for (int i = 0; i < 3; i++)
        surf[i] = hap_calib_point(&truth, dev[i]);
    hap_calib c;
    double resid = -1;
    assert_int_equal(hap_calib_from_points(&c, dev, surf, &resid, NULL), HAP_OK);
    assert_true(resid < 1e-9);
    assert_true(fabs(c.scale - 1.8) < 1e-12);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            assert_true(fabs(c.rot[i][j] - truth.rot[i][j]) < 1e-12);
    assert_int_equal(hap_calib_check(&c, NULL), HAP_OK);
    /* forward and back, forces rotate only */
    sim_vec3 p = sim_v3(3, -7, 130);
    sim_vec3 q = hap_calib_point_inverse(&c, hap_calib_point(&c, p));
    assert_true(sim_v3_len(sim_v3_sub(p, q)) < 1e-9);
    sim_vec3 f = sim_v3(0, 0, 2);
    sim_vec3 fd = hap_calib_force_to_device(&c, hap_calib_dir(&c, f));
    assert_true(sim_v3_len(sim_v3_sub(f, fd)) < 1e-12);
    assert_true(fabs(sim_v3_len(hap_calib_velocity(&c, sim_v3(1, 0, 0))) - 1.8) < 1e-12);
    assert_true(hap_calib_depth_scale(&c) == c.scale && hap_calib_max_gain(&c) == c.scale);
    c.depth_scale = 3.0;
    assert_true(hap_calib_max_gain(&c) == 3.0);
}

static void test_fit_noise_and_degenerate(void **state)
{
    (void)state;
    hap_calib truth = known();
    const sim_vec3 dev[3] = {{0, 0, 110}, {40, 5, 120}, {-10, 35, 100}};
    sim_vec3 surf[3];
    for (int i = 0; i < 3; i++)
        surf[i] = hap_calib_point(&truth, dev[i]);
    surf[2].x += 2.0;   /* a sloppy touch */
    hap_calib c;
    double resid = 0;
    assert_int_equal(hap_calib_from_points(&c, dev, surf, &resid, NULL), HAP_OK);
    assert_true(resid > 0.3 && resid < 2.0);
    sim_error err;
    const sim_vec3 close_pts[3] = {{0, 0, 0}, {2, 0, 0}, {0, 30, 0}};
    assert_int_equal(hap_calib_from_points(&c, close_pts, surf, NULL, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "calibration: the touched device points are unusable: "
                                     "two of the points are closer than 5 mm");
    const sim_vec3 line[3] = {{0, 0, 0}, {10, 0, 0}, {20, 0.1, 0}};
    assert_int_equal(hap_calib_from_points(&c, dev, line, NULL, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "calibration: the target surface points are unusable: "
                                     "the points are (nearly) on one line");
}

static void test_check(void **state)
{
    (void)state;
    sim_error err;
    hap_calib c = hap_calib_identity();
    assert_int_equal(hap_calib_check(&c, &err), HAP_OK);
    c.scale = 0;
    assert_int_equal(hap_calib_check(&c, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "calibration: scale must be a positive number");
    c = hap_calib_identity();
    c.rot[0][1] = 0.5;
    assert_int_equal(hap_calib_check(&c, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "calibration: rotation is not orthonormal");
    c = hap_calib_identity();
    c.offset_mm.y = NAN;
    assert_int_equal(hap_calib_check(&c, &err), HAP_ERR_ARG);
    c = hap_calib_identity();
    c.depth_scale = -1;
    assert_int_equal(hap_calib_check(&c, &err), HAP_ERR_ARG);
}

static void test_save_load(void **state)
{
    (void)state;
    hap_calib c = known();
    c.depth_scale = 0.75;
    char path[1024];
    snprintf(path, sizeof path, "%s", tu_tmp("station.calib"));
    assert_int_equal(hap_calib_save(&c, path, NULL), HAP_OK);
    hap_calib back;
    assert_int_equal(hap_calib_load(&back, path, NULL), HAP_OK);
    assert_memory_equal(&back, &c, sizeof c);   /* %.17g round-trips exactly */
    remove(path);
}

static void expect_load_error(const char *text, int line, int col, const char *msg)
{
    char path[1024];
    snprintf(path, sizeof path, "%s", tu_tmp("bad.calib"));
    assert_int_equal(tu_write_file(path, text, strlen(text)), 0);
    hap_calib c;
    sim_error err;
    assert_int_equal(hap_calib_load(&c, path, &err), HAP_ERR_ARG);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, col);
    assert_string_equal(err.message, msg);
    remove(path);
}

static void test_load_errors(void **state)
{
    (void)state;
    expect_load_error("stipple-calibration 2\n", 1, 21,
                      "unsupported calibration version 2 (expected 1)");
    expect_load_error("hello\n", 1, 1, "expected \"stipple-calibration 1\"");
    expect_load_error("stipple-calibration 1\nscale 1\nrotation 1 0 0 0 1 0 0 0\n", 3, 25,
                      "expected 9 numbers after \"rotation\"");
    expect_load_error("stipple-calibration 1\nscale x\n", 2, 7, "expected 1 number after \"scale\"");
    expect_load_error("stipple-calibration 1\nscal 1\n", 2, 1,
                      "expected scale, depth_scale, rotation or offset");
    expect_load_error("stipple-calibration 1\nscale 1\noffset 0 0 0\n", 3, 1, "missing rotation");
    expect_load_error("stipple-calibration 1\nscale 2\nrotation 1 0 0 0 1 0 0 0 -1\noffset 0 0 0\n", 0, 0,
                      "calibration: rotation is a reflection (determinant -1.000)");
    expect_load_error("", 0, 0, "the file is empty");
    hap_calib c;
    sim_error err;
    assert_int_equal(hap_calib_load(&c, "/nonexistent/x.calib", &err), HAP_ERR_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_recovers_similarity),
        cmocka_unit_test(test_fit_noise_and_degenerate),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_save_load),
        cmocka_unit_test(test_load_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
