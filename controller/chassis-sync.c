/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The chassis's rows in the southbound database: see chassis-sync.h.
 */

#include <config.h>

#include "controller/chassis-sync.h"

#include <string.h>

#include "coverage.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "openvswitch/util.h"
#include "svec.h"
#include "util.h"

COVERAGE_DEFINE(chassis_sync_compute);
COVERAGE_DEFINE(chassis_sync_apply);
COVERAGE_DEFINE(chassis_sync_remove);

/* Optional features a chassis may announce in Chassis other_config, so that
 * ovn-northd relies on them.  A feature is announced (value "true", as
 * Debian's controller writes it) only once this project implements what
 * ovn-northd 23.03 then does, end to end, and a test with real packets or
 * rows shows it (tests/features.at):
 *
 *   port-up-notif: northd then takes a port's Logical_Switch_Port.up from
 *     Port_Binding.up instead of from Port_Binding.chassis.  binding_sync
 *     sets 'up' (and Interface ovn-installed) only once the port's flows
 *     are installed in OVS.
 *   ct-no-masked-label: northd then keeps the NAT and ACL flags (natted,
 *     blocked, skip_snat, force_snat, ecmp_reply_port) in ct_mark instead
 *     of ct_label bits, and writes ct_lb_mark instead of ct_lb.
 *   mac-binding-timestamp: northd then ages MAC_Binding rows by their
 *     'timestamp', which pinctrl writes and refreshes (mb-refresh.c).
 *   ovn-ct-lb-related: NOT announced.  northd then writes ct_commit_nat
 *     for traffic related to a load-balanced connection (ICMP errors) in
 *     the ACL stages of switches and the DNAT stage of routers, and the
 *     skip_snat / force_snat argument of ct_lb_mark.  All of it compiles
 *     (tests/lflow-check.at), but with our flows an ICMP error from a
 *     backend that the egress ACL stage commits with ct_commit_nat makes
 *     OVS 3.1's userspace ovs-vswitchd abort (a double free in its main
 *     thread); with Debian's controller's flows it does not.  The
 *     ct_commit_nat flows are the same; the cause is not found yet.
 *     Without the flag, the un-NAT of such an error is done by the
 *     pre-stateful ct_lb_mark and works (tests/features.at).
 */
static const struct chassis_feature {
    const char *name;
    bool announced;
} chassis_features[] = {
    { "port-up-notif", true },
    { "ct-no-masked-label", true },
    { "mac-binding-timestamp", true },
    { "ovn-ct-lb-related", false },
};

void
chassis_sync_desired_init(struct chassis_sync_desired *d)
{
    memset(d, 0, sizeof *d);
    smap_init(&d->other_config);
    sset_init(&d->transport_zones);
    sset_init(&d->pairs);
}

void
chassis_sync_desired_destroy(struct chassis_sync_desired *d)
{
    if (!d) {
        return;
    }
    free(d->name);
    free(d->hostname);
    smap_destroy(&d->other_config);
    sset_destroy(&d->transport_zones);
    for (size_t i = 0; i < d->n_encaps; i++) {
        free(d->encaps[i].ip);
        smap_destroy(&d->encaps[i].options);
    }
    free(d->encaps);
    sset_destroy(&d->pairs);
    memset(d, 0, sizeof *d);
}

/* Returns "type@ip" for an Encap pair, malloc'd. */
static char *
pair_key(const char *type, const char *ip)
{
    return xasprintf("%s@%s", type, ip);
}

static void
compute_other_config(const struct chassis_config *cfg,
                     const struct chassis_sync_host *host, struct smap *oc)
{
    smap_add(oc, "datapath-type", host->datapath_type);
    smap_add(oc, "iface-types", host->iface_types);
    smap_add(oc, "ovn-bridge-mappings", cfg->bridge_mappings);
    smap_add(oc, "ovn-chassis-mac-mappings", cfg->chassis_mac_mappings);
    smap_add(oc, "ovn-cms-options", cfg->cms_options);
    smap_add(oc, "ovn-monitor-all", cfg->monitor_all ? "true" : "false");
    smap_add(oc, "is-interconn", cfg->is_interconn ? "true" : "false");
    /* We have no logical flow cache (each flow is compiled once per change
     * and its OpenFlow flows are kept instead): say so, and report the
     * cache settings as configured, as Debian's controller does. */
    smap_add(oc, "ovn-enable-lflow-cache", "false");
    const struct smap_node *node;
    SMAP_FOR_EACH (node, &cfg->lflow_cache) {
        smap_add(oc, node->key, node->value);
    }
    for (size_t i = 0; i < ARRAY_SIZE(chassis_features); i++) {
        if (chassis_features[i].announced) {
            smap_add(oc, chassis_features[i].name, "true");
        }
    }
}

