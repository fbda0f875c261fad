/* ui_app.c: the interactive simulator's window, frame loop, events and
 * shortcuts, the 3D view and the attempt (see ui_app.h for the screens).
 *
 * A frame: SDL events (to the UI first; what it does not take goes to the
 * shortcuts and the 3D view), the stylus's samples since the last frame
 * (recorded into the trace, journalled, turned into impressions and dots),
 * the replay clock and camera flight, the 3D scene, the screen's windows,
 * swap. The mouse is the needle when no stylus is plugged in: it aims at
 * the skin, the left button runs the machine and pushes the needle to the
 * set depth.
 *
 * Threads: main thread only. Ownership: app_ui_run owns everything it
 * opens and closes it before returning.
 */
#include <errno.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_dots.h"
#include "ui_app.h"

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */
/* ------------------------------------------------------------------------ */

#define APP_DEPTH_STEP_MM 0.05
#define APP_DEPTH_MAX_MM 3.0
#define APP_DEPTH_DEFAULT_MM 0.8
#define APP_HOVER_MM 2.0
#define APP_ORBIT_RAD_PER_PX 0.006
#define APP_ZOOM_STEP 0.85
#define APP_FLY_S 0.6
#define APP_FLY_DISTANCE_MM 70.0
#define APP_WINDOW_W 1280
#define APP_WINDOW_H 800
#define APP_STATUS_MS 6000
#define APP_SIDE_PANEL_W 480.0f

static const char *const APP_SCREEN_NAMES[APP_SCREEN_COUNT] = {
    "sign-in", "curriculum", "brief", "work", "results", "replay",
};

static const char *const APP_DOT_VIEW_NAMES[APP_VIEW_COUNT] = {
    "fresh", "healed", "aged", "density", "depth",
};

const char *app_screen_name(app_screen s)
{
    return ((int)s >= 0 && s < APP_SCREEN_COUNT) ? APP_SCREEN_NAMES[s] : "?";
}

const char *app_dot_view_name(app_dot_view v)
{
    return ((int)v >= 0 && v < APP_VIEW_COUNT) ? APP_DOT_VIEW_NAMES[v] : "?";
}

void app_ui_set_status(app_ui *app, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(app->status, sizeof app->status, fmt, ap);
    va_end(ap);
    app->status_until_ms = SDL_GetTicks64() + APP_STATUS_MS;
    fprintf(stderr, "stipple: %s\n", app->status);
}

/* ------------------------------------------------------------------------ */
/* Curriculum                                                               */
/* ------------------------------------------------------------------------ */

static int app__cmp_entry(const void *a, const void *b)
{
    const app_lesson_entry *x = a, *y = b;
    /* the pad first, then heads; by id within */
    if (x->head != y->head)
        return x->head ? 1 : -1;
    return strcmp(x->id, y->id);
}

void app_ui_scan_lessons(app_ui *app)
{
    char dir[1024];
    app_asset_path(dir, sizeof dir, "lessons");
    app->lesson_count = 0;
    DIR *d = opendir(dir);
    if (!d) {
        app_ui_set_status(app, "%s: cannot list the lessons: %s", dir, strerror(errno));
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL && app->lesson_count < APP_UI_MAX_LESSONS) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".yaml") != 0)
            continue;
        app_lesson_entry *l = &app->lessons[app->lesson_count];
        memset(l, 0, sizeof *l);
        if (strlen(dir) + n + 2 > sizeof l->path)
            continue; /* a path too long to open */
        snprintf(l->path, sizeof l->path, "%.*s/%s", (int)(sizeof l->path - n - 2), dir, e->d_name);
        les_lesson lesson;
        les_diags diags;
        les_diags_init(&diags, l->path);
        les_result r = les_lesson_load(&lesson, l->path, &diags);
        les_diags_deinit(&diags);
        if (r != LES_OK)
            continue; /* `stipple lesson validate` says why */
        snprintf(l->id, sizeof l->id, "%s", lesson.id);
        snprintf(l->title, sizeof l->title, "%s", lesson.title);
        l->head = lesson.surface.kind == SIM_SURFACE_HEAD;
        l->zones = lesson.zone_count;
        l->pass_mark = lesson.rubric.pass_mark;
        l->best = -1.0;
        les_lesson_deinit(&lesson);
        app->lesson_count++;
    }
    closedir(d);
    qsort(app->lessons, app->lesson_count, sizeof app->lessons[0], app__cmp_entry);
    app_scores_load(app);
}

/* ------------------------------------------------------------------------ */
/* The attempt                                                              */
/* ------------------------------------------------------------------------ */

static void app__clear_heat(app_ui *app)
{
    rnd_heatmap_free(&app->heat);
    app->heat_view = APP_VIEW_FRESH;
    rnd_renderer_set_heatmap(app->renderer, NULL, 0.0f);
}

