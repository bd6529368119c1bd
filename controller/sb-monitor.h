/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The conditions of the SB monitor: which rows the chassis receives.
 *
 * With external_ids:ovn-monitor-all=true, every row.  Otherwise only what
 * is local, as runtime_data found it: the Port_Binding rows of the local
 * datapaths, of the iface-ids of br-int's VIFs, of our chassis, of the
 * parents' containers, and every port that may shape the graph or make a
 * datapath local (patch, chassisredirect, l3gateway, l2gateway, external);
 * the Logical_Flow rows of the local datapaths and of the datapath groups
 * that hold one; the Multicast_Group, MAC_Binding and Static_MAC_Binding
 * rows of the local datapaths; the FDB rows of their tunnel keys; the
 * Load_Balancer rows whose 'datapaths' include a local datapath or whose
 * 'datapath_group' holds one; the Chassis_Template_Var row of our chassis
 * (none before it is registered).  The logical flows also read
 * Address_Set, Port_Group, Logical_DP_Group, Meter, Meter_Band,
 * DHCP_Options and DHCPv6_Options whole: an OVSDB condition cannot select
 * the SB's per datapath port groups ("<key>_<name>", a prefix), a flow may
 * use any address set, and the others are small.  The IDL sends a
 * condition only when it differs from the one in effect.
 */

#ifndef OVNMC_SB_MONITOR_H
#define OVNMC_SB_MONITOR_H 1

#include <stdbool.h>

struct ed_runtime_data;
struct ovsdb_idl;
struct sbrec_chassis;

/* Sets the conditions of 'sb_idl' from 'rtd' (everything if
 * 'monitor_all').  'chassis' (our row) may be NULL before registration.
 * Returns the condition sequence number at which 'sb_idl' holds every row
 * the new conditions select (see ovsdb_idl_get_condition_seqno()). */
unsigned int sb_monitor_set_conditions(struct ovsdb_idl *sb_idl,
                               const struct ed_runtime_data *rtd,
                               const struct sbrec_chassis *chassis,
                               bool monitor_all);

#endif /* controller/sb-monitor.h */
