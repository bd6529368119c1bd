/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Unit driver for lib/lflow-compile.c: logical flows compiled on
 * datapaths, printed as OpenFlow flows.
 *
 * Usage: test-lflow-compile < SCRIPT
 *
 * SCRIPT has one command a line (blank lines and lines starting with #
 * are skipped).  Setting up the context:
 *
 *   dp NAME KEY switch|router [PORT=KEY...]   a datapath and its ports
 *   addr-set NAME [VALUE...]                  an address set
 *   port-group NAME [PORT...]                 a port group (SB names them
 *                                             "<dp key>_<name>")
 *   resident PORT                             is_chassis_resident(PORT)
 *   local PORT...                             only these ports can be the
 *                                             pipeline's own port here
 *                                             (the first "local" turns
 *                                             the filter on)
 *   local-port-group NAME [PORT...]           the local members of port
 *                                             group NAME, as the caller
 *                                             keeps them (the first turns
 *                                             local_port_groups on)
 *   template NAME=VALUE                       a template variable
 *   check on|off                              the OpenFlow checks
 *                                             (default on)
 *   meter-ids N                               N meter ids only (before
 *                                             any meter is taken)
 *   ctlop-meters on|off                       meters per controller
 *                                             operation and per
 *                                             (operation, port), as the
 *                                             daemon has them (default
 *                                             off)
 *
 * Logical flows, named for the script:
 *
 *   lflow NAME UUID ingress|egress TABLE PRIORITY [meter=METER]
 *   match TEXT                                the last lflow's match
 *   actions TEXT                              the last lflow's actions
 *
 * Work:
 *   compile NAME DP...   parses NAME once, compiles it on each DP and
 *                        prints its OpenFlow flows, sorted, then what its
 *                        match referred to, and each error on a line of
 *                        its own ("error: ..." for the parse,
 *                        "DP: error: ..." for a datapath).  Compiling a
 *                        flow again takes the new ids before it drops
 *                        the old ones, as the daemon does.
 *   compile-dps NAME DP...
 *                        the same, with lflow_compile_on_dps(): all the
 *                        datapaths at once.
 *   cross-check NAME N DP...
 *                        compiles NAME on the datapaths one by one and all
 *                        at once, evaluates both sets of OpenFlow flows
 *                        (conjunctions included) on N packets built from
 *                        their matches and prints "NAME: F flows one by
 *                        one, G at once, N packets, D disagree", then up
 *                        to 5 packets on which they disagree.
 *   drop NAME            releases NAME's ids (conjunction, group, meter).
 *   groups, meters       the id tables, "ID (N refs): DESCRIPTION" sorted
 *                        by id.
 *   fresh-ids            empty group, meter and conjunction id tables
 *                        whose hints are the ones used so far (as the
 *                        daemon's consistency check makes them).
 *   conj-ids             the number of conjunction ids in use.
 *   conj NAME            the conjunction ids NAME holds. */

#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/actions.h"
#include "lib/conj-ids.h"
#include "lib/expr.h"
#include "lib/id-table.h"
#include "lib/lflow-compile.h"
#include "lib/symtab.h"
#include "flow.h"
#include "openvswitch/hmap.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-actions.h"
#include "random.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "simap.h"
#include "smap.h"
#include "sset.h"
#include "svec.h"
#include "util.h"
#include "uuid.h"

/* A datapath of the script. */
struct test_dp {
    uint32_t key;
    bool is_switch;
    struct simap ports;         /* Port name -> tunnel key. */
};

/* A logical flow of the script. */
struct test_lflow {
    struct uuid uuid;
    bool ingress;
    int64_t table_id;
    int64_t priority;
    char *match;
    char *actions;
    char *meter;                /* Controller meter, or NULL. */
    struct id_refs refs;        /* Ids its compiled flows hold. */
};

/* The driver's state. */
struct test_ctx {
    struct shash symtab;
    struct shash dhcp_opts, dhcpv6_opts;
    struct shash addr_sets, port_groups;
    struct shash local_pgs;     /* "local-port-group"s. */
    struct smap templates;
    struct sset resident;
    struct sset local;          /* Ports "local" named. */
    struct id_table groups, meters;
    struct conj_ids conj_ids;
    struct id_table old_groups, old_meters; /* The hints, after
                                             * "fresh-ids". */
    struct conj_ids old_conj_ids;
    bool fresh;                 /* "fresh-ids" was run. */
    struct lflow_compile_ctx compile;
    struct shash dps;           /* Name -> struct test_dp. */
    struct shash lflows;        /* Name -> struct test_lflow. */
    struct test_lflow *last;    /* Target of "match" and "actions". */
};

static bool
is_resident_cb(const void *ctx_, const char *port)
{
    const struct test_ctx *ctx = ctx_;
    return sset_contains(&ctx->resident, port);
}

static bool
is_local_port_cb(const void *ctx_, const char *port)
{
    const struct test_ctx *ctx = ctx_;
    return sset_contains(&ctx->local, port);
}

static bool
lookup_port_cb(const void *dp_, const char *name, unsigned int *key)
{
    const struct test_dp *dp = dp_;
    const struct simap_node *node = simap_find(&dp->ports, name);

    if (node) {
        *key = node->data;
    }
    return node != NULL;
}

static void
test_ctx_init(struct test_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    shash_init(&ctx->symtab);
    symtab_init(&ctx->symtab);
    shash_init(&ctx->dhcp_opts);
    shash_init(&ctx->dhcpv6_opts);
    lact_opt_defs_add_defaults(&ctx->dhcp_opts, &ctx->dhcpv6_opts);
    shash_init(&ctx->addr_sets);
    shash_init(&ctx->port_groups);
    shash_init(&ctx->local_pgs);
    smap_init(&ctx->templates);
    sset_init(&ctx->resident);
    sset_init(&ctx->local);
    id_table_init(&ctx->groups, 1, 100);
    id_table_init(&ctx->meters, 1, 100);
    conj_ids_init(&ctx->conj_ids);
    shash_init(&ctx->dps);
    shash_init(&ctx->lflows);
    ctx->compile = (struct lflow_compile_ctx) {
        .symtab = &ctx->symtab,
        .dhcp_opts = &ctx->dhcp_opts,
        .dhcpv6_opts = &ctx->dhcpv6_opts,
        .addr_sets = &ctx->addr_sets,
        .port_groups = &ctx->port_groups,
        .templates = &ctx->templates,
        .is_resident = is_resident_cb,
        .resident_aux = ctx,
        .groups = &ctx->groups,
        .meters = &ctx->meters,
        .conj_ids = &ctx->conj_ids,
        .check_openflow = true,
    };
}

static void
test_ctx_destroy(struct test_ctx *ctx)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &ctx->dps) {
        struct test_dp *dp = node->data;
        simap_destroy(&dp->ports);
        free(dp);
    }
    shash_destroy(&ctx->dps);
    SHASH_FOR_EACH (node, &ctx->lflows) {
        struct test_lflow *lf = node->data;
        lflow_compile_release(&ctx->compile, &lf->uuid, &lf->refs);
        free(lf->match);
        free(lf->actions);
        free(lf->meter);
        free(lf);
    }
    shash_destroy(&ctx->lflows);
    symtab_destroy(&ctx->symtab);
    lact_opt_defs_destroy(&ctx->dhcp_opts);
    lact_opt_defs_destroy(&ctx->dhcpv6_opts);
    expr_const_sets_destroy(&ctx->addr_sets);
    expr_const_sets_destroy(&ctx->port_groups);
    expr_const_sets_destroy(&ctx->local_pgs);
    smap_destroy(&ctx->templates);
    sset_destroy(&ctx->resident);
    sset_destroy(&ctx->local);
    id_table_destroy(&ctx->groups);
    id_table_destroy(&ctx->meters);
    conj_ids_destroy(&ctx->conj_ids);
    if (ctx->fresh) {
        id_table_destroy(&ctx->old_groups);
        id_table_destroy(&ctx->old_meters);
        conj_ids_destroy(&ctx->old_conj_ids);
    }
}

