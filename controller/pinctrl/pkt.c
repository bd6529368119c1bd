/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Composing packets and reading untrusted bytes: see pkt.h. */

#include <config.h>
#include "controller/pinctrl/pkt.h"

#include <netinet/ip6.h>
#include "crc32c.h"
#include "csum.h"
#include "flow.h"
#include "util.h"

/* Room for the headers composed packets start with. */
#define PKT_HEADROOM 64

struct dp_packet *
pkt_start(const struct flow *orig, struct eth_addr dst, struct eth_addr src,
          uint16_t eth_type)
{
    struct dp_packet *p = dp_packet_new_with_headroom(256, PKT_HEADROOM);
    struct eth_header *eh = dp_packet_put_zeros(p, sizeof *eh);

    eh->eth_dst = dst;
    eh->eth_src = src;
    if (orig && orig->vlans[0].tci & htons(VLAN_CFI)) {
        struct vlan_header *vh = dp_packet_put_zeros(p, sizeof *vh);
        eh->eth_type = orig->vlans[0].tpid ? orig->vlans[0].tpid
                                           : htons(ETH_TYPE_VLAN);
        vh->vlan_tci = orig->vlans[0].tci & ~htons(VLAN_CFI);
        vh->vlan_next_type = htons(eth_type);
    } else {
        eh->eth_type = htons(eth_type);
    }
    dp_packet_set_l3(p, dp_packet_tail(p));
    return p;
}

void
pkt_put_ip4(struct dp_packet *p, ovs_be32 src, ovs_be32 dst, uint8_t proto,
            uint8_t ttl, uint8_t tos)
{
    struct ip_header *ip = dp_packet_put_zeros(p, sizeof *ip);
    ip->ip_ihl_ver = IP_IHL_VER(5, 4);
    ip->ip_tos = tos;
    ip->ip_ttl = ttl;
    ip->ip_proto = proto;
    put_16aligned_be32(&ip->ip_src, src);
    put_16aligned_be32(&ip->ip_dst, dst);
    dp_packet_set_l4(p, dp_packet_tail(p));
}

void
pkt_put_ip6(struct dp_packet *p, const struct in6_addr *src,
            const struct in6_addr *dst, uint8_t next, uint8_t hlim)
{
    struct ovs_16aligned_ip6_hdr *ip6 = dp_packet_put_zeros(p, sizeof *ip6);
    put_16aligned_be32(&ip6->ip6_flow, htonl(6 << 28));
    ip6->ip6_nxt = next;
    ip6->ip6_hlim = hlim;
    memcpy(&ip6->ip6_src, src, sizeof *src);
    memcpy(&ip6->ip6_dst, dst, sizeof *dst);
    dp_packet_set_l4(p, dp_packet_tail(p));
}

/* Sets the L4 checksum of 'p', whose L4 payload is 'l4' ('len' bytes), for
 * protocol 'proto'; 'partial' is the pseudo-header sum (0 for ICMP). */
static void
finish_l4(uint8_t proto, void *l4, size_t len, uint32_t partial)
{
    if (proto == IPPROTO_TCP && len >= TCP_HEADER_LEN) {
        struct tcp_header *th = l4;
        th->tcp_csum = 0;
        th->tcp_csum = csum_finish(csum_continue(partial, th, len));
    } else if (proto == IPPROTO_UDP && len >= UDP_HEADER_LEN) {
        struct udp_header *uh = l4;
        uh->udp_len = htons(len);
        uh->udp_csum = 0;
        uh->udp_csum = csum_finish(csum_continue(partial, uh, len));
        if (!uh->udp_csum) {
            uh->udp_csum = htons(0xffff);
        }
    } else if (proto == IPPROTO_SCTP && len >= SCTP_HEADER_LEN) {
        struct sctp_header *sh = l4;
        put_16aligned_be32(&sh->sctp_csum, 0);
        put_16aligned_be32(&sh->sctp_csum, crc32c(l4, len));
    } else if ((proto == IPPROTO_ICMP && len >= ICMP_HEADER_LEN)
               || (proto == IPPROTO_ICMPV6 && len >= ICMP6_HEADER_LEN)) {
        struct icmp6_header *ih = l4;
        ih->icmp6_cksum = 0;
        ih->icmp6_cksum = csum_finish(csum_continue(partial, ih, len));
    }
}

