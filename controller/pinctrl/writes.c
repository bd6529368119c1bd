/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* The queue of SB rows that packet-ins ask for: see writes.h.  Writing
 * them into a transaction is in sb.c. */

#include <config.h>
#include "controller/pinctrl/writes.h"

#include "coverage.h"
#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(pinctrl_writes);
COVERAGE_DEFINE(pinctrl_write_dropped);

void
pinctrl_writes_init(struct pinctrl_writes *w)
{
    hmap_init(&w->entries);
    w->n_dropped = 0;
}

static void
pw_entry_destroy(struct pw_entry *e)
{
    if (e) {
        free(e->key);
        free(e->ip);
        free(e->name);
        smap_destroy(&e->info);
        free(e->ports);
        free(e);
    }
}

void
pinctrl_writes_destroy(struct pinctrl_writes *w)
{
    if (w) {
        struct pw_entry *e;
        HMAP_FOR_EACH_POP (e, node, &w->entries) {
            pw_entry_destroy(e);
        }
        hmap_destroy(&w->entries);
    }
}

bool
pinctrl_writes_is_empty(const struct pinctrl_writes *w)
{
    return hmap_is_empty(&w->entries);
}

size_t
pinctrl_writes_count(const struct pinctrl_writes *w)
{
    return hmap_count(&w->entries);
}

static struct pw_entry *
pw_find(const struct pinctrl_writes *w, const char *key, uint32_t hash)
{
    struct pw_entry *e;
    HMAP_FOR_EACH_WITH_HASH (e, node, hash, &w->entries) {
        if (!strcmp(e->key, key)) {
            return e;
        }
    }
    return NULL;
}

/* Inserts 'e' into 'w', replacing an entry with the same key; takes
 * ownership of 'e'.  Returns false (and frees 'e') if 'w' is full. */
static bool
pw_insert(struct pinctrl_writes *w, struct pw_entry *e)
{
    uint32_t hash = hash_string(e->key, 0);
    struct pw_entry *old = pw_find(w, e->key, hash);

    if (old) {
        hmap_remove(&w->entries, &old->node);
        pw_entry_destroy(old);
    } else if (hmap_count(&w->entries) >= PINCTRL_WRITES_MAX) {
        w->n_dropped++;
        COVERAGE_INC(pinctrl_write_dropped);
        pw_entry_destroy(e);
        return false;
    }
    hmap_insert(&w->entries, &e->node, hash);
    return true;
}

static struct pw_entry *
pw_new(enum pw_kind kind, uint32_t dp_key, uint32_t port_key)
{
    struct pw_entry *e = xzalloc(sizeof *e);
    e->kind = kind;
    e->dp_key = dp_key;
    e->port_key = port_key;
    smap_init(&e->info);
    return e;
}

bool
pinctrl_writes_add_mac_binding(struct pinctrl_writes *w, uint32_t dp_key,
                               uint32_t port_key, const char *ip,
                               struct eth_addr mac, long long int wall_ms)
{
    struct pw_entry *e = pw_new(PW_MAC_BINDING, dp_key, port_key);
    e->ip = xstrdup(ip);
    e->mac = mac;
    e->wall_ms = wall_ms;
    e->key = xasprintf("mb|%"PRIu32"|%"PRIu32"|%s", dp_key, port_key, ip);
    return pw_insert(w, e);
}

bool
pinctrl_writes_add_mb_refresh(struct pinctrl_writes *w, uint32_t dp_key,
                              uint32_t port_key, const char *ip,
                              long long int wall_ms)
{
    struct pw_entry *e = pw_new(PW_MB_REFRESH, dp_key, port_key);
    e->ip = xstrdup(ip);
    e->wall_ms = wall_ms;
    e->key = xasprintf("mbr|%"PRIu32"|%"PRIu32"|%s", dp_key, port_key, ip);
    return pw_insert(w, e);
}

