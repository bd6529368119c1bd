/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * ovn-lflow-check: compiles every logical flow of a live southbound
 * database the way a chassis would, and reports the ones that fail.
 *
 * It connects to the SB remote like ovn-controller does (any member of a
 * cluster, SSL options as the daemon takes them), waits for the first full
 * copy of the database, then for each Logical_Flow and each datapath it
 * applies to (logical_datapath, or every member of logical_dp_group):
 *
 *   1. expands the template variables (^name) of the chassis named by
 *      --chassis (Chassis_Template_Var) in the actions;
 *   2. parses the actions (lib/actions.h), which yields the prerequisites
 *      the match must be ANDed with;
 *   3. compiles "(match) && (prerequisites)" with the SB address sets, the
 *      port groups (datapath-scoped "<key>_<name>" first), the templates and
 *      is_chassis_resident() answered from Port_Binding.chassis;
 *   4. turns it into OpenFlow matches, with logical port and multicast
 *      group names resolved to their tunnel keys on that datapath;
 *   5. encodes the actions into OpenFlow actions, round-trips them through
 *      OpenFlow 1.5 and checks them against each match as ovs-vswitchd
 *      would before installing the flow.
 *
 * Steps 1 and 2 run once per flow, 3 to 5 once per datapath, all in
 * lib/lflow-compile.c, the module the daemon compiles its flows with;
 * this file only reads the SB into that module's context and reports.
 *
 * A flow fails if any step fails on any of its datapaths.  Each failure is
 * printed as "UUID PIPELINE TABLE: ERROR", sorted by UUID, and the last
 * line is "N compiled, M failed".  Exit status: 0 if nothing failed, 1 if
 * some flow failed, 2 on a usage or connection error.
 *
 * The tool keeps no state between runs and changes nothing in the SB.
 */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "byte-order.h"
#include "coverage.h"
#include "dirs.h"
#include "fatal-signal.h"
#include "lib/actions.h"
#include "lib/conj-ids.h"
#include "lib/expr.h"
#include "lib/id-table.h"
#include "lib/lflow-compile.h"
#include "lib/ovn-sb-idl.h"
#include "lib/symtab.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovn/of-tables.h"
#include "ovsdb-idl.h"
#include "simap.h"
#include "smap.h"
#include "sset.h"
#include "stream-ssl.h"
#include "stream.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(lflow_check);

COVERAGE_DEFINE(lflow_check_compiled);
COVERAGE_DEFINE(lflow_check_failed);

/* Exit statuses. */
enum {
    LFC_EXIT_OK = 0,            /* Every flow compiled. */
    LFC_EXIT_FAILED = 1,        /* Some flow failed. */
    LFC_EXIT_ERROR = 2,         /* Usage or connection error. */
};

/* Command-line options. */
struct lfc_options {
    char *remote;               /* SB remote (owned). */
    char *chassis;              /* --chassis, or NULL (owned). */
    long long int timeout_ms;   /* --timeout, in milliseconds. */
};

/* What a datapath contributes to the compilation of its flows. */
struct lfc_datapath {
    struct hmap_node node;      /* In lfc_ctx's 'datapaths', by UUID. */
    struct uuid uuid;           /* Datapath_Binding row. */
    uint32_t key;               /* Tunnel key. */
    bool is_switch;             /* Logical switch (else router)? */
    struct simap ports;         /* Port and multicast group name -> key. */
};

/* Everything compilation needs, built once from the SB contents. */
struct lfc_ctx {
    struct shash symtab;        /* The logical flow symbols. */
    struct shash dhcp_opts;     /* DHCPv4 option definitions. */
    struct shash dhcpv6_opts;   /* DHCPv6 option definitions. */
    struct shash addr_sets;     /* Address_Set name -> constant set. */
    struct shash port_groups;   /* Port_Group name -> constant set. */
    struct smap templates;      /* The chassis's template variables. */
    struct sset resident;       /* Ports resident on the chassis. */
    struct hmap datapaths;      /* struct lfc_datapath, by UUID. */
    struct id_table groups;     /* OpenFlow group ids. */
    struct id_table meters;     /* OpenFlow meter ids. */
    struct conj_ids conj_ids;   /* Conjunction ids per logical flow. */
    struct lflow_compile_ctx compile;   /* Points to the members above. */
};

