/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * High availability of gateways: which member of each HA chassis group is
 * active, as this chassis sees it, and which chassis it must run BFD with
 * (Documentation/architecture.rst, section 9.3).
 *
 * What the spec says (ovn-architecture(7)): every chassis that may send
 * packets to a gateway enables BFD on its tunnels to every member of the
 * gateway's group; the active member is the highest-priority one that is
 * up as BFD sees it.  What we do:
 *
 *   - BFD peers: for a group of two members or more, a member runs BFD
 *     with the other members and with the group's ref_chassis (the
 *     chassis that use it, as ovn-northd computes them), and a ref
 *     chassis with the members.
 *   - A peer is up if a BFD session to it forwards and has been up for
 *     the hold time (it is stable: bfd_status.h), recovering if one
 *     forwards but none is stable yet, down if it has sessions and none
 *     forwards, unknown (counted up) if none runs.  So a member that
 *     comes back takes over only once its sessions proved stable, on
 *     every chassis at about the same moment (each measures its own
 *     session to it), and one lost BFD packet changes nothing (BFD
 *     itself declares a session down only after 'mult' of them).
 *   - This chassis is ready when one of its BFD sessions is stable (or
 *     when it runs none): a member that lost every tunnel counts itself
 *     down, and one that comes back is ready only once a session proved
 *     stable.  It became ready at 'ready_since' (its oldest stable
 *     session's start plus the hold time).
 *   - Ready is not enough to be active in a group: the other members
 *     judge us by their own sessions to us, not by ours to a third
 *     chassis, so a member that has just become ready (a newcomer) could
 *     take over while the current active member does not see it up yet,
 *     and both would claim the port in turn.  So, per group, a ready
 *     member compares 'ready_since' with the moment its forwarding
 *     session to each other member came up ('up_since'): if it was not
 *     ready strictly before that, it is the newcomer to that member, and
 *       . it defers to a higher-priority member that is recovering (its
 *         session forwards, not yet stable): that one is the newcomer's
 *         superior and will be up everywhere soon; an incumbent (ready
 *         before the session came up) instead stays active until that
 *         member is up, so a member that restarts never makes the
 *         active one let go early;
 *       . it holds back from a lower-priority member it sees forwarding
 *         until its session to it is settled (up for the hold time plus
 *         one detection time, bfd_status.h): that member counts us up
 *         once its side of the same session is stable, which happens
 *         within a BFD handshake (well under a detection time) of ours,
 *         and then releases at once.  So a takeover is release, then
 *         claim, with a gap of less than one detection time and no
 *         moment where both claim.
 *     A member that holds back or defers counts itself not live in that
 *     group only ('held_by' names the member it waits for).
 *   - The active member of a group is its highest-priority live member
 *     (ties by name); a group of one member has it active whatever BFD
 *     says.
 *
 * Limits: a session that has never come up (the peer's controller did
 * not enable BFD yet) counts as down, so a member can see a live peer as
 * down for a moment; two members that cannot reach each other but both
 * reach the others both count themselves active (as in Debian's
 * controller).
 *
 * A pure module: it takes the groups and the liveness view as plain
 * structs and returns decisions; it never logs or touches a database.
 */

#ifndef OVNMC_HA_H
#define OVNMC_HA_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/hmap.h"
#include "openvswitch/shash.h"
#include "simap.h"
#include "sset.h"

struct ds;

/* A peer chassis as BFD sees it. */
enum ha_liveness {
    HA_LIVE_UNKNOWN,            /* No BFD session runs to it. */
    HA_LIVE_UP,                 /* A session forwards and is stable. */
    HA_LIVE_RECOVERING,         /* One forwards, none is stable yet. */
    HA_LIVE_DOWN,               /* Sessions run, none forwards. */
};

/* True if a chassis with liveness 'l' counts as up. */
static inline bool
ha_liveness_is_live(enum ha_liveness l)
{
    return l == HA_LIVE_UP || l == HA_LIVE_UNKNOWN;
}

/* Returns "unknown", "up", "recovering" or "down". */
const char *ha_liveness_name(enum ha_liveness);

/* Input: one member of a group.  Nothing owned. */
struct ha_member_input {
    const char *chassis;        /* Chassis name. */
    int64_t priority;           /* Higher wins. */
};

/* Input: one group.  Nothing owned. */
struct ha_group_input {
    const char *name;           /* HA_Chassis_Group name (or, for a port
                                 * with Gateway_Chassis rows, the port's
                                 * name). */
    const struct ha_member_input *members;
    size_t n_members;
    const char *const *refs;    /* Names of its ref_chassis. */
    size_t n_refs;
    const char *const *ports;   /* The ports that use it (for show). */
    size_t n_ports;
};

/* Input: how this chassis sees one peer. */
struct ha_peer_view {
    enum ha_liveness liveness;  /* BFD's view of it. */
    long long int up_since;     /* time_msec() when the oldest of our
                                 * forwarding sessions to it came up (0:
                                 * it was up when we started); LLONG_MAX
                                 * if none forwards. */
    bool settled;               /* One forwarding session has been up for
                                 * the hold time plus one detection time
                                 * (bfd_status.h). */
};

/* Input: how this chassis sees the others. */
struct ha_view {
    const char *us;             /* Our chassis name. */
    bool self_ready;            /* See above. */
    long long int ready_since;  /* When we became ready: the start of our
                                 * oldest stable session plus its hold
                                 * time (0 if up when we started, or if
                                 * we run no session). */
    struct ha_peer_view (*peer)(const void *aux, const char *chassis);
    const void *aux;
};

/* Output: one member. */
struct ha_member {
    char *chassis;
    int64_t priority;
    bool live;                  /* Counts as up in the choice. */
    enum ha_liveness liveness;  /* BFD's view (us: up if ready and not
                                 * held back, recovering if held back,
                                 * down if not ready). */
};

/* Output: one group. */
struct ha_group {
    struct hmap_node node;      /* In struct ha_state 'groups'. */
    char *name;
    struct ha_member *members;  /* Highest priority first. */
    size_t n_members;
    struct sset refs;           /* Its ref_chassis. */
    struct sset ports;          /* The ports that use it. */
    char *active;               /* The active member; NULL if none. */
    bool is_member;             /* We are one of its members. */
    char *held_by;              /* The member we hold back or defer for
                                 * (see above); NULL if none. */
    long long int since;        /* time_wall_msec() when 'active' last
                                 * changed as the caller saw it (kept by
                                 * the caller across recomputes; not
                                 * compared). */
};

/* Output: the whole state. */
struct ha_state {
    struct hmap groups;         /* struct ha_group, by name. */
    struct sset bfd_peers;      /* Chassis to run BFD with. */
    bool self_ready;            /* From the view. */
    struct simap liveness;      /* Chassis -> enum ha_liveness, for every
                                 * member and ref of every group. */
};

void ha_state_init(struct ha_state *);
void ha_state_destroy(struct ha_state *);

/* Computes 'out' (initialized; overwritten) from the 'n' groups in
 * 'groups' and 'view'. */
void ha_compute(struct ha_state *out, const struct ha_group_input *groups,
                size_t n, const struct ha_view *view);

/* Returns the group named 'name', or NULL. */
const struct ha_group *ha_find_group(const struct ha_state *,
                                     const char *name);

/* True if 'chassis' counts as up for the choice of a gateway: ourselves if
 * ready, another chassis unless BFD says it is down. */
bool ha_chassis_is_live(const struct ha_state *, const char *us,
                        const char *chassis);

/* True if member 'chassis' of group 'group' counts as up for the choice
 * of that group's active member: for ourselves, ready and not held back
 * in that group; for another chassis, as ha_chassis_is_live().  Falls
 * back to ha_chassis_is_live() for a group or member 'state' lacks. */
bool ha_member_is_live(const struct ha_state *, const char *group,
                       const char *us, const char *chassis);

/* Returns NULL if 'a' and 'b' hold the same decisions ('since' aside),
 * else a malloc'd description of the first difference. */
char *ha_compare(const struct ha_state *a, const struct ha_state *b);

/* Returns the groups of 'state' sorted by name, in a malloc'd array of
 * hmap_count() elements. */
const struct ha_group **ha_sorted_groups(const struct ha_state *);

#endif /* controller/ha.h */
