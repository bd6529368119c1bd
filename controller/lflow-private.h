/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Internals of lflow.c shared with lflow-changes.c.  Not for other
 * modules: see lflow.h.  Every function here runs during a computation
 * (the state's 'in' is set).
 */

#ifndef OVNMC_LFLOW_PRIVATE_H
#define OVNMC_LFLOW_PRIVATE_H 1

#include <stdbool.h>

struct lflow_state;
struct sbrec_port_binding;
struct uuid;
struct uuidset;

/* Compiles logical flow 'uuid' again on its local datapaths, or removes
 * it if it is gone or applies to none. */
void lflow_redo(struct lflow_state *, const struct uuid *uuid);

/* Compiles again only the flows of logical flow 'uuid' that belong to
 * local datapath 'dp' alone, when only what that datapath's part of the
 * match depends on changed (see "Updating one datapath's part" in
 * lib/lflow-compile.h), or all of them (lflow_redo()) if that cannot be
 * done.  Returns false in the second case. */
bool lflow_redo_dp(struct lflow_state *, const struct uuid *uuid,
                   const struct uuid *dp);

/* lflow_redo() for each flow in 'todo'. */
void lflow_redo_all(struct lflow_state *, const struct uuidset *todo);

/* Removes logical flow 'uuid' (its flows, ids, references). */
void lflow_remove(struct lflow_state *, const struct uuid *uuid);

/* Declares the groups and meters the flows use in the flow table. */
void lflow_sync_ids(struct lflow_state *);

/* Returns the live Port_Binding named 'port', or NULL. */
const struct sbrec_port_binding *lflow_find_pb(const struct lflow_state *,
                                               const char *port);

/* The answers of lflow.h's "local" and is_chassis_resident(), as
 * lib/lflow-compile.h callbacks whose aux is the state. */
bool lflow_is_local_port_cb(const void *state, const char *port);
bool lflow_is_resident_cb(const void *state, const char *port);

/* True for the port types bound to one chassis (see lflow.h). */
bool lflow_type_is_bound(const char *type);

/* Brings the local members of port group 'pg' (its members for which
 * lflow_is_local_port_cb() is true, in the state's 'local_pgs') in line
 * with the group and its ports; removes them if the group is gone. */
void lflow_local_pg_update(struct lflow_state *, const char *pg);

/* The same for every port group, from scratch. */
void lflow_local_pgs_rebuild(struct lflow_state *);

#endif /* controller/lflow-private.h */
