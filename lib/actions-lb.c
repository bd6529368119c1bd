/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Actions that take OpenFlow groups or meters or learn flows: select
 * (family "select"), fwd_group ("fwdgrp"), set_meter ("meter"),
 * commit_ecmp_nh and commit_lb_aff ("learn"), sample ("sample"). */

#include <config.h>
#include "actions-private.h"

#include <string.h>
#include "byte-order.h"
#include "id-table.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "ovn/of-tables.h"
#include "packets.h"
#include "socket-util.h"
#include "symtab.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(actions_lb);

/* Appends to 'desc' one group bucket whose actions are 'bucket'. */
static void
put_bucket(struct ds *desc, size_t id, unsigned int weight,
           const struct ofpbuf *bucket)
{
    struct ofpact_format_params fp = { .s = desc };
    ds_put_format(desc, ",bucket=bucket_id=%"PRIuSIZE",weight:%u,actions=",
                  id, weight);
    ofpacts_format(bucket->data, bucket->size, &fp);
}

static void
put_group(const struct lact_encode_ctx *ctx, const struct ds *desc,
          struct ofpbuf *ofpacts)
{
    uint32_t id = lact_take_id(ctx, ctx->groups, ds_cstr_ro(desc));
    if (id) {
        ofpact_put_GROUP(ofpacts)->group_id = id;
    }
}

/* Family "select": R = select(V[=W], ...).  ext: struct select_spec. */

struct select_spec {
    uint16_t *values;
    uint16_t *weights;
    size_t n;
};

char *
lact_select_parse(struct lact_parser *p, struct lact *act)
{
    struct select_spec *sel = xzalloc(sizeof *sel);
    size_t allocated = 0;
    act->ext = sel;

    char *error = lact_check_result(p, act, -1);
    if (!error) {
        error = lact_expect(p, LEX_T_LPAREN, "(");
    }
    while (!error) {
        int64_t v, w = 100;
        error = lact_parse_int(p, 0, UINT16_MAX, "select() value", &v);
        if (!error && lexer_match(p->lexer, LEX_T_EQUALS)) {
            error = lact_parse_int(p, 1, UINT16_MAX, "select() weight", &w);
        }
        if (error) {
            break;
        }
        if (v >> MIN(act->dst.n_bits, 32)) {
            return xasprintf("select() value %"PRId64" does not fit in "
                             "%d-bit result.", v, act->dst.n_bits);
        }
        if (sel->n >= LACT_MAX_LIST) {
            return xasprintf("select() has more than %d values.",
                             LACT_MAX_LIST);
        }
        if (sel->n >= allocated) {
            size_t a = allocated;
            sel->values = x2nrealloc(sel->values, &a, sizeof *sel->values);
            sel->weights = xrealloc(sel->weights, a * sizeof *sel->weights);
            allocated = a;
        }
        sel->values[sel->n] = v;
        sel->weights[sel->n++] = w;
        if (!lexer_match(p->lexer, LEX_T_COMMA)) {
            break;
        }
    }
    if (!error) {
        error = lact_expect(p, LEX_T_RPAREN, ")");
    }
    if (!error && sel->n < 2) {
        error = xstrdup("select() needs at least 2 values.");
    }
    return error;
}

void
lact_select_format(const struct lact *act, struct ds *s)
{
    const struct select_spec *sel = act->ext;

    lact_field_format(&act->dst, s);
    ds_put_cstr(s, " = select(");
    for (size_t i = 0; i < sel->n; i++) {
        ds_put_format(s, "%s%"PRIu16"=%"PRIu16, i ? ", " : "",
                      sel->values[i], sel->weights[i]);
    }
    ds_put_char(s, ')');
}

void
lact_select_encode(const struct lact *act, const struct lact_encode_ctx *ctx,
              struct ofpbuf *ofpacts)
{
    const struct select_spec *sel = act->ext;
    struct ds desc = DS_EMPTY_INITIALIZER;
    struct mf_subfield dst;

