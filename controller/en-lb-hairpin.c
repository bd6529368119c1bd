/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "lb_hairpin_output": see en-lb-hairpin.h.
 */

#include <config.h>

#include "controller/en-lb-hairpin.h"

#include "controller/en-ctx.h"
#include "controller/en-ovsdb.h"
#include "controller/en-runtime-data.h"
#include "controller/lb-hairpin.h"
#include "coverage.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "svec.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(lb);

COVERAGE_DEFINE(lb_hairpin_recompute);
COVERAGE_DEFINE(lb_hairpin_row);
COVERAGE_DEFINE(lb_hairpin_warning);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Context of one run or handler call. */
struct lbh_node_ctx {
    struct en_lb_hairpin_data *data;
    const struct en_lb_hairpin_inputs *in;
    const struct ed_runtime_data *rtd;
    struct ovsdb_idl *sb_idl;
    struct svec warnings;       /* From lb-hairpin.c. */
    bool log;                   /* Log them (not in a shadow run). */
};

static void
lbn_ctx_init(struct lbh_node_ctx *c, struct engine_node *node,
             struct en_lb_hairpin_data *data,
             const struct engine_context *ctx)
{
    const struct en_lb_hairpin_data *own = engine_get_data(node);

    c->data = data;
    c->in = &own->in;
    c->rtd = engine_get_input_data(node, c->in->runtime_data);
    c->sb_idl = en_ovsdb_input_idl(node, c->in->sb_load_balancer);
    svec_init(&c->warnings);
    c->log = !en_ctx_is_shadow(ctx);
    flow_table_set_gen(&data->flows, en_ctx_gen(ctx));
}

static void
lbn_ctx_finish(struct lbh_node_ctx *c)
{
    for (size_t i = 0; i < c->warnings.n; i++) {
        COVERAGE_INC(lb_hairpin_warning);
        if (c->log) {
            VLOG_WARN_RL(&rl, "%s", c->warnings.names[i]);
        }
    }
    svec_destroy(&c->warnings);
}

static enum engine_input_result
lbn_handled(struct lbh_node_ctx *c)
{
    bool changed = !ovs_list_is_empty(&c->data->flows.dirty_flows);

    lbn_ctx_finish(c);
    return (changed ? ENGINE_INPUT_HANDLED_UPDATED
            : ENGINE_INPUT_HANDLED_UNCHANGED);
}

/* SB_Global options:lb_hairpin_use_ct_mark (true by default). */
static bool
lbn_use_ct_mark(struct ovsdb_idl *sb_idl)
{
    const struct sbrec_sb_global *g = sbrec_sb_global_first(sb_idl);
    return !g || smap_get_bool(&g->options, "lb_hairpin_use_ct_mark", true);
}

/* Appends to 'keys' (of '*n' keys, room for '*allocated') the tunnel key
 * of 'dp' if it is local. */
static void
lbn_note_dp(const struct lbh_node_ctx *c,
            const struct sbrec_datapath_binding *dp, uint32_t **keys,
            size_t *n, size_t *allocated)
{
    const struct local_datapath *ld
        = dp ? runtime_data_find_datapath(c->rtd, &dp->header_.uuid) : NULL;

    if (ld) {
        if (*n >= *allocated) {
            *keys = x2nrealloc(*keys, allocated, sizeof **keys);
        }
        (*keys)[(*n)++] = ld->tunnel_key;
    }
}

static void
lbn_add(struct lbh_node_ctx *c, const struct sbrec_load_balancer *lb)
{
    size_t n = 0, allocated = 0;
    uint32_t *keys = NULL;

    for (size_t i = 0; i < lb->n_datapaths; i++) {
        lbn_note_dp(c, lb->datapaths[i], &keys, &n, &allocated);
    }
    if (lb->datapath_group) {
        const struct sbrec_logical_dp_group *g = lb->datapath_group;
        for (size_t i = 0; i < g->n_datapaths; i++) {
            lbn_note_dp(c, g->datapaths[i], &keys, &n, &allocated);
        }
    }
    if (n) {
        struct lb_hairpin_lb l = {
            .uuid = &lb->header_.uuid,
            .name = lb->name,
            .vips = &lb->vips,
            .protocol = lb->protocol,
            .options = &lb->options,
        };
        lb_hairpin_add_flows(&l, keys, n, c->data->use_ct_mark,
                             &c->data->flows, &c->warnings);
    }
    free(keys);
}

static void
lbn_redo(struct lbh_node_ctx *c, const struct sbrec_load_balancer *lb)
{
    COVERAGE_INC(lb_hairpin_row);
    flow_table_begin(&c->data->flows, &lb->header_.uuid);
    lbn_add(c, lb);
    flow_table_end(&c->data->flows, &lb->header_.uuid);
}

/* True if 'lb' applies to one of the datapaths in 'dps'. */
static bool
lbn_uses_any(const struct sbrec_load_balancer *lb, const struct uuidset *dps)
{
    for (size_t i = 0; i < lb->n_datapaths; i++) {
        if (uuidset_contains(dps, &lb->datapaths[i]->header_.uuid)) {
            return true;
        }
    }
    if (lb->datapath_group) {
        const struct sbrec_logical_dp_group *g = lb->datapath_group;
        for (size_t i = 0; i < g->n_datapaths; i++) {
            if (uuidset_contains(dps, &g->datapaths[i]->header_.uuid)) {
                return true;
            }
        }
    }
    return false;
}

/* The node. */

