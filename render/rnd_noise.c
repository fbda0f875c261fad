/* rnd_noise.c: the skin's fine detail as two small tileable textures made
 * once on the CPU, so the skin shader samples them instead of evaluating
 * hash noise per pixel (which cost ~20 ms a frame on llvmpipe).
 *
 *  - fine (RND__NOISE_FINE_SIZE^2 texels over RND__NOISE_FINE_PERIOD_MM):
 *    R = albedo variation, G = relief height, from three features: a
 *    ~1 mm mottle, pores (Worley cells ~0.53 mm apart) and a ~0.14 mm grain;
 *  - coarse (RND__NOISE_COARSE_SIZE^2 over RND__NOISE_COARSE_PERIOD_MM):
 *    R = blotches (~6-10 mm), G = blood flush (~6 mm), B = a 3 mm mottle
 *    that breaks the fine tile's repetition.
 * Mipmaps average each feature toward neutral (0.5) where it is too fine to
 * see, which replaces the shader's old visibility bands.
 *
 * Purity: deterministic (integer hashing, no rand, no clock); the textures
 * are made once per process (call_once) and are read-only afterwards.
 * Threads: any. Ownership: static storage, never freed.
 */
#include "rnd_internal.h"

#include <math.h>
#include <threads.h>

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */
/* ------------------------------------------------------------------------ */

/* Lattice cells per texture period for each feature (integers: tileable). */
#define RND__MID_CELLS 28       /* 25.6 mm / 28 = 0.91 mm mottle */
#define RND__PORE_CELLS 48      /* 0.53 mm between pores */
#define RND__GRAIN_CELLS 180    /* 0.14 mm grain */
#define RND__BLOT_CELLS 16      /* 160 mm / 16 = 10 mm blotches */
#define RND__BLOT2_CELLS 46     /* 3.5 mm */
#define RND__FLUSH_CELLS 26     /* 6 mm */
#define RND__MOTTLE_CELLS 53    /* 3 mm: breaks the fine tile's repetition */

/* Feature strengths: albedo factor deviation and height (mm). */
#define RND__MID_ALBEDO 0.07
#define RND__PORE_ALBEDO 0.10
#define RND__GRAIN_ALBEDO 0.06
#define RND__MID_HEIGHT_MM 0.030
#define RND__PORE_HEIGHT_MM 0.008
#define RND__GRAIN_HEIGHT_MM 0.004

/* ------------------------------------------------------------------------ */
/* Noise                                                                    */
/* ------------------------------------------------------------------------ */

static uint32_t rnd__hash3(uint32_t x, uint32_t y, uint32_t seed)
{
    /* lowbias32 (Wellons) over a mix of the inputs */
    uint32_t h = x * 0x8da6b343u ^ y * 0xd8163841u ^ seed * 0xcb1ab31fu;
    h ^= h >> 16;
    h *= 0x7feb352du;
    h ^= h >> 15;
    h *= 0x846ca68bu;
    h ^= h >> 16;
    return h;
}

static double rnd__unit(uint32_t h)
{
    return (h >> 8) * (1.0 / 16777216.0);
}

static uint32_t rnd__wrap(long i, long period)
{
    long m = i % period;
    return (uint32_t)(m < 0 ? m + period : m);
}

/* Value noise in [0, 1), tileable with `cells` lattice cells per unit. */
static double rnd__value(double x, double y, long cells, uint32_t seed)
{
    double fx = x * cells, fy = y * cells;
    long ix = (long)floor(fx), iy = (long)floor(fy);
    double tx = fx - ix, ty = fy - iy;
    tx = tx * tx * (3.0 - 2.0 * tx);
    ty = ty * ty * (3.0 - 2.0 * ty);
    double a = rnd__unit(rnd__hash3(rnd__wrap(ix, cells), rnd__wrap(iy, cells), seed));
    double b = rnd__unit(rnd__hash3(rnd__wrap(ix + 1, cells), rnd__wrap(iy, cells), seed));
    double c = rnd__unit(rnd__hash3(rnd__wrap(ix, cells), rnd__wrap(iy + 1, cells), seed));
    double d = rnd__unit(rnd__hash3(rnd__wrap(ix + 1, cells), rnd__wrap(iy + 1, cells), seed));
    return (a + (b - a) * tx) + ((c + (d - c) * tx) - (a + (b - a) * tx)) * ty;
}

