/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Reconciling tunnel ports with the desired mesh.  See tunnel-sync.h.
 */

#include <config.h>
#include "controller/tunnel-sync.h"

#include <stdlib.h>
#include <string.h>
#include "controller/tunnel-mesh.h"
#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "sset.h"
#include "util.h"
#include "vswitch-idl.h"
#include "controller/integration-bridge.h"

VLOG_DEFINE_THIS_MODULE(encaps);

COVERAGE_DEFINE(tunnel_sync_run);
COVERAGE_DEFINE(tunnel_sync_create);
COVERAGE_DEFINE(tunnel_sync_update);
COVERAGE_DEFINE(tunnel_sync_adopt);
COVERAGE_DEFINE(tunnel_sync_delete);

#define CHASSIS_ID_KEY "ovn-chassis-id"
#define TUNNEL_TYPE_KEY "ovn-tunnel-type"

/* An existing port matched with the desired one it is to become. */
struct sync_match {
    const struct ovsrec_port *port;
    const struct tunnel_mesh_port *want;
    bool adopt;                 /* Legacy id to rewrite. */
};

/* An existing port to remove from its bridge. */
struct sync_delete {
    const struct ovsrec_bridge *br;
    const struct ovsrec_port *port;
};

/* The plan of one reconciliation: what prepare computes and apply
 * writes. */
struct sync_plan {
    const struct ovsrec_bridge *br;     /* Target bridge. */
    const struct shash *bfd;            /* Wanted bfd columns by key. */
    struct sync_match *matches;         /* Ports to keep or update. */
    size_t n_matches, allocated_matches;
    struct sync_delete *deletes;        /* Ports to delete. */
    size_t n_deletes, allocated_deletes;
    const struct tunnel_mesh_port **creates; /* Ports to create. */
    size_t n_creates;
    struct sset matched_keys;           /* Keys of 'matches'. */
    struct sset names;                  /* Port and interface names in use
                                         * (or just deleted). */
    const struct ovsrec_bridge **unmark; /* Owned bridges to lose our owner
                                         * mark. */
    size_t n_unmark, allocated_unmark;
    const char *mark;                   /* Owner mark to set on 'br', or
                                         * NULL if it has it already. */
};

static void
plan_init(struct sync_plan *plan, const struct ovsrec_bridge *br)
{
    memset(plan, 0, sizeof *plan);
    plan->br = br;
    sset_init(&plan->matched_keys);
    sset_init(&plan->names);
}

static void
plan_destroy(struct sync_plan *plan)
{
    free(plan->matches);
    free(plan->deletes);
    free(plan->creates);
    free(plan->unmark);
    sset_destroy(&plan->matched_keys);
    sset_destroy(&plan->names);
}

static void
plan_match(struct sync_plan *plan, const struct ovsrec_port *port,
           const struct tunnel_mesh_port *want, bool adopt)
{
    if (plan->n_matches >= plan->allocated_matches) {
        plan->matches = x2nrealloc(plan->matches, &plan->allocated_matches,
                                   sizeof *plan->matches);
    }
    plan->matches[plan->n_matches++] = (struct sync_match) {
        .port = port, .want = want, .adopt = adopt,
    };
    sset_add(&plan->matched_keys, want->key);
}

static void
plan_delete(struct sync_plan *plan, const struct ovsrec_bridge *br,
            const struct ovsrec_port *port)
{
    if (plan->n_deletes >= plan->allocated_deletes) {
        plan->deletes = x2nrealloc(plan->deletes, &plan->allocated_deletes,
                                   sizeof *plan->deletes);
    }
    plan->deletes[plan->n_deletes++] = (struct sync_delete) {
        .br = br, .port = port,
    };
}

/* Validate. */

static const char *
port_chassis_id(const struct ovsrec_port *port)
{
    return smap_get(&port->external_ids, CHASSIS_ID_KEY);
}

static char *
port_key(const struct ovsrec_port *port)
{
    return tunnel_mesh_key_from_ids(port_chassis_id(port),
                                    smap_get(&port->external_ids,
                                             TUNNEL_TYPE_KEY));
}

