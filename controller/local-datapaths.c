/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Local datapaths: closure over patch ports.  See local-datapaths.h.
 */

#include <config.h>

#include "controller/local-datapaths.h"

#include <stdlib.h>
#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(ldata);

COVERAGE_DEFINE(local_datapath_added);

void
ld_graph_init(struct ld_graph *g)
{
    hmap_init(&g->nodes);
}

void
ld_graph_destroy(struct ld_graph *g)
{
    struct ld_graph_node *node;

    if (!g) {
        return;
    }
    HMAP_FOR_EACH_POP (node, hmap_node, &g->nodes) {
        struct ld_graph_peer *peer;

        HMAP_FOR_EACH_POP (peer, hmap_node, &node->peers) {
            free(peer);
        }
        hmap_destroy(&node->peers);
        free(node);
    }
    hmap_destroy(&g->nodes);
}

const struct ld_graph_node *
ld_graph_find(const struct ld_graph *g, const struct uuid *dp)
{
    struct ld_graph_node *node;

    HMAP_FOR_EACH_WITH_HASH (node, hmap_node, uuid_hash(dp), &g->nodes) {
        if (uuid_equals(&node->dp, dp)) {
            return node;
        }
    }
    return NULL;
}

static struct ld_graph_peer *
ld_graph_find_peer(const struct ld_graph_node *node, const struct uuid *dp)
{
    struct ld_graph_peer *peer;

    HMAP_FOR_EACH_WITH_HASH (peer, hmap_node, uuid_hash(dp), &node->peers) {
        if (uuid_equals(&peer->dp, dp)) {
            return peer;
        }
    }
    return NULL;
}

/* Returns the first link of 'a' that 'b' lacks or counts differently, as
 * a malloc'd string, or NULL. */
static char *
ld_graph_compare__(const struct ld_graph *a, const struct ld_graph *b,
                   const char *where)
{
    const struct ld_graph_node *na;

    HMAP_FOR_EACH (na, hmap_node, &a->nodes) {
        const struct ld_graph_node *nb = ld_graph_find(b, &na->dp);
        const struct ld_graph_peer *pa;

        HMAP_FOR_EACH (pa, hmap_node, &na->peers) {
            const struct ld_graph_peer *pb
                = nb ? ld_graph_find_peer(nb, &pa->dp) : NULL;
            if (!pb || pb->n_links != pa->n_links) {
                return xasprintf("patch link "UUID_FMT" - "UUID_FMT
                                 " (%u) %s", UUID_ARGS(&na->dp),
                                 UUID_ARGS(&pa->dp), pa->n_links, where);
            }
        }
    }
    return NULL;
}

char *
ld_graph_compare(const struct ld_graph *a, const struct ld_graph *b)
{
    char *diff = ld_graph_compare__(a, b, "differs in recompute");
    return diff ? diff : ld_graph_compare__(b, a, "only in recompute");
}

static struct ld_graph_node *
ld_graph_find_or_add(struct ld_graph *g, const struct uuid *dp)
{
    struct ld_graph_node *node = CONST_CAST(struct ld_graph_node *,
                                            ld_graph_find(g, dp));
    if (!node) {
        node = xmalloc(sizeof *node);
        node->dp = *dp;
        hmap_init(&node->peers);
        hmap_insert(&g->nodes, &node->hmap_node, uuid_hash(dp));
    }
    return node;
}

/* Adds one link from 'a' to 'b' only. */
static void
ld_graph_add_half(struct ld_graph *g, const struct uuid *a,
                  const struct uuid *b)
{
    struct ld_graph_node *node = ld_graph_find_or_add(g, a);
    struct ld_graph_peer *peer = ld_graph_find_peer(node, b);

    if (!peer) {
        peer = xmalloc(sizeof *peer);
        peer->dp = *b;
        peer->n_links = 0;
        hmap_insert(&node->peers, &peer->hmap_node, uuid_hash(b));
    }
    peer->n_links++;
}

void
ld_graph_add_link(struct ld_graph *g, const struct uuid *a,
                  const struct uuid *b)
{
    if (uuid_equals(a, b)) {
        return;
    }
    ld_graph_add_half(g, a, b);
    ld_graph_add_half(g, b, a);
}

/* Removes one link from 'a' to 'b' only.  Returns true if none is left. */
static bool
ld_graph_remove_half(struct ld_graph *g, const struct uuid *a,
                     const struct uuid *b)
{
    struct ld_graph_node *node = CONST_CAST(struct ld_graph_node *,
                                            ld_graph_find(g, a));
    struct ld_graph_peer *peer = node ? ld_graph_find_peer(node, b) : NULL;

    if (!peer) {
        return true;
    }
    if (--peer->n_links) {
        return false;
    }
    hmap_remove(&node->peers, &peer->hmap_node);
    free(peer);
    if (hmap_is_empty(&node->peers)) {
        hmap_remove(&g->nodes, &node->hmap_node);
        hmap_destroy(&node->peers);
        free(node);
    }
    return true;
}

bool
ld_graph_remove_link(struct ld_graph *g, const struct uuid *a,
                     const struct uuid *b)
{
    if (uuid_equals(a, b)) {
        return false;
    }
    ld_graph_remove_half(g, b, a);
    return ld_graph_remove_half(g, a, b);
}

size_t
local_datapaths_grow(const struct ld_graph *g, const struct uuid *seed,
                     struct uuidset *local, struct uuidset *added)
{
    struct uuid *stack;
    size_t n = 0, allocated = 8, n_added = 0;

