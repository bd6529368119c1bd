/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The flows of one neighbour entry: see mac-binding-flows.h.
 */

#include <config.h>

#include "controller/mac-binding-flows.h"

#include "controller/chassis-flow.h"
#include "lib/actions.h"
#include "lib/symtab.h"
#include "openvswitch/ofp-actions.h"
#include "ovn/of-tables.h"
#include "packets.h"
#include "util.h"
#include "uuid.h"

/* The 48-bit MAC key of the lookup tables: xreg2[0..47]. */
#define MAC_KEY_XREG 2

/* Starts a flow of 'e' in 'table_id' keyed on 'port_reg' = the port and
 * the address 'ip' in reg0 or xxreg0. */
static void
start(struct cflow *f, const struct mac_binding_entry *e, uint8_t table_id,
      enum mf_field_id port_reg, const struct cflow_ip *ip)
{
    cflow_init(f, table_id, e->priority);
    cflow_match_datapath(f, e->dp_key);
    match_set_reg(&f->match, port_reg - MFF_REG0, e->port_key);
    cflow_match_ip_reg(f, ip, 0, 0);
}

bool
mac_binding_flows_add(const struct mac_binding_entry *e,
                      struct flow_table *flows, struct svec *warnings)
{
    struct eth_addr mac;
    struct cflow_ip ip;
    struct cflow f;
    char *error;

    error = cflow_ip_parse(e->ip, false, &ip);
    if (error) {
        cflow_warn(warnings, "%s "UUID_FMT" (port %s): %s; ignored",
                   e->table, UUID_ARGS(e->owner), e->lport, error);
        free(error);
        return false;
    }
    if (!eth_addr_from_string(e->mac, &mac)) {
        cflow_warn(warnings, "%s "UUID_FMT" (port %s): \"%s\" is not a MAC "
                   "address; ignored", e->table, UUID_ARGS(e->owner),
                   e->lport, e->mac);
        return false;
    }

    /* get_arp, get_nd. */
    start(&f, e, OFTABLE_MAC_BINDING, MFF_LOG_OUTPORT, &ip);
    lact_put_load_u64(&f.ofpacts, MFF_ETH_DST, 0, 48,
                      eth_addr_to_uint64(mac));
    cflow_put_flag(&f, MLF_LOOKUP_MAC_BIT, true);
    cflow_add(&f, flows, e->owner);

    /* lookup_arp, lookup_nd: on ARP or neighbour discovery packets. */
    start(&f, e, OFTABLE_MAC_LOOKUP, MFF_LOG_INPORT, &ip);
    match_set_xreg_masked(&f.match, MAC_KEY_XREG, eth_addr_to_uint64(mac),
                          (UINT64_C(1) << 48) - 1);
    if (!ip.v6) {
        match_set_dl_type(&f.match, htons(ETH_TYPE_ARP));
    } else {
        match_set_dl_type(&f.match, htons(ETH_TYPE_IPV6));
        match_set_nw_proto(&f.match, IPPROTO_ICMPV6);
        match_set_icmp_code(&f.match, 0);
    }
    cflow_put_flag(&f, MLF_LOOKUP_MAC_BIT, true);
    cflow_add(&f, flows, e->owner);

    /* lookup_arp_ip, lookup_nd_ip. */
    start(&f, e, ip.v6 ? OFTABLE_MAC_LOOKUP_IP6 : OFTABLE_MAC_LOOKUP_IP4,
          MFF_LOG_INPORT, &ip);
    cflow_put_flag(&f, MLF_LOOKUP_MAC_BIT, true);
    cflow_add(&f, flows, e->owner);
    return true;
}
