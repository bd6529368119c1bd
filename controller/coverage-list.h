/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The list of the process's OVS coverage counters, for the metrics.
 *
 * OVS's coverage module (lib/coverage.h) keeps its counters in a private
 * array: its header offers COVERAGE_DEFINE, COVERAGE_INC and the periodic
 * upkeep, but no way to list the counters or read one (only the
 * "coverage/show" and "coverage/read-counter" unixctl commands, which
 * reply to a client).  Every counter does pass through one public
 * function, coverage_counter_register(), called by the constructor that
 * COVERAGE_DEFINE emits, before main().  ovn-controller is linked with
 * "-Wl,--wrap=coverage_counter_register" (controller/automake.mk), so those
 * calls reach this module first: it remembers the counter and passes it on
 * to the real function.  A counter's 'total' is what "coverage/show"
 * prints: the counts folded in by the library's upkeep (about every
 * second in the main loop).
 *
 * This is the daemon's one piece of mutable file-scope state: the list
 * mirrors the library's own process-wide registry, is filled before main()
 * runs, and never changes afterwards.  Link it only into programs built
 * with the --wrap option above (otherwise the link fails on
 * __real_coverage_counter_register).
 */

#ifndef OVNMC_COVERAGE_LIST_H
#define OVNMC_COVERAGE_LIST_H 1

#include <stddef.h>

struct coverage_counter;

/* Returns the registered counters, in registration order, and stores
 * their number in '*n'.  The array and the counters belong to the
 * process. */
struct coverage_counter *const *coverage_list_get(size_t *n);

#endif /* controller/coverage-list.h */