int app_ui_open_lesson(app_ui *app, const char *path)
{
    app_ui_replay_stop(app);
    app__clear_heat(app);
    app_attempt_deinit(&app->attempt);
    app_attempt_init(&app->attempt);
    app->have_lesson = app->have_grade = app->finished = app->saved_score = false;
    app->feedback_count = 0;
    app->intake = APP_INTAKE_UNDECIDED;
    int rc = app_attempt_load_lesson(&app->attempt, path);
    sim_free(app->lesson_text);
    app->lesson_text = NULL;
    if (rc == APP_EXIT_OK && app_read_file(path, &app->lesson_text, &app->lesson_len) != 0)
        app->lesson_text = NULL; /* recorded without its text: not stored */
    if (rc != APP_EXIT_OK) {
        app_ui_set_status(app, "%s: the lesson has errors (see the terminal, or "
                               "`stipple lesson validate`)", path);
        return rc;
    }
    app->have_lesson = true;
    for (size_t z = 0; z < app->attempt.lesson.zone_count && z < APP_UI_MAX_ZONES; z++)
        app->zone_area_cm2[z] = sim_surface_area_in_polygon(&app->attempt.surface,
                                                            app->attempt.lesson.zones[z].polygon,
                                                            app->attempt.lesson.zones[z].polygon_count) /
                                100.0;
    if (rnd_renderer_set_surface(app->renderer, &app->attempt.surface) != RND_OK) {
        app_ui_set_status(app, "cannot draw the lesson's surface (out of memory?)");
        return APP_EXIT_FAIL;
    }
    rnd_renderer_set_dots(app->renderer, NULL, 0);
    float skin[3];
    app_skin_rgb(&app->attempt, skin);
    rnd_renderer_set_skin_tone(app->renderer, skin[0], skin[1], skin[2]);
    app->dots_shown = 0;
    app->dot_view = APP_VIEW_FRESH;
    app->dots_view_shown = APP_VIEW_FRESH;
    app->camera = rnd_camera_frame(&app->attempt.surface);
    app->camera_set = true;
    app->depth_mm = APP_DEPTH_DEFAULT_MM;
    app->overlays = true;
    for (size_t i = 0; i < app->lesson_count; i++)
        if (strcmp(app->lessons[i].id, app->attempt.lesson.id) == 0)
            app->selected = (int)i;
    app_ui_go(app, APP_SCREEN_BRIEF);
    return APP_EXIT_OK;
}

/* Where a force device's workspace centre lands: the first zone's middle. */
static sim_vec3 app__work_centre(const app_attempt *a)
{
    if (a->lesson.zone_count == 0)
        return sim_v3(0, 0, 0);
    const les_zone *z = &a->lesson.zones[0];
    sim_vec2 c = sim_v2(0, 0);
    for (size_t i = 0; i < z->polygon_count; i++)
        c.x += z->polygon[i].x / (double)z->polygon_count, c.y += z->polygon[i].y / (double)z->polygon_count;
    sim_surface_hit hit;
    if (sim_surface_from_chart(&a->surface, c, &hit))
        return hit.point_mm;
    return sim_v3(0, 0, 0);
}

static int app__open_journal(app_ui *app)
{
    if (app->opt.trace_out) {
        snprintf(app->journal_path, sizeof app->journal_path, "%s", app->opt.trace_out);
    } else {
        char dir[900];
        if (app_data_subdir(dir, sizeof dir, "attempts") != 0) {
            app_ui_set_status(app, "%s: cannot create the attempts folder: %s", dir, strerror(errno));
            return APP_EXIT_FAIL;
        }
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        char stamp[32];
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
        snprintf(app->journal_path, sizeof app->journal_path, "%s/%s-%s.trace", dir, stamp,
                 app->attempt.lesson.id);
    }
    sim_trace_header h;
    memset(&h, 0, sizeof h);
    h.sample_rate_hz = 1000; /* the servo thread samples every device at 1 kHz */
    memcpy(h.lesson_hash, app->attempt.lesson.hash, 32);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    h.start_unix_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    snprintf(h.device, sizeof h.device, "%.60s",
             app_autotest_running(app) ? "virtual stylus (scripted)" : app->input.name);
    sim_error err;
    if (sim_trace_writer_open(&app->journal, app->journal_path, &h, 0, &err) != SIM_OK) {
        char buf[700];
        app_ui_set_status(app, "%s", sim_error_format(&err, buf, sizeof buf));
        sim_trace_writer_close(&app->journal, NULL);
        return APP_EXIT_FAIL;
    }
    app->journal_open = true;
    app_records_begin_session(app, &h); /* without the database: the file only */
    return APP_EXIT_OK;
}

int app_ui_start_work(app_ui *app)
{
    if (!app->have_lesson)
        return APP_EXIT_FAIL;
    /* a fresh attempt on the same lesson */
    sim_trace_deinit(&app->attempt.trace);
    sim_trace_init(&app->attempt.trace);
    sim_impression_list_deinit(&app->attempt.impressions);
    sim_impression_list_init(&app->attempt.impressions);
    if (app->attempt.have_grade) {
        les_grade_deinit(&app->attempt.grade);
        app->attempt.have_grade = false;
    }
    sim_free(app->attempt.healed);
    app->attempt.healed = NULL;
    app->have_grade = app->finished = app->saved_score = false;
    app->recorded_id = 0;
    app->feedback_count = 0;
    app__clear_heat(app);
    rnd_renderer_set_dots(app->renderer, NULL, 0);
    app->dots_shown = 0;
    app->dot_view = app->dots_view_shown = APP_VIEW_FRESH;
    if (!app_autotest_running(app)) {
        app_input_desc d;
        memset(&d, 0, sizeof d);
        d.device = app->opt.device;
        d.firmware_path = app->opt.firmware;
        d.calibration_path = app->opt.calibration;
        d.surface = &app->attempt.surface;
        d.work_centre_mm = app__work_centre(&app->attempt);
        if (app_input_open(&app->input, &d) != APP_EXIT_OK) {
            app_ui_set_status(app, "no stylus could be opened (see the terminal)");
            return APP_EXIT_FAIL;
        }
        app->input_open = true;
        if (app->input.note[0])
            app_ui_set_status(app, "%s", app->input.note);
    }
    if (app__open_journal(app) != APP_EXIT_OK) {
        if (app->input_open)
            app_input_close(&app->input);
        app->input_open = false;
        return APP_EXIT_FAIL;
    }
    sim_extractor_init(&app->extractor, &app->attempt.surface, NULL);
    memset(app->zone_dots, 0, sizeof app->zone_dots);
    app->work_start_ms = SDL_GetTicks64();
    app->elapsed_s = 0.0;
    app->machine = app->space_machine = false;
    app_ui_go(app, APP_SCREEN_WORK);
    return APP_EXIT_OK;
}

