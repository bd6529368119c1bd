/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "ct_zones": the conntrack zone of every local logical port
 * and local router (DNAT and SNAT).
 *
 * What the spec says (ovn-controller(8)): zones are kept in the
 * integration bridge's external_ids as ct-zone-<name> so they survive a
 * restart; an operator may pin one.  What we do: ct-zones.c allocates from
 * (the names runtime_data wants, their pins, the saved map); this node
 * feeds it and the binding_sync node writes the result back.
 *
 * What triggers work: runtime_data changing its zone names or pins (other
 * binding changes are ignored), and br-int's external_ids (the saved map:
 * our own writes coming back, or someone else's edits).  Both refresh,
 * which computes the assignment from (names, pins, saved map) alone, so a
 * recompute always agrees.
 */

#include <config.h>

#include "controller/en-ct-zones.h"

#include "controller/idl-columns.h"

#include <string.h>
#include "controller/ct-zones.h"
#include "lib/engine.h"
#include "controller/en-ctx.h"
#include "controller/en-integration-bridge.h"
#include "controller/en-ovsdb.h"
#include "controller/integration-bridge.h"
#include "controller/en-runtime-data.h"
#include "lib/vswitch-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "svec.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(en_ct_zones);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

void *
en_ct_zones_init(void *arg)
{
    struct en_ct_zones_data *data = xzalloc(sizeof *data);

    if (arg) {
        data->in = *(const struct en_ct_zones_inputs *) arg;
    }
    data->zones = xmalloc(sizeof *data->zones);
    ct_zones_init(data->zones);
    sset_init(&data->tracked_names);
    return data;
}

void
en_ct_zones_cleanup(void *data_)
{
    struct en_ct_zones_data *data = data_;

    if (data) {
        ct_zones_destroy(data->zones);
        free(data->zones);
        sset_destroy(&data->tracked_names);
        free(data);
    }
}

char *
en_ct_zones_compare(const void *a_, const void *b_)
{
    const struct en_ct_zones_data *a = a_, *b = b_;
    return ct_zones_diff(a->zones, b->zones);
}

static void
en_ct_zones_clear_tracked(void *data_)
{
    struct en_ct_zones_data *data = data_;
    sset_clear(&data->tracked_names);
}

/* Adds to 'tracked' every name whose zone differs between 'old' and
 * 'new'. */
static void
track_zone_changes(const struct simap *old, const struct simap *new,
                   struct sset *tracked)
{
    const struct simap_node *node;

    SIMAP_FOR_EACH (node, new) {
        if (simap_get(old, node->name) != node->data) {
            sset_add(tracked, node->name);
        }
    }
    SIMAP_FOR_EACH (node, old) {
        if (!simap_contains(new, node->name)) {
            sset_add(tracked, node->name);
        }
    }
}

/* Brings the zones of 'data' up to date from the node's inputs, tracking
 * the names whose zone changed. */
static bool
en_ct_zones_refresh(struct engine_node *node, struct en_ct_zones_data *data,
                    const struct engine_context *ctx)
{
    const struct en_ct_zones_data *own = engine_get_data(node);
    const struct ed_runtime_data *rtd
        = engine_get_input_data(node, own->in.runtime_data);
    const struct en_integration_bridge_data *br
        = engine_get_input_data(node, own->in.integration_bridge);
    struct ovsdb_idl *ovs_idl = en_ovsdb_input_idl(node, own->in.ovs_bridge);

    struct simap before = SIMAP_INITIALIZER(&before);
    const struct simap_node *sn;

    SIMAP_FOR_EACH (sn, &data->zones->zones) {
        simap_put(&before, sn->name, sn->data);
    }
    bool changed = en_ct_zones_update(
        data->zones, rtd, integration_bridge_find(ovs_idl, br->name),
        !en_ctx_is_shadow(ctx));
    if (changed) {
        track_zone_changes(&before, &data->zones->zones,
                           &data->tracked_names);
    }
    simap_destroy(&before);
    return changed;
}

static enum engine_run_result
en_ct_zones_run(struct engine_node *node, void *data,
                const struct engine_context *ctx)
{
    en_ct_zones_refresh(node, data, ctx);
    return ENGINE_RUN_UPDATED;
}

