/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "mac_binding_output": see en-mac-binding.h.
 */

#include <config.h>

#include "controller/en-mac-binding.h"

#include "controller/en-ctx.h"
#include "controller/en-ovsdb.h"
#include "controller/en-runtime-data.h"
#include "controller/mac-binding-flows.h"
#include "coverage.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "svec.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(en_mac_binding);

COVERAGE_DEFINE(mac_binding_recompute);
COVERAGE_DEFINE(mac_binding_row);
COVERAGE_DEFINE(mac_binding_no_port);
COVERAGE_DEFINE(mac_binding_warning);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Context of one run or handler call. */
struct mb_ctx {
    struct en_mac_binding_data *data;
    const struct en_mac_binding_inputs *in;
    const struct ed_runtime_data *rtd;
    struct ovsdb_idl *sb_idl;
    struct svec warnings;       /* From mac-binding-flows.c. */
    bool log;                   /* Log them (not in a shadow run). */
};

static void
mb_ctx_init(struct mb_ctx *c, struct engine_node *node,
            struct en_mac_binding_data *data,
            const struct engine_context *ctx)
{
    const struct en_mac_binding_data *own = engine_get_data(node);

    c->data = data;
    c->in = &own->in;
    c->rtd = engine_get_input_data(node, c->in->runtime_data);
    c->sb_idl = en_ovsdb_input_idl(node, c->in->sb_mac_binding);
    svec_init(&c->warnings);
    c->log = !en_ctx_is_shadow(ctx);
    flow_table_set_gen(&data->flows, en_ctx_gen(ctx));
}

/* Logs the warnings (not in shadow runs) and frees the context. */
static void
mb_ctx_finish(struct mb_ctx *c)
{
    for (size_t i = 0; i < c->warnings.n; i++) {
        COVERAGE_INC(mac_binding_warning);
        if (c->log) {
            VLOG_WARN_RL(&rl, "%s", c->warnings.names[i]);
        }
    }
    svec_destroy(&c->warnings);
}

/* Ends a handler: the data changed if any flow became dirty. */
static enum engine_input_result
mb_handled(struct mb_ctx *c)
{
    bool changed = !ovs_list_is_empty(&c->data->flows.dirty_flows);

    mb_ctx_finish(c);
    return (changed ? ENGINE_INPUT_HANDLED_UPDATED
            : ENGINE_INPUT_HANDLED_UNCHANGED);
}

/* Fills in e->dp_key and e->port_key for a row of datapath 'dp' and
 * logical port 'lport'.  Returns false if the row gets no flows: its
 * datapath is not local, or its port does not exist (yet). */
static bool
mb_keys(const struct mb_ctx *c, const struct sbrec_datapath_binding *dp,
        const char *lport, struct mac_binding_entry *e)
{
    const struct local_datapath *ld
        = dp ? runtime_data_find_datapath(c->rtd, &dp->header_.uuid) : NULL;
    if (!ld) {
        return false;
    }

    const struct uuid *u = shash_find_data(&c->rtd->pb_by_name, lport);
    const struct sbrec_port_binding *pb
        = u ? sbrec_port_binding_get_for_uuid(c->sb_idl, u) : NULL;
    if (!pb) {
        COVERAGE_INC(mac_binding_no_port);
        return false;
    }
    e->dp_key = ld->tunnel_key;
    e->port_key = pb->tunnel_key;
    e->lport = lport;
    return true;
}

static void
mb_add_dynamic(struct mb_ctx *c, const struct sbrec_mac_binding *mb)
{
    struct mac_binding_entry e = {
        .owner = &mb->header_.uuid,
        .table = "MAC_Binding",
        .ip = mb->ip,
        .mac = mb->mac,
        .priority = MAC_BINDING_PRIO_DYNAMIC,
    };

    if (mb_keys(c, mb->datapath, mb->logical_port, &e)) {
        mac_binding_flows_add(&e, &c->data->flows, &c->warnings);
    }
}

static void
mb_add_static(struct mb_ctx *c, const struct sbrec_static_mac_binding *smb)
{
    struct mac_binding_entry e = {
        .owner = &smb->header_.uuid,
        .table = "Static_MAC_Binding",
        .ip = smb->ip,
        .mac = smb->mac,
        .priority = (smb->override_dynamic_mac
                     ? MAC_BINDING_PRIO_STATIC_OVERRIDE
                     : MAC_BINDING_PRIO_STATIC),
    };

    if (mb_keys(c, smb->datapath, smb->logical_port, &e)) {
        mac_binding_flows_add(&e, &c->data->flows, &c->warnings);
    }
}

