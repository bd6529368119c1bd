/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Desired OpenFlow state of one producer (see flow-table.h for the
 * contract).
 *
 * Layout.  'flows' indexes keys (struct ft_flow) by ft_key_hash().  Each
 * key holds a list of contributions (struct ft_contrib), one per owner;
 * each contribution is also on its owner's list (struct ft_owner, in
 * 'owners' by UUID hash), so that removing an owner touches only its own
 * flows.  A contribution holds one copy of its actions; the key holds the
 * match once, as a minimatch.
 *
 * Effective flow.  Computed on demand (ft_flow_get_effective()), so that
 * adding and removing stay cheap; only whether a key is in conflict is
 * kept up to date, for flow_table_n_conflicts().
 */

#include <config.h>

#include "controller/flow-table.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/util.h"
#include "util.h"
#include "uuid.h"

/* All the contributions of one owner. */
struct ft_owner {
    struct hmap_node node;      /* In flow_table 'owners', by uuid_hash(). */
    struct uuid uuid;
    struct ovs_list contribs;   /* struct ft_contrib, by 'owner_node'. */
};

/* One owner's contribution to one key. */
struct ft_contrib {
    struct ovs_list flow_node;  /* In ft_flow 'contribs'. */
    struct ovs_list owner_node; /* In ft_owner 'contribs'. */
    struct ft_flow *flow;       /* The key contributed to. */
    struct ft_owner *owner;     /* The owner. */
    uint64_t cookie;
    uint64_t gen;               /* Generation of the last change. */
    struct ofpact *ofpacts;     /* Owned copy; NULL if 'ofpacts_len' 0. */
    uint32_t ofpacts_len;
    bool conj_only;             /* Only conjunction actions. */
    bool stale;                 /* Marked by flow_table_begin(). */
};

static void ft_flow_changed(struct flow_table *, struct ft_flow *);

/* Keys. */

uint32_t
ft_key_hash(uint8_t table_id, uint16_t priority,
            const struct minimatch *match)
{
    return minimatch_hash(match, ((uint32_t) table_id << 16) | priority);
}

static struct ft_flow *
ft_find__(const struct flow_table *table, uint8_t table_id,
          uint16_t priority, const struct minimatch *match, uint32_t hash)
{
    struct ft_flow *flow;

    HMAP_FOR_EACH_WITH_HASH (flow, node, hash, &table->flows) {
        if (flow->table_id == table_id && flow->priority == priority
            && minimatch_equal(&flow->match, match)) {
            return flow;
        }
    }
    return NULL;
}

struct ft_flow *
flow_table_find(const struct flow_table *table, uint8_t table_id,
                uint16_t priority, const struct minimatch *match)
{
    return ft_find__(table, table_id, priority, match,
                     ft_key_hash(table_id, priority, match));
}

static void
ft_mark_dirty(struct flow_table *table, struct ft_flow *flow)
{
    if (!flow->dirty) {
        flow->dirty = true;
        ovs_list_push_back(&table->dirty_flows, &flow->dirty_node);
    }
}

static void
ft_flow_free(struct flow_table *table, struct ft_flow *flow)
{
    hmap_remove(&table->flows, &flow->node);
    minimatch_destroy(&flow->match);
    free(flow);
}

/* Owners. */

static struct ft_owner *
ft_owner_find(const struct flow_table *table, const struct uuid *uuid)
{
    struct ft_owner *owner;

    HMAP_FOR_EACH_WITH_HASH (owner, node, uuid_hash(uuid), &table->owners) {
        if (uuid_equals(&owner->uuid, uuid)) {
            return owner;
        }
    }
    return NULL;
}

static struct ft_owner *
ft_owner_get(struct flow_table *table, const struct uuid *uuid)
{
    struct ft_owner *owner = ft_owner_find(table, uuid);

    if (!owner) {
        owner = xmalloc(sizeof *owner);
        owner->uuid = *uuid;
        ovs_list_init(&owner->contribs);
        hmap_insert(&table->owners, &owner->node, uuid_hash(uuid));
    }
    return owner;
}

static void
ft_owner_free_if_empty(struct flow_table *table, struct ft_owner *owner)
{
    if (ovs_list_is_empty(&owner->contribs)) {
        hmap_remove(&table->owners, &owner->node);
        free(owner);
    }
}

