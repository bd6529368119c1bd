/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "tunnel_ofports": see en-tunnel-ofports.h.
 */

#include <config.h>

#include "controller/en-tunnel-ofports.h"

#include <string.h>
#include "controller/en-integration-bridge.h"
#include "controller/en-ovsdb.h"
#include "controller/integration-bridge.h"
#include "controller/tunnel-sync.h"
#include "coverage.h"
#include "openvswitch/shash.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "util.h"
#include "vswitch-idl.h"

COVERAGE_DEFINE(tunnel_ofports_refresh);

/* The key a tunnel port of ours carries. */
#define CHASSIS_ID_KEY "ovn-chassis-id"

static void *
en_tunnel_ofports_init(void *arg)
{
    struct en_tunnel_ofports_data *data = xzalloc(sizeof *data);

    if (arg) {
        data->in = *(const struct en_tunnel_ofports_inputs *) arg;
    }
    simap_init(&data->ofports);
    sset_init(&data->tracked);
    return data;
}

static void
en_tunnel_ofports_cleanup(void *data_)
{
    struct en_tunnel_ofports_data *data = data_;

    if (data) {
        simap_destroy(&data->ofports);
        sset_destroy(&data->tracked);
        free(data);
    }
}

static void
en_tunnel_ofports_clear_tracked(void *data_)
{
    struct en_tunnel_ofports_data *data = data_;
    sset_clear(&data->tracked);
}

static char *
en_tunnel_ofports_compare(const void *a_, const void *b_)
{
    const struct en_tunnel_ofports_data *a = a_, *b = b_;

    return (simap_equal(&a->ofports, &b->ofports) ? NULL
            : xstrdup("tunnel ofports differ from recompute"));
}

/* Reads the ofport of each of our ports on the integration bridge into
 * 'data->ofports', tracking the keys whose ofport changed.  Returns true
 * if any did. */
static bool
refresh(struct engine_node *node, struct en_tunnel_ofports_data *data)
{
    const struct en_tunnel_ofports_data *own = engine_get_data(node);
    const struct en_integration_bridge_data *br
        = engine_get_input_data(node, own->in.integration_bridge);
    struct ovsdb_idl *idl = en_ovsdb_input_idl(node, own->in.ovs_bridge);
    struct shash ports = SHASH_INITIALIZER(&ports);
    struct simap ofports = SIMAP_INITIALIZER(&ofports);
    struct shash_node *node_;
    struct simap_node *sn;
    bool changed = false;

    COVERAGE_INC(tunnel_ofports_refresh);
    tunnel_sync_collect_ports(integration_bridge_find(idl, br->name),
                              &ports);
    SHASH_FOR_EACH (node_, &ports) {
        const struct ovsrec_port *port = node_->data;
        const struct ovsrec_interface *iface = port->interfaces[0];
        if (iface->n_ofport && iface->ofport[0] > 0
            && iface->ofport[0] < UINT16_MAX) {
            simap_put(&ofports, node_->name, iface->ofport[0]);
        }
    }
    SIMAP_FOR_EACH (sn, &ofports) {
        if (simap_get(&data->ofports, sn->name) != sn->data) {
            sset_add(&data->tracked, sn->name);
            changed = true;
        }
    }
    SIMAP_FOR_EACH (sn, &data->ofports) {
        if (!simap_contains(&ofports, sn->name)) {
            sset_add(&data->tracked, sn->name);
            changed = true;
        }
    }
    simap_swap(&ofports, &data->ofports);
    simap_destroy(&ofports);
    shash_destroy(&ports);
    return changed;
}

static enum engine_run_result
en_tunnel_ofports_run(struct engine_node *node, void *data,
                      const struct engine_context *ctx OVS_UNUSED)
{
    refresh(node, data);
    return ENGINE_RUN_UPDATED;
}

/* True if a changed row of the OVS tables may concern our ports: a marked
 * port (or a deleted one), an interface that is (or was) a tunnel, or a
 * bridge that appeared or went.  (A port list change comes with its Port
 * rows.) */
static bool
concerns_us(struct ovsdb_idl *idl)
{
    const struct ovsrec_interface *iface;
    const struct ovsrec_bridge *br;
    const struct ovsrec_port *port;

    OVSREC_BRIDGE_TABLE_FOR_EACH_TRACKED (br, ovsrec_bridge_table_get(idl)) {
        if (ovsrec_bridge_is_new(br) || ovsrec_bridge_is_deleted(br)) {
            return true;
        }
    }
    OVSREC_PORT_TABLE_FOR_EACH_TRACKED (port, ovsrec_port_table_get(idl)) {
        if (smap_get(&port->external_ids, CHASSIS_ID_KEY)
            || ovsrec_port_is_deleted(port)) {
            return true;
        }
    }
    OVSREC_INTERFACE_TABLE_FOR_EACH_TRACKED (iface,
                                             ovsrec_interface_table_get(idl)) {
        if (!strcmp(iface->type, "geneve") || !strcmp(iface->type, "vxlan")
            || ovsrec_interface_is_deleted(iface)) {
            return true;
        }
    }
    return false;
}

enum engine_input_result
en_tunnel_ofports_ovs_handler(struct engine_node *node, void *data,
                              const struct engine_context *ctx OVS_UNUSED)
{
    const struct en_tunnel_ofports_data *own = engine_get_data(node);
    struct ovsdb_idl *idl = en_ovsdb_input_idl(node, own->in.ovs_bridge);

    if (!concerns_us(idl)) {
        return ENGINE_INPUT_HANDLED_UNCHANGED;
    }
    return (refresh(node, data) ? ENGINE_INPUT_HANDLED_UPDATED
            : ENGINE_INPUT_HANDLED_UNCHANGED);
}

const struct engine_node_class en_tunnel_ofports_class = {
    .name = "tunnel_ofports",
    .init = en_tunnel_ofports_init,
    .cleanup = en_tunnel_ofports_cleanup,
    .run = en_tunnel_ofports_run,
    .compare = en_tunnel_ofports_compare,
    .clear_tracked = en_tunnel_ofports_clear_tracked,
};
