/* cmd_lesson_preview.c: `stipple lesson preview`: a headless picture of a
 * lesson, for instructors checking what they wrote: the surface, the
 * zones' outlines and the target hairline (the renderer's overlays), the
 * skin in the client's tone, and as markers drawn with dots: forbidden
 * zones hatched in red, the temple points in orange, scars in pale pink,
 * native hair as stubble in its colour, what earlier sessions left
 * (healed) and optionally an attempt (fresh).
 *
 * Threads: main thread only.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cmd_lesson.h"
#include "les_grade.h"
#include "rnd.h"
#include "sim_heal.h"
#include "sim_tissue.h"

static const char PREVIEW_HELP[] =
    "usage: stipple lesson preview LESSON.yaml --out FILE.png [--view VIEW] [--size WxH]\n"
    "                              [--impressions FILE.csv]\n"
    "\n"
    "Draws the lesson headless (no display needed): the surface in the client's\n"
    "skin tone, every zone's outline, the target hairline (yellow), forbidden\n"
    "zones hatched in red, temple points in orange, scars in pale pink, native\n"
    "hair as stubble, and the healed dots of earlier sessions.\n"
    "\n"
    "  --out FILE     the PNG to write\n"
    "  --view VIEW    auto (default: facing the zones), front, top, back, left,\n"
    "                 right; a pad is always seen from above at a slant\n"
    "  --size WxH     picture size in pixels (default 1280x800)\n"
    "  --impressions FILE.csv\n"
    "                 also draws an attempt's impressions, fresh (a reference\n"
    "                 solution from `stipple lesson solve`, say)\n";

/* Marker looks (linear RGB). */
static const float FORBIDDEN_RGBA[4] = {0.80f, 0.02f, 0.02f, 0.95f};
static const float TEMPLE_RGBA[4] = {1.00f, 0.35f, 0.02f, 1.0f};
#define FORBIDDEN_EDGE_STEP_MM 0.8
#define FORBIDDEN_HATCH_MM 2.0
#define FORBIDDEN_DOT_MM 1.2
#define TEMPLE_DOT_MM 4.0
static const float SCAR_RGBA[4] = {0.85f, 0.55f, 0.52f, 0.9f};
#define SCAR_STEP_MM 0.5
#define SCAR_DOT_MM 0.7
#define HAIR_STEP_MM 1.2
#define HAIR_DOT_MM 0.45
#define HEAD_REACH_MM 180.0       /* the chart beyond the scalp's edge */

typedef struct marks {
    rnd_dot *dots;
    size_t count, capacity;
} marks;

static bool marks_add(marks *m, const sim_surface *s, sim_vec2 uv, float diameter_mm,
                      const float rgba[4])
{
    sim_surface_hit hit;
    if (!sim_surface_from_chart(s, uv, &hit))
        return true; /* off the surface: nothing to draw */
    void *items = m->dots;
    if (sim_array_grow(&items, &m->capacity, m->count, sizeof *m->dots, 256) != SIM_OK)
        return false;
    m->dots = items;
    rnd_dot *d = &m->dots[m->count++];
    memset(d, 0, sizeof *d);
    sim_vec3 p = sim_v3_add(hit.point_mm, sim_v3_scale(hit.normal, 0.05));
    d->pos[0] = (float)p.x, d->pos[1] = (float)p.y, d->pos[2] = (float)p.z;
    d->normal[0] = (float)hit.normal.x, d->normal[1] = (float)hit.normal.y;
    d->normal[2] = (float)hit.normal.z;
    d->diameter_mm = diameter_mm;
    d->edge_mm = 0.15f * diameter_mm;
    memcpy(d->rgba, rgba, sizeof d->rgba);
    return true;
}

/* A forbidden zone: its outline every 0.8 mm, a hatch of dots inside. */
static bool marks_forbidden(marks *m, const sim_surface *s, const les_zone *z)
{
    sim_vec2 lo = z->polygon[0], hi = z->polygon[0];
    for (size_t i = 0; i < z->polygon_count; i++) {
        sim_vec2 a = z->polygon[i], b = z->polygon[(i + 1) % z->polygon_count];
        lo = sim_v2(fmin(lo.x, a.x), fmin(lo.y, a.y));
        hi = sim_v2(fmax(hi.x, a.x), fmax(hi.y, a.y));
        double len = sim_v2_len(sim_v2_sub(b, a));
        int steps = (int)ceil(len / FORBIDDEN_EDGE_STEP_MM);
        for (int k = 0; k < steps; k++) {
            double t = (double)k / steps;
            if (!marks_add(m, s, sim_v2(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)),
                           (float)FORBIDDEN_DOT_MM, FORBIDDEN_RGBA))
                return false;
        }
    }
    for (double y = lo.y + 0.5 * FORBIDDEN_HATCH_MM; y < hi.y; y += FORBIDDEN_HATCH_MM)
        for (double x = lo.x + 0.5 * FORBIDDEN_HATCH_MM; x < hi.x; x += FORBIDDEN_HATCH_MM)
            if (sim_polygon_contains(z->polygon, z->polygon_count, sim_v2(x, y)) &&
                !marks_add(m, s, sim_v2(x, y), (float)FORBIDDEN_DOT_MM, FORBIDDEN_RGBA))
                return false;
    return true;
}

