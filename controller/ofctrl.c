/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The OpenFlow connection to the integration bridge (see ofctrl.h for the
 * contract).  This file owns the connection and its state machine: the
 * Geneve TLV mapping, learning the installed state, the first
 * synchronization, sending each ofctrl_put()'s batch as one bundle,
 * barriers and generations, errors, the flow monitor that triggers
 * repairs, and the unixctl commands.  ofctrl-sync.c computes what to send.
 *
 * States, on every (re)connection:
 *
 *   TLV_REQUESTED --(option mapped with length 4)--> LEARNING --> SYNCED
 *        |  ^                                          ^           |
 *        v  | (every OFCTRL_TLV_RETRY_MS)               \__________/
 *   TLV_BLOCKED                                     (foreign change or
 *                                                    rejected message)
 */

#include <config.h>

#include "controller/ofctrl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "byte-order.h"
#include "controller/flow-table.h"
#include "controller/ofctrl-sync.h"
#include "coverage.h"
#include "dirs.h"
#include "lib/latency-histogram.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-bundle.h"
#include "openvswitch/ofp-errors.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofp-group.h"
#include "openvswitch/ofp-match.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofp-monitor.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofp-packet.h"
#include "openvswitch/ofp-print.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofp-util.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/rconn.h"
#include "openvswitch/vlog.h"
#include "ovn/of-tables.h"
#include "simap.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(ofctrl);

COVERAGE_DEFINE(ofctrl_connect);
COVERAGE_DEFINE(ofctrl_bundle);
COVERAGE_DEFINE(ofctrl_learn);
COVERAGE_DEFINE(ofctrl_foreign_change);
COVERAGE_DEFINE(ofctrl_tlv_blocked);
COVERAGE_DEFINE(ofctrl_error);

#define OFCTRL_VERSION OFP15_VERSION
#define OFCTRL_PROTOCOL OFPUTIL_P_OF15_OXM

/* The Geneve option that carries the logical ports. */
#define OFCTRL_GENEVE_CLASS 0x0102
#define OFCTRL_GENEVE_TYPE 0x80
#define OFCTRL_GENEVE_LEN 4

/* Tries to map the option before giving up until the next retry. */
#define OFCTRL_TLV_MAX_ATTEMPTS 3

/* Messages handled per ofctrl_run(), so that a long dump does not starve
 * the rest of the daemon. */
#define OFCTRL_MAX_RECV 5000

#define OFCTRL_STATES                                                 \
    OFCTRL_STATE(DISCONNECTED, "disconnected")                        \
    OFCTRL_STATE(TLV_REQUESTED, "asking for the Geneve option mapping") \
    OFCTRL_STATE(TLV_BLOCKED, "blocked by another Geneve option mapping") \
    OFCTRL_STATE(LEARNING, "learning the installed flows")            \
    OFCTRL_STATE(SYNCED, "synchronized")

enum ofctrl_state {
#define OFCTRL_STATE(NAME, TEXT) S_##NAME,
    OFCTRL_STATES
#undef OFCTRL_STATE
};

static const char *
ofctrl_state_name(enum ofctrl_state state)
{
    switch (state) {
#define OFCTRL_STATE(NAME, TEXT) case S_##NAME: return TEXT;
        OFCTRL_STATES
#undef OFCTRL_STATE
    }
    return "unknown";
}

/* A barrier in flight: its reply installs generation 'gen'. */
struct ofctrl_barrier {
    struct ovs_list node;       /* In ofctrl 'barriers', oldest first. */
    uint32_t xid;
    uint64_t gen;
    uint64_t seq;               /* Batch it closes (ofctrl-sync). */
    long long int put_usec;     /* When the put started (time_usec()). */
    bool failed;                /* Something before it was rejected. */
};

struct ofctrl {
    struct rconn *rconn;
    char *bridge;               /* NULL: none. */
    unsigned int conn_seqno;    /* rconn connection seqno last seen. */
    enum ofctrl_state state;

    /* First synchronization. */
    int wait_before_clear_ms;
    long long int first_conn_ms; /* First connection, or LLONG_MIN. */
    bool first_sync_done;

    /* Geneve option. */
    enum mf_field_id geneve_field; /* MFF_N_IDS while unknown. */
    uint32_t tlv_xid;           /* Outstanding TLV table request. */
    uint32_t tlv_mod_xid;       /* Last TLV table mod. */
    int tlv_attempts;
    long long int tlv_retry_ms; /* In TLV_BLOCKED: when to ask again. */
    char *tlv_blocker;          /* Last reason logged, to log it once. */

    /* Learning. */
    uint32_t flows_xid, groups_xid, meters_xid; /* 0: that dump is done. */
    bool monitor_started;       /* On this connection. */
    bool relearn;               /* Dump again as soon as possible. */
    bool repairing;             /* 'relearn' came from a foreign change. */

