/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Periodic IPv6 router advertisements (ra.c), sent by the pinctrl thread
 * for the router ports of the snapshot (snapshot.h 'struct ps_ra').  The
 * solicited ones (put_nd_ra_opts) are a packet-in handler (pin.h).
 */

#ifndef OVNMC_PINCTRL_RA_H
#define OVNMC_PINCTRL_RA_H 1

#include <stdint.h>
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"

struct pinctrl_snapshot;

/* When each router port sends its next advertisement. */
struct pinctrl_ra {
    struct hmap senders;        /* Private: struct ra_sender, by name. */
    uint64_t n_sent;            /* Advertisements sent (each to every VIF
                                 * of its switch bound here). */
};

/* Initializes 'ra' empty. */
void pinctrl_ra_init(struct pinctrl_ra *ra);

/* Frees what 'ra' owns.  NULL-safe. */
void pinctrl_ra_destroy(struct pinctrl_ra *ra);

/* Sends, at time 'now' (time_msec()), the advertisements of 'snap' (may be
 * NULL) that are due: appends them to 'outs' as 'struct pin_out' (pin.h)
 * with their metadata set, for the caller to encode and free.  Forgets the
 * ports no longer in 'snap'.  Returns when it must run again (LLONG_MAX:
 * nothing to send). */
long long int pinctrl_ra_run(struct pinctrl_ra *ra,
                             const struct pinctrl_snapshot *snap,
                             long long int now, struct ovs_list *outs);

#endif /* controller/pinctrl/ra.h */
