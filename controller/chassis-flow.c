/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Building the flows of the chassis's lookup tables: see chassis-flow.h.
 */

#include <config.h>

#include "controller/chassis-flow.h"

#include <stdarg.h>
#include <string.h>
#include "byte-order.h"
#include "controller/flow-table.h"
#include "lib/actions.h"
#include "ovn/of-tables.h"
#include "packets.h"
#include "svec.h"
#include "util.h"

void
cflow_init(struct cflow *f, uint8_t table_id, uint16_t priority)
{
    match_init_catchall(&f->match);
    ofpbuf_use_stub(&f->ofpacts, f->stub, sizeof f->stub);
    f->table_id = table_id;
    f->priority = priority;
}

void
cflow_clone(struct cflow *f, const struct cflow *base)
{
    cflow_init(f, base->table_id, base->priority);
    f->match = base->match;
}

void
cflow_add(struct cflow *f, struct flow_table *table, const struct uuid *owner)
{
    flow_table_add(table, owner, f->table_id, f->priority, owner->parts[0],
                   &f->match, f->ofpacts.data, f->ofpacts.size);
    ofpbuf_uninit(&f->ofpacts);
}

void
cflow_drop(struct cflow *f)
{
    ofpbuf_uninit(&f->ofpacts);
}

void
cflow_put_flag(struct cflow *f, int bit, bool value)
{
    lact_put_load_u64(&f->ofpacts, MFF_LOG_FLAGS, bit, 1, value);
}

void
cflow_match_datapath(struct cflow *f, uint32_t dp_key)
{
    match_set_metadata(&f->match, htonll(dp_key));
}

void
cflow_match_inport(struct cflow *f, uint32_t port_key)
{
    match_set_reg(&f->match, MFF_LOG_INPORT - MFF_REG0, port_key);
}

void
cflow_match_outport(struct cflow *f, uint32_t port_key)
{
    match_set_reg(&f->match, MFF_LOG_OUTPORT - MFF_REG0, port_key);
}

char *
cflow_ip_parse(const char *s, bool prefix_ok, struct cflow_ip *ip)
{
    const char *slash = strchr(s, '/');
    char *addr = slash ? xmemdup0(s, slash - s) : xstrdup(s);
    bool ok;

    memset(ip, 0, sizeof *ip);
    ip->v6 = strchr(addr, ':') != NULL;
    ok = ip->v6 ? ipv6_parse(addr, &ip->ip6) : ip_parse(addr, &ip->ip4);
    free(addr);
    if (!ok) {
        return xasprintf("\"%s\" is not an IP address%s", s,
                         prefix_ok ? " or prefix" : "");
    }
    ip->plen = ip->v6 ? 128 : 32;
    if (slash) {
        unsigned int plen;
        if (!prefix_ok) {
            return xasprintf("\"%s\": a prefix length is not allowed here",
                             s);
        }
        if (!str_to_uint(slash + 1, 10, &plen) || plen > ip->plen) {
            return xasprintf("\"%s\": bad prefix length", s);
        }
        ip->plen = plen;
    }
    return NULL;
}

bool
cflow_ip_is_network(const struct cflow_ip *ip)
{
    if (!ip->v6) {
        return (ip->plen < 32
                && !(ip->ip4 & ~be32_prefix_mask(ip->plen)));
    } else {
        struct in6_addr mask = ipv6_create_mask(ip->plen);
        struct in6_addr host = ipv6_addr_bitand(&ip->ip6, &mask);
        return ip->plen < 128 && ipv6_addr_equals(&host, &ip->ip6);
    }
}

ovs_u128
cflow_ip_u128(const struct cflow_ip *ip)
{
    ovs_u128 v;

    if (!ip->v6) {
        v.u64.hi = 0;
        v.u64.lo = ntohl(ip->ip4);
    } else {
        ovs_be128 be;
        memcpy(&be, &ip->ip6, sizeof be);
        v = ntoh128(be);
    }
    return v;
}

void
cflow_match_ip_reg(struct cflow *f, const struct cflow_ip *ip,
                   unsigned int reg4, unsigned int xxreg6)
{
    if (!ip->v6) {
        match_set_reg(&f->match, reg4, ntohl(ip->ip4));
    } else {
        match_set_xxreg(&f->match, xxreg6, cflow_ip_u128(ip));
    }
}

void
cflow_match_ip_type(struct cflow *f, const struct cflow_ip *ip)
{
    match_set_dl_type(&f->match, htons(ip->v6 ? ETH_TYPE_IPV6
                                       : ETH_TYPE_IP));
}

static void
match_nw(struct cflow *f, const struct cflow_ip *ip, bool as_network,
         bool dst)
{
    bool net = as_network && cflow_ip_is_network(ip);

    if (!ip->v6) {
        ovs_be32 mask = net ? be32_prefix_mask(ip->plen) : OVS_BE32_MAX;
        if (dst) {
            match_set_nw_dst_masked(&f->match, ip->ip4, mask);
        } else {
            match_set_nw_src_masked(&f->match, ip->ip4, mask);
        }
    } else {
        struct in6_addr mask = (net ? ipv6_create_mask(ip->plen)
                                : in6addr_exact);
        if (dst) {
            match_set_ipv6_dst_masked(&f->match, &ip->ip6, &mask);
        } else {
            match_set_ipv6_src_masked(&f->match, &ip->ip6, &mask);
        }
    }
}

void
cflow_match_nw_src(struct cflow *f, const struct cflow_ip *ip,
                   bool as_network)
{
    match_nw(f, ip, as_network, false);
}

void
cflow_match_nw_dst(struct cflow *f, const struct cflow_ip *ip,
                   bool as_network)
{
    match_nw(f, ip, as_network, true);
}

void
cflow_warn(struct svec *warnings, const char *format, ...)
{
    va_list args;

    if (!warnings) {
        return;
    }
    va_start(args, format);
    svec_add_nocopy(warnings, xvasprintf(format, args));
    va_end(args);
}
