/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The tunnel mesh: which tunnels this chassis wants to every other chassis.
 *
 * A pure module.  tunnel_mesh_compute() takes the local configuration (a
 * parsed struct chassis_config) and the remote chassis with their encaps, as
 * plain structs that point into whatever the caller has (SB IDL rows in the
 * daemon, literals in the unit driver), and computes:
 *
 *   - the paths: one per (remote chassis, remote encap IP, local encap IP)
 *     of the best type the two chassis share (geneve over vxlan), where the
 *     remote IP's plane (its Encap options:plane, "default" if absent)
 *     equals the local IP's plane;
 *
 *   - the ports to have on the integration bridge: in port-based mode one
 *     per path, in flow-based mode one per local encap type;
 *
 *   - the skipped items: every remote encap or chassis that builds nothing,
 *     with the reason, and whether it is a misconfiguration (to warn about)
 *     or an expected outcome (a plane or zone not shared).
 *
 * It never logs, never touches a database and keeps no state outside the
 * struct tunnel_mesh it is given.  tunnel_mesh_update_peer() folds in the
 * change of a single remote chassis, so the engine node can react to one
 * changed row without recomputing the mesh.
 *
 * Rules (Documentation/architecture.rst, section 5.3):
 *
 *   - Transport zones: two chassis peer if neither has a zone, or if they
 *     share one.  A chassis without zones is in the implicit default zone,
 *     which a chassis with zones is not in (man 8 ovn-controller).
 *
 *   - A remote encap is skipped (and warned about) if its IP does not parse,
 *     its type is not one we know, its IP is one of the local encap IPs, or
 *     another chassis lists the same (IP, type): all claimants of such a
 *     pair are skipped, since no one can tell which is right.
 *
 *   - Port-based Interface options: remote_ip, local_ip, key=flow, csum and
 *     dst_port from the remote Encap's options (when valid), tos from
 *     ovn-encap-tos, df_default from ovn-encap-df_default.  The Port's
 *     external_ids:ovn-chassis-id is "<chassis>@<remote-ip>%<local-ip>".
 *
 *   - Flow-based: one port per local type, remote_ip=flow, local_ip=flow,
 *     key=flow, tos and df_default as above, external_ids ovn-chassis-id=flow
 *     and ovn-tunnel-type=<type>.  The paths are still computed: they are
 *     the endpoints the flow tables address through tun_dst/tun_src.
 */

#ifndef OVNMC_TUNNEL_MESH_H
#define OVNMC_TUNNEL_MESH_H 1

#include <stdbool.h>
#include <stddef.h>
#include "controller/chassis-config.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "smap.h"
#include "sset.h"

struct ds;

/* Longest port name the kernel accepts (IFNAMSIZ - 1). */
#define TUNNEL_MESH_NAME_MAX 15

/* Value of external_ids:ovn-chassis-id on flow-based ports. */
#define TUNNEL_MESH_FLOW_ID "flow"

/* Input: one Encap row of a remote chassis.  Nothing is owned. */
struct tunnel_mesh_remote_encap {
    const char *type;           /* Encap type as written ("geneve"...). */
    const char *ip;             /* Encap IP as written. */
    const char *chassis_name;   /* Encap chassis_name; NULL or "" if not
                                 * set. */
    const struct smap *options; /* Encap options; NULL means none. */
};

/* Input: one remote Chassis row.  Nothing is owned. */
struct tunnel_mesh_remote {
    const char *name;                   /* Chassis name. */
    char **transport_zones;             /* Chassis transport_zones. */
    size_t n_transport_zones;
    const struct tunnel_mesh_remote_encap *encaps;
    size_t n_encaps;
};

/* Output: a path between a local and a remote encap IP. */
struct tunnel_mesh_path {
    struct hmap_node node;      /* In struct tunnel_mesh 'paths', by id. */
    struct ovs_list peer_node;  /* In struct tunnel_mesh_peer 'paths'. */
    char *id;                   /* "<chassis>@<remote-ip>%<local-ip>". */
    const struct tunnel_mesh_peer *peer; /* The remote chassis. */
    char *remote_ip;            /* Canonical text of the remote IP. */
    char *local_ip;             /* Canonical text of the local IP. */
    unsigned int encap_id;      /* Encap-ID of the local IP. */
    char *plane;                /* Shared transport plane. */
    enum chassis_encap_type type;
    bool remote_is_default;     /* Remote Encap has options:is_default. */
    const struct tunnel_mesh_port *port; /* Port carrying it. */
};

/* Output: a tunnel port to have on the integration bridge. */
struct tunnel_mesh_port {
    struct hmap_node node;      /* In struct tunnel_mesh 'ports', by key. */
    char *key;                  /* Unique: the path id (port-based), or
                                 * "flow/<type>" (flow-based). */
    char *chassis_id;           /* external_ids:ovn-chassis-id. */
    enum chassis_encap_type type; /* Interface type. */
    struct smap options;        /* Interface options. */
    bool flow_based;            /* Also set external_ids:ovn-tunnel-type. */
};

/* Output: something that builds no tunnel, and why. */
struct tunnel_mesh_skip {
    char *chassis;              /* Remote chassis name. */
    char *what;                 /* "chassis", or "<type> <ip>" of an
                                 * encap. */
    char *reason;               /* Human-readable reason. */
    bool misconfig;             /* True for bad input (warn about it), false
                                 * for an expected outcome (zone or plane
                                 * not shared). */
};

