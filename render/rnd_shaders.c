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
    "vec3 rnd_wrap(float ndl) {\n"
    "    vec3 d = clamp((vec3(ndl) + WRAP) / (1.0 + WRAP), 0.0, 1.0);\n"
    "    return pow(d, vec3(1.4));\n"
    "}\n"
    "vec3 rnd_key_dir(vec3 p) { return normalize(u_key_pos - p); }\n"
    "vec3 rnd_diffuse_light(vec3 n, vec3 p) {\n"
    "    vec3 amb = mix(GROUND_COLOR, SKY_COLOR, 0.5 + 0.5 * dot(n, u_up));\n"
    "    return KEY_COLOR * rnd_wrap(dot(n, rnd_key_dir(p)))\n"
    "         + FILL_COLOR * rnd_wrap(dot(n, u_fill_dir))\n"
    "         + RIM_COLOR * rnd_wrap(dot(n, u_rim_dir)) + amb;\n"
    "}\n"
    "float rnd_blinn(vec3 n, vec3 v, vec3 l, float s) {\n"
    "    vec3 h = normalize(l + v);\n"
    "    float ndl = max(dot(n, l), 0.0);\n"
    "    return (s + 8.0) / 25.1327 * pow(max(dot(n, h), 0.0), s) * ndl;\n"
    "}\n"
    /* skin's sheen: Fresnel-weighted, two broad lobes */
    "vec3 rnd_sheen(vec3 n, vec3 v, vec3 p, float oil) {\n"
    "    float f = 0.028 + 0.972 * pow(1.0 - max(dot(n, v), 0.0), 5.0);\n"
    "    vec3 l = rnd_key_dir(p);\n"
    "    float key = 0.55 * rnd_blinn(n, v, l, 14.0)\n"
    "              + 0.45 * rnd_blinn(n, v, l, 40.0);\n"
    "    float rim = rnd_blinn(n, v, u_rim_dir, 10.0);\n"
    "    return oil * f * (KEY_COLOR * key + RIM_COLOR * rim);\n"
    "}\n"
    "vec3 rnd_tonemap(vec3 x) {\n"
    "    x *= EXPOSURE;\n"
    "    x = clamp((x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14),\n"
    "              0.0, 1.0);\n"
    "    vec3 lo = x * 12.92;\n"
    "    vec3 hi = 1.055 * pow(x, vec3(1.0 / 2.4)) - 0.055;\n"
    "    return mix(lo, hi, step(vec3(0.0031308), x));\n"
    "}\n";

