/* ui_results.c: the results screen and the feedback a trainee can act on.
 *
 * Everything here comes from the grade (lessons/les_grade.h, a pure
 * function of the trace) and the impressions: the total and its
 * sub-scores, the zones, and feedback sentences, each tied to a place on
 * the skin when it has one (clicking it flies the camera there). The
 * grader does not write sentences or places yet (issue 4): these are
 * worded here from its numbers and should move there when it does.
 *
 * Threads: main thread only.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ui_app.h"

#define FLY_DISTANCE_MM 70.0
#define SPARSE_RATIO 0.85
#define DENSE_RATIO 1.15
#define TILT_WARN_DEG 15.0
#define DRAG_WARN_MM 0.25

/* ------------------------------------------------------------------------ */
/* Feedback                                                                 */
/* ------------------------------------------------------------------------ */

static app_feedback *app__fb(app_ui *app, app_feedback_level level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static app_feedback *app__fb(app_ui *app, app_feedback_level level, const char *fmt, ...)
{
    if (app->feedback_count >= APP_UI_MAX_FEEDBACK)
        return NULL;
    app_feedback *f = &app->feedback[app->feedback_count++];
    memset(f, 0, sizeof *f);
    f->level = level;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->text, sizeof f->text, fmt, ap);
    va_end(ap);
    return f;
}

/* The middle of the impressions `keep` selects, on the skin. */
static bool app__place(const app_ui *app, bool (*keep)(const app_ui *, const sim_impression *, int),
                       int arg, sim_vec3 *out)
{
    sim_vec3 sum = sim_v3(0, 0, 0);
    size_t n = 0;
    const sim_impression_list *l = &app->attempt.impressions;
    for (size_t i = 0; i < l->count; i++)
        if (keep(app, &l->items[i], arg)) {
            sum = sim_v3_add(sum, l->items[i].surface_mm);
            n++;
        }
    if (n == 0)
        return false;
    sim_surface_hit hit;
    sim_surface_closest(&app->attempt.surface, sim_v3_scale(sum, 1.0 / n), &hit);
    *out = hit.point_mm;
    return true;
}

static bool app__band(const app_ui *app, const sim_impression *imp, int *cls)
{
    int z = les_lesson_zone_at(&app->attempt.lesson, imp->chart_mm);
    if (z < 0)
        return false;
    const les_zone *lz = &app->attempt.lesson.zones[z];
    *cls = imp->depth_mm < lz->depth_min_mm ? -1 : imp->depth_mm > lz->depth_max_mm ? 1 : 0;
    return true;
}

static bool app__is_deep(const app_ui *app, const sim_impression *imp, int arg)
{
    int c;
    return app__band(app, imp, &c) && c == arg;
}

static bool app__is_outside(const app_ui *app, const sim_impression *imp, int arg)
{
    (void)arg;
    return les_lesson_zone_at(&app->attempt.lesson, imp->chart_mm) < 0;
}

static bool app__zone_centre(const app_ui *app, int z, sim_vec3 *out)
{
    const les_zone *lz = &app->attempt.lesson.zones[z];
    sim_vec2 c = sim_v2(0, 0);
    for (size_t i = 0; i < lz->polygon_count; i++)
        c.x += lz->polygon[i].x / lz->polygon_count, c.y += lz->polygon[i].y / lz->polygon_count;
    sim_surface_hit hit;
    if (!sim_surface_from_chart(&app->attempt.surface, c, &hit))
        return false;
    *out = hit.point_mm;
    return true;
}

