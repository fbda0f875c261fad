/* cmd_lesson_new.c: `stipple lesson new`: a commented lesson template that
 * validates as written, for a practice pad or the default head. Every key
 * is there with its unit and range in a comment; an instructor edits the
 * values (docs/lessons.md has the full reference).
 *
 * Threads: main thread only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "cmd_lesson.h"

static const char NEW_HELP[] =
    "usage: stipple lesson new [--pad | --head] [--out FILE]\n"
    "\n"
    "Writes a commented lesson template that validates as it is: every key\n"
    "with its unit and allowed range. Edit it, then run `stipple lesson\n"
    "validate FILE` and `stipple lesson preview FILE --out FILE.png`.\n"
    "\n"
    "  --pad         a practice-pad lesson (the default)\n"
    "  --head        a lesson on the default head: client intake, tools,\n"
    "                hairline with temple points, a forbidden zone, session\n"
    "  --out FILE    where to write it (default: standard output); an\n"
    "                existing file is never overwritten\n";

/* The keys every template shares, after `version:`. */
#define TEMPLATE_META                                                                       \
    "author: Your Name              # optional, one line\n"                                 \
    "level: beginner                # optional: beginner, intermediate, advanced,\n"        \
    "                               # certification\n"                                      \
    "description: |                 # optional, shown in the brief (up to 4000 characters)\n" \
    "  What the trainee does and why, in a few sentences.\n"

#define TEMPLATE_TAIL                                                                       \
    "# How the attempt is scored: each metric 0-100, the total is their weighted\n"         \
    "# mean; the attempt passes at pass_mark or above.\n"                                   \
    "rubric:\n"                                                                             \
    "  pass_mark: 70                # 0 to 100\n"                                           \
    "  weights: {depth: 1, density: 1}   # 0 to 100 each, not all zero\n"                   \
    "\n"                                                                                    \
    "mode: practice                 # practice (hints, healed preview) or exam (pinned,\n"  \
    "                               # timed, signed, no hints)\n"                           \
    "time_limit_min: 45             # optional, 1 to 600 minutes\n"                         \
    "hints:                         # optional, 1 to 20, shown in practice mode only\n"

static const char PAD_TEMPLATE[] =
    "# A lesson on the practice pad. docs/lessons.md describes every key.\n"
    "# Lengths in mm, densities in dots per cm². Comments and key order do not\n"
    "# change the lesson's hash; values do.\n"
    "\n"
    "stipple_lesson: 1              # the file format: always 1\n"
    "id: my-pad-lesson              # 1-64 of a-z, 0-9, '-'; unique in your library\n"
    "title: My pad lesson           # one line, up to 200 characters\n"
    "version: 1                     # raise it whenever you change the lesson\n" TEMPLATE_META
    "\n"
    "# A W x H mm slab of skin: x to the right, y away from the trainee.\n"
    "surface: {type: pad, width_mm: 100, height_mm: 100}   # 10 to 500 mm each\n"
    "\n"
    "tools:                         # optional; leave out to allow anything\n"
    "  cartridges: [0603RL]         # 0601RL 0603RL 0801RL 0803RL 1001RL 1003RL 1201RL 1203RL\n"
    "  pigments:\n"
    "    - {name: carbon-black, dilution_percent: 30}   # 0 to 95 % distilled water\n"
    "\n"
    "zones:                         # 1 to 64; a point counts in the first zone holding it\n"
    "  - name: field                # unique, up to 64 characters\n"
    "    # 3 to 1000 points [x, y] on the pad, any winding, not crossing itself\n"
    "    polygon_mm: [[20, 30], [80, 30], [80, 70], [20, 70]]\n"
    "    density_per_cm2: 40        # 1 to 400 dots/cm² (natural follicles: about 310)\n"
    "    # upper dermis: below the 0.06-0.10 mm epidermis (shallower fades); deeper\n"
    "    # than about 1.5-2 mm blurs and turns blue-grey (blowout)\n"
    "    depth_band_mm: [0.5, 1.2]  # [shallowest, deepest], 0 to 4 mm\n"
    "    shade: carbon-black        # optional: a pigment from tools\n"
    "\n" TEMPLATE_TAIL
    "  - Work in short passes, shifting each a little, so no rows form.\n";

