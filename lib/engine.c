/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Incremental processing engine: the graph of derived state and the loop
 * that brings it up to date.  See engine.h for the model.
 *
 * How an iteration works (engine_run()):
 *
 *   - The nodes are visited in topological order, computed once by
 *     engine_init(); nodes that the order leaves free are visited in the
 *     order they were added, so logs, statistics and the DOT dump are
 *     stable.
 *
 *   - A leaf with source_changed() is UPDATED or UNCHANGED as that callback
 *     says, without running run().  A leaf without it runs run() on every
 *     iteration.  Leaves are never canceled for want of 'allow_recompute':
 *     reading a source is not a recompute.  Only a run() that returns
 *     ENGINE_RUN_CANCELED cancels a leaf.
 *
 *   - A node with an input CANCELED is CANCELED too, without running.
 *
 *   - A node that is "pending" recomputes from scratch.  Every node is
 *     pending after engine_init() (its data is empty), after
 *     engine_force_recompute(), and after it was CANCELED (the changes of
 *     the canceled iteration are gone by the next one, so handlers cannot
 *     catch up).
 *
 *   - Otherwise, a node none of whose inputs is UPDATED is UNCHANGED and
 *     nothing of it runs.  If an UPDATED input has no handler, the node
 *     recomputes.  Otherwise the handlers of the UPDATED inputs run in the
 *     order the inputs were added; the first ENGINE_INPUT_UNHANDLED makes
 *     the node recompute; if all handled the change, the node is UPDATED if
 *     any handler said so, else UNCHANGED.
 *
 *   - A recompute with 'allow_recompute' false cancels the node instead.
 *
 * Statistics: 'recompute' counts calls of run() that did not cancel
 * (including the run() of a leaf without source_changed(), on every
 * iteration); 'compute' counts iterations in which handlers alone brought
 * the node up to date, and for a leaf with source_changed(), iterations in
 * which its source changed; 'cancel' counts iterations the node ended
 * CANCELED.
 *
 * Consistency check: the shadow recomputes run after the whole graph was
 * brought up to date in an iteration, in topological order.  A shadow run
 * that cancels (a node may refuse to compare while the outside world is in
 * flux) postpones the check: it runs at the end of a later iteration in
 * which the node was left alone, unless a recompute comes first.  Every input
 * is then exactly as the handlers saw it, and a shadow run, even a faulty
 * one, cannot disturb the real nodes that run after the checked one.  Each
 * checked node is one whose handlers ran in this iteration without a full
 * recompute, and whose class has compare().  A failed check is reported
 * (ERR log, coverage counter, statistics, engine_format_consistency()); the
 * node keeps the data its handlers made, since the point is to expose the
 * handler's bug, not to hide it.
 *
 * engine_run() accepts a null 'ctx' and then passes callbacks a context
 * with no flags and no client. */

#include <config.h>

#include "engine.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(inc_proc_eng);

COVERAGE_DEFINE(engine_recompute);
COVERAGE_DEFINE(engine_compute);
COVERAGE_DEFINE(engine_cancel);
COVERAGE_DEFINE(engine_check);
COVERAGE_DEFINE(engine_check_failed);

/* How many consistency failures engine_format_consistency() remembers. */
#define ENGINE_MAX_FAILURE_LINES 100

/* Reasons for a pending recompute, for the debug log. */
static const char engine_pending_first[] = "first run";
static const char engine_pending_forced[] = "forced";
static const char engine_pending_canceled[] = "retry after cancel";

/* One input edge of a node. */
struct engine_input {
    struct engine_node *node;        /* The input node. */
    engine_change_handler handler;   /* NULL: a change forces a recompute. */
};

struct engine_node {
    struct engine *engine;           /* The engine that owns this node. */
    const struct engine_node_class *class; /* Callbacks; not owned. */
    void *arg;                       /* Passed to class->init(). */
    void *data;                      /* From class->init(); owned. */
    size_t index;                    /* Position in insertion order. */

    struct engine_input *inputs;     /* In the order they were added. */
    size_t n_inputs;
    size_t allocated_inputs;

