/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Unit driver for the incremental processing engine (lib/engine.c).
 *
 * Builds a toy graph in code:
 *
 *     source_a --\
 *                 sum ==(no handler)==> scaled --> watch
 *     source_b --/                      ^            :
 *     factor ---------------------------+ . . . . . . (noop handler)
 *
 *   - source_a, source_b: leaves with source_changed(); each holds a value
 *     and a "noise" counter that changes the source without changing the
 *     value.
 *   - factor: a leaf without source_changed(), so its run() runs on every
 *     iteration; UPDATED only when the factor changed.
 *   - sum = a + b, with incremental handlers for both sources whose
 *     behaviour the commands select: correct, unhandled, or deliberately
 *     wrong (adds twice the change), for the consistency check to catch.
 *   - scaled = sum * factor: no handler for sum (recompute), a handler for
 *     factor.  Its run() "writes to the outside world" (counted), and can
 *     be told to cancel, as a node without a transaction would.  In a
 *     shadow run it neither writes nor cancels.
 *   - watch = scaled, with engine_noop_handler() for factor.
 *
 * Usage: test-engine [--debug] COMMAND...
 * Commands run in order on one engine (with the consistency check on unless
 * "check=off"):
 *   a=N b=N factor=N       set a source's value
 *   touch-a touch-b        change a source without changing its value
 *   handler-a=MODE         sum's handler for source_a (also handler-b):
 *                          ok, unhandled or wrong
 *   cancel-scaled=N        scaled's next N real runs cancel
 *   run                    engine_run() with recompute allowed; prints the
 *                          node states and values, then clears tracking
 *   run-no-recompute       same, with allow_recompute false
 *   force                  engine_force_recompute()
 *   check=on|off           consistency check
 *   stats stats=NAME       engine_format_stats()
 *   clear-stats            engine_clear_stats()
 *   dot                    engine_format_dot()
 *   consistency            failure count and engine_format_consistency()
 *   checks                 engine_format_checks()
 *   need-run               engine_need_run()
 *   writes                 how many times scaled wrote to the outside
 *   bump-a=N               N times: a += 1 and run, printing nothing
 * Or a single command that wires a bad graph (the engine must abort):
 *   bad-cycle bad-self bad-duplicate bad-name bad-input bad-compare
 */

#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/engine.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "util.h"

/* How sum's change handler for a source behaves. */
enum toy_mode {
    TOY_OK,                     /* Correct. */
    TOY_UNHANDLED,              /* Returns ENGINE_INPUT_UNHANDLED. */
    TOY_WRONG,                  /* Adds twice the change: a bug. */
};

/* A source's value in the outside world. */
struct toy_var {
    int value;
    int noise;                  /* Changes the source, not the value. */
};

/* Everything outside the engine: the sources, the knobs, and the nodes. */
struct toy_world {
    struct toy_var a, b;
    int factor;
    enum toy_mode mode_a, mode_b;
    int cancel_scaled;          /* Real runs of scaled left to cancel. */
    int writes;                 /* Real (non-shadow) runs of scaled. */

    struct engine *engine;
    struct engine_node *a_node, *b_node, *factor_node;
    struct engine_node *sum_node, *scaled_node, *watch_node;
};

/* Data of source_a and source_b. */
struct toy_source {
    const struct toy_var *var;  /* Where the value comes from. */
    int value;                  /* Current value. */
    int old;                    /* Value when tracking was last cleared. */
    int noise;
};

/* Data of factor, sum, scaled and watch: one number. */
struct toy_number {
    struct toy_world *world;
    int value;
};

/* Sources. */

static void *
toy_source_init(void *var_)
{
    const struct toy_var *var = var_;
    struct toy_source *src = xzalloc(sizeof *src);
    src->var = var;
    return src;
}

static void
toy_free(void *data)
{
    free(data);
}

static bool
toy_source_changed(void *src_)
{
    struct toy_source *src = src_;
    if (src->var->value == src->value && src->var->noise == src->noise) {
        return false;
    }
    src->value = src->var->value;
    src->noise = src->var->noise;
    return true;
}

static enum engine_run_result
toy_source_run(struct engine_node *node OVS_UNUSED, void *src_,
               const struct engine_context *ctx OVS_UNUSED)
{
    struct toy_source *src = src_;
    src->value = src->var->value;
    src->noise = src->var->noise;
    return ENGINE_RUN_UPDATED;
}

static void
toy_source_clear_tracked(void *src_)
{
    struct toy_source *src = src_;
    src->old = src->value;
}

static const struct engine_node_class toy_source_a_class = {
    .name = "source_a",
    .init = toy_source_init,
    .cleanup = toy_free,
    .run = toy_source_run,
    .clear_tracked = toy_source_clear_tracked,
    .source_changed = toy_source_changed,
    .no_compare = "leaf: its value is the source",
};

