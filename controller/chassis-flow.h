/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Building the flows of the chassis's own lookup tables (66 to 79, 82 and
 * 83): the tables that the logical-flow actions get_arp, lookup_arp,
 * get_fdb, chk_lb_hairpin, check_in_port_sec, ... resubmit to (the
 * contract is at the top of lib/actions-lookup.c).  Shared by the pure
 * modules that fill them: mac-binding-flows.c, fdb-flows.c, lb-hairpin.c
 * and port-sec.c.
 *
 * A flow is built in a struct cflow (table, priority, match, actions) and
 * added to a flow table for its owner, the UUID of the row it comes from;
 * its cookie is the first 32 bits of that UUID, as for every flow of ours.
 *
 * Addresses in SB rows are text: cflow_ip_parse() reads an IPv4 or IPv6
 * address, with an optional prefix length, into a struct cflow_ip.
 *
 * A pure module: no logging, no I/O.
 */

#ifndef OVNMC_CHASSIS_FLOW_H
#define OVNMC_CHASSIS_FLOW_H 1

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/compiler.h"
#include "openvswitch/match.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/types.h"

struct flow_table;
struct svec;
struct uuid;

/* One flow being built. */
struct cflow {
    uint8_t table_id;           /* OpenFlow table. */
    uint16_t priority;          /* OpenFlow priority. */
    struct match match;         /* What it matches. */
    struct ofpbuf ofpacts;      /* Its actions (over 'stub' at first). */
    uint64_t stub[512 / 8];     /* Room for the actions of most flows. */
};

/* Starts a flow in 'table_id' with 'priority' that matches everything and
 * does nothing. */
void cflow_init(struct cflow *, uint8_t table_id, uint16_t priority);

/* Starts a flow like 'base' (its table, priority and match; not its
 * actions). */
void cflow_clone(struct cflow *, const struct cflow *base);

/* Adds the flow to 'table' for 'owner' (cookie: its first 32 bits) and
 * frees what the flow holds. */
void cflow_add(struct cflow *, struct flow_table *table,
               const struct uuid *owner);

/* Frees what the flow holds, without adding it. */
void cflow_drop(struct cflow *);

/* Appends "set_field:V/M->reg10": the logical flags bit 'bit' (MLF_*_BIT
 * of lib/symtab.h) becomes 'value'. */
void cflow_put_flag(struct cflow *, int bit, bool value);

/* Matches the logical datapath (metadata), the logical input port (reg14)
 * or the logical output port (reg15). */
void cflow_match_datapath(struct cflow *, uint32_t dp_key);
void cflow_match_inport(struct cflow *, uint32_t port_key);
void cflow_match_outport(struct cflow *, uint32_t port_key);

/* An IP address, perhaps with a prefix length. */
struct cflow_ip {
    bool v6;                    /* IPv6 (else IPv4). */
    ovs_be32 ip4;               /* The IPv4 address, if !v6. */
    struct in6_addr ip6;        /* The IPv6 address, if v6. */
    unsigned int plen;          /* Prefix length: 32 or 128 if none was
                                 * given. */
};

/* Parses 's', an IPv4 or IPv6 address, with a "/PLEN" suffix only if
 * 'prefix_ok', into '*ip'.  Returns NULL, or a malloc'd error. */
char *cflow_ip_parse(const char *s, bool prefix_ok, struct cflow_ip *ip)
    OVS_WARN_UNUSED_RESULT;

/* True if 'ip' is a whole network: a prefix shorter than the address
 * whose host bits are all zero (10.0.1.0/24, fd00::/64). */
bool cflow_ip_is_network(const struct cflow_ip *ip);

/* The host address of 'ip' as a 128-bit value (an IPv4 address in the low
 * 32 bits), as the registers xxreg0 and xxreg1 hold it. */
ovs_u128 cflow_ip_u128(const struct cflow_ip *ip);

/* Matches register reg'reg4' with the IPv4 address of 'ip', or register
 * xxreg'xxreg6' with its IPv6 address (the whole address, whatever
 * 'ip->plen'). */
void cflow_match_ip_reg(struct cflow *, const struct cflow_ip *ip,
                        unsigned int reg4, unsigned int xxreg6);

/* Sets the Ethernet type of 'ip''s family (ip or ipv6). */
void cflow_match_ip_type(struct cflow *, const struct cflow_ip *ip);

/* Matches the IP source or destination with 'ip': the network if
 * 'as_network' and cflow_ip_is_network(ip), else the host address.  The
 * Ethernet type must already be set. */
void cflow_match_nw_src(struct cflow *, const struct cflow_ip *ip,
                        bool as_network);
void cflow_match_nw_dst(struct cflow *, const struct cflow_ip *ip,
                        bool as_network);

/* Appends a message to 'warnings' (if nonnull). */
void cflow_warn(struct svec *warnings, const char *format, ...)
    OVS_PRINTF_FORMAT(2, 3);

#endif /* controller/chassis-flow.h */
