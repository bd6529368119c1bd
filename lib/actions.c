/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Logical flow actions: the class table built from LACT_CLASSES, the
 * statement parser, and the basic actions (output, drop, next,
 * assignments, push/pop, set_queue, check_pkt_larger).  The other families
 * live in actions-*.c. */

#include <config.h>
#include "actions-private.h"

#include <stdarg.h>
#include <string.h>
#include "byte-order.h"
#include "coverage.h"
#include "id-table.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovn/of-tables.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(actions);
COVERAGE_DEFINE(lact_parse_error);

/* The class table, built from the one list. */
static const struct lact_class lact_classes[] = {
#define X(ENUM, KEYWORD, SYNTAX, FAMILY, PARAM)                         \
    { LACT_##ENUM, KEYWORD, LACT_SYNTAX_##SYNTAX, lact_##FAMILY##_parse, \
      lact_##FAMILY##_format, lact_##FAMILY##_encode,                  \
      lact_##FAMILY##_destroy, PARAM },
    LACT_CLASSES(X)
#undef X
};
BUILD_ASSERT_DECL(ARRAY_SIZE(lact_classes) == LACT_N_TYPES);

static const char *const lact_names[] = {
#define X(ENUM, KEYWORD, SYNTAX, FAMILY, PARAM) #ENUM,
    LACT_CLASSES(X)
#undef X
};

const struct lact_class *
lact_class_get(enum lact_type type)
{
    ovs_assert((unsigned) type < LACT_N_TYPES);
    return &lact_classes[type];
}

/* Returns the enumerator name of 'type' ("OUTPUT", "CT_LB_MARK", ...). */
const char *
lact_type_name(enum lact_type type)
{
    return (unsigned) type < LACT_N_TYPES ? lact_names[type] : "UNKNOWN";
}

static const struct lact_class *
lact_class_by_keyword(const char *keyword, enum lact_syntax syntax)
{
    for (size_t i = 0; i < LACT_N_TYPES; i++) {
        const struct lact_class *c = &lact_classes[i];
        if (c->keyword && c->syntax == syntax && !strcmp(c->keyword, keyword)) {
            return c;
        }
    }
    return NULL;
}

/* Parsing helpers. */

/* Returns a malloc'd error about the current token, with 'format'. */
char *
lact_error(const struct lact_parser *p, const char *format, ...)
{
    va_list args;
    char *msg;

    va_start(args, format);
    msg = xvasprintf(format, args);
    va_end(args);

    char *error = lexer_error(p->lexer, "%s", msg);
    free(msg);
    return error;
}

/* Consumes a token of 'type' or returns an error naming 'what'. */
char *
lact_expect(struct lact_parser *p, enum lex_type type, const char *what)
{
    return lexer_match(p->lexer, type) ? NULL
           : lact_error(p, "expecting `%s'.", what);
}

/* Consumes the identifier 'id' or returns an error. */
char *
lact_expect_id(struct lact_parser *p, const char *id)
{
    return lexer_match_id(p->lexer, id) ? NULL
           : lact_error(p, "expecting `%s'.", id);
}

void
lact_add_prereq(struct lact_parser *p, const char *prereq)
{
    if (p->prereqs.length) {
        ds_put_cstr(&p->prereqs, " && ");
    }
    ds_put_format(&p->prereqs, "(%s)", prereq);
}

/* Adds the prerequisites of 'symbol' and of every symbol it is a subfield
 * of. */
void
lact_add_field_prereqs(struct lact_parser *p, const struct expr_symbol *sym)
{
    for (; sym; sym = sym->parent) {
        if (sym->prereqs && sym->prereqs[0]) {
            lact_add_prereq(p, sym->prereqs);
        }
    }
}

/* Parses a field or subfield reference: NAME or NAME[N] or NAME[A..B]. */
char *
lact_parse_field(struct lact_parser *p, struct lact_field *f)
{
    struct lexer *lexer = p->lexer;

    memset(f, 0, sizeof *f);
    if (lexer->token.type != LEX_T_ID) {
        return lact_error(p, "expecting field name.");
    }
    const struct expr_symbol *sym = expr_symtab_lookup(p->ctx->symtab,
                                                       lexer->token.s);
    if (!sym) {
        return lact_error(p, "unknown field `%s'.", lexer->token.s);
    }
    if (sym->expansion) {
        return lact_error(p, "predicate `%s' is not a field.", sym->name);
    }
    lexer_get(lexer);

    f->symbol = sym;
    f->ofs = 0;
    f->n_bits = sym->width;
    if (!lexer_match(lexer, LEX_T_LSQUARE)) {
        lact_add_field_prereqs(p, sym);
        return NULL;
    }
    if (expr_symbol_is_string(sym) || sym->level != EXPR_L_ORDINAL) {
        return lact_error(p, "cannot select subfield of non-ordinal field "
                          "`%s'.", sym->name);
    }

    int lo, hi;
    if (!lexer_get_int(lexer, &lo)) {
        return lact_error(p, "expecting bit index.");
    }
    hi = lo;
    if (lexer_match(lexer, LEX_T_ELLIPSIS) && !lexer_get_int(lexer, &hi)) {
        return lact_error(p, "expecting bit index.");
    }
    if (!lexer_match(lexer, LEX_T_RSQUARE)) {
        return lact_error(p, "expecting `]'.");
    }
    if (hi < lo || hi >= sym->width) {
        return xasprintf("Invalid subfield %s[%d..%d] of %d-bit field.",
                         sym->name, lo, hi, sym->width);
    }
    f->ofs = lo;
    f->n_bits = hi - lo + 1;
    f->subscripted = true;
    lact_add_field_prereqs(p, sym);
    return NULL;
}

/* Parses a field argument that must be 'width' bits wide (0 for a string
 * field, -1 for any width); 'what' names it in errors. */
char *
lact_parse_field_arg(struct lact_parser *p, struct lact_field *f,
                     int width, const char *what)
{
    char *error = lact_parse_field(p, f);
    if (error) {
        return error;
    }
    if (width == 0 && !expr_symbol_is_string(f->symbol)) {
        return xasprintf("%s must be a string field, but `%s' is not.",
                         what, f->symbol->name);
    }
    if (width > 0 && (expr_symbol_is_string(f->symbol)
                      || f->n_bits != width)) {
        return xasprintf("%s must be a %d-bit field, but `%s' has %d bits.",
                         what, width, f->symbol->name, f->n_bits);
    }
    return NULL;
}

/* Parses the parenthesized argument list of 'act', 'n' field arguments:
 * argument i must be 'widths[i]' bits wide (as for lact_parse_field_arg())
 * and is called 'names[i]' in errors.  Stores them in 'act->args' (newly
 * allocated), counting each in 'act->n_args' as it is parsed, so that
 * destroying 'act' after an error frees those parsed. */
char *
lact_parse_field_args(struct lact_parser *p, struct lact *act, int n,
                      const int widths[], const char *const names[])
{
    const char *name = lact_class_get(act->type)->keyword;
    char *error = lact_expect(p, LEX_T_LPAREN, "(");
    if (error) {
        return error;
    }
    act->args = xcalloc(MAX(n, 1), sizeof *act->args);
    for (int i = 0; i < n; i++) {
        if (i && (error = lact_expect(p, LEX_T_COMMA, ","))) {
            return error;
        }
        char *what = xasprintf("%s() %s argument", name, names[i]);
        error = lact_parse_field_arg(p, &act->args[i], widths[i], what);
        free(what);
        if (error) {
            return error;
        }
        act->n_args++;
    }
    return lact_expect(p, LEX_T_RPAREN, ")");
}

/* Parses a constant: a string, or an integer with optional mask. */
char *
lact_parse_const(struct lact_parser *p, struct lact_const *c)
{
    struct lex_token *t = &p->lexer->token;

    memset(c, 0, sizeof *c);
    if (t->type == LEX_T_STRING) {
        c->string = xstrdup(t->s);
    } else if (t->type == LEX_T_INTEGER || t->type == LEX_T_MASKED_INTEGER) {
        c->value = t->value;
        c->format = t->format;
        if (t->type == LEX_T_MASKED_INTEGER) {
            c->mask = t->mask;
            c->masked = true;
        }
    } else {
        return lact_error(p, "expecting constant.");
    }
    lexer_get(p->lexer);
    return NULL;
}

/* Parses a decimal integer in [min, max] into '*value'. */
char *
lact_parse_int(struct lact_parser *p, int64_t min, int64_t max,
               const char *what, int64_t *value)
{
    const struct lex_token *t = &p->lexer->token;
    if (t->type != LEX_T_INTEGER || t->format != LEX_F_DECIMAL
        || !bitwise_is_all_zeros(&t->value, sizeof t->value, 63,
                                 sizeof t->value * 8 - 63)) {
        return lact_error(p, "expecting %s (an integer).", what);
    }
    int64_t v = ntohll(t->value.integer);
    if (v < min || v > max) {
        return lact_error(p, "%s must be in range %"PRId64" to %"PRId64".",
                          what, min, max);
    }
    *value = v;
    lexer_get(p->lexer);
    return NULL;
}

/* Parses a quoted string into malloc'd '*value'. */
char *
lact_parse_string(struct lact_parser *p, const char *what, char **value)
{
    if (p->lexer->token.type != LEX_T_STRING) {
        return lact_error(p, "expecting %s (a quoted string).", what);
    }
    *value = xstrdup(p->lexer->token.s);
    lexer_get(p->lexer);
    return NULL;
}

/* Checks that result 'act->dst' is a writable 'width'-bit field ('width'
 * 0: string; -1: any integer width). */
char *
lact_check_result(struct lact_parser *p OVS_UNUSED, const struct lact *act,
                  int width)
{
    const struct lact_field *f = &act->dst;
    const char *name = lact_class_get(act->type)->keyword;

    if (!f->symbol->rw) {
        return xasprintf("Field %s is not modifiable.", f->symbol->name);
    }
    if (width == 0) {
        if (!expr_symbol_is_string(f->symbol)) {
            return xasprintf("%s() result must be a string field.", name);
        }
    } else if (expr_symbol_is_string(f->symbol)) {
        return xasprintf("%s() result must be an integer field.", name);
    } else if (width > 0 && f->n_bits != width) {
        return xasprintf("%s() result must be a %d-bit field, but `%s' "
                         "has %d bits.", name, width, f->symbol->name,
                         f->n_bits);
    }
    return NULL;
}

/* Returns true if a list may grow past 'n' elements. */
bool
lact_list_push_check(const struct lact_parser *p OVS_UNUSED, size_t n)
{
    return n < LACT_MAX_LIST;
}

static struct lact *
lact_list_add(struct lact_list *list)
{
    if (list->n >= list->allocated) {
        list->acts = x2nrealloc(list->acts, &list->allocated,
                                sizeof *list->acts);
    }
    struct lact *act = &list->acts[list->n++];
    memset(act, 0, sizeof *act);
    return act;
}

static void
lact_destroy(struct lact *act)
{
    lact_class_get(act->type)->destroy(act);
    free(act->value.string);
    free(act->args);
    lact_list_destroy(act->nested);
    free(act->nested);
    free(act->text);
}

/* Frees the actions in 'list' (NULL-safe); 'list' itself is not freed. */
void
lact_list_destroy(struct lact_list *list)
{
    if (list) {
        for (size_t i = 0; i < list->n; i++) {
            lact_destroy(&list->acts[i]);
        }
        free(list->acts);
        list->acts = NULL;
        list->n = list->allocated = 0;
    }
}

static char *assign_check(const struct lact *) OVS_WARN_UNUSED_RESULT;
static char *parse_actions(struct lact_parser *, struct lact_list *,
                           enum lex_type end) OVS_WARN_UNUSED_RESULT;

/* Parses "{ ACTIONS }" into a new malloc'd list in '*listp'. */
char *
lact_parse_nested(struct lact_parser *p, struct lact_list **listp)
{
    char *error = lact_expect(p, LEX_T_LCURLY, "{");
    if (error) {
        return error;
    }
    if (p->depth >= LACT_MAX_DEPTH) {
        return lact_error(p, "actions nested more than %d levels deep.",
                          LACT_MAX_DEPTH);
    }
    *listp = xzalloc(sizeof **listp);
    p->depth++;
    error = parse_actions(p, *listp, LEX_T_RCURLY);
    p->depth--;
    return error ? error : lact_expect(p, LEX_T_RCURLY, "}");
}

/* The statement parser. */

static char *
parse_assignment(struct lact_parser *p, struct lact_list *list)
{
    struct lexer *lexer = p->lexer;
    struct lact_field dst;
    char *error;

    if (lexer->token.type == LEX_T_ID
        && (!strcmp(lexer->token.s, "icmp4.frag_mtu")
            || !strcmp(lexer->token.s, "icmp6.frag_mtu"))) {
        struct lact *act = lact_list_add(list);
        act->type = LACT_OVN_FIELD;
        return lact_ctlr_parse(p, act);
    }

    error = lact_parse_field(p, &dst);
    if (error) {
        return error;
    }

    if (lexer_match(lexer, LEX_T_DECREMENT)) {
        struct lact *act = lact_list_add(list);
        act->type = LACT_DEC_TTL;
        act->dst = dst;
        return strcmp(dst.symbol->name, "ip.ttl")
               ? xasprintf("`--' applies only to ip.ttl, not to %s.",
                           dst.symbol->name)
               : NULL;
    }

    if (lexer_match(lexer, LEX_T_EXCHANGE)) {
        struct lact *act = lact_list_add(list);
        act->type = LACT_EXCHANGE;
        act->dst = dst;
        error = lact_parse_field(p, &act->src);
        return error ? error : assign_check(act);
    }

    if (!lexer_match(lexer, LEX_T_EQUALS)) {
        return lact_error(p, "expecting `=', `<->' or `--' after field.");
    }

    /* R = function(...)? */
    if (lexer->token.type == LEX_T_ID
        && (lexer_lookahead(lexer) == LEX_T_LPAREN
            || lact_class_by_keyword(lexer->token.s, LACT_SYNTAX_RESULT))) {
        const struct lact_class *c
            = lact_class_by_keyword(lexer->token.s, LACT_SYNTAX_RESULT);
        if (!c) {
            return lact_error(p, "`%s' is not a function with a result.",
                              lexer->token.s);
        }
        lexer_get(lexer);
        struct lact *act = lact_list_add(list);
        act->type = c->type;
        act->dst = dst;
        return c->parse(p, act);
    }

    struct lact *act = lact_list_add(list);
    act->dst = dst;
    if (lexer->token.type == LEX_T_ID) {
        act->type = LACT_MOVE;
        error = lact_parse_field(p, &act->src);
    } else {
        act->type = LACT_LOAD;
        error = lact_parse_const(p, &act->value);
    }
    return error ? error : assign_check(act);
}

static char *
parse_statement(struct lact_parser *p, struct lact_list *list)
{
    struct lexer *lexer = p->lexer;

    if (lexer->token.type != LEX_T_ID) {
        return lact_error(p, "expecting action.");
    }

    const struct lact_class *c = lact_class_by_keyword(lexer->token.s,
                                                       LACT_SYNTAX_STMT);
    enum lex_type next = lexer_lookahead(lexer);
    if (c && next != LEX_T_EQUALS && next != LEX_T_EXCHANGE
        && next != LEX_T_DECREMENT && next != LEX_T_LSQUARE) {
        lexer_get(lexer);
        struct lact *act = lact_list_add(list);
        act->type = c->type;
        return c->parse(p, act);
    }
    if (lact_class_by_keyword(lexer->token.s, LACT_SYNTAX_RESULT)
        && next == LEX_T_LPAREN) {
        return lact_error(p, "`%s' must be used as \"R = %s(...)\".",
                          lexer->token.s, lexer->token.s);
    }
    return parse_assignment(p, list);
}

static char *
parse_actions(struct lact_parser *p, struct lact_list *list,
              enum lex_type end)
{
    struct lexer *lexer = p->lexer;

    while (lexer->token.type != end) {
        if (lexer->token.type == LEX_T_END) {
            return lact_error(p, "expecting `}'.");
        }
        if (list->n >= LACT_MAX_LIST) {
            return lact_error(p, "more than %d actions in one list.",
                              LACT_MAX_LIST);
        }
        char *error = parse_statement(p, list);
        if (error) {
            return error;
        }
        if (!lexer_match(lexer, LEX_T_SEMICOLON)) {
            return lact_error(p, "expecting `;'.");
        }
    }

    for (size_t i = 0; i < list->n; i++) {
        if (list->acts[i].type == LACT_DROP && list->n > 1) {
            return xstrdup("\"drop;\" must be the only action.");
        }
    }
    return NULL;
}

/* Parses 's' into 'list' (which must be empty).  On success returns NULL
 * and, if 'prereqsp' is nonnull, stores in '*prereqsp' a malloc'd match
 * expression that the flow's match must be ANDed with (the prerequisites
 * of the fields the actions use), or NULL if there are none.  On failure
 * returns a malloc'd error, leaves 'list' empty and '*prereqsp' NULL. */
char *
lact_parse(const char *s, const struct lact_parse_ctx *ctx,
           struct lact_list *list, char **prereqsp)
{
    struct lexer lexer;
    struct lact_parser p = {
        .lexer = &lexer,
        .ctx = ctx,
        .depth = 0,
        .prereqs = DS_EMPTY_INITIALIZER,
    };

    lexer_init(&lexer, s);
    lexer_get(&lexer);
    char *error = parse_actions(&p, list, LEX_T_END);
    lexer_destroy(&lexer);

    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
        COVERAGE_INC(lact_parse_error);
        VLOG_DBG_RL(&rl, "\"%s\": %s", s, error);
        lact_list_destroy(list);
        ds_destroy(&p.prereqs);
        if (prereqsp) {
            *prereqsp = NULL;
        }
        return error;
    }
    if (prereqsp) {
        *prereqsp = p.prereqs.length ? ds_steal_cstr(&p.prereqs) : NULL;
    }
    ds_destroy(&p.prereqs);
    return NULL;
}