/* Procedural skin detail (fragment stage only: it uses derivatives). */
static const char rnd__glsl_detail[] =
    "float rnd_hash(vec3 p) {\n"
    "    p = fract(p * vec3(0.1031, 0.1030, 0.0973));\n"
    "    p += dot(p, p.yzx + 33.33);\n"
    "    return fract((p.x + p.y) * p.z);\n"
    "}\n"
    "float rnd_noise(vec3 x) {\n"
    "    vec3 i = floor(x);\n"
    "    vec3 f = fract(x);\n"
    "    vec3 u = f * f * (3.0 - 2.0 * f);\n"
    "    float a = mix(rnd_hash(i), rnd_hash(i + vec3(1, 0, 0)), u.x);\n"
    "    float b = mix(rnd_hash(i + vec3(0, 1, 0)), rnd_hash(i + vec3(1, 1, 0)), u.x);\n"
    "    float c = mix(rnd_hash(i + vec3(0, 0, 1)), rnd_hash(i + vec3(1, 0, 1)), u.x);\n"
    "    float d = mix(rnd_hash(i + vec3(0, 1, 1)), rnd_hash(i + vec3(1, 1, 1)), u.x);\n"
    "    return mix(mix(a, b, u.y), mix(c, d, u.y), u.z);\n"
    "}\n"
    /* distance to the nearest jittered cell point (Worley F1, 2x2x2) */
    "float rnd_cells(vec3 x) {\n"
    "    vec3 base = floor(x - 0.5);\n"
    "    float d = 1e9;\n"
    "    for (int k = 0; k < 8; k++) {\n"
    "        vec3 c = base + vec3(k & 1, (k >> 1) & 1, (k >> 2) & 1);\n"
    "        vec3 j = vec3(rnd_hash(c), rnd_hash(c + 17.1), rnd_hash(c + 31.7));\n"
    "        vec3 e = x - (c + 0.25 + 0.5 * j);\n"
    "        d = min(d, dot(e, e));\n"
    "    }\n"
    "    return sqrt(d);\n"
    "}\n"
    /* how visible a feature of size s mm is when a pixel covers fw mm */
    "float rnd_band(float s, float fw) {\n"
    "    return 1.0 - smoothstep(0.2 * s, 0.6 * s, fw);\n"
    "}\n"
    /* a rotation that keeps the noise lattice off the surface's axes */
    "const mat3 RND_ROT = mat3(0.00, 0.80, 0.60, -0.80, 0.36, -0.48,\n"
    "                          -0.60, -0.48, 0.64);\n"
    /* skin detail at p: x = albedo factor, y = relief height (mm) */
    "vec2 rnd_skin_detail(vec3 p, float fw) {\n"
    "    vec3 q = RND_ROT * p;\n"
    "    float blot = 0.6 * rnd_noise(q * 0.10) + 0.4 * rnd_noise(q * 0.29 + 7.1);\n"
    "    float vm = rnd_band(1.0, fw);\n"
    "    float vp = rnd_band(0.35, fw);\n"
    "    float vg = rnd_band(0.12, fw);\n"
    /* features too fine to see from here are not computed at all */
    "    float mid = vm > 0.0 ? rnd_noise(q * 1.1 + 11.3) - 0.5 : 0.0;\n"
    "    float pore = vp > 0.0 ? 1.0 - smoothstep(0.09, 0.24, rnd_cells(q * 1.8)) : 0.0;\n"
    "    float grain = vg > 0.0 ? rnd_noise(q * 7.0) - 0.5 : 0.0;\n"
    "    float albedo = (1.0 + 0.14 * (blot - 0.5))\n"
    "                 * (1.0 + 0.07 * vm * mid - 0.10 * vp * pore + 0.06 * vg * grain);\n"
    "    float h = 0.030 * vm * mid - 0.008 * vp * pore + 0.004 * vg * grain;\n"
    "    return vec2(albedo, h);\n"
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
    "}\n";

/* ---- background: a studio gradient with a vignette -------------------- */

static const char rnd__bg_vs[] =
    "out vec2 v_uv;\n"
    "void main() {\n"
    "    vec2 p = vec2((gl_VertexID == 1) ? 3.0 : -1.0,\n"
    "                  (gl_VertexID == 2) ? 3.0 : -1.0);\n"
    "    v_uv = 0.5 * p + 0.5;\n"
    "    gl_Position = vec4(p, 0.0, 1.0);\n"
    "}\n";

