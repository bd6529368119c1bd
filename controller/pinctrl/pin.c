/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* The core of packet-in handling: a packet-in as handlers see it, the
 * dispatch on the controller-op opcode, and the encoding of what handlers
 * ask for into packet-outs and resumes.  See pin.h. */

#include <config.h>
#include "controller/pinctrl/pin.h"

#include <stdarg.h>
#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-packet.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(pinctrl);
COVERAGE_DEFINE(pinctrl_bad_packet);
COVERAGE_DEFINE(pinctrl_packet_out);
COVERAGE_DEFINE(pinctrl_resume);

/* Room before the packet for headers a handler pushes (VLAN, IPv6). */
#define PIN_HEADROOM 128

void
pin_parse(struct dp_packet *packet, struct flow *flow)
{
    struct flow scratch;
    pkt_metadata_init(&packet->md, 0);
    flow_extract(packet, flow ? flow : &scratch);
}

/* Copies the pipeline metadata of 'md' into 'flow'. */
static void
pin_load_metadata(struct flow *flow, const struct match *md)
{
    flow->metadata = md->flow.metadata;
    memcpy(flow->regs, md->flow.regs, sizeof flow->regs);
    flow->in_port = md->flow.in_port;
    flow->pkt_mark = md->flow.pkt_mark;
    flow->tunnel = md->flow.tunnel;
    flow->ct_state = md->flow.ct_state;
    flow->ct_zone = md->flow.ct_zone;
    flow->ct_mark = md->flow.ct_mark;
    flow->ct_label = md->flow.ct_label;
}

bool
pin_init(struct pin *pin, const void *data, size_t len,
         const struct match *md, uint8_t table_id, bool paused,
         const struct ctlop_msg *msg, const struct pinctrl_snapshot *snap,
         struct pinctrl_writes *writes, struct pin_stats *stats)
{
    memset(pin, 0, sizeof *pin);
    ovs_list_init(&pin->outs);
    if (len < ETH_HEADER_LEN) {
        return false;
    }
    pin->msg = msg;
    pin->packet = dp_packet_clone_data_with_headroom(data, len,
                                                     PIN_HEADROOM);
    pin_parse(pin->packet, &pin->flow);
    pin->md = *md;
    pin_load_metadata(&pin->flow, md);
    pin->table_id = table_id;
    pin->paused = paused;
    pin->snap = snap;
    pin->writes = writes;
    pin->stats = stats;
    return true;
}

void
pin_uninit(struct pin *pin)
{
    struct pin_out *out;
    LIST_FOR_EACH_POP (out, node, &pin->outs) {
        pin_out_destroy(out);
    }
    dp_packet_delete(pin->packet);
    pin->packet = NULL;
    free(pin->reject_reason);
    pin->reject_reason = NULL;
}

void
pin_reject(struct pin *pin, const char *format, ...)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    va_list args;

    va_start(args, format);
    char *reason = xvasprintf(format, args);
    va_end(args);

    COVERAGE_INC(pinctrl_bad_packet);
    if (pin->stats) {
        pin->stats->rejected++;
    }
    VLOG_WARN_RL(&rl, "%s: dropped a packet-in: %s",
                 ctlop_opcode_name(pin->msg->opcode), reason);
    free(pin->reject_reason);
    pin->reject_reason = reason;
    pin->rejected = true;
    pin->resume = false;
}

void
pin_output(struct pin *pin, struct dp_packet *packet,
           const struct ofpact *ofpacts, size_t len)
{
    pin_output_md(pin, packet, ofpacts, len, NULL);
}

void
pin_output_md(struct pin *pin, struct dp_packet *packet,
              const struct ofpact *ofpacts, size_t len,
              const struct match *md)
{
    struct pin_out *out = pin_out_create(packet, ofpacts, len, md);
    ovs_list_push_back(&pin->outs, &out->node);
}

struct pin_out *
pin_out_create(struct dp_packet *packet, const struct ofpact *ofpacts,
               size_t len, const struct match *md)
{
    struct pin_out *out = xmalloc(sizeof *out);
    out->md = md ? xmemdup(md, sizeof *md) : NULL;
    out->packet = packet;
    pin_parse(packet, NULL);
    ofpbuf_init(&out->ofpacts, len);
    ofpbuf_put(&out->ofpacts, ofpacts, len);
    return out;
}

