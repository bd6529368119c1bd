/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* pinctrl: the thread that answers packet-ins, and its interface with the
 * main loop.  The design is in pinctrl.h. */

#include <config.h>
#include "controller/pinctrl/pinctrl.h"

#include "controller/pinctrl/dhcp6-pd.h"
#include "controller/pinctrl/garp.h"
#include "controller/pinctrl/held.h"
#include "controller/pinctrl/mb-refresh.h"
#include "controller/pinctrl/mcast.h"
#include "controller/pinctrl/pin.h"
#include "controller/pinctrl/querier.h"
#include "controller/pinctrl/ra.h"
#include "controller/pinctrl/snapshot.h"
#include "controller/pinctrl/svc-monitor.h"
#include "controller/pinctrl/writes.h"
#include "controller/local-datapaths.h"
#include "controller/metrics.h"
#include "coverage.h"
#include "hash.h"
#include "dirs.h"
#include "latch.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-connection.h"
#include "openvswitch/ofp-errors.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofp-packet.h"
#include "openvswitch/ofp-print.h"
#include "openvswitch/ofp-switch.h"
#include "openvswitch/ofp-util.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/rconn.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "ovsdb-idl.h"
#include "seq.h"
#include "smap.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(pinctrl_main);
COVERAGE_DEFINE(pinctrl_packet_in);
COVERAGE_DEFINE(pinctrl_bad_userdata);
COVERAGE_DEFINE(pinctrl_snapshot);
COVERAGE_DEFINE(pinctrl_bad_config);

#define PINCTRL_VERSION OFP15_VERSION
#define PINCTRL_PROTOCOL OFPUTIL_P_OF15_OXM

/* Most packet-ins handled before the thread looks at its other work. */
#define PINCTRL_BATCH 64

/* State shared by the main thread and the pinctrl thread. */
struct pinctrl {
    struct ovs_mutex mutex;
    pthread_t thread;
    struct latch exit_latch;    /* Set: the thread must exit. */
    struct seq *to_thread;      /* Changed: new snapshot or bridge. */
    struct seq *to_main;        /* Changed: writes were queued. */

    /* Protected by 'mutex'. */
    struct pinctrl_snapshot *snap OVS_GUARDED;  /* Latest published. */
    char *bridge OVS_GUARDED;   /* Bridge to connect to, or NULL. */
    struct pinctrl_writes queue OVS_GUARDED;    /* Thread -> main. */
    struct pin_stats stats[CTLOP_N_OPCODES] OVS_GUARDED;
    uint64_t n_bad_userdata OVS_GUARDED;        /* Undecodable userdata. */
    char *conn_state OVS_GUARDED;               /* For "pinctrl/show". */
    int mb_refresh_ms OVS_GUARDED;  /* MAC_Binding refresh interval. */
    uint64_t mb_polls OVS_GUARDED;  /* Its polls, for "pinctrl/show". */
    uint64_t mb_refreshed OVS_GUARDED;  /* Refreshes it queued. */

    /* Main thread only. */
    uint64_t snap_seqno;        /* Of the last snapshot built. */
    unsigned int sb_seqno;      /* SB IDL seqno it was built at. */
    uint32_t dps_hash;          /* ...from local datapaths with this hash. */
    char *chassis_name;         /* ...with this chassis name. */
    struct pinctrl_writes_indexes ix;
    struct pinctrl_writes_stats wstats;
    bool igmp_cleared;          /* Our IGMP_Group rows of a previous run
                                 * were deleted. */
    char *mb_refresh_bad;       /* Bad refresh interval last warned of. */
};

/* The pinctrl thread's own state. */
struct pinctrl_thread {
    struct pinctrl *p;
    struct rconn *rconn;
    unsigned int conn_seqno;    /* rconn connection seqno last set up. */
    char *bridge;               /* What 'rconn' points at, or NULL. */
    uint64_t seen_seq;          /* 'to_thread' value last read. */
    struct pinctrl_snapshot *snap;          /* Current reference. */
    struct pinctrl_writes batch;            /* Writes of this batch. */
    struct pin_stats stats[CTLOP_N_OPCODES]; /* Counts of this batch. */
    uint64_t n_bad_userdata;
    struct pinctrl_held held;   /* Packets waiting for a neighbour. */
    struct pinctrl_ra ra;       /* Periodic router advertisements. */
    struct pinctrl_garp garp;   /* Gratuitous ARPs on provider networks. */
    struct pinctrl_pd pd;       /* DHCPv6 prefix delegation clients. */
    struct pinctrl_querier querier; /* IGMP/MLD general queries. */
    struct pinctrl_mcast mcast; /* Multicast groups learnt here. */
    struct pinctrl_svc svc;     /* Service health checks. */
    struct pinctrl_mb_refresh mbr;  /* MAC_Binding timestamps in use. */
};

