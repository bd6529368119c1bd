/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * What each compiled logical flow depends on: see lflow-index.h.
 */

#include <config.h>

#include "controller/lflow-index.h"

#include <string.h>

#include "util.h"
#include "uuid.h"
#include "uuidset.h"

/* The flows compiled on one datapath. */
struct lflow_index_dp {
    struct hmap_node node;      /* In 'by_dp', by uuid_hash(&dp). */
    struct uuid dp;
    struct uuidset flows;
};

/* One flow's references. */
struct lflow_index_flow {
    struct hmap_node node;      /* In 'flows', by uuid_hash(&uuid). */
    struct uuid uuid;
    struct lflow_refs refs;
};

const char *
lflow_ref_kind_name(enum lflow_ref_kind kind)
{
    switch (kind) {
    case LFLOW_REF_ADDR_SET: return "address set";
    case LFLOW_REF_PORT_GROUP: return "port group";
    case LFLOW_REF_PORT: return "port";
    case LFLOW_REF_TEMPLATE: return "template variable";
    case LFLOW_N_REF_KINDS: break;
    }
    return "?";
}

void
lflow_refs_init(struct lflow_refs *refs)
{
    for (int k = 0; k < LFLOW_N_REF_KINDS; k++) {
        sset_init(&refs->names[k]);
    }
    refs->dps = NULL;
    refs->n_dps = refs->allocated_dps = 0;
}

void
lflow_refs_destroy(struct lflow_refs *refs)
{
    if (refs) {
        for (int k = 0; k < LFLOW_N_REF_KINDS; k++) {
            sset_destroy(&refs->names[k]);
        }
        free(refs->dps);
    }
}

void
lflow_refs_add_dp(struct lflow_refs *refs, const struct uuid *dp)
{
    if (refs->n_dps >= refs->allocated_dps) {
        refs->dps = x2nrealloc(refs->dps, &refs->allocated_dps,
                               sizeof *refs->dps);
    }
    refs->dps[refs->n_dps++] = *dp;
}

void
lflow_index_init(struct lflow_index *index)
{
    for (int k = 0; k < LFLOW_N_REF_KINDS; k++) {
        shash_init(&index->by_name[k]);
    }
    hmap_init(&index->by_dp);
    hmap_init(&index->flows);
}

void
lflow_index_destroy(struct lflow_index *index)
{
    struct lflow_index_flow *f;
    struct lflow_index_dp *d;

    if (!index) {
        return;
    }
    for (int k = 0; k < LFLOW_N_REF_KINDS; k++) {
        struct shash_node *node;

        SHASH_FOR_EACH (node, &index->by_name[k]) {
            uuidset_destroy(node->data);
            free(node->data);
        }
        shash_destroy(&index->by_name[k]);
    }
    HMAP_FOR_EACH_POP (d, node, &index->by_dp) {
        uuidset_destroy(&d->flows);
        free(d);
    }
    hmap_destroy(&index->by_dp);
    HMAP_FOR_EACH_POP (f, node, &index->flows) {
        lflow_refs_destroy(&f->refs);
        free(f);
    }
    hmap_destroy(&index->flows);
}

static struct lflow_index_flow *
find_flow(const struct lflow_index *index, const struct uuid *uuid)
{
    struct lflow_index_flow *f;

    HMAP_FOR_EACH_WITH_HASH (f, node, uuid_hash(uuid), &index->flows) {
        if (uuid_equals(&f->uuid, uuid)) {
            return f;
        }
    }
    return NULL;
}

static struct lflow_index_dp *
find_dp(const struct lflow_index *index, const struct uuid *dp)
{
    struct lflow_index_dp *d;

    HMAP_FOR_EACH_WITH_HASH (d, node, uuid_hash(dp), &index->by_dp) {
        if (uuid_equals(&d->dp, dp)) {
            return d;
        }
    }
    return NULL;
}

/* Adds 'flow' to the flows of 'name' of 'kind'. */
static void
index_add_name(struct lflow_index *index, enum lflow_ref_kind kind,
               const char *name, const struct uuid *flow)
{
    struct uuidset *set = shash_find_data(&index->by_name[kind], name);

    if (!set) {
        set = xmalloc(sizeof *set);
        uuidset_init(set);
        shash_add(&index->by_name[kind], name, set);
    }
    uuidset_insert(set, flow);
}

/* Removes 'flow' from the flows of 'name' of 'kind'. */
static void
index_remove_name(struct lflow_index *index, enum lflow_ref_kind kind,
                  const char *name, const struct uuid *flow)
{
    struct shash_node *node = shash_find(&index->by_name[kind], name);

    if (node) {
        struct uuidset *set = node->data;

        uuidset_find_and_delete(set, flow);
        if (uuidset_is_empty(set)) {
            uuidset_destroy(set);
            free(set);
            shash_delete(&index->by_name[kind], node);
        }
    }
}

/* Adds 'flow' to the flows of datapath 'dp'. */
static void
index_add_dp(struct lflow_index *index, const struct uuid *dp,
             const struct uuid *flow)
{
    struct lflow_index_dp *d = find_dp(index, dp);

    if (!d) {
        d = xmalloc(sizeof *d);
        d->dp = *dp;
        uuidset_init(&d->flows);
        hmap_insert(&index->by_dp, &d->node, uuid_hash(&d->dp));
    }
    uuidset_insert(&d->flows, flow);
}

