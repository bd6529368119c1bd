/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The logical flows of the local datapaths: computing them all, and
 * finding which ones a change concerns (see lflow.h and en-lflow.h).
 * Each handler collects the UUIDs of the flows to compile again, then
 * compiles them (lflow.c).
 */

#include <config.h>

#include "controller/lflow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "controller/en-runtime-data.h"
#include "controller/lflow-private.h"
#include "coverage.h"
#include "openvswitch/vlog.h"
#include "lib/ovn-sb-idl.h"
#include "ovsdb-idl.h"
#include "util.h"
#include "uuid.h"
#include "uuidset.h"

VLOG_DEFINE_THIS_MODULE(lflow_changes);

COVERAGE_DEFINE(lflow_compute);
COVERAGE_DEFINE(lflow_dp_added);
COVERAGE_DEFINE(lflow_dp_removed);
COVERAGE_DEFINE(lflow_dp_changed);
COVERAGE_DEFINE(lflow_port_changed);
COVERAGE_DEFINE(lflow_binding_changed);
COVERAGE_DEFINE(lflow_dp_group_changed);
COVERAGE_DEFINE(lflow_addr_set_changed);
COVERAGE_DEFINE(lflow_port_group_changed);
COVERAGE_DEFINE(lflow_template_changed);
COVERAGE_DEFINE(lflow_row_changed);

/* Adds every flow that refers to 'name' of 'kind' to 'todo'. */
static void
queue_name(const struct lflow_state *s, enum lflow_ref_kind kind,
           const char *name, struct uuidset *todo)
{
    lflow_index_collect(&s->index, kind, name, todo);
}

/* Flows to compile again for some datapaths only (lflow_redo_dp()): the
 * datapaths of each, by the flow's UUID.  A flow that is also to be
 * compiled again whole (in the handler's 'todo') is compiled whole. */
struct dp_parts {
    struct hmap flows;          /* struct dp_part. */
};

struct dp_part {
    struct hmap_node node;      /* In dp_parts 'flows', by uuid_hash(). */
    struct uuid flow;
    struct uuidset dps;
};

static void
dp_parts_init(struct dp_parts *parts)
{
    hmap_init(&parts->flows);
}

static void
dp_parts_add(struct dp_parts *parts, const struct uuid *flow,
             const struct uuid *dp)
{
    struct dp_part *part;

    HMAP_FOR_EACH_WITH_HASH (part, node, uuid_hash(flow), &parts->flows) {
        if (uuid_equals(&part->flow, flow)) {
            uuidset_insert(&part->dps, dp);
            return;
        }
    }
    part = xmalloc(sizeof *part);
    part->flow = *flow;
    uuidset_init(&part->dps);
    uuidset_insert(&part->dps, dp);
    hmap_insert(&parts->flows, &part->node, uuid_hash(flow));
}

/* Compiles again the datapaths of each flow in 'parts' that 'todo' does
 * not hold, and destroys 'parts'. */
static void
dp_parts_redo(struct lflow_state *s, struct dp_parts *parts,
              const struct uuidset *todo)
{
    struct dp_part *part;

    HMAP_FOR_EACH_POP (part, node, &parts->flows) {
        if (!uuidset_contains(todo, &part->flow)) {
            const struct uuidset_node *node;

            UUIDSET_FOR_EACH (node, &part->dps) {
                bool alone = lflow_redo_dp(s, &part->flow, &node->uuid);
                VLOG_DBG("logical flow "UUID_FMT": compiled again %s "
                         "datapath "UUID_FMT, UUID_ARGS(&part->flow),
                         alone ? "only for" : "whole, not only for",
                         UUID_ARGS(&node->uuid));
                if (!alone) {
                    break;
                }
            }
        }
        uuidset_destroy(&part->dps);
        free(part);
    }
    hmap_destroy(&parts->flows);
}

/* Returns the local datapath whose key starts port group name 'pg' (the
 * SB's per datapath "<key>_<name>"), or NULL. */
