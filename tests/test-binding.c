/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Unit driver for the binding modules: ct-zones, local-datapaths, binding.
 *
 * Usage: test-binding ct-zones|closure|decide < SCRIPT
 *
 * Each sub-command reads a script of one command per line from standard
 * input ('#' starts a comment) and prints what the module computed, so
 * tests/binding-unit.at can hold golden input/output pairs.
 *
 * ct-zones:
 *   saved KEY=VALUE...    the bridge's external_ids (ct-zone-NAME=ZONE
 *                         keys are the saved map; others are ignored)
 *   pin NAME=ZONE...      pins (replaces all pins; "pin" alone clears)
 *   names NAME...         the names that want a zone (replaces the set)
 *   update                runs ct_zones_update() and prints the result
 *   commit                makes the current assignment the saved map
 *                         (what the daemon writes to the bridge)
 *   check                 recomputes from scratch with the current
 *                         assignment as the saved map and compares (the
 *                         fixed point that makes zones stable)
 *   diff KEY=VALUE...     prints the external_ids changes against these
 *
 * closure:
 *   link A B / unlink A B  adds or removes a patch link
 *   seeds A...            computes the closure of these seeds
 *   grow A                grows the last closure from A
 *
 * decide:
 *   chassis NAME [HOSTNAME]
 *   encap-ips IP...       local encap IPs, default first
 *   encap-types TYPE...   geneve and/or vxlan
 *   iface NAME ID OFPORT [encap-ip=IP] [installed]
 *   port LPORT [type=T] [parent=P] [tag] [requested=R] [additional=A,..]
 *        [l3gw=C] [l2gw=C] [gw=C:PRIO[:down],...]
 *   run                   decides every port and prints the decisions
 *   states                prints the status state for every combination
 *                         of facts
 */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "controller/binding.h"
#include "controller/ct-zones.h"
#include "controller/local-datapaths.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "packets.h"
#include "simap.h"
#include "smap.h"
#include "sset.h"
#include "svec.h"
#include "util.h"
#include "uuid.h"

/* Splits 'line' into words in 'words' (cleared first). */
static void
split_words(const char *line, struct svec *words)
{
    char *copy = xstrdup(line);
    char *save = NULL;

    svec_clear(words);
    for (char *w = strtok_r(copy, " \t\n", &save); w;
         w = strtok_r(NULL, " \t\n", &save)) {
        if (w[0] == '#') {
            break;
        }
        svec_add(words, w);
    }
    free(copy);
}

/* Parses "KEY=VALUE" words from index 1 of 'words' into 'map'. */
static void
parse_key_values(const struct svec *words, struct smap *map)
{
    for (size_t i = 1; i < words->n; i++) {
        char *copy = xstrdup(words->names[i]);
        char *eq = strchr(copy, '=');

        if (eq) {
            *eq = '\0';
            smap_replace(map, copy, eq + 1);
        }
        free(copy);
    }
}

static void
print_errors(struct svec *errors)
{
    for (size_t i = 0; i < errors->n; i++) {
        printf("error: %s\n", errors->names[i]);
    }
    svec_clear(errors);
}

static void
print_zones(const struct ct_zones *cz)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    ct_zones_format(cz, &s);
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
}

static void
ct_zones_diff_cmd(const struct ct_zones *cz, const struct svec *words)
{
    struct smap ids = SMAP_INITIALIZER(&ids);
    struct smap to_set = SMAP_INITIALIZER(&to_set);
    struct sset to_remove = SSET_INITIALIZER(&to_remove);

    parse_key_values(words, &ids);
    ct_zones_external_ids_diff(cz, &ids, &to_set, &to_remove);

    const struct smap_node **sorted = smap_sort(&to_set);
    for (size_t i = 0; i < smap_count(&to_set); i++) {
        printf("set %s=%s\n", sorted[i]->key, sorted[i]->value);
    }
    free(sorted);
    const char **rm = sset_sort(&to_remove);
    for (size_t i = 0; i < sset_count(&to_remove); i++) {
        printf("remove %s\n", rm[i]);
    }
    free(rm);
    smap_destroy(&ids);
    smap_destroy(&to_set);
    sset_destroy(&to_remove);
}

