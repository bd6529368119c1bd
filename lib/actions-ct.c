/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Connection-tracking actions: ct_next, ct_commit { }, ct_commit_nat,
 * ct_clear, ct_snat_to_vip (family "ct"), the NAT actions ct_dnat, ct_snat,
 * ct_dnat_in_czone, ct_snat_in_czone (family "nat") and the load balancers
 * ct_lb, ct_lb_mark (family "lb"). */

#include <config.h>
#include "actions-private.h"

#include <string.h>
#include "byte-order.h"
#include "coverage.h"
#include "id-table.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "ovn/of-tables.h"
#include "packets.h"
#include "socket-util.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(actions_ct);
COVERAGE_DEFINE(lact_lb_group);

/* The zone subfield a conntrack action of 'ctx' uses by default. */
static void
ct_default_zone(const struct lact_encode_ctx *ctx, struct mf_subfield *sf)
{
    if (ctx->is_switch) {
        sf->field = mf_from_id(MFF_LOG_CT_ZONE);
        sf->ofs = LOG_CT_ZONE_OFS;
        sf->n_bits = LOG_CT_ZONE_BITS;
    } else {
        lact_subfield_whole(MFF_LOG_DNAT_ZONE, sf);
        sf->n_bits = 16;
    }
}

/* Appends a ct action with 'flags', recirculating to 'table' (or not, if
 * 'table' is NX_CT_RECIRC_NONE), in 'zone'; returns the offset of the ct
 * action for ct_finish(). */
static size_t
ct_start(struct ofpbuf *ofpacts, uint16_t flags, uint8_t table,
         const struct mf_subfield *zone)
{
    size_t ofs = ofpacts->size;
    struct ofpact_conntrack *ct = ofpact_put_CT(ofpacts);
    ct->flags = flags;
    ct->recirc_table = table;
    ct->zone_src = *zone;
    ct->alg = 0;
    return ofs;
}

static void
ct_finish(struct ofpbuf *ofpacts, size_t ofs)
{
    struct ofpact_conntrack *ct = ofpbuf_at_assert(ofpacts, ofs, sizeof *ct);
    ofpacts->header = ct;
    ofpact_finish_CT(ofpacts, &ct);
}

/* Family "ct". */

static bool
ct_commit_field_ok(const struct lact_field *f)
{
    struct mf_subfield sf;
    lact_field_subfield(f, &sf);
    return sf.field->id == MFF_CT_MARK || sf.field->id == MFF_CT_LABEL;
}

static char *
ct_commit_parse(struct lact_parser *p, struct lact *act)
{
    if (p->lexer->token.type != LEX_T_LCURLY) {
        return NULL;
    }
    char *error = lact_parse_nested(p, &act->nested);
    if (error) {
        return error;
    }
    for (size_t i = 0; i < act->nested->n; i++) {
        const struct lact *a = &act->nested->acts[i];
        if ((a->type != LACT_LOAD && a->type != LACT_MOVE)
            || !ct_commit_field_ok(&a->dst)) {
            return xstrdup("ct_commit { } may only assign to ct_mark and "
                           "ct_label.");
        }
    }
    return NULL;
}

char *
lact_ct_parse(struct lact_parser *p, struct lact *act)
{
    lact_add_prereq(p, "ip");
    if (act->type == LACT_CT_COMMIT) {
        return ct_commit_parse(p, act);
    }
    return NULL;
}

void
lact_ct_format(const struct lact *act, struct ds *s)
{
    ds_put_cstr(s, lact_class_get(act->type)->keyword);
    if (act->type == LACT_CT_COMMIT && act->nested && act->nested->n) {
        lact_format_block(act->nested, s);
    }
}

void
lact_ct_encode(const struct lact *act, const struct lact_encode_ctx *ctx,
          struct ofpbuf *ofpacts)
{
    struct mf_subfield zone;
    size_t ofs;

