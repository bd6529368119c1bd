/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * What ofctrl believes is installed on the bridge, and the messages that
 * bring it to what the flow tables want.  Private to ofctrl: ofctrl.c owns
 * the connection and calls this module to learn the switch's state from
 * dump replies, to compute the differences of one ofctrl_put() as OpenFlow
 * messages, and to set aside what the switch rejects.  No I/O here.
 *
 * The installed view is optimistic: it is updated as messages are
 * generated, before the switch confirms them.  When the switch rejects
 * something, ofctrl learns the real state again with a new dump, so the
 * view never stays wrong.
 */

#ifndef OVNMC_OFCTRL_SYNC_H
#define OVNMC_OFCTRL_SYNC_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/ofp-errors.h"

struct ds;
struct flow_table;
struct match;
struct ofpact;
struct ofputil_flow_stats;
struct ofputil_meter_config;

/* Largest OpenFlow message embedded in a bundle add: the 64 kB limit of
 * every OpenFlow message, less the bundle add header. */
#define OFCTRL_MAX_INNER_MSG (UINT16_MAX - 64)

/* The messages of one ofctrl_put(), each a struct ofpbuf whose xid is
 * recorded by the sync module. */
struct ofctrl_batch {
    struct ovs_list pre;        /* Meter additions and modifications. */
    struct ovs_list bundle;     /* Bundle contents, in order. */
    struct ovs_list post;       /* Meter deletions. */
    size_t n_flow_mods;         /* Flow mods in 'bundle'. */
};

/* Installed state, rejected items, messages in flight. */
struct ofctrl_sync {
    struct hmap flows;          /* struct ofctrl_iflow, by ft_key_hash(). */
    struct hmap groups;         /* struct ofctrl_iid. */
    struct hmap meters;         /* struct ofctrl_iid. */
    struct hmap rejected;       /* struct ofctrl_rejected. */
    struct hmap pending;        /* struct ofctrl_pending, by xid. */
    uint64_t batch_seq;         /* Sequence number of the last batch. */

    struct hmap suspects;       /* struct ofctrl_suspect: keys another
                                 * client changed, to check again. */

    /* A dump in progress: the state being learned. */
    struct hmap new_flows, new_groups, new_meters;

    uint64_t n_rejected;        /* Items set aside, ever. */
    uint64_t n_group_conflicts; /* Ids declared differently by tables. */
};

void ofctrl_sync_init(struct ofctrl_sync *);
void ofctrl_sync_destroy(struct ofctrl_sync *);

/* Forgets the installed state (the connection went down). */
void ofctrl_sync_forget(struct ofctrl_sync *);

/* Learning the installed state from a dump: begin, then one call per
 * flow, group and meter of the replies, then end, which replaces the
 * installed view with what was learned. */
void ofctrl_sync_learn_begin(struct ofctrl_sync *);
void ofctrl_sync_learn_flow(struct ofctrl_sync *,
                            const struct ofputil_flow_stats *);
void ofctrl_sync_learn_group(struct ofctrl_sync *, uint32_t group_id);
void ofctrl_sync_learn_meter(struct ofctrl_sync *,
                             const struct ofputil_meter_config *);
void ofctrl_sync_learn_end(struct ofctrl_sync *);

/* Records that another client made the switch hold, for the key
 * 'table_id', 'priority', 'match', the flow with 'cookie' and 'ofpacts'
 * (or, if 'removed', no flow), as the flow monitor reported: updates the
 * installed view and makes the next ofctrl_sync_compute() check the key
 * again. */
void ofctrl_sync_note_foreign(struct ofctrl_sync *, uint8_t table_id,
                              uint16_t priority, const struct match *match,
                              bool removed, uint64_t cookie,
                              const struct ofpact *ofpacts, size_t len);

/* True if keys changed by another client wait to be checked. */
bool ofctrl_sync_has_suspects(const struct ofctrl_sync *);

/* Initializes 'batch' empty. */
void ofctrl_batch_init(struct ofctrl_batch *);

/* Frees the messages still in 'batch'. */
void ofctrl_batch_destroy(struct ofctrl_batch *);

/* True if 'batch' has no message. */
bool ofctrl_batch_is_empty(const struct ofctrl_batch *);

/* Appends to 'batch' the messages that make the switch hold what the
 * 'n' tables want: for every key, group and meter if 'full', else only for
 * those on the tables' dirty lists and the keys another client changed.
 * Updates the installed view. */
void ofctrl_sync_compute(struct ofctrl_sync *, struct flow_table *const *,
                         size_t n, bool full, struct ofctrl_batch *);

/* Marks the messages generated so far as part of batch 'seq' (returned),
 * so that ofctrl_sync_batch_done() can forget them. */
uint64_t ofctrl_sync_seal_batch(struct ofctrl_sync *);

/* Forgets the messages of every batch up to 'seq' (its barrier was
 * answered). */
void ofctrl_sync_batch_done(struct ofctrl_sync *, uint64_t seq);

/* Handles the switch's error 'error' for the message with 'xid': if it is
 * one of ours, logs a warning naming it, sets it aside, and returns true.
 * 'text' is the switch's description of the error. */
bool ofctrl_sync_reject(struct ofctrl_sync *, uint32_t xid,
                        enum ofperr error);

/* Appends the installed flows (only table 'table_id' if nonnegative) to
 * 'out' in flow_table_format()'s line format. */
void ofctrl_sync_format_flows(const struct ofctrl_sync *, int table_id,
                              struct ds *out);

/* Adds to 'installed[T]' the number of flows of OpenFlow table T in the
 * installed view, and to 'pending[T]' the number of flow mods for table T
 * sent and not yet confirmed by a barrier reply.  Both arrays have 256
 * elements. */
void ofctrl_sync_count_flows(const struct ofctrl_sync *,
                             uint64_t installed[256], uint64_t pending[256]);

/* Appends "DESC: ID" lines for the installed groups or meters. */
void ofctrl_sync_format_groups(const struct ofctrl_sync *, struct ds *);
void ofctrl_sync_format_meters(const struct ofctrl_sync *, struct ds *);

#endif /* controller/ofctrl-sync.h */