void
pkt_finish(struct dp_packet *p)
{
    uint8_t *l3 = dp_packet_l3(p), *l4 = dp_packet_l4(p);
    uint8_t *end = dp_packet_tail(p);

    if (!l3 || !l4) {
        return;
    }
    size_t l4_len = end - l4;
    if ((l3[0] >> 4) == 4) {
        struct ip_header *ip = ALIGNED_CAST(struct ip_header *, l3);
        ip->ip_tot_len = htons(end - l3);
        ip->ip_csum = 0;
        ip->ip_csum = csum(ip, IP_IHL(ip->ip_ihl_ver) * 4);
        uint32_t partial = (ip->ip_proto == IPPROTO_ICMP
                            || ip->ip_proto == IPPROTO_SCTP
                            ? 0 : packet_csum_pseudoheader(ip));
        finish_l4(ip->ip_proto, l4, l4_len, partial);
    } else {
        struct ovs_16aligned_ip6_hdr *ip6 = (void *) l3;
        ip6->ip6_plen = htons(end - l3 - sizeof *ip6);
        uint32_t partial = (ip6->ip6_nxt == IPPROTO_SCTP ? 0
                            : packet_csum_pseudoheader6(ip6));
        finish_l4(ip6->ip6_nxt, l4, l4_len, partial);
    }
}

struct dp_packet *
pkt_replace_udp_payload(const struct dp_packet *orig, const void *payload,
                        size_t len)
{
    const uint8_t *l3 = dp_packet_l3(orig), *l4 = dp_packet_l4(orig);
    const uint8_t *base = dp_packet_data(orig);

    if (!l3 || !l4 || dp_packet_l4_size(orig) < UDP_HEADER_LEN
        || len > UINT16_MAX - 100) {
        return NULL;
    }
    if ((l3[0] >> 4) == 4) {
        const struct ip_header *ip = (const void *) l3;
        if (ip->ip_proto != IPPROTO_UDP
            || ip->ip_frag_off & htons(IP_MORE_FRAGMENTS | IP_FRAG_OFF_MASK)) {
            return NULL;
        }
    } else if ((l3[0] >> 4) != 6
               || l3[6] != IPPROTO_UDP) {   /* ip6_nxt. */
        return NULL;
    }

    size_t hdrs = l4 + UDP_HEADER_LEN - base;
    struct dp_packet *p = dp_packet_new_with_headroom(hdrs + len,
                                                      PKT_HEADROOM);
    dp_packet_put(p, base, hdrs);
    dp_packet_put(p, payload, len);
    dp_packet_set_l3(p, (uint8_t *) dp_packet_data(p) + (l3 - base));
    dp_packet_set_l4(p, (uint8_t *) dp_packet_data(p) + (l4 - base));
    pkt_finish(p);
    return p;
}

void
pkt_solicited_node(const struct in6_addr *ip6, struct in6_addr *out,
                   struct eth_addr *mac)
{
    in6_addr_solicited_node(out, ip6);
    ipv6_multicast_to_ethernet(mac, out);
}

const void *
pkt_read(struct pkt_reader *r, size_t n)
{
    if (r->error || n > r->size - r->ofs) {
        r->error = true;
        return NULL;
    }
    const void *p = r->data + r->ofs;
    r->ofs += n;
    return p;
}

uint8_t
pkt_read_u8(struct pkt_reader *r)
{
    const uint8_t *p = pkt_read(r, 1);
    return p ? *p : 0;
}

uint16_t
pkt_read_be16(struct pkt_reader *r)
{
    const uint8_t *p = pkt_read(r, 2);
    return p ? (p[0] << 8) | p[1] : 0;
}

uint32_t
pkt_read_be32(struct pkt_reader *r)
{
    const uint8_t *p = pkt_read(r, 4);
    return p ? ((uint32_t) p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]
             : 0;
}
