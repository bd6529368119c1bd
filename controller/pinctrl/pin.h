/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * One packet-in, as the protocol handlers of controller/pinctrl/ see it.
 *
 * The pinctrl thread (pinctrl.c) decodes each NXT_PACKET_IN2 into a
 * 'struct pin': the packet, its parsed headers with the pipeline's
 * metadata (registers, logical datapath and ports), the decoded
 * controller-op userdata (include/ovn/controller-ops.h) and the snapshot
 * of the daemon's state the thread holds.  pin_dispatch() calls the
 * handler of the userdata's opcode.  A handler is a pure function of its
 * 'struct pin': it does no I/O, so a unit driver or a fuzz target can run
 * it alone.  What it wants done it records in the pin:
 *
 *   - packets to send into the pipeline (pin_output()): a packet-out with
 *     the packet-in's metadata restored and the handler's actions (the
 *     nested actions of arp { }, icmp4 { }, ...);
 *   - for a paused packet (a controller action with "pause"), whether to
 *     resume it (pin_resume()), with the packet possibly rewritten and
 *     result bits set in its metadata (pin_set_result());
 *   - rows to write to the SB (pin->writes, see writes.h);
 *   - log lines are written directly (vlog is thread-safe).
 *
 * Bad input: a handler that rejects a packet calls pin_reject(), which
 * counts it (coverage pinctrl_bad_packet and the per-op counter that
 * "pinctrl/show" prints) and logs a rate-limited warning naming the
 * operation and the reason; nothing is sent and nothing is written.  A
 * paused packet that is rejected is resumed with its result bit at 0, so
 * that the pipeline goes on as the logical flows say for a failure.
 */

#ifndef OVNMC_PINCTRL_PIN_H
#define OVNMC_PINCTRL_PIN_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dp-packet.h"
#include "flow.h"
#include "openvswitch/list.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/meta-flow.h"
#include "openvswitch/ofpbuf.h"
#include "ovn/controller-ops.h"
#include "openvswitch/compiler.h"

struct pinctrl_snapshot;
struct pinctrl_held;
struct pinctrl_mcast;
struct pinctrl_svc;
struct pinctrl_pd;
struct pinctrl_writes;

/* A packet the handler sends into the pipeline. */
struct pin_out {
    struct ovs_list node;       /* In 'struct pin' 'outs'. */
    struct dp_packet *packet;   /* Owned. */
    struct ofpbuf ofpacts;      /* Actions after the metadata is restored. */
    struct match *md;           /* Metadata to restore (owned), or NULL
                                 * for the packet-in's. */
};

/* Per-opcode statistics of the thread ("pinctrl/show"). */
struct pin_stats {
    uint64_t received;          /* Packet-ins with this opcode. */
    uint64_t rejected;          /* ...that a handler rejected. */
    uint64_t sent;              /* Packet-outs and resumes sent for it. */
};

/* One packet-in being handled. */
struct pin {
    /* Input. */
    const struct ctlop_msg *msg;    /* Decoded userdata. */
    struct dp_packet *packet;       /* The packet, parsed by flow_extract()
                                     * (l3/l4 offsets set); a handler may
                                     * rewrite it for pin_resume(). */
    struct flow flow;               /* Its headers and the pipeline
                                     * metadata. */
    struct match md;                /* The packet-in's metadata; carried
                                     * back by a resume. */
    uint8_t table_id;               /* Table of the controller action. */
    bool paused;                    /* The switch waits for a resume. */
    const struct pinctrl_snapshot *snap;   /* Never NULL. */
    long long int now;              /* time_msec() (wall clock for SB
                                     * timestamps: time_wall_msec()). */
    long long int wall_now;

    /* Output. */
    struct ovs_list outs;           /* struct pin_out. */
    bool resume;                    /* Resume the paused packet. */
    bool rejected;                  /* pin_reject() was called. */
    struct pinctrl_writes *writes;  /* Where SB writes go (may be NULL in
                                     * unit tests: writes are dropped). */
    struct pin_stats *stats;        /* This opcode's counters, or NULL. */
    struct pinctrl_held *held;      /* Packets waiting for a neighbour
                                     * (held.h), or NULL. */
    struct pinctrl_mcast *mcast;    /* Multicast groups learnt (mcast.h),
                                     * or NULL: reports are only parsed. */
    struct pinctrl_svc *svc;        /* Service probes in flight
                                     * (svc-monitor.h), or NULL. */
    struct pinctrl_pd *pd;          /* DHCPv6 prefix delegation clients
                                     * (dhcp6-pd.h), or NULL: answers are
                                     * only parsed. */
    char *reject_reason;            /* pin_reject()'s reason (owned). */
};

/* Initializes 'pin' from the 'len' bytes of packet at 'data' and the
 * metadata 'md', for opcode message 'msg' and snapshot 'snap'.  Copies the
 * packet.  Returns false (and logs nothing) if the packet is too short to
 * be an Ethernet frame. */
