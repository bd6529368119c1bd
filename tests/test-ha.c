/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Unit driver for the HA decisions (controller/ha.c): which member of a
 * group is active as this chassis sees it, and when a ready member holds
 * back (ha.h).
 *
 * Reads a script from stdin, one command per line ('#' starts a comment):
 *
 *   self NAME ready SINCE    this chassis is NAME, ready since SINCE (ms)
 *   self NAME not-ready      this chassis is NAME, not ready
 *   peer NAME LIVENESS [since=MS] [settled]
 *                            how this chassis sees NAME: LIVENESS is up,
 *                            recovering, down or unknown; since= is when
 *                            its oldest forwarding session came up (none:
 *                            no session forwards); settled: one of them
 *                            is settled
 *   group NAME CHASSIS:PRIORITY... [ref=CHASSIS...]
 *                            adds a group with these members and refs
 *   compute                  runs ha_compute() and prints, per group by
 *                            name, its active member, whom this chassis
 *                            holds back for, and each member with its
 *                            liveness and whether ha_member_is_live()
 *                            counts it; then the BFD peers
 *   reset                    forgets the peers and groups
 */

#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controller/ha.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "svec.h"
#include "util.h"

/* The script's state. */
struct script {
    char *us;                   /* Our chassis name. */
    bool ready;                 /* We are ready. */
    long long int ready_since;  /* Since when. */
    struct shash peers;         /* Name -> struct ha_peer_view *. */
    struct ha_group_input *groups;
    size_t n_groups;
    struct svec strings;        /* Owns the names the groups point to. */
};

static struct ha_peer_view
script_peer(const void *aux, const char *chassis)
{
    const struct script *s = aux;
    const struct ha_peer_view *pv = shash_find_data(&s->peers, chassis);

    if (pv) {
        return *pv;
    }
    return (struct ha_peer_view) { .liveness = HA_LIVE_UNKNOWN,
                                   .up_since = LLONG_MAX };
}

static void
script_reset(struct script *s)
{
    for (size_t i = 0; i < s->n_groups; i++) {
        free(CONST_CAST(struct ha_member_input *, s->groups[i].members));
        free((void *) s->groups[i].refs);
    }
    free(s->groups);
    s->groups = NULL;
    s->n_groups = 0;
    shash_destroy_free_data(&s->peers);
    shash_init(&s->peers);
}

static bool
parse_liveness(const char *name, enum ha_liveness *l)
{
    static const enum ha_liveness all[] = {
        HA_LIVE_UNKNOWN, HA_LIVE_UP, HA_LIVE_RECOVERING, HA_LIVE_DOWN,
    };

    for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
        if (!strcmp(name, ha_liveness_name(all[i]))) {
            *l = all[i];
            return true;
        }
    }
    return false;
}

static const char *
keep(struct script *s, const char *str)
{
    svec_add(&s->strings, str);
    return s->strings.names[s->strings.n - 1];
}

static void
cmd_self(struct script *s, const struct svec *args)
{
    if (args->n < 3 || (!strcmp(args->names[2], "ready") && args->n < 4)) {
        ovs_fatal(0, "usage: self NAME ready SINCE | self NAME not-ready");
    }
    free(s->us);
    s->us = xstrdup(args->names[1]);
    s->ready = !strcmp(args->names[2], "ready");
    s->ready_since = s->ready ? atoll(args->names[3]) : LLONG_MAX;
}

static void
cmd_peer(struct script *s, const struct svec *args)
{
    struct ha_peer_view *pv = xzalloc(sizeof *pv);

    if (args->n < 3 || !parse_liveness(args->names[2], &pv->liveness)) {
        ovs_fatal(0, "usage: peer NAME LIVENESS [since=MS] [settled]");
    }
    pv->up_since = LLONG_MAX;
    for (size_t i = 3; i < args->n; i++) {
        const char *a = args->names[i];
        if (!strncmp(a, "since=", 6)) {
            pv->up_since = atoll(a + 6);
        } else if (!strcmp(a, "settled")) {
            pv->settled = true;
        } else {
            ovs_fatal(0, "peer: bad argument %s", a);
        }
    }
    free(shash_replace(&s->peers, args->names[1], pv));
}

