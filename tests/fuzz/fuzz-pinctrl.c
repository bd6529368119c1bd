/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Running one pinctrl handler on one frame: see fuzz-pinctrl.h. */

#include <config.h>
#include "fuzz-pinctrl.h"

#include "controller/pinctrl/pin.h"
#include "controller/pinctrl/snapshot.h"
#include "controller/pinctrl/writes.h"
#include "fuzz.h"
#include "lib/actions.h"
#include "lib/id-table.h"
#include "lib/symtab.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "svec.h"
#include "ovn/of-tables.h"
#include "packets.h"
#include "util.h"
#include "uuid.h"

/* The snapshot every run uses, made on first use and kept (reachable). */
static const struct pinctrl_snapshot *
snapshot_get(void)
{
    static struct pinctrl_snapshot *snap;

    if (!snap) {
        snap = pinctrl_snapshot_create(1);
        struct uuid u;
        uuid_zero(&u);
        struct ps_datapath *dp = pinctrl_snapshot_add_datapath(snap, 1, &u,
                                                               false);
        for (int i = 1; i <= 9; i++) {
            char name[8];
            snprintf(name, sizeof name, "p%d", i);
            u.parts[0] = i;
            pinctrl_snapshot_add_port(dp, i, name, i == 9 ? "virtual" : "",
                                      &u);
        }
        pinctrl_snapshot_add_dns(dp, "vm1.ovn.test", "10.0.0.1 fd00::1");
        snap->chassis = xstrdup("hv1");
    }
    return snap;
}

void
fuzz_pinctrl_userdata(const char *action, struct ofpbuf *userdata,
                      bool *paused)
{
    struct shash symtab = SHASH_INITIALIZER(&symtab);
    struct shash dhcp = SHASH_INITIALIZER(&dhcp);
    struct shash dhcpv6 = SHASH_INITIALIZER(&dhcpv6);
    struct id_table groups, meters;

    symtab_init(&symtab);
    lact_opt_defs_add_defaults(&dhcp, &dhcpv6);
    id_table_init(&groups, 1, 1 << 16);
    id_table_init(&meters, 1, 1 << 16);

    struct lact_parse_ctx pctx = {
        .symtab = &symtab, .dhcp_opts = &dhcp, .dhcpv6_opts = &dhcpv6,
        .ingress = true, .n_tables = OFTABLE_N_LOG_INGRESS,
    };
    struct lact_list list = LACT_LIST_INITIALIZER;
    char *error = lact_parse(action, &pctx, &list, NULL);
    if (error) {
        ovs_fatal(0, "%s: %s", action, error);
    }
    struct lact_encode_ctx ectx = {
        .ingress = true, .table = 3, .is_switch = true, .dp_key = 1,
        .lookup_port = fuzz_lookup_port, .groups = &groups,
        .meters = &meters, .ctrl_meter_id = NX_CTLR_NO_METER,
    };
    struct ofpbuf ofpacts;
    ofpbuf_init(&ofpacts, 0);
    lact_list_encode(&list, &ectx, &ofpacts);

    const struct ofpact *a;
    bool found = false;
    OFPACT_FOR_EACH (a, ofpacts.data, ofpacts.size) {
        if (a->type == OFPACT_CONTROLLER) {
            const struct ofpact_controller *oc = ofpact_get_CONTROLLER(a);
            ofpbuf_put(userdata, oc->userdata, oc->userdata_len);
            *paused = oc->pause;
            found = true;
            break;
        }
    }
    if (!found) {
        ovs_fatal(0, "%s: no controller action", action);
    }
    ofpbuf_uninit(&ofpacts);
    lact_list_destroy(&list);
    symtab_destroy(&symtab);
    lact_opt_defs_destroy(&dhcp);
    lact_opt_defs_destroy(&dhcpv6);
    id_table_destroy(&groups);
    id_table_destroy(&meters);
}

/* Checks that 'p' is a frame that parses with flow_extract(). */
static void
check_packet(struct dp_packet *p, const char *what)
{
    struct flow flow;
    pin_parse(p, &flow);
    if (dp_packet_size(p) < ETH_HEADER_LEN || dp_packet_size(p) > 65535) {
        fuzz_check_failed(what, "output of %"PRIu32" bytes",
                          dp_packet_size(p));
    }
}

static void
put_hex(struct ds *s, const struct dp_packet *p)
{
    const uint8_t *b = dp_packet_data(p);
    for (size_t i = 0; i < dp_packet_size(p); i++) {
        ds_put_format(s, "%02x", b[i]);
    }
}

static void
format_writes(const struct pinctrl_writes *w, struct ds *out)
{
    const struct pw_entry *e;
    struct svec lines = SVEC_EMPTY_INITIALIZER;

    HMAP_FOR_EACH (e, node, &w->entries) {
        const struct ps_datapath *dp = pinctrl_snapshot_find_dp(
            snapshot_get(), e->dp_key);
        if (e->kind != PW_EVENT
            && (!dp || !pinctrl_snapshot_find_port(dp, e->port_key))) {
            fuzz_check_failed(e->key, "write for an unknown port");
        }
        svec_add(&lines, e->key);
    }
    svec_sort(&lines);
    const char *line;
    size_t i;
    SVEC_FOR_EACH (i, line, &lines) {
        if (out) {
            ds_put_format(out, "write: %s\n", line);
        }
    }
    svec_destroy(&lines);
}

