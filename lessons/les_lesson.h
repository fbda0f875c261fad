/* les_lesson.h: lesson files: parsing, validation, canonical hash.
 *
 * A lesson is a YAML file an instructor writes; docs/lessons.md is its
 * reference (every key, unit, default and range). The smallest lesson
 * (format 1):
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
 *   rubric: {pass_mark: 70}
 *
 * Optional keys add metadata (author, description, level), the client
 * intake and the right decision (treat, treat with caution, refuse), the
 * tools allowed (cartridges, pigments), forbidden zones, the target
 * hairline and temple points, the session plan, a time limit, practice or
 * exam mode and hints. Every optional key defaults to zero in the structs
 * below, so code that ignores a key sees the lesson as if it were absent.
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
#include "sim_impression.h"
#include "sim_surface.h"
#include "sim_tissue.h"
#include "les_db.h"
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

/* Who the lesson is for (`level:`). */
typedef enum les_level {
    LES_LEVEL_UNSET = 0,
    LES_LEVEL_BEGINNER,
    LES_LEVEL_INTERMEDIATE,
    LES_LEVEL_ADVANCED,
    LES_LEVEL_CERTIFICATION,
} les_level;

/* `mode:` practice (hints, healed preview) or exam (pinned, timed, signed):
 * les_mode and les_mode_name are the records' vocabulary (les_db.h), one
 * word for the lesson's mode and the attempt's. */

/* What to do with the client (`client.decision:`), in rising caution. */
typedef enum les_decision {
    LES_DECISION_TREAT = 0,
    LES_DECISION_CAUTION = 1,   /* treat, after warning the client */
    LES_DECISION_REFUSE = 2,    /* do not treat: the right attempt is empty */
} les_decision;

/* Conditions a client may report (`client.conditions:`), with the least
 * cautious decision each allows (FIDELITY.md "Who must not be treated"):
 * X(ENUM, "yaml-name", decision, "what it is, for the brief") */
#define LES_CONDITION_MAP(X)                                                  \
    X(AUTOIMMUNE_ACTIVE, "autoimmune-active", REFUSE,                         \
      "an inflammatory or autoimmune condition in an active phase")          \
    X(SCARRING_ALOPECIA_ACTIVE, "scarring-alopecia-active", REFUSE,           \
      "a scarring alopecia (lichen planopilaris, frontal fibrosing "          \
      "alopecia, lupus) that is not yet stable")                             \
    X(SCARRING_ALOPECIA_STABLE, "scarring-alopecia-stable", CAUTION,          \
      "a scarring alopecia, stable")                                         \
    X(SCALP_PSORIASIS, "scalp-psoriasis", REFUSE, "psoriasis on the scalp")   \
    X(SCALP_ECZEMA, "scalp-eczema", REFUSE, "eczema on the scalp")            \
    X(SEBORRHOEIC_DERMATITIS, "seborrhoeic-dermatitis", REFUSE,               \
      "seborrhoeic dermatitis on the scalp")                                 \
    X(KELOID_TENDENCY, "keloid-tendency", REFUSE, "a tendency to keloid scars") \
    X(PREGNANCY, "pregnancy", REFUSE, "pregnancy")                            \
    X(BLOOD_THINNERS, "blood-thinners", REFUSE, "blood thinners")             \
    X(HAEMOPHILIA, "haemophilia", REFUSE, "haemophilia")                      \
    X(SUNBURN, "sunburn", REFUSE, "sunburn on the scalp")                     \
    X(ACTIVE_ACNE, "active-acne", REFUSE, "active acne on the scalp")         \
    X(CHEMOTHERAPY_LAST_YEAR, "chemotherapy-last-year", REFUSE,               \
      "chemotherapy in the last year")                                       \
    X(LASER_LAST_90_DAYS, "laser-last-90-days", REFUSE,                       \
      "laser treatment on the area within 90 days")                          \
    X(TEMPORARY_HAIR_LOSS, "temporary-hair-loss", REFUSE,                     \
      "temporary hair loss expected to regrow")                              \
    X(SCAR_UNDER_12_MONTHS, "scar-under-12-months", REFUSE,                   \
      "a scar healed for less than 9-12 months")                             \
    X(ALOPECIA_AREATA, "alopecia-areata", CAUTION,                            \
      "alopecia areata: hair may regrow")                                    \
    X(ALOPECIA_UNIVERSALIS_STABLE, "alopecia-universalis-stable", TREAT,      \
      "alopecia universalis, stable for years without inflammation")         \
    X(ANDROGENETIC_ALOPECIA, "androgenetic-alopecia", TREAT,                  \
      "pattern hair loss: plan for future loss")                             \
    X(PREVIOUS_SMP, "previous-smp", CAUTION, "earlier SMP by another artist")

