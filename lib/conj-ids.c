/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Conjunction id ranges per logical flow.  See conj-ids.h. */

#include <config.h>

#include "conj-ids.h"
#include <inttypes.h>
#include <stdlib.h>

#include "coverage.h"
#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(conj_ids);
COVERAGE_DEFINE(conj_ids_collision);

/* The ids one logical flow holds: ofs + 1 through ofs + n. */
struct conj_id_range {
    struct hmap_node node;      /* In 'by_flow'. */
    struct uuid flow;
    uint32_t ofs;
    uint32_t n;
};

/* One id in use. */
struct conj_id_slot {
    struct hmap_node node;      /* In 'by_id'. */
    uint32_t id;
};

void
conj_ids_init(struct conj_ids *ids)
{
    hmap_init(&ids->by_flow);
    hmap_init(&ids->by_id);
    ids->hint = NULL;
}

/* Makes a flow new to 'ids' try first the range it holds in 'hint' (if it
 * holds one there), rather than where its UUID points; NULL turns this
 * off.  'hint' must outlive its use.  For the consistency check of a node
 * that recomputes into fresh tables: the ranges of flows whose UUIDs
 * collide then do not depend on the order of allocation. */
void
conj_ids_set_hint(struct conj_ids *ids, const struct conj_ids *hint)
{
    ids->hint = hint;
}

/* Frees everything in 'ids'.  NULL-safe. */
void
conj_ids_destroy(struct conj_ids *ids)
{
    struct conj_id_range *range;
    struct conj_id_slot *slot;

    if (!ids) {
        return;
    }
    HMAP_FOR_EACH_POP (range, node, &ids->by_flow) {
        free(range);
    }
    HMAP_FOR_EACH_POP (slot, node, &ids->by_id) {
        free(slot);
    }
    hmap_destroy(&ids->by_flow);
    hmap_destroy(&ids->by_id);
}

static struct conj_id_range *
find_range(const struct conj_ids *ids, const struct uuid *flow)
{
    struct conj_id_range *range;

    HMAP_FOR_EACH_WITH_HASH (range, node, uuid_hash(flow), &ids->by_flow) {
        if (uuid_equals(&range->flow, flow)) {
            return range;
        }
    }
    return NULL;
}

static struct conj_id_slot *
find_slot(const struct conj_ids *ids, uint32_t id)
{
    struct conj_id_slot *slot;

    HMAP_FOR_EACH_WITH_HASH (slot, node, hash_int(id, 0), &ids->by_id) {
        if (slot->id == id) {
            return slot;
        }
    }
    return NULL;
}

/* Returns true if ids ofs + 1 .. ofs + n are all free and valid (not 0,
 * no wrap-around). */
static bool
range_is_free(const struct conj_ids *ids, uint32_t ofs, uint32_t n)
{
    if (ofs > UINT32_MAX - n) {
        return false;
    }
    for (uint32_t i = 1; i <= n; i++) {
        if (find_slot(ids, ofs + i)) {
            return false;
        }
    }
    return true;
}

static void
take_range(struct conj_ids *ids, const struct uuid *flow, uint32_t ofs,
           uint32_t n)
{
    struct conj_id_range *range = xmalloc(sizeof *range);

    range->flow = *flow;
    range->ofs = ofs;
    range->n = n;
    hmap_insert(&ids->by_flow, &range->node, uuid_hash(flow));
    for (uint32_t i = 1; i <= n; i++) {
        struct conj_id_slot *slot = xmalloc(sizeof *slot);

        slot->id = ofs + i;
        hmap_insert(&ids->by_id, &slot->node, hash_int(slot->id, 0));
    }
}

/* Returns the offset of 'n' conjunction ids for logical flow 'flow': the
 * flow may use ids ofs + 1 through ofs + n (pass 'ofs' to
 * expr_to_matches()).  A flow that already holds at least 'n' ids keeps
 * them; otherwise its old ids are released first.  'n' == 0 releases the
 * flow's ids and returns 0. */
uint32_t
conj_ids_alloc(struct conj_ids *ids, const struct uuid *flow, uint32_t n)
{
    struct conj_id_range *range = find_range(ids, flow);
    uint32_t ofs;

    if (range && range->n >= n && n) {
        return range->ofs;
    }
    conj_ids_free(ids, flow);
    if (!n) {
        return 0;
    }

    /* Start where the hint has the flow, if it does. */
    const struct conj_id_range *hinted = (ids->hint
                                          ? find_range(ids->hint, flow)
                                          : NULL);
    if (hinted && range_is_free(ids, hinted->ofs, n)) {
        take_range(ids, flow, hinted->ofs, n);
        return hinted->ofs;
    }

    /* Start where the flow's cookie points, so that a flow gets the same
     * ids in another run, then probe upwards (wrapping past the top). */
    ofs = flow->parts[0];
    for (;;) {
        if (range_is_free(ids, ofs, n)) {
            take_range(ids, flow, ofs, n);
            return ofs;
        }
        COVERAGE_INC(conj_ids_collision);
        ofs = ofs > UINT32_MAX - n - 1 ? 0 : ofs + 1;
    }
}

/* Releases the ids of 'flow', if any. */
void
conj_ids_free(struct conj_ids *ids, const struct uuid *flow)
{
    struct conj_id_range *range = find_range(ids, flow);

    if (!range) {
        return;
    }
    for (uint32_t i = 1; i <= range->n; i++) {
        struct conj_id_slot *slot = find_slot(ids, range->ofs + i);

        hmap_remove(&ids->by_id, &slot->node);
        free(slot);
    }
    hmap_remove(&ids->by_flow, &range->node);
    free(range);
}

/* Looks up the range of 'flow'.  Returns false if it has none. */
bool
conj_ids_find(const struct conj_ids *ids, const struct uuid *flow,
              uint32_t *ofs, uint32_t *n)
{
    const struct conj_id_range *range = find_range(ids, flow);

    if (range) {
        *ofs = range->ofs;
        *n = range->n;
    }
    return range != NULL;
}

/* Returns the number of ids in use. */
size_t
conj_ids_count(const struct conj_ids *ids)
{
    return hmap_count(&ids->by_id);
}

static int
compare_ranges(const void *a_, const void *b_)
{
    const struct conj_id_range *const *a = a_, *const *b = b_;
    return uuid_compare_3way(&(*a)->flow, &(*b)->flow);
}

void
conj_ids_format(const struct conj_ids *ids, struct ds *out)
{
    size_t n = hmap_count(&ids->by_flow), i = 0;
    const struct conj_id_range **sorted = xmalloc((n + 1) * sizeof *sorted);
    const struct conj_id_range *r;

    HMAP_FOR_EACH (r, node, &ids->by_flow) {
        sorted[i++] = r;
    }
    qsort(sorted, n, sizeof *sorted, compare_ranges);
    for (i = 0; i < n; i++) {
        ds_put_format(out, "lflow: "UUID_FMT", start: %"PRIu32", n: %"PRIu32
                      "\n", UUID_ARGS(&sorted[i]->flow), sorted[i]->ofs + 1,
                      sorted[i]->n);
    }
    free(sorted);
}
