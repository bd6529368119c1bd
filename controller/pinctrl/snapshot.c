/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* The pinctrl thread's immutable view of the daemon's state: see
 * snapshot.h. */

#include <config.h>
#include "controller/pinctrl/snapshot.h"

#include <ctype.h>
#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "uuid.h"
#include "util.h"

struct pinctrl_snapshot *
pinctrl_snapshot_create(uint64_t seqno)
{
    struct pinctrl_snapshot *snap = xzalloc(sizeof *snap);
    ovs_refcount_init(&snap->ref);
    snap->seqno = seqno;
    hmap_init(&snap->dps);
    return snap;
}

struct pinctrl_snapshot *
pinctrl_snapshot_ref(const struct pinctrl_snapshot *snap_)
{
    struct pinctrl_snapshot *snap = CONST_CAST(struct pinctrl_snapshot *,
                                               snap_);
    if (snap) {
        ovs_refcount_ref(&snap->ref);
    }
    return snap;
}

static void
ps_datapath_destroy(struct ps_datapath *dp)
{
    struct ps_port *p;
    HMAP_FOR_EACH_POP (p, node, &dp->ports) {
        free(p->name);
        free(p->type);
        smap_destroy(&p->options);
        free(p);
    }
    hmap_destroy(&dp->ports);
    hmap_destroy(&dp->by_name);
    shash_destroy_free_data(&dp->dns);
    free(dp);
}

void
pinctrl_snapshot_unref(struct pinctrl_snapshot *snap)
{
    if (snap && ovs_refcount_unref(&snap->ref) == 1) {
        struct ps_datapath *dp;
        HMAP_FOR_EACH_POP (dp, node, &snap->dps) {
            ps_datapath_destroy(dp);
        }
        hmap_destroy(&snap->dps);
        for (size_t i = 0; i < snap->n_ras; i++) {
            free(snap->ras[i].lrp);
            free(snap->ras[i].vifs);
            smap_destroy(&snap->ras[i].opts);
        }
        free(snap->ras);
        for (size_t i = 0; i < snap->n_svcs; i++) {
            free(snap->svcs[i].status);
        }
        free(snap->svcs);
        for (size_t i = 0; i < snap->n_garps; i++) {
            free(snap->garps[i].owner);
            free(snap->garps[i].lns);
            free(snap->garps[i].ips);
        }
        free(snap->garps);
        for (size_t i = 0; i < snap->n_pds; i++) {
            free(snap->pds[i].gw_port);
            free(snap->pds[i].port);
            free(snap->pds[i].pd_list);
        }
        free(snap->pds);
        free(snap->chassis);
        free(snap);
    }
}

struct ps_datapath *
pinctrl_snapshot_add_datapath(struct pinctrl_snapshot *snap, uint32_t key,
                              const struct uuid *uuid, bool is_router)
{
    struct ps_datapath *dp = xzalloc(sizeof *dp);
    dp->key = key;
    dp->uuid = *uuid;
    dp->is_router = is_router;
    dp->mcast_idle_s = 300;
    dp->mcast_table_size = 2048;
    hmap_init(&dp->ports);
    hmap_init(&dp->by_name);
    shash_init(&dp->dns);
    hmap_insert(&snap->dps, &dp->node, hash_int(key, 0));
    return dp;
}

struct ps_port *
pinctrl_snapshot_add_port(struct ps_datapath *dp, uint32_t key,
                          const char *name, const char *type,
                          const struct uuid *uuid)
{
    struct ps_port *p = xzalloc(sizeof *p);
    p->key = key;
    p->name = xstrdup(name);
    p->type = xstrdup(type ? type : "");
    p->uuid = *uuid;
    smap_init(&p->options);
    hmap_insert(&dp->ports, &p->node, hash_int(key, 0));
    hmap_insert(&dp->by_name, &p->name_node, hash_string(name, 0));
    return p;
}

struct ps_ra *
pinctrl_snapshot_add_ra(struct pinctrl_snapshot *snap, const char *lrp,
                        uint32_t dp_key, uint32_t peer_key,
                        const struct smap *opts)
{
    snap->ras = xrealloc(snap->ras, (snap->n_ras + 1) * sizeof *snap->ras);
    struct ps_ra *ra = &snap->ras[snap->n_ras++];
    ra->lrp = xstrdup(lrp);
    ra->dp_key = dp_key;
    ra->peer_key = peer_key;
    ra->vifs = NULL;
    ra->n_vifs = 0;
    smap_clone(&ra->opts, opts);
    return ra;
}

