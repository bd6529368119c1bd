/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Test daemon for ofctrl (controller/ofctrl.c): one ofctrl on BRIDGE and
 * OFCTRL_TEST_TABLES flow tables, driven through unixctl so that autotests
 * and benchmarks can script it against a real ovs-vswitchd:
 *
 *   test-ofctrl [--wait-before-clear=MS] [--detach --pidfile ...]
 *               [--unixctl=SOCKET] BRIDGE
 *
 * The commands that change the tables are checked at once but applied
 * at the next "put", all together, as an engine run would change them;
 * every main-loop iteration after the first "put" calls ofctrl_put().
 *
 * Commands (TABLE is the index of a flow table, 0..3; OWNER a UUID or a
 * small number N standing for 0000000N-0000-0000-0000-000000000000):
 *
 *   add TABLE OWNER FLOW...   flow_table_add(); FLOW in ovs-ofctl syntax
 *                             ("table=T,priority=P,cookie=C,MATCH
 *                             actions=A"), parsed here (only here)
 *   remove TABLE OWNER        flow_table_remove_owner()
 *   begin TABLE [OWNER]       flow_table_begin()
 *   end TABLE [OWNER]         flow_table_end()
 *   group TABLE ID DESC...    flow_table_add_group(); "@FILE" as DESC
 *                             reads the description from FILE
 *   del-group TABLE ID        flow_table_remove_group()
 *   meter TABLE ID DESC...    flow_table_add_meter()
 *   del-meter TABLE ID        flow_table_remove_meter()
 *   bulk TABLE FIRST COUNT VALUE
 *                             adds flows "table=10,priority=100,reg0=I
 *                             actions=load:VALUE->reg1" for I in FIRST ..
 *                             FIRST+COUNT-1, owner I/10, cookie I
 *   dump-desired [TABLE]      flow_table_format() of every table
 *   put GEN [incomplete]      applies the queued table commands; from now
 *                             on, every main-loop iteration calls
 *                             ofctrl_put() with generation GEN (and
 *                             'complete' unless "incomplete")
 *   installed-gen             ofctrl_get_installed_gen()
 *   geneve-field              ofctrl_get_geneve_field(), by name
 *   ready                     ofctrl_is_ready()
 *   set-bridge [BRIDGE]       ofctrl_set_bridge()
 *   memory                    ofctrl_get_memory_usage()
 *   exit                      exits
 *
 * and ofctrl's own: ofctrl/show, ofctrl/dump-installed, group-table-list,
 * meter-table-list.
 */

#include <config.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "byte-order.h"
#include "command-line.h"
#include "controller/flow-table.h"
#include "controller/ofctrl.h"
#include "daemon.h"
#include "fatal-signal.h"
#include "flow.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/meta-flow.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "simap.h"
#include "svec.h"
#include "unixctl.h"
#include "tests/test-util.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(test_ofctrl);

#define OFCTRL_TEST_TABLES 4

/* A table command waiting for the next "put". */
struct queued_cmd {
    struct ovs_list node;
    unixctl_cb_func *cb;
    struct svec argv;
};

struct driver {
    struct ofctrl *ofctrl;
    struct ovs_list queue;      /* struct queued_cmd, in order. */
    bool applying;              /* Running queued commands. */
    struct flow_table tables[OFCTRL_TEST_TABLES];
    struct flow_table *table_ptrs[OFCTRL_TEST_TABLES];
    bool putting;               /* A "put" was issued. */
    uint64_t gen;
    bool complete;
    bool exiting;
};

/* Replies to a table command: at once when it is queued, not again
 * when it is applied. */
static void
reply_ok(struct driver *d, struct unixctl_conn *conn)
{
    if (!d->applying) {
        unixctl_command_reply(conn, NULL);
    }
}

static void
reply_error(struct driver *d, struct unixctl_conn *conn, const char *error)
{
    if (!d->applying) {
        unixctl_command_reply_error(conn, error);
    } else {
        VLOG_WARN("queued command failed: %s", error);
    }
}

/* If the driver is not applying queued commands, checks nothing more,
 * queues the command for the next "put" and returns true. */
static bool
queue_cmd(struct driver *d, unixctl_cb_func *cb, int argc,
          const char *argv[])
{
    if (d->applying) {
        return false;
    }
    struct queued_cmd *q = xmalloc(sizeof *q);
    q->cb = cb;
    svec_init(&q->argv);
    for (int i = 0; i < argc; i++) {
        svec_add(&q->argv, argv[i]);
    }
    ovs_list_push_back(&d->queue, &q->node);
    return true;
}

static void
apply_queue(struct driver *d)
{
    struct queued_cmd *q;

    d->applying = true;
    LIST_FOR_EACH_POP (q, node, &d->queue) {
        q->cb(NULL, q->argv.n, (const char **) q->argv.names, d);
        svec_destroy(&q->argv);
        free(q);
    }
    d->applying = false;
}

/* Parses argv[1] as a table index; replies with an error if bad. */
static struct flow_table *
get_table(struct driver *d, struct unixctl_conn *conn, const char *s)
{
    int i;

    if (!str_to_int(s, 10, &i) || i < 0 || i >= OFCTRL_TEST_TABLES) {
        reply_error(d, conn, "bad table index");
        return NULL;
    }
    return &d->tables[i];
}

static char *
join_args(int argc, const char *argv[], int first)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    for (int i = first; i < argc; i++) {
        ds_put_format(&s, "%s%s", i > first ? " " : "", argv[i]);
    }
    return ds_steal_cstr(&s);
}

