/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Actions that look something up in the chassis's own OpenFlow tables
 * (family "lookup"): get_arp, get_nd, lookup_arp[_ip], lookup_nd[_ip],
 * get_fdb, lookup_fdb, chk_lb_hairpin[_reply], check_{in,out}_port_sec,
 * chk_ecmp_nh[_mac], chk_lb_aff.
 *
 * The contract with the flows in those tables: the encoder saves the key
 * registers (push), copies the arguments into them, clears the result
 * flag, resubmits to the table, restores the key registers (pop) and copies
 * the result flag into R.  Keys by table:
 *
 *   66 MAC_BINDING     reg15 = port, reg0 = IPv4 or xxreg0 = IPv6;
 *                      sets eth.dst (get_arp, get_nd).  The encoder
 *                      clears eth.dst first, so that a miss leaves
 *                      00:00:00:00:00:00, which the logical flows test to
 *                      send an ARP or ND request.
 *   67 MAC_LOOKUP      reg14 = port, reg0 or xxreg0 = IP, xreg2[0..47] =
 *                      MAC; sets flags bit MLF_LOOKUP_MAC_BIT.
 *   82/83              as 67 without MAC (lookup_arp_ip, lookup_nd_ip).
 *   71 GET_FDB         xreg2[0..47] = MAC; loads the port key into reg1.
 *   72 LOOKUP_FDB      reg14 = port, xreg2[0..47] = MAC; sets
 *                      MLF_LOOKUP_FDB_BIT.
 *   68/69, 73/75, 76/77, 78: no keys; set the bit named below. */

#include <config.h>
#include "actions-private.h"

#include <string.h>
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "ovn/of-tables.h"
#include "symtab.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(actions_lookup);

/* A key register: bits [ofs, ofs + n_bits) of field 'id'. */
struct lookup_key {
    enum mf_field_id id;
    int ofs, n_bits;
};

struct lookup_sig {
    enum lact_type type;
    int n_args;
    int widths[3];              /* 0: string field. */
    const char *names[3];
    struct lookup_key keys[3];
    int table;
    int result_bit;             /* Flags bit, or -1: result in reg1 (get_fdb)
                                 * or no result (get_arp, get_nd). */
};

#define K_REG(N) { MFF_REG##N, 0, 32 }
#define K_XXREG0 { MFF_XXREG0, 0, 128 }
#define K_MAC { MFF_XREG2, 0, 48 }

static const struct lookup_sig lookup_sigs[] = {
    { LACT_GET_ARP, 2, { 0, 32 }, { "port", "IP address" },
      { K_REG(15), K_REG(0) }, OFTABLE_MAC_BINDING, -1 },
    { LACT_GET_ND, 2, { 0, 128 }, { "port", "IPv6 address" },
      { K_REG(15), K_XXREG0 }, OFTABLE_MAC_BINDING, -1 },
    { LACT_LOOKUP_ARP, 3, { 0, 32, 48 }, { "port", "IP address", "MAC" },
      { K_REG(14), K_REG(0), K_MAC }, OFTABLE_MAC_LOOKUP,
      MLF_LOOKUP_MAC_BIT },
    { LACT_LOOKUP_ARP_IP, 2, { 0, 32 }, { "port", "IP address" },
      { K_REG(14), K_REG(0) }, OFTABLE_MAC_LOOKUP_IP4, MLF_LOOKUP_MAC_BIT },
    { LACT_LOOKUP_ND, 3, { 0, 128, 48 }, { "port", "IPv6 address", "MAC" },
      { K_REG(14), K_XXREG0, K_MAC }, OFTABLE_MAC_LOOKUP,
      MLF_LOOKUP_MAC_BIT },
    { LACT_LOOKUP_ND_IP, 2, { 0, 128 }, { "port", "IPv6 address" },
      { K_REG(14), K_XXREG0 }, OFTABLE_MAC_LOOKUP_IP6, MLF_LOOKUP_MAC_BIT },
    { LACT_GET_FDB, 1, { 48 }, { "MAC" }, { K_MAC }, OFTABLE_GET_FDB, -1 },
    { LACT_LOOKUP_FDB, 2, { 0, 48 }, { "port", "MAC" },
      { K_REG(14), K_MAC }, OFTABLE_LOOKUP_FDB, MLF_LOOKUP_FDB_BIT },
    { LACT_CHK_LB_HAIRPIN, 0, { 0 }, { NULL }, { { 0, 0, 0 } },
      OFTABLE_CHK_LB_HAIRPIN, MLF_LOOKUP_LB_HAIRPIN_BIT },
    { LACT_CHK_LB_HAIRPIN_REPLY, 0, { 0 }, { NULL }, { { 0, 0, 0 } },
      OFTABLE_CHK_LB_HAIRPIN_REPLY, MLF_LOOKUP_LB_HAIRPIN_BIT },
    { LACT_CHK_IN_PORT_SEC, 0, { 0 }, { NULL }, { { 0, 0, 0 } },
      OFTABLE_CHK_IN_PORT_SEC, MLF_CHECK_PORT_SEC_BIT },
    { LACT_CHK_OUT_PORT_SEC, 0, { 0 }, { NULL }, { { 0, 0, 0 } },
      OFTABLE_CHK_OUT_PORT_SEC, MLF_CHECK_PORT_SEC_BIT },
    { LACT_CHK_ECMP_NH_MAC, 0, { 0 }, { NULL }, { { 0, 0, 0 } },
      OFTABLE_ECMP_NH_MAC, MLF_LOOKUP_COMMIT_ECMP_NH_BIT },
    { LACT_CHK_ECMP_NH, 0, { 0 }, { NULL }, { { 0, 0, 0 } },
      OFTABLE_ECMP_NH, MLF_LOOKUP_COMMIT_ECMP_NH_BIT },
    { LACT_CHK_LB_AFF, 0, { 0 }, { NULL }, { { 0, 0, 0 } },
      OFTABLE_CHK_LB_AFFINITY, MLF_USE_LB_AFF_SESSION_BIT },
};

