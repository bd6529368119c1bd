/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Parser for logical flow match expressions (ovn-sb(5), "match").
 *
 * A recursive descent parser over lex.c's tokens.  It expands predicates,
 * sets, address sets and port groups as it goes and pushes `!' down to the
 * comparisons, so that its result has only comparisons, AND, OR, Boolean
 * constants and is_chassis_resident() conditions.  Nesting is bounded by
 * EXPR_MAX_DEPTH, so no input can exhaust the stack; every error is
 * returned as a malloc'd string. */

#include <config.h>

#include "expr.h"

#include <string.h>

#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(expr_parse);
COVERAGE_DEFINE(expr_parse);
COVERAGE_DEFINE(expr_parse_error);

#define SV_BYTES (sizeof(union mf_subvalue))

struct expr_parser {
    struct lexer *lexer;
    const struct expr_parse_ctx *ctx;
    char *error;                /* First error, malloc'd. */
    int depth;                  /* Current nesting. */
};

/* A reference to a symbol, possibly narrowed by a subscript: bits
 * [ofs, ofs + n_bits) of 'symbol'. */
struct expr_field {
    const struct expr_symbol *symbol;
    int ofs;
    int n_bits;
};

static struct expr *parse_or_and(struct expr_parser *);

static void OVS_PRINTF_FORMAT(2, 3)
parse_error(struct expr_parser *p, const char *message, ...)
{
    if (!p->error) {
        va_list args;

        va_start(args, message);
        p->error = xvasprintf(message, args);
        va_end(args);
    }
}

/* Records a syntax error at the current token. */
static void OVS_PRINTF_FORMAT(2, 3)
parse_syntax_error(struct expr_parser *p, const char *message, ...)
{
    if (!p->error) {
        char *text;
        va_list args;

        va_start(args, message);
        text = xvasprintf(message, args);
        va_end(args);
        p->error = lexer_error(p->lexer, "%s", text);
        free(text);
    }
}

static bool
parse_enter(struct expr_parser *p)
{
    if (p->depth >= EXPR_MAX_DEPTH) {
        parse_syntax_error(p, "Expression nesting is deeper than %d.",
                           EXPR_MAX_DEPTH);
        return false;
    }
    p->depth++;
    return true;
}

static void
parse_leave(struct expr_parser *p)
{
    p->depth--;
}

static bool
parse_expect(struct expr_parser *p, enum lex_type type, const char *what)
{
    if (!lexer_match(p->lexer, type)) {
        parse_syntax_error(p, "expecting `%s'.", what);
        return false;
    }
    return true;
}

/* Fields. */

/* Parses a symbol name with an optional subscript [N] or [N..M]. */
static bool
parse_field(struct expr_parser *p, struct expr_field *f)
{
    struct lexer *lexer = p->lexer;
    const struct expr_symbol *symbol;
    int lo, hi;

    symbol = expr_symtab_lookup(p->ctx->symtab, lexer->token.s);
    if (!symbol) {
        parse_syntax_error(p, "Unknown field name `%s'.", lexer->token.s);
        return false;
    }
    lexer_get(lexer);

    f->symbol = symbol;
    f->ofs = 0;
    f->n_bits = symbol->width;
    if (!lexer_match(lexer, LEX_T_LSQUARE)) {
        return true;
    }

    if (symbol->level != EXPR_L_ORDINAL || symbol->expansion) {
        parse_error(p, "Cannot select subfield of %s %s.",
                    symbol->expansion ? "predicate"
                    : expr_symbol_is_string(symbol) ? "string field"
                    : "nominal field", symbol->name);
        return false;
    }
    if (!lexer_get_int(lexer, &lo)) {
        parse_syntax_error(p, "expecting bit number.");
        return false;
    }
    hi = lo;
    if (lexer_match(lexer, LEX_T_ELLIPSIS) && !lexer_get_int(lexer, &hi)) {
        parse_syntax_error(p, "expecting bit number.");
        return false;
    }
    if (!parse_expect(p, LEX_T_RSQUARE, "]")) {
        return false;
    }
    if (hi < lo) {
        parse_error(p, "Invalid bit range %d to %d.", lo, hi);
        return false;
    } else if (hi >= symbol->width) {
        parse_error(p, "Cannot select bits %d to %d of %d-bit field %s.",
                    lo, hi, symbol->width, symbol->name);
        return false;
    }
    f->ofs = lo;
    f->n_bits = hi - lo + 1;
    return true;
}

