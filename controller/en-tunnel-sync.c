/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "tunnel_sync": see en-tunnel-sync.h.
 */

#include <config.h>

#include "controller/en-tunnel-sync.h"

#include <string.h>
#include "controller/en-ctx.h"
#include "controller/en-ha.h"
#include "controller/en-integration-bridge.h"
#include "controller/en-ovs-config.h"
#include "controller/en-ovsdb.h"
#include "controller/en-tunnels.h"
#include "controller/idl-columns.h"
#include "controller/integration-bridge.h"
#include "coverage.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(en_tunnel_sync);

COVERAGE_DEFINE(tunnel_sync_ovs_change);
COVERAGE_DEFINE(tunnel_sync_ovs_ignored);

/* The node "tunnel_sync". */

static void *
en_tunnel_sync_init(void *arg)
{
    struct en_tunnel_sync_data *data = xzalloc(sizeof *data);

    if (arg) {
        data->in = *(const struct en_tunnel_sync_inputs *) arg;
    }
    tunnel_sync_init(&data->sync);
    sset_init(&data->plan);
    return data;
}

static void
en_tunnel_sync_cleanup(void *data_)
{
    struct en_tunnel_sync_data *data = data_;

    if (data) {
        tunnel_sync_destroy(&data->sync);
        sset_destroy(&data->plan);
        free(data);
    }
}

/* After an iteration in which the handlers decided that nothing concerned
 * our ports, a reconciliation from scratch ('b', planned without writing)
 * must find nothing to do, except, while our transaction is in flight
 * (the IDL does not show it yet), what the last real reconciliation ('a')
 * wrote into it. */
static char *
en_tunnel_sync_compare(const void *a_, const void *b_)
{
    const struct en_tunnel_sync_data *a = a_, *b = b_;

    return owned_ports_compare(&a->plan, &b->plan, b->busy);
}

/* Fills 'bfd' with the bfd column wanted on each port-based tunnel of
 * 'mesh' that runs BFD: mesh port key -> malloc'd struct smap. */
static void
collect_bfd(const struct en_ha_data *ha, const struct tunnel_mesh *mesh,
            struct shash *bfd)
{
    const struct tunnel_mesh_path *path;

    if (mesh->flow_based) {
        return;
    }
    HMAP_FOR_EACH (path, node, &mesh->paths) {
        struct smap *opts = xmalloc(sizeof *opts);

        smap_init(opts);
        if (path->port && en_ha_tunnel_bfd(ha, path->peer->name, opts)) {
            shash_add(bfd, path->port->key, opts);
        } else {
            smap_destroy(opts);
            free(opts);
        }
    }
}

static enum engine_run_result
en_tunnel_sync_run(struct engine_node *node, void *data_,
                   const struct engine_context *ctx)
{
    struct en_tunnel_sync_data *data = data_;
    const struct en_tunnel_sync_inputs *in = &data->in;
    struct ovsdb_idl_txn *txn = en_ctx_ovs_txn(ctx);
    bool shadow = en_ctx_is_shadow(ctx);

    memset(&data->stats, 0, sizeof data->stats);
    if (!shadow && !txn) {
        return ENGINE_RUN_CANCELED;
    }
    sset_clear(&data->plan);
    data->busy = shadow && en_ctx_ovs_busy(ctx);

    const struct en_tunnels_data *td
        = engine_get_input_data(node, in->tunnels);
    const struct en_integration_bridge_data *br
        = engine_get_input_data(node, in->integration_bridge);
    struct ovsdb_idl *ovs_idl = en_ovsdb_input_idl(node, in->ovs_bridge);

    if (!br->name || !td->sb_ready) {
        return ENGINE_RUN_UNCHANGED;
    }
    const struct tunnel_mesh *mesh = td->mesh;
    const struct chassis_config *cfg = en_ovs_config_get(
        engine_get_input_data(node, in->ovs_config));
    struct shash bfd = SHASH_INITIALIZER(&bfd);
    if (in->ha) {
        collect_bfd(engine_get_input_data(node, in->ha), mesh, &bfd);
    }
    enum tunnel_sync_result r = tunnel_sync_run(
        &data->sync, mesh, &bfd, br->name, cfg->system_id, ovs_idl,
        shadow ? NULL : txn, &data->stats, &data->plan);
    struct shash_node *sn;
    SHASH_FOR_EACH_SAFE (sn, &bfd) {
        smap_destroy(sn->data);
        free(sn->data);
        shash_delete(&bfd, sn);
    }
    shash_destroy(&bfd);
    if (r == TUNNEL_SYNC_NO_BRIDGE) {
        VLOG_DBG("integration bridge %s does not exist yet", br->name);
    }
    return (r == TUNNEL_SYNC_CHANGED ? ENGINE_RUN_UPDATED
            : ENGINE_RUN_UNCHANGED);
}

bool
en_tunnel_sync_remove_ports(const struct engine_node *node,
                            struct ovsdb_idl_txn *txn)
{
    const struct en_tunnel_sync_data *data = engine_get_data(node);
    const struct en_integration_bridge_data *br
        = engine_get_input_data(node, data->in.integration_bridge);
    struct ovsdb_idl *ovs_idl = en_ovsdb_input_idl(node,
                                                   data->in.ovs_bridge);
    const struct chassis_config *cfg = en_ovs_config_get(
        engine_get_input_data(node, data->in.ovs_config));
    struct tunnel_sync_stats stats;
    struct tunnel_mesh empty;
    struct tunnel_sync sync;

