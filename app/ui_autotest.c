/* ui_autotest.c: the simulator's scripted smoke run (`stipple simulate
 * --autotest DIR`, hidden; tests/cli_ui.sh runs it headless with SDL's
 * offscreen driver).
 *
 * It drives the real program through its real event path: keys and text
 * are pushed as SDL events (sign in, choose the lesson, decide on the
 * intake, start), a scripted virtual stylus (haptics/hap_script.h, strokes
 * planned over the lesson's first zone by hap_plan.h) places the dots
 * through the same recording path as a device's samples, then it finishes,
 * looks at the results and a heatmap, follows a feedback item, and replays
 * the trace to its end. At each step it saves a screenshot and writes one
 * JSON line to DIR/autotest.jsonl with the program's state and the
 * picture's statistics; at the end it checks that
 *  - every screen was reached, in order;
 *  - the trace journalled to disk re-extracts to the same impressions;
 *  - the attempt was graded; the replay ended with every impression;
 *  - the work screenshots show skin, the results show their panel.
 * The exit status says whether every check passed; stderr says which not.
 *
 * Threads: main thread only.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hap_plan.h"
#include "ui_app.h"

#define AT_MAX_STROKES 140
#define AT_SAMPLES_PER_FRAME 250    /* a quarter second of stylus per frame */
#define AT_SETTLE_FRAMES 3
#define AT_TIMEOUT_FRAMES 400
#define AT_NAME "Autotest"

typedef enum at_step {
    AT_SIGN_IN, AT_CURRICULUM, AT_BRIEF, AT_WORK, AT_RESULTS, AT_DENSITY, AT_FEEDBACK,
    AT_REPLAY, AT_DONE
} at_step;

typedef struct at_state {
    char dir[900];
    FILE *log;
    at_step step;
    int frames;              /* frames in this step */
    int total_frames;
    bool acted;              /* this step's action was sent */
    bool failed;
    char why[512];
    hap_stroke *strokes;
    size_t stroke_count;
    hap_script script;
    bool script_ready, script_done;
    size_t shot;
    uint8_t *px;
    int px_w, px_h;
    bool mid_shot;
    const char *pending;     /* a screenshot to take after this frame */
    double work_skin, results_panel;
    bool visited[APP_SCREEN_COUNT];
    bool from_brief;         /* --lesson given: the run starts at the brief */
    size_t max_strokes;
} at_state;

static at_state *at_get(app_ui *app)
{
    return (at_state *)app->autotest;
}

bool app_autotest_running(const app_ui *app)
{
    return app->autotest != NULL;
}

static void at_fail(at_state *s, const char *fmt, ...)
{
    if (s->failed)
        return;
    s->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->why, sizeof s->why, fmt, ap);
    va_end(ap);
    fprintf(stderr, "stipple: autotest: %s\n", s->why);
}

/* ------------------------------------------------------------------------ */
/* Events                                                                   */
/* ------------------------------------------------------------------------ */

/* Keys go down this frame and up the next: ImGui 1.86 reads key states
 * once a frame, so a press and release in one frame would be missed. */
static SDL_Keycode at_up[16];
static int at_up_count;

static void at_key(SDL_Keycode k)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = k;
    e.key.keysym.scancode = SDL_GetScancodeFromKey(k);
    SDL_PushEvent(&e);
    if (at_up_count < 16)
        at_up[at_up_count++] = k;
}

static void at_release_keys(void)
{
    for (int i = 0; i < at_up_count; i++) {
        SDL_Event e;
        memset(&e, 0, sizeof e);
        e.type = SDL_KEYUP;
        e.key.state = SDL_RELEASED;
        e.key.keysym.sym = at_up[i];
        e.key.keysym.scancode = SDL_GetScancodeFromKey(at_up[i]);
        SDL_PushEvent(&e);
    }
    at_up_count = 0;
}

static void at_text(const char *t)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_TEXTINPUT;
    snprintf(e.text.text, sizeof e.text.text, "%s", t);
    SDL_PushEvent(&e);
}

/* ------------------------------------------------------------------------ */
/* Screenshots                                                              */
/* ------------------------------------------------------------------------ */

/* Screenshots are taken after the frame is drawn, before the swap. */
static void at_shot(app_ui *app, const char *name)
{
    at_get(app)->pending = name;
}

