/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The physical pipeline: see physical.h.  This file holds the fixed flows,
 * the tunnels (decapsulation in table 0, encap selection in tables 80 and
 * 81) and the helpers the per-port code (physical-port.c) shares.
 */

#include <config.h>

#include "controller/physical.h"
#include "controller/physical-private.h"

#include <limits.h>
#include <string.h>
#include "controller/chassis-config.h"
#include "controller/flow-table.h"
#include "controller/tunnel-mesh.h"
#include "coverage.h"
#include "hash.h"
#include "lib/actions.h"
#include "lib/symtab.h"
#include "flow.h"
#include "openvswitch/ofp-port.h"
#include "openvswitch/ofp-actions.h"
#include "ovn/of-tables.h"
#include "packets.h"
#include "simap.h"
#include "svec.h"
#include "util.h"

COVERAGE_DEFINE(physical_peer);
COVERAGE_DEFINE(physical_fallback);
COVERAGE_DEFINE(physical_failover);

const struct uuid PHYSICAL_STATIC_OWNER = {
    .parts = { 0x0f0f0f0f, 0, 0, 1 },
};

/* Owners derived from names. */

/* Stores in 'u' a UUID made from 'kind' and 'name' (hashes; the chance of
 * a clash with a real row is negligible, and a clash only merges owners). */
static void
owner_from_name(const char *kind, const char *name, struct uuid *u)
{
    uint32_t h = hash_string(kind, 0);

    for (int i = 0; i < 4; i++) {
        h = hash_string(name, h + i);
        u->parts[i] = h;
    }
}

void
physical_peer_owner(const char *chassis, struct uuid *owner)
{
    owner_from_name("peer", chassis, owner);
}

void
physical_port_owner(const char *key, struct uuid *owner)
{
    owner_from_name("tunnel-port", key, owner);
}

/* Building one flow. */

void
pflow_match_port(struct cflow *f, uint32_t dp_key, uint32_t outport)
{
    match_set_metadata(&f->match, htonll(dp_key));
    match_set_reg(&f->match, MFF_LOG_OUTPORT - MFF_REG0, outport);
}

void
put_load(struct ofpbuf *ofpacts, enum mf_field_id id, int ofs, int n_bits,
         uint64_t value)
{
    lact_put_load_u64(ofpacts, id, ofs, n_bits, value);
}

void
put_load_field(struct ofpbuf *ofpacts, enum mf_field_id id, uint64_t value)
{
    lact_put_load_u64(ofpacts, id, 0, mf_from_id(id)->n_bits, value);
}

void
put_move(struct ofpbuf *ofpacts, enum mf_field_id src, int src_ofs,
         enum mf_field_id dst, int dst_ofs, int n_bits)
{
    struct mf_subfield s = { mf_from_id(src), src_ofs, n_bits };
    struct mf_subfield d = { mf_from_id(dst), dst_ofs, n_bits };
    lact_put_move(ofpacts, &s, &d);
}

void
put_resubmit(struct ofpbuf *ofpacts, int table)
{
    lact_put_resubmit(ofpacts, table);
}

void
put_output(struct ofpbuf *ofpacts, ofp_port_t port)
{
    struct ofpact_output *out = ofpact_put_OUTPUT(ofpacts);
    out->port = port;
    out->max_len = 0;
}

void
put_drop(struct ofpbuf *ofpacts OVS_UNUSED)
{
    /* An empty action list drops. */
}

/* Loads an IP address, as canonical text 'ip', into the IPv4 field 'v4' or
 * the IPv6 field 'v6'.  Returns false if 'ip' does not parse. */
bool
put_load_ip(struct ofpbuf *ofpacts, const char *ip, enum mf_field_id v4,
            enum mf_field_id v6)
{
    struct in6_addr addr;
    union mf_subvalue value;
    struct mf_subfield sf;
    ovs_be32 ip4;

    memset(&value, 0, sizeof value);
    if (ip_parse(ip, &ip4)) {
        lact_subfield_whole(v4, &sf);
        value.be32[ARRAY_SIZE(value.be32) - 1] = ip4;
    } else if (ipv6_parse(ip, &addr)) {
        lact_subfield_whole(v6, &sf);
        value.ipv6 = addr;
        /* An IPv6 address fills the low 128 bits of the subvalue. */
        memset(&value, 0, sizeof value);
        memcpy(&value.u8[sizeof value - sizeof addr], &addr, sizeof addr);
    } else {
        return false;
    }
    lact_put_load(ofpacts, &sf, &value, NULL);
    return true;
}