void
pin_out_destroy(struct pin_out *out)
{
    if (out) {
        dp_packet_delete(out->packet);
        ofpbuf_uninit(&out->ofpacts);
        free(out->md);
        free(out);
    }
}

bool
pin_nested_actions(struct pin *pin, struct ofpbuf *ofpacts)
{
    const struct ctlop_arg *arg = ctlop_msg_find(pin->msg,
                                                 CTLOP_TAG_ACTIONS, 0);
    if (!arg) {
        return true;            /* No nested actions: nothing to run. */
    }
    char *error = ctlop_arg_decode_actions(arg, ofpacts);
    if (error) {
        pin_reject(pin, "%s", error);
        free(error);
        return false;
    }
    return true;
}

void
pin_resume(struct pin *pin)
{
    if (pin->paused && !pin->rejected) {
        pin->resume = true;
    }
}

bool
pin_set_result(struct pin *pin, uint64_t value)
{
    const struct ctlop_arg *arg = ctlop_msg_find(pin->msg,
                                                 CTLOP_TAG_RESULT, 0);
    struct mf_subfield sf;

    if (!ctlop_arg_get_subfield(arg, &sf) || sf.n_bits > 64) {
        return false;
    }
    union mf_subvalue sv;
    memset(&sv, 0, sizeof sv);
    sv.integer = htonll(value);
    mf_write_subfield(&sf, &sv, &pin->md);
    mf_write_subfield_flow(&sf, &sv, &pin->flow);
    return true;
}

bool
pin_get_field(const struct pin *pin, size_t nth, union mf_subvalue *value,
              int *n_bits)
{
    const struct ctlop_arg *arg = ctlop_msg_find(pin->msg, CTLOP_TAG_FIELD,
                                                 nth);
    struct mf_subfield sf;

    if (!ctlop_arg_get_subfield(arg, &sf)) {
        return false;
    }
    mf_read_subfield(&sf, &pin->flow, value);
    *n_bits = sf.n_bits;
    return true;
}

/* Dispatch. */

typedef void pin_handler_func(struct pin *);

static pin_handler_func *
pin_handler(enum ctlop_opcode op)
{
    switch (op) {
    case CTLOP_ARP: return pinctrl_handle_arp;
    case CTLOP_ND_NS: return pinctrl_handle_nd_ns;
    case CTLOP_ND_NA: return pinctrl_handle_nd_na;
    case CTLOP_ND_NA_ROUTER: return pinctrl_handle_nd_na;
    case CTLOP_PUT_ARP: return pinctrl_handle_put_arp;
    case CTLOP_PUT_ND: return pinctrl_handle_put_nd;
    case CTLOP_PUT_FDB: return pinctrl_handle_put_fdb;
    case CTLOP_ICMP4: return pinctrl_handle_icmp;
    case CTLOP_ICMP4_ERROR: return pinctrl_handle_icmp;
    case CTLOP_ICMP6: return pinctrl_handle_icmp;
    case CTLOP_ICMP6_ERROR: return pinctrl_handle_icmp;
    case CTLOP_TCP_RESET: return pinctrl_handle_tcp_reset;
    case CTLOP_SCTP_ABORT: return pinctrl_handle_sctp_abort;
    case CTLOP_REJECT: return pinctrl_handle_reject;
    case CTLOP_PUT_DHCP_OPTS: return pinctrl_handle_put_dhcp_opts;
    case CTLOP_PUT_DHCPV6_OPTS: return pinctrl_handle_put_dhcpv6_opts;
    case CTLOP_DNS_LOOKUP: return pinctrl_handle_dns_lookup;
    case CTLOP_PUT_ND_RA_OPTS: return pinctrl_handle_put_nd_ra_opts;
    case CTLOP_LOG: return pinctrl_handle_log;
    case CTLOP_TRIGGER_EVENT: return pinctrl_handle_event;
    case CTLOP_BIND_VPORT: return pinctrl_handle_bind_vport;
    case CTLOP_HANDLE_SVC_CHECK: return pinctrl_handle_svc_check;
    case CTLOP_HANDLE_DHCPV6_REPLY: return pinctrl_handle_dhcpv6_reply;
    case CTLOP_IGMP: return pinctrl_handle_igmp;
    case CTLOP_MLD: return pinctrl_handle_igmp;
    case CTLOP_ICMP4_FRAG_MTU: return pinctrl_handle_frag_mtu;
    case CTLOP_ICMP6_FRAG_MTU: return pinctrl_handle_frag_mtu;
    case CTLOP_N_OPCODES:
    default:
        return NULL;
    }
}