/* Formatting. */

void
lact_field_format(const struct lact_field *f, struct ds *s)
{
    ds_put_cstr(s, f->symbol->name);
    if (f->subscripted) {
        if (f->n_bits == 1) {
            ds_put_format(s, "[%d]", f->ofs);
        } else {
            ds_put_format(s, "[%d..%d]", f->ofs, f->ofs + f->n_bits - 1);
        }
    }
}

void
lact_const_format(const struct lact_const *c, struct ds *s)
{
    if (c->string) {
        lex_format_string(c->string, s);
    } else if (c->masked) {
        lex_format_masked_value(&c->value, &c->mask, c->format, s);
    } else {
        lex_format_value(&c->value, c->format, s);
    }
}

/* Appends "{ ACTIONS }" for 'list'. */
void
lact_format_block(const struct lact_list *list, struct ds *s)
{
    ds_put_cstr(s, " {");
    if (list && list->n) {
        ds_put_char(s, ' ');
        lact_list_format(list, s);
    }
    ds_put_cstr(s, " }");
}

/* Appends the canonical text of 'list' to 's': each action followed by
 * `;', separated by spaces.  An empty list formats as "". */
void
lact_list_format(const struct lact_list *list, struct ds *s)
{
    for (size_t i = 0; i < list->n; i++) {
        const struct lact *act = &list->acts[i];
        if (i) {
            ds_put_char(s, ' ');
        }
        lact_class_get(act->type)->format(act, s);
        ds_put_char(s, ';');
    }
}