    /* Installing. */
    bool need_full;             /* Next put compares everything. */
    struct ovs_list barriers;   /* struct ofctrl_barrier. */
    uint64_t latest_gen;        /* Gen of the latest put fully sent. */
    uint64_t installed_gen;
    uint32_t bundle_id;

    struct ofctrl_sync sync;
    struct ofctrl_stats stats;
    struct latency_histogram install_latency; /* Put to barrier reply. */
};

static void ofctrl_reset(struct ofctrl *);
static void ofctrl_register_commands(struct ofctrl *);

struct ofctrl *
ofctrl_create(bool register_commands)
{
    struct ofctrl *o = xzalloc(sizeof *o);

    o->rconn = rconn_create(0, 4, 0, 1u << OFCTRL_VERSION);
    o->state = S_DISCONNECTED;
    o->first_conn_ms = LLONG_MIN;
    o->geneve_field = MFF_N_IDS;
    latency_histogram_init(&o->install_latency);
    ovs_list_init(&o->barriers);
    ofctrl_sync_init(&o->sync);
    o->conn_seqno = rconn_get_connection_seqno(o->rconn);
    if (register_commands) {
        ofctrl_register_commands(o);
    }
    return o;
}

static void
ofctrl_clear_barriers(struct ofctrl *o)
{
    struct ofctrl_barrier *b;

    LIST_FOR_EACH_POP (b, node, &o->barriers) {
        free(b);
    }
}

void
ofctrl_destroy(struct ofctrl *o)
{
    if (!o) {
        return;
    }
    rconn_destroy(o->rconn);
    ofctrl_clear_barriers(o);
    ofctrl_sync_destroy(&o->sync);
    free(o->bridge);
    free(o->tlv_blocker);
    free(o);
}

void
ofctrl_set_bridge(struct ofctrl *o, const char *bridge)
{
    if (nullable_string_is_equal(bridge, o->bridge)) {
        return;
    }
    free(o->bridge);
    o->bridge = nullable_xstrdup(bridge);
    rconn_disconnect(o->rconn);
    if (bridge) {
        char *target = xasprintf("unix:%s/%s.mgmt", ovs_rundir(), bridge);

        VLOG_INFO("%s: connecting to %s", bridge, target);
        rconn_connect(o->rconn, target, bridge);
        free(target);
    }
    o->conn_seqno = rconn_get_connection_seqno(o->rconn);
    ofctrl_reset(o);
}

void
ofctrl_set_wait_before_clear(struct ofctrl *o, int ms)
{
    o->wait_before_clear_ms = MAX(ms, 0);
}

void
ofctrl_set_probe_interval(struct ofctrl *o, int secs)
{
    rconn_set_probe_interval(o->rconn, MAX(secs, 0));
}

bool
ofctrl_is_ready(const struct ofctrl *o)
{
    return rconn_is_connected(o->rconn) && o->geneve_field != MFF_N_IDS;
}

enum mf_field_id
ofctrl_get_geneve_field(const struct ofctrl *o)
{
    return o->geneve_field;
}

uint64_t
ofctrl_get_installed_gen(const struct ofctrl *o)
{
    return o->installed_gen;
}

/* Sending. */

static uint32_t
ofctrl_send(struct ofctrl *o, struct ofpbuf *msg)
{
    uint32_t xid = ntohl(((const struct ofp_header *) msg->data)->xid);

    rconn_send(o->rconn, msg, NULL);
    return xid;
}

char *
ofctrl_inject_packet(struct ofctrl *o, const void *packet, size_t size,
                     const struct ofpact *ofpacts, size_t ofpacts_len)
{
    if (!rconn_is_connected(o->rconn)) {
        return xstrdup("not connected to the integration bridge");
    }

    struct ofputil_packet_out po = {
        .packet = packet,
        .packet_len = size,
        .buffer_id = UINT32_MAX,
        .ofpacts = CONST_CAST(struct ofpact *, ofpacts),
        .ofpacts_len = ofpacts_len,
    };
    match_init_catchall(&po.flow_metadata);
    match_set_in_port(&po.flow_metadata, OFPP_CONTROLLER);
    ofctrl_send(o, ofputil_encode_packet_out(&po, OFCTRL_PROTOCOL));
    return NULL;
}

/* Forgets everything learned on the connection. */
static void
ofctrl_reset(struct ofctrl *o)
{
    o->state = S_DISCONNECTED;
    o->geneve_field = MFF_N_IDS;
    o->tlv_xid = o->tlv_mod_xid = 0;
    o->flows_xid = o->groups_xid = o->meters_xid = 0;
    o->monitor_started = false;
    o->relearn = o->repairing = false;
    o->need_full = true;
    ofctrl_clear_barriers(o);
    ofctrl_sync_forget(&o->sync);
}

