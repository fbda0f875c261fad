/* sim_bvh.c: bounding-volume hierarchy over a triangle mesh: binned-SAH
 * build, closest-point and ray queries, and the angle-weighted
 * pseudo-normals that give the signed distance its sign.
 *
 * Threads: build on one thread; queries are read-only, allocation-free and
 * lock-free (the haptic servo thread calls sim_bvh_closest at 1 kHz).
 */
#include "sim_mesh.h"
#include "sim_mesh_internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BVH_LEAF_MAX 4
#define BVH_BINS 16

/* ------------------------------------------------------------------------ */
/* Build                                                                    */
/* ------------------------------------------------------------------------ */

typedef struct box3 { double lo[3], hi[3]; } box3;

static box3 box_empty(void)
{
    box3 b = {{INFINITY, INFINITY, INFINITY}, {-INFINITY, -INFINITY, -INFINITY}};
    return b;
}

static void box_grow(box3 *b, const double p[3])
{
    for (int k = 0; k < 3; k++) {
        if (p[k] < b->lo[k])
            b->lo[k] = p[k];
        if (p[k] > b->hi[k])
            b->hi[k] = p[k];
    }
}

static void box_merge(box3 *b, const box3 *o)
{
    box_grow(b, o->lo);
    box_grow(b, o->hi);
}

static double box_area(const box3 *b)
{
    if (b->lo[0] > b->hi[0])
        return 0.0;
    double dx = b->hi[0] - b->lo[0], dy = b->hi[1] - b->lo[1], dz = b->hi[2] - b->lo[2];
    return 2.0 * (dx * dy + dy * dz + dz * dx);
}

typedef struct build_ctx {
    sim_bvh *bvh;
    box3 *tri_box;       /* per triangle */
    double (*centroid)[3];
    uint32_t node_cap;
} build_ctx;

static void tri_bounds(const sim_mesh *mesh, uint32_t t, box3 *b, double c[3])
{
    sim_vec3 p[3];
    sim_mesh_triangle(mesh, t, p);
    *b = box_empty();
    for (int k = 0; k < 3; k++) {
        double v[3] = {p[k].x, p[k].y, p[k].z};
        box_grow(b, v);
    }
    for (int k = 0; k < 3; k++)
        c[k] = (b->lo[k] + b->hi[k]) * 0.5;
}

/* Writes float bounds that contain the double box. */
static void node_set_bounds(sim_bvh_node *n, const box3 *b)
{
    for (int k = 0; k < 3; k++) {
        float lo = (float)b->lo[k], hi = (float)b->hi[k];
        if ((double)lo > b->lo[k])
            lo = nextafterf(lo, -INFINITY);
        if ((double)hi < b->hi[k])
            hi = nextafterf(hi, INFINITY);
        n->lo[k] = lo;
        n->hi[k] = hi;
    }
}

/* Chooses a split of tri_order[first, first+count) by binned SAH; returns the
 * number of triangles on the left (0 when a leaf is better). */
