/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Annotation, simplification and normalization of match expressions.
 *
 * expr_annotate() adds prerequisites, expr_simplify() reduces every
 * comparison to == on masked values of whole OVS fields, and
 * expr_normalize() brings the result into disjunctive normal form, keeping
 * products of sets that would be too large as conjunction "dimensions".
 * See expr.h for the forms each stage takes and returns. */

#include <config.h>

#include "expr.h"

#include <string.h>

#include "coverage.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(expr_normalize);
COVERAGE_DEFINE(expr_normalize_too_complex);
COVERAGE_DEFINE(expr_conjunction_dims);

#define SV_BYTES (sizeof(union mf_subvalue))

/* Maximum depth of prerequisites of prerequisites. */
#define MAX_PREREQ_DEPTH 16

/* Annotation. */

static struct expr *annotate__(struct expr *, const struct shash *symtab,
                               int depth, char **errorp);

/* Appends the prerequisites of 'symbol' and of the symbols it is part of to
 * 'prereqs' ('n' of them), skipping duplicates. */
static void
collect_prereqs(const struct expr_symbol *symbol, const char ***prereqs,
                size_t *n, size_t *allocated)
{
    for (; symbol; symbol = symbol->parent) {
        bool dup = false;

        if (!symbol->prereqs) {
            continue;
        }
        for (size_t i = 0; i < *n; i++) {
            if (!strcmp((*prereqs)[i], symbol->prereqs)) {
                dup = true;
                break;
            }
        }
        if (!dup) {
            if (*n >= *allocated) {
                *prereqs = x2nrealloc(*prereqs, allocated, sizeof **prereqs);
            }
            (*prereqs)[(*n)++] = symbol->prereqs;
        }
    }
}

/* Parses and annotates the prerequisite expression 'text'. */
static struct expr *
parse_prereq(const char *text, const struct shash *symtab, int depth,
             char **errorp)
{
    struct expr_parse_ctx ctx = { .symtab = symtab };
    struct expr *e;

    if (depth >= MAX_PREREQ_DEPTH) {
        *errorp = xasprintf("Prerequisites nest deeper than %d (is there a "
                            "cycle through `%s'?)", MAX_PREREQ_DEPTH, text);
        return NULL;
    }
    e = expr_parse_string(text, &ctx, errorp);
    if (!e) {
        char *error = *errorp;
        *errorp = xasprintf("Error parsing prerequisite `%s': %s",
                            text, error);
        free(error);
        return NULL;
    }
    return annotate__(e, symtab, depth + 1, errorp);
}

/* ANDs the prerequisites in 'prereqs' to 'e'. */
static struct expr *
add_prereqs(struct expr *e, const char **prereqs, size_t n,
            const struct shash *symtab, int depth, char **errorp)
{
    for (size_t i = 0; i < n; i++) {
        struct expr *p = parse_prereq(prereqs[i], symtab, depth, errorp);
        if (!p) {
            expr_destroy(e);
            return NULL;
        }
        e = expr_combine(EXPR_T_AND, e, p);
    }
    return e;
}

/* Returns true if 'e' (an OR) compares one symbol in each operand. */
static bool
or_is_set(const struct expr *e)
{
    const struct expr_symbol *symbol = NULL;
    const struct expr *sub;

    LIST_FOR_EACH (sub, node, &e->andor) {
        if (sub->type != EXPR_T_CMP
            || (symbol && sub->cmp.symbol != symbol)) {
            return false;
        }
        symbol = sub->cmp.symbol;
    }
    return true;
}

static struct expr *
annotate__(struct expr *e, const struct shash *symtab, int depth,
           char **errorp)
{
    const char **prereqs = NULL;
    size_t n = 0, allocated = 0;
    struct expr *sub;

    switch (e->type) {
    case EXPR_T_CMP:
        collect_prereqs(e->cmp.symbol, &prereqs, &n, &allocated);
        e = add_prereqs(e, prereqs, n, symtab, depth, errorp);
        break;

    case EXPR_T_AND:
    case EXPR_T_OR: {
        struct ovs_list subs;

        if (e->type == EXPR_T_OR && or_is_set(e)) {
            /* "f == {a, b, c}": the prerequisites of f, once. */
            sub = CONTAINER_OF(ovs_list_front(&e->andor), struct expr, node);
            collect_prereqs(sub->cmp.symbol, &prereqs, &n, &allocated);
            e = add_prereqs(e, prereqs, n, symtab, depth, errorp);
            break;
        }

        /* Under an AND, the comparisons' prerequisites are added once for
         * all of them. */
        ovs_list_move(&subs, &e->andor);
        ovs_list_init(&e->andor);
        LIST_FOR_EACH_POP (sub, node, &subs) {
            if (sub->type == EXPR_T_CMP && e->type == EXPR_T_AND) {
                collect_prereqs(sub->cmp.symbol, &prereqs, &n, &allocated);
            } else if (!*errorp) {
                sub = annotate__(sub, symtab, depth, errorp);
            }
            if (sub) {
                ovs_list_push_back(&e->andor, &sub->node);
            }
        }
        if (*errorp) {
            expr_destroy(e);
            e = NULL;
        } else {
            e = add_prereqs(e, prereqs, n, symtab, depth, errorp);
        }
        break;
    }

    case EXPR_T_BOOLEAN:
    case EXPR_T_CONDITION:
        break;
    }
    free(prereqs);
    return e;
}

