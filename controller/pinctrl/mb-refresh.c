/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Refreshing the timestamps of the MAC_Binding rows in use: see
 * mb-refresh.h. */

#include <config.h>
#include "controller/pinctrl/mb-refresh.h"

#include "controller/pinctrl/writes.h"
#include "coverage.h"
#include "hash.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "ovn/of-tables.h"
#include "packets.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(pinctrl_mb_refresh);
COVERAGE_DEFINE(pinctrl_mb_refresh_poll);
COVERAGE_DEFINE(pinctrl_mb_refresh);
COVERAGE_DEFINE(pinctrl_mb_refresh_bad_reply);

/* A table-66 flow: one binding. */
struct mbr_flow {
    struct hmap_node node;      /* In 'struct pinctrl_mb_refresh' 'flows'. */
    uint32_t dp_key;            /* metadata. */
    uint32_t port_key;          /* reg15. */
    char ip[INET6_ADDRSTRLEN];  /* reg0 or xxreg0, as text. */
    uint64_t n_packets;         /* At the last poll. */
    uint64_t gen;               /* Poll that last saw it. */
};

void
pinctrl_mb_refresh_init(struct pinctrl_mb_refresh *r, int interval_ms)
{
    memset(r, 0, sizeof *r);
    hmap_init(&r->flows);
    r->interval_ms = interval_ms;
}

void
pinctrl_mb_refresh_destroy(struct pinctrl_mb_refresh *r)
{
    if (r) {
        struct mbr_flow *f;
        HMAP_FOR_EACH_POP (f, node, &r->flows) {
            free(f);
        }
        hmap_destroy(&r->flows);
    }
}

void
pinctrl_mb_refresh_set_interval(struct pinctrl_mb_refresh *r,
                                int interval_ms, long long int now)
{
    if (interval_ms != r->interval_ms) {
        r->interval_ms = interval_ms;
        r->next_poll = MIN(r->next_poll, now + interval_ms);
    }
}

struct ofpbuf *
pinctrl_mb_refresh_run(struct pinctrl_mb_refresh *r, long long int now,
                       enum ofputil_protocol proto, long long int *next)
{
    if (r->interval_ms <= 0) {
        return NULL;
    }
    if (now < r->next_poll) {
        *next = MIN(*next, r->next_poll);
        return NULL;
    }
    r->next_poll = now + r->interval_ms;
    *next = MIN(*next, r->next_poll);

    /* The flows the last poll did not see are gone. */
    struct mbr_flow *f;
    HMAP_FOR_EACH_SAFE (f, node, &r->flows) {
        if (f->gen != r->gen) {
            hmap_remove(&r->flows, &f->node);
            free(f);
        }
    }
    r->gen++;

    struct ofputil_flow_stats_request fsr = {
        .aggregate = false,
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
        .table_id = OFTABLE_MAC_BINDING,
    };
    match_init_catchall(&fsr.match);
    struct ofpbuf *msg = ofputil_encode_flow_stats_request(&fsr, proto);
    r->xid = ((struct ofp_header *) msg->data)->xid;
    COVERAGE_INC(pinctrl_mb_refresh_poll);
    return msg;
}

/* Reads the binding of flow 'fs' into 'dp_key', 'port_key' and 'ip'.
 * Returns false if it is not one binding's flow. */
static bool
mbr_flow_key(const struct ofputil_flow_stats *fs, uint32_t *dp_key,
             uint32_t *port_key, char ip[INET6_ADDRSTRLEN])
{
    const struct match *m = &fs->match;
    int in = MFF_LOG_OUTPORT - MFF_REG0;

    if (m->wc.masks.metadata != OVS_BE64_MAX
        || m->wc.masks.regs[in] != UINT32_MAX
        || m->wc.masks.regs[0] != UINT32_MAX) {
        return false;
    }
    *dp_key = ntohll(m->flow.metadata);
    *port_key = m->flow.regs[in];
    if (m->wc.masks.regs[1]) {
        /* xxreg0: reg0 holds the most significant 32 bits. */
        ovs_be32 words[4];
        for (int i = 0; i < 4; i++) {
            words[i] = htonl(m->flow.regs[i]);
        }
        struct in6_addr a;
        memcpy(&a, words, sizeof a);
        ipv6_string_mapped(ip, &a);
    } else {
        ovs_be32 a = htonl(m->flow.regs[0]);
        snprintf(ip, INET6_ADDRSTRLEN, IP_FMT, IP_ARGS(a));
    }
    return true;
}

static struct mbr_flow *
mbr_flow_find(const struct pinctrl_mb_refresh *r, uint32_t dp_key,
              uint32_t port_key, const char *ip, uint32_t hash)
{
    struct mbr_flow *f;
    HMAP_FOR_EACH_WITH_HASH (f, node, hash, &r->flows) {
        if (f->dp_key == dp_key && f->port_key == port_key
            && !strcmp(f->ip, ip)) {
            return f;
        }
    }
    return NULL;
}

/* Records the count of flow 'fs'; queues a refresh if it grew. */
static void
mbr_handle_flow(struct pinctrl_mb_refresh *r,
                const struct ofputil_flow_stats *fs, long long int wall_now,
                struct pinctrl_writes *writes)
{
    uint32_t dp_key, port_key;
    char ip[INET6_ADDRSTRLEN];

    if (fs->packet_count == UINT64_MAX
        || !mbr_flow_key(fs, &dp_key, &port_key, ip)) {
        return;
    }
    uint32_t hash = hash_string(ip, hash_2words(dp_key, port_key));
    struct mbr_flow *f = mbr_flow_find(r, dp_key, port_key, ip, hash);
    if (!f) {
        /* A new flow: compared with zero, since it was installed. */
        f = xzalloc(sizeof *f);
        f->dp_key = dp_key;
        f->port_key = port_key;
        ovs_strlcpy(f->ip, ip, sizeof f->ip);
        hmap_insert(&r->flows, &f->node, hash);
    }
    if (fs->packet_count != f->n_packets) {
        f->n_packets = fs->packet_count;
        pinctrl_writes_add_mb_refresh(writes, dp_key, port_key, ip,
                                      wall_now);
        r->n_refreshed++;
        COVERAGE_INC(pinctrl_mb_refresh);
    }
    f->gen = r->gen;
}

void
pinctrl_mb_refresh_reply(struct pinctrl_mb_refresh *r,
                         const struct ofp_header *oh, long long int wall_now,
                         struct pinctrl_writes *writes)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

    if (!r->xid || oh->xid != r->xid) {
        return;
    }
    struct ofpbuf b = ofpbuf_const_initializer(oh, ntohs(oh->length));
    struct ofpbuf ofpacts;
    ofpbuf_init(&ofpacts, 0);
    for (;;) {
        struct ofputil_flow_stats fs;
        int retval = ofputil_decode_flow_stats_reply(&fs, &b, false,
                                                     &ofpacts);
        if (retval) {
            if (retval != EOF) {
                COVERAGE_INC(pinctrl_mb_refresh_bad_reply);
                VLOG_WARN_RL(&rl, "table %d flow statistics: bad reply (%s)",
                             OFTABLE_MAC_BINDING,
                             ofperr_to_string(retval));
            }
            break;
        }
        mbr_handle_flow(r, &fs, wall_now, writes);
    }
    ofpbuf_uninit(&ofpacts);
    if (!ofpmp_more(oh)) {
        r->xid = 0;
        r->n_polls++;
    }
}
