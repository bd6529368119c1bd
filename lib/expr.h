/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Logical flow match expressions: parse, annotate, simplify, normalize and
 * convert to OpenFlow matches.
 *
 * The language is the one "Logical_Flow TABLE" in ovn-sb(5) defines.  The
 * stages, each taking ownership of its input expression and returning the
 * result:
 *
 *   expr_parse_string()   text -> tree of comparisons joined by && and ||.
 *                          Predicates (ip4, tcp, ...) are expanded, `!' is
 *                          pushed down to the comparisons, sets are
 *                          expanded, address sets and port groups are
 *                          substituted.  Comparisons name the symbol as
 *                          written (a field or subfield).
 *   expr_annotate()        ANDs every comparison with its symbol's
 *                          prerequisites (tcp.dst -> tcp -> ip.proto == 6
 *                          && ip ...).
 *   expr_simplify()        rewrites comparisons onto whole fields, turns
 *                          != and < <= > >= into == on masked values,
 *                          evaluates is_chassis_resident(), folds
 *                          constants.
 *   expr_normalize()       disjunctive normal form: an OR of clauses, each
 *                          an AND of == comparisons; a clause may also hold
 *                          two or more ORs ("dimensions") that
 *                          expr_to_matches() turns into a conjunctive
 *                          match.
 *   expr_to_matches()      OpenFlow matches (expr-match.c).
 *
 * expr_evaluate() (expr-eval.c) evaluates any stage's expression on a
 * concrete packet, to cross-check the stages and the OpenFlow result.
 *
 * Typical use for one logical flow, with 'symtab' from symtab_init(), and
 * callbacks that know the flow's datapath:
 *
 *     struct expr_parse_ctx ctx = {
 *         .symtab = &symtab, .addr_sets = &addr_sets,
 *         .port_groups = &port_groups, .templates = &template_vars,
 *         .dp_key = datapath_tunnel_key,
 *         .addr_sets_ref = &refs_as, .port_groups_ref = &refs_pg,
 *     };
 *     char *error;
 *     struct expr *e = expr_compile(match, &ctx, is_resident, aux, &error);
 *     if (e) {
 *         struct hmap matches = HMAP_INITIALIZER(&matches);
 *         expr_to_matches(e, lookup_port, aux, conj_id_ofs, &matches);
 *         ...
 *         expr_matches_destroy(&matches);
 *         expr_destroy(e);
 *     }
 *
 * lib/lflow-compile.h does all of that for a whole logical flow on a
 * datapath, and is what the daemon and ovn-lflow-check use: it ANDs the
 * match with the actions' prerequisites, reserves the flow's conjunction
 * ids ('conj_id_ofs', from conj-ids.h), adds metadata and the table,
 * encodes the actions and checks the result as ovs-vswitchd would.
 *
 * The matches do not include the logical datapath (metadata) nor the
 * table; the caller adds them. */

#ifndef OVN_EXPR_H
#define OVN_EXPR_H 1

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "lex.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/match.h"
#include "openvswitch/meta-flow.h"

struct ds;
struct flow;
struct shash;
struct smap;
struct sset;

/* Symbols. */

/* Level of measurement (ovn-sb(5), "Level of Measurement"). */
enum expr_level {
    EXPR_L_NOMINAL,             /* Only == (in a positive sense). */
    EXPR_L_BOOLEAN,             /* Predicates with only 0 and 1. */
    EXPR_L_ORDINAL,             /* Maskable: all relations, subfields. */
};

/* A symbol in the symbol table (symtab.c).  Exactly one of these holds:
 *
 *   - A field: 'field' is the OVS field, 'width' its width ('width' == 0
 *     for a string field such as inport, whose 'field' is the register that
 *     holds the port's tunnel key).
 *   - A subfield: 'parent' and 'parent_ofs' give bits
 *     [parent_ofs, parent_ofs + width) of another symbol.
 *   - A predicate: 'expansion' is the expression it stands for. */
struct expr_symbol {
    char *name;
    int width;                  /* In bits; 0 for strings. */
    const struct mf_field *field;       /* Fields only. */
    const struct expr_symbol *parent;   /* Subfields only. */
    int parent_ofs;                     /* Subfields only. */
    char *expansion;                    /* Predicates only. */
    char *prereqs;              /* Prerequisite expression, or NULL. */
    enum expr_level level;
    bool rw;                    /* May actions write it? */
    enum lex_format format;     /* Preferred format for values. */
};

static inline bool
expr_symbol_is_string(const struct expr_symbol *symbol)
{
    return symbol->field && !symbol->width;
}

const struct expr_symbol *expr_symtab_lookup(const struct shash *symtab,
                                             const char *name);
void expr_symbol_resolve(const struct expr_symbol *,
                         const struct expr_symbol **base, int *ofs);

/* Expressions. */

enum expr_type {
    EXPR_T_CMP,                 /* symbol relop constant. */
    EXPR_T_AND,                 /* Logical AND of 2 or more subexprs. */
    EXPR_T_OR,                  /* Logical OR of 2 or more subexprs. */
    EXPR_T_BOOLEAN,             /* True or false constant. */
    EXPR_T_CONDITION,           /* is_chassis_resident("port"). */
};

enum expr_relop {
    EXPR_R_EQ,
    EXPR_R_NE,
    EXPR_R_LT,
    EXPR_R_LE,
    EXPR_R_GT,
    EXPR_R_GE,
};
const char *expr_relop_to_string(enum expr_relop);
enum expr_relop expr_relop_invert(enum expr_relop);

struct expr {
    struct ovs_list node;       /* In parent EXPR_T_AND or EXPR_T_OR. */
    enum expr_type type;
    union {
        /* EXPR_T_CMP.  For an integer symbol 'value' and 'mask' are in the
         * symbol's own bits (bit 0 is its least significant bit); 'mask'
         * says which bits are compared.  For <, <=, > and >= the mask is a
         * single run of bits, compared as an unsigned number. */
        struct {
            const struct expr_symbol *symbol;
            enum expr_relop relop;
            union {
                char *string;   /* String symbols. */
                struct {
                    union mf_subvalue value;
                    union mf_subvalue mask;
                };
            };
        } cmp;

        /* EXPR_T_AND, EXPR_T_OR. */
        struct ovs_list andor;

        /* EXPR_T_BOOLEAN. */
        bool boolean;

        /* EXPR_T_CONDITION. */
        struct {
            bool not;           /* Negated? */
            char *port;         /* is_chassis_resident()'s argument. */
        } cond;
    };
};

struct expr *expr_create_boolean(bool);
struct expr *expr_create_andor(enum expr_type);
struct expr *expr_combine(enum expr_type, struct expr *a, struct expr *b);
struct expr *expr_clone(const struct expr *);
void expr_destroy(struct expr *);
struct expr *expr_negate(struct expr *);

void expr_format(const struct expr *, struct ds *);
char *expr_to_string(const struct expr *);
void expr_print(const struct expr *);
bool expr_equals(const struct expr *, const struct expr *);
size_t expr_size(const struct expr *);

/* Constant sets: the values an address set ($name) or port group (@name)
 * stands for. */
struct expr_constant {
    char *string;               /* String constants. */
    union mf_subvalue value;    /* Integer constants. */
    union mf_subvalue mask;     /* All-ones when not masked. */
    bool masked;
    enum lex_format format;
};

struct expr_constant_set {
    struct expr_constant *values;
    size_t n_values;
    bool is_string;
};

void expr_constant_set_destroy(struct expr_constant_set *);
void expr_const_sets_add_integers(struct shash *const_sets, const char *name,
                                  const char *const *values, size_t n);
void expr_const_sets_add_strings(struct shash *const_sets, const char *name,
                                 const char *const *values, size_t n);
void expr_const_sets_remove(struct shash *const_sets, const char *name);
void expr_const_sets_destroy(struct shash *const_sets);

/* Parsing. */

/* Everything the parser takes from its caller.  Only 'symtab' is
 * required. */
struct expr_parse_ctx {
    const struct shash *symtab;         /* Name -> struct expr_symbol. */
    const struct shash *addr_sets;      /* $name -> expr_constant_set. */
    const struct shash *port_groups;    /* @name -> expr_constant_set. */
    const struct smap *templates;       /* ^name -> text. */

    /* Port groups are scoped to a datapath: with 'dp_key' nonzero, @pg
     * first looks up "<dp_key>_pg" and then "pg". */
    int64_t dp_key;

    /* If nonnull, the names of the address sets and port groups the
     * expression refers to are added here (for incremental processing). */
    struct sset *addr_sets_ref;
    struct sset *port_groups_ref;
};

/* Maximum nesting of parentheses, `!' and predicate expansions. */
#define EXPR_MAX_DEPTH 100

