/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "chassis": see en-chassis.h.
 */

#include <config.h>

#include "controller/en-chassis.h"

#include "controller/idl-columns.h"

#include <string.h>

#include "controller/en-ctx.h"
#include "controller/en-integration-bridge.h"
#include "controller/en-ovs-config.h"
#include "controller/en-ovsdb.h"
#include "coverage.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "svec.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(chassis);

COVERAGE_DEFINE(chassis_sync_write);
COVERAGE_DEFINE(chassis_sync_noop);
COVERAGE_DEFINE(chassis_problem);
COVERAGE_DEFINE(chassis_unregister);
COVERAGE_DEFINE(chassis_hostname_refused);

static void *
en_chassis_init(void *arg)
{
    struct en_chassis_inputs *in = arg;
    struct en_chassis_data *data = xzalloc(sizeof *data);

    data->in = *in;
    memset(&data->in.history, 0, sizeof data->in.history);
    data->history = &in->history;
    data->history->refs++;
    chassis_sync_desired_init(&data->desired);
    data->iface_types = xstrdup("");
    return data;
}

static void
en_chassis_cleanup(void *data_)
{
    struct en_chassis_data *data = data_;

    if (data) {
        chassis_sync_desired_destroy(&data->desired);
        free(data->iface_types);
        free(data->system_id);
        free(data->hostname_sent);
        free(data->hostname_missed);
        free(data->hostname_refused);
        if (!--data->history->refs) {
            free(data->history->registered_name);
            data->history->registered_name = NULL;
        }
        free(data);
    }
}

/* Returns Open_vSwitch iface_types joined with commas, malloc'd. */
static char *
join_iface_types(const struct ovsrec_open_vswitch *ovs)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; ovs && i < ovs->n_iface_types; i++) {
        ds_put_format(&s, "%s%s", i ? "," : "", ovs->iface_types[i]);
    }
    return ds_steal_cstr(&s);
}

static void
log_problems(const struct svec *problems)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(20, 20);
    const char *problem;
    size_t i;

    SVEC_FOR_EACH (i, problem, problems) {
        COVERAGE_INC(chassis_problem);
        VLOG_WARN_RL(&rl, "%s", problem);
    }
}

/* Remembers 'name' as the name our rows have in the SB once a Chassis row
 * with that name shows up there (real runs only). */
static void
update_history(struct en_chassis_history *h, const char *name,
               struct ovsdb_idl *sb_idl, const struct engine_context *ctx)
{
    if (!en_ctx_is_shadow(ctx) && name
        && !nullable_string_is_equal(h->registered_name, name)
        && chassis_sync_find_chassis(sb_idl, name)) {
        free(h->registered_name);
        h->registered_name = xstrdup(name);
    }
}

/* Returns our name before a system-id change, or NULL. */
static const char *
old_name(const struct en_chassis_data *data)
{
    const char *old = data->history->registered_name;
    return old && !nullable_string_is_equal(old, data->desired.name)
           ? old : NULL;
}

/* Computes the desired rows into 'data' from the inputs.  Returns false if
 * the chassis cannot be registered: the configuration is incomplete, or
 * every (IP, type) pair is taken. */
static bool
compute_desired(struct engine_node *node, struct en_chassis_data *data,
                const struct engine_context *ctx)
{
    const struct chassis_config *cfg = en_ovs_config_get(
        engine_get_input_data(node, data->in.ovs_config));
    const struct en_integration_bridge_data *br = engine_get_input_data(
        node, data->in.integration_bridge);
    struct ovsdb_idl *ovs_idl = en_ovsdb_input_idl(
        node, data->in.ovs_open_vswitch);
    struct ovsdb_idl *sb_idl = en_ovsdb_input_idl(node, data->in.sb_encap);

    free(data->iface_types);
    data->iface_types = join_iface_types(ovsrec_open_vswitch_first(ovs_idl));
    free(data->system_id);
    data->system_id = nullable_xstrdup(cfg->system_id);
    update_history(data->history, cfg->system_id, sb_idl, ctx);
    if (!chassis_config_is_complete(cfg)) {
        data->registered = false;
        chassis_sync_desired_destroy(&data->desired);
        chassis_sync_desired_init(&data->desired);
        return false;
    }

    struct chassis_sync_host host = {
        .datapath_type = br->datapath_type,
        .iface_types = data->iface_types,
    };
    struct svec problems = SVEC_EMPTY_INITIALIZER;
    const char *old = data->history->registered_name;
    if (nullable_string_is_equal(old, cfg->system_id)) {
        old = NULL;
    }
    chassis_sync_compute(cfg, &host, old, sb_idl, &data->desired, &problems);
    data->registered = data->desired.n_encaps > 0;
    if (!data->registered) {
        svec_add_nocopy(&problems, xasprintf(
                            "chassis %s: every encap (IP, type) pair is "
                            "registered by another chassis: not registered",
                            cfg->system_id));
    }
    if (!en_ctx_is_shadow(ctx)) {
        log_problems(&problems);
    }
    svec_destroy(&problems);
    return data->registered;
}