static uint32_t choose_split(build_ctx *ctx, uint32_t first, uint32_t count,
                             const box3 *bounds, uint32_t depth)
{
    uint32_t *order = ctx->bvh->tri_order;
    box3 cbox = box_empty();
    for (uint32_t i = 0; i < count; i++)
        box_grow(&cbox, ctx->centroid[order[first + i]]);

    int best_axis = -1, best_bin = -1;
    double best_cost = (double)count * box_area(bounds);
    for (int axis = 0; axis < 3; axis++) {
        double extent = cbox.hi[axis] - cbox.lo[axis];
        if (extent <= 0.0)
            continue;
        box3 bin_box[BVH_BINS];
        uint32_t bin_count[BVH_BINS] = {0};
        for (int b = 0; b < BVH_BINS; b++)
            bin_box[b] = box_empty();
        double scale = BVH_BINS / extent;
        for (uint32_t i = 0; i < count; i++) {
            uint32_t t = order[first + i];
            int b = (int)((ctx->centroid[t][axis] - cbox.lo[axis]) * scale);
            b = b < 0 ? 0 : (b >= BVH_BINS ? BVH_BINS - 1 : b);
            bin_count[b]++;
            box_merge(&bin_box[b], &ctx->tri_box[t]);
        }
        /* sweep from the right, then from the left */
        double right_area[BVH_BINS];
        uint32_t right_count[BVH_BINS];
        box3 acc = box_empty();
        uint32_t n = 0;
        for (int b = BVH_BINS - 1; b > 0; b--) {
            box_merge(&acc, &bin_box[b]);
            n += bin_count[b];
            right_area[b] = box_area(&acc);
            right_count[b] = n;
        }
        acc = box_empty();
        n = 0;
        for (int b = 0; b < BVH_BINS - 1; b++) {
            box_merge(&acc, &bin_box[b]);
            n += bin_count[b];
            if (n == 0 || right_count[b + 1] == 0)
                continue;
            double cost = 0.125 * box_area(bounds) +
                          (double)n * box_area(&acc) +
                          (double)right_count[b + 1] * right_area[b + 1];
            if (cost < best_cost) {
                best_cost = cost;
                best_axis = axis;
                best_bin = b;
            }
        }
    }
    if (best_axis < 0) {
        if (count <= BVH_LEAF_MAX)
            return 0;
        /* all centroids coincide or SAH prefers a leaf that is too large:
         * split the range in half (order is already arbitrary but stable) */
        return count / 2;
    }
    if (count <= BVH_LEAF_MAX && depth > 0)
        return 0;
    /* partition by bin */
    double extent = cbox.hi[best_axis] - cbox.lo[best_axis];
    double scale = BVH_BINS / extent;
    uint32_t i = first, j = first + count;
    while (i < j) {
        uint32_t t = order[i];
        int b = (int)((ctx->centroid[t][best_axis] - cbox.lo[best_axis]) * scale);
        b = b < 0 ? 0 : (b >= BVH_BINS ? BVH_BINS - 1 : b);
        if (b <= best_bin) {
            i++;
        } else {
            j--;
            order[i] = order[j];
            order[j] = t;
        }
    }
    uint32_t left = i - first;
    if (left == 0 || left == count)
        return count / 2;
    return left;
}

static sim_result build_node(build_ctx *ctx, uint32_t node, uint32_t first,
                             uint32_t count, uint32_t depth)
{
    sim_bvh *bvh = ctx->bvh;
    box3 bounds = box_empty();
    for (uint32_t i = 0; i < count; i++)
        box_merge(&bounds, &ctx->tri_box[bvh->tri_order[first + i]]);
    node_set_bounds(&bvh->nodes[node], &bounds);
    if (depth + 1 > bvh->depth)
        bvh->depth = depth + 1;

    uint32_t left = 0;
    if (count > 1 && depth + 1 < SIM_BVH_MAX_DEPTH)
        left = choose_split(ctx, first, count, &bounds, depth);
    if (left == 0) {
        bvh->nodes[node].first = first;
        bvh->nodes[node].count = count;
        return SIM_OK;
    }
    if (bvh->node_count + 2 > ctx->node_cap)
        return SIM_ERR_NOMEM; /* defensive: 2T-1 nodes always suffice */
    uint32_t child = bvh->node_count;
    bvh->node_count += 2;
    bvh->nodes[node].first = child;
    bvh->nodes[node].count = 0;
    sim_result r = build_node(ctx, child, first, left, depth + 1);
    if (r != SIM_OK)
        return r;
    return build_node(ctx, child + 1, first + left, count - left, depth + 1);
}

/* ------------------------------------------------------------------------ */
/* Pseudo-normals                                                           */
/* ------------------------------------------------------------------------ */

typedef struct edge_ref { uint64_t key; uint32_t tri; uint32_t corner; } edge_ref;

