/* render_nodisplay_test.c: with no usable EGL driver, offscreen rendering
 * fails with RND_ERR_NO_DISPLAY and a sentence, never a crash or an abort.
 *
 * The driver is hidden by pointing libglvnd's vendor list at nothing before
 * the first EGL call of the process (so this is its own executable). */
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

#include "rnd.h"

static void no_driver_means_no_display(void **state)
{
    (void)state;
    rnd_offscreen *off = (rnd_offscreen *)0x1;
    sim_error err;
    assert_int_equal(rnd_offscreen_create(&off, 64, 64, &err), RND_ERR_NO_DISPLAY);
    assert_null(off);
    assert_int_equal(err.code, RND_ERR_NO_DISPLAY);
    print_message("%s\n", err.message);
    assert_non_null(strstr(err.message, "EGL"));
    /* the one-call picture reports the same, and writes nothing */
    sim_surface pad;
    sim_surface_desc d;
    memset(&d, 0, sizeof d);
    d.kind = SIM_SURFACE_PAD;
    assert_int_equal(sim_surface_init(&pad, &d, &err), SIM_OK);
    const char *path = tu_tmp("never.png");
    assert_int_equal(rnd_render_png(path, 64, 64, &pad, NULL, NULL, 0, &err),
                     RND_ERR_NO_DISPLAY);
    assert_null(tu_read_file(path, NULL));
    sim_surface_deinit(&pad);
}

int main(void)
{
    /* libglvnd: load no vendor library; Mesa's own loader: no drivers */
    setenv("__EGL_VENDOR_LIBRARY_FILENAMES", "/nonexistent/stipple-no-egl.json", 1);
    setenv("LIBGL_DRIVERS_PATH", "/nonexistent", 1);
    setenv("GBM_BACKENDS_PATH", "/nonexistent", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_driver_means_no_display),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