    enum engine_node_state state;    /* Reached in this iteration. */
    const char *pending;             /* Nonnull: the next run must
                                      * recompute, for this reason. */
    bool handled;                    /* Handlers alone brought the data up
                                      * to date in this iteration. */
    bool check_owed;                 /* A check's shadow run could not run
                                      * (it canceled): check again at the
                                      * end of a later iteration, unless a
                                      * recompute settles it first. */
    struct engine_stats stats;
};

struct engine {
    struct engine_node **nodes;      /* In insertion order. */
    size_t n_nodes;
    size_t allocated_nodes;
    struct engine_node **order;      /* Topological, after engine_init(). */
    struct shash by_name;            /* Maps a name to its engine_node. */
    bool initialized;                /* engine_init() was called. */

    bool canceled;                   /* Last engine_run() canceled a node. */
    bool check;                      /* Consistency check is on. */
    long long int compute_log_ms;    /* Log a node's run that takes this
                                      * long or longer; 0: never. */
    uint64_t n_failures;             /* Consistency checks that failed. */
    struct engine_run_stats run_stats; /* Runs and their time. */

    /* The last ENGINE_MAX_FAILURE_LINES failures, a ring buffer: the next
     * one goes into 'failures[next_failure]'. */
    char *failures[ENGINE_MAX_FAILURE_LINES];
    size_t next_failure;
};

const char *
engine_node_state_name(enum engine_node_state state)
{
    switch (state) {
#define ENGINE_NODE_STATE(ENUM, NAME) case EN_##ENUM: return NAME;
        ENGINE_NODE_STATES
#undef ENGINE_NODE_STATE
    case EN_N_STATES:
    default:
        return "<invalid>";
    }
}

enum engine_input_result
engine_noop_handler(struct engine_node *node OVS_UNUSED,
                    void *data OVS_UNUSED,
                    const struct engine_context *ctx OVS_UNUSED)
{
    return ENGINE_INPUT_HANDLED_UNCHANGED;
}

/* Building and destroying. */

struct engine *
engine_create(void)
{
    struct engine *e = xzalloc(sizeof *e);
    shash_init(&e->by_name);
    return e;
}

/* The nodes in the order they should be visited: topological once sorted,
 * insertion order before. */
static struct engine_node **
engine_nodes(const struct engine *e)
{
    return e->order ? e->order : e->nodes;
}

void
engine_destroy(struct engine *e)
{
    if (!e) {
        return;
    }

    /* Free the consumers before their inputs, in case a cleanup looks at an
     * input's data. */
    struct engine_node **nodes = engine_nodes(e);
    for (size_t i = e->n_nodes; i-- > 0;) {
        struct engine_node *node = nodes[i];
        if (e->initialized && node->class->cleanup) {
            node->class->cleanup(node->data);
        }
        free(node->inputs);
        free(node);
    }
    for (size_t i = 0; i < ENGINE_MAX_FAILURE_LINES; i++) {
        free(e->failures[i]);
    }
    shash_destroy(&e->by_name);
    free(e->order);
    free(e->nodes);
    free(e);
}

struct engine_node *
engine_add_node(struct engine *e, const struct engine_node_class *class,
                void *arg)
{
    if (e->initialized) {
        VLOG_ABORT("node %s added after engine_init()", class->name);
    }
    if (!class->name || !class->run) {
        VLOG_ABORT("engine node class without a name or a run() callback");
    }
    if (!class->compare == !class->no_compare) {
        VLOG_ABORT("engine node class %s: exactly one of compare() and "
                   "no_compare is required", class->name);
    }

    struct engine_node *node = xzalloc(sizeof *node);
    node->engine = e;
    node->class = class;
    node->arg = arg;
    node->index = e->n_nodes;
    node->state = EN_STALE;
    node->pending = engine_pending_first;
    if (!shash_add_once(&e->by_name, class->name, node)) {
        VLOG_ABORT("duplicate engine node name %s", class->name);
    }

    if (e->n_nodes >= e->allocated_nodes) {
        e->nodes = x2nrealloc(e->nodes, &e->allocated_nodes,
                              sizeof *e->nodes);
    }
    e->nodes[e->n_nodes++] = node;
    return node;
}

