/* lessons_helpers.h: helpers shared by the tests/lessons_*_test.c files:
 * parse lesson text and capture its diagnostics as printed text. Tests
 * only. */
#ifndef LESSONS_HELPERS_H
#define LESSONS_HELPERS_H

#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "les_lesson.h"
#include "test_util.h"

/* A minimal valid pad lesson, one line per key (line numbers matter to the
 * tests that build on it: see each line's comment). */
#define LT_HEAD                                                  \
    "stipple_lesson: 1\n"                            /* 1 */     \
    "id: t\n"                                        /* 2 */     \
    "title: T\n"                                     /* 3 */     \
    "version: 1\n"                                   /* 4 */
#define LT_SURFACE "surface: {type: pad, width_mm: 100, height_mm: 100}\n" /* 5 */
#define LT_ZONE                                                  \
    "zones:\n"                                       /* 6 */     \
    "  - name: a\n"                                  /* 7 */
#define LT_POLY "    polygon_mm: [[10, 10], [90, 10], [90, 90], [10, 90]]\n" /* 8 */
#define LT_DENSITY "    density_per_cm2: 40\n"       /* 9 */
#define LT_BAND "    depth_band_mm: [0.5, 1.2]\n"    /* 10 */
#define LT_RUBRIC "rubric: {pass_mark: 70}\n"        /* 11 */
#define LT_VALID LT_HEAD LT_SURFACE LT_ZONE LT_POLY LT_DENSITY LT_BAND LT_RUBRIC

/* Parses text (as file "t.yaml") and returns what les_diags_print prints
 * (caller frees); *result gets the parse result. The lesson is freed. */
static inline char *lt_diagnose(const char *text, les_result *result)
{
    les_lesson lesson;
    les_diags diags;
    les_diags_init(&diags, "t.yaml");
    *result = les_lesson_parse(&lesson, text, strlen(text), &diags);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    les_diags_print(&diags, f);
    fclose(f);
    les_diags_deinit(&diags);
    les_lesson_deinit(&lesson);
    return out;
}

/* Parses text that must be valid; fails the test otherwise. */
static inline void lt_parse_ok(les_lesson *lesson, const char *text)
{
    les_diags diags;
    les_diags_init(&diags, "t.yaml");
    les_result r = les_lesson_parse(lesson, text, strlen(text), &diags);
    if (r != LES_OK)
        les_diags_print(&diags, stderr);
    assert_int_equal(r, LES_OK);
    les_diags_deinit(&diags);
}

/* A lesson with problems and exactly what the parser must say. */
typedef struct broken_case {
    const char *what;
    const char *text;
    les_result result;
    const char *expected;    /* les_diags_print's output, exactly */
} broken_case;

/* Runs every case; prints each mismatch; returns how many failed. */
static inline int lt_check_table(const broken_case *cases, size_t n)
{
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        const broken_case *c = &cases[i];
        les_result r;
        char *got = lt_diagnose(c->text, &r);
        if (r != c->result || strcmp(got, c->expected) != 0) {
            fprintf(stderr, "case \"%s\": result %s (want %s)\n got:\n%s want:\n%s",
                    c->what, les_result_name(r), les_result_name(c->result), got,
                    c->expected);
            failures++;
        }
        free(got);
    }
    return failures;
}

#endif
