/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine leaves over ofctrl: see en-ofctrl.h.
 */

#include <config.h>

#include "controller/en-ofctrl.h"

#include "controller/ofctrl.h"
#include "coverage.h"
#include "util.h"

COVERAGE_DEFINE(en_ofctrl_geneve_changed);
COVERAGE_DEFINE(en_ofctrl_installed_changed);

/* "mff_ovn_geneve". */

static void *
en_mff_ovn_geneve_init(void *ofctrl)
{
    struct en_mff_ovn_geneve_data *data = xzalloc(sizeof *data);

    data->ofctrl = ofctrl;
    data->field = MFF_N_IDS;
    return data;
}

static enum engine_run_result
en_mff_ovn_geneve_run(struct engine_node *node OVS_UNUSED, void *data_,
                      const struct engine_context *ctx OVS_UNUSED)
{
    struct en_mff_ovn_geneve_data *data = data_;

    data->field = (data->ofctrl ? ofctrl_get_geneve_field(data->ofctrl)
                   : MFF_N_IDS);
    return ENGINE_RUN_UPDATED;
}

static bool
en_mff_ovn_geneve_changed(void *data_)
{
    struct en_mff_ovn_geneve_data *data = data_;
    enum mf_field_id field = (data->ofctrl
                              ? ofctrl_get_geneve_field(data->ofctrl)
                              : MFF_N_IDS);

    if (field == data->field) {
        return false;
    }
    COVERAGE_INC(en_ofctrl_geneve_changed);
    data->field = field;
    return true;
}

const struct engine_node_class en_mff_ovn_geneve_class = {
    .name = "mff_ovn_geneve",
    .init = en_mff_ovn_geneve_init,
    .cleanup = free,
    .run = en_mff_ovn_geneve_run,
    .source_changed = en_mff_ovn_geneve_changed,
    .no_compare = "leaf: ofctrl holds the mapping",
};

/* "ofctrl_installed". */

static void *
en_ofctrl_installed_init(void *ofctrl)
{
    struct en_ofctrl_installed_data *data = xzalloc(sizeof *data);

    data->ofctrl = ofctrl;
    return data;
}

static enum engine_run_result
en_ofctrl_installed_run(struct engine_node *node OVS_UNUSED, void *data_,
                        const struct engine_context *ctx OVS_UNUSED)
{
    struct en_ofctrl_installed_data *data = data_;

    data->gen = data->ofctrl ? ofctrl_get_installed_gen(data->ofctrl) : 0;
    return ENGINE_RUN_UPDATED;
}

static bool
en_ofctrl_installed_changed(void *data_)
{
    struct en_ofctrl_installed_data *data = data_;
    uint64_t gen = data->ofctrl ? ofctrl_get_installed_gen(data->ofctrl) : 0;

    if (gen == data->gen) {
        return false;
    }
    COVERAGE_INC(en_ofctrl_installed_changed);
    data->gen = gen;
    return true;
}

const struct engine_node_class en_ofctrl_installed_class = {
    .name = "ofctrl_installed",
    .init = en_ofctrl_installed_init,
    .cleanup = free,
    .run = en_ofctrl_installed_run,
    .source_changed = en_ofctrl_installed_changed,
    .no_compare = "leaf: ofctrl holds the installed generation",
};
