/* cmd_lesson_new.c: `stipple lesson new`: a commented lesson template. */
#include <stdio.h>
#include "app.h"
#include "cmd_lesson.h"
int app_lesson_new(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return APP_EXIT_FAIL;
}
