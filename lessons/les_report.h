/* les_report.h: attempt reports (PDF and PNG) and exam certificates (PDF),
 * drawn with cairo.
 *
 * A report shows the attempt (trainee, lesson, date, mode, outcome), the
 * total score against the pass mark, each metric's sub-score as a bar with
 * a line of detail, the feedback sentences, a picture of the scalp (a
 * heatmap the caller rendered: lessons/ never includes render/, so the
 * picture comes in as a PNG file, DESIGN.md section 2), the trainee's
 * progress on the lesson as a plot, and the attempt's identity (uid,
 * station, signature fingerprint, versions) in the footer.
 *
 * A certificate is one landscape page for a passed, signed exam: trainee,
 * lesson, score, date, the attempt's uid and its signature fingerprint, so
 * anyone holding the bundle or the database can check it.
 *
 * Everything the pages print comes from the desc; nothing is read from the
 * database here. Text is UTF-8. Page size: A4.
 *
 * Threads: reentrant (cairo is, for separate surfaces).
 */
#ifndef LES_REPORT_H
#define LES_REPORT_H

#include "les_db.h"

typedef struct les_report_metric {
    const char *name;            /* "depth", "density", ... */
    double score;                /* 0..100 */
    const char *detail;          /* one line; may be NULL */
} les_report_metric;

typedef struct les_report_point {
    int64_t at_us;               /* when the attempt started */
    double score;
    bool exam;
    bool current;                /* the attempt this report is about */
} les_report_point;

typedef struct les_report_desc {
    const les_db_attempt_info *attempt;   /* required */
    double pass_mark;
    const les_report_metric *metrics;
    size_t metric_count;
    const char *const *feedback; /* sentences a trainee understands */
    size_t feedback_count;
    const char *picture_png;     /* the scalp heatmap; NULL (or unreadable): a note instead */
    const char *picture_caption; /* e.g. "green: in band, amber: too shallow, red: too deep" */
    const les_report_point *progress;     /* oldest first; may be empty */
    size_t progress_count;
    const char *signature_fingerprint;    /* 32 hex, "" when unsigned */
} les_report_desc;

/* One A4 page as PDF. ERR_IO (with cairo's reason) when the file cannot be
 * written; ERR_ARG without an attempt. */
les_rec_result les_report_pdf(const les_report_desc *d, const char *path, sim_error *err);
/* The same page as a PNG `width_px` wide (0 = 1240, about 150 dpi). */
les_rec_result les_report_png(const les_report_desc *d, const char *path, int width_px,
                              sim_error *err);
/* A certificate (landscape A4 PDF). ERR_INPUT unless the attempt is a
 * signed exam that passed and ended (finished or timed out). */
les_rec_result les_certificate_pdf(const les_report_desc *d, const char *path, sim_error *err);

/* Frees cairo's and the font library's caches (call once when done with
 * reports; leak checkers then see a clean exit). Not while another thread
 * draws. */
void les_report_shutdown(void);

#endif /* LES_REPORT_H */