/* Constants. */

static void
constant_set_add(struct expr_constant_set *cs, size_t *allocated,
                 const struct expr_constant *c)
{
    if (cs->n_values >= *allocated) {
        cs->values = x2nrealloc(cs->values, allocated, sizeof *cs->values);
    }
    cs->values[cs->n_values] = *c;
    if (c->string) {
        cs->values[cs->n_values].string = xstrdup(c->string);
    }
    cs->n_values++;
}

/* Checks that a constant of type 'is_string' may join 'cs'. */
static bool
constant_set_check_type(struct expr_parser *p, struct expr_constant_set *cs,
                        bool is_string)
{
    if (cs->n_values && cs->is_string != is_string) {
        parse_syntax_error(p, "Constants in a set must be all strings or "
                           "all integers.");
        return false;
    }
    cs->is_string = is_string;
    return true;
}

static const struct expr_constant_set *
parse_lookup_port_group(struct expr_parser *p, const char *name)
{
    const struct expr_parse_ctx *ctx = p->ctx;
    const struct expr_constant_set *cs = NULL;
    char *scoped = NULL;

    if (ctx->dp_key) {
        scoped = xasprintf("%"PRId64"_%s", ctx->dp_key, name);
        cs = ctx->port_groups ? shash_find_data(ctx->port_groups, scoped)
                              : NULL;
    }
    if (!cs && ctx->port_groups) {
        cs = shash_find_data(ctx->port_groups, name);
    }
    if (ctx->port_groups_ref) {
        sset_add(ctx->port_groups_ref, scoped ? scoped : name);
    }
    free(scoped);
    return cs;
}

/* Appends the members of the address set or port group that the current
 * token names to 'cs'. */
static bool
parse_named_set(struct expr_parser *p, struct expr_constant_set *cs,
                size_t *allocated)
{
    const struct lex_token *t = &p->lexer->token;
    const struct expr_parse_ctx *ctx = p->ctx;
    const struct expr_constant_set *set;

    if (t->type == LEX_T_MACRO) {
        set = ctx->addr_sets ? shash_find_data(ctx->addr_sets, t->s) : NULL;
        if (ctx->addr_sets_ref) {
            sset_add(ctx->addr_sets_ref, t->s);
        }
        if (!set) {
            parse_syntax_error(p, "No address set named `%s'.", t->s);
            return false;
        }
    } else {
        set = parse_lookup_port_group(p, t->s);
        if (!set) {
            parse_syntax_error(p, "No port group named `%s'.", t->s);
            return false;
        }
    }
    if (set->n_values && !constant_set_check_type(p, cs, set->is_string)) {
        return false;
    }
    for (size_t i = 0; i < set->n_values; i++) {
        constant_set_add(cs, allocated, &set->values[i]);
    }
    lexer_get(p->lexer);
    return true;
}

/* Parses one constant (or named set) into 'cs'. */
static bool
parse_constant(struct expr_parser *p, struct expr_constant_set *cs,
               size_t *allocated)
{
    struct lexer *lexer = p->lexer;
    const struct lex_token *t = &lexer->token;
    struct expr_constant c;

    memset(&c, 0, sizeof c);
    if (t->type == LEX_T_STRING) {
        if (!constant_set_check_type(p, cs, true)) {
            return false;
        }
        c.string = t->s;
        constant_set_add(cs, allocated, &c);
        lexer_get(lexer);
        return true;
    } else if (t->type == LEX_T_INTEGER || t->type == LEX_T_MASKED_INTEGER) {
        if (!constant_set_check_type(p, cs, false)) {
            return false;
        }
        c.value = t->value;
        c.format = t->format;
        c.masked = t->type == LEX_T_MASKED_INTEGER;
        if (c.masked) {
            c.mask = t->mask;
        } else {
            memset(&c.mask, 0xff, sizeof c.mask);
        }
        constant_set_add(cs, allocated, &c);
        lexer_get(lexer);
        return true;
    } else if (t->type == LEX_T_MACRO || t->type == LEX_T_PORT_GROUP) {
        return parse_named_set(p, cs, allocated);
    } else if (t->type == LEX_T_ERROR) {
        parse_syntax_error(p, "%s", t->s);
        return false;
    } else {
        parse_syntax_error(p, "expecting constant.");
        return false;
    }
}

