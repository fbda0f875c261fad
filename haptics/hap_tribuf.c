/* hap_tribuf.c: the lock-free triple buffer (see hap_tribuf.h). */
#include "hap_tribuf.h"

#include <string.h>

#define TB_INDEX 3u
#define TB_FRESH 4u

hap_result hap_tribuf_init(hap_tribuf *tb, size_t elem_size, const void *initial,
                           sim_error *err)
{
    memset(tb, 0, sizeof *tb);
    if (elem_size == 0)
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "triple buffer element size is 0");
    tb->slots = sim_calloc(3, elem_size);
    if (!tb->slots)
        return (hap_result)sim_error_set(err, HAP_ERR_NOMEM, NULL, 0, 0,
                                         "out of memory for a triple buffer");
    tb->elem_size = elem_size;
    if (initial)
        for (unsigned i = 0; i < 3; i++)
            memcpy(tb->slots + i * elem_size, initial, elem_size);
    tb->front = 0;
    tb->back = 2;
    atomic_init(&tb->middle, 1u);
    return HAP_OK;
}

void hap_tribuf_deinit(hap_tribuf *tb)
{
    if (!tb)
        return;
    sim_free(tb->slots);
    memset(tb, 0, sizeof *tb);
}

void *hap_tribuf_write_slot(hap_tribuf *tb)
{
    return tb->slots + (size_t)tb->back * tb->elem_size;
}

void hap_tribuf_publish(hap_tribuf *tb)
{
    /* acq_rel: release publishes the bytes written into our back slot to
     * the reader (who exchanges with acquire); acquire makes the reader's
     * earlier reads of the slot we get back (if it was its front before)
     * happen before we overwrite it. */
    unsigned old = atomic_exchange_explicit(&tb->middle, tb->back | TB_FRESH,
                                            memory_order_acq_rel);
    tb->back = old & TB_INDEX;
    tb->published++;
}

void hap_tribuf_put(hap_tribuf *tb, const void *value)
{
    memcpy(hap_tribuf_write_slot(tb), value, tb->elem_size);
    hap_tribuf_publish(tb);
}

const void *hap_tribuf_read(hap_tribuf *tb, bool *fresh)
{
    /* relaxed: only a hint whether to swap; the exchange below carries the
     * ordering. A stale "not fresh" just delays the value by one call. */
    unsigned mid = atomic_load_explicit(&tb->middle, memory_order_relaxed);
    bool got = (mid & TB_FRESH) != 0;
    if (got) {
        /* acq_rel: acquire pairs with the writer's release in publish, so
         * the slot's bytes are visible; release hands our old front back
         * with our reads of it complete. Only the writer sets FRESH, so the
         * flag is still set here. */
        unsigned old = atomic_exchange_explicit(&tb->middle, tb->front,
                                                memory_order_acq_rel);
        tb->front = old & TB_INDEX;
    }
    if (fresh)
        *fresh = got;
    return tb->slots + (size_t)tb->front * tb->elem_size;
}