void app_ui_record(app_ui *app, const sim_sample *s)
{
    sim_error err;
    sim_error_clear(&err);
    if (sim_trace_push(&app->attempt.trace, s) != SIM_OK ||
        (app->journal_open && sim_trace_writer_append(&app->journal, s, &err) != SIM_OK)) {
        /* the in-memory trace still holds the sample: keep working, say so */
        app_ui_set_status(app, "the trace journal could not be written: %s", err.message);
    }
    app_records_sample(app, s);
    sim_impression imp;
    bool done = false;
    sim_extractor_feed(&app->extractor, s, &imp, &done);
    if (done && sim_impression_list_push(&app->attempt.impressions, &imp) == SIM_OK) {
        int z = les_lesson_zone_at(&app->attempt.lesson, imp.chart_mm);
        if (z >= 0 && z < APP_UI_MAX_ZONES)
            app->zone_dots[z]++;
    }
}

/* Sends impressions not yet shown to the renderer (fresh marks while
 * working; healed in the healed preview). */
static void app__add_new_dots(app_ui *app)
{
    const sim_impression_list *l = &app->attempt.impressions;
    rnd_dot batch[64];
    while (app->dots_shown < l->count) {
        size_t n = l->count - app->dots_shown;
        n = n > 64 ? 64 : n;
        /* the healed preview heals each new dot on its own (the whole
         * attempt is healed again at the end, with merges and stacks) */
        if (app_dots_make(&app->attempt, l->items + app->dots_shown, n,
                          app->dot_view == APP_VIEW_HEALED ? APP_LOOK_HEALED : APP_LOOK_FRESH,
                          batch) != APP_EXIT_OK ||
            rnd_renderer_add_dots(app->renderer, batch, n) != RND_OK)
            break;
        app->dots_shown += n;
    }
}

void app_ui_refresh_dots(app_ui *app)
{
    const sim_impression_list *l = app->screen == APP_SCREEN_REPLAY ? &app->replay_imps : &app->attempt.impressions;
    size_t n = l->count;
    rnd_dot *dots = sim_calloc(n ? n : 1, sizeof *dots);
    if (!dots) {
        app_ui_set_status(app, "out of memory for %zu dots", n);
        return;
    }
    app_dot_look look = app->dot_view == APP_VIEW_FRESH ? APP_LOOK_FRESH
                        : app->dot_view == APP_VIEW_AGED ? APP_LOOK_AGED
                                                          : APP_LOOK_HEALED;
    if (app_dots_make(&app->attempt, l->items, n, look, dots) == APP_EXIT_OK)
        rnd_renderer_set_dots(app->renderer, dots, n);
    sim_free(dots);
    app->dots_shown = n;
    app->dots_view_shown = app->dot_view;
    /* heatmaps over the healed result */
    bool heat = app->dot_view == APP_VIEW_DENSITY || app->dot_view == APP_VIEW_DEPTH;
    if (heat && (app->heat_view != app->dot_view || !app->heat.rgba)) {
        rnd_heatmap_free(&app->heat);
        rnd_heat_kind kind = app->dot_view == APP_VIEW_DENSITY ? RND_HEAT_DENSITY : RND_HEAT_DEPTH;
        /* the grader's maps when it made them; else from the impressions */
        rnd_result hr = app->have_grade && app->screen != APP_SCREEN_REPLAY
                            ? rnd_heatmap_from_grade(&app->attempt.surface, &app->attempt.grade.heatmap, kind,
                                                     &app->heat)
                            : RND_ERR_ARG;
        if (hr == RND_ERR_ARG)
            hr = rnd_heatmap_build(&app->attempt.surface, &app->attempt.lesson, l->items, n, kind, &app->heat);
        if (hr == RND_OK)
            app->heat_view = app->dot_view;
    }
    rnd_renderer_set_heatmap(app->renderer, heat && app->heat.rgba ? &app->heat : NULL, app->heat_opacity);
    app->dots_dirty = false;
}

void app_ui_set_dot_view(app_ui *app, app_dot_view v)
{
    if ((int)v < 0 || v >= APP_VIEW_COUNT)
        return;
    /* while working only fresh marks and the healed preview make sense */
    if (app->screen == APP_SCREEN_WORK && v > APP_VIEW_HEALED)
        v = APP_VIEW_FRESH;
    app->dot_view = v;
    app->dots_dirty = true;
}

