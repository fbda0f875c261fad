/* les_grade_technique.c: the technique and safety metrics (les_grade.h).
 *
 * Technique, over every impression: needle angle to the normal, dwell,
 * sideways drag (each: the mean of the per-impression band scores, so a
 * dot just outside its band costs little), pace (impressions per minute of
 * session) and session time against the lesson's time limit. A part with
 * no data is left out: an impressions CSV has no times or drag, and angle
 * and dwell only when it has those columns (all zero = not recorded). The
 * score is the mean of the parts measured.
 *
 * Safety: impressions in forbidden zones, each costing the rubric's
 * penalty; for a contraindicated client every impression is a violation.
 *
 * Purity: sums in impression order. Threads: reentrant.
 */
#include "les_grade_internal.h"

#include <math.h>

typedef struct les__have {
    bool angle, dwell, drag, timing;
} les__have;

static les__have les__data(const sim_impression *imps, size_t n)
{
    les__have h = {false, false, false, false};
    for (size_t i = 0; i < n; i++) {
        const sim_impression *m = &imps[i];
        h.angle = h.angle || m->angle_rad != 0.0;
        h.dwell = h.dwell || m->dwell_s != 0.0;
        h.drag = h.drag || m->drag_mm != 0.0;
        h.timing = h.timing || m->t_end_us != m->t_start_us || m->t_start_us != imps[0].t_start_us;
    }
    h.drag = h.drag || h.timing;
    return h;
}

static bool les__outside(les_band b, double v) { return v < b.lo || v > b.hi; }

static void les__per_impression(les__gctx *c, les_technique_metric *t, les__have h)
{
    const les_technique_rubric *rb = &c->lesson->rubric.technique;
    double angle = 0, dwell = 0, drag = 0, pa = 0, pd = 0, pg = 0;
    for (size_t i = 0; i < c->n; i++) {
        const sim_impression *m = &c->imps[i];
        double deg = sim_deg(m->angle_rad);
        angle += deg;
        dwell += m->dwell_s;
        drag += m->drag_mm;
        t->angle_max_deg = deg > t->angle_max_deg ? deg : t->angle_max_deg;
        t->drag_max_mm = m->drag_mm > t->drag_max_mm ? m->drag_mm : t->drag_max_mm;
        t->angle_out += les__outside(rb->angle_deg, deg);
        t->dwell_short += m->dwell_s < rb->dwell_s.lo;
        t->dwell_long += m->dwell_s > rb->dwell_s.hi;
        t->drag_out += les__outside(rb->drag_mm, m->drag_mm);
        pa += les_band_score(rb->angle_deg, deg);
        pd += les_band_score(rb->dwell_s, m->dwell_s);
        pg += les_band_score(rb->drag_mm, m->drag_mm);
    }
    double n = (double)c->n;
    t->angle_mean_deg = h.angle ? angle / n : NAN;
    t->dwell_mean_s = h.dwell ? dwell / n : NAN;
    t->drag_mean_mm = h.drag ? drag / n : NAN;
    t->part[LES_TQ_ANGLE] = h.angle ? pa / n : NAN;
    t->part[LES_TQ_DWELL] = h.dwell ? pd / n : NAN;
    t->part[LES_TQ_DRAG] = h.drag ? pg / n : NAN;
}

static void les__session(les__gctx *c, les_technique_metric *t)
{
    int64_t first = c->imps[0].t_start_us, last = c->imps[0].t_end_us;
    for (size_t i = 1; i < c->n; i++) {
        first = c->imps[i].t_start_us < first ? c->imps[i].t_start_us : first;
        last = c->imps[i].t_end_us > last ? c->imps[i].t_end_us : last;
    }
    t->session_s = (double)(last - first) * 1e-6;
    if (c->n >= 2 && t->session_s > 0) {
        t->pace_per_min = (double)c->n / (t->session_s / 60.0);
        t->part[LES_TQ_PACE] = les_band_score(c->lesson->rubric.technique.pace_per_min,
                                              t->pace_per_min);
    }
    double limit = c->lesson->time_limit_s;
    if (limit > 0) {
        les_band within = {0.0, limit, 0.5 * limit};
        t->part[LES_TQ_SESSION] = les_band_score(within, t->session_s);
    }
}

void les__grade_technique(les__gctx *c)
{
    les_technique_metric *t = &c->g->technique;
    t->score = t->angle_mean_deg = t->dwell_mean_s = t->drag_mean_mm = NAN;
    t->pace_per_min = t->session_s = NAN;
    for (int p = 0; p < LES_TQ_PARTS; p++)
        t->part[p] = NAN;
    if (c->n == 0)
        return;
    les__have h = les__data(c->imps, c->n);
    les__per_impression(c, t, h);
    if (h.timing)
        les__session(c, t);
    double sum = 0;
    size_t parts = 0;
    for (int p = 0; p < LES_TQ_PARTS; p++)
        if (!isnan(t->part[p])) {
            sum += t->part[p];
            parts++;
        }
    t->score = parts ? sum / (double)parts : NAN;
    t->applicable = parts > 0;
}

void les__grade_safety(les__gctx *c)
{
    les_safety_metric *s = &c->g->safety;
    s->contraindicated = c->lesson->client.contraindicated;
    for (size_t i = 0; i < c->n; i++)
        s->violations += s->contraindicated || c->forbidden[i] >= 0;
    if (s->contraindicated)
        s->score = s->violations ? 0.0 : 100.0;
    else
        s->score = fmax(0.0, 100.0 - c->lesson->rubric.safety_penalty * (double)s->violations);
}
