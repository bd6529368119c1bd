/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Fuzz target for the action parser, formatter and encoder (lib/actions.h).
 *
 * The input is the text of a Logical_Flow "actions" column.  Template
 * variables (^vip, ^vport, ^backends) are expanded first, as the daemon
 * does; then the text is parsed for the ingress and for the egress
 * pipeline.  For each successful parse the target checks that:
 *
 *   - the canonical format parses again and formats the same;
 *   - the prerequisites the parser returns are a valid match expression;
 *   - encoding twice, into buffers pre-filled with different garbage,
 *     gives the same bytes (group and meter ids are reused for identical
 *     descriptions), and releasing the ids the flow took empties the id
 *     tables;
 *   - the OpenFlow actions survive a round trip through OpenFlow 1.5.
 *
 * Any failed check aborts (see fuzz.h). */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lib/actions.h"
#include "lib/expr.h"
#include "lib/id-table.h"
#include "lib/lex.h"
#include "lib/symtab.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovn/of-tables.h"
#include "smap.h"
#include "util.h"

/* What every input is compiled with. */
struct fuzz_actions_ctx {
    struct shash symtab;
    struct shash dhcp_opts, dhcpv6_opts;
    struct smap templates;
    struct id_table groups, meters;
};

/* Returns the context, made on first use.  libFuzzer's entry point takes
 * no argument, so this one function-local pointer is the target's only
 * state; it is never freed (it stays reachable, so LeakSanitizer does not
 * report it). */
static struct fuzz_actions_ctx *
ctx_get(void)
{
    static struct fuzz_actions_ctx *ctx;

    if (!ctx) {
        ctx = xzalloc(sizeof *ctx);
        vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
        shash_init(&ctx->symtab);
        symtab_init(&ctx->symtab);
        shash_init(&ctx->dhcp_opts);
        shash_init(&ctx->dhcpv6_opts);
        lact_opt_defs_add_defaults(&ctx->dhcp_opts, &ctx->dhcpv6_opts);
        smap_init(&ctx->templates);
        smap_add(&ctx->templates, "vip", "10.1.0.210");
        smap_add(&ctx->templates, "vport", "8080");
        smap_add(&ctx->templates, "backends", "10.1.0.12:80");
        id_table_init(&ctx->groups, 1, 1 << 16);
        id_table_init(&ctx->meters, 1, 1 << 16);
    }
    return ctx;
}

static void
encode(struct fuzz_actions_ctx *ctx, const struct lact_list *list,
       bool ingress, struct id_refs *refs, struct ofpbuf *ofpacts)
{
    struct lact_encode_ctx ectx = {
        .ingress = ingress,
        .table = 3,
        .is_switch = ingress,
        .dp_key = 7,
        .cookie = 0x12345678,
        .lookup_port = fuzz_lookup_port,
        .groups = &ctx->groups,
        .meters = &ctx->meters,
        .refs = refs,
        .ctrl_meter_id = NX_CTLR_NO_METER,
    };
    lact_list_encode(list, &ectx, ofpacts);
}

/* Initializes 'b' with every byte of its room set to 'pattern', so that a
 * byte the encoder leaves unwritten shows as a difference between two
 * encodings into buffers of different patterns. */
static void
garbage_ofpbuf_init(struct ofpbuf *b, uint8_t pattern)
{
    ofpbuf_init(b, 4096);
    memset(b->base, pattern, b->allocated);
}

/* Checks that 'a' and 'b' are the same actions, byte for byte: the daemon
 * compares desired and installed flows that way, so padding left
 * uninitialized would look like a change where there is none. */
static void
check_same_ofpacts(const struct ofpbuf *a, const struct ofpbuf *b,
                   const char *input)
{
    struct ds sa = DS_EMPTY_INITIALIZER, sb = DS_EMPTY_INITIALIZER;
    struct ofpact_format_params fa = { .s = &sa }, fb = { .s = &sb };

    ofpacts_format(a->data, a->size, &fa);
    ofpacts_format(b->data, b->size, &fb);
    if (strcmp(ds_cstr(&sa), ds_cstr(&sb))) {
        fuzz_check_failed(input, "two encodings differ: %s and %s",
                          ds_cstr(&sa), ds_cstr(&sb));
    }
    if (a->size != b->size || memcmp(a->data, b->data, a->size)) {
        fuzz_check_failed(input, "two encodings differ in their bytes: %s",
                          ds_cstr(&sa));
    }
    ds_destroy(&sa);
    ds_destroy(&sb);
}