static void
cmd_add(struct unixctl_conn *conn, int argc, const char *argv[], void *d_)
{
    struct flow_table *t = get_table(d_, conn, argv[1]);
    struct ofputil_flow_mod fm;
    enum ofputil_protocol usable;
    struct uuid owner;

    if (!t) {
        return;
    }
    if (!test_parse_owner(argv[2], &owner)) {
        reply_error(d_, conn, "bad owner");
        return;
    }
    char *flow = join_args(argc, argv, 3);
    char *error = parse_ofp_flow_mod_str(&fm, flow, NULL, NULL, OFPFC_ADD,
                                         &usable);
    free(flow);
    if (error) {
        reply_error(d_, conn, error);
        free(error);
        return;
    }

    if (queue_cmd(d_, cmd_add, argc, argv)) {
        reply_ok(d_, conn);
        minimatch_destroy(&fm.match);
        free(fm.ofpacts);
        return;
    }

    struct match match;
    minimatch_expand(&fm.match, &match);
    flow_table_add(t, &owner, fm.table_id == 0xff ? 0 : fm.table_id,
                   fm.priority, ntohll(fm.new_cookie), &match, fm.ofpacts,
                   fm.ofpacts_len);
    minimatch_destroy(&fm.match);
    free(fm.ofpacts);
    reply_ok(d_, conn);
}

static void
cmd_owner_op(struct unixctl_conn *conn, int argc, const char *argv[],
             void *d_)
{
    struct flow_table *t = get_table(d_, conn, argv[1]);
    struct uuid owner;
    const struct uuid *p = NULL;

    if (!t) {
        return;
    }
    if (argc > 2) {
        if (!test_parse_owner(argv[2], &owner)) {
            reply_error(d_, conn, "bad owner");
            return;
        }
        p = &owner;
    }
    if (!strcmp(argv[0], "remove") && !p) {
        reply_error(d_, conn, "remove needs an owner");
        return;
    }
    if (queue_cmd(d_, cmd_owner_op, argc, argv)) {
        reply_ok(d_, conn);
        return;
    }
    if (!strcmp(argv[0], "remove")) {
        flow_table_remove_owner(t, p);
    } else if (!strcmp(argv[0], "begin")) {
        flow_table_begin(t, p);
    } else {
        flow_table_end(t, p);
    }
    reply_ok(d_, conn);
}