static const struct lflow_dp *
pg_scope(const struct lflow_state *s, const char *pg)
{
    const struct lflow_dp *dp;
    char *end;

    if (pg[0] < '0' || pg[0] > '9') {
        return NULL;
    }
    unsigned long key = strtoul(pg, &end, 10);
    if (*end != '_') {
        return NULL;
    }
    HMAP_FOR_EACH (dp, node, &s->dps) {
        if (dp->key == key) {
            return dp;
        }
    }
    return NULL;
}

/* Adds the flows that refer to port group 'pg' to 'todo' or, when only
 * the part of one datapath of a datapath group's flow reads it, to
 * 'parts' for that datapath: 'pg' must be the per datapath group
 * "<key>_<name>" of a local datapath, and the flow's match must not name
 * it itself (then it is looked up only on that datapath: see
 * find_port_group() in lib/lflow-compile-match.c). */
static void
queue_pg(const struct lflow_state *s, const char *pg, struct uuidset *todo,
         struct dp_parts *parts)
{
    const struct uuidset *flows = lflow_index_find(&s->index,
                                                   LFLOW_REF_PORT_GROUP, pg);
    const struct lflow_dp *dp = parts ? pg_scope(s, pg) : NULL;
    const struct uuidset_node *node;

    if (!flows) {
        return;
    }
    char *token = xasprintf("@%s", pg);
    UUIDSET_FOR_EACH (node, flows) {
        const struct sbrec_logical_flow *row
            = (dp ? sbrec_logical_flow_get_for_uuid(s->in->sb_idl,
                                                    &node->uuid)
               : NULL);
        if (row && row->logical_dp_group && !row->logical_datapath
            && !strstr(row->match, token) && !strchr(row->match, '^')) {
            dp_parts_add(parts, &node->uuid, &dp->uuid);
        } else {
            uuidset_insert(todo, &node->uuid);
        }
    }
    free(token);
}

/* Brings the local members of port group 'pg' up to date; returns true if
 * they changed. */
static bool
local_pg_changed(struct lflow_state *s, const char *pg)
{
    const struct expr_constant_set *cs = shash_find_data(&s->local_pgs, pg);
    struct sset before = SSET_INITIALIZER(&before);
    bool existed = cs != NULL;
    bool changed;

    for (size_t i = 0; cs && i < cs->n_values; i++) {
        sset_add(&before, cs->values[i].string);
    }
    lflow_local_pg_update(s, pg);
    cs = shash_find_data(&s->local_pgs, pg);
    changed = existed != (cs != NULL);
    if (cs && !changed) {
        size_t n = 0;
        for (size_t i = 0; i < cs->n_values && !changed; i++) {
            changed = !sset_contains(&before, cs->values[i].string);
            n++;
        }
        changed = changed || n != sset_count(&before);
    }
    sset_destroy(&before);
    return changed;
}

/* Adds to 'todo' the flows that refer to port 'port', directly or through
 * a port group it is in.  With 'parts' (the port's binding changed, its
 * name, key and datapath did not), only the flows of the port groups
 * whose local members changed, and to 'parts' where only one datapath's
 * part of a flow reads them (queue_pg()). */
static void
queue_port(const struct lflow_state *s, const char *port,
           struct uuidset *todo, struct dp_parts *parts)
{
    const struct sset *pgs = lflow_sets_pgs_of_port(&s->sets, port);
    struct lflow_state *ms = CONST_CAST(struct lflow_state *, s);
    const char *pg;

    COVERAGE_INC(lflow_port_changed);
    VLOG_DBG("port %s changed (%s)", port,
             lflow_is_local_port_cb(s, port) ? "local" : "not local");
    queue_name(s, LFLOW_REF_PORT, port, todo);
    if (pgs) {
        SSET_FOR_EACH (pg, pgs) {
            /* Its local membership may have changed. */
            if (!parts) {
                lflow_local_pg_update(ms, pg);
                queue_name(s, LFLOW_REF_PORT_GROUP, pg, todo);
            } else if (local_pg_changed(ms, pg)) {
                queue_pg(s, pg, todo, parts);
            }
        }
    }
}

