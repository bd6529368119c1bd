/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * "binding/show" and "binding/monitor": see binding-show.h.
 */

#include <config.h>

#include "controller/binding-show.h"

#include "controller/en-ovsdb.h"
#include "controller/en-runtime-data.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "ovsdb-idl.h"
#include "svec.h"
#include "unixctl.h"
#include "util.h"

const struct local_binding **
binding_show_sorted(const struct ed_runtime_data *rtd, size_t *n)
{
    const struct shash_node **sorted = shash_sort(&rtd->bindings);
    const struct local_binding **out;

    *n = shash_count(&rtd->bindings);
    out = xcalloc(*n + 1, sizeof *out);
    for (size_t i = 0; i < *n; i++) {
        out[i] = sorted[i]->data;
    }
    free(sorted);
    return out;
}

void
binding_show_format_bad_pins(const struct ed_runtime_data *rtd,
                             struct ds *out)
{
    size_t n;
    const struct local_binding **sorted = binding_show_sorted(rtd, &n);

    for (size_t i = 0; i < n; i++) {
        const struct local_binding *lb = sorted[i];
        if (lb->bad_pin) {
            ds_put_format(out, "%s %s encap-ip=%s: not a local encap IP; "
                          "using %s\n", lb->lport,
                          lb->iface ? lb->iface : "-", lb->bad_pin,
                          lb->encap_ip ? lb->encap_ip : "(none)");
        }
    }
    free(sorted);
}

void
binding_show_format(const struct ed_runtime_data *rtd, struct ds *out)
{
    size_t n;
    const struct local_binding **sorted = binding_show_sorted(rtd, &n);

    for (size_t i = 0; i < n; i++) {
        const struct local_binding *lb = sorted[i];

        ds_put_format(out, "%s: %s type=%s", lb->lport,
                      binding_role_name(lb->role),
                      lb->type[0] ? lb->type : "vif");
        if (lb->iface) {
            ds_put_format(out, " iface=%s", lb->iface);
        }
        if (lb->encap_ip) {
            ds_put_format(out, " encap=%s/%s", lb->encap_ip,
                          chassis_encap_type_name(lb->encap_type));
        }
        if (lb->bad_pin) {
            ds_put_format(out, " bad-encap-ip=%s", lb->bad_pin);
        }
        ds_put_char(out, '\n');
    }
    free(sorted);
    ds_put_format(out, "local datapaths: %"PRIuSIZE"\n",
                  uuidset_count(&rtd->local_datapaths));
}

