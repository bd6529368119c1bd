/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The flows of one SB FDB row: a MAC address that some chassis learnt on
 * a logical switch port (a port with "unknown" addresses), through the
 * put_fdb action.
 *
 *   table 71  get_fdb: metadata = the switch, xreg2[0..47] = the MAC
 *             -> reg1 = the port's tunnel key.
 *   table 72  lookup_fdb: metadata = the switch, reg14 = the port,
 *             xreg2[0..47] = the MAC -> flags.lookup_fdb = 1.
 *
 * Both at priority 100.  A pure module: a row whose MAC does not parse
 * adds no flow and a message to the caller's warnings.
 */

#ifndef OVNMC_FDB_FLOWS_H
#define OVNMC_FDB_FLOWS_H 1

#include <stdbool.h>
#include <stdint.h>

struct flow_table;
struct svec;
struct uuid;

/* Adds to 'flows', owned by 'owner' (the FDB row), the flows that bind
 * 'mac' to port 'port_key' of the switch 'dp_key'.  Returns false, adding
 * nothing and appending a message naming the row to 'warnings' (if
 * nonnull), if 'mac' does not parse. */
bool fdb_flows_add(const struct uuid *owner, const char *mac,
                   uint32_t dp_key, uint32_t port_key,
                   struct flow_table *flows, struct svec *warnings);

#endif /* controller/fdb-flows.h */