/* Contributions. */

static bool
ft_ofpacts_conj_only(const struct ofpact *ofpacts, size_t len)
{
    const struct ofpact *a;

    if (!len) {
        return false;
    }
    OFPACT_FOR_EACH (a, ofpacts, len) {
        if (a->type != OFPACT_CONJUNCTION) {
            return false;
        }
    }
    return true;
}

static void
ft_contrib_set_actions(struct ft_contrib *c, const struct ofpact *ofpacts,
                       size_t len)
{
    free(c->ofpacts);
    c->ofpacts = len ? xmemdup(ofpacts, len) : NULL;
    c->ofpacts_len = len;
    c->conj_only = ft_ofpacts_conj_only(ofpacts, len);
}

static bool
ft_contrib_same(const struct ft_contrib *c, uint64_t cookie,
                const struct ofpact *ofpacts, size_t len)
{
    return (c->cookie == cookie && c->ofpacts_len == len
            && (!len || !memcmp(c->ofpacts, ofpacts, len)));
}

/* Removes 'c' from its key and owner and frees it (not the owner). */
static void
ft_contrib_remove(struct flow_table *table, struct ft_contrib *c)
{
    struct ft_flow *flow = c->flow;

    ovs_list_remove(&c->flow_node);
    ovs_list_remove(&c->owner_node);
    table->n_contribs--;
    if (ovs_list_is_empty(&flow->contribs)) {
        table->n_flows--;
    }
    free(c->ofpacts);
    free(c);
    ft_mark_dirty(table, flow);
    ft_flow_changed(table, flow);
}

/* Orders contributions for the choice among disagreeing ones: owner UUID,
 * then cookie, then actions bytes. */
static int
ft_contrib_cmp(const struct ft_contrib *a, const struct ft_contrib *b)
{
    int cmp = uuid_compare_3way(&a->owner->uuid, &b->owner->uuid);

    if (cmp) {
        return cmp;
    }
    if (a->cookie != b->cookie) {
        return a->cookie < b->cookie ? -1 : 1;
    }
    size_t min = MIN(a->ofpacts_len, b->ofpacts_len);
    cmp = min ? memcmp(a->ofpacts, b->ofpacts, min) : 0;
    if (cmp) {
        return cmp;
    }
    return (a->ofpacts_len > b->ofpacts_len) - (a->ofpacts_len
                                                < b->ofpacts_len);
}

/* The chosen contribution of a key that is not conjunction-only. */
static const struct ft_contrib *
ft_flow_chosen(const struct ft_flow *flow)
{
    const struct ft_contrib *best = NULL, *c;

    LIST_FOR_EACH (c, flow_node, &flow->contribs) {
        if (!best || ft_contrib_cmp(c, best) < 0) {
            best = c;
        }
    }
    return best;
}

bool
ft_flow_is_conjunctive(const struct ft_flow *flow)
{
    const struct ft_contrib *c;

    if (ovs_list_is_empty(&flow->contribs)) {
        return false;
    }
    LIST_FOR_EACH (c, flow_node, &flow->contribs) {
        if (!c->conj_only) {
            return false;
        }
    }
    return true;
}

/* True if the contributions to 'flow' disagree: several, not all
 * conjunction-only, with different cookies or actions. */
static bool
ft_flow_in_conflict(const struct ft_flow *flow)
{
    const struct ft_contrib *first, *c;

    if (ovs_list_is_short(&flow->contribs) || ft_flow_is_conjunctive(flow)) {
        return false;
    }
    first = CONTAINER_OF(ovs_list_front(&flow->contribs), struct ft_contrib,
                         flow_node);
    LIST_FOR_EACH (c, flow_node, &flow->contribs) {
        if (!ft_contrib_same(first, c->cookie, c->ofpacts, c->ofpacts_len)) {
            return true;
        }
    }
    return false;
}

static void
ft_flow_changed(struct flow_table *table, struct ft_flow *flow)
{
    bool conflict = ft_flow_in_conflict(flow);

    if (conflict != flow->conflict) {
        flow->conflict = conflict;
        if (conflict) {
            table->n_conflicts++;
        } else {
            table->n_conflicts--;
        }
    }
}

