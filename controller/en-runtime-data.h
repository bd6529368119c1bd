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
 * containers; patch ports, gateway rows, our chassis config and the
 * bridge's port list trigger a recompute.
 */

#ifndef OVNMC_EN_RUNTIME_DATA_H
#define OVNMC_EN_RUNTIME_DATA_H 1

#include <stdbool.h>
#include <stdint.h>
#include "controller/binding.h"
#include "controller/local-datapaths.h"
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
    char *encap_ip;             /* The local encap IP chosen; NULL if the
                                 * chassis has none or the role is LOCAL. */
    enum chassis_encap_type encap_type; /* Its type. */
    char *bad_pin;              /* The VIF's encap-ip when it is not a
                                 * local encap IP; else NULL. */
};

/* The node's data. */
struct ed_runtime_data {
    struct shash bindings;      /* lport -> struct local_binding. */
    struct uuidset local_datapaths; /* Closure over patch ports. */
    struct ld_graph patch_graph; /* Patch links between datapaths. */
    struct sset ct_zone_names;  /* Local lports and "<dp>_dnat",
                                 * "<dp>_snat" of local routers. */
    struct simap ct_zone_pins;  /* Pinned zones by name. */

    /* Indexes, rebuilt on recompute and kept up to date by handlers. */
    struct shash pb_by_name;    /* lport -> struct uuid * (every PB). */
    struct shash children;      /* Parent lport -> struct sset * of its
                                 * container ports. */
    struct shash iface_ids;     /* br-int Interface name -> iface-id
                                 * (char *), as last seen. */

    /* Tracked changes of the last iteration. */
    struct sset tracked_lports; /* Bindings added, removed or changed. */
    bool datapaths_changed;     /* 'local_datapaths' changed. */
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

/* Engine callbacks and helpers. */
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

/* Folds in the tracked changes of the SB Datapath_Binding table.  Returns
 * false if a local datapath was deleted or changed. */
bool runtime_data_handle_datapaths(struct ed_runtime_data *rtd,
                                   const struct runtime_data_inputs *in);

/* Returns the binding of 'lport', or NULL. */
const struct local_binding *runtime_data_find(
    const struct ed_runtime_data *rtd, const char *lport);

/* Appends one line per binding with a bad encap pin ("lport iface
 * encap-ip=VALUE: not a local encap IP; using DEFAULT"), sorted, to 'out'.
 * For encap/show. */
void runtime_data_format_bad_pins(const struct ed_runtime_data *rtd,
                                  struct ds *out);

/* Appends a listing of every binding to 'out' (binding/show). */
void runtime_data_format_bindings(const struct ed_runtime_data *rtd,
                                  struct ds *out);

/* Sets the SB monitor conditions: everything if 'monitor_all', otherwise
 * only what is local (rows of the local datapaths, the ports of local
 * VIFs, our chassis's ports, patch and gateway ports).  'chassis' may be
 * NULL before registration. */
void runtime_data_update_sb_monitor(struct ovsdb_idl *sb_idl,
                                    const struct ed_runtime_data *rtd,
                                    const struct sbrec_chassis *chassis,
                                    bool monitor_all);

#endif /* controller/en-runtime-data.h */
