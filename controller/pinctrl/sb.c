/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* pinctrl's side of the SB, on the main thread: filling a snapshot
 * (snapshot.h) from the IDL, and writing the queued rows (writes.h) into
 * the SB transaction.  The handlers never touch the IDL. */

#include <config.h>
#include "controller/pinctrl/snapshot.h"
#include "controller/pinctrl/writes.h"

#include "controller/local-datapaths.h"
#include "coverage.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(pinctrl_sb);
COVERAGE_DEFINE(pinctrl_write_mac_binding);
COVERAGE_DEFINE(pinctrl_write_fdb);
COVERAGE_DEFINE(pinctrl_write_vport);
COVERAGE_DEFINE(pinctrl_write_event);
COVERAGE_DEFINE(pinctrl_write_igmp);
COVERAGE_DEFINE(pinctrl_write_svc);
COVERAGE_DEFINE(pinctrl_svc_bad_row);
COVERAGE_DEFINE(pinctrl_garp_bad_address);
COVERAGE_DEFINE(pinctrl_querier_bad_config);

/* Finds port 'name' on any local datapath of 'snap'. */
static const struct ps_port *
find_port_anywhere(const struct pinctrl_snapshot *snap, const char *name,
                   const struct ps_datapath **dpp)
{
    const struct ps_datapath *dp;
    HMAP_FOR_EACH (dp, node, &snap->dps) {
        const struct ps_port *p = pinctrl_snapshot_find_port_by_name(dp,
                                                                     name);
        if (p) {
            *dpp = dp;
            return p;
        }
    }
    return NULL;
}

/* Adds to 'snap' a periodic RA sender for each router port that asks for
 * one, with the VIFs bound here on the switch it is patched to. */
static void
fill_ras(struct pinctrl_snapshot *snap)
{
    const struct ps_datapath *rdp;
    HMAP_FOR_EACH (rdp, node, &snap->dps) {
        const struct ps_port *lrp;
        if (!rdp->is_router) {
            continue;
        }
        HMAP_FOR_EACH (lrp, node, &rdp->ports) {
            const char *peer_name = smap_get(&lrp->options, "peer");
            const struct ps_datapath *sdp;
            const struct ps_port *peer;
            if (!smap_get_bool(&lrp->options, "ipv6_ra_send_periodic", false)
                || !peer_name
                || !(peer = find_port_anywhere(snap, peer_name, &sdp))
                || sdp->is_router) {
                continue;
            }
            struct ps_ra *ra = pinctrl_snapshot_add_ra(snap, lrp->name,
                                                       sdp->key, peer->key,
                                                       &lrp->options);
            const struct ps_port *vif;
            HMAP_FOR_EACH (vif, node, &sdp->ports) {
                if (vif->local && !vif->type[0]) {
                    ra->vifs = xrealloc(ra->vifs,
                                        (ra->n_vifs + 1) * sizeof *ra->vifs);
                    ra->vifs[ra->n_vifs++] = vif->key;
                }
            }
        }
    }
}

/* Adds to 'snap' the Service_Monitor rows whose logical port is bound
 * here. */