char *
fuzz_pinctrl_run(const void *userdata, size_t ulen, bool paused,
                 const uint8_t *frame, size_t len, struct ds *out)
{
    struct ctlop_msg msg;
    char *error = ctlop_decode(userdata, ulen, &msg);
    if (error) {
        ctlop_msg_destroy(&msg);
        if (out) {
            ds_put_format(out, "rejected: %s\n", error);
        }
        return error;
    }

    struct match md;
    match_init_catchall(&md);
    match_set_metadata(&md, htonll(1));
    match_set_reg(&md, MFF_LOG_INPORT - MFF_REG0, 1);
    match_set_reg(&md, MFF_LOG_OUTPORT - MFF_REG0, 2);
    match_set_reg(&md, 0, 0x0a000063);

    struct pinctrl_writes writes;
    struct pin_stats stats;
    struct pin pin;
    pinctrl_writes_init(&writes);
    memset(&stats, 0, sizeof stats);
    if (!pin_init(&pin, frame, len, &md, OFTABLE_LOG_INGRESS + 3, paused,
                  &msg, snapshot_get(), &writes, &stats)) {
        pin_uninit(&pin);
        ctlop_msg_destroy(&msg);
        pinctrl_writes_destroy(&writes);
        if (out) {
            ds_put_cstr(out, "rejected: short frame\n");
        }
        return xstrdup("short frame");
    }
    pin.now = 1000;
    pin.wall_now = 1000;
    pin_dispatch(&pin);

    if (pin.resume && !pin.paused) {
        fuzz_check_failed("", "resumed a packet that was not paused");
    }
    if (pin.paused && !pin.resume) {
        fuzz_check_failed("", "left a paused packet behind");
    }
    if (pin.rejected && (!ovs_list_is_empty(&pin.outs)
                         || !pinctrl_writes_is_empty(&writes))) {
        fuzz_check_failed(pin.reject_reason, "output for a rejected input");
    }
    struct pin_out *o;
    LIST_FOR_EACH (o, node, &pin.outs) {
        check_packet(o->packet, "packet out");
        if (out) {
            struct ofpact_format_params fp = { .s = out };
            ds_put_cstr(out, "out: ");
            put_hex(out, o->packet);
            ds_put_cstr(out, " actions=");
            ofpacts_format(o->ofpacts.data, o->ofpacts.size, &fp);
            ds_put_char(out, '\n');
        }
    }
    if (pin.resume) {
        check_packet(pin.packet, "resumed packet");
        if (out) {
            ds_put_cstr(out, "resume: ");
            put_hex(out, pin.packet);
            ds_put_format(out, " reg0=%#"PRIx32"\n", pin.md.flow.regs[0]);
        }
    }
    format_writes(&writes, out);
    error = pin.rejected ? xstrdup(pin.reject_reason) : NULL;
    if (out && error) {
        ds_put_format(out, "rejected: %s\n", error);
    }
    pin_uninit(&pin);
    ctlop_msg_destroy(&msg);
    pinctrl_writes_destroy(&writes);
    return error;
}

void
fuzz_pinctrl_udp_frame(struct ofpbuf *frame, bool ipv6, int sport,
                       int dport, const uint8_t *payload, size_t len)
{
    static const uint8_t client[6] = { 0, 0, 0, 0, 0, 1 };
    static const uint8_t server[6] = { 0, 0, 0, 0, 0, 2 };
    ovs_be16 type = htons(ipv6 ? ETH_TYPE_IPV6 : ETH_TYPE_IP);

    len = MIN(len, 60000);
    ofpbuf_put(frame, server, 6);
    ofpbuf_put(frame, client, 6);
    ofpbuf_put(frame, &type, 2);
    if (ipv6) {
        uint8_t h[40] = { 0x60 };
        ovs_be16 plen = htons(8 + len);
        memcpy(h + 4, &plen, 2);
        h[6] = IPPROTO_UDP;
        h[7] = 64;
        h[8] = 0xfe;
        h[9] = 0x80;
        h[23] = 1;
        h[24] = 0xff;
        h[25] = 0x02;
        h[37] = 1;
        h[38] = 0;
        h[39] = 2;
        ofpbuf_put(frame, h, sizeof h);
    } else {
        uint8_t h[20] = { 0x45 };
        ovs_be16 tot = htons(20 + 8 + len);
        memcpy(h + 2, &tot, 2);
        h[8] = 64;
        h[9] = IPPROTO_UDP;
        h[12] = 10;
        h[15] = 1;
        memset(h + 16, 0xff, 4);
        ofpbuf_put(frame, h, sizeof h);
    }
    ovs_be16 u[4] = { htons(sport), htons(dport), htons(8 + len), 0 };
    ofpbuf_put(frame, u, sizeof u);
    ofpbuf_put(frame, payload, len);
}
