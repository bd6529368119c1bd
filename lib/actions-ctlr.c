/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Actions that ovn-controller carries out: the nested-packet actions
 * (family "nested": clone { } too, which is pure OpenFlow), the simple
 * controller operations (family "ctlr"), log (family "log") and
 * trigger_event (family "event").  Their userdata format is
 * include/ovn/controller-ops.h. */

#include <config.h>
#include "actions-private.h"

#include <string.h>
#include "coverage.h"
#include "id-table.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "ovn/controller-ops.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(actions_ctlr);
COVERAGE_DEFINE(lact_controller_op);

static enum ctlop_opcode
class_opcode(const struct lact *act)
{
    return lact_class_get(act->type)->param;
}

/* Family "nested". */

/* Prerequisites of the packet each nested action replaces. */
static const char *
nested_prereq(enum lact_type type)
{
    return (type == LACT_ARP || type == LACT_ICMP4
            || type == LACT_ICMP4_ERROR ? "ip4"
            : type == LACT_ND_NS || type == LACT_ICMP6
            || type == LACT_ICMP6_ERROR ? "ip6"
            : type == LACT_ND_NA || type == LACT_ND_NA_ROUTER ? "nd_ns"
            : type == LACT_TCP_RESET ? "tcp"
            : type == LACT_SCTP_ABORT ? "sctp"
            : NULL);
}

char *
lact_nested_parse(struct lact_parser *p, struct lact *act)
{
    const char *prereq = nested_prereq(act->type);
    if (prereq) {
        lact_add_prereq(p, prereq);
    }
    if (p->lexer->token.type != LEX_T_LCURLY
        && (act->type == LACT_TCP_RESET || act->type == LACT_SCTP_ABORT)) {
        return NULL;
    }
    if (act->type == LACT_CLONE) {
        /* The clone's fields are the flow's own: keep their prereqs. */
        return lact_parse_nested(p, &act->nested);
    }

    /* The nested actions work on a new packet, so their prerequisites do
     * not constrain the flow's match. */
    struct ds saved = p->prereqs;
    ds_init(&p->prereqs);
    char *error = lact_parse_nested(p, &act->nested);
    ds_destroy(&p->prereqs);
    p->prereqs = saved;
    return error;
}

void
lact_nested_format(const struct lact *act, struct ds *s)
{
    ds_put_cstr(s, lact_class_get(act->type)->keyword);
    if (act->nested) {
        lact_format_block(act->nested, s);
    }
}

void
lact_nested_encode(const struct lact *act, const struct lact_encode_ctx *ctx,
              struct ofpbuf *ofpacts)
{
    if (act->type == LACT_CLONE) {
        size_t ofs = ofpacts->size;
        ofpact_put_CLONE(ofpacts);
        lact_list_encode(act->nested, ctx, ofpacts);
        struct ofpact_nest *clone = ofpbuf_at_assert(ofpacts, ofs,
                                                     sizeof *clone);
        ofpacts->header = clone;
        ofpact_finish_CLONE(ofpacts, &clone);
        return;
    }

    struct ofpbuf inner;
    ofpbuf_init(&inner, 64);
    if (act->nested) {
        lact_list_encode(act->nested, ctx, &inner);
    }
    COVERAGE_INC(lact_controller_op);
    size_t h = ctlop_start(ofpacts, class_opcode(act), false,
                           lact_ctlr_meter(ctx, class_opcode(act),
                                           ctx->ctrl_meter_id));
    ctlop_put_actions(ofpacts, inner.data, inner.size);
    ctlop_finish(ofpacts, h);
    ofpbuf_uninit(&inner);
}

void
lact_nested_destroy(struct lact *act OVS_UNUSED)
{
}

/* Family "ctlr": put_arp(P, A, E), put_nd(P, A, E), put_fdb(P, A),
 * bind_vport("V", P), handle_svc_check(P), handle_dhcpv6_reply, igmp, mld,
 * R = dns_lookup(), and icmp4.frag_mtu / icmp6.frag_mtu = N (OVN_FIELD:
 * ints[0] is 4 or 6, ints[1] the MTU). */