/* Matches tun_dst or tun_ipv6_dst with 'ip'.  Returns false if 'ip' does
 * not parse. */
bool
pflow_match_tun_dst(struct cflow *f, const char *ip)
{
    struct in6_addr addr;
    ovs_be32 ip4;

    if (ip_parse(ip, &ip4)) {
        match_set_tun_dst(&f->match, ip4);
    } else if (ipv6_parse(ip, &addr)) {
        match_set_tun_ipv6_dst(&f->match, &addr);
    } else {
        return false;
    }
    return true;
}

/* Matches the Encap-ID 'encap_id' in reg13[16..31]. */
void
pflow_match_encap_id(struct cflow *f, unsigned int encap_id)
{
    match_set_reg_masked(&f->match, MFF_LOG_CT_ZONE - MFF_REG0,
                         encap_id << LOG_ENCAP_ID_OFS,
                         ((1u << LOG_ENCAP_ID_BITS) - 1)
                         << LOG_ENCAP_ID_OFS);
}

void
physical_warn(const struct physical_ctx *ctx, const char *format, ...)
{
    va_list args;

    if (!ctx->warnings) {
        return;
    }
    va_start(args, format);
    svec_add_nocopy(ctx->warnings, xvasprintf(format, args));
    va_end(args);
}

/* The fixed flows. */

void
physical_add_static(const struct physical_ctx *ctx OVS_UNUSED,
                    struct flow_table *table)
{
    const struct uuid *owner = &PHYSICAL_STATIC_OWNER;
    struct cflow f;

    /* Table 0: what matches no port is dropped. */
    cflow_init(&f, OFTABLE_PHY_TO_LOG, 0);
    cflow_add(&f, table, owner);

    /* Tables 37 and 38: no large-packet check yet; on to remote output
     * (or, from 38, local output for loopback packets). */
    cflow_init(&f, OFTABLE_OUTPUT_LARGE_PKT_DETECT, 0);
    put_resubmit(&f.ofpacts, OFTABLE_REMOTE_OUTPUT);
    cflow_add(&f, table, owner);
    cflow_init(&f, OFTABLE_OUTPUT_LARGE_PKT_PROCESS, 0);
    put_resubmit(&f.ofpacts, OFTABLE_REMOTE_OUTPUT);
    cflow_add(&f, table, owner);
    cflow_init(&f, OFTABLE_OUTPUT_LARGE_PKT_PROCESS, 10);
    match_set_reg_masked(&f.match, MFF_LOG_FLAGS - MFF_REG0,
                         1u << MLF_ALLOW_LOOPBACK_BIT,
                         1u << MLF_ALLOW_LOOPBACK_BIT);
    put_resubmit(&f.ofpacts, OFTABLE_LOCAL_OUTPUT);
    cflow_add(&f, table, owner);

    /* Table 39: packets that must stay here (local-only multicast, packets
     * from a ramp switch), and anything not remote, go to local output. */
    cflow_init(&f, OFTABLE_REMOTE_OUTPUT, 150);
    match_set_reg_masked(&f.match, MFF_LOG_FLAGS - MFF_REG0,
                         1u << MLF_LOCAL_ONLY_BIT, 1u << MLF_LOCAL_ONLY_BIT);
    put_resubmit(&f.ofpacts, OFTABLE_LOCAL_OUTPUT);
    cflow_add(&f, table, owner);
    cflow_init(&f, OFTABLE_REMOTE_OUTPUT, 150);
    match_set_reg_masked(&f.match, MFF_LOG_FLAGS - MFF_REG0,
                         1u << MLF_RCV_FROM_RAMP_BIT,
                         (1u << MLF_RCV_FROM_RAMP_BIT)
                         | (1u << MLF_ALLOW_LOOPBACK_BIT));
    put_resubmit(&f.ofpacts, OFTABLE_LOCAL_OUTPUT);
    cflow_add(&f, table, owner);
    cflow_init(&f, OFTABLE_REMOTE_OUTPUT, 0);
    put_resubmit(&f.ofpacts, OFTABLE_LOCAL_OUTPUT);
    cflow_add(&f, table, owner);

    /* Table 40: an output port that is nowhere here is dropped. */
    cflow_init(&f, OFTABLE_LOCAL_OUTPUT, 0);
    cflow_add(&f, table, owner);

    /* Table 41: the egress pipeline starts with clear logical
     * registers. */
    cflow_init(&f, OFTABLE_CHECK_LOOPBACK, 0);
    for (int i = 0; i < MFF_N_LOG_REGS; i++) {
        put_load_field(&f.ofpacts, MFF_LOG_REG0 + i, 0);
    }
    put_resubmit(&f.ofpacts, OFTABLE_LOG_EGRESS);
    cflow_add(&f, table, owner);

