/* cmd_heal.c: `stipple heal`: heals (and optionally ages) an attempt's
 * impressions on the lesson's tissue and renders the result headless; with
 * --json prints every impression's healed state in input order.
 *
 * Each --trace or --impressions is one treatment session, in the order
 * given: a later session is placed on the healed earlier ones.
 *
 * Threads: main thread only.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "app_session.h"
#include "les_json.h"
#include "les_profiles.h"
#include "rnd.h"
#include "sim_age.h"

#define HEAL_MAX_SESSIONS 8
/* FIDELITY.md: the default depth band, used outside every zone. */
#define HEAL_DEFAULT_BAND_MIN_MM 0.5
#define HEAL_DEFAULT_BAND_MAX_MM 1.2
/* Dots an aging projection flags are drawn in these colours (linear RGB):
 * red in front of a natural hairline, amber where native hair recedes. */
static const float HEAL_BEYOND_RGB[3] = {0.60f, 0.03f, 0.02f};
static const float HEAL_EXPOSED_RGB[3] = {0.70f, 0.35f, 0.02f};
/* Room around the dots when a head picture is framed on them. */
#define HEAL_FIT_MARGIN 1.15
#define HEAL_FLAG_ALPHA 0.9f

static const char HEAL_HELP[] =
    "usage: stipple heal --lesson LESSON.yaml (--trace FILE | --impressions FILE.csv)...\n"
    "                    [--years N] [--pigment NAME]... [--machine NAME]\n"
    "                    --out FILE.png [--json] [--size WxH] [--no-flags]\n"
    "\n"
    "Heals an attempt's impressions on the lesson's tissue (skin layers, scars,\n"
    "native hair, skin type; docs/fidelity.md) and renders the healed result\n"
    "headless. Give --trace or --impressions once per treatment session, in\n"
    "order: a later session is placed on the healed earlier ones.\n"
    "\n"
    "  --lesson FILE        the lesson (YAML), with its optional `tissue:`\n"
    "  --trace FILE         a recorded trace (one session)\n"
    "  --impressions FILE   a CSV of impressions (one session; see docs/lessons.md)\n"
    "  --years N            project N years ahead (0-60): pigment fades and\n"
    "                       spreads, native hair recedes along the lesson's\n"
    "                       Norwood progression; dots that end up in front of a\n"
    "                       natural hairline are drawn red, dots left on bare skin\n"
    "                       by receding hair amber\n"
    "  --pigment NAME       the pigment of the next session, in order (a profile in\n"
    "                       assets/pigments/, e.g. carbon-black-light, or a .yaml\n"
    "                       path); the last one serves later sessions; default\n"
    "                       undiluted carbon black\n"
    "  --machine NAME       the machine (assets/needles/, e.g. rotary-short, or a\n"
    "                       .yaml path); default a 3.5 mm stroke at 50 Hz\n"
    "  --out FILE.png       the picture to write\n"
    "  --json               print, for every impression in input order, its\n"
    "                       class (faded, crisp, blurred, blowout), diameter_mm,\n"
    "                       darkness (0-1) and hue_shift (0-1), and more\n"
    "  --size WxH           picture size in pixels (default 1280x800)\n"
    "  --no-flags           draw flagged dots in their own colour\n"
    "\n"
    "Exit status: 0 done, 1 failure, 2 bad usage or input.\n";

typedef struct heal_opts {
    const char *lesson, *out;
    const char *inputs[HEAL_MAX_SESSIONS];
    bool is_trace[HEAL_MAX_SESSIONS];
    size_t input_count;
    const char *pigments[HEAL_MAX_SESSIONS];
    size_t pigment_count;
    const char *machine;
    double years;
    bool json, flags;
    int width, height;
} heal_opts;

typedef struct heal_run {
    app_attempt a;
    sim_tissue tissue;
    sim_heal_params params;
    sim_pigment pigments[HEAL_MAX_SESSIONS];
    sim_machine machine;
    sim_healed_dot *healed;
    sim_aged_dot *aged;            /* NULL unless --years */
} heal_run;

