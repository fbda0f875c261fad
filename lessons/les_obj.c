/* les_obj.c: Wavefront OBJ head meshes (les_obj.h).
 *
 * Passes: 1. statements, line by line, into growable vertex and triangle
 * arrays (with each triangle's line for messages); 2. the closed-mesh check
 * on sorted directed edges; 3. size, enclosure of the chart centre (ray
 * parity) and winding (signed volume); 4. normals.
 *
 * Threads: reentrant.
 */
#include "les_obj.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "les_internal.h"

#define LES__OBJ_MAX_COORD_MM 10000.0
#define LES__OBJ_MIN_SIZE_MM 50.0
#define LES__OBJ_MAX_SIZE_MM 500.0
#define LES__OBJ_MAX_CORNERS 64

typedef struct les__obj {
    const char *name;
    double unit_mm;
    sim_error *err;
    sim_vec3 *v;
    size_t v_count, v_cap;
    uint32_t *tri;           /* 3 per triangle */
    int *tri_line;           /* the line of each triangle's face */
    size_t t_count, t_cap;
    int line;
} les__obj;

static les_result les__obj_error(les__obj *o, int line, int column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static les_result les__obj_error(les__obj *o, int line, int column, const char *fmt, ...)
{
    if (!o->err)
        return LES_ERR_INPUT;
    char msg[sizeof o->err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sim_error_set(o->err, LES_ERR_INPUT, o->name, line, column, "%s", msg);
    return LES_ERR_INPUT;
}

static les_result les__obj_nomem(les__obj *o)
{
    sim_error_set(o->err, LES_ERR_NOMEM, o->name, 0, 0, "out of memory reading the mesh");
    return LES_ERR_NOMEM;
}

/* ------------------------------------------------------------------------ */
/* Tokens                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct les__tok {
    const char *s;
    size_t len;
    int column;              /* 1-based */
} les__tok;

/* Splits line[0..len) on blanks into at most max tokens; returns the count
 * (max + 1 when there are more). Stops at '#'. */
static size_t les__obj_split(const char *line, size_t len, les__tok *toks, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len) {
        while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
            i++;
        if (i >= len || line[i] == '#')
            break;
        size_t start = i;
        while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r' &&
               line[i] != '#')
            i++;
        if (n == max)
            return max + 1;
        toks[n++] = (les__tok){line + start, i - start, (int)start + 1};
    }
    return n;
}

static bool les__tok_is(const les__tok *t, const char *word)
{
    size_t n = strlen(word);
    return t->len == n && memcmp(t->s, word, n) == 0;
}

/* ------------------------------------------------------------------------ */
/* Statements                                                               */
/* ------------------------------------------------------------------------ */

static les_result les__obj_vertex(les__obj *o, const les__tok *t, size_t n)
{
    if (n < 4 || n > 5)
        return les__obj_error(o, o->line, t[0].column,
                              "a vertex is `v x y z` (and an optional w), got %zu numbers",
                              n - 1);
    double xyz[3];
    for (size_t i = 0; i < 3; i++) {
        double x;
        if (!les__parse_number(t[i + 1].s, t[i + 1].len, &x))
            return les__obj_error(o, o->line, t[i + 1].column,
                                  "a vertex coordinate must be a number, got \"%.*s\"",
                                  (int)(t[i + 1].len > 32 ? 32 : t[i + 1].len), t[i + 1].s);
        xyz[i] = x * o->unit_mm;
        if (!(fabs(xyz[i]) <= LES__OBJ_MAX_COORD_MM))
            return les__obj_error(o, o->line, t[i + 1].column,
                                  "a vertex lies more than 10 m from the origin (after "
                                  "scaling by %g mm per unit)", o->unit_mm);
    }
    if (o->v_count >= LES_OBJ_MAX_VERTICES)
        return les__obj_error(o, o->line, 1, "more than %u vertices", LES_OBJ_MAX_VERTICES);
    void *items = o->v;
    if (sim_array_grow(&items, &o->v_cap, o->v_count, sizeof *o->v, 1024) != SIM_OK)
        return les__obj_nomem(o);
    o->v = items;
    o->v[o->v_count++] = sim_v3(xyz[0], xyz[1], xyz[2]);
    return LES_OK;
}

