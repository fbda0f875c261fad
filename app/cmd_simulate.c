/* cmd_simulate.c: `stipple` with no command: the interactive simulator.
 *
 * An SDL2 window with an OpenGL 3.3 core context shows the lesson's surface.
 * With no stylus plugged in, the mouse stands in for it: the cursor aims
 * the needle at the skin, the left button runs the machine and pushes the
 * needle in to the set depth (wheel or +/- change it), holding and moving
 * drags it. Every sample goes into the trace, journalled to disk at least
 * once a second; impressions appear as they are made; the healed view and
 * the grade come from the same trace.
 *
 * Threads: main thread only (SDL events, GL, journal).
 */
#include <SDL.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "app_input.h"
#include "app_session.h"
#include "rnd.h"

static const char SIM_HELP[] =
    "usage: stipple [--lesson LESSON.yaml] [--trace-out FILE] [--device auto|mouse|tablet|falcon]\n"
    "\n"
    "Starts the simulator (default lesson: pad-even-spacing). With no stylus,\n"
    "the mouse is the needle:\n"
    "  left button        run the machine and push the needle in (hold and move: drag)\n"
    "  wheel, + / -       needle depth (0.05 mm steps)\n"
    "  right drag         orbit the camera;  ctrl + wheel: zoom\n"
    "  H                  healed view (how the dots look a month later)\n"
    "  O                  zone overlays on / off\n"
    "  G                  grade the attempt so far (printed on the terminal)\n"
    "  R                  reset the camera\n"
    "  Esc, Q             finish: the trace is saved and graded\n"
    "\n"
    "  --lesson FILE      the lesson to practise\n"
    "  --trace-out FILE   where to journal the trace (default: under\n"
    "                     $XDG_DATA_HOME/stipple/attempts/)\n"
    "  --device NAME      the stylus: auto (a Falcon, else a pen tablet, else the\n"
    "                     mouse), mouse, tablet or falcon\n"
    "  --firmware FILE    the Novint Falcon's firmware (not shipped with Stipple)\n"
    "  --calibration FILE a saved device calibration (see docs/haptics.md)\n"
    "\n"
    "With no display, use `stipple demo` for a headless attempt.\n";

#define SIM_DEPTH_STEP_MM 0.05
#define SIM_DEPTH_MAX_MM 3.0
#define SIM_HOVER_MM 2.0
#define SIM_FORCE_N_PER_MM 0.8

typedef struct sim_app {
    app_attempt attempt;
    SDL_Window *window;
    SDL_GLContext gl;
    rnd_renderer *renderer;
    rnd_camera camera;
    sim_trace_writer journal;
    bool journal_open;
    char journal_path[1024];
    sim_extractor extractor;
    app_input input;
    sim_sample drained[4096];
    double depth_mm;
    bool machine;            /* left button held */
    bool healed_view, overlays;
    int mouse_x, mouse_y;
    uint64_t start_ticks;
    uint64_t last_flush_ticks;
    bool have_tip;
    sim_surface_hit aim;     /* the skin point under the cursor */
} sim_app;

static bool display_available(void)
{
    const char *drv = getenv("SDL_VIDEODRIVER");
    if (drv && *drv)
        return true;   /* the caller chose a driver (offscreen in tests) */
    return (getenv("DISPLAY") && *getenv("DISPLAY")) ||
           (getenv("WAYLAND_DISPLAY") && *getenv("WAYLAND_DISPLAY"));
}

static int no_display(const char *why)
{
    fprintf(stderr,
            "stipple: no display available (%s): the simulator needs a desktop; "
            "run `stipple demo` for a headless attempt\n",
            why);
    return APP_EXIT_FAIL;
}