void app_ui_finish(app_ui *app)
{
    if (app->screen != APP_SCREEN_WORK)
        return;
    if (app->input_open) {
        app_input_stop(&app->input);
        size_t n;
        while ((n = app_input_drain(&app->input, app->drained, APP_UI_DRAIN)) > 0)
            for (size_t i = 0; i < n; i++)
                app_ui_record(app, &app->drained[i]);
        app_input_close(&app->input);
        app->input_open = false;
    }
    sim_impression imp;
    if (sim_extractor_finish(&app->extractor, &imp))
        sim_impression_list_push(&app->attempt.impressions, &imp);
    if (app->journal_open) {
        sim_error err;
        if (sim_trace_writer_close(&app->journal, &err) != SIM_OK) {
            char buf[700];
            app_ui_set_status(app, "%s", sim_error_format(&err, buf, sizeof buf));
        }
        app->journal_open = false;
        printf("stipple: trace saved to %s\n", app->journal_path);
    }
    app->finished = true;
    app_records_end_session(app); /* graded, signed and stored there too */
    if (app_attempt_grade(&app->attempt) == APP_EXIT_OK) {
        app->have_grade = true;
        app_ui_build_feedback(app);
        printf("stipple: %s: score %.1f (%s), %zu impressions\n", app->attempt.lesson.id,
               app->attempt.grade.score, app->attempt.grade.passed ? "passed" : "not passed",
               app->attempt.impressions.count);
        fflush(stdout);
    } else {
        app_ui_set_status(app, "the attempt could not be graded (see the terminal)");
    }
    app->dot_view = APP_VIEW_HEALED;
    app->dots_dirty = true;
    app_ui_go(app, APP_SCREEN_RESULTS);
}

void app_ui_go(app_ui *app, app_screen screen)
{
    if (screen != app->screen)
        app->status[0] = 0; /* a note belongs to the screen it was said on */
    if (app->screen == APP_SCREEN_REPLAY && screen != APP_SCREEN_REPLAY) {
        app_ui_replay_stop(app);
        app->dots_dirty = true;
    }
    app->screen = screen;
    app->orbiting = app->panning = false;
    if (screen == APP_SCREEN_REPLAY)
        app_ui_replay_start(app);
    if (screen == APP_SCREEN_CURRICULUM)
        app_scores_load(app);
}

/* ------------------------------------------------------------------------ */
/* Camera                                                                   */
/* ------------------------------------------------------------------------ */

void app_ui_fly_to(app_ui *app, sim_vec3 p, double distance_mm)
{
    if (!app->have_lesson)
        return;
    app->fly_from = app->camera;
    app->fly_to = app->camera;
    rnd_camera_look_at(&app->fly_to, &app->attempt.surface, p);
    app->fly_to.distance_mm = distance_mm;
    app->fly_t = 0.0;
    app->flying = true;
}

void app_ui_set_view(app_ui *app, rnd_view v)
{
    if (!app->have_lesson)
        return;
    app->flying = false;
    app->camera = rnd_camera_preset(&app->attempt.surface, &app->attempt.lesson, v);
}

static double app__wrap_angle(double a)
{
    return remainder(a, 2.0 * SIM_PI);
}

static void app__fly(app_ui *app, double dt_s)
{
    if (!app->flying)
        return;
    app->fly_t += dt_s / APP_FLY_S;
    double t = app->fly_t >= 1.0 ? 1.0 : app->fly_t;
    double s = t * t * (3.0 - 2.0 * t);
    rnd_camera a = app->fly_from, b = app->fly_to, c = b;
    c.target = sim_v3_add(a.target, sim_v3_scale(sim_v3_sub(b.target, a.target), s));
    /* distance on a log scale: zooming feels even */
    c.distance_mm = exp(log(a.distance_mm) + (log(b.distance_mm) - log(a.distance_mm)) * s);
    c.yaw_rad = a.yaw_rad + app__wrap_angle(b.yaw_rad - a.yaw_rad) * s;
    c.pitch_rad = a.pitch_rad + (b.pitch_rad - a.pitch_rad) * s;
    app->camera = c;
    if (t >= 1.0)
        app->flying = false;
}

/* ------------------------------------------------------------------------ */
/* Input                                                                    */
/* ------------------------------------------------------------------------ */

static void app__aim(app_ui *app)
{
    app->have_tip = false;
    if (!app->have_lesson)
        return;
    double sx = app->win_w > 0 ? (double)app->w / app->win_w : 1.0;
    double sy = app->win_h > 0 ? (double)app->h / app->win_h : 1.0;
    sim_vec3 origin, dir;
    rnd_camera_ray(&app->camera, &app->attempt.surface, app->w - app->scene_x, app->h,
                   (app->mouse_x + 0.5) * sx - app->scene_x, (app->mouse_y + 0.5) * sy, &origin, &dir);
    app->have_tip = sim_surface_raycast(&app->attempt.surface, origin, dir, &app->aim);
    if (app->have_tip)
        app->needle_axis = app->aim.normal;
}

static void app__set_depth(app_ui *app, double d)
{
    app->depth_mm = d < 0.0 ? 0.0 : d > APP_DEPTH_MAX_MM ? APP_DEPTH_MAX_MM : d;
}