    lact_field_subfield(&act->dst, &dst);
    ds_put_cstr(&desc, "type=select,selection_method=dp_hash");
    for (size_t i = 0; i < sel->n; i++) {
        struct ofpbuf bucket;
        ofpbuf_init(&bucket, 64);
        lact_put_load_u64(&bucket, dst.field->id, dst.ofs, dst.n_bits,
                          sel->values[i]);
        lact_put_resubmit(&bucket, lact_next_oftable(ctx));
        put_bucket(&desc, i, sel->weights[i], &bucket);
        ofpbuf_uninit(&bucket);
    }
    put_group(ctx, &desc, ofpacts);
    ds_destroy(&desc);
}

void
lact_select_destroy(struct lact *act)
{
    struct select_spec *sel = act->ext;
    if (sel) {
        free(sel->values);
        free(sel->weights);
        free(sel);
    }
}

/* Family "fwdgrp": fwd_group([liveness=BOOL,] childports="P", ...).
 * ints[0]: liveness; ext: struct sset-like array of port names. */

struct port_names {
    char **names;
    size_t n;
};

static char *
fwdgrp_parse_bool(struct lact_parser *p, int64_t *value)
{
    if (lexer_match_id(p->lexer, "true")) {
        *value = 1;
    } else if (lexer_match_id(p->lexer, "false")) {
        *value = 0;
    } else {
        return lact_error(p, "expecting `true' or `false'.");
    }
    return NULL;
}

char *
lact_fwdgrp_parse(struct lact_parser *p, struct lact *act)
{
    struct port_names *pn = xzalloc(sizeof *pn);
    size_t allocated = 0;
    act->ext = pn;

    char *error = lact_expect(p, LEX_T_LPAREN, "(");
    if (!error && lexer_match_id(p->lexer, "liveness")) {
        error = lact_expect(p, LEX_T_EQUALS, "=");
        if (!error) {
            error = fwdgrp_parse_bool(p, &act->ints[0]);
        }
        if (!error) {
            error = lact_expect(p, LEX_T_COMMA, ",");
        }
    }
    if (!error) {
        error = lact_expect_id(p, "childports");
    }
    if (!error) {
        error = lact_expect(p, LEX_T_EQUALS, "=");
    }
    while (!error) {
        char *name;
        error = lact_parse_string(p, "child port", &name);
        if (error) {
            break;
        }
        if (pn->n >= LACT_MAX_LIST) {
            free(name);
            return xasprintf("fwd_group() has more than %d child ports.",
                             LACT_MAX_LIST);
        }
        if (pn->n >= allocated) {
            pn->names = x2nrealloc(pn->names, &allocated, sizeof *pn->names);
        }
        pn->names[pn->n++] = name;
        if (!lexer_match(p->lexer, LEX_T_COMMA)) {
            break;
        }
    }
    return error ? error : lact_expect(p, LEX_T_RPAREN, ")");
}

void
lact_fwdgrp_format(const struct lact *act, struct ds *s)
{
    const struct port_names *pn = act->ext;

    ds_put_cstr(s, "fwd_group(");
    if (act->ints[0]) {
        ds_put_cstr(s, "liveness=true, ");
    }
    ds_put_cstr(s, "childports=");
    for (size_t i = 0; i < pn->n; i++) {
        if (i) {
            ds_put_cstr(s, ", ");
        }
        lex_format_string(pn->names[i], s);
    }
    ds_put_char(s, ')');
}

void
lact_fwdgrp_encode(const struct lact *act, const struct lact_encode_ctx *ctx,
              struct ofpbuf *ofpacts)
{
    const struct port_names *pn = act->ext;
    struct ds desc = DS_EMPTY_INITIALIZER;

    ds_put_cstr(&desc, "type=select,selection_method=dp_hash");
    for (size_t i = 0; i < pn->n; i++) {
        unsigned int key = 0;
        if (ctx->lookup_port) {
            ctx->lookup_port(ctx->aux, pn->names[i], &key);
        }
        struct ofpbuf bucket;
        ofpbuf_init(&bucket, 64);
        lact_put_load_u64(&bucket, MFF_LOG_OUTPORT, 0, 32, key);
        lact_put_resubmit(&bucket, OFTABLE_OUTPUT_LARGE_PKT_DETECT);
        put_bucket(&desc, i, 100, &bucket);
        ofpbuf_uninit(&bucket);
    }
    put_group(ctx, &desc, ofpacts);
    ds_destroy(&desc);
}

