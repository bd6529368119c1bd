/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Multicast group membership learnt by IGMP and MLD snooping (igmp.c),
 * owned by the pinctrl thread.
 *
 * For each (switch, group address) the ports of this chassis that joined,
 * each with the time its membership expires (the switch's
 * IP_Multicast.idle_timeout after the last report).  Whenever a group's
 * member set changes (a join, a leave, an expiry) the module records the
 * whole set as one IGMP_Group write (writes.h): the row of our chassis for
 * that group, deleted when no member is left.  A switch holds at most its
 * IP_Multicast.table_size groups; a report for one more is refused and
 * counted.
 */

#ifndef OVNMC_PINCTRL_MCAST_H
#define OVNMC_PINCTRL_MCAST_H 1

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/hmap.h"

struct pinctrl_snapshot;
struct pinctrl_writes;

/* The groups of this chassis. */
struct pinctrl_mcast {
    struct hmap groups;         /* Private: struct mcast_group. */
    uint64_t n_joins;           /* Reports that joined or refreshed. */
    uint64_t n_leaves;          /* Leaves that removed a member. */
    uint64_t n_expired;         /* Memberships that timed out. */
    uint64_t n_full;            /* Joins refused: the table was full. */
};

void pinctrl_mcast_init(struct pinctrl_mcast *);

/* Frees what 'mc' owns.  NULL-safe. */
void pinctrl_mcast_destroy(struct pinctrl_mcast *mc);

/* Port 'port_key' of switch 'dp_key' joins (or stays in) group 'address'
 * (normalized text) at time 'now', for 'idle_ms'; the switch holds at most
 * 'max_groups' groups.  Records a write in 'w' if the member set changed.
 * Returns false if the table was full. */
bool pinctrl_mcast_join(struct pinctrl_mcast *mc, uint32_t dp_key,
                        const char *address, uint32_t port_key,
                        long long int now, long long int idle_ms,
                        uint32_t max_groups, struct pinctrl_writes *w);

/* Port 'port_key' of switch 'dp_key' leaves group 'address'. */
void pinctrl_mcast_leave(struct pinctrl_mcast *mc, uint32_t dp_key,
                         const char *address, uint32_t port_key,
                         struct pinctrl_writes *w);

/* Expires the memberships that timed out by 'now', and forgets the groups
 * of switches that are no longer local or snooping in 'snap' (may be
 * NULL: keeps them), recording the writes in 'w'.  Returns the time of the
 * next expiry (LLONG_MAX: none). */
long long int pinctrl_mcast_run(struct pinctrl_mcast *mc,
                                const struct pinctrl_snapshot *snap,
                                long long int now,
                                struct pinctrl_writes *w);

#endif /* controller/pinctrl/mcast.h */
