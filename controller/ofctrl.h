/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The OpenFlow connection to the integration bridge, and what is installed
 * on it.
 *
 * ofctrl keeps one OpenFlow 1.5 connection (OVS's rconn) to the bridge's
 * management socket, "unix:RUNDIR/BRIDGE.mgmt", and reconnects when
 * ovs-vswitchd restarts or the bridge is recreated.  It does not depend on
 * the engine: the daemon hands it, once per main-loop iteration, the flow
 * tables of every producer (controller/flow-table.h) and the generation of
 * that engine run; ofctrl installs the difference between what they want
 * and what the switch has, and reports which generation is installed.
 *
 * On every (re)connection, in order:
 *
 *   1. Geneve option mapping.  It asks the switch for its TLV table
 *      (NXT_TLV_TABLE_REQUEST).  If option class 0x0102 type 0x80 of length
 *      4 is mapped, that field (tun_metadataN) is used; otherwise it maps
 *      it at the lowest free index with NXT_TLV_TABLE_MOD (a race with
 *      another client that maps it first is resolved by asking again).  If
 *      the option is mapped with another length, or no index is free, it
 *      logs an ERR naming the mapping in the way and installs nothing until
 *      that changes (it asks again on every reconnection and every
 *      OFCTRL_TLV_RETRY_MS).  ofctrl_get_geneve_field() says which field
 *      the flows must use.
 *
 *   2. Learning the installed state: a dump of every flow of every table,
 *      of the groups and of the meters (meter config).  Groups are learned
 *      from their statistics (ids only): OVS cannot describe a group
 *      larger than 64 kB in a group desc reply (it sends a corrupt message
 *      that breaks the connection), so after a reconnection every desired
 *      group is sent again (OFPGC15_ADD_OR_MOD); after a repair, groups
 *      still present are taken to be unchanged.
 *
 *   3. The first synchronization.  After the daemon starts, the flows the
 *      switch already has (from the previous run) stay until the caller
 *      says its computation is complete (ofctrl_put()'s 'complete') and
 *      ofctrl_set_wait_before_clear()'s delay has passed since the first
 *      connection; then one bundle replaces them with the desired ones, so
 *      traffic never sees an empty table.  After a reconnection of a
 *      running daemon, the sync happens at once.
 *
 * Installing.  Every change goes inside one atomic OpenFlow bundle per
 * ofctrl_put(): group additions first (a group too large for one message
 * is created with its first buckets and completed with
 * OFPGC15_INSERT_BUCKET), then flow deletions, modifications and
 * additions, then group deletions; each message of the bundle stays under
 * the 64 kB OpenFlow limit.  Meters cannot be bundled: additions and
 * modifications go before the bundle, deletions after it.  Flow mods are
 * encoded in binary (ofputil_encode_flow_mod()); group and meter
 * descriptions are parsed from their ovs-ofctl syntax.  A barrier follows
 * the commit; its reply makes that ofctrl_put()'s generation the installed
 * one.  Only differences are sent: after the first synchronization,
 * ofctrl reads the tables' dirty lists and compares each dirty key's
 * effective flow (merged over all tables: conjunction-only flows are
 * united, otherwise the first table in the array wins) with the
 * installed one.
 *
 * A bundle the switch rejects is not retried blindly: the error names the
 * failed message; its flow (or group or meter) is logged at WARN with its
 * cookie and the switch's error, set aside (not installed until its
 * desired content changes), and the rest is sent again in a new bundle.
 * (OVS checks some messages when they are added to the bundle rather than
 * at commit, e.g. a malformed group mod: those fail alone and the rest of
 * the bundle commits.)  After any rejection ofctrl learns the installed
 * state again, so its view never stays wrong, and the put's generation is
 * reported installed only once the rest is in.
 *
 * Repair.  ofctrl watches the bridge with a flow monitor that reports the
 * changes other OpenFlow clients make (someone running ovs-ofctl add-flow
 * or del-flows, for example).  A reported flow change updates the
 * installed view and the next ofctrl_put() sends what differs for those
 * keys (no dump needed).  Changes the reports cannot describe exactly
 * (flows removed because someone deleted a group or meter, reports lost
 * while the monitor was paused, a group or meter changed by another
 * controller) make it dump the installed state again and send what
 * differs, as in step 2.  A reconnection does the same (ovs-vswitchd
 * restarted with an empty table).
 */

#ifndef OVNMC_OFCTRL_H
#define OVNMC_OFCTRL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/meta-flow.h"

struct ds;
struct flow_table;
struct latency_histogram;
struct ofpact;
struct simap;

/* How often ofctrl asks again for the Geneve mapping while it is blocked
 * by someone else's. */
#define OFCTRL_TLV_RETRY_MS 5000

/* Creates an ofctrl that is not connected to any bridge yet, and registers
 * its unixctl commands ("group-table-list", "meter-table-list",
 * "ofctrl/show", "ofctrl/dump-installed [TABLE]").  Only one ofctrl per
 * process may register commands: 'register_commands' false skips it (for
 * tests). */
struct ofctrl *ofctrl_create(bool register_commands);

/* Disconnects and frees 'ofctrl'.  Leaves the flows in the switch.
 * NULL-safe. */
void ofctrl_destroy(struct ofctrl *ofctrl);

/* Points 'ofctrl' at bridge 'bridge' (NULL: none), through
 * "unix:<ovs_rundir()>/<bridge>.mgmt".  A change reconnects; the same
 * name does nothing, so call it every iteration. */
void ofctrl_set_bridge(struct ofctrl *ofctrl, const char *bridge);

/* Sets the delay of the first synchronization after the daemon starts
 * (external_ids:ovn-ofctrl-wait-before-clear, in ms; 0: none). */
void ofctrl_set_wait_before_clear(struct ofctrl *ofctrl, int ms);

/* Sets the OpenFlow inactivity probe interval in seconds
 * (external_ids:ovn-openflow-probe-interval; 0: no probes). */
void ofctrl_set_probe_interval(struct ofctrl *ofctrl, int secs);

/* Processes the connection: (re)connects, receives replies, errors and
 * monitor events, sends what is due (TLV requests, dumps, repairs). */
void ofctrl_run(struct ofctrl *ofctrl);

/* Arranges for poll_block() to wake when ofctrl_run() has work. */
void ofctrl_wait(const struct ofctrl *ofctrl);

/* True if the connection is up and the Geneve field is known: flows can be
 * installed. */
bool ofctrl_is_ready(const struct ofctrl *ofctrl);

/* Returns the field that carries the Geneve option (MFF_TUN_METADATA0 +
 * index), or MFF_N_IDS while it is not known. */
enum mf_field_id ofctrl_get_geneve_field(const struct ofctrl *ofctrl);

/* Installs what the 'n_tables' flow tables in 'tables' want, computed in
 * the engine run of generation 'gen' ('gen' never decreases).  'complete'
 * says that the computation reflects a complete view of the databases (see
 * the first synchronization above).  Reads and clears the tables' dirty
 * lists (flow_table_clear_dirty()) whether or not it could send anything:
 * what it could not send is found again by a full comparison later. */
void ofctrl_put(struct ofctrl *ofctrl, struct flow_table *const *tables,
                size_t n_tables, uint64_t gen, bool complete);

/* Returns the latest generation whose flows the switch has confirmed
 * (barrier reply), or 0. */
uint64_t ofctrl_get_installed_gen(const struct ofctrl *ofctrl);

/* Figures, for "ofctrl/show" and memory/show. */
struct ofctrl_stats {
    uint64_t n_flows;           /* Flows installed now. */
    uint64_t n_groups;          /* Groups installed now. */
    uint64_t n_meters;          /* Meters installed now. */
    uint64_t n_bundles;         /* Bundles committed. */
    uint64_t n_flow_mods;       /* Flow mods sent in them. */
    uint64_t n_repairs;         /* Repairs after a foreign change. */
    uint64_t n_rejected;        /* Flows, groups, meters set aside. */
    uint64_t n_connections;     /* Connections made. */
    long long int last_install_ms; /* Time from the last put that sent
                                    * something to its barrier reply. */
    bool connected;             /* The OpenFlow connection is up. */
};
void ofctrl_get_stats(const struct ofctrl *ofctrl, struct ofctrl_stats *);

/* Returns the distribution of the time from a put that sent something to
 * the barrier reply that confirmed it (only puts whose changes were all
 * accepted; 'last_install_ms' above is the latest of them). */
const struct latency_histogram *ofctrl_get_install_latency(
    const struct ofctrl *ofctrl);

/* Flow counts per OpenFlow table, for metrics: 'installed[T]' flows of
 * table T in ofctrl's view of the switch (updated when a flow mod is sent,
 * so it includes those in flight), 'pending[T]' flow mods for table T sent
 * and not yet confirmed by a barrier reply.  Both arrays have 256
 * elements, which this function sets (not adds to). */
void ofctrl_count_flows(const struct ofctrl *ofctrl, uint64_t installed[256],
                        uint64_t pending[256]);

/* Sends 'packet' ('size' bytes of Ethernet frame) to the switch in a
 * packet-out from the controller port with the 'ofpacts_len' bytes of
 * actions 'ofpacts' ("inject-pkt").  Returns NULL, or an error message
 * (malloc'd) if it cannot be sent now. */
char *ofctrl_inject_packet(struct ofctrl *ofctrl, const void *packet,
                           size_t size, const struct ofpact *ofpacts,
                           size_t ofpacts_len) OVS_WARN_UNUSED_RESULT;

/* Adds the figures above to 'usage' (for memory/show). */
void ofctrl_get_memory_usage(const struct ofctrl *ofctrl,
                             struct simap *usage);

#endif /* controller/ofctrl.h */
