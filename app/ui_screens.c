/* ui_screens.c: the screens before the work: sign-in, the curriculum and
 * the lesson brief with the client intake.
 *
 * Threads: main thread only (inside the UI frame).
 */
#include <stdio.h>
#include <string.h>

#include "ui_app.h"

#define PANEL_W 520.0f

static void app__brand(void)
{
    ui_text_title("Stipple");
    ui_text_muted("Scalp micropigmentation trainer");
    ui_spacing(6);
}

/* ------------------------------------------------------------------------ */
/* Sign-in                                                                  */
/* ------------------------------------------------------------------------ */

void app_ui_sign_in(app_ui *app)
{
    /* trim the name; an empty one is refused */
    char *s = app->trainee;
    while (*s == ' ')
        s++;
    memmove(app->trainee, s, strlen(s) + 1);
    size_t n = strlen(app->trainee);
    while (n > 0 && app->trainee[n - 1] == ' ')
        app->trainee[--n] = 0;
    if (n == 0) {
        app_ui_set_status(app, "type your name to sign in");
        return;
    }
    if (!les_db_code_valid(app->trainee)) {
        app_ui_set_status(app, "a trainee code is 1 to %d letters, digits or . _ @ + - (no spaces)",
                          LES_DB_CODE_MAX);
        return;
    }
    app->signed_in = true;
    app_scores_load(app);
    app_ui_go(app, APP_SCREEN_CURRICULUM);
}

void app_ui_sign_in_screen(app_ui *app)
{
    ui_next_window(app->w * 0.5f, app->h * 0.45f, 0.5f, 0.5f, ui_px(PANEL_W), 0);
    if (ui_window_begin("Sign in", UI_WIN_PANEL | UI_WIN_AUTO_SIZE)) {
        app__brand();
        ui_separator();
        ui_spacing(4);
        ui_text("Your trainee code");
        ui_push_width(-1);
        static bool focused;
        if (!focused) {
            ui_focus_next();
            focused = true;
        }
        if (ui_input_text("##name", app->trainee, sizeof app->trainee, true))
            app_ui_sign_in(app);
        ui_pop_width();
        ui_spacing(4);
        if (ui_button_primary("Sign in", -1, ui_px(38)))
            app_ui_sign_in(app);
        ui_spacing(6);
        ui_text_muted(app->records_open ? "Sessions and best scores go to this station's records."
                                        : "No records database: scores are not kept.");
        ui_text_muted("F1: every shortcut   F2: settings");
    }
    ui_window_end();
}

/* ------------------------------------------------------------------------ */
/* Curriculum                                                               */
/* ------------------------------------------------------------------------ */

void app_ui_curriculum_screen(app_ui *app)
{
    ui_next_window(app->w * 0.5f, app->h * 0.45f, 0.5f, 0.5f, ui_px(820), 0);
    if (ui_window_begin("Curriculum", UI_WIN_PANEL | UI_WIN_AUTO_SIZE)) {
        ui_text_big("Curriculum");
        ui_same_line(-1);
        ui_text_muted("  %s", app->trainee);
        ui_text_muted("Lessons unlock as you pass the one before. Up/Down and Enter, or click.");
        ui_spacing(4);
        static const char *const cols[] = {"Lesson", "Surface", "Zones", "Pass mark", "Best", ""};
        if (app->lesson_count == 0) {
            ui_text_color(UI_WARN, "No lessons found in %s/lessons.", app_asset_dir());
        } else if (ui_table_begin("lessons", 6)) {
            ui_table_header(cols, 6);
            for (size_t i = 0; i < app->lesson_count; i++) {
                const app_lesson_entry *l = &app->lessons[i];
                ui_push_id((int)i);
                ui_table_next_row();
                ui_table_col();
                char label[200];
                snprintf(label, sizeof label, "%s%s", l->unlocked ? "" : "[locked] ", l->title);
                if (ui_selectable(label, app->selected == (int)i, ui_px(26)))
                    app->selected = (int)i;
                if (!l->unlocked)
                    ui_tooltip("Pass the lesson above to unlock this one.");
                ui_table_col();
                ui_text_muted("%s", l->head ? "head" : "practice pad");
                ui_table_col();
                ui_text("%zu", l->zones);
                ui_table_col();
                ui_text("%.0f", l->pass_mark);
                ui_table_col();
                if (l->best >= 0)
                    ui_text_color(l->passed ? UI_GOOD : UI_WARN, "%.1f", l->best);
                else
                    ui_text_muted("-");
                ui_table_col();
                if (l->passed)
                    ui_text_color(UI_GOOD, "passed");
                else if (l->unlocked)
                    ui_text_muted("open");
                ui_pop_id();
            }
            ui_table_end();
        }
        ui_spacing(6);
        bool can = app->selected >= 0 && app->selected < (int)app->lesson_count &&
                   app->lessons[app->selected].unlocked;
        if (ui_button_enabled("Open the lesson", ui_px(200), ui_px(36), can))
            app_ui_open_lesson(app, app->lessons[app->selected].path);
        ui_same_line(-1);
        if (ui_button("Sign out", 0, ui_px(36)))
            app_ui_go(app, APP_SCREEN_SIGN_IN);
    }
    ui_window_end();
}

