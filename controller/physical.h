/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The physical pipeline: the OpenFlow flows that join the logical pipeline
 * to the ports of the integration bridge (Documentation/architecture.rst,
 * sections 5 and 6; ovn-architecture(7), "Architectural Physical Life
 * Cycle of a Packet").
 *
 *   table 0    physical to logical: a local VIF, a container (by VLAN
 *              tag) or a tunnel becomes a logical datapath and port; a VIF
 *              also loads its conntrack zone and its Encap-ID (the index
 *              of its local encap IP, the default being 0) into reg13.
 *   table 37   large packets: nothing to check yet, on to 39.
 *   table 39   remote output, stage one: a port bound on another chassis
 *              sets the tunnel metadata and its endpoint (the remote encap
 *              IP, as tun_dst or tun_ipv6_dst) once, and goes to table 80;
 *              multicast groups send one copy per remote chassis the same
 *              way; HA (chassisredirect) ports bundle their members.
 *   table 80   remote output, stage two: (endpoint, Encap-ID) -> the tunnel
 *              port whose local IP is that Encap-ID's and remote IP the
 *              endpoint's (or, with no tunnel for that pair, the lowest
 *              Encap-ID that has one); in flow-based mode, Encap-ID -> set
 *              tun_src and output on the type's single port.
 *   table 40   local output: a local port loads its zone and goes on to the
 *              loopback check; a multicast group visits its local members.
 *   table 41   loopback check, then the registers are cleared for egress.
 *   table 64   output to the ingress OpenFlow port when loopback is
 *              allowed (and always for containers, which share it).
 *   table 65   logical to physical: output on the VIF (pushing a
 *              container's tag) or on a localnet port's patch port to its
 *              provider bridge (pushing its VLAN tag), or, for a patch
 *              port, re-enter ingress on the peer datapath.
 *
 * Provider networks (section 9.1 of the architecture page): a localnet
 * port (or an l2gateway port claimed here) with a patch port is a local
 * port: table 0 takes its traffic from the patch port (by VLAN tag, which
 * it strips, or untagged), tables 40, 41 and 65 deliver to it.  On a
 * switch that has one, a port bound on another chassis is reached through
 * the localnet port (table 40 rewrites the output port) rather than a
 * tunnel, and a multicast group sends no tunnel copies.  On a VLAN
 * (tagged) localnet switch behind a distributed router, with
 * ovn-chassis-mac-mappings, table 65 puts this chassis's MAC for the
 * network as the source of routed packets (the router port's MAC back
 * after the output), and table 0 takes the routed packets of the other
 * chassis (their MACs as source) as coming from the router port.  The
 * Encap-ID in reg13[16..31] survives that crossing, so routed traffic
 * still leaves through the source VIF's NIC.
 *
 * NIC failover (section 5.7 of the architecture page), when BFD runs on
 * every tunnel: table 0 gives a VIF pinned to a dead local IP the
 * default's Encap-ID (or the lowest live one); table 80 avoids a tunnel
 * whose session is down, for another endpoint of the same chassis from
 * the same NIC, else the same endpoint from another NIC; an HA bundle
 * lists, per member, every path to it after the preferred one, so OVS
 * itself skips a dead one.
 *
 * So remote output costs P + E x endpoints flows (P remote ports, E local
 * encap IPs), or P + E in flow-based mode, where upstream's costs E x P.
 *
 * Every flow is owned by the row it comes from (flow-table.h): a
 * Port_Binding, a Multicast_Group, a remote chassis (its table 80 flows and
 * the decapsulation flows of its tunnels, owner physical_peer_owner()),
 * a flow-based tunnel port, or the fixed flows (PHYSICAL_STATIC_OWNER).
 * The cookie of a flow is the first 32 bits of its owner's UUID.
 *
 * A pure module: it reads the rows and structures it is given and adds
 * flows; bad input (a tunnel key too wide for VXLAN, a remote port whose
 * chassis has no tunnel) skips the row's flows and is reported to the
 * caller as a message, never logged here.
 */

#ifndef OVNMC_PHYSICAL_H
#define OVNMC_PHYSICAL_H 1

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/meta-flow.h"
#include "openvswitch/uuid.h"

struct chassis_config;
struct ct_zones;
struct ed_runtime_data;
struct flow_table;
struct ha_state;
struct ovsdb_idl;
struct sset;
struct sbrec_chassis;
struct sbrec_multicast_group;
struct sbrec_port_binding;
struct simap;
struct svec;
struct tunnel_mesh;
struct tunnel_mesh_peer;

/* Everything the flows are computed from.  Nothing is owned. */
struct physical_ctx {
    const struct chassis_config *cfg;   /* Local encap IPs in Encap-ID
                                         * order; flow-based mode. */
    const char *chassis_name;           /* Our system-id; NULL if none. */
    const struct ed_runtime_data *rtd;  /* Bindings, local datapaths. */
    const struct ct_zones *zones;       /* Conntrack zones. */
    const struct tunnel_mesh *mesh;     /* Tunnels to the other chassis. */
    const struct simap *tunnel_ofports; /* Mesh port key -> ofport. */
    const struct simap *patch_ofports;  /* Localnet or l2gateway port ->
                                         * ofport of its patch port on the
                                         * integration bridge (NULL:
                                         * none). */
    enum mf_field_id geneve_field;      /* Where the Geneve option is
                                         * (MFF_N_IDS: not known yet; no
                                         * Geneve flows then). */
    struct ovsdb_idl *sb_idl;           /* Rows looked up by UUID. */
    struct ovsdb_idl_index *pb_by_datapath; /* SB Port_Binding by datapath
                                         * (NULL: no chassis MAC flows). */

    /* Liveness as BFD sees it (controller/en-ha.h); NULL: all live. */
    const struct ha_state *ha;          /* Gateway members: an HA bundle
                                         * lists the live ones. */
    const bool *nic_live;               /* NIC failover: per Encap-ID,
                                         * false if every tunnel from that
                                         * local IP is down (NULL: off). */
    size_t n_nics;
    const struct sset *dead_paths;      /* NIC failover: ids of the
                                         * tunnels whose BFD session is
                                         * down (NULL: off). */
    struct svec *warnings;              /* Problems found are appended
                                         * here, one message each. */
};

/* The owner of the flows that do not depend on any row. */
extern const struct uuid PHYSICAL_STATIC_OWNER;

/* Stores in 'owner' the owner of the flows of the remote chassis named
 * 'chassis' (its table 80 flows and its tunnels' decapsulation flows): a
 * UUID derived from the name, so that it needs no SB row. */
void physical_peer_owner(const char *chassis, struct uuid *owner);

/* Stores in 'owner' the owner of the flows of flow-based tunnel port
 * 'key'. */
void physical_port_owner(const char *key, struct uuid *owner);

/* Adds the fixed flows (table defaults) to 'table'. */
void physical_add_static(const struct physical_ctx *ctx,
                         struct flow_table *table);

/* Adds every flow of Port_Binding 'pb' (whose datapath must be local):
 * a local port's tables 0, 40, 41, 64 and 65, a patch port's, a remote
 * port's table 39 flow.  Replaces nothing: remove the owner's flows
 * first. */
void physical_add_port(const struct physical_ctx *ctx,
                       const struct sbrec_port_binding *pb,
                       struct flow_table *table);

/* Adds the flows of multicast group 'mg' (whose datapath must be local):
 * tables 39 and 40. */
void physical_add_mcast(const struct physical_ctx *ctx,
                        const struct sbrec_multicast_group *mg,
                        struct flow_table *table);

/* Adds the flows owned by remote chassis 'peer': the decapsulation flow of
 * each of its tunnel ports (port-based mode) and table 80's flows for each
 * of its endpoints. */
void physical_add_peer(const struct physical_ctx *ctx,
                       const struct tunnel_mesh_peer *peer,
                       struct flow_table *table);

/* Adds the flows of the flow-based tunnel ports: decapsulation, and table
 * 80's (or 81's) Encap-ID flows.  Nothing in port-based mode. */
void physical_add_flow_based(const struct physical_ctx *ctx,
                             struct flow_table *table);

/* Returns the Encap-ID that packets from a VIF pinned to 'encap_id' carry
 * under NIC failover: 'encap_id' if it is live, else the default (0) if
 * live, else the lowest live one, else 'encap_id'. */
unsigned int physical_steer_encap_id(const struct physical_ctx *ctx,
                                     unsigned int encap_id);

/* Returns the chassis that a remote port's traffic goes to, or NULL: the
 * main chassis of 'pb' when it is not us.  For the callers' indexes. */
const struct sbrec_chassis *physical_remote_chassis(
    const struct physical_ctx *ctx, const struct sbrec_port_binding *pb);

#endif /* controller/physical.h */
