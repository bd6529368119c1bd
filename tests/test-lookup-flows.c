/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Unit driver for the flow builders of the chassis's lookup tables:
 * controller/mac-binding-flows.c, fdb-flows.c, lb-hairpin.c and
 * port-sec.c (over chassis-flow.c).
 *
 * Reads a script from stdin, one command per line ('#' starts a comment,
 * blank lines are skipped).  Each command builds one row's flows into a
 * flow table, owned by the UUID 0000000N-0000-0000-0000-000000000000 for
 * the command's line number N (so the cookie is 0xN), and prints the
 * builder's warnings as "warning: MESSAGE".
 *
 *   mac-binding DP PORT PRIO IP MAC       mac_binding_flows_add()
 *   fdb DP PORT MAC                       fdb_flows_add()
 *   port-sec DP PORT ENTRY[; ENTRY...]    port_sec_add_flows(): entries
 *                                         are separated by ';'
 *   lb [label] PROTO DPS ARG...           lb_hairpin_add_flows(): PROTO is
 *                                         tcp, udp, sctp or - (none); DPS
 *                                         the comma-separated local
 *                                         datapath keys; each ARG is
 *                                         VIP=BACKENDS or opt:KEY=VALUE
 *                                         (a ',' in hairpin_snat_ip stands
 *                                         for its space); "label" selects
 *                                         ct_label over ct_mark
 *   dump [TABLE]                          prints the flows (all tables,
 *                                         or TABLE) and empties the table
 */

#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controller/fdb-flows.h"
#include "controller/flow-table.h"
#include "controller/lb-hairpin.h"
#include "controller/mac-binding-flows.h"
#include "controller/port-sec.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "svec.h"
#include "util.h"
#include "uuid.h"

/* Splits the rest of the line at white space into 'words'. */
static void
split_words(char *s, struct svec *words)
{
    char *save = NULL;

    for (char *w = strtok_r(s, " \t", &save); w;
         w = strtok_r(NULL, " \t", &save)) {
        svec_add(words, w);
    }
}

static bool
parse_u32(const char *s, uint32_t *v)
{
    unsigned int u;
    if (!str_to_uint(s, 10, &u)) {
        fprintf(stderr, "bad number \"%s\"\n", s);
        return false;
    }
    *v = u;
    return true;
}

static bool
cmd_mac_binding(const struct svec *w, const struct uuid *owner,
                struct flow_table *flows, struct svec *warnings)
{
    struct mac_binding_entry e = {
        .owner = owner, .table = "MAC_Binding", .lport = "lp",
    };
    uint32_t prio;

    if (w->n != 6 || !parse_u32(w->names[1], &e.dp_key)
        || !parse_u32(w->names[2], &e.port_key)
        || !parse_u32(w->names[3], &prio)) {
        return false;
    }
    e.priority = prio;
    e.ip = w->names[4];
    e.mac = w->names[5];
    mac_binding_flows_add(&e, flows, warnings);
    return true;
}

static bool
cmd_fdb(const struct svec *w, const struct uuid *owner,
        struct flow_table *flows, struct svec *warnings)
{
    uint32_t dp, port;

    if (w->n != 4 || !parse_u32(w->names[1], &dp)
        || !parse_u32(w->names[2], &port)) {
        return false;
    }
    fdb_flows_add(owner, w->names[3], dp, port, flows, warnings);
    return true;
}

static bool
cmd_port_sec(char *rest, const struct uuid *owner,
             struct flow_table *flows, struct svec *warnings)
{
    struct port_sec_port p = { .owner = owner, .lport = "lp" };
    struct svec entries = SVEC_EMPTY_INITIALIZER;
    char *dp_s, *port_s, *save = NULL;
    bool ok = false;

    dp_s = strtok_r(rest, " \t", &save);
    port_s = dp_s ? strtok_r(NULL, " \t", &save) : NULL;
    if (port_s && parse_u32(dp_s, &p.dp_key)
        && parse_u32(port_s, &p.port_key)) {
        char *list = save ? save : (char *) "";
        char *esave = NULL;
        for (char *e = strtok_r(list, ";", &esave); e;
             e = strtok_r(NULL, ";", &esave)) {
            e += strspn(e, " \t");
            size_t len = strlen(e);
            while (len && (e[len - 1] == ' ' || e[len - 1] == '\t')) {
                e[--len] = '\0';
            }
            svec_add(&entries, e);
        }
        p.entries = entries.names;
        p.n_entries = entries.n;
        printf("entries parsed: %"PRIuSIZE"\n",
               port_sec_add_flows(&p, flows, warnings));
        ok = true;
    }
    svec_destroy(&entries);
    return ok;
}