/* One failed flow. */
struct lfc_failure {
    char *line;                 /* "UUID PIPELINE TABLE: ERROR". */
};

/* Prints the help text on stdout. */
static void
usage(void)
{
    printf("%s: compile every logical flow of an OVN southbound database\n"
           "usage: %s [OPTIONS] [SB-REMOTE]\n"
           "\n"
           "Connects to SB-REMOTE (or --db) as a chassis would, waits for\n"
           "the database contents, and compiles the match and actions of\n"
           "every Logical_Flow on each of its datapaths, with the address\n"
           "sets, port groups, ports and template variables the chassis\n"
           "named by --chassis sees.  Prints each flow that fails as\n"
           "\n"
           "  UUID PIPELINE TABLE: ERROR\n"
           "\n"
           "sorted by UUID, then \"N compiled, M failed\" as the last line\n"
           "(N flows compiled on all their datapaths, M flows did not).\n"
           "Exit status: 0 if M is 0, 1 if M > 0, 2 on a usage error or\n"
           "when the database cannot be read.\n"
           "\n"
           "Options:\n"
           "  --db=SB-REMOTE          southbound database (default: "
           "$OVN_SB_DB,\n"
           "                          else unix:%s/ovnsb_db.sock)\n"
           "  --chassis=NAME          compile as chassis NAME (its\n"
           "                          Chassis_Template_Var variables; ports\n"
           "                          bound to it are resident); without it\n"
           "                          no template variable is defined and\n"
           "                          no port is resident\n"
           "  --timeout=SECS          give up reading the database after\n"
           "                          SECS seconds (default: 30)\n"
           "  -v, --verbose[=SPEC]    set logging levels (as in ovs-appctl\n"
           "                          vlog/set)\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n",
           program_name, program_name, ovs_rundir());
    stream_usage("SB-REMOTE", true, false, false);
}

/* Prints a usage error on stderr and returns LFC_EXIT_ERROR. */
OVS_PRINTF_FORMAT(1, 2) static int
usage_error(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    fprintf(stderr, "%s: ", program_name);
    vfprintf(stderr, format, args);
    fprintf(stderr, " (use --help for usage)\n");
    va_end(args);
    return LFC_EXIT_ERROR;
}

/* Parses 'arg', a number of seconds, into '*ms'.  Returns false if it is
 * not a number between 0 (excluded) and 86400. */
static bool
parse_timeout(const char *arg, long long int *ms)
{
    char *end;
    double secs = strtod(arg, &end);

    if (end == arg || *end || !(secs > 0) || secs > 86400) {
        return false;
    }
    *ms = MAX(1, (long long int) (secs * 1000));
    return true;
}

/* Frees what 'options' owns. */
static void
lfc_options_destroy(struct lfc_options *options)
{
    free(options->remote);
    free(options->chassis);
}

/* Parses the command line into 'options' (which the caller destroys with
 * lfc_options_destroy() in every case).  Returns -1 if the tool should
 * run, otherwise the status to exit with (after --help, --version or a
 * usage error, which it reported). */
