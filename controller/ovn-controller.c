/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * ovn-controller: the OVN chassis daemon.
 *
 * This file only parses options, creates the two IDLs (the local OVS
 * database and the southbound database), builds the engine graph
 * (en-graph.c) and runs the main loop.  Everything the daemon computes
 * lives in the engine nodes (controller/en-*.c) and the modules under them.
 *
 * One iteration of the main loop:
 *   1. run both IDLs, opening a transaction on each when none is in flight,
 *      and the OpenFlow connection (ofctrl.h);
 *   2. force a full recompute if an IDL began a new session (idl-watch.h);
 *   3. run the engine with those transactions and the next generation
 *      number (en-ctx.h), then narrow the SB monitor conditions to what it
 *      found local (en-graph.h);
 *   4. hand the flow tables to ofctrl with the generation of the last run
 *      that completed, which installs what changed and later reports that
 *      generation installed (the engine's "ofctrl_installed" leaf);
 *   5. point the SB IDL at the configured remote with the SSL settings of
 *      the command line and the local database (sb-conn.h), and ofctrl at
 *      the integration bridge;
 *   6. clear the IDLs' tracked changes and the engine's;
 *   7. commit both transactions, forcing a recompute if one failed;
 *   8. serve unixctl and the metrics' HTTP listener (metrics-http.h), if
 *      --metrics-address asked for one; report memory; wait.
 *
 * "metrics/show" prints the metrics (controller/metrics.h) from the
 * sources gathered in format_metrics(); the HTTP listener serves the same
 * text.  A bad --metrics-address is logged and leaves the listener off:
 * the daemon runs on.
 *
 * "exit" without --restart stops running the engine, deletes our chassis's
 * rows from the SB and our tunnel ports from the integration bridge, and
 * exits once they are gone (or after EXIT_CLEANUP_TIMEOUT_MS); the reply
 * is sent just before exiting, so "ovs-appctl exit" returns when they are
 * gone.  "exit --restart" leaves both.
 */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "command-line.h"
#include "coverage.h"
#include "controller/daemon-ctl.h"
#include "controller/en-chassis.h"
#include "controller/en-ctx.h"
#include "controller/en-graph.h"
#include "controller/engine-ctl.h"
#include "controller/en-integration-bridge.h"
#include "controller/en-tunnel-sync.h"
#include "controller/coverage-list.h"
#include "controller/flow-table.h"
#include "controller/idl-watch.h"
#include "controller/integration-bridge.h"
#include "controller/metrics.h"
#include "controller/metrics-http.h"
#include "controller/ofctrl.h"
#include "controller/pinctrl/pinctrl.h"
#include "controller/sb-conn.h"
#include "controller/chassis-sync.h"
#include "controller/tunnel-sync.h"
#include "daemon.h"
#include "dirs.h"
#include "fatal-signal.h"
#include "lib/engine.h"
#include "lib/ovn-sb-idl.h"
#include "memory.h"
#include "ovn/of-tables.h"
#include "openflow/openflow.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "openvswitch/poll-loop.h"
#include "simap.h"
#include "stream-ssl.h"
#include "stopwatch.h"
#include "stream.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(main);

COVERAGE_DEFINE(controller_engine_wait_txn);

/* Where the daemon runs and logs, as with Debian's ovn-host package: the
 * local database is db.sock in Open vSwitch's run directory ($OVS_RUNDIR,
 * default /var/run/openvswitch); the pidfile and the control socket
 * (ovn-controller.PID.ctl, which "ovn-appctl -t ovn-controller" and
 * ovn-ctl's stop_controller look for) go to OVN's ($OVN_RUNDIR, default
 * /var/run/ovn), and the log to $OVN_LOGDIR, default /var/log/ovn (where
 * ovn-ctl puts it). */
#define DEFAULT_OVS_RUNDIR "/var/run/openvswitch"
#define DEFAULT_OVN_RUNDIR "/var/run/ovn"
#define DEFAULT_OVN_LOGDIR "/var/log/ovn"

/* The OVN release series whose interfaces (SB schema, logical flows,
 * options) this controller implements.  It ends the first line of
 * "version": ovn-ctl's stop_controller reads that last word and asks the
 * daemon to "exit" (deleting its chassis, or keeping it with --restart)
 * only for a version of at least 2.5.90; it would send SIGTERM to a
 * "0.1.0", leaving the chassis behind when the service stops. */
#define OVNMC_OVN_SERIES "23.03"

/* How long "exit" waits for the SB to drop our rows. */
#define EXIT_CLEANUP_TIMEOUT_MS 5000

/* Stopwatches of the main loop ("stopwatch/show"), named as Debian's. */
#define SW_FLOW_GENERATION "flow-generation"    /* The engine run. */
#define SW_FLOW_INSTALLATION "flow-installation" /* ofctrl_put(). */

/* How long to wait before retrying after a failed transaction. */
#define TXN_RETRY_MS 100

/* Command-line options. */
struct options {
    char *ovs_remote;           /* Local OVS database. */
    char *unixctl_path;         /* NULL for the default. */
    bool consistency_check;     /* --enable-consistency-check. */
    unsigned int fault;         /* --fault-injection=N; 0 for none. */
    const char *chassis_name;   /* -n NAME: overrides the system-id. */
    const char *metrics_address; /* --metrics-address; NULL for none. */
    struct ssl_config_options ssl;  /* -p, -c, -C, --bootstrap-ca-cert. */
};

/* The state of an "exit" request. */
struct exit_state {
    bool requested;
    bool restart;               /* --restart: leave the SB rows. */
    bool done;                  /* Ready to exit. */
    bool ports_left;            /* Our tunnel ports are not gone yet. */
    long long int deadline;     /* time_msec() to give up cleaning. */
    struct unixctl_conn *conn;  /* Waiting for the reply. */
};

/* The daemon. */
struct controller {
    struct ovsdb_idl_loop ovs_loop;
    struct ovsdb_idl_loop sb_loop;
    struct en_graph *graph;
    struct sb_conn sb_conn;
    struct idl_watch ovs_watch;
    struct idl_watch sb_watch;
    struct unixctl_server *unixctl;
    struct exit_state exit;
    unsigned int fault;         /* --fault-injection: the planted bug. */
    struct ofctrl *ofctrl;      /* The OpenFlow connection to br-int. */
    struct pinctrl *pinctrl;    /* Packet-in handling (its own thread). */
    uint64_t gen;               /* Generation of the last engine run. */
    uint64_t done_gen;          /* ...of the last one that completed. */
    uint64_t settled_gen;       /* ...of the last one that completed with
                                 * the SB monitor conditions acknowledged:
                                 * the generation its flows stand for. */
    struct daemon_ctl dctl;     /* debug/pause and the like. */
    struct metrics_http *metrics_http; /* NULL: no HTTP listener. */
};

static void set_version(const char *argv0);
static char *set_default_dirs(void);
static void parse_options(int argc, char *argv[], struct options *,
                          const char *ovs_rundir);
static void controller_init(struct controller *, const struct options *);
static void controller_run(struct controller *);
static void controller_wait(struct controller *);
static void controller_destroy(struct controller *);

int
main(int argc, char *argv[])
{
    struct options options;
    struct controller ctl;

    set_version(argv[0]);
    char *db_dir = set_default_dirs();
    ovs_cmdl_proctitle_init(argc, argv);
    service_start(&argc, &argv);
    parse_options(argc, argv, &options, db_dir);
    free(db_dir);
    fatal_ignore_sigpipe();

    daemonize_start(false);
    controller_init(&ctl, &options);
    daemonize_complete();

    for (;;) {
        controller_run(&ctl);
        if (ctl.exit.done) {
            break;
        }
        controller_wait(&ctl);
        poll_block();
    }

    controller_destroy(&ctl);
    free(options.ovs_remote);
    service_stop();
    return 0;
}

/* Options. */

/* Sets the program name and the version that the unixctl "version"
 * command (built into the unixctl server) prints: "ovn-controller (ovnmc)
 * VERSION for OVN SERIES", then the Open vSwitch library's version, as Debian's
 * controller prints its own.  "--version" adds the OpenFlow versions and
 * the SB schema's version (print_version()). */
static void
set_version(const char *argv0)
{
    char *version = xasprintf("(ovnmc) %s for OVN %s", OVNMC_VERSION,
                              OVNMC_OVN_SERIES);
    ovs_set_program_name(argv0, version);
    free(version);
}

/* "--version", in the order of Debian's controller. */
static void
print_version(void)
{
    ovs_print_version(OFP15_VERSION, OFP15_VERSION);
    printf("SB DB Schema %s\n", sbrec_get_db_version());
}

/* Points ovs_rundir() (the pidfile and the control socket) at OVN's run
 * directory and ovs_logdir() at OVN's log directory, as above.  Returns
 * Open vSwitch's run directory, where the local database is, malloc'd.
 * Must run before anything calls ovs_rundir() or ovs_logdir(). */
static char *
set_default_dirs(void)
{
    const char *ovs = getenv("OVS_RUNDIR");
    const char *ovn = getenv("OVN_RUNDIR");
    const char *log = getenv("OVN_LOGDIR");
    char *db_dir = xstrdup(ovs && ovs[0] ? ovs : DEFAULT_OVS_RUNDIR);

    setenv("OVS_RUNDIR", ovn && ovn[0] ? ovn : DEFAULT_OVN_RUNDIR, 1);
    if (log && log[0]) {
        setenv("OVS_LOGDIR", log, 1);
    } else {
        setenv("OVS_LOGDIR", DEFAULT_OVN_LOGDIR, 0);
    }
    return db_dir;
}

OVS_NO_RETURN static void
usage(const char *db_dir)
{
    printf("%s: OVN chassis controller (ovnmc)\n"
           "usage: %s [OPTIONS] [OVS-DATABASE]\n"
           "where OVS-DATABASE is the local Open vSwitch database "
           "(default: unix:%s/db.sock).\n",
           program_name, program_name, db_dir);
    stream_usage("OVS-DATABASE", true, false, true);
    daemon_usage();
    vlog_usage();
    printf("\nOther options:\n"
           "  --unixctl=SOCKET        override the default control socket\n"
           "  -n, --chassis-name=NAME custom chassis name: use NAME instead\n"
           "                          of external_ids:system-id\n"
           "  --metrics-address=IP:PORT\n"
           "                          serve the metrics (as metrics/show\n"
           "                          prints them) over HTTP at\n"
           "                          http://IP:PORT/metrics, e.g.\n"
           "                          127.0.0.1:9476 ([IPv6]:PORT for IPv6;\n"
           "                          port 0: any free port, see\n"
           "                          metrics/address); off by default%s\n"
           "  --enable-consistency-check\n"
           "                          start with the engine's consistency\n"
           "                          check on (for tests)\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n",
           metrics_http_available() ? ""
           : "\n                          (not in this build: no "
             "libmicrohttpd)");

    struct ds layout = DS_EMPTY_INITIALIZER;
    oftable_format_layout(&layout);
    printf("\n%s", ds_cstr(&layout));
    ds_destroy(&layout);
    exit(EXIT_SUCCESS);
}

static void
parse_options(int argc, char *argv[], struct options *options,
              const char *db_dir)
{
    enum {
        OPT_PEER_CA_CERT = UCHAR_MAX + 1,
        OPT_BOOTSTRAP_CA_CERT,
        OPT_UNIXCTL,
        OPT_CONSISTENCY_CHECK,
        OPT_FAULT_INJECTION,
        OPT_METRICS_ADDRESS,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
        SSL_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"chassis-name", required_argument, NULL, 'n'},
        {"enable-consistency-check", no_argument, NULL,
         OPT_CONSISTENCY_CHECK},
        {"metrics-address", required_argument, NULL, OPT_METRICS_ADDRESS},
#ifdef OVNMC_FAULT_INJECTION
        {"fault-injection", required_argument, NULL, OPT_FAULT_INJECTION},
#endif
        VLOG_LONG_OPTIONS,
        DAEMON_LONG_OPTIONS,
        STREAM_SSL_LONG_OPTIONS,
        {"peer-ca-cert", required_argument, NULL, OPT_PEER_CA_CERT},
        {"bootstrap-ca-cert", required_argument, NULL, OPT_BOOTSTRAP_CA_CERT},
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(
        long_options);

    options->unixctl_path = NULL;
    options->consistency_check = false;
    options->fault = 0;
    options->chassis_name = NULL;
    options->metrics_address = NULL;
    memset(&options->ssl, 0, sizeof options->ssl);
    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }

        switch (c) {
        case 'h':
            free(short_options);
            usage(db_dir);

        case 'V':
            free(short_options);
            print_version();
            exit(EXIT_SUCCESS);

        case OPT_UNIXCTL:
            options->unixctl_path = optarg;
            break;

        case 'n':
            options->chassis_name = optarg;
            break;

        case OPT_CONSISTENCY_CHECK:
            options->consistency_check = true;
            break;

        case OPT_METRICS_ADDRESS:
            options->metrics_address = optarg;
            break;

        case OPT_FAULT_INJECTION:
            if (!str_to_uint(optarg, 10, &options->fault)) {
                VLOG_FATAL("--fault-injection: \"%s\" is not a number",
                           optarg);
            }
            break;

        VLOG_OPTION_HANDLERS
        DAEMON_OPTION_HANDLERS

        /* The key, certificate and CA certificate are applied with those
         * of the local database (ssl-config.h). */
        case 'p':
            options->ssl.private_key = optarg;
            break;

        case 'c':
            options->ssl.certificate = optarg;
            break;

        case 'C':
        case OPT_BOOTSTRAP_CA_CERT:
            options->ssl.ca_cert = optarg;
            options->ssl.bootstrap_ca_cert = c == OPT_BOOTSTRAP_CA_CERT;
            break;

        case OPT_SSL_PROTOCOLS:
            stream_ssl_set_protocols(optarg);
            break;

        case OPT_SSL_CIPHERS:
            stream_ssl_set_ciphers(optarg);
            break;

        case OPT_PEER_CA_CERT:
            stream_ssl_set_peer_ca_cert_file(optarg);
            break;

        case '?':
            exit(EXIT_FAILURE);

        default:
            abort();
        }
    }
    free(short_options);

    argc -= optind;
    argv += optind;
    if (argc == 0) {
        options->ovs_remote = xasprintf("unix:%s/db.sock", db_dir);
    } else if (argc == 1) {
        options->ovs_remote = xstrdup(argv[0]);
    } else {
        VLOG_FATAL("at most one non-option argument accepted; "
                   "use --help for usage");
    }
}

