/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* One logical flow on one datapath -> OpenFlow flows: the glue over
 * lib/expr.h and lib/actions.h that the daemon and ovn-lflow-check share.
 * See lflow-compile.h. */

#include <config.h>

#include "lflow-compile.h"
#include "lflow-compile-private.h"

#include <stdlib.h>
#include <string.h>

#include "byte-order.h"
#include "conj-ids.h"
#include "coverage.h"
#include "id-table.h"
#include "nx-match.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-errors.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "ovn/of-tables.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(lflow_compile);

COVERAGE_DEFINE(lflow_compile_parse);
COVERAGE_DEFINE(lflow_compile_parse_error);
COVERAGE_DEFINE(lflow_compile_on_dp);
COVERAGE_DEFINE(lflow_compile_match_error);
COVERAGE_DEFINE(lflow_compile_check_error);
COVERAGE_DEFINE(lflow_compile_meter_exhausted);
COVERAGE_DEFINE(lflow_compile_ofpflow);
COVERAGE_DEFINE(lflow_compile_conj_moved);
COVERAGE_DEFINE(lflow_compile_on_dps);
COVERAGE_DEFINE(lflow_compile_dps_shared);
COVERAGE_DEFINE(lflow_compile_dps_split);
COVERAGE_DEFINE(lflow_compile_on_dp_part);
COVERAGE_DEFINE(lflow_compile_dp_dim_failed);

/* Returns a malloc'd "STEP: ERROR" and frees 'error'. */
static char *
step_error(const char *step, char *error)
{
    char *s = xasprintf("%s: %s", step, error);
    free(error);
    return s;
}

/* Logs 'error' of flow 'uuid' at debug level (the caller decides what the
 * user sees) and returns it. */
static char *
debug_error(const struct uuid *uuid, char *error)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

    VLOG_DBG_RL(&rl, UUID_FMT": %s", UUID_ARGS(uuid), error);
    return error;
}

/* Parsing. */

/* Returns NULL if 'lf' has a logical table and a priority that fit its
 * pipeline's OpenFlow tables and an OpenFlow priority, else an error. */
static char *
check_table(const struct lflow_compile_lflow *lf)
{
    int n_tables = lf->ingress ? OFTABLE_N_LOG_INGRESS : OFTABLE_N_LOG_EGRESS;

    if (lf->table_id < 0 || lf->table_id >= n_tables) {
        return xasprintf("table: logical table %"PRId64" is not in the %s "
                         "pipeline (0 to %d)", lf->table_id,
                         lf->ingress ? "ingress" : "egress", n_tables - 1);
    }
    if (lf->priority < 0 || lf->priority > UINT16_MAX) {
        return xasprintf("table: priority %"PRId64" is not between 0 and "
                         "65535", lf->priority);
    }
    return NULL;
}

/* Expands the templates in the actions of 'lf' and parses them into
 * 'acts'.  Stores their prerequisites in '*prereqsp' (malloc'd, or NULL
 * when there are none).  Returns NULL or a malloc'd error. */
static char *
parse_actions(const struct lflow_compile_ctx *ctx,
              const struct lflow_compile_lflow *lf, struct lact_list *acts,
              char **prereqsp)
{
    struct lact_parse_ctx pctx = {
        .symtab = ctx->symtab,
        .dhcp_opts = ctx->dhcp_opts,
        .dhcpv6_opts = ctx->dhcpv6_opts,
        .ingress = lf->ingress,
        .n_tables = (lf->ingress ? OFTABLE_N_LOG_INGRESS
                     : OFTABLE_N_LOG_EGRESS),
    };
    char *expanded;

    *prereqsp = NULL;
    char *error = lex_template_expand(lf->actions, ctx->templates,
                                      &expanded);
    if (!error) {
        error = lact_parse(expanded, &pctx, acts, prereqsp);
        free(expanded);
    }
    return error ? step_error("actions", error) : NULL;
}

static struct lflow_compile_parsed *
parsed_create(const struct lflow_compile_lflow *lf)
{
    struct lflow_compile_parsed *p = xzalloc(sizeof *p);

    p->uuid = lf->uuid;
    p->ingress = lf->ingress;
    p->table_id = lf->table_id;
    p->priority = lf->priority;
    p->controller_meter = nullable_xstrdup(lf->controller_meter);
    p->actions = (struct lact_list) LACT_LIST_INITIALIZER;
    sset_init(&p->addr_sets_ref);
    sset_init(&p->port_groups_ref);
    sset_init(&p->resident_ref);
    sset_init(&p->ports_ref);
    return p;
}

/* Parses logical flow 'lf' in 'ctx': checks its table and priority,
 * expands the template variables in its actions, parses them and ANDs its
 * match with their prerequisites.  Nothing here depends on a datapath.
 *
 * On success stores in '*parsedp' a new parsed flow, which the caller
 * frees with lflow_compile_parsed_destroy(), and returns NULL.  On failure
 * stores NULL and returns a malloc'd error that starts with the step that
 * failed ("table: ", "actions: "). */
char *
lflow_compile_parse(const struct lflow_compile_ctx *ctx,
                    const struct lflow_compile_lflow *lf,
                    struct lflow_compile_parsed **parsedp)
{
    struct lact_list acts = LACT_LIST_INITIALIZER;
    char *prereqs = NULL;

