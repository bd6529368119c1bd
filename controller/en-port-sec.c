/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "port_sec_output": see en-port-sec.h.
 */

#include <config.h>

#include "controller/en-port-sec.h"

#include "controller/en-ctx.h"
#include "controller/en-ovsdb.h"
#include "controller/en-runtime-data.h"
#include "controller/port-sec.h"
#include "coverage.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "svec.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(en_port_sec);

COVERAGE_DEFINE(port_sec_recompute);
COVERAGE_DEFINE(port_sec_port);
COVERAGE_DEFINE(port_sec_warning);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Context of one run or handler call. */
struct ps_node_ctx {
    struct en_port_sec_data *data;
    const struct en_port_sec_inputs *in;
    const struct ed_runtime_data *rtd;
    struct ovsdb_idl *sb_idl;
    struct svec warnings;       /* From port-sec.c. */
    bool log;                   /* Log them (not in a shadow run). */
};

static void
psn_ctx_init(struct ps_node_ctx *c, struct engine_node *node,
             struct en_port_sec_data *data, const struct engine_context *ctx)
{
    const struct en_port_sec_data *own = engine_get_data(node);

    c->data = data;
    c->in = &own->in;
    c->rtd = engine_get_input_data(node, c->in->runtime_data);
    c->sb_idl = en_ovsdb_input_idl(node, c->in->sb_port_binding);
    svec_init(&c->warnings);
    c->log = !en_ctx_is_shadow(ctx);
    flow_table_set_gen(&data->flows, en_ctx_gen(ctx));
}

static void
psn_ctx_finish(struct ps_node_ctx *c)
{
    for (size_t i = 0; i < c->warnings.n; i++) {
        COVERAGE_INC(port_sec_warning);
        if (c->log) {
            VLOG_WARN_RL(&rl, "%s", c->warnings.names[i]);
        }
    }
    svec_destroy(&c->warnings);
}

static enum engine_input_result
psn_handled(struct ps_node_ctx *c)
{
    bool changed = !ovs_list_is_empty(&c->data->flows.dirty_flows);

    psn_ctx_finish(c);
    return (changed ? ENGINE_INPUT_HANDLED_UPDATED
            : ENGINE_INPUT_HANDLED_UNCHANGED);
}

/* True if 'pb' is bound here. */
static bool
psn_is_bound(const struct ps_node_ctx *c, const struct sbrec_port_binding *pb)
{
    const struct local_binding *lb = runtime_data_find(c->rtd,
                                                       pb->logical_port);
    return lb && uuid_equals(&lb->pb_uuid, &pb->header_.uuid);
}

static void
psn_add(struct ps_node_ctx *c, const struct sbrec_port_binding *pb)
{
    if (!pb->n_port_security || !pb->datapath) {
        return;
    }
    struct port_sec_port p = {
        .owner = &pb->header_.uuid,
        .lport = pb->logical_port,
        .dp_key = pb->datapath->tunnel_key,
        .port_key = pb->tunnel_key,
        .entries = pb->port_security,
        .n_entries = pb->n_port_security,
    };
    port_sec_add_flows(&p, &c->data->flows, &c->warnings);
}

/* Rebuilds the flows of 'pb': none unless it is bound here. */
static void
psn_redo(struct ps_node_ctx *c, const struct sbrec_port_binding *pb)
{
    COVERAGE_INC(port_sec_port);
    flow_table_begin(&c->data->flows, &pb->header_.uuid);
    if (psn_is_bound(c, pb)) {
        psn_add(c, pb);
    }
    flow_table_end(&c->data->flows, &pb->header_.uuid);
}

/* The node. */

static void *
en_port_sec_init(void *arg)
{
    struct en_port_sec_data *data = xzalloc(sizeof *data);

    if (arg) {
        data->in = *(const struct en_port_sec_inputs *) arg;
    }
    flow_table_init(&data->flows);
    return data;
}

static void
en_port_sec_cleanup(void *data_)
{
    struct en_port_sec_data *data = data_;

    if (data) {
        flow_table_destroy(&data->flows);
        free(data);
    }
}

static char *
en_port_sec_compare(const void *a_, const void *b_)
{
    const struct en_port_sec_data *a = a_, *b = b_;
    return flow_table_compare(&a->flows, &b->flows);
}

static enum engine_run_result
en_port_sec_run(struct engine_node *node, void *data_,
                const struct engine_context *ctx)
{
    struct en_port_sec_data *data = data_;
    const struct shash_node *sn;
    struct ps_node_ctx c;

    COVERAGE_INC(port_sec_recompute);
    psn_ctx_init(&c, node, data, ctx);
    flow_table_begin(&data->flows, NULL);
    SHASH_FOR_EACH (sn, &c.rtd->bindings) {
        const struct local_binding *lb = sn->data;
        const struct sbrec_port_binding *pb
            = sbrec_port_binding_get_for_uuid(c.sb_idl, &lb->pb_uuid);
        if (pb) {
            psn_add(&c, pb);
        }
    }
    flow_table_end(&data->flows, NULL);
    psn_ctx_finish(&c);
    return ENGINE_RUN_UPDATED;
}

enum engine_input_result
en_port_sec_runtime_data_handler(struct engine_node *node, void *data_,
                                 const struct engine_context *ctx)
{
    struct en_port_sec_data *data = data_;
    const struct ed_runtime_data *rtd
        = engine_get_input_data(node, data->in.runtime_data);
    const char *lport;
    struct ps_node_ctx c;

    if (rtd->recomputed) {
        return ENGINE_INPUT_UNHANDLED;
    }
    psn_ctx_init(&c, node, data, ctx);
    SSET_FOR_EACH (lport, &rtd->tracked_lports) {
        const struct uuid *u = shash_find_data(&rtd->pb_by_name, lport);
        const struct sbrec_port_binding *pb
            = u ? sbrec_port_binding_get_for_uuid(c.sb_idl, u) : NULL;
        if (pb) {
            psn_redo(&c, pb);
        }
    }
    return psn_handled(&c);
}

enum engine_input_result
en_port_sec_sb_port_binding_handler(struct engine_node *node, void *data_,
                                    const struct engine_context *ctx)
{
    struct en_port_sec_data *data = data_;
    const struct sbrec_port_binding *pb;
    struct ps_node_ctx c;

    psn_ctx_init(&c, node, data, ctx);
    SBREC_PORT_BINDING_TABLE_FOR_EACH_TRACKED (
        pb, sbrec_port_binding_table_get(c.sb_idl)) {
        if (sbrec_port_binding_is_deleted(pb)) {
            COVERAGE_INC(port_sec_port);
            flow_table_remove_owner(&data->flows, &pb->header_.uuid);
        } else if (psn_is_bound(&c, pb)
                   || flow_table_has_owner(&data->flows,
                                           &pb->header_.uuid)) {
            psn_redo(&c, pb);
        }
    }
    return psn_handled(&c);
}

struct flow_table *
en_port_sec_get_flows(void *data_)
{
    struct en_port_sec_data *data = data_;
    return &data->flows;
}

const struct engine_node_class en_port_sec_class = {
    .name = "port_sec_output",
    .init = en_port_sec_init,
    .cleanup = en_port_sec_cleanup,
    .run = en_port_sec_run,
    .compare = en_port_sec_compare,
};
