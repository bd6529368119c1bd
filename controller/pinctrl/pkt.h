/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Composing packets for the pinctrl handlers: an Ethernet header (with the
 * VLAN of the packet being replaced, if any), an IPv4 or IPv6 header, then
 * whatever the handler appends, and pkt_finish() to fix the lengths and
 * checksums.  Also the bounds-checked reader that every parser of
 * controller/pinctrl/ uses on untrusted bytes.
 */

#ifndef OVNMC_PINCTRL_PKT_H
#define OVNMC_PINCTRL_PKT_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dp-packet.h"
#include "packets.h"

struct flow;

/* Starts a packet with an Ethernet header 'dst', 'src', 'eth_type', and
 * the 802.1Q tag of 'orig' if it has one (NULL: none).  The L3 offset is
 * set to what follows. */
struct dp_packet *pkt_start(const struct flow *orig, struct eth_addr dst,
                            struct eth_addr src, uint16_t eth_type);

/* Appends an IPv4 header (no options, DF clear, id 0) and sets the L4
 * offset after it. */
void pkt_put_ip4(struct dp_packet *, ovs_be32 src, ovs_be32 dst,
                 uint8_t proto, uint8_t ttl, uint8_t tos);

/* Appends an IPv6 header and sets the L4 offset after it. */
void pkt_put_ip6(struct dp_packet *, const struct in6_addr *src,
                 const struct in6_addr *dst, uint8_t next, uint8_t hlim);

/* Sets the IP lengths and the IP and L4 checksums (TCP, UDP, SCTP, ICMP,
 * ICMPv6) of a packet built with the functions above. */
void pkt_finish(struct dp_packet *);

/* Returns a copy of 'orig', a UDP packet parsed by flow_extract(), whose
 * UDP payload is replaced by the 'len' bytes at 'payload', with lengths
 * and checksums fixed; NULL if 'orig' is not UDP directly over IPv4 or
 * IPv6 (no IPv6 extension header) or is a fragment.  The copy's offsets
 * are set. */
struct dp_packet *pkt_replace_udp_payload(const struct dp_packet *orig,
                                          const void *payload, size_t len);

/* Returns the solicited-node multicast address of 'ip6' in 'out', and its
 * Ethernet multicast address. */
void pkt_solicited_node(const struct in6_addr *ip6, struct in6_addr *out,
                        struct eth_addr *mac);

/* A bounds-checked cursor over untrusted bytes. */
struct pkt_reader {
    const uint8_t *data;
    size_t size;
    size_t ofs;
    bool error;                 /* A read went past the end. */
};

static inline void
pkt_reader_init(struct pkt_reader *r, const void *data, size_t size)
{
    r->data = data;
    r->size = size;
    r->ofs = 0;
    r->error = false;
}

static inline size_t
pkt_reader_left(const struct pkt_reader *r)
{
    return r->error ? 0 : r->size - r->ofs;
}

/* Returns a pointer to the next 'n' bytes and skips them, or NULL (and
 * sets 'error') if fewer are left. */
const void *pkt_read(struct pkt_reader *, size_t n);
uint8_t pkt_read_u8(struct pkt_reader *);
uint16_t pkt_read_be16(struct pkt_reader *);
uint32_t pkt_read_be32(struct pkt_reader *);

#endif /* controller/pinctrl/pkt.h */
