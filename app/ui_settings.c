/* ui_settings.c: the settings window (display, stylus, graphics, key
 * bindings) and the shortcut sheet (F1).
 *
 * Settings apply at once where they can (UI scale, dot path, heatmap
 * opacity); the stylus choice applies from the next session (the device is
 * opened when work starts). Bindings are listed, not yet editable.
 *
 * Threads: main thread only.
 */
#include <stdio.h>
#include <string.h>

#include "ui_app.h"

const app_shortcut APP_SHORTCUTS[] = {
    {"F1", "this sheet"},
    {"F2, Ctrl+,", "settings"},
    {"Ctrl+Q", "quit (a session in progress is saved and graded)"},
    {"Enter", "the screen's main action: sign in, open, start, try again"},
    {"Esc", "back (in a session: finish)"},
    {"Up, Down", "curriculum: choose a lesson; results: the next feedback place"},
    {"T, C, X", "brief: treat, treat with caution, refuse"},
    {"left button", "session, mouse as needle: run the machine and push in"},
    {"Space", "session: machine on/off (a stylus without a switch); replay: play/pause"},
    {"wheel, + -", "session: needle depth (0.05 mm steps)"},
    {"Ctrl+wheel", "zoom toward the skin under the cursor"},
    {"right drag", "orbit (results and replay: left drag too)"},
    {"1 ... 8", "views: framed, front, left, right, top, crown, back, hairline"},
    {"H", "healed view"},
    {"A, D, P, V", "results: +10 years, density, depth heatmaps; V cycles"},
    {"O", "zones and target hairline on/off"},
    {"F", "finish the session"},
    {"R", "session: reset the view; results: replay"},
    {"Left, Right", "replay: 2 s back or on"},
    {"[ ]", "replay: slower, faster"},
};
const size_t APP_SHORTCUT_COUNT = sizeof APP_SHORTCUTS / sizeof APP_SHORTCUTS[0];

void app_ui_help_window(app_ui *app)
{
    ui_next_window(app->w * 0.5f, app->h * 0.5f, 0.5f, 0.5f, ui_px(620), 0);
    if (ui_window_begin("Shortcuts", UI_WIN_NO_RESIZE | UI_WIN_AUTO_SIZE)) {
        static const char *const cols[] = {"Keys", "What"};
        if (ui_table_begin("keys", 2)) {
            ui_table_header(cols, 2);
            for (size_t i = 0; i < APP_SHORTCUT_COUNT; i++) {
                ui_table_next_row();
                ui_table_col();
                ui_text_color(UI_ACCENT, "%s", APP_SHORTCUTS[i].keys);
                ui_table_col();
                ui_text("%s", APP_SHORTCUTS[i].what);
            }
            ui_table_end();
        }
        if (ui_button("Close (F1)", 0, 0))
            app->help_open = false;
    }
    ui_window_end();
}

void app_ui_settings_window(app_ui *app)
{
    ui_next_window(app->w * 0.5f, app->h * 0.5f, 0.5f, 0.5f, ui_px(560), 0);
    if (ui_window_begin("Settings", UI_WIN_NO_RESIZE | UI_WIN_AUTO_SIZE)) {
        if (ui_header("Display", true)) {
            float s = app->ui_scale;
            if (ui_slider_float("Interface scale", &s, 0.75f, 3.0f, "%.2fx")) {
                app->ui_scale = s;
                ui_set_scale(app->ui, s);
            }
            ui_tooltip("1x suits a 1080p screen; a 4K screen wants about 2x (found from the display "
                       "when it says its DPI).");
            ui_checkbox("Frame time and dot count", &app->show_fps);
            ui_slider_float("Heatmap opacity", &app->heat_opacity, 0.2f, 1.0f, "%.2f");
            if (ui_item_hovered() || ui_item_clicked())
                app->dots_dirty = true;
        }
        if (ui_header("Stylus", true)) {
            static const char *const names[] = {"auto", "mouse", "tablet", "falcon"};
            int cur = 0;
            for (int i = 0; i < 4; i++)
                if (app->opt.device && strcmp(app->opt.device, names[i]) == 0)
                    cur = i;
            if (ui_combo("Device (next session)", &cur, names, 4))
                app->opt.device = names[cur];
            ui_text_muted("Now: %s", app->input_open ? app->input.name : "none (not in a session)");
            if (app->input.note[0])
                ui_text_wrapped("%s", app->input.note);
            ui_text_muted("Calibrate a device with `stipple devices` (docs/haptics.md).");
        }
        if (ui_header("Graphics", false)) {
            ui_text("Renderer: %s", app->gl_renderer);
            ui_text("Multisampling: %s", app->software_gl ? "off (software rasteriser)" : "4x");
            ui_checkbox("Baked dots (off: redraw every dot each frame)", &app->baked_dots);
            ui_tooltip("Baked: each dot is drawn once into the skin's texture, so frames cost the "
                       "same with 100 or 100,000 dots. Off is the naive path, for comparison.");
        }
        if (ui_header("Key bindings", false)) {
            for (size_t i = 0; i < APP_SHORTCUT_COUNT; i++) {
                ui_text_color(UI_ACCENT, "%-12s", APP_SHORTCUTS[i].keys);
                ui_same_line(ui_px(8));
                ui_text("%s", APP_SHORTCUTS[i].what);
            }
            ui_text_muted("Bindings are fixed in this version.");
        }
        if (ui_button("Close (F2)", 0, 0))
            app->settings_open = false;
    }
    ui_window_end();
}
