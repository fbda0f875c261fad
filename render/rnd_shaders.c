/* rnd_shaders.c: the GLSL 330 core programs (embedded as C strings, so a
 * headless build needs no asset files) and their compilation.
 *
 * Colour pipeline: shading happens in linear RGB; the skin and dot shaders
 * tone-map (ACES fit, Narkowicz 2015) and encode sRGB themselves, because
 * neither the offscreen FBO nor the app's window is an sRGB framebuffer
 * (GL_FRAMEBUFFER_SRGB stays off). Blending therefore happens on encoded
 * values: the dot shader outputs the finished colour of "skin with ink
 * under it" and alpha-blends it over the finished skin.
 *
 * Skin: a warm albedo (a uniform) with low-frequency mottling and pore-scale
 * grain that fades out before it would alias; light wraps past the
 * terminator farther in red than in blue (light scattered under the skin,
 * after GPU Gems 1 ch. 16), a hemisphere ambient, two broad Blinn-Phong
 * lobes with skin's Fresnel (F0 = 0.028) for a low sheen.
 *
 * Threads: the GL thread. Ownership: rnd__programs holds program names;
 * rnd__programs_delete frees them.
 */
#include "rnd_internal.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* GLSL                                                                     */
/* ------------------------------------------------------------------------ */

static const char rnd__glsl_version[] = "#version 330 core\n";

/* Lighting and tone mapping, shared by the skin and dot shaders (any
 * stage: the dots light each dot once, in the vertex stage). */
static const char rnd__glsl_light[] =
    "uniform vec3 u_eye;\n"
    "uniform vec3 u_key_pos;\n" /* a lamp near the camera: the key */
    "uniform vec3 u_fill_dir;\n"
    "uniform vec3 u_rim_dir;\n"
    "uniform vec3 u_up;\n"
    "const vec3 KEY_COLOR = vec3(1.00, 0.95, 0.90) * 2.30;\n"
    "const vec3 FILL_COLOR = vec3(0.80, 0.87, 1.00) * 0.55;\n"
    "const vec3 RIM_COLOR = vec3(1.00, 0.90, 0.80) * 0.60;\n"
    "const vec3 SKY_COLOR = vec3(0.56, 0.60, 0.68) * 0.50;\n"
    "const vec3 GROUND_COLOR = vec3(0.34, 0.26, 0.22) * 0.30;\n"
    /* red scatters farthest under the skin: it wraps the most */
    "const vec3 WRAP = vec3(0.36, 0.25, 0.20);\n"
    "const float EXPOSURE = 0.62;\n"
    /* d^1.5: the wrapped falloff, with no pow (cheap on a CPU rasteriser) */
    "vec3 rnd_wrap(float ndl) {\n"
    "    vec3 d = clamp((vec3(ndl) + WRAP) / (1.0 + WRAP), 0.0, 1.0);\n"
    "    return d * sqrt(d);\n"
    "}\n"
    "vec3 rnd_key_dir(vec3 p) { return normalize(u_key_pos - p); }\n"
    "vec3 rnd_diffuse_light(vec3 n, vec3 p) {\n"
    "    vec3 amb = mix(GROUND_COLOR, SKY_COLOR, 0.5 + 0.5 * dot(n, u_up));\n"
    "    return KEY_COLOR * rnd_wrap(dot(n, rnd_key_dir(p)))\n"
    "         + FILL_COLOR * rnd_wrap(dot(n, u_fill_dir))\n"
    "         + RIM_COLOR * rnd_wrap(dot(n, u_rim_dir)) + amb;\n"
    "}\n"
    /* skin's sheen: Fresnel-weighted, two broad Blinn-Phong lobes for the
     * key (exponents 14 and 40) and one (10) for the rim, normalised by
     * (s + 8) / 8 pi; powers by repeated squaring */
    "vec3 rnd_sheen(vec3 n, vec3 v, vec3 p, float oil) {\n"
    "    float m = 1.0 - max(dot(n, v), 0.0);\n"
    "    float m2 = m * m;\n"
    "    float f = 0.028 + 0.972 * m2 * m2 * m;\n"
    "    vec3 l = rnd_key_dir(p);\n"
    "    float x = max(dot(n, normalize(l + v)), 0.0);\n"
    "    float x2 = x * x, x4 = x2 * x2, x8 = x4 * x4, x32 = x8 * x8 * x8 * x8;\n"
    "    float key = (0.55 * 22.0 / 25.1327 * x8 * x4 * x2\n"
    "               + 0.45 * 48.0 / 25.1327 * x32 * x8) * max(dot(n, l), 0.0);\n"
    "    float y = max(dot(n, normalize(u_rim_dir + v)), 0.0);\n"
    "    float y2 = y * y, y8 = y2 * y2 * y2 * y2;\n"
    "    float rim = 18.0 / 25.1327 * y8 * y2 * max(dot(n, u_rim_dir), 0.0);\n"
    "    return oil * f * (KEY_COLOR * key + RIM_COLOR * rim);\n"
    "}\n"
    "vec3 rnd_tonemap(vec3 x) {\n"
    "    x *= EXPOSURE;\n"
    "    x = clamp((x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14),\n"
    "              0.0, 1.0);\n"
    /* sRGB encoding by square roots (Taylor's fit, chilliant.com "sRGB
     * approximations for HLSL", within about 0.5/255 of the exact curve) */
    "    vec3 s1 = sqrt(x), s2 = sqrt(s1), s3 = sqrt(s2);\n"
    "    return clamp(0.662002687 * s1 + 0.684122060 * s2 - 0.323583601 * s3\n"
    "                 - 0.0225411470 * x, 0.0, 1.0);\n"
    "}\n";

