/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The southbound inputs of logical flow compilation: see lflow-sets.h.
 */

#include <config.h>

#include "controller/lflow-sets.h"

#include <ctype.h>
#include <string.h>

#include "coverage.h"
#include "lib/actions.h"
#include "lib/expr.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/dynamic-string.h"
#include "ovsdb-idl.h"
#include "svec.h"
#include "util.h"

COVERAGE_DEFINE(lflow_sets_addr_set);
COVERAGE_DEFINE(lflow_sets_port_group);
COVERAGE_DEFINE(lflow_sets_template);

void
lflow_sets_init(struct lflow_sets *sets)
{
    shash_init(&sets->addr_sets);
    shash_init(&sets->port_groups);
    shash_init(&sets->pgs_of_port);
    smap_init(&sets->templates);
    shash_init(&sets->dhcp_opts);
    shash_init(&sets->dhcpv6_opts);
}

static void
clear_pgs_of_port(struct lflow_sets *sets)
{
    struct shash_node *node;

    SHASH_FOR_EACH_SAFE (node, &sets->pgs_of_port) {
        sset_destroy(node->data);
        free(node->data);
        shash_delete(&sets->pgs_of_port, node);
    }
}

void
lflow_sets_destroy(struct lflow_sets *sets)
{
    if (sets) {
        expr_const_sets_destroy(&sets->addr_sets);
        expr_const_sets_destroy(&sets->port_groups);
        clear_pgs_of_port(sets);
        shash_destroy(&sets->pgs_of_port);
        smap_destroy(&sets->templates);
        lact_opt_defs_destroy(&sets->dhcp_opts);
        lact_opt_defs_destroy(&sets->dhcpv6_opts);
    }
}

/* Port groups. */

/* Adds (or with 'add' false removes) 'pg' to the groups of each member of
 * 'cs'. */
static void
index_members(struct lflow_sets *sets, const char *pg,
              const struct expr_constant_set *cs, bool add)
{
    for (size_t i = 0; cs && i < cs->n_values; i++) {
        const char *port = cs->values[i].string;
        struct sset *pgs = shash_find_data(&sets->pgs_of_port, port);

        if (add) {
            if (!pgs) {
                pgs = xmalloc(sizeof *pgs);
                sset_init(pgs);
                shash_add(&sets->pgs_of_port, port, pgs);
            }
            sset_add(pgs, pg);
        } else if (pgs) {
            sset_find_and_delete(pgs, pg);
            if (sset_is_empty(pgs)) {
                sset_destroy(pgs);
                free(pgs);
                shash_find_and_delete(&sets->pgs_of_port, port);
            }
        }
    }
}

/* Replaces the members of port group 'name' by the 'n' ports 'ports', or
 * removes the group if 'ports' is NULL.  Returns true if its members
 * changed. */
static bool
set_port_group(struct lflow_sets *sets, const char *name,
               const char *const *ports, size_t n)
{
    struct expr_constant_set *old = shash_find_data(&sets->port_groups,
                                                    name);
    struct sset a = SSET_INITIALIZER(&a), b = SSET_INITIALIZER(&b);
    bool changed;

    for (size_t i = 0; old && i < old->n_values; i++) {
        sset_add(&a, old->values[i].string);
    }
    for (size_t i = 0; ports && i < n; i++) {
        sset_add(&b, ports[i]);
    }
    changed = !old != !ports || !sset_equals(&a, &b);
    sset_destroy(&a);
    sset_destroy(&b);
    if (!changed) {
        return false;
    }

    COVERAGE_INC(lflow_sets_port_group);
    index_members(sets, name, old, false);
    if (ports) {
        expr_const_sets_add_strings(&sets->port_groups, name, ports, n);
        index_members(sets, name, shash_find_data(&sets->port_groups, name),
                      true);
    } else {
        expr_const_sets_remove(&sets->port_groups, name);
    }
    return true;
}

void
lflow_sets_update_port_groups(struct lflow_sets *sets,
                              const struct ovsdb_idl *idl,
                              struct sset *changed)
{
    const struct sbrec_port_group *pg;

