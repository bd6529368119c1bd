/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* The OpenFlow layout of the integration bridge: table numbers and the
 * registers that carry logical metadata (Documentation/architecture.rst,
 * section 6).
 *
 * This is the one place these numbers are defined; the action encoder
 * (lib/actions*.c), the flow builders and the tools all include it.  The
 * numbers follow OVN 24.03 so that operators' habits carry over. */

#ifndef OVN_OF_TABLES_H
#define OVN_OF_TABLES_H 1

#include <stdbool.h>
#include "openvswitch/meta-flow.h"
#include "openvswitch/util.h"

/* OpenFlow tables: enum name suffix, number, what it does.  The one list
 * drives the enum below and the layout printed by "ovn-controller --help"
 * (oftable_format_layout()). */
#define OFTABLES                                                          \
    OFTABLE(PHY_TO_LOG, 0, "physical to logical")                        \
    OFTABLE(LOG_INGRESS, 8, "logical ingress tables (table N at 8+N)")    \
    OFTABLE(OUTPUT_LARGE_PKT_DETECT, 37,                                  \
            "large packet detect; where ingress \"output\" goes")         \
    OFTABLE(OUTPUT_LARGE_PKT_PROCESS, 38, "large packet process")         \
    OFTABLE(REMOTE_OUTPUT, 39, "remote output (tunnels)")                 \
    OFTABLE(LOCAL_OUTPUT, 40, "local output")                             \
    OFTABLE(CHECK_LOOPBACK, 41, "loopback check")                         \
    OFTABLE(LOG_EGRESS, 42, "logical egress tables (table N at 42+N)")    \
    OFTABLE(SAVE_INPORT, 64, "save in_port; where egress \"output\" goes")\
    OFTABLE(LOG_TO_PHY, 65, "logical to physical")                        \
    OFTABLE(MAC_BINDING, 66, "MAC binding lookup (get_arp, get_nd)")      \
    OFTABLE(MAC_LOOKUP, 67, "MAC lookup (lookup_arp, lookup_nd)")         \
    OFTABLE(CHK_LB_HAIRPIN, 68, "load balancer hairpin check")            \
    OFTABLE(CHK_LB_HAIRPIN_REPLY, 69, "load balancer hairpin reply")      \
    OFTABLE(CT_SNAT_HAIRPIN, 70, "SNAT hairpin")                          \
    OFTABLE(GET_FDB, 71, "FDB get")                                       \
    OFTABLE(LOOKUP_FDB, 72, "FDB lookup")                                 \
    OFTABLE(CHK_IN_PORT_SEC, 73, "in-port security")                      \
    OFTABLE(CHK_IN_PORT_SEC_ND, 74, "in-port security, ND")               \
    OFTABLE(CHK_OUT_PORT_SEC, 75, "out-port security")                    \
    OFTABLE(ECMP_NH_MAC, 76, "ECMP next hop MAC")                         \
    OFTABLE(ECMP_NH, 77, "ECMP next hop")                                 \
    OFTABLE(CHK_LB_AFFINITY, 78, "load balancer affinity")                \
    OFTABLE(MAC_CACHE_USE, 79, "MAC cache")                               \
    OFTABLE(ENCAP_SELECT, 80,                                             \
            "encap selection: (endpoint, Encap-ID) -> tunnel")           \
    OFTABLE(ENCAP_SELECT_VXLAN, 81,                                       \
            "encap selection, flow-based VXLAN: Encap-ID -> tunnel")     \
    OFTABLE(MAC_LOOKUP_IP4, 82, "MAC lookup with IP (lookup_arp_ip)")     \
    OFTABLE(MAC_LOOKUP_IP6, 83, "MAC lookup with IP (lookup_nd_ip)")

enum oftable {
#define OFTABLE(ENUM, NUMBER, DESCRIPTION) OFTABLE_##ENUM = NUMBER,
    OFTABLES
#undef OFTABLE
};

/* Tables of our own (not in OVN 24.03's layout) start here. */
#define OFTABLE_FIRST_PRIVATE 80

/* Number of logical tables in each pipeline. */
#define OFTABLE_N_LOG_INGRESS (OFTABLE_OUTPUT_LARGE_PKT_DETECT \
                               - OFTABLE_LOG_INGRESS)
