/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "runtime_data": the logical ports bound to this chassis, the
 * local datapaths, and the names that need conntrack zones.
 *
 * What the spec says: a chassis claims the ports whose VIFs are plugged
 * into its integration bridge and the gateway ports it is named for
 * (ovn-architecture(7), "Life Cycle of a VIF"), and runs the pipelines of
 * the datapaths those ports are on and of every datapath reachable from
 * them through patch ports.  What we do: binding.c decides each port from
 * plain inputs, local-datapaths.c computes the closure; this file reads
 * the OVS and SB IDLs into those inputs and keeps the results.  It writes
 * nothing: en-binding-sync.c does.
 *
 * What triggers work: an Interface on the integration bridge added,
 * removed or changed re-decides only the iface-ids it had and has; a
 * Port_Binding added, removed or changed re-decides only that port and its
 * containers; a change of the encap IPs, the default or the encap types
 * re-chooses the encaps and updates only the bindings whose choice
 * changed; patch ports, gateway rows, a new system-id or hostname and the
 * integration bridge appearing or going trigger a recompute.
 */

#ifndef OVNMC_EN_RUNTIME_DATA_H
#define OVNMC_EN_RUNTIME_DATA_H 1

struct idl_columns;

#include <stdbool.h>
#include <stdint.h>
#include "controller/binding.h"
#include "controller/chassis-config.h"
#include "controller/local-datapaths.h"
#include "controller/vif-index.h"
#include "lib/engine.h"
#include "openvswitch/shash.h"
#include "openvswitch/uuid.h"
#include "simap.h"
#include "sset.h"
#include "uuidset.h"

struct chassis_config;
struct ds;
struct ovsdb_idl;
struct ovsrec_bridge;
struct sbrec_chassis;

/* A logical port bound here (claimed, or a localport with a VIF here). */
struct local_binding {
    char *lport;                /* Port_Binding.logical_port. */
    char *type;                 /* Port_Binding.type. */
    struct uuid pb_uuid;        /* The Port_Binding row. */
    struct uuid datapath;       /* Its Datapath_Binding. */
    enum binding_role role;     /* Never BINDING_ROLE_NONE. */
    char *iface;                /* The VIF's Interface name (the parent's
                                 * for a container port); NULL if none. */
    int64_t ofport;             /* That Interface's OpenFlow port; 0 if
                                 * none (yet). */
    char *encap_ip;             /* The local encap IP chosen; NULL if the
                                 * chassis has none or the role is LOCAL. */
    enum chassis_encap_type encap_type; /* Its type. */
    char *bad_pin;              /* The VIF's encap-ip when it is not a
                                 * local encap IP; else NULL. */
    bool pinned;                /* The VIF's encap-ip chose 'encap_ip'. */
};

/* The node's inputs, given to engine_add_node() as its 'arg'. */
struct en_runtime_data_inputs {
    struct engine_node *ovs_config;          /* Node "ovs_config". */
    struct engine_node *integration_bridge;  /* "integration_bridge". */
    struct engine_node *ovs_bridge;          /* OVS Bridge table. */
    struct engine_node *ovs_port;            /* OVS Port table. */
    struct engine_node *ovs_interface;       /* OVS Interface table. */
    struct engine_node *sb_port_binding;     /* SB Port_Binding table. */
    struct engine_node *sb_datapath_binding; /* SB Datapath_Binding. */
    struct engine_node *sb_gateway_chassis;  /* SB Gateway_Chassis. */
    struct engine_node *sb_ha_chassis_group; /* SB HA_Chassis_Group. */
    struct engine_node *sb_ha_chassis;       /* SB HA_Chassis. */
};

/* The node's data. */
struct ed_runtime_data {
    struct en_runtime_data_inputs in;  /* Copy of the inputs (NULLs in the
                                        * pure helpers' callers). */
    struct shash bindings;      /* lport -> struct local_binding. */
    struct uuidset local_datapaths; /* Closure over patch ports. */
    struct hmap dps;            /* struct local_datapath, one per element
                                 * of 'local_datapaths', with its key,
                                 * kind and local peers. */
    struct ld_graph patch_graph; /* Patch links between datapaths. */
    struct sset ct_zone_names;  /* Local lports and "<dp>_dnat",
                                 * "<dp>_snat" of local datapaths. */
    struct simap ct_zone_pins;  /* Pinned zones by name. */