static void *
en_lb_hairpin_init(void *arg)
{
    struct en_lb_hairpin_data *data = xzalloc(sizeof *data);

    if (arg) {
        data->in = *(const struct en_lb_hairpin_inputs *) arg;
    }
    flow_table_init(&data->flows);
    data->use_ct_mark = true;
    return data;
}

static void
en_lb_hairpin_cleanup(void *data_)
{
    struct en_lb_hairpin_data *data = data_;

    if (data) {
        flow_table_destroy(&data->flows);
        free(data);
    }
}

static char *
en_lb_hairpin_compare(const void *a_, const void *b_)
{
    const struct en_lb_hairpin_data *a = a_, *b = b_;
    return flow_table_compare(&a->flows, &b->flows);
}

static enum engine_run_result
en_lb_hairpin_run(struct engine_node *node, void *data_,
                  const struct engine_context *ctx)
{
    struct en_lb_hairpin_data *data = data_;
    const struct sbrec_load_balancer *lb;
    struct lbh_node_ctx c;

    COVERAGE_INC(lb_hairpin_recompute);
    lbn_ctx_init(&c, node, data, ctx);
    data->use_ct_mark = lbn_use_ct_mark(c.sb_idl);
    flow_table_begin(&data->flows, NULL);
    SBREC_LOAD_BALANCER_FOR_EACH (lb, c.sb_idl) {
        lbn_add(&c, lb);
    }
    flow_table_end(&data->flows, NULL);
    lbn_ctx_finish(&c);
    return ENGINE_RUN_UPDATED;
}

enum engine_input_result
en_lb_hairpin_runtime_data_handler(struct engine_node *node, void *data_,
                                   const struct engine_context *ctx)
{
    struct en_lb_hairpin_data *data = data_;
    const struct ed_runtime_data *rtd
        = engine_get_input_data(node, data->in.runtime_data);
    const struct sbrec_load_balancer *lb;
    struct lbh_node_ctx c;

    if (rtd->recomputed) {
        return ENGINE_INPUT_UNHANDLED;
    }
    if (uuidset_is_empty(&rtd->tracked_dps)) {
        return ENGINE_INPUT_HANDLED_UNCHANGED;
    }
    lbn_ctx_init(&c, node, data, ctx);
    SBREC_LOAD_BALANCER_FOR_EACH (lb, c.sb_idl) {
        if (lbn_uses_any(lb, &rtd->tracked_dps)) {
            lbn_redo(&c, lb);
        }
    }
    return lbn_handled(&c);
}

enum engine_input_result
en_lb_hairpin_sb_load_balancer_handler(struct engine_node *node,
                                       void *data_,
                                       const struct engine_context *ctx)
{
    struct en_lb_hairpin_data *data = data_;
    const struct sbrec_load_balancer *lb;
    struct lbh_node_ctx c;

    lbn_ctx_init(&c, node, data, ctx);
    SBREC_LOAD_BALANCER_TABLE_FOR_EACH_TRACKED (
        lb, sbrec_load_balancer_table_get(c.sb_idl)) {
        if (sbrec_load_balancer_is_deleted(lb)) {
            COVERAGE_INC(lb_hairpin_row);
            flow_table_remove_owner(&data->flows, &lb->header_.uuid);
        } else {
            lbn_redo(&c, lb);
        }
    }
    return lbn_handled(&c);
}

enum engine_input_result
en_lb_hairpin_sb_logical_dp_group_handler(struct engine_node *node,
                                          void *data_,
                                          const struct engine_context *ctx)
{
    struct en_lb_hairpin_data *data = data_;
    const struct sbrec_logical_dp_group *g;
    struct lbh_node_ctx c;

    lbn_ctx_init(&c, node, data, ctx);
    SBREC_LOGICAL_DP_GROUP_TABLE_FOR_EACH_TRACKED (
        g, sbrec_logical_dp_group_table_get(c.sb_idl)) {
        if (sbrec_logical_dp_group_is_deleted(g)) {
            /* Its load balancers changed too (the reference). */
            continue;
        }
        struct sbrec_load_balancer *key
            = sbrec_load_balancer_index_init_row(c.in->lb_by_dp_group);
        const struct sbrec_load_balancer *lb;

        sbrec_load_balancer_index_set_datapath_group(key, g);
        SBREC_LOAD_BALANCER_FOR_EACH_EQUAL (lb, key, c.in->lb_by_dp_group) {
            lbn_redo(&c, lb);
        }
        sbrec_load_balancer_index_destroy_row(key);
    }
    return lbn_handled(&c);
}

enum engine_input_result
en_lb_hairpin_sb_sb_global_handler(struct engine_node *node, void *data_,
                                   const struct engine_context *ctx OVS_UNUSED)
{
    struct en_lb_hairpin_data *data = data_;
    struct ovsdb_idl *sb_idl = en_ovsdb_input_idl(node,
                                                  data->in.sb_sb_global);

    return (lbn_use_ct_mark(sb_idl) != data->use_ct_mark
            ? ENGINE_INPUT_UNHANDLED
            : ENGINE_INPUT_HANDLED_UNCHANGED);
}

struct flow_table *
en_lb_hairpin_get_flows(void *data_)
{
    struct en_lb_hairpin_data *data = data_;
    return &data->flows;
}

const struct engine_node_class en_lb_hairpin_class = {
    .name = "lb_hairpin_output",
    .init = en_lb_hairpin_init,
    .cleanup = en_lb_hairpin_cleanup,
    .run = en_lb_hairpin_run,
    .compare = en_lb_hairpin_compare,
};