/* The skin's detail from two tileable textures made on the CPU
 * (rnd_noise.c), for the fill program that bakes the bare skin into the
 * skin layer; mipmapping (implicit derivatives: the texel's footprint)
 * prefilters features finer than a texel. */
static const char rnd__glsl_noise[] =
    "uniform sampler2D u_detail;\n"   /* fine: R albedo dev, G height */
    "uniform sampler2D u_blot;\n"     /* coarse: R blot, G flush, B mottle */
    /* skin detail at chart point q: x = albedo factor, y = relief height
     * (mm), z = blood flush (-0.5..0.5) */
    "vec3 rnd_skin_detail(vec2 q) {\n"
    "    vec4 f = texture(u_detail, q * (1.0 / RND_FINE_PERIOD));\n"
    "    vec4 c = texture(u_blot, q * (1.0 / RND_COARSE_PERIOD));\n"
    "    float albedo = (1.0 + 0.14 * (c.r - 0.5))\n"
    "                 * (1.0 + (f.r - 0.5) / RND_ALBEDO_GAIN + 0.06 * (c.b - 0.5));\n"
    "    return vec3(albedo, (f.g - 0.5) / RND_HEIGHT_GAIN, c.g - 0.5);\n"
    "}\n";

/* Sampling the skin layer (rnd_layer.c) in the skin program (fragment
 * stage: derivatives). */
static const char rnd__glsl_layer[] =
    "uniform sampler2D u_layer;\n"        /* whole surface, mipmapped, sRGB */
    "uniform sampler2DArray u_layer_detail;\n" /* detail levels near the view */
    "uniform vec4 u_layer_domain;\n"      /* chart origin, 1 / size */
    "uniform float u_layer_texel;\n"      /* chart mm per texel (whole layer) */
    "uniform int u_lvl_count;\n"
    "uniform vec4 u_lvl[RND_LAYER_LEVELS];\n" /* origin, 1 / extent */
    "const vec3 CHART_CENTRE = vec3(RND_CHART_CX, RND_CHART_CY, RND_CHART_CZ);\n"
    /* the scalp chart (sim_surface.h): pad (x, y); head azimuthal equidistant */
    /* the head's theta by the half-angle: theta = 2 atan(t), t = tan(theta/2)
     * = rxz / (|d| + y), with a minimax polynomial for atan on [0, 1] and
     * pi/2 - atan(1/t) above (|error| < 2e-5 rad, 0.002 chart mm): GLSL's
     * atan(y, x) cost a software rasteriser ~3 ms a frame */
    "float rnd_atan_pos(float t) {\n"
    "    float x = t > 1.0 ? 1.0 / t : t;\n"
    "    float x2 = x * x;\n"
    "    float a = x * (0.99997726 + x2 * (-0.33262347 + x2 * (0.19354346\n"
    "            + x2 * (-0.11643287 + x2 * (0.05265332 - 0.01172120 * x2)))));\n"
    "    return t > 1.0 ? 1.57079633 - a : a;\n"
    "}\n"
    "vec2 rnd_chart(vec3 p) {\n"
    "#if RND_HEAD\n"
    "    vec3 d = p - CHART_CENTRE;\n"
    "    float rxz = length(d.xz);\n"
    "    float theta = 2.0 * rnd_atan_pos(rxz / max(length(d) + d.y, 1e-6));\n"
    "    return (RND_CHART_R * theta / max(rxz, 1e-6)) * d.xz;\n"
    "#else\n"
    "    return p.xy;\n"
    "#endif\n"
    "}\n"
    /* bump mapping from a height and screen-space derivatives (Mikkelsen
     * 2010, "Bump mapping unparametrized surfaces on the GPU") */
    "vec3 rnd_bump(vec3 p, vec3 n, float h) {\n"
    "    vec3 dpx = dFdx(p), dpy = dFdy(p);\n"
    "    vec3 r1 = cross(dpy, n), r2 = cross(n, dpx);\n"
    "    float det = dot(dpx, r1);\n"
    "    if (abs(det) < 1e-12) return n;\n"
    "    vec3 g = sign(det) * (dFdx(h) * r1 + dFdy(h) * r2);\n"
    "    return normalize(abs(det) * n - g);\n"
    "}\n"
    /* detail level m (1-based) at chart point c */
    "vec4 rnd_layer_level(int m, vec2 c) {\n"
    "    vec4 L = u_lvl[m - 1];\n"
    "    return textureLod(u_layer_detail, vec3((c - L.xy) * L.z, float(m - 1)), 0.0);\n"
    "}\n"
    /* the skin at chart point c: linear albedo (ink included), relief in a.
     * With detail levels: the levels whose texels match the pixel's
     * footprint, the two nearest blended (like trilinear filtering). */
    "vec4 rnd_layer(vec2 c) {\n"
    "    float inv = u_layer_domain.z;\n"
    "    vec4 g = texture(u_layer, (c - u_layer_domain.xy) * inv, RND_LAYER_LOD_BIAS);\n"
    "#if RND_LEVELS\n"
    "    vec2 dx = dFdx(c), dy = dFdy(c);\n"
    "    float f = max(max(length(dx), length(dy)), 1e-7);\n"
    "    float s = log2(u_layer_texel / f) + 1.0;\n" /* a level sharp */
    /* the finest level that holds c (levels are nested about the view) */
    "    int inside = 0;\n"
    "    for (int k = 1; k <= u_lvl_count; k++) {\n"
    "        vec2 uv = (c - u_lvl[k - 1].xy) * u_lvl[k - 1].z;\n"
    "        const float margin = 2.0 / float(RND_LAYER_DETAIL_SIZE);\n"
    "        if (all(greaterThan(uv, vec2(margin))) && all(lessThan(uv, vec2(1.0 - margin))))\n"
    "            inside = k;\n"
    "    }\n"
    "    int m = int(floor(max(s, 0.0)));\n"
    "    float w = s > 0.0 ? fract(s) : 0.0;\n"
    "    if (m >= inside) { m = inside; w = 0.0; }\n"
    "    vec4 a = m > 0 ? rnd_layer_level(m, c) : g;\n"
    "    vec4 b = rnd_layer_level(min(m + 1, RND_LAYER_LEVELS), c);\n"
    "    return mix(a, b, w);\n"
    "#else\n"
    "    return g;\n"
    "#endif\n"
    "}\n";