/* Unixctl commands of the daemon itself (the engine's are in
 * engine-ctl.c). */

static void
ctl_exit(struct unixctl_conn *conn, int argc, const char *argv[],
         void *ctl_)
{
    struct controller *ctl = ctl_;

    if (argc > 1 && strcmp(argv[1], "--restart")) {
        unixctl_command_reply_error(conn, "usage: exit [--restart]");
        return;
    }
    if (ctl->exit.requested) {
        unixctl_command_reply(conn, NULL);
        return;
    }
    ctl->exit.requested = true;
    ctl->exit.restart = argc > 1;
    ctl->exit.deadline = time_msec() + EXIT_CLEANUP_TIMEOUT_MS;
    ctl->exit.conn = conn;
    VLOG_INFO("exit requested%s", ctl->exit.restart ? " (restart)" : "");
    poll_immediate_wake();
}

static void
ctl_connection_status(struct unixctl_conn *conn, int argc OVS_UNUSED,
                      const char *argv[] OVS_UNUSED, void *ctl_)
{
    struct controller *ctl = ctl_;

    unixctl_command_reply(conn, ovsdb_idl_is_connected(ctl->sb_loop.idl)
                                ? "connected" : "not connected");
}

/* Metrics. */

/* Appends the daemon's metrics to 'out' (metrics_http_format_cb). */
static void
format_metrics(void *ctl_, struct ds *out)
{
    struct controller *ctl = ctl_;
    const struct en_graph *g = ctl->graph;
    const struct en_tunnels_data *tunnels = engine_get_data(g->tunnels);
    const struct en_integration_bridge_data *br
        = engine_get_data(g->integration_bridge);
    const struct metrics_db dbs[] = {
        { "southbound", ovsdb_idl_is_connected(ctl->sb_loop.idl),
          ctl->sb_watch.n_connections },
        { "ovs", ovsdb_idl_is_connected(ctl->ovs_loop.idl),
          ctl->ovs_watch.n_connections },
    };
    struct flow_table *tables[EN_GRAPH_MAX_FLOW_TABLES];
    struct metrics_packet_in pins[CTLOP_N_OPCODES];
    struct shash ports = SHASH_INITIALIZER(&ports);

    tunnel_sync_collect_ports(
        integration_bridge_find(ctl->ovs_loop.idl, br->name), &ports);
    struct metrics_sources src = {
        .version = OVNMC_VERSION,
        .engine = g->engine,
        .dbs = dbs,
        .n_dbs = ARRAY_SIZE(dbs),
        .ofctrl = ctl->ofctrl,
        .flow_tables = tables,
        .n_flow_tables = en_graph_flow_tables(g, tables, ARRAY_SIZE(tables)),
        .cfg = en_graph_config(g),
        .mesh = tunnels->mesh,
        .tunnel_ports = &ports,
        .rtd = engine_get_data(g->runtime_data),
        .packet_ins = pins,
        .n_packet_ins = pinctrl_get_packet_in_stats(ctl->pinctrl, pins),
    };
    src.coverage = coverage_list_get(&src.n_coverage);
    metrics_format(&src, out);
    shash_destroy(&ports);
}

