/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Evaluation of a match expression on a concrete packet.
 *
 * Reads each field from a struct flow with OVS's mf_get_value(), so it
 * sees a packet as OpenFlow matching does.  The test driver uses it to
 * check that every stage (parse, annotate, simplify, normalize) keeps the
 * meaning and that the OpenFlow matches agree with it. */

#include <config.h>

#include "expr.h"

#include <string.h>

#include "flow.h"
#include "coverage.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(expr_eval);
COVERAGE_DEFINE(expr_evaluate);

#define SV_BYTES (sizeof(union mf_subvalue))

/* Stores the bits of 'symbol' in 'flow' in 'x', right-aligned. */
static void
read_symbol(const struct expr_symbol *symbol, const struct flow *flow,
            union mf_subvalue *x)
{
    const struct expr_symbol *base;
    union mf_subvalue whole;
    union mf_value value;
    int ofs;

    expr_symbol_resolve(symbol, &base, &ofs);
    mf_get_value(base->field, flow, &value);
    memset(&whole, 0, sizeof whole);
    memcpy(&whole.u8[SV_BYTES - base->field->n_bytes], value.b,
           base->field->n_bytes);
    memset(x, 0, sizeof *x);
    bitwise_copy(&whole, SV_BYTES, ofs, x, SV_BYTES, 0, symbol->width);
}

/* Compares the bits of 'x' and 'y' under 'mask' (one run of bits) as
 * unsigned numbers: returns <0, 0 or >0. */
static int
compare_run(const union mf_subvalue *x, const union mf_subvalue *y,
            const union mf_subvalue *mask)
{
    for (int i = SV_BYTES * 8 - 1; i >= 0; i--) {
        if (bitwise_get_bit(mask, SV_BYTES, i)) {
            bool a = bitwise_get_bit(x, SV_BYTES, i);
            bool b = bitwise_get_bit(y, SV_BYTES, i);
            if (a != b) {
                return a ? 1 : -1;
            }
        }
    }
    return 0;
}

static bool
evaluate_cmp(const struct expr *e, const struct flow *flow,
             expr_lookup_port_cb *lookup_port, const void *aux)
{
    const struct expr_symbol *symbol = e->cmp.symbol;
    union mf_subvalue x;
    int cmp;

    if (expr_symbol_is_string(symbol)) {
        union mf_value value;
        unsigned int key;
        bool eq;

        mf_get_value(symbol->field, flow, &value);
        eq = (lookup_port && lookup_port(aux, e->cmp.string, &key)
              && ntohl(value.be32) == key);
        return e->cmp.relop == EXPR_R_EQ ? eq : !eq;
    }

    read_symbol(symbol, flow, &x);
    if (e->cmp.relop == EXPR_R_EQ || e->cmp.relop == EXPR_R_NE) {
        bool eq = true;

        for (size_t i = 0; i < SV_BYTES; i++) {
            if ((x.u8[i] ^ e->cmp.value.u8[i]) & e->cmp.mask.u8[i]) {
                eq = false;
                break;
            }
        }
        return e->cmp.relop == EXPR_R_EQ ? eq : !eq;
    }

    cmp = compare_run(&x, &e->cmp.value, &e->cmp.mask);
    switch (e->cmp.relop) {
    case EXPR_R_LT: return cmp < 0;
    case EXPR_R_LE: return cmp <= 0;
    case EXPR_R_GT: return cmp > 0;
    case EXPR_R_GE: return cmp >= 0;
    case EXPR_R_EQ:
    case EXPR_R_NE:
    default:
        OVS_NOT_REACHED();
    }
}

/* Returns the value of 'e' for a packet with fields 'flow'.  'lookup_port'
 * maps logical port names to keys (a comparison with an unknown port is
 * false).  is_chassis_resident() conditions still in 'e' count as true
 * (the port is resident), negated ones as false. */
bool
expr_evaluate(const struct expr *e, const struct flow *flow,
              expr_lookup_port_cb *lookup_port, const void *aux)
{
    const struct expr *sub;

    COVERAGE_INC(expr_evaluate);
    switch (e->type) {
    case EXPR_T_CMP:
        return evaluate_cmp(e, flow, lookup_port, aux);
    case EXPR_T_AND:
        LIST_FOR_EACH (sub, node, &e->andor) {
            if (!expr_evaluate(sub, flow, lookup_port, aux)) {
                return false;
            }
        }
        return true;
    case EXPR_T_OR:
        LIST_FOR_EACH (sub, node, &e->andor) {
            if (expr_evaluate(sub, flow, lookup_port, aux)) {
                return true;
            }
        }
        return false;
    case EXPR_T_BOOLEAN:
        return e->boolean;
    case EXPR_T_CONDITION:
        return !e->cond.not;
    }
    OVS_NOT_REACHED();
}
