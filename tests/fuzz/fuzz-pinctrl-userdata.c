/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Fuzz target: controller-op userdata (lib/controller-ops.c) and every
 * handler on arbitrary arguments.  Input: a byte with the pause flag, a
 * big-endian 16-bit userdata length, the userdata, then the frame. */

#include <config.h>
#include "fuzz.h"
#include "fuzz-pinctrl.h"
#include "openvswitch/vlog.h"
#include "util.h"

char *
fuzz_run(const uint8_t *data, size_t size)
{
    static bool quiet;

    if (!quiet) {
        vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
        quiet = true;
    }
    if (size < 3) {
        return xstrdup("short input");
    }
    bool paused = data[0] & 1;
    size_t ulen = MIN((size_t) ((data[1] << 8) | data[2]), size - 3);
    return fuzz_pinctrl_run(data + 3, ulen, paused, data + 3 + ulen,
                            size - 3 - ulen, NULL);
}
