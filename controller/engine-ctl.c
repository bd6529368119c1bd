/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The "inc-engine/..." unixctl commands: see engine-ctl.h.
 */

#include <config.h>

#include "controller/engine-ctl.h"

#include <inttypes.h>
#include <string.h>

#include "lib/engine.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "openvswitch/poll-loop.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(engine_ctl);

/* "inc-engine/show-stats [NODE [STAT]]", as Debian's controller has it:
 * every node's counters, one node's, or one counter's value alone.  A
 * node that does not exist gives an empty reply (Debian's node names are
 * not all ours, and a script asking for one should not fail); an
 * unknown STAT gets Debian's reply, "Invalid stat type : STAT". */
static void
show_stats(struct unixctl_conn *conn, int argc, const char *argv[],
           void *engine_)
{
    struct engine *engine = engine_;
    const char *name = argc > 1 ? argv[1] : NULL;
    struct ds s = DS_EMPTY_INITIALIZER;

    if (argc > 2) {
        if (!engine_format_stat(engine, name, argv[2], &s)) {
            /* Debian's reply, not an error, word for word. */
            ds_clear(&s);
            ds_put_format(&s, "Invalid stat type : %s\n", argv[2]);
        }
    } else {
        engine_format_stats(engine, name, &s);
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
clear_stats(struct unixctl_conn *conn, int argc OVS_UNUSED,
            const char *argv[] OVS_UNUSED, void *engine)
{
    engine_clear_stats(engine);
    unixctl_command_reply(conn, NULL);
}

static void
recompute(struct unixctl_conn *conn, int argc OVS_UNUSED,
          const char *argv[] OVS_UNUSED, void *engine)
{
    VLOG_INFO("full recompute requested");
    engine_force_recompute(engine);
    poll_immediate_wake();
    unixctl_command_reply(conn, NULL);
}

/* "recompute": Debian's older name of "inc-engine/recompute" (it calls it
 * deprecated). */
static void
recompute_deprecated(struct unixctl_conn *conn, int argc, const char *argv[],
                     void *engine)
{
    recompute(conn, argc, argv, engine);
}

static void
compute_log_timeout(struct unixctl_conn *conn, int argc OVS_UNUSED,
                    const char *argv[], void *engine)
{
    unsigned int ms;

    if (!str_to_uint(argv[1], 10, &ms)) {
        unixctl_command_reply_error(conn, "unsigned integer required");
        return;
    }
    engine_set_compute_log_timeout(engine, ms);
    unixctl_command_reply(conn, NULL);
}

static void
consistency_check(struct unixctl_conn *conn, int argc, const char *argv[],
                  void *engine)
{
    if (argc > 1) {
        if (!strcmp(argv[1], "on") || !strcmp(argv[1], "off")) {
            engine_set_consistency_check(engine, !strcmp(argv[1], "on"));
            unixctl_command_reply(conn, NULL);
        } else {
            unixctl_command_reply_error(conn, "expected \"on\" or \"off\"");
        }
        return;
    }

    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_format(&s, "%s\nfailures: %"PRIu64"\n",
                  engine_get_consistency_check(engine) ? "on" : "off",
                  engine_consistency_failures(engine));
    engine_format_consistency(engine, &s);
    ds_put_cstr(&s, "nodes:\n");
    engine_format_checks(engine, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
dump_graph(struct unixctl_conn *conn, int argc OVS_UNUSED,
           const char *argv[] OVS_UNUSED, void *engine)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    engine_format_dot(engine, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

void
engine_ctl_register(struct engine *engine)
{
    unixctl_command_register("inc-engine/show-stats", "[NODE [STAT]]", 0, 2,
                             show_stats, engine);
    unixctl_command_register("inc-engine/clear-stats", "", 0, 0,
                             clear_stats, engine);
    unixctl_command_register("inc-engine/recompute", "", 0, 0,
                             recompute, engine);
    unixctl_command_register("recompute", "[deprecated]", 0, 0,
                             recompute_deprecated, engine);
    unixctl_command_register("inc-engine/compute-log-timeout", "MS", 1, 1,
                             compute_log_timeout, engine);
    unixctl_command_register("inc-engine/consistency-check", "[on|off]",
                             0, 1, consistency_check, engine);
    unixctl_command_register("inc-engine/dump-graph", "", 0, 0,
                             dump_graph, engine);
}
