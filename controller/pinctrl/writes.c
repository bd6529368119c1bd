/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* SB rows that packet-ins ask for, queued and written by the main thread:
 * see writes.h. */

#include <config.h>
#include "controller/pinctrl/writes.h"

#include "controller/pinctrl/snapshot.h"
#include "coverage.h"
#include "hash.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(pinctrl_writes);
COVERAGE_DEFINE(pinctrl_write_mac_binding);
COVERAGE_DEFINE(pinctrl_write_fdb);
COVERAGE_DEFINE(pinctrl_write_vport);
COVERAGE_DEFINE(pinctrl_write_event);
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
pinctrl_writes_indexes_create(struct pinctrl_writes_indexes *ix,
                              struct ovsdb_idl *sb_idl)
{
    ix->mb_by_lport_ip = ovsdb_idl_index_create2(
        sb_idl, &sbrec_mac_binding_col_logical_port,
        &sbrec_mac_binding_col_ip);
    ix->fdb_by_mac_dp = ovsdb_idl_index_create2(
        sb_idl, &sbrec_fdb_col_mac, &sbrec_fdb_col_dp_key);
}

/* Applying. */

/* What an entry resolves to in the IDL. */
struct pw_target {
    const struct ps_datapath *dp;
    const struct ps_port *port;
    const struct sbrec_datapath_binding *dp_row;
};

static bool
pw_resolve(const struct pw_entry *e, const struct pinctrl_snapshot *snap,
           struct ovsdb_idl *idl, struct pw_target *t)
{
    t->dp = pinctrl_snapshot_find_dp(snap, e->dp_key);
    t->port = t->dp ? pinctrl_snapshot_find_port(t->dp, e->port_key) : NULL;
    t->dp_row = t->dp ? sbrec_datapath_binding_get_for_uuid(idl,
                                                            &t->dp->uuid)
                      : NULL;
    return t->port && t->dp_row;
}

static const struct sbrec_mac_binding *
find_mac_binding(struct ovsdb_idl_index *ix, const char *lport,
                 const char *ip)
{
    struct sbrec_mac_binding *key = sbrec_mac_binding_index_init_row(ix);
    sbrec_mac_binding_index_set_logical_port(key, lport);
    sbrec_mac_binding_index_set_ip(key, ip);
    const struct sbrec_mac_binding *mb = sbrec_mac_binding_index_find(ix,
                                                                      key);
    sbrec_mac_binding_index_destroy_row(key);
    return mb;
}

static void
apply_mac_binding(const struct pw_entry *e, const struct pw_target *t,
                  const struct pinctrl_writes_indexes *ix,
                  struct ovsdb_idl_txn *txn,
                  struct pinctrl_writes_stats *st)
{
    char mac[ETH_ADDR_STRLEN + 1];
    snprintf(mac, sizeof mac, ETH_ADDR_FMT, ETH_ADDR_ARGS(e->mac));

    const struct sbrec_mac_binding *mb = find_mac_binding(
        ix->mb_by_lport_ip, t->port->name, e->ip);
    if (mb && !strcmp(mb->mac, mac) && mb->datapath == t->dp_row) {
        st->unchanged++;
        return;
    }
    if (!mb) {
        mb = sbrec_mac_binding_insert(txn);
        sbrec_mac_binding_set_logical_port(mb, t->port->name);
        sbrec_mac_binding_set_ip(mb, e->ip);
    }
    sbrec_mac_binding_set_mac(mb, mac);
    sbrec_mac_binding_set_datapath(mb, t->dp_row);
    sbrec_mac_binding_set_timestamp(mb, e->wall_ms);
    st->mac_bindings++;
    COVERAGE_INC(pinctrl_write_mac_binding);
}

static void
apply_fdb(const struct pw_entry *e, const struct pw_target *t OVS_UNUSED,
          const struct pinctrl_writes_indexes *ix,
          struct ovsdb_idl_txn *txn, struct pinctrl_writes_stats *st)
{
    char mac[ETH_ADDR_STRLEN + 1];
    snprintf(mac, sizeof mac, ETH_ADDR_FMT, ETH_ADDR_ARGS(e->mac));

    struct sbrec_fdb *key = sbrec_fdb_index_init_row(ix->fdb_by_mac_dp);
    sbrec_fdb_index_set_mac(key, mac);
    sbrec_fdb_index_set_dp_key(key, e->dp_key);
    const struct sbrec_fdb *fdb = sbrec_fdb_index_find(ix->fdb_by_mac_dp,
                                                       key);
    sbrec_fdb_index_destroy_row(key);

