/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Desired OpenFlow state of one producer: flows, groups and meters.
 *
 * Each engine node that wants something on the integration bridge (the
 * physical pipeline, the logical flows) keeps a struct flow_table as its
 * node data, so that the consistency check can compare an incremental
 * run's table with a full recompute's (flow_table_compare()), and ofctrl
 * (controller/ofctrl.h) merges the tables of every producer into what it
 * installs.  A pure module: no logging, no I/O.
 *
 * Flows.  A flow is identified by its key: OpenFlow table, priority and
 * match.  Every flow is added on behalf of an owner, the UUID of the row it
 * came from (a Port_Binding, a Logical_Flow, a tunnel's Interface, ...), so
 * that a change or deletion of that row removes exactly its flows.  Several
 * owners may contribute the same key; the flow's effective actions are then:
 *
 *   - if every contribution's actions are conjunction actions only (the
 *     clauses of conjunctive matches, which different logical flows often
 *     share), the union of them, duplicates dropped, sorted by conjunction
 *     id and clause, and the lowest contributing cookie;
 *
 *   - otherwise the actions and cookie of one contribution, chosen without
 *     regard to the order of the adds: the lowest owner UUID, then the
 *     lowest cookie, then the lowest actions in byte order.  The others are
 *     kept, ready to take over when it goes, and counted as conflicts
 *     (flow_table_n_conflicts()).
 *
 * Rebuilding without churn.  A producer that recomputes an owner's flows
 * (or all flows) brackets its adds with flow_table_begin() and
 * flow_table_end(): begin marks the contributions stale, an add of an
 * identical contribution (same owner, key, cookie and actions) clears the
 * mark, and end removes what is still stale.  A contribution re-added
 * unchanged keeps the generation it had, so nothing is reinstalled.
 *
 * Generations.  flow_table_set_gen() sets the generation that new or
 * changed contributions record (the daemon uses a counter of engine runs).
 * flow_table_owner_gen() returns the latest generation among an owner's
 * contributions: once ofctrl reports that generation installed, every flow
 * of that owner is in the switch.
 *
 * Change tracking.  Every key whose effective flow may have changed, and
 * every group or meter id whose description may have changed, stays on the
 * table's dirty lists until flow_table_clear_dirty().  ofctrl reads them to
 * send only differences.  A key without contributions stays allocated while
 * dirty, then goes.
 *
 * Groups and meters.  A producer also declares the groups and meters its
 * flows use, by id, with their description in ovs-ofctl syntax: for a group
 * "type=select,selection_method=dp_hash,bucket=...", for a meter
 * "kbps burst stats bands=type=drop rate=10 burst_size=2".  Several
 * producers must not declare the same id with different descriptions
 * (ofctrl keeps the first table's and counts a conflict).
 */

#ifndef OVNMC_FLOW_TABLE_H
#define OVNMC_FLOW_TABLE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/match.h"
#include "openvswitch/uuid.h"

struct ds;
struct ofpact;
struct ofpbuf;

/* One key: table, priority, match, and the contributions to it. */
struct ft_flow {
    struct hmap_node node;      /* In flow_table 'flows'. */
    uint8_t table_id;
    uint16_t priority;
    struct minimatch match;
    struct ovs_list contribs;   /* struct ft_contrib, in no order. */
    struct ovs_list dirty_node; /* In flow_table 'dirty_flows' if
                                 * 'dirty'. */
    bool dirty;
    bool conflict;              /* Counted in 'n_conflicts'. */
};

/* One owner's contribution to a key.  Private to flow-table.c; declared
 * here only so that the iteration macros below compile. */
struct ft_contrib;

/* A desired group or meter. */
struct ft_id_desc {
    struct hmap_node node;      /* In flow_table 'groups' or 'meters', by
                                 * hash of 'id'. */
    uint32_t id;
    char *desc;                 /* ovs-ofctl syntax; NULL while dirty after
                                 * removal. */
    struct ovs_list dirty_node; /* In the matching dirty list if 'dirty'. */
    bool dirty;
    bool stale;                 /* For flow_table_begin() (all owners). */
};

struct flow_table {
    struct hmap flows;          /* struct ft_flow, by key. */
    struct hmap owners;         /* Private: owner UUID -> contributions. */
    struct ovs_list dirty_flows; /* struct ft_flow whose 'dirty' is set. */
    struct hmap groups;         /* struct ft_id_desc. */
    struct hmap meters;         /* struct ft_id_desc. */
    struct ovs_list dirty_groups;
    struct ovs_list dirty_meters;
    uint64_t gen;               /* Generation for new contributions. */
    size_t n_contribs;          /* Contributions, all keys together. */
    size_t n_conflicts;         /* Keys whose contributions disagree. */
    size_t n_flows;             /* Keys with at least one contribution. */
};

/* Initializes 'table' empty, at generation 0. */
void flow_table_init(struct flow_table *table);

/* Frees everything 'table' owns (not 'table' itself).  NULL-safe. */
void flow_table_destroy(struct flow_table *table);

/* Removes every flow, group and meter (they become dirty). */
void flow_table_clear(struct flow_table *table);

/* Sets the generation that contributions added or changed from now on
 * record.  Generations must not decrease. */
void flow_table_set_gen(struct flow_table *table, uint64_t gen);

/* Adds to 'table' the contribution of 'owner' to the flow in OpenFlow table
 * 'table_id' with 'priority' and 'match': 'cookie' and the 'ofpacts_len'
 * bytes of actions at 'ofpacts' (copied).  If 'owner' already contributes
 * to that key, its contribution is replaced (and keeps its generation if it
 * is identical). */
void flow_table_add(struct flow_table *table, const struct uuid *owner,
                    uint8_t table_id, uint16_t priority, uint64_t cookie,
                    const struct match *match,
                    const struct ofpact *ofpacts, size_t ofpacts_len);

/* Removes every contribution of 'owner'. */
void flow_table_remove_owner(struct flow_table *table,
                             const struct uuid *owner);

/* Marks stale the contributions of 'owner', or with a null 'owner' every
 * contribution and every group and meter. */
void flow_table_begin(struct flow_table *table, const struct uuid *owner);

/* Removes the contributions of 'owner' (null: of every owner, and the
 * groups and meters) still stale since flow_table_begin(). */
void flow_table_end(struct flow_table *table, const struct uuid *owner);

/* True if 'owner' contributes to some flow. */
bool flow_table_has_owner(const struct flow_table *table,
                          const struct uuid *owner);

/* Returns the latest generation among the contributions of 'owner', or 0
 * if it has none. */
uint64_t flow_table_owner_gen(const struct flow_table *table,
                              const struct uuid *owner);

/* Declares group 'id' with description 'desc' (copied), or replaces its
 * description.  Removing: flow_table_remove_group().  Same for meters. */
void flow_table_add_group(struct flow_table *table, uint32_t id,
                          const char *desc);
void flow_table_remove_group(struct flow_table *table, uint32_t id);
void flow_table_add_meter(struct flow_table *table, uint32_t id,
                          const char *desc);
void flow_table_remove_meter(struct flow_table *table, uint32_t id);

/* Receives one contribution of an owner: its key, and its own cookie and
 * actions (not the key's effective ones). */
typedef void flow_table_owned_cb(void *aux, const struct ft_flow *flow,
                                 uint64_t cookie, const struct ofpact *,
                                 size_t ofpacts_len);

/* Calls 'cb' with 'aux' for every contribution of 'owner', in no
 * particular order (for operators' listings, e.g. "lflow/show"). */
void flow_table_for_each_owned(const struct flow_table *table,
                               const struct uuid *owner,
                               flow_table_owned_cb *cb, void *aux);

/* Looking things up. */
struct ft_flow *flow_table_find(const struct flow_table *table,
                                uint8_t table_id, uint16_t priority,
                                const struct minimatch *match);
const struct ft_id_desc *flow_table_find_group(const struct flow_table *,
                                               uint32_t id);
const struct ft_id_desc *flow_table_find_meter(const struct flow_table *,
                                               uint32_t id);

/* Returns the hash of a key, as 'flows' uses it (so that ofctrl can index
 * installed flows the same way). */
uint32_t ft_key_hash(uint8_t table_id, uint16_t priority,
                     const struct minimatch *match);

/* Stores the effective actions of 'flow' (see above) in 'ofpacts' (which it
 * clears first) and its cookie in '*cookie'.  Returns false, storing
 * nothing, if 'flow' has no contribution (it is dirty after a removal). */
bool ft_flow_get_effective(const struct ft_flow *flow,
                           struct ofpbuf *ofpacts, uint64_t *cookie);

/* Appends to 'out' the union of the conjunction actions of the 'n' action
 * lists 'lists' (of 'lens' bytes each), sorted by conjunction id, clause
 * and number of clauses, without duplicates.  Other actions are ignored.
 * (ofctrl uses it to merge conjunctive flows across tables.) */
void ft_merge_conjunctions(const struct ofpact *const *lists,
                           const size_t *lens, size_t n, struct ofpbuf *out);

/* True if the actions of every contribution to 'flow' are conjunction
 * actions only (then ofctrl may merge them with another table's). */
bool ft_flow_is_conjunctive(const struct ft_flow *flow);

/* Counts. */
size_t flow_table_count(const struct flow_table *);      /* Keys with a
                                                          * contribution. */
size_t flow_table_n_contribs(const struct flow_table *);
size_t flow_table_n_conflicts(const struct flow_table *);

/* Forgets the dirty marks and frees the keys, groups and meters that have
 * nothing left.  Call after ofctrl has read the changes. */
void flow_table_clear_dirty(struct flow_table *table);

/* Returns NULL if 'a' and 'b' hold the same flows (keys, and per key the
 * same owners with the same cookies and actions), groups and meters, else
 * a malloc'd description of the first difference (a key is printed as
 * "table=T,priority=P,MATCH").  Generations and dirty marks are not
 * compared.  For the engine's consistency check. */
char *flow_table_compare(const struct flow_table *a,
                         const struct flow_table *b);

/* Appends the effective flows of 'table' to 'out', one per line in
 * "table=T, priority=P, cookie=0xC, MATCH actions=ACTIONS" form, sorted by
 * table, then priority (highest first), then match text; if 'table_id' is
 * nonnegative, only that table's.  Then the groups and meters, one per
 * line ("group_id=ID,DESC", "meter=ID DESC"), sorted by id.  For
 * "ofctrl/dump-desired" and golden tests. */
void flow_table_format(const struct flow_table *table, int table_id,
                       struct ds *out);

/* One formatted flow line, for sorting flows from several sources (the
 * desired tables, ofctrl's installed flows) into the same order. */
struct ft_line {
    uint8_t table_id;
    uint16_t priority;
    char *match;                /* Match text, malloc'd. */
    char *text;                 /* The whole line, malloc'd. */
};

/* Fills 'line' with the "table=T, priority=P, cookie=0xC, MATCH
 * actions=ACTIONS" form of a flow.  The caller frees it with
 * ft_lines_flush(). */
void ft_line_init(struct ft_line *line, uint8_t table_id, uint16_t priority,
                  const struct minimatch *match, uint64_t cookie,
                  const struct ofpact *ofpacts, size_t ofpacts_len);

/* Sorts the 'n' lines in 'lines' by table, priority (highest first) and
 * match text, appends them to 'out' (each followed by a new-line) and frees
 * their strings (not the array). */
void ft_lines_flush(struct ft_line *lines, size_t n, struct ds *out);

/* Appends "table=T,priority=P,MATCH" to 'out'. */
void ft_format_key(uint8_t table_id, uint16_t priority,
                   const struct minimatch *match, struct ds *out);

/* Iterating over every key (with or without contributions). */
#define FLOW_TABLE_FOR_EACH(FLOW, TABLE) \
    HMAP_FOR_EACH (FLOW, node, &(TABLE)->flows)
#define FLOW_TABLE_FOR_EACH_DIRTY(FLOW, TABLE) \
    LIST_FOR_EACH (FLOW, dirty_node, &(TABLE)->dirty_flows)

#endif /* controller/flow-table.h */
