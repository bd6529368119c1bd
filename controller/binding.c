/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Port binding decisions: see binding.h.
 *
 * What the spec says (ovn-sb(5), ovn-architecture(7)): a chassis claims a
 * VIF's logical port when an Interface on its integration bridge carries
 * external_ids:iface-id equal to the port's name; l3gateway, l2gateway,
 * chassisredirect and external ports are claimed by the chassis the port's
 * options or gateway rows name.  What we do: the same, with the VIF's
 * external_ids:encap-ip choosing the Encap the port is reached through.
 */

#include <config.h>

#include "controller/binding.h"

#include <string.h>
#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "svec.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(binding_rules);

COVERAGE_DEFINE(binding_decide);
COVERAGE_DEFINE(binding_bad_pin);

const char *
binding_role_name(enum binding_role role)
{
    switch (role) {
#define BINDING_ROLE(ENUM, NAME) case BINDING_ROLE_##ENUM: return NAME;
        BINDING_ROLES
#undef BINDING_ROLE
    }
    return "<invalid>";
}

const char *
binding_state_name(enum binding_state state)
{
    switch (state) {
#define BINDING_STATE(ENUM, NAME) case BINDING_STATE_##ENUM: return NAME;
        BINDING_STATES
#undef BINDING_STATE
    }
    return "<invalid>";
}

void
binding_decision_destroy(struct binding_decision *d)
{
    if (d) {
        free(d->why_not);
        d->why_not = NULL;
    }
}

bool
binding_type_is_vif(const char *type)
{
    return !type || !type[0];
}

/* True if 'name' (a chassis name or hostname) designates 'ch'. */
static bool
binding_is_us(const struct binding_chassis *ch, const char *name)
{
    return name && name[0]
           && (!strcmp(name, ch->name)
               || (ch->hostname && !strcmp(name, ch->hostname)));
}

/* Returns the role 'ch' has in the requested chassis of 'pb': MAIN if
 * there is no request or the first requested chassis is us, ADDITIONAL if
 * another requested one is us, NONE otherwise. */
static enum binding_role
binding_requested_role(const struct binding_port *pb,
                       const struct binding_chassis *ch)
{
    bool requested = false;
    enum binding_role role = BINDING_ROLE_NONE;

    if (pb->requested_chassis && pb->requested_chassis[0]) {
        char *copy = xstrdup(pb->requested_chassis);
        char *save = NULL;
        bool first = true;

        requested = true;
        for (char *tok = strtok_r(copy, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save)) {
            if (binding_is_us(ch, tok)) {
                role = first ? BINDING_ROLE_MAIN : BINDING_ROLE_ADDITIONAL;
                break;
            }
            first = false;
        }
        free(copy);
    }
    for (size_t i = 0; role == BINDING_ROLE_NONE
                       && i < pb->n_requested_additional; i++) {
        requested = true;
        if (binding_is_us(ch, pb->requested_additional[i])) {
            role = BINDING_ROLE_ADDITIONAL;
        }
    }
    return requested ? role : BINDING_ROLE_MAIN;
}

/* Returns the highest-priority known member of pb's gateway or HA list,
 * or NULL.  Ties go to the smaller chassis name, for determinism. */
static const struct binding_ha_member *
binding_ha_leader(const struct binding_port *pb)
{
    const struct binding_ha_member *best = NULL;

    for (size_t i = 0; i < pb->n_ha; i++) {
        const struct binding_ha_member *m = &pb->ha[i];

        if (!m->chassis) {
            continue;
        }
        if (!best || m->priority > best->priority
            || (m->priority == best->priority
                && strcmp(m->chassis, best->chassis) < 0)) {
            best = m;
        }
    }
    return best;
}

/* Decides a VIF port ("" type, not a container). */
static void
binding_decide_vif(const struct binding_port *pb,
                   const struct binding_iface *iface,
                   const struct binding_chassis *ch,
                   struct binding_decision *out)
{
    if (iface && iface->ofport < 0) {
        out->why_not = xasprintf(
            "not claiming lport %s: interface %s has no OpenFlow port "
            "(ofport=%"PRId64"); waiting for one", pb->logical_port,
            iface->name, iface->ofport);
        return;
    }
    if (!iface || !iface->ofport) {
        return;
    }
    out->role = binding_requested_role(pb, ch);
    if (out->role == BINDING_ROLE_NONE) {
        out->why_not = xasprintf(
            "not claiming lport %s (VIF %s): requested-chassis \"%s\" does "
            "not name this chassis (%s, hostname %s)",
            pb->logical_port, iface->name,
            pb->requested_chassis ? pb->requested_chassis : "",
            ch->name, ch->hostname ? ch->hostname : "unset");
        return;
    }
    out->iface = iface;
}

void
binding_decide(const struct binding_port *pb,
               const struct binding_iface *iface,
               enum binding_role parent_role,
               const struct binding_iface *parent_iface,
               const struct binding_chassis *ch,
               struct binding_decision *out)
{
    const char *type = pb->type ? pb->type : "";

    COVERAGE_INC(binding_decide);
    out->role = BINDING_ROLE_NONE;
    out->iface = NULL;
    out->why_not = NULL;