/* Distance (in cells) to the nearest jittered cell point, tileable. */
static double rnd__cells(double x, double y, long cells, uint32_t seed)
{
    double fx = x * cells, fy = y * cells;
    long ix = (long)floor(fx), iy = (long)floor(fy);
    double best = 1e9;
    for (long j = -1; j <= 1; j++)
        for (long i = -1; i <= 1; i++) {
            uint32_t cx = rnd__wrap(ix + i, cells), cy = rnd__wrap(iy + j, cells);
            double px = ix + i + 0.15 + 0.7 * rnd__unit(rnd__hash3(cx, cy, seed));
            double py = iy + j + 0.15 + 0.7 * rnd__unit(rnd__hash3(cx, cy, seed + 1));
            double dx = fx - px, dy = fy - py;
            double d2 = dx * dx + dy * dy;
            best = d2 < best ? d2 : best;
        }
    return sqrt(best);
}

static double rnd__smoothstep(double e0, double e1, double x)
{
    double t = (x - e0) / (e1 - e0);
    t = t < 0.0 ? 0.0 : t > 1.0 ? 1.0 : t;
    return t * t * (3.0 - 2.0 * t);
}

static uint8_t rnd__byte(double v)
{
    v = v < 0.0 ? 0.0 : v > 1.0 ? 1.0 : v;
    return (uint8_t)lrint(v * 255.0);
}

/* ------------------------------------------------------------------------ */
/* The textures                                                             */
/* ------------------------------------------------------------------------ */

static uint8_t rnd__fine[RND__NOISE_FINE_SIZE * RND__NOISE_FINE_SIZE * 4];
static uint8_t rnd__coarse[RND__NOISE_COARSE_SIZE * RND__NOISE_COARSE_SIZE * 4];
static once_flag rnd__noise_once = ONCE_FLAG_INIT;

static void rnd__make_fine(void)
{
    const int n = RND__NOISE_FINE_SIZE;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            double x = (i + 0.5) / n, y = (j + 0.5) / n;
            double mid = rnd__value(x, y, RND__MID_CELLS, 11) - 0.5;
            double pore = 1.0 - rnd__smoothstep(0.09, 0.24, rnd__cells(x, y, RND__PORE_CELLS, 23));
            double grain = rnd__value(x, y, RND__GRAIN_CELLS, 37) - 0.5;
            double albedo = RND__MID_ALBEDO * mid - RND__PORE_ALBEDO * pore +
                            RND__GRAIN_ALBEDO * grain;
            double h = RND__MID_HEIGHT_MM * mid - RND__PORE_HEIGHT_MM * pore +
                       RND__GRAIN_HEIGHT_MM * grain;
            uint8_t *o = rnd__fine + ((size_t)j * n + i) * 4;
            o[0] = rnd__byte(0.5 + albedo * RND__NOISE_ALBEDO_GAIN);
            o[1] = rnd__byte(0.5 + h * RND__NOISE_HEIGHT_GAIN);
            o[2] = 128;
            o[3] = 255;
        }
}

static void rnd__make_coarse(void)
{
    const int n = RND__NOISE_COARSE_SIZE;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            double x = (i + 0.5) / n, y = (j + 0.5) / n;
            double blot = 0.6 * rnd__value(x, y, RND__BLOT_CELLS, 53) +
                          0.4 * rnd__value(x, y, RND__BLOT2_CELLS, 59);
            double flush = rnd__value(x, y, RND__FLUSH_CELLS, 61);
            uint8_t *o = rnd__coarse + ((size_t)j * n + i) * 4;
            o[0] = rnd__byte(blot);
            o[1] = rnd__byte(flush);
            o[2] = rnd__byte(rnd__value(x, y, RND__MOTTLE_CELLS, 67));
            o[3] = 255;
        }
}

static void rnd__make_noise(void)
{
    rnd__make_fine();
    rnd__make_coarse();
}

const uint8_t *rnd__noise_fine(void)
{
    call_once(&rnd__noise_once, rnd__make_noise);
    return rnd__fine;
}

const uint8_t *rnd__noise_coarse(void)
{
    call_once(&rnd__noise_once, rnd__make_noise);
    return rnd__coarse;
}