    /* Deletions first, so that a group deleted and another of the same
     * name added in one go (a rename) ends up with the live row's
     * members. */
    SBREC_PORT_GROUP_TABLE_FOR_EACH_TRACKED (
        pg, sbrec_port_group_table_get(idl)) {
        if (sbrec_port_group_is_deleted(pg)
            && set_port_group(sets, pg->name, NULL, 0)) {
            sset_add(changed, pg->name);
        }
    }
    SBREC_PORT_GROUP_TABLE_FOR_EACH_TRACKED (
        pg, sbrec_port_group_table_get(idl)) {
        if (!sbrec_port_group_is_deleted(pg)
            && set_port_group(sets, pg->name,
                              (const char *const *) pg->ports,
                              pg->n_ports)) {
            sset_add(changed, pg->name);
        }
    }
}

/* Address sets. */

void
lflow_sets_update_addr_sets(struct lflow_sets *sets,
                            const struct ovsdb_idl *idl,
                            struct sset *changed)
{
    const struct sbrec_address_set *as;

    SBREC_ADDRESS_SET_TABLE_FOR_EACH_TRACKED (
        as, sbrec_address_set_table_get(idl)) {
        if (sbrec_address_set_is_deleted(as)) {
            expr_const_sets_remove(&sets->addr_sets, as->name);
            sset_add(changed, as->name);
        }
    }
    SBREC_ADDRESS_SET_TABLE_FOR_EACH_TRACKED (
        as, sbrec_address_set_table_get(idl)) {
        if (!sbrec_address_set_is_deleted(as)) {
            COVERAGE_INC(lflow_sets_addr_set);
            expr_const_sets_add_integers(&sets->addr_sets, as->name,
                                         (const char *const *) as->addresses,
                                         as->n_addresses);
            sset_add(changed, as->name);
        }
    }
}

/* Templates. */

/* Stores in 'vars' the template variables of 'chassis'. */
static void
read_templates(const struct ovsdb_idl *idl, const char *chassis,
               struct smap *vars)
{
    const struct sbrec_chassis_template_var *tv;

    if (!chassis || !chassis[0]) {
        return;
    }
    SBREC_CHASSIS_TEMPLATE_VAR_FOR_EACH (tv, idl) {
        if (!strcmp(tv->chassis, chassis)) {
            const struct smap_node *node;

            SMAP_FOR_EACH (node, &tv->variables) {
                smap_replace(vars, node->key, node->value);
            }
        }
    }
}

void
lflow_sets_update_templates(struct lflow_sets *sets,
                            const struct ovsdb_idl *idl, const char *chassis,
                            struct sset *changed)
{
    struct smap vars = SMAP_INITIALIZER(&vars);
    const struct smap_node *node;

    read_templates(idl, chassis, &vars);
    SMAP_FOR_EACH (node, &vars) {
        const char *old = smap_get(&sets->templates, node->key);
        if (!old || strcmp(old, node->value)) {
            sset_add(changed, node->key);
        }
    }
    SMAP_FOR_EACH (node, &sets->templates) {
        if (!smap_get(&vars, node->key)) {
            sset_add(changed, node->key);
        }
    }
    if (!sset_is_empty(changed)) {
        COVERAGE_INC(lflow_sets_template);
    }
    smap_destroy(&sets->templates);
    smap_clone(&sets->templates, &vars);
    smap_destroy(&vars);
}

void
lflow_sets_scan_templates(const char *text, struct sset *out)
{
    for (const char *p = strchr(text, '^'); p; p = strchr(p + 1, '^')) {
        size_t n = 0;

        while (isalnum((unsigned char) p[1 + n]) || p[1 + n] == '_'
               || p[1 + n] == '.') {
            n++;
        }
        if (n) {
            char *name = xmemdup0(p + 1, n);
            sset_add_and_free(out, name);
        }
    }
}

/* DHCP option definitions: the built-in ones, with the SB's over them, so
 * that options a newer northd defines are known too. */
static void
build_dhcp_opts(struct lflow_sets *sets, const struct ovsdb_idl *idl)
{
    const struct sbrec_dhcp_options *o4;
    const struct sbrec_dhcpv6_options *o6;

    lact_opt_defs_destroy(&sets->dhcp_opts);
    lact_opt_defs_destroy(&sets->dhcpv6_opts);
    shash_init(&sets->dhcp_opts);
    shash_init(&sets->dhcpv6_opts);
    lact_opt_defs_add_defaults(&sets->dhcp_opts, &sets->dhcpv6_opts);
    SBREC_DHCP_OPTIONS_FOR_EACH (o4, idl) {
        lact_opt_defs_add(&sets->dhcp_opts, o4->name, o4->code, o4->type);
    }
    SBREC_DHCPV6_OPTIONS_FOR_EACH (o6, idl) {
        lact_opt_defs_add(&sets->dhcpv6_opts, o6->name, o6->code, o6->type);
    }
}