/* ANDs every comparison in 'e' with the prerequisites of its symbol, so that
 * "tcp.dst == 80" becomes "tcp.dst == 80 && ip.proto == 6 && (eth.type ==
 * 0x800 || eth.type == 0x86dd)".  Takes ownership of 'e', as
 * expr_parse_string() returns it.  Returns the annotated expression, or
 * NULL and a malloc'd error (a prerequisite that does not parse or that
 * nests too deeply). */
struct expr *
expr_annotate(struct expr *e, const struct shash *symtab, char **errorp)
{
    *errorp = NULL;
    return annotate__(e, symtab, 0, errorp);
}

/* Bits of values.  A comparison on a whole field only uses the last
 * 'nb' bytes of its union mf_subvalue. */

static size_t
field_bytes(const struct expr_symbol *symbol)
{
    return DIV_ROUND_UP(symbol->width, 8);
}

static uint8_t *
sv_bytes(union mf_subvalue *v, size_t nb)
{
    return &v->u8[SV_BYTES - nb];
}

static const uint8_t *
sv_cbytes(const union mf_subvalue *v, size_t nb)
{
    return &v->u8[SV_BYTES - nb];
}

static struct expr *
make_eq(const struct expr_symbol *symbol, const union mf_subvalue *value,
        const union mf_subvalue *mask)
{
    struct expr *e = xzalloc(sizeof *e);

    e->type = EXPR_T_CMP;
    e->cmp.symbol = symbol;
    e->cmp.relop = EXPR_R_EQ;
    e->cmp.value = *value;
    e->cmp.mask = *mask;
    return e;
}

/* Moves comparison 'e' onto the whole field its symbol is part of. */
static void
cmp_to_base(struct expr *e)
{
    const struct expr_symbol *base;
    int ofs;

    expr_symbol_resolve(e->cmp.symbol, &base, &ofs);
    if (base != e->cmp.symbol) {
        union mf_subvalue v = e->cmp.value, m = e->cmp.mask;

        memset(&e->cmp.value, 0, sizeof e->cmp.value);
        memset(&e->cmp.mask, 0, sizeof e->cmp.mask);
        bitwise_copy(&v, SV_BYTES, 0, &e->cmp.value, SV_BYTES, ofs,
                     e->cmp.symbol->width);
        bitwise_copy(&m, SV_BYTES, 0, &e->cmp.mask, SV_BYTES, ofs,
                     e->cmp.symbol->width);
        e->cmp.symbol = base;
    }
}

/* Ranges. */

/* Returns "bits [lo + i, lo + n) of the field equal those of 'a', with bit
 * lo + i replaced by 'bit'" (i < 0: no replacement, from lo + t). */
static struct expr *
make_prefix(const struct expr_symbol *symbol, const union mf_subvalue *a,
            int lo, int n, int i, bool bit)
{
    union mf_subvalue v, m;

    memset(&v, 0, sizeof v);
    memset(&m, 0, sizeof m);
    bitwise_copy(a, SV_BYTES, lo + i, &v, SV_BYTES, lo + i, n - i);
    bitwise_one(&m, SV_BYTES, lo + i, n - i);
    bitwise_put_bit(&v, SV_BYTES, lo + i, bit);
    return make_eq(symbol, &v, &m);
}

/* Adds 1 ('delta' > 0) or subtracts 1 from the n-bit number at bit 'lo' of
 * 'a'.  Returns false on overflow. */
static bool
bits_step(union mf_subvalue *a, int lo, int n, int delta)
{
    bool from = delta < 0;      /* Bit value that carries or borrows. */

    for (int i = 0; i < n; i++) {
        bool bit = bitwise_get_bit(a, SV_BYTES, lo + i);
        bitwise_put_bit(a, SV_BYTES, lo + i, !bit);
        if (bit != !from) {
            return true;
        }
    }
    return false;
}

/* Returns the minimal set of masked comparisons for "field >= a" (ge) or
 * "field <= a" (!ge) over bits [lo, lo + n): the largest aligned blocks
 * that make up the range. */
static struct expr *
make_range(const struct expr_symbol *symbol, const union mf_subvalue *a,
           int lo, int n, bool ge)
{
    /* For >= the blocks start where 'a' has a 0 bit above its lowest 1 bit;
     * for <= where 'a' has a 1 bit above its lowest 0 bit. */
    int t = bitwise_scan(a, SV_BYTES, ge, lo, lo + n) - lo;
    struct expr *e;

    if (t >= n) {
        /* a == 0 for >=, a == all-ones for <=: always true. */
        return expr_create_boolean(true);
    }
    e = make_prefix(symbol, a, lo, n, t, ge);
    for (int i = t + 1; i < n; i++) {
        if (bitwise_get_bit(a, SV_BYTES, lo + i) != ge) {
            e = expr_combine(EXPR_T_OR, e,
                             make_prefix(symbol, a, lo, n, i, ge));
        }
    }
    return e;
}

