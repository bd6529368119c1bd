/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "integration_bridge": the integration bridge exists, with
 * what datapath type.
 *
 * What the spec says: if the bridge named by external_ids:ovn-bridge
 * (default br-int) does not exist, ovn-controller creates it; if
 * external_ids:ovn-bridge-datapath-type is set, the bridge gets that
 * datapath type (man 8 ovn-controller).  As Debian's controller does, a
 * bridge whose datapath_type is empty gets "system" when the key is unset.
 *
 * What we do: look the bridge up; if it is missing, create it in the OVS
 * transaction (see integration-bridge.h) and report it as not existing yet:
 * the bridge's row shows up when the transaction commits, which changes the
 * Bridge table and reruns the node.  Without an OVS transaction (one in
 * flight) the run is canceled and retried.
 *
 * What triggers work: the configuration (bridge name and datapath type),
 * the Open_vSwitch row and the Bridge table; each change recomputes (a
 * lookup by name, cheap).
 */

#ifndef OVNMC_EN_INTEGRATION_BRIDGE_H
#define OVNMC_EN_INTEGRATION_BRIDGE_H 1

#include <stdbool.h>
#include "lib/engine.h"

/* Inputs of the node, given to engine_add_node() (copied by init()). */
struct en_integration_bridge_inputs {
    struct engine_node *ovs_config;         /* Node "ovs_config". */
    struct engine_node *ovs_open_vswitch;   /* OVS Open_vSwitch table. */
    struct engine_node *ovs_bridge;         /* OVS Bridge table. */
};

/* The data of the node. */
struct en_integration_bridge_data {
    struct en_integration_bridge_inputs in;
    char *name;             /* Bridge name from the configuration. */
    bool exists;            /* True if the bridge is in the database. */
    char *datapath_type;    /* Its datapath_type (never ""); when it does
                             * not exist yet, the one it will get. */
};

extern const struct engine_node_class en_integration_bridge_class;

#endif /* controller/en-integration-bridge.h */