/* "fresh-ids": see the top of the file.  The flows' references to the old
 * tables are dropped. */
static void
cmd_fresh_ids(struct test_ctx *ctx)
{
    struct shash_node *node;

    if (ctx->fresh) {
        ovs_fatal(0, "fresh-ids twice");
    }
    SHASH_FOR_EACH (node, &ctx->lflows) {
        struct test_lflow *lf = node->data;
        free(lf->refs.refs);
        lf->refs = (struct id_refs) ID_REFS_INITIALIZER;
    }
    ctx->fresh = true;
    ctx->old_groups = ctx->groups;
    ctx->old_meters = ctx->meters;
    ctx->old_conj_ids = ctx->conj_ids;
    hmap_moved(&ctx->old_groups.by_desc);
    hmap_moved(&ctx->old_groups.by_id);
    hmap_moved(&ctx->old_meters.by_desc);
    hmap_moved(&ctx->old_meters.by_id);
    hmap_moved(&ctx->old_conj_ids.by_flow);
    hmap_moved(&ctx->old_conj_ids.by_id);
    id_table_init(&ctx->groups, 1, 100);
    id_table_init(&ctx->meters, 1, 100);
    conj_ids_init(&ctx->conj_ids);
    id_table_set_hint(&ctx->groups, &ctx->old_groups);
    id_table_set_hint(&ctx->meters, &ctx->old_meters);
    conj_ids_set_hint(&ctx->conj_ids, &ctx->old_conj_ids);
}