/* Returns true if 'target' is 'from' or one of its inputs, directly or
 * not.  'visited' has one entry per node of the engine. */
static bool
engine_reaches(const struct engine_node *from,
               const struct engine_node *target, bool *visited)
{
    if (from == target) {
        return true;
    }
    if (visited[from->index]) {
        return false;
    }
    visited[from->index] = true;
    for (size_t i = 0; i < from->n_inputs; i++) {
        if (engine_reaches(from->inputs[i].node, target, visited)) {
            return true;
        }
    }
    return false;
}

void
engine_add_input(struct engine_node *node, struct engine_node *input,
                 engine_change_handler handler)
{
    struct engine *e = node->engine;
    const char *name = node->class->name;
    const char *input_name = input->class->name;

    if (input->engine != e) {
        VLOG_ABORT("node %s: input %s belongs to another engine",
                   name, input_name);
    }
    if (e->initialized) {
        VLOG_ABORT("node %s: input %s added after engine_init()",
                   name, input_name);
    }
    for (size_t i = 0; i < node->n_inputs; i++) {
        if (node->inputs[i].node == input) {
            VLOG_ABORT("node %s: duplicate input %s", name, input_name);
        }
    }

    bool *visited = xcalloc(e->n_nodes, sizeof *visited);
    bool cycle = engine_reaches(input, node, visited);
    free(visited);
    if (cycle) {
        VLOG_ABORT("node %s: input %s would make a cycle", name, input_name);
    }

    if (node->n_inputs >= node->allocated_inputs) {
        node->inputs = x2nrealloc(node->inputs, &node->allocated_inputs,
                                  sizeof *node->inputs);
    }
    node->inputs[node->n_inputs++] = (struct engine_input) {
        .node = input,
        .handler = handler,
    };
}

/* Returns true if every input of 'node' is already in 'placed'. */
static bool
engine_inputs_placed(const struct engine_node *node, const bool *placed)
{
    for (size_t i = 0; i < node->n_inputs; i++) {
        if (!placed[node->inputs[i].node->index]) {
            return false;
        }
    }
    return true;
}

/* Fills e->order with the nodes in topological order: at each step, the
 * first node in insertion order whose inputs are all placed.  Quadratic,
 * which is fine for graphs of a few dozen nodes sorted once. */
static void
engine_sort(struct engine *e)
{
    bool *placed = xcalloc(e->n_nodes, sizeof *placed);
    e->order = xmalloc((e->n_nodes ? e->n_nodes : 1) * sizeof *e->order);
    for (size_t n = 0; n < e->n_nodes; n++) {
        struct engine_node *next = NULL;
        for (size_t i = 0; i < e->n_nodes && !next; i++) {
            struct engine_node *node = e->nodes[i];
            if (!placed[i] && engine_inputs_placed(node, placed)) {
                next = node;
            }
        }
        if (!next) {
            /* engine_add_input() rejects cycles, so this cannot happen. */
            VLOG_ABORT("engine graph has a cycle");
        }
        placed[next->index] = true;
        e->order[n] = next;
    }
    free(placed);
}

void
engine_init(struct engine *e)
{
    if (e->initialized) {
        VLOG_ABORT("engine_init() called twice");
    }
    engine_sort(e);
    for (size_t i = 0; i < e->n_nodes; i++) {
        struct engine_node *node = e->order[i];
        node->data = node->class->init ? node->class->init(node->arg) : NULL;
    }
    e->initialized = true;
}

/* Running. */

/* Marks 'node' CANCELED in this iteration, and pending for the next.  The
 * caller logs why. */
static void
engine_cancel_node(struct engine_node *node)
{
    node->state = EN_CANCELED;
    node->pending = engine_pending_canceled;
    node->stats.cancel++;
    node->engine->canceled = true;
    COVERAGE_INC(engine_cancel);
}

