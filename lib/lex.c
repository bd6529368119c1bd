/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Lexical analyzer for the OVN logical flow language.  See lex.h. */

#include <config.h>

#include "lex.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "smap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(lex);
COVERAGE_DEFINE(lex_error);

/* Number of bytes in union mf_subvalue. */
#define SV_BYTES (sizeof(union mf_subvalue))

const char *
lex_format_to_string(enum lex_format format)
{
    switch (format) {
    case LEX_F_DECIMAL: return "decimal";
    case LEX_F_HEXADECIMAL: return "hexadecimal";
    case LEX_F_IPV4: return "IPv4";
    case LEX_F_IPV6: return "IPv6";
    case LEX_F_ETHERNET: return "Ethernet";
    }
    return "<unknown>";
}

void
lex_token_init(struct lex_token *token)
{
    memset(token, 0, sizeof *token);
    token->type = LEX_T_END;
}

void
lex_token_destroy(struct lex_token *token)
{
    if (token) {
        free(token->s);
        token->s = NULL;
    }
}

void
lex_token_swap(struct lex_token *a, struct lex_token *b)
{
    struct lex_token tmp = *a;
    *a = *b;
    *b = tmp;
}

/* Sets 'token' to an error token with the given message. */
static void OVS_PRINTF_FORMAT(2, 3)
lex_error(struct lex_token *token, const char *message, ...)
{
    va_list args;

    COVERAGE_INC(lex_error);
    free(token->s);
    token->type = LEX_T_ERROR;
    va_start(args, message);
    token->s = xvasprintf(message, args);
    va_end(args);
}

/* Formatting. */

static void
lex_format_hex(const union mf_subvalue *value, struct ds *s)
{
    const uint8_t *p = value->u8;
    size_t n = SV_BYTES;

    while (n > 1 && !*p) {
        p++;
        n--;
    }
    ds_put_format(s, "0x%"PRIx8, *p);
    for (size_t i = 1; i < n; i++) {
        ds_put_format(s, "%02"PRIx8, p[i]);
    }
}

/* Returns true if 'value' fits in 64 bits. */
static bool
lex_fits_u64(const union mf_subvalue *value)
{
    return bitwise_is_all_zeros(value, SV_BYTES, 64, SV_BYTES * 8 - 64);
}

/* Prints 'value' in decimal if it fits in 64 bits, otherwise in
 * hexadecimal (the lexer reads wider decimals, up to 1024 bits). */
static void
lex_format_decimal(const union mf_subvalue *value, struct ds *s)
{
    if (lex_fits_u64(value)) {
        ds_put_format(s, "%"PRIu64, ntohll(value->integer));
    } else {
        lex_format_hex(value, s);
    }
}

/* Appends 'value' to 's' in the given format. */
void
lex_format_value(const union mf_subvalue *value, enum lex_format format,
                 struct ds *s)
{
    switch (format) {
    case LEX_F_DECIMAL:
        lex_format_decimal(value, s);
        break;
    case LEX_F_HEXADECIMAL:
        lex_format_hex(value, s);
        break;
    case LEX_F_IPV4:
        ds_put_format(s, IP_FMT, IP_ARGS(value->ipv4));
        break;
    case LEX_F_IPV6:
        ipv6_format_addr(&value->ipv6, s);
        break;
    case LEX_F_ETHERNET:
        ds_put_format(s, ETH_ADDR_FMT, ETH_ADDR_ARGS(value->mac));
        break;
    }
}

/* Appends 'value'/'mask' to 's' in the given format, using a CIDR prefix
 * length for IP prefixes.
 *
 * The lexer wants a mask in the same form as its value (ovn-sb(5)), and
 * decimals wider than 64 bits print in hexadecimal, so if either half of a
 * decimal does not fit in 64 bits both print in hexadecimal: "1/0x1ff..."
 * would not lex. */
void
lex_format_masked_value(const union mf_subvalue *value,
                        const union mf_subvalue *mask,
                        enum lex_format format, struct ds *s)
{
    if (format == LEX_F_DECIMAL
        && (!lex_fits_u64(value) || !lex_fits_u64(mask))) {
        format = LEX_F_HEXADECIMAL;
    }
    lex_format_value(value, format, s);
    ds_put_char(s, '/');
    if (format == LEX_F_IPV4 && ip_is_cidr(mask->ipv4)) {
        ds_put_format(s, "%d", ip_count_cidr_bits(mask->ipv4));
    } else if (format == LEX_F_IPV6 && ipv6_is_cidr(&mask->ipv6)) {
        ds_put_format(s, "%d", ipv6_count_cidr_bits(&mask->ipv6));
    } else {
        lex_format_value(mask, format, s);
    }
}