static void
fill_svcs(struct pinctrl_snapshot *snap, struct ovsdb_idl *idl)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 60);
    const struct sbrec_service_monitor *sm;

    SBREC_SERVICE_MONITOR_FOR_EACH (sm, idl) {
        const struct ps_datapath *dp;
        const struct ps_port *port = find_port_anywhere(snap,
                                                        sm->logical_port,
                                                        &dp);
        if (!port || !port->local) {
            continue;
        }
        const struct sbrec_port_binding *pb
            = sbrec_port_binding_get_for_uuid(idl, &port->uuid);
        struct eth_addr mac, src_mac;
        ovs_be32 ip, src_ip;
        if (!pb || !pb->n_mac || !ovs_scan(pb->mac[0], ETH_ADDR_SCAN_FMT,
                                           ETH_ADDR_SCAN_ARGS(mac))
            || !ip_parse(sm->ip, &ip)
            || !eth_addr_from_string(sm->src_mac, &src_mac)
            || !ip_parse(sm->src_ip, &src_ip)) {
            VLOG_WARN_RL(&rl, "Service_Monitor "UUID_FMT" (%s %s:%"PRId64
                         "): no IPv4 address, source or port MAC to probe "
                         "with", UUID_ARGS(&sm->header_.uuid),
                         sm->logical_port, sm->ip, sm->port);
            COVERAGE_INC(pinctrl_svc_bad_row);
            continue;
        }
        struct ps_svc *svc = pinctrl_snapshot_add_svc(snap);
        svc->uuid = sm->header_.uuid;
        svc->udp = sm->protocol && !strcmp(sm->protocol, "udp");
        svc->ip = ip;
        svc->port = sm->port;
        svc->dp_key = dp->key;
        svc->port_key = port->key;
        svc->mac = mac;
        svc->src_mac = src_mac;
        svc->src_ip = src_ip;
        svc->interval_ms = 1000 * MAX(1, smap_get_int(&sm->options,
                                                      "interval", 5));
        svc->timeout_ms = 1000 * MAX(1, smap_get_int(&sm->options,
                                                     "timeout", 20));
        svc->success_count = MAX(1, smap_get_int(&sm->options,
                                                  "success_count", 1));
        svc->failure_count = MAX(1, smap_get_int(&sm->options,
                                                  "failure_count", 1));
        svc->status = nullable_xstrdup(sm->status);
    }
}

/* Parses 'addresses' ("MAC [IPv4|IPv6]... [is_chassis_resident(\"P\")]",
 * from the Port_Binding 'mac' or 'nat_addresses' of 'pb') into an
 * announcement from 'pb' on the localnet ports 'lns' of 'dp', if
 * 'local_port' (may be NULL) is claimed here, or the resident clause
 * names a port claimed here.  Names 'pb' and the bad token in a warning
 * and adds nothing if 'addresses' does not parse. */
static void
add_garp(struct pinctrl_snapshot *snap, const struct ps_datapath *dp,
         const struct sbrec_port_binding *pb, bool local,
         const char *addresses, const uint32_t *lns, size_t n_lns)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 60);
    char *copy = xstrdup(addresses), *save = NULL, *bad = NULL;
    ovs_be32 *ips = NULL;
    size_t n_ips = 0;
    struct eth_addr mac;

    char *tok = strtok_r(copy, " ", &save);
    if (!tok || !strcmp(tok, "unknown") || !strcmp(tok, "router")
        || !strcmp(tok, "dynamic")) {
        free(copy);
        return;
    }
    if (!eth_addr_from_string(tok, &mac)) {
        bad = tok;
    }
    while (!bad && (tok = strtok_r(NULL, " ", &save))) {
        struct in6_addr ip6;
        ovs_be32 ip;
        const char *q;
        if (ip_parse(tok, &ip)) {
            ips = xrealloc(ips, (n_ips + 1) * sizeof *ips);
            ips[n_ips++] = ip;
        } else if (ipv6_parse(tok, &ip6)) {
            /* Announced by neighbour advertisements, not here. */
        } else if (!strncmp(tok, "is_chassis_resident(\"", 21)
                   && (q = strchr(tok + 21, '"')) && !strcmp(q, "\")")) {
            const struct ps_datapath *rdp;
            const struct ps_port *rp;
            char *name = xmemdup0(tok + 21, q - (tok + 21));
            rp = find_port_anywhere(snap, name, &rdp);
            local = rp && rp->local;
            free(name);
        } else {
            bad = tok;
        }
    }
    if (bad) {
        COVERAGE_INC(pinctrl_garp_bad_address);
        VLOG_WARN_RL(&rl, "%s: no gratuitous ARP for \"%s\": bad address "
                     "\"%s\"", pb->logical_port, addresses, bad);
    } else if (local) {
        struct ps_garp *g = pinctrl_snapshot_add_garp(snap, pb->logical_port,
                                                      dp->key,
                                                      pb->tunnel_key, mac);
        g->lns = xmemdup(lns, n_lns * sizeof *lns);
        g->n_lns = n_lns;
        g->ips = ips;
        g->n_ips = n_ips;
        ips = NULL;
    }
    free(ips);
    free(copy);
}