/* Adds the flows of datapath group 'g' to 'todo'. */
static void
queue_group_lflows(const struct lflow_state *s,
                   const struct sbrec_logical_dp_group *g,
                   struct uuidset *todo)
{
    struct ovsdb_idl_index *idx = s->in->lflow_by_dpg;
    struct sbrec_logical_flow *key = sbrec_logical_flow_index_init_row(idx);
    const struct sbrec_logical_flow *lf;

    sbrec_logical_flow_index_set_logical_dp_group(key, g);
    SBREC_LOGICAL_FLOW_FOR_EACH_EQUAL (lf, key, idx) {
        uuidset_insert(todo, &lf->header_.uuid);
    }
    sbrec_logical_flow_index_destroy_row(key);
}

/* Adds to 'todo' the flows of datapath 'dp' the SB has: its own and
 * those of the groups it is in. */
static void
queue_dp_lflows(const struct lflow_state *s, const struct uuid *dp,
                struct uuidset *todo)
{
    const struct sbrec_datapath_binding *sb_dp
        = sbrec_datapath_binding_get_for_uuid(s->in->sb_idl, dp);
    struct ovsdb_idl_index *idx = s->in->lflow_by_dp;
    const struct sbrec_logical_dp_group *g;
    const struct sbrec_logical_flow *lf;

    if (!sb_dp) {
        return;
    }
    struct sbrec_logical_flow *key = sbrec_logical_flow_index_init_row(idx);
    sbrec_logical_flow_index_set_logical_datapath(key, sb_dp);
    SBREC_LOGICAL_FLOW_FOR_EACH_EQUAL (lf, key, idx) {
        uuidset_insert(todo, &lf->header_.uuid);
    }
    sbrec_logical_flow_index_destroy_row(key);

    SBREC_LOGICAL_DP_GROUP_FOR_EACH (g, s->in->sb_idl) {
        for (size_t i = 0; i < g->n_datapaths; i++) {
            if (g->datapaths[i] == sb_dp) {
                queue_group_lflows(s, g, todo);
                break;
            }
        }
    }
}

/* Adds every flow compiled on datapath 'dp' to 'todo'. */
static void
queue_dp_compiled(const struct lflow_state *s, const struct uuid *dp,
                  struct uuidset *todo)
{
    const struct uuidset *flows = lflow_index_find_dp(&s->index, dp);
    const struct uuidset_node *node;

    if (flows) {
        UUIDSET_FOR_EACH (node, flows) {
            uuidset_insert(todo, &node->uuid);
        }
    }
}

/* Snapshots of runtime_data. */

static struct lflow_dp *
find_dp(const struct lflow_state *s, const struct uuid *uuid)
{
    struct lflow_dp *dp;

    HMAP_FOR_EACH_WITH_HASH (dp, node, uuid_hash(uuid), &s->dps) {
        if (uuid_equals(&dp->uuid, uuid)) {
            return dp;
        }
    }
    return NULL;
}

/* Brings the datapaths of 's' in line with runtime_data's, adding to
 * 'todo' the flows that must change: those of a datapath that became
 * local, and those compiled on one that stopped being local or whose key
 * or kind changed.  With 'todo' NULL, only records them. */
static void
sync_dps(struct lflow_state *s, struct uuidset *todo)
{
    const struct local_datapath *ld;
    struct lflow_dp *dp;

    HMAP_FOR_EACH (ld, node, &s->in->rtd->dps) {
        dp = find_dp(s, &ld->uuid);
        if (!dp) {
            dp = xmalloc(sizeof *dp);
            dp->uuid = ld->uuid;
            hmap_insert(&s->dps, &dp->node, uuid_hash(&dp->uuid));
            if (todo) {
                COVERAGE_INC(lflow_dp_added);
                queue_dp_lflows(s, &ld->uuid, todo);
            }
        } else if (todo && (dp->key != ld->tunnel_key
                            || dp->is_router != ld->is_router)) {
            COVERAGE_INC(lflow_dp_changed);
            queue_dp_compiled(s, &ld->uuid, todo);
        }
        dp->key = ld->tunnel_key;
        dp->is_router = ld->is_router;
    }
    HMAP_FOR_EACH_SAFE (dp, node, &s->dps) {
        if (!runtime_data_find_datapath(s->in->rtd, &dp->uuid)) {
            if (todo) {
                COVERAGE_INC(lflow_dp_removed);
                queue_dp_compiled(s, &dp->uuid, todo);
            }
            hmap_remove(&s->dps, &dp->node);
            free(dp);
        }
    }
}

