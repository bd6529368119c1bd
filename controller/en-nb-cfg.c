/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "nb_cfg": see en-nb-cfg.h.
 */

#include <config.h>

#include "controller/en-nb-cfg.h"

#include <inttypes.h>

#include "controller/chassis-sync.h"
#include "controller/en-chassis.h"
#include "controller/en-ctx.h"
#include "controller/en-ofctrl.h"
#include "controller/en-ovsdb.h"
#include "coverage.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/vlog.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(en_nb_cfg);

COVERAGE_DEFINE(nb_cfg_ack);
COVERAGE_DEFINE(nb_cfg_wait_flows);

static void *
en_nb_cfg_init(void *arg)
{
    const struct en_nb_cfg_inputs *in = arg;
    struct en_nb_cfg_data *data = xzalloc(sizeof *data);

    data->in = *in;
    return data;
}

static void
en_nb_cfg_cleanup(void *data)
{
    free(data);
}

static enum engine_run_result
en_nb_cfg_run(struct engine_node *node, void *data_,
              const struct engine_context *ctx)
{
    struct en_nb_cfg_data *data = data_;
    const char *name = en_chassis_get_name(
        engine_get_input_data(node, data->in.chassis));
    struct ovsdb_idl *sb_idl = en_ovsdb_input_idl(node,
                                                  data->in.sb_sb_global);
    const struct sbrec_sb_global *sb = sbrec_sb_global_first(sb_idl);
    int64_t nb_cfg = sb ? sb->nb_cfg : 0;
    bool changed = nb_cfg != data->nb_cfg;
    const struct en_ofctrl_installed_data *installed
        = engine_get_input_data(node, data->in.ofctrl_installed);

    if (changed || !data->gen) {
        data->gen = en_ctx_gen(ctx);
    }
    data->nb_cfg = nb_cfg;
    if (!name || en_ctx_is_shadow(ctx)) {
        return changed ? ENGINE_RUN_UPDATED : ENGINE_RUN_UNCHANGED;
    }
    if (installed->gen < data->gen) {
        /* The flows computed for it are not all in the switch yet. */
        COVERAGE_INC(nb_cfg_wait_flows);
        return changed ? ENGINE_RUN_UPDATED : ENGINE_RUN_UNCHANGED;
    }

    const struct sbrec_chassis_private *cp
        = chassis_sync_find_chassis_private(sb_idl, name);
    if (cp && cp->nb_cfg != nb_cfg) {
        struct ovsdb_idl_txn *txn = en_ctx_sb_txn(ctx);
        if (!txn) {
            return ENGINE_RUN_CANCELED;
        }
        COVERAGE_INC(nb_cfg_ack);
        VLOG_DBG("acknowledging nb_cfg %"PRId64, nb_cfg);
        sbrec_chassis_private_set_nb_cfg(cp, nb_cfg);
        sbrec_chassis_private_set_nb_cfg_timestamp(cp, time_wall_msec());
    }
    return changed ? ENGINE_RUN_UPDATED : ENGINE_RUN_UNCHANGED;
}

static char *
en_nb_cfg_compare(const void *a_, const void *b_)
{
    const struct en_nb_cfg_data *a = a_, *b = b_;

    return (a->nb_cfg == b->nb_cfg ? NULL
            : xasprintf("nb_cfg %"PRId64" vs %"PRId64, a->nb_cfg, b->nb_cfg));
}

const struct engine_node_class en_nb_cfg_class = {
    .name = "nb_cfg",
    .init = en_nb_cfg_init,
    .cleanup = en_nb_cfg_cleanup,
    .run = en_nb_cfg_run,
    .compare = en_nb_cfg_compare,
};