/* Fills 'owners' with "type@ip" -> chassis name for every Encap row in the
 * SB that another chassis than 'name' (or 'old_name', if nonnull) owns. */
static void
collect_foreign_encaps(struct ovsdb_idl *sb_idl, const char *name,
                       const char *old_name, struct shash *owners)
{
    const struct sbrec_encap *row;

    SBREC_ENCAP_FOR_EACH (row, sb_idl) {
        if (strcmp(row->chassis_name, name)
            && !nullable_string_is_equal(row->chassis_name, old_name)) {
            char *key = pair_key(row->type, row->ip);
            shash_replace(owners, key, row->chassis_name);
            free(key);
        }
    }
}

static void
add_encap(struct chassis_sync_desired *d, const struct chassis_config *cfg,
          const struct chassis_encap_ip *eip, enum chassis_encap_type type)
{
    struct chassis_sync_encap *e = &d->encaps[d->n_encaps++];

    e->type = type;
    e->ip = xstrdup(eip->ip);
    smap_init(&e->options);
    smap_add(&e->options, "csum", cfg->encap_csum ? "true" : "false");
    if (eip->encap_id == 0) {
        smap_add(&e->options, "is_default", "true");
    }
    if (strcmp(eip->plane, "default")) {
        smap_add(&e->options, "plane", eip->plane);
    }
}

static void
compute_encaps(const struct chassis_config *cfg, const char *old_name,
               struct ovsdb_idl *sb_idl, struct chassis_sync_desired *d,
               struct svec *problems)
{
    struct shash owners = SHASH_INITIALIZER(&owners);

    collect_foreign_encaps(sb_idl, cfg->system_id, old_name, &owners);
    d->encaps = xcalloc(cfg->n_encap_ips * CHASSIS_N_ENCAP_TYPES + 1,
                        sizeof *d->encaps);
    for (size_t i = 0; i < cfg->n_encap_ips; i++) {
        const struct chassis_encap_ip *eip = &cfg->encap_ips[i];
        for (int t = 0; t < CHASSIS_N_ENCAP_TYPES; t++) {
            if (!cfg->encap_types[t]) {
                continue;
            }
            const char *type = chassis_encap_type_name(t);
            char *key = pair_key(type, eip->ip);
            const char *owner = shash_find_data(&owners, key);
            if (owner) {
                svec_add_nocopy(problems, xasprintf(
                                    "encap %s %s is already registered by "
                                    "chassis \"%s\"; skipped",
                                    type, eip->ip, owner));
            } else {
                add_encap(d, cfg, eip, t);
            }
            sset_add_and_free(&d->pairs, key);
        }
    }
    shash_destroy(&owners);
}

void
chassis_sync_compute(const struct chassis_config *cfg,
                     const struct chassis_sync_host *host,
                     const char *old_name, struct ovsdb_idl *sb_idl,
                     struct chassis_sync_desired *out,
                     struct svec *problems)
{
    COVERAGE_INC(chassis_sync_compute);
    chassis_sync_desired_destroy(out);
    chassis_sync_desired_init(out);

    out->name = xstrdup(cfg->system_id);
    out->hostname = xstrdup(cfg->hostname);
    compute_other_config(cfg, host, &out->other_config);
    sset_clone(&out->transport_zones, &cfg->transport_zones);
    compute_encaps(cfg, old_name, sb_idl, out, problems);
}

/* Comparing. */

static bool
encap_equals(const struct chassis_sync_encap *a,
             const struct chassis_sync_encap *b)
{
    return (a->type == b->type && !strcmp(a->ip, b->ip)
            && smap_equal(&a->options, &b->options));
}

