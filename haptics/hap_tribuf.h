/* hap_tribuf.h: a lock-free triple buffer: one writer publishes whole
 * values, one reader always gets the newest complete value, neither ever
 * waits. Used for the force model going into the servo thread, for the
 * mouse position going into the mouse device, and for the status snapshot
 * coming out of the servo thread.
 *
 * Three slots: the writer owns one (`back`), the reader owns one (`front`),
 * the third (`middle`) is the exchange slot. Publishing swaps back and
 * middle and marks middle fresh; reading swaps front and middle if middle is
 * fresh. Both swaps are one atomic exchange.
 *
 * Threads: one writer thread (hap_tribuf_write_slot, hap_tribuf_publish),
 * one reader thread (hap_tribuf_read). init/deinit on the setup thread
 * while neither runs.
 * Ownership: the caller owns the struct; it owns its three slots
 * (allocated at init, `elem_size` bytes each).
 */
#ifndef HAP_TRIBUF_H
#define HAP_TRIBUF_H

#include <stdatomic.h>

#include "hap_device.h"

typedef struct hap_tribuf {
    unsigned char *slots;     /* 3 * elem_size bytes */
    size_t elem_size;
    /* bits 0-1: index of the middle slot; bit 2: middle holds a value the
     * reader has not taken yet */
    atomic_uint middle;
    unsigned back;            /* writer's slot (writer only) */
    unsigned front;           /* reader's slot (reader only) */
    uint64_t published;       /* values published (writer only) */
} hap_tribuf;

/* Allocates three slots of elem_size bytes, each a copy of `initial` (or
 * zeroed when NULL). */
hap_result hap_tribuf_init(hap_tribuf *tb, size_t elem_size, const void *initial,
                           sim_error *err);
void hap_tribuf_deinit(hap_tribuf *tb);

/* Writer. The slot to fill before publishing (its old contents are a
 * value published some time ago, not necessarily the last one). */
void *hap_tribuf_write_slot(hap_tribuf *tb);
/* Writer. Makes the filled slot the newest value. */
void hap_tribuf_publish(hap_tribuf *tb);
/* Writer. Copies `value` in and publishes it. */
void hap_tribuf_put(hap_tribuf *tb, const void *value);

/* Reader. The newest published value (or the initial one); stays valid and
 * unchanged until this reader's next call. *fresh (may be NULL) tells
 * whether it is newer than the previous call's. */
const void *hap_tribuf_read(hap_tribuf *tb, bool *fresh);

#endif /* HAP_TRIBUF_H */
