/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Packets held while a router resolves their next hop: see held.h. */

#include <config.h>
#include "controller/pinctrl/held.h"

#include "controller/pinctrl/pin.h"
#include "coverage.h"
#include "dp-packet.h"
#include "hash.h"
#include "openvswitch/list.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-actions.h"
#include "ovn/of-tables.h"
#include "util.h"

COVERAGE_DEFINE(pinctrl_held_packet);
COVERAGE_DEFINE(pinctrl_held_released);
COVERAGE_DEFINE(pinctrl_held_expired);

/* The packets of one next hop. */
struct held_hop {
    struct hmap_node node;      /* In 'struct pinctrl_held' 'hops'. */
    uint32_t dp_key;
    struct in6_addr ip;
    struct ovs_list packets;    /* struct held_packet, oldest first. */
    size_t n;
    long long int expires;      /* Of the newest packet. */
};

struct held_packet {
    struct ovs_list node;
    struct dp_packet *packet;
    struct match md;
};

void
pinctrl_held_init(struct pinctrl_held *h)
{
    memset(h, 0, sizeof *h);
    hmap_init(&h->hops);
}

static void
held_packet_free(struct held_packet *hp)
{
    dp_packet_delete(hp->packet);
    free(hp);
}

static void
held_hop_free(struct pinctrl_held *h, struct held_hop *hop)
{
    struct held_packet *hp;
    LIST_FOR_EACH_POP (hp, node, &hop->packets) {
        held_packet_free(hp);
    }
    hmap_remove(&h->hops, &hop->node);
    free(hop);
}

void
pinctrl_held_destroy(struct pinctrl_held *h)
{
    if (h) {
        struct held_hop *hop;
        HMAP_FOR_EACH_SAFE (hop, node, &h->hops) {
            held_hop_free(h, hop);
        }
        hmap_destroy(&h->hops);
    }
}

static uint32_t
hop_hash(uint32_t dp_key, const struct in6_addr *ip)
{
    return hash_bytes(ip, sizeof *ip, hash_int(dp_key, 0));
}

static struct held_hop *
hop_find(const struct pinctrl_held *h, uint32_t dp_key,
         const struct in6_addr *ip)
{
    struct held_hop *hop;
    HMAP_FOR_EACH_WITH_HASH (hop, node, hop_hash(dp_key, ip), &h->hops) {
        if (hop->dp_key == dp_key && ipv6_addr_equals(&hop->ip, ip)) {
            return hop;
        }
    }
    return NULL;
}

void
pinctrl_held_add(struct pinctrl_held *h, uint32_t dp_key,
                 const struct in6_addr *ip, const struct dp_packet *packet,
                 const struct match *md, long long int now)
{
    struct held_hop *hop = hop_find(h, dp_key, ip);

    if (!hop) {
        if (hmap_count(&h->hops) >= HELD_MAX_HOPS) {
            h->n_expired++;
            COVERAGE_INC(pinctrl_held_expired);
            return;
        }
        hop = xzalloc(sizeof *hop);
        hop->dp_key = dp_key;
        hop->ip = *ip;
        ovs_list_init(&hop->packets);
        hmap_insert(&h->hops, &hop->node, hop_hash(dp_key, ip));
    }
    if (hop->n >= HELD_PER_HOP) {
        struct held_packet *old;
        old = CONTAINER_OF(ovs_list_pop_front(&hop->packets),
                           struct held_packet, node);
        held_packet_free(old);
        hop->n--;
        h->n_expired++;
        COVERAGE_INC(pinctrl_held_expired);
    }
    struct held_packet *hp = xmalloc(sizeof *hp);
    hp->packet = dp_packet_clone(packet);
    hp->md = *md;
    ovs_list_push_back(&hop->packets, &hp->node);
    hop->n++;
    hop->expires = now + HELD_TIMEOUT_MS;
    h->n_held++;
    COVERAGE_INC(pinctrl_held_packet);
}

void
pinctrl_held_release(struct pinctrl_held *h, uint32_t dp_key,
                     const struct in6_addr *ip, struct eth_addr mac,
                     struct pin *pin)
{
    struct held_hop *hop = hop_find(h, dp_key, ip);
    if (!hop) {
        return;
    }

    struct ofpbuf ofpacts;
    ofpbuf_init(&ofpacts, 64);
    union mf_value v;
    memset(&v, 0, sizeof v);
    v.mac = mac;
    ofpact_put_set_field(&ofpacts, mf_from_id(MFF_ETH_DST), &v, NULL);
    struct ofpact_resubmit *rs = ofpact_put_RESUBMIT(&ofpacts);
    rs->in_port = OFPP_IN_PORT;
    rs->table_id = OFTABLE_OUTPUT_LARGE_PKT_DETECT;

    struct held_packet *hp;
    LIST_FOR_EACH_POP (hp, node, &hop->packets) {
        pin_output_md(pin, hp->packet, ofpacts.data, ofpacts.size, &hp->md);
        hp->packet = NULL;
        free(hp);
        h->n_released++;
        COVERAGE_INC(pinctrl_held_released);
    }
    hop->n = 0;
    held_hop_free(h, hop);
    ofpbuf_uninit(&ofpacts);
}

long long int
pinctrl_held_run(struct pinctrl_held *h, long long int now)
{
    long long int next = LLONG_MAX;
    struct held_hop *hop;

    HMAP_FOR_EACH_SAFE (hop, node, &h->hops) {
        if (hop->expires <= now) {
            h->n_expired += hop->n;
            COVERAGE_ADD(pinctrl_held_expired, hop->n);
            held_hop_free(h, hop);
        } else {
            next = MIN(next, hop->expires);
        }
    }
    return next;
}