void app_ui_build_feedback(app_ui *app)
{
    app->feedback_count = 0;
    app->feedback_selected = -1;
    const les_client *client = &app->attempt.lesson.client;
    const char *why = client->condition ? client->condition : "a condition that rules SMP out";
    switch (app->intake) {
    case APP_INTAKE_TREAT:
    case APP_INTAKE_CAUTION:
        if (client->contraindicated)
            app__fb(app, APP_FB_BAD, "Intake: you treated a client who must be refused (%s).", why);
        else if (app->intake == APP_INTAKE_TREAT)
            app__fb(app, APP_FB_GOOD, "Intake: you treated. Nothing in this client's file stood against it.");
        else
            app__fb(app, APP_FB_GOOD, "Intake: you treated with caution. Nothing in the file required it, "
                                      "but asking is never wrong.");
        break;
    case APP_INTAKE_REFUSE:
        if (client->contraindicated)
            app__fb(app, APP_FB_GOOD, "Intake: you refused, rightly: %s.", why);
        else
            app__fb(app, APP_FB_BAD, "Intake: you refused. This client's file shows no contraindication: "
                                     "they went home untreated.");
        return;
    default: break;
    }
    if (!app->have_grade)
        return;
    const les_grade *g = &app->attempt.grade;
    const les_lesson *l = &app->attempt.lesson;
    app_feedback *f;
    /* the grader's own feedback, worst first, each at its place */
    if (g->feedback.count > 0) {
        for (size_t i = 0; i < g->feedback.count; i++) {
            const les_feedback_item *it = &g->feedback.items[i];
            app_feedback_level lv = it->severity <= LES_FEEDBACK_MAJOR   ? APP_FB_BAD
                                    : it->severity == LES_FEEDBACK_MINOR ? APP_FB_WARN
                                                                         : APP_FB_GOOD;
            if ((f = app__fb(app, lv, "%s", it->message)) != NULL) {
                f->has_place = isfinite(it->point_mm.x) &&
                               (it->point_mm.x != 0.0 || it->point_mm.y != 0.0 || it->point_mm.z != 0.0);
                f->place_mm = it->point_mm;
            }
        }
        return;
    }
    if (g->impressions == 0) {
        app__fb(app, APP_FB_BAD, "No dots were placed: hold the left button over the skin to work.");
        return;
    }
    if (g->depth.too_deep > 0 &&
        (f = app__fb(app, APP_FB_BAD, "%zu dots too deep: expect blurred, blue-grey dots (blowout).",
                     g->depth.too_deep)))
        f->has_place = app__place(app, app__is_deep, 1, &f->place_mm);
    if (g->depth.too_shallow > 0 &&
        (f = app__fb(app, APP_FB_WARN, "%zu dots too shallow: in the epidermis they fade within weeks.",
                     g->depth.too_shallow)))
        f->has_place = app__place(app, app__is_deep, -1, &f->place_mm);
    for (size_t z = 0; z < g->zone_count && z < l->zone_count; z++) {
        const les_zone_grade *zg = &g->zones[z];
        double target = l->zones[z].density_per_cm2;
        double ratio = target > 0 ? zg->per_cm2 / target : 1.0;
        if (ratio < SPARSE_RATIO)
            f = app__fb(app, APP_FB_WARN, "%s: %.1f dots/cm2 of %.0f: too sparse, add about %.0f dots.",
                        l->zones[z].name, zg->per_cm2, target, (target - zg->per_cm2) * zg->area_cm2);
        else if (ratio > DENSE_RATIO)
            f = app__fb(app, APP_FB_WARN, "%s: %.1f dots/cm2 of %.0f: too dense, dots will merge as they heal.",
                        l->zones[z].name, zg->per_cm2, target);
        else
            f = app__fb(app, APP_FB_GOOD, "%s: %.1f dots/cm2 of %.0f: on target.", l->zones[z].name,
                        zg->per_cm2, target);
        if (f)
            f->has_place = app__zone_centre(app, (int)z, &f->place_mm);
    }
    if (g->outside > 0 && (f = app__fb(app, APP_FB_BAD, "%zu dots outside every zone.", g->outside)))
        f->has_place = app__place(app, app__is_outside, 0, &f->place_mm);
    /* technique */
    const sim_impression_list *il = &app->attempt.impressions;
    double tilt = 0, drag = 0;
    size_t dragged = 0;
    for (size_t i = 0; i < il->count; i++) {
        tilt += il->items[i].angle_rad;
        drag += il->items[i].drag_mm;
        dragged += il->items[i].drag_mm > DRAG_WARN_MM;
    }
    tilt = sim_deg(tilt / il->count);
    if (tilt > TILT_WARN_DEG)
        app__fb(app, APP_FB_WARN, "The needle leaned %.0f degrees on average: keep it close to upright.", tilt);
    if (dragged > il->count / 20)
        app__fb(app, APP_FB_WARN, "%zu dots were dragged more than %.2f mm: lift before moving.", dragged,
                DRAG_WARN_MM);
    if (g->depth.too_deep == 0 && g->depth.too_shallow == 0)
        app__fb(app, APP_FB_GOOD, "Every dot in the depth band.");
}