/* Appends 'string' to 's' as a quoted string constant that lexes back to
 * exactly 'string', whatever bytes it holds.  lex_parse_string() reads
 * JSON's string syntax, so this writes JSON's: '"' and '\' escaped,
 * control characters (below 0x20) as \b, \f, \n, \r, \t or \u00XX,
 * and every other byte as it is (the lexer copies bytes from 0x7f up
 * unchanged, so a string that is not UTF-8 comes back the same too).
 * Both the action and the match formatters print strings with it. */
void
lex_format_string(const char *string, struct ds *s)
{
    json_string_escape(string, s);
}

static void
lex_format_prefixed(const char *prefix, const char *name, struct ds *s)
{
    ds_put_format(s, "%s%s", prefix, name);
}

/* Appends a textual form of 'token' to 's', one that lexes back to the same
 * token (except for errors). */
void
lex_token_format(const struct lex_token *token, struct ds *s)
{
    switch (token->type) {
    case LEX_T_END: ds_put_cstr(s, "$"); break;
    case LEX_T_ID: ds_put_cstr(s, token->s); break;
    case LEX_T_STRING: lex_format_string(token->s, s); break;
    case LEX_T_INTEGER:
        lex_format_value(&token->value, token->format, s);
        break;
    case LEX_T_MASKED_INTEGER:
        lex_format_masked_value(&token->value, &token->mask, token->format,
                                s);
        break;
    case LEX_T_MACRO: lex_format_prefixed("$", token->s, s); break;
    case LEX_T_PORT_GROUP: lex_format_prefixed("@", token->s, s); break;
    case LEX_T_TEMPLATE: lex_format_prefixed("^", token->s, s); break;
    case LEX_T_ERROR:
        ds_put_cstr(s, "error(");
        lex_format_string(token->s, s);
        ds_put_char(s, ')');
        break;
    case LEX_T_LPAREN: ds_put_cstr(s, "("); break;
    case LEX_T_RPAREN: ds_put_cstr(s, ")"); break;
    case LEX_T_LCURLY: ds_put_cstr(s, "{"); break;
    case LEX_T_RCURLY: ds_put_cstr(s, "}"); break;
    case LEX_T_LSQUARE: ds_put_cstr(s, "["); break;
    case LEX_T_RSQUARE: ds_put_cstr(s, "]"); break;
    case LEX_T_EQ: ds_put_cstr(s, "=="); break;
    case LEX_T_NE: ds_put_cstr(s, "!="); break;
    case LEX_T_LT: ds_put_cstr(s, "<"); break;
    case LEX_T_LE: ds_put_cstr(s, "<="); break;
    case LEX_T_GT: ds_put_cstr(s, ">"); break;
    case LEX_T_GE: ds_put_cstr(s, ">="); break;
    case LEX_T_LOG_NOT: ds_put_cstr(s, "!"); break;
    case LEX_T_LOG_AND: ds_put_cstr(s, "&&"); break;
    case LEX_T_LOG_OR: ds_put_cstr(s, "||"); break;
    case LEX_T_ELLIPSIS: ds_put_cstr(s, ".."); break;
    case LEX_T_COMMA: ds_put_cstr(s, ","); break;
    case LEX_T_SEMICOLON: ds_put_cstr(s, ";"); break;
    case LEX_T_EQUALS: ds_put_cstr(s, "="); break;
    case LEX_T_EXCHANGE: ds_put_cstr(s, "<->"); break;
    case LEX_T_DECREMENT: ds_put_cstr(s, "--"); break;
    case LEX_T_COLON: ds_put_cstr(s, ":"); break;
    case LEX_T_ARROW: ds_put_cstr(s, "->"); break;
    }
}

/* Numbers. */

static bool
lex_is_id_start(int c)
{
    return isalpha(c) || c == '_';
}

static bool
lex_is_id_char(int c)
{
    return isalnum(c) || c == '_' || c == '.';
}

/* Parses the hexadecimal digits in 's' (of length 'len') into 'value'.
 * Returns false if there are too many digits. */
