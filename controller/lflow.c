/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The logical flows of the local datapaths, compiled: see lflow.h.
 *
 * This file compiles one logical flow at a time (lflow_redo()) and keeps
 * its bookkeeping; lflow-changes.c finds which flows a change concerns.
 */

#include <config.h>

#include "controller/lflow.h"

#include "ovn/controller-ops.h"

#include <stdlib.h>
#include <string.h>

#include "controller/en-runtime-data.h"
#include "controller/lflow-private.h"
#include "coverage.h"
#include "lib/ovn-sb-idl.h"
#include "lib/symtab.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "ovsdb-data.h"
#include "ovsdb-idl-provider.h"
#include "ovsdb-idl.h"
#include "svec.h"
#include "util.h"
#include "uuid.h"
#include "uuidset.h"

COVERAGE_DEFINE(lflow_redo);
COVERAGE_DEFINE(lflow_redo_dp);
COVERAGE_DEFINE(lflow_remove);
COVERAGE_DEFINE(lflow_error);
COVERAGE_DEFINE(lflow_conj_moved);
COVERAGE_DEFINE(lflow_meter_missing);

/* Room for every OpenFlow group and meter id we hand out. */
#define LFLOW_MAX_IDS (UINT32_MAX - 2)

void
lflow_state_init(struct lflow_state *s)
{
    memset(s, 0, sizeof *s);
    flow_table_init(&s->flows);
    lflow_sets_init(&s->sets);
    shash_init(&s->local_pgs);
    shash_init(&s->symtab);
    symtab_init(&s->symtab);
    id_table_init(&s->groups, 1, LFLOW_MAX_IDS);
    id_table_init(&s->meters, 1, CTLOP_METER_ID_BASE - 1);
    conj_ids_init(&s->conj_ids);
    hmap_init(&s->lflows);
    lflow_index_init(&s->index);
    hmap_init(&s->dps);
    shash_init(&s->bound);
    sset_init(&s->missing_meters);
    s->compile = (struct lflow_compile_ctx) {
        .symtab = &s->symtab,
        .dhcp_opts = &s->sets.dhcp_opts,
        .dhcpv6_opts = &s->sets.dhcpv6_opts,
        .addr_sets = &s->sets.addr_sets,
        .port_groups = &s->sets.port_groups,
        .templates = &s->sets.templates,
        .is_resident = lflow_is_resident_cb,
        .resident_aux = s,
        .is_local_port = lflow_is_local_port_cb,
        .local_port_aux = s,
        .local_port_groups = &s->local_pgs,
        .groups = &s->groups,
        .meters = &s->meters,
        .ctlop_meters = true,   /* Declared by node pinctrl_meters. */
        .conj_ids = &s->conj_ids,
        .check_openflow = true,
    };
}

void
lflow_state_destroy(struct lflow_state *s)
{
    struct lflow_rec *rec;
    struct lflow_dp *dp;

    if (!s) {
        return;
    }
    HMAP_FOR_EACH_POP (rec, node, &s->lflows) {
        id_refs_release(&rec->ids);
        free(rec->error);
        free(rec);
    }
    hmap_destroy(&s->lflows);
    flow_table_destroy(&s->flows);
    lflow_sets_destroy(&s->sets);
    expr_const_sets_destroy(&s->local_pgs);
    symtab_destroy(&s->symtab);
    id_table_destroy(&s->groups);
    id_table_destroy(&s->meters);
    conj_ids_destroy(&s->conj_ids);
    lflow_index_destroy(&s->index);
    HMAP_FOR_EACH_POP (dp, node, &s->dps) {
        free(dp);
    }
    hmap_destroy(&s->dps);
    shash_destroy(&s->bound);
    sset_destroy(&s->missing_meters);
}

void
lflow_state_set_hint(struct lflow_state *s, const struct lflow_state *hint)
{
    id_table_set_hint(&s->groups, hint ? &hint->groups : NULL);
    id_table_set_hint(&s->meters, hint ? &hint->meters : NULL);
    conj_ids_set_hint(&s->conj_ids, hint ? &hint->conj_ids : NULL);
}

