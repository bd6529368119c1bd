/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The physical pipeline for logical ports and multicast groups: see
 * physical.h.
 *
 * A port's flows depend on where it is:
 *
 *   - a VIF, localport or container port bound here: tables 0, 40, 41, 64
 *     and 65 (physical-to-logical with its zone and Encap-ID, local output,
 *     loopback check, logical-to-physical);
 *   - a patch port (or an l3gateway port bound here), both sides local:
 *     tables 40, 41 and 65, which re-enters the ingress pipeline on the
 *     peer's datapath;
 *   - a chassisredirect port claimed here: table 40 turns it into its
 *     distributed gateway port;
 *   - a port bound on another chassis (a VIF, an l3gateway or
 *     chassisredirect port, or a port with additional chassis): table 39
 *     sends it to the remote endpoint through table 80 (physical.c); an HA
 *     chassisredirect port bundles the tunnels to its members, per
 *     Encap-ID, so that the sender's NIC is used there too.
 */

#include <config.h>

#include "controller/physical.h"
#include "controller/physical-private.h"

#include <stdlib.h>
#include <string.h>
#include "controller/binding.h"
#include "controller/chassis-config.h"
#include "controller/ct-zones.h"
#include "controller/ha.h"
#include "controller/en-runtime-data.h"
#include "controller/flow-table.h"
#include "controller/tunnel-mesh.h"
#include "coverage.h"
#include "lib/actions.h"
#include "lib/symtab.h"
#include "flow.h"
#include "openvswitch/ofp-port.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/ofp-actions.h"
#include "ovn/of-tables.h"
#include "packets.h"
#include "smap.h"
#include "util.h"
#include "uuid.h"

COVERAGE_DEFINE(physical_port);
COVERAGE_DEFINE(physical_mcast);
COVERAGE_DEFINE(physical_bad_port);

/* Largest keys that fit VXLAN's 24-bit VNI (12 bits each). */
#define VXLAN_MAX_DP_KEY 4095
#define VXLAN_MAX_PORT_KEY 2047
#define VXLAN_MCAST_BASE 2048
#define OVN_MCAST_BASE 32768

/* Where a port is. */

static bool
is_us(const struct physical_ctx *ctx, const struct sbrec_chassis *ch)
{
    return ch && ctx->chassis_name && !strcmp(ch->name, ctx->chassis_name);
}

const struct sbrec_chassis *
physical_remote_chassis(const struct physical_ctx *ctx,
                        const struct sbrec_port_binding *pb)
{
    return pb->chassis && !is_us(ctx, pb->chassis) ? pb->chassis : NULL;
}

/* Returns the binding runtime_data decided for 'pb', or NULL.  Whether a
 * port is ours comes from there, never from Port_Binding.chassis, which
 * binding_sync may be rewriting in the same engine run (the consistency
 * check's recompute would then see another value). */
static const struct local_binding *
local_binding(const struct physical_ctx *ctx,
              const struct sbrec_port_binding *pb)
{
    const struct local_binding *lb = runtime_data_find(ctx->rtd,
                                                       pb->logical_port);

    return (lb && uuid_equals(&lb->pb_uuid, &pb->header_.uuid)
            && lb->role != BINDING_ROLE_NONE ? lb : NULL);
}

/* True if this chassis claims 'pb' (as main or additional chassis). */
static bool
claimed_here(const struct physical_ctx *ctx,
             const struct sbrec_port_binding *pb)
{
    const struct local_binding *lb = local_binding(ctx, pb);
    return lb && binding_role_is_claim(lb->role);
}

/* Returns the local binding of 'pb' if this chassis binds it through a
 * VIF with an ofport (as main or additional chassis, or as a localport). */
static const struct local_binding *
local_vif(const struct physical_ctx *ctx, const struct sbrec_port_binding *pb)
{
    const struct local_binding *lb = local_binding(ctx, pb);
    return lb && lb->iface && lb->ofport > 0 ? lb : NULL;
}

/* The datapath's tunnel key, if the datapath is local. */
static bool
local_dp_key(const struct physical_ctx *ctx,
             const struct sbrec_datapath_binding *dp, uint32_t *key)
{
    const struct local_datapath *ld
        = dp ? runtime_data_find_datapath(ctx->rtd, &dp->header_.uuid)
             : NULL;

    if (ld) {
        *key = ld->tunnel_key;
    }
    return ld != NULL;
}

static const struct sbrec_port_binding *find_pb(
    const struct physical_ctx *, const char *name);
static void add_chassis_mac_flows(const struct physical_ctx *,
                                  const struct sbrec_port_binding *,
                                  uint32_t dp_key, ofp_port_t ofport,
                                  int tag, struct flow_table *);

/* Provider networks. */

/* Returns the ofport of our patch port for localnet or l2gateway port
 * 'lport', or 0. */
static ofp_port_t
patch_ofport(const struct physical_ctx *ctx, const char *lport)
{
    return (ctx->patch_ofports
            ? u16_to_ofp(simap_get(ctx->patch_ofports, lport)) : 0);
}

/* Returns the localnet port of datapath 'dp' that has a patch port here
 * (the lowest name if several), or NULL. */
static const char *
dp_localnet(const struct physical_ctx *ctx,
            const struct sbrec_datapath_binding *dp)
{
    const struct sset *names = dp ? runtime_data_localnets(
        ctx->rtd, &dp->header_.uuid) : NULL;
    const char *best = NULL, *name;

    if (names) {
        SSET_FOR_EACH (name, names) {
            if (patch_ofport(ctx, name)
                && (!best || strcmp(name, best) < 0)) {
                best = name;
            }
        }
    }
    return best;
}

/* Conntrack zones. */

static unsigned int
port_zone(const struct physical_ctx *ctx, const char *lport)
{
    return ct_zones_get(ctx->zones, lport);
}

/* Loads the DNAT and SNAT zones of datapath 'dp' (every local datapath has
 * them) into reg11 and reg12. */
static void
put_dp_zones(const struct physical_ctx *ctx, const struct uuid *dp,
             struct ofpbuf *ofpacts)
{
    char name[UUID_LEN + 6];
    unsigned int dnat, snat;