char *
chassis_sync_desired_diff(const struct chassis_sync_desired *a,
                          const struct chassis_sync_desired *b)
{
    if (!nullable_string_is_equal(a->name, b->name)) {
        return xasprintf("name %s vs %s", a->name ? a->name : "(none)",
                         b->name ? b->name : "(none)");
    }
    if (!nullable_string_is_equal(a->hostname, b->hostname)) {
        return xasprintf("hostname differs");
    }
    if (!smap_equal(&a->other_config, &b->other_config)) {
        return xasprintf("other_config differs");
    }
    if (!sset_equals(&a->transport_zones, &b->transport_zones)) {
        return xasprintf("transport_zones differ");
    }
    if (!sset_equals(&a->pairs, &b->pairs)) {
        return xasprintf("configured encap pairs differ");
    }
    if (a->n_encaps != b->n_encaps) {
        return xasprintf("%"PRIuSIZE" encaps vs %"PRIuSIZE,
                         a->n_encaps, b->n_encaps);
    }
    for (size_t i = 0; i < a->n_encaps; i++) {
        if (!encap_equals(&a->encaps[i], &b->encaps[i])) {
            return xasprintf("encap %"PRIuSIZE" differs: %s %s vs %s %s", i,
                             chassis_encap_type_name(a->encaps[i].type),
                             a->encaps[i].ip,
                             chassis_encap_type_name(b->encaps[i].type),
                             b->encaps[i].ip);
        }
    }
    return NULL;
}

/* Finding rows. */

const struct sbrec_chassis *
chassis_sync_find_chassis(struct ovsdb_idl *sb_idl, const char *name)
{
    const struct sbrec_chassis *ch;

    SBREC_CHASSIS_FOR_EACH (ch, sb_idl) {
        if (!strcmp(ch->name, name)) {
            return ch;
        }
    }
    return NULL;
}

const struct sbrec_chassis_private *
chassis_sync_find_chassis_private(struct ovsdb_idl *sb_idl, const char *name)
{
    const struct sbrec_chassis_private *cp;

    SBREC_CHASSIS_PRIVATE_FOR_EACH (cp, sb_idl) {
        if (!strcmp(cp->name, name)) {
            return cp;
        }
    }
    return NULL;
}

/* Returns the desired encap for the row 'type'/'ip', or NULL. */
static const struct chassis_sync_encap *
find_desired_encap(const struct chassis_sync_desired *d, const char *type,
                   const char *ip)
{
    for (size_t i = 0; i < d->n_encaps; i++) {
        const struct chassis_sync_encap *e = &d->encaps[i];
        if (!strcmp(chassis_encap_type_name(e->type), type)
            && !strcmp(e->ip, ip)) {
            return e;
        }
    }
    return NULL;
}

/* True if Encap 'row' is exactly the desired one for its pair. */
static bool
encap_row_matches(const struct chassis_sync_desired *d,
                  const struct sbrec_encap *row)
{
    const struct chassis_sync_encap *e = find_desired_encap(d, row->type,
                                                            row->ip);
    return (e && !strcmp(row->chassis_name, d->name)
            && smap_equal(&row->options, &e->options));
}

/* True if 'row's transport_zones are 'zones'. */
static bool
zones_match(const struct sbrec_chassis *row, const struct sset *zones)
{
    if (row->n_transport_zones != sset_count(zones)) {
        return false;
    }
    for (size_t i = 0; i < row->n_transport_zones; i++) {
        if (!sset_contains(zones, row->transport_zones[i])) {
            return false;
        }
    }
    return true;
}

/* Writing. */

/* Returns the Chassis row named 'name', or else the one named 'old_name'
 * renamed to 'name'; NULL if neither exists.  A row still named 'old_name'
 * when 'name' has one is deleted. */
static const struct sbrec_chassis *
adopt_chassis(struct ovsdb_idl *sb_idl, const char *name, const char *old_name,
              struct chassis_sync_stats *stats)
{
    const struct sbrec_chassis *ch = chassis_sync_find_chassis(sb_idl, name);
    const struct sbrec_chassis *old = (old_name && strcmp(old_name, name)
                                       ? chassis_sync_find_chassis(sb_idl,
                                                                   old_name)
                                       : NULL);
    if (old && !ch) {
        sbrec_chassis_set_name(old, name);
        stats->columns_written++;
        return old;
    } else if (old) {
        sbrec_chassis_delete(old);
        stats->rows_deleted++;
    }
    return ch;
}

