/* haptics_emulated.c: the hardware backends against emulated devices
 * (umockdev):
 *  - the Falcon over USB: enumeration, FTDI control requests, the firmware
 *    probe and load, frame decoding in a servo session, and an unplug
 *    (ENODEV) in the middle of it that must leave forces at zero and end the
 *    session cleanly;
 *  - a pen tablet over evdev: libevdev's capability queries, then pen events
 *    read without blocking into position, depth, tilt and buttons.
 *
 * The test re-runs itself under `umockdev-run` once per scenario with the
 * scenario's files from tests/haptics/ (written by emulated_devices.py).
 * Without umockdev-run on the PATH the scenarios are skipped. */
#include "test_util.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hap_enum.h"
#include "hap_falcon.h"
#include "hap_falcon_kin.h"
#include "hap_servo.h"
#include "hap_tablet.h"
#include "sim_trace.h"

static char g_self[PATH_MAX];
static char g_data_dir[PATH_MAX];

static const char *data_path(const char *name)
{
    static char buf[PATH_MAX + 64];
    snprintf(buf, sizeof buf, "%s/%s", g_data_dir, name);
    return buf;
}

/* ------------------------------------------------------------------------ */
/* Scenarios (run inside umockdev)                                          */
/* ------------------------------------------------------------------------ */

static double tip_z_for(int enc)
{
    double th[3] = {hap_falcon_encoder_angle(enc), hap_falcon_encoder_angle(enc),
                    hap_falcon_encoder_angle(enc)};
    sim_vec3 p = sim_v3(0, 0, 110);
    assert_true(hap_falcon_fk(th, &p));
    return p.z;
}

static void scenario_session(void **state)
{
    (void)state;
    hap_device dev;
    sim_error err;
    hap_falcon_desc fd;
    memset(&fd, 0, sizeof fd);
    hap_result r = hap_falcon_open(&dev, &fd, &err);
    if (r != HAP_OK)
        fail_msg("open: %s", err.message);
    hap_device_info info;
    assert_int_equal(hap_device_info_get(&dev, &info), HAP_OK);
    assert_string_equal(info.model, "Novint Falcon");
    assert_string_equal(info.location, "usb 001:002");
    assert_true(info.needs_homing);
    assert_true(info.max_force_n == 8.0 && info.max_stiffness_n_per_mm == 3.0);
    /* the probe's frame already says all three motors are homed */
    assert_int_equal(hap_device_home(&dev, 1.0, &err), HAP_OK);

    sim_surface pad;
    sim_surface_desc sd = {.kind = SIM_SURFACE_PAD};
    assert_int_equal(sim_surface_init(&pad, &sd, NULL), SIM_OK);
    hap_servo servo;
    hap_servo_desc d;
    memset(&d, 0, sizeof d);
    d.model_timeout_s = -1;
    d.no_watchdog = true;              /* umockdev replays one transfer at a time */
    d.params.surface = &pad;
    d.params.forces_enabled = false;   /* frames carry zero force */
    assert_int_equal(hap_servo_init(&servo, &d, NULL), HAP_OK);
    assert_int_equal(hap_servo_start(&servo, &dev, &err), HAP_OK);
    /* the script unplugs the device after six exchanges: wait for the loop
     * to end by itself (the bound only guards against a hang) */
    hap_servo_info si;
    for (int i = 0; i < 5000; i++) {
        hap_servo_info_get(&servo, &si);
        if (!si.running)
            break;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    assert_false(si.running);
    hap_servo_stop(&servo);
    assert_int_equal(si.fault, HAP_FAULT_DEVICE_LOST);
    assert_int_equal(si.fault_result, HAP_ERR_NO_DEVICE);
    assert_true(sim_v3_len(dev.force_n) == 0.0);
    assert_false(dev.forces_enabled);
    assert_int_equal(hap_device_last_error(&dev, &err), HAP_ERR_NO_DEVICE);
    assert_non_null(strstr(err.message, "the device was disconnected on Novint Falcon"));

    /* the frames of exchanges 1..6, decoded, one per tick (the first
     * exchange starts when the servo takes the device) */
    sim_sample s[16];
    size_t n = hap_servo_drain(&servo, s, 16);
    assert_int_equal(n, 6);
    const int enc[6] = {0, 0, 300, 300, -1, 0};
    const uint32_t buttons[6] = {0, 0, 0, SIM_BUTTON_MACHINE, SIM_BUTTON_MACHINE, 0};
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(s[i].buttons, buttons[i]);
        if (enc[i] >= 0) {
            assert_true(fabs(s[i].tip_mm[0]) < 1e-3 && fabs(s[i].tip_mm[1]) < 1e-3);
            assert_true(fabs(s[i].tip_mm[2] - tip_z_for(enc[i])) < 1e-3);
        } else {
            /* encoders -200, 100, 50: off the axis, and where IK says */
            double th[3];
            sim_vec3 p = sim_v3(s[i].tip_mm[0], s[i].tip_mm[1], s[i].tip_mm[2]);
            assert_true(hap_falcon_ik(p, th));
            assert_true(fabs(th[0] - hap_falcon_encoder_angle(-200)) < 1e-5);
            assert_true(fabs(th[1] - hap_falcon_encoder_angle(100)) < 1e-5);
            assert_true(fabs(th[2] - hap_falcon_encoder_angle(50)) < 1e-5);
        }
        assert_true(s[i].force_n == 0.0f);
    }
    hap_servo_deinit(&servo);
    hap_device_close(&dev);   /* must not hang or touch the lost device */
    assert_false(hap_device_is_open(&dev));
    sim_surface_deinit(&pad);
}

