/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine leaves over ofctrl (controller/ofctrl.h): what the nodes need to
 * know of the OpenFlow connection.
 *
 *   "mff_ovn_geneve"     the field the switch mapped the Geneve option to
 *                        (MFF_N_IDS until it is known); a change makes the
 *                        flows that read or write it be rebuilt.
 *   "ofctrl_installed"   the latest generation of engine runs whose flows
 *                        the switch has confirmed; ports become up and
 *                        nb_cfg is acknowledged only once theirs is.
 *
 * Both report a change when ofctrl's value differs from the one they saw
 * last; ofctrl itself is driven by the main loop.
 */

#ifndef OVNMC_EN_OFCTRL_H
#define OVNMC_EN_OFCTRL_H 1

#include <stdint.h>
#include "lib/engine.h"
#include "openvswitch/meta-flow.h"

struct ofctrl;

/* The data of "mff_ovn_geneve". */
struct en_mff_ovn_geneve_data {
    const struct ofctrl *ofctrl;    /* Not owned. */
    enum mf_field_id field;         /* As last seen. */
};

/* The data of "ofctrl_installed". */
struct en_ofctrl_installed_data {
    const struct ofctrl *ofctrl;    /* Not owned. */
    uint64_t gen;                   /* As last seen. */
};

/* Both take the struct ofctrl * as engine_add_node()'s argument. */
extern const struct engine_node_class en_mff_ovn_geneve_class;
extern const struct engine_node_class en_ofctrl_installed_class;

#endif /* controller/en-ofctrl.h */