/* Encoding. */

/* Resolves 'f' to the OpenFlow subfield it names. */
void
lact_field_subfield(const struct lact_field *f, struct mf_subfield *sf)
{
    const struct expr_symbol *base;
    int ofs;

    expr_symbol_resolve(f->symbol, &base, &ofs);
    sf->field = base->field;
    if (expr_symbol_is_string(f->symbol)) {
        sf->ofs = 0;
        sf->n_bits = base->field->n_bits;
    } else {
        sf->ofs = ofs + f->ofs;
        sf->n_bits = f->n_bits;
    }
}

/* Sets 'sf' to the whole field 'id'. */
void
lact_subfield_whole(enum mf_field_id id, struct mf_subfield *sf)
{
    sf->field = mf_from_id(id);
    sf->ofs = 0;
    sf->n_bits = sf->field->n_bits;
}

/* Appends a load of the low 'sf->n_bits' bits of 'value' (under 'mask', or
 * all of them if 'mask' is NULL) into 'sf'.
 *
 * Every byte of the ofpact is written, padding included, so that the same
 * load always encodes to the same bytes (ofctrl compares desired and
 * installed actions byte for byte).  OVS 3.1's ofpact_put_set_field() given
 * a value leaves the padding after the value and after the mask
 * uninitialized; given none, it zero-fills both, and we copy ours in. */
