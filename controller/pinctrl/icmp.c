/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Packets that refuse or report on another (ovn-sb(5)):
 *
 * icmp4 { }, icmp4_error { }, icmp6 { }, icmp6_error { }: an ICMP packet
 * with the Ethernet and IP addresses of the packet it replaces, TTL or hop
 * limit 255, type 3 code 1 (ICMPv6: type 1 code 1), carrying as much of
 * the original IP datagram as fits in 576 bytes (IPv4, RFC 1812 4.3.2.3)
 * or 1280 bytes (IPv6, RFC 4443 2.4).  (ovn-sb(5) promises the datagram
 * only for the _error variants, but ovn-northd uses icmp4 { } for time
 * exceeded and port unreachable, where RFC 792 requires it, and OVN's own
 * controller includes it for both.)  The nested
 * actions set the type and code and swap the addresses.
 * "icmp4.frag_mtu = N" (or icmp6) among the nested actions is applied here,
 * to the composed packet, before the rest run: the MTU field of a
 * fragmentation-needed (packet-too-big) message (RFC 1191, RFC 4443 3.2).
 *
 * tcp_reset { }: a TCP RST for a TCP packet: if it had ACK, seq = its ack;
 * else ack = its seq + payload length (+1 per SYN or FIN) with ACK set and
 * seq 0; ports exchanged, no options or payload, TTL 255.
 *
 * sctp_abort { }: an SCTP ABORT chunk: for an INIT, the verification tag
 * is the INIT's initiate tag; otherwise the packet's tag with the T bit
 * (RFC 4960 8.4, 8.5.1).
 *
 * reject { }: tcp_reset for TCP, sctp_abort for SCTP, otherwise an ICMP
 * port unreachable (type 3 code 3; ICMPv6 type 1 code 4) carrying the
 * datagram; unlike the others, the Ethernet and IP addresses are already
 * exchanged. */

#include <config.h>
#include "controller/pinctrl/pin.h"

#include "controller/pinctrl/pkt.h"
#include "coverage.h"
#include "crc32c.h"
#include "openvswitch/ofp-actions.h"
#include "util.h"

COVERAGE_DEFINE(pinctrl_icmp);
COVERAGE_DEFINE(pinctrl_tcp_reset);
COVERAGE_DEFINE(pinctrl_sctp_abort);

#define ICMP4_ERROR_MAX 576
#define ICMP6_ERROR_MAX 1280

/* The IP datagram of the packet-in and its length (bounded by what the
 * packet really holds). */
static const uint8_t *
orig_datagram(const struct pin *pin, size_t *len)
{
    const uint8_t *l3 = dp_packet_l3(pin->packet);
    if (!l3) {
        *len = 0;
        return NULL;
    }
    *len = (const uint8_t *) dp_packet_tail(pin->packet) - l3;
    return l3;
}

/* Removes from 'ofpacts' the "icmpX.frag_mtu = N" controller actions and
 * returns the last N (0 if none); leaves other actions in order. */
static uint16_t
take_frag_mtu(struct ofpbuf *ofpacts)
{
    struct ofpbuf kept;
    const struct ofpact *a;
    uint16_t mtu = 0;

    ofpbuf_init(&kept, ofpacts->size);
    OFPACT_FOR_EACH (a, ofpacts->data, ofpacts->size) {
        if (a->type == OFPACT_CONTROLLER) {
            const struct ofpact_controller *oc = ofpact_get_CONTROLLER(a);
            struct ctlop_msg msg;
            char *error = ctlop_decode(oc->userdata, oc->userdata_len, &msg);
            uint32_t v;
            bool is_mtu = (!error
                           && (msg.opcode == CTLOP_ICMP4_FRAG_MTU
                               || msg.opcode == CTLOP_ICMP6_FRAG_MTU)
                           && ctlop_arg_get_u32(ctlop_msg_find(
                                  &msg, CTLOP_TAG_U32, 0), &v));
            free(error);
            ctlop_msg_destroy(&msg);
            if (is_mtu) {
                mtu = MIN(v, UINT16_MAX);
                continue;
            }
        }
        ofpbuf_put(&kept, a, OFPACT_ALIGN(a->len));
    }
    ofpbuf_clear(ofpacts);
    ofpbuf_put(ofpacts, kept.data, kept.size);
    ofpbuf_uninit(&kept);
    return mtu;
}

