/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "integration_bridge": see en-integration-bridge.h.
 */

#include <config.h>

#include "controller/en-integration-bridge.h"

#include <string.h>

#include "controller/en-ctx.h"
#include "controller/en-ovs-config.h"
#include "controller/en-ovsdb.h"
#include "controller/integration-bridge.h"
#include "coverage.h"
#include "openvswitch/vlog.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(en_integration_bridge);

COVERAGE_DEFINE(integration_bridge_create);
COVERAGE_DEFINE(integration_bridge_set_datapath_type);
COVERAGE_DEFINE(integration_bridge_set_switch_config);

static void *
en_integration_bridge_init(void *arg)
{
    const struct en_integration_bridge_inputs *in = arg;
    struct en_integration_bridge_data *data = xzalloc(sizeof *data);

    data->in = *in;
    data->name = xstrdup("");
    data->datapath_type = xstrdup("");
    return data;
}

static void
en_integration_bridge_cleanup(void *data_)
{
    struct en_integration_bridge_data *data = data_;

    if (data) {
        free(data->name);
        free(data->datapath_type);
        free(data);
    }
}

/* Creates the missing bridge 'name'.  Returns false if it cannot now. */
static bool
create_bridge(struct ovsdb_idl *idl, const struct chassis_config *cfg,
              const struct engine_context *ctx)
{
    struct ovsdb_idl_txn *txn = en_ctx_ovs_txn(ctx);
    const struct ovsrec_open_vswitch *ovs = ovsrec_open_vswitch_first(idl);

    if (!ovs) {
        return true;            /* Nothing to add it to: wait for the row. */
    }
    if (!txn) {
        return en_ctx_is_shadow(ctx);
    }
    VLOG_INFO("creating integration bridge %s", cfg->bridge);
    COVERAGE_INC(integration_bridge_create);
    integration_bridge_create(txn, ovs, cfg->bridge,
                              cfg->bridge_datapath_type);
    return true;
}

/* The datapath type the existing bridge 'br' should have: the configured
 * "ovn-bridge-datapath-type", else the bridge's own, except that a bridge
 * with none gets "system" (what OVS uses for "", written out as Debian's
 * controller does, so that Chassis other_config:datapath-type is never
 * empty). */
static const char *
wanted_datapath_type(const struct ovsrec_bridge *br,
                     const struct chassis_config *cfg)
{
    return (cfg->bridge_datapath_type ? cfg->bridge_datapath_type
            : br->datapath_type[0] ? br->datapath_type
            : "system");
}

/* Applies wanted_datapath_type() to the existing bridge 'br'.  Returns
 * false if it cannot now. */
static bool
sync_datapath_type(const struct ovsrec_bridge *br,
                   const struct chassis_config *cfg,
                   const struct engine_context *ctx)
{
    const char *want = wanted_datapath_type(br, cfg);

    if (!strcmp(want, br->datapath_type)) {
        return true;
    }
    struct ovsdb_idl_txn *txn = en_ctx_ovs_txn(ctx);
    if (!txn) {
        return en_ctx_is_shadow(ctx);
    }
    VLOG_INFO("setting datapath type of %s to \"%s\"", br->name, want);
    COVERAGE_INC(integration_bridge_set_datapath_type);
    ovsrec_bridge_set_datapath_type(br, want);
    return true;
}

/* Writes into the Open_vSwitch row's other_config what Debian's controller
 * writes there: vlan-limit=0 (the switch parses every VLAN header, so that
 * double-tagged traffic of localnet ports is matched as the logical flows
 * expect), kept so, and "ovn-chassis-idx-<system-id>" (the index of this
 * chassis among the controllers sharing the switch; always "", the only
 * one, since we run one controller per switch), added once.  Returns false
 * if a write is needed and there is no OVS transaction. */
static bool
sync_switch_config(struct ovsdb_idl *idl, const struct chassis_config *cfg,
                   const struct engine_context *ctx)
{
    const struct ovsrec_open_vswitch *ovs = ovsrec_open_vswitch_first(idl);
    char *idx_key = (cfg->system_id
                     ? xasprintf("ovn-chassis-idx-%s", cfg->system_id)
                     : NULL);
    bool set_limit = (ovs && !nullable_string_is_equal(
                          smap_get(&ovs->other_config, "vlan-limit"), "0"));
    bool set_idx = ovs && idx_key && !smap_get(&ovs->other_config, idx_key);
    bool ok = true;

    if (set_limit || set_idx) {
        if (en_ctx_ovs_txn(ctx)) {
            COVERAGE_INC(integration_bridge_set_switch_config);
            if (set_limit) {
                ovsrec_open_vswitch_update_other_config_setkey(
                    ovs, "vlan-limit", "0");
            }
            if (set_idx) {
                ovsrec_open_vswitch_update_other_config_setkey(ovs, idx_key,
                                                               "");
            }
        } else {
            ok = en_ctx_is_shadow(ctx);
        }
    }
    free(idx_key);
    return ok;
}

static enum engine_run_result
en_integration_bridge_run(struct engine_node *node, void *data_,
                          const struct engine_context *ctx)
{
    struct en_integration_bridge_data *data = data_;
    const struct chassis_config *cfg = en_ovs_config_get(
        engine_get_input_data(node, data->in.ovs_config));
    struct ovsdb_idl *idl = en_ovsdb_input_idl(node, data->in.ovs_bridge);
    const struct ovsrec_bridge *br = integration_bridge_find(idl,
                                                             cfg->bridge);
    bool done = br ? sync_datapath_type(br, cfg, ctx)
                   : create_bridge(idl, cfg, ctx);
    if (!done || !sync_switch_config(idl, cfg, ctx)) {
        return ENGINE_RUN_CANCELED;
    }

    const char *dp_type = (br ? wanted_datapath_type(br, cfg)
                           : cfg->bridge_datapath_type
                           ? cfg->bridge_datapath_type : "system");
    bool changed = (strcmp(data->name, cfg->bridge)
                    || data->exists != (br != NULL)
                    || strcmp(data->datapath_type, dp_type));
    if (changed) {
        free(data->name);
        data->name = xstrdup(cfg->bridge);
        free(data->datapath_type);
        data->datapath_type = xstrdup(dp_type);
        data->exists = br != NULL;
    }
    return changed ? ENGINE_RUN_UPDATED : ENGINE_RUN_UNCHANGED;
}

static char *
en_integration_bridge_compare(const void *a_, const void *b_)
{
    const struct en_integration_bridge_data *a = a_, *b = b_;

    if (!strcmp(a->name, b->name) && a->exists == b->exists
        && !strcmp(a->datapath_type, b->datapath_type)) {
        return NULL;
    }
    return xasprintf("incremental %s exists=%d datapath_type=\"%s\", "
                     "recomputed %s exists=%d datapath_type=\"%s\"",
                     a->name, a->exists, a->datapath_type,
                     b->name, b->exists, b->datapath_type);
}

const struct engine_node_class en_integration_bridge_class = {
    .name = "integration_bridge",
    .init = en_integration_bridge_init,
    .cleanup = en_integration_bridge_cleanup,
    .run = en_integration_bridge_run,
    .compare = en_integration_bridge_compare,
};
