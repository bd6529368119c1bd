/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Reconciling patch ports with the connected localnet and l2gateway
 * ports.  See patch-sync.h.
 */

#include <config.h>
#include "controller/patch-sync.h"

#include <string.h>
#include "coverage.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "svec.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(patch_sync);

COVERAGE_DEFINE(patch_sync_run);
COVERAGE_DEFINE(patch_sync_create);
COVERAGE_DEFINE(patch_sync_update);
COVERAGE_DEFINE(patch_sync_delete);
COVERAGE_DEFINE(patch_sync_foreign);

/* A port as it exists. */
struct existing {
    const struct ovsrec_bridge *br;
    const struct ovsrec_port *port;
    bool ours;
    bool matched;
};

/* A port we want. */
struct desired {
    const struct ovsrec_bridge *br;
    char *name;
    char *peer;
    const char *key;            /* The mark's key. */
    const char *lport;          /* The mark's value. */
    const struct existing *have; /* The port of ours that is it, or
                                 * NULL: to create. */
};

/* The plan. */
struct plan {
    struct shash existing;      /* Port name -> struct existing. */
    struct desired *want;
    size_t n_want;
};

char *
patch_sync_port_name(const char *br_int, const char *lport,
                     bool provider_side)
{
    return (provider_side ? xasprintf("patch-%s-to-%s", lport, br_int)
            : xasprintf("patch-%s-to-%s", br_int, lport));
}

bool
patch_sync_is_ours(const struct ovsrec_port *port, const char **lport,
                   bool *l2gateway)
{
    const char *ln = smap_get(&port->external_ids, PATCH_SYNC_LOCALNET_KEY);
    const char *l2 = smap_get(&port->external_ids, PATCH_SYNC_L2GATEWAY_KEY);

    if ((!ln && !l2) || port->n_interfaces != 1
        || strcmp(port->interfaces[0]->type, "patch")) {
        return false;
    }
    if (lport) {
        *lport = ln ? ln : l2;
    }
    if (l2gateway) {
        *l2gateway = !ln;
    }
    return true;
}

/* Validate. */

static void
collect_existing(const struct ovsdb_idl *ovs_idl, struct plan *plan)
{
    const struct ovsrec_bridge *br;

    OVSREC_BRIDGE_FOR_EACH (br, ovs_idl) {
        for (size_t i = 0; i < br->n_ports; i++) {
            const struct ovsrec_port *port = br->ports[i];
            struct existing *e = xzalloc(sizeof *e);

            e->br = br;
            e->port = port;
            e->ours = patch_sync_is_ours(port, NULL, NULL);
            if (!shash_add_once(&plan->existing, port->name, e)) {
                free(e);
            }
        }
    }
}

/* Prepare. */

/* True if 'e' is exactly the desired port 'd'. */
static bool
is_as_wanted(const struct existing *e, const struct desired *d)
{
    const struct ovsrec_port *port = e->port;
    const struct ovsrec_interface *iface = port->interfaces[0];
    const char *peer = smap_get(&iface->options, "peer");

    return (e->br == d->br
            && !strcmp(iface->name, d->name)
            && smap_count(&iface->options) == 1 && peer
            && !strcmp(peer, d->peer)
            && smap_count(&port->external_ids) == 1
            && nullable_string_is_equal(smap_get(&port->external_ids,
                                                 d->key), d->lport));
}

/* Adds the two ports of 'w' to the plan, unless a foreign port holds one
 * of their names. */
static void
prepare_pair(struct plan *plan, const struct ovsrec_bridge *br_int,
             const struct ovsrec_bridge *provider,
             const struct patch_sync_want *w, struct svec *warnings)
{
    char *names[2] = {
        patch_sync_port_name(br_int->name, w->lport, false),
        patch_sync_port_name(br_int->name, w->lport, true),
    };
    const struct ovsrec_bridge *brs[2] = { br_int, provider };
    const char *key = (w->l2gateway ? PATCH_SYNC_L2GATEWAY_KEY
                       : PATCH_SYNC_LOCALNET_KEY);

    for (int i = 0; i < 2; i++) {
        const struct existing *e = shash_find_data(&plan->existing,
                                                   names[i]);
        if (e && !e->ours) {
            COVERAGE_INC(patch_sync_foreign);
            if (warnings) {
                svec_add_nocopy(warnings, xasprintf(
                    "%s port %s: bridge %s already has a port %s that is "
                    "not ours; not connecting it", w->l2gateway
                    ? "l2gateway" : "localnet", w->lport, e->br->name,
                    names[i]));
            }
            free(names[0]);
            free(names[1]);
            return;
        }
    }
    for (int i = 0; i < 2; i++) {
        struct existing *e = shash_find_data(&plan->existing, names[i]);
        struct desired *d = &plan->want[plan->n_want++];

        *d = (struct desired) {
            .br = brs[i], .name = names[i], .peer = xstrdup(names[!i]),
            .key = key, .lport = w->lport,
        };
        if (e && e->br == brs[i] && !e->matched
            && !strcmp(e->port->interfaces[0]->name, names[i])) {
            e->matched = true;
            d->have = e;
        }
    }
}

static void
plan_destroy(struct plan *plan)
{
    for (size_t i = 0; i < plan->n_want; i++) {
        free(plan->want[i].name);
        free(plan->want[i].peer);
    }
    free(plan->want);
    shash_destroy_free_data(&plan->existing);
}

/* Apply. */

/* Sets the mutable columns of 'port' and 'iface' as 'd' wants them (the
 * names are set when they are created). */