static int open_journal(sim_app *app, const char *path)
{
    if (path) {
        snprintf(app->journal_path, sizeof app->journal_path, "%s", path);
    } else {
        char dir[900];
        if (app_data_subdir(dir, sizeof dir, "attempts") != 0) {
            fprintf(stderr, "stipple: %s: cannot create the attempts folder: %s\n", dir, strerror(errno));
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
    h.sample_rate_hz = 1000;   /* the servo thread samples every device at 1 kHz */
    memcpy(h.lesson_hash, app->attempt.lesson.hash, 32);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    h.start_unix_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    snprintf(h.device, sizeof h.device, "%.60s", app->input.name);
    sim_error err;
    if (sim_trace_writer_open(&app->journal, app->journal_path, &h, 0, &err) != SIM_OK) {
        app_print_error(&err);
        sim_trace_writer_close(&app->journal, NULL);
        return APP_EXIT_FAIL;
    }
    app->journal_open = true;
    return APP_EXIT_OK;
}

/* Aims at the skin under the cursor. */
static void update_aim(sim_app *app)
{
    int w, h;
    SDL_GL_GetDrawableSize(app->window, &w, &h);
    int ww, wh;
    SDL_GetWindowSize(app->window, &ww, &wh);
    double sx = ww > 0 ? (double)w / ww : 1.0, sy = wh > 0 ? (double)h / wh : 1.0;
    sim_vec3 origin, dir;
    rnd_camera_ray(&app->camera, &app->attempt.surface, w, h, app->mouse_x * sx, app->mouse_y * sy,
                   &origin, &dir);
    app->have_tip = sim_surface_raycast(&app->attempt.surface, origin, dir, &app->aim);
}

static void show_dots(sim_app *app)
{
    size_t n = app->attempt.impressions.count;
    rnd_dot *dots = sim_calloc(n ? n : 1, sizeof *dots);
    sim_healed_dot *healed = sim_calloc(n ? n : 1, sizeof *healed);
    if (dots && healed) {
        sim_heal_all(app->attempt.impressions.items, n, NULL, healed);
        rnd_dots_from_impressions(app->attempt.impressions.items, app->healed_view ? healed : NULL, n,
                                  app->healed_view ? RND_DOTS_HEALED : RND_DOTS_FRESH, dots);
        rnd_renderer_set_dots(app->renderer, dots, n);
    }
    sim_free(dots);
    sim_free(healed);
}

/* Tells the mouse backend where the needle is aimed this frame. */
static void feed_mouse(sim_app *app)
{
    hap_mouse_input m = {
        .valid = app->have_tip,
        .point_mm = app->aim.point_mm,
        .normal = app->aim.normal,
        .axis = app->aim.normal,
        .depth_mm = app->machine ? app->depth_mm : -SIM_HOVER_MM,
        .buttons = app->machine ? SIM_BUTTON_MACHINE : 0,
    };
    app_input_feed_mouse(&app->input, &m);
}

/* Records one sample: trace, journal, live impressions and dots. */
static void record_sample(sim_app *app, const sim_sample *s)
{
    sim_error err;
    if (sim_trace_push(&app->attempt.trace, s) != SIM_OK ||
        sim_trace_writer_append(&app->journal, s, &err) != SIM_OK) {
        /* the in-memory trace still holds the sample; keep working and say so */
        fprintf(stderr, "stipple: warning: the trace journal could not be written: %s\n", err.message);
    }
    sim_impression imp;
    bool done;
    sim_extractor_feed(&app->extractor, s, &imp, &done);
    if (done && sim_impression_list_push(&app->attempt.impressions, &imp) == SIM_OK) {
        rnd_dot dot;
        sim_healed_dot healed;
        sim_heal_one(&imp, NULL, &healed);
        rnd_dots_from_impressions(&imp, &healed, 1, app->healed_view ? RND_DOTS_HEALED : RND_DOTS_FRESH,
                                  &dot);
        rnd_renderer_add_dots(app->renderer, &dot, 1);
    }
}

/* Everything the servo thread sampled since the last frame. */
static void record_samples(sim_app *app)
{
    size_t n;
    while ((n = app_input_drain(&app->input, app->drained, sizeof app->drained / sizeof app->drained[0])) > 0)
        for (size_t i = 0; i < n; i++)
            record_sample(app, &app->drained[i]);
}

static void update_title(sim_app *app)
{
    char title[512];
    snprintf(title, sizeof title, "Stipple - %s - needle %.2f mm - %zu dots%s%s", app->attempt.lesson.title,
             app->depth_mm, app->attempt.impressions.count, app->machine ? " - MACHINE ON" : "",
             app->healed_view ? " - healed view" : "");
    SDL_SetWindowTitle(app->window, title);
}

static void print_grade(sim_app *app)
{
    app_attempt *a = &app->attempt;
    if (a->have_grade) {
        les_grade_deinit(&a->grade);
        a->have_grade = false;
    }
    sim_free(a->healed);
    a->healed = NULL;
    if (app_attempt_grade(a) != APP_EXIT_OK)
        return;
    printf("score %.1f (%s): depth %.1f (%zu in band, %zu shallow, %zu deep), density %.1f (%.1f of %.1f "
           "dots/cm2)\n",
           a->grade.score, a->grade.passed ? "passed" : "not passed", a->grade.depth.score,
           a->grade.depth.in_band, a->grade.depth.too_shallow, a->grade.depth.too_deep,
           a->grade.density.score, a->grade.density.per_cm2, a->grade.density.target_per_cm2);
    fflush(stdout);
}

static void set_depth(sim_app *app, double depth)
{
    app->depth_mm = depth < 0 ? 0 : (depth > SIM_DEPTH_MAX_MM ? SIM_DEPTH_MAX_MM : depth);
}

/* Handles one event; false when the trainee finishes. */
static bool handle_event(sim_app *app, const SDL_Event *e)
{
    switch (e->type) {
    case SDL_QUIT:
        return false;
    case SDL_KEYDOWN:
        switch (e->key.keysym.sym) {
        case SDLK_ESCAPE:
        case SDLK_q: return false;
        case SDLK_h:
            app->healed_view = !app->healed_view;
            show_dots(app);
            break;
        case SDLK_o: app->overlays = !app->overlays; break;
        case SDLK_g: print_grade(app); break;
        case SDLK_r: app->camera = rnd_camera_frame(&app->attempt.surface); break;
        case SDLK_PLUS:
        case SDLK_EQUALS:
        case SDLK_KP_PLUS: set_depth(app, app->depth_mm + SIM_DEPTH_STEP_MM); break;
        case SDLK_MINUS:
        case SDLK_KP_MINUS: set_depth(app, app->depth_mm - SIM_DEPTH_STEP_MM); break;
        default: break;
        }
        break;
    case SDL_MOUSEMOTION:
        app->mouse_x = e->motion.x;
        app->mouse_y = e->motion.y;
        if (e->motion.state & SDL_BUTTON_RMASK)
            rnd_camera_orbit(&app->camera, -e->motion.xrel * 0.006, e->motion.yrel * 0.006);
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT)
            app->machine = true;
        break;
    case SDL_MOUSEBUTTONUP:
        if (e->button.button == SDL_BUTTON_LEFT)
            app->machine = false;
        break;
    case SDL_MOUSEWHEEL:
        if (SDL_GetModState() & KMOD_CTRL) {
            /* zoom toward the skin under the cursor, not the framing target */
            if (app->have_tip)
                rnd_camera_look_at(&app->camera, &app->attempt.surface, app->aim.point_mm);
            rnd_camera_zoom(&app->camera, e->wheel.y > 0 ? 0.85 : 1.0 / 0.85);
        }
        else
            set_depth(app, app->depth_mm + SIM_DEPTH_STEP_MM * e->wheel.y);
        break;
    default:
        break;
    }
    return true;
}

static void frame(sim_app *app)
{
    int w, h;
    SDL_GL_GetDrawableSize(app->window, &w, &h);
    update_aim(app);
    feed_mouse(app);
    record_samples(app);
    rnd_frame f = {
        .width = w,
        .height = h,
        .camera = app->camera,
        .lesson = &app->attempt.lesson,
        .show_overlays = app->overlays,
        .show_tip = app->have_tip,
        .tip_in_skin = app->machine,
    };
    if (app->input.kind == HAP_BACKEND_MOUSE) {
        if (app->have_tip)
            f.tip_mm = sim_v3_sub(app->aim.point_mm,
                                  sim_v3_scale(app->aim.normal, app->machine ? app->depth_mm : 0.0));
    } else {
        hap_servo_status st;
        app_input_status(&app->input, &st);
        f.show_tip = true;
        f.tip_mm = st.tip_mm;
        f.tip_in_skin = st.contact.phase == HAP_CONTACT_TISSUE;
    }
    rnd_renderer_draw(app->renderer, &f);
    SDL_GL_SwapWindow(app->window);
    uint64_t now = SDL_GetTicks64();
    if (now - app->last_flush_ticks >= 1000) {
        sim_error err;
        if (sim_trace_writer_flush(&app->journal, true, &err) != SIM_OK)
            fprintf(stderr, "stipple: warning: %s\n", err.message);
        app->last_flush_ticks = now;
        update_title(app);
    }
}

/* The middle of the first zone on the skin: where a force device's
 * workspace is centred by default. */
static sim_vec3 work_centre(const app_attempt *a)
{
    const les_zone *z = &a->lesson.zones[0];
    sim_vec2 c = sim_v2(0, 0);
    for (size_t i = 0; i < z->polygon_count; i++)
        c.x += z->polygon[i].x / (double)z->polygon_count, c.y += z->polygon[i].y / (double)z->polygon_count;
    sim_surface_hit hit;
    if (sim_surface_from_chart(&a->surface, c, &hit))
        return hit.point_mm;
    return sim_v3(0, 0, 0);
}

static int open_window(sim_app *app)
{
    if (SDL_Init(SDL_INIT_VIDEO) != 0)
        return no_display(SDL_GetError());
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 24);
    SDL_GL_SetAttribute(SDL_GL_MULTISAMPLESAMPLES, 4);
    SDL_GL_SetAttribute(SDL_GL_MULTISAMPLEBUFFERS, 1);
    app->window = SDL_CreateWindow("Stipple", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1280, 800,
                                   SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!app->window) {
        /* retry without multisampling (software renderers may refuse it) */
        SDL_GL_SetAttribute(SDL_GL_MULTISAMPLESAMPLES, 0);
        SDL_GL_SetAttribute(SDL_GL_MULTISAMPLEBUFFERS, 0);
        app->window = SDL_CreateWindow("Stipple", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1280, 800,
                                       SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE);
    }
    if (!app->window)
        return no_display(SDL_GetError());
    app->gl = SDL_GL_CreateContext(app->window);
    if (!app->gl) {
        fprintf(stderr, "stipple: cannot create an OpenGL 3.3 core context: %s\n", SDL_GetError());
        return APP_EXIT_FAIL;
    }
    SDL_GL_SetSwapInterval(1);
    sim_error err;
    sim_error_clear(&err);
    if (rnd_renderer_create(&app->renderer, &err) != RND_OK ||
        rnd_renderer_set_surface(app->renderer, &app->attempt.surface) != RND_OK) {
        app_print_error(&err);
        return APP_EXIT_FAIL;
    }
    return APP_EXIT_OK;
}

