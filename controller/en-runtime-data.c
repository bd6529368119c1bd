/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "runtime_data": see en-runtime-data.h.
 */

#include <config.h>

#include "controller/en-runtime-data.h"

#include "controller/idl-columns.h"

#include <string.h>
#include "controller/chassis-config.h"
#include "controller/ct-zones.h"
#include "controller/en-ctx.h"
#include "controller/en-ha.h"
#include "controller/en-integration-bridge.h"
#include "controller/en-ovs-config.h"
#include "controller/en-ovsdb.h"
#include "controller/integration-bridge.h"
#include "coverage.h"
#include "lib/ovn-sb-idl.h"
#include "lib/vswitch-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "svec.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(en_runtime_data);

COVERAGE_DEFINE(runtime_data_recompute);
COVERAGE_DEFINE(runtime_data_redecide);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* The VIFs of br-int that carry one iface-id, as binding.h sees them. */
struct vif_group {
    struct binding_iface *ifaces;
    size_t n;
};

static void
local_binding_free(struct local_binding *lb)
{
    if (lb) {
        free(lb->lport);
        free(lb->type);
        free(lb->iface);
        free(lb->encap_ip);
        free(lb->bad_pin);
        free(lb);
    }
}

static struct local_binding *
local_binding_clone(const struct local_binding *lb)
{
    struct local_binding *c = xmemdup(lb, sizeof *lb);

    c->lport = xstrdup(lb->lport);
    c->type = xstrdup(lb->type);
    c->iface = nullable_xstrdup(lb->iface);
    c->encap_ip = nullable_xstrdup(lb->encap_ip);
    c->bad_pin = nullable_xstrdup(lb->bad_pin);
    return c;
}

void *
en_runtime_data_init(void *arg)
{
    struct ed_runtime_data *rtd = xzalloc(sizeof *rtd);

    if (arg) {
        rtd->in = *(const struct en_runtime_data_inputs *) arg;
    }
    shash_init(&rtd->bindings);
    uuidset_init(&rtd->local_datapaths);
    hmap_init(&rtd->dps);
    uuidset_init(&rtd->tracked_dps);
    ld_graph_init(&rtd->patch_graph);
    sset_init(&rtd->ct_zone_names);
    simap_init(&rtd->ct_zone_pins);
    shash_init(&rtd->pb_by_name);
    shash_init(&rtd->children);
    shash_init(&rtd->localnets);
    vif_index_init(&rtd->vifs);
    sset_init(&rtd->tracked_lports);
    chassis_config_init(&rtd->cfg);
    return rtd;
}

static void
runtime_data_clear(struct ed_runtime_data *rtd)
{
    struct shash_node *node;

    SHASH_FOR_EACH_SAFE (node, &rtd->bindings) {
        local_binding_free(node->data);
        shash_delete(&rtd->bindings, node);
    }
    uuidset_clear(&rtd->local_datapaths);
    local_datapaths_destroy(&rtd->dps);
    hmap_init(&rtd->dps);
    ld_graph_destroy(&rtd->patch_graph);
    ld_graph_init(&rtd->patch_graph);
    sset_clear(&rtd->ct_zone_names);
    simap_clear(&rtd->ct_zone_pins);
    shash_clear_free_data(&rtd->pb_by_name);
    SHASH_FOR_EACH_SAFE (node, &rtd->children) {
        sset_destroy(node->data);
        free(node->data);
        shash_delete(&rtd->children, node);
    }
    SHASH_FOR_EACH_SAFE (node, &rtd->localnets) {
        sset_destroy(node->data);
        free(node->data);
        shash_delete(&rtd->localnets, node);
    }
    vif_index_clear(&rtd->vifs);
}

void
en_runtime_data_cleanup(void *data)
{
    struct ed_runtime_data *rtd = data;

    if (!rtd) {
        return;
    }
    runtime_data_clear(rtd);
    shash_destroy(&rtd->bindings);
    uuidset_destroy(&rtd->local_datapaths);
    local_datapaths_destroy(&rtd->dps);
    uuidset_destroy(&rtd->tracked_dps);
    ld_graph_destroy(&rtd->patch_graph);
    sset_destroy(&rtd->ct_zone_names);
    simap_destroy(&rtd->ct_zone_pins);
    shash_destroy(&rtd->pb_by_name);
    shash_destroy(&rtd->children);
    shash_destroy(&rtd->localnets);
    vif_index_destroy(&rtd->vifs);
    sset_destroy(&rtd->tracked_lports);
    chassis_config_destroy(&rtd->cfg);
    free(rtd);
}

void
en_runtime_data_clear_tracked(void *data)
{
    struct ed_runtime_data *rtd = data;

    sset_clear(&rtd->tracked_lports);
    uuidset_clear(&rtd->tracked_dps);
    rtd->datapaths_changed = false;
    rtd->recomputed = false;
    rtd->monitor_dirty = false;
    rtd->zones_changed = false;
}

const struct local_datapath *
runtime_data_find_datapath(const struct ed_runtime_data *rtd,
                           const struct uuid *uuid)
{
    return local_datapath_find(&rtd->dps, uuid);
}

const struct local_binding *
runtime_data_find(const struct ed_runtime_data *rtd, const char *lport)
{
    return shash_find_data(&rtd->bindings, lport);
}

const struct sset *
runtime_data_localnets(const struct ed_runtime_data *rtd,
                       const struct uuid *dp)
{
    char key[UUID_LEN + 1];
    const struct sset *set;

    snprintf(key, sizeof key, UUID_FMT, UUID_ARGS(dp));
    set = shash_find_data(&rtd->localnets, key);
    return set && !sset_is_empty(set) ? set : NULL;
}

/* Adds (if 'add') or removes localnet port 'lport' of datapath 'dp' in
 * the index. */
static void
rtd_index_localnet(struct ed_runtime_data *rtd, const struct uuid *dp,
                   const char *lport, bool add)
{
    char key[UUID_LEN + 1];
    struct sset *set;

    snprintf(key, sizeof key, UUID_FMT, UUID_ARGS(dp));
    set = shash_find_data(&rtd->localnets, key);
    if (add) {
        if (!set) {
            set = xmalloc(sizeof *set);
            sset_init(set);
            shash_add(&rtd->localnets, key, set);
        }
        sset_add(set, lport);
    } else if (set) {
        sset_find_and_delete(set, lport);
        if (sset_is_empty(set)) {
            sset_destroy(set);
            free(set);
            shash_find_and_delete(&rtd->localnets, key);
        }
    }
}

