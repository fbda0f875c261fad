/* rnd_showcase.c: writes the sample pictures of the README (and for the
 * academies): a head with a healed SMP session and its lesson overlay, a
 * close-up of its temple, and a practice pad with fresh and healed dots.
 *
 * The session is made up here, deterministically (sim_rng, fixed seeds):
 * impressions are placed behind a hairline with a soft transition zone, at
 * depths that are mostly in the target band, with a patch too deep (blowout,
 * blue-grey) and a patch too shallow (faded); sim_heal_all heals them and
 * rnd_dots_from_impressions turns them into dots.
 *
 * Usage: rnd_showcase OUTPUT_DIR
 * Threads: main only. Not part of the tests.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd.h"

/* ------------------------------------------------------------------------ */
/* A made-up session on the head                                            */
/* ------------------------------------------------------------------------ */

/* Linear interpolation in a table of (x, y) pairs sorted by x. */
static double table(const double (*t)[2], int n, double x)
{
    if (x <= t[0][0])
        return t[0][1];
    for (int i = 1; i < n; i++)
        if (x <= t[i][0])
            return t[i - 1][1] + (t[i][1] - t[i - 1][1]) * (x - t[i - 1][0]) /
                                     (t[i][0] - t[i - 1][0]);
    return t[n - 1][1];
}

/* The target hairline in polar chart coordinates: its distance from the
 * chart's centre (mm) by the angle from the front (degrees, either side):
 * a mid-frontal point 8 cm above the glabella, a slight frontotemporal
 * recession, the temple point, then down past the temples; over the ears
 * and round the back the hair stops at the lower rim of the scalp. */
static const double rnd_hairline_table[][2] = {
    {0, 72}, {20, 73}, {38, 70}, {52, 80}, {62, 104}, {72, 138}, {80, 150},
    {110, 150}, {150, 172}, {180, 178},
};
#define HAIRLINE_N ((int)(sizeof rnd_hairline_table / sizeof rnd_hairline_table[0]))

static double hairline_rho(double phi_deg)
{
    return table(rnd_hairline_table, HAIRLINE_N, fabs(phi_deg));
}

/* How densely the scalp at chart (u, v) is worked, 0..1: full behind a
 * 10 mm transition zone, none in front of the hairline. */
static double head_density(sim_vec2 uv)
{
    double rho = sqrt(uv.x * uv.x + uv.y * uv.y);
    double phi = sim_deg(atan2(uv.x, uv.y));
    double behind = hairline_rho(phi) - rho;
    if (behind < 0.0)
        return 0.0;
    double ramp = behind < 10.0 ? behind / 10.0 : 1.0;
    return ramp * ramp;
}

/* Depth of an impression: mostly in the band, too deep in a patch at the
 * subject's left temple, too shallow in one at the right. */
static double head_depth(sim_rng *rng, sim_vec2 uv)
{
    double d = 0.65 + 0.45 * sim_rng_unit(rng);
    double dl = hypot(uv.x - 52.0, uv.y - 40.0);
    double dr = hypot(uv.x + 50.0, uv.y - 35.0);
    if (dl < 10.0)
        d = 2.1 + 0.6 * sim_rng_unit(rng);
    else if (dr < 10.0)
        d = 0.03 + 0.05 * sim_rng_unit(rng);
    return d;
}

static size_t head_session(const sim_surface *head, sim_impression *imps, size_t max)
{
    sim_rng rng;
    sim_rng_seed(&rng, 2024, 7);
    size_t n = 0;
    for (size_t tries = 0; n < max && tries < 40 * max; tries++) {
        sim_vec2 uv = sim_v2(-180.0 + 360.0 * sim_rng_unit(&rng),
                             -180.0 + 360.0 * sim_rng_unit(&rng));
        if (sim_rng_unit(&rng) >= head_density(uv))
            continue;
        sim_surface_hit hit;
        if (!sim_surface_from_chart(head, uv, &hit))
            continue;
        sim_impression *imp = &imps[n++];
        memset(imp, 0, sizeof *imp);
        imp->surface_mm = hit.point_mm;
        imp->normal = hit.normal;
        imp->chart_mm = uv;
        imp->depth_mm = head_depth(&rng, uv);
        imp->needle = 0;
    }
    return n;
}