/* ------------------------------------------------------------------------ */
/* Brief                                                                    */
/* ------------------------------------------------------------------------ */

void app_ui_brief_start(app_ui *app)
{
    if (app->intake == APP_INTAKE_UNDECIDED) {
        app_ui_set_status(app, "decide on the client first: treat (T), treat with caution (C) or refuse (X)");
        return;
    }
    if (app->intake == APP_INTAKE_REFUSE) {
        /* no work: the results say what refusing meant here */
        app->finished = true;
        app->have_grade = false;
        app->feedback_count = 0;
        app_ui_build_feedback(app);
        app_ui_go(app, APP_SCREEN_RESULTS);
        return;
    }
    app_ui_start_work(app);
}

static const char *app__surface_words(const les_lesson *l)
{
    return l->surface.kind == SIM_SURFACE_HEAD ? "the default head (shaved scalp)" : "a practice pad";
}

void app_ui_brief_screen(app_ui *app)
{
    const les_lesson *l = &app->attempt.lesson;
    ui_next_window(ui_px(14), ui_px(14), 0, 0, app_ui_side_panel_w(app) - ui_px(28), app->h - ui_px(28));
    if (ui_window_begin("Brief", UI_WIN_PANEL)) {
        ui_text_muted("Lesson %s, version %d", l->id, l->version);
        ui_text_big("%s", l->title);
        ui_text_muted("On %s.", app__surface_words(l));
        ui_spacing(6);
        if (ui_header("Targets", true)) {
            for (size_t i = 0; i < l->zone_count; i++) {
                const les_zone *z = &l->zones[i];
                ui_bullet("%s: %.0f dots/cm2, %.2f-%.2f mm deep", z->name, z->density_per_cm2, z->depth_min_mm,
                          z->depth_max_mm);
            }
            if (l->hairline)
                ui_bullet("Follow the target hairline (yellow): soft, irregular, never a ruler line.");
            ui_bullet("Pass mark %.0f of 100 (depth weight %.0f, density weight %.0f).", l->rubric.pass_mark,
                      l->rubric.weight_depth, l->rubric.weight_density);
        }
        if (ui_header("Client intake", true)) {
            ui_text_wrapped("This lesson carries no intake form: the client's history is not written "
                            "down. Decide as you would before any session.");
            ui_spacing(2);
            ui_text_wrapped_color(UI_MUTED, "Never treat: active inflammatory or autoimmune scalp "
                                            "conditions, scarring alopecias until stable, keloid "
                                            "tendency, psoriasis or dermatitis on the scalp, pregnancy, "
                                            "blood thinners, recent chemotherapy or laser.");
            ui_spacing(4);
            if (ui_radio("Treat (T)", app->intake == APP_INTAKE_TREAT))
                app->intake = APP_INTAKE_TREAT;
            if (ui_radio("Treat with caution (C)", app->intake == APP_INTAKE_CAUTION))
                app->intake = APP_INTAKE_CAUTION;
            if (ui_radio("Refuse (X)", app->intake == APP_INTAKE_REFUSE))
                app->intake = APP_INTAKE_REFUSE;
        }
        if (ui_header("How to work", false)) {
            ui_bullet("The mouse is the needle when no stylus is plugged in: hold the left "
                      "button to run the machine and push in to the set depth.");
            ui_bullet("Wheel: needle depth. Ctrl + wheel: zoom toward the skin. Right drag: orbit.");
            ui_bullet("1-8: views (framed, front, left, right, top, crown, back, hairline).");
            ui_bullet("H: the healed preview. O: zones. F or Esc: finish.");
        }
        ui_spacing(8);
        const char *go = app->intake == APP_INTAKE_REFUSE ? "Refuse the client" : "Start the session";
        if (ui_button_primary(go, -1, ui_px(40)))
            app_ui_brief_start(app);
        if (ui_button("Back to the curriculum", -1, ui_px(32)))
            app_ui_go(app, APP_SCREEN_CURRICULUM);
    }
    ui_window_end();
}
