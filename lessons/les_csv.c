/* les_csv.c: impressions from CSV (les_grade.h, the `--impressions` input).
 *
 * Format: a header row naming the columns, then one impression per row.
 * Required columns x_mm, y_mm, z_mm (a point in the surface's frame) and
 * depth_mm; optional needle (a cartridge name, sim_needle_find), angle_deg
 * (to the surface normal) and dwell_ms; any order. Fields are separated by
 * commas; spaces around a field are ignored; a field may be double-quoted
 * ("" inside for a quote; on one line). Blank lines, CRLF line ends and a
 * missing final newline are fine. Each point is projected onto the surface
 * with sim_surface_closest; the impression's surface_mm, normal and chart
 * come from the hit, its depth from depth_mm.
 *
 * Errors stop the read at the first problem and name the file, line and
 * column (1-based, bytes); `out` is left as it was.
 *
 * Threads: reentrant.
 */
#include "les_grade.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "les_internal.h"
#include "les_schema.h"

#define LES__CSV_MAX_FIELDS 32
#define LES__CSV_FIELD_MAX 256

typedef enum les__col {
    LES__COL_X, LES__COL_Y, LES__COL_Z, LES__COL_DEPTH,
    LES__COL_NEEDLE, LES__COL_ANGLE, LES__COL_DWELL, LES__COL_COUNT
} les__col;

typedef struct les__col_def {
    const char *name;
    bool required;
    double min, max;         /* numbers */
    const char *unit;
} les__col_def;

static const les__col_def les__cols[LES__COL_COUNT] = {
    [LES__COL_X] = {"x_mm", true, -10000, 10000, "mm"},
    [LES__COL_Y] = {"y_mm", true, -10000, 10000, "mm"},
    [LES__COL_Z] = {"z_mm", true, -10000, 10000, "mm"},
    [LES__COL_DEPTH] = {"depth_mm", true, 0, 10, "mm"},
    [LES__COL_NEEDLE] = {"needle", false, 0, 0, NULL},
    [LES__COL_ANGLE] = {"angle_deg", false, 0, 90, "degrees"},
    [LES__COL_DWELL] = {"dwell_ms", false, 0, 1000000, "ms"},
};

typedef struct les__field {
    const char *text;
    size_t len;
    int column;
} les__field;

typedef struct les__csv {
    const char *text, *name;
    size_t len, at;          /* the cursor: start of the next line */
    int line;                /* of the row just read */
    sim_error *err;
    les__field fields[LES__CSV_MAX_FIELDS];
    size_t count;            /* fields in the row just read */
    int end_column;          /* just past the row's last character */
    char unquoted[LES__CSV_MAX_FIELDS][LES__CSV_FIELD_MAX];
    les__col map[LES__CSV_MAX_FIELDS];   /* header: field -> column */
    size_t columns;          /* fields in the header */
} les__csv;