    COVERAGE_INC(lflow_compile_parse);
    *parsedp = NULL;
    char *error = check_table(lf);
    if (!error) {
        error = parse_actions(ctx, lf, &acts, &prereqs);
    }
    if (error) {
        COVERAGE_INC(lflow_compile_parse_error);
        lact_list_destroy(&acts);
        return debug_error(&lf->uuid, error);
    }

    struct lflow_compile_parsed *p = parsed_create(lf);
    p->actions = acts;
    p->match = (prereqs
                ? xasprintf("(%s) && (%s)", lf->match, prereqs)
                : xstrdup(lf->match));
    free(prereqs);
    *parsedp = p;
    return NULL;
}

/* Frees 'p' and everything it owns.  NULL-safe. */
void
lflow_compile_parsed_destroy(struct lflow_compile_parsed *p)
{
    if (!p) {
        return;
    }
    free(p->controller_meter);
    free(p->match);
    lact_list_destroy(&p->actions);
    sset_destroy(&p->addr_sets_ref);
    sset_destroy(&p->port_groups_ref);
    sset_destroy(&p->resident_ref);
    sset_destroy(&p->ports_ref);
    lfc_match_destroy(p);
    free(p);
}

/* Compiling the match on a datapath. */

/* Compiles the match of 'p' on 'dp' into a normalized expression, stored
 * in '*ep', noting what it refers to in 'p'.  Returns NULL or a malloc'd
 * error. */
static char *
compile_match(const struct lflow_compile_ctx *ctx,
              struct lflow_compile_parsed *p,
              const struct lflow_compile_dp *dp, struct lfc_syms *syms,
              struct expr **ep)
{
    char *error;

    *ep = lfc_match_on_dp(ctx, p, dp, syms, &error);
    return *ep ? NULL : step_error("match", error);
}

/* Returns the offset of the conjunction ids of 'p' for expression 'e',
 * reserving enough of them in 'ctx->conj_ids'.  A flow that holds enough
 * ids keeps them. */
static uint32_t
conj_id_ofs(const struct lflow_compile_ctx *ctx,
            struct lflow_compile_parsed *p, const struct expr *e)
{
    uint32_t n = expr_n_conjunctions(e);
    uint32_t old_ofs, old_n, ofs;

    if (!n) {
        /* Keep the ids the flow may hold for another datapath. */
        return 0;
    }
    bool had = conj_ids_find(ctx->conj_ids, &p->uuid, &old_ofs, &old_n);
    ofs = conj_ids_alloc(ctx->conj_ids, &p->uuid, n);
    if (had && ofs != old_ofs) {
        COVERAGE_INC(lflow_compile_conj_moved);
        p->conj_ids_moved = true;
    }
    return ofs;
}

/* Encoding and checking the actions. */

/* Takes a reference in 'ctx->meters' to the id of the controller meter of
 * 'p', if it has one, and records it in 'refs'.  Stores the id in '*id'
 * (NX_CTLR_NO_METER if none).  Returns NULL or a malloc'd error. */
static char *
take_controller_meter(const struct lflow_compile_ctx *ctx,
                      const struct lflow_compile_parsed *p,
                      struct id_refs *refs, uint32_t *id)
{
    *id = NX_CTLR_NO_METER;
    if (!p->controller_meter) {
        return NULL;
    }

    char *desc = xasprintf("name:%s", p->controller_meter);
    uint32_t meter = id_table_ref(ctx->meters, desc);
    free(desc);
    if (!meter) {
        COVERAGE_INC(lflow_compile_meter_exhausted);
        return xasprintf("actions: no free meter id for controller meter "
                         "`%s'", p->controller_meter);
    }
    id_refs_add(refs, ctx->meters, meter);
    *id = meter;
    return NULL;
}

/* Returns the logical port that 'match' requires inport to be, if it is
 * a conjunction whose first term is 'inport == "NAME"' and has no
 * disjunction, as a malloc'd string; otherwise NULL. */
static char *
single_inport(const char *match)
{
    static const char key[] = "inport == \"";

    while (*match == '(' || *match == ' ') {
        match++;
    }
    if (strncmp(match, key, strlen(key)) || strstr(match, "||")) {
        return NULL;
    }
    const char *name = match + strlen(key);
    const char *end = strchr(name, '"');
    if (!end || end == name) {
        return NULL;
    }
    const char *rest = end + 1;
    while (*rest == ' ' || *rest == ')') {
        rest++;
    }
    if (*rest && strncmp(rest, "&&", 2)) {
        return NULL;
    }
    return xmemdup0(name, end - name);
}

/* Meters the pausing controller action of the encoded actions 'ofpacts'
 * of 'p' with a meter instruction (see lact_paused_meter()): with the
 * meter the action names, or, when that is its operation's meter and the
 * flow's match names a single inport, with a meter of its own for that
 * (operation, port) (see CTLOP_PORT_METER_PREFIX), added to 'refs'. */
static void
meter_paused(const struct lflow_compile_ctx *ctx,
             const struct lflow_compile_parsed *p, struct id_refs *refs,
             struct ofpbuf *ofpacts)
{
    uint32_t meter = lact_paused_meter(ofpacts);
    if (meter == NX_CTLR_NO_METER) {
        return;
    }

