/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The daemon's metrics in the Prometheus text format: see metrics.h.
 *
 * The exposition format, version 0.0.4, as written here: each family is a
 * "# HELP NAME TEXT" line (backslash and newline escaped in TEXT), a
 * "# TYPE NAME TYPE" line, then its samples, all together:
 * "NAME{LABEL="VALUE",...} NUMBER" (backslash, double quote and newline
 * escaped in VALUE; no braces without labels).  A histogram NAME has the
 * samples NAME_bucket{le="BOUND"} (cumulative, bounds increasing, the last
 * "+Inf"), NAME_sum and NAME_count.  A family with no sample is left out.
 */

#include <config.h>

#include "controller/metrics.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "controller/binding.h"
#include "controller/chassis-config.h"
#include "controller/en-runtime-data.h"
#include "controller/flow-table.h"
#include "controller/idl-columns.h"
#include "controller/ofctrl.h"
#include "controller/tunnel-mesh.h"
#include "coverage.h"
#include "lib/engine.h"
#include "lib/latency-histogram.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(metrics);

COVERAGE_DEFINE(metrics_format);

/* Every metric name starts with this. */
#define METRICS_PREFIX "ovn_controller_"

/* One label of a sample. */
struct metrics_label {
    const char *name;
    const char *value;          /* Escaped when written. */
};

/* The exposition format. */

void
metrics_escape_label(const char *s, struct ds *out)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\':
            ds_put_cstr(out, "\\\\");
            break;
        case '"':
            ds_put_cstr(out, "\\\"");
            break;
        case '\n':
            ds_put_cstr(out, "\\n");
            break;
        default:
            ds_put_char(out, *s);
        }
    }
}

/* Appends the HELP and TYPE lines of family 'name' (without the prefix). */
static void
put_family(struct ds *out, const char *name, const char *type,
           const char *help)
{
    ds_put_format(out, "# HELP "METRICS_PREFIX"%s ", name);
    for (const char *p = help; *p; p++) {
        if (*p == '\\') {
            ds_put_cstr(out, "\\\\");
        } else if (*p == '\n') {
            ds_put_cstr(out, "\\n");
        } else {
            ds_put_char(out, *p);
        }
    }
    ds_put_format(out, "\n# TYPE "METRICS_PREFIX"%s %s\n", name, type);
}

/* Appends the name and labels of a sample of 'name' (without the prefix)
 * followed by 'suffix' ("_bucket", ... or ""), and the space before the
 * value. */
static void
put_sample_name(struct ds *out, const char *name, const char *suffix,
                const struct metrics_label *labels, size_t n_labels)
{
    ds_put_format(out, METRICS_PREFIX"%s%s", name, suffix);
    if (n_labels) {
        ds_put_char(out, '{');
        for (size_t i = 0; i < n_labels; i++) {
            ds_put_format(out, "%s%s=\"", i ? "," : "", labels[i].name);
            metrics_escape_label(labels[i].value, out);
            ds_put_char(out, '"');
        }
        ds_put_char(out, '}');
    }
    ds_put_char(out, ' ');
}

/* Appends a sample of 'name' with an integer value. */
static void
put_u64(struct ds *out, const char *name, const struct metrics_label *labels,
        size_t n_labels, uint64_t value)
{
    put_sample_name(out, name, "", labels, n_labels);
    ds_put_format(out, "%"PRIu64"\n", value);
}

/* Appends 'usec' microseconds as a decimal number of seconds. */
static void
put_usec_as_seconds(struct ds *out, uint64_t usec)
{
    ds_put_format(out, "%"PRIu64".%06"PRIu64, usec / 1000000,
                  usec % 1000000);
}

/* Appends a sample of 'name' whose value is 'usec' in seconds. */
static void
put_seconds(struct ds *out, const char *name,
            const struct metrics_label *labels, size_t n_labels,
            uint64_t usec)
{
    put_sample_name(out, name, "", labels, n_labels);
    put_usec_as_seconds(out, usec);
    ds_put_char(out, '\n');
}

/* Appends family 'name' with its one unlabelled integer sample. */
static void
put_scalar(struct ds *out, const char *name, const char *type,
           const char *help, uint64_t value)
{
    put_family(out, name, type, help);
    put_u64(out, name, NULL, 0, value);
}

