/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Which columns of the local OVS database the daemon replicates, and which
 * of them wake the engine when they change.
 *
 * Each module that reads or writes the local OVS database declares, in one
 * array next to its code, the columns it uses and whether a change of each
 * must be tracked (reported to the engine).  The graph wiring collects the
 * arrays in a struct idl_columns and registers them with the IDL once.
 * Registration order matters in the IDL (ovsdb_idl_add_column() on a
 * column that is already tracked turns its tracking off), so
 * idl_columns_register() first adds every column and only then turns
 * tracking on for the columns that some module tracks: a column is tracked
 * if any user tracks it, whatever order the users were declared in.
 */

#ifndef OVNMC_IDL_COLUMNS_H
#define OVNMC_IDL_COLUMNS_H 1

#include <stdbool.h>
#include <stddef.h>
#include "openvswitch/hmap.h"

struct ovsdb_idl;
struct ovsdb_idl_column;

/* One module's use of one column. */
struct idl_column_use {
    const struct ovsdb_idl_column *column;
    bool track;                 /* Changes must wake the engine. */
};

/* The columns collected from every module. */
struct idl_columns {
    struct hmap map;            /* Private: one entry per column. */
};

/* Initializes 'cols' empty. */
void idl_columns_init(struct idl_columns *cols);

/* Frees what 'cols' owns.  NULL-safe. */
void idl_columns_destroy(struct idl_columns *cols);

/* Adds the 'n' uses in 'uses' (not copied: the arrays are static). */
void idl_columns_add(struct idl_columns *cols,
                     const struct idl_column_use *uses, size_t n);

/* True if some use of 'column' tracks it. */
bool idl_columns_is_tracked(const struct idl_columns *cols,
                            const struct ovsdb_idl_column *column);

/* Registers every collected column with 'idl' (ovsdb_idl_add_column()),
 * then turns tracking on (ovsdb_idl_track_add_column()) for the tracked
 * ones. */
void idl_columns_register(const struct idl_columns *cols,
                          struct ovsdb_idl *idl);

/* Declares the array 'USES' (a static array of struct idl_column_use) to
 * 'COLS'. */
#define IDL_COLUMNS_ADD(COLS, USES) \
    idl_columns_add(COLS, USES, ARRAY_SIZE(USES))

#endif /* controller/idl-columns.h */