/* Parses a constant, a named set, or a set in braces into 'cs'. */
static bool
parse_constant_set(struct expr_parser *p, struct expr_constant_set *cs)
{
    size_t allocated = 0;

    memset(cs, 0, sizeof *cs);
    if (!lexer_match(p->lexer, LEX_T_LCURLY)) {
        return parse_constant(p, cs, &allocated);
    }
    while (!lexer_match(p->lexer, LEX_T_RCURLY)) {
        if (!parse_constant(p, cs, &allocated)) {
            return false;
        }
        lexer_match(p->lexer, LEX_T_COMMA);
    }
    return true;
}

/* Comparisons. */

static bool
relop_from_token(enum lex_type type, enum expr_relop *relop)
{
    static const struct {
        enum lex_type type;
        enum expr_relop relop;
    } map[] = {
        { LEX_T_EQ, EXPR_R_EQ }, { LEX_T_NE, EXPR_R_NE },
        { LEX_T_LT, EXPR_R_LT }, { LEX_T_LE, EXPR_R_LE },
        { LEX_T_GT, EXPR_R_GT }, { LEX_T_GE, EXPR_R_GE },
    };

    for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
        if (map[i].type == type) {
            *relop = map[i].relop;
            return true;
        }
    }
    return false;
}

/* Returns the relation R such that "c R f" means "f mirror(R) c". */
static enum expr_relop
relop_mirror(enum expr_relop relop)
{
    switch (relop) {
    case EXPR_R_LT: return EXPR_R_GT;
    case EXPR_R_LE: return EXPR_R_GE;
    case EXPR_R_GT: return EXPR_R_LT;
    case EXPR_R_GE: return EXPR_R_LE;
    case EXPR_R_EQ:
    case EXPR_R_NE:
    default:
        return relop;
    }
}

static bool
parse_relop(struct expr_parser *p, enum expr_relop *relop)
{
    if (relop_from_token(p->lexer->token.type, relop)) {
        lexer_get(p->lexer);
        return true;
    }
    parse_syntax_error(p, "expecting relational operator.");
    return false;
}

static struct expr *parse_expansion(struct expr_parser *,
                                    const struct expr_symbol *);

/* Returns "f relop c" for a predicate 'f' (c is 0 or 1). */
static struct expr *
make_predicate_cmp(struct expr_parser *p, const struct expr_field *f,
                   enum expr_relop relop, const struct expr_constant *c)
{
    bool want;

    if (c->string || c->masked
        || !bitwise_is_all_zeros(&c->value, SV_BYTES, 1, SV_BYTES * 8 - 1)) {
        parse_error(p, "Predicate %s may only be compared with 0 or 1.",
                    f->symbol->name);
        return NULL;
    }
    if (relop != EXPR_R_EQ && relop != EXPR_R_NE) {
        parse_error(p, "Predicate %s may only be tested with == or !=.",
                    f->symbol->name);
        return NULL;
    }
    want = bitwise_get_bit(&c->value, SV_BYTES, 0) == (relop == EXPR_R_EQ);

    struct expr *e = parse_expansion(p, f->symbol);
    return e && !want ? expr_negate(e) : e;
}

/* Returns "f relop c" for an integer field. */
static struct expr *
make_integer_cmp(struct expr_parser *p, const struct expr_field *f,
                 enum expr_relop relop, const struct expr_constant *c)
{
    const struct expr_symbol *symbol = f->symbol;
    struct expr *e;

