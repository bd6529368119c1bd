/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * High availability of gateways: see ha.h.
 */

#include <config.h>

#include "controller/ha.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "coverage.h"
#include "hash.h"
#include "util.h"

COVERAGE_DEFINE(ha_compute);
COVERAGE_DEFINE(ha_held_back);

const char *
ha_liveness_name(enum ha_liveness l)
{
    return (l == HA_LIVE_UP ? "up" : l == HA_LIVE_DOWN ? "down"
            : l == HA_LIVE_RECOVERING ? "recovering" : "unknown");
}

void
ha_state_init(struct ha_state *s)
{
    hmap_init(&s->groups);
    sset_init(&s->bfd_peers);
    simap_init(&s->liveness);
    s->self_ready = false;
}

static void
group_free(struct ha_group *g)
{
    for (size_t i = 0; i < g->n_members; i++) {
        free(g->members[i].chassis);
    }
    free(g->members);
    sset_destroy(&g->refs);
    sset_destroy(&g->ports);
    free(g->active);
    free(g->held_by);
    free(g->name);
    free(g);
}

void
ha_state_destroy(struct ha_state *s)
{
    struct ha_group *g;

    if (!s) {
        return;
    }
    HMAP_FOR_EACH_POP (g, node, &s->groups) {
        group_free(g);
    }
    hmap_destroy(&s->groups);
    sset_destroy(&s->bfd_peers);
    simap_destroy(&s->liveness);
}

const struct ha_group *
ha_find_group(const struct ha_state *s, const char *name)
{
    const struct ha_group *g;

    HMAP_FOR_EACH_WITH_HASH (g, node, hash_string(name, 0), &s->groups) {
        if (!strcmp(g->name, name)) {
            return g;
        }
    }
    return NULL;
}

static int
compare_members(const void *a_, const void *b_)
{
    const struct ha_member *a = a_, *b = b_;

    if (a->priority != b->priority) {
        return a->priority > b->priority ? -1 : 1;
    }
    return strcmp(a->chassis, b->chassis);
}

/* This chassis's view of 'chassis' (another chassis). */
static struct ha_peer_view
peer_view(const struct ha_view *view, const char *chassis)
{
    if (view->peer) {
        return view->peer(view->aux, chassis);
    }
    return (struct ha_peer_view) { .liveness = HA_LIVE_UNKNOWN,
                                   .up_since = LLONG_MAX };
}

/* This chassis's view of 'chassis', ourselves included (ready: up). */
static enum ha_liveness
view_of(const struct ha_view *view, const char *chassis)
{
    if (!strcmp(chassis, view->us)) {
        return view->self_ready ? HA_LIVE_UP : HA_LIVE_DOWN;
    }
    return peer_view(view, chassis).liveness;
}

/* Returns the member that member 'self' of 'g' (sorted, highest priority
 * first), which is ready, must hold back or defer for (ha.h), or NULL. */
static const struct ha_member *
held_by(const struct ha_group *g, size_t self, const struct ha_view *view)
{
    for (size_t i = 0; i < g->n_members; i++) {
        if (i == self) {
            continue;
        }
        struct ha_peer_view pv = peer_view(view, g->members[i].chassis);
        bool forwarding = (pv.liveness == HA_LIVE_UP
                           || pv.liveness == HA_LIVE_RECOVERING);
        bool newcomer = !(view->ready_since < pv.up_since);

        if (!forwarding || !newcomer) {
            continue;
        }
        if (i < self ? pv.liveness == HA_LIVE_RECOVERING : !pv.settled) {
            return &g->members[i];
        }
    }
    return NULL;
}

/* Decides whether this chassis, a ready member of 'g', holds back in it. */
static void
decide_self(struct ha_group *g, const struct ha_view *view)
{
    for (size_t i = 0; i < g->n_members; i++) {
        struct ha_member *m = &g->members[i];

        if (strcmp(m->chassis, view->us) || !view->self_ready) {
            continue;
        }
        const struct ha_member *h = held_by(g, i, view);
        if (h) {
            COVERAGE_INC(ha_held_back);
            g->held_by = xstrdup(h->chassis);
            m->liveness = HA_LIVE_RECOVERING;
            m->live = false;
        }
        return;
    }
}

/* Builds one output group from 'in'. */
static struct ha_group *
make_group(const struct ha_group_input *in, const struct ha_view *view)
{
    struct ha_group *g = xzalloc(sizeof *g);

    g->name = xstrdup(in->name);
    sset_init(&g->refs);
    sset_init(&g->ports);
    g->members = xcalloc(in->n_members + 1, sizeof *g->members);
    for (size_t i = 0; i < in->n_members; i++) {
        const struct ha_member_input *m = &in->members[i];
        bool dup = false;

        for (size_t j = 0; j < g->n_members; j++) {
            dup |= !strcmp(g->members[j].chassis, m->chassis);
        }
        if (dup) {
            continue;
        }
        struct ha_member *om = &g->members[g->n_members++];
        om->chassis = xstrdup(m->chassis);
        om->priority = m->priority;
        om->liveness = view_of(view, m->chassis);
        om->live = ha_liveness_is_live(om->liveness);
        g->is_member |= !strcmp(m->chassis, view->us);
    }
    qsort(g->members, g->n_members, sizeof *g->members, compare_members);
    decide_self(g, view);
    for (size_t i = 0; i < in->n_refs; i++) {
        sset_add(&g->refs, in->refs[i]);
    }
    for (size_t i = 0; i < in->n_ports; i++) {
        sset_add(&g->ports, in->ports[i]);
    }

    /* The active member: a lone member always; else the first live. */
    for (size_t i = 0; i < g->n_members; i++) {
        if (g->n_members == 1 || g->members[i].live) {
            g->active = xstrdup(g->members[i].chassis);
            break;
        }
    }
    return g;
}

