/* hap_falcon.c: the Novint Falcon backend (see hap_falcon.h). Transport in
 * hap_ftdi.c, packets in hap_falcon_codec.c, geometry in hap_falcon_kin.c;
 * this file is the device logic: probe, firmware load, homing, the per-tick
 * exchange. */
#include "hap_falcon.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hap_falcon_codec.h"
#include "hap_falcon_kin.h"
#include "hap_ftdi.h"
#include "sim_trace.h"

#define PROBE_WRITES 2
#define PROBE_READS 3
#define IO_TIMEOUT_MS 1000
#define FIRMWARE_CHUNK 62          /* a 64-byte packet less the 2 status bytes */
#define FIRMWARE_MAX (1u << 20)
#define LOADER_TRIES 10
#define DEFAULT_STALE_S 0.05

typedef struct falcon {
    hap_ftdi usb;
    hap_falcon_parser parser;
    hap_falcon_command cmd;       /* the next frame's content */
    hap_falcon_report report;     /* the newest decoded frame */
    bool have_report;
    int64_t last_frame_us;        /* servo time of the newest frame */
    int64_t started_us;           /* servo time of the first read; -1 before */
    sim_vec3 tip_mm;              /* from the newest frame */
    bool tip_valid;
    bool homing;
    double stale_s;
    uint8_t zero_frame[HAP_FALCON_FRAME_SIZE];   /* read-only after open */
    uint32_t button_map[4];
} falcon;

/* ------------------------------------------------------------------------ */
/* Frames                                                                   */
/* ------------------------------------------------------------------------ */

static void update_leds(falcon *fa, bool forces_on)
{
    bool homed = fa->have_report && fa->report.homed == 7;
    fa->cmd.leds = !homed ? HAP_FALCON_LED_RED
                 : forces_on ? HAP_FALCON_LED_BLUE : HAP_FALCON_LED_GREEN;
    fa->cmd.homing = fa->homing;
}

/* Takes the bytes of a completed exchange; true when a frame arrived. */
static bool take_payload(falcon *fa)
{
    if (!fa->usb.payload_ready)
        return false;
    fa->usb.payload_ready = false;
    hap_falcon_report r;
    if (hap_falcon_parser_feed(&fa->parser, fa->usb.payload, fa->usb.payload_len, &r) == 0)
        return false;
    fa->report = r;
    fa->have_report = true;
    double th[3];
    for (int i = 0; i < 3; i++)
        th[i] = hap_falcon_encoder_angle(r.encoder[i]);
    sim_vec3 p = fa->tip_valid ? fa->tip_mm : sim_v3(0, 0, 110);
    if (hap_falcon_fk(th, &p)) {
        fa->tip_mm = p;
        fa->tip_valid = true;
    }
    return true;
}

/* Setup thread: one blocking exchange (frame out, up to PROBE_READS reads)
 * until a frame comes back. */
static hap_result exchange_blocking(falcon *fa, bool *got_frame, sim_error *err)
{
    uint8_t frame[HAP_FALCON_FRAME_SIZE];
    *got_frame = false;
    hap_falcon_encode(&fa->cmd, frame);
    hap_result r = hap_ftdi_write(&fa->usb, frame, sizeof frame, IO_TIMEOUT_MS, err);
    if (r != HAP_OK)
        return r;
    for (int i = 0; i < PROBE_READS && !*got_frame; i++) {
        size_t n = 0;
        r = hap_ftdi_read(&fa->usb, fa->usb.payload, sizeof fa->usb.payload, &n, IO_TIMEOUT_MS, err);
        if (r != HAP_OK)
            return r;
        fa->usb.payload_len = n;
        fa->usb.payload_ready = true;
        *got_frame = take_payload(fa);
    }
    return HAP_OK;
}

/* ------------------------------------------------------------------------ */
/* Bridge settings and the firmware loader                                  */
/* ------------------------------------------------------------------------ */

typedef struct control_step { uint8_t request; uint16_t value; } control_step;

static hap_result run_controls(falcon *fa, const control_step *steps, size_t n, sim_error *err)
{
    for (size_t i = 0; i < n; i++) {
        hap_result r = hap_ftdi_control(&fa->usb, steps[i].request, steps[i].value, err);
        if (r != HAP_OK)
            return r;
    }
    return HAP_OK;
}

