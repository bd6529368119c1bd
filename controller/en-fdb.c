/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "fdb_output": see en-fdb.h.
 */

#include <config.h>

#include "controller/en-fdb.h"

#include "controller/en-ctx.h"
#include "controller/en-ovsdb.h"
#include "controller/en-runtime-data.h"
#include "controller/fdb-flows.h"
#include "coverage.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "svec.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(en_fdb);

COVERAGE_DEFINE(fdb_recompute);
COVERAGE_DEFINE(fdb_row);
COVERAGE_DEFINE(fdb_warning);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Context of one run or handler call. */
struct fdb_ctx {
    struct en_fdb_data *data;
    const struct en_fdb_inputs *in;
    const struct ed_runtime_data *rtd;
    struct ovsdb_idl *sb_idl;
    struct svec warnings;       /* From fdb-flows.c. */
    bool log;                   /* Log them (not in a shadow run). */
};

static void
fdb_ctx_init(struct fdb_ctx *c, struct engine_node *node,
             struct en_fdb_data *data, const struct engine_context *ctx)
{
    const struct en_fdb_data *own = engine_get_data(node);

    c->data = data;
    c->in = &own->in;
    c->rtd = engine_get_input_data(node, c->in->runtime_data);
    c->sb_idl = en_ovsdb_input_idl(node, c->in->sb_fdb);
    svec_init(&c->warnings);
    c->log = !en_ctx_is_shadow(ctx);
    flow_table_set_gen(&data->flows, en_ctx_gen(ctx));
}

/* Logs the warnings (not in shadow runs) and frees the context. */
static void
fdb_ctx_finish(struct fdb_ctx *c)
{
    for (size_t i = 0; i < c->warnings.n; i++) {
        COVERAGE_INC(fdb_warning);
        if (c->log) {
            VLOG_WARN_RL(&rl, "%s", c->warnings.names[i]);
        }
    }
    svec_destroy(&c->warnings);
}

static enum engine_input_result
fdb_handled(struct fdb_ctx *c)
{
    bool changed = !ovs_list_is_empty(&c->data->flows.dirty_flows);

    fdb_ctx_finish(c);
    return (changed ? ENGINE_INPUT_HANDLED_UPDATED
            : ENGINE_INPUT_HANDLED_UNCHANGED);
}

/* True if 'dp_key' is the tunnel key of a local datapath. */
static bool
fdb_is_local(const struct fdb_ctx *c, int64_t dp_key)
{
    const struct local_datapath *ld;

    HMAP_FOR_EACH (ld, node, &c->rtd->dps) {
        if (ld->tunnel_key == dp_key) {
            return true;
        }
    }
    return false;
}

static void
fdb_add(struct fdb_ctx *c, const struct sbrec_fdb *fdb)
{
    fdb_flows_add(&fdb->header_.uuid, fdb->mac, fdb->dp_key, fdb->port_key,
                  &c->data->flows, &c->warnings);
}

static void
fdb_redo(struct fdb_ctx *c, const struct sbrec_fdb *fdb, bool local)
{
    COVERAGE_INC(fdb_row);
    flow_table_begin(&c->data->flows, &fdb->header_.uuid);
    if (local) {
        fdb_add(c, fdb);
    }
    flow_table_end(&c->data->flows, &fdb->header_.uuid);
}

/* Adds (or, if 'redo', rebuilds) the flows of the rows of the datapath
 * with tunnel key 'dp_key', which is local if 'local'. */
static void
fdb_do_datapath(struct fdb_ctx *c, int64_t dp_key, bool local, bool redo)
{
    struct sbrec_fdb *key = sbrec_fdb_index_init_row(c->in->fdb_by_dp_key);
    const struct sbrec_fdb *fdb;

    sbrec_fdb_index_set_dp_key(key, dp_key);
    SBREC_FDB_FOR_EACH_EQUAL (fdb, key, c->in->fdb_by_dp_key) {
        if (redo) {
            fdb_redo(c, fdb, local);
        } else if (local) {
            fdb_add(c, fdb);
        }
    }
    sbrec_fdb_index_destroy_row(key);
}