void
lact_fwdgrp_destroy(struct lact *act)
{
    struct port_names *pn = act->ext;
    if (pn) {
        for (size_t i = 0; i < pn->n; i++) {
            free(pn->names[i]);
        }
        free(pn->names);
        free(pn);
    }
}

/* Family "meter": set_meter(RATE[, BURST]) in kbps.  ints[0]: rate;
 * ints[1]: burst, or -1. */

char *
lact_meter_parse(struct lact_parser *p, struct lact *act)
{
    act->ints[1] = -1;
    char *error = lact_expect(p, LEX_T_LPAREN, "(");
    if (!error) {
        error = lact_parse_int(p, 1, UINT32_MAX, "rate", &act->ints[0]);
    }
    if (!error && lexer_match(p->lexer, LEX_T_COMMA)) {
        error = lact_parse_int(p, 1, UINT32_MAX, "burst", &act->ints[1]);
    }
    return error ? error : lact_expect(p, LEX_T_RPAREN, ")");
}

void
lact_meter_format(const struct lact *act, struct ds *s)
{
    ds_put_format(s, "set_meter(%"PRId64, act->ints[0]);
    if (act->ints[1] >= 0) {
        ds_put_format(s, ", %"PRId64, act->ints[1]);
    }
    ds_put_char(s, ')');
}

void
lact_meter_encode(const struct lact *act, const struct lact_encode_ctx *ctx,
             struct ofpbuf *ofpacts)
{
    char *desc = (act->ints[1] >= 0
                  ? xasprintf("kbps:rate=%"PRId64",burst=%"PRId64,
                              act->ints[0], act->ints[1])
                  : xasprintf("kbps:rate=%"PRId64, act->ints[0]));
    uint32_t id = lact_take_id(ctx, ctx->meters, desc);
    free(desc);
    if (id) {
        ofpact_put_METER(ofpacts)->meter_id = id;
    }
}

void
lact_meter_destroy(struct lact *act OVS_UNUSED)
{
}

/* Family "learn": commit_ecmp_nh(ipv6 = BOOL, proto = P) (ints[0]: ipv6,
 * ints[1]: IP protocol) and commit_lb_aff(vip = "IP:PORT", backend =
 * "IP:PORT", proto = P, timeout = T) (ext: struct lb_aff). */

struct endpoint {
    int family;
    struct in6_addr ip;
    uint16_t port;
};

struct lb_aff {
    char *vip, *backend;        /* As written. */
    struct endpoint vip_ep, backend_ep;
};

static char *
parse_endpoint(const char *s, struct endpoint *ep)
{
    char *copy = xstrdup(s), *ip = copy, *port;
    char *error = NULL;
    ovs_be32 ip4;
    unsigned int n = 0;

    memset(ep, 0, sizeof *ep);
    if (copy[0] == '[') {
        port = strstr(copy, "]:");
        ip = copy + 1;
        if (port) {
            *port = '\0';
            port += 2;
        }
    } else {
        port = strrchr(copy, ':');
        if (port) {
            *port++ = '\0';
        }
    }
    if (!port || !str_to_uint(port, 10, &n) || !n || n > 65535) {
        error = xasprintf("`%s' must be IP:PORT.", s);
    } else if (ip_parse(ip, &ip4)) {
        ep->family = AF_INET;
        in6_addr_set_mapped_ipv4(&ep->ip, ip4);
    } else if (copy[0] == '[' && ipv6_parse(ip, &ep->ip)) {
        ep->family = AF_INET6;
    } else {
        error = xasprintf("`%s' must be IP:PORT.", s);
    }
    if (!error) {
        ep->port = n;
    }
    free(copy);
    return error;
}

