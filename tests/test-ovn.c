/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Unit test driver for the logical flow expression compiler.
 *
 * Usage: test-ovn [OPTIONS] COMMAND [ARG...]
 *
 * Commands that read one input per line from stdin and print one result
 * per line (or an error):
 *   lex            tokens
 *   parse          parsed expression, formatted
 *   round-trip     "ok" if format(parse(format(parse(x)))) is stable
 *   annotate       with prerequisites
 *   simplify       simplified
 *   normalize      in disjunctive normal form
 *   expr-to-flows  OpenFlow matches (several lines per input)
 *
 * Checks and measurements:
 *   exhaustive N [SEED]   N random expressions over small fields, every
 *                         stage and the OpenFlow matches evaluated on every
 *                         possible packet; prints a summary, exits 1 on a
 *                         disagreement.
 *   compile-file FILE [N] every line of FILE (matches ovn-northd wrote)
 *                         must compile; each is also cross-checked on N
 *                         random packets.  Prints a summary; exits 1 on
 *                         failure.
 *   bench FILE ROUNDS     compiles FILE's lines ROUNDS times, prints rates.
 *   conj-ids              reads "alloc UUID N" and "free UUID" lines and
 *                         prints the conjunction id ranges handed out;
 *                         "fresh" starts an empty table whose hint is the
 *                         one used so far (conj_ids_set_hint()).
 *
 * Options:
 *   --ports=FILE          logical port names, one a line (key = line
 *                         number); default: built-in test ports
 *   --address-sets=FILE   "NAME ADDR..." a line; default: built-in sets
 *   --port-groups=FILE    "NAME PORT..." a line; default: built-in groups
 *   --dp-key=N            datapath key for port group scoping
 *   --resident=PORT,...   ports is_chassis_resident() says are here
 *   --template=NAME=VALUE a template variable
 *   --conj-id-ofs=N       expr-to-flows numbers conjunctions from N + 1
 *   --refs                "parse" also prints the address sets and port
 *                         groups each input refers to */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/conj-ids.h"
#include "lib/expr.h"
#include "flow.h"
#include "lib/lex.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "uuid.h"
#include "openvswitch/vlog.h"
#include "random.h"
#include "smap.h"
#include "sset.h"
#include "lib/symtab.h"
#include "timeval.h"
#include "util.h"

/* Everything the commands share. */
struct test_ctx {
    struct shash symtab;
    struct shash addr_sets;
    struct shash port_groups;
    struct smap templates;
    struct shash ports;         /* Name -> key (as uintptr_t). */
    struct sset resident;
    int64_t dp_key;
    uint32_t conj_id_ofs;
    bool show_refs;             /* Print referenced sets after "parse". */
};

static bool
lookup_port_cb(const void *aux, const char *name, unsigned int *key)
{
    const struct test_ctx *ctx = aux;
    void *data = shash_find_data(&ctx->ports, name);

    if (data) {
        *key = (uintptr_t) data;
        return true;
    }
    return false;
}

static bool
is_resident_cb(const void *aux, const char *port)
{
    const struct test_ctx *ctx = aux;
    return sset_contains(&ctx->resident, port);
}

static void
add_port(struct test_ctx *ctx, const char *name, uintptr_t key)
{
    shash_replace(&ctx->ports, name, (void *) key);
}

/* Built-in data for the golden tests. */
static void
add_defaults(struct test_ctx *ctx, bool ports, bool sets, bool groups)
{
    static const char *set1[] = { "10.0.0.1", "10.0.0.2", "10.0.0.3" };
    static const char *set2[] = { "172.16.0.0/16", "172.18.0.0/16" };
    static const char *set6[] = { "fd00::1", "fd00::2" };
    static const char *macs[] = { "00:00:00:00:00:01",
                                  "00:00:00:00:00:02" };
    static const char *ips15[] = {
        "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5",
        "10.0.0.6", "10.0.0.7", "10.0.0.8", "10.0.0.9", "10.0.0.10",
        "10.0.0.11", "10.0.0.12", "10.0.0.13", "10.0.0.14", "10.0.0.15",
    };
    static const char *pg1[] = { "lsp1", "lsp2", "lsp3" };
    static const char *pg1_dp1[] = { "lsp1" };

    if (ports) {
        char name[16];

        for (int i = 1; i <= 9; i++) {
            snprintf(name, sizeof name, "lsp%d", i);
            add_port(ctx, name, i);
        }
        add_port(ctx, "eth0", 0x10);
        add_port(ctx, "eth1", 0x11);
        add_port(ctx, "lrp0", 0x20);
        add_port(ctx, "_MC_flood", 0x8000);
    }
    if (sets) {
        expr_const_sets_add_integers(&ctx->addr_sets, "set1", set1, 3);
        expr_const_sets_add_integers(&ctx->addr_sets, "set2", set2, 2);
        expr_const_sets_add_integers(&ctx->addr_sets, "set6", set6, 2);
        expr_const_sets_add_integers(&ctx->addr_sets, "macs", macs, 2);
        expr_const_sets_add_integers(&ctx->addr_sets, "ips15", ips15, 15);
        expr_const_sets_add_integers(&ctx->addr_sets, "empty", NULL, 0);
    }
    if (groups) {
        expr_const_sets_add_strings(&ctx->port_groups, "pg1", pg1, 3);
        expr_const_sets_add_strings(&ctx->port_groups, "1_pg1", pg1_dp1, 1);
        expr_const_sets_add_strings(&ctx->port_groups, "pg_empty", NULL, 0);
    }
}

