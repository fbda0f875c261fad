/* ui_scores.c: the simulator's link to the records database (issue 8,
 * app_records.h): each session is recorded there exactly as `stipple
 * record` records a trace (crash-safe journal, graded, signed by this
 * station's key, stored with the lesson's text), and the curriculum reads
 * each trainee's best scores back from it.
 *
 * Without a database (it cannot be opened or created) the simulator still
 * works: sessions keep their trace file and no scores are kept; every
 * lesson is open then, since nothing could unlock them.
 *
 * Threads: main thread only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_app.h"

void app_records_start(app_ui *app)
{
    app->records_open = app_records_open(&app->records, NULL, NULL, APP_RECORDS_WRITE) == APP_EXIT_OK;
    if (!app->records_open)
        app_ui_set_status(app, "the records database is unavailable: scores are not kept this time");
}

void app_records_stop(app_ui *app)
{
    if (app->recording) {
        les_db_attempt_release(&app->rec); /* the next start recovers it */
        app->recording = false;
    }
    if (app->records_open)
        app_records_close(&app->records);
    app->records_open = false;
    sim_free(app->lesson_text);
    app->lesson_text = NULL;
}

static int app__best(void *ctx, const les_db_attempt_info *info)
{
    app_ui *app = ctx;
    if (!info->graded)
        return 0;
    for (size_t i = 0; i < app->lesson_count; i++)
        if (strcmp(app->lessons[i].id, info->lesson_id) == 0) {
            if (info->score > app->lessons[i].best)
                app->lessons[i].best = info->score;
            app->lessons[i].passed |= info->passed;
        }
    return 0;
}

void app_scores_load(app_ui *app)
{
    for (size_t i = 0; i < app->lesson_count; i++) {
        app->lessons[i].best = -1.0;
        app->lessons[i].passed = false;
    }
    if (app->records_open && app->signed_in) {
        les_db_filter f = les_db_filter_all();
        f.trainee = app->trainee;
        sim_error err;
        if (les_db_list(&app->records.db, &f, app__best, app, &err) != LES_REC_OK)
            app_ui_set_status(app, "the records database cannot be read: %s", err.message);
    }
    for (size_t i = 0; i < app->lesson_count; i++)
        app->lessons[i].unlocked = !app->records_open || i == 0 || app->lessons[i - 1].passed ||
                                   app->lessons[i].passed;
}

int app_records_begin_session(app_ui *app, const sim_trace_header *header)
{
    if (!app->records_open || !app->lesson_text)
        return APP_EXIT_OK;
    if (app_records_begin(&app->records, &app->attempt, app->lesson_text, app->lesson_len, app->trainee,
                          NULL, LES_MODE_PRACTICE, 0, header, &app->rec) != APP_EXIT_OK) {
        app_ui_set_status(app, "this session is not recorded in the database (see the terminal)");
        return APP_EXIT_FAIL;
    }
    app->recording = true;
    app->rec_failing = false;
    return APP_EXIT_OK;
}

void app_records_sample(app_ui *app, const sim_sample *s)
{
    if (!app->recording)
        return;
    sim_error err;
    les_rec_result r = les_db_attempt_append(&app->rec, s, &err);
    if (r != LES_REC_OK && !app->rec_failing) {
        /* kept in memory and retried: say it once */
        app_ui_set_status(app, "recording: %s", err.message);
        app->rec_failing = true;
    } else if (r == LES_REC_OK) {
        app->rec_failing = false;
    }
}

void app_records_tick(app_ui *app)
{
    if (!app->recording)
        return;
    sim_error err;
    if (les_db_attempt_tick(&app->rec, false, &err) != LES_REC_OK && !app->rec_failing) {
        app_ui_set_status(app, "recording: %s", err.message);
        app->rec_failing = true;
    }
}

void app_records_end_session(app_ui *app)
{
    if (!app->recording)
        return;
    les_db_attempt_info info;
    if (app_records_end(&app->records, &app->rec, LES_OUTCOME_FINISHED, &info) == APP_EXIT_OK) {
        app->recorded_id = info.id;
    } else {
        les_db_attempt_release(&app->rec);
        app_ui_set_status(app, "the session stays in its journal; the next start recovers it");
    }
    app->recording = false;
    app_scores_load(app);
}
