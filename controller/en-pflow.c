/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "pflow_output": see en-pflow.h.
 */

#include <config.h>

#include "controller/en-pflow.h"

#include <string.h>
#include "controller/en-ct-zones.h"
#include "controller/en-ctx.h"
#include "controller/en-ha.h"
#include "controller/en-ofctrl.h"
#include "controller/en-ovs-config.h"
#include "controller/en-ovsdb.h"
#include "controller/en-runtime-data.h"
#include "controller/en-tunnel-ofports.h"
#include "controller/en-tunnels.h"
#include "controller/physical.h"
#include "controller/tunnel-mesh.h"
#include "coverage.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "svec.h"
#include "util.h"
#include "uuid.h"
#include "uuidset.h"

VLOG_DEFINE_THIS_MODULE(physical);

COVERAGE_DEFINE(pflow_recompute);
COVERAGE_DEFINE(pflow_port);
COVERAGE_DEFINE(pflow_mcast);
COVERAGE_DEFINE(pflow_peer);
COVERAGE_DEFINE(pflow_warning);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Context of one run or handler call. */
struct pf_ctx {
    struct en_pflow_data *data;
    const struct en_pflow_inputs *in;
    struct physical_ctx p;
    struct svec warnings;
    bool log;
};

static void
pf_ctx_init(struct pf_ctx *c, struct engine_node *node,
            struct en_pflow_data *data, const struct engine_context *ctx)
{
    const struct en_pflow_data *own = engine_get_data(node);
    const struct en_pflow_inputs *in = &own->in;
    const struct chassis_config *cfg = en_ovs_config_get(
        engine_get_input_data(node, in->ovs_config));
    const struct en_ct_zones_data *zd
        = engine_get_input_data(node, in->ct_zones);
    const struct en_tunnel_ofports_data *ts
        = engine_get_input_data(node, in->tunnel_ofports);
    const struct en_mff_ovn_geneve_data *gf
        = engine_get_input_data(node, in->mff_ovn_geneve);

    c->data = data;
    c->in = in;
    svec_init(&c->warnings);
    c->log = !en_ctx_is_shadow(ctx);
    c->p = (struct physical_ctx) {
        .cfg = cfg,
        .chassis_name = cfg->system_id,
        .rtd = engine_get_input_data(node, in->runtime_data),
        .zones = zd->zones,
        .mesh = en_tunnels_get_mesh(engine_get_input_data(node,
                                                          in->tunnels)),
        .tunnel_ofports = &ts->ofports,
        .patch_ofports = &ts->patch_ofports,
        .geneve_field = gf->field,
        .sb_idl = en_ovsdb_input_idl(node, in->sb_port_binding),
        .pb_by_datapath = in->pb_by_datapath,
        .warnings = &c->warnings,
    };
    if (in->ha) {
        const struct en_ha_data *ha = engine_get_input_data(node, in->ha);
        c->p.ha = &ha->state;
        if (ha->encap_bfd) {
            c->p.nic_live = ha->nic_live;
            c->p.n_nics = ha->n_nics;
            c->p.dead_paths = &ha->dead_paths;
        }
    }
    flow_table_set_gen(&data->flows, en_ctx_gen(ctx));
}

/* Logs what the physical module found wrong (not in shadow runs). */
static void
pf_ctx_finish(struct pf_ctx *c)
{
    for (size_t i = 0; i < c->warnings.n; i++) {
        COVERAGE_INC(pflow_warning);
        if (c->log) {
            VLOG_WARN_RL(&rl, "%s", c->warnings.names[i]);
        }
    }
    svec_destroy(&c->warnings);
}

/* Dependencies on remote chassis. */

static void
pf_add_dep(struct pf_ctx *c, const char *chassis, const struct uuid *owner)
{
    struct uuidset *owners = shash_find_data(&c->data->deps, chassis);

    if (!owners) {
        owners = xmalloc(sizeof *owners);
        uuidset_init(owners);
        shash_add(&c->data->deps, chassis, owners);
    }
    uuidset_insert(owners, owner);
}