    /* Indexes, rebuilt on recompute and kept up to date by handlers. */
    struct shash pb_by_name;    /* lport -> struct uuid * (every PB). */
    struct shash children;      /* Parent lport -> struct sset * of its
                                 * container ports. */
    struct vif_index vifs;      /* br-int's interfaces by name and
                                 * iface-id (compared by the consistency
                                 * check; binding_sync reads it too). */

    /* Tracked changes of the last iteration. */
    struct sset tracked_lports; /* Bindings added, removed or changed. */
    bool datapaths_changed;     /* 'local_datapaths' changed. */
    struct uuidset tracked_dps; /* Datapaths that became local, stopped
                                 * being local, or whose peers changed
                                 * (unless 'recomputed'). */
    bool recomputed;            /* Recomputed: 'tracked_lports' does not
                                 * cover every change. */
    bool zones_changed;         /* 'ct_zone_names' or 'ct_zone_pins'
                                 * changed. */
    bool monitor_dirty;         /* Something the SB monitor conditions
                                 * are built from changed, maybe without
                                 * changing a binding (a new iface-id). */

    struct chassis_config cfg;  /* The configuration last used. */
};

/* Everything the computation reads.  The engine node fills it from its
 * inputs. */
struct runtime_data_inputs {
    const struct chassis_config *cfg;    /* Our configuration. */
    const struct ovsrec_bridge *br_int;  /* NULL if absent. */
    const struct ovsdb_idl *ovs_idl;     /* The local OVS DB. */
    const struct ovsdb_idl *sb_idl;      /* The SB DB. */
    bool log;                            /* False in shadow runs. */
};

/* Returns the local datapath 'uuid' of 'rtd', or NULL if it is not
 * local. */
const struct local_datapath *runtime_data_find_datapath(
    const struct ed_runtime_data *rtd, const struct uuid *uuid);

/* The engine node class and its change handlers.  Wire every input of
 * 'struct en_runtime_data_inputs' with the handler named after it
 * (integration_bridge and the gateway/HA tables: NULL, they recompute;
 * the OVS Port table: engine_noop_handler). */
extern const struct engine_node_class en_runtime_data_class;
enum engine_input_result en_runtime_data_ovs_config_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_runtime_data_ovs_interface_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_runtime_data_ovs_bridge_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_runtime_data_sb_port_binding_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_runtime_data_sb_datapath_binding_handler(
    struct engine_node *, void *data, const struct engine_context *);
/* For the OVS Port table: engine_noop_handler (Interface rows carry every
 * change that matters). */


/* Helpers. */
void *en_runtime_data_init(void *arg);
void en_runtime_data_cleanup(void *data);
void en_runtime_data_clear_tracked(void *data);
char *en_runtime_data_compare(const void *a, const void *b);

/* Recomputes 'rtd' from scratch from 'in'. */
void runtime_data_compute(struct ed_runtime_data *rtd,
                          const struct runtime_data_inputs *in);

/* Folds in the tracked changes of the br-int Interface table.  Returns
 * false if it cannot (the caller recomputes); otherwise sets '*changed'. */
bool runtime_data_handle_ifaces(struct ed_runtime_data *rtd,
                                const struct runtime_data_inputs *in,
                                bool *changed);

/* Folds in the tracked changes of the SB Port_Binding table.  Returns
 * false if it cannot (patch ports changed: the caller recomputes);
 * otherwise sets '*changed'. */
bool runtime_data_handle_port_bindings(struct ed_runtime_data *rtd,
                                       const struct runtime_data_inputs *in,
                                       bool *changed);

/* Folds in a change of the configuration: a new system-id or hostname
 * needs a recompute (returns false); new encap IPs, default or types
 * re-choose the encap of every claimed binding and change (and track)
 * only those whose choice differs; anything else is irrelevant.  Sets
 * '*changed'. */
bool runtime_data_handle_config(struct ed_runtime_data *rtd,
                                const struct runtime_data_inputs *in,
                                bool *changed);

/* Folds in the tracked changes of the SB Datapath_Binding table.  Returns
 * false if a local datapath was deleted or changed. */
bool runtime_data_handle_datapaths(struct ed_runtime_data *rtd,
                                   const struct runtime_data_inputs *in);

/* Returns the binding of 'lport', or NULL. */
const struct local_binding *runtime_data_find(
    const struct ed_runtime_data *rtd, const char *lport);





/* Declares to 'cols' the local OVS database columns this node uses (see
 * controller/idl-columns.h). */
void en_runtime_data_declare_columns(struct idl_columns *cols);

#endif /* controller/en-runtime-data.h */
