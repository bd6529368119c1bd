/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Formatting and comparison of logical flow match expressions.
 *
 * expr_format() writes text that expr_parse_string() reads back to the same
 * expression: sets of comparisons on one field print as "f == {a, b}",
 * comparisons on part of a field as "f[lo..hi] == v", IP prefixes in CIDR
 * form. */

#include <config.h>

#include "expr.h"

#include <stdio.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "lex.h"
#include "coverage.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(expr_format);
COVERAGE_DEFINE(expr_format);

#define SV_BYTES (sizeof(union mf_subvalue))

/* Describes the bits of 'cmp' that are compared: sets '*lo' and '*n' if
 * they form one run. */
static bool
cmp_mask_run(const struct expr *cmp, int *lo, int *n)
{
    int start = bitwise_scan(&cmp->cmp.mask, SV_BYTES, true, 0,
                             SV_BYTES * 8);
    int end;

    if (start >= SV_BYTES * 8) {
        return false;
    }
    end = bitwise_scan(&cmp->cmp.mask, SV_BYTES, false, start, SV_BYTES * 8);
    if (!bitwise_is_all_zeros(&cmp->cmp.mask, SV_BYTES, end,
                              SV_BYTES * 8 - end)) {
        return false;
    }
    *lo = start;
    *n = end - start;
    return true;
}

static bool
format_is_address(enum lex_format format)
{
    return (format == LEX_F_IPV4 || format == LEX_F_IPV6
            || format == LEX_F_ETHERNET);
}

/* Appends the left side of integer comparison 'cmp' to 'lhs' and its
 * constant to 'rhs'. */
static void
format_cmp_sides(const struct expr *cmp, struct ds *lhs, struct ds *rhs)
{
    const struct expr_symbol *symbol = cmp->cmp.symbol;
    enum lex_format format = symbol->format;
    int lo, n;

    ds_put_cstr(lhs, symbol->name);
    if (!cmp_mask_run(cmp, &lo, &n)) {
        /* Nothing or scattered bits compared. */
        lex_format_masked_value(&cmp->cmp.value, &cmp->cmp.mask,
                                format_is_address(format)
                                ? format : LEX_F_HEXADECIMAL, rhs);
    } else if (lo == 0 && n == symbol->width) {
        lex_format_value(&cmp->cmp.value, format, rhs);
    } else if (format_is_address(format)
               && (cmp->cmp.relop == EXPR_R_EQ
                   || cmp->cmp.relop == EXPR_R_NE)) {
        lex_format_masked_value(&cmp->cmp.value, &cmp->cmp.mask, format,
                                rhs);
    } else {
        union mf_subvalue v;

        memset(&v, 0, sizeof v);
        bitwise_copy(&cmp->cmp.value, SV_BYTES, lo, &v, SV_BYTES, 0, n);
        if (n == 1) {
            ds_put_format(lhs, "[%d]", lo);
        } else {
            ds_put_format(lhs, "[%d..%d]", lo, lo + n - 1);
        }
        lex_format_value(&v, format == LEX_F_DECIMAL
                         ? LEX_F_DECIMAL : LEX_F_HEXADECIMAL, rhs);
    }
}

/* Appends both sides of comparison 'e' (string or integer). */
static void
format_sides(const struct expr *e, struct ds *lhs, struct ds *rhs)
{
    if (expr_symbol_is_string(e->cmp.symbol)) {
        ds_put_cstr(lhs, e->cmp.symbol->name);
        lex_format_string(e->cmp.string, rhs);
    } else {
        format_cmp_sides(e, lhs, rhs);
    }
}

static void
format_cmp(const struct expr *e, struct ds *s)
{
    struct ds lhs = DS_EMPTY_INITIALIZER;
    struct ds rhs = DS_EMPTY_INITIALIZER;

    format_sides(e, &lhs, &rhs);
    if (!expr_symbol_is_string(e->cmp.symbol) && e->cmp.symbol->width == 1
        && !strcmp(ds_cstr(&rhs), e->cmp.symbol->format == LEX_F_DECIMAL
                   ? "1" : "0x1")
        && (e->cmp.relop == EXPR_R_EQ || e->cmp.relop == EXPR_R_NE)) {
        /* A 1-bit symbol reads best as a Boolean. */
        ds_put_format(s, "%s%s", e->cmp.relop == EXPR_R_NE ? "!" : "",
                      ds_cstr(&lhs));
    } else {
        ds_put_format(s, "%s %s %s", ds_cstr(&lhs),
                      expr_relop_to_string(e->cmp.relop), ds_cstr(&rhs));
    }
    ds_destroy(&lhs);
    ds_destroy(&rhs);
}