/* Records. */

const struct lflow_rec *
lflow_state_find(const struct lflow_state *s, const struct uuid *uuid)
{
    struct lflow_rec *rec;

    HMAP_FOR_EACH_WITH_HASH (rec, node, uuid_hash(uuid), &s->lflows) {
        if (uuid_equals(&rec->uuid, uuid)) {
            return rec;
        }
    }
    return NULL;
}

static struct lflow_rec *
rec_find(struct lflow_state *s, const struct uuid *uuid)
{
    return CONST_CAST(struct lflow_rec *, lflow_state_find(s, uuid));
}

/* Sets the error of 'rec' to 'error' (taking ownership), logging it if it
 * is new. */
static void
rec_set_error(struct lflow_state *s, struct lflow_rec *rec, char *error)
{
    if (error && (!rec->error || strcmp(error, rec->error))) {
        COVERAGE_INC(lflow_error);
        svec_add_nocopy(s->in->warnings,
                        xasprintf("logical flow "UUID_FMT" (%s table %"
                                  PRId64") skipped: %s",
                                  UUID_ARGS(&rec->uuid),
                                  rec->ingress ? "ingress" : "egress",
                                  rec->table_id, error));
    }
    s->n_errors += (error != NULL) - (rec->error != NULL);
    free(rec->error);
    rec->error = error;
}

/* Removes logical flow 'uuid': its flows, ids and references. */
void
lflow_remove(struct lflow_state *s, const struct uuid *uuid)
{
    struct lflow_rec *rec = rec_find(s, uuid);
    const struct lflow_refs *refs = lflow_index_get(&s->index, uuid);

    flow_table_remove_owner(&s->flows, uuid);
    for (size_t i = 0; refs && i < refs->n_dps; i++) {
        struct uuid sub = lflow_sub_owner(uuid, &refs->dps[i]);
        flow_table_remove_owner(&s->flows, &sub);
    }
    lflow_index_remove(&s->index, uuid);
    if (rec) {
        COVERAGE_INC(lflow_remove);
        lflow_compile_release(&s->compile, uuid, &rec->ids);
        rec_set_error(s, rec, NULL);
        hmap_remove(&s->lflows, &rec->node);
        free(rec);
    }
}

/* Callbacks of lib/lflow-compile.h. */

/* Returns the Port_Binding named 'port', or NULL. */
const struct sbrec_port_binding *
lflow_find_pb(const struct lflow_state *s, const char *port)
{
    const struct uuid *u = shash_find_data(&s->in->rtd->pb_by_name, port);
    const struct sbrec_port_binding *pb
        = u ? sbrec_port_binding_get_for_uuid(s->in->sb_idl, u) : NULL;

    return pb && !sbrec_port_binding_is_deleted(pb) ? pb : NULL;
}

/* True if reference column 'col' of 'pb', as the SB has it committed,
 * names the chassis called 'us'.  A transaction of ours may have written
 * the column in this iteration (binding_sync claims and releases), and
 * the IDL shows such writes at once, in whatever order the nodes run:
 * reading the committed value keeps the answer the same for the node and
 * for its consistency check, and the SB's echo of the write comes as a
 * tracked change of the column. */
static bool
committed_names(const struct lflow_state *s,
                const struct sbrec_port_binding *pb,
                enum sbrec_port_binding_column_id col, const char *us)
{
    const struct ovsdb_idl_row *row = &pb->header_;
    const struct ovsdb_datum *d = row->old_datum ? &row->old_datum[col]
                                                 : NULL;

    for (size_t i = 0; d && i < d->n; i++) {
        const struct sbrec_chassis *ch
            = sbrec_chassis_get_for_uuid(s->in->sb_idl, &d->keys[i].uuid);
        if (ch && !strcmp(ch->name, us)) {
            return true;
        }
    }
    return false;
}