/* The stylus's samples since the last frame. */
static void app__take_samples(app_ui *app)
{
    if (app->screen != APP_SCREEN_WORK)
        return;
    if (app_autotest_running(app)) {
        size_t n = app_autotest_samples(app, app->drained, APP_UI_DRAIN);
        for (size_t i = 0; i < n; i++)
            app_ui_record(app, &app->drained[i]);
        app->live_depth_mm = n ? -1.0 : app->live_depth_mm;
        if (n > 0) {
            sim_surface_hit hit;
            const sim_sample *s = &app->drained[n - 1];
            sim_surface_closest(&app->attempt.surface, sim_v3(s->tip_mm[0], s->tip_mm[1], s->tip_mm[2]), &hit);
            app->live_depth_mm = hit.depth_mm;
            app->aim = hit;
            app->have_tip = true;
            app->needle_axis = sim_v3(s->axis[0], s->axis[1], s->axis[2]);
            app->machine = (s->buttons & SIM_BUTTON_MACHINE) != 0;
        }
        return;
    }
    if (!app->input_open)
        return;
    if (app->input.kind == HAP_BACKEND_MOUSE) {
        hap_mouse_input m = {
            .valid = app->have_tip,
            .point_mm = app->aim.point_mm,
            .normal = app->aim.normal,
            .axis = app->aim.normal,
            .depth_mm = app->machine ? app->depth_mm : -APP_HOVER_MM,
            .buttons = app->machine ? SIM_BUTTON_MACHINE : 0,
        };
        app_input_feed_mouse(&app->input, &m);
        app->live_depth_mm = app->have_tip ? (app->machine ? app->depth_mm : -APP_HOVER_MM) : -APP_HOVER_MM;
    } else {
        app_input_set_machine(&app->input, app->space_machine);
        hap_servo_status st;
        app_input_status(&app->input, &st);
        app->live_depth_mm = st.contact.depth_mm;
    }
    size_t n;
    while ((n = app_input_drain(&app->input, app->drained, APP_UI_DRAIN)) > 0)
        for (size_t i = 0; i < n; i++)
            app_ui_record(app, &app->drained[i]);
}

static bool app__view_key(app_ui *app, SDL_Keycode k)
{
    static const rnd_view keys[] = {RND_VIEW_FRAMED, RND_VIEW_FRONT, RND_VIEW_LEFT, RND_VIEW_RIGHT,
                                    RND_VIEW_TOP, RND_VIEW_CROWN, RND_VIEW_BACK, RND_VIEW_HAIRLINE};
    if (k >= SDLK_1 && k <= SDLK_8) {
        app_ui_set_view(app, keys[k - SDLK_1]);
        return true;
    }
    return false;
}

static void app__key(app_ui *app, const SDL_KeyboardEvent *ke)
{
    SDL_Keycode k = ke->keysym.sym;
    bool ctrl = (ke->keysym.mod & KMOD_CTRL) != 0;
    if (k == SDLK_F1) {
        app->help_open = !app->help_open;
        return;
    }
    if (k == SDLK_F2 || (ctrl && k == SDLK_COMMA)) {
        app->settings_open = !app->settings_open;
        return;
    }
    if (k == SDLK_ESCAPE && (app->help_open || app->settings_open)) {
        app->help_open = app->settings_open = false;
        return;
    }
    if (ctrl && k == SDLK_q) {
        app->running = false;
        return;
    }
    switch (app->screen) {
    case APP_SCREEN_SIGN_IN:
        if (k == SDLK_RETURN || k == SDLK_KP_ENTER)
            app_ui_sign_in(app);
        else if (k == SDLK_ESCAPE)
            app->running = false;
        break;
    case APP_SCREEN_CURRICULUM:
        if (k == SDLK_DOWN && app->selected + 1 < (int)app->lesson_count)
            app->selected++;
        else if (k == SDLK_UP && app->selected > 0)
            app->selected--;
        else if ((k == SDLK_RETURN || k == SDLK_KP_ENTER) && app->selected < (int)app->lesson_count &&
                 app->lessons[app->selected].unlocked)
            app_ui_open_lesson(app, app->lessons[app->selected].path);
        else if (k == SDLK_ESCAPE)
            app_ui_go(app, APP_SCREEN_SIGN_IN);
        break;
    case APP_SCREEN_BRIEF:
        if (k == SDLK_t)
            app->intake = APP_INTAKE_TREAT;
        else if (k == SDLK_c)
            app->intake = APP_INTAKE_CAUTION;
        else if (k == SDLK_x)
            app->intake = APP_INTAKE_REFUSE;
        else if (k == SDLK_RETURN || k == SDLK_KP_ENTER)
            app_ui_brief_start(app);
        else if (k == SDLK_ESCAPE)
            app_ui_go(app, APP_SCREEN_CURRICULUM);
        break;
    case APP_SCREEN_WORK:
        if (app__view_key(app, k))
            break;
        switch (k) {
        case SDLK_SPACE: app->space_machine = !app->space_machine; break;
        case SDLK_PLUS:
        case SDLK_EQUALS:
        case SDLK_KP_PLUS: app__set_depth(app, app->depth_mm + APP_DEPTH_STEP_MM); break;
        case SDLK_MINUS:
        case SDLK_KP_MINUS: app__set_depth(app, app->depth_mm - APP_DEPTH_STEP_MM); break;
        case SDLK_h: app_ui_set_dot_view(app, app->dot_view == APP_VIEW_HEALED ? APP_VIEW_FRESH : APP_VIEW_HEALED); break;
        case SDLK_o: app->overlays = !app->overlays; break;
        case SDLK_r: app_ui_set_view(app, RND_VIEW_FRAMED); break;
        case SDLK_f:
        case SDLK_ESCAPE: app_ui_finish(app); break;
        default: break;
        }
        break;
    case APP_SCREEN_RESULTS:
        if (app__view_key(app, k))
            break;
        switch (k) {
        case SDLK_v: app_ui_set_dot_view(app, (app_dot_view)((app->dot_view + 1) % APP_VIEW_COUNT)); break;
        case SDLK_h: app_ui_set_dot_view(app, APP_VIEW_HEALED); break;
        case SDLK_a: app_ui_set_dot_view(app, APP_VIEW_AGED); break;
        case SDLK_d: app_ui_set_dot_view(app, APP_VIEW_DENSITY); break;
        case SDLK_p: app_ui_set_dot_view(app, APP_VIEW_DEPTH); break;
        case SDLK_o: app->overlays = !app->overlays; break;
        case SDLK_DOWN:
        case SDLK_UP:
            /* the next (or previous) item that has a place */
            for (int step = 1, n = (int)app->feedback_count; step <= n; step++) {
                int i = app->feedback_selected < 0 ? (k == SDLK_DOWN ? step - 1 : n - step)
                                                   : (app->feedback_selected + (k == SDLK_DOWN ? step : n - step)) % n;
                if (app->feedback[i].has_place) {
                    app->feedback_selected = i;
                    app_ui_fly_to(app, app->feedback[i].place_mm, APP_FLY_DISTANCE_MM);
                    break;
                }
            }
            break;
        case SDLK_r: app_ui_go(app, APP_SCREEN_REPLAY); break;
        case SDLK_RETURN:
        case SDLK_KP_ENTER: app_ui_start_work(app); break;
        case SDLK_ESCAPE: app_ui_go(app, APP_SCREEN_CURRICULUM); break;
        default: break;
        }
        break;
    case APP_SCREEN_REPLAY:
        if (app__view_key(app, k))
            break;
        switch (k) {
        case SDLK_SPACE: app->replay_playing = !app->replay_playing; break;
        case SDLK_h:
            app->dot_view = app->dot_view == APP_VIEW_HEALED ? APP_VIEW_FRESH : APP_VIEW_HEALED;
            app->dots_dirty = true;
            break;
        case SDLK_LEFT: app_ui_replay_seek(app, app->replay_t_s - 2.0); break;
        case SDLK_RIGHT: app_ui_replay_seek(app, app->replay_t_s + 2.0); break;
        case SDLK_HOME: app_ui_replay_seek(app, 0.0); break;
        case SDLK_END: app_ui_replay_seek(app, app_ui_replay_duration_s(app)); break;
        case SDLK_LEFTBRACKET: app->replay_speed = app->replay_speed > 0.3 ? app->replay_speed * 0.5 : 0.25; break;
        case SDLK_RIGHTBRACKET: app->replay_speed = app->replay_speed < 32.0 ? app->replay_speed * 2.0 : 64.0; break;
        case SDLK_ESCAPE: app_ui_go(app, APP_SCREEN_RESULTS); break;
        default: break;
        }
        break;
    default: break;
    }
}

