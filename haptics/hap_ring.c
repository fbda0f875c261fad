/* hap_ring.c: the SPSC sample ring (see hap_ring.h).
 *
 * head and tail are free-running counters (they wrap at SIZE_MAX, and the
 * arithmetic is modulo 2^N, so head - tail is always the fill level). The
 * producer owns head and the slots between tail and head+capacity; the
 * consumer owns tail and the slots between tail and head. Each side keeps a
 * cached copy of the other side's index and only re-reads the shared atomic
 * when the cache says full (producer) or empty (consumer), so the common
 * path touches no shared cache line but its own.
 */
#include "hap_ring.h"

#include <string.h>

#define HAP_RING_MAX (1u << 24)   /* 16 M samples: 4.6 h at 1 kHz, 640 MB */

hap_result hap_ring_init(hap_ring *ring, size_t capacity, sim_error *err)
{
    memset(ring, 0, sizeof *ring);
    if (capacity == 0 || capacity > HAP_RING_MAX)
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "ring capacity %zu is not in 1..%u",
                                         capacity, HAP_RING_MAX);
    size_t cap = 2;
    while (cap < capacity)
        cap <<= 1;
    ring->slots = sim_calloc(cap, sizeof *ring->slots);
    if (!ring->slots)
        return (hap_result)sim_error_set(err, HAP_ERR_NOMEM, NULL, 0, 0,
                                         "out of memory for a ring of %zu samples", cap);
    ring->mask = cap - 1;
    atomic_init(&ring->head, 0);
    atomic_init(&ring->tail, 0);
    atomic_init(&ring->dropped, 0);
    return HAP_OK;
}

void hap_ring_deinit(hap_ring *ring)
{
    if (!ring)
        return;
    sim_free(ring->slots);
    memset(ring, 0, sizeof *ring);
}

size_t hap_ring_capacity(const hap_ring *ring)
{
    return ring->slots ? ring->mask + 1 : 0;
}

bool hap_ring_push(hap_ring *ring, const sim_sample *s)
{
    /* relaxed: head is written only by this (the producer) thread. */
    size_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);
    if (head - ring->cached_tail > ring->mask) {
        /* acquire: pairs with the consumer's release store of tail, so the
         * consumer's reads of the slots it freed happen before we overwrite
         * them. */
        ring->cached_tail = atomic_load_explicit(&ring->tail, memory_order_acquire);
        if (head - ring->cached_tail > ring->mask) {
            /* relaxed: a statistic; only its own value matters. Single
             * writer, so load + store (no RMW) is enough. */
            uint_fast64_t d = atomic_load_explicit(&ring->dropped, memory_order_relaxed);
            atomic_store_explicit(&ring->dropped, d + 1, memory_order_relaxed);
            return false;
        }
    }
    ring->slots[head & ring->mask] = *s;
    /* release: publishes the slot contents written above to the consumer,
     * which reads head with acquire before reading the slot. */
    atomic_store_explicit(&ring->head, head + 1, memory_order_release);
    return true;
}

size_t hap_ring_pop(hap_ring *ring, sim_sample *out, size_t max)
{
    /* relaxed: tail is written only by this (the consumer) thread. */
    size_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);
    size_t avail = ring->cached_head - tail;
    if (avail < max) {
        /* acquire: pairs with the producer's release store of head, making
         * the slot contents it published visible here. */
        ring->cached_head = atomic_load_explicit(&ring->head, memory_order_acquire);
        avail = ring->cached_head - tail;
    }
    size_t n = avail < max ? avail : max;
    for (size_t i = 0; i < n; i++)
        out[i] = ring->slots[(tail + i) & ring->mask];
    if (n)
        /* release: our reads of the slots happen before the producer, after
         * its acquire load of tail, reuses them. */
        atomic_store_explicit(&ring->tail, tail + n, memory_order_release);
    return n;
}

size_t hap_ring_count(hap_ring *ring)
{
    /* acquire on both: a consistent-enough snapshot for display; the value
     * is advisory and may be stale the moment it is returned. tail is read
     * first so head - tail never underflows (head only grows past it). */
    size_t tail = atomic_load_explicit(&ring->tail, memory_order_acquire);
    size_t head = atomic_load_explicit(&ring->head, memory_order_acquire);
    return head - tail;
}

uint64_t hap_ring_dropped(hap_ring *ring)
{
    /* relaxed: a statistic with no data depending on it. */
    return atomic_load_explicit(&ring->dropped, memory_order_relaxed);
}