/* The firmware's link: 1 ms latency, divisor code 2 (about 1.46 Mbaud). */
static const control_step normal_mode[] = {
    {HAP_FTDI_SET_LATENCY, 1},
    {HAP_FTDI_SET_BAUD_RATE, 0x0002},
    {HAP_FTDI_RESET, HAP_FTDI_PURGE_RX},
    {HAP_FTDI_RESET, HAP_FTDI_PURGE_TX},
};

/* The boot loader's link: 16 ms latency, 9600 baud 8N1, no flow control,
 * RTS low, DTR pulsed low-high (resets the microcontroller into its loader). */
static const control_step loader_mode[] = {
    {HAP_FTDI_RESET, HAP_FTDI_PURGE_RX},
    {HAP_FTDI_RESET, HAP_FTDI_PURGE_TX},
    {HAP_FTDI_SET_LATENCY, 16},
    {HAP_FTDI_SET_BAUD_RATE, 0x4138},
    {HAP_FTDI_SET_DATA, 8},
    {HAP_FTDI_SET_FLOW_CTRL, 0},
    {HAP_FTDI_MODEM_CTRL, HAP_FTDI_RTS_LOW},
    {HAP_FTDI_MODEM_CTRL, HAP_FTDI_DTR_LOW},
    {HAP_FTDI_MODEM_CTRL, HAP_FTDI_DTR_HIGH},
};

/* After the handshake: DTR low and the loader's transfer speed (code 0x15). */
static const control_step loader_transfer[] = {
    {HAP_FTDI_MODEM_CTRL, HAP_FTDI_DTR_LOW},
    {HAP_FTDI_SET_BAUD_RATE, 0x0015},
};

hap_result hap_falcon_firmware_read(const char *path, uint8_t **data, size_t *size,
                                    sim_error *err)
{
    *data = NULL;
    *size = 0;
    if (!path || !*path)
        return (hap_result)sim_error_set(err, HAP_ERR_FIRMWARE, NULL, 0, 0,
                                         "no Falcon firmware file given (Novint's firmware is "
                                         "not shipped with Stipple: pass its path)");
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (err)
            err->sys_errno = errno;
        return (hap_result)sim_error_set(err, HAP_ERR_FIRMWARE, path, 0, 0,
                                         "cannot open the Falcon firmware: %s", strerror(errno));
    }
    uint8_t *buf = sim_malloc(FIRMWARE_MAX + 1);
    if (!buf) {
        fclose(f);
        return (hap_result)sim_error_set(err, HAP_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    size_t n = fread(buf, 1, FIRMWARE_MAX + 1, f);
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad || n == 0 || n > FIRMWARE_MAX) {
        sim_free(buf);
        return (hap_result)sim_error_set(err, HAP_ERR_FIRMWARE, path, 0, 0,
                                         bad ? "cannot read the Falcon firmware"
                                         : n == 0 ? "the Falcon firmware file is empty"
                                                  : "the Falcon firmware file is over 1 MiB");
    }
    *data = buf;
    *size = n;
    return HAP_OK;
}

static hap_result loader_handshake(falcon *fa, sim_error *err)
{
    static const uint8_t hello[3] = {0x0A, 0x43, 0x0D};
    static const uint8_t reply[4] = {0x0A, 0x44, 0x2C, 0x0D};
    uint8_t in[64];
    size_t n = 0;
    bool ok = false;
    for (int i = 0; i < LOADER_TRIES && !ok; i++) {
        hap_result r = hap_ftdi_write(&fa->usb, hello, sizeof hello, IO_TIMEOUT_MS, err);
        if (r == HAP_OK)
            r = hap_ftdi_read(&fa->usb, in, sizeof in, &n, IO_TIMEOUT_MS, err);
        if (r != HAP_OK)
            return r;
        ok = n == sizeof reply && memcmp(in, reply, sizeof reply) == 0;
    }
    if (!ok)
        return (hap_result)sim_error_set(err, HAP_ERR_FIRMWARE, NULL, 0, 0,
                                         "the Falcon's boot loader did not answer its handshake");
    hap_result r = run_controls(fa, loader_transfer, sizeof loader_transfer / sizeof *loader_transfer, err);
    if (r != HAP_OK)
        return r;
    static const uint8_t go[1] = {0x41};
    if ((r = hap_ftdi_write(&fa->usb, go, 1, IO_TIMEOUT_MS, err)) != HAP_OK ||
        (r = hap_ftdi_read(&fa->usb, in, sizeof in, &n, IO_TIMEOUT_MS, err)) != HAP_OK)
        return r;
    if (n != 1 || in[0] != 0x41)
        return (hap_result)sim_error_set(err, HAP_ERR_FIRMWARE, NULL, 0, 0,
                                         "the Falcon's boot loader did not accept the transfer");
    return HAP_OK;
}

