/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * What the node "runtime_data" found, for operators: the unixctl commands
 * "binding/show" (every binding with its role, VIF and encap, the number
 * of local datapaths, and the bad encap pins) and "binding/monitor" (how
 * many rows of the tables that the SB monitor conditions narrow are in the
 * IDL), and the listings that "encap/show" shares.
 */

#ifndef OVNMC_BINDING_SHOW_H
#define OVNMC_BINDING_SHOW_H 1

#include <stddef.h>

struct ds;
struct ed_runtime_data;
struct engine_node;
struct local_binding;

/* Registers the commands for 'node' (a runtime_data node, which must
 * outlive them). */
void binding_show_register(struct engine_node *node);

/* Returns the bindings of 'rtd' sorted by logical port, in a malloc'd
 * array of '*n' elements that the caller frees (the bindings stay
 * 'rtd''s, valid until its next change).  For encap/show. */
const struct local_binding **binding_show_sorted(
    const struct ed_runtime_data *rtd, size_t *n);

/* Appends one line per binding with a bad encap pin ("lport iface
 * encap-ip=VALUE: not a local encap IP; using DEFAULT"), sorted, to 'out'.
 * For encap/show. */
void binding_show_format_bad_pins(const struct ed_runtime_data *rtd,
                                  struct ds *out);

/* Appends a listing of every binding to 'out' (binding/show). */
void binding_show_format(const struct ed_runtime_data *rtd, struct ds *out);

#endif /* controller/binding-show.h */
