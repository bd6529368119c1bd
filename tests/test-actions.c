/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Unit driver for the logical flow actions (lib/actions*.c), the
 * controller-op codec (lib/controller-ops.c) and the id tables
 * (lib/id-table.c).
 *
 *   test-actions parse      reads one action string per line on stdin and
 *                           prints, for each, how it formats, its
 *                           prerequisites and its OpenFlow encoding, or its
 *                           error; checks the format-parse round trip
 *                           and that encoding the actions twice, into
 *                           buffers pre-filled with different garbage,
 *                           gives the same bytes.
 *                           A line "@ KEY" changes the context: switch,
 *                           router, ingress, egress.
 *   test-actions ctlop      as parse, but prints every controller action's
 *                           userdata decoded, after a trip through the
 *                           OpenFlow 1.5 wire format.
 *   test-actions id-table   reads commands "ref DESC", "unref ID",
 *                           "count", "dump" and prints the results.
 *   test-actions nest N     parses "clone { " x N ... and prints the
 *                           result (to show deep nesting is an error).
 *   test-actions classes    lists every action class of LACT_CLASSES.
 */

#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/actions.h"
#include "lib/expr.h"
#include "lib/id-table.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovn/controller-ops.h"
#include "ovn/of-tables.h"
#include "lib/symtab.h"
#include "util.h"

/* Ports the tests know: name -> key. */
static bool
lookup_port(const void *aux OVS_UNUSED, const char *name,
            unsigned int *key)
{
    static const char *const names[] = {
        "lp1", "lp2", "lp3", "sw0-p1", "sw0-p2", "lr0-sw0", "lr0-public",
        "_MC_flood",
    };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(names[i], name)) {
            *key = i + 1;
            return true;
        }
    }
    return false;
}

struct ctx {
    struct shash symtab;
    struct shash dhcp, dhcpv6;
    struct id_table groups, meters;
    bool ingress, is_switch;
};

static void
ctx_init(struct ctx *c)
{
    shash_init(&c->symtab);
    symtab_init(&c->symtab);
    shash_init(&c->dhcp);
    shash_init(&c->dhcpv6);
    lact_opt_defs_add_defaults(&c->dhcp, &c->dhcpv6);
    id_table_init(&c->groups, 1, 1000);
    id_table_init(&c->meters, 1, 1000);
    c->ingress = true;
    c->is_switch = true;
}

static void
ctx_destroy(struct ctx *c)
{
    symtab_destroy(&c->symtab);
    lact_opt_defs_destroy(&c->dhcp);
    lact_opt_defs_destroy(&c->dhcpv6);
    id_table_destroy(&c->groups);
    id_table_destroy(&c->meters);
}

static void
print_ofpacts(const char *prefix, const struct ofpbuf *ofpacts)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    struct ofpact_format_params fp = { .s = &s };
    ofpacts_format(ofpacts->data, ofpacts->size, &fp);
    printf("    %s%s\n", prefix, ds_cstr(&s));
    ds_destroy(&s);
}

/* Prints the decoded userdata of every controller action in 'ofpacts',
 * after converting them to OpenFlow 1.5 and back. */
static void
print_ctlops(const struct ofpbuf *ofpacts)
{
    struct ofpbuf wire, back;
    ofpbuf_init(&wire, 0);
    ofpbuf_init(&back, 0);
    ofpacts_put_openflow_actions(ofpacts->data, ofpacts->size, &wire,
                                 OFP15_VERSION);
    size_t wire_len = wire.size;
    enum ofperr err = ofpacts_pull_openflow_actions(&wire, wire_len,
                                                    OFP15_VERSION, NULL,
                                                    NULL, &back);
    if (err) {
        printf("    wire error: %s\n", ofperr_to_string(err));
    }

    const struct ofpact *a;
    OFPACT_FOR_EACH (a, back.data, back.size) {
        if (a->type != OFPACT_CONTROLLER) {
            continue;
        }
        const struct ofpact_controller *oc = ofpact_get_CONTROLLER(a);
        struct ctlop_msg msg;
        char *error = ctlop_decode(oc->userdata, oc->userdata_len, &msg);
        if (error) {
            printf("    decode error: %s\n", error);
            free(error);
        } else {
            struct ds s = DS_EMPTY_INITIALIZER;
            ctlop_msg_format(&msg, &s);
            printf("    controller%s: %s\n", oc->pause ? " (pause)" : "",
                   ds_cstr(&s));
            ds_destroy(&s);
        }
        ctlop_msg_destroy(&msg);
    }
    ofpbuf_uninit(&wire);
    ofpbuf_uninit(&back);
}

/* Fills a stretch of the stack below the caller's frame with 'pattern',
 * so that a later call whose locals are read uninitialized sees it. */