    snprintf(name, sizeof name, UUID_FMT"_dnat", UUID_ARGS(dp));
    dnat = ct_zones_get(ctx->zones, name);
    snprintf(name, sizeof name, UUID_FMT"_snat", UUID_ARGS(dp));
    snat = ct_zones_get(ctx->zones, name);
    if (dnat) {
        put_load_field(ofpacts, MFF_LOG_DNAT_ZONE, dnat);
    }
    if (snat) {
        put_load_field(ofpacts, MFF_LOG_SNAT_ZONE, snat);
    }
}

/* Loads a local port's zone into reg13[0..15], leaving the Encap-ID. */
static void
put_port_zone(const struct physical_ctx *ctx, const char *lport,
              struct ofpbuf *ofpacts)
{
    put_load(ofpacts, MFF_LOG_CT_ZONE, LOG_CT_ZONE_OFS, LOG_CT_ZONE_BITS,
             port_zone(ctx, lport));
}

/* The Encap-ID of a binding's local encap IP (0, the default, if it has
 * none or it is unknown). */
static unsigned int
binding_encap_id(const struct physical_ctx *ctx,
                 const struct local_binding *lb)
{
    const struct chassis_encap_ip *ip
        = lb->encap_ip ? chassis_config_find_ip(ctx->cfg, lb->encap_ip)
                       : NULL;
    return ip ? ip->encap_id : 0;
}

/* Local VIFs, localports and containers. */

/* Adds the flows of tables 40 and 41 for local port 'pb' (a VIF, or a
 * localnet port with its patch port here) of the datapath with key
 * 'dp_key': local output loads the port's zone and its datapath's zones;
 * no packet goes back to the port it came from, unless flags.loopback. */
static void
add_local_output(const struct physical_ctx *ctx,
                 const struct sbrec_port_binding *pb, uint32_t dp_key,
                 struct flow_table *table)
{
    const struct uuid *owner = &pb->header_.uuid;
    uint32_t key = pb->tunnel_key;
    struct cflow f;

    cflow_init(&f, OFTABLE_LOCAL_OUTPUT, 100);
    pflow_match_port(&f, dp_key, key);
    put_port_zone(ctx, pb->logical_port, &f.ofpacts);
    put_dp_zones(ctx, &pb->datapath->header_.uuid, &f.ofpacts);
    put_resubmit(&f.ofpacts, OFTABLE_CHECK_LOOPBACK);
    cflow_add(&f, table, owner);

    cflow_init(&f, OFTABLE_CHECK_LOOPBACK, 100);
    pflow_match_port(&f, dp_key, key);
    match_set_reg(&f.match, MFF_LOG_INPORT - MFF_REG0, key);
    match_set_reg_masked(&f.match, MFF_LOG_FLAGS - MFF_REG0, 0,
                         1u << MLF_ALLOW_LOOPBACK_BIT);
    cflow_add(&f, table, owner);
}

static void
add_local_vif(const struct physical_ctx *ctx,
              const struct sbrec_port_binding *pb,
              const struct local_binding *lb, uint32_t dp_key,
              struct flow_table *table)
{
    const struct uuid *owner = &pb->header_.uuid;
    const struct uuid *dp = &pb->datapath->header_.uuid;
    ofp_port_t ofport = u16_to_ofp(lb->ofport);
    bool container = pb->parent_port && pb->parent_port[0] && pb->n_tag;
    unsigned int zone = port_zone(ctx, pb->logical_port);
    uint32_t key = pb->tunnel_key;
    struct cflow f;

    /* Table 0: the VIF (or the container's tag on its parent's VIF) is the
     * logical port, with its zone and its NIC's Encap-ID. */
    cflow_init(&f, OFTABLE_PHY_TO_LOG, container ? 150 : 100);
    match_set_in_port(&f.match, ofport);
    if (container) {
        match_set_dl_vlan(&f.match, htons(pb->tag[0]), 0);
        put_load(&f.ofpacts, MFF_LOG_FLAGS, MLF_NESTED_CONTAINER_BIT, 1, 1);
        ofpact_put_STRIP_VLAN(&f.ofpacts);
    }
    put_load_field(&f.ofpacts, MFF_LOG_CT_ZONE,
                   (physical_steer_encap_id(ctx, binding_encap_id(ctx, lb))
                    << LOG_ENCAP_ID_OFS) | zone);
    put_dp_zones(ctx, dp, &f.ofpacts);
    put_load_field(&f.ofpacts, MFF_LOG_DATAPATH, dp_key);
    put_load_field(&f.ofpacts, MFF_LOG_INPORT, key);
    put_resubmit(&f.ofpacts, OFTABLE_LOG_INGRESS);
    cflow_add(&f, table, owner);

    /* Table 39: a localport's traffic never leaves the chassis. */
    if (!strcmp(pb->type, "localport")) {
        cflow_init(&f, OFTABLE_REMOTE_OUTPUT, 150);
        match_set_metadata(&f.match, htonll(dp_key));
        match_set_reg(&f.match, MFF_LOG_INPORT - MFF_REG0, key);
        put_resubmit(&f.ofpacts, OFTABLE_LOCAL_OUTPUT);
        cflow_add(&f, table, owner);
    }

    add_local_output(ctx, pb, dp_key, table);

    /* Table 64: a container shares its parent's OpenFlow port, so output to
     * it from the parent, or to the parent from a container, must not be
     * taken for OpenFlow loopback. */
    if (container) {
        cflow_init(&f, OFTABLE_SAVE_INPORT, 100);
        pflow_match_port(&f, dp_key, key);
        put_output_any_inport(&f.ofpacts);
        cflow_add(&f, table, owner);
    } else if (shash_find(&ctx->rtd->children, pb->logical_port)) {
        cflow_init(&f, OFTABLE_SAVE_INPORT, 100);
        pflow_match_port(&f, dp_key, key);
        match_set_reg_masked(&f.match, MFF_LOG_FLAGS - MFF_REG0,
                             1u << MLF_NESTED_CONTAINER_BIT,
                             1u << MLF_NESTED_CONTAINER_BIT);
        put_output_any_inport(&f.ofpacts);
        cflow_add(&f, table, owner);
    }

