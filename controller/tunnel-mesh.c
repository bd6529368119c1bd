/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The tunnel mesh: the desired tunnels, computed from plain structs.  See
 * tunnel-mesh.h for the rules; this file only implements them.
 */

#include <config.h>
#include "controller/tunnel-mesh.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/util.h"
#include "openvswitch/vlog.h"
#include "coverage.h"
#include "packets.h"
#include "sha1.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(tunnel_mesh);

COVERAGE_DEFINE(tunnel_mesh_compute);
COVERAGE_DEFINE(tunnel_mesh_update_peer);
COVERAGE_DEFINE(tunnel_mesh_update_refused);

/* Claimants of one "<type> <ip>" pair. */
struct claim {
    struct hmap_node node;      /* In struct tunnel_mesh 'claims'. */
    char *key;                  /* "<type> <ip>". */
    struct sset chassis;        /* Names of the chassis listing it. */
};

/* One remote encap, parsed and checked. */
struct parsed_encap {
    const struct tunnel_mesh_remote_encap *in;
    enum chassis_encap_type type;
    struct in6_addr addr;
    char *ip;                   /* Canonical text; NULL if unparsable. */
    char *claim;                /* "<type> <ip>"; NULL if not valid. */
    char *what;                 /* "<type> <ip>" as written. */
    char *reason;               /* Why it is unusable; NULL if usable. */
};

/* A remote chassis, parsed. */
struct parsed_remote {
    const struct tunnel_mesh_remote *in;
    bool zones_overlap;
    struct parsed_encap *encaps; /* Sorted by type, then IP text. */
    size_t n_encaps;
};

/* Small helpers. */

static const char *
plane_of(const struct smap *options)
{
    const char *plane = options ? smap_get(options, "plane") : NULL;
    return plane && plane[0] ? plane : "default";
}

/* Parses 's' as an IPv4 or IPv6 address into '*addr' (IPv4 mapped) and
 * returns its canonical text, malloc'd, or NULL if it does not parse. */
static char *
canonical_ip(const char *s, struct in6_addr *addr)
{
    ovs_be32 ip4;
    if (s && ip_parse(s, &ip4)) {
        in6_addr_set_mapped_ipv4(addr, ip4);
        return xasprintf(IP_FMT, IP_ARGS(ip4));
    }
    if (s && ipv6_parse(s, addr)) {
        char buf[INET6_ADDRSTRLEN];
        if (IN6_IS_ADDR_V4MAPPED(addr)) {
            return xasprintf(IP_FMT, IP_ARGS(in6_addr_get_mapped_ipv4(addr)));
        }
        inet_ntop(AF_INET6, addr, buf, sizeof buf);
        return xstrdup(buf);
    }
    return NULL;
}

static bool
zones_overlap(const struct chassis_config *cfg,
              const struct tunnel_mesh_remote *remote)
{
    if (sset_is_empty(&cfg->transport_zones)) {
        return remote->n_transport_zones == 0;
    }
    for (size_t i = 0; i < remote->n_transport_zones; i++) {
        if (sset_contains(&cfg->transport_zones,
                          remote->transport_zones[i])) {
            return true;
        }
    }
    return false;
}

static bool
is_local_ip(const struct chassis_config *cfg, const struct in6_addr *addr)
{
    for (size_t i = 0; i < cfg->n_encap_ips; i++) {
        if (ipv6_addr_equals(&cfg->encap_ips[i].addr, addr)) {
            return true;
        }
    }
    return false;
}

static bool
config_usable(const struct chassis_config *cfg)
{
    if (!cfg || !cfg->n_encap_ips) {
        return false;
    }
    for (int t = 0; t < CHASSIS_N_ENCAP_TYPES; t++) {
        if (cfg->encap_types[t]) {
            return true;
        }
    }
    return false;
}

/* Claims. */

static struct claim *
claim_find(const struct tunnel_mesh *mesh, const char *key)
{
    struct claim *c;
    HMAP_FOR_EACH_WITH_HASH (c, node, hash_string(key, 0), &mesh->claims) {
        if (!strcmp(c->key, key)) {
            return c;
        }
    }
    return NULL;
}

static void
claim_add(struct tunnel_mesh *mesh, const char *key, const char *chassis)
{
    struct claim *c = claim_find(mesh, key);
    if (!c) {
        c = xmalloc(sizeof *c);
        c->key = xstrdup(key);
        sset_init(&c->chassis);
        hmap_insert(&mesh->claims, &c->node, hash_string(key, 0));
    }
    sset_add(&c->chassis, chassis);
}

static void
claim_remove(struct tunnel_mesh *mesh, const char *key, const char *chassis)
{
    struct claim *c = claim_find(mesh, key);
    if (c) {
        sset_find_and_delete(&c->chassis, chassis);
        if (sset_is_empty(&c->chassis)) {
            hmap_remove(&mesh->claims, &c->node);
            sset_destroy(&c->chassis);
            free(c->key);
            free(c);
        }
    }
}

