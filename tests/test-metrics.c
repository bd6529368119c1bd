/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Unit driver for the metrics formatter (controller/metrics.c).
 *
 *   test-metrics escape STRING...
 *       prints each STRING escaped as a label value, one per line
 *   test-metrics format
 *       prints metrics_format() of made-up sources that exercise every
 *       family, with names that need escaping: an engine of four nodes
 *       (one run, one forced recompute) named 'plain', 'quote"d',
 *       'back\slash' and 'new<newline>line'; two databases; an ofctrl
 *       connected to nothing, with two flow tables that share a key; two
 *       local encap IPs, a remote chassis 'hv"2' with one IP; three
 *       bindings (a VIF on each NIC, one of them with a bad pin, and a
 *       port without a VIF); two packet-in opcodes (the pinctrl hook);
 *       three coverage counters, out of order
 *   test-metrics histogram USEC...
 *       records each USEC (microseconds) in a latency histogram
 *       (lib/latency-histogram.c) and prints "BOUND COUNT" for each bucket
 *       that is not empty (BOUND in microseconds, "inf" for the last),
 *       then "count N sum S"
 */

#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controller/chassis-config.h"
#include "controller/en-runtime-data.h"
#include "controller/flow-table.h"
#include "controller/metrics.h"
#include "controller/ofctrl.h"
#include "controller/tunnel-mesh.h"
#include "coverage.h"
#include "lib/engine.h"
#include "lib/latency-histogram.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/match.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "svec.h"
#include "util.h"

static enum engine_run_result
node_run(struct engine_node *node OVS_UNUSED, void *data OVS_UNUSED,
         const struct engine_context *ctx OVS_UNUSED)
{
    return ENGINE_RUN_UPDATED;
}

#define NODE_CLASS(NAME) \
    { .name = NAME, .run = node_run, .no_compare = "test node" }

static const struct engine_node_class node_classes[] = {
    NODE_CLASS("plain"),
    NODE_CLASS("quote\"d"),
    NODE_CLASS("back\\slash"),
    NODE_CLASS("new\nline"),
};

static struct engine *
make_engine(void)
{
    struct engine *e = engine_create();
    struct engine_node *prev = NULL;

    for (size_t i = 0; i < ARRAY_SIZE(node_classes); i++) {
        struct engine_node *node = engine_add_node(e, &node_classes[i],
                                                   NULL);
        if (prev) {
            engine_add_input(node, prev, NULL);
        }
        prev = node;
    }
    engine_init(e);
    engine_run(e, NULL, true);
    engine_force_recompute(e);
    engine_run(e, NULL, true);
    return e;
}

/* Adds to 'table' a flow of OpenFlow table 'table_id' at 'priority' that
 * matches everything and drops. */
static void
add_flow(struct flow_table *table, uint8_t table_id, uint16_t priority)
{
    struct uuid owner = { .parts = { table_id, priority, 0, 1 } };
    struct match match;

    match_init_catchall(&match);
    flow_table_add(table, &owner, table_id, priority, 0, &match, NULL, 0);
}

static struct local_binding *
add_binding(struct shash *bindings, const char *lport, const char *iface,
            const char *encap_ip, const char *bad_pin)
{
    struct local_binding *lb = xzalloc(sizeof *lb);

    lb->lport = xstrdup(lport);
    lb->role = BINDING_ROLE_MAIN;
    lb->iface = nullable_xstrdup(iface);
    lb->encap_ip = nullable_xstrdup(encap_ip);
    lb->bad_pin = nullable_xstrdup(bad_pin);
    shash_add(bindings, lport, lb);
    return lb;
}

static void
free_bindings(struct shash *bindings)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, bindings) {
        struct local_binding *lb = node->data;
        free(lb->lport);
        free(lb->iface);
        free(lb->encap_ip);
        free(lb->bad_pin);
        free(lb);
    }
    shash_destroy(bindings);
}

static unsigned int
fake_count(void)
{
    return 0;
}