    /* Table 65: out of the VIF, with the container's tag. */
    cflow_init(&f, OFTABLE_LOG_TO_PHY, 100);
    pflow_match_port(&f, dp_key, key);
    if (container) {
        ofpact_put_PUSH_VLAN(&f.ofpacts)->ethertype
            = htons(ETH_TYPE_VLAN_8021Q);
        put_load_field(&f.ofpacts, MFF_VLAN_VID,
                       OFPVID12_PRESENT | pb->tag[0]);
        put_output(&f.ofpacts, ofport);
        ofpact_put_STRIP_VLAN(&f.ofpacts);
    } else {
        put_output(&f.ofpacts, ofport);
    }
    cflow_add(&f, table, owner);
}

/* A localnet port, or an l2gateway port claimed here: its patch port to
 * the provider bridge is a local port, tagged with pb->tag if set. */
static void
add_localnet(const struct physical_ctx *ctx,
             const struct sbrec_port_binding *pb, uint32_t dp_key,
             struct flow_table *table)
{
    const struct uuid *owner = &pb->header_.uuid;
    const struct uuid *dp = &pb->datapath->header_.uuid;
    ofp_port_t ofport = patch_ofport(ctx, pb->logical_port);
    unsigned int zone = port_zone(ctx, pb->logical_port);
    uint32_t key = pb->tunnel_key;
    int tag = pb->n_tag ? pb->tag[0] : -1;
    struct cflow f;

    if (!ofport) {
        return;
    }

    /* Table 0: from the provider bridge, with the port's tag (stripped),
     * or untagged (also priority-tagged frames, whose tag is stripped). */
    for (int i = 0; i < (tag >= 0 ? 1 : 2); i++) {
        cflow_init(&f, OFTABLE_PHY_TO_LOG, tag >= 0 ? 150 : 100);
        match_set_in_port(&f.match, ofport);
        if (tag >= 0 || i == 1) {
            match_set_dl_vlan(&f.match, htons(tag >= 0 ? tag : 0), 0);
            ofpact_put_STRIP_VLAN(&f.ofpacts);
        } else {
            match_set_dl_tci_masked(&f.match, 0, htons(VLAN_CFI));
        }
        put_load_field(&f.ofpacts, MFF_LOG_CT_ZONE, zone);
        put_dp_zones(ctx, dp, &f.ofpacts);
        put_load_field(&f.ofpacts, MFF_LOG_DATAPATH, dp_key);
        put_load_field(&f.ofpacts, MFF_LOG_INPORT, key);
        put_resubmit(&f.ofpacts, OFTABLE_LOG_INGRESS);
        cflow_add(&f, table, owner);
    }

    /* Tables 40 and 41, then: nothing from a localport, and nothing meant
     * to stay on this chassis, onto the physical network. */
    add_local_output(ctx, pb, dp_key, table);
    static const int drop_bits[] = { MLF_LOCALPORT_BIT, MLF_LOCAL_ONLY_BIT };
    for (size_t i = 0; i < ARRAY_SIZE(drop_bits); i++) {
        cflow_init(&f, OFTABLE_CHECK_LOOPBACK, 160);
        pflow_match_port(&f, dp_key, key);
        match_set_reg_masked(&f.match, MFF_LOG_FLAGS - MFF_REG0,
                             1u << drop_bits[i], 1u << drop_bits[i]);
        cflow_add(&f, table, owner);
    }

    /* Table 65: out to the provider bridge, tagged if the port is. */
    cflow_init(&f, OFTABLE_LOG_TO_PHY, 100);
    pflow_match_port(&f, dp_key, key);
    if (tag >= 0) {
        struct ofpact_vlan_vid *vid = ofpact_put_SET_VLAN_VID(&f.ofpacts);
        vid->vlan_vid = tag;
        vid->push_vlan_if_needed = true;
        put_output(&f.ofpacts, ofport);
        ofpact_put_STRIP_VLAN(&f.ofpacts);
    } else {
        put_output(&f.ofpacts, ofport);
    }
    cflow_add(&f, table, owner);

    if (tag >= 0 && !strcmp(pb->type, "localnet")) {
        add_chassis_mac_flows(ctx, pb, dp_key, ofport, tag, table);
    }
}

/* The chassis MACs of the other chassis for physical network 'network',
 * from their other_config:ovn-chassis-mac-mappings, into 'macs'. */
static void
remote_chassis_macs(const struct physical_ctx *ctx, const char *network,
                    struct eth_addr **macs, size_t *n)
{
    const struct sbrec_chassis *ch;
    size_t allocated = 0;

    *macs = NULL;
    *n = 0;
    SBREC_CHASSIS_FOR_EACH (ch, ctx->sb_idl) {
        const char *mappings = smap_get(&ch->other_config,
                                        "ovn-chassis-mac-mappings");
        char *copy, *save = NULL;

        if (is_us(ctx, ch) || !mappings) {
            continue;
        }
        copy = xstrdup(mappings);
        for (char *tok = strtok_r(copy, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save)) {
            char *colon = strchr(tok, ':');
            struct eth_addr mac;

            while (*tok == ' ') {
                tok++;
            }
            if (colon && (size_t) (colon - tok) == strlen(network)
                && !strncmp(tok, network, colon - tok)
                && eth_addr_from_string(colon + 1, &mac)) {
                if (*n >= allocated) {
                    *macs = x2nrealloc(*macs, &allocated, sizeof **macs);
                }
                (*macs)[(*n)++] = mac;
            }
        }
        free(copy);
    }
}

/* Stores in '*mac' the MAC of the router port patched to switch port
 * 'pb' (its peer's first MAC).  Returns false if 'pb' is not one. */
static bool
router_port_mac(const struct physical_ctx *ctx,
                const struct sbrec_port_binding *pb, struct eth_addr *mac)
{
    const struct sbrec_port_binding *peer;

    if (strcmp(pb->type, "patch")) {
        return false;
    }
    peer = find_pb(ctx, smap_get(&pb->options, "peer"));
    if (!peer || !peer->n_mac || !peer->datapath
        || !smap_get(&peer->datapath->external_ids, "logical-router")) {
        return false;
    }
    char *first = xstrdup(peer->mac[0]);
    char *space = strchr(first, ' ');
    if (space) {
        *space = '\0';
    }
    bool ok = eth_addr_from_string(first, mac);
    free(first);
    return ok;
}