static const struct sbrec_chassis *
sync_chassis_columns(const struct chassis_sync_desired *d,
                     const char *old_name, bool keep_hostname,
                     struct ovsdb_idl *sb_idl, struct ovsdb_idl_txn *txn,
                     bool *is_new, struct chassis_sync_stats *stats)
{
    const struct sbrec_chassis *ch = adopt_chassis(sb_idl, d->name, old_name,
                                                   stats);
    *is_new = !ch;
    if (!ch) {
        ch = sbrec_chassis_insert(txn);
        sbrec_chassis_set_name(ch, d->name);
        stats->rows_inserted++;
    }
    if (*is_new || (!keep_hostname && strcmp(ch->hostname, d->hostname))) {
        sbrec_chassis_set_hostname(ch, d->hostname);
        stats->columns_written++;
        stats->hostname_written = true;
    }
    if (*is_new || !smap_equal(&ch->other_config, &d->other_config)) {
        sbrec_chassis_set_other_config(ch, &d->other_config);
        stats->columns_written++;
    }
    if (!zones_match(ch, &d->transport_zones)) {
        const char **zones = sset_sort(&d->transport_zones);
        sbrec_chassis_set_transport_zones(ch, zones,
                                          sset_count(&d->transport_zones));
        free(zones);
        stats->columns_written++;
    }
    return ch;
}

/* Returns the Encap row among 'ch's encaps for 'e', or NULL. */
static const struct sbrec_encap *
find_chassis_encap(const struct sbrec_chassis *ch,
                   const struct chassis_sync_encap *e)
{
    const char *type = chassis_encap_type_name(e->type);

    for (size_t i = 0; i < ch->n_encaps; i++) {
        if (!strcmp(ch->encaps[i]->type, type)
            && !strcmp(ch->encaps[i]->ip, e->ip)) {
            return ch->encaps[i];
        }
    }
    return NULL;
}

/* Makes one Encap row match 'e', reusing 'row' if nonnull. */
static const struct sbrec_encap *
sync_encap_row(const struct chassis_sync_desired *d,
               const struct chassis_sync_encap *e,
               const struct sbrec_encap *row, struct ovsdb_idl_txn *txn,
               struct chassis_sync_stats *stats)
{
    bool is_new = !row;

    if (is_new) {
        row = sbrec_encap_insert(txn);
        sbrec_encap_set_type(row, chassis_encap_type_name(e->type));
        sbrec_encap_set_ip(row, e->ip);
        stats->rows_inserted++;
    }
    if (is_new || strcmp(row->chassis_name, d->name)) {
        sbrec_encap_set_chassis_name(row, d->name);
        stats->columns_written++;
    }
    if (is_new || !smap_equal(&row->options, &e->options)) {
        sbrec_encap_set_options(row, &e->options);
        stats->columns_written++;
    }
    return row;
}

static void
sync_encaps(const struct chassis_sync_desired *d,
            const struct sbrec_chassis *ch, bool is_new,
            struct ovsdb_idl_txn *txn, struct chassis_sync_stats *stats)
{
    const struct sbrec_encap **rows = xcalloc(d->n_encaps + 1, sizeof *rows);
    size_t n_kept = 0;
    bool changed = is_new;

    for (size_t i = 0; i < d->n_encaps; i++) {
        const struct sbrec_encap *old = (is_new ? NULL
                                         : find_chassis_encap(ch,
                                                              &d->encaps[i]));
        n_kept += old != NULL;
        changed = changed || !old;
        rows[i] = sync_encap_row(d, &d->encaps[i], old, txn, stats);
    }
    if (!is_new && n_kept != ch->n_encaps) {
        changed = true;
        for (size_t i = 0; i < ch->n_encaps; i++) {
            const struct sbrec_encap *old = ch->encaps[i];
            if (!find_desired_encap(d, old->type, old->ip)) {
                sbrec_encap_delete(old);
                stats->rows_deleted++;
            }
        }
    }
    if (changed) {
        sbrec_chassis_set_encaps(ch, (struct sbrec_encap **) rows,
                                 d->n_encaps);
        stats->columns_written++;
    }
    free(rows);
}

/* Like adopt_chassis(), for Chassis_Private. */
static const struct sbrec_chassis_private *
adopt_chassis_private(struct ovsdb_idl *sb_idl, const char *name,
                      const char *old_name, struct chassis_sync_stats *stats)
{
    const struct sbrec_chassis_private *cp
        = chassis_sync_find_chassis_private(sb_idl, name);
    const struct sbrec_chassis_private *old
        = (old_name && strcmp(old_name, name)
           ? chassis_sync_find_chassis_private(sb_idl, old_name) : NULL);

    if (old && !cp) {
        sbrec_chassis_private_set_name(old, name);
        stats->columns_written++;
        return old;
    } else if (old) {
        sbrec_chassis_private_delete(old);
        stats->rows_deleted++;
    }
    return cp;
}

