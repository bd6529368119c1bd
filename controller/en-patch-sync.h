/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "patch_sync": the patch ports that join the integration
 * bridge to the provider bridges of "ovn-bridge-mappings", one pair per
 * localnet port of a local datapath and per l2gateway port claimed here.
 *
 * What the spec says (ovn-controller(8), ovn-architecture(7)): each
 * localnet logical port is implemented as a pair of patch ports, one in
 * the integration bridge, one in the bridge that ovn-bridge-mappings maps
 * the port's options:network_name to, both with external_ids
 * ovn-localnet-port (ovn-l2gateway-port for l2gateway ports) naming the
 * logical port.  What we do: the same, with Debian's port names
 * (controller/patch-sync.h), reconciled by mark and sweep in the OVS
 * transaction, once per iteration (like tunnel_sync: a reconciliation is
 * a run(), never a handler).  A mapping whose bridge does not exist gets a
 * warning naming the mapping and the bridge, once each time the set of
 * missing bridges changes; nothing else is disturbed, and the pair is
 * made when the bridge appears.  After a restart, pairs that look stale
 * are kept until the SB monitor holds what is local (the local datapaths
 * are known before their localnet ports arrive); they go at the next
 * change that concerns patch ports.
 *
 * What triggers work: the local datapaths or their localnet ports
 * changing, an l2gateway port claimed or released, a localnet or
 * l2gateway Port_Binding changing, the mappings or the integration bridge
 * changing, a bridge appearing or going, and a change of one of our
 * ports.  VIFs and tunnels coming and going do not.
 */

#ifndef OVNMC_EN_PATCH_SYNC_H
#define OVNMC_EN_PATCH_SYNC_H 1

#include <stdbool.h>
#include "controller/patch-sync.h"
#include "lib/engine.h"
#include "sset.h"

struct idl_columns;
struct sb_monitor_state;

/* Inputs of "patch_sync". */
struct en_patch_sync_inputs {
    struct engine_node *ovs_config;         /* Handler: the mappings. */
    struct engine_node *integration_bridge; /* Recompute. */
    struct engine_node *runtime_data;       /* Handler. */
    struct engine_node *sb_port_binding;    /* Handler. */
    struct engine_node *ovs_bridge;         /* Handler. */
    struct engine_node *ovs_port;           /* Handler. */
    struct engine_node *ovs_interface;      /* Handler. */
    const struct sb_monitor_state *sb_monitor; /* Not a node: until the SB
                                             * holds what is local, stale
                                             * pairs are not deleted. */
};

/* The data of "patch_sync". */
struct en_patch_sync_data {
    struct en_patch_sync_inputs in;
    struct patch_sync sync;     /* Reconciler state. */
    struct patch_sync_stats stats; /* What the last run did. */
    struct sset plan;           /* Its changes, for the check. */
    bool busy;                  /* Shadow run while our transaction is in
                                 * flight. */
    char *mappings;             /* The bridge mappings last used. */
    bool settled;               /* sb_monitor_settled() in the last run:
                                 * when it flips, a handler asks for a
                                 * recompute (stale-looking pairs may go,
                                 * and no input change says so). */
    struct sset missing;        /* "NETWORK:BRIDGE" of the mappings whose
                                 * bridge is missing, as last warned. */
};

extern const struct engine_node_class en_patch_sync_class;

enum engine_input_result en_patch_sync_ovs_config_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_patch_sync_runtime_data_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_patch_sync_sb_port_binding_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_patch_sync_ovs_bridge_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_patch_sync_ovs_port_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_patch_sync_ovs_interface_handler(
    struct engine_node *, void *data, const struct engine_context *);

/* Declares the local OVS database columns the node uses. */
void en_patch_sync_declare_columns(struct idl_columns *cols);

#endif /* controller/en-patch-sync.h */