/* True if 'pb' names this chassis as its chassis or an additional one. */
static bool
pb_names_us(const struct lflow_state *s, const struct sbrec_port_binding *pb)
{
    const char *us = s->in->chassis;

    return (us[0]
            && (committed_names(s, pb, SBREC_PORT_BINDING_COL_CHASSIS, us)
                || committed_names(s, pb,
                                   SBREC_PORT_BINDING_COL_ADDITIONAL_CHASSIS,
                                   us)));
}

bool
lflow_type_is_bound(const char *type)
{
    static const char *const bound[] = {
        "", "virtual", "localport", "external", "l2gateway", "l3gateway",
        "chassisredirect",
    };

    for (size_t i = 0; i < ARRAY_SIZE(bound); i++) {
        if (!strcmp(type, bound[i])) {
            return true;
        }
    }
    return false;
}

bool
lflow_is_local_port_cb(const void *s_, const char *port)
{
    const struct lflow_state *s = s_;
    const struct sbrec_port_binding *pb;

    if (!strcmp(port, "none") || runtime_data_find(s->in->rtd, port)) {
        return true;
    }
    pb = lflow_find_pb(s, port);
    return pb && (!lflow_type_is_bound(pb->type) || pb_names_us(s, pb));
}

void
lflow_local_pg_update(struct lflow_state *s, const char *pg)
{
    const struct expr_constant_set *cs
        = shash_find_data(&s->sets.port_groups, pg);

    if (!cs) {
        expr_const_sets_remove(&s->local_pgs, pg);
        return;
    }

    const char **members = xmalloc((cs->n_values + 1) * sizeof *members);
    size_t n = 0;
    for (size_t i = 0; i < cs->n_values; i++) {
        if (lflow_is_local_port_cb(s, cs->values[i].string)) {
            members[n++] = cs->values[i].string;
        }
    }
    expr_const_sets_add_strings(&s->local_pgs, pg, members, n);
    free(members);
}

void
lflow_local_pgs_rebuild(struct lflow_state *s)
{
    const struct shash_node *node;

    expr_const_sets_destroy(&s->local_pgs);
    shash_init(&s->local_pgs);
    SHASH_FOR_EACH (node, &s->sets.port_groups) {
        lflow_local_pg_update(s, node->name);
    }
}

bool
lflow_is_resident_cb(const void *s_, const char *port)
{
    const struct lflow_state *s = s_;
    const struct local_binding *lb = runtime_data_find(s->in->rtd, port);
    return lb && binding_role_is_claim(lb->role);
}

/* A datapath a flow is compiled on, as the lookup callback sees it. */
struct lf_dp {
    struct lflow_state *s;
    const struct local_datapath *ld;
    const struct sbrec_datapath_binding *sb_dp;
};

static bool
lookup_port_cb(const void *dp_, const char *name, unsigned int *key)
{
    const struct lf_dp *dp = dp_;
    struct lflow_state *s = dp->s;
    const struct sbrec_port_binding *pb;

    sset_add(&s->cur->names[LFLOW_REF_PORT], name);
    if (!strcmp(name, "none")) {
        *key = 0;
        return true;
    }
    pb = lflow_find_pb(s, name);
    if (pb) {
        if (pb->datapath && uuid_equals(&pb->datapath->header_.uuid,
                                        &dp->ld->uuid)) {
            *key = pb->tunnel_key;
            return true;
        }
        return false;
    }

    struct ovsdb_idl_index *idx = s->in->mg_by_name_dp;
    struct sbrec_multicast_group *row
        = sbrec_multicast_group_index_init_row(idx);
    sbrec_multicast_group_index_set_name(row, name);
    sbrec_multicast_group_index_set_datapath(row, dp->sb_dp);
    const struct sbrec_multicast_group *mg
        = sbrec_multicast_group_index_find(idx, row);
    sbrec_multicast_group_index_destroy_row(row);
    if (mg) {
        *key = mg->tunnel_key;
    }
    return mg != NULL;
}