static void
ctl_metrics_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                 const char *argv[] OVS_UNUSED, void *ctl)
{
    struct ds out = DS_EMPTY_INITIALIZER;

    format_metrics(ctl, &out);
    unixctl_command_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
}

static void
ctl_metrics_address(struct unixctl_conn *conn, int argc OVS_UNUSED,
                    const char *argv[] OVS_UNUSED, void *ctl_)
{
    struct controller *ctl = ctl_;
    struct ds out = DS_EMPTY_INITIALIZER;

    if (ctl->metrics_http) {
        metrics_http_format_address(ctl->metrics_http, &out);
    } else {
        ds_put_cstr(&out, "none");
    }
    unixctl_command_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
}

/* Starts the HTTP listener of the metrics on 'address', if nonnull.  A
 * failure is logged, naming the address, and leaves the listener off. */
static void
metrics_start(struct controller *ctl, const char *address)
{
    if (!address) {
        return;
    }

    char *error = metrics_http_create(address, format_metrics, ctl,
                                      &ctl->metrics_http);
    if (error) {
        VLOG_ERR("--metrics-address: %s; the metrics are not served over "
                 "HTTP", error);
        free(error);
    } else {
        struct ds where = DS_EMPTY_INITIALIZER;
        metrics_http_format_address(ctl->metrics_http, &where);
        VLOG_INFO("serving metrics at http://%s/metrics", ds_cstr(&where));
        ds_destroy(&where);
    }
}