/* Comparing. */

static bool
local_binding_equal(const struct local_binding *a,
                    const struct local_binding *b)
{
    return (!strcmp(a->lport, b->lport)
            && !strcmp(a->type, b->type)
            && uuid_equals(&a->pb_uuid, &b->pb_uuid)
            && uuid_equals(&a->datapath, &b->datapath)
            && a->role == b->role
            && nullable_string_is_equal(a->iface, b->iface)
            && a->ofport == b->ofport
            && nullable_string_is_equal(a->encap_ip, b->encap_ip)
            && a->encap_type == b->encap_type
            && nullable_string_is_equal(a->bad_pin, b->bad_pin)
            && a->pinned == b->pinned);
}

static char *
compare_uuidsets(const char *what, const struct uuidset *a,
                 const struct uuidset *b)
{
    const struct uuidset_node *n;

    UUIDSET_FOR_EACH (n, a) {
        if (!uuidset_contains(b, &n->uuid)) {
            return xasprintf("%s "UUID_FMT" not in recompute", what,
                             UUID_ARGS(&n->uuid));
        }
    }
    UUIDSET_FOR_EACH (n, b) {
        if (!uuidset_contains(a, &n->uuid)) {
            return xasprintf("%s "UUID_FMT" only in recompute", what,
                             UUID_ARGS(&n->uuid));
        }
    }
    return NULL;
}

/* Compares the name index: lport -> struct uuid *. */
static char *
compare_pb_index(const struct shash *a, const struct shash *b)
{
    const struct shash_node *node;

    SHASH_FOR_EACH (node, a) {
        const struct uuid *mine = node->data;
        const struct uuid *other = shash_find_data(b, node->name);
        if (!other || !uuid_equals(other, mine)) {
            return xasprintf("Port_Binding index: %s "UUID_FMT", recompute "
                             "%s", node->name, UUID_ARGS(mine),
                             other ? "another row" : "none");
        }
    }
    SHASH_FOR_EACH (node, b) {
        if (!shash_find(a, node->name)) {
            return xasprintf("Port_Binding index: %s only in recompute",
                             node->name);
        }
    }
    return NULL;
}

/* Compares the container index: parent -> struct sset * of children.  An
 * empty set and no set are the same. */
static char *
compare_children(const struct shash *a, const struct shash *b)
{
    static const struct sset empty = SSET_INITIALIZER(&empty);
    const struct shash_node *node;

    SHASH_FOR_EACH (node, a) {
        const struct sset *other = shash_find_data(b, node->name);
        if (!sset_equals(node->data, other ? other : &empty)) {
            return xasprintf("containers of %s differ from recompute",
                             node->name);
        }
    }
    SHASH_FOR_EACH (node, b) {
        if (!shash_find(a, node->name) && !sset_is_empty(node->data)) {
            return xasprintf("containers of %s only in recompute",
                             node->name);
        }
    }
    return NULL;
}

char *
en_runtime_data_compare(const void *a_, const void *b_)
{
    const struct ed_runtime_data *a = a_, *b = b_;
    struct shash_node *node;

    SHASH_FOR_EACH (node, &a->bindings) {
        const struct local_binding *other = shash_find_data(&b->bindings,
                                                            node->name);
        if (!other) {
            return xasprintf("binding %s not in recompute", node->name);
        } else if (!local_binding_equal(node->data, other)) {
            return xasprintf("binding %s differs from recompute",
                             node->name);
        }
    }
    SHASH_FOR_EACH (node, &b->bindings) {
        if (!shash_find(&a->bindings, node->name)) {
            return xasprintf("binding %s only in recompute", node->name);
        }
    }
    if (!sset_equals(&a->ct_zone_names, &b->ct_zone_names)) {
        return xstrdup("conntrack zone names differ from recompute");
    }
    if (!simap_equal(&a->ct_zone_pins, &b->ct_zone_pins)) {
        return xstrdup("conntrack zone pins differ from recompute");
    }
    char *diff = vif_index_compare(&a->vifs, &b->vifs);
    if (diff) {
        char *msg = xasprintf("br-int interfaces: %s", diff);
        free(diff);
        return msg;
    }
    diff = compare_pb_index(&a->pb_by_name, &b->pb_by_name);
    if (!diff) {
        diff = compare_children(&a->children, &b->children);
    }
    if (!diff) {
        diff = compare_children(&a->localnets, &b->localnets);
    }
    if (!diff) {
        diff = ld_graph_compare(&a->patch_graph, &b->patch_graph);
    }
    if (!diff) {
        diff = local_datapaths_compare(&a->dps, &b->dps);
    }
    return (diff ? diff
            : compare_uuidsets("local datapath", &a->local_datapaths,
                               &b->local_datapaths));
}

/* Reading the inputs. */

/* Fills 'g' with the br-int VIFs whose iface-id is 'lport', from the
 * index and the rows of 'ovs_idl'.  Free with vif_group_destroy(). */
static void
vif_group_init(struct vif_group *g, const struct ed_runtime_data *rtd,
               const struct ovsdb_idl *ovs_idl, const char *lport)
{
    const struct sset *names = vif_index_find_id(&rtd->vifs, lport);
    const char *name;

    g->n = 0;
    g->ifaces = xcalloc(names ? sset_count(names) + 1 : 1,
                        sizeof *g->ifaces);
    if (!names) {
        return;
    }
    SSET_FOR_EACH (name, names) {
        const struct ovsrec_interface *ifr
            = vif_index_find_row(&rtd->vifs, ovs_idl, name);
        if (!ifr) {
            continue;
        }
        g->ifaces[g->n++] = (struct binding_iface) {
            .name = ifr->name,
            .iface_id = lport,
            .ofport = ifr->n_ofport ? ifr->ofport[0] : 0,
            .encap_ip = smap_get(&ifr->external_ids, "encap-ip"),
            .installed = smap_get_bool(&ifr->external_ids,
                                       "ovn-installed", false),
        };
    }
}

static void
vif_group_destroy(struct vif_group *g)
{
    free(g->ifaces);
}

/* Returns the VIF in 'g' that binds its port, logging a duplicate if
 * 'log'. */
