/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Local datapaths: the logical datapaths whose pipelines this chassis must
 * run.
 *
 * A datapath is local when a port bound here (a VIF, a container port, a
 * chassisredirect or l3gateway port claimed here) is on it, and so is every
 * datapath reachable from a local one through patch ports (a logical
 * switch's router port and its peer on the router, and onwards).  Other
 * port types (l3gateway, chassisredirect, localnet, ...) do not extend the
 * closure.
 *
 * A pure module: the caller describes the patch-port graph as undirected
 * edges between datapath UUIDs and names the seed datapaths; the module
 * computes the closure.  It never touches a database.
 */

#ifndef OVNMC_LOCAL_DATAPATHS_H
#define OVNMC_LOCAL_DATAPATHS_H 1

#include <stdbool.h>
#include <stddef.h>
#include "openvswitch/hmap.h"
#include "openvswitch/uuid.h"
#include "uuidset.h"

struct ds;

/* The patch-port graph: for each datapath, the datapaths it is patched to,
 * with a count of patch port pairs per neighbour so that removing one pair
 * of a doubly-patched pair keeps the edge. */
struct ld_graph {
    struct hmap nodes;          /* Contains "struct ld_graph_node"s. */
};

/* One datapath in the graph. */
struct ld_graph_node {
    struct hmap_node hmap_node; /* In ld_graph's 'nodes', by uuid_hash. */
    struct uuid dp;             /* The datapath. */
    struct hmap peers;          /* Contains "struct ld_graph_peer"s. */
};

/* One neighbour of a datapath. */
struct ld_graph_peer {
    struct hmap_node hmap_node; /* In ld_graph_node's 'peers'. */
    struct uuid dp;             /* The neighbouring datapath. */
    unsigned int n_links;       /* Patch port pairs joining the two. */
};

/* Initializes 'g' empty. */
void ld_graph_init(struct ld_graph *g);

/* Frees what 'g' owns.  Accepts NULL. */
void ld_graph_destroy(struct ld_graph *g);

/* Adds one patch link between datapaths 'a' and 'b' (both directions).  A
 * link of a datapath to itself is ignored. */
void ld_graph_add_link(struct ld_graph *g, const struct uuid *a,
                       const struct uuid *b);

/* Removes one patch link between 'a' and 'b', if there is one.  Returns
 * true if the two are no longer joined at all. */
bool ld_graph_remove_link(struct ld_graph *g, const struct uuid *a,
                          const struct uuid *b);

/* Returns the graph node of 'dp', or NULL. */
const struct ld_graph_node *ld_graph_find(const struct ld_graph *g,
                                          const struct uuid *dp);

/* Returns NULL if 'a' and 'b' have the same links (with the same counts),
 * else a malloc'd description of the first difference. */
char *ld_graph_compare(const struct ld_graph *a, const struct ld_graph *b);

/* Computes into 'local' (initialized by the caller, cleared first) every
 * datapath in 'seeds' and every datapath reachable from one through
 * 'g'. */
void local_datapaths_compute(const struct ld_graph *g,
                             const struct uuidset *seeds,
                             struct uuidset *local);

/* Adds to 'local' the datapath 'seed' and everything reachable from it that
 * is not in 'local' yet.  Appends each datapath newly added to 'added' if
 * nonnull.  Returns the number added.  This is how the closure grows
 * incrementally; shrinking needs local_datapaths_compute(). */
size_t local_datapaths_grow(const struct ld_graph *g, const struct uuid *seed,
                            struct uuidset *local, struct uuidset *added);

/* Appends the UUIDs in 'set', sorted, one per line, to 'out'. */
void local_datapaths_format(const struct uuidset *set, struct ds *out);

/* True if the datapath sets 'a' and 'b' hold the same UUIDs. */
bool local_datapaths_equal(const struct uuidset *a, const struct uuidset *b);

/* What the chassis keeps about one local datapath, for the nodes that
 * build flows for it. */
struct local_datapath {
    struct hmap_node node;      /* In a map of them, by uuid_hash(uuid). */
    struct uuid uuid;           /* The Datapath_Binding row. */
    uint32_t tunnel_key;        /* Its tunnel key. */
    bool is_router;             /* A logical router (else a switch). */
    struct uuidset peers;       /* Local datapaths joined to it by patch
                                 * ports. */
};

/* Adds to 'map' a local datapath for 'uuid' with 'tunnel_key' and
 * 'is_router', no peers; returns it.  'uuid' must not be in 'map'. */
struct local_datapath *local_datapath_add(struct hmap *map,
                                          const struct uuid *uuid,
                                          uint32_t tunnel_key,
                                          bool is_router);

/* Returns the local datapath of 'map' for 'uuid', or NULL. */
struct local_datapath *local_datapath_find(const struct hmap *map,
                                           const struct uuid *uuid);

/* Removes 'ld' from 'map' and frees it. */
void local_datapath_remove(struct hmap *map, struct local_datapath *ld);

/* Sets the peers of 'ld', a datapath of 'map', from 'g': its neighbours in
 * 'g' that are in 'map'.  Returns true if they changed. */
bool local_datapaths_set_peers_one(const struct hmap *map,
                                   const struct ld_graph *g,
                                   struct local_datapath *ld);

/* Frees every local datapath of 'map' and 'map' itself (not its memory).
 * NULL-safe. */
void local_datapaths_destroy(struct hmap *map);

/* Returns NULL if 'a' and 'b' hold the same datapaths with the same keys,
 * kinds and peers, else a malloc'd description of the first difference. */
char *local_datapaths_compare(const struct hmap *a, const struct hmap *b);

#endif /* controller/local-datapaths.h */
