/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* IPv6 neighbour discovery (RFC 4861), the IPv6 counterparts of arp.c:
 *
 * nd_ns { }: replaces an IPv6 packet by a neighbour solicitation for its
 * destination: to the solicited-node multicast address (and its Ethernet
 * address), from eth.src and the link-local address made from it (as
 * OVN's controller does, and RFC 4861 7.2.2 wants: an address of the
 * sending interface; ovn-sb(5) says ip6.src is copied, but the router's
 * pipeline still holds the sender's address there and northd's nested
 * actions do not set it), with a source link-layer address option; the
 * packet is held (held.h), keyed by the next hop in xxreg0.
 *
 * nd_na { }, nd_na_router { }: answer a neighbour solicitation with an
 * advertisement: Ethernet addresses exchanged, ip6.dst from ip6.src,
 * ip6.src from nd.target, flags Solicited and Override (and Router for
 * nd_na_router), a target link-layer address option holding eth.dst.  A
 * solicitation from the unspecified address (duplicate address detection)
 * is answered to all-nodes without the Solicited flag (RFC 4861 7.2.4). */

#include <config.h>
#include "controller/pinctrl/pin.h"

#include "controller/pinctrl/held.h"
#include "controller/pinctrl/pkt.h"
#include "coverage.h"
#include "openvswitch/ofp-actions.h"
#include "util.h"

COVERAGE_DEFINE(pinctrl_nd_ns);
COVERAGE_DEFINE(pinctrl_nd_na);

/* ND option types. */
#define ND_OPT_SLL 1
#define ND_OPT_TLL 2

static void
put_lladdr_opt(struct dp_packet *p, uint8_t type, struct eth_addr mac)
{
    uint8_t *opt = dp_packet_put_zeros(p, 8);
    opt[0] = type;
    opt[1] = 1;                 /* Length in units of 8 bytes. */
    memcpy(&opt[2], &mac, ETH_ADDR_LEN);
}

void
pinctrl_handle_nd_ns(struct pin *pin)
{
    const struct flow *f = &pin->flow;

    if (f->dl_type != htons(ETH_TYPE_IPV6)) {
        pin_reject(pin, "not an IPv6 packet");
        return;
    }
    struct ofpbuf ofpacts;
    ofpbuf_init(&ofpacts, 128);
    if (!pin_nested_actions(pin, &ofpacts)) {
        ofpbuf_uninit(&ofpacts);
        return;
    }

    struct in6_addr snm, lla;
    struct eth_addr mcast;
    pkt_solicited_node(&f->ipv6_dst, &snm, &mcast);
    in6_generate_lla(f->dl_src, &lla);
    struct dp_packet *p = pkt_start(f, mcast, f->dl_src, ETH_TYPE_IPV6);
    pkt_put_ip6(p, &lla, &snm, IPPROTO_ICMPV6, 255);
    uint8_t *ns = dp_packet_put_zeros(p, 8 + sizeof(struct in6_addr));
    ns[0] = ND_NEIGHBOR_SOLICIT;
    memcpy(&ns[8], &f->ipv6_dst, sizeof f->ipv6_dst);
    put_lladdr_opt(p, ND_OPT_SLL, f->dl_src);
    pkt_finish(p);
    pin_output(pin, p, ofpacts.data, ofpacts.size);
    COVERAGE_INC(pinctrl_nd_ns);

    if (pin->held) {
        const uint32_t *r = pin->md.flow.regs;
        ovs_be32 words[4] = { htonl(r[0]), htonl(r[1]), htonl(r[2]),
                              htonl(r[3]) };
        struct in6_addr hop;
        memcpy(&hop, words, sizeof hop);
        if (!ipv6_addr_is_set(&hop)) {
            hop = f->ipv6_dst;
        }
        pinctrl_held_add(pin->held, ntohll(f->metadata), &hop, pin->packet,
                         &pin->md, pin->now);
    }
    ofpbuf_uninit(&ofpacts);
}

void
pinctrl_handle_nd_na(struct pin *pin)
{
    const struct flow *f = &pin->flow;
    bool router = pin->msg->opcode == CTLOP_ND_NA_ROUTER;

    if (f->dl_type != htons(ETH_TYPE_IPV6) || f->nw_proto != IPPROTO_ICMPV6
        || f->tp_src != htons(ND_NEIGHBOR_SOLICIT)) {
        pin_reject(pin, "not a neighbour solicitation");
        return;
    }
    struct ofpbuf ofpacts;
    ofpbuf_init(&ofpacts, 128);
    if (!pin_nested_actions(pin, &ofpacts)) {
        ofpbuf_uninit(&ofpacts);
        return;
    }

    bool dad = !ipv6_addr_is_set(&f->ipv6_src);
    struct in6_addr dst = dad ? in6addr_all_hosts : f->ipv6_src;
    uint32_t flags = ND_RSO_OVERRIDE | (dad ? 0 : ND_RSO_SOLICITED)
                     | (router ? ND_RSO_ROUTER : 0);

    struct dp_packet *p = pkt_start(f, f->dl_src, f->dl_dst, ETH_TYPE_IPV6);
    pkt_put_ip6(p, &f->nd_target, &dst, IPPROTO_ICMPV6, 255);
    uint8_t *na = dp_packet_put_zeros(p, 8 + sizeof(struct in6_addr));
    na[0] = ND_NEIGHBOR_ADVERT;
    ovs_be32 be_flags = htonl(flags);
    memcpy(&na[4], &be_flags, 4);
    memcpy(&na[8], &f->nd_target, sizeof f->nd_target);
    put_lladdr_opt(p, ND_OPT_TLL, f->dl_dst);
    pkt_finish(p);
    pin_output(pin, p, ofpacts.data, ofpacts.size);
    COVERAGE_INC(pinctrl_nd_na);
    ofpbuf_uninit(&ofpacts);
}
