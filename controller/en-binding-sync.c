/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine node "binding_sync": see en-binding-sync.h.
 *
 * What the spec says (ovn-sb(5) Port_Binding): the chassis that binds a
 * port sets 'chassis' (and 'encap'), clears it when it releases the port,
 * and sets 'up' once the port is ready; ovn-installed on the VIF tells the
 * CMS the same.  What we do: validate (our chassis row and the Encap must
 * exist), prepare (compare with what the row shows), apply (write only the
 * columns that differ).  A write that fails is redone on the next run,
 * because the status is derived from what the databases show.
 *
 * What triggers work: runtime_data's tracked ports, changed Port_Binding
 * rows (our own writes come back here and advance the status), changed
 * VIFs, and ct_zones.  Our chassis row or its encaps changing recomputes.
 */

#include <config.h>

#include "controller/en-binding-sync.h"

#include "controller/idl-columns.h"

#include <string.h>
#include "controller/binding.h"
#include "controller/chassis-sync.h"
#include "controller/ct-zones.h"
#include "controller/en-ct-zones.h"
#include "controller/en-ctx.h"
#include "controller/en-integration-bridge.h"
#include "controller/en-ovs-config.h"
#include "controller/en-ofctrl.h"
#include "controller/en-ovsdb.h"
#include "controller/en-pflow.h"
#include "controller/flow-table.h"
#include "controller/integration-bridge.h"
#include "controller/en-runtime-data.h"
#include "bitmap.h"
#include "coverage.h"
#include "lib/ovn-sb-idl.h"
#include "lib/vswitch-idl.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl-provider.h"
#include "smap.h"
#include "sset.h"
#include "svec.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(binding);

COVERAGE_DEFINE(binding_sync_claim);
COVERAGE_DEFINE(binding_sync_release);
COVERAGE_DEFINE(binding_sync_encap);
COVERAGE_DEFINE(binding_sync_up);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Context of one run or handler call. */
struct bs_ctx {
    struct en_binding_sync_data *data;
    const struct en_binding_sync_inputs *own_in; /* The node's inputs. */
    const struct ed_runtime_data *rtd;
    const struct ct_zones *zones;
    const struct sbrec_chassis *chassis;    /* Ours; NULL if none yet. */
    const struct ovsrec_bridge *br_int;     /* NULL if none. */
    struct ovsdb_idl *sb_idl;
    struct ovsdb_idl *ovs_idl;
    bool write;                 /* Transactions are open: write. */
    bool blocked;               /* A write was needed but 'write' is
                                 * false (outside a shadow run, the node
                                 * must then wait for transactions). */
    bool changed;               /* 'data->wants' changed. */
    const struct flow_table *flows; /* pflow_output's desired flows. */
    uint64_t installed_gen;     /* The generation ofctrl installed. */
    const struct vif_index *vifs; /* br-int's interfaces (runtime_data's
                                 * index, up to date with this run). */
};

static void
bs_ctx_init(struct bs_ctx *c, struct engine_node *node,
            struct en_binding_sync_data *data,
            const struct engine_context *ctx)
{
    const struct en_binding_sync_data *own = engine_get_data(node);
    const struct en_binding_sync_inputs *in = &own->in;
    const struct chassis_config *cfg = en_ovs_config_get(
        engine_get_input_data(node, in->ovs_config));
    const struct en_integration_bridge_data *br
        = engine_get_input_data(node, in->integration_bridge);
    const struct en_ct_zones_data *zd
        = engine_get_input_data(node, in->ct_zones);
    memset(c, 0, sizeof *c);
    c->data = data;
    c->own_in = in;
    c->rtd = engine_get_input_data(node, in->runtime_data);
    c->zones = zd->zones;
    c->sb_idl = en_ovsdb_input_idl(node, in->sb_port_binding);
    c->ovs_idl = en_ovsdb_input_idl(node, in->ovs_interface);
    c->br_int = integration_bridge_find(c->ovs_idl, br->name);
    c->write = en_ctx_sb_txn(ctx) && en_ctx_ovs_txn(ctx);
    c->chassis = (cfg->system_id
                  ? chassis_sync_find_chassis(c->sb_idl, cfg->system_id)
                  : NULL);
    c->vifs = &c->rtd->vifs;
    c->flows = en_pflow_get_flows(engine_get_input_data(node, in->pflow));
    c->installed_gen = ((const struct en_ofctrl_installed_data *)
                        engine_get_input_data(node,
                                              in->ofctrl_installed))->gen;
}

