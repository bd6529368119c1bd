/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Logical flow actions: parse, format and encode into OpenFlow.
 *
 * The language is the "actions" column of the Logical_Flow table
 * (ovn-sb(5)).  lact_parse() turns the text into a list of actions, each
 * an instance of one of the classes declared ONCE in LACT_CLASSES below;
 * the class supplies the parser, formatter, encoder and destructor.
 * lact_list_format() prints a list back in canonical form (parsing the
 * print gives the same list), lact_list_encode() appends the OpenFlow
 * actions (OVS "ofpacts") that implement it.
 *
 * Actions that need ovn-controller encode as a controller action whose
 * userdata is described in include/ovn/controller-ops.h.  Load balancers,
 * select and fwd_group take OpenFlow group ids, log(meter=...) and
 * set_meter take meter ids, from the id tables in the encode context
 * (lib/id-table.h). */

#ifndef OVN_ACTIONS_H
#define OVN_ACTIONS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "expr.h"
#include "lex.h"
#include "openvswitch/compiler.h"
#include "openvswitch/meta-flow.h"

struct ds;
struct id_refs;
struct id_table;
struct ofpbuf;
struct shash;

/* The one list of action classes.
 *
 *   ENUM      enumerator suffix (LACT_ENUM).
 *   KEYWORD   the name an action starts with, or for RESULT syntax the
 *             function name after "R = ".  NULL for the forms without a
 *             keyword (assignments and friends), which the parser
 *             recognizes by their operators.
 *   SYNTAX    STMT: "KEYWORD ...;"; RESULT: "R = KEYWORD(...);";
 *             OPER: no keyword.
 *   FAMILY    prefix of the class's callbacks, FAMILY_parse(),
 *             FAMILY_format(), FAMILY_encode() and FAMILY_destroy(), in
 *             lib/actions*.c; several classes may share a family.
 *   PARAM     an integer the family interprets (an opcode, a table...).
 */
