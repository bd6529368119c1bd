/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * "inject-pkt": see inject-pkt.h.
 */

#include <config.h>

#include "controller/inject-pkt.h"

#include <string.h>

#include "controller/en-lflow.h"
#include "controller/en-ovsdb.h"
#include "controller/en-runtime-data.h"
#include "controller/ofctrl.h"
#include "coverage.h"
#include "dp-packet.h"
#include "flow.h"
#include "lib/actions.h"
#include "lib/expr.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "ovn/of-tables.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(inject_pkt);

COVERAGE_DEFINE(inject_pkt);
COVERAGE_DEFINE(inject_pkt_error);

/* What the command works over. */
struct inject_pkt {
    struct engine_node *lflow;
    struct engine_node *runtime_data;
    struct ofctrl *ofctrl;
};

/* expr_lookup_port_cb over the SB's Port_Binding rows, by name. */
static bool
lookup_port(const void *idl_, const char *name, unsigned int *key)
{
    const struct ovsdb_idl *idl = idl_;
    const struct sbrec_port_binding *pb;

    SBREC_PORT_BINDING_FOR_EACH (pb, idl) {
        if (!strcmp(pb->logical_port, name)) {
            *key = pb->tunnel_key;
            return true;
        }
    }
    return false;
}

/* Finds the local binding whose port has tunnel key 'key' in 'rtd', and
 * stores its datapath's key in '*dp_key'.  Returns NULL if none. */
static const struct local_binding *
find_local_inport(const struct ed_runtime_data *rtd,
                  const struct ovsdb_idl *idl, unsigned int key,
                  int64_t *dp_key)
{
    const struct shash_node *node;

    SHASH_FOR_EACH (node, &rtd->bindings) {
        const struct local_binding *lb = node->data;
        const struct sbrec_port_binding *pb
            = sbrec_port_binding_get_for_uuid(idl, &lb->pb_uuid);
        if (pb && pb->tunnel_key == key && pb->datapath) {
            *dp_key = pb->datapath->tunnel_key;
            return lb;
        }
    }
    return NULL;
}

/* Turns 'microflow' into the packet 'flow' describes; returns an error
 * message, malloc'd, or NULL. */
static char *
microflow_to_flow(const char *microflow, const struct shash *symtab,
                  const struct ovsdb_idl *idl, struct flow *flow)
{
    struct expr_parse_ctx pctx = { .symtab = symtab };
    char *error = NULL;
    struct expr *e = expr_compile(microflow, &pctx, NULL, NULL, &error);

    if (!e) {
        return error;
    }

    struct hmap matches = HMAP_INITIALIZER(&matches);
    expr_to_matches(e, lookup_port, idl, 0, &matches);
    expr_destroy(e);
    if (hmap_count(&matches) != 1) {
        error = xasprintf("the microflow must describe exactly one packet "
                          "(it gives %"PRIuSIZE" flows)",
                          hmap_count(&matches));
    } else {
        const struct expr_match *m = CONTAINER_OF(hmap_first(&matches),
                                                  struct expr_match,
                                                  hmap_node);
        if (m->n) {
            error = xstrdup("the microflow must describe exactly one "
                            "packet (it gives a conjunctive match)");
        } else {
            *flow = m->match.flow;
            flow_zero_wildcards(flow, &m->match.wc);
        }
    }
    expr_matches_destroy(&matches);
    return error;
}

/* Does the work of the command; returns an error message, malloc'd, or
 * NULL. */
static char *
inject(const struct inject_pkt *ip, const char *microflow)
{
    const struct en_lflow_data *lflow = engine_get_data(ip->lflow);
    const struct ed_runtime_data *rtd = engine_get_data(ip->runtime_data);
    const struct ovsdb_idl *idl = en_ovsdb_input_idl(
        ip->lflow, lflow->in.sb_port_binding);
    struct flow flow;
    char *error = microflow_to_flow(microflow, &lflow->state.symtab, idl,
                                    &flow);
    if (error) {
        return error;
    }

    unsigned int inport = flow.regs[MFF_LOG_INPORT - MFF_REG0];
    int64_t dp_key = 0;
    if (!inport || !find_local_inport(rtd, idl, inport, &dp_key)) {
        return xstrdup("ingress port not found on hypervisor.");
    }

    /* The packet's headers, without the logical metadata. */
    struct dp_packet packet;
    dp_packet_init(&packet, 0);
    flow_compose(&packet, &flow, NULL, 64);

    uint64_t stub[1024 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    lact_put_load_u64(&ofpacts, MFF_LOG_DATAPATH, 0, 64, dp_key);
    lact_put_load_u64(&ofpacts, MFF_LOG_INPORT, 0, 32, inport);
    lact_put_resubmit(&ofpacts, OFTABLE_LOG_INGRESS);

    error = (ip->ofctrl
             ? ofctrl_inject_packet(ip->ofctrl, dp_packet_data(&packet),
                                    dp_packet_size(&packet), ofpacts.data,
                                    ofpacts.size)
             : xstrdup("no OpenFlow connection"));
    ofpbuf_uninit(&ofpacts);
    dp_packet_uninit(&packet);
    return error;
}

static void
inject_pkt_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED,
               const char *argv[], void *ip_)
{
    const struct inject_pkt *ip = ip_;
    char *error = inject(ip, argv[1]);

    if (error) {
        COVERAGE_INC(inject_pkt_error);
        unixctl_command_reply_error(conn, error);
        free(error);
    } else {
        COVERAGE_INC(inject_pkt);
        VLOG_INFO("injected a packet: %s", argv[1]);
        unixctl_command_reply(conn, NULL);
    }
}

struct inject_pkt *
inject_pkt_create(struct engine_node *lflow, struct engine_node *runtime_data,
                  struct ofctrl *ofctrl)
{
    struct inject_pkt *ip = xmalloc(sizeof *ip);

    *ip = (struct inject_pkt) {
        .lflow = lflow, .runtime_data = runtime_data, .ofctrl = ofctrl,
    };
    unixctl_command_register("inject-pkt", "MICROFLOW", 1, 1,
                             inject_pkt_cmd, ip);
    return ip;
}

void
inject_pkt_destroy(struct inject_pkt *ip)
{
    free(ip);
}