/* ------------------------------------------------------------------------ */
/* Options                                                                  */
/* ------------------------------------------------------------------------ */

static int add_input(heal_opts *o, const char *path, bool trace)
{
    if (o->input_count == HEAL_MAX_SESSIONS)
        return app_usage_error("heal: at most %d sessions (--trace/--impressions)",
                               HEAL_MAX_SESSIONS);
    o->inputs[o->input_count] = path;
    o->is_trace[o->input_count++] = trace;
    return APP_EXIT_OK;
}

static int parse_opts(int argc, char **argv, heal_opts *o)
{
    static const struct option opts[] = {
        {"lesson", required_argument, NULL, 'l'},   {"trace", required_argument, NULL, 't'},
        {"impressions", required_argument, NULL, 'i'}, {"years", required_argument, NULL, 'y'},
        {"out", required_argument, NULL, 'o'},      {"json", no_argument, NULL, 'j'},
        {"size", required_argument, NULL, 's'},     {"no-flags", no_argument, NULL, 'n'},
        {"pigment", required_argument, NULL, 'p'},  {"machine", required_argument, NULL, 'm'},
        {0, 0, 0, 0},
    };
    memset(o, 0, sizeof *o);
    o->flags = true;
    o->width = 1280;
    o->height = 800;
    int c, rc = APP_EXIT_OK;
    char *end;
    optind = 1;
    opterr = 0;
    while (rc == APP_EXIT_OK && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'l': o->lesson = optarg; break;
        case 't': rc = add_input(o, optarg, true); break;
        case 'i': rc = add_input(o, optarg, false); break;
        case 'o': o->out = optarg; break;
        case 'j': o->json = true; break;
        case 'n': o->flags = false; break;
        case 'm': o->machine = optarg; break;
        case 'p':
            if (o->pigment_count == HEAL_MAX_SESSIONS)
                return app_usage_error("heal: at most %d --pigment", HEAL_MAX_SESSIONS);
            o->pigments[o->pigment_count++] = optarg;
            break;
        case 'y':
            o->years = strtod(optarg, &end);
            if (end == optarg || *end || !(o->years >= 0 && o->years <= 60))
                return app_usage_error("heal: --years must be a number from 0 to 60, got '%s'", optarg);
            break;
        case 's':
            if (sscanf(optarg, "%dx%d", &o->width, &o->height) != 2 || o->width < 16 ||
                o->height < 16 || o->width > 8192 || o->height > 8192)
                return app_usage_error("heal: --size must be WxH, 16 to 8192 pixels, got '%s'", optarg);
            break;
        default:
            return app_usage_error("heal: unknown or incomplete option '%s' (see 'stipple heal --help')",
                                   argv[optind - 1]);
        }
    }
    if (rc != APP_EXIT_OK)
        return rc;
    if (optind < argc)
        return app_usage_error("heal: unexpected argument '%s'", argv[optind]);
    if (!o->lesson || !o->out || !o->input_count)
        return app_usage_error("heal: --lesson, --out and a --trace or --impressions are required "
                               "(see 'stipple heal --help')");
    return APP_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* Work                                                                     */
/* ------------------------------------------------------------------------ */

static int load_trace_session(heal_run *h, const char *path)
{
    sim_trace t;
    sim_trace_init(&t);
    sim_error err;
    sim_error_clear(&err);
    sim_result r = sim_trace_load(&t, path, &err);
    if (r == SIM_OK && t.truncated) {
        char buf[1024];
        fprintf(stderr, "stipple: warning: %s\n", sim_error_format(&err, buf, sizeof buf));
    }
    int rc = APP_EXIT_OK;
    if (r != SIM_OK) {
        app_print_error(&err);
        rc = r == SIM_ERR_NOMEM ? APP_EXIT_FAIL : APP_EXIT_USAGE;
    } else if (sim_impressions_from_trace(&h->a.surface, &t, NULL, &h->a.impressions) != SIM_OK) {
        fprintf(stderr, "stipple: %s: out of memory extracting impressions\n", path);
        rc = APP_EXIT_FAIL;
    }
    sim_trace_deinit(&t);
    return rc;
}

