/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "port_sec_output": the port security flows of tables 73, 74
 * and 75 (check_in_port_sec, check_out_port_sec).
 *
 * What the spec says (ovn-nb(5), Logical_Switch_Port port_security;
 * ovn-sb(5), the check_in_port_sec and check_out_port_sec actions): the
 * chassis that a port is bound to checks what the port sends and receives
 * against its Port_Binding.port_security.  What we do: port-sec.c builds
 * the flows of each port bound here (a binding of runtime_data); each
 * Port_Binding owns its flows; the node keeps them as a struct
 * flow_table.  (Debian's OVN 23.03 computes them in
 * "logical_flow_output".)
 *
 * What triggers work, and what it redoes:
 *
 *   - runtime_data: each port bound, released or rebound here; a
 *     recompute of runtime_data recomputes.
 *   - SB Port_Binding: each changed port that is bound here (its
 *     port_security or keys changed); a deleted one loses its flows.
 */

#ifndef OVNMC_EN_PORT_SEC_H
#define OVNMC_EN_PORT_SEC_H 1

#include "controller/flow-table.h"
#include "lib/engine.h"

/* The node's inputs, given to engine_add_node() (copied by init()). */
struct en_port_sec_inputs {
    struct engine_node *runtime_data;    /* Handler. */
    struct engine_node *sb_port_binding; /* Handler. */
};

/* The node's data. */
struct en_port_sec_data {
    struct en_port_sec_inputs in;
    struct flow_table flows;    /* The desired flows. */
};

/* The node class and its change handlers (one per input, named after
 * it). */
extern const struct engine_node_class en_port_sec_class;
enum engine_input_result en_port_sec_runtime_data_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_port_sec_sb_port_binding_handler(
    struct engine_node *, void *data, const struct engine_context *);

/* Returns the desired flows in the node's data 'data'. */
struct flow_table *en_port_sec_get_flows(void *data);

#endif /* controller/en-port-sec.h */