/* Records the remote chassis a port's flows depend on. */
static void
pf_note_port_deps(struct pf_ctx *c, const struct sbrec_port_binding *pb)
{
    const struct uuid *owner = &pb->header_.uuid;

    if (pb->chassis) {
        pf_add_dep(c, pb->chassis->name, owner);
    }
    for (size_t i = 0; i < pb->n_additional_chassis; i++) {
        pf_add_dep(c, pb->additional_chassis[i]->name, owner);
    }
    for (size_t i = 0; i < pb->n_gateway_chassis; i++) {
        if (pb->gateway_chassis[i]->chassis) {
            pf_add_dep(c, pb->gateway_chassis[i]->chassis->name, owner);
        }
    }
    if (pb->ha_chassis_group) {
        const struct sbrec_ha_chassis_group *g = pb->ha_chassis_group;
        for (size_t i = 0; i < g->n_ha_chassis; i++) {
            if (g->ha_chassis[i]->chassis) {
                pf_add_dep(c, g->ha_chassis[i]->chassis->name, owner);
            }
        }
    }
}

static void
pf_note_mcast_deps(struct pf_ctx *c, const struct sbrec_multicast_group *mg)
{
    for (size_t i = 0; i < mg->n_ports; i++) {
        const struct sbrec_port_binding *pb = mg->ports[i];
        if (pb->chassis) {
            pf_add_dep(c, pb->chassis->name, &mg->header_.uuid);
        }
        for (size_t j = 0; j < pb->n_additional_chassis; j++) {
            pf_add_dep(c, pb->additional_chassis[j]->name,
                       &mg->header_.uuid);
        }
    }
}

static void
pf_clear_deps(struct en_pflow_data *data)
{
    struct shash_node *node;

    SHASH_FOR_EACH_SAFE (node, &data->deps) {
        uuidset_destroy(node->data);
        free(node->data);
        shash_delete(&data->deps, node);
    }
}

/* Rebuilding one owner's flows. */

static bool
pf_is_local(const struct pf_ctx *c, const struct sbrec_datapath_binding *dp)
{
    return dp && runtime_data_find_datapath(c->p.rtd, &dp->header_.uuid);
}

static void
pf_add_port(struct pf_ctx *c, const struct sbrec_port_binding *pb)
{
    if (pf_is_local(c, pb->datapath)) {
        physical_add_port(&c->p, pb, &c->data->flows);
        pf_note_port_deps(c, pb);
    }
}

static void
pf_add_mcast(struct pf_ctx *c, const struct sbrec_multicast_group *mg)
{
    if (pf_is_local(c, mg->datapath)) {
        physical_add_mcast(&c->p, mg, &c->data->flows);
        pf_note_mcast_deps(c, mg);
    }
}

/* Rebuilds the flows of Port_Binding 'pb'. */
static void
pf_redo_port(struct pf_ctx *c, const struct sbrec_port_binding *pb)
{
    COVERAGE_INC(pflow_port);
    flow_table_begin(&c->data->flows, &pb->header_.uuid);
    pf_add_port(c, pb);
    flow_table_end(&c->data->flows, &pb->header_.uuid);
}

static void
pf_redo_mcast(struct pf_ctx *c, const struct sbrec_multicast_group *mg)
{
    COVERAGE_INC(pflow_mcast);
    flow_table_begin(&c->data->flows, &mg->header_.uuid);
    pf_add_mcast(c, mg);
    flow_table_end(&c->data->flows, &mg->header_.uuid);
}

/* Rebuilds the flows of the owner 'u': a Port_Binding or a
 * Multicast_Group, or a row that is gone. */
static void
pf_redo_owner(struct pf_ctx *c, const struct uuid *u)
{
    const struct sbrec_port_binding *pb
        = sbrec_port_binding_get_for_uuid(c->p.sb_idl, u);
    const struct sbrec_multicast_group *mg
        = pb ? NULL : sbrec_multicast_group_get_for_uuid(c->p.sb_idl, u);

    if (pb) {
        pf_redo_port(c, pb);
    } else if (mg) {
        pf_redo_mcast(c, mg);
    } else {
        flow_table_remove_owner(&c->data->flows, u);
    }
}