/* Appends histogram family 'name' (in seconds) from 'h'. */
static void
put_histogram(struct ds *out, const char *name, const char *help,
              const struct latency_histogram *h)
{
    uint64_t cumulative = 0;

    put_family(out, name, "histogram", help);
    for (size_t i = 0; i < LATENCY_HISTOGRAM_N_BOUNDS; i++) {
        char le[32];
        struct metrics_label label = { "le", le };

        snprintf(le, sizeof le, "%g", latency_histogram_bound(i) / 1e6);
        cumulative += h->buckets[i];
        put_sample_name(out, name, "_bucket", &label, 1);
        ds_put_format(out, "%"PRIu64"\n", cumulative);
    }
    struct metrics_label inf = { "le", "+Inf" };
    put_sample_name(out, name, "_bucket", &inf, 1);
    ds_put_format(out, "%"PRIu64"\n", h->count);
    put_sample_name(out, name, "_sum", NULL, 0);
    put_usec_as_seconds(out, h->sum_usec);
    ds_put_format(out, "\n");
    put_sample_name(out, name, "_count", NULL, 0);
    ds_put_format(out, "%"PRIu64"\n", h->count);
}

/* The engine. */

/* A per-node family: its name, help, and the statistic it shows. */
struct node_family {
    const char *name;
    const char *help;
    size_t offset;              /* Of a uint64_t in struct engine_stats. */
};

static const struct node_family node_families[] = {
    { "engine_node_recomputes_total",
      "Full recomputes of the engine node.",
      offsetof(struct engine_stats, recompute) },
    { "engine_node_computes_total",
      "Engine runs in which change handlers alone brought the node up to "
      "date.", offsetof(struct engine_stats, compute) },
    { "engine_node_cancels_total",
      "Engine runs in which the node was canceled.",
      offsetof(struct engine_stats, cancel) },
    { "engine_consistency_checks_total",
      "Consistency checks of the node (a recompute into a shadow copy "
      "compared with its incremental result).",
      offsetof(struct engine_stats, check) },
    { "engine_consistency_check_failures_total",
      "Consistency checks of the node that found a difference.",
      offsetof(struct engine_stats, check_failed) },
};

static void
format_engine_nodes(const struct engine *e, struct ds *out)
{
    size_t n = engine_n_nodes(e);

    for (size_t f = 0; f < ARRAY_SIZE(node_families); f++) {
        const struct node_family *nf = &node_families[f];

        put_family(out, nf->name, "counter", nf->help);
        for (size_t i = 0; i < n; i++) {
            const struct engine_node *node = engine_node_at(e, i);
            const char *stats = (const char *) engine_node_stats(node);
            uint64_t value;
            struct metrics_label label = { "node", engine_node_name(node) };

            memcpy(&value, stats + nf->offset, sizeof value);
            put_u64(out, nf->name, &label, 1, value);
        }
    }
}

static void
format_engine(const struct engine *e, struct ds *out)
{
    const struct engine_run_stats *rs = engine_get_run_stats(e);

    format_engine_nodes(e, out);
    put_scalar(out, "engine_consistency_check_enabled", "gauge",
               "1 if the engine's consistency check is on.",
               engine_get_consistency_check(e));
    put_scalar(out, "engine_runs_total", "counter", "Engine runs.",
               rs->runs);
    put_family(out, "engine_run_seconds_total", "counter",
               "Time spent in engine runs bringing the nodes up to date "
               "(consistency checks excluded).");
    put_seconds(out, "engine_run_seconds_total", NULL, 0, rs->run_usec);
    put_family(out, "engine_consistency_check_seconds_total", "counter",
               "Time spent in the engine's consistency checks.");
    put_seconds(out, "engine_consistency_check_seconds_total", NULL, 0,
                rs->check_usec);
    put_family(out, "engine_last_run_seconds", "gauge",
               "Duration of the last engine run (consistency checks "
               "excluded).");
    put_seconds(out, "engine_last_run_seconds", NULL, 0, rs->last_run_usec);
}

/* Connections. */

static void
format_dbs(const struct metrics_db *dbs, size_t n, struct ds *out)
{
    put_family(out, "db_connected", "gauge",
               "1 if the database connection is up.");
    for (size_t i = 0; i < n; i++) {
        struct metrics_label label = { "db", dbs[i].name };
        put_u64(out, "db_connected", &label, 1, dbs[i].connected);
    }
    put_family(out, "db_reconnects_total", "counter",
               "Sessions with the database started after the first.");
    for (size_t i = 0; i < n; i++) {
        struct metrics_label label = { "db", dbs[i].name };
        uint64_t n_conn = dbs[i].n_connections;
        put_u64(out, "db_reconnects_total", &label, 1,
                n_conn ? n_conn - 1 : 0);
    }
}

