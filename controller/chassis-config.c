/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The chassis configuration parser: Open_vSwitch external_ids to a struct
 * chassis_config.  See chassis-config.h for the contract.
 *
 * A pure module: no logging, no database.  Every problem becomes one message
 * in the caller's 'errors', naming the key actually read (the per-chassis
 * form "<key>-<system-id>" when that one was used) and the culprit value.
 */

#include <config.h>

#include "controller/chassis-config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/util.h"
#include "packets.h"
#include "smap.h"
#include "util.h"

COVERAGE_DEFINE(chassis_config_parse);
COVERAGE_DEFINE(chassis_config_problem);

/* Names of the encapsulation types, indexed by enum chassis_encap_type. */
static const char *const encap_type_names[CHASSIS_N_ENCAP_TYPES] = {
    [CHASSIS_ENCAP_GENEVE] = "geneve",
    [CHASSIS_ENCAP_VXLAN] = "vxlan",
};

/* The plane of an encap IP that names none. */
#define DEFAULT_PLANE "default"

/* The integration bridge when "ovn-bridge" is not set. */
#define DEFAULT_BRIDGE "br-int"

const char *
chassis_encap_type_name(enum chassis_encap_type type)
{
    return type < CHASSIS_N_ENCAP_TYPES ? encap_type_names[type] : "unknown";
}

bool
chassis_encap_type_from_string(const char *name,
                               enum chassis_encap_type *type)
{
    for (int i = 0; i < CHASSIS_N_ENCAP_TYPES; i++) {
        if (!strcmp(name, encap_type_names[i])) {
            *type = i;
            return true;
        }
    }
    return false;
}

void
chassis_config_init(struct chassis_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->probe_interval_ms = -1;
    cfg->encap_csum = true;
    sset_init(&cfg->transport_zones);
    smap_init(&cfg->lflow_cache);
}

const char *const chassis_config_lflow_cache_keys[] = {
    "ovn-limit-lflow-cache",
    "ovn-memlimit-lflow-cache-kb",
    "ovn-trim-limit-lflow-cache",
    "ovn-trim-wmark-perc-lflow-cache",
    "ovn-trim-timeout-ms",
    NULL,
};

static void
encap_ips_free(struct chassis_encap_ip *ips, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(ips[i].ip);
        free(ips[i].plane);
    }
    free(ips);
}

void
chassis_config_destroy(struct chassis_config *cfg)
{
    if (!cfg) {
        return;
    }
    free(cfg->system_id);
    free(cfg->hostname);
    free(cfg->remote);
    free(cfg->bridge);
    free(cfg->bridge_datapath_type);
    encap_ips_free(cfg->encap_ips, cfg->n_encap_ips);
    free(cfg->encap_tos);
    free(cfg->encap_df_default);
    sset_destroy(&cfg->transport_zones);
    free(cfg->bridge_mappings);
    free(cfg->chassis_mac_mappings);
    free(cfg->cms_options);
    smap_destroy(&cfg->lflow_cache);
    memset(cfg, 0, sizeof *cfg);
}

/* Looking up keys. */

/* A key lookup: the value found and the name of the key it came from. */
struct config_key {
    const char *value;          /* NULL if neither form is set. */
    char *name;                 /* Key read (or the plain key if unset). */
};

/* Looks up 'key' in 'ids', preferring "<key>-<system_id>". */
static struct config_key
config_key_get(const struct smap *ids, const char *system_id, const char *key)
{
    struct config_key k = { NULL, NULL };

    if (system_id) {
        char *name = xasprintf("%s-%s", key, system_id);
        k.value = smap_get(ids, name);
        if (k.value) {
            k.name = name;
            return k;
        }
        free(name);
    }
    k.value = smap_get(ids, key);
    k.name = xstrdup(key);
    return k;
}

/* Returns a copy of the value of 'key', or of 'def' (which may be NULL) if
 * it is unset. */
static char *
config_get_string(const struct smap *ids, const char *system_id,
                  const char *key, const char *def)
{
    struct config_key k = config_key_get(ids, system_id, key);
    char *value = nullable_xstrdup(k.value ? k.value : def);
    free(k.name);
    return value;
}

