/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* The DHCPv6 prefix delegation client: see dhcp6-pd.h.
 *
 * The state of each client (struct pd_client) lives in 'struct
 * pinctrl_pd', owned by the pinctrl thread; pinctrl_pd_run() sends and
 * retransmits, pinctrl_handle_dhcpv6_reply() takes the server's answers.
 * The states are one X-macro list.  Frames enter the router's egress
 * pipeline toward the gateway port (table 40), as if the router sent them
 * from it, so they leave the way its other traffic does. */

#include <config.h>
#include "controller/pinctrl/dhcp6-pd.h"

#include "controller/pinctrl/pin.h"
#include "controller/pinctrl/pkt.h"
#include "controller/pinctrl/snapshot.h"
#include "controller/pinctrl/writes.h"
#include "coverage.h"
#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/vlog.h"
#include "ovn/of-tables.h"
#include "random.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(pinctrl_dhcp6_pd);
COVERAGE_DEFINE(pinctrl_pd_sent);
COVERAGE_DEFINE(pinctrl_pd_bound);
COVERAGE_DEFINE(pinctrl_pd_expired);
COVERAGE_DEFINE(pinctrl_pd_bad_reply);

#define PD_STATES                               \
    PD_STATE(SOLICIT, "solicit")                \
    PD_STATE(REQUEST, "request")                \
    PD_STATE(BOUND, "bound")                    \
    PD_STATE(RENEW, "renew")                    \
    PD_STATE(REBIND, "rebind")

enum pd_state {
#define PD_STATE(ENUM, NAME) PD_##ENUM,
    PD_STATES
#undef PD_STATE
};

static const char *
pd_state_name(enum pd_state state)
{
    switch (state) {
#define PD_STATE(ENUM, NAME) case PD_##ENUM: return NAME;
    PD_STATES
#undef PD_STATE
    }
    return "unknown";
}

/* DHCPv6 message types and options (RFC 8415 7.3, 21). */
enum {
    D6_SOLICIT = 1, D6_ADVERTISE = 2, D6_REQUEST = 3, D6_RENEW = 5,
    D6_REBIND = 6, D6_REPLY = 7,
};
enum {
    D6_OPT_CLIENT_ID = 1, D6_OPT_SERVER_ID = 2, D6_OPT_ELAPSED = 8,
    D6_OPT_STATUS = 13, D6_OPT_IA_PD = 25, D6_OPT_IAPREFIX = 26,
};

#define PD_MAX_ID 130           /* A DUID is at most 128 bytes + type. */
#define PD_FIRST_RT_MS 1000
#define PD_MAX_RT_MS 30000
#define PD_SOL_MAX_RT_MS 120000
#define PD_REQ_MAX_TRIES 10

/* One client: a port that wants a prefix, through a gateway port. */
struct pd_client {
    struct hmap_node node;      /* In 'struct pinctrl_pd' 'clients'. */
    char *key;                  /* Its configuration (pd_key()). */
    bool seen;                  /* In the current snapshot. */
    char *gw_port, *port;       /* Names, for logs. */
    uint32_t dp_key;            /* The router. */
    uint32_t gw_key;            /* The gateway port (frames' outport). */
    uint32_t port_key;          /* The port that wants the prefix; the
                                 * IAID. */
    struct eth_addr gw_mac;     /* Frames' source. */
    struct eth_addr mac;        /* The DUID-LL's address. */

    enum pd_state state;
    uint32_t xid;               /* Current transaction (24 bits). */
    long long int started;      /* When it began (elapsed time). */
    long long int next;         /* Next (re)transmission. */
    int rt_ms;                  /* Retransmission timeout after it. */
    int tries;                  /* Transmissions of this transaction. */
    uint8_t server_id[PD_MAX_ID];   /* The chosen server's DUID. */
    size_t server_id_len;

    bool bound;                 /* Holds a prefix... */
    struct in6_addr prefix;     /* ...this one... */
    uint8_t plen;
    uint32_t pref, valid;       /* ...with these lifetimes (s). */
    long long int t1_at, t2_at, end_at;  /* RENEW, REBIND, lease end. */
    char *written;              /* ipv6_ra_pd_list last written, or
                                 * NULL. */
};