/* One dot's shape, shared by the screen's dot program and the bake program
 * so a dot looks the same drawn directly or baked. */
static const char rnd__glsl_dot[] =
    /* cosmetic per-dot irregularity, fixed by the dot's position bits */
    "vec3 rnd_seed(vec3 p) {\n"
    "    uvec3 b = floatBitsToUint(p);\n"
    "    uint h = (b.x * 0x8da6b343u) ^ (b.y * 0xd8163841u) ^ (b.z * 0xcb1ab31fu);\n"
    "    h ^= h >> 16u; h *= 0x7feb352du; h ^= h >> 15u; h *= 0x846ca68bu; h ^= h >> 16u;\n"
    "    return vec3(float(h & 1023u), float((h >> 10u) & 1023u),\n"
    "                float((h >> 20u) & 1023u)) / 1023.0;\n"
    "}\n"
    /* x radius, y edge, z opacity factor, w quad half size (mm) across;
     * a dot smaller than a pixel (px mm) grows to one and fades, keeping
     * its ink */
    "vec4 rnd_dot_size(vec2 size, float px) {\n"
    "    float radius = 0.5 * max(size.x, 0.0);\n"
    "    float edge = max(size.y, 0.0);\n"
    "    float min_r = 0.6 * px;\n"
    "    float scale = 1.0;\n"
    "    if (radius < min_r) {\n"
    "        scale = (radius * radius) / (min_r * min_r);\n"
    "        radius = min_r;\n"
    "    }\n"
    "    return vec4(radius, edge, scale, 1.1 * radius + 0.5 * edge + px);\n"
    "}\n"
    "float rnd_dot_alpha(float a, float scale, vec3 seed) {\n"
    "    return clamp(a, 0.0, 1.0) * scale * (0.95 + 0.10 * seed.z);\n"
    "}\n"
    /* an elongated dot (dragged or tilted): its long axis e.xy in the
     * tangent frame, e.z = length / width; the quad grows along it */
    "vec2 rnd_dot_corner(vec2 corner, float half_size, vec3 e) {\n"
    "    vec2 d = e.z > 1.0 ? e.xy : vec2(1.0, 0.0);\n"
    "    vec2 q = corner * half_size * vec2(max(e.z, 1.0), 1.0);\n"
    "    return d * q.x + vec2(-d.y, d.x) * q.y;\n"
    "}\n"
    /* fragment stage: coverage times core density at l (mm from the centre);
     * shape: radius, edge, lobe strength; e: elongation */
    "#ifdef RND_FRAGMENT\n"
    "float rnd_dot_cover(vec2 l, vec3 shape, vec3 seed, vec3 e) {\n"
    "    if (e.z > 1.0) l = vec2(dot(l, e.xy) / e.z, dot(l, vec2(-e.y, e.x)));\n"
    "    float r = length(l);\n"
    "    float radius = shape.x;\n"
    /* ink spreads unevenly: a slightly lobed outline */
    "    if (shape.z > 0.0) {\n"
    "        float ang = atan(l.y, l.x);\n"
    "        float lobes = 0.045 * sin(2.0 * ang + 6.2832 * seed.x)\n"
    "                    + 0.030 * sin(3.0 * ang + 6.2832 * seed.y)\n"
    "                    + 0.015 * sin(5.0 * ang + 6.2832 * seed.z);\n"
    "        radius *= 1.0 + lobes * shape.z;\n"
    "    }\n"
    "    float w = max(shape.y, 1.2 * fwidth(r));\n"
    "    float cover = 1.0 - smoothstep(radius - 0.5 * w, radius + 0.5 * w, r);\n"
    /* denser ink at the core */
    "    float core = 0.90 + 0.10 * (1.0 - clamp(r * r / (radius * radius), 0.0, 1.0));\n"
    "    return cover * core;\n"
    "}\n"
    "#endif\n";