/* Rewrites <, <=, >, >= comparison 'e' (on a whole field) as == tests. */
static struct expr *
simplify_relop(struct expr *e)
{
    const struct expr_symbol *symbol = e->cmp.symbol;
    union mf_subvalue a = e->cmp.value;
    enum expr_relop relop = e->cmp.relop;
    int lo = bitwise_scan(&e->cmp.mask, SV_BYTES, true, 0, SV_BYTES * 8);
    int end = bitwise_scan(&e->cmp.mask, SV_BYTES, false, lo, SV_BYTES * 8);
    int n = end - lo;

    expr_destroy(e);
    if (relop == EXPR_R_GT || relop == EXPR_R_LT) {
        if (!bits_step(&a, lo, n, relop == EXPR_R_GT ? 1 : -1)) {
            return expr_create_boolean(false);
        }
    }
    return make_range(symbol, &a, lo, n,
                      relop == EXPR_R_GT || relop == EXPR_R_GE);
}

/* Set complements. */

struct masked {
    union mf_subvalue value, mask;
};

/* Emits into '*out' the masked values that cover bits 'pv'/'pm' minus the
 * union of 'set' ('n' members, each of which intersects P): P itself if
 * the set is empty, nothing if one member contains P, otherwise P split in
 * two on a bit some member tests. */
static void
complement__(const struct expr_symbol *symbol, size_t nb,
             union mf_subvalue *pv, union mf_subvalue *pm,
             struct masked *set, size_t n, struct expr **out)
{
    const uint8_t *pmb = sv_cbytes(pm, nb);
    union mf_subvalue union_mask;
    int bit;

    if (!n) {
        *out = expr_combine(EXPR_T_OR, *out, make_eq(symbol, pv, pm));
        return;
    }
    memset(&union_mask, 0, sizeof union_mask);
    for (size_t i = 0; i < n; i++) {
        const uint8_t *mb = sv_cbytes(&set[i].mask, nb);
        bool contains = true;

        for (size_t j = 0; j < nb; j++) {
            sv_bytes(&union_mask, nb)[j] |= mb[j] & ~pmb[j];
            contains = contains && !(mb[j] & ~pmb[j]);
        }
        if (contains) {
            return;
        }
    }

    bit = bitwise_rscan(&union_mask, SV_BYTES, true, SV_BYTES * 8 - 1, -1);
    bitwise_put_bit(pm, SV_BYTES, bit, true);
    for (int half = 0; half < 2; half++) {
        size_t k = 0;

        bitwise_put_bit(pv, SV_BYTES, bit, half);
        /* Keep the members that intersect this half at the front. */
        for (size_t i = 0; i < n; i++) {
            bool b = bitwise_get_bit(&set[i].value, SV_BYTES, bit);
            if (!bitwise_get_bit(&set[i].mask, SV_BYTES, bit) || b == half) {
                struct masked tmp = set[k];
                set[k++] = set[i];
                set[i] = tmp;
            }
        }
        complement__(symbol, nb, pv, pm, set, k, out);
    }
    bitwise_put_bit(pv, SV_BYTES, bit, false);
    bitwise_put_bit(pm, SV_BYTES, bit, false);
}

/* Returns the complement of the union of the 'n' comparisons 'cmps' (all ==
 * or != on the same field) as an OR of == on masked values: the
 * disjoint blocks left once the members are taken out, at most one per bit
 * per member. */
static struct expr *
make_complement(const struct expr_symbol *symbol, struct expr **cmps,
                size_t n)
{
    struct masked *set = xmalloc(n * sizeof *set);
    union mf_subvalue pv, pm;
    struct expr *out = NULL;

    for (size_t i = 0; i < n; i++) {
        set[i].value = cmps[i]->cmp.value;
        set[i].mask = cmps[i]->cmp.mask;
    }
    memset(&pv, 0, sizeof pv);
    memset(&pm, 0, sizeof pm);
    complement__(symbol, field_bytes(symbol), &pv, &pm, set, n, &out);
    free(set);

    if (!out) {
        return expr_create_boolean(false);
    }
    /* A block with an all-zero mask is the whole field. */
    if (out->type == EXPR_T_CMP
        && bitwise_is_all_zeros(&out->cmp.mask, SV_BYTES, 0, SV_BYTES * 8)) {
        expr_destroy(out);
        return expr_create_boolean(true);
    }
    return out;
}

/* Simplification. */

static struct expr *simplify__(struct expr *, expr_chassis_resident_cb *,
                               const void *aux);

static struct expr *
simplify_cmp(struct expr *e)
{
    if (expr_symbol_is_string(e->cmp.symbol)) {
        return e;
    }
    cmp_to_base(e);
    if (bitwise_is_all_zeros(&e->cmp.mask, SV_BYTES, 0, SV_BYTES * 8)) {
        bool result = e->cmp.relop == EXPR_R_EQ || e->cmp.relop == EXPR_R_LE
                      || e->cmp.relop == EXPR_R_GE;
        expr_destroy(e);
        return expr_create_boolean(result);
    }
    switch (e->cmp.relop) {
    case EXPR_R_EQ:
        return e;
    case EXPR_R_NE: {
        struct expr *out = make_complement(e->cmp.symbol, &e, 1);
        expr_destroy(e);
        return out;
    }
    case EXPR_R_LT:
    case EXPR_R_LE:
    case EXPR_R_GT:
    case EXPR_R_GE:
        return simplify_relop(e);
    }
    OVS_NOT_REACHED();
}

