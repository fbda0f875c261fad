/* hap_calib.c: device-to-surface calibration (see hap_calib.h). */
#include "hap_calib.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALIB_MAGIC "stipple-calibration"
#define CALIB_VERSION 1
#define CALIB_MIN_EDGE_MM 5.0
#define CALIB_MIN_SIN 0.05      /* about 3 degrees: nearly collinear below */
#define CALIB_TOL 1e-6

hap_calib hap_calib_identity(void)
{
    hap_calib c;
    memset(&c, 0, sizeof c);
    c.rot[0][0] = c.rot[1][1] = c.rot[2][2] = 1.0;
    c.scale = 1.0;
    return c;
}

static sim_vec3 mat_mul(const double m[3][3], sim_vec3 v)
{
    return sim_v3(m[0][0] * v.x + m[0][1] * v.y + m[0][2] * v.z,
                  m[1][0] * v.x + m[1][1] * v.y + m[1][2] * v.z,
                  m[2][0] * v.x + m[2][1] * v.y + m[2][2] * v.z);
}

static sim_vec3 mat_mul_t(const double m[3][3], sim_vec3 v)
{
    return sim_v3(m[0][0] * v.x + m[1][0] * v.y + m[2][0] * v.z,
                  m[0][1] * v.x + m[1][1] * v.y + m[2][1] * v.z,
                  m[0][2] * v.x + m[1][2] * v.y + m[2][2] * v.z);
}

sim_vec3 hap_calib_point(const hap_calib *c, sim_vec3 p)
{
    return sim_v3_add(c->offset_mm, sim_v3_scale(mat_mul(c->rot, p), c->scale));
}

sim_vec3 hap_calib_point_inverse(const hap_calib *c, sim_vec3 p)
{
    return sim_v3_scale(mat_mul_t(c->rot, sim_v3_sub(p, c->offset_mm)), 1.0 / c->scale);
}

sim_vec3 hap_calib_dir(const hap_calib *c, sim_vec3 d)
{
    return mat_mul(c->rot, d);
}

sim_vec3 hap_calib_velocity(const hap_calib *c, sim_vec3 v)
{
    return sim_v3_scale(mat_mul(c->rot, v), c->scale);
}

sim_vec3 hap_calib_force_to_device(const hap_calib *c, sim_vec3 f)
{
    return mat_mul_t(c->rot, f);
}

double hap_calib_depth_scale(const hap_calib *c)
{
    return c->depth_scale > 0 ? c->depth_scale : c->scale;
}

double hap_calib_max_gain(const hap_calib *c)
{
    double d = hap_calib_depth_scale(c);
    return d > c->scale ? d : c->scale;
}

/* Orthonormal frame of a triangle: e1 along a->b, e3 its normal, columns. */
static bool triangle_frame(const sim_vec3 p[3], double f[3][3], const char **why)
{
    sim_vec3 ab = sim_v3_sub(p[1], p[0]), ac = sim_v3_sub(p[2], p[0]);
    sim_vec3 bc = sim_v3_sub(p[2], p[1]);
    double lab = sim_v3_len(ab), lac = sim_v3_len(ac), lbc = sim_v3_len(bc);
    if (!(lab >= CALIB_MIN_EDGE_MM && lac >= CALIB_MIN_EDGE_MM && lbc >= CALIB_MIN_EDGE_MM)) {
        *why = "two of the points are closer than 5 mm";
        return false;
    }
    sim_vec3 n = sim_v3_cross(ab, ac);
    if (!(sim_v3_len(n) >= CALIB_MIN_SIN * lab * lac)) {
        *why = "the points are (nearly) on one line";
        return false;
    }
    sim_vec3 e1 = sim_v3_normalize(ab), e3 = sim_v3_normalize(n);
    sim_vec3 e2 = sim_v3_cross(e3, e1);
    const sim_vec3 cols[3] = {e1, e2, e3};
    for (int j = 0; j < 3; j++) {
        f[0][j] = cols[j].x;
        f[1][j] = cols[j].y;
        f[2][j] = cols[j].z;
    }
    return true;
}