/* Distributed routing on a VLAN network (ovn-architecture(7), "East West
 * routing"): the routed packets this chassis sends out localnet port 'pb'
 * (tag 'tag', patch port 'ofport') carry its chassis MAC for the network
 * instead of the router port's; those other chassis send carry theirs,
 * which table 0 replaces by the router port's. */
static void
add_chassis_mac_flows(const struct physical_ctx *ctx,
                      const struct sbrec_port_binding *pb, uint32_t dp_key,
                      ofp_port_t ofport, int tag, struct flow_table *table)
{
    const char *network = smap_get(&pb->options, "network_name");
    const struct eth_addr *ours = chassis_config_mac_for(ctx->cfg, network);
    const struct uuid *owner = &pb->header_.uuid;
    const struct sbrec_port_binding *sib;
    struct eth_addr router_mac;
    struct cflow f;

    if (!ours || !ctx->pb_by_datapath) {
        return;
    }
    struct sbrec_port_binding *key
        = sbrec_port_binding_index_init_row(ctx->pb_by_datapath);
    sbrec_port_binding_index_set_datapath(key, pb->datapath);
    SBREC_PORT_BINDING_FOR_EACH_EQUAL (sib, key, ctx->pb_by_datapath) {
        if (!router_port_mac(ctx, sib, &router_mac)) {
            continue;
        }

        /* Table 65: ours out, the router port's back. */
        cflow_init(&f, OFTABLE_LOG_TO_PHY, 150);
        pflow_match_port(&f, dp_key, pb->tunnel_key);
        match_set_dl_src(&f.match, router_mac);
        put_load_field(&f.ofpacts, MFF_ETH_SRC, eth_addr_to_uint64(*ours));
        struct ofpact_vlan_vid *vid = ofpact_put_SET_VLAN_VID(&f.ofpacts);
        vid->vlan_vid = tag;
        vid->push_vlan_if_needed = true;
        put_output(&f.ofpacts, ofport);
        put_load_field(&f.ofpacts, MFF_ETH_SRC,
                       eth_addr_to_uint64(router_mac));
        ofpact_put_STRIP_VLAN(&f.ofpacts);
        cflow_add(&f, table, owner);

        /* Table 0: the other chassis's routed packets. */
        struct eth_addr *macs;
        size_t n;
        remote_chassis_macs(ctx, network, &macs, &n);
        for (size_t i = 0; i < n; i++) {
            cflow_init(&f, OFTABLE_PHY_TO_LOG, 180);
            match_set_in_port(&f.match, ofport);
            match_set_dl_vlan(&f.match, htons(tag), 0);
            match_set_dl_src(&f.match, macs[i]);
            ofpact_put_STRIP_VLAN(&f.ofpacts);
            put_load_field(&f.ofpacts, MFF_LOG_CT_ZONE,
                           port_zone(ctx, pb->logical_port));
            put_dp_zones(ctx, &pb->datapath->header_.uuid, &f.ofpacts);
            put_load_field(&f.ofpacts, MFF_LOG_DATAPATH, dp_key);
            put_load_field(&f.ofpacts, MFF_LOG_INPORT, pb->tunnel_key);
            put_load_field(&f.ofpacts, MFF_ETH_SRC,
                           eth_addr_to_uint64(router_mac));
            put_resubmit(&f.ofpacts, OFTABLE_LOG_INGRESS);
            cflow_add(&f, table, owner);
        }
        free(macs);
        break;
    }
    sbrec_port_binding_index_destroy_row(key);
}

/* A port bound elsewhere on a switch with a localnet port here: table 40
 * sends it to the localnet port, through the physical network. */
static void
add_via_localnet(const struct physical_ctx *ctx,
                 const struct sbrec_port_binding *pb, uint32_t dp_key,
                 const char *localnet, struct flow_table *table)
{
    const struct sbrec_port_binding *ln = find_pb(ctx, localnet);
    struct cflow f;

    if (!ln) {
        return;
    }
    cflow_init(&f, OFTABLE_LOCAL_OUTPUT, 100);
    pflow_match_port(&f, dp_key, pb->tunnel_key);
    put_load_field(&f.ofpacts, MFF_LOG_OUTPORT, ln->tunnel_key);
    put_resubmit(&f.ofpacts, OFTABLE_LOCAL_OUTPUT);
    cflow_add(&f, table, &pb->header_.uuid);
}

/* Patch ports. */
static const struct sbrec_port_binding *
find_pb(const struct physical_ctx *ctx, const char *name)
{
    const struct uuid *u = name ? shash_find_data(&ctx->rtd->pb_by_name,
                                                  name)
                                : NULL;
    return u ? sbrec_port_binding_get_for_uuid(ctx->sb_idl, u) : NULL;
}

/* Adds the flows of a patch port (or of an l3gateway port bound here):
 * local output, loopback check, and re-entry on the peer's datapath. */
static void
add_patch(const struct physical_ctx *ctx,
          const struct sbrec_port_binding *pb, uint32_t dp_key,
          struct flow_table *table)
{
    const struct uuid *owner = &pb->header_.uuid;
    const struct sbrec_port_binding *peer
        = find_pb(ctx, smap_get(&pb->options, "peer"));
    uint32_t peer_dp_key;
    struct cflow f;

    if (!peer || !local_dp_key(ctx, peer->datapath, &peer_dp_key)) {
        /* The peer is not (yet) known or local: nothing to reach. */
        return;
    }

    cflow_init(&f, OFTABLE_LOCAL_OUTPUT, 100);
    pflow_match_port(&f, dp_key, pb->tunnel_key);
    put_dp_zones(ctx, &pb->datapath->header_.uuid, &f.ofpacts);
    put_resubmit(&f.ofpacts, OFTABLE_CHECK_LOOPBACK);
    cflow_add(&f, table, owner);