/* Once the transaction that carried the last hostname write is no longer
 * in flight, checks that our row shows it; if it did not twice in a row,
 * the SB refuses it (see 'hostname_refused' in en-chassis.h).  Returns true
 * if the hostname of our existing row must be left alone. */
static bool
check_hostname(struct en_chassis_data *data, struct ovsdb_idl *sb_idl,
               const struct engine_context *ctx)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 60);
    const char *want = data->desired.hostname;

    if (data->hostname_sent && !en_ctx_sb_busy(ctx)) {
        const struct sbrec_chassis *ch
            = chassis_sync_find_chassis(sb_idl, data->desired.name);
        char *sent = data->hostname_sent;
        bool missed = ch && strcmp(ch->hostname, sent);
        bool again = (missed && data->hostname_missed
                      && !strcmp(data->hostname_missed, sent));

        free(data->hostname_missed);
        data->hostname_missed = missed && !again ? xstrdup(sent) : NULL;
        if (again) {
            COVERAGE_INC(chassis_hostname_refused);
            VLOG_WARN_RL(&rl, "chassis %s: the southbound database did not "
                         "take hostname \"%s\" (with RBAC, role "
                         "ovn-controller may not modify it); it stays "
                         "\"%s\" until the configured hostname changes or "
                         "the row is recreated (ovn-sbctl chassis-del %s)",
                         data->desired.name, sent, ch->hostname,
                         data->desired.name);
            free(data->hostname_refused);
            data->hostname_refused = sent;
        } else {
            free(sent);
        }
        data->hostname_sent = NULL;
    }
    if (data->hostname_refused) {
        /* Forget it once it is not wanted any more, or the row has it (it
         * was recreated). */
        const struct sbrec_chassis *ch
            = chassis_sync_find_chassis(sb_idl, data->desired.name);
        if (!want || strcmp(data->hostname_refused, want)
            || (ch && !strcmp(ch->hostname, want))) {
            free(data->hostname_refused);
            data->hostname_refused = NULL;
        }
    }
    return data->hostname_refused != NULL;
}

static enum engine_run_result
en_chassis_run(struct engine_node *node, void *data_,
               const struct engine_context *ctx)
{
    struct en_chassis_data *data = data_;

    if (!compute_desired(node, data, ctx) || en_ctx_is_shadow(ctx)) {
        return ENGINE_RUN_UPDATED;
    }

    struct ovsdb_idl *sb_idl = en_ovsdb_input_idl(node, data->in.sb_encap);
    bool keep_hostname = check_hostname(data, sb_idl, ctx);
    struct ovsdb_idl_txn *txn = en_ctx_sb_txn(ctx);
    if (!txn) {
        return ENGINE_RUN_CANCELED;
    }

    struct chassis_sync_stats stats = { 0, 0, 0, false };
    const char *old = old_name(data);
    if (old) {
        VLOG_INFO("system-id changed from %s to %s: renaming the chassis",
                  old, data->desired.name);
    }
    chassis_sync_apply(&data->desired, old, keep_hostname, sb_idl, txn,
                       &stats);
    if (stats.hostname_written) {
        free(data->hostname_sent);
        data->hostname_sent = xstrdup(data->desired.hostname);
    }
    if (stats.rows_inserted || stats.rows_deleted || stats.columns_written) {
        COVERAGE_INC(chassis_sync_write);
        VLOG_INFO("chassis %s: %u rows inserted, %u deleted, %u columns "
                  "written", data->desired.name, stats.rows_inserted,
                  stats.rows_deleted, stats.columns_written);
    } else {
        COVERAGE_INC(chassis_sync_noop);
    }
    return ENGINE_RUN_UPDATED;
}

