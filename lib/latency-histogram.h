/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * A histogram of durations, in the shape of a Prometheus histogram: a
 * count per bucket (fixed upper bounds, from half a millisecond to ten
 * seconds, then +Inf), the number of observations and their sum.  A module
 * that measures something (ofctrl: the time an installation takes) keeps
 * one in its own state and records into it; controller/metrics.c prints
 * it.  Pure data: no logging, no clock.
 */

#ifndef OVNMC_LATENCY_HISTOGRAM_H
#define OVNMC_LATENCY_HISTOGRAM_H 1

#include <stddef.h>
#include <stdint.h>

/* Number of finite upper bounds (the +Inf bucket comes on top). */
#define LATENCY_HISTOGRAM_N_BOUNDS 14

struct latency_histogram {
    uint64_t buckets[LATENCY_HISTOGRAM_N_BOUNDS + 1]; /* Observations in
                                 * each bucket, not cumulative: bucket i
                                 * holds those above bound i - 1 and at
                                 * most bound i; the last, those above
                                 * every bound. */
    uint64_t count;             /* Observations. */
    uint64_t sum_usec;          /* Their sum, in microseconds. */
};

/* Initializes 'h' empty. */
void latency_histogram_init(struct latency_histogram *h);

/* Records one observation of 'usec' microseconds in 'h'. */
void latency_histogram_record(struct latency_histogram *h, uint64_t usec);

/* Returns finite upper bound 'i' (0 <= i < LATENCY_HISTOGRAM_N_BOUNDS), in
 * microseconds.  The bounds increase with 'i'. */
uint64_t latency_histogram_bound(size_t i);

#endif /* lib/latency-histogram.h */