typedef enum les_condition {
#define LES__COND_ENUM(name, text, decision, what) LES_CONDITION_##name,
    LES_CONDITION_MAP(LES__COND_ENUM)
#undef LES__COND_ENUM
    LES_CONDITION_COUNT
} les_condition;

/* "autoimmune-active"; "" out of range. */
const char *les_condition_name(les_condition c);
/* A sentence for the brief ("pregnancy"); "" out of range. */
const char *les_condition_text(les_condition c);
/* The least cautious decision the condition allows. */
les_decision les_condition_decision(les_condition c);
/* "treat", "caution", "refuse"; also the YAML words. */
const char *les_decision_name(les_decision d);
/* "beginner", ..., "certification"; "" when unset. */
const char *les_level_name(les_level l);

/* One question of the intake form and the client's answer. */
typedef struct les_answer { const char *question, *answer; } les_answer;

/* The client intake (`client:`); present == false when the lesson has none. */
typedef struct les_client {
    bool present;
    const char *name;            /* "Daniel, 27"; NULL when not given */
    int age_years;               /* 0 when not given */
    const char *history;         /* prose; NULL when not given */
    les_answer *answers;
    size_t answer_count;
    les_condition *conditions;
    size_t condition_count;
    les_decision decision;       /* the right decision */
    const char *rationale;       /* why, shown after the trainee decides */
    /* for the grader: decision == refuse (any impression fails the attempt),
     * and why in a few words (the first condition that rules treatment out,
     * else the rationale; NULL when neither) */
    bool contraindicated;
    const char *condition;
} les_client;

/* A pigment the trainee may load (`tools.pigments[]`). */
typedef struct les_pigment {
    const char *name;            /* the shade's id, e.g. "soft-black" */
    double dilution_percent;     /* distilled water in the mix, 0..95 */
} les_pigment;

/* What the trainee may use (`tools:`); empty lists mean "any". */
typedef struct les_tools {
    const sim_needle **cartridges;   /* into sim_needle_get's table */
    size_t cartridge_count;
    les_pigment *pigments;
    size_t pigment_count;
} les_tools;

typedef enum les_zone_kind {
    LES_ZONE_WORK = 0,           /* fill at the target density and depth */
    LES_ZONE_FORBIDDEN = 1,      /* no dot belongs here (a lesion, outside
                                    the consented area) */
} les_zone_kind;

typedef struct les_zone {
    const char *name;
    sim_vec2 *polygon;       /* chart mm, as written (3D points projected) */
    size_t polygon_count;
    double density_per_cm2;  /* target (work zones) */
    double depth_min_mm;     /* target band (work zones) */
    double depth_max_mm;
    les_pos pos;             /* where the zone starts in the file */
    les_zone_kind kind;
    const les_pigment *shade;      /* into lesson.tools; NULL: any */
    const sim_needle *cartridge;   /* recommended cartridge; NULL: any */
    const char *note;              /* shown in the brief; NULL when none */
} les_zone;

/* Where the lesson sits in a course of treatment (`session:`). */
typedef struct les_session {
    int number;                  /* 1 for a first session (the default) */
    int planned;                 /* sessions planned in all; 0: not given */
    double days_since_previous;  /* 0: not given */
    /* what earlier sessions left: an impressions CSV (docs/lessons.md),
     * as written in the lesson, relative to the lesson's folder; NULL: none
     * (use les_lesson_file to resolve it) */
    const char *previous_impressions;
    const char *previous_sha256; /* lowercase hex; NULL: not pinned */
} les_session;