/* ------------------------------------------------------------------------ */
/* Pictures                                                                 */
/* ------------------------------------------------------------------------ */

static int picture(const char *dir, const char *name, const sim_surface *s,
                   const les_lesson *lesson, const rnd_dot *dots, size_t n,
                   const rnd_camera *cam, const sim_vec3 *tip)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    rnd_picture_desc d;
    memset(&d, 0, sizeof d);
    d.path = path;
    d.width = 1280;
    d.height = 800;
    d.surface = s;
    d.lesson = lesson;
    d.dots = dots;
    d.dot_count = n;
    d.camera = cam;
    if (tip) {
        d.show_tip = true;
        d.tip_mm = *tip;
    }
    sim_error err;
    rnd_result rc = rnd_render_picture(&d, &err);
    if (rc != RND_OK) {
        fprintf(stderr, "rnd_showcase: %s: %s\n", path, err.message);
        return 1;
    }
    printf("%s (%zu dots)\n", path, n);
    return 0;
}

static int head_pictures(const char *dir)
{
    sim_surface head;
    sim_surface_desc sd;
    memset(&sd, 0, sizeof sd);
    sd.kind = SIM_SURFACE_HEAD;
    sim_error err;
    if (sim_surface_init(&head, &sd, &err) != SIM_OK) {
        fprintf(stderr, "rnd_showcase: %s\n", err.message);
        return 1;
    }
    enum { MAX_IMPS = 110000 };
    sim_impression *imps = malloc(MAX_IMPS * sizeof *imps);
    sim_healed_dot *healed = malloc(MAX_IMPS * sizeof *healed);
    rnd_dot *dots = malloc(MAX_IMPS * sizeof *dots);
    int rc = 1;
    if (imps && healed && dots) {
        size_t n = head_session(&head, imps, MAX_IMPS);
        sim_heal_all(imps, n, NULL, healed);
        rnd_dots_from_impressions(imps, healed, n, RND_DOTS_HEALED, dots);

        /* the lesson: its target hairline and two zones */
        enum { HL = 49 };
        sim_vec2 hairline[HL];
        for (int i = 0; i < HL; i++) {
            double phi = sim_rad(-72.0 + 144.0 * i / (HL - 1));
            double rho = hairline_rho(sim_deg(phi));
            hairline[i] = sim_v2(rho * sin(phi), rho * cos(phi));
        }
        sim_vec2 front[] = {{-45, 68}, {45, 68}, {45, 25}, {-45, 25}};
        sim_vec2 crown[] = {{-35, -15}, {35, -15}, {35, -75}, {-35, -75}};
        les_zone zones[2];
        memset(zones, 0, sizeof zones);
        zones[0].name = "front";
        zones[0].polygon = front;
        zones[0].polygon_count = 4;
        zones[1].name = "crown";
        zones[1].polygon = crown;
        zones[1].polygon_count = 4;
        les_lesson lesson;
        memset(&lesson, 0, sizeof lesson);
        lesson.zones = zones;
        lesson.zone_count = 2;
        lesson.hairline = hairline;
        lesson.hairline_count = HL;

        rnd_camera cam = rnd_camera_frame(&head);
        rc = picture(dir, "head.png", &head, NULL, dots, n, &cam, NULL);
        rc |= picture(dir, "head_lesson.png", &head, &lesson, dots, n, &cam, NULL);
        /* close to the left temple: crisp dots, then the blowout patch */
        sim_surface_hit hit;
        if (sim_surface_from_chart(&head, sim_v2(40.0, 30.0), &hit)) {
            rnd_camera near = cam;
            near.target = hit.point_mm;
            near.distance_mm = 70.0;
            near.yaw_rad = sim_rad(45.0);
            near.pitch_rad = sim_rad(30.0);
            rc |= picture(dir, "head_temple.png", &head, NULL, dots, n, &near, NULL);
        }
    }
    free(dots);
    free(healed);
    free(imps);
    sim_surface_deinit(&head);
    return rc;
}