static int
parse_options(int argc, char *argv[], struct lfc_options *options)
{
    enum {
        OPT_DB = UCHAR_MAX + 1,
        OPT_CHASSIS,
        OPT_TIMEOUT,
        SSL_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"chassis", required_argument, NULL, OPT_CHASSIS},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"verbose", optional_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        STREAM_SSL_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(
        long_options);
    int status = -1;

    *options = (struct lfc_options) { .timeout_ms = 30 * 1000 };
    while (status < 0) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        char *error;

        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_DB:
            free(options->remote);
            options->remote = xstrdup(optarg);
            break;

        case OPT_CHASSIS:
            free(options->chassis);
            options->chassis = xstrdup(optarg);
            break;

        case OPT_TIMEOUT:
            if (!parse_timeout(optarg, &options->timeout_ms)) {
                status = usage_error("--timeout: `%s' is not a number of "
                                     "seconds between 0 and 86400",
                                     optarg);
            }
            break;

        case 'v':
            error = vlog_set_levels_from_string(optarg ? optarg : "dbg");
            if (error) {
                fprintf(stderr, "%s: %s\n", program_name, error);
                free(error);
                status = LFC_EXIT_ERROR;
            }
            break;

        case 'h':
            usage();
            status = LFC_EXIT_OK;
            break;

        case 'V':
            ovs_print_version(0, 0);
            status = LFC_EXIT_OK;
            break;

        STREAM_SSL_OPTION_HANDLERS

        case '?':
            status = LFC_EXIT_ERROR;
            break;

        default:
            OVS_NOT_REACHED();
        }
    }
    free(short_options);
    if (status >= 0) {
        return status;
    }

    argc -= optind;
    argv += optind;
    if (argc > 1) {
        return usage_error("at most one non-option argument accepted");
    } else if (argc == 1 && options->remote) {
        return usage_error("give the database either as --db or as an "
                           "argument, not both");
    } else if (argc == 1) {
        options->remote = xstrdup(argv[0]);
    } else if (!options->remote) {
        const char *env = getenv("OVN_SB_DB");
        options->remote = (env && env[0] ? xstrdup(env)
                           : xasprintf("unix:%s/ovnsb_db.sock",
                                       ovs_rundir()));
    }
    return -1;
}

/* Connects to the SB at 'options->remote' and waits for the first full
 * copy of its contents.  Returns the IDL, or NULL after printing why not
 * on stderr. */
static struct ovsdb_idl *
connect_sb(const struct lfc_options *options)
{
    int error = stream_verify_name(options->remote);
    if (error) {
        fprintf(stderr, "%s: %s: not a valid database remote (%s)\n",
                program_name, options->remote, ovs_strerror(error));
        return NULL;
    }

    struct ovsdb_idl *idl = ovsdb_idl_create(options->remote,
                                             &sbrec_idl_class, true, true);
    ovsdb_idl_set_leader_only(idl, false);

    long long int deadline = time_msec() + options->timeout_ms;
    for (;;) {
        ovsdb_idl_run(idl);
        if (ovsdb_idl_has_ever_connected(idl)) {
            return idl;
        }
        if (!ovsdb_idl_is_alive(idl) || time_msec() >= deadline) {
            break;
        }
        ovsdb_idl_wait(idl);
        poll_timer_wait_until(deadline);
        poll_block();
    }

    int last_error = ovsdb_idl_get_last_error(idl);
    const char *why;
    if (ovsdb_idl_is_connected(idl)) {
        why = "connected, but no OVN_Southbound contents arrived: is it "
              "the southbound database?";
    } else if (last_error) {
        why = ovs_retval_to_string(last_error);
    } else {
        why = "no database contents; see the messages above";
    }
    fprintf(stderr, "%s: %s: could not read the southbound database "
            "within %lld s (%s)\n", program_name, options->remote,
            (options->timeout_ms + 999) / 1000, why);
    ovsdb_idl_destroy(idl);
    return NULL;
}

/* Building the compilation context from the SB contents. */

static struct lfc_datapath *
lfc_datapath_find(const struct lfc_ctx *ctx, const struct uuid *uuid)
{
    struct lfc_datapath *dp;

    HMAP_FOR_EACH_WITH_HASH (dp, node, uuid_hash(uuid), &ctx->datapaths) {
        if (uuid_equals(&dp->uuid, uuid)) {
            return dp;
        }
    }
    return NULL;
}

static void
add_datapaths(struct lfc_ctx *ctx, struct ovsdb_idl *idl)
{
    const struct sbrec_datapath_binding *sb_dp;

    SBREC_DATAPATH_BINDING_FOR_EACH (sb_dp, idl) {
        struct lfc_datapath *dp = xzalloc(sizeof *dp);

        dp->uuid = sb_dp->header_.uuid;
        dp->key = sb_dp->tunnel_key;
        dp->is_switch = !smap_get(&sb_dp->external_ids, "logical-router");
        simap_init(&dp->ports);
        hmap_insert(&ctx->datapaths, &dp->node, uuid_hash(&dp->uuid));
    }
}