/* The daemon. */

static void
controller_init(struct controller *ctl, const struct options *options)
{
    memset(ctl, 0, sizeof *ctl);

    int error = unixctl_server_create(options->unixctl_path, &ctl->unixctl);
    if (error) {
        ovs_fatal(error, "could not create unixctl server");
    }

    struct ovsdb_idl *ovs_idl = ovsdb_idl_create(options->ovs_remote,
                                                 &ovsrec_idl_class,
                                                 false, true);
    struct ovsdb_idl *sb_idl = ovsdb_idl_create_unconnected(&sbrec_idl_class,
                                                            true);
    ovsdb_idl_set_leader_only(sb_idl, false);   /* See sb-conn.h. */
    en_graph_register_idl(ovs_idl, sb_idl);
    ctl->ovs_loop = (struct ovsdb_idl_loop) OVSDB_IDL_LOOP_INITIALIZER(
        ovs_idl);
    ctl->sb_loop = (struct ovsdb_idl_loop) OVSDB_IDL_LOOP_INITIALIZER(
        sb_idl);

    ctl->ofctrl = ofctrl_create(true);
    ctl->pinctrl = pinctrl_create(sb_idl);
    ctl->graph = en_graph_create(ovs_idl, sb_idl, ctl->ofctrl);
    en_graph_set_chassis_name(ctl->graph, options->chassis_name);
    engine_set_consistency_check(ctl->graph->engine,
                                 options->consistency_check);
    ctl->fault = options->fault;
    if (ctl->fault) {
        VLOG_WARN("fault injection: planted bug %u is active", ctl->fault);
    }
    sb_conn_init(&ctl->sb_conn, &options->ssl);
    idl_watch_init(&ctl->ovs_watch, "local OVS");
    idl_watch_init(&ctl->sb_watch, "southbound");

    unixctl_command_register("exit", "[--restart]", 0, 1, ctl_exit, ctl);
    unixctl_command_register("connection-status", "", 0, 0,
                             ctl_connection_status, ctl);
    engine_ctl_register(ctl->graph->engine);
    daemon_ctl_init(&ctl->dctl, sb_idl);
    stopwatch_create(SW_FLOW_GENERATION, SW_MS);
    stopwatch_create(SW_FLOW_INSTALLATION, SW_MS);
    unixctl_command_register("metrics/show", "", 0, 0, ctl_metrics_show,
                             ctl);
    unixctl_command_register("metrics/address", "", 0, 0,
                             ctl_metrics_address, ctl);
    metrics_start(ctl, options->metrics_address);
    VLOG_INFO("ovn-controller (ovnmc) %s starting; local database %s",
              OVNMC_VERSION, options->ovs_remote);
}

