/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The list of the process's OVS coverage counters: see coverage-list.h.
 */

#include <config.h>

#include "controller/coverage-list.h"

#include "coverage.h"
#include "util.h"

/* The counters, as registered (see the header for why this state is
 * file-scope).  Written only by constructors, before main(). */
static struct coverage_counter **coverage_list_counters;
static size_t coverage_list_n;
static size_t coverage_list_allocated;

/* The real coverage_counter_register(), as the linker's --wrap names it,
 * and our wrapper, which every call reaches first.  Declared here because
 * only the linker knows these names. */
void __real_coverage_counter_register(struct coverage_counter *);
void __wrap_coverage_counter_register(struct coverage_counter *);

void
__wrap_coverage_counter_register(struct coverage_counter *counter)
{
    if (coverage_list_n >= coverage_list_allocated) {
        coverage_list_counters = x2nrealloc(coverage_list_counters,
                                            &coverage_list_allocated,
                                            sizeof *coverage_list_counters);
    }
    coverage_list_counters[coverage_list_n++] = counter;
    __real_coverage_counter_register(counter);
}

struct coverage_counter *const *
coverage_list_get(size_t *n)
{
    *n = coverage_list_n;
    return coverage_list_counters;
}