static const char HEAD_TEMPLATE[] =
    "# A lesson on the default head. docs/lessons.md describes every key.\n"
    "# Head points are [u, v] on the scalp chart, a top view centred on the\n"
    "# crown, in mm: u toward the subject's left ear (+) or right (-), v toward\n"
    "# the face (+) or the back (-); or [x, y, z] in the head frame (projected).\n"
    "# `stipple lesson preview FILE --out FILE.png` shows what you drew.\n"
    "\n"
    "stipple_lesson: 1              # the file format: always 1\n"
    "id: my-head-lesson             # 1-64 of a-z, 0-9, '-'; unique in your library\n"
    "title: My head lesson          # one line, up to 200 characters\n"
    "version: 1                     # raise it whenever you change the lesson\n" TEMPLATE_META
    "\n"
    "surface:\n"
    "  type: head                   # the default head\n"
    "  # resolution: 160            # mesh cells per cube-face edge, 32 to 512\n"
    "  # mesh: scans/client.obj     # or an imported head (OBJ, head frame), with\n"
    "  # mesh_unit_mm: 1            # mm per file unit (a scan in metres: 1000)\n"
    "\n"
    "tissue:                        # optional: the client's skin (docs/tissue.md)\n"
    "  fitzpatrick: 3               # skin type 1-6\n"
    "  hair:                        # native hair, clippered short\n"
    "    norwood: 3                 # the pattern now, 1-7\n"
    "    progression: {years: 10, norwood: 4}   # and later: plan the hairline for it\n"
    "    length_mm: 0.5\n"
    "\n"
    "client:                        # optional: the intake the trainee reads first\n"
    "  name: Client, 30             # one line\n"
    "  age_years: 30                # 18 to 100\n"
    "  history: |                   # free text\n"
    "    Pattern hair loss (Norwood 3) for six years; healthy scalp.\n"
    "  answers:                     # the intake form, 0 to 50 questions\n"
    "    - question: Any scalp conditions, medication or blood thinners?\n"
    "      answer: None.\n"
    "  # known conditions (docs/lessons.md lists them all), e.g.\n"
    "  # autoimmune-active, scalp-psoriasis, pregnancy, blood-thinners: refuse;\n"
    "  # alopecia-areata, previous-smp: caution\n"
    "  conditions: [androgenetic-alopecia]\n"
    "  decision: treat              # treat, caution or refuse (refuse: the right\n"
    "                               # attempt places no dot at all)\n"
    "  rationale: Healthy scalp, realistic expectations.\n"
    "\n"
    "tools:                         # optional; leave out to allow anything\n"
    "  cartridges: [0601RL, 0603RL] # 1RL for soft hairlines, 3RL for density\n"
    "  pigments:\n"
    "    - {name: soft-black, dilution_percent: 40}   # a first session: lighter\n"
    "\n"
    "zones:                         # 1 to 64\n"
    "  - name: mole                 # a forbidden zone: no dot belongs there\n"
    "    kind: forbidden            # work (the default) or forbidden\n"
    "    polygon_mm: [[18, 48], [22, 48], [22, 52], [18, 52]]\n"
    "    note: A mole; leave it and 2 mm around it untouched.\n"
    "  - name: transition           # 7 mm behind the hairline, half density\n"
    "    polygon_mm: [[-50, 63], [-26, 70.5], [0, 72.6], [26, 70.5], [50, 63],\n"
    "                 [48, 56], [26, 63.5], [0, 65.6], [-26, 63.5], [-48, 56]]\n"
    "    density_per_cm2: 30        # 1 to 400 dots/cm²\n"
    "    depth_band_mm: [0.5, 1.1]  # [shallowest, deepest], 0 to 4 mm\n"
    "    shade: soft-black          # a pigment from tools\n"
    "    cartridge: 0601RL          # a cartridge from tools\n"
    "  - name: defined\n"
    "    polygon_mm: [[-48, 56], [-26, 63.5], [0, 65.6], [26, 63.5], [48, 56],\n"
    "                 [44, 37], [0, 46], [-44, 37]]\n"
    "    density_per_cm2: 60        # about 1 mm apart: an early session\n"
    "    depth_band_mm: [0.5, 1.2]\n"
    "    shade: soft-black\n"
    "    cartridge: 0603RL\n"
    "\n"
    "# The target hairline, from the right temple to the left. Its mid-frontal\n"
    "# point is 80 mm above the glabella (7-10 cm is natural); the\n"
    "# frontotemporal angles sit above the outer eye corners (u = -+50).\n"
    "hairline:\n"
    "  polyline_mm: [[-58, 91], [-55, 72], [-50, 63], [-26, 70.5], [0, 72.6],\n"
    "                [26, 70.5], [50, 63], [55, 72], [58, 91]]\n"
    "  temple_points_mm: [[-58, 91], [58, 91]]   # optional: right, then left\n"
    "\n"
    "session:                       # optional\n"
    "  number: 1                    # 1 to 6\n"
    "  planned: 3                   # sessions in all (2-3, a 4th for alopecia, scars)\n"
    "  # days_since_previous: 21    # later sessions: 10-30 days apart\n"
    "  # previous_impressions: session1.csv   # what earlier sessions left\n"
    "\n" TEMPLATE_TAIL
    "  - Mark the mid-frontal point first, then the two frontotemporal angles.\n";

/* Writes text to a new file (never over an existing one). */
static int write_new(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        fprintf(stderr, "stipple: %s: %s\n", path,
                errno == EEXIST ? "already exists; choose another name" : strerror(errno));
        return errno == EEXIST ? APP_EXIT_USAGE : APP_EXIT_FAIL;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return APP_EXIT_FAIL;
    }
    bool ok = fputs(text, f) >= 0;
    if (fclose(f) != 0 || !ok) {
        fprintf(stderr, "stipple: %s: cannot write: %s\n", path, strerror(errno));
        return APP_EXIT_FAIL;
    }
    fprintf(stderr, "wrote %s; check it with: stipple lesson validate %s\n", path, path);
    return APP_EXIT_OK;
}

int app_lesson_new(int argc, char **argv)
{
    if (app_wants_help(argc, argv)) {
        fputs(NEW_HELP, stdout);
        return APP_EXIT_OK;
    }
    const char *text = PAD_TEMPLATE, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--pad") == 0)
            text = PAD_TEMPLATE;
        else if (strcmp(argv[i], "--head") == 0)
            text = HEAD_TEMPLATE;
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else
            return app_usage_error("lesson new: unexpected argument '%s' (see 'stipple lesson "
                                   "new --help')", argv[i]);
    }
    if (!out)
        return fputs(text, stdout) >= 0 && fflush(stdout) == 0 ? APP_EXIT_OK : APP_EXIT_FAIL;
    return write_new(out, text);
}
