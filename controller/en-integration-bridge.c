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

/* Applies "ovn-bridge-datapath-type" to the existing bridge 'br'.  Returns
 * false if it cannot now. */
static bool
sync_datapath_type(const struct ovsrec_bridge *br,
                   const struct chassis_config *cfg,
                   const struct engine_context *ctx)
{
    const char *want = cfg->bridge_datapath_type;

    if (!want || !strcmp(want, br->datapath_type)) {
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
    if (!done) {
        return ENGINE_RUN_CANCELED;
    }

    const char *dp_type = (cfg->bridge_datapath_type
                           ? cfg->bridge_datapath_type
                           : br ? br->datapath_type : "system");
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