    cflow_init(&f, OFTABLE_CHECK_LOOPBACK, 100);
    pflow_match_port(&f, dp_key, pb->tunnel_key);
    match_set_reg(&f.match, MFF_LOG_INPORT - MFF_REG0, pb->tunnel_key);
    match_set_reg_masked(&f.match, MFF_LOG_FLAGS - MFF_REG0, 0,
                         1u << MLF_ALLOW_LOOPBACK_BIT);
    cflow_add(&f, table, owner);

    /* Table 65: a clone re-enters ingress as the peer port, with fresh
     * registers and zones, but with the Encap-ID kept (reg13[16..31]): the
     * packet still leaves through the sender's NIC after the hop. */
    cflow_init(&f, OFTABLE_LOG_TO_PHY, 100);
    pflow_match_port(&f, dp_key, pb->tunnel_key);
    size_t clone_ofs = f.ofpacts.size;
    ofpact_put_CLONE(&f.ofpacts);
    ofpact_put_CT_CLEAR(&f.ofpacts);
    put_load_field(&f.ofpacts, MFF_LOG_DNAT_ZONE, 0);
    put_load_field(&f.ofpacts, MFF_LOG_SNAT_ZONE, 0);
    put_load(&f.ofpacts, MFF_LOG_CT_ZONE, LOG_CT_ZONE_OFS, LOG_CT_ZONE_BITS,
             0);
    put_dp_zones(ctx, &peer->datapath->header_.uuid, &f.ofpacts);
    put_load_field(&f.ofpacts, MFF_LOG_DATAPATH, peer_dp_key);
    put_load_field(&f.ofpacts, MFF_LOG_INPORT, peer->tunnel_key);
    put_load_field(&f.ofpacts, MFF_LOG_FLAGS, 0);
    put_load_field(&f.ofpacts, MFF_LOG_OUTPORT, 0);
    for (int i = 0; i < MFF_N_LOG_REGS; i++) {
        put_load_field(&f.ofpacts, MFF_LOG_REG0 + i, 0);
    }
    put_resubmit(&f.ofpacts, OFTABLE_LOG_INGRESS);
    struct ofpact_nest *clone = ofpbuf_at_assert(&f.ofpacts, clone_ofs,
                                                 sizeof *clone);
    f.ofpacts.header = clone;
    ofpact_finish_CLONE(&f.ofpacts, &clone);
    cflow_add(&f, table, owner);
}

/* Remote output (table 39). */

/* Stores in 'buf' the canonical text of 'ip' (as the mesh writes IPs).
 * Returns false if 'ip' does not parse. */
static bool
canonical_ip(const char *ip, char buf[INET6_ADDRSTRLEN])
{
    struct in6_addr addr;
    ovs_be32 ip4;

    if (ip_parse(ip, &ip4)) {
        snprintf(buf, INET6_ADDRSTRLEN, IP_FMT, IP_ARGS(ip4));
    } else if (ipv6_parse(ip, &addr)) {
        ipv6_string_mapped(buf, &addr);
    } else {
        return false;
    }
    return true;
}

/* The remote endpoint of 'peer' to use when no Encap names one: the
 * remote IP whose Encap is the peer's default, else the lowest remote IP
 * it has a path to.  NULL if it has no path. */
static const char *
peer_default_endpoint(const struct tunnel_mesh_peer *peer)
{
    const struct tunnel_mesh_path *path;
    const char *best = NULL;

    LIST_FOR_EACH (path, peer_node, &peer->paths) {
        if (path->remote_is_default) {
            return path->remote_ip;
        }
        if (!best || strcmp(path->remote_ip, best) < 0) {
            best = path->remote_ip;
        }
    }
    return best;
}

/* Returns the endpoint (remote IP, canonical, in 'buf') of chassis 'ch'
 * for a port whose Encap on that chassis is 'enc' (may be NULL), and its
 * peer in '*peerp'.  NULL, with a warning, if there is no tunnel to it. */
static const char *
remote_endpoint(const struct physical_ctx *ctx,
                const struct sbrec_port_binding *pb,
                const struct sbrec_chassis *ch, const struct sbrec_encap *enc,
                const struct tunnel_mesh_peer **peerp,
                char buf[INET6_ADDRSTRLEN])
{
    const struct tunnel_mesh_peer *peer = tunnel_mesh_find_peer(ctx->mesh,
                                                                ch->name);
    const struct tunnel_mesh_path *path;

    *peerp = peer;
    if (!peer || !peer->has_type || ovs_list_is_empty(&peer->paths)) {
        physical_warn(ctx, "lport %s: bound on chassis %s, to which there is "
                      "no tunnel; its traffic is dropped", pb->logical_port,
                      ch->name);
        return NULL;
    }
    if (enc && !strcmp(enc->chassis_name, ch->name)
        && canonical_ip(enc->ip, buf)) {
        LIST_FOR_EACH (path, peer_node, &peer->paths) {
            if (!strcmp(path->remote_ip, buf)) {
                return buf;
            }
        }
    }
    const char *def = peer_default_endpoint(peer);
    if (!def) {
        return NULL;
    }
    ovs_strlcpy(buf, def, INET6_ADDRSTRLEN);
    return buf;
}

/* Maps an output port key (unicast or multicast) to VXLAN's 12 bits, or
 * returns false if it does not fit. */
static bool
vxlan_outport(uint32_t key, uint32_t *out)
{
    if (key >= OVN_MCAST_BASE) {
        key = key - OVN_MCAST_BASE + VXLAN_MCAST_BASE;
        if (key > VXLAN_MCAST_BASE + VXLAN_MAX_PORT_KEY) {
            return false;
        }
    } else if (key > VXLAN_MAX_PORT_KEY) {
        return false;
    }
    *out = key;
    return true;
}

/* Appends the tunnel metadata of a packet for datapath 'dp_key' and output
 * port 'outport' over a tunnel of 'type'.  Returns false, with a warning
 * naming 'what', if it cannot be encoded. */
static bool
put_encap(const struct physical_ctx *ctx, enum chassis_encap_type type,
          uint32_t dp_key, uint32_t outport, const char *what,
          struct ofpbuf *ofpacts)
{
    if (type == CHASSIS_ENCAP_GENEVE) {
        if (ctx->geneve_field == MFF_N_IDS) {
            return false;
        }
        put_load(ofpacts, MFF_TUN_ID, 0, 24, dp_key);
        put_load(ofpacts, ctx->geneve_field, 0, 32, outport);
        put_move(ofpacts, MFF_LOG_INPORT, 0, ctx->geneve_field, 16, 15);
        return true;
    }

