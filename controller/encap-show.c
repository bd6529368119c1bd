/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * encap/show: see encap-show.h.
 */

#include <config.h>

#include "controller/encap-show.h"
#include "controller/en-ha.h"

#include "controller/binding-show.h"

#include "controller/idl-columns.h"

#include <string.h>
#include "controller/chassis-config.h"
#include "controller/en-integration-bridge.h"
#include "controller/en-ovs-config.h"
#include "controller/en-ovsdb.h"
#include "controller/en-runtime-data.h"
#include "controller/en-tunnel-sync.h"
#include "controller/en-tunnels.h"
#include "controller/integration-bridge.h"
#include "coverage.h"
#include "lib/engine.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "unixctl.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(encap_show);

COVERAGE_DEFINE(encap_show);

/* What OVS reports about the port that carries a path. */
struct port_status {
    const char *name;           /* Port name; NULL if missing. */
    int64_t ofport;             /* -1 on error, 0 if not assigned yet. */
    const char *state;          /* "up", "down", "error", "pending",
                                 * "missing". */
};

static void
port_status_get(const struct shash *ports, const char *key,
                struct port_status *st)
{
    const struct ovsrec_port *port = shash_find_data(ports, key);
    const struct ovsrec_interface *iface
        = port && port->n_interfaces ? port->interfaces[0] : NULL;

    st->name = port ? port->name : NULL;
    st->ofport = iface && iface->n_ofport ? iface->ofport[0] : 0;
    if (!iface) {
        st->state = "missing";
    } else if (st->ofport < 0) {
        st->state = "error";
    } else if (!st->ofport) {
        st->state = "pending";
    } else if (iface->link_state && !strcmp(iface->link_state, "down")) {
        st->state = "down";
    } else {
        st->state = "up";
    }
}

/* Everything encap/show reports, gathered once. */
struct show_ctx {
    const struct en_ha_data *ha;       /* NULL if NIC failover is off. */
    const struct en_tunnels_data *data;
    const struct chassis_config *cfg;
    const char *bridge;
    struct shash ports;         /* Key -> our port on the bridge. */
    const struct ed_runtime_data *rtd; /* Bindings. */
};

static void
format_text_local(const struct show_ctx *s, struct ds *out)
{
    const struct chassis_config *cfg = s->cfg;

    ds_put_format(out, "local encap IPs (%"PRIuSIZE"):\n", cfg->n_encap_ips);
    for (size_t i = 0; i < cfg->n_encap_ips; i++) {
        const struct chassis_encap_ip *ip = &cfg->encap_ips[i];
        ds_put_format(out, "  encap-id=%u ip=%s plane=%s%s", ip->encap_id,
                      ip->ip, ip->plane, ip->encap_id ? "" : " (default)");
        if (s->ha) {
            ds_put_format(out, " nic=%s", en_ha_nic_live(s->ha, i)
                          ? "live" : "DEAD (every tunnel down)");
        }
        ds_put_char(out, '\n');
    }
    ds_put_cstr(out, "encap types:");
    for (int t = 0; t < CHASSIS_N_ENCAP_TYPES; t++) {
        if (cfg->encap_types[t]) {
            ds_put_format(out, " %s", chassis_encap_type_name(t));
        }
    }
    ds_put_format(out, "\nbridge: %s\n", s->bridge ? s->bridge : "(none)");
    if (s->ha) {
        ds_put_cstr(out, "nic failover: on (BFD on every tunnel)\n");
    }
}

/* The BFD state of the tunnel port 'key', for encap/show: "up", "down",
 * "starting" (never up since it was enabled), or NULL if BFD is off. */
static const char *
tunnel_bfd(const struct show_ctx *s, const char *key)
{
    const struct ovsrec_port *port = shash_find_data(&s->ports, key);
    const struct ovsrec_interface *iface
        = port && port->n_interfaces ? port->interfaces[0] : NULL;

    if (!iface || !smap_get_bool(&iface->bfd, "enable", false)) {
        return NULL;
    }
    if (!strcmp(smap_get_def(&iface->bfd_status, "state", ""), "up")) {
        return "up";
    }
    return (smap_get_int(&iface->bfd_status, "flap_count", 0) > 0
            ? "down" : "starting");
}

