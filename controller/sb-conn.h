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
 *
 * The SSL settings of "ssl:" remotes come from the command line and the
 * local Open vSwitch database; sb_conn_update() keeps them applied (see
 * ssl-config.h) before it sets the remote.
 *
 * While the IDL cannot connect, a warning names the remote and the error
 * (for an SSL remote, also the SSL files in effect and where they came
 * from), e.g.:
 *
 *   southbound database ssl:10.0.0.1:6642: cannot connect (Protocol error:
 *   the SSL handshake failed, see the stream_ssl message before this one;
 *   SSL settings: private key ..., certificate ..., CA certificate ...)
 *
 * logged when the error first shows or changes, then every
 * SB_CONN_REPORT_INTERVAL_MS while it lasts.  The IDL's own reconnect
 * messages (INFO) come on top.
 */

#ifndef OVNMC_SB_CONN_H
#define OVNMC_SB_CONN_H 1

#include <stdbool.h>
#include "controller/ssl-config.h"

struct chassis_config;
struct ovsdb_idl;

/* Default inactivity probe for the southbound connection, in ms. */
#define SB_CONN_DEFAULT_PROBE_INTERVAL 5000

/* How often a connection error that lasts is logged again, in ms. */
#define SB_CONN_REPORT_INTERVAL_MS 60000

/* What was last applied to the IDL. */
struct sb_conn {
    char *remote;               /* NULL if none set. */
    int probe_interval;         /* -1 before the first update. */
    struct ssl_config ssl;      /* The SSL settings. */
    bool connected;             /* Connected at the last update. */
    int reported_error;         /* Connection error last logged; 0 if
                                 * none since the last connection. */
    long long int next_report;  /* When to log a lasting error again. */
};

/* Initializes 'c', with the SSL options of the command line (copied). */
void sb_conn_init(struct sb_conn *c,
                  const struct ssl_config_options *ssl_options);

/* Frees what 'c' owns.  NULL-safe. */
void sb_conn_destroy(struct sb_conn *c);

/* Applies the SSL settings of the command line and of 'ovs_idl' (the local
 * Open vSwitch database), points 'sb_idl' at the remote of 'cfg' and sets
 * its probe interval, if either changed since the last call, and logs a
 * connection error that 'sb_idl' reports. */
void sb_conn_update(struct sb_conn *c, struct ovsdb_idl *sb_idl,
                    const struct chassis_config *cfg,
                    struct ovsdb_idl *ovs_idl);

/* Arranges for poll_block() to wake up when sb_conn_update() has work to
 * do without a database change (an SSL file to look at again). */
void sb_conn_wait(const struct sb_conn *c);

/* True if 'remote' (one remote or a comma-separated list) has an "ssl:"
 * entry. */
bool sb_conn_remote_uses_ssl(const char *remote);

#endif /* controller/sb-conn.h */
