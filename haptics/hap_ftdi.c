/* hap_ftdi.c: FTDI bridge over libusb (see hap_ftdi.h). */
#include "hap_ftdi.h"

#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hap_falcon_codec.h"

#define EP_OUT 0x02
#define EP_IN 0x81
#define CONTROL_TIMEOUT_MS 1000
#define EXCHANGE_OUT_TIMEOUT_MS 100
#define EXCHANGE_IN_TIMEOUT_MS 100

hap_result hap_ftdi_result(int e)
{
    switch (e) {
    case LIBUSB_SUCCESS: return HAP_OK;
    case LIBUSB_ERROR_ACCESS: return HAP_ERR_ACCESS;
    case LIBUSB_ERROR_BUSY: return HAP_ERR_BUSY;
    case LIBUSB_ERROR_NO_DEVICE: return HAP_ERR_NO_DEVICE;
    case LIBUSB_ERROR_NOT_FOUND: return HAP_ERR_NOT_FOUND;
    case LIBUSB_ERROR_TIMEOUT: return HAP_ERR_TIMEOUT;
    case LIBUSB_ERROR_NO_MEM: return HAP_ERR_NOMEM;
    case LIBUSB_ERROR_NOT_SUPPORTED: return HAP_ERR_UNSUPPORTED;
    default: return HAP_ERR_IO;
    }
}

static hap_result usb_fail(sim_error *err, int e, const char *what)
{
    if (err)
        err->sys_errno = e;
    return (hap_result)sim_error_set(err, hap_ftdi_result(e), NULL, 0, 0, "%s: %s (%s)", what,
                                     libusb_strerror(e), libusb_error_name(e));
}

/* ------------------------------------------------------------------------ */
/* Asynchronous exchange (servo thread)                                     */
/* ------------------------------------------------------------------------ */

static void mark_dead(hap_ftdi *f)
{
    /* release: pairs with the acquire in hap_ftdi_emergency_send (flag only) */
    atomic_store_explicit(&f->dead, true, memory_order_release);
}

static void exchange_failed(hap_ftdi *f, int status)
{
    mark_dead(f);
    f->phase = HAP_FTDI_FAILED;
    f->failure_code = status;
    switch (status) {
    case LIBUSB_TRANSFER_NO_DEVICE: f->failure = HAP_ERR_NO_DEVICE; break;
    case LIBUSB_TRANSFER_TIMED_OUT: f->failure = HAP_ERR_TIMEOUT; break;
    default: f->failure = HAP_ERR_IO; break;
    }
}

static void LIBUSB_CALL on_in_done(struct libusb_transfer *t)
{
    hap_ftdi *f = t->user_data;
    if (t->status != LIBUSB_TRANSFER_COMPLETED) {
        exchange_failed(f, t->status);
        return;
    }
    f->payload_len = hap_ftdi_strip_status(t->buffer, (size_t)t->actual_length, f->payload);
    f->payload_ready = true;
    f->phase = HAP_FTDI_IDLE;
}

static void LIBUSB_CALL on_out_done(struct libusb_transfer *t)
{
    hap_ftdi *f = t->user_data;
    if (t->status != LIBUSB_TRANSFER_COMPLETED) {
        exchange_failed(f, t->status);
        return;
    }
    /* the answer: one IN of a full packet */
    libusb_fill_bulk_transfer(f->xfer_in, f->handle, EP_IN, f->in_buf, sizeof f->in_buf,
                              on_in_done, f, f->in_timeout_ms);
    int e = libusb_submit_transfer(f->xfer_in);
    if (e != 0) {
        mark_dead(f);
        f->phase = HAP_FTDI_FAILED;
        f->failure = hap_ftdi_result(e);
        f->failure_code = e;
        return;
    }
    f->phase = HAP_FTDI_RECEIVING;
}

hap_result hap_ftdi_exchange_begin(hap_ftdi *f, const uint8_t *frame, size_t n)
{
    if (f->phase == HAP_FTDI_FAILED)
        return f->failure;
    if (f->phase != HAP_FTDI_IDLE)
        return HAP_ERR_STATE;
    if (n > sizeof f->out_buf)
        return HAP_ERR_ARG;
    memcpy(f->out_buf, frame, n);
    libusb_fill_bulk_transfer(f->xfer_out, f->handle, EP_OUT, f->out_buf, (int)n, on_out_done,
                              f, EXCHANGE_OUT_TIMEOUT_MS);
    int e = libusb_submit_transfer(f->xfer_out);
    if (e != 0) {
        mark_dead(f);
        f->phase = HAP_FTDI_FAILED;
        f->failure = hap_ftdi_result(e);
        f->failure_code = e;
        return f->failure;
    }
    f->phase = HAP_FTDI_SENDING;
    return HAP_OK;
}