/* True if writes to the SB can be attempted now. */
static bool
sb_writable(const struct controller *ctl)
{
    return (ovsdb_idl_has_ever_connected(ctl->sb_loop.idl)
            && ovsdb_idl_is_connected(ctl->sb_loop.idl));
}

/* One step of "exit": unless restarting, removes our rows from the SB and
 * our tunnel ports from the integration bridge, as Debian's controller
 * does; done once neither is left (or there is no SB to remove them
 * from).  Everything else (flows, conntrack zones, ovn-installed) stays,
 * for the next controller to take over. */
static void
run_exit(struct controller *ctl, struct ovsdb_idl_txn *ovs_txn,
         struct ovsdb_idl_txn *sb_txn)
{
    if (ctl->exit.restart) {
        ctl->exit.done = true;
    } else {
        bool sb_done = (!ctl->sb_conn.remote
                        || (sb_txn && sb_writable(ctl)
                            && !en_chassis_unregister(ctl->graph->chassis,
                                                      ctl->sb_loop.idl,
                                                      sb_txn)));
        bool ovs_done = (ovs_txn
                         && !en_tunnel_sync_remove_ports(
                             ctl->graph->tunnel_sync, ovs_txn));
        ctl->exit.ports_left = !ovs_done;
        ctl->exit.done = sb_done && ovs_done;
    }
    if (!ctl->exit.done && time_msec() >= ctl->exit.deadline) {
        VLOG_WARN("could not remove the chassis from the southbound "
                  "database%s within %d ms; exiting anyway",
                  ctl->exit.ports_left ? " and its tunnel ports" : "",
                  EXIT_CLEANUP_TIMEOUT_MS);
        ctl->exit.done = true;
    }
}