/* The vertex index of one face corner ("i", "i/t", "i//n", "i/t/n"). */
static les_result les__obj_corner(les__obj *o, const les__tok *t, uint32_t *out)
{
    size_t k = 0;
    bool neg = k < t->len && t->s[k] == '-';
    k += neg;
    long long idx = 0;
    size_t digits = 0;
    while (k < t->len && t->s[k] >= '0' && t->s[k] <= '9' && digits < 12) {
        idx = idx * 10 + (t->s[k++] - '0');
        digits++;
    }
    bool ok = digits > 0 && (k == t->len || t->s[k] == '/');
    for (size_t r = k; ok && r < t->len; r++)
        ok = t->s[r] == '/' || t->s[r] == '-' || (t->s[r] >= '0' && t->s[r] <= '9');
    if (!ok)
        return les__obj_error(o, o->line, t->column,
                              "a face corner must be a vertex index (i, i/t, i//n or i/t/n), "
                              "got \"%.*s\"", (int)(t->len > 32 ? 32 : t->len), t->s);
    long long resolved = neg ? (long long)o->v_count - idx : idx - 1;
    if (idx == 0 || resolved < 0 || resolved >= (long long)o->v_count)
        return les__obj_error(o, o->line, t->column,
                              "the face refers to vertex %s%lld, but %zu vertices are defined "
                              "before it", neg ? "-" : "", idx, o->v_count);
    *out = (uint32_t)resolved;
    return LES_OK;
}

static les_result les__obj_face(les__obj *o, const les__tok *t, size_t n)
{
    if (n > LES__OBJ_MAX_CORNERS + 1)
        return les__obj_error(o, o->line, t[0].column, "a face has more than %d corners",
                              LES__OBJ_MAX_CORNERS);
    if (n < 4)
        return les__obj_error(o, o->line, t[0].column,
                              "a face needs at least 3 corners, got %zu", n - 1);
    uint32_t idx[LES__OBJ_MAX_CORNERS];
    for (size_t i = 1; i < n; i++) {
        les_result r = les__obj_corner(o, &t[i], &idx[i - 1]);
        if (r != LES_OK)
            return r;
        for (size_t k = 0; k + 1 < i; k++)
            if (idx[k] == idx[i - 1])
                return les__obj_error(o, o->line, t[i].column,
                                      "the face uses vertex %u twice", idx[k] + 1);
    }
    for (size_t i = 2; i + 1 < n; i++) {
        if (o->t_count >= LES_OBJ_MAX_TRIANGLES)
            return les__obj_error(o, o->line, 1, "more than %u triangles",
                                  LES_OBJ_MAX_TRIANGLES);
        if (o->t_count == o->t_cap) {
            size_t cap = o->t_cap ? o->t_cap * 2 : 2048;
            uint32_t *tri = sim_realloc(o->tri, cap * 3 * sizeof *tri);
            if (!tri)
                return les__obj_nomem(o);
            o->tri = tri;
            int *lines = sim_realloc(o->tri_line, cap * sizeof *lines);
            if (!lines)
                return les__obj_nomem(o);
            o->tri_line = lines;
            o->t_cap = cap;
        }
        uint32_t *dst = &o->tri[o->t_count * 3];
        dst[0] = idx[0];
        dst[1] = idx[i - 1];
        dst[2] = idx[i];
        o->tri_line[o->t_count++] = o->line;
    }
    return LES_OK;
}

static les_result les__obj_statement(les__obj *o, const char *line, size_t len)
{
    les__tok t[LES__OBJ_MAX_CORNERS + 2];
    size_t n = les__obj_split(line, len, t, LES__OBJ_MAX_CORNERS + 2);
    if (n == 0)
        return LES_OK;
    if (les__tok_is(&t[0], "v"))
        return les__obj_vertex(o, t, n);
    if (les__tok_is(&t[0], "f"))
        return les__obj_face(o, t, n);
    static const char *const skipped[] = {"vt", "vn", "vp", "o", "g", "s", "usemtl",
                                          "mtllib", "l", "p"};
    for (size_t i = 0; i < sizeof skipped / sizeof skipped[0]; i++)
        if (les__tok_is(&t[0], skipped[i]))
            return LES_OK;
    return les__obj_error(o, o->line, t[0].column,
                          "unknown OBJ statement \"%.*s\" (a head mesh needs only `v` and `f`)",
                          (int)(t[0].len > 32 ? 32 : t[0].len), t[0].s);
}