/* Sub-owners.  The flows of a logical flow L that belong to one datapath
 * D alone are owned by a UUID made from L's and D's: the first 32 bits
 * are L's (the flows' cookie), the others L's XOR D's.  Another logical
 * flow's UUID, or another pair's, is that value only by the chance of 96
 * random bits. */
struct uuid
lflow_sub_owner(const struct uuid *lflow, const struct uuid *dp)
{
    struct uuid sub = *lflow;

    for (size_t i = 1; i < ARRAY_SIZE(sub.parts); i++) {
        sub.parts[i] ^= dp->parts[i];
    }
    return sub;
}

/* The owner of flow 'f' of the flow being compiled. */
static struct uuid
flow_owner(const struct lflow_state *s, const struct lflow_compile_ofpflow *f)
{
    if (f->dp) {
        const struct lf_dp *dp = f->dp->lookup_aux;
        return lflow_sub_owner(s->cur_uuid, &dp->ld->uuid);
    }
    return *s->cur_uuid;
}

/* Adds the flow to the flow table, owned by the flow being compiled (or
 * its sub-owner for the datapath the flow belongs to alone). */
static void
add_flow_cb(void *s_, const struct lflow_compile_ofpflow *f)
{
    struct lflow_state *s = s_;
    struct uuid owner = flow_owner(s, f);

    flow_table_add(&s->flows, &owner, f->table_id, f->priority,
                   f->cookie, f->match, f->ofpacts, f->ofpacts_len);
}

/* Calls flow_table_begin() (if 'begin') or flow_table_end() for logical
 * flow 'uuid' and its sub-owners for the 'n' datapaths 'dps'. */
static void
owners_bracket(struct lflow_state *s, const struct uuid *uuid,
               const struct uuid *dps, size_t n, bool begin)
{
    (begin ? flow_table_begin : flow_table_end)(&s->flows, uuid);
    for (size_t i = 0; i < n; i++) {
        struct uuid sub = lflow_sub_owner(uuid, &dps[i]);
        (begin ? flow_table_begin : flow_table_end)(&s->flows, &sub);
    }
}

/* Compiling one flow. */

static int
compare_dps(const void *a_, const void *b_)
{
    const struct lf_dp *a = a_, *b = b_;

    return (a->ld->tunnel_key < b->ld->tunnel_key ? -1
            : a->ld->tunnel_key > b->ld->tunnel_key);
}

/* Adds 'sb_dp' to 'dps' ('*n' of them) if it is local. */
static void
add_local_dp(struct lflow_state *s, const struct sbrec_datapath_binding *sb_dp,
             struct lf_dp *dps, size_t *n)
{
    const struct local_datapath *ld
        = sb_dp ? runtime_data_find_datapath(s->in->rtd, &sb_dp->header_.uuid)
                : NULL;

    if (ld) {
        dps[(*n)++] = (struct lf_dp) { .s = s, .ld = ld, .sb_dp = sb_dp };
    }
}

/* Returns the local datapaths 'row' applies to, sorted by tunnel key, in
 * a malloc'd array of '*n' (NULL if none). */
static struct lf_dp *
local_dps(struct lflow_state *s, const struct sbrec_logical_flow *row,
          size_t *n)
{
    const struct sbrec_logical_dp_group *g = row->logical_dp_group;
    size_t max = row->logical_datapath ? 1 : g ? g->n_datapaths : 0;
    struct lf_dp *dps = max ? xmalloc(max * sizeof *dps) : NULL;

    *n = 0;
    if (row->logical_datapath) {
        add_local_dp(s, row->logical_datapath, dps, n);
    } else if (g) {
        for (size_t i = 0; i < g->n_datapaths; i++) {
            add_local_dp(s, g->datapaths[i], dps, n);
        }
    }
    if (!*n) {
        free(dps);
        return NULL;
    }
    qsort(dps, *n, sizeof *dps, compare_dps);
    return dps;
}

