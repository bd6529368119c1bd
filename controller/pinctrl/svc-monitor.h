/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Service health checks (svc-monitor.c), owned by the pinctrl thread: for
 * each Service_Monitor row whose logical port is bound here (snapshot.h
 * 'struct ps_svc'), a probe every 'interval', its answer (a packet-in of
 * handle_svc_check, pin.h) or its timeout, and the row's status.
 *
 * TCP: a SYN from the row's src_mac/src_ip; a SYN+ACK is a success (the
 * half-open connection is then reset), an RST or no answer within
 * 'timeout' a failure.  UDP: a datagram; an ICMP port unreachable is a
 * failure, no answer within 'timeout' a success (a UDP service need not
 * answer).  After 'success_count' successes in a row the status is
 * "online", after 'failure_count' failures "offline"; a change is written
 * to the SB (writes.h).
 */

#ifndef OVNMC_PINCTRL_SVC_MONITOR_H
#define OVNMC_PINCTRL_SVC_MONITOR_H 1

#include <stdint.h>
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"

struct pinctrl_snapshot;
struct pinctrl_writes;

/* The probes of this chassis. */
struct pinctrl_svc {
    struct hmap services;       /* Private: struct svc_state, by uuid. */
    uint64_t n_probes;          /* Probes sent. */
    uint64_t n_changes;         /* Status changes. */
};

void pinctrl_svc_init(struct pinctrl_svc *);

/* Frees what 'svc' owns.  NULL-safe. */
void pinctrl_svc_destroy(struct pinctrl_svc *svc);

/* At time 'now': counts the probes of 'snap' (may be NULL) that timed out,
 * appends the probes that are due to 'outs' (struct pin_out, pin.h, with
 * their metadata), records status changes in 'w', and forgets the services
 * no longer in 'snap'.  Returns when it must run again (LLONG_MAX:
 * never). */
long long int pinctrl_svc_run(struct pinctrl_svc *svc,
                              const struct pinctrl_snapshot *snap,
                              long long int now, struct ovs_list *outs,
                              struct pinctrl_writes *w);

#endif /* controller/pinctrl/svc-monitor.h */