static const struct binding_iface *
vif_group_pick(const struct vif_group *g, bool log)
{
    struct svec warnings = SVEC_EMPTY_INITIALIZER;
    const struct binding_iface **ptrs;
    const struct binding_iface *best;

    if (!g->n) {
        return NULL;
    }
    ptrs = xmalloc(g->n * sizeof *ptrs);
    for (size_t i = 0; i < g->n; i++) {
        ptrs[i] = &g->ifaces[i];
    }
    best = binding_iface_pick(ptrs, g->n, &warnings);
    for (size_t i = 0; log && i < warnings.n; i++) {
        VLOG_WARN_RL(&rl, "%s", warnings.names[i]);
    }
    svec_destroy(&warnings);
    free(ptrs);
    return best;
}

/* Storage for a binding_port made from an SB row. */
struct port_view {
    struct binding_port pb;
    struct binding_ha_member *ha;
    const char **additional;
};

static void
port_view_init(struct port_view *pv, const struct sbrec_port_binding *sb,
               const struct runtime_data_inputs *in)
{
    size_t n_ha = 0;

    memset(pv, 0, sizeof *pv);
    pv->pb.logical_port = sb->logical_port;
    pv->pb.type = sb->type;
    pv->pb.parent_port = sb->parent_port;
    pv->pb.has_tag = sb->n_tag > 0;
    pv->pb.requested_chassis = smap_get(&sb->options, "requested-chassis");
    pv->additional = xcalloc(sb->n_requested_additional_chassis + 1,
                             sizeof *pv->additional);
    for (size_t i = 0; i < sb->n_requested_additional_chassis; i++) {
        pv->additional[i] = sb->requested_additional_chassis[i]->name;
    }
    pv->pb.requested_additional = pv->additional;
    pv->pb.n_requested_additional = sb->n_requested_additional_chassis;
    pv->pb.l3gateway_chassis = smap_get(&sb->options, "l3gateway-chassis");
    pv->pb.l2gateway_chassis = smap_get(&sb->options, "l2gateway-chassis");

    const struct sbrec_ha_chassis_group *hag = sb->ha_chassis_group;
    pv->ha = xcalloc(sb->n_gateway_chassis + (hag ? hag->n_ha_chassis : 0)
                     + 1, sizeof *pv->ha);
    if (sb->n_gateway_chassis) {
        for (size_t i = 0; i < sb->n_gateway_chassis; i++) {
            const struct sbrec_gateway_chassis *gc = sb->gateway_chassis[i];
            pv->ha[n_ha++] = (struct binding_ha_member) {
                .chassis = gc->chassis ? gc->chassis->name : NULL,
                .priority = gc->priority,
                .down = (gc->chassis && in->ha
                         && !ha_member_is_live(in->ha, sb->logical_port,
                                               in->cfg->system_id,
                                               gc->chassis->name)),
            };
        }
    } else if (hag) {
        for (size_t i = 0; i < hag->n_ha_chassis; i++) {
            const struct sbrec_ha_chassis *hc = hag->ha_chassis[i];
            pv->ha[n_ha++] = (struct binding_ha_member) {
                .chassis = hc->chassis ? hc->chassis->name : NULL,
                .priority = hc->priority,
                .down = (hc->chassis && in->ha
                         && !ha_member_is_live(in->ha, hag->name,
                                               in->cfg->system_id,
                                               hc->chassis->name)),
            };
        }
    }
    pv->pb.ha = pv->ha;
    pv->pb.n_ha = n_ha;
}

static void
port_view_destroy(struct port_view *pv)
{
    free(pv->ha);
    free(pv->additional);
}

/* Deciding one port. */

/* Context of one computation or handler call. */
struct rtd_ctx {
    struct ed_runtime_data *rtd;
    const struct runtime_data_inputs *in;
    struct binding_chassis ch;
    bool changed;
};

static void
rtd_ctx_init(struct rtd_ctx *c, struct ed_runtime_data *rtd,
             const struct runtime_data_inputs *in)
{
    c->rtd = rtd;
    c->in = in;
    c->ch.name = in->cfg->system_id ? in->cfg->system_id : "";
    c->ch.hostname = in->cfg->hostname;
    c->changed = false;
}

static const struct sbrec_port_binding *
rtd_find_pb(const struct rtd_ctx *c, const char *lport)
{
    const struct uuid *u = shash_find_data(&c->rtd->pb_by_name, lport);
    return u ? sbrec_port_binding_get_for_uuid(c->in->sb_idl, u) : NULL;
}

/* Builds the local_binding for 'sb' as decided in 'd', or NULL. */
static struct local_binding *
rtd_make_binding(const struct rtd_ctx *c, const struct sbrec_port_binding *sb,
                 const struct binding_decision *d)
{
    struct local_binding *lb;

    if (d->role == BINDING_ROLE_NONE || !sb->datapath) {
        return NULL;
    }
    lb = xzalloc(sizeof *lb);
    lb->lport = xstrdup(sb->logical_port);
    lb->type = xstrdup(sb->type);
    lb->pb_uuid = sb->header_.uuid;
    lb->datapath = sb->datapath->header_.uuid;
    lb->role = d->role;
    lb->iface = d->iface ? xstrdup(d->iface->name) : NULL;
    lb->ofport = d->iface && d->iface->ofport > 0 ? d->iface->ofport : 0;
    if (binding_role_is_claim(d->role)) {
        const char *pin = (binding_type_is_vif(sb->type) && d->iface
                           ? d->iface->encap_ip : NULL);
        struct binding_encap enc;

        binding_choose_encap(c->in->cfg, pin, &enc);
        lb->encap_ip = nullable_xstrdup(enc.ip);
        lb->encap_type = enc.type;
        lb->bad_pin = enc.bad_pin ? xstrdup(pin) : NULL;
        lb->pinned = pin && !enc.bad_pin;
    }
    return lb;
}

