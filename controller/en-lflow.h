/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "lflow_output": the logical flows' desired OpenFlow flows.
 *
 * What the spec says (ovn-architecture(7), "Logical Flows" and
 * "Architectural Physical Life Cycle of a Packet"; ovn-sb(5),
 * Logical_Flow): the chassis translates the logical flows of the
 * datapaths it runs into OpenFlow, logical ingress table N into OpenFlow
 * table 8+N and egress table N into 42+N, each flow's cookie the first 32
 * bits of its UUID.  What we do: controller/lflow.c compiles each flow
 * with lib/lflow-compile.h on its local datapaths, all at once (a flow of
 * a Logical_DP_Group shares what does not depend on the datapath); this
 * node feeds it and keeps the result as its data, a struct flow_table
 * that ofctrl installs and the consistency check compares.  A flow that
 * fails to compile is logged once, counted, listed by "lflow/errors" and
 * skipped; "lflow/show" lists a datapath's flows with their OpenFlow
 * flows (lflow-show.h).
 *
 * What triggers work, and what it redoes (each logical flow's OpenFlow
 * flows are owned by its UUID, so compiling it again touches only its
 * own flows, and those that come out unchanged are not reinstalled):
 *
 *   - SB Logical_Flow: the flows added, deleted or changed.
 *   - SB Logical_DP_Group: the flows of a group whose local members
 *     changed.
 *   - runtime_data: for a datapath that became local, its flows (its own
 *     and its groups'); for one that stopped being local or whose key
 *     changed, the flows compiled on it; for a port bound or released
 *     here (or whose role changed), the flows that name it or ask
 *     is_chassis_resident() about it, and those that use a port group it
 *     is in (its local members changed).  When runtime_data recomputed,
 *     the node compares its own record of the datapaths and bindings
 *     with runtime_data's, and still redoes only what differs.
 *   - SB Address_Set, Port_Group: the flows that use a changed set.
 *   - SB Port_Binding: the flows that name (or reach through a port
 *     group) a port added, deleted, or whose name, key, datapath, type or
 *     chassis changed; other columns are ignored.
 *   - SB Multicast_Group: the flows that name a group added, deleted, or
 *     whose name, key or datapath changed.
 *   - SB Chassis_Template_Var: the flows that use a variable of our
 *     chassis that changed.
 *   - SB Meter, Meter_Band: only the meter declarations.
 *   - ovs_config: nothing, unless the system-id changed (recompute).
 *   - SB DHCP_Options, DHCPv6_Options: recompute (their definitions
 *     change the parse of any flow; northd writes them once).
 *
 * Nothing else recomputes.  A change of one address in a set compiles
 * again every flow that uses the set (the set is not diffed: a flow is
 * the unit of compilation), but only the OpenFlow flows that differ reach
 * the switch.
 */

#ifndef OVNMC_EN_LFLOW_H
#define OVNMC_EN_LFLOW_H 1

#include "controller/flow-table.h"
#include "controller/lflow.h"
#include "lib/engine.h"

struct ovsdb_idl_index;

/* The node's inputs, given to engine_add_node() (copied by init()). */
struct en_lflow_inputs {
    struct engine_node *runtime_data;        /* Handler (wire it first). */
    struct engine_node *ovs_config;          /* Handler. */
    struct engine_node *sb_logical_flow;     /* Handler. */
    struct engine_node *sb_logical_dp_group; /* Handler. */
    struct engine_node *sb_address_set;      /* Handler. */
    struct engine_node *sb_port_group;       /* Handler. */
    struct engine_node *sb_port_binding;     /* Handler. */
    struct engine_node *sb_multicast_group;  /* Handler. */
    struct engine_node *sb_chassis_template_var; /* Handler. */
    struct engine_node *sb_meter;            /* Handler. */
    struct engine_node *sb_meter_band;       /* Handler (the meter one). */
    struct engine_node *sb_dhcp_options;     /* Recompute. */
    struct engine_node *sb_dhcpv6_options;   /* Recompute. */
    struct ovsdb_idl_index *lflow_by_dp;     /* Logical_Flow by
                                              * logical_datapath. */
    struct ovsdb_idl_index *lflow_by_dpg;    /* Logical_Flow by
                                              * logical_dp_group. */
    struct ovsdb_idl_index *mg_by_name_dp;   /* Multicast_Group by name,
                                              * datapath. */
};

/* The node's data. */
struct en_lflow_data {
    struct en_lflow_inputs in;
    struct lflow_state state;   /* The flows and their bookkeeping. */
    char *chassis;              /* The system-id compiled for. */
    bool must_recompute;        /* "lflow/share-datapaths" changed how
                                 * flows compile: the next change
                                 * recomputes. */
};

extern const struct engine_node_class en_lflow_class;
enum engine_input_result en_lflow_runtime_data_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_lflow_ovs_config_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_lflow_sb_logical_flow_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_lflow_sb_logical_dp_group_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_lflow_sb_address_set_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_lflow_sb_port_group_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_lflow_sb_port_binding_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_lflow_sb_multicast_group_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_lflow_sb_chassis_template_var_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_lflow_sb_meter_handler(
    struct engine_node *, void *data, const struct engine_context *);

/* Returns the desired flows of 'data' (an lflow_output node's data). */
struct flow_table *en_lflow_get_flows(void *data);

/* Registers "lflow/show" and "lflow/errors" for 'node' (an lflow_output
 * node, which must outlive them). */
void en_lflow_register_commands(struct engine_node *node);

#endif /* controller/en-lflow.h */