static const struct lookup_sig *
lookup_sig(enum lact_type type)
{
    for (size_t i = 0; i < ARRAY_SIZE(lookup_sigs); i++) {
        if (lookup_sigs[i].type == type) {
            return &lookup_sigs[i];
        }
    }
    OVS_NOT_REACHED();
}

char *
lact_lookup_parse(struct lact_parser *p, struct lact *act)
{
    const struct lookup_sig *sig = lookup_sig(act->type);

    if (act->dst.symbol) {
        char *error = lact_check_result(p, act,
                                        act->type == LACT_GET_FDB ? 0 : 1);
        if (error) {
            return error;
        }
    }
    return lact_parse_field_args(p, act, sig->n_args, sig->widths,
                                 sig->names);
}

void
lact_lookup_format(const struct lact *act, struct ds *s)
{
    if (act->dst.symbol) {
        lact_field_format(&act->dst, s);
        ds_put_cstr(s, " = ");
    }
    ds_put_format(s, "%s(", lact_class_get(act->type)->keyword);
    for (size_t i = 0; i < act->n_args; i++) {
        if (i) {
            ds_put_cstr(s, ", ");
        }
        lact_field_format(&act->args[i], s);
    }
    ds_put_char(s, ')');
}

static void
key_subfield(const struct lookup_key *k, struct mf_subfield *sf)
{
    sf->field = mf_from_id(k->id);
    sf->ofs = k->ofs;
    sf->n_bits = k->n_bits;
}

void
lact_lookup_encode(const struct lact *act,
              const struct lact_encode_ctx *ctx OVS_UNUSED,
              struct ofpbuf *ofpacts)
{
    const struct lookup_sig *sig = lookup_sig(act->type);
    struct mf_subfield keys[3], arg, r1;
    int n = sig->n_args;

    for (int i = 0; i < n; i++) {
        key_subfield(&sig->keys[i], &keys[i]);
        lact_put_push(ofpacts, &keys[i]);
    }
    if (act->type == LACT_GET_FDB) {
        lact_subfield_whole(MFF_REG1, &r1);
        lact_put_push(ofpacts, &r1);
    }
    for (int i = 0; i < n; i++) {
        lact_field_subfield(&act->args[i], &arg);
        if (arg.field != keys[i].field || arg.ofs != keys[i].ofs
            || arg.n_bits != keys[i].n_bits) {
            lact_put_move(ofpacts, &arg, &keys[i]);
        }
    }
    if (sig->result_bit >= 0) {
        lact_put_load_u64(ofpacts, MFF_LOG_FLAGS, sig->result_bit, 1, 0);
    } else if (act->type == LACT_GET_FDB) {
        lact_put_load_u64(ofpacts, MFF_REG1, 0, 32, 0);
    } else {
        /* get_arp, get_nd: the result is eth.dst, zero on a miss. */
        lact_put_load_u64(ofpacts, MFF_ETH_DST, 0, 48, 0);
    }
    lact_put_resubmit(ofpacts, sig->table);

    struct mf_subfield dst;
    if (act->type == LACT_GET_FDB) {
        lact_field_subfield(&act->dst, &dst);
        lact_put_move(ofpacts, &r1, &dst);
        lact_put_pop(ofpacts, &r1);
    }
    for (int i = n - 1; i >= 0; i--) {
        lact_put_pop(ofpacts, &keys[i]);
    }
    if (sig->result_bit >= 0 && act->dst.symbol) {
        struct mf_subfield bit = {
            .field = mf_from_id(MFF_LOG_FLAGS),
            .ofs = sig->result_bit, .n_bits = 1,
        };
        lact_field_subfield(&act->dst, &dst);
        lact_put_move(ofpacts, &bit, &dst);
    }
}

void
lact_lookup_destroy(struct lact *act OVS_UNUSED)
{
}
