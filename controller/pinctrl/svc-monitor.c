/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Service health checks: see svc-monitor.h.  The probes go into the
 * logical egress pipeline of the service's port (from no logical port),
 * the answers come back as packet-ins of handle_svc_check(inport), which
 * northd writes for packets to the svc_monitor_mac. */

#include <config.h>
#include "controller/pinctrl/svc-monitor.h"

#include "controller/pinctrl/pin.h"
#include "controller/pinctrl/pkt.h"
#include "controller/pinctrl/snapshot.h"
#include "controller/pinctrl/writes.h"
#include "coverage.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/vlog.h"
#include "ovn/of-tables.h"
#include "packets.h"
#include "random.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(pinctrl_svc);
COVERAGE_DEFINE(pinctrl_svc_probe);
COVERAGE_DEFINE(pinctrl_svc_answer);
COVERAGE_DEFINE(pinctrl_svc_timeout);

/* The probes' TTL (as Debian's controller sends them). */
#define SVC_TTL 63

/* What this chassis knows of one service. */
struct svc_state {
    struct hmap_node node;      /* In 'struct pinctrl_svc', by uuid. */
    struct uuid uuid;           /* The Service_Monitor row. */
    long long int next;         /* When the next probe goes. */
    long long int deadline;     /* When the probe in flight times out, or
                                 * LLONG_MAX if none is. */
    uint16_t sport;             /* Source port of the probe in flight. */
    uint32_t seq;               /* Its TCP sequence number. */
    int n_ok, n_fail;           /* Results in a row. */
    char *status;               /* Last known status, or NULL. */
};

void
pinctrl_svc_init(struct pinctrl_svc *svc)
{
    memset(svc, 0, sizeof *svc);
    hmap_init(&svc->services);
}

static void
svc_state_destroy(struct svc_state *st)
{
    free(st->status);
    free(st);
}

void
pinctrl_svc_destroy(struct pinctrl_svc *svc)
{
    if (svc) {
        struct svc_state *st;
        HMAP_FOR_EACH_POP (st, node, &svc->services) {
            svc_state_destroy(st);
        }
        hmap_destroy(&svc->services);
    }
}

static struct svc_state *
svc_state_find(const struct pinctrl_svc *svc, const struct uuid *uuid)
{
    struct svc_state *st;
    HMAP_FOR_EACH_WITH_HASH (st, node, uuid_hash(uuid), &svc->services) {
        if (uuid_equals(&st->uuid, uuid)) {
            return st;
        }
    }
    return NULL;
}

/* Records a result of 'st' for 'ps' and writes a status that changed. */
static void
svc_result(struct pinctrl_svc *svc, struct svc_state *st,
           const struct ps_svc *ps, bool ok, struct pinctrl_writes *w)
{
    const char *status = NULL;

    st->deadline = LLONG_MAX;
    if (ok) {
        st->n_fail = 0;
        if (++st->n_ok >= ps->success_count) {
            status = "online";
        }
    } else {
        st->n_ok = 0;
        if (++st->n_fail >= ps->failure_count) {
            status = "offline";
        }
    }
    if (status && !nullable_string_is_equal(status, st->status)) {
        free(st->status);
        st->status = xstrdup(status);
        svc->n_changes++;
        VLOG_INFO("service "IP_FMT":%"PRIu16"/%s of port %"PRIu32
                  " is %s", IP_ARGS(ps->ip), ps->port,
                  ps->udp ? "udp" : "tcp", ps->port_key, status);
        if (w) {
            pinctrl_writes_add_svc_status(w, &ps->uuid, status);
        }
    }
}

/* Metadata that sends a packet into the egress pipeline of 'ps''s port. */
static void
svc_md(const struct ps_svc *ps, struct match *md)
{
    match_init_catchall(md);
    match_set_metadata(md, htonll(ps->dp_key));
    match_set_reg(md, MFF_LOG_OUTPORT - MFF_REG0, ps->port_key);
}

/* Appends to 'outs' a TCP segment with 'flags' or (for UDP) a datagram
 * from the probe source of 'ps' to the service. */
