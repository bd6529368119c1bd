/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Gratuitous ARPs and RARPs on provider networks: see garp.h.
 *
 * A gratuitous ARP is an ARP request from the announced MAC for the
 * announced address (sender and target address the same, target MAC
 * zero), broadcast; an announcement without an IPv4 address is a RARP
 * (RFC 903 "request reverse", sender and target MAC the announced one,
 * addresses zero), as Debian's controller sends for a VIF without one.
 * Each frame enters the switch's logical egress pipeline toward one of its
 * localnet ports (table 40, as if the switch had sent it from the port
 * that owns the addresses), so a VLAN tag and the provider bridge are
 * those of the port's normal traffic.  The state (when each announcement
 * goes next, and its backoff) lives in 'struct pinctrl_garp', owned by
 * the pinctrl thread. */

#include <config.h>
#include "controller/pinctrl/garp.h"

#include "controller/pinctrl/pin.h"
#include "controller/pinctrl/pkt.h"
#include "controller/pinctrl/snapshot.h"
#include "coverage.h"
#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/vlog.h"
#include "ovn/of-tables.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(pinctrl_garp);
COVERAGE_DEFINE(pinctrl_garp_sent);
COVERAGE_DEFINE(pinctrl_rarp_sent);

/* One announcement's schedule. */
struct garp_sender {
    struct hmap_node node;      /* In 'struct pinctrl_garp' 'senders'. */
    char *key;                  /* What it announces where (garp_key()). */
    long long int next;         /* When it sends next (LLONG_MAX: done). */
    int backoff_ms;             /* The wait after that send (0: none). */
    bool seen;                  /* In the current snapshot. */
};

void
pinctrl_garp_init(struct pinctrl_garp *garp)
{
    hmap_init(&garp->senders);
    garp->n_sent = 0;
}

static void
garp_sender_free(struct garp_sender *s)
{
    free(s->key);
    free(s);
}

void
pinctrl_garp_destroy(struct pinctrl_garp *garp)
{
    if (garp) {
        struct garp_sender *s;
        HMAP_FOR_EACH_POP (s, node, &garp->senders) {
            garp_sender_free(s);
        }
        hmap_destroy(&garp->senders);
    }
}

int
pinctrl_garp_next_backoff(int backoff_ms, int max_ms)
{
    if (max_ms > 0) {
        return MIN(backoff_ms * 2, max_ms);
    }
    return backoff_ms * 2 <= PINCTRL_GARP_DEF_MAX_MS ? backoff_ms * 2 : 0;
}

/* Returns the key of 'g': everything that makes it a new announcement
 * when it changes.  The caller frees it. */
static char *
garp_key(const struct ps_garp *g)
{
    struct ds key = DS_EMPTY_INITIALIZER;

    ds_put_format(&key, "%"PRIu32" %"PRIu32" "ETH_ADDR_FMT, g->dp_key,
                  g->in_key, ETH_ADDR_ARGS(g->mac));
    for (size_t i = 0; i < g->n_ips; i++) {
        ds_put_format(&key, " "IP_FMT, IP_ARGS(g->ips[i]));
    }
    ds_put_cstr(&key, " via");
    for (size_t i = 0; i < g->n_lns; i++) {
        ds_put_format(&key, " %"PRIu32, g->lns[i]);
    }
    return ds_steal_cstr(&key);
}

static struct garp_sender *
garp_sender_find(const struct pinctrl_garp *garp, const char *key,
                 uint32_t hash)
{
    struct garp_sender *s;
    HMAP_FOR_EACH_WITH_HASH (s, node, hash, &garp->senders) {
        if (!strcmp(s->key, key)) {
            return s;
        }
    }
    return NULL;
}

/* Returns a broadcast ARP frame announcing 'ip' at 'mac' (a RARP if 'ip'
 * is NULL). */