    uint32_t vport;
    if (dp_key > VXLAN_MAX_DP_KEY || !vxlan_outport(outport, &vport)) {
        physical_warn(ctx, "%s: datapath key %"PRIu32" or port key %"PRIu32
                      " is too large for VXLAN (12 bits of datapath, 11 of "
                      "port); not sent over VXLAN", what, dp_key, outport);
        return false;
    }
    put_load(ofpacts, MFF_TUN_ID, 0, 24, (vport << 12) | dp_key);
    return true;
}

/* Appends the actions that send a copy to 'endpoint' of 'peer' through
 * tables 80/81.  Returns false if they cannot be built. */
static bool
put_remote_copy(const struct physical_ctx *ctx,
                const struct tunnel_mesh_peer *peer, const char *endpoint,
                uint32_t dp_key, uint32_t outport, const char *what,
                struct ofpbuf *ofpacts)
{
    if (!put_encap(ctx, peer->type, dp_key, outport, what, ofpacts)
        || !put_load_ip(ofpacts, endpoint, MFF_TUN_DST, MFF_TUN_IPV6_DST)) {
        return false;
    }
    put_resubmit(ofpacts, physical_encap_table(ctx->mesh->flow_based,
                                               peer->type));
    return true;
}

/* Adds table 39's flow of a port bound elsewhere: one copy to the main
 * chassis (unless 'main_is_us': this chassis claims the port as main,
 * whatever the row says yet), one to each additional chassis that is not
 * us; then local output if the port is also bound here ('also_local'). */
static void
add_remote_port(const struct physical_ctx *ctx,
                const struct sbrec_port_binding *pb, uint32_t dp_key,
                bool main_is_us, bool also_local, struct flow_table *table)
{
    const struct uuid *owner = &pb->header_.uuid;
    bool any = false;
    struct cflow f;

    cflow_init(&f, OFTABLE_REMOTE_OUTPUT, 100);
    pflow_match_port(&f, dp_key, pb->tunnel_key);
    for (size_t i = main_is_us ? 1 : 0; i <= pb->n_additional_chassis; i++) {
        const struct sbrec_chassis *ch = (i == 0 ? pb->chassis
                                          : pb->additional_chassis[i - 1]);
        const struct sbrec_encap *enc = NULL;
        const struct tunnel_mesh_peer *peer;
        char buf[INET6_ADDRSTRLEN];
        const char *endpoint;

        if (!ch || is_us(ctx, ch)) {
            continue;
        }
        if (i == 0) {
            enc = pb->encap;
        } else {
            for (size_t j = 0; j < pb->n_additional_encap; j++) {
                if (!strcmp(pb->additional_encap[j]->chassis_name,
                            ch->name)) {
                    enc = pb->additional_encap[j];
                }
            }
        }
        endpoint = remote_endpoint(ctx, pb, ch, enc, &peer, buf);
        if (endpoint && put_remote_copy(ctx, peer, endpoint, dp_key,
                                        pb->tunnel_key, pb->logical_port,
                                        &f.ofpacts)) {
            any = true;
        }
    }
    if (!any) {
        COVERAGE_INC(physical_bad_port);
        cflow_drop(&f);
        return;
    }
    if (also_local) {
        put_resubmit(&f.ofpacts, OFTABLE_LOCAL_OUTPUT);
    }
    cflow_add(&f, table, owner);
}

/* HA members of a chassisredirect port, highest priority first. */
struct hap_member {
    const struct sbrec_chassis *chassis;
    int64_t priority;
};

static int
compare_hap_members(const void *a_, const void *b_)
{
    const struct hap_member *a = a_, *b = b_;

    if (a->priority != b->priority) {
        return a->priority > b->priority ? -1 : 1;
    }
    return strcmp(a->chassis->name, b->chassis->name);
}

/* Stores in '*members' the HA members of 'pb' (Gateway_Chassis rows, else
 * its HA_Chassis_Group), sorted; returns how many. */
static size_t
ha_members(const struct sbrec_port_binding *pb, struct hap_member **members)
{
    const struct sbrec_ha_chassis_group *g = pb->ha_chassis_group;
    size_t n = 0;

    *members = xcalloc(pb->n_gateway_chassis + (g ? g->n_ha_chassis : 0) + 1,
                       sizeof **members);
    for (size_t i = 0; i < pb->n_gateway_chassis; i++) {
        const struct sbrec_gateway_chassis *gc = pb->gateway_chassis[i];
        if (gc->chassis) {
            (*members)[n++] = (struct hap_member) { gc->chassis,
                                                   gc->priority };
        }
    }
    if (!n && g) {
        for (size_t i = 0; i < g->n_ha_chassis; i++) {
            const struct sbrec_ha_chassis *hc = g->ha_chassis[i];
            if (hc->chassis) {
                (*members)[n++] = (struct hap_member) { hc->chassis,
                                                       hc->priority };
            }
        }
    }
    qsort(*members, n, sizeof **members, compare_hap_members);
    return n;
}

/* Appends bundle(active_backup) over 'n' ofports. */
static void
put_bundle(struct ofpbuf *ofpacts, const ofp_port_t *ports, size_t n)
{
    struct ofpact_bundle *bundle = ofpact_put_BUNDLE(ofpacts);

    bundle->algorithm = NX_BD_ALG_ACTIVE_BACKUP;
    bundle->fields = NX_HASH_FIELDS_ETH_SRC;
    bundle->basis = 0;
    bundle->dst.field = NULL;
    bundle->compat_syntax = false;
    ofpbuf_put(ofpacts, ports, n * sizeof *ports);
    bundle = ofpacts->header;
    bundle->n_members = n;
    ofpact_finish_BUNDLE(ofpacts, &bundle);
}

/* Appends to 'ports' ('*n' of them so far, room for every path of the
 * peers) the tunnels to HA member 'peer' for packets of Encap-ID 'e': the
 * one to its default endpoint from that NIC (or its fallback), then,
 * under NIC failover, every other path to it, from that NIC first, so
 * that the bundle skips a dead tunnel without skipping the member. */
