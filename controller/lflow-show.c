/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * "lflow/show" and "lflow/errors": see lflow-show.h.
 */

#include <config.h>

#include "controller/lflow-show.h"

#include <stdlib.h>
#include <string.h>

#include "byte-order.h"
#include "controller/en-lflow.h"
#include "controller/en-ovsdb.h"
#include "controller/en-runtime-data.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/dynamic-string.h"
#include "ovsdb-idl.h"
#include "svec.h"
#include "unixctl.h"
#include "util.h"
#include "uuid.h"

/* lflow/errors. */

void
lflow_show_errors(const struct lflow_state *s, struct ds *out)
{
    struct svec lines = SVEC_EMPTY_INITIALIZER;
    const struct lflow_rec *rec;
    const char *line;
    size_t i;

    HMAP_FOR_EACH (rec, node, &s->lflows) {
        if (rec->error) {
            svec_add_nocopy(&lines, xasprintf(UUID_FMT" %s %"PRId64": %s",
                                              UUID_ARGS(&rec->uuid),
                                              rec->ingress ? "ingress"
                                                           : "egress",
                                              rec->table_id, rec->error));
        }
    }
    svec_sort(&lines);
    SVEC_FOR_EACH (i, line, &lines) {
        ds_put_format(out, "%s\n", line);
    }
    svec_destroy(&lines);
}

/* lflow/show. */

/* The OpenFlow flows of one logical flow on one datapath. */
struct owned_lines {
    uint32_t key;               /* The datapath's. */
    struct ft_line *lines;
    size_t n, allocated;
};

static void
collect_owned(void *ol_, const struct ft_flow *flow, uint64_t cookie,
              const struct ofpact *ofpacts, size_t ofpacts_len)
{
    struct owned_lines *ol = ol_;
    struct match m;

    minimatch_expand(&flow->match, &m);
    if (m.wc.masks.metadata && m.flow.metadata != htonll(ol->key)) {
        return;
    }
    if (ol->n >= ol->allocated) {
        ol->lines = x2nrealloc(ol->lines, &ol->allocated,
                               sizeof *ol->lines);
    }
    ft_line_init(&ol->lines[ol->n++], flow->table_id, flow->priority,
                 &flow->match, cookie, ofpacts, ofpacts_len);
}

/* Appends the OpenFlow flows of 'lflow' on datapath 'dp' of 'key' to
 * 'out', each line indented: those it owns, and those its sub-owner for
 * 'dp' owns (see struct lflow_rec). */
static void
put_owned(const struct lflow_state *s, const struct uuid *lflow,
          const struct uuid *dp, uint32_t key, struct ds *out)
{
    struct owned_lines ol = { .key = key };
    struct ds lines = DS_EMPTY_INITIALIZER;
    struct uuid sub = lflow_sub_owner(lflow, dp);

    flow_table_for_each_owned(&s->flows, lflow, collect_owned, &ol);
    flow_table_for_each_owned(&s->flows, &sub, collect_owned, &ol);
    ft_lines_flush(ol.lines, ol.n, &lines);
    free(ol.lines);

    const char *p = ds_cstr(&lines);
    while (*p) {
        size_t n = strcspn(p, "\n");
        ds_put_format(out, "    %.*s\n", (int) n, p);
        p += n + (p[n] == '\n');
    }
    ds_destroy(&lines);
}

static int
compare_lflows(const void *a_, const void *b_)
{
    const struct sbrec_logical_flow *const *ap = a_, *const *bp = b_;
    const struct sbrec_logical_flow *a = *ap, *b = *bp;
    int c = strcmp(b->pipeline, a->pipeline);  /* "ingress" first. */

    if (c) {
        return c;
    } else if (a->table_id != b->table_id) {
        return a->table_id < b->table_id ? -1 : 1;
    } else if (a->priority != b->priority) {
        return a->priority > b->priority ? -1 : 1;
    }
    c = strcmp(a->match, b->match);
    return c ? c : uuid_compare_3way(&a->header_.uuid, &b->header_.uuid);
}

/* Appends to 'rows' the logical flows of datapath 'dp': its own and its
 * groups'. */
static void
collect_lflows(struct ovsdb_idl *idl, struct ovsdb_idl_index *by_dp,
               struct ovsdb_idl_index *by_dpg,
               const struct sbrec_datapath_binding *dp,
               const struct sbrec_logical_flow ***rows, size_t *n,
               size_t *allocated)
{
    const struct sbrec_logical_dp_group *g;
    const struct sbrec_logical_flow *lf;

#define ADD_ROW(LF)                                                     \
    do {                                                                \
        if (*n >= *allocated) {                                         \
            *rows = x2nrealloc(*rows, allocated, sizeof **rows);        \
        }                                                               \
        (*rows)[(*n)++] = (LF);                                         \
    } while (0)

    struct sbrec_logical_flow *key = sbrec_logical_flow_index_init_row(by_dp);
    sbrec_logical_flow_index_set_logical_datapath(key, dp);
    SBREC_LOGICAL_FLOW_FOR_EACH_EQUAL (lf, key, by_dp) {
        ADD_ROW(lf);
    }
    sbrec_logical_flow_index_destroy_row(key);

    SBREC_LOGICAL_DP_GROUP_FOR_EACH (g, idl) {
        for (size_t i = 0; i < g->n_datapaths; i++) {
            if (g->datapaths[i] != dp) {
                continue;
            }
            key = sbrec_logical_flow_index_init_row(by_dpg);
            sbrec_logical_flow_index_set_logical_dp_group(key, g);
            SBREC_LOGICAL_FLOW_FOR_EACH_EQUAL (lf, key, by_dpg) {
                ADD_ROW(lf);
            }
            sbrec_logical_flow_index_destroy_row(key);
            break;
        }
    }
#undef ADD_ROW
}