static void at_take(app_ui *app, const char *name)
{
    at_state *s = at_get(app);
    if (s->px_w != app->w || s->px_h != app->h) {
        free(s->px);
        s->px = malloc((size_t)app->w * app->h * 4);
        s->px_w = app->w, s->px_h = app->h;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/%02zu-%s.png", s->dir, ++s->shot, name);
    double skin = 0, panel = 0, mean[3] = {0, 0, 0};
    if (!s->px || !app_ui_screenshot(app, s->px)) {
        at_fail(s, "%s: cannot read the screen", name);
        return;
    }
    size_t n = (size_t)app->w * app->h;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = s->px + 4 * i;
        for (int k = 0; k < 3; k++)
            mean[k] += p[k];
        skin += p[0] > 110 && p[0] > p[1] + 10 && p[1] > p[2];
        /* the UI's panels: dark blue-grey, slightly blue */
        panel += p[0] < 40 && p[1] < 44 && p[2] < 50 && p[2] >= p[0] && p[0] > 12;
    }
    sim_error err;
    if (rnd_write_png(path, app->w, app->h, s->px, &err) != RND_OK)
        at_fail(s, "%s: %s", path, err.message);
    const les_grade *g = &app->attempt.grade;
    fprintf(s->log,
            "{\"step\": \"%s\", \"screen\": \"%s\", \"frame\": %d, \"impressions\": %zu, "
            "\"trace_samples\": %zu, \"graded\": %s, \"score\": %.2f, \"passed\": %s, "
            "\"feedback\": %zu, \"dot_view\": \"%s\", \"replay_dots\": %zu, \"screenshot\": \"%s\", "
            "\"skin_share\": %.4f, \"panel_share\": %.4f, \"mean_rgb\": [%.1f, %.1f, %.1f]}\n",
            name, app_screen_name(app->screen), s->total_frames, app->attempt.impressions.count,
            app->attempt.trace.count, app->have_grade ? "true" : "false",
            app->have_grade ? g->score : 0.0, app->have_grade && g->passed ? "true" : "false",
            app->feedback_count, app_dot_view_name(app->dot_view), app->replay_imps.count, path,
            skin / n, panel / n, mean[0] / n, mean[1] / n, mean[2] / n);
    fflush(s->log);
    if (app->screen == APP_SCREEN_WORK && skin / n > s->work_skin)
        s->work_skin = skin / n;
    if (app->screen == APP_SCREEN_RESULTS && panel / n > s->results_panel)
        s->results_panel = panel / n;
}

/* ------------------------------------------------------------------------ */
/* The stylus                                                               */
/* ------------------------------------------------------------------------ */

static bool at_plan(app_ui *app)
{
    at_state *s = at_get(app);
    const app_attempt *a = &app->attempt;
    if (a->lesson.zone_count == 0)
        return false;
    const les_zone *z = &a->lesson.zones[0];
    hap_plan_desc pd = {
        .density_per_cm2 = z->density_per_cm2,
        .depth_min_mm = z->depth_min_mm,
        .depth_max_mm = z->depth_max_mm,
        .shallow_share = 0.05,
        .deep_share = 0.08,
        .max_tilt_rad = sim_rad(6.0),
    };
    sim_rng rng;
    sim_rng_seed(&rng, 7, 0);
    if (hap_plan_zone(&a->surface, z->polygon, z->polygon_count, &pd, &rng, &s->strokes, &s->stroke_count) !=
        SIM_OK)
        return false;
    if (s->stroke_count > s->max_strokes)
        s->stroke_count = s->max_strokes;
    hap_script_desc sd = {.approach_mm_s = 60.0, .hover_mm = 1.0};
    hap_script_init(&s->script, &a->surface, &sd, s->strokes, s->stroke_count);
    s->script_ready = true;
    return true;
}

size_t app_autotest_samples(app_ui *app, sim_sample *out, size_t max)
{
    at_state *s = at_get(app);
    if (!s || !s->script_ready || s->script_done)
        return 0;
    size_t n = 0;
    while (n < max && n < AT_SAMPLES_PER_FRAME) {
        if (!hap_script_next(&s->script, &out[n])) {
            s->script_done = true;
            break;
        }
        n++;
    }
    return n;
}

/* ------------------------------------------------------------------------ */
/* The run                                                                  */
/* ------------------------------------------------------------------------ */