/* Reads "NAME VALUE..." lines from 'file_name' into sets. */
static void
read_sets(const char *file_name, struct shash *sets, bool strings)
{
    FILE *file = fopen(file_name, "r");
    struct ds line = DS_EMPTY_INITIALIZER;

    if (!file) {
        ovs_fatal(errno, "%s: open failed", file_name);
    }
    while (!ds_get_line(&line, file)) {
        char *save_ptr = NULL;
        char *name = strtok_r(ds_cstr(&line), " \t", &save_ptr);
        const char **values = NULL;
        size_t n = 0, allocated = 0;
        char *word;

        if (!name) {
            continue;
        }
        while ((word = strtok_r(NULL, " \t", &save_ptr))) {
            if (n >= allocated) {
                values = x2nrealloc(values, &allocated, sizeof *values);
            }
            values[n++] = word;
        }
        if (strings) {
            expr_const_sets_add_strings(sets, name, values, n);
        } else {
            expr_const_sets_add_integers(sets, name, values, n);
        }
        free(values);
    }
    ds_destroy(&line);
    fclose(file);
}

static void
read_ports(struct test_ctx *ctx, const char *file_name)
{
    FILE *file = fopen(file_name, "r");
    struct ds line = DS_EMPTY_INITIALIZER;
    uintptr_t key = 1;

    if (!file) {
        ovs_fatal(errno, "%s: open failed", file_name);
    }
    while (!ds_get_line(&line, file)) {
        ds_chomp(&line, ' ');
        if (line.length) {
            add_port(ctx, ds_cstr(&line), key++);
        }
    }
    ds_destroy(&line);
    fclose(file);
}

static void
parse_ctx_init(const struct test_ctx *ctx, struct expr_parse_ctx *pctx)
{
    *pctx = (struct expr_parse_ctx) {
        .symtab = &ctx->symtab,
        .addr_sets = &ctx->addr_sets,
        .port_groups = &ctx->port_groups,
        .templates = &ctx->templates,
        .dp_key = ctx->dp_key,
    };
}

/* Stages of the pipeline a command runs up to. */
enum stage {
    STAGE_PARSE,
    STAGE_ANNOTATE,
    STAGE_SIMPLIFY,
    STAGE_NORMALIZE,
    STAGE_FLOWS,
};

/* Runs 's' through the pipeline up to 'stage'.  Returns the expression or
 * NULL with an error. */
static struct expr *
run_stages(const struct test_ctx *ctx, const char *s, enum stage stage,
           char **errorp)
{
    struct expr_parse_ctx pctx;
    struct expr *e;

    parse_ctx_init(ctx, &pctx);
    e = expr_parse_string(s, &pctx, errorp);
    if (e && stage >= STAGE_ANNOTATE) {
        e = expr_annotate(e, &ctx->symtab, errorp);
    }
    if (e && stage >= STAGE_SIMPLIFY) {
        e = expr_simplify(e, is_resident_cb, ctx);
    }
    if (e && stage >= STAGE_NORMALIZE) {
        e = expr_normalize(e, errorp);
    }
    return e;
}

static void
print_tokens(const char *s)
{
    struct ds out = DS_EMPTY_INITIALIZER;
    struct lexer lexer;

    lexer_init(&lexer, s);
    while (lexer_get(&lexer) != LEX_T_END) {
        if (out.length) {
            ds_put_char(&out, ' ');
        }
        lex_token_format(&lexer.token, &out);
        if (lexer.token.type == LEX_T_ERROR) {
            break;
        }
    }
    lexer_destroy(&lexer);
    puts(ds_cstr(&out));
    ds_destroy(&out);
}

static void
print_sorted(const char *title, const struct sset *set)
{
    const char **names = sset_sort(set);

    printf("  %s:", title);
    for (size_t i = 0; i < sset_count(set); i++) {
        printf(" %s", names[i]);
    }
    printf("\n");
    free(names);
}

/* Parses 's' and prints the address sets and port groups it refers to. */
static void
print_refs(const struct test_ctx *ctx, const char *s)
{
    struct sset addr_sets = SSET_INITIALIZER(&addr_sets);
    struct sset port_groups = SSET_INITIALIZER(&port_groups);
    struct expr_parse_ctx pctx;
    char *error;

    parse_ctx_init(ctx, &pctx);
    pctx.addr_sets_ref = &addr_sets;
    pctx.port_groups_ref = &port_groups;
    expr_destroy(expr_parse_string(s, &pctx, &error));
    free(error);

    print_sorted("address sets", &addr_sets);
    print_sorted("port groups", &port_groups);
    sset_destroy(&addr_sets);
    sset_destroy(&port_groups);
}