/* Adds to 'out' the chassis this chassis runs BFD with for 'g'. */
static void
add_bfd_peers(const struct ha_group *g, const char *us, struct sset *out)
{
    bool is_ref = sset_contains(&g->refs, us);
    const char *ref;

    if (g->n_members < 2 || (!g->is_member && !is_ref)) {
        return;
    }
    for (size_t i = 0; i < g->n_members; i++) {
        if (strcmp(g->members[i].chassis, us)) {
            sset_add(out, g->members[i].chassis);
        }
    }
    if (g->is_member) {
        SSET_FOR_EACH (ref, &g->refs) {
            if (strcmp(ref, us)) {
                sset_add(out, ref);
            }
        }
    }
}

void
ha_compute(struct ha_state *out, const struct ha_group_input *groups,
           size_t n, const struct ha_view *view)
{
    COVERAGE_INC(ha_compute);
    ha_state_destroy(out);
    ha_state_init(out);
    out->self_ready = view->self_ready;
    for (size_t i = 0; i < n; i++) {
        if (ha_find_group(out, groups[i].name)) {
            continue;
        }
        struct ha_group *g = make_group(&groups[i], view);
        hmap_insert(&out->groups, &g->node, hash_string(g->name, 0));
        add_bfd_peers(g, view->us, &out->bfd_peers);
        for (size_t j = 0; j < g->n_members; j++) {
            simap_put(&out->liveness, g->members[j].chassis,
                      g->members[j].liveness);
        }
        const char *ref;
        SSET_FOR_EACH (ref, &g->refs) {
            simap_put(&out->liveness, ref, view_of(view, ref));
        }
    }
}

bool
ha_chassis_is_live(const struct ha_state *s, const char *us,
                   const char *chassis)
{
    if (us && !strcmp(chassis, us)) {
        return s->self_ready;
    }
    return ha_liveness_is_live(simap_get(&s->liveness, chassis));
}

bool
ha_member_is_live(const struct ha_state *s, const char *group,
                  const char *us, const char *chassis)
{
    const struct ha_group *g = group ? ha_find_group(s, group) : NULL;

    for (size_t i = 0; g && i < g->n_members; i++) {
        if (!strcmp(g->members[i].chassis, chassis)) {
            return g->members[i].live;
        }
    }
    return ha_chassis_is_live(s, us, chassis);
}

static char *
compare_group(const struct ha_group *a, const struct ha_group *b)
{
    if (!nullable_string_is_equal(a->active, b->active)) {
        return xasprintf("HA group %s: active %s, recompute %s", a->name,
                         a->active ? a->active : "none",
                         b->active ? b->active : "none");
    }
    if (!nullable_string_is_equal(a->held_by, b->held_by)) {
        return xasprintf("HA group %s: held back by %s, recompute %s",
                         a->name, a->held_by ? a->held_by : "none",
                         b->held_by ? b->held_by : "none");
    }
    if (a->n_members != b->n_members || a->is_member != b->is_member
        || !sset_equals(&a->refs, &b->refs)
        || !sset_equals(&a->ports, &b->ports)) {
        return xasprintf("HA group %s differs from recompute", a->name);
    }
    for (size_t i = 0; i < a->n_members; i++) {
        const struct ha_member *x = &a->members[i], *y = &b->members[i];
        if (strcmp(x->chassis, y->chassis) || x->priority != y->priority
            || x->live != y->live || x->liveness != y->liveness) {
            return xasprintf("HA group %s: member %s differs from "
                             "recompute", a->name, x->chassis);
        }
    }
    return NULL;
}

char *
ha_compare(const struct ha_state *a, const struct ha_state *b)
{
    const struct ha_group *g;

    if (hmap_count(&a->groups) != hmap_count(&b->groups)) {
        return xasprintf("%"PRIuSIZE" HA groups, recompute %"PRIuSIZE,
                         hmap_count(&a->groups), hmap_count(&b->groups));
    }
    HMAP_FOR_EACH (g, node, &a->groups) {
        const struct ha_group *o = ha_find_group(b, g->name);
        char *diff = o ? compare_group(g, o)
                       : xasprintf("HA group %s not in recompute", g->name);
        if (diff) {
            return diff;
        }
    }
    if (!sset_equals(&a->bfd_peers, &b->bfd_peers)) {
        return xstrdup("BFD peers differ from recompute");
    }
    if (a->self_ready != b->self_ready) {
        return xstrdup("readiness differs from recompute");
    }
    return NULL;
}

static int
compare_groups_by_name(const void *a_, const void *b_)
{
    const struct ha_group *const *a = a_, *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

const struct ha_group **
ha_sorted_groups(const struct ha_state *s)
{
    const struct ha_group **v = xcalloc(hmap_count(&s->groups) + 1,
                                        sizeof *v);
    const struct ha_group *g;
    size_t n = 0;

    HMAP_FOR_EACH (g, node, &s->groups) {
        v[n++] = g;
    }
    qsort(v, n, sizeof *v, compare_groups_by_name);
    return v;
}
