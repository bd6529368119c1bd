/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "tunnels": see en-tunnels.h.
 */

#include <config.h>

#include "controller/en-tunnels.h"

#include <string.h>
#include "controller/en-ctx.h"
#include "controller/en-integration-bridge.h"
#include "controller/en-ovs-config.h"
#include "controller/en-ovsdb.h"
#include "coverage.h"
#include "hmapx.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(en_tunnels);

COVERAGE_DEFINE(tunnels_recompute);
COVERAGE_DEFINE(tunnels_peer_update);
COVERAGE_DEFINE(tunnels_skip_warned);

/* What a run or handler of "tunnels" reads. */
struct tn_ctx {
    const struct chassis_config *cfg;
    struct ovsdb_idl *sb_idl;
};

static void
tn_ctx_init(struct tn_ctx *c, struct engine_node *node)
{
    const struct en_tunnels_data *own = engine_get_data(node);
    const struct en_tunnels_inputs *in = &own->in;

    c->cfg = en_ovs_config_get(engine_get_input_data(node, in->ovs_config));
    c->sb_idl = en_ovsdb_input_idl(node, in->sb_chassis);
}

/* Converting SB rows into the plain structs of tunnel-mesh.h. */

/* Fills 'r' from 'row'; 'r->encaps' is malloc'd, to free with
 * remote_destroy(). */
static void
remote_from_row(const struct sbrec_chassis *row,
                struct tunnel_mesh_remote *r)
{
    struct tunnel_mesh_remote_encap *encaps
        = xcalloc(row->n_encaps + 1, sizeof *encaps);

    for (size_t i = 0; i < row->n_encaps; i++) {
        const struct sbrec_encap *e = row->encaps[i];
        encaps[i] = (struct tunnel_mesh_remote_encap) {
            .type = e->type,
            .ip = e->ip,
            .chassis_name = e->chassis_name,
            .options = &e->options,
        };
    }
    *r = (struct tunnel_mesh_remote) {
        .name = row->name,
        .transport_zones = row->transport_zones,
        .n_transport_zones = row->n_transport_zones,
        .encaps = encaps,
        .n_encaps = row->n_encaps,
    };
}

static void
remote_destroy(struct tunnel_mesh_remote *r)
{
    free(CONST_CAST(struct tunnel_mesh_remote_encap *, r->encaps));
}

/* Logging. */

static void
log_peer_skips(const struct tunnel_mesh_peer *peer)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(20, 20);

    for (size_t i = 0; i < peer->n_skips; i++) {
        const struct tunnel_mesh_skip *s = &peer->skips[i];
        if (s->misconfig) {
            COVERAGE_INC(tunnels_skip_warned);
            VLOG_WARN_RL(&rl, "chassis %s: skipping %s: %s", s->chassis,
                         s->what, s->reason);
        } else {
            VLOG_DBG("chassis %s: no tunnel for %s: %s", s->chassis,
                     s->what, s->reason);
        }
    }
}

static void
log_flow_based(struct en_tunnels_data *data)
{
    if (data->mesh->flow_based && !data->warned_flow_based) {
        VLOG_WARN("flow-based tunnels: one port per encap type serves "
                  "every peer, so per-peer BFD is not available, and the "
                  "csum and dst_port options of remote encaps are not "
                  "applied");
        data->warned_flow_based = true;
    } else if (!data->mesh->flow_based) {
        data->warned_flow_based = false;
    }
}

/* The node. */

static void *
en_tunnels_init(void *arg)
{
    struct en_tunnels_data *data = xzalloc(sizeof *data);

    if (arg) {
        data->in = *(const struct en_tunnels_inputs *) arg;
    }
    data->mesh = xmalloc(sizeof *data->mesh);
    tunnel_mesh_init(data->mesh);
    sset_init(&data->tracked_peers);
    return data;
}

static void
en_tunnels_cleanup(void *data_)
{
    struct en_tunnels_data *data = data_;

    if (data) {
        tunnel_mesh_destroy(data->mesh);
        free(data->mesh);
        sset_destroy(&data->tracked_peers);
        free(data);
    }
}

static void
en_tunnels_clear_tracked(void *data_)
{
    struct en_tunnels_data *data = data_;

    sset_clear(&data->tracked_peers);
    data->recomputed = false;
}

static char *
en_tunnels_compare(const void *a_, const void *b_)
{
    const struct en_tunnels_data *a = a_, *b = b_;
    return tunnel_mesh_compare(a->mesh, b->mesh);
}

/* Computes the whole mesh from the SB Chassis table into a new mesh. */
static struct tunnel_mesh *
compute_mesh(const struct tn_ctx *c)
{
    const struct sbrec_chassis_table *table
        = sbrec_chassis_table_get(c->sb_idl);
    const struct sbrec_chassis *row;
    size_t n = 0, allocated = 0;
    struct tunnel_mesh_remote *remotes = NULL;

    SBREC_CHASSIS_TABLE_FOR_EACH (row, table) {
        if (n >= allocated) {
            remotes = x2nrealloc(remotes, &allocated, sizeof *remotes);
        }
        remote_from_row(row, &remotes[n++]);
    }

    struct tunnel_mesh *mesh = xmalloc(sizeof *mesh);
    tunnel_mesh_init(mesh);
    tunnel_mesh_compute(mesh, c->cfg, remotes, n);

    for (size_t i = 0; i < n; i++) {
        remote_destroy(&remotes[i]);
    }
    free(remotes);
    return mesh;
}