    uint32_t op = meter - CTLOP_METER_ID_BASE;
    char *port = (ctx->ctlop_meters && ctx->meters
                  && meter >= CTLOP_METER_ID_BASE && op < CTLOP_N_OPCODES
                  ? single_inport(p->match) : NULL);
    if (port) {
        char *desc = xasprintf(CTLOP_PORT_METER_PREFIX"%s:%s",
                               ctlop_opcode_name(op), port);
        uint32_t id = id_table_ref(ctx->meters, desc);
        if (id) {
            id_refs_add(refs, ctx->meters, id);
            meter = id;
        } else {
            COVERAGE_INC(lflow_compile_meter_exhausted);
        }
        free(desc);
        free(port);
    }
    lact_put_meter_first(ofpacts, meter);
}

/* Encodes the actions of 'p' on 'dp' into 'ofpacts', adding the group and
 * meter ids they take (and the controller meter's) to 'refs'.  Returns
 * NULL or a malloc'd error. */
static char *
encode_actions(const struct lflow_compile_ctx *ctx,
               const struct lflow_compile_parsed *p,
               const struct lflow_compile_dp *dp, struct id_refs *refs,
               struct ofpbuf *ofpacts)
{
    struct lact_encode_ctx ectx = {
        .ingress = p->ingress,
        .table = p->table_id,
        .is_switch = dp->is_switch,
        .dp_key = dp->key,
        .cookie = p->uuid.parts[0],
        .lookup_port = dp->lookup_port,
        .aux = dp->lookup_aux,
        .groups = ctx->groups,
        .meters = ctx->meters,
        .refs = refs,
        .ctlop_meters = ctx->ctlop_meters,
    };

    char *error = take_controller_meter(ctx, p, refs, &ectx.ctrl_meter_id);
    if (!error) {
        lact_list_encode(&p->actions, &ectx, ofpacts);
        meter_paused(ctx, p, refs, ofpacts);
    }
    return error;
}

/* Checks the OpenFlow actions 'ofpacts' of a flow in 'table' against
 * 'match', the way ovs-vswitchd does before it installs a flow, after a
 * round trip through OpenFlow 1.5.  Returns NULL or a malloc'd error. */
static char *
check_ofpacts(const struct ofpbuf *ofpacts, const struct match *match,
              int table)
{
    struct ofpbuf wire, back;
    char *error = NULL;

    if (!ofpacts->size) {
        /* Nothing to check (ofpbuf_try_pull() of 0 bytes from an empty
         * buffer fails, so the round trip would report a bogus error). */
        return NULL;
    }

    ofpbuf_init(&wire, 0);
    ofpbuf_init(&back, 0);
    ofpacts_put_openflow_actions(ofpacts->data, ofpacts->size, &wire,
                                 OFP15_VERSION);
    enum ofperr err = ofpacts_pull_openflow_actions(&wire, wire.size,
                                                    OFP15_VERSION, NULL,
                                                    NULL, &back);
    if (err) {
        error = xasprintf("OpenFlow 1.5 round trip: %s",
                          ofperr_to_string(err));
    } else {
        struct match m = *match;
        struct ofpact_check_params cp = {
            .match = &m,
            .max_ports = OFPP_MAX,
            .table_id = table,
            .n_tables = 255,
        };
        err = ofpacts_check_consistency(back.data, back.size,
                                        OFPUTIL_P_OF15_OXM, &cp);
        if (err) {
            struct ds s = DS_EMPTY_INITIALIZER;

            match_format(match, NULL, &s, OFP_DEFAULT_PRIORITY);
            error = xasprintf("inconsistent with match %s: %s",
                              ds_cstr(&s), ofperr_to_string(err));
            ds_destroy(&s);
        }
    }
    ofpbuf_uninit(&wire);
    ofpbuf_uninit(&back);
    return error;
}

/* Returns 'em''s match with the metadata of 'dp' added, if 'dp' is
 * nonnull (a match compiled for several datapaths has it already). */
static struct match
dp_match(const struct expr_match *em, const struct lflow_compile_dp *dp)
{
    struct match m = em->match;

    if (dp) {
        match_set_metadata(&m, htonll(dp->key));
    }
    return m;
}

/* Checks that 'match' means the same after a round trip through OpenFlow
 * 1.5 (OXM): the encoding silently drops a field whose prerequisites the
 * match lacks (nw_proto without an IP dl_type, ...), so the switch would
 * install a flow that matches more.  Returns NULL or a malloc'd error. */
static char *
check_match(const struct match *match)
{
    uint64_t stub[1024 / 8];
    struct match orig = *match, back;
    struct ofpbuf oxm;
    char *error = NULL;

    ofpbuf_use_stub(&oxm, stub, sizeof stub);
    oxm_put_match(&oxm, match, OFP15_VERSION);
    enum ofperr err = oxm_pull_match(&oxm, false, NULL, NULL, &back);
    /* The same flow, in the form the switch gives it: Ethernet packets
     * implied, nothing under a wildcard. */
    match_set_default_packet_type(&orig);
    match_set_default_packet_type(&back);
    match_zero_wildcarded_fields(&orig);
    if (err || !match_equal(&orig, &back)) {
        struct ds s = DS_EMPTY_INITIALIZER;

        match_format(match, NULL, &s, OFP_DEFAULT_PRIORITY);
        ds_put_cstr(&s, err ? ": " : " becomes ");
        if (err) {
            ds_put_cstr(&s, ofperr_to_string(err));
        } else {
            match_format(&back, NULL, &s, OFP_DEFAULT_PRIORITY);
        }
        error = xasprintf("OpenFlow 1.5 round trip: %s", ds_cstr(&s));
        ds_destroy(&s);
    }
    ofpbuf_uninit(&oxm);
    return error;
}

