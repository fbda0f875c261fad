/* hap_falcon.h: the Novint Falcon backend (USB 0403:CB48, an FTDI bridge
 * in front of the Falcon's microcontroller).
 *
 * Opening: the FTDI bridge is set up for the firmware's link (latency 1 ms,
 * fast baud), then probed with a zero-force frame; when no firmware answers,
 * the firmware is loaded from the file the user supplies (desc.firmware_path;
 * Novint's firmware is not ours to ship, so Stipple never includes it): the
 * bridge is switched to the boot loader's settings, the loader handshake is
 * run, the file is sent in 62-byte chunks that the loader echoes back and
 * that are checked, and the bridge returns to the firmware's link.
 *
 * Each servo tick: hap_device_read polls the asynchronous exchange (one
 * 16-byte frame out, one 64-byte read in; hap_ftdi.h), decodes the newest
 * encoder frame (hap_falcon_codec.h), turns encoder counts into a tip
 * position (hap_falcon_kin.h) and starts the next exchange with the newest
 * motor command. No call waits for the USB: the read returns the newest
 * state it has. A device that has sent no frame for stale_s (0 = 0.05 s)
 * reads as HAP_ERR_TIMEOUT; an unplug reads as HAP_ERR_NO_DEVICE.
 *
 * Homing: the firmware finds each motor's index mark while the user moves
 * the grip all the way in and out; hap_device_home asks for it and waits
 * until all three motors report homed (LED red until then, green after,
 * blue while forces are on).
 *
 * Device space: the kinematic frame of hap_falcon_kin.h (mm). Limits:
 * CHAI3D's published Falcon specification (8 N, 3 N/mm, 0.02 N s/mm).
 * Buttons: grip buttons 1-4 map to desc.button_map (default: 1 = machine,
 * 2 = aux, 3 = clutch, 4 = nothing).
 *
 * Threads and ownership: as hap_device.h; the backend owns the libusb
 * context. The firmware path is read during open only.
 */
#ifndef HAP_FALCON_H
#define HAP_FALCON_H

#include "hap_device.h"

#define HAP_FALCON_VID 0x0403
#define HAP_FALCON_PID 0xCB48

typedef struct hap_falcon_desc {
    const char *location;         /* "BUS:ADDRESS", or NULL/"" for the first */
    const char *firmware_path;    /* loaded when the Falcon has no firmware */
    double stale_s;               /* 0 = 0.05 */
    uint32_t button_map[4];       /* all 0 = the default above */
    bool no_firmware_load;        /* probe only: HAP_ERR_FIRMWARE if absent */
} hap_falcon_desc;

hap_result hap_falcon_open(hap_device *dev, const hap_falcon_desc *desc, sim_error *err);

/* Reads a firmware file (for the loader and for `stipple devices`):
 * HAP_ERR_FIRMWARE naming the path when it is missing, empty, or larger
 * than 1 MiB. Caller frees *data with sim_free. */
hap_result hap_falcon_firmware_read(const char *path, uint8_t **data, size_t *size,
                                    sim_error *err);

#endif /* HAP_FALCON_H */