/* Setting up. */

static void
cmd_dp(struct test_ctx *ctx, const struct svec *args)
{
    struct test_dp *dp = xzalloc(sizeof *dp);
    const char *arg;
    size_t i;

    if (args->n < 4) {
        ovs_fatal(0, "usage: dp NAME KEY switch|router [PORT=KEY...]");
    }
    dp->key = atoi(args->names[2]);
    dp->is_switch = !strcmp(args->names[3], "switch");
    simap_init(&dp->ports);
    SVEC_FOR_EACH (i, arg, args) {
        const char *eq = strchr(arg, '=');
        if (i >= 4 && eq) {
            char *name = xmemdup0(arg, eq - arg);
            simap_put(&dp->ports, name, atoi(eq + 1));
            free(name);
        }
    }
    shash_add(&ctx->dps, args->names[1], dp);
}

static void
cmd_set(struct shash *sets, const struct svec *args, bool is_string)
{
    if (args->n < 2) {
        ovs_fatal(0, "usage: %s NAME [VALUE...]", args->names[0]);
    }
    const char *const *values = (const char *const *) &args->names[2];
    if (is_string) {
        expr_const_sets_add_strings(sets, args->names[1], values,
                                    args->n - 2);
    } else {
        expr_const_sets_add_integers(sets, args->names[1], values,
                                     args->n - 2);
    }
}

static void
cmd_lflow(struct test_ctx *ctx, const struct svec *args)
{
    struct test_lflow *lf = xzalloc(sizeof *lf);

    if (args->n < 6 || !uuid_from_string(&lf->uuid, args->names[2])) {
        ovs_fatal(0, "usage: lflow NAME UUID ingress|egress TABLE PRIORITY "
                  "[meter=METER]");
    }
    lf->ingress = !strcmp(args->names[3], "ingress");
    lf->table_id = atoll(args->names[4]);
    lf->priority = atoll(args->names[5]);
    if (args->n > 6 && !strncmp(args->names[6], "meter=", 6)) {
        lf->meter = xstrdup(args->names[6] + 6);
    }
    lf->match = xstrdup("1");
    lf->actions = xstrdup("next;");
    lf->refs = (struct id_refs) ID_REFS_INITIALIZER;
    shash_add(&ctx->lflows, args->names[1], lf);
    ctx->last = lf;
}

/* Work. */

static struct test_lflow *
find_lflow(const struct test_ctx *ctx, const char *name)
{
    struct test_lflow *lf = shash_find_data(&ctx->lflows, name);
    if (!lf) {
        ovs_fatal(0, "%s: no such lflow", name);
    }
    return lf;
}

