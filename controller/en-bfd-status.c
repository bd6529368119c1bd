/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine leaf "bfd_status": see en-bfd-status.h.
 */

#include <config.h>

#include "controller/en-bfd-status.h"

#include <limits.h>
#include <string.h>
#include "controller/idl-columns.h"
#include "controller/tunnel-mesh.h"
#include "coverage.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "timeval.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(bfd_status);

COVERAGE_DEFINE(bfd_status_scan);
COVERAGE_DEFINE(bfd_status_changed);

/* OVS's defaults for an Interface's bfd column (ovs-vswitchd.conf.db(5)). */
#define BFD_DEFAULT_MIN_RX 1000
#define BFD_DEFAULT_MIN_TX 100
#define BFD_DEFAULT_MULT 3

/* The shortest hold time, in ms. */
#define BFD_MIN_HOLD_MS 1000

/* The shortest margin between stable and settled, in ms. */
#define BFD_MIN_MARGIN_MS 500

static void
session_free(struct bfd_session *s)
{
    if (s) {
        free(s->key);
        free(s->iface);
        free(s);
    }
}

static void
sessions_clear(struct shash *sessions)
{
    struct shash_node *node;

    SHASH_FOR_EACH_SAFE (node, sessions) {
        session_free(node->data);
        shash_delete(sessions, node);
    }
}

static void *
en_bfd_status_init(void *ovs_idl)
{
    struct en_bfd_status_data *data = xzalloc(sizeof *data);

    data->ovs_idl = ovs_idl;
    shash_init(&data->sessions);
    return data;
}

static void
en_bfd_status_cleanup(void *data_)
{
    struct en_bfd_status_data *data = data_;

    if (data) {
        sessions_clear(&data->sessions);
        shash_destroy(&data->sessions);
        free(data);
    }
}

const struct bfd_session *
en_bfd_status_find(const struct en_bfd_status_data *data, const char *key)
{
    return shash_find_data(&data->sessions, key);
}

/* The detection time of a session configured by 'bfd' (an Interface's
 * bfd column), in ms. */
static long long int
detect_ms(const struct smap *bfd)
{
    int min_rx = smap_get_int(bfd, "min_rx", BFD_DEFAULT_MIN_RX);
    int min_tx = smap_get_int(bfd, "min_tx", BFD_DEFAULT_MIN_TX);
    int mult = smap_get_int(bfd, "mult", BFD_DEFAULT_MULT);

    return (long long int) MAX(mult, 1) * MAX(MAX(min_rx, min_tx), 1);
}

/* The hold time of a session configured by 'bfd': twice its detection
 * time, at least BFD_MIN_HOLD_MS. */
static long long int
hold_ms(const struct smap *bfd)
{
    return MAX(2 * detect_ms(bfd), BFD_MIN_HOLD_MS);
}

/* The time after which a session configured by 'bfd' is settled: its hold
 * time plus one detection time, at least BFD_MIN_MARGIN_MS. */
static long long int
settle_ms(const struct smap *bfd)
{
    return hold_ms(bfd) + MAX(detect_ms(bfd), BFD_MIN_MARGIN_MS);
}

/* Reads every tunnel port of ours into a new map, carrying each session's
 * 'up_since' over from 'old' while it stays up. */
static void
scan(const struct en_bfd_status_data *data, const struct shash *old,
     long long int now, struct shash *out)
{
    const struct ovsrec_port *port;

    COVERAGE_INC(bfd_status_scan);
    OVSREC_PORT_FOR_EACH (port, data->ovs_idl) {
        const char *id = smap_get(&port->external_ids, "ovn-chassis-id");
        char *key = id ? tunnel_mesh_key_from_ids(
            id, smap_get(&port->external_ids, "ovn-tunnel-type")) : NULL;

        if (!key || port->n_interfaces != 1) {
            free(key);
            continue;
        }

        const struct ovsrec_interface *iface = port->interfaces[0];
        const struct bfd_session *prev = shash_find_data(old, key);
        struct bfd_session *s = xzalloc(sizeof *s);

        s->key = key;
        s->iface = xstrdup(iface->name);
        s->enabled = smap_get_bool(&iface->bfd, "enable", false);
        s->up = s->enabled && !strcmp(smap_get_def(&iface->bfd_status,
                                                   "state", ""), "up");
        s->forwarding = s->enabled && smap_get_bool(&iface->bfd_status,
                                                    "forwarding", false);
        s->ever_up = s->up || (s->enabled
                               && smap_get_int(&iface->bfd_status,
                                               "flap_count", 0) > 0);
        s->hold_ms = hold_ms(&iface->bfd);
        s->settle_ms = settle_ms(&iface->bfd);
        if (!s->up) {
            s->up_since = LLONG_MAX;
        } else if (prev && prev->up) {
            s->up_since = prev->up_since;
        } else {
            s->up_since = data->started ? now : 0;
        }
        struct bfd_session *dup = shash_replace_nocopy(out, xstrdup(key), s);
        session_free(dup);
    }
}