/* Records what this chassis has written, or wants written, for 'lport':
 * 'want' (malloc'd, owned by the node from now on) describes its status and
 * every value we write for it ("STATE ROLE encap=IP/TYPE iface=NAME"), or
 * NULL if we hold nothing for it. */
static void
bs_set_want(struct bs_ctx *c, const char *lport, char *want)
{
    struct shash_node *node = shash_find(&c->data->wants, lport);

    if (!want) {
        if (node) {
            free(node->data);
            shash_delete(&c->data->wants, node);
            c->changed = true;
        }
    } else if (!node) {
        shash_add(&c->data->wants, lport, want);
        c->changed = true;
    } else if (strcmp(node->data, want)) {
        free(node->data);
        node->data = want;
        c->changed = true;
    } else {
        free(want);
    }
}

/* Returns our Encap row with 'ip' and 'type', or NULL. */
static const struct sbrec_encap *
bs_find_encap(const struct bs_ctx *c, const char *ip,
              enum chassis_encap_type type)
{
    const char *tname = chassis_encap_type_name(type);

    for (size_t i = 0; c->chassis && ip && i < c->chassis->n_encaps; i++) {
        const struct sbrec_encap *e = c->chassis->encaps[i];
        if (!strcmp(e->ip, ip) && !strcmp(e->type, tname)) {
            return e;
        }
    }
    return NULL;
}

/* True if 'column' of 'row' has a write pending in the open transaction:
 * the row then shows the value we are writing, not the committed one.
 * The status of a port must follow what is committed, so that a shadow
 * recompute run after our writes agrees with the run that wrote. */
static bool
bs_write_pending(const struct ovsdb_idl_row *row,
                 const struct ovsdb_idl_column *column)
{
    size_t idx = column - row->table->class_->columns;

    return row->written && bitmap_is_set(row->written, idx);
}

/* Returns true if 'c' may write now; otherwise notes that a write was
 * needed.  Call only once a write is known to be needed. */
static bool
bs_may_write(struct bs_ctx *c)
{
    if (!c->write) {
        c->blocked = true;
    }
    return c->write;
}

static bool
bs_has_chassis(const struct sbrec_port_binding *sb,
               const struct sbrec_chassis *ch)
{
    for (size_t i = 0; i < sb->n_additional_chassis; i++) {
        if (sb->additional_chassis[i] == ch) {
            return true;
        }
    }
    return false;
}

/* Removes this chassis and its encaps from the additional columns of 'sb',
 * keeping 'keep' (may be NULL). */
static void
bs_prune_additional(struct bs_ctx *c, const struct sbrec_port_binding *sb,
                    const struct sbrec_encap *keep, bool drop_chassis)
{
    bool needed = drop_chassis && bs_has_chassis(sb, c->chassis);

    for (size_t i = 0; i < sb->n_additional_encap; i++) {
        const struct sbrec_encap *e = sb->additional_encap[i];
        needed |= e != keep && !strcmp(e->chassis_name, c->chassis->name);
    }
    if (!needed || !bs_may_write(c)) {
        return;
    }
    if (drop_chassis && bs_has_chassis(sb, c->chassis)) {
        sbrec_port_binding_update_additional_chassis_delvalue(sb,
                                                              c->chassis);
    }
    for (size_t i = 0; i < sb->n_additional_encap; i++) {
        const struct sbrec_encap *e = sb->additional_encap[i];
        if (e != keep && !strcmp(e->chassis_name, c->chassis->name)) {
            sbrec_port_binding_update_additional_encap_delvalue(sb, e);
        }
    }
}

/* Writes the main-chassis claim of 'sb'.  Returns true if the claim is
 * committed (the row already names us). */