static void
ct_zones_check_cmd(const struct ct_zones *cz, const struct sset *names,
                   const struct simap *pins)
{
    struct ct_zones fresh;
    struct svec errors = SVEC_EMPTY_INITIALIZER;

    ct_zones_init(&fresh);
    ct_zones_update(&fresh, names, pins, &cz->zones, &errors);
    char *diff = ct_zones_diff(cz, &fresh);
    printf("check: %s\n", diff ? diff : "consistent");
    free(diff);
    ct_zones_destroy(&fresh);
    svec_destroy(&errors);
}

static void
do_ct_zones(void)
{
    struct ct_zones cz;
    struct simap saved = SIMAP_INITIALIZER(&saved);
    struct simap pins = SIMAP_INITIALIZER(&pins);
    struct sset names = SSET_INITIALIZER(&names);
    struct svec words = SVEC_EMPTY_INITIALIZER;
    struct svec errors = SVEC_EMPTY_INITIALIZER;
    struct ds line = DS_EMPTY_INITIALIZER;

    ct_zones_init(&cz);
    while (!ds_get_line(&line, stdin)) {
        split_words(ds_cstr(&line), &words);
        if (!words.n) {
            continue;
        }
        const char *cmd = words.names[0];
        if (!strcmp(cmd, "saved")) {
            struct smap ids = SMAP_INITIALIZER(&ids);

            parse_key_values(&words, &ids);
            simap_clear(&saved);
            ct_zones_parse_saved(&ids, &saved, &errors);
            print_errors(&errors);
            smap_destroy(&ids);
        } else if (!strcmp(cmd, "pin")) {
            struct smap ids = SMAP_INITIALIZER(&ids);
            const struct smap_node **sorted;

            parse_key_values(&words, &ids);
            simap_clear(&pins);
            sorted = smap_sort(&ids);
            for (size_t i = 0; i < smap_count(&ids); i++) {
                ct_zones_add_pin(&pins, sorted[i]->key, sorted[i]->value,
                                 &errors);
            }
            free(sorted);
            print_errors(&errors);
            smap_destroy(&ids);
        } else if (!strcmp(cmd, "names")) {
            sset_clear(&names);
            for (size_t i = 1; i < words.n; i++) {
                sset_add(&names, words.names[i]);
            }
        } else if (!strcmp(cmd, "update")) {
            bool changed = ct_zones_update(&cz, &names, &pins, &saved,
                                           &errors);
            printf("%s\n", changed ? "changed" : "unchanged");
            print_errors(&errors);
            print_zones(&cz);
        } else if (!strcmp(cmd, "commit")) {
            struct simap_node *node;

            simap_clear(&saved);
            SIMAP_FOR_EACH (node, &cz.zones) {
                simap_put(&saved, node->name, node->data);
            }
        } else if (!strcmp(cmd, "check")) {
            ct_zones_check_cmd(&cz, &names, &pins);
        } else if (!strcmp(cmd, "diff")) {
            ct_zones_diff_cmd(&cz, &words);
        } else {
            ovs_fatal(0, "unknown command %s", cmd);
        }
    }
    ct_zones_destroy(&cz);
    simap_destroy(&saved);
    simap_destroy(&pins);
    sset_destroy(&names);
    svec_destroy(&words);
    svec_destroy(&errors);
    ds_destroy(&line);
}

/* Maps short datapath names to UUIDs and back for the closure script. */
struct dp_names {
    struct shash by_name;       /* Name -> struct uuid *. */
};

static const struct uuid *
dp_uuid(struct dp_names *dn, const char *name)
{
    struct uuid *u = shash_find_data(&dn->by_name, name);

    if (!u) {
        u = xzalloc(sizeof *u);
        u->parts[0] = shash_count(&dn->by_name) + 1;
        shash_add(&dn->by_name, name, u);
    }
    return u;
}