/* In AND 'e' (whose operands are simplified except for != comparisons),
 * replaces each group of != comparisons on one integer field by the
 * complement of their union. */
static void
simplify_ne_groups(struct expr *e)
{
    struct expr *sub;

    for (;;) {
        struct expr **group = NULL;
        size_t n = 0, allocated = 0;
        const struct expr_symbol *symbol = NULL;

        LIST_FOR_EACH (sub, node, &e->andor) {
            if (sub->type == EXPR_T_CMP && sub->cmp.relop == EXPR_R_NE
                && !expr_symbol_is_string(sub->cmp.symbol)
                && (!symbol || sub->cmp.symbol == symbol)) {
                symbol = sub->cmp.symbol;
                if (n >= allocated) {
                    group = x2nrealloc(group, &allocated, sizeof *group);
                }
                group[n++] = sub;
            }
        }
        if (!n) {
            return;
        }
        ovs_list_push_back(&e->andor,
                           &make_complement(symbol, group, n)->node);
        for (size_t i = 0; i < n; i++) {
            ovs_list_remove(&group[i]->node);
            expr_destroy(group[i]);
        }
        free(group);
    }
}

/* Folds Boolean constants in AND or OR 'e' and flattens nested nodes of the
 * same type. */
static struct expr *
fold_andor(struct expr *e)
{
    bool is_and = e->type == EXPR_T_AND;
    struct ovs_list subs;
    struct expr *sub;

    ovs_list_move(&subs, &e->andor);
    ovs_list_init(&e->andor);
    LIST_FOR_EACH_POP (sub, node, &subs) {
        if (sub->type == EXPR_T_BOOLEAN) {
            if (sub->boolean != is_and) {
                /* "0" in an AND or "1" in an OR decides it. */
                bool result = sub->boolean;
                expr_destroy(sub);
                LIST_FOR_EACH_POP (sub, node, &subs) {
                    expr_destroy(sub);
                }
                expr_destroy(e);
                return expr_create_boolean(result);
            }
            expr_destroy(sub);
        } else if (sub->type == e->type) {
            ovs_list_splice(&e->andor, sub->andor.next, &sub->andor);
            free(sub);
        } else {
            ovs_list_push_back(&e->andor, &sub->node);
        }
    }
    if (ovs_list_is_empty(&e->andor)) {
        expr_destroy(e);
        return expr_create_boolean(is_and);
    } else if (ovs_list_is_singleton(&e->andor)) {
        sub = CONTAINER_OF(ovs_list_front(&e->andor), struct expr, node);
        free(e);
        return sub;
    }
    return e;
}

static struct expr *
simplify__(struct expr *e, expr_chassis_resident_cb *is_resident,
           const void *aux)
{
    switch (e->type) {
    case EXPR_T_CMP:
        return simplify_cmp(e);

    case EXPR_T_AND:
    case EXPR_T_OR: {
        struct ovs_list subs;
        struct expr *sub;

        ovs_list_move(&subs, &e->andor);
        ovs_list_init(&e->andor);
        LIST_FOR_EACH_POP (sub, node, &subs) {
            if (e->type == EXPR_T_AND && sub->type == EXPR_T_CMP
                && sub->cmp.relop == EXPR_R_NE
                && !expr_symbol_is_string(sub->cmp.symbol)) {
                /* Kept for simplify_ne_groups(). */
                cmp_to_base(sub);
            } else {
                sub = simplify__(sub, is_resident, aux);
            }
            ovs_list_push_back(&e->andor, &sub->node);
        }
        if (e->type == EXPR_T_AND) {
            simplify_ne_groups(e);
        }
        return fold_andor(e);
    }

    case EXPR_T_BOOLEAN:
        return e;

    case EXPR_T_CONDITION:
        if (is_resident) {
            bool result = is_resident(aux, e->cond.port) != e->cond.not;
            expr_destroy(e);
            return expr_create_boolean(result);
        }
        return e;
    }
    OVS_NOT_REACHED();
}

/* Simplifies 'e': every comparison becomes == on a masked value of a whole
 * OVS field (!= and < <= > >= turn into ORs of such tests, the fewest
 * possible), is_chassis_resident() is decided by 'is_resident' (if
 * nonnull), and constants are folded.  Takes ownership of 'e', which must be
 * as expr_parse_string() or expr_annotate() return it, and returns the
 * simplified expression. */
struct expr *
expr_simplify(struct expr *e, expr_chassis_resident_cb *is_resident,
              const void *aux)
{
    return simplify__(e, is_resident, aux);
}

/* Normalization.
 *
 * Works on a "DNF": an EXPR_T_OR whose operands are clauses.  A clause is an
 * EXPR_T_AND whose operands are == comparisons, each on a different field,
 * and possibly "dimensions": EXPR_T_OR nodes whose operands are plain
 * clauses (ANDs of comparisons).  A clause with dimensions is true when its
 * comparisons hold and one operand of every dimension does;
 * expr_to_matches() turns it into a conjunctive match. */

