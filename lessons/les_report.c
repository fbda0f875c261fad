/* les_report.c: the attempt report page (PDF and PNG from one drawing
 * routine) and the exam certificate (see les_report.h).
 *
 * Coordinates are PDF points on an A4 page (595 x 842, y down); the PNG is
 * the same drawing scaled.
 *
 * Threads: reentrant.
 */
#include "les_report_internal.h"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <string.h>

#define PAGE_W 595.0
#define PAGE_H 842.0
#define MARGIN 42.0

static les_rec_result cairo_fail(cairo_status_t st, const char *path, const char *what,
                                 sim_error *err)
{
    if (err) {
        sim_error_clear(err);
        err->code = LES_REC_ERR_IO;
        snprintf(err->file, sizeof err->file, "%.255s", path ? path : "");
        snprintf(err->message, sizeof err->message, "cannot write the %s: %s", what,
                 cairo_status_to_string(st));
        err->sys_errno = (int)st;
    }
    return LES_REC_ERR_IO;
}

static void rule(cairo_t *cr, double y)
{
    les__set_rgb(cr, LES__RULE);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, MARGIN, y);
    cairo_line_to(cr, PAGE_W - MARGIN, y);
    cairo_stroke(cr);
}

static void heading(cairo_t *cr, double y, const char *s)
{
    les__set_rgb(cr, LES__ACCENT);
    les__font(cr, true, 10.5);
    les__text(cr, MARGIN, y, s);
}

/* Title block and the attempt's identity; returns the next y. */
static double draw_header(cairo_t *cr, const les_report_desc *d)
{
    const les_db_attempt_info *a = d->attempt;
    les__set_rgb(cr, LES__INK);
    les__font(cr, true, 18);
    les__text(cr, MARGIN, 64, "Stipple attempt report");
    les__font(cr, false, 11);
    les__set_rgb(cr, LES__MUTED);
    char line[512];
    snprintf(line, sizeof line, "%s (%s)", a->lesson_title, a->lesson_id);
    les__wrap(cr, MARGIN, 82, PAGE_W - 2 * MARGIN, 13, line, 1);
    char started[40], ended[40];
    les__date(a->started_us, started, sizeof started);
    les__date(a->ended_us, ended, sizeof ended);
    const char *labels[] = {"Trainee", "Mode", "Started", "Ended", "Outcome", "Station"};
    char values[6][300];
    snprintf(values[0], sizeof values[0], "%s%s%s%s%s%s", a->trainee,
             a->trainee_name[0] ? " (" : "", a->trainee_name, a->trainee_name[0] ? ")" : "",
             a->instructor[0] ? ", instructor " : "", a->instructor);
    snprintf(values[1], sizeof values[1], "%s, session %lld%s", les_mode_name(a->mode),
             (long long)a->session, a->time_limit_s ? ", timed" : "");
    snprintf(values[2], sizeof values[2], "%s", started);
    snprintf(values[3], sizeof values[3], "%s", ended);
    snprintf(values[4], sizeof values[4], "%s, %llu samples", les_outcome_name(a->outcome),
             (unsigned long long)a->trace_samples);
    snprintf(values[5], sizeof values[5], "%s", a->is_signed ? a->station_name : "(unsigned)");
    for (int i = 0; i < 6; i++) {
        double x = MARGIN + (i % 2) * 265, y = 102 + (i / 2) * 13;
        les__font(cr, false, 9.5);
        les__set_rgb(cr, LES__MUTED);
        les__text(cr, x, y, labels[i]);
        les__set_rgb(cr, LES__INK);
        les__wrap(cr, x + 52, y, 205, 13, values[i], 1);
    }
    rule(cr, 142);
    return 142;
}

