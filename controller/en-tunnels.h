/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine nodes "tunnels" and "tunnel_sync": the tunnel mesh to the other
 * chassis, and the tunnel ports on the integration bridge that carry it.
 *
 * What the spec says (Documentation/architecture.rst, section 5.3): for each
 * remote chassis in a shared transport zone, with the best shared type
 * (geneve over vxlan), one tunnel port per (remote encap IP, local encap
 * IP) in the same plane, with options remote_ip, local_ip, key=flow, csum
 * and dst_port from the remote Encap, tos and df_default from the local
 * config, marked with Port external_ids:ovn-chassis-id; or, in flow-based
 * mode, one port per type.  Stale ports go, legacy ports are adopted,
 * foreign ports are never touched.
 *
 * What we do: "tunnels" computes the desired mesh (controller/tunnel-mesh.c)
 * and logs misconfigured remote encaps, rate-limited, naming the chassis;
 * its data is the mesh, which the consistency check compares.
 * "tunnel_sync" reconciles the bridge with the mesh (controller/
 * tunnel-sync.c) in the OVS transaction, once per engine iteration: a
 * reconciliation compares the whole bridge with the whole mesh and writes
 * only the differences, and a second one in the same transaction would not
 * see the first one's writes, so it is always a single run() and never a
 * change handler.  "encap/show" (controller/encap-show.c) reports it all.
 *
 * What triggers work: for "tunnels", the configuration recomputes; a
 * changed SB Chassis or Encap row recomputes only the peer it belongs to (a
 * duplicate (IP, type) involved, or a renamed chassis, recomputes
 * everything).  For "tunnel_sync": a changed mesh or integration bridge, a
 * new system-id, and the changes of the OVS database that concern our
 * ports (tunnel_sync_port_needs_sync() and its siblings in tunnel-sync.h):
 * one of our ports or its interface's type or options, a port that
 * carries our mark, a bridge that we own, or the integration bridge losing
 * one of our ports.  Everything else is handled without work: VIFs coming
 * and going, ovn-installed and ct-zone writes, ofport and link state
 * updates (encap/show reads those live).
 */

#ifndef OVNMC_EN_TUNNELS_H
#define OVNMC_EN_TUNNELS_H 1

#include <stdbool.h>
#include "controller/tunnel-mesh.h"
#include "controller/tunnel-sync.h"
#include "lib/engine.h"

struct ovsdb_idl;

/* Inputs of "tunnels", given to engine_add_node() (copied by init()). */
struct en_tunnels_inputs {
    struct engine_node *ovs_config;         /* Node "ovs_config". */
    struct engine_node *sb_chassis;         /* SB Chassis table. */
    struct engine_node *sb_encap;           /* SB Encap table. */
};

/* The data of "tunnels". */
struct en_tunnels_data {
    struct en_tunnels_inputs in;
    struct tunnel_mesh *mesh;   /* The desired mesh (owned; a pointer so
                                 * that a recompute can swap it). */
    bool sb_ready;              /* The SB contents were received at least
                                 * once.  Until then 'mesh' is empty and
                                 * must not be applied: it would delete
                                 * every tunnel at each restart. */
    bool warned_flow_based;     /* The flow-based limits were logged since
                                 * the mode was last turned on. */
};

/* Inputs of "tunnel_sync", given to engine_add_node() (copied by init()). */
struct en_tunnel_sync_inputs {
    struct engine_node *tunnels;            /* Node "tunnels". */
    struct engine_node *integration_bridge; /* Node "integration_bridge". */
    struct engine_node *ovs_config;         /* Node "ovs_config" (the
                                             * system-id owns bridges). */
    struct engine_node *ovs_bridge;         /* OVS Bridge table. */
    struct engine_node *ovs_port;           /* OVS Port table. */
    struct engine_node *ovs_interface;      /* OVS Interface table. */
};

/* The data of "tunnel_sync". */
struct en_tunnel_sync_data {
    struct en_tunnel_sync_inputs in;
    struct tunnel_sync sync;    /* Reconciler state. */
    struct tunnel_sync_stats stats; /* What the last reconciliation did. */
};

extern const struct engine_node_class en_tunnels_class;
extern const struct engine_node_class en_tunnel_sync_class;

/* Registers with the OVS IDL the columns the nodes read and write beyond
 * those of the integration bridge: Interface options (tracked), ofport and
 * link_state (read by encap/show; not tracked, so that ovs-vswitchd's
 * updates do not wake the engine). */
void en_tunnels_register_idl(struct ovsdb_idl *ovs_idl);

/* Change handlers of "tunnels". */
enum engine_input_result en_tunnels_sb_chassis_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_tunnels_sb_encap_handler(
    struct engine_node *, void *data, const struct engine_context *);

/* Change handlers of "tunnel_sync" (NULL for "tunnels" and
 * "integration_bridge": their changes recompute). */
enum engine_input_result en_tunnel_sync_ovs_config_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_tunnel_sync_ovs_bridge_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_tunnel_sync_ovs_port_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_tunnel_sync_ovs_interface_handler(
    struct engine_node *, void *data, const struct engine_context *);

/* Returns the desired mesh held by 'data' (the data of "tunnels"). */
const struct tunnel_mesh *en_tunnels_get_mesh(const void *data);

#endif /* controller/en-tunnels.h */