/* Composes the ICMP packet that replaces the packet-in.  'swap' exchanges
 * the Ethernet and IP addresses; 'with_data' appends the datagram. */
static struct dp_packet *
compose_icmp(const struct pin *pin, bool v6, uint8_t type, uint8_t code,
             bool swap, bool with_data, uint16_t mtu)
{
    const struct flow *f = &pin->flow;
    struct eth_addr esrc = swap ? f->dl_dst : f->dl_src;
    struct eth_addr edst = swap ? f->dl_src : f->dl_dst;
    struct dp_packet *p = pkt_start(f, edst, esrc,
                                    v6 ? ETH_TYPE_IPV6 : ETH_TYPE_IP);
    size_t max;

    if (v6) {
        pkt_put_ip6(p, swap ? &f->ipv6_dst : &f->ipv6_src,
                    swap ? &f->ipv6_src : &f->ipv6_dst, IPPROTO_ICMPV6, 255);
        max = ICMP6_ERROR_MAX;
    } else {
        pkt_put_ip4(p, swap ? f->nw_dst : f->nw_src,
                    swap ? f->nw_src : f->nw_dst, IPPROTO_ICMP, 255,
                    f->nw_tos);
        max = ICMP4_ERROR_MAX;
    }
    uint8_t *ih = dp_packet_put_zeros(p, 8);
    ih[0] = type;
    ih[1] = code;
    if (mtu) {
        ih[6] = mtu >> 8;
        ih[7] = mtu;
    }
    if (with_data) {
        size_t len, used = (uint8_t *) dp_packet_tail(p)
                           - (uint8_t *) dp_packet_l3(p);
        const uint8_t *dgram = orig_datagram(pin, &len);
        len = MIN(len, max > used ? max - used : 0);
        if (dgram && len) {
            dp_packet_put(p, dgram, len);
        }
    }
    pkt_finish(p);
    return p;
}

void
pinctrl_handle_icmp(struct pin *pin)
{
    enum ctlop_opcode op = pin->msg->opcode;
    bool v6 = op == CTLOP_ICMP6 || op == CTLOP_ICMP6_ERROR;

    if (pin->flow.dl_type != htons(v6 ? ETH_TYPE_IPV6 : ETH_TYPE_IP)) {
        pin_reject(pin, "not an IPv%d packet", v6 ? 6 : 4);
        return;
    }
    struct ofpbuf ofpacts;
    ofpbuf_init(&ofpacts, 128);
    if (pin_nested_actions(pin, &ofpacts)) {
        uint16_t mtu = take_frag_mtu(&ofpacts);
        struct dp_packet *p = compose_icmp(pin, v6, v6 ? 1 : 3, 1, false,
                                           true, mtu);
        pin_output(pin, p, ofpacts.data, ofpacts.size);
        COVERAGE_INC(pinctrl_icmp);
    }
    ofpbuf_uninit(&ofpacts);
}

/* The length of the TCP payload of the packet-in. */
static size_t
tcp_payload_len(const struct pin *pin)
{
    const struct tcp_header *th = dp_packet_l4(pin->packet);
    size_t l4 = dp_packet_l4_size(pin->packet);
    size_t hlen = th && l4 >= TCP_HEADER_LEN
                  ? TCP_OFFSET(th->tcp_ctl) * 4 : 0;
    size_t len = l4 > hlen ? l4 - hlen : 0;

    if (pin->flow.dl_type == htons(ETH_TYPE_IP)) {
        /* Ethernet padding is not payload. */
        const struct ip_header *ip = dp_packet_l3(pin->packet);
        size_t ihl = IP_IHL(ip->ip_ihl_ver) * 4;
        size_t tot = ntohs(ip->ip_tot_len);
        len = tot > ihl + hlen ? MIN(len, tot - ihl - hlen) : 0;
    }
    return len;
}