/* Rebuilds the multicast groups of datapath 'dp'. */
static void
pf_redo_mcasts_of(struct pf_ctx *c, const struct sbrec_datapath_binding *dp)
{
    struct sbrec_multicast_group *key
        = sbrec_multicast_group_index_init_row(c->in->mg_by_datapath);
    const struct sbrec_multicast_group *mg;

    sbrec_multicast_group_index_set_datapath(key, dp);
    SBREC_MULTICAST_GROUP_FOR_EACH_EQUAL (mg, key, c->in->mg_by_datapath) {
        pf_redo_mcast(c, mg);
    }
    sbrec_multicast_group_index_destroy_row(key);
}

/* Rebuilds the ports of datapath 'dp' of type 'type'. */
static void
pf_redo_type_of(struct pf_ctx *c, const struct sbrec_datapath_binding *dp,
                const char *type)
{
    struct sbrec_port_binding *key
        = sbrec_port_binding_index_init_row(c->in->pb_by_datapath);
    const struct sbrec_port_binding *pb;

    sbrec_port_binding_index_set_datapath(key, dp);
    SBREC_PORT_BINDING_FOR_EACH_EQUAL (pb, key, c->in->pb_by_datapath) {
        if (!strcmp(pb->type, type)) {
            pf_redo_port(c, pb);
        }
    }
    sbrec_port_binding_index_destroy_row(key);
}

/* Rebuilds every port and group of datapath 'dp' (which became local or
 * stopped being local, or whose ports all changed). */
static void
pf_redo_datapath(struct pf_ctx *c, const struct sbrec_datapath_binding *dp)
{
    struct sbrec_port_binding *key
        = sbrec_port_binding_index_init_row(c->in->pb_by_datapath);
    const struct sbrec_port_binding *pb;

    sbrec_port_binding_index_set_datapath(key, dp);
    SBREC_PORT_BINDING_FOR_EACH_EQUAL (pb, key, c->in->pb_by_datapath) {
        pf_redo_port(c, pb);
    }
    sbrec_port_binding_index_destroy_row(key);
    pf_redo_mcasts_of(c, dp);
}

/* Rebuilds the flows of remote chassis 'name' and of every owner that
 * sends to it. */
static void
pf_redo_peer(struct pf_ctx *c, const char *name)
{
    const struct tunnel_mesh_peer *peer = tunnel_mesh_find_peer(c->p.mesh,
                                                                name);
    struct uuidset *owners = shash_find_data(&c->data->deps, name);
    struct uuid owner;

    COVERAGE_INC(pflow_peer);
    physical_peer_owner(name, &owner);
    flow_table_begin(&c->data->flows, &owner);
    if (peer) {
        physical_add_peer(&c->p, peer, &c->data->flows);
    }
    flow_table_end(&c->data->flows, &owner);

    if (owners) {
        struct uuid *list = uuidset_array(owners);
        size_t n = uuidset_count(owners);
        for (size_t i = 0; i < n; i++) {
            pf_redo_owner(c, &list[i]);
        }
        free(list);
    }
}

/* Rebuilds the flows owned by remote chassis 'name' only (table 80,
 * decapsulation), not those of the ports that send to it. */
static void
pf_redo_peer_flows(struct pf_ctx *c, const char *name)
{
    const struct tunnel_mesh_peer *peer = tunnel_mesh_find_peer(c->p.mesh,
                                                                name);
    struct uuid owner;

    COVERAGE_INC(pflow_peer);
    physical_peer_owner(name, &owner);
    flow_table_begin(&c->data->flows, &owner);
    if (peer) {
        physical_add_peer(&c->p, peer, &c->data->flows);
    }
    flow_table_end(&c->data->flows, &owner);
}