static les_result les__csv_error(les__csv *c, int column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static les_result les__csv_error(les__csv *c, int column, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return (les_result)sim_error_set(c->err, LES_ERR_INPUT, c->name, c->line, column,
                                     "%s", msg);
}

/* ------------------------------------------------------------------------ */
/* Tokenising                                                               */
/* ------------------------------------------------------------------------ */

static bool les__blank(char ch) { return ch == ' ' || ch == '\t'; }

/* A quoted field starting at line[*i] (the quote); *i ends past it. */
static les_result les__csv_quoted(les__csv *c, const char *line, size_t end, size_t *i,
                                  les__field *f)
{
    char *out = c->unquoted[c->count];
    size_t n = 0, k = *i + 1;
    for (;; k++) {
        if (k >= end)
            return les__csv_error(c, f->column, "unterminated quoted field");
        if (line[k] == '"' && !(k + 1 < end && line[k + 1] == '"'))
            break;
        if (line[k] == '"')
            k++;
        if (n + 1 >= LES__CSV_FIELD_MAX)
            return les__csv_error(c, f->column, "field longer than %d characters",
                                  LES__CSV_FIELD_MAX - 1);
        out[n++] = line[k];
    }
    out[n] = '\0';
    f->text = out;
    f->len = n;
    for (k++; k < end && les__blank(line[k]); k++) {
    }
    *i = k;
    if (k < end && line[k] != ',')
        return les__csv_error(c, (int)k + 1, "unexpected text after a quoted field");
    return LES_OK;
}

/* Splits line[0..end) into c->fields. */
static les_result les__csv_split(les__csv *c, const char *line, size_t end)
{
    c->count = 0;
    for (size_t i = 0;;) {
        while (i < end && les__blank(line[i]))
            i++;
        if (c->count == LES__CSV_MAX_FIELDS)
            return les__csv_error(c, (int)i + 1, "too many fields (at most %d)",
                                  LES__CSV_MAX_FIELDS);
        les__field *f = &c->fields[c->count];
        f->column = (int)i + 1;
        if (i < end && line[i] == '"') {
            les_result r = les__csv_quoted(c, line, end, &i, f);
            if (r != LES_OK)
                return r;
        } else {
            size_t start = i;
            while (i < end && line[i] != ',')
                i++;
            size_t stop = i;
            while (stop > start && les__blank(line[stop - 1]))
                stop--;
            f->text = line + start;
            f->len = stop - start;
        }
        c->count++;
        if (i >= end)
            break;
        i++; /* the comma */
    }
    c->end_column = (int)end + 1;
    return LES_OK;
}

/* Reads the next non-blank row; *got false at the end of the text. */
static les_result les__csv_next(les__csv *c, bool *got)
{
    *got = false;
    while (c->at < c->len) {
        const char *line = c->text + c->at;
        const char *nl = memchr(line, '\n', c->len - c->at);
        size_t end = nl ? (size_t)(nl - line) : c->len - c->at;
        c->at += end + (nl ? 1 : 0);
        c->line++;
        if (end > 0 && line[end - 1] == '\r')
            end--;
        size_t k = 0;
        while (k < end && les__blank(line[k]))
            k++;
        if (k == end)
            continue;
        *got = true;
        return les__csv_split(c, line, end);
    }
    return LES_OK;
}

/* ------------------------------------------------------------------------ */
/* Header                                                                   */
/* ------------------------------------------------------------------------ */

static int les__col_find(const les__field *f)
{
    for (int i = 0; i < LES__COL_COUNT; i++)
        if (strlen(les__cols[i].name) == f->len && memcmp(les__cols[i].name, f->text, f->len) == 0)
            return i;
    return -1;
}

static void les__append(char *buf, size_t size, const char *sep, const char *text, size_t len)
{
    size_t n = strlen(buf);
    snprintf(buf + n, size - n, "%s`%.*s`", n ? sep : "", (int)(len > 40 ? 40 : len), text);
}

static les_result les__csv_unknown(les__csv *c)
{
    char names[200] = "", known[200] = "";
    int first = 0, count = 0;
    for (size_t i = 0; i < c->count; i++) {
        if (les__col_find(&c->fields[i]) >= 0)
            continue;
        if (count++ == 0)
            first = c->fields[i].column;
        les__append(names, sizeof names, ", ", c->fields[i].text, c->fields[i].len);
    }
    if (count == 0)
        return LES_OK;
    for (int i = 0; i < LES__COL_COUNT; i++)
        les__append(known, sizeof known, ", ", les__cols[i].name, strlen(les__cols[i].name));
    return les__csv_error(c, first, "unknown column%s %s; the columns are %s",
                          count > 1 ? "s" : "", names, known);
}

static les_result les__csv_header(les__csv *c)
{
    bool got;
    les_result r = les__csv_next(c, &got);
    if (r != LES_OK)
        return r;
    if (!got) {
        c->line = 1;
        return les__csv_error(c, 1, "no header row: the first line must name the "
                                    "columns, such as x_mm,y_mm,z_mm,depth_mm");
    }
    if ((r = les__csv_unknown(c)) != LES_OK)
        return r;
    bool seen[LES__COL_COUNT] = {false};
    for (size_t i = 0; i < c->count; i++) {
        int col = les__col_find(&c->fields[i]);
        if (seen[col])
            return les__csv_error(c, c->fields[i].column, "duplicate column `%s`",
                                  les__cols[col].name);
        seen[col] = true;
        c->map[i] = (les__col)col;
    }
    c->columns = c->count;
    char missing[200] = "";
    int count = 0;
    for (int i = 0; i < LES__COL_COUNT; i++) {
        if (les__cols[i].required && !seen[i]) {
            les__append(missing, sizeof missing, ", ", les__cols[i].name,
                        strlen(les__cols[i].name));
            count++;
        }
    }
    if (count)
        return les__csv_error(c, 1, "missing required column%s %s", count > 1 ? "s" : "",
                              missing);
    return LES_OK;
}

/* ------------------------------------------------------------------------ */
/* Rows                                                                     */
/* ------------------------------------------------------------------------ */

static les_result les__csv_number(les__csv *c, const les__field *f, les__col col,
                                  double *out)
{
    const les__col_def *d = &les__cols[col];
    bool number = les__parse_number(f->text, f->len, out);
    if (number && *out >= d->min && *out <= d->max)
        return LES_OK;
    char expected[160], got[64];
    les__expected_text(expected, sizeof expected, LES__K_NUMBER, d->min, d->max, d->unit);
    if (f->len == 0)
        snprintf(got, sizeof got, "nothing");
    else if (number) /* shown as written, like the lesson's messages */
        snprintf(got, sizeof got, "%.*s", (int)f->len, f->text);
    else
        les__quote(got, sizeof got, f->text, f->len);
    return les__csv_error(c, f->column, "`%s` must be %s, got %s", d->name, expected, got);
}

static les_result les__csv_needle(les__csv *c, const les__field *f, uint32_t *out)
{
    char name[64];
    int index = -1;
    if (f->len < sizeof name && !memchr(f->text, '\0', f->len)) {
        memcpy(name, f->text, f->len);
        name[f->len] = '\0';
        index = sim_needle_find(name);
    }
    if (index >= 0) {
        *out = (uint32_t)index;
        return LES_OK;
    }
    char known[200] = "", got[64];
    for (size_t i = 0; i < sim_needle_count(); i++) {
        const char *n = sim_needle_get(i)->name;
        les__append(known, sizeof known, ", ", n, strlen(n));
    }
    return les__csv_error(c, f->column, "unknown cartridge %s; known: %s",
                          les__quote(got, sizeof got, f->text, f->len), known);
}

/* The row's values into *imp (before projection). */
static les_result les__csv_values(les__csv *c, sim_vec3 *p, sim_impression *imp)
{
    double v[LES__COL_COUNT] = {0};
    for (size_t i = 0; i < c->count; i++) {
        les_result r = c->map[i] == LES__COL_NEEDLE
                           ? les__csv_needle(c, &c->fields[i], &imp->needle)
                           : les__csv_number(c, &c->fields[i], c->map[i], &v[c->map[i]]);
        if (r != LES_OK)
            return r;
    }
    *p = sim_v3(v[LES__COL_X], v[LES__COL_Y], v[LES__COL_Z]);
    imp->depth_mm = v[LES__COL_DEPTH];
    imp->angle_rad = sim_rad(v[LES__COL_ANGLE]);
    imp->dwell_s = v[LES__COL_DWELL] / 1000.0;
    return LES_OK;
}

static les_result les__csv_row(les__csv *c, const sim_surface *surface,
                               sim_impression *imp)
{
    size_t want = c->columns;
    if (c->count != want) {
        int column = c->count < want ? c->end_column : c->fields[want].column;
        return les__csv_error(c, column, "expected %zu fields as in the header, got %zu",
                              want, c->count);
    }
    memset(imp, 0, sizeof *imp);
    sim_vec3 p;
    les_result r = les__csv_values(c, &p, imp);
    if (r != LES_OK)
        return r;
    sim_surface_hit hit;
    sim_surface_closest(surface, p, &hit);
    if (!hit.on_surface)
        return les__csv_error(c, c->fields[0].column,
                              "the point lies beside the pad, not over it");
    imp->surface_mm = hit.point_mm;
    imp->normal = hit.normal;
    imp->chart_mm = hit.chart_mm;
    return LES_OK;
}

les_result les_impressions_parse_csv(const char *text, size_t len, const char *name,
                                     const sim_surface *surface,
                                     sim_impression_list *out, sim_error *err)
{
    if ((!text && len) || !surface || !out || surface->kind == SIM_SURFACE_NONE)
        return (les_result)sim_error_set(err, LES_ERR_ARG, name, 0, 0,
                                         "les_impressions_parse_csv: missing argument");
    les__csv *c = sim_calloc(1, sizeof *c);
    if (!c)
        return (les_result)sim_error_set(err, LES_ERR_NOMEM, name, 0, 0, "out of memory");
    c->text = text ? text : "";
    c->len = len;
    c->name = name ? name : "";
    c->err = err;
    size_t before = out->count;
    les_result r = les__csv_header(c);
    for (bool got = true; r == LES_OK;) {
        if ((r = les__csv_next(c, &got)) != LES_OK || !got)
            break;
        sim_impression imp;
        if ((r = les__csv_row(c, surface, &imp)) != LES_OK)
            break;
        if (sim_impression_list_push(out, &imp) != SIM_OK)
            r = (les_result)sim_error_set(err, LES_ERR_NOMEM, c->name, 0, 0, "out of memory");
    }
    sim_free(c);
    if (r != LES_OK)
        out->count = before;
    return r;
}

les_result les_impressions_read_csv(const char *path, const sim_surface *surface,
                                    sim_impression_list *out, sim_error *err)
{
    if (!path)
        return (les_result)sim_error_set(err, LES_ERR_ARG, NULL, 0, 0,
                                         "les_impressions_read_csv: no path");
    char *text = NULL;
    size_t len = 0;
    int sys_errno = 0;
    les_result r = les__read_file(path, &text, &len, &sys_errno);
    if (r == LES_ERR_IO) {
        r = (les_result)sim_error_set(err, LES_ERR_IO, path, 0, 0, "cannot read the file: %s",
                                      strerror(sys_errno));
        if (err)
            err->sys_errno = sys_errno;
        return r;
    }
    if (r != LES_OK)
        return (les_result)sim_error_set(err, r, path, 0, 0, "out of memory");
    r = les_impressions_parse_csv(text, len, path, surface, out, err);
    sim_free(text);
    return r;
}