static int
ft_conj_cmp(const void *a_, const void *b_)
{
    const struct ofpact_conjunction *a = a_, *b = b_;

    if (a->id != b->id) {
        return a->id < b->id ? -1 : 1;
    }
    if (a->clause != b->clause) {
        return a->clause < b->clause ? -1 : 1;
    }
    return (a->n_clauses > b->n_clauses) - (a->n_clauses < b->n_clauses);
}

/* Appends to 'out' the union of the conjunction actions of the 'n' action
 * lists in 'lists' (of lengths 'lens'), sorted and without duplicates. */
void
ft_merge_conjunctions(const struct ofpact *const *lists, const size_t *lens,
                      size_t n, struct ofpbuf *out)
{
    struct ofpact_conjunction *all = NULL;
    size_t n_all = 0, allocated = 0;

    for (size_t i = 0; i < n; i++) {
        const struct ofpact *a;

        OFPACT_FOR_EACH (a, lists[i], lens[i]) {
            if (a->type == OFPACT_CONJUNCTION) {
                if (n_all >= allocated) {
                    all = x2nrealloc(all, &allocated, sizeof *all);
                }
                all[n_all++] = *ofpact_get_CONJUNCTION(a);
            }
        }
    }
    qsort(all, n_all, sizeof *all, ft_conj_cmp);
    for (size_t i = 0; i < n_all; i++) {
        if (i && !ft_conj_cmp(&all[i - 1], &all[i])) {
            continue;
        }
        struct ofpact_conjunction *conj = ofpact_put_CONJUNCTION(out);
        conj->id = all[i].id;
        conj->clause = all[i].clause;
        conj->n_clauses = all[i].n_clauses;
    }
    free(all);
}

bool
ft_flow_get_effective(const struct ft_flow *flow, struct ofpbuf *ofpacts,
                      uint64_t *cookie)
{
    const struct ft_contrib *c;

    if (ovs_list_is_empty(&flow->contribs)) {
        return false;
    }
    ofpbuf_clear(ofpacts);
    if (!ft_flow_is_conjunctive(flow)) {
        c = ft_flow_chosen(flow);
        ofpbuf_put(ofpacts, c->ofpacts, c->ofpacts_len);
        *cookie = c->cookie;
        return true;
    }

    size_t n = ovs_list_size(&flow->contribs), i = 0;
    const struct ofpact **lists = xmalloc(n * sizeof *lists);
    size_t *lens = xmalloc(n * sizeof *lens);
    uint64_t min_cookie = UINT64_MAX;

    LIST_FOR_EACH (c, flow_node, &flow->contribs) {
        lists[i] = c->ofpacts;
        lens[i++] = c->ofpacts_len;
        min_cookie = MIN(min_cookie, c->cookie);
    }
    ft_merge_conjunctions(lists, lens, n, ofpacts);
    *cookie = min_cookie;
    free(lists);
    free(lens);
    return true;
}

/* The table. */

void
flow_table_init(struct flow_table *table)
{
    hmap_init(&table->flows);
    hmap_init(&table->owners);
    ovs_list_init(&table->dirty_flows);
    hmap_init(&table->groups);
    hmap_init(&table->meters);
    ovs_list_init(&table->dirty_groups);
    ovs_list_init(&table->dirty_meters);
    table->gen = 0;
    table->n_contribs = 0;
    table->n_conflicts = 0;
    table->n_flows = 0;
}

static void
ft_ids_destroy(struct hmap *ids)
{
    struct ft_id_desc *d;

    HMAP_FOR_EACH_POP (d, node, ids) {
        free(d->desc);
        free(d);
    }
    hmap_destroy(ids);
}

void
flow_table_destroy(struct flow_table *table)
{
    if (!table) {
        return;
    }

    struct ft_owner *owner;
    HMAP_FOR_EACH_POP (owner, node, &table->owners) {
        struct ft_contrib *c;

        LIST_FOR_EACH_SAFE (c, owner_node, &owner->contribs) {
            free(c->ofpacts);
            free(c);
        }
        free(owner);
    }
    hmap_destroy(&table->owners);

    struct ft_flow *flow;
    HMAP_FOR_EACH_POP (flow, node, &table->flows) {
        minimatch_destroy(&flow->match);
        free(flow);
    }
    hmap_destroy(&table->flows);
    ft_ids_destroy(&table->groups);
    ft_ids_destroy(&table->meters);
}