enum engine_input_result
en_ct_zones_runtime_data_handler(struct engine_node *node, void *data,
                                 const struct engine_context *ctx)
{
    const struct en_ct_zones_data *own = engine_get_data(node);
    const struct ed_runtime_data *rtd
        = engine_get_input_data(node, own->in.runtime_data);

    /* Bindings change far more often than the set of names: an encap or
     * status change leaves the zones alone. */
    if (!rtd->zones_changed) {
        return ENGINE_INPUT_HANDLED_UNCHANGED;
    }
    return (en_ct_zones_refresh(node, data, ctx)
            ? ENGINE_INPUT_HANDLED_UPDATED
            : ENGINE_INPUT_HANDLED_UNCHANGED);
}

enum engine_input_result
en_ct_zones_ovs_bridge_handler(struct engine_node *node, void *data,
                               const struct engine_context *ctx)
{
    const struct en_ct_zones_data *own = engine_get_data(node);
    const struct en_integration_bridge_data *br
        = engine_get_input_data(node, own->in.integration_bridge);
    struct ovsdb_idl *ovs_idl = en_ovsdb_input_idl(node, own->in.ovs_bridge);
    const struct ovsrec_bridge *row;
    bool relevant = false;

    /* The saved map (our own writes coming back, or someone else's
     * edits) is an input of the assignment; other columns (the port
     * list) are not. */
    OVSREC_BRIDGE_TABLE_FOR_EACH_TRACKED (row,
                                          ovsrec_bridge_table_get(ovs_idl)) {
        relevant |= (br->name && !strcmp(row->name, br->name)
                     && (ovsrec_bridge_is_new(row)
                         || ovsrec_bridge_is_deleted(row)
                         || ovsrec_bridge_is_updated(
                             row, OVSREC_BRIDGE_COL_EXTERNAL_IDS)));
    }
    if (!relevant) {
        return ENGINE_INPUT_HANDLED_UNCHANGED;
    }
    return (en_ct_zones_refresh(node, data, ctx)
            ? ENGINE_INPUT_HANDLED_UPDATED
            : ENGINE_INPUT_HANDLED_UNCHANGED);
}

const struct engine_node_class en_ct_zones_class = {
    .name = "ct_zones",
    .init = en_ct_zones_init,
    .cleanup = en_ct_zones_cleanup,
    .run = en_ct_zones_run,
    .compare = en_ct_zones_compare,
    .clear_tracked = en_ct_zones_clear_tracked,
};

bool
en_ct_zones_update(struct ct_zones *cz, const struct ed_runtime_data *rtd,
                   const struct ovsrec_bridge *br_int, bool log)
{
    struct simap saved = SIMAP_INITIALIZER(&saved);
    struct svec errors = SVEC_EMPTY_INITIALIZER;
    bool changed;

    if (br_int) {
        ct_zones_parse_saved(&br_int->external_ids, &saved, &errors);
    }
    changed = ct_zones_update(cz, &rtd->ct_zone_names, &rtd->ct_zone_pins,
                              &saved, &errors);
    for (size_t i = 0; log && i < errors.n; i++) {
        VLOG_WARN_RL(&rl, "%s", errors.names[i]);
    }
    svec_destroy(&errors);
    simap_destroy(&saved);
    return changed;
}

static void
ct_zone_list_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED,
                 const char *argv[] OVS_UNUSED, void *node_)
{
    const struct en_ct_zones_data *data = engine_get_data(node_);
    struct ds s = DS_EMPTY_INITIALIZER;

    if (data) {
        ct_zones_format(data->zones, &s);
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

void
en_ct_zones_register_commands(struct engine_node *node)
{
    unixctl_command_register("ct-zone-list", "", 0, 0, ct_zone_list_cmd,
                             node);
}

/* The local OVS database columns this node reads or writes. */
static const struct idl_column_use en_ct_zones_columns[] = {
    { &ovsrec_bridge_col_name, true },
    { &ovsrec_bridge_col_external_ids, true },
};

void
en_ct_zones_declare_columns(struct idl_columns *cols)
{
    IDL_COLUMNS_ADD(cols, en_ct_zones_columns);
}
