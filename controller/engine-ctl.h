/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The "inc-engine/..." unixctl commands of the daemon's engine.
 */

#ifndef OVNMC_ENGINE_CTL_H
#define OVNMC_ENGINE_CTL_H 1

struct engine;

/* Registers the commands for 'engine', which must outlive the unixctl
 * server:
 *
 *   inc-engine/show-stats [NODE]        per-node statistics
 *   inc-engine/clear-stats              zero them
 *   inc-engine/recompute                recompute every node next run
 *   inc-engine/consistency-check [on|off]
 *        with an argument, turns the check on or off; without, prints
 *        "on" or "off", then "failures: N", then the recorded failures
 *   inc-engine/dump-graph               the graph in Graphviz DOT form
 */
void engine_ctl_register(struct engine *engine);

#endif /* controller/engine-ctl.h */
