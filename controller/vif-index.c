/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The interfaces of the integration bridge: see vif-index.h.
 */

#include <config.h>

#include "controller/vif-index.h"

#include <string.h>
#include "coverage.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "sset.h"
#include "util.h"
#include "uuid.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(vif_index);

COVERAGE_DEFINE(vif_index_update);  /* Tracked changes folded in. */
COVERAGE_DEFINE(vif_index_walk);    /* ... that needed a walk of br-int. */

static const char *
iface_id_of(const struct ovsrec_interface *ifr)
{
    const char *id = smap_get(&ifr->external_ids, "iface-id");
    return id && id[0] ? id : NULL;
}

static void
entry_free(struct vif_index_entry *e)
{
    if (e) {
        free(e->iface_id);
        free(e);
    }
}

/* Adds 'name' under 'id' in 'vi->by_id'. */
static void
by_id_add(struct vif_index *vi, const char *id, const char *name)
{
    struct sset *names = shash_find_data(&vi->by_id, id);

    if (!names) {
        names = xmalloc(sizeof *names);
        sset_init(names);
        shash_add(&vi->by_id, id, names);
    }
    sset_add(names, name);
}

/* Removes 'name' from under 'id' in 'vi->by_id'. */
static void
by_id_remove(struct vif_index *vi, const char *id, const char *name)
{
    struct shash_node *node = shash_find(&vi->by_id, id);

    if (node) {
        struct sset *names = node->data;
        sset_find_and_delete(names, name);
        if (sset_is_empty(names)) {
            sset_destroy(names);
            free(names);
            shash_delete(&vi->by_id, node);
        }
    }
}

/* Sets the entry of 'name' to 'uuid' and 'id' (may be NULL). */
static void
vif_index_set(struct vif_index *vi, const char *name, const struct uuid *uuid,
              const char *id)
{
    struct vif_index_entry *e = shash_find_data(&vi->by_name, name);

    if (!e) {
        e = xzalloc(sizeof *e);
        shash_add(&vi->by_name, name, e);
    } else if (e->iface_id) {
        by_id_remove(vi, e->iface_id, name);
    }
    e->uuid = *uuid;
    free(e->iface_id);
    e->iface_id = nullable_xstrdup(id);
    if (id) {
        by_id_add(vi, id, name);
    }
}

void
vif_index_init(struct vif_index *vi)
{
    shash_init(&vi->by_name);
    shash_init(&vi->by_id);
}

void
vif_index_clear(struct vif_index *vi)
{
    struct shash_node *node;

    SHASH_FOR_EACH_SAFE (node, &vi->by_name) {
        entry_free(node->data);
        shash_delete(&vi->by_name, node);
    }
    SHASH_FOR_EACH_SAFE (node, &vi->by_id) {
        sset_destroy(node->data);
        free(node->data);
        shash_delete(&vi->by_id, node);
    }
}

void
vif_index_destroy(struct vif_index *vi)
{
    if (vi) {
        vif_index_clear(vi);
        shash_destroy(&vi->by_name);
        shash_destroy(&vi->by_id);
    }
}

void
vif_index_rebuild(struct vif_index *vi, const struct ovsrec_bridge *br_int,
                  struct sset *affected)
{
    const struct shash empty = SHASH_INITIALIZER(&empty);
    struct vif_index old;

    vif_index_init(&old);
    shash_swap(&old.by_name, &vi->by_name);
    shash_swap(&old.by_id, &vi->by_id);
    for (size_t i = 0; br_int && i < br_int->n_ports; i++) {
        const struct ovsrec_port *port = br_int->ports[i];

        for (size_t j = 0; j < port->n_interfaces; j++) {
            const struct ovsrec_interface *ifr = port->interfaces[j];
            vif_index_set(vi, ifr->name, &ifr->header_.uuid,
                          iface_id_of(ifr));
        }
    }

    /* What changed: interfaces that left, came, or changed iface-id. */
    struct shash_node *node;
    SHASH_FOR_EACH (node, affected ? &old.by_name : &empty) {
        const struct vif_index_entry *a = node->data;
        const struct vif_index_entry *b = shash_find_data(&vi->by_name,
                                                          node->name);
        if (!b || !uuid_equals(&a->uuid, &b->uuid)
            || !nullable_string_is_equal(a->iface_id, b->iface_id)) {
            if (a->iface_id) {
                sset_add(affected, a->iface_id);
            }
            if (b && b->iface_id) {
                sset_add(affected, b->iface_id);
            }
        }
    }
    SHASH_FOR_EACH (node, affected ? &vi->by_name : &empty) {
        const struct vif_index_entry *b = node->data;
        if (b->iface_id && !shash_find(&old.by_name, node->name)) {
            sset_add(affected, b->iface_id);
        }
    }
    vif_index_destroy(&old);
}