/* What the checks of a flow depend on besides its mask: the values of the
 * fields that other fields' prerequisites test (OpenFlow drops a field
 * whose prerequisites fail; action consistency looks at the same). */
struct check_shape {
    uint32_t hash;              /* Of the wildcards. */
    struct flow_wildcards wc;
    ovs_be16 dl_type;
    uint8_t nw_proto;
    ovs_be16 tp_src, tp_dst;    /* ICMP type and code for ND fields. */
    bool has_actions;           /* Checked against the actions too. */
};

/* Fills 'shape' from 'm'. */
static void
check_shape_init(struct check_shape *shape, const struct match *m,
                 bool has_actions)
{
    shape->wc = m->wc;
    shape->hash = flow_wildcards_hash(&m->wc, 0);
    shape->dl_type = m->flow.dl_type;
    shape->nw_proto = m->flow.nw_proto;
    shape->tp_src = m->flow.tp_src;
    shape->tp_dst = m->flow.tp_dst;
    shape->has_actions = has_actions;
}

static bool
check_shape_equal(const struct check_shape *a, const struct check_shape *b)
{
    return (a->hash == b->hash && a->dl_type == b->dl_type
            && a->nw_proto == b->nw_proto && a->tp_src == b->tp_src
            && a->tp_dst == b->tp_dst && a->has_actions == b->has_actions
            && flow_wildcards_equal(&a->wc, &b->wc));
}

/* Checks every match in 'matches' and, for those that take them (not the
 * clauses of conjunctions), 'ofpacts' against it.  Matches of a shape
 * already checked (the same fields and prerequisite values, e.g. one per
 * address of a set) are not checked again.  Returns NULL or a malloc'd
 * error. */
static char *
check_flows(const struct hmap *matches, const struct ofpbuf *ofpacts,
            const struct lflow_compile_dp *dp, int table)
{
    struct check_shape shapes[8];
    size_t n_shapes = 0, next = 0;
    const struct expr_match *em;

    HMAP_FOR_EACH (em, hmap_node, matches) {
        struct match m = dp_match(em, dp);
        struct check_shape shape;
        bool seen = false;

        check_shape_init(&shape, &m, !em->n);
        for (size_t i = 0; i < n_shapes && !seen; i++) {
            seen = check_shape_equal(&shapes[i], &shape);
        }
        if (seen) {
            continue;
        }

        char *error = check_match(&m);
        if (error) {
            return step_error("match", error);
        }
        error = em->n ? NULL : check_ofpacts(ofpacts, &m, table);
        if (error) {
            return step_error("actions", error);
        }
        shapes[next] = shape;
        next = (next + 1) % ARRAY_SIZE(shapes);
        n_shapes = MIN(n_shapes + 1, ARRAY_SIZE(shapes));
    }
    return NULL;
}

/* Output. */

/* Replaces the contents of 'ofpacts' by the conjunction actions of
 * 'em'. */
static void
put_conjunctions(const struct expr_match *em, struct ofpbuf *ofpacts)
{
    ofpbuf_clear(ofpacts);
    for (size_t i = 0; i < em->n; i++) {
        const struct expr_conjunction *c = &em->conjunctions[i];
        struct ofpact_conjunction *oc = ofpact_put_CONJUNCTION(ofpacts);

        oc->id = c->id;
        oc->clause = c->clause;
        oc->n_clauses = c->n_clauses;
    }
}

/* The datapaths of a compilation by tunnel key, to say which one a flow
 * with exact metadata belongs to. */
struct dp_index {
    const struct lflow_compile_dp **dps;  /* Sorted by key. */
    size_t n;
};

static int
compare_dp_ptrs(const void *a_, const void *b_)
{
    const struct lflow_compile_dp *const *a = a_, *const *b = b_;

    return (*a)->key < (*b)->key ? -1 : (*a)->key > (*b)->key;
}

static void
dp_index_init(struct dp_index *idx, const struct lflow_compile_dp *dps,
              size_t n)
{
    idx->dps = xmalloc(n * sizeof *idx->dps);
    idx->n = n;
    for (size_t i = 0; i < n; i++) {
        idx->dps[i] = &dps[i];
    }
    qsort(idx->dps, n, sizeof *idx->dps, compare_dp_ptrs);
}

static void
dp_index_destroy(struct dp_index *idx)
{
    free(idx->dps);
}

/* Returns the datapath of 'idx' (if nonnull) whose key the metadata of 'm'
 * matches exactly, or NULL. */
static const struct lflow_compile_dp *
dp_index_find(const struct dp_index *idx, const struct match *m)
{
    if (!idx || m->wc.masks.metadata != OVS_BE64_MAX) {
        return NULL;
    }
    uint64_t key = ntohll(m->flow.metadata);
    size_t lo = 0, hi = idx->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (idx->dps[mid]->key < key) {
            lo = mid + 1;
        } else if (idx->dps[mid]->key > key) {
            hi = mid;
        } else {
            return idx->dps[mid];
        }
    }
    return NULL;
}

/* Hands every match in 'matches' to 'cb', with 'ofpacts' or, for a clause
 * flow, its conjunction actions, each saying which datapath of 'idx' (if
 * nonnull) it belongs to alone. */