/* Argument widths: 0 for a string field. */
struct ctlr_sig {
    enum lact_type type;
    int n;
    int widths[3];
    const char *names[3];
};

static const struct ctlr_sig ctlr_sigs[] = {
    { LACT_PUT_ARP, 3, { 0, 32, 48 }, { "port", "IP address", "MAC" } },
    { LACT_PUT_ND, 3, { 0, 128, 48 }, { "port", "IPv6 address", "MAC" } },
    { LACT_PUT_FDB, 2, { 0, 48 }, { "port", "MAC" } },
    { LACT_HANDLE_SVC_CHECK, 1, { 0 }, { "port" } },
};

static const struct ctlr_sig *
ctlr_sig(enum lact_type type)
{
    for (size_t i = 0; i < ARRAY_SIZE(ctlr_sigs); i++) {
        if (ctlr_sigs[i].type == type) {
            return &ctlr_sigs[i];
        }
    }
    return NULL;
}

static char *
ctlr_parse_frag_mtu(struct lact_parser *p, struct lact *act)
{
    bool v4 = !strcmp(p->lexer->token.s, "icmp4.frag_mtu");
    act->ints[0] = v4 ? 4 : 6;
    lexer_get(p->lexer);
    lact_add_prereq(p, v4 ? "icmp4" : "icmp6");
    char *error = lact_expect(p, LEX_T_EQUALS, "=");
    return error ? error : lact_parse_int(p, 0, UINT16_MAX, "MTU",
                                          &act->ints[1]);
}

char *
lact_ctlr_parse(struct lact_parser *p, struct lact *act)
{
    const struct ctlr_sig *sig = ctlr_sig(act->type);
    char *error;

    if (act->type == LACT_OVN_FIELD) {
        return ctlr_parse_frag_mtu(p, act);
    } else if (act->type == LACT_BIND_VPORT) {
        error = lact_expect(p, LEX_T_LPAREN, "(");
        if (!error) {
            error = lact_parse_string(p, "virtual port name", &act->text);
        }
        if (!error) {
            error = lact_expect(p, LEX_T_COMMA, ",");
        }
        if (!error) {
            act->args = xzalloc(sizeof *act->args);
            error = lact_parse_field_arg(p, &act->args[0], 0,
                                         "bind_vport() parent port");
            act->n_args = !error;
        }
        return error ? error : lact_expect(p, LEX_T_RPAREN, ")");
    } else if (act->type == LACT_DNS_LOOKUP) {
        lact_add_prereq(p, "udp");
        error = lact_check_result(p, act, 1);
        if (!error) {
            error = lact_expect(p, LEX_T_LPAREN, "(");
        }
        return error ? error : lact_expect(p, LEX_T_RPAREN, ")");
    } else if (act->type == LACT_IGMP) {
        /* No prerequisite: ovn-northd writes "igmp;" for MLD packets
         * ("mldv1 || mldv2") as well as for IGMP. */
        return NULL;
    } else if (act->type == LACT_MLD) {
        lact_add_prereq(p, "mldv1 || mldv2");
        return NULL;
    } else if (act->type == LACT_HANDLE_DHCPV6_REPLY) {
        return NULL;
    }
    ovs_assert(sig);
    return lact_parse_field_args(p, act, sig->n, sig->widths, sig->names);
}

void
lact_ctlr_format(const struct lact *act, struct ds *s)
{
    const char *name = lact_class_get(act->type)->keyword;

    if (act->type == LACT_OVN_FIELD) {
        ds_put_format(s, "icmp%"PRId64".frag_mtu = %"PRId64,
                      act->ints[0], act->ints[1]);
        return;
    } else if (act->type == LACT_DNS_LOOKUP) {
        lact_field_format(&act->dst, s);
        ds_put_format(s, " = %s()", name);
        return;
    } else if (act->type == LACT_IGMP || act->type == LACT_MLD
               || act->type == LACT_HANDLE_DHCPV6_REPLY) {
        ds_put_cstr(s, name);
        return;
    }
    ds_put_format(s, "%s(", name);
    if (act->text) {
        lex_format_string(act->text, s);
        ds_put_cstr(s, ", ");
    }
    for (size_t i = 0; i < act->n_args; i++) {
        if (i) {
            ds_put_cstr(s, ", ");
        }
        lact_field_format(&act->args[i], s);
    }
    ds_put_char(s, ')');
}

