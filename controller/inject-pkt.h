/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * "inject-pkt MICROFLOW": as with Debian's ovn-controller (man 8
 * ovn-controller), composes the packet that MICROFLOW, an expression of
 * the logical flow language (man 5 ovn-sb), describes, and sends it into
 * the logical ingress pipeline of the integration bridge as if it came in
 * from the ingress port MICROFLOW names ("inport == NAME"), which must be
 * bound on this chassis.  Prerequisites are implied: "ip4.src == 1.2.3.4"
 * makes an IPv4 packet.  The packet goes out as an OpenFlow packet-out
 * that loads the datapath and the logical input port and resubmits to
 * table 8 (Documentation/architecture.rst, section 6).
 */

#ifndef OVNMC_INJECT_PKT_H
#define OVNMC_INJECT_PKT_H 1

struct engine_node;
struct inject_pkt;
struct ofctrl;

/* Registers "inject-pkt" over the "lflow_output" node 'lflow' (its symbol
 * table and Port_Binding input), the "runtime_data" node 'runtime_data'
 * (the local bindings) and 'ofctrl', which must outlive the returned
 * object; the caller frees it with inject_pkt_destroy() when it exits. */
struct inject_pkt *inject_pkt_create(struct engine_node *lflow,
                                     struct engine_node *runtime_data,
                                     struct ofctrl *ofctrl);
void inject_pkt_destroy(struct inject_pkt *);

#endif /* controller/inject-pkt.h */