void
flow_table_set_gen(struct flow_table *table, uint64_t gen)
{
    ovs_assert(gen >= table->gen);
    table->gen = gen;
}

void
flow_table_add(struct flow_table *table, const struct uuid *owner_uuid,
               uint8_t table_id, uint16_t priority, uint64_t cookie,
               const struct match *match,
               const struct ofpact *ofpacts, size_t ofpacts_len)
{
    struct minimatch mm;
    struct ft_flow *flow;
    uint32_t hash;

    minimatch_init(&mm, match);
    hash = ft_key_hash(table_id, priority, &mm);
    flow = ft_find__(table, table_id, priority, &mm, hash);
    if (!flow) {
        flow = xmalloc(sizeof *flow);
        flow->table_id = table_id;
        flow->priority = priority;
        minimatch_move(&flow->match, &mm);
        ovs_list_init(&flow->contribs);
        flow->dirty = false;
        flow->conflict = false;
        hmap_insert(&table->flows, &flow->node, hash);
    } else {
        minimatch_destroy(&mm);
    }

    struct ft_owner *owner = ft_owner_get(table, owner_uuid);
    struct ft_contrib *c;

    LIST_FOR_EACH (c, flow_node, &flow->contribs) {
        if (c->owner == owner) {
            c->stale = false;
            if (ft_contrib_same(c, cookie, ofpacts, ofpacts_len)) {
                return;
            }
            c->cookie = cookie;
            c->gen = table->gen;
            ft_contrib_set_actions(c, ofpacts, ofpacts_len);
            ft_mark_dirty(table, flow);
            ft_flow_changed(table, flow);
            return;
        }
    }

    c = xzalloc(sizeof *c);
    c->flow = flow;
    c->owner = owner;
    c->cookie = cookie;
    c->gen = table->gen;
    ft_contrib_set_actions(c, ofpacts, ofpacts_len);
    if (ovs_list_is_empty(&flow->contribs)) {
        table->n_flows++;
    }
    ovs_list_push_back(&flow->contribs, &c->flow_node);
    ovs_list_push_back(&owner->contribs, &c->owner_node);
    table->n_contribs++;
    ft_mark_dirty(table, flow);
    ft_flow_changed(table, flow);
}

/* Removes the contributions of 'owner', all of them or only the stale
 * ones, and frees 'owner' if nothing is left. */
static void
ft_owner_remove(struct flow_table *table, struct ft_owner *owner,
                bool only_stale)
{
    struct ft_contrib *c;

    LIST_FOR_EACH_SAFE (c, owner_node, &owner->contribs) {
        if (!only_stale || c->stale) {
            ft_contrib_remove(table, c);
        }
    }
    ft_owner_free_if_empty(table, owner);
}

void
flow_table_remove_owner(struct flow_table *table, const struct uuid *uuid)
{
    struct ft_owner *owner = ft_owner_find(table, uuid);

    if (owner) {
        ft_owner_remove(table, owner, false);
    }
}

static void
ft_owner_mark_stale(struct ft_owner *owner)
{
    struct ft_contrib *c;

    LIST_FOR_EACH (c, owner_node, &owner->contribs) {
        c->stale = true;
    }
}

static void
ft_ids_mark_stale(struct hmap *ids)
{
    struct ft_id_desc *d;

    HMAP_FOR_EACH (d, node, ids) {
        d->stale = d->desc != NULL;
    }
}

static void
ft_id_remove(struct ft_id_desc *d, struct ovs_list *dirty)
{
    if (d->desc) {
        free(d->desc);
        d->desc = NULL;
        if (!d->dirty) {
            d->dirty = true;
            ovs_list_push_back(dirty, &d->dirty_node);
        }
    }
    d->stale = false;
}

static void
ft_ids_sweep(struct hmap *ids, struct ovs_list *dirty)
{
    struct ft_id_desc *d;

    HMAP_FOR_EACH (d, node, ids) {
        if (d->stale) {
            ft_id_remove(d, dirty);
        }
    }
}