static char *
learn_parse_proto(struct lact_parser *p, int64_t *proto)
{
    if (lexer_match_id(p->lexer, "tcp")) {
        *proto = IPPROTO_TCP;
    } else if (lexer_match_id(p->lexer, "udp")) {
        *proto = IPPROTO_UDP;
    } else if (lexer_match_id(p->lexer, "sctp")) {
        *proto = IPPROTO_SCTP;
    } else {
        return lact_error(p, "expecting `tcp', `udp' or `sctp'.");
    }
    return NULL;
}

static const char *
proto_name(int64_t proto)
{
    return (proto == IPPROTO_TCP ? "tcp"
            : proto == IPPROTO_UDP ? "udp" : "sctp");
}

static char *
learn_parse_arg(struct lact_parser *p, struct lact *act, const char *key)
{
    struct lb_aff *aff = act->ext;
    char *error;

    if (!strcmp(key, "proto") && !act->ints[1]) {
        return learn_parse_proto(p, &act->ints[1]);
    } else if (!aff && !strcmp(key, "ipv6") && act->ints[0] < 0) {
        return fwdgrp_parse_bool(p, &act->ints[0]);
    } else if (aff && !strcmp(key, "timeout") && act->ints[0] < 0) {
        return lact_parse_int(p, 1, UINT16_MAX, "timeout", &act->ints[0]);
    } else if (aff && !strcmp(key, "vip") && !aff->vip) {
        error = lact_parse_string(p, "vip", &aff->vip);
        return error ? error : parse_endpoint(aff->vip, &aff->vip_ep);
    } else if (aff && !strcmp(key, "backend") && !aff->backend) {
        error = lact_parse_string(p, "backend", &aff->backend);
        return error ? error : parse_endpoint(aff->backend,
                                              &aff->backend_ep);
    }
    return xasprintf("%s: unknown or repeated argument `%s'.",
                     lact_class_get(act->type)->keyword, key);
}

char *
lact_learn_parse(struct lact_parser *p, struct lact *act)
{
    bool lb_aff = act->type == LACT_COMMIT_LB_AFF;
    char *error = lact_expect(p, LEX_T_LPAREN, "(");

    act->ints[0] = -1;
    act->ext = lb_aff ? xzalloc(sizeof(struct lb_aff)) : NULL;
    while (!error) {
        if (p->lexer->token.type != LEX_T_ID) {
            return lact_error(p, "expecting argument name.");
        }
        char *key = xstrdup(p->lexer->token.s);
        lexer_get(p->lexer);
        error = lact_expect(p, LEX_T_EQUALS, "=");
        if (!error) {
            error = learn_parse_arg(p, act, key);
        }
        free(key);
        if (error || !lexer_match(p->lexer, LEX_T_COMMA)) {
            break;
        }
    }
    if (!error) {
        error = lact_expect(p, LEX_T_RPAREN, ")");
    }
    if (error) {
        return error;
    }

    struct lb_aff *aff = act->ext;
    if (!act->ints[1] || act->ints[0] < 0
        || (aff && (!aff->vip || !aff->backend))) {
        return xasprintf("%s: missing argument.",
                         lact_class_get(act->type)->keyword);
    }
    if (aff && aff->vip_ep.family != aff->backend_ep.family) {
        return xstrdup("commit_lb_aff: vip and backend families differ.");
    }
    int family = aff ? aff->vip_ep.family : act->ints[0] ? AF_INET6 : AF_INET;
    char *prereq = xasprintf("%s && %s", family == AF_INET ? "ip4" : "ip6",
                             proto_name(act->ints[1]));
    lact_add_prereq(p, prereq);
    free(prereq);
    return NULL;
}

void
lact_learn_format(const struct lact *act, struct ds *s)
{
    const struct lb_aff *aff = act->ext;

    if (!aff) {
        ds_put_format(s, "commit_ecmp_nh(ipv6 = %s, proto = %s)",
                      act->ints[0] ? "true" : "false",
                      proto_name(act->ints[1]));
        return;
    }
    ds_put_cstr(s, "commit_lb_aff(vip = ");
    lex_format_string(aff->vip, s);
    ds_put_cstr(s, ", backend = ");
    lex_format_string(aff->backend, s);
    ds_put_format(s, ", proto = %s, timeout = %"PRId64")",
                  proto_name(act->ints[1]), act->ints[0]);
}