/* The thread. */

/* Takes the latest bridge and snapshot. */
static void
thread_sync(struct pinctrl_thread *t)
{
    struct pinctrl *p = t->p;

    t->seen_seq = seq_read(p->to_thread);
    ovs_mutex_lock(&p->mutex);
    if (!nullable_string_is_equal(p->bridge, t->bridge)) {
        free(t->bridge);
        t->bridge = nullable_xstrdup(p->bridge);
        rconn_disconnect(t->rconn);
        if (t->bridge) {
            char *target = xasprintf("unix:%s/%s.mgmt", ovs_rundir(),
                                     t->bridge);
            rconn_connect(t->rconn, target, t->bridge);
            free(target);
        }
    }
    if (p->snap != t->snap) {
        pinctrl_snapshot_unref(t->snap);
        t->snap = pinctrl_snapshot_ref(p->snap);
    }
    pinctrl_mb_refresh_set_interval(&t->mbr, p->mb_refresh_ms, time_msec());
    ovs_mutex_unlock(&p->mutex);
}

static void
thread_send(struct pinctrl_thread *t, struct ofpbuf *msg)
{
    rconn_send(t->rconn, msg, NULL);
}

/* Sends what a new connection needs: packet-in format, miss_send_len,
 * async configuration. */
static void
thread_setup_connection(struct pinctrl_thread *t)
{
    thread_send(t, ofputil_encode_set_packet_in_format(
                    PINCTRL_VERSION, OFPUTIL_PACKET_IN_NXT2));

    struct ofputil_switch_config sc = {
        .frag = OFPUTIL_FRAG_NORMAL,
        .invalid_ttl_to_controller = -1,
        .miss_send_len = UINT16_MAX,
    };
    thread_send(t, ofputil_encode_set_config(&sc, PINCTRL_VERSION));

    struct ofputil_async_cfg ac = OFPUTIL_ASYNC_CFG_INIT;
    ac.primary[OAM_PACKET_IN] = ((1u << OFPR_ACTION) | (1u << OFPR_ACTION_SET)
                                 | (1u << OFPR_GROUP)
                                 | (1u << OFPR_PACKET_OUT));
    ac.secondary[OAM_PACKET_IN] = ac.primary[OAM_PACKET_IN];
    thread_send(t, ofputil_encode_set_async_config(
                    &ac, (1u << OAM_N_TYPES) - 1, PINCTRL_VERSION));
    VLOG_INFO("%s: connected; asking for packet-ins", t->bridge);
}

static void
thread_packet_in(struct pinctrl_thread *t, const struct ofp_header *oh)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    struct ofputil_packet_in pi;
    struct ofpbuf continuation;
    size_t total_len;
    uint32_t buffer_id;

    COVERAGE_INC(pinctrl_packet_in);
    enum ofperr error = ofputil_decode_packet_in(oh, true, NULL, NULL, &pi,
                                                 &total_len, &buffer_id,
                                                 &continuation);
    if (error) {
        VLOG_WARN_RL(&rl, "bad packet-in: %s", ofperr_to_string(error));
        t->n_bad_userdata++;
        return;
    }

    struct ctlop_msg msg;
    char *err = ctlop_decode(pi.userdata, pi.userdata_len, &msg);
    if (err) {
        COVERAGE_INC(pinctrl_bad_userdata);
        VLOG_WARN_RL(&rl, "packet-in from table %"PRIu8" with bad "
                     "controller userdata: %s", pi.table_id, err);
        free(err);
        ctlop_msg_destroy(&msg);
        t->n_bad_userdata++;
        return;
    }

    struct pinctrl_snapshot *snap = t->snap;
    struct pin pin;
    bool paused = continuation.size > 0;
    if (pin_init(&pin, pi.packet, pi.packet_len, &pi.flow_metadata,
                 pi.table_id, paused, &msg, snap, &t->batch,
                 &t->stats[msg.opcode])) {
        pin.now = time_msec();
        pin.wall_now = time_wall_msec();
        pin.held = &t->held;
        pin.mcast = &t->mcast;
        pin.svc = &t->svc;
        pin.pd = &t->pd;
        pin_dispatch(&pin);

        struct ovs_list msgs = OVS_LIST_INITIALIZER(&msgs);
        pin_encode(&pin, paused ? &continuation : NULL, pi.cookie,
                   PINCTRL_PROTOCOL, &msgs);
        struct ofpbuf *m;
        LIST_FOR_EACH_POP (m, list_node, &msgs) {
            thread_send(t, m);
        }
    } else {
        VLOG_WARN_RL(&rl, "%s: packet-in too short (%"PRIuSIZE" bytes)",
                     ctlop_opcode_name(msg.opcode), pi.packet_len);
        t->stats[msg.opcode].rejected++;
    }
    pin_uninit(&pin);
    ctlop_msg_destroy(&msg);
}