static void __attribute__((noinline))
scribble_stack(uint8_t pattern)
{
    volatile uint8_t junk[16384];

    for (size_t i = 0; i < sizeof junk; i++) {
        junk[i] = pattern;
    }
}

/* Initializes 'ofpacts' with room for any test's actions, every byte of
 * which is 'pattern', and encodes 'list' into it with the stack below us
 * scribbled with 'pattern' too.  A byte that the encoder does not write
 * keeps 'pattern', so two encodings with different patterns expose it. */
static void
encode_on_garbage(const struct lact_list *list,
                  const struct lact_encode_ctx *ectx, uint8_t pattern,
                  struct ofpbuf *ofpacts)
{
    ofpbuf_init(ofpacts, 65536);
    memset(ofpacts->base, pattern, ofpacts->allocated);
    scribble_stack(pattern);
    lact_list_encode(list, ectx, ofpacts);
}

/* Prints where 'a' and 'b' first differ byte-for-byte, if they do. */
static void
compare_bytes(const struct ofpbuf *a, const struct ofpbuf *b)
{
    const uint8_t *pa = a->data, *pb = b->data;
    size_t n = MIN(a->size, b->size);

    for (size_t i = 0; i < n; i++) {
        if (pa[i] != pb[i]) {
            printf("    encoding bytes differ at offset %"PRIuSIZE
                   " of %"PRIu32"\n", i, a->size);
            return;
        }
    }
    if (a->size != b->size) {
        printf("    encodings differ in size: %"PRIu32" and %"PRIu32"\n",
               a->size, b->size);
    }
}

static void
test_line(struct ctx *c, const char *line, bool ctlops)
{
    struct lact_parse_ctx pctx = {
        .symtab = &c->symtab,
        .dhcp_opts = &c->dhcp,
        .dhcpv6_opts = &c->dhcpv6,
        .ingress = c->ingress,
        .n_tables = c->ingress ? OFTABLE_N_LOG_INGRESS : OFTABLE_N_LOG_EGRESS,
    };
    struct lact_list list = LACT_LIST_INITIALIZER;
    char *prereqs;

    printf("%s\n", line);
    char *error = lact_parse(line, &pctx, &list, &prereqs);
    if (error) {
        printf("    error: %s\n", error);
        free(error);
        return;
    }

    struct ds s = DS_EMPTY_INITIALIZER;
    lact_list_format(&list, &s);
    printf("    formats as %s\n", ds_cstr(&s));
    if (prereqs) {
        printf("    prereqs %s\n", prereqs);
    }

    /* Round trip: the format parses again and formats the same. */
    struct lact_list again = LACT_LIST_INITIALIZER;
    error = lact_parse(ds_cstr(&s), &pctx, &again, NULL);
    if (error) {
        printf("    round trip FAILED: %s\n", error);
        free(error);
    } else {
        struct ds s2 = DS_EMPTY_INITIALIZER;
        lact_list_format(&again, &s2);
        if (strcmp(ds_cstr(&s), ds_cstr(&s2))) {
            printf("    round trip FAILED: %s\n", ds_cstr(&s2));
        }
        ds_destroy(&s2);
    }

    struct id_refs refs = ID_REFS_INITIALIZER;
    struct lact_encode_ctx ectx = {
        .ingress = c->ingress,
        .table = 10,
        .is_switch = c->is_switch,
        .dp_key = 5,
        .cookie = 0xabcd1234,
        .lookup_port = lookup_port,
        .groups = &c->groups,
        .meters = &c->meters,
        .refs = &refs,
        .ctrl_meter_id = NX_CTLR_NO_METER,
    };
    struct ofpbuf ofpacts;
    encode_on_garbage(&list, &ectx, 0xa5, &ofpacts);

    /* Encoding the same actions again gives the same bytes: ovn-controller
     * compares desired and installed flows byte for byte. */
    struct id_refs refs_twice = ID_REFS_INITIALIZER;
    struct ofpbuf twice;
    ectx.refs = &refs_twice;
    encode_on_garbage(&list, &ectx, 0x5a, &twice);
    compare_bytes(&ofpacts, &twice);

    /* The round trip's encoding must be identical too (same ids). */
    struct id_refs refs2 = ID_REFS_INITIALIZER;
    struct ofpbuf ofpacts2;
    ectx.refs = &refs2;
    encode_on_garbage(&again, &ectx, 0xc3, &ofpacts2);
    struct ds e1 = DS_EMPTY_INITIALIZER, e2 = DS_EMPTY_INITIALIZER;
    struct ofpact_format_params fp1 = { .s = &e1 }, fp2 = { .s = &e2 };
    ofpacts_format(ofpacts.data, ofpacts.size, &fp1);
    ofpacts_format(ofpacts2.data, ofpacts2.size, &fp2);
    if (strcmp(ds_cstr(&e1), ds_cstr(&e2))) {
        printf("    round trip encodes differently: %s\n", ds_cstr(&e2));
    }
    ds_destroy(&e1);
    ds_destroy(&e2);

    if (ctlops) {
        print_ctlops(&ofpacts);
    } else {
        print_ofpacts("encodes as ", &ofpacts);
        for (size_t i = 0; i < refs.n; i++) {
            const struct id_table_entry *e
                = id_table_find(refs.refs[i].table, refs.refs[i].id);
            printf("    uses %s %"PRIu32": %s\n",
                   refs.refs[i].table == &c->groups ? "group" : "meter",
                   e->id, e->desc);
        }
    }
    id_refs_release(&refs);
    id_refs_release(&refs_twice);
    id_refs_release(&refs2);
    ofpbuf_uninit(&ofpacts);
    ofpbuf_uninit(&twice);
    ofpbuf_uninit(&ofpacts2);
    lact_list_destroy(&again);
    lact_list_destroy(&list);
    ds_destroy(&s);
    free(prereqs);
}

