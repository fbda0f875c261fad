/* cmd_simulate.c: `stipple` with no command: the interactive simulator.
 *
 * Parses the command line and runs the simulator's window (ui_app.c):
 * sign-in, curriculum, the lesson's brief, the work with any stylus (the
 * mouse when none is plugged in), results, replay. Every sample goes into
 * the trace, journalled to disk as it is recorded; the results and the
 * replay come from that trace.
 *
 * Threads: main thread only (the haptic servo thread runs inside app_input).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "ui_app.h"

static const char SIM_HELP[] =
    "usage: stipple [--lesson LESSON.yaml] [--trace-out FILE] [--device auto|mouse|tablet|falcon]\n"
    "               [--firmware FILE] [--calibration FILE] [--scale X]\n"
    "\n"
    "Starts the simulator: sign in, choose a lesson from the curriculum, read\n"
    "its brief and decide on the client, work, see the results and replay.\n"
    "With no stylus the mouse is the needle (left button: run the machine and\n"
    "push in; wheel: depth; right drag: orbit; Ctrl + wheel: zoom). F1 in the\n"
    "program lists every shortcut.\n"
    "\n"
    "  --lesson FILE      open this lesson's brief at once (skips sign-in)\n"
    "  --trace-out FILE   where to journal the trace (default: under\n"
    "                     $XDG_DATA_HOME/stipple/attempts/)\n"
    "  --device NAME      the stylus: auto (a Falcon, else a pen tablet, else the\n"
    "                     mouse), mouse, tablet or falcon\n"
    "  --firmware FILE    the Novint Falcon's firmware (not shipped with Stipple)\n"
    "  --calibration FILE a saved device calibration (see docs/haptics.md)\n"
    "  --scale X          interface scale, 0.5 to 4 (default: from the display)\n"
    "\n"
    "With no display, use `stipple demo` for a headless attempt and\n"
    "`stipple render` for pictures.\n";

static int simulate_run(int argc, char **argv)
{
    if (app_wants_help(argc, argv)) {
        fputs(SIM_HELP, stdout);
        return APP_EXIT_OK;
    }
    static const struct option opts[] = {
        {"lesson", required_argument, NULL, 'l'},
        {"trace-out", required_argument, NULL, 't'},
        {"frames", required_argument, NULL, 'f'},     /* testing: stop after N frames */
        {"autotest", required_argument, NULL, 'a'},   /* testing: the scripted smoke run */
        {"device", required_argument, NULL, 'd'},
        {"firmware", required_argument, NULL, 'w'},
        {"calibration", required_argument, NULL, 'c'},
        {"scale", required_argument, NULL, 's'},
        {0, 0, 0, 0},
    };
    app_ui_options o;
    memset(&o, 0, sizeof o);
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'l': o.lesson = optarg; break;
        case 't': o.trace_out = optarg; break;
        case 'f':
            o.max_frames = strtol(optarg, &end, 10);
            if (*end || o.max_frames < 1)
                return app_usage_error("--frames takes a positive whole number, got '%s'", optarg);
            break;
        case 'a': o.autotest_dir = optarg; break;
        case 'd': o.device = optarg; break;
        case 'w': o.firmware = optarg; break;
        case 'c': o.calibration = optarg; break;
        case 's':
            o.scale = strtof(optarg, &end);
            if (*end || !(o.scale >= 0.5f && o.scale <= 4.0f))
                return app_usage_error("--scale takes 0.5 to 4, got '%s'", optarg);
            break;
        default:
            return app_usage_error("unknown or incomplete option '%s' (see 'stipple --help')", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return app_usage_error("unexpected argument '%s' (see 'stipple --help')", argv[optind]);
    if (o.device && strcmp(o.device, "auto") != 0 && strcmp(o.device, "mouse") != 0 &&
        strcmp(o.device, "tablet") != 0 && strcmp(o.device, "falcon") != 0)
        return app_usage_error("--device takes auto, mouse, tablet or falcon, got '%s'", o.device);
    return app_ui_run(&o);
}

const app_command app_cmd_simulate = {"simulate", "the simulator (the default: `stipple` alone)", simulate_run};
