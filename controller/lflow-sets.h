/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The southbound tables a logical flow's compilation reads besides the
 * flows themselves, in the form lib/lflow-compile.h takes them: address
 * sets and port groups as constant sets, the template variables of our
 * chassis, the DHCP option definitions, and the descriptions of the
 * meters the flows name.
 *
 * Each set is built whole by lflow_sets_build() and kept up to date from
 * the IDL's tracked changes by the lflow_sets_update_*() functions, which
 * report the names whose contents changed, so that the caller compiles
 * again only the flows that use them.
 */

#ifndef OVNMC_LFLOW_SETS_H
#define OVNMC_LFLOW_SETS_H 1

#include <stdbool.h>
#include "openvswitch/shash.h"
#include "smap.h"
#include "sset.h"

struct ovsdb_idl;
struct svec;

struct lflow_sets {
    struct shash addr_sets;     /* Address_Set name -> struct
                                 * expr_constant_set *. */
    struct shash port_groups;   /* Port_Group name -> struct
                                 * expr_constant_set * (every member). */
    struct shash pgs_of_port;   /* Port name -> struct sset * of the
                                 * Port_Group names it is in. */
    struct smap templates;      /* Our chassis's template variables. */
    struct shash dhcp_opts;     /* DHCPv4 options, struct lact_opt_def. */
    struct shash dhcpv6_opts;   /* DHCPv6 options. */
};

void lflow_sets_init(struct lflow_sets *);
void lflow_sets_destroy(struct lflow_sets *);

/* Builds every set from the SB in 'idl' for chassis 'chassis' (its name;
 * may be empty: no template variables), replacing what 'sets' held. */
void lflow_sets_build(struct lflow_sets *, const struct ovsdb_idl *idl,
                      const char *chassis);

/* Folds in the tracked changes of the Address_Set table, adding the names
 * of the sets added, changed or removed to 'changed'. */
void lflow_sets_update_addr_sets(struct lflow_sets *,
                                 const struct ovsdb_idl *idl,
                                 struct sset *changed);

/* Folds in the tracked changes of the Port_Group table, adding the names
 * of the groups added, changed or removed to 'changed'. */
void lflow_sets_update_port_groups(struct lflow_sets *,
                                   const struct ovsdb_idl *idl,
                                   struct sset *changed);

/* Rebuilds the template variables of 'chassis' from the
 * Chassis_Template_Var table, adding the names of the variables added,
 * changed or removed to 'changed'. */
void lflow_sets_update_templates(struct lflow_sets *,
                                 const struct ovsdb_idl *idl,
                                 const char *chassis, struct sset *changed);

/* Adds to 'out' the names of the template variables (^name) that 'text'
 * appears to use (a superset: it does not parse). */
void lflow_sets_scan_templates(const char *text, struct sset *out);

/* Returns the Port_Group names 'port' is in, or NULL. */
const struct sset *lflow_sets_pgs_of_port(const struct lflow_sets *,
                                          const char *port);

/* Returns, in a malloc'd string, the description in ovs-ofctl syntax
 * (flow-table.h) of the meter that id table description 'desc' stands
 * for: "name:NAME" is the SB Meter NAME, "kbps:rate=R[,burst=B]" the
 * set_meter() action's.  Returns NULL if there is no such SB meter, or
 * it has no band it can describe; then appends a message saying why to
 * 'why' if nonnull. */
char *lflow_sets_meter_desc(const struct ovsdb_idl *idl, const char *desc,
                            struct svec *why);

#endif /* controller/lflow-sets.h */