void
lact_put_load(struct ofpbuf *ofpacts, const struct mf_subfield *sf,
              const union mf_subvalue *value, const union mf_subvalue *mask)
{
    union mf_value v, m;
    const struct mf_field *field = sf->field;
    struct ofpact_set_field *set;

    memset(&v, 0, sizeof v);
    memset(&m, 0, sizeof m);
    bitwise_copy(value, sizeof *value, 0, &v, field->n_bytes, sf->ofs,
                 sf->n_bits);
    if (mask) {
        bitwise_copy(mask, sizeof *mask, 0, &m, field->n_bytes, sf->ofs,
                     sf->n_bits);
    } else {
        bitwise_one(&m, field->n_bytes, sf->ofs, sf->n_bits);
    }
    set = ofpact_put_set_field(ofpacts, field, NULL, NULL);
    memcpy(set->value, &v, field->n_bytes);
    memcpy(ofpact_set_field_mask(set), &m, field->n_bytes);
}

/* Appends a load of integer 'value' into bits [ofs, ofs + n_bits) of field
 * 'id'. */
void
lact_put_load_u64(struct ofpbuf *ofpacts, enum mf_field_id id, int ofs,
                  int n_bits, uint64_t value)
{
    struct mf_subfield sf = { .field = mf_from_id(id), .ofs = ofs,
                              .n_bits = n_bits };
    union mf_subvalue v;

    memset(&v, 0, sizeof v);
    v.integer = htonll(value);
    lact_put_load(ofpacts, &sf, &v, NULL);
}

