/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* One logical flow on one datapath -> OpenFlow flows.
 *
 * This module is the glue between the logical flow language (lib/expr.h,
 * lib/actions.h) and a table of OpenFlow flows: the chassis daemon uses it
 * to compile the logical flows of its local datapaths into the desired
 * flow table, ovn-lflow-check (utilities/) to check every flow of a
 * southbound database.  It knows nothing of the database: a logical flow
 * and a datapath are plain structs the caller fills from wherever it
 * reads them, and the result goes to a callback.
 *
 * Compiling takes two steps, so that a flow shared by many datapaths (a
 * Logical_DP_Group) is parsed once:
 *
 *   lflow_compile_parse()   expands the template variables (^name) in the
 *                           actions, parses them, and ANDs the match with
 *                           the prerequisites they need.  Nothing here
 *                           depends on the datapath.
 *   lflow_compile_on_dp()   compiles that match on one datapath (address
 *                           sets, its port groups, is_chassis_resident()),
 *                           turns it into OpenFlow matches with the flow's
 *                           own conjunction ids, encodes the actions once,
 *                           optionally checks each flow as ovs-vswitchd
 *                           will see it, and hands each OpenFlow flow to
 *                           the caller: table 8+N (ingress) or 42+N
 *                           (egress), the logical flow's priority, cookie
 *                           = first 32 bits of its UUID, metadata = the
 *                           datapath's tunnel key.
 *   lflow_compile_on_dps()  does the same for several datapaths at once
 *                           (see "Several datapaths at once" below).
 *
 * The match is parsed once, on the first datapath, and kept in the parsed
 * flow: only the port groups (per datapath in the SB) and the ports (whose
 * tunnel keys differ per datapath) are resolved for each datapath.
 *
 * Local ports.  A packet is in the ingress pipeline of a datapath on this
 * chassis only if it entered through a port that is here (a VIF bound
 * here, a patch or localnet port, ...), and in the egress pipeline only
 * for an outport that is here.  The caller says which ports are
 * ('is_local_port'); comparisons of the pipeline's own port field
 * (inport in the ingress pipeline, outport in the egress pipeline) with
 * any other port are false, and such ports drop out of port groups
 * compared with that field.  The other field (outport in the ingress
 * pipeline, inport in the egress pipeline, which after a tunnel holds the
 * port a packet entered through on another chassis) keeps every port.
 *
 * Several datapaths at once.  A flow on a Logical_DP_Group compiled
 * datapath by datapath gives each datapath a copy of every OpenFlow flow:
 * "outport == @pg && ip4.src == $as" on D datapaths costs D x |as| flows.
 * lflow_compile_on_dps() compiles the datapath-independent part of the
 * match (the top-level conjuncts that compare no port: address sets,
 * protocols, ...) once, without metadata, and pairs each datapath's
 * metadata with its own part (its ports and port groups) in one
 * dimension, so that the normalizer can make a conjunctive match of
 * about (local ports) + |as| flows.  When the actions encode differently
 * on some datapath (they name a port, for example), it falls back to one
 * datapath at a time.
 *
 * Updating one datapath's part.  When only what one datapath's part of
 * the match depends on changed (a port of that datapath became local, a
 * member joined its "<key>_<name>" port group), the flows of the other
 * datapaths stay as they are: lflow_compile_on_dp_part() compiles only
 * that datapath's flows again.  For that, lflow_compile_on_dps() lays the
 * flows out in one of two ways whenever it can (the 'layout' of the
 * parsed flow says which), chosen from the shared part alone, so that a
 * change of one datapath's part never changes the layout:
 *
 *   LFLOW_LAYOUT_PER_DP   the shared part is a single clause S (no set,
 *                         or one that fits in one flow): each datapath i
 *                         gets the flows "metadata == i && c && S" for the
 *                         clauses c of its part, and nothing is shared.
 *   LFLOW_LAYOUT_DP_DIM   the shared part has several clauses (an address
 *                         set's addresses, ...) or conjunction dimensions
 *                         of its own: one conjunctive match whose first
 *                         dimension holds each datapath's clauses, with
 *                         its metadata, and whose other dimensions and
 *                         conjunction flow are the shared part's, without
 *                         metadata.
 *
 * Otherwise (a datapath's part that is not a plain DNF, a shared part
 * whose clauses have dimensions, actions that encode differently on some
 * datapath) the layout is LFLOW_LAYOUT_WHOLE: the flows must be compiled
 * again all together.  Each flow handed to the callback says which
 * datapath it belongs to alone, in the first two layouts, so that the
 * caller can replace exactly that datapath's flows.
 *
 * Typical use in the daemon, for logical flow 'lf' on datapaths 'dps':
 *
 *     struct lflow_compile_parsed *p;
 *     char *error = lflow_compile_parse(&ctx, &lf, &p);
 *     if (!error) {
 *         error = lflow_compile_on_dps(&ctx, p, dps, n_dps, &my->id_refs,
 *                                      add_desired_flow, my);
 *     }
 *     if (error) {
 *         VLOG_WARN_RL(&rl, UUID_FMT": %s", UUID_ARGS(&lf.uuid), error);
 *         free(error);
 *     }
 *     ... if p->conj_ids_moved, remove the flows and compile again ...
 *     ... keep p's *_ref sets to know when to compile 'lf' again ...
 *     lflow_compile_parsed_destroy(p);
 *
 * and when 'lf' goes away: lflow_compile_release(&ctx, &lf.uuid,
 * &my->id_refs), after removing its OpenFlow flows.
 *
 * Errors are malloc'd strings that start with the step that failed
 * ("table: ", "actions: ", "match: "); nothing aborts on bad input and
 * nothing is logged above debug level: the caller decides. */

#ifndef OVN_LFLOW_COMPILE_H
#define OVN_LFLOW_COMPILE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "actions.h"
#include "expr.h"
#include "openvswitch/compiler.h"
#include "openvswitch/match.h"
#include "openvswitch/uuid.h"
#include "sset.h"

struct conj_ids;
struct ds;
struct id_refs;
struct id_table;
struct ofpact;
struct shash;
struct smap;

/* Everything compilation needs that lives longer than one flow.  The
 * caller owns it and everything it points to, fills it, and keeps the
 * tables current between calls.  'symtab', 'groups', 'meters' and
 * 'conj_ids' are required; a NULL set of options, address sets, port
 * groups or templates is empty. */
struct lflow_compile_ctx {
    const struct shash *symtab;       /* From symtab_init(). */
    const struct shash *dhcp_opts;    /* DHCPv4 options, lact_opt_def. */
    const struct shash *dhcpv6_opts;  /* DHCPv6 options, lact_opt_def. */
    const struct shash *addr_sets;    /* $name -> expr_constant_set. */
    const struct shash *port_groups;  /* @name -> expr_constant_set; the
                                       * SB's per datapath "<key>_<name>"
                                       * sets are found first. */
    const struct smap *templates;     /* ^name -> value. */

    /* Says whether a port is resident on this chassis.  NULL: no port is. */
    expr_chassis_resident_cb *is_resident;
    const void *resident_aux;         /* For 'is_resident'. */

    /* Says whether a port can be the inport of the ingress pipeline, or
     * the outport of the egress pipeline, on this chassis (see "Local
     * ports" above).  NULL: every port can. */
    expr_chassis_resident_cb *is_local_port;
    const void *local_port_aux;       /* For 'is_local_port'. */

    /* Optional, with 'is_local_port': for each port group of
     * 'port_groups', by the same name, the set of its members for which
     * 'is_local_port' is true (the caller keeps it up to date).  A port
     * group compared with the pipeline's own port field then takes its
     * members from here, without asking 'is_local_port' about each; a
     * group missing here has none. */
    const struct shash *local_port_groups;

    struct id_table *groups;          /* OpenFlow group ids. */
    struct id_table *meters;          /* OpenFlow meter ids. */
    bool ctlop_meters;                /* Meter controller actions per
                                       * operation (see struct
                                       * lact_encode_ctx), and pausing
                                       * ones of a single inport per
                                       * (operation, port) (see
                                       * CTLOP_PORT_METER_PREFIX). */
    struct conj_ids *conj_ids;        /* Conjunction ids per logical flow,
                                       * kept across runs. */

    /* Check every OpenFlow flow as it will reach ovs-vswitchd: its match
     * and actions must survive a round trip through OpenFlow 1.5
     * unchanged, and the actions pass ofpacts_check_consistency() against
     * the match and table, as ovs-vswitchd checks them before it installs
     * a flow.  A guard against compiler bugs; costs some time. */
    bool check_openflow;
};

/* A logical flow, as the Logical_Flow table of the SB describes it.  The
 * strings belong to the caller. */
struct lflow_compile_lflow {
    struct uuid uuid;                 /* Of the Logical_Flow row. */
    bool ingress;                     /* Pipeline ingress (else egress). */
    int64_t table_id;                 /* Logical table. */
    int64_t priority;                 /* 0 to 65535. */
    const char *match;                /* Match expression. */
    const char *actions;              /* Actions. */
    const char *controller_meter;     /* Meter for packets it sends to the
                                       * controller, or NULL. */
};

/* A datapath a logical flow is compiled on.  The callback and its aux
 * belong to the caller. */
struct lflow_compile_dp {
    uint32_t key;                     /* Tunnel key (OpenFlow metadata). */
    bool is_switch;                   /* Logical switch (else router)? */
    expr_lookup_port_cb *lookup_port; /* Port or multicast group name on
                                       * this datapath -> tunnel key. */
    const void *lookup_aux;           /* For 'lookup_port'. */
};

/* How lflow_compile_on_dps() laid out a flow's OpenFlow flows across its
 * datapaths (see "Updating one datapath's part" above). */
enum lflow_compile_layout {
    LFLOW_LAYOUT_WHOLE,         /* Compile all datapaths again together. */
    LFLOW_LAYOUT_PER_DP,        /* Each datapath's flows stand alone. */
    LFLOW_LAYOUT_DP_DIM,        /* Each datapath's clauses in the first
                                 * dimension of one conjunctive match. */
};

/* A parsed logical flow: what lflow_compile_on_dp() needs, and what its
 * compilation depended on. */
struct lflow_compile_parsed {
    struct uuid uuid;                 /* The logical flow's. */
    bool ingress;                     /* Pipeline. */
    uint8_t table_id;                 /* Logical table. */
    uint16_t priority;                /* Logical flow priority. */
    char *controller_meter;           /* Meter name, or NULL (owned). */
    char *match;                      /* Match ANDed with the actions'
                                       * prerequisites (owned). */
    struct lact_list actions;         /* Parsed actions (owned). */

    /* What the match referred to, on every datapath it was compiled on
     * so far (also when compiling failed, so that a flow that names a
     * missing address set can be compiled again when the set appears):
     * address set names, port group names as looked up (the datapath
     * scoped "<key>_<name>" ones), and the ports it asked
     * is_chassis_resident() about. */
    struct sset addr_sets_ref;
    struct sset port_groups_ref;
    struct sset resident_ref;
    struct sset ports_ref;            /* Ports compared with inport or
                                       * outport (not those that came
                                       * from a port group). */

    /* Set when a datapath needed more conjunction ids than the flow held
     * and its range moved: the OpenFlow flows compiled earlier on other
     * datapaths carry the old ids, so compile it again on all of them. */
    bool conj_ids_moved;

    /* How the last successful lflow_compile_on_dps() laid out the flows
     * (LFLOW_LAYOUT_WHOLE after lflow_compile_on_dp(), or on one
     * datapath). */
    enum lflow_compile_layout layout;

    /* Private to lflow-compile: the match, parsed once with its port
     * groups left unresolved, or the error parsing it gave. */
    struct expr *match_expr_;
    char *match_error_;
    bool match_parsed_;
};

/* One OpenFlow flow, as handed to the caller's callback.  The pointers are
 * valid only during the call. */
struct lflow_compile_ofpflow {
    uint8_t table_id;                 /* OpenFlow table. */
    uint16_t priority;                /* The logical flow's priority. */
    uint32_t cookie;                  /* First 32 bits of the UUID. */
    const struct match *match;        /* Includes metadata. */
    const struct ofpact *ofpacts;     /* The actions: for a clause flow of
                                       * a conjunction its conjunction
                                       * actions, else the logical flow's
                                       * (a match on conj_id completes a
                                       * conjunction). */
    size_t ofpacts_len;               /* In bytes. */

    /* In the layouts LFLOW_LAYOUT_PER_DP and LFLOW_LAYOUT_DP_DIM, the
     * datapath this flow belongs to alone (lflow_compile_on_dp_part()
     * gives that datapath's flows again); NULL for a flow shared by the
     * datapaths, and for every flow of LFLOW_LAYOUT_WHOLE. */
    const struct lflow_compile_dp *dp;
};

/* Receives one OpenFlow flow of a logical flow. */
typedef void lflow_compile_output_cb(void *aux,
                                     const struct lflow_compile_ofpflow *);

char *lflow_compile_parse(const struct lflow_compile_ctx *,
                          const struct lflow_compile_lflow *,
                          struct lflow_compile_parsed **parsedp)
    OVS_WARN_UNUSED_RESULT;
void lflow_compile_parsed_destroy(struct lflow_compile_parsed *);

char *lflow_compile_on_dp(const struct lflow_compile_ctx *,
                          struct lflow_compile_parsed *,
                          const struct lflow_compile_dp *,
                          struct id_refs *refs,
                          lflow_compile_output_cb *, void *aux)
    OVS_WARN_UNUSED_RESULT;

char *lflow_compile_on_dps(const struct lflow_compile_ctx *,
                           struct lflow_compile_parsed *,
                           const struct lflow_compile_dp *dps, size_t n_dps,
                           struct id_refs *refs,
                           lflow_compile_output_cb *, void *aux)
    OVS_WARN_UNUSED_RESULT;

char *lflow_compile_on_dp_part(const struct lflow_compile_ctx *,
                               struct lflow_compile_parsed *,
                               enum lflow_compile_layout layout,
                               const struct lflow_compile_dp *dp,
                               lflow_compile_output_cb *, void *aux,
                               bool *wholep)
    OVS_WARN_UNUSED_RESULT;

void lflow_compile_release(const struct lflow_compile_ctx *,
                           const struct uuid *lflow, struct id_refs *refs);

void lflow_compile_ofpflow_format(const struct lflow_compile_ofpflow *,
                                  struct ds *);

#endif /* lflow-compile.h */