/* OpenFlow. */

static bool
ft_flow_is_wanted(const struct ft_flow *flow)
{
    return flow && !ovs_list_is_empty(&flow->contribs);
}

/* Sets 'desired[T]' to the number of keys of OpenFlow table T that some
 * table of 'tables' wants: each key once, however many producers want
 * it, as ofctrl merges them. */
static void
count_desired(struct flow_table *const *tables, size_t n,
              uint64_t desired[256])
{
    memset(desired, 0, 256 * sizeof *desired);
    for (size_t i = 0; i < n; i++) {
        const struct ft_flow *flow;

        HMAP_FOR_EACH (flow, node, &tables[i]->flows) {
            bool earlier = false;

            if (!ft_flow_is_wanted(flow)) {
                continue;
            }
            for (size_t j = 0; j < i && !earlier; j++) {
                earlier = ft_flow_is_wanted(flow_table_find(
                    tables[j], flow->table_id, flow->priority, &flow->match));
            }
            desired[flow->table_id] += !earlier;
        }
    }
}

/* Appends the per-table flow families. */
static void
format_flow_counts(const struct metrics_sources *src, struct ds *out)
{
    uint64_t *desired = xcalloc(3 * 256, sizeof *desired);
    uint64_t *installed = desired + 256;
    uint64_t *pending = installed + 256;
    const struct {
        const char *name;
        const char *help;
        const uint64_t *counts;
    } families[] = {
        { "openflow_flows_desired", "OpenFlow flows the engine wants "
          "installed, by table.", desired },
        { "openflow_flows_installed", "OpenFlow flows installed (as "
          "ofctrl sees the switch, flow mods in flight included), by "
          "table.", installed },
        { "openflow_flows_pending", "Flow mods sent to the switch and not "
          "yet confirmed by a barrier reply, by table.", pending },
    };

    count_desired(src->flow_tables, src->n_flow_tables, desired);
    ofctrl_count_flows(src->ofctrl, installed, pending);
    for (size_t f = 0; f < ARRAY_SIZE(families); f++) {
        put_family(out, families[f].name, "gauge", families[f].help);
        for (int t = 0; t < 256; t++) {
            if (desired[t] || installed[t] || pending[t]) {
                char table[8];
                struct metrics_label label = { "table", table };

                snprintf(table, sizeof table, "%d", t);
                put_u64(out, families[f].name, &label, 1,
                        families[f].counts[t]);
            }
        }
    }
    free(desired);
}

static void
format_openflow(const struct metrics_sources *src, struct ds *out)
{
    struct ofctrl_stats s;

    ofctrl_get_stats(src->ofctrl, &s);
    put_scalar(out, "openflow_connected", "gauge",
               "1 if the OpenFlow connection to the integration bridge is "
               "up.", s.connected);
    put_scalar(out, "openflow_reconnects_total", "counter",
               "OpenFlow connections made after the first.",
               s.n_connections ? s.n_connections - 1 : 0);
    format_flow_counts(src, out);
    put_scalar(out, "openflow_groups_installed", "gauge",
               "OpenFlow groups installed.", s.n_groups);
    put_scalar(out, "openflow_meters_installed", "gauge",
               "OpenFlow meters installed.", s.n_meters);
    put_scalar(out, "openflow_bundles_total", "counter",
               "OpenFlow bundles committed.", s.n_bundles);
    put_scalar(out, "openflow_flow_mods_total", "counter",
               "Flow mods sent.", s.n_flow_mods);
    put_scalar(out, "openflow_repairs_total", "counter",
               "Repairs of the installed state after another client "
               "changed it.", s.n_repairs);
    put_scalar(out, "openflow_rejected_total", "counter",
               "Flows, groups and meters the switch rejected (set aside).",
               s.n_rejected);
    put_histogram(out, "openflow_install_latency_seconds",
                  "Time from the installation of changed flows (the put "
                  "that sent them) to the switch's confirmation (barrier "
                  "reply).", ofctrl_get_install_latency(src->ofctrl));
    put_family(out, "openflow_last_install_latency_seconds", "gauge",
               "The latest of openflow_install_latency_seconds.");
    put_seconds(out, "openflow_last_install_latency_seconds", NULL, 0,
                s.last_install_ms > 0 ? s.last_install_ms * 1000 : 0);
}

