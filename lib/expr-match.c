/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Conversion of normalized match expressions to OpenFlow matches.
 *
 * Each clause of the normalized expression becomes one OpenFlow match
 * (struct match), or, if it has dimensions, a conjunctive match: one flow
 * per alternative of each dimension with a conjunction(id, k/n) action,
 * and one flow on conj_id=id that takes the logical flow's actions.  Flows
 * with identical matches are merged: their conjunction actions are
 * combined, and an ordinary flow absorbs conjunction flows with its match
 * (a packet it matches is accepted whatever the conjunction says). */

#include <config.h>

#include "expr.h"

#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "flow.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(expr_match);
COVERAGE_DEFINE(expr_match_conjunction);
COVERAGE_DEFINE(expr_match_unknown_port);

#define SV_BYTES (sizeof(union mf_subvalue))

/* Sets 'm' to the mask of the significant bits of 'mf'. */
static void
field_bits(const struct mf_field *mf, union mf_value *m)
{
    memset(m, 0, sizeof *m);
    bitwise_one(m, mf->n_bytes, 0, mf->n_bits);
}

/* ANDs "field == value/mask" into 'match', where 'value' and 'mask' are
 * right-aligned.  Returns false if 'match' already requires other values
 * for some of those bits (possibly through an overlapping field such as
 * reg0 inside xxreg0). */
static bool
match_add_masked(struct match *match, const struct mf_field *mf,
                 const union mf_subvalue *value,
                 const union mf_subvalue *mask)
{
    union mf_value ov, om, nv, nm, bits;
    size_t nb = mf->n_bytes;
    bool exact = true;

    mf_get(mf, match, &ov, &om);
    field_bits(mf, &bits);
    memset(&nv, 0, sizeof nv);
    memset(&nm, 0, sizeof nm);
    memcpy(nv.b, &value->u8[SV_BYTES - nb], nb);
    memcpy(nm.b, &mask->u8[SV_BYTES - nb], nb);

    for (size_t i = 0; i < nb; i++) {
        uint8_t o_m = om.b[i] & bits.b[i];
        uint8_t n_m = nm.b[i] & bits.b[i];

        if ((ov.b[i] ^ nv.b[i]) & o_m & n_m) {
            return false;
        }
        nv.b[i] = ((ov.b[i] & o_m) | (nv.b[i] & n_m));
        nm.b[i] = o_m | n_m;
        exact = exact && nm.b[i] == bits.b[i];
    }
    mf_set(mf, &nv, exact ? &exact_match_mask : &nm, match, NULL);
    return true;
}

/* ANDs comparison 'cmp' into 'match'.  Returns false if the result matches
 * nothing (conflicting values, or an unknown logical port). */
static bool
match_add_cmp(struct match *match, const struct expr *cmp,
              expr_lookup_port_cb *lookup_port, const void *aux)
{
    const struct expr_symbol *symbol = cmp->cmp.symbol;

    if (expr_symbol_is_string(symbol)) {
        union mf_subvalue value, mask;
        unsigned int key;

        if (!lookup_port || !lookup_port(aux, cmp->cmp.string, &key)) {
            COVERAGE_INC(expr_match_unknown_port);
            return false;
        }
        memset(&value, 0, sizeof value);
        memset(&mask, 0, sizeof mask);
        value.be32_int = htonl(key);
        mask.be32_int = OVS_BE32_MAX;
        return match_add_masked(match, symbol->field, &value, &mask);
    }
    return match_add_masked(match, symbol->field, &cmp->cmp.value,
                            &cmp->cmp.mask);
}

/* ANDs plain clause 'e' (an AND of comparisons, or one comparison) into
 * 'match'. */
static bool
match_add_plain(struct match *match, const struct expr *e,
                expr_lookup_port_cb *lookup_port, const void *aux)
{
    const struct expr *sub;

    if (e->type == EXPR_T_CMP) {
        return match_add_cmp(match, e, lookup_port, aux);
    }
    LIST_FOR_EACH (sub, node, &e->andor) {
        if (sub->type == EXPR_T_CMP
            && !match_add_cmp(match, sub, lookup_port, aux)) {
            return false;
        }
    }
    return true;
}

