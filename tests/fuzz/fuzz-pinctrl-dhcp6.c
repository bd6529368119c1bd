/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Fuzz target: the DHCPv6 server (controller/pinctrl/dhcp6.c) and the
 * prefix delegation client's parser (controller/pinctrl/dhcp6-pd.c).  The
 * input is a DHCPv6 message.  A server's message (ADVERTISE, type 2, or
 * REPLY, type 7) goes from port 547 to 546 to handle_dhcpv6_reply; any
 * other from port 546 to 547 to put_dhcpv6_opts() with every option it
 * knows. */

#include <config.h>
#include "fuzz.h"
#include "fuzz-pinctrl.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"

char *
fuzz_run(const uint8_t *data, size_t size)
{
    static struct ofpbuf userdata, pd_userdata;
    static bool paused, pd_paused;

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
        ofpbuf_init(&pd_userdata, 0);
        fuzz_pinctrl_userdata("handle_dhcpv6_reply;", &pd_userdata,
                              &pd_paused);
    }
    bool from_server = size && (data[0] == 2 || data[0] == 7);
    const struct ofpbuf *ud = from_server ? &pd_userdata : &userdata;
    struct ofpbuf frame;
    ofpbuf_init(&frame, size + 64);
    fuzz_pinctrl_udp_frame(&frame, true, from_server ? 547 : 546,
                           from_server ? 546 : 547, data, size);
    char *error = fuzz_pinctrl_run(ud->data, ud->size,
                                   from_server ? pd_paused : paused,
                                   frame.data, frame.size, NULL);
    ofpbuf_uninit(&frame);
    return error;
}