/* ------------------------------------------------------------------------ */
/* Whole-mesh checks                                                        */
/* ------------------------------------------------------------------------ */

typedef struct les__edge { uint32_t a, b, tri; } les__edge;

static int les__edge_cmp(const void *pa, const void *pb)
{
    const les__edge *x = pa, *y = pb;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    if (x->b != y->b)
        return x->b < y->b ? -1 : 1;
    return x->tri < y->tri ? -1 : x->tri > y->tri;
}

static bool les__edge_find(const les__edge *e, size_t n, uint32_t a, uint32_t b)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (e[mid].a < a || (e[mid].a == a && e[mid].b < b))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && e[lo].a == a && e[lo].b == b;
}

/* Every directed edge once, and its reverse present: closed and
 * consistently wound. */
static les_result les__obj_closed(les__obj *o)
{
    size_t n = o->t_count * 3;
    les__edge *e = sim_calloc(n, sizeof *e);
    if (!e)
        return les__obj_nomem(o);
    for (size_t t = 0; t < o->t_count; t++)
        for (size_t k = 0; k < 3; k++)
            e[t * 3 + k] = (les__edge){o->tri[t * 3 + k], o->tri[t * 3 + (k + 1) % 3],
                                       (uint32_t)t};
    qsort(e, n, sizeof *e, les__edge_cmp);
    les_result r = LES_OK;
    for (size_t i = 0; i < n && r == LES_OK; i++) {
        if (i + 1 < n && e[i].a == e[i + 1].a && e[i].b == e[i + 1].b)
            r = les__obj_error(o, o->tri_line[e[i + 1].tri], 1,
                               "the edge from vertex %u to %u is used by two faces in the "
                               "same direction (faces wound inconsistently, or more than two "
                               "faces on one edge)", e[i].a + 1, e[i].b + 1);
        else if (!les__edge_find(e, n, e[i].b, e[i].a))
            r = les__obj_error(o, o->tri_line[e[i].tri], 1,
                               "the mesh is not closed: the edge from vertex %u to %u "
                               "belongs to one face only (a head mesh must be watertight)",
                               e[i].a + 1, e[i].b + 1);
    }
    sim_free(e);
    return r;
}

/* Does the ray from p along +x cross triangle t? (Moller-Trumbore.) */
static bool les__obj_ray_hits(const les__obj *o, size_t t, sim_vec3 p)
{
    sim_vec3 a = o->v[o->tri[t * 3]], b = o->v[o->tri[t * 3 + 1]], c = o->v[o->tri[t * 3 + 2]];
    /* +x with a tiny skew, off the edges and vertices of axis-aligned meshes */
    sim_vec3 dir = sim_v3_normalize(sim_v3(1.0, 3.1e-7, 1.7e-7));
    sim_vec3 e1 = sim_v3_sub(b, a), e2 = sim_v3_sub(c, a);
    sim_vec3 h = sim_v3_cross(dir, e2);
    double det = sim_v3_dot(e1, h);
    if (fabs(det) < 1e-15)
        return false;
    sim_vec3 s = sim_v3_sub(p, a);
    double u = sim_v3_dot(s, h) / det;
    if (u < 0 || u > 1)
        return false;
    sim_vec3 q = sim_v3_cross(s, e1);
    double v = sim_v3_dot(dir, q) / det;
    if (v < 0 || u + v > 1)
        return false;
    return sim_v3_dot(e2, q) / det > 0;
}

