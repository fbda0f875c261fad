/* haptics_channels.c: the servo thread's channels: the SPSC sample ring,
 * the triple buffer and the duration histogram; single-threaded contracts
 * plus producer/consumer threads (run these under TSan too: docs/haptics.md). */
#include "test_util.h"

#include <pthread.h>
#include <string.h>

#include "hap_ring.h"
#include "hap_stats.h"
#include "hap_tribuf.h"

static sim_sample sample_n(int64_t n)
{
    sim_sample s;
    memset(&s, 0, sizeof s);
    s.t_us = n;
    s.tip_mm[0] = (float)n;
    s.buttons = (uint32_t)n;
    return s;
}

static void test_ring_init_rounds_and_rejects(void **state)
{
    (void)state;
    hap_ring r;
    sim_error err;
    assert_int_equal(hap_ring_init(&r, 0, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "ring capacity 0 is not in 1..16777216");
    assert_int_equal(hap_ring_init(&r, 1000, &err), HAP_OK);
    assert_int_equal(hap_ring_capacity(&r), 1024);
    hap_ring_deinit(&r);
    hap_ring_deinit(&r);   /* idempotent */
}

static void test_ring_oom(void **state)
{
    (void)state;
    hap_ring r;
    sim_error err;
    sim_alloc_fail_after(0);
    hap_result res = hap_ring_init(&r, 64, &err);
    sim_alloc_fail_after(-1);
    assert_int_equal(res, HAP_ERR_NOMEM);
    hap_ring_deinit(&r);
}

static void test_ring_full_drops_and_never_blocks(void **state)
{
    (void)state;
    hap_ring r;
    assert_int_equal(hap_ring_init(&r, 8, NULL), HAP_OK);
    for (int i = 0; i < 8; i++) {
        sim_sample s = sample_n(i);
        assert_true(hap_ring_push(&r, &s));
    }
    sim_sample extra = sample_n(99);
    assert_false(hap_ring_push(&r, &extra));
    assert_false(hap_ring_push(&r, &extra));
    assert_int_equal(hap_ring_dropped(&r), 2);
    assert_int_equal(hap_ring_count(&r), 8);
    sim_sample out[16];
    assert_int_equal(hap_ring_pop(&r, out, 3), 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(out[i].t_us, i);
    /* room again: wraps around the slot array */
    for (int i = 8; i < 11; i++) {
        sim_sample s = sample_n(i);
        assert_true(hap_ring_push(&r, &s));
    }
    assert_int_equal(hap_ring_pop(&r, out, 16), 8);
    for (int i = 0; i < 8; i++)
        assert_int_equal(out[i].t_us, i + 3);
    assert_int_equal(hap_ring_pop(&r, out, 16), 0);
    hap_ring_deinit(&r);
}

#define STRESS_N 200000

typedef struct stress {
    hap_ring ring;
    uint64_t pushed_ok, refused;
} stress;

static void *producer(void *arg)
{
    stress *st = arg;
    for (int64_t i = 0; i < STRESS_N; i++) {
        sim_sample s = sample_n(i);
        if (hap_ring_push(&st->ring, &s))
            st->pushed_ok++;
        else
            st->refused++;
    }
    return NULL;
}

/* The consumer sees a strictly increasing subsequence of what was pushed,
 * with intact payloads; refused pushes equal the drop counter; nothing is
 * lost that was accepted. */
static void test_ring_two_threads(void **state)
{
    (void)state;
    stress st;
    memset(&st, 0, sizeof st);
    assert_int_equal(hap_ring_init(&st.ring, 256, NULL), HAP_OK);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, producer, &st), 0);
    sim_sample buf[64];
    uint64_t got = 0;
    int64_t last = -1;
    bool done = false;
    while (!done || hap_ring_count(&st.ring) > 0) {
        size_t n = hap_ring_pop(&st.ring, buf, 64);
        for (size_t i = 0; i < n; i++) {
            assert_true(buf[i].t_us > last);
            assert_true(buf[i].tip_mm[0] == (float)buf[i].t_us);
            assert_int_equal(buf[i].buttons, (uint32_t)buf[i].t_us);
            last = buf[i].t_us;
        }
        got += n;
        if (!done && got + hap_ring_dropped(&st.ring) == STRESS_N)
            done = true;
        if (!done && n == 0) {
            /* poll until the producer is through (no timing asserted) */
            struct timespec ts = {0, 10000};
            nanosleep(&ts, NULL);
            if (got + hap_ring_dropped(&st.ring) == STRESS_N)
                done = true;
        }
    }
    pthread_join(t, NULL);
    assert_int_equal(got, st.pushed_ok);
    assert_int_equal(hap_ring_dropped(&st.ring), st.refused);
    assert_int_equal(st.pushed_ok + st.refused, STRESS_N);
    hap_ring_deinit(&st.ring);
}

