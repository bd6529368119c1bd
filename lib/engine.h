/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Incremental processing engine.
 *
 * Every piece of derived state in the controller is a node of a directed
 * acyclic graph.  A node has a class (its callbacks), some data, and inputs:
 * other nodes whose data it reads.  Leaf nodes (no inputs) wrap an outside
 * source, such as the tables of an OVSDB IDL, and tell the engine whether the
 * source changed since the last iteration.
 *
 * On each main-loop iteration, engine_run() visits the nodes in topological
 * order.  A node none of whose inputs changed is left alone (UNCHANGED).
 * For every input that changed, the node's change handler for that input is
 * called; it returns ENGINE_INPUT_UNHANDLED when it cannot fold the change in
 * incrementally, in which case the node's full run() recomputes its data
 * from scratch.  Only the engine sets a node's state.
 *
 * Consistency checking: when it is on, every node whose data was brought up
 * to date by change handlers alone is recomputed from scratch into a shadow
 * copy of its data, and the class's compare() says whether both agree.  A
 * disagreement is logged at ERR with the node's name and what differs,
 * counted, and kept for engine_format_consistency().  The shadow run receives
 * a context with ENGINE_CTX_SHADOW set, so a node that writes to the outside
 * world (for example an OVSDB transaction) must skip the writes and only
 * compute.
 *
 * The engine is an object, not process-wide state, so tests can build small
 * graphs and two engines can coexist.
 */

#ifndef OVNMC_ENGINE_H
#define OVNMC_ENGINE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds;
struct engine;
struct engine_node;

/* What a change handler did with one changed input. */
enum engine_input_result {
    ENGINE_INPUT_UNHANDLED,         /* Could not; the node must recompute. */
    ENGINE_INPUT_HANDLED_UPDATED,   /* Folded in; the node's data changed. */
    ENGINE_INPUT_HANDLED_UNCHANGED, /* Folded in; the data did not change. */
};

/* The state of a node after an iteration of engine_run(). */
#define ENGINE_NODE_STATES                                              \
    ENGINE_NODE_STATE(STALE, "stale")         /* Not visited yet. */    \
    ENGINE_NODE_STATE(UPDATED, "updated")     /* Data changed. */       \
    ENGINE_NODE_STATE(UNCHANGED, "unchanged") /* Data did not change. */ \
    ENGINE_NODE_STATE(CANCELED, "canceled")   /* Could not run now. */

enum engine_node_state {
#define ENGINE_NODE_STATE(ENUM, NAME) EN_##ENUM,
    ENGINE_NODE_STATES
#undef ENGINE_NODE_STATE
    EN_N_STATES
};

const char *engine_node_state_name(enum engine_node_state);

/* What a full recompute did. */
enum engine_run_result {
    ENGINE_RUN_UPDATED,     /* The data changed (or may have). */
    ENGINE_RUN_UNCHANGED,   /* The data is the same as before. */
    ENGINE_RUN_CANCELED,    /* Could not run now (e.g. no transaction);
                             * the engine tries again next iteration. */
};

/* Flags in an engine_context. */
enum engine_context_flags {
    ENGINE_CTX_SHADOW = 1 << 0, /* Consistency-check recompute: compute
                                 * only, write nothing to the outside. */
};

/* Per-iteration context handed to every callback.  'client' is whatever the
 * caller of engine_run() supplied (the daemon passes its open transactions
 * there); the engine never looks inside it. */
struct engine_context {
    unsigned int flags;          /* ENGINE_CTX_*. */
    void *client;                /* Caller's context; may be NULL. */
};

static inline bool
engine_context_is_shadow(const struct engine_context *ctx)
{
    return (ctx->flags & ENGINE_CTX_SHADOW) != 0;
}

/* Callbacks of a kind of node.  Only 'name' and 'run' are required. */
struct engine_node_class {
    const char *name;           /* Unique name, for logs and appctl. */

    /* Returns newly allocated data for a node of this class, in its initial
     * (empty) state.  'arg' is the value given to engine_add_node().  NULL
     * means the node has no data of its own. */
    void *(*init)(void *arg);

    /* Frees 'data', as returned by init().  Must accept NULL. */
    void (*cleanup)(void *data);