/* Adds to 'snap' the gratuitous ARP announcements of the switches with a
 * localnet port: the VIFs bound here, and the NAT addresses of the gateway
 * ports resident here. */
static void
fill_garps(struct pinctrl_snapshot *snap, struct ovsdb_idl *idl)
{
    const struct ps_datapath *dp;
    HMAP_FOR_EACH (dp, node, &snap->dps) {
        const struct ps_port *p;
        uint32_t *lns = NULL;
        size_t n_lns = 0;

        HMAP_FOR_EACH (p, node, &dp->ports) {
            if (!strcmp(p->type, "localnet")) {
                lns = xrealloc(lns, (n_lns + 1) * sizeof *lns);
                lns[n_lns++] = p->key;
            }
        }
        HMAP_FOR_EACH (p, node, &dp->ports) {
            const struct sbrec_port_binding *pb;
            if (!n_lns
                || !(pb = sbrec_port_binding_get_for_uuid(idl, &p->uuid))) {
                continue;
            }
            if (!p->type[0] && p->local) {
                for (size_t i = 0; i < pb->n_mac; i++) {
                    add_garp(snap, dp, pb, true, pb->mac[i], lns, n_lns);
                }
            }
            bool l3gw = !strcmp(p->type, "l3gateway");
            if (l3gw || !strcmp(p->type, "patch")) {
                for (size_t i = 0; i < pb->n_nat_addresses; i++) {
                    add_garp(snap, dp, pb, l3gw && p->local,
                             pb->nat_addresses[i], lns, n_lns);
                }
            }
        }
        free(lns);
    }
}

/* Returns in 'mac' the MAC of Port_Binding 'pb' (the first word of its
 * first 'mac' entry); false if it has none. */
static bool
pb_mac(const struct sbrec_port_binding *pb, struct eth_addr *mac)
{
    return pb && pb->n_mac && ovs_scan(pb->mac[0], ETH_ADDR_SCAN_FMT,
                                       ETH_ADDR_SCAN_ARGS(*mac));
}

/* Is gateway port 'gw' of router 'dp' resident here: an l3gateway port
 * claimed here, or a distributed gateway port whose chassisredirect port
 * is? */
static bool
pd_gw_is_local(const struct ps_datapath *dp, const struct ps_port *gw)
{
    if (!strcmp(gw->type, "l3gateway")) {
        return gw->local;
    }
    char *cr_name = xasprintf("cr-%s", gw->name);
    const struct ps_port *cr = pinctrl_snapshot_find_port_by_name(dp,
                                                                  cr_name);
    free(cr_name);
    return cr && cr->local && !strcmp(cr->type, "chassisredirect");
}

/* Adds to 'snap' a prefix delegation client for each router port that
 * wants a prefix (options:ipv6_prefix) on a router whose gateway port
 * that asks for delegation (options:ipv6_prefix_delegation) is resident
 * here (dhcp6-pd.h). */
static void
fill_pds(struct pinctrl_snapshot *snap, struct ovsdb_idl *idl)
{
    const struct ps_datapath *dp;
    HMAP_FOR_EACH (dp, node, &snap->dps) {
        const struct ps_port *gw, *p;
        struct eth_addr gw_mac, mac;
        if (!dp->is_router) {
            continue;
        }
        HMAP_FOR_EACH (gw, node, &dp->ports) {
            if (!smap_get_bool(&gw->options, "ipv6_prefix_delegation", false)
                || !pd_gw_is_local(dp, gw)
                || !pb_mac(sbrec_port_binding_get_for_uuid(idl, &gw->uuid),
                           &gw_mac)) {
                continue;
            }
            HMAP_FOR_EACH (p, node, &dp->ports) {
                if (!smap_get_bool(&p->options, "ipv6_prefix", false)
                    || !pb_mac(sbrec_port_binding_get_for_uuid(idl,
                                                               &p->uuid),
                               &mac)) {
                    continue;
                }
                struct ps_pd *pd = pinctrl_snapshot_add_pd(snap);
                pd->gw_port = xstrdup(gw->name);
                pd->port = xstrdup(p->name);
                pd->dp_key = dp->key;
                pd->gw_key = gw->key;
                pd->port_key = p->key;
                pd->gw_mac = gw_mac;
                pd->mac = mac;
                pd->pd_list = nullable_xstrdup(
                    smap_get(&p->options, "ipv6_ra_pd_list"));
            }
        }
    }
}

