/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Port security flows of one port: see port-sec.h.
 */

#include <config.h>

#include "controller/port-sec.h"

#include <string.h>
#include "controller/chassis-flow.h"
#include "lib/actions.h"
#include "lib/symtab.h"
#include "ovn/of-tables.h"
#include "packets.h"
#include "svec.h"
#include "util.h"

/* The hop limit of neighbour discovery messages (RFC 4861). */
#define ND_HOP_LIMIT 255

/* ICMPv6 types. */
#define ICMP6_MLD_REPORT 131
#define ICMP6_MLD2_REPORT 143
#define ICMP6_NS 135
#define ICMP6_NA 136

/* One parsed entry of port_security. */
struct ps_entry {
    struct eth_addr mac;
    struct in6_addr lla;        /* The MAC's IPv6 link-local address. */
    struct cflow_ip *v4;        /* IPv4 addresses or prefixes. */
    size_t n_v4;
    struct cflow_ip *v6;        /* IPv6 addresses or prefixes. */
    size_t n_v6;
};

/* What every flow of one port is built from. */
struct ps_ctx {
    const struct port_sec_port *p;
    struct flow_table *flows;
};

static void
ps_entry_destroy(struct ps_entry *e)
{
    free(e->v4);
    free(e->v6);
}

/* Parses 's' into 'e'.  Returns NULL or a malloc'd error. */
static char * OVS_WARN_UNUSED_RESULT
ps_entry_parse(const char *s, struct ps_entry *e)
{
    char *copy = xstrdup(s), *token, *save = NULL;
    char *error = NULL;

    memset(e, 0, sizeof *e);
    token = strtok_r(copy, " ", &save);
    if (!token || !eth_addr_from_string(token, &e->mac)) {
        error = xasprintf("\"%s\" does not start with a MAC address", s);
        goto out;
    }
    in6_generate_lla(e->mac, &e->lla);
    while ((token = strtok_r(NULL, " ", &save))) {
        struct cflow_ip ip;
        error = cflow_ip_parse(token, true, &ip);
        if (error) {
            goto out;
        }
        if (!ip.v6) {
            e->v4 = xrealloc(e->v4, (e->n_v4 + 1) * sizeof *e->v4);
            e->v4[e->n_v4++] = ip;
        } else {
            e->v6 = xrealloc(e->v6, (e->n_v6 + 1) * sizeof *e->v6);
            e->v6[e->n_v6++] = ip;
        }
    }
out:
    free(copy);
    return error;
}

/* Starts a flow of the port in 'table_id': the input port for tables 73
 * and 74, the output port for table 75. */
static void
ps_start(struct cflow *f, const struct ps_ctx *c, uint8_t table_id,
         uint16_t priority)
{
    cflow_init(f, table_id, priority);
    cflow_match_datapath(f, c->p->dp_key);
    if (table_id == OFTABLE_CHK_OUT_PORT_SEC) {
        cflow_match_outport(f, c->p->port_key);
    } else {
        cflow_match_inport(f, c->p->port_key);
    }
}

/* Ends a flow with the verdict: fail (the flag set) or pass (cleared). */
static void
ps_verdict(struct cflow *f, const struct ps_ctx *c, bool fail)
{
    cflow_put_flag(f, MLF_CHECK_PORT_SEC_BIT, fail);
    cflow_add(f, c->flows, c->p->owner);
}

/* Ends a flow that goes on to the ARP and ND checks of table 74. */
static void
ps_to_nd(struct cflow *f, const struct ps_ctx *c)
{
    lact_put_resubmit(&f->ofpacts, OFTABLE_CHK_IN_PORT_SEC_ND);
    cflow_add(f, c->flows, c->p->owner);
}

static void
ps_match_icmp6(struct cflow *f, uint8_t type, bool code0, bool hop_limit)
{
    match_set_dl_type(&f->match, htons(ETH_TYPE_IPV6));
    match_set_nw_proto(&f->match, IPPROTO_ICMPV6);
    match_set_icmp_type(&f->match, type);
    if (code0) {
        match_set_icmp_code(&f->match, 0);
    }
    if (hop_limit) {
        match_set_nw_ttl(&f->match, ND_HOP_LIMIT);
    }
}

/* The flows of a port that do not depend on the entry. */
static void
ps_add_port_flows(const struct ps_ctx *c)
{
    struct cflow f;

    ps_start(&f, c, OFTABLE_CHK_IN_PORT_SEC, 80);
    ps_verdict(&f, c, true);
    ps_start(&f, c, OFTABLE_CHK_IN_PORT_SEC, 95);
    match_set_dl_type(&f.match, htons(ETH_TYPE_ARP));
    ps_to_nd(&f, c);

    ps_start(&f, c, OFTABLE_CHK_IN_PORT_SEC_ND, 80);
    match_set_dl_type(&f.match, htons(ETH_TYPE_ARP));
    ps_verdict(&f, c, true);
    ps_start(&f, c, OFTABLE_CHK_IN_PORT_SEC_ND, 80);
    ps_match_icmp6(&f, ICMP6_NA, false, true);
    ps_verdict(&f, c, true);
    ps_start(&f, c, OFTABLE_CHK_IN_PORT_SEC_ND, 80);
    ps_match_icmp6(&f, ICMP6_NS, false, true);
    ps_verdict(&f, c, false);

    ps_start(&f, c, OFTABLE_CHK_OUT_PORT_SEC, 80);
    ps_verdict(&f, c, true);
}