void
lflow_sets_build(struct lflow_sets *sets, const struct ovsdb_idl *idl,
                 const char *chassis)
{
    const struct sbrec_address_set *as;
    const struct sbrec_port_group *pg;

    expr_const_sets_destroy(&sets->addr_sets);
    shash_init(&sets->addr_sets);
    SBREC_ADDRESS_SET_FOR_EACH (as, idl) {
        expr_const_sets_add_integers(&sets->addr_sets, as->name,
                                     (const char *const *) as->addresses,
                                     as->n_addresses);
    }

    expr_const_sets_destroy(&sets->port_groups);
    shash_init(&sets->port_groups);
    clear_pgs_of_port(sets);
    SBREC_PORT_GROUP_FOR_EACH (pg, idl) {
        set_port_group(sets, pg->name, (const char *const *) pg->ports,
                       pg->n_ports);
    }

    smap_clear(&sets->templates);
    read_templates(idl, chassis, &sets->templates);
    build_dhcp_opts(sets, idl);
}

const struct sset *
lflow_sets_pgs_of_port(const struct lflow_sets *sets, const char *port)
{
    return shash_find_data(&sets->pgs_of_port, port);
}

/* Meters. */

static const struct sbrec_meter *
find_meter(const struct ovsdb_idl *idl, const char *name)
{
    const struct sbrec_meter *m;

    SBREC_METER_FOR_EACH (m, idl) {
        if (!strcmp(m->name, name)) {
            return m;
        }
    }
    return NULL;
}

/* Appends " bands=type=drop rate=R burst_size=B" for 'n' bands of rates
 * 'rates' and bursts 'bursts' to 's'. */
static void
put_bands(struct ds *s, const int64_t *rates, const int64_t *bursts,
          size_t n)
{
    ds_put_cstr(s, " bands=");
    for (size_t i = 0; i < n; i++) {
        ds_put_format(s, "%stype=drop rate=%"PRId64, i ? " " : "",
                      rates[i]);
        if (bursts[i]) {
            ds_put_format(s, " burst_size=%"PRId64, bursts[i]);
        }
    }
}

/* The description of SB meter 'name', or NULL. */
static char *
named_meter_desc(const struct ovsdb_idl *idl, const char *name,
                 struct svec *why)
{
    const struct sbrec_meter *m = find_meter(idl, name);

    if (!m || !m->n_bands) {
        if (why) {
            svec_add_nocopy(why, xasprintf("meter `%s', which a logical "
                                           "flow names, is not in the SB "
                                           "Meter table%s", name,
                                           m ? " with bands" : ""));
        }
        return NULL;
    }

    int64_t *rates = xcalloc(m->n_bands, sizeof *rates);
    int64_t *bursts = xcalloc(m->n_bands, sizeof *bursts);
    bool any_burst = false;
    for (size_t i = 0; i < m->n_bands; i++) {
        rates[i] = m->bands[i]->rate;
        bursts[i] = m->bands[i]->burst_size;
        any_burst = any_burst || bursts[i];
    }

    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_format(&s, "%s%s stats", m->unit, any_burst ? " burst" : "");
    put_bands(&s, rates, bursts, m->n_bands);
    free(rates);
    free(bursts);
    return ds_steal_cstr(&s);
}

/* The description of set_meter()'s "kbps:rate=R[,burst=B]". */
static char *
rate_meter_desc(const char *spec)
{
    long long int rate = 0, burst = 0;

    if (sscanf(spec, "kbps:rate=%lld,burst=%lld", &rate, &burst) < 1
        || rate <= 0) {
        return NULL;
    }

    struct ds s = DS_EMPTY_INITIALIZER;
    int64_t r = rate, b = burst;
    ds_put_format(&s, "kbps%s stats", burst ? " burst" : "");
    put_bands(&s, &r, &b, 1);
    return ds_steal_cstr(&s);
}

char *
lflow_sets_meter_desc(const struct ovsdb_idl *idl, const char *desc,
                      struct svec *why)
{
    if (!strncmp(desc, "name:", 5)) {
        return named_meter_desc(idl, desc + 5, why);
    }
    char *d = rate_meter_desc(desc);
    if (!d && why) {
        svec_add_nocopy(why, xasprintf("meter `%s' cannot be described",
                                       desc));
    }
    return d;
}