/* Returns the local datapaths of 'row', as lflow_compile_dp, matching
 * 'dps'. */
static struct lflow_compile_dp *
compile_dps(const struct lf_dp *dps, size_t n)
{
    struct lflow_compile_dp *cdps = xmalloc(n * sizeof *cdps);

    for (size_t i = 0; i < n; i++) {
        cdps[i] = (struct lflow_compile_dp) {
            .key = dps[i].ld->tunnel_key,
            .is_switch = !dps[i].ld->is_router,
            .lookup_port = lookup_port_cb,
            .lookup_aux = &dps[i],
        };
    }
    return cdps;
}

/* Adds what the compilation of 'p' referred to, to 'refs'. */
static void
add_parsed_refs(struct lflow_refs *refs,
                const struct lflow_compile_parsed *p)
{
    const char *name;

    SSET_FOR_EACH (name, &p->addr_sets_ref) {
        sset_add(&refs->names[LFLOW_REF_ADDR_SET], name);
    }
    SSET_FOR_EACH (name, &p->port_groups_ref) {
        sset_add(&refs->names[LFLOW_REF_PORT_GROUP], name);
    }
    SSET_FOR_EACH (name, &p->resident_ref) {
        sset_add(&refs->names[LFLOW_REF_PORT], name);
    }
    SSET_FOR_EACH (name, &p->ports_ref) {
        sset_add(&refs->names[LFLOW_REF_PORT], name);
    }
}

/* Compiles 'p' on the datapaths 'cdps' ('n' of them) into the flow table:
 * all at once, or one at a time if the state says not to share.  Returns
 * NULL or a malloc'd error; on error, the flow has no flows. */
static char *
compile_on_dps(struct lflow_state *s, struct lflow_compile_parsed *p,
               const struct lflow_compile_dp *cdps, size_t n,
               struct id_refs *ids)
{
    char *error = NULL;

    if (!s->no_sharing) {
        return lflow_compile_on_dps(&s->compile, p, cdps, n, ids,
                                    add_flow_cb, s);
    }
    for (size_t i = 0; i < n && !error; i++) {
        error = lflow_compile_on_dp(&s->compile, p, &cdps[i], ids,
                                    add_flow_cb, s);
    }
    if (error) {
        owners_bracket(s, &p->uuid, s->cur_dps, s->n_cur_dps, true);
    }
    return error;
}

/* Returns the compiler's view of 'row' (which keeps owning its strings). */
static struct lflow_compile_lflow
lflow_of_row(const struct sbrec_logical_flow *row)
{
    return (struct lflow_compile_lflow) {
        .uuid = row->header_.uuid,
        .ingress = !strcmp(row->pipeline, "ingress"),
        .table_id = row->table_id,
        .priority = row->priority,
        .match = row->match,
        .actions = row->actions,
        .controller_meter = row->controller_meter,
    };
}

/* Compiles 'row' on the datapaths 'cdps' ('n' of them) into the flow
 * table, taking ids into 'ids', noting its references in 'refs' and the
 * layout of its flows in '*layoutp'.  Returns NULL or a malloc'd error. */
static char *
compile_row(struct lflow_state *s, const struct sbrec_logical_flow *row,
            const struct lflow_compile_dp *cdps, size_t n,
            struct id_refs *ids, struct lflow_refs *refs,
            enum lflow_compile_layout *layoutp)
{
    struct lflow_compile_lflow lf = lflow_of_row(row);
    struct lflow_compile_parsed *p;

    *layoutp = LFLOW_LAYOUT_WHOLE;
    char *error = lflow_compile_parse(&s->compile, &lf, &p);
    if (error) {
        return error;
    }
    error = compile_on_dps(s, p, cdps, n, ids);
    if (!error && p->conj_ids_moved) {
        /* The flows compiled before the range moved carry the old ids:
         * once more, with the range that now fits. */
        COVERAGE_INC(lflow_conj_moved);
        id_refs_release(ids);
        owners_bracket(s, &row->header_.uuid, s->cur_dps, s->n_cur_dps,
                       true);
        p->conj_ids_moved = false;
        error = compile_on_dps(s, p, cdps, n, ids);
    }
    add_parsed_refs(refs, p);
    *layoutp = p->layout;
    lflow_compile_parsed_destroy(p);
    return error;
}