/* ------------------------------------------------------------------------ */
/* The screen                                                               */
/* ------------------------------------------------------------------------ */

static uint32_t app__level_color(app_feedback_level l)
{
    return l == APP_FB_GOOD ? UI_GOOD : l == APP_FB_WARN ? UI_WARN : UI_BAD;
}

static void app__views_row(app_ui *app)
{
    static const char *const labels[APP_VIEW_COUNT] = {"Fresh", "Healed", "+10 years", "Density", "Depth"};
    static const char *const tips[APP_VIEW_COUNT] = {
        "As placed, today.",
        "About a month later: size, softness and colour from the healing model (H).",
        "Ten years on: faded, spread, with the client's hair loss (A).",
        "Dots per cm2 against each zone's target: blue sparse, green on target, red dense (D).",
        "Depth: green in the band, amber too shallow, violet too deep (P).",
    };
    for (int v = 0; v < APP_VIEW_COUNT; v++) {
        if (v)
            ui_same_line(-1);
        bool on = app->dot_view == (app_dot_view)v;
        if (on ? ui_button_primary(labels[v], 0, 0) : ui_button(labels[v], 0, 0))
            app_ui_set_dot_view(app, (app_dot_view)v);
        ui_tooltip("%s", tips[v]);
    }
}

static void app__legend(app_ui *app)
{
    if (app->dot_view != APP_VIEW_DENSITY && app->dot_view != APP_VIEW_DEPTH)
        return;
    ui_next_window(app->w - ui_px(14), app->h - ui_px(14), 1, 1, 0, 0);
    ui_next_window_alpha(0.88f);
    if (ui_window_begin("##legend", UI_WIN_PANEL | UI_WIN_AUTO_SIZE | UI_WIN_NO_INPUTS)) {
        float rgb[3];
        float x, y;
        if (app->dot_view == APP_VIEW_DENSITY) {
            ui_text("Density against the target");
            static const double ratios[] = {0.5, 0.7, 1.0, 1.4, 2.0};
            static const char *const names[] = {"half", "", "on target", "", "double"};
            for (int i = 0; i < 5; i++) {
                rnd_heat_density_color(ratios[i], rgb);
                ui_cursor_screen(&x, &y);
                ui_draw_rect(x, y + ui_px(2), x + ui_px(36), y + ui_px(16),
                             ui_rgba(rgb[0], rgb[1], rgb[2], 1), ui_px(3), true);
                ui_dummy(ui_px(40), ui_px(16));
                ui_same_line(-1);
                ui_text_muted("%s", names[i]);
            }
            ui_cursor_screen(&x, &y);
            ui_draw_rect(x, y + ui_px(2), x + ui_px(36), y + ui_px(16), 0xF538DBFFu, ui_px(3), true);
            ui_dummy(ui_px(40), ui_px(16));
            ui_same_line(-1);
            ui_text_muted("outside the zones");
        } else {
            ui_text("Depth");
            static const char *const names[] = {"too shallow: fades", "in the band", "too deep: blowout"};
            for (int i = 0; i < 3; i++) {
                rnd_heat_depth_color(i == 0, i == 1, i == 2, rgb);
                ui_cursor_screen(&x, &y);
                ui_draw_rect(x, y + ui_px(2), x + ui_px(36), y + ui_px(16),
                             ui_rgba(rgb[0], rgb[1], rgb[2], 1), ui_px(3), true);
                ui_dummy(ui_px(40), ui_px(16));
                ui_same_line(-1);
                ui_text_muted("%s", names[i]);
            }
        }
    }
    ui_window_end();
}