/* The total score and one bar per metric; returns the next y. */
static double draw_scores(cairo_t *cr, const les_report_desc *d, double y)
{
    const les_db_attempt_info *a = d->attempt;
    char big[64];
    les__font(cr, true, 30);
    if (a->graded) {
        snprintf(big, sizeof big, "%.1f", a->score);
        les__set_rgb(cr, a->passed ? LES__PASS : LES__FAIL);
    } else {
        snprintf(big, sizeof big, "not graded");
        les__set_rgb(cr, LES__MUTED);
    }
    double w = les__text(cr, MARGIN, y + 40, big);
    les__font(cr, false, 11);
    les__set_rgb(cr, LES__INK);
    char verdict[96];
    if (a->graded)
        snprintf(verdict, sizeof verdict, "/ 100   %s   (pass mark %.0f)",
                 a->passed ? "PASSED" : "not passed", d->pass_mark);
    else
        snprintf(verdict, sizeof verdict, "(pass mark %.0f)", d->pass_mark);
    les__text(cr, MARGIN + w + 8, y + 40, verdict);
    y += 62;
    for (size_t i = 0; i < d->metric_count; i++) {
        const les_report_metric *m = &d->metrics[i];
        double s = m->score < 0 ? 0 : m->score > 100 ? 100 : m->score;
        les__font(cr, true, 9.5);
        les__set_rgb(cr, LES__INK);
        les__text(cr, MARGIN, y + 8, m->name);
        les__set_rgb(cr, LES__RULE);
        cairo_rectangle(cr, MARGIN + 70, y, 200, 10);
        cairo_fill(cr);
        les__set_rgb(cr, s >= d->pass_mark ? LES__PASS : LES__FAIL);
        cairo_rectangle(cr, MARGIN + 70, y, 2.0 * s, 10);
        cairo_fill(cr);
        char num[16];
        snprintf(num, sizeof num, "%.1f", m->score);
        les__set_rgb(cr, LES__INK);
        les__font(cr, false, 9.5);
        les__text(cr, MARGIN + 278, y + 8, num);
        if (m->detail) {
            les__set_rgb(cr, LES__MUTED);
            les__font(cr, false, 8);
            les__wrap(cr, MARGIN + 312, y + 8, PAGE_W - MARGIN - (MARGIN + 312), 10, m->detail, 1);
        }
        y += 18;
    }
    return y + 4;
}

/* The heatmap picture scaled into the box, or a note. */
static void draw_picture(cairo_t *cr, const les_report_desc *d, double x, double y, double w,
                         double h)
{
    cairo_surface_t *img = d->picture_png ? cairo_image_surface_create_from_png(d->picture_png)
                                          : NULL;
    bool ok = img && cairo_surface_status(img) == CAIRO_STATUS_SUCCESS &&
              cairo_image_surface_get_width(img) > 0;
    if (ok) {
        double iw = cairo_image_surface_get_width(img), ih = cairo_image_surface_get_height(img);
        double s = w / iw < h / ih ? w / iw : h / ih;
        cairo_save(cr);
        cairo_translate(cr, x + (w - iw * s) / 2, y + (h - ih * s) / 2);
        cairo_scale(cr, s, s);
        cairo_set_source_surface(cr, img, 0, 0);
        cairo_paint(cr);
        cairo_restore(cr);
    } else {
        les__set_rgb(cr, LES__RULE);
        cairo_set_line_width(cr, 0.8);
        cairo_rectangle(cr, x, y, w, h);
        cairo_stroke(cr);
        les__set_rgb(cr, LES__MUTED);
        les__font(cr, false, 9);
        les__text_centered(cr, x + w / 2, y + h / 2, "no picture of the scalp available");
    }
    if (img)
        cairo_surface_destroy(img);
    if (d->picture_caption) {
        les__set_rgb(cr, LES__MUTED);
        les__font(cr, false, 8);
        les__wrap(cr, x, y + h + 11, w, 10, d->picture_caption, 2);
    }
}

