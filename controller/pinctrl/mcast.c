/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Multicast group membership of this chassis: see mcast.h. */

#include <config.h>
#include "controller/pinctrl/mcast.h"

#include "controller/pinctrl/snapshot.h"
#include "controller/pinctrl/writes.h"
#include "coverage.h"
#include "hash.h"
#include "util.h"

COVERAGE_DEFINE(pinctrl_mcast_join);
COVERAGE_DEFINE(pinctrl_mcast_leave);
COVERAGE_DEFINE(pinctrl_mcast_expired);
COVERAGE_DEFINE(pinctrl_mcast_full);

/* One member port of a group. */
struct mcast_member {
    uint32_t port_key;
    long long int expires;      /* time_msec() when it times out. */
};

/* One group of one switch. */
struct mcast_group {
    struct hmap_node node;      /* In 'struct pinctrl_mcast' 'groups'. */
    uint32_t dp_key;
    char *address;
    struct mcast_member *members;
    size_t n_members;
};

static uint32_t
group_hash(uint32_t dp_key, const char *address)
{
    return hash_string(address, dp_key);
}

void
pinctrl_mcast_init(struct pinctrl_mcast *mc)
{
    memset(mc, 0, sizeof *mc);
    hmap_init(&mc->groups);
}

static void
group_destroy(struct mcast_group *g)
{
    free(g->address);
    free(g->members);
    free(g);
}

void
pinctrl_mcast_destroy(struct pinctrl_mcast *mc)
{
    if (mc) {
        struct mcast_group *g;
        HMAP_FOR_EACH_POP (g, node, &mc->groups) {
            group_destroy(g);
        }
        hmap_destroy(&mc->groups);
    }
}

static struct mcast_group *
group_find(const struct pinctrl_mcast *mc, uint32_t dp_key,
           const char *address)
{
    struct mcast_group *g;
    HMAP_FOR_EACH_WITH_HASH (g, node, group_hash(dp_key, address),
                             &mc->groups) {
        if (g->dp_key == dp_key && !strcmp(g->address, address)) {
            return g;
        }
    }
    return NULL;
}

static size_t
groups_of(const struct pinctrl_mcast *mc, uint32_t dp_key)
{
    const struct mcast_group *g;
    size_t n = 0;
    HMAP_FOR_EACH (g, node, &mc->groups) {
        n += g->dp_key == dp_key;
    }
    return n;
}

/* Records 'g''s member set in 'w'; removes and frees 'g' if it is
 * empty. */
static void
group_changed(struct pinctrl_mcast *mc, struct mcast_group *g,
              struct pinctrl_writes *w)
{
    uint32_t *keys = xmalloc((g->n_members + 1) * sizeof *keys);
    for (size_t i = 0; i < g->n_members; i++) {
        keys[i] = g->members[i].port_key;
    }
    if (w) {
        pinctrl_writes_add_igmp(w, g->dp_key, g->address, keys,
                                g->n_members);
    }
    free(keys);
    if (!g->n_members) {
        hmap_remove(&mc->groups, &g->node);
        group_destroy(g);
    }
}

bool
pinctrl_mcast_join(struct pinctrl_mcast *mc, uint32_t dp_key,
                   const char *address, uint32_t port_key,
                   long long int now, long long int idle_ms,
                   uint32_t max_groups, struct pinctrl_writes *w)
{
    struct mcast_group *g = group_find(mc, dp_key, address);

    if (!g) {
        if (groups_of(mc, dp_key) >= max_groups) {
            mc->n_full++;
            COVERAGE_INC(pinctrl_mcast_full);
            return false;
        }
        g = xzalloc(sizeof *g);
        g->dp_key = dp_key;
        g->address = xstrdup(address);
        hmap_insert(&mc->groups, &g->node, group_hash(dp_key, address));
    }
    mc->n_joins++;
    COVERAGE_INC(pinctrl_mcast_join);
    for (size_t i = 0; i < g->n_members; i++) {
        if (g->members[i].port_key == port_key) {
            g->members[i].expires = now + idle_ms;
            return true;
        }
    }
    g->members = xrealloc(g->members,
                          (g->n_members + 1) * sizeof *g->members);
    g->members[g->n_members++] = (struct mcast_member) {
        .port_key = port_key,
        .expires = now + idle_ms,
    };
    group_changed(mc, g, w);
    return true;
}

/* Removes member 'i' of 'g'. */
static void
member_remove(struct mcast_group *g, size_t i)
{
    g->members[i] = g->members[--g->n_members];
}

void
pinctrl_mcast_leave(struct pinctrl_mcast *mc, uint32_t dp_key,
                    const char *address, uint32_t port_key,
                    struct pinctrl_writes *w)
{
    struct mcast_group *g = group_find(mc, dp_key, address);

    for (size_t i = 0; g && i < g->n_members; i++) {
        if (g->members[i].port_key == port_key) {
            member_remove(g, i);
            mc->n_leaves++;
            COVERAGE_INC(pinctrl_mcast_leave);
            group_changed(mc, g, w);
            return;
        }
    }
}

/* True if 'snap' says the switch 'dp_key' no longer snoops here. */
static bool
dp_gone(const struct pinctrl_snapshot *snap, uint32_t dp_key)
{
    const struct ps_datapath *dp = snap ? pinctrl_snapshot_find_dp(snap,
                                                                   dp_key)
                                        : NULL;
    return snap && (!dp || !dp->mcast_snoop);
}

long long int
pinctrl_mcast_run(struct pinctrl_mcast *mc,
                  const struct pinctrl_snapshot *snap, long long int now,
                  struct pinctrl_writes *w)
{
    long long int next = LLONG_MAX;
    struct mcast_group *g;

    HMAP_FOR_EACH_SAFE (g, node, &mc->groups) {
        bool gone = dp_gone(snap, g->dp_key);
        bool changed = false;
        for (size_t i = 0; i < g->n_members; ) {
            if (gone || g->members[i].expires <= now) {
                member_remove(g, i);
                mc->n_expired++;
                COVERAGE_INC(pinctrl_mcast_expired);
                changed = true;
            } else {
                next = MIN(next, g->members[i].expires);
                i++;
            }
        }
        if (changed) {
            group_changed(mc, g, w);
        }
    }
    return next;
}