    if (c->string) {
        parse_error(p, "%s field %s is not compatible with string constant.",
                    "Integer", symbol->name);
        return NULL;
    }
    if (!bitwise_is_all_zeros(&c->value, SV_BYTES, f->n_bits,
                              SV_BYTES * 8 - f->n_bits)
        || (c->masked
            && !bitwise_is_all_zeros(&c->mask, SV_BYTES, f->n_bits,
                                     SV_BYTES * 8 - f->n_bits))) {
        struct ds s = DS_EMPTY_INITIALIZER;

        if (c->masked) {
            lex_format_masked_value(&c->value, &c->mask, c->format, &s);
        } else {
            lex_format_value(&c->value, c->format, &s);
        }
        parse_error(p, "Constant %s is too wide for %d-bit field %s.",
                    ds_cstr(&s), f->n_bits, symbol->name);
        ds_destroy(&s);
        return NULL;
    }
    if (relop != EXPR_R_EQ && relop != EXPR_R_NE) {
        if (symbol->level != EXPR_L_ORDINAL) {
            parse_error(p, "Only == and != operators may be used with "
                        "nominal field %s.", symbol->name);
            return NULL;
        } else if (c->masked) {
            parse_error(p, "Only == and != operators may be used with "
                        "masked constants.  Consider using subfields "
                        "instead (e.g. eth.src[0..15] > 0x1111 in place of "
                        "eth.src > 00:00:00:00:11:11/00:00:00:00:ff:ff).");
            return NULL;
        }
    }
    if (c->masked && symbol->level != EXPR_L_ORDINAL) {
        parse_error(p, "Nominal field %s may not be matched with a masked "
                    "constant.", symbol->name);
        return NULL;
    }

    e = xzalloc(sizeof *e);
    e->type = EXPR_T_CMP;
    e->cmp.symbol = symbol;
    e->cmp.relop = relop;
    bitwise_copy(&c->value, SV_BYTES, 0, &e->cmp.value, SV_BYTES, f->ofs,
                 f->n_bits);
    if (c->masked) {
        bitwise_copy(&c->mask, SV_BYTES, 0, &e->cmp.mask, SV_BYTES, f->ofs,
                     f->n_bits);
    } else {
        bitwise_one(&e->cmp.mask, SV_BYTES, f->ofs, f->n_bits);
    }
    return e;
}

/* Returns "f relop c" for a string field. */
static struct expr *
make_string_cmp(struct expr_parser *p, const struct expr_field *f,
                enum expr_relop relop, const struct expr_constant *c)
{
    struct expr *e;

    if (!c->string) {
        parse_error(p, "String field %s is not compatible with integer "
                    "constant.", f->symbol->name);
        return NULL;
    }
    if (relop != EXPR_R_EQ && relop != EXPR_R_NE) {
        parse_error(p, "Only == and != operators may be used with string "
                    "field %s.", f->symbol->name);
        return NULL;
    }
    e = xzalloc(sizeof *e);
    e->type = EXPR_T_CMP;
    e->cmp.symbol = f->symbol;
    e->cmp.relop = relop;
    e->cmp.string = xstrdup(c->string);
    return e;
}

/* Returns "f relop cs": for a set, == means any member and != means none.
 * Takes ownership of 'cs's contents. */
static struct expr *
make_cmp(struct expr_parser *p, const struct expr_field *f,
         enum expr_relop relop, struct expr_constant_set *cs)
{
    struct expr *e = NULL;

    if (cs->n_values != 1 && relop != EXPR_R_EQ && relop != EXPR_R_NE) {
        parse_error(p, "Only == and != operators may be used with value "
                    "sets.");
        goto exit;
    }
    if (f->symbol->expansion && cs->n_values != 1) {
        parse_error(p, "Predicate %s may not be compared with a set.",
                    f->symbol->name);
        goto exit;
    }

    e = expr_create_boolean(relop == EXPR_R_NE);
    for (size_t i = 0; i < cs->n_values; i++) {
        const struct expr_constant *c = &cs->values[i];
        struct expr *sub;

        sub = (f->symbol->expansion ? make_predicate_cmp(p, f, relop, c)
               : expr_symbol_is_string(f->symbol)
               ? make_string_cmp(p, f, relop, c)
               : make_integer_cmp(p, f, relop, c));
        if (!sub) {
            expr_destroy(e);
            e = NULL;
            goto exit;
        }
        if (i == 0) {
            expr_destroy(e);
            e = sub;
        } else {
            e = expr_combine(relop == EXPR_R_NE ? EXPR_T_AND : EXPR_T_OR,
                             e, sub);
        }
    }

exit:
    expr_constant_set_destroy(cs);
    return e;
}