void
flow_table_for_each_owned(const struct flow_table *table,
                          const struct uuid *uuid, flow_table_owned_cb *cb,
                          void *aux)
{
    const struct ft_owner *owner = ft_owner_find(table, uuid);
    const struct ft_contrib *c;

    if (owner) {
        LIST_FOR_EACH (c, owner_node, &owner->contribs) {
            cb(aux, c->flow, c->cookie, c->ofpacts, c->ofpacts_len);
        }
    }
}

void
flow_table_begin(struct flow_table *table, const struct uuid *uuid)
{
    if (uuid) {
        struct ft_owner *owner = ft_owner_find(table, uuid);

        if (owner) {
            ft_owner_mark_stale(owner);
        }
        return;
    }

    struct ft_owner *owner;
    HMAP_FOR_EACH (owner, node, &table->owners) {
        ft_owner_mark_stale(owner);
    }
    ft_ids_mark_stale(&table->groups);
    ft_ids_mark_stale(&table->meters);
}

void
flow_table_end(struct flow_table *table, const struct uuid *uuid)
{
    if (uuid) {
        struct ft_owner *owner = ft_owner_find(table, uuid);

        if (owner) {
            ft_owner_remove(table, owner, true);
        }
        return;
    }

    struct ft_owner *owner;
    HMAP_FOR_EACH_SAFE (owner, node, &table->owners) {
        ft_owner_remove(table, owner, true);
    }
    ft_ids_sweep(&table->groups, &table->dirty_groups);
    ft_ids_sweep(&table->meters, &table->dirty_meters);
}

void
flow_table_clear(struct flow_table *table)
{
    struct ft_owner *owner;
    struct ft_id_desc *d;

    HMAP_FOR_EACH_SAFE (owner, node, &table->owners) {
        ft_owner_remove(table, owner, false);
    }
    HMAP_FOR_EACH (d, node, &table->groups) {
        ft_id_remove(d, &table->dirty_groups);
    }
    HMAP_FOR_EACH (d, node, &table->meters) {
        ft_id_remove(d, &table->dirty_meters);
    }
}

bool
flow_table_has_owner(const struct flow_table *table, const struct uuid *uuid)
{
    return ft_owner_find(table, uuid) != NULL;
}

uint64_t
flow_table_owner_gen(const struct flow_table *table, const struct uuid *uuid)
{
    const struct ft_owner *owner = ft_owner_find(table, uuid);
    const struct ft_contrib *c;
    uint64_t gen = 0;

    if (owner) {
        LIST_FOR_EACH (c, owner_node, &owner->contribs) {
            gen = MAX(gen, c->gen);
        }
    }
    return gen;
}

/* Groups and meters. */

static struct ft_id_desc *
ft_id_find(const struct hmap *ids, uint32_t id)
{
    struct ft_id_desc *d;

    HMAP_FOR_EACH_WITH_HASH (d, node, hash_int(id, 0), ids) {
        if (d->id == id) {
            return d;
        }
    }
    return NULL;
}

static void
ft_id_add(struct hmap *ids, struct ovs_list *dirty, uint32_t id,
          const char *desc)
{
    struct ft_id_desc *d = ft_id_find(ids, id);

    if (!d) {
        d = xzalloc(sizeof *d);
        d->id = id;
        hmap_insert(ids, &d->node, hash_int(id, 0));
    }
    d->stale = false;
    if (d->desc && !strcmp(d->desc, desc)) {
        return;
    }
    free(d->desc);
    d->desc = xstrdup(desc);
    if (!d->dirty) {
        d->dirty = true;
        ovs_list_push_back(dirty, &d->dirty_node);
    }
}

void
flow_table_add_group(struct flow_table *table, uint32_t id, const char *desc)
{
    ft_id_add(&table->groups, &table->dirty_groups, id, desc);
}

void
flow_table_remove_group(struct flow_table *table, uint32_t id)
{
    struct ft_id_desc *d = ft_id_find(&table->groups, id);

    if (d) {
        ft_id_remove(d, &table->dirty_groups);
    }
}

