/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* The IGMP/MLD querier: see querier.h.
 *
 * An IGMPv3 general query (RFC 3376 4.1) goes to 224.0.0.1 with TTL 1 and
 * the IP router alert option; its max response code and QQIC carry the
 * switch's max response (in tenths of a second) and query interval (both
 * below 128, so no floating-point form).  An MLDv2 general query (RFC 3810
 * 5.1) goes to ff02::1 with hop limit 1 behind a hop-by-hop header with
 * the router alert option; its maximum response code is in milliseconds.
 * The state (when each switch queries next) lives in 'struct
 * pinctrl_querier', owned by the pinctrl thread. */

#include <config.h>
#include "controller/pinctrl/querier.h"

#include "controller/pinctrl/pin.h"
#include "controller/pinctrl/pkt.h"
#include "controller/pinctrl/snapshot.h"
#include "coverage.h"
#include "csum.h"
#include "hash.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/vlog.h"
#include "ovn/of-tables.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(pinctrl_querier);
COVERAGE_DEFINE(pinctrl_igmp_query_sent);
COVERAGE_DEFINE(pinctrl_mld_query_sent);

/* The tunnel key ovn-northd gives every switch's flood group
 * (Multicast_Group "_MC_flood"). */
#define QUERIER_MC_FLOOD_KEY 32768

/* One querier switch's schedule. */
struct querier_sw {
    struct hmap_node node;      /* In 'struct pinctrl_querier' 'switches'. */
    uint32_t dp_key;
    long long int next;         /* When it queries next. */
    bool seen;                  /* Still a querier in the snapshot. */
};

void
pinctrl_querier_init(struct pinctrl_querier *q)
{
    hmap_init(&q->switches);
    q->n_sent = 0;
}

void
pinctrl_querier_destroy(struct pinctrl_querier *q)
{
    if (q) {
        struct querier_sw *sw;
        HMAP_FOR_EACH_POP (sw, node, &q->switches) {
            free(sw);
        }
        hmap_destroy(&q->switches);
    }
}

static struct querier_sw *
querier_sw_find(const struct pinctrl_querier *q, uint32_t dp_key)
{
    struct querier_sw *sw;
    HMAP_FOR_EACH_WITH_HASH (sw, node, hash_int(dp_key, 0), &q->switches) {
        if (sw->dp_key == dp_key) {
            return sw;
        }
    }
    return NULL;
}

/* Returns the IGMPv3 general query of 'dp'. */
static struct dp_packet *
igmp_query(const struct ps_datapath *dp)
{
    struct eth_addr dst;
    eth_addr_from_uint64(0x01005e000001ULL, &dst);
    struct dp_packet *p = pkt_start(NULL, dst, dp->mcast_eth_src,
                                    ETH_TYPE_IP);
    struct ip_header *ip = dp_packet_put_zeros(p, sizeof *ip + 4);
    ip->ip_ihl_ver = IP_IHL_VER(6, 4);
    ip->ip_ttl = 1;
    ip->ip_proto = IPPROTO_IGMP;
    put_16aligned_be32(&ip->ip_src, dp->mcast_ip4_src);
    put_16aligned_be32(&ip->ip_dst, htonl(0xe0000001));
    uint8_t *ra = (uint8_t *) (ip + 1);
    ra[0] = 0x94;               /* Router alert (RFC 2113), copied. */
    ra[1] = 4;

    struct igmpv3_query_header *q = dp_packet_put_zeros(p, sizeof *q);
    q->type = IGMP_HOST_MEMBERSHIP_QUERY;
    q->max_resp = MIN(dp->mcast_query_max_resp_s * 10, 127);
    q->qqic = MIN(dp->mcast_query_interval_s, 127);
    q->csum = csum(q, sizeof *q);

    ip->ip_tot_len = htons(sizeof *ip + 4 + sizeof *q);
    ip->ip_csum = csum(ip, sizeof *ip + 4);
    return p;
}