static void
binding_show_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED,
                 const char *argv[] OVS_UNUSED, void *node_)
{
    const struct ed_runtime_data *rtd = engine_get_data(node_);
    struct ds s = DS_EMPTY_INITIALIZER;

    binding_show_format(rtd, &s);
    ds_put_cstr(&s, "encap misconfigurations:\n");
    binding_show_format_bad_pins(rtd, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* Counts the rows of a table of 'idl'. */
static size_t
count_rows(const struct ovsdb_idl *idl, const struct ovsdb_idl_table_class *t)
{
    size_t n = 0;

    for (const struct ovsdb_idl_row *r = ovsdb_idl_first_row(idl, t); r;
         r = ovsdb_idl_next_row(r)) {
        n++;
    }
    return n;
}

/* "binding/monitor": what the SB monitor conditions let in, to check that
 * ovn-monitor-all=false narrows them to what is local. */
static void
binding_monitor_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED,
                    const char *argv[] OVS_UNUSED, void *node_)
{
    const struct engine_node *node = node_;
    const struct ed_runtime_data *rtd = engine_get_data(node);
    const struct ovsdb_idl *idl = en_ovsdb_input_idl(node,
                                                     rtd->in.sb_port_binding);
    static const struct ovsdb_idl_table_class *const monitored[] = {
        &sbrec_table_port_binding, &sbrec_table_logical_flow,
        &sbrec_table_multicast_group, &sbrec_table_mac_binding,
        &sbrec_table_static_mac_binding, &sbrec_table_fdb,
        &sbrec_table_load_balancer,
    };
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "monitor-all: %s\n",
                  rtd->cfg.monitor_all ? "true" : "false");
    ds_put_format(&s, "local datapaths: %"PRIuSIZE"\n",
                  uuidset_count(&rtd->local_datapaths));
    for (size_t i = 0; i < ARRAY_SIZE(monitored); i++) {
        ds_put_format(&s, "%s rows: %"PRIuSIZE"\n", monitored[i]->name,
                      count_rows(idl, monitored[i]));
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* The logical ports bound through one VIF. */
struct vif_ports {
    const char *primary;        /* The VIF's own port; NULL if not bound. */
    struct svec children;       /* Its container ports. */
};

/* "debug/dump-local-bindings", in the format of Debian's command: one
 * block per VIF, named after its own logical port (its iface-id), with the
 * logical ports bound through it (that port, then its container ports),
 * then one per port bound without a VIF. */
static void
dump_local_bindings_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED,
                        const char *argv[] OVS_UNUSED, void *node_)
{
    const struct engine_node *node = node_;
    const struct ed_runtime_data *rtd = engine_get_data(node);
    const struct ovsdb_idl *idl = en_ovsdb_input_idl(node,
                                                     rtd->in.sb_port_binding);
    size_t n;
    const struct local_binding **lbs = binding_show_sorted(rtd, &n);
    struct shash by_iface = SHASH_INITIALIZER(&by_iface);
    struct ds s = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < n; i++) {
        const struct sbrec_port_binding *pb
            = sbrec_port_binding_get_for_uuid(idl, &lbs[i]->pb_uuid);
        bool child = pb && pb->parent_port && pb->parent_port[0];
        /* (A port without a VIF gets a key no interface name has.) */
        char *key = (lbs[i]->iface ? xstrdup(lbs[i]->iface)
                     : xasprintf("\n%s", lbs[i]->lport));
        struct vif_ports *vp = shash_find_data(&by_iface, key);

        if (!vp) {
            vp = xzalloc(sizeof *vp);
            svec_init(&vp->children);
            shash_add(&by_iface, key, vp);
        }
        if (child || vp->primary) {
            svec_add(&vp->children, lbs[i]->lport);
        } else {
            vp->primary = lbs[i]->lport;
        }
        free(key);
    }
    ds_put_cstr(&s, "Local bindings:\n");
    const struct shash_node **sorted = shash_sort(&by_iface);
    for (size_t i = 0; i < shash_count(&by_iface); i++) {
        const struct vif_ports *vp = sorted[i]->data;
        const char *iface = sorted[i]->name;
        const char *name = vp->primary ? vp->primary : vp->children.names[0];

        ds_put_format(&s, "name: [%s], OVS interface name : [%s], "
                      "num binding lports : [%"PRIuSIZE"]\n", name,
                      iface[0] != '\n' ? iface : "NULL",
                      vp->children.n + (vp->primary != NULL));
        if (vp->primary) {
            ds_put_format(&s, "primary lport : [%s]\n", vp->primary);
        }
        for (size_t j = 0; j < vp->children.n; j++) {
            ds_put_format(&s, "child lport : [%s]\n",
                          vp->children.names[j]);
        }
        ds_put_cstr(&s, "----------------------------------------\n");
    }
    free(sorted);
    struct shash_node *sn;
    SHASH_FOR_EACH_SAFE (sn, &by_iface) {
        struct vif_ports *vp = sn->data;
        svec_destroy(&vp->children);
        free(vp);
    }
    shash_destroy(&by_iface);
    free(lbs);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

void
binding_show_register(struct engine_node *node)
{
    unixctl_command_register("debug/dump-local-bindings", "", 0, 0,
                             dump_local_bindings_cmd, node);
    unixctl_command_register("binding/show", "", 0, 0, binding_show_cmd,
                             node);
    unixctl_command_register("binding/monitor", "", 0, 0,
                             binding_monitor_cmd, node);
}
