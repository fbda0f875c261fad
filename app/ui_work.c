/* ui_work.c: the workspace HUD: what the trainee needs while working and
 * nothing more: the machine, the needle (cartridge, shade, set depth), a
 * live depth gauge against the zone's band and the skin's layers, dots
 * placed against the target, the time, and a hint for the zone under the
 * needle.
 *
 * The gauge's layers come from the healing model's parameters (sim_heal.h)
 * and the zone's band from the lesson, so the HUD and the grade agree.
 *
 * Threads: main thread only (inside the UI frame).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui_app.h"

#define GAUGE_MAX_MM 3.0

/* The zone under the needle, or -1. */
static int app__zone_here(const app_ui *app)
{
    if (!app->have_tip)
        return -1;
    return les_lesson_zone_at(&app->attempt.lesson, app->aim.chart_mm);
}

static void app__top_bar(app_ui *app)
{
    ui_next_window(0, 0, 0, 0, (float)app->w, 0);
    ui_next_window_alpha(0.85f);
    if (ui_window_begin("##top", UI_WIN_PANEL | UI_WIN_NO_SCROLLBAR | UI_WIN_AUTO_SIZE)) {
        int secs = (int)app->elapsed_s;
        ui_text_big("%s", app->attempt.lesson.title);
        ui_same_line(ui_px(24));
        ui_text_muted("%s", app->trainee);
        ui_same_line(ui_px(24));
        ui_text("%02d:%02d", secs / 60, secs % 60);
        ui_same_line(ui_px(24));
        ui_text("%zu dots", app->attempt.impressions.count);
        ui_same_line(ui_px(24));
        ui_text_muted("%s view", app_dot_view_name(app->dot_view));
        ui_same_line(ui_px(24));
        if (ui_button_primary("Finish (F)", 0, 0))
            app_ui_finish(app);
        ui_same_line(-1);
        if (ui_button("Shortcuts (F1)", 0, 0))
            app->help_open = !app->help_open;
    }
    ui_window_end();
}

static void app__needle_panel(app_ui *app)
{
    ui_next_window(ui_px(14), ui_px(70), 0, 0, ui_px(290), 0);
    ui_next_window_alpha(0.88f);
    if (ui_window_begin("Needle", UI_WIN_PANEL | UI_WIN_AUTO_SIZE)) {
        bool on = app->machine || app->space_machine;
        float x, y;
        ui_cursor_screen(&x, &y);
        float r = ui_px(9);
        ui_draw_circle(x + r, y + r + ui_px(3), r, on ? UI_BAD : 0x3A4048FFu, true);
        ui_dummy(2 * r + ui_px(4), 2 * r);
        ui_same_line(-1);
        ui_text_big(on ? "Machine on" : "Machine off");
        ui_text_muted(app->input_open && app->input.kind != HAP_BACKEND_MOUSE
                          ? "Space: machine (device without a switch)"
                          : "Left button: run and push in");
        ui_separator();
        const sim_needle *n = sim_needle_get(app->extractor.params.needle);
        if (n)
            ui_text("Cartridge  %s  (%u RL, %.2f mm)", n->name, n->needle_count, n->needle_diameter_mm);
        ui_tooltip("The cartridge is recorded with the impressions; choosing another needs the "
                   "trace to carry it (not yet).");
        ui_text("Shade        carbon black, 1:3");
        ui_tooltip("A first session's lighter dilution. Pigment profiles come with the skin model.");
        float depth = (float)app->depth_mm;
        ui_text("Push depth (wheel, +/-)");
        ui_push_width(-1);
        if (ui_slider_float("##depth", &depth, 0.0f, 3.0f, "%.2f mm"))
            app->depth_mm = depth;
        ui_pop_width();
        ui_text_muted("Stylus: %s", app_autotest_running(app) ? "virtual (scripted)" : app->input.name);
    }
    ui_window_end();
}

/* A vertical gauge: 0 at the skin's surface, down to GAUGE_MAX_MM; the
 * epidermis, the zone's band, where dots blur and where they blow out; a
 * marker at the needle's depth. */