/* An imported head (`surface.mesh:`), read by les_lesson_surface_init. */
typedef struct les_mesh_ref {
    const char *path;            /* as written, relative to the lesson; NULL: the
                                    default head */
    double unit_mm;              /* millimetres per file unit (default 1) */
    const char *sha256;          /* lowercase hex; NULL: not pinned */
} les_mesh_ref;

typedef struct les_arena_block les_arena_block;

typedef struct les_lesson {
    int format;              /* stipple_lesson: */
    const char *id;
    const char *title;
    int version;
    /* metadata */
    const char *author;      /* NULL when not given */
    const char *description; /* prose; NULL when not given */
    les_level level;
    /* where and what */
    sim_surface_desc surface;
    les_mesh_ref mesh;
    sim_tissue_desc tissue;  /* `tissue:` (les_tissue.c, docs/tissue.md); all
                                zero: the reference scalp. Arrays in the arena. */
    les_zone *zones;
    size_t zone_count;
    sim_vec2 *hairline;      /* chart mm; NULL when the lesson has none */
    size_t hairline_count;
    /* temple points (hairline.temple_points_mm), chart mm: [0] the
     * subject's right (u < 0 on a head), [1] the left; NULL, count 0 when
     * the lesson has none */
    sim_vec2 *temple_points;
    size_t temple_point_count;
    /* who and with what */
    les_client client;
    les_tools tools;
    les_session session;
    /* how */
    les_rubric rubric;
    les_mode mode;
    double time_limit_s;     /* 0: none */
    const char **hints;      /* practice mode only */
    size_t hint_count;
    /* identity */
    uint8_t hash[32];        /* SHA-256 of the canonical form */
    char hash_hex[65];
    const char *path;        /* the file it came from ("" when parsed from memory) */
    les_arena_block *arena;  /* owns every pointer above */
} les_lesson;

/* Parses YAML text. All diagnostics go to `diags` (each with line and
 * column). Returns LES_OK (possibly with warnings), LES_ERR_SYNTAX,
 * LES_ERR_INVALID or LES_ERR_NOMEM; on error the lesson is empty. Files
 * the lesson names (mesh, previous impressions) are not read: there is no
 * folder to find them in. */
les_result les_lesson_parse(les_lesson *lesson, const char *text, size_t len,
                            les_diags *diags);
/* Reads and parses a file (diags->file names it), then checks the files
 * it names: they exist, parse (the mesh) and match their pinned SHA-256.
 * LES_ERR_IO when the lesson cannot be read (the diagnostic says why). */
les_result les_lesson_load(les_lesson *lesson, const char *path, les_diags *diags);
void les_lesson_deinit(les_lesson *lesson);

/* Index of the zone containing chart point uv, or -1: the first forbidden
 * zone containing it, else the first work zone (in file order). */
int les_lesson_zone_at(const les_lesson *lesson, sim_vec2 uv);

/* The path of a file the lesson names (relative paths are taken from the
 * lesson file's folder) into buf; false when it does not fit. */
bool les_lesson_file(const les_lesson *lesson, const char *rel, char *buf,
                     size_t size);

/* Writes the lesson as YAML that validates and reads back as the same
 * lesson (les_write.c): for tools that build or edit lessons, such as the
 * simulator's authoring mode. Points come out as chart points; keys at
 * their default are left out; comments are not kept. LES_ERR_IO when the
 * stream fails. */
les_result les_lesson_write(const les_lesson *lesson, FILE *out);

/* Builds the lesson's surface: the pad, the default head, or the imported
 * mesh (read, scaled, checked). Errors name the mesh file and line.
 * LES_OK, LES_ERR_IO, LES_ERR_INPUT, LES_ERR_NOMEM. */
les_result les_lesson_surface_init(const les_lesson *lesson, sim_surface *surface,
                                   sim_error *err);

#endif /* LES_LESSON_H */
