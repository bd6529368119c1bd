/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * What each compiled logical flow depends on, indexed both ways, so that a
 * change of an input finds the few flows to compile again.
 *
 * A logical flow refers to names of several kinds: the address sets and
 * port groups its match uses (port groups by the name looked up, e.g. the
 * SB's "<key>_<name>"), the ports it names or asks is_chassis_resident()
 * about or looks up (in the match and in the actions: multicast group
 * names too), and the template variables it uses; and it is compiled on
 * some local datapaths.  lflow_index_set() records a flow's references
 * (replacing those it had), lflow_index_find() returns the flows that
 * refer to a name.
 *
 * A pure module: no database, no logging.
 */

#ifndef OVNMC_LFLOW_INDEX_H
#define OVNMC_LFLOW_INDEX_H 1

#include <stdbool.h>
#include <stddef.h>
#include "openvswitch/hmap.h"
#include "openvswitch/shash.h"
#include "openvswitch/uuid.h"
#include "sset.h"

struct uuidset;

/* Kinds of names a flow refers to. */
enum lflow_ref_kind {
    LFLOW_REF_ADDR_SET,         /* Address_Set name. */
    LFLOW_REF_PORT_GROUP,       /* Port_Group name, as looked up. */
    LFLOW_REF_PORT,             /* Port or multicast group name. */
    LFLOW_REF_TEMPLATE,         /* Template variable name. */
    LFLOW_N_REF_KINDS
};

/* Returns a name for 'kind' ("address set", ...), for logs. */
const char *lflow_ref_kind_name(enum lflow_ref_kind kind);

/* The references of one flow (filled by the caller, then handed to
 * lflow_index_set()). */
struct lflow_refs {
    struct sset names[LFLOW_N_REF_KINDS];
    struct uuid *dps;           /* Datapaths it was compiled on. */
    size_t n_dps, allocated_dps;
};

void lflow_refs_init(struct lflow_refs *);
void lflow_refs_destroy(struct lflow_refs *);
void lflow_refs_add_dp(struct lflow_refs *, const struct uuid *dp);

/* The index: (kind, name) -> flows, datapath -> flows, and each flow's
 * references. */
struct lflow_index {
    struct shash by_name[LFLOW_N_REF_KINDS]; /* Name -> struct uuidset *. */
    struct hmap by_dp;          /* struct lflow_index_dp. */
    struct hmap flows;          /* struct lflow_index_flow, by UUID. */
};

void lflow_index_init(struct lflow_index *);
void lflow_index_destroy(struct lflow_index *);

/* Makes 'refs' the references of flow 'flow', replacing what it had.
 * Takes ownership of the contents of 'refs' (which it reinitializes). */
void lflow_index_set(struct lflow_index *, const struct uuid *flow,
                     struct lflow_refs *refs);

/* Forgets flow 'flow'. */
void lflow_index_remove(struct lflow_index *, const struct uuid *flow);

/* Returns the flows that refer to 'name' of 'kind', or NULL if none. */
const struct uuidset *lflow_index_find(const struct lflow_index *,
                                       enum lflow_ref_kind kind,
                                       const char *name);

/* Returns the flows compiled on datapath 'dp', or NULL if none. */
const struct uuidset *lflow_index_find_dp(const struct lflow_index *,
                                          const struct uuid *dp);

/* Returns the references recorded for 'flow', or NULL. */
const struct lflow_refs *lflow_index_get(const struct lflow_index *,
                                         const struct uuid *flow);

/* Adds to 'out' every flow that refers to 'name' of 'kind'. */
void lflow_index_collect(const struct lflow_index *, enum lflow_ref_kind,
                         const char *name, struct uuidset *out);

#endif /* controller/lflow-index.h */