static struct expr *
dnf_create(void)
{
    return expr_create_andor(EXPR_T_OR);
}

static size_t
dnf_count(const struct expr *dnf)
{
    return ovs_list_size(&dnf->andor);
}

static bool
clause_is_plain(const struct expr *clause)
{
    const struct expr *sub;

    LIST_FOR_EACH (sub, node, &clause->andor) {
        if (sub->type != EXPR_T_CMP) {
            return false;
        }
    }
    return true;
}

static bool
dnf_is_plain(const struct expr *dnf)
{
    const struct expr *clause;

    LIST_FOR_EACH (clause, node, &dnf->andor) {
        if (!clause_is_plain(clause)) {
            return false;
        }
    }
    return true;
}

/* ANDs comparison 'cmp' into 'clause'.  Returns false if the clause
 * becomes unsatisfiable.  Takes ownership of 'cmp'. */
static bool
clause_add_cmp(struct expr *clause, struct expr *cmp)
{
    const struct expr_symbol *symbol = cmp->cmp.symbol;
    struct expr *sub;

    LIST_FOR_EACH (sub, node, &clause->andor) {
        if (sub->type != EXPR_T_CMP || sub->cmp.symbol != symbol) {
            continue;
        }
        if (expr_symbol_is_string(symbol)) {
            bool same = !strcmp(sub->cmp.string, cmp->cmp.string);
            expr_destroy(cmp);
            return same;
        } else {
            size_t nb = field_bytes(symbol);
            uint8_t *v = sv_bytes(&sub->cmp.value, nb);
            uint8_t *m = sv_bytes(&sub->cmp.mask, nb);
            const uint8_t *cv = sv_cbytes(&cmp->cmp.value, nb);
            const uint8_t *cm = sv_cbytes(&cmp->cmp.mask, nb);
            bool ok = true;

            for (size_t i = 0; i < nb; i++) {
                ok = ok && !((v[i] ^ cv[i]) & m[i] & cm[i]);
                v[i] |= cv[i] & cm[i];
                m[i] |= cm[i];
            }
            expr_destroy(cmp);
            return ok;
        }
    }
    ovs_list_push_back(&clause->andor, &cmp->node);
    return true;
}

/* ANDs a copy of clause 'b' into 'a'.  Returns false if 'a' becomes
 * unsatisfiable. */
static bool
clause_and(struct expr *a, const struct expr *b)
{
    const struct expr *sub;

    LIST_FOR_EACH (sub, node, &b->andor) {
        if (sub->type == EXPR_T_CMP) {
            if (!clause_add_cmp(a, expr_clone(sub))) {
                return false;
            }
        } else {
            ovs_list_push_back(&a->andor, &expr_clone(sub)->node);
        }
    }
    return true;
}

/* Returns the DNF of 'a' AND 'b' by distributing.  Takes ownership of
 * both. */
static struct expr *
dnf_cross(struct expr *a, struct expr *b, char **errorp)
{
    struct expr *result = dnf_create();
    const struct expr *x, *y;
    size_t n = 0;

    LIST_FOR_EACH (x, node, &a->andor) {
        LIST_FOR_EACH (y, node, &b->andor) {
            struct expr *clause = expr_clone(x);

            if (clause_and(clause, y)) {
                ovs_list_push_back(&result->andor, &clause->node);
                n++;
            } else {
                expr_destroy(clause);
            }
            if (n > EXPR_MAX_CLAUSES) {
                COVERAGE_INC(expr_normalize_too_complex);
                *errorp = xasprintf("Expression too complex: normalizing "
                                    "it produces more than %d terms.",
                                    EXPR_MAX_CLAUSES);
                goto exit;
            }
        }
    }
exit:
    expr_destroy(a);
    expr_destroy(b);
    return result;
}

/* ANDs the single clause of 'single' into every clause of 'dnf', in
 * place, dropping the clauses that become unsatisfiable.  Takes ownership
 * of 'single'. */
static void
dnf_and_clause(struct expr *dnf, struct expr *single)
{
    const struct expr *clause = CONTAINER_OF(ovs_list_front(&single->andor),
                                             struct expr, node);
    struct expr *r;

    LIST_FOR_EACH_SAFE (r, node, &dnf->andor) {
        if (!clause_and(r, clause)) {
            ovs_list_remove(&r->node);
            expr_destroy(r);
        }
    }
    expr_destroy(single);
}

/* Returns the number of flows a conjunctive match over 'dims' costs. */
static double
conjunction_cost(struct expr **dims, size_t n)
{
    double sum = 1.0;

    for (size_t i = 0; i < n; i++) {
        sum += dnf_count(dims[i]);
    }
    return sum;
}

static struct expr *normalize__(struct expr *, char **errorp);

/* Attaches the dimensions 'dims' to every clause of 'result'. */
static void
dnf_attach_dims(struct expr *result, struct expr **dims, size_t n)
{
    struct expr *clause;

    COVERAGE_INC(expr_conjunction_dims);
    LIST_FOR_EACH (clause, node, &result->andor) {
        for (size_t i = 0; i < n; i++) {
            ovs_list_push_back(&clause->andor, &expr_clone(dims[i])->node);
        }
    }
}

