/* cmd_render.c: `stipple render`: a picture of an attempt, headless.
 *
 * Loads the lesson and the attempt (a trace or an impressions CSV), heals
 * and grades it, and renders one view in one mode offscreen (EGL, no
 * display needed) to a PNG: the fresh work, the healed result, the result
 * years on, or a density or depth heatmap over the healed result. For
 * reports, the README's screenshots and the golden-image tests.
 *
 * Threads: main thread only.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "app_dots.h"
#include "app_session.h"
#include "rnd.h"

static const char RENDER_HELP[] =
    "usage: stipple render --lesson LESSON.yaml (--trace FILE | --impressions CSV)\n"
    "                      --out FILE.png [--view VIEW] [--mode MODE] [--size WxH]\n"
    "                      [--overlays] [--samples N]\n"
    "\n"
    "Renders an attempt to a PNG with no display (offscreen OpenGL).\n"
    "\n"
    "  --lesson FILE       the lesson the attempt was made on\n"
    "  --trace FILE        the attempt's trace (the source of truth), or\n"
    "  --impressions CSV   impressions as x_mm,y_mm,z_mm,depth_mm[,needle,...]\n"
    "  --out FILE.png      where to write the picture\n"
    "  --view VIEW         framed (default), front, left, right, top, crown,\n"
    "                      back, hairline (at eye level) or pad\n"
    "  --mode MODE         fresh: the dots as just placed (default)\n"
    "                      healed: about a month later (the healing model)\n"
    "                      aged: ten years on (fading, spreading, hair loss)\n"
    "                      density: dots/cm2 against each zone's target over\n"
    "                               the healed result (blue sparse, green on\n"
    "                               target, red dense, magenta outside zones)\n"
    "                      depth: share too shallow (amber, will fade), in the\n"
    "                             band (green), too deep (violet, blowout)\n"
    "  --size WxH          pixels, 16 to 8192 (default 1280x800)\n"
    "  --overlays          draw the lesson's zones and target hairline\n"
    "  --samples N         antialiasing samples per pixel, 1 to 16 (default 4)\n";

typedef enum render_mode { MODE_FRESH, MODE_HEALED, MODE_AGED, MODE_DENSITY, MODE_DEPTH } render_mode;

static const char *const MODE_NAMES[] = {"fresh", "healed", "aged", "density", "depth"};

typedef struct render_opts {
    const char *lesson, *trace, *csv, *out;
    rnd_view view;
    render_mode mode;
    int width, height, samples;
    bool overlays;
} render_opts;

static int parse(int argc, char **argv, render_opts *o)
{
    static const struct option opts[] = {
        {"lesson", required_argument, NULL, 'l'},
        {"trace", required_argument, NULL, 't'},
        {"impressions", required_argument, NULL, 'i'},
        {"out", required_argument, NULL, 'o'},
        {"view", required_argument, NULL, 'v'},
        {"mode", required_argument, NULL, 'm'},
        {"size", required_argument, NULL, 'z'},
        {"samples", required_argument, NULL, 's'},
        {"overlays", no_argument, NULL, 'O'},
        {0, 0, 0, 0},
    };
    memset(o, 0, sizeof *o);
    o->width = 1280, o->height = 800, o->samples = 4;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'l': o->lesson = optarg; break;
        case 't': o->trace = optarg; break;
        case 'i': o->csv = optarg; break;
        case 'o': o->out = optarg; break;
        case 'O': o->overlays = true; break;
        case 'v':
            if (!rnd_view_parse(optarg, &o->view))
                return app_usage_error("render: unknown view '%s' (framed, front, left, right, top, "
                                       "crown, back, hairline, pad)", optarg);
            break;
        case 'm': {
            size_t k = 0;
            while (k < sizeof MODE_NAMES / sizeof MODE_NAMES[0] && strcmp(optarg, MODE_NAMES[k]) != 0)
                k++;
            if (k == sizeof MODE_NAMES / sizeof MODE_NAMES[0])
                return app_usage_error("render: unknown mode '%s' (fresh, healed, aged, density, depth)",
                                       optarg);
            o->mode = (render_mode)k;
            break;
        }
        case 'z': {
            char tail;
            if (sscanf(optarg, "%dx%d%c", &o->width, &o->height, &tail) != 2 || o->width < 16 ||
                o->height < 16 || o->width > 8192 || o->height > 8192)
                return app_usage_error("render: --size takes WxH between 16 and 8192, got '%s'", optarg);
            break;
        }
        case 's': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || !*optarg || n < 1 || n > 16)
                return app_usage_error("render: --samples takes 1 to 16, got '%s'", optarg);
            o->samples = (int)n;
            break;
        }
        default:
            return app_usage_error("render: unknown or incomplete option '%s' (see 'stipple render --help')",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return app_usage_error("render: unexpected argument '%s'", argv[optind]);
    if (!o->lesson)
        return app_usage_error("render: --lesson is required (see 'stipple render --help')");
    if (!o->out)
        return app_usage_error("render: --out is required (see 'stipple render --help')");
    if ((o->trace != NULL) == (o->csv != NULL))
        return app_usage_error("render: give exactly one of --trace and --impressions");
    return APP_EXIT_OK;
}

static int render_attempt(const app_attempt *a, const render_opts *o)
{
    size_t n = a->impressions.count;
    rnd_dot *dots = sim_calloc(n ? n : 1, sizeof *dots);
    if (!dots) {
        fprintf(stderr, "stipple: out of memory for %zu dots\n", n);
        return APP_EXIT_FAIL;
    }
    app_dot_look look = o->mode == MODE_FRESH ? APP_LOOK_FRESH
                        : o->mode == MODE_AGED ? APP_LOOK_AGED
                                               : APP_LOOK_HEALED;
    if (app_dots_make(a, a->impressions.items, n, look, dots) != APP_EXIT_OK) {
        sim_free(dots);
        return APP_EXIT_FAIL;
    }
    float skin[3];
    app_skin_rgb(a, skin);
    rnd_heatmap heat;
    memset(&heat, 0, sizeof heat);
    int rc = APP_EXIT_OK;
    if (o->mode == MODE_DENSITY || o->mode == MODE_DEPTH) {
        rnd_heat_kind kind = o->mode == MODE_DENSITY ? RND_HEAT_DENSITY : RND_HEAT_DEPTH;
        /* the grader's maps (what the grade counted); else from the impressions */
        rnd_result hr = rnd_heatmap_from_grade(&a->surface, &a->grade.heatmap, kind, &heat);
        if (hr == RND_ERR_ARG)
            hr = rnd_heatmap_build(&a->surface, &a->lesson, a->impressions.items, n, kind, &heat);
        if (hr != RND_OK) {
            fprintf(stderr, "stipple: render: cannot build the heatmap (%s)\n", rnd_result_message(hr));
            rc = APP_EXIT_FAIL;
        }
    }
    rnd_camera cam = rnd_camera_preset(&a->surface, &a->lesson, o->view);
    rnd_picture_desc d;
    memset(&d, 0, sizeof d);
    d.path = o->out;
    d.width = o->width;
    d.height = o->height;
    d.surface = &a->surface;
    d.lesson = o->overlays ? &a->lesson : NULL;
    d.dots = dots;
    d.dot_count = n;
    d.camera = &cam;
    d.samples = o->samples;
    d.heatmap = heat.rgba ? &heat : NULL;
    d.skin_rgb = skin;
    sim_error err;
    sim_error_clear(&err);
    if (rc == APP_EXIT_OK && rnd_render_picture(&d, &err) != RND_OK) {
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%s", o->out);
        app_print_error(&err);
        rc = APP_EXIT_FAIL;
    }
    rnd_heatmap_free(&heat);
    sim_free(dots);
    return rc;
}

static int render_run(int argc, char **argv)
{
    if (app_wants_help(argc, argv)) {
        fputs(RENDER_HELP, stdout);
        return APP_EXIT_OK;
    }
    render_opts o;
    int rc = parse(argc, argv, &o);
    if (rc != APP_EXIT_OK)
        return rc;
    app_attempt a;
    app_attempt_init(&a);
    rc = app_attempt_load_lesson(&a, o.lesson);
    if (rc == APP_EXIT_OK)
        rc = o.trace ? app_attempt_load_trace(&a, o.trace) : app_attempt_load_csv(&a, o.csv);
    if (rc == APP_EXIT_OK)
        rc = app_attempt_grade(&a);
    if (rc == APP_EXIT_OK)
        rc = render_attempt(&a, &o);
    if (rc == APP_EXIT_OK)
        printf("render: %s, %zu impressions, %s view, %s: %s\n", a.lesson.id, a.impressions.count,
               rnd_view_name(o.view), MODE_NAMES[o.mode], o.out);
    app_attempt_deinit(&a);
    return rc;
}

const app_command app_cmd_render = {"render", "render an attempt to a PNG headless (views, healed, heatmaps)",
                                    render_run};