const char *
pinctrl_pd_status_name(int code)
{
    static const char *names[] = {
        "Success", "UnspecFail", "NoAddrsAvail", "NoBinding", "NotOnLink",
        "UseMulticast", "NoPrefixAvail",
    };
    return code >= 0 && code < ARRAY_SIZE(names) ? names[code] : "unknown";
}

/* Parsing. */

static char *
pd_parse_status(const uint8_t *v, uint16_t len, int *status)
{
    if (len < 2) {
        return xstrdup("status code option is truncated");
    }
    *status = (v[0] << 8) | v[1];
    return NULL;
}

static char *
pd_parse_iaprefix(const uint8_t *v, uint16_t len, struct pinctrl_pd_msg *m)
{
    struct pkt_reader r;

    if (len < 25) {
        return xasprintf("IAPREFIX of %"PRIu16" bytes", len);
    }
    pkt_reader_init(&r, v, len);
    uint32_t pref = pkt_read_be32(&r);
    uint32_t valid = pkt_read_be32(&r);
    uint8_t plen = pkt_read_u8(&r);
    const uint8_t *prefix = pkt_read(&r, sizeof m->prefix);
    if (plen > 128) {
        return xasprintf("IAPREFIX length %d", plen);
    }
    if (pref > valid) {
        return xasprintf("IAPREFIX preferred lifetime %"PRIu32" over its "
                         "valid lifetime %"PRIu32, pref, valid);
    }
    if (!m->has_prefix && prefix) {
        m->has_prefix = true;
        m->pref = pref;
        m->valid = valid;
        m->plen = plen;
        memcpy(&m->prefix, prefix, sizeof m->prefix);
    }
    return NULL;
}

static char *
pd_parse_ia(const uint8_t *v, uint16_t len, struct pinctrl_pd_msg *m)
{
    struct pkt_reader r;

    if (len < 12) {
        return xasprintf("IA_PD of %"PRIu16" bytes", len);
    }
    pkt_reader_init(&r, v, len);
    m->has_ia = true;
    m->iaid = pkt_read_be32(&r);
    m->t1 = pkt_read_be32(&r);
    m->t2 = pkt_read_be32(&r);
    if (m->t2 && m->t1 > m->t2) {
        return xasprintf("IA_PD T1 %"PRIu32" over T2 %"PRIu32, m->t1, m->t2);
    }
    while (pkt_reader_left(&r)) {
        uint16_t code = pkt_read_be16(&r);
        uint16_t olen = pkt_read_be16(&r);
        const uint8_t *o = pkt_read(&r, olen);
        char *error = NULL;
        if (!o) {
            return xasprintf("IA_PD option %"PRIu16" is truncated", code);
        } else if (code == D6_OPT_IAPREFIX) {
            error = pd_parse_iaprefix(o, olen, m);
        } else if (code == D6_OPT_STATUS && m->ia_status < 0) {
            error = pd_parse_status(o, olen, &m->ia_status);
        }
        if (error) {
            return error;
        }
    }
    return NULL;
}

static char *
pd_parse_id(uint16_t code, const uint8_t *v, uint16_t len,
            struct pinctrl_pd_msg *m)
{
    if (len < 2 || len > PD_MAX_ID) {
        return xasprintf("%s identifier of %"PRIu16" bytes",
                         code == D6_OPT_CLIENT_ID ? "client" : "server", len);
    }
    if (code == D6_OPT_CLIENT_ID) {
        m->client_id = v;
        m->client_id_len = len;
    } else {
        m->server_id = v;
        m->server_id_len = len;
    }
    return NULL;
}

char *
pinctrl_pd_parse(const uint8_t *data, size_t len, struct pinctrl_pd_msg *m)
{
    struct pkt_reader r;

    memset(m, 0, sizeof *m);
    m->status = m->ia_status = -1;
    pkt_reader_init(&r, data, len);
    uint32_t head = pkt_read_be32(&r);
    if (r.error) {
        return xstrdup("DHCPv6 message is truncated");
    }
    m->type = head >> 24;
    m->xid = head & 0xffffff;
    while (pkt_reader_left(&r)) {
        uint16_t code = pkt_read_be16(&r);
        uint16_t olen = pkt_read_be16(&r);
        const uint8_t *v = pkt_read(&r, olen);
        char *error = NULL;
        if (!v) {
            return xasprintf("option %"PRIu16" is truncated", code);
        } else if (code == D6_OPT_CLIENT_ID || code == D6_OPT_SERVER_ID) {
            error = pd_parse_id(code, v, olen, m);
        } else if (code == D6_OPT_IA_PD && !m->has_ia) {
            error = pd_parse_ia(v, olen, m);
        } else if (code == D6_OPT_STATUS && m->status < 0) {
            error = pd_parse_status(v, olen, &m->status);
        }
        if (error) {
            return error;
        }
    }
    return NULL;
}