/* Table 73: what the VM may send. */
static void
ps_add_in(const struct ps_ctx *c, const struct ps_entry *e)
{
    struct cflow f;

    if (!e->n_v4 && !e->n_v6) {
        ps_start(&f, c, OFTABLE_CHK_IN_PORT_SEC, 90);
        match_set_dl_src(&f.match, e->mac);
        ps_to_nd(&f, c);
        return;
    }
    for (size_t i = 0; i < e->n_v4; i++) {
        ps_start(&f, c, OFTABLE_CHK_IN_PORT_SEC, 90);
        match_set_dl_src(&f.match, e->mac);
        cflow_match_ip_type(&f, &e->v4[i]);
        cflow_match_nw_src(&f, &e->v4[i], true);
        ps_verdict(&f, c, false);
    }
    if (e->n_v4) {
        /* DHCP discover. */
        ps_start(&f, c, OFTABLE_CHK_IN_PORT_SEC, 90);
        match_set_dl_src(&f.match, e->mac);
        match_set_dl_type(&f.match, htons(ETH_TYPE_IP));
        match_set_nw_proto(&f.match, IPPROTO_UDP);
        match_set_nw_src(&f.match, htonl(0));
        match_set_nw_dst(&f.match, OVS_BE32_MAX);
        match_set_tp_src(&f.match, htons(68));
        match_set_tp_dst(&f.match, htons(67));
        ps_verdict(&f, c, false);
    }
    if (!e->n_v6) {
        return;
    }
    struct cflow_ip lla = { .v6 = true, .ip6 = e->lla, .plen = 128 };
    for (size_t i = 0; i <= e->n_v6; i++) {
        ps_start(&f, c, OFTABLE_CHK_IN_PORT_SEC, 90);
        match_set_dl_src(&f.match, e->mac);
        match_set_dl_type(&f.match, htons(ETH_TYPE_IPV6));
        cflow_match_nw_src(&f, i < e->n_v6 ? &e->v6[i] : &lla, true);
        ps_to_nd(&f, c);
    }
    /* From the unspecified address to a multicast group: MLD reports pass,
     * a duplicate address detection solicitation is checked. */
    static const uint8_t types[] = {
        ICMP6_MLD_REPORT, ICMP6_MLD2_REPORT, ICMP6_NS
    };
    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        struct in6_addr ff02 = { .s6_addr = { 0xff, 0x02 } };
        struct in6_addr mask = ipv6_create_mask(16);

        ps_start(&f, c, OFTABLE_CHK_IN_PORT_SEC, 90);
        match_set_dl_src(&f.match, e->mac);
        ps_match_icmp6(&f, types[i], true, false);
        match_set_ipv6_src(&f.match, &in6addr_any);
        match_set_ipv6_dst_masked(&f.match, &ff02, &mask);
        if (types[i] == ICMP6_NS) {
            ps_to_nd(&f, c);
        } else {
            ps_verdict(&f, c, false);
        }
    }
}

/* Table 74, ARP: who the VM may claim to be. */
static void
ps_add_in_arp(const struct ps_ctx *c, const struct ps_entry *e)
{
    struct cflow f;

    if (e->n_v6 && !e->n_v4) {
        return;
    }
    for (size_t i = 0; i < MAX(e->n_v4, 1); i++) {
        ps_start(&f, c, OFTABLE_CHK_IN_PORT_SEC_ND, 90);
        match_set_dl_type(&f.match, htons(ETH_TYPE_ARP));
        match_set_dl_src(&f.match, e->mac);
        match_set_arp_sha(&f.match, e->mac);
        if (e->n_v4) {
            const struct cflow_ip *ip = &e->v4[i];
            /* The ARP sender address is nw_src. */
            cflow_match_nw_src(&f, ip, true);
        }
        ps_verdict(&f, c, false);
    }
}

/* One table 74 ND flow of 'type' with the link-layer option 'lla' (zero
 * or the MAC), for 'target' if nonnull; 'from_mac' also matches the
 * Ethernet source, else the hop limit. */
static void
ps_add_nd_one(const struct ps_ctx *c, const struct ps_entry *e,
              uint8_t type, struct eth_addr lla,
              const struct cflow_ip *target, bool from_mac)
{
    struct cflow f;

    ps_start(&f, c, OFTABLE_CHK_IN_PORT_SEC_ND, 90);
    ps_match_icmp6(&f, type, true, !from_mac);
    if (from_mac) {
        match_set_dl_src(&f.match, e->mac);
    }
    if (type == ICMP6_NS) {
        match_set_arp_sha(&f.match, lla);
    } else {
        match_set_arp_tha(&f.match, lla);
    }
    if (target) {
        struct in6_addr mask = (cflow_ip_is_network(target)
                                ? ipv6_create_mask(target->plen)
                                : in6addr_exact);
        match_set_nd_target_masked(&f.match, &target->ip6, &mask);
    }
    ps_verdict(&f, c, false);
}