/* If every operand of 'e' (an AND or OR) compares the same left side with
 * the relation a set implies (== for OR, != for AND), formats 'e' as a set
 * and returns true. */
static bool
format_as_set(const struct expr *e, struct ds *s)
{
    enum expr_relop relop = e->type == EXPR_T_OR ? EXPR_R_EQ : EXPR_R_NE;
    struct ds first_lhs = DS_EMPTY_INITIALIZER;
    struct ds values = DS_EMPTY_INITIALIZER;
    const struct expr *sub;
    bool ok = true;

    LIST_FOR_EACH (sub, node, &e->andor) {
        struct ds lhs = DS_EMPTY_INITIALIZER;

        if (sub->type != EXPR_T_CMP || sub->cmp.relop != relop) {
            ok = false;
            break;
        }
        if (values.length) {
            ds_put_cstr(&values, ", ");
        }
        format_sides(sub, &lhs, &values);
        if (!first_lhs.length) {
            ds_swap(&first_lhs, &lhs);
        } else if (strcmp(ds_cstr(&lhs), ds_cstr(&first_lhs))) {
            ok = false;
        }
        ds_destroy(&lhs);
        if (!ok) {
            break;
        }
    }
    if (ok) {
        ds_put_format(s, "%s %s {%s}", ds_cstr(&first_lhs),
                      expr_relop_to_string(relop), ds_cstr(&values));
    }
    ds_destroy(&first_lhs);
    ds_destroy(&values);
    return ok;
}

static void
format_andor(const struct expr *e, struct ds *s)
{
    const struct expr *sub;
    bool first = true;

    if (format_as_set(e, s)) {
        return;
    }
    LIST_FOR_EACH (sub, node, &e->andor) {
        if (!first) {
            ds_put_cstr(s, e->type == EXPR_T_AND ? " && " : " || ");
        }
        first = false;
        if (sub->type == EXPR_T_AND || sub->type == EXPR_T_OR) {
            ds_put_char(s, '(');
            format_andor(sub, s);
            ds_put_char(s, ')');
        } else {
            expr_format(sub, s);
        }
    }
}

/* Appends a textual form of 'e' to 's'. */
void
expr_format(const struct expr *e, struct ds *s)
{
    switch (e->type) {
    case EXPR_T_CMP:
        format_cmp(e, s);
        break;
    case EXPR_T_AND:
    case EXPR_T_OR:
        format_andor(e, s);
        break;
    case EXPR_T_BOOLEAN:
        ds_put_char(s, e->boolean ? '1' : '0');
        break;
    case EXPR_T_CONDITION:
        ds_put_format(s, "%sis_chassis_resident(", e->cond.not ? "!" : "");
        lex_format_string(e->cond.port, s);
        ds_put_char(s, ')');
        break;
    }
}

/* Returns a malloc'd textual form of 'e'. */
char *
expr_to_string(const struct expr *e)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    COVERAGE_INC(expr_format);
    expr_format(e, &s);
    return ds_steal_cstr(&s);
}

/* Prints 'e' on stdout, for debugging. */
void
expr_print(const struct expr *e)
{
    char *s = expr_to_string(e);

    puts(s);
    free(s);
}

/* Returns true if 'a' and 'b' are the same tree (operands in the same
 * order). */
bool
expr_equals(const struct expr *a, const struct expr *b)
{
    if (a->type != b->type) {
        return false;
    }
    switch (a->type) {
    case EXPR_T_CMP:
        if (a->cmp.symbol != b->cmp.symbol || a->cmp.relop != b->cmp.relop) {
            return false;
        }
        if (expr_symbol_is_string(a->cmp.symbol)) {
            return !strcmp(a->cmp.string, b->cmp.string);
        }
        return (!memcmp(&a->cmp.value, &b->cmp.value, SV_BYTES)
                && !memcmp(&a->cmp.mask, &b->cmp.mask, SV_BYTES));
    case EXPR_T_AND:
    case EXPR_T_OR: {
        const struct ovs_list *x = a->andor.next, *y = b->andor.next;

        for (; x != &a->andor && y != &b->andor; x = x->next, y = y->next) {
            if (!expr_equals(CONTAINER_OF(x, struct expr, node),
                             CONTAINER_OF(y, struct expr, node))) {
                return false;
            }
        }
        return x == &a->andor && y == &b->andor;
    }
    case EXPR_T_BOOLEAN:
        return a->boolean == b->boolean;
    case EXPR_T_CONDITION:
        return (a->cond.not == b->cond.not
                && !strcmp(a->cond.port, b->cond.port));
    }
    OVS_NOT_REACHED();
}
