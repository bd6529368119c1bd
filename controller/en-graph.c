/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The engine graph of the daemon: every node and every edge, in one place.
 *
 *   OVS_open_vswitch --> ovs_config
 *   ovs_config, OVS_open_vswitch, OVS_bridge --> integration_bridge
 *   ovs_config, integration_bridge, OVS_open_vswitch (iface_types),
 *   SB_chassis, SB_chassis_private, SB_encap --> chassis
 *   chassis, SB_sb_global, SB_chassis_private --> nb_cfg
 *
 *   ovs_config, integration_bridge, OVS_bridge, OVS_port, OVS_interface,
 *   SB_port_binding, SB_datapath_binding, SB_gateway_chassis,
 *   SB_ha_chassis_group, SB_ha_chassis ----------------> runtime_data
 *   runtime_data, integration_bridge, OVS_bridge ------> ct_zones
 *   runtime_data, ct_zones, ovs_config, integration_bridge, OVS_bridge,
 *   OVS_interface, SB_chassis, SB_encap, SB_port_binding --> binding_sync
 *   binding_sync --> nb_cfg
 *   ovs_config, SB_chassis, SB_encap --> tunnels --> tunnel_sync
 *   ovs_config, integration_bridge, OVS_bridge, OVS_port,
 *   OVS_interface ------------------------------------------^
 *
 *   The lookup tables (flows for ofctrl, like pflow_output's):
 *   runtime_data, SB_port_binding, SB_mac_binding,
 *   SB_static_mac_binding --------------------------> mac_binding_output
 *   runtime_data, SB_fdb ---------------------------> fdb_output
 *   runtime_data, SB_load_balancer, SB_logical_dp_group,
 *   SB_sb_global -----------------------------------> lb_hairpin_output
 *   runtime_data, SB_port_binding ------------------> port_sec_output
 *
 *   runtime_data, ovs_config, SB_logical_flow, SB_logical_dp_group,
 *   SB_address_set, SB_port_group, SB_port_binding, SB_multicast_group,
 *   SB_chassis_template_var, SB_meter, SB_meter_band, SB_dhcp_options,
 *   SB_dhcpv6_options --------------------------------> lflow_output
 *   ovs_config, OVS_open_vswitch, lflow_output --------> pinctrl_meters
 *
 * "inc-engine/show-stats" lists the nodes; engine_format_dot() prints the
 * exact graph.
 *
 * How to add a node:
 *
 *   1. Write controller/en-NAME.[ch]: a 'struct en_NAME_inputs' with one
 *      'struct engine_node *' per input, a data struct that starts with a
 *      copy of the inputs, 'en_NAME_class' (init copies the inputs struct
 *      given as its argument; run; compare for the consistency check), and
 *      the change handlers it has, exported.
 *   2. If it reads an OVSDB table no node read yet, add a leaf below with
 *      EN_OVSDB_TABLE_CLASS() and a field in struct en_graph, and register
 *      the columns in en_graph_register_idl() (the SB IDL monitors and
 *      tracks everything already; the OVS IDL only what is registered).
 *   3. Add a field for the node and one for its inputs in struct en_graph,
 *      fill the inputs and add the node and its edges in a function below,
 *      called from en_graph_create() after the nodes it reads.
 *   4. If an acknowledgment of SB_Global.nb_cfg must wait for the node's
 *      output, make it an input of "nb_cfg" (see en-nb-cfg.h).
 *   5. Update the picture above.
 *
 * The engine reads inputs only through the input lists, so a node can only
 * read what was wired to it; engine_get_input_data() aborts on a node that
 * is not an input (a wiring error the first run exposes).
 */

#include <config.h>

#include "controller/en-graph.h"
#include "controller/inject-pkt.h"

#include "controller/binding-show.h"
#include "controller/chassis-sync.h"
#include "controller/en-binding-sync.h"
#include "controller/en-fdb.h"
#include "controller/en-lflow.h"
#include "controller/en-lb-hairpin.h"
#include "controller/en-mac-binding.h"
#include "controller/en-port-sec.h"
#include "controller/en-ofctrl.h"
#include "controller/en-pflow.h"
#include "controller/en-tunnel-ofports.h"
#include "controller/flow-table.h"
#include "openvswitch/dynamic-string.h"
#include "unixctl.h"
#include "controller/en-ct-zones.h"
#include "controller/en-ovsdb.h"
#include "controller/en-runtime-data.h"
#include "controller/idl-columns.h"
#include "controller/integration-bridge.h"
#include "controller/metrics.h"
#include "controller/sb-monitor.h"
#include "controller/ssl-config.h"
#include "lib/engine.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(en_graph);

/* Leaves. */
EN_OVSDB_TABLE_CLASS(OVS_open_vswitch, ovsrec_table_open_vswitch);
EN_OVSDB_TABLE_CLASS(OVS_bridge, ovsrec_table_bridge);
EN_OVSDB_TABLE_CLASS(OVS_port, ovsrec_table_port);
EN_OVSDB_TABLE_CLASS(OVS_interface, ovsrec_table_interface);
EN_OVSDB_TABLE_CLASS(SB_sb_global, sbrec_table_sb_global);
EN_OVSDB_TABLE_CLASS(SB_chassis, sbrec_table_chassis);
EN_OVSDB_TABLE_CLASS(SB_chassis_private, sbrec_table_chassis_private);
EN_OVSDB_TABLE_CLASS(SB_encap, sbrec_table_encap);
EN_OVSDB_TABLE_CLASS(SB_port_binding, sbrec_table_port_binding);
EN_OVSDB_TABLE_CLASS(SB_datapath_binding, sbrec_table_datapath_binding);
EN_OVSDB_TABLE_CLASS(SB_gateway_chassis, sbrec_table_gateway_chassis);
EN_OVSDB_TABLE_CLASS(SB_ha_chassis_group, sbrec_table_ha_chassis_group);
EN_OVSDB_TABLE_CLASS(SB_ha_chassis, sbrec_table_ha_chassis);
EN_OVSDB_TABLE_CLASS(SB_multicast_group, sbrec_table_multicast_group);
EN_OVSDB_TABLE_CLASS(SB_mac_binding, sbrec_table_mac_binding);
EN_OVSDB_TABLE_CLASS(SB_static_mac_binding, sbrec_table_static_mac_binding);
EN_OVSDB_TABLE_CLASS(SB_fdb, sbrec_table_fdb);
EN_OVSDB_TABLE_CLASS(SB_load_balancer, sbrec_table_load_balancer);
EN_OVSDB_TABLE_CLASS(SB_logical_dp_group, sbrec_table_logical_dp_group);

void
en_graph_register_idl(struct ovsdb_idl *ovs_idl, struct ovsdb_idl *sb_idl)
{
    /* Local OVS database: only the columns some module reads or writes, so
     * that statistics and status columns that ovs-vswitchd updates do not
     * wake us up.  Each module declares its own (idl-columns.h). */
    struct idl_columns cols;

    idl_columns_init(&cols);
    en_ovs_config_declare_columns(&cols);
    integration_bridge_declare_columns(&cols);
    en_chassis_declare_columns(&cols);
    en_runtime_data_declare_columns(&cols);
    en_ct_zones_declare_columns(&cols);
    en_binding_sync_declare_columns(&cols);
    en_nb_cfg_declare_columns(&cols);
    en_tunnel_sync_declare_columns(&cols);
    en_patch_sync_declare_columns(&cols);
    en_bfd_status_declare_columns(&cols);
    encap_show_declare_columns(&cols);
    metrics_declare_columns(&cols);
    ssl_config_declare_columns(&cols);
    idl_columns_register(&cols, ovs_idl);
    idl_columns_destroy(&cols);

    /* Southbound: the IDL was created monitoring everything. */
    ovsdb_idl_track_add_all(sb_idl);
}

static void dump_desired_cmd(struct unixctl_conn *, int argc,
                             const char *argv[], void *g_);

static void
add_leaves(struct en_graph *g, struct ovsdb_idl *ovs_idl,
           struct ovsdb_idl *sb_idl)
{
    struct engine *e = g->engine;

    g->ovs_open_vswitch = engine_add_node(e, &en_ovsdb_class_OVS_open_vswitch,
                                          ovs_idl);
    g->ovs_bridge = engine_add_node(e, &en_ovsdb_class_OVS_bridge, ovs_idl);
    g->ovs_port = engine_add_node(e, &en_ovsdb_class_OVS_port, ovs_idl);
    g->ovs_interface = engine_add_node(e, &en_ovsdb_class_OVS_interface,
                                       ovs_idl);
    g->sb_sb_global = engine_add_node(e, &en_ovsdb_class_SB_sb_global,
                                      sb_idl);
    g->sb_chassis = engine_add_node(e, &en_ovsdb_class_SB_chassis, sb_idl);
    g->sb_chassis_private = engine_add_node(
        e, &en_ovsdb_class_SB_chassis_private, sb_idl);
    g->sb_encap = engine_add_node(e, &en_ovsdb_class_SB_encap, sb_idl);
    g->sb_port_binding = engine_add_node(
        e, &en_ovsdb_class_SB_port_binding, sb_idl);
    g->sb_datapath_binding = engine_add_node(
        e, &en_ovsdb_class_SB_datapath_binding, sb_idl);
    g->sb_gateway_chassis = engine_add_node(
        e, &en_ovsdb_class_SB_gateway_chassis, sb_idl);
    g->sb_ha_chassis_group = engine_add_node(
        e, &en_ovsdb_class_SB_ha_chassis_group, sb_idl);
    g->sb_ha_chassis = engine_add_node(e, &en_ovsdb_class_SB_ha_chassis,
                                       sb_idl);
    g->sb_multicast_group = engine_add_node(
        e, &en_ovsdb_class_SB_multicast_group, sb_idl);
    g->sb_mac_binding = engine_add_node(e, &en_ovsdb_class_SB_mac_binding,
                                        sb_idl);
    g->sb_static_mac_binding = engine_add_node(
        e, &en_ovsdb_class_SB_static_mac_binding, sb_idl);
    g->sb_fdb = engine_add_node(e, &en_ovsdb_class_SB_fdb, sb_idl);
    g->sb_load_balancer = engine_add_node(
        e, &en_ovsdb_class_SB_load_balancer, sb_idl);
    g->sb_logical_dp_group = engine_add_node(
        e, &en_ovsdb_class_SB_logical_dp_group, sb_idl);
    g->mff_ovn_geneve = engine_add_node(e, &en_mff_ovn_geneve_class,
                                        g->ofctrl);
    g->ofctrl_installed = engine_add_node(e, &en_ofctrl_installed_class,
                                          g->ofctrl);
}

static void
add_ovs_config(struct en_graph *g)
{
    g->ovs_config_in = (struct en_ovs_config_inputs) {
        .ovs_open_vswitch = g->ovs_open_vswitch,
        .chassis_name = (const char *const *) &g->chassis_name,
        .last_good = &g->ovs_config_last_good,
    };
    en_ovs_config_last_good_init(&g->ovs_config_last_good);
    g->ovs_config = engine_add_node(g->engine, &en_ovs_config_class,
                                    &g->ovs_config_in);
    engine_add_input(g->ovs_config, g->ovs_open_vswitch,
                     en_ovs_config_ovs_open_vswitch_handler);
}

static void
add_integration_bridge(struct en_graph *g)
{
    struct en_integration_bridge_inputs *in = &g->integration_bridge_in;

    *in = (struct en_integration_bridge_inputs) {
        .ovs_config = g->ovs_config,
        .ovs_open_vswitch = g->ovs_open_vswitch,
        .ovs_bridge = g->ovs_bridge,
    };
    g->integration_bridge = engine_add_node(
        g->engine, &en_integration_bridge_class, in);
    engine_add_input(g->integration_bridge, in->ovs_config, NULL);
    engine_add_input(g->integration_bridge, in->ovs_open_vswitch, NULL);
    engine_add_input(g->integration_bridge, in->ovs_bridge, NULL);
}

static void
add_chassis(struct en_graph *g)
{
    struct en_chassis_inputs *in = &g->chassis_in;

    *in = (struct en_chassis_inputs) {
        .ovs_config = g->ovs_config,
        .integration_bridge = g->integration_bridge,
        .ovs_open_vswitch = g->ovs_open_vswitch,
        .sb_chassis = g->sb_chassis,
        .sb_chassis_private = g->sb_chassis_private,
        .sb_encap = g->sb_encap,
    };
    g->chassis = engine_add_node(g->engine, &en_chassis_class, in);
    engine_add_input(g->chassis, in->ovs_config, NULL);
    engine_add_input(g->chassis, in->integration_bridge, NULL);
    engine_add_input(g->chassis, in->ovs_open_vswitch,
                     en_chassis_ovs_open_vswitch_handler);
    engine_add_input(g->chassis, in->sb_chassis,
                     en_chassis_sb_chassis_handler);
    engine_add_input(g->chassis, in->sb_chassis_private,
                     en_chassis_sb_chassis_private_handler);
    engine_add_input(g->chassis, in->sb_encap, en_chassis_sb_encap_handler);
}

/* Port binding: see en-runtime-data.h, en-ct-zones.h, en-binding-sync.h. */
static void
add_runtime_data(struct en_graph *g)
{
    struct en_runtime_data_inputs *in = &g->runtime_data_in;

    *in = (struct en_runtime_data_inputs) {
        .ovs_config = g->ovs_config,
        .integration_bridge = g->integration_bridge,
        .ovs_bridge = g->ovs_bridge,
        .ovs_port = g->ovs_port,
        .ovs_interface = g->ovs_interface,
        .sb_port_binding = g->sb_port_binding,
        .sb_datapath_binding = g->sb_datapath_binding,
        .sb_gateway_chassis = g->sb_gateway_chassis,
        .sb_ha_chassis_group = g->sb_ha_chassis_group,
        .sb_ha_chassis = g->sb_ha_chassis,
    };
    g->runtime_data = engine_add_node(g->engine, &en_runtime_data_class, in);
    engine_add_input(g->runtime_data, in->ovs_config,
                     en_runtime_data_ovs_config_handler);
    engine_add_input(g->runtime_data, in->integration_bridge, NULL);
    engine_add_input(g->runtime_data, in->ovs_bridge,
                     en_runtime_data_ovs_bridge_handler);
    engine_add_input(g->runtime_data, in->ovs_port, engine_noop_handler);
    engine_add_input(g->runtime_data, in->ovs_interface,
                     en_runtime_data_ovs_interface_handler);
    engine_add_input(g->runtime_data, in->sb_port_binding,
                     en_runtime_data_sb_port_binding_handler);
    engine_add_input(g->runtime_data, in->sb_datapath_binding,
                     en_runtime_data_sb_datapath_binding_handler);
    engine_add_input(g->runtime_data, in->sb_gateway_chassis, NULL);
    engine_add_input(g->runtime_data, in->sb_ha_chassis_group, NULL);
    engine_add_input(g->runtime_data, in->sb_ha_chassis, NULL);
    binding_show_register(g->runtime_data);
}

static void
add_ct_zones(struct en_graph *g)
{
    struct en_ct_zones_inputs *in = &g->ct_zones_in;

    *in = (struct en_ct_zones_inputs) {
        .runtime_data = g->runtime_data,
        .integration_bridge = g->integration_bridge,
        .ovs_bridge = g->ovs_bridge,
    };
    g->ct_zones = engine_add_node(g->engine, &en_ct_zones_class, in);
    engine_add_input(g->ct_zones, in->runtime_data,
                     en_ct_zones_runtime_data_handler);
    engine_add_input(g->ct_zones, in->integration_bridge, NULL);
    engine_add_input(g->ct_zones, in->ovs_bridge,
                     en_ct_zones_ovs_bridge_handler);
    en_ct_zones_register_commands(g->ct_zones);
}

static void
add_binding_sync(struct en_graph *g)
{
    struct en_binding_sync_inputs *in = &g->binding_sync_in;

    *in = (struct en_binding_sync_inputs) {
        .runtime_data = g->runtime_data,
        .ct_zones = g->ct_zones,
        .ovs_config = g->ovs_config,
        .integration_bridge = g->integration_bridge,
        .ovs_bridge = g->ovs_bridge,
        .ovs_interface = g->ovs_interface,
        .sb_chassis = g->sb_chassis,
        .sb_encap = g->sb_encap,
        .sb_port_binding = g->sb_port_binding,
        .pflow = g->pflow,
        .ofctrl_installed = g->ofctrl_installed,
        .chassis = g->chassis,
    };
    g->binding_sync = engine_add_node(g->engine, &en_binding_sync_class, in);
    engine_add_input(g->binding_sync, in->ovs_config,
                     en_binding_sync_ovs_config_handler);
    engine_add_input(g->binding_sync, in->runtime_data,
                     en_binding_sync_runtime_data_handler);
    engine_add_input(g->binding_sync, in->ct_zones,
                     en_binding_sync_ct_zones_handler);
    engine_add_input(g->binding_sync, in->integration_bridge, NULL);
    engine_add_input(g->binding_sync, in->ovs_bridge, engine_noop_handler);
    engine_add_input(g->binding_sync, in->ovs_interface,
                     en_binding_sync_ovs_interface_handler);
    engine_add_input(g->binding_sync, in->sb_chassis,
                     en_binding_sync_sb_chassis_handler);
    engine_add_input(g->binding_sync, in->sb_encap,
                     en_binding_sync_sb_encap_handler);
    engine_add_input(g->binding_sync, in->sb_port_binding,
                     en_binding_sync_sb_port_binding_handler);
    engine_add_input(g->binding_sync, in->pflow,
                     en_binding_sync_flows_handler);
    engine_add_input(g->binding_sync, in->ofctrl_installed,
                     en_binding_sync_flows_handler);
    engine_add_input(g->binding_sync, in->chassis,
                     en_binding_sync_chassis_handler);
}

static void
add_nb_cfg(struct en_graph *g)
{
    struct en_nb_cfg_inputs *in = &g->nb_cfg_in;

    *in = (struct en_nb_cfg_inputs) {
        .chassis = g->chassis,
        .sb_sb_global = g->sb_sb_global,
        .sb_chassis_private = g->sb_chassis_private,
        .ofctrl_installed = g->ofctrl_installed,
        .integration_bridge = g->integration_bridge,
        .ovs_bridge = g->ovs_bridge,
        .delay_leaf = engine_add_node(g->engine, &en_nb_cfg_delay_class,
                                      &g->nb_cfg_delay),
        .delay = &g->nb_cfg_delay,
    };
    g->nb_cfg_delay_leaf = in->delay_leaf;
    g->nb_cfg = engine_add_node(g->engine, &en_nb_cfg_class, in);
    engine_add_input(g->nb_cfg, in->chassis, NULL);
    engine_add_input(g->nb_cfg, in->sb_sb_global, NULL);
    engine_add_input(g->nb_cfg, in->sb_chassis_private, NULL);
    engine_add_input(g->nb_cfg, in->ofctrl_installed, NULL);
    engine_add_input(g->nb_cfg, in->integration_bridge, NULL);
    engine_add_input(g->nb_cfg, in->ovs_bridge, NULL);
    engine_add_input(g->nb_cfg, in->delay_leaf, NULL);
    en_nb_cfg_register_commands(&g->nb_cfg_delay);
    /* Acknowledge only once the bindings of this generation are
     * written. */
    engine_add_input(g->nb_cfg, g->binding_sync, NULL);
}

/* Tunnels to the other chassis: see en-tunnels.h. */
static void
add_tunnels(struct en_graph *g)
{
    struct en_tunnels_inputs *in = &g->tunnels_in;
    struct en_tunnel_sync_inputs *sin = &g->tunnel_sync_in;

    *in = (struct en_tunnels_inputs) {
        .ovs_config = g->ovs_config,
        .sb_chassis = g->sb_chassis,
        .sb_encap = g->sb_encap,
    };
    g->tunnels = engine_add_node(g->engine, &en_tunnels_class, in);
    engine_add_input(g->tunnels, in->ovs_config, NULL);
    engine_add_input(g->tunnels, in->sb_chassis,
                     en_tunnels_sb_chassis_handler);
    engine_add_input(g->tunnels, in->sb_encap, en_tunnels_sb_encap_handler);

    *sin = (struct en_tunnel_sync_inputs) {
        .tunnels = g->tunnels,
        .integration_bridge = g->integration_bridge,
        .ovs_config = g->ovs_config,
        .ovs_bridge = g->ovs_bridge,
        .ovs_port = g->ovs_port,
        .ovs_interface = g->ovs_interface,
    };
    g->tunnel_sync = engine_add_node(g->engine, &en_tunnel_sync_class, sin);
    engine_add_input(g->tunnel_sync, sin->tunnels, NULL);
    engine_add_input(g->tunnel_sync, sin->integration_bridge, NULL);
    engine_add_input(g->tunnel_sync, sin->ovs_config,
                     en_tunnel_sync_ovs_config_handler);
    engine_add_input(g->tunnel_sync, sin->ovs_bridge,
                     en_tunnel_sync_ovs_bridge_handler);
    engine_add_input(g->tunnel_sync, sin->ovs_port,
                     en_tunnel_sync_ovs_port_handler);
    engine_add_input(g->tunnel_sync, sin->ovs_interface,
                     en_tunnel_sync_ovs_interface_handler);
}

/* Gateways and NICs as BFD sees them: see en-bfd-status.h and en-ha.h.
 * "tunnel_sync" writes the BFD the node wants, "runtime_data" claims
 * gateway ports by it. */
static void
add_ha(struct en_graph *g, struct ovsdb_idl *ovs_idl)
{
    struct en_ha_inputs *in = &g->ha_in;

    g->bfd_status = engine_add_node(g->engine, &en_bfd_status_class,
                                    ovs_idl);
    *in = (struct en_ha_inputs) {
        .ovs_config = g->ovs_config,
        .bfd_status = g->bfd_status,
        .tunnels = g->tunnels,
        .sb_sb_global = g->sb_sb_global,
        .sb_ha_chassis_group = g->sb_ha_chassis_group,
        .sb_ha_chassis = g->sb_ha_chassis,
        .sb_gateway_chassis = g->sb_gateway_chassis,
        .sb_port_binding = g->sb_port_binding,
    };
    g->ha = engine_add_node(g->engine, &en_ha_class, in);
    engine_add_input(g->ha, in->ovs_config, NULL);
    engine_add_input(g->ha, in->bfd_status, NULL);
    engine_add_input(g->ha, in->tunnels, NULL);
    engine_add_input(g->ha, in->sb_sb_global, NULL);
    engine_add_input(g->ha, in->sb_ha_chassis_group, NULL);
    engine_add_input(g->ha, in->sb_ha_chassis, NULL);
    engine_add_input(g->ha, in->sb_gateway_chassis, NULL);
    engine_add_input(g->ha, in->sb_port_binding,
                     en_ha_sb_port_binding_handler);
    en_ha_register_commands(g->ha);

    g->tunnel_sync_in.ha = g->ha;
    engine_add_input(g->tunnel_sync, g->ha, NULL);
    g->runtime_data_in.ha = g->ha;
    engine_add_input(g->runtime_data, g->ha, en_runtime_data_ha_handler);
    g->pflow_in.ha = g->ha;
    engine_add_input(g->pflow, g->ha, en_pflow_ha_handler);
}

/* Patch ports to the provider bridges: see en-patch-sync.h. */
static void
add_patch_sync(struct en_graph *g)
{
    struct en_patch_sync_inputs *in = &g->patch_sync_in;

    *in = (struct en_patch_sync_inputs) {
        .ovs_config = g->ovs_config,
        .integration_bridge = g->integration_bridge,
        .runtime_data = g->runtime_data,
        .sb_port_binding = g->sb_port_binding,
        .ovs_bridge = g->ovs_bridge,
        .ovs_port = g->ovs_port,
        .ovs_interface = g->ovs_interface,
        .sb_monitor = &g->sb_monitor,
    };
    g->patch_sync = engine_add_node(g->engine, &en_patch_sync_class, in);
    engine_add_input(g->patch_sync, in->ovs_config,
                     en_patch_sync_ovs_config_handler);
    engine_add_input(g->patch_sync, in->integration_bridge, NULL);
    engine_add_input(g->patch_sync, in->runtime_data,
                     en_patch_sync_runtime_data_handler);
    engine_add_input(g->patch_sync, in->sb_port_binding,
                     en_patch_sync_sb_port_binding_handler);
    engine_add_input(g->patch_sync, in->ovs_bridge,
                     en_patch_sync_ovs_bridge_handler);
    engine_add_input(g->patch_sync, in->ovs_port,
                     en_patch_sync_ovs_port_handler);
    engine_add_input(g->patch_sync, in->ovs_interface,
                     en_patch_sync_ovs_interface_handler);
}

/* The physical pipeline's flows: see en-pflow.h and en-tunnel-ofports.h.
 * The indexes let a datapath's ports and groups be found without a scan
 * of the table. */
static void
add_pflow(struct en_graph *g, struct ovsdb_idl *sb_idl)
{
    struct en_tunnel_ofports_inputs *oin = &g->tunnel_ofports_in;
    struct en_pflow_inputs *in = &g->pflow_in;

    *oin = (struct en_tunnel_ofports_inputs) {
        .integration_bridge = g->integration_bridge,
        .ovs_bridge = g->ovs_bridge,
        .ovs_port = g->ovs_port,
        .ovs_interface = g->ovs_interface,
    };
    g->tunnel_ofports = engine_add_node(g->engine, &en_tunnel_ofports_class,
                                        oin);
    engine_add_input(g->tunnel_ofports, oin->integration_bridge, NULL);
    engine_add_input(g->tunnel_ofports, oin->ovs_bridge,
                     en_tunnel_ofports_ovs_handler);
    engine_add_input(g->tunnel_ofports, oin->ovs_port,
                     en_tunnel_ofports_ovs_handler);
    engine_add_input(g->tunnel_ofports, oin->ovs_interface,
                     en_tunnel_ofports_ovs_handler);

    *in = (struct en_pflow_inputs) {
        .ovs_config = g->ovs_config,
        .runtime_data = g->runtime_data,
        .ct_zones = g->ct_zones,
        .tunnels = g->tunnels,
        .tunnel_ofports = g->tunnel_ofports,
        .mff_ovn_geneve = g->mff_ovn_geneve,
        .sb_port_binding = g->sb_port_binding,
        .sb_multicast_group = g->sb_multicast_group,
        .pb_by_datapath = ovsdb_idl_index_create1(
            sb_idl, &sbrec_port_binding_col_datapath),
        .mg_by_datapath = ovsdb_idl_index_create1(
            sb_idl, &sbrec_multicast_group_col_datapath),
    };
    g->pflow = engine_add_node(g->engine, &en_pflow_class, in);
    engine_add_input(g->pflow, in->ovs_config, NULL);
    engine_add_input(g->pflow, in->mff_ovn_geneve, NULL);
    engine_add_input(g->pflow, in->runtime_data,
                     en_pflow_runtime_data_handler);
    engine_add_input(g->pflow, in->ct_zones, en_pflow_ct_zones_handler);
    engine_add_input(g->pflow, in->tunnels, en_pflow_tunnels_handler);
    engine_add_input(g->pflow, in->tunnel_ofports,
                     en_pflow_tunnel_ofports_handler);
    engine_add_input(g->pflow, in->sb_port_binding,
                     en_pflow_sb_port_binding_handler);
    engine_add_input(g->pflow, in->sb_multicast_group,
                     en_pflow_sb_multicast_group_handler);
    in->sb_chassis = g->sb_chassis;
    engine_add_input(g->pflow, g->sb_chassis, en_pflow_sb_chassis_handler);
}

/* The neighbour tables 66, 67, 82, 83: see en-mac-binding.h. */
static void
add_mac_binding(struct en_graph *g, struct ovsdb_idl *sb_idl)
{
    struct en_mac_binding_inputs *in = &g->mac_binding_in;

    *in = (struct en_mac_binding_inputs) {
        .runtime_data = g->runtime_data,
        .sb_port_binding = g->sb_port_binding,
        .sb_mac_binding = g->sb_mac_binding,
        .sb_static_mac_binding = g->sb_static_mac_binding,
        .mb_by_datapath = ovsdb_idl_index_create1(
            sb_idl, &sbrec_mac_binding_col_datapath),
        .mb_by_lport = ovsdb_idl_index_create1(
            sb_idl, &sbrec_mac_binding_col_logical_port),
        .smb_by_datapath = ovsdb_idl_index_create1(
            sb_idl, &sbrec_static_mac_binding_col_datapath),
        .smb_by_lport = ovsdb_idl_index_create1(
            sb_idl, &sbrec_static_mac_binding_col_logical_port),
    };
    g->mac_binding = engine_add_node(g->engine, &en_mac_binding_class, in);
    engine_add_input(g->mac_binding, in->runtime_data,
                     en_mac_binding_runtime_data_handler);
    engine_add_input(g->mac_binding, in->sb_port_binding,
                     en_mac_binding_sb_port_binding_handler);
    engine_add_input(g->mac_binding, in->sb_mac_binding,
                     en_mac_binding_sb_mac_binding_handler);
    engine_add_input(g->mac_binding, in->sb_static_mac_binding,
                     en_mac_binding_sb_static_mac_binding_handler);
}

/* The FDB tables 71 and 72: see en-fdb.h. */
static void
add_fdb(struct en_graph *g, struct ovsdb_idl *sb_idl)
{
    struct en_fdb_inputs *in = &g->fdb_in;

    *in = (struct en_fdb_inputs) {
        .runtime_data = g->runtime_data,
        .sb_fdb = g->sb_fdb,
        .fdb_by_dp_key = ovsdb_idl_index_create1(sb_idl,
                                                 &sbrec_fdb_col_dp_key),
    };
    g->fdb = engine_add_node(g->engine, &en_fdb_class, in);
    engine_add_input(g->fdb, in->runtime_data, en_fdb_runtime_data_handler);
    engine_add_input(g->fdb, in->sb_fdb, en_fdb_sb_fdb_handler);
}

/* The load balancer hairpin tables 68 to 70: see en-lb-hairpin.h. */
static void
add_lb_hairpin(struct en_graph *g, struct ovsdb_idl *sb_idl)
{
    struct en_lb_hairpin_inputs *in = &g->lb_hairpin_in;

    *in = (struct en_lb_hairpin_inputs) {
        .runtime_data = g->runtime_data,
        .sb_load_balancer = g->sb_load_balancer,
        .sb_logical_dp_group = g->sb_logical_dp_group,
        .sb_sb_global = g->sb_sb_global,
        .lb_by_dp_group = ovsdb_idl_index_create1(
            sb_idl, &sbrec_load_balancer_col_datapath_group),
    };
    g->lb_hairpin = engine_add_node(g->engine, &en_lb_hairpin_class, in);
    engine_add_input(g->lb_hairpin, in->runtime_data,
                     en_lb_hairpin_runtime_data_handler);
    engine_add_input(g->lb_hairpin, in->sb_load_balancer,
                     en_lb_hairpin_sb_load_balancer_handler);
    engine_add_input(g->lb_hairpin, in->sb_logical_dp_group,
                     en_lb_hairpin_sb_logical_dp_group_handler);
    engine_add_input(g->lb_hairpin, in->sb_sb_global,
                     en_lb_hairpin_sb_sb_global_handler);
}

/* The port security tables 73 to 75: see en-port-sec.h. */
static void
add_port_sec(struct en_graph *g)
{
    struct en_port_sec_inputs *in = &g->port_sec_in;

    *in = (struct en_port_sec_inputs) {
        .runtime_data = g->runtime_data,
        .sb_port_binding = g->sb_port_binding,
    };
    g->port_sec = engine_add_node(g->engine, &en_port_sec_class, in);
    engine_add_input(g->port_sec, in->runtime_data,
                     en_port_sec_runtime_data_handler);
    engine_add_input(g->port_sec, in->sb_port_binding,
                     en_port_sec_sb_port_binding_handler);
}

/* The logical flows' flows: see en-lflow.h.  The SB tables only it reads
 * are leaves of its own; the indexes find a datapath's flows and a
 * multicast group by name without a scan. */
EN_OVSDB_TABLE_CLASS(SB_logical_flow, sbrec_table_logical_flow);
EN_OVSDB_TABLE_CLASS(SB_address_set, sbrec_table_address_set);
EN_OVSDB_TABLE_CLASS(SB_port_group, sbrec_table_port_group);
EN_OVSDB_TABLE_CLASS(SB_chassis_template_var,
                     sbrec_table_chassis_template_var);
EN_OVSDB_TABLE_CLASS(SB_meter, sbrec_table_meter);
EN_OVSDB_TABLE_CLASS(SB_meter_band, sbrec_table_meter_band);
EN_OVSDB_TABLE_CLASS(SB_dhcp_options, sbrec_table_dhcp_options);
EN_OVSDB_TABLE_CLASS(SB_dhcpv6_options, sbrec_table_dhcpv6_options);

static void
add_lflow(struct en_graph *g, struct ovsdb_idl *sb_idl)
{
    struct en_lflow_inputs *in = &g->lflow_in;
    struct engine *e = g->engine;

    *in = (struct en_lflow_inputs) {
        .runtime_data = g->runtime_data,
        .ovs_config = g->ovs_config,
        .sb_logical_flow = engine_add_node(
            e, &en_ovsdb_class_SB_logical_flow, sb_idl),
        .sb_logical_dp_group = g->sb_logical_dp_group,
        .sb_address_set = engine_add_node(
            e, &en_ovsdb_class_SB_address_set, sb_idl),
        .sb_port_group = engine_add_node(
            e, &en_ovsdb_class_SB_port_group, sb_idl),
        .sb_port_binding = g->sb_port_binding,
        .sb_multicast_group = g->sb_multicast_group,
        .sb_chassis_template_var = engine_add_node(
            e, &en_ovsdb_class_SB_chassis_template_var, sb_idl),
        .sb_meter = engine_add_node(e, &en_ovsdb_class_SB_meter, sb_idl),
        .sb_meter_band = engine_add_node(
            e, &en_ovsdb_class_SB_meter_band, sb_idl),
        .sb_dhcp_options = engine_add_node(
            e, &en_ovsdb_class_SB_dhcp_options, sb_idl),
        .sb_dhcpv6_options = engine_add_node(
            e, &en_ovsdb_class_SB_dhcpv6_options, sb_idl),
        .lflow_by_dp = ovsdb_idl_index_create1(
            sb_idl, &sbrec_logical_flow_col_logical_datapath),
        .lflow_by_dpg = ovsdb_idl_index_create1(
            sb_idl, &sbrec_logical_flow_col_logical_dp_group),
        .mg_by_name_dp = ovsdb_idl_index_create2(
            sb_idl, &sbrec_multicast_group_col_name,
            &sbrec_multicast_group_col_datapath),
    };
    g->lflow = engine_add_node(e, &en_lflow_class, in);
    /* runtime_data first: the other handlers then see its datapaths. */
    engine_add_input(g->lflow, in->runtime_data,
                     en_lflow_runtime_data_handler);
    engine_add_input(g->lflow, in->ovs_config, en_lflow_ovs_config_handler);
    engine_add_input(g->lflow, in->sb_logical_flow,
                     en_lflow_sb_logical_flow_handler);
    engine_add_input(g->lflow, in->sb_logical_dp_group,
                     en_lflow_sb_logical_dp_group_handler);
    engine_add_input(g->lflow, in->sb_address_set,
                     en_lflow_sb_address_set_handler);
    engine_add_input(g->lflow, in->sb_port_group,
                     en_lflow_sb_port_group_handler);
    engine_add_input(g->lflow, in->sb_port_binding,
                     en_lflow_sb_port_binding_handler);
    engine_add_input(g->lflow, in->sb_multicast_group,
                     en_lflow_sb_multicast_group_handler);
    engine_add_input(g->lflow, in->sb_chassis_template_var,
                     en_lflow_sb_chassis_template_var_handler);
    engine_add_input(g->lflow, in->sb_meter, en_lflow_sb_meter_handler);
    engine_add_input(g->lflow, in->sb_meter_band, en_lflow_sb_meter_handler);
    engine_add_input(g->lflow, in->sb_dhcp_options, NULL);
    engine_add_input(g->lflow, in->sb_dhcpv6_options, NULL);
    en_lflow_register_commands(g->lflow);
}

/* The per-operation controller meters: see en-pinctrl-meters.h. */
static void
add_pinctrl_meters(struct en_graph *g)
{
    struct en_pinctrl_meters_inputs *in = &g->pinctrl_meters_in;

    *in = (struct en_pinctrl_meters_inputs) {
        .ovs_config = g->ovs_config,
        .ovs_open_vswitch = g->ovs_open_vswitch,
        .lflow = g->lflow,
    };
    g->pinctrl_meters = engine_add_node(g->engine, &en_pinctrl_meters_class,
                                        in);
    engine_add_input(g->pinctrl_meters, in->ovs_config, NULL);
    engine_add_input(g->pinctrl_meters, in->ovs_open_vswitch, NULL);
    engine_add_input(g->pinctrl_meters, in->lflow, NULL);
}

/* "encap/show": tunnels and the VIFs' encaps (see encap-show.h). */
static void
add_encap_show(struct en_graph *g)
{
    g->encap_show = (struct encap_show) {
        .tunnel_sync = g->tunnel_sync,
        .runtime_data = g->runtime_data,
        .ha = g->ha,
    };
    encap_show_register(&g->encap_show);
}

struct en_graph *
en_graph_create(struct ovsdb_idl *ovs_idl, struct ovsdb_idl *sb_idl,
                struct ofctrl *ofctrl)
{
    struct en_graph *g = xzalloc(sizeof *g);

    g->ofctrl = ofctrl;
    g->engine = engine_create();
    add_leaves(g, ovs_idl, sb_idl);
    add_ovs_config(g);
    add_integration_bridge(g);
    add_chassis(g);
    add_runtime_data(g);
    add_ct_zones(g);
    add_tunnels(g);
    add_patch_sync(g);
    add_pflow(g, sb_idl);
    add_ha(g, ovs_idl);
    add_mac_binding(g, sb_idl);
    add_fdb(g, sb_idl);
    add_lb_hairpin(g, sb_idl);
    add_port_sec(g);
    add_lflow(g, sb_idl);
    add_pinctrl_meters(g);
    add_binding_sync(g);
    add_nb_cfg(g);
    add_encap_show(g);
    engine_init(g->engine);
    unixctl_command_register("ofctrl/dump-desired", "[TABLE]", 0, 1,
                             dump_desired_cmd, g);
    g->inject_pkt = inject_pkt_create(g->lflow, g->runtime_data, ofctrl);
    return g;
}

size_t
en_graph_flow_tables(const struct en_graph *g, struct flow_table **tables,
                     size_t max)
{
    size_t n = 0;

    if (n < max) {
        tables[n++] = en_pflow_get_flows(engine_get_data(g->pflow));
    }
    if (n < max) {
        tables[n++] = en_mac_binding_get_flows(
            engine_get_data(g->mac_binding));
    }
    if (n < max) {
        tables[n++] = en_fdb_get_flows(engine_get_data(g->fdb));
    }
    if (n < max) {
        tables[n++] = en_lb_hairpin_get_flows(engine_get_data(g->lb_hairpin));
    }
    if (n < max) {
        tables[n++] = en_port_sec_get_flows(engine_get_data(g->port_sec));
    }
    if (n < max) {
        tables[n++] = en_lflow_get_flows(engine_get_data(g->lflow));
    }
    if (n < max) {
        tables[n++] = en_pinctrl_meters_get_flows(
            engine_get_data(g->pinctrl_meters));
    }
    return n;
}

/* "ofctrl/dump-desired [TABLE]": every producer's desired flows. */
static void
dump_desired_cmd(struct unixctl_conn *conn, int argc, const char *argv[],
                 void *g_)
{
    const struct en_graph *g = g_;
    struct flow_table *tables[EN_GRAPH_MAX_FLOW_TABLES];
    size_t n = en_graph_flow_tables(g, tables, ARRAY_SIZE(tables));
    struct ds s = DS_EMPTY_INITIALIZER;
    int table_id = -1;

    if (argc > 1 && (!str_to_int(argv[1], 10, &table_id)
                     || table_id < 0 || table_id > 254)) {
        unixctl_command_reply_error(conn, "TABLE must be 0 to 254");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        flow_table_format(tables[i], table_id, &s);
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

void
en_graph_set_chassis_name(struct en_graph *g, const char *name)
{
    free(g->chassis_name);
    g->chassis_name = nullable_xstrdup(name);
}

void
en_graph_destroy(struct en_graph *g)
{
    if (g) {
        engine_destroy(g->engine);
        free(g->chassis_name);
        inject_pkt_destroy(g->inject_pkt);
        en_ovs_config_last_good_destroy(&g->ovs_config_last_good);
        free(g);
    }
}

/* True if the SB monitor conditions may have to change after this engine
 * run: something became local or stopped being, our chassis row changed,
 * the configuration changed, or northd regrouped datapaths. */
static bool
sb_monitor_may_change(const struct en_graph *g, struct ovsdb_idl *sb_idl)
{
    return (!g->sb_monitor_set
            || engine_node_changed(g->runtime_data)
            || ((const struct ed_runtime_data *)
                engine_get_data(g->runtime_data))->monitor_dirty
            || engine_node_changed(g->chassis)
            || engine_node_changed(g->ovs_config)
            || sbrec_logical_dp_group_table_track_get_first(
                   sbrec_logical_dp_group_table_get(sb_idl)));
}

void
en_graph_update_sb_monitor(struct en_graph *g, struct ovsdb_idl *sb_idl)
{
    const struct chassis_config *cfg = en_graph_config(g);
    const struct ed_runtime_data *rtd = engine_get_data(g->runtime_data);
    const char *name = en_chassis_get_name(engine_get_data(g->chassis));
    const struct sbrec_chassis *ch = NULL;

    /* A reconnection may acknowledge a pending condition without counting
     * it (the new session requests it afresh): set the conditions again
     * then, so that the sequence number awaited is the new session's. */
    bool connected = ovsdb_idl_is_connected(sb_idl);
    if (!sb_monitor_may_change(g, sb_idl)
        && connected == g->sb_was_connected) {
        return;
    }
    g->sb_was_connected = connected;
    g->sb_monitor_set = true;
    if (name) {
        ch = chassis_sync_find_chassis(sb_idl, name);
    }
    unsigned int before = g->sb_cond_seqno;
    g->sb_cond_seqno = sb_monitor_set_conditions(sb_idl, rtd, ch,
                                                 cfg->monitor_all);
    /* For patch_sync, the conditions are final only once setting them
     * again, in a session, changes nothing: each answer may make more
     * datapaths local (a VIF's datapath, then its localnet port). */
    g->sb_monitor.expected = g->sb_cond_seqno;
    g->sb_monitor.set = connected && g->sb_cond_seqno == before;
}

bool
en_graph_sb_monitor_settled(const struct en_graph *g,
                            const struct ovsdb_idl *sb_idl)
{
    unsigned int now = ovsdb_idl_get_condition_seqno(sb_idl);

    /* Sequence numbers wrap: compare their difference. */
    return g->sb_monitor_set && (int) (now - g->sb_cond_seqno) >= 0;
}

const struct chassis_config *
en_graph_config(const struct en_graph *g)
{
    return en_ovs_config_get(engine_get_data(g->ovs_config));
}