static void
ofctrl_request_tlv_table(struct ofctrl *o)
{
    o->state = S_TLV_REQUESTED;
    o->tlv_xid = ofctrl_send(o, ofpraw_alloc(OFPRAW_NXT_TLV_TABLE_REQUEST,
                                             OFCTRL_VERSION, 0));
}

static void
ofctrl_on_connect(struct ofctrl *o)
{
    COVERAGE_INC(ofctrl_connect);
    o->stats.n_connections++;
    if (o->first_conn_ms == LLONG_MIN) {
        o->first_conn_ms = time_msec();
    }
    VLOG_INFO("%s: connected", o->bridge);
    o->tlv_attempts = 0;
    ofctrl_request_tlv_table(o);
}

/* Starts the flow monitor (once per connection) and the dumps. */
static void
ofctrl_start_learning(struct ofctrl *o)
{
    COVERAGE_INC(ofctrl_learn);
    ofctrl_sync_learn_begin(&o->sync);
    if (!o->monitor_started) {
        struct ofputil_flow_monitor_request rq = {
            .id = 1,
            .command = OFPFMC_ADD,
            .flags = (OFPFMF_ADD | OFPFMF_REMOVED | OFPFMF_MODIFY
                      | OFPFMF_INSTRUCTIONS),
            .out_port = OFPP_ANY,
            .out_group = OFPG_ANY,
            .table_id = 0xff,
        };
        struct ofpbuf *msg = ofpbuf_new(0);

        match_init_catchall(&rq.match);
        ofputil_append_flow_monitor_request(&rq, msg, OFCTRL_PROTOCOL);
        ofpmsg_update_length(msg);
        ofctrl_send(o, msg);
        o->monitor_started = true;
    }

    struct ofputil_flow_stats_request fsr = {
        .aggregate = false,
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
        .table_id = 0xff,
    };
    match_init_catchall(&fsr.match);
    o->flows_xid = ofctrl_send(o, ofputil_encode_flow_stats_request(
                                   &fsr, OFCTRL_PROTOCOL));
    o->groups_xid = ofctrl_send(o, ofputil_encode_group_stats_request(
                                    OFCTRL_VERSION, OFPG_ALL));
    o->meters_xid = ofctrl_send(o, ofputil_encode_meter_request(
                                    OFCTRL_VERSION, OFPUTIL_METER_CONFIG,
                                    OFPM13_ALL));
    o->state = S_LEARNING;
    o->relearn = false;
}

static void
ofctrl_finish_learning(struct ofctrl *o)
{
    if (o->flows_xid || o->groups_xid || o->meters_xid) {
        return;
    }
    ofctrl_sync_learn_end(&o->sync);
    VLOG_DBG("%s: the switch has %"PRIuSIZE" flows, %"PRIuSIZE" groups, "
             "%"PRIuSIZE" meters", o->bridge, hmap_count(&o->sync.flows),
             hmap_count(&o->sync.groups), hmap_count(&o->sync.meters));
    o->state = S_SYNCED;
    o->need_full = true;
}

/* The Geneve option. */

static void
ofctrl_tlv_blocked(struct ofctrl *o, char *reason)
{
    COVERAGE_INC(ofctrl_tlv_blocked);
    if (!o->tlv_blocker || strcmp(o->tlv_blocker, reason)) {
        VLOG_ERR("%s: cannot map Geneve option class 0x%x type 0x%x "
                 "length %d: %s; installing no flows until that changes",
                 o->bridge, OFCTRL_GENEVE_CLASS, OFCTRL_GENEVE_TYPE,
                 OFCTRL_GENEVE_LEN, reason);
        free(o->tlv_blocker);
        o->tlv_blocker = reason;
    } else {
        free(reason);
    }
    o->state = S_TLV_BLOCKED;
    o->tlv_retry_ms = time_msec() + OFCTRL_TLV_RETRY_MS;
}

static void
ofctrl_tlv_add(struct ofctrl *o, unsigned int index)
{
    struct ofputil_tlv_map map = {
        .option_class = OFCTRL_GENEVE_CLASS,
        .option_type = OFCTRL_GENEVE_TYPE,
        .option_len = OFCTRL_GENEVE_LEN,
        .index = index,
    };
    struct ofputil_tlv_table_mod ttm = { .command = NXTTMC_ADD };

    ovs_list_init(&ttm.mappings);
    ovs_list_push_back(&ttm.mappings, &map.list_node);
    VLOG_INFO("%s: mapping Geneve option class 0x%x type 0x%x length %d "
              "to tun_metadata%u", o->bridge, OFCTRL_GENEVE_CLASS,
              OFCTRL_GENEVE_TYPE, OFCTRL_GENEVE_LEN, index);
    o->tlv_mod_xid = ofctrl_send(o, ofputil_encode_tlv_table_mod(
                                     OFCTRL_VERSION, &ttm));
    o->tlv_attempts++;
    /* Ask again: the answer says whether it worked, or who won a race. */
    ofctrl_request_tlv_table(o);
}