static void draw_footer(cairo_t *cr, const les_report_desc *d)
{
    const les_db_attempt_info *a = d->attempt;
    rule(cr, PAGE_H - 60);
    les__set_rgb(cr, LES__MUTED);
    les__font(cr, false, 7.5);
    char line[512];
    snprintf(line, sizeof line, "Attempt #%lld, uid %s", (long long)a->id, a->uid);
    les__text(cr, MARGIN, PAGE_H - 46, line);
    snprintf(line, sizeof line, "Lesson %s", a->lesson_hash);
    les__text(cr, MARGIN, PAGE_H - 37, line);
    if (a->is_signed)
        snprintf(line, sizeof line,
                 "Signed by station %s (%s); signature fingerprint %s; Stipple %s, sim version %d",
                 a->station_name, a->station,
                 d->signature_fingerprint ? d->signature_fingerprint : "", a->app_version,
                 a->sim_version);
    else
        snprintf(line, sizeof line, "Not signed; Stipple %s, sim version %d", a->app_version,
                 a->sim_version);
    les__wrap(cr, MARGIN, PAGE_H - 28, PAGE_W - 2 * MARGIN, 9, line, 2);
}

static void draw_page(cairo_t *cr, const les_report_desc *d)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    double y = draw_header(cr, d);
    y = draw_scores(cr, d, y);
    rule(cr, y);
    heading(cr, y + 18, "The scalp");
    draw_picture(cr, d, MARGIN, y + 26, PAGE_W - 2 * MARGIN, 230);
    y += 290;
    heading(cr, y + 12, "Feedback");
    les__set_rgb(cr, LES__INK);
    les__font(cr, false, 9.5);
    double fy = y + 28;
    for (size_t i = 0; i < d->feedback_count && fy < PAGE_H - 210; i++) {
        les__text(cr, MARGIN, fy, "\xe2\x80\xa2");   /* a bullet */
        fy = les__wrap(cr, MARGIN + 10, fy, PAGE_W - 2 * MARGIN - 10, 12, d->feedback[i], 3) + 2;
    }
    if (d->feedback_count == 0) {
        les__set_rgb(cr, LES__MUTED);
        les__text(cr, MARGIN, fy, "No feedback for this attempt.");
    }
    heading(cr, PAGE_H - 190, "Progress on this lesson");
    les__plot_progress(cr, MARGIN, PAGE_H - 180, PAGE_W - 2 * MARGIN, 110, d->progress,
                       d->progress_count, d->pass_mark);
    draw_footer(cr, d);
}

les_rec_result les_report_pdf(const les_report_desc *d, const char *path, sim_error *err)
{
    if (!d || !d->attempt || !path)
        return (les_rec_result)sim_error_set(err, LES_REC_ERR_ARG, path, 0, 0,
                                             "a report needs an attempt");
    cairo_surface_t *s = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "Stipple attempt report");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Stipple");
    cairo_t *cr = cairo_create(s);
    draw_page(cr, d);
    cairo_show_page(cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    return st == CAIRO_STATUS_SUCCESS ? LES_REC_OK : cairo_fail(st, path, "report", err);
}

les_rec_result les_report_png(const les_report_desc *d, const char *path, int width_px,
                              sim_error *err)
{
    if (!d || !d->attempt || !path)
        return (les_rec_result)sim_error_set(err, LES_REC_ERR_ARG, path, 0, 0,
                                             "a report needs an attempt");
    if (width_px <= 0)
        width_px = 1240;
    if (width_px > 8000)
        width_px = 8000;
    double scale = width_px / PAGE_W;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width_px,
                                                    (int)(PAGE_H * scale + 0.5));
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    draw_page(cr, d);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_write_to_png(s, path);
    cairo_surface_destroy(s);
    return st == CAIRO_STATUS_SUCCESS ? LES_REC_OK : cairo_fail(st, path, "report picture", err);
}