static hap_result load_firmware(falcon *fa, const char *path, sim_error *err)
{
    uint8_t *fw = NULL;
    size_t size = 0;
    hap_result r = hap_falcon_firmware_read(path, &fw, &size, err);
    if (r != HAP_OK)
        return r;
    r = run_controls(fa, loader_mode, sizeof loader_mode / sizeof *loader_mode, err);
    if (r == HAP_OK)
        r = loader_handshake(fa, err);
    for (size_t off = 0; r == HAP_OK && off < size;) {
        size_t chunk = size - off < FIRMWARE_CHUNK ? size - off : FIRMWARE_CHUNK;
        r = hap_ftdi_write(&fa->usb, fw + off, chunk, IO_TIMEOUT_MS, err);
        /* the loader echoes every byte; compare as the echo arrives */
        size_t echoed = 0;
        for (int tries = 0; r == HAP_OK && echoed < chunk; tries++) {
            uint8_t in[64];
            size_t n = 0;
            r = hap_ftdi_read(&fa->usb, in, sizeof in, &n, IO_TIMEOUT_MS, err);
            if (r != HAP_OK)
                break;
            size_t bad = 0;
            while (bad < n && bad < chunk - echoed && in[bad] == fw[off + echoed + bad])
                bad++;
            if (bad < n) {
                r = (hap_result)sim_error_set(err, HAP_ERR_FIRMWARE, path, 0, 0,
                                              "the Falcon's loader echoed a wrong byte at "
                                              "offset %zu: the transfer is corrupt",
                                              off + echoed + bad);
                break;
            }
            echoed += n;
            if (n == 0 && tries > LOADER_TRIES)
                r = (hap_result)sim_error_set(err, HAP_ERR_FIRMWARE, path, 0, 0,
                                              "the Falcon's loader stopped echoing at offset %zu",
                                              off + echoed);
        }
        off += chunk;
    }
    sim_free(fw);
    if (r == HAP_OK)
        r = run_controls(fa, normal_mode, sizeof normal_mode / sizeof *normal_mode, err);
    return r;
}

/* ------------------------------------------------------------------------ */
/* Backend operations                                                       */
/* ------------------------------------------------------------------------ */

static uint32_t map_buttons(const falcon *fa, uint8_t grip)
{
    uint32_t b = 0;
    for (int i = 0; i < 4; i++)
        if (grip & (1u << i))
            b |= fa->button_map[i];
    return b;
}

/* Starts the next exchange with the newest command when the link is free. */
static hap_result kick(hap_device *dev)
{
    falcon *fa = dev->impl;
    if (fa->usb.phase != HAP_FTDI_IDLE)
        return fa->usb.phase == HAP_FTDI_FAILED ? fa->usb.failure : HAP_OK;
    update_leds(fa, dev->forces_enabled);
    uint8_t frame[HAP_FALCON_FRAME_SIZE];
    hap_falcon_encode(&fa->cmd, frame);
    return hap_ftdi_exchange_begin(&fa->usb, frame, sizeof frame);
}

static hap_result falcon_read(hap_device *dev, int64_t t_us, hap_state *st)
{
    falcon *fa = dev->impl;
    hap_result r = hap_ftdi_exchange_poll(&fa->usb);
    if (r != HAP_OK)
        return hap_device__fail(dev, r, fa->usb.failure_code, "exchanging frames with the Falcon");
    if (fa->started_us < 0)
        fa->started_us = fa->last_frame_us = t_us;   /* the first read */
    if (take_payload(fa))
        fa->last_frame_us = t_us;
    if ((double)(t_us - fa->last_frame_us) * 1e-6 > fa->stale_s)
        return hap_device__fail(dev, HAP_ERR_TIMEOUT, 0, "waiting for the Falcon's encoders");
    st->tip_mm = fa->tip_valid ? fa->tip_mm : sim_v3(0, 0, 110);
    st->axis = sim_v3(0, 0, 1);
    st->axis_sensed = false;
    st->buttons = fa->have_report ? map_buttons(fa, fa->report.buttons) : 0;
    st->homed = fa->have_report && fa->report.homed == 7 && fa->tip_valid;
    return HAP_OK;
}

