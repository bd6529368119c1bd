/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* R = put_dhcp_opts(offerip = A, OPTION = VALUE, ...): the DHCPv4 server
 * of a logical switch port (RFC 2131, RFC 2132; ovn-sb(5)).
 *
 * The packet is paused in the switch.  A DHCPDISCOVER becomes a
 * DHCPOFFER, a DHCPREQUEST a DHCPACK (or a DHCPNAK when it asks for
 * another address than offerip: option 50 or ciaddr), a DHCPINFORM a
 * DHCPACK without an address or lease; the reply carries the message
 * type, then the options of the action in their order (already in wire
 * form in the userdata, see lib/actions-dhcp.c; the domain search list,
 * option 119, arrives as "a.example,b.example" text and is encoded here
 * as DNS names, RFC 3397), then the end option, padded to the 300 bytes
 * of a BOOTP message.  The UDP payload is replaced; ip4.dst is the
 * broadcast address when the client set the broadcast flag, else ciaddr
 * or the offered address (RFC 2131 4.1); the logical flows after the
 * action set the Ethernet and IP sources and the ports.  R is set to 1
 * and the packet resumes.  Anything else (another message type, a
 * malformed request: short, no magic cookie, truncated options, no or
 * several message types, not an Ethernet client) resumes the packet
 * unchanged with R = 0, the bad ones with a counted, rate-limited
 * warning. */

#include <config.h>
#include "controller/pinctrl/pin.h"

#include "controller/pinctrl/pkt.h"
#include "coverage.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(pinctrl_dhcp);
COVERAGE_DEFINE(pinctrl_dhcp_reply);

/* BOOTP fixed part and the magic cookie (RFC 2131 2). */
#define BOOTP_LEN 236
#define DHCP_COOKIE 0x63825363
#define DHCP_MIN_LEN 300

/* Option codes. */
#define DHCP_OPT_PAD 0
#define DHCP_OPT_REQ_IP 50
#define DHCP_OPT_MSG_TYPE 53
#define DHCP_OPT_SERVER_ID 54
#define DHCP_OPT_LEASE 51
#define DHCP_OPT_T1 58
#define DHCP_OPT_T2 59
#define DHCP_OPT_DOMAIN_SEARCH 119
#define DHCP_OPT_END 255

/* Message types. */
enum {
    DHCP_DISCOVER = 1, DHCP_OFFER, DHCP_REQUEST, DHCP_DECLINE, DHCP_ACK,
    DHCP_NAK, DHCP_RELEASE, DHCP_INFORM,
};

/* What the reply needs from a request. */
struct dhcp_req {
    const uint8_t *bootp;       /* The BOOTP fixed part (BOOTP_LEN). */
    uint8_t type;               /* Option 53. */
    ovs_be32 ciaddr;
    ovs_be32 req_ip;            /* Option 50, or 0. */
    bool broadcast;             /* The broadcast flag. */
};

/* Parses the DHCP message at 'data' ('len' bytes).  Returns NULL or a
 * malloc'd reason. */
static char *
dhcp_parse(const uint8_t *data, size_t len, struct dhcp_req *req)
{
    struct pkt_reader r;

    memset(req, 0, sizeof *req);
    pkt_reader_init(&r, data, len);
    req->bootp = pkt_read(&r, BOOTP_LEN);
    if (!req->bootp) {
        return xasprintf("DHCP message of %"PRIuSIZE" bytes is too short",
                         len);
    }
    if (req->bootp[0] != 1 || req->bootp[1] != 1 || req->bootp[2] != 6) {
        return xstrdup("not a BOOTREQUEST from an Ethernet client");
    }
    req->broadcast = req->bootp[10] & 0x80;
    memcpy(&req->ciaddr, req->bootp + 12, 4);
    if (pkt_read_be32(&r) != DHCP_COOKIE) {
        return xstrdup("no DHCP magic cookie");
    }
    while (pkt_reader_left(&r)) {
        uint8_t code = pkt_read_u8(&r);
        if (code == DHCP_OPT_PAD) {
            continue;
        } else if (code == DHCP_OPT_END) {
            break;
        }
        uint8_t olen = pkt_read_u8(&r);
        const uint8_t *v = pkt_read(&r, olen);
        if (!v) {
            return xasprintf("option %"PRIu8" is truncated", code);
        }
        if (code == DHCP_OPT_MSG_TYPE) {
            if (olen != 1 || req->type) {
                return xstrdup("bad or repeated message type option");
            }
            req->type = v[0];
        } else if (code == DHCP_OPT_REQ_IP && olen == 4) {
            memcpy(&req->req_ip, v, 4);
        }
    }
    if (r.error) {
        return xstrdup("options are truncated");
    }
    if (!req->type) {
        return xstrdup("no message type option");
    }
    return NULL;
}