/* Decides 'sb' given its parent's binding (for containers). */
static struct local_binding *
rtd_decide(const struct rtd_ctx *c, const struct sbrec_port_binding *sb)
{
    const struct local_binding *parent = NULL;
    const struct binding_iface *parent_iface = NULL;
    struct vif_group own, parents = { .n = 0, .ifaces = NULL };
    struct binding_decision d;
    struct port_view pv;
    struct local_binding *lb;

    COVERAGE_INC(runtime_data_redecide);
    if (sb->parent_port && sb->parent_port[0]) {
        parent = shash_find_data(&c->rtd->bindings, sb->parent_port);
        if (parent) {
            vif_group_init(&parents, c->rtd, c->in->ovs_idl,
                           sb->parent_port);
            parent_iface = vif_group_pick(&parents, false);
        }
    }
    vif_group_init(&own, c->rtd, c->in->ovs_idl, sb->logical_port);
    port_view_init(&pv, sb, c->in);
    binding_decide(&pv.pb, vif_group_pick(&own, c->in->log),
                   parent ? parent->role : BINDING_ROLE_NONE, parent_iface,
                   &c->ch, &d);
    if (d.why_not && c->in->log) {
        VLOG_WARN_RL(&rl, "%s", d.why_not);
    }
    lb = rtd_make_binding(c, sb, &d);
    binding_decision_destroy(&d);
    port_view_destroy(&pv);
    vif_group_destroy(&own);
    vif_group_destroy(&parents);
    return lb;
}

/* Replaces the binding of 'lport' by 'lb' (may be NULL: released), and
 * tracks the change if there is one.  Takes ownership of 'lb'. */
static void
rtd_set_binding(struct rtd_ctx *c, const char *lport, struct local_binding *lb)
{
    struct shash_node *node = shash_find(&c->rtd->bindings, lport);
    struct local_binding *old = node ? node->data : NULL;

    if ((!old && !lb) || (old && lb && local_binding_equal(old, lb))) {
        local_binding_free(lb);
        return;
    }
    if (lb && lb->bad_pin && c->in->log
        && (!old || !nullable_string_is_equal(old->bad_pin, lb->bad_pin))) {
        VLOG_WARN_RL(&rl, "interface %s: external_ids:encap-ip=\"%s\" is "
                     "not a local encap IP; lport %s uses the default %s",
                     lb->iface ? lb->iface : "?", lb->bad_pin, lb->lport,
                     lb->encap_ip ? lb->encap_ip : "(none)");
    }
    /* Claims and releases are logged once, by binding_sync, when it
     * writes them. */
    /* 'lport' may be the old binding's own name: track it before the old
     * binding is freed. */
    sset_add(&c->rtd->tracked_lports, lport);
    c->changed = true;
    if (node) {
        local_binding_free(old);
        if (lb) {
            node->data = lb;
        } else {
            shash_delete(&c->rtd->bindings, node);
        }
    } else {
        shash_add(&c->rtd->bindings, lport, lb);
    }
}

/* Re-decides 'lport' and then its container ports. */
static void
rtd_redecide(struct rtd_ctx *c, const char *lport)
{
    const struct sbrec_port_binding *sb = rtd_find_pb(c, lport);
    struct sset *kids;

    rtd_set_binding(c, lport, sb ? rtd_decide(c, sb) : NULL);
    kids = shash_find_data(&c->rtd->children, lport);
    if (kids) {
        const char *kid;
        SSET_FOR_EACH (kid, kids) {
            const struct sbrec_port_binding *ksb = rtd_find_pb(c, kid);
            rtd_set_binding(c, kid, ksb ? rtd_decide(c, ksb) : NULL);
        }
    }
}

/* Derived sets: local datapaths and conntrack zone names. */

static bool
datapath_is_router(const struct sbrec_datapath_binding *dp)
{
    return dp && smap_get(&dp->external_ids, "logical-router");
}

/* Returns the Interface row named 'name' among the VIFs of 'lport'. */
static const struct ovsrec_interface *
rtd_find_iface_row(const struct rtd_ctx *c, const char *lport,
                   const char *name)
{
    const struct vif_index_entry *e = vif_index_find(&c->rtd->vifs, name);

    return (e && e->iface_id && !strcmp(e->iface_id, lport)
            ? ovsrec_interface_get_for_uuid(c->in->ovs_idl, &e->uuid)
            : NULL);
}

/* Brings 'dps' in line with 'local_datapaths': adds the datapaths that
 * became local (with their key and kind from the SB), removes the others,
 * updates the peers, and tracks every datapath that changed. */
static void
rtd_update_dps(struct rtd_ctx *c)
{
    struct ed_runtime_data *rtd = c->rtd;
    struct local_datapath *ld;
    const struct uuidset_node *un;

    HMAP_FOR_EACH_SAFE (ld, node, &rtd->dps) {
        if (!uuidset_contains(&rtd->local_datapaths, &ld->uuid)) {
            uuidset_insert(&rtd->tracked_dps, &ld->uuid);
            local_datapath_remove(&rtd->dps, ld);
        }
    }
    UUIDSET_FOR_EACH (un, &rtd->local_datapaths) {
        if (!local_datapath_find(&rtd->dps, &un->uuid)) {
            const struct sbrec_datapath_binding *dp
                = sbrec_datapath_binding_get_for_uuid(c->in->sb_idl,
                                                      &un->uuid);
            local_datapath_add(&rtd->dps, &un->uuid,
                               dp ? dp->tunnel_key : 0,
                               datapath_is_router(dp));
            uuidset_insert(&rtd->tracked_dps, &un->uuid);
        }
    }
    HMAP_FOR_EACH (ld, node, &rtd->dps) {
        if (local_datapaths_set_peers_one(&rtd->dps, &rtd->patch_graph,
                                          ld)) {
            uuidset_insert(&rtd->tracked_dps, &ld->uuid);
        }
    }
}

/* Recomputes the local datapaths from the bindings.  Sets c->changed if
 * they changed. */
static void
rtd_update_datapaths(struct rtd_ctx *c)
{
    struct ed_runtime_data *rtd = c->rtd;
    struct uuidset seeds = UUIDSET_INITIALIZER(&seeds);
    struct uuidset local = UUIDSET_INITIALIZER(&local);
    struct shash_node *node;

    SHASH_FOR_EACH (node, &rtd->bindings) {
        const struct local_binding *lb = node->data;
        if (binding_role_is_claim(lb->role)) {
            uuidset_insert(&seeds, &lb->datapath);
        }
    }
    local_datapaths_compute(&rtd->patch_graph, &seeds, &local);
    if (!local_datapaths_equal(&local, &rtd->local_datapaths)) {
        uuidset_destroy(&rtd->local_datapaths);
        uuidset_init(&rtd->local_datapaths);
        const struct uuidset_node *un;
        UUIDSET_FOR_EACH (un, &local) {
            uuidset_insert(&rtd->local_datapaths, &un->uuid);
        }
        rtd_update_dps(c);
        rtd->datapaths_changed = true;
        c->changed = true;
    }
    uuidset_destroy(&local);
    uuidset_destroy(&seeds);
}

