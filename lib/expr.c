/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Expression trees: construction, copying, negation, destruction, constant
 * sets, and the one-call compile pipeline.  See expr.h. */

#include <config.h>

#include "expr.h"

#include <string.h>

#include "coverage.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(expr);
COVERAGE_DEFINE(expr_compile);
COVERAGE_DEFINE(expr_compile_error);
COVERAGE_DEFINE(expr_bad_const);

const char *
expr_relop_to_string(enum expr_relop relop)
{
    switch (relop) {
    case EXPR_R_EQ: return "==";
    case EXPR_R_NE: return "!=";
    case EXPR_R_LT: return "<";
    case EXPR_R_LE: return "<=";
    case EXPR_R_GT: return ">";
    case EXPR_R_GE: return ">=";
    }
    return "<unknown>";
}

/* Returns the relation that is true exactly when 'relop' is false. */
enum expr_relop
expr_relop_invert(enum expr_relop relop)
{
    switch (relop) {
    case EXPR_R_EQ: return EXPR_R_NE;
    case EXPR_R_NE: return EXPR_R_EQ;
    case EXPR_R_LT: return EXPR_R_GE;
    case EXPR_R_LE: return EXPR_R_GT;
    case EXPR_R_GT: return EXPR_R_LE;
    case EXPR_R_GE: return EXPR_R_LT;
    }
    OVS_NOT_REACHED();
}

struct expr *
expr_create_boolean(bool b)
{
    struct expr *e = xzalloc(sizeof *e);
    e->type = EXPR_T_BOOLEAN;
    e->boolean = b;
    return e;
}

/* Returns a new empty AND or OR ('type'). */
struct expr *
expr_create_andor(enum expr_type type)
{
    struct expr *e = xzalloc(sizeof *e);
    e->type = type;
    ovs_list_init(&e->andor);
    return e;
}

/* Returns 'a' 'type' 'b' (AND or OR), flattening nested nodes of the same
 * type.  Takes ownership of 'a' and 'b', either of which may be NULL (in
 * which case the other is returned). */
struct expr *
expr_combine(enum expr_type type, struct expr *a, struct expr *b)
{
    if (!a) {
        return b;
    } else if (!b) {
        return a;
    } else if (a->type == type) {
        if (b->type == type) {
            ovs_list_splice(&a->andor, b->andor.next, &b->andor);
            free(b);
        } else {
            ovs_list_push_back(&a->andor, &b->node);
        }
        return a;
    } else if (b->type == type) {
        ovs_list_push_front(&b->andor, &a->node);
        return b;
    } else {
        struct expr *e = expr_create_andor(type);
        ovs_list_push_back(&e->andor, &a->node);
        ovs_list_push_back(&e->andor, &b->node);
        return e;
    }
}

/* Returns a deep copy of 'e'. */
struct expr *
expr_clone(const struct expr *e)
{
    struct expr *clone = xmemdup(e, sizeof *e);
    const struct expr *sub;

    switch (e->type) {
    case EXPR_T_CMP:
        if (expr_symbol_is_string(e->cmp.symbol)) {
            clone->cmp.string = xstrdup(e->cmp.string);
        }
        break;
    case EXPR_T_AND:
    case EXPR_T_OR:
        ovs_list_init(&clone->andor);
        LIST_FOR_EACH (sub, node, &e->andor) {
            ovs_list_push_back(&clone->andor, &expr_clone(sub)->node);
        }
        break;
    case EXPR_T_BOOLEAN:
        break;
    case EXPR_T_CONDITION:
        clone->cond.port = xstrdup(e->cond.port);
        break;
    }
    return clone;
}

/* Frees 'e' and everything under it.  NULL-safe. */
void
expr_destroy(struct expr *e)
{
    struct expr *sub;

    if (!e) {
        return;
    }
    switch (e->type) {
    case EXPR_T_CMP:
        if (expr_symbol_is_string(e->cmp.symbol)) {
            free(e->cmp.string);
        }
        break;
    case EXPR_T_AND:
    case EXPR_T_OR:
        LIST_FOR_EACH_SAFE (sub, node, &e->andor) {
            ovs_list_remove(&sub->node);
            expr_destroy(sub);
        }
        break;
    case EXPR_T_BOOLEAN:
        break;
    case EXPR_T_CONDITION:
        free(e->cond.port);
        break;
    }
    free(e);
}

/* Returns the logical negation of 'e', with the negation pushed down to the
 * comparisons (De Morgan), so that the result has no negation operator.
 * Takes ownership of 'e'. */
struct expr *
expr_negate(struct expr *e)
{
    struct expr *sub;

    switch (e->type) {
    case EXPR_T_CMP:
        e->cmp.relop = expr_relop_invert(e->cmp.relop);
        break;
    case EXPR_T_AND:
    case EXPR_T_OR: {
        struct ovs_list subs;

        ovs_list_move(&subs, &e->andor);
        ovs_list_init(&e->andor);
        e->type = e->type == EXPR_T_AND ? EXPR_T_OR : EXPR_T_AND;
        LIST_FOR_EACH_POP (sub, node, &subs) {
            ovs_list_push_back(&e->andor, &expr_negate(sub)->node);
        }
        break;
    }
    case EXPR_T_BOOLEAN:
        e->boolean = !e->boolean;
        break;
    case EXPR_T_CONDITION:
        e->cond.not = !e->cond.not;
        break;
    }
    return e;
}