static void
format_text_tunnels(const struct show_ctx *s, struct ds *out)
{
    const struct tunnel_mesh *mesh = s->data->mesh;
    const struct tunnel_mesh_peer **peers = tunnel_mesh_sorted_peers(mesh);
    size_t n = tunnel_mesh_count_peers(mesh);
    struct port_status st;

    if (mesh->flow_based) {
        ds_put_cstr(out, "mode: flow-based (no per-peer BFD; remote csum "
                    "and dst_port not applied)\nflow ports:\n");
        const struct tunnel_mesh_port *port;
        HMAP_FOR_EACH (port, node, &mesh->ports) {
            port_status_get(&s->ports, port->key, &st);
            ds_put_format(out, "  type=%s port=%s ofport=%"PRId64
                          " state=%s\n", chassis_encap_type_name(port->type),
                          st.name ? st.name : "-", st.ofport, st.state);
        }
    } else {
        ds_put_cstr(out, "mode: port-based\n");
    }

    ds_put_format(out, "tunnels (%"PRIuSIZE"):\n", hmap_count(&mesh->paths));
    for (size_t i = 0; i < n; i++) {
        const struct tunnel_mesh_path *path;
        LIST_FOR_EACH (path, peer_node, &peers[i]->paths) {
            port_status_get(&s->ports, path->port->key, &st);
            const char *bfd = tunnel_bfd(s, path->port->key);
            ds_put_format(out, "  %s: remote=%s local=%s encap-id=%u "
                          "plane=%s type=%s port=%s ofport=%"PRId64
                          " state=%s", peers[i]->name, path->remote_ip,
                          path->local_ip, path->encap_id, path->plane,
                          chassis_encap_type_name(path->type),
                          st.name ? st.name : "-", st.ofport, st.state);
            if (bfd) {
                ds_put_format(out, " bfd=%s", bfd);
            }
            ds_put_char(out, '\n');
        }
    }

    ds_put_format(out, "skipped (%"PRIuSIZE"):\n",
                  tunnel_mesh_count_skips(mesh));
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < peers[i]->n_skips; j++) {
            const struct tunnel_mesh_skip *sk = &peers[i]->skips[j];
            ds_put_format(out, "  %s: %s: %s%s\n", sk->chassis, sk->what,
                          sk->reason,
                          sk->misconfig ? " (misconfiguration)" : "");
        }
    }
    free(peers);
}

static struct json *
json_local(const struct show_ctx *s)
{
    const struct chassis_config *cfg = s->cfg;
    struct json *ips = json_array_create_empty();
    for (size_t i = 0; i < cfg->n_encap_ips; i++) {
        const struct chassis_encap_ip *ip = &cfg->encap_ips[i];
        struct json *o = json_object_create();
        json_object_put(o, "encap_id", json_integer_create(ip->encap_id));
        json_object_put_string(o, "ip", ip->ip);
        json_object_put_string(o, "plane", ip->plane);
        json_object_put(o, "default", json_boolean_create(!ip->encap_id));
        if (s->ha) {
            json_object_put(o, "live",
                            json_boolean_create(en_ha_nic_live(s->ha, i)));
        }
        json_array_add(ips, o);
    }
    return ips;
}

static struct json *
json_port_status(const struct port_status *st, struct json *o)
{
    json_object_put(o, "port", st->name ? json_string_create(st->name)
                                        : json_null_create());
    json_object_put(o, "ofport", json_integer_create(st->ofport));
    json_object_put_string(o, "state", st->state);
    return o;
}

/* The VIFs bound here. */

/* Returns the local encap IP 'ip' of 'cfg', or NULL if it is not one (the
 * configuration changed since the binding was decided). */
