/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Gratuitous ARPs (and RARPs) announced on provider networks (garp.c),
 * sent by the pinctrl thread for the announcements of the snapshot
 * (snapshot.h 'struct ps_garp'): the VIFs bound here on a switch with a
 * localnet port, and the NAT and router addresses (Port_Binding
 * nat_addresses) of the gateway ports resident here.
 *
 * Each announcement is sent at once when it appears (a port claimed here,
 * its addresses changed), then after 1, 2, 4, 8 and 16 seconds, and then
 * no more; with SB_Global options:garp_max_timeout_sec=N (N > 0) the
 * backoff stops growing at N seconds and the announcements go on every N
 * seconds for as long as they are in the snapshot.
 */

#ifndef OVNMC_PINCTRL_GARP_H
#define OVNMC_PINCTRL_GARP_H 1

#include <stdint.h>
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"

struct pinctrl_snapshot;

/* The first interval and the largest one without a configured maximum. */
#define PINCTRL_GARP_FIRST_MS 1000
#define PINCTRL_GARP_DEF_MAX_MS 16000

/* When each announcement is sent next. */
struct pinctrl_garp {
    struct hmap senders;        /* Private: struct garp_sender, by key. */
    uint64_t n_sent;            /* Frames sent (each to one localnet
                                 * port). */
};

/* Initializes 'garp' empty. */
void pinctrl_garp_init(struct pinctrl_garp *garp);

/* Frees what 'garp' owns.  NULL-safe. */
void pinctrl_garp_destroy(struct pinctrl_garp *garp);

/* Sends, at time 'now' (time_msec()), the announcements of 'snap' (may be
 * NULL) that are due: appends them to 'outs' as 'struct pin_out' (pin.h)
 * with their metadata set, for the caller to encode and free.  Forgets the
 * announcements no longer in 'snap'.  Returns when it must run again
 * (LLONG_MAX: nothing more to send). */
long long int pinctrl_garp_run(struct pinctrl_garp *garp,
                               const struct pinctrl_snapshot *snap,
                               long long int now, struct ovs_list *outs);

/* Returns the interval that follows 'backoff_ms' when the configured
 * maximum is 'max_ms' (0: none), or 0 if no announcement follows. */
int pinctrl_garp_next_backoff(int backoff_ms, int max_ms);

#endif /* controller/pinctrl/garp.h */