/* Parses the constant set and second field after "c relop" has been read
 * as "f relop' c" etc.  Handles "c1 R1 f R2 c2". */
static struct expr *
parse_constant_first(struct expr_parser *p)
{
    struct expr_constant_set cs1, cs2;
    enum expr_relop r1, r2;
    struct expr_field f;
    struct expr *e;

    if (!parse_constant_set(p, &cs1)) {
        expr_constant_set_destroy(&cs1);
        return NULL;
    }
    if (!parse_relop(p, &r1)) {
        expr_constant_set_destroy(&cs1);
        return NULL;
    }
    if (p->lexer->token.type != LEX_T_ID || !parse_field(p, &f)) {
        if (!p->error) {
            parse_syntax_error(p, "expecting field name.");
        }
        expr_constant_set_destroy(&cs1);
        return NULL;
    }
    e = make_cmp(p, &f, relop_mirror(r1), &cs1);
    if (!e || !relop_from_token(p->lexer->token.type, &r2)) {
        return e;
    }

    /* "c1 <= f <= c2" and the like. */
    lexer_get(p->lexer);
    if (!parse_constant_set(p, &cs2)) {
        expr_constant_set_destroy(&cs2);
        expr_destroy(e);
        return NULL;
    }
    struct expr *e2 = make_cmp(p, &f, r2, &cs2);
    if (!e2) {
        expr_destroy(e);
        return NULL;
    }
    return expr_combine(EXPR_T_AND, e, e2);
}

/* Parses a comparison or Boolean use of a field, after its name. */
static struct expr *
parse_field_use(struct expr_parser *p, bool *is_relational)
{
    struct expr_constant_set cs;
    struct expr_field f;
    enum expr_relop relop;

    if (!parse_field(p, &f)) {
        return NULL;
    }
    if (relop_from_token(p->lexer->token.type, &relop)) {
        lexer_get(p->lexer);
        *is_relational = true;
        if (!parse_constant_set(p, &cs)) {
            expr_constant_set_destroy(&cs);
            return NULL;
        }
        return make_cmp(p, &f, relop, &cs);
    }

    /* A Boolean use: a predicate or a 1-bit field means "== 1". */
    if (f.symbol->expansion) {
        return parse_expansion(p, f.symbol);
    } else if (f.n_bits != 1) {
        if (expr_symbol_is_string(f.symbol)) {
            parse_error(p, "String field %s may not be used as a "
                        "Boolean.", f.symbol->name);
        } else {
            parse_error(p, "Explicit `!= 0' is required for inequality "
                        "test of multibit field %s against 0.",
                        f.symbol->name);
        }
        return NULL;
    }

    struct expr_constant one;
    memset(&one, 0, sizeof one);
    bitwise_put_bit(&one.value, SV_BYTES, 0, true);
    return make_integer_cmp(p, &f, EXPR_R_EQ, &one);
}

/* Parses is_chassis_resident("port"), after the name. */
static struct expr *
parse_chassis_resident(struct expr_parser *p)
{
    struct expr *e;

    if (!parse_expect(p, LEX_T_LPAREN, "(")) {
        return NULL;
    }
    if (p->lexer->token.type != LEX_T_STRING) {
        parse_syntax_error(p, "expecting string.");
        return NULL;
    }
    e = xzalloc(sizeof *e);
    e->type = EXPR_T_CONDITION;
    e->cond.port = xstrdup(p->lexer->token.s);
    lexer_get(p->lexer);
    if (!parse_expect(p, LEX_T_RPAREN, ")")) {
        expr_destroy(e);
        return NULL;
    }
    return e;
}

/* Parses a parenthesized expression, function, comparison or Boolean.
 * Sets '*is_relational' if it was an unparenthesized comparison. */