/* Rebuilds the flows of the flow-based tunnel ports. */
static void
pf_redo_flow_based(struct pf_ctx *c)
{
    const struct tunnel_mesh_port *port;

    HMAP_FOR_EACH (port, node, &c->p.mesh->ports) {
        struct uuid owner;
        physical_port_owner(port->key, &owner);
        flow_table_remove_owner(&c->data->flows, &owner);
    }
    physical_add_flow_based(&c->p, &c->data->flows);
}

/* The node. */

static void *
en_pflow_init(void *arg)
{
    struct en_pflow_data *data = xzalloc(sizeof *data);

    if (arg) {
        data->in = *(const struct en_pflow_inputs *) arg;
    }
    flow_table_init(&data->flows);
    shash_init(&data->deps);
    return data;
}

static void
en_pflow_cleanup(void *data_)
{
    struct en_pflow_data *data = data_;

    if (data) {
        flow_table_destroy(&data->flows);
        pf_clear_deps(data);
        shash_destroy(&data->deps);
        free(data);
    }
}

static char *
en_pflow_compare(const void *a_, const void *b_)
{
    const struct en_pflow_data *a = a_, *b = b_;
    return flow_table_compare(&a->flows, &b->flows);
}

static enum engine_run_result
en_pflow_run(struct engine_node *node, void *data_,
             const struct engine_context *ctx)
{
    struct en_pflow_data *data = data_;
    const struct tunnel_mesh_peer *peer;
    const struct local_datapath *ld;
    struct pf_ctx c;

    COVERAGE_INC(pflow_recompute);
    pf_ctx_init(&c, node, data, ctx);
    pf_clear_deps(data);
    flow_table_begin(&data->flows, NULL);
    physical_add_static(&c.p, &data->flows);
    HMAP_FOR_EACH (ld, node, &c.p.rtd->dps) {
        const struct sbrec_datapath_binding *dp
            = sbrec_datapath_binding_get_for_uuid(c.p.sb_idl, &ld->uuid);
        if (!dp) {
            continue;
        }
        struct sbrec_port_binding *key
            = sbrec_port_binding_index_init_row(c.in->pb_by_datapath);
        const struct sbrec_port_binding *pb;
        sbrec_port_binding_index_set_datapath(key, dp);
        SBREC_PORT_BINDING_FOR_EACH_EQUAL (pb, key, c.in->pb_by_datapath) {
            pf_add_port(&c, pb);
        }
        sbrec_port_binding_index_destroy_row(key);

        struct sbrec_multicast_group *mkey
            = sbrec_multicast_group_index_init_row(c.in->mg_by_datapath);
        const struct sbrec_multicast_group *mg;
        sbrec_multicast_group_index_set_datapath(mkey, dp);
        SBREC_MULTICAST_GROUP_FOR_EACH_EQUAL (mg, mkey,
                                              c.in->mg_by_datapath) {
            pf_add_mcast(&c, mg);
        }
        sbrec_multicast_group_index_destroy_row(mkey);
    }
    HMAP_FOR_EACH (peer, node, &c.p.mesh->peers) {
        physical_add_peer(&c.p, peer, &data->flows);
    }
    physical_add_flow_based(&c.p, &data->flows);
    flow_table_end(&data->flows, NULL);
    pf_ctx_finish(&c);
    return ENGINE_RUN_UPDATED;
}

/* Ends a handler: the data changed if any flow became dirty. */
static enum engine_input_result
pf_handled(struct pf_ctx *c)
{
    bool changed = !ovs_list_is_empty(&c->data->flows.dirty_flows);

    pf_ctx_finish(c);
    return (changed ? ENGINE_INPUT_HANDLED_UPDATED
            : ENGINE_INPUT_HANDLED_UNCHANGED);
}