/* Appends to 'out' the RFC 1035 encoding of the comma-separated domain
 * names in 'text' ('len' bytes).  Returns false if a name is invalid. */
static bool
put_domain_list(struct ofpbuf *out, const char *text, size_t len)
{
    size_t start = out->size;
    size_t i = 0;

    while (i < len) {
        size_t end = i;
        while (end < len && text[end] != ',') {
            end++;
        }
        size_t j = i;
        while (j < end && text[j] == ' ') {
            j++;
        }
        while (j < end) {
            size_t k = j;
            while (k < end && text[k] != '.') {
                k++;
            }
            if (k - j > 63 || k == j) {
                return false;
            }
            uint8_t n = k - j;
            ofpbuf_put(out, &n, 1);
            ofpbuf_put(out, text + j, n);
            j = k + 1;
        }
        ofpbuf_put_zeros(out, 1);
        i = end + 1;
    }
    return out->size - start <= 255;
}

/* Appends option 'code' with the 'len' bytes at 'v'. */
static void
put_option(struct ofpbuf *out, uint8_t code, const void *v, size_t len)
{
    uint8_t hdr[2] = { code, len };
    ofpbuf_put(out, hdr, 2);
    ofpbuf_put(out, v, len);
}

/* Builds the reply of type 'type' to 'req' in 'out', with the options of
 * 'msg' (whose offerip is 'offer').  Returns NULL or a malloc'd error. */
static char *
dhcp_build(const struct dhcp_req *req, uint8_t type, ovs_be32 offer,
           const struct ctlop_msg *msg, struct ofpbuf *out)
{
    uint8_t *bootp = ofpbuf_put(out, req->bootp, BOOTP_LEN);
    bootp[0] = 2;                               /* BOOTREPLY. */
    bootp[3] = 0;                               /* Hops. */
    memset(bootp + 8, 0, 2);                    /* Secs. */
    memcpy(bootp + 16, type == DHCP_NAK || req->type == DHCP_INFORM
                       ? &(ovs_be32) { 0 } : &offer, 4); /* yiaddr. */
    memset(bootp + 20, 0, 4);                   /* siaddr. */
    memset(bootp + 44, 0, 192);                 /* sname, file. */
    ovs_be32 cookie = htonl(DHCP_COOKIE);
    ofpbuf_put(out, &cookie, 4);
    put_option(out, DHCP_OPT_MSG_TYPE, &type, 1);

    for (size_t i = 0; i < msg->n_args; i++) {
        const struct ctlop_arg *a = &msg->args[i];
        if (a->tag != CTLOP_TAG_OPTION || a->len < 2) {
            continue;
        }
        uint16_t code = (a->value[0] << 8) | a->value[1];
        const uint8_t *v = a->value + 2;
        size_t vlen = a->len - 2;
        if (!code) {
            continue;                           /* offerip. */
        }
        if (code >= DHCP_OPT_END || vlen > 255) {
            return xasprintf("bad option %"PRIu16" in the action", code);
        }
        if (type == DHCP_NAK && code != DHCP_OPT_SERVER_ID) {
            continue;
        }
        if (req->type == DHCP_INFORM && (code == DHCP_OPT_LEASE
                                         || code == DHCP_OPT_T1
                                         || code == DHCP_OPT_T2)) {
            continue;                           /* RFC 2131 3.4. */
        }
        if (code == DHCP_OPT_DOMAIN_SEARCH) {
            struct ofpbuf names;
            ofpbuf_init(&names, 64);
            bool ok = put_domain_list(&names, (const char *) v, vlen);
            if (ok) {
                put_option(out, code, names.data, names.size);
            }
            ofpbuf_uninit(&names);
            if (!ok) {
                return xstrdup("bad domain_search_list");
            }
            continue;
        }
        put_option(out, code, v, vlen);
    }
    uint8_t end = DHCP_OPT_END;
    ofpbuf_put(out, &end, 1);
    if (out->size < DHCP_MIN_LEN) {
        ofpbuf_put_zeros(out, DHCP_MIN_LEN - out->size);
    }
    return NULL;
}