/* Appends the listing of datapath 'dp' to 'out'. */
static void
show_datapath(const struct en_lflow_data *data, struct ovsdb_idl *idl,
              const struct ed_runtime_data *rtd,
              const struct sbrec_datapath_binding *dp, struct ds *out)
{
    const struct lflow_state *s = &data->state;
    const struct local_datapath *ld
        = runtime_data_find_datapath(rtd, &dp->header_.uuid);
    const char *name = smap_get_def(&dp->external_ids, "name", "");
    const struct sbrec_logical_flow **rows = NULL;
    size_t n = 0, allocated = 0;

    ds_put_format(out, "Datapath: %s ("UUID_FMT") key %"PRId64" %s%s\n",
                  name, UUID_ARGS(&dp->header_.uuid), dp->tunnel_key,
                  smap_get(&dp->external_ids, "logical-router")
                  ? "router" : "switch", ld ? "" : " (not local)");
    if (!ld) {
        return;
    }
    collect_lflows(idl, data->in.lflow_by_dp, data->in.lflow_by_dpg, dp,
                   &rows, &n, &allocated);
    qsort(rows, n, sizeof *rows, compare_lflows);
    for (size_t i = 0; i < n; i++) {
        const struct sbrec_logical_flow *lf = rows[i];
        const struct lflow_rec *rec = lflow_state_find(s,
                                                       &lf->header_.uuid);
        const char *stage = smap_get(&lf->external_ids, "stage-name");

        ds_put_format(out, "  %s table=%"PRId64, lf->pipeline,
                      lf->table_id);
        if (stage) {
            ds_put_format(out, " (%s)", stage);
        }
        ds_put_format(out, " priority=%"PRId64" uuid=%08x\n", lf->priority,
                      lf->header_.uuid.parts[0]);
        ds_put_format(out, "    match: %s\n    actions: %s\n", lf->match,
                      lf->actions);
        if (rec && rec->error) {
            ds_put_format(out, "    error: %s\n", rec->error);
        }
        put_owned(s, &lf->header_.uuid, &ld->uuid, ld->tunnel_key, out);
    }
    free(rows);
}

/* Returns the Datapath_Binding that 'arg' names (see lflow-show.h), or
 * NULL. */
static const struct sbrec_datapath_binding *
find_datapath(struct ovsdb_idl *idl, const char *arg)
{
    const struct sbrec_datapath_binding *dp;
    char *end;
    long long int key = strtoll(arg, &end, 10);
    bool is_key = *arg && !*end;

    SBREC_DATAPATH_BINDING_FOR_EACH (dp, idl) {
        char uuid[UUID_LEN + 1];

        snprintf(uuid, sizeof uuid, UUID_FMT, UUID_ARGS(&dp->header_.uuid));
        if ((is_key && dp->tunnel_key == key)
            || (strlen(arg) >= 4 && !strncmp(uuid, arg, strlen(arg)))
            || !strcmp(smap_get_def(&dp->external_ids, "name", ""), arg)) {
            return dp;
        }
    }
    return NULL;
}

static int
compare_dps(const void *a_, const void *b_)
{
    const struct sbrec_datapath_binding *const *a = a_, *const *b = b_;

    return ((*a)->tunnel_key > (*b)->tunnel_key)
           - ((*a)->tunnel_key < (*b)->tunnel_key);
}

