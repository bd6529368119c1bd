/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* R = put_dhcpv6_opts(OPTION = VALUE, ...): the DHCPv6 server of a
 * logical switch port (RFC 8415; ovn-sb(5)).
 *
 * The packet is paused in the switch.  A SOLICIT becomes an ADVERTISE (a
 * REPLY with Rapid Commit if it asked for it), a REQUEST, RENEW, REBIND
 * or CONFIRM a REPLY, an INFORMATION-REQUEST a REPLY without addresses.
 * A message that names a server must name ours (the DUID-LL made from
 * server_id), and every one but an INFORMATION-REQUEST must carry a
 * client identifier.  The reply: the transaction id, the client
 * identifier copied, our server identifier (DUID-LL, hardware type 1,
 * from server_id), for ia_addr an IA_NA with the client's IAID (T1 and T2
 * 0: the client chooses) holding the address with infinite lifetimes,
 * then dns_server (23), domain_search (24, the text encoded as DNS
 * names) and fqdn (39, flags 0 and the name) as the action gives them.
 * The UDP payload is replaced; the logical flows after the action set
 * the addresses and ports.  R is set to 1 and the packet resumes.  Other
 * messages resume unchanged with R = 0, malformed ones (truncated
 * options, a missing client identifier) with a counted, rate-limited
 * warning. */

#include <config.h>
#include "controller/pinctrl/pin.h"

#include "controller/pinctrl/pkt.h"
#include "coverage.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(pinctrl_dhcp6);
COVERAGE_DEFINE(pinctrl_dhcp6_reply);

enum {
    D6_SOLICIT = 1, D6_ADVERTISE = 2, D6_REQUEST = 3, D6_CONFIRM = 4,
    D6_RENEW = 5, D6_REBIND = 6, D6_REPLY = 7, D6_INFO_REQUEST = 11,
};

enum {
    D6_OPT_CLIENT_ID = 1, D6_OPT_SERVER_ID = 2, D6_OPT_IA_NA = 3,
    D6_OPT_IAADDR = 5, D6_OPT_RAPID_COMMIT = 14, D6_OPT_DNS = 23,
    D6_OPT_DOMAIN_LIST = 24, D6_OPT_FQDN = 39,
};

#define D6_MAX_ID 130           /* A DUID is at most 128 bytes + type. */

/* What the reply needs from a message. */
struct dhcp6_msg {
    uint8_t type;
    uint8_t xid[3];
    const uint8_t *client_id;   /* Option value, or NULL. */
    size_t client_id_len;
    const uint8_t *server_id;
    size_t server_id_len;
    bool has_iana;
    uint8_t iaid[4];
    bool rapid_commit;
};

static char *
dhcp6_parse(const uint8_t *data, size_t len, struct dhcp6_msg *m)
{
    struct pkt_reader r;

    memset(m, 0, sizeof *m);
    pkt_reader_init(&r, data, len);
    m->type = pkt_read_u8(&r);
    const uint8_t *xid = pkt_read(&r, 3);
    if (!xid) {
        return xstrdup("DHCPv6 message is truncated");
    }
    memcpy(m->xid, xid, 3);
    while (pkt_reader_left(&r)) {
        uint16_t code = pkt_read_be16(&r);
        uint16_t olen = pkt_read_be16(&r);
        const uint8_t *v = pkt_read(&r, olen);
        if (!v) {
            return xasprintf("option %"PRIu16" is truncated", code);
        }
        if (code == D6_OPT_CLIENT_ID || code == D6_OPT_SERVER_ID) {
            if (olen < 2 || olen > D6_MAX_ID) {
                return xasprintf("identifier of %"PRIu16" bytes", olen);
            }
            if (code == D6_OPT_CLIENT_ID) {
                m->client_id = v;
                m->client_id_len = olen;
            } else {
                m->server_id = v;
                m->server_id_len = olen;
            }
        } else if (code == D6_OPT_IA_NA && !m->has_iana) {
            if (olen < 12) {
                return xstrdup("IA_NA is too short");
            }
            m->has_iana = true;
            memcpy(m->iaid, v, 4);
        } else if (code == D6_OPT_RAPID_COMMIT) {
            m->rapid_commit = true;
        }
    }
    if (!m->client_id && m->type != D6_INFO_REQUEST) {
        return xstrdup("no client identifier");
    }
    return NULL;
}

