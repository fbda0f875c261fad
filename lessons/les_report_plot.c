/* les_report_plot.c: the progress plot on a report (scores over time, the
 * pass mark, the current attempt marked) and the text helpers the report
 * pages share.
 *
 * Threads: reentrant.
 */
#include "les_report_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

const les__rgb LES__INK = {0.10, 0.11, 0.13};
const les__rgb LES__MUTED = {0.42, 0.44, 0.48};
const les__rgb LES__RULE = {0.82, 0.83, 0.86};
const les__rgb LES__PASS = {0.13, 0.55, 0.30};
const les__rgb LES__FAIL = {0.75, 0.20, 0.15};
const les__rgb LES__ACCENT = {0.16, 0.35, 0.62};

void les__set_rgb(cairo_t *cr, les__rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

void les__font(cairo_t *cr, bool bold, double size)
{
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

void les__font_serif(cairo_t *cr, bool bold, double size)
{
    cairo_select_font_face(cr, "DejaVu Serif", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double les__text(cairo_t *cr, double x, double y, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, s);
    return e.x_advance;
}

void les__text_centered(cairo_t *cr, double x, double y, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    cairo_move_to(cr, x - e.x_advance / 2, y);
    cairo_show_text(cr, s);
}

static double width_of(cairo_t *cr, const char *s, size_t n)
{
    char buf[1024];
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = 0;
    cairo_text_extents_t e;
    cairo_text_extents(cr, buf, &e);
    return e.x_advance;
}

double les__wrap(cairo_t *cr, double x, double y, double width, double leading, const char *s,
                 int max_lines)
{
    const char *p = s;
    int lines = 0;
    while (*p && lines < max_lines) {
        /* the longest run of whole words that fits */
        size_t fit = 0, i = 0, n = strlen(p);
        while (i <= n) {
            if (p[i] == ' ' || p[i] == 0) {
                if (width_of(cr, p, i) > width && fit > 0)
                    break;
                fit = i;
                if (p[i] == 0)
                    break;
            }
            i++;
        }
        if (fit == 0)
            fit = n < 200 ? n : 200;   /* one word wider than the box: cut it */
        char line[1024];
        bool last = lines == max_lines - 1 && p[fit] != 0;
        snprintf(line, sizeof line, "%.*s%s", (int)(fit < 1000 ? fit : 1000), p,
                 last ? "..." : "");
        les__text(cr, x, y, line);
        y += leading;
        lines++;
        p += fit;
        while (*p == ' ')
            p++;
    }
    return y;
}

void les__date(int64_t unix_us, char *out, size_t size)
{
    time_t t = (time_t)(unix_us / 1000000);
    struct tm tm;
    if (unix_us <= 0 || !gmtime_r(&t, &tm)) {
        snprintf(out, size, "-");
        return;
    }
    strftime(out, size, "%Y-%m-%d %H:%M UTC", &tm);
}

void les__plot_progress(cairo_t *cr, double x, double y, double w, double h,
                        const les_report_point *pts, size_t n, double pass_mark)
{
    double left = x + 28, bottom = y + h - 16, top = y + 6, right = x + w - 6;
    cairo_set_line_width(cr, 0.6);
    les__font(cr, false, 7);
    for (int s = 0; s <= 100; s += 25) {
        double py = bottom - (bottom - top) * s / 100.0;
        les__set_rgb(cr, LES__RULE);
        cairo_move_to(cr, left, py);
        cairo_line_to(cr, right, py);
        cairo_stroke(cr);
        les__set_rgb(cr, LES__MUTED);
        char label[16];
        snprintf(label, sizeof label, "%d", s);
        les__text(cr, x + 4, py + 2.5, label);
    }
    /* the pass mark, dashed */
    double pm = bottom - (bottom - top) * pass_mark / 100.0;
    double dash[] = {3, 2};
    cairo_set_dash(cr, dash, 2, 0);
    les__set_rgb(cr, LES__PASS);
    cairo_move_to(cr, left, pm);
    cairo_line_to(cr, right, pm);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    if (n == 0) {
        les__set_rgb(cr, LES__MUTED);
        les__text(cr, left + 8, (top + bottom) / 2, "no graded attempts yet");
        return;
    }
    /* attempts evenly spaced in the order they were made */
    double step = n > 1 ? (right - left - 12) / (double)(n - 1) : 0;
    les__set_rgb(cr, LES__ACCENT);
    cairo_set_line_width(cr, 1.2);
    for (size_t i = 0; i < n; i++) {
        double px = left + 6 + step * (double)i;
        double s = pts[i].score < 0 ? 0 : pts[i].score > 100 ? 100 : pts[i].score;
        double py = bottom - (bottom - top) * s / 100.0;
        if (i == 0)
            cairo_move_to(cr, px, py);
        else
            cairo_line_to(cr, px, py);
    }
    cairo_stroke(cr);
    for (size_t i = 0; i < n; i++) {
        double px = left + 6 + step * (double)i;
        double s = pts[i].score < 0 ? 0 : pts[i].score > 100 ? 100 : pts[i].score;
        double py = bottom - (bottom - top) * s / 100.0;
        les__set_rgb(cr, pts[i].current ? LES__FAIL : LES__ACCENT);
        if (pts[i].exam)   /* exams as squares */
            cairo_rectangle(cr, px - 2.5, py - 2.5, 5, 5);
        else
            cairo_arc(cr, px, py, pts[i].current ? 3.2 : 2.2, 0, 2 * 3.14159265358979);
        cairo_fill(cr);
    }
    les__set_rgb(cr, LES__MUTED);
    char first[40], last[40];
    les__date(pts[0].at_us, first, sizeof first);
    les__date(pts[n - 1].at_us, last, sizeof last);
    first[10] = last[10] = 0;   /* the day is enough here */
    les__text(cr, left, bottom + 11, first);
    if (n > 1) {
        cairo_text_extents_t e;
        cairo_text_extents(cr, last, &e);
        les__text(cr, right - e.x_advance, bottom + 11, last);
    }
}
