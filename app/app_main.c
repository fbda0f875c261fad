/* app_main.c: `stipple` entry point: the command table and dispatch.
 *
 * `stipple` with no command (or options only) starts the simulator on the
 * default lesson. Each subcommand lives in app/cmd_<name>.c.
 *
 * Threads: main thread only.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "app_version.h"

extern const app_command app_cmd_simulate;
extern const app_command app_cmd_demo;
extern const app_command app_cmd_grade;
extern const app_command app_cmd_heal;
extern const app_command app_cmd_lesson;
extern const app_command app_cmd_devices;
extern const app_command app_cmd_bench;
extern const app_command app_cmd_record;
extern const app_command app_cmd_records;
extern const app_command app_cmd_render;

/* The command table: one line per command, in the order --help lists them. */
static const app_command *const APP_COMMANDS[] = {
    &app_cmd_simulate,
    &app_cmd_demo,
    &app_cmd_grade,
    &app_cmd_heal,
    &app_cmd_lesson,
    &app_cmd_devices,
    &app_cmd_bench,
    &app_cmd_record,
    &app_cmd_records,
    &app_cmd_render,
};

#define APP_COMMAND_COUNT (sizeof APP_COMMANDS / sizeof APP_COMMANDS[0])

static void print_help(FILE *out)
{
    fprintf(out,
            "stipple %s: a training simulator for scalp micropigmentation\n"
            "\n"
            "usage: stipple [COMMAND] [OPTIONS]\n"
            "\n"
            "With no command, starts the simulator on the default lesson (the mouse\n"
            "stands in for the stylus when no device is plugged in).\n"
            "\n"
            "commands:\n",
            STIPPLE_VERSION);
    for (size_t i = 0; i < APP_COMMAND_COUNT; i++)
        fprintf(out, "  %-10s %s\n", APP_COMMANDS[i]->name, APP_COMMANDS[i]->summary);
    fprintf(out, "\n'stipple COMMAND --help' describes each command.\n");
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
                      strcmp(argv[1], "help") == 0)) {
        print_help(stdout);
        return APP_EXIT_OK;
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("stipple %s\n", STIPPLE_VERSION);
        return APP_EXIT_OK;
    }
    /* no command, or options only: the simulator */
    if (argc < 2 || argv[1][0] == '-')
        return app_cmd_simulate.run(argc, argv);
    for (size_t i = 0; i < APP_COMMAND_COUNT; i++)
        if (strcmp(argv[1], APP_COMMANDS[i]->name) == 0)
            return APP_COMMANDS[i]->run(argc - 1, argv + 1);
    fprintf(stderr, "stipple: unknown command '%s' (see 'stipple --help')\n", argv[1]);
    return APP_EXIT_USAGE;
}