/* True if the set of br-int's interfaces (or their names) may have changed
 * in the tracked changes. */
static bool
membership_changed(const struct ovsrec_bridge *br_int,
                    const struct ovsrec_interface_table *ifaces,
                    const struct ovsrec_port_table *ports)
{
    const struct ovsrec_interface *ifr;
    const struct ovsrec_port *port;

    if (br_int && ovsrec_bridge_is_updated(br_int, OVSREC_BRIDGE_COL_PORTS)) {
        return true;
    }
    OVSREC_PORT_TABLE_FOR_EACH_TRACKED (port, ports) {
        if (ovsrec_port_is_new(port) || ovsrec_port_is_deleted(port)
            || ovsrec_port_is_updated(port, OVSREC_PORT_COL_INTERFACES)) {
            return true;
        }
    }
    OVSREC_INTERFACE_TABLE_FOR_EACH_TRACKED (ifr, ifaces) {
        if (ovsrec_interface_is_new(ifr) || ovsrec_interface_is_deleted(ifr)
            || ovsrec_interface_is_updated(ifr, OVSREC_INTERFACE_COL_NAME)) {
            return true;
        }
    }
    return false;
}

void
vif_index_update(struct vif_index *vi, const struct ovsrec_bridge *br_int,
                 const struct ovsrec_interface_table *ifaces,
                 const struct ovsrec_port_table *ports,
                 struct sset *affected)
{
    bool rebuild = membership_changed(br_int, ifaces, ports);
    const struct ovsrec_interface *ifr;

    COVERAGE_INC(vif_index_update);
    OVSREC_INTERFACE_TABLE_FOR_EACH_TRACKED (ifr, ifaces) {
        const struct vif_index_entry *e = shash_find_data(&vi->by_name,
                                                          ifr->name);
        const char *id = (ovsrec_interface_is_deleted(ifr) ? NULL
                          : iface_id_of(ifr));

        if (e && !uuid_equals(&e->uuid, &ifr->header_.uuid)) {
            /* Another interface of that name, now deleted or replaced: the
             * rebuild sorts it out. */
            e = NULL;
        }
        if (e && e->iface_id) {
            sset_add(affected, e->iface_id);
        }
        if (id && (e || rebuild)) {
            sset_add(affected, id);
        }
        if (e && !rebuild) {
            vif_index_set(vi, ifr->name, &ifr->header_.uuid, id);
        }
    }
    if (rebuild) {
        COVERAGE_INC(vif_index_walk);
        vif_index_rebuild(vi, br_int, affected);
    }
}

const struct vif_index_entry *
vif_index_find(const struct vif_index *vi, const char *name)
{
    return shash_find_data(&vi->by_name, name);
}

const struct ovsrec_interface *
vif_index_find_row(const struct vif_index *vi, const struct ovsdb_idl *idl,
                   const char *name)
{
    const struct vif_index_entry *e = vif_index_find(vi, name);
    return e ? ovsrec_interface_get_for_uuid(idl, &e->uuid) : NULL;
}

const struct sset *
vif_index_find_id(const struct vif_index *vi, const char *iface_id)
{
    return shash_find_data(&vi->by_id, iface_id);
}

char *
vif_index_compare(const struct vif_index *a, const struct vif_index *b)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &a->by_name) {
        const struct vif_index_entry *x = node->data;
        const struct vif_index_entry *y = shash_find_data(&b->by_name,
                                                          node->name);
        if (!y) {
            return xasprintf("interface %s not in recompute", node->name);
        } else if (!uuid_equals(&x->uuid, &y->uuid)
                   || !nullable_string_is_equal(x->iface_id, y->iface_id)) {
            return xasprintf("interface %s differs from recompute",
                             node->name);
        }
    }
    if (shash_count(&a->by_name) != shash_count(&b->by_name)) {
        return xstrdup("interfaces only in recompute");
    }
    SHASH_FOR_EACH (node, &a->by_id) {
        const struct sset *y = shash_find_data(&b->by_id, node->name);
        if (!y || !sset_equals(node->data, y)) {
            return xasprintf("interfaces of iface-id %s differ from "
                             "recompute", node->name);
        }
    }
    if (shash_count(&a->by_id) != shash_count(&b->by_id)) {
        return xstrdup("iface-ids only in recompute");
    }
    return NULL;
}
