/* les_lesson_internal.h: the state of one lesson parse, shared by the files
 * that each read one part of a lesson (internal to the lessons module):
 *
 *  - les_lesson.c:  the top-level table, the passes, load/parse/deinit;
 *  - les_points.c:  points and point lists, projection onto the chart,
 *                   polygon checks;
 *  - les_zones.c:   `zones:` (work and forbidden zones);
 *  - les_surface.c: `surface:` and building the lesson's surface;
 *  - les_client.c:  `client:` (intake and the right decision);
 *  - les_tools.c:   `tools:` (cartridges, pigments) and zones' references
 *                   to them;
 *  - les_check.c:   realism checks (FIDELITY.md) and cross-key checks;
 *  - les_files.c:   the files a lesson names (mesh, earlier impressions).
 *
 * Parse passes (les_lesson.c): 1. YAML -> positioned tree; 2. schemas ->
 * values (raw points and nodes kept aside); 3. geometry; 4. cross-key and
 * realism checks; 5. the canonical hash; 6. diagnostics sorted into file
 * order. Passes 2 and 3-4 are apart so key order never matters.
 *
 * Threads: reentrant.
 */
#ifndef LES_LESSON_INTERNAL_H
#define LES_LESSON_INTERNAL_H

#include "les_parts.h"

/* Limits: a lesson needs far less; they bound the work on hostile input. */
#define LES__MAX_ZONES 64
#define LES__MAX_POINTS 1000
#define LES__MAX_COORD_MM 10000.0

/* A point as written: 2 or 3 coordinates and where it stands. */
typedef struct les__pt {
    double v[3];
    int dims;
    les_pos pos;
} les__pt;

typedef struct les__pts {
    les__pt *items;
    size_t count;
    les_pos pos;             /* the list */
    bool ok;                 /* every point is well-formed */
} les__pts;

typedef struct les__zone_in {
    les_zone zone;
    les__pts polygon;
    const les__node *node;   /* the zone's mapping */
    const les__node *shade;  /* `shade:` as written, resolved against tools */
} les__zone_in;

typedef struct les__hairline_in {
    les__pts polyline;
    les__pts temples;
} les__hairline_in;

typedef struct les__parse {
    les__sctx sc;
    les_arena_block *tmp;    /* the YAML tree and raw points */
    les_lesson lesson;       /* built here, handed over on success */
    const les__node *root;
    les__zone_in *zones;
    size_t zone_count;
    les__hairline_in hairline;
    bool surface_ok;
} les__parse;

static inline les__parse *les__state(les__sctx *c) { return c->user; }

/* les_points.c ----------------------------------------------------------- */
/* Custom handler: a list of key->min..key->max points into a les__pts. */
void les__points_key(les__sctx *c, const les__key *key, const les__node *value,
                     void *field, const char *path);
/* Projects every point into a new array in the lesson arena, checked
 * against the surface; no point may repeat the one before it (nor, when
 * closed, the first). NULL when any is wrong (reported) or out of memory
 * (c->nomem). */
sim_vec2 *les__chart_points(les__parse *p, const les__pts *pts, bool closed);
/* A zone's polygon: projected, simple, with an area. */
void les__zone_polygon(les__parse *p, les__zone_in *z);

/* les_zones.c ------------------------------------------------------------ */
void les__zones_key(les__sctx *c, const les__key *key, const les__node *value,
                    void *field, const char *path);
/* A cartridge name the simulator knows (sim_needle_find) into a
 * `const sim_needle *`, with a suggestion when it is not. */
void les__cartridge_key(les__sctx *c, const les__key *key, const les__node *value,
                        void *field, const char *path);
/* Unique names, density warnings. */
void les__zone_checks(les__parse *p, size_t i);

/* les_surface.c ---------------------------------------------------------- */
void les__surface_key(les__sctx *c, const les__key *key, const les__node *value,
                      void *field, const char *path);

/* les_client.c, les_tools.c: schemas applied to the lesson's structs, and
 * checks that need the whole lesson. */
extern const les__schema les__client_schema;
extern const les__schema les__tools_schema;
void les__client_checks(les__parse *p);
void les__tools_checks(les__parse *p);

/* les_check.c ------------------------------------------------------------ */
/* FIDELITY.md warnings and cross-key checks (session, mode, hairline). */
void les__lesson_checks(les__parse *p);
/* A depth band's warnings (epidermis, blowout), at the band's numbers. */
void les__band_warnings(les__sctx *c, const les__node *band, const les_zone *z);
/* Where `key` (a path of keys such as "session.number") was written, or
 * NULL. */
const les__node *les__find(const les__node *root, const char *path);

/* les_files.c ------------------------------------------------------------ */
/* Checks the files a loaded lesson names (lesson->path set); diagnostics
 * at their keys. False when out of memory. */
bool les__check_files(les_lesson *lesson, const les__node *root, les_diags *diags);
/* A 64-digit lowercase SHA-256 hex string check (for `*_sha256` keys). */
void les__sha256_key(les__sctx *c, const les__key *key, const les__node *value,
                     void *field, const char *path);

#endif /* LES_LESSON_INTERNAL_H */
