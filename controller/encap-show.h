/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * "ovs-appctl -t ovn-controller encap/show [--format=text|json]": what an
 * operator needs to see about encapsulation on this chassis, in one place
 * (Documentation/architecture.rst, section 5.6):
 *
 *   - the local encap IPs with their Encap-IDs and planes, the encap types
 *     and the integration bridge;
 *   - each tunnel with its peer, the local and remote IPs, and the state
 *     of the port that carries it (from the OVS database), plus the remote
 *     encaps that build no tunnel and why;
 *   - each VIF bound here with the local encap IP it uses (its Encap-ID
 *     and plane), whether its Interface external_ids:encap-ip pinned it,
 *     and the pins that are not local encap IPs (misconfigurations: the
 *     default is used instead);
 *   - under NIC failover (ovn-encap-bfd=true, section 5.7): whether each
 *     local encap IP is live, each tunnel's BFD state, and the VIFs
 *     steered off a dead NIC, with where to.
 *
 * It only reads: the data of the "tunnels", "tunnel_sync" and
 * "runtime_data" engine nodes as the last engine run left them, and the
 * OVS database rows of our tunnel ports.
 */

#ifndef OVNMC_ENCAP_SHOW_H
#define OVNMC_ENCAP_SHOW_H 1

struct idl_columns;

struct engine_node;

/* The nodes encap/show reads.  The caller keeps the struct alive as long
 * as the command is registered (the engine graph holds it). */
struct encap_show {
    struct engine_node *tunnel_sync;    /* Node "tunnel_sync" (its inputs
                                         * give "tunnels", the integration
                                         * bridge and the OVS IDL). */
    struct engine_node *runtime_data;   /* Node "runtime_data". */
    struct engine_node *ha;             /* Node "ha" (NIC failover); may be
                                         * NULL. */
};

/* Registers "encap/show" over the nodes in 'show' (not owned). */
void encap_show_register(const struct encap_show *show);

/* Declares to 'cols' the local OVS database columns "encap/show" reads
 * beyond those of the nodes: each tunnel's ofport and link state, live and
 * untracked (see controller/idl-columns.h). */
void encap_show_declare_columns(struct idl_columns *cols);

#endif /* controller/encap-show.h */
