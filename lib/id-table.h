/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Tables of OpenFlow ids (group ids, meter ids) keyed by description.
 *
 * The action encoder asks for an id for a description (e.g. a group's
 * "type=select,bucket=..." text or a meter's name); an identical
 * description gets the same id back and a reference more.  When the last
 * reference goes, the id becomes free for reuse.  The table does not talk
 * to the switch: its owner installs and deletes groups and meters from the
 * contents (see id_table_for_each). */

#ifndef OVN_ID_TABLE_H
#define OVN_ID_TABLE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/hmap.h"

/* One allocated id. */
struct id_table_entry {
    struct hmap_node desc_node;   /* In id_table's 'by_desc'. */
    struct hmap_node id_node;     /* In id_table's 'by_id'. */
    char *desc;                   /* Description (owned). */
    uint32_t id;
    size_t refs;                  /* Number of users. */
};

/* A table of ids in [base, base + n_ids). */
struct id_table {
    struct hmap by_desc;
    struct hmap by_id;
    struct id_pool *pool;
    uint32_t base, n_ids;         /* The range of ids. */
    const struct id_table *hint;  /* See id_table_set_hint(). */
};

void id_table_init(struct id_table *, uint32_t base, uint32_t n_ids);
void id_table_destroy(struct id_table *);
void id_table_set_hint(struct id_table *, const struct id_table *hint);

uint32_t id_table_ref(struct id_table *, const char *desc);
bool id_table_unref(struct id_table *, uint32_t id);
const struct id_table_entry *id_table_find(const struct id_table *,
                                           uint32_t id);
const struct id_table_entry *id_table_find_desc(const struct id_table *,
                                                const char *desc);
size_t id_table_count(const struct id_table *);

#define ID_TABLE_FOR_EACH(ENTRY, TABLE) \
    HMAP_FOR_EACH (ENTRY, id_node, &(TABLE)->by_id)

/* A record of the ids one user (e.g. one logical flow) took, so that they
 * can all be released together. */
struct id_refs {
    struct id_ref {
        struct id_table *table;
        uint32_t id;
    } *refs;
    size_t n, allocated;
};

#define ID_REFS_INITIALIZER { NULL, 0, 0 }
void id_refs_add(struct id_refs *, struct id_table *, uint32_t id);
void id_refs_release(struct id_refs *);

#endif /* id-table.h */
