/* les_feedback.c: the feedback list (add, sort), locale-free numbers for
 * messages, and the names of places on a pad or a head (les_feedback.h).
 * The sentences themselves are in les_feedback_text.c.
 *
 * Threads: reentrant.
 */
#include "les_feedback.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "les_grade_internal.h"
#include "les_internal.h"

static const char *const les__severity_names[] = {"critical", "major", "minor", "note"};

const char *les_feedback_severity_name(les_feedback_severity s)
{
    return (unsigned)s <= LES_FEEDBACK_NOTE ? les__severity_names[s] : "unknown";
}

void les_feedback_init(les_feedback *fb) { memset(fb, 0, sizeof *fb); }

void les_feedback_deinit(les_feedback *fb)
{
    if (!fb)
        return;
    sim_free(fb->items);
    memset(fb, 0, sizeof *fb);
}

void les_feedback_add(les_feedback *fb, les_metric metric, les_feedback_severity sev,
                      double impact, sim_vec3 point_mm, sim_vec2 chart_mm,
                      const char *fmt, ...)
{
    if (fb->count == fb->capacity) {
        size_t cap = fb->capacity ? 2 * fb->capacity : 16;
        les_feedback_item *items = sim_realloc(fb->items, cap * sizeof *items);
        if (!items) {
            fb->nomem = true;
            return;
        }
        fb->items = items;
        fb->capacity = cap;
    }
    les_feedback_item *it = &fb->items[fb->count];
    memset(it, 0, sizeof *it);
    it->metric = metric;
    it->severity = sev;
    it->impact = isfinite(impact) ? impact : 0.0;
    it->seq = fb->count++;
    it->point_mm = point_mm;
    it->chart_mm = chart_mm;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->message, sizeof it->message, fmt, ap);
    va_end(ap);
}

static int les__item_cmp(const void *pa, const void *pb)
{
    const les_feedback_item *a = pa, *b = pb;
    if (a->severity != b->severity)
        return a->severity < b->severity ? -1 : 1;
    if (a->impact != b->impact)
        return a->impact > b->impact ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void les_feedback_sort(les_feedback *fb)
{
    if (fb->count > 1)
        qsort(fb->items, fb->count, sizeof *fb->items, les__item_cmp);
}

const char *les_fmt_num(char *buf, size_t size, double v, int decimals)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "?");
        return buf;
    }
    les__format_double(buf, size, "%.*f", decimals, v);
    /* never "-0.0" */
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
    return buf;
}

/* ------------------------------------------------------------------------ */
/* Places                                                                   */
/* ------------------------------------------------------------------------ */

/* Head regions, by chart position (u toward the left ear, v toward the
 * face; sim_surface.h). */
enum {
    LES__CROWN, LES__BACK, LES__TEMPLE_L, LES__TEMPLE_R, LES__FRONT_L, LES__FRONT_C,
    LES__FRONT_R, LES__TOP_L, LES__TOP_C, LES__TOP_R
};
static const char *const les__head_names[] = {
    "at the crown", "at the back of the head", "along the left temple",
    "along the right temple", "at the front left", "at the front centre",
    "at the front right", "on the top left", "on top in the centre", "on the top right"};
/* Pad regions: thirds of the zone's outline, near (small y) to far. */
static const char *const les__pad_names[] = {
    "in the near-left corner", "along the near edge", "in the near-right corner",
    "on the left side", "in the centre", "on the right side",
    "in the far-left corner", "along the far edge", "in the far-right corner"};

static int les__head_region(sim_vec2 uv)
{
    int side = uv.x > 15.0 ? 0 : uv.x < -15.0 ? 2 : 1;
    if (uv.y < -90.0)
        return LES__BACK;
    if (uv.y < -40.0)
        return LES__CROWN;
    if (fabs(uv.x) > 45.0 && uv.y > 10.0)
        return uv.x > 0 ? LES__TEMPLE_L : LES__TEMPLE_R;
    return (uv.y > 60.0 ? LES__FRONT_L : LES__TOP_L) + side;
}

/* Region of uv on a pad by thirds of box (x0, y0, x1, y1). */
static int les__pad_region(const double *box, sim_vec2 uv)
{
    double fx = box[2] > box[0] ? (uv.x - box[0]) / (box[2] - box[0]) : 0.5;
    double fy = box[3] > box[1] ? (uv.y - box[1]) / (box[3] - box[1]) : 0.5;
    int col = fx < 1.0 / 3.0 ? 0 : fx < 2.0 / 3.0 ? 1 : 2;
    int row = fy < 1.0 / 3.0 ? 0 : fy < 2.0 / 3.0 ? 1 : 2;
    return 3 * row + col;
}

int les__place_region_in(const sim_surface *s, const double *box, sim_vec2 uv)
{
    if (s->kind == SIM_SURFACE_HEAD)
        return les__head_region(uv);
    double pad[4] = {0, 0, s->width_mm, s->height_mm};
    return les__pad_region(box ? box : pad, uv);
}

void les__zone_box(const les_lesson *l, size_t zone, double box[4])
{
    const les_zone *z = &l->zones[zone];
    box[0] = box[2] = z->polygon_count ? z->polygon[0].x : 0;
    box[1] = box[3] = z->polygon_count ? z->polygon[0].y : 0;
    for (size_t i = 1; i < z->polygon_count; i++) {
        box[0] = fmin(box[0], z->polygon[i].x), box[2] = fmax(box[2], z->polygon[i].x);
        box[1] = fmin(box[1], z->polygon[i].y), box[3] = fmax(box[3], z->polygon[i].y);
    }
}

int les_place_region(const sim_surface *s, const les_lesson *l, int zone, sim_vec2 uv)
{
    double box[4];
    bool in_zone = l && zone >= 0 && (size_t)zone < l->zone_count;
    if (in_zone)
        les__zone_box(l, (size_t)zone, box);
    return les__place_region_in(s, in_zone ? box : NULL, uv);
}

const char *les_place_name(char *buf, size_t size, const sim_surface *s,
                           const les_lesson *l, int zone, sim_vec2 uv)
{
    int r = les_place_region(s, l, zone, uv);
    if (s->kind == SIM_SURFACE_HEAD)
        snprintf(buf, size, "%s", les__head_names[r]);
    else if (l && zone >= 0 && (size_t)zone < l->zone_count)
        snprintf(buf, size, "%s of `%s`", les__pad_names[r], l->zones[zone].name);
    else
        snprintf(buf, size, "%s of the pad", les__pad_names[r]);
    return buf;
}