static void
thread_handle_msg(struct pinctrl_thread *t, const struct ofpbuf *msg)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    const struct ofp_header *oh = msg->data;
    enum ofptype type;

    if (ofptype_decode(&type, oh)) {
        return;
    }
    if (type == OFPTYPE_ECHO_REQUEST) {
        thread_send(t, ofputil_encode_echo_reply(oh));
    } else if (type == OFPTYPE_PACKET_IN) {
        thread_packet_in(t, oh);
    } else if (type == OFPTYPE_FLOW_STATS_REPLY) {
        pinctrl_mb_refresh_reply(&t->mbr, oh, time_wall_msec(), &t->batch);
    } else if (type == OFPTYPE_ERROR) {
        char *s = ofp_to_string(oh, ntohs(oh->length), NULL, NULL, 1);
        VLOG_WARN_RL(&rl, "%s: OpenFlow error: %s", t->bridge, s);
        free(s);
    }
}

/* Hands the batch's writes and counters to the main thread. */
static void
thread_flush(struct pinctrl_thread *t)
{
    struct pinctrl *p = t->p;
    bool wrote = !pinctrl_writes_is_empty(&t->batch) || t->batch.n_dropped;

    ovs_mutex_lock(&p->mutex);
    pinctrl_writes_merge(&p->queue, &t->batch);
    for (size_t i = 0; i < CTLOP_N_OPCODES; i++) {
        p->stats[i].received += t->stats[i].received;
        p->stats[i].rejected += t->stats[i].rejected;
        p->stats[i].sent += t->stats[i].sent;
    }
    p->n_bad_userdata += t->n_bad_userdata;
    p->mb_polls = t->mbr.n_polls;
    p->mb_refreshed = t->mbr.n_refreshed;
    free(p->conn_state);
    p->conn_state = xasprintf("%s %s", t->bridge ? t->bridge : "(none)",
                              rconn_is_connected(t->rconn) ? "connected"
                              : rconn_get_state(t->rconn));
    ovs_mutex_unlock(&p->mutex);

    memset(t->stats, 0, sizeof t->stats);
    t->n_bad_userdata = 0;
    if (wrote) {
        seq_change(p->to_main);
    }
}

/* Runs the periodic senders; returns when they must run again. */
static long long int
thread_periodic(struct pinctrl_thread *t)
{
    struct ovs_list outs = OVS_LIST_INITIALIZER(&outs);
    long long int now = time_msec();
    long long int next = pinctrl_mcast_run(&t->mcast, t->snap, now,
                                           &t->batch);

    if (!rconn_is_connected(t->rconn)) {
        return MIN(next, now + 1000);
    }
    next = MIN(next, pinctrl_ra_run(&t->ra, t->snap, now, &outs));
    next = MIN(next, pinctrl_garp_run(&t->garp, t->snap, now, &outs));
    next = MIN(next, pinctrl_pd_run(&t->pd, t->snap, now, &outs,
                                    &t->batch));
    next = MIN(next, pinctrl_querier_run(&t->querier, t->snap, now, &outs));
    struct ofpbuf *poll = pinctrl_mb_refresh_run(&t->mbr, now,
                                                 PINCTRL_PROTOCOL, &next);
    if (poll) {
        thread_send(t, poll);
    }
    next = MIN(next, pinctrl_svc_run(&t->svc, t->snap, now, &outs,
                                     &t->batch));
    struct pin_out *out;
    LIST_FOR_EACH_POP (out, node, &outs) {
        thread_send(t, pin_out_encode(out, PINCTRL_PROTOCOL));
        pin_out_destroy(out);
    }
    return next;
}

