/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Reconciling the tunnel ports on the integration bridge with the desired
 * tunnel mesh (controller/tunnel-mesh.h).
 *
 * Mark and sweep: a Port that carries external_ids:ovn-chassis-id is ours
 * (the mark).  Each of ours on the integration bridge is matched with the
 * desired port of the same key; a legacy "<chassis>@<remote-ip>" port, as
 * older controllers leave, is adopted by a desired port to the same chassis
 * and IP and its id rewritten in place; what is left of ours is swept.
 * Ports without the mark are never touched.
 *
 * Bridges: the integration bridge we put our ports on carries
 * external_ids:ovn-tunnel-owner=<system-id> (set by the reconciliation).
 * When ovn-bridge changes, while we run or while we are stopped, our
 * marked ports leave every other bridge that carries our owner mark, and
 * the mark goes with them, in one transaction.  A bridge without our owner
 * mark (never used by this chassis as its integration bridge, or used by
 * another system-id) is never touched, even if a port on it looks like
 * one of ours: the rule that ports on other bridges are never touched
 * (Documentation/architecture.rst, section 5.3) holds for every bridge we
 * did not claim.
 *
 * A reconciliation goes validate (find the bridge, classify the ports),
 * prepare (a plan of creates, in-place updates, adoptions and deletes,
 * computed without writing) and apply (the plan into the caller's OVSDB
 * transaction).  Applying only ever touches what the plan names, so an
 * unrelated port keeps its row and UUID.  A failed commit is the caller's
 * to log; the next reconciliation recomputes the plan from what the
 * database then holds, so nothing stays half-applied.
 */

#ifndef OVNMC_TUNNEL_SYNC_H
#define OVNMC_TUNNEL_SYNC_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "controller/owned-ports.h"
#include "openvswitch/shash.h"
#include "sset.h"

struct ds;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct ovsrec_bridge;
struct ovsrec_bridge_table;
struct ovsrec_interface;
struct ovsrec_port;
struct tunnel_mesh;

/* Key of the Bridge external_ids that names the system-id whose tunnel
 * ports the bridge holds (see above). */
#define TUNNEL_SYNC_OWNER_KEY "ovn-tunnel-owner"

/* State kept from one reconciliation to the next: what is ours, so that a
 * change of the OVS database can be classified without a reconciliation
 * (see tunnel_sync_port_needs_sync()). */
struct tunnel_sync {
    char *owner;                /* System-id of the last reconciliation;
                                 * NULL before the first one. */
    char *bridge;               /* Its integration bridge; NULL before. */
    struct owned_ports owned;   /* Our ports on 'bridge' as it found
                                 * them. */
};

/* What one reconciliation did (or, without a transaction, would do). */
struct tunnel_sync_stats {
    size_t kept;                /* Ports already as desired. */
    size_t created;             /* Ports created. */
    size_t updated;             /* Ports updated in place. */
    size_t adopted;             /* Legacy ports adopted. */
    size_t deleted;             /* Stale ports deleted (also from
                                 * bridges we owned before). */
    size_t marked;              /* Owner marks set or removed. */
};

/* Outcome of tunnel_sync_run(). */
enum tunnel_sync_result {
    TUNNEL_SYNC_IN_SYNC,        /* Nothing to change. */
    TUNNEL_SYNC_CHANGED,        /* Changes written into the transaction. */
    TUNNEL_SYNC_NO_BRIDGE,      /* The integration bridge does not exist
                                 * (yet); nothing done. */
};

/* Initializes 'sync'. */
void tunnel_sync_init(struct tunnel_sync *sync);

/* Frees what 'sync' owns.  NULL-safe. */
void tunnel_sync_destroy(struct tunnel_sync *sync);

/* Reconciles the ports of bridge 'bridge_name' (found in 'ovs_idl') with
 * 'mesh' and, for the Interfaces' bfd column, 'bfd' (mesh port key ->
 * struct smap * of the bfd column wanted; a port not in it, or a null
 * 'bfd', wants an empty column: BFD off), writing the changes into 'txn',
 * which must be open: marks the
 * bridge as owned by 'owner' (the system-id; NULL: no marking and no
 * sweeping of other bridges) and sweeps our ports from the other bridges
 * 'owner' owns.  Stores what it did in '*stats' if nonnull, and adds one
 * line per change to 'plan_desc' if nonnull ("create KEY", "update KEY",
 * "adopt KEY", "delete BRIDGE PORT", "mark BRIDGE", "unmark BRIDGE").
 * With a null 'txn', writes nothing and stores in '*stats' what it would
 * do (and returns TUNNEL_SYNC_CHANGED if that is something). */
enum tunnel_sync_result tunnel_sync_run(
    struct tunnel_sync *sync, const struct tunnel_mesh *mesh,
    const struct shash *bfd, const char *bridge_name, const char *owner,
    const struct ovsdb_idl *ovs_idl,
    struct ovsdb_idl_txn *txn, struct tunnel_sync_stats *stats,
    struct sset *plan_desc);

/* Classifying a change of the OVS database without a reconciliation.
 * Each returns true if the changed row may need one: */

/* 'port' is ours (it carries our mark, or it was one of our ports at the
 * last reconciliation) and is new or deleted, or its name, interfaces or
 * external_ids changed.  (The IDL also reports a port as changed when
 * only its interface did: that is tunnel_sync_iface_needs_sync()'s.) */
bool tunnel_sync_port_needs_sync(const struct tunnel_sync *sync,
                                 const struct ovsrec_port *port);

/* 'iface' is the interface of one of our ports and changed in a way that
 * matters: it is new or deleted, or its type, name or options changed.
 * (A new ofport, or anything about a VIF, does not matter.) */
bool tunnel_sync_iface_needs_sync(const struct tunnel_sync *sync,
                                  const struct ovsrec_interface *iface);

/* 'br' (changed) needs a reconciliation: it is new or deleted; or it is
 * the integration bridge and lost our owner mark or one of our ports; or
 * it is another bridge that carries our owner mark (ports to sweep). */
bool tunnel_sync_bridge_needs_sync(const struct tunnel_sync *sync,
                                   const struct ovsrec_bridge *br);

/* Fills 'ports' (an initialized shash) with our ports on 'br' (which may be
 * NULL): the key of the desired port each one is (see
 * tunnel_mesh_key_from_ids()) -> const struct ovsrec_port *.  Legacy and
 * duplicate ports are left out. */
void tunnel_sync_collect_ports(const struct ovsrec_bridge *br,
                               struct shash *ports);

#endif /* controller/tunnel-sync.h */
