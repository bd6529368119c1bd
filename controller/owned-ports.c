/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* The ports a reconciliation owns: see owned-ports.h. */

#include <config.h>
#include "controller/owned-ports.h"

#include "openvswitch/util.h"
#include "sset.h"
#include "util.h"
#include "vswitch-idl.h"

void
owned_ports_init(struct owned_ports *op)
{
    uuidset_init(&op->ports);
    uuidset_init(&op->ifaces);
}

void
owned_ports_destroy(struct owned_ports *op)
{
    if (op) {
        uuidset_destroy(&op->ports);
        uuidset_destroy(&op->ifaces);
    }
}

void
owned_ports_clear(struct owned_ports *op)
{
    uuidset_clear(&op->ports);
    uuidset_clear(&op->ifaces);
}

void
owned_ports_add(struct owned_ports *op, const struct ovsrec_port *port)
{
    uuidset_insert(&op->ports, &port->header_.uuid);
    for (size_t i = 0; i < port->n_interfaces; i++) {
        uuidset_insert(&op->ifaces, &port->interfaces[i]->header_.uuid);
    }
}

bool
owned_ports_has_port(const struct owned_ports *op,
                     const struct ovsrec_port *port)
{
    return uuidset_contains(&op->ports, &port->header_.uuid);
}

bool
owned_ports_port_changed(const struct ovsrec_port *port)
{
    return (ovsrec_port_is_new(port)
            || ovsrec_port_is_deleted(port)
            || ovsrec_port_is_updated(port, OVSREC_PORT_COL_NAME)
            || ovsrec_port_is_updated(port, OVSREC_PORT_COL_INTERFACES)
            || ovsrec_port_is_updated(port, OVSREC_PORT_COL_EXTERNAL_IDS));
}

bool
owned_ports_iface_changed(const struct owned_ports *op,
                          const struct ovsrec_interface *iface, bool bfd)
{
    if (!uuidset_contains(&op->ifaces, &iface->header_.uuid)) {
        return false;
    }
    return (ovsrec_interface_is_new(iface)
            || ovsrec_interface_is_deleted(iface)
            || ovsrec_interface_is_updated(iface, OVSREC_INTERFACE_COL_TYPE)
            || ovsrec_interface_is_updated(iface, OVSREC_INTERFACE_COL_NAME)
            || ovsrec_interface_is_updated(iface,
                                           OVSREC_INTERFACE_COL_OPTIONS)
            || (bfd && ovsrec_interface_is_updated(
                    iface, OVSREC_INTERFACE_COL_BFD)));
}

char *
owned_ports_compare(const struct sset *done, const struct sset *fresh,
                    bool busy)
{
    const char *change;

    SSET_FOR_EACH (change, fresh) {
        if (!busy || !sset_contains(done, change)) {
            return xasprintf("a reconciliation would still %s (%"PRIuSIZE
                             " changes in all)", change, sset_count(fresh));
        }
    }
    return NULL;
}