void
flow_table_add_meter(struct flow_table *table, uint32_t id, const char *desc)
{
    ft_id_add(&table->meters, &table->dirty_meters, id, desc);
}

void
flow_table_remove_meter(struct flow_table *table, uint32_t id)
{
    struct ft_id_desc *d = ft_id_find(&table->meters, id);

    if (d) {
        ft_id_remove(d, &table->dirty_meters);
    }
}

const struct ft_id_desc *
flow_table_find_group(const struct flow_table *table, uint32_t id)
{
    const struct ft_id_desc *d = ft_id_find(&table->groups, id);

    return d && d->desc ? d : NULL;
}

const struct ft_id_desc *
flow_table_find_meter(const struct flow_table *table, uint32_t id)
{
    const struct ft_id_desc *d = ft_id_find(&table->meters, id);

    return d && d->desc ? d : NULL;
}

/* Counts and dirty marks. */

size_t
flow_table_count(const struct flow_table *table)
{
    return table->n_flows;
}

size_t
flow_table_n_contribs(const struct flow_table *table)
{
    return table->n_contribs;
}

size_t
flow_table_n_conflicts(const struct flow_table *table)
{
    return table->n_conflicts;
}

static void
ft_ids_clear_dirty(struct hmap *ids, struct ovs_list *dirty)
{
    struct ft_id_desc *d;

    LIST_FOR_EACH_POP (d, dirty_node, dirty) {
        d->dirty = false;
        if (!d->desc) {
            hmap_remove(ids, &d->node);
            free(d);
        }
    }
}

void
flow_table_clear_dirty(struct flow_table *table)
{
    struct ft_flow *flow;

    LIST_FOR_EACH_POP (flow, dirty_node, &table->dirty_flows) {
        flow->dirty = false;
        if (ovs_list_is_empty(&flow->contribs)) {
            ft_flow_free(table, flow);
        }
    }
    ft_ids_clear_dirty(&table->groups, &table->dirty_groups);
    ft_ids_clear_dirty(&table->meters, &table->dirty_meters);
}

/* Formatting. */

void
ft_format_key(uint8_t table_id, uint16_t priority,
              const struct minimatch *match, struct ds *out)
{
    size_t len;

    ds_put_format(out, "table=%"PRIu8",priority=%"PRIu16",",
                  table_id, priority);
    len = out->length;
    minimatch_format(match, NULL, NULL, out, OFP_DEFAULT_PRIORITY);
    if (out->length == len) {
        ds_chomp(out, ',');
    }
}

void
ft_line_init(struct ft_line *line, uint8_t table_id, uint16_t priority,
             const struct minimatch *match, uint64_t cookie,
             const struct ofpact *ofpacts, size_t ofpacts_len)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    struct ds m = DS_EMPTY_INITIALIZER;

    minimatch_format(match, NULL, NULL, &m, OFP_DEFAULT_PRIORITY);
    ds_put_format(&s, "table=%"PRIu8", priority=%"PRIu16", cookie=%#"
                  PRIx64", ", table_id, priority, cookie);
    if (m.length) {
        ds_put_format(&s, "%s ", ds_cstr(&m));
    }
    ds_put_cstr(&s, "actions=");
    struct ofpact_format_params fp = { .s = &s };
    ofpacts_format(ofpacts, ofpacts_len, &fp);

    line->table_id = table_id;
    line->priority = priority;
    line->match = ds_steal_cstr(&m);
    line->text = ds_steal_cstr(&s);
}

static int
ft_line_cmp(const void *a_, const void *b_)
{
    const struct ft_line *a = a_, *b = b_;

    if (a->table_id != b->table_id) {
        return a->table_id < b->table_id ? -1 : 1;
    }
    if (a->priority != b->priority) {
        return a->priority > b->priority ? -1 : 1;
    }
    int cmp = strcmp(a->match, b->match);
    return cmp ? cmp : strcmp(a->text, b->text);
}

void
ft_lines_flush(struct ft_line *lines, size_t n, struct ds *out)
{
    qsort(lines, n, sizeof *lines, ft_line_cmp);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(out, "%s\n", lines[i].text);
        free(lines[i].text);
        free(lines[i].match);
    }
}