static int edge_cmp(const void *a, const void *b)
{
    const edge_ref *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->tri != y->tri)
        return x->tri < y->tri ? -1 : 1;
    return (x->corner > y->corner) - (x->corner < y->corner);
}

static sim_result build_pseudo_normals(sim_bvh *bvh)
{
    const sim_mesh *mesh = bvh->mesh;
    uint32_t nt = mesh->triangle_count;
    bvh->face_normal = sim_calloc(nt, sizeof *bvh->face_normal);
    bvh->edge_normal = sim_calloc((size_t)nt * 3u, sizeof *bvh->edge_normal);
    bvh->vertex_normal = sim_calloc(mesh->vertex_count, sizeof *bvh->vertex_normal);
    edge_ref *edges = sim_calloc((size_t)nt * 3u, sizeof *edges);
    if (!bvh->face_normal || !bvh->edge_normal || !bvh->vertex_normal || !edges) {
        sim_free(edges);
        return SIM_ERR_NOMEM;
    }
    for (uint32_t t = 0; t < nt; t++) {
        sim_vec3 p[3];
        double angle[3];
        sim_mesh_triangle(mesh, t, p);
        sim_vec3 n = sim__triangle_normal(p);
        bvh->face_normal[t] = n;
        sim__mesh_corner_angles(p, angle);
        for (uint32_t k = 0; k < 3; k++) {
            uint32_t a = mesh->indices[t * 3u + k], b = mesh->indices[t * 3u + (k + 1) % 3];
            bvh->vertex_normal[a] = sim_v3_add(bvh->vertex_normal[a], sim_v3_scale(n, angle[k]));
            uint64_t lo = a < b ? a : b, hi = a < b ? b : a;
            edges[t * 3u + k] = (edge_ref){(lo << 32) | hi, t, k};
        }
    }
    qsort(edges, (size_t)nt * 3u, sizeof *edges, edge_cmp);
    /* Each edge's pseudo-normal is the sum of its (one or two, on a
     * manifold) incident face normals. */
    size_t total = (size_t)nt * 3u;
    for (size_t i = 0; i < total;) {
        size_t j = i;
        sim_vec3 sum = sim_v3(0, 0, 0);
        while (j < total && edges[j].key == edges[i].key) {
            sum = sim_v3_add(sum, bvh->face_normal[edges[j].tri]);
            j++;
        }
        sum = sim_v3_normalize(sum);
        for (size_t k = i; k < j; k++)
            bvh->edge_normal[(size_t)edges[k].tri * 3u + edges[k].corner] = sum;
        i = j;
    }
    sim_free(edges);
    for (uint32_t v = 0; v < mesh->vertex_count; v++)
        bvh->vertex_normal[v] = sim_v3_normalize(bvh->vertex_normal[v]);
    return SIM_OK;
}

sim_result sim_bvh_build(sim_bvh *bvh, const sim_mesh *mesh, sim_error *err)
{
    memset(bvh, 0, sizeof *bvh);
    bvh->mesh = mesh;
    if (!mesh || mesh->triangle_count == 0)
        return sim_error_set(err, SIM_ERR_EMPTY, NULL, 0, 0, "the mesh has no triangles");
    uint32_t nt = mesh->triangle_count;
    build_ctx ctx = {.bvh = bvh, .node_cap = 2u * nt};
    bvh->nodes = sim_calloc(ctx.node_cap, sizeof *bvh->nodes);
    bvh->tri_order = sim_calloc(nt, sizeof *bvh->tri_order);
    ctx.tri_box = sim_calloc(nt, sizeof *ctx.tri_box);
    ctx.centroid = sim_calloc(nt, sizeof *ctx.centroid);
    sim_result r = SIM_ERR_NOMEM;
    if (bvh->nodes && bvh->tri_order && ctx.tri_box && ctx.centroid) {
        for (uint32_t t = 0; t < nt; t++) {
            bvh->tri_order[t] = t;
            tri_bounds(mesh, t, &ctx.tri_box[t], ctx.centroid[t]);
        }
        bvh->node_count = 1;
        r = build_node(&ctx, 0, 0, nt, 0);
        if (r == SIM_OK)
            r = build_pseudo_normals(bvh);
    }
    sim_free(ctx.tri_box);
    sim_free(ctx.centroid);
    if (r != SIM_OK) {
        sim_bvh_deinit(bvh);
        return sim_error_set(err, r, NULL, 0, 0, "out of memory building the BVH of %u triangles", nt);
    }
    return SIM_OK;
}