    ct_default_zone(ctx, &zone);
    if (act->type == LACT_CT_NEXT) {
        ct_finish(ofpacts, ct_start(ofpacts, 0, lact_next_oftable(ctx),
                                    &zone));
    } else if (act->type == LACT_CT_COMMIT) {
        ofs = ct_start(ofpacts, NX_CT_F_COMMIT, NX_CT_RECIRC_NONE, &zone);
        if (act->nested) {
            lact_list_encode(act->nested, ctx, ofpacts);
        }
        ct_finish(ofpacts, ofs);
    } else if (act->type == LACT_CT_COMMIT_NAT) {
        ofs = ct_start(ofpacts, NX_CT_F_COMMIT, lact_next_oftable(ctx),
                       &zone);
        ofpact_put_NAT(ofpacts)->range_af = AF_UNSPEC;
        ct_finish(ofpacts, ofs);
    } else if (act->type == LACT_CT_CLEAR) {
        ofpact_put_CT_CLEAR(ofpacts);
    } else {
        ovs_assert(act->type == LACT_CT_SNAT_TO_VIP);
        lact_put_resubmit(ofpacts, OFTABLE_CT_SNAT_HAIRPIN);
    }
}

void
lact_ct_destroy(struct lact *act OVS_UNUSED)
{
}

/* Raw text of numbers and ranges.  The lexer has no `-' token, so
 * "1000-2000" and "10.0.0.1-10.0.0.9" (and "10.0.0.1:80") are read here
 * from the input text at the current token: the run of characters that can
 * form addresses, ports and ranges.  Returns it malloc'd and moves the
 * lexer past it, or returns NULL if there is none. */
static char *
raw_span(struct lact_parser *p, const char *chars)
{
    struct lexer *lexer = p->lexer;
    if (lexer->token.type != LEX_T_INTEGER
        && lexer->token.type != LEX_T_MASKED_INTEGER
        && lexer->token.type != LEX_T_ERROR
        && lexer->token.type != LEX_T_LSQUARE) {
        return NULL;
    }
    size_t n = strspn(lexer->start, chars);
    if (!n) {
        return NULL;
    }
    char *s = xmemdup0(lexer->start, n);
    lexer->input = lexer->start + n;
    lexer_get(lexer);
    return s;
}

/* An address or address range, with optional port range. */
struct nat_spec {
    int family;                 /* AF_INET or AF_INET6; 0 if no address. */
    struct in6_addr ip_min, ip_max;     /* IPv4 as mapped addresses. */
    bool ip_range;
    uint16_t port_min, port_max;
    bool has_ports;
};

static bool
parse_ip(const char *s, int *family, struct in6_addr *ip)
{
    ovs_be32 ip4;
    if (ip_parse(s, &ip4)) {
        *family = AF_INET;
        in6_addr_set_mapped_ipv4(ip, ip4);
        return true;
    }
    if (ipv6_parse(s, ip)) {
        *family = AF_INET6;
        return true;
    }
    return false;
}

static bool
parse_port_range(const char *s, uint16_t *min, uint16_t *max)
{
    unsigned int a, b;
    int n = 0;
    if (ovs_scan(s, "%u-%u%n", &a, &b, &n) && !s[n]) {
        /* Range. */
    } else if (ovs_scan(s, "%u%n", &a, &n) && !s[n]) {
        b = a;
    } else {
        return false;
    }
    if (!a || a > 65535 || b > 65535 || b < a) {
        return false;
    }
    *min = a;
    *max = b;
    return true;
}

static char *
parse_ip_range(const char *text, struct nat_spec *nat)
{
    char *copy = xstrdup(text);
    char *dash = strchr(copy, '-');
    char *error = NULL;
    int family2;

    if (dash) {
        *dash = '\0';
    }
    if (!parse_ip(copy, &nat->family, &nat->ip_min)) {
        error = xasprintf("`%s' is not an IP address.", copy);
    } else if (dash && (!parse_ip(dash + 1, &family2, &nat->ip_max)
                        || family2 != nat->family)) {
        error = xasprintf("`%s' is not an IP address of the same family.",
                          dash + 1);
    } else if (dash && memcmp(&nat->ip_max, &nat->ip_min,
                              sizeof nat->ip_min) < 0) {
        error = xasprintf("IP range `%s' is backward.", text);
    } else {
        nat->ip_range = dash != NULL;
    }
    free(copy);
    return error;
}

/* Family "nat": ct_dnat, ct_snat, ct_dnat_in_czone, ct_snat_in_czone, each
 * optionally (IP[-IP][, PORT[-PORT]]).  'ext' is a struct nat_spec. */

