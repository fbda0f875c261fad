/* app.h: the `stipple` executable's command table and shared helpers.
 *
 * Every subcommand is one file app/cmd_<name>.c defining an app_command and
 * listed in APP_COMMANDS (app_main.c). Commands print their own --help.
 * Exit status: 0 success (a graded attempt exits 0 whether it passed or
 * not), 1 a failure while working (I/O, device), 2 bad usage or bad input
 * with a one-line reason on stderr naming the file and place.
 *
 * Threads: main thread only.
 */
#ifndef APP_H
#define APP_H

#include <stdbool.h>
#include <stdio.h>

#include "sim_base.h"

enum { APP_EXIT_OK = 0, APP_EXIT_FAIL = 1, APP_EXIT_USAGE = 2 };

typedef struct app_command {
    const char *name;        /* "grade", "lesson", "demo", ... */
    const char *summary;     /* one line for `stipple --help` */
    /* argv[0] is the command's name; returns the exit status. */
    int (*run)(int argc, char **argv);
} app_command;

/* The asset folder: $STIPPLE_ASSETS, else the source tree's assets/ (set at
 * build time), else ./assets. Returns a static buffer. */
const char *app_asset_dir(void);
/* "<asset dir>/<rel>" into buf; returns buf. */
char *app_asset_path(char *buf, size_t size, const char *rel);
/* The default lesson's path (static buffer). */
const char *app_default_lesson(void);

/* "$XDG_DATA_HOME/stipple/<sub>" (default ~/.local/share/stipple/<sub>),
 * created with its parents. 0 on success, -1 with errno set. */
int app_data_subdir(char *buf, size_t size, const char *sub);

/* True when argv contains -h or --help (anywhere after argv[0]). */
bool app_wants_help(int argc, char **argv);
/* Prints "stipple: <message>" on stderr; returns APP_EXIT_USAGE. */
int app_usage_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Prints an error struct as one line on stderr ("stipple: FILE:LINE:COL: msg"). */
void app_print_error(const sim_error *err);

#endif /* APP_H */