/* The reply type for 'req', or 0 for none (the packet goes on as is). */
static uint8_t
dhcp_reply_type(const struct dhcp_req *req, ovs_be32 offer)
{
    switch (req->type) {
    case DHCP_DISCOVER:
        return DHCP_OFFER;
    case DHCP_REQUEST: {
        ovs_be32 asked = req->req_ip ? req->req_ip : req->ciaddr;
        return asked && asked != offer ? DHCP_NAK : DHCP_ACK;
    }
    case DHCP_INFORM:
        return DHCP_ACK;
    default:
        return 0;
    }
}

void
pinctrl_handle_put_dhcp_opts(struct pin *pin)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    const struct flow *f = &pin->flow;
    const struct ctlop_arg *offer_arg = ctlop_msg_find(pin->msg,
                                                       CTLOP_TAG_OPTION, 0);
    ovs_be32 offer;

    if (!offer_arg || offer_arg->len != 6
        || offer_arg->value[0] || offer_arg->value[1]) {
        pin_reject(pin, "the action has no offerip");
        return;
    }
    memcpy(&offer, offer_arg->value + 2, 4);
    if (f->dl_type != htons(ETH_TYPE_IP) || f->nw_proto != IPPROTO_UDP
        || f->tp_dst != htons(67) || !dp_packet_get_udp_payload(pin->packet)) {
        pin_reject(pin, "not a DHCP request");
        return;
    }

    const uint8_t *payload = dp_packet_get_udp_payload(pin->packet);
    size_t len = (const uint8_t *) dp_packet_tail(pin->packet) - payload;
    struct dhcp_req req;
    char *error = dhcp_parse(payload, len, &req);
    if (error) {
        pin_reject(pin, "%s", error);
        free(error);
        return;
    }
    uint8_t type = dhcp_reply_type(&req, offer);
    if (!type) {
        VLOG_DBG_RL(&rl, "DHCP message type %"PRIu8" from "ETH_ADDR_FMT
                    ": not answered", req.type, ETH_ADDR_ARGS(f->dl_src));
        pin_resume(pin);
        return;
    }

    struct ofpbuf reply;
    ofpbuf_init(&reply, 512);
    error = dhcp_build(&req, type, offer, pin->msg, &reply);
    struct dp_packet *p = error ? NULL
        : pkt_replace_udp_payload(pin->packet, reply.data, reply.size);
    ofpbuf_uninit(&reply);
    if (!p) {
        pin_reject(pin, "%s", error ? error : "cannot rewrite the packet");
        free(error);
        return;
    }

    struct ip_header *ip = dp_packet_l3(p);
    ovs_be32 dst = (req.broadcast || type == DHCP_NAK ? htonl(UINT32_MAX)
                    : req.ciaddr ? req.ciaddr : offer);
    put_16aligned_be32(&ip->ip_dst, dst);
    pkt_finish(p);

    dp_packet_delete(pin->packet);
    pin->packet = p;
    pin_set_result(pin, 1);
    pin_resume(pin);
    COVERAGE_INC(pinctrl_dhcp_reply);
}
