/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The connection to the southbound database, kept in line with the
 * configuration ("ovn-remote", "ovn-remote-probe-interval").
 *
 * "ovn-remote" may list several remotes, comma-separated: the members of a
 * raft cluster, or relays.  The IDL handles the list: it connects to one of
 * them (in shuffled order), and moves to another when the connection drops
 * or, for a cluster member, when the member loses its cluster.  We create
 * the IDL with leader-only off (ovsdb_idl_set_leader_only(false)): any
 * member or relay serves our monitor, and followers and relays forward our
 * transactions to the leader, so the read load spreads over the cluster and
 * a leader change does not force every chassis to reconnect.
 */

#ifndef OVNMC_SB_CONN_H
#define OVNMC_SB_CONN_H 1

struct chassis_config;
struct ovsdb_idl;

/* Default inactivity probe for the southbound connection, in ms. */
#define SB_CONN_DEFAULT_PROBE_INTERVAL 5000

/* What was last applied to the IDL. */
struct sb_conn {
    char *remote;               /* NULL if none set. */
    int probe_interval;         /* -1 before the first update. */
};

void sb_conn_init(struct sb_conn *);
void sb_conn_destroy(struct sb_conn *);

/* Points 'sb_idl' at the remote of 'cfg' and sets its probe interval, if
 * either changed since the last call. */
void sb_conn_update(struct sb_conn *, struct ovsdb_idl *sb_idl,
                    const struct chassis_config *cfg);

#endif /* controller/sb-conn.h */