/* Fills the querier configuration of 'dp' from 'ipm' (querier.h).  A
 * querier needs eth_src and ip4_src; one whose source does not parse is
 * named in a warning and sends nothing. */
static void
fill_querier(struct ps_datapath *dp, const struct sbrec_ip_multicast *ipm)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 60);

    dp->mcast_query_interval_s = (ipm->n_query_interval
                                  && *ipm->query_interval > 0
                                  ? MIN(*ipm->query_interval, 3600) : 150);
    dp->mcast_query_max_resp_s = (ipm->n_query_max_resp
                                  && *ipm->query_max_resp > 0
                                  ? MIN(*ipm->query_max_resp, 10) : 1);
    if (!ipm->n_querier || !ipm->querier[0] || !ipm->eth_src[0]
        || !ipm->ip4_src[0]) {
        /* Not a querier, or no source configured: not one either. */
        return;
    }
    if (!eth_addr_from_string(ipm->eth_src, &dp->mcast_eth_src)
        || !ip_parse(ipm->ip4_src, &dp->mcast_ip4_src)
        || (ipm->ip6_src[0]
            && !ipv6_parse(ipm->ip6_src, &dp->mcast_ip6_src))) {
        COVERAGE_INC(pinctrl_querier_bad_config);
        VLOG_WARN_RL(&rl, "datapath %"PRIu32": no multicast queries: bad "
                     "source (eth_src \"%s\", ip4_src \"%s\", ip6_src "
                     "\"%s\")", dp->key, ipm->eth_src, ipm->ip4_src,
                     ipm->ip6_src);
        memset(&dp->mcast_ip6_src, 0, sizeof dp->mcast_ip6_src);
        return;
    }
    dp->mcast_querier = true;
}