static void
print_stage(const struct test_ctx *ctx, const char *s, enum stage stage)
{
    char *error;
    struct expr *e = run_stages(ctx, s, stage, &error);

    if (!e) {
        printf("%s\n", error);
        free(error);
        return;
    }
    if (stage == STAGE_FLOWS) {
        struct hmap matches = HMAP_INITIALIZER(&matches);

        expr_to_matches(e, lookup_port_cb, ctx, ctx->conj_id_ofs, &matches);
        if (hmap_is_empty(&matches)) {
            puts("(no flows)");
        }
        expr_matches_print(&matches, stdout);
        expr_matches_destroy(&matches);
    } else {
        expr_print(e);
    }
    expr_destroy(e);
}

/* Formats, parses again and formats again; reports any difference. */
static void
print_round_trip(const struct test_ctx *ctx, const char *s)
{
    char *error;
    struct expr *e1 = run_stages(ctx, s, STAGE_PARSE, &error);
    struct expr *e2;
    char *s1, *s2;

    if (!e1) {
        printf("%s\n", error);
        free(error);
        return;
    }
    s1 = expr_to_string(e1);
    e2 = run_stages(ctx, s1, STAGE_PARSE, &error);
    if (!e2) {
        printf("reparse of `%s' failed: %s\n", s1, error);
        free(error);
    } else {
        s2 = expr_to_string(e2);
        if (strcmp(s1, s2) || !expr_equals(e1, e2)) {
            printf("round trip differs: `%s' -> `%s'\n", s1, s2);
        } else {
            puts("ok");
        }
        free(s2);
    }
    free(s1);
    expr_destroy(e1);
    expr_destroy(e2);
}

static void
for_each_line(const struct test_ctx *ctx, const char *command)
{
    struct ds line = DS_EMPTY_INITIALIZER;

    while (!ds_get_line(&line, stdin)) {
        const char *s = ds_cstr(&line);

        if (!strcmp(command, "lex")) {
            print_tokens(s);
        } else if (!strcmp(command, "parse")) {
            print_stage(ctx, s, STAGE_PARSE);
            if (ctx->show_refs) {
                print_refs(ctx, s);
            }
        } else if (!strcmp(command, "round-trip")) {
            print_round_trip(ctx, s);
        } else if (!strcmp(command, "annotate")) {
            print_stage(ctx, s, STAGE_ANNOTATE);
        } else if (!strcmp(command, "simplify")) {
            print_stage(ctx, s, STAGE_SIMPLIFY);
        } else if (!strcmp(command, "normalize")) {
            print_stage(ctx, s, STAGE_NORMALIZE);
        } else {
            print_stage(ctx, s, STAGE_FLOWS);
        }
        fflush(stdout);
    }
    ds_destroy(&line);
}

/* Cross-checking on packets. */

/* The outcome of evaluating every stage of one expression on one packet. */
struct verdicts {
    bool annotated, simplified, normalized, flows;
};

/* Holds every stage of one expression and its flows. */
struct compiled {
    struct expr *annotated;
    struct expr *simplified;
    struct expr *normalized;
    struct hmap matches;
    bool has_conditions;        /* is_chassis_resident() in 'annotated'? */
};

static bool
has_conditions(const struct expr *e)
{
    const struct expr *sub;

    if (e->type == EXPR_T_CONDITION) {
        return true;
    } else if (e->type == EXPR_T_AND || e->type == EXPR_T_OR) {
        LIST_FOR_EACH (sub, node, &e->andor) {
            if (has_conditions(sub)) {
                return true;
            }
        }
    }
    return false;
}

static char *
compile_all(const struct test_ctx *ctx, const char *s, struct compiled *c)
{
    char *error;

    memset(c, 0, sizeof *c);
    hmap_init(&c->matches);
    c->annotated = run_stages(ctx, s, STAGE_ANNOTATE, &error);
    if (!c->annotated) {
        return error;
    }
    c->has_conditions = has_conditions(c->annotated);
    c->simplified = expr_simplify(expr_clone(c->annotated), is_resident_cb,
                                  ctx);
    c->normalized = expr_normalize(expr_clone(c->simplified), &error);
    if (!c->normalized) {
        return error;
    }
    expr_to_matches(c->normalized, lookup_port_cb, ctx, 0, &c->matches);
    return NULL;
}

static void
compiled_destroy(struct compiled *c)
{
    expr_destroy(c->annotated);
    expr_destroy(c->simplified);
    expr_destroy(c->normalized);
    expr_matches_destroy(&c->matches);
}

/* Evaluates every stage of 'c' on 'flow'.  Returns true if all agree.  The
 * annotated stage still has is_chassis_resident() conditions, which the
 * evaluator cannot decide, so it is compared only when it has none. */