/* Output: everything about one remote chassis. */
struct tunnel_mesh_peer {
    struct hmap_node node;      /* In struct tunnel_mesh 'peers', by name. */
    char *name;                 /* Chassis name. */
    bool has_type;              /* False if no type is shared. */
    enum chassis_encap_type type; /* Best shared type, if 'has_type'. */
    struct ovs_list paths;      /* struct tunnel_mesh_path, in order. */
    struct tunnel_mesh_skip *skips; /* Skipped items, in order. */
    size_t n_skips;
    char **claims;              /* "<type> <ip>" of each encap whose IP and
                                 * type are valid, for duplicate checks. */
    size_t n_claims;
};

/* The whole mesh. */
struct tunnel_mesh {
    bool flow_based;            /* Ports are flow-based. */
    struct hmap peers;          /* struct tunnel_mesh_peer, by name. */
    struct hmap paths;          /* struct tunnel_mesh_path, by id. */
    struct hmap ports;          /* struct tunnel_mesh_port, by key. */
    struct hmap claims;         /* Private: "<type> <ip>" -> claimants. */
};

/* Initializes 'mesh' empty. */
void tunnel_mesh_init(struct tunnel_mesh *mesh);

/* Frees everything 'mesh' owns (not 'mesh' itself).  NULL-safe. */
void tunnel_mesh_destroy(struct tunnel_mesh *mesh);

/* Recomputes 'mesh' (initialized) from scratch: the local 'cfg' and the
 * 'n_remotes' remote chassis in 'remotes'.  The remote whose name is the
 * local system-id is ignored.  Copies what it keeps; 'cfg' and 'remotes'
 * stay the caller's. */
void tunnel_mesh_compute(struct tunnel_mesh *mesh,
                         const struct chassis_config *cfg,
                         const struct tunnel_mesh_remote *remotes,
                         size_t n_remotes);

/* Folds into 'mesh', computed from 'cfg', the change of the remote chassis
 * named 'name': 'remote' is its new content, or NULL if it was deleted.
 * Returns false, leaving 'mesh' untouched, if the change affects other
 * chassis (a duplicate (IP, type) appears or disappears); the caller must
 * then recompute.  If 'changed' is nonnull, stores whether 'mesh'
 * changed. */
bool tunnel_mesh_update_peer(struct tunnel_mesh *mesh,
                             const struct chassis_config *cfg,
                             const char *name,
                             const struct tunnel_mesh_remote *remote,
                             bool *changed);

/* Looks up things in 'mesh'; NULL if absent. */
const struct tunnel_mesh_peer *tunnel_mesh_find_peer(
    const struct tunnel_mesh *mesh, const char *name);
const struct tunnel_mesh_path *tunnel_mesh_find_path(
    const struct tunnel_mesh *mesh, const char *id);
const struct tunnel_mesh_port *tunnel_mesh_find_port(
    const struct tunnel_mesh *mesh, const char *key);

/* Returns the path from the local IP with Encap-ID 'encap_id' to 'peer''s
 * 'remote_ip' (canonical text), or NULL if there is none. */
const struct tunnel_mesh_path *tunnel_mesh_find_path_by_endpoint(
    const struct tunnel_mesh_peer *peer, const char *remote_ip,
    unsigned int encap_id);

/* Returns the key of the port that carries a path with external_ids
 * ovn-chassis-id 'chassis_id' (and ovn-tunnel-type 'tunnel_type', which
 * may be NULL) in a malloc'd string, or NULL if 'chassis_id' is not a form
 * we write.  A legacy "<chassis>@<remote-ip>" id yields NULL here; see
 * tunnel_mesh_adopt_legacy(). */
char *tunnel_mesh_key_from_ids(const char *chassis_id,
                               const char *tunnel_type);

/* For a legacy port id "<chassis>@<remote-ip>", as older controllers write,
 * returns the port of 'mesh' it should become: a port-based port to the same
 * chassis and remote IP whose key is not in 'taken' (keys already matched),
 * the one with the lowest local Encap-ID; NULL if none. */
const struct tunnel_mesh_port *tunnel_mesh_adopt_legacy(
    const struct tunnel_mesh *mesh, const char *legacy_id,
    const struct sset *taken_keys);

/* Stores in 'name' (TUNNEL_MESH_NAME_MAX + 1 bytes) a port name for the
 * port with 'key': "ovn-" and 11 hex digits of a hash of 'key' and
 * 'attempt'.  Deterministic; a caller that finds the name taken tries the
 * next 'attempt'. */
void tunnel_mesh_port_name(const char *key, unsigned int attempt,
                           char name[TUNNEL_MESH_NAME_MAX + 1]);

/* Returns NULL if 'a' and 'b' have the same ports, paths and skipped items,
 * otherwise a malloc'd description of the first difference. */
char *tunnel_mesh_compare(const struct tunnel_mesh *a,
                          const struct tunnel_mesh *b);

/* Number of skipped items in 'mesh'. */
size_t tunnel_mesh_count_skips(const struct tunnel_mesh *mesh);

/* Appends to 'out' a deterministic listing of 'mesh' (peers in name order;
 * their paths, ports and skipped items), one item per line.  Meant for
 * golden tests. */
void tunnel_mesh_format(const struct tunnel_mesh *mesh, struct ds *out);

/* Returns the peers of 'mesh' sorted by name, in a malloc'd array of
 * tunnel_mesh_count_peers() elements the caller frees. */
const struct tunnel_mesh_peer **tunnel_mesh_sorted_peers(
    const struct tunnel_mesh *mesh);
size_t tunnel_mesh_count_peers(const struct tunnel_mesh *mesh);

#endif /* controller/tunnel-mesh.h */
