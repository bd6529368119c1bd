/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "patch_sync": see en-patch-sync.h.
 */

#include <config.h>

#include "controller/en-patch-sync.h"

#include <string.h>
#include "controller/chassis-config.h"
#include "controller/en-ctx.h"
#include "controller/en-integration-bridge.h"
#include "controller/en-ovs-config.h"
#include "controller/en-ovsdb.h"
#include "controller/en-runtime-data.h"
#include "controller/idl-columns.h"
#include "controller/integration-bridge.h"
#include "controller/sb-monitor.h"
#include "coverage.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "svec.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(en_patch_sync);

COVERAGE_DEFINE(patch_sync_missing_bridge);
COVERAGE_DEFINE(patch_sync_ignored);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

static void *
en_patch_sync_init(void *arg)
{
    struct en_patch_sync_data *data = xzalloc(sizeof *data);

    if (arg) {
        data->in = *(const struct en_patch_sync_inputs *) arg;
    }
    patch_sync_init(&data->sync);
    sset_init(&data->plan);
    sset_init(&data->missing);
    return data;
}

static void
en_patch_sync_cleanup(void *data_)
{
    struct en_patch_sync_data *data = data_;

    if (data) {
        patch_sync_destroy(&data->sync);
        sset_destroy(&data->plan);
        sset_destroy(&data->missing);
        free(data->mappings);
        free(data);
    }
}

/* As tunnel_sync's: after handlers decided nothing concerned our ports, a
 * reconciliation from scratch must find nothing to do but what our
 * transaction in flight carries. */
static char *
en_patch_sync_compare(const void *a_, const void *b_)
{
    const struct en_patch_sync_data *a = a_, *b = b_;

    return owned_ports_compare(&a->plan, &b->plan, b->busy);
}

/* The wants. */

static const struct sbrec_port_binding *
find_pb(const struct ed_runtime_data *rtd, struct ovsdb_idl *sb_idl,
        const char *name)
{
    const struct uuid *u = shash_find_data(&rtd->pb_by_name, name);
    return u ? sbrec_port_binding_get_for_uuid(sb_idl, u) : NULL;
}

/* Appends to '*wants' the port 'pb' if its network is mapped here. */
static void
add_want(const struct chassis_config *cfg,
         const struct sbrec_port_binding *pb, bool l2gateway,
         struct patch_sync_want **wants, size_t *n, size_t *allocated)
{
    const char *network = smap_get(&pb->options, "network_name");
    const char *bridge = chassis_config_bridge_for(cfg, network);

    if (!bridge) {
        VLOG_DBG("%s port %s: network %s is not mapped here",
                 l2gateway ? "l2gateway" : "localnet", pb->logical_port,
                 network ? network : "(none)");
        return;
    }
    if (*n >= *allocated) {
        *wants = x2nrealloc(*wants, allocated, sizeof **wants);
    }
    (*wants)[(*n)++] = (struct patch_sync_want) {
        .lport = pb->logical_port, .bridge = bridge, .l2gateway = l2gateway,
    };
}

/* Collects the ports to connect: the localnet ports of the local
 * datapaths and the l2gateway ports claimed here, in name order. */
static struct patch_sync_want *
collect_wants(const struct chassis_config *cfg,
              const struct ed_runtime_data *rtd, struct ovsdb_idl *sb_idl,
              size_t *n)
{
    struct patch_sync_want *wants = NULL;
    size_t allocated = 0;
    const struct local_datapath *ld;
    const struct shash_node *node;
    struct sset names = SSET_INITIALIZER(&names);
    const char *name;

    *n = 0;
    HMAP_FOR_EACH (ld, node, &rtd->dps) {
        const struct sset *ln = runtime_data_localnets(rtd, &ld->uuid);
        if (ln) {
            SSET_FOR_EACH (name, ln) {
                sset_add(&names, name);
            }
        }
    }
    SHASH_FOR_EACH (node, &rtd->bindings) {
        const struct local_binding *lb = node->data;
        if (!strcmp(lb->type, "l2gateway")
            && lb->role == BINDING_ROLE_MAIN) {
            sset_add(&names, lb->lport);
        }
    }
    const char **sorted = sset_sort(&names);
    for (size_t i = 0; sorted[i]; i++) {
        const struct sbrec_port_binding *pb = find_pb(rtd, sb_idl,
                                                      sorted[i]);
        if (pb) {
            add_want(cfg, pb, !strcmp(pb->type, "l2gateway"), &wants, n,
                     &allocated);
        }
    }
    free(sorted);
    sset_destroy(&names);
    return wants;
}

/* Warns about each mapping whose bridge is missing, once per change of
 * that set (not in shadow runs). */
