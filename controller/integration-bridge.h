/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The integration bridge in the local OVS database: finding it, and
 * creating it when it is missing.
 *
 * We create the bridge the way ovn-architecture(7) suggests: fail-mode
 * secure (no flows but ours), other-config:disable-in-band=true, one
 * internal port named after the bridge.  We never modify a bridge that
 * already exists, except its datapath_type when
 * external_ids:ovn-bridge-datapath-type asks for one, and never touch other
 * bridges or ports.
 */

#ifndef OVNMC_INTEGRATION_BRIDGE_H
#define OVNMC_INTEGRATION_BRIDGE_H 1

struct idl_columns;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct ovsrec_bridge;
struct ovsrec_open_vswitch;

/* Declares to 'cols' the columns this module reads and writes (see
 * controller/idl-columns.h). */
void integration_bridge_declare_columns(struct idl_columns *cols);

/* Returns the bridge named 'name' in 'ovs_idl', or NULL (also if 'name' is
 * NULL).  The one lookup of a bridge by name for every module. */
const struct ovsrec_bridge *integration_bridge_find(
    const struct ovsdb_idl *ovs_idl, const char *name);

/* Adds to 'txn' a new bridge 'name' to 'cfg' with its internal port and
 * 'datapath_type' ("system" if null, as the reference controller does).
 * Returns the new row (part of 'txn'). */
const struct ovsrec_bridge *integration_bridge_create(
    struct ovsdb_idl_txn *txn, const struct ovsrec_open_vswitch *cfg,
    const char *name, const char *datapath_type);

#endif /* controller/integration-bridge.h */