/* Returns the name of a chassis other than 'chassis' that claims 'key', or
 * NULL.  With several, returns the smallest name, for determinism. */
static const char *
claim_other(const struct tunnel_mesh *mesh, const char *key,
            const char *chassis)
{
    const struct claim *c = claim_find(mesh, key);
    const char *best = NULL;
    if (c) {
        const char *name;
        SSET_FOR_EACH (name, &c->chassis) {
            if (strcmp(name, chassis) && (!best || strcmp(name, best) < 0)) {
                best = name;
            }
        }
    }
    return best;
}

/* Parsing remote chassis. */

static void
parse_encap(const struct chassis_config *cfg,
            const struct tunnel_mesh_remote *remote,
            const struct tunnel_mesh_remote_encap *in,
            struct parsed_encap *pe)
{
    memset(pe, 0, sizeof *pe);
    pe->in = in;
    pe->what = xasprintf("%s %s", in->type ? in->type : "(none)",
                         in->ip ? in->ip : "(none)");
    pe->ip = canonical_ip(in->ip, &pe->addr);
    if (in->chassis_name && in->chassis_name[0]
        && strcmp(in->chassis_name, remote->name)) {
        pe->reason = xasprintf("encap belongs to chassis %s",
                               in->chassis_name);
    } else if (!in->type
               || !chassis_encap_type_from_string(in->type, &pe->type)) {
        pe->reason = xasprintf("unknown encap type '%s'",
                               in->type ? in->type : "");
    } else if (!pe->ip) {
        pe->reason = xasprintf("invalid IP address '%s'",
                               in->ip ? in->ip : "");
    } else {
        pe->claim = xasprintf("%s %s", chassis_encap_type_name(pe->type),
                              pe->ip);
        if (is_local_ip(cfg, &pe->addr)) {
            pe->reason = xasprintf("IP %s is a local encap IP", pe->ip);
        }
    }
}

static void
parsed_encap_destroy(struct parsed_encap *pe)
{
    free(pe->ip);
    free(pe->claim);
    free(pe->what);
    free(pe->reason);
}

static const char *
sort_ip(const struct parsed_encap *pe)
{
    return pe->ip ? pe->ip : pe->in->ip ? pe->in->ip : "";
}

static int
compare_parsed_encaps(const void *a_, const void *b_)
{
    const struct parsed_encap *a = a_;
    const struct parsed_encap *b = b_;
    int cmp = strcmp(a->in->type ? a->in->type : "",
                     b->in->type ? b->in->type : "");
    cmp = cmp ? cmp : strcmp(sort_ip(a), sort_ip(b));
    return cmp ? cmp : strcmp(a->in->ip ? a->in->ip : "",
                              b->in->ip ? b->in->ip : "");
}

/* Parses 'remote' into 'pr', its encaps sorted by type and canonical IP.
 * Marks an encap listed twice by the same chassis (same type and canonical
 * IP) as unusable. */
static void
parse_remote(const struct chassis_config *cfg,
             const struct tunnel_mesh_remote *remote,
             struct parsed_remote *pr)
{
    pr->in = remote;
    pr->zones_overlap = zones_overlap(cfg, remote);
    pr->n_encaps = pr->zones_overlap ? remote->n_encaps : 0;
    pr->encaps = xcalloc(pr->n_encaps ? pr->n_encaps : 1,
                         sizeof *pr->encaps);
    for (size_t i = 0; i < pr->n_encaps; i++) {
        parse_encap(cfg, remote, &remote->encaps[i], &pr->encaps[i]);
    }
    qsort(pr->encaps, pr->n_encaps, sizeof *pr->encaps,
          compare_parsed_encaps);

    struct sset seen = SSET_INITIALIZER(&seen);
    for (size_t i = 0; i < pr->n_encaps; i++) {
        struct parsed_encap *pe = &pr->encaps[i];
        if (pe->claim && !sset_add(&seen, pe->claim)) {
            free(pe->reason);
            pe->reason = xstrdup("listed twice by this chassis");
            free(pe->claim);
            pe->claim = NULL;
        }
    }
    sset_destroy(&seen);
}

static void
parsed_remote_destroy(struct parsed_remote *pr)
{
    for (size_t i = 0; i < pr->n_encaps; i++) {
        parsed_encap_destroy(&pr->encaps[i]);
    }
    free(pr->encaps);
}

/* Peers. */

static void
peer_add_skip(struct tunnel_mesh_peer *peer, const char *what,
              bool misconfig, char *reason)
{
    peer->skips = xrealloc(peer->skips,
                           (peer->n_skips + 1) * sizeof *peer->skips);
    struct tunnel_mesh_skip *skip = &peer->skips[peer->n_skips++];
    skip->chassis = xstrdup(peer->name);
    skip->what = xstrdup(what);
    skip->reason = reason;
    skip->misconfig = misconfig;
}