/* The role of 'port' in runtime_data's bindings, plus one (0: none). */
static uintptr_t
bound_role(const struct lflow_state *s, const char *port)
{
    const struct local_binding *lb = runtime_data_find(s->in->rtd, port);
    return lb ? (uintptr_t) lb->role + 1 : 0;
}

/* Brings the recorded role of 'port' in line with runtime_data's; if it
 * changed and 'todo' is nonnull, adds the flows that refer to the port
 * to it. */
static void
sync_bound_port(struct lflow_state *s, const char *port,
                struct uuidset *todo, struct dp_parts *parts)
{
    uintptr_t now = bound_role(s, port);
    struct shash_node *node = shash_find(&s->bound, port);
    uintptr_t then = node ? (uintptr_t) node->data : 0;

    if (now == then) {
        return;
    }
    if (todo) {
        COVERAGE_INC(lflow_binding_changed);
        queue_port(s, port, todo, parts);
    }
    if (!now) {
        shash_delete(&s->bound, node);
    } else if (node) {
        node->data = (void *) now;
    } else {
        shash_add(&s->bound, port, (void *) now);
    }
}

/* Brings the recorded bindings in line with runtime_data's: the tracked
 * ones, or all of them if it recomputed (or 'todo' is NULL), queueing
 * the flows they concern in 'todo' or 'parts' (see queue_port()). */
static void
sync_bound(struct lflow_state *s, struct uuidset *todo,
           struct dp_parts *parts)
{
    const struct ed_runtime_data *rtd = s->in->rtd;
    const struct shash_node *node;
    const char *port;

    if (todo && !rtd->recomputed) {
        SSET_FOR_EACH (port, &rtd->tracked_lports) {
            sync_bound_port(s, port, todo, parts);
        }
        return;
    }

    struct sset all = SSET_INITIALIZER(&all);
    SHASH_FOR_EACH (node, &s->bound) {
        sset_add(&all, node->name);
    }
    SHASH_FOR_EACH (node, &rtd->bindings) {
        sset_add(&all, node->name);
    }
    SSET_FOR_EACH (port, &all) {
        sync_bound_port(s, port, todo, parts);
    }
    sset_destroy(&all);
}

/* Computing. */

static void
begin(struct lflow_state *s, const struct lflow_input *in)
{
    s->in = in;
}

/* lflow_redo_all(), logging each flow at debug level. */
static void
redo_whole(struct lflow_state *s, const struct uuidset *todo)
{
    const struct uuidset_node *node;

    if (VLOG_IS_DBG_ENABLED()) {
        UUIDSET_FOR_EACH (node, todo) {
            VLOG_DBG("logical flow "UUID_FMT": compiled again whole",
                     UUID_ARGS(&node->uuid));
        }
    }
    lflow_redo_all(s, todo);
}

/* Compiles the flows in 'todo' (destroying it), declares the ids and ends
 * the computation. */
static void
finish(struct lflow_state *s, struct uuidset *todo)
{
    if (todo) {
        redo_whole(s, todo);
        uuidset_destroy(todo);
    }
    lflow_sync_ids(s);
    s->in = NULL;
}

/* finish(), compiling first the flows in 'todo' whole, then the
 * datapaths in 'parts' of the others. */
static void
finish_with_parts(struct lflow_state *s, struct uuidset *todo,
                  struct dp_parts *parts)
{
    redo_whole(s, todo);
    dp_parts_redo(s, parts, todo);
    uuidset_destroy(todo);
    finish(s, NULL);
}

