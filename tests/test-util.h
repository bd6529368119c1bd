/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

#ifndef TESTS_TEST_UTIL_H
#define TESTS_TEST_UTIL_H 1

/* Helpers shared by the test drivers. */

#include <stdbool.h>

struct uuid;

/* Parses 's', a flow owner as the test scripts write it: a full UUID, or a
 * small number that stands for the UUID whose first part it is.  Returns
 * true and stores the owner in '*uuid' if 's' is one of these. */
bool test_parse_owner(const char *s, struct uuid *uuid);

#endif /* tests/test-util.h */