static struct dp_packet *
garp_frame(struct eth_addr mac, const ovs_be32 *ip)
{
    struct dp_packet *p = pkt_start(NULL, eth_addr_broadcast, mac,
                                    ip ? ETH_TYPE_ARP : ETH_TYPE_RARP);
    struct arp_eth_header *arp = dp_packet_put_zeros(p, sizeof *arp);
    arp->ar_hrd = htons(1);
    arp->ar_pro = htons(ETH_TYPE_IP);
    arp->ar_hln = ETH_ADDR_LEN;
    arp->ar_pln = sizeof(ovs_be32);
    arp->ar_op = htons(ip ? ARP_OP_REQUEST : ARP_OP_RARP);
    arp->ar_sha = mac;
    arp->ar_tha = ip ? eth_addr_zero : mac;
    put_16aligned_be32(&arp->ar_spa, ip ? *ip : 0);
    put_16aligned_be32(&arp->ar_tpa, ip ? *ip : 0);
    return p;
}

/* Queues on 'outs' 'frame' (not taken) toward each localnet port of
 * 'g'. */
static void
garp_output(const struct ps_garp *g, const struct dp_packet *frame,
            struct ovs_list *outs)
{
    for (size_t i = 0; i < g->n_lns; i++) {
        struct match md;
        match_init_catchall(&md);
        match_set_metadata(&md, htonll(g->dp_key));
        match_set_reg(&md, MFF_LOG_INPORT - MFF_REG0, g->in_key);
        match_set_reg(&md, MFF_LOG_OUTPORT - MFF_REG0, g->lns[i]);

        struct ofpbuf ofpacts;
        ofpbuf_init(&ofpacts, 64);
        ofpact_put_RESUBMIT(&ofpacts)->table_id = OFTABLE_LOCAL_OUTPUT;
        struct pin_out *out = pin_out_create(dp_packet_clone(frame),
                                             ofpacts.data, ofpacts.size,
                                             &md);
        ovs_list_push_back(outs, &out->node);
        ofpbuf_uninit(&ofpacts);
    }
}

/* Queues on 'outs' the frames of 'g'; returns how many. */
static uint64_t
garp_send(const struct ps_garp *g, struct ovs_list *outs)
{
    size_t n_frames = g->n_ips ? g->n_ips : 1;

    for (size_t i = 0; i < n_frames; i++) {
        struct dp_packet *frame = garp_frame(g->mac,
                                             g->n_ips ? &g->ips[i] : NULL);
        garp_output(g, frame, outs);
        dp_packet_delete(frame);
        if (g->n_ips) {
            COVERAGE_INC(pinctrl_garp_sent);
        } else {
            COVERAGE_INC(pinctrl_rarp_sent);
        }
    }
    VLOG_DBG("%s: announced "ETH_ADDR_FMT" (%"PRIuSIZE" addresses) on %"
             PRIuSIZE" localnet ports", g->owner, ETH_ADDR_ARGS(g->mac),
             g->n_ips, g->n_lns);
    return n_frames * g->n_lns;
}

long long int
pinctrl_garp_run(struct pinctrl_garp *garp,
                 const struct pinctrl_snapshot *snap, long long int now,
                 struct ovs_list *outs)
{
    long long int next = LLONG_MAX;
    struct garp_sender *s;

    HMAP_FOR_EACH (s, node, &garp->senders) {
        s->seen = false;
    }
    int max_ms = snap ? snap->garp_max_timeout_ms : 0;
    for (size_t i = 0; snap && i < snap->n_garps; i++) {
        const struct ps_garp *g = &snap->garps[i];
        char *key = garp_key(g);
        uint32_t hash = hash_string(key, 0);

        s = garp_sender_find(garp, key, hash);
        if (!s) {
            s = xzalloc(sizeof *s);
            s->key = key;
            s->next = now;
            s->backoff_ms = (max_ms > 0
                             ? MIN(PINCTRL_GARP_FIRST_MS, max_ms)
                             : PINCTRL_GARP_FIRST_MS);
            hmap_insert(&garp->senders, &s->node, hash);
        } else {
            free(key);
        }
        s->seen = true;
        if (now >= s->next) {
            garp->n_sent += garp_send(g, outs);
            if (s->backoff_ms) {
                s->next = now + s->backoff_ms;
                s->backoff_ms = pinctrl_garp_next_backoff(s->backoff_ms,
                                                          max_ms);
            } else {
                s->next = LLONG_MAX;
            }
        }
        next = MIN(next, s->next);
    }
    HMAP_FOR_EACH_SAFE (s, node, &garp->senders) {
        if (!s->seen) {
            hmap_remove(&garp->senders, &s->node);
            garp_sender_free(s);
        }
    }
    return next;
}