static const char rnd__bg_fs[] =
    "in vec2 v_uv;\n"
    "uniform vec2 u_viewport;\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "    vec3 top = vec3(0.205, 0.215, 0.235);\n"
    "    vec3 bottom = vec3(0.085, 0.088, 0.098);\n"
    "    vec3 c = mix(bottom, top, smoothstep(0.0, 1.0, v_uv.y));\n"
    "    vec2 q = v_uv - vec2(0.5, 0.55);\n"
    "    q.x *= u_viewport.x / max(u_viewport.y, 1.0);\n"
    "    c *= 1.0 - 0.45 * smoothstep(0.35, 1.1, length(q));\n"
    /* dither against banding */
    "    float n = fract(sin(dot(gl_FragCoord.xy, vec2(12.9898, 78.233))) * 43758.5453);\n"
    "    o_color = vec4(c + (n - 0.5) / 255.0, 1.0);\n"
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
    "uniform vec3 u_skin;\n"
    "uniform int u_kind;\n" /* 1 pad, 2 head */
    "out vec4 o_color;\n"
    "void main() {\n"
    "    vec3 n = normalize(v_normal);\n"
    "    if (!gl_FrontFacing) n = -n;\n"
    "    vec3 p = v_world;\n"
    "    vec3 v = normalize(u_eye - p);\n"
    "    float fw = length(fwidth(p));\n" /* mm per pixel */
    "    vec2 detail = rnd_skin_detail(p, fw);\n"
    "    vec3 albedo = u_skin * detail.x;\n"
    /* blood flush: warmer here, paler there */
    "    float flush = rnd_noise(RND_ROT * p * 0.16 + 3.7) - 0.5;\n"
    "    albedo *= vec3(1.0 + 0.08 * flush, 1.0 - 0.02 * flush, 1.0 - 0.05 * flush);\n"
    "    n = rnd_bump(p, n, detail.y);\n"
    /* the pad's cut sides: a little darker and duller */
    "    float oil = 0.85;\n"
    "    if (u_kind == 1 && abs(v_normal.z) < 0.5) {\n"
    "        albedo *= vec3(0.62, 0.58, 0.56);\n"
    "        oil = 0.4;\n"
    "    }\n"
    "    vec3 c = albedo * rnd_diffuse_light(n, p) + rnd_sheen(n, v, p, oil);\n"
    "    o_color = vec4(rnd_tonemap(c), 1.0);\n"
    "}\n";

/* ---- dots: instanced quads in the tangent plane ----------------------- */

static const char rnd__dots_vs[] =
    "layout(location = 0) in vec2 a_corner;\n" /* -1..1 */
    "layout(location = 1) in vec3 i_pos;\n"
    "layout(location = 2) in vec3 i_normal;\n"
    "layout(location = 3) in vec2 i_size;\n" /* diameter, edge (mm) */
    "layout(location = 4) in vec4 i_rgba;\n"
    "uniform mat4 u_view_proj;\n"
    "uniform vec3 u_forward;\n"
    "uniform float u_pixel_mm;\n"
    "uniform float u_lift_mm;\n"
    "out vec2 v_local;\n" /* mm from the dot centre, in its tangent plane */
    "flat out vec4 v_color;\n" /* finished colour (display), opacity */
    "flat out vec4 v_shape;\n" /* radius, edge, lobe strength, unused */
    "flat out vec3 v_seed;\n"
    "void main() {\n"
    "    vec3 n = normalize(i_normal);\n"
    "    vec3 a = abs(n.x) < 0.9 ? vec3(1.0, 0.0, 0.0) : vec3(0.0, 1.0, 0.0);\n"
    "    vec3 t = normalize(cross(a, n));\n"
    "    vec3 b = cross(n, t);\n"
    "    float px = max(dot(i_pos - u_eye, u_forward), 1e-3) * u_pixel_mm;\n"
    "    float radius = 0.5 * max(i_size.x, 0.0);\n"
    "    float edge = max(i_size.y, 0.0);\n"
    /* a dot smaller than a pixel grows to one and fades, keeping its ink */
    "    float min_r = 0.6 * px;\n"
    "    float scale = 1.0;\n"
    "    if (radius < min_r) {\n"
    "        scale = (radius * radius) / (min_r * min_r);\n"
    "        radius = min_r;\n"
    "    }\n"
    "    float half_size = 1.1 * radius + 0.5 * edge + px;\n"
    "    vec2 l = a_corner * half_size;\n"
    "    vec3 p = i_pos + n * u_lift_mm + t * l.x + b * l.y;\n"
    "    v_local = l;\n"
    /* ink seen through the epidermis: lit like the skin, under its sheen;
     * a dot is small and flat, so it is lit once, at its centre */
    "    vec3 v = normalize(u_eye - i_pos);\n"
    "    vec3 c = i_rgba.rgb * rnd_diffuse_light(n, i_pos) + rnd_sheen(n, v, i_pos, 0.85);\n"
    /* cosmetic per-dot irregularity, fixed by the dot's position */
    "    v_seed = fract(sin(vec3(dot(i_pos, vec3(12.9898, 78.233, 37.719)),\n"
    "                            dot(i_pos, vec3(39.346, 11.135, 83.155)),\n"
    "                            dot(i_pos, vec3(73.156, 52.235, 9.151))))\n"
    "                   * 43758.5453);\n"
    "    float alpha = clamp(i_rgba.a, 0.0, 1.0) * scale * (0.95 + 0.10 * v_seed.z);\n"
    "    v_color = vec4(rnd_tonemap(c), alpha);\n"
    /* lobes only once the dot spans a few pixels */
    "    v_shape = vec4(radius, edge, smoothstep(1.5, 4.0, radius / px), 0.0);\n"
    "    gl_Position = u_view_proj * vec4(p, 1.0);\n"
    "}\n";

