/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Unit driver for the tunnel mesh (controller/tunnel-mesh.c).
 *
 * Reads a script from stdin, one command per line ('#' starts a comment):
 *
 *   local KEY=VALUE...       the local Open_vSwitch external_ids, parsed
 *                            with chassis_config_parse() (system-id,
 *                            ovn-encap-ip, ovn-encap-type, ...); replaces
 *                            the previous local config
 *   chassis NAME [ZONE...]   adds (or resets) a remote chassis with these
 *                            transport zones
 *   encap NAME TYPE IP [KEY=VALUE...]
 *                            adds an Encap to chassis NAME; KEY=VALUE are
 *                            its options, except chassis_name=X, which sets
 *                            the Encap's chassis_name column
 *   del-encap NAME IP        removes chassis NAME's encaps with IP
 *   del-chassis NAME         removes chassis NAME
 *   compute                  recomputes the mesh and prints it
 *   update NAME              folds the change of chassis NAME into the mesh
 *                            with tunnel_mesh_update_peer() and prints
 *                            "changed", "unchanged" or "refused" (then
 *                            recomputes); then checks the mesh against a
 *                            full recompute and prints "consistent" or the
 *                            difference
 *   show                     prints the mesh as it is
 *   names                    picks a name for every port as the reconciler
 *                            does (key order, next attempt when taken) and
 *                            checks each is at most 15 characters and
 *                            unique; prints the count
 *   name KEY [TAKEN...]      prints the name KEY gets when TAKEN are used
 *   big C N [PLANES]         replaces everything: a local chassis with N
 *                            IPs and C remote chassis with N IPs each (in
 *                            PLANES planes, default 1); computes and prints
 *                            the number of peers, paths and ports
 *   adopt LEGACY-ID [TAKEN-KEY...]
 *                            prints the key of the port a legacy port with
 *                            id LEGACY-ID is adopted as, or "none"
 *   key CHASSIS-ID [TUNNEL-TYPE]
 *                            prints tunnel_mesh_key_from_ids()
 */

#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controller/chassis-config.h"
#include "controller/tunnel-mesh.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "sset.h"
#include "svec.h"
#include "util.h"

/* A remote chassis as the script describes it. */
struct script_encap {
    char *type;
    char *ip;
    char *chassis_name;
    struct smap *options;       /* Separately allocated: the array of
                                 * encaps moves. */
};

struct script_chassis {
    char *name;
    struct svec zones;
    struct script_encap *encaps;
    size_t n_encaps;
};

struct script {
    struct chassis_config cfg;
    struct script_chassis *chassis;
    size_t n_chassis;
    struct tunnel_mesh mesh;
};

static void
script_encap_destroy(struct script_encap *e)
{
    free(e->type);
    free(e->ip);
    free(e->chassis_name);
    smap_destroy(e->options);
    free(e->options);
}

static void
script_chassis_destroy(struct script_chassis *c)
{
    free(c->name);
    svec_destroy(&c->zones);
    for (size_t i = 0; i < c->n_encaps; i++) {
        script_encap_destroy(&c->encaps[i]);
    }
    free(c->encaps);
}

static struct script_chassis *
find_chassis(struct script *s, const char *name)
{
    for (size_t i = 0; i < s->n_chassis; i++) {
        if (!strcmp(s->chassis[i].name, name)) {
            return &s->chassis[i];
        }
    }
    return NULL;
}

static void
del_chassis(struct script *s, const char *name)
{
    struct script_chassis *c = find_chassis(s, name);
    if (c) {
        script_chassis_destroy(c);
        *c = s->chassis[--s->n_chassis];
    }
}

static struct script_chassis *
add_chassis(struct script *s, const char *name)
{
    del_chassis(s, name);
    s->chassis = xrealloc(s->chassis, (s->n_chassis + 1) * sizeof *s->chassis);
    struct script_chassis *c = &s->chassis[s->n_chassis++];
    c->name = xstrdup(name);
    svec_init(&c->zones);
    c->encaps = NULL;
    c->n_encaps = 0;
    return c;
}

static void
add_encap(struct script_chassis *c, const char *type, const char *ip)
{
    c->encaps = xrealloc(c->encaps, (c->n_encaps + 1) * sizeof *c->encaps);
    struct script_encap *e = &c->encaps[c->n_encaps++];
    e->type = xstrdup(type);
    e->ip = xstrdup(ip);
    e->chassis_name = NULL;
    e->options = xmalloc(sizeof *e->options);
    smap_init(e->options);
}