static void
put_member_paths(const struct physical_ctx *ctx,
                 const struct tunnel_mesh_peer *peer, unsigned int e,
                 ofp_port_t *ports, size_t *n)
{
    const char *endpoint = peer_default_endpoint(peer);
    const struct tunnel_mesh_path *first
        = endpoint ? physical_select_path(ctx, peer, endpoint, e) : NULL;
    const struct tunnel_mesh_path *path;

    if (!first) {
        return;
    }
    ports[(*n)++] = physical_path_ofport(ctx, first);
    if (!ctx->dead_paths) {
        return;
    }
    for (int pass = 0; pass < 2; pass++) {
        LIST_FOR_EACH (path, peer_node, &peer->paths) {
            ofp_port_t ofport = physical_path_ofport(ctx, path);
            bool same_nic = path->encap_id == e;
            bool dup = false;

            if (ofport == OFPP_NONE || same_nic != (pass == 0)) {
                continue;
            }
            for (size_t i = 0; i < *n; i++) {
                dup |= ports[i] == ofport;
            }
            if (!dup) {
                ports[(*n)++] = ofport;
            }
        }
    }
}

/* Returns how many of the 'n' members of an HA port this chassis may send
 * to, and sorts them first ('members' is in priority order): the live
 * ones as the "ha" node sees them (a member that comes back joins once its
 * BFD session is stable, on every chassis at about the same moment), or
 * all of them if none is live. */
static size_t
live_members(const struct physical_ctx *ctx, struct hap_member *members,
             size_t n)
{
    size_t n_live = 0;

    for (size_t i = 0; i < n; i++) {
        if (!ctx->ha || ha_chassis_is_live(ctx->ha, ctx->chassis_name,
                                           members[i].chassis->name)) {
            struct hap_member m = members[i];
            memmove(&members[n_live + 1], &members[n_live],
                    (i - n_live) * sizeof *members);
            members[n_live++] = m;
        }
    }
    return n_live ? n_live : n;
}

/* Adds table 39's flows of an HA chassisredirect port claimed elsewhere:
 * per local Encap-ID, the tunnel metadata and a bundle(active_backup) of
 * the tunnels from that Encap-ID's NIC (or its fallback) to each live
 * member's default endpoint, in priority order (see put_member_paths()).
 * OVS itself skips a member whose BFD session is down. */
static void
add_ha_port(const struct physical_ctx *ctx,
            const struct sbrec_port_binding *pb, uint32_t dp_key,
            struct hap_member *members, size_t n,
            struct flow_table *table)
{
    const struct uuid *owner = &pb->header_.uuid;
    size_t n_paths = 0;

    n = live_members(ctx, members, n);
    for (size_t i = 0; i < n; i++) {
        const struct tunnel_mesh_peer *peer
            = tunnel_mesh_find_peer(ctx->mesh, members[i].chassis->name);
        const struct tunnel_mesh_path *path;
        if (peer) {
            LIST_FOR_EACH (path, peer_node, &peer->paths) {
                n_paths++;
            }
        }
    }
    for (size_t e = 0; e < ctx->cfg->n_encap_ips; e++) {
        ofp_port_t *ports = xcalloc(n_paths + 1, sizeof *ports);
        enum chassis_encap_type type = CHASSIS_ENCAP_GENEVE;
        size_t n_ports = 0;
        struct cflow f;

        for (size_t i = 0; i < n; i++) {
            const struct tunnel_mesh_peer *peer
                = (is_us(ctx, members[i].chassis) ? NULL
                   : tunnel_mesh_find_peer(ctx->mesh,
                                           members[i].chassis->name));
            size_t before = n_ports;
            if (peer) {
                put_member_paths(ctx, peer, e, ports, &n_ports);
            }
            if (before == 0 && n_ports) {
                type = peer->type;
            }
        }
        cflow_init(&f, OFTABLE_REMOTE_OUTPUT, 100);
        pflow_match_port(&f, dp_key, pb->tunnel_key);
        pflow_match_encap_id(&f, e);
        if (n_ports && put_encap(ctx, type, dp_key, pb->tunnel_key,
                                 pb->logical_port, &f.ofpacts)) {
            put_bundle(&f.ofpacts, ports, n_ports);
            cflow_add(&f, table, owner);
        } else {
            cflow_drop(&f);
        }
        free(ports);
    }
}

/* A chassisredirect port: local output as its distributed port where it
 * is claimed; elsewhere, in port-based mode with several HA members, a
 * bundle of the tunnels to them (the first live one in priority order
 * gets the packet), else a tunnel to the chassis that claimed it. */
static void
add_chassisredirect(const struct physical_ctx *ctx,
                    const struct sbrec_port_binding *pb, uint32_t dp_key,
                    struct flow_table *table)
{
    const struct sbrec_port_binding *dgp
        = find_pb(ctx, smap_get(&pb->options, "distributed-port"));
    struct hap_member *members;
    size_t n;

    if (claimed_here(ctx, pb)) {
        struct cflow f;

        if (!dgp) {
            physical_warn(ctx, "lport %s: chassisredirect port without a "
                          "known distributed-port", pb->logical_port);
            return;
        }
        cflow_init(&f, OFTABLE_LOCAL_OUTPUT, 100);
        pflow_match_port(&f, dp_key, pb->tunnel_key);
        put_load_field(&f.ofpacts, MFF_LOG_OUTPORT, dgp->tunnel_key);
        put_resubmit(&f.ofpacts, OFTABLE_LOCAL_OUTPUT);
        cflow_add(&f, table, &pb->header_.uuid);
        return;
    }
    n = ha_members(pb, &members);
    if (n > 1 && !ctx->mesh->flow_based) {
        add_ha_port(ctx, pb, dp_key, members, n, table);
    } else if (physical_remote_chassis(ctx, pb)) {
        add_remote_port(ctx, pb, dp_key, false, false, table);
    }
    free(members);
}

void
physical_add_port(const struct physical_ctx *ctx,
                  const struct sbrec_port_binding *pb,
                  struct flow_table *table)
{
    const struct local_binding *lb;
    uint32_t dp_key;

