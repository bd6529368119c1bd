/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* What the pipeline learns from packets, for the SB (writes.h):
 *
 * put_arp(P, A, E), put_nd(P, A, E): a MAC_Binding row for IP A on logical
 * port P with MAC E (with its timestamp); the packets held for next hop A
 * on the datapath (held.h) are sent on at once, without waiting for the
 * SB.
 * put_fdb(P, A): an FDB row for MAC A on port P of the switch.
 * bind_vport(V, P): virtual port V is claimed here with parent P.
 *
 * The arguments come from the packet and the pipeline's registers.  A
 * port that is not in the snapshot's datapath, a multicast, broadcast or
 * zero MAC, or a zero, multicast or broadcast IP, is rejected: nothing
 * from such a packet reaches the SB. */

#include <config.h>
#include "controller/pinctrl/pin.h"

#include <arpa/inet.h>
#include "controller/pinctrl/held.h"
#include "controller/pinctrl/snapshot.h"
#include "controller/pinctrl/writes.h"
#include "coverage.h"
#include "util.h"

COVERAGE_DEFINE(pinctrl_learn);

/* Reads argument 'nth' as a port key of the packet's datapath; returns
 * the port, or NULL after pin_reject(). */
static const struct ps_port *
get_port_arg(struct pin *pin, size_t nth, const struct ps_datapath **dpp)
{
    union mf_subvalue v;
    int n_bits;

    if (!pin_get_field(pin, nth, &v, &n_bits) || n_bits > 32) {
        pin_reject(pin, "bad port argument");
        return NULL;
    }
    uint32_t dp_key = ntohll(pin->flow.metadata);
    uint32_t key = ntohl(v.be32[31]);
    const struct ps_datapath *dp = pinctrl_snapshot_find_dp(pin->snap,
                                                            dp_key);
    const struct ps_port *port = dp ? pinctrl_snapshot_find_port(dp, key)
                                    : NULL;
    if (!port) {
        pin_reject(pin, "port %"PRIu32" of datapath %"PRIu32" is not "
                   "known here", key, dp_key);
        return NULL;
    }
    *dpp = dp;
    return port;
}

static bool
get_mac_arg(struct pin *pin, size_t nth, struct eth_addr *mac)
{
    union mf_subvalue v;
    int n_bits;

    if (!pin_get_field(pin, nth, &v, &n_bits) || n_bits != 48) {
        pin_reject(pin, "bad MAC argument");
        return false;
    }
    *mac = v.mac;
    if (eth_addr_is_multicast(*mac) || eth_addr_is_zero(*mac)) {
        pin_reject(pin, "MAC "ETH_ADDR_FMT" cannot be learnt",
                   ETH_ADDR_ARGS(*mac));
        return false;
    }
    return true;
}

static void
put_neighbour(struct pin *pin, bool v6)
{
    const struct ps_datapath *dp;
    const struct ps_port *port = get_port_arg(pin, 0, &dp);
    struct eth_addr mac;
    union mf_subvalue v;
    int n_bits;

    if (!port || !get_mac_arg(pin, 2, &mac)) {
        return;
    }
    if (!pin_get_field(pin, 1, &v, &n_bits) || n_bits != (v6 ? 128 : 32)) {
        pin_reject(pin, "bad IP argument");
        return;
    }

    char ip[INET6_ADDRSTRLEN];
    struct in6_addr addr;
    if (v6) {
        addr = v.ipv6;
        if (!ipv6_addr_is_set(&addr) || ipv6_addr_is_multicast(&addr)) {
            pin_reject(pin, "IPv6 address cannot be learnt");
            return;
        }
        inet_ntop(AF_INET6, &addr, ip, sizeof ip);
    } else {
        ovs_be32 ip4 = v.ipv4;
        if (!ip4 || ip_is_multicast(ip4) || ip4 == htonl(UINT32_MAX)) {
            pin_reject(pin, "IPv4 address "IP_FMT" cannot be learnt",
                       IP_ARGS(ip4));
            return;
        }
        addr = in6_addr_mapped_ipv4(ip4);
        inet_ntop(AF_INET, &ip4, ip, sizeof ip);
    }

    if (pin->writes) {
        pinctrl_writes_add_mac_binding(pin->writes, dp->key, port->key, ip,
                                       mac, pin->wall_now);
    }
    if (pin->held) {
        pinctrl_held_release(pin->held, dp->key, &addr, mac, pin);
    }
    COVERAGE_INC(pinctrl_learn);
}

void
pinctrl_handle_put_arp(struct pin *pin)
{
    put_neighbour(pin, false);
}

void
pinctrl_handle_put_nd(struct pin *pin)
{
    put_neighbour(pin, true);
}

void
pinctrl_handle_put_fdb(struct pin *pin)
{
    const struct ps_datapath *dp;
    const struct ps_port *port = get_port_arg(pin, 0, &dp);
    struct eth_addr mac;

    if (port && get_mac_arg(pin, 1, &mac)) {
        if (pin->writes) {
            pinctrl_writes_add_fdb(pin->writes, dp->key, port->key, mac);
        }
        COVERAGE_INC(pinctrl_learn);
    }
}

void
pinctrl_handle_bind_vport(struct pin *pin)
{
    const struct ps_datapath *dp;
    const struct ps_port *parent = get_port_arg(pin, 0, &dp);
    char *vport = ctlop_arg_get_string(ctlop_msg_find(pin->msg,
                                                      CTLOP_TAG_STRING, 0));
    if (!parent) {
        free(vport);
        return;
    }
    const struct ps_port *vp = vport
        ? pinctrl_snapshot_find_port_by_name(dp, vport) : NULL;
    if (!vp || strcmp(vp->type, "virtual")) {
        pin_reject(pin, "\"%s\" is not a virtual port of datapath %"PRIu32,
                   vport ? vport : "", dp->key);
    } else if (pin->writes) {
        pinctrl_writes_add_vport(pin->writes, dp->key, vport, parent->key);
        COVERAGE_INC(pinctrl_learn);
    }
    free(vport);
}
