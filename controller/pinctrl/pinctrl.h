/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * pinctrl: the packets the logical pipeline sends to the controller.
 *
 * Design.  Packet-ins are read and answered by a thread of their own,
 * with its own OpenFlow 1.5 connection (rconn) to the integration
 * bridge's management socket, so that no engine run, however long,
 * delays an ARP, DHCP or DNS answer.  (ofctrl has the main thread's
 * connection; the switch sends packet-ins only to ours, see below.)
 *
 *   main thread                              pinctrl thread
 *   -----------                              --------------
 *   engine run
 *   pinctrl_run():
 *     build a snapshot if the local
 *     datapaths or the SB changed  --mutex-->  takes a reference per batch
 *     (snapshot.h), swap it in,                of packet-ins
 *     wake the thread (seq)
 *                                             rconn_recv() -> NXT_PACKET_IN2
 *                                             decode userdata, dispatch on
 *                                             the opcode (pin.h), send
 *                                             packet-outs / NXT_RESUME
 *     apply the queued SB writes  <--mutex--  merge the batch's SB writes
 *     (writes.h) in our SB                    into the queue, wake the main
 *     transaction                             thread (seq)
 *
 * The connection: on every (re)connection the thread asks for packet-ins
 * in the NXT_PACKET_IN2 format (which carries continuations, for paused
 * controller actions), sets a nonzero miss_send_len (a connection to the
 * management socket gets no asynchronous message otherwise) and an async
 * configuration that asks only for packet-ins caused by actions: no
 * port status, no flow removed, no table misses.  It answers echo
 * requests.
 *
 * Shared state (struct pinctrl) is the snapshot pointer, the bridge name,
 * the write queue and the statistics, under one mutex held only to swap
 * or merge; the thread's own state (struct pinctrl_thread, in pinctrl.c)
 * is its connection, its current snapshot reference and its batch.
 *
 * Documentation/architecture.rst, section 10 says why and lists what is
 * answered.
 *
 * Commands: "pinctrl/show" prints the connection, the snapshot, the
 * per-opcode counters (received, rejected, sent) and the SB writes.
 */

#ifndef OVNMC_PINCTRL_H
#define OVNMC_PINCTRL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hmap;
struct metrics_packet_in;
struct smap;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct sbrec_chassis;

/* What the main thread hands pinctrl_run() after each engine run. */
struct pinctrl_run_ctx {
    const char *bridge;             /* Integration bridge name, or NULL. */
    const char *chassis_name;       /* Our chassis, or NULL. */
    const struct sbrec_chassis *chassis; /* Its SB row, or NULL. */
    const struct hmap *local_dps;   /* struct local_datapath (runtime
                                     * data), or NULL if not known yet. */
    struct ovsdb_idl *sb_idl;       /* The SB IDL. */
    struct ovsdb_idl_txn *sb_txn;   /* SB transaction, or NULL. */
    const struct smap *ovs_ids;     /* Open_vSwitch external_ids, or NULL
                                     * (the settings below). */
    const char *system_id;          /* For the per-chassis keys, or
                                     * NULL. */
};

/* The key of the MAC_Binding refresh interval (mb-refresh.h), in seconds
 * (0: off), in Open_vSwitch external_ids. */
#define PINCTRL_MB_REFRESH_KEY "ovn-mac-binding-refresh-interval"

/* Creates pinctrl over 'sb_idl' (creating the IDL indexes it needs, so
 * call it before the IDL first runs), starts its thread and registers
 * "pinctrl/show".  The thread connects once pinctrl_run() names a
 * bridge. */
struct pinctrl *pinctrl_create(struct ovsdb_idl *sb_idl);

/* Stops the thread and frees 'p'.  NULL-safe. */
void pinctrl_destroy(struct pinctrl *p);

/* Publishes a new snapshot if what it holds may have changed, points the
 * thread at the bridge, and writes the queued SB rows into 'ctx->sb_txn'
 * if there is one. */
void pinctrl_run(struct pinctrl *p, const struct pinctrl_run_ctx *ctx);

/* Fills 'pins' (room for CTLOP_N_OPCODES entries, see
 * include/ovn/controller-ops.h) with the counters of each opcode that had
 * a packet-in, for the metrics; returns how many it filled. */
size_t pinctrl_get_packet_in_stats(struct pinctrl *p,
                                   struct metrics_packet_in *pins);

/* Wakes the main loop when the thread has queued SB writes. */
void pinctrl_wait(struct pinctrl *p);

#endif /* controller/pinctrl/pinctrl.h */
