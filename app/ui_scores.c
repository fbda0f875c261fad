/* ui_scores.c: each trainee's best score per lesson, kept on this computer
 * in $XDG_DATA_HOME/stipple/scores.tsv (one line per finished attempt:
 * trainee, lesson id, lesson hash, score, passed, Unix time), until the
 * records database (issue 8) holds attempts and signed exams.
 *
 * The curriculum unlocks a lesson when the one before it was passed.
 *
 * Threads: main thread only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui_app.h"

static bool app__scores_path(char *buf, size_t size)
{
    char dir[900];
    if (app_data_subdir(dir, sizeof dir, "") != 0)
        return false;
    snprintf(buf, size, "%s/scores.tsv", dir);
    return true;
}

void app_scores_load(app_ui *app)
{
    for (size_t i = 0; i < app->lesson_count; i++) {
        app->lessons[i].best = -1.0;
        app->lessons[i].passed = false;
    }
    char path[1024];
    FILE *f = app__scores_path(path, sizeof path) ? fopen(path, "r") : NULL;
    if (f) {
        char line[512];
        while (fgets(line, sizeof line, f)) {
            char *fields[6];
            int n = 0;
            for (char *p = line, *tok; n < 6 && (tok = strsep(&p, "\t\n")) != NULL;)
                fields[n++] = tok;
            if (n < 5 || strcmp(fields[0], app->trainee) != 0)
                continue;
            double score = strtod(fields[3], NULL);
            bool passed = strcmp(fields[4], "1") == 0;
            for (size_t i = 0; i < app->lesson_count; i++)
                if (strcmp(app->lessons[i].id, fields[1]) == 0) {
                    if (score > app->lessons[i].best)
                        app->lessons[i].best = score;
                    app->lessons[i].passed |= passed;
                }
        }
        fclose(f);
    }
    for (size_t i = 0; i < app->lesson_count; i++)
        app->lessons[i].unlocked = i == 0 || app->lessons[i - 1].passed || app->lessons[i].passed;
}

void app_scores_save(app_ui *app, double score, bool passed)
{
    char path[1024];
    if (!app__scores_path(path, sizeof path))
        return;
    FILE *f = fopen(path, "a");
    if (!f) {
        app_ui_set_status(app, "%s: cannot keep the score: %s", path, strerror(errno));
        return;
    }
    fprintf(f, "%s\t%s\t%s\t%.2f\t%d\t%lld\n", app->trainee, app->attempt.lesson.id,
            app->attempt.lesson.hash_hex, score, passed ? 1 : 0, (long long)time(NULL));
    if (fclose(f) != 0)
        app_ui_set_status(app, "%s: cannot keep the score", path);
    app_scores_load(app);
}