/* Parses boolean 'key' ("true" or "false"); 'def' if unset or bad. */
static bool
config_get_bool(const struct smap *ids, const char *system_id,
                const char *key, bool def, struct svec *errors)
{
    struct config_key k = config_key_get(ids, system_id, key);
    bool value = def;

    if (!k.value) {
        /* Unset: the default. */
    } else if (!strcmp(k.value, "true")) {
        value = true;
    } else if (!strcmp(k.value, "false")) {
        value = false;
    } else {
        svec_add_nocopy(errors, xasprintf(
                            "external_ids:%s: \"%s\" is not a boolean "
                            "(true or false); using %s",
                            k.name, k.value, def ? "true" : "false"));
    }
    free(k.name);
    return value;
}

/* Parses 'key' as a non-negative number of 'unit' ("milliseconds",
 * "seconds"); returns 'def' if it is unset or bad (and then says so in
 * 'errors'). */
static int
config_get_count(const struct smap *ids, const char *system_id,
                 const char *key, const char *unit, int def,
                 struct svec *errors)
{
    struct config_key k = config_key_get(ids, system_id, key);
    int value = def;

    if (k.value) {
        int n;
        if (str_to_int(k.value, 10, &n) && n >= 0) {
            value = n;
        } else {
            svec_add_nocopy(errors, xasprintf(
                                "external_ids:%s: \"%s\" is not a "
                                "non-negative number of %s; "
                                "using the default",
                                k.name, k.value, unit));
        }
    }
    free(k.name);
    return value;
}

/* Splits the comma-separated 'list' into 'out', trimming white space and
 * skipping empty entries. */
static void
split_list(const char *list, struct svec *out)
{
    char *copy = xstrdup(list);
    char *save_ptr = NULL;

    for (char *token = strtok_r(copy, ",", &save_ptr); token;
         token = strtok_r(NULL, ",", &save_ptr)) {
        while (isspace((unsigned char) *token)) {
            token++;
        }
        char *end = token + strlen(token);
        while (end > token && isspace((unsigned char) end[-1])) {
            *--end = '\0';
        }
        if (*token) {
            svec_add(out, token);
        }
    }
    free(copy);
}

/* Encapsulation types. */

static void
parse_encap_types(const struct smap *ids, const char *system_id,
                  struct chassis_config *cfg, struct svec *errors)
{
    struct config_key k = config_key_get(ids, system_id, "ovn-encap-type");
    struct svec types = SVEC_EMPTY_INITIALIZER;
    const char *name;
    size_t i;

    if (k.value) {
        split_list(k.value, &types);
    }
    SVEC_FOR_EACH (i, name, &types) {
        enum chassis_encap_type type;
        if (chassis_encap_type_from_string(name, &type)) {
            cfg->encap_types[type] = true;
        } else {
            svec_add_nocopy(errors, xasprintf(
                                "external_ids:%s: unknown encapsulation "
                                "type \"%s\" skipped (known: geneve, vxlan)",
                                k.name, name));
        }
    }
    if (!types.n) {
        svec_add_nocopy(errors, xasprintf(
                            "external_ids:%s is not set: the chassis "
                            "cannot be registered", k.name));
    } else if (!memchr(cfg->encap_types, true, sizeof cfg->encap_types)) {
        svec_add_nocopy(errors, xasprintf(
                            "external_ids:%s has no known type: the "
                            "chassis cannot be registered", k.name));
    }
    svec_destroy(&types);
    free(k.name);
}

/* Encapsulation IPs. */

/* Parses the address 'text' into 'addr' (IPv4 mapped into IPv6) and
 * 'canonical' (malloc'd).  Returns false if it is not an address. */
static bool
parse_ip(const char *text, struct in6_addr *addr, bool *is_ipv6,
         char **canonical)
{
    ovs_be32 ip4;
    char buf[INET6_ADDRSTRLEN];

    if (ip_parse(text, &ip4)) {
        in6_addr_set_mapped_ipv4(addr, ip4);
        *is_ipv6 = false;
    } else if (ipv6_parse(text, addr)) {
        /* "::ffff:a.b.c.d" is the IPv4 address a.b.c.d. */
        *is_ipv6 = !IN6_IS_ADDR_V4MAPPED(addr);
    } else {
        return false;
    }
    *canonical = xstrdup(ipv6_string_mapped(buf, addr));
    return true;
}