void
lflow_compute(struct lflow_state *s, const struct lflow_input *in)
{
    const struct sbrec_logical_flow *row;
    struct lflow_rec *rec;

    COVERAGE_INC(lflow_compute);
    begin(s, in);
    lflow_sets_build(&s->sets, in->sb_idl, in->chassis);
    lflow_local_pgs_rebuild(s);
    sync_dps(s, NULL);
    sync_bound(s, NULL, NULL);
    HMAP_FOR_EACH (rec, node, &s->lflows) {
        rec->seen = false;
    }
    SBREC_LOGICAL_FLOW_FOR_EACH (row, in->sb_idl) {
        lflow_redo(s, &row->header_.uuid);
    }
    HMAP_FOR_EACH_SAFE (rec, node, &s->lflows) {
        if (!rec->seen) {
            lflow_remove(s, &rec->uuid);
        }
    }
    finish(s, NULL);
}

void
lflow_handle_runtime_data(struct lflow_state *s,
                          const struct lflow_input *in)
{
    struct uuidset todo = UUIDSET_INITIALIZER(&todo);

    struct dp_parts parts;

    begin(s, in);
    dp_parts_init(&parts);
    VLOG_DBG("runtime_data changed%s", in->rtd->recomputed ? " (recomputed)" : "");
    sync_dps(s, &todo);
    sync_bound(s, &todo, &parts);
    finish_with_parts(s, &todo, &parts);
}

void
lflow_handle_logical_flows(struct lflow_state *s,
                           const struct lflow_input *in)
{
    struct uuidset todo = UUIDSET_INITIALIZER(&todo);
    const struct sbrec_logical_flow *row;

    begin(s, in);
    SBREC_LOGICAL_FLOW_TABLE_FOR_EACH_TRACKED (
        row, sbrec_logical_flow_table_get(in->sb_idl)) {
        COVERAGE_INC(lflow_row_changed);
        uuidset_insert(&todo, &row->header_.uuid);
    }
    finish(s, &todo);
}

/* True if the local datapaths of logical flow 'row' differ from those it
 * was compiled on. */
static bool
dps_changed(const struct lflow_state *s, const struct sbrec_logical_flow *row)
{
    const struct lflow_refs *refs = lflow_index_get(&s->index,
                                                    &row->header_.uuid);
    const struct sbrec_logical_dp_group *g = row->logical_dp_group;
    struct uuidset now = UUIDSET_INITIALIZER(&now);
    bool changed = false;

    for (size_t i = 0; g && i < g->n_datapaths; i++) {
        const struct uuid *u = &g->datapaths[i]->header_.uuid;
        if (runtime_data_find_datapath(s->in->rtd, u)) {
            uuidset_insert(&now, u);
        }
    }
    if (!refs) {
        changed = !uuidset_is_empty(&now);
    } else if (refs->n_dps != uuidset_count(&now)) {
        changed = true;
    } else {
        for (size_t i = 0; i < refs->n_dps && !changed; i++) {
            changed = !uuidset_contains(&now, &refs->dps[i]);
        }
    }
    uuidset_destroy(&now);
    return changed;
}

void
lflow_handle_dp_groups(struct lflow_state *s, const struct lflow_input *in)
{
    struct uuidset todo = UUIDSET_INITIALIZER(&todo);
    struct uuidset group = UUIDSET_INITIALIZER(&group);
    const struct sbrec_logical_dp_group *g;
    const struct uuidset_node *node;

    begin(s, in);
    SBREC_LOGICAL_DP_GROUP_TABLE_FOR_EACH_TRACKED (
        g, sbrec_logical_dp_group_table_get(in->sb_idl)) {
        if (sbrec_logical_dp_group_is_deleted(g)) {
            continue;
        }
        COVERAGE_INC(lflow_dp_group_changed);
        uuidset_clear(&group);
        queue_group_lflows(s, g, &group);
        UUIDSET_FOR_EACH (node, &group) {
            const struct sbrec_logical_flow *row
                = sbrec_logical_flow_get_for_uuid(in->sb_idl, &node->uuid);
            if (row && dps_changed(s, row)) {
                uuidset_insert(&todo, &node->uuid);
            }
        }
    }
    uuidset_destroy(&group);
    finish(s, &todo);
}