/* Recomputes 'node' from scratch, unless 'allow_recompute' is false, in
 * which case it cancels it.  'why' and 'input_name' (if nonnull) say what
 * made the recompute necessary, for the debug log; a null 'why' logs
 * nothing. */
static void
engine_recompute_node(struct engine_node *node,
                      const struct engine_context *ctx, bool allow_recompute,
                      const char *why, const char *input_name)
{
    const char *name = node->class->name;
    if (!allow_recompute) {
        VLOG_DBG("node %s: canceled: cannot recompute now (%s%s)",
                 name, why ? why : "", input_name ? input_name : "");
        engine_cancel_node(node);
        return;
    }

    if (why) {
        VLOG_DBG("node %s: recompute: %s%s", name, why,
                 input_name ? input_name : "");
    }
    enum engine_run_result result = node->class->run(node, node->data, ctx);
    if (result == ENGINE_RUN_CANCELED) {
        VLOG_DBG("node %s: canceled by its run()", name);
        engine_cancel_node(node);
        return;
    }
    node->state = result == ENGINE_RUN_UPDATED ? EN_UPDATED : EN_UNCHANGED;
    node->pending = NULL;
    node->check_owed = false;
    node->stats.recompute++;
    COVERAGE_INC(engine_recompute);
}

/* Brings a leaf 'node' up to date. */
static void
engine_run_leaf(struct engine_node *node, const struct engine_context *ctx)
{
    bool (*source_changed)(void *) = node->class->source_changed;

    if (!source_changed) {
        /* Runs on every iteration: not worth a log line each time. */
        engine_recompute_node(node, ctx, true, NULL, NULL);
    } else if (node->pending) {
        /* Consume the change notice: the run() below reads everything. */
        source_changed(node->data);
        engine_recompute_node(node, ctx, true, node->pending, NULL);
    } else if (source_changed(node->data)) {
        node->state = EN_UPDATED;
        node->stats.compute++;
        COVERAGE_INC(engine_compute);
    } else {
        node->state = EN_UNCHANGED;
    }
}

/* Brings a non-leaf 'node', none of whose inputs is CANCELED and which is
 * not pending, up to date from its changed inputs. */
static void
engine_compute_node(struct engine_node *node,
                    const struct engine_context *ctx, bool allow_recompute)
{
    bool any_changed = false;
    for (size_t i = 0; i < node->n_inputs; i++) {
        const struct engine_input *input = &node->inputs[i];
        if (input->node->state == EN_UPDATED) {
            any_changed = true;
            if (!input->handler) {
                engine_recompute_node(node, ctx, allow_recompute,
                                      "no change handler for input ",
                                      input->node->class->name);
                return;
            }
        }
    }
    if (!any_changed) {
        node->state = EN_UNCHANGED;
        return;
    }

    bool updated = false;
    for (size_t i = 0; i < node->n_inputs; i++) {
        const struct engine_input *input = &node->inputs[i];
        if (input->node->state != EN_UPDATED) {
            continue;
        }
        switch (input->handler(node, node->data, ctx)) {
        case ENGINE_INPUT_UNHANDLED:
            engine_recompute_node(node, ctx, allow_recompute,
                                  "change not handled for input ",
                                  input->node->class->name);
            return;
        case ENGINE_INPUT_HANDLED_UPDATED:
            updated = true;
            break;
        case ENGINE_INPUT_HANDLED_UNCHANGED:
            break;
        default:
            OVS_NOT_REACHED();
        }
    }
    node->state = updated ? EN_UPDATED : EN_UNCHANGED;
    node->handled = true;
    node->stats.compute++;
    COVERAGE_INC(engine_compute);
}