static void app__event(app_ui *app, const SDL_Event *e)
{
    ui_event(app->ui, e);
    bool scene = app->screen == APP_SCREEN_WORK || app->screen == APP_SCREEN_RESULTS ||
                 app->screen == APP_SCREEN_REPLAY;
    switch (e->type) {
    case SDL_QUIT: app->running = false; break;
    case SDL_KEYDOWN:
        if (!ui_wants_keyboard(app->ui) && !e->key.repeat)
            app__key(app, &e->key);
        else if (!ui_wants_keyboard(app->ui) && e->key.repeat &&
                 (e->key.keysym.sym == SDLK_LEFT || e->key.keysym.sym == SDLK_RIGHT ||
                  e->key.keysym.sym == SDLK_PLUS || e->key.keysym.sym == SDLK_MINUS ||
                  e->key.keysym.sym == SDLK_EQUALS))
            app__key(app, &e->key);
        break;
    case SDL_MOUSEMOTION:
        app->mouse_x = e->motion.x;
        app->mouse_y = e->motion.y;
        if (app->orbiting)
            rnd_camera_orbit(&app->camera, -e->motion.xrel * APP_ORBIT_RAD_PER_PX,
                             e->motion.yrel * APP_ORBIT_RAD_PER_PX);
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (!scene || ui_wants_mouse(app->ui))
            break;
        if (e->button.button == SDL_BUTTON_LEFT && app->screen == APP_SCREEN_WORK)
            app->machine = true;
        else if (e->button.button == SDL_BUTTON_RIGHT ||
                 (e->button.button == SDL_BUTTON_LEFT && app->screen != APP_SCREEN_WORK))
            app->orbiting = true, app->flying = false;
        break;
    case SDL_MOUSEBUTTONUP:
        if (e->button.button == SDL_BUTTON_LEFT)
            app->machine = false;
        app->orbiting = false;
        break;
    case SDL_MOUSEWHEEL:
        if (!scene || ui_wants_mouse(app->ui))
            break;
        if (app->screen == APP_SCREEN_WORK && !(SDL_GetModState() & KMOD_CTRL)) {
            app__set_depth(app, app->depth_mm + APP_DEPTH_STEP_MM * e->wheel.y);
        } else {
            /* zoom toward the skin under the cursor */
            app__aim(app);
            if (app->have_tip)
                rnd_camera_look_at(&app->camera, &app->attempt.surface, app->aim.point_mm);
            rnd_camera_zoom(&app->camera, e->wheel.y > 0 ? APP_ZOOM_STEP : 1.0 / APP_ZOOM_STEP);
            app->flying = false;
        }
        break;
    default: break;
    }
}

/* ------------------------------------------------------------------------ */
/* Frame                                                                    */
/* ------------------------------------------------------------------------ */