static void
learn_put_ip(const struct endpoint *ep, struct ds *s)
{
    if (ep->family == AF_INET) {
        ds_put_format(s, IP_FMT, IP_ARGS(in6_addr_get_mapped_ipv4(&ep->ip)));
    } else {
        ipv6_format_addr(&ep->ip, s);
    }
}

static void
learn_text_lb_aff(const struct lact *act, const struct lact_encode_ctx *ctx,
                  struct ds *s)
{
    const struct lb_aff *aff = act->ext;
    bool v4 = aff->vip_ep.family == AF_INET;
    const char *proto = proto_name(act->ints[1]);

    ds_put_format(s, "learn(table=%d,idle_timeout=%"PRId64",delete_learned,"
                  "cookie=0x%"PRIx32",OXM_OF_METADATA[],eth_type=%s,"
                  "%s,%s=", OFTABLE_CHK_LB_AFFINITY, act->ints[0],
                  ctx->cookie, v4 ? "0x800" : "0x86dd",
                  v4 ? "NXM_OF_IP_SRC[]" : "NXM_NX_IPV6_SRC[]",
                  v4 ? "ip_dst" : "ipv6_dst");
    learn_put_ip(&aff->vip_ep, s);
    ds_put_format(s, ",nw_proto=%"PRId64",%s_dst=%"PRIu16",load:",
                  act->ints[1], proto, aff->vip_ep.port);
    if (v4) {
        ds_put_format(s, "0x%"PRIx32"->NXM_NX_REG4[]",
                      ntohl(in6_addr_get_mapped_ipv4(&aff->backend_ep.ip)));
    } else {
        ds_put_cstr(s, "0x");
        for (int i = 0; i < 16; i++) {
            ds_put_format(s, "%02x", aff->backend_ep.ip.s6_addr[i]);
        }
        ds_put_cstr(s, "->NXM_NX_XXREG1[]");
    }
    ds_put_format(s, ",load:0x%"PRIx16"->NXM_NX_REG8[0..15],"
                  "load:0x1->NXM_NX_REG10[%d])", aff->backend_ep.port,
                  MLF_USE_LB_AFF_SESSION_BIT);
}

static void
learn_text_ecmp(const struct lact *act, const struct lact_encode_ctx *ctx,
                int table, struct ds *s)
{
    bool v6 = act->ints[0];
    const char *ip = v6 ? "NXM_NX_IPV6" : "NXM_OF_IP";
    const char *l4 = (act->ints[1] == IPPROTO_TCP ? "OXM_OF_TCP"
                      : act->ints[1] == IPPROTO_UDP ? "OXM_OF_UDP"
                      : "OXM_OF_SCTP");

    ds_put_format(s, "learn(table=%d,priority=100,delete_learned,"
                  "cookie=0x%"PRIx32",OXM_OF_METADATA[],eth_type=%s,",
                  table, ctx->cookie, v6 ? "0x86dd" : "0x800");
    if (table == OFTABLE_ECMP_NH_MAC) {
        ds_put_format(s, "%s_SRC[],%s_DST[],nw_proto=%"PRId64",%s_SRC[],"
                      "%s_DST[],NXM_OF_ETH_SRC[],", ip, ip, act->ints[1],
                      l4, l4);
    } else {
        ds_put_format(s, "%s_SRC[]=%s_DST[],%s_DST[]=%s_SRC[],"
                      "nw_proto=%"PRId64",%s_SRC[]=%s_DST[],%s_DST[]=%s_SRC[],",
                      ip, ip, ip, ip, act->ints[1], l4, l4, l4, l4);
    }
    ds_put_format(s, "load:0x1->NXM_NX_REG10[%d])",
                  MLF_LOOKUP_COMMIT_ECMP_NH_BIT);
}

