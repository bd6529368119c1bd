/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

#include <config.h>

#include "tests/test-util.h"

#include <stdlib.h>
#include "uuid.h"

bool
test_parse_owner(const char *s, struct uuid *uuid)
{
    char *end;
    unsigned long n;

    if (uuid_from_string(uuid, s)) {
        return true;
    }
    n = strtoul(s, &end, 0);
    if (*s && !*end) {
        uuid_zero(uuid);
        uuid->parts[0] = n;
        return true;
    }
    return false;
}
