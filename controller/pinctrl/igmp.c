/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* IGMP and MLD snooping: igmp; and mld; (a switch with mcast_snoop sends
 * every IGMP and MLD packet up, and does not forward it; northd 23.03 uses
 * igmp; for both, so the packet's type decides).
 *
 * Reports join their port to the group: IGMPv1/v2 membership reports,
 * MLDv1 reports, and each record of an IGMPv3 or MLDv2 report but those
 * that say "include no source" (RFC 3376 / RFC 3810: the host leaves).
 * IGMPv2 leave and MLDv1 done remove the port.  A query makes its port a
 * member of the group "mrouters" (a multicast router is there).
 * Every multicast group is learnt, link-local ones too, as Debian's
 * controller does (northd floods 224.0.0.0/24 anyway).  At most
 * MAX_RECORDS records of one report are learnt.  What the
 * group table does with them is in mcast.h.
 *
 * Bad input (truncated messages, a bad IGMP checksum, a group address that
 * is not multicast, a record count past the end) is refused as a whole:
 * nothing of the packet is learnt. */

#include <config.h>
#include "controller/pinctrl/pin.h"

#include "controller/pinctrl/mcast.h"
#include "controller/pinctrl/pkt.h"
#include "controller/pinctrl/snapshot.h"
#include "csum.h"
#include "coverage.h"
#include "ovn/of-tables.h"
#include "packets.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(pinctrl_igmp);
COVERAGE_DEFINE(pinctrl_igmp);
COVERAGE_DEFINE(pinctrl_mld);

/* Message types. */
#define IGMP_QUERY 0x11
#define IGMP_V1_REPORT 0x12
#define IGMP_V2_REPORT 0x16
#define IGMP_V2_LEAVE 0x17
#define IGMP_V3_REPORT 0x22
#define MLD_QUERY 130
#define MLD_V1_REPORT 131
#define MLD_V1_DONE 132
#define MLD_V2_REPORT 143

/* IGMPv3 / MLDv2 record types. */
#define REC_IS_INCLUDE 1
#define REC_TO_INCLUDE 3

/* At most this many group records are learnt from one report. */
#define MAX_RECORDS 64

/* One thing a report says. */
struct mcast_change {
    char address[INET6_ADDRSTRLEN];
    bool join;
};

/* The group whose members are the ports that multicast routers are on
 * (those that queries come from), as Debian's controller names it. */
#define MROUTERS "mrouters"

/* What a report says, parsed before anything is learnt. */
struct mcast_report {
    struct mcast_change changes[MAX_RECORDS];
    size_t n;
};

static void
add_mrouter(struct mcast_report *r)
{
    struct mcast_change *c = &r->changes[r->n++];
    ovs_strlcpy(c->address, MROUTERS, sizeof c->address);
    c->join = true;
}

static bool
add_v4(struct mcast_report *r, ovs_be32 group, bool join)
{
    if (!ip_is_multicast(group)) {
        return false;
    }
    if (r->n >= MAX_RECORDS) {
        return true;
    }
    struct mcast_change *c = &r->changes[r->n++];
    snprintf(c->address, sizeof c->address, IP_FMT, IP_ARGS(group));
    c->join = join;
    return true;
}

static bool
add_v6(struct mcast_report *r, const struct in6_addr *group, bool join)
{
    if (!ipv6_addr_is_multicast(group)) {
        return false;
    }
    if (r->n >= MAX_RECORDS) {
        return true;
    }
    struct mcast_change *c = &r->changes[r->n++];
    ipv6_string_mapped(c->address, group);
    c->join = join;
    return true;
}

/* Parses the group records of an IGMPv3 (v6 false) or MLDv2 report. */
static char *
parse_records(struct pkt_reader *rd, bool v6, struct mcast_report *r)
{
    uint16_t n = pkt_read_be16(rd);
    for (size_t i = 0; i < n && !rd->error; i++) {
        uint8_t type = pkt_read_u8(rd);
        uint8_t aux = pkt_read_u8(rd);
        uint16_t n_src = pkt_read_be16(rd);
        const void *group = pkt_read(rd, v6 ? 16 : 4);
        pkt_read(rd, (size_t) n_src * (v6 ? 16 : 4) + aux * 4);
        if (rd->error) {
            break;
        }
        bool join = !(n_src == 0 && (type == REC_IS_INCLUDE
                                     || type == REC_TO_INCLUDE));
        bool ok;
        if (v6) {
            struct in6_addr a;
            memcpy(&a, group, sizeof a);
            ok = add_v6(r, &a, join);
        } else {
            ovs_be32 a;
            memcpy(&a, group, sizeof a);
            ok = add_v4(r, a, join);
        }
        if (!ok) {
            return xasprintf("record %"PRIuSIZE": not a multicast group",
                             i + 1);
        }
    }
    return rd->error ? xstrdup("truncated group records") : NULL;
}

static char *
parse_igmp(const uint8_t *l4, size_t len, struct mcast_report *r)
{
    struct pkt_reader rd;

    if (len < 8) {
        return xstrdup("truncated IGMP message");
    }
    if (csum(l4, len)) {
        return xstrdup("bad IGMP checksum");
    }
    pkt_reader_init(&rd, l4, len);
    uint8_t type = pkt_read_u8(&rd);
    pkt_read(&rd, 3);
    ovs_be32 group;
    memcpy(&group, l4 + 4, 4);
    switch (type) {
    case IGMP_V1_REPORT:
    case IGMP_V2_REPORT:
    case IGMP_V2_LEAVE:
        return (add_v4(r, group, type != IGMP_V2_LEAVE) ? NULL
                : xstrdup("not a multicast group"));
    case IGMP_V3_REPORT:
        pkt_read(&rd, 2);       /* Reserved. */
        return parse_records(&rd, false, r);
    case IGMP_QUERY:
        add_mrouter(r);
        return NULL;
    default:
        return NULL;
    }
}

static char *
parse_mld(const uint8_t *l4, size_t len, struct mcast_report *r)
{
    struct pkt_reader rd;

    if (len < 8) {
        return xstrdup("truncated MLD message");
    }
    pkt_reader_init(&rd, l4, len);
    uint8_t type = pkt_read_u8(&rd);
    pkt_read(&rd, 3);           /* Code, checksum. */
    switch (type) {
    case MLD_V1_REPORT:
    case MLD_V1_DONE: {
        pkt_read(&rd, 4);       /* Max delay, reserved. */
        const void *g = pkt_read(&rd, 16);
        if (!g) {
            return xstrdup("truncated MLD message");
        }
        struct in6_addr a;
        memcpy(&a, g, sizeof a);
        return (add_v6(r, &a, type == MLD_V1_REPORT) ? NULL
                : xstrdup("not a multicast group"));
    }
    case MLD_V2_REPORT:
        pkt_read(&rd, 2);       /* Reserved. */
        return parse_records(&rd, true, r);
    case MLD_QUERY:
        add_mrouter(r);
        return NULL;
    default:
        return NULL;
    }
}

void
pinctrl_handle_igmp(struct pin *pin)
{
    const struct flow *f = &pin->flow;
    /* Northd uses igmp; for MLD too: the packet says which it is. */
    bool mld = f->dl_type == htons(ETH_TYPE_IPV6);
    const uint8_t *l4 = dp_packet_l4(pin->packet);
    struct mcast_report r = { .n = 0 };
    char *error;

    if (mld ? f->nw_proto != IPPROTO_ICMPV6
            : (f->dl_type != htons(ETH_TYPE_IP)
               || f->nw_proto != IPPROTO_IGMP)) {
        pin_reject(pin, "not an IGMP or MLD packet");
        return;
    }
    if (!l4) {
        pin_reject(pin, "no %s header", mld ? "MLD" : "IGMP");
        return;
    }
    size_t len = (const uint8_t *) dp_packet_tail(pin->packet) - l4;
    error = mld ? parse_mld(l4, len, &r) : parse_igmp(l4, len, &r);
    if (error) {
        pin_reject(pin, "%s", error);
        free(error);
        return;
    }
    if (mld) {
        COVERAGE_INC(pinctrl_mld);
    } else {
        COVERAGE_INC(pinctrl_igmp);
    }

    uint32_t dp_key = ntohll(f->metadata);
    uint32_t port_key = f->regs[MFF_LOG_INPORT - MFF_REG0];
    const struct ps_datapath *dp = pinctrl_snapshot_find_dp(pin->snap,
                                                            dp_key);
    if (!dp || !dp->mcast_snoop
        || !pinctrl_snapshot_find_port(dp, port_key)) {
        return;                 /* Not (or no longer) snooping here. */
    }
    for (size_t i = 0; pin->mcast && i < r.n; i++) {
        const struct mcast_change *c = &r.changes[i];
        if (c->join) {
            if (!pinctrl_mcast_join(pin->mcast, dp_key, c->address,
                                    port_key, pin->now,
                                    dp->mcast_idle_s * 1000LL,
                                    dp->mcast_table_size, pin->writes)) {
                static struct vlog_rate_limit rl
                    = VLOG_RATE_LIMIT_INIT(1, 60);
                VLOG_WARN_RL(&rl, "%s: the group table of datapath "
                             "%"PRIu32" is full (%"PRIu32" groups): %s "
                             "not learnt", mld ? "mld" : "igmp", dp_key,
                             dp->mcast_table_size, c->address);
            }
        } else {
            pinctrl_mcast_leave(pin->mcast, dp_key, c->address, port_key,
                                pin->writes);
        }
    }
}