static const char *
type_list(const bool types[CHASSIS_N_ENCAP_TYPES], struct ds *s)
{
    ds_clear(s);
    for (int t = 0; t < CHASSIS_N_ENCAP_TYPES; t++) {
        if (types[t]) {
            ds_put_format(s, "%s%s", s->length ? "," : "",
                          chassis_encap_type_name(t));
        }
    }
    if (!s->length) {
        ds_put_cstr(s, "none");
    }
    return ds_cstr(s);
}

/* Chooses the best type shared by 'cfg' and the usable encaps of 'pr'. */
static bool
choose_type(const struct chassis_config *cfg,
            const struct parsed_remote *pr, enum chassis_encap_type *type,
            bool remote_types[CHASSIS_N_ENCAP_TYPES])
{
    memset(remote_types, 0, CHASSIS_N_ENCAP_TYPES * sizeof *remote_types);
    for (size_t i = 0; i < pr->n_encaps; i++) {
        if (pr->encaps[i].claim) {
            remote_types[pr->encaps[i].type] = true;
        }
    }
    for (int t = 0; t < CHASSIS_N_ENCAP_TYPES; t++) {
        if (cfg->encap_types[t] && remote_types[t]) {
            *type = t;
            return true;
        }
    }
    return false;
}

static void
add_remote_options(struct smap *options, const struct smap *remote_opts,
                   struct tunnel_mesh_peer *peer, const char *what)
{
    const char *csum = remote_opts ? smap_get(remote_opts, "csum") : NULL;
    if (csum) {
        if (!strcmp(csum, "true") || !strcmp(csum, "false")) {
            smap_add(options, "csum", csum);
        } else {
            peer_add_skip(peer, what, true,
                          xasprintf("ignoring invalid options:csum '%s'",
                                    csum));
        }
    }

    const char *port = remote_opts ? smap_get(remote_opts, "dst_port") : NULL;
    if (port) {
        char *end;
        errno = 0;
        long int value = strtol(port, &end, 10);
        if (!errno && !*end && end != port && value > 0 && value < 65536) {
            smap_add_format(options, "dst_port", "%ld", value);
        } else {
            peer_add_skip(peer, what, true,
                          xasprintf("ignoring invalid options:dst_port '%s'",
                                    port));
        }
    }
}

static void
add_local_options(struct smap *options, const struct chassis_config *cfg)
{
    if (cfg->encap_tos) {
        smap_add(options, "tos", cfg->encap_tos);
    }
    if (cfg->encap_df_default) {
        smap_add(options, "df_default", cfg->encap_df_default);
    }
}

static const char *
flow_port_key(enum chassis_encap_type type, struct ds *s)
{
    ds_clear(s);
    ds_put_format(s, "flow/%s", chassis_encap_type_name(type));
    return ds_cstr(s);
}

static struct tunnel_mesh_port *
port_create(struct tunnel_mesh *mesh, const char *key,
            enum chassis_encap_type type)
{
    struct tunnel_mesh_port *port = xzalloc(sizeof *port);
    port->key = xstrdup(key);
    port->type = type;
    smap_init(&port->options);
    hmap_insert(&mesh->ports, &port->node, hash_string(key, 0));
    return port;
}

static void
port_destroy(struct tunnel_mesh *mesh, struct tunnel_mesh_port *port)
{
    hmap_remove(&mesh->ports, &port->node);
    free(port->key);
    free(port->chassis_id);
    smap_destroy(&port->options);
    free(port);
}

/* Adds the path from 'local' to 'pe', and its port in port-based mode with
 * the options of 'remote_opts' (already checked) and the local ones. */
static void
add_path(struct tunnel_mesh *mesh, const struct chassis_config *cfg,
         struct tunnel_mesh_peer *peer, const struct parsed_encap *pe,
         const struct chassis_encap_ip *local,
         const struct smap *remote_opts)
{
    struct tunnel_mesh_path *path = xzalloc(sizeof *path);
    path->id = xasprintf("%s@%s%%%s", peer->name, pe->ip, local->ip);
    path->peer = peer;
    path->remote_ip = xstrdup(pe->ip);
    path->local_ip = xstrdup(local->ip);
    path->encap_id = local->encap_id;
    path->plane = xstrdup(local->plane);
    path->type = pe->type;
    path->remote_is_default = pe->in->options
        && smap_get_bool(pe->in->options, "is_default", false);
    hmap_insert(&mesh->paths, &path->node, hash_string(path->id, 0));
    ovs_list_push_back(&peer->paths, &path->peer_node);

    if (mesh->flow_based) {
        struct ds key = DS_EMPTY_INITIALIZER;
        path->port = tunnel_mesh_find_port(mesh, flow_port_key(pe->type,
                                                               &key));
        ds_destroy(&key);
        return;
    }

    struct tunnel_mesh_port *port = port_create(mesh, path->id, pe->type);
    port->chassis_id = xstrdup(path->id);
    smap_add(&port->options, "remote_ip", pe->ip);
    smap_add(&port->options, "local_ip", local->ip);
    smap_add(&port->options, "key", "flow");
    struct smap_node *node;
    SMAP_FOR_EACH (node, remote_opts) {
        smap_add(&port->options, node->key, node->value);
    }
    add_local_options(&port->options, cfg);
    path->port = port;
}