static const struct chassis_encap_ip *
find_local_ip(const struct chassis_config *cfg, const char *ip)
{
    for (size_t i = 0; ip && i < cfg->n_encap_ips; i++) {
        if (!strcmp(cfg->encap_ips[i].ip, ip)) {
            return &cfg->encap_ips[i];
        }
    }
    return NULL;
}

/* True if 'lb' is a port claimed here through a VIF. */
static bool
is_bound_vif(const struct local_binding *lb)
{
    return lb->iface && binding_role_is_claim(lb->role);
}

/* Returns the bound VIFs of 's' sorted by logical port, in a malloc'd
 * array of '*n' elements. */
static const struct local_binding **
bound_vifs(const struct show_ctx *s, size_t *n)
{
    size_t n_all;
    const struct local_binding **all = binding_show_sorted(s->rtd,
                                                                    &n_all);
    *n = 0;
    for (size_t i = 0; i < n_all; i++) {
        if (is_bound_vif(all[i])) {
            all[(*n)++] = all[i];
        }
    }
    return all;
}

/* Under NIC failover, the local encap IP a VIF on 'ip' is steered to, if
 * 'ip' is dead and another is live; else NULL. */
static const struct chassis_encap_ip *
steered_to(const struct show_ctx *s, const struct chassis_encap_ip *ip)
{
    if (!s->ha || !ip || en_ha_nic_live(s->ha, ip->encap_id)) {
        return NULL;
    }
    for (size_t e = 0; e < s->cfg->n_encap_ips; e++) {
        if (en_ha_nic_live(s->ha, e)) {
            return &s->cfg->encap_ips[e];
        }
    }
    return NULL;
}

static void
format_text_vifs(const struct show_ctx *s, struct ds *out)
{
    size_t n;
    const struct local_binding **vifs = bound_vifs(s, &n);

    ds_put_format(out, "VIFs (%"PRIuSIZE"):\n", n);
    for (size_t i = 0; i < n; i++) {
        const struct local_binding *lb = vifs[i];
        const struct chassis_encap_ip *ip = find_local_ip(s->cfg,
                                                          lb->encap_ip);

        ds_put_format(out, "  %s: iface=%s role=%s encap-ip=%s", lb->lport,
                      lb->iface, binding_role_name(lb->role),
                      lb->encap_ip ? lb->encap_ip : "-");
        if (ip) {
            ds_put_format(out, " encap-id=%u plane=%s type=%s",
                          ip->encap_id, ip->plane,
                          chassis_encap_type_name(lb->encap_type));
        }
        if (lb->bad_pin) {
            ds_put_format(out, " pin=%s (misconfiguration)", lb->bad_pin);
        } else {
            ds_put_format(out, " pin=%s",
                          lb->pinned ? lb->encap_ip : "none");
        }
        const struct chassis_encap_ip *to = steered_to(s, ip);
        if (to) {
            ds_put_format(out, " steered-to=%s encap-id=%u (NIC down)",
                          to->ip, to->encap_id);
        }
        ds_put_char(out, '\n');
    }

    size_t n_bad = 0;
    for (size_t i = 0; i < n; i++) {
        n_bad += vifs[i]->bad_pin != NULL;
    }
    ds_put_format(out, "misconfigured pins (%"PRIuSIZE"):\n", n_bad);
    for (size_t i = 0; i < n; i++) {
        const struct local_binding *lb = vifs[i];
        if (lb->bad_pin) {
            ds_put_format(out, "  %s: iface %s external_ids:encap-ip=%s is "
                          "not a local encap IP; using %s\n", lb->lport,
                          lb->iface, lb->bad_pin,
                          lb->encap_ip ? lb->encap_ip : "(none)");
        }
    }
    free(vifs);
}

