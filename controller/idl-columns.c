/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The columns of the local OVS database the daemon uses: see
 * idl-columns.h.
 */

#include <config.h>

#include "controller/idl-columns.h"

#include "hash.h"
#include "ovsdb-idl.h"
#include "util.h"

/* One column, with whether any use tracks it. */
struct idl_column_entry {
    struct hmap_node node;      /* In idl_columns 'map', by address. */
    const struct ovsdb_idl_column *column;
    bool track;
};

void
idl_columns_init(struct idl_columns *cols)
{
    hmap_init(&cols->map);
}

void
idl_columns_destroy(struct idl_columns *cols)
{
    if (cols) {
        struct idl_column_entry *e;
        HMAP_FOR_EACH_POP (e, node, &cols->map) {
            free(e);
        }
        hmap_destroy(&cols->map);
    }
}

static struct idl_column_entry *
idl_columns_find(const struct idl_columns *cols,
                 const struct ovsdb_idl_column *column)
{
    struct idl_column_entry *e;

    HMAP_FOR_EACH_WITH_HASH (e, node, hash_pointer(column, 0), &cols->map) {
        if (e->column == column) {
            return e;
        }
    }
    return NULL;
}

void
idl_columns_add(struct idl_columns *cols, const struct idl_column_use *uses,
                size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct idl_column_entry *e = idl_columns_find(cols, uses[i].column);
        if (!e) {
            e = xzalloc(sizeof *e);
            e->column = uses[i].column;
            hmap_insert(&cols->map, &e->node, hash_pointer(e->column, 0));
        }
        e->track |= uses[i].track;
    }
}

bool
idl_columns_is_tracked(const struct idl_columns *cols,
                       const struct ovsdb_idl_column *column)
{
    const struct idl_column_entry *e = idl_columns_find(cols, column);
    return e && e->track;
}

void
idl_columns_register(const struct idl_columns *cols, struct ovsdb_idl *idl)
{
    const struct idl_column_entry *e;

    HMAP_FOR_EACH (e, node, &cols->map) {
        ovsdb_idl_add_column(idl, e->column);
    }
    HMAP_FOR_EACH (e, node, &cols->map) {
        if (e->track) {
            ovsdb_idl_track_add_column(idl, e->column);
        }
    }
}
