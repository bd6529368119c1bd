/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "mac_binding_output": the flows of the neighbour tables 66,
 * 67, 82 and 83 (get_arp, get_nd, lookup_arp, lookup_nd, lookup_arp_ip,
 * lookup_nd_ip).
 *
 * What the spec says (ovn-sb(5), MAC_Binding and Static_MAC_Binding; the
 * get_arp and lookup_arp actions): the chassis resolves a logical router
 * port's next hop from the bindings that any chassis learnt (MAC_Binding)
 * and from the static ones of the NB (Static_MAC_Binding; with
 * override_dynamic_mac=true they win over learnt ones, else learnt ones
 * win).  What we do: mac-binding-flows.c builds each row's flows, for the
 * rows of local datapaths whose logical port exists; each row owns its
 * flows; the node keeps them as a struct flow_table that ofctrl installs
 * and the consistency check compares.  Debian's OVN 23.03 computes these
 * in "logical_flow_output"; it has no node of its own for them.
 *
 * What triggers work, and what it redoes:
 *
 *   - SB MAC_Binding, Static_MAC_Binding: each changed row (a deleted one
 *     loses its flows).
 *   - runtime_data: the rows of each datapath that became local or
 *     stopped being local; a recompute of runtime_data recomputes.
 *   - SB Port_Binding: a port added, deleted or given a new tunnel key
 *     redoes the rows that name it; a renamed port recomputes.
 */

#ifndef OVNMC_EN_MAC_BINDING_H
#define OVNMC_EN_MAC_BINDING_H 1

#include "controller/flow-table.h"
#include "lib/engine.h"

struct ovsdb_idl_index;

/* The node's inputs, given to engine_add_node() (copied by init()). */
struct en_mac_binding_inputs {
    struct engine_node *runtime_data;          /* Handler. */
    struct engine_node *sb_port_binding;       /* Handler. */
    struct engine_node *sb_mac_binding;        /* Handler. */
    struct engine_node *sb_static_mac_binding; /* Handler. */
    struct ovsdb_idl_index *mb_by_datapath;    /* MAC_Binding by datapath. */
    struct ovsdb_idl_index *mb_by_lport;       /* ... by logical_port. */
    struct ovsdb_idl_index *smb_by_datapath;   /* Static_MAC_Binding by
                                                * datapath. */
    struct ovsdb_idl_index *smb_by_lport;      /* ... by logical_port. */
};

/* The node's data. */
struct en_mac_binding_data {
    struct en_mac_binding_inputs in;
    struct flow_table flows;    /* The desired flows. */
};

/* The node class and its change handlers (one per input, named after
 * it). */
extern const struct engine_node_class en_mac_binding_class;
enum engine_input_result en_mac_binding_runtime_data_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_mac_binding_sb_port_binding_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_mac_binding_sb_mac_binding_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_mac_binding_sb_static_mac_binding_handler(
    struct engine_node *, void *data, const struct engine_context *);

/* Returns the desired flows in the node's data 'data'. */
struct flow_table *en_mac_binding_get_flows(void *data);

#endif /* controller/en-mac-binding.h */