void
lact_ctlr_encode(const struct lact *act, const struct lact_encode_ctx *ctx,
            struct ofpbuf *ofpacts)
{
    enum ctlop_opcode op = class_opcode(act);
    bool pause = act->type == LACT_DNS_LOOKUP;
    struct mf_subfield sf;

    if (act->type == LACT_OVN_FIELD) {
        op = act->ints[0] == 4 ? CTLOP_ICMP4_FRAG_MTU : CTLOP_ICMP6_FRAG_MTU;
    }
    COVERAGE_INC(lact_controller_op);
    size_t h = ctlop_start(ofpacts, op, pause,
                           lact_ctlr_meter(ctx, op, ctx->ctrl_meter_id));
    if (act->type == LACT_DNS_LOOKUP) {
        lact_field_subfield(&act->dst, &sf);
        ctlop_put_subfield(ofpacts, CTLOP_TAG_RESULT, &sf);
    }
    if (act->type == LACT_OVN_FIELD) {
        ctlop_put_u32(ofpacts, act->ints[1]);
    }
    if (act->text) {
        ctlop_put_string(ofpacts, CTLOP_TAG_STRING, act->text);
    }
    for (size_t i = 0; i < act->n_args; i++) {
        lact_field_subfield(&act->args[i], &sf);
        ctlop_put_subfield(ofpacts, CTLOP_TAG_FIELD, &sf);
    }
    ctlop_finish(ofpacts, h);
}

void
lact_ctlr_destroy(struct lact *act OVS_UNUSED)
{
}

/* Family "log": log(name="N", severity=S, verdict=V, meter="M"), every
 * argument optional.  text: name; ints[0]: severity (-1 if absent);
 * ints[1]: verdict (-1 if absent); ext: meter name (char *). */

static const char *const log_severities[] = {
    /* Indexed by syslog level. */
    NULL, "alert", NULL, NULL, "warning", "notice", "info", "debug",
};
static const char *const log_verdicts[] = { "allow", "drop", "reject" };

static char *
log_parse_word(struct lact_parser *p, const char *const *words, size_t n,
               const char *what, int64_t *value)
{
    if (p->lexer->token.type == LEX_T_ID) {
        for (size_t i = 0; i < n; i++) {
            if (words[i] && !strcmp(words[i], p->lexer->token.s)) {
                *value = i;
                lexer_get(p->lexer);
                return NULL;
            }
        }
    }
    return lact_error(p, "unknown %s.", what);
}

static char *
log_parse_arg(struct lact_parser *p, struct lact *act)
{
    struct lexer *lexer = p->lexer;
    char *error = NULL;

    if (lexer->token.type != LEX_T_ID) {
        return lact_error(p, "expecting log argument.");
    }
    char *key = xstrdup(lexer->token.s);
    lexer_get(lexer);
    error = lact_expect(p, LEX_T_EQUALS, "=");
    if (error) {
        /* Nothing more. */
    } else if (!strcmp(key, "name") && !act->text) {
        error = lact_parse_string(p, "log name", &act->text);
        if (!error && strlen(act->text) > 64) {
            error = xstrdup("log name is longer than 64 bytes.");
        }
    } else if (!strcmp(key, "severity") && act->ints[0] < 0) {
        error = log_parse_word(p, log_severities,
                               ARRAY_SIZE(log_severities), "severity",
                               &act->ints[0]);
    } else if (!strcmp(key, "verdict") && act->ints[1] < 0) {
        if (lexer_match_id(lexer, "deny")) {
            act->ints[1] = 1;
        } else {
            error = log_parse_word(p, log_verdicts, ARRAY_SIZE(log_verdicts),
                                   "verdict", &act->ints[1]);
        }
    } else if (!strcmp(key, "meter") && !act->ext) {
        char *meter;
        error = lact_parse_string(p, "meter name", &meter);
        act->ext = error ? NULL : meter;
    } else {
        error = xasprintf("log: unknown or repeated argument `%s'.", key);
    }
    free(key);
    return error;
}