void
lact_put_move(struct ofpbuf *ofpacts, const struct mf_subfield *src,
              const struct mf_subfield *dst)
{
    struct ofpact_reg_move *move = ofpact_put_REG_MOVE(ofpacts);
    move->src = *src;
    move->dst = *dst;
}

void
lact_put_resubmit(struct ofpbuf *ofpacts, int table)
{
    struct ofpact_resubmit *r = ofpact_put_RESUBMIT(ofpacts);
    r->in_port = OFPP_IN_PORT;
    r->table_id = table;
}

void
lact_put_push(struct ofpbuf *ofpacts, const struct mf_subfield *sf)
{
    ofpact_put_STACK_PUSH(ofpacts)->subfield = *sf;
}

void
lact_put_pop(struct ofpbuf *ofpacts, const struct mf_subfield *sf)
{
    ofpact_put_STACK_POP(ofpacts)->subfield = *sf;
}

/* The OpenFlow table of the logical table after the flow's own. */
int
lact_next_oftable(const struct lact_encode_ctx *ctx)
{
    return oftable_for_logical(ctx->ingress, ctx->table + 1);
}

/* Takes a reference to the id for 'desc' in 'table' and records it in
 * 'ctx->refs'.  Returns 0 if there is no table or no free id. */
uint32_t
lact_take_id(const struct lact_encode_ctx *ctx, struct id_table *table,
             const char *desc)
{
    if (!table) {
        return 0;
    }
    uint32_t id = id_table_ref(table, desc);
    if (id && ctx->refs) {
        id_refs_add(ctx->refs, table, id);
    } else if (id) {
        id_table_unref(table, id);
    }
    return id;
}

/* Returns the meter for a controller action of operation 'op' whose own
 * meter is 'meter_id' (NX_CTLR_NO_METER if it has none): that one, or the
 * operation's meter if 'ctx' asks for them. */
uint32_t
lact_ctlr_meter(const struct lact_encode_ctx *ctx, enum ctlop_opcode op,
                uint32_t meter_id)
{
    return (meter_id != NX_CTLR_NO_METER || !ctx->ctlop_meters
            ? meter_id : ctlop_meter_id(op));
}

