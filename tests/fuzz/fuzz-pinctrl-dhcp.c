/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Fuzz target: the DHCPv4 server (controller/pinctrl/dhcp.c).  The input
 * is the UDP payload of a request from port 68 to 67, answered by
 * put_dhcp_opts() with every kind of option. */

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
            "reg0[3] = put_dhcp_opts(offerip = 10.0.0.2, "
            "router = 10.0.0.1, netmask = 255.255.255.0, "
            "dns_server = {8.8.8.8, 9.9.9.9}, lease_time = 3600, "
            "mtu = 1400, domain_name = \"ovn.test\", "
            "domain_search_list = \"a.test,b.test\", "
            "classless_static_route = {30.0.0.0/24, 10.0.0.1, "
            "0.0.0.0/0, 10.0.0.1}, server_id = 10.0.0.1, "
            "hostname = \"vm\", T1 = 100, T2 = 200);",
            &userdata, &paused);
    }
    struct ofpbuf frame;
    ofpbuf_init(&frame, size + 64);
    fuzz_pinctrl_udp_frame(&frame, false, 68, 67, data, size);
    char *error = fuzz_pinctrl_run(userdata.data, userdata.size, paused,
                                   frame.data, frame.size, NULL);
    ofpbuf_uninit(&frame);
    return error;
}