/* ---- background: a studio gradient with a vignette -------------------- */

/* The background is a grid of RND_BG_COLS x RND_BG_ROWS quads made from
 * gl_VertexID, coloured per vertex (gradient and vignette): a per-pixel
 * version cost a software rasteriser ~3 ms a frame. */
static const char rnd__bg_vs[] =
    "uniform vec2 u_viewport;\n"
    "out vec3 v_color;\n"
    "void main() {\n"
    "    int quad = gl_VertexID / 6, corner = gl_VertexID % 6;\n"
    "    int cx = (corner == 1 || corner == 2 || corner == 4) ? 1 : 0;\n"
    "    int cy = (corner == 2 || corner == 4 || corner == 5) ? 1 : 0;\n"
    "    vec2 uv = vec2(float(quad % RND_BG_COLS + cx) / float(RND_BG_COLS),\n"
    "                   float(quad / RND_BG_COLS + cy) / float(RND_BG_ROWS));\n"
    "    vec3 top = vec3(0.205, 0.215, 0.235);\n"
    "    vec3 bottom = vec3(0.085, 0.088, 0.098);\n"
    "    vec3 c = mix(bottom, top, smoothstep(0.0, 1.0, uv.y));\n"
    "    vec2 q = uv - vec2(0.5, 0.55);\n"
    "    q.x *= u_viewport.x / max(u_viewport.y, 1.0);\n"
    "    v_color = c * (1.0 - 0.45 * smoothstep(0.35, 1.1, length(q)));\n"
    "    gl_Position = vec4(uv * 2.0 - 1.0, 0.0, 1.0);\n"
    "}\n";

static const char rnd__bg_fs[] =
    "in vec3 v_color;\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    /* a light ordered dither against banding */
    "    float n = fract(dot(gl_FragCoord.xy, vec2(0.375, 0.625)));\n"
    "    o_color = vec4(v_color + (n - 0.5) / 255.0, 1.0);\n"
    "}\n";

/* A triangle covering the viewport (the fill program's target). */
static const char rnd__fullscreen_vs[] =
    "void main() {\n"
    "    vec2 p = vec2((gl_VertexID == 1) ? 3.0 : -1.0,\n"
    "                  (gl_VertexID == 2) ? 3.0 : -1.0);\n"
    "    gl_Position = vec4(p, 0.0, 1.0);\n"
    "}\n";

/* ---- skin ------------------------------------------------------------- */

static const char rnd__skin_vs[] =
    "layout(location = 0) in vec3 a_pos;\n"
    "layout(location = 1) in vec3 a_normal;\n"
    "uniform mat4 u_view_proj;\n"
    "out vec3 v_world;\n"
    "out vec3 v_normal;\n"
    "void main() {\n"
    "    v_world = a_pos;\n"
    "    v_normal = a_normal;\n"
    "    gl_Position = u_view_proj * vec4(a_pos, 1.0);\n"
    "}\n";

static const char rnd__skin_fs[] =
    "in vec3 v_world;\n"
    "in vec3 v_normal;\n"
    "uniform sampler2D u_heat;\n"
    "uniform float u_heat_alpha;\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "    vec3 n = normalize(v_normal);\n"
    "    if (!gl_FrontFacing) n = -n;\n"
    "    vec3 p = v_world;\n"
    "    vec3 v = normalize(u_eye - p);\n"
    "    vec2 q = rnd_chart(p);\n"
    /* one fetch: albedo with the ink in it, and the relief */
    "    vec4 skin = rnd_layer(q);\n"
    "    vec3 albedo = skin.rgb;\n"
    "    float oil = 0.85;\n"
    "#if RND_BUMP\n"
    "    n = rnd_bump(p, n, (skin.a - 0.5) / RND_HEIGHT_GAIN);\n"
    "#endif\n"
    "#if !RND_HEAD\n"
    /* the pad's cut sides (the layer's edge texels): darker and duller */
    "    bool side = abs(v_normal.z) < 0.5;\n"
    "    if (side) {\n"
    "        albedo *= vec3(0.62, 0.58, 0.56);\n"
    "        oil = 0.4;\n"
    "    }\n"
    "#endif\n"
    "    vec3 c = albedo * rnd_diffuse_light(n, p) + rnd_sheen(n, v, p, oil);\n"
    "    vec3 col = rnd_tonemap(c);\n"
    "#if RND_HEAT\n"
    "    vec4 h = texture(u_heat, (q - u_layer_domain.xy) * u_layer_domain.z);\n"
    "#if !RND_HEAD\n"
    "    if (side) h = vec4(0.0);\n"
    "#endif\n"
    "    col = col * (1.0 - h.a * u_heat_alpha) + h.rgb * u_heat_alpha;\n"
    "#endif\n"
    "    o_color = vec4(col, 1.0);\n"
    "}\n";

/* ---- fill: the bare skin into the skin layer -------------------------- */

