/* les_lesson.h: lesson files: parsing, validation, canonical hash.
 *
 * A lesson is a YAML file an instructor writes (docs/lessons.md). The core
 * keys (format 1):
 *
 *   stipple_lesson: 1            # format version
 *   id: pad-even-spacing
 *   title: Even spacing on a practice pad
 *   version: 1
 *   surface: {type: pad, width_mm: 100, height_mm: 100}   # or {type: head}
 *   zones:
 *     - name: field
 *       polygon_mm: [[10, 10], [90, 10], [90, 90], [10, 90]]
 *       density_per_cm2: 100
 *       depth_band_mm: [0.5, 1.2]
 *   hairline: {polyline_mm: [[10, 70], [90, 70]]}   # optional
 *   rubric: {pass_mark: 70}
 *
 * Points: [a, b] are chart coordinates (the pad's x, y; the head chart's
 * u, v, see sim_surface.h); [x, y, z] are surface-frame points, projected
 * onto the chart.
 *
 * Parsing reads YAML with libyaml (positions of every node kept), checks
 * every key against the schema and collects every diagnostic with its line
 * and column, not just the first.
 *
 * Ownership: a parsed lesson lives in one arena, freed by les_lesson_deinit.
 * Threads: reentrant; a lesson is read-only once parsed and may be shared.
 */
#ifndef LES_LESSON_H
#define LES_LESSON_H

#include <stdio.h>

#include "sim_base.h"
#include "sim_surface.h"
#include "sim_tissue.h"
#include "les_rubric.h"

/* ---------------------------------------------------------------------------
 * Result codes
 * ------------------------------------------------------------------------- */
#define LES_RESULT_MAP(X)                                                     \
    X(OK, "ok")                                                               \
    X(ERR_ARG, "invalid argument")                                            \
    X(ERR_NOMEM, "out of memory")                                             \
    X(ERR_IO, "cannot read the file")                                         \
    X(ERR_SYNTAX, "not valid YAML")                                           \
    X(ERR_INVALID, "the lesson has errors")                                   \
    X(ERR_INPUT, "bad input data")

typedef enum les_result {
#define LES__ENUM(name, msg) LES_##name,
    LES_RESULT_MAP(LES__ENUM)
#undef LES__ENUM
    LES_RESULT_COUNT
} les_result;

const char *les_result_name(les_result r);
const char *les_result_message(les_result r);

/* ---------------------------------------------------------------------------
 * Diagnostics: every problem found in a file, in file order
 * ------------------------------------------------------------------------- */
typedef enum les_severity { LES_ERROR = 0, LES_WARNING = 1 } les_severity;

typedef struct les_diag {
    les_severity severity;
    int line, column;        /* 1-based */
    char message[256];
} les_diag;

typedef struct les_diags {
    char file[256];
    les_diag *items;
    size_t count, capacity;
    size_t errors;           /* count of LES_ERROR items */
} les_diags;

void les_diags_init(les_diags *d, const char *file);
void les_diags_deinit(les_diags *d);
/* Appends a diagnostic (silently drops it when out of memory, keeping the
 * error count right). */
void les_diags_add(les_diags *d, les_severity sev, int line, int column,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Prints every diagnostic as "FILE:LINE:COL: error: message". */
void les_diags_print(const les_diags *d, FILE *out);

/* ---------------------------------------------------------------------------
 * The lesson
 * ------------------------------------------------------------------------- */
#define LES_FORMAT_VERSION 1

typedef struct les_pos { int line, column; } les_pos;

/* What a zone is for. Zero (WORK) is the default: a zone to fill. */
typedef enum les_zone_kind {
    LES_ZONE_WORK = 0,       /* fill it at the target density and depth */
    LES_ZONE_FORBIDDEN = 1,  /* never touch it (lesion, outside the consented
                                area): each impression in it is a safety
                                violation (issue 5 parses `kind`) */
} les_zone_kind;

typedef struct les_zone {
    const char *name;
    sim_vec2 *polygon;       /* chart mm, as written (3D points projected) */
    size_t polygon_count;
    double density_per_cm2;  /* target */
    double depth_min_mm;     /* target band */
    double depth_max_mm;
    les_pos pos;             /* where the zone starts in the file */
    les_zone_kind kind;      /* 0 = WORK */
} les_zone;

/* The client in the lesson's intake. Zero = a client who may be treated. */
typedef struct les_client {
    bool contraindicated;    /* must be refused (e.g. active inflammatory
                                alopecia): any impression fails the attempt */
    const char *condition;   /* why, for feedback ("active lichen planopilaris");
                                NULL when not given */
} les_client;


typedef struct les_arena_block les_arena_block;

typedef struct les_lesson {
    int format;              /* stipple_lesson: */
    const char *id;
    const char *title;
    int version;
    sim_surface_desc surface;
    les_zone *zones;
    size_t zone_count;
    sim_vec2 *hairline;      /* chart mm; NULL when the lesson has none */
    size_t hairline_count;
    sim_vec2 *temple_points; /* chart mm; NULL when none (issue 5 parses them) */
    size_t temple_point_count;
    les_client client;       /* zero: no contraindication */
    double time_limit_s;     /* 0 = no time limit */
    les_rubric rubric;
    sim_tissue_desc tissue;  /* `tissue:` (les_tissue.c); all zero: the
                                reference scalp. Arrays in the arena. */
    uint8_t hash[32];        /* SHA-256 of the canonical form */
    char hash_hex[65];
    const char *path;        /* the file it came from ("" when parsed from memory) */
    les_arena_block *arena;  /* owns every pointer above */
} les_lesson;

/* Parses YAML text. All diagnostics go to `diags` (each with line and
 * column). Returns LES_OK (possibly with warnings), LES_ERR_SYNTAX,
 * LES_ERR_INVALID or LES_ERR_NOMEM; on error the lesson is empty. */
les_result les_lesson_parse(les_lesson *lesson, const char *text, size_t len,
                            les_diags *diags);
/* Reads and parses a file (diags->file names it). LES_ERR_IO when it cannot
 * be read (the diagnostic says why). */
les_result les_lesson_load(les_lesson *lesson, const char *path, les_diags *diags);
void les_lesson_deinit(les_lesson *lesson);

/* Index of the first zone containing chart point uv, or -1. */
int les_lesson_zone_at(const les_lesson *lesson, sim_vec2 uv);

#endif /* LES_LESSON_H */