void
pin_dispatch(struct pin *pin)
{
    pin_handler_func *handler = pin_handler(pin->msg->opcode);

    if (pin->stats) {
        pin->stats->received++;
    }
    if (handler) {
        handler(pin);
    } else {
        pin_reject(pin, "no handler");
    }
    if (pin->paused && !pin->resume) {
        /* A paused packet always goes on: a rejected one with its result
         * bit still 0, as the logical flows expect for a failure. */
        pin->resume = true;
    }
}

/* Encoding. */

/* Appends to 'ofpacts' the actions that give a packet-out the pipeline
 * metadata of 'md': the logical datapath and the registers. */
static void
put_metadata_actions(const struct match *md, struct ofpbuf *ofpacts)
{
    union mf_value v;

    if (md->flow.metadata) {
        memset(&v, 0, sizeof v);
        v.be64 = md->flow.metadata;
        ofpact_put_set_field(ofpacts, mf_from_id(MFF_METADATA), &v, NULL);
    }
    for (int i = 0; i < FLOW_N_REGS; i++) {
        if (md->flow.regs[i]) {
            memset(&v, 0, sizeof v);
            v.be32 = htonl(md->flow.regs[i]);
            ofpact_put_set_field(ofpacts, mf_from_id(MFF_REG0 + i), &v,
                                 NULL);
        }
    }
    if (md->flow.pkt_mark) {
        memset(&v, 0, sizeof v);
        v.be32 = htonl(md->flow.pkt_mark);
        ofpact_put_set_field(ofpacts, mf_from_id(MFF_PKT_MARK), &v, NULL);
    }
}

static struct ofpbuf *
encode_packet_out(const struct match *md, const struct pin_out *out,
                  enum ofputil_protocol proto)
{
    struct ofpbuf ofpacts;
    ofpbuf_init(&ofpacts, 128 + out->ofpacts.size);
    put_metadata_actions(md, &ofpacts);
    ofpbuf_put(&ofpacts, out->ofpacts.data, out->ofpacts.size);

    struct ofputil_packet_out po = {
        .packet = dp_packet_data(out->packet),
        .packet_len = dp_packet_size(out->packet),
        .buffer_id = UINT32_MAX,
        .ofpacts = ofpacts.data,
        .ofpacts_len = ofpacts.size,
    };
    match_init_catchall(&po.flow_metadata);
    match_set_in_port(&po.flow_metadata, OFPP_CONTROLLER);
    struct ofpbuf *msg = ofputil_encode_packet_out(&po, proto);
    ofpbuf_uninit(&ofpacts);
    COVERAGE_INC(pinctrl_packet_out);
    return msg;
}

struct ofpbuf *
pin_out_encode(const struct pin_out *out, enum ofputil_protocol proto)
{
    ovs_assert(out->md);
    return encode_packet_out(out->md, out, proto);
}

size_t
pin_encode(struct pin *pin, const struct ofpbuf *continuation,
           ovs_be64 cookie, enum ofputil_protocol proto,
           struct ovs_list *msgs)
{
    size_t n = 0;

    if (!pin->rejected) {
        const struct pin_out *out;
        LIST_FOR_EACH (out, node, &pin->outs) {
            struct ofpbuf *msg = encode_packet_out(
                out->md ? out->md : &pin->md, out, proto);
            ovs_list_push_back(msgs, &msg->list_node);
            n++;
        }
    }
    if (pin->paused && pin->resume && continuation) {
        struct ofputil_packet_in resume = {
            .packet = dp_packet_data(pin->packet),
            .packet_len = dp_packet_size(pin->packet),
            .flow_metadata = pin->md,
            .reason = OFPR_ACTION,
            .table_id = pin->table_id,
            .cookie = cookie,
        };
        struct ofpbuf *msg = ofputil_encode_resume(&resume, continuation,
                                                   proto);
        ovs_list_push_back(msgs, &msg->list_node);
        COVERAGE_INC(pinctrl_resume);
        n++;
    }
    if (pin->stats) {
        pin->stats->sent += n;
    }
    return n;
}