static void
json_vifs(const struct show_ctx *s, struct json *top)
{
    struct json *list = json_array_create_empty();
    struct json *bad = json_array_create_empty();
    size_t n;
    const struct local_binding **vifs = bound_vifs(s, &n);

    for (size_t i = 0; i < n; i++) {
        const struct local_binding *lb = vifs[i];
        const struct chassis_encap_ip *ip = find_local_ip(s->cfg,
                                                          lb->encap_ip);
        struct json *o = json_object_create();

        json_object_put_string(o, "lport", lb->lport);
        json_object_put_string(o, "iface", lb->iface);
        json_object_put_string(o, "role", binding_role_name(lb->role));
        json_object_put(o, "encap_ip", (lb->encap_ip
                                        ? json_string_create(lb->encap_ip)
                                        : json_null_create()));
        json_object_put(o, "encap_id", (ip
                                        ? json_integer_create(ip->encap_id)
                                        : json_null_create()));
        json_object_put(o, "plane", (ip ? json_string_create(ip->plane)
                                     : json_null_create()));
        json_object_put_string(o, "type",
                               chassis_encap_type_name(lb->encap_type));
        json_object_put(o, "pinned", json_boolean_create(lb->pinned));
        json_object_put(o, "bad_pin", (lb->bad_pin
                                       ? json_string_create(lb->bad_pin)
                                       : json_null_create()));
        const struct chassis_encap_ip *to = steered_to(s, ip);
        if (to) {
            json_object_put_string(o, "steered_to", to->ip);
        }
        json_array_add(list, o);
        if (lb->bad_pin) {
            struct json *b = json_object_create();
            json_object_put_string(b, "lport", lb->lport);
            json_object_put_string(b, "iface", lb->iface);
            json_object_put_string(b, "encap_ip", lb->bad_pin);
            json_object_put_string(b, "reason", "not a local encap IP");
            json_object_put(b, "using", (lb->encap_ip
                                         ? json_string_create(lb->encap_ip)
                                         : json_null_create()));
            json_array_add(bad, b);
        }
    }
    free(vifs);
    json_object_put(top, "vifs", list);
    json_object_put(top, "misconfigured_pins", bad);
}

static struct json *
json_show(const struct show_ctx *s)
{
    const struct tunnel_mesh *mesh = s->data->mesh;
    const struct tunnel_mesh_peer **peers = tunnel_mesh_sorted_peers(mesh);
    size_t n = tunnel_mesh_count_peers(mesh);
    struct json *top = json_object_create();
    struct json *types = json_array_create_empty();
    struct json *flow = json_array_create_empty();
    struct json *tunnels = json_array_create_empty();
    struct json *skipped = json_array_create_empty();
    struct port_status st;

    for (int t = 0; t < CHASSIS_N_ENCAP_TYPES; t++) {
        if (s->cfg->encap_types[t]) {
            json_array_add(types,
                           json_string_create(chassis_encap_type_name(t)));
        }
    }
    const struct tunnel_mesh_port *port;
    HMAP_FOR_EACH (port, node, &mesh->ports) {
        if (port->flow_based) {
            struct json *o = json_object_create();
            port_status_get(&s->ports, port->key, &st);
            json_object_put_string(o, "type",
                                   chassis_encap_type_name(port->type));
            json_array_add(flow, json_port_status(&st, o));
        }
    }
    for (size_t i = 0; i < n; i++) {
        const struct tunnel_mesh_path *path;
        LIST_FOR_EACH (path, peer_node, &peers[i]->paths) {
            struct json *o = json_object_create();
            json_object_put_string(o, "chassis", peers[i]->name);
            json_object_put_string(o, "remote_ip", path->remote_ip);
            json_object_put_string(o, "local_ip", path->local_ip);
            json_object_put(o, "encap_id",
                            json_integer_create(path->encap_id));
            json_object_put_string(o, "plane", path->plane);
            json_object_put_string(o, "type",
                                   chassis_encap_type_name(path->type));
            json_object_put_string(o, "id", path->id);
            port_status_get(&s->ports, path->port->key, &st);
            const char *bfd = tunnel_bfd(s, path->port->key);
            if (bfd) {
                json_object_put_string(o, "bfd", bfd);
            }
            json_array_add(tunnels, json_port_status(&st, o));
        }
        for (size_t j = 0; j < peers[i]->n_skips; j++) {
            const struct tunnel_mesh_skip *sk = &peers[i]->skips[j];
            struct json *o = json_object_create();
            json_object_put_string(o, "chassis", sk->chassis);
            json_object_put_string(o, "item", sk->what);
            json_object_put_string(o, "reason", sk->reason);
            json_object_put(o, "misconfiguration",
                            json_boolean_create(sk->misconfig));
            json_array_add(skipped, o);
        }
    }
    free(peers);

    json_object_put(top, "local_encap_ips", json_local(s));
    json_object_put(top, "nic_failover", json_boolean_create(s->ha != NULL));
    json_object_put(top, "encap_types", types);
    json_object_put(top, "bridge", s->bridge ? json_string_create(s->bridge)
                                             : json_null_create());
    json_object_put_string(top, "mode", mesh->flow_based ? "flow-based"
                                                         : "port-based");
    json_object_put(top, "flow_ports", flow);
    json_object_put(top, "tunnels", tunnels);
    json_object_put(top, "skipped", skipped);
    json_vifs(s, top);
    return top;
}

