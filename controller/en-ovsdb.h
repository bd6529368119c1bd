/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine leaf nodes for OVSDB tables.
 *
 * One leaf per table a node reads.  The leaf's data is the IDL and the
 * table; it reports a change when the IDL tracked an insert, update or
 * delete in that table since the tracked changes were last cleared (the
 * daemon clears them with ovsdb_idl_track_clear() after every engine run).
 * Change tracking must be enabled for the table's columns
 * (ovsdb_idl_track_add_column() or ovsdb_idl_track_add_all()).
 *
 * Defining a leaf class for table TABLE of an IDL (in the graph file):
 *
 *     EN_OVSDB_TABLE_CLASS(SB_chassis, sbrec_table_chassis);
 *
 * defines 'en_ovsdb_class_SB_chassis', a node class named "SB_chassis"
 * whose engine_add_node() argument is the struct ovsdb_idl *.
 *
 * A node reads the rows of its input leaf with the IDL's typed accessors:
 *
 *     const struct sbrec_chassis_table *t =
 *         sbrec_chassis_table_get(en_ovsdb_input_idl(node, in->sb_chassis));
 */

#ifndef OVNMC_EN_OVSDB_H
#define OVNMC_EN_OVSDB_H 1

#include <stdbool.h>
#include "lib/engine.h"

struct ovsdb_idl;
struct ovsdb_idl_table_class;

/* The data of an OVSDB table leaf. */
struct en_ovsdb_table {
    struct ovsdb_idl *idl;                   /* The IDL (not owned). */
    const struct ovsdb_idl_table_class *tc;  /* The table. */
};

/* Class callbacks shared by every table leaf; use EN_OVSDB_TABLE_CLASS. */
void *en_ovsdb_table_create(struct ovsdb_idl *,
                            const struct ovsdb_idl_table_class *);
void en_ovsdb_table_cleanup(void *data);
enum engine_run_result en_ovsdb_table_run(struct engine_node *, void *data,
                                          const struct engine_context *);
bool en_ovsdb_table_changed(void *data);

#define EN_OVSDB_TABLE_CLASS(NAME, TABLE_CLASS)                         \
    static void *                                                       \
    en_ovsdb_init_##NAME(void *idl)                                     \
    {                                                                   \
        return en_ovsdb_table_create(idl, &(TABLE_CLASS));              \
    }                                                                   \
    static const struct engine_node_class en_ovsdb_class_##NAME = {     \
        .name = #NAME,                                                  \
        .init = en_ovsdb_init_##NAME,                                   \
        .cleanup = en_ovsdb_table_cleanup,                              \
        .run = en_ovsdb_table_run,                                      \
        .source_changed = en_ovsdb_table_changed,                       \
        .no_compare = "leaf: the IDL holds the rows",                   \
    }

/* Returns the IDL of 'input', a table leaf that must be an input of
 * 'node'. */
struct ovsdb_idl *en_ovsdb_input_idl(const struct engine_node *node,
                                     const struct engine_node *input);

#endif /* controller/en-ovsdb.h */