static struct dp_packet *
compose_tcp_reset(const struct pin *pin, bool swap)
{
    const struct flow *f = &pin->flow;
    const struct tcp_header *in = dp_packet_l4(pin->packet);
    bool v6 = f->dl_type == htons(ETH_TYPE_IPV6);
    uint16_t in_flags = TCP_FLAGS(in->tcp_ctl);
    struct dp_packet *p = pkt_start(f, swap ? f->dl_src : f->dl_dst,
                                    swap ? f->dl_dst : f->dl_src,
                                    v6 ? ETH_TYPE_IPV6 : ETH_TYPE_IP);
    if (v6) {
        pkt_put_ip6(p, swap ? &f->ipv6_dst : &f->ipv6_src,
                    swap ? &f->ipv6_src : &f->ipv6_dst, IPPROTO_TCP, 255);
    } else {
        pkt_put_ip4(p, swap ? f->nw_dst : f->nw_src,
                    swap ? f->nw_src : f->nw_dst, IPPROTO_TCP, 255, 0);
    }

    struct tcp_header *th = dp_packet_put_zeros(p, sizeof *th);
    th->tcp_src = in->tcp_dst;
    th->tcp_dst = in->tcp_src;
    if (in_flags & TCP_ACK) {
        th->tcp_seq = in->tcp_ack;
        th->tcp_ctl = TCP_CTL(TCP_RST, 5);
    } else {
        uint32_t seq = ntohl(get_16aligned_be32(&in->tcp_seq));
        uint32_t ack = seq + tcp_payload_len(pin)
                       + !!(in_flags & TCP_SYN) + !!(in_flags & TCP_FIN);
        put_16aligned_be32(&th->tcp_ack, htonl(ack));
        th->tcp_ctl = TCP_CTL(TCP_RST | TCP_ACK, 5);
    }
    pkt_finish(p);
    return p;
}

static bool
check_l4(struct pin *pin, uint8_t proto, size_t min, const char *what)
{
    const struct flow *f = &pin->flow;
    if ((f->dl_type != htons(ETH_TYPE_IP)
         && f->dl_type != htons(ETH_TYPE_IPV6))
        || f->nw_proto != proto || f->nw_frag & FLOW_NW_FRAG_LATER
        || !dp_packet_l4(pin->packet)
        || dp_packet_l4_size(pin->packet) < min) {
        pin_reject(pin, "not a complete %s header", what);
        return false;
    }
    return true;
}

/* Runs the nested actions on 'p' (takes ownership). */
static void
output_nested(struct pin *pin, struct dp_packet *p)
{
    struct ofpbuf ofpacts;
    ofpbuf_init(&ofpacts, 128);
    if (pin_nested_actions(pin, &ofpacts)) {
        pin_output(pin, p, ofpacts.data, ofpacts.size);
    } else {
        dp_packet_delete(p);
    }
    ofpbuf_uninit(&ofpacts);
}

void
pinctrl_handle_tcp_reset(struct pin *pin)
{
    if (check_l4(pin, IPPROTO_TCP, TCP_HEADER_LEN, "TCP")) {
        output_nested(pin, compose_tcp_reset(pin, false));
        COVERAGE_INC(pinctrl_tcp_reset);
    }
}

/* SCTP chunk types and the T bit. */
#define SCTP_CHUNK_INIT 1
#define SCTP_CHUNK_ABORT 6
#define SCTP_ABORT_T 1