    if (fdb && fdb->port_key == e->port_key) {
        st->unchanged++;
        return;
    }
    if (!fdb) {
        fdb = sbrec_fdb_insert(txn);
        sbrec_fdb_set_mac(fdb, mac);
        sbrec_fdb_set_dp_key(fdb, e->dp_key);
    }
    sbrec_fdb_set_port_key(fdb, e->port_key);
    st->fdbs++;
    COVERAGE_INC(pinctrl_write_fdb);
}

static void
apply_vport(const struct pw_entry *e, const struct pw_target *t,
            struct ovsdb_idl *idl, const struct sbrec_chassis *chassis,
            struct pinctrl_writes_stats *st)
{
    const struct ps_port *vp = pinctrl_snapshot_find_port_by_name(t->dp,
                                                                  e->name);
    const struct sbrec_port_binding *pb = vp
        ? sbrec_port_binding_get_for_uuid(idl, &vp->uuid) : NULL;
    if (!pb || strcmp(pb->type, "virtual")) {
        st->stale++;
        return;
    }
    if (pb->virtual_parent && !strcmp(pb->virtual_parent, t->port->name)
        && pb->chassis == chassis) {
        st->unchanged++;
        return;
    }
    sbrec_port_binding_set_virtual_parent(pb, t->port->name);
    sbrec_port_binding_set_chassis(pb, chassis);
    st->vports++;
    COVERAGE_INC(pinctrl_write_vport);
}

static void
apply_event(const struct pw_entry *e, struct ovsdb_idl *idl,
            struct ovsdb_idl_txn *txn, const struct sbrec_chassis *chassis,
            struct pinctrl_writes_stats *st)
{
    /* One row per (type, info): an event already reported by this
     * chassis and not yet consumed by the CMS is not reported again. */
    const struct sbrec_controller_event *ev;
    SBREC_CONTROLLER_EVENT_FOR_EACH (ev, idl) {
        if (ev->chassis == chassis && !strcmp(ev->event_type, e->name)
            && smap_equal(&ev->event_info, &e->info)) {
            st->unchanged++;
            return;
        }
        st->event_seq = MAX(st->event_seq, ev->seq_num);
    }
    ev = sbrec_controller_event_insert(txn);
    sbrec_controller_event_set_event_type(ev, e->name);
    sbrec_controller_event_set_event_info(ev, &e->info);
    sbrec_controller_event_set_chassis(ev, chassis);
    sbrec_controller_event_set_seq_num(ev, ++st->event_seq);
    st->events++;
    COVERAGE_INC(pinctrl_write_event);
}

void
pinctrl_writes_apply(struct pinctrl_writes *w,
                     const struct pinctrl_writes_indexes *ix,
                     struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
                     const struct pinctrl_snapshot *snap,
                     const struct sbrec_chassis *chassis,
                     struct pinctrl_writes_stats *st)
{
    struct pw_entry *e;

    st->dropped += w->n_dropped;
    w->n_dropped = 0;
    HMAP_FOR_EACH_SAFE (e, node, &w->entries) {
        struct pw_target t;
        bool needs_chassis = e->kind == PW_VPORT || e->kind == PW_EVENT;

        if (needs_chassis && !chassis) {
            continue;           /* Kept until the chassis is registered. */
        }
        if (e->kind == PW_EVENT) {
            apply_event(e, idl, txn, chassis, st);
        } else if (!pw_resolve(e, snap, idl, &t)) {
            st->stale++;
        } else if (e->kind == PW_MAC_BINDING) {
            apply_mac_binding(e, &t, ix, txn, st);
        } else if (e->kind == PW_FDB) {
            apply_fdb(e, &t, ix, txn, st);
        } else {
            apply_vport(e, &t, idl, chassis, st);
        }
        hmap_remove(&w->entries, &e->node);
        pw_entry_destroy(e);
    }
}

void
pinctrl_writes_stats_format(const struct pinctrl_writes_stats *st,
                            struct ds *s)
{
    ds_put_format(s, "SB writes: mac_binding %"PRIu64" fdb %"PRIu64
                  " vport %"PRIu64" event %"PRIu64" unchanged %"PRIu64
                  " stale %"PRIu64" dropped %"PRIu64"\n",
                  st->mac_bindings, st->fdbs, st->vports, st->events,
                  st->unchanged, st->stale, st->dropped);
}
