/* hap_ftdi.h: the USB transport under the Novint Falcon: an FTDI FT232
 * serial bridge reached through libusb (vendor requests on endpoint 0,
 * bulk OUT on 0x02, bulk IN on 0x81 with two modem-status bytes at the
 * start of every 64-byte packet).
 *
 * Two ways to talk:
 *  - blocking calls with timeouts (control requests, write, read) for the
 *    setup thread: opening, loading firmware, probing;
 *  - an asynchronous EXCHANGE for the servo thread: submit one frame out,
 *    then one read in, never waiting: hap_ftdi_exchange_poll handles libusb
 *    events with a zero timeout and reports what completed. Exactly one
 *    transfer is in flight at a time (OUT, then IN), which is also what
 *    umockdev's replay supports.
 *
 * Threads: after open, one thread at a time (the setup thread for the
 * blocking calls, then the servo thread for the exchange), except
 * hap_ftdi_emergency_send (any thread); libusb's own event handling takes
 * internal mutexes, the only locks on the servo path (docs/haptics.md).
 * Ownership: the caller owns the struct; it owns the libusb context,
 * handle and the two transfers (allocated at open, freed at close).
 */
#ifndef HAP_FTDI_H
#define HAP_FTDI_H

#include <stdatomic.h>

#include "hap_device.h"

/* FTDI vendor requests (request type 0x40, index 0 = any interface). */
enum {
    HAP_FTDI_RESET = 0x00,          /* value: 0 sio, 1 purge rx, 2 purge tx */
    HAP_FTDI_MODEM_CTRL = 0x01,     /* value: DTR/RTS bits and masks */
    HAP_FTDI_SET_FLOW_CTRL = 0x02,
    HAP_FTDI_SET_BAUD_RATE = 0x03,  /* value: divisor code */
    HAP_FTDI_SET_DATA = 0x04,       /* value: bits | parity << 8 | stop << 11 */
    HAP_FTDI_SET_LATENCY = 0x09,    /* value: ms */
};
enum {
    HAP_FTDI_PURGE_RX = 1,
    HAP_FTDI_PURGE_TX = 2,
    HAP_FTDI_DTR_LOW = 0x0100,
    HAP_FTDI_DTR_HIGH = 0x0101,
    HAP_FTDI_RTS_LOW = 0x0200,
};

typedef enum hap_ftdi_phase {
    HAP_FTDI_IDLE = 0,      /* no transfer in flight */
    HAP_FTDI_SENDING,       /* OUT in flight */
    HAP_FTDI_RECEIVING,     /* IN in flight */
    HAP_FTDI_FAILED,        /* a transfer failed; see `failure` */
} hap_ftdi_phase;

typedef struct hap_ftdi {
    struct libusb_context *ctx;
    struct libusb_device_handle *handle;
    struct libusb_transfer *xfer_out, *xfer_in;
    uint8_t out_buf[64];
    uint8_t in_buf[64];
    hap_ftdi_phase phase;
    hap_result failure;       /* why FAILED */
    int failure_code;         /* the libusb transfer status or error */
    /* the payload of the last completed IN (status bytes removed) */
    uint8_t payload[64];
    size_t payload_len;
    bool payload_ready;
    unsigned in_timeout_ms;
    uint8_t bus, address;
    bool claimed;
    /* the emergency path (any thread): its own transfer and buffer */
    struct libusb_transfer *xfer_stop;
    uint8_t stop_buf[64];
    atomic_bool stop_in_flight;
    atomic_bool dead;             /* the transport failed: do not submit */
} hap_ftdi;

/* Setup thread. Opens the first device with vid:pid (or the one at
 * "BUS:ADDRESS" when `location` is non-empty), detaching a kernel driver
 * and claiming interface 0. HAP_ERR_NOT_FOUND, HAP_ERR_ACCESS (permissions),
 * HAP_ERR_BUSY (claimed elsewhere), HAP_ERR_IO, HAP_ERR_NOMEM. */
hap_result hap_ftdi_open(hap_ftdi *f, uint16_t vid, uint16_t pid, const char *location,
                         sim_error *err);
/* Setup thread. Cancels transfers, releases and closes. NULL-safe. */
void hap_ftdi_close(hap_ftdi *f);

/* Setup thread: blocking calls. */
hap_result hap_ftdi_control(hap_ftdi *f, uint8_t request, uint16_t value, sim_error *err);
hap_result hap_ftdi_write(hap_ftdi *f, const uint8_t *data, size_t n, unsigned timeout_ms,
                          sim_error *err);
/* One 64-byte IN transfer; *got = payload bytes after the status bytes. */
hap_result hap_ftdi_read(hap_ftdi *f, uint8_t *payload, size_t cap, size_t *got,
                         unsigned timeout_ms, sim_error *err);

/* Servo thread (or setup thread while no servo runs): starts an exchange:
 * `frame` goes out, then one IN is read. HAP_ERR_STATE while one is in
 * flight; the failure when the transport has failed. */
hap_result hap_ftdi_exchange_begin(hap_ftdi *f, const uint8_t *frame, size_t n);
/* Handles pending USB events without waiting. HAP_OK: nothing failed (an IN
 * that completed left its bytes in payload/payload_ready); otherwise the
 * failure (HAP_ERR_NO_DEVICE when unplugged, HAP_ERR_TIMEOUT, HAP_ERR_IO). */
hap_result hap_ftdi_exchange_poll(hap_ftdi *f);

/* ANY thread, even while another is inside the exchange: submits `frame`
 * on its own transfer and returns at once (false when one is still in
 * flight, the transport has failed, or submission failed). The completion
 * is reaped by whoever handles events next (the servo's poll, or close). */
bool hap_ftdi_emergency_send(hap_ftdi *f, const uint8_t *frame, size_t n);

/* libusb error -> our result (ACCESS, BUSY, NO_DEVICE, TIMEOUT, NOMEM, IO). */
hap_result hap_ftdi_result(int libusb_error);

#endif /* HAP_FTDI_H */
