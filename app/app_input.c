/* app_input.c: the simulator's stylus: device choice, default calibration,
 * and the servo thread (see app_input.h).
 *
 * Threads: main thread; the servo thread runs inside hap_servo.
 */
#include "app_input.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "hap_falcon.h"
#include "hap_tablet.h"

/* A force device's default mapping: its workspace centre on the work area,
 * lifted this far above the skin, device up (+Y, libnifalcon's convention)
 * along the skin's normal, device right (+X) along the surface's right. */
#define INPUT_LIFT_MM 10.0

static hap_result open_falcon(app_input *in, const app_input_desc *d, sim_error *err)
{
    hap_falcon_desc fd = {.firmware_path = d->firmware_path};
    return hap_falcon_open(&in->device, &fd, err);
}

static hap_result open_tablet(app_input *in, const app_input_desc *d, sim_error *err)
{
    /* chart mode: the tablet's area maps onto the scalp chart */
    hap_tablet_desc td = {.surface = d->surface};
    return hap_tablet_open(&in->device, &td, err);
}

static hap_result open_mouse(app_input *in, sim_error *err)
{
    hap_mouse_desc md = {.hover_mm = 2.0};
    return hap_mouse_open(&in->device, &md, err);
}

/* The default device -> surface mapping for a device that reports device
 * space (the Falcon): device +Y along the normal at the work centre. */
static hap_calib default_calib(const app_input_desc *d)
{
    hap_calib c = hap_calib_identity();
    sim_surface_hit hit;
    sim_surface_closest(d->surface, d->work_centre_mm, &hit);
    sim_vec3 up = hit.normal;
    sim_vec3 ref = fabs(up.x) < 0.9 ? sim_v3(1, 0, 0) : sim_v3(0, 0, 1);
    sim_vec3 right = sim_v3_normalize(sim_v3_sub(ref, sim_v3_scale(up, sim_v3_dot(ref, up))));
    sim_vec3 toward = sim_v3_cross(right, up);   /* device +Z: toward the trainee */
    const sim_vec3 cols[3] = {right, up, toward};
    for (int k = 0; k < 3; k++) {
        c.rot[0][k] = cols[k].x;
        c.rot[1][k] = cols[k].y;
        c.rot[2][k] = cols[k].z;
    }
    c.offset_mm = sim_v3_add(hit.point_mm, sim_v3_scale(up, INPUT_LIFT_MM));
    return c;
}

static bool wants(const char *device, const char *name)
{
    return !device || strcmp(device, "auto") == 0 || strcmp(device, name) == 0;
}

/* Tries the devices in order of preference; the mouse always opens. */
static int choose_device(app_input *in, const app_input_desc *d)
{
    sim_error err;
    sim_error_clear(&err);
    bool named = d->device && strcmp(d->device, "auto") != 0;
    if (named && strcmp(d->device, "mouse") != 0 && strcmp(d->device, "tablet") != 0 &&
        strcmp(d->device, "falcon") != 0)
        return app_usage_error("--device takes auto, mouse, tablet or falcon, got '%s'", d->device);
    char why[1100] = "";
    if (wants(d->device, "falcon")) {
        if (open_falcon(in, d, &err) == HAP_OK) {
            in->kind = HAP_BACKEND_FALCON;
            return APP_EXIT_OK;
        }
        if (named || err.code != HAP_ERR_NOT_FOUND)
            snprintf(why, sizeof why, "Falcon: %.500s", err.message);
    }
    if (wants(d->device, "tablet")) {
        sim_error_clear(&err);
        if (open_tablet(in, d, &err) == HAP_OK) {
            in->kind = HAP_BACKEND_TABLET;
            return APP_EXIT_OK;
        }
        if (named || err.code != HAP_ERR_NOT_FOUND)
            snprintf(why + strlen(why), sizeof why - strlen(why), "%stablet: %.500s", why[0] ? "; " : "",
                     err.message);
    }
    sim_error_clear(&err);
    if (open_mouse(in, &err) != HAP_OK) {
        app_print_error(&err);
        return APP_EXIT_FAIL;
    }
    in->kind = HAP_BACKEND_MOUSE;
    if (why[0])
        snprintf(in->note, sizeof in->note, "using the mouse (%s)", why);
    else
        snprintf(in->note, sizeof in->note, "using the mouse (no stylus found)");
    return APP_EXIT_OK;
}

int app_input_open(app_input *in, const app_input_desc *d)
{
    memset(in, 0, sizeof *in);
    int rc = choose_device(in, d);
    if (rc != APP_EXIT_OK)
        return rc;
    in->open = true;
    hap_device_info info;
    hap_device_info_get(&in->device, &info);
    snprintf(in->name, sizeof in->name, "%s", info.model[0] ? info.model : hap_backend_name(in->kind));
    if (!in->note[0])
        snprintf(in->note, sizeof in->note, "using %s%s%s", in->name, info.location[0] ? " at " : "",
                 info.location);

    sim_error err;
    sim_error_clear(&err);
    hap_servo_desc sd;
    memset(&sd, 0, sizeof sd);
    sd.params.surface = d->surface;
    sd.params.calib = hap_calib_identity();
    if (!info.surface_frame) {
        sd.params.calib = default_calib(d);
        if (d->calibration_path && hap_calib_load(&sd.params.calib, d->calibration_path, &err) != HAP_OK) {
            app_print_error(&err);
            app_input_close(in);
            return APP_EXIT_FAIL;
        }
    }
    sd.params.forces_enabled = info.actuated != 0;
    in->params = sd.params;
    if (hap_servo_init(&in->servo, &sd, &err) != HAP_OK) {
        app_print_error(&err);
        app_input_close(in);
        return APP_EXIT_FAIL;
    }
    in->servo_ready = true;
    if (info.needs_homing && hap_device_home(&in->device, 10.0, &err) != HAP_OK) {
        app_print_error(&err);
        app_input_close(in);
        return APP_EXIT_FAIL;
    }
    if (hap_servo_start(&in->servo, &in->device, &err) != HAP_OK) {
        app_print_error(&err);
        app_input_close(in);
        return APP_EXIT_FAIL;
    }
    in->running = true;
    return APP_EXIT_OK;
}

void app_input_feed_mouse(app_input *in, const hap_mouse_input *m)
{
    if (in->open && in->kind == HAP_BACKEND_MOUSE)
        hap_mouse_feed(&in->device, m);
}

void app_input_set_machine(app_input *in, bool on)
{
    if (!in->running)
        return;
    uint32_t want = on ? SIM_BUTTON_MACHINE : 0;
    if (in->params.buttons_or == want)
        return;
    in->params.buttons_or = want;
    hap_servo_set_params(&in->servo, &in->params, NULL, NULL);
}

size_t app_input_drain(app_input *in, sim_sample *out, size_t max)
{
    if (!in->servo_ready)
        return 0;
    if (in->running)
        hap_servo_heartbeat(&in->servo);
    return hap_servo_drain(&in->servo, out, max);
}

void app_input_stop(app_input *in)
{
    if (in->running)
        hap_servo_stop(&in->servo);
    in->running = false;
}

void app_input_status(app_input *in, hap_servo_status *out)
{
    if (in->running)
        hap_servo_status_get(&in->servo, out);
    else
        memset(out, 0, sizeof *out);
}

void app_input_close(app_input *in)
{
    if (in->servo_ready)
        hap_servo_deinit(&in->servo);   /* stops the thread, forces first */
    if (in->open)
        hap_device_close(&in->device);
    in->running = in->servo_ready = in->open = false;
}