/* Clients. */

void
pinctrl_pd_init(struct pinctrl_pd *pd)
{
    hmap_init(&pd->clients);
    pd->n_sent = 0;
    pd->n_bound = 0;
}

static void
pd_client_free(struct pd_client *c)
{
    free(c->key);
    free(c->gw_port);
    free(c->port);
    free(c->written);
    free(c);
}

void
pinctrl_pd_destroy(struct pinctrl_pd *pd)
{
    if (pd) {
        struct pd_client *c;
        HMAP_FOR_EACH_POP (c, node, &pd->clients) {
            pd_client_free(c);
        }
        hmap_destroy(&pd->clients);
    }
}

static char *
pd_key(const struct ps_pd *p)
{
    return xasprintf("%"PRIu32" %"PRIu32" "ETH_ADDR_FMT" %"PRIu32" "
                     ETH_ADDR_FMT, p->dp_key, p->gw_key,
                     ETH_ADDR_ARGS(p->gw_mac), p->port_key,
                     ETH_ADDR_ARGS(p->mac));
}

static size_t
pd_duid(struct eth_addr mac, uint8_t duid[10])
{
    duid[0] = 0;
    duid[1] = 3;                /* DUID-LL. */
    duid[2] = 0;
    duid[3] = 1;                /* Ethernet. */
    memcpy(duid + 4, mac.ea, ETH_ADDR_LEN);
    return 10;
}

static void
put_opt(struct ofpbuf *b, uint16_t code, const void *v, uint16_t len)
{
    ovs_be16 hdr[2] = { htons(code), htons(len) };
    ofpbuf_put(b, hdr, sizeof hdr);
    ofpbuf_put(b, v, len);
}

/* Appends the IA_PD of 'c' to 'b' (with its prefix once it has one). */
static void
put_ia_pd(const struct pd_client *c, struct ofpbuf *b)
{
    bool with_prefix = c->state != PD_SOLICIT && (c->bound || c->plen);
    ovs_be32 ia[3] = { htonl(c->port_key), 0, 0 };
    ovs_be16 hdr[2] = { htons(D6_OPT_IA_PD),
                        htons(sizeof ia + (with_prefix ? 29 : 0)) };

    ofpbuf_put(b, hdr, sizeof hdr);
    ofpbuf_put(b, ia, sizeof ia);
    if (with_prefix) {
        uint8_t p[25];          /* Lifetimes 0 (a hint), length, prefix. */
        memset(p, 0, 8);
        p[8] = c->plen;
        memcpy(p + 9, &c->prefix, sizeof c->prefix);
        put_opt(b, D6_OPT_IAPREFIX, p, sizeof p);
    }
}

/* Returns the message 'c' sends in its state, at 'now'. */
static struct dp_packet *
pd_frame(const struct pd_client *c, long long int now)
{
    static const uint8_t types[] = {
        [PD_SOLICIT] = D6_SOLICIT, [PD_REQUEST] = D6_REQUEST,
        [PD_RENEW] = D6_RENEW, [PD_REBIND] = D6_REBIND,
    };
    struct eth_addr dst = ETH_ADDR_C(33, 33, 00, 01, 00, 02);
    struct in6_addr src, all_servers;
    uint8_t duid[10];
    struct ofpbuf b;

    in6_generate_lla(c->gw_mac, &src);
    ipv6_parse("ff02::1:2", &all_servers);
    ofpbuf_init(&b, 128);
    ovs_be32 head = htonl((types[c->state] << 24) | c->xid);
    ofpbuf_put(&b, &head, sizeof head);
    put_opt(&b, D6_OPT_CLIENT_ID, duid, pd_duid(c->mac, duid));
    if (c->state == PD_REQUEST || c->state == PD_RENEW) {
        put_opt(&b, D6_OPT_SERVER_ID, c->server_id, c->server_id_len);
    }
    long long int cs = MIN((now - c->started) / 10, 0xffff);
    ovs_be16 elapsed = htons(c->tries ? cs : 0);
    put_opt(&b, D6_OPT_ELAPSED, &elapsed, sizeof elapsed);
    put_ia_pd(c, &b);

    struct dp_packet *p = pkt_start(NULL, dst, c->gw_mac, ETH_TYPE_IPV6);
    pkt_put_ip6(p, &src, &all_servers, IPPROTO_UDP, 255);
    struct udp_header *uh = dp_packet_put_zeros(p, sizeof *uh);
    uh->udp_src = htons(546);
    uh->udp_dst = htons(547);
    dp_packet_put(p, b.data, b.size);
    ofpbuf_uninit(&b);
    pkt_finish(p);
    return p;
}