/* Brings 'node' up to date; its inputs already are. */
static void
engine_run_node(struct engine_node *node, const struct engine_context *ctx,
                bool allow_recompute)
{
    node->handled = false;
    if (!node->n_inputs) {
        engine_run_leaf(node, ctx);
        return;
    }
    for (size_t i = 0; i < node->n_inputs; i++) {
        const struct engine_node *input = node->inputs[i].node;
        if (input->state == EN_CANCELED) {
            VLOG_DBG("node %s: canceled: input %s canceled",
                     node->class->name, input->class->name);
            engine_cancel_node(node);
            return;
        }
    }
    if (node->pending) {
        engine_recompute_node(node, ctx, allow_recompute, node->pending,
                              NULL);
    } else {
        engine_compute_node(node, ctx, allow_recompute);
    }
}

/* Records a consistency failure of 'node', described by 'diff'. */
static void
engine_record_failure(struct engine_node *node, const char *diff)
{
    struct engine *e = node->engine;

    VLOG_ERR("consistency check failed for node %s: %s",
             node->class->name, diff);
    COVERAGE_INC(engine_check_failed);
    node->stats.check_failed++;
    e->n_failures++;

    free(e->failures[e->next_failure]);
    e->failures[e->next_failure] = xasprintf("%s: %s", node->class->name,
                                             diff);
    e->next_failure = (e->next_failure + 1) % ENGINE_MAX_FAILURE_LINES;
}

/* Recomputes 'node' from scratch into a shadow copy of its data and
 * compares the result with the node's data. */
static void
engine_check_node(struct engine_node *node, const struct engine_context *ctx)
{
    const struct engine_node_class *class = node->class;
    struct engine_context shadow_ctx = *ctx;
    shadow_ctx.flags |= ENGINE_CTX_SHADOW;

    void *shadow = class->init ? class->init(node->arg) : NULL;
    if (class->run(node, shadow, &shadow_ctx) == ENGINE_RUN_CANCELED) {
        VLOG_DBG("node %s: consistency check postponed: shadow run "
                 "canceled", class->name);
        node->check_owed = true;
    } else {
        node->check_owed = false;
        node->stats.check++;
        COVERAGE_INC(engine_check);
        char *diff = class->compare(node->data, shadow);
        if (diff) {
            engine_record_failure(node, diff);
            free(diff);
        }
    }
    if (class->cleanup) {
        class->cleanup(shadow);
    }
}

void
engine_run(struct engine *e, const struct engine_context *ctx,
           bool allow_recompute)
{
    static const struct engine_context empty_ctx = { .flags = 0 };

    if (!e->initialized) {
        VLOG_ABORT("engine_run() before engine_init()");
    }
    if (!ctx) {
        ctx = &empty_ctx;
    }

    long long int start = time_usec();
    e->canceled = false;
    for (size_t i = 0; i < e->n_nodes; i++) {
        struct engine_node *node = e->order[i];
        long long int node_start = e->compute_log_ms ? time_msec() : 0;
        uint64_t recomputes = node->stats.recompute;

        engine_run_node(node, ctx, allow_recompute);
        if (e->compute_log_ms && node->n_inputs) {
            long long int took = time_msec() - node_start;
            if (took >= e->compute_log_ms) {
                VLOG_INFO("node: %s, %s took %lldms", node->class->name,
                          node->stats.recompute != recomputes
                          ? "recompute" : "compute", took);
            }
        }
    }
    long long int ran = time_usec();

    if (e->check) {
        for (size_t i = 0; i < e->n_nodes; i++) {
            struct engine_node *node = e->order[i];
            if (!node->class->compare) {
                continue;
            }
            if (node->handled) {
                node->stats.check_due++;
                engine_check_node(node, ctx);
            } else if (node->check_owed && node->state == EN_UNCHANGED) {
                /* Untouched since the postponed check: its data must
                 * still agree with a recompute. */
                engine_check_node(node, ctx);
            }
        }
    }

    struct engine_run_stats *rs = &e->run_stats;
    rs->runs++;
    rs->last_run_usec = ran - start;
    rs->run_usec += rs->last_run_usec;
    rs->check_usec += time_usec() - ran;
}

bool
engine_canceled(const struct engine *e)
{
    return e->canceled;
}

/* A node whose source may have changed is not counted: asking would consume
 * the change.  What is counted is the work the engine owes: a forced
 * recompute, the first run, or a retry after a cancel. */