/* Returns the number of nodes in 'e'. */
size_t
expr_size(const struct expr *e)
{
    const struct expr *sub;
    size_t n = 1;

    if (e->type == EXPR_T_AND || e->type == EXPR_T_OR) {
        LIST_FOR_EACH (sub, node, &e->andor) {
            n += expr_size(sub);
        }
    }
    return n;
}

/* Constant sets. */

/* Frees the contents of 'cs' (not 'cs' itself).  NULL-safe. */
void
expr_constant_set_destroy(struct expr_constant_set *cs)
{
    if (cs) {
        for (size_t i = 0; i < cs->n_values; i++) {
            free(cs->values[i].string);
        }
        free(cs->values);
        cs->values = NULL;
        cs->n_values = 0;
    }
}

static struct expr_constant_set *
expr_const_sets_replace(struct shash *const_sets, const char *name,
                        size_t n, bool is_string)
{
    struct expr_constant_set *cs = xzalloc(sizeof *cs);

    cs->values = xcalloc(n ? n : 1, sizeof *cs->values);
    cs->is_string = is_string;
    expr_const_sets_remove(const_sets, name);
    shash_add(const_sets, name, cs);
    return cs;
}

/* Adds (or replaces) the address set 'name' in 'const_sets', with the 'n'
 * addresses in 'values' ("10.0.0.1", "fd00::/64", "00:11:22:33:44:55",
 * ...).  An unparsable address is skipped with a warning. */
void
expr_const_sets_add_integers(struct shash *const_sets, const char *name,
                             const char *const *values, size_t n)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 1);
    struct expr_constant_set *cs;

    cs = expr_const_sets_replace(const_sets, name, n, false);
    for (size_t i = 0; i < n; i++) {
        struct lexer lexer;

        lexer_init(&lexer, values[i]);
        lexer_get(&lexer);
        if ((lexer.token.type == LEX_T_INTEGER
             || lexer.token.type == LEX_T_MASKED_INTEGER)
            && lexer_lookahead(&lexer) == LEX_T_END) {
            struct expr_constant *c = &cs->values[cs->n_values++];

            c->value = lexer.token.value;
            c->masked = lexer.token.type == LEX_T_MASKED_INTEGER;
            if (c->masked) {
                c->mask = lexer.token.mask;
            } else {
                memset(&c->mask, 0xff, sizeof c->mask);
            }
            c->format = lexer.token.format;
        } else {
            COVERAGE_INC(expr_bad_const);
            VLOG_WARN_RL(&rl, "address set %s: invalid address `%s' "
                         "skipped", name, values[i]);
        }
        lexer_destroy(&lexer);
    }
}

/* Adds (or replaces) the port group 'name' in 'const_sets', with the 'n'
 * port names in 'values'. */
void
expr_const_sets_add_strings(struct shash *const_sets, const char *name,
                            const char *const *values, size_t n)
{
    struct expr_constant_set *cs;

    cs = expr_const_sets_replace(const_sets, name, n, true);
    for (size_t i = 0; i < n; i++) {
        cs->values[cs->n_values++].string = xstrdup(values[i]);
    }
}

/* Removes and frees the set 'name' from 'const_sets', if present. */
void
expr_const_sets_remove(struct shash *const_sets, const char *name)
{
    struct expr_constant_set *cs = shash_find_and_delete(const_sets, name);

    expr_constant_set_destroy(cs);
    free(cs);
}

/* Frees every set in 'const_sets' and 'const_sets' itself (not the shash
 * struct).  NULL-safe. */
void
expr_const_sets_destroy(struct shash *const_sets)
{
    struct shash_node *node;

    if (!const_sets) {
        return;
    }
    SHASH_FOR_EACH_SAFE (node, const_sets) {
        struct expr_constant_set *cs = node->data;

        shash_delete(const_sets, node);
        expr_constant_set_destroy(cs);
        free(cs);
    }
    shash_destroy(const_sets);
}

/* Parses, annotates, simplifies and normalizes 'string'.  Returns the
 * normalized expression, ready for expr_to_matches(), or NULL and a malloc'd
 * error in '*errorp'. */
struct expr *
expr_compile(const char *string, const struct expr_parse_ctx *ctx,
             expr_chassis_resident_cb *is_resident, const void *aux,
             char **errorp)
{
    struct expr *e;

    COVERAGE_INC(expr_compile);
    e = expr_parse_string(string, ctx, errorp);
    if (e) {
        e = expr_annotate(e, ctx->symtab, errorp);
    }
    if (e) {
        e = expr_simplify(e, is_resident, aux);
        e = expr_normalize(e, errorp);
    }
    if (!e) {
        COVERAGE_INC(expr_compile_error);
    }
    return e;
}