static void
ofctrl_handle_tlv_reply(struct ofctrl *o, const struct ofp_header *oh)
{
    struct ofputil_tlv_table_reply ttr;
    const struct ofputil_tlv_map *map, *ours = NULL;
    unsigned long long int used = 0;
    enum ofperr error;

    o->tlv_xid = 0;
    error = ofputil_decode_tlv_table_reply(oh, &ttr);
    if (error) {
        ofctrl_tlv_blocked(o, xasprintf("bad TLV table reply (%s)",
                                        ofperr_to_string(error)));
        return;
    }
    LIST_FOR_EACH (map, list_node, &ttr.mappings) {
        if (map->index < 64) {
            used |= 1ULL << map->index;
        }
        if (map->option_class == OFCTRL_GENEVE_CLASS
            && map->option_type == OFCTRL_GENEVE_TYPE) {
            ours = map;
        }
    }

    unsigned int max = MIN(ttr.max_fields, 64);
    if (ours && ours->option_len == OFCTRL_GENEVE_LEN) {
        o->geneve_field = MFF_TUN_METADATA0 + ours->index;
        VLOG_INFO("%s: Geneve option class 0x%x type 0x%x is in "
                  "tun_metadata%d", o->bridge, OFCTRL_GENEVE_CLASS,
                  OFCTRL_GENEVE_TYPE, ours->index);
        free(o->tlv_blocker);
        o->tlv_blocker = NULL;
        ofctrl_start_learning(o);
    } else if (ours) {
        ofctrl_tlv_blocked(o, xasprintf(
            "the switch maps it with another length: "
            "{class=0x%x,type=0x%x,len=%d}->tun_metadata%d",
            ours->option_class, ours->option_type, ours->option_len,
            ours->index));
    } else if (o->tlv_attempts >= OFCTRL_TLV_MAX_ATTEMPTS) {
        ofctrl_tlv_blocked(o, xasprintf("the switch did not accept the "
                                        "mapping after %d attempts",
                                        o->tlv_attempts));
    } else {
        unsigned int i;

        for (i = 0; i < max && (used & (1ULL << i)); i++) {
            continue;
        }
        if (i < max) {
            ofctrl_tlv_add(o, i);
        } else {
            ofctrl_tlv_blocked(o, xasprintf("all %u tun_metadata fields "
                                            "are mapped", max));
        }
    }
    ofputil_uninit_tlv_table(&ttr.mappings);
}

/* Dumps. */

static void
ofctrl_handle_flow_stats(struct ofctrl *o, const struct ofp_header *oh)
{
    struct ofpbuf b = ofpbuf_const_initializer(oh, ntohs(oh->length));
    uint64_t stub[1024 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);

    for (;;) {
        struct ofputil_flow_stats fs;
        int retval = ofputil_decode_flow_stats_reply(&fs, &b, false,
                                                     &ofpacts);
        if (retval) {
            if (retval != EOF) {
                VLOG_WARN("%s: bad flow stats reply (%s)", o->bridge,
                          ofperr_to_string(retval));
            }
            break;
        }
        if (!oftable_is_learned(fs.table_id)) {
            /* What learn actions added is the switch's, not ours. */
            ofctrl_sync_learn_flow(&o->sync, &fs);
        }
    }
    ofpbuf_uninit(&ofpacts);
    if (!ofpmp_more(oh)) {
        o->flows_xid = 0;
        ofctrl_finish_learning(o);
    }
}

static void
ofctrl_handle_group_stats(struct ofctrl *o, const struct ofp_header *oh)
{
    struct ofpbuf b = ofpbuf_const_initializer(oh, ntohs(oh->length));

    for (;;) {
        struct ofputil_group_stats gs;
        int retval = ofputil_decode_group_stats_reply(&b, &gs);

        if (retval) {
            if (retval != EOF) {
                VLOG_WARN("%s: bad group stats reply (%s)", o->bridge,
                          ofperr_to_string(retval));
            }
            break;
        }
        ofctrl_sync_learn_group(&o->sync, gs.group_id);
        free(gs.bucket_stats);
    }
    if (!ofpmp_more(oh)) {
        o->groups_xid = 0;
        ofctrl_finish_learning(o);
    }
}