static const struct engine_node_class toy_source_b_class = {
    .name = "source_b",
    .init = toy_source_init,
    .cleanup = toy_free,
    .run = toy_source_run,
    .clear_tracked = toy_source_clear_tracked,
    .source_changed = toy_source_changed,
    .no_compare = "leaf: its value is the source",
};

/* Numbers. */

static void *
toy_number_init(void *world)
{
    struct toy_number *n = xzalloc(sizeof *n);
    n->world = world;
    return n;
}

/* Sets 'n' to 'value' and says whether that changed it. */
static enum engine_run_result
toy_number_set(struct toy_number *n, int value)
{
    if (n->value == value) {
        return ENGINE_RUN_UNCHANGED;
    }
    n->value = value;
    return ENGINE_RUN_UPDATED;
}

static char *
toy_number_compare(const void *a_, const void *b_)
{
    const struct toy_number *a = a_;
    const struct toy_number *b = b_;
    return (a->value == b->value
            ? NULL
            : xasprintf("value %d, recomputed %d", a->value, b->value));
}

static int
toy_input_number(struct engine_node *node, struct engine_node *input)
{
    const struct toy_number *n = engine_get_input_data(node, input);
    return n->value;
}

/* factor: a leaf without source_changed(). */
static enum engine_run_result
toy_factor_run(struct engine_node *node OVS_UNUSED, void *n_,
               const struct engine_context *ctx OVS_UNUSED)
{
    struct toy_number *n = n_;
    return toy_number_set(n, n->world->factor);
}

static const struct engine_node_class toy_factor_class = {
    .name = "factor",
    .init = toy_number_init,
    .cleanup = toy_free,
    .run = toy_factor_run,
    .no_compare = "leaf: its value is the world's",
};

/* sum = a + b. */
static enum engine_run_result
toy_sum_run(struct engine_node *node, void *n_,
            const struct engine_context *ctx OVS_UNUSED)
{
    struct toy_number *n = n_;
    const struct toy_source *a = engine_get_input_data(node,
                                                       n->world->a_node);
    const struct toy_source *b = engine_get_input_data(node,
                                                       n->world->b_node);
    return toy_number_set(n, a->value + b->value);
}

/* Folds a change of the source 'input' into the sum, as 'mode' says. */
static enum engine_input_result
toy_sum_handle(struct engine_node *node, struct toy_number *n,
               struct engine_node *input, enum toy_mode mode)
{
    const struct toy_source *src = engine_get_input_data(node, input);
    int delta = src->value - src->old;

    switch (mode) {
    case TOY_UNHANDLED:
        return ENGINE_INPUT_UNHANDLED;
    case TOY_WRONG:
        delta *= 2;
        break;
    case TOY_OK:
    default:
        break;
    }
    n->value += delta;
    return delta ? ENGINE_INPUT_HANDLED_UPDATED
                 : ENGINE_INPUT_HANDLED_UNCHANGED;
}

static enum engine_input_result
toy_sum_handle_a(struct engine_node *node, void *n_,
                 const struct engine_context *ctx OVS_UNUSED)
{
    struct toy_number *n = n_;
    return toy_sum_handle(node, n, n->world->a_node, n->world->mode_a);
}

static enum engine_input_result
toy_sum_handle_b(struct engine_node *node, void *n_,
                 const struct engine_context *ctx OVS_UNUSED)
{
    struct toy_number *n = n_;
    return toy_sum_handle(node, n, n->world->b_node, n->world->mode_b);
}

static const struct engine_node_class toy_sum_class = {
    .name = "sum",
    .init = toy_number_init,
    .cleanup = toy_free,
    .run = toy_sum_run,
    .compare = toy_number_compare,
};

/* scaled = sum * factor. */
static enum engine_run_result
toy_scaled_run(struct engine_node *node, void *n_,
               const struct engine_context *ctx)
{
    struct toy_number *n = n_;
    struct toy_world *w = n->world;

    if (!engine_context_is_shadow(ctx)) {
        if (w->cancel_scaled > 0) {
            w->cancel_scaled--;
            return ENGINE_RUN_CANCELED;
        }
        w->writes++;
    }
    return toy_number_set(n, (toy_input_number(node, w->sum_node)
                              * toy_input_number(node, w->factor_node)));
}

