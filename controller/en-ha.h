/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "ha": liveness as BFD sees it, for gateways and for NICs.
 *
 * What the spec says: see controller/ha.h (gateways) and
 * Documentation/architecture.rst, sections 5.7 (NIC failover) and 8.3.
 *
 * What we do: read the HA chassis groups (and the Gateway_Chassis rows of
 * chassisredirect ports that have no group), the BFD options of SB_Global
 * (bfd-min-rx, bfd-min-tx, bfd-mult, bfd-decay-min-rx, Debian's keys),
 * and the BFD sessions of our tunnels ("bfd_status"), and decide:
 *
 *   - per group, its members as this chassis sees them and its active
 *     member (ha_compute());
 *   - the chassis to run BFD with, and the options: what "tunnel_sync"
 *     writes into the tunnels' bfd column;
 *   - under NIC failover (ovn-encap-bfd=true), per local encap IP,
 *     whether it is live: a NIC whose tunnels all run BFD and all went
 *     down (a session never up since it was enabled does not count: the
 *     peer may not run BFD) is dead, and the VIFs pinned to it are
 *     steered to the default (or the lowest live) Encap-ID by
 *     "pflow_output"; per tunnel, whether its session is down (table 80
 *     avoids it).
 *
 * "runtime_data" claims chassisredirect and external ports from the
 * active members; "ha/show" prints it all.  The node recomputes whenever
 * an input changed (a handful of groups and sessions); it tells its
 * readers what changed.
 *
 * What triggers work: the groups and their rows, SB_Global, the mesh, a
 * BFD session changing state or becoming stable, ovn-encap-bfd, and a
 * chassisredirect or external Port_Binding changing (other ports are
 * ignored).
 */

#ifndef OVNMC_EN_HA_H
#define OVNMC_EN_HA_H 1

#include <stdbool.h>
#include "controller/ha.h"
#include "lib/engine.h"
#include "smap.h"
#include "sset.h"

/* Inputs of "ha". */
struct en_ha_inputs {
    struct engine_node *ovs_config;          /* Recompute. */
    struct engine_node *bfd_status;          /* Recompute. */
    struct engine_node *tunnels;             /* Recompute. */
    struct engine_node *sb_sb_global;        /* Recompute. */
    struct engine_node *sb_ha_chassis_group; /* Recompute. */
    struct engine_node *sb_ha_chassis;       /* Recompute. */
    struct engine_node *sb_gateway_chassis;  /* Recompute. */
    struct engine_node *sb_port_binding;     /* Handler. */
};

/* The data of "ha". */
struct en_ha_data {
    struct en_ha_inputs in;
    struct ha_state state;      /* Gateways. */
    struct smap bfd_options;    /* The Interface bfd keys to set on a
                                 * tunnel that runs BFD (enable,
                                 * check_tnl_key, min_rx, ...). */
    bool encap_bfd;             /* ovn-encap-bfd: BFD on every tunnel. */
    bool *nic_live;             /* Per Encap-ID: false if every tunnel
                                 * from that local IP runs BFD and is
                                 * down. */
    size_t n_nics;
    struct sset dead_paths;     /* Ids of the tunnels whose BFD session
                                 * runs and went down (NIC failover
                                 * only). */

    /* What changed in the last run, for the readers (not compared). */
    bool gateways_changed;      /* An active member or a liveness. */
    bool nics_changed;          /* 'nic_live'. */
    struct sset tracked_peers;  /* Chassis whose tunnels' liveness
                                 * changed. */
    struct sset warned;         /* Bad rows already warned about. */
};

extern const struct engine_node_class en_ha_class;

enum engine_input_result en_ha_sb_port_binding_handler(
    struct engine_node *, void *data, const struct engine_context *);

/* True if the BFD options to set on tunnel 'key' (a mesh port key to
 * 'peer') are those of 'data' (stored in 'bfd'), or none (BFD off):
 * fills 'bfd' (initialized) and returns whether BFD runs. */
bool en_ha_tunnel_bfd(const struct en_ha_data *data, const char *peer,
                      struct smap *bfd);

/* True if the local encap IP with 'encap_id' is live. */
bool en_ha_nic_live(const struct en_ha_data *data, unsigned int encap_id);

/* Registers "ha/show" over 'node' (the "ha" node). */
void en_ha_register_commands(struct engine_node *node);

#endif /* controller/en-ha.h */