struct expr *expr_parse_string(const char *, const struct expr_parse_ctx *,
                               char **errorp) OVS_WARN_UNUSED_RESULT;
char *expr_parse_field(const char *, const struct shash *symtab,
                       struct mf_subfield *) OVS_WARN_UNUSED_RESULT;

/* Stages. */

/* Callback that says whether logical port 'port' resides on this chassis. */
typedef bool expr_chassis_resident_cb(const void *aux, const char *port);

/* Callback that maps a logical port name (or multicast group name) on the
 * flow's datapath to its tunnel key; returns false if there is none. */
typedef bool expr_lookup_port_cb(const void *aux, const char *port_name,
                                 unsigned int *tunnel_key);

struct expr *expr_annotate(struct expr *, const struct shash *symtab,
                           char **errorp) OVS_WARN_UNUSED_RESULT;
struct expr *expr_simplify(struct expr *, expr_chassis_resident_cb *,
                           const void *aux);
struct expr *expr_normalize(struct expr *, char **errorp)
    OVS_WARN_UNUSED_RESULT;
bool expr_is_normalized(const struct expr *);

/* Upper bound on the clauses expr_normalize() will produce. */
#define EXPR_MAX_CLAUSES 500000

/* OpenFlow matches (expr-match.c). */

/* One conjunction(id, clause/n_clauses) action of a match. */
struct expr_conjunction {
    uint32_t id;
    uint8_t clause;             /* 0-based, as in OVS's ofpact. */
    uint8_t n_clauses;
};