/* Open vSwitch 3.1 ignores the meter_id of a controller action that
 * pauses the packet (a continuation: put_dhcp_opts, put_dhcpv6_opts,
 * put_nd_ra_opts, dns_lookup): ofproto-dpif-xlate freezes the packet and
 * sends it up without the meter, so a flood of DHCP or DNS would reach the
 * daemon whole.  The encoder's caller therefore asks for that meter with
 * lact_paused_meter() and puts it in front of the flow's actions as an
 * OpenFlow meter instruction with lact_put_meter_first(): the datapath
 * then meters the packet before the flow's actions, which is what the
 * controller action's meter would have done (the packet goes no further
 * than the pause anyway). */
uint32_t
lact_paused_meter(const struct ofpbuf *ofpacts)
{
    const struct ofpact *a;

    OFPACT_FOR_EACH_FLATTENED (a, ofpacts->data, ofpacts->size) {
        if (a->type == OFPACT_CONTROLLER) {
            const struct ofpact_controller *c = ofpact_get_CONTROLLER(a);
            if (c->pause && c->meter_id != NX_CTLR_NO_METER) {
                return c->meter_id;
            }
        }
    }
    return NX_CTLR_NO_METER;
}

void
lact_put_meter_first(struct ofpbuf *ofpacts, uint32_t meter_id)
{
    struct ofpbuf rest;

    ofpbuf_init(&rest, ofpacts->size);
    ofpbuf_put(&rest, ofpacts->data, ofpacts->size);
    ofpbuf_clear(ofpacts);
    ofpact_put_METER(ofpacts)->meter_id = meter_id;
    ofpbuf_put(ofpacts, rest.data, rest.size);
    ofpacts->header = NULL;
    ofpbuf_uninit(&rest);
}

/* Appends the OpenFlow actions for 'list' to 'ofpacts'. */
void
lact_list_encode(const struct lact_list *list,
                 const struct lact_encode_ctx *ctx, struct ofpbuf *ofpacts)
{
    for (size_t i = 0; i < list->n; i++) {
        const struct lact *act = &list->acts[i];
        lact_class_get(act->type)->encode(act, ctx, ofpacts);
    }
}

/* Family "simple": output and drop. */

char *
lact_simple_parse(struct lact_parser *p OVS_UNUSED, struct lact *act OVS_UNUSED)
{
    return NULL;
}

void
lact_simple_format(const struct lact *act, struct ds *s)
{
    ds_put_cstr(s, lact_class_get(act->type)->keyword);
}

void
lact_simple_encode(const struct lact *act, const struct lact_encode_ctx *ctx,
              struct ofpbuf *ofpacts)
{
    if (act->type == LACT_OUTPUT) {
        lact_put_resubmit(ofpacts, ctx->ingress
                                   ? OFTABLE_OUTPUT_LARGE_PKT_DETECT
                                   : OFTABLE_SAVE_INPORT);
    }
    /* LACT_DROP: no actions. */
}

void
lact_simple_destroy(struct lact *act OVS_UNUSED)
{
}

/* Family "next": next; next(T); next(pipeline=P, table=T).
 * ints[0]: pipeline (-1: current, 0: ingress, 1: egress).
 * ints[1]: table (-1: the next one). */

static char *
next_parse_pipeline(struct lact_parser *p, struct lact *act)
{
    char *error = lact_expect(p, LEX_T_EQUALS, "=");
    if (error) {
        return error;
    }
    if (lexer_match_id(p->lexer, "ingress")) {
        act->ints[0] = 0;
    } else if (lexer_match_id(p->lexer, "egress")) {
        act->ints[0] = 1;
    } else {
        return lact_error(p, "pipeline must be `ingress' or `egress'.");
    }
    return NULL;
}

char *
lact_next_parse(struct lact_parser *p, struct lact *act)
{
    struct lexer *lexer = p->lexer;
    char *error = NULL;

    act->ints[0] = -1;
    act->ints[1] = -1;
    if (!lexer_match(lexer, LEX_T_LPAREN)) {
        return NULL;
    }
    if (lexer->token.type == LEX_T_INTEGER) {
        error = lact_parse_int(p, 0, 255, "table", &act->ints[1]);
    } else {
        do {
            if (lexer_match_id(lexer, "pipeline")) {
                error = next_parse_pipeline(p, act);
            } else if (lexer_match_id(lexer, "table")) {
                error = lact_expect(p, LEX_T_EQUALS, "=");
                if (!error) {
                    error = lact_parse_int(p, 0, 255, "table",
                                           &act->ints[1]);
                }
            } else {
                error = lact_error(p, "expecting `pipeline' or `table'.");
            }
        } while (!error && lexer_match(lexer, LEX_T_COMMA));
    }
    if (error) {
        return error;
    }
    error = lact_expect(p, LEX_T_RPAREN, ")");
    if (error) {
        return error;
    }

    bool ingress = act->ints[0] < 0 ? p->ctx->ingress : !act->ints[0];
    int n_tables = (act->ints[0] < 0 && p->ctx->n_tables
                    ? p->ctx->n_tables
                    : ingress ? OFTABLE_N_LOG_INGRESS : OFTABLE_N_LOG_EGRESS);
    if (act->ints[1] >= n_tables) {
        return xasprintf("\"next\" to table %"PRId64", but the %s pipeline "
                         "has only %d tables.", act->ints[1],
                         ingress ? "ingress" : "egress", n_tables);
    }
    return NULL;
}

