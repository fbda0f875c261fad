/* lessons_curriculum_test.c: the shipped curriculum. Every lesson in
 * assets/lessons/ validates with no diagnostic and belongs to the
 * curriculum; the curriculum's unlock rules; every reference solution in
 * assets/solutions/ is up to date with its lesson (MANIFEST) and passes it
 * with the grader as it stands; a client to refuse has an empty solution,
 * which passes.
 * Prints each solution's score (the report's table). */
#include <dirent.h>
#include <sodium.h>

#include "les_curriculum.h"
#include "les_grade.h"
#include "lessons_helpers.h"

#define MAX_LESSONS 64

/* Every *.yaml under assets/lessons/<sub> except curriculum files. */
static size_t lesson_files(const char *sub, char names[][128], size_t max)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", tu_asset(sub));
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < max) {
        size_t len = strlen(e->d_name);
        if (len < 6 || len >= 128 || strcmp(e->d_name + len - 5, ".yaml") != 0 ||
            strcmp(e->d_name, "curriculum.yaml") == 0)
            continue;
        memcpy(names[n++], e->d_name, len + 1);
    }
    closedir(d);
    return n;
}

static void load_ok(les_lesson *l, const char *rel, size_t max_warnings)
{
    char path[1024];
    snprintf(path, sizeof path, "%s", tu_asset(rel));
    les_diags d;
    les_diags_init(&d, NULL);
    les_result r = les_lesson_load(l, path, &d);
    les_diags_print(&d, stderr);
    assert_int_equal(r, LES_OK);
    assert_true(d.count <= max_warnings);
    les_diags_deinit(&d);
}

static void test_every_lesson_validates(void **state)
{
    (void)state;
    static char names[MAX_LESSONS][128];
    size_t n = lesson_files("lessons", names, MAX_LESSONS);
    assert_true(n >= 12);
    for (size_t i = 0; i < n; i++) {
        char rel[256];
        snprintf(rel, sizeof rel, "lessons/%s", names[i]);
        les_lesson l;
        load_ok(&l, rel, 0);
        /* the id names the file, so the library never has two of one id */
        assert_int_equal(strncmp(names[i], l.id, strlen(l.id)), 0);
        assert_string_equal(names[i] + strlen(l.id), ".yaml");
        les_lesson_deinit(&l);
    }
    /* earlier sessions other lessons build on: the blowout one warns */
    n = lesson_files("lessons/sessions", names, MAX_LESSONS);
    for (size_t i = 0; i < n; i++) {
        char rel[256];
        snprintf(rel, sizeof rel, "lessons/sessions/%s", names[i]);
        les_lesson l;
        load_ok(&l, rel, 1);
        les_lesson_deinit(&l);
    }
}

static void load_curriculum(les_curriculum *c)
{
    char path[1024];
    snprintf(path, sizeof path, "%s", tu_asset("lessons/curriculum.yaml"));
    les_diags d;
    les_diags_init(&d, NULL);
    les_result r = les_curriculum_load(c, path, &d);
    les_diags_print(&d, stderr);
    assert_int_equal(r, LES_OK);
    assert_int_equal(d.count, 0);
    les_diags_deinit(&d);
}

static int entry(const les_curriculum *c, const char *id)
{
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->entries[i].id, id) == 0)
            return (int)i;
    return -1;
}

static void test_curriculum(void **state)
{
    (void)state;
    les_curriculum c;
    load_curriculum(&c);
    assert_string_equal(c.id, "stipple-smp-foundation");
    /* every lesson of the library is in the course */
    static char names[MAX_LESSONS][128];
    size_t n = lesson_files("lessons", names, MAX_LESSONS);
    assert_int_equal(c.count, n);
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t k = 0; k < c.count && !found; k++)
            found = strcmp(c.entries[k].file, names[i]) == 0;
        assert_true(found);
    }
    /* unlock rules: only the first lesson is open to a newcomer */
    double best[MAX_LESSONS];
    for (size_t i = 0; i < c.count; i++)
        best[i] = NAN;
    assert_true(les_curriculum_unlocked(&c, 0, best));
    for (size_t i = 1; i < c.count; i++)
        assert_false(les_curriculum_unlocked(&c, i, best));
    best[0] = 80.0; /* pad-single-dots passed (pass mark 75) */
    int even = entry(&c, "pad-even-spacing");
    assert_true(even > 0 && les_curriculum_unlocked(&c, (size_t)even, best));
    best[0] = 70.0; /* not passed */
    assert_false(les_curriculum_unlocked(&c, (size_t)even, best));
    /* the exam asks 80 on every requirement, above their pass marks */
    int exam = entry(&c, "exam-certification");
    assert_true(exam > 0 && c.entries[exam].min_score == 80.0);
    assert_int_equal(c.entries[exam].mode, LES_MODE_EXAM);
    for (size_t k = 0; k < c.entries[exam].require_count; k++)
        best[c.entries[exam].requires[k]] = 79.0;
    assert_false(les_curriculum_unlocked(&c, (size_t)exam, best));
    for (size_t k = 0; k < c.entries[exam].require_count; k++)
        best[c.entries[exam].requires[k]] = 80.0;
    assert_true(les_curriculum_unlocked(&c, (size_t)exam, best));
    les_curriculum_deinit(&c);
}