static void *
pinctrl_thread_main(void *p_)
{
    struct pinctrl_thread t = { .p = p_ };

    t.rconn = rconn_create(0, 4, 0, 1u << PINCTRL_VERSION);
    t.conn_seqno = rconn_get_connection_seqno(t.rconn);
    pinctrl_writes_init(&t.batch);
    pinctrl_held_init(&t.held);
    pinctrl_ra_init(&t.ra);
    pinctrl_garp_init(&t.garp);
    pinctrl_pd_init(&t.pd);
    pinctrl_querier_init(&t.querier);
    pinctrl_mb_refresh_init(&t.mbr, PINCTRL_MB_REFRESH_DEF_S * 1000);
    pinctrl_mcast_init(&t.mcast);
    pinctrl_svc_init(&t.svc);
    while (!latch_is_set(&t.p->exit_latch)) {
        thread_sync(&t);
        rconn_run(t.rconn);
        if (rconn_is_connected(t.rconn)
            && t.conn_seqno != rconn_get_connection_seqno(t.rconn)) {
            t.conn_seqno = rconn_get_connection_seqno(t.rconn);
            thread_setup_connection(&t);
        }

        int n;
        for (n = 0; n < PINCTRL_BATCH && t.snap; n++) {
            struct ofpbuf *msg = rconn_recv(t.rconn);
            if (!msg) {
                break;
            }
            thread_handle_msg(&t, msg);
            ofpbuf_delete(msg);
        }
        long long int next = thread_periodic(&t);
        thread_flush(&t);
        next = MIN(next, pinctrl_held_run(&t.held, time_msec()));
        if (next != LLONG_MAX) {
            poll_timer_wait_until(next);
        }

        if (n >= PINCTRL_BATCH) {
            poll_immediate_wake();
        }
        rconn_run_wait(t.rconn);
        if (t.snap) {
            rconn_recv_wait(t.rconn);
        }
        seq_wait(t.p->to_thread, t.seen_seq);
        latch_wait(&t.p->exit_latch);
        poll_block();
    }
    rconn_destroy(t.rconn);
    pinctrl_held_destroy(&t.held);
    pinctrl_ra_destroy(&t.ra);
    pinctrl_garp_destroy(&t.garp);
    pinctrl_pd_destroy(&t.pd);
    pinctrl_querier_destroy(&t.querier);
    pinctrl_mb_refresh_destroy(&t.mbr);
    pinctrl_mcast_destroy(&t.mcast);
    pinctrl_svc_destroy(&t.svc);
    pinctrl_writes_destroy(&t.batch);
    pinctrl_snapshot_unref(t.snap);
    free(t.bridge);
    return NULL;
}

/* The main thread's side. */

static void pinctrl_cmd_show(struct unixctl_conn *, int argc,
                             const char *argv[], void *p_);

struct pinctrl *
pinctrl_create(struct ovsdb_idl *sb_idl)
{
    struct pinctrl *p = xzalloc(sizeof *p);

    ovs_mutex_init(&p->mutex);
    latch_init(&p->exit_latch);
    p->to_thread = seq_create();
    p->to_main = seq_create();
    p->mb_refresh_ms = PINCTRL_MB_REFRESH_DEF_S * 1000;
    pinctrl_writes_init(&p->queue);
    pinctrl_writes_indexes_create(&p->ix, sb_idl);
    p->thread = ovs_thread_create("pinctrl", pinctrl_thread_main, p);
    unixctl_command_register("pinctrl/show", "", 0, 0, pinctrl_cmd_show,
                             p);
    return p;
}

void
pinctrl_destroy(struct pinctrl *p)
{
    if (!p) {
        return;
    }
    latch_set(&p->exit_latch);
    xpthread_join(p->thread, NULL);
    latch_destroy(&p->exit_latch);
    seq_destroy(p->to_thread);
    seq_destroy(p->to_main);
    pinctrl_writes_destroy(&p->queue);
    pinctrl_snapshot_unref(p->snap);
    free(p->bridge);
    free(p->conn_state);
    free(p->chassis_name);
    free(p->mb_refresh_bad);
    ovs_mutex_destroy(&p->mutex);
    free(p);
}

