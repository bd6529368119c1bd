/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The load balancer hairpin flows of one row: see lb-hairpin.h.
 */

#include <config.h>

#include "controller/lb-hairpin.h"

#include <string.h>
#include "controller/chassis-flow.h"
#include "lib/symtab.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-protocol.h"
#include "ovn/of-tables.h"
#include "packets.h"
#include "smap.h"
#include "svec.h"
#include "util.h"
#include "uuid.h"

/* Registers of the original destination (hairpin_orig_tuple): reg1 or
 * xxreg1 the address, reg2[0..15] the port. */
#define ORIG_DIP4_REG 1
#define ORIG_DIP6_XXREG 1
#define ORIG_DPORT_REG 2

/* ct_mark.natted and ct_label.natted. */
#define NATTED_BIT (1u << LOG_CT_MARK_NATTED_BIT)

/* An address and port of a VIP or backend. */
struct lbh_endpoint {
    struct cflow_ip ip;
    uint16_t port;              /* 0 if none. */
};

/* What the flows of one row are built from. */
struct lbh_ctx {
    const struct lb_hairpin_lb *lb;
    const struct uuid *owner;   /* lb->uuid. */
    uint8_t proto;              /* IP protocol of VIPs with a port. */
    bool orig_tuple;            /* options:hairpin_orig_tuple=true. */
    bool use_ct_mark;           /* Else ct_label. */
    struct cflow_ip snat[2];    /* hairpin_snat_ip: [0] IPv4, [1] IPv6. */
    bool has_snat[2];
    const uint32_t *dp_keys;    /* Local datapaths of the row. */
    size_t n_dp_keys;
    struct flow_table *flows;
    struct svec *warnings;
};

/* Parses "IP", "IP:PORT", "[IPv6]" or "[IPv6]:PORT" into 'ep'.  Returns
 * NULL or a malloc'd error. */
static char * OVS_WARN_UNUSED_RESULT
lbh_parse_endpoint(const char *s, struct lbh_endpoint *ep)
{
    const char *port_s = NULL;
    char *addr, *error;

    memset(ep, 0, sizeof *ep);
    if (s[0] == '[') {
        const char *end = strchr(s, ']');
        if (!end || (end[1] && end[1] != ':')) {
            return xasprintf("\"%s\" is not [IPv6]:PORT", s);
        }
        addr = xmemdup0(s + 1, end - s - 1);
        port_s = end[1] ? end + 2 : NULL;
    } else {
        const char *colon = strchr(s, ':');
        if (colon && !strchr(colon + 1, ':')) {
            addr = xmemdup0(s, colon - s);
            port_s = colon + 1;
        } else {
            addr = xstrdup(s);
        }
    }
    error = cflow_ip_parse(addr, false, &ep->ip);
    if (!error && s[0] == '[' && !ep->ip.v6) {
        error = xasprintf("\"%s\": brackets hold an IPv6 address", s);
    }
    free(addr);
    if (!error && port_s) {
        int port;
        if (!str_to_int(port_s, 10, &port) || port < 1 || port > 65535) {
            error = xasprintf("\"%s\": bad port \"%s\"", s, port_s);
        } else {
            ep->port = port;
        }
    }
    return error;
}

/* Matches the connection's original destination: the VIP 'vip'. */
static void
lbh_match_vip(struct cflow *f, const struct lbh_ctx *c,
              const struct lbh_endpoint *vip)
{
    if (c->orig_tuple) {
        cflow_match_ip_reg(f, &vip->ip, ORIG_DIP4_REG, ORIG_DIP6_XXREG);
        if (vip->port) {
            match_set_reg_masked(&f->match, ORIG_DPORT_REG, vip->port,
                                 0xffff);
        }
    } else {
        match_set_ct_state_masked(&f->match, CS_TRACKED | CS_DST_NAT,
                                  CS_TRACKED | CS_DST_NAT);
        if (!vip->ip.v6) {
            match_set_ct_nw_dst(&f->match, vip->ip.ip4);
        } else {
            match_set_ct_ipv6_dst(&f->match, &vip->ip.ip6);
        }
        if (vip->port) {
            match_set_ct_nw_proto(&f->match, c->proto);
            match_set_ct_tp_dst(&f->match, htons(vip->port));
        }
    }
    cflow_match_ip_type(f, &vip->ip);
    if (vip->port) {
        match_set_nw_proto(&f->match, c->proto);
    }
}

static void
lbh_format_ip(const struct cflow_ip *ip, struct ds *s)
{
    if (!ip->v6) {
        ds_put_format(s, IP_FMT, IP_ARGS(ip->ip4));
    } else {
        ipv6_format_addr(&ip->ip6, s);
    }
}

/* Appends to 's' the learn action of a table 68 flow: a flow in table 69
 * that matches the replies of the hairpinned connection to 'vip'. */
