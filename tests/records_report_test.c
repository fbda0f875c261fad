/* records_report_test.c: attempt reports (PDF, PNG) and certificates are
 * written with or without a picture and a history, certificates only for
 * passed and signed exams, and an unwritable path is an error that names
 * the file. */
#include "records_helpers.h"

#include "les_report.h"

static les_db_attempt_info exam_info(void)
{
    les_db_attempt_info a;
    memset(&a, 0, sizeof a);
    a.id = 12;
    snprintf(a.uid, sizeof a.uid, "0123456789abcdef0123456789abcdef");
    snprintf(a.trainee, sizeof a.trainee, "T-042");
    snprintf(a.lesson_hash, sizeof a.lesson_hash, "%s", rt_lesson_hash());
    snprintf(a.lesson_id, sizeof a.lesson_id, "rec-pad");
    snprintf(a.lesson_title, sizeof a.lesson_title, "Records pad, with a title long enough to need "
             "wrapping on the page when it is printed at this size");
    a.mode = LES_MODE_EXAM;
    a.session = 3;
    a.started_us = 1767225600LL * 1000000;
    a.ended_us = a.started_us + 1800LL * 1000000;
    a.outcome = LES_OUTCOME_FINISHED;
    a.graded = a.passed = a.is_signed = true;
    a.score = 84.5;
    snprintf(a.station, sizeof a.station, "821df450b2eb2154c25105ea7484a6aa");
    snprintf(a.station_name, sizeof a.station_name, "front desk");
    snprintf(a.app_version, sizeof a.app_version, "0.1.0");
    a.sim_version = 1;
    a.trace_samples = 123456;
    return a;
}

static bool starts_with(const char *path, const char *magic, size_t n, size_t min_size)
{
    size_t size;
    uint8_t *data = tu_read_file(path, &size);
    bool ok = data && size >= min_size && memcmp(data, magic, n) == 0;
    free(data);
    return ok;
}

static void reports_and_certificates_are_written(void **state)
{
    (void)state;
    les_db_attempt_info a = exam_info();
    les_report_metric metrics[] = {{"depth", 88.9, "852 in band, 54 too shallow, 52 too deep"},
                                   {"density", 61.0, NULL}};
    const char *feedback[] = {
        "52 dots are too deep: expect blue-grey blowout where they heal.",
        "A sentence long enough to wrap over more than one line of the report, to check that "
        "wrapping keeps whole words and ends where the box ends without running off the page.",
    };
    les_report_point points[] = {{a.started_us - 86400000000LL, 40, false, false},
                                 {a.started_us - 3600000000LL, 71, false, false},
                                 {a.started_us, 84.5, true, true}};
    les_report_desc d = {.attempt = &a, .pass_mark = 70, .metrics = metrics, .metric_count = 2,
                         .feedback = feedback, .feedback_count = 2,
                         .picture_png = "/nonexistent/picture.png",
                         .picture_caption = "caption", .progress = points, .progress_count = 3,
                         .signature_fingerprint = "7889e681a1723df27170545d43fb6ff0"};
    sim_error err;
    const char *pdf = rt_fresh("report.pdf");
    assert_int_equal(les_report_pdf(&d, pdf, &err), LES_REC_OK);
    assert_true(starts_with(pdf, "%PDF-", 5, 2000));
    const char *png = rt_fresh("report.png");
    assert_int_equal(les_report_png(&d, png, 300, &err), LES_REC_OK);
    assert_true(starts_with(png, "\x89PNG", 4, 1000));
    const char *cert = rt_fresh("cert.pdf");
    assert_int_equal(les_certificate_pdf(&d, cert, &err), LES_REC_OK);
    assert_true(starts_with(cert, "%PDF-", 5, 1000));

    /* the report's own PNG as the picture, and no history */
    d.picture_png = png;
    d.progress_count = 0;
    d.feedback_count = 0;
    assert_int_equal(les_report_png(&d, png, 0, &err), LES_REC_OK);

    /* certificates only for passed, signed, ended exams */
    les_db_attempt_info b = a;
    d.attempt = &b;
    b.mode = LES_MODE_PRACTICE;
    assert_int_equal(les_certificate_pdf(&d, cert, &err), LES_REC_ERR_INPUT);
    assert_non_null(strstr(err.message, "earns no certificate"));
    b = a;
    b.passed = false;
    assert_int_equal(les_certificate_pdf(&d, cert, &err), LES_REC_ERR_INPUT);
    b = a;
    b.outcome = LES_OUTCOME_INTERRUPTED;
    assert_int_equal(les_certificate_pdf(&d, cert, &err), LES_REC_ERR_INPUT);
    b = a;
    b.is_signed = false;
    assert_int_equal(les_certificate_pdf(&d, cert, &err), LES_REC_ERR_INPUT);
    /* an ungraded attempt still gets a report */
    b = a;
    b.graded = false;
    d.metric_count = 0;
    assert_int_equal(les_report_pdf(&d, pdf, &err), LES_REC_OK);

    /* an unwritable path names the file */
    d.attempt = &a;
    assert_int_equal(les_report_pdf(&d, "/nonexistent/dir/r.pdf", &err), LES_REC_ERR_IO);
    assert_string_equal(err.file, "/nonexistent/dir/r.pdf");
    assert_non_null(strstr(err.message, "cannot write the report"));
    assert_int_equal(les_report_png(&d, "/nonexistent/dir/r.png", 100, &err), LES_REC_ERR_IO);
    d.attempt = NULL;
    assert_int_equal(les_report_pdf(&d, pdf, &err), LES_REC_ERR_ARG);
    les_report_shutdown();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reports_and_certificates_are_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