static void
print_dp_set(const struct dp_names *dn, const char *label,
             const struct uuidset *set)
{
    const struct shash_node **sorted = shash_sort(&dn->by_name);

    printf("%s:", label);
    for (size_t i = 0; i < shash_count(&dn->by_name); i++) {
        if (uuidset_contains(set, sorted[i]->data)) {
            printf(" %s", sorted[i]->name);
        }
    }
    printf("\n");
    free(sorted);
}

static void
do_closure(void)
{
    struct dp_names dn;
    struct ld_graph g;
    struct uuidset local = UUIDSET_INITIALIZER(&local);
    struct svec words = SVEC_EMPTY_INITIALIZER;
    struct ds line = DS_EMPTY_INITIALIZER;

    shash_init(&dn.by_name);
    ld_graph_init(&g);
    while (!ds_get_line(&line, stdin)) {
        split_words(ds_cstr(&line), &words);
        if (!words.n) {
            continue;
        }
        const char *cmd = words.names[0];
        if (!strcmp(cmd, "link") && words.n == 3) {
            ld_graph_add_link(&g, dp_uuid(&dn, words.names[1]),
                              dp_uuid(&dn, words.names[2]));
        } else if (!strcmp(cmd, "unlink") && words.n == 3) {
            bool gone = ld_graph_remove_link(&g,
                                             dp_uuid(&dn, words.names[1]),
                                             dp_uuid(&dn, words.names[2]));
            printf("unlink %s %s: %s\n", words.names[1], words.names[2],
                   gone ? "disjoint" : "still linked");
        } else if (!strcmp(cmd, "seeds")) {
            struct uuidset seeds = UUIDSET_INITIALIZER(&seeds);
            for (size_t i = 1; i < words.n; i++) {
                uuidset_insert(&seeds, dp_uuid(&dn, words.names[i]));
            }
            local_datapaths_compute(&g, &seeds, &local);
            print_dp_set(&dn, "local", &local);
            uuidset_destroy(&seeds);
        } else if (!strcmp(cmd, "grow") && words.n == 2) {
            struct uuidset added = UUIDSET_INITIALIZER(&added);
            size_t n = local_datapaths_grow(&g, dp_uuid(&dn, words.names[1]),
                                            &local, &added);
            printf("grew by %"PRIuSIZE"\n", n);
            print_dp_set(&dn, "added", &added);
            print_dp_set(&dn, "local", &local);
            uuidset_destroy(&added);
        } else {
            ovs_fatal(0, "bad command %s", ds_cstr(&line));
        }
    }
    shash_destroy_free_data(&dn.by_name);
    ld_graph_destroy(&g);
    uuidset_destroy(&local);
    svec_destroy(&words);
    ds_destroy(&line);
}

/* The state of a "decide" script. */
struct decide_ctx {
    struct svec chassis;            /* [name, hostname?]. */
    struct chassis_config cfg;
    struct binding_iface *ifaces;
    size_t n_ifaces;
    struct svec strings;            /* Owns every string of ifaces/ports. */
    struct svec port_lines;         /* The "port" lines, parsed at run. */
};

static const char *
keep(struct decide_ctx *ctx, const char *s)
{
    svec_add(&ctx->strings, s);
    return ctx->strings.names[ctx->strings.n - 1];
}

static void
decide_clear_ips(struct chassis_config *cfg)
{
    for (size_t i = 0; i < cfg->n_encap_ips; i++) {
        free(cfg->encap_ips[i].ip);
        free(cfg->encap_ips[i].plane);
    }
    free(cfg->encap_ips);
    cfg->encap_ips = NULL;
    cfg->n_encap_ips = 0;
}