static void
sync_chassis_private(const struct chassis_sync_desired *d,
                     const char *old_name, const struct sbrec_chassis *ch,
                     struct ovsdb_idl *sb_idl, struct ovsdb_idl_txn *txn,
                     struct chassis_sync_stats *stats)
{
    const struct sbrec_chassis_private *cp
        = adopt_chassis_private(sb_idl, d->name, old_name, stats);

    if (!cp) {
        cp = sbrec_chassis_private_insert(txn);
        sbrec_chassis_private_set_name(cp, d->name);
        stats->rows_inserted++;
    }
    if (cp->chassis != ch) {
        sbrec_chassis_private_set_chassis(cp, ch);
        stats->columns_written++;
    }
}

void
chassis_sync_apply(const struct chassis_sync_desired *d, const char *old_name,
                   bool keep_hostname, struct ovsdb_idl *sb_idl,
                   struct ovsdb_idl_txn *txn, struct chassis_sync_stats *stats)
{
    bool is_new;

    COVERAGE_INC(chassis_sync_apply);
    const struct sbrec_chassis *ch = sync_chassis_columns(d, old_name,
                                                          keep_hostname,
                                                          sb_idl, txn,
                                                          &is_new, stats);
    sync_encaps(d, ch, is_new, txn, stats);
    sync_chassis_private(d, old_name, ch, sb_idl, txn, stats);
}

bool
chassis_sync_remove(const char *name, struct ovsdb_idl *sb_idl,
                    struct ovsdb_idl_txn *txn)
{
    const struct sbrec_chassis *ch = chassis_sync_find_chassis(sb_idl, name);
    const struct sbrec_chassis_private *cp
        = chassis_sync_find_chassis_private(sb_idl, name);

    /* The rows are deleted through the IDL, into its open transaction. */
    ovs_assert(txn);
    COVERAGE_INC(chassis_sync_remove);
    if (ch) {
        for (size_t i = 0; i < ch->n_encaps; i++) {
            sbrec_encap_delete(ch->encaps[i]);
        }
        sbrec_chassis_delete(ch);
    }
    if (cp) {
        sbrec_chassis_private_delete(cp);
    }
    return ch || cp;
}

/* Change relevance. */

bool
chassis_sync_chassis_changed(const struct chassis_sync_desired *d,
                             const struct sbrec_chassis *row)
{
    if (!d->name || strcmp(row->name, d->name)) {
        return false;
    }
    if (sbrec_chassis_is_deleted(row)
        || strcmp(row->hostname, d->hostname)
        || !smap_equal(&row->other_config, &d->other_config)
        || !zones_match(row, &d->transport_zones)
        || row->n_encaps != d->n_encaps) {
        return true;
    }
    for (size_t i = 0; i < row->n_encaps; i++) {
        if (!encap_row_matches(d, row->encaps[i])) {
            return true;
        }
    }
    return false;
}

bool
chassis_sync_chassis_private_changed(const struct chassis_sync_desired *d,
                                     const struct sbrec_chassis_private *row)
{
    if (!d->name || strcmp(row->name, d->name)) {
        return false;
    }
    return (sbrec_chassis_private_is_deleted(row)
            || !row->chassis
            || strcmp(row->chassis->name, d->name));
}

bool
chassis_sync_encap_changed(const struct chassis_sync_desired *d,
                           const struct sbrec_encap *row)
{
    if (!d->name) {
        return false;
    }

    char *key = pair_key(row->type, row->ip);
    bool ours_configured = sset_contains(&d->pairs, key);
    bool owned_by_us = !strcmp(row->chassis_name, d->name);
    bool wanted = find_desired_encap(d, row->type, row->ip) != NULL;
    free(key);

    if (sbrec_encap_is_deleted(row)) {
        /* One of ours vanished, or a pair another chassis held is free. */
        return wanted || (ours_configured && !owned_by_us);
    }
    if (owned_by_us) {
        return !encap_row_matches(d, row);
    }
    /* Another chassis's row: it matters if it takes a pair we hold. */
    return wanted;
}