static void
output_flows(const struct lflow_compile_parsed *p,
             const struct lflow_compile_dp *dp, const struct dp_index *idx,
             const struct hmap *matches, const struct ofpbuf *ofpacts,
             lflow_compile_output_cb *cb, void *aux)
{
    const struct expr_match *em;
    struct ofpbuf conj;

    ofpbuf_init(&conj, 0);
    HMAP_FOR_EACH (em, hmap_node, matches) {
        const struct ofpbuf *acts = ofpacts;
        struct match m = dp_match(em, dp);

        if (em->n) {
            put_conjunctions(em, &conj);
            acts = &conj;
        }
        struct lflow_compile_ofpflow f = {
            .table_id = oftable_for_logical(p->ingress, p->table_id),
            .priority = p->priority,
            .cookie = p->uuid.parts[0],
            .match = &m,
            .ofpacts = acts->data,
            .ofpacts_len = acts->size,
            .dp = dp_index_find(idx, &m),
        };
        COVERAGE_INC(lflow_compile_ofpflow);
        cb(aux, &f);
    }
    ofpbuf_uninit(&conj);
}

/* Moves every reference in 'from' to 'to', emptying 'from'. */
static void
move_refs(struct id_refs *to, struct id_refs *from)
{
    for (size_t i = 0; i < from->n; i++) {
        id_refs_add(to, from->refs[i].table, from->refs[i].id);
    }
    free(from->refs);
    *from = (struct id_refs) ID_REFS_INITIALIZER;
}

/* Checks 'ofpacts' against 'matches' (with the metadata of 'dp' added, if
 * nonnull) if the context says so, and hands the flows to 'cb', saying
 * which datapath of 'idx' (if nonnull) each belongs to alone.  On
 * success moves the ids in 'taken' to 'refs' and returns NULL, otherwise
 * releases them and returns a malloc'd error. */
static char *
check_and_output(const struct lflow_compile_ctx *ctx,
                 const struct lflow_compile_parsed *p,
                 const struct lflow_compile_dp *dp, const struct dp_index *idx,
                 const struct hmap *matches, const struct ofpbuf *ofpacts,
                 struct id_refs *taken, struct id_refs *refs,
                 lflow_compile_output_cb *cb, void *aux)
{
    char *error = NULL;

    if (ctx->check_openflow) {
        error = check_flows(matches, ofpacts, dp,
                            oftable_for_logical(p->ingress, p->table_id));
        if (error) {
            COVERAGE_INC(lflow_compile_check_error);
        }
    }
    if (error) {
        id_refs_release(taken);
    } else {
        if (cb) {
            output_flows(p, dp, idx, matches, ofpacts, cb, aux);
        }
        move_refs(refs, taken);
    }
    return error;
}

/* Encodes the actions of 'p' on 'dp', checks them against 'matches' if
 * the context says so, and hands the flows to 'cb'.  On success adds the
 * ids the actions took to 'refs' and returns NULL, otherwise returns a
 * malloc'd error and holds no ids. */
static char *
encode_and_output(const struct lflow_compile_ctx *ctx,
                  const struct lflow_compile_parsed *p,
                  const struct lflow_compile_dp *dp,
                  const struct hmap *matches, struct id_refs *refs,
                  lflow_compile_output_cb *cb, void *aux)
{
    struct id_refs taken = ID_REFS_INITIALIZER;
    struct ofpbuf ofpacts;

    ofpbuf_init(&ofpacts, 0);
    char *error = encode_actions(ctx, p, dp, &taken, &ofpacts);
    if (error) {
        id_refs_release(&taken);
    } else {
        error = check_and_output(ctx, p, dp, NULL, matches, &ofpacts,
                                 &taken, refs, cb, aux);
    }
    ofpbuf_uninit(&ofpacts);
    return error;
}

/* Compiles parsed flow 'p' on datapath 'dp' and hands each resulting
 * OpenFlow flow to 'cb' (with 'aux'), or to no one if 'cb' is NULL.
 *
 * The flow's conjunctive matches take ids from 'ctx->conj_ids', reserved
 * for the flow's UUID and kept across calls (see 'conj_ids_moved' in
 * struct lflow_compile_parsed); lflow_compile_release() frees them.  The
 * group and meter ids its actions take, and its controller meter's, are
 * added to 'refs', which the caller keeps for as long as the flows are
 * installed and then releases (lflow_compile_release() or
 * id_refs_release()).  Adds what the match refers to, to the *_ref sets
 * of 'p'.
 *
 * Returns NULL, or a malloc'd error starting with "match: " or
 * "actions: "; on error no flow reached 'cb' and no id was added to
 * 'refs'.  A match that can never be true gives no flows and no error. */
char *
lflow_compile_on_dp(const struct lflow_compile_ctx *ctx,
                    struct lflow_compile_parsed *p,
                    const struct lflow_compile_dp *dp, struct id_refs *refs,
                    lflow_compile_output_cb *cb, void *aux)
{
    struct lfc_syms syms;
    struct expr *e;

    COVERAGE_INC(lflow_compile_on_dp);
    lfc_syms_init(&syms);
    char *error = compile_match(ctx, p, dp, &syms, &e);
    if (error) {
        COVERAGE_INC(lflow_compile_match_error);
        return debug_error(&p->uuid, error);
    }

    struct hmap matches = HMAP_INITIALIZER(&matches);
    uint32_t ofs = conj_id_ofs(ctx, p, e);
    expr_to_matches(e, NULL, NULL, ofs, &matches);
    expr_destroy(e);
    if (!hmap_is_empty(&matches)) {
        error = encode_and_output(ctx, p, dp, &matches, refs, cb, aux);
    }
    expr_matches_destroy(&matches);
    return error ? debug_error(&p->uuid, error) : NULL;
}