static bool
check_packet(const struct test_ctx *ctx, const struct compiled *c,
             const struct flow *flow, struct verdicts *v)
{
    v->simplified = expr_evaluate(c->simplified, flow, lookup_port_cb, ctx);
    v->annotated = (c->has_conditions ? v->simplified
                    : expr_evaluate(c->annotated, flow, lookup_port_cb,
                                    ctx));
    v->normalized = expr_evaluate(c->normalized, flow, lookup_port_cb, ctx);
    v->flows = expr_matches_evaluate(&c->matches, flow);
    return (v->annotated == v->simplified && v->simplified == v->normalized
            && v->normalized == v->flows);
}

/* Appends the fields of 'flow' that 'e' tests to 's'. */
static void
format_tested_fields(const struct expr *e, const struct flow *flow,
                     struct ds *s)
{
    const struct expr *sub;

    if (e->type == EXPR_T_AND || e->type == EXPR_T_OR) {
        LIST_FOR_EACH (sub, node, &e->andor) {
            format_tested_fields(sub, flow, s);
        }
    } else if (e->type == EXPR_T_CMP) {
        const struct mf_field *mf = e->cmp.symbol->field;
        union mf_value value;
        char *name = xasprintf("%s=", mf->name);

        if (!strstr(ds_cstr(s), name)) {
            mf_get_value(mf, flow, &value);
            ds_put_format(s, " %s", name);
            mf_format(mf, &value, NULL, NULL, s);
        }
        free(name);
    }
}

static void
report_mismatch(const char *s, const struct compiled *c,
                const struct flow *flow, const struct verdicts *v)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    char *t;

    format_tested_fields(c->simplified, flow, &ds);
    printf("MISMATCH for `%s'\n  packet:%s\n", s, ds_cstr(&ds));
    printf("  annotated=%d simplified=%d normalized=%d flows=%d\n",
           v->annotated, v->simplified, v->normalized, v->flows);
    t = expr_to_string(c->simplified);
    printf("  simplified: %s\n", t);
    free(t);
    t = expr_to_string(c->normalized);
    printf("  normalized: %s\n", t);
    free(t);
    expr_matches_print(&c->matches, stdout);
    ds_destroy(&ds);
}

/* Exhaustive mode: small fields, every packet. */

static void
exhaustive_symtab(struct shash *symtab)
{
    symtab_add_field(symtab, "r0", MFF_REG0, NULL, true);
    symtab_add_field(symtab, "x0", MFF_XREG0, NULL, true);
    symtab_add_subfield(symtab, "a", "r0", 0, 2, NULL, true);
    symtab_add_subfield(symtab, "b", "r0", 3, 5, NULL, true);
    symtab_add_subfield(symtab, "c", "r0", 6, 7, "d[0]", true);
    symtab_add_subfield(symtab, "d", "r0", 8, 9, NULL, true);
    /* 'e' (xreg0's low bits) overlaps reg1, bits 0..1. */
    symtab_add_subfield(symtab, "e", "x0", 0, 1, NULL, true);
    symtab_add_field(symtab, "r1", MFF_REG1, NULL, true);
    symtab_add_field(symtab, "ecn", MFF_IP_ECN, NULL, false);
    symtab_add_string(symtab, "inport", MFF_REG14, NULL);
    symtab_add_predicate(symtab, "pa", "a == {1, 3}");
    symtab_add_predicate(symtab, "pb", "b[0] && !d[1]");
}

/* Appends a random comparison to 's'. */
static void
random_cmp(struct ds *s)
{
    static const struct {
        const char *name;
        int width;
    } fields[] = {
        { "a", 3 }, { "b", 3 }, { "c", 2 }, { "d", 2 }, { "e", 2 },
        { "r1[0..1]", 2 }, { "a[1..2]", 2 }, { "b[2]", 1 }, { "r0[2..4]", 3 },
    };
    static const char *relops[] = { "==", "!=", "<", "<=", ">", ">=" };
    int f = random_range(ARRAY_SIZE(fields));
    int width = fields[f].width;
    int n = random_range(4);

    if (n <= 1) {
        ds_put_format(s, "%s %s %d", fields[f].name,
                      relops[random_range(ARRAY_SIZE(relops))],
                      (int) random_range(1 << width));
        return;
    }
    ds_put_format(s, "%s %s {", fields[f].name,
                  random_range(2) ? "==" : "!=");
    for (int i = 0; i < n; i++) {
        int mask = random_range(1 << width);
        int value = random_range(1 << width) & mask;

        if (random_range(3)) {
            ds_put_format(s, "%d, ", (int) random_range(1 << width));
        } else {
            ds_put_format(s, "0x%x/0x%x, ", value, mask);
        }
    }
    ds_put_char(s, '}');
}

