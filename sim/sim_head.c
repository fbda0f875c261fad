/* sim_head.c: the procedural default head.
 *
 * The head is a signed distance function (SDF) built from smooth unions of
 * ellipsoids, round cones and a capped cylinder, sized to adult averages
 * (head length ~200 mm, breadth ~150 mm, vertex ~130 mm above the ear
 * canals). The mesh is a cube-sphere: each vertex sits where a ray from the
 * head-frame origin crosses the SDF's outermost zero, found by marching in
 * and bisecting. Shading normals are the SDF's gradient.
 *
 * Only +, -, *, / and sqrt are used, so the mesh is bit-identical on every
 * IEEE-754 machine (DESIGN.md section 1: scores must re-grade to themselves
 * years later).
 *
 * Threads: reentrant; allocation only in sim_head_build.
 */
#include "sim_mesh.h"
#include "sim_mesh_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HEAD_DEFAULT_CELLS 128u
#define HEAD_MARCH_START_MM 280.0

sim_head_desc sim_head_desc_resolve(sim_head_desc desc)
{
    if (desc.face_cells == 0)
        desc.face_cells = HEAD_DEFAULT_CELLS;
    return desc;
}

/* ------------------------------------------------------------------------ */
/* SDF primitives (sqrt-only)                                               */
/* ------------------------------------------------------------------------ */

/* Ellipsoid, Quilez's bound-corrected approximation: exact on the surface. */
static double sd_ellipsoid(sim_vec3 p, sim_vec3 c, sim_vec3 r)
{
    sim_vec3 q = sim_v3_sub(p, c);
    sim_vec3 a = sim_v3(q.x / r.x, q.y / r.y, q.z / r.z);
    sim_vec3 b = sim_v3(q.x / (r.x * r.x), q.y / (r.y * r.y), q.z / (r.z * r.z));
    double k0 = sqrt(sim_v3_len2(a)), k1 = sqrt(sim_v3_len2(b));
    if (k1 == 0.0)
        return -fmin(r.x, fmin(r.y, r.z));
    return k0 * (k0 - 1.0) / k1;
}

static double sd_sphere(sim_vec3 p, sim_vec3 c, double r)
{
    return sqrt(sim_v3_len2(sim_v3_sub(p, c))) - r;
}

/* Cone with rounded ends from a (radius ra) to b (radius rb). */
static double sd_round_cone(sim_vec3 p, sim_vec3 a, sim_vec3 b, double ra, double rb)
{
    sim_vec3 ba = sim_v3_sub(b, a), pa = sim_v3_sub(p, a);
    double l2 = sim_v3_len2(ba);
    double rr = ra - rb;
    double a2 = l2 - rr * rr;
    double il2 = 1.0 / l2;
    double y = sim_v3_dot(pa, ba);
    double z = y - l2;
    sim_vec3 xv = sim_v3_sub(sim_v3_scale(pa, l2), sim_v3_scale(ba, y));
    double x2 = sim_v3_len2(xv);
    double y2 = y * y * l2;
    double z2 = z * z * l2;
    double k = (rr > 0 ? 1.0 : (rr < 0 ? -1.0 : 0.0)) * rr * rr * x2;
    if ((z > 0 ? 1.0 : -1.0) * a2 * z2 > k)
        return sqrt(x2 + z2) * il2 - rb;
    if ((y > 0 ? 1.0 : -1.0) * a2 * y2 < k)
        return sqrt(x2 + y2) * il2 - ra;
    return (sqrt(x2 * a2 * il2) + y * rr) * il2 - ra;
}

/* Vertical capped cylinder (axis along Y through (cx, *, cz)), rounded. */
static double sd_rounded_cylinder(sim_vec3 p, double cx, double cz, double radius,
                                  double y0, double y1, double round)
{
    double dx = p.x - cx, dz = p.z - cz;
    double half = 0.5 * (y1 - y0), mid = 0.5 * (y0 + y1);
    double d0 = sqrt(dx * dx + dz * dz) - radius + round;
    double d1 = fabs(p.y - mid) - half + round;
    double o0 = d0 > 0 ? d0 : 0, o1 = d1 > 0 ? d1 : 0;
    double inside = d0 > d1 ? d0 : d1;
    return (inside < 0 ? inside : 0) + sqrt(o0 * o0 + o1 * o1) - round;
}

/* Polynomial smooth minimum (blend radius k, mm). */
static double smin(double a, double b, double k)
{
    double h = k - fabs(a - b);
    h = h > 0 ? h / k : 0;
    return (a < b ? a : b) - h * h * k * 0.25;
}

