/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Unit driver for the pinctrl handlers (controller/pinctrl/pin.h), over
 * tests/fuzz/fuzz-pinctrl.h:
 *
 *   test-pinctrl ACTION FRAME-HEX
 *   test-pinctrl ACTION udp4|udp6 SPORT DPORT PAYLOAD-HEX
 *   test-pinctrl --userdata USERDATA-HEX FRAME-HEX
 *   test-pinctrl --print-userdata ACTION
 *
 * runs the handler of the logical action ACTION (compiled as the daemon
 * would) or of raw userdata on one frame, with the metadata and snapshot
 * of fuzz-pinctrl.h, and prints what it did, one line each: "out: HEX
 * actions=..." per packet sent, "resume: HEX reg0=..." for a resumed
 * packet, "write: KEY" per SB write, "rejected: REASON".  Log messages go
 * to stderr. */

#include <config.h>

#include <stdio.h>
#include <string.h>
#include "fuzz/fuzz.h"
#include "fuzz/fuzz-pinctrl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "util.h"

/* fuzz-util.c, which provides the snapshot's port lookup, also wraps
 * fuzz_run() for libFuzzer; this driver is no fuzz target. */
char *
fuzz_run(const uint8_t *data OVS_UNUSED, size_t size OVS_UNUSED)
{
    return xstrdup("test-pinctrl is not a fuzz target");
}

static void
parse_hex(const char *hex, struct ofpbuf *out)
{
    size_t n = strlen(hex);
    if (n % 2) {
        ovs_fatal(0, "odd number of hex digits");
    }
    for (size_t i = 0; i < n; i += 2) {
        unsigned int b;
        if (sscanf(hex + i, "%2x", &b) != 1) {
            ovs_fatal(0, "bad hex at %"PRIuSIZE, i);
        }
        uint8_t byte = b;
        ofpbuf_put(out, &byte, 1);
    }
}

int
main(int argc, char *argv[])
{
    struct ofpbuf userdata, frame;
    bool paused = false;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_SYSLOG, VLL_OFF);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    ofpbuf_init(&userdata, 0);
    ofpbuf_init(&frame, 0);
    if (argc == 3 && !strcmp(argv[1], "--print-userdata")) {
        fuzz_pinctrl_userdata(argv[2], &userdata, &paused);
        const uint8_t *b = userdata.data;
        for (size_t i = 0; i < userdata.size; i++) {
            printf("%02x", b[i]);
        }
        printf(" %s\n", paused ? "paused" : "not-paused");
        ofpbuf_uninit(&userdata);
        ofpbuf_uninit(&frame);
        return 0;
    } else if (argc == 4 && !strcmp(argv[1], "--userdata")) {
        parse_hex(argv[2], &userdata);
        parse_hex(argv[3], &frame);
        paused = true;
    } else if (argc == 3) {
        fuzz_pinctrl_userdata(argv[1], &userdata, &paused);
        parse_hex(argv[2], &frame);
    } else if (argc == 6) {
        struct ofpbuf payload;
        ofpbuf_init(&payload, 0);
        fuzz_pinctrl_userdata(argv[1], &userdata, &paused);
        parse_hex(argv[5], &payload);
        fuzz_pinctrl_udp_frame(&frame, !strcmp(argv[2], "udp6"),
                               atoi(argv[3]), atoi(argv[4]), payload.data,
                               payload.size);
        ofpbuf_uninit(&payload);
    } else {
        ovs_fatal(0, "usage: see tests/test-pinctrl.c");
    }

    struct ds out = DS_EMPTY_INITIALIZER;
    free(fuzz_pinctrl_run(userdata.data, userdata.size, paused, frame.data,
                          frame.size, &out));
    fputs(ds_cstr(&out), stdout);
    ds_destroy(&out);
    ofpbuf_uninit(&userdata);
    ofpbuf_uninit(&frame);
    return 0;
}