    /* Recomputes 'data' from scratch from the node's inputs.  'data' may be
     * the node's own data or, in a consistency check, a shadow copy fresh
     * from init(); read inputs with engine_get_input_data(). */
    enum engine_run_result (*run)(struct engine_node *node, void *data,
                                  const struct engine_context *ctx);

    /* Compares the data of an incremental run 'a' with the data of a full
     * recompute 'b'.  Returns NULL if they agree, otherwise a malloc'd
     * description of the first difference. */
    char *(*compare)(const void *a, const void *b);

    /* Why the node has no compare(), in a few words ("leaf: the IDL holds
     * the rows").  Every class has exactly one of 'compare' and
     * 'no_compare' (engine_add_node() aborts otherwise), so that a node
     * can only escape the consistency check on purpose, and says so in
     * its definition and in "inc-engine/consistency-check". */
    const char *no_compare;

    /* Optional: forgets what was tracked as changed in 'data' during the
     * last iteration.  Called by engine_clear_tracked(). */
    void (*clear_tracked)(void *data);

    /* Optional: for leaf nodes, reports whether the outside source changed
     * since the last call; the engine then marks the node UPDATED without
     * calling run().  A leaf without it runs run() every iteration. */
    bool (*source_changed)(void *data);
};

/* Handles a change in one input of 'node', updating 'data' (the node's own
 * data) incrementally. */
typedef enum engine_input_result (*engine_change_handler)(
    struct engine_node *node, void *data, const struct engine_context *ctx);

/* A change handler that declares a change of this input irrelevant to the
 * node. */
enum engine_input_result engine_noop_handler(struct engine_node *,
                                             void *data,
                                             const struct engine_context *);

/* Per-node statistics, as shown by "inc-engine/show-stats". */
struct engine_stats {
    uint64_t recompute;         /* Full runs. */
    uint64_t compute;           /* Runs done entirely by change handlers. */
    uint64_t cancel;            /* Runs canceled. */
    uint64_t check_due;         /* Runs done by change handlers while the
                                 * consistency check was on. */
    uint64_t check;             /* Consistency checks performed (fewer
                                 * than 'check_due' when a shadow run
                                 * could not run, see engine.c). */
    uint64_t check_failed;      /* Consistency checks that found a
                                 * difference. */
};

/* Statistics of the whole engine, for metrics.  Times are measured with
 * the monotonic clock (time_usec()). */
struct engine_run_stats {
    uint64_t runs;              /* Calls of engine_run(). */
    uint64_t run_usec;          /* Time spent in them bringing the nodes
                                 * up to date (consistency checks
                                 * excluded). */
    uint64_t check_usec;        /* Time spent in their consistency
                                 * checks. */
    uint64_t last_run_usec;     /* 'run_usec' of the last call alone. */
};

/* Building and destroying an engine. */
struct engine *engine_create(void);
void engine_destroy(struct engine *);

/* Adds a node of class 'class' (not copied; must outlive the engine), whose
 * init() will be passed 'arg'.  Returns the node, owned by the engine. */
struct engine_node *engine_add_node(struct engine *,
                                    const struct engine_node_class *class,
                                    void *arg);

/* Makes 'input' an input of 'node'.  'handler' folds in a change of 'input'
 * incrementally; NULL means any change of 'input' makes 'node' recompute.
 * Aborts on a cycle or a duplicate (programmer errors, caught by the graph
 * test). */
void engine_add_input(struct engine_node *node, struct engine_node *input,
                      engine_change_handler handler);

/* Sorts the graph and calls every node's init().  Call once, after all
 * nodes and inputs were added and before the first engine_run(). */
void engine_init(struct engine *);

/* Runs one iteration: brings every node up to date.  'ctx' is passed to
 * every callback (null means no flags and no client).  If 'allow_recompute' is false, a node that would need a
 * full recompute is CANCELED instead (and so are the nodes that depend on
 * it, directly or not; the others still run), and engine_need_run() stays
 * true: the next run recomputes every canceled node.  With the consistency
 * check on, the shadow recomputes run after all nodes, in the same call. */
void engine_run(struct engine *, const struct engine_context *ctx,
                bool allow_recompute);

/* True if the last engine_run() left some node CANCELED. */
bool engine_canceled(const struct engine *);

/* True if a node would do work if engine_run() were called now: before the
 * first run, after engine_force_recompute(), and while a canceled node
 * awaits its retry.  (It does not ask the leaves whether their sources
 * changed: that would consume the change.) */