/* Adds the paths from every local IP in the plane of 'pe'. */
static void
add_encap_paths(struct tunnel_mesh *mesh, const struct chassis_config *cfg,
                struct tunnel_mesh_peer *peer, const struct parsed_encap *pe)
{
    const char *plane = plane_of(pe->in->options);
    struct smap remote_opts = SMAP_INITIALIZER(&remote_opts);
    bool any = false;

    if (!mesh->flow_based) {
        add_remote_options(&remote_opts, pe->in->options, peer, pe->what);
    }
    bool v4 = IN6_IS_ADDR_V4MAPPED(&pe->addr);
    for (size_t i = 0; i < cfg->n_encap_ips; i++) {
        const struct chassis_encap_ip *local = &cfg->encap_ips[i];
        if (!strcmp(local->plane, plane)
            && IN6_IS_ADDR_V4MAPPED(&local->addr) == v4) {
            add_path(mesh, cfg, peer, pe, local, &remote_opts);
            any = true;
        }
    }
    smap_destroy(&remote_opts);
    if (!any) {
        peer_add_skip(peer, pe->what, false,
                      xasprintf("no local %s encap IP in plane '%s'",
                                v4 ? "IPv4" : "IPv6", plane));
    }
}

static void
peer_build(struct tunnel_mesh *mesh, const struct chassis_config *cfg,
           struct tunnel_mesh_peer *peer, const struct parsed_remote *pr)
{
    if (!pr->zones_overlap) {
        peer_add_skip(peer, "chassis", false,
                      xstrdup("no shared transport zone"));
        return;
    }

    for (size_t i = 0; i < pr->n_encaps; i++) {
        const struct parsed_encap *pe = &pr->encaps[i];
        if (pe->claim) {
            peer->claims = xrealloc(peer->claims, (peer->n_claims + 1)
                                    * sizeof *peer->claims);
            peer->claims[peer->n_claims++] = xstrdup(pe->claim);
        }
    }

    bool remote_types[CHASSIS_N_ENCAP_TYPES];
    peer->has_type = choose_type(cfg, pr, &peer->type, remote_types);

    for (size_t i = 0; i < pr->n_encaps; i++) {
        const struct parsed_encap *pe = &pr->encaps[i];
        const char *other = pe->claim
                            ? claim_other(mesh, pe->claim, peer->name)
                            : NULL;
        if (pe->reason) {
            peer_add_skip(peer, pe->what, true, xstrdup(pe->reason));
        } else if (other) {
            peer_add_skip(peer, pe->what, true,
                          xasprintf("IP and type also listed by chassis %s",
                                    other));
        } else if (peer->has_type && pe->type == peer->type) {
            add_encap_paths(mesh, cfg, peer, pe);
        }
    }

    if (!peer->has_type) {
        struct ds l = DS_EMPTY_INITIALIZER, r = DS_EMPTY_INITIALIZER;
        peer_add_skip(peer, "chassis", true,
                      xasprintf("no shared encap type (local: %s, "
                                "remote: %s)",
                                type_list(cfg->encap_types, &l),
                                type_list(remote_types, &r)));
        ds_destroy(&l);
        ds_destroy(&r);
    }
}

static struct tunnel_mesh_peer *
peer_create(struct tunnel_mesh *mesh, const char *name)
{
    struct tunnel_mesh_peer *peer = xzalloc(sizeof *peer);
    peer->name = xstrdup(name);
    ovs_list_init(&peer->paths);
    hmap_insert(&mesh->peers, &peer->node, hash_string(name, 0));
    return peer;
}