/* Recomputes the conntrack zone names and pins: every binding, and the
 * DNAT and SNAT zones of every local datapath, switches too (as Debian's
 * controller does; the physical pipeline loads them into reg11 and
 * reg12).  The load balancer hairpin (ct_snat_to_vip, ct_snat in
 * ls_in_nat_hairpin) commits in the switch's SNAT zone; in zone 0 the
 * hairpinned connection would mix with every other datapath's. */
static void
rtd_update_zone_names(struct rtd_ctx *c)
{
    struct ed_runtime_data *rtd = c->rtd;
    struct svec errors = SVEC_EMPTY_INITIALIZER;
    struct sset names = SSET_INITIALIZER(&names);
    struct simap pins = SIMAP_INITIALIZER(&pins);
    const struct uuidset_node *un;
    struct shash_node *node;
    SHASH_FOR_EACH (node, &rtd->bindings) {
        const struct local_binding *lb = node->data;
        const struct ovsrec_interface *ifr;

        sset_add(&names, lb->lport);
        ifr = lb->iface ? rtd_find_iface_row(c, lb->lport, lb->iface) : NULL;
        if (ifr) {
            const char *pin = smap_get(&ifr->external_ids, "ovn-ct-zone");
            if (pin) {
                ct_zones_add_pin(&pins, lb->lport, pin,
                                 &errors);
            }
        }
    }
    UUIDSET_FOR_EACH (un, &rtd->local_datapaths) {
        const struct sbrec_datapath_binding *dp
            = sbrec_datapath_binding_get_for_uuid(c->in->sb_idl, &un->uuid);
        const struct sset *localnets = runtime_data_localnets(rtd,
                                                              &un->uuid);
        if (localnets) {
            /* A localnet port is a port of this chassis too. */
            const char *name;
            SSET_FOR_EACH (name, localnets) {
                sset_add(&names, name);
            }
        }
        if (dp) {
            char *dnat = xasprintf(UUID_FMT"_dnat", UUID_ARGS(&un->uuid));
            char *snat = xasprintf(UUID_FMT"_snat", UUID_ARGS(&un->uuid));
            const char *pin = smap_get(&dp->external_ids, "snat-ct-zone");

            if (pin) {
                ct_zones_add_pin(&pins, snat, pin, &errors);
            }
            sset_add_and_free(&names, dnat);
            sset_add_and_free(&names, snat);
        }
    }
    for (size_t i = 0; c->in->log && i < errors.n; i++) {
        VLOG_WARN_RL(&rl, "%s", errors.names[i]);
    }
    svec_destroy(&errors);
    if (!sset_equals(&names, &rtd->ct_zone_names)
        || !simap_equal(&pins, &rtd->ct_zone_pins)) {
        sset_swap(&names, &rtd->ct_zone_names);
        simap_swap(&pins, &rtd->ct_zone_pins);
        rtd->zones_changed = true;
        c->changed = true;
    }
    sset_destroy(&names);
    simap_destroy(&pins);
}

static void
rtd_update_derived(struct rtd_ctx *c)
{
    rtd_update_datapaths(c);
    rtd_update_zone_names(c);
}

/* Full computation. */

static void
rtd_index_port_bindings(struct ed_runtime_data *rtd,
                        const struct ovsdb_idl *sb_idl)
{
    const struct sbrec_port_binding *sb;

    SBREC_PORT_BINDING_FOR_EACH (sb, sb_idl) {
        struct uuid *u = xmemdup(&sb->header_.uuid, sizeof *u);
        free(shash_replace(&rtd->pb_by_name, sb->logical_port, u));
        if (!strcmp(sb->type, "localnet") && sb->datapath) {
            rtd_index_localnet(rtd, &sb->datapath->header_.uuid,
                               sb->logical_port, true);
        }
        if (sb->parent_port && sb->parent_port[0]) {
            struct sset *kids = shash_find_data(&rtd->children,
                                                sb->parent_port);
            if (!kids) {
                kids = xmalloc(sizeof *kids);
                sset_init(kids);
                shash_add(&rtd->children, sb->parent_port, kids);
            }
            sset_add(kids, sb->logical_port);
        }
    }
}

/* Adds the patch link of every patch port to the graph. */
static void
rtd_build_patch_graph(struct rtd_ctx *c)
{
    const struct sbrec_port_binding *sb;

    SBREC_PORT_BINDING_FOR_EACH (sb, c->in->sb_idl) {
        const char *peer_name = smap_get(&sb->options, "peer");
        const struct sbrec_port_binding *peer;

        if (strcmp(sb->type, "patch") || !peer_name || !sb->datapath) {
            continue;
        }
        peer = rtd_find_pb(c, peer_name);
        if (peer && peer->datapath) {
            ld_graph_add_link(&c->rtd->patch_graph,
                              &sb->datapath->header_.uuid,
                              &peer->datapath->header_.uuid);
        }
    }
}

void
runtime_data_compute(struct ed_runtime_data *rtd,
                     const struct runtime_data_inputs *in)
{
    const struct sbrec_port_binding *sb;
    struct rtd_ctx c;

    COVERAGE_INC(runtime_data_recompute);
    runtime_data_clear(rtd);
    chassis_config_clone(&rtd->cfg, in->cfg);
    rtd_index_port_bindings(rtd, in->sb_idl);
    vif_index_rebuild(&rtd->vifs, in->br_int, NULL);
    rtd_ctx_init(&c, rtd, in);
    rtd_build_patch_graph(&c);
    if (in->cfg->system_id) {
        /* Parents first, so that container ports see their decision. */
        for (int pass = 0; pass < 2; pass++) {
            SBREC_PORT_BINDING_FOR_EACH (sb, in->sb_idl) {
                bool is_child = sb->parent_port && sb->parent_port[0];
                struct local_binding *lb;

                if (is_child != (pass == 1)) {
                    continue;
                }
                lb = rtd_decide(&c, sb);
                if (lb) {
                    local_binding_free(shash_replace(&rtd->bindings,
                                                     lb->lport, lb));
                }
            }
        }
    }
    rtd_update_derived(&c);
    rtd->datapaths_changed = true;
    rtd->recomputed = true;
    rtd->monitor_dirty = true;
    rtd->zones_changed = true;
}