static bool
bs_claim_main(struct bs_ctx *c, const struct sbrec_port_binding *sb,
              const struct local_binding *lb, const struct sbrec_encap *enc,
              bool pinned)
{
    bool committed = sb->chassis == c->chassis;
    bool set_encap = !pinned && enc && sb->encap != enc;

    if (bs_has_chassis(sb, c->chassis)) {
        bs_prune_additional(c, sb, NULL, true);
    }
    if ((committed && !set_encap) || !bs_may_write(c)) {
        return committed;
    }
    if (!committed) {
        COVERAGE_INC(binding_sync_claim);
        if (sb->chassis) {
            VLOG_INFO("Changing chassis for lport %s from %s to %s.",
                      lb->lport, sb->chassis->name, c->chassis->name);
        } else {
            VLOG_INFO("Claiming lport %s for this chassis.", lb->lport);
        }
        sbrec_port_binding_set_chassis(sb, c->chassis);
        if (sb->n_up && sb->up[0]) {
            /* Up again only once our flows are in. */
            bool up = false;
            sbrec_port_binding_set_up(sb, &up, 1);
        }
    }
    if (set_encap) {
        COVERAGE_INC(binding_sync_encap);
        if (lb->bad_pin) {
            VLOG_WARN_RL(&rl, "interface %s: external_ids:encap-ip=\"%s\" is "
                         "not a local encap IP; lport %s uses the default "
                         "%s", lb->iface ? lb->iface : "?", lb->bad_pin,
                         lb->lport, enc->ip);
        }
        sbrec_port_binding_set_encap(sb, enc);
    }
    return committed;
}

/* Writes the additional-chassis claim of 'sb'.  Returns true if it is
 * committed. */
static bool
bs_claim_additional(struct bs_ctx *c, const struct sbrec_port_binding *sb,
                    const struct local_binding *lb,
                    const struct sbrec_encap *enc)
{
    bool committed = bs_has_chassis(sb, c->chassis);
    bool has_enc = false;

    bs_prune_additional(c, sb, enc, false);
    for (size_t i = 0; i < sb->n_additional_encap; i++) {
        has_enc |= sb->additional_encap[i] == enc;
    }
    if ((committed && (!enc || has_enc)) || !bs_may_write(c)) {
        return committed;
    }
    if (!committed) {
        COVERAGE_INC(binding_sync_claim);
        VLOG_INFO("Claiming lport %s for this additional chassis.",
                  lb->lport);
        sbrec_port_binding_update_additional_chassis_addvalue(sb,
                                                              c->chassis);
    }
    if (enc && !has_enc) {
        sbrec_port_binding_update_additional_encap_addvalue(sb, enc);
    }
    return committed;
}

/* True if the physical flows of 'sb' are in the switch: the generation of
 * their last change is installed.  (A port without physical flows needs
 * only a first installation.) */
static bool
bs_flows_installed(const struct bs_ctx *c, const struct sbrec_port_binding *sb)
{
    uint64_t gen = flow_table_owner_gen(c->flows, &sb->header_.uuid);

    return c->installed_gen > 0 && gen <= c->installed_gen;
}

/* Brings 'sb', claimed here as 'lb', and its VIF up to date, and records
 * its status. */
static void
bs_sync_claimed(struct bs_ctx *c, const struct sbrec_port_binding *sb,
                const struct local_binding *lb)
{
    bool is_main = lb->role == BINDING_ROLE_MAIN;
    bool pinned = smap_get(&sb->options, "requested-encap-ip") != NULL;
    const struct sbrec_encap *enc = bs_find_encap(c, lb->encap_ip,
                                                  lb->encap_type);
    const struct ovsrec_interface *ifr = (lb->iface
                                          ? vif_index_find_row(c->vifs,
                                                               c->ovs_idl,
                                                               lb->iface)
                                          : NULL);
    struct binding_status_facts facts;
    enum binding_state state;

    facts.claim_committed = (is_main
                             ? bs_claim_main(c, sb, lb, enc, pinned)
                             : bs_claim_additional(c, sb, lb, enc));
    if (is_main && bs_write_pending(&sb->header_,
                                    &sbrec_port_binding_col_chassis)) {
        facts.claim_committed = false;
    }
    facts.flows_installed = bs_flows_installed(c, sb);
    facts.pb_up = (sb->n_up && sb->up[0]
                   && !bs_write_pending(&sb->header_,
                                        &sbrec_port_binding_col_up));
    facts.iface_installed = (!ifr || smap_get_bool(&ifr->external_ids,
                                                   "ovn-installed", false));
    state = binding_state_derive(&facts, is_main);
    if (state == BINDING_STATE_INSTALLED
        && ((is_main && !facts.pb_up) || (ifr && !facts.iface_installed))
        && bs_may_write(c)) {
        if (is_main && !facts.pb_up) {
            bool up = true;
            COVERAGE_INC(binding_sync_up);
            sbrec_port_binding_set_up(sb, &up, 1);
        }
        if (ifr && !facts.iface_installed) {
            char *ts = xasprintf("%lld", time_wall_msec());
            ovsrec_interface_update_external_ids_setkey(ifr, "ovn-installed",
                                                        "true");
            ovsrec_interface_update_external_ids_setkey(
                ifr, "ovn-installed-ts", ts);
            free(ts);
        }
    }
    bs_set_want(c, lb->lport,
                xasprintf("%s %s encap=%s iface=%s",
                          binding_state_name(state),
                          binding_role_name(lb->role),
                          pinned ? "northd" : enc ? enc->ip : "none",
                          lb->iface ? lb->iface : "-"));
}