/* True if 'plane' is a usable plane name: letters, digits, '-', '_', '.',
 * at most 64 characters. */
static bool
plane_name_is_valid(const char *plane)
{
    size_t len = strlen(plane);

    if (!len || len > 64) {
        return false;
    }
    for (const char *p = plane; *p; p++) {
        if (!isalnum((unsigned char) *p) && !strchr("-_.", *p)) {
            return false;
        }
    }
    return true;
}

/* Splits one "ovn-encap-ip" entry into its address text and its plane
 * (NULL if none).  Both point into 'entry', which is modified.  Returns
 * false if the brackets do not match. */
static bool
split_encap_entry(char *entry, char **ip, char **plane)
{
    *plane = NULL;
    if (entry[0] == '[') {
        char *close = strchr(entry, ']');
        if (!close || (close[1] && close[1] != ':')) {
            return false;
        }
        *close = '\0';
        *ip = entry + 1;
        if (close[1] == ':') {
            *plane = close + 2;
        }
        return true;
    }

    /* Without brackets, a single colon separates an IPv4 address from its
     * plane; more than one means a bare IPv6 address without a plane. */
    char *colon = strchr(entry, ':');
    *ip = entry;
    if (colon && !strchr(colon + 1, ':')) {
        *colon = '\0';
        *plane = colon + 1;
    }
    return true;
}

/* Parses one entry of "ovn-encap-ip" (named 'key') into 'out'.  Returns a
 * malloc'd message if the entry is not usable. */
static char * OVS_WARN_UNUSED_RESULT
parse_encap_entry(const char *key, const char *text,
                  struct chassis_encap_ip *out)
{
    char *copy = xstrdup(text);
    char *ip, *plane;
    char *error = NULL;

    memset(out, 0, sizeof *out);
    if (!split_encap_entry(copy, &ip, &plane)) {
        error = xasprintf("external_ids:%s: cannot parse \"%s\" (expected "
                          "IP, IP:PLANE, [IPv6] or [IPv6]:PLANE); skipped",
                          key, text);
    } else if (!parse_ip(ip, &out->addr, &out->is_ipv6, &out->ip)) {
        error = xasprintf("external_ids:%s: \"%s\" is not an IP address; "
                          "skipped", key, ip);
    } else if (plane && !plane_name_is_valid(plane)) {
        error = xasprintf("external_ids:%s: bad transport plane \"%s\" for "
                          "%s (letters, digits, '-', '_', '.'); skipped",
                          key, plane, out->ip);
        free(out->ip);
        out->ip = NULL;
    } else {
        out->plane = xstrdup(plane ? plane : DEFAULT_PLANE);
    }
    free(copy);
    return error;
}

/* Returns the index in 'ips' of the address 'addr', or SIZE_MAX. */
static size_t
find_encap_ip(const struct chassis_encap_ip *ips, size_t n,
              const struct in6_addr *addr)
{
    for (size_t i = 0; i < n; i++) {
        if (ipv6_addr_equals(&ips[i].addr, addr)) {
            return i;
        }
    }
    return SIZE_MAX;
}

/* Parses the list of "ovn-encap-ip" into 'cfg', in listed order. */
static void
parse_encap_ip_list(const struct smap *ids, const char *system_id,
                    struct chassis_config *cfg, struct svec *errors)
{
    struct config_key k = config_key_get(ids, system_id, "ovn-encap-ip");
    struct svec entries = SVEC_EMPTY_INITIALIZER;
    const char *entry;
    size_t i;