/* Queues the message of 'c' on 'outs' and schedules its retransmission
 * (at most 'max_rt_ms' later). */
static void
pd_send(struct pinctrl_pd *pd, struct pd_client *c, long long int now,
        int max_rt_ms, struct ovs_list *outs)
{
    struct match md;
    match_init_catchall(&md);
    match_set_metadata(&md, htonll(c->dp_key));
    match_set_reg(&md, MFF_LOG_OUTPORT - MFF_REG0, c->gw_key);

    struct ofpbuf ofpacts;
    ofpbuf_init(&ofpacts, 64);
    ofpact_put_RESUBMIT(&ofpacts)->table_id = OFTABLE_LOCAL_OUTPUT;
    struct pin_out *out = pin_out_create(pd_frame(c, now), ofpacts.data,
                                         ofpacts.size, &md);
    ovs_list_push_back(outs, &out->node);
    ofpbuf_uninit(&ofpacts);

    c->tries++;
    c->next = now + c->rt_ms;
    c->rt_ms = MIN(c->rt_ms * 2, max_rt_ms);
    pd->n_sent++;
    COVERAGE_INC(pinctrl_pd_sent);
    VLOG_DBG("%s: %s for %s (xid %#"PRIx32", try %d)", c->gw_port,
             pd_state_name(c->state), c->port, c->xid, c->tries);
}

/* Starts a new transaction in 'state' at 'now'. */
static void
pd_enter(struct pd_client *c, enum pd_state state, long long int now)
{
    c->state = state;
    c->xid = random_uint32() & 0xffffff;
    c->started = now;
    c->next = now;
    c->rt_ms = PD_FIRST_RT_MS;
    c->tries = 0;
}

/* Records in 'w' that 'c's port holds 'value' (NULL: no prefix), if that
 * is not what it wrote last. */
static void
pd_write(struct pd_client *c, const char *value, struct pinctrl_writes *w)
{
    if (nullable_string_is_equal(value, c->written)) {
        return;
    }
    free(c->written);
    c->written = nullable_xstrdup(value);
    if (w) {
        pinctrl_writes_add_pd_list(w, c->dp_key, c->port_key, value);
    }
}

/* Runs the timers of 'c'; returns when it must run again. */
static long long int
pd_client_run(struct pinctrl_pd *pd, struct pd_client *c, long long int now,
              struct ovs_list *outs, struct pinctrl_writes *w)
{
    if (c->bound && now >= c->end_at) {
        VLOG_INFO("%s: the lease of %s's prefix ended", c->gw_port, c->port);
        COVERAGE_INC(pinctrl_pd_expired);
        c->bound = false;
        c->plen = 0;
        pd_write(c, NULL, w);
        pd_enter(c, PD_SOLICIT, now);
    } else if (c->state == PD_BOUND && now >= c->t1_at) {
        pd_enter(c, PD_RENEW, now);
    } else if (c->state == PD_RENEW && now >= c->t2_at) {
        pd_enter(c, PD_REBIND, now);
    } else if (c->state == PD_REQUEST && c->tries >= PD_REQ_MAX_TRIES
               && now >= c->next) {
        pd_enter(c, PD_SOLICIT, now);
    }

    if (c->state == PD_BOUND) {
        return MIN(c->t1_at, c->end_at);
    }
    if (now >= c->next) {
        pd_send(pd, c, now, (c->state == PD_SOLICIT ? PD_SOL_MAX_RT_MS
                             : PD_MAX_RT_MS), outs);
    }
    long long int next = c->next;
    if (c->state == PD_RENEW) {
        next = MIN(next, c->t2_at);
    }
    return c->bound ? MIN(next, c->end_at) : next;
}