#define LACT_CLASSES(X)                                                   \
    /* Basic (actions.c). */                                              \
    X(OUTPUT,          "output",          STMT,   simple,  0)              \
    X(DROP,            "drop",            STMT,   simple,  0)              \
    X(NEXT,            "next",            STMT,   next,    0)              \
    X(LOAD,            NULL,              OPER,   assign,  0)              \
    X(MOVE,            NULL,              OPER,   assign,  0)              \
    X(EXCHANGE,        NULL,              OPER,   assign,  0)              \
    X(DEC_TTL,         NULL,              OPER,   assign,  0)              \
    X(PUSH,            "push",            STMT,   stack,   0)              \
    X(POP,             "pop",             STMT,   stack,   0)              \
    X(CLONE,           "clone",           STMT,   nested,  0)              \
    X(SET_QUEUE,       "set_queue",       STMT,   misc,    0)              \
    X(CHECK_PKT_LARGER, "check_pkt_larger", RESULT, misc,  0)              \
    X(OVN_FIELD,       NULL,              OPER,   ctlr,    0)              \
    /* Connection tracking (actions-ct.c). */                             \
    X(CT_NEXT,         "ct_next",         STMT,   ct,      0)              \
    X(CT_COMMIT,       "ct_commit",       STMT,   ct,      0)              \
    X(CT_COMMIT_NAT,   "ct_commit_nat",   STMT,   ct,      0)              \
    X(CT_CLEAR,        "ct_clear",        STMT,   ct,      0)              \
    X(CT_DNAT,         "ct_dnat",         STMT,   nat,     0)              \
    X(CT_SNAT,         "ct_snat",         STMT,   nat,     1)              \
    X(CT_DNAT_IN_CZONE, "ct_dnat_in_czone", STMT, nat,     2)              \
    X(CT_SNAT_IN_CZONE, "ct_snat_in_czone", STMT, nat,     3)              \
    X(CT_SNAT_TO_VIP,  "ct_snat_to_vip",  STMT,   ct,      0)              \
    X(CT_LB,           "ct_lb",           STMT,   lb,      0)              \
    X(CT_LB_MARK,      "ct_lb_mark",      STMT,   lb,      1)              \
    /* Controller actions on nested packets (actions-ctlr.c). */          \
    X(ARP,             "arp",             STMT,   nested,  CTLOP_ARP)      \
    X(ND_NS,           "nd_ns",           STMT,   nested,  CTLOP_ND_NS)    \
    X(ND_NA,           "nd_na",           STMT,   nested,  CTLOP_ND_NA)    \
    X(ND_NA_ROUTER,    "nd_na_router",    STMT,   nested,                  \
      CTLOP_ND_NA_ROUTER)                                                 \
    X(ICMP4,           "icmp4",           STMT,   nested,  CTLOP_ICMP4)    \
    X(ICMP4_ERROR,     "icmp4_error",     STMT,   nested,                  \
      CTLOP_ICMP4_ERROR)                                                  \
    X(ICMP6,           "icmp6",           STMT,   nested,  CTLOP_ICMP6)    \
    X(ICMP6_ERROR,     "icmp6_error",     STMT,   nested,                  \
      CTLOP_ICMP6_ERROR)                                                  \
    X(TCP_RESET,       "tcp_reset",       STMT,   nested,                  \
      CTLOP_TCP_RESET)                                                    \
    X(SCTP_ABORT,      "sctp_abort",      STMT,   nested,                  \
      CTLOP_SCTP_ABORT)                                                   \
    X(REJECT,          "reject",          STMT,   nested,  CTLOP_REJECT)   \
    /* Controller actions without nested actions (actions-ctlr.c). */     \
    X(PUT_ARP,         "put_arp",         STMT,   ctlr,    CTLOP_PUT_ARP)  \
    X(PUT_ND,          "put_nd",          STMT,   ctlr,    CTLOP_PUT_ND)   \
    X(PUT_FDB,         "put_fdb",         STMT,   ctlr,    CTLOP_PUT_FDB)  \
    X(BIND_VPORT,      "bind_vport",      STMT,   ctlr,                    \
      CTLOP_BIND_VPORT)                                                   \
    X(HANDLE_SVC_CHECK, "handle_svc_check", STMT, ctlr,                    \
      CTLOP_HANDLE_SVC_CHECK)                                             \
    X(HANDLE_DHCPV6_REPLY, "handle_dhcpv6_reply", STMT, ctlr,              \
      CTLOP_HANDLE_DHCPV6_REPLY)                                          \
    X(IGMP,            "igmp",            STMT,   ctlr,    CTLOP_IGMP)     \
    X(MLD,             "mld",             STMT,   ctlr,    CTLOP_MLD)      \
    X(DNS_LOOKUP,      "dns_lookup",      RESULT, ctlr,                    \
      CTLOP_DNS_LOOKUP)                                                   \
    X(LOG,             "log",             STMT,   log,     CTLOP_LOG)      \
    X(TRIGGER_EVENT,   "trigger_event",   STMT,   event,                   \
      CTLOP_TRIGGER_EVENT)                                                \
    /* Options for DHCP and ND RA (actions-dhcp.c). */                    \
    X(PUT_DHCP_OPTS,   "put_dhcp_opts",   RESULT, dhcp,                    \
      CTLOP_PUT_DHCP_OPTS)                                                \
    X(PUT_DHCPV6_OPTS, "put_dhcpv6_opts", RESULT, dhcp,                    \
      CTLOP_PUT_DHCPV6_OPTS)                                              \
    X(PUT_ND_RA_OPTS,  "put_nd_ra_opts",  RESULT, dhcp,                    \
      CTLOP_PUT_ND_RA_OPTS)                                               \
    /* Lookups in the chassis's own tables (actions-lookup.c). */         \
    X(GET_ARP,         "get_arp",         STMT,   lookup,  0)              \
    X(GET_ND,          "get_nd",          STMT,   lookup,  0)              \
    X(LOOKUP_ARP,      "lookup_arp",      RESULT, lookup,  0)              \
    X(LOOKUP_ARP_IP,   "lookup_arp_ip",   RESULT, lookup,  0)              \
    X(LOOKUP_ND,       "lookup_nd",       RESULT, lookup,  0)              \
    X(LOOKUP_ND_IP,    "lookup_nd_ip",    RESULT, lookup,  0)              \
    X(GET_FDB,         "get_fdb",         RESULT, lookup,  0)              \
    X(LOOKUP_FDB,      "lookup_fdb",      RESULT, lookup,  0)              \
    X(CHK_LB_HAIRPIN,  "chk_lb_hairpin",  RESULT, lookup,  0)              \
    X(CHK_LB_HAIRPIN_REPLY, "chk_lb_hairpin_reply", RESULT, lookup, 0)     \
    X(CHK_IN_PORT_SEC, "check_in_port_sec", RESULT, lookup, 0)             \
    X(CHK_OUT_PORT_SEC, "check_out_port_sec", RESULT, lookup, 0)           \
    X(CHK_ECMP_NH_MAC, "chk_ecmp_nh_mac", RESULT, lookup,  0)              \
    X(CHK_ECMP_NH,     "chk_ecmp_nh",     RESULT, lookup,  0)              \
    X(CHK_LB_AFF,      "chk_lb_aff",      RESULT, lookup,  0)              \
    /* Groups, meters, learning (actions-lb.c). */                        \
    X(SELECT,          "select",          RESULT, select,  0)              \
    X(FWD_GROUP,       "fwd_group",       STMT,   fwdgrp,  0)              \
    X(SET_METER,       "set_meter",       STMT,   meter,   0)              \
    X(COMMIT_ECMP_NH,  "commit_ecmp_nh",  STMT,   learn,   0)              \
    X(COMMIT_LB_AFF,   "commit_lb_aff",   STMT,   learn,   1)              \
    X(SAMPLE,          "sample",          STMT,   sample,  0)