/* Our DUID-LL for 'mac' (RFC 8415 11.4). */
static size_t
make_duid(const uint8_t mac[ETH_ADDR_LEN], uint8_t duid[10])
{
    duid[0] = 0;
    duid[1] = 3;                /* DUID-LL. */
    duid[2] = 0;
    duid[3] = 1;                /* Ethernet. */
    memcpy(duid + 4, mac, ETH_ADDR_LEN);
    return 10;
}

static void
put_opt(struct ofpbuf *out, uint16_t code, const void *v, size_t len)
{
    ovs_be16 hdr[2] = { htons(code), htons(len) };
    ofpbuf_put(out, hdr, sizeof hdr);
    ofpbuf_put(out, v, len);
}

/* Appends the DNS-name encoding of the comma- or space-separated names in
 * 'text'; returns false if one is bad. */
static bool
put_names(struct ofpbuf *out, const uint8_t *text, size_t len)
{
    char *copy = xmemdup0((const char *) text, len), *save = NULL;
    bool ok = true;

    for (char *name = strtok_r(copy, ", ", &save); name && ok;
         name = strtok_r(NULL, ", ", &save)) {
        char *save2 = NULL;
        for (char *label = strtok_r(name, ".", &save2); label;
             label = strtok_r(NULL, ".", &save2)) {
            size_t n = strlen(label);
            if (n > 63) {
                ok = false;
                break;
            }
            uint8_t b = n;
            ofpbuf_put(out, &b, 1);
            ofpbuf_put(out, label, n);
        }
        ofpbuf_put_zeros(out, 1);
    }
    free(copy);
    return ok;
}

/* Builds the reply to 'm' in 'out' from the action's options in 'msg'.
 * Returns 0 (no reply: not ours or not answered), or the reply type;
 * '*error' is set for a bad action. */
static uint8_t
dhcp6_build(const struct dhcp6_msg *m, const struct ctlop_msg *msg,
            struct ofpbuf *out, char **error)
{
    const struct ctlop_arg *sid = NULL, *ia = NULL;
    uint8_t duid[10];
    size_t duid_len = 0;

    *error = NULL;
    for (size_t i = 0; i < msg->n_args; i++) {
        const struct ctlop_arg *a = &msg->args[i];
        uint16_t code = a->len >= 2 ? (a->value[0] << 8) | a->value[1] : 0;
        if (a->tag == CTLOP_TAG_OPTION && code == D6_OPT_SERVER_ID) {
            sid = a;
        } else if (a->tag == CTLOP_TAG_OPTION && code == D6_OPT_IAADDR) {
            ia = a;
        }
    }
    if (!sid || sid->len != 2 + ETH_ADDR_LEN
        || (ia && ia->len != 2 + sizeof(struct in6_addr))) {
        *error = xstrdup("the action has no valid server_id or ia_addr");
        return 0;
    }
    duid_len = make_duid(sid->value + 2, duid);
    if (m->server_id && (m->server_id_len != duid_len
                         || memcmp(m->server_id, duid, duid_len))) {
        return 0;               /* For another server. */
    }

    uint8_t type;
    switch (m->type) {
    case D6_SOLICIT:
        if (m->server_id) {
            return 0;
        }
        type = m->rapid_commit ? D6_REPLY : D6_ADVERTISE;
        break;
    case D6_REQUEST: case D6_RENEW:
        if (!m->server_id) {
            return 0;
        }
        type = D6_REPLY;
        break;
    case D6_REBIND: case D6_CONFIRM: case D6_INFO_REQUEST:
        type = D6_REPLY;
        break;
    default:
        return 0;
    }

