/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The DHCPv6 prefix delegation client (dhcp6-pd.c; RFC 8415, which
 * absorbed RFC 3633), owned by the pinctrl thread.
 *
 * ovn-northd marks a gateway router port whose Logical_Router_Port has
 * options:prefix_delegation=true with Port_Binding
 * options:ipv6_prefix_delegation=true, and the router ports that want a
 * delegated prefix (options:prefix=true) with options:ipv6_prefix=true; it
 * copies what the chassis writes into the latter's Port_Binding
 * options:ipv6_ra_pd_list ("IAID:PREFIX/LEN", everything after the first
 * colon) into their Logical_Router_Port ipv6_prefix.  It sends the
 * server's answers (UDP from port 547 to 546 at the gateway port's
 * link-local address) up with handle_dhcpv6_reply.
 *
 * The chassis that holds the gateway port (an l3gateway port claimed
 * here, or a distributed gateway port whose chassisredirect port is)
 * runs one client per (gateway port, port that wants a prefix) pair
 * (snapshot.h 'struct ps_pd'): its DUID is the DUID-LL of the port that
 * wants the prefix (so each gets its own delegation, as with Debian's
 * controller), its IAID that port's tunnel key; its frames leave through
 * the gateway port, from its MAC and link-local address, to
 * All_DHCP_Relay_Agents_and_Servers (ff02::1:2).  (ovn-northd 23.03 sets
 * options:ipv6_prefix only on l3gateway ports, so on a router with a
 * distributed gateway port no port is known to want a prefix and no
 * client runs.)
 *
 *   SOLICIT ---ADVERTISE--> REQUEST ---REPLY--> BOUND ---T1--> RENEW
 *      ^                      | (10 tries)       ^   REPLY      | T2
 *      +----------------------+                  +--------------+-> REBIND
 *      +------------------------ valid lifetime ends ----------------+
 *
 * A REPLY binds the first prefix of the IA_PD: the client writes
 * "IAID:PREFIX/LEN" into the port's options:ipv6_ra_pd_list (writes.h)
 * when it differs from what it wrote last.  When the prefix's valid
 * lifetime ends without a REPLY, the option is removed and the client
 * starts over.  Retransmissions double from 1 s up to 30 s (SOLICIT up to
 * 120 s).  An ADVERTISE or REPLY that is truncated or contradictory
 * (T1 > T2, preferred > valid lifetime, a prefix length over 128), or
 * whose IA_PD carries an error status, is rejected (pin_reject(): a
 * counted, rate-limited warning naming the port and the reason); nothing
 * is written.
 */

#ifndef OVNMC_PINCTRL_DHCP6_PD_H
#define OVNMC_PINCTRL_DHCP6_PD_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/compiler.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/types.h"
#include "packets.h"

struct pinctrl_snapshot;
struct pinctrl_writes;

/* The clients of this chassis. */
struct pinctrl_pd {
    struct hmap clients;        /* Private: struct pd_client. */
    uint64_t n_sent;            /* Messages sent. */
    uint64_t n_bound;           /* REPLYs that bound a prefix. */
};

/* What the client needs of a server's message. */
struct pinctrl_pd_msg {
    uint8_t type;               /* 2 (ADVERTISE), 7 (REPLY), ... */
    uint32_t xid;               /* Transaction id (24 bits). */
    const uint8_t *client_id;   /* Option values (pointing into the */
    size_t client_id_len;       /* message), or NULL. */
    const uint8_t *server_id;
    size_t server_id_len;
    int status;                 /* Message status code, -1: none. */
    bool has_ia;                /* An IA_PD is present (the first). */
    uint32_t iaid, t1, t2;
    int ia_status;              /* Its status code, -1: none. */
    bool has_prefix;            /* It holds an IAPREFIX (the first). */
    struct in6_addr prefix;
    uint8_t plen;
    uint32_t pref, valid;       /* Lifetimes, seconds. */
};

/* Parses the DHCPv6 message of 'len' bytes at 'data' into 'm' (which
 * points into 'data').  Returns NULL, or a malloc'd error if it is
 * truncated or contradictory. */
char *pinctrl_pd_parse(const uint8_t *data, size_t len,
                       struct pinctrl_pd_msg *m) OVS_WARN_UNUSED_RESULT;

/* Returns the name of status code 'code' (RFC 8415 21.13). */
const char *pinctrl_pd_status_name(int code);

void pinctrl_pd_init(struct pinctrl_pd *);

/* Frees what 'pd' owns.  NULL-safe. */
void pinctrl_pd_destroy(struct pinctrl_pd *pd);

/* At time 'now': starts a client for each pair of 'snap' (may be NULL)
 * that has none, forgets those no longer in it, appends the messages
 * that are due to 'outs' (struct pin_out, pin.h, with their metadata) and
 * records in 'w' the removal of prefixes whose lease ended.  Returns when
 * it must run again (LLONG_MAX: never). */
long long int pinctrl_pd_run(struct pinctrl_pd *pd,
                             const struct pinctrl_snapshot *snap,
                             long long int now, struct ovs_list *outs,
                             struct pinctrl_writes *w);

#endif /* controller/pinctrl/dhcp6-pd.h */