static bool
lex_parse_hex_digits(const char *s, size_t len, union mf_subvalue *value)
{
    memset(value, 0, sizeof *value);
    if (len > SV_BYTES * 2) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        int digit = hexit_value(s[len - 1 - i]);
        value->u8[SV_BYTES - 1 - i / 2] |= digit << (i % 2 ? 4 : 0);
    }
    return true;
}

/* Parses the decimal digits in 's' (of length 'len') into 'value'. */
static bool
lex_parse_decimal_digits(const char *s, size_t len, union mf_subvalue *value)
{
    memset(value, 0, sizeof *value);
    for (size_t i = 0; i < len; i++) {
        unsigned int carry = s[i] - '0';

        /* value = value * 10 + carry, byte by byte from the right. */
        for (int j = SV_BYTES - 1; j >= 0; j--) {
            unsigned int x = value->u8[j] * 10 + carry;
            value->u8[j] = x & 0xff;
            carry = x >> 8;
        }
        if (carry) {
            return false;
        }
    }
    return true;
}

/* Returns the length of the run of characters that may belong to a numeric
 * constant at 'p'. */
static size_t
lex_number_span(const char *p)
{
    size_t n = strspn(p, "0123456789abcdefABCDEF:.xX");
    const char *dots = memmem(p, n, "..", 2);

    /* "0..15" in a subfield is two integers around an ellipsis; a run of
     * colons and dots other than that belongs to an IPv6 address. */
    if (dots && !memchr(p, ':', dots - p)) {
        n = dots - p;
    }
    return n;
}