static void
cmd_id(struct unixctl_conn *conn, int argc, const char *argv[], void *d_)
{
    struct driver *d = d_;
    struct flow_table *t = get_table(d_, conn, argv[1]);
    unsigned int id;

    if (!t) {
        return;
    }
    if (!str_to_uint(argv[2], 10, &id)) {
        reply_error(d_, conn, "bad id");
        return;
    }
    if (argv[0][0] == 'd' && queue_cmd(d, cmd_id, argc, argv)) {
        reply_ok(d, conn);
        return;
    }
    if (!strcmp(argv[0], "del-group")) {
        flow_table_remove_group(t, id);
    } else if (!strcmp(argv[0], "del-meter")) {
        flow_table_remove_meter(t, id);
    } else {
        char *desc = join_args(argc, argv, 3);

        if (desc[0] == '@') {
            struct ds s = DS_EMPTY_INITIALIZER;
            FILE *file = fopen(desc + 1, "r");

            if (!file || ds_get_line(&s, file)) {
                reply_error(d_, conn, "cannot read file");
                if (file) {
                    fclose(file);
                }
                ds_destroy(&s);
                free(desc);
                return;
            }
            fclose(file);
            free(desc);
            desc = ds_steal_cstr(&s);
        }

        if (!d->applying) {
            const char *args[4] = { argv[0], argv[1], argv[2], desc };

            queue_cmd(d, cmd_id, 4, args);
            reply_ok(d, conn);
            free(desc);
            return;
        }
        if (!strcmp(argv[0], "group")) {
            flow_table_add_group(t, id, desc);
        } else {
            flow_table_add_meter(t, id, desc);
        }
        free(desc);
    }
    reply_ok(d_, conn);
}

static void
cmd_bulk(struct unixctl_conn *conn, int argc OVS_UNUSED, const char *argv[],
         void *d_)
{
    struct flow_table *t = get_table(d_, conn, argv[1]);
    unsigned int first, count, value;
    uint64_t stub[64 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);

    if (!t) {
        return;
    }
    if (!str_to_uint(argv[2], 10, &first) || !str_to_uint(argv[3], 10, &count)
        || !str_to_uint(argv[4], 10, &value)) {
        reply_error(d_, conn, "bad number");
        return;
    }
    if (queue_cmd(d_, cmd_bulk, argc, argv)) {
        reply_ok(d_, conn);
        return;
    }
    ovs_be32 v = htonl(value);
    ofpact_put_reg_load(&ofpacts, mf_from_id(MFF_REG1), &v, NULL);

    for (unsigned int i = first; i < first + count; i++) {
        struct match match;
        struct uuid owner;

        match_init_catchall(&match);
        match_set_reg(&match, 0, i);
        uuid_zero(&owner);
        owner.parts[0] = i / 10;
        flow_table_add(t, &owner, 10, 100, i, &match, ofpacts.data,
                       ofpacts.size);
    }
    ofpbuf_uninit(&ofpacts);
    reply_ok(d_, conn);
}

static void
cmd_dump_desired(struct unixctl_conn *conn, int argc, const char *argv[],
                 void *d_)
{
    struct driver *d = d_;
    struct ds out = DS_EMPTY_INITIALIZER;

    for (int i = 0; i < OFCTRL_TEST_TABLES; i++) {
        flow_table_format(&d->tables[i], argc > 1 ? atoi(argv[1]) : -1,
                          &out);
    }
    unixctl_command_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
}

static void
cmd_put(struct unixctl_conn *conn, int argc, const char *argv[], void *d_)
{
    struct driver *d = d_;
    unsigned long long int gen;

    if (!str_to_ullong(argv[1], 10, &gen) || gen < d->gen) {
        unixctl_command_reply_error(conn, "bad or decreasing generation");
        return;
    }
    d->gen = gen;
    d->complete = !(argc > 2 && !strcmp(argv[2], "incomplete"));
    d->putting = true;
    for (int i = 0; i < OFCTRL_TEST_TABLES; i++) {
        flow_table_set_gen(&d->tables[i], gen);
    }
    apply_queue(d);
    unixctl_command_reply(conn, NULL);
}

