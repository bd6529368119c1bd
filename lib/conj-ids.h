/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Conjunction ids for the OpenFlow matches of logical flows.
 *
 * expr_to_matches() numbers the conjunctive matches of one logical flow
 * ofs + 1, ofs + 2, ...; this table hands each logical flow (by UUID) its
 * own 'ofs', so that no two flows share an id.  The range starts where the
 * first 32 bits of the flow's UUID point (the same bits as the flow
 * cookie) and moves up past ranges that are taken, and a flow keeps its
 * range for as long as the caller does not free it: recomputing an
 * unchanged logical flow gives it the same ids, so the switch's flows do
 * not change. */

#ifndef OVN_CONJ_IDS_H
#define OVN_CONJ_IDS_H 1

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/hmap.h"
#include "openvswitch/uuid.h"

struct conj_ids {
    struct hmap by_flow;        /* struct conj_id_range, by 'flow'. */
    struct hmap by_id;          /* struct conj_id_slot, one per id. */
    const struct conj_ids *hint; /* See conj_ids_set_hint(). */
};

void conj_ids_init(struct conj_ids *);
void conj_ids_set_hint(struct conj_ids *, const struct conj_ids *hint);
void conj_ids_destroy(struct conj_ids *);
uint32_t conj_ids_alloc(struct conj_ids *, const struct uuid *flow,
                        uint32_t n);
void conj_ids_free(struct conj_ids *, const struct uuid *flow);
bool conj_ids_find(const struct conj_ids *, const struct uuid *flow,
                   uint32_t *ofs, uint32_t *n);
size_t conj_ids_count(const struct conj_ids *);

struct ds;

/* Appends one line per logical flow that holds ids, "lflow: UUID, start:
 * FIRST, n: N" (its ids are FIRST..FIRST+N-1), sorted by UUID, to 'out'
 * ("debug/dump-lflow-conj-ids"). */
void conj_ids_format(const struct conj_ids *, struct ds *out);

#endif /* conj-ids.h */