static const char rnd__dots_fs[] =
    "in vec2 v_local;\n"
    "flat in vec4 v_color;\n"
    "flat in vec4 v_shape;\n"
    "flat in vec3 v_seed;\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "    float r = length(v_local);\n"
    "    float radius = v_shape.x;\n"
    /* ink spreads unevenly: a slightly lobed outline */
    "    if (v_shape.z > 0.0) {\n"
    "        float ang = atan(v_local.y, v_local.x);\n"
    "        float lobes = 0.045 * sin(2.0 * ang + 6.2832 * v_seed.x)\n"
    "                    + 0.030 * sin(3.0 * ang + 6.2832 * v_seed.y)\n"
    "                    + 0.015 * sin(5.0 * ang + 6.2832 * v_seed.z);\n"
    "        radius *= 1.0 + lobes * v_shape.z;\n"
    "    }\n"
    "    float w = max(v_shape.y, 1.2 * fwidth(r));\n"
    "    float cover = 1.0 - smoothstep(radius - 0.5 * w, radius + 0.5 * w, r);\n"
    /* denser ink at the core */
    "    float core = 0.86 + 0.14 * (1.0 - clamp(r * r / (radius * radius), 0.0, 1.0));\n"
    "    float alpha = v_color.a * cover * core;\n"
    "    if (alpha < 1.0 / 512.0) discard;\n"
    "    o_color = vec4(v_color.rgb, alpha);\n"
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
    "out vec3 v_normal;\n"
    "out vec3 v_world;\n"
    "void main() {\n"
    "    vec4 w = u_model * vec4(a_pos, 1.0);\n"
    "    v_normal = a_pos;\n"
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
enum { RND__VS_LIGHT = 1, RND__FS_LIGHT = 2, RND__FS_DETAIL = 4 };

typedef struct rnd__prog_src {
    const char *name;
    const char *vs;
    const char *fs;
    unsigned chunks;
} rnd__prog_src;

static const rnd__prog_src rnd__sources[RND__PROG_COUNT] = {
    [RND__PROG_BACKGROUND] = {"background", rnd__bg_vs, rnd__bg_fs, 0},
    [RND__PROG_SKIN] = {"skin", rnd__skin_vs, rnd__skin_fs,
                        RND__FS_LIGHT | RND__FS_DETAIL},
    [RND__PROG_DOTS] = {"dots", rnd__dots_vs, rnd__dots_fs, RND__VS_LIGHT},
    [RND__PROG_LINES] = {"lines", rnd__lines_vs, rnd__lines_fs, 0},
    [RND__PROG_TIP] = {"tip", rnd__tip_vs, rnd__tip_fs, 0},
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

static GLuint rnd__link(const rnd__prog_src *src, sim_error *err)
{
    const char *vs_parts[3], *fs_parts[4];
    GLsizei nv = 0, nf = 0;
    vs_parts[nv++] = rnd__glsl_version;
    if (src->chunks & RND__VS_LIGHT)
        vs_parts[nv++] = rnd__glsl_light;
    vs_parts[nv++] = src->vs;
    fs_parts[nf++] = rnd__glsl_version;
    if (src->chunks & RND__FS_LIGHT)
        fs_parts[nf++] = rnd__glsl_light;
    if (src->chunks & RND__FS_DETAIL)
        fs_parts[nf++] = rnd__glsl_detail;
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
