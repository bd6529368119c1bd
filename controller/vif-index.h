/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The interfaces of the integration bridge, indexed by name and by
 * external_ids:iface-id, kept from one engine run to the next.
 *
 * runtime_data owns one (binding_sync reads it through runtime_data), so
 * that a change handler finds the VIFs of a logical port, or an interface
 * by name, without walking every port of br-int: the handlers' cost
 * follows the number of changed rows, not the number of bound ports.  The
 * index holds UUIDs and names, never row pointers, so that it cannot
 * dangle; rows are looked up by UUID when needed.
 *
 * What updates it: vif_index_rebuild() from br-int as it is (a recompute);
 * vif_index_update() from the IDL's tracked changes.  The set of br-int's
 * interfaces changes only with a tracked Port (new, deleted, interfaces
 * changed) or br-int's port list; then the membership is rebuilt from
 * br-int, an O(ports) walk that the IDL makes anyway to parse the new port
 * list.  Every other change (external_ids, ofport: the writes that binding
 * and ovs-vswitchd make all the time) updates only the rows it names.
 */

#ifndef OVNMC_VIF_INDEX_H
#define OVNMC_VIF_INDEX_H 1

#include <stdbool.h>
#include "openvswitch/shash.h"
#include "openvswitch/uuid.h"

struct ovsdb_idl;
struct ovsrec_bridge;
struct ovsrec_interface;
struct ovsrec_interface_table;
struct ovsrec_port_table;
struct sset;

/* An interface of the integration bridge. */
struct vif_index_entry {
    struct uuid uuid;           /* Its Interface row. */
    char *iface_id;             /* external_ids:iface-id; NULL if unset or
                                 * empty. */
};

/* The index. */
struct vif_index {
    struct shash by_name;       /* Interface name -> struct
                                 * vif_index_entry. */
    struct shash by_id;         /* iface-id -> struct sset of the names
                                 * of the interfaces that carry it. */
};

/* Initializes 'vi' empty. */
void vif_index_init(struct vif_index *vi);

/* Frees what 'vi' owns.  NULL-safe. */
void vif_index_destroy(struct vif_index *vi);

/* Empties 'vi'. */
void vif_index_clear(struct vif_index *vi);

/* Rebuilds 'vi' from the ports of 'br_int' (NULL: none).  If 'affected' is
 * nonnull, adds to it every iface-id whose interfaces changed. */
void vif_index_rebuild(struct vif_index *vi,
                       const struct ovsrec_bridge *br_int,
                       struct sset *affected);

/* Folds into 'vi' the tracked changes of 'ifaces' and 'ports' (tables of
 * the IDL that holds 'br_int').  Adds to 'affected' the old and new
 * iface-id of every changed interface that is or was on br-int, and those
 * of the interfaces that joined or left it. */
void vif_index_update(struct vif_index *vi,
                      const struct ovsrec_bridge *br_int,
                      const struct ovsrec_interface_table *ifaces,
                      const struct ovsrec_port_table *ports,
                      struct sset *affected);

/* Returns the entry of the br-int interface named 'name', or NULL. */
const struct vif_index_entry *vif_index_find(const struct vif_index *vi,
                                             const char *name);

/* Returns the row of the br-int interface named 'name' in 'idl', or
 * NULL. */
const struct ovsrec_interface *vif_index_find_row(
    const struct vif_index *vi, const struct ovsdb_idl *idl,
    const char *name);

/* Returns the names of the br-int interfaces whose iface-id is 'iface_id',
 * or NULL if there are none. */
const struct sset *vif_index_find_id(const struct vif_index *vi,
                                     const char *iface_id);

/* Returns NULL if 'a' and 'b' hold the same interfaces, otherwise a
 * malloc'd description of the first difference. */
char *vif_index_compare(const struct vif_index *a,
                        const struct vif_index *b);

#endif /* controller/vif-index.h */