/* The certificate: one landscape A4 page. */
static void draw_certificate(cairo_t *cr, const les_report_desc *d)
{
    const les_db_attempt_info *a = d->attempt;
    double w = PAGE_H, h = PAGE_W;
    les__set_rgb(cr, LES__ACCENT);
    cairo_set_line_width(cr, 3);
    cairo_rectangle(cr, 24, 24, w - 48, h - 48);
    cairo_stroke(cr);
    cairo_set_line_width(cr, 0.8);
    cairo_rectangle(cr, 32, 32, w - 64, h - 64);
    cairo_stroke(cr);
    les__set_rgb(cr, LES__INK);
    les__font_serif(cr, true, 30);
    les__text_centered(cr, w / 2, 110, "Certificate of Completion");
    les__font_serif(cr, false, 13);
    les__set_rgb(cr, LES__MUTED);
    les__text_centered(cr, w / 2, 150, "This certifies that the trainee");
    les__set_rgb(cr, LES__INK);
    les__font_serif(cr, true, 24);
    char who[256];
    if (a->trainee_name[0])
        snprintf(who, sizeof who, "%s (%s)", a->trainee_name, a->trainee);
    else
        snprintf(who, sizeof who, "%s", a->trainee);
    les__text_centered(cr, w / 2, 190, who);
    les__font_serif(cr, false, 13);
    les__set_rgb(cr, LES__MUTED);
    les__text_centered(cr, w / 2, 225, "passed the scalp micropigmentation exam");
    les__set_rgb(cr, LES__INK);
    les__font_serif(cr, true, 16);
    les__text_centered(cr, w / 2, 255, a->lesson_title);
    char line[512], date[40];
    les__date(a->ended_us, date, sizeof date);
    les__font_serif(cr, false, 12);
    snprintf(line, sizeof line, "with a score of %.1f / 100 (pass mark %.0f) on %s", a->score,
             d->pass_mark, date);
    les__text_centered(cr, w / 2, 285, line);
    les__font(cr, false, 8.5);
    les__set_rgb(cr, LES__MUTED);
    double y = h - 120;
    snprintf(line, sizeof line, "Attempt #%lld   uid %s", (long long)a->id, a->uid);
    les__text_centered(cr, w / 2, y, line);
    snprintf(line, sizeof line, "Lesson %s (%s)", a->lesson_id, a->lesson_hash);
    les__text_centered(cr, w / 2, y + 13, line);
    snprintf(line, sizeof line, "Signed by station %s, key fingerprint %s", a->station_name,
             a->station);
    les__text_centered(cr, w / 2, y + 26, line);
    snprintf(line, sizeof line, "Signature fingerprint %s",
             d->signature_fingerprint ? d->signature_fingerprint : "");
    les__font(cr, true, 9);
    les__set_rgb(cr, LES__INK);
    les__text_centered(cr, w / 2, y + 42, line);
    les__font(cr, false, 7.5);
    les__set_rgb(cr, LES__MUTED);
    les__text_centered(cr, w / 2, y + 58,
                       "Check it with 'stipple records verify' on the station's records or on "
                       "an exported bundle.");
}

les_rec_result les_certificate_pdf(const les_report_desc *d, const char *path, sim_error *err)
{
    const les_db_attempt_info *a = d ? d->attempt : NULL;
    if (!a || !path)
        return (les_rec_result)sim_error_set(err, LES_REC_ERR_ARG, path, 0, 0,
                                             "a certificate needs an attempt");
    if (a->mode != LES_MODE_EXAM || !a->graded || !a->passed || !a->is_signed ||
        (a->outcome != LES_OUTCOME_FINISHED && a->outcome != LES_OUTCOME_TIMED_OUT))
        return (les_rec_result)sim_error_set(err, LES_REC_ERR_INPUT, path, 0, 0,
                                             "attempt #%lld earns no certificate: only a signed "
                                             "exam that ended and passed does",
                                             (long long)a->id);
    cairo_surface_t *s = cairo_pdf_surface_create(path, PAGE_H, PAGE_W);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "Stipple certificate");
    cairo_t *cr = cairo_create(s);
    draw_certificate(cr, d);
    cairo_show_page(cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    return st == CAIRO_STATUS_SUCCESS ? LES_REC_OK : cairo_fail(st, path, "certificate", err);
}

void les_report_shutdown(void)
{
    cairo_debug_reset_static_data();
    FcFini();
}