/* Encapsulation: NICs, tunnels, VIFs. */

static void
format_encap_ips(const struct chassis_config *cfg, struct ds *out)
{
    put_family(out, "encap_ip_info", "gauge",
               "A local encap IP (NIC) with its Encap-ID and transport "
               "plane; always 1.");
    for (size_t i = 0; i < cfg->n_encap_ips; i++) {
        const struct chassis_encap_ip *ip = &cfg->encap_ips[i];
        char id[16];
        struct metrics_label labels[] = {
            { "local_ip", ip->ip }, { "encap_id", id },
            { "plane", ip->plane },
        };

        snprintf(id, sizeof id, "%u", ip->encap_id);
        put_u64(out, "encap_ip_info", labels, ARRAY_SIZE(labels), 1);
    }
}

static void
format_tunnels(const struct chassis_config *cfg,
               const struct tunnel_mesh *mesh, struct ds *out)
{
    put_family(out, "tunnels", "gauge",
               "Tunnels to remote chassis from the local encap IP.");
    for (size_t i = 0; i < cfg->n_encap_ips; i++) {
        const char *local_ip = cfg->encap_ips[i].ip;
        const struct tunnel_mesh_path *path;
        struct metrics_label label = { "local_ip", local_ip };
        uint64_t n = 0;

        HMAP_FOR_EACH (path, node, &mesh->paths) {
            n += !strcmp(path->local_ip, local_ip);
        }
        put_u64(out, "tunnels", &label, 1, n);
    }
}

/* Returns the BFD state that OVS reports for the port of 'path', or NULL
 * if it reports none (BFD off, or no port yet). */
static const char *
path_bfd_state(const struct tunnel_mesh_path *path,
               const struct shash *ports)
{
    const struct ovsrec_port *port = shash_find_data(ports, path->port->key);
    const struct ovsrec_interface *iface
        = port && port->n_interfaces ? port->interfaces[0] : NULL;

    return iface ? smap_get(&iface->bfd_status, "state") : NULL;
}

/* Appends tunnel_bfd_up for the tunnels with BFD, unless none has it. */
static void
format_bfd(const struct tunnel_mesh *mesh, const struct shash *ports,
           struct ds *out)
{
    const struct tunnel_mesh_peer **peers = tunnel_mesh_sorted_peers(mesh);
    size_t n = tunnel_mesh_count_peers(mesh);
    bool any = false;

    for (size_t i = 0; i < n; i++) {
        const struct tunnel_mesh_path *path;

        LIST_FOR_EACH (path, peer_node, &peers[i]->paths) {
            const char *state = path_bfd_state(path, ports);
            struct metrics_label labels[] = {
                { "chassis", peers[i]->name },
                { "local_ip", path->local_ip },
                { "remote_ip", path->remote_ip },
            };

            if (!state) {
                continue;
            }
            if (!any) {
                put_family(out, "tunnel_bfd_up", "gauge",
                           "1 if BFD reports the tunnel up (only tunnels "
                           "with BFD enabled).");
                any = true;
            }
            put_u64(out, "tunnel_bfd_up", labels, ARRAY_SIZE(labels),
                    !strcmp(state, "up"));
        }
    }
    free(peers);
}

/* True if 'lb' is a VIF claimed here (as encap/show lists them). */
static bool
is_bound_vif(const struct local_binding *lb)
{
    return lb->iface && binding_role_is_claim(lb->role);
}