    if (!br->name) {
        return false;
    }
    /* A reconciliation with no desired tunnel sweeps every port of ours,
     * and nothing else: the ports without our mark stay. */
    tunnel_mesh_init(&empty);
    tunnel_sync_init(&sync);
    enum tunnel_sync_result r = tunnel_sync_run(&sync, &empty, NULL,
                                                br->name, cfg->system_id,
                                                ovs_idl, txn, &stats, NULL);
    tunnel_sync_destroy(&sync);
    tunnel_mesh_destroy(&empty);
    if (r == TUNNEL_SYNC_CHANGED && stats.deleted) {
        VLOG_INFO("removing %"PRIuSIZE" tunnel ports from %s", stats.deleted,
                  br->name);
    }
    return r == TUNNEL_SYNC_CHANGED && stats.deleted;
}

enum engine_input_result
en_tunnel_sync_ovs_config_handler(struct engine_node *node, void *data_,
                                  const struct engine_context *ctx OVS_UNUSED)
{
    const struct en_tunnel_sync_data *data = data_;
    const struct chassis_config *cfg = en_ovs_config_get(
        engine_get_input_data(node, data->in.ovs_config));

    /* The system-id names the bridges we own; the rest of the
     * configuration reaches us through the mesh. */
    return (nullable_string_is_equal(cfg->system_id, data->sync.owner)
            ? ENGINE_INPUT_HANDLED_UNCHANGED : ENGINE_INPUT_UNHANDLED);
}

enum engine_input_result
en_tunnel_sync_ovs_bridge_handler(struct engine_node *node, void *data_,
                                  const struct engine_context *ctx OVS_UNUSED)
{
    const struct en_tunnel_sync_data *data = data_;
    struct ovsdb_idl *idl = en_ovsdb_input_idl(node, data->in.ovs_bridge);
    const struct ovsrec_bridge *br;

    OVSREC_BRIDGE_TABLE_FOR_EACH_TRACKED (br, ovsrec_bridge_table_get(idl)) {
        if (tunnel_sync_bridge_needs_sync(&data->sync, br)) {
            VLOG_DBG("bridge %s changed: reconciling tunnels", br->name);
            COVERAGE_INC(tunnel_sync_ovs_change);
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    COVERAGE_INC(tunnel_sync_ovs_ignored);
    return ENGINE_INPUT_HANDLED_UNCHANGED;
}

enum engine_input_result
en_tunnel_sync_ovs_port_handler(struct engine_node *node, void *data_,
                                const struct engine_context *ctx OVS_UNUSED)
{
    const struct en_tunnel_sync_data *data = data_;
    struct ovsdb_idl *idl = en_ovsdb_input_idl(node, data->in.ovs_port);
    const struct ovsrec_port *port;

    OVSREC_PORT_TABLE_FOR_EACH_TRACKED (port, ovsrec_port_table_get(idl)) {
        if (tunnel_sync_port_needs_sync(&data->sync, port)) {
            VLOG_DBG("port %s (ours) changed: reconciling tunnels",
                     port->name);
            COVERAGE_INC(tunnel_sync_ovs_change);
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    COVERAGE_INC(tunnel_sync_ovs_ignored);
    return ENGINE_INPUT_HANDLED_UNCHANGED;
}

enum engine_input_result
en_tunnel_sync_ovs_interface_handler(struct engine_node *node, void *data_,
                                     const struct engine_context *ctx)
{
    const struct en_tunnel_sync_data *data = data_;
    struct ovsdb_idl *idl = en_ovsdb_input_idl(node,
                                               data->in.ovs_interface);
    const struct ovsrec_interface *iface;

    OVSREC_INTERFACE_TABLE_FOR_EACH_TRACKED (iface,
                                             ovsrec_interface_table_get(idl)) {
        if (EN_FAULT(ctx, 3) && !ovsrec_interface_is_new(iface)
            && !ovsrec_interface_is_deleted(iface)) {
            /* Planted bug 3: ignore a change of our own tunnel's
             * options. */
            continue;
        }
        if (tunnel_sync_iface_needs_sync(&data->sync, iface)) {
            VLOG_DBG("interface %s (ours) changed: reconciling tunnels",
                     iface->name);
            COVERAGE_INC(tunnel_sync_ovs_change);
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    COVERAGE_INC(tunnel_sync_ovs_ignored);
    return ENGINE_INPUT_HANDLED_UNCHANGED;
}

const struct engine_node_class en_tunnel_sync_class = {
    .name = "tunnel_sync",
    .init = en_tunnel_sync_init,
    .cleanup = en_tunnel_sync_cleanup,
    .run = en_tunnel_sync_run,
    .compare = en_tunnel_sync_compare,
};

/* The local OVS database columns this node reads or writes: the bridges,
 * our ports and their interfaces (type and options tracked: a change by
 * someone else must be repaired). */
static const struct idl_column_use en_tunnel_sync_columns[] = {
    { &ovsrec_bridge_col_name, true },
    { &ovsrec_bridge_col_ports, true },
    { &ovsrec_bridge_col_external_ids, true },
    { &ovsrec_port_col_name, true },
    { &ovsrec_port_col_interfaces, true },
    { &ovsrec_port_col_external_ids, true },
    { &ovsrec_interface_col_name, true },
    { &ovsrec_interface_col_type, true },
    { &ovsrec_interface_col_options, true },
    { &ovsrec_interface_col_bfd, true },
};

void
en_tunnel_sync_declare_columns(struct idl_columns *cols)
{
    IDL_COLUMNS_ADD(cols, en_tunnel_sync_columns);
}
