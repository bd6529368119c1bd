/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Fuzz target for the lexer and the match compiler (lib/lex.h,
 * lib/expr.h).
 *
 * The input is the text of a Logical_Flow "match" column.  The target:
 *
 *   - lexes it to the end; every token but an error formats to text that
 *     lexes back to a token of the same type that formats the same;
 *   - parses it as a match with address sets, port groups (including a
 *     datapath-scoped one) and template variables like northd's;
 *   - if it parses: checks that its format parses again, then annotates,
 *     simplifies and normalizes it, checks the result is normalized, turns
 *     it into OpenFlow matches, and checks that the flow of every plain
 *     (non-conjunctive) match satisfies both the matches and the
 *     simplified expression.
 *
 * Any failed check aborts (see fuzz.h). */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "fuzz.h"
#include "lib/expr.h"
#include "lib/lex.h"
#include "lib/symtab.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "util.h"

/* What every input is compiled with. */
struct fuzz_expr_ctx {
    struct shash symtab;
    struct shash addr_sets;
    struct shash port_groups;
    struct smap templates;
};

static void
add_sets(struct fuzz_expr_ctx *ctx)
{
    static const char *const mgmt[] = {
        "10.9.9.9", "192.168.10.0/24", "192.168.20.5",
    };
    static const char *const v6[] = { "fd10::/64", "fd20::5" };
    static const char *const web4[] = { "10.0.0.11", "10.0.0.12" };
    static const char *const web6[] = { "fd00::11", "fd00::12" };
    static const char *const db4[] = { "10.0.0.13" };
    static const char *const db6[] = { "fd00::13" };
    static const char *const macs[] = { "1e:a2:c2:93:7d:5a" };
    static const char *const lb4[] = { "10.0.0.200", "172.16.0.200" };
    static const char *const web[] = { "p1", "p2" };
    static const char *const db[] = { "p3" };

    expr_const_sets_add_integers(&ctx->addr_sets, "as_mgmt", mgmt, 3);
    expr_const_sets_add_integers(&ctx->addr_sets, "as_v6", v6, 2);
    expr_const_sets_add_integers(&ctx->addr_sets, "pg_web_ip4", web4, 2);
    expr_const_sets_add_integers(&ctx->addr_sets, "pg_web_ip6", web6, 2);
    expr_const_sets_add_integers(&ctx->addr_sets, "pg_db_ip4", db4, 1);
    expr_const_sets_add_integers(&ctx->addr_sets, "pg_db_ip6", db6, 1);
    expr_const_sets_add_integers(&ctx->addr_sets, "svc_monitor_mac", macs,
                                 1);
    expr_const_sets_add_integers(&ctx->addr_sets, "_rtr_lb_5_ip4", lb4, 2);
    expr_const_sets_add_strings(&ctx->port_groups, "1_pg_web", web, 2);
    expr_const_sets_add_strings(&ctx->port_groups, "1_pg_db", db, 1);
    expr_const_sets_add_strings(&ctx->port_groups, "pg_all", web, 2);
}

/* Returns the context, made on first use.  libFuzzer's entry point takes
 * no argument, so this one function-local pointer is the target's only
 * state; it is never freed (it stays reachable, so LeakSanitizer does not
 * report it). */
static struct fuzz_expr_ctx *
ctx_get(void)
{
    static struct fuzz_expr_ctx *ctx;

    if (!ctx) {
        ctx = xzalloc(sizeof *ctx);
        vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
        shash_init(&ctx->symtab);
        symtab_init(&ctx->symtab);
        shash_init(&ctx->addr_sets);
        shash_init(&ctx->port_groups);
        add_sets(ctx);
        smap_init(&ctx->templates);
        smap_add(&ctx->templates, "vip", "10.1.0.210");
        smap_add(&ctx->templates, "vport", "8080");
    }
    return ctx;
}

/* Port p1 is resident (ports are resolved by fuzz_lookup_port()). */
static bool
is_resident(const void *aux OVS_UNUSED, const char *port)
{
    return !strcmp(port, "p1");
}

