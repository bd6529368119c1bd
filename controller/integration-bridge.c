/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The integration bridge in the local OVS database: see
 * integration-bridge.h.
 */

#include <config.h>

#include "controller/integration-bridge.h"

#include <string.h>

#include "controller/idl-columns.h"
#include "coverage.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "vswitch-idl.h"

COVERAGE_DEFINE(integration_bridge_insert);

/* The columns the bridge is found and created with. */
static const struct idl_column_use integration_bridge_columns[] = {
    { &ovsrec_open_vswitch_col_bridges, true },
    { &ovsrec_open_vswitch_col_other_config, true },
    { &ovsrec_bridge_col_name, true },
    { &ovsrec_bridge_col_ports, true },
    { &ovsrec_bridge_col_fail_mode, true },
    { &ovsrec_bridge_col_other_config, true },
    { &ovsrec_bridge_col_datapath_type, true },
    { &ovsrec_port_col_name, true },
    { &ovsrec_port_col_interfaces, true },
    { &ovsrec_interface_col_name, true },
    { &ovsrec_interface_col_type, true },
};

void
integration_bridge_declare_columns(struct idl_columns *cols)
{
    IDL_COLUMNS_ADD(cols, integration_bridge_columns);
}

const struct ovsrec_bridge *
integration_bridge_find(const struct ovsdb_idl *ovs_idl, const char *name)
{
    const struct ovsrec_bridge *br;

    if (!name) {
        return NULL;
    }
    OVSREC_BRIDGE_FOR_EACH (br, ovs_idl) {
        if (!strcmp(br->name, name)) {
            return br;
        }
    }
    return NULL;
}

const struct ovsrec_bridge *
integration_bridge_create(struct ovsdb_idl_txn *txn,
                          const struct ovsrec_open_vswitch *cfg,
                          const char *name, const char *datapath_type)
{
    COVERAGE_INC(integration_bridge_insert);

    struct ovsrec_interface *iface = ovsrec_interface_insert(txn);
    ovsrec_interface_set_name(iface, name);
    ovsrec_interface_set_type(iface, "internal");

    struct ovsrec_port *port = ovsrec_port_insert(txn);
    ovsrec_port_set_name(port, name);
    ovsrec_port_set_interfaces(port, &iface, 1);

    struct ovsrec_bridge *br = ovsrec_bridge_insert(txn);
    ovsrec_bridge_set_name(br, name);
    ovsrec_bridge_set_fail_mode(br, "secure");
    const struct smap oc = SMAP_CONST1(&oc, "disable-in-band", "true");
    ovsrec_bridge_set_other_config(br, &oc);
    ovsrec_bridge_set_ports(br, &port, 1);
    ovsrec_bridge_set_datapath_type(br, datapath_type ? datapath_type
                                                      : "system");

    ovsrec_open_vswitch_update_bridges_addvalue(cfg, br);
    return br;
}