    if (uuidset_contains(local, seed)) {
        return 0;
    }
    stack = xmalloc(allocated * sizeof *stack);
    stack[n++] = *seed;
    uuidset_insert(local, seed);
    while (n) {
        struct uuid dp = stack[--n];
        const struct ld_graph_node *node = ld_graph_find(g, &dp);
        struct ld_graph_peer *peer;

        COVERAGE_INC(local_datapath_added);
        n_added++;
        if (added) {
            uuidset_insert(added, &dp);
        }
        if (!node) {
            continue;
        }
        HMAP_FOR_EACH (peer, hmap_node, &node->peers) {
            if (!uuidset_contains(local, &peer->dp)) {
                uuidset_insert(local, &peer->dp);
                if (n >= allocated) {
                    stack = x2nrealloc(stack, &allocated, sizeof *stack);
                }
                stack[n++] = peer->dp;
            }
        }
    }
    free(stack);
    return n_added;
}

void
local_datapaths_compute(const struct ld_graph *g, const struct uuidset *seeds,
                        struct uuidset *local)
{
    const struct uuidset_node *seed;

    uuidset_clear(local);
    UUIDSET_FOR_EACH (seed, seeds) {
        local_datapaths_grow(g, &seed->uuid, local, NULL);
    }
}

static int
compare_uuids(const void *a_, const void *b_)
{
    return uuid_compare_3way(a_, b_);
}

void
local_datapaths_format(const struct uuidset *set, struct ds *out)
{
    struct uuid *array = uuidset_array(set);
    size_t n = uuidset_count(set);

    qsort(array, n, sizeof *array, compare_uuids);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(out, UUID_FMT"\n", UUID_ARGS(&array[i]));
    }
    free(array);
}

/* Local datapaths with what flows need of them. */

struct local_datapath *
local_datapath_add(struct hmap *map, const struct uuid *uuid,
                   uint32_t tunnel_key, bool is_router)
{
    struct local_datapath *ld = xzalloc(sizeof *ld);

    ld->uuid = *uuid;
    ld->tunnel_key = tunnel_key;
    ld->is_router = is_router;
    uuidset_init(&ld->peers);
    hmap_insert(map, &ld->node, uuid_hash(uuid));
    return ld;
}

struct local_datapath *
local_datapath_find(const struct hmap *map, const struct uuid *uuid)
{
    struct local_datapath *ld;

    HMAP_FOR_EACH_WITH_HASH (ld, node, uuid_hash(uuid), map) {
        if (uuid_equals(&ld->uuid, uuid)) {
            return ld;
        }
    }
    return NULL;
}

void
local_datapath_remove(struct hmap *map, struct local_datapath *ld)
{
    hmap_remove(map, &ld->node);
    uuidset_destroy(&ld->peers);
    free(ld);
}

bool
local_datapaths_equal(const struct uuidset *a, const struct uuidset *b)
{
    const struct uuidset_node *n;

    if (uuidset_count(a) != uuidset_count(b)) {
        return false;
    }
    UUIDSET_FOR_EACH (n, a) {
        if (!uuidset_contains(b, &n->uuid)) {
            return false;
        }
    }
    return true;
}

bool
local_datapaths_set_peers_one(const struct hmap *map,
                              const struct ld_graph *g,
                              struct local_datapath *ld)
{
    const struct ld_graph_node *gn = ld_graph_find(g, &ld->uuid);
    struct uuidset peers = UUIDSET_INITIALIZER(&peers);
    const struct ld_graph_peer *p;
    bool changed = false;

    if (gn) {
        HMAP_FOR_EACH (p, hmap_node, &gn->peers) {
            if (local_datapath_find(map, &p->dp)) {
                uuidset_insert(&peers, &p->dp);
            }
        }
    }
    if (!local_datapaths_equal(&peers, &ld->peers)) {
        const struct uuidset_node *n;

        uuidset_clear(&ld->peers);
        UUIDSET_FOR_EACH (n, &peers) {
            uuidset_insert(&ld->peers, &n->uuid);
        }
        changed = true;
    }
    uuidset_destroy(&peers);
    return changed;
}

void
local_datapaths_destroy(struct hmap *map)
{
    if (map) {
        struct local_datapath *ld;
        HMAP_FOR_EACH_SAFE (ld, node, map) {
            local_datapath_remove(map, ld);
        }
        hmap_destroy(map);
    }
}

char *
local_datapaths_compare(const struct hmap *a, const struct hmap *b)
{
    const struct local_datapath *x;

    HMAP_FOR_EACH (x, node, a) {
        const struct local_datapath *y = local_datapath_find(b, &x->uuid);
        if (!y) {
            return xasprintf("local datapath "UUID_FMT" not in recompute",
                             UUID_ARGS(&x->uuid));
        } else if (x->tunnel_key != y->tunnel_key
                   || x->is_router != y->is_router
                   || !local_datapaths_equal(&x->peers, &y->peers)) {
            return xasprintf("local datapath "UUID_FMT" (key %"PRIu32") "
                             "differs from recompute", UUID_ARGS(&x->uuid),
                             x->tunnel_key);
        }
    }
    HMAP_FOR_EACH (x, node, b) {
        if (!local_datapath_find(a, &x->uuid)) {
            return xasprintf("local datapath "UUID_FMT" only in recompute",
                             UUID_ARGS(&x->uuid));
        }
    }
    return NULL;
}