/* Several datapaths at once. */

/* A copy of an OpenFlow flow, kept until every datapath compiled. */
struct saved_flow {
    struct lflow_compile_ofpflow f;
    struct match match;
};

/* Flows saved by save_flow(). */
struct saved_flows {
    struct saved_flow *flows;
    size_t n, allocated;
};

static void
save_flow(void *saved_, const struct lflow_compile_ofpflow *f)
{
    struct saved_flows *saved = saved_;

    if (saved->n >= saved->allocated) {
        saved->flows = x2nrealloc(saved->flows, &saved->allocated,
                                  sizeof *saved->flows);
    }
    struct saved_flow *s = &saved->flows[saved->n++];
    s->f = *f;
    s->match = *f->match;
    s->f.match = NULL;
    s->f.ofpacts = (f->ofpacts_len
                    ? xmemdup(f->ofpacts, f->ofpacts_len) : NULL);
}

/* Hands the flows in 'saved' to 'cb' (if nonnull) and frees them. */
static void
flush_saved(struct saved_flows *saved, lflow_compile_output_cb *cb,
            void *aux)
{
    for (size_t i = 0; i < saved->n; i++) {
        struct saved_flow *s = &saved->flows[i];

        s->f.match = &s->match;
        if (cb) {
            cb(aux, &s->f);
        }
        free(CONST_CAST(struct ofpact *, s->f.ofpacts));
    }
    free(saved->flows);
}

/* Compiles 'p' on each of the 'n' datapaths 'dps' in turn.  Hands the
 * flows to 'cb' and adds the ids to 'refs' only if every datapath
 * succeeded.  Returns NULL or the first error. */
static char *
compile_each(const struct lflow_compile_ctx *ctx,
             struct lflow_compile_parsed *p,
             const struct lflow_compile_dp *dps, size_t n,
             struct id_refs *refs, lflow_compile_output_cb *cb, void *aux)
{
    struct saved_flows saved = { NULL, 0, 0 };
    struct id_refs taken = ID_REFS_INITIALIZER;
    char *error = NULL;

    COVERAGE_INC(lflow_compile_dps_split);
    for (size_t i = 0; i < n && !error; i++) {
        error = lflow_compile_on_dp(ctx, p, &dps[i], &taken,
                                    cb ? save_flow : NULL, &saved);
        if (error) {
            char *s = xasprintf("%s (on datapath %"PRIu32")", error,
                                dps[i].key);
            free(error);
            error = s;
        }
    }
    if (error) {
        id_refs_release(&taken);
        flush_saved(&saved, NULL, NULL);
    } else {
        move_refs(refs, &taken);
        flush_saved(&saved, cb, aux);
    }
    return error;
}

/* Aux of lookup_spy(): the datapath's own lookup, and whether it was
 * asked anything. */
struct lookup_spy_aux {
    const struct lflow_compile_dp *dp;
    bool asked;
};

static bool
lookup_spy(const void *aux_, const char *name, unsigned int *key)
{
    const struct lookup_spy_aux *aux = aux_;

    CONST_CAST(struct lookup_spy_aux *, aux)->asked = true;
    return (aux->dp->lookup_port
            && aux->dp->lookup_port(aux->dp->lookup_aux, name, key));
}

/* True if an action in 'list' (nested ones included) encodes the
 * datapath's key: sample() does. */
static bool
actions_use_dp_key(const struct lact_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        const struct lact *a = &list->acts[i];
        if (a->type == LACT_SAMPLE
            || (a->nested && actions_use_dp_key(a->nested))) {
            return true;
        }
    }
    return false;
}

/* Encodes the actions of 'p' on each of 'dps' ('n' of them).  If they all
 * encode the same, stores them in 'ofpacts', the ids they take in
 * 'taken', and returns true; otherwise returns false, holding nothing.
 * An error encoding them is stored in '*errorp'.
 *
 * What the encoding of a datapath depends on is its kind (switch or
 * router), its key (only sample() uses it) and the ports it looks up: if
 * the first datapath's looked up none and no action uses the key, one
 * encoding per kind tells. */
static bool
encode_same(const struct lflow_compile_ctx *ctx,
            const struct lflow_compile_parsed *p,
            const struct lflow_compile_dp *dps, size_t n,
            struct ofpbuf *ofpacts, struct id_refs *taken, char **errorp)
{
    struct lookup_spy_aux spy = { .dp = &dps[0] };
    struct lflow_compile_dp first = dps[0];
    struct ofpbuf other;
    bool same = true;

    first.lookup_port = lookup_spy;
    first.lookup_aux = &spy;
    *errorp = encode_actions(ctx, p, &first, taken, ofpacts);
    bool per_kind = !spy.asked && !actions_use_dp_key(&p->actions);
    bool kind_done = false;

