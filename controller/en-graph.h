/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The engine graph of the daemon: which nodes exist and how they are wired.
 * See en-graph.c for the picture and for how to add a node.
 */

#ifndef OVNMC_EN_GRAPH_H
#define OVNMC_EN_GRAPH_H 1

#include "controller/en-binding-sync.h"
#include "controller/en-chassis.h"
#include "controller/en-ct-zones.h"
#include "controller/en-fdb.h"
#include "controller/en-lb-hairpin.h"
#include "controller/en-mac-binding.h"
#include "controller/en-port-sec.h"
#include "controller/en-integration-bridge.h"
#include "controller/en-lflow.h"
#include "controller/en-nb-cfg.h"
#include "controller/en-ovs-config.h"
#include "controller/en-runtime-data.h"
#include "controller/en-bfd-status.h"
#include "controller/en-ha.h"
#include "controller/en-patch-sync.h"
#include "controller/en-pflow.h"
#include "controller/en-pinctrl-meters.h"
#include "controller/en-tunnel-ofports.h"
#include "controller/en-tunnel-sync.h"
#include "controller/en-tunnels.h"
#include "controller/encap-show.h"
#include "controller/sb-monitor.h"

struct chassis_config;
struct flow_table;
struct ofctrl;
struct engine;
struct engine_node;
struct ovsdb_idl;

/* The built graph: the engine and a typed handle on every node, plus the
 * input lists that the derived nodes' init() copies. */
struct en_graph {
    struct engine *engine;

    /* Leaves: tables of the local OVS database. */
    struct engine_node *ovs_open_vswitch;
    struct engine_node *ovs_bridge;
    struct engine_node *ovs_port;
    struct engine_node *ovs_interface;

    /* Leaves: tables of the southbound database. */
    struct engine_node *sb_sb_global;
    struct engine_node *sb_chassis;
    struct engine_node *sb_chassis_private;
    struct engine_node *sb_encap;
    struct engine_node *sb_port_binding;
    struct engine_node *sb_datapath_binding;
    struct engine_node *sb_gateway_chassis;
    struct engine_node *sb_ha_chassis_group;
    struct engine_node *sb_ha_chassis;
    struct engine_node *sb_multicast_group;
    struct engine_node *sb_mac_binding;
    struct engine_node *sb_static_mac_binding;
    struct engine_node *sb_fdb;
    struct engine_node *sb_load_balancer;
    struct engine_node *sb_logical_dp_group;

    /* Leaves over ofctrl. */
    struct engine_node *mff_ovn_geneve;
    struct engine_node *ofctrl_installed;
    struct engine_node *nb_cfg_delay_leaf; /* Over 'nb_cfg_delay'. */

    /* Derived nodes. */
    struct engine_node *ovs_config;
    struct engine_node *integration_bridge;
    struct engine_node *chassis;
    struct engine_node *nb_cfg;
    struct engine_node *runtime_data;
    struct engine_node *ct_zones;
    struct engine_node *binding_sync;
    struct engine_node *tunnels;
    struct engine_node *tunnel_sync;
    struct engine_node *patch_sync;
    struct engine_node *bfd_status;
    struct engine_node *ha;
    struct engine_node *tunnel_ofports;
    struct engine_node *pflow;
    struct engine_node *mac_binding;
    struct engine_node *fdb;
    struct engine_node *lb_hairpin;
    struct engine_node *port_sec;
    struct engine_node *lflow;
    struct engine_node *pinctrl_meters;

    /* Inputs of the derived nodes (arguments of their init()). */
    struct en_ovs_config_inputs ovs_config_in;
    struct en_integration_bridge_inputs integration_bridge_in;
    struct en_chassis_inputs chassis_in;
    struct en_nb_cfg_inputs nb_cfg_in;
    struct en_runtime_data_inputs runtime_data_in;
    struct en_ct_zones_inputs ct_zones_in;
    struct en_binding_sync_inputs binding_sync_in;