char *
lact_nat_parse(struct lact_parser *p, struct lact *act)
{
    struct nat_spec *nat = xzalloc(sizeof *nat);
    act->ext = nat;

    lact_add_prereq(p, "ip");
    if (!lexer_match(p->lexer, LEX_T_LPAREN)) {
        return NULL;
    }
    char *text = raw_span(p, "0123456789abcdefABCDEF.:-");
    if (!text) {
        return lact_error(p, "expecting IP address.");
    }
    char *error = parse_ip_range(text, nat);
    free(text);
    if (error) {
        return error;
    }
    if (lexer_match(p->lexer, LEX_T_COMMA)) {
        text = raw_span(p, "0123456789-");
        if (!text || !parse_port_range(text, &nat->port_min,
                                       &nat->port_max)) {
            free(text);
            return lact_error(p, "expecting port or port range "
                              "(1 to 65535).");
        }
        free(text);
        nat->has_ports = true;
    }
    return lact_expect(p, LEX_T_RPAREN, ")");
}

static void
format_ip(int family, const struct in6_addr *ip, struct ds *s)
{
    if (family == AF_INET) {
        ds_put_format(s, IP_FMT,
                      IP_ARGS(in6_addr_get_mapped_ipv4(ip)));
    } else {
        ipv6_format_addr(ip, s);
    }
}

void
lact_nat_format(const struct lact *act, struct ds *s)
{
    const struct nat_spec *nat = act->ext;

    ds_put_cstr(s, lact_class_get(act->type)->keyword);
    if (!nat->family) {
        return;
    }
    ds_put_char(s, '(');
    format_ip(nat->family, &nat->ip_min, s);
    if (nat->ip_range) {
        ds_put_char(s, '-');
        format_ip(nat->family, &nat->ip_max, s);
    }
    if (nat->has_ports) {
        ds_put_format(s, ",%"PRIu16, nat->port_min);
        if (nat->port_max != nat->port_min) {
            ds_put_format(s, "-%"PRIu16, nat->port_max);
        }
    }
    ds_put_char(s, ')');
}

static void
put_nat(struct ofpbuf *ofpacts, const struct nat_spec *nat, bool snat)
{
    struct ofpact_nat *on = ofpact_put_NAT(ofpacts);
    on->range_af = AF_UNSPEC;
    if (!nat->family) {
        return;
    }
    on->flags = snat ? NX_NAT_F_SRC : NX_NAT_F_DST;
    on->range_af = nat->family;
    if (nat->family == AF_INET) {
        on->range.addr.ipv4.min = in6_addr_get_mapped_ipv4(&nat->ip_min);
        if (nat->ip_range) {
            on->range.addr.ipv4.max = in6_addr_get_mapped_ipv4(&nat->ip_max);
        }
    } else {
        on->range.addr.ipv6.min = nat->ip_min;
        if (nat->ip_range) {
            on->range.addr.ipv6.max = nat->ip_max;
        }
    }
    if (nat->has_ports) {
        on->range.proto.min = nat->port_min;
        on->range.proto.max = nat->port_max;
    }
}

void
lact_nat_encode(const struct lact *act, const struct lact_encode_ctx *ctx,
           struct ofpbuf *ofpacts)
{
    const struct nat_spec *nat = act->ext;
    int kind = lact_class_get(act->type)->param;   /* 0..3, see list. */
    bool snat = kind == 1 || kind == 3;
    struct mf_subfield zone;

    lact_subfield_whole(kind >= 2 || snat ? MFF_LOG_SNAT_ZONE
                                          : MFF_LOG_DNAT_ZONE, &zone);
    zone.n_bits = 16;

    size_t ofs = ct_start(ofpacts, nat->family ? NX_CT_F_COMMIT : 0,
                          lact_next_oftable(ctx), &zone);
    put_nat(ofpacts, nat, snat);
    ct_finish(ofpacts, ofs);
}

void
lact_nat_destroy(struct lact *act)
{
    free(act->ext);
}

/* Family "lb": ct_lb and ct_lb_mark, optionally
 * (backends=IP[:PORT],...[; hash_fields="F,..."][; skip_snat|force_snat]).
 * 'ext' is a struct lb_spec, or NULL without arguments. */

struct lb_backend {
    int family;
    struct in6_addr ip;
    uint16_t port;              /* 0 if none. */
};

struct lb_spec {
    struct lb_backend *backends;
    size_t n_backends;
    char *hash_fields;          /* NULL for dp_hash selection. */
    int flag;                   /* 0, or LOG_CT_MARK_{SKIP,FORCE}_SNAT_BIT. */
};