static void
ofctrl_handle_meter_config(struct ofctrl *o, const struct ofp_header *oh)
{
    struct ofpbuf b = ofpbuf_const_initializer(oh, ntohs(oh->length));
    struct ofpbuf bands;

    ofpbuf_init(&bands, 64);
    for (;;) {
        struct ofputil_meter_config mc;
        int retval = ofputil_decode_meter_config(&b, &mc, &bands);

        if (retval) {
            if (retval != EOF) {
                VLOG_WARN("%s: bad meter config reply (%s)", o->bridge,
                          ofperr_to_string(retval));
            }
            break;
        }
        ofctrl_sync_learn_meter(&o->sync, &mc);
    }
    ofpbuf_uninit(&bands);
    if (!ofpmp_more(oh)) {
        o->meters_xid = 0;
        ofctrl_finish_learning(o);
    }
}

/* Repairs. */

static void
ofctrl_foreign_change(struct ofctrl *o, const char *what)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

    COVERAGE_INC(ofctrl_foreign_change);
    if (!o->relearn) {
        VLOG_INFO_RL(&rl, "%s: %s: learning the installed state again",
                     o->bridge, what);
        o->stats.n_repairs++;
    }
    o->relearn = true;
    o->repairing = true;
}

/* Handles flow monitor updates: another client's flow changes update the
 * installed view and are checked again at the next put (a targeted repair,
 * with no dump); a change the updates cannot describe exactly (flows
 * removed with a group or meter, whose loss the view must learn, or
 * updates lost while the monitor was paused) makes ofctrl learn everything
 * again. */
static void
ofctrl_handle_monitor(struct ofctrl *o, const struct ofp_header *oh)
{
    struct ofpbuf b = ofpbuf_const_initializer(oh, ntohs(oh->length));
    uint64_t stub[1024 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    bool noted = false;

    for (;;) {
        struct ofputil_flow_update u;

        if (ofputil_decode_flow_update(&u, &b, &ofpacts)) {
            break;
        }
        bool removed = u.event == OFPFME_REMOVED;
        if (u.event != OFPFME_ADDED && u.event != OFPFME_MODIFIED
            && !removed) {
            if (u.event == OFPFME_RESUMED) {
                ofctrl_foreign_change(o, "the flow monitor lost changes");
            }
            continue;
        }
        if (oftable_is_learned(u.table_id)) {
            /* A learn action of the pipeline at work, not another
             * client: such flows are not ours to repair. */
            continue;
        }
        if (o->state != S_SYNCED
            || (removed && (u.reason == OFPRR_GROUP_DELETE
                            || u.reason == OFPRR_METER_DELETE))) {
            ofctrl_foreign_change(o, "another client changed the flows");
            continue;
        }
        ofctrl_sync_note_foreign(&o->sync, u.table_id, u.priority, &u.match,
                                 removed, ntohll(u.cookie), u.ofpacts,
                                 u.ofpacts_len);
        noted = true;
    }
    ofpbuf_uninit(&ofpacts);
    if (noted) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

        COVERAGE_INC(ofctrl_foreign_change);
        VLOG_INFO_RL(&rl, "%s: another client changed flows: repairing",
                     o->bridge);
        o->stats.n_repairs++;
    }
}

/* Barriers and errors. */

static void
ofctrl_handle_barrier(struct ofctrl *o, uint32_t xid)
{
    struct ofctrl_barrier *b;
    bool found = false;

    LIST_FOR_EACH (b, node, &o->barriers) {
        if (b->xid == xid) {
            found = true;
            break;
        }
    }
    if (!found) {
        return;
    }

    while (!ovs_list_is_empty(&o->barriers)) {
        b = CONTAINER_OF(ovs_list_pop_front(&o->barriers),
                         struct ofctrl_barrier, node);
        bool last = b->xid == xid;

        ofctrl_sync_batch_done(&o->sync, b->seq);
        if (last && !b->failed && o->state == S_SYNCED && !o->relearn) {
            o->installed_gen = MAX(o->installed_gen, b->gen);
            long long int usec = time_usec() - b->put_usec;
            o->stats.last_install_ms = usec / 1000;
            latency_histogram_record(&o->install_latency, usec);
        }
        free(b);
        if (last) {
            break;
        }
    }
    if (ovs_list_is_empty(&o->barriers) && o->state == S_SYNCED
        && !o->relearn && !o->need_full) {
        o->installed_gen = MAX(o->installed_gen, o->latest_gen);
    }
}

