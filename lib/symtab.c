/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* The symbol table of the logical flow language.  See symtab.h.
 *
 * ovn-sb(5) ("Logical_Flow TABLE", "Symbols") lists the symbols and the
 * predicates' expansions; ovn-architecture(7) says which registers hold the
 * logical metadata.  The table below is the single declaration of all of
 * them; symtab_init() builds the lookup table from it. */

#include <config.h>

#include "symtab.h"

#include <string.h>

#include "coverage.h"
#include "expr.h"
#include "lex.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(symtab);
COVERAGE_DEFINE(symtab_bad_def);

#define FIELD(NAME, OVS, PREREQS, RW) \
    { NAME, EXPR_SD_FIELD, OVS, 0, 0, PREREQS, RW }
#define STRING(NAME, OVS) \
    { NAME, EXPR_SD_STRING, OVS, 0, 0, NULL, true }
#define SUBFIELD(NAME, PARENT, LO, HI, PREREQS, RW) \
    { NAME, EXPR_SD_SUBFIELD, PARENT, LO, HI, PREREQS, RW }
#define FLAG(NAME, BIT) SUBFIELD(NAME, "flags", BIT, BIT, NULL, true)
#define PREDICATE(NAME, EXPANSION) \
    { NAME, EXPR_SD_PREDICATE, EXPANSION, 0, 0, NULL, false }

/* The logical flow language's symbols.  A symbol may refer only to symbols
 * declared above it. */
