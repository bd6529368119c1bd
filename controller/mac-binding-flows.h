/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The flows of one neighbour entry: a SB MAC_Binding row (learnt by some
 * chassis, written by its pinctrl) or a Static_MAC_Binding row (from the
 * NB, written by ovn-northd), binding an IP address to a MAC on a logical
 * router port.
 *
 *   table 66  get_arp, get_nd: reg15 = the port, reg0 = the IPv4 address
 *             or xxreg0 = the IPv6 address, metadata = the datapath
 *             -> eth.dst = the MAC, and flags.lookup_mac = 1 (as OVN
 *             23.03 does).
 *   table 67  lookup_arp, lookup_nd: reg14 = the port, the address as
 *             above, xreg2[0..47] = the MAC, and the packet is ARP (IPv4)
 *             or ICMPv6 with code 0 (IPv6, i.e. neighbour discovery)
 *             -> flags.lookup_mac = 1.
 *   table 82  lookup_arp_ip: reg14 = the port, reg0 = the IPv4 address
 *             -> flags.lookup_mac = 1.
 *   table 83  lookup_nd_ip: the same with xxreg0 = the IPv6 address.
 *
 * Priorities (ovn-sb(5), Static_MAC_Binding override_dynamic_mac): a
 * learnt binding 100; a static one 50, below a learnt one for the same
 * address, or 150 with override_dynamic_mac=true, above it.  So both rows
 * keep their flows and the lookup picks the right one.
 *
 * A pure module: a row that does not parse adds no flow and a message to
 * the caller's warnings.
 */

#ifndef OVNMC_MAC_BINDING_FLOWS_H
#define OVNMC_MAC_BINDING_FLOWS_H 1

#include <stdbool.h>
#include <stdint.h>

struct flow_table;
struct svec;
struct uuid;

/* Flow priorities of a binding. */
enum mac_binding_prio {
    MAC_BINDING_PRIO_STATIC = 50,           /* Static_MAC_Binding. */
    MAC_BINDING_PRIO_DYNAMIC = 100,         /* MAC_Binding. */
    MAC_BINDING_PRIO_STATIC_OVERRIDE = 150, /* Static_MAC_Binding with
                                             * override_dynamic_mac. */
};

/* One binding, as the caller found it. */
struct mac_binding_entry {
    const struct uuid *owner;   /* The row: owner of the flows. */
    const char *table;          /* Its table's name, for messages. */
    const char *lport;          /* Its logical_port, for messages. */
    const char *ip;             /* The 'ip' column. */
    const char *mac;            /* The 'mac' column. */
    uint32_t dp_key;            /* Its datapath's tunnel key. */
    uint32_t port_key;          /* Its logical port's tunnel key. */
    enum mac_binding_prio priority;
};

/* Adds to 'flows' the flows of 'e', owned by e->owner.  Returns false,
 * adding nothing and appending a message naming the row to 'warnings' (if
 * nonnull), if its IP or MAC does not parse. */
bool mac_binding_flows_add(const struct mac_binding_entry *e,
                           struct flow_table *flows, struct svec *warnings);

#endif /* controller/mac-binding-flows.h */