/* Callback: adds the flow, formatted, to the svec 'lines_'. */
static void
collect_flow(void *lines_, const struct lflow_compile_ofpflow *f)
{
    struct svec *lines = lines_;
    struct ds s = DS_EMPTY_INITIALIZER;

    lflow_compile_ofpflow_format(f, &s);
    svec_add_nocopy(lines, ds_steal_cstr(&s));
}

static void
print_sset(const char *title, const struct sset *set)
{
    const char **names = sset_sort(set);

    if (!sset_is_empty(set)) {
        printf("%s:", title);
        for (size_t i = 0; names[i]; i++) {
            printf(" %s", names[i]);
        }
        putchar('\n');
    }
    free(names);
}

static void
print_lines(const struct svec *lines)
{
    const char *line;
    size_t i;

    SVEC_FOR_EACH (i, line, lines) {
        puts(line);
    }
}

static void
print_refs(const struct lflow_compile_parsed *p)
{
    print_sset("address sets", &p->addr_sets_ref);
    print_sset("port groups", &p->port_groups_ref);
    print_sset("resident", &p->resident_ref);
    print_sset("ports", &p->ports_ref);
    if (p->conj_ids_moved) {
        printf("conjunction ids moved\n");
    }
}

/* Describes the datapaths named in 'args' from the 'first'th on, in a
 * malloc'd array of '*n' elements. */
static struct lflow_compile_dp *
get_dps(const struct test_ctx *ctx, const struct svec *args, size_t first,
        size_t *n)
{
    struct lflow_compile_dp *dps = xcalloc(args->n, sizeof *dps);

    *n = 0;
    for (size_t i = first; i < args->n; i++) {
        const struct test_dp *dp = shash_find_data(&ctx->dps,
                                                   args->names[i]);
        if (!dp) {
            ovs_fatal(0, "%s: no such datapath", args->names[i]);
        }
        dps[(*n)++] = (struct lflow_compile_dp) {
            .key = dp->key,
            .is_switch = dp->is_switch,
            .lookup_port = lookup_port_cb,
            .lookup_aux = dp,
        };
    }
    return dps;
}

/* Compiles 'p' on the datapaths named in 'args' from the third on, one by
 * one or, if 'together', all at once, collecting the flows in 'lines'
 * (with 'cb') and the errors in 'errors', and the ids taken in 'refs'. */
static void
compile_on_dps(struct test_ctx *ctx, struct lflow_compile_parsed *p,
               const struct svec *args, size_t first, bool together,
               struct id_refs *refs, lflow_compile_output_cb *cb,
               void *lines, struct svec *errors)
{
    size_t n;
    struct lflow_compile_dp *dps = get_dps(ctx, args, first, &n);

    if (together) {
        char *error = lflow_compile_on_dps(&ctx->compile, p, dps, n, refs,
                                           cb, lines);
        if (error) {
            svec_add_nocopy(errors, xasprintf("error: %s", error));
            free(error);
        }
    }
    for (size_t i = 0; !together && i < n; i++) {
        char *error = lflow_compile_on_dp(&ctx->compile, p, &dps[i], refs,
                                          cb, lines);
        if (error) {
            svec_add_nocopy(errors, xasprintf("%s: error: %s",
                                              args->names[first + i],
                                              error));
            free(error);
        }
    }
    free(dps);
}

/* Parses 'lf' into '*pp'.  Returns false, after printing the error, if
 * that failed. */
static bool
parse_lflow(struct test_ctx *ctx, const struct test_lflow *lf,
            struct lflow_compile_parsed **pp)
{
    struct lflow_compile_lflow clf = {
        .uuid = lf->uuid,
        .ingress = lf->ingress,
        .table_id = lf->table_id,
        .priority = lf->priority,
        .match = lf->match,
        .actions = lf->actions,
        .controller_meter = lf->meter,
    };

    char *error = lflow_compile_parse(&ctx->compile, &clf, pp);
    if (error) {
        printf("error: %s\n", error);
        free(error);
        return false;
    }
    return true;
}

