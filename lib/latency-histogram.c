/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * A histogram of durations: see latency-histogram.h.
 */

#include <config.h>

#include "lib/latency-histogram.h"

#include <string.h>
#include "util.h"

/* The finite upper bounds, in microseconds: 0.5 ms to 10 s, roughly
 * 1-2.5-5 per decade, as Prometheus's default buckets. */
static const uint64_t latency_histogram_bounds[] = {
    500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
    1000000, 2500000, 5000000, 10000000,
};
BUILD_ASSERT_DECL(ARRAY_SIZE(latency_histogram_bounds)
                  == LATENCY_HISTOGRAM_N_BOUNDS);

void
latency_histogram_init(struct latency_histogram *h)
{
    memset(h, 0, sizeof *h);
}

void
latency_histogram_record(struct latency_histogram *h, uint64_t usec)
{
    size_t i = 0;

    while (i < LATENCY_HISTOGRAM_N_BOUNDS
           && usec > latency_histogram_bounds[i]) {
        i++;
    }
    h->buckets[i]++;
    h->count++;
    h->sum_usec += usec;
}

uint64_t
latency_histogram_bound(size_t i)
{
    ovs_assert(i < LATENCY_HISTOGRAM_N_BOUNDS);
    return latency_histogram_bounds[i];
}