/* Compiles logical flow 'uuid' again, on its current local datapaths, or
 * removes it if it is gone or applies to none. */
void
lflow_redo(struct lflow_state *s, const struct uuid *uuid)
{
    const struct sbrec_logical_flow *row
        = sbrec_logical_flow_get_for_uuid(s->in->sb_idl, uuid);
    size_t n;
    struct lf_dp *dps = (row && !sbrec_logical_flow_is_deleted(row)
                         ? local_dps(s, row, &n) : NULL);

    if (!dps) {
        lflow_remove(s, uuid);
        return;
    }
    COVERAGE_INC(lflow_redo);

    struct lflow_rec *rec = rec_find(s, uuid);
    if (!rec) {
        rec = xzalloc(sizeof *rec);
        rec->uuid = *uuid;
        rec->ids = (struct id_refs) ID_REFS_INITIALIZER;
        hmap_insert(&s->lflows, &rec->node, uuid_hash(uuid));
    }
    rec->ingress = !strcmp(row->pipeline, "ingress");
    rec->table_id = row->table_id;
    rec->n_dps = n;
    rec->seen = true;

    struct lflow_refs refs;
    lflow_refs_init(&refs);
    lflow_sets_scan_templates(row->match, &refs.names[LFLOW_REF_TEMPLATE]);
    lflow_sets_scan_templates(row->actions,
                              &refs.names[LFLOW_REF_TEMPLATE]);
    for (size_t i = 0; i < n; i++) {
        lflow_refs_add_dp(&refs, &dps[i].ld->uuid);
    }

    /* The sub-owners it had and will have. */
    const struct lflow_refs *old = lflow_index_get(&s->index, uuid);
    size_t n_old = old ? old->n_dps : 0;
    s->cur_dps = xmalloc((n_old + n) * sizeof *s->cur_dps);
    if (n_old) {
        memcpy(s->cur_dps, old->dps, n_old * sizeof *s->cur_dps);
    }
    for (size_t i = 0; i < n; i++) {
        s->cur_dps[n_old + i] = dps[i].ld->uuid;
    }
    s->n_cur_dps = n_old + n;

    /* New ids first, old ones released after: an unchanged flow keeps its
     * groups and meters. */
    struct lflow_compile_dp *cdps = compile_dps(dps, n);
    struct id_refs ids = ID_REFS_INITIALIZER;
    s->cur = &refs;
    s->cur_uuid = uuid;
    owners_bracket(s, uuid, s->cur_dps, s->n_cur_dps, true);
    char *error = compile_row(s, row, cdps, n, &ids, &refs, &rec->layout);
    owners_bracket(s, uuid, s->cur_dps, s->n_cur_dps, false);
    rec->n_dp_owners = 0;
    for (size_t i = 0; rec->layout != LFLOW_LAYOUT_WHOLE && i < n; i++) {
        struct uuid sub = lflow_sub_owner(uuid, &dps[i].ld->uuid);
        rec->n_dp_owners += flow_table_has_owner(&s->flows, &sub);
    }
    s->cur = NULL;
    s->cur_uuid = NULL;
    free(s->cur_dps);
    s->cur_dps = NULL;
    s->n_cur_dps = 0;
    id_refs_release(&rec->ids);
    rec->ids = ids;
    rec_set_error(s, rec, error);
    lflow_index_set(&s->index, uuid, &refs);
    lflow_refs_destroy(&refs);
    free(cdps);
    free(dps);
}

/* A flow of lflow_redo_dp()'s, kept until it is known that they replace
 * the datapath's flows. */