static char *
lb_parse_backend(const char *text, struct lb_backend *b)
{
    char *copy = xstrdup(text);
    char *ip = copy, *port = NULL, *error = NULL;

    if (copy[0] == '[') {
        char *end = strchr(copy, ']');
        if (!end || (end[1] && end[1] != ':')) {
            error = xasprintf("bad IPv6 backend `%s'.", text);
            goto out;
        }
        *end = '\0';
        ip = copy + 1;
        port = end[1] ? end + 2 : NULL;
    } else if (strchr(copy, ':') == strrchr(copy, ':') && strchr(copy, ':')) {
        port = strchr(copy, ':');
        *port++ = '\0';
    }
    if (!parse_ip(ip, &b->family, &b->ip)) {
        error = xasprintf("`%s' is not an IP address.", ip);
    } else if (port) {
        uint16_t max;
        if (!parse_port_range(port, &b->port, &max) || max != b->port) {
            error = xasprintf("`%s' is not a port number.", port);
        }
    }
out:
    free(copy);
    return error;
}

static char *
lb_parse_backends(struct lact_parser *p, struct lb_spec *lb)
{
    char *error = lact_expect(p, LEX_T_EQUALS, "=");
    if (error) {
        return error;
    }
    char *text = raw_span(p, "0123456789abcdefABCDEF.:[],");
    if (!text) {
        return lact_error(p, "expecting backend list.");
    }
    size_t allocated = 0;
    char *save = NULL;
    for (char *b = strtok_r(text, ",", &save); b && !error;
         b = strtok_r(NULL, ",", &save)) {
        if (lb->n_backends >= LACT_MAX_LIST) {
            error = xasprintf("more than %d backends.", LACT_MAX_LIST);
            break;
        }
        if (lb->n_backends >= allocated) {
            lb->backends = x2nrealloc(lb->backends, &allocated,
                                      sizeof *lb->backends);
        }
        struct lb_backend *be = &lb->backends[lb->n_backends++];
        memset(be, 0, sizeof *be);
        error = lb_parse_backend(b, be);
        if (!error && be->family != lb->backends[0].family) {
            error = xstrdup("backends mix IPv4 and IPv6.");
        }
    }
    if (!error && !lb->n_backends) {
        error = xstrdup("empty backend list.");
    }
    free(text);
    return error;
}

static bool
lb_hash_fields_ok(const char *s)
{
    return s[0] && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_,")
                   == strlen(s);
}

char *
lact_lb_parse(struct lact_parser *p, struct lact *act)
{
    struct lexer *lexer = p->lexer;

    lact_add_prereq(p, "ip");
    if (!lexer_match(lexer, LEX_T_LPAREN)) {
        return NULL;
    }
    struct lb_spec *lb = xzalloc(sizeof *lb);
    act->ext = lb;

    char *error = (lexer_match_id(lexer, "backends")
                   ? lb_parse_backends(p, lb)
                   : lact_error(p, "expecting `backends'."));
    while (!error && lexer_match(lexer, LEX_T_SEMICOLON)) {
        if (lexer_match_id(lexer, "hash_fields")) {
            error = lact_expect(p, LEX_T_EQUALS, "=");
            if (!error && !lb->hash_fields) {
                error = lact_parse_string(p, "hash fields",
                                          &lb->hash_fields);
            } else if (!error) {
                error = lact_error(p, "hash_fields given twice.");
            }
            if (!error && !lb_hash_fields_ok(lb->hash_fields)) {
                error = xasprintf("bad hash_fields \"%s\".",
                                  lb->hash_fields);
            }
        } else if (!lb->flag && lexer_match_id(lexer, "skip_snat")) {
            lb->flag = LOG_CT_MARK_SKIP_SNAT_BIT;
        } else if (!lb->flag && lexer_match_id(lexer, "force_snat")) {
            lb->flag = LOG_CT_MARK_FORCE_SNAT_BIT;
        } else {
            error = lact_error(p, "expecting `hash_fields', `skip_snat' or "
                               "`force_snat'.");
        }
    }
    return error ? error : lact_expect(p, LEX_T_RPAREN, ")");
}

static void
lb_format_backend(const struct lb_backend *b, struct ds *s)
{
    if (b->family == AF_INET6 && b->port) {
        ds_put_char(s, '[');
        format_ip(b->family, &b->ip, s);
        ds_put_char(s, ']');
    } else {
        format_ip(b->family, &b->ip, s);
    }
    if (b->port) {
        ds_put_format(s, ":%"PRIu16, b->port);
    }
}