/* Fills 'r' (and its malloc'd encaps array) from 'c'. */
static void
to_remote(const struct script_chassis *c, struct tunnel_mesh_remote *r)
{
    struct tunnel_mesh_remote_encap *encaps
        = xcalloc(c->n_encaps ? c->n_encaps : 1, sizeof *encaps);
    for (size_t i = 0; i < c->n_encaps; i++) {
        encaps[i].type = c->encaps[i].type;
        encaps[i].ip = c->encaps[i].ip;
        encaps[i].chassis_name = c->encaps[i].chassis_name;
        encaps[i].options = c->encaps[i].options;
    }
    r->name = c->name;
    r->transport_zones = c->zones.names;
    r->n_transport_zones = c->zones.n;
    r->encaps = encaps;
    r->n_encaps = c->n_encaps;
}

static void
compute(const struct script *s, struct tunnel_mesh *mesh)
{
    struct tunnel_mesh_remote *remotes
        = xcalloc(s->n_chassis ? s->n_chassis : 1, sizeof *remotes);
    for (size_t i = 0; i < s->n_chassis; i++) {
        to_remote(&s->chassis[i], &remotes[i]);
    }
    tunnel_mesh_compute(mesh, &s->cfg, remotes, s->n_chassis);
    for (size_t i = 0; i < s->n_chassis; i++) {
        free(CONST_CAST(struct tunnel_mesh_remote_encap *,
                        remotes[i].encaps));
    }
    free(remotes);
}

static void
print_mesh(const struct tunnel_mesh *mesh)
{
    struct ds out = DS_EMPTY_INITIALIZER;
    tunnel_mesh_format(mesh, &out);
    fputs(ds_cstr(&out), stdout);
    ds_destroy(&out);
}

static void
cmd_local(struct script *s, char **args, size_t n)
{
    struct smap ids = SMAP_INITIALIZER(&ids);
    struct svec errors = SVEC_EMPTY_INITIALIZER;
    for (size_t i = 0; i < n; i++) {
        char *eq = strchr(args[i], '=');
        if (eq) {
            *eq = '\0';
            smap_replace(&ids, args[i], eq + 1);
        }
    }
    chassis_config_destroy(&s->cfg);
    chassis_config_init(&s->cfg);
    chassis_config_parse(&ids, "test-host", &s->cfg, &errors);
    for (size_t i = 0; i < errors.n; i++) {
        printf("config error: %s\n", errors.names[i]);
    }
    svec_destroy(&errors);
    smap_destroy(&ids);
}

static void
cmd_encap(struct script *s, char **args, size_t n)
{
    struct script_chassis *c = n >= 3 ? find_chassis(s, args[0]) : NULL;
    if (!c) {
        ovs_fatal(0, "encap: unknown chassis or too few arguments");
    }
    add_encap(c, args[1], args[2]);
    struct script_encap *e = &c->encaps[c->n_encaps - 1];
    for (size_t i = 3; i < n; i++) {
        char *eq = strchr(args[i], '=');
        if (!eq) {
            ovs_fatal(0, "encap: %s is not KEY=VALUE", args[i]);
        }
        *eq = '\0';
        if (!strcmp(args[i], "chassis_name")) {
            free(e->chassis_name);
            e->chassis_name = xstrdup(eq + 1);
        } else {
            smap_replace(e->options, args[i], eq + 1);
        }
    }
}

static void
cmd_del_encap(struct script *s, char **args, size_t n)
{
    struct script_chassis *c = n == 2 ? find_chassis(s, args[0]) : NULL;
    if (!c) {
        ovs_fatal(0, "del-encap: unknown chassis");
    }
    for (size_t i = 0; i < c->n_encaps; ) {
        if (!strcmp(c->encaps[i].ip, args[1])) {
            script_encap_destroy(&c->encaps[i]);
            c->encaps[i] = c->encaps[--c->n_encaps];
        } else {
            i++;
        }
    }
}