/* Table 74, ND: solicitations and advertisements. */
static void
ps_add_in_nd(const struct ps_ctx *c, const struct ps_entry *e)
{
    ps_add_nd_one(c, e, ICMP6_NS, eth_addr_zero, NULL, false);
    ps_add_nd_one(c, e, ICMP6_NS, e->mac, NULL, false);
    if (!e->n_v6) {
        ps_add_nd_one(c, e, ICMP6_NA, eth_addr_zero, NULL, false);
        ps_add_nd_one(c, e, ICMP6_NA, e->mac, NULL, false);
        return;
    }
    struct cflow_ip lla = { .v6 = true, .ip6 = e->lla, .plen = 128 };
    ps_add_nd_one(c, e, ICMP6_NA, eth_addr_zero, &lla, false);
    ps_add_nd_one(c, e, ICMP6_NA, e->mac, &lla, false);
    for (size_t i = 0; i < e->n_v6; i++) {
        ps_add_nd_one(c, e, ICMP6_NA, eth_addr_zero, &e->v6[i], true);
        ps_add_nd_one(c, e, ICMP6_NA, e->mac, &e->v6[i], true);
    }
}

/* A table 75 flow at priority 95: IP to the entry's MAC and 'dst'
 * passes. */
static void
ps_add_out_dst(const struct ps_ctx *c, const struct ps_entry *e,
               const struct cflow_ip *dst)
{
    struct cflow f;

    ps_start(&f, c, OFTABLE_CHK_OUT_PORT_SEC, 95);
    match_set_dl_dst(&f.match, e->mac);
    cflow_match_ip_type(&f, dst);
    cflow_match_nw_dst(&f, dst, true);
    ps_verdict(&f, c, false);
}

/* Table 75: what may reach the VM. */
static void
ps_add_out(const struct ps_ctx *c, const struct ps_entry *e)
{
    struct cflow f;

    ps_start(&f, c, OFTABLE_CHK_OUT_PORT_SEC, 85);
    match_set_dl_dst(&f.match, e->mac);
    ps_verdict(&f, c, false);
    if (!e->n_v4 && !e->n_v6) {
        return;
    }
    for (int v6 = 0; v6 < 2; v6++) {
        ps_start(&f, c, OFTABLE_CHK_OUT_PORT_SEC, 90);
        match_set_dl_dst(&f.match, e->mac);
        match_set_dl_type(&f.match, htons(v6 ? ETH_TYPE_IPV6 : ETH_TYPE_IP));
        ps_verdict(&f, c, true);
    }
    for (size_t i = 0; i < e->n_v4; i++) {
        const struct cflow_ip *ip = &e->v4[i];
        ps_add_out_dst(c, e, ip);
        if (ip->plen < 32 && !cflow_ip_is_network(ip)) {
            struct cflow_ip bcast = *ip;
            bcast.ip4 |= ~be32_prefix_mask(ip->plen);
            bcast.plen = 32;
            ps_add_out_dst(c, e, &bcast);
        }
    }
    if (e->n_v4) {
        struct cflow_ip all = { .ip4 = OVS_BE32_MAX, .plen = 32 };
        struct cflow_ip mcast = { .ip4 = htonl(0xe0000000), .plen = 4 };
        ps_add_out_dst(c, e, &all);
        ps_add_out_dst(c, e, &mcast);
    }
    if (e->n_v6) {
        struct cflow_ip lla = { .v6 = true, .ip6 = e->lla, .plen = 128 };
        struct cflow_ip mcast = {
            .v6 = true, .ip6 = { .s6_addr = { 0xff } }, .plen = 8,
        };
        ps_add_out_dst(c, e, &lla);
        ps_add_out_dst(c, e, &mcast);
        for (size_t i = 0; i < e->n_v6; i++) {
            ps_add_out_dst(c, e, &e->v6[i]);
        }
    }
}

size_t
port_sec_add_flows(const struct port_sec_port *p, struct flow_table *flows,
                   struct svec *warnings)
{
    struct ps_ctx c = { .p = p, .flows = flows };
    size_t n_ok = 0;

    for (size_t i = 0; i < p->n_entries; i++) {
        struct ps_entry e;
        char *error = ps_entry_parse(p->entries[i], &e);
        if (error) {
            cflow_warn(warnings, "logical port %s: port_security entry "
                       "\"%s\": %s; entry ignored", p->lport,
                       p->entries[i], error);
            free(error);
            ps_entry_destroy(&e);
            continue;
        }
        if (!n_ok++) {
            ps_add_port_flows(&c);
        }
        ps_add_in(&c, &e);
        ps_add_in_arp(&c, &e);
        ps_add_in_nd(&c, &e);
        ps_add_out(&c, &e);
        ps_entry_destroy(&e);
    }
    return n_ok;
}
