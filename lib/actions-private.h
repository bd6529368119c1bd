/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Internals shared by the action families (lib/actions*.c).  Not for use
 * outside lib/actions*.c. */

#ifndef OVN_ACTIONS_PRIVATE_H
#define OVN_ACTIONS_PRIVATE_H 1

#include "actions.h"
#include "openvswitch/dynamic-string.h"

struct ofpbuf;

/* Parser state for one lact_parse() call. */
struct lact_parser {
    struct lexer *lexer;
    const struct lact_parse_ctx *ctx;
    int depth;                  /* Current nesting of { }. */
    struct ds prereqs;          /* Prerequisites, joined with " && ". */
};

enum lact_syntax {
    LACT_SYNTAX_STMT,
    LACT_SYNTAX_RESULT,
    LACT_SYNTAX_OPER,
};

/* An action class: one entry of LACT_CLASSES.
 *
 * parse() is called after the keyword (and for RESULT syntax after
 * "R = KEYWORD", with 'dst' already holding R) and consumes the rest of the
 * action up to, not including, the terminating `;'.  It returns NULL or a
 * malloc'd error; on error the caller destroys the partial action. */
struct lact_class {
    enum lact_type type;
    const char *keyword;
    enum lact_syntax syntax;
    char *(*parse)(struct lact_parser *, struct lact *);
    void (*format)(const struct lact *, struct ds *);
    void (*encode)(const struct lact *, const struct lact_encode_ctx *,
                   struct ofpbuf *);
    void (*destroy)(struct lact *);
    int param;
};

const struct lact_class *lact_class_get(enum lact_type);

/* The family callbacks, declared from the one list. */
#define X(ENUM, KEYWORD, SYNTAX, FAMILY, PARAM)                          \
    char *lact_##FAMILY##_parse(struct lact_parser *, struct lact *)           \
        OVS_WARN_UNUSED_RESULT;                                         \
    void lact_##FAMILY##_format(const struct lact *, struct ds *);             \
    void lact_##FAMILY##_encode(const struct lact *,                           \
                         const struct lact_encode_ctx *,                \
                         struct ofpbuf *);                              \
    void lact_##FAMILY##_destroy(struct lact *);
LACT_CLASSES(X)
#undef X

/* Parsing helpers (actions.c). */
char *lact_error(const struct lact_parser *, const char *format, ...)
    OVS_PRINTF_FORMAT(2, 3) OVS_WARN_UNUSED_RESULT;
char *lact_expect(struct lact_parser *, enum lex_type, const char *what)
    OVS_WARN_UNUSED_RESULT;
char *lact_expect_id(struct lact_parser *, const char *id)
    OVS_WARN_UNUSED_RESULT;
char *lact_parse_field(struct lact_parser *, struct lact_field *)
    OVS_WARN_UNUSED_RESULT;
char *lact_parse_field_arg(struct lact_parser *, struct lact_field *,
                           int width, const char *what)
    OVS_WARN_UNUSED_RESULT;
char *lact_parse_field_args(struct lact_parser *, struct lact *, int n,
                            const int widths[], const char *const names[])
    OVS_WARN_UNUSED_RESULT;
char *lact_parse_const(struct lact_parser *, struct lact_const *)
    OVS_WARN_UNUSED_RESULT;
char *lact_parse_int(struct lact_parser *, int64_t min, int64_t max,
                     const char *what, int64_t *value)
    OVS_WARN_UNUSED_RESULT;
char *lact_parse_string(struct lact_parser *, const char *what,
                        char **value) OVS_WARN_UNUSED_RESULT;
char *lact_parse_nested(struct lact_parser *, struct lact_list **)
    OVS_WARN_UNUSED_RESULT;
char *lact_check_result(struct lact_parser *, const struct lact *,
                        int width) OVS_WARN_UNUSED_RESULT;
void lact_add_prereq(struct lact_parser *, const char *);
void lact_add_field_prereqs(struct lact_parser *, const struct expr_symbol *);
bool lact_list_push_check(const struct lact_parser *, size_t n);

/* Formatting helpers. */
void lact_field_format(const struct lact_field *, struct ds *);
void lact_const_format(const struct lact_const *, struct ds *);
void lact_format_block(const struct lact_list *, struct ds *);

/* Encoding helpers. */
void lact_field_subfield(const struct lact_field *, struct mf_subfield *);
int lact_next_oftable(const struct lact_encode_ctx *);
uint32_t lact_take_id(const struct lact_encode_ctx *, struct id_table *,
                      const char *desc);
uint32_t lact_ctlr_meter(const struct lact_encode_ctx *, enum ctlop_opcode,
                         uint32_t meter_id);

#endif /* actions-private.h */