static bool
cmd_lb(const struct svec *w, const struct uuid *owner,
       struct flow_table *flows, struct svec *warnings)
{
    struct smap vips = SMAP_INITIALIZER(&vips);
    struct smap options = SMAP_INITIALIZER(&options);
    uint32_t *keys = NULL;
    size_t n_keys = 0, i = 1;
    bool use_ct_mark = true;
    bool ok = false;

    if (i < w->n && !strcmp(w->names[i], "label")) {
        use_ct_mark = false;
        i++;
    }
    if (i + 2 > w->n) {
        goto out;
    }
    const char *proto = strcmp(w->names[i], "-") ? w->names[i] : NULL;
    char *dps = xstrdup(w->names[i + 1]), *save = NULL;
    for (char *k = strtok_r(dps, ",", &save); k;
         k = strtok_r(NULL, ",", &save)) {
        keys = xrealloc(keys, (n_keys + 1) * sizeof *keys);
        if (!parse_u32(k, &keys[n_keys++])) {
            free(dps);
            goto out;
        }
    }
    free(dps);
    for (i += 2; i < w->n; i++) {
        const char *arg = w->names[i];
        const char *eq = strchr(arg, '=');
        if (!eq) {
            goto out;
        }
        char *key = xmemdup0(arg, eq - arg);
        if (!strncmp(key, "opt:", 4)) {
            char *value = xstrdup(eq + 1);
            if (!strcmp(key + 4, "hairpin_snat_ip")) {
                for (char *c = value; *c; c++) {
                    *c = *c == ',' ? ' ' : *c;
                }
            }
            smap_replace(&options, key + 4, value);
            free(value);
        } else {
            smap_replace(&vips, key, eq + 1);
        }
        free(key);
    }
    struct lb_hairpin_lb lb = {
        .uuid = owner, .name = "lb", .vips = &vips, .protocol = proto,
        .options = &options,
    };
    lb_hairpin_add_flows(&lb, keys, n_keys, use_ct_mark, flows, warnings);
    ok = true;
out:
    free(keys);
    smap_destroy(&vips);
    smap_destroy(&options);
    return ok;
}

static bool
cmd_dump(const struct svec *w, struct flow_table *flows)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    int table = -1;

    if (w->n > 2 || (w->n == 2 && !str_to_int(w->names[1], 10, &table))) {
        return false;
    }
    flow_table_format(flows, table, &s);
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    flow_table_clear(flows);
    flow_table_clear_dirty(flows);
    return true;
}

/* Runs one command line; returns false on a usage error. */
static bool
run_line(char *line, int lineno, struct flow_table *flows)
{
    struct svec warnings = SVEC_EMPTY_INITIALIZER;
    struct svec words = SVEC_EMPTY_INITIALIZER;
    struct uuid owner;
    char *copy = xstrdup(line);
    char *cmd, *rest, *save = NULL;
    bool ok;

    uuid_zero(&owner);
    owner.parts[0] = lineno;
    cmd = strtok_r(line, " \t", &save);
    rest = save ? save : (char *) "";
    split_words(copy, &words);
    if (!strcmp(cmd, "mac-binding")) {
        ok = cmd_mac_binding(&words, &owner, flows, &warnings);
    } else if (!strcmp(cmd, "fdb")) {
        ok = cmd_fdb(&words, &owner, flows, &warnings);
    } else if (!strcmp(cmd, "port-sec")) {
        ok = cmd_port_sec(rest, &owner, flows, &warnings);
    } else if (!strcmp(cmd, "lb")) {
        ok = cmd_lb(&words, &owner, flows, &warnings);
    } else if (!strcmp(cmd, "dump")) {
        ok = cmd_dump(&words, flows);
    } else {
        ok = false;
    }
    for (size_t i = 0; i < warnings.n; i++) {
        printf("warning: %s\n", warnings.names[i]);
    }
    svec_destroy(&warnings);
    svec_destroy(&words);
    free(copy);
    return ok;
}

int
main(int argc OVS_UNUSED, char *argv[])
{
    struct flow_table flows;
    char line[4096];
    int lineno = 0;
    int status = 0;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
    flow_table_init(&flows);
    while (fgets(line, sizeof line, stdin)) {
        char *hash = strchr(line, '#');
        lineno++;
        if (hash) {
            *hash = '\0';
        }
        line[strcspn(line, "\n")] = '\0';
        if (!line[strspn(line, " \t")]) {
            continue;
        }
        if (!run_line(line, lineno, &flows)) {
            fprintf(stderr, "line %d: bad command\n", lineno);
            status = 1;
        }
    }
    flow_table_destroy(&flows);
    return status;
}