static struct dp_packet *
compose_sctp_abort(const struct pin *pin, bool swap)
{
    const struct flow *f = &pin->flow;
    const uint8_t *in = dp_packet_l4(pin->packet);
    size_t in_len = dp_packet_l4_size(pin->packet);
    bool v6 = f->dl_type == htons(ETH_TYPE_IPV6);
    struct dp_packet *p = pkt_start(f, swap ? f->dl_src : f->dl_dst,
                                    swap ? f->dl_dst : f->dl_src,
                                    v6 ? ETH_TYPE_IPV6 : ETH_TYPE_IP);
    if (v6) {
        pkt_put_ip6(p, swap ? &f->ipv6_dst : &f->ipv6_src,
                    swap ? &f->ipv6_src : &f->ipv6_dst, IPPROTO_SCTP, 255);
    } else {
        pkt_put_ip4(p, swap ? f->nw_dst : f->nw_src,
                    swap ? f->nw_src : f->nw_dst, IPPROTO_SCTP, 255, 0);
    }

    /* Common header: ports, verification tag, checksum; then the chunk. */
    uint8_t *sh = dp_packet_put_zeros(p, SCTP_HEADER_LEN + 4);
    memcpy(sh, in + 2, 2);
    memcpy(sh + 2, in, 2);
    bool init = (in_len >= SCTP_HEADER_LEN + 8
                 && in[SCTP_HEADER_LEN] == SCTP_CHUNK_INIT);
    if (init) {
        memcpy(sh + 4, in + SCTP_HEADER_LEN + 4, 4);   /* Initiate tag. */
    } else {
        memcpy(sh + 4, in + 4, 4);
    }
    sh[SCTP_HEADER_LEN] = SCTP_CHUNK_ABORT;
    sh[SCTP_HEADER_LEN + 1] = init ? 0 : SCTP_ABORT_T;
    sh[SCTP_HEADER_LEN + 3] = 4;
    pkt_finish(p);
    return p;
}

void
pinctrl_handle_sctp_abort(struct pin *pin)
{
    if (check_l4(pin, IPPROTO_SCTP, SCTP_HEADER_LEN, "SCTP")) {
        output_nested(pin, compose_sctp_abort(pin, false));
        COVERAGE_INC(pinctrl_sctp_abort);
    }
}

void
pinctrl_handle_reject(struct pin *pin)
{
    const struct flow *f = &pin->flow;
    bool v6 = f->dl_type == htons(ETH_TYPE_IPV6);

    if (!v6 && f->dl_type != htons(ETH_TYPE_IP)) {
        pin_reject(pin, "not an IP packet");
        return;
    }
    if (f->nw_proto == IPPROTO_TCP && !(f->nw_frag & FLOW_NW_FRAG_LATER)) {
        if (check_l4(pin, IPPROTO_TCP, TCP_HEADER_LEN, "TCP")) {
            output_nested(pin, compose_tcp_reset(pin, true));
            COVERAGE_INC(pinctrl_tcp_reset);
        }
    } else if (f->nw_proto == IPPROTO_SCTP
               && !(f->nw_frag & FLOW_NW_FRAG_LATER)) {
        if (check_l4(pin, IPPROTO_SCTP, SCTP_HEADER_LEN, "SCTP")) {
            output_nested(pin, compose_sctp_abort(pin, true));
            COVERAGE_INC(pinctrl_sctp_abort);
        }
    } else {
        output_nested(pin, compose_icmp(pin, v6, v6 ? 1 : 3, v6 ? 4 : 3,
                                        true, true, 0));
        COVERAGE_INC(pinctrl_icmp);
    }
}

void
pinctrl_handle_frag_mtu(struct pin *pin)
{
    /* icmp4_error { } applies "icmp4.frag_mtu = N" itself (see above); a
     * frag_mtu outside of it has no ICMP packet of ours to act on. */
    pin_reject(pin, "frag_mtu outside of icmp4_error or icmp6_error");
}
