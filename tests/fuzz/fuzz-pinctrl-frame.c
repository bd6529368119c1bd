/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Fuzz target: the handlers that parse whole frames (ND and its options,
 * ICMP errors, TCP resets, SCTP aborts, ARP, learning, IGMP/MLD reports,
 * service monitor answers, router solicitations).  The first input
 * byte picks the action, the rest is the Ethernet frame. */

#include <config.h>
#include "fuzz.h"
#include "fuzz-pinctrl.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "util.h"

static const char *const actions[] = {
    "nd_na_router { eth.src = 00:00:00:00:00:fe; ip6.src = nd.target; "
    "nd.tll = 00:00:00:00:00:fe; outport = inport; output; };",
    "nd_na { eth.src = 00:00:00:00:00:fe; outport = inport; output; };",
    "nd_ns { nd.target = xxreg0; output; };",
    "put_nd(inport, ip6.src, nd.sll);",
    "put_nd(inport, nd.target, nd.tll);",
    "arp { eth.dst = ff:ff:ff:ff:ff:ff; arp.op = 1; output; };",
    "put_arp(inport, arp.spa, arp.sha);",
    "icmp4_error { icmp4.type = 3; icmp4.code = 4; icmp4.frag_mtu = 1400;"
    " eth.dst <-> eth.src; ip4.dst <-> ip4.src; output; };",
    "icmp6_error { icmp6.type = 2; icmp6.code = 0; icmp6.frag_mtu = 1400;"
    " output; };",
    "tcp_reset { eth.dst <-> eth.src; ip4.dst <-> ip4.src; output; };",
    "sctp_abort { output; };",
    "reject { outport <-> inport; output; };",
    "put_fdb(inport, eth.src);",
    "log(name = \"acl1\", severity = alert, verdict = drop);",
    "bind_vport(\"p9\", inport);",
    "igmp;",
    "handle_svc_check(inport);",
    "reg0[3] = put_nd_ra_opts(addr_mode = \"slaac\", "
    "slla = 00:00:00:00:00:fe, prefix = fd00::/64, "
    "route_info = \"HIGH-fd01::/48\", dnssl = \"a.test\");",
};

char *
fuzz_run(const uint8_t *data, size_t size)
{
    static struct ofpbuf userdata[ARRAY_SIZE(actions)];
    static bool paused[ARRAY_SIZE(actions)];

    static bool init;

    if (!init) {
        init = true;
        vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
        for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
            ofpbuf_init(&userdata[i], 0);
            fuzz_pinctrl_userdata(actions[i], &userdata[i], &paused[i]);
        }
    }
    if (!size) {
        return xstrdup("empty input");
    }
    size_t i = data[0] % ARRAY_SIZE(actions);
    return fuzz_pinctrl_run(userdata[i].data, userdata[i].size, paused[i],
                            data + 1, size - 1, NULL);
}