    if (binding_type_is_vif(type)) {
        if (pb->parent_port && pb->parent_port[0]) {
            if (pb->has_tag && binding_role_is_claim(parent_role)) {
                out->role = parent_role;
                out->iface = parent_iface;
            }
        } else {
            binding_decide_vif(pb, iface, ch, out);
        }
    } else if (!strcmp(type, "localport")) {
        if (iface && iface->ofport > 0) {
            out->role = BINDING_ROLE_LOCAL;
            out->iface = iface;
        }
    } else if (!strcmp(type, "l3gateway")) {
        if (binding_is_us(ch, pb->l3gateway_chassis)) {
            out->role = BINDING_ROLE_MAIN;
        }
    } else if (!strcmp(type, "l2gateway")) {
        if (binding_is_us(ch, pb->l2gateway_chassis)) {
            out->role = BINDING_ROLE_MAIN;
        }
    } else if (!strcmp(type, "chassisredirect")
               || !strcmp(type, "external")) {
        const struct binding_ha_member *leader = binding_ha_leader(pb);
        if (leader && binding_is_us(ch, leader->chassis)) {
            out->role = BINDING_ROLE_MAIN;
        } else if (!leader && pb->n_ha) {
            out->why_not = xasprintf(
                "%s port %s: none of its %"PRIuSIZE" gateway chassis is a "
                "known chassis; not claimed", type, pb->logical_port,
                pb->n_ha);
        }
    }
}

/* Returns true if 'a' is a better VIF for the port than 'b'. */
static bool
binding_iface_better(const struct binding_iface *a,
                     const struct binding_iface *b)
{
    bool a_usable = a->ofport > 0, b_usable = b->ofport > 0;

    if (a_usable != b_usable) {
        return a_usable;
    }
    if (a->installed != b->installed) {
        return a->installed;
    }
    if (a->ofport != b->ofport) {
        return a->ofport < b->ofport;
    }
    return strcmp(a->name, b->name) < 0;
}

const struct binding_iface *
binding_iface_pick(const struct binding_iface *const *ifaces, size_t n,
                   struct svec *warnings)
{
    const struct binding_iface *best = NULL;

    for (size_t i = 0; i < n; i++) {
        if (!best || binding_iface_better(ifaces[i], best)) {
            best = ifaces[i];
        }
    }
    if (n > 1 && warnings) {
        struct ds s = DS_EMPTY_INITIALIZER;

        ds_put_format(&s, "iface-id %s is claimed by several interfaces: "
                      "%s binds it; ignoring", best->iface_id, best->name);
        for (size_t i = 0; i < n; i++) {
            if (ifaces[i] != best) {
                ds_put_format(&s, " %s", ifaces[i]->name);
            }
        }
        svec_add_nocopy(warnings, ds_steal_cstr(&s));
    }
    return best;
}

/* Parses 'text' (IPv4, IPv6, or bracketed IPv6) into '*addr' in IPv6 form.
 * Returns false if it is no address. */
static bool
binding_parse_ip(const char *text, struct in6_addr *addr)
{
    ovs_be32 ip4;
    size_t len = strlen(text);

    if (ip_parse(text, &ip4)) {
        in6_addr_set_mapped_ipv4(addr, ip4);
        return true;
    }
    if (len > 2 && text[0] == '[' && text[len - 1] == ']') {
        char *inner = xmemdup0(text + 1, len - 2);
        bool ok = ipv6_parse(inner, addr);
        free(inner);
        return ok;
    }
    return ipv6_parse(text, addr);
}

void
binding_choose_encap(const struct chassis_config *cfg, const char *pin,
                     struct binding_encap *out)
{
    out->ip = NULL;
    out->bad_pin = false;
    out->type = (cfg->encap_types[CHASSIS_ENCAP_GENEVE]
                 ? CHASSIS_ENCAP_GENEVE : CHASSIS_ENCAP_VXLAN);
    if (!cfg->n_encap_ips
        || (!cfg->encap_types[CHASSIS_ENCAP_GENEVE]
            && !cfg->encap_types[CHASSIS_ENCAP_VXLAN])) {
        out->bad_pin = pin && pin[0];
        return;
    }
    out->ip = cfg->encap_ips[0].ip;
    if (!pin || !pin[0]) {
        return;
    }

    struct in6_addr addr;
    if (binding_parse_ip(pin, &addr)) {
        for (size_t i = 0; i < cfg->n_encap_ips; i++) {
            if (ipv6_addr_equals(&addr, &cfg->encap_ips[i].addr)) {
                out->ip = cfg->encap_ips[i].ip;
                return;
            }
        }
    }
    COVERAGE_INC(binding_bad_pin);
    out->bad_pin = true;
}

enum binding_state
binding_state_derive(const struct binding_status_facts *facts, bool is_main)
{
    bool marked_up = (!is_main || facts->pb_up) && facts->iface_installed;

    if (!facts->claim_committed) {
        return BINDING_STATE_CLAIMED;
    }
    if (marked_up) {
        /* Up stays up: a later change of the port's flows does not take
         * it down (they were in once; up and ovn-installed say so). */
        return BINDING_STATE_UP;
    }
    return (facts->flows_installed ? BINDING_STATE_INSTALLED
            : BINDING_STATE_CLAIMED);
}