static const struct expr_symdef ovn_symdefs[] = {
    /* Logical registers. */
    FIELD("xxreg0", "xxreg0", NULL, true),
    FIELD("xxreg1", "xxreg1", NULL, true),
    FIELD("xreg0", "xreg0", NULL, true),
    FIELD("xreg1", "xreg1", NULL, true),
    FIELD("xreg2", "xreg2", NULL, true),
    FIELD("xreg3", "xreg3", NULL, true),
    FIELD("xreg4", "xreg4", NULL, true),
    FIELD("reg0", "reg0", NULL, true),
    FIELD("reg1", "reg1", NULL, true),
    FIELD("reg2", "reg2", NULL, true),
    FIELD("reg3", "reg3", NULL, true),
    FIELD("reg4", "reg4", NULL, true),
    FIELD("reg5", "reg5", NULL, true),
    FIELD("reg6", "reg6", NULL, true),
    FIELD("reg7", "reg7", NULL, true),
    FIELD("reg8", "reg8", NULL, true),
    FIELD("reg9", "reg9", NULL, true),

    /* Logical metadata. */
    STRING("inport", "reg14"),
    STRING("outport", "reg15"),
    FIELD("flags", "reg10", NULL, true),
    FLAG("flags.loopback", MLF_ALLOW_LOOPBACK_BIT),
    FLAG("flags.force_snat_for_dnat", MLF_FORCE_SNAT_FOR_DNAT_BIT),
    FLAG("flags.force_snat_for_lb", MLF_FORCE_SNAT_FOR_LB_BIT),
    FLAG("flags.skip_snat_for_lb", MLF_SKIP_SNAT_FOR_LB_BIT),
    FLAG("flags.use_snat_zone", MLF_USE_SNAT_ZONE_BIT),
    FIELD("pkt.mark", "pkt_mark", NULL, true),

    /* Connection tracking. */
    FIELD("ct_state", "ct_state", NULL, false),
    SUBFIELD("ct.trk", "ct_state", 5, 5, NULL, false),
    SUBFIELD("ct.new", "ct_state", 0, 0, "ct.trk", false),
    SUBFIELD("ct.est", "ct_state", 1, 1, "ct.trk", false),
    SUBFIELD("ct.rel", "ct_state", 2, 2, "ct.trk", false),
    SUBFIELD("ct.rpl", "ct_state", 3, 3, "ct.trk", false),
    SUBFIELD("ct.inv", "ct_state", 4, 4, "ct.trk", false),
    SUBFIELD("ct.snat", "ct_state", 6, 6, "ct.trk", false),
    SUBFIELD("ct.dnat", "ct_state", 7, 7, "ct.trk", false),
    FIELD("ct_mark", "ct_mark", NULL, true),
    SUBFIELD("ct_mark.blocked", "ct_mark", 0, 0, NULL, true),
    SUBFIELD("ct_mark.natted", "ct_mark", 1, 1, NULL, true),
    SUBFIELD("ct_mark.skip_snat", "ct_mark", 2, 2, NULL, true),
    SUBFIELD("ct_mark.force_snat", "ct_mark", 3, 3, NULL, true),
    SUBFIELD("ct_mark.ecmp_reply_port", "ct_mark", 16, 31, NULL, true),
    FIELD("ct_label", "ct_label", NULL, true),
    SUBFIELD("ct_label.blocked", "ct_label", 0, 0, NULL, true),
    SUBFIELD("ct_label.natted", "ct_label", 1, 1, NULL, true),
    SUBFIELD("ct_label.skip_snat", "ct_label", 2, 2, NULL, true),
    SUBFIELD("ct_label.force_snat", "ct_label", 3, 3, NULL, true),
    SUBFIELD("ct_label.ecmp_reply_eth", "ct_label", 32, 79, NULL, true),
    SUBFIELD("ct_label.ecmp_reply_port", "ct_label", 80, 95, NULL, true),
    SUBFIELD("ct_label.label", "ct_label", 96, 127, NULL, true),

    /* Ethernet and VLAN. */
    FIELD("eth.src", "eth_src", NULL, true),
    FIELD("eth.dst", "eth_dst", NULL, true),
    FIELD("eth.type", "eth_type", NULL, false),
    PREDICATE("eth.bcast", "eth.dst == ff:ff:ff:ff:ff:ff"),
    SUBFIELD("eth.mcast", "eth.dst", 40, 40, NULL, false),
    PREDICATE("eth.mcastv6", "eth.dst[32..47] == 0x3333"),
    FIELD("vlan.tci", "vlan_tci", NULL, false),
    SUBFIELD("vlan.present", "vlan.tci", 12, 12, NULL, false),
    SUBFIELD("vlan.vid", "vlan.tci", 0, 11, "vlan.present", false),
    SUBFIELD("vlan.pcp", "vlan.tci", 13, 15, "vlan.present", false),

    /* IP. */
    PREDICATE("ip4", "eth.type == 0x800"),
    PREDICATE("ip6", "eth.type == 0x86dd"),
    PREDICATE("ip", "ip4 || ip6"),
    FIELD("ip.proto", "nw_proto", "ip", false),
    FIELD("ip.dscp", "ip_dscp", "ip", true),
    FIELD("ip.ecn", "nw_ecn", "ip", true),
    FIELD("ip.ttl", "nw_ttl", "ip", true),
    FIELD("ip.frag", "ip_frag", "ip", false),
    SUBFIELD("ip.is_frag", "ip.frag", 0, 0, NULL, false),
    SUBFIELD("ip.later_frag", "ip.frag", 1, 1, NULL, false),
    PREDICATE("ip.first_frag", "ip.is_frag && !ip.later_frag"),
    FIELD("ip4.src", "ip_src", "ip4", true),
    FIELD("ip4.dst", "ip_dst", "ip4", true),
    PREDICATE("ip4.src_mcast", "ip4.src[28..31] == 0xe"),
    PREDICATE("ip4.mcast", "ip4.dst[28..31] == 0xe"),
    FIELD("ip6.src", "ipv6_src", "ip6", true),
    FIELD("ip6.dst", "ipv6_dst", "ip6", true),
    FIELD("ip6.label", "ipv6_label", "ip6", true),
    PREDICATE("ip6.mcast", "eth.mcastv6 && ip6.dst[120..127] == 0xff"),
    PREDICATE("ip6.mcast_rsvd",
              "ip6.dst[116..127] == 0xff0 && ip6.dst[0..111] == 0"),
    PREDICATE("ip6.mcast_all_nodes", "ip6.dst == {ff01::1, ff02::1}"),
    PREDICATE("ip6.mcast_all_rtrs", "ip6.dst == {ff01::2, ff02::2, ff05::2}"),
    PREDICATE("ip6.mcast_sol_node", "ip6.dst == ff02::1:ff00:0/104"),
    PREDICATE("ip6.mcast_flood",
              "eth.mcastv6 && (ip6.mcast_rsvd || ip6.mcast_all_nodes "
              "|| ip6.mcast_all_rtrs)"),
    PREDICATE("ip6.mcast_flood_l2",
              "eth.mcastv6 && (ip6.mcast_all_nodes || ip6.mcast_sol_node)"),

    /* ICMP, IGMP, MLD, ND. */
    PREDICATE("icmp4", "ip4 && ip.proto == 1"),
    FIELD("icmp4.type", "icmp_type", "icmp4", true),
    FIELD("icmp4.code", "icmp_code", "icmp4", true),
    PREDICATE("icmp6", "ip6 && ip.proto == 58"),
    FIELD("icmp6.type", "icmpv6_type", "icmp6", true),
    FIELD("icmp6.code", "icmpv6_code", "icmp6", true),
    PREDICATE("icmp", "icmp4 || icmp6"),
    PREDICATE("igmp", "ip4 && ip.proto == 2"),
    PREDICATE("mldv1",
              "ip6.src == fe80::/10 && icmp6.type == {130, 131, 132}"),
    PREDICATE("mldv2", "ip6.src == fe80::/10 && icmp6.type == 143"),
    PREDICATE("nd",
              "icmp6.type == {135, 136} && icmp6.code == 0 && ip.ttl == 255"),
    PREDICATE("nd_rs",
              "icmp6.type == 133 && icmp6.code == 0 && ip.ttl == 255"),
    PREDICATE("nd_ra",
              "icmp6.type == 134 && icmp6.code == 0 && ip.ttl == 255"),
    PREDICATE("nd_ns",
              "icmp6.type == 135 && icmp6.code == 0 && ip.ttl == 255"),
    PREDICATE("nd_na",
              "icmp6.type == 136 && icmp6.code == 0 && ip.ttl == 255"),
    PREDICATE("nd_ns_mcast",
              "ip6.mcast && icmp6.type == 135 && icmp6.code == 0 "
              "&& ip.ttl == 255"),
    FIELD("nd.target", "nd_target", "nd", true),
    FIELD("nd.sll", "nd_sll", "nd_ns", true),
    FIELD("nd.tll", "nd_tll", "nd_na", true),

    /* ARP and RARP share OVS's fields. */
    PREDICATE("arp", "eth.type == 0x806"),
    FIELD("arp.op", "arp_op", "arp", true),
    FIELD("arp.spa", "arp_spa", "arp", true),
    FIELD("arp.tpa", "arp_tpa", "arp", true),
    FIELD("arp.sha", "arp_sha", "arp", true),
    FIELD("arp.tha", "arp_tha", "arp", true),
    PREDICATE("rarp", "eth.type == 0x8035"),
    FIELD("rarp.op", "arp_op", "rarp", true),
    FIELD("rarp.spa", "arp_spa", "rarp", true),
    FIELD("rarp.tpa", "arp_tpa", "rarp", true),
    FIELD("rarp.sha", "arp_sha", "rarp", true),
    FIELD("rarp.tha", "arp_tha", "rarp", true),

    /* Transport. */
    PREDICATE("tcp", "ip.proto == 6"),
    FIELD("tcp.src", "tcp_src", "tcp", true),
    FIELD("tcp.dst", "tcp_dst", "tcp", true),
    FIELD("tcp.flags", "tcp_flags", "tcp", false),
    PREDICATE("udp", "ip.proto == 17"),
    FIELD("udp.src", "udp_src", "udp", true),
    FIELD("udp.dst", "udp_dst", "udp", true),
    PREDICATE("sctp", "ip.proto == 132"),
    FIELD("sctp.src", "sctp_src", "sctp", true),
    FIELD("sctp.dst", "sctp_dst", "sctp", true),

    /* The original direction's tuple of a tracked connection. */
    FIELD("ct_proto", "ct_nw_proto", "ct.trk", false),
    FIELD("ct_nw_src", "ct_nw_src", "ct.trk && ip4", false),
    FIELD("ct_nw_dst", "ct_nw_dst", "ct.trk && ip4", false),
    FIELD("ct_ip6_src", "ct_ipv6_src", "ct.trk && ip6", false),
    FIELD("ct_ip6_dst", "ct_ipv6_dst", "ct.trk && ip6", false),
    FIELD("ct_tp_src", "ct_tp_src", "ct.trk", false),
    FIELD("ct_tp_dst", "ct_tp_dst", "ct.trk", false),
};

