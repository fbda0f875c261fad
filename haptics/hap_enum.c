/* hap_enum.c: listing stylus devices and why they cannot be opened (see
 * hap_enum.h). */
#include "hap_enum.h"

#include <dirent.h>
#include <errno.h>
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hap_falcon.h"
#include "hap_ftdi.h"
#include "hap_tablet.h"

#define BTN_TOOL_PEN_BIT 0x140
#define ABS_PRESSURE_BIT 0x18

const char *hap_udev_rule_falcon(void)
{
    return "SUBSYSTEM==\"usb\", ATTRS{idVendor}==\"0403\", ATTRS{idProduct}==\"cb48\", "
           "MODE=\"0660\", TAG+=\"uaccess\"";
}

const char *hap_udev_rule_tablet(void)
{
    return "SUBSYSTEM==\"input\", KERNEL==\"event*\", ENV{ID_INPUT_TABLET}==\"1\", "
           "TAG+=\"uaccess\"";
}

typedef struct lister {
    hap_device_entry *out;
    size_t max, count;
    hap_device_entry spare;       /* sink for entries past max (counted only) */
} lister;

static hap_device_entry *add(lister *l, hap_backend_kind kind, const char *name,
                             const char *location)
{
    hap_device_entry *e = l->count < l->max ? &l->out[l->count] : &l->spare;
    l->count++;
    memset(e, 0, sizeof *e);
    e->backend = kind;
    snprintf(e->name, sizeof e->name, "%.63s", name);
    snprintf(e->location, sizeof e->location, "%.63s", location);
    e->status = HAP_OK;
    return e;
}

/* ------------------------------------------------------------------------ */
/* Falcons                                                                  */
/* ------------------------------------------------------------------------ */

static void falcon_verdict(hap_device_entry *e, const hap_enum_desc *d, int bus, int addr)
{
    if (d->skip_falcon_probe) {
        snprintf(e->detail, sizeof e->detail, "connected (not probed)");
        return;
    }
    char where[16];
    snprintf(where, sizeof where, "%d:%d", bus, addr);
    hap_falcon_desc fd = {.location = where, .no_firmware_load = true};
    hap_device dev;
    sim_error err;
    sim_error_clear(&err);
    hap_result r = hap_falcon_open(&dev, &fd, &err);
    if (r == HAP_OK) {
        hap_device_close(&dev);
        snprintf(e->detail, sizeof e->detail, "ready (firmware running)");
        return;
    }
    e->status = r;
    switch (r) {
    case HAP_ERR_ACCESS:
        snprintf(e->detail, sizeof e->detail, "permission denied on the USB device node");
        snprintf(e->advice, sizeof e->advice,
                 "install this udev rule as /etc/udev/rules.d/70-stipple-falcon.rules:\n"
                 "  %s\nthen run 'sudo udevadm control --reload-rules && sudo udevadm trigger' "
                 "and plug the Falcon in again",
                 hap_udev_rule_falcon());
        break;
    case HAP_ERR_BUSY:
        snprintf(e->detail, sizeof e->detail, "in use by another program");
        snprintf(e->advice, sizeof e->advice,
                 "close the other program using the Falcon (another Stipple, a Novint or "
                 "libnifalcon tool) and try again");
        break;
    case HAP_ERR_FIRMWARE: {
        uint8_t *fw = NULL;
        size_t size = 0;
        sim_error ferr;
        sim_error_clear(&ferr);
        if (d->firmware_path && *d->firmware_path &&
            hap_falcon_firmware_read(d->firmware_path, &fw, &size, &ferr) == HAP_OK) {
            sim_free(fw);
            e->status = HAP_OK;
            snprintf(e->detail, sizeof e->detail,
                     "ready: no firmware running yet; %s (%zu bytes) will be loaded on open",
                     d->firmware_path, size);
        } else {
            snprintf(e->detail, sizeof e->detail, "no firmware running, and %.500s",
                     d->firmware_path && *d->firmware_path ? ferr.message
                                                           : "no firmware file was given");
            snprintf(e->advice, sizeof e->advice,
                     "the Falcon needs Novint's firmware file loaded each time it is powered; "
                     "Stipple does not ship it: pass --firmware PATH or set "
                     "STIPPLE_FALCON_FIRMWARE (the file is in Novint's driver package)");
        }
        break;
    }
    default:
        snprintf(e->detail, sizeof e->detail, "%.500s", err.message);
        snprintf(e->advice, sizeof e->advice, "unplug the Falcon, plug it in again and retry");
        break;
    }
}

static hap_result list_falcons(lister *l, const hap_enum_desc *d, sim_error *err)
{
    libusb_context *ctx = NULL;
    int e = libusb_init(&ctx);
    if (e != 0)
        return (hap_result)sim_error_set(err, hap_ftdi_result(e), NULL, 0, 0,
                                         "cannot start libusb: %s", libusb_strerror(e));
    libusb_device **list = NULL;
    ssize_t n = libusb_get_device_list(ctx, &list);
    if (n < 0) {
        libusb_exit(ctx);
        return (hap_result)sim_error_set(err, hap_ftdi_result((int)n), NULL, 0, 0,
                                         "cannot list USB devices: %s", libusb_strerror((int)n));
    }
    /* collect first: the probe opens its own libusb context */
    int found[16][2];
    int nf = 0;
    for (ssize_t i = 0; i < n && nf < 16; i++) {
        struct libusb_device_descriptor dd;
        if (libusb_get_device_descriptor(list[i], &dd) == 0 && dd.idVendor == HAP_FALCON_VID &&
            dd.idProduct == HAP_FALCON_PID) {
            found[nf][0] = libusb_get_bus_number(list[i]);
            found[nf][1] = libusb_get_device_address(list[i]);
            nf++;
        }
    }
    libusb_free_device_list(list, 1);
    libusb_exit(ctx);
    for (int i = 0; i < nf; i++) {
        char where[64];
        snprintf(where, sizeof where, "usb %03d:%03d", found[i][0], found[i][1]);
        hap_device_entry *en = add(l, HAP_BACKEND_FALCON, "Novint Falcon", where);
        falcon_verdict(en, d, found[i][0], found[i][1]);
    }
    return HAP_OK;
}