static void
cmd_compile(struct test_ctx *ctx, const struct svec *args, bool together)
{
    struct test_lflow *lf = find_lflow(ctx, args->names[1]);
    struct lflow_compile_parsed *p;

    if (!parse_lflow(ctx, lf, &p)) {
        return;
    }

    struct id_refs refs = ID_REFS_INITIALIZER;
    struct svec lines = SVEC_EMPTY_INITIALIZER;
    struct svec errors = SVEC_EMPTY_INITIALIZER;
    compile_on_dps(ctx, p, args, 2, together, &refs, collect_flow, &lines,
                   &errors);
    id_refs_release(&lf->refs);
    lf->refs = refs;

    svec_sort(&lines);
    print_lines(&lines);
    print_refs(p);
    print_lines(&errors);
    svec_destroy(&lines);
    svec_destroy(&errors);
    lflow_compile_parsed_destroy(p);
}

static void
cmd_drop(struct test_ctx *ctx, const struct svec *args)
{
    struct test_lflow *lf = find_lflow(ctx, args->names[1]);
    lflow_compile_release(&ctx->compile, &lf->uuid, &lf->refs);
}

static int
compare_entries(const void *a_, const void *b_)
{
    const struct id_table_entry *const *a = a_;
    const struct id_table_entry *const *b = b_;
    return (*a)->id < (*b)->id ? -1 : (*a)->id > (*b)->id;
}

static void
print_id_table(const struct id_table *table)
{
    const struct id_table_entry **entries, *e;
    size_t n = 0;

    entries = xmalloc((id_table_count(table) + 1) * sizeof *entries);
    ID_TABLE_FOR_EACH (e, table) {
        entries[n++] = e;
    }
    qsort(entries, n, sizeof *entries, compare_entries);
    for (size_t i = 0; i < n; i++) {
        printf("%"PRIu32" (%"PRIuSIZE" refs): %s\n", entries[i]->id,
               entries[i]->refs, entries[i]->desc);
    }
    if (!n) {
        printf("(empty)\n");
    }
    free(entries);
}

static void
print_conj(const struct test_ctx *ctx, const char *name)
{
    const struct test_lflow *lf = find_lflow(ctx, name);
    uint32_t ofs, n;

    if (conj_ids_find(&ctx->conj_ids, &lf->uuid, &ofs, &n)) {
        printf("%s: conjunction ids %"PRIu32" to %"PRIu32"\n", name,
               ofs + 1, ofs + n);
    } else {
        printf("%s: no conjunction ids\n", name);
    }
}

/* Cross-checking one by one against all at once. */

/* Adds the OpenFlow flow 'f' to the hmap of struct expr_match 'matches_',
 * with its conjunction actions, as expr_to_matches() would have. */
static void
collect_match(void *matches_, const struct lflow_compile_ofpflow *f)
{
    struct hmap *matches = matches_;
    struct expr_match *m = xzalloc(sizeof *m);
    const struct ofpact *a;

    m->match = *f->match;
    OFPACT_FOR_EACH (a, f->ofpacts, f->ofpacts_len) {
        if (a->type == OFPACT_CONJUNCTION) {
            const struct ofpact_conjunction *oc = ofpact_get_CONJUNCTION(a);
            if (m->n >= m->allocated) {
                m->conjunctions = x2nrealloc(m->conjunctions, &m->allocated,
                                             sizeof *m->conjunctions);
            }
            m->conjunctions[m->n++] = (struct expr_conjunction) {
                .id = oc->id, .clause = oc->clause,
                .n_clauses = oc->n_clauses,
            };
        }
    }
    hmap_insert(matches, &m->hmap_node, hmap_count(matches));
}

/* Returns the matches of 'a' and 'b' in a malloc'd array of '*n'. */
static const struct match **
all_matches(const struct hmap *a, const struct hmap *b, size_t *n)
{
    const struct match **out = xmalloc((hmap_count(a) + hmap_count(b) + 1)
                                       * sizeof *out);
    const struct expr_match *m;

    *n = 0;
    HMAP_FOR_EACH (m, hmap_node, a) {
        out[(*n)++] = &m->match;
    }
    HMAP_FOR_EACH (m, hmap_node, b) {
        out[(*n)++] = &m->match;
    }
    return out;
}