/* Impressions from a CSV, healed (earlier sessions) or fresh (an attempt). */
static bool marks_csv(marks *m, const sim_surface *s, const char *file, rnd_dot_style style)
{
    sim_impression_list list;
    sim_impression_list_init(&list);
    sim_error err;
    sim_error_clear(&err);
    if (les_impressions_read_csv(file, s, &list, &err) != LES_OK) {
        app_print_error(&err);
        sim_impression_list_deinit(&list);
        return false;
    }
    size_t n = list.count;
    sim_healed_dot *healed = sim_calloc(n ? n : 1, sizeof *healed);
    void *items = m->dots;
    size_t need = m->count + n;
    bool ok = healed != NULL;
    while (ok && m->capacity < need) {
        ok = sim_array_grow(&items, &m->capacity, m->capacity, sizeof *m->dots, 256) == SIM_OK;
        m->dots = items;
    }
    if (ok) {
        sim_heal_all(list.items, n, NULL, healed);
        rnd_dots_from_impressions(list.items, healed, n, style, m->dots + m->count);
        m->count = need;
    }
    sim_free(healed);
    sim_impression_list_deinit(&list);
    return ok;
}

static bool marks_previous(marks *m, const les_lesson *l, const sim_surface *s)
{
    const char *rel = l->session.previous_impressions;
    char file[4096];
    if (!rel)
        return true;
    if (!les_lesson_file(l, rel, file, sizeof file)) {
        fprintf(stderr, "stipple: %s: the path is too long\n", rel);
        return false;
    }
    return marks_csv(m, s, file, RND_DOTS_HEALED);
}

/* The tissue: scars as pale dots, native hair as stubble (a jittered grid,
 * a dot where hair grows, as opaque as the hair hides the skin). */
static bool marks_tissue(marks *m, const les_lesson *l, const sim_surface *s,
                         const sim_tissue *t)
{
    sim_vec2 lo = sim_v2(-HEAD_REACH_MM, -HEAD_REACH_MM), hi = sim_v2(HEAD_REACH_MM, HEAD_REACH_MM);
    if (s->kind == SIM_SURFACE_PAD)
        lo = sim_v2(0, 0), hi = sim_v2(s->width_mm, s->height_mm);
    sim_rng rng;
    sim_rng_seed(&rng, 1, 7);
    const double *c = t->desc.hair.colour_rgb;
    bool hair = l->tissue.hair.norwood > 0 || l->tissue.hair.patch_count > 0;
    for (double y = lo.y; hair && y <= hi.y; y += HAIR_STEP_MM) {
        for (double x = lo.x; x <= hi.x; x += HAIR_STEP_MM) {
            sim_vec2 uv = sim_v2(x + HAIR_STEP_MM * (sim_rng_unit(&rng) - 0.5),
                                 y + HAIR_STEP_MM * (sim_rng_unit(&rng) - 0.5));
            double per_cm2 = sim_tissue_hair_at(t, uv, t->desc.hair.norwood);
            if (per_cm2 <= 0.0 || sim_rng_unit(&rng) * 200.0 > per_cm2)
                continue;
            float rgba[4] = {(float)c[0], (float)c[1], (float)c[2],
                             (float)(0.35 + 0.65 * sim_tissue_hair_cover(t, per_cm2))};
            if (!marks_add(m, s, uv, (float)HAIR_DOT_MM, rgba))
                return false;
        }
    }
    for (size_t i = 0; i < l->tissue.scar_count; i++) {
        const sim_scar *sc = &l->tissue.scars[i];
        sim_vec2 a = sc->polyline_count ? sc->polyline[0] : sc->centre_mm, b = a;
        for (size_t k = 0; k < sc->polyline_count; k++) {
            a = sim_v2(fmin(a.x, sc->polyline[k].x), fmin(a.y, sc->polyline[k].y));
            b = sim_v2(fmax(b.x, sc->polyline[k].x), fmax(b.y, sc->polyline[k].y));
        }
        double r = sc->width_mm;
        for (double y = a.y - r; y <= b.y + r; y += SCAR_STEP_MM)
            for (double x = a.x - r; x <= b.x + r; x += SCAR_STEP_MM) {
                sim_tissue_sample ts;
                sim_tissue_at(t, sim_v2(x, y), &ts);
                if (ts.scar >= 0.5 && !marks_add(m, s, sim_v2(x, y), (float)SCAR_DOT_MM, SCAR_RGBA))
                    return false;
            }
    }
    return true;
}

