/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* IPv6 router advertisements (RFC 4861 4.2, RFC 4191, RFC 8106), solicited
 * and periodic.
 *
 * R = put_nd_ra_opts(...): the packet is a router solicitation; it becomes
 * a router advertisement with the action's options (its addresses stay:
 * the next logical flow swaps them) and resumes with R = 1.  The options
 * travel in the userdata as lib/actions-dhcp.c encodes them: addr_mode
 * (text), slla (6 bytes), mtu (4), prefix (17 bytes each: length, then
 * address), rdnss (16 bytes each), dnssl, route_info and
 * router_preference (text).
 *
 * Periodic: a router port whose Port_Binding has
 * options:ipv6_ra_send_periodic=true (northd copies its ipv6_ra_configs
 * there as ipv6_ra_*) sends an unsolicited advertisement to all nodes
 * every min_interval to max_interval seconds (at random between them),
 * from ipv6_ra_src_eth / ipv6_ra_src_addr.  Each chassis sends it to the
 * VIFs bound here on the switch the port is patched to (into the logical
 * egress pipeline of each, from the switch's router port), so a VIF gets
 * one copy whatever the number of chassis.  The state (when each port
 * sends next) lives in 'struct pinctrl_ra', owned by the pinctrl thread. */

#include <config.h>
#include "controller/pinctrl/ra.h"

#include "controller/pinctrl/pin.h"
#include "controller/pinctrl/pkt.h"
#include "controller/pinctrl/snapshot.h"
#include "coverage.h"
#include "hash.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/vlog.h"
#include "ovn/of-tables.h"
#include "random.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(pinctrl_ra);
COVERAGE_DEFINE(pinctrl_ra_solicited);
COVERAGE_DEFINE(pinctrl_ra_periodic);
COVERAGE_DEFINE(pinctrl_ra_bad_config);

/* The option codes of put_nd_ra_opts (lib/actions-dhcp.c). */
enum {
    RA_ADDR_MODE = 1, RA_SLLA = 2, RA_MTU = 3, RA_PREFIX = 4, RA_RDNSS = 5,
    RA_DNSSL = 6, RA_ROUTE_INFO = 7, RA_PRF = 8,
};

/* ND option types. */
#define ND_OPT_SLLA 1
#define ND_OPT_PREFIX 3
#define ND_OPT_MTU 5
#define ND_OPT_ROUTE_INFO 24
#define ND_OPT_RDNSS 25
#define ND_OPT_DNSSL 31

#define RA_MAX_PREFIXES 16
#define RA_MAX_RDNSS 8
#define RA_HOP_LIMIT 255
#define RA_INFINITE 0xffffffff
/* Router lifetime: the largest RFC 8319 allows, as Debian's controller
 * sends. */
#define RA_LIFETIME 0xffff

/* The contents of an advertisement, from either source. */
struct ra_params {
    bool managed;               /* M flag (dhcpv6_stateful). */
    bool other;                 /* O flag (dhcpv6_stateless). */
    bool autonomous;            /* A flag on prefixes (slaac, stateless). */
    uint8_t prf;                /* Router preference: 0 medium, 1 high,
                                 * 3 low. */
    uint16_t lifetime;          /* Router lifetime, seconds. */
    bool has_slla;
    struct eth_addr slla;
    uint32_t mtu;               /* 0: no MTU option. */
    struct in6_addr prefixes[RA_MAX_PREFIXES];
    uint8_t plens[RA_MAX_PREFIXES];
    size_t n_prefixes;
    struct in6_addr rdnss[RA_MAX_RDNSS];
    size_t n_rdnss;
    char dnssl[256];            /* Comma-separated domains, or "". */
    char route_info[256];       /* "PRF-PREFIX/LEN,...", or "". */
};

/* Sets the flags of 'rp' from address mode 'mode'.  Returns false if it is
 * not a known mode. */
static bool
ra_set_mode(struct ra_params *rp, const char *mode)
{
    if (!strcmp(mode, "slaac")) {
        rp->autonomous = true;
    } else if (!strcmp(mode, "dhcpv6_stateful")) {
        rp->managed = true;     /* O is redundant with M (RFC 4861). */
    } else if (!strcmp(mode, "dhcpv6_stateless")) {
        rp->other = rp->autonomous = true;
    } else {
        return false;
    }
    return true;
}

/* Returns the PRF bits for 'prf' ("HIGH", "MEDIUM", "LOW"). */
static uint8_t
ra_prf_bits(const char *prf)
{
    return (!strcasecmp(prf, "HIGH") ? 1
            : !strcasecmp(prf, "LOW") ? 3 : 0);
}

/* Copies the 'len' bytes at 'v' as a string into 'dst' ('size' bytes).
 * Returns false if it does not fit or holds a NUL. */
static bool
ra_copy_text(char *dst, size_t size, const uint8_t *v, size_t len)
{
    if (len >= size || memchr(v, '\0', len)) {
        return false;
    }
    memcpy(dst, v, len);
    dst[len] = '\0';
    return true;
}

/* Fills 'rp' from the options of 'msg'.  Returns NULL or an error (the
 * caller frees it). */
static char *
ra_params_from_msg(const struct ctlop_msg *msg, struct ra_params *rp)
{
    char text[64];
    bool has_mode = false;

    memset(rp, 0, sizeof *rp);
    rp->lifetime = RA_LIFETIME;
    for (size_t i = 0; i < msg->n_args; i++) {
        const struct ctlop_arg *a = &msg->args[i];
        if (a->tag != CTLOP_TAG_OPTION) {
            continue;
        }
        if (a->len < 2) {
            return xstrdup("truncated option");
        }
        uint16_t code = (a->value[0] << 8) | a->value[1];
        const uint8_t *v = a->value + 2;
        size_t len = a->len - 2;
        switch (code) {
        case RA_ADDR_MODE:
            if (!ra_copy_text(text, sizeof text, v, len)
                || !ra_set_mode(rp, text)) {
                return xstrdup("bad addr_mode");
            }
            has_mode = true;
            break;
        case RA_SLLA:
            if (len != ETH_ADDR_LEN) {
                return xstrdup("bad slla");
            }
            memcpy(&rp->slla, v, ETH_ADDR_LEN);
            rp->has_slla = true;
            break;
        case RA_MTU:
            if (len != 4) {
                return xstrdup("bad mtu");
            }
            rp->mtu = ((uint32_t) v[0] << 24) | (v[1] << 16) | (v[2] << 8)
                      | v[3];
            break;
        case RA_PREFIX:
            if (len % 17 || len / 17 > RA_MAX_PREFIXES - rp->n_prefixes) {
                return xstrdup("bad prefix");
            }
            for (size_t j = 0; j < len; j += 17) {
                if (v[j] > 128) {
                    return xstrdup("bad prefix length");
                }
                rp->plens[rp->n_prefixes] = v[j];
                memcpy(&rp->prefixes[rp->n_prefixes++], &v[j + 1], 16);
            }
            break;
        case RA_RDNSS:
            if (!len || len % 16 || len / 16 > RA_MAX_RDNSS - rp->n_rdnss) {
                return xstrdup("bad rdnss");
            }
            for (size_t j = 0; j < len; j += 16) {
                memcpy(&rp->rdnss[rp->n_rdnss++], &v[j], 16);
            }
            break;
        case RA_DNSSL:
            if (!ra_copy_text(rp->dnssl, sizeof rp->dnssl, v, len)) {
                return xstrdup("bad dnssl");
            }
            break;
        case RA_ROUTE_INFO:
            if (!ra_copy_text(rp->route_info, sizeof rp->route_info, v,
                              len)) {
                return xstrdup("bad route_info");
            }
            break;
        case RA_PRF:
            if (!ra_copy_text(text, sizeof text, v, len)) {
                return xstrdup("bad router_preference");
            }
            rp->prf = ra_prf_bits(text);
            break;
        default:
            return xasprintf("unknown option %"PRIu16, code);
        }
    }
    if (!has_mode || !rp->has_slla) {
        return xstrdup("addr_mode and slla are required");
    }
    return NULL;
}

/* Appends an ND option header of 'type' for a body of 'len' bytes (the
 * option is padded to 8 bytes); returns the body. */
static uint8_t *
ra_put_opt(struct dp_packet *p, uint8_t type, size_t len)
{
    size_t total = ROUND_UP(2 + len, 8);
    uint8_t *o = dp_packet_put_zeros(p, total);
    o[0] = type;
    o[1] = total / 8;
    return o + 2;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
    ovs_be32 be = htonl(v);
    memcpy(p, &be, 4);
}

/* Appends the DNS search list option for the comma-separated 'list'. */
static void
ra_put_dnssl(struct dp_packet *p, const char *list)
{
    uint8_t names[256];
    size_t n = 0;
    char *copy = xstrdup(list), *save = NULL;

    for (char *d = strtok_r(copy, ", ", &save); d;
         d = strtok_r(NULL, ", ", &save)) {
        char *lsave = NULL;
        for (char *l = strtok_r(d, ".", &lsave); l;
             l = strtok_r(NULL, ".", &lsave)) {
            size_t ll = strlen(l);
            if (ll > 63 || n + 1 + ll + 1 > sizeof names) {
                goto out;
            }
            names[n++] = ll;
            memcpy(&names[n], l, ll);
            n += ll;
        }
        names[n++] = 0;
    }
out:
    free(copy);
    if (n) {
        uint8_t *o = ra_put_opt(p, ND_OPT_DNSSL, 6 + n);
        put_be32(o + 2, RA_INFINITE);
        memcpy(o + 6, names, n);
    }
}

/* Appends a route information option for each "PRF-PREFIX/LEN" of the
 * comma-separated 'list'.  Returns false on a bad entry. */
static bool
ra_put_route_info(struct dp_packet *p, const char *list)
{
    char *copy = xstrdup(list), *save = NULL;
    bool ok = true;

    for (char *r = strtok_r(copy, ",", &save); r && ok;
         r = strtok_r(NULL, ",", &save)) {
        char *dash = strchr(r, '-');
        struct in6_addr prefix;
        unsigned int plen;
        char *error = dash ? ipv6_parse_cidr(dash + 1, &prefix, &plen)
                           : xstrdup("no PRF");
        if (error) {
            free(error);
            ok = false;
            break;
        }
        *dash = '\0';
        size_t bytes = plen == 0 ? 0 : plen <= 64 ? 8 : 16;
        uint8_t *o = ra_put_opt(p, ND_OPT_ROUTE_INFO, 6 + bytes);
        o[0] = plen;
        o[1] = ra_prf_bits(r) << 3;
        put_be32(o + 2, RA_INFINITE);
        memcpy(o + 6, &prefix, bytes);
    }
    free(copy);
    return ok;
}

/* Appends to 'p' the ICMPv6 router advertisement 'rp' describes.
 * Returns false if 'rp' has a bad route_info. */
static bool
ra_put_body(struct dp_packet *p, const struct ra_params *rp)
{
    uint8_t *ra = dp_packet_put_zeros(p, 16);
    ra[0] = ND_ROUTER_ADVERT;
    ra[4] = RA_HOP_LIMIT;
    ra[5] = (rp->managed ? 0x80 : 0) | (rp->other ? 0x40 : 0)
            | (rp->prf << 3);
    ra[6] = rp->lifetime >> 8;
    ra[7] = rp->lifetime & 0xff;

    if (rp->has_slla) {
        memcpy(ra_put_opt(p, ND_OPT_SLLA, ETH_ADDR_LEN), &rp->slla,
               ETH_ADDR_LEN);
    }
    if (rp->mtu >= 1280) {
        put_be32(ra_put_opt(p, ND_OPT_MTU, 6) + 2, rp->mtu);
    }
    if (rp->n_rdnss) {
        uint8_t *o = ra_put_opt(p, ND_OPT_RDNSS, 6 + 16 * rp->n_rdnss);
        put_be32(o + 2, RA_INFINITE);
        memcpy(o + 6, rp->rdnss, 16 * rp->n_rdnss);
    }
    if (rp->dnssl[0]) {
        ra_put_dnssl(p, rp->dnssl);
    }
    if (rp->route_info[0] && !ra_put_route_info(p, rp->route_info)) {
        return false;
    }
    for (size_t i = 0; i < rp->n_prefixes; i++) {
        uint8_t *o = ra_put_opt(p, ND_OPT_PREFIX, 30);
        o[0] = rp->plens[i];
        o[1] = 0x80 | (rp->autonomous ? 0x40 : 0);  /* On-link, auto. */
        put_be32(o + 2, RA_INFINITE);               /* Valid. */
        put_be32(o + 6, RA_INFINITE);               /* Preferred. */
        struct in6_addr mask = ipv6_create_mask(rp->plens[i]);
        struct in6_addr net = ipv6_addr_bitand(&rp->prefixes[i], &mask);
        memcpy(o + 14, &net, 16);
    }
    return true;
}

void
pinctrl_handle_put_nd_ra_opts(struct pin *pin)
{
    const struct flow *f = &pin->flow;
    struct ra_params rp;

    if (f->dl_type != htons(ETH_TYPE_IPV6) || f->nw_proto != IPPROTO_ICMPV6
        || f->tp_src != htons(ND_ROUTER_SOLICIT)) {
        pin_reject(pin, "not a router solicitation");
        return;
    }
    char *error = ra_params_from_msg(pin->msg, &rp);
    if (error) {
        pin_reject(pin, "%s", error);
        free(error);
        return;
    }

    struct dp_packet *p = pkt_start(f, f->dl_dst, f->dl_src, ETH_TYPE_IPV6);
    pkt_put_ip6(p, &f->ipv6_src, &f->ipv6_dst, IPPROTO_ICMPV6, 255);
    if (!ra_put_body(p, &rp)) {
        dp_packet_delete(p);
        pin_reject(pin, "bad route_info \"%s\"", rp.route_info);
        return;
    }
    pkt_finish(p);
    dp_packet_delete(pin->packet);
    pin->packet = p;
    pin_parse(pin->packet, &pin->flow);
    pin_set_result(pin, 1);
    pin_resume(pin);
    COVERAGE_INC(pinctrl_ra_solicited);
}

/* Periodic advertisements. */

/* When one router port sends next. */
struct ra_sender {
    struct hmap_node node;      /* In 'struct pinctrl_ra', by name. */
    char *lrp;                  /* The router port. */
    long long int next;         /* time_msec() of the next send. */
    bool seen;                  /* In the current snapshot. */
};

void
pinctrl_ra_init(struct pinctrl_ra *ra)
{
    hmap_init(&ra->senders);
    ra->n_sent = 0;
}

void
pinctrl_ra_destroy(struct pinctrl_ra *ra)
{
    if (ra) {
        struct ra_sender *s;
        HMAP_FOR_EACH_POP (s, node, &ra->senders) {
            free(s->lrp);
            free(s);
        }
        hmap_destroy(&ra->senders);
    }
}

static struct ra_sender *
ra_sender_find(const struct pinctrl_ra *ra, const char *lrp)
{
    struct ra_sender *s;
    HMAP_FOR_EACH_WITH_HASH (s, node, hash_string(lrp, 0), &ra->senders) {
        if (!strcmp(s->lrp, lrp)) {
            return s;
        }
    }
    return NULL;
}

/* Reads the max and min intervals (ms) of 'opts' as ovn-nb(5) defines
 * them. */
static void
ra_intervals(const struct smap *opts, int *min_ms, int *max_ms)
{
    int max_s = smap_get_int(opts, "ipv6_ra_max_interval", 600);
    max_s = MAX(max_s, 4);
    int min_s = smap_get_int(opts, "ipv6_ra_min_interval", max_s / 3);
    min_s = MIN(MAX(min_s, 3), max_s);
    *max_ms = max_s * 1000;
    *min_ms = min_s * 1000;
}

/* Fills 'rp' from the router port options 'opts'.  Returns NULL or an
 * error. */
static char *
ra_params_from_options(const struct smap *opts, struct ra_params *rp,
                       struct eth_addr *src_mac, struct in6_addr *src_ip)
{
    const char *mode = smap_get_def(opts, "ipv6_ra_address_mode", "slaac");
    const char *eth = smap_get(opts, "ipv6_ra_src_eth");
    const char *ip = smap_get(opts, "ipv6_ra_src_addr");

    memset(rp, 0, sizeof *rp);
    if (!ra_set_mode(rp, mode)) {
        return xasprintf("bad ipv6_ra_address_mode \"%s\"", mode);
    }
    if (!eth || !eth_addr_from_string(eth, src_mac)) {
        return xstrdup("no valid ipv6_ra_src_eth");
    }
    if (!ip || !ipv6_parse(ip, src_ip)) {
        return xstrdup("no valid ipv6_ra_src_addr");
    }
    rp->lifetime = RA_LIFETIME;
    rp->has_slla = true;
    rp->slla = *src_mac;
    rp->mtu = smap_get_int(opts, "ipv6_ra_mtu", 0);
    rp->prf = ra_prf_bits(smap_get_def(opts, "ipv6_ra_prf", "MEDIUM"));

    struct sset prefixes = SSET_INITIALIZER(&prefixes);
    sset_from_delimited_string(&prefixes,
                               smap_get_def(opts, "ipv6_ra_prefixes", ""),
                               " ,");
    const char *s;
    SSET_FOR_EACH (s, &prefixes) {
        unsigned int plen;
        char *error = ipv6_parse_cidr(s, &rp->prefixes[rp->n_prefixes],
                                      &plen);
        if (error) {
            free(error);
            sset_destroy(&prefixes);
            return xasprintf("bad ipv6_ra_prefixes entry \"%s\"", s);
        }
        rp->plens[rp->n_prefixes++] = plen;
        if (rp->n_prefixes == RA_MAX_PREFIXES) {
            break;
        }
    }
    sset_destroy(&prefixes);

    const char *rdnss = smap_get(opts, "ipv6_ra_rdnss");
    if (rdnss) {
        if (!ipv6_parse(rdnss, &rp->rdnss[0])) {
            return xasprintf("bad ipv6_ra_rdnss \"%s\"", rdnss);
        }
        rp->n_rdnss = 1;
    }
    ovs_strlcpy(rp->dnssl, smap_get_def(opts, "ipv6_ra_dnssl", ""),
                sizeof rp->dnssl);
    ovs_strlcpy(rp->route_info, smap_get_def(opts, "ipv6_ra_route_info", ""),
                sizeof rp->route_info);
    return NULL;
}

/* Queues on 'outs' (struct pin_out) the advertisement of 'sender' to each
 * of its VIFs. */
static void
ra_send(const struct ps_ra *sender, struct ovs_list *outs)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 60);
    struct ra_params rp;
    struct eth_addr mac;
    struct in6_addr ip;

    char *error = ra_params_from_options(&sender->opts, &rp, &mac, &ip);
    struct dp_packet *p = NULL;
    if (!error) {
        struct eth_addr all_nodes;
        eth_addr_from_uint64(0x333300000001ULL, &all_nodes);
        p = pkt_start(NULL, all_nodes, mac, ETH_TYPE_IPV6);
        pkt_put_ip6(p, &ip, &in6addr_all_hosts, IPPROTO_ICMPV6, 255);
        if (!ra_put_body(p, &rp)) {
            error = xasprintf("bad ipv6_ra_route_info \"%s\"",
                              rp.route_info);
        }
    }
    if (error) {
        COVERAGE_INC(pinctrl_ra_bad_config);
        VLOG_WARN_RL(&rl, "%s: no periodic router advertisement: %s",
                     sender->lrp, error);
        free(error);
        dp_packet_delete(p);
        return;
    }
    pkt_finish(p);

    for (size_t i = 0; i < sender->n_vifs; i++) {
        struct match md;
        match_init_catchall(&md);
        match_set_metadata(&md, htonll(sender->dp_key));
        match_set_reg(&md, MFF_LOG_INPORT - MFF_REG0, sender->peer_key);
        match_set_reg(&md, MFF_LOG_OUTPORT - MFF_REG0, sender->vifs[i]);

        struct ofpbuf ofpacts;
        ofpbuf_init(&ofpacts, 64);
        ofpact_put_RESUBMIT(&ofpacts)->table_id = OFTABLE_LOCAL_OUTPUT;
        struct pin_out *out = pin_out_create(dp_packet_clone(p),
                                             ofpacts.data, ofpacts.size,
                                             &md);
        ovs_list_push_back(outs, &out->node);
        ofpbuf_uninit(&ofpacts);
    }
    dp_packet_delete(p);
}

