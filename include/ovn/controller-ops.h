/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Controller operations: what a logical flow asks of ovn-controller.
 *
 * Actions the switch cannot perform itself (composing ARP, ND, ICMP and
 * DHCP packets, learning MAC bindings, logging, raising events, ...) become
 * an OpenFlow "controller" action whose userdata names the operation and
 * carries its arguments.  This header declares that userdata format; the
 * encoder is lib/actions*.c, the decoder lib/controller-ops.c, and the
 * handlers live in controller/pinctrl/.
 *
 * Userdata layout (all integers big-endian):
 *
 *     be16 version        CTLOP_VERSION
 *     be16 opcode         enum ctlop_opcode
 *     then zero or more arguments, each:
 *         be16 tag        enum ctlop_tag
 *         be16 length     of the value, in bytes (not counting padding)
 *         value           'length' bytes, zero-padded to a multiple of 4
 *
 * Argument values by tag:
 *
 *     CTLOP_TAG_ACTIONS   OpenFlow 1.5 actions (nested actions of arp { },
 *                         icmp4 { }, ... to run on the composed packet).
 *     CTLOP_TAG_RESULT    be32 mf_field id, be16 ofs, be16 n_bits: the
 *                         subfield that receives a 1-bit (or wider)
 *                         result; the handler writes it in the paused
 *                         packet's continuation.
 *     CTLOP_TAG_FIELD     as RESULT: a field argument, read from the
 *                         packet-in's metadata or packet headers.  Field
 *                         arguments appear in the order written.
 *     CTLOP_TAG_U32       be32 integer (severity, verdict, queue, ...).
 *     CTLOP_TAG_STRING    UTF-8 text without terminator (names).
 *     CTLOP_TAG_OPTION    be16 option code, then the option's value as the
 *                         protocol carries it (DHCPv4, DHCPv6, ND RA).
 *     CTLOP_TAG_PAIR      "key=value" text (event and option pairs).
 */

#ifndef OVN_CONTROLLER_OPS_H
#define OVN_CONTROLLER_OPS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/compiler.h"
#include "openvswitch/meta-flow.h"

struct ds;
struct ofpact;
struct ofpbuf;

#define CTLOP_VERSION 1

/* Operations: enumerator suffix, printed name. */
#define CTLOP_OPCODES(OP)                                   \
    OP(ARP, "arp")                                          \
    OP(ND_NS, "nd_ns")                                      \
    OP(ND_NA, "nd_na")                                      \
    OP(ND_NA_ROUTER, "nd_na_router")                        \
    OP(PUT_ARP, "put_arp")                                  \
    OP(PUT_ND, "put_nd")                                    \
    OP(PUT_FDB, "put_fdb")                                  \
    OP(ICMP4, "icmp4")                                      \
    OP(ICMP4_ERROR, "icmp4_error")                          \
    OP(ICMP6, "icmp6")                                      \
    OP(ICMP6_ERROR, "icmp6_error")                          \
    OP(TCP_RESET, "tcp_reset")                              \
    OP(SCTP_ABORT, "sctp_abort")                            \
    OP(REJECT, "reject")                                    \
    OP(PUT_DHCP_OPTS, "put_dhcp_opts")                      \
    OP(PUT_DHCPV6_OPTS, "put_dhcpv6_opts")                  \
    OP(DNS_LOOKUP, "dns_lookup")                            \
    OP(PUT_ND_RA_OPTS, "put_nd_ra_opts")                    \
    OP(LOG, "log")                                          \
    OP(TRIGGER_EVENT, "trigger_event")                      \
    OP(BIND_VPORT, "bind_vport")                            \
    OP(HANDLE_SVC_CHECK, "handle_svc_check")                \
    OP(HANDLE_DHCPV6_REPLY, "handle_dhcpv6_reply")          \
    OP(IGMP, "igmp")                                        \
    OP(MLD, "mld")                                          \
    OP(ICMP4_FRAG_MTU, "icmp4.frag_mtu")                    \
    OP(ICMP6_FRAG_MTU, "icmp6.frag_mtu")

enum ctlop_opcode {
#define OP(ENUM, NAME) CTLOP_##ENUM,
    CTLOP_OPCODES(OP)
#undef OP
    CTLOP_N_OPCODES
};

const char *ctlop_opcode_name(enum ctlop_opcode);
bool ctlop_opcode_from_name(const char *, enum ctlop_opcode *);