    /* Table 64: with flags.loopback, OpenFlow's own loopback check must not
     * drop the packet: forget the ingress port around the output. */
    cflow_init(&f, OFTABLE_SAVE_INPORT, 100);
    match_set_reg_masked(&f.match, MFF_LOG_FLAGS - MFF_REG0,
                         1u << MLF_ALLOW_LOOPBACK_BIT,
                         1u << MLF_ALLOW_LOOPBACK_BIT);
    put_output_any_inport(&f.ofpacts);
    cflow_add(&f, table, owner);
    cflow_init(&f, OFTABLE_SAVE_INPORT, 0);
    put_resubmit(&f.ofpacts, OFTABLE_LOG_TO_PHY);
    cflow_add(&f, table, owner);

    /* Table 65: an output port that is nowhere here is dropped. */
    cflow_init(&f, OFTABLE_LOG_TO_PHY, 0);
    cflow_add(&f, table, owner);
}

/* push:in_port, in_port = ANY, resubmit(,65), pop:in_port. */
void
put_output_any_inport(struct ofpbuf *ofpacts)
{
    struct mf_subfield in_port;

    lact_subfield_whole(MFF_IN_PORT, &in_port);
    lact_put_push(ofpacts, &in_port);
    put_load_field(ofpacts, MFF_IN_PORT, ofp_to_u16(OFPP_NONE));
    put_resubmit(ofpacts, OFTABLE_LOG_TO_PHY);
    lact_put_pop(ofpacts, &in_port);
}

/* Decapsulation. */

/* Appends the actions that read the logical metadata of a packet received
 * on a tunnel of 'type' and go to local output.  Returns false if they
 * cannot be built yet (Geneve without its field). */
static bool
put_decap(const struct physical_ctx *ctx, enum chassis_encap_type type,
          struct ofpbuf *ofpacts)
{
    if (type == CHASSIS_ENCAP_GENEVE) {
        if (ctx->geneve_field == MFF_N_IDS) {
            return false;
        }
        put_move(ofpacts, MFF_TUN_ID, 0, MFF_LOG_DATAPATH, 0, 24);
        put_move(ofpacts, ctx->geneve_field, 16, MFF_LOG_INPORT, 0, 15);
        put_move(ofpacts, ctx->geneve_field, 0, MFF_LOG_OUTPORT, 0, 16);
    } else {
        /* VXLAN: 12 bits of datapath, 12 bits of output port, no input
         * port; a multicast key is folded into 2048..4095 (see
         * physical_vxlan_outport()). */
        put_move(ofpacts, MFF_TUN_ID, 0, MFF_LOG_DATAPATH, 0, 12);
        put_move(ofpacts, MFF_TUN_ID, 12, MFF_LOG_OUTPORT, 0, 11);
    }
    put_resubmit(ofpacts, OFTABLE_LOCAL_OUTPUT);
    return true;
}

/* Adds the table 0 flows of a tunnel port with 'ofport' and 'type'. */
static void
add_decap(const struct physical_ctx *ctx, ofp_port_t ofport,
          enum chassis_encap_type type, const struct uuid *owner,
          struct flow_table *table)
{
    struct cflow f;

    cflow_init(&f, OFTABLE_PHY_TO_LOG, 100);
    match_set_in_port(&f.match, ofport);
    if (!put_decap(ctx, type, &f.ofpacts)) {
        cflow_drop(&f);
        return;
    }
    cflow_add(&f, table, owner);

    if (type == CHASSIS_ENCAP_VXLAN) {
        /* A multicast output port: bit 11 of the VXLAN port field set. */
        cflow_init(&f, OFTABLE_PHY_TO_LOG, 101);
        match_set_in_port(&f.match, ofport);
        match_set_tun_id_masked(&f.match, htonll(1u << 23), htonll(1u << 23));
        put_move(&f.ofpacts, MFF_TUN_ID, 0, MFF_LOG_DATAPATH, 0, 12);
        put_move(&f.ofpacts, MFF_TUN_ID, 12, MFF_LOG_OUTPORT, 0, 11);
        put_load(&f.ofpacts, MFF_LOG_OUTPORT, 15, 1, 1);
        put_resubmit(&f.ofpacts, OFTABLE_LOCAL_OUTPUT);
        cflow_add(&f, table, owner);
    }
}

/* Encap selection. */