/* Change handlers. */

bool
runtime_data_handle_ifaces(struct ed_runtime_data *rtd,
                           const struct runtime_data_inputs *in,
                           bool *changed)
{
    struct sset affected = SSET_INITIALIZER(&affected);
    const char *lport;
    struct rtd_ctx c;

    vif_index_update(&rtd->vifs, in->br_int,
                     ovsrec_interface_table_get(in->ovs_idl),
                     ovsrec_port_table_get(in->ovs_idl), &affected);
    if (!sset_is_empty(&affected)) {
        /* The iface-ids of br-int are part of the SB monitor condition. */
        rtd->monitor_dirty = true;
    }
    if (sset_is_empty(&affected) || !in->cfg->system_id) {
        sset_destroy(&affected);
        *changed = false;
        return true;
    }
    rtd_ctx_init(&c, rtd, in);
    SSET_FOR_EACH (lport, &affected) {
        rtd_redecide(&c, lport);
    }
    if (c.changed) {
        rtd_update_derived(&c);
    } else {
        /* A pin (ovn-ct-zone) may have changed without a binding change. */
        rtd_update_zone_names(&c);
    }
    *changed = c.changed;
    sset_destroy(&affected);
    return true;
}

/* True if a change of 'sb' needs a recompute: patch ports (they shape the
 * datapath graph) and changes of a port's parent. */
static bool
rtd_pb_needs_recompute(const struct sbrec_port_binding *sb)
{
    if (!strcmp(sb->type, "patch")) {
        return (sbrec_port_binding_is_new(sb)
                || sbrec_port_binding_is_deleted(sb)
                || sbrec_port_binding_is_updated(
                    sb, SBREC_PORT_BINDING_COL_OPTIONS)
                || sbrec_port_binding_is_updated(
                    sb, SBREC_PORT_BINDING_COL_DATAPATH)
                || sbrec_port_binding_is_updated(
                    sb, SBREC_PORT_BINDING_COL_TYPE));
    }
    if (!strcmp(sb->type, "localnet") && !sbrec_port_binding_is_new(sb)
        && !sbrec_port_binding_is_deleted(sb)
        && sbrec_port_binding_is_updated(sb,
                                         SBREC_PORT_BINDING_COL_DATAPATH)) {
        return true;
    }
    return (!sbrec_port_binding_is_new(sb)
            && !sbrec_port_binding_is_deleted(sb)
            && (sbrec_port_binding_is_updated(
                    sb, SBREC_PORT_BINDING_COL_PARENT_PORT)
                || sbrec_port_binding_is_updated(
                    sb, SBREC_PORT_BINDING_COL_TYPE)
                || sbrec_port_binding_is_updated(
                    sb, SBREC_PORT_BINDING_COL_LOGICAL_PORT)));
}

/* Updates the name and children indexes for 'sb'. */
static void
rtd_reindex_pb(struct ed_runtime_data *rtd,
               const struct sbrec_port_binding *sb)
{
    bool is_child = sb->parent_port && sb->parent_port[0];
    struct sset *kids = (is_child
                         ? shash_find_data(&rtd->children, sb->parent_port)
                         : NULL);

    if (!strcmp(sb->type, "localnet") && sb->datapath) {
        rtd_index_localnet(rtd, &sb->datapath->header_.uuid,
                           sb->logical_port,
                           !sbrec_port_binding_is_deleted(sb));
    }
    if (sbrec_port_binding_is_deleted(sb)) {
        struct shash_node *node = shash_find(&rtd->pb_by_name,
                                             sb->logical_port);
        if (node && uuid_equals(node->data, &sb->header_.uuid)) {
            free(node->data);
            shash_delete(&rtd->pb_by_name, node);
        }
        if (kids) {
            sset_find_and_delete(kids, sb->logical_port);
        }
        return;
    }
    free(shash_replace(&rtd->pb_by_name, sb->logical_port,
                       xmemdup(&sb->header_.uuid, sizeof sb->header_.uuid)));
    if (is_child) {
        if (!kids) {
            kids = xmalloc(sizeof *kids);
            sset_init(kids);
            shash_add(&rtd->children, sb->parent_port, kids);
        }
        sset_add(kids, sb->logical_port);
    }
}

bool
runtime_data_handle_port_bindings(struct ed_runtime_data *rtd,
                                  const struct runtime_data_inputs *in,
                                  bool *changed)
{
    const struct sbrec_port_binding_table *table
        = sbrec_port_binding_table_get(in->sb_idl);
    const struct sbrec_port_binding *sb;
    struct sset affected = SSET_INITIALIZER(&affected);
    const char *lport;
    struct rtd_ctx c;

    SBREC_PORT_BINDING_TABLE_FOR_EACH_TRACKED (sb, table) {
        if (rtd_pb_needs_recompute(sb)) {
            sset_destroy(&affected);
            return false;
        }
    }
    bool localnet_changed = false;
    SBREC_PORT_BINDING_TABLE_FOR_EACH_TRACKED (sb, table) {
        rtd_reindex_pb(rtd, sb);
        if (!strcmp(sb->type, "localnet")) {
            /* Its datapath's flows reach remote ports through it, and its
             * patch ports come and go with it. */
            if (sb->datapath
                && uuidset_contains(&rtd->local_datapaths,
                                    &sb->datapath->header_.uuid)) {
                uuidset_insert(&rtd->tracked_dps,
                               &sb->datapath->header_.uuid);
                localnet_changed = true;
            }
        } else if (strcmp(sb->type, "patch")) {
            sset_add(&affected, sb->logical_port);
        }
    }
    *changed = false;
    if (localnet_changed && in->cfg->system_id) {
        rtd_ctx_init(&c, rtd, in);
        rtd_update_zone_names(&c);
        *changed = true;
    }
    if (sset_is_empty(&affected) || !in->cfg->system_id) {
        sset_destroy(&affected);
        return true;
    }
    rtd_ctx_init(&c, rtd, in);
    c.changed = *changed;
    /* Parents before their containers. */
    SSET_FOR_EACH (lport, &affected) {
        const struct sbrec_port_binding *row = rtd_find_pb(&c, lport);
        if (!row || !row->parent_port || !row->parent_port[0]) {
            rtd_redecide(&c, lport);
        }
    }
    SSET_FOR_EACH (lport, &affected) {
        const struct sbrec_port_binding *row = rtd_find_pb(&c, lport);
        if (row && row->parent_port && row->parent_port[0]) {
            rtd_redecide(&c, lport);
        }
    }
    if (c.changed) {
        rtd_update_derived(&c);
    }
    *changed = c.changed;
    sset_destroy(&affected);
    return true;
}