static void
ofctrl_handle_error(struct ofctrl *o, const struct ofp_header *oh)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    uint32_t xid = ntohl(oh->xid);
    enum ofperr error = ofperr_decode_msg(oh, NULL);

    COVERAGE_INC(ofctrl_error);
    if (xid == o->tlv_mod_xid) {
        VLOG_INFO("%s: the switch refused the Geneve option mapping (%s); "
                  "asking again", o->bridge, ofperr_get_name(error));
        return;
    }
    if (xid == o->meters_xid) {
        /* No meters on this switch. */
        o->meters_xid = 0;
        ofctrl_finish_learning(o);
        return;
    }
    if (xid == o->flows_xid || xid == o->groups_xid) {
        VLOG_WARN_RL(&rl, "%s: dump failed (%s)", o->bridge,
                     ofperr_to_string(error));
        o->flows_xid = xid == o->flows_xid ? 0 : o->flows_xid;
        o->groups_xid = xid == o->groups_xid ? 0 : o->groups_xid;
        ofctrl_finish_learning(o);
        return;
    }
    if (ofctrl_sync_reject(&o->sync, xid, error)) {
        struct ofctrl_barrier *b;

        o->stats.n_rejected++;
        LIST_FOR_EACH (b, node, &o->barriers) {
            b->failed = true;
        }
        /* Learn what the switch really has, then send the rest. */
        o->relearn = true;
        return;
    }
    if (error == OFPERR_OFPBFC_MSG_FAILED) {
        /* The commit of a bundle whose failed message was named above. */
        return;
    }
    char *s = ofp_to_string(oh, ntohs(oh->length), NULL, NULL, 1);
    VLOG_WARN_RL(&rl, "%s: OpenFlow error: %s", o->bridge, s);
    free(s);
}

static void
ofctrl_handle_msg(struct ofctrl *o, const struct ofp_header *oh)
{
    enum ofptype type;

    if (ofptype_decode(&type, oh)) {
        return;
    }
    uint32_t xid = ntohl(oh->xid);
    if (type == OFPTYPE_ECHO_REQUEST) {
        ofctrl_send(o, ofputil_encode_echo_reply(oh));
    } else if (type == OFPTYPE_NXT_TLV_TABLE_REPLY) {
        if (xid == o->tlv_xid && o->state == S_TLV_REQUESTED) {
            ofctrl_handle_tlv_reply(o, oh);
        }
    } else if (type == OFPTYPE_FLOW_STATS_REPLY) {
        if (o->flows_xid && xid == o->flows_xid) {
            ofctrl_handle_flow_stats(o, oh);
        }
    } else if (type == OFPTYPE_GROUP_STATS_REPLY) {
        if (o->groups_xid && xid == o->groups_xid) {
            ofctrl_handle_group_stats(o, oh);
        }
    } else if (type == OFPTYPE_METER_CONFIG_STATS_REPLY) {
        if (o->meters_xid && xid == o->meters_xid) {
            ofctrl_handle_meter_config(o, oh);
        }
    } else if (type == OFPTYPE_BARRIER_REPLY) {
        ofctrl_handle_barrier(o, xid);
    } else if (type == OFPTYPE_ERROR) {
        ofctrl_handle_error(o, oh);
    } else if (type == OFPTYPE_FLOW_MONITOR_STATS_REPLY) {
        ofctrl_handle_monitor(o, oh);
    } else if (type == OFPTYPE_FLOW_MONITOR_RESUMED
               || type == OFPTYPE_FLOW_MONITOR_CANCEL) {
        ofctrl_foreign_change(o, "the flow monitor lost changes");
    } else if (type == OFPTYPE_REQUESTFORWARD) {
        ofctrl_foreign_change(o, "another client changed a group or meter");
    }
}

void
ofctrl_run(struct ofctrl *o)
{
    if (!o->bridge) {
        return;
    }
    rconn_run(o->rconn);

    unsigned int seqno = rconn_get_connection_seqno(o->rconn);
    if (seqno != o->conn_seqno) {
        o->conn_seqno = seqno;
        ofctrl_reset(o);
        if (rconn_is_connected(o->rconn)) {
            ofctrl_on_connect(o);
        } else {
            VLOG_INFO("%s: disconnected", o->bridge);
        }
    }

    for (int i = 0; i < OFCTRL_MAX_RECV; i++) {
        struct ofpbuf *msg = rconn_recv(o->rconn);

        if (!msg) {
            break;
        }
        ofctrl_handle_msg(o, msg->data);
        ofpbuf_delete(msg);
    }

    if (o->state == S_TLV_BLOCKED && time_msec() >= o->tlv_retry_ms) {
        o->tlv_attempts = 0;
        ofctrl_request_tlv_table(o);
    }
    if (o->state == S_SYNCED && o->relearn) {
        ofctrl_start_learning(o);
    }
}

static long long int
ofctrl_first_sync_deadline(const struct ofctrl *o)
{
    return o->first_conn_ms + o->wait_before_clear_ms;
}

void
ofctrl_wait(const struct ofctrl *o)
{
    if (!o->bridge) {
        return;
    }
    rconn_run_wait(o->rconn);
    rconn_recv_wait(o->rconn);
    if (o->state == S_TLV_BLOCKED) {
        poll_timer_wait_until(o->tlv_retry_ms);
    }
    if (o->state == S_SYNCED) {
        if (o->relearn || (o->first_sync_done
                           && (o->need_full
                               || ofctrl_sync_has_suspects(&o->sync)))) {
            poll_immediate_wake();
        } else if (!o->first_sync_done
                   && time_msec() < ofctrl_first_sync_deadline(o)) {
            poll_timer_wait_until(ofctrl_first_sync_deadline(o));
        }
    }
}