    if (k.value) {
        split_list(k.value, &entries);
    }
    cfg->encap_ips = xcalloc(entries.n ? entries.n : 1,
                             sizeof *cfg->encap_ips);
    SVEC_FOR_EACH (i, entry, &entries) {
        struct chassis_encap_ip eip;
        char *error = parse_encap_entry(k.name, entry, &eip);

        if (error) {
            svec_add_nocopy(errors, error);
        } else if (find_encap_ip(cfg->encap_ips, cfg->n_encap_ips,
                                 &eip.addr) != SIZE_MAX) {
            svec_add_nocopy(errors, xasprintf(
                                "external_ids:%s: %s is listed twice; the "
                                "second entry \"%s\" is skipped",
                                k.name, eip.ip, entry));
            free(eip.ip);
            free(eip.plane);
        } else {
            cfg->encap_ips[cfg->n_encap_ips++] = eip;
        }
    }
    if (!entries.n) {
        svec_add_nocopy(errors, xasprintf(
                            "external_ids:%s is not set: the chassis "
                            "cannot be registered", k.name));
    } else if (!cfg->n_encap_ips) {
        svec_add_nocopy(errors, xasprintf(
                            "external_ids:%s has no usable IP address: the "
                            "chassis cannot be registered", k.name));
    }
    svec_destroy(&entries);
    free(k.name);
}

/* Moves the default IP, from "ovn-encap-ip-default", to the front of the
 * list and numbers the Encap-IDs. */
static void
choose_default_ip(const struct smap *ids, const char *system_id,
                  struct chassis_config *cfg, struct svec *errors)
{
    struct config_key k = config_key_get(ids, system_id,
                                         "ovn-encap-ip-default");
    size_t idx = 0;

    if (k.value && cfg->n_encap_ips) {
        struct in6_addr addr;
        bool is_ipv6;
        char *canonical = NULL;
        char *text = xstrdup(k.value);
        char *ip = text;
        size_t len = strlen(text);

        if (len > 2 && text[0] == '[' && text[len - 1] == ']') {
            text[len - 1] = '\0';
            ip = text + 1;
        }
        if (parse_ip(ip, &addr, &is_ipv6, &canonical)) {
            idx = find_encap_ip(cfg->encap_ips, cfg->n_encap_ips, &addr);
        } else {
            idx = SIZE_MAX;
        }
        if (idx == SIZE_MAX) {
            svec_add_nocopy(errors, xasprintf(
                                "external_ids:%s: \"%s\" is not one of the "
                                "encap IPs in ovn-encap-ip; using %s as the "
                                "default", k.name, k.value,
                                cfg->encap_ips[0].ip));
            idx = 0;
        }
        free(canonical);
        free(text);
    }

    if (idx) {
        struct chassis_encap_ip def = cfg->encap_ips[idx];
        memmove(&cfg->encap_ips[1], &cfg->encap_ips[0],
                idx * sizeof *cfg->encap_ips);
        cfg->encap_ips[0] = def;
    }
    for (size_t i = 0; i < cfg->n_encap_ips; i++) {
        cfg->encap_ips[i].encap_id = i;
    }
    free(k.name);
}

/* The whole parse. */

static void
parse_identity(const struct smap *ids, const char *default_hostname,
               struct chassis_config *cfg, struct svec *errors)
{
    const char *system_id = smap_get(ids, "system-id");

    if (system_id && system_id[0]) {
        cfg->system_id = xstrdup(system_id);
    } else {
        svec_add(errors, "external_ids:system-id is not set: the chassis "
                 "cannot be registered");
    }
    cfg->hostname = config_get_string(ids, cfg->system_id, "hostname",
                                      default_hostname);
    if (!cfg->hostname) {
        cfg->hostname = xstrdup("");
    }
}

static void
parse_connection(const struct smap *ids, struct chassis_config *cfg,
                 struct svec *errors)
{
    const char *id = cfg->system_id;

    cfg->remote = config_get_string(ids, id, "ovn-remote", NULL);
    if (cfg->remote && !cfg->remote[0]) {
        free(cfg->remote);
        cfg->remote = NULL;
    }
    cfg->probe_interval_ms = config_get_count(ids, id,
                                              "ovn-remote-probe-interval",
                                              "milliseconds", -1, errors);
    cfg->openflow_probe_interval_s = config_get_count(
        ids, id, "ovn-openflow-probe-interval", "seconds", 0, errors);
    cfg->ofctrl_wait_before_clear_ms = config_get_count(
        ids, id, "ovn-ofctrl-wait-before-clear", "milliseconds", 0, errors);
    cfg->monitor_all = config_get_bool(ids, id, "ovn-monitor-all", false,
                                       errors);
}

static void
parse_bridge(const struct smap *ids, struct chassis_config *cfg,
             struct svec *errors)
{
    struct config_key k = config_key_get(ids, cfg->system_id, "ovn-bridge");

