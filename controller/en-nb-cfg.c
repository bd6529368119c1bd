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
#include "controller/en-integration-bridge.h"
#include "controller/en-ofctrl.h"
#include "controller/en-ovsdb.h"
#include "controller/idl-columns.h"
#include "controller/integration-bridge.h"
#include "coverage.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(en_nb_cfg);

COVERAGE_DEFINE(nb_cfg_ack);
COVERAGE_DEFINE(nb_cfg_wait_flows);
COVERAGE_DEFINE(nb_cfg_bridge_write);
COVERAGE_DEFINE(nb_cfg_delayed);

static void *
en_nb_cfg_init(void *arg)
{
    const struct en_nb_cfg_inputs *in = arg;
    struct en_nb_cfg_data *data = xzalloc(sizeof *data);

    data->in = *in;
    data->startup_ts = time_wall_msec();
    return data;
}

static void
en_nb_cfg_cleanup(void *data)
{
    free(data);
}

/* Sets br-int's external_ids 'key' to the decimal 'value' (in the bridge's
 * transaction) unless it already holds it. */
static void
bridge_set_number(const struct ovsrec_bridge *br, const char *key,
                  long long int value)
{
    char *s = xasprintf("%lld", value);

    if (!nullable_string_is_equal(smap_get(&br->external_ids, key), s)) {
        COVERAGE_INC(nb_cfg_bridge_write);
        ovsrec_bridge_update_external_ids_setkey(br, key, s);
    }
    free(s);
}

/* True if br-int's external_ids lack ovn-startup-ts, or ovn-nb-cfg and
 * ovn-nb-cfg-ts for 'nb_cfg' (if 'acked'). */
static bool
bridge_needs_write(const struct ovsrec_bridge *br,
                   const struct en_nb_cfg_data *data, bool acked,
                   int64_t nb_cfg)
{
    char want[32];

    snprintf(want, sizeof want, "%lld", data->startup_ts);
    if (!nullable_string_is_equal(smap_get(&br->external_ids,
                                           "ovn-startup-ts"), want)) {
        return true;
    }
    snprintf(want, sizeof want, "%"PRId64, nb_cfg);
    return (acked && !nullable_string_is_equal(
                smap_get(&br->external_ids, "ovn-nb-cfg"), want));
}

/* Writes our start time, and the acknowledged 'nb_cfg' with the time
 * 'ts' of its acknowledgment (if 'acked'), into the integration bridge's
 * external_ids, as Debian's controller does.  Returns false if a write is
 * needed but there is no OVS transaction. */
static bool
sync_bridge(struct engine_node *node, const struct en_nb_cfg_data *data,
            const struct engine_context *ctx, bool acked, int64_t nb_cfg,
            long long int ts)
{
    const struct en_integration_bridge_data *ib
        = engine_get_input_data(node, data->in.integration_bridge);
    struct ovsdb_idl *ovs_idl = en_ovsdb_input_idl(node,
                                                   data->in.ovs_bridge);
    const struct ovsrec_bridge *br = integration_bridge_find(ovs_idl,
                                                             ib->name);

    if (!br || !bridge_needs_write(br, data, acked, nb_cfg)) {
        return true;
    }
    struct ovsdb_idl_txn *txn = en_ctx_ovs_txn(ctx);
    if (!txn) {
        return false;
    }
    bridge_set_number(br, "ovn-startup-ts", data->startup_ts);
    if (acked) {
        bridge_set_number(br, "ovn-nb-cfg", nb_cfg);
        bridge_set_number(br, "ovn-nb-cfg-ts", ts);
    }
    return true;
}

/* True if "debug/delay-nb-cfg-report" holds the acknowledgment back; then
 * arms the delay leaf, and the main loop's timer, for when it is due. */