static int
ft_id_ptr_cmp(const void *a_, const void *b_)
{
    const struct ft_id_desc *const *a = a_, *const *b = b_;

    return ((*a)->id > (*b)->id) - ((*a)->id < (*b)->id);
}

/* Returns the live entries of 'ids' sorted by id, in a malloc'd array whose
 * size is stored in '*n'. */
static const struct ft_id_desc **
ft_ids_sorted(const struct hmap *ids, size_t *n)
{
    const struct ft_id_desc **array = xmalloc(hmap_count(ids)
                                              * sizeof *array + 1);
    const struct ft_id_desc *d;

    *n = 0;
    HMAP_FOR_EACH (d, node, ids) {
        if (d->desc) {
            array[(*n)++] = d;
        }
    }
    qsort(array, *n, sizeof *array, ft_id_ptr_cmp);
    return array;
}

void
flow_table_format(const struct flow_table *table, int table_id,
                  struct ds *out)
{
    struct ft_line *lines = xmalloc(hmap_count(&table->flows)
                                    * sizeof *lines + 1);
    struct ofpbuf ofpacts;
    const struct ft_flow *flow;
    size_t n = 0;

    ofpbuf_init(&ofpacts, 64);
    FLOW_TABLE_FOR_EACH (flow, table) {
        uint64_t cookie;

        if ((table_id < 0 || flow->table_id == table_id)
            && ft_flow_get_effective(flow, &ofpacts, &cookie)) {
            ft_line_init(&lines[n++], flow->table_id, flow->priority,
                         &flow->match, cookie, ofpacts.data, ofpacts.size);
        }
    }
    ofpbuf_uninit(&ofpacts);
    ft_lines_flush(lines, n, out);
    free(lines);

    if (table_id >= 0) {
        return;
    }

    const struct ft_id_desc **ids = ft_ids_sorted(&table->groups, &n);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(out, "group_id=%"PRIu32",%s\n", ids[i]->id,
                      ids[i]->desc);
    }
    free(ids);
    ids = ft_ids_sorted(&table->meters, &n);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(out, "meter=%"PRIu32" %s\n", ids[i]->id,
                      ids[i]->desc);
    }
    free(ids);
}

/* Comparing two tables. */

static const struct ft_contrib *
ft_flow_find_owner(const struct ft_flow *flow, const struct uuid *uuid)
{
    const struct ft_contrib *c;

    LIST_FOR_EACH (c, flow_node, &flow->contribs) {
        if (uuid_equals(&c->owner->uuid, uuid)) {
            return c;
        }
    }
    return NULL;
}

static void
ft_format_actions(const struct ft_contrib *c, struct ds *out)
{
    struct ofpact_format_params fp = { .s = out };

    ofpacts_format(c->ofpacts, c->ofpacts_len, &fp);
}

/* Describes in 'out' how the contributions of 'a' (of the first table) and
 * 'b' (of the second), either of which may be NULL or empty, differ.
 * Returns false, writing nothing, if they do not. */
static bool
ft_flow_diff(const struct ft_flow *a, const struct ft_flow *b,
             struct ds *out)
{
    const struct ft_flow *flows[2] = { a, b };
    static const char *names[2] = { "first", "second" };

    for (int i = 0; i < 2; i++) {
        const struct ft_flow *x = flows[i], *y = flows[!i];
        const struct ft_contrib *c;

        if (!x) {
            continue;
        }
        LIST_FOR_EACH (c, flow_node, &x->contribs) {
            const struct ft_contrib *d = y ? ft_flow_find_owner(y,
                                             &c->owner->uuid) : NULL;

            if (!d) {
                ds_put_format(out, "owner "UUID_FMT" only in the %s table",
                              UUID_ARGS(&c->owner->uuid), names[i]);
                return true;
            }
            if (i) {
                continue;
            }
            if (c->cookie != d->cookie) {
                ds_put_format(out, "owner "UUID_FMT": cookie %#"PRIx64
                              " vs %#"PRIx64, UUID_ARGS(&c->owner->uuid),
                              c->cookie, d->cookie);
                return true;
            }
            if (!ft_contrib_same(c, d->cookie, d->ofpacts, d->ofpacts_len)) {
                ds_put_format(out, "owner "UUID_FMT": actions ",
                              UUID_ARGS(&c->owner->uuid));
                ft_format_actions(c, out);
                ds_put_cstr(out, " vs ");
                ft_format_actions(d, out);
                return true;
            }
        }
    }
    return false;
}