/* Appends a random expression of at most 'depth' levels to 's'. */
static void
random_expr(struct ds *s, int depth)
{
    static const char *bools[] = {
        "pa", "pb", "a[0]", "b[2]", "0", "1", "ecn == {1, 2}",
        "inport == {\"p1\", \"p3\"}", "inport == \"p2\"",
        "inport == \"p9\"", "is_chassis_resident(\"p1\")",
        "!is_chassis_resident(\"p1\")", "!pb",
    };
    int kind = depth > 0 ? random_range(12) : random_range(6);

    if (kind >= 10) {
        /* A product of sets on different fields, big enough to become a
         * conjunctive match. */
        static const char *fields[] = { "a", "b", "r0[6..9]", "e" };
        int widths[] = { 3, 3, 4, 2 };

        ds_put_char(s, '(');
        for (int i = 0; i < 4; i++) {
            if (i == 3 && random_range(2)) {
                break;
            }
            ds_put_format(s, "%s%s == {", i ? " && " : "", fields[i]);
            for (int j = 0; j < 3 + random_range(2); j++) {
                ds_put_format(s, "%d, ",
                              (int) random_range(1 << widths[i]));
            }
            ds_put_char(s, '}');
        }
        ds_put_char(s, ')');
    } else if (kind < 4) {
        random_cmp(s);
    } else if (kind == 4) {
        ds_put_cstr(s, bools[random_range(ARRAY_SIZE(bools))]);
    } else if (kind == 5) {
        ds_put_cstr(s, "!(");
        random_expr(s, depth - 1);
        ds_put_char(s, ')');
    } else {
        const char *op = random_range(2) ? " && " : " || ";
        int n = 2 + random_range(3);

        ds_put_char(s, '(');
        for (int i = 0; i < n; i++) {
            if (i) {
                ds_put_cstr(s, op);
            }
            random_expr(s, depth - 1);
        }
        ds_put_char(s, ')');
    }
}

/* Sets the packet fields the exhaustive symtab uses from counter 'i'. */
static void
exhaustive_flow(unsigned int i, struct flow *flow)
{
    memset(flow, 0, sizeof *flow);
    flow->regs[0] = i & 0x3ff;
    flow->regs[1] = (i >> 10) & 3;
    flow->nw_tos = (i >> 12) & 3;
    flow->regs[14] = (i >> 14) & 3;
}
#define EXHAUSTIVE_PACKETS (1u << 16)

static int
run_exhaustive(struct test_ctx *ctx, int n, unsigned int seed)
{
    int n_ok = 0, n_errors = 0, n_failed = 0;
    size_t n_flows = 0, n_conj = 0;

    symtab_destroy(&ctx->symtab);
    shash_init(&ctx->symtab);
    exhaustive_symtab(&ctx->symtab);
    add_port(ctx, "p1", 1);
    add_port(ctx, "p2", 2);
    add_port(ctx, "p3", 3);
    sset_add(&ctx->resident, "p1");
    random_set_seed(seed);

    for (int i = 0; i < n; i++) {
        struct ds s = DS_EMPTY_INITIALIZER;
        struct compiled c;
        char *error;

        random_expr(&s, 1 + random_range(4));
        error = compile_all(ctx, ds_cstr(&s), &c);
        if (error) {
            n_errors++;
            free(error);
        } else {
            const struct expr_match *m;
            bool ok = true;

            n_flows += hmap_count(&c.matches);
            HMAP_FOR_EACH (m, hmap_node, &c.matches) {
                n_conj += m->match.wc.masks.conj_id != 0;
            }
            for (unsigned int p = 0; p < EXHAUSTIVE_PACKETS && ok; p++) {
                struct verdicts v;
                struct flow flow;

                exhaustive_flow(p, &flow);
                if (!check_packet(ctx, &c, &flow, &v)) {
                    report_mismatch(ds_cstr(&s), &c, &flow, &v);
                    ok = false;
                }
            }
            if (ok) {
                n_ok++;
            } else {
                n_failed++;
            }
        }
        compiled_destroy(&c);
        ds_destroy(&s);
    }
    printf("%d expressions agree on all %u packets, %d disagree, "
           "%d rejected by the parser; %"PRIuSIZE" flows, %"PRIuSIZE
           " conjunctions\n",
           n_ok, EXHAUSTIVE_PACKETS, n_failed, n_errors, n_flows, n_conj);
    return n_failed ? 1 : 0;
}

/* Compile-file mode: real symbols, random packets steered towards the
 * constants the expression tests. */

struct field_values {
    const struct mf_field *field;
    struct expr_constant *values;   /* value/mask pairs seen. */
    size_t n, allocated;
};

static struct field_values *
find_field_values(struct field_values **fvs, size_t *n, size_t *allocated,
                  const struct mf_field *field)
{
    struct field_values *fv;

    for (size_t i = 0; i < *n; i++) {
        if ((*fvs)[i].field == field) {
            return &(*fvs)[i];
        }
    }
    if (*n >= *allocated) {
        *fvs = x2nrealloc(*fvs, allocated, sizeof **fvs);
    }
    fv = &(*fvs)[(*n)++];
    memset(fv, 0, sizeof *fv);
    fv->field = field;
    return fv;
}