static int load_sessions(heal_run *h, const heal_opts *o)
{
    for (size_t s = 0; s < o->input_count; s++) {
        size_t first = h->a.impressions.count;
        int rc = o->is_trace[s] ? load_trace_session(h, o->inputs[s])
                                : app_attempt_load_csv(&h->a, o->inputs[s]);
        if (rc != APP_EXIT_OK)
            return rc;
        for (size_t i = first; i < h->a.impressions.count; i++)
            h->a.impressions.items[i].session = (uint32_t)s;
    }
    return APP_EXIT_OK;
}

/* NAME in assets/<dir>/NAME.yaml, or a path as given. */
static const char *profile_path(char *buf, size_t size, const char *dir, const char *name)
{
    size_t n = strlen(name);
    if (strchr(name, '/') || (n > 5 && strcmp(name + n - 5, ".yaml") == 0))
        return name;
    char rel[256];
    snprintf(rel, sizeof rel, "%s/%s.yaml", dir, name);
    return app_asset_path(buf, size, rel);
}

/* Loads one profile with `load`, printing its diagnostics. */
static int load_profile(const char *dir, const char *name, void *out,
                        les_result (*load)(const char *, void *, les_diags *))
{
    char buf[1200];
    const char *path = profile_path(buf, sizeof buf, dir, name);
    les_diags d;
    les_diags_init(&d, path);
    les_result r = load(path, out, &d);
    les_diags_print(&d, stderr);
    les_diags_deinit(&d);
    if (r == LES_OK)
        return APP_EXIT_OK;
    return r == LES_ERR_NOMEM ? APP_EXIT_FAIL : APP_EXIT_USAGE;
}

static les_result load_pigment(const char *path, void *out, les_diags *d)
{
    return les_pigment_load(path, out, d);
}

static les_result load_machine(const char *path, void *out, les_diags *d)
{
    return les_machine_load(path, out, d);
}

static int load_profiles(heal_run *h, const heal_opts *o)
{
    for (size_t i = 0; i < o->pigment_count; i++) {
        int rc = load_profile("pigments", o->pigments[i], &h->pigments[i], load_pigment);
        if (rc != APP_EXIT_OK)
            return rc;
    }
    if (o->machine)
        return load_profile("needles", o->machine, &h->machine, load_machine);
    return APP_EXIT_OK;
}

static int heal(heal_run *h, const heal_opts *o)
{
    sim_error err;
    sim_error_clear(&err);
    if (sim_tissue_init(&h->tissue, &h->a.lesson.tissue, h->a.surface.kind, &err) != SIM_OK) {
        snprintf(err.file, sizeof err.file, "%s", o->lesson);
        app_print_error(&err);
        return APP_EXIT_USAGE;
    }
    h->params = (sim_heal_params){.tissue = &h->tissue,
                                  .pigments = o->pigment_count ? h->pigments : NULL,
                                  .pigment_count = o->pigment_count,
                                  .machine = o->machine ? &h->machine : NULL};
    size_t n = h->a.impressions.count;
    h->healed = sim_calloc(n ? n : 1, sizeof *h->healed);
    h->aged = o->years > 0 ? sim_calloc(n ? n : 1, sizeof *h->aged) : NULL;
    if (!h->healed || (o->years > 0 && !h->aged)) {
        fprintf(stderr, "stipple: out of memory healing %zu impressions\n", n);
        return APP_EXIT_FAIL;
    }
    sim_heal_all(h->a.impressions.items, n, &h->params, h->healed);
    if (h->aged)
        sim_age_all(h->a.impressions.items, h->healed, n, &h->params, o->years, h->aged);
    return APP_EXIT_OK;
}