/* ------------------------------------------------------------------------ */
/* Solutions                                                                */
/* ------------------------------------------------------------------------ */

static void sha256_hex(const char *path, char hex[65])
{
    size_t size = 0;
    uint8_t *data = tu_read_file(path, &size);
    assert_non_null(data);
    uint8_t hash[32];
    crypto_hash_sha256(hash, data, size);
    sodium_bin2hex(hex, 65, hash, 32);
    free(data);
}

/* MANIFEST: every lesson's hash and its solution's SHA-256, as made by
 * regenerate.sh: a lesson edited without its solution fails here. */
static void test_manifest_up_to_date(void **state)
{
    (void)state;
    size_t size = 0;
    char *text = (char *)tu_read_file(tu_asset("solutions/MANIFEST"), &size);
    assert_non_null(text);
    size_t rows = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#')
            continue;
        char hash[65], sha[65], lesson_rel[256], csv_rel[256];
        assert_int_equal(sscanf(line, "%64s %64s %255s %255s", hash, sha, lesson_rel, csv_rel),
                         4);
        les_lesson l;
        load_ok(&l, lesson_rel, 1);
        if (strcmp(l.hash_hex, hash) != 0)
            fprintf(stderr, "%s changed since its solution was made: run "
                            "assets/solutions/regenerate.sh\n", lesson_rel);
        assert_string_equal(l.hash_hex, hash);
        les_lesson_deinit(&l);
        char csv[1024], got[65];
        snprintf(csv, sizeof csv, "%s", tu_asset(csv_rel));
        sha256_hex(csv, got);
        assert_string_equal(got, sha);
        rows++;
    }
    free(text);
    assert_true(rows >= 13);
}

/* Head surfaces are all the default head: build it once. */
typedef struct surfaces {
    sim_surface head, pad;
    bool have_head, have_pad;
    double pad_w, pad_h;
} surfaces;

static const sim_surface *surface_for(surfaces *s, const les_lesson *l)
{
    sim_error err;
    if (l->surface.kind == SIM_SURFACE_HEAD) {
        assert_null(l->mesh.path);
        if (!s->have_head)
            assert_int_equal(les_lesson_surface_init(l, &s->head, &err), LES_OK);
        s->have_head = true;
        return &s->head;
    }
    if (s->have_pad && (s->pad_w != l->surface.width_mm || s->pad_h != l->surface.height_mm)) {
        sim_surface_deinit(&s->pad);
        s->have_pad = false;
    }
    if (!s->have_pad)
        assert_int_equal(les_lesson_surface_init(l, &s->pad, &err), LES_OK);
    s->have_pad = true;
    s->pad_w = l->surface.width_mm;
    s->pad_h = l->surface.height_mm;
    return &s->pad;
}

static void grade_solution(surfaces *s, const les_curriculum *c, size_t i)
{
    char path[1024], csv[1024];
    assert_true(les_curriculum_file(c, i, path, sizeof path));
    les_lesson l;
    les_diags d;
    les_diags_init(&d, NULL);
    assert_int_equal(les_lesson_load(&l, path, &d), LES_OK);
    les_diags_deinit(&d);
    snprintf(csv, sizeof csv, "%s", tu_asset("solutions/"));
    snprintf(csv + strlen(csv), sizeof csv - strlen(csv), "%s.csv", l.id);
    const sim_surface *surface = surface_for(s, &l);
    sim_impression_list imps;
    sim_impression_list_init(&imps);
    sim_error err;
    les_result r = les_impressions_read_csv(csv, surface, &imps, &err);
    if (r != LES_OK)
        fprintf(stderr, "%s: %s\n", csv, err.message);
    assert_int_equal(r, LES_OK);
    les_grade g;
    assert_int_equal(les_grade_run(&l, surface, imps.items, imps.count, &g, &err), LES_OK);
    bool refuse = l.client.present && l.client.decision == LES_DECISION_REFUSE;
    fprintf(stderr, "  %-28s %5zu impressions  score %6.2f  %s%s\n", l.id, imps.count, g.score,
            g.passed ? "passed" : "FAILED", refuse ? " (refused: no dot is the right attempt)" : "");
    /* the right decision for a client to refuse is not to treat: the
     * solution is empty, and the grader passes it (client.contraindicated) */
    assert_true(refuse ? imps.count == 0 : imps.count > 0);
    assert_true(g.passed);
    assert_int_equal(g.outside, 0);
    les_grade_deinit(&g);
    sim_impression_list_deinit(&imps);
    les_lesson_deinit(&l);
}

static void test_solutions_pass(void **state)
{
    (void)state;
    les_curriculum c;
    load_curriculum(&c);
    surfaces s;
    memset(&s, 0, sizeof s);
    fprintf(stderr, "reference solutions (grader on this build):\n");
    for (size_t i = 0; i < c.count; i++)
        grade_solution(&s, &c, i);
    if (s.have_head)
        sim_surface_deinit(&s.head);
    if (s.have_pad)
        sim_surface_deinit(&s.pad);
    les_curriculum_deinit(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_lesson_validates),
        cmocka_unit_test(test_curriculum),
        cmocka_unit_test(test_manifest_up_to_date),
        cmocka_unit_test(test_solutions_pass),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