static void
run_engine(struct controller *ctl, struct ovsdb_idl_txn *ovs_txn,
           struct ovsdb_idl_txn *sb_txn)
{
    struct engine *engine = ctl->graph->engine;
    struct en_ctx client = {
        .ovs_txn = ovs_txn,
        .sb_txn = sb_writable(ctl) ? sb_txn : NULL,
        .ovs_busy = ctl->ovs_loop.committing_txn != NULL,
        .sb_busy = ctl->sb_loop.committing_txn != NULL,
        .fault = ctl->fault,
        .gen = ctl->gen + 1,
    };
    struct engine_context ctx = { .flags = 0, .client = &client };

    /* Every node cancels only for want of a transaction.  While one of
     * ours is in flight (the loop opens none until its reply), a retry
     * would only cancel again, as many times as the reply takes iterations
     * to arrive, and each time recompute for nothing.  Wait for the reply
     * instead: the IDLs keep tracking changes until the engine runs, so
     * none is lost, and the wait ends with the reply or a disconnection.
     * (A transaction missing for another reason, e.g. a database not yet
     * connected, does not wait: the engine itself may have to fix it.) */
    if (engine_canceled(engine)
        && (ctl->ovs_loop.committing_txn || ctl->sb_loop.committing_txn)) {
        COVERAGE_INC(controller_engine_wait_txn);
        return;
    }
    ctl->gen = client.gen;
    stopwatch_start(SW_FLOW_GENERATION, time_msec());
    engine_run(engine, &ctx, true);
    stopwatch_stop(SW_FLOW_GENERATION, time_msec());
    if (!engine_canceled(engine)) {
        ctl->done_gen = ctl->gen;
    }
    en_graph_update_sb_monitor(ctl->graph, ctl->sb_loop.idl);
    if (ctl->done_gen == ctl->gen
        && en_graph_sb_monitor_settled(ctl->graph, ctl->sb_loop.idl)) {
        ctl->settled_gen = ctl->gen;
    }
    sb_conn_update(&ctl->sb_conn, ctl->sb_loop.idl,
                   en_graph_config(ctl->graph), ctl->ovs_loop.idl);