bool
engine_need_run(const struct engine *e)
{
    for (size_t i = 0; i < e->n_nodes; i++) {
        if (e->nodes[i]->pending) {
            return true;
        }
    }
    return false;
}

void
engine_force_recompute(struct engine *e)
{
    for (size_t i = 0; i < e->n_nodes; i++) {
        e->nodes[i]->pending = engine_pending_forced;
    }
}

void
engine_set_compute_log_timeout(struct engine *e, long long int ms)
{
    e->compute_log_ms = MAX(ms, 0);
}

void
engine_set_consistency_check(struct engine *e, bool enable)
{
    e->check = enable;
}

bool
engine_get_consistency_check(const struct engine *e)
{
    return e->check;
}

uint64_t
engine_consistency_failures(const struct engine *e)
{
    return e->n_failures;
}

void
engine_format_consistency(const struct engine *e, struct ds *out)
{
    /* Oldest first: the ring's next slot holds the oldest line once it has
     * wrapped around; empty slots before wrapping are skipped. */
    for (size_t i = 0; i < ENGINE_MAX_FAILURE_LINES; i++) {
        const char *line = e->failures[(e->next_failure + i)
                                       % ENGINE_MAX_FAILURE_LINES];
        if (line) {
            ds_put_format(out, "%s\n", line);
        }
    }
}

void
engine_clear_tracked(struct engine *e)
{
    for (size_t i = 0; i < e->n_nodes; i++) {
        struct engine_node *node = e->nodes[i];
        if (e->initialized && node->class->clear_tracked) {
            node->class->clear_tracked(node->data);
        }
        node->state = EN_STALE;
        node->handled = false;
    }
}

/* Accessors. */

struct engine_node *
engine_get_node(const struct engine *e, const char *name)
{
    return shash_find_data(&e->by_name, name);
}

void *
engine_get_data(const struct engine_node *node)
{
    return node->data;
}

const char *
engine_node_name(const struct engine_node *node)
{
    return node->class->name;
}

enum engine_node_state
engine_node_get_state(const struct engine_node *node)
{
    return node->state;
}

bool
engine_node_changed(const struct engine_node *node)
{
    return node->state == EN_UPDATED;
}

size_t
engine_n_nodes(const struct engine *e)
{
    return e->n_nodes;
}

const struct engine_node *
engine_node_at(const struct engine *e, size_t i)
{
    ovs_assert(i < e->n_nodes);
    return engine_nodes(e)[i];
}

const struct engine_run_stats *
engine_get_run_stats(const struct engine *e)
{
    return &e->run_stats;
}

const struct engine_stats *
engine_node_stats(const struct engine_node *node)
{
    return &node->stats;
}

/* Returns the input edge of 'node' from 'input', aborting if there is
 * none. */
static const struct engine_input *
engine_find_input(const struct engine_node *node,
                  const struct engine_node *input)
{
    for (size_t i = 0; i < node->n_inputs; i++) {
        if (node->inputs[i].node == input) {
            return &node->inputs[i];
        }
    }
    VLOG_ABORT("node %s: %s is not one of its inputs",
               node->class->name, input->class->name);
}

void *
engine_get_input_data(const struct engine_node *node,
                      const struct engine_node *input)
{
    return engine_find_input(node, input)->node->data;
}

enum engine_node_state
engine_get_input_state(const struct engine_node *node,
                       const struct engine_node *input)
{
    return engine_find_input(node, input)->node->state;
}

/* Statistics and dumps. */

/* The counters of struct engine_stats that "inc-engine/show-stats" shows,
 * by the names it shows them under. */
static const struct engine_stat_field {
    const char *name;
    size_t offset;
} engine_stat_fields[] = {
    { "recompute", offsetof(struct engine_stats, recompute) },
    { "compute", offsetof(struct engine_stats, compute) },
    { "abort", offsetof(struct engine_stats, cancel) },
    { "check", offsetof(struct engine_stats, check) },
    { "check_failed", offsetof(struct engine_stats, check_failed) },
};

