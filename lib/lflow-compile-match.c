/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* The match of a logical flow: parsed once, then compiled for one datapath
 * or for several at once.  See lflow-compile.h ("Local ports", "Several
 * datapaths at once") and lflow-compile-private.h.
 *
 * Parsing once.  The parser substitutes a port group's members where it
 * meets @name, but the members differ per datapath (the SB's
 * "<key>_<name>" groups) and, for the pipeline's local port field, per
 * chassis.  So the match is parsed with every port group standing for a
 * single placeholder string (PG_MARKER followed by its name), which is
 * resolved for each datapath, together with the port names, into
 * comparisons of the port's register with its tunnel key.
 *
 * Several datapaths.  For D datapaths the match is split into its
 * top-level conjuncts that compare ports (the datapath's part) and the
 * others (the shared part S).  Each datapath's part P_i is resolved and
 * normalized on its own; the whole becomes
 *
 *     (OR over i, over the clauses c of P_i: metadata == key_i && c) && S
 *
 * which is exact (S does not depend on the datapath), and the normalizer
 * turns the OR into one dimension of a conjunctive match when S has sets
 * of its own. */

#include <config.h>

#include "lflow-compile-private.h"

#include <string.h>

#include "byte-order.h"
#include "coverage.h"
#include "expr.h"
#include "lex.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(lflow_compile_match);

COVERAGE_DEFINE(lflow_compile_match_parse);
COVERAGE_DEFINE(lflow_compile_match_shared);
COVERAGE_DEFINE(lflow_compile_nonlocal_port);

/* Starts the placeholder string of a port group; the name follows.  No
 * logical port name contains a control character. */
#define PG_MARKER "\001@"

/* Parsing once. */

/* Adds to 'names' the port groups that 'text' names. */
static void
scan_port_groups(const char *text, struct sset *names)
{
    struct lexer lexer;

    lexer_init(&lexer, text);
    for (;;) {
        enum lex_type type = lexer_get(&lexer);
        if (type == LEX_T_END || type == LEX_T_ERROR) {
            break;
        } else if (type == LEX_T_PORT_GROUP) {
            sset_add(names, lexer.token.s);
        }
    }
    lexer_destroy(&lexer);
}

/* Fills 'sets' with a placeholder set for every port group the match of
 * 'p' names (after expanding its template variables, if they expand). */
static void
placeholder_sets(const struct lflow_compile_ctx *ctx,
                 const struct lflow_compile_parsed *p, struct shash *sets)
{
    struct sset names = SSET_INITIALIZER(&names);
    const char *name;
    char *expanded;

    char *error = lex_template_expand(p->match, ctx->templates, &expanded);
    if (error) {
        /* The parser will report it. */
        free(error);
        scan_port_groups(p->match, &names);
    } else {
        scan_port_groups(expanded, &names);
        free(expanded);
    }
    SSET_FOR_EACH (name, &names) {
        char *marker = xasprintf(PG_MARKER"%s", name);
        const char *values[] = { marker };
        expr_const_sets_add_strings(sets, name, values, 1);
        free(marker);
    }
    sset_destroy(&names);
}

/* Parses and annotates the match of 'p' once, with port groups left as
 * placeholders, into its cache.  Returns false if that failed (the error
 * is in the cache). */
static bool
match_parse(const struct lflow_compile_ctx *ctx,
            struct lflow_compile_parsed *p)
{
    if (p->match_parsed_) {
        return p->match_expr_ != NULL;
    }
    COVERAGE_INC(lflow_compile_match_parse);
    p->match_parsed_ = true;

    struct shash placeholders = SHASH_INITIALIZER(&placeholders);
    placeholder_sets(ctx, p, &placeholders);
    struct expr_parse_ctx pctx = {
        .symtab = ctx->symtab,
        .addr_sets = ctx->addr_sets,
        .port_groups = &placeholders,
        .templates = ctx->templates,
        .addr_sets_ref = &p->addr_sets_ref,
    };
    char *error;
    struct expr *e = expr_parse_string(p->match, &pctx, &error);
    if (e) {
        e = expr_annotate(e, ctx->symtab, &error);
    }
    expr_const_sets_destroy(&placeholders);
    p->match_expr_ = e;
    p->match_error_ = e ? NULL : error;
    return e != NULL;
}

void
lfc_match_destroy(struct lflow_compile_parsed *p)
{
    expr_destroy(p->match_expr_);
    free(p->match_error_);
    p->match_expr_ = NULL;
    p->match_error_ = NULL;
    p->match_parsed_ = false;
}

/* Resolving ports for a datapath. */

void
lfc_syms_init(struct lfc_syms *syms)
{
    const struct mf_field *mf = mf_from_id(MFF_METADATA);

    memset(syms, 0, sizeof *syms);
    syms->metadata = (struct expr_symbol) {
        .name = CONST_CAST(char *, mf->name),
        .width = mf->n_bits,
        .field = mf,
        .level = EXPR_L_ORDINAL,
        .format = LEX_F_HEXADECIMAL,
    };
}

/* Returns the integer symbol for the register of string symbol 's'. */
static const struct expr_symbol *
lfc_syms_reg(struct lfc_syms *syms, const struct expr_symbol *s)
{
    for (size_t i = 0; i < syms->n; i++) {
        if (syms->fields[i] == s->field) {
            return &syms->regs[i];
        }
    }
    ovs_assert(syms->n < ARRAY_SIZE(syms->regs));
    syms->fields[syms->n] = s->field;
    syms->regs[syms->n] = (struct expr_symbol) {
        .name = CONST_CAST(char *, s->field->name),
        .width = s->field->n_bits,
        .field = s->field,
        .level = EXPR_L_ORDINAL,
        .format = LEX_F_DECIMAL,
    };
    return &syms->regs[syms->n++];
}

/* Returns "symbol == value" for an integer symbol of up to 64 bits. */
static struct expr *
make_int_cmp(const struct expr_symbol *symbol, uint64_t value)
{
    struct expr *e = xzalloc(sizeof *e);

    e->type = EXPR_T_CMP;
    e->cmp.symbol = symbol;
    e->cmp.relop = EXPR_R_EQ;
    e->cmp.value.integer = htonll(value);
    bitwise_one(&e->cmp.mask, sizeof e->cmp.mask, 0, symbol->width);
    return e;
}

/* What resolving one datapath's ports needs. */
struct lfc_resolver {
    const struct lflow_compile_ctx *ctx;
    struct lflow_compile_parsed *p;
    const struct lflow_compile_dp *dp;
    struct lfc_syms *syms;
    const struct mf_field *local_field; /* The pipeline's own port field. */
    char *error;                        /* First error, or NULL. */
};

/* True if 'port', compared with string symbol 's', can match here. */
static bool
port_may_match(const struct lfc_resolver *r, const struct expr_symbol *s,
               const char *port)
{
    const struct lflow_compile_ctx *ctx = r->ctx;

    if (s->field != r->local_field || !ctx->is_local_port
        || ctx->is_local_port(ctx->local_port_aux, port)) {
        return true;
    }
    COVERAGE_INC(lflow_compile_nonlocal_port);
    return false;
}

/* Returns the comparison of string symbol 's' with 'port' resolved on the
 * datapath: its register == the port's key, or false if the port is not
 * on the datapath or cannot match here. */
static struct expr *
resolve_port(struct lfc_resolver *r, const struct expr_symbol *s,
             const char *port)
{
    const struct lflow_compile_dp *dp = r->dp;
    unsigned int key;

    if (!port_may_match(r, s, port)
        || !dp->lookup_port
        || !dp->lookup_port(dp->lookup_aux, port, &key)) {
        return expr_create_boolean(false);
    }
    return make_int_cmp(lfc_syms_reg(r->syms, s), key);
}

/* Returns the set of port group 'name' for the datapath, noting the names
 * looked up in the flow's references: the datapath's own "<key>_<name>",
 * and "<name>" when the datapath has none.  If 'local' and the context
 * has them, returns the set of local members of that group instead (and
 * stores true in '*filtered'). */
static const struct expr_constant_set *
find_port_group(struct lfc_resolver *r, const char *name, bool local,
                bool *filtered)
{
    const struct lflow_compile_ctx *ctx = r->ctx;
    const struct shash *pgs = ctx->port_groups;
    const struct expr_constant_set *cs = NULL;
    char *scoped = xasprintf("%"PRIu32"_%s", r->dp->key, name);
    const char *found = scoped;

    sset_add(&r->p->port_groups_ref, scoped);
    cs = pgs ? shash_find_data(pgs, scoped) : NULL;
    if (!cs) {
        sset_add(&r->p->port_groups_ref, name);
        cs = pgs ? shash_find_data(pgs, name) : NULL;
        found = name;
    }
    *filtered = false;
    if (cs && local && ctx->local_port_groups) {
        const struct expr_constant_set *lcs
            = shash_find_data(ctx->local_port_groups, found);
        static const struct expr_constant_set empty;

        cs = lcs ? lcs : &empty;
        *filtered = true;
    }
    free(scoped);
    return cs;
}

/* Returns the comparison of string symbol 's' with the members of port
 * group 'name' on the datapath. */
static struct expr *
resolve_port_group(struct lfc_resolver *r, const struct expr_symbol *s,
                   const char *name)
{
    bool filtered;
    const struct expr_constant_set *cs
        = find_port_group(r, name, s->field == r->local_field, &filtered);
    struct expr *e = NULL;

    if (!cs) {
        if (!r->error) {
            r->error = xasprintf("Syntax error at `@%s': No port group "
                                 "named `%s'.", name, name);
        }
        return expr_create_boolean(false);
    }
    for (size_t i = 0; i < cs->n_values; i++) {
        const char *port = cs->values[i].string;
        unsigned int key;
        struct expr *sub;

        if (!port) {
            continue;
        } else if (filtered) {
            /* Local already: only the key. */
            if (!r->dp->lookup_port
                || !r->dp->lookup_port(r->dp->lookup_aux, port, &key)) {
                continue;
            }
            sub = make_int_cmp(lfc_syms_reg(r->syms, s), key);
        } else {
            sub = resolve_port(r, s, port);
        }
        if (sub->type == EXPR_T_BOOLEAN) {
            expr_destroy(sub);
        } else {
            e = e ? expr_combine(EXPR_T_OR, e, sub) : sub;
        }
    }
    return e ? e : expr_create_boolean(false);
}

/* Replaces every string comparison in 'e' (a port or a port group
 * placeholder) by its resolution on the datapath.  Takes ownership of 'e'
 * and returns the result. */
static struct expr *
resolve(struct lfc_resolver *r, struct expr *e)
{
    switch (e->type) {
    case EXPR_T_CMP: {
        const struct expr_symbol *s = e->cmp.symbol;
        struct expr *out;

        if (!expr_symbol_is_string(s)) {
            return e;
        }
        if (!strncmp(e->cmp.string, PG_MARKER, strlen(PG_MARKER))) {
            out = resolve_port_group(r, s,
                                     e->cmp.string + strlen(PG_MARKER));
        } else {
            sset_add(&r->p->ports_ref, e->cmp.string);
            out = resolve_port(r, s, e->cmp.string);
        }
        expr_destroy(e);
        return out;
    }

    case EXPR_T_AND:
    case EXPR_T_OR: {
        struct ovs_list subs;
        struct expr *sub;

        ovs_list_move(&subs, &e->andor);
        ovs_list_init(&e->andor);
        LIST_FOR_EACH_POP (sub, node, &subs) {
            sub = resolve(r, sub);
            ovs_list_push_back(&e->andor, &sub->node);
        }
        return e;
    }

    case EXPR_T_BOOLEAN:
    case EXPR_T_CONDITION:
        return e;
    }
    OVS_NOT_REACHED();
}

/* Aux of resident_cb(): asks the caller's callback and notes the port. */
struct resident_aux {
    const struct lflow_compile_ctx *ctx;
    struct sset *ports;           /* Ports asked about are added here. */
};

static bool
resident_cb(const void *aux_, const char *port)
{
    const struct resident_aux *aux = aux_;
    const struct lflow_compile_ctx *ctx = aux->ctx;

    sset_add(aux->ports, port);
    return ctx->is_resident && ctx->is_resident(ctx->resident_aux, port);
}

/* Simplifies 'e' (taking ownership), answering is_chassis_resident() from
 * the context and noting the ports asked about in 'p'. */
static struct expr *
simplify(const struct lflow_compile_ctx *ctx, struct lflow_compile_parsed *p,
         struct expr *e)
{
    struct resident_aux raux = { .ctx = ctx, .ports = &p->resident_ref };
    return expr_simplify(e, resident_cb, &raux);
}

/* Resolves the ports of 'e' (taking ownership) on 'dp'.  Returns the
 * result, or NULL and an error in '*errorp'. */
static struct expr *
resolve_dp(const struct lflow_compile_ctx *ctx,
           struct lflow_compile_parsed *p, const struct lflow_compile_dp *dp,
           struct lfc_syms *syms, struct expr *e, char **errorp)
{
    struct lfc_resolver r = {
        .ctx = ctx,
        .p = p,
        .dp = dp,
        .syms = syms,
        .local_field = mf_from_id(p->ingress ? MFF_REG14 : MFF_REG15),
    };

    e = resolve(&r, e);
    if (r.error) {
        expr_destroy(e);
        *errorp = r.error;
        return NULL;
    }
    return e;
}

/* Resolves the ports of 'e' (taking ownership) on 'dp' and simplifies the
 * result.  Returns it, or NULL and an error in '*errorp'. */
static struct expr *
resolve_and_simplify(const struct lflow_compile_ctx *ctx,
                     struct lflow_compile_parsed *p,
                     const struct lflow_compile_dp *dp,
                     struct lfc_syms *syms, struct expr *e, char **errorp)
{
    e = resolve_dp(ctx, p, dp, syms, e, errorp);
    return e ? simplify(ctx, p, e) : NULL;
}

/* Returns a copy of the match's error, or NULL if it parsed. */
static char *
parse_error(const struct lflow_compile_ctx *ctx,
            struct lflow_compile_parsed *p)
{
    return match_parse(ctx, p) ? NULL : xstrdup(p->match_error_);
}

struct expr *
lfc_match_on_dp(const struct lflow_compile_ctx *ctx,
                struct lflow_compile_parsed *p,
                const struct lflow_compile_dp *dp, struct lfc_syms *syms,
                char **errorp)
{
    *errorp = parse_error(ctx, p);
    if (*errorp) {
        return NULL;
    }
    struct expr *e = resolve_and_simplify(ctx, p, dp, syms,
                                          expr_clone(p->match_expr_),
                                          errorp);
    return e ? expr_normalize(e, errorp) : NULL;
}

/* Several datapaths at once. */

static bool
expr_has_string(const struct expr *e)
{
    const struct expr *sub;

    switch (e->type) {
    case EXPR_T_CMP:
        return expr_symbol_is_string(e->cmp.symbol);
    case EXPR_T_AND:
    case EXPR_T_OR:
        LIST_FOR_EACH (sub, node, &e->andor) {
            if (expr_has_string(sub)) {
                return true;
            }
        }
        return false;
    case EXPR_T_BOOLEAN:
    case EXPR_T_CONDITION:
        return false;
    }
    OVS_NOT_REACHED();
}

/* Adds a copy of every conjunct of 'e' (the operands of nested ANDs,
 * flattened) to 'dep' if it compares a port, else to 'shared' (both ANDs
 * that the caller made). */
static void
split_conjuncts(const struct expr *e, struct expr *dep, struct expr *shared)
{
    const struct expr *sub;

    if (e->type == EXPR_T_AND) {
        LIST_FOR_EACH (sub, node, &e->andor) {
            split_conjuncts(sub, dep, shared);
        }
    } else {
        struct expr *target = expr_has_string(e) ? dep : shared;
        ovs_list_push_back(&target->andor, &expr_clone(e)->node);
    }
}

/* Returns an AND with the operands of 'and', or 'true' if it has none.
 * Takes ownership of 'and'. */
static struct expr *
and_finish(struct expr *and)
{
    if (ovs_list_is_empty(&and->andor)) {
        expr_destroy(and);
        return expr_create_boolean(true);
    }
    return and;
}

static bool
is_false(const struct expr *e)
{
    return e->type == EXPR_T_BOOLEAN && !e->boolean;
}

/* True if normalized 'e' is an OR of plain clauses (ANDs of comparisons,
 * single comparisons, or true). */
static bool
is_plain_dnf(const struct expr *e)
{
    const struct expr *clause, *sub;

    if (e->type != EXPR_T_OR) {
        if (e->type != EXPR_T_AND) {
            return true;
        }
        LIST_FOR_EACH (sub, node, &e->andor) {
            if (sub->type != EXPR_T_CMP) {
                return false;
            }
        }
        return true;
    }
    LIST_FOR_EACH (clause, node, &e->andor) {
        if (!is_plain_dnf(clause) || clause->type == EXPR_T_OR) {
            return false;
        }
    }
    return true;
}

/* Appends to OR 'out' "metadata == key && c" for each clause c of plain
 * normalized 'e' (not false).  Takes ownership of 'e'. */
static void
add_dp_clauses(struct expr *out, const struct expr_symbol *metadata,
               uint32_t key, struct expr *e)
{
    if (e->type == EXPR_T_OR) {
        struct expr *clause;

        LIST_FOR_EACH_POP (clause, node, &e->andor) {
            add_dp_clauses(out, metadata, key, clause);
        }
        free(e);
        return;
    }

    struct expr *and = expr_create_andor(EXPR_T_AND);
    ovs_list_push_back(&and->andor, &make_int_cmp(metadata, key)->node);
    if (e->type == EXPR_T_BOOLEAN) {
        expr_destroy(e);
    } else {
        ovs_list_push_back(&and->andor, &e->node);
    }
    ovs_list_push_back(&out->andor, &and->node);
}

/* Appends "metadata == key && e" to OR 'out'.  Takes ownership of 'e'. */
static void
add_dp_term(struct expr *out, const struct expr_symbol *metadata,
            uint32_t key, struct expr *e)
{
    struct expr *and = expr_create_andor(EXPR_T_AND);

    ovs_list_push_back(&and->andor, &make_int_cmp(metadata, key)->node);
    ovs_list_push_back(&and->andor, &e->node);
    ovs_list_push_back(&out->andor, &and->node);
}

/* Returns "ERROR (on datapath KEY)" and frees 'error'. */
static char *
dp_error(char *error, uint32_t key)
{
    char *s = xasprintf("%s (on datapath %"PRIu32")", error, key);
    free(error);
    return s;
}

/* Resolves and normalizes the datapath part 'dep' on each of 'dps'.
 * Returns an array of 'n' parts (NULL for a part that is false), and
 * stores in '*plainp' whether every part is a plain DNF.  Returns NULL
 * and an error in '*errorp' on failure. */
static struct expr **
dps_parts(const struct lflow_compile_ctx *ctx,
          struct lflow_compile_parsed *p,
          const struct lflow_compile_dp *dps, size_t n,
          struct lfc_syms *syms, const struct expr *dep, bool *plainp,
          char **errorp)
{
    struct expr **parts = xcalloc(n, sizeof *parts);

    /* The usual part is one comparison of a port field with a port or a
     * port group: resolved, it is already in normal form (false, one
     * comparison, or an OR of comparisons of one field). */
    bool single = dep->type == EXPR_T_CMP;

    *plainp = true;
    *errorp = NULL;
    for (size_t i = 0; i < n && !*errorp; i++) {
        struct expr *e = (single
                          ? resolve_dp(ctx, p, &dps[i], syms,
                                       expr_clone(dep), errorp)
                          : resolve_and_simplify(ctx, p, &dps[i], syms,
                                                 expr_clone(dep), errorp));
        if (e && !is_false(e) && !single) {
            e = expr_normalize(e, errorp);
        }
        if (*errorp) {
            *errorp = dp_error(*errorp, dps[i].key);
            expr_destroy(e);
            e = NULL;
        } else if (is_false(e)) {
            expr_destroy(e);
            e = NULL;
        }
        parts[i] = e;
        *plainp = *plainp && (!e || is_plain_dnf(e));
    }
    if (*errorp) {
        for (size_t i = 0; i < n; i++) {
            expr_destroy(parts[i]);
        }
        free(parts);
        return NULL;
    }
    return parts;
}

/* Returns an OR of "metadata == key_i && part_i" for each datapath i,
 * pairing the metadata with each clause of a part if 'plain' (for the
 * normalizer to find the dimensions), or with the whole part otherwise.
 * Takes ownership of the parts (not of the array). */
static struct expr *
whole_part(const struct lfc_syms *syms, const struct lflow_compile_dp *dps,
           struct expr **parts, size_t n, bool plain)
{
    struct expr *or = expr_create_andor(EXPR_T_OR);

    for (size_t i = 0; i < n; i++) {
        if (!parts[i]) {
            continue;
        } else if (plain) {
            add_dp_clauses(or, &syms->metadata, dps[i].key, parts[i]);
        } else {
            add_dp_term(or, &syms->metadata, dps[i].key, parts[i]);
        }
        parts[i] = NULL;
    }
    if (ovs_list_is_empty(&or->andor)) {
        expr_destroy(or);
        or = expr_create_boolean(false);
    }
    return or;
}

/* True if 'e' is a plain clause: one comparison, true, or an AND of
 * comparisons. */
static bool
is_plain_clause(const struct expr *e)
{
    return e->type != EXPR_T_OR && is_plain_dnf(e);
}

/* Appends to AND 'and' a copy of each comparison of plain clause 'c'. */
static void
and_add_cmps(struct expr *and, const struct expr *c)
{
    const struct expr *sub;

    if (c->type == EXPR_T_CMP) {
        ovs_list_push_back(&and->andor, &expr_clone(c)->node);
    } else if (c->type == EXPR_T_AND) {
        LIST_FOR_EACH (sub, node, &c->andor) {
            ovs_list_push_back(&and->andor, &expr_clone(sub)->node);
        }
    }
}

/* A shared part of at most this many plain clauses is crossed with each
 * datapath's clauses (LFLOW_LAYOUT_PER_DP): a conjunction would not save
 * flows. */
#define LFC_MAX_CROSSED 3

/* Chooses the layout (see lflow-compile.h) for normalized shared part
 * 'shared' and datapath parts that are all plain DNFs or not ('plain'),
 * LFLOW_LAYOUT_DP_DIM only if 'allow_dim'.  It depends on nothing else, so
 * that one datapath's part compiled alone gets the same layout. */
static enum lflow_compile_layout
choose_layout(const struct expr *shared, bool plain, bool allow_dim)
{
    const struct expr *sub;
    size_t n_dims = 0;

    if (!plain) {
        return LFLOW_LAYOUT_WHOLE;
    }
    switch (shared->type) {
    case EXPR_T_BOOLEAN:
    case EXPR_T_CMP:
        return LFLOW_LAYOUT_PER_DP;
    case EXPR_T_AND:
        LIST_FOR_EACH (sub, node, &shared->andor) {
            n_dims += sub->type == EXPR_T_OR;
        }
        return (!n_dims ? LFLOW_LAYOUT_PER_DP
                : n_dims < 64 && allow_dim ? LFLOW_LAYOUT_DP_DIM
                : LFLOW_LAYOUT_WHOLE);
    case EXPR_T_OR:
        LIST_FOR_EACH (sub, node, &shared->andor) {
            if (!is_plain_clause(sub)) {
                return LFLOW_LAYOUT_WHOLE;
            }
        }
        return (allow_dim && ovs_list_size(&shared->andor) > LFC_MAX_CROSSED
                ? LFLOW_LAYOUT_DP_DIM : LFLOW_LAYOUT_PER_DP);
    case EXPR_T_CONDITION:
        return LFLOW_LAYOUT_WHOLE;
    }
    OVS_NOT_REACHED();
}

/* Returns "metadata == key && c" for plain clause 'c', as an AND of
 * comparisons, with the comparisons of plain clause 'base' (if nonnull)
 * first. */
static struct expr *
dp_clause(const struct lfc_syms *syms, uint32_t key, const struct expr *base,
          const struct expr *c)
{
    struct expr *and = expr_create_andor(EXPR_T_AND);

    ovs_list_push_back(&and->andor,
                       &make_int_cmp(&syms->metadata, key)->node);
    if (base) {
        and_add_cmps(and, base);
    }
    and_add_cmps(and, c);
    return and;
}

/* Appends to OR 'out' "metadata == key && base && c" (without 'base' if
 * it is null) for every clause c of plain DNF 'part'. */
static void
add_part_clauses(struct expr *out, const struct lfc_syms *syms,
                 uint32_t key, const struct expr *base,
                 const struct expr *part)
{
    const struct expr *c;

    if (part->type != EXPR_T_OR) {
        ovs_list_push_back(&out->andor,
                           &dp_clause(syms, key, base, part)->node);
        return;
    }
    LIST_FOR_EACH (c, node, &part->andor) {
        ovs_list_push_back(&out->andor, &dp_clause(syms, key, base, c)->node);
    }
}

/* Appends to OR 'out' the clauses of every datapath's part (see
 * add_part_clauses()) with each clause of plain DNF 'base' (if nonnull),
 * freeing the parts. */
static void
add_parts(struct expr *out, const struct lfc_syms *syms,
          const struct lflow_compile_dp *dps, struct expr **parts, size_t n,
          const struct expr *base)
{
    for (size_t i = 0; i < n; i++) {
        if (!parts[i]) {
            continue;
        } else if (base && base->type == EXPR_T_OR) {
            const struct expr *b;

            LIST_FOR_EACH (b, node, &base->andor) {
                add_part_clauses(out, syms, dps[i].key, b, parts[i]);
            }
        } else {
            add_part_clauses(out, syms, dps[i].key, base, parts[i]);
        }
        expr_destroy(parts[i]);
        parts[i] = NULL;
    }
}

/* LFLOW_LAYOUT_PER_DP: the OR of "metadata == key_i && s && c" for every
 * clause c of every datapath i's part and every clause s of 'shared' (a
 * plain DNF).  Takes ownership of 'shared' and of the parts (not of the
 * array). */
static struct expr *
per_dp_expr(const struct lfc_syms *syms, const struct lflow_compile_dp *dps,
            struct expr **parts, size_t n, struct expr *shared)
{
    struct expr *or = expr_create_andor(EXPR_T_OR);

    add_parts(or, syms, dps, parts, n, shared);
    expr_destroy(shared);
    if (ovs_list_is_empty(&or->andor)) {
        expr_destroy(or);
        or = expr_create_boolean(false);
    }
    return or;
}

/* True if plain clause 'c' has a comparison equal to 'cmp'. */
static bool
clause_has_cmp(const struct expr *c, const struct expr *cmp)
{
    const struct expr *sub;

    if (c->type == EXPR_T_CMP) {
        return expr_equals(c, cmp);
    } else if (c->type == EXPR_T_AND) {
        LIST_FOR_EACH (sub, node, &c->andor) {
            if (expr_equals(sub, cmp)) {
                return true;
            }
        }
    }
    return false;
}

/* Removes from plain clause 'c' (an AND) its comparisons equal to 'cmp'. */
static void
clause_remove_cmp(struct expr *c, const struct expr *cmp)
{
    struct expr *sub;

    LIST_FOR_EACH_SAFE (sub, node, &c->andor) {
        if (expr_equals(sub, cmp)) {
            ovs_list_remove(&sub->node);
            expr_destroy(sub);
        }
    }
}

/* Moves to AND 'to' the comparisons that every clause of 'or' (an OR of
 * plain clauses, each an AND with more than the common comparisons)
 * has. */
static void
move_common_cmps(struct expr *or, struct expr *to)
{
    const struct expr *first = CONTAINER_OF(ovs_list_front(&or->andor),
                                            struct expr, node);
    const struct expr *c, *cmp;

    LIST_FOR_EACH (c, node, &or->andor) {
        if (c->type != EXPR_T_AND) {
            return;
        }
    }
    struct expr *common = expr_create_andor(EXPR_T_AND);
    LIST_FOR_EACH (cmp, node, &first->andor) {
        bool everywhere = true;
        LIST_FOR_EACH (c, node, &or->andor) {
            if (c != first && !clause_has_cmp(c, cmp)) {
                everywhere = false;
                break;
            }
        }
        if (everywhere) {
            ovs_list_push_back(&common->andor, &expr_clone(cmp)->node);
        }
    }
    /* A clause that has nothing else (it makes the others redundant)
     * would be left empty: then keep the clauses whole. */
    LIST_FOR_EACH (c, node, &or->andor) {
        bool more = false;
        LIST_FOR_EACH (cmp, node, &c->andor) {
            if (!clause_has_cmp(common, cmp)) {
                more = true;
                break;
            }
        }
        if (!more) {
            expr_destroy(common);
            return;
        }
    }
    LIST_FOR_EACH (cmp, node, &common->andor) {
        struct expr *x;
        LIST_FOR_EACH (x, node, &or->andor) {
            clause_remove_cmp(x, cmp);
        }
    }
    ovs_list_push_back_all(&to->andor, &common->andor);
    expr_destroy(common);
}

/* LFLOW_LAYOUT_DP_DIM: one clause with dimensions, the first holding
 * "metadata == key_i && c" for every clause c of every datapath i's part
 * (it may be empty: then the clause matches nothing), the others the
 * dimensions of 'shared' (a clause with dimensions, whose comparisons
 * stay in the clause) or 'shared' itself (several plain clauses).  Takes
 * ownership of 'shared' and of the parts (not of the array). */
static struct expr *
dp_dim_expr(const struct lfc_syms *syms, const struct lflow_compile_dp *dps,
            struct expr **parts, size_t n, struct expr *shared)
{
    struct expr *clause = expr_create_andor(EXPR_T_AND);
    struct expr *dim = expr_create_andor(EXPR_T_OR);
    struct ovs_list dims = OVS_LIST_INITIALIZER(&dims);
    struct expr *sub;

    add_parts(dim, syms, dps, parts, n, NULL);
    if (shared->type == EXPR_T_OR) {
        /* What every clause has in common stays in the clause (as the
         * normalizer would have it: the conjunction flow shows the
         * protocol, and so on); the rest is a dimension. */
        move_common_cmps(shared, clause);
        ovs_list_push_back(&dims, &shared->node);
    } else {
        /* A clause with dimensions: its comparisons stay in the clause,
         * its dimensions come after the datapaths'. */
        LIST_FOR_EACH_POP (sub, node, &shared->andor) {
            ovs_list_push_back(sub->type == EXPR_T_OR ? &dims
                               : &clause->andor, &sub->node);
        }
        expr_destroy(shared);
    }
    ovs_list_push_back(&clause->andor, &dim->node);
    ovs_list_push_back_all(&clause->andor, &dims);
    return clause;
}

/* Builds the expression of 'layout' from the parts and the shared part
 * (normalized 'shared', or 'raw' as simplified for the whole layout).
 * Takes ownership of 'shared', 'raw' and the parts. */
static struct expr *
layout_expr(enum lflow_compile_layout layout, const struct lfc_syms *syms,
            const struct lflow_compile_dp *dps, struct expr **parts,
            size_t n, bool plain, struct expr *shared, struct expr *raw,
            char **errorp)
{
    struct expr *e;

    switch (layout) {
    case LFLOW_LAYOUT_PER_DP:
        expr_destroy(raw);
        return per_dp_expr(syms, dps, parts, n, shared);

    case LFLOW_LAYOUT_DP_DIM:
        expr_destroy(raw);
        return dp_dim_expr(syms, dps, parts, n, shared);

    case LFLOW_LAYOUT_WHOLE:
    default:
        expr_destroy(shared);
        e = expr_combine(EXPR_T_AND, whole_part(syms, dps, parts, n, plain),
                         raw);
        return expr_normalize(e, errorp);
    }
}

struct expr *
lfc_match_on_dps(const struct lflow_compile_ctx *ctx,
                 struct lflow_compile_parsed *p,
                 const struct lflow_compile_dp *dps, size_t n,
                 struct lfc_syms *syms, bool allow_dim,
                 enum lflow_compile_layout *layoutp, char **errorp)
{
    *layoutp = LFLOW_LAYOUT_WHOLE;
    *errorp = parse_error(ctx, p);
    if (*errorp) {
        return NULL;
    }
    COVERAGE_INC(lflow_compile_match_shared);

    struct expr *dep = expr_create_andor(EXPR_T_AND);
    struct expr *raw = expr_create_andor(EXPR_T_AND);
    split_conjuncts(p->match_expr_, dep, raw);
    dep = and_finish(dep);
    raw = simplify(ctx, p, and_finish(raw));

    if (is_false(raw)) {
        /* Nothing matches, on any datapath. */
        expr_destroy(dep);
        *layoutp = LFLOW_LAYOUT_PER_DP;
        return raw;
    }

    bool plain;
    struct expr **parts = dps_parts(ctx, p, dps, n, syms, dep, &plain,
                                    errorp);
    expr_destroy(dep);
    if (!parts) {
        expr_destroy(raw);
        return NULL;
    }

    /* The layout depends on the shared part, normalized alone (if that
     * fails, the whole is normalized together, which may still work). */
    char *error = NULL;
    struct expr *shared = expr_normalize(expr_clone(raw), &error);
    enum lflow_compile_layout layout = LFLOW_LAYOUT_WHOLE;
    if (shared) {
        layout = choose_layout(shared, plain, allow_dim);
    } else {
        free(error);
        shared = expr_create_boolean(true);
    }
    struct expr *e = layout_expr(layout, syms, dps, parts, n, plain, shared,
                                 raw, errorp);
    free(parts);
    if (e) {
        *layoutp = layout;
    }
    return e;
}