/* Installing. */

static void
ofctrl_clear_dirty(struct flow_table *const *tables, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        flow_table_clear_dirty(tables[i]);
    }
}

static void
ofctrl_send_list(struct ofctrl *o, struct ovs_list *msgs)
{
    struct ofpbuf *msg;

    LIST_FOR_EACH_POP (msg, list_node, msgs) {
        ofctrl_send(o, msg);
    }
}

static void
ofctrl_send_bundle_ctrl(struct ofctrl *o, uint16_t type, uint16_t flags)
{
    struct ofputil_bundle_ctrl_msg bc = {
        .bundle_id = o->bundle_id,
        .type = type,
        .flags = flags,
    };

    ofctrl_send(o, ofputil_encode_bundle_ctrl_request(OFCTRL_VERSION, &bc));
}

/* Sends 'batch': meters first, the bundle, meter deletions, a barrier. */
static void
ofctrl_send_batch(struct ofctrl *o, struct ofctrl_batch *batch, uint64_t gen,
                  long long int put_usec)
{
    const uint16_t flags = OFPBF_ATOMIC | OFPBF_ORDERED;

    ofctrl_send_list(o, &batch->pre);
    if (!ovs_list_is_empty(&batch->bundle)) {
        struct ofpbuf *msg;

        o->bundle_id++;
        ofctrl_send_bundle_ctrl(o, OFPBCT_OPEN_REQUEST, flags);
        LIST_FOR_EACH_POP (msg, list_node, &batch->bundle) {
            struct ofputil_bundle_add_msg bam = {
                .bundle_id = o->bundle_id,
                .flags = flags,
                .msg = msg->data,
            };

            ofctrl_send(o, ofputil_encode_bundle_add(OFCTRL_VERSION, &bam));
            ofpbuf_delete(msg);
        }
        ofctrl_send_bundle_ctrl(o, OFPBCT_COMMIT_REQUEST, flags);
        o->stats.n_bundles++;
        COVERAGE_INC(ofctrl_bundle);
    }
    ofctrl_send_list(o, &batch->post);
    o->stats.n_flow_mods += batch->n_flow_mods;

    struct ofctrl_barrier *b = xzalloc(sizeof *b);
    b->xid = ofctrl_send(o, ofputil_encode_barrier_request(OFCTRL_VERSION));
    b->gen = gen;
    b->seq = ofctrl_sync_seal_batch(&o->sync);
    b->put_usec = put_usec;
    ovs_list_push_back(&o->barriers, &b->node);
}

/* True if a put may send now; false if it must leave the switch alone. */
static bool
ofctrl_may_send(const struct ofctrl *o, bool complete)
{
    if (o->state != S_SYNCED || o->relearn
        || !rconn_is_connected(o->rconn)) {
        return false;
    }
    if (!o->first_sync_done) {
        return complete && time_msec() >= ofctrl_first_sync_deadline(o);
    }
    return true;
}

void
ofctrl_put(struct ofctrl *o, struct flow_table *const *tables,
           size_t n_tables, uint64_t gen, bool complete)
{
    long long int start = time_usec();

    if (!ofctrl_may_send(o, complete)) {
        o->need_full = true;
        ofctrl_clear_dirty(tables, n_tables);
        return;
    }

    struct ofctrl_batch batch;
    bool full = o->need_full;

    ofctrl_batch_init(&batch);
    ofctrl_sync_compute(&o->sync, tables, n_tables, full, &batch);
    ofctrl_clear_dirty(tables, n_tables);
    o->need_full = false;
    if (!o->first_sync_done) {
        VLOG_INFO("%s: first synchronization: %"PRIuSIZE" flow mods",
                  o->bridge, batch.n_flow_mods);
        o->first_sync_done = true;
    }
    o->repairing = false;
    o->latest_gen = gen;

    if (ofctrl_batch_is_empty(&batch)) {
        if (ovs_list_is_empty(&o->barriers)) {
            o->installed_gen = MAX(o->installed_gen, gen);
        }
        return;
    }
    ofctrl_send_batch(o, &batch, gen, start);
    ofctrl_batch_destroy(&batch);
}

/* Figures. */

void
ofctrl_get_stats(const struct ofctrl *o, struct ofctrl_stats *stats)
{
    *stats = o->stats;
    stats->n_flows = hmap_count(&o->sync.flows);
    stats->n_groups = hmap_count(&o->sync.groups);
    stats->n_meters = hmap_count(&o->sync.meters);
    stats->n_rejected = o->sync.n_rejected;
    stats->connected = rconn_is_connected(o->rconn);
}

