/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Actions that answer with options: R = put_dhcp_opts(...),
 * R = put_dhcpv6_opts(...), R = put_nd_ra_opts(...) (family "dhcp"), and
 * the option definition tables they use.  The options travel in the
 * controller userdata as CTLOP_TAG_OPTION arguments, already in wire
 * form: pinctrl copies them into the reply. */

#include <config.h>
#include "actions-private.h"

#include <string.h>
#include "byte-order.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(actions_dhcp);

/* Option definitions. */

/* Adds option 'name' with 'code' and 'type' to 'defs', replacing any. */
void
lact_opt_defs_add(struct shash *defs, const char *name, int code,
                  const char *type)
{
    struct lact_opt_def *def = xmalloc(sizeof *def);
    def->name = xstrdup(name);
    def->code = code;
    def->type = xstrdup(type);

    struct lact_opt_def *old = shash_replace(defs, name, def);
    if (old) {
        free(old->name);
        free(old->type);
        free(old);
    }
}

/* Frees every definition in 'defs' and 'defs' itself (NULL-safe). */
void
lact_opt_defs_destroy(struct shash *defs)
{
    if (defs) {
        struct shash_node *node;
        SHASH_FOR_EACH (node, defs) {
            struct lact_opt_def *def = node->data;
            free(def->name);
            free(def->type);
            free(def);
        }
        shash_destroy(defs);
    }
}

/* Adds the common DHCPv4 and DHCPv6 options (as ovn-northd writes into
 * the SB DHCP_Options and DHCPv6_Options tables) to 'dhcp' and 'dhcpv6'.
 * For tests and tools that have no SB database at hand. */
void
lact_opt_defs_add_defaults(struct shash *dhcp, struct shash *dhcpv6)
{
    static const struct { const char *name; int code; const char *type; }
    v4[] = {
        { "offerip", 0, "ipv4" }, { "netmask", 1, "ipv4" },
        { "router", 3, "ipv4" }, { "dns_server", 6, "ipv4" },
        { "log_server", 7, "ipv4" }, { "hostname", 12, "str" },
        { "domain_name", 15, "str" }, { "ip_forward_enable", 19, "bool" },
        { "mtu", 26, "uint16" }, { "router_discovery", 31, "bool" },
        { "ntp_server", 42, "ipv4" }, { "lease_time", 51, "uint32" },
        { "server_id", 54, "ipv4" }, { "T1", 58, "uint32" },
        { "T2", 59, "uint32" }, { "tftp_server", 66, "host_id" },
        { "bootfile_name", 67, "str" }, { "domain_search_list", 119,
                                          "domains" },
        { "classless_static_route", 121, "static_routes" },
        { "ms_classless_static_route", 249, "static_routes" },
        { "wpad", 252, "str" },
    }, v6[] = {
        { "server_id", 2, "mac" }, { "ia_addr", 5, "ipv6" },
        { "dns_server", 23, "ipv6" }, { "domain_search", 24, "str" },
        { "fqdn", 39, "domain" },
    };
    for (size_t i = 0; dhcp && i < ARRAY_SIZE(v4); i++) {
        lact_opt_defs_add(dhcp, v4[i].name, v4[i].code, v4[i].type);
    }
    for (size_t i = 0; dhcpv6 && i < ARRAY_SIZE(v6); i++) {
        lact_opt_defs_add(dhcpv6, v6[i].name, v6[i].code, v6[i].type);
    }
}

/* ND RA options are fixed by ovn-sb(5); the codes are ours. */
static char nd_addr_mode[] = "addr_mode", nd_slla[] = "slla",
    nd_mtu[] = "mtu", nd_prefix[] = "prefix", nd_rdnss[] = "rdnss",
    nd_dnssl[] = "dnssl", nd_route_info[] = "route_info",
    nd_router_pref[] = "router_preference", t_str[] = "str",
    t_mac[] = "mac", t_uint32[] = "uint32", t_ipv6[] = "ipv6";
static const struct lact_opt_def nd_ra_defs[] = {
    { nd_addr_mode, 1, t_str }, { nd_slla, 2, t_mac },
    { nd_mtu, 3, t_uint32 }, { nd_prefix, 4, t_ipv6 },
    { nd_rdnss, 5, t_ipv6 }, { nd_dnssl, 6, t_str },
    { nd_route_info, 7, t_str }, { nd_router_pref, 8, t_str },
};

/* One parsed option. */
struct dhcp_opt {
    const struct lact_opt_def *def;     /* In the parse context (or the
                                         * static ND RA table). */
    char *name;                         /* Copy of def->name. */
    int code;                           /* Copy of def->code. */
    char *type;                         /* Copy of def->type. */
    struct lact_const *values;
    size_t n_values;
    bool braces;                        /* Written as a { } set? */
};

struct dhcp_opts {
    struct dhcp_opt *opts;
    size_t n;
};