    bool sb_monitor_set;        /* en_graph_update_sb_monitor() ran. */
    unsigned int sb_cond_seqno; /* ...and the condition seqno it awaits. */
    bool sb_was_connected;      /* The SB IDL was connected when it ran. */
    struct sb_monitor_state sb_monitor; /* The same, for patch_sync. */
    struct en_tunnels_inputs tunnels_in;
    struct en_tunnel_sync_inputs tunnel_sync_in;
    struct en_patch_sync_inputs patch_sync_in;
    struct en_ha_inputs ha_in;
    struct en_tunnel_ofports_inputs tunnel_ofports_in;
    struct en_pflow_inputs pflow_in;
    struct en_mac_binding_inputs mac_binding_in;
    struct en_fdb_inputs fdb_in;
    struct en_lb_hairpin_inputs lb_hairpin_in;
    struct en_port_sec_inputs port_sec_in;
    struct en_lflow_inputs lflow_in;
    struct en_pinctrl_meters_inputs pinctrl_meters_in;

    struct ofctrl *ofctrl;      /* Not owned. */

    struct encap_show encap_show; /* What "encap/show" reads. */
    struct en_nb_cfg_delay nb_cfg_delay; /* "debug/delay-nb-cfg-report". */
    struct inject_pkt *inject_pkt;  /* "inject-pkt". */
    struct en_ovs_config_last_good ovs_config_last_good; /* See
                                 * en-ovs-config.h. */
    char *chassis_name;         /* "-n NAME": overrides system-id; NULL if
                                 * not given (en_graph_set_chassis_name()). */
};

/* Makes 'name' (copied; NULL for none) the chassis name, overriding
 * external_ids:system-id (the "-n" option).  Call before the first run. */
void en_graph_set_chassis_name(struct en_graph *, const char *name);

/* Registers with the IDLs the tables and columns that the nodes read and
 * write, with change tracking.  Call before the IDLs first connect. */
void en_graph_register_idl(struct ovsdb_idl *ovs_idl,
                           struct ovsdb_idl *sb_idl);

/* Builds and initializes the graph over 'ovs_idl', 'sb_idl' and 'ofctrl'
 * (not owned; they must outlive the graph), and registers
 * "ofctrl/dump-desired". */
struct en_graph *en_graph_create(struct ovsdb_idl *ovs_idl,
                                 struct ovsdb_idl *sb_idl,
                                 struct ofctrl *ofctrl);

/* The most flow tables en_graph_flow_tables() returns. */
#define EN_GRAPH_MAX_FLOW_TABLES 8

/* Stores in 'tables' (room for 'max') the desired flow tables of every
 * producer node, in the order ofctrl must merge them; returns how many. */
size_t en_graph_flow_tables(const struct en_graph *,
                            struct flow_table **tables, size_t max);

/* Destroys 'graph' and its engine.  Accepts NULL. */
void en_graph_destroy(struct en_graph *graph);

/* Sets the SB monitor conditions from what the last engine run found local
 * (all rows with ovn-monitor-all=true).  Call after every engine run,
 * before the tracked changes are cleared; it rebuilds the conditions only
 * when they may have changed, and the IDL sends one only when it differs
 * from the one in effect. */
void en_graph_update_sb_monitor(struct en_graph *,
                                struct ovsdb_idl *sb_idl);

/* True if 'sb_idl' holds every row that the conditions last set by
 * en_graph_update_sb_monitor() select: the server acknowledged them (or
 * the IDL reconnected since, which requests them again).  Until then, a
 * row that is about to arrive may be missing from the engine's view. */
bool en_graph_sb_monitor_settled(const struct en_graph *,
                                 const struct ovsdb_idl *sb_idl);

/* Returns the configuration the "ovs_config" node parsed last. */
const struct chassis_config *en_graph_config(const struct en_graph *);

#endif /* controller/en-graph.h */