    ofpbuf_put(out, &type, 1);
    ofpbuf_put(out, m->xid, 3);
    if (m->client_id) {
        put_opt(out, D6_OPT_CLIENT_ID, m->client_id, m->client_id_len);
    }
    put_opt(out, D6_OPT_SERVER_ID, duid, duid_len);
    if (ia && m->has_iana && m->type != D6_INFO_REQUEST) {
        uint8_t iana[12 + 4 + 24];
        memset(iana, 0, sizeof iana);
        memcpy(iana, m->iaid, 4);               /* T1, T2: 0. */
        iana[12] = 0;
        iana[13] = D6_OPT_IAADDR;
        iana[15] = 24;
        memcpy(iana + 16, ia->value + 2, 16);
        memset(iana + 32, 0xff, 8);             /* Infinite lifetimes. */
        put_opt(out, D6_OPT_IA_NA, iana, sizeof iana);
    }
    if (type == D6_REPLY && m->rapid_commit && m->type == D6_SOLICIT) {
        put_opt(out, D6_OPT_RAPID_COMMIT, NULL, 0);
    }
    for (size_t i = 0; i < msg->n_args; i++) {
        const struct ctlop_arg *a = &msg->args[i];
        if (a->tag != CTLOP_TAG_OPTION || a->len < 2) {
            continue;
        }
        uint16_t code = (a->value[0] << 8) | a->value[1];
        const uint8_t *v = a->value + 2;
        size_t vlen = a->len - 2;
        if (code == D6_OPT_DNS && vlen && !(vlen % 16)) {
            put_opt(out, code, v, vlen);
        } else if (code == D6_OPT_DOMAIN_LIST || code == D6_OPT_FQDN) {
            struct ofpbuf names;
            ofpbuf_init(&names, 64);
            if (code == D6_OPT_FQDN) {
                ofpbuf_put_zeros(&names, 1);    /* Flags. */
            }
            if (!put_names(&names, v, vlen)) {
                ofpbuf_uninit(&names);
                *error = xasprintf("bad names in option %"PRIu16, code);
                return 0;
            }
            put_opt(out, code, names.data, names.size);
            ofpbuf_uninit(&names);
        }
    }
    return type;
}

void
pinctrl_handle_put_dhcpv6_opts(struct pin *pin)
{
    const struct flow *f = &pin->flow;
    const uint8_t *payload = dp_packet_get_udp_payload(pin->packet);

    if (f->dl_type != htons(ETH_TYPE_IPV6) || f->nw_proto != IPPROTO_UDP
        || f->tp_dst != htons(547) || !payload) {
        pin_reject(pin, "not a DHCPv6 message");
        return;
    }
    size_t len = (const uint8_t *) dp_packet_tail(pin->packet) - payload;
    struct dhcp6_msg m;
    char *error = dhcp6_parse(payload, len, &m);
    if (error) {
        pin_reject(pin, "%s", error);
        free(error);
        return;
    }

    struct ofpbuf reply;
    ofpbuf_init(&reply, 256);
    uint8_t type = dhcp6_build(&m, pin->msg, &reply, &error);
    struct dp_packet *p = type
        ? pkt_replace_udp_payload(pin->packet, reply.data, reply.size)
        : NULL;
    ofpbuf_uninit(&reply);
    if (error || (type && !p)) {
        pin_reject(pin, "%s", error ? error : "cannot rewrite the packet");
        free(error);
        return;
    }
    if (!p) {
        pin_resume(pin);
        return;
    }
    dp_packet_delete(pin->packet);
    pin->packet = p;
    pin_set_result(pin, 1);
    pin_resume(pin);
    COVERAGE_INC(pinctrl_dhcp6_reply);
}