bool engine_need_run(const struct engine *);

/* Makes the next engine_run() recompute every node from scratch. */
void engine_force_recompute(struct engine *);

/* Turns the consistency check on or off, and reports whether it is on. */
void engine_set_consistency_check(struct engine *, bool enable);

/* Makes engine_run() log, at INFO, every node whose run (a recompute or its
 * change handlers) took 'ms' milliseconds or more; 0 (the default) turns
 * it off ("inc-engine/compute-log-timeout"). */
void engine_set_compute_log_timeout(struct engine *, long long int ms);
bool engine_get_consistency_check(const struct engine *);

/* Number of consistency checks that failed since the engine was created. */
uint64_t engine_consistency_failures(const struct engine *);

/* Appends to 'out' one line per failed check since the engine was created
 * (at most the last 100): "node: difference". */
void engine_format_consistency(const struct engine *, struct ds *out);

/* Appends to 'out' one line per node, in topological order, saying how
 * often the consistency check covered it: "NAME: compute C due D check K
 * failed F" (C: iterations its handlers alone brought it up to date; D:
 * those of them while the check was on, each of which the check should
 * have covered; K: checks made), or "NAME: not compared: REASON" for a
 * class with 'no_compare'. */
void engine_format_checks(const struct engine *, struct ds *out);

/* Calls every node's clear_tracked() and resets node states to STALE.  Call
 * once per main-loop iteration, after the engine's outputs were used. */
void engine_clear_tracked(struct engine *);

/* Accessors. */
struct engine_node *engine_get_node(const struct engine *, const char *name);
void *engine_get_data(const struct engine_node *);
const char *engine_node_name(const struct engine_node *);
enum engine_node_state engine_node_get_state(const struct engine_node *);
bool engine_node_changed(const struct engine_node *); /* UPDATED? */
const struct engine_stats *engine_node_stats(const struct engine_node *);

/* The number of nodes of the engine, and node 'i' of them (0 <= i <
 * engine_n_nodes()) in the order engine_format_stats() prints them:
 * topological after engine_init(), insertion order before. */
size_t engine_n_nodes(const struct engine *);
const struct engine_node *engine_node_at(const struct engine *, size_t i);

/* Returns the statistics of the whole engine (see engine_clear_stats()). */
const struct engine_run_stats *engine_get_run_stats(const struct engine *);

/* Returns the data of 'input', which must be an input of 'node' (aborts
 * otherwise: a wiring error). */
void *engine_get_input_data(const struct engine_node *node,
                            const struct engine_node *input);

/* Returns the state 'input' reached in this iteration. */
enum engine_node_state engine_get_input_state(const struct engine_node *node,
                                              const struct engine_node *input);

/* Appends the statistics of every node (or only 'name' if nonnull; nothing
 * if no node has that name) to 'out', in topological order, one block per
 * node in the format of Debian's ovn-controller (OVN 23.03), so that
 * scripts written for it keep working:
 *
 *   Node: NAME
 *   - recompute:          N
 *   - compute:            N
 *   - abort:              N       (runs canceled)
 *   - check:              N       (ours: consistency checks)
 *   - check_failed:       N       (ours: checks that found a difference)
 *
 * A leaf without source_changed() counts a recompute per iteration; a leaf
 * with it counts a compute per iteration in which its source changed. */
void engine_format_stats(const struct engine *, const char *name,
                         struct ds *out);

/* Appends to 'out' the one counter 'stat' of node 'name' as a decimal
 * number and a new line ("inc-engine/show-stats NODE STAT").  'stat' is a
 * name of engine_format_stats()'s lines ("recompute", "compute", "abort",
 * "check", "check_failed"), or "cancel" (the same as "abort").  Appends
 * nothing if no node has that name.  Returns false if 'stat' is not a
 * counter's name. */
bool engine_format_stat(const struct engine *, const char *name,
                        const char *stat, struct ds *out);

/* Resets every node's statistics, and the engine's run statistics, to
 * zero. */
void engine_clear_stats(struct engine *);

/* Appends the graph in Graphviz DOT form to 'out', nodes in topological
 * order, so the output is stable. */
void engine_format_dot(const struct engine *, struct ds *out);

#endif /* lib/engine.h */