/* True if 'a' and 'b' have the same encap IPs in the same order (the
 * default first) and the same encap types. */
static bool
rtd_same_encaps(const struct chassis_config *a,
                const struct chassis_config *b)
{
    if (a->n_encap_ips != b->n_encap_ips
        || memcmp(a->encap_types, b->encap_types, sizeof a->encap_types)) {
        return false;
    }
    for (size_t i = 0; i < a->n_encap_ips; i++) {
        if (strcmp(a->encap_ips[i].ip, b->encap_ips[i].ip)) {
            return false;
        }
    }
    return true;
}

/* Chooses again the encap of every claimed binding, with the VIF pins of
 * br-int, and updates (and tracks) the bindings whose choice changed. */
static void
rtd_rechoose_encaps(struct rtd_ctx *c)
{
    const struct shash_node **sorted = shash_sort(&c->rtd->bindings);
    size_t n = shash_count(&c->rtd->bindings);

    for (size_t i = 0; i < n; i++) {
        const struct local_binding *lb = sorted[i]->data;
        const struct ovsrec_interface *ifr
            = (lb->iface
               ? vif_index_find_row(&c->rtd->vifs, c->in->ovs_idl, lb->iface)
               : NULL);
        const char *pin = (ifr && binding_type_is_vif(lb->type)
                           ? smap_get(&ifr->external_ids, "encap-ip")
                           : NULL);
        struct binding_encap enc;
        struct local_binding *nlb;

        if (!binding_role_is_claim(lb->role)) {
            continue;
        }
        binding_choose_encap(c->in->cfg, pin, &enc);
        nlb = local_binding_clone(lb);
        free(nlb->encap_ip);
        free(nlb->bad_pin);
        nlb->encap_ip = nullable_xstrdup(enc.ip);
        nlb->encap_type = enc.type;
        nlb->bad_pin = enc.bad_pin ? xstrdup(pin) : NULL;
        nlb->pinned = pin && !enc.bad_pin;
        rtd_set_binding(c, lb->lport, nlb);
    }
    free(sorted);
}

bool
runtime_data_handle_config(struct ed_runtime_data *rtd,
                           const struct runtime_data_inputs *in,
                           bool *changed)
{
    const struct chassis_config *old = &rtd->cfg;
    struct rtd_ctx c;

    *changed = false;
    if (!nullable_string_is_equal(old->system_id, in->cfg->system_id)
        || !nullable_string_is_equal(old->hostname, in->cfg->hostname)) {
        return false;
    }
    if (!rtd_same_encaps(old, in->cfg) && in->cfg->system_id) {
        rtd_ctx_init(&c, rtd, in);
        rtd_rechoose_encaps(&c);
        *changed = c.changed;
    }
    chassis_config_clone(&rtd->cfg, in->cfg);
    return true;
}

bool
runtime_data_handle_datapaths(struct ed_runtime_data *rtd,
                              const struct runtime_data_inputs *in)
{
    const struct sbrec_datapath_binding_table *table
        = sbrec_datapath_binding_table_get(in->sb_idl);
    const struct sbrec_datapath_binding *dp;

    SBREC_DATAPATH_BINDING_TABLE_FOR_EACH_TRACKED (dp, table) {
        if (!sbrec_datapath_binding_is_new(dp)
            && uuidset_contains(&rtd->local_datapaths, &dp->header_.uuid)) {
            return false;
        }
    }
    return true;
}

/* The engine node. */

/* Fills 'in' from the node's inputs. */
static void
en_runtime_data_get_inputs(struct engine_node *node,
                           const struct ed_runtime_data *rtd,
                           const struct engine_context *ctx,
                           struct runtime_data_inputs *in)
{
    const struct en_integration_bridge_data *br = engine_get_input_data(
        node, rtd->in.integration_bridge);

    in->cfg = en_ovs_config_get(engine_get_input_data(node,
                                                      rtd->in.ovs_config));
    in->ovs_idl = en_ovsdb_input_idl(node, rtd->in.ovs_interface);
    in->sb_idl = en_ovsdb_input_idl(node, rtd->in.sb_port_binding);
    in->br_int = integration_bridge_find(in->ovs_idl, br->name);
    in->log = !en_ctx_is_shadow(ctx);
    in->ha = NULL;
    if (rtd->in.ha) {
        const struct en_ha_data *ha = engine_get_input_data(node,
                                                            rtd->in.ha);
        in->ha = &ha->state;
    }
}

static enum engine_run_result
en_runtime_data_run(struct engine_node *node, void *data,
                    const struct engine_context *ctx)
{
    struct ed_runtime_data *rtd = data;
    struct runtime_data_inputs in;

    /* A shadow copy comes fresh from init() without the inputs. */
    rtd->in = ((struct ed_runtime_data *) engine_get_data(node))->in;
    en_runtime_data_get_inputs(node, rtd, ctx, &in);
    runtime_data_compute(rtd, &in);
    return ENGINE_RUN_UPDATED;
}

static enum engine_input_result
handled(bool changed)
{
    return (changed ? ENGINE_INPUT_HANDLED_UPDATED
            : ENGINE_INPUT_HANDLED_UNCHANGED);
}

enum engine_input_result
en_runtime_data_ovs_interface_handler(struct engine_node *node, void *data,
                                      const struct engine_context *ctx)
{
    struct ed_runtime_data *rtd = data;
    struct runtime_data_inputs in;
    bool changed;

    en_runtime_data_get_inputs(node, rtd, ctx, &in);
    if (!runtime_data_handle_ifaces(rtd, &in, &changed)) {
        return ENGINE_INPUT_UNHANDLED;
    }
    return handled(changed);
}