struct part_flow {
    uint8_t table_id;
    uint16_t priority;
    uint32_t cookie;
    struct match match;
    struct ofpbuf ofpacts;
};

/* The flows lflow_redo_dp() got. */
struct part_flows {
    struct part_flow *flows;
    size_t n, allocated;
};

static void
save_part_flow(void *pf_, const struct lflow_compile_ofpflow *f)
{
    struct part_flows *pf = pf_;

    if (pf->n >= pf->allocated) {
        pf->flows = x2nrealloc(pf->flows, &pf->allocated, sizeof *pf->flows);
    }
    struct part_flow *x = &pf->flows[pf->n++];
    x->table_id = f->table_id;
    x->priority = f->priority;
    x->cookie = f->cookie;
    x->match = *f->match;
    ofpbuf_init(&x->ofpacts, f->ofpacts_len);
    ofpbuf_put(&x->ofpacts, f->ofpacts, f->ofpacts_len);
}

static void
part_flows_destroy(struct part_flows *pf)
{
    for (size_t i = 0; i < pf->n; i++) {
        ofpbuf_uninit(&pf->flows[i].ofpacts);
    }
    free(pf->flows);
}

/* Returns the local datapath 'dp' of 'row', as lf_dp, or NULL (with
 * '*dp' untouched) if 'row' does not apply to it or it is not local. */
static bool
find_row_dp(struct lflow_state *s, const struct sbrec_logical_flow *row,
            const struct uuid *uuid, struct lf_dp *dp)
{
    const struct sbrec_logical_dp_group *g = row->logical_dp_group;
    const struct local_datapath *ld
        = runtime_data_find_datapath(s->in->rtd, uuid);

    for (size_t i = 0; ld && g && i < g->n_datapaths; i++) {
        if (uuid_equals(&g->datapaths[i]->header_.uuid, uuid)) {
            *dp = (struct lf_dp) { .s = s, .ld = ld,
                                   .sb_dp = g->datapaths[i] };
            return true;
        }
    }
    return false;
}

/* Compiles again the part of 'row' (compiled as 'rec') for datapath 'dp'
 * into 'pf'.  Returns false if that cannot be done. */
static bool
redo_part(struct lflow_state *s, const struct sbrec_logical_flow *row,
          const struct lflow_rec *rec, const struct lf_dp *dp,
          struct part_flows *pf)
{
    struct lflow_compile_lflow lf = lflow_of_row(row);
    struct lflow_compile_parsed *p;
    bool whole = true;

    char *error = lflow_compile_parse(&s->compile, &lf, &p);
    if (!error) {
        struct lflow_compile_dp cdp = {
            .key = dp->ld->tunnel_key,
            .is_switch = !dp->ld->is_router,
            .lookup_port = lookup_port_cb,
            .lookup_aux = dp,
        };
        struct lflow_refs refs;

        /* Its references are those it had: it reads the same names. */
        lflow_refs_init(&refs);
        s->cur = &refs;
        error = lflow_compile_on_dp_part(&s->compile, p, rec->layout, &cdp,
                                         save_part_flow, pf, &whole);
        s->cur = NULL;
        lflow_refs_destroy(&refs);
    }
    lflow_compile_parsed_destroy(p);
    free(error);
    return !whole && !error;
}