    if (k.value && k.value[0]) {
        cfg->bridge = xstrdup(k.value);
    } else {
        if (k.value) {
            svec_add_nocopy(errors, xasprintf(
                                "external_ids:%s is empty; using \"%s\"",
                                k.name, DEFAULT_BRIDGE));
        }
        cfg->bridge = xstrdup(DEFAULT_BRIDGE);
    }
    free(k.name);

    cfg->bridge_datapath_type = config_get_string(
        ids, cfg->system_id, "ovn-bridge-datapath-type", NULL);
}

static void
parse_encap(const struct smap *ids, struct chassis_config *cfg,
            struct svec *errors)
{
    const char *id = cfg->system_id;

    parse_encap_types(ids, id, cfg, errors);
    parse_encap_ip_list(ids, id, cfg, errors);
    choose_default_ip(ids, id, cfg, errors);
    cfg->encap_csum = config_get_bool(ids, id, "ovn-encap-csum", true,
                                      errors);
    cfg->encap_tos = config_get_string(ids, id, "ovn-encap-tos", NULL);
    cfg->encap_df_default = config_get_string(ids, id,
                                              "ovn-encap-df_default", NULL);
    cfg->flow_based_tunnels = config_get_bool(
        ids, id, "ovn-enable-flow-based-tunnels", false, errors);

    char *tzs = config_get_string(ids, id, "ovn-transport-zones", "");
    struct svec zones = SVEC_EMPTY_INITIALIZER;
    const char *zone;
    size_t i;

    split_list(tzs, &zones);
    SVEC_FOR_EACH (i, zone, &zones) {
        sset_add(&cfg->transport_zones, zone);
    }
    svec_destroy(&zones);
    free(tzs);
}

static void
parse_chassis_options(const struct smap *ids, struct chassis_config *cfg,
                      struct svec *errors)
{
    const char *id = cfg->system_id;

    cfg->bridge_mappings = config_get_string(ids, id, "ovn-bridge-mappings",
                                             "");
    cfg->chassis_mac_mappings = config_get_string(
        ids, id, "ovn-chassis-mac-mappings", "");
    cfg->cms_options = config_get_string(ids, id, "ovn-cms-options", "");
    cfg->is_interconn = config_get_bool(ids, id, "ovn-is-interconn", false,
                                        errors);
    for (size_t i = 0; chassis_config_lflow_cache_keys[i]; i++) {
        const char *key = chassis_config_lflow_cache_keys[i];
        smap_add_nocopy(&cfg->lflow_cache, xstrdup(key),
                        config_get_string(ids, id, key, ""));
    }
}

void
chassis_config_parse(const struct smap *external_ids,
                     const char *default_hostname,
                     struct chassis_config *cfg, struct svec *errors)
{
    size_t n_errors = errors->n;

    COVERAGE_INC(chassis_config_parse);
    chassis_config_destroy(cfg);
    chassis_config_init(cfg);

    parse_identity(external_ids, default_hostname, cfg, errors);
    parse_connection(external_ids, cfg, errors);
    parse_bridge(external_ids, cfg, errors);
    parse_encap(external_ids, cfg, errors);
    parse_chassis_options(external_ids, cfg, errors);
    COVERAGE_ADD(chassis_config_problem, errors->n - n_errors);
}

bool
chassis_config_is_complete(const struct chassis_config *cfg)
{
    bool any_type = false;

    for (int i = 0; i < CHASSIS_N_ENCAP_TYPES; i++) {
        any_type = any_type || cfg->encap_types[i];
    }
    return cfg->system_id && any_type && cfg->n_encap_ips > 0;
}

const struct chassis_encap_ip *
chassis_config_find_ip(const struct chassis_config *cfg, const char *ip)
{
    struct in6_addr addr;
    bool is_ipv6;
    char *canonical;

    if (!parse_ip(ip, &addr, &is_ipv6, &canonical)) {
        return NULL;
    }
    free(canonical);

    size_t idx = find_encap_ip(cfg->encap_ips, cfg->n_encap_ips, &addr);
    return idx == SIZE_MAX ? NULL : &cfg->encap_ips[idx];
}