void sim_bvh_deinit(sim_bvh *bvh)
{
    if (!bvh)
        return;
    sim_free(bvh->nodes);
    sim_free(bvh->tri_order);
    sim_free(bvh->face_normal);
    sim_free(bvh->edge_normal);
    sim_free(bvh->vertex_normal);
    memset(bvh, 0, sizeof *bvh);
}

/* ------------------------------------------------------------------------ */
/* Queries                                                                  */
/* ------------------------------------------------------------------------ */

static double node_dist2(const sim_bvh_node *n, sim_vec3 p)
{
    double q[3] = {p.x, p.y, p.z}, d2 = 0.0;
    for (int k = 0; k < 3; k++) {
        double d = 0.0;
        if (q[k] < n->lo[k])
            d = n->lo[k] - q[k];
        else if (q[k] > n->hi[k])
            d = q[k] - n->hi[k];
        d2 += d * d;
    }
    return d2;
}

/* The pseudo-normal of the closest feature (face, edge or vertex), read from
 * which barycentric coordinates are exactly zero. */
static sim_vec3 feature_normal(const sim_bvh *bvh, uint32_t t, const double bary[3])
{
    const uint32_t *idx = &bvh->mesh->indices[(size_t)t * 3u];
    int zeros = (bary[0] == 0.0) + (bary[1] == 0.0) + (bary[2] == 0.0);
    if (zeros >= 2) {
        for (int k = 0; k < 3; k++)
            if (bary[k] != 0.0)
                return bvh->vertex_normal[idx[k]];
    }
    if (zeros == 1) {
        /* edge (k, k+1) is the one opposite the zero corner */
        for (int k = 0; k < 3; k++)
            if (bary[(k + 2) % 3] == 0.0)
                return bvh->edge_normal[(size_t)t * 3u + (size_t)k];
    }
    return bvh->face_normal[t];
}

bool sim_bvh_closest(const sim_bvh *bvh, sim_vec3 p, double max_dist, sim_mesh_hit *hit)
{
    if (!bvh || !bvh->nodes || bvh->node_count == 0)
        return false;
    const sim_mesh *mesh = bvh->mesh;
    double best = max_dist * max_dist;
    bool found = false;
    uint32_t stack[SIM_BVH_MAX_DEPTH * 2];
    uint32_t top = 0;
    if (node_dist2(&bvh->nodes[0], p) > best)
        return false;
    stack[top++] = 0;
    while (top > 0) {
        const sim_bvh_node *n = &bvh->nodes[stack[--top]];
        if (node_dist2(n, p) > best)
            continue;
        if (n->count > 0) {
            for (uint32_t i = 0; i < n->count; i++) {
                uint32_t t = bvh->tri_order[n->first + i];
                sim_vec3 tri[3];
                double bary[3];
                sim_mesh_triangle(mesh, t, tri);
                sim_vec3 q = sim_closest_on_triangle(p, tri[0], tri[1], tri[2], bary);
                double d2 = sim_v3_len2(sim_v3_sub(p, q));
                /* ties go to the lower triangle index: a stable answer
                 * whatever the traversal order */
                if (d2 < best || (found && d2 == best && t < hit->triangle)) {
                    best = d2;
                    found = true;
                    hit->point = q;
                    hit->triangle = t;
                    memcpy(hit->bary, bary, sizeof bary);
                }
            }
            continue;
        }
        uint32_t a = n->first, b = n->first + 1;
        double da = node_dist2(&bvh->nodes[a], p), db = node_dist2(&bvh->nodes[b], p);
        /* push the farther child first so the nearer is visited first */
        if (da < db) {
            uint32_t tmp = a; a = b; b = tmp;
            double td = da; da = db; db = td;
        }
        if (da <= best)
            stack[top++] = a;
        if (db <= best)
            stack[top++] = b;
    }
    if (!found)
        return false;
    hit->distance = sqrt(best);
    hit->normal = sim__mesh_shading_normal(mesh, hit->triangle, hit->bary);
    sim_vec3 pn = feature_normal(bvh, hit->triangle, hit->bary);
    double side = sim_v3_dot(sim_v3_sub(p, hit->point), pn);
    hit->signed_distance = side < 0.0 ? -hit->distance : hit->distance;
    return true;
}