static les_result les__obj_shape(les__obj *o)
{
    sim_vec3 lo = o->v[0], hi = o->v[0];
    for (size_t i = 1; i < o->v_count; i++) {
        lo = sim_v3(fmin(lo.x, o->v[i].x), fmin(lo.y, o->v[i].y), fmin(lo.z, o->v[i].z));
        hi = sim_v3(fmax(hi.x, o->v[i].x), fmax(hi.y, o->v[i].y), fmax(hi.z, o->v[i].z));
    }
    double size = fmax(hi.x - lo.x, fmax(hi.y - lo.y, hi.z - lo.z));
    if (size < LES__OBJ_MIN_SIZE_MM || size > LES__OBJ_MAX_SIZE_MM)
        return les__obj_error(o, 0, 0,
                              "the mesh is %.4g mm across; a head is 150-250 mm (is "
                              "`mesh_unit_mm` right? a scan in metres needs 1000)", size);
    sim_vec3 centre = sim_chart_centre();
    size_t crossings = 0;
    double volume6 = 0.0;
    for (size_t t = 0; t < o->t_count; t++) {
        crossings += les__obj_ray_hits(o, t, centre);
        sim_vec3 a = o->v[o->tri[t * 3]], b = o->v[o->tri[t * 3 + 1]], c = o->v[o->tri[t * 3 + 2]];
        volume6 += sim_v3_dot(a, sim_v3_cross(b, c));
    }
    if (crossings % 2 == 0)
        return les__obj_error(o, 0, 0,
                              "the mesh does not enclose the chart centre (%g, %g, %g): a "
                              "head mesh must be in the head frame (origin between the ear "
                              "canals, +y up, +z toward the face, mm)",
                              SIM_CHART_CENTRE_X, SIM_CHART_CENTRE_Y, SIM_CHART_CENTRE_Z);
    if (volume6 < 0.0) {
        for (size_t t = 0; t < o->t_count; t++) {
            uint32_t tmp = o->tri[t * 3 + 1];
            o->tri[t * 3 + 1] = o->tri[t * 3 + 2];
            o->tri[t * 3 + 2] = tmp;
        }
    }
    return LES_OK;
}

/* ------------------------------------------------------------------------ */
/* Entry points                                                             */
/* ------------------------------------------------------------------------ */

static les_result les__obj_build(les__obj *o, sim_mesh *out)
{
    if (o->v_count < 4 || o->t_count < 4)
        return les__obj_error(o, 0, 0,
                              "the mesh has %zu vertices and %zu triangles; a closed head "
                              "needs at least 4 of each", o->v_count, o->t_count);
    les_result r = les__obj_closed(o);
    if (r == LES_OK)
        r = les__obj_shape(o);
    if (r != LES_OK)
        return r;
    if (sim_mesh_alloc(out, (uint32_t)o->v_count, (uint32_t)o->t_count) != SIM_OK)
        return les__obj_nomem(o);
    memcpy(out->positions, o->v, o->v_count * sizeof *o->v);
    memcpy(out->indices, o->tri, o->t_count * 3 * sizeof *o->tri);
    sim_mesh_compute_normals(out);
    return LES_OK;
}

les_result les_obj_parse(const char *text, size_t len, const char *name, double unit_mm,
                         sim_mesh *out, sim_error *err)
{
    sim_error_clear(err);
    if (out)
        memset(out, 0, sizeof *out);
    if (!out || (!text && len) || !(unit_mm > 0))
        return (les_result)sim_error_set(err, LES_ERR_ARG, name, 0, 0,
                                         "les_obj_parse: bad argument");
    les__obj o = {.name = name ? name : "", .unit_mm = unit_mm, .err = err};
    les_result r = LES_OK;
    size_t i = 0;
    while (i < len && r == LES_OK) {
        size_t end = i;
        while (end < len && text[end] != '\n')
            end++;
        o.line++;
        if (memchr(text + i, '\0', end - i))
            r = les__obj_error(&o, o.line, 1, "a NUL byte: this is not a text OBJ file");
        else
            r = les__obj_statement(&o, text + i, end - i);
        i = end + 1;
    }
    if (r == LES_OK)
        r = les__obj_build(&o, out);
    sim_free(o.v);
    sim_free(o.tri);
    sim_free(o.tri_line);
    return r;
}

les_result les_obj_load(const char *path, double unit_mm, sim_mesh *out, sim_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!path || !out)
        return (les_result)sim_error_set(err, LES_ERR_ARG, path, 0, 0,
                                         "les_obj_load: bad argument");
    char *text = NULL;
    size_t len = 0;
    int sys_errno = 0;
    les_result r = les__read_file(path, &text, &len, &sys_errno);
    if (r == LES_ERR_IO) {
        sim_error_set(err, LES_ERR_IO, path, 0, 0, "cannot read the mesh: %s",
                      strerror(sys_errno));
        if (err)
            err->sys_errno = sys_errno;
        return r;
    }
    if (r != LES_OK)
        return (les_result)sim_error_set(err, r, path, 0, 0, "out of memory reading the mesh");
    r = les_obj_parse(text, len, path, unit_mm, out, err);
    sim_free(text);
    return r;
}