/* A camera looking at the lesson's zones along their mean normal. */
static rnd_camera preview_camera(const les_lesson *l, const sim_surface *s, const char *view)
{
    rnd_camera cam = rnd_camera_frame(s);
    if (s->kind != SIM_SURFACE_HEAD)
        return cam;
    double yaw = 0.0, pitch = 10.0;
    if (strcmp(view, "top") == 0)
        pitch = 85.0;
    else if (strcmp(view, "back") == 0)
        yaw = 180.0, pitch = 20.0;
    else if (strcmp(view, "left") == 0)
        yaw = 90.0;
    else if (strcmp(view, "right") == 0)
        yaw = -90.0;
    else if (strcmp(view, "auto") == 0) {
        sim_vec3 n = sim_v3(0, 0, 0);
        for (size_t z = 0; z < l->zone_count; z++)
            for (size_t i = 0; i < l->zones[z].polygon_count; i++) {
                sim_surface_hit hit;
                if (sim_surface_from_chart(s, l->zones[z].polygon[i], &hit))
                    n = sim_v3_add(n, hit.normal);
            }
        n = sim_v3_normalize(n);
        if (sim_v3_len(n) > 0.5) {
            yaw = sim_deg(atan2(n.x, n.z));
            pitch = sim_deg(asin(n.y < -1 ? -1 : n.y > 1 ? 1 : n.y));
            pitch = pitch < -30 ? -30 : pitch > 55 ? 55 : pitch;
        }
    }
    cam.yaw_rad = sim_rad(yaw);
    cam.pitch_rad = sim_rad(pitch);
    return cam;
}

static int preview_draw(const les_lesson *l, const char *out, const char *view, int w, int h,
                        const char *csv)
{
    sim_surface surface;
    sim_error err;
    sim_error_clear(&err);
    if (les_lesson_surface_init(l, &surface, &err) != LES_OK) {
        app_print_error(&err);
        return APP_EXIT_FAIL;
    }
    sim_tissue tissue;
    if (sim_tissue_init(&tissue, &l->tissue, surface.kind, &err) != SIM_OK) {
        app_print_error(&err);
        sim_surface_deinit(&surface);
        return APP_EXIT_USAGE;
    }
    double tone[3];
    sim_skin_rgb(tissue.desc.fitzpatrick, tone);
    float skin[3] = {(float)tone[0], (float)tone[1], (float)tone[2]};
    marks m = {0};
    bool ok = marks_tissue(&m, l, &surface, &tissue) && marks_previous(&m, l, &surface);
    if (ok && csv)
        ok = marks_csv(&m, &surface, csv, RND_DOTS_FRESH);
    for (size_t z = 0; ok && z < l->zone_count; z++)
        if (l->zones[z].kind == LES_ZONE_FORBIDDEN)
            ok = marks_forbidden(&m, &surface, &l->zones[z]);
    for (size_t t = 0; ok && t < l->temple_point_count; t++)
        ok = marks_add(&m, &surface, l->temple_points[t], (float)TEMPLE_DOT_MM, TEMPLE_RGBA);
    int rc = ok ? APP_EXIT_OK : APP_EXIT_FAIL;
    rnd_camera cam = preview_camera(l, &surface, view);
    rnd_picture_desc pd = {.path = out, .width = w, .height = h, .surface = &surface,
                           .lesson = l, .dots = m.dots, .dot_count = m.count, .camera = &cam,
                           .skin_rgb = skin};
    if (rc == APP_EXIT_OK && rnd_render_picture(&pd, &err) != RND_OK) {
        app_print_error(&err);
        rc = APP_EXIT_FAIL;
    }
    sim_free(m.dots);
    sim_surface_deinit(&surface);
    return rc;
}

int app_lesson_preview(int argc, char **argv)
{
    if (app_wants_help(argc, argv)) {
        fputs(PREVIEW_HELP, stdout);
        return APP_EXIT_OK;
    }
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"view", required_argument, NULL, 'v'},
        {"size", required_argument, NULL, 'z'},
        {"impressions", required_argument, NULL, 'i'},
        {0, 0, 0, 0},
    };
    static const char *const views[] = {"auto", "front", "top", "back", "left", "right"};
    const char *out = NULL, *view = "auto", *csv = NULL;
    int width = 1280, height = 800, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'v': view = optarg; break;
        case 'i': csv = optarg; break;
        case 'z':
            if (sscanf(optarg, "%dx%d", &width, &height) != 2 || width < 16 || height < 16 ||
                width > 8192 || height > 8192)
                return app_usage_error("lesson preview: --size takes WxH between 16 and 8192, "
                                       "got '%s'", optarg);
            break;
        default:
            return app_usage_error("lesson preview: unknown or incomplete option '%s' "
                                   "(see 'stipple lesson preview --help')", argv[optind - 1]);
        }
    }
    bool known = false;
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
        known = known || strcmp(view, views[i]) == 0;
    if (!known)
        return app_usage_error("lesson preview: --view takes auto, front, top, back, left or "
                               "right, got '%s'", view);
    if (!out)
        return app_usage_error("lesson preview: --out FILE.png is required");
    if (optind + 1 != argc)
        return app_usage_error("lesson preview: give one lesson file");
    les_lesson lesson;
    int rc = app_lesson_load(&lesson, argv[optind]);
    if (rc != APP_EXIT_OK)
        return rc;
    rc = preview_draw(&lesson, out, view, width, height, csv);
    if (rc == APP_EXIT_OK)
        printf("%s: preview -> %s\n", lesson.id, out);
    les_lesson_deinit(&lesson);
    return rc;
}
