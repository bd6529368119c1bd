/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* The symbol table of the logical flow language.
 *
 * Every symbol ovn-sb(5) lists, and the others ovn-northd 23.03 writes, is
 * declared once in one table in symtab.c: its kind (field, string field,
 * subfield, predicate), the OVS field or the bits or the expansion it
 * stands for, its prerequisites and whether actions may write it. */

#ifndef OVN_SYMTAB_H
#define OVN_SYMTAB_H 1

#include <stdbool.h>
#include "openvswitch/meta-flow.h"

struct shash;
struct expr_symbol;

/* Registers that carry logical metadata (Documentation/architecture.rst,
 * section 6.2). */
#define MFF_LOG_DATAPATH MFF_METADATA   /* Logical datapath key. */
#define MFF_LOG_FLAGS    MFF_REG10      /* Logical flags (below). */
#define MFF_LOG_DNAT_ZONE MFF_REG11     /* Conntrack DNAT zone. */
#define MFF_LOG_SNAT_ZONE MFF_REG12     /* Conntrack SNAT zone. */
#define MFF_LOG_CT_ZONE  MFF_REG13      /* Bits 0..15: conntrack zone. */
#define MFF_LOG_INPORT   MFF_REG14      /* Logical input port key. */
#define MFF_LOG_OUTPORT  MFF_REG15      /* Logical output port key. */

/* Bits of the logical flags register (reg10).  The ones that have a
 * flags.NAME symbol are marked; the others are set and tested only by the
 * flows the controller writes itself. */
enum mlf_bit {
    MLF_ALLOW_LOOPBACK_BIT = 0,         /* flags.loopback */
    MLF_RCV_FROM_RAMP_BIT = 1,
    MLF_FORCE_SNAT_FOR_DNAT_BIT = 2,    /* flags.force_snat_for_dnat */
    MLF_FORCE_SNAT_FOR_LB_BIT = 3,      /* flags.force_snat_for_lb */
    MLF_LOCAL_ONLY_BIT = 4,
    MLF_NESTED_CONTAINER_BIT = 5,
    MLF_LOOKUP_MAC_BIT = 6,
    MLF_LOOKUP_LB_HAIRPIN_BIT = 7,
    MLF_LOOKUP_FDB_BIT = 8,
    MLF_SKIP_SNAT_FOR_LB_BIT = 9,       /* flags.skip_snat_for_lb */
    MLF_LOCALPORT_BIT = 10,
    MLF_USE_SNAT_ZONE_BIT = 11,         /* flags.use_snat_zone */
    MLF_CHECK_PORT_SEC_BIT = 12,
    MLF_LOOKUP_COMMIT_ECMP_NH_BIT = 13,
    MLF_USE_LB_AFF_SESSION_BIT = 14,
    MLF_N_BITS
};
BUILD_ASSERT_DECL(MLF_N_BITS <= 32);

/* Kinds of entries in a symbol table declaration. */
enum expr_symdef_kind {
    EXPR_SD_FIELD,              /* 'def' names an OVS field. */
    EXPR_SD_STRING,             /* 'def' names the OVS register holding the
                                 * key of the named logical port. */
    EXPR_SD_SUBFIELD,           /* Bits 'lo'..'hi' of the symbol 'def'. */
    EXPR_SD_PREDICATE,          /* 'def' is the expansion. */
};

/* One symbol declaration. */
struct expr_symdef {
    const char *name;
    enum expr_symdef_kind kind;
    const char *def;
    int lo, hi;                 /* EXPR_SD_SUBFIELD only. */
    const char *prereqs;        /* Expression or NULL. */
    bool rw;                    /* Writable by actions. */
};

void symtab_init(struct shash *symtab);
char *symtab_add_defs(struct shash *symtab, const struct expr_symdef *,
                      size_t n) OVS_WARN_UNUSED_RESULT;
void symtab_destroy(struct shash *symtab);

/* Builders, for symbol tables of tests.  Each returns the new symbol, or
 * NULL if the name is taken or the definition is invalid. */
struct expr_symbol *symtab_add_field(struct shash *symtab, const char *name,
                                     enum mf_field_id, const char *prereqs,
                                     bool rw);
struct expr_symbol *symtab_add_string(struct shash *symtab, const char *name,
                                      enum mf_field_id, const char *prereqs);
struct expr_symbol *symtab_add_subfield(struct shash *symtab,
                                        const char *name, const char *parent,
                                        int lo, int hi, const char *prereqs,
                                        bool rw);
struct expr_symbol *symtab_add_predicate(struct shash *symtab,
                                         const char *name,
                                         const char *expansion);

#endif /* symtab.h */
