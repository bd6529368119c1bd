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
 *   template NAME=VALUE                       a template variable
 *   check on|off                              the OpenFlow checks
 *                                             (default on)
 *   meter-ids N                               N meter ids only (before
 *                                             any meter is taken)
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
 *   drop NAME            releases NAME's ids (conjunction, group, meter).
 *   groups, meters       the id tables, "ID (N refs): DESCRIPTION" sorted
 *                        by id.
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
    struct smap templates;
    struct sset resident;
    struct id_table groups, meters;
    struct conj_ids conj_ids;
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
    smap_init(&ctx->templates);
    sset_init(&ctx->resident);
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
    smap_destroy(&ctx->templates);
    sset_destroy(&ctx->resident);
    id_table_destroy(&ctx->groups);
    id_table_destroy(&ctx->meters);
    conj_ids_destroy(&ctx->conj_ids);
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
    if (p->conj_ids_moved) {
        printf("conjunction ids moved\n");
    }
}

/* Compiles 'p' on the datapaths named in 'args' from the third on,
 * collecting the flows in 'lines' and the errors in 'errors', and the ids
 * taken in 'refs'. */
static void
compile_on_dps(struct test_ctx *ctx, struct lflow_compile_parsed *p,
               const struct svec *args, struct id_refs *refs,
               struct svec *lines, struct svec *errors)
{
    for (size_t i = 2; i < args->n; i++) {
        const struct test_dp *dp = shash_find_data(&ctx->dps,
                                                   args->names[i]);
        if (!dp) {
            ovs_fatal(0, "%s: no such datapath", args->names[i]);
        }
        struct lflow_compile_dp cdp = {
            .key = dp->key,
            .is_switch = dp->is_switch,
            .lookup_port = lookup_port_cb,
            .lookup_aux = dp,
        };
        char *error = lflow_compile_on_dp(&ctx->compile, p, &cdp, refs,
                                          collect_flow, lines);
        if (error) {
            svec_add_nocopy(errors, xasprintf("%s: error: %s",
                                              args->names[i], error));
            free(error);
        }
    }
}

static void
cmd_compile(struct test_ctx *ctx, const struct svec *args)
{
    struct test_lflow *lf = find_lflow(ctx, args->names[1]);
    struct lflow_compile_lflow clf = {
        .uuid = lf->uuid,
        .ingress = lf->ingress,
        .table_id = lf->table_id,
        .priority = lf->priority,
        .match = lf->match,
        .actions = lf->actions,
        .controller_meter = lf->meter,
    };
    struct lflow_compile_parsed *p;

    char *error = lflow_compile_parse(&ctx->compile, &clf, &p);
    if (error) {
        printf("error: %s\n", error);
        free(error);
        return;
    }

    struct id_refs refs = ID_REFS_INITIALIZER;
    struct svec lines = SVEC_EMPTY_INITIALIZER;
    struct svec errors = SVEC_EMPTY_INITIALIZER;
    compile_on_dps(ctx, p, args, &refs, &lines, &errors);
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
    } else if (!strcmp(args.names[0], "meter-ids") && args.n == 2) {
        id_table_destroy(&ctx->meters);
        id_table_init(&ctx->meters, 1, atoi(args.names[1]));
    } else if (!strcmp(args.names[0], "lflow")) {
        cmd_lflow(ctx, &args);
    } else if (!strcmp(args.names[0], "compile") && args.n >= 2) {
        cmd_compile(ctx, &args);
    } else if (!strcmp(args.names[0], "drop") && args.n == 2) {
        cmd_drop(ctx, &args);
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
