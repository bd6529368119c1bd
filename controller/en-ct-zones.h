/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "ct_zones": see en-ct-zones.c.  Its data is a struct
 * ct_zones (ct-zones.h).
 */

#ifndef OVNMC_EN_CT_ZONES_H
#define OVNMC_EN_CT_ZONES_H 1

struct idl_columns;

#include <stdbool.h>
#include "lib/engine.h"
#include "sset.h"

struct ct_zones;
struct ed_runtime_data;
struct engine_node;
struct ovsrec_bridge;

/* The node's inputs, given to engine_add_node() as its 'arg'. */
struct en_ct_zones_inputs {
    struct engine_node *runtime_data;       /* Handler below. */
    struct engine_node *integration_bridge; /* NULL handler. */
    struct engine_node *ovs_bridge;         /* Handler below. */
};

/* The node's data. */
struct en_ct_zones_data {
    struct en_ct_zones_inputs in;
    struct ct_zones *zones;     /* The assignment. */
    struct sset tracked_names;  /* Names whose zone was assigned, changed
                                 * or freed in this iteration. */
};

extern const struct engine_node_class en_ct_zones_class;
enum engine_input_result en_ct_zones_runtime_data_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_ct_zones_ovs_bridge_handler(
    struct engine_node *, void *data, const struct engine_context *);

void *en_ct_zones_init(void *arg);
void en_ct_zones_cleanup(void *data);
char *en_ct_zones_compare(const void *a, const void *b);

/* Brings 'cz' in line with the zone names and pins of 'rtd', reusing the
 * zones saved in 'br_int''s external_ids (may be NULL).  Logs problems if
 * 'log'.  Returns true if the assignment changed. */
bool en_ct_zones_update(struct ct_zones *cz,
                        const struct ed_runtime_data *rtd,
                        const struct ovsrec_bridge *br_int, bool log);

/* Registers "ct-zone-list", which prints the zones of 'node' (a ct_zones
 * node). */
void en_ct_zones_register_commands(struct engine_node *node);

/* Declares to 'cols' the local OVS database columns this node uses (see
 * controller/idl-columns.h). */
void en_ct_zones_declare_columns(struct idl_columns *cols);

#endif /* controller/en-ct-zones.h */