static enum engine_input_result
toy_scaled_handle_factor(struct engine_node *node, void *n_,
                         const struct engine_context *ctx OVS_UNUSED)
{
    struct toy_number *n = n_;
    struct toy_world *w = n->world;
    int value = (toy_input_number(node, w->sum_node)
                 * toy_input_number(node, w->factor_node));
    return (toy_number_set(n, value) == ENGINE_RUN_UPDATED
            ? ENGINE_INPUT_HANDLED_UPDATED
            : ENGINE_INPUT_HANDLED_UNCHANGED);
}

static const struct engine_node_class toy_scaled_class = {
    .name = "scaled",
    .init = toy_number_init,
    .cleanup = toy_free,
    .run = toy_scaled_run,
    .compare = toy_number_compare,
};

/* watch = scaled. */
static enum engine_run_result
toy_watch_run(struct engine_node *node, void *n_,
              const struct engine_context *ctx OVS_UNUSED)
{
    struct toy_number *n = n_;
    return toy_number_set(n, toy_input_number(node, n->world->scaled_node));
}

static enum engine_input_result
toy_watch_handle_scaled(struct engine_node *node, void *n_,
                        const struct engine_context *ctx)
{
    return (toy_watch_run(node, n_, ctx) == ENGINE_RUN_UPDATED
            ? ENGINE_INPUT_HANDLED_UPDATED
            : ENGINE_INPUT_HANDLED_UNCHANGED);
}

static const struct engine_node_class toy_watch_class = {
    .name = "watch",
    .init = toy_number_init,
    .cleanup = toy_free,
    .run = toy_watch_run,
    .compare = toy_number_compare,
};

/* The graph. */

static void
toy_build(struct toy_world *w)
{
    struct engine *e = engine_create();
    w->engine = e;
    w->a_node = engine_add_node(e, &toy_source_a_class, &w->a);
    w->b_node = engine_add_node(e, &toy_source_b_class, &w->b);
    w->factor_node = engine_add_node(e, &toy_factor_class, w);
    w->sum_node = engine_add_node(e, &toy_sum_class, w);
    w->scaled_node = engine_add_node(e, &toy_scaled_class, w);
    w->watch_node = engine_add_node(e, &toy_watch_class, w);

    engine_add_input(w->sum_node, w->a_node, toy_sum_handle_a);
    engine_add_input(w->sum_node, w->b_node, toy_sum_handle_b);
    engine_add_input(w->scaled_node, w->sum_node, NULL);
    engine_add_input(w->scaled_node, w->factor_node,
                     toy_scaled_handle_factor);
    engine_add_input(w->watch_node, w->scaled_node, toy_watch_handle_scaled);
    engine_add_input(w->watch_node, w->factor_node, engine_noop_handler);
    engine_init(e);
    engine_set_consistency_check(e, true);
}

/* Builds a graph that the engine must reject: it aborts. */
static void
toy_bad_graph(const char *what)
{
    struct toy_world w = { .factor = 1 };
    struct engine *e = engine_create();
    struct engine_node *sum = engine_add_node(e, &toy_sum_class, &w);
    struct engine_node *scaled = engine_add_node(e, &toy_scaled_class, &w);
    struct engine_node *watch = engine_add_node(e, &toy_watch_class, &w);

    engine_add_input(scaled, sum, NULL);
    engine_add_input(watch, scaled, NULL);
    if (!strcmp(what, "bad-cycle")) {
        engine_add_input(sum, watch, NULL);
    } else if (!strcmp(what, "bad-self")) {
        engine_add_input(sum, sum, NULL);
    } else if (!strcmp(what, "bad-duplicate")) {
        engine_add_input(watch, scaled, engine_noop_handler);
    } else if (!strcmp(what, "bad-name")) {
        engine_add_node(e, &toy_sum_class, &w);
    } else if (!strcmp(what, "bad-compare")) {
        /* A class that neither compares nor says why not. */
        static const struct engine_node_class silent_class = {
            .name = "silent",
            .run = toy_factor_run,
        };
        engine_add_node(e, &silent_class, &w);
    } else if (!strcmp(what, "bad-input")) {
        /* Reading the data of a node that is not an input. */
        engine_init(e);
        engine_get_input_data(watch, sum);
    }
    engine_destroy(e);
    ovs_fatal(0, "%s: the engine accepted a bad graph", what);
}

/* Prints each node's state and value. */
static void
toy_print_states(const struct toy_world *w)
{
    const struct engine_node *nodes[] = {
        w->a_node, w->b_node, w->factor_node,
        w->sum_node, w->scaled_node, w->watch_node,
    };
    for (size_t i = 0; i < ARRAY_SIZE(nodes); i++) {
        const struct engine_node *node = nodes[i];
        const void *data = engine_get_data(node);
        int value = (node == w->a_node || node == w->b_node
                     ? ((const struct toy_source *) data)->value
                     : ((const struct toy_number *) data)->value);
        printf("%s: %s %d\n", engine_node_name(node),
               engine_node_state_name(engine_node_get_state(node)), value);
    }
}