static void
peer_destroy(struct tunnel_mesh *mesh, struct tunnel_mesh_peer *peer)
{
    struct tunnel_mesh_path *path;
    LIST_FOR_EACH_SAFE (path, peer_node, &peer->paths) {
        if (!mesh->flow_based && path->port) {
            port_destroy(mesh, CONST_CAST(struct tunnel_mesh_port *,
                                          path->port));
        }
        hmap_remove(&mesh->paths, &path->node);
        free(path->id);
        free(path->remote_ip);
        free(path->local_ip);
        free(path->plane);
        free(path);
    }
    for (size_t i = 0; i < peer->n_skips; i++) {
        free(peer->skips[i].chassis);
        free(peer->skips[i].what);
        free(peer->skips[i].reason);
    }
    free(peer->skips);
    for (size_t i = 0; i < peer->n_claims; i++) {
        claim_remove(mesh, peer->claims[i], peer->name);
        free(peer->claims[i]);
    }
    free(peer->claims);
    hmap_remove(&mesh->peers, &peer->node);
    free(peer->name);
    free(peer);
}

static void
register_claims(struct tunnel_mesh *mesh, const struct parsed_remote *pr)
{
    for (size_t i = 0; i < pr->n_encaps; i++) {
        if (pr->encaps[i].claim) {
            claim_add(mesh, pr->encaps[i].claim, pr->in->name);
        }
    }
}

static void
add_flow_ports(struct tunnel_mesh *mesh, const struct chassis_config *cfg)
{
    struct ds key = DS_EMPTY_INITIALIZER;
    for (int t = 0; t < CHASSIS_N_ENCAP_TYPES; t++) {
        if (cfg->encap_types[t]) {
            struct tunnel_mesh_port *port
                = port_create(mesh, flow_port_key(t, &key), t);
            port->chassis_id = xstrdup(TUNNEL_MESH_FLOW_ID);
            port->flow_based = true;
            smap_add(&port->options, "remote_ip", "flow");
            smap_add(&port->options, "local_ip", "flow");
            smap_add(&port->options, "key", "flow");
            add_local_options(&port->options, cfg);
        }
    }
    ds_destroy(&key);
}

/* Public functions. */

void
tunnel_mesh_init(struct tunnel_mesh *mesh)
{
    mesh->flow_based = false;
    hmap_init(&mesh->peers);
    hmap_init(&mesh->paths);
    hmap_init(&mesh->ports);
    hmap_init(&mesh->claims);
}

static void
tunnel_mesh_clear(struct tunnel_mesh *mesh)
{
    struct tunnel_mesh_peer *peer;
    HMAP_FOR_EACH_SAFE (peer, node, &mesh->peers) {
        peer_destroy(mesh, peer);
    }
    struct tunnel_mesh_port *port;
    HMAP_FOR_EACH_SAFE (port, node, &mesh->ports) {
        port_destroy(mesh, port);
    }
    ovs_assert(hmap_is_empty(&mesh->paths));
    ovs_assert(hmap_is_empty(&mesh->claims));
    mesh->flow_based = false;
}

void
tunnel_mesh_destroy(struct tunnel_mesh *mesh)
{
    if (mesh) {
        tunnel_mesh_clear(mesh);
        hmap_destroy(&mesh->peers);
        hmap_destroy(&mesh->paths);
        hmap_destroy(&mesh->ports);
        hmap_destroy(&mesh->claims);
    }
}

static bool
is_self(const struct chassis_config *cfg, const char *name)
{
    return !name || !name[0]
           || (cfg->system_id && !strcmp(cfg->system_id, name));
}

void
tunnel_mesh_compute(struct tunnel_mesh *mesh,
                    const struct chassis_config *cfg,
                    const struct tunnel_mesh_remote *remotes,
                    size_t n_remotes)
{
    COVERAGE_INC(tunnel_mesh_compute);
    tunnel_mesh_clear(mesh);
    if (!config_usable(cfg)) {
        return;
    }
    mesh->flow_based = cfg->flow_based_tunnels;
    if (mesh->flow_based) {
        add_flow_ports(mesh, cfg);
    }

    struct parsed_remote *prs = xcalloc(n_remotes ? n_remotes : 1,
                                        sizeof *prs);
    struct sset names = SSET_INITIALIZER(&names);
    for (size_t i = 0; i < n_remotes; i++) {
        const struct tunnel_mesh_remote *r = &remotes[i];
        if (!is_self(cfg, r->name) && sset_add(&names, r->name)) {
            parse_remote(cfg, r, &prs[i]);
            register_claims(mesh, &prs[i]);
        }
    }
    for (size_t i = 0; i < n_remotes; i++) {
        if (prs[i].in) {
            struct tunnel_mesh_peer *peer = peer_create(mesh,
                                                        prs[i].in->name);
            peer_build(mesh, cfg, peer, &prs[i]);
            parsed_remote_destroy(&prs[i]);
        }
    }
    sset_destroy(&names);
    free(prs);
}

static bool
skips_equal(const struct tunnel_mesh_skip *a,
            const struct tunnel_mesh_skip *b)
{
    return !strcmp(a->chassis, b->chassis) && !strcmp(a->what, b->what)
           && !strcmp(a->reason, b->reason) && a->misconfig == b->misconfig;
}

