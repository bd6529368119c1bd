/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "tunnel_ofports": the OpenFlow port number of each of our
 * tunnel ports on the integration bridge, for the flows that output to
 * them or read from them.
 *
 * What we do: collect the ports that carry our mark on the integration
 * bridge, and our patch ports to the provider bridges (patch-sync.h) by
 * their logical port, (tunnel_sync_collect_ports()), each by its key in
 * the mesh
 * (tunnel_mesh_port 'key'), with its Interface's ofport once ovs-vswitchd
 * assigned one.  The node only reads, so it never cancels: the flow
 * producers that depend on it keep their incremental state while
 * tunnel_sync waits for a transaction.
 *
 * What triggers work: a change of the integration bridge, of one of its
 * ports or of their interfaces that carries or concerns our mark reads the
 * ports again (a walk over our tunnel ports, not over the bridge's VIFs,
 * when only an interface changed) and tracks the keys whose ofport
 * changed.
 */

#ifndef OVNMC_EN_TUNNEL_OFPORTS_H
#define OVNMC_EN_TUNNEL_OFPORTS_H 1

#include "lib/engine.h"
#include "simap.h"
#include "sset.h"

/* The node's inputs, given to engine_add_node() (copied by init()). */
struct en_tunnel_ofports_inputs {
    struct engine_node *integration_bridge; /* Recompute. */
    struct engine_node *ovs_bridge;         /* Handler. */
    struct engine_node *ovs_port;           /* Handler. */
    struct engine_node *ovs_interface;      /* Handler. */
};

/* The node's data. */
struct en_tunnel_ofports_data {
    struct en_tunnel_ofports_inputs in;
    struct simap ofports;       /* Mesh port key -> ofport, for our ports
                                 * that have a usable one. */
    struct sset tracked;        /* Keys whose ofport appeared, changed or
                                 * went in this iteration. */
    struct simap patch_ofports; /* Logical port (localnet or l2gateway) ->
                                 * ofport of our patch port for it on the
                                 * integration bridge (patch-sync.h). */
    bool patch_changed;         /* 'patch_ofports' changed in this
                                 * iteration. */
};

extern const struct engine_node_class en_tunnel_ofports_class;

/* The change handler of the three OVS tables. */
enum engine_input_result en_tunnel_ofports_ovs_handler(
    struct engine_node *, void *data, const struct engine_context *);

#endif /* controller/en-tunnel-ofports.h */