static void
toy_run(struct toy_world *w, bool allow_recompute)
{
    struct engine_context ctx = { .flags = 0, .client = w };

    printf("# %s\n", allow_recompute ? "run" : "run-no-recompute");
    engine_run(w->engine, &ctx, allow_recompute);
    toy_print_states(w);
    printf("canceled %s, need-run %s\n",
           engine_canceled(w->engine) ? "yes" : "no",
           engine_need_run(w->engine) ? "yes" : "no");
    engine_clear_tracked(w->engine);
}

static void
toy_print_ds(struct ds *s)
{
    fputs(ds_cstr(s), stdout);
    ds_destroy(s);
}

static enum toy_mode
toy_parse_mode(const char *s)
{
    return (!strcmp(s, "ok") ? TOY_OK
            : !strcmp(s, "unhandled") ? TOY_UNHANDLED
            : !strcmp(s, "wrong") ? TOY_WRONG
            : (ovs_fatal(0, "%s: unknown handler mode", s), TOY_OK));
}

/* Executes 'cmd' ("name" or "name=value"). */
static void
toy_command(struct toy_world *w, const char *cmd)
{
    const char *eq = strchr(cmd, '=');
    const char *value = eq ? eq + 1 : "";
    size_t len = eq ? eq - cmd : strlen(cmd);
    char *name = xmemdup0(cmd, len);
    struct ds s = DS_EMPTY_INITIALIZER;

    if (!strcmp(name, "a")) {
        w->a.value = atoi(value);
    } else if (!strcmp(name, "b")) {
        w->b.value = atoi(value);
    } else if (!strcmp(name, "factor")) {
        w->factor = atoi(value);
    } else if (!strcmp(name, "touch-a")) {
        w->a.noise++;
    } else if (!strcmp(name, "touch-b")) {
        w->b.noise++;
    } else if (!strcmp(name, "handler-a")) {
        w->mode_a = toy_parse_mode(value);
    } else if (!strcmp(name, "handler-b")) {
        w->mode_b = toy_parse_mode(value);
    } else if (!strcmp(name, "cancel-scaled")) {
        w->cancel_scaled = atoi(value);
    } else if (!strcmp(name, "run")) {
        toy_run(w, true);
    } else if (!strcmp(name, "run-no-recompute")) {
        toy_run(w, false);
    } else if (!strcmp(name, "force")) {
        engine_force_recompute(w->engine);
    } else if (!strcmp(name, "check")) {
        engine_set_consistency_check(w->engine, !strcmp(value, "on"));
        printf("check %s\n",
               engine_get_consistency_check(w->engine) ? "on" : "off");
    } else if (!strcmp(name, "stats")) {
        printf("# stats%s%s\n", eq ? " " : "", value);
        engine_format_stats(w->engine, eq ? value : NULL, &s);
    } else if (!strcmp(name, "clear-stats")) {
        engine_clear_stats(w->engine);
    } else if (!strcmp(name, "dot")) {
        engine_format_dot(w->engine, &s);
    } else if (!strcmp(name, "consistency")) {
        printf("# consistency: %"PRIu64" failures\n",
               engine_consistency_failures(w->engine));
        engine_format_consistency(w->engine, &s);
    } else if (!strcmp(name, "checks")) {
        printf("# checks\n");
        engine_format_checks(w->engine, &s);
    } else if (!strcmp(name, "need-run")) {
        printf("need-run %s\n", engine_need_run(w->engine) ? "yes" : "no");
    } else if (!strcmp(name, "bump-a")) {
        for (int n = atoi(value); n > 0; n--) {
            w->a.value++;
            engine_run(w->engine, NULL, true);
            engine_clear_tracked(w->engine);
        }
    } else if (!strcmp(name, "writes")) {
        printf("writes %d\n", w->writes);
    } else {
        ovs_fatal(0, "%s: unknown command", cmd);
    }
    toy_print_ds(&s);
    free(name);
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    vlog_set_pattern(VLF_CONSOLE, "%c|%p|%m");
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_WARN);

    int i = 1;
    if (i < argc && !strcmp(argv[i], "--debug")) {
        vlog_set_levels_from_string_assert("inc_proc_eng:console:dbg");
        i++;
    }
    if (i < argc && !strncmp(argv[i], "bad-", 4)) {
        toy_bad_graph(argv[i]);
    }

    struct toy_world w = { .factor = 1 };
    toy_build(&w);
    for (; i < argc; i++) {
        toy_command(&w, argv[i]);
    }
    engine_destroy(w.engine);
    return 0;
}