static double perimeter(const sim_vec3 p[3])
{
    return sim_v3_len(sim_v3_sub(p[1], p[0])) + sim_v3_len(sim_v3_sub(p[2], p[1])) +
           sim_v3_len(sim_v3_sub(p[0], p[2]));
}

static sim_vec3 centroid(const sim_vec3 p[3])
{
    return sim_v3_scale(sim_v3_add(sim_v3_add(p[0], p[1]), p[2]), 1.0 / 3.0);
}

hap_result hap_calib_from_points(hap_calib *out, const sim_vec3 dev[3],
                                 const sim_vec3 surf[3], double *residual_mm,
                                 sim_error *err)
{
    if (!out || !dev || !surf)
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0, "calibration: missing points");
    double fd[3][3], fs[3][3];
    const char *why = NULL;
    if (!triangle_frame(dev, fd, &why))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "calibration: the touched device points are unusable: %s", why);
    if (!triangle_frame(surf, fs, &why))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "calibration: the target surface points are unusable: %s", why);
    hap_calib c = hap_calib_identity();
    /* R = Fs * Fd^T maps the device frame's axes onto the surface frame's. */
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            c.rot[i][j] = fs[i][0] * fd[j][0] + fs[i][1] * fd[j][1] + fs[i][2] * fd[j][2];
    c.scale = perimeter(surf) / perimeter(dev);
    c.offset_mm = sim_v3_sub(centroid(surf), sim_v3_scale(mat_mul(c.rot, centroid(dev)), c.scale));
    double sum2 = 0;
    for (int i = 0; i < 3; i++)
        sum2 += sim_v3_len2(sim_v3_sub(hap_calib_point(&c, dev[i]), surf[i]));
    if (residual_mm)
        *residual_mm = sqrt(sum2 / 3.0);
    *out = c;
    return HAP_OK;
}

hap_result hap_calib_check(const hap_calib *c, sim_error *err)
{
    if (!c)
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0, "calibration: none given");
    if (!(isfinite(c->scale) && c->scale > 0))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "calibration: scale must be a positive number");
    if (!(isfinite(c->depth_scale) && c->depth_scale >= 0))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "calibration: depth_scale must be 0 or positive");
    if (!(isfinite(c->offset_mm.x) && isfinite(c->offset_mm.y) && isfinite(c->offset_mm.z)))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "calibration: offset is not finite");
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double dot = 0;
            for (int k = 0; k < 3; k++)
                dot += c->rot[k][i] * c->rot[k][j];
            if (!(fabs(dot - (i == j ? 1.0 : 0.0)) <= CALIB_TOL))
                return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                                 "calibration: rotation is not orthonormal");
        }
    double det = c->rot[0][0] * (c->rot[1][1] * c->rot[2][2] - c->rot[1][2] * c->rot[2][1]) -
                 c->rot[0][1] * (c->rot[1][0] * c->rot[2][2] - c->rot[1][2] * c->rot[2][0]) +
                 c->rot[0][2] * (c->rot[1][0] * c->rot[2][1] - c->rot[1][1] * c->rot[2][0]);
    if (!(fabs(det - 1.0) <= CALIB_TOL))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "calibration: rotation is a reflection (determinant %.3f)", det);
    return HAP_OK;
}

hap_result hap_calib_save(const hap_calib *c, const char *path, sim_error *err)
{
    hap_result r = hap_calib_check(c, err);
    if (r != HAP_OK)
        return r;
    FILE *f = fopen(path, "w");
    if (!f) {
        if (err)
            err->sys_errno = errno;
        return (hap_result)sim_error_set(err, HAP_ERR_IO, path, 0, 0, "cannot create: %s",
                                         strerror(errno));
    }
    fprintf(f, "%s %d\n", CALIB_MAGIC, CALIB_VERSION);
    fprintf(f, "scale %.17g\n", c->scale);
    fprintf(f, "depth_scale %.17g\n", c->depth_scale);
    fprintf(f, "rotation");
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            fprintf(f, " %.17g", c->rot[i][j]);
    fprintf(f, "\noffset %.17g %.17g %.17g\n", c->offset_mm.x, c->offset_mm.y, c->offset_mm.z);
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad)
        return (hap_result)sim_error_set(err, HAP_ERR_IO, path, 0, 0, "write failed");
    return HAP_OK;
}