/* Returns the ofport of the tunnel port of 'path', or OFPP_NONE if it has
 * none yet. */
ofp_port_t
physical_path_ofport(const struct physical_ctx *ctx,
            const struct tunnel_mesh_path *path)
{
    return (path && path->port
            ? u16_to_ofp(simap_get(ctx->tunnel_ofports, path->port->key))
            : OFPP_NONE);
}

bool
physical_path_is_dead(const struct physical_ctx *ctx,
                      const struct tunnel_mesh_path *path)
{
    return ctx->dead_paths && sset_contains(ctx->dead_paths, path->id);
}

unsigned int
physical_steer_encap_id(const struct physical_ctx *ctx,
                        unsigned int encap_id)
{
    if (!ctx->nic_live || encap_id >= ctx->n_nics
        || ctx->nic_live[encap_id]) {
        return encap_id;
    }
    for (size_t e = 0; e < ctx->n_nics; e++) {
        if (ctx->nic_live[e]) {
            return e;
        }
    }
    return encap_id;
}

/* Under NIC failover, returns the path of 'peer' that packets for
 * 'remote_ip' from Encap-ID 'encap_id' take when that pair's tunnel is
 * down: another endpoint of the same chassis from the same local IP, else
 * the same endpoint from another local IP, else another endpoint from
 * another local IP; the first that has an ofport and a live session.
 * NULL if none. */
static const struct tunnel_mesh_path *
select_live_path(const struct physical_ctx *ctx,
                 const struct tunnel_mesh_peer *peer, const char *remote_ip,
                 unsigned int encap_id)
{
    const struct tunnel_mesh_path *best = NULL, *path;
    int best_rank = INT_MAX;

    LIST_FOR_EACH (path, peer_node, &peer->paths) {
        bool same_ip = !strcmp(path->remote_ip, remote_ip);
        bool same_nic = path->encap_id == encap_id;
        int rank = (same_ip && same_nic ? 0 : same_nic ? 1 : same_ip ? 2
                    : 3);

        if (physical_path_ofport(ctx, path) == OFPP_NONE
            || physical_path_is_dead(ctx, path)) {
            continue;
        }
        if (rank < best_rank
            || (rank == best_rank
                && (path->encap_id < best->encap_id
                    || (path->encap_id == best->encap_id
                        && strcmp(path->remote_ip, best->remote_ip) < 0)))) {
            best = path;
            best_rank = rank;
        }
    }
    return best;
}

/* Returns the path to 'peer''s 'remote_ip' to use for packets whose
 * Encap-ID is 'encap_id': the one from that local IP, or, if there is none
 * with an ofport, the one with the lowest Encap-ID that has one.  NULL if
 * no path to 'remote_ip' has an ofport. */
const struct tunnel_mesh_path *
physical_select_path(const struct physical_ctx *ctx,
                     const struct tunnel_mesh_peer *peer,
                     const char *remote_ip, unsigned int encap_id)
{
    const struct tunnel_mesh_path *path
        = tunnel_mesh_find_path_by_endpoint(peer, remote_ip, encap_id);

    if (path && physical_path_ofport(ctx, path) != OFPP_NONE
        && !physical_path_is_dead(ctx, path)) {
        return path;
    }
    if (ctx->dead_paths) {
        const struct tunnel_mesh_path *live
            = select_live_path(ctx, peer, remote_ip, encap_id);
        if (live) {
            COVERAGE_INC(physical_failover);
            return live;
        }
        if (path && physical_path_ofport(ctx, path) != OFPP_NONE) {
            return path;
        }
    }
    for (size_t e = 0; e < ctx->cfg->n_encap_ips; e++) {
        path = tunnel_mesh_find_path_by_endpoint(peer, remote_ip, e);
        if (path && physical_path_ofport(ctx, path) != OFPP_NONE) {
            COVERAGE_INC(physical_fallback);
            return path;
        }
    }
    return NULL;
}

/* Adds table 80's flows for the endpoint 'remote_ip' of 'peer'
 * (port-based mode): one per local Encap-ID. */
static void
add_endpoint(const struct physical_ctx *ctx,
             const struct tunnel_mesh_peer *peer, const char *remote_ip,
             const struct uuid *owner, struct flow_table *table)
{
    for (size_t e = 0; e < ctx->cfg->n_encap_ips; e++) {
        const struct tunnel_mesh_path *path
            = physical_select_path(ctx, peer, remote_ip, e);
        struct cflow f;

        if (!path) {
            continue;
        }
        cflow_init(&f, OFTABLE_ENCAP_SELECT, 100);
        if (!pflow_match_tun_dst(&f, remote_ip)) {
            cflow_drop(&f);
            return;
        }
        pflow_match_encap_id(&f, e);
        put_output(&f.ofpacts, physical_path_ofport(ctx, path));
        cflow_add(&f, table, owner);
    }
}