static bool
pb_on_chassis(const struct sbrec_port_binding *pb, const char *chassis)
{
    if (!chassis) {
        return false;
    }
    if (pb->chassis && !strcmp(pb->chassis->name, chassis)) {
        return true;
    }
    for (size_t i = 0; i < pb->n_additional_chassis; i++) {
        if (!strcmp(pb->additional_chassis[i]->name, chassis)) {
            return true;
        }
    }
    return false;
}

static void
add_ports(struct lfc_ctx *ctx, struct ovsdb_idl *idl, const char *chassis)
{
    const struct sbrec_port_binding *pb;
    const struct sbrec_multicast_group *mg;
    struct lfc_datapath *dp;

    SBREC_PORT_BINDING_FOR_EACH (pb, idl) {
        dp = pb->datapath ? lfc_datapath_find(ctx, &pb->datapath->header_.uuid)
                          : NULL;
        if (dp) {
            simap_put(&dp->ports, pb->logical_port, pb->tunnel_key);
        }
        if (pb_on_chassis(pb, chassis)) {
            sset_add(&ctx->resident, pb->logical_port);
        }
    }
    SBREC_MULTICAST_GROUP_FOR_EACH (mg, idl) {
        dp = mg->datapath ? lfc_datapath_find(ctx, &mg->datapath->header_.uuid)
                          : NULL;
        if (dp) {
            simap_put(&dp->ports, mg->name, mg->tunnel_key);
        }
    }
}

static void
add_sets(struct lfc_ctx *ctx, struct ovsdb_idl *idl)
{
    const struct sbrec_address_set *as;
    const struct sbrec_port_group *pg;

    SBREC_ADDRESS_SET_FOR_EACH (as, idl) {
        expr_const_sets_add_integers(&ctx->addr_sets, as->name,
                                     (const char *const *) as->addresses,
                                     as->n_addresses);
    }
    SBREC_PORT_GROUP_FOR_EACH (pg, idl) {
        expr_const_sets_add_strings(&ctx->port_groups, pg->name,
                                    (const char *const *) pg->ports,
                                    pg->n_ports);
    }
}

/* Adds the DHCP option definitions of the SB over the built-in ones, so
 * that options a newer northd defines are known too. */
static void
add_dhcp_opts(struct lfc_ctx *ctx, struct ovsdb_idl *idl)
{
    const struct sbrec_dhcp_options *o4;
    const struct sbrec_dhcpv6_options *o6;

    lact_opt_defs_add_defaults(&ctx->dhcp_opts, &ctx->dhcpv6_opts);
    SBREC_DHCP_OPTIONS_FOR_EACH (o4, idl) {
        lact_opt_defs_add(&ctx->dhcp_opts, o4->name, o4->code, o4->type);
    }
    SBREC_DHCPV6_OPTIONS_FOR_EACH (o6, idl) {
        lact_opt_defs_add(&ctx->dhcpv6_opts, o6->name, o6->code, o6->type);
    }
}

static void
add_templates(struct lfc_ctx *ctx, struct ovsdb_idl *idl,
              const char *chassis)
{
    const struct sbrec_chassis_template_var *tv;

    if (!chassis) {
        return;
    }
    SBREC_CHASSIS_TEMPLATE_VAR_FOR_EACH (tv, idl) {
        if (!strcmp(tv->chassis, chassis)) {
            struct smap_node *node;

            SMAP_FOR_EACH (node, &tv->variables) {
                smap_replace(&ctx->templates, node->key, node->value);
            }
        }
    }
}

static bool
is_resident_cb(const void *ctx_, const char *port)
{
    const struct lfc_ctx *ctx = ctx_;
    return sset_contains(&ctx->resident, port);
}