static const char rnd__fill_fs[] =
    "uniform vec4 u_region;\n"     /* chart origin, 1 / extent */
    "uniform vec4 u_domain;\n"     /* the whole layer: chart origin, size */
    "uniform float u_domain_inv;\n" /* 1 / size */
    "uniform float u_texel_mm;\n"  /* chart mm per texel */
    "uniform vec3 u_skin;\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "    vec2 q = u_region.xy + gl_FragCoord.xy * u_texel_mm;\n"
    "    vec3 d = rnd_skin_detail(q);\n"
    /* toward the domain's edge the detail fades to plain skin: beyond it
     * the clamped edge texels stretch over the neck without streaks */
    "    vec2 e = min(q - u_domain.xy, u_domain.xy + u_domain.zw - q) * u_domain_inv;\n"
    "    d = mix(vec3(1.0, 0.0, 0.0), d, smoothstep(0.0, 0.02, min(e.x, e.y)));\n"
    "    vec3 albedo = u_skin * d.x;\n"
    /* blood flush: warmer here, paler there */
    "    albedo *= vec3(1.0 + 0.08 * d.z, 1.0 - 0.02 * d.z, 1.0 - 0.05 * d.z);\n"
    "    o_color = vec4(clamp(albedo, 0.0, 1.0), clamp(0.5 + d.y * RND_HEIGHT_GAIN, 0.0, 1.0));\n"
    "}\n";

/* ---- dots: instanced quads in the tangent plane ----------------------- */

static const char rnd__dots_vs[] =
    "layout(location = 0) in vec2 a_corner;\n" /* -1..1 */
    "layout(location = 1) in vec3 i_pos;\n"
    "layout(location = 2) in vec3 i_normal;\n"
    "layout(location = 3) in vec2 i_size;\n" /* diameter, edge (mm) */
    "layout(location = 4) in vec4 i_rgba;\n"
    "layout(location = 5) in vec4 i_long;\n" /* length, direction */
    "uniform mat4 u_view_proj;\n"
    "uniform vec3 u_forward;\n"
    "uniform float u_pixel_mm;\n"
    "uniform float u_lift_mm;\n"
    "out vec2 v_local;\n" /* mm from the dot centre, in its tangent plane */
    "flat out vec4 v_color;\n" /* finished colour (display), opacity */
    "flat out vec3 v_shape;\n" /* radius, edge, lobe strength */
    "flat out vec3 v_seed;\n"
    "flat out vec3 v_elong;\n"
    "void main() {\n"
    "    vec3 n = normalize(i_normal);\n"
    "    vec3 a = abs(n.x) < 0.9 ? vec3(1.0, 0.0, 0.0) : vec3(0.0, 1.0, 0.0);\n"
    "    vec3 t = normalize(cross(a, n));\n"
    "    vec3 b = cross(n, t);\n"
    "    float px = max(dot(i_pos - u_eye, u_forward), 1e-3) * u_pixel_mm;\n"
    "    vec4 sz = rnd_dot_size(i_size, px);\n"
    "    vec2 dl = vec2(dot(i_long.yzw, t), dot(i_long.yzw, b));\n"
    "    float ratio = (i_long.x > i_size.x && i_size.x > 0.0 && length(dl) > 1e-4)\n"
    "                ? min(i_long.x / i_size.x, 6.0) : 1.0;\n"
    "    v_elong = vec3(ratio > 1.0 ? normalize(dl) : vec2(1.0, 0.0), ratio);\n"
    "    vec2 l = rnd_dot_corner(a_corner, sz.w, v_elong);\n"
    "    vec3 p = i_pos + n * u_lift_mm + t * l.x + b * l.y;\n"
    "    v_local = l;\n"
    /* ink seen through the epidermis: lit like the skin, under its sheen;
     * a dot is small and flat, so it is lit once, at its centre */
    "    vec3 v = normalize(u_eye - i_pos);\n"
    "    vec3 c = i_rgba.rgb * rnd_diffuse_light(n, i_pos) + rnd_sheen(n, v, i_pos, 0.85);\n"
    "    v_seed = rnd_seed(i_pos);\n"
    "    v_color = vec4(rnd_tonemap(c), rnd_dot_alpha(i_rgba.a, sz.z, v_seed));\n"
    /* lobes only once the dot spans a few pixels */
    "    v_shape = vec3(sz.x, sz.y, smoothstep(1.5, 4.0, sz.x / px));\n"
    "    gl_Position = u_view_proj * vec4(p, 1.0);\n"
    "}\n";

static const char rnd__dots_fs[] =
    "in vec2 v_local;\n"
    "flat in vec4 v_color;\n"
    "flat in vec3 v_shape;\n"
    "flat in vec3 v_seed;\n"
    "flat in vec3 v_elong;\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "    float alpha = v_color.a * rnd_dot_cover(v_local, v_shape, v_seed, v_elong);\n"
    "    if (alpha < 1.0 / 512.0) discard;\n"
    "    o_color = vec4(v_color.rgb, alpha);\n"
    "}\n";

/* ---- bake: dots into the ink layer, in chart space -------------------- */

