/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "lb_hairpin_output": the load balancer hairpin flows of
 * tables 68, 69 and 70 (chk_lb_hairpin, chk_lb_hairpin_reply,
 * ct_snat_to_vip).
 *
 * What the spec says (ovn-sb(5), Load_Balancer, and the actions above;
 * ovn-northd(8), the ls_in_pre_hairpin and ls_in_nat_hairpin stages): a
 * backend that connects to the VIP of a load balancer of its own switch
 * and is load balanced to itself must see the reply come from the VIP (or
 * from options:hairpin_snat_ip).  What we do: lb-hairpin.c builds each
 * row's flows, for the rows that apply to a local datapath (through
 * 'datapaths' or 'datapath_group'); each row owns its flows; the node
 * keeps them as a struct flow_table.  (Debian's OVN 23.03 computes them in
 * "logical_flow_output".)
 *
 * What triggers work, and what it redoes:
 *
 *   - SB Load_Balancer: each changed row.
 *   - SB Logical_DP_Group: the rows that use a changed group.
 *   - runtime_data: the rows that apply to a datapath that became local
 *     or stopped being local (a scan of the rows, which the SB monitor
 *     narrows to those of local datapaths); a recompute of runtime_data
 *     recomputes.
 *   - SB SB_Global: a new options:lb_hairpin_use_ct_mark recomputes;
 *     other changes are ignored.
 */

#ifndef OVNMC_EN_LB_HAIRPIN_H
#define OVNMC_EN_LB_HAIRPIN_H 1

#include <stdbool.h>
#include "controller/flow-table.h"
#include "lib/engine.h"

struct ovsdb_idl_index;

/* The node's inputs, given to engine_add_node() (copied by init()). */
struct en_lb_hairpin_inputs {
    struct engine_node *runtime_data;        /* Handler. */
    struct engine_node *sb_load_balancer;    /* Handler. */
    struct engine_node *sb_logical_dp_group; /* Handler. */
    struct engine_node *sb_sb_global;        /* Handler. */
    struct ovsdb_idl_index *lb_by_dp_group;  /* Load_Balancer by
                                              * datapath_group. */
};

/* The node's data. */
struct en_lb_hairpin_data {
    struct en_lb_hairpin_inputs in;
    struct flow_table flows;    /* The desired flows. */
    bool use_ct_mark;           /* The lb_hairpin_use_ct_mark in effect. */
};

/* The node class and its change handlers (one per input, named after
 * it). */
extern const struct engine_node_class en_lb_hairpin_class;
enum engine_input_result en_lb_hairpin_runtime_data_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_lb_hairpin_sb_load_balancer_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_lb_hairpin_sb_logical_dp_group_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_lb_hairpin_sb_sb_global_handler(
    struct engine_node *, void *data, const struct engine_context *);

/* Returns the desired flows in the node's data 'data'. */
struct flow_table *en_lb_hairpin_get_flows(void *data);

#endif /* controller/en-lb-hairpin.h */
