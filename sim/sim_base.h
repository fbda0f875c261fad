/* sim_base.h: what every part of Stipple shares: result codes, the error
 * struct, 2D/3D vector helpers in double precision, and the allocator hook.
 *
 * Thread safety: everything here is reentrant; the allocator hook is global
 * and meant to be set once at start-up (or by a test before it runs).
 *
 * Units: millimetres, seconds, newtons; radians inside (degrees only at the
 * user interface). See DESIGN.md section 3.
 */
#ifndef SIM_BASE_H
#define SIM_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The simulation version: bump it whenever a change can alter an impression,
 * a healed dot or a score for the same (lesson, trace). Stored with every
 * grade so an old attempt is re-graded knowingly. History: 1 foundation;
 * 2 tissue-aware healing (issue 3); 3 grader 2: spacing, hairline,
 * technique and safety metrics (issue 4). */
#define SIM_VERSION 3

/* ---------------------------------------------------------------------------
 * Result codes (one X-macro table gives the enum, names and messages)
 * ------------------------------------------------------------------------- */
#define SIM_RESULT_MAP(X)                                                     \
    X(OK, "ok")                                                               \
    X(ERR_ARG, "invalid argument")                                            \
    X(ERR_NOMEM, "out of memory")                                             \
    X(ERR_IO, "input/output error")                                           \
    X(ERR_FORMAT, "malformed data")                                           \
    X(ERR_VERSION, "unsupported format version")                              \
    X(ERR_CRC, "checksum mismatch")                                           \
    X(ERR_TRUNCATED, "file is truncated")                                     \
    X(ERR_RANGE, "value out of range")                                        \
    X(ERR_EMPTY, "nothing to work on")

typedef enum sim_result {
#define SIM__ENUM(name, msg) SIM_##name,
    SIM_RESULT_MAP(SIM__ENUM)
#undef SIM__ENUM
    SIM_RESULT_COUNT
} sim_result;

/* "SIM_ERR_CRC" etc.; never NULL. */
const char *sim_result_name(sim_result r);
/* "checksum mismatch" etc.; never NULL. */
const char *sim_result_message(sim_result r);

/* Detail of a failure, filled by the callee, owned by the caller. Every
 * module (sim, haptics, lessons, render, app) uses this one struct; `code`
 * holds that module's result code. */
typedef struct sim_error {
    int code;          /* the module's result code, 0 when no error */
    char file[256];    /* the file concerned, "" if none */
    int line;          /* 1-based line in a text file, 0 if not applicable */
    int column;        /* 1-based column, 0 if not applicable */
    int64_t offset;    /* byte offset in a binary file, -1 if not applicable */
    int sys_errno;     /* errno or library code, 0 if none */
    char message[512]; /* one human sentence, no trailing newline */
} sim_error;

/* Clears `err` (NULL is allowed and ignored). */
void sim_error_clear(sim_error *err);
/* Fills `err` (NULL allowed) and returns `code` for one-line error returns. */
int sim_error_set(sim_error *err, int code, const char *file, int line,
                  int column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
/* Formats "FILE:LINE:COL: message", "FILE: byte N: message" or "message"
 * into buf; returns buf. */
char *sim_error_format(const sim_error *err, char *buf, size_t size);

/* ---------------------------------------------------------------------------
 * Allocation: every allocation in sim/, haptics/, lessons/ goes through these
 * so tests can fail the N-th allocation (libuv's test-loop-oom idea).
 * ------------------------------------------------------------------------- */
void *sim_malloc(size_t size);
void *sim_calloc(size_t count, size_t size);
void *sim_realloc(void *ptr, size_t size);
void sim_free(void *ptr);
/* Makes room for one more element in a growable array (*items holding
 * `count` elements of `elem_size` bytes, room for *capacity): doubles the
 * room (from `first` elements) when full. *items and *capacity change only
 * on success; SIM_ERR_NOMEM (or on overflow) leaves them as they were. */
sim_result sim_array_grow(void **items, size_t *capacity, size_t count, size_t elem_size,
                          size_t first);
/* Testing: make the allocation after `n` more succeed-calls fail (n = 0:
 * the next one fails); -1 turns failure injection off. */
void sim_alloc_fail_after(long n);

/* ---------------------------------------------------------------------------
 * Vectors (double precision; the simulation never uses float internally)
 * ------------------------------------------------------------------------- */
typedef struct sim_vec2 { double x, y; } sim_vec2;
typedef struct sim_vec3 { double x, y, z; } sim_vec3;

static inline sim_vec2 sim_v2(double x, double y) { sim_vec2 v = {x, y}; return v; }
static inline sim_vec3 sim_v3(double x, double y, double z) { sim_vec3 v = {x, y, z}; return v; }
static inline sim_vec3 sim_v3_add(sim_vec3 a, sim_vec3 b) { return sim_v3(a.x + b.x, a.y + b.y, a.z + b.z); }
static inline sim_vec3 sim_v3_sub(sim_vec3 a, sim_vec3 b) { return sim_v3(a.x - b.x, a.y - b.y, a.z - b.z); }
static inline sim_vec3 sim_v3_scale(sim_vec3 a, double s) { return sim_v3(a.x * s, a.y * s, a.z * s); }
static inline double sim_v3_dot(sim_vec3 a, sim_vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static inline sim_vec3 sim_v3_cross(sim_vec3 a, sim_vec3 b)
{
    return sim_v3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x);
}
static inline double sim_v3_len2(sim_vec3 a) { return sim_v3_dot(a, a); }
double sim_v3_len(sim_vec3 a);
/* Unit vector along a; (0,0,0) stays (0,0,0). */
sim_vec3 sim_v3_normalize(sim_vec3 a);
static inline sim_vec2 sim_v2_sub(sim_vec2 a, sim_vec2 b) { return sim_v2(a.x - b.x, a.y - b.y); }
static inline double sim_v2_dot(sim_vec2 a, sim_vec2 b) { return a.x * b.x + a.y * b.y; }
double sim_v2_len(sim_vec2 a);

#define SIM_PI 3.14159265358979323846
static inline double sim_deg(double rad) { return rad * (180.0 / SIM_PI); }
static inline double sim_rad(double deg) { return deg * (SIM_PI / 180.0); }

/* ---------------------------------------------------------------------------
 * Deterministic random numbers (DOOM's m_random idea): the simulation's own
 * generator, seeded from the trace or lesson, never from the clock.
 * PCG32 (O'Neill 2014).
 * ------------------------------------------------------------------------- */
typedef struct sim_rng { uint64_t state, inc; } sim_rng;
void sim_rng_seed(sim_rng *rng, uint64_t seed, uint64_t stream);
uint32_t sim_rng_u32(sim_rng *rng);
/* Uniform in [0, 1). */
double sim_rng_unit(sim_rng *rng);

/* CRC-32 (IEEE 802.3, reflected, as zlib). Pass 0 as `crc` to start. */
uint32_t sim_crc32(uint32_t crc, const void *data, size_t len);

#endif /* SIM_BASE_H */