static bool
lookup_port_cb(const void *dp_, const char *name, unsigned int *key)
{
    const struct lfc_datapath *dp = dp_;
    const struct simap_node *node = simap_find(&dp->ports, name);

    if (node) {
        *key = node->data;
        return true;
    }
    return false;
}

static void
lfc_ctx_init(struct lfc_ctx *ctx, struct ovsdb_idl *idl, const char *chassis)
{
    shash_init(&ctx->symtab);
    symtab_init(&ctx->symtab);
    shash_init(&ctx->dhcp_opts);
    shash_init(&ctx->dhcpv6_opts);
    shash_init(&ctx->addr_sets);
    shash_init(&ctx->port_groups);
    smap_init(&ctx->templates);
    sset_init(&ctx->resident);
    hmap_init(&ctx->datapaths);
    id_table_init(&ctx->groups, 1, UINT32_MAX - 1);
    id_table_init(&ctx->meters, 1, UINT32_MAX - 1);
    conj_ids_init(&ctx->conj_ids);
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

    add_datapaths(ctx, idl);
    add_ports(ctx, idl, chassis);
    add_sets(ctx, idl);
    add_dhcp_opts(ctx, idl);
    add_templates(ctx, idl, chassis);
}

static void
lfc_ctx_destroy(struct lfc_ctx *ctx)
{
    struct lfc_datapath *dp;

    symtab_destroy(&ctx->symtab);
    lact_opt_defs_destroy(&ctx->dhcp_opts);
    lact_opt_defs_destroy(&ctx->dhcpv6_opts);
    expr_const_sets_destroy(&ctx->addr_sets);
    expr_const_sets_destroy(&ctx->port_groups);
    smap_destroy(&ctx->templates);
    sset_destroy(&ctx->resident);
    HMAP_FOR_EACH_POP (dp, node, &ctx->datapaths) {
        simap_destroy(&dp->ports);
        free(dp);
    }
    hmap_destroy(&ctx->datapaths);
    id_table_destroy(&ctx->groups);
    id_table_destroy(&ctx->meters);
    conj_ids_destroy(&ctx->conj_ids);
}

/* Compilation. */

/* Describes 'dp' for lib/lflow-compile.h. */
static struct lflow_compile_dp
lfc_compile_dp(const struct lfc_datapath *dp)
{
    return (struct lflow_compile_dp) {
        .key = dp->key,
        .is_switch = dp->is_switch,
        .lookup_port = lookup_port_cb,
        .lookup_aux = dp,
    };
}

/* Compiles parsed flow 'p' on each of the datapaths 'dps' ('n_dps' of
 * them), adding the ids it takes to 'refs'.  Returns NULL or a malloc'd
 * error (the first). */
static char *
compile_on_dps(struct lfc_ctx *ctx, struct lflow_compile_parsed *p,
               struct sbrec_datapath_binding *const *dps, size_t n_dps,
               struct id_refs *refs)
{
    for (size_t i = 0; i < n_dps; i++) {
        const struct lfc_datapath *dp
            = lfc_datapath_find(ctx, &dps[i]->header_.uuid);
        if (!dp) {
            return xstrdup("datapath not in Datapath_Binding");
        }

        struct lflow_compile_dp cdp = lfc_compile_dp(dp);
        char *error = lflow_compile_on_dp(&ctx->compile, p, &cdp, refs,
                                          NULL, NULL);
        if (error && n_dps > 1) {
            char *s = xasprintf("%s (on datapath %"PRIu32")", error,
                                dp->key);
            free(error);
            error = s;
        }
        if (error) {
            return error;
        }
    }
    return NULL;
}

/* Compiles 'lflow' on each of its datapaths.  Returns NULL or a malloc'd
 * error (the first). */