static const char rnd__bake_vs[] =
    "layout(location = 0) in vec2 a_corner;\n"
    "layout(location = 1) in vec3 i_pos;\n"
    "layout(location = 2) in vec2 i_chart;\n"
    "layout(location = 3) in vec4 i_jac;\n" /* tangent mm -> chart mm */
    "layout(location = 4) in vec2 i_size;\n"
    "layout(location = 5) in vec4 i_rgba;\n"
    "layout(location = 6) in vec3 i_elong;\n"
    "uniform vec4 u_region;\n" /* chart origin, 1 / extent */
    "uniform float u_texel_mm;\n" /* chart mm per texel */
    "out vec2 v_local;\n"
    "flat out vec4 v_color;\n"
    "flat out vec3 v_shape;\n"
    "flat out vec3 v_seed;\n"
    "flat out vec3 v_elong;\n"
    "void main() {\n"
    "    mat2 J = mat2(i_jac.xy, i_jac.zw);\n"
    "    float s = sqrt(abs(determinant(J)));\n"
    "    float px = u_texel_mm / max(s, 1e-4);\n" /* a texel in skin mm */
    "    vec4 sz = rnd_dot_size(i_size, px);\n"
    "    v_elong = i_elong;\n"
    "    vec2 l = rnd_dot_corner(a_corner, sz.w, i_elong);\n"
    "    v_local = l;\n"
    "    vec2 c = i_chart + J * l;\n"
    "    v_seed = rnd_seed(i_pos);\n"
    "    v_color = vec4(i_rgba.rgb, rnd_dot_alpha(i_rgba.a, sz.z, v_seed));\n"
    "    v_shape = vec3(sz.x, sz.y, smoothstep(1.5, 4.0, sz.x / px));\n"
    "    gl_Position = vec4((c - u_region.xy) * u_region.zw * 2.0 - 1.0, 0.0, 1.0);\n"
    "}\n";

static const char rnd__bake_fs[] =
    "in vec2 v_local;\n"
    "flat in vec4 v_color;\n"
    "flat in vec3 v_shape;\n"
    "flat in vec3 v_seed;\n"
    "flat in vec3 v_elong;\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "    float a = v_color.a * rnd_dot_cover(v_local, v_shape, v_seed, v_elong);\n"
    "    if (a < 1.0 / 1024.0) discard;\n"
    "    o_color = vec4(v_color.rgb, a);\n"
    "}\n";

/* ---- overlay lines: ribbons on the surface, a fixed width in pixels ---- */

static const char rnd__lines_vs[] =
    "layout(location = 0) in vec3 a_pos;\n"
    "layout(location = 1) in vec3 a_normal;\n"
    "layout(location = 2) in vec3 a_along;\n"
    "layout(location = 3) in vec3 a_param;\n" /* side, end, width px */
    "layout(location = 4) in vec4 a_rgba;\n"
    "uniform mat4 u_view_proj;\n"
    "uniform vec3 u_eye;\n"
    "uniform vec3 u_forward;\n"
    "uniform float u_pixel_mm;\n"
    "uniform float u_width_px;\n" /* added to every ribbon (outline pass) */
    "out vec4 v_rgba;\n"
    "out float v_side;\n"
    "void main() {\n"
    "    float px = max(dot(a_pos - u_eye, u_forward), 1e-3) * u_pixel_mm;\n"
    "    float half_w = 0.5 * (a_param.z + u_width_px) * px;\n"
    "    vec3 side = cross(a_along, a_normal);\n"
    "    float sl = length(side);\n"
    "    side = sl > 1e-6 ? side / sl : vec3(0.0);\n"
    "    vec3 p = a_pos + side * (a_param.x * half_w) + a_along * (a_param.y * half_w)\n"
    "           + a_normal * (0.25 * px);\n"
    "    v_rgba = a_rgba;\n"
    "    v_side = a_param.x;\n"
    "    gl_Position = u_view_proj * vec4(p, 1.0);\n"
    "}\n";

static const char rnd__lines_fs[] =
    "in vec4 v_rgba;\n"
    "in float v_side;\n"
    "uniform vec4 u_color;\n" /* a > 0: replaces the vertex colour */
    "out vec4 o_color;\n"
    "void main() {\n"
    "    vec4 c = u_color.a > 0.0 ? u_color : v_rgba;\n"
    "    float w = fwidth(v_side);\n"
    "    float a = 1.0 - smoothstep(1.0 - 1.5 * w, 1.0, abs(v_side));\n"
    "    o_color = vec4(c.rgb, c.a * a);\n"
    "}\n";

/* ---- the stylus tip: a small lit sphere ------------------------------- */

static const char rnd__tip_vs[] =
    "layout(location = 0) in vec3 a_pos;\n"
    "uniform mat4 u_view_proj;\n"
    "uniform mat4 u_model;\n"
    "uniform vec3 u_normal_mask;\n" /* (1,1,1) a sphere; (1,1,0) a cylinder */
    "out vec3 v_normal;\n"
    "out vec3 v_world;\n"
    "void main() {\n"
    "    vec4 w = u_model * vec4(a_pos, 1.0);\n"
    "    v_normal = mat3(u_model) * (a_pos * u_normal_mask);\n"
    "    v_world = w.xyz;\n"
    "    gl_Position = u_view_proj * w;\n"
    "}\n";

static const char rnd__tip_fs[] =
    "in vec3 v_normal;\n"
    "in vec3 v_world;\n"
    "uniform vec3 u_eye;\n"
    "uniform vec3 u_key_dir;\n"
    "uniform vec4 u_color;\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "    vec3 n = normalize(v_normal);\n"
    "    vec3 v = normalize(u_eye - v_world);\n"
    "    float d = 0.45 + 0.55 * max(dot(n, u_key_dir), 0.0);\n"
    "    float s = pow(max(dot(n, normalize(u_key_dir + v)), 0.0), 40.0);\n"
    "    float rim = pow(1.0 - max(dot(n, v), 0.0), 3.0);\n"
    "    vec3 c = u_color.rgb * d + vec3(0.6) * s + u_color.rgb * 0.5 * rim;\n"
    "    o_color = vec4(min(c, vec3(1.0)), u_color.a);\n"
    "}\n";