static int
compare_ports_by_name(const void *a_, const void *b_)
{
    const struct ovsrec_port *const *a = a_;
    const struct ovsrec_port *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

/* Returns the ports of 'br' that carry our mark, sorted by name (so that
 * the choice among duplicates is deterministic), in a malloc'd array. */
static const struct ovsrec_port **
marked_ports(const struct ovsrec_bridge *br, size_t *n)
{
    const struct ovsrec_port **ports = xcalloc(br->n_ports + 1,
                                               sizeof *ports);
    *n = 0;
    for (size_t i = 0; i < br->n_ports; i++) {
        if (port_chassis_id(br->ports[i])) {
            ports[(*n)++] = br->ports[i];
        }
    }
    qsort(ports, *n, sizeof *ports, compare_ports_by_name);
    return ports;
}

void
tunnel_sync_collect_ports(const struct ovsrec_bridge *br,
                          struct shash *ports)
{
    if (!br) {
        return;
    }
    size_t n;
    const struct ovsrec_port **marked = marked_ports(br, &n);
    for (size_t i = 0; i < n; i++) {
        char *key = port_key(marked[i]);
        if (key && !shash_find(ports, key)) {
            shash_add_nocopy(ports, key, marked[i]);
        } else {
            free(key);
        }
    }
    free(marked);
}

static void
collect_names(const struct ovsrec_bridge_table *bridges, struct sset *names)
{
    const struct ovsrec_bridge *br;
    OVSREC_BRIDGE_TABLE_FOR_EACH (br, bridges) {
        for (size_t i = 0; i < br->n_ports; i++) {
            const struct ovsrec_port *port = br->ports[i];
            sset_add(names, port->name);
            for (size_t j = 0; j < port->n_interfaces; j++) {
                sset_add(names, port->interfaces[j]->name);
            }
        }
    }
}

/* Prepare. */

/* Matches the marked ports of the target bridge with 'mesh': exact keys
 * first, then legacy ids; the rest is to delete. */
static void
prepare_target(struct sync_plan *plan, const struct tunnel_mesh *mesh)
{
    size_t n;
    const struct ovsrec_port **ports = marked_ports(plan->br, &n);
    const struct ovsrec_port **legacy = xcalloc(n + 1, sizeof *legacy);
    size_t n_legacy = 0;

    for (size_t i = 0; i < n; i++) {
        char *key = port_key(ports[i]);
        const struct tunnel_mesh_port *want
            = key ? tunnel_mesh_find_port(mesh, key) : NULL;
        if (want && !sset_contains(&plan->matched_keys, key)) {
            plan_match(plan, ports[i], want, false);
        } else if (!key) {
            legacy[n_legacy++] = ports[i];
        } else {
            plan_delete(plan, plan->br, ports[i]);
        }
        free(key);
    }
    for (size_t i = 0; i < n_legacy; i++) {
        const struct tunnel_mesh_port *want = tunnel_mesh_adopt_legacy(
            mesh, port_chassis_id(legacy[i]), &plan->matched_keys);
        if (want) {
            plan_match(plan, legacy[i], want, true);
        } else {
            plan_delete(plan, plan->br, legacy[i]);
        }
    }
    free(legacy);
    free(ports);
}

/* True if 'br' carries the owner mark of 'owner'. */
static bool
bridge_is_owned_by(const struct ovsrec_bridge *br, const char *owner)
{
    const char *mark = smap_get(&br->external_ids, TUNNEL_SYNC_OWNER_KEY);
    return owner && mark && !strcmp(mark, owner);
}

/* Plans the owner marks: 'owner' on the target bridge; the removal of our
 * ports, and of the mark, from every other bridge 'owner' owns (the
 * integration bridges of before a change of ovn-bridge, even one made
 * while we were stopped).  The rule is in tunnel-sync.h: bridges without
 * our owner mark are never touched. */
static void
prepare_owned_bridges(struct sync_plan *plan,
                      const struct ovsrec_bridge_table *bridges,
                      const char *owner)
{
    const struct ovsrec_bridge *br;

    if (!owner) {
        return;
    }
    if (!bridge_is_owned_by(plan->br, owner)) {
        plan->mark = owner;
    }
    OVSREC_BRIDGE_TABLE_FOR_EACH (br, bridges) {
        if (br == plan->br || !bridge_is_owned_by(br, owner)) {
            continue;
        }
        size_t n;
        const struct ovsrec_port **ports = marked_ports(br, &n);
        for (size_t i = 0; i < n; i++) {
            plan_delete(plan, br, ports[i]);
        }
        free(ports);
        if (plan->n_unmark >= plan->allocated_unmark) {
            plan->unmark = x2nrealloc(plan->unmark, &plan->allocated_unmark,
                                      sizeof *plan->unmark);
        }
        plan->unmark[plan->n_unmark++] = br;
    }
}

static int
compare_mesh_ports(const void *a_, const void *b_)
{
    const struct tunnel_mesh_port *const *a = a_;
    const struct tunnel_mesh_port *const *b = b_;
    return strcmp((*a)->key, (*b)->key);
}

static void
prepare_creates(struct sync_plan *plan, const struct tunnel_mesh *mesh)
{
    const struct tunnel_mesh_port *want;
    size_t n = hmap_count(&mesh->ports);

    plan->creates = xcalloc(n + 1, sizeof *plan->creates);
    HMAP_FOR_EACH (want, node, &mesh->ports) {
        if (!sset_contains(&plan->matched_keys, want->key)) {
            plan->creates[plan->n_creates++] = want;
        }
    }
    qsort(plan->creates, plan->n_creates, sizeof *plan->creates,
          compare_mesh_ports);
}

/* The bfd column 'want' should have under 'plan'. */
static const struct smap *
wanted_bfd(const struct sync_plan *plan, const struct tunnel_mesh_port *want)
{
    static const struct smap empty = SMAP_INITIALIZER(&empty);
    const struct smap *bfd = (plan->bfd && !want->flow_based
                              ? shash_find_data(plan->bfd, want->key)
                              : NULL);
    return bfd ? bfd : &empty;
}

/* True if 'port' is exactly as 'want' describes it. */
static bool
port_is_as_wanted(const struct sync_plan *plan,
                  const struct ovsrec_port *port,
                  const struct tunnel_mesh_port *want)
{
    const char *type = chassis_encap_type_name(want->type);
    const char *id = port_chassis_id(port);
    if (port->n_interfaces != 1 || strcmp(port->interfaces[0]->type, type)
        || !smap_equal(&port->interfaces[0]->options, &want->options)
        || !smap_equal(&port->interfaces[0]->bfd, wanted_bfd(plan, want))
        || !id || strcmp(id, want->chassis_id)) {
        return false;
    }
    if (want->flow_based) {
        const char *tt = smap_get(&port->external_ids, TUNNEL_TYPE_KEY);
        return tt && !strcmp(tt, type);
    }
    return true;
}

/* Apply. */

static void
apply_match(const struct sync_plan *plan, const struct sync_match *m,
            struct tunnel_sync_stats *stats)
{
    const struct ovsrec_port *port = m->port;
    const struct ovsrec_interface *iface = port->interfaces[0];
    const char *type = chassis_encap_type_name(m->want->type);
    const struct smap *bfd = wanted_bfd(plan, m->want);

    if (strcmp(iface->type, type)) {
        ovsrec_interface_set_type(iface, type);
    }
    if (!smap_equal(&iface->options, &m->want->options)) {
        ovsrec_interface_set_options(iface, &m->want->options);
    }
    if (!smap_equal(&iface->bfd, bfd)) {
        ovsrec_interface_set_bfd(iface, bfd);
    }
    const char *id = port_chassis_id(port);
    if (!id || strcmp(id, m->want->chassis_id)) {
        ovsrec_port_update_external_ids_setkey(port, CHASSIS_ID_KEY,
                                               m->want->chassis_id);
    }
    if (m->want->flow_based) {
        const char *tt = smap_get(&port->external_ids, TUNNEL_TYPE_KEY);
        if (!tt || strcmp(tt, type)) {
            ovsrec_port_update_external_ids_setkey(port, TUNNEL_TYPE_KEY,
                                                   type);
        }
    }
    if (m->adopt) {
        VLOG_INFO("adopted legacy tunnel port %s (%s) as %s", port->name,
                  id ? id : "", m->want->chassis_id);
        COVERAGE_INC(tunnel_sync_adopt);
        stats->adopted++;
    } else {
        VLOG_DBG("updated tunnel port %s (%s)", port->name,
                 m->want->chassis_id);
        COVERAGE_INC(tunnel_sync_update);
        stats->updated++;
    }
}

static void
apply_create(struct sync_plan *plan, const struct tunnel_mesh_port *want,
             struct ovsdb_idl_txn *txn)
{
    char name[TUNNEL_MESH_NAME_MAX + 1];
    for (unsigned int attempt = 0; ; attempt++) {
        tunnel_mesh_port_name(want->key, attempt, name);
        if (sset_add(&plan->names, name)) {
            break;
        }
    }

    struct ovsrec_interface *iface = ovsrec_interface_insert(txn);
    ovsrec_interface_set_name(iface, name);
    ovsrec_interface_set_type(iface, chassis_encap_type_name(want->type));
    ovsrec_interface_set_options(iface, &want->options);
    if (!smap_is_empty(wanted_bfd(plan, want))) {
        ovsrec_interface_set_bfd(iface, wanted_bfd(plan, want));
    }

    struct smap ids = SMAP_INITIALIZER(&ids);
    smap_add(&ids, CHASSIS_ID_KEY, want->chassis_id);
    if (want->flow_based) {
        smap_add(&ids, TUNNEL_TYPE_KEY, chassis_encap_type_name(want->type));
    }
    struct ovsrec_port *port = ovsrec_port_insert(txn);
    ovsrec_port_set_name(port, name);
    ovsrec_port_set_interfaces(port, &iface, 1);
    ovsrec_port_set_external_ids(port, &ids);
    smap_destroy(&ids);

    ovsrec_bridge_update_ports_addvalue(plan->br, port);
    VLOG_DBG("creating tunnel port %s (%s)", name, want->chassis_id);
    COVERAGE_INC(tunnel_sync_create);
}

/* Adds to 'desc' one line per change 'plan' makes: "delete BRIDGE PORT",
 * "update KEY", "adopt KEY", "create KEY", "unmark BRIDGE", "mark
 * BRIDGE". */
static void
describe_plan(const struct sync_plan *plan, struct sset *desc)
{
    for (size_t i = 0; i < plan->n_deletes; i++) {
        sset_add_and_free(desc, xasprintf("delete %s %s",
                                          plan->deletes[i].br->name,
                                          plan->deletes[i].port->name));
    }
    for (size_t i = 0; i < plan->n_matches; i++) {
        const struct sync_match *m = &plan->matches[i];
        if (m->adopt || !port_is_as_wanted(plan, m->port, m->want)) {
            sset_add_and_free(desc, xasprintf("%s %s",
                                              m->adopt ? "adopt" : "update",
                                              m->want->key));
        }
    }
    for (size_t i = 0; i < plan->n_creates; i++) {
        sset_add_and_free(desc, xasprintf("create %s",
                                          plan->creates[i]->key));
    }
    for (size_t i = 0; i < plan->n_unmark; i++) {
        sset_add_and_free(desc, xasprintf("unmark %s",
                                          plan->unmark[i]->name));
    }
    if (plan->mark) {
        sset_add_and_free(desc, xasprintf("mark %s", plan->br->name));
    }
}

/* Stores in 'stats' what apply_plan() would do with 'plan'. */
static void
count_plan(const struct sync_plan *plan, struct tunnel_sync_stats *stats)
{
    stats->deleted = plan->n_deletes;
    for (size_t i = 0; i < plan->n_matches; i++) {
        const struct sync_match *m = &plan->matches[i];
        if (m->adopt) {
            stats->adopted++;
        } else if (!port_is_as_wanted(plan, m->port, m->want)) {
            stats->updated++;
        } else {
            stats->kept++;
        }
    }
    stats->created = plan->n_creates;
    stats->marked = plan->n_unmark + (plan->mark != NULL);
}

static void
apply_plan(struct sync_plan *plan, struct ovsdb_idl_txn *txn,
           struct tunnel_sync_stats *stats)
{
    for (size_t i = 0; i < plan->n_deletes; i++) {
        const struct sync_delete *d = &plan->deletes[i];
        VLOG_DBG("deleting tunnel port %s from %s (%s)", d->port->name,
                 d->br->name, port_chassis_id(d->port));
        ovsrec_bridge_update_ports_delvalue(d->br, d->port);
        ovsrec_port_delete(d->port);
        COVERAGE_INC(tunnel_sync_delete);
    }
    stats->deleted = plan->n_deletes;

    for (size_t i = 0; i < plan->n_matches; i++) {
        const struct sync_match *m = &plan->matches[i];
        if (m->adopt || !port_is_as_wanted(plan, m->port, m->want)) {
            apply_match(plan, m, stats);
        } else {
            stats->kept++;
        }
    }

    for (size_t i = 0; i < plan->n_creates; i++) {
        apply_create(plan, plan->creates[i], txn);
    }
    stats->created = plan->n_creates;

    for (size_t i = 0; i < plan->n_unmark; i++) {
        VLOG_INFO("bridge %s: no longer the integration bridge; removed "
                  "our tunnel ports from it", plan->unmark[i]->name);
        ovsrec_bridge_update_external_ids_delkey(plan->unmark[i],
                                                 TUNNEL_SYNC_OWNER_KEY);
    }
    if (plan->mark) {
        ovsrec_bridge_update_external_ids_setkey(plan->br,
                                                 TUNNEL_SYNC_OWNER_KEY,
                                                 plan->mark);
    }
    stats->marked = plan->n_unmark + (plan->mark != NULL);
}

/* Public functions. */

void
tunnel_sync_init(struct tunnel_sync *sync)
{
    sync->owner = NULL;
    sync->bridge = NULL;
    owned_ports_init(&sync->owned);
}

void
tunnel_sync_destroy(struct tunnel_sync *sync)
{
    if (sync) {
        free(sync->owner);
        free(sync->bridge);
        sync->owner = sync->bridge = NULL;
        owned_ports_destroy(&sync->owned);
    }
}

/* Records what is ours on 'br', the target of a reconciliation by
 * 'owner', as it was found. */
static void
remember_ours(struct tunnel_sync *sync, const struct ovsrec_bridge *br,
              const char *owner)
{
    size_t n;
    const struct ovsrec_port **ports = marked_ports(br, &n);

    owned_ports_clear(&sync->owned);
    for (size_t i = 0; i < n; i++) {
        owned_ports_add(&sync->owned, ports[i]);
    }
    free(ports);
    free(sync->owner);
    sync->owner = nullable_xstrdup(owner);
    free(sync->bridge);
    sync->bridge = xstrdup(br->name);
}

bool
tunnel_sync_port_needs_sync(const struct tunnel_sync *sync,
                            const struct ovsrec_port *port)
{
    return ((port_chassis_id(port)
             || owned_ports_has_port(&sync->owned, port))
            && owned_ports_port_changed(port));
}

bool
tunnel_sync_iface_needs_sync(const struct tunnel_sync *sync,
                             const struct ovsrec_interface *iface)
{
    /* Not ours: a VIF, another system's tunnel, or an interface of a port
     * we just created (its Port comes back marked). */
    return owned_ports_iface_changed(&sync->owned, iface, true);
}

bool
tunnel_sync_bridge_needs_sync(const struct tunnel_sync *sync,
                              const struct ovsrec_bridge *br)
{
    if (ovsrec_bridge_is_new(br) || ovsrec_bridge_is_deleted(br)) {
        return true;
    }
    if (!sync->bridge || strcmp(br->name, sync->bridge)) {
        /* Another bridge: only one we own holds ports to sweep. */
        return bridge_is_owned_by(br, sync->owner);
    }
    if (sync->owner && !bridge_is_owned_by(br, sync->owner)) {
        return true;
    }
    if (!ovsrec_bridge_is_updated(br, OVSREC_BRIDGE_COL_PORTS)) {
        return false;
    }
    /* Its port list changed (a VIF came or went, most likely): are all of
     * our ports still on it?  A deleted one shows up as a deleted Port as
     * well; one moved to another bridge shows up only here. */
    size_t n = 0;
    for (size_t i = 0; i < br->n_ports; i++) {
        n += owned_ports_has_port(&sync->owned, br->ports[i]);
    }
    return n != uuidset_count(&sync->owned.ports);
}

/* Ports with more than one interface cannot be tunnels of ours: they are
 * replaced. */
static void
drop_bad_matches(struct sync_plan *plan)
{
    size_t j = 0;
    for (size_t i = 0; i < plan->n_matches; i++) {
        const struct sync_match *m = &plan->matches[i];
        if (m->port->n_interfaces == 1) {
            plan->matches[j++] = *m;
        } else {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
            VLOG_WARN_RL(&rl, "tunnel port %s has %"PRIuSIZE" interfaces; "
                         "replacing it", m->port->name, m->port->n_interfaces);
            sset_find_and_delete(&plan->matched_keys, m->want->key);
            plan_delete(plan, plan->br, m->port);
        }
    }
    plan->n_matches = j;
}

enum tunnel_sync_result
tunnel_sync_run(struct tunnel_sync *sync, const struct tunnel_mesh *mesh,
                const struct shash *bfd, const char *bridge_name,
                const char *owner,
                const struct ovsdb_idl *ovs_idl,
                struct ovsdb_idl_txn *txn, struct tunnel_sync_stats *stats,
                struct sset *plan_desc)
{
    const struct ovsrec_bridge_table *bridges
        = ovsrec_bridge_table_get(ovs_idl);
    struct tunnel_sync_stats dummy;
    stats = stats ? stats : &dummy;
    memset(stats, 0, sizeof *stats);

    COVERAGE_INC(tunnel_sync_run);

    /* Validate. */
    const struct ovsrec_bridge *br = integration_bridge_find(ovs_idl,
                                                             bridge_name);
    if (!br) {
        return TUNNEL_SYNC_NO_BRIDGE;
    }

    /* Prepare. */
    struct sync_plan plan;
    plan_init(&plan, br);
    plan.bfd = bfd;
    collect_names(bridges, &plan.names);
    prepare_target(&plan, mesh);
    drop_bad_matches(&plan);
    prepare_owned_bridges(&plan, bridges, owner);
    prepare_creates(&plan, mesh);
    remember_ours(sync, br, owner);

    /* Apply, or only count what applying would do. */
    if (plan_desc) {
        describe_plan(&plan, plan_desc);
    }
    if (txn) {
        apply_plan(&plan, txn, stats);
    } else {
        count_plan(&plan, stats);
    }
    plan_destroy(&plan);

    bool changed = (stats->created || stats->updated || stats->adopted
                    || stats->deleted || stats->marked);
    if (changed && txn) {
        VLOG_INFO("tunnels on %s: %"PRIuSIZE" created, %"PRIuSIZE
                  " updated, %"PRIuSIZE" adopted, %"PRIuSIZE" deleted, "
                  "%"PRIuSIZE" unchanged, %"PRIuSIZE" owner marks written",
                  bridge_name, stats->created, stats->updated,
                  stats->adopted, stats->deleted, stats->kept,
                  stats->marked);
    }
    return changed ? TUNNEL_SYNC_CHANGED : TUNNEL_SYNC_IN_SYNC;
}