static void
collect_values(const struct expr *e, struct field_values **fvs, size_t *n,
               size_t *allocated)
{
    const struct expr *sub;
    struct field_values *fv;

    if (e->type == EXPR_T_AND || e->type == EXPR_T_OR) {
        LIST_FOR_EACH (sub, node, &e->andor) {
            collect_values(sub, fvs, n, allocated);
        }
        return;
    }
    if (e->type != EXPR_T_CMP || expr_symbol_is_string(e->cmp.symbol)) {
        return;
    }

    fv = find_field_values(fvs, n, allocated, e->cmp.symbol->field);
    if (fv->n >= fv->allocated) {
        fv->values = x2nrealloc(fv->values, &fv->allocated,
                                sizeof *fv->values);
    }
    memset(&fv->values[fv->n], 0, sizeof fv->values[fv->n]);
    fv->values[fv->n].value = e->cmp.value;
    fv->values[fv->n].mask = e->cmp.mask;
    fv->n++;
}

/* Fills 'flow' with random values, each field used by the expression set
 * mostly to one of the values it is compared with. */
static void
random_flow(const struct test_ctx *ctx, const struct field_values *fvs,
            size_t n, struct flow *flow)
{
    static const ovs_be16 eth_types[] = {
        CONSTANT_HTONS(0x800), CONSTANT_HTONS(0x86dd), CONSTANT_HTONS(0x806),
        CONSTANT_HTONS(0x8035), CONSTANT_HTONS(0x1234),
    };
    static const uint8_t protos[] = { 1, 2, 6, 17, 58, 132, 99 };
    size_t n_ports = shash_count(&ctx->ports);

    random_bytes(flow, sizeof *flow);
    flow->dl_type = eth_types[random_range(ARRAY_SIZE(eth_types))];
    flow->nw_proto = protos[random_range(ARRAY_SIZE(protos))];
    flow->regs[14] = random_range(n_ports + 2);
    flow->regs[15] = random_range(n_ports + 2);
    flow->conj_id = 0;

    for (size_t i = 0; i < n; i++) {
        const struct field_values *fv = &fvs[i];
        const struct expr_constant *c;
        union mf_value value;
        size_t nb = fv->field->n_bytes;

        if (!fv->n || !random_range(4)) {
            continue;
        }
        c = &fv->values[random_range(fv->n)];
        mf_get_value(fv->field, flow, &value);
        for (size_t j = 0; j < nb; j++) {
            size_t k = sizeof c->value - nb + j;
            value.b[j] = ((value.b[j] & ~c->mask.u8[k])
                          | (c->value.u8[k] & c->mask.u8[k]));
        }
        mf_set_flow_value(fv->field, &value, flow);
    }

    /* Bits beyond a field's width (tcp_flags has 12 of 16, ipv6_label 20
     * of 32) are 0 in every packet that OVS parses. */
    for (size_t i = 0; i < n; i++) {
        const struct mf_field *mf = fvs[i].field;
        union mf_value value;

        if (mf->n_bits < mf->n_bytes * 8) {
            mf_get_value(mf, flow, &value);
            bitwise_zero(&value, mf->n_bytes, mf->n_bits,
                         mf->n_bytes * 8 - mf->n_bits);
            mf_set_flow_value(mf, &value, flow);
        }
    }

    /* ICMP type and code occupy the low byte of tp_src and tp_dst, whose
     * high bytes are 0 in every ICMP packet that OVS parses. */
    if (flow->nw_proto == IPPROTO_ICMP || flow->nw_proto == IPPROTO_ICMPV6) {
        flow->tp_src &= htons(0xff);
        flow->tp_dst &= htons(0xff);
    }
}

/* Compiles 's' and checks it on 'n_packets' random packets.  Returns 0 if
 * all is well, 1 if it did not compile, 2 on a disagreement. */
static int
check_line(const struct test_ctx *ctx, const char *s, int n_packets,
           size_t *n_flows, size_t *n_conj)
{
    struct field_values *fvs = NULL;
    size_t n_fvs = 0, allocated = 0;
    const struct expr_match *m;
    struct compiled c;
    char *error;
    int result = 0;

    error = compile_all(ctx, s, &c);
    if (error) {
        printf("FAILED: %s\n  %s\n", s, error);
        free(error);
        compiled_destroy(&c);
        return 1;
    }
    *n_flows += hmap_count(&c.matches);
    HMAP_FOR_EACH (m, hmap_node, &c.matches) {
        *n_conj += m->match.wc.masks.conj_id != 0;
    }

    collect_values(c.simplified, &fvs, &n_fvs, &allocated);
    for (int p = 0; p < n_packets; p++) {
        struct verdicts v;
        struct flow flow;

        random_flow(ctx, fvs, n_fvs, &flow);
        if (!check_packet(ctx, &c, &flow, &v)) {
            report_mismatch(s, &c, &flow, &v);
            result = 2;
            break;
        }
    }
    for (size_t i = 0; i < n_fvs; i++) {
        free(fvs[i].values);
    }
    free(fvs);
    compiled_destroy(&c);
    return result;
}

