/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Port binding decisions.
 *
 * Decides which logical ports this chassis claims, in which role (the main
 * chassis or an additional one, during live migration), through which VIF,
 * and with which local Encap (Documentation/architecture.rst, section
 * 5.2).  A pure module: its inputs are plain structs that the engine node
 * fills from the OVS and SB IDLs (and the unit driver from text), its
 * outputs are decisions and messages.  It never logs and never writes to a
 * database.
 *
 * The status of a claimed port moves through a small state machine,
 * BINDING_STATES below, derived from what the databases show, so that a
 * recompute from scratch reaches the same state as incremental updates.
 */

#ifndef OVNMC_BINDING_H
#define OVNMC_BINDING_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "controller/chassis-config.h"

struct ds;
struct shash;
struct svec;

/* What this chassis is called. */
struct binding_chassis {
    const char *name;              /* Chassis name (system-id). */
    const char *hostname;          /* Chassis hostname; may be NULL. */
};

/* A VIF: an Interface on the integration bridge with an iface-id. */
struct binding_iface {
    const char *name;              /* Interface name. */
    const char *iface_id;          /* external_ids:iface-id. */
    int64_t ofport;                /* OpenFlow port; <= 0 if none yet. */
    const char *encap_ip;          /* external_ids:encap-ip; NULL if not
                                    * set. */
    bool installed;                /* external_ids:ovn-installed=true: this
                                    * is the VIF the port is bound through. */
};

/* One chassis named for a gateway or HA port, with its priority. */
struct binding_ha_member {
    const char *chassis;           /* Chassis name; NULL if the row refers
                                    * to no known chassis. */
    int64_t priority;              /* Higher wins. */
    bool down;                     /* As BFD sees it (controller/ha.h): not
                                    * eligible, unless it is the only
                                    * known member. */
};

/* A Port_Binding, reduced to what the decision uses. */
struct binding_port {
    const char *logical_port;      /* Port_Binding.logical_port. */
    const char *type;              /* Port_Binding.type ("" for a VIF). */
    const char *parent_port;       /* Container's parent; NULL if none. */
    bool has_tag;                  /* Port_Binding.tag is set. */
    const char *requested_chassis; /* options:requested-chassis: names or
                                    * hostnames, comma-separated, the
                                    * first is the main chassis; NULL if
                                    * unset. */
    const char *const *requested_additional; /* Names of the chassis in
                                    * requested_additional_chassis. */
    size_t n_requested_additional;
    const char *l3gateway_chassis; /* options:l3gateway-chassis. */
    const char *l2gateway_chassis; /* options:l2gateway-chassis. */
    const struct binding_ha_member *ha; /* Gateway_Chassis rows, or the
                                    * members of ha_chassis_group. */
    size_t n_ha;
};

/* The role this chassis plays for a port. */
#define BINDING_ROLES                                                   \
    BINDING_ROLE(NONE, "none")            /* Not ours. */               \
    BINDING_ROLE(MAIN, "main")            /* Port_Binding.chassis. */   \
    BINDING_ROLE(ADDITIONAL, "additional") /* additional_chassis. */     \
    BINDING_ROLE(LOCAL, "local")          /* A localport with a VIF
                                           * here: never claimed. */

enum binding_role {
#define BINDING_ROLE(ENUM, NAME) BINDING_ROLE_##ENUM,
    BINDING_ROLES
#undef BINDING_ROLE
};

/* Returns the name of 'role' ("none", "main", ...). */
const char *binding_role_name(enum binding_role role);

/* True for the roles in which this chassis claims the port. */
static inline bool
binding_role_is_claim(enum binding_role role)
{
    return role == BINDING_ROLE_MAIN || role == BINDING_ROLE_ADDITIONAL;
}

/* The decision for one port. */
struct binding_decision {
    enum binding_role role;
    const struct binding_iface *iface; /* The VIF it is bound through (the
                                        * parent's for a container port);
                                        * NULL for non-VIF ports. */
    char *why_not;                 /* When the port is not claimed for a
                                    * reason worth a warning (a VIF is here
                                    * but the port is requested elsewhere,
                                    * no gateway chassis is known): a
                                    * malloc'd message saying why; else
                                    * NULL.  Owned by the caller, free with
                                    * binding_decision_destroy(). */
};