/* Builds and publishes a snapshot if what it holds may have changed. */
static uint32_t
hash_local_dps(const struct hmap *dps)
{
    const struct local_datapath *ld;
    uint32_t hash = hmap_count(dps);

    HMAP_FOR_EACH (ld, node, dps) {
        /* Order-independent. */
        hash += hash_int(ld->tunnel_key, uuid_hash(&ld->uuid));
    }
    return hash;
}

static void
publish_snapshot(struct pinctrl *p, const struct pinctrl_run_ctx *ctx)
{
    unsigned int sb_seqno = ovsdb_idl_get_seqno(ctx->sb_idl);

    if (!ctx->local_dps) {
        return;
    }
    uint32_t dps_hash = hash_local_dps(ctx->local_dps);
    if (p->snap_seqno && dps_hash == p->dps_hash && sb_seqno == p->sb_seqno
        && nullable_string_is_equal(ctx->chassis_name, p->chassis_name)) {
        return;
    }
    struct pinctrl_snapshot *snap = pinctrl_snapshot_create(
        ++p->snap_seqno);
    pinctrl_snapshot_fill(snap, ctx->local_dps, ctx->sb_idl,
                          ctx->chassis_name);
    p->sb_seqno = sb_seqno;
    p->dps_hash = dps_hash;
    free(p->chassis_name);
    p->chassis_name = nullable_xstrdup(ctx->chassis_name);
    COVERAGE_INC(pinctrl_snapshot);

    ovs_mutex_lock(&p->mutex);
    struct pinctrl_snapshot *old = p->snap;
    p->snap = snap;
    ovs_mutex_unlock(&p->mutex);
    pinctrl_snapshot_unref(old);
    seq_change(p->to_thread);
}

static void
set_bridge(struct pinctrl *p, const char *bridge)
{
    bool changed;

    ovs_mutex_lock(&p->mutex);
    changed = !nullable_string_is_equal(p->bridge, bridge);
    if (changed) {
        free(p->bridge);
        p->bridge = nullable_xstrdup(bridge);
    }
    ovs_mutex_unlock(&p->mutex);
    if (changed) {
        seq_change(p->to_thread);
    }
}

/* Writes the queued SB rows into 'ctx->sb_txn'. */
static void
apply_writes(struct pinctrl *p, const struct pinctrl_run_ctx *ctx)
{
    struct pinctrl_writes todo;

    if (!ctx->sb_txn) {
        return;
    }
    if (!p->igmp_cleared && ctx->chassis) {
        /* The groups a previous run learnt: this one starts empty and
         * will hear the members' next reports. */
        pinctrl_writes_clear_igmp(ctx->sb_idl, ctx->chassis);
        p->igmp_cleared = true;
    }
    pinctrl_writes_init(&todo);
    ovs_mutex_lock(&p->mutex);
    pinctrl_writes_merge(&todo, &p->queue);
    struct pinctrl_snapshot *snap = pinctrl_snapshot_ref(p->snap);
    ovs_mutex_unlock(&p->mutex);

    if (snap && !pinctrl_writes_is_empty(&todo)) {
        pinctrl_writes_apply(&todo, &p->ix, ctx->sb_idl, ctx->sb_txn, snap,
                             ctx->chassis, &p->wstats);
    } else {
        p->wstats.dropped += todo.n_dropped;
        todo.n_dropped = 0;
    }
    if (!pinctrl_writes_is_empty(&todo)) {
        /* Kept for later (e.g. until the chassis row exists). */
        ovs_mutex_lock(&p->mutex);
        pinctrl_writes_merge(&p->queue, &todo);
        ovs_mutex_unlock(&p->mutex);
    }
    pinctrl_snapshot_unref(snap);
    pinctrl_writes_destroy(&todo);
}

/* Reads the MAC_Binding refresh interval of 'ctx' (the per-chassis key
 * first) and hands it to the thread.  A bad value is named in a warning
 * (once while it stays) and the default is used. */