static struct expr *
parse_primary(struct expr_parser *p, bool *is_relational)
{
    struct lexer *lexer = p->lexer;
    const struct lex_token *t = &lexer->token;

    *is_relational = false;
    if (lexer_match(lexer, LEX_T_LPAREN)) {
        struct expr *e;

        if (!parse_enter(p)) {
            return NULL;
        }
        e = parse_or_and(p);
        parse_leave(p);
        if (e && !parse_expect(p, LEX_T_RPAREN, ")")) {
            expr_destroy(e);
            return NULL;
        }
        return e;
    } else if (t->type == LEX_T_ID) {
        if (!strcmp(t->s, "is_chassis_resident")
            && lexer_lookahead(lexer) == LEX_T_LPAREN) {
            lexer_get(lexer);
            return parse_chassis_resident(p);
        }
        return parse_field_use(p, is_relational);
    } else if (t->type == LEX_T_INTEGER && t->format == LEX_F_DECIMAL
               && bitwise_is_all_zeros(&t->value, SV_BYTES, 1,
                                       SV_BYTES * 8 - 1)) {
        enum expr_relop relop;

        if (!relop_from_token(lexer_lookahead(lexer), &relop)) {
            bool b = bitwise_get_bit(&t->value, SV_BYTES, 0);
            lexer_get(lexer);
            return expr_create_boolean(b);
        }
    } else if (t->type == LEX_T_END) {
        parse_syntax_error(p, "expecting expression.");
        return NULL;
    }

    if (t->type == LEX_T_INTEGER || t->type == LEX_T_MASKED_INTEGER
        || t->type == LEX_T_STRING || t->type == LEX_T_MACRO
        || t->type == LEX_T_PORT_GROUP || t->type == LEX_T_LCURLY) {
        *is_relational = true;
        return parse_constant_first(p);
    } else if (t->type == LEX_T_ERROR) {
        parse_syntax_error(p, "%s", t->s);
        return NULL;
    } else {
        parse_syntax_error(p, "expecting field name.");
        return NULL;
    }
}

/* Parses a `!'-prefixed or plain primary. */
static struct expr *
parse_not(struct expr_parser *p, bool *is_relational)
{
    struct expr *e;
    bool sub_relational;

    if (!lexer_match(p->lexer, LEX_T_LOG_NOT)) {
        return parse_primary(p, is_relational);
    }
    if (!parse_enter(p)) {
        return NULL;
    }
    e = parse_not(p, &sub_relational);
    parse_leave(p);
    *is_relational = false;
    if (e && sub_relational) {
        parse_error(p, "Missing parentheses around operand of !.");
        expr_destroy(e);
        return NULL;
    }
    return e ? expr_negate(e) : NULL;
}

/* Parses a sequence of operands joined by && or by ||. */
static struct expr *
parse_or_and(struct expr_parser *p)
{
    struct lexer *lexer = p->lexer;
    enum lex_type op;
    bool is_relational;
    struct expr *e;

    e = parse_not(p, &is_relational);
    if (!e) {
        return NULL;
    }
    op = lexer->token.type;
    if (op != LEX_T_LOG_AND && op != LEX_T_LOG_OR) {
        return e;
    }
    while (lexer->token.type == LEX_T_LOG_AND
           || lexer->token.type == LEX_T_LOG_OR) {
        struct expr *sub;

        if (lexer->token.type != op) {
            parse_syntax_error(p, "&& and || must be parenthesized when "
                               "used together.");
            expr_destroy(e);
            return NULL;
        }
        lexer_get(lexer);
        sub = parse_not(p, &is_relational);
        if (!sub) {
            expr_destroy(e);
            return NULL;
        }
        e = expr_combine(op == LEX_T_LOG_AND ? EXPR_T_AND : EXPR_T_OR,
                         e, sub);
    }
    return e;
}

/* Parses the expansion of predicate 'symbol'. */
static struct expr *
parse_expansion(struct expr_parser *p, const struct expr_symbol *symbol)
{
    struct expr_parser sub;
    struct lexer lexer;
    struct expr *e;

    if (!parse_enter(p)) {
        return NULL;
    }
    lexer_init(&lexer, symbol->expansion);
    lexer_get(&lexer);
    sub = (struct expr_parser) {
        .lexer = &lexer, .ctx = p->ctx, .depth = p->depth,
    };
    e = parse_or_and(&sub);
    if (e && lexer.token.type != LEX_T_END) {
        parse_syntax_error(&sub, "expecting end of input.");
    }
    if (sub.error) {
        parse_error(p, "Error parsing expansion of %s: %s", symbol->name,
                    sub.error);
        free(sub.error);
        expr_destroy(e);
        e = NULL;
    }
    lexer_destroy(&lexer);
    parse_leave(p);
    return e;
}