static void
check_consistent(const struct script *s)
{
    struct tunnel_mesh fresh;
    tunnel_mesh_init(&fresh);
    compute(s, &fresh);
    char *diff = tunnel_mesh_compare(&s->mesh, &fresh);
    if (diff) {
        printf("INCONSISTENT: %s\n", diff);
        free(diff);
    } else {
        printf("consistent\n");
    }
    tunnel_mesh_destroy(&fresh);
}

static void
cmd_update(struct script *s, const char *name)
{
    const struct script_chassis *c = find_chassis(s, name);
    struct tunnel_mesh_remote r;
    bool changed;

    if (c) {
        to_remote(c, &r);
    }
    if (tunnel_mesh_update_peer(&s->mesh, &s->cfg, name, c ? &r : NULL,
                                &changed)) {
        printf("%s\n", changed ? "changed" : "unchanged");
    } else {
        printf("refused\n");
        compute(s, &s->mesh);
    }
    if (c) {
        free(CONST_CAST(struct tunnel_mesh_remote_encap *, r.encaps));
    }
    check_consistent(s);
}

static int
compare_port_keys(const void *a_, const void *b_)
{
    const struct tunnel_mesh_port *const *a = a_;
    const struct tunnel_mesh_port *const *b = b_;
    return strcmp((*a)->key, (*b)->key);
}

/* Picks a name for 'key' that is not in 'taken' and adds it there. */
static const char *
pick_name(const char *key, struct sset *taken)
{
    char name[TUNNEL_MESH_NAME_MAX + 1];
    for (unsigned int attempt = 0; ; attempt++) {
        tunnel_mesh_port_name(key, attempt, name);
        if (!sset_contains(taken, name)) {
            return sset_add(taken, name)->name;
        }
    }
}

static void
cmd_names(const struct script *s)
{
    size_t n = hmap_count(&s->mesh.ports);
    const struct tunnel_mesh_port **ports = xcalloc(n ? n : 1,
                                                    sizeof *ports);
    const struct tunnel_mesh_port *port;
    struct sset taken = SSET_INITIALIZER(&taken);
    size_t i = 0, too_long = 0, retried = 0;

    HMAP_FOR_EACH (port, node, &s->mesh.ports) {
        ports[i++] = port;
    }
    qsort(ports, n, sizeof *ports, compare_port_keys);
    for (i = 0; i < n; i++) {
        char first[TUNNEL_MESH_NAME_MAX + 1];
        const char *name = pick_name(ports[i]->key, &taken);
        tunnel_mesh_port_name(ports[i]->key, 0, first);
        too_long += strlen(name) > TUNNEL_MESH_NAME_MAX;
        retried += strcmp(name, first) != 0;
    }
    printf("names: %"PRIuSIZE" ports, %"PRIuSIZE" unique names, "
           "%"PRIuSIZE" too long, %"PRIuSIZE" retried\n",
           n, sset_count(&taken), too_long, retried);
    sset_destroy(&taken);
    free(ports);
}

static void
cmd_name(char **args, size_t n)
{
    struct sset taken = SSET_INITIALIZER(&taken);
    for (size_t i = 1; i < n; i++) {
        sset_add(&taken, args[i]);
    }
    printf("%s\n", pick_name(args[0], &taken));
    sset_destroy(&taken);
}

static void
clear_chassis(struct script *s)
{
    for (size_t i = 0; i < s->n_chassis; i++) {
        script_chassis_destroy(&s->chassis[i]);
    }
    free(s->chassis);
    s->chassis = NULL;
    s->n_chassis = 0;
}