static int
cmd_parse(bool ctlops)
{
    struct ctx c;
    struct ds line = DS_EMPTY_INITIALIZER;

    ctx_init(&c);
    while (!ds_get_line(&line, stdin)) {
        const char *l = ds_cstr(&line);
        if (!l[0]) {
            continue;
        } else if (l[0] == '@') {
            c.is_switch = strstr(l, "router") ? false
                          : strstr(l, "switch") ? true : c.is_switch;
            c.ingress = strstr(l, "egress") ? false
                        : strstr(l, "ingress") ? true : c.ingress;
            continue;
        }
        test_line(&c, l, ctlops);
    }
    if (id_table_count(&c.groups) || id_table_count(&c.meters)) {
        printf("LEAK: ids still referenced\n");
    }
    ds_destroy(&line);
    ctx_destroy(&c);
    return 0;
}

static int
cmd_id_table(void)
{
    struct id_table t;
    struct ds line = DS_EMPTY_INITIALIZER;
    id_table_init(&t, 1, 3);

    while (!ds_get_line(&line, stdin)) {
        const char *l = ds_cstr(&line);
        unsigned int id;
        if (!strncmp(l, "ref ", 4)) {
            printf("ref %s -> %"PRIu32"\n", l + 4, id_table_ref(&t, l + 4));
        } else if (sscanf(l, "unref %u", &id) == 1) {
            printf("unref %u -> %s\n", id,
                   id_table_unref(&t, id) ? "freed" : "kept");
        } else if (!strcmp(l, "count")) {
            printf("count %"PRIuSIZE"\n", id_table_count(&t));
        } else if (!strcmp(l, "dump")) {
            for (uint32_t i = 0; i < 10; i++) {
                const struct id_table_entry *e = id_table_find(&t, i);
                if (e) {
                    printf("  %"PRIu32" refs=%"PRIuSIZE" %s\n", e->id,
                           e->refs, e->desc);
                }
            }
        }
    }
    ds_destroy(&line);
    id_table_destroy(&t);
    return 0;
}

static int
cmd_nest(int n)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    for (int i = 0; i < n; i++) {
        ds_put_cstr(&s, "clone { ");
    }
    ds_put_cstr(&s, "output; ");
    for (int i = 0; i < n; i++) {
        ds_put_cstr(&s, "}; ");
    }

    struct ctx c;
    ctx_init(&c);
    struct lact_parse_ctx pctx = { .symtab = &c.symtab, .ingress = true };
    struct lact_list list = LACT_LIST_INITIALIZER;
    char *error = lact_parse(ds_cstr(&s), &pctx, &list, NULL);
    printf("depth %d: %s\n", n, error ? error : "ok");
    free(error);
    lact_list_destroy(&list);
    ctx_destroy(&c);
    ds_destroy(&s);
    return 0;
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
    if (argc < 2) {
        ovs_fatal(0, "usage: %s parse|ctlop|id-table|nest N|classes",
                  argv[0]);
    }
    if (!strcmp(argv[1], "parse")) {
        return cmd_parse(false);
    } else if (!strcmp(argv[1], "ctlop")) {
        return cmd_parse(true);
    } else if (!strcmp(argv[1], "id-table")) {
        return cmd_id_table();
    } else if (!strcmp(argv[1], "nest") && argc > 2) {
        return cmd_nest(atoi(argv[2]));
    } else if (!strcmp(argv[1], "classes")) {
        for (int i = 0; i < LACT_N_TYPES; i++) {
            printf("%s\n", lact_type_name(i));
        }
        return 0;
    }
    ovs_fatal(0, "unknown command %s", argv[1]);
}
