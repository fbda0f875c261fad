/* cmd_devices.c: `stipple devices`: which stylus devices are connected and,
 * for each one Stipple cannot open, why and what to do (the udev rule to
 * install, the firmware file to give, the program to close).
 *
 * Threads: main thread only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "hap_enum.h"

static const char DEVICES_HELP[] =
    "usage: stipple devices [--firmware PATH] [--no-probe]\n"
    "\n"
    "Lists the stylus devices Stipple can use: Novint Falcons (USB), pen\n"
    "tablets, the mouse and the virtual stylus, with what stands in the way\n"
    "of each one that cannot be opened and how to fix it.\n"
    "\n"
    "  --firmware PATH  the Falcon firmware file (Novint's; not shipped with\n"
    "                   Stipple); default $STIPPLE_FALCON_FIRMWARE\n"
    "  --no-probe       list Falcons without opening them\n"
    "\n"
    "Exit status 0 when the devices could be listed (whether or not they can\n"
    "be opened), 1 when the USB bus could not be read.\n";

#define MAX_ENTRIES 32

static int devices_run(int argc, char **argv)
{
    if (app_wants_help(argc, argv)) {
        fputs(DEVICES_HELP, stdout);
        return APP_EXIT_OK;
    }
    hap_enum_desc d;
    memset(&d, 0, sizeof d);
    d.firmware_path = getenv("STIPPLE_FALCON_FIRMWARE");
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--firmware") == 0 && i + 1 < argc)
            d.firmware_path = argv[++i];
        else if (strcmp(argv[i], "--no-probe") == 0)
            d.skip_falcon_probe = true;
        else
            return app_usage_error("devices: unexpected argument '%s' (see 'stipple devices --help')",
                                   argv[i]);
    }
    hap_device_entry e[MAX_ENTRIES];
    size_t n = 0;
    sim_error err;
    sim_error_clear(&err);
    hap_result r = hap_enumerate(&d, e, MAX_ENTRIES, &n, &err);
    if (n > MAX_ENTRIES)
        n = MAX_ENTRIES;
    size_t unusable = 0;
    for (size_t i = 0; i < n; i++) {
        printf("%-8s %-18s %-24s %s\n", hap_backend_name(e[i].backend),
               e[i].location[0] ? e[i].location : "-", e[i].name, e[i].detail);
        if (e[i].status != HAP_OK) {
            unusable++;
            /* advice may run over several lines: indent each */
            const char *s = e[i].advice;
            while (*s) {
                size_t len = strcspn(s, "\n");
                printf("         -> %.*s\n", (int)len, s);
                s += len + (s[len] == '\n');
            }
        }
    }
    if (r != HAP_OK) {
        app_print_error(&err);
        return APP_EXIT_FAIL;
    }
    if (unusable)
        printf("%zu device%s cannot be used yet (see above)\n", unusable, unusable == 1 ? "" : "s");
    return APP_EXIT_OK;
}

const app_command app_cmd_devices = {"devices", "list stylus devices and why any cannot be used",
                                     devices_run};