bool
pinctrl_writes_add_igmp(struct pinctrl_writes *w, uint32_t dp_key,
                        const char *address, const uint32_t *ports,
                        size_t n_ports)
{
    struct pw_entry *e = pw_new(PW_IGMP, dp_key, 0);
    e->ip = xstrdup(address);
    e->ports = n_ports ? xmemdup(ports, n_ports * sizeof *ports) : NULL;
    e->n_ports = n_ports;
    e->key = xasprintf("igmp|%"PRIu32"|%s", dp_key, address);
    return pw_insert(w, e);
}

bool
pinctrl_writes_add_svc_status(struct pinctrl_writes *w,
                              const struct uuid *uuid, const char *status)
{
    struct pw_entry *e = pw_new(PW_SVC_STATUS, 0, 0);
    e->uuid = *uuid;
    e->name = xstrdup(status);
    e->key = xasprintf("svc|"UUID_FMT, UUID_ARGS(uuid));
    return pw_insert(w, e);
}

bool
pinctrl_writes_add_pd_list(struct pinctrl_writes *w, uint32_t dp_key,
                           uint32_t port_key, const char *value)
{
    struct pw_entry *e = pw_new(PW_PD_LIST, dp_key, port_key);
    e->name = nullable_xstrdup(value);
    e->key = xasprintf("pd|%"PRIu32"|%"PRIu32, dp_key, port_key);
    return pw_insert(w, e);
}

bool
pinctrl_writes_add_fdb(struct pinctrl_writes *w, uint32_t dp_key,
                       uint32_t port_key, struct eth_addr mac)
{
    struct pw_entry *e = pw_new(PW_FDB, dp_key, port_key);
    e->mac = mac;
    e->key = xasprintf("fdb|%"PRIu32"|"ETH_ADDR_FMT, dp_key,
                       ETH_ADDR_ARGS(mac));
    return pw_insert(w, e);
}

bool
pinctrl_writes_add_vport(struct pinctrl_writes *w, uint32_t dp_key,
                         const char *vport, uint32_t parent_key)
{
    struct pw_entry *e = pw_new(PW_VPORT, dp_key, parent_key);
    e->name = xstrdup(vport);
    e->key = xasprintf("vport|%"PRIu32"|%s", dp_key, vport);
    return pw_insert(w, e);
}

bool
pinctrl_writes_add_event(struct pinctrl_writes *w, const char *type,
                         struct smap *info)
{
    struct pw_entry *e = pw_new(PW_EVENT, 0, 0);
    struct ds key = DS_EMPTY_INITIALIZER;

    e->name = xstrdup(type);
    smap_destroy(&e->info);
    smap_clone(&e->info, info);
    smap_clear(info);
    ds_put_format(&key, "event|%s", type);
    const struct smap_node **nodes = smap_sort(&e->info);
    for (size_t i = 0; i < smap_count(&e->info); i++) {
        ds_put_format(&key, "|%s=%s", nodes[i]->key, nodes[i]->value);
    }
    free(nodes);
    e->key = ds_steal_cstr(&key);
    return pw_insert(w, e);
}

void
pinctrl_writes_remove(struct pinctrl_writes *w, struct pw_entry *e)
{
    hmap_remove(&w->entries, &e->node);
    pw_entry_destroy(e);
}

void
pinctrl_writes_merge(struct pinctrl_writes *dst, struct pinctrl_writes *src)
{
    struct pw_entry *e;
    HMAP_FOR_EACH_POP (e, node, &src->entries) {
        pw_insert(dst, e);
    }
    dst->n_dropped += src->n_dropped;
    src->n_dropped = 0;
}

void
pinctrl_writes_stats_format(const struct pinctrl_writes_stats *st,
                            struct ds *s)
{
    ds_put_format(s, "SB writes: mac_binding %"PRIu64" fdb %"PRIu64
                  " vport %"PRIu64" event %"PRIu64" igmp_group %"PRIu64
                  " svc_status %"PRIu64" mac_binding_refresh %"PRIu64
                  " ipv6_ra_pd_list %"PRIu64" unchanged %"PRIu64
                  " stale %"PRIu64" dropped %"PRIu64"\n",
                  st->mac_bindings, st->fdbs, st->vports, st->events,
                  st->igmp_groups, st->svc_status, st->mb_refreshes,
                  st->pd_lists,
                  st->unchanged, st->stale, st->dropped);
}
