/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "lflow_output": see en-lflow.h.
 */

#include <config.h>

#include "controller/en-lflow.h"

#include <string.h>

#include "controller/en-ctx.h"
#include "controller/en-ovs-config.h"
#include "controller/en-ovsdb.h"
#include "controller/en-runtime-data.h"
#include "controller/lflow-show.h"
#include "coverage.h"
#include "openvswitch/vlog.h"
#include "svec.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(lflow);

COVERAGE_DEFINE(lflow_warning);
COVERAGE_DEFINE(lflow_handler);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Context of one run or handler call. */
struct lf_ctx {
    struct en_lflow_data *data;
    struct lflow_input in;
    struct svec warnings;
    bool log;
};

/* Returns our chassis name as the configuration has it ("" if none). */
static const char *
config_chassis(struct engine_node *node, const struct en_lflow_inputs *in)
{
    const struct chassis_config *cfg = en_ovs_config_get(
        engine_get_input_data(node, in->ovs_config));
    return cfg->system_id ? cfg->system_id : "";
}

static void
lf_ctx_init(struct lf_ctx *c, struct engine_node *node,
            struct en_lflow_data *data, const struct engine_context *ctx)
{
    const struct en_lflow_data *own = engine_get_data(node);
    const struct en_lflow_inputs *in = &own->in;

    c->data = data;
    c->log = !en_ctx_is_shadow(ctx);
    svec_init(&c->warnings);
    c->in = (struct lflow_input) {
        .sb_idl = en_ovsdb_input_idl(node, in->sb_logical_flow),
        .rtd = engine_get_input_data(node, in->runtime_data),
        .chassis = config_chassis(node, in),
        .lflow_by_dp = in->lflow_by_dp,
        .lflow_by_dpg = in->lflow_by_dpg,
        .mg_by_name_dp = in->mg_by_name_dp,
        .warnings = &c->warnings,
    };
    flow_table_set_gen(&data->state.flows, en_ctx_gen(ctx));
}

/* Logs what the computation found wrong (not in shadow runs). */
static void
lf_ctx_finish(struct lf_ctx *c)
{
    for (size_t i = 0; i < c->warnings.n; i++) {
        COVERAGE_INC(lflow_warning);
        if (c->log) {
            VLOG_WARN_RL(&rl, "%s", c->warnings.names[i]);
        }
    }
    svec_destroy(&c->warnings);
}

/* Ends a handler: the data changed if a flow, group or meter did. */
static enum engine_input_result
lf_handled(struct lf_ctx *c)
{
    bool changed = lflow_state_dirty(&c->data->state);

    COVERAGE_INC(lflow_handler);
    lf_ctx_finish(c);
    return (changed ? ENGINE_INPUT_HANDLED_UPDATED
            : ENGINE_INPUT_HANDLED_UNCHANGED);
}

/* The node. */

static void *
en_lflow_init(void *arg)
{
    struct en_lflow_data *data = xzalloc(sizeof *data);

    if (arg) {
        data->in = *(const struct en_lflow_inputs *) arg;
    }
    lflow_state_init(&data->state);
    return data;
}

static void
en_lflow_cleanup(void *data_)
{
    struct en_lflow_data *data = data_;

    if (data) {
        lflow_state_destroy(&data->state);
        free(data->chassis);
        free(data);
    }
}

static char *
en_lflow_compare(const void *a_, const void *b_)
{
    const struct en_lflow_data *a = a_, *b = b_;
    return flow_table_compare(&a->state.flows, &b->state.flows);
}

static enum engine_run_result
en_lflow_run(struct engine_node *node, void *data_,
             const struct engine_context *ctx)
{
    struct en_lflow_data *data = data_;
    struct en_lflow_data *own = engine_get_data(node);
    struct lf_ctx c;

    lf_ctx_init(&c, node, data, ctx);
    /* A shadow run starts from fresh tables: let it pick the ids the
     * node's own tables hold, so that the check compares what they stand
     * for. */
    lflow_state_set_hint(&data->state, data != own ? &own->state : NULL);
    data->state.no_sharing = own->state.no_sharing;
    data->must_recompute = false;
    free(data->chassis);
    data->chassis = xstrdup(c.in.chassis);
    lflow_compute(&data->state, &c.in);
    lflow_state_set_hint(&data->state, NULL);
    lf_ctx_finish(&c);
    return ENGINE_RUN_UPDATED;
}

/* Defines a handler that calls lflow_handle_NAME(). */
#define EN_LFLOW_HANDLER(HANDLER, FUNCTION)                             \
    enum engine_input_result                                            \
    HANDLER(struct engine_node *node, void *data_,                      \
            const struct engine_context *ctx)                           \
    {                                                                   \
        struct en_lflow_data *data = data_;                             \
        struct lf_ctx c;                                                \
                                                                        \
        if (data->must_recompute) {                                     \
            return ENGINE_INPUT_UNHANDLED;                              \
        }                                                               \
        lf_ctx_init(&c, node, data, ctx);                               \
        FUNCTION(&data->state, &c.in);                                  \
        return lf_handled(&c);                                          \
    }

EN_LFLOW_HANDLER(en_lflow_runtime_data_handler, lflow_handle_runtime_data)
EN_LFLOW_HANDLER(en_lflow_sb_logical_flow_handler,
                 lflow_handle_logical_flows)
EN_LFLOW_HANDLER(en_lflow_sb_logical_dp_group_handler,
                 lflow_handle_dp_groups)
EN_LFLOW_HANDLER(en_lflow_sb_address_set_handler, lflow_handle_addr_sets)
EN_LFLOW_HANDLER(en_lflow_sb_port_group_handler, lflow_handle_port_groups)
EN_LFLOW_HANDLER(en_lflow_sb_port_binding_handler,
                 lflow_handle_port_bindings)
EN_LFLOW_HANDLER(en_lflow_sb_multicast_group_handler,
                 lflow_handle_mcast_groups)
EN_LFLOW_HANDLER(en_lflow_sb_chassis_template_var_handler,
                 lflow_handle_templates)
EN_LFLOW_HANDLER(en_lflow_sb_meter_handler, lflow_handle_meters)

enum engine_input_result
en_lflow_ovs_config_handler(struct engine_node *node, void *data_,
                            const struct engine_context *ctx OVS_UNUSED)
{
    struct en_lflow_data *data = data_;
    const char *chassis = config_chassis(node, &data->in);

    return (!data->chassis || strcmp(data->chassis, chassis)
            ? ENGINE_INPUT_UNHANDLED : ENGINE_INPUT_HANDLED_UNCHANGED);
}

struct flow_table *
en_lflow_get_flows(void *data_)
{
    struct en_lflow_data *data = data_;
    return &data->state.flows;
}

void
en_lflow_register_commands(struct engine_node *node)
{
    lflow_show_register(node);
}

const struct engine_node_class en_lflow_class = {
    .name = "lflow_output",
    .init = en_lflow_init,
    .cleanup = en_lflow_cleanup,
    .run = en_lflow_run,
    .compare = en_lflow_compare,
};