static bool
ports_equal(const struct tunnel_mesh_port *a,
            const struct tunnel_mesh_port *b)
{
    return !strcmp(a->key, b->key) && !strcmp(a->chassis_id, b->chassis_id)
           && a->type == b->type && a->flow_based == b->flow_based
           && smap_equal(&a->options, &b->options);
}

static bool
paths_equal(const struct tunnel_mesh_path *a,
            const struct tunnel_mesh_path *b)
{
    return !strcmp(a->id, b->id) && !strcmp(a->remote_ip, b->remote_ip)
           && !strcmp(a->local_ip, b->local_ip)
           && a->encap_id == b->encap_id && !strcmp(a->plane, b->plane)
           && a->type == b->type
           && a->remote_is_default == b->remote_is_default
           && !strcmp(a->port->key, b->port->key)
           && (a->port == b->port || ports_equal(a->port, b->port));
}

/* Compares two peers, path by path in order (both were built from sorted
 * encaps, so the order is deterministic). */
static bool
peers_equal(const struct tunnel_mesh_peer *a,
            const struct tunnel_mesh_peer *b)
{
    if (strcmp(a->name, b->name) || a->has_type != b->has_type
        || (a->has_type && a->type != b->type)
        || a->n_skips != b->n_skips
        || ovs_list_size(&a->paths) != ovs_list_size(&b->paths)) {
        return false;
    }
    for (size_t i = 0; i < a->n_skips; i++) {
        if (!skips_equal(&a->skips[i], &b->skips[i])) {
            return false;
        }
    }
    const struct ovs_list *na = a->paths.next;
    const struct ovs_list *nb = b->paths.next;
    for (; na != &a->paths; na = na->next, nb = nb->next) {
        const struct tunnel_mesh_path *pa
            = CONTAINER_OF(na, struct tunnel_mesh_path, peer_node);
        const struct tunnel_mesh_path *pb
            = CONTAINER_OF(nb, struct tunnel_mesh_path, peer_node);
        if (!paths_equal(pa, pb)) {
            return false;
        }
    }
    return true;
}

/* Collects into 'claims' the claim keys of 'pr'. */
static bool
claims_shared(const struct tunnel_mesh *mesh, const char *name,
              const struct tunnel_mesh_peer *old,
              const struct parsed_remote *pr)
{
    for (size_t i = 0; old && i < old->n_claims; i++) {
        if (claim_other(mesh, old->claims[i], name)) {
            return true;
        }
    }
    for (size_t i = 0; pr && i < pr->n_encaps; i++) {
        if (pr->encaps[i].claim
            && claim_other(mesh, pr->encaps[i].claim, name)) {
            return true;
        }
    }
    return false;
}

bool
tunnel_mesh_update_peer(struct tunnel_mesh *mesh,
                        const struct chassis_config *cfg,
                        const char *name,
                        const struct tunnel_mesh_remote *remote,
                        bool *changed)
{
    bool dummy;
    changed = changed ? changed : &dummy;
    *changed = false;
    if (!config_usable(cfg) || is_self(cfg, name)) {
        return true;
    }

    COVERAGE_INC(tunnel_mesh_update_peer);
    struct tunnel_mesh_peer *old = CONST_CAST(struct tunnel_mesh_peer *,
                                              tunnel_mesh_find_peer(mesh,
                                                                    name));
    struct parsed_remote pr;
    bool have_pr = remote != NULL;
    if (have_pr) {
        ovs_assert(!strcmp(remote->name, name));
        parse_remote(cfg, remote, &pr);
    }
    if (claims_shared(mesh, name, old, have_pr ? &pr : NULL)) {
        COVERAGE_INC(tunnel_mesh_update_refused);
        if (have_pr) {
            parsed_remote_destroy(&pr);
        }
        return false;
    }

    /* Build the new peer in a scratch mesh first, so that an unchanged peer
     * leaves 'mesh' untouched. */
    struct tunnel_mesh_peer *new = NULL;
    if (have_pr) {
        if (old) {
            /* Take the old peer out, so its name and claims are free. */
            hmap_remove(&mesh->peers, &old->node);
        }
        new = peer_create(mesh, name);
        register_claims(mesh, &pr);
        peer_build(mesh, cfg, new, &pr);
        parsed_remote_destroy(&pr);
        if (old) {
            hmap_insert(&mesh->peers, &old->node, hash_string(name, 0));
        }
    }

    if (old && new && peers_equal(old, new)) {
        /* Keep the old one; drop the new.  Their claims are the same set,
         * so removing the new one's leaves the old one's in place. */
        peer_destroy(mesh, new);
        for (size_t i = 0; i < old->n_claims; i++) {
            claim_add(mesh, old->claims[i], name);
        }
        return true;
    }
    if (old) {
        peer_destroy(mesh, old);
        if (new) {
            for (size_t i = 0; i < new->n_claims; i++) {
                claim_add(mesh, new->claims[i], name);
            }
        }
    }
    *changed = old || new;
    return true;
}

