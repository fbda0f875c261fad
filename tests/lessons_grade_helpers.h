/* lessons_grade_helpers.h: what the grader's tests share: a lesson on a
 * pad (setup and teardown for cmocka), an impression at a pad point, the
 * grade's JSON as text, feedback lookups. Tests only. */
#ifndef LESSONS_GRADE_HELPERS_H
#define LESSONS_GRADE_HELPERS_H

#include "les_grade.h"
#include "lessons_helpers.h"

/* A parsed lesson and the pad it is graded on. */
typedef struct lg_fixture {
    les_lesson lesson;
    sim_surface pad;
} lg_fixture;

/* Parses `text` (must be valid) and builds a W x H pad (0: 100). */
static inline lg_fixture *lg_fixture_new(const char *text, double width_mm, double height_mm)
{
    lg_fixture *f = calloc(1, sizeof *f);
    lt_parse_ok(&f->lesson, text);
    sim_surface_desc desc = {.kind = SIM_SURFACE_PAD, .width_mm = width_mm,
                             .height_mm = height_mm};
    assert_int_equal(sim_surface_init(&f->pad, &desc, NULL), SIM_OK);
    return f;
}

static inline int lg_fixture_free(void **state)
{
    lg_fixture *f = *state;
    les_lesson_deinit(&f->lesson);
    sim_surface_deinit(&f->pad);
    free(f);
    return 0;
}

/* An impression entering the pad at (x, y), depth_mm deep, upright. */
static inline sim_impression lg_imp_at(double x, double y, double depth_mm)
{
    sim_impression m;
    memset(&m, 0, sizeof m);
    m.surface_mm = sim_v3(x, y, 0);
    m.normal = sim_v3(0, 0, 1);
    m.chart_mm = sim_v2(x, y);
    m.depth_mm = depth_mm;
    return m;
}

/* The grade as les_grade_write_json writes it (caller frees). */
static inline char *lg_grade_json(const les_grade *g, const les_lesson *l)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_int_equal(les_grade_write_json(g, l, out), LES_OK);
    fclose(out);
    return text;
}

/* The first feedback item about metric m, or NULL. */
static inline const les_feedback_item *lg_first_feedback(const les_grade *g, les_metric m)
{
    for (size_t i = 0; i < g->feedback.count; i++)
        if (g->feedback.items[i].metric == m)
            return &g->feedback.items[i];
    return NULL;
}

/* Whether an item about metric m holds `text`. */
static inline bool lg_has_feedback(const les_grade *g, les_metric m, const char *text)
{
    for (size_t i = 0; i < g->feedback.count; i++)
        if (g->feedback.items[i].metric == m && strstr(g->feedback.items[i].message, text))
            return true;
    return false;
}

#endif /* LESSONS_GRADE_HELPERS_H */
