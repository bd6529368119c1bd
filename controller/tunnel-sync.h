/*
 * Reconciling the tunnel ports on the integration bridge with the desired
 * tunnel mesh (controller/tunnel-mesh.h).
 *
 * Mark and sweep: a Port that carries external_ids:ovn-chassis-id is ours
 * (the mark).  Each of ours on the integration bridge is matched with the
 * desired port of the same key; a legacy "<chassis>@<remote-ip>" port, as
 * older controllers leave, is adopted by a desired port to the same chassis
 * and IP and its id rewritten in place; what is left of ours is swept.
 * Ports without the mark, and ports on other bridges, are never touched,
 * except ours on the bridge we used before ovn-bridge changed, which leave
 * with us.
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
#include "openvswitch/shash.h"

struct ds;
struct ovsdb_idl_txn;
struct ovsrec_bridge;
struct ovsrec_bridge_table;
struct ovsrec_port;
struct tunnel_mesh;

/* State kept from one reconciliation to the next. */
struct tunnel_sync {
    char *bridge;               /* Bridge our ports are on; NULL before the
                                 * first reconciliation. */
};

/* What one reconciliation did (or, without a transaction, would do). */
struct tunnel_sync_stats {
    size_t kept;                /* Ports already as desired. */
    size_t created;             /* Ports created. */
    size_t updated;             /* Ports updated in place. */
    size_t adopted;             /* Legacy ports adopted. */
    size_t deleted;             /* Stale ports deleted. */
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

/* Reconciles the ports of bridge 'bridge_name' (found in 'bridges') with
 * 'mesh', writing the changes into 'txn', which must be open.  Stores what
 * it did in '*stats' if nonnull. */
enum tunnel_sync_result tunnel_sync_run(
    struct tunnel_sync *sync, const struct tunnel_mesh *mesh,
    const char *bridge_name, const struct ovsrec_bridge_table *bridges,
    struct ovsdb_idl_txn *txn, struct tunnel_sync_stats *stats);

/* Returns the bridge named 'name' in 'bridges', or NULL. */
const struct ovsrec_bridge *tunnel_sync_find_bridge(
    const struct ovsrec_bridge_table *bridges, const char *name);

/* Fills 'ports' (an initialized shash) with our ports on 'br' (which may be
 * NULL): the key of the desired port each one is (see
 * tunnel_mesh_key_from_ids()) -> const struct ovsrec_port *.  Legacy and
 * duplicate ports are left out. */
void tunnel_sync_collect_ports(const struct ovsrec_bridge *br,
                               struct shash *ports);

#endif /* controller/tunnel-sync.h */