struct ps_svc *
pinctrl_snapshot_add_svc(struct pinctrl_snapshot *snap)
{
    snap->svcs = xrealloc(snap->svcs,
                          (snap->n_svcs + 1) * sizeof *snap->svcs);
    struct ps_svc *svc = &snap->svcs[snap->n_svcs++];
    memset(svc, 0, sizeof *svc);
    return svc;
}

struct ps_garp *
pinctrl_snapshot_add_garp(struct pinctrl_snapshot *snap, const char *owner,
                          uint32_t dp_key, uint32_t in_key,
                          struct eth_addr mac)
{
    snap->garps = xrealloc(snap->garps,
                           (snap->n_garps + 1) * sizeof *snap->garps);
    struct ps_garp *g = &snap->garps[snap->n_garps++];
    memset(g, 0, sizeof *g);
    g->owner = xstrdup(owner);
    g->dp_key = dp_key;
    g->in_key = in_key;
    g->mac = mac;
    return g;
}

struct ps_pd *
pinctrl_snapshot_add_pd(struct pinctrl_snapshot *snap)
{
    snap->pds = xrealloc(snap->pds, (snap->n_pds + 1) * sizeof *snap->pds);
    struct ps_pd *pd = &snap->pds[snap->n_pds++];
    memset(pd, 0, sizeof *pd);
    return pd;
}

const struct ps_svc *
pinctrl_snapshot_find_svc(const struct pinctrl_snapshot *snap,
                          const struct uuid *uuid)
{
    for (size_t i = 0; i < snap->n_svcs; i++) {
        if (uuid_equals(&snap->svcs[i].uuid, uuid)) {
            return &snap->svcs[i];
        }
    }
    return NULL;
}

void
pinctrl_snapshot_add_dns(struct ps_datapath *dp, const char *name,
                         const char *addresses)
{
    char *lower = xstrdup(name);
    for (char *c = lower; *c; c++) {
        *c = tolower((unsigned char) *c);
    }
    if (!shash_find(&dp->dns, lower)) {
        shash_add_nocopy(&dp->dns, lower, xstrdup(addresses));
    } else {
        free(lower);
    }
}

const struct ps_datapath *
pinctrl_snapshot_find_dp(const struct pinctrl_snapshot *snap, uint32_t key)
{
    const struct ps_datapath *dp;
    HMAP_FOR_EACH_WITH_HASH (dp, node, hash_int(key, 0), &snap->dps) {
        if (dp->key == key) {
            return dp;
        }
    }
    return NULL;
}

const struct ps_port *
pinctrl_snapshot_find_port(const struct ps_datapath *dp, uint32_t key)
{
    const struct ps_port *p;
    HMAP_FOR_EACH_WITH_HASH (p, node, hash_int(key, 0), &dp->ports) {
        if (p->key == key) {
            return p;
        }
    }
    return NULL;
}

const struct ps_port *
pinctrl_snapshot_find_port_by_name(const struct ps_datapath *dp,
                                   const char *name)
{
    const struct ps_port *p;
    HMAP_FOR_EACH_WITH_HASH (p, name_node, hash_string(name, 0),
                             &dp->by_name) {
        if (!strcmp(p->name, name)) {
            return p;
        }
    }
    return NULL;
}

const char *
pinctrl_snapshot_find_dns(const struct ps_datapath *dp, const char *name)
{
    char lower[256];
    size_t n = strlen(name);

    if (n >= sizeof lower) {
        return NULL;
    }
    for (size_t i = 0; i <= n; i++) {
        lower[i] = tolower((unsigned char) name[i]);
    }
    return shash_find_data(&dp->dns, lower);
}

void
pinctrl_snapshot_format(const struct pinctrl_snapshot *snap, struct ds *s)
{
    size_t n_ports = 0, n_dns = 0;
    const struct ps_datapath *dp;

    HMAP_FOR_EACH (dp, node, &snap->dps) {
        n_ports += hmap_count(&dp->ports);
        n_dns += shash_count(&dp->dns);
    }
    ds_put_format(s, "snapshot %"PRIu64": chassis %s, %"PRIuSIZE
                  " datapaths, %"PRIuSIZE" ports, %"PRIuSIZE
                  " DNS records, %"PRIuSIZE" GARP announcements, %"PRIuSIZE
                  " prefix delegation clients\n",
                  snap->seqno, snap->chassis ? snap->chassis : "(none)",
                  hmap_count(&snap->dps), n_ports, n_dns, snap->n_garps,
                  snap->n_pds);
}