    ovsdb_idl_track_clear(ctl->ovs_loop.idl);
    ovsdb_idl_track_clear(ctl->sb_loop.idl);
    engine_clear_tracked(engine);
}

/* True if the flows computed so far reflect complete databases: both IDLs
 * received their contents, the SB server acknowledged the monitor
 * conditions the last run asked for (a restart would otherwise replace the
 * old flows with those of a datapath whose rows are still on their way),
 * the last engine run completed, and our chassis is registered.  Until
 * then, flows left by a previous run stay. */
static bool
flows_complete(const struct controller *ctl)
{
    return (ovsdb_idl_has_ever_connected(ctl->ovs_loop.idl)
            && ovsdb_idl_has_ever_connected(ctl->sb_loop.idl)
            && ctl->settled_gen == ctl->gen
            && en_chassis_get_name(engine_get_data(ctl->graph->chassis)));
}

/* Points ofctrl at the integration bridge and hands it the flow tables. */
static void
run_ofctrl(struct controller *ctl)
{
    const struct chassis_config *cfg = en_graph_config(ctl->graph);
    const struct en_integration_bridge_data *br
        = engine_get_data(ctl->graph->integration_bridge);
    struct flow_table *tables[EN_GRAPH_MAX_FLOW_TABLES];
    size_t n = en_graph_flow_tables(ctl->graph, tables, ARRAY_SIZE(tables));

    ofctrl_set_bridge(ctl->ofctrl, br->name);
    ofctrl_set_wait_before_clear(ctl->ofctrl,
                                 ctl->dctl.ignore_startup_delay
                                 ? 0 : cfg->ofctrl_wait_before_clear_ms);
    ofctrl_set_probe_interval(ctl->ofctrl, cfg->openflow_probe_interval_s);

    uint64_t installed = ofctrl_get_installed_gen(ctl->ofctrl);
    stopwatch_start(SW_FLOW_INSTALLATION, time_msec());
    /* The flows of an unsettled run go out (after the first complete
     * synchronization) but stand for the last settled generation: a port
     * or an nb_cfg of a newer one is not yet acknowledged. */
    ofctrl_put(ctl->ofctrl, tables, n, ctl->settled_gen,
               flows_complete(ctl));
    stopwatch_stop(SW_FLOW_INSTALLATION, time_msec());
    uint64_t now = ofctrl_get_installed_gen(ctl->ofctrl);
    const struct en_nb_cfg_data *nb_cfg = engine_get_data(ctl->graph->nb_cfg);
    if (now != installed && nb_cfg->gen > installed && nb_cfg->gen <= now) {
        /* Nothing to send made the generation installed at once: the
         * engine must see it (nb_cfg to acknowledge) without waiting for
         * another event.  Only then: every engine run is a generation, so
         * waking for each would run the loop without end.  (A port waits
         * for the generation of its own flows, which had something to
         * send, and whose barrier reply wakes the loop.) */
        poll_immediate_wake();
    }
}

/* Hands pinctrl what the engine computed and the SB transaction for the
 * rows packet-ins asked for (pinctrl/pinctrl.h). */
static void
run_pinctrl(struct controller *ctl, struct ovsdb_idl_txn *sb_txn)
{
    const struct en_integration_bridge_data *br
        = engine_get_data(ctl->graph->integration_bridge);
    const char *name = en_chassis_get_name(
        engine_get_data(ctl->graph->chassis));
    const struct ed_runtime_data *rtd
        = engine_get_data(ctl->graph->runtime_data);
    const struct ovsrec_open_vswitch *ovs
        = ovsrec_open_vswitch_first(ctl->ovs_loop.idl);
    struct pinctrl_run_ctx pctx = {
        .bridge = br->name,
        .chassis_name = name,
        .chassis = name ? chassis_sync_find_chassis(ctl->sb_loop.idl, name)
                        : NULL,
        .local_dps = ctl->done_gen ? &rtd->dps : NULL,
        .sb_idl = ctl->sb_loop.idl,
        .sb_txn = sb_writable(ctl) ? sb_txn : NULL,
        .ovs_ids = ovs ? &ovs->external_ids : NULL,
        .system_id = en_graph_config(ctl->graph)->system_id,
    };
    pinctrl_run(ctl->pinctrl, &pctx);
}

