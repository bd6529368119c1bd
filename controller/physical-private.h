/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * What the files of the physical pipeline (physical.c, physical-port.c)
 * share: the matches and actions of their flows, and the tunnel
 * selection.
 */

#ifndef OVNMC_PHYSICAL_PRIVATE_H
#define OVNMC_PHYSICAL_PRIVATE_H 1

#include <stdbool.h>
#include <stdint.h>
#include "controller/chassis-config.h"
#include "controller/chassis-flow.h"
#include "openvswitch/compiler.h"
#include "openvswitch/match.h"
#include "openvswitch/meta-flow.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/types.h"

struct flow_table;
struct physical_ctx;
struct tunnel_mesh_path;
struct tunnel_mesh_peer;
struct uuid;

/* A flow is built as a struct cflow (controller/chassis-flow.h):
 * cflow_init(), the matches and actions below, cflow_add(). */

/* Adds matches. */
void pflow_match_port(struct cflow *, uint32_t dp_key, uint32_t outport);
bool pflow_match_tun_dst(struct cflow *, const char *ip);
void pflow_match_encap_id(struct cflow *, unsigned int encap_id);

/* Appends actions. */
void put_load(struct ofpbuf *, enum mf_field_id, int ofs, int n_bits,
              uint64_t value);
void put_load_field(struct ofpbuf *, enum mf_field_id, uint64_t value);
void put_move(struct ofpbuf *, enum mf_field_id src, int src_ofs,
              enum mf_field_id dst, int dst_ofs, int n_bits);
void put_resubmit(struct ofpbuf *, int table);
void put_output(struct ofpbuf *, ofp_port_t);
void put_drop(struct ofpbuf *);
void put_output_any_inport(struct ofpbuf *);
bool put_load_ip(struct ofpbuf *, const char *ip, enum mf_field_id v4,
                 enum mf_field_id v6);

/* Appends to the context's warnings. */
void physical_warn(const struct physical_ctx *, const char *format, ...)
    OVS_PRINTF_FORMAT(2, 3);

/* The table that selects the tunnel for a peer of 'type': 80, or 81 for a
 * VXLAN peer in flow-based mode. */
int physical_encap_table(bool flow_based, enum chassis_encap_type type);

/* See physical.c. */
const struct tunnel_mesh_path *physical_select_path(
    const struct physical_ctx *, const struct tunnel_mesh_peer *,
    const char *remote_ip, unsigned int encap_id);
bool physical_path_is_dead(const struct physical_ctx *,
                           const struct tunnel_mesh_path *);
ofp_port_t physical_path_ofport(const struct physical_ctx *,
                                const struct tunnel_mesh_path *);

#endif /* controller/physical-private.h */
