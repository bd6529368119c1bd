/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "ovs_config": see en-ovs-config.h.
 */

#include <config.h>

#include "controller/en-ovs-config.h"

#include "controller/idl-columns.h"

#include <unistd.h>

#include "controller/en-ctx.h"
#include "controller/en-ovsdb.h"
#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(en_ovs_config);

COVERAGE_DEFINE(ovs_config_parse);
COVERAGE_DEFINE(ovs_config_changed);
COVERAGE_DEFINE(ovs_config_problem);
COVERAGE_DEFINE(ovs_config_keep_encaps);

void
en_ovs_config_last_good_init(struct en_ovs_config_last_good *lg)
{
    lg->valid = false;
    chassis_config_init(&lg->cfg);
}

void
en_ovs_config_last_good_destroy(struct en_ovs_config_last_good *lg)
{
    if (lg) {
        chassis_config_destroy(&lg->cfg);
        lg->valid = false;
    }
}

/* Returns "ovn-encap-ip=IP,... ovn-encap-type=TYPE,..." for 'cfg',
 * malloc'd. */
static char *
describe_encaps(const struct chassis_config *cfg)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_cstr(&s, "ovn-encap-ip=");
    for (size_t i = 0; i < cfg->n_encap_ips; i++) {
        ds_put_format(&s, "%s%s", i ? "," : "", cfg->encap_ips[i].ip);
    }
    ds_put_cstr(&s, " ovn-encap-type=");
    bool first = true;
    for (int t = 0; t < CHASSIS_N_ENCAP_TYPES; t++) {
        if (cfg->encap_types[t]) {
            ds_put_format(&s, "%s%s", first ? "" : ",",
                          chassis_encap_type_name(t));
            first = false;
        }
    }
    return ds_steal_cstr(&s);
}

/* Returns the value of "<key>-<system_id>", else of "<key>", in 'ids'. */
static const char *
get_key(const struct smap *ids, const char *system_id, const char *key)
{
    char *specific = xasprintf("%s-%s", key, system_id);
    const char *value = smap_get(ids, specific);

    free(specific);
    return value ? value : smap_get(ids, key);
}

/* Keeps the last good encaps in 'cfg' when it has no usable one, with a
 * message in 'errors' naming the configured values ('ids') and what stays;
 * otherwise, in a real run, remembers 'cfg' as the last good one. */
static void
keep_last_good(struct en_ovs_config_last_good *lg, const struct smap *ids,
               struct chassis_config *cfg, struct svec *errors,
               const struct engine_context *ctx)
{
    if (!lg) {
        return;
    }
    if (chassis_config_has_encap(cfg)) {
        if (!en_ctx_is_shadow(ctx)) {
            chassis_config_clone(&lg->cfg, cfg);
            lg->valid = true;
        }
    } else if (lg->valid && cfg->system_id) {
        const char *ip = get_key(ids, cfg->system_id, "ovn-encap-ip");
        const char *type = get_key(ids, cfg->system_id, "ovn-encap-type");
        char *kept = describe_encaps(&lg->cfg);

        COVERAGE_INC(ovs_config_keep_encaps);
        svec_add_nocopy(errors, xasprintf(
                            "ovn-encap-ip \"%s\" with ovn-encap-type "
                            "\"%s\" leaves no usable encap (IP, type) pair: "
                            "keeping the last good configuration (%s)",
                            ip ? ip : "(unset)", type ? type : "(unset)",
                            kept));
        free(kept);
        chassis_config_copy_encaps(cfg, &lg->cfg);
    }
}

static void *
en_ovs_config_init(void *arg)
{
    const struct en_ovs_config_inputs *in = arg;
    struct en_ovs_config_data *data = xzalloc(sizeof *data);

    data->in = *in;
    chassis_config_init(&data->cfg);
    svec_init(&data->errors);
    return data;
}

static void
en_ovs_config_cleanup(void *data_)
{
    struct en_ovs_config_data *data = data_;

    if (data) {
        chassis_config_destroy(&data->cfg);
        svec_destroy(&data->errors);
        free(data);
    }
}

/* Returns the system's host name in a malloc'd string. */
static char *
system_hostname(void)
{
    char name[256];

    if (gethostname(name, sizeof name)) {
        return xstrdup("");
    }
    name[sizeof name - 1] = '\0';
    return xstrdup(name);
}