hap_result hap_ftdi_exchange_poll(hap_ftdi *f)
{
    if (f->phase == HAP_FTDI_FAILED)
        return f->failure;
    if (f->phase == HAP_FTDI_IDLE)
        return HAP_OK;
    struct timeval zero = {0, 0};
    int e = libusb_handle_events_timeout_completed(f->ctx, &zero, NULL);
    if (e != 0 && e != LIBUSB_ERROR_INTERRUPTED && e != LIBUSB_ERROR_TIMEOUT) {
        mark_dead(f);
        f->phase = HAP_FTDI_FAILED;
        f->failure = hap_ftdi_result(e);
        f->failure_code = e;
    }
    return f->phase == HAP_FTDI_FAILED ? f->failure : HAP_OK;
}

/* ------------------------------------------------------------------------ */
/* Emergency path (any thread)                                              */
/* ------------------------------------------------------------------------ */

static void LIBUSB_CALL on_stop_done(struct libusb_transfer *t)
{
    hap_ftdi *f = t->user_data;
    /* release: the transfer and its buffer are free for the next sender,
     * which takes them with the acquire exchange below. */
    atomic_store_explicit(&f->stop_in_flight, false, memory_order_release);
}

bool hap_ftdi_emergency_send(hap_ftdi *f, const uint8_t *frame, size_t n)
{
    if (!f->xfer_stop || n > sizeof f->stop_buf)
        return false;
    /* acquire: see mark_dead; a dead transport takes no submissions */
    if (atomic_load_explicit(&f->dead, memory_order_acquire))
        return false;
    /* acq_rel: claims the stop transfer (acquire pairs with on_stop_done's
     * release, so its previous use is complete) */
    if (atomic_exchange_explicit(&f->stop_in_flight, true, memory_order_acq_rel))
        return false;
    memcpy(f->stop_buf, frame, n);
    libusb_fill_bulk_transfer(f->xfer_stop, f->handle, EP_OUT, f->stop_buf, (int)n, on_stop_done,
                              f, EXCHANGE_OUT_TIMEOUT_MS);
    if (libusb_submit_transfer(f->xfer_stop) != 0) {
        atomic_store_explicit(&f->stop_in_flight, false, memory_order_release);
        return false;
    }
    return true;
}

/* ------------------------------------------------------------------------ */
/* Blocking calls (setup thread)                                            */
/* ------------------------------------------------------------------------ */

hap_result hap_ftdi_control(hap_ftdi *f, uint8_t request, uint16_t value, sim_error *err)
{
    int e = libusb_control_transfer(f->handle, LIBUSB_REQUEST_TYPE_VENDOR | LIBUSB_RECIPIENT_DEVICE |
                                                   LIBUSB_ENDPOINT_OUT,
                                    request, value, 0, NULL, 0, CONTROL_TIMEOUT_MS);
    if (e < 0) {
        char what[64];
        snprintf(what, sizeof what, "FTDI request 0x%02x value 0x%04x", request, value);
        return usb_fail(err, e, what);
    }
    return HAP_OK;
}

hap_result hap_ftdi_write(hap_ftdi *f, const uint8_t *data, size_t n, unsigned timeout_ms,
                          sim_error *err)
{
    int done = 0;
    int e = libusb_bulk_transfer(f->handle, EP_OUT, (unsigned char *)data, (int)n, &done,
                                 timeout_ms);
    if (e != 0)
        return usb_fail(err, e, "writing to the FTDI bridge");
    if ((size_t)done != n)
        return (hap_result)sim_error_set(err, HAP_ERR_IO, NULL, 0, 0,
                                         "writing to the FTDI bridge: %d of %zu bytes sent", done, n);
    return HAP_OK;
}

hap_result hap_ftdi_read(hap_ftdi *f, uint8_t *payload, size_t cap, size_t *got,
                         unsigned timeout_ms, sim_error *err)
{
    int done = 0;
    *got = 0;
    int e = libusb_bulk_transfer(f->handle, EP_IN, f->in_buf, sizeof f->in_buf, &done, timeout_ms);
    if (e != 0)
        return usb_fail(err, e, "reading from the FTDI bridge");
    size_t n = hap_ftdi_strip_status(f->in_buf, (size_t)done, f->in_buf);
    if (n > cap)
        n = cap;
    memcpy(payload, f->in_buf, n);
    *got = n;
    return HAP_OK;
}

/* ------------------------------------------------------------------------ */
/* Open / close                                                             */
/* ------------------------------------------------------------------------ */

static bool parse_location(const char *s, int *bus, int *addr)
{
    char *end = NULL;
    long b = strtol(s, &end, 10);
    if (end == s || *end != ':')
        return false;
    const char *a_s = end + 1;
    long a = strtol(a_s, &end, 10);
    if (end == a_s || *end != 0 || b < 0 || b > 255 || a < 0 || a > 255)
        return false;
    *bus = (int)b;
    *addr = (int)a;
    return true;
}