/* Parses exactly n numbers after the key; false names the column. */
static bool parse_numbers(const char *s, double *out, int n, int *bad_col, const char *line)
{
    for (int i = 0; i < n; i++) {
        while (*s == ' ' || *s == '\t')
            s++;
        char *end = NULL;
        errno = 0;
        double v = strtod(s, &end);
        if (end == s || errno == ERANGE || !isfinite(v)) {
            *bad_col = (int)(s - line) + 1;
            return false;
        }
        out[i] = v;
        s = end;
    }
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    if (*s) {
        *bad_col = (int)(s - line) + 1;
        return false;
    }
    return true;
}

hap_result hap_calib_load(hap_calib *out, const char *path, sim_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (err)
            err->sys_errno = errno;
        return (hap_result)sim_error_set(err, errno == ENOENT ? HAP_ERR_NOT_FOUND : HAP_ERR_IO,
                                         path, 0, 0, "cannot open: %s", strerror(errno));
    }
    hap_calib c = hap_calib_identity();
    char line[512];
    int lineno = 0;
    unsigned seen = 0;
    hap_result r = HAP_OK;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        int col = 0;
        double v[9];
        if (lineno == 1) {
            int version = 0;
            if (sscanf(line, CALIB_MAGIC " %d", &version) != 1) {
                r = (hap_result)sim_error_set(err, HAP_ERR_ARG, path, 1, 1,
                                              "expected \"" CALIB_MAGIC " %d\"", CALIB_VERSION);
                break;
            }
            if (version != CALIB_VERSION) {
                r = (hap_result)sim_error_set(err, HAP_ERR_ARG, path, 1, 21,
                                              "unsupported calibration version %d (expected %d)",
                                              version, CALIB_VERSION);
                break;
            }
            continue;
        }
        if (line[0] == '#' || line[0] == '\n')
            continue;
        static const struct { const char *key; int n; unsigned bit; } keys[] = {
            {"scale", 1, 1}, {"depth_scale", 1, 2}, {"rotation", 9, 4}, {"offset", 3, 8},
        };
        int k = -1;
        for (int i = 0; i < 4; i++) {
            size_t len = strlen(keys[i].key);
            if (strncmp(line, keys[i].key, len) == 0 && (line[len] == ' ' || line[len] == '\t')) {
                k = i;
                break;
            }
        }
        if (k < 0) {
            r = (hap_result)sim_error_set(err, HAP_ERR_ARG, path, lineno, 1,
                                          "expected scale, depth_scale, rotation or offset");
            break;
        }
        if (!parse_numbers(line + strlen(keys[k].key), v, keys[k].n, &col, line)) {
            r = (hap_result)sim_error_set(err, HAP_ERR_ARG, path, lineno, col,
                                          "expected %d number%s after \"%s\"", keys[k].n,
                                          keys[k].n > 1 ? "s" : "", keys[k].key);
            break;
        }
        seen |= keys[k].bit;
        switch (k) {
        case 0: c.scale = v[0]; break;
        case 1: c.depth_scale = v[0]; break;
        case 2: memcpy(c.rot, v, sizeof c.rot); break;
        default: c.offset_mm = sim_v3(v[0], v[1], v[2]); break;
        }
    }
    if (r == HAP_OK && ferror(f))
        r = (hap_result)sim_error_set(err, HAP_ERR_IO, path, 0, 0, "read failed");
    fclose(f);
    if (r != HAP_OK)
        return r;
    if (lineno == 0)
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, path, 0, 0, "the file is empty");
    if ((seen & 13u) != 13u)
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, path, lineno, 1,
                                         "missing %s", !(seen & 1) ? "scale" : !(seen & 4) ? "rotation" : "offset");
    sim_error e2;
    sim_error_clear(&e2);
    if (hap_calib_check(&c, &e2) != HAP_OK)
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, path, 0, 0, "%s", e2.message);
    *out = c;
    return HAP_OK;
}