/* ------------------------------------------------------------------------ */
/* Tablets                                                                  */
/* ------------------------------------------------------------------------ */

/* Is `bit` set in a sysfs capability bitmap ("hex words, most significant
 * first, each an unsigned long")? */
static bool sysfs_bit(const char *path, unsigned bit)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[1024];
    bool got = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    if (!got)
        return false;
    unsigned long words[64];
    int n = 0;
    for (char *s = line; *s && n < 64;) {
        char *end = NULL;
        unsigned long w = strtoul(s, &end, 16);
        if (end == s)
            break;
        words[n++] = w;
        s = end;
    }
    unsigned per = (unsigned)(8 * sizeof(unsigned long));
    unsigned idx = bit / per;
    if ((int)idx >= n)
        return false;
    return (words[n - 1 - idx] >> (bit % per)) & 1ul;
}

static void sysfs_name(const char *sys_dir, const char *node, char *out, size_t size)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/device/name", sys_dir, node);
    FILE *f = fopen(path, "r");
    out[0] = 0;
    if (!f)
        return;
    if (fgets(out, (int)size, f))
        out[strcspn(out, "\n")] = 0;
    fclose(f);
}

static int by_event_number(const void *a, const void *b)
{
    return atoi(*(const char *const *)a + 5) - atoi(*(const char *const *)b + 5);
}

static void list_tablets(lister *l, const hap_enum_desc *d)
{
    const char *dir = d->input_dir ? d->input_dir : "/dev/input";
    const char *sys = d->sysfs_input_dir ? d->sysfs_input_dir : "/sys/class/input";
    DIR *dp = opendir(dir);
    if (!dp)
        return;
    char *names[256];
    int n = 0;
    struct dirent *de;
    while ((de = readdir(dp)) && n < 256)
        if (strncmp(de->d_name, "event", 5) == 0)
            names[n++] = strdup(de->d_name);
    closedir(dp);
    qsort(names, (size_t)n, sizeof *names, by_event_number);
    for (int i = 0; i < n; i++) {
        if (!names[i])
            continue;
        char path[300];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        hap_tablet_desc td = {.path = path};
        hap_device dev;
        sim_error err;
        sim_error_clear(&err);
        hap_result r = hap_tablet_open(&dev, &td, &err);
        if (r == HAP_OK) {
            hap_device_entry *e = add(l, HAP_BACKEND_TABLET, dev.info.model, path);
            snprintf(e->detail, sizeof e->detail, "ready (%.0f x %.0f mm%s)",
                     dev.info.workspace_max_mm.x, dev.info.workspace_max_mm.y,
                     dev.info.sensed & HAP_AXIS_STYLUS ? ", tilt" : "");
            hap_device_close(&dev);
        } else if (r == HAP_ERR_ACCESS || r == HAP_ERR_BUSY) {
            /* cannot read the node: ask sysfs whether it is a pen at all */
            char caps[512];
            snprintf(caps, sizeof caps, "%s/%s/device/capabilities/key", sys, names[i]);
            bool pen = sysfs_bit(caps, BTN_TOOL_PEN_BIT);
            snprintf(caps, sizeof caps, "%s/%s/device/capabilities/abs", sys, names[i]);
            pen = pen && sysfs_bit(caps, ABS_PRESSURE_BIT);
            if (pen) {
                char name[64];
                sysfs_name(sys, names[i], name, sizeof name);
                hap_device_entry *e = add(l, HAP_BACKEND_TABLET, name[0] ? name : "pen tablet", path);
                e->status = r;
                if (r == HAP_ERR_ACCESS) {
                    snprintf(e->detail, sizeof e->detail, "permission denied on %.300s", path);
                    snprintf(e->advice, sizeof e->advice,
                             "add yourself to the 'input' group ('sudo usermod -aG input $USER', "
                             "then log in again) or install this udev rule as "
                             "/etc/udev/rules.d/70-stipple-tablet.rules:\n  %s",
                             hap_udev_rule_tablet());
                } else {
                    snprintf(e->detail, sizeof e->detail, "in use by another program");
                    snprintf(e->advice, sizeof e->advice, "close the program that grabbed the tablet");
                }
            }
        }
        free(names[i]);
    }
}

/* ------------------------------------------------------------------------ */

hap_result hap_enumerate(const hap_enum_desc *desc, hap_device_entry *out, size_t max,
                         size_t *count, sim_error *err)
{
    hap_enum_desc d = desc ? *desc : (hap_enum_desc){0};
    lister l;
    memset(&l, 0, sizeof l);
    l.out = out;
    l.max = max;
    hap_result r = list_falcons(&l, &d, err);
    list_tablets(&l, &d);
    hap_device_entry *e = add(&l, HAP_BACKEND_MOUSE, "mouse", "");
    snprintf(e->detail, sizeof e->detail, "always available (no force feedback)");
    e = add(&l, HAP_BACKEND_VIRTUAL, "virtual stylus", "");
    snprintf(e->detail, sizeof e->detail, "always available (demos and tests)");
    *count = l.count;
    return r;
}