/* Releases whatever 'sb' still says this chassis holds. */
static void
bs_release(struct bs_ctx *c, const struct sbrec_port_binding *sb)
{
    bs_set_want(c, sb->logical_port, NULL);
    if (!c->chassis || !bs_may_write(c)) {
        return;
    }
    if (sb->chassis == c->chassis) {
        bool up = false;

        COVERAGE_INC(binding_sync_release);
        VLOG_INFO("Releasing lport %s from this chassis.", sb->logical_port);
        sbrec_port_binding_set_chassis(sb, NULL);
        if (!smap_get(&sb->options, "requested-encap-ip")) {
            sbrec_port_binding_set_encap(sb, NULL);
        }
        if (sb->n_up && sb->up[0]) {
            sbrec_port_binding_set_up(sb, &up, 1);
        }
    }
    if (bs_has_chassis(sb, c->chassis)) {
        COVERAGE_INC(binding_sync_release);
        VLOG_INFO("Releasing lport %s from this additional chassis.",
                  sb->logical_port);
        bs_prune_additional(c, sb, NULL, true);
    }
}

/* Forgets 'lport', whose Port_Binding was deleted: nothing is left to
 * write, but a port we had claimed is released, and that is logged. */
static void
bs_forget_deleted(struct bs_ctx *c, const char *lport)
{
    if (shash_find(&c->data->wants, lport)) {
        VLOG_INFO("Releasing lport %s from this chassis (its Port_Binding "
                  "was deleted).", lport);
    }
    bs_set_want(c, lport, NULL);
}

/* Syncs one Port_Binding row. */
static void
bs_sync_pb(struct bs_ctx *c, const struct sbrec_port_binding *sb)
{
    const struct local_binding *lb = runtime_data_find(c->rtd,
                                                       sb->logical_port);

    if (lb && binding_role_is_claim(lb->role)
        && uuid_equals(&lb->pb_uuid, &sb->header_.uuid) && c->chassis) {
        bs_sync_claimed(c, sb, lb);
    } else if (sb->chassis == c->chassis
               || (c->chassis && bs_has_chassis(sb, c->chassis))) {
        if (c->chassis) {
            bs_release(c, sb);
        }
    } else {
        bs_set_want(c, sb->logical_port, NULL);
    }
}

/* Removes ovn-installed from a VIF no port is bound through. */
static void
bs_sync_iface(struct bs_ctx *c, const struct ovsrec_interface *ifr)
{
    const char *id = smap_get(&ifr->external_ids, "iface-id");
    const struct local_binding *lb = id ? runtime_data_find(c->rtd, id)
                                        : NULL;

    if (!smap_get(&ifr->external_ids, "ovn-installed")
        && !smap_get(&ifr->external_ids, "ovn-installed-ts")) {
        return;
    }
    if ((!lb || !binding_role_is_claim(lb->role) || !lb->iface
         || strcmp(lb->iface, ifr->name))
        && bs_may_write(c)) {
        ovsrec_interface_update_external_ids_delkey(ifr, "ovn-installed");
        ovsrec_interface_update_external_ids_delkey(ifr, "ovn-installed-ts");
    }
}

