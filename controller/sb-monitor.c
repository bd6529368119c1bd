/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The SB monitor conditions: see sb-monitor.h.
 */

#include <config.h>

#include "controller/sb-monitor.h"

#include "controller/en-runtime-data.h"
#include "coverage.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/shash.h"
#include "ovsdb-idl.h"
#include "util.h"

COVERAGE_DEFINE(sb_monitor_set_conditions);

unsigned int
sb_monitor_set_conditions(struct ovsdb_idl *sb_idl,
                          const struct ed_runtime_data *rtd,
                          const struct sbrec_chassis *chassis,
                          bool monitor_all)
{
    struct ovsdb_idl_condition pb = OVSDB_IDL_CONDITION_INIT(&pb);
    struct ovsdb_idl_condition lf = OVSDB_IDL_CONDITION_INIT(&lf);
    struct ovsdb_idl_condition mg = OVSDB_IDL_CONDITION_INIT(&mg);
    struct ovsdb_idl_condition mb = OVSDB_IDL_CONDITION_INIT(&mb);
    struct ovsdb_idl_condition smb = OVSDB_IDL_CONDITION_INIT(&smb);
    struct ovsdb_idl_condition fdb = OVSDB_IDL_CONDITION_INIT(&fdb);
    struct ovsdb_idl_condition lb = OVSDB_IDL_CONDITION_INIT(&lb);
    const struct local_datapath *ld;
    struct ovsdb_idl_condition tv = OVSDB_IDL_CONDITION_INIT(&tv);
    const struct uuidset_node *un;
    struct shash_node *node;

    COVERAGE_INC(sb_monitor_set_conditions);
    if (monitor_all) {
        ovsdb_idl_condition_add_clause_true(&pb);
        ovsdb_idl_condition_add_clause_true(&lf);
        ovsdb_idl_condition_add_clause_true(&mg);
        ovsdb_idl_condition_add_clause_true(&mb);
        ovsdb_idl_condition_add_clause_true(&smb);
        ovsdb_idl_condition_add_clause_true(&fdb);
        ovsdb_idl_condition_add_clause_true(&lb);
        ovsdb_idl_condition_add_clause_true(&tv);
        goto out;
    }
    /* Ports that can make something local or that shape the graph. */
    sbrec_port_binding_add_clause_type(&pb, OVSDB_F_EQ, "patch");
    sbrec_port_binding_add_clause_type(&pb, OVSDB_F_EQ, "chassisredirect");
    sbrec_port_binding_add_clause_type(&pb, OVSDB_F_EQ, "l3gateway");
    sbrec_port_binding_add_clause_type(&pb, OVSDB_F_EQ, "l2gateway");
    sbrec_port_binding_add_clause_type(&pb, OVSDB_F_EQ, "external");
    if (chassis) {
        sbrec_port_binding_add_clause_chassis(&pb, OVSDB_F_EQ,
                                              &chassis->header_.uuid);
        /* Template variables: only ours. */
        sbrec_chassis_template_var_add_clause_chassis(&tv, OVSDB_F_EQ,
                                                      chassis->name);
    }
    SHASH_FOR_EACH (node, &rtd->vifs.by_id) {
        sbrec_port_binding_add_clause_logical_port(&pb, OVSDB_F_EQ,
                                                   node->name);
    }
    SHASH_FOR_EACH (node, &rtd->children) {
        if (shash_find(&rtd->bindings, node->name)) {
            sbrec_port_binding_add_clause_parent_port(&pb, OVSDB_F_EQ,
                                                      node->name);
        }
    }
    UUIDSET_FOR_EACH (un, &rtd->local_datapaths) {
        sbrec_port_binding_add_clause_datapath(&pb, OVSDB_F_EQ, &un->uuid);
        sbrec_logical_flow_add_clause_logical_datapath(&lf, OVSDB_F_EQ,
                                                       &un->uuid);
        sbrec_multicast_group_add_clause_datapath(&mg, OVSDB_F_EQ,
                                                  &un->uuid);
        sbrec_mac_binding_add_clause_datapath(&mb, OVSDB_F_EQ, &un->uuid);
        sbrec_static_mac_binding_add_clause_datapath(&smb, OVSDB_F_EQ,
                                                     &un->uuid);
        struct uuid *dp = CONST_CAST(struct uuid *, &un->uuid);
        sbrec_load_balancer_add_clause_datapaths(&lb, OVSDB_F_INCLUDES,
                                                 &dp, 1);
    }
    /* FDB rows name their datapath by tunnel key. */
    HMAP_FOR_EACH (ld, node, &rtd->dps) {
        sbrec_fdb_add_clause_dp_key(&fdb, OVSDB_F_EQ, ld->tunnel_key);
    }
    /* Logical flows and load balancers shared through datapath groups
     * (Logical_DP_Group is monitored whole). */
    const struct sbrec_logical_dp_group *g;
    SBREC_LOGICAL_DP_GROUP_FOR_EACH (g, sb_idl) {
        for (size_t i = 0; i < g->n_datapaths; i++) {
            if (uuidset_contains(&rtd->local_datapaths,
                                 &g->datapaths[i]->header_.uuid)) {
                sbrec_logical_flow_add_clause_logical_dp_group(
                    &lf, OVSDB_F_EQ, &g->header_.uuid);
                sbrec_load_balancer_add_clause_datapath_group(
                    &lb, OVSDB_F_EQ, &g->header_.uuid);
                break;
            }
        }
    }

out:;
    /* Each call returns the sequence number at which its table is up to
     * date; the tables are in step once the latest of them is reached. */
    unsigned int seqnos[] = {
        sbrec_port_binding_set_condition(sb_idl, &pb),
        sbrec_logical_flow_set_condition(sb_idl, &lf),
        sbrec_multicast_group_set_condition(sb_idl, &mg),
        sbrec_mac_binding_set_condition(sb_idl, &mb),
        sbrec_static_mac_binding_set_condition(sb_idl, &smb),
        sbrec_fdb_set_condition(sb_idl, &fdb),
        sbrec_load_balancer_set_condition(sb_idl, &lb),
        sbrec_chassis_template_var_set_condition(sb_idl, &tv),
    };
    unsigned int expected = seqnos[0];
    for (size_t i = 1; i < ARRAY_SIZE(seqnos); i++) {
        if ((int) (seqnos[i] - expected) > 0) {
            expected = seqnos[i];
        }
    }
    ovsdb_idl_condition_destroy(&pb);
    ovsdb_idl_condition_destroy(&lf);
    ovsdb_idl_condition_destroy(&mg);
    ovsdb_idl_condition_destroy(&mb);
    ovsdb_idl_condition_destroy(&smb);
    ovsdb_idl_condition_destroy(&fdb);
    ovsdb_idl_condition_destroy(&lb);
    ovsdb_idl_condition_destroy(&tv);
    return expected;
}
