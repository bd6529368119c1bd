/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Main-loop unixctl commands: see daemon-ctl.h.
 */

#include <config.h>

#include "controller/daemon-ctl.h"

#include "coverage.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(daemon_ctl);

COVERAGE_DEFINE(daemon_ctl_pause);
COVERAGE_DEFINE(daemon_ctl_sb_reset);

static void
pause_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED,
          const char *argv[] OVS_UNUSED, void *dc_)
{
    struct daemon_ctl *dc = dc_;

    if (!dc->paused) {
        COVERAGE_INC(daemon_ctl_pause);
        VLOG_INFO("User triggered execution pause.");
    }
    dc->paused = true;
    unixctl_command_reply(conn, NULL);
}

static void
resume_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED,
           const char *argv[] OVS_UNUSED, void *dc_)
{
    struct daemon_ctl *dc = dc_;

    if (dc->paused) {
        VLOG_INFO("User triggered execution resume.");
    }
    dc->paused = false;
    poll_immediate_wake();
    unixctl_command_reply(conn, NULL);
}

static void
status_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED,
           const char *argv[] OVS_UNUSED, void *dc_)
{
    const struct daemon_ctl *dc = dc_;

    unixctl_command_reply(conn, dc->paused ? "paused" : "running");
}

static void
ignore_startup_delay_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED,
                         const char *argv[] OVS_UNUSED, void *dc_)
{
    struct daemon_ctl *dc = dc_;

    if (!dc->ignore_startup_delay) {
        VLOG_INFO("ignoring the startup delay (ovn-ofctrl-wait-before-"
                  "clear) from now on");
    }
    dc->ignore_startup_delay = true;
    poll_immediate_wake();
    unixctl_command_reply(conn, NULL);
}

static void
sb_cluster_state_reset_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED,
                           const char *argv[] OVS_UNUSED, void *dc_)
{
    struct daemon_ctl *dc = dc_;

    COVERAGE_INC(daemon_ctl_sb_reset);
    VLOG_INFO("Resetting southbound database cluster state");
    ovsdb_idl_reset_min_index(dc->sb_idl);
    poll_immediate_wake();
    unixctl_command_reply(conn, NULL);
}

void
daemon_ctl_init(struct daemon_ctl *dc, struct ovsdb_idl *sb_idl)
{
    dc->paused = false;
    dc->ignore_startup_delay = false;
    dc->sb_idl = sb_idl;
    unixctl_command_register("debug/pause", "", 0, 0, pause_cmd, dc);
    unixctl_command_register("debug/resume", "", 0, 0, resume_cmd, dc);
    unixctl_command_register("debug/status", "", 0, 0, status_cmd, dc);
    unixctl_command_register("debug/ignore-startup-delay", "", 0, 0,
                             ignore_startup_delay_cmd, dc);
    unixctl_command_register("sb-cluster-state-reset", "", 0, 0,
                             sb_cluster_state_reset_cmd, dc);
}