static struct expr_match *
find_match(struct hmap *matches, const struct match *match, uint32_t hash)
{
    struct expr_match *m;

    HMAP_FOR_EACH_WITH_HASH (m, hmap_node, hash, matches) {
        if (match_equal(&m->match, match)) {
            return m;
        }
    }
    return NULL;
}

/* Adds 'match' to 'matches', as an ordinary flow if 'conj' is NULL or as a
 * flow with action 'conj' otherwise, merging with an existing flow with the
 * same match. */
static void
add_match(struct hmap *matches, const struct match *match,
          const struct expr_conjunction *conj)
{
    uint32_t hash = match_hash(match, 0);
    struct expr_match *m = find_match(matches, match, hash);

    if (!m) {
        m = xzalloc(sizeof *m);
        m->match = *match;
        hmap_insert(matches, &m->hmap_node, hash);
        if (!conj) {
            return;
        }
    } else if (!conj || !m->n) {
        /* An ordinary flow wins over conjunction flows. */
        m->n = 0;
        return;
    }

    for (size_t i = 0; i < m->n; i++) {
        if (m->conjunctions[i].id == conj->id
            && m->conjunctions[i].clause == conj->clause) {
            return;
        }
    }
    if (m->n >= m->allocated) {
        m->conjunctions = x2nrealloc(m->conjunctions, &m->allocated,
                                     sizeof *m->conjunctions);
    }
    m->conjunctions[m->n++] = *conj;
}

/* Emits the flows of clause 'clause' that has dimensions, with base match
 * 'base'.  Returns true if it used conjunction id 'id'. */
static bool
add_conjunction(struct hmap *matches, const struct expr *clause,
                const struct match *base, uint32_t id,
                expr_lookup_port_cb *lookup_port, const void *aux)
{
    const struct expr *sub, *alt;
    struct match *alts = NULL;
    size_t n_alts = 0, allocated = 0;
    uint8_t *dim_of = NULL;
    size_t dim_alloc = 0;
    int n_dims = 0;
    bool ok = true;

    /* Work out each dimension's flows first: a dimension none of whose
     * alternatives fits with 'base' makes the clause false. */
    LIST_FOR_EACH (sub, node, &clause->andor) {
        size_t before = n_alts;

        if (sub->type != EXPR_T_OR) {
            continue;
        }
        LIST_FOR_EACH (alt, node, &sub->andor) {
            if (n_alts >= allocated) {
                alts = x2nrealloc(alts, &allocated, sizeof *alts);
            }
            if (n_alts >= dim_alloc) {
                dim_of = x2nrealloc(dim_of, &dim_alloc, sizeof *dim_of);
            }
            alts[n_alts] = *base;
            if (match_add_plain(&alts[n_alts], alt, lookup_port, aux)) {
                dim_of[n_alts++] = n_dims;
            }
        }
        if (n_alts == before) {
            ok = false;
            break;
        }
        n_dims++;
    }

    if (ok) {
        struct match conj_match = *base;

        COVERAGE_INC(expr_match_conjunction);
        for (size_t i = 0; i < n_alts; i++) {
            struct expr_conjunction conj = {
                .id = id, .clause = dim_of[i], .n_clauses = n_dims,
            };
            add_match(matches, &alts[i], &conj);
        }
        match_set_conj_id(&conj_match, id);
        add_match(matches, &conj_match, NULL);
    }
    free(alts);
    free(dim_of);
    return ok;
}

/* Adds the flows of one clause of a normalized expression.  Returns the
 * number of conjunction ids it used (0 or 1). */
