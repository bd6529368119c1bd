/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "chassis": our Chassis, Encap and Chassis_Private rows in the
 * southbound database.
 *
 * What the spec says: a chassis registers itself in the SB Chassis table
 * with its encapsulations (one Encap row per IP and type) and a
 * Chassis_Private row (man 5 ovn-sb); Documentation/architecture.rst,
 * section 5.2 adds several encap IPs with options is_default and plane.
 *
 * What we do: when the configuration is complete, compute the desired rows
 * (chassis_sync_compute()) and, with an SB transaction, write the columns
 * that differ (chassis_sync_apply()).  An incomplete configuration (no
 * system-id, no usable encap type or IP) registers nothing and leaves rows
 * registered earlier alone.  Problems (an (IP, type) pair another chassis
 * owns) are logged rate-limited.  The node's data is the desired state,
 * which the consistency check compares.  A hostname the SB refuses to
 * update (RBAC) is given up after two refusals, so that it does not fail
 * every transaction of the chassis (see 'hostname_refused' below).
 *
 * What triggers work: the configuration and the integration bridge
 * recompute; the Open_vSwitch row only when iface_types changed; a change
 * in Chassis, Chassis_Private or Encap only when it touches our rows or our
 * (IP, type) pairs in a way that differs from the desired state (our own
 * writes coming back are handled as unchanged).
 */

#ifndef OVNMC_EN_CHASSIS_H
#define OVNMC_EN_CHASSIS_H 1

struct idl_columns;

#include <stdbool.h>
#include "controller/chassis-sync.h"
#include "lib/engine.h"

struct ovsdb_idl;
struct ovsdb_idl_txn;

/* What the node remembers across recomputes: the name under which our
 * rows were last seen in the SB, so that a new system-id renames them in
 * place (and their Encap pairs are not taken for another chassis's).  The
 * node's data and the shadow copies of a consistency check share it, so
 * both compute the same desired state; only real runs update it. */
struct en_chassis_history {
    char *registered_name;      /* NULL if none seen yet. */
    unsigned int refs;          /* Node data instances using it. */
};

/* Inputs of the node, given to engine_add_node() (copied by init(), except
 * 'history', which init() refers to). */
struct en_chassis_inputs {
    struct engine_node *ovs_config;         /* Node "ovs_config". */
    struct engine_node *integration_bridge; /* Node "integration_bridge". */
    struct engine_node *ovs_open_vswitch;   /* OVS Open_vSwitch table. */
    struct engine_node *sb_chassis;         /* SB Chassis table. */
    struct engine_node *sb_chassis_private; /* SB Chassis_Private table. */
    struct engine_node *sb_encap;           /* SB Encap table. */
    struct en_chassis_history history;      /* Initially zero. */
};

/* The data of the node. */
struct en_chassis_data {
    struct en_chassis_inputs in;
    struct en_chassis_history *history;  /* &in.history of the arg. */
    bool registered;            /* True if 'desired' is in effect: the
                                 * configuration is complete and at least
                                 * one (IP, type) pair is ours to use. */
    struct chassis_sync_desired desired;
    char *iface_types;          /* Open_vSwitch iface_types, joined. */
    char *system_id;            /* Configured system-id (NULL if unset), so
                                 * that "exit" finds rows to remove even when
                                 * the configuration is incomplete. */

    /* Hostname updates the SB refuses.  Under RBAC, the "ovn-controller"
     * role may not modify Chassis "hostname" (ovn-northd's
     * RBAC_Permission), and a refused write fails the whole transaction,
     * claims and acknowledgments included.  So once two transactions in a
     * row that changed the hostname of our existing row have completed
     * without the row showing it (one could be lost to a reconnection, or
     * overwritten by another client), that hostname is not written again
     * until the configured one changes (a new row still gets it).  Real
     * runs only. */
    char *hostname_sent;        /* Written by the last write, not yet
                                 * confirmed; NULL if none. */
    char *hostname_missed;      /* Written once, not shown; NULL if
                                 * none. */
    char *hostname_refused;     /* Refused: not written again; NULL if
                                 * none. */
};

extern const struct engine_node_class en_chassis_class;

/* Change handlers. */
enum engine_input_result en_chassis_ovs_open_vswitch_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_chassis_sb_chassis_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_chassis_sb_chassis_private_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_chassis_sb_encap_handler(
    struct engine_node *, void *data, const struct engine_context *);

/* Returns the name of the chassis 'data' registers, or NULL if none. */
const char *en_chassis_get_name(const void *data);

/* For "exit" without --restart: deletes, in 'txn', the rows of the chassis
 * that 'chassis_node' (a node of en_chassis_class) registered (or, if it
 * registered none, of the configured system-id).  Returns false once none
 * is left in 'sb_idl'. */
bool en_chassis_unregister(const struct engine_node *chassis_node,
                           struct ovsdb_idl *sb_idl,
                           struct ovsdb_idl_txn *txn);

/* Declares to 'cols' the local OVS database columns this node uses (see
 * controller/idl-columns.h). */
void en_chassis_declare_columns(struct idl_columns *cols);

#endif /* controller/en-chassis.h */