static void
lbh_learn_text(const struct lbh_ctx *c, const struct lbh_endpoint *vip,
               struct ds *s)
{
    const struct cflow_ip *dst = (c->has_snat[vip->ip.v6]
                                  ? &c->snat[vip->ip.v6] : &vip->ip);

    ds_put_format(s, "learn(table=%d,delete_learned,cookie=0x%"PRIx32","
                  "OXM_OF_METADATA[],", OFTABLE_CHK_LB_HAIRPIN_REPLY,
                  c->owner->parts[0]);
    if (!vip->ip.v6) {
        ds_put_cstr(s, "eth_type=0x800,NXM_OF_IP_SRC[],ip_dst=");
    } else {
        ds_put_cstr(s, "eth_type=0x86dd,NXM_NX_IPV6_SRC[],ipv6_dst=");
    }
    lbh_format_ip(dst, s);
    if (vip->port) {
        const char *l4 = (c->proto == IPPROTO_UDP ? "NXM_OF_UDP"
                          : c->proto == IPPROTO_SCTP ? "OXM_OF_SCTP"
                          : "NXM_OF_TCP");
        ds_put_format(s, ",nw_proto=%d,%s_SRC[]=%s_DST[]", c->proto, l4,
                      l4);
    } else {
        ds_put_cstr(s, ",NXM_OF_IP_PROTO[]");
    }
    ds_put_format(s, ",load:0x1->NXM_NX_REG10[%d])",
                  MLF_LOOKUP_LB_HAIRPIN_BIT);
}

/* Table 68: the backend 'be' of 'vip' reaching itself. */
static void
lbh_add_backend(const struct lbh_ctx *c, const struct lbh_endpoint *vip,
                const struct lbh_endpoint *be)
{
    struct ds text = DS_EMPTY_INITIALIZER;
    enum ofputil_protocol usable;
    struct cflow f;
    char *error;

    cflow_init(&f, OFTABLE_CHK_LB_HAIRPIN, 100);
    if (c->use_ct_mark) {
        match_set_ct_mark_masked(&f.match, NATTED_BIT, NATTED_BIT);
    } else {
        ovs_u128 bit = { .u64 = { .lo = NATTED_BIT } };
        match_set_ct_label_masked(&f.match, bit, bit);
    }
    lbh_match_vip(&f, c, vip);
    cflow_match_nw_src(&f, &be->ip, false);
    cflow_match_nw_dst(&f, &be->ip, false);
    if (vip->port) {
        match_set_tp_dst(&f.match, htons(be->port));
    }
    cflow_put_flag(&f, MLF_LOOKUP_LB_HAIRPIN_BIT, true);

    lbh_learn_text(c, vip, &text);
    struct ofpact_parse_params pp = {
        .ofpacts = &f.ofpacts,
        .usable_protocols = &usable,
    };
    error = ofpacts_parse_actions(ds_cstr(&text), &pp);
    if (error) {
        cflow_warn(c->warnings, "Load_Balancer %s: %s: %s", c->lb->name,
                   ds_cstr(&text), error);
        free(error);
        cflow_drop(&f);
    } else {
        cflow_add(&f, c->flows, c->owner);
    }
    ds_destroy(&text);
}

/* Appends ct(commit,zone=reg12[0..15],nat(src=IP)). */
static void
lbh_put_ct_snat(struct cflow *f, const struct cflow_ip *ip)
{
    size_t ofs = f->ofpacts.size;
    struct ofpact_conntrack *ct = ofpact_put_CT(&f->ofpacts);

    ct->flags = NX_CT_F_COMMIT;
    ct->recirc_table = NX_CT_RECIRC_NONE;
    ct->zone_src.field = mf_from_id(MFF_LOG_SNAT_ZONE);
    ct->zone_src.ofs = 0;
    ct->zone_src.n_bits = 16;
    ct->alg = 0;

    struct ofpact_nat *nat = ofpact_put_NAT(&f->ofpacts);
    nat->flags = NX_NAT_F_SRC;
    if (!ip->v6) {
        nat->range_af = AF_INET;
        nat->range.addr.ipv4.min = ip->ip4;
    } else {
        nat->range_af = AF_INET6;
        nat->range.addr.ipv6.min = ip->ip6;
    }

    ct = ofpbuf_at_assert(&f->ofpacts, ofs, sizeof *ct);
    f->ofpacts.header = ct;
    ofpact_finish_CT(&f->ofpacts, &ct);
}

/* Table 70: the source of a hairpinned connection to 'vip' becomes the
 * VIP, or the hairpin SNAT IP on each local datapath. */
