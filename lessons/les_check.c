/* les_check.c: checks that need more than one key, and realism checks:
 * values that are legal but probably a mistake get a warning citing the
 * figure they break (FIDELITY.md):
 *
 *  - depth bands: starting inside the epidermis (0.06-0.10 mm) fades;
 *    reaching below about 2 mm blows out blue-grey;
 *  - the hairline's mid-frontal point: 7 cm (aggressive) to 10-11 cm
 *    (conservative) above the glabella, measured over the skin of the
 *    default head; lower looks unnatural and leaves no room for future
 *    loss;
 *  - temple points: one each side, mirror images within 10 mm;
 *  - sessions: 10-30 days apart; a later session builds on an earlier one;
 *  - exam mode: no hints, a time limit.
 *
 * Threads: reentrant.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "les_lesson_internal.h"

#define LES__EPIDERMIS_MM 0.10        /* scalp epidermis 0.06-0.10 mm */
#define LES__BLOWOUT_MM 2.0           /* "up to 1.5-2 mm"; deeper blows out */
#define LES__HAIRLINE_MIN_MM 70.0     /* mid-frontal point above the glabella */
#define LES__HAIRLINE_MAX_MM 110.0
#define LES__TEMPLE_ASYMMETRY_MM 10.0
#define LES__SESSION_GAP_MIN_DAYS 10.0
#define LES__SESSION_GAP_MAX_DAYS 30.0

void les__band_warnings(les__sctx *c, const les__node *value, const les_zone *z)
{
    const les__node *lo = value->items[0], *hi = value->items[1];
    if (z->depth_min_mm < LES__EPIDERMIS_MM)
        les_diags_add(c->diags, LES_WARNING, lo->pos.line, lo->pos.column,
                      "the band starts at %s mm, inside the epidermis (0.06-0.10 mm "
                      "on the scalp): pigment there fades", lo->text);
    if (z->depth_max_mm > LES__BLOWOUT_MM)
        les_diags_add(c->diags, LES_WARNING, hi->pos.line, hi->pos.column,
                      "the band reaches %s mm: below about 2 mm dots blow out and "
                      "turn blue-grey", hi->text);
}

const les__node *les__find(const les__node *root, const char *path)
{
    const les__node *n = root;
    char key[64];
    while (n && *path) {
        size_t len = strcspn(path, ".");
        if (len >= sizeof key)
            return NULL;
        memcpy(key, path, len);
        key[len] = '\0';
        n = les__map_get(n, key);
        path += len + (path[len] == '.');
    }
    return n;
}

/* ------------------------------------------------------------------------ */
/* Hairline on the default head                                             */
/* ------------------------------------------------------------------------ */

/* The skin point of the default head under chart point uv (bisection on
 * its signed distance along the chart direction). */
static bool les__head_skin(sim_vec2 uv, sim_vec3 *out)
{
    sim_vec3 dir;
    if (!sim_chart_head_dir(uv, &dir))
        return false;
    sim_vec3 c = sim_chart_centre();
    double lo = 0.0, hi = 400.0;
    if (sim_head_sdf(c) >= 0.0 || sim_head_sdf(sim_v3_add(c, sim_v3_scale(dir, hi))) <= 0.0)
        return false;
    for (int i = 0; i < 60; i++) {
        double mid = 0.5 * (lo + hi);
        if (sim_head_sdf(sim_v3_add(c, sim_v3_scale(dir, mid))) < 0.0)
            lo = mid;
        else
            hi = mid;
    }
    *out = sim_v3_add(c, sim_v3_scale(dir, lo));
    return true;
}

/* Where the polyline crosses the midline u = 0 (the first crossing), or
 * false when it does not. */
static bool les__midline_v(const sim_vec2 *pts, size_t n, double *v)
{
    for (size_t i = 0; i + 1 < n; i++) {
        sim_vec2 a = pts[i], b = pts[i + 1];
        if (a.x == 0.0) {
            *v = a.y;
            return true;
        }
        if ((a.x < 0.0) != (b.x < 0.0) || b.x == 0.0) {
            double t = a.x / (a.x - b.x);
            *v = a.y + t * (b.y - a.y);
            return true;
        }
    }
    return false;
}

/* Skin distance from the glabella up the midline to chart v (mm). */
static double les__above_glabella_mm(double v)
{
    sim_head_landmarks lm;
    sim_head_landmarks_get(&lm);
    double v0 = sim_chart_head(lm.glabella).y;
    const int steps = 400;
    sim_vec3 prev;
    if (!les__head_skin(sim_v2(0.0, v0), &prev))
        return NAN;
    double sum = 0.0;
    for (int i = 1; i <= steps; i++) {
        sim_vec3 p;
        if (!les__head_skin(sim_v2(0.0, v0 + (v - v0) * i / steps), &p))
            return NAN;
        sum += sim_v3_len(sim_v3_sub(p, prev));
        prev = p;
    }
    return v <= v0 ? sum : -sum;
}

