/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Unit driver for the desired flow tables (controller/flow-table.c).
 *
 * Reads a script from stdin, one command per line ('#' starts a comment,
 * blank lines are skipped).  Two tables exist, 1 and 2; commands act on
 * the current one (1 at the start).  OWNER is a UUID or a small number N,
 * which stands for the UUID 0000000N-0000-0000-0000-000000000000 (N in hex).
 *
 *   use 1|2                  makes table 1 or 2 the current one
 *   gen N                    flow_table_set_gen()
 *   add OWNER FLOW           flow_table_add(); FLOW is in ovs-ofctl syntax
 *                            ("table=T,priority=P,cookie=C,MATCH
 *                            actions=A")
 *   remove OWNER             flow_table_remove_owner()
 *   begin [OWNER]            flow_table_begin() (no OWNER: all)
 *   end [OWNER]              flow_table_end()
 *   clear                    flow_table_clear()
 *   group ID DESC...         flow_table_add_group()
 *   del-group ID             flow_table_remove_group()
 *   meter ID DESC...         flow_table_add_meter()
 *   del-meter ID             flow_table_remove_meter()
 *   dump [TABLE]             flow_table_format()
 *   dirty                    prints the dirty keys (sorted; "(gone)" for
 *                            a key left without contribution), groups and
 *                            meters, then clears the marks
 *   counts                   prints count, contributions and conflicts
 *   owner OWNER              prints has_owner and owner_gen
 *   compare                  flow_table_compare(table 1, table 2)
 *   bench N K                times adding N flows for N/10 owners, then
 *                            replacing K owners' flows by begin/end,
 *                            removing K owners, and clear_dirty (figures
 *                            on stderr; prints the counts)
 */

#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controller/flow-table.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "byte-order.h"
#include "flow.h"
#include "openflow/openflow.h"
#include "openvswitch/ofp-port.h"
#include "timeval.h"
#include "tests/test-util.h"
#include "util.h"
#include "uuid.h"

/* The state of a script. */
struct script {
    struct flow_table tables[2];
    struct flow_table *cur;     /* One of 'tables'. */
    int lineno;
};

static void
do_add(struct script *sc, const char *owner_s, const char *flow_s)
{
    struct ofputil_flow_mod fm;
    enum ofputil_protocol usable;
    struct uuid owner;
    char *error;

    if (!test_parse_owner(owner_s, &owner)) {
        printf("line %d: bad owner %s\n", sc->lineno, owner_s);
        return;
    }
    error = parse_ofp_flow_mod_str(&fm, flow_s, NULL, NULL, OFPFC_ADD,
                                   &usable);
    if (error) {
        printf("line %d: %s\n", sc->lineno, error);
        free(error);
        return;
    }

    struct match match;
    minimatch_expand(&fm.match, &match);
    flow_table_add(sc->cur, &owner, fm.table_id == 0xff ? 0 : fm.table_id,
                   fm.priority, ntohll(fm.new_cookie), &match,
                   fm.ofpacts, fm.ofpacts_len);
    minimatch_destroy(&fm.match);
    free(fm.ofpacts);
}

static int
cmp_strings(const void *a_, const void *b_)
{
    const char *const *a = a_, *const *b = b_;

    return strcmp(*a, *b);
}

static void
do_dirty(struct script *sc)
{
    struct flow_table *t = sc->cur;
    struct ft_flow *flow;
    char **lines = NULL;
    size_t n = 0, allocated = 0;

    FLOW_TABLE_FOR_EACH_DIRTY (flow, t) {
        struct ds s = DS_EMPTY_INITIALIZER;

        ft_format_key(flow->table_id, flow->priority, &flow->match, &s);
        if (ovs_list_is_empty(&flow->contribs)) {
            ds_put_cstr(&s, " (gone)");
        }
        if (n >= allocated) {
            lines = x2nrealloc(lines, &allocated, sizeof *lines);
        }
        lines[n++] = ds_steal_cstr(&s);
    }
    qsort(lines, n, sizeof *lines, cmp_strings);
    for (size_t i = 0; i < n; i++) {
        printf("dirty flow %s\n", lines[i]);
        free(lines[i]);
    }
    free(lines);

    struct ft_id_desc *d;
    LIST_FOR_EACH (d, dirty_node, &t->dirty_groups) {
        printf("dirty group %"PRIu32"%s\n", d->id, d->desc ? "" : " (gone)");
    }
    LIST_FOR_EACH (d, dirty_node, &t->dirty_meters) {
        printf("dirty meter %"PRIu32"%s\n", d->id, d->desc ? "" : " (gone)");
    }
    flow_table_clear_dirty(t);
}

static void
do_owner(struct script *sc, const char *owner_s)
{
    struct uuid owner;

    if (!test_parse_owner(owner_s, &owner)) {
        printf("line %d: bad owner %s\n", sc->lineno, owner_s);
        return;
    }
    printf("owner %s: %s, gen %"PRIu64"\n", owner_s,
           flow_table_has_owner(sc->cur, &owner) ? "present" : "absent",
           flow_table_owner_gen(sc->cur, &owner));
}

static void
do_bench(struct script *sc, int n, int k)
{
    struct flow_table *t = sc->cur;
    uint64_t ofpacts_stub[64 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(ofpacts_stub);
    long long int start;
    struct match match;
    struct uuid owner;
    int n_owners = MAX(n / 10, 1);

    ofpact_put_OUTPUT(&ofpacts)->port = u16_to_ofp(1);
    uuid_zero(&owner);

    start = time_msec();
    for (int i = 0; i < n; i++) {
        match_init_catchall(&match);
        match_set_reg(&match, 0, i);
        match_set_metadata(&match, htonll(i % 97));
        owner.parts[0] = i % n_owners;
        flow_table_add(t, &owner, 10, 100, i, &match, ofpacts.data,
                       ofpacts.size);
    }
    fprintf(stderr, "add %d flows: %lld ms\n", n, time_msec() - start);
    start = time_msec();
    flow_table_clear_dirty(t);
    fprintf(stderr, "clear_dirty: %lld ms\n", time_msec() - start);

    start = time_msec();
    for (int o = 0; o < k && o < n_owners; o++) {
        owner.parts[0] = o;
        flow_table_begin(t, &owner);
        for (int i = o; i < n; i += n_owners) {
            match_init_catchall(&match);
            match_set_reg(&match, 0, i);
            match_set_metadata(&match, htonll(i % 97));
            flow_table_add(t, &owner, 10, 100, i, &match, ofpacts.data,
                           ofpacts.size);
        }
        flow_table_end(t, &owner);
    }
    fprintf(stderr, "re-add %d owners unchanged: %lld ms (%"PRIuSIZE
            " dirty)\n", k, time_msec() - start,
            ovs_list_size(&t->dirty_flows));

    start = time_msec();
    for (int o = 0; o < k && o < n_owners; o++) {
        owner.parts[0] = o;
        flow_table_remove_owner(t, &owner);
    }
    fprintf(stderr, "remove %d owners: %lld ms\n", k, time_msec() - start);
    flow_table_clear_dirty(t);
    ofpbuf_uninit(&ofpacts);
    printf("flows %"PRIuSIZE" contribs %"PRIuSIZE"\n",
           flow_table_count(t), flow_table_n_contribs(t));
}

static void
run_command(struct script *sc, char *line)
{
    char *save = NULL;
    char *cmd = strtok_r(line, " \t", &save);
    char *rest = save ? save + strspn(save, " \t") : NULL;
    struct ds out = DS_EMPTY_INITIALIZER;

    if (!cmd) {
        return;
    }
    if (!strcmp(cmd, "use")) {
        sc->cur = &sc->tables[atoi(rest) == 2];
    } else if (!strcmp(cmd, "gen")) {
        flow_table_set_gen(sc->cur, strtoull(rest, NULL, 0));
    } else if (!strcmp(cmd, "add")) {
        char *owner = strtok_r(NULL, " \t", &save);
        do_add(sc, owner ? owner : "", save ? save : "");
    } else if (!strcmp(cmd, "remove") || !strcmp(cmd, "begin")
               || !strcmp(cmd, "end")) {
        struct uuid owner;
        const struct uuid *p = NULL;

        if (rest && *rest) {
            if (!test_parse_owner(rest, &owner)) {
                printf("line %d: bad owner %s\n", sc->lineno, rest);
                return;
            }
            p = &owner;
        }
        if (cmd[0] == 'r') {
            flow_table_remove_owner(sc->cur, p);
        } else if (cmd[0] == 'b') {
            flow_table_begin(sc->cur, p);
        } else {
            flow_table_end(sc->cur, p);
        }
    } else if (!strcmp(cmd, "clear")) {
        flow_table_clear(sc->cur);
    } else if (!strcmp(cmd, "group") || !strcmp(cmd, "meter")) {
        char *id = strtok_r(NULL, " \t", &save);
        uint32_t n = id ? strtoul(id, NULL, 0) : 0;
        const char *desc = save ? save : "";

        if (cmd[0] == 'g') {
            flow_table_add_group(sc->cur, n, desc);
        } else {
            flow_table_add_meter(sc->cur, n, desc);
        }
    } else if (!strcmp(cmd, "del-group")) {
        flow_table_remove_group(sc->cur, strtoul(rest, NULL, 0));
    } else if (!strcmp(cmd, "del-meter")) {
        flow_table_remove_meter(sc->cur, strtoul(rest, NULL, 0));
    } else if (!strcmp(cmd, "dump")) {
        flow_table_format(sc->cur, rest && *rest ? atoi(rest) : -1, &out);
        fputs(ds_cstr(&out), stdout);
    } else if (!strcmp(cmd, "dirty")) {
        do_dirty(sc);
    } else if (!strcmp(cmd, "counts")) {
        printf("flows %"PRIuSIZE" contribs %"PRIuSIZE" conflicts %"
               PRIuSIZE"\n", flow_table_count(sc->cur),
               flow_table_n_contribs(sc->cur),
               flow_table_n_conflicts(sc->cur));
    } else if (!strcmp(cmd, "owner")) {
        do_owner(sc, rest ? rest : "");
    } else if (!strcmp(cmd, "compare")) {
        char *diff = flow_table_compare(&sc->tables[0], &sc->tables[1]);
        printf("%s\n", diff ? diff : "same");
        free(diff);
    } else if (!strcmp(cmd, "bench")) {
        int n = 0, k = 0;
        if (sscanf(rest ? rest : "", "%d %d", &n, &k) == 2) {
            do_bench(sc, n, k);
        }
    } else {
        printf("line %d: unknown command %s\n", sc->lineno, cmd);
    }
    ds_destroy(&out);
}

int
main(int argc OVS_UNUSED, char *argv[])
{
    struct script sc;
    char line[4096];

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_WARN);
    flow_table_init(&sc.tables[0]);
    flow_table_init(&sc.tables[1]);
    sc.cur = &sc.tables[0];
    sc.lineno = 0;

    while (fgets(line, sizeof line, stdin)) {
        char *hash = strchr(line, '#');

        sc.lineno++;
        if (hash) {
            *hash = '\0';
        }
        line[strcspn(line, "\n")] = '\0';
        run_command(&sc, line);
    }

    flow_table_destroy(&sc.tables[0]);
    flow_table_destroy(&sc.tables[1]);
    return 0;
}