static void close_all(sim_app *app)
{
    app_input_close(&app->input);
    if (app->renderer)
        rnd_renderer_destroy(app->renderer);
    if (app->gl)
        SDL_GL_DeleteContext(app->gl);
    if (app->window)
        SDL_DestroyWindow(app->window);
    SDL_Quit();
    app_attempt_deinit(&app->attempt);
}

/* Runs for at most max_frames frames (0: until the trainee quits). */
static int simulate(const char *lesson, const char *trace_out, const app_input_desc *input_desc,
                    long max_frames)
{
    if (!display_available())
        return no_display("DISPLAY and WAYLAND_DISPLAY are unset");
    static sim_app app;
    memset(&app, 0, sizeof app);
    app_attempt_init(&app.attempt);
    app.depth_mm = 0.8;
    app.overlays = true;
    int rc = app_attempt_load_lesson(&app.attempt, lesson);
    if (rc == APP_EXIT_OK)
        rc = open_window(&app);
    if (rc == APP_EXIT_OK) {
        app_input_desc d = *input_desc;
        d.surface = &app.attempt.surface;
        d.work_centre_mm = work_centre(&app.attempt);
        rc = app_input_open(&app.input, &d);
    }
    if (rc == APP_EXIT_OK)
        rc = open_journal(&app, trace_out);
    if (rc != APP_EXIT_OK) {
        close_all(&app);
        return rc;
    }
    app.camera = rnd_camera_frame(&app.attempt.surface);
    sim_extractor_init(&app.extractor, &app.attempt.surface, NULL);
    app.start_ticks = app.last_flush_ticks = SDL_GetTicks64();
    update_title(&app);
    printf("stipple: %s - %s - journalling to %s\n", app.attempt.lesson.title, app.input.note,
           app.journal_path);
    fflush(stdout);
    bool running = true;
    for (long n = 0; running && (max_frames == 0 || n < max_frames); n++) {
        SDL_Event e;
        while (SDL_PollEvent(&e))
            running = running && handle_event(&app, &e);
        frame(&app);
    }
    /* stop the stylus, then keep every sample it recorded */
    app_input_stop(&app.input);
    record_samples(&app);
    sim_impression imp;
    if (sim_extractor_finish(&app.extractor, &imp))
        sim_impression_list_push(&app.attempt.impressions, &imp);
    sim_error err;
    if (sim_trace_writer_close(&app.journal, &err) != SIM_OK)
        app_print_error(&err);
    print_grade(&app);
    printf("stipple: trace saved to %s\n", app.journal_path);
    close_all(&app);
    return APP_EXIT_OK;
}