static void
format_vifs(const struct chassis_config *cfg,
            const struct ed_runtime_data *rtd, struct ds *out)
{
    const struct shash_node *node;

    put_family(out, "vifs", "gauge",
               "VIFs bound on this chassis whose traffic uses the local "
               "encap IP (NIC) with that Encap-ID.");
    for (size_t i = 0; i < cfg->n_encap_ips; i++) {
        const struct chassis_encap_ip *ip = &cfg->encap_ips[i];
        char id[16];
        struct metrics_label labels[] = {
            { "local_ip", ip->ip }, { "encap_id", id },
        };
        uint64_t n = 0;

        SHASH_FOR_EACH (node, &rtd->bindings) {
            const struct local_binding *lb = node->data;
            n += (is_bound_vif(lb) && lb->encap_ip
                  && !strcmp(lb->encap_ip, ip->ip));
        }
        snprintf(id, sizeof id, "%u", ip->encap_id);
        put_u64(out, "vifs", labels, ARRAY_SIZE(labels), n);
    }

    uint64_t n_bad = 0;
    SHASH_FOR_EACH (node, &rtd->bindings) {
        const struct local_binding *lb = node->data;
        n_bad += is_bound_vif(lb) && lb->bad_pin;
    }
    put_scalar(out, "vif_misconfigured_pins", "gauge",
               "VIFs whose external_ids:encap-ip is not a local encap IP "
               "(they use the default).", n_bad);
}

static void
format_encap(const struct metrics_sources *src, struct ds *out)
{
    format_encap_ips(src->cfg, out);
    if (src->mesh) {
        format_tunnels(src->cfg, src->mesh, out);
        if (src->tunnel_ports && !src->mesh->flow_based) {
            format_bfd(src->mesh, src->tunnel_ports, out);
        }
    }
    if (src->rtd) {
        format_vifs(src->cfg, src->rtd, out);
    }
}

/* Packet-ins. */

static void
format_packet_ins(const struct metrics_packet_in *pins, size_t n,
                  struct ds *out)
{
    const struct {
        const char *name;
        const char *help;
        size_t offset;
    } families[] = {
        { "packet_ins_total", "Packet-ins received, by controller opcode.",
          offsetof(struct metrics_packet_in, received) },
        { "packet_ins_rejected_total", "Packet-ins their handler rejected, "
          "by controller opcode.",
          offsetof(struct metrics_packet_in, rejected) },
        { "packet_outs_total", "Packet-outs and resumes sent, by "
          "controller opcode.", offsetof(struct metrics_packet_in, sent) },
    };

    for (size_t f = 0; f < ARRAY_SIZE(families); f++) {
        put_family(out, families[f].name, "counter", families[f].help);
        for (size_t i = 0; i < n; i++) {
            struct metrics_label label = { "opcode", pins[i].opcode };
            uint64_t value;

            memcpy(&value, (const char *) &pins[i] + families[f].offset,
                   sizeof value);
            put_u64(out, families[f].name, &label, 1, value);
        }
    }
}

/* Coverage counters. */

static int
compare_counters(const void *a_, const void *b_)
{
    const struct coverage_counter *const *a = a_;
    const struct coverage_counter *const *b = b_;

    return strcmp((*a)->name, (*b)->name);
}

static void
format_coverage(struct coverage_counter *const *counters, size_t n,
                struct ds *out)
{
    const struct coverage_counter **sorted = xmemdup(counters,
                                                     n * sizeof *counters);

    qsort(sorted, n, sizeof *sorted, compare_counters);
    put_family(out, "coverage_total", "counter",
               "OVS coverage counters (as coverage/show totals them).");
    for (size_t i = 0; i < n; i++) {
        struct metrics_label label = { "counter", sorted[i]->name };
        put_u64(out, "coverage_total", &label, 1, sorted[i]->total);
    }
    free(sorted);
}

void
metrics_format(const struct metrics_sources *src, struct ds *out)
{
    COVERAGE_INC(metrics_format);
    if (src->version) {
        struct metrics_label label = { "version", src->version };
        put_family(out, "build_info", "gauge",
                   "The version of ovn-controller (ovnmc); always 1.");
        put_u64(out, "build_info", &label, 1, 1);
    }
    if (src->engine) {
        format_engine(src->engine, out);
    }
    if (src->n_dbs) {
        format_dbs(src->dbs, src->n_dbs, out);
    }
    if (src->ofctrl) {
        format_openflow(src, out);
    }
    if (src->cfg) {
        format_encap(src, out);
    }
    if (src->n_packet_ins) {
        format_packet_ins(src->packet_ins, src->n_packet_ins, out);
    }
    if (src->n_coverage) {
        format_coverage(src->coverage, src->n_coverage, out);
    }
}

/* Read live when the metrics are formatted; their changes need not wake
 * the engine. */
static const struct idl_column_use metrics_columns[] = {
    { &ovsrec_interface_col_bfd_status, false },
};

void
metrics_declare_columns(struct idl_columns *cols)
{
    IDL_COLUMNS_ADD(cols, metrics_columns);
}
