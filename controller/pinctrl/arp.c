/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* arp { }: replaces an IPv4 packet by an ARP request and runs the nested
 * actions on it (ovn-sb(5), "arp").  The request starts as the spec says:
 * Ethernet addresses and VLAN of the IPv4 packet, op 1 (request), sha
 * from eth.src, spa from ip4.src, tha zero, tpa from ip4.dst; the nested
 * actions of ovn-northd's flows set the broadcast destination and the
 * router's addresses.  The IPv4 packet is held (held.h) until the reply
 * is learnt, keyed by the next hop in reg0. */

#include <config.h>
#include "controller/pinctrl/pin.h"

#include "controller/pinctrl/held.h"
#include "controller/pinctrl/pkt.h"
#include "coverage.h"
#include "openvswitch/ofp-actions.h"
#include "util.h"

COVERAGE_DEFINE(pinctrl_arp_request);

void
pinctrl_handle_arp(struct pin *pin)
{
    const struct flow *f = &pin->flow;

    if (f->dl_type != htons(ETH_TYPE_IP)) {
        pin_reject(pin, "not an IPv4 packet");
        return;
    }

    struct ofpbuf ofpacts;
    ofpbuf_init(&ofpacts, 128);
    if (!pin_nested_actions(pin, &ofpacts)) {
        ofpbuf_uninit(&ofpacts);
        return;
    }

    struct dp_packet *p = pkt_start(f, f->dl_dst, f->dl_src, ETH_TYPE_ARP);
    struct arp_eth_header *arp = dp_packet_put_zeros(p, sizeof *arp);
    arp->ar_hrd = htons(1);
    arp->ar_pro = htons(ETH_TYPE_IP);
    arp->ar_hln = ETH_ADDR_LEN;
    arp->ar_pln = sizeof(ovs_be32);
    arp->ar_op = htons(ARP_OP_REQUEST);
    arp->ar_sha = f->dl_src;
    put_16aligned_be32(&arp->ar_spa, f->nw_src);
    arp->ar_tha = eth_addr_zero;
    put_16aligned_be32(&arp->ar_tpa, f->nw_dst);
    pin_output(pin, p, ofpacts.data, ofpacts.size);
    COVERAGE_INC(pinctrl_arp_request);

    if (pin->held && pin->md.flow.regs[0]) {
        struct in6_addr hop = in6_addr_mapped_ipv4(
            htonl(pin->md.flow.regs[0]));
        pinctrl_held_add(pin->held, ntohll(f->metadata), &hop, pin->packet,
                         &pin->md, pin->now);
    }
    ofpbuf_uninit(&ofpacts);
}