static void
mb_redo_dynamic(struct mb_ctx *c, const struct sbrec_mac_binding *mb)
{
    COVERAGE_INC(mac_binding_row);
    flow_table_begin(&c->data->flows, &mb->header_.uuid);
    mb_add_dynamic(c, mb);
    flow_table_end(&c->data->flows, &mb->header_.uuid);
}

static void
mb_redo_static(struct mb_ctx *c, const struct sbrec_static_mac_binding *smb)
{
    COVERAGE_INC(mac_binding_row);
    flow_table_begin(&c->data->flows, &smb->header_.uuid);
    mb_add_static(c, smb);
    flow_table_end(&c->data->flows, &smb->header_.uuid);
}

/* Rebuilds (or, if 'redo' is false, only adds) the flows of the rows of
 * datapath 'dp'. */
static void
mb_do_datapath(struct mb_ctx *c, const struct sbrec_datapath_binding *dp,
               bool redo)
{
    struct sbrec_mac_binding *key
        = sbrec_mac_binding_index_init_row(c->in->mb_by_datapath);
    const struct sbrec_mac_binding *mb;

    sbrec_mac_binding_index_set_datapath(key, dp);
    SBREC_MAC_BINDING_FOR_EACH_EQUAL (mb, key, c->in->mb_by_datapath) {
        if (redo) {
            mb_redo_dynamic(c, mb);
        } else {
            mb_add_dynamic(c, mb);
        }
    }
    sbrec_mac_binding_index_destroy_row(key);

    struct sbrec_static_mac_binding *skey
        = sbrec_static_mac_binding_index_init_row(c->in->smb_by_datapath);
    const struct sbrec_static_mac_binding *smb;

    sbrec_static_mac_binding_index_set_datapath(skey, dp);
    SBREC_STATIC_MAC_BINDING_FOR_EACH_EQUAL (smb, skey,
                                             c->in->smb_by_datapath) {
        if (redo) {
            mb_redo_static(c, smb);
        } else {
            mb_add_static(c, smb);
        }
    }
    sbrec_static_mac_binding_index_destroy_row(skey);
}

/* Rebuilds the flows of the rows of logical port 'lport'. */
static void
mb_redo_lport(struct mb_ctx *c, const char *lport)
{
    struct sbrec_mac_binding *key
        = sbrec_mac_binding_index_init_row(c->in->mb_by_lport);
    const struct sbrec_mac_binding *mb;

    sbrec_mac_binding_index_set_logical_port(key, lport);
    SBREC_MAC_BINDING_FOR_EACH_EQUAL (mb, key, c->in->mb_by_lport) {
        mb_redo_dynamic(c, mb);
    }
    sbrec_mac_binding_index_destroy_row(key);

    struct sbrec_static_mac_binding *skey
        = sbrec_static_mac_binding_index_init_row(c->in->smb_by_lport);
    const struct sbrec_static_mac_binding *smb;

    sbrec_static_mac_binding_index_set_logical_port(skey, lport);
    SBREC_STATIC_MAC_BINDING_FOR_EACH_EQUAL (smb, skey, c->in->smb_by_lport) {
        mb_redo_static(c, smb);
    }
    sbrec_static_mac_binding_index_destroy_row(skey);
}

/* The node. */

static void *
en_mac_binding_init(void *arg)
{
    struct en_mac_binding_data *data = xzalloc(sizeof *data);

    if (arg) {
        data->in = *(const struct en_mac_binding_inputs *) arg;
    }
    flow_table_init(&data->flows);
    return data;
}

static void
en_mac_binding_cleanup(void *data_)
{
    struct en_mac_binding_data *data = data_;

    if (data) {
        flow_table_destroy(&data->flows);
        free(data);
    }
}

static char *
en_mac_binding_compare(const void *a_, const void *b_)
{
    const struct en_mac_binding_data *a = a_, *b = b_;
    return flow_table_compare(&a->flows, &b->flows);
}

static enum engine_run_result
en_mac_binding_run(struct engine_node *node, void *data_,
                   const struct engine_context *ctx)
{
    struct en_mac_binding_data *data = data_;
    const struct local_datapath *ld;
    struct mb_ctx c;

    COVERAGE_INC(mac_binding_recompute);
    mb_ctx_init(&c, node, data, ctx);
    flow_table_begin(&data->flows, NULL);
    HMAP_FOR_EACH (ld, node, &c.rtd->dps) {
        const struct sbrec_datapath_binding *dp
            = sbrec_datapath_binding_get_for_uuid(c.sb_idl, &ld->uuid);
        if (dp) {
            mb_do_datapath(&c, dp, false);
        }
    }
    flow_table_end(&data->flows, NULL);
    mb_ctx_finish(&c);
    return ENGINE_RUN_UPDATED;
}

