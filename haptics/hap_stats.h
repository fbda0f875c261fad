/* hap_stats.h: a fixed-bin histogram of durations (servo period jitter,
 * force evaluation time) that the servo thread fills without allocating or
 * locking, and that another thread reads as percentiles at any time.
 *
 * Threads: exactly one writer (hap_histogram_record); any number of
 * readers (percentile, max, count). A reader racing the writer sees a
 * histogram at most one record out of date per bin: fine for statistics.
 * Ownership: the caller owns the struct; it owns its bin array (allocated
 * at init).
 */
#ifndef HAP_STATS_H
#define HAP_STATS_H

#include <stdatomic.h>

#include "hap_device.h"

typedef struct hap_histogram {
    atomic_uint_fast64_t *counts;  /* bins + 1 (the last one: overflow) */
    uint32_t bins;
    int64_t bin_ns;
    atomic_int_fast64_t max_ns;
    atomic_uint_fast64_t total;
} hap_histogram;

/* bins bins of bin_ns each: [0, bin_ns), [bin_ns, 2 bin_ns), ...; values
 * from bins * bin_ns up land in the overflow bin (max_ns stays exact). */
hap_result hap_histogram_init(hap_histogram *h, int64_t bin_ns, uint32_t bins,
                              sim_error *err);
void hap_histogram_deinit(hap_histogram *h);

/* Writer. Negative values count as 0. */
void hap_histogram_record(hap_histogram *h, int64_t ns);

/* Readers. The value below which a fraction p (0..1) of records fall,
 * rounded up to the bin's upper edge but never above max_ns (the overflow
 * bin answers max_ns);
 * 0 when empty. */
int64_t hap_histogram_percentile_ns(hap_histogram *h, double p);
int64_t hap_histogram_max_ns(hap_histogram *h);
uint64_t hap_histogram_count(hap_histogram *h);

#endif /* HAP_STATS_H */