/* Writes the conntrack zones to br-int's external_ids. */
static void
bs_sync_zones(struct bs_ctx *c)
{
    struct smap to_set = SMAP_INITIALIZER(&to_set);
    struct sset to_remove = SSET_INITIALIZER(&to_remove);
    struct smap_node *node;
    const char *key;

    if (!c->br_int) {
        return;
    }
    ct_zones_external_ids_diff(c->zones, &c->br_int->external_ids,
                               &to_set, &to_remove);
    if ((smap_is_empty(&to_set) && sset_is_empty(&to_remove))
        || !bs_may_write(c)) {
        smap_destroy(&to_set);
        sset_destroy(&to_remove);
        return;
    }
    SMAP_FOR_EACH (node, &to_set) {
        ovsrec_bridge_update_external_ids_setkey(c->br_int, node->key,
                                                 node->value);
    }
    SSET_FOR_EACH (key, &to_remove) {
        ovsrec_bridge_update_external_ids_delkey(c->br_int, key);
    }
    smap_destroy(&to_set);
    sset_destroy(&to_remove);
}

/* The node. */

static void *
en_binding_sync_init(void *arg)
{
    struct en_binding_sync_data *data = xzalloc(sizeof *data);

    if (arg) {
        data->in = *(const struct en_binding_sync_inputs *) arg;
    }
    shash_init(&data->wants);
    return data;
}

static void
en_binding_sync_cleanup(void *data_)
{
    struct en_binding_sync_data *data = data_;

    if (data) {
        shash_destroy_free_data(&data->wants);
        free(data->system_id);
        free(data);
    }
}

/* Compares what an incremental run has written (and holds) for each port
 * with what a recompute wants. */
static char *
en_binding_sync_compare(const void *a_, const void *b_)
{
    const struct en_binding_sync_data *a = a_, *b = b_;
    struct shash_node *node;

    SHASH_FOR_EACH (node, &a->wants) {
        const char *other = shash_find_data(&b->wants, node->name);
        if (!other || strcmp(other, node->data)) {
            return xasprintf("lport %s: \"%s\", recompute \"%s\"",
                             node->name, (const char *) node->data,
                             other ? other : "nothing");
        }
    }
    SHASH_FOR_EACH (node, &b->wants) {
        if (!shash_find(&a->wants, node->name)) {
            return xasprintf("lport %s: only in recompute (\"%s\")",
                             node->name, (const char *) node->data);
        }
    }
    return NULL;
}

static enum engine_run_result
en_binding_sync_run(struct engine_node *node, void *data_,
                    const struct engine_context *ctx)
{
    struct en_binding_sync_data *data = data_;
    const struct sbrec_port_binding *sb;
    struct shash_node *snode;
    struct bs_ctx c;

    if (en_ctx_is_shadow(ctx) && en_ctx_any_busy(ctx)) {
        /* What we hold for a port refers to rows our own transactions
         * write (our Encap rows, the claim), which the IDL does not show
         * while they are in flight: a recompute now would not compare
         * like with like.  The check is skipped. */
        return ENGINE_RUN_CANCELED;
    }
    shash_clear_free_data(&data->wants);
    bs_ctx_init(&c, node, data, ctx);
    free(data->system_id);
    data->system_id = nullable_xstrdup(
        en_ovs_config_get(engine_get_input_data(
                              node, c.own_in->ovs_config))->system_id);
    SBREC_PORT_BINDING_FOR_EACH (sb, c.sb_idl) {
        bs_sync_pb(&c, sb);
    }
    SHASH_FOR_EACH (snode, &c.vifs->by_name) {
        const struct ovsrec_interface *ifr
            = vif_index_find_row(c.vifs, c.ovs_idl, snode->name);
        if (ifr) {
            bs_sync_iface(&c, ifr);
        }
    }
    bs_sync_zones(&c);
    /* Without transactions, the node computes and writes nothing; it waits
     * only if something was to be written. */
    return (c.blocked && !en_ctx_is_shadow(ctx)
            ? ENGINE_RUN_CANCELED : ENGINE_RUN_UPDATED);
}

/* Ends a handler's work on 'c': a needed write without transactions makes
 * the node recompute (and so wait for them). */