static void
decide_set_ips(struct decide_ctx *ctx, const struct svec *words)
{
    struct chassis_config *cfg = &ctx->cfg;

    decide_clear_ips(cfg);
    cfg->n_encap_ips = words->n - 1;
    cfg->encap_ips = xcalloc(cfg->n_encap_ips + 1, sizeof *cfg->encap_ips);
    for (size_t i = 0; i < cfg->n_encap_ips; i++) {
        struct chassis_encap_ip *e = &cfg->encap_ips[i];
        ovs_be32 ip4;

        e->ip = xstrdup(words->names[i + 1]);
        e->plane = xstrdup("default");
        e->encap_id = i;
        if (ip_parse(e->ip, &ip4)) {
            in6_addr_set_mapped_ipv4(&e->addr, ip4);
        } else if (ipv6_parse(e->ip, &e->addr)) {
            e->is_ipv6 = true;
        } else {
            ovs_fatal(0, "%s: not an IP address", e->ip);
        }
    }
}

static void
decide_add_iface(struct decide_ctx *ctx, const struct svec *words)
{
    struct binding_iface *iface;

    if (words->n < 4) {
        ovs_fatal(0, "iface NAME ID OFPORT [encap-ip=IP] [installed]");
    }
    ctx->ifaces = xrealloc(ctx->ifaces,
                           (ctx->n_ifaces + 1) * sizeof *ctx->ifaces);
    iface = &ctx->ifaces[ctx->n_ifaces++];
    memset(iface, 0, sizeof *iface);
    iface->name = keep(ctx, words->names[1]);
    iface->iface_id = keep(ctx, words->names[2]);
    iface->ofport = atoi(words->names[3]);
    for (size_t i = 4; i < words->n; i++) {
        const char *w = words->names[i];
        if (!strncmp(w, "encap-ip=", 9)) {
            iface->encap_ip = keep(ctx, w + 9);
        } else if (!strcmp(w, "installed")) {
            iface->installed = true;
        }
    }
}

/* A port parsed from a "port" line, with storage for its arrays. */
struct decide_port {
    struct binding_port pb;
    struct svec additional;
    struct binding_ha_member *ha;
    struct svec ha_names;
};

static void
decide_parse_gw(struct decide_port *p, const char *list)
{
    struct svec items = SVEC_EMPTY_INITIALIZER;
    char *copy = xstrdup(list);
    char *save = NULL;

    for (char *t = strtok_r(copy, ",", &save); t;
         t = strtok_r(NULL, ",", &save)) {
        svec_add(&items, t);
    }
    p->ha = xcalloc(items.n + 1, sizeof *p->ha);
    for (size_t i = 0; i < items.n; i++) {
        char *colon = strchr(items.names[i], ':');
        if (colon) {
            *colon = '\0';
            p->ha[i].priority = atoi(colon + 1);
            p->ha[i].down = strstr(colon + 1, ":down") != NULL;
        }
        svec_add(&p->ha_names, items.names[i]);
    }
    for (size_t i = 0; i < items.n; i++) {
        const char *name = p->ha_names.names[i];
        p->ha[i].chassis = strcmp(name, "?") ? name : NULL;
    }
    p->pb.ha = p->ha;
    p->pb.n_ha = items.n;
    svec_destroy(&items);
    free(copy);
}

static void
decide_parse_port(struct decide_ctx *ctx, const char *line,
                  struct decide_port *p)
{
    struct svec w = SVEC_EMPTY_INITIALIZER;

    memset(p, 0, sizeof *p);
    svec_init(&p->additional);
    svec_init(&p->ha_names);
    split_words(line, &w);
    p->pb.logical_port = keep(ctx, w.names[1]);
    p->pb.type = "";
    for (size_t i = 2; i < w.n; i++) {
        const char *x = w.names[i];
        const char *eq = strchr(x, '=');
        const char *v = eq ? keep(ctx, eq + 1) : NULL;

        if (!strncmp(x, "type=", 5)) {
            p->pb.type = v;
        } else if (!strncmp(x, "parent=", 7)) {
            p->pb.parent_port = v;
        } else if (!strcmp(x, "tag")) {
            p->pb.has_tag = true;
        } else if (!strncmp(x, "requested=", 10)) {
            p->pb.requested_chassis = v;
        } else if (!strncmp(x, "additional=", 11)) {
            char *copy = xstrdup(v);
            char *save = NULL;
            for (char *t = strtok_r(copy, ",", &save); t;
                 t = strtok_r(NULL, ",", &save)) {
                svec_add(&p->additional, t);
            }
            free(copy);
        } else if (!strncmp(x, "l3gw=", 5)) {
            p->pb.l3gateway_chassis = v;
        } else if (!strncmp(x, "l2gw=", 5)) {
            p->pb.l2gateway_chassis = v;
        } else if (!strncmp(x, "gw=", 3)) {
            decide_parse_gw(p, v);
        } else {
            ovs_fatal(0, "bad port attribute %s", x);
        }
    }
    p->pb.requested_additional = (const char *const *) p->additional.names;
    p->pb.n_requested_additional = p->additional.n;
    svec_destroy(&w);
}