static struct pd_client *
pd_client_find(const struct pinctrl_pd *pd, const char *key, uint32_t hash)
{
    struct pd_client *c;
    HMAP_FOR_EACH_WITH_HASH (c, node, hash, &pd->clients) {
        if (!strcmp(c->key, key)) {
            return c;
        }
    }
    return NULL;
}

static struct pd_client *
pd_client_create(struct pinctrl_pd *pd, const struct ps_pd *p, char *key,
                 uint32_t hash, long long int now)
{
    struct pd_client *c = xzalloc(sizeof *c);
    c->key = key;
    c->gw_port = xstrdup(p->gw_port);
    c->port = xstrdup(p->port);
    c->dp_key = p->dp_key;
    c->gw_key = p->gw_key;
    c->port_key = p->port_key;
    c->gw_mac = p->gw_mac;
    c->mac = p->mac;
    c->written = nullable_xstrdup(p->pd_list);
    pd_enter(c, PD_SOLICIT, now);
    hmap_insert(&pd->clients, &c->node, hash);
    return c;
}

long long int
pinctrl_pd_run(struct pinctrl_pd *pd, const struct pinctrl_snapshot *snap,
               long long int now, struct ovs_list *outs,
               struct pinctrl_writes *w)
{
    long long int next = LLONG_MAX;
    struct pd_client *c;

    HMAP_FOR_EACH (c, node, &pd->clients) {
        c->seen = false;
    }
    for (size_t i = 0; snap && i < snap->n_pds; i++) {
        const struct ps_pd *p = &snap->pds[i];
        char *key = pd_key(p);
        uint32_t hash = hash_string(key, 0);

        c = pd_client_find(pd, key, hash);
        if (c) {
            free(key);
        } else {
            c = pd_client_create(pd, p, key, hash, now);
        }
        c->seen = true;
        next = MIN(next, pd_client_run(pd, c, now, outs, w));
    }
    HMAP_FOR_EACH_SAFE (c, node, &pd->clients) {
        if (!c->seen) {
            hmap_remove(&pd->clients, &c->node);
            pd_client_free(c);
        }
    }
    return next;
}

/* The server's answers. */

/* Finds the client of 'pin' (its router and gateway port) whose DUID is
 * the message's client identifier. */
static struct pd_client *
pd_client_for(struct pinctrl_pd *pd, const struct pin *pin,
              const struct pinctrl_pd_msg *m)
{
    uint32_t dp_key = ntohll(pin->flow.metadata);
    uint32_t in_key = pin->flow.regs[MFF_LOG_INPORT - MFF_REG0];
    struct pd_client *c;
    uint8_t duid[10];

    HMAP_FOR_EACH (c, node, &pd->clients) {
        if (c->dp_key == dp_key && c->gw_key == in_key
            && m->client_id_len == pd_duid(c->mac, duid)
            && !memcmp(m->client_id, duid, sizeof duid)) {
            return c;
        }
    }
    return NULL;
}

/* Checks that 'm' is a usable answer; returns a malloc'd reason if not. */
static char *
pd_check(const struct pinctrl_pd_msg *m)
{
    if (m->type != D6_ADVERTISE && m->type != D6_REPLY) {
        return xasprintf("DHCPv6 message type %d", m->type);
    } else if (!m->client_id || !m->server_id) {
        return xstrdup("no client or server identifier");
    } else if (m->status > 0) {
        return xasprintf("status %d (%s)", m->status,
                         pinctrl_pd_status_name(m->status));
    } else if (!m->has_ia) {
        return xstrdup("no IA_PD");
    } else if (m->ia_status > 0) {
        return xasprintf("IA_PD status %d (%s)", m->ia_status,
                         pinctrl_pd_status_name(m->ia_status));
    } else if (!m->has_prefix || !m->valid) {
        return xstrdup("no prefix in the IA_PD");
    }
    return NULL;
}

