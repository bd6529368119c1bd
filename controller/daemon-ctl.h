/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Unixctl commands that act on the main loop rather than on one engine
 * node, with the names Debian's ovn-controller gives them:
 *
 *   debug/pause             stop running the engine and installing flows
 *                           (the databases and the OpenFlow connection
 *                           stay up; changes wait, none is lost);
 *   debug/resume            run again;
 *   debug/status            "paused" or "running";
 *   debug/ignore-startup-delay
 *                           the first OpenFlow synchronization after the
 *                           start no longer waits for
 *                           ovn-ofctrl-wait-before-clear (our only
 *                           startup delay);
 *   sb-cluster-state-reset  forget the raft index of the clustered SB
 *                           seen so far (ovsdb_idl_reset_min_index()),
 *                           for an SB cluster rebuilt from scratch.
 *
 * The main loop owns a struct daemon_ctl and reads it on each iteration.
 */

#ifndef OVNMC_DAEMON_CTL_H
#define OVNMC_DAEMON_CTL_H 1

#include <stdbool.h>

struct ovsdb_idl;

/* What the commands set. */
struct daemon_ctl {
    bool paused;                /* debug/pause. */
    bool ignore_startup_delay;  /* debug/ignore-startup-delay. */
    struct ovsdb_idl *sb_idl;   /* Not owned. */
};

/* Initializes 'dc' (running, no delay ignored) and registers the commands
 * over it; 'dc' must outlive the unixctl server. */
void daemon_ctl_init(struct daemon_ctl *dc, struct ovsdb_idl *sb_idl);

#endif /* controller/daemon-ctl.h */