long long int
pinctrl_ra_run(struct pinctrl_ra *ra, const struct pinctrl_snapshot *snap,
               long long int now, struct ovs_list *outs)
{
    long long int next = LLONG_MAX;
    struct ra_sender *s;

    HMAP_FOR_EACH (s, node, &ra->senders) {
        s->seen = false;
    }
    for (size_t i = 0; snap && i < snap->n_ras; i++) {
        const struct ps_ra *sender = &snap->ras[i];
        int min_ms, max_ms;

        ra_intervals(&sender->opts, &min_ms, &max_ms);
        s = ra_sender_find(ra, sender->lrp);
        if (!s) {
            /* The first one soon, as a router interface that comes up
             * does (RFC 4861 6.2.4). */
            s = xzalloc(sizeof *s);
            s->lrp = xstrdup(sender->lrp);
            s->next = now + random_range(1000);
            hmap_insert(&ra->senders, &s->node, hash_string(s->lrp, 0));
        }
        s->seen = true;
        if (now >= s->next) {
            ra_send(sender, outs);
            ra->n_sent++;
            COVERAGE_INC(pinctrl_ra_periodic);
            s->next = now + min_ms + random_range(max_ms - min_ms + 1);
        }
        next = MIN(next, s->next);
    }
    HMAP_FOR_EACH_SAFE (s, node, &ra->senders) {
        if (!s->seen) {
            hmap_remove(&ra->senders, &s->node);
            free(s->lrp);
            free(s);
        }
    }
    return next;
}
