/* app_util.c: helpers shared by the subcommands: asset paths, help and
 * usage errors, error printing.
 *
 * Threads: main thread only (static buffers).
 */
#include <errno.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"

#ifndef STIPPLE_ASSET_DIR
#define STIPPLE_ASSET_DIR "assets"
#endif

const char *app_asset_dir(void)
{
    const char *env = getenv("STIPPLE_ASSETS");
    if (env && *env)
        return env;
    if (access(STIPPLE_ASSET_DIR, R_OK) == 0)
        return STIPPLE_ASSET_DIR;
    return "assets";
}

char *app_asset_path(char *buf, size_t size, const char *rel)
{
    snprintf(buf, size, "%s/%s", app_asset_dir(), rel);
    return buf;
}

const char *app_default_lesson(void)
{
    static char buf[1024];
    return app_asset_path(buf, sizeof buf, "lessons/pad-even-spacing.yaml");
}

/* mkdir -p */
static int make_dirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        int rc = mkdir(path, 0700);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return -1;
    }
    return (mkdir(path, 0700) != 0 && errno != EEXIST) ? -1 : 0;
}

int app_data_subdir(char *buf, size_t size, const char *sub)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(buf, size, "%s/stipple/%s", xdg, sub);
    else
        snprintf(buf, size, "%s/.local/share/stipple/%s", home && *home ? home : ".", sub);
    return make_dirs(buf);
}

bool app_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return true;
    return false;
}

int app_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("stipple: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return APP_EXIT_USAGE;
}

void app_print_error(const sim_error *err)
{
    char buf[1024];
    fprintf(stderr, "stipple: %s\n", sim_error_format(err, buf, sizeof buf));
}