static void
cmd_installed_gen(struct unixctl_conn *conn, int argc OVS_UNUSED,
                  const char *argv[] OVS_UNUSED, void *d_)
{
    struct driver *d = d_;
    char *s = xasprintf("%"PRIu64, ofctrl_get_installed_gen(d->ofctrl));

    unixctl_command_reply(conn, s);
    free(s);
}

static void
cmd_geneve_field(struct unixctl_conn *conn, int argc OVS_UNUSED,
                 const char *argv[] OVS_UNUSED, void *d_)
{
    struct driver *d = d_;
    enum mf_field_id id = ofctrl_get_geneve_field(d->ofctrl);

    unixctl_command_reply(conn, id == MFF_N_IDS ? "unknown"
                                : mf_from_id(id)->name);
}

static void
cmd_ready(struct unixctl_conn *conn, int argc OVS_UNUSED,
          const char *argv[] OVS_UNUSED, void *d_)
{
    struct driver *d = d_;

    unixctl_command_reply(conn, ofctrl_is_ready(d->ofctrl) ? "yes" : "no");
}

static void
cmd_set_bridge(struct unixctl_conn *conn, int argc, const char *argv[],
               void *d_)
{
    struct driver *d = d_;

    ofctrl_set_bridge(d->ofctrl, argc > 1 ? argv[1] : NULL);
    unixctl_command_reply(conn, NULL);
}

static void
cmd_memory(struct unixctl_conn *conn, int argc OVS_UNUSED,
           const char *argv[] OVS_UNUSED, void *d_)
{
    struct driver *d = d_;
    struct simap usage = SIMAP_INITIALIZER(&usage);
    const struct simap_node **nodes;
    struct ds out = DS_EMPTY_INITIALIZER;

    ofctrl_get_memory_usage(d->ofctrl, &usage);
    nodes = simap_sort(&usage);
    for (size_t i = 0; i < simap_count(&usage); i++) {
        ds_put_format(&out, "%s:%u\n", nodes[i]->name, nodes[i]->data);
    }
    free(nodes);
    simap_destroy(&usage);
    unixctl_command_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
}

static void
cmd_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
         const char *argv[] OVS_UNUSED, void *d_)
{
    struct driver *d = d_;

    d->exiting = true;
    unixctl_command_reply(conn, NULL);
}

static void
register_commands(struct driver *d)
{
    unixctl_command_register("add", "TABLE OWNER FLOW", 3, INT_MAX,
                             cmd_add, d);
    unixctl_command_register("remove", "TABLE OWNER", 2, 2, cmd_owner_op, d);
    unixctl_command_register("begin", "TABLE [OWNER]", 1, 2, cmd_owner_op,
                             d);
    unixctl_command_register("end", "TABLE [OWNER]", 1, 2, cmd_owner_op, d);
    unixctl_command_register("group", "TABLE ID DESC", 3, INT_MAX, cmd_id,
                             d);
    unixctl_command_register("del-group", "TABLE ID", 2, 2, cmd_id, d);
    unixctl_command_register("meter", "TABLE ID DESC", 3, INT_MAX, cmd_id,
                             d);
    unixctl_command_register("del-meter", "TABLE ID", 2, 2, cmd_id, d);
    unixctl_command_register("bulk", "TABLE FIRST COUNT VALUE", 4, 4,
                             cmd_bulk, d);
    unixctl_command_register("dump-desired", "[TABLE]", 0, 1,
                             cmd_dump_desired, d);
    unixctl_command_register("put", "GEN [incomplete]", 1, 2, cmd_put, d);
    unixctl_command_register("installed-gen", "", 0, 0, cmd_installed_gen,
                             d);
    unixctl_command_register("geneve-field", "", 0, 0, cmd_geneve_field, d);
    unixctl_command_register("ready", "", 0, 0, cmd_ready, d);
    unixctl_command_register("set-bridge", "[BRIDGE]", 0, 1, cmd_set_bridge,
                             d);
    unixctl_command_register("memory", "", 0, 0, cmd_memory, d);
    unixctl_command_register("exit", "", 0, 0, cmd_exit, d);
}