char *
lact_log_parse(struct lact_parser *p, struct lact *act)
{
    act->ints[0] = act->ints[1] = -1;
    char *error = lact_expect(p, LEX_T_LPAREN, "(");
    if (error || lexer_match(p->lexer, LEX_T_RPAREN)) {
        return error;
    }
    do {
        error = log_parse_arg(p, act);
    } while (!error && lexer_match(p->lexer, LEX_T_COMMA));
    return error ? error : lact_expect(p, LEX_T_RPAREN, ")");
}

void
lact_log_format(const struct lact *act, struct ds *s)
{
    size_t start = s->length;

    ds_put_cstr(s, "log(");
    if (act->text) {
        ds_put_cstr(s, "name=");
        lex_format_string(act->text, s);
        ds_put_cstr(s, ", ");
    }
    if (act->ints[0] >= 0) {
        ds_put_format(s, "severity=%s, ", log_severities[act->ints[0]]);
    }
    if (act->ints[1] >= 0) {
        ds_put_format(s, "verdict=%s, ", log_verdicts[act->ints[1]]);
    }
    if (act->ext) {
        ds_put_cstr(s, "meter=");
        lex_format_string(act->ext, s);
        ds_put_cstr(s, ", ");
    }
    if (s->length > start + 4) {
        ds_truncate(s, s->length - 2);
    }
    ds_put_char(s, ')');
}

/* Returns the meter id for SB meter 'name' (0 if there is none). */
static uint32_t
named_meter(const struct lact_encode_ctx *ctx, const char *name)
{
    char *desc = xasprintf("name:%s", name);
    uint32_t id = lact_take_id(ctx, ctx->meters, desc);
    free(desc);
    return id;
}

/* Returns the meter for a controller action that names SB meter 'name'
 * (may be NULL): that meter's id if it has one, else the controller
 * meter of 'ctx'. */
static uint32_t
ctlr_meter(const struct lact_encode_ctx *ctx, const char *name)
{
    uint32_t id = name ? named_meter(ctx, name) : 0;
    return id ? id : ctx->ctrl_meter_id;
}

void
lact_log_encode(const struct lact *act, const struct lact_encode_ctx *ctx,
           struct ofpbuf *ofpacts)
{
    uint32_t meter = lact_ctlr_meter(ctx, CTLOP_LOG,
                                     ctlr_meter(ctx, act->ext));

    COVERAGE_INC(lact_controller_op);
    size_t h = ctlop_start(ofpacts, CTLOP_LOG, false, meter);
    ctlop_put_string(ofpacts, CTLOP_TAG_STRING, act->text ? act->text : "");
    ctlop_put_u32(ofpacts, act->ints[0] >= 0 ? act->ints[0] : 6);
    ctlop_put_u32(ofpacts, act->ints[1] >= 0 ? act->ints[1] : 0);
    ctlop_finish(ofpacts, h);
}

void
lact_log_destroy(struct lact *act)
{
    free(act->ext);
}

/* Family "event": trigger_event(event="E", meter="M", key="value", ...).
 * text: the event; ext: struct event_args. */

struct event_args {
    char **keys;
    char **values;
    size_t n;
    char *meter;
};

/* Events and the arguments each requires. */
static const struct {
    const char *name;
    const char *required[3];
} events[] = {
    { "empty_lb_backends", { "vip", "protocol", "load_balancer" } },
};

static char *
event_check(const struct lact *act)
{
    const struct event_args *ea = act->ext;
    for (size_t i = 0; i < ARRAY_SIZE(events); i++) {
        if (strcmp(events[i].name, act->text)) {
            continue;
        }
        for (size_t j = 0; j < ARRAY_SIZE(events[i].required); j++) {
            size_t k;
            for (k = 0; k < ea->n; k++) {
                if (!strcmp(ea->keys[k], events[i].required[j])) {
                    break;
                }
            }
            if (k == ea->n) {
                return xasprintf("trigger_event: event %s needs `%s'.",
                                 act->text, events[i].required[j]);
            }
        }
        return NULL;
    }
    return xasprintf("trigger_event: unknown event \"%s\".", act->text);
}

