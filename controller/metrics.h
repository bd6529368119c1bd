/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The daemon's metrics in the Prometheus text exposition format (version
 * 0.0.4), as "ovs-appctl -t ovn-controller metrics/show" prints them and
 * the optional HTTP listener (metrics-http.h) serves them.
 *
 * A pure formatter: metrics_format() reads only the sources it is handed
 * in a struct metrics_sources and appends text; it keeps no state,
 * measures nothing and talks to nobody.  The modules that own the figures
 * count them (the engine its runs, ofctrl its flows and install latency,
 * idl_watch the database sessions); the daemon gathers the sources once
 * per request.  A null source leaves its families out.
 *
 * Every name starts with "ovn_controller_"; counters end in "_total";
 * times are in seconds.  The families, in the order printed:
 *
 *   build_info{version}                         gauge, always 1
 *   engine_node_recomputes_total{node}          counter
 *   engine_node_computes_total{node}            counter (handlers alone)
 *   engine_node_cancels_total{node}             counter
 *   engine_consistency_checks_total{node}       counter
 *   engine_consistency_check_failures_total{node} counter
 *   engine_consistency_check_enabled            gauge 0/1
 *   engine_runs_total                           counter
 *   engine_run_seconds_total                    counter (nodes only)
 *   engine_consistency_check_seconds_total      counter
 *   engine_last_run_seconds                     gauge
 *   db_connected{db}                            gauge 0/1
 *   db_reconnects_total{db}                     counter (sessions after
 *                                               the first)
 *   openflow_connected                          gauge 0/1
 *   openflow_reconnects_total                   counter
 *   openflow_flows_desired{table}               gauge (union of the
 *                                               producers' tables)
 *   openflow_flows_installed{table}             gauge (ofctrl's view)
 *   openflow_flows_pending{table}               gauge (flow mods sent,
 *                                               not yet confirmed)
 *   openflow_groups_installed, openflow_meters_installed   gauges
 *   openflow_bundles_total, openflow_flow_mods_total,
 *   openflow_repairs_total, openflow_rejected_total        counters
 *   openflow_install_latency_seconds            histogram (put to
 *                                               barrier reply)
 *   openflow_last_install_latency_seconds       gauge
 *   encap_ip_info{local_ip,encap_id,plane}      gauge, always 1
 *   tunnels{local_ip}                           gauge
 *   tunnel_bfd_up{chassis,local_ip,remote_ip}   gauge 0/1, only tunnels
 *                                               whose Interface reports
 *                                               bfd_status:state
 *   vifs{local_ip,encap_id}                     gauge (VIFs bound here
 *                                               through that NIC)
 *   vif_misconfigured_pins                      gauge
 *   packet_ins_total{opcode}, packet_ins_rejected_total{opcode},
 *   packet_outs_total{opcode}                   counters (pinctrl)
 *   coverage_total{counter}                     counter (OVS coverage)
 *
 * The per-table OpenFlow families list the tables where any of the three
 * is nonzero, every table in all three.  The per-NIC families list every
 * local encap IP, 0 included.
 */

#ifndef OVNMC_METRICS_H
#define OVNMC_METRICS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct chassis_config;
struct coverage_counter;
struct ds;
struct ed_runtime_data;
struct engine;
struct flow_table;
struct idl_columns;
struct ofctrl;
struct shash;
struct tunnel_mesh;

/* The state of one database connection. */
struct metrics_db {
    const char *name;           /* Label value: "southbound", "ovs". */
    bool connected;             /* Connected now. */
    uint64_t n_connections;     /* Sessions started, the first included. */
};

/* The packet-in counters of one controller opcode ("put_arp", "icmp4",
 * ...), as pinctrl counts them (pinctrl_get_packet_in_stats()). */
struct metrics_packet_in {
    const char *opcode;         /* Label value. */
    uint64_t received;          /* Packet-ins with this opcode. */
    uint64_t rejected;          /* ...that its handler rejected. */
    uint64_t sent;              /* Packet-outs and resumes sent for it. */
};

/* Everything metrics_format() reads.  Nothing is owned; a null pointer
 * (or a zero count) leaves the families of that source out. */
struct metrics_sources {
    const char *version;                /* For build_info. */

    const struct engine *engine;        /* Node and run statistics. */

    const struct metrics_db *dbs;       /* Database connections. */
    size_t n_dbs;

    const struct ofctrl *ofctrl;        /* Installed flows, latency. */
    struct flow_table *const *flow_tables; /* Desired flows: the tables
                                         * ofctrl merges. */
    size_t n_flow_tables;

    const struct chassis_config *cfg;   /* Local encap IPs. */
    const struct tunnel_mesh *mesh;     /* Tunnels (needs 'cfg'). */
    const struct shash *tunnel_ports;   /* Mesh port key -> const struct
                                         * ovsrec_port * on the bridge,
                                         * for BFD state; may be NULL. */
    const struct ed_runtime_data *rtd;  /* Bindings (needs 'cfg'). */

    const struct metrics_packet_in *packet_ins; /* See above. */
    size_t n_packet_ins;

    struct coverage_counter *const *coverage; /* OVS coverage counters. */
    size_t n_coverage;
};

/* Appends to 'out' the metrics of 'src' in the Prometheus text exposition
 * format, version 0.0.4. */
void metrics_format(const struct metrics_sources *src, struct ds *out);

/* Appends 's' to 'out' escaped as a label value of the exposition format
 * (backslash, double quote and newline escaped), without the quotes. */
void metrics_escape_label(const char *s, struct ds *out);

/* Declares to 'cols' the local OVS database columns the metrics read
 * beyond those of the engine nodes: the tunnels' BFD state, live and
 * untracked (see controller/idl-columns.h). */
void metrics_declare_columns(struct idl_columns *cols);

#endif /* controller/metrics.h */