/* One OpenFlow match produced for a logical flow.  A match with no
 * conjunctions is an ordinary flow that takes the logical flow's actions
 * (and if 'match' sets conj_id, it is the flow that completes a
 * conjunction).  A match with conjunctions takes only those
 * conjunction actions. */
struct expr_match {
    struct hmap_node hmap_node;
    struct match match;
    struct expr_conjunction *conjunctions;
    size_t n, allocated;
};

uint32_t expr_to_matches(const struct expr *, expr_lookup_port_cb *,
                         const void *aux, uint32_t conj_id_ofs,
                         struct hmap *matches);
uint32_t expr_n_conjunctions(const struct expr *);
void expr_matches_destroy(struct hmap *matches);
void expr_matches_print(const struct hmap *matches, FILE *);
void expr_match_format(const struct expr_match *, struct ds *);
bool expr_matches_evaluate(const struct hmap *matches, const struct flow *);

/* Evaluation (expr-eval.c). */
bool expr_evaluate(const struct expr *, const struct flow *,
                   expr_lookup_port_cb *, const void *aux);

/* One-call compilation of a match string, as the daemon uses it: parse,
 * annotate, simplify and normalize.  Returns NULL and an error, or the
 * normalized expression. */
struct expr *expr_compile(const char *, const struct expr_parse_ctx *,
                          expr_chassis_resident_cb *, const void *aux,
                          char **errorp) OVS_WARN_UNUSED_RESULT;

#endif /* expr.h */
