/* ui_replay.c: the attempt again, from its trace: the samples are fed
 * through a fresh impression extractor at the replay clock, so what
 * appears is exactly what the trace holds (the source of truth), dot by
 * dot, with the needle where it was. A timeline scrubber, play/pause and a
 * speed from a quarter to 64 times.
 *
 * Seeking back restarts the extraction from the first sample (it is fast:
 * an hour at 1 kHz is a few hundred milliseconds); forward feeds on.
 *
 * Threads: main thread only.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app_dots.h"
#include "ui_app.h"

static const double SPEEDS[] = {0.25, 0.5, 1, 2, 4, 8, 16, 32, 64};
#define SPEED_COUNT (sizeof SPEEDS / sizeof SPEEDS[0])

double app_ui_replay_duration_s(const app_ui *app)
{
    const sim_trace *t = &app->attempt.trace;
    return t->count ? (double)(t->samples[t->count - 1].t_us - t->samples[0].t_us) / 1e6 : 0.0;
}

static void app__replay_reset(app_ui *app)
{
    sim_extractor_init(&app->replay_ex, &app->attempt.surface, NULL);
    sim_impression_list_deinit(&app->replay_imps);
    sim_impression_list_init(&app->replay_imps);
    app->replay_next = 0;
    app->replay_t_s = 0.0;
    app->replay_tip_in = false;
    rnd_renderer_set_dots(app->renderer, NULL, 0);
    rnd_renderer_set_heatmap(app->renderer, NULL, 0.0f);
    app->dots_shown = 0;
}

/* Feeds every sample up to the replay clock; adds their dots. */
static void app__replay_feed(app_ui *app)
{
    const sim_trace *t = &app->attempt.trace;
    if (t->count == 0)
        return;
    int64_t t0 = t->samples[0].t_us;
    int64_t until = t0 + (int64_t)llround(app->replay_t_s * 1e6);
    size_t first_new = app->replay_imps.count;
    while (app->replay_next < t->count && t->samples[app->replay_next].t_us <= until) {
        const sim_sample *s = &t->samples[app->replay_next++];
        sim_impression imp;
        bool done = false;
        sim_extractor_feed(&app->replay_ex, s, &imp, &done);
        if (done)
            sim_impression_list_push(&app->replay_imps, &imp);
        app->replay_tip = sim_v3(s->tip_mm[0], s->tip_mm[1], s->tip_mm[2]);
        app->replay_axis = sim_v3(s->axis[0], s->axis[1], s->axis[2]);
        sim_surface_hit hit;
        sim_surface_closest(&app->attempt.surface, app->replay_tip, &hit);
        app->replay_tip_in = hit.depth_mm > 0.0 && (s->buttons & SIM_BUTTON_MACHINE);
    }
    if (app->replay_next == t->count) {
        sim_impression imp;
        if (sim_extractor_finish(&app->replay_ex, &imp))
            sim_impression_list_push(&app->replay_imps, &imp);
    }
    size_t n = app->replay_imps.count - first_new;
    if (n > 0) {
        rnd_dot batch[128];
        for (size_t i = first_new; i < app->replay_imps.count; i += 128) {
            size_t k = app->replay_imps.count - i < 128 ? app->replay_imps.count - i : 128;
            if (app_dots_make(&app->attempt, app->replay_imps.items + i, k,
                              app->dot_view == APP_VIEW_HEALED ? APP_LOOK_HEALED : APP_LOOK_FRESH,
                              batch) == APP_EXIT_OK)
                rnd_renderer_add_dots(app->renderer, batch, k);
        }
        app->dots_shown = app->replay_imps.count;
    }
}

void app_ui_replay_start(app_ui *app)
{
    app->dot_view = APP_VIEW_FRESH; /* the marks as they went in (H: healed) */
    app->dots_view_shown = app->dot_view;
    app__replay_reset(app);
    app->replay_playing = true;
    if (app->replay_speed <= 0)
        app->replay_speed = 4.0;
}

void app_ui_replay_stop(app_ui *app)
{
    sim_impression_list_deinit(&app->replay_imps);
    sim_impression_list_init(&app->replay_imps);
    app->replay_playing = false;
}

void app_ui_replay_seek(app_ui *app, double t_s)
{
    double d = app_ui_replay_duration_s(app);
    t_s = t_s < 0 ? 0 : t_s > d ? d : t_s;
    if (t_s < app->replay_t_s)
        app__replay_reset(app);
    app->replay_t_s = t_s;
    app__replay_feed(app);
}

void app_ui_replay_update(app_ui *app, double dt_s)
{
    if (!app->replay_playing)
        return;
    double d = app_ui_replay_duration_s(app);
    double t = app->replay_t_s + dt_s * app->replay_speed;
    if (t >= d) {
        t = d;
        app->replay_playing = false;
    }
    app_ui_replay_seek(app, t);
}

void app_ui_replay_screen(app_ui *app)
{
    float w = app->w - ui_px(28);
    ui_next_window(ui_px(14), app->h - ui_px(14), 0, 1, w, 0);
    ui_next_window_alpha(0.9f);
    if (ui_window_begin("Replay", UI_WIN_PANEL | UI_WIN_AUTO_SIZE)) {
        double d = app_ui_replay_duration_s(app);
        if (ui_button_primary(app->replay_playing ? "Pause (Space)" : "Play (Space)", ui_px(140), 0)) {
            if (!app->replay_playing && app->replay_t_s >= d)
                app_ui_replay_seek(app, 0.0);
            app->replay_playing = !app->replay_playing;
        }
        ui_same_line(-1);
        int cur = (int)app->replay_t_s, tot = (int)d;
        ui_text("%02d:%02d / %02d:%02d", cur / 60, cur % 60, tot / 60, tot % 60);
        ui_same_line(-1);
        ui_text_muted("%zu of %zu dots", app->replay_imps.count, app->attempt.impressions.count);
        ui_same_line(-1);
        int speed = 4;
        for (size_t i = 0; i < SPEED_COUNT; i++)
            if (fabs(SPEEDS[i] - app->replay_speed) < 1e-9)
                speed = (int)i;
        static const char *const names[] = {"0.25x", "0.5x", "1x", "2x", "4x", "8x", "16x", "32x", "64x"};
        ui_push_width(ui_px(90));
        if (ui_combo("speed ([ ])", &speed, names, (int)SPEED_COUNT))
            app->replay_speed = SPEEDS[speed];
        ui_pop_width();
        ui_same_line(-1);
        if (ui_button("Back to results (Esc)", 0, 0))
            app_ui_go(app, APP_SCREEN_RESULTS);
        float t = (float)app->replay_t_s;
        ui_push_width(-1);
        if (ui_slider_float("##timeline", &t, 0.0f, (float)(d > 0 ? d : 1.0), "%.1f s"))
            app_ui_replay_seek(app, t);
        ui_pop_width();
        ui_text_muted("Left/Right: 2 s  -  Home/End  -  1-8: views  -  drag: orbit, wheel: zoom");
    }
    ui_window_end();
}