static void
cmd_big(struct script *s, int c, int n, int planes)
{
    struct ds ips = DS_EMPTY_INITIALIZER;
    char *args[3];

    planes = planes < 1 ? 1 : planes;
    ds_put_cstr(&ips, "ovn-encap-ip=");
    for (int i = 0; i < n; i++) {
        ds_put_format(&ips, "%s10.0.0.%d", i ? "," : "", i + 1);
        if (i % planes) {
            ds_put_format(&ips, ":p%d", i % planes);
        }
    }
    args[0] = xstrdup("system-id=local");
    args[1] = ds_steal_cstr(&ips);
    args[2] = xstrdup("ovn-encap-type=geneve");
    cmd_local(s, args, 3);
    for (int i = 0; i < 3; i++) {
        free(args[i]);
    }

    clear_chassis(s);
    for (int i = 0; i < c; i++) {
        char *name = xasprintf("remote-chassis-%d", i);
        struct script_chassis *sc = add_chassis(s, name);
        for (int j = 0; j < n; j++) {
            char *ip = xasprintf("10.%d.%d.%d", 1 + j, i / 250, i % 250 + 1);
            add_encap(sc, "geneve", ip);
            if (j % planes) {
                smap_add_format(sc->encaps[j].options, "plane", "p%d",
                                j % planes);
            }
            free(ip);
        }
        free(name);
    }
    compute(s, &s->mesh);
    printf("big: %"PRIuSIZE" peers, %"PRIuSIZE" paths, %"PRIuSIZE" ports, "
           "%"PRIuSIZE" skipped\n",
           hmap_count(&s->mesh.peers), hmap_count(&s->mesh.paths),
           hmap_count(&s->mesh.ports), tunnel_mesh_count_skips(&s->mesh));
}

static void
cmd_adopt(const struct script *s, char **args, size_t n)
{
    struct sset taken = SSET_INITIALIZER(&taken);
    for (size_t i = 1; i < n; i++) {
        sset_add(&taken, args[i]);
    }
    const struct tunnel_mesh_port *port
        = tunnel_mesh_adopt_legacy(&s->mesh, args[0], &taken);
    printf("%s\n", port ? port->key : "none");
    sset_destroy(&taken);
}

static void
cmd_key(char **args, size_t n)
{
    char *key = tunnel_mesh_key_from_ids(args[0], n > 1 ? args[1] : NULL);
    printf("%s\n", key ? key : "none");
    free(key);
}

static void
run_command(struct script *s, char **args, size_t n)
{
    const char *cmd = args[0];
    args++;
    n--;
    if (!strcmp(cmd, "local")) {
        cmd_local(s, args, n);
    } else if (!strcmp(cmd, "chassis") && n >= 1) {
        struct script_chassis *c = add_chassis(s, args[0]);
        for (size_t i = 1; i < n; i++) {
            svec_add(&c->zones, args[i]);
        }
    } else if (!strcmp(cmd, "encap")) {
        cmd_encap(s, args, n);
    } else if (!strcmp(cmd, "del-encap")) {
        cmd_del_encap(s, args, n);
    } else if (!strcmp(cmd, "del-chassis") && n == 1) {
        del_chassis(s, args[0]);
    } else if (!strcmp(cmd, "compute")) {
        compute(s, &s->mesh);
        print_mesh(&s->mesh);
    } else if (!strcmp(cmd, "update") && n == 1) {
        cmd_update(s, args[0]);
    } else if (!strcmp(cmd, "show")) {
        print_mesh(&s->mesh);
    } else if (!strcmp(cmd, "names")) {
        cmd_names(s);
    } else if (!strcmp(cmd, "name") && n >= 1) {
        cmd_name(args, n);
    } else if (!strcmp(cmd, "big") && (n == 2 || n == 3)) {
        cmd_big(s, atoi(args[0]), atoi(args[1]), n == 3 ? atoi(args[2]) : 1);
    } else if (!strcmp(cmd, "adopt") && n >= 1) {
        cmd_adopt(s, args, n);
    } else if (!strcmp(cmd, "key") && n >= 1) {
        cmd_key(args, n);
    } else {
        ovs_fatal(0, "unknown command or wrong arguments: %s", cmd);
    }
}

int
main(int argc OVS_UNUSED, char *argv[])
{
    struct script s;
    char line[4096];

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
    memset(&s, 0, sizeof s);
    chassis_config_init(&s.cfg);
    tunnel_mesh_init(&s.mesh);

    while (fgets(line, sizeof line, stdin)) {
        char *hash = strchr(line, '#');
        if (hash) {
            *hash = '\0';
        }
        struct svec words = SVEC_EMPTY_INITIALIZER;
        char *save = NULL;
        for (char *w = strtok_r(line, " \t\n", &save); w;
             w = strtok_r(NULL, " \t\n", &save)) {
            svec_add(&words, w);
        }
        if (words.n) {
            run_command(&s, words.names, words.n);
        }
        svec_destroy(&words);
        fflush(stdout);
    }

    tunnel_mesh_destroy(&s.mesh);
    clear_chassis(&s);
    chassis_config_destroy(&s.cfg);
    return 0;
}