/* Includes the opcodes PARAM refers to. */
#include "ovn/controller-ops.h"

enum lact_type {
#define X(ENUM, KEYWORD, SYNTAX, FAMILY, PARAM) LACT_##ENUM,
    LACT_CLASSES(X)
#undef X
    LACT_N_TYPES
};

const char *lact_type_name(enum lact_type);

/* A field or subfield as written: 'symbol' (a field or subfield symbol),
 * optionally subscripted [ofs] or [ofs..ofs + n_bits - 1]. */
struct lact_field {
    const struct expr_symbol *symbol;
    int ofs;                    /* Bit offset within 'symbol'. */
    int n_bits;                 /* Width; whole symbol if !subscripted. */
    bool subscripted;
};

/* A constant as written: a string, or an integer with optional mask. */
struct lact_const {
    char *string;               /* Non-null for a string (owned). */
    union mf_subvalue value;
    union mf_subvalue mask;
    bool masked;
    enum lex_format format;
};

struct lact_list {
    struct lact *acts;
    size_t n, allocated;
};

#define LACT_LIST_INITIALIZER { NULL, 0, 0 }

/* One action.  Which members are used depends on the class; all are zero
 * when unused, and the class's destructor frees 'ext'. */
struct lact {
    enum lact_type type;
    struct lact_field dst;      /* Assignment target, result R, push/pop. */
    struct lact_field src;      /* Source of a move or exchange. */
    struct lact_const value;    /* Constant of an assignment. */
    struct lact_field *args;    /* Field arguments of f(P, A, ...). */
    size_t n_args;
    struct lact_list *nested;   /* { ... } of nested actions. */
    int64_t ints[4];            /* Small parameters, meaning per class. */
    char *text;                 /* A string parameter (owned). */
    void *ext;                  /* Class-specific data (owned). */
};

/* DHCPv4, DHCPv6 and ND RA option definitions, as in the SB DHCP_Options
 * and DHCPv6_Options tables.  'type' is one of "bool", "uint8", "uint16",
 * "uint32", "ipv4", "static_routes", "str", "host_id", "domains" (DHCPv4),
 * "ipv6", "str", "mac", "domain" (DHCPv6). */
struct lact_opt_def {
    char *name;
    int code;
    char *type;
};

void lact_opt_defs_add(struct shash *defs, const char *name, int code,
                       const char *type);
void lact_opt_defs_destroy(struct shash *defs);
void lact_opt_defs_add_defaults(struct shash *dhcp, struct shash *dhcpv6);

/* Parsing. */

