/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The flows of one FDB row: see fdb-flows.h.
 */

#include <config.h>

#include "controller/fdb-flows.h"

#include "controller/chassis-flow.h"
#include "lib/actions.h"
#include "lib/symtab.h"
#include "uuid.h"
#include "ovn/of-tables.h"
#include "packets.h"
#include "util.h"

/* The 48-bit MAC key of the lookup tables: xreg2[0..47]. */
#define FDB_MAC_XREG 2

/* Priority of both tables' flows. */
#define FDB_PRIORITY 100

bool
fdb_flows_add(const struct uuid *owner, const char *mac_s, uint32_t dp_key,
              uint32_t port_key, struct flow_table *flows,
              struct svec *warnings)
{
    struct eth_addr mac;
    struct cflow f;

    if (!eth_addr_from_string(mac_s, &mac)) {
        cflow_warn(warnings, "FDB "UUID_FMT": \"%s\" is not a MAC address; "
                   "ignored", UUID_ARGS(owner), mac_s);
        return false;
    }

    cflow_init(&f, OFTABLE_GET_FDB, FDB_PRIORITY);
    cflow_match_datapath(&f, dp_key);
    match_set_xreg_masked(&f.match, FDB_MAC_XREG, eth_addr_to_uint64(mac),
                          (UINT64_C(1) << 48) - 1);
    lact_put_load_u64(&f.ofpacts, MFF_REG1, 0, 32, port_key);
    cflow_add(&f, flows, owner);

    cflow_init(&f, OFTABLE_LOOKUP_FDB, FDB_PRIORITY);
    cflow_match_datapath(&f, dp_key);
    cflow_match_inport(&f, port_key);
    match_set_xreg_masked(&f.match, FDB_MAC_XREG, eth_addr_to_uint64(mac),
                          (UINT64_C(1) << 48) - 1);
    cflow_put_flag(&f, MLF_LOOKUP_FDB_BIT, true);
    cflow_add(&f, flows, owner);
    return true;
}