static void
decide_port_destroy(struct decide_port *p)
{
    svec_destroy(&p->additional);
    svec_destroy(&p->ha_names);
    free(p->ha);
}

/* Returns the VIF for 'lport', as binding_iface_pick() chooses it. */
static const struct binding_iface *
decide_find_iface(const struct decide_ctx *ctx, const char *lport,
                  struct svec *warnings)
{
    const struct binding_iface **match = xcalloc(ctx->n_ifaces + 1,
                                                 sizeof *match);
    const struct binding_iface *best = NULL;
    size_t n = 0;

    for (size_t i = 0; i < ctx->n_ifaces; i++) {
        if (!strcmp(ctx->ifaces[i].iface_id, lport)) {
            match[n++] = &ctx->ifaces[i];
        }
    }
    if (n) {
        best = binding_iface_pick(match, n, warnings);
    }
    free(match);
    return best;
}

static void
decide_print(const struct decide_ctx *ctx, const struct binding_port *pb,
             const struct binding_decision *d)
{
    printf("%s: %s", pb->logical_port, binding_role_name(d->role));
    if (d->iface) {
        printf(" iface=%s", d->iface->name);
    }
    if (binding_role_is_claim(d->role)) {
        struct binding_encap enc;
        const char *pin = (binding_type_is_vif(pb->type) && d->iface
                           ? d->iface->encap_ip : NULL);

        binding_choose_encap(&ctx->cfg, pin, &enc);
        printf(" encap=%s/%s", enc.ip ? enc.ip : "(none)",
               enc.type == CHASSIS_ENCAP_GENEVE ? "geneve" : "vxlan");
        if (enc.bad_pin) {
            printf(" bad-pin=%s", pin ? pin : "");
        }
    }
    printf("\n");
    if (d->why_not) {
        printf("  why: %s\n", d->why_not);
    }
}