static void
cmd_group(struct script *s, const struct svec *args)
{
    struct ha_member_input *members = xcalloc(args->n, sizeof *members);
    const char **refs = xcalloc(args->n, sizeof *refs);
    struct ha_group_input in = { .name = keep(s, args->names[1]) };

    for (size_t i = 2; i < args->n; i++) {
        const char *a = args->names[i];
        const char *colon = strchr(a, ':');
        if (!strncmp(a, "ref=", 4)) {
            refs[in.n_refs++] = keep(s, a + 4);
        } else if (colon) {
            char *name = xmemdup0(a, colon - a);
            members[in.n_members++] = (struct ha_member_input) {
                .chassis = keep(s, name), .priority = atoll(colon + 1),
            };
            free(name);
        } else {
            ovs_fatal(0, "group: bad argument %s", a);
        }
    }
    in.members = members;
    in.refs = refs;
    s->groups = xrealloc(s->groups, (s->n_groups + 1) * sizeof *s->groups);
    s->groups[s->n_groups++] = in;
}

static void
cmd_compute(struct script *s)
{
    struct ha_view view = {
        .us = s->us ? s->us : "",
        .self_ready = s->ready,
        .ready_since = s->ready_since,
        .peer = script_peer,
        .aux = s,
    };
    struct ha_state state;

    ha_state_init(&state);
    ha_compute(&state, s->groups, s->n_groups, &view);

    const struct ha_group **groups = ha_sorted_groups(&state);
    for (size_t i = 0; groups[i]; i++) {
        const struct ha_group *g = groups[i];
        printf("group %s: active %s", g->name, g->active ? g->active : "none");
        if (g->held_by) {
            printf(", holding back for %s", g->held_by);
        }
        putchar('\n');
        for (size_t j = 0; j < g->n_members; j++) {
            const struct ha_member *m = &g->members[j];
            printf("  %s %"PRId64" %s%s\n", m->chassis, m->priority,
                   ha_liveness_name(m->liveness),
                   ha_member_is_live(&state, g->name, view.us, m->chassis)
                   ? " live" : "");
        }
    }
    free(groups);

    const char **peers = sset_sort(&state.bfd_peers);
    printf("bfd peers:");
    for (size_t i = 0; peers[i]; i++) {
        printf(" %s", peers[i]);
    }
    putchar('\n');
    free(peers);
    ha_state_destroy(&state);
}

int
main(void)
{
    struct script s = { .peers = SHASH_INITIALIZER(&s.peers) };
    struct ds line = DS_EMPTY_INITIALIZER;

    svec_init(&s.strings);
    while (!ds_get_line(&line, stdin)) {
        char *hash = strchr(ds_cstr(&line), '#');
        struct svec args;

        if (hash) {
            *hash = '\0';
        }
        svec_init(&args);
        svec_parse_words(&args, ds_cstr(&line));
        if (!args.n) {
            svec_destroy(&args);
            continue;
        }
        const char *cmd = args.names[0];
        if (!strcmp(cmd, "self")) {
            cmd_self(&s, &args);
        } else if (!strcmp(cmd, "peer")) {
            cmd_peer(&s, &args);
        } else if (!strcmp(cmd, "group")) {
            cmd_group(&s, &args);
        } else if (!strcmp(cmd, "compute")) {
            cmd_compute(&s);
        } else if (!strcmp(cmd, "reset")) {
            script_reset(&s);
        } else {
            ovs_fatal(0, "unknown command %s", cmd);
        }
        svec_destroy(&args);
    }
    script_reset(&s);
    shash_destroy(&s.peers);
    svec_destroy(&s.strings);
    free(s.us);
    ds_destroy(&line);
    return 0;
}
