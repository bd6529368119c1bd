/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * What the node "lflow_output" compiled, for operators:
 *
 *   lflow/show [DATAPATH]   for each local datapath (or only DATAPATH: a
 *                           Datapath_Binding UUID or a prefix of one, a
 *                           tunnel key, or an external_ids:name), its
 *                           logical flows sorted by pipeline, table,
 *                           priority (highest first) and match, each with
 *                           its match, actions, error if it failed, and
 *                           the OpenFlow flows it produced for that
 *                           datapath (those with its metadata, and those
 *                           it shares with its group's other datapaths,
 *                           which have none).
 *   lflow/errors            one line per logical flow that failed to
 *                           compile, "UUID PIPELINE TABLE: ERROR", sorted.
 *   lflow/share-datapaths [on|off]
 *                           a diagnostic: "off" compiles a flow of a
 *                           Logical_DP_Group one datapath at a time, as
 *                           upstream does, to measure what compiling it
 *                           on all at once saves; it takes effect at the
 *                           next recompute (inc-engine/recompute).
 *                           Prints the setting.
 */

#ifndef OVNMC_LFLOW_SHOW_H
#define OVNMC_LFLOW_SHOW_H 1

struct ds;
struct engine_node;
struct lflow_state;
struct ovsdb_idl;
struct ovsdb_idl_index;

/* Registers the commands for 'node' (an lflow_output node). */
void lflow_show_register(struct engine_node *node);

/* Appends the "lflow/errors" listing of 'state' to 'out'. */
void lflow_show_errors(const struct lflow_state *, struct ds *out);

#endif /* controller/lflow-show.h */
