/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "tunnels": the tunnel mesh to the other chassis.
 *
 * What the spec says (Documentation/architecture.rst, section 5.3): for each
 * remote chassis in a shared transport zone, with the best shared type
 * (geneve over vxlan), one tunnel port per (remote encap IP, local encap
 * IP) in the same plane, with options remote_ip, local_ip, key=flow, csum
 * and dst_port from the remote Encap, tos and df_default from the local
 * config, marked with Port external_ids:ovn-chassis-id; or, in flow-based
 * mode, one port per type.
 *
 * What we do: "tunnels" computes the desired mesh (controller/tunnel-mesh.c)
 * and logs misconfigured remote encaps, rate-limited, naming the chassis;
 * its data is the mesh, which the consistency check compares.  The node
 * "tunnel_sync" (en-tunnel-sync.h) puts the mesh's ports on the bridge.
 *
 * What triggers work: the configuration recomputes; a changed SB Chassis
 * or Encap row recomputes only the peer it belongs to (a duplicate (IP,
 * type) involved, or a renamed chassis, recomputes everything).
 */

#ifndef OVNMC_EN_TUNNELS_H
#define OVNMC_EN_TUNNELS_H 1

#include <stdbool.h>
#include "controller/tunnel-mesh.h"
#include "sset.h"
#include "lib/engine.h"

/* Inputs of "tunnels", given to engine_add_node() (copied by init()). */
struct en_tunnels_inputs {
    struct engine_node *ovs_config;         /* Node "ovs_config". */
    struct engine_node *sb_chassis;         /* SB Chassis table. */
    struct engine_node *sb_encap;           /* SB Encap table. */
};

/* The data of "tunnels". */
struct en_tunnels_data {
    struct en_tunnels_inputs in;
    struct tunnel_mesh *mesh;   /* The desired mesh (owned; a pointer so
                                 * that a recompute can swap it). */
    bool sb_ready;              /* The SB contents were received at least
                                 * once.  Until then 'mesh' is empty and
                                 * must not be applied: it would delete
                                 * every tunnel at each restart. */
    bool warned_flow_based;     /* The flow-based limits were logged since
                                 * the mode was last turned on. */

    /* Tracked changes of the last iteration, for the nodes that build
     * flows over the mesh. */
    struct sset tracked_peers;  /* Names of the peers added, changed or
                                 * removed by the change handlers. */
    bool recomputed;            /* The mesh was recomputed: every peer may
                                 * have changed. */
};

extern const struct engine_node_class en_tunnels_class;

/* Change handlers of "tunnels". */
enum engine_input_result en_tunnels_sb_chassis_handler(
    struct engine_node *, void *data, const struct engine_context *);
enum engine_input_result en_tunnels_sb_encap_handler(
    struct engine_node *, void *data, const struct engine_context *);

/* Returns the desired mesh held by 'data' (the data of "tunnels"). */
const struct tunnel_mesh *en_tunnels_get_mesh(const void *data);

#endif /* controller/en-tunnels.h */