static void
encap_show_cmd(struct unixctl_conn *conn, int argc, const char *argv[],
               void *show_)
{
    const struct encap_show *show = show_;
    struct engine_node *node = show->tunnel_sync;
    bool json = false;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--format=json")) {
            json = true;
        } else if (!strcmp(argv[i], "--format=text")) {
            json = false;
        } else {
            unixctl_command_reply_error(conn, "usage: encap/show "
                                        "[--format=text|json]");
            return;
        }
    }

    COVERAGE_INC(encap_show);
    const struct en_tunnel_sync_data *sd = engine_get_data(node);
    const struct en_tunnels_data *td
        = engine_get_input_data(node, sd->in.tunnels);
    const struct en_integration_bridge_data *br
        = engine_get_input_data(node, sd->in.integration_bridge);
    struct ovsdb_idl *ovs_idl = en_ovsdb_input_idl(node, sd->in.ovs_bridge);
    struct show_ctx s;

    s.data = td;
    s.cfg = en_ovs_config_get(engine_get_input_data(sd->in.tunnels,
                                                    td->in.ovs_config));
    s.bridge = br->name;
    s.rtd = engine_get_data(show->runtime_data);
    s.ha = NULL;
    if (show->ha) {
        const struct en_ha_data *ha = engine_get_data(show->ha);
        s.ha = ha->encap_bfd ? ha : NULL;
    }
    shash_init(&s.ports);
    tunnel_sync_collect_ports(
        integration_bridge_find(ovs_idl, s.bridge),
        &s.ports);

    struct ds out = DS_EMPTY_INITIALIZER;
    if (json) {
        struct json *j = json_show(&s);
        json_to_ds(j, JSSF_SORT | JSSF_PRETTY, &out);
        ds_put_char(&out, '\n');
        json_destroy(j);
    } else {
        format_text_local(&s, &out);
        format_text_tunnels(&s, &out);
        format_text_vifs(&s, &out);
    }
    shash_destroy(&s.ports);
    unixctl_command_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
}

void
encap_show_register(const struct encap_show *show)
{
    unixctl_command_register("encap/show", "[--format=text|json]", 0, 1,
                             encap_show_cmd, CONST_CAST(void *, show));
}

/* Read live by the command; their changes need not wake the engine. */
static const struct idl_column_use encap_show_columns[] = {
    { &ovsrec_interface_col_ofport, false },
    { &ovsrec_interface_col_link_state, false },
    { &ovsrec_interface_col_bfd, false },
    { &ovsrec_interface_col_bfd_status, false },
};

void
encap_show_declare_columns(struct idl_columns *cols)
{
    IDL_COLUMNS_ADD(cols, encap_show_columns);
}
