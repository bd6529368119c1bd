/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Engine node "pinctrl_meters": see en-pinctrl-meters.h. */

#include <config.h>
#include "controller/en-pinctrl-meters.h"

#include "controller/en-ctx.h"
#include "controller/en-lflow.h"
#include "controller/en-ovs-config.h"
#include "controller/en-ovsdb.h"
#include "coverage.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "svec.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(pinctrl_meters);
COVERAGE_DEFINE(pinctrl_meters_bad_value);

#define KEY "ovn-pinctrl-rate-limit"

/* Looks up 'key' in its per-chassis form first. */
static const char *
get_key(const struct smap *ids, const char *key, const char *system_id)
{
    const char *v = NULL;
    if (system_id) {
        char *k = xasprintf("%s-%s", key, system_id);
        v = smap_get(ids, k);
        free(k);
    }
    return v ? v : smap_get(ids, key);
}

/* Parses the rate of 'key' into '*pps' if it is set and valid. */
static void
parse_rate(const struct smap *ids, const char *key, const char *system_id,
           uint32_t *pps, struct svec *errors)
{
    const char *v = get_key(ids, key, system_id);
    unsigned int n;

    if (!v) {
        return;
    }
    if (!str_to_uint(v, 10, &n) || !n || n > PINCTRL_METER_MAX_PPS) {
        svec_add_nocopy(errors, xasprintf(
                            "%s: \"%s\" is not a rate from 1 to %d packets "
                            "per second", key, v, PINCTRL_METER_MAX_PPS));
        return;
    }
    *pps = n;
}

void
pinctrl_meters_parse(const struct smap *ids, const char *system_id,
                     uint32_t pps[CTLOP_N_OPCODES], struct svec *errors)
{
    uint32_t all = PINCTRL_METER_DEFAULT_PPS;

    parse_rate(ids, KEY, system_id, &all, errors);
    for (size_t i = 0; i < CTLOP_N_OPCODES; i++) {
        char *key = xasprintf(KEY"-%s", ctlop_opcode_name(i));
        pps[i] = all;
        parse_rate(ids, key, system_id, &pps[i], errors);
        free(key);
    }
}

/* Declares in 'meters' the per-(operation, port) meters that 'lflow'
 * handed out, at the rates 'pps', and withdraws those it no longer has.
 * Returns true if that changed a meter. */
static bool
add_port_meters(struct flow_table *meters, struct en_lflow_data *lflow,
                const uint32_t pps[CTLOP_N_OPCODES])
{
    const size_t n = strlen(CTLOP_PORT_METER_PREFIX);
    const struct id_table *ids = &lflow->state.meters;
    const struct id_table_entry *e;
    struct ft_id_desc *d, *next;
    bool changed = false;

    HMAP_FOR_EACH_SAFE (d, next, node, &meters->meters) {
        if (d->desc && d->id < CTLOP_METER_ID_BASE
            && !id_table_find(ids, d->id)) {
            flow_table_remove_meter(meters, d->id);
            changed = true;
        }
    }
    ID_TABLE_FOR_EACH (e, ids) {
        if (strncmp(e->desc, CTLOP_PORT_METER_PREFIX, n)) {
            continue;
        }
        char *name = xstrdup(e->desc + n);
        char *colon = strchr(name, ':');
        enum ctlop_opcode op;
        if (colon) {
            *colon = '\0';
        }
        if (colon && ctlop_opcode_from_name(name, &op)) {
            const struct ft_id_desc *old = flow_table_find_meter(meters,
                                                                 e->id);
            char *desc = xasprintf("pktps burst stats bands=type=drop "
                                   "rate=%"PRIu32" burst_size=%"PRIu32,
                                   pps[op], pps[op]);
            changed |= !old || !old->desc || strcmp(old->desc, desc);
            flow_table_add_meter(meters, e->id, desc);
            free(desc);
        }
        free(name);
    }
    return changed;
}

static void *
en_pinctrl_meters_init(void *arg)
{
    struct en_pinctrl_meters_data *data = xzalloc(sizeof *data);
    data->in = *(const struct en_pinctrl_meters_inputs *) arg;
    flow_table_init(&data->meters);
    return data;
}

static void
en_pinctrl_meters_cleanup(void *data_)
{
    struct en_pinctrl_meters_data *data = data_;
    if (data) {
        flow_table_destroy(&data->meters);
        free(data);
    }
}

static char *
en_pinctrl_meters_compare(const void *a_, const void *b_)
{
    const struct en_pinctrl_meters_data *a = a_, *b = b_;
    return flow_table_compare(&a->meters, &b->meters);
}

static enum engine_run_result
en_pinctrl_meters_run(struct engine_node *node, void *data_,
                      const struct engine_context *ctx)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    struct en_pinctrl_meters_data *data = data_;
    const struct chassis_config *cfg = en_ovs_config_get(
        engine_get_input_data(node, data->in.ovs_config));
    struct ovsdb_idl *idl = en_ovsdb_input_idl(node,
                                               data->in.ovs_open_vswitch);
    const struct ovsrec_open_vswitch *row = ovsrec_open_vswitch_first(idl);
    struct smap empty = SMAP_INITIALIZER(&empty);
    struct svec errors = SVEC_EMPTY_INITIALIZER;
    uint32_t pps[CTLOP_N_OPCODES];

    pinctrl_meters_parse(row ? &row->external_ids : &empty, cfg->system_id,
                         pps, &errors);
    if (!engine_context_is_shadow(ctx)) {
        const char *e;
        size_t i;
        SVEC_FOR_EACH (i, e, &errors) {
            COVERAGE_INC(pinctrl_meters_bad_value);
            VLOG_WARN_RL(&rl, "%s; using the default", e);
        }
    }
    svec_destroy(&errors);

    bool changed = memcmp(pps, data->pps, sizeof pps) != 0;
    flow_table_set_gen(&data->meters, en_ctx_gen(ctx));
    for (size_t i = 0; i < CTLOP_N_OPCODES; i++) {
        char *desc = xasprintf("pktps burst stats bands=type=drop rate=%"
                               PRIu32" burst_size=%"PRIu32, pps[i], pps[i]);
        flow_table_add_meter(&data->meters, ctlop_meter_id(i), desc);
        free(desc);
    }
    changed |= add_port_meters(&data->meters,
                               engine_get_input_data(node, data->in.lflow),
                               pps);
    memcpy(data->pps, pps, sizeof pps);
    return changed ? ENGINE_RUN_UPDATED : ENGINE_RUN_UNCHANGED;
}

struct flow_table *
en_pinctrl_meters_get_flows(void *data_)
{
    struct en_pinctrl_meters_data *data = data_;
    return &data->meters;
}

const struct engine_node_class en_pinctrl_meters_class = {
    .name = "pinctrl_meters",
    .init = en_pinctrl_meters_init,
    .cleanup = en_pinctrl_meters_cleanup,
    .run = en_pinctrl_meters_run,
    .compare = en_pinctrl_meters_compare,
};