/* The node. */

static void *
en_fdb_init(void *arg)
{
    struct en_fdb_data *data = xzalloc(sizeof *data);

    if (arg) {
        data->in = *(const struct en_fdb_inputs *) arg;
    }
    flow_table_init(&data->flows);
    return data;
}

static void
en_fdb_cleanup(void *data_)
{
    struct en_fdb_data *data = data_;

    if (data) {
        flow_table_destroy(&data->flows);
        free(data);
    }
}

static char *
en_fdb_compare(const void *a_, const void *b_)
{
    const struct en_fdb_data *a = a_, *b = b_;
    return flow_table_compare(&a->flows, &b->flows);
}

static enum engine_run_result
en_fdb_run(struct engine_node *node, void *data_,
           const struct engine_context *ctx)
{
    struct en_fdb_data *data = data_;
    const struct local_datapath *ld;
    struct fdb_ctx c;

    COVERAGE_INC(fdb_recompute);
    fdb_ctx_init(&c, node, data, ctx);
    flow_table_begin(&data->flows, NULL);
    HMAP_FOR_EACH (ld, node, &c.rtd->dps) {
        fdb_do_datapath(&c, ld->tunnel_key, true, false);
    }
    flow_table_end(&data->flows, NULL);
    fdb_ctx_finish(&c);
    return ENGINE_RUN_UPDATED;
}

enum engine_input_result
en_fdb_runtime_data_handler(struct engine_node *node, void *data_,
                            const struct engine_context *ctx)
{
    struct en_fdb_data *data = data_;
    const struct ed_runtime_data *rtd
        = engine_get_input_data(node, data->in.runtime_data);
    const struct uuidset_node *un;
    struct fdb_ctx c;

    if (rtd->recomputed) {
        return ENGINE_INPUT_UNHANDLED;
    }
    fdb_ctx_init(&c, node, data, ctx);
    UUIDSET_FOR_EACH (un, &rtd->tracked_dps) {
        const struct local_datapath *ld
            = runtime_data_find_datapath(rtd, &un->uuid);
        const struct sbrec_datapath_binding *dp
            = ld ? NULL : sbrec_datapath_binding_get_for_uuid(c.sb_idl,
                                                              &un->uuid);
        if (ld) {
            fdb_do_datapath(&c, ld->tunnel_key, true, true);
        } else if (dp) {
            fdb_do_datapath(&c, dp->tunnel_key,
                            fdb_is_local(&c, dp->tunnel_key), true);
        } else {
            /* A datapath gone: its key is not known. */
            fdb_ctx_finish(&c);
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    return fdb_handled(&c);
}

enum engine_input_result
en_fdb_sb_fdb_handler(struct engine_node *node, void *data_,
                      const struct engine_context *ctx)
{
    struct en_fdb_data *data = data_;
    const struct sbrec_fdb *fdb;
    struct fdb_ctx c;

    fdb_ctx_init(&c, node, data, ctx);
    SBREC_FDB_TABLE_FOR_EACH_TRACKED (fdb, sbrec_fdb_table_get(c.sb_idl)) {
        if (sbrec_fdb_is_deleted(fdb)) {
            COVERAGE_INC(fdb_row);
            flow_table_remove_owner(&data->flows, &fdb->header_.uuid);
        } else {
            fdb_redo(&c, fdb, fdb_is_local(&c, fdb->dp_key));
        }
    }
    return fdb_handled(&c);
}

struct flow_table *
en_fdb_get_flows(void *data_)
{
    struct en_fdb_data *data = data_;
    return &data->flows;
}

const struct engine_node_class en_fdb_class = {
    .name = "fdb_output",
    .init = en_fdb_init,
    .cleanup = en_fdb_cleanup,
    .run = en_fdb_run,
    .compare = en_fdb_compare,
};