enum engine_input_result
en_pflow_runtime_data_handler(struct engine_node *node, void *data_,
                              const struct engine_context *ctx)
{
    struct en_pflow_data *data = data_;
    const struct ed_runtime_data *rtd
        = engine_get_input_data(node, data->in.runtime_data);
    const struct uuidset_node *un;
    struct sset dps = SSET_INITIALIZER(&dps);
    const char *lport;
    struct pf_ctx c;

    if (rtd->recomputed) {
        sset_destroy(&dps);
        return ENGINE_INPUT_UNHANDLED;
    }
    pf_ctx_init(&c, node, data, ctx);
    UUIDSET_FOR_EACH (un, &rtd->tracked_dps) {
        const struct sbrec_datapath_binding *dp
            = sbrec_datapath_binding_get_for_uuid(c.p.sb_idl, &un->uuid);
        if (dp) {
            pf_redo_datapath(&c, dp);
        }
    }
    SSET_FOR_EACH (lport, &rtd->tracked_lports) {
        const struct uuid *u = shash_find_data(&rtd->pb_by_name, lport);
        const struct sbrec_port_binding *pb
            = u ? sbrec_port_binding_get_for_uuid(c.p.sb_idl, u) : NULL;
        if (pb) {
            pf_redo_port(&c, pb);
            if (pb->parent_port && pb->parent_port[0]) {
                /* The parent's flows know whether it has containers. */
                const struct uuid *pu = shash_find_data(&rtd->pb_by_name,
                                                        pb->parent_port);
                const struct sbrec_port_binding *parent
                    = pu ? sbrec_port_binding_get_for_uuid(c.p.sb_idl, pu)
                         : NULL;
                if (parent) {
                    pf_redo_port(&c, parent);
                }
            }
            if (pb->datapath
                && !uuidset_contains(&rtd->tracked_dps,
                                     &pb->datapath->header_.uuid)) {
                sset_add_and_free(&dps, xasprintf(
                    UUID_FMT, UUID_ARGS(&pb->datapath->header_.uuid)));
            }
        }
    }
    /* A port bound or released here joins or leaves its groups' local
     * output. */
    const char *dp_name;
    SSET_FOR_EACH (dp_name, &dps) {
        struct uuid u;
        if (uuid_from_string(&u, dp_name)) {
            const struct sbrec_datapath_binding *dp
                = sbrec_datapath_binding_get_for_uuid(c.p.sb_idl, &u);
            if (dp) {
                pf_redo_mcasts_of(&c, dp);
            }
        }
    }
    sset_destroy(&dps);
    return pf_handled(&c);
}