bool pin_init(struct pin *pin, const void *data, size_t len,
              const struct match *md, uint8_t table_id, bool paused,
              const struct ctlop_msg *msg,
              const struct pinctrl_snapshot *snap,
              struct pinctrl_writes *writes, struct pin_stats *stats);

/* Encodes what the handler of 'pin' asked for into OpenFlow messages for
 * protocol 'proto', appended to 'msgs' (struct ofpbuf): the packet-outs,
 * then the resume of a paused packet (with 'continuation', the opaque
 * continuation of its packet-in, and 'cookie').  Returns the number of
 * messages. */
size_t pin_encode(struct pin *pin, const struct ofpbuf *continuation,
                  ovs_be64 cookie, enum ofputil_protocol proto,
                  struct ovs_list *msgs);

/* Frees what 'pin' owns (the packet and the outputs not taken). */
void pin_uninit(struct pin *pin);

/* Calls the handler of 'pin->msg->opcode'.  A paused packet whose handler
 * neither resumed nor rejected it is resumed as is. */
void pin_dispatch(struct pin *pin);

/* Output helpers for handlers. */

/* Queues 'packet' (takes ownership), parsed again, to run 'ofpacts'
 * ('len' bytes; may be 0) with the packet-in's metadata. */
void pin_output(struct pin *pin, struct dp_packet *packet,
                const struct ofpact *ofpacts, size_t len);

/* The same with metadata 'md' (copied) instead of the packet-in's. */
void pin_output_md(struct pin *pin, struct dp_packet *packet,
                   const struct ofpact *ofpacts, size_t len,
                   const struct match *md);

/* Returns a new pin_out for 'packet' (takes ownership) to run 'ofpacts'
 * ('len' bytes) with metadata 'md' (copied; NULL: the packet-in's), for a
 * list of outputs not tied to a packet-in (periodic senders). */
struct pin_out *pin_out_create(struct dp_packet *packet,
                               const struct ofpact *ofpacts, size_t len,
                               const struct match *md);

/* Frees 'out' and what it owns.  NULL-safe. */
void pin_out_destroy(struct pin_out *out);

/* Encodes 'out', whose 'md' must be set, as a packet-out for 'proto'. */
struct ofpbuf *pin_out_encode(const struct pin_out *out,
                              enum ofputil_protocol proto);

/* Decodes the nested actions of the message (its CTLOP_TAG_ACTIONS
 * argument) into 'ofpacts'.  Returns false, after pin_reject(), if they
 * cannot be decoded. */
bool pin_nested_actions(struct pin *pin, struct ofpbuf *ofpacts);

/* Resumes the paused packet with its current contents and metadata. */
void pin_resume(struct pin *pin);

/* Writes 'value' (1 bit or more, low bits used) into the result subfield
 * (the message's CTLOP_TAG_RESULT argument) of the packet's metadata.
 * Returns false if the message has no valid result argument. */
bool pin_set_result(struct pin *pin, uint64_t value);

/* Reads the 'nth' CTLOP_TAG_FIELD argument's value from the packet's
 * headers and metadata into 'value'.  Returns false if there is no such
 * argument or it is invalid. */
bool pin_get_field(const struct pin *pin, size_t nth,
                   union mf_subvalue *value, int *n_bits);

/* Rejects the packet-in: counts it and logs 'reason' (printf format), rate
 * limited, with the opcode's name. */
void pin_reject(struct pin *pin, const char *reason, ...)
    OVS_PRINTF_FORMAT(2, 3);

/* Reparses 'packet' (sets its offsets) into 'flow' (may be NULL). */
void pin_parse(struct dp_packet *packet, struct flow *flow);

/* The handlers, one per opcode or family (arp.c, nd.c, icmp.c, dhcp.c,
 * dhcp6.c, dhcp6-pd.c, dns.c, acl-log.c, event.c, learn.c, ra.c, igmp.c,
 * svc-monitor.c). */
void pinctrl_handle_arp(struct pin *);
void pinctrl_handle_put_arp(struct pin *);
void pinctrl_handle_nd_ns(struct pin *);
void pinctrl_handle_nd_na(struct pin *);
void pinctrl_handle_put_nd(struct pin *);
void pinctrl_handle_put_fdb(struct pin *);
void pinctrl_handle_icmp(struct pin *);
void pinctrl_handle_tcp_reset(struct pin *);
void pinctrl_handle_sctp_abort(struct pin *);
void pinctrl_handle_reject(struct pin *);
void pinctrl_handle_frag_mtu(struct pin *);
void pinctrl_handle_put_dhcp_opts(struct pin *);
void pinctrl_handle_put_dhcpv6_opts(struct pin *);
void pinctrl_handle_dhcpv6_reply(struct pin *);
void pinctrl_handle_dns_lookup(struct pin *);
void pinctrl_handle_put_nd_ra_opts(struct pin *);
void pinctrl_handle_log(struct pin *);
void pinctrl_handle_event(struct pin *);
void pinctrl_handle_bind_vport(struct pin *);
void pinctrl_handle_svc_check(struct pin *);
void pinctrl_handle_igmp(struct pin *);

#endif /* controller/pinctrl/pin.h */