static enum engine_input_result
bs_finish(struct bs_ctx *c, const struct engine_context *ctx)
{
    if (c->blocked && !en_ctx_is_shadow(ctx)) {
        return ENGINE_INPUT_UNHANDLED;
    }
    return (c->changed ? ENGINE_INPUT_HANDLED_UPDATED
            : ENGINE_INPUT_HANDLED_UNCHANGED);
}

/* Syncs the port named 'lport' and the VIFs bound to it. */
static void
bs_sync_lport(struct bs_ctx *c, const char *lport)
{
    const struct uuid *u = shash_find_data(&c->rtd->pb_by_name, lport);
    const struct sbrec_port_binding *sb
        = u ? sbrec_port_binding_get_for_uuid(c->sb_idl, u) : NULL;
    const struct sset *names = vif_index_find_id(c->vifs, lport);
    const char *name;

    if (sb) {
        bs_sync_pb(c, sb);
    } else {
        bs_forget_deleted(c, lport);
    }
    if (!names) {
        return;
    }
    SSET_FOR_EACH (name, names) {
        const struct ovsrec_interface *ifr
            = vif_index_find_row(c->vifs, c->ovs_idl, name);
        if (ifr) {
            bs_sync_iface(c, ifr);
        }
    }
}

enum engine_input_result
en_binding_sync_runtime_data_handler(struct engine_node *node, void *data,
                                     const struct engine_context *ctx)
{
    const struct en_binding_sync_data *own = engine_get_data(node);
    const struct ed_runtime_data *rtd
        = engine_get_input_data(node, own->in.runtime_data);
    const char *lport;
    struct bs_ctx c;

    if (rtd->recomputed) {
        return ENGINE_INPUT_UNHANDLED;
    }
    bs_ctx_init(&c, node, data, ctx);
    SSET_FOR_EACH (lport, &rtd->tracked_lports) {
        bs_sync_lport(&c, lport);
    }
    return bs_finish(&c, ctx);
}

enum engine_input_result
en_binding_sync_ct_zones_handler(struct engine_node *node, void *data,
                                 const struct engine_context *ctx)
{
    struct bs_ctx c;

    bs_ctx_init(&c, node, data, ctx);
    bs_sync_zones(&c);
    return bs_finish(&c, ctx);
}

enum engine_input_result
en_binding_sync_ovs_interface_handler(struct engine_node *node, void *data,
                                      const struct engine_context *ctx)
{
    const struct ovsrec_interface *ifr;
    struct bs_ctx c;

    bs_ctx_init(&c, node, data, ctx);
    OVSREC_INTERFACE_TABLE_FOR_EACH_TRACKED (
        ifr, ovsrec_interface_table_get(c.ovs_idl)) {
        const char *id = smap_get(&ifr->external_ids, "iface-id");

        if (ovsrec_interface_is_deleted(ifr)) {
            continue;
        }
        if (id) {
            bs_sync_lport(&c, id);
        } else if (vif_index_find(c.vifs, ifr->name)) {
            bs_sync_iface(&c, ifr);
        }
    }
    return bs_finish(&c, ctx);
}

enum engine_input_result
en_binding_sync_sb_port_binding_handler(struct engine_node *node,
                                        void *data,
                                        const struct engine_context *ctx)
{
    const struct sbrec_port_binding *sb;
    struct bs_ctx c;

    bs_ctx_init(&c, node, data, ctx);
    SBREC_PORT_BINDING_TABLE_FOR_EACH_TRACKED (
        sb, sbrec_port_binding_table_get(c.sb_idl)) {
        if (sbrec_port_binding_is_deleted(sb)) {
            if (!runtime_data_find(c.rtd, sb->logical_port)) {
                bs_forget_deleted(&c, sb->logical_port);
            }
        } else {
            bs_sync_pb(&c, sb);
        }
    }
    return bs_finish(&c, ctx);
}

enum engine_input_result
en_binding_sync_ovs_config_handler(struct engine_node *node, void *data_,
                                   const struct engine_context *ctx
                                   OVS_UNUSED)
{
    const struct en_binding_sync_data *data = data_;
    const struct chassis_config *cfg = en_ovs_config_get(
        engine_get_input_data(node, data->in.ovs_config));

    /* Only the system-id (which chassis row is ours) matters here: encap
     * changes reach us as runtime_data's tracked ports and as Encap
     * rows. */
    return (nullable_string_is_equal(cfg->system_id, data->system_id)
            ? ENGINE_INPUT_HANDLED_UNCHANGED : ENGINE_INPUT_UNHANDLED);
}

