/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "nb_cfg": acknowledges SB_Global.nb_cfg in our
 * Chassis_Private row.
 *
 * What the spec says: ovn-controller copies SB_Global nb_cfg into
 * Chassis_Private nb_cfg (and the time, in ms, into nb_cfg_timestamp) once
 * it has processed the southbound contents of that generation; ovn-northd
 * folds the minimum over all chassis into NB hv_cfg, which is what
 * "ovn-nbctl --wait=hv" waits for (man 5 ovn-sb, ovn-nb).
 *
 * What we do: the node sits after the nodes whose work an acknowledgment
 * vouches for (its inputs); the engine runs it only after they were brought
 * up to date in the same iteration, and cancels it when one of them was
 * canceled, so an acknowledgment never runs ahead of the computation.  The
 * flows computed for a new nb_cfg must also be in the switch: the node
 * remembers the generation of the engine run that first saw the value
 * (en_ctx_gen()) and writes the acknowledgment only once ofctrl reports
 * that generation installed (the "ofctrl_installed" leaf), so that
 * "ovn-nbctl --wait=hv" means "in the datapath".  It writes only when the
 * value differs.  At the same moment, as Debian's controller does, it
 * writes the integration bridge's external_ids ovn-nb-cfg (the value) and
 * ovn-nb-cfg-ts (the time of the acknowledgment, as in
 * Chassis_Private nb_cfg_timestamp), and ovn-startup-ts (when the daemon
 * started, in ms) once the bridge exists.  "debug/delay-nb-cfg-report
 * SECONDS" holds each acknowledgment back until SECONDS after the value
 * was first seen (struct en_nb_cfg_delay).
 *
 * What triggers work: SB_Global (a new nb_cfg), our Chassis_Private row
 * (created or modified), the installed generation, the integration
 * bridge, and the inputs it vouches for; each recomputes (one lookup).
 */

#ifndef OVNMC_EN_NB_CFG_H
#define OVNMC_EN_NB_CFG_H 1

#include <stdint.h>
#include "lib/engine.h"

/* "debug/delay-nb-cfg-report": how long to hold an acknowledgment back,
 * and the time the node waits for.  Owned by the graph, outside the
 * engine's data (like ofctrl): the command sets 'delay_ms', the node arms
 * 'deadline', and the leaf "nb_cfg_delay" reports a change once it has
 * passed, which runs the node again. */
struct en_nb_cfg_delay {
    long long int delay_ms;     /* 0: acknowledge at once. */
    long long int deadline;     /* time_msec() the node waits for; 0 if
                                 * none. */
};

/* Inputs of the node, given to engine_add_node() (copied by init()). */
struct en_nb_cfg_inputs {
    struct engine_node *chassis;            /* Node "chassis". */
    struct engine_node *sb_sb_global;       /* SB SB_Global table. */
    struct engine_node *sb_chassis_private; /* SB Chassis_Private table. */
    struct engine_node *ofctrl_installed;   /* Leaf "ofctrl_installed". */
    struct engine_node *integration_bridge; /* Node "integration_bridge". */
    struct engine_node *ovs_bridge;         /* OVS Bridge table. */
    struct engine_node *delay_leaf;         /* Leaf "nb_cfg_delay". */
    struct en_nb_cfg_delay *delay;          /* Not owned. */
};

/* The data of the node. */
struct en_nb_cfg_data {
    struct en_nb_cfg_inputs in;
    int64_t nb_cfg;             /* The latest SB_Global.nb_cfg seen. */
    uint64_t gen;               /* Generation of the engine run that first
                                 * saw it: acknowledged once installed. */
    long long int startup_ts;   /* When the daemon started (wall clock,
                                 * ms), for br-int's ovn-startup-ts. */
    long long int seen_ms;      /* time_msec() when 'nb_cfg' was first
                                 * seen, for the delay. */
};

extern const struct engine_node_class en_nb_cfg_class;

/* The leaf "nb_cfg_delay", over a struct en_nb_cfg_delay (its
 * engine_add_node() argument): changed once the armed deadline passed. */
extern const struct engine_node_class en_nb_cfg_delay_class;

/* Registers "debug/delay-nb-cfg-report SECONDS" over 'delay'. */
void en_nb_cfg_register_commands(struct en_nb_cfg_delay *delay);

struct idl_columns;

/* Declares the local OVS database columns the node uses (idl-columns.h). */
void en_nb_cfg_declare_columns(struct idl_columns *cols);

#endif /* controller/en-nb-cfg.h */