    if (!local_dp_key(ctx, pb->datapath, &dp_key)) {
        return;
    }
    COVERAGE_INC(physical_port);
    if (!strcmp(pb->type, "patch")) {
        add_patch(ctx, pb, dp_key, table);
    } else if (!strcmp(pb->type, "l3gateway")) {
        const char *ln = dp_localnet(ctx, pb->datapath);
        if (claimed_here(ctx, pb)) {
            add_patch(ctx, pb, dp_key, table);
        } else if (physical_remote_chassis(ctx, pb) && ln) {
            add_via_localnet(ctx, pb, dp_key, ln, table);
        } else if (physical_remote_chassis(ctx, pb)) {
            add_remote_port(ctx, pb, dp_key, false, false, table);
        }
    } else if (!strcmp(pb->type, "chassisredirect")) {
        add_chassisredirect(ctx, pb, dp_key, table);
    } else if (!strcmp(pb->type, "localnet")) {
        add_localnet(ctx, pb, dp_key, table);
    } else if (!strcmp(pb->type, "l2gateway") && claimed_here(ctx, pb)) {
        add_localnet(ctx, pb, dp_key, table);
    } else if ((lb = local_vif(ctx, pb)) != NULL) {
        add_local_vif(ctx, pb, lb, dp_key, table);
        if (binding_role_is_claim(lb->role)
            && (pb->n_additional_chassis || lb->role != BINDING_ROLE_MAIN)) {
            /* Live migration: the other chassis gets a copy too. */
            add_remote_port(ctx, pb, dp_key, lb->role == BINDING_ROLE_MAIN,
                            true, table);
        }
    } else if (!local_binding(ctx, pb) && physical_remote_chassis(ctx, pb)
               && strcmp(pb->type, "localport")) {
        const char *ln = dp_localnet(ctx, pb->datapath);
        if (ln) {
            add_via_localnet(ctx, pb, dp_key, ln, table);
        } else {
            add_remote_port(ctx, pb, dp_key, false, false, table);
        }
    }
}

/* Multicast groups. */

/* Adds the multicast group's flows. */
void
physical_add_mcast(const struct physical_ctx *ctx,
                   const struct sbrec_multicast_group *mg,
                   struct flow_table *table)
{
    const struct uuid *owner = &mg->header_.uuid;
    uint32_t dp_key, key = mg->tunnel_key;
    struct sset chassis = SSET_INITIALIZER(&chassis);
    struct cflow remote, local;
    bool any_remote = false, any_local = false, any_patch = false;

    if (!local_dp_key(ctx, mg->datapath, &dp_key)) {
        sset_destroy(&chassis);
        return;
    }
    COVERAGE_INC(physical_mcast);
    cflow_init(&remote, OFTABLE_REMOTE_OUTPUT, 100);
    pflow_match_port(&remote, dp_key, key);
    cflow_init(&local, OFTABLE_LOCAL_OUTPUT, 100);
    pflow_match_port(&local, dp_key, key);

    /* Patch ports (in table 39: only the copy made where the packet
     * entered goes through them) and local members (table 40). */
    for (size_t i = 0; i < mg->n_ports; i++) {
        const struct sbrec_port_binding *pb = mg->ports[i];
        const struct local_binding *lb;

        if (pb->datapath != mg->datapath) {
            continue;
        }
        if (!strcmp(pb->type, "patch")) {
            put_load_field(&remote.ofpacts, MFF_LOG_OUTPORT, pb->tunnel_key);
            put_resubmit(&remote.ofpacts, OFTABLE_CHECK_LOOPBACK);
            any_patch = true;
        } else if ((lb = local_vif(ctx, pb)) != NULL
                   || ((!strcmp(pb->type, "localnet")
                        || (!strcmp(pb->type, "l2gateway")
                            && claimed_here(ctx, pb)))
                       && patch_ofport(ctx, pb->logical_port))) {
            put_port_zone(ctx, pb->logical_port, &local.ofpacts);
            put_load_field(&local.ofpacts, MFF_LOG_OUTPORT, pb->tunnel_key);
            put_resubmit(&local.ofpacts, OFTABLE_CHECK_LOOPBACK);
            any_local = true;
        }
        /* The chassis that hold the port: for a port we claim as main,
         * the row may still name the one before us. */
        lb = local_binding(ctx, pb);
        bool main_is_us = lb && lb->role == BINDING_ROLE_MAIN;
        for (size_t j = main_is_us ? 1 : 0; j <= pb->n_additional_chassis;
             j++) {
            const struct sbrec_chassis *ch
                = j == 0 ? pb->chassis : pb->additional_chassis[j - 1];
            if (ch && !is_us(ctx, ch) && strcmp(pb->type, "patch")) {
                sset_add(&chassis, ch->name);
            }
        }
    }
    if (any_patch) {
        put_load_field(&remote.ofpacts, MFF_LOG_OUTPORT, key);
    }

    /* One copy per remote chassis, from the sender's NIC to the chassis's
     * default endpoint (the set is sorted, for stable flows); none on a
     * switch whose localnet port reaches them. */
    if (dp_localnet(ctx, mg->datapath)) {
        sset_clear(&chassis);
    }
    const char **names = sset_sort(&chassis);
    for (size_t i = 0; names[i]; i++) {
        const struct tunnel_mesh_peer *peer
            = tunnel_mesh_find_peer(ctx->mesh, names[i]);
        const char *endpoint = (peer && peer->has_type
                                ? peer_default_endpoint(peer) : NULL);

        if (endpoint && put_remote_copy(ctx, peer, endpoint, dp_key, key,
                                        mg->name, &remote.ofpacts)) {
            any_remote = true;
        }
    }
    free(names);
    sset_destroy(&chassis);

    if (any_remote || any_patch) {
        put_resubmit(&remote.ofpacts, OFTABLE_LOCAL_OUTPUT);
        cflow_add(&remote, table, owner);
    } else {
        cflow_drop(&remote);
    }
    if (any_local) {
        put_load_field(&local.ofpacts, MFF_LOG_OUTPORT, key);
        cflow_add(&local, table, owner);
    } else {
        cflow_drop(&local);
    }
}