bool
lflow_redo_dp(struct lflow_state *s, const struct uuid *uuid,
              const struct uuid *dp_uuid)
{
    const struct sbrec_logical_flow *row
        = sbrec_logical_flow_get_for_uuid(s->in->sb_idl, uuid);
    struct lflow_rec *rec = rec_find(s, uuid);
    struct part_flows pf = { NULL, 0, 0 };
    struct lf_dp dp;

    if (!row || sbrec_logical_flow_is_deleted(row) || !rec || rec->error
        || rec->layout == LFLOW_LAYOUT_WHOLE || rec->n_dps < 2
        || !find_row_dp(s, row, dp_uuid, &dp)
        || !redo_part(s, row, rec, &dp, &pf)) {
        part_flows_destroy(&pf);
        lflow_redo(s, uuid);
        return false;
    }

    /* The shared flows of LFLOW_LAYOUT_DP_DIM exist only while some
     * datapath has flows: if this one was or becomes the only one, they
     * come or go too. */
    struct uuid sub = lflow_sub_owner(uuid, dp_uuid);
    bool had = flow_table_has_owner(&s->flows, &sub);
    if (rec->layout == LFLOW_LAYOUT_DP_DIM && rec->n_dp_owners == had
        && had != (pf.n > 0)) {
        part_flows_destroy(&pf);
        lflow_redo(s, uuid);
        return false;
    }

    COVERAGE_INC(lflow_redo_dp);
    flow_table_begin(&s->flows, &sub);
    for (size_t i = 0; i < pf.n; i++) {
        const struct part_flow *x = &pf.flows[i];
        flow_table_add(&s->flows, &sub, x->table_id, x->priority, x->cookie,
                       &x->match, x->ofpacts.data, x->ofpacts.size);
    }
    flow_table_end(&s->flows, &sub);
    rec->n_dp_owners += (pf.n > 0) - had;
    part_flows_destroy(&pf);
    return true;
}

/* Compiles again every flow in 'todo'. */
void
lflow_redo_all(struct lflow_state *s, const struct uuidset *todo)
{
    const struct uuidset_node *node;

    UUIDSET_FOR_EACH (node, todo) {
        lflow_redo(s, &node->uuid);
    }
}

/* Groups and meters. */

/* Declares in the flow table every group of the id table, and withdraws
 * the groups it no longer has. */
static void
sync_groups(struct lflow_state *s)
{
    const struct id_table_entry *e;
    struct ft_id_desc *d;

    HMAP_FOR_EACH (d, node, &s->flows.groups) {
        if (d->desc && !id_table_find(&s->groups, d->id)) {
            flow_table_remove_group(&s->flows, d->id);
        }
    }
    ID_TABLE_FOR_EACH (e, &s->groups) {
        flow_table_add_group(&s->flows, e->id, e->desc);
    }
}

/* The same for meters, described from the SB (lflow-sets.h), but the
 * per-(operation, port) controller meters, which node pinctrl_meters
 * declares at the rates it knows. */
static void
sync_meters(struct lflow_state *s)
{
    const struct id_table_entry *e;
    struct ft_id_desc *d;

    HMAP_FOR_EACH (d, node, &s->flows.meters) {
        if (d->desc && !id_table_find(&s->meters, d->id)) {
            flow_table_remove_meter(&s->flows, d->id);
        }
    }
    ID_TABLE_FOR_EACH (e, &s->meters) {
        if (!strncmp(e->desc, CTLOP_PORT_METER_PREFIX,
                     strlen(CTLOP_PORT_METER_PREFIX))) {
            continue;           /* Declared by node pinctrl_meters. */
        }
        struct svec why = SVEC_EMPTY_INITIALIZER;
        char *desc = lflow_sets_meter_desc(s->in->sb_idl, e->desc, &why);

        if (desc) {
            flow_table_add_meter(&s->flows, e->id, desc);
            sset_find_and_delete(&s->missing_meters, e->desc);
        } else {
            flow_table_remove_meter(&s->flows, e->id);
            if (sset_add(&s->missing_meters, e->desc)) {
                COVERAGE_INC(lflow_meter_missing);
                svec_append(s->in->warnings, &why);
            }
        }
        free(desc);
        svec_destroy(&why);
    }
}

void
lflow_sync_ids(struct lflow_state *s)
{
    sync_groups(s);
    sync_meters(s);
}

bool
lflow_state_dirty(const struct lflow_state *s)
{
    return (!ovs_list_is_empty(&s->flows.dirty_flows)
            || !ovs_list_is_empty(&s->flows.dirty_groups)
            || !ovs_list_is_empty(&s->flows.dirty_meters));
}