static void
decide_run(struct decide_ctx *ctx)
{
    struct binding_chassis ch = {
        .name = ctx->chassis.n ? ctx->chassis.names[0] : "hv1",
        .hostname = ctx->chassis.n > 1 ? ctx->chassis.names[1] : NULL,
    };
    size_t n = ctx->port_lines.n;
    struct decide_port *ports = xcalloc(n + 1, sizeof *ports);
    struct binding_decision *ds = xcalloc(n + 1, sizeof *ds);
    struct svec warnings = SVEC_EMPTY_INITIALIZER;

    for (size_t i = 0; i < n; i++) {
        decide_parse_port(ctx, ctx->port_lines.names[i], &ports[i]);
    }
    /* Two passes: ports without a parent, then container ports. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            const struct binding_port *pb = &ports[i].pb;
            bool is_child = pb->parent_port != NULL;
            enum binding_role prole = BINDING_ROLE_NONE;
            const struct binding_iface *piface = NULL;

            if (is_child != (pass == 1)) {
                continue;
            }
            for (size_t j = 0; is_child && j < n; j++) {
                if (!strcmp(ports[j].pb.logical_port, pb->parent_port)) {
                    prole = ds[j].role;
                    piface = ds[j].iface;
                }
            }
            binding_decide(pb, decide_find_iface(ctx, pb->logical_port,
                                                 &warnings),
                           prole, piface, &ch, &ds[i]);
        }
    }
    for (size_t i = 0; i < n; i++) {
        decide_print(ctx, &ports[i].pb, &ds[i]);
        binding_decision_destroy(&ds[i]);
        decide_port_destroy(&ports[i]);
    }
    for (size_t i = 0; i < warnings.n; i++) {
        printf("warning: %s\n", warnings.names[i]);
    }
    svec_destroy(&warnings);
    free(ports);
    free(ds);
}

/* Prints binding_state_derive() for every combination of facts. */
static void
decide_states(void)
{
    for (int main_ = 1; main_ >= 0; main_--) {
        for (int bits = 0; bits < 16; bits++) {
            struct binding_status_facts f = {
                .claim_committed = bits & 8,
                .flows_installed = bits & 4,
                .pb_up = bits & 2,
                .iface_installed = bits & 1,
            };
            printf("%s committed=%d flows=%d up=%d iface=%d: %s\n",
                   main_ ? "main" : "additional", !!(bits & 8),
                   !!(bits & 4), !!(bits & 2), bits & 1,
                   binding_state_name(binding_state_derive(&f, main_)));
        }
    }
}

static void
do_decide(void)
{
    struct decide_ctx ctx;
    struct svec words = SVEC_EMPTY_INITIALIZER;
    struct ds line = DS_EMPTY_INITIALIZER;

    memset(&ctx, 0, sizeof ctx);
    svec_init(&ctx.chassis);
    svec_init(&ctx.strings);
    svec_init(&ctx.port_lines);
    /* The driver builds the config by hand, so that it tests binding.c
     * alone, without chassis-config.c's parser. */
    memset(&ctx.cfg, 0, sizeof ctx.cfg);
    while (!ds_get_line(&line, stdin)) {
        split_words(ds_cstr(&line), &words);
        if (!words.n) {
            continue;
        }
        const char *cmd = words.names[0];
        if (!strcmp(cmd, "chassis")) {
            svec_clear(&ctx.chassis);
            for (size_t i = 1; i < words.n; i++) {
                svec_add(&ctx.chassis, words.names[i]);
            }
        } else if (!strcmp(cmd, "encap-ips")) {
            decide_set_ips(&ctx, &words);
        } else if (!strcmp(cmd, "encap-types")) {
            memset(ctx.cfg.encap_types, 0, sizeof ctx.cfg.encap_types);
            for (size_t i = 1; i < words.n; i++) {
                const char *t = words.names[i];
                if (strcmp(t, "geneve") && strcmp(t, "vxlan")) {
                    ovs_fatal(0, "%s: unknown encap type", t);
                }
                ctx.cfg.encap_types[!strcmp(t, "geneve")
                                    ? CHASSIS_ENCAP_GENEVE
                                    : CHASSIS_ENCAP_VXLAN] = true;
            }
        } else if (!strcmp(cmd, "iface")) {
            decide_add_iface(&ctx, &words);
        } else if (!strcmp(cmd, "port")) {
            svec_add(&ctx.port_lines, ds_cstr(&line));
        } else if (!strcmp(cmd, "run")) {
            decide_run(&ctx);
        } else if (!strcmp(cmd, "states")) {
            decide_states();
        } else if (!strcmp(cmd, "reset")) {
            free(ctx.ifaces);
            ctx.ifaces = NULL;
            ctx.n_ifaces = 0;
            svec_clear(&ctx.port_lines);
        } else {
            ovs_fatal(0, "unknown command %s", cmd);
        }
    }
    decide_clear_ips(&ctx.cfg);
    free(ctx.ifaces);
    svec_destroy(&ctx.chassis);
    svec_destroy(&ctx.strings);
    svec_destroy(&ctx.port_lines);
    svec_destroy(&words);
    ds_destroy(&line);
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    if (argc != 2) {
        ovs_fatal(0, "usage: %s ct-zones|closure|decide < SCRIPT", argv[0]);
    }
    if (!strcmp(argv[1], "ct-zones")) {
        do_ct_zones();
    } else if (!strcmp(argv[1], "closure")) {
        do_closure();
    } else if (!strcmp(argv[1], "decide")) {
        do_decide();
    } else {
        ovs_fatal(0, "unknown sub-command %s", argv[1]);
    }
    return 0;
}