void
lact_next_format(const struct lact *act, struct ds *s)
{
    ds_put_cstr(s, "next");
    if (act->ints[0] >= 0) {
        ds_put_format(s, "(pipeline=%s", act->ints[0] ? "egress" : "ingress");
        if (act->ints[1] >= 0) {
            ds_put_format(s, ", table=%"PRId64, act->ints[1]);
        }
        ds_put_char(s, ')');
    } else if (act->ints[1] >= 0) {
        ds_put_format(s, "(%"PRId64")", act->ints[1]);
    }
}

void
lact_next_encode(const struct lact *act, const struct lact_encode_ctx *ctx,
            struct ofpbuf *ofpacts)
{
    bool ingress = act->ints[0] < 0 ? ctx->ingress : !act->ints[0];
    int table = (act->ints[1] >= 0 ? act->ints[1]
                 : ingress == ctx->ingress ? ctx->table + 1
                 : 0);
    lact_put_resubmit(ofpacts, oftable_for_logical(ingress, table));
}

void
lact_next_destroy(struct lact *act OVS_UNUSED)
{
}

/* Family "assign": field = constant (LOAD), field = field (MOVE),
 * field <-> field (EXCHANGE), ip.ttl-- (DEC_TTL).  These have no keyword;
 * parse_assignment() above recognizes them. */

static char *
assign_check_field(const struct lact_field *f, bool write)
{
    if (write && !f->symbol->rw) {
        return xasprintf("Field %s is not modifiable.", f->symbol->name);
    }
    return NULL;
}

/* Checks the types and widths of an assignment's two sides. */
static char *
assign_check(const struct lact *act)
{
    const struct lact_field *dst = &act->dst;
    char *error = assign_check_field(dst, true);
    if (error) {
        return error;
    }
    bool dst_string = expr_symbol_is_string(dst->symbol);

    if (act->type == LACT_LOAD) {
        const struct lact_const *c = &act->value;
        if (dst_string != !!c->string) {
            return xasprintf("Cannot assign %s value to %s field %s.",
                             c->string ? "string" : "integer",
                             dst_string ? "string" : "integer",
                             dst->symbol->name);
        }
        if (c->string) {
            return NULL;
        }
        int max = sizeof c->value * 8;
        int hi = bitwise_rscan(&c->value, sizeof c->value, true, max - 1,
                               -1);
        if (c->masked) {
            int mhi = bitwise_rscan(&c->mask, sizeof c->mask, true,
                                    max - 1, -1);
            hi = MAX(hi, mhi);
        }
        if (hi >= dst->n_bits) {
            return xasprintf("%d-bit constant is not compatible with %d-bit "
                             "field %s.", hi + 1, dst->n_bits,
                             dst->symbol->name);
        }
        return NULL;
    }

    const struct lact_field *src = &act->src;
    error = assign_check_field(src, act->type == LACT_EXCHANGE);
    if (error) {
        return error;
    }
    if (dst_string != expr_symbol_is_string(src->symbol)) {
        return xasprintf("Cannot %s %s field %s %s %s field %s.",
                         act->type == LACT_EXCHANGE ? "exchange" : "assign",
                         expr_symbol_is_string(src->symbol)
                         ? "string" : "integer", src->symbol->name,
                         act->type == LACT_EXCHANGE ? "with" : "to",
                         dst_string ? "string" : "integer",
                         dst->symbol->name);
    }
    if (!dst_string && dst->n_bits != src->n_bits) {
        return xasprintf("Cannot %s %d-bit field %s %s %d-bit field %s.",
                         act->type == LACT_EXCHANGE ? "exchange" : "assign",
                         src->n_bits, src->symbol->name,
                         act->type == LACT_EXCHANGE ? "with" : "to",
                         dst->n_bits, dst->symbol->name);
    }
    return NULL;
}

char *
lact_assign_parse(struct lact_parser *p, struct lact *act OVS_UNUSED)
{
    /* Never called: the class has no keyword. */
    return lact_error(p, "internal error: assignment without operator.");
}

void
lact_assign_format(const struct lact *act, struct ds *s)
{
    lact_field_format(&act->dst, s);
    if (act->type == LACT_LOAD) {
        ds_put_cstr(s, " = ");
        lact_const_format(&act->value, s);
    } else if (act->type == LACT_MOVE || act->type == LACT_EXCHANGE) {
        ds_put_cstr(s, act->type == LACT_MOVE ? " = " : " <-> ");
        lact_field_format(&act->src, s);
    } else {
        ds_put_cstr(s, "--");
    }
}

