/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Fuzz target: the DHCPv6 server (controller/pinctrl/dhcp6.c).  The input
 * is the UDP payload of a message from port 546 to 547, answered by
 * put_dhcpv6_opts() with every option it knows. */

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
            "reg0[3] = put_dhcpv6_opts(ia_addr = fd00::2, "
            "server_id = 00:00:00:00:10:02, dns_server = {fd00::53}, "
            "domain_search = \"ovn.test\", fqdn = \"vm.ovn.test\");",
            &userdata, &paused);
    }
    struct ofpbuf frame;
    ofpbuf_init(&frame, size + 64);
    fuzz_pinctrl_udp_frame(&frame, true, 546, 547, data, size);
    char *error = fuzz_pinctrl_run(userdata.data, userdata.size, paused,
                                   frame.data, frame.size, NULL);
    ofpbuf_uninit(&frame);
    return error;
}
