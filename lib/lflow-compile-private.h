/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Internals of lib/lflow-compile.c shared with lib/lflow-compile-match.c:
 * the match of a logical flow, parsed once and compiled for one datapath
 * or for several at once.  Not for other modules. */

#ifndef OVN_LFLOW_COMPILE_PRIVATE_H
#define OVN_LFLOW_COMPILE_PRIVATE_H 1

#include <stddef.h>
#include "expr.h"
#include "lflow-compile.h"

/* The integer symbols that stand for the registers of string fields
 * (inport, outport) once their ports are resolved, and for metadata.  The
 * expressions compiled with them point to them: the caller keeps them
 * until it destroyed those. */
struct lfc_syms {
    struct expr_symbol regs[4];
    const struct mf_field *fields[4];
    size_t n;
    struct expr_symbol metadata;
};

void lfc_syms_init(struct lfc_syms *);

/* Compiles the match of 'p' for datapath 'dp' into a normalized
 * expression without the datapath's metadata (the caller adds it to each
 * OpenFlow match), noting what it refers to in 'p'.  The expression uses
 * the symbols in 'syms' (initialized by the caller).  Returns the
 * expression, or NULL and a malloc'd error (without a step prefix) in
 * '*errorp'. */
struct expr *lfc_match_on_dp(const struct lflow_compile_ctx *,
                             struct lflow_compile_parsed *,
                             const struct lflow_compile_dp *,
                             struct lfc_syms *, char **errorp);

/* Compiles the match of 'p' for all 'n' datapaths 'dps' at once into one
 * normalized expression that includes each datapath's metadata, noting
 * what it refers to in 'p'.  The datapath-independent part of the match
 * (address sets, protocols, ...) appears once, the part that depends on
 * the datapath (its ports, its port groups) is paired with the datapath's
 * metadata, in the layout stored in '*layoutp' (see lflow-compile.h; the
 * layout depends on the shared part, on whether every datapath's part
 * is a plain DNF and on 'allow_dim' (false rules LFLOW_LAYOUT_DP_DIM
 * out), so that compiling one datapath alone again gives that datapath's
 * flows of the layout, as long as it is the same).  In the
 * layout LFLOW_LAYOUT_DP_DIM the expression is one clause with
 * dimensions, the datapaths' clauses being its first.  Returns the
 * expression, or NULL and a malloc'd error (without a step prefix, naming
 * the datapath if it is specific to one) in '*errorp'. */
struct expr *lfc_match_on_dps(const struct lflow_compile_ctx *,
                              struct lflow_compile_parsed *,
                              const struct lflow_compile_dp *dps, size_t n,
                              struct lfc_syms *, bool allow_dim,
                              enum lflow_compile_layout *layoutp,
                              char **errorp);

/* Frees what the match cache of 'p' holds. */
void lfc_match_destroy(struct lflow_compile_parsed *);

#endif /* lflow-compile-private.h */