const struct latency_histogram *
ofctrl_get_install_latency(const struct ofctrl *o)
{
    return &o->install_latency;
}

void
ofctrl_count_flows(const struct ofctrl *o, uint64_t installed[256],
                   uint64_t pending[256])
{
    memset(installed, 0, 256 * sizeof *installed);
    memset(pending, 0, 256 * sizeof *pending);
    ofctrl_sync_count_flows(&o->sync, installed, pending);
}

void
ofctrl_get_memory_usage(const struct ofctrl *o, struct simap *usage)
{
    struct ofctrl_stats s;

    ofctrl_get_stats(o, &s);
    simap_increase(usage, "ofctrl-installed-flows", s.n_flows);
    simap_increase(usage, "ofctrl-installed-groups", s.n_groups);
    simap_increase(usage, "ofctrl-installed-meters", s.n_meters);
    simap_increase(usage, "ofctrl-rejected", hmap_count(&o->sync.rejected));
    simap_increase(usage, "ofctrl-messages-in-flight",
                   hmap_count(&o->sync.pending));
}

/* Commands. */

static void
ofctrl_cmd_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                const char *argv[] OVS_UNUSED, void *o_)
{
    struct ofctrl *o = o_;
    struct ofctrl_stats s;
    struct ds out = DS_EMPTY_INITIALIZER;

    ofctrl_get_stats(o, &s);
    ds_put_format(&out, "bridge: %s\n", o->bridge ? o->bridge : "(none)");
    ds_put_format(&out, "connection: %s\n",
                  rconn_is_connected(o->rconn) ? "connected"
                  : rconn_get_state(o->rconn));
    ds_put_format(&out, "state: %s\n", ofctrl_state_name(o->state));
    ds_put_format(&out, "geneve field: %s\n",
                  o->geneve_field == MFF_N_IDS ? "unknown"
                  : mf_from_id(o->geneve_field)->name);
    ds_put_format(&out, "installed generation: %"PRIu64"\n",
                  o->installed_gen);
    ds_put_format(&out, "flows: %"PRIu64"\n", s.n_flows);
    ds_put_format(&out, "groups: %"PRIu64"\n", s.n_groups);
    ds_put_format(&out, "meters: %"PRIu64"\n", s.n_meters);
    ds_put_format(&out, "bundles: %"PRIu64"\n", s.n_bundles);
    ds_put_format(&out, "flow mods: %"PRIu64"\n", s.n_flow_mods);
    ds_put_format(&out, "repairs: %"PRIu64"\n", s.n_repairs);
    ds_put_format(&out, "rejected: %"PRIu64"\n", s.n_rejected);
    ds_put_format(&out, "connections: %"PRIu64"\n", s.n_connections);
    ds_put_format(&out, "last install: %lld ms\n", s.last_install_ms);
    unixctl_command_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
}

static void
ofctrl_cmd_dump_installed(struct unixctl_conn *conn, int argc,
                          const char *argv[], void *o_)
{
    struct ofctrl *o = o_;
    struct ds out = DS_EMPTY_INITIALIZER;
    int table_id = -1;

    if (argc > 1) {
        if (!str_to_int(argv[1], 10, &table_id)
            || table_id < 0 || table_id > 254) {
            unixctl_command_reply_error(conn, "bad table number");
            return;
        }
    }
    ofctrl_sync_format_flows(&o->sync, table_id, &out);
    unixctl_command_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
}

static void
ofctrl_cmd_groups(struct unixctl_conn *conn, int argc OVS_UNUSED,
                  const char *argv[] OVS_UNUSED, void *o_)
{
    struct ofctrl *o = o_;
    struct ds out = DS_EMPTY_INITIALIZER;

    ofctrl_sync_format_groups(&o->sync, &out);
    unixctl_command_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
}

static void
ofctrl_cmd_meters(struct unixctl_conn *conn, int argc OVS_UNUSED,
                  const char *argv[] OVS_UNUSED, void *o_)
{
    struct ofctrl *o = o_;
    struct ds out = DS_EMPTY_INITIALIZER;

    ofctrl_sync_format_meters(&o->sync, &out);
    unixctl_command_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
}

static void
ofctrl_register_commands(struct ofctrl *o)
{
    unixctl_command_register("ofctrl/show", "", 0, 0, ofctrl_cmd_show, o);
    unixctl_command_register("ofctrl/dump-installed", "[TABLE]", 0, 1,
                             ofctrl_cmd_dump_installed, o);
    unixctl_command_register("group-table-list", "", 0, 0,
                             ofctrl_cmd_groups, o);
    unixctl_command_register("meter-table-list", "", 0, 0,
                             ofctrl_cmd_meters, o);
}