static void
assign_encode_load(const struct lact *act, const struct lact_encode_ctx *ctx,
                   struct ofpbuf *ofpacts)
{
    struct mf_subfield dst;
    lact_field_subfield(&act->dst, &dst);

    if (act->value.string) {
        unsigned int key = 0;
        if (ctx->lookup_port) {
            ctx->lookup_port(ctx->aux, act->value.string, &key);
        }
        lact_put_load_u64(ofpacts, dst.field->id, dst.ofs, dst.n_bits, key);
    } else {
        lact_put_load(ofpacts, &dst, &act->value.value,
                      act->value.masked ? &act->value.mask : NULL);
    }
}

static void
put_dec_ttl(struct ofpbuf *ofpacts)
{
    struct ofpact_cnt_ids *ids = ofpact_put_DEC_TTL(ofpacts);
    uint16_t id = 0;

    ofpbuf_put(ofpacts, &id, sizeof id);
    ids = ofpacts->header;
    ids->n_controllers = 1;
    ofpact_finish_DEC_TTL(ofpacts, &ids);
}

void
lact_assign_encode(const struct lact *act, const struct lact_encode_ctx *ctx,
              struct ofpbuf *ofpacts)
{
    struct mf_subfield dst, src;

    if (act->type == LACT_LOAD) {
        assign_encode_load(act, ctx, ofpacts);
    } else if (act->type == LACT_DEC_TTL) {
        put_dec_ttl(ofpacts);
    } else {
        lact_field_subfield(&act->dst, &dst);
        lact_field_subfield(&act->src, &src);
        if (act->type == LACT_MOVE) {
            lact_put_move(ofpacts, &src, &dst);
        } else {
            lact_put_push(ofpacts, &dst);
            lact_put_push(ofpacts, &src);
            lact_put_pop(ofpacts, &dst);
            lact_put_pop(ofpacts, &src);
        }
    }
}

void
lact_assign_destroy(struct lact *act OVS_UNUSED)
{
}

/* Family "stack": push(field); pop(field). */

char *
lact_stack_parse(struct lact_parser *p, struct lact *act)
{
    char *error = lact_expect(p, LEX_T_LPAREN, "(");
    if (!error) {
        error = lact_parse_field(p, &act->dst);
    }
    if (!error && act->type == LACT_POP) {
        error = assign_check_field(&act->dst, true);
    }
    return error ? error : lact_expect(p, LEX_T_RPAREN, ")");
}

void
lact_stack_format(const struct lact *act, struct ds *s)
{
    ds_put_format(s, "%s(", lact_class_get(act->type)->keyword);
    lact_field_format(&act->dst, s);
    ds_put_char(s, ')');
}

void
lact_stack_encode(const struct lact *act,
             const struct lact_encode_ctx *ctx OVS_UNUSED,
             struct ofpbuf *ofpacts)
{
    struct mf_subfield sf;
    lact_field_subfield(&act->dst, &sf);
    if (act->type == LACT_PUSH) {
        lact_put_push(ofpacts, &sf);
    } else {
        lact_put_pop(ofpacts, &sf);
    }
}

void
lact_stack_destroy(struct lact *act OVS_UNUSED)
{
}

/* Family "misc": set_queue(N) (ints[0] = queue);
 * R = check_pkt_larger(L) (ints[0] = L). */

char *
lact_misc_parse(struct lact_parser *p, struct lact *act)
{
    char *error = lact_expect(p, LEX_T_LPAREN, "(");
    if (error) {
        return error;
    }
    if (act->type == LACT_SET_QUEUE) {
        error = lact_parse_int(p, 0, 61440, "queue number", &act->ints[0]);
    } else {
        error = lact_check_result(p, act, 1);
        if (!error) {
            error = lact_parse_int(p, 0, UINT16_MAX, "packet length",
                                   &act->ints[0]);
        }
    }
    return error ? error : lact_expect(p, LEX_T_RPAREN, ")");
}

void
lact_misc_format(const struct lact *act, struct ds *s)
{
    if (act->type == LACT_CHECK_PKT_LARGER) {
        lact_field_format(&act->dst, s);
        ds_put_cstr(s, " = ");
    }
    ds_put_format(s, "%s(%"PRId64")", lact_class_get(act->type)->keyword,
                  act->ints[0]);
}

void
lact_misc_encode(const struct lact *act,
            const struct lact_encode_ctx *ctx OVS_UNUSED,
            struct ofpbuf *ofpacts)
{
    if (act->type == LACT_SET_QUEUE) {
        ofpact_put_SET_QUEUE(ofpacts)->queue_id = act->ints[0];
    } else {
        struct ofpact_check_pkt_larger *c
            = ofpact_put_CHECK_PKT_LARGER(ofpacts);
        c->pkt_len = act->ints[0];
        lact_field_subfield(&act->dst, &c->dst);
    }
}

void
lact_misc_destroy(struct lact *act OVS_UNUSED)
{
}
