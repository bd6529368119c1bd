/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "pinctrl_meters": the OpenFlow meters that limit, per
 * controller operation, the packet-ins the pipeline sends to pinctrl.
 * What the spec says: OVN meters packet-ins only with the meters the CMS
 * names (Control Plane Protection: Logical_Flow.controller_meter and
 * log(meter=...)); a flood of anything else reaches the daemon whole.
 * What we do: every controller action without a meter of its own is
 * metered by its operation's meter, ctlop_meter_id(opcode)
 * (include/ovn/controller-ops.h; the lflow node asks the encoder for
 * them), so an ARP storm cannot starve DHCP: each operation has its own
 * budget, in packets per second with a burst of one second's worth.
 * This node declares those meters in a flow table for ofctrl, with the
 * rates of the local OVS database's Open_vSwitch external_ids:
 *
 *   ovn-pinctrl-rate-limit=N       every operation (default
 *                                  PINCTRL_METER_DEFAULT_PPS)
 *   ovn-pinctrl-rate-limit-OP=N    operation OP (its name in ovn-sb(5):
 *                                  put_arp, put_dhcp_opts, dns_lookup,
 *                                  icmp4_error, ...)
 *
 * each also in the per-chassis form KEY-<system-id>, which wins.  N is 1
 * to 10,000,000; a bad value is logged and the default used.
 *
 * Fairness: an operation's meter is shared by every VIF, so one VIF's
 * flood would take the whole budget.  A pausing controller action (DHCP,
 * DNS, RA options) in a logical flow that names a single inport gets a
 * meter per (operation, port) instead (CTLOP_PORT_METER_PREFIX in
 * include/ovn/controller-ops.h): the lflow node takes their ids from its
 * meter id table, and this node declares each at its operation's rate,
 * so a VIF's flood exhausts only its own budget.  The daemon's total is
 * then bounded by the rate times the local ports that have such flows.
 *
 * The meters show in "ovs-appctl -t ovn-controller meter-table-list".
 * What triggers work: any change of ovs_config, of the Open_vSwitch row
 * or of lflow_output recomputes (it is a handful of meters per port).
 */

#ifndef OVNMC_EN_PINCTRL_METERS_H
#define OVNMC_EN_PINCTRL_METERS_H 1

#include <stdint.h>
#include "controller/flow-table.h"
#include "lib/engine.h"
#include "ovn/controller-ops.h"

struct smap;
struct svec;

#define PINCTRL_METER_DEFAULT_PPS 2000
#define PINCTRL_METER_MAX_PPS 10000000

/* The node's inputs, given to engine_add_node() (copied by init()). */
struct en_pinctrl_meters_inputs {
    struct engine_node *ovs_config;       /* Recompute: the system-id. */
    struct engine_node *ovs_open_vswitch; /* Recompute: the keys. */
    struct engine_node *lflow;            /* Recompute: the per-port
                                           * meters' ids. */
};

/* The node's data. */
struct en_pinctrl_meters_data {
    struct en_pinctrl_meters_inputs in;
    uint32_t pps[CTLOP_N_OPCODES];  /* Rate of each operation's meter. */
    struct flow_table meters;       /* The meters, for ofctrl. */
};

/* Computes the rate of every operation from 'external_ids' (for chassis
 * 'system_id', may be NULL) into 'pps'; adds a message per bad value to
 * 'errors'.  Pure: for the node and its tests. */
void pinctrl_meters_parse(const struct smap *external_ids,
                          const char *system_id,
                          uint32_t pps[CTLOP_N_OPCODES],
                          struct svec *errors);

extern const struct engine_node_class en_pinctrl_meters_class;

/* Returns the meters in the node's data 'data'. */
struct flow_table *en_pinctrl_meters_get_flows(void *data);

#endif /* controller/en-pinctrl-meters.h */