/* Adds to 'todo' the flows that refer to each of 'names' of 'kind'. */
static void
queue_names(const struct lflow_state *s, enum lflow_ref_kind kind,
            const struct sset *names, struct uuidset *todo)
{
    const char *name;

    SSET_FOR_EACH (name, names) {
        queue_name(s, kind, name, todo);
    }
}

void
lflow_handle_addr_sets(struct lflow_state *s, const struct lflow_input *in)
{
    struct uuidset todo = UUIDSET_INITIALIZER(&todo);
    struct sset changed = SSET_INITIALIZER(&changed);

    begin(s, in);
    lflow_sets_update_addr_sets(&s->sets, in->sb_idl, &changed);
    if (!sset_is_empty(&changed)) {
        COVERAGE_INC(lflow_addr_set_changed);
    }
    queue_names(s, LFLOW_REF_ADDR_SET, &changed, &todo);
    sset_destroy(&changed);
    finish(s, &todo);
}

void
lflow_handle_port_groups(struct lflow_state *s,
                         const struct lflow_input *in)
{
    struct uuidset todo = UUIDSET_INITIALIZER(&todo);
    struct sset changed = SSET_INITIALIZER(&changed);

    struct sset fresh = SSET_INITIALIZER(&fresh);
    const struct sbrec_port_group *row;
    struct dp_parts parts;

    begin(s, in);
    dp_parts_init(&parts);
    /* A group that appears or goes changes which name a flow finds (the
     * datapath's own or the plain one): such flows are compiled whole. */
    SBREC_PORT_GROUP_TABLE_FOR_EACH_TRACKED (
        row, sbrec_port_group_table_get(in->sb_idl)) {
        if (sbrec_port_group_is_new(row)
            || sbrec_port_group_is_deleted(row)) {
            sset_add(&fresh, row->name);
        }
    }
    lflow_sets_update_port_groups(&s->sets, in->sb_idl, &changed);
    if (!sset_is_empty(&changed)) {
        COVERAGE_INC(lflow_port_group_changed);
    }
    const char *pg;
    SSET_FOR_EACH (pg, &changed) {
        lflow_local_pg_update(s, pg);
        queue_pg(s, pg, &todo, sset_contains(&fresh, pg) ? NULL : &parts);
    }
    sset_destroy(&changed);
    sset_destroy(&fresh);
    finish_with_parts(s, &todo, &parts);
}

/* How a change of a Port_Binding can change how flows compile. */
enum pb_change {
    PB_CHANGE_NONE,             /* Not at all. */
    PB_CHANGE_CHASSIS,          /* Only through the port's locality. */
    PB_CHANGE_ALL,              /* Its name, key, datapath or type. */
};

/* How a change of 'pb' can change how a flow compiles: it is new or gone,
 * or its name, key, datapath or type changed (all of it); or the chassis
 * it names changed, which matters for a chassisredirect port (residency:
 * all of it) and for a port of a type bound to one chassis that is not
 * bound here (locality: the port's own flows and its port groups' local
 * members; a port bound here is local whatever the SB says). */