static void
svc_send(const struct ps_svc *ps, uint16_t sport, uint32_t seq,
         uint16_t flags, struct ovs_list *outs)
{
    struct dp_packet *p = pkt_start(NULL, ps->mac, ps->src_mac,
                                    ETH_TYPE_IP);
    pkt_put_ip4(p, ps->src_ip, ps->ip, ps->udp ? IPPROTO_UDP : IPPROTO_TCP,
                SVC_TTL, 0);
    if (ps->udp) {
        struct udp_header *uh = dp_packet_put_zeros(p, sizeof *uh);
        uh->udp_src = htons(sport);
        uh->udp_dst = htons(ps->port);
    } else {
        struct tcp_header *th = dp_packet_put_zeros(p, sizeof *th);
        th->tcp_src = htons(sport);
        th->tcp_dst = htons(ps->port);
        put_16aligned_be32(&th->tcp_seq, htonl(seq));
        th->tcp_ctl = TCP_CTL(flags, TCP_HEADER_LEN / 4);
        th->tcp_winsz = htons(65160);
    }
    pkt_finish(p);

    struct match md;
    svc_md(ps, &md);
    struct ofpbuf ofpacts;
    ofpbuf_init(&ofpacts, 16);
    ofpact_put_RESUBMIT(&ofpacts)->table_id = OFTABLE_LOCAL_OUTPUT;
    struct pin_out *out = pin_out_create(p, ofpacts.data, ofpacts.size,
                                         &md);
    ovs_list_push_back(outs, &out->node);
    ofpbuf_uninit(&ofpacts);
}

long long int
pinctrl_svc_run(struct pinctrl_svc *svc, const struct pinctrl_snapshot *snap,
                long long int now, struct ovs_list *outs,
                struct pinctrl_writes *w)
{
    long long int next = LLONG_MAX;
    struct svc_state *st;

    for (size_t i = 0; snap && i < snap->n_svcs; i++) {
        const struct ps_svc *ps = &snap->svcs[i];

        st = svc_state_find(svc, &ps->uuid);
        if (!st) {
            st = xzalloc(sizeof *st);
            st->uuid = ps->uuid;
            st->next = now + random_range(1000);
            st->deadline = LLONG_MAX;
            st->status = nullable_xstrdup(ps->status);
            hmap_insert(&svc->services, &st->node, uuid_hash(&ps->uuid));
        }
        if (now >= st->deadline) {
            /* No answer: a TCP service is down, a UDP one is up. */
            COVERAGE_INC(pinctrl_svc_timeout);
            svc_result(svc, st, ps, ps->udp, w);
        }
        if (now >= st->next && st->deadline == LLONG_MAX) {
            st->sport = 32768 + random_range(28000);
            st->seq = random_uint32();
            svc_send(ps, st->sport, st->seq, TCP_SYN, outs);
            svc->n_probes++;
            COVERAGE_INC(pinctrl_svc_probe);
            st->deadline = now + ps->timeout_ms;
            st->next = now + ps->interval_ms;
        }
        next = MIN(next, MIN(st->next, st->deadline));
    }
    HMAP_FOR_EACH_SAFE (st, node, &svc->services) {
        if (!snap || !pinctrl_snapshot_find_svc(snap, &st->uuid)) {
            hmap_remove(&svc->services, &st->node);
            svc_state_destroy(st);
        }
    }
    return next;
}

/* Finds the service of 'snap' on switch 'dp_key', port 'port_key' at
 * 'ip':'port'. */
static const struct ps_svc *
find_service(const struct pinctrl_snapshot *snap, uint32_t dp_key,
             uint32_t port_key, ovs_be32 ip, uint16_t port, bool udp)
{
    for (size_t i = 0; i < snap->n_svcs; i++) {
        const struct ps_svc *ps = &snap->svcs[i];
        if (ps->dp_key == dp_key && ps->port_key == port_key
            && ps->ip == ip && ps->port == port && ps->udp == udp) {
            return ps;
        }
    }
    return NULL;
}