static char *
compile_lflow(struct lfc_ctx *ctx, const struct sbrec_logical_flow *lflow)
{
    struct sbrec_datapath_binding *const *dps;
    size_t n_dps;

    if (lflow->logical_datapath) {
        dps = &lflow->logical_datapath;
        n_dps = 1;
    } else if (lflow->logical_dp_group) {
        dps = lflow->logical_dp_group->datapaths;
        n_dps = lflow->logical_dp_group->n_datapaths;
    } else {
        return xstrdup("neither logical_datapath nor logical_dp_group");
    }
    if (!n_dps) {
        return xstrdup("logical_dp_group has no datapaths");
    }

    struct lflow_compile_lflow lf = {
        .uuid = lflow->header_.uuid,
        .ingress = !strcmp(lflow->pipeline, "ingress"),
        .table_id = lflow->table_id,
        .priority = lflow->priority,
        .match = lflow->match,
        .actions = lflow->actions,
        .controller_meter = lflow->controller_meter,
    };
    struct lflow_compile_parsed *p;
    char *error = lflow_compile_parse(&ctx->compile, &lf, &p);
    if (!error) {
        struct id_refs refs = ID_REFS_INITIALIZER;

        error = compile_on_dps(ctx, p, dps, n_dps, &refs);
        lflow_compile_release(&ctx->compile, &lf.uuid, &refs);
        lflow_compile_parsed_destroy(p);
    }
    return error;
}

static int
compare_strings(const void *a_, const void *b_)
{
    const char *const *a = a_;
    const char *const *b = b_;
    return strcmp(*a, *b);
}

/* Compiles every logical flow in 'idl', prints the failures and the
 * summary.  Returns the number of failures. */
static size_t
check_all(struct ovsdb_idl *idl, const char *chassis)
{
    const struct sbrec_logical_flow *lflow;
    struct lfc_ctx ctx;
    char **failures = NULL;
    size_t n_failed = 0, allocated = 0, n_compiled = 0;

    lfc_ctx_init(&ctx, idl, chassis);
    SBREC_LOGICAL_FLOW_FOR_EACH (lflow, idl) {
        char *error = compile_lflow(&ctx, lflow);
        if (!error) {
            COVERAGE_INC(lflow_check_compiled);
            n_compiled++;
            continue;
        }
        COVERAGE_INC(lflow_check_failed);
        if (n_failed >= allocated) {
            failures = x2nrealloc(failures, &allocated, sizeof *failures);
        }
        failures[n_failed++] = xasprintf(UUID_FMT" %s %"PRId64": %s",
                                         UUID_ARGS(&lflow->header_.uuid),
                                         lflow->pipeline, lflow->table_id,
                                         error);
        free(error);
    }
    lfc_ctx_destroy(&ctx);

    if (n_failed) {
        qsort(failures, n_failed, sizeof *failures, compare_strings);
    }
    for (size_t i = 0; i < n_failed; i++) {
        puts(failures[i]);
        free(failures[i]);
    }
    free(failures);
    printf("%"PRIuSIZE" compiled, %"PRIuSIZE" failed\n", n_compiled,
           n_failed);
    return n_failed;
}

int
main(int argc, char *argv[])
{
    struct lfc_options options;

    set_program_name(argv[0]);
    fatal_ignore_sigpipe();
    /* Warnings on the console; ovsdb_cs also says there why it cannot
     * use a server (e.g. "server does not have OVN_Southbound
     * database"). */
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    vlog_set_levels(vlog_module_from_name("ovsdb_cs"), VLF_CONSOLE,
                    VLL_INFO);
    /* A one-shot run that compiles thousands of flows in one go is a long
     * "poll interval" by design: the main loop's warning about it, meant
     * for daemons, would only be noise on the console ("-v" still shows
     * it). */
    vlog_set_levels(vlog_module_from_name("timeval"), VLF_CONSOLE,
                    VLL_ERR);
    int status = parse_options(argc, argv, &options);
    if (status < 0) {
        struct ovsdb_idl *idl = connect_sb(&options);
        status = LFC_EXIT_ERROR;
        if (idl) {
            status = check_all(idl, options.chassis) ? LFC_EXIT_FAILED
                                                       : LFC_EXIT_OK;
            ovsdb_idl_destroy(idl);
        }
    }
    lfc_options_destroy(&options);
    return status;
}