static uint32_t
add_clause(struct hmap *matches, const struct expr *clause, uint32_t id,
           expr_lookup_port_cb *lookup_port, const void *aux)
{
    struct match match;
    const struct expr *sub;
    bool has_dims = false;

    match_init_catchall(&match);
    if (clause->type == EXPR_T_BOOLEAN) {
        if (clause->boolean) {
            add_match(matches, &match, NULL);
        }
        return 0;
    }
    if (clause->type == EXPR_T_AND) {
        LIST_FOR_EACH (sub, node, &clause->andor) {
            has_dims = has_dims || sub->type == EXPR_T_OR;
        }
    }
    if (!match_add_plain(&match, clause, lookup_port, aux)) {
        return 0;
    }
    if (!has_dims) {
        add_match(matches, &match, NULL);
        return 0;
    }
    return add_conjunction(matches, clause, &match, id, lookup_port, aux);
}

/* Converts normalized expression 'e' into OpenFlow matches, added to
 * 'matches' (an hmap of struct expr_match, which the caller frees with
 * expr_matches_destroy()).  'lookup_port' maps logical port names to
 * tunnel keys; a comparison with an unknown port matches nothing.
 * Conjunctive matches get ids conj_id_ofs + 1, conj_id_ofs + 2, ... in the
 * order of the clauses, so the same expression always gets the same ids.
 * Returns the number of conjunction ids used. */
uint32_t
expr_to_matches(const struct expr *e, expr_lookup_port_cb *lookup_port,
                const void *aux, uint32_t conj_id_ofs, struct hmap *matches)
{
    uint32_t n_conjs = 0;
    const struct expr *clause;

    if (e->type != EXPR_T_OR) {
        return add_clause(matches, e, conj_id_ofs + 1, lookup_port, aux);
    }
    LIST_FOR_EACH (clause, node, &e->andor) {
        n_conjs += add_clause(matches, clause, conj_id_ofs + n_conjs + 1,
                              lookup_port, aux);
    }
    return n_conjs;
}

static bool
clause_has_dims(const struct expr *clause)
{
    const struct expr *sub;

    if (clause->type == EXPR_T_AND) {
        LIST_FOR_EACH (sub, node, &clause->andor) {
            if (sub->type == EXPR_T_OR) {
                return true;
            }
        }
    }
    return false;
}

/* Returns the most conjunction ids expr_to_matches() may use for
 * normalized expression 'e' (one per clause with dimensions), so that the
 * caller can reserve them first (see conj-ids.h). */
uint32_t
expr_n_conjunctions(const struct expr *e)
{
    const struct expr *clause;
    uint32_t n = 0;

    if (e->type != EXPR_T_OR) {
        return clause_has_dims(e);
    }
    LIST_FOR_EACH (clause, node, &e->andor) {
        n += clause_has_dims(clause);
    }
    return n;
}

/* Frees every struct expr_match in 'matches' and 'matches' itself (not the
 * hmap struct).  NULL-safe. */
void
expr_matches_destroy(struct hmap *matches)
{
    struct expr_match *m;

    if (!matches) {
        return;
    }
    HMAP_FOR_EACH_POP (m, hmap_node, matches) {
        free(m->conjunctions);
        free(m);
    }
    hmap_destroy(matches);
}

static int
compare_conj(const void *a_, const void *b_)
{
    const struct expr_conjunction *a = a_, *b = b_;

    return (a->id != b->id ? (a->id < b->id ? -1 : 1)
            : a->clause != b->clause ? (a->clause < b->clause ? -1 : 1)
            : 0);
}

/* Appends 'm' to 's' as OVS prints a match, followed by its conjunction
 * actions if any. */
void
expr_match_format(const struct expr_match *m, struct ds *s)
{
    size_t start = s->length;

    match_format(&m->match, NULL, s, OFP_DEFAULT_PRIORITY);
    if (s->length == start) {
        ds_put_cstr(s, "(any)");
    }
    if (m->n) {
        struct expr_conjunction *c = xmemdup(m->conjunctions,
                                             m->n * sizeof *c);

        qsort(c, m->n, sizeof *c, compare_conj);
        ds_put_cstr(s, ": ");
        for (size_t i = 0; i < m->n; i++) {
            ds_put_format(s, "%sconjunction(%"PRIu32", %d/%d)",
                          i ? ", " : "", c[i].id, c[i].clause + 1,
                          c[i].n_clauses);
        }
        free(c);
    }
}