static int
run_compile_file(struct test_ctx *ctx, const char *file_name, int n_packets)
{
    FILE *file = fopen(file_name, "r");
    struct ds line = DS_EMPTY_INITIALIZER;
    int n_ok = 0, n_bad = 0, n_mismatch = 0;
    size_t n_flows = 0, n_conj = 0;

    if (!file) {
        ovs_fatal(errno, "%s: open failed", file_name);
    }
    random_set_seed(1);
    while (!ds_get_line(&line, file)) {
        int result = check_line(ctx, ds_cstr(&line), n_packets,
                                &n_flows, &n_conj);
        n_ok += result != 1;
        n_bad += result == 1;
        n_mismatch += result == 2;
    }
    ds_destroy(&line);
    fclose(file);

    printf("%d matches compiled, %d failed, %d disagree on packets; "
           "%"PRIuSIZE" OpenFlow matches, %"PRIuSIZE" conjunctions\n",
           n_ok, n_bad, n_mismatch, n_flows, n_conj);
    return n_bad || n_mismatch ? 1 : 0;
}

/* Benchmark. */

static char **
read_lines(const char *file_name, size_t *n)
{
    FILE *file = fopen(file_name, "r");
    struct ds line = DS_EMPTY_INITIALIZER;
    size_t allocated = 0;
    char **lines = NULL;

    if (!file) {
        ovs_fatal(errno, "%s: open failed", file_name);
    }
    *n = 0;
    while (!ds_get_line(&line, file)) {
        if (*n >= allocated) {
            lines = x2nrealloc(lines, &allocated, sizeof *lines);
        }
        lines[(*n)++] = xstrdup(ds_cstr(&line));
    }
    ds_destroy(&line);
    fclose(file);
    return lines;
}

static int
run_bench(struct test_ctx *ctx, const char *file_name, int rounds)
{
    size_t n, n_flows = 0, n_compiled = 0, n_failed = 0;
    char **lines = read_lines(file_name, &n);
    long long int start, elapsed;

    start = time_msec();
    for (int r = 0; r < rounds; r++) {
        for (size_t i = 0; i < n; i++) {
            struct hmap matches = HMAP_INITIALIZER(&matches);
            struct expr_parse_ctx pctx;
            struct expr *e;
            char *error;

            parse_ctx_init(ctx, &pctx);
            e = expr_compile(lines[i], &pctx, is_resident_cb, ctx, &error);
            if (!e) {
                free(error);
                n_failed++;
                continue;
            }
            expr_to_matches(e, lookup_port_cb, ctx, 0, &matches);
            n_flows += hmap_count(&matches);
            n_compiled++;
            expr_matches_destroy(&matches);
            expr_destroy(e);
        }
    }
    elapsed = MAX(time_msec() - start, 1);

    printf("compiled %"PRIuSIZE" matches (%"PRIuSIZE" distinct x %d rounds,"
           " %"PRIuSIZE" failed) in %lld ms\n",
           n_compiled, n, rounds, n_failed, elapsed);
    printf("matches/second: %.0f\n", n_compiled * 1000.0 / elapsed);
    printf("OpenFlow matches produced: %"PRIuSIZE" (%.2f per match)\n",
           n_flows, n_compiled ? (double) n_flows / n_compiled : 0.0);
    for (size_t i = 0; i < n; i++) {
        free(lines[i]);
    }
    free(lines);
    return 0;
}

/* Conjunction id allocation. */

static void
conj_ids_command(struct conj_ids *ids, char *line)
{
    char *save_ptr = NULL;
    char *op = strtok_r(line, " ", &save_ptr);
    char *uuid_s = strtok_r(NULL, " ", &save_ptr);
    char *n_s = strtok_r(NULL, " ", &save_ptr);
    struct uuid flow;

    if (!op || !uuid_s || !uuid_from_string(&flow, uuid_s)) {
        printf("bad line\n");
    } else if (!strcmp(op, "alloc") && n_s) {
        uint32_t ofs = conj_ids_alloc(ids, &flow, atoi(n_s));
        printf("%s: ids %"PRIu32" to %"PRIu32" (%"PRIuSIZE" in use)\n",
               uuid_s, ofs + 1, ofs + atoi(n_s), conj_ids_count(ids));
    } else if (!strcmp(op, "free")) {
        conj_ids_free(ids, &flow);
        printf("%s: freed (%"PRIuSIZE" in use)\n", uuid_s,
               conj_ids_count(ids));
    } else {
        printf("bad line\n");
    }
}

static int
run_conj_ids(void)
{
    struct ds line = DS_EMPTY_INITIALIZER;
    struct conj_ids ids[2];
    int cur = 0;

    conj_ids_init(&ids[0]);
    conj_ids_init(&ids[1]);
    while (!ds_get_line(&line, stdin)) {
        if (!strcmp(ds_cstr(&line), "fresh") && !cur) {
            conj_ids_set_hint(&ids[1], &ids[0]);
            cur = 1;
            printf("fresh\n");
        } else {
            conj_ids_command(&ids[cur], ds_cstr(&line));
        }
    }
    conj_ids_destroy(&ids[0]);
    conj_ids_destroy(&ids[1]);
    ds_destroy(&line);
    return 0;
}