static void
learn_put_text(const char *text, struct ofpbuf *ofpacts)
{
    enum ofputil_protocol usable;
    struct ofpact_parse_params pp = {
        .ofpacts = ofpacts,
        .usable_protocols = &usable,
    };
    char *error = ofpacts_parse_actions(text, &pp);
    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_WARN_RL(&rl, "%s: %s", text, error);
        free(error);
    }
}

void
lact_learn_encode(const struct lact *act, const struct lact_encode_ctx *ctx,
             struct ofpbuf *ofpacts)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    if (act->type == LACT_COMMIT_LB_AFF) {
        learn_text_lb_aff(act, ctx, &s);
        learn_put_text(ds_cstr(&s), ofpacts);
    } else {
        learn_text_ecmp(act, ctx, OFTABLE_ECMP_NH_MAC, &s);
        learn_put_text(ds_cstr(&s), ofpacts);
        ds_clear(&s);
        learn_text_ecmp(act, ctx, OFTABLE_ECMP_NH, &s);
        learn_put_text(ds_cstr(&s), ofpacts);
    }
    ds_destroy(&s);
}

void
lact_learn_destroy(struct lact *act)
{
    struct lb_aff *aff = act->ext;
    if (aff) {
        free(aff->vip);
        free(aff->backend);
        free(aff);
    }
}

/* Family "sample": sample(probability=N, collector_set=N, obs_domain=N,
 * obs_point=N|@cookie).  ints: probability, collector set, observation
 * domain, observation point (-1: the flow's cookie). */

static const char *const sample_keys[] = {
    "probability", "collector_set", "obs_domain", "obs_point",
};
static const int64_t sample_max[] = { UINT16_MAX, UINT32_MAX, UINT8_MAX,
                                      UINT32_MAX };

char *
lact_sample_parse(struct lact_parser *p, struct lact *act)
{
    bool seen[4] = { false, false, false, false };
    char *error = lact_expect(p, LEX_T_LPAREN, "(");

    act->ints[3] = -1;
    while (!error) {
        size_t i;
        for (i = 0; i < ARRAY_SIZE(sample_keys); i++) {
            if (!seen[i] && lexer_match_id(p->lexer, sample_keys[i])) {
                break;
            }
        }
        if (i == ARRAY_SIZE(sample_keys)) {
            return lact_error(p, "unknown or repeated sample() argument.");
        }
        seen[i] = true;
        error = lact_expect(p, LEX_T_EQUALS, "=");
        if (error) {
            break;
        }
        if (i == 3 && p->lexer->token.type == LEX_T_PORT_GROUP
            && !strcmp(p->lexer->token.s, "cookie")) {
            lexer_get(p->lexer);
        } else {
            error = lact_parse_int(p, i == 0, sample_max[i], sample_keys[i],
                                   &act->ints[i]);
        }
        if (error || !lexer_match(p->lexer, LEX_T_COMMA)) {
            break;
        }
    }
    if (!error && !seen[0]) {
        error = xstrdup("sample() needs probability.");
    }
    return error ? error : lact_expect(p, LEX_T_RPAREN, ")");
}

void
lact_sample_format(const struct lact *act, struct ds *s)
{
    ds_put_format(s, "sample(probability=%"PRId64", collector_set=%"PRId64
                  ", obs_domain=%"PRId64", obs_point=", act->ints[0],
                  act->ints[1], act->ints[2]);
    if (act->ints[3] < 0) {
        ds_put_cstr(s, "@cookie)");
    } else {
        ds_put_format(s, "%"PRId64")", act->ints[3]);
    }
}

void
lact_sample_encode(const struct lact *act, const struct lact_encode_ctx *ctx,
              struct ofpbuf *ofpacts)
{
    struct ofpact_sample *os = ofpact_put_SAMPLE(ofpacts);
    os->probability = act->ints[0];
    os->collector_set_id = act->ints[1];
    os->obs_domain_id = (act->ints[2] << 24) | (ctx->dp_key & 0xffffff);
    os->obs_point_id = act->ints[3] < 0 ? ctx->cookie : act->ints[3];
    os->sampling_port = OFPP_NONE;
}

void
lact_sample_destroy(struct lact *act OVS_UNUSED)
{
}