/* Sets the bits of 'flow' that 'm' matches on to the values 'm' wants. */
static void
overlay(struct flow *flow, const struct match *m)
{
    uint64_t *f = (uint64_t *) flow;
    const uint64_t *v = (const uint64_t *) &m->flow;
    const uint64_t *w = (const uint64_t *) &m->wc.masks;

    for (size_t i = 0; i < FLOW_U64S; i++) {
        f[i] = (f[i] & ~w[i]) | (v[i] & w[i]);
    }
}

/* Fills 'flow' with a packet built from 1 to 3 of the 'n' matches
 * 'seeds': the first seed's values, the other seeds' values over them;
 * the other bits zero or random. */
static void
make_packet(struct flow *flow, const struct match **seeds, size_t n)
{
    uint32_t *words = (uint32_t *) flow;
    int k = 1 + random_range(3);

    if (random_range(2)) {
        for (size_t i = 0; i < sizeof *flow / 4; i++) {
            words[i] = random_uint32();
        }
    } else {
        memset(flow, 0, sizeof *flow);
    }
    for (int i = 0; i < k; i++) {
        overlay(flow, seeds[random_range(n)]);
    }
    flow->conj_id = 0;
}

static void
cmd_cross_check(struct test_ctx *ctx, const struct svec *args)
{
    struct test_lflow *lf = find_lflow(ctx, args->names[1]);
    int n_packets = atoi(args->names[2]);
    struct hmap one = HMAP_INITIALIZER(&one);
    struct hmap all = HMAP_INITIALIZER(&all);
    struct svec errors = SVEC_EMPTY_INITIALIZER;
    struct id_refs refs = ID_REFS_INITIALIZER;
    struct lflow_compile_parsed *p;

    if (!parse_lflow(ctx, lf, &p)) {
        return;
    }
    compile_on_dps(ctx, p, args, 3, false, &refs, collect_match, &one,
                   &errors);
    compile_on_dps(ctx, p, args, 3, true, &refs, collect_match, &all,
                   &errors);
    id_refs_release(&refs);
    lflow_compile_parsed_destroy(p);
    print_lines(&errors);
    svec_destroy(&errors);

    size_t n_seeds, n_disagree = 0;
    const struct match **seeds = all_matches(&one, &all, &n_seeds);
    random_set_seed(1);
    for (int i = 0; n_seeds && i < n_packets; i++) {
        struct flow flow;

        make_packet(&flow, seeds, n_seeds);
        bool a = expr_matches_evaluate(&one, &flow);
        bool b = expr_matches_evaluate(&all, &flow);
        if (a != b && ++n_disagree <= 5) {
            printf("one by one %s, at once %s: metadata=%#"PRIx64
                   " reg14=%#"PRIx32" reg15=%#"PRIx32"\n",
                   a ? "matches" : "does not", b ? "matches" : "does not",
                   ntohll(flow.metadata), flow.regs[14], flow.regs[15]);
        }
    }
    printf("%s: %"PRIuSIZE" flows one by one, %"PRIuSIZE" at once, %d "
           "packets, %"PRIuSIZE" disagree\n", args->names[1],
           hmap_count(&one), hmap_count(&all), n_packets, n_disagree);
    free(seeds);
    expr_matches_destroy(&one);
    expr_matches_destroy(&all);
}