/* Formatting and comparing. */

static void
format_string(struct ds *out, const char *key, const char *value)
{
    ds_put_format(out, "%s: %s\n", key,
                  !value ? "(unset)" : !value[0] ? "\"\"" : value);
}

static void
format_bool(struct ds *out, const char *key, bool value)
{
    ds_put_format(out, "%s: %s\n", key, value ? "true" : "false");
}

static void
format_encap(const struct chassis_config *cfg, struct ds *out)
{
    ds_put_cstr(out, "encap-types:");
    for (int i = 0; i < CHASSIS_N_ENCAP_TYPES; i++) {
        if (cfg->encap_types[i]) {
            ds_put_format(out, " %s", chassis_encap_type_name(i));
        }
    }
    ds_put_char(out, '\n');
    for (size_t i = 0; i < cfg->n_encap_ips; i++) {
        const struct chassis_encap_ip *eip = &cfg->encap_ips[i];
        ds_put_format(out, "encap-ip %u: %s plane=%s%s%s\n",
                      eip->encap_id, eip->ip, eip->plane,
                      eip->is_ipv6 ? " ipv6" : "",
                      i == 0 ? " default" : "");
    }
    format_bool(out, "encap-csum", cfg->encap_csum);
    format_string(out, "encap-tos", cfg->encap_tos);
    format_string(out, "encap-df-default", cfg->encap_df_default);
    format_bool(out, "flow-based-tunnels", cfg->flow_based_tunnels);

    ds_put_cstr(out, "transport-zones:");
    const char **zones = sset_sort(&cfg->transport_zones);
    for (size_t i = 0; i < sset_count(&cfg->transport_zones); i++) {
        ds_put_format(out, " %s", zones[i]);
    }
    free(zones);
    ds_put_char(out, '\n');
}

void
chassis_config_format(const struct chassis_config *cfg, struct ds *out)
{
    format_string(out, "system-id", cfg->system_id);
    format_string(out, "hostname", cfg->hostname);
    format_string(out, "remote", cfg->remote);
    ds_put_format(out, "probe-interval: %d\n", cfg->probe_interval_ms);
    if (cfg->openflow_probe_interval_s) {
        ds_put_format(out, "openflow-probe-interval: %d\n",
                      cfg->openflow_probe_interval_s);
    }
    if (cfg->ofctrl_wait_before_clear_ms) {
        ds_put_format(out, "ofctrl-wait-before-clear: %d\n",
                      cfg->ofctrl_wait_before_clear_ms);
    }
    format_bool(out, "monitor-all", cfg->monitor_all);
    format_string(out, "bridge", cfg->bridge);
    format_string(out, "bridge-datapath-type", cfg->bridge_datapath_type);
    format_encap(cfg, out);
    format_string(out, "bridge-mappings", cfg->bridge_mappings);
    format_string(out, "chassis-mac-mappings", cfg->chassis_mac_mappings);
    format_string(out, "cms-options", cfg->cms_options);
    format_bool(out, "is-interconn", cfg->is_interconn);
    const struct smap_node **lc = smap_sort(&cfg->lflow_cache);
    for (size_t i = 0; i < smap_count(&cfg->lflow_cache); i++) {
        if (lc[i]->value[0]) {
            format_string(out, lc[i]->key, lc[i]->value);
        }
    }
    free(lc);
    ds_put_format(out, "complete: %s\n",
                  chassis_config_is_complete(cfg) ? "yes" : "no");
}

static bool
encap_ip_equals(const struct chassis_encap_ip *a,
                const struct chassis_encap_ip *b)
{
    return (!strcmp(a->ip, b->ip)
            && ipv6_addr_equals(&a->addr, &b->addr)
            && a->is_ipv6 == b->is_ipv6
            && !strcmp(a->plane, b->plane)
            && a->encap_id == b->encap_id);
}

