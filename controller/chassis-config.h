/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The chassis configuration, as read from the local Open vSwitch database.
 *
 * A pure module: chassis_config_parse() turns the external_ids of the
 * Open_vSwitch row (a plain smap, so tests can feed it anything) into a
 * struct chassis_config, and reports every problem it met as a list of
 * messages naming the key and the culprit value.  It never logs and never
 * touches a database; the engine node that calls it logs the problems
 * (rate-limited) and decides what to do with a config that is not usable.
 *
 * Keys are looked up first in the per-chassis form "<key>-<system-id>",
 * which wins, then as "<key>".  "system-id" itself is read from
 * external_ids:system-id only.
 */

#ifndef OVNMC_CHASSIS_CONFIG_H
#define OVNMC_CHASSIS_CONFIG_H 1

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include "openvswitch/list.h"
#include "openvswitch/shash.h"
#include "smap.h"
#include "sset.h"
#include "svec.h"

struct ds;
struct smap;

/* Encapsulation types we know, in order of preference (geneve first). */
enum chassis_encap_type {
    CHASSIS_ENCAP_GENEVE,
    CHASSIS_ENCAP_VXLAN,
    CHASSIS_N_ENCAP_TYPES
};

/* Returns "geneve" or "vxlan". */
const char *chassis_encap_type_name(enum chassis_encap_type);

/* Parses 'name' ("geneve", "vxlan", case-sensitive) into '*type'.  Returns
 * false if it is not a type we know. */
bool chassis_encap_type_from_string(const char *name,
                                    enum chassis_encap_type *type);

/* One local encapsulation IP, from "ovn-encap-ip". */
struct chassis_encap_ip {
    char *ip;                 /* Canonical text form ("10.0.0.1",
                               * "fd00::1"), without brackets. */
    struct in6_addr addr;     /* The same, IPv4 mapped into IPv6. */
    bool is_ipv6;             /* True for a real IPv6 address. */
    char *plane;              /* Transport plane; "default" if none was
                               * given. */
    unsigned int encap_id;    /* Encap-ID: index with the default at 0,
                               * then the others in listed order. */
};

/* The parsed configuration.  Every string is owned by the struct. */
struct chassis_config {
    char *system_id;          /* external_ids:system-id; NULL if unset. */
    char *hostname;           /* "hostname" key, else the system's
                               * hostname. */
    char *remote;             /* "ovn-remote" as given: one remote or a
                               * comma-separated list (a raft cluster or
                               * relays), which the IDL handles; NULL if
                               * unset. */
    int probe_interval_ms;    /* "ovn-remote-probe-interval"; -1 if unset
                               * (use the default). */
    int openflow_probe_interval_s; /* "ovn-openflow-probe-interval"; 0 (no
                                    * probes) if unset. */
    int ofctrl_wait_before_clear_ms; /* "ovn-ofctrl-wait-before-clear";
                                      * 0 if unset. */
    char *bridge;             /* "ovn-bridge"; default "br-int". */
    char *bridge_datapath_type; /* "ovn-bridge-datapath-type"; NULL if
                                 * unset (leave the bridge's alone). */

    /* Encapsulation.  'encap_ips' is in Encap-ID order: the default first
     * (encap_ips[0]), then the other IPs in the order listed.  'n_encap_ips'
     * is 0 when none is usable. */
    struct chassis_encap_ip *encap_ips;
    size_t n_encap_ips;
    bool encap_types[CHASSIS_N_ENCAP_TYPES]; /* Types listed and known. */
    bool encap_csum;          /* "ovn-encap-csum"; default true. */
    char *encap_tos;          /* "ovn-encap-tos"; NULL if unset. */
    char *encap_df_default;   /* "ovn-encap-df_default"; NULL if unset. */
    bool flow_based_tunnels;  /* "ovn-enable-flow-based-tunnels". */
    struct sset transport_zones; /* "ovn-transport-zones", split at
                                  * commas. */

    bool monitor_all;         /* "ovn-monitor-all"; default false. */

    /* Copied verbatim into Chassis other_config. */
    char *bridge_mappings;    /* "ovn-bridge-mappings"; "" if unset. */
    char *chassis_mac_mappings; /* "ovn-chassis-mac-mappings"; "". */
    char *cms_options;        /* "ovn-cms-options"; "" if unset. */
    bool is_interconn;        /* "ovn-is-interconn"; default false. */

    /* The logical flow cache's settings (CHASSIS_CONFIG_LFLOW_CACHE_KEYS),
     * each key with its value or "" if unset.  We have no logical flow
     * cache: Chassis other_config reports them verbatim, as Debian's
     * controller does, next to ovn-enable-lflow-cache="false". */
    struct smap lflow_cache;
};

/* The keys of 'lflow_cache' above, NULL-terminated. */
extern const char *const chassis_config_lflow_cache_keys[];

/* Initializes 'cfg' to an empty configuration. */
void chassis_config_init(struct chassis_config *cfg);

/* Frees everything 'cfg' owns (not 'cfg' itself).  Accepts a config that
 * was only initialized. */
void chassis_config_destroy(struct chassis_config *cfg);

/* Parses 'external_ids' (the Open_vSwitch row's) into 'cfg', which must have
 * been initialized and is overwritten.  'default_hostname' is used when no
 * "hostname" key is present.  Appends one human-readable message per problem
 * to 'errors' (each names the key and the offending value); a problem never
 * stops the parse: bad entries are skipped and the rest is kept.  The caller
 * owns 'errors'. */
void chassis_config_parse(const struct smap *external_ids,
                          const char *default_hostname,
                          struct chassis_config *cfg, struct svec *errors);

/* True if 'cfg' has what a chassis needs to be registered: a system-id, at
 * least one encap type and at least one encap IP. */
bool chassis_config_is_complete(const struct chassis_config *cfg);

/* Returns the local encap IP whose text is 'ip' (any textual form of the
 * same address matches), or NULL. */
const struct chassis_encap_ip *chassis_config_find_ip(
    const struct chassis_config *cfg, const char *ip);

/* Appends to 'out' a description of 'cfg', one "key: value" line per field
 * in a fixed order, for logs, appctl and the unit tests. */
void chassis_config_format(const struct chassis_config *cfg, struct ds *out);

/* True if 'a' and 'b' are the same configuration. */
bool chassis_config_equals(const struct chassis_config *a,
                           const struct chassis_config *b);

/* True if 'cfg' has at least one encap IP and one encap type, i.e. at
 * least one usable (IP, type) pair. */
bool chassis_config_has_encap(const struct chassis_config *cfg);

/* Replaces the encap IPs and types of 'dst' by copies of those of 'src'
 * (the "last good" ones, when 'dst' has none usable). */
void chassis_config_copy_encaps(struct chassis_config *dst,
                                const struct chassis_config *src);

/* Copies 'src' into 'dst', which must be initialized; 'dst' is overwritten. */
void chassis_config_clone(struct chassis_config *dst,
                          const struct chassis_config *src);

#endif /* controller/chassis-config.h */