static int
compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Prints 'matches' to 'stream', one per line, sorted. */
void
expr_matches_print(const struct hmap *matches, FILE *stream)
{
    size_t n = hmap_count(matches), i = 0;
    char **lines = xmalloc((n ? n : 1) * sizeof *lines);
    const struct expr_match *m;

    HMAP_FOR_EACH (m, hmap_node, matches) {
        struct ds s = DS_EMPTY_INITIALIZER;

        expr_match_format(m, &s);
        lines[i++] = ds_steal_cstr(&s);
    }
    qsort(lines, n, sizeof *lines, compare_strings);
    for (i = 0; i < n; i++) {
        fprintf(stream, "%s\n", lines[i]);
        free(lines[i]);
    }
    free(lines);
}

/* Returns true if 'flow' has the values 'match' requires, ignoring
 * conj_id. */
static bool
match_fits_flow(const struct match *match, const struct flow *flow)
{
    const uint64_t *f = (const uint64_t *) flow;
    const uint64_t *v = (const uint64_t *) &match->flow;
    const uint64_t *w = (const uint64_t *) &match->wc.masks;
    struct flow_wildcards wc = match->wc;

    wc.masks.conj_id = 0;
    w = (const uint64_t *) &wc.masks;
    for (size_t i = 0; i < FLOW_U64S; i++) {
        if ((f[i] ^ v[i]) & w[i]) {
            return false;
        }
    }
    return true;
}

/* Conjunctions satisfied so far while evaluating. */
struct conj_state {
    uint32_t id;
    uint64_t clauses;           /* Bit k: some flow of clause k matched. */
    int n_clauses;
};

static struct conj_state *
conj_state_find(struct conj_state *states, size_t n, uint32_t id)
{
    for (size_t i = 0; i < n; i++) {
        if (states[i].id == id) {
            return &states[i];
        }
    }
    return NULL;
}

/* Returns true if a switch holding 'matches' (all at one priority) would
 * take the logical flow's actions for a packet with fields 'flow': some
 * ordinary flow matches, or some conjunction has a matching flow in every
 * dimension and its conj_id flow matches too. */
bool
expr_matches_evaluate(const struct hmap *matches, const struct flow *flow)
{
    struct conj_state *states = NULL;
    size_t n_states = 0, allocated = 0;
    const struct expr_match *m;
    bool result = false;

    HMAP_FOR_EACH (m, hmap_node, matches) {
        if (m->match.wc.masks.conj_id || !match_fits_flow(&m->match, flow)) {
            continue;
        } else if (!m->n) {
            result = true;
            goto exit;
        }
        for (size_t i = 0; i < m->n; i++) {
            const struct expr_conjunction *c = &m->conjunctions[i];
            struct conj_state *s = conj_state_find(states, n_states, c->id);

            if (!s) {
                if (n_states >= allocated) {
                    states = x2nrealloc(states, &allocated, sizeof *states);
                }
                s = &states[n_states++];
                s->id = c->id;
                s->clauses = 0;
                s->n_clauses = c->n_clauses;
            }
            s->clauses |= UINT64_C(1) << c->clause;
        }
    }

    HMAP_FOR_EACH (m, hmap_node, matches) {
        const struct conj_state *s;

        if (!m->match.wc.masks.conj_id) {
            continue;
        }
        s = conj_state_find(states, n_states, m->match.flow.conj_id);
        if (s && s->clauses == (s->n_clauses >= 64 ? UINT64_MAX
                                : (UINT64_C(1) << s->n_clauses) - 1)
            && match_fits_flow(&m->match, flow)) {
            result = true;
            break;
        }
    }

exit:
    free(states);
    return result;
}
