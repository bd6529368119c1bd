/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "ovs_config": the chassis configuration parsed from the
 * Open_vSwitch row of the local OVS database.
 *
 * What the spec says: ovn-controller reads its configuration from
 * Open_vSwitch external_ids (man 8 ovn-controller;
 * Documentation/architecture.rst, section 5.1), with "<key>-<system-id>"
 * overriding "<key>".  The command line's "-n NAME" (--chassis-name)
 * replaces external_ids:system-id, as with Debian's controller.
 *
 * What we do: parse external_ids with chassis_config_parse() into a struct
 * chassis_config, and log each problem the parser reports, rate-limited.
 * A configuration never half-applies: when ovn-encap-ip or ovn-encap-type
 * leave no usable (IP, type) pair (a bad value, or none), the encaps of
 * the last configuration that had one stay in force, for the SB rows and
 * the tunnels alike, with a warning naming the values and what stays.
 * The node is UPDATED only when the parsed configuration changed, so a
 * change of a key we do not read costs nothing downstream.
 *
 * What triggers work: a change of the Open_vSwitch row.  The handler
 * ignores changes that leave external_ids alone (iface_types, bridges...);
 * anything else reparses.
 */

#ifndef OVNMC_EN_OVS_CONFIG_H
#define OVNMC_EN_OVS_CONFIG_H 1

struct idl_columns;

#include "controller/chassis-config.h"
#include "lib/engine.h"
#include "svec.h"

/* The last configuration that had a usable encap (IP, type) pair.  Owned
 * by the graph and shared by the node and its consistency-check shadow,
 * which therefore keep the same encaps; written by real runs only. */
struct en_ovs_config_last_good {
    bool valid;                 /* 'cfg' holds one. */
    struct chassis_config cfg;  /* Its encap fields are what matters. */
};

/* Initializes and destroys 'lg'. */
void en_ovs_config_last_good_init(struct en_ovs_config_last_good *lg);
void en_ovs_config_last_good_destroy(struct en_ovs_config_last_good *lg);

/* Inputs of the node, given to engine_add_node() (copied by init()). */
struct en_ovs_config_inputs {
    struct engine_node *ovs_open_vswitch;   /* OVS Open_vSwitch table. */
    const char *const *chassis_name;        /* Points to the command line's
                                             * "-n NAME" (NULL if none),
                                             * which overrides
                                             * external_ids:system-id. */
    struct en_ovs_config_last_good *last_good; /* Not owned. */
};

/* The data of the node. */
struct en_ovs_config_data {
    struct en_ovs_config_inputs in;
    struct chassis_config cfg;  /* The parsed configuration. */
    struct svec errors;         /* Problems the last parse reported. */
    bool have_row;              /* False if there is no Open_vSwitch row. */
};

extern const struct engine_node_class en_ovs_config_class;

/* Change handler for the Open_vSwitch table. */
enum engine_input_result en_ovs_config_ovs_open_vswitch_handler(
    struct engine_node *, void *data, const struct engine_context *);

/* Returns the parsed configuration held by 'data' (the node's data). */
const struct chassis_config *en_ovs_config_get(const void *data);

/* Declares to 'cols' the local OVS database columns this node uses (see
 * controller/idl-columns.h). */
void en_ovs_config_declare_columns(struct idl_columns *cols);

#endif /* controller/en-ovs-config.h */