#define OFTABLE_N_LOG_EGRESS (OFTABLE_SAVE_INPORT - OFTABLE_LOG_EGRESS)

BUILD_ASSERT_DECL(OFTABLE_N_LOG_INGRESS == 29);
BUILD_ASSERT_DECL(OFTABLE_N_LOG_EGRESS == 22);
BUILD_ASSERT_DECL(OFTABLE_LOG_INGRESS + OFTABLE_N_LOG_INGRESS
                  <= OFTABLE_OUTPUT_LARGE_PKT_DETECT);
BUILD_ASSERT_DECL(OFTABLE_LOG_EGRESS + OFTABLE_N_LOG_EGRESS
                  <= OFTABLE_SAVE_INPORT);
BUILD_ASSERT_DECL(OFTABLE_MAC_CACHE_USE < OFTABLE_FIRST_PRIVATE);
BUILD_ASSERT_DECL(OFTABLE_FIRST_PRIVATE < 255);

/* Registers of logical metadata (lib/symtab.h defines the same names, with
 * the bits of the logical flags register). */
#ifndef MFF_LOG_DATAPATH
#define MFF_LOG_DATAPATH MFF_METADATA   /* Datapath tunnel key. */
#define MFF_LOG_FLAGS    MFF_REG10      /* Logical flags (flags.*). */
#define MFF_LOG_DNAT_ZONE MFF_REG11     /* Conntrack zone for DNAT. */
#define MFF_LOG_SNAT_ZONE MFF_REG12     /* Conntrack zone for SNAT; also the
                                         * common zone of *_in_czone. */
#define MFF_LOG_CT_ZONE  MFF_REG13      /* Bits 0..15: the port's zone;
                                         * bits 16..31: Encap-ID. */
#define MFF_LOG_INPORT   MFF_REG14      /* Logical input port key. */
#define MFF_LOG_OUTPORT  MFF_REG15      /* Logical output port key. */
#endif

/* Bit ranges inside MFF_LOG_CT_ZONE. */
#define LOG_CT_ZONE_OFS 0
#define LOG_CT_ZONE_BITS 16
#define LOG_ENCAP_ID_OFS 16
#define LOG_ENCAP_ID_BITS 16

/* Logical registers reg0..reg9 (and their xreg/xxreg views) are free for
 * logical flows. */
#define MFF_LOG_REG0 MFF_REG0
#define MFF_N_LOG_REGS 10
BUILD_ASSERT_DECL(MFF_LOG_REG0 + MFF_N_LOG_REGS <= MFF_LOG_FLAGS);

/* Conntrack mark bits (ct_mark) used by ct_lb_mark's ct_flag. */
enum log_ct_mark_bit {
    LOG_CT_MARK_NATTED_BIT = 1,       /* ct_mark.natted. */
    LOG_CT_MARK_SKIP_SNAT_BIT = 2,    /* ct_mark.skip_snat. */
    LOG_CT_MARK_FORCE_SNAT_BIT = 3,   /* ct_mark.force_snat. */
};

/* OpenFlow table of logical table 'table' in the ingress (if 'ingress') or
 * egress pipeline. */
static inline int
oftable_for_logical(bool ingress, int table)
{
    return (ingress ? OFTABLE_LOG_INGRESS : OFTABLE_LOG_EGRESS) + table;
}

/* True if 'table' holds only flows that learn actions of the pipeline add
 * (and their idle timeouts or delete_learned remove) inside ovs-vswitchd,
 * while packets pass: the load balancer hairpin replies, the ECMP next
 * hops and the load balancer affinities.  ofctrl installs nothing there
 * and leaves what it finds there alone. */
static inline bool
oftable_is_learned(int table)
{
    return (table == OFTABLE_CHK_LB_HAIRPIN_REPLY
            || table == OFTABLE_ECMP_NH_MAC || table == OFTABLE_ECMP_NH
            || table == OFTABLE_CHK_LB_AFFINITY);
}

struct ds;

/* Appends the table layout above and the registers' roles to 'out', one
 * line each, for "ovn-controller --help". */
void oftable_format_layout(struct ds *out);

#endif /* of-tables.h */