static void scenario_firmware(void **state)
{
    (void)state;
    hap_device dev;
    sim_error err;
    hap_falcon_desc fd;
    memset(&fd, 0, sizeof fd);
    fd.firmware_path = data_path("falcon_test_firmware.bin");
    hap_result r = hap_falcon_open(&dev, &fd, &err);
    if (r != HAP_OK)
        fail_msg("open: %s", err.message);
    hap_device_close(&dev);
}

static void scenario_no_firmware(void **state)
{
    (void)state;
    hap_device dev;
    sim_error err;
    hap_falcon_desc fd;
    memset(&fd, 0, sizeof fd);
    assert_int_equal(hap_falcon_open(&dev, &fd, &err), HAP_ERR_FIRMWARE);
    assert_string_equal(err.message, "the Falcon at USB 001:002 runs no firmware: give the path "
                                     "of Novint's firmware file (not shipped with Stipple)");
    assert_false(hap_device_is_open(&dev));
}

static void scenario_bad_echo(void **state)
{
    (void)state;
    hap_device dev;
    sim_error err;
    hap_falcon_desc fd;
    memset(&fd, 0, sizeof fd);
    fd.firmware_path = data_path("falcon_test_firmware.bin");
    assert_int_equal(hap_falcon_open(&dev, &fd, &err), HAP_ERR_FIRMWARE);
    assert_string_equal(err.message, "the Falcon's loader echoed a wrong byte at offset 5: "
                                     "the transfer is corrupt");
    assert_string_equal(err.file, fd.firmware_path);
}