static void
do_format(void)
{
    struct engine *engine = make_engine();
    const struct metrics_db dbs[] = {
        { "southbound", true, 3 },
        { "ovs", false, 0 },
    };

    struct flow_table a, b;
    flow_table_init(&a);
    flow_table_init(&b);
    add_flow(&a, 0, 100);
    add_flow(&a, 1, 50);
    add_flow(&b, 0, 100);       /* The same key as in 'a'. */
    add_flow(&b, 0, 10);
    struct flow_table *tables[] = { &a, &b };
    struct ofctrl *ofctrl = ofctrl_create(false);

    struct chassis_config cfg;
    struct smap ids = SMAP_INITIALIZER(&ids);
    struct svec errors = SVEC_EMPTY_INITIALIZER;
    chassis_config_init(&cfg);
    smap_add(&ids, "system-id", "hv1");
    smap_add(&ids, "ovn-encap-type", "geneve");
    smap_add(&ids, "ovn-encap-ip", "10.0.0.1,10.0.1.1");
    chassis_config_parse(&ids, "hv1", &cfg, &errors);

    struct tunnel_mesh mesh;
    const struct tunnel_mesh_remote_encap encap = {
        .type = "geneve", .ip = "10.0.0.2",
    };
    const struct tunnel_mesh_remote remote = {
        .name = "hv\"2", .encaps = &encap, .n_encaps = 1,
    };
    tunnel_mesh_init(&mesh);
    tunnel_mesh_compute(&mesh, &cfg, &remote, 1);

    struct ed_runtime_data rtd;
    memset(&rtd, 0, sizeof rtd);
    shash_init(&rtd.bindings);
    add_binding(&rtd.bindings, "lp1", "vif1", "10.0.1.1", NULL);
    add_binding(&rtd.bindings, "lp2", "vif2", "10.0.0.1", "9.9.9.9");
    add_binding(&rtd.bindings, "lrp", NULL, "10.0.0.1", NULL);

    const struct metrics_packet_in pins[] = {
        { "putarp", 5, 1, 4 },
        { "op\"x", 1, 0, 1 },
    };
    struct coverage_counter zeta = { "zeta", fake_count, 7, 0, {0}, {0} };
    struct coverage_counter alpha = { "alpha", fake_count, 0, 0, {0}, {0} };
    struct coverage_counter mid = { "mid", fake_count, 123456789012ULL, 0,
                                    {0}, {0} };
    struct coverage_counter *counters[] = { &zeta, &alpha, &mid };

    const struct metrics_sources src = {
        .version = "1.2\"3\\4",
        .engine = engine,
        .dbs = dbs,
        .n_dbs = ARRAY_SIZE(dbs),
        .ofctrl = ofctrl,
        .flow_tables = tables,
        .n_flow_tables = ARRAY_SIZE(tables),
        .cfg = &cfg,
        .mesh = &mesh,
        .rtd = &rtd,
        .packet_ins = pins,
        .n_packet_ins = ARRAY_SIZE(pins),
        .coverage = counters,
        .n_coverage = ARRAY_SIZE(counters),
    };
    struct ds out = DS_EMPTY_INITIALIZER;
    metrics_format(&src, &out);
    fputs(ds_cstr(&out), stdout);
    ds_destroy(&out);

    free_bindings(&rtd.bindings);
    tunnel_mesh_destroy(&mesh);
    chassis_config_destroy(&cfg);
    svec_destroy(&errors);
    smap_destroy(&ids);
    ofctrl_destroy(ofctrl);
    flow_table_destroy(&a);
    flow_table_destroy(&b);
    engine_destroy(engine);
}

static void
do_histogram(int argc, char *argv[])
{
    struct latency_histogram h;

    latency_histogram_init(&h);
    for (int i = 0; i < argc; i++) {
        unsigned long long int usec;
        if (!str_to_ullong(argv[i], 10, &usec)) {
            ovs_fatal(0, "%s: not a number", argv[i]);
        }
        latency_histogram_record(&h, usec);
    }
    for (size_t i = 0; i <= LATENCY_HISTOGRAM_N_BOUNDS; i++) {
        if (!h.buckets[i]) {
            continue;
        }
        if (i < LATENCY_HISTOGRAM_N_BOUNDS) {
            printf("%"PRIu64" %"PRIu64"\n", latency_histogram_bound(i),
                   h.buckets[i]);
        } else {
            printf("inf %"PRIu64"\n", h.buckets[i]);
        }
    }
    printf("count %"PRIu64" sum %"PRIu64"\n", h.count, h.sum_usec);
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);

    if (argc >= 2 && !strcmp(argv[1], "escape")) {
        for (int i = 2; i < argc; i++) {
            struct ds out = DS_EMPTY_INITIALIZER;
            metrics_escape_label(argv[i], &out);
            printf("%s\n", ds_cstr(&out));
            ds_destroy(&out);
        }
    } else if (argc == 2 && !strcmp(argv[1], "format")) {
        do_format();
    } else if (argc >= 2 && !strcmp(argv[1], "histogram")) {
        do_histogram(argc - 2, argv + 2);
    } else {
        ovs_fatal(0, "usage: %s escape STRING... | format | "
                  "histogram USEC...", argv[0]);
    }
    return 0;
}
