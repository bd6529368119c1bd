/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "tunnel_sync": the tunnel ports on the integration bridge
 * that carry the mesh of the node "tunnels" (en-tunnels.h).
 *
 * What the spec says: stale ports go, legacy ports are adopted, foreign
 * ports are never touched (Documentation/architecture.rst, section 5.3).
 *
 * What we do: reconcile the bridge with the mesh (controller/
 * tunnel-sync.c) in the OVS transaction, once per engine iteration: a
 * reconciliation compares the whole bridge with the whole mesh and writes
 * only the differences, and a second one in the same transaction would not
 * see the first one's writes, so it is always a single run() and never a
 * change handler.  The node's data is the reconciler's state and what the
 * last reconciliation did (or, in a consistency check, would still do:
 * after an incremental run that decided nothing was needed, a recompute
 * must find nothing to change but what our transaction in flight
 * carries).  "encap/show" (controller/encap-show.c)
 * reports it all.
 *
 * What triggers work: a changed mesh or integration bridge, a new
 * system-id, and the changes of the OVS database that concern our ports
 * (tunnel_sync_port_needs_sync() and its siblings in tunnel-sync.h): one
 * of our ports or its interface's type or options, a port that carries our
 * mark, a bridge that we own, or the integration bridge losing one of our
 * ports.  Everything else is handled without work: VIFs coming and going,
 * ovn-installed and ct-zone writes, ofport and link state updates
 * (encap/show reads those live).
 */

#ifndef OVNMC_EN_TUNNEL_SYNC_H
#define OVNMC_EN_TUNNEL_SYNC_H 1

#include <stdbool.h>
#include "controller/tunnel-sync.h"
#include "sset.h"
#include "lib/engine.h"

struct idl_columns;
struct ovsdb_idl_txn;

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
    struct sset plan;           /* Its changes (tunnel_sync_run()'s
                                 * 'plan_desc'), for the consistency
                                 * check. */
    bool busy;                  /* Shadow run only: planned while our OVS
                                 * transaction was in flight. */
};

extern const struct engine_node_class en_tunnel_sync_class;

/* For "exit" (without --restart): adds to 'txn' the deletion of every
 * tunnel port of ours on the integration bridge known to 'node' (a
 * "tunnel_sync" node), as Debian's controller removes its tunnels when it
 * leaves.  Returns true if there was one to delete. */
bool en_tunnel_sync_remove_ports(const struct engine_node *node,
                                 struct ovsdb_idl_txn *txn);

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

/* Declares to 'cols' the local OVS database columns this node uses (see
 * controller/idl-columns.h). */
void en_tunnel_sync_declare_columns(struct idl_columns *cols);

#endif /* controller/en-tunnel-sync.h */