static void
set_port(const struct ovsrec_port *port, const struct ovsrec_interface *iface,
         const struct desired *d)
{
    struct smap options = SMAP_INITIALIZER(&options);
    struct smap ids = SMAP_INITIALIZER(&ids);

    smap_add(&options, "peer", d->peer);
    smap_add(&ids, d->key, d->lport);
    ovsrec_interface_set_type(iface, "patch");
    ovsrec_interface_set_options(iface, &options);
    ovsrec_port_set_external_ids(port, &ids);
    smap_destroy(&options);
    smap_destroy(&ids);
}

static void
apply_create(const struct desired *d, struct ovsdb_idl_txn *txn)
{
    struct ovsrec_interface *iface = ovsrec_interface_insert(txn);
    struct ovsrec_port *port = ovsrec_port_insert(txn);

    ovsrec_interface_set_name(iface, d->name);
    ovsrec_port_set_name(port, d->name);
    set_port(port, iface, d);
    ovsrec_port_set_interfaces(port, &iface, 1);
    ovsrec_bridge_update_ports_addvalue(d->br, port);
    VLOG_INFO("creating patch port %s on %s (%s=%s)", d->name, d->br->name,
              d->key, d->lport);
    COVERAGE_INC(patch_sync_create);
}

/* Records our ports as they are now (before our writes), to classify
 * later changes. */
static void
remember_ours(struct patch_sync *sync, const struct plan *plan)
{
    const struct shash_node *node;

    owned_ports_clear(&sync->owned);
    SHASH_FOR_EACH (node, &plan->existing) {
        const struct existing *e = node->data;
        if (e->ours) {
            owned_ports_add(&sync->owned, e->port);
        }
    }
}

/* Public functions. */

void
patch_sync_init(struct patch_sync *sync)
{
    owned_ports_init(&sync->owned);
}

void
patch_sync_destroy(struct patch_sync *sync)
{
    if (sync) {
        owned_ports_destroy(&sync->owned);
    }
}

/* Returns the bridge named 'name' in 'ovs_idl', or NULL. */
static const struct ovsrec_bridge *
find_bridge(const struct ovsdb_idl *ovs_idl, const char *name)
{
    const struct ovsrec_bridge *br;

    OVSREC_BRIDGE_FOR_EACH (br, ovs_idl) {
        if (!strcmp(br->name, name)) {
            return br;
        }
    }
    return NULL;
}

bool
patch_sync_run(struct patch_sync *sync, const struct ovsdb_idl *ovs_idl,
               const struct ovsrec_bridge *br_int,
               const struct patch_sync_want *wants, size_t n,
               bool may_delete, struct ovsdb_idl_txn *txn,
               struct patch_sync_stats *stats,
               struct sset *plan_desc, struct svec *warnings)
{
    struct patch_sync_stats dummy;
    struct plan plan;
    const struct shash_node *node;

    stats = stats ? stats : &dummy;
    memset(stats, 0, sizeof *stats);
    COVERAGE_INC(patch_sync_run);

    /* Validate. */
    shash_init(&plan.existing);
    plan.want = xcalloc(2 * n + 1, sizeof *plan.want);
    plan.n_want = 0;
    collect_existing(ovs_idl, &plan);

    /* Prepare. */
    for (size_t i = 0; i < n; i++) {
        const struct ovsrec_bridge *provider = find_bridge(ovs_idl,
                                                           wants[i].bridge);
        if (provider && provider != br_int) {
            prepare_pair(&plan, br_int, provider, &wants[i], warnings);
        }
    }
    remember_ours(sync, &plan);

    /* Apply (or count). */
    SHASH_FOR_EACH (node, &plan.existing) {
        const struct existing *e = node->data;
        if (e->ours && !e->matched && may_delete) {
            stats->deleted++;
            if (plan_desc) {
                sset_add_and_free(plan_desc, xasprintf(
                                      "delete %s %s", e->br->name,
                                      e->port->name));
            }
            if (txn) {
                VLOG_INFO("deleting patch port %s from %s", e->port->name,
                          e->br->name);
                ovsrec_bridge_update_ports_delvalue(e->br, e->port);
                ovsrec_port_delete(e->port);
                COVERAGE_INC(patch_sync_delete);
            }
        }
    }
    for (size_t i = 0; i < plan.n_want; i++) {
        const struct desired *d = &plan.want[i];

        if (!d->have) {
            stats->created++;
            if (plan_desc) {
                sset_add_and_free(plan_desc, xasprintf("create %s",
                                                       d->name));
            }
            if (txn) {
                apply_create(d, txn);
            }
        } else if (!is_as_wanted(d->have, d)) {
            stats->updated++;
            if (plan_desc) {
                sset_add_and_free(plan_desc, xasprintf("update %s",
                                                       d->name));
            }
            if (txn) {
                set_port(d->have->port, d->have->port->interfaces[0], d);
                COVERAGE_INC(patch_sync_update);
            }
        } else {
            stats->kept++;
        }
    }
    plan_destroy(&plan);
    return stats->created || stats->updated || stats->deleted;
}

bool
patch_sync_port_needs_sync(const struct patch_sync *sync,
                           const struct ovsrec_port *port)
{
    return ((owned_ports_has_port(&sync->owned, port)
             || smap_get(&port->external_ids, PATCH_SYNC_LOCALNET_KEY)
             || smap_get(&port->external_ids, PATCH_SYNC_L2GATEWAY_KEY))
            && owned_ports_port_changed(port));
}

bool
patch_sync_iface_needs_sync(const struct patch_sync *sync,
                            const struct ovsrec_interface *iface)
{
    return owned_ports_iface_changed(&sync->owned, iface, false);
}