/* Smooth subtraction of b from a. */
static double ssub(double a, double b, double k)
{
    return -smin(-a, b, k);
}

/* ------------------------------------------------------------------------ */
/* The head                                                                 */
/* ------------------------------------------------------------------------ */

double sim_head_sdf(sim_vec3 p)
{
    /* Mirror to the subject's left half: the head is symmetric. */
    sim_vec3 m = sim_v3(fabs(p.x), p.y, p.z);

    /* Cranium: an egg, broader at the parietal eminences than at the
     * forehead (x scaled by a factor rising toward the back). */
    double back = (-(p.z + 12.0)) / 100.0;          /* -1 front .. +1 back */
    double widen = 1.0 + 0.07 * back;
    sim_vec3 cp = sim_v3(p.x / widen, p.y, p.z);
    double d = sd_ellipsoid(cp, sim_v3(0, 32, -12), sim_v3(73, 98, 100));
    /* forehead fullness and the occipital curve */
    d = smin(d, sd_ellipsoid(p, sim_v3(0, 62, 38), sim_v3(60, 50, 50)), 20);
    d = smin(d, sd_ellipsoid(p, sim_v3(0, 20, -70), sim_v3(62, 60, 45)), 20);

    /* Face mass, cheekbones, jaw, chin */
    double face = sd_ellipsoid(p, sim_v3(0, -14, 38), sim_v3(60, 62, 55));
    face = smin(face, sd_ellipsoid(m, sim_v3(47, 4, 60), sim_v3(18, 15, 18)), 12);
    face = smin(face, sd_ellipsoid(p, sim_v3(0, -60, 46), sim_v3(47, 27, 42)), 18);
    face = smin(face, sd_ellipsoid(p, sim_v3(0, -74, 80), sim_v3(17, 13, 11)), 10);
    /* brow ridge */
    face = smin(face, sd_ellipsoid(p, sim_v3(0, 38, 84), sim_v3(55, 10, 12)), 10);
    d = smin(d, face, 22);

    /* Eye sockets, then eyeballs and lids */
    d = ssub(d, sd_sphere(m, sim_v3(32, 17, 97), 14.0), 7);
    d = smin(d, sd_sphere(m, sim_v3(32, 16, 79), 12.0), 4);

    /* Nose: a round cone from the root to the tip, plus the alae */
    d = smin(d, sd_round_cone(p, sim_v3(0, 26, 92), sim_v3(0, -5, 113), 5.5, 10.0), 7);
    d = smin(d, sd_ellipsoid(m, sim_v3(11, -9, 104), sim_v3(8, 6.5, 7)), 5);

    /* Lips */
    d = smin(d, sd_ellipsoid(p, sim_v3(0, -33, 88), sim_v3(23, 6, 6)), 8);
    d = smin(d, sd_ellipsoid(p, sim_v3(0, -45, 86), sim_v3(20, 5.5, 5.5)), 8);

    /* Ears: flattened ovals standing off the side of the head */
    d = smin(d, sd_ellipsoid(m, sim_v3(73, 2, -8), sim_v3(8, 31, 18)), 5);

    /* Neck */
    d = smin(d, sd_rounded_cylinder(p, 0, -26, 58, -180, -35, 12), 30);
    return d;
}

/* Outward unit normal: the SDF's gradient by central differences. */
static sim_vec3 sdf_normal(sim_vec3 p)
{
    const double h = 0.02;
    double gx = sim_head_sdf(sim_v3(p.x + h, p.y, p.z)) - sim_head_sdf(sim_v3(p.x - h, p.y, p.z));
    double gy = sim_head_sdf(sim_v3(p.x, p.y + h, p.z)) - sim_head_sdf(sim_v3(p.x, p.y - h, p.z));
    double gz = sim_head_sdf(sim_v3(p.x, p.y, p.z + h)) - sim_head_sdf(sim_v3(p.x, p.y, p.z - h));
    return sim_v3_normalize(sim_v3(gx, gy, gz));
}

/* Distance from the origin to the outermost zero of the SDF along unit dir:
 * march in from outside, then bisect the bracket. */