static void les__hairline_height(les__parse *p)
{
    const les_lesson *l = &p->lesson;
    double v;
    if (l->surface.kind != SIM_SURFACE_HEAD || l->mesh.path || !l->hairline ||
        !les__midline_v(l->hairline, l->hairline_count, &v))
        return;
    double mm = les__above_glabella_mm(v);
    if (!isfinite(mm) || (mm >= LES__HAIRLINE_MIN_MM && mm <= LES__HAIRLINE_MAX_MM))
        return;
    les_pos at = p->hairline.polyline.pos;
    les_diags_add(p->sc.diags, LES_WARNING, at.line, at.column,
                  "the hairline crosses the midline %.0f mm above the glabella; a natural "
                  "mid-frontal point is 70 (aggressive) to 100-110 mm (conservative): %s",
                  mm, mm < LES__HAIRLINE_MIN_MM ? "too low, and no room for future loss"
                                                : "too high to frame the face");
}

static void les__temples(les__parse *p)
{
    les_lesson *l = &p->lesson;
    const les__pts *t = &p->hairline.temples;
    if (l->temple_point_count != 2 || l->surface.kind != SIM_SURFACE_HEAD)
        return;
    sim_vec2 r = l->temple_points[0], lt = l->temple_points[1];
    if (!(r.x < 0.0 && lt.x > 0.0)) {
        les_diags_add(p->sc.diags, LES_ERROR, t->pos.line, t->pos.column,
                      "`temple_points_mm` must list the subject's right temple first "
                      "(u < 0), then the left (u > 0)");
        return;
    }
    double off = sim_v2_len(sim_v2(r.x + lt.x, r.y - lt.y));
    if (off > LES__TEMPLE_ASYMMETRY_MM)
        les_diags_add(p->sc.diags, LES_WARNING, t->pos.line, t->pos.column,
                      "the temple points are %.0f mm from mirror images of each other; "
                      "faces are nearly symmetric", off);
}

/* ------------------------------------------------------------------------ */
/* Session and mode                                                         */
/* ------------------------------------------------------------------------ */

static void les__session(les__parse *p)
{
    const les_session *s = &p->lesson.session;
    les_diags *d = p->sc.diags;
    const les__node *number = les__find(p->root, "session.number");
    const les__node *planned = les__find(p->root, "session.planned");
    const les__node *previous = les__find(p->root, "session.previous_impressions");
    const les__node *days = les__find(p->root, "session.days_since_previous");
    if (planned && number && s->planned > 0 && s->number > s->planned)
        les_diags_add(d, LES_ERROR, number->pos.line, number->pos.column,
                      "session %d of %d planned: `number` must not exceed `planned`",
                      s->number, s->planned);
    if (s->number == 1 && previous)
        les_diags_add(d, LES_ERROR, previous->pos.line, previous->pos.column,
                      "a first session has no earlier session: `previous_impressions` "
                      "needs `number` of 2 or more");
    if (s->number == 1 && days)
        les_diags_add(d, LES_ERROR, days->pos.line, days->pos.column,
                      "a first session has no earlier session: `days_since_previous` "
                      "needs `number` of 2 or more");
    if (s->number > 1 && number && !previous)
        les_diags_add(d, LES_WARNING, number->pos.line, number->pos.column,
                      "session %d builds on what earlier sessions left: give "
                      "`previous_impressions`", s->number);
    if (days && s->number > 1 && (s->days_since_previous < LES__SESSION_GAP_MIN_DAYS ||
                                  s->days_since_previous > LES__SESSION_GAP_MAX_DAYS))
        les_diags_add(d, LES_WARNING, days->pos.line, days->pos.column,
                      "sessions are usually 10-30 days apart (the skin heals, the dots "
                      "settle); got %s", days->text);
}

static void les__mode(les__parse *p)
{
    const les_lesson *l = &p->lesson;
    const les__node *mode = les__map_get(p->root, "mode");
    const les__node *hints = les__map_get(p->root, "hints");
    if (l->mode != LES_MODE_EXAM || !mode)
        return;
    if (hints)
        les_diags_add(p->sc.diags, LES_WARNING, hints->pos.line, hints->pos.column,
                      "hints are not shown in exam mode");
    if (l->time_limit_s <= 0.0)
        les_diags_add(p->sc.diags, LES_WARNING, mode->pos.line, mode->pos.column,
                      "an exam usually has a `time_limit_min`");
}

void les__lesson_checks(les__parse *p)
{
    les__client_checks(p);
    les__tools_checks(p);
    les__hairline_height(p);
    les__temples(p);
    les__session(p);
    les__mode(p);
}
