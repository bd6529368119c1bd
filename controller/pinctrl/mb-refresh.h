/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Keeping the MAC_Binding rows in use fresh (mb-refresh.c), for the
 * pinctrl thread.  ovn-northd deletes a MAC_Binding row whose timestamp
 * is older than its router's options:mac_binding_age_threshold; a binding
 * still in use must not go.  "In use" is read from the switch: every
 * 'interval' the thread asks br-int, over its own connection, for the
 * flow statistics of table 66 (OFTABLE_MAC_BINDING, the get_arp/get_nd
 * lookup, one flow per binding: datapath, output port, IP); a flow whose
 * packet count grew since the previous poll (a new one: that has a
 * packet since it was installed) is a binding in use, and its
 * row's timestamp is set to now (a queued write, writes.h).  A binding
 * idle for a whole interval is not refreshed, so it ages out.
 */

#ifndef OVNMC_PINCTRL_MB_REFRESH_H
#define OVNMC_PINCTRL_MB_REFRESH_H 1

#include <stdint.h>
#include "openvswitch/hmap.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/types.h"

struct ofp_header;
struct ofpbuf;
struct pinctrl_writes;

/* The default and the bounds of the poll interval, in seconds. */
#define PINCTRL_MB_REFRESH_DEF_S 60
#define PINCTRL_MB_REFRESH_MAX_S 86400

/* The packet counts of the table-66 flows at the last poll. */
struct pinctrl_mb_refresh {
    struct hmap flows;          /* Private: struct mbr_flow. */
    int interval_ms;            /* Poll interval (0: off). */
    long long int next_poll;    /* When the next request goes. */
    ovs_be32 xid;               /* Of the request in flight, or 0. */
    uint64_t gen;               /* Increases with every poll. */
    uint64_t n_polls;           /* Replies handled. */
    uint64_t n_refreshed;       /* Refreshes queued. */
};

/* Initializes 'r' with no flow and interval 'interval_ms'. */
void pinctrl_mb_refresh_init(struct pinctrl_mb_refresh *r, int interval_ms);

/* Frees what 'r' owns.  NULL-safe. */
void pinctrl_mb_refresh_destroy(struct pinctrl_mb_refresh *r);

/* Sets the poll interval; the next poll comes at most 'interval_ms' from
 * 'now'. */
void pinctrl_mb_refresh_set_interval(struct pinctrl_mb_refresh *r,
                                     int interval_ms, long long int now);

/* Returns the flow stats request to send at 'now' for protocol 'proto',
 * or NULL if none is due; '*next' is lowered to when it must run
 * again. */
struct ofpbuf *pinctrl_mb_refresh_run(struct pinctrl_mb_refresh *r,
                                      long long int now,
                                      enum ofputil_protocol proto,
                                      long long int *next);

/* Handles a flow stats reply 'oh': for each binding whose flow's packet
 * count grew, queues a refresh with time 'wall_now' into 'writes'.
 * Ignores replies to other requests. */
void pinctrl_mb_refresh_reply(struct pinctrl_mb_refresh *r,
                              const struct ofp_header *oh,
                              long long int wall_now,
                              struct pinctrl_writes *writes);

#endif /* controller/pinctrl/mb-refresh.h */