/* Argument tags. */
#define CTLOP_TAGS(TAG)                         \
    TAG(ACTIONS, "actions")                     \
    TAG(RESULT, "result")                       \
    TAG(FIELD, "field")                         \
    TAG(U32, "u32")                             \
    TAG(STRING, "string")                       \
    TAG(OPTION, "option")                       \
    TAG(PAIR, "pair")

enum ctlop_tag {
#define TAG(ENUM, NAME) CTLOP_TAG_##ENUM,
    CTLOP_TAGS(TAG)
#undef TAG
    CTLOP_N_TAGS
};

const char *ctlop_tag_name(enum ctlop_tag);

/* Controller meters.  A controller action without a meter of its own (the
 * logical flow's controller_meter, or log(meter=...)) can be metered per
 * operation, with meter ctlop_meter_id(opcode), when the encoder is asked
 * to (struct lact_encode_ctx 'ctlop_meters'); the daemon declares those
 * meters with the rates its configuration gives
 * (controller/en-pinctrl-meters.h).  Their ids are above any that the id
 * tables of logical flows hand out. */
#define CTLOP_METER_ID_BASE 0xfffe0000u

static inline uint32_t
ctlop_meter_id(enum ctlop_opcode opcode)
{
    return CTLOP_METER_ID_BASE + opcode;
}

/* Per-port controller meters.  A controller action that pauses (DHCP, DNS
 * and RA options) and would be metered by its operation's meter, in a
 * logical flow whose match names a single logical inport (the DHCP
 * options flows of ovn-northd do), gets a meter of its own for that
 * (operation, port) instead, so that a flood from one VIF exhausts only
 * its own budget.  The compiler takes its id from the logical flows' meter
 * id table under the description CTLOP_PORT_METER_PREFIX "OP:PORT" (OP
 * the operation's name, PORT the logical port's); the daemon declares
 * it at the operation's rate (controller/en-pinctrl-meters.h). */
#define CTLOP_PORT_METER_PREFIX "pinctrl:"

/* Upper bounds the decoder enforces. */
#define CTLOP_MAX_ARGS 256
#define CTLOP_MAX_VALUE 65535

/* Encoding, into a list of ofpacts.
 *
 * ctlop_start() appends a controller action (pausing the packet if
 * 'pause', metered by 'meter_id' or NX_CTLR_NO_METER) and returns a handle
 * for ctlop_put_*() and ctlop_finish(); no other ofpact may be appended to
 * 'ofpacts' in between. */
size_t ctlop_start(struct ofpbuf *ofpacts, enum ctlop_opcode, bool pause,
                   uint32_t meter_id);
void ctlop_put_u32(struct ofpbuf *ofpacts, uint32_t);
void ctlop_put_string(struct ofpbuf *ofpacts, enum ctlop_tag, const char *);
void ctlop_put_subfield(struct ofpbuf *ofpacts, enum ctlop_tag,
                        const struct mf_subfield *);
void ctlop_put_option(struct ofpbuf *ofpacts, uint16_t code,
                      const void *value, size_t len);
void ctlop_put_actions(struct ofpbuf *ofpacts,
                       const struct ofpact *nested, size_t nested_len);
void ctlop_put_raw(struct ofpbuf *ofpacts, enum ctlop_tag,
                   const void *value, size_t len);
void ctlop_finish(struct ofpbuf *ofpacts, size_t handle);

/* Decoding. */

/* One decoded argument.  'value' points into the userdata passed to
 * ctlop_decode(), which must outlive the message. */
struct ctlop_arg {
    enum ctlop_tag tag;
    const uint8_t *value;
    size_t len;
};

/* A decoded operation. */
struct ctlop_msg {
    enum ctlop_opcode opcode;
    struct ctlop_arg *args;     /* Malloc'd array. */
    size_t n_args;
};

char *ctlop_decode(const void *userdata, size_t len, struct ctlop_msg *)
    OVS_WARN_UNUSED_RESULT;
void ctlop_msg_destroy(struct ctlop_msg *);
void ctlop_msg_format(const struct ctlop_msg *, struct ds *);

const struct ctlop_arg *ctlop_msg_find(const struct ctlop_msg *,
                                       enum ctlop_tag, size_t nth);
bool ctlop_arg_get_u32(const struct ctlop_arg *, uint32_t *);
bool ctlop_arg_get_subfield(const struct ctlop_arg *, struct mf_subfield *);
char *ctlop_arg_get_string(const struct ctlop_arg *);
char *ctlop_arg_decode_actions(const struct ctlop_arg *,
                               struct ofpbuf *ofpacts)
    OVS_WARN_UNUSED_RESULT;

#endif /* controller-ops.h */
