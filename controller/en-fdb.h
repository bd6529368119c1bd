/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "fdb_output": the flows of the FDB tables 71 and 72
 * (get_fdb, lookup_fdb).
 *
 * What the spec says (ovn-sb(5), FDB; the put_fdb, get_fdb and lookup_fdb
 * actions): the MAC addresses that chassis learnt on logical switch ports
 * with unknown addresses are shared through the SB FDB table, keyed by
 * datapath and port tunnel keys, so that every chassis can forward to
 * them.  What we do: fdb-flows.c builds each row's flows, for the rows of
 * local datapaths; each row owns its flows; the node keeps them as a
 * struct flow_table.  (Debian's OVN 23.03 computes them in
 * "logical_flow_output".)
 *
 * What triggers work, and what it redoes:
 *
 *   - SB FDB: each changed row.
 *   - runtime_data: the rows of each datapath that became local or
 *     stopped being local (found by its tunnel key); a recompute of
 *     runtime_data recomputes.
 */

#ifndef OVNMC_EN_FDB_H
#define OVNMC_EN_FDB_H 1

#include "controller/flow-table.h"
#include "lib/engine.h"

struct ovsdb_idl_index;

/* The node's inputs, given to engine_add_node() (copied by init()). */
struct en_fdb_inputs {
    struct engine_node *runtime_data;   /* Handler. */
    struct engine_node *sb_fdb;         /* Handler. */
    struct ovsdb_idl_index *fdb_by_dp_key;   /* SB FDB by dp_key. */
};

/* The node's data. */
struct en_fdb_data {
    struct en_fdb_inputs in;
    struct flow_table flows;    /* The desired flows. */
};

/* The node class and its change handlers (one per input, named after
 * it). */
extern const struct engine_node_class en_fdb_class;
enum engine_input_result en_fdb_runtime_data_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_fdb_sb_fdb_handler(
    struct engine_node *, void *data, const struct engine_context *);

/* Returns the desired flows in the node's data 'data'. */
struct flow_table *en_fdb_get_flows(void *data);

#endif /* controller/en-fdb.h */
