/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The load balancer hairpin flows of one SB Load_Balancer row: how a
 * backend that reaches itself through its load balancer's VIP is spotted,
 * and its reply made to come from the VIP.
 *
 * The logical flows (ovn-northd) call chk_lb_hairpin() on tracked IP
 * traffic of a switch with load balancers, chk_lb_hairpin_reply() on its
 * replies, and ct_snat_to_vip on a new hairpinned connection.  For each
 * VIP and backend of a load balancer that applies to a local datapath:
 *
 *   table 68  chk_lb_hairpin, priority 100: the connection was load
 *             balanced (ct_mark.natted, or ct_label.natted when SB_Global
 *             options:lb_hairpin_use_ct_mark=false), went to that VIP
 *             (and port) and is from the backend to itself (and its port)
 *             -> flags.lookup_lb_hairpin = 1, and learn into table 69 a
 *             flow that matches the replies (same datapath, from the
 *             backend, to the VIP or hairpin SNAT IP, and the port back)
 *             and sets that flag too.  The VIP is read from the original
 *             destination registers reg1 (IPv4) or xxreg1 (IPv6) and
 *             reg2[0..15] (port) when the row has
 *             options:hairpin_orig_tuple=true, else from the conntrack
 *             original-direction fields (ct_nw_dst, ct_tp_dst, ...).
 *   table 69  chk_lb_hairpin_reply: only the learnt flows.
 *   table 70  ct_snat_to_vip: a connection to the VIP (and port) is
 *             committed in the SNAT zone (reg12) with its source NATed to
 *             the VIP, priority 100 (90 without a port); or, with
 *             options:hairpin_snat_ip giving an address of that family,
 *             to that address, one flow per local datapath of the load
 *             balancer, priority 200 (190 without a port).
 *
 * The VIP keys are "IP", "IP:PORT", "[IPv6]" or "[IPv6]:PORT"; the values
 * comma-separated backends of the same form and family; a VIP with a port
 * takes the row's protocol (tcp if none).  Every flow is owned by the row,
 * with its cookie.
 *
 * A pure module: a VIP or backend that does not parse is skipped with a
 * message in the caller's warnings naming the row; the rest of the row
 * still gets its flows.
 */

#ifndef OVNMC_LB_HAIRPIN_H
#define OVNMC_LB_HAIRPIN_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct flow_table;
struct smap;
struct svec;
struct uuid;

/* A load balancer, as a SB Load_Balancer row gives it. */
struct lb_hairpin_lb {
    const struct uuid *uuid;    /* The row: owner of the flows. */
    const char *name;           /* Its name, for messages. */
    const struct smap *vips;    /* VIP -> comma-separated backends. */
    const char *protocol;       /* "tcp", "udp", "sctp", or NULL (tcp). */
    const struct smap *options; /* hairpin_orig_tuple, hairpin_snat_ip. */
};

/* Adds to 'flows' the hairpin flows of 'lb', owned by lb->uuid.
 * 'dp_keys' holds the tunnel keys of the 'n_dp_keys' local datapaths it
 * applies to (the caller adds nothing when there is none).  'use_ct_mark'
 * selects ct_mark or ct_label (see above).  Problems are appended to
 * 'warnings' (if nonnull). */
void lb_hairpin_add_flows(const struct lb_hairpin_lb *lb,
                          const uint32_t *dp_keys, size_t n_dp_keys,
                          bool use_ct_mark, struct flow_table *flows,
                          struct svec *warnings);

#endif /* controller/lb-hairpin.h */
