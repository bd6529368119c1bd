/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Lexical analyzer for OVN logical flow matches and actions.
 *
 * The logical flow language (see "Logical_Flow TABLE" in ovn-sb(5)) shares
 * one lexical syntax between the "match" and "actions" columns.  This module
 * turns such a string into tokens: identifiers, integers in decimal,
 * hexadecimal, IPv4, IPv6 and Ethernet forms (each optionally masked),
 * JSON-style strings, address set ($name), port group (@name) and template
 * (^name) references, and operators.  It knows nothing of symbols; the
 * expression parser (expr-parse.c) and the action parser build on it. */

#ifndef OVN_LEX_H
#define OVN_LEX_H 1

#include <stdbool.h>
#include "openvswitch/meta-flow.h"

struct ds;
struct smap;

/* Token types. */
enum lex_type {
    LEX_T_END,                  /* End of input. */

    /* Tokens with content. */
    LEX_T_ID,                   /* foo */
    LEX_T_STRING,               /* "foo" */
    LEX_T_INTEGER,              /* 12345 or 1.2.3.4 or ::1 or 01:02:03:04:05 */
    LEX_T_MASKED_INTEGER,       /* 12345/10 or 1.2.0.0/16 or ::2/127 or... */
    LEX_T_MACRO,                /* $NAME: an address set. */
    LEX_T_PORT_GROUP,           /* @NAME: a port group. */
    LEX_T_TEMPLATE,             /* ^NAME: a template variable. */
    LEX_T_ERROR,                /* Invalid input; 's' is the message. */

    /* Bare tokens. */
    LEX_T_LPAREN,               /* ( */
    LEX_T_RPAREN,               /* ) */
    LEX_T_LCURLY,               /* { */
    LEX_T_RCURLY,               /* } */
    LEX_T_LSQUARE,              /* [ */
    LEX_T_RSQUARE,              /* ] */
    LEX_T_EQ,                   /* == */
    LEX_T_NE,                   /* != */
    LEX_T_LT,                   /* < */
    LEX_T_LE,                   /* <= */
    LEX_T_GT,                   /* > */
    LEX_T_GE,                   /* >= */
    LEX_T_LOG_NOT,              /* ! */
    LEX_T_LOG_AND,              /* && */
    LEX_T_LOG_OR,               /* || */
    LEX_T_ELLIPSIS,             /* .. */
    LEX_T_COMMA,                /* , */
    LEX_T_SEMICOLON,            /* ; */
    LEX_T_EQUALS,               /* = */
    LEX_T_EXCHANGE,             /* <-> */
    LEX_T_DECREMENT,            /* -- */
    LEX_T_COLON,                /* : */
    LEX_T_ARROW,                /* -> */
};

/* How an integer constant was written, so that it can be printed back the
 * same way. */
enum lex_format {
    LEX_F_DECIMAL,
    LEX_F_HEXADECIMAL,
    LEX_F_IPV4,
    LEX_F_IPV6,
    LEX_F_ETHERNET,
};
const char *lex_format_to_string(enum lex_format);

/* A token.
 *
 * 'value' and 'mask' are right-aligned big-endian numbers in the style of
 * OVS's union mf_subvalue: the least-significant bit of the constant is the
 * last bit of the last byte. */
struct lex_token {
    enum lex_type type;
    char *s;                    /* ID, STRING, MACRO, PORT_GROUP, TEMPLATE,
                                 * ERROR: malloc'd text (owned). */
    enum lex_format format;     /* INTEGER, MASKED_INTEGER. */
    union mf_subvalue value;    /* INTEGER, MASKED_INTEGER. */
    union mf_subvalue mask;     /* MASKED_INTEGER only. */
};

void lex_token_init(struct lex_token *);
void lex_token_destroy(struct lex_token *);
void lex_token_swap(struct lex_token *, struct lex_token *);
void lex_token_format(const struct lex_token *, struct ds *);
void lex_format_value(const union mf_subvalue *, enum lex_format,
                      struct ds *);
void lex_format_masked_value(const union mf_subvalue *value,
                             const union mf_subvalue *mask,
                             enum lex_format, struct ds *);
void lex_format_string(const char *, struct ds *);
const char *lex_token_parse(struct lex_token *, const char *input,
                            const char **startp);

/* A lexer: a position in an input string and the current token. */
struct lexer {
    const char *input;          /* Remaining input (not owned). */
    const char *start;          /* Start of current token in 'input'. */
    struct lex_token token;     /* Current token (owned). */
};

void lexer_init(struct lexer *, const char *input);
void lexer_destroy(struct lexer *);
enum lex_type lexer_get(struct lexer *);
enum lex_type lexer_lookahead(const struct lexer *);
bool lexer_match(struct lexer *, enum lex_type);
bool lexer_match_id(struct lexer *, const char *id);
bool lexer_is_int(const struct lexer *);
bool lexer_get_int(struct lexer *, int *value);
char *lexer_error(const struct lexer *, const char *message, ...)
    OVS_PRINTF_FORMAT(2, 3) OVS_WARN_UNUSED_RESULT;

char *lex_template_expand(const char *input, const struct smap *templates,
                          char **outp) OVS_WARN_UNUSED_RESULT;

#endif /* lex.h */