/* 'c' takes the server and prefix of ADVERTISE 'm' and requests it. */
static void
pd_advertised(struct pd_client *c, const struct pinctrl_pd_msg *m,
              long long int now)
{
    memcpy(c->server_id, m->server_id, m->server_id_len);
    c->server_id_len = m->server_id_len;
    c->prefix = m->prefix;
    c->plen = m->plen;
    pd_enter(c, PD_REQUEST, now);
}

/* 'c' binds the prefix of REPLY 'm' and writes it. */
static void
pd_bind(struct pinctrl_pd *pd, struct pd_client *c,
        const struct pinctrl_pd_msg *m, long long int now,
        struct pinctrl_writes *w)
{
    uint32_t t1 = m->t1 ? m->t1 : m->pref / 2;
    uint32_t t2 = m->t2 ? m->t2 : m->pref / 5 * 4;
    char prefix[INET6_ADDRSTRLEN];

    memcpy(c->server_id, m->server_id, m->server_id_len);
    c->server_id_len = m->server_id_len;
    c->prefix = m->prefix;
    c->plen = m->plen;
    c->pref = m->pref;
    c->valid = m->valid;
    c->bound = true;
    c->state = PD_BOUND;
    c->t1_at = now + 1000LL * MAX(t1, 1);
    c->t2_at = now + 1000LL * MAX(t2, MAX(t1, 1));
    c->end_at = (m->valid == UINT32_MAX ? LLONG_MAX
                 : now + 1000LL * m->valid);
    c->next = c->t1_at;
    inet_ntop(AF_INET6, &c->prefix, prefix, sizeof prefix);
    char *value = xasprintf("%"PRIu32":%s/%d", c->port_key, prefix, c->plen);
    if (!nullable_string_is_equal(value, c->written)) {
        VLOG_INFO("%s: delegated prefix %s/%d for %s (T1 %"PRIu32" s, T2 %"
                  PRIu32" s, valid %"PRIu32" s)", c->gw_port, prefix,
                  c->plen, c->port, t1, t2, m->valid);
    }
    pd_write(c, value, w);
    free(value);
    pd->n_bound++;
    COVERAGE_INC(pinctrl_pd_bound);
}

/* handle_dhcpv6_reply: an ADVERTISE or REPLY of a delegating server,
 * sent to the gateway port's link-local address. */
void
pinctrl_handle_dhcpv6_reply(struct pin *pin)
{
    const struct flow *f = &pin->flow;
    const uint8_t *payload = dp_packet_get_udp_payload(pin->packet);

    if (f->dl_type != htons(ETH_TYPE_IPV6) || f->nw_proto != IPPROTO_UDP
        || f->tp_src != htons(547) || !payload) {
        pin_reject(pin, "not a DHCPv6 server message");
        return;
    }
    const struct udp_header *uh = dp_packet_l4(pin->packet);
    size_t len = (const uint8_t *) dp_packet_tail(pin->packet) - payload;
    len = MIN(len, MAX(ntohs(uh->udp_len), UDP_HEADER_LEN)
                   - UDP_HEADER_LEN);

    struct pinctrl_pd_msg m;
    char *error = pinctrl_pd_parse(payload, len, &m);
    if (!error) {
        error = pd_check(&m);
    }
    struct pd_client *c = (pin->pd && m.client_id
                           ? pd_client_for(pin->pd, pin, &m) : NULL);
    const char *who = c ? c->gw_port : "DHCPv6 prefix delegation";
    if (error) {
        COVERAGE_INC(pinctrl_pd_bad_reply);
        pin_reject(pin, "%s: %s", who, error);
        free(error);
        return;
    }
    if (!pin->pd) {
        return;                 /* Unit test or fuzz target: parsed. */
    }
    if (!c || m.xid != c->xid || m.iaid != c->port_key) {
        pin_reject(pin, "%s: not an answer to a transaction in progress",
                   who);
        return;
    }
    if (m.type == D6_ADVERTISE && c->state == PD_SOLICIT) {
        pd_advertised(c, &m, pin->now);
    } else if (m.type == D6_REPLY && (c->state == PD_REQUEST
                                      || c->state == PD_RENEW
                                      || c->state == PD_REBIND)) {
        pd_bind(pin->pd, c, &m, pin->now, pin->writes);
    } else {
        pin_reject(pin, "%s: unexpected %s in state %s", who,
                   m.type == D6_REPLY ? "REPLY" : "ADVERTISE",
                   pd_state_name(c->state));
    }
}
