/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "pflow_output": the physical pipeline's desired flows.
 *
 * What the spec says (ovn-architecture(7), "Architectural Physical Life
 * Cycle of a Packet"; Documentation/architecture.rst, sections 5 and 6):
 * tables 0, 37 to 41, 64, 65 and our tables 80 and 81 join the logical
 * pipeline to br-int's ports and tunnels.  What we do: controller/
 * physical.c computes each row's flows; this node feeds it and keeps the
 * result as its data, a struct flow_table that ofctrl installs and the
 * consistency check compares.
 *
 * What triggers work, and what it redoes (each row's flows are owned by
 * the row, so a change touches only its owner's flows):
 *
 *   - runtime_data: the tracked ports (bound, released, a new ofport or
 *     pin) and the multicast groups of their datapath; the ports and
 *     groups of a datapath that became local or stopped being local.
 *   - ct_zones: the ports whose zone changed, and the groups of their
 *     datapath (a router's zones changing recomputes).
 *   - tunnels and tunnel_ofports: each tracked peer's flows (table 80,
 *     decapsulation), and the ports and groups that send to it; a tunnel
 *     port's new ofport likewise.
 *   - SB Port_Binding and Multicast_Group: the changed rows on local
 *     datapaths (and a patch port's peer).
 *   - SB Chassis: a chassis MAC mapping redoes the localnet ports of the
 *     local datapaths.
 *   - ha: a gateway member's liveness redoes the chassisredirect ports of
 *     the local datapaths; under NIC failover, a local NIC's liveness
 *     redoes the VIFs bound here and every peer's table 80 flows, a
 *     remote tunnel's liveness that peer's table 80 flows.
 *   - the configuration and the Geneve field recompute.
 */

#ifndef OVNMC_EN_PFLOW_H
#define OVNMC_EN_PFLOW_H 1

#include "controller/flow-table.h"
#include "lib/engine.h"
#include "openvswitch/shash.h"

struct ovsdb_idl_index;

/* The node's inputs, given to engine_add_node() (copied by init()). */
struct en_pflow_inputs {
    struct engine_node *ovs_config;          /* Recompute. */
    struct engine_node *runtime_data;        /* Handler. */
    struct engine_node *ct_zones;            /* Handler. */
    struct engine_node *tunnels;             /* Handler. */
    struct engine_node *tunnel_ofports;      /* Handler. */
    struct engine_node *mff_ovn_geneve;      /* Recompute. */
    struct engine_node *sb_port_binding;     /* Handler. */
    struct engine_node *sb_multicast_group;  /* Handler. */
    struct engine_node *ha;                  /* Handler; may be NULL. */
    struct engine_node *sb_chassis;          /* Handler; may be NULL. */
    struct ovsdb_idl_index *pb_by_datapath;  /* SB Port_Binding index. */
    struct ovsdb_idl_index *mg_by_datapath;  /* SB Multicast_Group index. */
};

/* The node's data. */
struct en_pflow_data {
    struct en_pflow_inputs in;
    struct flow_table flows;    /* The desired flows. */
    struct shash deps;          /* Remote chassis name -> struct uuidset *
                                 * of the owners (Port_Bindings,
                                 * Multicast_Groups) whose flows send to
                                 * it.  May hold stale entries until the
                                 * next recompute: they only cost an extra
                                 * rebuild. */
};

extern const struct engine_node_class en_pflow_class;
enum engine_input_result en_pflow_runtime_data_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_pflow_ct_zones_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_pflow_tunnels_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_pflow_tunnel_ofports_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_pflow_sb_port_binding_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_pflow_sb_multicast_group_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_pflow_sb_chassis_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_pflow_ha_handler(
    struct engine_node *, void *data, const struct engine_context *);

/* Returns the desired flows of 'data' (a pflow_output node's data). */
struct flow_table *en_pflow_get_flows(void *data);

#endif /* controller/en-pflow.h */