/* Removes 'flow' from the flows of datapath 'dp'. */
static void
index_remove_dp(struct lflow_index *index, const struct uuid *dp,
                const struct uuid *flow)
{
    struct lflow_index_dp *d = find_dp(index, dp);

    if (d) {
        uuidset_find_and_delete(&d->flows, flow);
        if (uuidset_is_empty(&d->flows)) {
            hmap_remove(&index->by_dp, &d->node);
            uuidset_destroy(&d->flows);
            free(d);
        }
    }
}

/* True if 'dps' ('n' of them) holds 'dp'. */
static bool
dps_contain(const struct uuid *dps, size_t n, const struct uuid *dp)
{
    for (size_t i = 0; i < n; i++) {
        if (uuid_equals(&dps[i], dp)) {
            return true;
        }
    }
    return false;
}

/* Moves 'flow' in the index from the entries of 'old' (may be NULL) to
 * those of 'new' (may be NULL), touching only what differs. */
static void
index_refs(struct lflow_index *index, const struct uuid *flow,
           const struct lflow_refs *old, const struct lflow_refs *new)
{
    for (int k = 0; k < LFLOW_N_REF_KINDS; k++) {
        const char *name;

        if (old) {
            SSET_FOR_EACH (name, &old->names[k]) {
                if (!new || !sset_contains(&new->names[k], name)) {
                    index_remove_name(index, k, name, flow);
                }
            }
        }
        if (new) {
            SSET_FOR_EACH (name, &new->names[k]) {
                if (!old || !sset_contains(&old->names[k], name)) {
                    index_add_name(index, k, name, flow);
                }
            }
        }
    }

    /* A flow's datapaths are few, or they are its group's: the quadratic
     * test only runs when they differ, and then over a short list. */
    bool same_dps = (old && new && old->n_dps == new->n_dps
                     && !memcmp(old->dps, new->dps,
                                old->n_dps * sizeof *old->dps));
    if (same_dps) {
        return;
    }
    for (size_t i = 0; old && i < old->n_dps; i++) {
        if (!new || !dps_contain(new->dps, new->n_dps, &old->dps[i])) {
            index_remove_dp(index, &old->dps[i], flow);
        }
    }
    for (size_t i = 0; new && i < new->n_dps; i++) {
        if (!old || !dps_contain(old->dps, old->n_dps, &new->dps[i])) {
            index_add_dp(index, &new->dps[i], flow);
        }
    }
}

/* True if 'a' and 'b' hold the same references (datapaths in the same
 * order). */
static bool
refs_equal(const struct lflow_refs *a, const struct lflow_refs *b)
{
    if (a->n_dps != b->n_dps
        || memcmp(a->dps, b->dps, a->n_dps * sizeof *a->dps)) {
        return false;
    }
    for (int k = 0; k < LFLOW_N_REF_KINDS; k++) {
        if (!sset_equals(&a->names[k], &b->names[k])) {
            return false;
        }
    }
    return true;
}

void
lflow_index_set(struct lflow_index *index, const struct uuid *flow,
                struct lflow_refs *refs)
{
    struct lflow_index_flow *f = find_flow(index, flow);

    if (f && refs_equal(&f->refs, refs)) {
        /* Nothing to move: a flow compiled again usually reads the same. */
        lflow_refs_destroy(refs);
        lflow_refs_init(refs);
        return;
    }
    if (!f) {
        f = xmalloc(sizeof *f);
        f->uuid = *flow;
        lflow_refs_init(&f->refs);
        hmap_insert(&index->flows, &f->node, uuid_hash(flow));
        index_refs(index, flow, NULL, refs);
    } else {
        index_refs(index, flow, &f->refs, refs);
    }
    lflow_refs_destroy(&f->refs);
    f->refs = *refs;
    for (int k = 0; k < LFLOW_N_REF_KINDS; k++) {
        /* The sets moved: their hmaps must be told. */
        sset_moved(&f->refs.names[k]);
    }
    lflow_refs_init(refs);
}

void
lflow_index_remove(struct lflow_index *index, const struct uuid *flow)
{
    struct lflow_index_flow *f = find_flow(index, flow);

    if (f) {
        index_refs(index, flow, &f->refs, NULL);
        hmap_remove(&index->flows, &f->node);
        lflow_refs_destroy(&f->refs);
        free(f);
    }
}

const struct uuidset *
lflow_index_find(const struct lflow_index *index, enum lflow_ref_kind kind,
                 const char *name)
{
    return shash_find_data(&index->by_name[kind], name);
}

const struct uuidset *
lflow_index_find_dp(const struct lflow_index *index, const struct uuid *dp)
{
    const struct lflow_index_dp *d = find_dp(index, dp);
    return d ? &d->flows : NULL;
}

const struct lflow_refs *
lflow_index_get(const struct lflow_index *index, const struct uuid *flow)
{
    const struct lflow_index_flow *f = find_flow(index, flow);
    return f ? &f->refs : NULL;
}

void
lflow_index_collect(const struct lflow_index *index,
                    enum lflow_ref_kind kind, const char *name,
                    struct uuidset *out)
{
    const struct uuidset *set = lflow_index_find(index, kind, name);
    const struct uuidset_node *node;

    if (set) {
        UUIDSET_FOR_EACH (node, set) {
            uuidset_insert(out, &node->uuid);
        }
    }
}