void app_ui_results_screen(app_ui *app)
{
    const les_lesson *l = &app->attempt.lesson;
    ui_next_window(ui_px(14), ui_px(14), 0, 0, app_ui_side_panel_w(app) - ui_px(28), app->h - ui_px(28));
    if (ui_window_begin("Results", UI_WIN_PANEL)) {
        ui_text_muted("%s  -  %s", l->title, app->trainee);
        if (app->have_grade) {
            const les_grade *g = &app->attempt.grade;
            ui_text_title("%.1f", g->score);
            ui_same_line(-1);
            ui_text_big(g->passed ? "  passed" : "  not passed");
            ui_text_muted("pass mark %.0f  -  %zu dots  -  %02d:%02d", l->rubric.pass_mark, g->impressions,
                          (int)app->elapsed_s / 60, (int)app->elapsed_s % 60);
            ui_spacing(4);
            char over[64];
            snprintf(over, sizeof over, "Depth %.1f", g->depth.score);
            ui_progress((float)(g->depth.score / 100.0), -1, ui_px(20), over,
                        g->depth.score >= l->rubric.pass_mark ? UI_GOOD : UI_WARN);
            ui_tooltip("%zu in the band, %zu too shallow, %zu too deep.", g->depth.in_band,
                       g->depth.too_shallow, g->depth.too_deep);
            snprintf(over, sizeof over, "Density %.1f", g->density.score);
            ui_progress((float)(g->density.score / 100.0), -1, ui_px(20), over,
                        g->density.score >= l->rubric.pass_mark ? UI_GOOD : UI_WARN);
            ui_tooltip("%.1f dots/cm2 against %.1f over the zones.", g->density.per_cm2,
                       g->density.target_per_cm2);
            ui_spacing(4);
            static const char *const cols[] = {"Zone", "Dots", "per cm2", "In band"};
            if (ui_table_begin("zones", 4)) {
                ui_table_header(cols, 4);
                for (size_t z = 0; z < g->zone_count && z < l->zone_count; z++) {
                    const les_zone_grade *zg = &g->zones[z];
                    ui_table_next_row();
                    ui_table_col();
                    ui_text("%s", l->zones[z].name);
                    ui_table_col();
                    ui_text("%zu", zg->impressions);
                    ui_table_col();
                    ui_text("%.1f / %.0f", zg->per_cm2, l->zones[z].density_per_cm2);
                    ui_table_col();
                    ui_text("%.0f%%", zg->impressions ? 100.0 * zg->in_band / zg->impressions : 0.0);
                }
                ui_table_end();
            }
        } else {
            ui_text_title("No score");
        }
        ui_spacing(6);
        ui_text_big("Feedback");
        ui_text_muted("Click an item (or Up/Down) to see the place.");
        for (size_t i = 0; i < app->feedback_count; i++) {
            const app_feedback *f = &app->feedback[i];
            float x, y;
            ui_cursor_screen(&x, &y);
            ui_draw_circle(x + ui_px(6), y + ui_px(10), ui_px(5), app__level_color(f->level), true);
            ui_indent(20);
            bool sel = app->feedback_selected == (int)i;
            ui_text_wrapped_color(sel ? UI_ACCENT : UI_TEXT, "%s", f->text);
            if (f->has_place) {
                ui_tooltip("Show me where");
                if (ui_item_clicked()) {
                    app->feedback_selected = (int)i;
                    app_ui_fly_to(app, f->place_mm, FLY_DISTANCE_MM);
                }
            }
            ui_unindent(20);
        }
        ui_spacing(6);
        if (app->have_grade) {
            ui_text_big("Views");
            app__views_row(app);
            ui_checkbox("Zones and hairline (O)", &app->overlays);
        }
        ui_spacing(8);
        if (app->attempt.trace.count > 0 && ui_button_primary("Replay (R)", ui_px(140), ui_px(36)))
            app_ui_go(app, APP_SCREEN_REPLAY);
        ui_same_line(-1);
        if (ui_button("Try again (Enter)", ui_px(160), ui_px(36)))
            app_ui_start_work(app);
        ui_same_line(-1);
        if (ui_button("Curriculum", 0, ui_px(36)))
            app_ui_go(app, APP_SCREEN_CURRICULUM);
        if (app->recorded_id > 0)
            ui_text_muted("Recorded as attempt #%lld (stipple records show %lld).", (long long)app->recorded_id,
                          (long long)app->recorded_id);
        if (app->journal_path[0] && app->attempt.trace.count > 0)
            ui_text_muted("Trace: %s", app->journal_path);
    }
    ui_window_end();
    app__legend(app);
}