static enum lex_format
symtab_format_of(const struct mf_field *mf)
{
    switch (mf->string) {
    case MFS_DECIMAL:
        return LEX_F_DECIMAL;
    case MFS_ETHERNET:
        return LEX_F_ETHERNET;
    case MFS_IPV4:
        return LEX_F_IPV4;
    case MFS_IPV6:
        return LEX_F_IPV6;
    case MFS_HEXADECIMAL:
    case MFS_CT_STATE:
    case MFS_OFP_PORT:
    case MFS_OFP_PORT_OXM:
    case MFS_FRAG:
    case MFS_TNL_FLAGS:
    case MFS_TCP_FLAGS:
    case MFS_PACKET_TYPE:
    default:
        return LEX_F_HEXADECIMAL;
    }
}

static struct expr_symbol *
symtab_add(struct shash *symtab, const char *name, const char *prereqs,
           bool rw)
{
    struct expr_symbol *symbol;

    if (shash_find(symtab, name)) {
        return NULL;
    }
    symbol = xzalloc(sizeof *symbol);
    symbol->name = xstrdup(name);
    symbol->prereqs = nullable_xstrdup(prereqs);
    symbol->rw = rw;
    symbol->format = LEX_F_HEXADECIMAL;
    shash_add_nocopy(symtab, symbol->name, symbol);
    return symbol;
}