/* Returns the largest number of dimensions of any clause in 'dnf'. */
static size_t
dnf_max_dims(const struct expr *dnf)
{
    const struct expr *clause, *sub;
    size_t max = 0;

    LIST_FOR_EACH (clause, node, &dnf->andor) {
        size_t n = 0;

        LIST_FOR_EACH (sub, node, &clause->andor) {
            n += sub->type == EXPR_T_OR;
        }
        max = MAX(max, n);
    }
    return max;
}

/* Returns true if some comparison in plain DNF 'a' is on a field that
 * some comparison in plain DNF 'b' compares too. */
static bool
dims_share_field(const struct expr *a, const struct expr *b)
{
    const struct expr *ca, *cb, *x, *y;

    LIST_FOR_EACH (ca, node, &a->andor) {
        LIST_FOR_EACH (x, node, &ca->andor) {
            LIST_FOR_EACH (cb, node, &b->andor) {
                LIST_FOR_EACH (y, node, &cb->andor) {
                    if (x->cmp.symbol == y->cmp.symbol) {
                        return true;
                    }
                }
            }
        }
    }
    return false;
}

/* Returns the number of clauses that crossing the single-clause DNF
 * 'result' with the 'n_dims' (at most 64) plain DNFs 'dims' would
 * produce, without building that product, or a number above 'limit' once
 * it is known to exceed it.  Every clause of every dimension must be
 * consistent with 'result''s clause (dim_prune() makes them so).
 *
 * Comparisons contradict each other only on the same field, and only
 * pairwise, so dimensions that share no field with one another combine
 * freely: the count is the product, over the groups of dimensions linked
 * by shared fields, of the clauses each group crossed with 'result'
 * leaves.  Only those groups (usually the two halves of a range, "tcp.dst
 * >= 1000 && tcp.dst <= 1010") are crossed, to count them. */
static double
dnf_cross_count(const struct expr *result, struct expr **dims, size_t n_dims,
                double limit)
{
    int group[64];
    double count = 1.0;

    for (size_t i = 0; i < n_dims; i++) {
        group[i] = i;
        for (size_t j = 0; j < i; j++) {
            if (group[j] != group[i] && dims_share_field(dims[i], dims[j])) {
                int old = group[i];
                for (size_t k = 0; k <= i; k++) {
                    if (group[k] == old) {
                        group[k] = group[j];
                    }
                }
            }
        }
    }
    for (size_t g = 0; g < n_dims && count <= limit; g++) {
        size_t n = 0, last = 0;

        for (size_t i = 0; i < n_dims; i++) {
            if (group[i] == g) {
                n++;
                last = i;
            }
        }
        if (n == 1) {
            count *= dnf_count(dims[last]);
        } else if (n > 1) {
            struct expr *crossed = expr_clone(result);
            char *error = NULL;

            for (size_t i = 0; i < n_dims && !error; i++) {
                if (group[i] == g) {
                    crossed = dnf_cross(crossed, expr_clone(dims[i]),
                                        &error);
                }
            }
            count = error ? limit + 1 : count * dnf_count(crossed);
            free(error);
            expr_destroy(crossed);
        }
    }
    return count;
}

/* ANDs the 'n' plain DNFs 'dims' (each with two or more clauses) into
 * 'result', either by multiplying out or as conjunction dimensions.
 * Takes ownership of 'result' (not of 'dims') and returns the result.
 *
 * The deciding rule: multiplying out costs one flow per consistent
 * combination (the product of the sizes, less the combinations that
 * contradict themselves, as in "tcp.dst >= 8000 && tcp.dst <= 8080");
 * a conjunctive match costs the sum of the sizes plus one, and a
 * conjunction id.  Multiply out when that gives at most twice the
 * conjunction's flows: small products stay plain flows, easier to read
 * and needing no id, while products that grow exponentially ("ip4.src ==
 * $set1 && tcp.dst == {...} && ...") become conjunctions.  A product
 * larger than EXPR_MAX_CLAUSES is not tried.  OVS allows at most 64
 * dimensions; clauses that already have dimensions get more. */
static struct expr *
normalize_dims__(struct expr *result, struct expr **dims, size_t n_dims,
                 char **errorp)
{
    size_t max_dims = dnf_max_dims(result);
    double cost = conjunction_cost(dims, n_dims);
    double product = dnf_count(result);
    struct expr *crossed;

    if (!n_dims) {
        return result;
    }

    if (max_dims) {
        if (max_dims + n_dims <= 64) {
            dnf_attach_dims(result, dims, n_dims);
            return result;
        }
    } else if (n_dims >= 2 && n_dims <= 64) {
        for (size_t i = 0; i < n_dims; i++) {
            product *= dnf_count(dims[i]);
        }
        if (product > EXPR_MAX_CLAUSES) {
            dnf_attach_dims(result, dims, n_dims);
            return result;
        }
    }

    /* The product is computed only to be compared with the conjunction's
     * cost: for a single clause, count it first (dnf_cross_count()) and
     * skip building a product that would be thrown away. */
    if (!max_dims && n_dims >= 2 && n_dims <= 64
        && dnf_count(result) == 1) {
        double limit = 2.0 * cost;

        if (dnf_cross_count(result, dims, n_dims, limit) > limit) {
            dnf_attach_dims(result, dims, n_dims);
            return result;
        }
    }

    crossed = expr_clone(result);
    for (size_t i = 0; i < n_dims && !*errorp; i++) {
        crossed = dnf_cross(crossed, expr_clone(dims[i]), errorp);
    }
    if (*errorp || max_dims || n_dims < 2 || n_dims > 64
        || dnf_count(crossed) <= 2.0 * cost * MAX(dnf_count(result), 1)) {
        expr_destroy(result);
        return crossed;
    }
    expr_destroy(crossed);
    dnf_attach_dims(result, dims, n_dims);
    return result;
}

