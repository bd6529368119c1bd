/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The logical flows of the local datapaths, compiled into desired OpenFlow
 * flows: the work of engine node "lflow_output" (en-lflow.h), which feeds
 * it and keeps its state.
 *
 * Every Logical_Flow that applies to a local datapath (its
 * logical_datapath, or a member of its logical_dp_group) is compiled with
 * lib/lflow-compile.h on its local datapaths, all at once, into flows of
 * a struct flow_table owned by the Logical_Flow's UUID, so that compiling
 * it again replaces exactly its flows (and, through the flow table's
 * begin/end, leaves unchanged flows alone).  What each compilation read
 * is recorded in an index (lflow-index.h): when an input changes, the
 * functions below compile again only the flows that read it.
 *
 * What "local" means for a port (the is_local_port answer of
 * lflow-compile.h, which decides whether a packet can be in the ingress
 * pipeline with that inport, or in the egress pipeline with that outport,
 * on this chassis):
 *
 *   - a port bound here (runtime_data's bindings, any role: main or
 *     additional chassis, a localport with its VIF here, a container
 *     port of a VIF here, an l3gateway or chassisredirect port claimed
 *     here), or whose Port_Binding names this chassis as its chassis or an
 *     additional chassis (as committed in the SB: see committed_names()
 *     in lflow.c; a virtual port that pinctrl binds, say);
 *   - a port of a type that is not bound to one chassis: patch (router
 *     ports: the peer datapath runs here too), localnet (the physical
 *     network reaches every chassis), vtep, remote, and any type this
 *     code does not know (the safe side);
 *   - not a VIF, virtual, localport, external, l2gateway, l3gateway or
 *     chassisredirect port bound elsewhere, nor a port this chassis does
 *     not see (not on a local datapath).
 *
 * Why it is safe: the ingress pipeline of a datapath runs on the chassis
 * where a packet enters it, through a local VIF, a patch port from a
 * local datapath, a localnet port, or a gateway port claimed here; the
 * egress pipeline runs where the outport is (a packet for a remote port
 * leaves through a tunnel before it, and comes out of the tunnel into the
 * egress pipeline there).  The other field is not filtered: a packet that
 * came through a tunnel carries into the egress pipeline the inport it
 * entered by on another chassis.
 *
 * is_chassis_resident(P) is true if P is bound here in a role that
 * claims it (main or additional chassis), or, for a chassisredirect port,
 * if its Port_Binding's chassis is this chassis (committed).  Ports and multicast
 * groups resolve to their tunnel keys on each datapath ("none" is 0).
 *
 * Groups and meters: the flows take their ids from the state's id
 * tables; after every change the state declares in the flow table every
 * group (with the description the actions made) and every meter: a
 * meter named by a flow (controller_meter, log(meter=...)) from the SB
 * Meter table, a set_meter() from its rate.  A named meter the SB lacks
 * is not declared, and is logged once.
 */

#ifndef OVNMC_LFLOW_H
#define OVNMC_LFLOW_H 1

#include <stdbool.h>
#include <stddef.h>
#include "controller/flow-table.h"
#include "controller/lflow-index.h"
#include "controller/lflow-sets.h"
#include "lib/conj-ids.h"
#include "lib/id-table.h"
#include "lib/lflow-compile.h"
#include "openvswitch/hmap.h"
#include "openvswitch/shash.h"
#include "sset.h"

struct ds;
struct ed_runtime_data;
struct ovsdb_idl;
struct ovsdb_idl_index;
struct svec;
struct uuidset;

/* What one computation reads.  Everything belongs to the caller. */
struct lflow_input {
    struct ovsdb_idl *sb_idl;             /* The SB. */
    const struct ed_runtime_data *rtd;    /* Bindings, local datapaths. */
    const char *chassis;                  /* Our chassis name ("" if
                                           * none yet). */
    struct ovsdb_idl_index *lflow_by_dp;  /* Logical_Flow by
                                           * logical_datapath. */
    struct ovsdb_idl_index *lflow_by_dpg; /* Logical_Flow by
                                           * logical_dp_group. */
    struct ovsdb_idl_index *mg_by_name_dp; /* Multicast_Group by name and
                                            * datapath. */
    struct svec *warnings;                /* Messages for the log are
                                           * added here. */
};

/* One Logical_Flow compiled (on at least one local datapath). */
struct lflow_rec {
    struct hmap_node node;      /* In lflow_state 'lflows'. */
    struct uuid uuid;           /* Of the Logical_Flow. */
    bool ingress;               /* Its pipeline. */
    int64_t table_id;           /* Its logical table. */
    struct id_refs ids;         /* Group and meter ids its flows hold. */
    char *error;                /* Why it failed to compile, or NULL. */
    size_t n_dps;               /* Local datapaths it was compiled on. */
    bool seen;                  /* For lflow_compute()'s sweep. */