const struct tunnel_mesh_peer *
tunnel_mesh_find_peer(const struct tunnel_mesh *mesh, const char *name)
{
    const struct tunnel_mesh_peer *peer;
    HMAP_FOR_EACH_WITH_HASH (peer, node, hash_string(name, 0),
                             &mesh->peers) {
        if (!strcmp(peer->name, name)) {
            return peer;
        }
    }
    return NULL;
}

const struct tunnel_mesh_path *
tunnel_mesh_find_path(const struct tunnel_mesh *mesh, const char *id)
{
    const struct tunnel_mesh_path *path;
    HMAP_FOR_EACH_WITH_HASH (path, node, hash_string(id, 0), &mesh->paths) {
        if (!strcmp(path->id, id)) {
            return path;
        }
    }
    return NULL;
}

const struct tunnel_mesh_port *
tunnel_mesh_find_port(const struct tunnel_mesh *mesh, const char *key)
{
    const struct tunnel_mesh_port *port;
    HMAP_FOR_EACH_WITH_HASH (port, node, hash_string(key, 0), &mesh->ports) {
        if (!strcmp(port->key, key)) {
            return port;
        }
    }
    return NULL;
}

const struct tunnel_mesh_path *
tunnel_mesh_find_path_by_endpoint(const struct tunnel_mesh_peer *peer,
                                  const char *remote_ip,
                                  unsigned int encap_id)
{
    const struct tunnel_mesh_path *path;
    LIST_FOR_EACH (path, peer_node, &peer->paths) {
        if (path->encap_id == encap_id
            && !strcmp(path->remote_ip, remote_ip)) {
            return path;
        }
    }
    return NULL;
}

char *
tunnel_mesh_key_from_ids(const char *chassis_id, const char *tunnel_type)
{
    enum chassis_encap_type type;

    if (!chassis_id) {
        return NULL;
    }
    if (!strcmp(chassis_id, TUNNEL_MESH_FLOW_ID)) {
        if (tunnel_type
            && chassis_encap_type_from_string(tunnel_type, &type)) {
            return xasprintf("flow/%s", chassis_encap_type_name(type));
        }
        return NULL;
    }
    const char *at = strrchr(chassis_id, '@');
    if (at && at != chassis_id && strchr(at, '%')) {
        return xstrdup(chassis_id);
    }
    return NULL;
}

const struct tunnel_mesh_port *
tunnel_mesh_adopt_legacy(const struct tunnel_mesh *mesh,
                         const char *legacy_id,
                         const struct sset *taken_keys)
{
    const char *at = legacy_id ? strrchr(legacy_id, '@') : NULL;
    if (!at || at == legacy_id || strchr(at, '%') || mesh->flow_based) {
        return NULL;
    }

    char *name = xmemdup0(legacy_id, at - legacy_id);
    struct in6_addr addr;
    char *ip = canonical_ip(at + 1, &addr);
    const struct tunnel_mesh_peer *peer = tunnel_mesh_find_peer(mesh, name);
    const struct tunnel_mesh_path *path, *best = NULL;

    if (peer && ip) {
        LIST_FOR_EACH (path, peer_node, &peer->paths) {
            if (!strcmp(path->remote_ip, ip)
                && !sset_contains(taken_keys, path->port->key)
                && (!best || path->encap_id < best->encap_id)) {
                best = path;
            }
        }
    }
    free(name);
    free(ip);
    return best ? best->port : NULL;
}

void
tunnel_mesh_port_name(const char *key, unsigned int attempt,
                      char name[TUNNEL_MESH_NAME_MAX + 1])
{
    uint8_t digest[SHA1_DIGEST_SIZE];
    struct sha1_ctx ctx;
    char hex[SHA1_HEX_DIGEST_LEN + 1];

    sha1_init(&ctx);
    sha1_update(&ctx, key, strlen(key));
    if (attempt) {
        sha1_update(&ctx, &attempt, sizeof attempt);
    }
    sha1_final(&ctx, digest);
    sha1_to_hex(digest, hex);
    snprintf(name, TUNNEL_MESH_NAME_MAX + 1, "ovn-%.11s", hex);
}

/* Comparing and formatting. */

