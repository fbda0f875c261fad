/* hap_ring.h: the lock-free single-producer single-consumer ring that
 * carries stylus samples (sim_sample) out of the haptic servo thread.
 *
 * Neither side ever blocks: a push onto a full ring fails and is counted
 * (the consumer fell more than `capacity` samples behind: the trace has a
 * gap, which the recorder must report), a pop from an empty ring returns 0.
 *
 * Threads: exactly one producer thread calls hap_ring_push, exactly one
 * consumer thread calls hap_ring_pop; hap_ring_count and hap_ring_dropped
 * may be called from either. init/deinit on the setup thread while neither
 * side runs.
 *
 * Ownership: the caller owns the struct; the ring owns its slot array
 * (allocated once at init; no allocation afterwards).
 */
#ifndef HAP_RING_H
#define HAP_RING_H

#include <stdatomic.h>

#include "hap_device.h"
#include "sim_trace.h"

/* Padding that keeps the producer's and consumer's indices on different
 * cache lines (false sharing would cost the servo thread on every push).
 * Padding rather than _Alignas: a ring inside a malloc'd struct would
 * otherwise be under-aligned. */
#define HAP_CACHE_LINE 64

typedef struct hap_ring {
    sim_sample *slots;           /* capacity entries */
    size_t mask;                 /* capacity - 1 (capacity is a power of 2) */
    /* producer side: written by the producer only */
    atomic_size_t head;          /* next slot to write (monotonic count) */
    size_t cached_tail;          /* producer's last view of tail */
    atomic_uint_fast64_t dropped; /* pushes refused because the ring was full */
    char pad0[HAP_CACHE_LINE];
    /* consumer side: written by the consumer only */
    atomic_size_t tail;          /* next slot to read (monotonic count) */
    size_t cached_head;          /* consumer's last view of head */
    char pad1[HAP_CACHE_LINE];
} hap_ring;

/* Allocates room for `capacity` samples, rounded up to a power of two
 * (minimum 2). HAP_ERR_ARG on 0 or absurd sizes, HAP_ERR_NOMEM. */
hap_result hap_ring_init(hap_ring *ring, size_t capacity, sim_error *err);
void hap_ring_deinit(hap_ring *ring);
size_t hap_ring_capacity(const hap_ring *ring);

/* Producer. Copies *s in; false (and counts a drop) when the ring is full. */
bool hap_ring_push(hap_ring *ring, const sim_sample *s);
/* Consumer. Copies up to `max` oldest samples out; returns how many. */
size_t hap_ring_pop(hap_ring *ring, sim_sample *out, size_t max);
/* Either side: samples waiting (a snapshot; may be stale at once). */
size_t hap_ring_count(hap_ring *ring);
/* Either side: pushes refused so far. */
uint64_t hap_ring_dropped(hap_ring *ring);

#endif /* HAP_RING_H */