/* Adds a symbol for OVS field 'id' named 'name'.  Fields that OVS lets
 * match bit by bit are ordinal, others nominal. */
struct expr_symbol *
symtab_add_field(struct shash *symtab, const char *name,
                 enum mf_field_id id, const char *prereqs, bool rw)
{
    const struct mf_field *mf = mf_from_id(id);
    struct expr_symbol *symbol = symtab_add(symtab, name, prereqs, rw);

    if (symbol) {
        symbol->field = mf;
        symbol->width = mf->n_bits;
        symbol->level = (mf->maskable == MFM_FULLY
                         ? EXPR_L_ORDINAL : EXPR_L_NOMINAL);
        symbol->format = symtab_format_of(mf);
    }
    return symbol;
}

/* Adds a string symbol, a logical port name that stands for that port's
 * tunnel key in OVS field 'id'. */
struct expr_symbol *
symtab_add_string(struct shash *symtab, const char *name,
                  enum mf_field_id id, const char *prereqs)
{
    struct expr_symbol *symbol = symtab_add(symtab, name, prereqs, true);

    if (symbol) {
        symbol->field = mf_from_id(id);
        symbol->width = 0;
        symbol->level = EXPR_L_NOMINAL;
    }
    return symbol;
}

/* Adds a subfield: bits 'lo' through 'hi' of the ordinal symbol
 * 'parent'. */
struct expr_symbol *
symtab_add_subfield(struct shash *symtab, const char *name,
                    const char *parent_name, int lo, int hi,
                    const char *prereqs, bool rw)
{
    const struct expr_symbol *parent = shash_find_data(symtab, parent_name);
    struct expr_symbol *symbol;

    if (!parent || parent->level != EXPR_L_ORDINAL || lo < 0 || hi < lo
        || hi >= parent->width) {
        return NULL;
    }
    symbol = symtab_add(symtab, name, prereqs, rw);
    if (symbol) {
        symbol->parent = parent;
        symbol->parent_ofs = lo;
        symbol->width = hi - lo + 1;
        symbol->level = EXPR_L_ORDINAL;
        symbol->format = parent->format;
        if (symbol->format != LEX_F_DECIMAL) {
            /* A piece of an address prints best as a number. */
            symbol->format = LEX_F_HEXADECIMAL;
        }
    }
    return symbol;
}

/* Returns the level of a predicate expanding to 'expansion': nominal if it
 * mentions any nominal or string symbol, otherwise Boolean. */
