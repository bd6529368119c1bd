/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Helpers shared by the fuzz targets (tests/fuzz/fuzz.h). */

#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "openvswitch/compiler.h"

void
fuzz_check_failed(const char *input, const char *message, ...)
{
    va_list args;

    fprintf(stderr, "fuzz self-check failed: ");
    va_start(args, message);
    vfprintf(stderr, message, args);
    va_end(args);
    fprintf(stderr, "\ninput: %s\n", input);
    abort();
}

bool
fuzz_lookup_port(const void *aux OVS_UNUSED, const char *name,
                 unsigned int *key)
{
    if (name[0] == 'p' && name[1] >= '1' && name[1] <= '9' && !name[2]) {
        *key = name[1] - '0';
        return true;
    }
    return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    free(fuzz_run(data, size));
    return 0;
}