/* Logs every problem of the parse. */
static void
log_problems(const struct svec *errors)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(20, 20);
    const char *error;
    size_t i;

    SVEC_FOR_EACH (i, error, errors) {
        COVERAGE_INC(ovs_config_problem);
        VLOG_WARN_RL(&rl, "%s", error);
    }
}

static enum engine_run_result
en_ovs_config_run(struct engine_node *node, void *data_,
                  const struct engine_context *ctx)
{
    struct en_ovs_config_data *data = data_;
    struct ovsdb_idl *idl = en_ovsdb_input_idl(node,
                                               data->in.ovs_open_vswitch);
    const struct ovsrec_open_vswitch *row = ovsrec_open_vswitch_first(idl);
    struct smap empty = SMAP_INITIALIZER(&empty);
    struct chassis_config cfg;
    struct svec errors = SVEC_EMPTY_INITIALIZER;
    char *hostname = system_hostname();

    COVERAGE_INC(ovs_config_parse);
    chassis_config_init(&cfg);
    const char *name = data->in.chassis_name ? *data->in.chassis_name
                                             : NULL;
    struct smap ids;
    smap_clone(&ids, row ? &row->external_ids : &empty);
    if (name) {
        smap_replace(&ids, "system-id", name);
    }
    chassis_config_parse(&ids, hostname, &cfg, &errors);
    keep_last_good(data->in.last_good, &ids, &cfg, &errors, ctx);
    smap_destroy(&ids);
    free(hostname);

    bool same = (!!row == data->have_row
                 && chassis_config_equals(&cfg, &data->cfg)
                 && svec_equal(&errors, &data->errors));
    if (!same && row && !en_ctx_is_shadow(ctx)) {
        log_problems(&errors);
    }

    if (!same) {
        /* (A struct chassis_config cannot be moved by assignment: its sset
         * points into itself.) */
        chassis_config_clone(&data->cfg, &cfg);
    }
    chassis_config_destroy(&cfg);
    svec_swap(&errors, &data->errors);
    svec_destroy(&errors);
    data->have_row = row != NULL;

    if (same) {
        return ENGINE_RUN_UNCHANGED;
    }
    COVERAGE_INC(ovs_config_changed);
    return ENGINE_RUN_UPDATED;
}

enum engine_input_result
en_ovs_config_ovs_open_vswitch_handler(struct engine_node *node,
                                       void *data_,
                                       const struct engine_context *ctx
                                       OVS_UNUSED)
{
    struct en_ovs_config_data *data = data_;
    struct ovsdb_idl *idl = en_ovsdb_input_idl(node,
                                               data->in.ovs_open_vswitch);
    const struct ovsrec_open_vswitch *row;

    OVSREC_OPEN_VSWITCH_FOR_EACH_TRACKED (row, idl) {
        if (ovsrec_open_vswitch_is_new(row)
            || ovsrec_open_vswitch_is_deleted(row)
            || ovsrec_open_vswitch_is_updated(
                row, OVSREC_OPEN_VSWITCH_COL_EXTERNAL_IDS)) {
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    return ENGINE_INPUT_HANDLED_UNCHANGED;
}

static char *
en_ovs_config_compare(const void *a_, const void *b_)
{
    const struct en_ovs_config_data *a = a_, *b = b_;

    if (chassis_config_equals(&a->cfg, &b->cfg)
        && svec_equal(&a->errors, &b->errors)
        && a->have_row == b->have_row) {
        return NULL;
    }

    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&s, "incremental configuration:\n");
    chassis_config_format(&a->cfg, &s);
    ds_put_cstr(&s, "recomputed configuration:\n");
    chassis_config_format(&b->cfg, &s);
    return ds_steal_cstr(&s);
}

const struct chassis_config *
en_ovs_config_get(const void *data_)
{
    const struct en_ovs_config_data *data = data_;
    return &data->cfg;
}

const struct engine_node_class en_ovs_config_class = {
    .name = "ovs_config",
    .init = en_ovs_config_init,
    .cleanup = en_ovs_config_cleanup,
    .run = en_ovs_config_run,
    .compare = en_ovs_config_compare,
};

/* The local OVS database columns this node reads or writes. */
static const struct idl_column_use en_ovs_config_columns[] = {
    { &ovsrec_open_vswitch_col_external_ids, true },
};

void
en_ovs_config_declare_columns(struct idl_columns *cols)
{
    IDL_COLUMNS_ADD(cols, en_ovs_config_columns);
}