/* Lexes 'input' to the end, checking each token's format. */
static void
check_lexer(const char *input)
{
    struct lexer lexer;
    size_t n = 0, max = strlen(input) + 2;

    lexer_init(&lexer, input);
    while (lexer_get(&lexer) != LEX_T_END) {
        if (++n > max) {
            fuzz_check_failed(input, "lexer does not advance");
        }
        if (lexer.token.type == LEX_T_ERROR) {
            continue;
        }

        struct ds s1 = DS_EMPTY_INITIALIZER, s2 = DS_EMPTY_INITIALIZER;
        struct lex_token again;
        const char *start;

        lex_token_format(&lexer.token, &s1);
        lex_token_init(&again);
        lex_token_parse(&again, ds_cstr(&s1), &start);
        lex_token_format(&again, &s2);
        if (again.type != lexer.token.type || strcmp(ds_cstr(&s1),
                                                     ds_cstr(&s2))) {
            fuzz_check_failed(input, "token \"%s\" lexes back as \"%s\"",
                              ds_cstr(&s1), ds_cstr(&s2));
        }
        lex_token_destroy(&again);
        ds_destroy(&s1);
        ds_destroy(&s2);
    }
    lexer_destroy(&lexer);
}

/* Checks that the flow of every plain match satisfies 'matches' and
 * 'simplified'. */
static void
check_matches(const struct hmap *matches, const struct expr *simplified,
              const char *input)
{
    const struct expr_match *m;

    HMAP_FOR_EACH (m, hmap_node, matches) {
        if (m->n || m->match.wc.masks.conj_id) {
            continue;
        }
        if (!expr_matches_evaluate(matches, &m->match.flow)) {
            fuzz_check_failed(input, "a match's own flow does not match");
        }
        if (!expr_evaluate(simplified, &m->match.flow, fuzz_lookup_port,
                           NULL)) {
            struct ds s = DS_EMPTY_INITIALIZER;
            expr_match_format(m, &s);
            fuzz_check_failed(input, "flow of match %s does not satisfy "
                              "the expression", ds_cstr(&s));
        }
    }
}

/* Runs the stages after parsing on 'e' (takes ownership). */
static void
compile(struct fuzz_expr_ctx *ctx, struct expr *e, const char *input)
{
    char *error;

    e = expr_annotate(e, &ctx->symtab, &error);
    if (!e) {
        /* E.g. a prerequisite cycle cannot happen with our symtab, but an
         * annotation error is a rejection, not a crash. */
        free(error);
        return;
    }
    e = expr_simplify(e, is_resident, NULL);
    struct expr *simplified = expr_clone(e);
    e = expr_normalize(e, &error);
    if (!e) {
        free(error);            /* Too many clauses. */
        expr_destroy(simplified);
        return;
    }
    if (!expr_is_normalized(e)) {
        fuzz_check_failed(input, "expr_normalize() result not normalized");
    }

    struct hmap matches = HMAP_INITIALIZER(&matches);
    expr_to_matches(e, fuzz_lookup_port, NULL, 0, &matches);
    check_matches(&matches, simplified, input);
    expr_matches_destroy(&matches);
    expr_destroy(simplified);
    expr_destroy(e);
}

char *
fuzz_run(const uint8_t *data, size_t size)
{
    struct fuzz_expr_ctx *ctx = ctx_get();
    char *input = xmemdup0((const char *) data, size);
    struct expr_parse_ctx pctx = {
        .symtab = &ctx->symtab,
        .addr_sets = &ctx->addr_sets,
        .port_groups = &ctx->port_groups,
        .templates = &ctx->templates,
        .dp_key = 1,
    };
    char *error;

    check_lexer(input);
    struct expr *e = expr_parse_string(input, &pctx, &error);
    if (e) {
        char *s = expr_to_string(e);
        struct expr *again = expr_parse_string(s, &pctx, &error);
        if (!again) {
            fuzz_check_failed(input, "format \"%s\" does not parse: %s",
                              s, error);
        }
        expr_destroy(again);
        free(s);
        compile(ctx, e, input);
        error = NULL;
    }
    free(input);
    return error;
}