enum engine_input_result
en_chassis_ovs_open_vswitch_handler(struct engine_node *node, void *data_,
                                    const struct engine_context *ctx
                                    OVS_UNUSED)
{
    struct en_chassis_data *data = data_;
    struct ovsdb_idl *ovs_idl = en_ovsdb_input_idl(
        node, data->in.ovs_open_vswitch);
    char *types = join_iface_types(ovsrec_open_vswitch_first(ovs_idl));
    bool same = !strcmp(types, data->iface_types);

    free(types);
    return same ? ENGINE_INPUT_HANDLED_UNCHANGED : ENGINE_INPUT_UNHANDLED;
}

enum engine_input_result
en_chassis_sb_chassis_handler(struct engine_node *node, void *data_,
                              const struct engine_context *ctx)
{
    struct en_chassis_data *data = data_;
    struct ovsdb_idl *sb_idl = en_ovsdb_input_idl(node,
                                                  data->in.sb_chassis);
    const struct sbrec_chassis *row;

    /* Our own rows coming back confirm the name they have. */
    update_history(data->history, data->system_id, sb_idl, ctx);
    SBREC_CHASSIS_FOR_EACH_TRACKED (row, sb_idl) {
        if (chassis_sync_chassis_changed(&data->desired, row)) {
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    return ENGINE_INPUT_HANDLED_UNCHANGED;
}

enum engine_input_result
en_chassis_sb_chassis_private_handler(struct engine_node *node,
                                      void *data_,
                                      const struct engine_context *ctx
                                      OVS_UNUSED)
{
    struct en_chassis_data *data = data_;
    struct ovsdb_idl *sb_idl = en_ovsdb_input_idl(
        node, data->in.sb_chassis_private);
    const struct sbrec_chassis_private *row;

    SBREC_CHASSIS_PRIVATE_FOR_EACH_TRACKED (row, sb_idl) {
        if (chassis_sync_chassis_private_changed(&data->desired, row)) {
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    return ENGINE_INPUT_HANDLED_UNCHANGED;
}

enum engine_input_result
en_chassis_sb_encap_handler(struct engine_node *node, void *data_,
                            const struct engine_context *ctx OVS_UNUSED)
{
    struct en_chassis_data *data = data_;
    struct ovsdb_idl *sb_idl = en_ovsdb_input_idl(node, data->in.sb_encap);
    const struct sbrec_encap *row;

    SBREC_ENCAP_FOR_EACH_TRACKED (row, sb_idl) {
        if (chassis_sync_encap_changed(&data->desired, row)) {
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    return ENGINE_INPUT_HANDLED_UNCHANGED;
}

static char *
en_chassis_compare(const void *a_, const void *b_)
{
    const struct en_chassis_data *a = a_, *b = b_;

    if (a->registered != b->registered) {
        return xasprintf("registered %d vs %d", a->registered,
                         b->registered);
    }
    if (strcmp(a->iface_types, b->iface_types)) {
        return xasprintf("iface_types \"%s\" vs \"%s\"", a->iface_types,
                         b->iface_types);
    }
    return chassis_sync_desired_diff(&a->desired, &b->desired);
}

const char *
en_chassis_get_name(const void *data_)
{
    const struct en_chassis_data *data = data_;
    return data->registered ? data->desired.name : NULL;
}

bool
en_chassis_unregister(const struct engine_node *chassis_node,
                      struct ovsdb_idl *sb_idl, struct ovsdb_idl_txn *txn)
{
    const struct en_chassis_data *data = engine_get_data(chassis_node);
    const char *name = (data->registered ? data->desired.name
                        : data->history->registered_name
                        ? data->history->registered_name
                        : data->system_id);

    if (!name || !chassis_sync_remove(name, sb_idl, txn)) {
        return false;
    }
    COVERAGE_INC(chassis_unregister);
    VLOG_INFO("removing chassis %s from the southbound database", name);
    return true;
}

const struct engine_node_class en_chassis_class = {
    .name = "chassis",
    .init = en_chassis_init,
    .cleanup = en_chassis_cleanup,
    .run = en_chassis_run,
    .compare = en_chassis_compare,
};

/* The local OVS database columns this node reads or writes. */
static const struct idl_column_use en_chassis_columns[] = {
    { &ovsrec_open_vswitch_col_iface_types, true },
};

void
en_chassis_declare_columns(struct idl_columns *cols)
{
    IDL_COLUMNS_ADD(cols, en_chassis_columns);
}