/* Slab test: entry distance of the ray into the box, or INFINITY. */
static double node_ray_enter(const sim_bvh_node *n, const double o[3],
                             const double inv[3], double t_max)
{
    double t0 = 0.0, t1 = t_max;
    for (int k = 0; k < 3; k++) {
        double a = (n->lo[k] - o[k]) * inv[k];
        double b = (n->hi[k] - o[k]) * inv[k];
        if (a > b) {
            double tmp = a; a = b; b = tmp;
        }
        /* NaN (0 * inf on a slab face) keeps the previous bound */
        if (a > t0)
            t0 = a;
        if (b < t1)
            t1 = b;
        if (t0 > t1)
            return INFINITY;
    }
    return t0;
}

bool sim_bvh_raycast(const sim_bvh *bvh, sim_vec3 origin, sim_vec3 dir,
                     double t_max, sim_mesh_hit *hit)
{
    if (!bvh || !bvh->nodes || bvh->node_count == 0)
        return false;
    const sim_mesh *mesh = bvh->mesh;
    double o[3] = {origin.x, origin.y, origin.z};
    double d[3] = {dir.x, dir.y, dir.z}, inv[3];
    for (int k = 0; k < 3; k++)
        inv[k] = d[k] != 0.0 ? 1.0 / d[k] : (d[k] < 0 ? -INFINITY : INFINITY);
    double best = t_max;
    bool found = false;
    sim__ray ray;
    sim__ray_prep(&ray, origin, dir);
    uint32_t stack[SIM_BVH_MAX_DEPTH * 2];
    uint32_t top = 0;
    stack[top++] = 0;
    while (top > 0) {
        const sim_bvh_node *n = &bvh->nodes[stack[--top]];
        if (node_ray_enter(n, o, inv, best) == INFINITY)
            continue;
        if (n->count > 0) {
            for (uint32_t i = 0; i < n->count; i++) {
                uint32_t t = bvh->tri_order[n->first + i];
                sim_vec3 tri[3];
                double bary[3];
                sim_mesh_triangle(mesh, t, tri);
                double tt = sim__ray_triangle(&ray, tri, bary);
                if (tt >= 0.0 && (tt < best || (tt == best && (!found || t < hit->triangle)))) {
                    best = tt;
                    found = true;
                    hit->triangle = t;
                    memcpy(hit->bary, bary, sizeof bary);
                }
            }
            continue;
        }
        uint32_t a = n->first, b = n->first + 1;
        double ta = node_ray_enter(&bvh->nodes[a], o, inv, best);
        double tb = node_ray_enter(&bvh->nodes[b], o, inv, best);
        if (ta < tb) {
            uint32_t tmp = a; a = b; b = tmp;
            double td = ta; ta = tb; tb = td;
        }
        if (ta != INFINITY)
            stack[top++] = a;
        if (tb != INFINITY)
            stack[top++] = b;
    }
    if (!found)
        return false;
    hit->distance = best;
    hit->signed_distance = 0.0;
    hit->point = sim_v3_add(origin, sim_v3_scale(dir, best));
    hit->normal = sim__mesh_shading_normal(mesh, hit->triangle, hit->bary);
    return true;
}