    /* How its flows are laid out across its datapaths (see
     * lib/lflow-compile.h).  In the layouts LFLOW_LAYOUT_PER_DP and
     * LFLOW_LAYOUT_DP_DIM the flows that belong to one datapath D alone
     * are owned, in the flow table, by lflow_sub_owner(uuid, D), so that
     * lflow_redo_dp() replaces them alone; the others by 'uuid'. */
    enum lflow_compile_layout layout;
    size_t n_dp_owners;         /* Datapaths that own flows of it. */
};

/* The owner, in the flow table, of the flows of logical flow 'lflow' that
 * belong to datapath 'dp' alone (see struct lflow_rec). */
struct uuid lflow_sub_owner(const struct uuid *lflow, const struct uuid *dp);

/* A local datapath as the state last saw it. */
struct lflow_dp {
    struct hmap_node node;      /* In lflow_state 'dps'. */
    struct uuid uuid;
    uint32_t key;
    bool is_router;
};

/* The state: the desired flows and what produced them. */
struct lflow_state {
    struct flow_table flows;    /* The desired flows, groups, meters. */
    struct lflow_sets sets;     /* Address sets, port groups, ... */
    struct shash local_pgs;     /* Port group name -> struct
                                 * expr_constant_set * of its local
                                 * members (see lflow.h, "local"). */
    struct shash symtab;        /* The logical flow symbols. */
    struct id_table groups;     /* OpenFlow group ids. */
    struct id_table meters;     /* OpenFlow meter ids. */
    struct conj_ids conj_ids;   /* Conjunction ids per logical flow. */
    struct lflow_compile_ctx compile; /* Points to the members above. */
    struct hmap lflows;         /* struct lflow_rec, by UUID. */
    struct lflow_index index;   /* What each flow read. */
    struct hmap dps;            /* struct lflow_dp: the local datapaths
                                 * the flows were compiled for. */
    struct shash bound;         /* Port name -> role + 1 (as a pointer
                                 * value): the bindings the flows were
                                 * compiled for. */
    struct sset missing_meters; /* Named meters the SB lacks (logged). */
    size_t n_errors;            /* Flows in 'lflows' with an error. */
    bool no_sharing;            /* Compile a flow one datapath at a time
                                 * (diagnostic: "lflow/share-datapaths
                                 * off"), not all at once. */

    /* During a computation only. */
    const struct lflow_input *in;
    struct lflow_refs *cur;     /* The references of the flow being
                                 * compiled. */
    const struct uuid *cur_uuid; /* Its UUID. */
    struct uuid *cur_dps;       /* The datapaths whose sub-owners of it
                                 * (see struct lflow_rec) its compilation
                                 * brackets: those it had and has. */
    size_t n_cur_dps;
};

void lflow_state_init(struct lflow_state *);
void lflow_state_destroy(struct lflow_state *);

/* Makes the id tables of 'state' prefer the ids 'hint' gave (see
 * id_table_set_hint()); NULL turns it off.  For consistency checks. */
void lflow_state_set_hint(struct lflow_state *,
                          const struct lflow_state *hint);

/* Compiles every logical flow from scratch (keeping the ids of the flows
 * it had compiled already). */
void lflow_compute(struct lflow_state *, const struct lflow_input *);

/* Incremental processing: each folds in one kind of tracked change and
 * compiles again the flows it concerns (see en-lflow.h for which). */
void lflow_handle_runtime_data(struct lflow_state *,
                               const struct lflow_input *);
void lflow_handle_logical_flows(struct lflow_state *,
                                const struct lflow_input *);
void lflow_handle_dp_groups(struct lflow_state *,
                            const struct lflow_input *);
void lflow_handle_addr_sets(struct lflow_state *,
                            const struct lflow_input *);
void lflow_handle_port_groups(struct lflow_state *,
                              const struct lflow_input *);
void lflow_handle_port_bindings(struct lflow_state *,
                                const struct lflow_input *);
void lflow_handle_mcast_groups(struct lflow_state *,
                               const struct lflow_input *);
void lflow_handle_templates(struct lflow_state *,
                            const struct lflow_input *);
void lflow_handle_meters(struct lflow_state *, const struct lflow_input *);

/* True if the desired flows, groups or meters of 'state' changed since
 * ofctrl last read them. */
bool lflow_state_dirty(const struct lflow_state *);

/* Returns the record of logical flow 'uuid', or NULL. */
const struct lflow_rec *lflow_state_find(const struct lflow_state *,
                                         const struct uuid *uuid);

#endif /* controller/lflow.h */