static void app__draw_scene(app_ui *app)
{
    if (!app->have_lesson) {
        rnd_renderer_draw_empty(app->renderer, app->w, app->h);
        return;
    }
    rnd_frame f;
    memset(&f, 0, sizeof f);
    f.x = app->scene_x;
    f.width = app->w - app->scene_x > 16 ? app->w - app->scene_x : app->w;
    f.height = app->h;
    f.camera = app->camera;
    f.lesson = &app->attempt.lesson;
    f.show_overlays = app->overlays;
    if (app->screen == APP_SCREEN_WORK && app->have_tip) {
        f.show_tip = true;
        f.show_needle = true;
        f.needle_axis = app->needle_axis;
        double d = app->live_depth_mm > 0.0 ? app->live_depth_mm : 0.0;
        f.tip_mm = sim_v3_sub(app->aim.point_mm, sim_v3_scale(app->aim.normal, d));
        f.tip_in_skin = app->live_depth_mm > 0.0;
        if (app->input_open && app->input.kind != HAP_BACKEND_MOUSE) {
            hap_servo_status st;
            app_input_status(&app->input, &st);
            f.tip_mm = st.tip_mm;
            f.tip_in_skin = st.contact.phase == HAP_CONTACT_TISSUE;
            f.needle_axis = st.axis;
        }
    } else if (app->screen == APP_SCREEN_REPLAY) {
        f.show_tip = true;
        f.show_needle = true;
        f.needle_axis = app->replay_axis;
        f.tip_mm = app->replay_tip;
        f.tip_in_skin = app->replay_tip_in;
    }
    rnd_renderer_draw(app->renderer, &f);
}

float app_ui_side_panel_w(const app_ui *app)
{
    if (app->screen == APP_SCREEN_BRIEF || app->screen == APP_SCREEN_RESULTS)
        return ui_px(APP_SIDE_PANEL_W + 28);
    return 0.0f;
}

static void app__draw_status(app_ui *app)
{
    if (!app->status[0] || SDL_GetTicks64() > app->status_until_ms)
        return;
    ui_next_window(app->scene_x + (app->w - app->scene_x) * 0.5f, ui_px(64), 0.5f, 0.0f, 0, 0);
    ui_next_window_alpha(0.92f);
    if (ui_window_begin("##status", UI_WIN_PANEL | UI_WIN_AUTO_SIZE | UI_WIN_NO_FOCUS))
        ui_text_color(UI_WARN, "%s", app->status);
    ui_window_end();
}

static void app__draw_fps(app_ui *app)
{
    if (!app->show_fps)
        return;
    ui_next_window(app->w - ui_px(10), app->h - ui_px(10), 1.0f, 1.0f, 0, 0);
    ui_next_window_alpha(0.6f);
    if (ui_window_begin("##fps", UI_WIN_PANEL | UI_WIN_AUTO_SIZE | UI_WIN_NO_INPUTS)) {
        rnd_renderer_stats st;
        rnd_renderer_get_stats(app->renderer, &st);
        ui_text_muted("%.1f ms (%.0f fps)  %zu dots  %d detail levels", app->frame_ms,
                      app->frame_ms > 0 ? 1000.0 / app->frame_ms : 0.0, st.dots, st.detail_levels);
    }
    ui_window_end();
}

static void app__frame(app_ui *app)
{
    uint64_t t0 = SDL_GetPerformanceCounter();
    SDL_GL_GetDrawableSize(app->window, &app->w, &app->h);
    SDL_GetWindowSize(app->window, &app->win_w, &app->win_h);
    app->scene_x = (int)app_ui_side_panel_w(app);
    double dt = ui_delta_s();
    if (app->screen == APP_SCREEN_WORK) {
        if (!app_autotest_running(app))
            app__aim(app);
        app__take_samples(app);
        app__add_new_dots(app);
        app->elapsed_s = (SDL_GetTicks64() - app->work_start_ms) / 1000.0;
        if (app->journal_open && app->attempt.trace.count % 1000 < 20) {
            sim_error err;
            sim_trace_writer_flush(&app->journal, true, &err);
        }
        app_records_tick(app);
    }
    if (app->screen == APP_SCREEN_REPLAY)
        app_ui_replay_update(app, dt);
    if (app->dots_dirty || (app->screen != APP_SCREEN_WORK && app->dots_view_shown != app->dot_view))
        app_ui_refresh_dots(app);
    app__fly(app, dt);
    rnd_renderer_set_dot_path(app->renderer, app->baked_dots ? RND_DOT_PATH_BAKED : RND_DOT_PATH_INSTANCED);
    app__draw_scene(app);
    ui_begin_frame(app->ui);
    switch (app->screen) {
    case APP_SCREEN_SIGN_IN: app_ui_sign_in_screen(app); break;
    case APP_SCREEN_CURRICULUM: app_ui_curriculum_screen(app); break;
    case APP_SCREEN_BRIEF: app_ui_brief_screen(app); break;
    case APP_SCREEN_WORK: app_ui_work_hud(app); break;
    case APP_SCREEN_RESULTS: app_ui_results_screen(app); break;
    case APP_SCREEN_REPLAY: app_ui_replay_screen(app); break;
    default: break;
    }
    if (app->settings_open)
        app_ui_settings_window(app);
    if (app->help_open)
        app_ui_help_window(app);
    app__draw_status(app);
    app__draw_fps(app);
    ui_end_frame(app->ui);
    if (app_autotest_running(app))
        app_autotest_after_frame(app);
    SDL_GL_SwapWindow(app->window);
    double ms = (SDL_GetPerformanceCounter() - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
    app->frame_ms = app->frame_ms > 0 ? 0.9 * app->frame_ms + 0.1 * ms : ms;
}

bool app_ui_screenshot(app_ui *app, uint8_t *rgba)
{
    return rnd_read_screen(app->w, app->h, rgba) == RND_OK;
}

/* ------------------------------------------------------------------------ */
/* Window                                                                   */
/* ------------------------------------------------------------------------ */

static bool app__display_available(void)
{
    const char *drv = getenv("SDL_VIDEODRIVER");
    if (drv && *drv)
        return true; /* the caller chose a driver (offscreen in tests) */
    return (getenv("DISPLAY") && *getenv("DISPLAY")) ||
           (getenv("WAYLAND_DISPLAY") && *getenv("WAYLAND_DISPLAY"));
}

static int app__no_display(const char *why)
{
    fprintf(stderr,
            "stipple: no display available (%s): the simulator needs a desktop; "
            "run `stipple demo` for a headless attempt\n",
            why);
    return APP_EXIT_FAIL;
}

static bool app__make_window(app_ui *app, int samples)
{
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 24);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_MULTISAMPLEBUFFERS, samples > 1 ? 1 : 0);
    SDL_GL_SetAttribute(SDL_GL_MULTISAMPLESAMPLES, samples > 1 ? samples : 0);
    app->window = SDL_CreateWindow("Stipple", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, APP_WINDOW_W,
                                   APP_WINDOW_H, SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!app->window)
        return false;
    app->gl = SDL_GL_CreateContext(app->window);
    if (!app->gl) {
        SDL_DestroyWindow(app->window);
        app->window = NULL;
        return false;
    }
    return true;
}

