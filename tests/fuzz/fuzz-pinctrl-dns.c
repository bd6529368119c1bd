/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Fuzz target: DNS lookups (controller/pinctrl/dns.c).  The input is the
 * UDP payload of a query to port 53. */

#include <config.h>
#include "fuzz.h"
#include "fuzz-pinctrl.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"

char *
fuzz_run(const uint8_t *data, size_t size)
{
    static struct ofpbuf userdata;
    static bool paused;

    static bool init;

    if (!init) {
        init = true;
        vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
        ofpbuf_init(&userdata, 0);
        fuzz_pinctrl_userdata(
            "reg0[4] = dns_lookup();",
            &userdata, &paused);
    }
    struct ofpbuf frame;
    ofpbuf_init(&frame, size + 64);
    fuzz_pinctrl_udp_frame(&frame, false, 33333, 53, data, size);
    char *error = fuzz_pinctrl_run(userdata.data, userdata.size, paused,
                                   frame.data, frame.size, NULL);
    ofpbuf_uninit(&frame);
    return error;
}