static void
lbh_add_snat(const struct lbh_ctx *c, const struct lbh_endpoint *vip)
{
    bool v6 = vip->ip.v6;
    struct cflow f;

    if (c->has_snat[v6]) {
        for (size_t i = 0; i < c->n_dp_keys; i++) {
            cflow_init(&f, OFTABLE_CT_SNAT_HAIRPIN, vip->port ? 200 : 190);
            lbh_match_vip(&f, c, vip);
            cflow_match_datapath(&f, c->dp_keys[i]);
            lbh_put_ct_snat(&f, &c->snat[v6]);
            cflow_add(&f, c->flows, c->owner);
        }
    } else {
        cflow_init(&f, OFTABLE_CT_SNAT_HAIRPIN, vip->port ? 100 : 90);
        lbh_match_vip(&f, c, vip);
        lbh_put_ct_snat(&f, &vip->ip);
        cflow_add(&f, c->flows, c->owner);
    }
}

/* Parses one backend 's' of 'vip' and adds its flow. */
static void
lbh_do_backend(const struct lbh_ctx *c, const char *vip_s,
               const struct lbh_endpoint *vip, const char *s)
{
    struct lbh_endpoint be;
    char *error = lbh_parse_endpoint(s, &be);

    if (!error && be.ip.v6 != vip->ip.v6) {
        error = xasprintf("\"%s\" is not of the VIP's address family", s);
    } else if (!error && !be.port != !vip->port) {
        error = xasprintf("\"%s\" %s a port and the VIP %s", s,
                          be.port ? "has" : "lacks",
                          vip->port ? "has one" : "has none");
    }
    if (error) {
        cflow_warn(c->warnings, "Load_Balancer %s ("UUID_FMT"): VIP %s: "
                   "backend %s; skipped", c->lb->name, UUID_ARGS(c->owner),
                   vip_s, error);
        free(error);
        return;
    }
    lbh_add_backend(c, vip, &be);
}

/* The flows of VIP 'vip_s' with the comma-separated 'backends'. */
static void
lbh_do_vip(const struct lbh_ctx *c, const char *vip_s, const char *backends)
{
    struct lbh_endpoint vip;
    char *error = lbh_parse_endpoint(vip_s, &vip);
    char *copy, *token, *save = NULL;

    if (error) {
        cflow_warn(c->warnings, "Load_Balancer %s ("UUID_FMT"): VIP %s: "
                   "%s; skipped", c->lb->name, UUID_ARGS(c->owner), vip_s,
                   error);
        free(error);
        return;
    }
    copy = xstrdup(backends);
    for (token = strtok_r(copy, ", ", &save); token;
         token = strtok_r(NULL, ", ", &save)) {
        lbh_do_backend(c, vip_s, &vip, token);
    }
    free(copy);
    lbh_add_snat(c, &vip);
}

/* Reads options:hairpin_snat_ip: an IPv4 and/or an IPv6 address. */
static void
lbh_parse_snat_ips(struct lbh_ctx *c, const char *s)
{
    char *copy = xstrdup(s), *token, *save = NULL;

    for (token = strtok_r(copy, ", ", &save); token;
         token = strtok_r(NULL, ", ", &save)) {
        struct cflow_ip ip;
        char *error = cflow_ip_parse(token, false, &ip);
        if (error) {
            cflow_warn(c->warnings, "Load_Balancer %s ("UUID_FMT"): "
                       "hairpin_snat_ip: %s; ignored", c->lb->name,
                       UUID_ARGS(c->owner), error);
            free(error);
        } else if (!c->has_snat[ip.v6]) {
            c->snat[ip.v6] = ip;
            c->has_snat[ip.v6] = true;
        }
    }
    free(copy);
}

void
lb_hairpin_add_flows(const struct lb_hairpin_lb *lb,
                     const uint32_t *dp_keys, size_t n_dp_keys,
                     bool use_ct_mark, struct flow_table *flows,
                     struct svec *warnings)
{
    const char *proto = lb->protocol ? lb->protocol : "tcp";
    const char *snat_ips = smap_get(lb->options, "hairpin_snat_ip");
    struct lbh_ctx c = {
        .lb = lb,
        .owner = lb->uuid,
        .proto = (!strcmp(proto, "udp") ? IPPROTO_UDP
                  : !strcmp(proto, "sctp") ? IPPROTO_SCTP
                  : IPPROTO_TCP),
        .orig_tuple = smap_get_bool(lb->options, "hairpin_orig_tuple",
                                    false),
        .use_ct_mark = use_ct_mark,
        .dp_keys = dp_keys,
        .n_dp_keys = n_dp_keys,
        .flows = flows,
        .warnings = warnings,
    };
    const struct smap_node **vips;

    if (snat_ips) {
        lbh_parse_snat_ips(&c, snat_ips);
    }
    /* In order, so that the warnings are too. */
    vips = smap_sort(lb->vips);
    for (size_t i = 0; i < smap_count(lb->vips); i++) {
        lbh_do_vip(&c, vips[i]->key, vips[i]->value);
    }
    free(vips);
}
