/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Packets held while a router resolves their next hop.
 *
 * When a router has no MAC binding for a next hop, its pipeline replaces
 * the packet by an ARP request or an IPv6 neighbour solicitation (arp { },
 * nd_ns { }).  pinctrl keeps the packet that caused it, with its pipeline
 * metadata, keyed by (logical datapath, next-hop address: reg0 for IPv4,
 * xxreg0 for IPv6, where ovn-northd's router pipeline keeps it), and when
 * the reply is learnt (put_arp, put_nd on the same datapath for that
 * address) sends it on with the learnt MAC as eth.dst, from where the
 * pipeline left it (the ingress pipeline's output).  At most
 * HELD_PER_HOP packets per next hop (the oldest go first), HELD_MAX_HOPS
 * next hops, each kept HELD_TIMEOUT_MS.  The state belongs to the pinctrl
 * thread.
 */

#ifndef OVNMC_PINCTRL_HELD_H
#define OVNMC_PINCTRL_HELD_H 1

#include <stddef.h>
#include <stdint.h>
#include "openvswitch/hmap.h"
#include "packets.h"

struct dp_packet;
struct match;
struct pin;

#define HELD_PER_HOP 4
#define HELD_MAX_HOPS 1000
#define HELD_TIMEOUT_MS 10000

struct pinctrl_held {
    struct hmap hops;           /* struct held_hop. */
    uint64_t n_held;            /* Packets held so far. */
    uint64_t n_released;        /* ...sent on. */
    uint64_t n_expired;         /* ...dropped: timeout or queue full. */
};

void pinctrl_held_init(struct pinctrl_held *);
void pinctrl_held_destroy(struct pinctrl_held *);

/* Holds a copy of 'packet' with metadata 'md' for next hop 'ip' (IPv4 as
 * a v4-mapped address) of datapath 'dp_key'. */
void pinctrl_held_add(struct pinctrl_held *, uint32_t dp_key,
                      const struct in6_addr *ip,
                      const struct dp_packet *packet, const struct match *md,
                      long long int now);

/* Sends the packets held for 'ip' on 'dp_key' through 'pin' with eth.dst
 * 'mac'. */
void pinctrl_held_release(struct pinctrl_held *, uint32_t dp_key,
                          const struct in6_addr *ip, struct eth_addr mac,
                          struct pin *pin);

/* Drops the packets held longer than HELD_TIMEOUT_MS; returns when the
 * next one expires (LLONG_MAX if none). */
long long int pinctrl_held_run(struct pinctrl_held *, long long int now);

#endif /* controller/pinctrl/held.h */