static void
report_memory(const struct controller *ctl)
{
    memory_run();
    if (memory_should_report()) {
        struct simap usage = SIMAP_INITIALIZER(&usage);
        ovsdb_idl_get_memory_usage(ctl->ovs_loop.idl, &usage);
        ovsdb_idl_get_memory_usage(ctl->sb_loop.idl, &usage);
        ofctrl_get_memory_usage(ctl->ofctrl, &usage);
        memory_report(&usage);
        simap_destroy(&usage);
    }
}

static void
controller_run(struct controller *ctl)
{
    struct ovsdb_idl_txn *ovs_txn = ovsdb_idl_loop_run(&ctl->ovs_loop);
    struct ovsdb_idl_txn *sb_txn = ovsdb_idl_loop_run(&ctl->sb_loop);
    bool ovs_new = idl_watch_run(&ctl->ovs_watch, ctl->ovs_loop.idl);
    bool sb_new = idl_watch_run(&ctl->sb_watch, ctl->sb_loop.idl);

    if (ovs_new || sb_new) {
        engine_force_recompute(ctl->graph->engine);
    }
    ofctrl_run(ctl->ofctrl);
    if (ctl->exit.requested) {
        run_exit(ctl, ovs_txn, sb_txn);
    } else if (!ctl->dctl.paused) {
        run_engine(ctl, ovs_txn, sb_txn);
        run_ofctrl(ctl);
        run_pinctrl(ctl, sb_txn);
    }
    unixctl_server_run(ctl->unixctl);
    metrics_http_run(ctl->metrics_http);
    report_memory(ctl);
}

/* A transaction failed: everything it should have written must be computed
 * again, in a moment (the IDL retries the connection on its own). */
static void
txn_failed(struct controller *ctl, const char *db)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

    VLOG_INFO_RL(&rl, "%s database transaction failed: recomputing", db);
    engine_force_recompute(ctl->graph->engine);
    poll_timer_wait(TXN_RETRY_MS);
}

static void
controller_wait(struct controller *ctl)
{
    if (!ovsdb_idl_loop_commit_and_wait(&ctl->ovs_loop)) {
        txn_failed(ctl, "local OVS");
    }
    if (!ovsdb_idl_loop_commit_and_wait(&ctl->sb_loop)) {
        txn_failed(ctl, "southbound");
    }
    if (ctl->exit.requested) {
        poll_timer_wait_until(ctl->exit.deadline);
    }
    sb_conn_wait(&ctl->sb_conn);
    ofctrl_wait(ctl->ofctrl);
    pinctrl_wait(ctl->pinctrl);
    unixctl_server_wait(ctl->unixctl);
    metrics_http_wait(ctl->metrics_http);
    memory_wait();
}

/* Destroys 'loop', with the transaction it may still have open (which
 * ovsdb_idl_loop_destroy() leaves). */
static void
idl_loop_destroy(struct ovsdb_idl_loop *loop)
{
    if (loop->open_txn) {
        ovsdb_idl_txn_destroy(loop->open_txn);
        loop->open_txn = NULL;
    }
    ovsdb_idl_loop_destroy(loop);
}

static void
controller_destroy(struct controller *ctl)
{
    if (ctl->exit.conn) {
        unixctl_command_reply(ctl->exit.conn, NULL);
    }
    VLOG_INFO("exiting");
    pinctrl_destroy(ctl->pinctrl);
    metrics_http_destroy(ctl->metrics_http);
    en_graph_destroy(ctl->graph);
    ofctrl_destroy(ctl->ofctrl);
    sb_conn_destroy(&ctl->sb_conn);
    idl_loop_destroy(&ctl->ovs_loop);
    idl_loop_destroy(&ctl->sb_loop);
    unixctl_server_destroy(ctl->unixctl);
}