/* ------------------------------------------------------------------------ */
/* Program table                                                            */
/* ------------------------------------------------------------------------ */

/* Which shared chunks precede each stage's own source. */
enum {
    RND__VS_LIGHT = 1, RND__FS_LIGHT = 2, RND__FS_LAYER = 4,
    RND__VS_DOT = 8, RND__FS_DOT = 16, RND__FS_NOISE = 32
};

typedef struct rnd__prog_src {
    const char *name;
    const char *vs;
    const char *fs;
    unsigned chunks;
    unsigned variant;        /* skin: RND__SKIN_* bits */
} rnd__prog_src;

static const rnd__prog_src rnd__sources[RND__PROG_COUNT] = {
    [RND__PROG_BACKGROUND] = {"background", rnd__bg_vs, rnd__bg_fs, 0},
#define RND__SKIN_SRC(v) [RND__PROG_SKIN + (v)] = {"skin", rnd__skin_vs, rnd__skin_fs, \
                                                 RND__FS_LIGHT | RND__FS_LAYER, (v)}
    RND__SKIN_SRC(0), RND__SKIN_SRC(1), RND__SKIN_SRC(2), RND__SKIN_SRC(3),
    RND__SKIN_SRC(4), RND__SKIN_SRC(5), RND__SKIN_SRC(6), RND__SKIN_SRC(7),
    RND__SKIN_SRC(8), RND__SKIN_SRC(9), RND__SKIN_SRC(10), RND__SKIN_SRC(11),
    RND__SKIN_SRC(12), RND__SKIN_SRC(13), RND__SKIN_SRC(14), RND__SKIN_SRC(15),
#undef RND__SKIN_SRC
    [RND__PROG_DOTS] = {"dots", rnd__dots_vs, rnd__dots_fs,
                        RND__VS_LIGHT | RND__VS_DOT | RND__FS_DOT},
    [RND__PROG_LINES] = {"lines", rnd__lines_vs, rnd__lines_fs, 0},
    [RND__PROG_TIP] = {"tip", rnd__tip_vs, rnd__tip_fs, 0},
    [RND__PROG_BAKE] = {"bake", rnd__bake_vs, rnd__bake_fs, RND__VS_DOT | RND__FS_DOT, 0},
    [RND__PROG_FILL] = {"fill", rnd__fullscreen_vs, rnd__fill_fs, RND__FS_NOISE, 0},
};

static const char *const rnd__uniform_names[RND__U_COUNT] = {
    [RND__U_VIEW_PROJ] = "u_view_proj",
    [RND__U_MODEL] = "u_model",
    [RND__U_EYE] = "u_eye",
    [RND__U_FORWARD] = "u_forward",
    [RND__U_PIXEL_MM] = "u_pixel_mm",
    [RND__U_KEY_DIR] = "u_key_dir",
    [RND__U_KEY_POS] = "u_key_pos",
    [RND__U_FILL_DIR] = "u_fill_dir",
    [RND__U_RIM_DIR] = "u_rim_dir",
    [RND__U_UP] = "u_up",
    [RND__U_SKIN] = "u_skin",
    [RND__U_KIND] = "u_kind",
    [RND__U_COLOR] = "u_color",
    [RND__U_WIDTH_PX] = "u_width_px",
    [RND__U_LIFT_MM] = "u_lift_mm",
    [RND__U_VIEWPORT] = "u_viewport",
    [RND__U_REGION] = "u_region",
    [RND__U_TEXEL_MM] = "u_texel_mm",
    [RND__U_DETAIL] = "u_detail",
    [RND__U_BLOT] = "u_blot",
    [RND__U_LAYER] = "u_layer",
    [RND__U_LAYER_DETAIL] = "u_layer_detail",
    [RND__U_LAYER_DOMAIN] = "u_layer_domain",
    [RND__U_LAYER_TEXEL] = "u_layer_texel",
    [RND__U_LVL_COUNT] = "u_lvl_count",
    [RND__U_LVL] = "u_lvl",
    [RND__U_HEAT] = "u_heat",
    [RND__U_HEAT_ALPHA] = "u_heat_alpha",
    [RND__U_DOMAIN] = "u_domain",
    [RND__U_DOMAIN_INV] = "u_domain_inv",
    [RND__U_NORMAL_MASK] = "u_normal_mask",
};

static GLuint rnd__compile(GLenum type, const char *const *parts, GLsizei n,
                           const char *prog_name, sim_error *err)
{
    GLuint sh = glCreateShader(type);
    if (!sh) {
        sim_error_set(err, RND_ERR_GL, NULL, 0, 0,
                      "glCreateShader failed for the %s program", prog_name);
        return 0;
    }
    glShaderSource(sh, n, parts, NULL);
    glCompileShader(sh);
    GLint ok = GL_FALSE;
    glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[400];
        GLsizei len = 0;
        glGetShaderInfoLog(sh, (GLsizei)sizeof log, &len, log);
        log[len > 0 && len < (GLsizei)sizeof log ? len : 0] = '\0';
        sim_error_set(err, RND_ERR_GL, NULL, 0, 0,
                      "the %s %s shader does not compile: %s", prog_name,
                      type == GL_VERTEX_SHADER ? "vertex" : "fragment", log);
        glDeleteShader(sh);
        return 0;
    }
    return sh;
}

