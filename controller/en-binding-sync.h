/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "binding_sync": writes what runtime_data and ct_zones decided
 * to the databases.
 *
 * SB: Port_Binding.chassis / encap (main chassis), additional_chassis /
 * additional_encap (live migration), up.  OVS: the VIF's
 * external_ids:ovn-installed and ovn-installed-ts, and the integration
 * bridge's ct-zone-* external_ids.
 *
 * Readiness: Port_Binding.up and ovn-installed are written only once the
 * claim is committed and the port's flows are in the switch: the latest
 * generation of its physical flows (flow_table_owner_gen() of the
 * pflow_output table, owner the Port_Binding) is one that ofctrl reports
 * installed.  A claim taken over from another chassis first sets up to
 * false.  Writes happen only when the engine
 * context has transactions and it is not a shadow run.  The node's data
 * is, for every claimed port, its status (binding.h's state machine,
 * derived from what the databases show) and the values we write for it
 * (role, encap, VIF), so that the consistency check compares what an
 * incremental run wrote with what a recompute would write.
 */

#ifndef OVNMC_EN_BINDING_SYNC_H
#define OVNMC_EN_BINDING_SYNC_H 1

struct idl_columns;

#include "lib/engine.h"
#include "openvswitch/shash.h"

/* The node's inputs, given to engine_add_node() as its 'arg'. */
struct en_binding_sync_inputs {
    struct engine_node *runtime_data;       /* Handler below. */
    struct engine_node *ct_zones;           /* Handler below. */
    struct engine_node *ovs_config;         /* Handler below. */
    struct engine_node *integration_bridge; /* NULL handler. */
    struct engine_node *ovs_bridge;         /* engine_noop_handler. */
    struct engine_node *ovs_interface;      /* Handler below. */
    struct engine_node *sb_chassis;         /* Handler below. */
    struct engine_node *sb_encap;           /* Handler below. */
    struct engine_node *sb_port_binding;    /* Handler below. */
    struct engine_node *pflow;              /* Handler below. */
    struct engine_node *ofctrl_installed;   /* Handler below. */
    struct engine_node *chassis;            /* Handler below: it writes our
                                             * Chassis and Encap rows, which
                                             * the claims refer to, first. */
};

/* The node's data. */
struct en_binding_sync_data {
    struct en_binding_sync_inputs in;
    struct shash wants;         /* lport -> malloc'd description of what
                                 * we hold and write for every claimed
                                 * port: "STATE ROLE encap=IP iface=NAME"
                                 * (the consistency check compares it). */
    char *system_id;            /* The system-id our chassis row was
                                 * looked up by in the last run. */
};

extern const struct engine_node_class en_binding_sync_class;
enum engine_input_result en_binding_sync_runtime_data_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_binding_sync_ct_zones_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_binding_sync_ovs_interface_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_binding_sync_sb_port_binding_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_binding_sync_ovs_config_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_binding_sync_sb_chassis_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_binding_sync_sb_encap_handler(
    struct engine_node *, void *data, const struct engine_context *);
/* For "pflow_output" and "ofctrl_installed": the ports not up yet may now
 * have their flows in the switch. */
enum engine_input_result en_binding_sync_flows_handler(
    struct engine_node *, void *data, const struct engine_context *);
/* For "chassis": our rows changed; every claim is synced again. */
enum engine_input_result en_binding_sync_chassis_handler(
    struct engine_node *, void *data, const struct engine_context *);

/* Declares to 'cols' the local OVS database columns this node uses (see
 * controller/idl-columns.h). */
void en_binding_sync_declare_columns(struct idl_columns *cols);

#endif /* controller/en-binding-sync.h */