/* Maximum nesting of { } in actions. */
#define LACT_MAX_DEPTH 16

/* Maximum number of elements of one option or argument list. */
#define LACT_MAX_LIST 512

struct lact_parse_ctx {
    const struct shash *symtab;         /* Name -> struct expr_symbol. */
    const struct shash *dhcp_opts;      /* Name -> struct lact_opt_def. */
    const struct shash *dhcpv6_opts;    /* Name -> struct lact_opt_def. */
    bool ingress;                       /* Ingress pipeline? */
    int n_tables;                       /* Tables in this pipeline. */
};

char *lact_parse(const char *, const struct lact_parse_ctx *,
                 struct lact_list *, char **prereqsp)
    OVS_WARN_UNUSED_RESULT;
void lact_list_destroy(struct lact_list *);
void lact_list_format(const struct lact_list *, struct ds *);

/* Encoding. */

struct lact_encode_ctx {
    bool ingress;               /* Pipeline of the logical flow. */
    int table;                  /* Its logical table. */
    bool is_switch;             /* Datapath is a logical switch? */
    uint32_t dp_key;            /* Datapath tunnel key. */
    uint32_t cookie;            /* First 32 bits of the flow's UUID. */
    expr_lookup_port_cb *lookup_port;   /* Port name -> tunnel key. */
    const void *aux;                    /* For 'lookup_port'. */
    struct id_table *groups;    /* Group ids. */
    struct id_table *meters;    /* Meter ids. */
    struct id_refs *refs;       /* Ids taken by this flow are added here. */
    uint32_t ctrl_meter_id;     /* Meter for packets to the controller, or
                                 * NX_CTLR_NO_METER. */
    bool ctlop_meters;          /* Without a meter of their own, controller
                                 * actions use ctlop_meter_id() of their
                                 * operation (include/ovn/controller-ops.h)
                                 * instead of none. */
};

void lact_list_encode(const struct lact_list *,
                      const struct lact_encode_ctx *, struct ofpbuf *);

/* Returns the meter of the pausing controller action in the encoded
 * actions 'ofpacts' of one flow, or NX_CTLR_NO_METER if they have none or
 * it is unmetered.  Open vSwitch 3.1 does not apply that meter (see
 * actions.c): the caller puts it, or a meter of its choice, in front of
 * the actions with lact_put_meter_first(). */
uint32_t lact_paused_meter(const struct ofpbuf *ofpacts);

/* Puts an OpenFlow meter instruction for 'meter_id' in front of the
 * encoded actions 'ofpacts' of one flow. */
void lact_put_meter_first(struct ofpbuf *ofpacts, uint32_t meter_id);

/* Building blocks of OpenFlow actions, for the encoder and for the
 * daemon's own flows.  Each appends one action to 'ofpacts' and writes
 * every byte of it, padding included, so that the same action always
 * encodes to the same bytes (the desired flow tables compare actions byte
 * for byte). */

/* A load of the low 'sf->n_bits' bits of 'value' (under 'mask', or all of
 * them if 'mask' is NULL) into 'sf'. */
void lact_put_load(struct ofpbuf *ofpacts, const struct mf_subfield *sf,
                   const union mf_subvalue *value,
                   const union mf_subvalue *mask);

/* A load of 'value' into bits [ofs, ofs + n_bits) of field 'id'. */
void lact_put_load_u64(struct ofpbuf *ofpacts, enum mf_field_id id, int ofs,
                       int n_bits, uint64_t value);

/* A move of 'src' into 'dst', of the same width. */
void lact_put_move(struct ofpbuf *ofpacts, const struct mf_subfield *src,
                   const struct mf_subfield *dst);

/* resubmit(,TABLE). */
void lact_put_resubmit(struct ofpbuf *ofpacts, int table);

/* push:SF and pop:SF. */
void lact_put_push(struct ofpbuf *ofpacts, const struct mf_subfield *sf);
void lact_put_pop(struct ofpbuf *ofpacts, const struct mf_subfield *sf);

/* Sets 'sf' to the whole of field 'id'. */
void lact_subfield_whole(enum mf_field_id id, struct mf_subfield *sf);

#endif /* actions.h */