enum engine_input_result
en_binding_sync_sb_chassis_handler(struct engine_node *node, void *data_,
                                   const struct engine_context *ctx
                                   OVS_UNUSED)
{
    const struct en_binding_sync_data *data = data_;
    struct ovsdb_idl *sb_idl = en_ovsdb_input_idl(node, data->in.sb_chassis);
    const struct sbrec_chassis *ch;

    /* Our row appearing or going changes every claim; a change of its
     * encaps comes with the Encap rows (handler below). */
    SBREC_CHASSIS_TABLE_FOR_EACH_TRACKED (ch,
                                          sbrec_chassis_table_get(sb_idl)) {
        if (data->system_id && !strcmp(ch->name, data->system_id)
            && (sbrec_chassis_is_new(ch) || sbrec_chassis_is_deleted(ch))) {
            return ENGINE_INPUT_UNHANDLED;
        }
    }
    return ENGINE_INPUT_HANDLED_UNCHANGED;
}

enum engine_input_result
en_binding_sync_sb_encap_handler(struct engine_node *node, void *data,
                                 const struct engine_context *ctx)
{
    struct sset ips = SSET_INITIALIZER(&ips);
    const struct sbrec_encap *e;
    struct shash_node *snode;
    struct bs_ctx c;

    bs_ctx_init(&c, node, data, ctx);
    SBREC_ENCAP_TABLE_FOR_EACH_TRACKED (e, sbrec_encap_table_get(c.sb_idl)) {
        if (c.data->system_id
            && !strcmp(e->chassis_name, c.data->system_id)) {
            sset_add(&ips, e->ip);
        }
    }
    /* Re-sync only the ports that use one of the IPs whose Encap rows
     * came or went: their Port_Binding.encap may now be writable or need
     * the new row. */
    SHASH_FOR_EACH (snode, &c.rtd->bindings) {
        const struct local_binding *lb = snode->data;
        if (lb->encap_ip && sset_contains(&ips, lb->encap_ip)) {
            bs_sync_lport(&c, lb->lport);
        }
    }
    sset_destroy(&ips);
    return bs_finish(&c, ctx);
}

/* Syncs each port that 'data' wants written, or only those not up yet if
 * 'pending_only'. */
static enum engine_input_result
bs_sync_wanted(struct engine_node *node, struct en_binding_sync_data *data,
               const struct engine_context *ctx, bool pending_only)
{
    struct svec lports = SVEC_EMPTY_INITIALIZER;
    struct shash_node *snode;
    const char *lport;
    struct bs_ctx c;
    size_t i;

    /* The names are copied first: syncing a port may change 'wants'. */
    SHASH_FOR_EACH (snode, &data->wants) {
        if (!pending_only || strncmp(snode->data, "up ", 3)) {
            svec_add(&lports, snode->name);
        }
    }
    bs_ctx_init(&c, node, data, ctx);
    SVEC_FOR_EACH (i, lport, &lports) {
        bs_sync_lport(&c, lport);
    }
    svec_destroy(&lports);
    return bs_finish(&c, ctx);
}

enum engine_input_result
en_binding_sync_flows_handler(struct engine_node *node, void *data,
                              const struct engine_context *ctx)
{
    /* Only the ports that are not up yet can advance. */
    return bs_sync_wanted(node, data, ctx, true);
}

enum engine_input_result
en_binding_sync_chassis_handler(struct engine_node *node, void *data,
                                const struct engine_context *ctx)
{
    return bs_sync_wanted(node, data, ctx, false);
}

const struct engine_node_class en_binding_sync_class = {
    .name = "binding_sync",
    .init = en_binding_sync_init,
    .cleanup = en_binding_sync_cleanup,
    .run = en_binding_sync_run,
    .compare = en_binding_sync_compare,
};

/* The local OVS database columns this node reads or writes. */
static const struct idl_column_use en_binding_sync_columns[] = {
    { &ovsrec_bridge_col_external_ids, true },
    { &ovsrec_interface_col_external_ids, true },
};

void
en_binding_sync_declare_columns(struct idl_columns *cols)
{
    IDL_COLUMNS_ADD(cols, en_binding_sync_columns);
}