static const sim_healed_dot *dot_of(const heal_run *h, size_t i)
{
    return h->aged ? &h->aged[i].dot : &h->healed[i];
}

/* On a head the whole-head framing makes dots specks: aim at the dots
 * from the framing eye's side and come close enough to fit them. */
static rnd_camera frame_dots(const heal_run *h)
{
    const sim_surface *surface = &h->a.surface;
    rnd_camera cam = rnd_camera_frame(surface);
    size_t n = h->a.impressions.count;
    if (surface->kind != SIM_SURFACE_HEAD || n == 0)
        return cam;
    sim_vec3 c = sim_v3(0, 0, 0);
    for (size_t i = 0; i < n; i++)
        c = sim_v3_add(c, h->a.impressions.items[i].surface_mm);
    c = sim_v3_scale(c, 1.0 / (double)n);
    double extent = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = sim_v3_len(sim_v3_sub(h->a.impressions.items[i].surface_mm, c));
        extent = d > extent ? d : extent;
    }
    rnd_camera_look_at(&cam, surface, c);
    double want = (extent + 5.0) / tan(0.5 * cam.fov_y_rad) * HEAL_FIT_MARGIN;
    if (cam.distance_mm > want)
        rnd_camera_zoom(&cam, want / cam.distance_mm);
    return cam;
}