static char *
event_parse_arg(struct lact_parser *p, struct lact *act,
                struct event_args *ea, size_t *allocated)
{
    if (p->lexer->token.type != LEX_T_ID) {
        return lact_error(p, "expecting trigger_event argument.");
    }
    char *key = xstrdup(p->lexer->token.s), *value = NULL;
    lexer_get(p->lexer);
    char *error = lact_expect(p, LEX_T_EQUALS, "=");
    if (!error) {
        error = lact_parse_string(p, key, &value);
    }
    if (error) {
        free(key);
        return error;
    }
    if (!strcmp(key, "event") && !act->text) {
        act->text = value;
        free(key);
    } else if (!strcmp(key, "meter") && !ea->meter) {
        ea->meter = value;
        free(key);
    } else if (ea->n >= LACT_MAX_LIST) {
        free(key);
        free(value);
        return xstrdup("trigger_event: too many arguments.");
    } else {
        if (ea->n >= *allocated) {
            size_t a = *allocated;
            ea->keys = x2nrealloc(ea->keys, &a, sizeof *ea->keys);
            ea->values = xrealloc(ea->values, a * sizeof *ea->values);
            *allocated = a;
        }
        ea->keys[ea->n] = key;
        ea->values[ea->n++] = value;
    }
    return NULL;
}

char *
lact_event_parse(struct lact_parser *p, struct lact *act)
{
    struct event_args *ea = xzalloc(sizeof *ea);
    size_t allocated = 0;
    act->ext = ea;

    char *error = lact_expect(p, LEX_T_LPAREN, "(");
    while (!error) {
        error = event_parse_arg(p, act, ea, &allocated);
        if (error || !lexer_match(p->lexer, LEX_T_COMMA)) {
            break;
        }
    }
    if (!error) {
        error = lact_expect(p, LEX_T_RPAREN, ")");
    }
    if (!error && !act->text) {
        error = xstrdup("trigger_event: missing `event'.");
    }
    return error ? error : event_check(act);
}

void
lact_event_format(const struct lact *act, struct ds *s)
{
    const struct event_args *ea = act->ext;

    ds_put_cstr(s, "trigger_event(event = ");
    lex_format_string(act->text, s);
    if (ea->meter) {
        ds_put_cstr(s, ", meter = ");
        lex_format_string(ea->meter, s);
    }
    for (size_t i = 0; i < ea->n; i++) {
        ds_put_format(s, ", %s = ", ea->keys[i]);
        lex_format_string(ea->values[i], s);
    }
    ds_put_char(s, ')');
}

void
lact_event_encode(const struct lact *act, const struct lact_encode_ctx *ctx,
             struct ofpbuf *ofpacts)
{
    const struct event_args *ea = act->ext;
    uint32_t meter = lact_ctlr_meter(ctx, CTLOP_TRIGGER_EVENT,
                                     ctlr_meter(ctx, ea->meter));

    COVERAGE_INC(lact_controller_op);
    size_t h = ctlop_start(ofpacts, CTLOP_TRIGGER_EVENT, false, meter);
    ctlop_put_string(ofpacts, CTLOP_TAG_STRING, act->text);
    for (size_t i = 0; i < ea->n; i++) {
        char *pair = xasprintf("%s=%s", ea->keys[i], ea->values[i]);
        ctlop_put_string(ofpacts, CTLOP_TAG_PAIR, pair);
        free(pair);
    }
    ctlop_finish(ofpacts, h);
}

void
lact_event_destroy(struct lact *act)
{
    struct event_args *ea = act->ext;
    if (ea) {
        for (size_t i = 0; i < ea->n; i++) {
            free(ea->keys[i]);
            free(ea->values[i]);
        }
        free(ea->keys);
        free(ea->values);
        free(ea->meter);
        free(ea);
    }
}
