/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "ha": see en-ha.h.
 */

#include <config.h>

#include "controller/en-ha.h"

#include <limits.h>
#include <string.h>
#include "controller/chassis-config.h"
#include "controller/en-bfd-status.h"
#include "controller/en-ctx.h"
#include "controller/en-ovs-config.h"
#include "controller/en-ovsdb.h"
#include "controller/en-tunnels.h"
#include "controller/tunnel-mesh.h"
#include "coverage.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "svec.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(ha);

COVERAGE_DEFINE(ha_recompute);
COVERAGE_DEFINE(ha_bad_row);
COVERAGE_DEFINE(ha_takeover);
COVERAGE_DEFINE(ha_nic_down);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* SB_Global option -> Interface bfd key (Debian's keys). */
static const char *const bfd_keys[][2] = {
    { "bfd-min-rx", "min_rx" },
    { "bfd-decay-min-rx", "decay_min_rx" },
    { "bfd-min-tx", "min_tx" },
    { "bfd-mult", "mult" },
};

/* What a run reads. */
struct ha_ctx {
    const struct chassis_config *cfg;
    const struct en_bfd_status_data *bfd;
    const struct tunnel_mesh *mesh;
    struct ovsdb_idl *sb_idl;
    bool log;
};

static void *
en_ha_init(void *arg)
{
    struct en_ha_data *data = xzalloc(sizeof *data);

    if (arg) {
        data->in = *(const struct en_ha_inputs *) arg;
    }
    ha_state_init(&data->state);
    smap_init(&data->bfd_options);
    sset_init(&data->dead_paths);
    sset_init(&data->tracked_peers);
    sset_init(&data->warned);
    return data;
}

static void
en_ha_cleanup(void *data_)
{
    struct en_ha_data *data = data_;

    if (data) {
        ha_state_destroy(&data->state);
        smap_destroy(&data->bfd_options);
        sset_destroy(&data->dead_paths);
        sset_destroy(&data->tracked_peers);
        sset_destroy(&data->warned);
        free(data->nic_live);
        free(data);
    }
}

static void
en_ha_clear_tracked(void *data_)
{
    struct en_ha_data *data = data_;

    data->gateways_changed = false;
    data->nics_changed = false;
    sset_clear(&data->tracked_peers);
}

static char *
en_ha_compare(const void *a_, const void *b_)
{
    const struct en_ha_data *a = a_, *b = b_;
    char *diff = ha_compare(&a->state, &b->state);

    if (diff) {
        return diff;
    }
    if (!smap_equal(&a->bfd_options, &b->bfd_options)
        || a->encap_bfd != b->encap_bfd) {
        return xstrdup("BFD options differ from recompute");
    }
    if (a->n_nics != b->n_nics
        || (a->n_nics && memcmp(a->nic_live, b->nic_live,
                                a->n_nics * sizeof *a->nic_live))) {
        return xstrdup("NIC liveness differs from recompute");
    }
    if (!sset_equals(&a->dead_paths, &b->dead_paths)) {
        return xstrdup("dead tunnels differ from recompute");
    }
    return NULL;
}

/* Warns once about a bad row, named by 'key'. */
static void
warn_once(struct en_ha_data *data, const struct ha_ctx *c, char *key,
          char *msg)
{
    if (c->log && sset_add(&data->warned, key)) {
        COVERAGE_INC(ha_bad_row);
        VLOG_WARN_RL(&rl, "%s", msg);
    }
    free(key);
    free(msg);
}

/* Liveness. */

/* The session of a mesh path, if BFD runs on it. */
static const struct bfd_session *
path_session(const struct ha_ctx *c, const struct tunnel_mesh_path *path)
{
    const struct bfd_session *s = (path->port
                                   ? en_bfd_status_find(c->bfd,
                                                        path->port->key)
                                   : NULL);
    return s && s->enabled ? s : NULL;
}

/* This chassis's view of peer 'chassis' (struct ha_view's 'peer'). */
static struct ha_peer_view
peer_view(const void *c_, const char *chassis)
{
    const struct ha_ctx *c = c_;
    const struct tunnel_mesh_peer *peer = tunnel_mesh_find_peer(c->mesh,
                                                                chassis);
    struct ha_peer_view pv = { .liveness = HA_LIVE_UNKNOWN,
                               .up_since = LLONG_MAX };
    const struct tunnel_mesh_path *path;

    if (!peer) {
        return pv;
    }
    LIST_FOR_EACH (path, peer_node, &peer->paths) {
        const struct bfd_session *s = path_session(c, path);
        if (!s) {
            continue;
        }
        if (s->forwarding) {
            pv.up_since = MIN(pv.up_since, s->up_since);
            pv.settled |= s->settled;
        }
        if (s->forwarding && s->stable) {
            pv.liveness = HA_LIVE_UP;
        } else if (pv.liveness != HA_LIVE_UP) {
            pv.liveness = (s->forwarding || pv.liveness == HA_LIVE_RECOVERING
                           ? HA_LIVE_RECOVERING : HA_LIVE_DOWN);
        }
    }
    return pv;
}

/* True if BFD is to run on a tunnel port of this chassis to one of
 * 'peers' (the chassis it runs BFD with), or on every tunnel port (NIC
 * failover): tunnel_sync enables it there, perhaps not yet. */
static bool
bfd_wanted(const struct ha_ctx *c, const struct sset *peers)
{
    const struct tunnel_mesh_path *path;

    if (c->cfg->flow_based_tunnels) {
        return false;
    }
    HMAP_FOR_EACH (path, node, &c->mesh->paths) {
        if (path->port && (c->cfg->encap_bfd
                           || sset_contains(peers, path->peer->name))) {
            return true;
        }
    }
    return false;
}

/* True if this chassis is ready: it runs no BFD session to a chassis of
 * the mesh and none is 'wanted' (bfd_wanted()), or one of them is up and
 * stable.  So a member that has just started is not ready, and claims
 * nothing, in the moment before tunnel_sync enables its sessions.  Sets
 * '*since' to when it became ready (struct ha_view's 'ready_since'). */
static bool
self_ready(const struct ha_ctx *c, bool wanted, long long int *since)
{
    const struct tunnel_mesh_path *path;
    bool any = wanted;

    *since = LLONG_MAX;
    HMAP_FOR_EACH (path, node, &c->mesh->paths) {
        const struct bfd_session *s = path_session(c, path);
        if (s) {
            any = true;
            if (s->stable) {
                *since = MIN(*since, (s->up_since
                                      ? s->up_since + s->hold_ms : 0));
            }
        }
    }
    if (!any) {
        *since = 0;
    }
    return !any || *since != LLONG_MAX;
}

/* Groups. */

/* Storage for the groups' inputs. */
struct groups_in {
    struct ha_group_input *v;
    size_t n, allocated;
    struct shash ports;         /* Group name -> struct svec * of ports. */
};

static struct ha_group_input *
groups_add(struct groups_in *gi)
{
    if (gi->n >= gi->allocated) {
        gi->v = x2nrealloc(gi->v, &gi->allocated, sizeof *gi->v);
    }
    memset(&gi->v[gi->n], 0, sizeof gi->v[gi->n]);
    return &gi->v[gi->n++];
}

static void
groups_add_port(struct groups_in *gi, const char *group, const char *port)
{
    struct svec *v = shash_find_data(&gi->ports, group);

    if (!v) {
        v = xmalloc(sizeof *v);
        svec_init(v);
        shash_add(&gi->ports, group, v);
    }
    svec_add(v, port);
}

static void
groups_destroy(struct groups_in *gi)
{
    struct shash_node *node;

    for (size_t i = 0; i < gi->n; i++) {
        free(CONST_CAST(struct ha_member_input *, gi->v[i].members));
        free((void *) gi->v[i].refs);
    }
    free(gi->v);
    SHASH_FOR_EACH (node, &gi->ports) {
        svec_destroy(node->data);
        free(node->data);
    }
    shash_destroy(&gi->ports);
}

/* True if a Chassis row named 'name' exists. */
static bool
chassis_exists(const struct ha_ctx *c, const char *name)
{
    const struct sbrec_chassis *ch;

    SBREC_CHASSIS_FOR_EACH (ch, c->sb_idl) {
        if (!strcmp(ch->name, name)) {
            return true;
        }
    }
    return false;
}

/* Adds the HA_Chassis_Group rows. */
static void
collect_ha_groups(struct en_ha_data *data, const struct ha_ctx *c,
                  struct groups_in *gi)
{
    const struct sbrec_ha_chassis_group *g;

    SBREC_HA_CHASSIS_GROUP_FOR_EACH (g, c->sb_idl) {
        struct ha_group_input *in = groups_add(gi);
        struct ha_member_input *members = xcalloc(g->n_ha_chassis + 1,
                                                  sizeof *members);
        const char **refs = xcalloc(g->n_ref_chassis + 1, sizeof *refs);

        in->name = g->name;
        for (size_t i = 0; i < g->n_ha_chassis; i++) {
            const struct sbrec_ha_chassis *hc = g->ha_chassis[i];
            if (hc->chassis) {
                members[in->n_members++] = (struct ha_member_input) {
                    .chassis = hc->chassis->name, .priority = hc->priority,
                };
                continue;
            }
            const char *name = smap_get_def(&hc->external_ids,
                                            "chassis-name", "(unnamed)");
            if (chassis_exists(c, name)) {
                /* The reference will follow (rows arrive in any order). */
                continue;
            }
            warn_once(data, c, xasprintf("%s/%s", g->name, name),
                      xasprintf("HA chassis group %s: member %s (priority "
                                "%"PRId64") is not a registered chassis; "
                                "ignored", g->name, name, hc->priority));
        }
        for (size_t i = 0; i < g->n_ref_chassis; i++) {
            refs[in->n_refs++] = g->ref_chassis[i]->name;
        }
        in->members = members;
        in->refs = refs;
    }
}

/* Adds a group per chassisredirect port that has Gateway_Chassis rows
 * and no HA_Chassis_Group, and records which ports use each group. */
static void
collect_port_groups(struct en_ha_data *data, const struct ha_ctx *c,
                    struct groups_in *gi)
{
    const struct sbrec_port_binding *pb;

    SBREC_PORT_BINDING_FOR_EACH (pb, c->sb_idl) {
        if (strcmp(pb->type, "chassisredirect")
            && strcmp(pb->type, "external")) {
            continue;
        }
        if (pb->n_gateway_chassis) {
            struct ha_group_input *in = groups_add(gi);
            struct ha_member_input *members
                = xcalloc(pb->n_gateway_chassis + 1, sizeof *members);

            in->name = pb->logical_port;
            for (size_t i = 0; i < pb->n_gateway_chassis; i++) {
                const struct sbrec_gateway_chassis *gc
                    = pb->gateway_chassis[i];
                if (gc->chassis) {
                    members[in->n_members++] = (struct ha_member_input) {
                        .chassis = gc->chassis->name,
                        .priority = gc->priority,
                    };
                } else {
                    warn_once(data, c, xasprintf("%s/%s", pb->logical_port,
                                                 gc->name),
                              xasprintf("port %s: gateway chassis %s names "
                                        "no registered chassis; ignored",
                                        pb->logical_port, gc->name));
                }
            }
            in->members = members;
            in->refs = xcalloc(1, sizeof *in->refs);
            groups_add_port(gi, pb->logical_port, pb->logical_port);
        } else if (pb->ha_chassis_group) {
            groups_add_port(gi, pb->ha_chassis_group->name,
                            pb->logical_port);
        }
    }
    for (size_t i = 0; i < gi->n; i++) {
        const struct svec *ports = shash_find_data(&gi->ports,
                                                   gi->v[i].name);
        if (ports) {
            gi->v[i].ports = (const char *const *) ports->names;
            gi->v[i].n_ports = ports->n;
        }
    }
}

/* BFD options from SB_Global, validated. */
static void
compute_bfd_options(struct en_ha_data *data, const struct ha_ctx *c)
{
    const struct sbrec_sb_global *sbg = sbrec_sb_global_first(c->sb_idl);

    smap_clear(&data->bfd_options);
    smap_add(&data->bfd_options, "enable", "true");
    smap_add(&data->bfd_options, "check_tnl_key", "true");
    for (size_t i = 0; sbg && i < ARRAY_SIZE(bfd_keys); i++) {
        const char *value = smap_get(&sbg->options, bfd_keys[i][0]);
        int n;

        if (!value) {
            continue;
        }
        if (!str_to_int(value, 10, &n) || n < 1
            || (!strcmp(bfd_keys[i][0], "bfd-mult") && n > 255)) {
            warn_once(data, c, xasprintf("sb_global/%s=%s",
                                         bfd_keys[i][0], value),
                      xasprintf("SB_Global options:%s=\"%s\" is not a "
                                "positive number%s; OVS's default is used",
                                bfd_keys[i][0], value,
                                !strcmp(bfd_keys[i][0], "bfd-mult")
                                ? " up to 255" : " of milliseconds"));
            continue;
        }
        smap_add_format(&data->bfd_options, bfd_keys[i][1], "%d", n);
    }
}

/* NICs and tunnels. */

/* Fills 'data->nic_live' and 'data->dead_paths'. */
static void
compute_nics(struct en_ha_data *data, const struct ha_ctx *c)
{
    size_t n = c->cfg->n_encap_ips;
    size_t *n_paths = xcalloc(n + 1, sizeof *n_paths);
    size_t *n_down = xcalloc(n + 1, sizeof *n_down);
    const struct tunnel_mesh_path *path;

    sset_clear(&data->dead_paths);
    HMAP_FOR_EACH (path, node, &c->mesh->paths) {
        if (!c->cfg->encap_bfd) {
            /* NIC failover is off: BFD runs for gateways only. */
            break;
        }
        const struct bfd_session *s = path_session(c, path);
        bool dead = s && !s->up && s->ever_up;
        if (path->encap_id < n) {
            n_paths[path->encap_id]++;
            n_down[path->encap_id] += dead;
        }
        if (dead) {
            sset_add(&data->dead_paths, path->id);
        }
    }
    free(data->nic_live);
    data->nic_live = xcalloc(n + 1, sizeof *data->nic_live);
    data->n_nics = n;
    for (size_t e = 0; e < n; e++) {
        data->nic_live[e] = !n_paths[e] || n_down[e] < n_paths[e];
    }
    free(n_paths);
    free(n_down);
}

bool
en_ha_nic_live(const struct en_ha_data *data, unsigned int encap_id)
{
    return encap_id >= data->n_nics || data->nic_live[encap_id];
}

bool
en_ha_tunnel_bfd(const struct en_ha_data *data, const char *peer,
                 struct smap *bfd)
{
    if (!data->encap_bfd && !sset_contains(&data->state.bfd_peers, peer)) {
        return false;
    }
    smap_clone(bfd, &data->bfd_options);
    return true;
}

/* Logging what changed. */

/* The Encap-ID VIFs pinned to a dead NIC use: the default if live, else
 * the lowest live one; the pin itself if none is. */
static unsigned int
steer_target(const struct en_ha_data *data, unsigned int encap_id)
{
    for (size_t e = 0; e < data->n_nics; e++) {
        if (data->nic_live[e]) {
            return e;
        }
    }
    return encap_id;
}

static void
log_changes(const struct en_ha_data *old, const struct en_ha_data *new,
            const struct ha_ctx *c)
{
    const char *us = c->cfg->system_id;
    const struct ha_group *g;

    HMAP_FOR_EACH (g, node, &new->state.groups) {
        const struct ha_group *o = ha_find_group(&old->state, g->name);
        bool now = g->active && us && !strcmp(g->active, us);
        bool before = o && o->active && us && !strcmp(o->active, us);
        if (now != before) {
            COVERAGE_INC(ha_takeover);
            VLOG_INFO("HA group %s: this chassis is %s active (active "
                      "member: %s)", g->name, now ? "now" : "no longer",
                      g->active ? g->active : "none");
        }
        if (g->held_by
            && !nullable_string_is_equal(g->held_by, o ? o->held_by : NULL)) {
            VLOG_INFO("HA group %s: ready, but holding back for %s: the "
                      "BFD session to it is new", g->name, g->held_by);
        }
    }
    if (new->state.self_ready != old->state.self_ready
        && !hmap_is_empty(&new->state.groups)) {
        VLOG_INFO("chassis %s: %s", us ? us : "?",
                  new->state.self_ready
                  ? "ready: a BFD session is stable"
                  : "not ready: no BFD session is up and stable");
    }
    for (size_t e = 0; e < new->n_nics; e++) {
        bool was = en_ha_nic_live(old, e);
        if (new->nic_live[e] != was) {
            const char *ip = c->cfg->encap_ips[e].ip;
            if (!new->nic_live[e]) {
                unsigned int t = steer_target(new, e);
                COVERAGE_INC(ha_nic_down);
                if (t != e) {
                    VLOG_WARN("encap IP %s (encap-id %"PRIuSIZE"): every "
                              "tunnel from it is down (BFD); the VIFs "
                              "pinned to it use %s (encap-id %u) until it "
                              "recovers", ip, e, c->cfg->encap_ips[t].ip,
                              t);
                } else {
                    VLOG_WARN("encap IP %s (encap-id %"PRIuSIZE"): every "
                              "tunnel from it is down (BFD), and no other "
                              "encap IP is live", ip, e);
                }
            } else {
                VLOG_INFO("encap IP %s (encap-id %"PRIuSIZE"): a tunnel "
                          "from it is up again; its VIFs use it again",
                          ip, e);
            }
        }
    }
}

/* Records in 'new' what changed since 'old', for the readers. */
static void
track_changes(const struct en_ha_data *old, struct en_ha_data *new,
              const struct ha_ctx *c)
{
    char *diff = ha_compare(&old->state, &new->state);
    const char *key;

    new->gateways_changed = diff != NULL
                            || !smap_equal(&old->bfd_options,
                                           &new->bfd_options)
                            || old->encap_bfd != new->encap_bfd;
    free(diff);
    new->nics_changed = (old->n_nics != new->n_nics
                         || (new->n_nics
                             && memcmp(old->nic_live, new->nic_live,
                                       new->n_nics
                                       * sizeof *new->nic_live)));
    sset_clear(&new->tracked_peers);
    SSET_FOR_EACH (key, &old->dead_paths) {
        const struct tunnel_mesh_path *p = tunnel_mesh_find_path(c->mesh,
                                                                 key);
        if (p && !sset_contains(&new->dead_paths, key)) {
            sset_add(&new->tracked_peers, p->peer->name);
        }
    }
    SSET_FOR_EACH (key, &new->dead_paths) {
        const struct tunnel_mesh_path *p = tunnel_mesh_find_path(c->mesh,
                                                                 key);
        if (p && !sset_contains(&old->dead_paths, key)) {
            sset_add(&new->tracked_peers, p->peer->name);
        }
    }
}

/* The node. */

static void
ha_ctx_init(struct ha_ctx *c, struct engine_node *node,
            const struct engine_context *ctx)
{
    const struct en_ha_data *own = engine_get_data(node);

    c->cfg = en_ovs_config_get(engine_get_input_data(node,
                                                     own->in.ovs_config));
    c->bfd = engine_get_input_data(node, own->in.bfd_status);
    c->mesh = en_tunnels_get_mesh(engine_get_input_data(node,
                                                        own->in.tunnels));
    c->sb_idl = en_ovsdb_input_idl(node, own->in.sb_ha_chassis_group);
    c->log = !en_ctx_is_shadow(ctx);
}

/* Moves the new results of 'fresh' into 'data', keeping each group's
 * 'since' when its active member did not change. */
static void
adopt(struct en_ha_data *data, struct en_ha_data *fresh)
{
    struct ha_group *g;
    long long int now = time_wall_msec();

    HMAP_FOR_EACH (g, node, &fresh->state.groups) {
        const struct ha_group *o = ha_find_group(&data->state, g->name);
        g->since = (o && nullable_string_is_equal(o->active, g->active)
                    ? o->since : now);
    }
    ha_state_destroy(&data->state);
    ha_state_init(&data->state);
    hmap_swap(&data->state.groups, &fresh->state.groups);
    sset_swap(&data->state.bfd_peers, &fresh->state.bfd_peers);
    simap_swap(&data->state.liveness, &fresh->state.liveness);
    data->state.self_ready = fresh->state.self_ready;
    hmap_swap(&data->bfd_options.map, &fresh->bfd_options.map);
    sset_swap(&data->dead_paths, &fresh->dead_paths);
    free(data->nic_live);
    data->nic_live = fresh->nic_live;
    fresh->nic_live = NULL;
    data->n_nics = fresh->n_nics;
    data->encap_bfd = fresh->encap_bfd;
}

static enum engine_run_result
en_ha_run(struct engine_node *node, void *data_,
          const struct engine_context *ctx)
{
    struct en_ha_data *data = data_;
    struct en_ha_data *fresh = en_ha_init(NULL);
    struct groups_in gi = { .ports = SHASH_INITIALIZER(&gi.ports) };
    struct ha_ctx c;

    COVERAGE_INC(ha_recompute);
    ha_ctx_init(&c, node, ctx);
    sset_swap(&fresh->warned, &data->warned);
    collect_ha_groups(fresh, &c, &gi);
    collect_port_groups(fresh, &c, &gi);
    struct ha_view view = {
        .us = c.cfg->system_id ? c.cfg->system_id : "",
        .peer = peer_view,
        .aux = &c,
    };
    view.self_ready = self_ready(&c, false, &view.ready_since);
    ha_compute(&fresh->state, gi.v, gi.n, &view);
    /* The BFD peers do not depend on readiness; readiness may depend on
     * them. */
    bool ready = self_ready(&c, bfd_wanted(&c, &fresh->state.bfd_peers),
                            &view.ready_since);
    if (ready != view.self_ready) {
        view.self_ready = ready;
        ha_compute(&fresh->state, gi.v, gi.n, &view);
    }
    groups_destroy(&gi);
    compute_bfd_options(fresh, &c);
    fresh->encap_bfd = c.cfg->encap_bfd && !c.cfg->flow_based_tunnels;
    compute_nics(fresh, &c);
    sset_swap(&fresh->warned, &data->warned);

    char *diff = en_ha_compare(data, fresh);
    bool changed = diff != NULL;
    free(diff);
    if (c.log) {
        log_changes(data, fresh, &c);
    }
    track_changes(data, fresh, &c);
    data->gateways_changed = fresh->gateways_changed;
    data->nics_changed = fresh->nics_changed;
    sset_swap(&data->tracked_peers, &fresh->tracked_peers);
    adopt(data, fresh);
    en_ha_cleanup(fresh);
    return changed ? ENGINE_RUN_UPDATED : ENGINE_RUN_UNCHANGED;
}

enum engine_input_result
en_ha_sb_port_binding_handler(struct engine_node *node, void *data_,
                              const struct engine_context *ctx OVS_UNUSED)
{
    const struct en_ha_data *data = data_;
    struct ovsdb_idl *sb_idl = en_ovsdb_input_idl(node,
                                                  data->in.sb_port_binding);
    const struct sbrec_port_binding *pb;

    SBREC_PORT_BINDING_TABLE_FOR_EACH_TRACKED (
        pb, sbrec_port_binding_table_get(sb_idl)) {
        if (!strcmp(pb->type, "chassisredirect")
            || !strcmp(pb->type, "external")
            || sbrec_port_binding_is_updated(pb,
                                             SBREC_PORT_BINDING_COL_TYPE)) {
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    return ENGINE_INPUT_HANDLED_UNCHANGED;
}

const struct engine_node_class en_ha_class = {
    .name = "ha",
    .init = en_ha_init,
    .cleanup = en_ha_cleanup,
    .run = en_ha_run,
    .compare = en_ha_compare,
    .clear_tracked = en_ha_clear_tracked,
};

/* "ha/show". */

static void
format_time(long long int ms, struct ds *s)
{
    ds_put_strftime_msec(s, "%Y-%m-%dT%H:%M:%S.###Z", ms, true);
    ds_put_format(s, " (%.1f s ago)", (time_wall_msec() - ms) / 1000.0);
}

/* Appends the BFD state of each tunnel to 'chassis'. */
static void
format_tunnels(const struct tunnel_mesh *mesh,
               const struct en_bfd_status_data *bfd, const char *chassis,
               struct ds *s)
{
    const struct tunnel_mesh_peer *peer = tunnel_mesh_find_peer(mesh,
                                                                chassis);
    const struct tunnel_mesh_path *path;

    if (!peer || ovs_list_is_empty(&peer->paths)) {
        ds_put_cstr(s, "      no tunnel\n");
        return;
    }
    LIST_FOR_EACH (path, peer_node, &peer->paths) {
        const struct bfd_session *b
            = path->port ? en_bfd_status_find(bfd, path->port->key) : NULL;
        ds_put_format(s, "      tunnel %s %s->%s: ",
                      b ? b->iface : "(no port yet)", path->local_ip,
                      path->remote_ip);
        if (!b || !b->enabled) {
            ds_put_cstr(s, "bfd off\n");
        } else {
            ds_put_format(s, "bfd %s%s%s\n", b->up ? "up" : "down",
                          b->forwarding ? " forwarding" : "",
                          b->up && !b->stable ? " (not stable yet)" : "");
        }
    }
}

static void
ha_show_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED,
            const char *argv[] OVS_UNUSED, void *node_)
{
    struct engine_node *node = node_;
    const struct en_ha_data *data = engine_get_data(node);
    const struct chassis_config *cfg = en_ovs_config_get(
        engine_get_input_data(node, data->in.ovs_config));
    const struct en_bfd_status_data *bfd
        = engine_get_input_data(node, data->in.bfd_status);
    const struct tunnel_mesh *mesh = en_tunnels_get_mesh(
        engine_get_input_data(node, data->in.tunnels));
    const char *us = cfg->system_id ? cfg->system_id : "";
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "chassis %s: %s\n", us,
                  data->state.self_ready ? "ready" : "not ready");
    ds_put_cstr(&s, "bfd peers:");
    const char **peers = sset_sort(&data->state.bfd_peers);
    for (size_t i = 0; peers[i]; i++) {
        ds_put_format(&s, " %s", peers[i]);
    }
    free(peers);
    ds_put_format(&s, "%s\n", data->encap_bfd
                  ? " (and every tunnel: ovn-encap-bfd)" : "");

    const struct ha_group **groups = ha_sorted_groups(&data->state);
    for (size_t i = 0; groups[i]; i++) {
        const struct ha_group *g = groups[i];
        ds_put_format(&s, "group %s: active %s", g->name,
                      g->active ? g->active : "none");
        if (g->active && !strcmp(g->active, us)) {
            ds_put_cstr(&s, " (this chassis)");
        }
        ds_put_cstr(&s, " since ");
        format_time(g->since, &s);
        ds_put_char(&s, '\n');
        if (g->held_by) {
            ds_put_format(&s, "  this chassis holds back for %s (new BFD "
                          "session)\n", g->held_by);
        }
        if (!sset_is_empty(&g->ports)) {
            ds_put_cstr(&s, "  ports:");
            const char **ports = sset_sort(&g->ports);
            for (size_t j = 0; ports[j]; j++) {
                ds_put_format(&s, " %s", ports[j]);
            }
            free(ports);
            ds_put_char(&s, '\n');
        }
        for (size_t j = 0; j < g->n_members; j++) {
            const struct ha_member *m = &g->members[j];
            bool self = !strcmp(m->chassis, us);
            ds_put_format(&s, "  member %s priority %"PRId64": %s%s\n",
                          m->chassis, m->priority,
                          self ? (data->state.self_ready ? "ready"
                                  : "not ready")
                               : ha_liveness_name(m->liveness),
                          self ? " (this chassis)" : "");
            if (!self) {
                format_tunnels(mesh, bfd, m->chassis, &s);
            }
        }
    }
    free(groups);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

void
en_ha_register_commands(struct engine_node *node)
{
    unixctl_command_register("ha/show", "", 0, 0, ha_show_cmd, node);
}
