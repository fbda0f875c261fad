/* fuzz_tissue.c: fuzz target for a lesson's `tissue:` (lessons/les_tissue.c)
 * and the healing model on it.
 *
 * Invariants checked (abort on violation, so libFuzzer reports it):
 *  - whatever the lesson's schema accepts, sim_tissue_init accepts too;
 *  - healing and aging a grid of impressions (every depth class) over the
 *    tissue gives finite sizes, darkness and hue in [0, 1], merge groups
 *    that point at themselves or earlier impressions.
 * Seeds: tests/fuzz/corpus/fuzz_tissue/ and the lessons in assets/.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "les_lesson.h"
#include "sim_age.h"

#define GRID 6

int fuzz_accepts(const char *path)
{
    size_t n = strlen(path);
    return n > 5 && strcmp(path + n - 5, ".yaml") == 0;
}

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_tissue: invariant broken: %s\n", what);
        abort();
    }
}

static void heal_grid(const sim_tissue *t)
{
    sim_impression imps[GRID * GRID];
    memset(imps, 0, sizeof imps);
    for (int i = 0; i < GRID * GRID; i++) {
        sim_impression *m = &imps[i];
        m->chart_mm = sim_v2(-150.0 + 60.0 * (i % GRID), -150.0 + 60.0 * (i / GRID));
        m->surface_mm = sim_v3(m->chart_mm.x, m->chart_mm.y, 0);
        m->depth_mm = 0.1 * i;
        m->needle = (uint32_t)i % 8;
        m->dwell_s = 0.02 * i;
        m->angle_rad = 0.03 * i;
        m->session = (uint32_t)(i % 2);
    }
    sim_heal_params p = {.tissue = t};
    sim_healed_dot h[GRID * GRID];
    sim_aged_dot a[GRID * GRID];
    sim_heal_all(imps, GRID * GRID, &p, h);
    sim_age_all(imps, h, GRID * GRID, &p, 10.0, a);
    for (int i = 0; i < GRID * GRID; i++) {
        check(isfinite(h[i].diameter_mm) && h[i].diameter_mm > 0, "diameter");
        check(isfinite(h[i].length_mm) && h[i].length_mm >= h[i].diameter_mm, "length");
        check(h[i].darkness >= 0 && h[i].darkness <= 1, "darkness");
        check(h[i].hue_shift >= 0 && h[i].hue_shift <= 1, "hue");
        check(h[i].merge_group <= (uint32_t)i, "merge group");
        check(a[i].dot.darkness <= h[i].darkness, "aging darkens");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    les_lesson l;
    les_diags d;
    les_diags_init(&d, "fuzz.yaml");
    if (les_lesson_parse(&l, (const char *)data, size, &d) == LES_OK) {
        sim_tissue t;
        sim_error err;
        check(sim_tissue_init(&t, &l.tissue, l.surface.kind, &err) == SIM_OK,
              "the schema accepted a tissue the sim refuses");
        heal_grid(&t);
        les_lesson_deinit(&l);
    }
    les_diags_deinit(&d);
    return 0;
}
