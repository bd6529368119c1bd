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
#include "controller/patch-sync.h"
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
    simap_init(&data->patch_ofports);
    return data;
}

static void
en_tunnel_ofports_cleanup(void *data_)
{
    struct en_tunnel_ofports_data *data = data_;

    if (data) {
        simap_destroy(&data->ofports);
        sset_destroy(&data->tracked);
        simap_destroy(&data->patch_ofports);
        free(data);
    }
}

static void
en_tunnel_ofports_clear_tracked(void *data_)
{
    struct en_tunnel_ofports_data *data = data_;
    sset_clear(&data->tracked);
    data->patch_changed = false;
}

static char *
en_tunnel_ofports_compare(const void *a_, const void *b_)
{
    const struct en_tunnel_ofports_data *a = a_, *b = b_;

    return (!simap_equal(&a->ofports, &b->ofports)
            ? xstrdup("tunnel ofports differ from recompute")
            : !simap_equal(&a->patch_ofports, &b->patch_ofports)
            ? xstrdup("patch port ofports differ from recompute")
            : NULL);
}

/* Returns the usable ofport of 'port''s only interface, or 0. */
static int
port_ofport(const struct ovsrec_port *port)
{
    const struct ovsrec_interface *iface = port->interfaces[0];

    return (iface->n_ofport && iface->ofport[0] > 0
            && iface->ofport[0] < UINT16_MAX ? iface->ofport[0] : 0);
}

/* Reads the ofports of our patch ports on 'br' into 'data'.  Returns true
 * if they changed. */
static bool
refresh_patch(const struct ovsrec_bridge *br,
              struct en_tunnel_ofports_data *data)
{
    struct simap ofports = SIMAP_INITIALIZER(&ofports);
    bool changed;

    for (size_t i = 0; br && i < br->n_ports; i++) {
        const char *lport;
        if (patch_sync_is_ours(br->ports[i], &lport, NULL)
            && port_ofport(br->ports[i])) {
            simap_put(&ofports, lport, port_ofport(br->ports[i]));
        }
    }
    changed = !simap_equal(&ofports, &data->patch_ofports);
    simap_swap(&ofports, &data->patch_ofports);
    simap_destroy(&ofports);
    data->patch_changed |= changed;
    return changed;
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

    const struct ovsrec_bridge *br_int = integration_bridge_find(idl,
                                                                 br->name);

    COVERAGE_INC(tunnel_ofports_refresh);
    changed = refresh_patch(br_int, data);
    tunnel_sync_collect_ports(br_int, &ports);
    SHASH_FOR_EACH (node_, &ports) {
        const struct ovsrec_port *port = node_->data;
        if (port_ofport(port)) {
            simap_put(&ofports, node_->name, port_ofport(port));
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
            || smap_get(&port->external_ids, PATCH_SYNC_LOCALNET_KEY)
            || smap_get(&port->external_ids, PATCH_SYNC_L2GATEWAY_KEY)
            || ovsrec_port_is_deleted(port)) {
            return true;
        }
    }
    OVSREC_INTERFACE_TABLE_FOR_EACH_TRACKED (iface,
                                             ovsrec_interface_table_get(idl)) {
        if (!strcmp(iface->type, "geneve") || !strcmp(iface->type, "vxlan")
            || !strcmp(iface->type, "patch")
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
