/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Reconciling the patch ports between the integration bridge and the
 * provider bridges with the localnet and l2gateway ports this chassis
 * connects (Documentation/architecture.rst, section 9.1).
 *
 * Each connected logical port is a pair of OVS patch ports, named as
 * Debian's ovn-controller names them:
 *
 *   on the integration bridge  patch-<br-int>-to-<lport>
 *                              options:peer=patch-<lport>-to-<br-int>
 *   on the provider bridge     patch-<lport>-to-<br-int>
 *                              options:peer=patch-<br-int>-to-<lport>
 *
 * both Ports marked external_ids:ovn-localnet-port=<lport> (or
 * ovn-l2gateway-port=<lport> for an l2gateway port).  The mark is the
 * ownership: a Port that carries one of the two keys and has one
 * Interface of type "patch" is ours, wherever it is, and is deleted when
 * it is not desired.  A Port without the mark is never touched, even if
 * it has the name of one we want: that pair is then skipped, and the
 * caller warns.
 *
 * Validate (classify the ports), prepare (a plan of creates, in-place
 * updates and deletes, without writing), apply (the plan into the
 * caller's transaction), as tunnel-sync.h does.  A failed commit is
 * planned again from what the database then holds.
 */

#ifndef OVNMC_PATCH_SYNC_H
#define OVNMC_PATCH_SYNC_H 1

#include <stdbool.h>
#include <stddef.h>
#include "controller/owned-ports.h"
#include "sset.h"

struct ovsdb_idl;
struct ovsdb_idl_txn;
struct ovsrec_bridge;
struct ovsrec_interface;
struct ovsrec_port;
struct svec;

/* Marks of our patch ports (the values of Debian's controller). */
#define PATCH_SYNC_LOCALNET_KEY "ovn-localnet-port"
#define PATCH_SYNC_L2GATEWAY_KEY "ovn-l2gateway-port"

/* One logical port to connect. */
struct patch_sync_want {
    const char *lport;          /* Logical port name. */
    const char *bridge;         /* Provider bridge (must exist). */
    bool l2gateway;             /* Marked ovn-l2gateway-port (else
                                 * ovn-localnet-port). */
};

/* What one reconciliation did, or would do without a transaction. */
struct patch_sync_stats {
    size_t kept, created, updated, deleted;
};

/* State kept between reconciliations, to classify changes of the OVS
 * database without one. */
struct patch_sync {
    struct owned_ports owned;   /* Our ports as the last run found them. */
};

void patch_sync_init(struct patch_sync *);
void patch_sync_destroy(struct patch_sync *);

/* Reconciles the patch ports in 'ovs_idl' with the 'n' ports in 'wants'
 * ('br_int' is the integration bridge, which must exist; each want's
 * bridge must exist too).  With 'may_delete' false, stale ports of ours
 * are kept.  Writes into 'txn' (NULL: only plans).  Adds a
 * line per change to 'plan_desc' ("create PORT", "update PORT", "delete
 * BRIDGE PORT") and a message per pair it cannot make (a foreign port
 * holds the name) to 'warnings', both if nonnull.  Stores what it did in
 * '*stats' if nonnull.  Returns true if there was something to change. */
bool patch_sync_run(struct patch_sync *, const struct ovsdb_idl *ovs_idl,
                    const struct ovsrec_bridge *br_int,
                    const struct patch_sync_want *wants, size_t n,
                    bool may_delete, struct ovsdb_idl_txn *txn,
                    struct patch_sync_stats *stats, struct sset *plan_desc,
                    struct svec *warnings);

/* True if 'port' (changed) is or was ours and changed in a way that
 * matters (new, deleted, its name, interfaces or marks). */
bool patch_sync_port_needs_sync(const struct patch_sync *,
                                const struct ovsrec_port *port);

/* True if 'iface' (changed) is the interface of one of our ports and its
 * type, name or options changed, or it was deleted. */
bool patch_sync_iface_needs_sync(const struct patch_sync *,
                                 const struct ovsrec_interface *iface);

/* True if 'port' carries one of our marks and has one interface of type
 * "patch"; stores the logical port in '*lport' and whether it is an
 * l2gateway port in '*l2gateway' (each if nonnull). */
bool patch_sync_is_ours(const struct ovsrec_port *port, const char **lport,
                        bool *l2gateway);

/* Stores in 'name' (malloc'd) the name of the patch port on the
 * integration bridge 'br_int' for 'lport', or, if 'provider_side', the
 * one on the provider bridge. */
char *patch_sync_port_name(const char *br_int, const char *lport,
                           bool provider_side);

#endif /* controller/patch-sync.h */