static enum engine_run_result
en_tunnels_run(struct engine_node *node, void *data_,
               const struct engine_context *ctx)
{
    struct en_tunnels_data *data = data_;
    struct tn_ctx c;

    COVERAGE_INC(tunnels_recompute);
    tn_ctx_init(&c, node);

    bool was_ready = data->sb_ready;
    data->sb_ready = ovsdb_idl_has_ever_connected(c.sb_idl);
    struct tunnel_mesh *mesh = compute_mesh(&c);
    char *diff = tunnel_mesh_compare(data->mesh, mesh);
    /* Becoming ready changes what tunnel_sync may do even if the mesh is
     * still empty: stale ports can go. */
    bool changed = diff != NULL || was_ready != data->sb_ready;
    free(diff);
    tunnel_mesh_destroy(data->mesh);
    free(data->mesh);
    data->mesh = mesh;
    data->recomputed = true;

    if (!en_ctx_is_shadow(ctx)) {
        const struct tunnel_mesh_peer *peer;
        HMAP_FOR_EACH (peer, node, &mesh->peers) {
            log_peer_skips(peer);
        }
        log_flow_based(data);
    }
    return changed ? ENGINE_RUN_UPDATED : ENGINE_RUN_UNCHANGED;
}

/* Folds the change of chassis 'name' into the mesh: 'row' is its new
 * content, NULL if it is gone.  Returns false if the whole mesh must be
 * recomputed. */
static bool
update_peer(const struct tn_ctx *c, struct en_tunnels_data *data,
            const char *name, const struct sbrec_chassis *row,
            bool *changed)
{
    struct tunnel_mesh_remote r;
    bool peer_changed;

    if (row) {
        remote_from_row(row, &r);
    }
    bool ok = tunnel_mesh_update_peer(data->mesh, c->cfg, name,
                                      row ? &r : NULL, &peer_changed);
    if (row) {
        remote_destroy(&r);
    }
    if (ok && peer_changed) {
        const struct tunnel_mesh_peer *peer
            = tunnel_mesh_find_peer(data->mesh, name);
        COVERAGE_INC(tunnels_peer_update);
        if (peer) {
            log_peer_skips(peer);
        }
        sset_add(&data->tracked_peers, name);
        *changed = true;
    }
    return ok;
}

static enum engine_input_result
handler_result(bool changed)
{
    return changed ? ENGINE_INPUT_HANDLED_UPDATED
                   : ENGINE_INPUT_HANDLED_UNCHANGED;
}

enum engine_input_result
en_tunnels_sb_chassis_handler(struct engine_node *node, void *data_,
                              const struct engine_context *ctx)
{
    struct en_tunnels_data *data = data_;
    const struct sbrec_chassis *row;
    bool changed = false;
    struct tn_ctx c;

    if (!data->sb_ready) {
        return ENGINE_INPUT_UNHANDLED;
    }
    tn_ctx_init(&c, node);
    const struct sbrec_chassis_table *table
        = sbrec_chassis_table_get(c.sb_idl);

    /* Deletions first, so that a row deleted and another inserted with the
     * same name in one batch leave the new one. */
    SBREC_CHASSIS_TABLE_FOR_EACH_TRACKED (row, table) {
        if (sbrec_chassis_is_deleted(row)
            && !EN_FAULT(ctx, 2)    /* Planted bug 2: ignore a deletion. */
            && !update_peer(&c, data, row->name, NULL, &changed)) {
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    SBREC_CHASSIS_TABLE_FOR_EACH_TRACKED (row, table) {
        if (sbrec_chassis_is_deleted(row)) {
            continue;
        }
        if (!sbrec_chassis_is_new(row)
            && sbrec_chassis_is_updated(row, SBREC_CHASSIS_COL_NAME)) {
            /* Renamed: the old name is gone from the row. */
            return ENGINE_INPUT_UNHANDLED;
        }
        if (!update_peer(&c, data, row->name, row, &changed)) {
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    return handler_result(changed);
}

enum engine_input_result
en_tunnels_sb_encap_handler(struct engine_node *node, void *data_,
                            const struct engine_context *ctx OVS_UNUSED)
{
    struct en_tunnels_data *data = data_;
    struct hmapx changed_encaps = HMAPX_INITIALIZER(&changed_encaps);
    const struct sbrec_encap *encap;
    const struct sbrec_chassis *row;
    bool changed = false, ok = true;
    struct tn_ctx c;

    if (!data->sb_ready) {
        return ENGINE_INPUT_UNHANDLED;
    }
    tn_ctx_init(&c, node);

    /* A new or deleted Encap comes with a change of the Chassis that lists
     * it, which the Chassis handler folds in; here only Encap rows that
     * changed in place matter. */
    SBREC_ENCAP_TABLE_FOR_EACH_TRACKED (encap,
                                        sbrec_encap_table_get(c.sb_idl)) {
        if (!sbrec_encap_is_deleted(encap)) {
            hmapx_add(&changed_encaps, CONST_CAST(struct sbrec_encap *,
                                                  encap));
        }
    }
    if (!hmapx_is_empty(&changed_encaps)) {
        SBREC_CHASSIS_FOR_EACH (row, c.sb_idl) {
            for (size_t i = 0; ok && i < row->n_encaps; i++) {
                if (hmapx_contains(&changed_encaps, row->encaps[i])) {
                    ok = update_peer(&c, data, row->name, row, &changed);
                    break;
                }
            }
        }
    }
    hmapx_destroy(&changed_encaps);
    return ok ? handler_result(changed) : ENGINE_INPUT_UNHANDLED;
}

const struct tunnel_mesh *
en_tunnels_get_mesh(const void *data_)
{
    const struct en_tunnels_data *data = data_;
    return data->mesh;
}

const struct engine_node_class en_tunnels_class = {
    .name = "tunnels",
    .init = en_tunnels_init,
    .cleanup = en_tunnels_cleanup,
    .run = en_tunnels_run,
    .compare = en_tunnels_compare,
    .clear_tracked = en_tunnels_clear_tracked,
};