int app_autotest_begin(app_ui *app)
{
    at_state *s = calloc(1, sizeof *s);
    if (!s)
        return APP_EXIT_FAIL;
    snprintf(s->dir, sizeof s->dir, "%s", app->opt.autotest_dir);
    if (mkdir(s->dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "stipple: %s: cannot create: %s\n", s->dir, strerror(errno));
        free(s);
        return APP_EXIT_FAIL;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/autotest.jsonl", s->dir);
    s->log = fopen(path, "w");
    if (!s->log) {
        fprintf(stderr, "stipple: %s: cannot create: %s\n", path, strerror(errno));
        free(s);
        return APP_EXIT_FAIL;
    }
    static char trace[1024];
    snprintf(trace, sizeof trace, "%s/autotest.trace", s->dir);
    app->opt.trace_out = trace;
    /* pictures of a fuller session (the README's): STIPPLE_AUTOTEST_STROKES */
    const char *ms = getenv("STIPPLE_AUTOTEST_STROKES");
    s->max_strokes = ms && atol(ms) > 0 ? (size_t)atol(ms) : AT_MAX_STROKES;
    if (app->screen == APP_SCREEN_BRIEF) {
        s->from_brief = true;
        s->step = AT_BRIEF;
    }
    app->autotest = s;
    return APP_EXIT_OK;
}

/* Moves to `next` once the app shows `want`; fails after a timeout. */
static bool at_wait(app_ui *app, app_screen want, const char *what)
{
    at_state *s = at_get(app);
    if (app->screen == want)
        return true;
    if (s->frames > AT_TIMEOUT_FRAMES)
        at_fail(s, "%s: the %s screen never came (stuck on %s)", what, app_screen_name(want),
                app_screen_name(app->screen));
    return false;
}

static void at_next(at_state *s, at_step next)
{
    s->step = next;
    s->frames = 0;
    s->acted = false;
}

bool app_autotest_step(app_ui *app)
{
    at_state *s = at_get(app);
    s->frames++;
    s->total_frames++;
    s->visited[app->screen] = true;
    at_release_keys();
    if (s->failed)
        return false;
    /* each step: wait for its screen, let it settle, take its picture,
     * then (the next frame) act */
    int f = s->frames;
    const int SHOT = AT_SETTLE_FRAMES, ACT = AT_SETTLE_FRAMES + 1;
    switch (s->step) {
    case AT_SIGN_IN:
        if (!at_wait(app, APP_SCREEN_SIGN_IN, "start"))
            break;
        if (f == SHOT)
            at_shot(app, "sign-in");
        else if (f == ACT)
            at_text(AT_NAME);
        else if (f == ACT + 2) {
            at_key(SDLK_RETURN);
            at_next(s, AT_CURRICULUM);
        }
        break;
    case AT_CURRICULUM:
        if (!at_wait(app, APP_SCREEN_CURRICULUM, "sign-in"))
            break;
        if (f == SHOT) {
            if (strstr(app->trainee, AT_NAME) == NULL)
                at_fail(s, "the typed name did not reach the sign-in field ('%s')", app->trainee);
            at_shot(app, "curriculum");
        } else if (f == ACT) {
            /* the first lesson (the pad) is always unlocked */
            for (int i = app->selected; i > 0; i--)
                at_key(SDLK_UP);
            at_key(SDLK_RETURN);
            at_next(s, AT_BRIEF);
        }
        break;
    case AT_BRIEF:
        if (!at_wait(app, APP_SCREEN_BRIEF, "curriculum"))
            break;
        if (f == SHOT) {
            at_shot(app, "brief");
        } else if (f == ACT) {
            at_key(SDLK_RETURN); /* undecided: the brief asks for a decision first */
        } else if (f == ACT + 2) {
            if (app->screen != APP_SCREEN_BRIEF)
                at_fail(s, "the session started with no intake decision");
            at_key(SDLK_t);
            at_key(SDLK_RETURN);
            at_next(s, AT_WORK);
        }
        break;
    case AT_WORK:
        if (!at_wait(app, APP_SCREEN_WORK, "brief"))
            break;
        if (!s->script_ready && !at_plan(app)) {
            at_fail(s, "cannot plan strokes over the lesson's first zone");
            break;
        }
        if (!s->mid_shot && app->attempt.impressions.count >= s->stroke_count / 2) {
            at_shot(app, "work");
            s->mid_shot = true;
        } else if (s->script_done && !s->acted) {
            at_shot(app, "work-done");
            s->acted = true;
        } else if (s->acted) {
            at_key(SDLK_f);
            at_next(s, AT_RESULTS);
        }
        break;
    case AT_RESULTS:
        if (!at_wait(app, APP_SCREEN_RESULTS, "finish"))
            break;
        if (f == SHOT)
            at_shot(app, "results");
        else if (f == ACT) {
            at_key(SDLK_d);
            at_next(s, AT_DENSITY);
        }
        break;
    case AT_DENSITY:
        if (f == SHOT)
            at_shot(app, "density");
        else if (f == ACT) {
            at_key(SDLK_h);
            at_key(SDLK_DOWN);
            at_next(s, AT_FEEDBACK);
        }
        break;
    case AT_FEEDBACK:
        if (f == 60)
            at_shot(app, "feedback-place");
        else if (f == 61) {
            at_key(SDLK_r);
            at_key(SDLK_RIGHTBRACKET); /* 4x -> 8x: about 2 s of replay */
            at_next(s, AT_REPLAY);
        }
        break;
    case AT_REPLAY:
        if (!at_wait(app, APP_SCREEN_REPLAY, "results"))
            break;
        if (f == 6)
            at_shot(app, "replay");
        else if (f > 6 && !app->replay_playing && !s->acted) {
            if (app->replay_imps.count != app->attempt.impressions.count)
                at_fail(s, "the replay ended with %zu impressions, the session had %zu",
                        app->replay_imps.count, app->attempt.impressions.count);
            at_shot(app, "replay-end");
            s->acted = true;
        } else if (s->acted) {
            at_key(SDLK_ESCAPE);
            at_next(s, AT_DONE);
        } else if (f > AT_TIMEOUT_FRAMES * 2) {
            at_fail(s, "the replay never ended");
        }
        break;
    case AT_DONE:
        if (f > AT_SETTLE_FRAMES)
            return false;
        break;
    }
    return !s->failed;
}

void app_autotest_after_frame(app_ui *app)
{
    at_state *s = at_get(app);
    if (s->pending) {
        at_take(app, s->pending);
        s->pending = NULL;
    }
}

/* The journalled trace, read back and extracted again, gives the same
 * impressions the live session had: the trace is the source of truth. */
static void at_check_trace(app_ui *app, at_state *s)
{
    sim_trace t;
    sim_trace_init(&t);
    sim_error err;
    if (sim_trace_load(&t, app->journal_path, &err) != SIM_OK) {
        at_fail(s, "the journal %s does not read back: %s", app->journal_path, err.message);
        return;
    }
    sim_impression_list l;
    sim_impression_list_init(&l);
    sim_impressions_from_trace(&app->attempt.surface, &t, NULL, &l);
    if (t.count != app->attempt.trace.count)
        at_fail(s, "the journal holds %zu samples, the session recorded %zu", t.count, app->attempt.trace.count);
    else if (l.count != app->attempt.impressions.count)
        at_fail(s, "the journal re-extracts to %zu impressions, the session had %zu", l.count,
                app->attempt.impressions.count);
    else
        for (size_t i = 0; i < l.count; i++)
            if (memcmp(&l.items[i], &app->attempt.impressions.items[i], sizeof l.items[i]) != 0) {
                at_fail(s, "impression %zu differs after re-extraction", i);
                break;
            }
    sim_impression_list_deinit(&l);
    sim_trace_deinit(&t);
}

bool app_autotest_end(app_ui *app)
{
    at_state *s = at_get(app);
    if (!s)
        return false;
    if (!s->failed && s->step != AT_DONE)
        at_fail(s, "the run stopped at step %d", (int)s->step);
    for (int k = 0; k < APP_SCREEN_COUNT && !s->failed; k++)
        if (!s->visited[k] && !(s->from_brief && k < APP_SCREEN_BRIEF))
            at_fail(s, "the %s screen was never shown", app_screen_name((app_screen)k));
    if (!s->failed) {
        if (app->attempt.impressions.count < 20)
            at_fail(s, "only %zu impressions were placed", app->attempt.impressions.count);
        else if (!app->have_grade)
            at_fail(s, "the attempt was not graded");
        else if (app->feedback_count == 0)
            at_fail(s, "the results gave no feedback");
        else if (s->work_skin < 0.15)
            at_fail(s, "the work screen shows little skin (%.1f%% of pixels)", 100 * s->work_skin);
        else if (s->results_panel < 0.05)
            at_fail(s, "the results screen shows no panel (%.1f%% of pixels)", 100 * s->results_panel);
    }
    if (!s->failed)
        at_check_trace(app, s);
    fprintf(s->log, "{\"step\": \"end\", \"ok\": %s, \"why\": \"%s\", \"frames\": %d, \"impressions\": %zu, "
                    "\"score\": %.2f}\n",
            s->failed ? "false" : "true", s->why, s->total_frames, app->attempt.impressions.count,
            app->have_grade ? app->attempt.grade.score : 0.0);
    fclose(s->log);
    bool ok = !s->failed;
    sim_free(s->strokes);
    free(s->px);
    free(s);
    app->autotest = NULL;
    return ok;
}