/* Returns the MLDv2 general query of 'dp'. */
static struct dp_packet *
mld_query(const struct ps_datapath *dp)
{
    struct eth_addr dst;
    eth_addr_from_uint64(0x333300000001ULL, &dst);
    struct dp_packet *p = pkt_start(NULL, dst, dp->mcast_eth_src,
                                    ETH_TYPE_IPV6);
    struct ovs_16aligned_ip6_hdr *ip6 = dp_packet_put_zeros(p, sizeof *ip6);
    ip6->ip6_vfc = 0x60;
    ip6->ip6_nxt = IPPROTO_HOPOPTS;
    ip6->ip6_hlim = 1;
    memcpy(&ip6->ip6_src, &dp->mcast_ip6_src, sizeof ip6->ip6_src);
    memcpy(&ip6->ip6_dst, &in6addr_all_hosts, sizeof ip6->ip6_dst);

    /* Hop-by-hop: next header ICMPv6, router alert (value 0: MLD), PadN
     * of 0 bytes. */
    static const uint8_t hbh[8] = { IPPROTO_ICMPV6, 0, 5, 2, 0, 0, 1, 0 };
    dp_packet_put(p, hbh, sizeof hbh);

    /* Type, code, checksum, max response (ms), reserved, multicast
     * address (::), S/QRV, QQIC, number of sources. */
    uint8_t *mld = dp_packet_put_zeros(p, 28);
    mld[0] = 130;
    ovs_be16 max_resp = htons(MIN(dp->mcast_query_max_resp_s * 1000,
                                  32767));
    memcpy(mld + 4, &max_resp, sizeof max_resp);
    mld[25] = MIN(dp->mcast_query_interval_s, 127);
    ip6->ip6_plen = htons(sizeof hbh + 28);

    uint32_t partial = csum_add32(0, 0);
    partial = csum_continue(partial, &ip6->ip6_src, 32);
    partial = csum_add32(partial, htonl(28));
    partial = csum_add32(partial, htonl(IPPROTO_ICMPV6));
    partial = csum_continue(partial, mld, 28);
    ovs_be16 sum = csum_finish(partial);
    memcpy(mld + 2, &sum, sizeof sum);
    return p;
}

/* Queues on 'outs' 'frame' (taken) to the flood group of 'dp' here. */
static void
querier_output(const struct ps_datapath *dp, struct dp_packet *frame,
               struct ovs_list *outs)
{
    struct match md;
    match_init_catchall(&md);
    match_set_metadata(&md, htonll(dp->key));
    match_set_reg(&md, MFF_LOG_OUTPORT - MFF_REG0, QUERIER_MC_FLOOD_KEY);

    struct ofpbuf ofpacts;
    ofpbuf_init(&ofpacts, 64);
    ofpact_put_RESUBMIT(&ofpacts)->table_id = OFTABLE_LOCAL_OUTPUT;
    struct pin_out *out = pin_out_create(frame, ofpacts.data, ofpacts.size,
                                         &md);
    ovs_list_push_back(outs, &out->node);
    ofpbuf_uninit(&ofpacts);
}

/* Sends the queries of 'dp' if they are due; returns when it sends
 * next. */
static long long int
querier_sw_run(struct pinctrl_querier *q, const struct ps_datapath *dp,
               long long int now, struct ovs_list *outs)
{
    struct querier_sw *sw = querier_sw_find(q, dp->key);
    if (!sw) {
        sw = xzalloc(sizeof *sw);
        sw->dp_key = dp->key;
        sw->next = now;
        hmap_insert(&q->switches, &sw->node, hash_int(dp->key, 0));
    }
    sw->seen = true;
    if (now >= sw->next) {
        querier_output(dp, igmp_query(dp), outs);
        COVERAGE_INC(pinctrl_igmp_query_sent);
        q->n_sent++;
        if (ipv6_addr_is_set(&dp->mcast_ip6_src)) {
            querier_output(dp, mld_query(dp), outs);
            COVERAGE_INC(pinctrl_mld_query_sent);
            q->n_sent++;
        }
        sw->next = now + 1000LL * MAX(dp->mcast_query_interval_s, 1);
    }
    return sw->next;
}

long long int
pinctrl_querier_run(struct pinctrl_querier *q,
                    const struct pinctrl_snapshot *snap, long long int now,
                    struct ovs_list *outs)
{
    static const struct hmap empty_dps = HMAP_INITIALIZER(&empty_dps);
    long long int next = LLONG_MAX;
    struct querier_sw *sw;

    HMAP_FOR_EACH (sw, node, &q->switches) {
        sw->seen = false;
    }
    const struct ps_datapath *dp;
    HMAP_FOR_EACH (dp, node, snap ? &snap->dps : &empty_dps) {
        if (dp->mcast_snoop && dp->mcast_querier) {
            next = MIN(next, querier_sw_run(q, dp, now, outs));
        }
    }
    HMAP_FOR_EACH_SAFE (sw, node, &q->switches) {
        if (!sw->seen) {
            hmap_remove(&q->switches, &sw->node);
            free(sw);
        }
    }
    return next;
}