static int render(const heal_run *h, const heal_opts *o)
{
    size_t n = h->a.impressions.count;
    rnd_dot *dots = sim_calloc(n ? n : 1, sizeof *dots);
    sim_healed_dot *shown = sim_calloc(n ? n : 1, sizeof *shown);
    if (!dots || !shown) {
        sim_free(dots);
        sim_free(shown);
        fprintf(stderr, "stipple: out of memory drawing %zu dots\n", n);
        return APP_EXIT_FAIL;
    }
    for (size_t i = 0; i < n; i++)
        shown[i] = *dot_of(h, i);
    rnd_dots_from_impressions(h->a.impressions.items, shown, n, RND_DOTS_HEALED, dots);
    for (size_t i = 0; o->flags && h->aged && i < n; i++)
        if (h->aged[i].flags) {
            bool beyond = h->aged[i].flags & SIM_AGE_BEYOND_HAIRLINE;
            memcpy(dots[i].rgba, beyond ? HEAL_BEYOND_RGB : HEAL_EXPOSED_RGB,
                   sizeof HEAL_BEYOND_RGB);
            dots[i].rgba[3] = HEAL_FLAG_ALPHA;
        }
    double skin[3];
    sim_skin_rgb(h->tissue.desc.fitzpatrick, skin);
    float skin_rgb[3] = {(float)skin[0], (float)skin[1], (float)skin[2]};
    rnd_camera cam = frame_dots(h);
    rnd_picture_desc pd = {.path = o->out, .width = o->width, .height = o->height,
                           .surface = &h->a.surface, .dots = dots, .dot_count = n,
                           .skin_rgb = skin_rgb, .camera = &cam};
    sim_error err;
    sim_error_clear(&err);
    rnd_result r = rnd_render_picture(&pd, &err);
    sim_free(dots);
    sim_free(shown);
    if (r != RND_OK) {
        app_print_error(&err);
        return APP_EXIT_FAIL;
    }
    return APP_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* JSON                                                                     */
/* ------------------------------------------------------------------------ */

static sim_depth_class depth_class_of(const heal_run *h, const sim_impression *imp)
{
    int z = les_lesson_zone_at(&h->a.lesson, imp->chart_mm);
    double lo = z >= 0 ? h->a.lesson.zones[z].depth_min_mm : HEAL_DEFAULT_BAND_MIN_MM;
    double hi = z >= 0 ? h->a.lesson.zones[z].depth_max_mm : HEAL_DEFAULT_BAND_MAX_MM;
    return sim_depth_classify(imp, &h->params, lo, hi);
}

static void json_dot(les_json *j, const heal_run *h, size_t i)
{
    const sim_impression *imp = &h->a.impressions.items[i];
    const sim_healed_dot *d = dot_of(h, i);
    les_json_begin_object(j);
    les_json_kv_uint(j, "index", i);
    les_json_kv_uint(j, "session", imp->session);
    les_json_kv_string(j, "class", sim_heal_class_name(d->cls));
    les_json_kv_string(j, "depth_class", sim_depth_class_name(depth_class_of(h, imp)));
    les_json_kv_fixed(j, "diameter_mm", d->diameter_mm, 3);
    les_json_kv_fixed(j, "length_mm", d->length_mm, 3);
    les_json_kv_fixed(j, "edge_mm", d->edge_mm, 3);
    les_json_kv_fixed(j, "darkness", d->darkness, 3);
    les_json_kv_fixed(j, "hue_shift", d->hue_shift, 3);
    les_json_kv_fixed(j, "equivalent_depth_mm", d->equivalent_depth_mm, 3);
    les_json_kv_fixed(j, "hidden", d->hidden, 3);
    les_json_kv_uint(j, "stack_count", d->stack_count);
    les_json_kv_uint(j, "merge_group", d->merge_group);
    les_json_kv_uint(j, "merge_count", d->merge_count);
    if (h->aged) {
        les_json_kv_bool(j, "beyond_hairline", h->aged[i].flags & SIM_AGE_BEYOND_HAIRLINE);
        les_json_kv_bool(j, "exposed", h->aged[i].flags & SIM_AGE_EXPOSED);
    }
    les_json_end_object(j);
}

static int print_json(const heal_run *h, const heal_opts *o)
{
    les_json j;
    les_json_init(&j, stdout, 0);
    les_json_begin_object(&j);
    les_json_kv_int(&j, "sim_version", SIM_VERSION);
    les_json_key(&j, "lesson");
    les_json_begin_object(&j);
    les_json_kv_string(&j, "id", h->a.lesson.id);
    les_json_kv_string(&j, "hash", h->a.lesson.hash_hex);
    les_json_end_object(&j);
    les_json_kv_fixed(&j, "years", o->years, 2);
    les_json_kv_fixed(&j, "norwood_now", sim_age_norwood(&h->params, 0.0), 2);
    les_json_kv_fixed(&j, "norwood_later", sim_age_norwood(&h->params, o->years), 2);
    les_json_key(&j, "impressions");
    les_json_begin_array(&j);
    for (size_t i = 0; i < h->a.impressions.count; i++)
        json_dot(&j, h, i);
    les_json_end_array(&j);
    les_json_end_object(&j);
    les_json_newline(&j);
    les_result r = les_json_finish(&j);
    les_json_deinit(&j);
    return r == LES_OK && fflush(stdout) == 0 ? APP_EXIT_OK : APP_EXIT_FAIL;
}

static int heal_cmd(int argc, char **argv)
{
    if (app_wants_help(argc, argv)) {
        fputs(HEAL_HELP, stdout);
        return APP_EXIT_OK;
    }
    heal_opts o;
    int rc = parse_opts(argc, argv, &o);
    if (rc != APP_EXIT_OK)
        return rc;
    heal_run h;
    memset(&h, 0, sizeof h);
    app_attempt_init(&h.a);
    rc = app_attempt_load_lesson(&h.a, o.lesson);
    if (rc == APP_EXIT_OK)
        rc = load_profiles(&h, &o);
    if (rc == APP_EXIT_OK)
        rc = load_sessions(&h, &o);
    if (rc == APP_EXIT_OK)
        rc = heal(&h, &o);
    if (rc == APP_EXIT_OK)
        rc = render(&h, &o);
    if (rc == APP_EXIT_OK && o.json)
        rc = print_json(&h, &o);
    sim_free(h.healed);
    sim_free(h.aged);
    app_attempt_deinit(&h.a);
    return rc;
}

const app_command app_cmd_heal = {"heal", "heal (and age) an attempt on the lesson's tissue; picture and JSON",
                                  heal_cmd};