enum engine_input_result
en_runtime_data_ovs_config_handler(struct engine_node *node, void *data,
                                   const struct engine_context *ctx)
{
    struct ed_runtime_data *rtd = data;
    struct runtime_data_inputs in;
    bool changed;

    en_runtime_data_get_inputs(node, rtd, ctx, &in);
    if (!runtime_data_handle_config(rtd, &in, &changed)) {
        return ENGINE_INPUT_UNHANDLED;
    }
    return handled(changed);
}

enum engine_input_result
en_runtime_data_ovs_bridge_handler(struct engine_node *node, void *data,
                                   const struct engine_context *ctx
                                   OVS_UNUSED)
{
    struct ed_runtime_data *rtd = data;
    const struct en_integration_bridge_data *br = engine_get_input_data(
        node, rtd->in.integration_bridge);
    struct ovsdb_idl *ovs_idl = en_ovsdb_input_idl(node, rtd->in.ovs_bridge);
    const struct ovsrec_bridge *row;

    /* Only br-int appearing or going matters; its port list changes come
     * with the Interface rows (the Interface handler folds them into the
     * index), its external_ids are not ours to read.  A port list change
     * without any Interface change (a port moved between bridges) is
     * rare: recompute. */
    OVSREC_BRIDGE_TABLE_FOR_EACH_TRACKED (row,
                                          ovsrec_bridge_table_get(ovs_idl)) {
        if (!br->name || strcmp(row->name, br->name)) {
            continue;
        }
        if (ovsrec_bridge_is_new(row) || ovsrec_bridge_is_deleted(row)
            || (ovsrec_bridge_is_updated(row, OVSREC_BRIDGE_COL_PORTS)
                && !ovsrec_interface_table_track_get_first(
                    ovsrec_interface_table_get(ovs_idl)))) {
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    return ENGINE_INPUT_HANDLED_UNCHANGED;
}

#ifdef OVNMC_FAULT_INJECTION
/* True if every tracked Port_Binding change is an update in place. */
static bool
only_in_place_updates(const struct ovsdb_idl *sb_idl)
{
    const struct sbrec_port_binding *sb;

    SBREC_PORT_BINDING_TABLE_FOR_EACH_TRACKED (
        sb, sbrec_port_binding_table_get(sb_idl)) {
        if (sbrec_port_binding_is_new(sb)
            || sbrec_port_binding_is_deleted(sb)) {
            return false;
        }
    }
    return true;
}
#else
#define only_in_place_updates(IDL) ((void) (IDL), false)
#endif

enum engine_input_result
en_runtime_data_sb_port_binding_handler(struct engine_node *node,
                                        void *data,
                                        const struct engine_context *ctx)
{
    struct ed_runtime_data *rtd = data;
    struct runtime_data_inputs in;
    bool changed;

    en_runtime_data_get_inputs(node, rtd, ctx, &in);
    if (EN_FAULT(ctx, 1) && only_in_place_updates(in.sb_idl)) {
        /* Planted bug 1: ignore in-place Port_Binding updates. */
        return ENGINE_INPUT_HANDLED_UNCHANGED;
    }
    if (!runtime_data_handle_port_bindings(rtd, &in, &changed)) {
        return ENGINE_INPUT_UNHANDLED;
    }
    return handled(changed);
}

enum engine_input_result
en_runtime_data_sb_datapath_binding_handler(struct engine_node *node,
                                            void *data,
                                            const struct engine_context *ctx)
{
    struct ed_runtime_data *rtd = data;
    struct runtime_data_inputs in;

    if (EN_FAULT(ctx, 4)) {
        /* Planted bug 4: a datapath handler that always says handled. */
        return ENGINE_INPUT_HANDLED_UNCHANGED;
    }
    en_runtime_data_get_inputs(node, rtd, ctx, &in);
    return (runtime_data_handle_datapaths(rtd, &in)
            ? ENGINE_INPUT_HANDLED_UNCHANGED : ENGINE_INPUT_UNHANDLED);
}

bool
runtime_data_handle_gateways(struct ed_runtime_data *rtd,
                             const struct runtime_data_inputs *in,
                             bool *changed)
{
    const struct sbrec_port_binding *sb;
    struct rtd_ctx c;

    *changed = false;
    if (!in->cfg->system_id) {
        return true;
    }
    rtd_ctx_init(&c, rtd, in);
    SBREC_PORT_BINDING_FOR_EACH (sb, in->sb_idl) {
        if (!strcmp(sb->type, "chassisredirect")
            || !strcmp(sb->type, "external")) {
            rtd_redecide(&c, sb->logical_port);
        }
    }
    if (c.changed) {
        rtd_update_derived(&c);
    }
    *changed = c.changed;
    return true;
}

enum engine_input_result
en_runtime_data_ha_handler(struct engine_node *node, void *data,
                           const struct engine_context *ctx)
{
    struct ed_runtime_data *rtd = data;
    const struct en_ha_data *ha = engine_get_input_data(node, rtd->in.ha);
    struct runtime_data_inputs in;
    bool changed;

    if (!ha->gateways_changed) {
        return ENGINE_INPUT_HANDLED_UNCHANGED;
    }
    en_runtime_data_get_inputs(node, rtd, ctx, &in);
    runtime_data_handle_gateways(rtd, &in, &changed);
    return handled(changed);
}

const struct engine_node_class en_runtime_data_class = {
    .name = "runtime_data",
    .init = en_runtime_data_init,
    .cleanup = en_runtime_data_cleanup,
    .run = en_runtime_data_run,
    .compare = en_runtime_data_compare,
    .clear_tracked = en_runtime_data_clear_tracked,
};

/* The local OVS database columns this node reads or writes. */
static const struct idl_column_use en_runtime_data_columns[] = {
    { &ovsrec_bridge_col_name, true },
    { &ovsrec_bridge_col_ports, true },
    { &ovsrec_port_col_name, true },
    { &ovsrec_port_col_interfaces, true },
    { &ovsrec_interface_col_name, true },
    { &ovsrec_interface_col_type, true },
    { &ovsrec_interface_col_external_ids, true },
    { &ovsrec_interface_col_ofport, true },
};

void
en_runtime_data_declare_columns(struct idl_columns *cols)
{
    IDL_COLUMNS_ADD(cols, en_runtime_data_columns);
}