hap_result hap_ftdi_open(hap_ftdi *f, uint16_t vid, uint16_t pid, const char *location,
                         sim_error *err)
{
    memset(f, 0, sizeof *f);
    f->in_timeout_ms = EXCHANGE_IN_TIMEOUT_MS;
    int want_bus = -1, want_addr = -1;
    if (location && *location && !parse_location(location, &want_bus, &want_addr))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "USB location \"%s\" is not BUS:ADDRESS", location);
    int e = libusb_init(&f->ctx);
    if (e != 0)
        return usb_fail(err, e, "starting libusb");
    libusb_device **list = NULL;
    ssize_t n = libusb_get_device_list(f->ctx, &list);
    if (n < 0) {
        hap_result r = usb_fail(err, (int)n, "listing USB devices");
        hap_ftdi_close(f);
        return r;
    }
    libusb_device *found = NULL;
    for (ssize_t i = 0; i < n && !found; i++) {
        struct libusb_device_descriptor dd;
        if (libusb_get_device_descriptor(list[i], &dd) != 0)
            continue;
        if (dd.idVendor != vid || dd.idProduct != pid)
            continue;
        if (want_bus >= 0 && (libusb_get_bus_number(list[i]) != want_bus ||
                              libusb_get_device_address(list[i]) != want_addr))
            continue;
        found = list[i];
    }
    if (!found) {
        libusb_free_device_list(list, 1);
        hap_ftdi_close(f);
        if (want_bus >= 0)
            return (hap_result)sim_error_set(err, HAP_ERR_NOT_FOUND, NULL, 0, 0,
                                             "no device %04x:%04x at USB %03d:%03d", vid, pid,
                                             want_bus, want_addr);
        return (hap_result)sim_error_set(err, HAP_ERR_NOT_FOUND, NULL, 0, 0,
                                         "no device %04x:%04x is connected", vid, pid);
    }
    f->bus = libusb_get_bus_number(found);
    f->address = libusb_get_device_address(found);
    e = libusb_open(found, &f->handle);
    libusb_free_device_list(list, 1);
    if (e != 0) {
        char what[96];
        snprintf(what, sizeof what, "opening USB %03u:%03u", f->bus, f->address);
        hap_result r = usb_fail(err, e, what);
        hap_ftdi_close(f);
        return r;
    }
    /* A kernel serial driver may have bound the bridge: detach it. (Not
     * libusb's auto-detach, whose disconnect-and-claim ioctl emulators such
     * as umockdev do not know.) */
    if (libusb_kernel_driver_active(f->handle, 0) == 1) {
        e = libusb_detach_kernel_driver(f->handle, 0);
        if (e != 0 && e != LIBUSB_ERROR_NOT_FOUND) {
            hap_result r = usb_fail(err, e, "detaching the kernel driver from the FTDI bridge");
            hap_ftdi_close(f);
            return r;
        }
    }
    e = libusb_claim_interface(f->handle, 0);
    if (e != 0) {
        hap_result r = usb_fail(err, e, "claiming the FTDI interface");
        hap_ftdi_close(f);
        return r;
    }
    f->claimed = true;
    f->xfer_out = libusb_alloc_transfer(0);
    f->xfer_in = libusb_alloc_transfer(0);
    f->xfer_stop = libusb_alloc_transfer(0);
    atomic_init(&f->stop_in_flight, false);
    atomic_init(&f->dead, false);
    if (!f->xfer_out || !f->xfer_in || !f->xfer_stop) {
        hap_ftdi_close(f);
        return (hap_result)sim_error_set(err, HAP_ERR_NOMEM, NULL, 0, 0,
                                         "out of memory for USB transfers");
    }
    return HAP_OK;
}

void hap_ftdi_close(hap_ftdi *f)
{
    if (!f)
        return;
    if (f->handle && (f->phase == HAP_FTDI_SENDING || f->phase == HAP_FTDI_RECEIVING)) {
        /* cancel what is in flight and let the callbacks run (bounded) */
        struct libusb_transfer *t = f->phase == HAP_FTDI_SENDING ? f->xfer_out : f->xfer_in;
        if (libusb_cancel_transfer(t) == 0) {
            for (int i = 0; i < 100 && (f->phase == HAP_FTDI_SENDING ||
                                        f->phase == HAP_FTDI_RECEIVING); i++) {
                struct timeval tv = {0, 10000};
                if (libusb_handle_events_timeout_completed(f->ctx, &tv, NULL) != 0)
                    break;
            }
        }
    }
    if (f->handle && atomic_load_explicit(&f->stop_in_flight, memory_order_acquire)) {
        /* an emergency frame still in flight: let it finish (bounded) */
        (void)libusb_cancel_transfer(f->xfer_stop);
        for (int i = 0; i < 100 && atomic_load_explicit(&f->stop_in_flight, memory_order_acquire); i++) {
            struct timeval tv = {0, 10000};
            if (libusb_handle_events_timeout_completed(f->ctx, &tv, NULL) != 0)
                break;
        }
    }
    if (f->claimed)
        (void)libusb_release_interface(f->handle, 0);
    if (f->handle)
        libusb_close(f->handle);
    libusb_free_transfer(f->xfer_out);
    libusb_free_transfer(f->xfer_in);
    libusb_free_transfer(f->xfer_stop);
    if (f->ctx)
        libusb_exit(f->ctx);
    memset(f, 0, sizeof *f);
}