/* Checks that nominal and string fields are tested only with == once every
 * `!' is accounted for. */
static bool
parse_check_nominal(struct expr_parser *p, const struct expr *e)
{
    const struct expr *sub;

    switch (e->type) {
    case EXPR_T_CMP:
        if (e->cmp.relop != EXPR_R_EQ
            && e->cmp.symbol->level == EXPR_L_NOMINAL) {
            parse_error(p, "Nominal field %s may only be tested for "
                        "equality (taking enclosing `!' operators into "
                        "account).", e->cmp.symbol->name);
            return false;
        }
        return true;
    case EXPR_T_AND:
    case EXPR_T_OR:
        LIST_FOR_EACH (sub, node, &e->andor) {
            if (!parse_check_nominal(p, sub)) {
                return false;
            }
        }
        return true;
    case EXPR_T_BOOLEAN:
    case EXPR_T_CONDITION:
        return true;
    }
    OVS_NOT_REACHED();
}

/* Parses 'string' as a match expression in the context 'ctx'.  Returns the
 * expression (owned by the caller), or NULL and a malloc'd error message in
 * '*errorp'.  Template variables (^name) are expanded first. */
struct expr *
expr_parse_string(const char *string, const struct expr_parse_ctx *ctx,
                  char **errorp)
{
    struct expr_parser p = { .ctx = ctx };
    struct lexer lexer;
    char *expanded = NULL;
    struct expr *e = NULL;

    COVERAGE_INC(expr_parse);
    *errorp = NULL;
    if (strchr(string, '^')) {
        *errorp = lex_template_expand(string, ctx->templates, &expanded);
        if (*errorp) {
            COVERAGE_INC(expr_parse_error);
            return NULL;
        }
        string = expanded;
    }

    lexer_init(&lexer, string);
    lexer_get(&lexer);
    p.lexer = &lexer;
    e = parse_or_and(&p);
    if (e && lexer.token.type != LEX_T_END) {
        parse_syntax_error(&p, "expecting end of input.");
    }
    if (e && !p.error) {
        parse_check_nominal(&p, e);
    }
    lexer_destroy(&lexer);
    free(expanded);

    if (p.error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

        COVERAGE_INC(expr_parse_error);
        VLOG_DBG_RL(&rl, "\"%s\": %s", string, p.error);
        expr_destroy(e);
        *errorp = p.error;
        return NULL;
    }
    return e;
}

/* Parses 's' as a field or subfield name ("reg0", "reg0[3..5]",
 * "vlan.vid") and stores the OVS subfield it stands for in '*sf'.  Returns
 * NULL, or a malloc'd error. */
char *
expr_parse_field(const char *s, const struct shash *symtab,
                 struct mf_subfield *sf)
{
    struct expr_parse_ctx ctx = { .symtab = symtab };
    struct expr_parser p = { .ctx = &ctx };
    const struct expr_symbol *base;
    struct expr_field f;
    struct lexer lexer;
    int ofs;

    lexer_init(&lexer, s);
    lexer_get(&lexer);
    p.lexer = &lexer;
    if (lexer.token.type != LEX_T_ID) {
        parse_syntax_error(&p, "expecting field name.");
    } else if (parse_field(&p, &f)) {
        if (lexer.token.type != LEX_T_END) {
            parse_syntax_error(&p, "expecting end of input.");
        } else if (f.symbol->expansion) {
            parse_error(&p, "Predicate %s is not a field.", f.symbol->name);
        } else {
            expr_symbol_resolve(f.symbol, &base, &ofs);
            sf->field = base->field;
            sf->ofs = ofs + f.ofs;
            sf->n_bits = f.n_bits ? f.n_bits : base->field->n_bits;
        }
    }
    lexer_destroy(&lexer);
    return p.error;
}