    ofpbuf_init(&other, 0);
    for (size_t i = 1; i < n && same && !*errorp; i++) {
        struct id_refs more = ID_REFS_INITIALIZER;

        if (per_kind && (dps[i].is_switch == dps[0].is_switch
                         || kind_done)) {
            continue;
        }
        kind_done = dps[i].is_switch != dps[0].is_switch;
        ofpbuf_clear(&other);
        *errorp = encode_actions(ctx, p, &dps[i], &more, &other);
        same = (other.size == ofpacts->size
                && !memcmp(other.data, ofpacts->data, other.size));
        id_refs_release(&more);
    }
    ofpbuf_uninit(&other);
    if (*errorp || !same) {
        id_refs_release(taken);
        return false;
    }
    return true;
}

/* lflow_compile_on_dps() for 2 or more datapaths, in the layout the
 * shared part calls for (LFLOW_LAYOUT_DP_DIM only if 'allow_dim'),
 * stored in 'p->layout'.  The flows of that layout are checked against
 * their actions even if the context does not ask for it: a conjunction
 * flow may lack a prerequisite of the actions, which the caller then
 * avoids.  Returns NULL or a malloc'd error. */
static char *
compile_dps(const struct lflow_compile_ctx *ctx,
            struct lflow_compile_parsed *p,
            const struct lflow_compile_dp *dps, size_t n_dps, bool allow_dim,
            struct id_refs *refs, lflow_compile_output_cb *cb, void *aux)
{
    enum lflow_compile_layout layout;
    struct lfc_syms syms;
    char *error;

    lfc_syms_init(&syms);
    p->layout = LFLOW_LAYOUT_WHOLE;
    struct expr *e = lfc_match_on_dps(ctx, p, dps, n_dps, &syms, allow_dim,
                                      &layout, &error);
    if (!e) {
        COVERAGE_INC(lflow_compile_match_error);
        return step_error("match", error);
    }

    struct hmap matches = HMAP_INITIALIZER(&matches);
    uint32_t ofs = conj_id_ofs(ctx, p, e);
    expr_to_matches(e, NULL, NULL, ofs, &matches);
    expr_destroy(e);
    p->layout = layout;
    if (!hmap_is_empty(&matches)) {
        struct id_refs taken = ID_REFS_INITIALIZER;
        struct ofpbuf ofpacts;

        ofpbuf_init(&ofpacts, 0);
        if (encode_same(ctx, p, dps, n_dps, &ofpacts, &taken, &error)) {
            struct lflow_compile_ctx checked = *ctx;
            struct dp_index idx;

            COVERAGE_INC(lflow_compile_dps_shared);
            checked.check_openflow = (ctx->check_openflow
                                      || layout == LFLOW_LAYOUT_DP_DIM);
            dp_index_init(&idx, dps, n_dps);
            error = check_and_output(&checked, p, NULL,
                                     layout != LFLOW_LAYOUT_WHOLE ? &idx
                                     : NULL,
                                     &matches, &ofpacts, &taken, refs, cb,
                                     aux);
            dp_index_destroy(&idx);
        } else if (!error) {
            p->layout = LFLOW_LAYOUT_WHOLE;
            error = compile_each(ctx, p, dps, n_dps, refs, cb, aux);
        }
        ofpbuf_uninit(&ofpacts);
    }
    expr_matches_destroy(&matches);
    return error;
}

/* Compiles parsed flow 'p' on the 'n_dps' datapaths 'dps' and hands each
 * resulting OpenFlow flow to 'cb' (with 'aux'), or to no one if 'cb' is
 * NULL, like lflow_compile_on_dp() for each of them, but sharing what the
 * datapaths have in common (see "Several datapaths at once" in
 * lflow-compile.h): flows that do not depend on the datapath may lack
 * metadata.  The flows are correct only all together: the caller must
 * install all or none.  Stores the layout of the flows in 'p->layout'
 * (see "Updating one datapath's part" in lflow-compile.h).
 *
 * Returns NULL, or a malloc'd error starting with "match: " or
 * "actions: " and ending with the datapath it concerns, if only one;
 * on error no flow reached 'cb' and no id was added to 'refs'. */
char *
lflow_compile_on_dps(const struct lflow_compile_ctx *ctx,
                     struct lflow_compile_parsed *p,
                     const struct lflow_compile_dp *dps, size_t n_dps,
                     struct id_refs *refs,
                     lflow_compile_output_cb *cb, void *aux)
{
    p->layout = LFLOW_LAYOUT_WHOLE;
    if (n_dps <= 1) {
        return n_dps ? lflow_compile_on_dp(ctx, p, dps, refs, cb, aux)
                     : NULL;
    }

    COVERAGE_INC(lflow_compile_on_dps);
    char *error = compile_dps(ctx, p, dps, n_dps, true, refs, cb, aux);
    if (error && p->layout == LFLOW_LAYOUT_DP_DIM) {
        /* The conjunction flow lacks what the actions need (their
         * prerequisites were in the dimensions): without it. */
        COVERAGE_INC(lflow_compile_dp_dim_failed);
        free(error);
        error = compile_dps(ctx, p, dps, n_dps, false, refs, cb, aux);
    }
    return error ? debug_error(&p->uuid, error) : NULL;
}

/* Removes from 'matches' every match that does not belong to 'dp' alone
 * (its metadata is not exactly dp's key).  Returns false if a match that
 * stays is not a conjunction clause, which the layout
 * LFLOW_LAYOUT_DP_DIM never gives. */
