/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * What the reconciliations of OVS ports have in common: tunnel-sync.h
 * (tunnel ports on the integration bridge) and patch-sync.h (patch ports
 * to the provider bridges) each own the Ports that carry their mark, and
 * never touch another.  Between reconciliations, each keeps here the
 * ports of its own that the last one found, with their interfaces, so that
 * an engine change handler can tell whether a change of the OVS database
 * concerns them without reconciling.  Its engine node keeps the plan of
 * its last reconciliation (one line per change), which the consistency
 * check compares with a plan made from scratch (owned_ports_compare()).
 *
 * A pure module: no logging, no database writes.
 */

#ifndef OVNMC_OWNED_PORTS_H
#define OVNMC_OWNED_PORTS_H 1

#include <stdbool.h>
#include "uuidset.h"

struct ovsrec_interface;
struct ovsrec_port;
struct sset;

/* The ports of one owner, and their interfaces, by UUID. */
struct owned_ports {
    struct uuidset ports;       /* Our Ports, as the last run found them
                                 * (ports it created come back later as
                                 * new marked rows). */
    struct uuidset ifaces;      /* The Interfaces of 'ports'. */
};

/* Initializes 'op', empty. */
void owned_ports_init(struct owned_ports *op);

/* Frees what 'op' owns.  NULL-safe. */
void owned_ports_destroy(struct owned_ports *op);

/* Forgets every port. */
void owned_ports_clear(struct owned_ports *op);

/* Records 'port' (not owned) and its interfaces as ours. */
void owned_ports_add(struct owned_ports *op, const struct ovsrec_port *port);

/* True if 'port' was ours at the last reconciliation. */
bool owned_ports_has_port(const struct owned_ports *op,
                          const struct ovsrec_port *port);

/* True if 'port', a changed row, changed in a way a reconciliation cares
 * about: it is new or deleted, or its name, interfaces or external_ids
 * (the marks) changed.  The caller decides first whether it is ours. */
bool owned_ports_port_changed(const struct ovsrec_port *port);

/* True if 'iface', a changed row, is an interface of one of our ports and
 * is new or deleted, or its type, name or options changed (or its bfd
 * column, if 'bfd' is true).  A new ofport or a VIF's change is not. */
bool owned_ports_iface_changed(const struct owned_ports *op,
                               const struct ovsrec_interface *iface,
                               bool bfd);

/* The consistency check of a reconciling node: 'done' is the plan of the
 * last real reconciliation, 'fresh' the plan of one from scratch made
 * without writing, 'busy' whether our OVS transaction was in flight then
 * (the IDL does not show its changes yet).  After handlers decided that
 * nothing concerned our ports, 'fresh' must be empty, or, while 'busy',
 * hold only changes of 'done'.  Returns NULL if so, else a malloc'd
 * message naming the first change left. */
char *owned_ports_compare(const struct sset *done, const struct sset *fresh,
                          bool busy);

#endif /* controller/owned-ports.h */
