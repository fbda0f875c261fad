/* les_report_internal.h: drawing helpers shared by the report files
 * (les_report.c: pages and certificate; les_report_plot.c: the progress
 * plot). Not a public API. Threads: reentrant.
 */
#ifndef LES_REPORT_INTERNAL_H
#define LES_REPORT_INTERNAL_H

#include <cairo.h>

#include "les_report.h"

/* Colours, RGB 0..1. */
typedef struct les__rgb { double r, g, b; } les__rgb;
extern const les__rgb LES__INK, LES__MUTED, LES__RULE, LES__PASS, LES__FAIL, LES__ACCENT;

void les__set_rgb(cairo_t *cr, les__rgb c);
/* Sets the font (sans, or serif for the certificate) and size in points. */
void les__font(cairo_t *cr, bool bold, double size);
void les__font_serif(cairo_t *cr, bool bold, double size);
/* Draws text with its baseline at (x, y); returns its advance. */
double les__text(cairo_t *cr, double x, double y, const char *s);
/* The same, centred on x. */
void les__text_centered(cairo_t *cr, double x, double y, const char *s);
/* Draws text wrapped to `width` from baseline y; returns the baseline
 * after the last line. At most max_lines lines (the last ends with "..."). */
double les__wrap(cairo_t *cr, double x, double y, double width, double leading, const char *s,
                 int max_lines);
/* "2026-03-14 09:30 UTC" (UTC, so a report reads the same everywhere). */
void les__date(int64_t unix_us, char *out, size_t size);

/* The progress plot inside the box (x, y, w, h), points oldest first. */
void les__plot_progress(cairo_t *cr, double x, double y, double w, double h,
                        const les_report_point *points, size_t count, double pass_mark);

#endif /* LES_REPORT_INTERNAL_H */