static void
usage(void)
{
    printf("usage: test-ovn [OPTIONS] COMMAND [ARG...]\n"
           "commands: lex parse round-trip annotate simplify normalize\n"
           "          expr-to-flows exhaustive compile-file bench conj-ids\n"
           "see the top of tests/test-ovn.c for details\n");
}

static void
parse_resident(struct test_ctx *ctx, const char *arg)
{
    char *copy = xstrdup(arg), *save_ptr = NULL, *word;

    sset_clear(&ctx->resident);
    for (word = strtok_r(copy, ",", &save_ptr); word;
         word = strtok_r(NULL, ",", &save_ptr)) {
        sset_add(&ctx->resident, word);
    }
    free(copy);
}

static void
parse_template(struct test_ctx *ctx, const char *arg)
{
    char *copy = xstrdup(arg), *eq = strchr(copy, '=');

    if (eq) {
        *eq = '\0';
        smap_replace(&ctx->templates, copy, eq + 1);
    }
    free(copy);
}

static int
run_command(struct test_ctx *ctx, int argc, char *argv[])
{
    const char *command = argv[0];

    if (!strcmp(command, "exhaustive")) {
        int n = argc > 1 ? atoi(argv[1]) : 100;
        unsigned int seed = argc > 2 ? atoi(argv[2]) : 1;
        return run_exhaustive(ctx, n, seed);
    } else if (!strcmp(command, "compile-file") && argc > 1) {
        return run_compile_file(ctx, argv[1], argc > 2 ? atoi(argv[2])
                                                       : 1000);
    } else if (!strcmp(command, "conj-ids")) {
        return run_conj_ids();
    } else if (!strcmp(command, "bench") && argc > 1) {
        return run_bench(ctx, argv[1], argc > 2 ? atoi(argv[2]) : 10);
    } else if (!strcmp(command, "lex") || !strcmp(command, "parse")
               || !strcmp(command, "round-trip")
               || !strcmp(command, "annotate")
               || !strcmp(command, "simplify")
               || !strcmp(command, "normalize")
               || !strcmp(command, "expr-to-flows")) {
        for_each_line(ctx, command);
        return 0;
    }
    usage();
    return 2;
}

int
main(int argc, char *argv[])
{
    enum { OPT_PORTS = 256, OPT_ADDR_SETS, OPT_PORT_GROUPS, OPT_DP_KEY,
           OPT_RESIDENT, OPT_TEMPLATE, OPT_CONJ_ID_OFS, OPT_REFS };
    static const struct option long_options[] = {
        { "ports", required_argument, NULL, OPT_PORTS },
        { "address-sets", required_argument, NULL, OPT_ADDR_SETS },
        { "port-groups", required_argument, NULL, OPT_PORT_GROUPS },
        { "dp-key", required_argument, NULL, OPT_DP_KEY },
        { "resident", required_argument, NULL, OPT_RESIDENT },
        { "template", required_argument, NULL, OPT_TEMPLATE },
        { "conj-id-ofs", required_argument, NULL, OPT_CONJ_ID_OFS },
        { "refs", no_argument, NULL, OPT_REFS },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *ports = NULL, *addr_sets = NULL, *port_groups = NULL;
    struct test_ctx ctx;
    int status;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
    memset(&ctx, 0, sizeof ctx);
    symtab_init(&ctx.symtab);
    shash_init(&ctx.addr_sets);
    shash_init(&ctx.port_groups);
    shash_init(&ctx.ports);
    smap_init(&ctx.templates);
    sset_init(&ctx.resident);
    sset_add(&ctx.resident, "lsp1");
    sset_add(&ctx.resident, "eth0");

    for (;;) {
        int c = getopt_long(argc, argv, "h", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_PORTS: ports = optarg; break;
        case OPT_ADDR_SETS: addr_sets = optarg; break;
        case OPT_PORT_GROUPS: port_groups = optarg; break;
        case OPT_DP_KEY: ctx.dp_key = atoll(optarg); break;
        case OPT_RESIDENT: parse_resident(&ctx, optarg); break;
        case OPT_TEMPLATE: parse_template(&ctx, optarg); break;
        case OPT_CONJ_ID_OFS: ctx.conj_id_ofs = atoi(optarg); break;
        case OPT_REFS: ctx.show_refs = true; break;
        case 'h':
            usage();
            return 0;
        default:
            return 2;
        }
    }
    add_defaults(&ctx, !ports, !addr_sets, !port_groups);
    if (ports) {
        read_ports(&ctx, ports);
    }
    if (addr_sets) {
        read_sets(addr_sets, &ctx.addr_sets, false);
    }
    if (port_groups) {
        read_sets(port_groups, &ctx.port_groups, true);
    }

    if (optind >= argc) {
        usage();
        return 2;
    }
    status = run_command(&ctx, argc - optind, argv + optind);

    symtab_destroy(&ctx.symtab);
    expr_const_sets_destroy(&ctx.addr_sets);
    expr_const_sets_destroy(&ctx.port_groups);
    shash_destroy(&ctx.ports);
    smap_destroy(&ctx.templates);
    sset_destroy(&ctx.resident);
    return status;
}