static const struct lact_opt_def *
dhcp_find_def(const struct lact_parser *p, enum lact_type type,
              const char *name)
{
    const struct shash *defs = (type == LACT_PUT_DHCP_OPTS
                                ? p->ctx->dhcp_opts
                                : p->ctx->dhcpv6_opts);
    if (type == LACT_PUT_ND_RA_OPTS) {
        for (size_t i = 0; i < ARRAY_SIZE(nd_ra_defs); i++) {
            if (!strcmp(nd_ra_defs[i].name, name)) {
                return &nd_ra_defs[i];
            }
        }
        return NULL;
    }
    return defs ? shash_find_data(defs, name) : NULL;
}

/* Checks that constant 'c' suits an option of 'type'. */
static char *
dhcp_check_value(const struct dhcp_opt *o, const struct lact_const *c)
{
    const char *t = o->type;
    bool is_str = !strcmp(t, "str") || !strcmp(t, "host_id")
                  || !strcmp(t, "domains") || !strcmp(t, "domain");
    int bits = (!strcmp(t, "uint8") || !strcmp(t, "bool") ? 8
                : !strcmp(t, "uint16") ? 16 : !strcmp(t, "uint32") ? 32 : 0);

    if (is_str != !!c->string) {
        return xasprintf("%s option %s needs a %s value.", t, o->name,
                         is_str ? "string" : "numeric");
    }
    if (is_str) {
        return NULL;
    }
    if (bits && (c->masked || c->format != LEX_F_DECIMAL
                 || !bitwise_is_all_zeros(&c->value, sizeof c->value, bits,
                                          sizeof c->value * 8 - bits))) {
        return xasprintf("%s option %s needs a %d-bit decimal value.", t,
                         o->name, bits);
    }
    if ((!strcmp(t, "ipv4") && (c->format != LEX_F_IPV4 || c->masked))
        || (!strcmp(t, "ipv6") && c->format != LEX_F_IPV6)
        || (!strcmp(t, "mac") && c->format != LEX_F_ETHERNET)
        || (!strcmp(t, "static_routes") && c->format != LEX_F_IPV4)) {
        return xasprintf("option %s needs %s values.", o->name, t);
    }
    return NULL;
}

static char *
dhcp_parse_values(struct lact_parser *p, struct dhcp_opt *o)
{
    size_t allocated = 0;
    char *error = NULL;

    o->braces = lexer_match(p->lexer, LEX_T_LCURLY);
    do {
        if (o->n_values >= LACT_MAX_LIST) {
            return xasprintf("option %s has more than %d values.", o->name,
                             LACT_MAX_LIST);
        }
        if (o->n_values >= allocated) {
            o->values = x2nrealloc(o->values, &allocated, sizeof *o->values);
        }
        struct lact_const *c = &o->values[o->n_values];
        error = lact_parse_const(p, c);
        if (error) {
            return error;
        }
        o->n_values++;
        error = dhcp_check_value(o, c);
    } while (!error && o->braces && lexer_match(p->lexer, LEX_T_COMMA));
    if (!error && o->braces) {
        error = lact_expect(p, LEX_T_RCURLY, "}");
    }
    return error;
}

static char *
dhcp_parse_option(struct lact_parser *p, struct lact *act,
                  struct dhcp_opts *opts, size_t *allocated)
{
    if (p->lexer->token.type != LEX_T_ID) {
        return lact_error(p, "expecting option name.");
    }
    const struct lact_opt_def *def = dhcp_find_def(p, act->type,
                                                   p->lexer->token.s);
    if (!def) {
        return lact_error(p, "unknown option.");
    }
    lexer_get(p->lexer);
    if (opts->n >= LACT_MAX_LIST) {
        return xasprintf("more than %d options.", LACT_MAX_LIST);
    }
    if (opts->n >= *allocated) {
        opts->opts = x2nrealloc(opts->opts, allocated, sizeof *opts->opts);
    }
    struct dhcp_opt *o = &opts->opts[opts->n++];
    memset(o, 0, sizeof *o);
    o->def = def;
    o->name = xstrdup(def->name);
    o->code = def->code;
    o->type = xstrdup(def->type);

    char *error = lact_expect(p, LEX_T_EQUALS, "=");
    return error ? error : dhcp_parse_values(p, o);
}

static bool
dhcp_has(const struct dhcp_opts *opts, const char *name)
{
    for (size_t i = 0; i < opts->n; i++) {
        if (!strcmp(opts->opts[i].name, name)) {
            return true;
        }
    }
    return false;
}