/* Adds, in flow-based mode, the table 80 (or 81) flows for the endpoint
 * 'remote_ip' of 'peer' whose Encap-IDs cannot reach it from their own
 * IP (another plane): those pick the lowest Encap-ID that can. */
static void
add_flow_based_fallbacks(const struct physical_ctx *ctx,
                         const struct tunnel_mesh_peer *peer,
                         const char *remote_ip, const struct uuid *owner,
                         struct flow_table *table)
{
    const struct tunnel_mesh_path *best = NULL;

    for (size_t e = 0; e < ctx->cfg->n_encap_ips && !best; e++) {
        best = tunnel_mesh_find_path_by_endpoint(peer, remote_ip, e);
    }
    ofp_port_t ofport = physical_path_ofport(ctx, best);
    if (ofport == OFPP_NONE) {
        return;
    }
    for (size_t e = 0; e < ctx->cfg->n_encap_ips; e++) {
        if (tunnel_mesh_find_path_by_endpoint(peer, remote_ip, e)) {
            continue;
        }
        struct cflow f;
        cflow_init(&f, physical_encap_table(true, peer->type), 110);
        if (!pflow_match_tun_dst(&f, remote_ip)) {
            cflow_drop(&f);
            return;
        }
        pflow_match_encap_id(&f, e);
        if (!put_load_ip(&f.ofpacts, best->local_ip, MFF_TUN_SRC,
                         MFF_TUN_IPV6_SRC)) {
            cflow_drop(&f);
            return;
        }
        put_output(&f.ofpacts, ofport);
        cflow_add(&f, table, owner);
    }
}

int
physical_encap_table(bool flow_based, enum chassis_encap_type type)
{
    return (flow_based && type == CHASSIS_ENCAP_VXLAN
            ? OFTABLE_ENCAP_SELECT_VXLAN : OFTABLE_ENCAP_SELECT);
}

void
physical_add_peer(const struct physical_ctx *ctx,
                  const struct tunnel_mesh_peer *peer,
                  struct flow_table *table)
{
    const struct tunnel_mesh_path *path;
    struct sset ips = SSET_INITIALIZER(&ips);
    struct uuid owner;
    const char *ip;

    if (!peer->has_type) {
        sset_destroy(&ips);
        return;
    }
    COVERAGE_INC(physical_peer);
    physical_peer_owner(peer->name, &owner);
    LIST_FOR_EACH (path, peer_node, &peer->paths) {
        sset_add(&ips, path->remote_ip);
        if (!ctx->mesh->flow_based) {
            ofp_port_t ofport = physical_path_ofport(ctx, path);
            if (ofport != OFPP_NONE) {
                add_decap(ctx, ofport, path->type, &owner, table);
            }
        }
    }
    SSET_FOR_EACH (ip, &ips) {
        if (ctx->mesh->flow_based) {
            add_flow_based_fallbacks(ctx, peer, ip, &owner, table);
        } else {
            add_endpoint(ctx, peer, ip, &owner, table);
        }
    }
    sset_destroy(&ips);
}

void
physical_add_flow_based(const struct physical_ctx *ctx,
                        struct flow_table *table)
{
    const struct tunnel_mesh_port *port;

    if (!ctx->mesh->flow_based) {
        return;
    }
    HMAP_FOR_EACH (port, node, &ctx->mesh->ports) {
        ofp_port_t ofport = u16_to_ofp(simap_get(ctx->tunnel_ofports,
                                                 port->key));
        struct uuid owner;

        if (ofport == OFPP_NONE) {
            continue;
        }
        physical_port_owner(port->key, &owner);
        add_decap(ctx, ofport, port->type, &owner, table);
        for (size_t e = 0; e < ctx->cfg->n_encap_ips; e++) {
            const struct chassis_encap_ip *lip = &ctx->cfg->encap_ips[e];
            struct cflow f;

            cflow_init(&f, physical_encap_table(true, port->type), 100);
            pflow_match_encap_id(&f, e);
            if (!put_load_ip(&f.ofpacts, lip->ip, MFF_TUN_SRC,
                             MFF_TUN_IPV6_SRC)) {
                cflow_drop(&f);
                continue;
            }
            put_output(&f.ofpacts, ofport);
            cflow_add(&f, table, &owner);
        }
    }
}