static bool
keep_dp_clauses(struct hmap *matches, const struct lflow_compile_dp *dp)
{
    struct expr_match *em;
    bool ok = true;

    HMAP_FOR_EACH_SAFE (em, hmap_node, matches) {
        if (em->match.wc.masks.metadata != OVS_BE64_MAX
            || ntohll(em->match.flow.metadata) != dp->key) {
            hmap_remove(matches, &em->hmap_node);
            free(em->conjunctions);
            free(em);
        } else if (!em->n) {
            ok = false;
        }
    }
    return ok;
}

/* Compiles again only the flows of datapath 'dp' of parsed flow 'p',
 * which lflow_compile_on_dps() compiled last (on 'dp' and others) in
 * layout 'layout', LFLOW_LAYOUT_PER_DP or LFLOW_LAYOUT_DP_DIM, and hands
 * them to 'cb' (with 'aux'), each with 'dp' as the datapath it belongs
 * to.  The caller replaces the flows it had for 'dp' by these and keeps
 * the others: the result is what lflow_compile_on_dps() would give now,
 * provided that only what 'dp''s part of the match depends on changed
 * (its ports' locality, its "<key>_<name>" port groups) and, for
 * LFLOW_LAYOUT_DP_DIM, that some datapath has flows before and after (the
 * shared flows exist only then).
 *
 * Stores true in '*wholep', handing nothing to 'cb', if that cannot be
 * done: the layout would change ('dp''s part is no longer a plain DNF),
 * the flow holds no conjunction id for it, its actions would take ids,
 * or compiling fails (compiling all datapaths again reports the error).
 * Otherwise stores false.  Returns NULL or a malloc'd error of the checks
 * of the flows ("match: ", "actions: "). */
char *
lflow_compile_on_dp_part(const struct lflow_compile_ctx *ctx,
                         struct lflow_compile_parsed *p,
                         enum lflow_compile_layout layout,
                         const struct lflow_compile_dp *dp,
                         lflow_compile_output_cb *cb, void *aux,
                         bool *wholep)
{
    enum lflow_compile_layout now;
    uint32_t ofs = 0, n_ids;
    struct lfc_syms syms;
    char *error = NULL;

    *wholep = true;
    if (layout == LFLOW_LAYOUT_WHOLE
        || (layout == LFLOW_LAYOUT_DP_DIM
            && (!conj_ids_find(ctx->conj_ids, &p->uuid, &ofs, &n_ids)
                || n_ids != 1))) {
        return NULL;
    }
    COVERAGE_INC(lflow_compile_on_dp_part);
    lfc_syms_init(&syms);
    struct expr *e = lfc_match_on_dps(ctx, p, dp, 1, &syms,
                                      layout == LFLOW_LAYOUT_DP_DIM, &now,
                                      &error);
    if (!e || now != layout) {
        expr_destroy(e);
        free(error);
        return NULL;
    }

    struct hmap matches = HMAP_INITIALIZER(&matches);
    expr_to_matches(e, NULL, NULL, ofs, &matches);
    expr_destroy(e);

    struct id_refs taken = ID_REFS_INITIALIZER;
    struct ofpbuf ofpacts;
    ofpbuf_init(&ofpacts, 0);
    if (layout == LFLOW_LAYOUT_DP_DIM) {
        *wholep = !keep_dp_clauses(&matches, dp);
    } else if (!hmap_is_empty(&matches)) {
        error = encode_actions(ctx, p, dp, &taken, &ofpacts);
        *wholep = error || taken.n;
        free(error);
        error = NULL;
    } else {
        *wholep = false;
    }
    if (!*wholep && !hmap_is_empty(&matches)) {
        struct dp_index idx = { .dps = &dp, .n = 1 };
        struct id_refs none = ID_REFS_INITIALIZER;

        error = check_and_output(ctx, p, NULL, &idx, &matches, &ofpacts,
                                 &taken, &none, cb, aux);
        id_refs_release(&none);
    }
    id_refs_release(&taken);
    ofpbuf_uninit(&ofpacts);
    expr_matches_destroy(&matches);
    return error ? debug_error(&p->uuid, error) : NULL;
}

/* Releases what logical flow 'lflow' holds: its conjunction ids in
 * 'ctx->conj_ids' and, if 'refs' is nonnull, the group and meter ids
 * recorded in 'refs' (which is left empty).  Call it when the flow goes
 * away, after removing its OpenFlow flows. */
void
lflow_compile_release(const struct lflow_compile_ctx *ctx,
                      const struct uuid *lflow, struct id_refs *refs)
{
    conj_ids_free(ctx->conj_ids, lflow);
    if (refs) {
        id_refs_release(refs);
    }
}

/* Appends 'f' to 's' as "table=T, priority=P, cookie=0xC, MATCH
 * actions=ACTIONS". */
void
lflow_compile_ofpflow_format(const struct lflow_compile_ofpflow *f,
                             struct ds *s)
{
    struct ofpact_format_params fp = { .s = s };

    ds_put_format(s, "table=%"PRIu8", priority=%"PRIu16", cookie=0x%"PRIx32
                  ", ", f->table_id, f->priority, f->cookie);
    match_format(f->match, NULL, s, OFP_DEFAULT_PRIORITY);
    ds_put_cstr(s, " actions=");
    ofpacts_format(f->ofpacts, f->ofpacts_len, &fp);
}