/* The new command goes out at once when the link is free (else with the
 * next exchange): the servo reads, then writes, so sending here gives the
 * freshest force and the next tick's read the freshest encoders. */
static hap_result falcon_write_force(hap_device *dev, sim_vec3 f)
{
    falcon *fa = dev->impl;
    int16_t m[3] = {0, 0, 0};
    if (sim_v3_len2(f) > 0 && fa->tip_valid && !hap_falcon_force_to_motor(fa->tip_mm, f, m))
        m[0] = m[1] = m[2] = 0;   /* out of reach or singular: nothing */
    memcpy(fa->cmd.motor, m, sizeof m);
    hap_result r = kick(dev);
    if (r != HAP_OK)
        return hap_device__fail(dev, r, fa->usb.failure_code, "commanding the Falcon's motors");
    return HAP_OK;
}

/* The watchdog's path: a zero-force frame (red LED) on the transport's own
 * emergency transfer; nothing the servo thread uses is touched. */
static void falcon_emergency_zero(hap_device *dev)
{
    falcon *fa = dev->impl;
    (void)hap_ftdi_emergency_send(&fa->usb, fa->zero_frame, sizeof fa->zero_frame);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static hap_result falcon_home(hap_device *dev, double timeout_s, sim_error *err)
{
    falcon *fa = dev->impl;
    if (fa->usb.phase == HAP_FTDI_FAILED)
        return (hap_result)sim_error_set(err, fa->usb.failure, NULL, 0, 0,
                                         "homing the Falcon: %s", hap_result_message(fa->usb.failure));
    fa->homing = true;
    memset(fa->cmd.motor, 0, sizeof fa->cmd.motor);
    long waited_ms = 0;
    hap_result r = HAP_OK;
    while (!(fa->have_report && fa->report.homed == 7)) {
        if ((double)waited_ms * 1e-3 > timeout_s) {
            r = (hap_result)sim_error_set(err, HAP_ERR_NOT_HOMED, NULL, 0, 0,
                                          "the Falcon did not home within %.0f s: move the grip "
                                          "all the way in and out, then try again", timeout_s);
            break;
        }
        hap_state st;
        r = kick(dev);
        if (r == HAP_OK)
            r = falcon_read(dev, waited_ms * 1000, &st);
        if (r == HAP_ERR_TIMEOUT) {
            fa->last_frame_us = waited_ms * 1000;   /* keep waiting for the user */
            r = HAP_OK;
        }
        if (r != HAP_OK) {
            sim_error_set(err, r, NULL, 0, 0, "homing the Falcon: %s", hap_result_message(r));
            break;
        }
        sleep_ms(1);
        waited_ms++;
    }
    fa->homing = false;
    fa->started_us = -1;   /* the servo's clock starts afresh */
    return r;
}

static void falcon_close(hap_device *dev)
{
    falcon *fa = dev->impl;
    /* let an exchange in flight finish (bounded), then a last zero-force
     * frame, red LED, best effort */
    for (int i = 0; i < 200 && (fa->usb.phase == HAP_FTDI_SENDING ||
                                fa->usb.phase == HAP_FTDI_RECEIVING); i++) {
        if (hap_ftdi_exchange_poll(&fa->usb) != HAP_OK)
            break;
        sleep_ms(1);
    }
    if (fa->usb.phase == HAP_FTDI_IDLE && fa->usb.handle) {
        memset(&fa->cmd, 0, sizeof fa->cmd);
        fa->cmd.leds = HAP_FALCON_LED_RED;
        uint8_t frame[HAP_FALCON_FRAME_SIZE];
        hap_falcon_encode(&fa->cmd, frame);
        (void)hap_ftdi_write(&fa->usb, frame, sizeof frame, 100, NULL);
    }
    hap_ftdi_close(&fa->usb);
    sim_free(fa);
    dev->impl = NULL;
}

static const hap_backend_ops falcon_ops = {
    .name = "falcon",
    .close = falcon_close,
    .home = falcon_home,
    .read = falcon_read,
    .write_force = falcon_write_force,
    .emergency_zero = falcon_emergency_zero,
};

/* ------------------------------------------------------------------------ */
/* Open                                                                     */
/* ------------------------------------------------------------------------ */

static hap_result probe(falcon *fa, bool *alive, sim_error *err)
{
    *alive = false;
    for (int w = 0; w < PROBE_WRITES && !*alive; w++) {
        hap_result r = exchange_blocking(fa, alive, err);
        if (r != HAP_OK)
            return r;
    }
    return HAP_OK;
}

hap_result hap_falcon_open(hap_device *dev, const hap_falcon_desc *desc, sim_error *err)
{
    memset(dev, 0, sizeof *dev);
    hap_falcon_desc d = desc ? *desc : (hap_falcon_desc){0};
    falcon *fa = sim_calloc(1, sizeof *fa);
    if (!fa)
        return (hap_result)sim_error_set(err, HAP_ERR_NOMEM, NULL, 0, 0, "Falcon: out of memory");
    fa->stale_s = d.stale_s > 0 ? d.stale_s : DEFAULT_STALE_S;
    static const uint32_t default_map[4] = {SIM_BUTTON_MACHINE, SIM_BUTTON_AUX, SIM_BUTTON_CLUTCH, 0};
    bool any = d.button_map[0] | d.button_map[1] | d.button_map[2] | d.button_map[3];
    memcpy(fa->button_map, any ? d.button_map : default_map, sizeof fa->button_map);
    hap_falcon_parser_reset(&fa->parser);
    fa->cmd.leds = HAP_FALCON_LED_RED;

    hap_result r = hap_ftdi_open(&fa->usb, HAP_FALCON_VID, HAP_FALCON_PID, d.location, err);
    if (r == HAP_OK) {
        static const control_step purge[] = {
            {HAP_FTDI_RESET, HAP_FTDI_PURGE_RX}, {HAP_FTDI_RESET, HAP_FTDI_PURGE_TX}};
        r = run_controls(fa, purge, 2, err);
    }
    if (r == HAP_OK)
        r = run_controls(fa, normal_mode, sizeof normal_mode / sizeof *normal_mode, err);
    bool alive = false;
    if (r == HAP_OK)
        r = probe(fa, &alive, err);
    if (r == HAP_OK && !alive) {
        if (d.no_firmware_load || !d.firmware_path || !*d.firmware_path)
            r = (hap_result)sim_error_set(err, HAP_ERR_FIRMWARE, NULL, 0, 0,
                                          "the Falcon at USB %03u:%03u runs no firmware: give "
                                          "the path of Novint's firmware file (not shipped with "
                                          "Stipple)", fa->usb.bus, fa->usb.address);
        else
            r = load_firmware(fa, d.firmware_path, err);
        if (r == HAP_OK) {
            r = probe(fa, &alive, err);
            if (r == HAP_OK && !alive)
                r = (hap_result)sim_error_set(err, HAP_ERR_FIRMWARE, d.firmware_path, 0, 0,
                                              "the Falcon does not answer after loading this "
                                              "firmware: is it Novint's Falcon firmware?");
        }
    }
    if (r != HAP_OK) {
        hap_ftdi_close(&fa->usb);
        sim_free(fa);
        return r;
    }

    hap_device_info info;
    memset(&info, 0, sizeof info);
    info.backend = HAP_BACKEND_FALCON;
    snprintf(info.model, sizeof info.model, "Novint Falcon");
    snprintf(info.location, sizeof info.location, "usb %03u:%03u", fa->usb.bus, fa->usb.address);
    info.max_force_n = 8.0;
    info.max_stiffness_n_per_mm = 3.0;
    info.max_damping_n_s_per_mm = 0.02;
    info.workspace_min_mm = sim_v3(-60, -60, 75);
    info.workspace_max_mm = sim_v3(60, 60, 175);
    info.sensed = HAP_AXIS_XYZ;
    info.actuated = HAP_AXIS_XYZ;
    info.button_count = 4;
    info.rate_hz = 1000;
    info.needs_homing = true;
    fa->started_us = -1;
    hap_falcon_command stop = {{0, 0, 0}, HAP_FALCON_LED_RED, false};
    hap_falcon_encode(&stop, fa->zero_frame);
    hap_device__attach(dev, &falcon_ops, fa, &info);
    return HAP_OK;
}