/* Options. */

struct options {
    const char *bridge;
    const char *unixctl_path;
    int wait_before_clear;
};

OVS_NO_RETURN static void
usage(void)
{
    printf("%s: ofctrl test daemon\n"
           "usage: %s [OPTIONS] BRIDGE\n", program_name, program_name);
    daemon_usage();
    vlog_usage();
    printf("\nOther options:\n"
           "  --unixctl=SOCKET        override the default control socket\n"
           "  --wait-before-clear=MS  delay of the first synchronization\n"
           "  -h, --help              display this help message\n");
    exit(EXIT_SUCCESS);
}

static void
parse_options(int argc, char *argv[], struct options *options)
{
    enum {
        OPT_UNIXCTL = UCHAR_MAX + 1,
        OPT_WAIT_BEFORE_CLEAR,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"help", no_argument, NULL, 'h'},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"wait-before-clear", required_argument, NULL,
         OPT_WAIT_BEFORE_CLEAR},
        VLOG_LONG_OPTIONS,
        DAEMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(
        long_options);

    options->unixctl_path = NULL;
    options->wait_before_clear = 0;
    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);

        if (c == -1) {
            break;
        }
        switch (c) {
        case 'h':
            usage();
        case OPT_UNIXCTL:
            options->unixctl_path = optarg;
            break;
        case OPT_WAIT_BEFORE_CLEAR:
            options->wait_before_clear = atoi(optarg);
            break;
        VLOG_OPTION_HANDLERS
        DAEMON_OPTION_HANDLERS
        case '?':
            exit(EXIT_FAILURE);
        default:
            abort();
        }
    }
    free(short_options);
    if (optind + 1 != argc) {
        ovs_fatal(0, "exactly one argument (the bridge) is required; "
                  "use --help for usage");
    }
    options->bridge = argv[optind];
}

int
main(int argc, char *argv[])
{
    struct unixctl_server *unixctl;
    struct options options;
    struct driver d;

    set_program_name(argv[0]);
    parse_options(argc, argv, &options);
    fatal_ignore_sigpipe();

    daemonize_start(false);
    if (unixctl_server_create(options.unixctl_path, &unixctl)) {
        exit(EXIT_FAILURE);
    }
    memset(&d, 0, sizeof d);
    ovs_list_init(&d.queue);
    for (int i = 0; i < OFCTRL_TEST_TABLES; i++) {
        flow_table_init(&d.tables[i]);
        d.table_ptrs[i] = &d.tables[i];
    }
    register_commands(&d);
    d.ofctrl = ofctrl_create(true);
    ofctrl_set_wait_before_clear(d.ofctrl, options.wait_before_clear);
    ofctrl_set_bridge(d.ofctrl, options.bridge);
    daemonize_complete();

    while (!d.exiting) {
        unixctl_server_run(unixctl);
        ofctrl_run(d.ofctrl);
        if (d.putting) {
            ofctrl_put(d.ofctrl, d.table_ptrs, OFCTRL_TEST_TABLES, d.gen,
                       d.complete);
        }
        unixctl_server_wait(unixctl);
        ofctrl_wait(d.ofctrl);
        if (d.exiting) {
            poll_immediate_wake();
        }
        poll_block();
    }

    ofctrl_destroy(d.ofctrl);
    for (int i = 0; i < OFCTRL_TEST_TABLES; i++) {
        flow_table_destroy(&d.tables[i]);
    }
    unixctl_server_destroy(unixctl);
    return 0;
}