static int pad_pictures(const char *dir)
{
    sim_surface pad;
    sim_surface_desc sd;
    memset(&sd, 0, sizeof sd);
    sd.kind = SIM_SURFACE_PAD;
    sim_error err;
    if (sim_surface_init(&pad, &sd, &err) != SIM_OK) {
        fprintf(stderr, "rnd_showcase: %s\n", err.message);
        return 1;
    }
    enum { MAX_IMPS = 12000 };
    sim_impression *imps = malloc(MAX_IMPS * sizeof *imps);
    sim_healed_dot *healed = malloc(MAX_IMPS * sizeof *healed);
    rnd_dot *dots = malloc(MAX_IMPS * sizeof *dots);
    int rc = 1;
    if (imps && healed && dots) {
        /* a density ramp across a field; left third fresh, rest healed,
         * with depth drifting deeper toward the right */
        sim_rng rng;
        sim_rng_seed(&rng, 99, 3);
        size_t n = 0;
        while (n < MAX_IMPS) {
            double x = 15.0 + 70.0 * sim_rng_unit(&rng);
            double y = 15.0 + 70.0 * sim_rng_unit(&rng);
            double ramp = (y - 15.0) / 70.0;
            if (sim_rng_unit(&rng) >= 0.15 + 0.85 * ramp * ramp)
                continue;
            sim_impression *imp = &imps[n++];
            memset(imp, 0, sizeof *imp);
            imp->surface_mm = sim_v3(x, y, 0.0);
            imp->normal = sim_v3(0.0, 0.0, 1.0);
            imp->chart_mm = sim_v2(x, y);
            imp->depth_mm = 0.4 + 2.2 * ((x - 15.0) / 70.0) * sim_rng_unit(&rng) +
                            0.3 * sim_rng_unit(&rng);
        }
        sim_heal_all(imps, n, NULL, healed);
        size_t fresh = 0;
        for (size_t i = 0; i < n; i++) {
            bool is_fresh = imps[i].surface_mm.x < 38.0;
            rnd_dots_from_impressions(&imps[i], is_fresh ? NULL : &healed[i], 1,
                                      is_fresh ? RND_DOTS_FRESH : RND_DOTS_HEALED,
                                      &dots[i]);
            fresh += is_fresh;
        }
        sim_vec2 field[] = {{15, 15}, {85, 15}, {85, 85}, {15, 85}};
        sim_vec2 hairline[] = {{10, 40}, {30, 43}, {50, 41}, {70, 44}, {90, 40}};
        les_zone zone;
        memset(&zone, 0, sizeof zone);
        zone.name = "field";
        zone.polygon = field;
        zone.polygon_count = 4;
        les_lesson lesson;
        memset(&lesson, 0, sizeof lesson);
        lesson.zones = &zone;
        lesson.zone_count = 1;
        lesson.hairline = hairline;
        lesson.hairline_count = 5;
        rnd_camera cam = rnd_camera_frame(&pad);
        sim_vec3 tip = sim_v3(47.0, 62.0, 1.5);
        rc = picture(dir, "pad.png", &pad, &lesson, dots, n, &cam, &tip);
        rnd_camera near = cam;
        near.target = sim_v3(38.0, 38.0, 0.0);
        near.distance_mm = 28.0;
        near.pitch_rad = sim_rad(55.0);
        rc |= picture(dir, "pad_closeup.png", &pad, NULL, dots, n, &near, NULL);
        (void)fresh;
    }
    free(dots);
    free(healed);
    free(imps);
    sim_surface_deinit(&pad);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: rnd_showcase OUTPUT_DIR\n");
        return 2;
    }
    int rc = head_pictures(argv[1]);
    rc |= pad_pictures(argv[1]);
    return rc ? 1 : 0;
}