/* Removes from DNF 'dim' the clauses that contradict 'base'.  Returns the
 * number left. */
static size_t
dim_prune(struct expr *dim, const struct expr *base)
{
    struct expr *alt;

    LIST_FOR_EACH_SAFE (alt, node, &dim->andor) {
        struct expr *test = expr_clone(base);

        if (!clause_and(test, alt)) {
            ovs_list_remove(&alt->node);
            expr_destroy(alt);
        }
        expr_destroy(test);
    }
    return dnf_count(dim);
}

/* Takes ownership of 'result' and of the DNFs in 'dims'; see
 * normalize_dims__() for what it does.  When 'result' is a single clause,
 * the dimensions' clauses that contradict it are dropped first, and a
 * dimension left with one clause is folded into it ("tcp" adds "eth.type
 * == {0x800, 0x86dd}", of which "ip4" leaves one). */
static struct expr *
normalize_dims(struct expr *result, struct expr **dims, size_t n_dims,
               char **errorp)
{
    bool changed = dnf_count(result) == 1;

    while (changed) {
        struct expr *base = CONTAINER_OF(ovs_list_front(&result->andor),
                                         struct expr, node);
        size_t n = 0;

        changed = false;
        for (size_t i = 0; i < n_dims; i++) {
            size_t left = dim_prune(dims[i], base);

            if (!left) {
                /* Nothing fits: the whole AND is false. */
                for (size_t j = i; j < n_dims; j++) {
                    expr_destroy(dims[j]);
                }
                n_dims = n;
                expr_destroy(result);
                result = dnf_create();
                break;
            } else if (left == 1) {
                struct expr *only = CONTAINER_OF(
                    ovs_list_front(&dims[i]->andor), struct expr, node);
                if (!clause_and(base, only)) {
                    OVS_NOT_REACHED();
                }
                expr_destroy(dims[i]);
                changed = true;
            } else {
                dims[n++] = dims[i];
            }
        }
        if (!dnf_count(result)) {
            break;
        }
        n_dims = n;
    }

    result = normalize_dims__(result, dims, n_dims, errorp);
    for (size_t i = 0; i < n_dims; i++) {
        expr_destroy(dims[i]);
    }
    return result;
}

/* Returns the DNF of 'sub', taking ownership of 'sub', for one operand of
 * an AND or OR: returns NULL, only freeing 'sub', if an earlier operand
 * already failed ('*errorp' set), or if normalizing 'sub' fails. */
static struct expr *
normalize_operand(struct expr *sub, char **errorp)
{
    if (*errorp) {
        expr_destroy(sub);
        return NULL;
    }
    return normalize__(sub, errorp);
}

/* Frees 'e', an AND or OR whose operands normalize_and() or normalize_or()
 * took, and returns 'result', or NULL, freeing 'result', on error. */
static struct expr *
normalize_andor_finish(struct expr *e, struct expr *result, char **errorp)
{
    free(e);
    if (*errorp) {
        expr_destroy(result);
        return NULL;
    }
    return result;
}

static struct expr *
normalize_and(struct expr *e, char **errorp)
{
    struct expr *result = dnf_create();
    struct expr **dims = NULL;
    size_t n_dims = 0, allocated = 0;
    struct expr *sub;

    ovs_list_push_back(&result->andor,
                       &expr_create_andor(EXPR_T_AND)->node);
    LIST_FOR_EACH_POP (sub, node, &e->andor) {
        struct expr *dnf = normalize_operand(sub, errorp);

        if (!dnf) {
            continue;
        } else if (dnf_count(dnf) == 1) {
            dnf_and_clause(result, dnf);
        } else if (dnf_count(dnf) > 1 && dnf_is_plain(dnf)) {
            if (n_dims >= allocated) {
                dims = x2nrealloc(dims, &allocated, sizeof *dims);
            }
            dims[n_dims++] = dnf;
        } else {
            result = dnf_cross(result, dnf, errorp);
        }
    }
    if (!*errorp) {
        result = normalize_dims(result, dims, n_dims, errorp);
    } else {
        for (size_t i = 0; i < n_dims; i++) {
            expr_destroy(dims[i]);
        }
    }
    free(dims);
    return normalize_andor_finish(e, result, errorp);
}