enum engine_input_result
en_mac_binding_runtime_data_handler(struct engine_node *node, void *data_,
                                    const struct engine_context *ctx)
{
    struct en_mac_binding_data *data = data_;
    const struct ed_runtime_data *rtd
        = engine_get_input_data(node, data->in.runtime_data);
    const struct uuidset_node *un;
    struct mb_ctx c;

    if (rtd->recomputed) {
        return ENGINE_INPUT_UNHANDLED;
    }
    mb_ctx_init(&c, node, data, ctx);
    UUIDSET_FOR_EACH (un, &rtd->tracked_dps) {
        const struct sbrec_datapath_binding *dp
            = sbrec_datapath_binding_get_for_uuid(c.sb_idl, &un->uuid);
        if (dp) {
            mb_do_datapath(&c, dp, true);
        }
    }
    return mb_handled(&c);
}

enum engine_input_result
en_mac_binding_sb_port_binding_handler(struct engine_node *node,
                                       void *data_,
                                       const struct engine_context *ctx)
{
    struct en_mac_binding_data *data = data_;
    const struct sbrec_port_binding *pb;
    struct mb_ctx c;

    mb_ctx_init(&c, node, data, ctx);
    SBREC_PORT_BINDING_TABLE_FOR_EACH_TRACKED (
        pb, sbrec_port_binding_table_get(c.sb_idl)) {
        bool is_new = sbrec_port_binding_is_new(pb);
        bool is_deleted = sbrec_port_binding_is_deleted(pb);

        if (!is_new && !is_deleted
            && sbrec_port_binding_is_updated(
                pb, SBREC_PORT_BINDING_COL_LOGICAL_PORT)) {
            /* The rows that named the old name are not known. */
            mb_ctx_finish(&c);
            return ENGINE_INPUT_UNHANDLED;
        }
        if (is_new || is_deleted
            || sbrec_port_binding_is_updated(
                pb, SBREC_PORT_BINDING_COL_TUNNEL_KEY)) {
            mb_redo_lport(&c, pb->logical_port);
        }
    }
    return mb_handled(&c);
}

enum engine_input_result
en_mac_binding_sb_mac_binding_handler(struct engine_node *node, void *data_,
                                      const struct engine_context *ctx)
{
    struct en_mac_binding_data *data = data_;
    const struct sbrec_mac_binding *mb;
    struct mb_ctx c;

    mb_ctx_init(&c, node, data, ctx);
    SBREC_MAC_BINDING_TABLE_FOR_EACH_TRACKED (
        mb, sbrec_mac_binding_table_get(c.sb_idl)) {
        if (sbrec_mac_binding_is_deleted(mb)) {
            COVERAGE_INC(mac_binding_row);
            flow_table_remove_owner(&data->flows, &mb->header_.uuid);
        } else {
            mb_redo_dynamic(&c, mb);
        }
    }
    return mb_handled(&c);
}

enum engine_input_result
en_mac_binding_sb_static_mac_binding_handler(
    struct engine_node *node, void *data_, const struct engine_context *ctx)
{
    struct en_mac_binding_data *data = data_;
    const struct sbrec_static_mac_binding *smb;
    struct mb_ctx c;

    mb_ctx_init(&c, node, data, ctx);
    SBREC_STATIC_MAC_BINDING_TABLE_FOR_EACH_TRACKED (
        smb, sbrec_static_mac_binding_table_get(c.sb_idl)) {
        if (sbrec_static_mac_binding_is_deleted(smb)) {
            COVERAGE_INC(mac_binding_row);
            flow_table_remove_owner(&data->flows, &smb->header_.uuid);
        } else {
            mb_redo_static(&c, smb);
        }
    }
    return mb_handled(&c);
}

struct flow_table *
en_mac_binding_get_flows(void *data_)
{
    struct en_mac_binding_data *data = data_;
    return &data->flows;
}

const struct engine_node_class en_mac_binding_class = {
    .name = "mac_binding_output",
    .init = en_mac_binding_init,
    .cleanup = en_mac_binding_cleanup,
    .run = en_mac_binding_run,
    .compare = en_mac_binding_compare,
};
