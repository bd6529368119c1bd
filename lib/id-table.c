/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Reference-counted id tables for OpenFlow groups and meters.  See
 * id-table.h. */

#include <config.h>
#include "id-table.h"

#include <stdlib.h>
#include <string.h>
#include "coverage.h"
#include "hash.h"
#include "id-pool.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(id_table);
COVERAGE_DEFINE(id_table_exhausted);

/* Initializes 'table' to hand out ids in [base, base + n_ids). */
void
id_table_init(struct id_table *table, uint32_t base, uint32_t n_ids)
{
    hmap_init(&table->by_desc);
    hmap_init(&table->by_id);
    table->pool = id_pool_create(base, n_ids);
    table->base = base;
    table->n_ids = n_ids;
    table->hint = NULL;
}

/* Makes a description new to 'table' take the id it has in 'hint', when
 * 'hint' has it and that id is free in 'table', rather than the lowest
 * free id; NULL turns this off.  'hint' must outlive its use.  Two tables
 * filled in different orders then agree on the ids: the consistency check
 * of a node that recomputes into a fresh table uses the node's own table
 * as the hint, so that it compares what the ids stand for, not the order
 * in which they were handed out. */
void
id_table_set_hint(struct id_table *table, const struct id_table *hint)
{
    table->hint = hint;
}

/* Returns the id 'table''s hint gives 'desc', if it is free in 'table';
 * else 0. */
static uint32_t
hinted_id(const struct id_table *table, const char *desc)
{
    const struct id_table_entry *e = (table->hint
                                      ? id_table_find_desc(table->hint,
                                                           desc)
                                      : NULL);

    if (e && e->id >= table->base && e->id - table->base < table->n_ids
        && !id_table_find(table, e->id)) {
        return e->id;
    }
    return 0;
}

/* Frees 'table' and every entry (NULL-safe). */
void
id_table_destroy(struct id_table *table)
{
    if (!table) {
        return;
    }
    struct id_table_entry *e;
    HMAP_FOR_EACH_SAFE (e, id_node, &table->by_id) {
        hmap_remove(&table->by_id, &e->id_node);
        free(e->desc);
        free(e);
    }
    hmap_destroy(&table->by_id);
    hmap_destroy(&table->by_desc);
    id_pool_destroy(table->pool);
    table->pool = NULL;
}

const struct id_table_entry *
id_table_find_desc(const struct id_table *table, const char *desc)
{
    const struct id_table_entry *e;
    HMAP_FOR_EACH_WITH_HASH (e, desc_node, hash_string(desc, 0),
                             &table->by_desc) {
        if (!strcmp(e->desc, desc)) {
            return e;
        }
    }
    return NULL;
}

/* Returns the entry for 'id', or NULL if 'id' is not allocated. */
const struct id_table_entry *
id_table_find(const struct id_table *table, uint32_t id)
{
    const struct id_table_entry *e;
    HMAP_FOR_EACH_WITH_HASH (e, id_node, hash_int(id, 0), &table->by_id) {
        if (e->id == id) {
            return e;
        }
    }
    return NULL;
}

/* Returns the id for 'desc' and takes a reference to it: the existing id if
 * some user already holds one for an identical description, otherwise the
 * id the hint gives it (see id_table_set_hint()) or the lowest free id.
 * Returns 0 if every id is in use. */
uint32_t
id_table_ref(struct id_table *table, const char *desc)
{
    struct id_table_entry *e = CONST_CAST(struct id_table_entry *,
                                          id_table_find_desc(table, desc));
    if (e) {
        e->refs++;
        return e->id;
    }

    uint32_t id = hinted_id(table, desc);
    if (id) {
        id_pool_add(table->pool, id);
    } else if (!id_pool_alloc_id(table->pool, &id)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        COVERAGE_INC(id_table_exhausted);
        VLOG_WARN_RL(&rl, "no free id for \"%s\"", desc);
        return 0;
    }
    e = xmalloc(sizeof *e);
    e->desc = xstrdup(desc);
    e->id = id;
    e->refs = 1;
    hmap_insert(&table->by_desc, &e->desc_node, hash_string(desc, 0));
    hmap_insert(&table->by_id, &e->id_node, hash_int(id, 0));
    return id;
}

/* Drops a reference to 'id'; frees the id when it was the last one.
 * Returns true if 'id' was freed, false if still in use or unknown. */
bool
id_table_unref(struct id_table *table, uint32_t id)
{
    struct id_table_entry *e = CONST_CAST(struct id_table_entry *,
                                          id_table_find(table, id));
    if (!e || --e->refs) {
        return false;
    }
    hmap_remove(&table->by_desc, &e->desc_node);
    hmap_remove(&table->by_id, &e->id_node);
    id_pool_free_id(table->pool, e->id);
    free(e->desc);
    free(e);
    return true;
}

size_t
id_table_count(const struct id_table *table)
{
    return hmap_count(&table->by_id);
}

/* Records that the user of 'refs' holds a reference to 'id' in 'table'. */
void
id_refs_add(struct id_refs *refs, struct id_table *table, uint32_t id)
{
    if (refs->n >= refs->allocated) {
        refs->refs = x2nrealloc(refs->refs, &refs->allocated,
                                sizeof *refs->refs);
    }
    refs->refs[refs->n++] = (struct id_ref) { .table = table, .id = id };
}

/* Drops every reference recorded in 'refs' and empties it. */
void
id_refs_release(struct id_refs *refs)
{
    for (size_t i = 0; i < refs->n; i++) {
        id_table_unref(refs->refs[i].table, refs->refs[i].id);
    }
    free(refs->refs);
    refs->refs = NULL;
    refs->n = refs->allocated = 0;
}