static uint64_t
engine_stat_get(const struct engine_stats *s,
                const struct engine_stat_field *f)
{
    uint64_t value;

    memcpy(&value, (const char *) s + f->offset, sizeof value);
    return value;
}

static void
engine_format_node_stats(const struct engine_node *node, struct ds *out)
{
    ds_put_format(out, "Node: %s\n", node->class->name);
    for (size_t i = 0; i < ARRAY_SIZE(engine_stat_fields); i++) {
        const struct engine_stat_field *f = &engine_stat_fields[i];
        char label[32];

        snprintf(label, sizeof label, "%s:", f->name);
        ds_put_format(out, "- %-10s %12"PRIu64"\n", label,
                      engine_stat_get(&node->stats, f));
    }
}

void
engine_format_stats(const struct engine *e, const char *name,
                    struct ds *out)
{
    if (name) {
        const struct engine_node *node = engine_get_node(e, name);
        if (node) {
            engine_format_node_stats(node, out);
        }
        return;
    }

    struct engine_node **nodes = engine_nodes(e);
    for (size_t i = 0; i < e->n_nodes; i++) {
        engine_format_node_stats(nodes[i], out);
    }
}

bool
engine_format_stat(const struct engine *e, const char *name,
                   const char *stat, struct ds *out)
{
    const char *field = !strcmp(stat, "cancel") ? "abort" : stat;

    for (size_t i = 0; i < ARRAY_SIZE(engine_stat_fields); i++) {
        const struct engine_stat_field *f = &engine_stat_fields[i];
        if (!strcmp(f->name, field)) {
            const struct engine_node *node = engine_get_node(e, name);
            if (node) {
                ds_put_format(out, "%"PRIu64"\n",
                              engine_stat_get(&node->stats, f));
            }
            return true;
        }
    }
    return false;
}

void
engine_format_checks(const struct engine *e, struct ds *out)
{
    struct engine_node **nodes = engine_nodes(e);

    for (size_t i = 0; i < e->n_nodes; i++) {
        const struct engine_node *node = nodes[i];
        const struct engine_stats *s = &node->stats;

        if (node->class->compare) {
            ds_put_format(out, "%s: compute %"PRIu64" due %"PRIu64
                          " check %"PRIu64" failed %"PRIu64"\n",
                          node->class->name, s->compute, s->check_due,
                          s->check, s->check_failed);
        } else {
            ds_put_format(out, "%s: not compared: %s\n", node->class->name,
                          node->class->no_compare);
        }
    }
}

void
engine_clear_stats(struct engine *e)
{
    for (size_t i = 0; i < e->n_nodes; i++) {
        e->nodes[i]->stats = (struct engine_stats) { 0 };
    }
    e->run_stats = (struct engine_run_stats) { 0 };
}

/* Edges whose input has no handler, so that a change of the input makes
 * the node recompute, are dashed and labelled "recompute"; edges whose
 * handler is engine_noop_handler() are dotted and labelled "ignored". */
void
engine_format_dot(const struct engine *e, struct ds *out)
{
    struct engine_node **nodes = engine_nodes(e);

    ds_put_cstr(out, "digraph engine {\n");
    ds_put_cstr(out, "    rankdir=LR;\n");
    for (size_t i = 0; i < e->n_nodes; i++) {
        ds_put_format(out, "    \"%s\";\n", nodes[i]->class->name);
    }
    for (size_t i = 0; i < e->n_nodes; i++) {
        const struct engine_node *node = nodes[i];
        for (size_t j = 0; j < node->n_inputs; j++) {
            const struct engine_input *input = &node->inputs[j];
            ds_put_format(out, "    \"%s\" -> \"%s\"",
                          input->node->class->name, node->class->name);
            if (!input->handler) {
                ds_put_cstr(out, " [style=dashed, label=\"recompute\"]");
            } else if (input->handler == engine_noop_handler) {
                ds_put_cstr(out, " [style=dotted, label=\"ignored\"]");
            }
            ds_put_cstr(out, ";\n");
        }
    }
    ds_put_cstr(out, "}\n");
}