char *
lact_dhcp_parse(struct lact_parser *p, struct lact *act)
{
    struct dhcp_opts *opts = xzalloc(sizeof *opts);
    size_t allocated = 0;
    act->ext = opts;

    char *error = lact_check_result(p, act, 1);
    if (!error) {
        error = lact_expect(p, LEX_T_LPAREN, "(");
    }
    if (!error && act->type == LACT_PUT_DHCPV6_OPTS
        && lexer_match(p->lexer, LEX_T_RPAREN)) {
        return NULL;
    }
    while (!error) {
        error = dhcp_parse_option(p, act, opts, &allocated);
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
    if (act->type == LACT_PUT_DHCP_OPTS
        && (!opts->n || strcmp(opts->opts[0].name, "offerip"))) {
        return xstrdup("put_dhcp_opts: offerip must be the first option.");
    }
    if (act->type == LACT_PUT_ND_RA_OPTS
        && (!dhcp_has(opts, "addr_mode") || !dhcp_has(opts, "slla"))) {
        return xstrdup("put_nd_ra_opts: addr_mode and slla are "
                       "mandatory.");
    }
    if (act->type == LACT_PUT_DHCP_OPTS) {
        lact_add_prereq(p, "udp");
    }
    return NULL;
}

void
lact_dhcp_format(const struct lact *act, struct ds *s)
{
    const struct dhcp_opts *opts = act->ext;

    lact_field_format(&act->dst, s);
    ds_put_format(s, " = %s(", lact_class_get(act->type)->keyword);
    for (size_t i = 0; i < opts->n; i++) {
        const struct dhcp_opt *o = &opts->opts[i];
        ds_put_format(s, "%s%s = ", i ? ", " : "", o->name);
        if (o->braces) {
            ds_put_char(s, '{');
        }
        for (size_t j = 0; j < o->n_values; j++) {
            if (j) {
                ds_put_cstr(s, ", ");
            }
            lact_const_format(&o->values[j], s);
        }
        if (o->braces) {
            ds_put_char(s, '}');
        }
    }
    ds_put_char(s, ')');
}

/* Appends the low 'n' bytes of 'c' to 'buf'. */
static void
put_low_bytes(struct ofpbuf *buf, const struct lact_const *c, size_t n)
{
    ofpbuf_put(buf, &c->value.u8[sizeof c->value - n], n);
}

static void
dhcp_encode_value(const struct dhcp_opt *o, const struct lact_const *c,
                  struct ofpbuf *buf)
{
    const char *t = o->type;

    if (c->string) {
        ofpbuf_put(buf, c->string, strlen(c->string));
    } else if (!strcmp(t, "uint8") || !strcmp(t, "bool")) {
        put_low_bytes(buf, c, 1);
    } else if (!strcmp(t, "uint16")) {
        put_low_bytes(buf, c, 2);
    } else if (!strcmp(t, "uint32") || !strcmp(t, "ipv4")) {
        put_low_bytes(buf, c, 4);
    } else if (!strcmp(t, "mac")) {
        put_low_bytes(buf, c, 6);
    } else if (c->masked) {
        /* A prefix (static routes, RA prefix): length, then the address. */
        size_t n = !strcmp(t, "ipv6") ? 16 : 4;
        int plen = bitwise_scan(&c->mask, sizeof c->mask, true, 0,
                                sizeof c->mask * 8);
        uint8_t len = n * 8 - MIN(plen, n * 8);
        ofpbuf_put(buf, &len, 1);
        if (n == 16) {
            put_low_bytes(buf, c, 16);
        } else {
            ofpbuf_put(buf, &c->value.u8[sizeof c->value - 4],
                       DIV_ROUND_UP(len, 8));
        }
    } else {
        put_low_bytes(buf, c, !strcmp(t, "ipv6") ? 16 : 4);
    }
}

void
lact_dhcp_encode(const struct lact *act, const struct lact_encode_ctx *ctx,
            struct ofpbuf *ofpacts)
{
    const struct dhcp_opts *opts = act->ext;
    struct mf_subfield dst;

    enum ctlop_opcode op = lact_class_get(act->type)->param;
    size_t h = ctlop_start(ofpacts, op, true,
                           lact_ctlr_meter(ctx, op, ctx->ctrl_meter_id));
    lact_field_subfield(&act->dst, &dst);
    ctlop_put_subfield(ofpacts, CTLOP_TAG_RESULT, &dst);
    for (size_t i = 0; i < opts->n; i++) {
        const struct dhcp_opt *o = &opts->opts[i];
        struct ofpbuf value;
        ofpbuf_init(&value, 16);
        for (size_t j = 0; j < o->n_values; j++) {
            dhcp_encode_value(o, &o->values[j], &value);
        }
        ctlop_put_option(ofpacts, o->code, value.data, value.size);
        ofpbuf_uninit(&value);
    }
    ctlop_finish(ofpacts, h);
}

void
lact_dhcp_destroy(struct lact *act)
{
    struct dhcp_opts *opts = act->ext;
    if (!opts) {
        return;
    }
    for (size_t i = 0; i < opts->n; i++) {
        struct dhcp_opt *o = &opts->opts[i];
        for (size_t j = 0; j < o->n_values; j++) {
            free(o->values[j].string);
        }
        free(o->values);
        free(o->name);
        free(o->type);
    }
    free(opts->opts);
    free(opts);
}