typedef struct pair { int64_t a, b; } pair;

static void test_tribuf_newest_wins(void **state)
{
    (void)state;
    hap_tribuf tb;
    pair init = {-1, -1};
    assert_int_equal(hap_tribuf_init(&tb, sizeof(pair), &init, NULL), HAP_OK);
    bool fresh = true;
    const pair *p = hap_tribuf_read(&tb, &fresh);
    assert_false(fresh);
    assert_int_equal(p->a, -1);
    for (int64_t i = 1; i <= 3; i++) {
        pair v = {i, -i};
        hap_tribuf_put(&tb, &v);
    }
    p = hap_tribuf_read(&tb, &fresh);
    assert_true(fresh);
    assert_int_equal(p->a, 3);
    assert_int_equal(p->b, -3);
    p = hap_tribuf_read(&tb, &fresh);
    assert_false(fresh);
    assert_int_equal(p->a, 3);
    /* write_slot + publish */
    pair *w = hap_tribuf_write_slot(&tb);
    w->a = 7;
    w->b = -7;
    hap_tribuf_publish(&tb);
    p = hap_tribuf_read(&tb, &fresh);
    assert_true(fresh);
    assert_int_equal(p->a, 7);
    hap_tribuf_deinit(&tb);
    sim_error err;
    assert_int_equal(hap_tribuf_init(&tb, 0, NULL, &err), HAP_ERR_ARG);
    assert_string_equal(err.message, "triple buffer element size is 0");
}

typedef struct tb_stress {
    hap_tribuf tb;
} tb_stress;

static void *tb_writer(void *arg)
{
    tb_stress *st = arg;
    for (int64_t i = 1; i <= STRESS_N; i++) {
        pair *w = hap_tribuf_write_slot(&st->tb);
        w->a = i;
        w->b = -i;
        hap_tribuf_publish(&st->tb);
    }
    return NULL;
}

/* The reader never sees a torn value and values never go backwards. */
static void test_tribuf_two_threads(void **state)
{
    (void)state;
    tb_stress st;
    pair init = {0, 0};
    assert_int_equal(hap_tribuf_init(&st.tb, sizeof(pair), &init, NULL), HAP_OK);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, tb_writer, &st), 0);
    int64_t last = 0;
    while (last < STRESS_N) {
        const pair *p = hap_tribuf_read(&st.tb, NULL);
        assert_int_equal(p->a, -p->b);
        assert_true(p->a >= last);
        last = p->a;
    }
    pthread_join(t, NULL);
    hap_tribuf_deinit(&st.tb);
}

static void test_histogram_percentiles(void **state)
{
    (void)state;
    hap_histogram h;
    assert_int_equal(hap_histogram_init(&h, 1000, 100, NULL), HAP_OK);
    assert_int_equal(hap_histogram_percentile_ns(&h, 0.5), 0);
    for (int i = 0; i < 98; i++)
        hap_histogram_record(&h, 10500);      /* bin 10 */
    hap_histogram_record(&h, 50000);          /* bin 50 */
    hap_histogram_record(&h, 5000000);        /* overflow */
    hap_histogram_record(&h, -5);             /* counts as 0 */
    assert_int_equal(hap_histogram_count(&h), 101);
    assert_int_equal(hap_histogram_percentile_ns(&h, 0.5), 11000);
    assert_int_equal(hap_histogram_percentile_ns(&h, 0.99), 51000);
    assert_int_equal(hap_histogram_percentile_ns(&h, 1.0), 5000000);
    assert_int_equal(hap_histogram_max_ns(&h), 5000000);
    hap_histogram_deinit(&h);
    /* a value exactly at a bin start reads back as itself (capped by max) */
    assert_int_equal(hap_histogram_init(&h, 1000, 100, NULL), HAP_OK);
    hap_histogram_record(&h, 30000);
    assert_int_equal(hap_histogram_percentile_ns(&h, 0.5), 30000);
    hap_histogram_deinit(&h);
    sim_error err;
    assert_int_equal(hap_histogram_init(&h, 0, 10, &err), HAP_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_init_rounds_and_rejects),
        cmocka_unit_test(test_ring_oom),
        cmocka_unit_test(test_ring_full_drops_and_never_blocks),
        cmocka_unit_test(test_ring_two_threads),
        cmocka_unit_test(test_tribuf_newest_wins),
        cmocka_unit_test(test_tribuf_two_threads),
        cmocka_unit_test(test_histogram_percentiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