static bool
lex_try_ethernet(const char *s, size_t len, struct lex_token *token)
{
    struct eth_addr ea;
    char buf[18];

    if (len != 17) {
        return false;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    for (int i = 0; i < 17; i++) {
        if (i % 3 == 2 ? buf[i] != ':' : !isxdigit((unsigned char) buf[i])) {
            return false;
        }
    }
    if (!eth_addr_from_string(buf, &ea)) {
        return false;
    }
    memset(&token->value, 0, sizeof token->value);
    token->value.mac = ea;
    token->format = LEX_F_ETHERNET;
    return true;
}

static bool
lex_try_ipv6(const char *s, size_t len, struct lex_token *token)
{
    struct in6_addr ip6;
    char buf[INET6_ADDRSTRLEN + 1];

    if (len >= sizeof buf) {
        return false;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (inet_pton(AF_INET6, buf, &ip6) != 1) {
        return false;
    }
    memset(&token->value, 0, sizeof token->value);
    token->value.ipv6 = ip6;
    token->format = LEX_F_IPV6;
    return true;
}

static bool
lex_try_ipv4(const char *s, size_t len, struct lex_token *token)
{
    struct in_addr ip;
    char buf[INET_ADDRSTRLEN + 1];

    if (len >= sizeof buf || memchr(s, ':', len)) {
        return false;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (inet_pton(AF_INET, buf, &ip) != 1) {
        return false;
    }
    memset(&token->value, 0, sizeof token->value);
    token->value.ipv4 = ip.s_addr;
    token->format = LEX_F_IPV4;
    return true;
}

/* Lexes a constant at 'p' without a mask into 'token'.  Returns the end of
 * the constant, or NULL if 'p' does not start a constant that a number may
 * start with a letter (an identifier, then). */
static const char *
lex_parse_unmasked(const char *p, struct lex_token *token)
{
    size_t n = lex_number_span(p);

    token->type = LEX_T_INTEGER;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        size_t len = strspn(p + 2, "0123456789abcdefABCDEF");
        if (!len) {
            lex_error(token, "Hex digits expected following 0%c.", p[1]);
        } else if (!lex_parse_hex_digits(p + 2, len, &token->value)) {
            lex_error(token, "Hexadecimal constant requires more than "
                      "%"PRIuSIZE" bits.", SV_BYTES * 8);
        }
        token->format = LEX_F_HEXADECIMAL;
        return p + 2 + len;
    }

    if (memchr(p, ':', n)) {
        if (lex_try_ethernet(p, n, token) || lex_try_ipv6(p, n, token)) {
            return p + n;
        }
        /* "10.0.0.1:80": an address followed by a colon. */
        n = (const char *) memchr(p, ':', n) - p;
    }
    if (!isdigit((unsigned char) p[0])) {
        return NULL;
    }
    if (memchr(p, '.', n)) {
        if (!lex_try_ipv4(p, n, token)) {
            lex_error(token, "Invalid numeric constant.");
        }
        return p + n;
    }

    size_t len = strspn(p, "0123456789");
    if (len < n || isalpha((unsigned char) p[len]) || p[len] == '_') {
        lex_error(token, "Invalid numeric constant.");
        return p + MAX(n, len + strspn(p + len, "0123456789abcdefABCDEF"
                                        "ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUV"
                                        "WXYZ_"));
    }
    if (!lex_parse_decimal_digits(p, len, &token->value)) {
        lex_error(token, "Decimal constant is too large.");
    }
    token->format = LEX_F_DECIMAL;
    return p + len;
}

/* Turns a CIDR prefix length in 'mask' into a mask of the width of
 * 'format', or reports an error in 'token'. */
static void
lex_cidr_mask(struct lex_token *token, const union mf_subvalue *plen_value)
{
    int width = token->format == LEX_F_IPV4 ? 32 : 128;
    uint64_t plen = ntohll(plen_value->integer);

    if (!lex_fits_u64(plen_value) || plen > width) {
        lex_error(token, "Invalid %s prefix length (must be between 0 and "
                  "%d).", lex_format_to_string(token->format), width);
        return;
    }
    memset(&token->mask, 0, sizeof token->mask);
    bitwise_one(&token->mask, SV_BYTES, width - plen, plen);
}

/* Having lexed a constant into 'token', lexes the mask after the '/' at
 * 'p'. */
static const char *
lex_parse_mask(const char *p, struct lex_token *token)
{
    struct lex_token mask;

    lex_token_init(&mask);
    p = lex_parse_unmasked(p, &mask);
    if (!p || mask.type == LEX_T_ERROR) {
        lex_error(token, "%s", p ? mask.s : "Invalid mask.");
        lex_token_destroy(&mask);
        return p ? p : "";
    }

    token->type = LEX_T_MASKED_INTEGER;
    if (mask.format == token->format) {
        token->mask = mask.value;
    } else if (mask.format == LEX_F_DECIMAL
               && (token->format == LEX_F_IPV4
                   || token->format == LEX_F_IPV6)) {
        lex_cidr_mask(token, &mask.value);
    } else {
        lex_error(token, "Value and mask have incompatible formats.");
    }
    lex_token_destroy(&mask);

    if (token->type == LEX_T_MASKED_INTEGER) {
        for (size_t i = 0; i < SV_BYTES; i++) {
            if (token->value.u8[i] & ~token->mask.u8[i]) {
                lex_error(token, "Value contains unmasked 1-bits.");
                break;
            }
        }
    }
    return p;
}

/* Lexes a numeric constant at 'p', with its optional mask.  Returns NULL if
 * 'p' is an identifier after all. */
static const char *
lex_parse_number(const char *p, struct lex_token *token)
{
    const char *end = lex_parse_unmasked(p, token);

    if (end && token->type == LEX_T_INTEGER && *end == '/'
        && end[1] != '/' && end[1] != '*') {
        end = lex_parse_mask(end + 1, token);
    }
    return end;
}

/* Strings, names and comments. */

static const char *
lex_parse_string(const char *p, struct lex_token *token)
{
    const char *start = ++p;
    char *out;

    for (;;) {
        if (*p == '\0' || *p == '\n') {
            lex_error(token, "Input ends inside quoted string.");
            return p;
        } else if (*p == '"') {
            break;
        } else if (*p == '\\') {
            p++;
            if (*p == '\0') {
                continue;
            }
        }
        p++;
    }

    if (!json_string_unescape(start, p - start, &out)) {
        lex_error(token, "%s", out);
        free(out);
    } else {
        token->type = LEX_T_STRING;
        token->s = out;
    }
    return p + 1;
}

static const char *
lex_parse_id(const char *p, enum lex_type type, struct lex_token *token)
{
    const char *start = p;

    while (lex_is_id_char((unsigned char) *p)) {
        p++;
    }
    token->type = type;
    token->s = xmemdup0(start, p - start);
    return p;
}

/* Lexes a name after a sigil ('$', '@', '^'). */
static const char *
lex_parse_sigil(const char *p, enum lex_type type, struct lex_token *token)
{
    char sigil = *p++;

    if (!lex_is_id_start((unsigned char) *p)) {
        lex_error(token, "`%c' must be followed by a valid identifier.",
                  sigil);
        return p;
    }
    return lex_parse_id(p, type, token);
}

/* Skips white space and comments at 'p'.  On an unterminated comment, sets
 * an error in 'token' and returns NULL. */
static const char *
lex_skip_space(const char *p, struct lex_token *token)
{
    for (;;) {
        if (isspace((unsigned char) *p)) {
            p++;
        } else if (p[0] == '/' && p[1] == '/') {
            p += strcspn(p, "\n");
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            const char *nl = strchr(p + 2, '\n');
            if (!end || (nl && nl < end)) {
                lex_error(token, "`/*' without matching `*/'.");
                return NULL;
            }
            p = end + 2;
        } else {
            return p;
        }
    }
}

/* Lexes a one- to three-character operator at 'p'. */
static const char *
lex_parse_operator(const char *p, struct lex_token *token)
{
    static const struct {
        const char *s;
        enum lex_type type;
    } ops[] = {
        /* Longer operators come first. */
        { "<->", LEX_T_EXCHANGE },
        { "==", LEX_T_EQ }, { "!=", LEX_T_NE }, { "<=", LEX_T_LE },
        { ">=", LEX_T_GE }, { "&&", LEX_T_LOG_AND }, { "||", LEX_T_LOG_OR },
        { "..", LEX_T_ELLIPSIS }, { "--", LEX_T_DECREMENT },
        { "->", LEX_T_ARROW },
        { "(", LEX_T_LPAREN }, { ")", LEX_T_RPAREN }, { "{", LEX_T_LCURLY },
        { "}", LEX_T_RCURLY }, { "[", LEX_T_LSQUARE },
        { "]", LEX_T_RSQUARE }, { "<", LEX_T_LT }, { ">", LEX_T_GT },
        { "!", LEX_T_LOG_NOT }, { ",", LEX_T_COMMA },
        { ";", LEX_T_SEMICOLON }, { "=", LEX_T_EQUALS },
        { ":", LEX_T_COLON },
    };

    for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
        size_t len = strlen(ops[i].s);
        if (!strncmp(p, ops[i].s, len)) {
            token->type = ops[i].type;
            return p + len;
        }
    }
    if (*p == '&' || *p == '|') {
        lex_error(token, "`%c' is only valid as part of `%c%c'.",
                  *p, *p, *p);
    } else if (isprint((unsigned char) *p)) {
        lex_error(token, "Invalid character `%c' in input.", *p);
    } else {
        lex_error(token, "Invalid byte 0x%02x in input.", (uint8_t) *p);
    }
    return p + 1;
}

/* Parses one token from 'p' into 'token' (which must be initialized, and
 * whose old content is freed).  Stores the start of the token into
 * '*startp' and returns the position just past it. */
const char *
lex_token_parse(struct lex_token *token, const char *p, const char **startp)
{
    lex_token_destroy(token);
    lex_token_init(token);

    p = lex_skip_space(p, token);
    if (!p) {
        *startp = "";
        return "";
    }
    *startp = p;

    if (*p == '\0') {
        token->type = LEX_T_END;
        return p;
    } else if (*p == '"') {
        return lex_parse_string(p, token);
    } else if (*p == '$') {
        return lex_parse_sigil(p, LEX_T_MACRO, token);
    } else if (*p == '@') {
        return lex_parse_sigil(p, LEX_T_PORT_GROUP, token);
    } else if (*p == '^') {
        return lex_parse_sigil(p, LEX_T_TEMPLATE, token);
    } else if (isxdigit((unsigned char) *p)
               || (p[0] == ':' && p[1] == ':')) {
        const char *end = lex_parse_number(p, token);
        if (end) {
            return end;
        }
        lex_token_destroy(token);
        lex_token_init(token);
        if (*p == ':') {
            return lex_parse_operator(p, token);
        }
    }
    if (lex_is_id_start((unsigned char) *p)) {
        return lex_parse_id(p, LEX_T_ID, token);
    }
    return lex_parse_operator(p, token);
}

/* The lexer. */

/* Initializes 'lexer' to lex 'input', which must outlive it.  The caller
 * must call lexer_get() to obtain the first token. */
void
lexer_init(struct lexer *lexer, const char *input)
{
    lexer->input = input;
    lexer->start = input;
    lex_token_init(&lexer->token);
}

void
lexer_destroy(struct lexer *lexer)
{
    if (lexer) {
        lex_token_destroy(&lexer->token);
    }
}

/* Advances to the next token and returns its type. */
enum lex_type
lexer_get(struct lexer *lexer)
{
    lexer->input = lex_token_parse(&lexer->token, lexer->input,
                                   &lexer->start);
    return lexer->token.type;
}

/* Returns the type of the token after the current one, without advancing. */
enum lex_type
lexer_lookahead(const struct lexer *lexer)
{
    struct lex_token next;
    const char *start;
    enum lex_type type;

    lex_token_init(&next);
    lex_token_parse(&next, lexer->input, &start);
    type = next.type;
    lex_token_destroy(&next);
    return type;
}

/* If the current token has type 'type', advances past it and returns true;
 * otherwise returns false. */
bool
lexer_match(struct lexer *lexer, enum lex_type type)
{
    if (lexer->token.type == type) {
        lexer_get(lexer);
        return true;
    }
    return false;
}

/* If the current token is the identifier 'id', advances past it and returns
 * true. */
bool
lexer_match_id(struct lexer *lexer, const char *id)
{
    if (lexer->token.type == LEX_T_ID && !strcmp(lexer->token.s, id)) {
        lexer_get(lexer);
        return true;
    }
    return false;
}

/* Returns true if the current token is a small non-negative decimal
 * integer. */
bool
lexer_is_int(const struct lexer *lexer)
{
    const struct lex_token *t = &lexer->token;
    return (t->type == LEX_T_INTEGER && t->format == LEX_F_DECIMAL
            && bitwise_is_all_zeros(&t->value, SV_BYTES, 31,
                                    SV_BYTES * 8 - 31));
}

/* If the current token is a small integer, stores it in '*value', advances,
 * and returns true. */
bool
lexer_get_int(struct lexer *lexer, int *value)
{
    if (lexer_is_int(lexer)) {
        *value = ntohll(lexer->token.value.integer);
        lexer_get(lexer);
        return true;
    }
    *value = 0;
    return false;
}

/* Returns a malloc'd error message about the current token of 'lexer':
 * "Syntax error at `TOKEN' MESSAGE", or for an error token the lexer's own
 * message. */
char *
lexer_error(const struct lexer *lexer, const char *message, ...)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    const struct lex_token *t = &lexer->token;

    if (t->type == LEX_T_ERROR) {
        ds_put_format(&s, "Syntax error at `%.*s': %s",
                      (int) (lexer->input - lexer->start), lexer->start,
                      t->s);
        return ds_steal_cstr(&s);
    }
    if (t->type == LEX_T_END) {
        ds_put_cstr(&s, "Syntax error at end of input");
    } else {
        ds_put_format(&s, "Syntax error at `%.*s'",
                      (int) (lexer->input - lexer->start), lexer->start);
    }
    if (message) {
        va_list args;

        ds_put_cstr(&s, ": ");
        va_start(args, message);
        ds_put_format_valist(&s, message, args);
        va_end(args);
    }
    VLOG_DBG("%s", ds_cstr(&s));
    return ds_steal_cstr(&s);
}