static void scenario_not_found(void **state)
{
    (void)state;
    hap_device dev;
    sim_error err;
    hap_falcon_desc fd;
    memset(&fd, 0, sizeof fd);
    fd.location = "001:009";
    assert_int_equal(hap_falcon_open(&dev, &fd, &err), HAP_ERR_NOT_FOUND);
    assert_string_equal(err.message, "no device 0403:cb48 at USB 001:009");
    fd.location = "one:two";
    assert_int_equal(hap_falcon_open(&dev, &fd, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "USB location \"one:two\" is not BUS:ADDRESS");
}

static void scenario_tablet(void **state)
{
    (void)state;
    hap_device dev;
    sim_error err;
    hap_tablet_desc td;
    memset(&td, 0, sizeof td);
    td.path = "/dev/input/event9";
    hap_result r = hap_tablet_open(&dev, &td, &err);
    if (r != HAP_OK)
        fail_msg("open: %s", err.message);
    hap_device_info info;
    hap_device_info_get(&dev, &info);
    assert_string_equal(info.model, "Stipple Test Pen");
    assert_string_equal(info.location, "/dev/input/event9");
    assert_int_equal(info.actuated, 0);
    assert_true(info.workspace_max_mm.x == 152.0 && info.workspace_max_mm.y == 95.0);
    /* read as the servo would, never blocking, until the last report of the
     * events file has arrived (the bound only guards against a hang) */
    hap_state st;
    memset(&st, 0, sizeof st);
    for (int i = 0; i < 3000 && !(st.buttons & SIM_BUTTON_MACHINE); i++) {
        assert_int_equal(hap_device_read(&dev, (int64_t)i * 1000, &st), HAP_OK);
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(st.buttons, SIM_BUTTON_MACHINE);
    assert_true(st.tip_mm.x == 50.0 && st.tip_mm.y == 80.0);
    double p = 1024 / 2047.0;
    assert_true(fabs(st.pressure - p) < 1e-12);
    assert_true(fabs(-st.tip_mm.z - 2.5 * (p - 0.02) / 0.98) < 1e-9);
    /* 30 units at 57 units per radian */
    assert_true(st.axis_sensed && fabs(st.axis.x - sin(30.0 / 57.0)) < 1e-9);
    hap_device_close(&dev);
}

static void scenario_tablet_not_pen(void **state)
{
    (void)state;
    hap_device dev;
    sim_error err;
    hap_tablet_desc td;
    memset(&td, 0, sizeof td);
    td.path = "/dev/bus/usb/001/002";   /* the emulated Falcon's node */
    assert_int_equal(hap_tablet_open(&dev, &td, &err), HAP_ERR_IO);
    assert_non_null(strstr(err.message, "not an input device"));
}

static void scenario_enumerate(void **state)
{
    (void)state;
    hap_device_entry e[8];
    size_t n = 0;
    sim_error err;
    hap_enum_desc d = {.firmware_path = NULL};
    assert_int_equal(hap_enumerate(&d, e, 8, &n, &err), HAP_OK);
    assert_int_equal(n, 4);
    assert_int_equal(e[0].backend, HAP_BACKEND_FALCON);
    assert_string_equal(e[0].location, "usb 001:002");
    assert_int_equal(e[0].status, HAP_OK);
    assert_string_equal(e[0].detail, "ready (firmware running)");
    assert_int_equal(e[1].backend, HAP_BACKEND_TABLET);
    assert_string_equal(e[1].name, "Stipple Test Pen");
    assert_string_equal(e[1].detail, "ready (152 x 95 mm, tilt)");
    assert_int_equal(e[2].backend, HAP_BACKEND_MOUSE);
    assert_int_equal(e[3].backend, HAP_BACKEND_VIRTUAL);
    /* too small an array: counted, not written past */
    assert_int_equal(hap_enumerate(&d, e, 1, &n, &err), HAP_OK);
    assert_int_equal(n, 4);
}

static void scenario_enumerate_no_firmware(void **state)
{
    (void)state;
    hap_device_entry e[8];
    size_t n = 0;
    hap_enum_desc d = {.firmware_path = NULL, .input_dir = "/nonexistent"};
    assert_int_equal(hap_enumerate(&d, e, 8, &n, NULL), HAP_OK);
    assert_int_equal(n, 3);
    assert_int_equal(e[0].status, HAP_ERR_FIRMWARE);
    assert_string_equal(e[0].detail, "no firmware running, and no firmware file was given");
    assert_non_null(strstr(e[0].advice, "STIPPLE_FALCON_FIRMWARE"));
}

/* A scenario: its umockdev-run options, each "FLAG FILE" or
 * "FLAG NODE=FILE" with FILE in tests/haptics/. */
typedef struct scenario {
    const char *name;
    const char *opts[8];
    void (*fn)(void **);
} scenario;

#define FALCON(ioctl) "-d falcon.umockdev", "-i /dev/bus/usb/001/002=" ioctl
#define TABLET "-d tablet.umockdev", "-i /dev/input/event9=tablet.ioctl", \
               "-e /dev/input/event9=tablet.events"
static const scenario scenarios[] = {
    {"session", {FALCON("falcon_session.ioctl")}, scenario_session},
    {"firmware", {FALCON("falcon_firmware.ioctl")}, scenario_firmware},
    {"no_firmware", {FALCON("falcon_firmware.ioctl")}, scenario_no_firmware},
    {"bad_echo", {FALCON("falcon_bad_echo.ioctl")}, scenario_bad_echo},
    {"not_found", {FALCON("falcon_session.ioctl")}, scenario_not_found},
    {"tablet", {TABLET}, scenario_tablet},
    {"tablet_not_pen", {FALCON("falcon_session.ioctl")}, scenario_tablet_not_pen},
    {"enumerate", {FALCON("falcon_session.ioctl"), TABLET}, scenario_enumerate},
    {"enumerate_no_firmware", {FALCON("falcon_firmware.ioctl")}, scenario_enumerate_no_firmware},
};
#define N_SCENARIOS (sizeof scenarios / sizeof *scenarios)

static int run_scenario(const char *name)
{
    for (size_t i = 0; i < N_SCENARIOS; i++)
        if (strcmp(scenarios[i].name, name) == 0) {
            const struct CMUnitTest t[] = {cmocka_unit_test(scenarios[i].fn)};
            return _cmocka_run_group_tests(name, t, 1, NULL, NULL);
        }
    fprintf(stderr, "unknown scenario %s\n", name);
    return 2;
}

/* ------------------------------------------------------------------------ */
/* The parent: one umockdev-run per scenario                                */
/* ------------------------------------------------------------------------ */

static int spawn_scenario(const scenario *sc)
{
    static char args[8][2][2 * PATH_MAX + 64];
    char *argv[24];
    int n = 0;
    argv[n++] = "umockdev-run";
    for (int i = 0; i < 8 && sc->opts[i]; i++) {
        const char *sp = strchr(sc->opts[i], ' ');
        const char *eq = strchr(sp + 1, '=');
        snprintf(args[i][0], sizeof args[i][0], "%.*s", (int)(sp - sc->opts[i]), sc->opts[i]);
        int len = eq ? snprintf(args[i][1], sizeof args[i][1], "%.*s%s", (int)(eq + 1 - (sp + 1)),
                                sp + 1, data_path(eq + 1))
                     : snprintf(args[i][1], sizeof args[i][1], "%s", data_path(sp + 1));
        if (len < 0 || (size_t)len >= sizeof args[i][1])
            return -1;
        argv[n++] = args[i][0];
        argv[n++] = args[i][1];
    }
    argv[n++] = "--";
    argv[n++] = g_self;
    argv[n++] = "--scenario";
    argv[n++] = (char *)sc->name;
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execvp(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void run_under_umockdev(void **state)
{
    const scenario *sc = *state;
    int rc = spawn_scenario(sc);
    if (rc == 127)
        skip();   /* umockdev-run not installed */
    assert_int_equal(rc, 0);
}

static int set_scenario(void **state, size_t i)
{
    *state = (void *)&scenarios[i];
    return 0;
}
#define SC(i) static int sc##i(void **s) { return set_scenario(s, i); }
SC(0) SC(1) SC(2) SC(3) SC(4) SC(5) SC(6) SC(7) SC(8)
#undef SC

int main(int argc, char **argv)
{
    /* test data next to this source file: tests/haptics/ */
    char src[PATH_MAX];
    snprintf(src, sizeof src, "%s", __FILE__);
    snprintf(g_data_dir, sizeof g_data_dir, "%s/haptics", dirname(src));
    if (!realpath("/proc/self/exe", g_self))
        snprintf(g_self, sizeof g_self, "%s", argv[0]);
    if (argc == 3 && strcmp(argv[1], "--scenario") == 0)
        return run_scenario(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(run_under_umockdev, sc0),
        cmocka_unit_test_setup(run_under_umockdev, sc1),
        cmocka_unit_test_setup(run_under_umockdev, sc2),
        cmocka_unit_test_setup(run_under_umockdev, sc3),
        cmocka_unit_test_setup(run_under_umockdev, sc4),
        cmocka_unit_test_setup(run_under_umockdev, sc5),
        cmocka_unit_test_setup(run_under_umockdev, sc6),
        cmocka_unit_test_setup(run_under_umockdev, sc7),
        cmocka_unit_test_setup(run_under_umockdev, sc8),
    };
    _Static_assert(sizeof tests / sizeof *tests == N_SCENARIOS, "one test per scenario");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