static int app__open_window(app_ui *app)
{
    if (SDL_Init(SDL_INIT_VIDEO) != 0)
        return app__no_display(SDL_GetError());
    /* multisampling where the GPU does it; a software rasteriser spends a
     * third of its frame on it, so it gets none (settings: a restart) */
    bool ok = app__make_window(app, 4);
    if (ok) {
        snprintf(app->gl_renderer, sizeof app->gl_renderer, "%s", rnd_gl_renderer());
        app->software_gl = rnd_gl_is_software();
        if (app->software_gl) {
            SDL_GL_DeleteContext(app->gl);
            SDL_DestroyWindow(app->window);
            ok = app__make_window(app, 1);
        }
    } else {
        ok = app__make_window(app, 1);
    }
    if (!ok)
        return app__no_display(SDL_GetError());
    SDL_GL_SetSwapInterval(1);
    sim_error err;
    sim_error_clear(&err);
    if (rnd_renderer_create(&app->renderer, &err) != RND_OK) {
        app_print_error(&err);
        return APP_EXIT_FAIL;
    }
    char ini[900];
    ini[0] = 0;
    if (!app->opt.autotest_dir && app_data_subdir(ini, sizeof ini - 16, "") == 0)
        strncat(ini, "/ui.ini", sizeof ini - strlen(ini) - 1);
    ui_desc ud = {app->window, app->gl, app->opt.scale, NULL, ini[0] ? ini : NULL};
    if (ui_create(&app->ui, &ud, &err) != RND_OK) {
        app_print_error(&err);
        return APP_EXIT_FAIL;
    }
    app->ui_scale = ui_scale(app->ui);
    return APP_EXIT_OK;
}

static void app__close(app_ui *app)
{
    if (app->screen == APP_SCREEN_WORK)
        app_ui_finish(app); /* the trace is never lost */
    if (app->input_open)
        app_input_close(&app->input);
    app_ui_replay_stop(app);
    app_records_stop(app);
    rnd_heatmap_free(&app->heat);
    ui_destroy(app->ui);
    rnd_renderer_destroy(app->renderer);
    if (app->gl)
        SDL_GL_DeleteContext(app->gl);
    if (app->window)
        SDL_DestroyWindow(app->window);
    SDL_Quit();
    app_attempt_deinit(&app->attempt);
}

int app_ui_run(const app_ui_options *opt)
{
    if (!app__display_available())
        return app__no_display("DISPLAY and WAYLAND_DISPLAY are unset");
    static app_ui app;
    memset(&app, 0, sizeof app);
    app.opt = *opt;
    app_attempt_init(&app.attempt);
    app.baked_dots = true;
    app.heat_opacity = 1.0f;
    app.replay_speed = 4.0;
    app.depth_mm = APP_DEPTH_DEFAULT_MM;
    const char *user = getenv("USER");
    snprintf(app.trainee, sizeof app.trainee, "%s", user && *user ? user : "trainee");
    int rc = app__open_window(&app);
    if (rc == APP_EXIT_OK) {
        app_records_start(&app);
        app_ui_scan_lessons(&app);
        app.screen = APP_SCREEN_SIGN_IN;
        if (opt->lesson) {
            if (opt->autotest_dir)
                snprintf(app.trainee, sizeof app.trainee, "Autotest");
            app.signed_in = true;
            rc = app_ui_open_lesson(&app, opt->lesson);
        }
    }
    if (rc == APP_EXIT_OK && opt->autotest_dir)
        rc = app_autotest_begin(&app);
    if (rc != APP_EXIT_OK) {
        app__close(&app);
        return rc;
    }
    app.running = true;
    for (long n = 0; app.running && (opt->max_frames == 0 || n < opt->max_frames); n++) {
        if (app_autotest_running(&app) && !app_autotest_step(&app))
            break;
        SDL_Event e;
        while (SDL_PollEvent(&e))
            app__event(&app, &e);
        app__frame(&app);
    }
    if (app_autotest_running(&app))
        rc = app_autotest_end(&app) ? APP_EXIT_OK : APP_EXIT_FAIL;
    app__close(&app);
    return rc;
}