static bool
must_delay(const struct en_nb_cfg_data *data)
{
    struct en_nb_cfg_delay *delay = data->in.delay;
    long long int due = data->seen_ms + (delay ? delay->delay_ms : 0);

    if (!delay || !delay->delay_ms || time_msec() >= due) {
        return false;
    }
    COVERAGE_INC(nb_cfg_delayed);
    delay->deadline = due;
    poll_timer_wait_until(due);
    return true;
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
        data->seen_ms = time_msec();
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

    if (must_delay(data)) {
        return changed ? ENGINE_RUN_UPDATED : ENGINE_RUN_UNCHANGED;
    }

    const struct sbrec_chassis_private *cp
        = chassis_sync_find_chassis_private(sb_idl, name);
    long long int ts = cp ? cp->nb_cfg_timestamp : 0;
    if (cp && cp->nb_cfg != nb_cfg) {
        struct ovsdb_idl_txn *txn = en_ctx_sb_txn(ctx);
        if (!txn) {
            return ENGINE_RUN_CANCELED;
        }
        COVERAGE_INC(nb_cfg_ack);
        VLOG_DBG("acknowledging nb_cfg %"PRId64, nb_cfg);
        ts = time_wall_msec();
        sbrec_chassis_private_set_nb_cfg(cp, nb_cfg);
        sbrec_chassis_private_set_nb_cfg_timestamp(cp, ts);
    }
    /* (An nb_cfg never acknowledged, e.g. 0 before any "--wait", has no
     * time: nothing to copy.) */
    if (!sync_bridge(node, data, ctx, cp && ts > 0, nb_cfg, ts)) {
        return ENGINE_RUN_CANCELED;
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

/* The local OVS database columns this node reads or writes. */
static const struct idl_column_use en_nb_cfg_columns[] = {
    { &ovsrec_bridge_col_external_ids, true },
};

void
en_nb_cfg_declare_columns(struct idl_columns *cols)
{
    IDL_COLUMNS_ADD(cols, en_nb_cfg_columns);
}

/* The leaf "nb_cfg_delay". */

static void *
en_nb_cfg_delay_init(void *delay)
{
    return delay;
}

static void
en_nb_cfg_delay_cleanup(void *delay OVS_UNUSED)
{
    /* The graph owns it. */
}

static enum engine_run_result
en_nb_cfg_delay_run(struct engine_node *node OVS_UNUSED, void *delay_,
                    const struct engine_context *ctx OVS_UNUSED)
{
    struct en_nb_cfg_delay *delay = delay_;

    delay->deadline = 0;
    return ENGINE_RUN_UPDATED;
}

static bool
en_nb_cfg_delay_changed(void *delay_)
{
    const struct en_nb_cfg_delay *delay = delay_;
    return delay->deadline && time_msec() >= delay->deadline;
}

const struct engine_node_class en_nb_cfg_delay_class = {
    .name = "nb_cfg_delay",
    .init = en_nb_cfg_delay_init,
    .cleanup = en_nb_cfg_delay_cleanup,
    .run = en_nb_cfg_delay_run,
    .source_changed = en_nb_cfg_delay_changed,
    .no_compare = "leaf: a timer",
};

static void
delay_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED, const char *argv[],
          void *delay_)
{
    struct en_nb_cfg_delay *delay = delay_;
    unsigned int s;

    if (!str_to_uint(argv[1], 10, &s)) {
        unixctl_command_reply_error(conn, "unsigned integer required");
        return;
    }
    delay->delay_ms = s * 1000LL;
    if (delay->deadline) {
        /* An acknowledgment waits: reconsider it now, with the new delay
         * (it is due from when its nb_cfg was first seen). */
        delay->deadline = time_msec();
        poll_immediate_wake();
    }
    char *reply = (s ? xasprintf("delay nb_cfg report for %u seconds.", s)
                   : xstrdup("no delay for nb_cfg report."));
    VLOG_INFO("%s", reply);
    unixctl_command_reply(conn, reply);
    free(reply);
}

void
en_nb_cfg_register_commands(struct en_nb_cfg_delay *delay)
{
    unixctl_command_register("debug/delay-nb-cfg-report", "SECONDS", 1, 1,
                             delay_cmd, delay);
}