enum engine_input_result
en_pflow_ct_zones_handler(struct engine_node *node, void *data_,
                          const struct engine_context *ctx)
{
    struct en_pflow_data *data = data_;
    const struct en_ct_zones_data *zd
        = engine_get_input_data(node, data->in.ct_zones);
    const char *name;
    struct pf_ctx c;

    /* A datapath's own zones reach its patch peers too: recompute. */
    SSET_FOR_EACH (name, &zd->tracked_names) {
        size_t len = strlen(name);
        if (len > 5 && (!strcmp(name + len - 5, "_dnat")
                        || !strcmp(name + len - 5, "_snat"))) {
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    pf_ctx_init(&c, node, data, ctx);
    SSET_FOR_EACH (name, &zd->tracked_names) {
        const struct uuid *u = shash_find_data(&c.p.rtd->pb_by_name, name);
        const struct sbrec_port_binding *pb
            = u ? sbrec_port_binding_get_for_uuid(c.p.sb_idl, u) : NULL;
        if (pb) {
            pf_redo_port(&c, pb);
            if (pb->datapath) {
                pf_redo_mcasts_of(&c, pb->datapath);
            }
        }
    }
    return pf_handled(&c);
}

enum engine_input_result
en_pflow_tunnels_handler(struct engine_node *node, void *data_,
                         const struct engine_context *ctx)
{
    struct en_pflow_data *data = data_;
    const struct en_tunnels_data *td
        = engine_get_input_data(node, data->in.tunnels);
    const char *name;
    struct pf_ctx c;

    if (td->recomputed) {
        return ENGINE_INPUT_UNHANDLED;
    }
    pf_ctx_init(&c, node, data, ctx);
    SSET_FOR_EACH (name, &td->tracked_peers) {
        pf_redo_peer(&c, name);
    }
    if (c.p.mesh->flow_based && !sset_is_empty(&td->tracked_peers)) {
        pf_redo_flow_based(&c);
    }
    return pf_handled(&c);
}

enum engine_input_result
en_pflow_tunnel_ofports_handler(struct engine_node *node, void *data_,
                                const struct engine_context *ctx)
{
    struct en_pflow_data *data = data_;
    const struct en_tunnel_ofports_data *ts
        = engine_get_input_data(node, data->in.tunnel_ofports);
    struct sset peers = SSET_INITIALIZER(&peers);
    bool flow_based = false;
    const char *key;
    struct pf_ctx c;

    if (ts->patch_changed) {
        /* A provider network appeared or went: every switch with a
         * localnet port reaches its remote ports another way. */
        sset_destroy(&peers);
        return ENGINE_INPUT_UNHANDLED;
    }
    pf_ctx_init(&c, node, data, ctx);
    SSET_FOR_EACH (key, &ts->tracked) {
        const struct tunnel_mesh_path *path
            = tunnel_mesh_find_path(c.p.mesh, key);
        if (path) {
            sset_add(&peers, path->peer->name);
        } else if (tunnel_mesh_find_port(c.p.mesh, key)) {
            flow_based = true;
        }
    }
    if (flow_based) {
        /* The fallback flows of every peer output to the flow-based
         * port too. */
        const struct tunnel_mesh_peer *peer;
        HMAP_FOR_EACH (peer, node, &c.p.mesh->peers) {
            sset_add(&peers, peer->name);
        }
        pf_redo_flow_based(&c);
    }
    SSET_FOR_EACH (key, &peers) {
        pf_redo_peer(&c, key);
    }
    sset_destroy(&peers);
    return pf_handled(&c);
}

enum engine_input_result
en_pflow_sb_port_binding_handler(struct engine_node *node, void *data_,
                                 const struct engine_context *ctx)
{
    struct en_pflow_data *data = data_;
    const struct sbrec_port_binding *pb;
    struct pf_ctx c;

    pf_ctx_init(&c, node, data, ctx);
    SBREC_PORT_BINDING_TABLE_FOR_EACH_TRACKED (
        pb, sbrec_port_binding_table_get(c.p.sb_idl)) {
        if (sbrec_port_binding_is_deleted(pb)) {
            flow_table_remove_owner(&data->flows, &pb->header_.uuid);
        } else {
            pf_redo_port(&c, pb);
        }
        if (!pf_is_local(&c, pb->datapath)) {
            continue;
        }
        /* A patch port's peer reaches it only once both exist; a group
         * sends to the chassis of its ports. */
        const char *peer_name = smap_get(&pb->options, "peer");
        const struct uuid *u = (peer_name
                                ? shash_find_data(&c.p.rtd->pb_by_name,
                                                  peer_name)
                                : NULL);
        const struct sbrec_port_binding *peer
            = u ? sbrec_port_binding_get_for_uuid(c.p.sb_idl, u) : NULL;
        if (peer) {
            pf_redo_port(&c, peer);
        }
        if (!strcmp(pb->type, "patch")) {
            /* It may be a chassisredirect port's distributed port, or the
             * router port whose MAC a localnet port's flows replace. */
            pf_redo_type_of(&c, pb->datapath, "chassisredirect");
            pf_redo_type_of(&c, pb->datapath, "localnet");
        }
        pf_redo_mcasts_of(&c, pb->datapath);
    }
    return pf_handled(&c);
}

enum engine_input_result
en_pflow_sb_multicast_group_handler(struct engine_node *node, void *data_,
                                    const struct engine_context *ctx)
{
    struct en_pflow_data *data = data_;
    const struct sbrec_multicast_group *mg;
    struct pf_ctx c;

    pf_ctx_init(&c, node, data, ctx);
    SBREC_MULTICAST_GROUP_TABLE_FOR_EACH_TRACKED (
        mg, sbrec_multicast_group_table_get(c.p.sb_idl)) {
        if (sbrec_multicast_group_is_deleted(mg)) {
            flow_table_remove_owner(&data->flows, &mg->header_.uuid);
        } else {
            pf_redo_mcast(&c, mg);
        }
    }
    return pf_handled(&c);
}

enum engine_input_result
en_pflow_sb_chassis_handler(struct engine_node *node, void *data_,
                            const struct engine_context *ctx)
{
    struct en_pflow_data *data = data_;
    struct ovsdb_idl *sb_idl = en_ovsdb_input_idl(node,
                                                  data->in.sb_port_binding);
    const struct sbrec_chassis *ch;
    const struct local_datapath *ld;
    bool macs_changed = false;
    struct pf_ctx c;

    /* Only the chassis MACs matter here (the tunnels come through the
     * "tunnels" node). */
    const struct sbrec_chassis_table *chassis_table
        = sbrec_chassis_table_get(sb_idl);
    SBREC_CHASSIS_TABLE_FOR_EACH_TRACKED (ch, chassis_table) {
        macs_changed |= (sbrec_chassis_is_new(ch)
                         || sbrec_chassis_is_deleted(ch)
                         || sbrec_chassis_is_updated(
                             ch, SBREC_CHASSIS_COL_OTHER_CONFIG));
    }
    if (!macs_changed) {
        return ENGINE_INPUT_HANDLED_UNCHANGED;
    }
    pf_ctx_init(&c, node, data, ctx);
    HMAP_FOR_EACH (ld, node, &c.p.rtd->dps) {
        const struct sbrec_datapath_binding *dp
            = sbrec_datapath_binding_get_for_uuid(c.p.sb_idl, &ld->uuid);
        if (dp && runtime_data_localnets(c.p.rtd, &ld->uuid)) {
            pf_redo_type_of(&c, dp, "localnet");
        }
    }
    return pf_handled(&c);
}

enum engine_input_result
en_pflow_ha_handler(struct engine_node *node, void *data_,
                    const struct engine_context *ctx)
{
    struct en_pflow_data *data = data_;
    const struct en_ha_data *ha = engine_get_input_data(node, data->in.ha);
    const struct local_datapath *ld;
    const char *name;
    struct pf_ctx c;

    pf_ctx_init(&c, node, data, ctx);
    if (ha->nics_changed) {
        const struct shash_node *sn;
        SHASH_FOR_EACH (sn, &c.p.rtd->bindings) {
            const struct local_binding *lb = sn->data;
            const struct sbrec_port_binding *pb
                = sbrec_port_binding_get_for_uuid(c.p.sb_idl, &lb->pb_uuid);
            if (pb && lb->iface) {
                pf_redo_port(&c, pb);
            }
        }
        const struct tunnel_mesh_peer *peer;
        HMAP_FOR_EACH (peer, node, &c.p.mesh->peers) {
            pf_redo_peer_flows(&c, peer->name);
        }
    } else {
        SSET_FOR_EACH (name, &ha->tracked_peers) {
            pf_redo_peer_flows(&c, name);
        }
    }
    /* HA bundles list the live members, and under NIC failover every
     * path to each. */
    if (ha->gateways_changed || ha->nics_changed
        || !sset_is_empty(&ha->tracked_peers)) {
        HMAP_FOR_EACH (ld, node, &c.p.rtd->dps) {
            const struct sbrec_datapath_binding *dp
                = sbrec_datapath_binding_get_for_uuid(c.p.sb_idl, &ld->uuid);
            if (dp) {
                pf_redo_type_of(&c, dp, "chassisredirect");
            }
        }
    }
    return pf_handled(&c);
}

struct flow_table *
en_pflow_get_flows(void *data_)
{
    struct en_pflow_data *data = data_;
    return &data->flows;
}

const struct engine_node_class en_pflow_class = {
    .name = "pflow_output",
    .init = en_pflow_init,
    .cleanup = en_pflow_cleanup,
    .run = en_pflow_run,
    .compare = en_pflow_compare,
};