/* An ICMP error about a UDP probe: the service's port is unreachable. */
static void
svc_icmp(struct pin *pin, uint32_t dp_key, uint32_t port_key)
{
    const uint8_t *l4 = dp_packet_l4(pin->packet);
    size_t len = l4 ? (const uint8_t *) dp_packet_tail(pin->packet) - l4
                    : 0;
    struct pkt_reader r;

    pkt_reader_init(&r, l4, len);
    uint8_t type = pkt_read_u8(&r);
    pkt_read(&r, 7);
    const uint8_t *ip = pkt_read(&r, IP_HEADER_LEN);
    if (!ip || (ip[0] >> 4) != 4 || (ip[0] & 15) < 5) {
        pin_reject(pin, "truncated ICMP error");
        return;
    }
    pkt_read(&r, (ip[0] & 15) * 4 - IP_HEADER_LEN);
    const uint8_t *udp = pkt_read(&r, 4);
    if (!udp) {
        pin_reject(pin, "truncated ICMP error");
        return;
    }
    if (type != ICMP4_DST_UNREACH || ip[9] != IPPROTO_UDP) {
        return;
    }
    ovs_be32 dst;
    memcpy(&dst, ip + 16, 4);
    uint16_t dport = (udp[2] << 8) | udp[3];
    uint16_t sport = (udp[0] << 8) | udp[1];
    const struct ps_svc *ps = find_service(pin->snap, dp_key, port_key, dst,
                                           dport, true);
    struct svc_state *st = ps && pin->svc
                           ? svc_state_find(pin->svc, &ps->uuid) : NULL;
    if (st && st->deadline != LLONG_MAX && st->sport == sport) {
        COVERAGE_INC(pinctrl_svc_answer);
        svc_result(pin->svc, st, ps, false, pin->writes);
    }
}

void
pinctrl_handle_svc_check(struct pin *pin)
{
    const struct flow *f = &pin->flow;
    uint32_t dp_key = ntohll(f->metadata);
    uint32_t port_key = f->regs[MFF_LOG_INPORT - MFF_REG0];

    if (f->dl_type != htons(ETH_TYPE_IP)
        || (f->nw_proto != IPPROTO_TCP && f->nw_proto != IPPROTO_ICMP)) {
        pin_reject(pin, "not an IPv4 TCP or ICMP packet");
        return;
    }
    if (f->nw_proto == IPPROTO_ICMP) {
        svc_icmp(pin, dp_key, port_key);
        return;
    }
    if (!dp_packet_l4(pin->packet)
        || dp_packet_l4_size(pin->packet) < TCP_HEADER_LEN) {
        pin_reject(pin, "truncated TCP header");
        return;
    }

    const struct ps_svc *ps = find_service(pin->snap, dp_key, port_key,
                                           f->nw_src, ntohs(f->tp_src),
                                           false);
    struct svc_state *st = ps && pin->svc
                           ? svc_state_find(pin->svc, &ps->uuid) : NULL;
    uint16_t flags = ntohs(f->tcp_flags);
    const struct tcp_header *th = dp_packet_l4(pin->packet);
    uint32_t ack = ntohl(get_16aligned_be32(&th->tcp_ack));
    if (!st || st->deadline == LLONG_MAX || ntohs(f->tp_dst) != st->sport
        || ack != st->seq + 1) {
        return;                 /* Not the answer to a probe in flight. */
    }
    COVERAGE_INC(pinctrl_svc_answer);
    if ((flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
        svc_result(pin->svc, st, ps, true, pin->writes);
        /* Close the half-open connection. */
        struct ovs_list outs = OVS_LIST_INITIALIZER(&outs);
        svc_send(ps, st->sport, st->seq + 1, TCP_RST, &outs);
        struct pin_out *out;
        LIST_FOR_EACH_POP (out, node, &outs) {
            ovs_list_push_back(&pin->outs, &out->node);
        }
    } else if (flags & TCP_RST) {
        svc_result(pin->svc, st, ps, false, pin->writes);
    }
}
