/* hap_stats.c: the single-writer duration histogram (see hap_stats.h).
 *
 * Every counter has one writer, so updates are a relaxed load and a relaxed
 * store (no read-modify-write); readers use relaxed loads. Nothing else is
 * ordered against these numbers, so no stronger order is needed.
 */
#include "hap_stats.h"

#include <string.h>

hap_result hap_histogram_init(hap_histogram *h, int64_t bin_ns, uint32_t bins,
                              sim_error *err)
{
    memset(h, 0, sizeof *h);
    if (bin_ns <= 0 || bins == 0 || bins > (1u << 20))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "histogram: bad bin width or count");
    h->counts = sim_calloc((size_t)bins + 1, sizeof *h->counts);
    if (!h->counts)
        return (hap_result)sim_error_set(err, HAP_ERR_NOMEM, NULL, 0, 0,
                                         "histogram: out of memory");
    for (uint32_t i = 0; i <= bins; i++)
        atomic_init(&h->counts[i], 0);
    h->bins = bins;
    h->bin_ns = bin_ns;
    atomic_init(&h->max_ns, 0);
    atomic_init(&h->total, 0);
    return HAP_OK;
}

void hap_histogram_deinit(hap_histogram *h)
{
    if (!h)
        return;
    sim_free((void *)h->counts);
    memset(h, 0, sizeof *h);
}

void hap_histogram_record(hap_histogram *h, int64_t ns)
{
    if (ns < 0)
        ns = 0;
    int64_t bin = ns / h->bin_ns;
    uint32_t i = bin >= (int64_t)h->bins ? h->bins : (uint32_t)bin;
    /* relaxed everywhere: single writer, statistics only (see file header). */
    uint_fast64_t c = atomic_load_explicit(&h->counts[i], memory_order_relaxed);
    atomic_store_explicit(&h->counts[i], c + 1, memory_order_relaxed);
    if (ns > atomic_load_explicit(&h->max_ns, memory_order_relaxed))
        atomic_store_explicit(&h->max_ns, ns, memory_order_relaxed);
    uint_fast64_t t = atomic_load_explicit(&h->total, memory_order_relaxed);
    atomic_store_explicit(&h->total, t + 1, memory_order_relaxed);
}

int64_t hap_histogram_percentile_ns(hap_histogram *h, double p)
{
    if (!h->counts)
        return 0;
    if (p < 0)
        p = 0;
    if (p > 1)
        p = 1;
    /* Sum the bins ourselves rather than trusting `total`: the writer may
     * have bumped one and not yet the other. relaxed: statistics only. */
    uint64_t total = 0;
    for (uint32_t i = 0; i <= h->bins; i++)
        total += atomic_load_explicit(&h->counts[i], memory_order_relaxed);
    if (total == 0)
        return 0;
    uint64_t rank = (uint64_t)(p * (double)total + 0.5);
    if (rank < 1)
        rank = 1;
    if (rank > total)
        rank = total;
    uint64_t seen = 0;
    for (uint32_t i = 0; i < h->bins; i++) {
        seen += atomic_load_explicit(&h->counts[i], memory_order_relaxed);
        if (seen >= rank) {
            /* the bin's upper edge, but never above the largest value seen */
            int64_t edge = (int64_t)(i + 1) * h->bin_ns;
            int64_t max = hap_histogram_max_ns(h);
            return edge < max ? edge : max;
        }
    }
    return hap_histogram_max_ns(h);
}

int64_t hap_histogram_max_ns(hap_histogram *h)
{
    return h->counts ? atomic_load_explicit(&h->max_ns, memory_order_relaxed) : 0;
}

uint64_t hap_histogram_count(hap_histogram *h)
{
    return h->counts ? atomic_load_explicit(&h->total, memory_order_relaxed) : 0;
}