static void
lflow_show_cmd(struct unixctl_conn *conn, int argc, const char *argv[],
               void *node_)
{
    const struct engine_node *node = node_;
    const struct en_lflow_data *data = engine_get_data(node);
    struct ovsdb_idl *idl = en_ovsdb_input_idl(node,
                                               data->in.sb_logical_flow);
    const struct ed_runtime_data *rtd
        = engine_get_input_data(node, data->in.runtime_data);
    struct ds s = DS_EMPTY_INITIALIZER;

    if (argc > 1) {
        const struct sbrec_datapath_binding *dp = find_datapath(idl,
                                                                argv[1]);
        if (!dp) {
            unixctl_command_reply_error(conn, "no such datapath");
            return;
        }
        show_datapath(data, idl, rtd, dp, &s);
    } else {
        const struct local_datapath *ld;
        const struct sbrec_datapath_binding **dps
            = xmalloc((hmap_count(&rtd->dps) + 1) * sizeof *dps);
        size_t n = 0;

        HMAP_FOR_EACH (ld, node, &rtd->dps) {
            const struct sbrec_datapath_binding *dp
                = sbrec_datapath_binding_get_for_uuid(idl, &ld->uuid);
            if (dp) {
                dps[n++] = dp;
            }
        }
        qsort(dps, n, sizeof *dps, compare_dps);
        for (size_t i = 0; i < n; i++) {
            show_datapath(data, idl, rtd, dps[i], &s);
        }
        free(dps);
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
lflow_errors_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED,
                 const char *argv[] OVS_UNUSED, void *node_)
{
    const struct en_lflow_data *data = engine_get_data(node_);
    struct ds s = DS_EMPTY_INITIALIZER;

    lflow_show_errors(&data->state, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* "lflow/share-datapaths [on|off]": a diagnostic, to measure what
 * compiling a Logical_DP_Group's flow on all its datapaths at once saves.
 * Takes effect at the next recompute ("inc-engine/recompute"). */
static void
lflow_share_cmd(struct unixctl_conn *conn, int argc, const char *argv[],
                void *node_)
{
    struct en_lflow_data *data = engine_get_data(node_);

    if (argc > 1) {
        bool on = !strcmp(argv[1], "on");
        if (!on && strcmp(argv[1], "off")) {
            unixctl_command_reply_error(conn, "on or off");
            return;
        }
        if (on == data->state.no_sharing) {
            data->state.no_sharing = !on;
            data->must_recompute = true;
        }
    }
    unixctl_command_reply(conn, data->state.no_sharing ? "off" : "on");
}

/* "debug/dump-lflow-conj-ids", in the frame of Debian's command. */
static void
lflow_conj_ids_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED,
                   const char *argv[] OVS_UNUSED, void *node)
{
    const struct en_lflow_data *data = engine_get_data(node);
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_cstr(&s, "Conjunction IDs allocations:\n");
    conj_ids_format(&data->state.conj_ids, &s);
    ds_put_format(&s, "---\nTotal %"PRIuSIZE" IDs used.\n",
                  conj_ids_count(&data->state.conj_ids));
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* "debug/dump-local-template-vars": our chassis's template variables, as
 * the logical flows are compiled with them, in Debian's format. */
static void
lflow_template_vars_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED,
                        const char *argv[] OVS_UNUSED, void *node)
{
    const struct en_lflow_data *data = engine_get_data(node);
    const struct smap *vars = &data->state.sets.templates;
    const struct smap_node **sorted = smap_sort(vars);
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_cstr(&s, "Local template vars:\n");
    for (size_t i = 0; i < smap_count(vars); i++) {
        ds_put_format(&s, "name: '%s' value: '%s'\n", sorted[i]->key,
                      sorted[i]->value);
    }
    free(sorted);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* "lflow-cache/show-stats": Debian's controller keeps a cache of compiled
 * logical flows and shows its figures here.  We have none (a logical flow
 * is compiled when it or what it reads changes, and its OpenFlow flows are
 * kept instead), so we say so, with what we keep instead. */
static void
lflow_cache_stats_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED,
                      const char *argv[] OVS_UNUSED, void *node)
{
    const struct en_lflow_data *data = engine_get_data(node);
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "Enabled: false\n"
                  "(ovnmc has no logical flow cache: each logical flow is "
                  "compiled once per change and its OpenFlow flows are "
                  "kept; %"PRIuSIZE" logical flows are compiled now)\n",
                  hmap_count(&data->state.lflows));
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* "lflow-cache/flush" and its deprecated name "flush-lflow-cache". */
static void
lflow_cache_flush_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED,
                      const char *argv[] OVS_UNUSED, void *node OVS_UNUSED)
{
    unixctl_command_reply(conn, "no logical flow cache: nothing to flush");
}

void
lflow_show_register(struct engine_node *node)
{
    unixctl_command_register("lflow-cache/show-stats", "", 0, 0,
                             lflow_cache_stats_cmd, node);
    unixctl_command_register("lflow-cache/flush", "", 0, 0,
                             lflow_cache_flush_cmd, node);
    unixctl_command_register("flush-lflow-cache", "[deprecated]", 0, 0,
                             lflow_cache_flush_cmd, node);
    unixctl_command_register("debug/dump-lflow-conj-ids", "", 0, 0,
                             lflow_conj_ids_cmd, node);
    unixctl_command_register("debug/dump-local-template-vars", "", 0, 0,
                             lflow_template_vars_cmd, node);
    unixctl_command_register("lflow/share-datapaths", "[on|off]", 0, 1,
                             lflow_share_cmd, node);
    unixctl_command_register("lflow/show", "[DATAPATH]", 0, 1,
                             lflow_show_cmd, node);
    unixctl_command_register("lflow/errors", "", 0, 0, lflow_errors_cmd,
                             node);
}
