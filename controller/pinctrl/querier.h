/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The IGMP/MLD querier (querier.c): on every local switch whose
 * IP_Multicast row has querier=true (the switch's other_config
 * mcast_querier, with mcast_snoop), the pinctrl thread sends a general
 * query every query_interval seconds: IGMPv3 from eth_src / ip4_src, and
 * MLDv2 from eth_src / ip6_src when that is set, each with the switch's
 * query_max_resp.  Each chassis sends them to the switch's ports here
 * (the flood group, local output), so each member hears one query per
 * interval whatever the number of chassis.
 */

#ifndef OVNMC_PINCTRL_QUERIER_H
#define OVNMC_PINCTRL_QUERIER_H 1

#include <stdint.h>
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"

struct pinctrl_snapshot;

/* When each switch sends its next query. */
struct pinctrl_querier {
    struct hmap switches;       /* Private: struct querier_sw, by key. */
    uint64_t n_sent;            /* Queries sent. */
};

/* Initializes 'q' empty. */
void pinctrl_querier_init(struct pinctrl_querier *q);

/* Frees what 'q' owns.  NULL-safe. */
void pinctrl_querier_destroy(struct pinctrl_querier *q);

/* Sends, at time 'now', the queries of 'snap' (may be NULL) that are due:
 * appends them to 'outs' as 'struct pin_out' (pin.h).  Forgets the
 * switches no longer queriers.  Returns when it must run again. */
long long int pinctrl_querier_run(struct pinctrl_querier *q,
                                  const struct pinctrl_snapshot *snap,
                                  long long int now, struct ovs_list *outs);

#endif /* controller/pinctrl/querier.h */