static void
check_missing(struct en_patch_sync_data *data,
              const struct chassis_config *cfg,
              const struct ovsdb_idl *ovs_idl, bool log)
{
    struct sset missing = SSET_INITIALIZER(&missing);

    for (size_t i = 0; i < cfg->n_mappings; i++) {
        const struct chassis_bridge_mapping *m = &cfg->mappings[i];
        if (!integration_bridge_find(ovs_idl, m->bridge)) {
            char *key = xasprintf("%s:%s", m->network, m->bridge);
            if (log && !sset_contains(&data->missing, key)) {
                COVERAGE_INC(patch_sync_missing_bridge);
                VLOG_WARN("ovn-bridge-mappings: bridge %s of network %s does "
                          "not exist; the network's localnet and l2gateway "
                          "ports are not connected until it does",
                          m->bridge, m->network);
            }
            sset_add_and_free(&missing, key);
        }
    }
    if (log) {
        sset_swap(&missing, &data->missing);
    }
    sset_destroy(&missing);
}

/* The node. */

static enum engine_run_result
en_patch_sync_run(struct engine_node *node, void *data_,
                  const struct engine_context *ctx)
{
    struct en_patch_sync_data *data = data_;
    const struct en_patch_sync_data *own = engine_get_data(node);
    const struct en_patch_sync_inputs *in = &own->in;
    struct ovsdb_idl_txn *txn = en_ctx_ovs_txn(ctx);
    bool shadow = en_ctx_is_shadow(ctx);

    memset(&data->stats, 0, sizeof data->stats);
    if (!shadow && !txn) {
        return ENGINE_RUN_CANCELED;
    }
    sset_clear(&data->plan);
    data->busy = shadow && en_ctx_ovs_busy(ctx);

    const struct chassis_config *cfg = en_ovs_config_get(
        engine_get_input_data(node, in->ovs_config));
    const struct en_integration_bridge_data *brd
        = engine_get_input_data(node, in->integration_bridge);
    const struct ed_runtime_data *rtd
        = engine_get_input_data(node, in->runtime_data);
    struct ovsdb_idl *ovs_idl = en_ovsdb_input_idl(node, in->ovs_bridge);
    struct ovsdb_idl *sb_idl = en_ovsdb_input_idl(node, in->sb_port_binding);
    const struct ovsrec_bridge *br_int = integration_bridge_find(ovs_idl,
                                                                 brd->name);

    free(data->mappings);
    data->mappings = xstrdup(cfg->bridge_mappings ? cfg->bridge_mappings
                             : "");
    check_missing(data, cfg, ovs_idl, !shadow);
    data->settled = sb_monitor_settled(in->sb_monitor, sb_idl);
    if (!br_int || !ovsdb_idl_has_ever_connected(sb_idl)) {
        /* Without the SB's contents, every pair would look stale. */
        return ENGINE_RUN_UNCHANGED;
    }

    struct svec warnings = SVEC_EMPTY_INITIALIZER;
    size_t n;
    struct patch_sync_want *wants = collect_wants(cfg, rtd, sb_idl, &n);
    bool changed = patch_sync_run(&data->sync, ovs_idl, br_int, wants, n,
                                  data->settled, shadow ? NULL : txn,
                                  &data->stats,
                                  &data->plan, &warnings);
    for (size_t i = 0; !shadow && i < warnings.n; i++) {
        VLOG_WARN_RL(&rl, "%s", warnings.names[i]);
    }
    svec_destroy(&warnings);
    free(wants);
    return changed ? ENGINE_RUN_UPDATED : ENGINE_RUN_UNCHANGED;
}

/* Returns "handled, unchanged", or "unhandled" if the SB monitor became
 * settled (or unsettled) since the last run of 'node', whose data is
 * 'data': that changes which pairs may go, and no input says so. */
static enum engine_input_result
ignored_at(struct engine_node *node, const struct en_patch_sync_data *data)
{
    struct ovsdb_idl *sb_idl = en_ovsdb_input_idl(node,
                                                  data->in.sb_port_binding);

    if (sb_monitor_settled(data->in.sb_monitor, sb_idl) != data->settled) {
        return ENGINE_INPUT_UNHANDLED;
    }
    COVERAGE_INC(patch_sync_ignored);
    return ENGINE_INPUT_HANDLED_UNCHANGED;
}

enum engine_input_result
en_patch_sync_ovs_config_handler(struct engine_node *node, void *data_,
                                 const struct engine_context *ctx OVS_UNUSED)
{
    const struct en_patch_sync_data *data = data_;
    const struct chassis_config *cfg = en_ovs_config_get(
        engine_get_input_data(node, data->in.ovs_config));

    return (nullable_string_is_equal(cfg->bridge_mappings, data->mappings)
            ? ignored_at(node, data) : ENGINE_INPUT_UNHANDLED);
}