/* Replaces each template reference ^NAME in 'input' by the value of NAME in
 * 'templates'.  On success stores the malloc'd result in '*outp' and
 * returns NULL; on failure (an unknown name or a lexical error) stores NULL
 * and returns a malloc'd error. */
char *
lex_template_expand(const char *input, const struct smap *templates,
                    char **outp)
{
    struct ds out = DS_EMPTY_INITIALIZER;
    struct lexer lexer;
    const char *copied = input;
    char *error = NULL;

    lexer_init(&lexer, input);
    while (lexer_get(&lexer) != LEX_T_END) {
        if (lexer.token.type == LEX_T_ERROR) {
            error = lexer_error(&lexer, NULL);
            break;
        } else if (lexer.token.type == LEX_T_TEMPLATE) {
            const char *value = templates
                                ? smap_get(templates, lexer.token.s) : NULL;
            if (!value) {
                error = xasprintf("No template variable named `%s'.",
                                  lexer.token.s);
                break;
            }
            ds_put_buffer(&out, copied, lexer.start - copied);
            ds_put_format(&out, "%s", value);
            copied = lexer.input;
        }
    }
    lexer_destroy(&lexer);

    if (error) {
        ds_destroy(&out);
        *outp = NULL;
        return error;
    }
    ds_put_cstr(&out, copied);
    *outp = ds_steal_cstr(&out);
    return NULL;
}