static void
check_encoding(struct fuzz_actions_ctx *ctx, const struct lact_list *list,
               bool ingress, const char *input)
{
    struct id_refs refs1 = ID_REFS_INITIALIZER, refs2 = ID_REFS_INITIALIZER;
    struct ofpbuf a, b;

    garbage_ofpbuf_init(&a, 0xa5);
    garbage_ofpbuf_init(&b, 0x5a);
    encode(ctx, list, ingress, &refs1, &a);
    encode(ctx, list, ingress, &refs2, &b);
    check_same_ofpacts(&a, &b, input);
    id_refs_release(&refs1);
    id_refs_release(&refs2);
    if (id_table_count(&ctx->groups) || id_table_count(&ctx->meters)) {
        fuzz_check_failed(input, "ids left after release (%"PRIuSIZE
                          " groups, %"PRIuSIZE" meters)",
                          id_table_count(&ctx->groups),
                          id_table_count(&ctx->meters));
    }

    if (a.size) {
        struct ofpbuf wire, back;

        ofpbuf_init(&wire, 0);
        ofpbuf_init(&back, 0);
        ofpacts_put_openflow_actions(a.data, a.size, &wire, OFP15_VERSION);
        enum ofperr err = ofpacts_pull_openflow_actions(&wire, wire.size,
                                                        OFP15_VERSION, NULL,
                                                        NULL, &back);
        if (err) {
            fuzz_check_failed(input, "OpenFlow 1.5 round trip: %s",
                              ofperr_to_string(err));
        }
        ofpbuf_uninit(&wire);
        ofpbuf_uninit(&back);
    }
    ofpbuf_uninit(&a);
    ofpbuf_uninit(&b);
}

static void
check_prereqs(struct fuzz_actions_ctx *ctx, const char *prereqs,
              const char *input)
{
    struct expr_parse_ctx pctx = { .symtab = &ctx->symtab };
    char *error;
    struct expr *e = expr_parse_string(prereqs, &pctx, &error);

    if (!e) {
        fuzz_check_failed(input, "prerequisites \"%s\" do not parse: %s",
                          prereqs, error);
    }
    expr_destroy(e);
}

/* Parses 's' for one pipeline and checks the result.  Returns NULL or the
 * parse error. */
static char *
run_pipeline(struct fuzz_actions_ctx *ctx, const char *s, bool ingress,
             const char *input)
{
    struct lact_parse_ctx pctx = {
        .symtab = &ctx->symtab,
        .dhcp_opts = &ctx->dhcp_opts,
        .dhcpv6_opts = &ctx->dhcpv6_opts,
        .ingress = ingress,
        .n_tables = ingress ? OFTABLE_N_LOG_INGRESS : OFTABLE_N_LOG_EGRESS,
    };
    struct lact_list list = LACT_LIST_INITIALIZER;
    char *prereqs;
    char *error = lact_parse(s, &pctx, &list, &prereqs);
    if (error) {
        return error;
    }

    struct ds f1 = DS_EMPTY_INITIALIZER, f2 = DS_EMPTY_INITIALIZER;
    struct lact_list again = LACT_LIST_INITIALIZER;
    lact_list_format(&list, &f1);
    error = lact_parse(ds_cstr(&f1), &pctx, &again, NULL);
    if (error) {
        fuzz_check_failed(input, "format \"%s\" does not parse: %s",
                          ds_cstr(&f1), error);
    }
    lact_list_format(&again, &f2);
    if (strcmp(ds_cstr(&f1), ds_cstr(&f2))) {
        fuzz_check_failed(input, "format \"%s\" formats again as \"%s\"",
                          ds_cstr(&f1), ds_cstr(&f2));
    }
    if (prereqs) {
        check_prereqs(ctx, prereqs, input);
    }
    check_encoding(ctx, &list, ingress, input);

    ds_destroy(&f1);
    ds_destroy(&f2);
    lact_list_destroy(&again);
    lact_list_destroy(&list);
    free(prereqs);
    return NULL;
}

char *
fuzz_run(const uint8_t *data, size_t size)
{
    struct fuzz_actions_ctx *ctx = ctx_get();
    char *input = xmemdup0((const char *) data, size);
    char *expanded, *error;

    error = lex_template_expand(input, &ctx->templates, &expanded);
    if (!error) {
        char *egress_error;

        error = run_pipeline(ctx, expanded, true, input);
        egress_error = run_pipeline(ctx, expanded, false, input);
        if (error && !egress_error) {
            free(error);
            error = NULL;
        } else {
            free(egress_error);
        }
        free(expanded);
    }
    free(input);
    return error;
}