static enum pb_change
pb_change_kind(const struct lflow_state *s,
               const struct sbrec_port_binding *pb)
{
    static const enum sbrec_port_binding_column_id cols[] = {
        SBREC_PORT_BINDING_COL_LOGICAL_PORT,
        SBREC_PORT_BINDING_COL_TUNNEL_KEY,
        SBREC_PORT_BINDING_COL_DATAPATH,
        SBREC_PORT_BINDING_COL_TYPE,
    };

    if (sbrec_port_binding_is_new(pb) || sbrec_port_binding_is_deleted(pb)) {
        return PB_CHANGE_ALL;
    }
    for (size_t i = 0; i < ARRAY_SIZE(cols); i++) {
        if (sbrec_port_binding_is_updated(pb, cols[i])) {
            return PB_CHANGE_ALL;
        }
    }
    if (sbrec_port_binding_is_updated(pb, SBREC_PORT_BINDING_COL_CHASSIS)
        || sbrec_port_binding_is_updated(
               pb, SBREC_PORT_BINDING_COL_ADDITIONAL_CHASSIS)) {
        if (!strcmp(pb->type, "chassisredirect")) {
            return PB_CHANGE_ALL;
        }
        if (lflow_type_is_bound(pb->type)
            && !runtime_data_find(s->in->rtd, pb->logical_port)) {
            return PB_CHANGE_CHASSIS;
        }
    }
    return PB_CHANGE_NONE;
}

static const char *
pb_change_name(enum pb_change kind)
{
    return (kind == PB_CHANGE_ALL ? "matters"
            : kind == PB_CHANGE_CHASSIS ? "matters for its locality"
            : "ignored");
}

void
lflow_handle_port_bindings(struct lflow_state *s,
                           const struct lflow_input *in)
{
    struct uuidset todo = UUIDSET_INITIALIZER(&todo);
    const struct sbrec_port_binding *pb;
    struct dp_parts parts;

    begin(s, in);
    dp_parts_init(&parts);
    SBREC_PORT_BINDING_TABLE_FOR_EACH_TRACKED (
        pb, sbrec_port_binding_table_get(in->sb_idl)) {
        enum pb_change kind = pb_change_kind(s, pb);

        VLOG_DBG("port binding %s changed: %s", pb->logical_port,
                 pb_change_name(kind));
        if (kind != PB_CHANGE_NONE) {
            /* A port whose chassis alone changed (bound elsewhere, say)
             * keeps its name, key and datapath: only its locality may
             * change, which queue_port() follows through the local
             * members of its groups. */
            queue_port(s, pb->logical_port, &todo,
                       kind == PB_CHANGE_CHASSIS ? &parts : NULL);
        }
    }
    finish_with_parts(s, &todo, &parts);
}

void
lflow_handle_mcast_groups(struct lflow_state *s,
                          const struct lflow_input *in)
{
    struct uuidset todo = UUIDSET_INITIALIZER(&todo);
    const struct sbrec_multicast_group *mg;

    begin(s, in);
    SBREC_MULTICAST_GROUP_TABLE_FOR_EACH_TRACKED (
        mg, sbrec_multicast_group_table_get(in->sb_idl)) {
        if (sbrec_multicast_group_is_new(mg)
            || sbrec_multicast_group_is_deleted(mg)
            || sbrec_multicast_group_is_updated(
                   mg, SBREC_MULTICAST_GROUP_COL_NAME)
            || sbrec_multicast_group_is_updated(
                   mg, SBREC_MULTICAST_GROUP_COL_TUNNEL_KEY)
            || sbrec_multicast_group_is_updated(
                   mg, SBREC_MULTICAST_GROUP_COL_DATAPATH)) {
            queue_name(s, LFLOW_REF_PORT, mg->name, &todo);
        }
    }
    finish(s, &todo);
}

void
lflow_handle_templates(struct lflow_state *s, const struct lflow_input *in)
{
    struct uuidset todo = UUIDSET_INITIALIZER(&todo);
    struct sset changed = SSET_INITIALIZER(&changed);

    begin(s, in);
    lflow_sets_update_templates(&s->sets, in->sb_idl, in->chassis,
                                &changed);
    if (!sset_is_empty(&changed)) {
        COVERAGE_INC(lflow_template_changed);
    }
    queue_names(s, LFLOW_REF_TEMPLATE, &changed, &todo);
    sset_destroy(&changed);
    finish(s, &todo);
}

void
lflow_handle_meters(struct lflow_state *s, const struct lflow_input *in)
{
    begin(s, in);
    finish(s, NULL);
}