/* Frees what 'd' owns.  Accepts NULL. */
void binding_decision_destroy(struct binding_decision *d);

/* Decides what this chassis 'ch' does with port 'pb'.  'iface' is the VIF
 * whose iface-id is pb's logical_port (as chosen by binding_iface_pick()),
 * or NULL.  'parent_role' and 'parent_iface' are the decision already made
 * for pb's parent port (for container ports; ignored otherwise).  Fills
 * 'out'. */
void binding_decide(const struct binding_port *pb,
                    const struct binding_iface *iface,
                    enum binding_role parent_role,
                    const struct binding_iface *parent_iface,
                    const struct binding_chassis *ch,
                    struct binding_decision *out);

/* True if port type 'type' is bound through a VIF ("" only: virtual ports
 * are claimed by their parent's pinctrl, localports are never claimed). */
bool binding_type_is_vif(const char *type);

/* Among the 'n' VIFs in 'ifaces' that share one iface-id, returns the one
 * that binds the port: the one already marked installed, else the one with
 * the lowest usable ofport (the older one), else by name.  VIFs with no
 * usable ofport are candidates only if none has one.  When n > 1, appends a
 * message naming the winner and the others to 'warnings'. */
const struct binding_iface *binding_iface_pick(
    const struct binding_iface *const *ifaces, size_t n,
    struct svec *warnings);

/* A local Encap chosen for a port. */
struct binding_encap {
    const char *ip;                /* One of the config's encap IPs (owned
                                    * by the config); NULL if the chassis
                                    * has no usable encap. */
    enum chassis_encap_type type;  /* Geneve if configured, else VXLAN. */
    bool bad_pin;                  /* The VIF's encap-ip is not local; the
                                    * default was used instead. */
};

/* Chooses the local Encap for a port claimed here: the one whose IP is
 * 'pin' (a VIF's external_ids:encap-ip; NULL if unset or not a VIF) if it
 * is a local encap IP of 'cfg', otherwise the default (cfg->encap_ips[0]),
 * setting out->bad_pin when 'pin' was set but not local. */
void binding_choose_encap(const struct chassis_config *cfg, const char *pin,
                          struct binding_encap *out);

/* Status of a claimed port, from claim to up.  binding_state_derive() is
 * the one place that decides it. */
#define BINDING_STATES                                                  \
    /* Port_Binding.chassis (or additional_chassis) does not show this    \
     * chassis yet: the claim is being written. */                       \
    BINDING_STATE(CLAIMED, "claimed")                                   \
    /* The claim is committed and the port's flows are in the switch (a  \
     * barrier confirmed them): up and ovn-installed are to be written. */\
    BINDING_STATE(INSTALLED, "installed")                               \
    /* Port_Binding.up is true and the VIF says ovn-installed; stays so   \
     * while the port's flows change later. */                           \
    BINDING_STATE(UP, "up")

enum binding_state {
#define BINDING_STATE(ENUM, NAME) BINDING_STATE_##ENUM,
    BINDING_STATES
#undef BINDING_STATE
};

/* Returns the name of 'state'. */
const char *binding_state_name(enum binding_state state);

/* What the databases show about a claimed port. */
struct binding_status_facts {
    bool claim_committed;          /* The SB row names this chassis in the
                                    * role we claimed. */
    bool flows_installed;          /* The port's flows are installed. */
    bool pb_up;                    /* Port_Binding.up is true (only the main
                                    * chassis writes it). */
    bool iface_installed;          /* The VIF has ovn-installed=true (true
                                    * for ports without a VIF). */
};

/* Derives the state of a claimed port from 'facts'.  'is_main' says
 * whether this chassis is the main one (an additional chassis does not
 * write Port_Binding.up). */
enum binding_state binding_state_derive(
    const struct binding_status_facts *facts, bool is_main);

#endif /* controller/binding.h */