enum engine_input_result
en_patch_sync_runtime_data_handler(struct engine_node *node, void *data_,
                                   const struct engine_context *ctx
                                   OVS_UNUSED)
{
    const struct en_patch_sync_data *data = data_;
    const struct ed_runtime_data *rtd
        = engine_get_input_data(node, data->in.runtime_data);
    struct ovsdb_idl *sb_idl = en_ovsdb_input_idl(node,
                                                  data->in.sb_port_binding);
    const char *lport;

    if (rtd->recomputed || !uuidset_is_empty(&rtd->tracked_dps)) {
        return ENGINE_INPUT_UNHANDLED;
    }
    SSET_FOR_EACH (lport, &rtd->tracked_lports) {
        const struct sbrec_port_binding *pb = find_pb(rtd, sb_idl, lport);
        if (!pb || !strcmp(pb->type, "l2gateway")) {
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    return ignored_at(node, data);
}

enum engine_input_result
en_patch_sync_sb_port_binding_handler(struct engine_node *node, void *data_,
                                      const struct engine_context *ctx
                                      OVS_UNUSED)
{
    const struct en_patch_sync_data *data = data_;
    struct ovsdb_idl *sb_idl = en_ovsdb_input_idl(node,
                                                  data->in.sb_port_binding);
    const struct sbrec_port_binding *pb;

    SBREC_PORT_BINDING_TABLE_FOR_EACH_TRACKED (
        pb, sbrec_port_binding_table_get(sb_idl)) {
        if (!strcmp(pb->type, "localnet") || !strcmp(pb->type, "l2gateway")
            || sbrec_port_binding_is_updated(pb,
                                             SBREC_PORT_BINDING_COL_TYPE)) {
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    return ignored_at(node, data);
}

enum engine_input_result
en_patch_sync_ovs_bridge_handler(struct engine_node *node, void *data_,
                                 const struct engine_context *ctx OVS_UNUSED)
{
    const struct en_patch_sync_data *data = data_;
    struct ovsdb_idl *idl = en_ovsdb_input_idl(node, data->in.ovs_bridge);
    const struct ovsrec_bridge *br;

    OVSREC_BRIDGE_TABLE_FOR_EACH_TRACKED (br, ovsrec_bridge_table_get(idl)) {
        if (ovsrec_bridge_is_new(br) || ovsrec_bridge_is_deleted(br)) {
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    return ignored_at(node, data);
}

enum engine_input_result
en_patch_sync_ovs_port_handler(struct engine_node *node, void *data_,
                               const struct engine_context *ctx OVS_UNUSED)
{
    const struct en_patch_sync_data *data = data_;
    struct ovsdb_idl *idl = en_ovsdb_input_idl(node, data->in.ovs_port);
    const struct ovsrec_port *port;

    OVSREC_PORT_TABLE_FOR_EACH_TRACKED (port, ovsrec_port_table_get(idl)) {
        if (patch_sync_port_needs_sync(&data->sync, port)) {
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    return ignored_at(node, data);
}

enum engine_input_result
en_patch_sync_ovs_interface_handler(struct engine_node *node, void *data_,
                                    const struct engine_context *ctx
                                    OVS_UNUSED)
{
    const struct en_patch_sync_data *data = data_;
    struct ovsdb_idl *idl = en_ovsdb_input_idl(node, data->in.ovs_interface);
    const struct ovsrec_interface *iface;

    OVSREC_INTERFACE_TABLE_FOR_EACH_TRACKED (iface,
                                             ovsrec_interface_table_get(idl)) {
        if (patch_sync_iface_needs_sync(&data->sync, iface)) {
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    return ignored_at(node, data);
}

const struct engine_node_class en_patch_sync_class = {
    .name = "patch_sync",
    .init = en_patch_sync_init,
    .cleanup = en_patch_sync_cleanup,
    .run = en_patch_sync_run,
    .compare = en_patch_sync_compare,
};

static const struct idl_column_use en_patch_sync_columns[] = {
    { &ovsrec_bridge_col_name, true },
    { &ovsrec_bridge_col_ports, true },
    { &ovsrec_port_col_name, true },
    { &ovsrec_port_col_interfaces, true },
    { &ovsrec_port_col_external_ids, true },
    { &ovsrec_interface_col_name, true },
    { &ovsrec_interface_col_type, true },
    { &ovsrec_interface_col_options, true },
};

void
en_patch_sync_declare_columns(struct idl_columns *cols)
{
    IDL_COLUMNS_ADD(cols, en_patch_sync_columns);
}
