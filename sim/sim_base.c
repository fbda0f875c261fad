/* sim_base.c: result names, the error struct, the allocator hook, vector
 * helpers, the simulation's random generator and CRC-32.
 *
 * Thread safety: all functions are reentrant. The allocation failure counter
 * is an atomic so tests may inject failures while other threads allocate.
 */
#include "sim_base.h"

#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

/* ------------------------------------------------------------------------ */
/* Result codes                                                             */
/* ------------------------------------------------------------------------ */

static const char *const sim__names[] = {
#define SIM__NAME(name, msg) "SIM_" #name,
    SIM_RESULT_MAP(SIM__NAME)
#undef SIM__NAME
};

static const char *const sim__messages[] = {
#define SIM__MSG(name, msg) msg,
    SIM_RESULT_MAP(SIM__MSG)
#undef SIM__MSG
};

const char *sim_result_name(sim_result r)
{
    if ((int)r < 0 || r >= SIM_RESULT_COUNT)
        return "SIM_UNKNOWN";
    return sim__names[r];
}

const char *sim_result_message(sim_result r)
{
    if ((int)r < 0 || r >= SIM_RESULT_COUNT)
        return "unknown result";
    return sim__messages[r];
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */
/* ------------------------------------------------------------------------ */

void sim_error_clear(sim_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
    err->offset = -1;
}

int sim_error_set(sim_error *err, int code, const char *file, int line,
                  int column, const char *fmt, ...)
{
    if (!err)
        return code;
    int saved_errno = err->sys_errno;
    sim_error_clear(err);
    err->sys_errno = saved_errno;
    err->code = code;
    if (file)
        snprintf(err->file, sizeof err->file, "%s", file);
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

char *sim_error_format(const sim_error *err, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    if (!err) {
        snprintf(buf, size, "unknown error");
    } else if (err->file[0] && err->line > 0) {
        snprintf(buf, size, "%s:%d:%d: %s", err->file, err->line,
                 err->column > 0 ? err->column : 1, err->message);
    } else if (err->file[0] && err->offset >= 0) {
        snprintf(buf, size, "%s: byte %lld: %s", err->file,
                 (long long)err->offset, err->message);
    } else if (err->file[0]) {
        snprintf(buf, size, "%s: %s", err->file, err->message);
    } else {
        snprintf(buf, size, "%s", err->message);
    }
    return buf;
}

/* ------------------------------------------------------------------------ */
/* Allocation                                                               */
/* ------------------------------------------------------------------------ */

/* -1: no failure injection; otherwise the number of allocations still allowed
 * before one fails. Relaxed ordering: tests set it before the code under test
 * runs, and the count only needs to be atomic, not ordered. */
static atomic_long sim__alloc_budget = -1;

static bool sim__alloc_should_fail(void)
{
    long budget = atomic_load_explicit(&sim__alloc_budget, memory_order_relaxed);
    while (budget >= 0) {
        if (budget == 0)
            return true;
        if (atomic_compare_exchange_weak_explicit(&sim__alloc_budget, &budget,
                                                  budget - 1, memory_order_relaxed,
                                                  memory_order_relaxed))
            return false;
    }
    return false;
}

void sim_alloc_fail_after(long n)
{
    atomic_store_explicit(&sim__alloc_budget, n < 0 ? -1 : n, memory_order_relaxed);
}

void *sim_malloc(size_t size)
{
    if (sim__alloc_should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *sim_calloc(size_t count, size_t size)
{
    if (sim__alloc_should_fail())
        return NULL;
    if (count == 0 || size == 0)
        return calloc(1, 1);
    return calloc(count, size);
}

void *sim_realloc(void *ptr, size_t size)
{
    if (sim__alloc_should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void sim_free(void *ptr) { free(ptr); }

sim_result sim_array_grow(void **items, size_t *capacity, size_t count, size_t elem_size,
                          size_t first)
{
    if (count < *capacity)
        return SIM_OK;
    size_t cap = *capacity ? *capacity * 2 : (first ? first : 16);
    if (cap < *capacity || elem_size == 0 || cap > SIZE_MAX / elem_size)
        return SIM_ERR_NOMEM;
    void *grown = sim_realloc(*items, cap * elem_size);
    if (!grown)
        return SIM_ERR_NOMEM;
    *items = grown;
    *capacity = cap;
    return SIM_OK;
}

/* ------------------------------------------------------------------------ */
/* Vectors                                                                  */
/* ------------------------------------------------------------------------ */

double sim_v3_len(sim_vec3 a) { return sqrt(sim_v3_dot(a, a)); }

sim_vec3 sim_v3_normalize(sim_vec3 a)
{
    double len = sim_v3_len(a);
    if (len == 0.0)
        return a;
    return sim_v3_scale(a, 1.0 / len);
}

double sim_v2_len(sim_vec2 a) { return sqrt(a.x * a.x + a.y * a.y); }

/* ------------------------------------------------------------------------ */
/* PCG32                                                                    */
/* ------------------------------------------------------------------------ */

void sim_rng_seed(sim_rng *rng, uint64_t seed, uint64_t stream)
{
    rng->state = 0u;
    rng->inc = (stream << 1u) | 1u;
    (void)sim_rng_u32(rng);
    rng->state += seed;
    (void)sim_rng_u32(rng);
}

uint32_t sim_rng_u32(sim_rng *rng)
{
    uint64_t old = rng->state;
    rng->state = old * 6364136223846793005ULL + rng->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

double sim_rng_unit(sim_rng *rng)
{
    /* 32 random bits scaled exactly: no rounding up to 1.0. */
    return (double)sim_rng_u32(rng) * (1.0 / 4294967296.0);
}

/* ------------------------------------------------------------------------ */
/* CRC-32                                                                   */
/* ------------------------------------------------------------------------ */

static uint32_t sim__crc_table[256];
static once_flag sim__crc_once = ONCE_FLAG_INIT;

static void sim__crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        sim__crc_table[i] = c;
    }
}

uint32_t sim_crc32(uint32_t crc, const void *data, size_t len)
{
    call_once(&sim__crc_once, sim__crc_init);
    const uint8_t *p = data;
    crc = ~crc;
    for (size_t i = 0; i < len; i++)
        crc = sim__crc_table[(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}