/* Constants the C side and the GLSL share, as #defines for the shaders. */
static void rnd__glsl_defines(char *buf, size_t size, unsigned variant)
{
    snprintf(buf, size,
                 "#define RND_HEAD %d\n#define RND_LEVELS %d\n#define RND_HEAT %d\n"
                 "#define RND_BUMP %d\n#define RND_BG_COLS %d\n#define RND_BG_ROWS %d\n"
                 "#define RND_LAYER_LOD_BIAS %.2f\n"
                 "#define RND_LAYER_LEVELS %d\n"
                 "#define RND_LAYER_DETAIL_SIZE %d\n"
                 "#define RND_CHART_CX %.6f\n#define RND_CHART_CY %.6f\n"
                 "#define RND_CHART_CZ %.6f\n#define RND_CHART_R %.6f\n"
                 "#define RND_FINE_PERIOD %.6f\n#define RND_COARSE_PERIOD %.6f\n"
                 "#define RND_ALBEDO_GAIN %.6f\n#define RND_HEIGHT_GAIN %.6f\n",
                 (variant & RND__SKIN_HEAD) != 0, (variant & RND__SKIN_LEVELS) != 0,
                 (variant & RND__SKIN_HEAT) != 0, (variant & RND__SKIN_BUMP) != 0,
                 RND__BG_COLS, RND__BG_ROWS,
                 RND__LAYER_LOD_BIAS, RND__LAYER_LEVELS, RND__LAYER_DETAIL_SIZE,
                 SIM_CHART_CENTRE_X, SIM_CHART_CENTRE_Y, SIM_CHART_CENTRE_Z,
                 SIM_CHART_RADIUS_MM, RND__NOISE_FINE_PERIOD_MM,
                 RND__NOISE_COARSE_PERIOD_MM, RND__NOISE_ALBEDO_GAIN,
                 RND__NOISE_HEIGHT_GAIN);
}

static GLuint rnd__link(const rnd__prog_src *src, sim_error *err)
{
    const char *vs_parts[5], *fs_parts[8];
    char defines[640];
    rnd__glsl_defines(defines, sizeof defines, src->variant);
    GLsizei nv = 0, nf = 0;
    vs_parts[nv++] = rnd__glsl_version;
    vs_parts[nv++] = defines;
    if (src->chunks & RND__VS_LIGHT)
        vs_parts[nv++] = rnd__glsl_light;
    if (src->chunks & RND__VS_DOT)
        vs_parts[nv++] = rnd__glsl_dot;
    vs_parts[nv++] = src->vs;
    fs_parts[nf++] = rnd__glsl_version;
    fs_parts[nf++] = defines;
    fs_parts[nf++] = "#define RND_FRAGMENT 1\n";

    if (src->chunks & RND__FS_LIGHT)
        fs_parts[nf++] = rnd__glsl_light;
    if (src->chunks & RND__FS_LAYER)
        fs_parts[nf++] = rnd__glsl_layer;
    if (src->chunks & RND__FS_NOISE)
        fs_parts[nf++] = rnd__glsl_noise;
    if (src->chunks & RND__FS_DOT)
        fs_parts[nf++] = rnd__glsl_dot;
    fs_parts[nf++] = src->fs;
    GLuint vs = rnd__compile(GL_VERTEX_SHADER, vs_parts, nv, src->name, err);
    if (!vs)
        return 0;
    GLuint fs = rnd__compile(GL_FRAGMENT_SHADER, fs_parts, nf, src->name, err);
    if (!fs) {
        glDeleteShader(vs);
        return 0;
    }
    GLuint prog = glCreateProgram();
    glAttachShader(prog, vs);
    glAttachShader(prog, fs);
    glLinkProgram(prog);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = GL_FALSE;
    glGetProgramiv(prog, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[400];
        GLsizei len = 0;
        glGetProgramInfoLog(prog, (GLsizei)sizeof log, &len, log);
        log[len > 0 && len < (GLsizei)sizeof log ? len : 0] = '\0';
        sim_error_set(err, RND_ERR_GL, NULL, 0, 0,
                      "the %s program does not link: %s", src->name, log);
        glDeleteProgram(prog);
        return 0;
    }
    return prog;
}

rnd_result rnd__programs_build(rnd__programs *p, sim_error *err)
{
    memset(p, 0, sizeof *p);
    for (int i = 0; i < RND__PROG_COUNT; i++) {
        p->prog[i] = rnd__link(&rnd__sources[i], err);
        if (!p->prog[i]) {
            rnd__programs_delete(p);
            return RND_ERR_GL;
        }
        for (int u = 0; u < RND__U_COUNT; u++)
            p->loc[i][u] = glGetUniformLocation(p->prog[i], rnd__uniform_names[u]);
    }
    return RND_OK;
}

void rnd__programs_delete(rnd__programs *p)
{
    for (int i = 0; i < RND__PROG_COUNT; i++) {
        if (p->prog[i])
            glDeleteProgram(p->prog[i]);
        p->prog[i] = 0;
    }
}