static void app__depth_gauge(app_ui *app)
{
    int zone = app__zone_here(app);
    const les_lesson *l = &app->attempt.lesson;
    double lo = 0.5, hi = 1.2;
    if (zone >= 0)
        lo = l->zones[zone].depth_min_mm, hi = l->zones[zone].depth_max_mm;
    else if (l->zone_count > 0)
        lo = l->zones[0].depth_min_mm, hi = l->zones[0].depth_max_mm;
    sim_heal_params hp = sim_heal_params_resolve((sim_heal_params){0});
    const double epidermis_mm = SIM_TISSUE_REF_EPIDERMIS_MM; /* the reference scalp */
    float gw = ui_px(150), gh = ui_px(330);
    ui_next_window(app->w - ui_px(14), ui_px(70), 1, 0, gw + ui_px(32), 0);
    ui_next_window_alpha(0.88f);
    if (ui_window_begin("Depth", UI_WIN_PANEL | UI_WIN_AUTO_SIZE)) {
        double d = app->live_depth_mm;
        bool in = d > 0.0;
        uint32_t c = !in ? UI_MUTED : (d >= lo && d <= hi) ? UI_GOOD : d < lo ? UI_WARN : UI_BAD;
        ui_text_big(in ? "%.2f mm" : "above", d);
        ui_text_muted("band %.2f-%.2f mm", lo, hi);
        float x, y;
        ui_cursor_screen(&x, &y);
        float bx = x + ui_px(6), bw = ui_px(40);
        float top = y + ui_px(4), h = gh;
#define GY(mm) (top + (float)((mm) / GAUGE_MAX_MM) * h)
        ui_draw_rect(bx, top, bx + bw, top + h, 0x2A3038FFu, ui_px(4), true);
        ui_draw_rect(bx, GY(0.0), bx + bw, GY(epidermis_mm), 0x8C7A6AFFu, 0, true);
        ui_draw_rect(bx, GY(lo), bx + bw, GY(hi), 0x3FAF5FFFu, 0, true);
        ui_draw_rect(bx, GY(hp.blur_start_mm), bx + bw, GY(hp.blowout_start_mm), 0xC9952EFFu, 0, true);
        ui_draw_rect(bx, GY(hp.blowout_start_mm), bx + bw, GY(GAUGE_MAX_MM), 0x9E3B5EFFu, 0, true);
        float tx = bx + bw + ui_px(8);
        ui_draw_text(tx, GY(0.0) - ui_px(2), UI_MUTED, "skin");
        ui_draw_text(tx, GY(0.5 * (lo + hi)) - ui_px(8), UI_GOOD, "target");
        ui_draw_text(tx, GY(hp.blur_start_mm) - ui_px(2), 0xE8B64AFFu, "blurs");
        ui_draw_text(tx, GY(hp.blowout_start_mm) + ui_px(2), 0xE0708FFFu, "blowout");
        if (in) {
            float my = GY(d > GAUGE_MAX_MM ? GAUGE_MAX_MM : d);
            ui_draw_rect(bx - ui_px(5), my - ui_px(2), bx + bw + ui_px(5), my + ui_px(2), c, ui_px(2), true);
        }
#undef GY
        ui_dummy(gw, h + ui_px(8));
    }
    ui_window_end();
}

static void app__progress_panel(app_ui *app)
{
    const les_lesson *l = &app->attempt.lesson;
    ui_next_window(ui_px(14), app->h - ui_px(14), 0, 1, ui_px(420), 0);
    ui_next_window_alpha(0.88f);
    if (ui_window_begin("Progress", UI_WIN_PANEL | UI_WIN_AUTO_SIZE)) {
        int zone = app__zone_here(app);
        for (size_t z = 0; z < l->zone_count && z < APP_UI_MAX_ZONES; z++) {
            const les_zone *lz = &l->zones[z];
            size_t in = app->zone_dots[z];
            double target = lz->density_per_cm2 * app->zone_area_cm2[z];
            char over[96];
            snprintf(over, sizeof over, "%zu of ~%.0f dots", in, target);
            ui_text((int)z == zone ? "> %s" : "  %s", lz->name);
            ui_progress(target > 0 ? (float)(in / target) : 0.0f, -1, ui_px(18), over, UI_ACCENT);
        }
        if (zone >= 0) {
            const les_zone *lz = &l->zones[zone];
            ui_text_muted("Here: %s, %.0f dots/cm2, %.2f-%.2f mm.", lz->name, lz->density_per_cm2,
                          lz->depth_min_mm, lz->depth_max_mm);
        } else if (app->have_tip) {
            ui_text_color(UI_WARN, "Outside every zone: dots here count against you.");
        } else {
            ui_text_muted("Aim at the skin.");
        }
    }
    ui_window_end();
}

void app_ui_work_hud(app_ui *app)
{
    app__top_bar(app);
    app__needle_panel(app);
    app__depth_gauge(app);
    app__progress_panel(app);
}