void
lact_lb_format(const struct lact *act, struct ds *s)
{
    const struct lb_spec *lb = act->ext;

    ds_put_cstr(s, lact_class_get(act->type)->keyword);
    if (!lb) {
        return;
    }
    ds_put_cstr(s, "(backends=");
    for (size_t i = 0; i < lb->n_backends; i++) {
        if (i) {
            ds_put_char(s, ',');
        }
        lb_format_backend(&lb->backends[i], s);
    }
    if (lb->hash_fields) {
        ds_put_cstr(s, "; hash_fields=");
        lex_format_string(lb->hash_fields, s);
    }
    if (lb->flag) {
        ds_put_cstr(s, lb->flag == LOG_CT_MARK_SKIP_SNAT_BIT
                       ? "; skip_snat" : "; force_snat");
    }
    ds_put_char(s, ')');
}

/* Appends the ct action that sends a new connection to backend 'b'. */
static void
lb_put_backend_ct(const struct lact *act, const struct lb_backend *b,
                  const struct lact_encode_ctx *ctx, struct ofpbuf *ofpacts)
{
    const struct lb_spec *lb = act->ext;
    bool mark = act->type == LACT_CT_LB_MARK;
    struct mf_subfield zone;

    ct_default_zone(ctx, &zone);
    size_t ofs = ct_start(ofpacts, NX_CT_F_COMMIT, lact_next_oftable(ctx),
                          &zone);
    struct nat_spec nat = {
        .family = b->family, .ip_min = b->ip,
        .has_ports = b->port != 0, .port_min = b->port, .port_max = b->port,
    };
    put_nat(ofpacts, &nat, false);

    /* Mark the connection as load-balanced ("natted"), plus the flag. */
    uint64_t bits = 1ULL << LOG_CT_MARK_NATTED_BIT;
    if (lb->flag) {
        bits |= 1ULL << lb->flag;
    }
    union mf_subvalue v, m;
    memset(&v, 0, sizeof v);
    memset(&m, 0, sizeof m);
    v.integer = htonll(bits);
    m.integer = htonll(bits);
    struct mf_subfield sf;
    lact_subfield_whole(mark ? MFF_CT_MARK : MFF_CT_LABEL, &sf);
    sf.n_bits = 32;
    lact_put_load(ofpacts, &sf, &v, &m);
    ct_finish(ofpacts, ofs);
}

/* Builds the group description for the backends of 'act'. */
static void
lb_group_desc(const struct lact *act, const struct lact_encode_ctx *ctx,
              struct ds *desc)
{
    const struct lb_spec *lb = act->ext;

    ds_put_cstr(desc, "type=select,selection_method=");
    if (lb->hash_fields) {
        ds_put_format(desc, "hash,fields(%s)", lb->hash_fields);
    } else {
        ds_put_cstr(desc, "dp_hash");
    }
    for (size_t i = 0; i < lb->n_backends; i++) {
        struct ofpbuf bucket;
        ofpbuf_init(&bucket, 64);
        lb_put_backend_ct(act, &lb->backends[i], ctx, &bucket);

        struct ofpact_format_params fp = { .s = desc };
        ds_put_format(desc, ",bucket=bucket_id=%"PRIuSIZE",weight:100,"
                      "actions=", i);
        ofpacts_format(bucket.data, bucket.size, &fp);
        ofpbuf_uninit(&bucket);
    }
}

void
lact_lb_encode(const struct lact *act, const struct lact_encode_ctx *ctx,
          struct ofpbuf *ofpacts)
{
    const struct lb_spec *lb = act->ext;
    struct mf_subfield zone;

    if (!lb) {
        ct_default_zone(ctx, &zone);
        size_t ofs = ct_start(ofpacts, 0, lact_next_oftable(ctx), &zone);
        ofpact_put_NAT(ofpacts)->range_af = AF_UNSPEC;
        ct_finish(ofpacts, ofs);
    } else if (lb->n_backends == 1 && !lb->hash_fields) {
        lb_put_backend_ct(act, &lb->backends[0], ctx, ofpacts);
    } else {
        struct ds desc = DS_EMPTY_INITIALIZER;
        lb_group_desc(act, ctx, &desc);
        uint32_t id = lact_take_id(ctx, ctx->groups, ds_cstr(&desc));
        ds_destroy(&desc);
        COVERAGE_INC(lact_lb_group);
        if (id) {
            ofpact_put_GROUP(ofpacts)->group_id = id;
        }
    }
}

void
lact_lb_destroy(struct lact *act)
{
    struct lb_spec *lb = act->ext;
    if (lb) {
        free(lb->backends);
        free(lb->hash_fields);
        free(lb);
    }
}