static int simulate_run(int argc, char **argv)
{
    if (app_wants_help(argc, argv)) {
        fputs(SIM_HELP, stdout);
        return APP_EXIT_OK;
    }
    static const struct option opts[] = {
        {"lesson", required_argument, NULL, 'l'},
        {"trace-out", required_argument, NULL, 't'},
        {"frames", required_argument, NULL, 'f'},   /* testing: stop after N frames */
        {"device", required_argument, NULL, 'd'},
        {"firmware", required_argument, NULL, 'w'},
        {"calibration", required_argument, NULL, 'c'},
        {0, 0, 0, 0},
    };
    const char *lesson = app_default_lesson(), *trace_out = NULL;
    long frames = 0;
    app_input_desc input = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'l': lesson = optarg; break;
        case 't': trace_out = optarg; break;
        case 'f': frames = strtol(optarg, NULL, 10); break;
        case 'd': input.device = optarg; break;
        case 'w': input.firmware_path = optarg; break;
        case 'c': input.calibration_path = optarg; break;
        default:
            return app_usage_error("unknown or incomplete option '%s' (see 'stipple --help')", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return app_usage_error("unexpected argument '%s' (see 'stipple --help')", argv[optind]);
    return simulate(lesson, trace_out, &input, frames);
}

const app_command app_cmd_simulate = {"simulate", "the simulator (the default: `stipple` alone)", simulate_run};