static struct expr *
normalize_or(struct expr *e, char **errorp)
{
    struct expr *result = dnf_create();
    struct expr *sub;
    size_t n = 0;

    LIST_FOR_EACH_POP (sub, node, &e->andor) {
        struct expr *dnf = normalize_operand(sub, errorp);

        if (dnf) {
            n += dnf_count(dnf);
            ovs_list_splice(&result->andor, dnf->andor.next, &dnf->andor);
            expr_destroy(dnf);
        }
        if (!*errorp && n > EXPR_MAX_CLAUSES) {
            *errorp = xasprintf("Expression too complex: normalizing it "
                                "produces more than %d terms.",
                                EXPR_MAX_CLAUSES);
        }
    }
    return normalize_andor_finish(e, result, errorp);
}

/* Returns the DNF of 'e', taking ownership of 'e'. */
static struct expr *
normalize__(struct expr *e, char **errorp)
{
    struct expr *result;

    switch (e->type) {
    case EXPR_T_CMP: {
        struct expr *clause;

        if (e->cmp.relop != EXPR_R_EQ) {
            char *s = expr_to_string(e);
            *errorp = xasprintf("Comparison `%s' must be simplified before "
                                "normalization.", s);
            free(s);
            expr_destroy(e);
            return NULL;
        }
        result = dnf_create();
        clause = expr_create_andor(EXPR_T_AND);
        ovs_list_push_back(&clause->andor, &e->node);
        ovs_list_push_back(&result->andor, &clause->node);
        return result;
    }

    case EXPR_T_AND:
        return normalize_and(e, errorp);

    case EXPR_T_OR:
        return normalize_or(e, errorp);

    case EXPR_T_BOOLEAN:
        result = dnf_create();
        if (e->boolean) {
            ovs_list_push_back(&result->andor,
                               &expr_create_andor(EXPR_T_AND)->node);
        }
        expr_destroy(e);
        return result;

    case EXPR_T_CONDITION:
        *errorp = xasprintf("is_chassis_resident(\"%s\") must be evaluated "
                            "before normalization.", e->cond.port);
        expr_destroy(e);
        return NULL;
    }
    OVS_NOT_REACHED();
}

/* Turns DNF clause 'clause' into its simplest expression. */
static struct expr *
clause_finish(struct expr *clause)
{
    struct expr *sub;

    LIST_FOR_EACH (sub, node, &clause->andor) {
        if (sub->type == EXPR_T_OR) {
            struct expr *alt;

            LIST_FOR_EACH_SAFE (alt, node, &sub->andor) {
                if (alt->type == EXPR_T_AND
                    && ovs_list_is_singleton(&alt->andor)) {
                    struct expr *only = CONTAINER_OF(
                        ovs_list_pop_front(&alt->andor), struct expr, node);
                    ovs_list_replace(&only->node, &alt->node);
                    free(alt);
                }
            }
        }
    }
    if (ovs_list_is_empty(&clause->andor)) {
        expr_destroy(clause);
        return expr_create_boolean(true);
    } else if (ovs_list_is_singleton(&clause->andor)) {
        sub = CONTAINER_OF(ovs_list_front(&clause->andor), struct expr, node);
        free(clause);
        return sub;
    }
    return clause;
}

/* Converts 'e' to disjunctive normal form: an OR of clauses, each an AND of
 * == comparisons on distinct fields (or a single comparison, or a Boolean
 * constant).  A clause may also contain two or more ORs of such ANDs
 * (dimensions of a conjunctive match; see normalize_dims() for when).
 * Takes ownership of 'e', which must be simplified and have no
 * is_chassis_resident() left.  Returns the result, or NULL and a malloc'd
 * error if it would have more than EXPR_MAX_CLAUSES clauses. */
struct expr *
expr_normalize(struct expr *e, char **errorp)
{
    struct expr *dnf, *clause, *result = NULL;

    *errorp = NULL;
    dnf = normalize__(e, errorp);
    if (!dnf) {
        return NULL;
    }

    LIST_FOR_EACH_POP (clause, node, &dnf->andor) {
        clause = clause_finish(clause);
        if (clause->type == EXPR_T_BOOLEAN && clause->boolean) {
            expr_destroy(result);
            expr_destroy(dnf);
            return clause;
        }
        if (!result) {
            result = clause;
        } else {
            if (result->type != EXPR_T_OR) {
                struct expr *or = expr_create_andor(EXPR_T_OR);
                ovs_list_push_back(&or->andor, &result->node);
                result = or;
            }
            ovs_list_push_back(&result->andor, &clause->node);
        }
    }
    expr_destroy(dnf);
    return result ? result : expr_create_boolean(false);
}

/* Returns true if 'e' has the form expr_normalize() returns. */
bool
expr_is_normalized(const struct expr *e)
{
    const struct expr *sub;

    switch (e->type) {
    case EXPR_T_CMP:
        return e->cmp.relop == EXPR_R_EQ && !e->cmp.symbol->parent;
    case EXPR_T_BOOLEAN:
        return true;
    case EXPR_T_CONDITION:
        return false;
    case EXPR_T_AND:
    case EXPR_T_OR:
        LIST_FOR_EACH (sub, node, &e->andor) {
            if (!expr_is_normalized(sub)) {
                return false;
            }
        }
        return true;
    }
    OVS_NOT_REACHED();
}