static int
compare_peer_ptrs(const void *a_, const void *b_)
{
    const struct tunnel_mesh_peer *const *a = a_;
    const struct tunnel_mesh_peer *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

size_t
tunnel_mesh_count_peers(const struct tunnel_mesh *mesh)
{
    return hmap_count(&mesh->peers);
}

const struct tunnel_mesh_peer **
tunnel_mesh_sorted_peers(const struct tunnel_mesh *mesh)
{
    size_t n = hmap_count(&mesh->peers);
    const struct tunnel_mesh_peer **peers = xcalloc(n ? n : 1,
                                                    sizeof *peers);
    const struct tunnel_mesh_peer *peer;
    size_t i = 0;
    HMAP_FOR_EACH (peer, node, &mesh->peers) {
        peers[i++] = peer;
    }
    qsort(peers, n, sizeof *peers, compare_peer_ptrs);
    return peers;
}

size_t
tunnel_mesh_count_skips(const struct tunnel_mesh *mesh)
{
    const struct tunnel_mesh_peer *peer;
    size_t n = 0;
    HMAP_FOR_EACH (peer, node, &mesh->peers) {
        n += peer->n_skips;
    }
    return n;
}

char *
tunnel_mesh_compare(const struct tunnel_mesh *a, const struct tunnel_mesh *b)
{
    if (a->flow_based != b->flow_based) {
        return xasprintf("flow-based %d vs %d", a->flow_based,
                         b->flow_based);
    }
    if (hmap_count(&a->peers) != hmap_count(&b->peers)) {
        return xasprintf("%"PRIuSIZE" peers vs %"PRIuSIZE,
                         hmap_count(&a->peers), hmap_count(&b->peers));
    }
    if (hmap_count(&a->ports) != hmap_count(&b->ports)) {
        return xasprintf("%"PRIuSIZE" ports vs %"PRIuSIZE,
                         hmap_count(&a->ports), hmap_count(&b->ports));
    }

    const struct tunnel_mesh_peer *pa;
    HMAP_FOR_EACH (pa, node, &a->peers) {
        const struct tunnel_mesh_peer *pb = tunnel_mesh_find_peer(b,
                                                                  pa->name);
        if (!pb) {
            return xasprintf("peer %s missing from recompute", pa->name);
        }
        if (!peers_equal(pa, pb)) {
            return xasprintf("peer %s differs", pa->name);
        }
    }
    const struct tunnel_mesh_port *qa;
    HMAP_FOR_EACH (qa, node, &a->ports) {
        const struct tunnel_mesh_port *qb = tunnel_mesh_find_port(b,
                                                                  qa->key);
        if (!qb || !ports_equal(qa, qb)) {
            return xasprintf("port %s differs", qa->key);
        }
    }
    return NULL;
}

static void
format_port(const struct tunnel_mesh_port *port, struct ds *out)
{
    char name[TUNNEL_MESH_NAME_MAX + 1];
    tunnel_mesh_port_name(port->key, 0, name);
    ds_put_format(out, "  port %s type=%s id=%s", name,
                  chassis_encap_type_name(port->type), port->chassis_id);
    if (port->flow_based) {
        ds_put_format(out, " tunnel-type=%s",
                      chassis_encap_type_name(port->type));
    }
    const struct smap_node **nodes = smap_sort(&port->options);
    for (size_t i = 0; i < smap_count(&port->options); i++) {
        ds_put_format(out, " %s=%s", nodes[i]->key, nodes[i]->value);
    }
    free(nodes);
    ds_put_char(out, '\n');
}

void
tunnel_mesh_format(const struct tunnel_mesh *mesh, struct ds *out)
{
    const struct tunnel_mesh_peer **peers = tunnel_mesh_sorted_peers(mesh);
    size_t n = hmap_count(&mesh->peers);

    ds_put_format(out, "mode: %s\n",
                  mesh->flow_based ? "flow-based" : "port-based");
    if (mesh->flow_based) {
        for (int t = 0; t < CHASSIS_N_ENCAP_TYPES; t++) {
            struct ds key = DS_EMPTY_INITIALIZER;
            const struct tunnel_mesh_port *port
                = tunnel_mesh_find_port(mesh, flow_port_key(t, &key));
            if (port) {
                format_port(port, out);
            }
            ds_destroy(&key);
        }
    }
    for (size_t i = 0; i < n; i++) {
        const struct tunnel_mesh_peer *peer = peers[i];
        const struct tunnel_mesh_path *path;

        ds_put_format(out, "chassis %s type=%s\n", peer->name,
                      peer->has_type ? chassis_encap_type_name(peer->type)
                                     : "none");
        LIST_FOR_EACH (path, peer_node, &peer->paths) {
            ds_put_format(out, "  path %s encap-id=%u plane=%s%s\n",
                          path->id, path->encap_id, path->plane,
                          path->remote_is_default ? " remote-default" : "");
            if (!mesh->flow_based) {
                format_port(path->port, out);
            }
        }
        for (size_t j = 0; j < peer->n_skips; j++) {
            const struct tunnel_mesh_skip *s = &peer->skips[j];
            ds_put_format(out, "  skip %s: %s%s\n", s->what, s->reason,
                          s->misconfig ? " (misconfiguration)" : "");
        }
    }
    free(peers);
}