/* Runs the command on 'line'. */
static void
run_line(struct test_ctx *ctx, const char *line)
{
    struct svec args = SVEC_EMPTY_INITIALIZER;
    const char *rest = line + strcspn(line, " ");

    rest += strspn(rest, " ");
    svec_parse_words(&args, line);
    if (!args.n || args.names[0][0] == '#') {
        /* Nothing to do. */
    } else if (!strcmp(args.names[0], "match")) {
        free(ctx->last->match);
        ctx->last->match = xstrdup(rest);
    } else if (!strcmp(args.names[0], "actions")) {
        free(ctx->last->actions);
        ctx->last->actions = xstrdup(rest);
    } else if (!strcmp(args.names[0], "dp")) {
        cmd_dp(ctx, &args);
    } else if (!strcmp(args.names[0], "addr-set")) {
        cmd_set(&ctx->addr_sets, &args, false);
    } else if (!strcmp(args.names[0], "port-group")) {
        cmd_set(&ctx->port_groups, &args, true);
    } else if (!strcmp(args.names[0], "resident") && args.n == 2) {
        sset_add(&ctx->resident, args.names[1]);
    } else if (!strcmp(args.names[0], "template") && strchr(rest, '=')) {
        char *name = xmemdup0(rest, strchr(rest, '=') - rest);
        smap_replace(&ctx->templates, name, strchr(rest, '=') + 1);
        free(name);
    } else if (!strcmp(args.names[0], "check") && args.n == 2) {
        ctx->compile.check_openflow = !strcmp(args.names[1], "on");
    } else if (!strcmp(args.names[0], "ctlop-meters") && args.n == 2) {
        ctx->compile.ctlop_meters = !strcmp(args.names[1], "on");
    } else if (!strcmp(args.names[0], "meter-ids") && args.n == 2) {
        id_table_destroy(&ctx->meters);
        id_table_init(&ctx->meters, 1, atoi(args.names[1]));
    } else if (!strcmp(args.names[0], "lflow")) {
        cmd_lflow(ctx, &args);
    } else if (!strcmp(args.names[0], "local") && args.n >= 2) {
        for (size_t i = 1; i < args.n; i++) {
            sset_add(&ctx->local, args.names[i]);
        }
        ctx->compile.is_local_port = is_local_port_cb;
        ctx->compile.local_port_aux = ctx;
    } else if (!strcmp(args.names[0], "local-port-group") && args.n >= 2) {
        cmd_set(&ctx->local_pgs, &args, true);
        ctx->compile.local_port_groups = &ctx->local_pgs;
    } else if (!strcmp(args.names[0], "compile") && args.n >= 2) {
        cmd_compile(ctx, &args, false);
    } else if (!strcmp(args.names[0], "compile-dps") && args.n >= 2) {
        cmd_compile(ctx, &args, true);
    } else if (!strcmp(args.names[0], "cross-check") && args.n >= 4) {
        cmd_cross_check(ctx, &args);
    } else if (!strcmp(args.names[0], "drop") && args.n == 2) {
        cmd_drop(ctx, &args);
    } else if (!strcmp(args.names[0], "fresh-ids")) {
        cmd_fresh_ids(ctx);
    } else if (!strcmp(args.names[0], "groups")) {
        print_id_table(&ctx->groups);
    } else if (!strcmp(args.names[0], "meters")) {
        print_id_table(&ctx->meters);
    } else if (!strcmp(args.names[0], "conj") && args.n == 2) {
        print_conj(ctx, args.names[1]);
    } else if (!strcmp(args.names[0], "conj-ids")) {
        printf("conjunction ids in use: %"PRIuSIZE"\n",
               conj_ids_count(&ctx->conj_ids));
    } else {
        ovs_fatal(0, "bad command: %s", line);
    }
    svec_destroy(&args);
}

int
main(int argc, char *argv[] OVS_UNUSED)
{
    struct ds line = DS_EMPTY_INITIALIZER;
    struct test_ctx ctx;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
    if (argc != 1) {
        ovs_fatal(0, "usage: %s < SCRIPT", argv[0]);
    }
    test_ctx_init(&ctx);
    while (!ds_get_line(&line, stdin)) {
        if ((!strncmp(ds_cstr(&line), "match", 5)
             || !strncmp(ds_cstr(&line), "actions", 7)) && !ctx.last) {
            ovs_fatal(0, "\"%s\" before any lflow", ds_cstr(&line));
        }
        run_line(&ctx, ds_cstr(&line));
        fflush(stdout);
    }
    ds_destroy(&line);
    test_ctx_destroy(&ctx);
    return 0;
}
