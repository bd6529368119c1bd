/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Port security flows of one logical port bound to this chassis, from its
 * Port_Binding.port_security (ovn-nb(5), Logical_Switch_Port
 * port_security): each entry is a MAC address followed by any number of
 * IPv4 and IPv6 addresses or prefixes.  ovn-northd 23.03 writes
 * "check_in_port_sec()" and "check_out_port_sec()" into the logical flows
 * and leaves the checks to the chassis of the port: these tables set
 * flags.check_port_sec (MLF_CHECK_PORT_SEC_BIT) to 1 when a packet breaks
 * the rules (and the logical flows drop it), to 0 when it keeps them.
 *
 *   table 73  check_in_port_sec, the packet the VM sent (reg14 = the
 *             port): per port, everything fails (priority 80) but ARP,
 *             which goes on to table 74 (95).  Per entry (90): an entry
 *             without addresses lets its MAC send anything (on to 74); with
 *             IPv4 addresses, IPv4 from its MAC and one of them passes, and
 *             so does a DHCP discover (0.0.0.0 to 255.255.255.255, UDP 68 to
 *             67); with IPv6 addresses, IPv6 from its MAC and one of them or
 *             its link-local address goes on to 74, and so do neighbour
 *             solicitations for duplicate address detection (from ::),
 *             while MLD reports from :: pass.
 *   table 74  check_in_port_sec's ARP and ND: per port, ARP fails (80),
 *             neighbour advertisements fail and solicitations pass (80,
 *             hop limit 255).  Per entry (90): ARP from its MAC with the
 *             MAC as sender and one of its IPv4 addresses (any sender
 *             address for an entry without addresses; none for an entry
 *             with IPv6 addresses only); solicitations with no source
 *             link-layer address or its MAC; advertisements with no target
 *             link-layer address or its MAC, for its link-local address
 *             and its IPv6 addresses (from its MAC), or for any target for
 *             an entry without IPv6 addresses.
 *   table 75  check_out_port_sec, the packet going to the VM (reg15 = the
 *             port): per port, everything fails (80).  Per entry: frames
 *             to its MAC pass (85), but for an entry with addresses IPv4
 *             and IPv6 fail (90) unless they go (95) to one of its
 *             addresses, its subnet's broadcast address (for an address
 *             given with a prefix), 255.255.255.255 or 224.0.0.0/4 (with
 *             IPv4 addresses), its link-local address or ff00::/8 (with
 *             IPv6 addresses).
 *
 * An address with a prefix whose host bits are zero (10.0.1.0/24) allows
 * the whole subnet; with host bits (10.0.4.7/24) only that address, plus
 * the broadcast address in table 75.  These are the flows of Debian's OVN
 * 23.03 controller, but for one thing: the neighbour discovery flows of
 * table 74 that match a hop limit match 255, as neighbour discovery
 * requires (RFC 4861), where OVN 23.03's match 225 and so never match.
 *
 * A pure module: an entry that does not parse (a bad MAC or address) adds
 * no flow and a message naming the port to the caller's warnings; the
 * other entries still apply.  A port with no valid entry gets no flow,
 * so it is not restricted (as in OVN).
 */

#ifndef OVNMC_PORT_SEC_H
#define OVNMC_PORT_SEC_H 1

#include <stddef.h>
#include <stdint.h>

struct flow_table;
struct svec;
struct uuid;

/* The port whose flows are built. */
struct port_sec_port {
    const struct uuid *owner;   /* Its Port_Binding: owner of the flows. */
    const char *lport;          /* Its name, for messages. */
    uint32_t dp_key;            /* Its datapath's tunnel key. */
    uint32_t port_key;          /* Its tunnel key. */
    char **entries;             /* Port_Binding.port_security. */
    size_t n_entries;
};

/* Adds to 'flows' the port security flows of 'p', owned by p->owner.
 * Returns the number of entries that parsed. */
size_t port_sec_add_flows(const struct port_sec_port *p,
                          struct flow_table *flows, struct svec *warnings);

#endif /* controller/port-sec.h */