/* True if session 's' has been up for 'ms' at 'now'. */
static bool
up_for(const struct bfd_session *s, long long int ms, long long int now)
{
    return s->up && s->up_since != LLONG_MAX && now >= s->up_since + ms;
}

/* Sets 'stable' and 'settled' on every session of 'sessions' at 'now'. */
static void
evaluate(struct shash *sessions, long long int now)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, sessions) {
        struct bfd_session *s = node->data;
        s->stable = up_for(s, s->hold_ms, now);
        s->settled = up_for(s, s->settle_ms, now);
    }
}

static bool
session_equal(const struct bfd_session *a, const struct bfd_session *b)
{
    return (!strcmp(a->iface, b->iface) && a->enabled == b->enabled
            && a->up == b->up && a->forwarding == b->forwarding
            && a->stable == b->stable && a->settled == b->settled
            && a->ever_up == b->ever_up);
}

static bool
sessions_equal(const struct shash *a, const struct shash *b)
{
    const struct shash_node *node;

    if (shash_count(a) != shash_count(b)) {
        return false;
    }
    SHASH_FOR_EACH (node, a) {
        const struct bfd_session *other = shash_find_data(b, node->name);
        if (!other || !session_equal(node->data, other)) {
            return false;
        }
    }
    return true;
}

/* True if a tracked change of the OVS database may concern our tunnels'
 * BFD. */
static bool
tracked_changes(const struct en_bfd_status_data *data)
{
    return (ovsrec_interface_table_track_get_first(
                ovsrec_interface_table_get(data->ovs_idl))
            || ovsrec_port_table_track_get_first(
                ovsrec_port_table_get(data->ovs_idl)));
}

/* Brings the data up to date: rescans if 'rescan', re-evaluates the
 * stability, and schedules a wake-up for the next session to become
 * stable.  Returns true if anything the readers see changed. */
static bool
refresh(struct en_bfd_status_data *data, bool rescan)
{
    long long int now = time_msec();
    bool changed = false;

    if (rescan) {
        struct shash fresh = SHASH_INITIALIZER(&fresh);

        scan(data, &data->sessions, now, &fresh);
        evaluate(&fresh, now);
        changed = !sessions_equal(&fresh, &data->sessions);
        sessions_clear(&data->sessions);
        shash_swap(&fresh, &data->sessions);
        shash_destroy(&fresh);
    } else {
        struct shash_node *node;

        /* Only time passed: did a session become stable or settled? */
        SHASH_FOR_EACH (node, &data->sessions) {
            struct bfd_session *s = node->data;
            changed |= (up_for(s, s->hold_ms, now) != s->stable
                        || up_for(s, s->settle_ms, now) != s->settled);
        }
        if (changed) {
            evaluate(&data->sessions, now);
        }
    }
    if (data->ovs_idl && ovsdb_idl_has_ever_connected(data->ovs_idl)) {
        data->started = true;
    }

    long long int next = LLONG_MAX;
    const struct shash_node *node;
    SHASH_FOR_EACH (node, &data->sessions) {
        const struct bfd_session *s = node->data;
        if (s->up && !s->stable) {
            next = MIN(next, s->up_since + s->hold_ms);
        } else if (s->up && !s->settled) {
            next = MIN(next, s->up_since + s->settle_ms);
        }
    }
    if (next != LLONG_MAX) {
        poll_timer_wait_until(next);
    }
    if (changed) {
        COVERAGE_INC(bfd_status_changed);
    }
    return changed;
}

static enum engine_run_result
en_bfd_status_run(struct engine_node *node OVS_UNUSED, void *data_,
                  const struct engine_context *ctx OVS_UNUSED)
{
    struct en_bfd_status_data *data = data_;

    if (data->ovs_idl) {
        refresh(data, true);
    }
    return ENGINE_RUN_UPDATED;
}

static bool
en_bfd_status_changed(void *data_)
{
    struct en_bfd_status_data *data = data_;

    return data->ovs_idl && refresh(data, tracked_changes(data));
}

const struct engine_node_class en_bfd_status_class = {
    .name = "bfd_status",
    .init = en_bfd_status_init,
    .cleanup = en_bfd_status_cleanup,
    .run = en_bfd_status_run,
    .source_changed = en_bfd_status_changed,
    .no_compare = "leaf: ovs-vswitchd and the clock hold the sessions",
};

static const struct idl_column_use en_bfd_status_columns[] = {
    { &ovsrec_port_col_name, true },
    { &ovsrec_port_col_interfaces, true },
    { &ovsrec_port_col_external_ids, true },
    { &ovsrec_interface_col_name, true },
    { &ovsrec_interface_col_bfd, true },
    { &ovsrec_interface_col_bfd_status, true },
};

void
en_bfd_status_declare_columns(struct idl_columns *cols)
{
    IDL_COLUMNS_ADD(cols, en_bfd_status_columns);
}