bool
chassis_config_equals(const struct chassis_config *a,
                      const struct chassis_config *b)
{
    if (a->n_encap_ips != b->n_encap_ips
        || a->probe_interval_ms != b->probe_interval_ms
        || a->openflow_probe_interval_s != b->openflow_probe_interval_s
        || a->ofctrl_wait_before_clear_ms != b->ofctrl_wait_before_clear_ms
        || a->encap_csum != b->encap_csum
        || a->flow_based_tunnels != b->flow_based_tunnels
        || a->monitor_all != b->monitor_all
        || a->is_interconn != b->is_interconn
        || memcmp(a->encap_types, b->encap_types, sizeof a->encap_types)) {
        return false;
    }
    for (size_t i = 0; i < a->n_encap_ips; i++) {
        if (!encap_ip_equals(&a->encap_ips[i], &b->encap_ips[i])) {
            return false;
        }
    }
    return (nullable_string_is_equal(a->system_id, b->system_id)
            && nullable_string_is_equal(a->hostname, b->hostname)
            && nullable_string_is_equal(a->remote, b->remote)
            && nullable_string_is_equal(a->bridge, b->bridge)
            && nullable_string_is_equal(a->bridge_datapath_type,
                                        b->bridge_datapath_type)
            && nullable_string_is_equal(a->encap_tos, b->encap_tos)
            && nullable_string_is_equal(a->encap_df_default,
                                        b->encap_df_default)
            && sset_equals(&a->transport_zones, &b->transport_zones)
            && nullable_string_is_equal(a->bridge_mappings,
                                        b->bridge_mappings)
            && nullable_string_is_equal(a->chassis_mac_mappings,
                                        b->chassis_mac_mappings)
            && nullable_string_is_equal(a->cms_options, b->cms_options)
            && smap_equal(&a->lflow_cache, &b->lflow_cache));
}

bool
chassis_config_has_encap(const struct chassis_config *cfg)
{
    bool any_type = false;

    for (int i = 0; i < CHASSIS_N_ENCAP_TYPES; i++) {
        any_type = any_type || cfg->encap_types[i];
    }
    return any_type && cfg->n_encap_ips > 0;
}

void
chassis_config_copy_encaps(struct chassis_config *dst,
                           const struct chassis_config *src)
{
    encap_ips_free(dst->encap_ips, dst->n_encap_ips);
    dst->encap_ips = xcalloc(src->n_encap_ips ? src->n_encap_ips : 1,
                             sizeof *dst->encap_ips);
    for (size_t i = 0; i < src->n_encap_ips; i++) {
        dst->encap_ips[i] = src->encap_ips[i];
        dst->encap_ips[i].ip = xstrdup(src->encap_ips[i].ip);
        dst->encap_ips[i].plane = xstrdup(src->encap_ips[i].plane);
    }
    dst->n_encap_ips = src->n_encap_ips;
    memcpy(dst->encap_types, src->encap_types, sizeof dst->encap_types);
}

void
chassis_config_clone(struct chassis_config *dst,
                     const struct chassis_config *src)
{
    chassis_config_destroy(dst);
    chassis_config_init(dst);

    dst->system_id = nullable_xstrdup(src->system_id);
    dst->hostname = nullable_xstrdup(src->hostname);
    dst->remote = nullable_xstrdup(src->remote);
    dst->probe_interval_ms = src->probe_interval_ms;
    dst->openflow_probe_interval_s = src->openflow_probe_interval_s;
    dst->ofctrl_wait_before_clear_ms = src->ofctrl_wait_before_clear_ms;
    dst->bridge = nullable_xstrdup(src->bridge);
    dst->bridge_datapath_type = nullable_xstrdup(src->bridge_datapath_type);

    chassis_config_copy_encaps(dst, src);
    dst->encap_csum = src->encap_csum;
    dst->encap_tos = nullable_xstrdup(src->encap_tos);
    dst->encap_df_default = nullable_xstrdup(src->encap_df_default);
    dst->flow_based_tunnels = src->flow_based_tunnels;
    sset_clone(&dst->transport_zones, &src->transport_zones);
    dst->monitor_all = src->monitor_all;
    dst->bridge_mappings = nullable_xstrdup(src->bridge_mappings);
    dst->chassis_mac_mappings = nullable_xstrdup(src->chassis_mac_mappings);
    dst->cms_options = nullable_xstrdup(src->cms_options);
    dst->is_interconn = src->is_interconn;
    smap_destroy(&dst->lflow_cache);
    smap_clone(&dst->lflow_cache, &src->lflow_cache);
}
