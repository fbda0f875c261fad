/* hap_enum.h: what stylus devices are connected, and for each one whether
 * Stipple can open it and, when not, why and what to do about it (for
 * `stipple devices`).
 *
 * Falcons are found on the USB bus (0403:CB48) and opened for a moment with
 * a firmware probe; pen tablets are the /dev/input event nodes with a pen
 * tool and pressure (identified through sysfs when the node itself cannot
 * be read). The virtual stylus and the mouse are always listed.
 *
 * Reasons reported: permissions (with the udev rule or group to install),
 * busy (another program holds it), firmware (not running and no usable file
 * given), other I/O errors.
 *
 * Threads: setup thread; never while a servo loop drives a listed device.
 * Ownership: the caller owns the entry array.
 */
#ifndef HAP_ENUM_H
#define HAP_ENUM_H

#include "hap_device.h"

typedef struct hap_device_entry {
    hap_backend_kind backend;
    char name[64];                /* "Novint Falcon", the tablet's name */
    char location[64];            /* "usb 001:004", "/dev/input/event7" */
    hap_result status;            /* HAP_OK: ready to open */
    char detail[600];             /* the state, or why it cannot be opened */
    char advice[600];             /* what to do; "" when nothing */
} hap_device_entry;

typedef struct hap_enum_desc {
    const char *firmware_path;    /* the Falcon firmware the app would use */
    const char *input_dir;        /* event nodes; NULL = "/dev/input" */
    const char *sysfs_input_dir;  /* NULL = "/sys/class/input" */
    bool skip_falcon_probe;       /* list Falcons without opening them */
} hap_enum_desc;

/* Lists up to `max` devices into out[]; *count receives how many were found
 * (it may exceed max: the rest were left out). Returns HAP_OK even when
 * devices cannot be opened (that is in their entries); an error only when
 * the bus itself cannot be listed (then the entries found so far stay). */
hap_result hap_enumerate(const hap_enum_desc *desc, hap_device_entry *out, size_t max,
                         size_t *count, sim_error *err);

/* The udev rule that lets a logged-in user open a Falcon. */
const char *hap_udev_rule_falcon(void);
/* The udev rule that lets a logged-in user read pen tablets. */
const char *hap_udev_rule_tablet(void);

#endif /* HAP_ENUM_H */