static enum expr_level
symtab_predicate_level(const struct shash *symtab, const char *expansion)
{
    enum expr_level level = EXPR_L_BOOLEAN;
    struct lexer lexer;

    lexer_init(&lexer, expansion);
    while (lexer_get(&lexer) != LEX_T_END && lexer.token.type != LEX_T_ERROR) {
        const struct expr_symbol *s;

        if (lexer.token.type == LEX_T_ID
            && (s = shash_find_data(symtab, lexer.token.s))
            && s->level == EXPR_L_NOMINAL) {
            level = EXPR_L_NOMINAL;
        }
    }
    lexer_destroy(&lexer);
    return level;
}

/* Adds a predicate, a name for the Boolean expression 'expansion'. */
struct expr_symbol *
symtab_add_predicate(struct shash *symtab, const char *name,
                     const char *expansion)
{
    struct expr_symbol *symbol = symtab_add(symtab, name, NULL, false);

    if (symbol) {
        symbol->expansion = xstrdup(expansion);
        symbol->width = 1;
        symbol->level = symtab_predicate_level(symtab, expansion);
    }
    return symbol;
}

static struct expr_symbol *
symtab_add_def(struct shash *symtab, const struct expr_symdef *def)
{
    const struct mf_field *mf;

    switch (def->kind) {
    case EXPR_SD_FIELD:
    case EXPR_SD_STRING:
        mf = mf_from_name(def->def);
        if (!mf) {
            return NULL;
        }
        return (def->kind == EXPR_SD_FIELD
                ? symtab_add_field(symtab, def->name, mf->id, def->prereqs,
                                   def->rw)
                : symtab_add_string(symtab, def->name, mf->id,
                                    def->prereqs));
    case EXPR_SD_SUBFIELD:
        return symtab_add_subfield(symtab, def->name, def->def, def->lo,
                                   def->hi, def->prereqs, def->rw);
    case EXPR_SD_PREDICATE:
        return symtab_add_predicate(symtab, def->name, def->def);
    }
    return NULL;
}

/* Adds the 'n' symbols declared in 'defs' to 'symtab'.  Returns NULL, or a
 * malloc'd error naming the first invalid declaration (the ones before it
 * are added). */
char *
symtab_add_defs(struct shash *symtab, const struct expr_symdef *defs,
                size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!symtab_add_def(symtab, &defs[i])) {
            COVERAGE_INC(symtab_bad_def);
            return xasprintf("invalid or duplicate symbol declaration `%s'",
                             defs[i].name);
        }
    }
    return NULL;
}

/* Initializes 'symtab' with the logical flow language's symbols. */
void
symtab_init(struct shash *symtab)
{
    char *error;

    shash_init(symtab);
    error = symtab_add_defs(symtab, ovn_symdefs, ARRAY_SIZE(ovn_symdefs));
    if (error) {
        /* The table is static: an error here is a programming error. */
        VLOG_FATAL("%s", error);
    }
}

/* Frees every symbol in 'symtab' and 'symtab' itself (not the shash
 * struct).  NULL-safe. */
void
symtab_destroy(struct shash *symtab)
{
    struct shash_node *node;

    if (!symtab) {
        return;
    }
    SHASH_FOR_EACH_SAFE (node, symtab) {
        struct expr_symbol *symbol = node->data;

        /* shash_delete() frees 'symbol->name', the node's key. */
        shash_delete(symtab, node);
        free(symbol->expansion);
        free(symbol->prereqs);
        free(symbol);
    }
    shash_destroy(symtab);
}

/* Returns the symbol named 'name' in 'symtab', or NULL. */
const struct expr_symbol *
expr_symtab_lookup(const struct shash *symtab, const char *name)
{
    return shash_find_data(symtab, name);
}

/* Stores in '*base' the field that 'symbol' is part of and in '*ofs' the
 * offset of 'symbol' in it.  For fields and predicates stores 'symbol' and
 * 0. */
void
expr_symbol_resolve(const struct expr_symbol *symbol,
                    const struct expr_symbol **base, int *ofs)
{
    int total = 0;

    while (symbol->parent) {
        total += symbol->parent_ofs;
        symbol = symbol->parent;
    }
    *base = symbol;
    *ofs = total;
}