/* Orders keys as flow_table_format() does. */
static int
ft_key_order(const struct ft_flow *a, const struct ft_flow *b)
{
    if (a->table_id != b->table_id) {
        return a->table_id < b->table_id ? -1 : 1;
    }
    if (a->priority != b->priority) {
        return a->priority > b->priority ? -1 : 1;
    }
    char *ma = minimatch_to_string(&a->match, NULL, OFP_DEFAULT_PRIORITY);
    char *mb = minimatch_to_string(&b->match, NULL, OFP_DEFAULT_PRIORITY);
    int cmp = strcmp(ma, mb);
    free(ma);
    free(mb);
    return cmp;
}

/* Finds, among the keys of 'x' that differ from 'y', the first in format
 * order, and keeps it in '*first' if it comes before. */
static void
ft_first_flow_diff(const struct flow_table *x, const struct flow_table *y,
                   const struct ft_flow **first)
{
    const struct ft_flow *flow;
    struct ds scratch = DS_EMPTY_INITIALIZER;

    FLOW_TABLE_FOR_EACH (flow, x) {
        const struct ft_flow *other;

        if (ovs_list_is_empty(&flow->contribs)) {
            continue;
        }
        other = flow_table_find(y, flow->table_id, flow->priority,
                                &flow->match);
        ds_clear(&scratch);
        if (ft_flow_diff(flow, other, &scratch)
            && (!*first || ft_key_order(flow, *first) < 0)) {
            *first = flow;
        }
    }
    ds_destroy(&scratch);
}

/* Compares the groups or meters 'a' and 'b' (named 'what'); on a
 * difference, returns its malloc'd description. */
static char *
ft_ids_compare(const struct hmap *a, const struct hmap *b, const char *what)
{
    const struct hmap *sides[2] = { a, b };
    uint32_t first_id = 0;
    bool found = false;

    for (int i = 0; i < 2; i++) {
        const struct ft_id_desc *d;

        HMAP_FOR_EACH (d, node, sides[i]) {
            const struct ft_id_desc *e = ft_id_find(sides[!i], d->id);

            if (!d->desc || (e && e->desc && !strcmp(d->desc, e->desc))) {
                continue;
            }
            if (!found || d->id < first_id) {
                found = true;
                first_id = d->id;
            }
        }
    }
    if (!found) {
        return NULL;
    }

    const struct ft_id_desc *da = ft_id_find(a, first_id);
    const struct ft_id_desc *db = ft_id_find(b, first_id);
    const char *sa = da ? da->desc : NULL;
    const char *sb = db ? db->desc : NULL;
    if (!sa || !sb) {
        return xasprintf("%s %"PRIu32": only in the %s table", what,
                         first_id, sa ? "first" : "second");
    }
    return xasprintf("%s %"PRIu32": \"%s\" vs \"%s\"", what, first_id,
                     sa, sb);
}

char *
flow_table_compare(const struct flow_table *a, const struct flow_table *b)
{
    const struct ft_flow *first = NULL;

    ft_first_flow_diff(a, b, &first);
    ft_first_flow_diff(b, a, &first);
    if (first) {
        const struct ft_flow *fa, *fb;
        struct ds s = DS_EMPTY_INITIALIZER;

        /* 'first' belongs to 'a' or to 'b': look its key up in both. */
        fa = flow_table_find(a, first->table_id, first->priority,
                             &first->match);
        fb = flow_table_find(b, first->table_id, first->priority,
                             &first->match);
        ds_put_cstr(&s, "flow ");
        ft_format_key(first->table_id, first->priority, &first->match, &s);
        ds_put_cstr(&s, ": ");
        ft_flow_diff(fa, fb, &s);
        return ds_steal_cstr(&s);
    }

    char *diff = ft_ids_compare(&a->groups, &b->groups, "group");
    return diff ? diff : ft_ids_compare(&a->meters, &b->meters, "meter");
}