static double outer_radius(sim_vec3 dir)
{
    double r_out = HEAD_MARCH_START_MM;
    double r = r_out;
    for (int i = 0; i < 2000 && r > 0.0; i++) {
        double s = sim_head_sdf(sim_v3_scale(dir, r));
        if (s <= 0.0)
            break;
        r_out = r;
        double step = 0.6 * s;
        r -= step > 0.25 ? step : 0.25;
    }
    if (r <= 0.0)
        r = 0.0;
    double lo = r, hi = r_out;   /* sdf(lo) <= 0 < sdf(hi) */
    /* the bracket is under a millimetre: 2^-28 of it is far below what
     * any query resolves */
    for (int i = 0; i < 28; i++) {
        double mid = 0.5 * (lo + hi);
        if (sim_head_sdf(sim_v3_scale(dir, mid)) <= 0.0)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* First zero of the SDF along a line from `from` in direction `dir` (unit). */
static sim_vec3 line_hit(sim_vec3 from, sim_vec3 dir)
{
    double t = 0.0, t_out = 0.0;
    for (int i = 0; i < 4000; i++) {
        double s = sim_head_sdf(sim_v3_add(from, sim_v3_scale(dir, t)));
        if (s <= 0.0)
            break;
        t_out = t;
        double step = 0.6 * s;
        t += step > 0.1 ? step : 0.1;
    }
    double lo = t_out, hi = t;
    for (int i = 0; i < 48; i++) {
        double mid = 0.5 * (lo + hi);
        if (sim_head_sdf(sim_v3_add(from, sim_v3_scale(dir, mid))) > 0.0)
            lo = mid;
        else
            hi = mid;
    }
    return sim_v3_add(from, sim_v3_scale(dir, 0.5 * (lo + hi)));
}

void sim_head_landmarks_get(sim_head_landmarks *out)
{
    memset(out, 0, sizeof *out);
    /* vertex: the highest surface point in the midsagittal plane */
    sim_vec3 best = sim_v3(0, -1e9, 0);
    for (int i = 0; i <= 200; i++) {
        double z = -60.0 + 0.5 * i;
        sim_vec3 h = line_hit(sim_v3(0, 250, z), sim_v3(0, -1, 0));
        if (h.y > best.y)
            best = h;
    }
    out->vertex = best;
    out->glabella = line_hit(sim_v3(0, 38, 250), sim_v3(0, 0, -1));
    out->nasion = line_hit(sim_v3(0, 27, 250), sim_v3(0, 0, -1));
    out->opisthocranion = line_hit(sim_v3(0, 35, -250), sim_v3(0, 0, 1));
    out->tragion_left = line_hit(sim_v3(250, 0, 12), sim_v3(-1, 0, 0));
    out->tragion_right = sim_v3(-out->tragion_left.x, out->tragion_left.y, out->tragion_left.z);
    out->canthus_left = line_hit(sim_v3(46, 16, 250), sim_v3(0, 0, -1));
    out->canthus_right = sim_v3(-out->canthus_left.x, out->canthus_left.y, out->canthus_left.z);
}

/* ------------------------------------------------------------------------ */
/* Cube-sphere mesh                                                         */
/* ------------------------------------------------------------------------ */

/* The six cube faces: outward axis and in-plane axes (u x v = n). */
static const int FACE_AXES[6][3][3] = {
    /* n,          u,          v */
    {{1, 0, 0}, {0, 0, -1}, {0, 1, 0}},
    {{-1, 0, 0}, {0, 0, 1}, {0, 1, 0}},
    {{0, 1, 0}, {1, 0, 0}, {0, 0, -1}},
    {{0, -1, 0}, {1, 0, 0}, {0, 0, 1}},
    {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}},
    {{0, 0, -1}, {-1, 0, 0}, {0, 1, 0}},
};

typedef struct lattice_key { int32_t x, y, z; uint32_t slot; } lattice_key;

static int key_cmp(const void *a, const void *b)
{
    const lattice_key *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    if (p->z != q->z)
        return p->z < q->z ? -1 : 1;
    return (p->slot > q->slot) - (p->slot < q->slot);
}

static bool same_point(const lattice_key *a, const lattice_key *b)
{
    return a->x == b->x && a->y == b->y && a->z == b->z;
}

/* Cube point (integer lattice -n..n) to a unit direction, by the
 * area-balancing cube-to-sphere map (sqrt only, symmetric in the axes so
 * shared cube edges map identically from both faces). */
static sim_vec3 lattice_dir(int32_t x, int32_t y, int32_t z, uint32_t n)
{
    double a = (double)x / n, b = (double)y / n, c = (double)z / n;
    double a2 = a * a, b2 = b * b, c2 = c * c;
    sim_vec3 s = sim_v3(a * sqrt(1.0 - b2 / 2.0 - c2 / 2.0 + b2 * c2 / 3.0),
                        b * sqrt(1.0 - c2 / 2.0 - a2 / 2.0 + c2 * a2 / 3.0),
                        c * sqrt(1.0 - a2 / 2.0 - b2 / 2.0 + a2 * b2 / 3.0));
    return sim_v3_normalize(s);
}

sim_result sim_head_build(sim_mesh *out, const sim_head_desc *desc_in, sim_error *err)
{
    sim_head_desc desc = sim_head_desc_resolve(desc_in ? *desc_in : (sim_head_desc){0});
    memset(out, 0, sizeof *out);
    uint32_t cells = desc.face_cells;
    if (cells < 4 || cells > 1024)
        return sim_error_set(err, SIM_ERR_RANGE, NULL, 0, 0,
                             "head resolution %u is outside 4..1024 cells per face", cells);
    uint32_t side = cells + 1;
    size_t slots = 6u * (size_t)side * side;
    lattice_key *keys = sim_calloc(slots, sizeof *keys);
    uint32_t *slot_vertex = sim_calloc(slots, sizeof *slot_vertex);
    if (!keys || !slot_vertex) {
        sim_free(keys);
        sim_free(slot_vertex);
        return sim_error_set(err, SIM_ERR_NOMEM, NULL, 0, 0, "out of memory building the head");
    }
    for (uint32_t f = 0; f < 6; f++) {
        const int (*ax)[3] = FACE_AXES[f];
        for (uint32_t j = 0; j < side; j++) {
            for (uint32_t i = 0; i < side; i++) {
                int32_t u = 2 * (int32_t)i - (int32_t)cells;
                int32_t v = 2 * (int32_t)j - (int32_t)cells;
                size_t s = ((size_t)f * side + j) * side + i;
                keys[s].x = ax[0][0] * (int32_t)cells + ax[1][0] * u + ax[2][0] * v;
                keys[s].y = ax[0][1] * (int32_t)cells + ax[1][1] * u + ax[2][1] * v;
                keys[s].z = ax[0][2] * (int32_t)cells + ax[1][2] * u + ax[2][2] * v;
                keys[s].slot = (uint32_t)s;
            }
        }
    }
    qsort(keys, slots, sizeof *keys, key_cmp);
    uint32_t vcount = 0;
    for (size_t k = 0; k < slots; k++) {
        if (k > 0 && !same_point(&keys[k], &keys[k - 1]))
            vcount++;
        slot_vertex[keys[k].slot] = vcount;
    }
    vcount++;
    uint32_t tcount = 6u * cells * cells * 2u;
    sim_result r = sim_mesh_alloc(out, vcount, tcount);
    if (r != SIM_OK) {
        sim_free(keys);
        sim_free(slot_vertex);
        return sim_error_set(err, r, NULL, 0, 0, "out of memory building the head mesh");
    }
    /* one position per unique lattice point, in sorted-key order */
    for (size_t k = 0; k < slots; k++) {
        if (k > 0 && same_point(&keys[k], &keys[k - 1]))
            continue;
        uint32_t v = slot_vertex[keys[k].slot];
        sim_vec3 dir = lattice_dir(keys[k].x, keys[k].y, keys[k].z, cells);
        sim_vec3 p = sim_v3_scale(dir, outer_radius(dir));
        out->positions[v] = p;
        out->normals[v] = sdf_normal(p);
    }
    uint32_t *idx = out->indices;
    for (uint32_t f = 0; f < 6; f++) {
        for (uint32_t j = 0; j < cells; j++) {
            for (uint32_t i = 0; i < cells; i++) {
                size_t base = (size_t)f * side * side;
                uint32_t a = slot_vertex[base + (size_t)j * side + i];
                uint32_t b = slot_vertex[base + (size_t)j * side + i + 1];
                uint32_t c = slot_vertex[base + (size_t)(j + 1) * side + i + 1];
                uint32_t e = slot_vertex[base + (size_t)(j + 1) * side + i];
                /* alternate the diagonal for a symmetric triangulation */
                if (((i + j) & 1u) == 0) {
                    *idx++ = a, *idx++ = b, *idx++ = c;
                    *idx++ = a, *idx++ = c, *idx++ = e;
                } else {
                    *idx++ = a, *idx++ = b, *idx++ = e;
                    *idx++ = b, *idx++ = c, *idx++ = e;
                }
            }
        }
    }
    sim_free(keys);
    sim_free(slot_vertex);
    return SIM_OK;
}