void
pinctrl_snapshot_fill(struct pinctrl_snapshot *snap, const struct hmap *dps,
                      const struct ovsdb_idl *sb_idl, const char *chassis)
{
    const struct local_datapath *ld;
    HMAP_FOR_EACH (ld, node, dps) {
        if (!pinctrl_snapshot_find_dp(snap, ld->tunnel_key)) {
            pinctrl_snapshot_add_datapath(snap, ld->tunnel_key, &ld->uuid,
                                          ld->is_router);
        }
    }
    snap->chassis = nullable_xstrdup(chassis);

    struct ovsdb_idl *idl = CONST_CAST(struct ovsdb_idl *, sb_idl);
    const struct sbrec_port_binding *pb;
    SBREC_PORT_BINDING_FOR_EACH (pb, idl) {
        struct ps_datapath *dp = pb->datapath
            ? CONST_CAST(struct ps_datapath *, pinctrl_snapshot_find_dp(
                             snap, pb->datapath->tunnel_key))
            : NULL;
        if (dp && uuid_equals(&dp->uuid, &pb->datapath->header_.uuid)
            && !pinctrl_snapshot_find_port(dp, pb->tunnel_key)) {
            struct ps_port *port = pinctrl_snapshot_add_port(
                dp, pb->tunnel_key, pb->logical_port, pb->type,
                &pb->header_.uuid);
            port->local = (chassis && pb->chassis
                           && !strcmp(pb->chassis->name, chassis));
            smap_clone(&port->options, &pb->options);
        }
    }
    fill_ras(snap);

    fill_svcs(snap, idl);
    fill_garps(snap, idl);
    fill_pds(snap, idl);
    const struct sbrec_sb_global *sbg = sbrec_sb_global_first(idl);
    if (sbg) {
        int max_s = smap_get_int(&sbg->options, "garp_max_timeout_sec", 0);
        snap->garp_max_timeout_ms = max_s > 0 ? MIN(max_s, 3600) * 1000 : 0;
    }

    const struct sbrec_ip_multicast *ipm;
    SBREC_IP_MULTICAST_FOR_EACH (ipm, idl) {
        struct ps_datapath *dp = ipm->datapath
            ? CONST_CAST(struct ps_datapath *, pinctrl_snapshot_find_dp(
                             snap, ipm->datapath->tunnel_key))
            : NULL;
        if (dp) {
            dp->mcast_snoop = ipm->n_enabled && ipm->enabled[0];
            if (ipm->n_idle_timeout && *ipm->idle_timeout > 0) {
                dp->mcast_idle_s = MIN(*ipm->idle_timeout, 3600);
            }
            if (ipm->n_table_size && *ipm->table_size > 0) {
                dp->mcast_table_size = MIN(*ipm->table_size, 32766);
            }
            fill_querier(dp, ipm);
        }
    }

    const struct sbrec_dns *dns;
    SBREC_DNS_FOR_EACH (dns, idl) {
        for (size_t i = 0; i < dns->n_datapaths; i++) {
            struct ps_datapath *dp = CONST_CAST(
                struct ps_datapath *,
                pinctrl_snapshot_find_dp(snap,
                                         dns->datapaths[i]->tunnel_key));
            if (!dp) {
                continue;
            }
            const struct smap_node *n;
            SMAP_FOR_EACH (n, &dns->records) {
                pinctrl_snapshot_add_dns(dp, n->key, n->value);
            }
        }
    }
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

/* Writes the members of a group ('e', PW_IGMP) as our chassis's
 * IGMP_Group row of the datapath 'dp_row'. */
static void
apply_igmp(const struct pw_entry *e, const struct ps_datapath *dp,
           const struct sbrec_datapath_binding *dp_row,
           struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
           const struct sbrec_chassis *chassis,
           struct pinctrl_writes_stats *st)
{
    const struct sbrec_igmp_group *g, *found = NULL;
    SBREC_IGMP_GROUP_FOR_EACH (g, idl) {
        if (g->chassis == chassis && g->datapath == dp_row
            && !strcmp(g->address, e->ip)) {
            found = g;
            break;
        }
    }

    const struct sbrec_port_binding **pbs = xmalloc(
        (e->n_ports + 1) * sizeof *pbs);
    size_t n = 0;
    for (size_t i = 0; i < e->n_ports; i++) {
        const struct ps_port *p = pinctrl_snapshot_find_port(dp,
                                                             e->ports[i]);
        const struct sbrec_port_binding *pb = p
            ? sbrec_port_binding_get_for_uuid(idl, &p->uuid) : NULL;
        if (pb) {
            pbs[n++] = pb;
        }
    }

    if (!n) {
        if (found) {
            sbrec_igmp_group_delete(found);
            st->igmp_groups++;
            COVERAGE_INC(pinctrl_write_igmp);
        } else {
            st->unchanged++;
        }
    } else {
        if (!found) {
            found = sbrec_igmp_group_insert(txn);
            sbrec_igmp_group_set_address(found, e->ip);
            sbrec_igmp_group_set_datapath(found, dp_row);
            sbrec_igmp_group_set_chassis(found, chassis);
        }
        sbrec_igmp_group_set_ports(
            found, (struct sbrec_port_binding **) pbs, n);
        st->igmp_groups++;
        COVERAGE_INC(pinctrl_write_igmp);
    }
    free(pbs);
}

static void
apply_svc_status(const struct pw_entry *e, struct ovsdb_idl *idl,
                 struct pinctrl_writes_stats *st)
{
    const struct sbrec_service_monitor *sm
        = sbrec_service_monitor_get_for_uuid(idl, &e->uuid);
    if (!sm) {
        st->stale++;
    } else if (sm->status && !strcmp(sm->status, e->name)) {
        st->unchanged++;
    } else {
        sbrec_service_monitor_set_status(sm, e->name);
        st->svc_status++;
        COVERAGE_INC(pinctrl_write_svc);
    }
}

void
pinctrl_writes_clear_igmp(struct ovsdb_idl *idl,
                          const struct sbrec_chassis *chassis)
{
    const struct sbrec_igmp_group *g;
    SBREC_IGMP_GROUP_FOR_EACH_SAFE (g, idl) {
        if (g->chassis == chassis) {
            sbrec_igmp_group_delete(g);
        }
    }
}

/* Sets the timestamp of the MAC_Binding in use that 'e' names, if there
 * is such a row (not a static binding) and it is older. */
static void
apply_mb_refresh(const struct pw_entry *e, const struct pw_target *t,
                 const struct pinctrl_writes_indexes *ix,
                 struct pinctrl_writes_stats *st)
{
    const struct sbrec_mac_binding *mb = find_mac_binding(
        ix->mb_by_lport_ip, t->port->name, e->ip);
    if (!mb || mb->datapath != t->dp_row) {
        st->stale++;
    } else if (mb->timestamp >= e->wall_ms) {
        st->unchanged++;
    } else {
        sbrec_mac_binding_set_timestamp(mb, e->wall_ms);
        st->mb_refreshes++;
    }
}

/* Sets or removes the options:ipv6_ra_pd_list of the port 'e' names, if
 * it differs. */
static void
apply_pd_list(const struct pw_entry *e, const struct pw_target *t,
              struct ovsdb_idl *idl, struct pinctrl_writes_stats *st)
{
    const struct sbrec_port_binding *pb
        = sbrec_port_binding_get_for_uuid(idl, &t->port->uuid);
    if (!pb) {
        st->stale++;
    } else if (nullable_string_is_equal(
                   smap_get(&pb->options, "ipv6_ra_pd_list"), e->name)) {
        st->unchanged++;
    } else {
        if (e->name) {
            sbrec_port_binding_update_options_setkey(pb, "ipv6_ra_pd_list",
                                                     e->name);
        } else {
            sbrec_port_binding_update_options_delkey(pb, "ipv6_ra_pd_list");
        }
        st->pd_lists++;
    }
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
        bool needs_chassis = (e->kind == PW_VPORT || e->kind == PW_EVENT
                              || e->kind == PW_IGMP);

        if (needs_chassis && !chassis) {
            continue;           /* Kept until the chassis is registered. */
        }
        if (e->kind == PW_EVENT) {
            apply_event(e, idl, txn, chassis, st);
        } else if (e->kind == PW_SVC_STATUS) {
            apply_svc_status(e, idl, st);
        } else if (e->kind == PW_IGMP) {
            t.dp = pinctrl_snapshot_find_dp(snap, e->dp_key);
            t.dp_row = t.dp ? sbrec_datapath_binding_get_for_uuid(
                                  idl, &t.dp->uuid) : NULL;
            if (t.dp_row) {
                apply_igmp(e, t.dp, t.dp_row, idl, txn, chassis, st);
            } else {
                st->stale++;
            }
        } else if (!pw_resolve(e, snap, idl, &t)) {
            st->stale++;
        } else if (e->kind == PW_MAC_BINDING) {
            apply_mac_binding(e, &t, ix, txn, st);
        } else if (e->kind == PW_MB_REFRESH) {
            apply_mb_refresh(e, &t, ix, st);
        } else if (e->kind == PW_FDB) {
            apply_fdb(e, &t, ix, txn, st);
        } else if (e->kind == PW_PD_LIST) {
            apply_pd_list(e, &t, idl, st);
        } else {
            apply_vport(e, &t, idl, chassis, st);
        }
        pinctrl_writes_remove(w, e);
    }
}