static void
set_mb_refresh(struct pinctrl *p, const struct pinctrl_run_ctx *ctx)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 60);
    const char *v = NULL;
    int s = PINCTRL_MB_REFRESH_DEF_S;

    if (ctx->ovs_ids && ctx->system_id) {
        char *k = xasprintf("%s-%s", PINCTRL_MB_REFRESH_KEY, ctx->system_id);
        v = smap_get(ctx->ovs_ids, k);
        free(k);
    }
    if (!v && ctx->ovs_ids) {
        v = smap_get(ctx->ovs_ids, PINCTRL_MB_REFRESH_KEY);
    }
    if (v && (!str_to_int(v, 10, &s) || s < 0
              || s > PINCTRL_MB_REFRESH_MAX_S)) {
        if (!nullable_string_is_equal(v, p->mb_refresh_bad)) {
            VLOG_WARN_RL(&rl, "external_ids:%s=\"%s\" is not a number of "
                         "seconds from 0 to %d; using %d",
                         PINCTRL_MB_REFRESH_KEY, v, PINCTRL_MB_REFRESH_MAX_S,
                         PINCTRL_MB_REFRESH_DEF_S);
            COVERAGE_INC(pinctrl_bad_config);
            free(p->mb_refresh_bad);
            p->mb_refresh_bad = xstrdup(v);
        }
        s = PINCTRL_MB_REFRESH_DEF_S;
    } else {
        free(p->mb_refresh_bad);
        p->mb_refresh_bad = NULL;
    }

    ovs_mutex_lock(&p->mutex);
    bool changed = p->mb_refresh_ms != s * 1000;
    p->mb_refresh_ms = s * 1000;
    ovs_mutex_unlock(&p->mutex);
    if (changed) {
        seq_change(p->to_thread);
    }
}

void
pinctrl_run(struct pinctrl *p, const struct pinctrl_run_ctx *ctx)
{
    publish_snapshot(p, ctx);
    set_bridge(p, ctx->bridge);
    set_mb_refresh(p, ctx);
    apply_writes(p, ctx);
}

size_t
pinctrl_get_packet_in_stats(struct pinctrl *p,
                            struct metrics_packet_in *pins)
{
    size_t n = 0;

    ovs_mutex_lock(&p->mutex);
    for (size_t i = 0; i < CTLOP_N_OPCODES; i++) {
        const struct pin_stats *st = &p->stats[i];
        if (st->received) {
            pins[n++] = (struct metrics_packet_in) {
                .opcode = ctlop_opcode_name(i),
                .received = st->received,
                .rejected = st->rejected,
                .sent = st->sent,
            };
        }
    }
    ovs_mutex_unlock(&p->mutex);
    return n;
}

void
pinctrl_wait(struct pinctrl *p)
{
    seq_wait(p->to_main, seq_read(p->to_main));
    ovs_mutex_lock(&p->mutex);
    bool pending = !pinctrl_writes_is_empty(&p->queue);
    ovs_mutex_unlock(&p->mutex);
    if (pending) {
        /* Written as soon as a transaction is open (the IDL loop wakes
         * us when the one in flight completes). */
        poll_timer_wait(100);
    }
}

static void
pinctrl_cmd_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                 const char *argv[] OVS_UNUSED, void *p_)
{
    struct pinctrl *p = p_;
    struct ds s = DS_EMPTY_INITIALIZER;

    ovs_mutex_lock(&p->mutex);
    ds_put_format(&s, "connection: %s\n",
                  p->conn_state ? p->conn_state : "(none)");
    if (p->snap) {
        pinctrl_snapshot_format(p->snap, &s);
    }
    ds_put_format(&s, "bad userdata: %"PRIu64"\n", p->n_bad_userdata);
    for (size_t i = 0; i < CTLOP_N_OPCODES; i++) {
        const struct pin_stats *st = &p->stats[i];
        if (st->received || st->rejected) {
            ds_put_format(&s, "%s: received %"PRIu64" rejected %"PRIu64
                          " sent %"PRIu64"\n", ctlop_opcode_name(i),
                          st->received, st->rejected, st->sent);
        }
    }
    ds_put_format(&s, "queued writes: %"PRIuSIZE"\n",
                  pinctrl_writes_count(&p->queue));
    ds_put_format(&s, "mac_binding refresh: every %d s, %"PRIu64" polls, %"
                  PRIu64" in use\n", p->mb_refresh_ms / 1000, p->mb_polls,
                  p->mb_refreshed);
    ovs_mutex_unlock(&p->mutex);
    pinctrl_writes_stats_format(&p->wstats, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}
