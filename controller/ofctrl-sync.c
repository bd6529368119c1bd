/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * ofctrl's installed view and the computation of differences (see
 * ofctrl-sync.h).  Groups and meters are compared through a canonical text
 * made by OVS's own formatter from the parsed description (what we want)
 * or from the dump (what the switch has), so that spelling differences in
 * the descriptions do not cause reinstallation.
 */

#include <config.h>

#include "controller/ofctrl-sync.h"

#include <stdlib.h>
#include <string.h>

#include "byte-order.h"
#include "controller/flow-table.h"
#include "coverage.h"
#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofp-group.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(ofctrl_sync);

COVERAGE_DEFINE(ofctrl_sync_flow_add);
COVERAGE_DEFINE(ofctrl_sync_flow_modify);
COVERAGE_DEFINE(ofctrl_sync_flow_delete);
COVERAGE_DEFINE(ofctrl_sync_group_mod);
COVERAGE_DEFINE(ofctrl_sync_meter_mod);
COVERAGE_DEFINE(ofctrl_sync_rejected);
COVERAGE_DEFINE(ofctrl_sync_set_aside);

#define OFCTRL_PROTOCOL OFPUTIL_P_OF15_OXM
#define OFCTRL_VERSION OFP15_VERSION

/* What a message or a rejection is about. */
enum ofctrl_kind {
    OFCTRL_FLOW,
    OFCTRL_GROUP,
    OFCTRL_METER,
};

/* An installed flow. */
struct ofctrl_iflow {
    struct hmap_node node;      /* In 'flows', by ft_key_hash(). */
    uint8_t table_id;
    uint16_t priority;
    struct minimatch match;
    uint64_t cookie;
    struct ofpact *ofpacts;     /* Owned. */
    size_t ofpacts_len;
};

/* An installed group or meter. */
struct ofctrl_iid {
    struct hmap_node node;      /* In 'groups' or 'meters', by id. */
    uint32_t id;
    char *canon;                /* Canonical text, for comparisons; NULL
                                 * if unknown (groups learned from a
                                 * dump). */
    char *desc;                 /* The producer's description, or the
                                 * canonical text if learned from a dump. */
};

/* A flow, group or meter set aside after the switch rejected it. */
struct ofctrl_rejected {
    struct hmap_node node;      /* In 'rejected'. */
    enum ofctrl_kind kind;
    uint8_t table_id;           /* Flows: key and content. */
    uint16_t priority;
    struct minimatch match;
    uint64_t cookie;
    struct ofpact *ofpacts;
    size_t ofpacts_len;
    uint32_t id;                /* Groups and meters: id and the producer's
                                 * description. */
    char *desc;
};

/* A message in flight. */
struct ofctrl_pending {
    struct hmap_node node;      /* In 'pending', by hash of 'xid'. */
    uint32_t xid;
    uint64_t seq;               /* Batch. */
    enum ofctrl_kind kind;
    uint8_t table_id;           /* Flows: the key. */
    uint16_t priority;
    struct minimatch match;
    uint32_t id;                /* Groups and meters. */
};

/* A key that another client changed. */
struct ofctrl_suspect {
    struct hmap_node node;      /* In 'suspects', by ft_key_hash(). */
    uint8_t table_id;
    uint16_t priority;
    struct minimatch match;
};

/* Lists of one computation, concatenated into a batch at the end. */
struct ofctrl_lists {
    struct ovs_list group_adds;
    struct ovs_list flow_dels;
    struct ovs_list flow_mods;
    struct ovs_list group_dels;
    struct ovs_list meter_adds;
    struct ovs_list meter_dels;
    size_t n_flow_mods;
    struct ofpbuf ofpacts;      /* Scratch. */
};

static uint32_t
ofctrl_id_hash(enum ofctrl_kind kind, uint32_t id)
{
    return hash_int(id, kind);
}

/* Installed flows. */

static struct ofctrl_iflow *
iflow_find(const struct hmap *flows, uint8_t table_id, uint16_t priority,
           const struct minimatch *match, uint32_t hash)
{
    struct ofctrl_iflow *f;

    HMAP_FOR_EACH_WITH_HASH (f, node, hash, flows) {
        if (f->table_id == table_id && f->priority == priority
            && minimatch_equal(&f->match, match)) {
            return f;
        }
    }
    return NULL;
}

static void
iflow_set(struct ofctrl_iflow *f, uint64_t cookie,
          const struct ofpact *ofpacts, size_t len)
{
    free(f->ofpacts);
    f->cookie = cookie;
    f->ofpacts = len ? xmemdup(ofpacts, len) : NULL;
    f->ofpacts_len = len;
}

static struct ofctrl_iflow *
iflow_insert(struct hmap *flows, uint8_t table_id, uint16_t priority,
             const struct minimatch *match, uint32_t hash)
{
    struct ofctrl_iflow *f = xzalloc(sizeof *f);

    f->table_id = table_id;
    f->priority = priority;
    minimatch_clone(&f->match, match);
    hmap_insert(flows, &f->node, hash);
    return f;
}

static void
iflow_free(struct ofctrl_iflow *f)
{
    minimatch_destroy(&f->match);
    free(f->ofpacts);
    free(f);
}

static void
iflows_clear(struct hmap *flows)
{
    struct ofctrl_iflow *f;

    HMAP_FOR_EACH_POP (f, node, flows) {
        iflow_free(f);
    }
}

/* Installed groups and meters. */

static struct ofctrl_iid *
iid_find(const struct hmap *ids, uint32_t id)
{
    struct ofctrl_iid *d;

    HMAP_FOR_EACH_WITH_HASH (d, node, hash_int(id, 0), ids) {
        if (d->id == id) {
            return d;
        }
    }
    return NULL;
}

/* Takes ownership of 'canon', copies 'desc'. */
static void
iid_set(struct hmap *ids, uint32_t id, char *canon, const char *desc)
{
    struct ofctrl_iid *d = iid_find(ids, id);

    if (!d) {
        d = xzalloc(sizeof *d);
        d->id = id;
        hmap_insert(ids, &d->node, hash_int(id, 0));
    }
    free(d->canon);
    free(d->desc);
    d->canon = canon;
    d->desc = xstrdup(desc);
}

static void
iid_free(struct hmap *ids, struct ofctrl_iid *d)
{
    hmap_remove(ids, &d->node);
    free(d->canon);
    free(d->desc);
    free(d);
}

static void
iids_clear(struct hmap *ids)
{
    struct ofctrl_iid *d;

    HMAP_FOR_EACH_SAFE (d, node, ids) {
        iid_free(ids, d);
    }
}

/* Rejected items. */

static struct ofctrl_rejected *
rejected_find_flow(const struct ofctrl_sync *s, uint8_t table_id,
                   uint16_t priority, const struct minimatch *match,
                   uint32_t hash)
{
    struct ofctrl_rejected *r;

    if (hmap_is_empty(&s->rejected)) {
        return NULL;
    }
    HMAP_FOR_EACH_WITH_HASH (r, node, hash, &s->rejected) {
        if (r->kind == OFCTRL_FLOW && r->table_id == table_id
            && r->priority == priority && minimatch_equal(&r->match, match)) {
            return r;
        }
    }
    return NULL;
}

static struct ofctrl_rejected *
rejected_find_id(const struct ofctrl_sync *s, enum ofctrl_kind kind,
                 uint32_t id)
{
    struct ofctrl_rejected *r;

    HMAP_FOR_EACH_WITH_HASH (r, node, ofctrl_id_hash(kind, id),
                             &s->rejected) {
        if (r->kind == kind && r->id == id) {
            return r;
        }
    }
    return NULL;
}

static void
rejected_free(struct ofctrl_sync *s, struct ofctrl_rejected *r)
{
    hmap_remove(&s->rejected, &r->node);
    if (r->kind == OFCTRL_FLOW) {
        minimatch_destroy(&r->match);
    }
    free(r->ofpacts);
    free(r->desc);
    free(r);
}

static void
rejected_add_flow(struct ofctrl_sync *s, uint8_t table_id, uint16_t priority,
                  const struct minimatch *match, uint64_t cookie,
                  const struct ofpact *ofpacts, size_t len)
{
    uint32_t hash = ft_key_hash(table_id, priority, match);
    struct ofctrl_rejected *r = rejected_find_flow(s, table_id, priority,
                                                   match, hash);

    if (r) {
        rejected_free(s, r);
    }
    r = xzalloc(sizeof *r);
    r->kind = OFCTRL_FLOW;
    r->table_id = table_id;
    r->priority = priority;
    minimatch_clone(&r->match, match);
    r->cookie = cookie;
    r->ofpacts = len ? xmemdup(ofpacts, len) : NULL;
    r->ofpacts_len = len;
    hmap_insert(&s->rejected, &r->node, hash);
    s->n_rejected++;
    COVERAGE_INC(ofctrl_sync_set_aside);
}

static void
rejected_add_id(struct ofctrl_sync *s, enum ofctrl_kind kind, uint32_t id,
                const char *desc)
{
    struct ofctrl_rejected *r = rejected_find_id(s, kind, id);

    if (r) {
        rejected_free(s, r);
    }
    r = xzalloc(sizeof *r);
    r->kind = kind;
    r->id = id;
    r->desc = xstrdup(desc);
    hmap_insert(&s->rejected, &r->node, ofctrl_id_hash(kind, id));
    s->n_rejected++;
    COVERAGE_INC(ofctrl_sync_set_aside);
}

/* The module. */

void
ofctrl_sync_init(struct ofctrl_sync *s)
{
    memset(s, 0, sizeof *s);
    hmap_init(&s->flows);
    hmap_init(&s->groups);
    hmap_init(&s->meters);
    hmap_init(&s->rejected);
    hmap_init(&s->pending);
    hmap_init(&s->suspects);
    hmap_init(&s->new_flows);
    hmap_init(&s->new_groups);
    hmap_init(&s->new_meters);
}

static void
pending_free(struct ofctrl_sync *s, struct ofctrl_pending *p)
{
    hmap_remove(&s->pending, &p->node);
    if (p->kind == OFCTRL_FLOW) {
        minimatch_destroy(&p->match);
    }
    free(p);
}

static void
pending_clear(struct ofctrl_sync *s)
{
    struct ofctrl_pending *p;

    HMAP_FOR_EACH_SAFE (p, node, &s->pending) {
        pending_free(s, p);
    }
}

static void
suspects_clear(struct ofctrl_sync *s)
{
    struct ofctrl_suspect *x;

    HMAP_FOR_EACH_POP (x, node, &s->suspects) {
        minimatch_destroy(&x->match);
        free(x);
    }
}

void
ofctrl_sync_forget(struct ofctrl_sync *s)
{
    suspects_clear(s);
    iflows_clear(&s->flows);
    iids_clear(&s->groups);
    iids_clear(&s->meters);
    iflows_clear(&s->new_flows);
    iids_clear(&s->new_groups);
    iids_clear(&s->new_meters);
    pending_clear(s);
}

void
ofctrl_sync_destroy(struct ofctrl_sync *s)
{
    struct ofctrl_rejected *r;

    if (!s) {
        return;
    }
    ofctrl_sync_forget(s);
    HMAP_FOR_EACH_SAFE (r, node, &s->rejected) {
        rejected_free(s, r);
    }
    hmap_destroy(&s->flows);
    hmap_destroy(&s->groups);
    hmap_destroy(&s->meters);
    hmap_destroy(&s->rejected);
    hmap_destroy(&s->pending);
    hmap_destroy(&s->suspects);
    hmap_destroy(&s->new_flows);
    hmap_destroy(&s->new_groups);
    hmap_destroy(&s->new_meters);
}

/* Canonical texts. */

/* Returns the canonical text of a group of 'type' with 'buckets' (which it
 * borrows and gives back) and 'props'. */
static char *
group_canon(uint8_t type, struct ovs_list *buckets,
            const struct ofputil_group_props *props)
{
    struct ofputil_group_mod gm;
    struct ds s = DS_EMPTY_INITIALIZER;
    const char *start;
    char *canon;

    memset(&gm, 0, sizeof gm);
    gm.command = OFPGC15_ADD;
    gm.type = type;
    gm.command_bucket_id = OFPG15_BUCKET_ALL;
    gm.props = *props;
    ovs_list_init(&gm.buckets);
    ovs_list_splice(&gm.buckets, buckets->next, buckets);
    /* OpenFlow 1.1 formatting leaves out the bucket ids. */
    ofputil_group_mod_format__(&s, OFP11_VERSION, &gm, NULL, NULL);
    ovs_list_splice(buckets, gm.buckets.next, &gm.buckets);

    start = strstr(ds_cstr(&s), "group_id=0,");
    canon = xstrdup(start ? start + strlen("group_id=0,") : ds_cstr(&s));
    ds_destroy(&s);
    return canon;
}

static char *
meter_canon(const struct ofputil_meter_config *mc)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    ofputil_format_meter_config(&s, mc);
    for (size_t i = 0; i < s.length; i++) {
        if (s.string[i] == '\n') {
            s.string[i] = ' ';
        }
    }
    ds_chomp(&s, ' ');
    return ds_steal_cstr(&s);
}

/* Parses group 'id' described by 'desc'.  Returns a malloc'd error, or
 * NULL after initializing 'gm'. */
static char * OVS_WARN_UNUSED_RESULT
group_parse(uint32_t id, const char *desc, struct ofputil_group_mod *gm)
{
    enum ofputil_protocol usable;
    char *s = xasprintf("group_id=%"PRIu32",%s", id, desc);
    char *error = parse_ofp_group_mod_str(gm, OFPGC15_ADD, s, NULL, NULL,
                                          &usable);
    free(s);
    return error;
}

static char * OVS_WARN_UNUSED_RESULT
meter_parse(uint32_t id, const char *desc, struct ofputil_meter_mod *mm)
{
    enum ofputil_protocol usable;
    char *s = xasprintf("meter=%"PRIu32" %s", id, desc);
    char *error = parse_ofp_meter_mod_str(mm, s, OFPMC13_ADD, &usable);
    free(s);
    return error;
}

/* Learning. */

void
ofctrl_sync_learn_begin(struct ofctrl_sync *s)
{
    iflows_clear(&s->new_flows);
    iids_clear(&s->new_groups);
    iids_clear(&s->new_meters);
}

/* Initializes 'mm' from 'match', a flow's match as the switch reported
 * it, in the form a producer would give it.  A flow mod of OpenFlow 1.5
 * that matches Ethernet fields without a packet type gets "packet_type =
 * Ethernet" added by the switch, which then reports it; no producer
 * matches the packet type, so a key learned with it would never be found
 * among the desired flows (the flow would be deleted and added again). */
static void
learned_match_init(struct minimatch *mm, const struct match *match)
{
    if (match->wc.masks.packet_type == OVS_BE32_MAX
        && match->flow.packet_type == htonl(PT_ETH)) {
        struct match m = *match;

        m.flow.packet_type = 0;
        m.wc.masks.packet_type = 0;
        minimatch_init(mm, &m);
    } else {
        minimatch_init(mm, match);
    }
}

void
ofctrl_sync_learn_flow(struct ofctrl_sync *s,
                       const struct ofputil_flow_stats *fs)
{
    struct minimatch match;
    uint32_t hash;

    learned_match_init(&match, &fs->match);
    hash = ft_key_hash(fs->table_id, fs->priority, &match);
    if (!iflow_find(&s->new_flows, fs->table_id, fs->priority, &match,
                    hash)) {
        struct ofctrl_iflow *f = iflow_insert(&s->new_flows, fs->table_id,
                                              fs->priority, &match, hash);
        iflow_set(f, ntohll(fs->cookie), fs->ofpacts, fs->ofpacts_len);
    }
    minimatch_destroy(&match);
}

/* Records in 'ids' what a dump found for 'id': keeps the producer's
 * description from the previous view 'old' when the content is the same.
 * Takes ownership of 'canon'. */
static void
learn_id(struct hmap *ids, const struct hmap *old, uint32_t id, char *canon)
{
    const struct ofctrl_iid *prev = iid_find(old, id);

    iid_set(ids, id, canon, prev && !strcmp(prev->canon, canon)
                            ? prev->desc : canon);
}

void
ofctrl_sync_learn_group(struct ofctrl_sync *s, uint32_t group_id)
{
    const struct ofctrl_iid *prev = iid_find(&s->groups, group_id);

    /* Only the id is known: a group desc reply cannot describe a group
     * larger than 64 kB (OVS then sends a corrupt reply, which breaks the
     * connection), so groups are learned from their statistics.  A group
     * that was in the previous view is taken to be unchanged; another has
     * unknown content, which makes the next full synchronization send it
     * again. */
    iid_set(&s->new_groups, group_id,
            prev && prev->canon ? xstrdup(prev->canon) : NULL,
            prev ? prev->desc : "(unknown)");
}

void
ofctrl_sync_learn_meter(struct ofctrl_sync *s,
                        const struct ofputil_meter_config *mc)
{
    learn_id(&s->new_meters, &s->meters, mc->meter_id, meter_canon(mc));
}

void
ofctrl_sync_learn_end(struct ofctrl_sync *s)
{
    iflows_clear(&s->flows);
    iids_clear(&s->groups);
    iids_clear(&s->meters);
    hmap_swap(&s->flows, &s->new_flows);
    hmap_swap(&s->groups, &s->new_groups);
    hmap_swap(&s->meters, &s->new_meters);
}

/* Foreign changes. */

void
ofctrl_sync_note_foreign(struct ofctrl_sync *s, uint8_t table_id,
                         uint16_t priority, const struct match *match,
                         bool removed, uint64_t cookie,
                         const struct ofpact *ofpacts, size_t len)
{
    struct minimatch mm;
    uint32_t hash;

    learned_match_init(&mm, match);
    hash = ft_key_hash(table_id, priority, &mm);

    struct ofctrl_iflow *f = iflow_find(&s->flows, table_id, priority, &mm,
                                        hash);
    if (removed) {
        if (f) {
            hmap_remove(&s->flows, &f->node);
            iflow_free(f);
        }
    } else {
        if (!f) {
            f = iflow_insert(&s->flows, table_id, priority, &mm, hash);
        }
        iflow_set(f, cookie, ofpacts, len);
    }

    struct ofctrl_suspect *x;
    HMAP_FOR_EACH_WITH_HASH (x, node, hash, &s->suspects) {
        if (x->table_id == table_id && x->priority == priority
            && minimatch_equal(&x->match, &mm)) {
            minimatch_destroy(&mm);
            return;
        }
    }
    x = xmalloc(sizeof *x);
    x->table_id = table_id;
    x->priority = priority;
    minimatch_move(&x->match, &mm);
    hmap_insert(&s->suspects, &x->node, hash);
}

bool
ofctrl_sync_has_suspects(const struct ofctrl_sync *s)
{
    return !hmap_is_empty(&s->suspects);
}

/* Batches. */

void
ofctrl_batch_init(struct ofctrl_batch *b)
{
    ovs_list_init(&b->pre);
    ovs_list_init(&b->bundle);
    ovs_list_init(&b->post);
    b->n_flow_mods = 0;
}

static void
free_msgs(struct ovs_list *msgs)
{
    struct ofpbuf *msg;

    LIST_FOR_EACH_POP (msg, list_node, msgs) {
        ofpbuf_delete(msg);
    }
}

void
ofctrl_batch_destroy(struct ofctrl_batch *b)
{
    free_msgs(&b->pre);
    free_msgs(&b->bundle);
    free_msgs(&b->post);
}

bool
ofctrl_batch_is_empty(const struct ofctrl_batch *b)
{
    return (ovs_list_is_empty(&b->pre) && ovs_list_is_empty(&b->bundle)
            && ovs_list_is_empty(&b->post));
}

uint64_t
ofctrl_sync_seal_batch(struct ofctrl_sync *s)
{
    return ++s->batch_seq;
}

void
ofctrl_sync_batch_done(struct ofctrl_sync *s, uint64_t seq)
{
    struct ofctrl_pending *p;

    HMAP_FOR_EACH_SAFE (p, node, &s->pending) {
        if (p->seq <= seq) {
            pending_free(s, p);
        }
    }
}

/* Records 'msg' as in flight and appends it to 'list'. */
static void
push_msg(struct ofctrl_sync *s, struct ovs_list *list, struct ofpbuf *msg,
         enum ofctrl_kind kind, uint8_t table_id, uint16_t priority,
         const struct minimatch *match, uint32_t id)
{
    const struct ofp_header *oh = msg->data;
    struct ofctrl_pending *p = xzalloc(sizeof *p);

    p->xid = ntohl(oh->xid);
    p->seq = s->batch_seq + 1;
    p->kind = kind;
    p->table_id = table_id;
    p->priority = priority;
    if (kind == OFCTRL_FLOW) {
        minimatch_clone(&p->match, match);
    }
    p->id = id;
    hmap_insert(&s->pending, &p->node, hash_int(p->xid, 0));
    ovs_list_push_back(list, &msg->list_node);
}

/* Flows. */

static struct ofpbuf *
encode_flow_mod(uint16_t command, uint8_t table_id, uint16_t priority,
                const struct minimatch *match, uint64_t cookie,
                const struct ofpact *ofpacts, size_t len)
{
    struct ofputil_flow_mod fm = {
        .match = *match,
        .priority = priority,
        .new_cookie = command == OFPFC_ADD ? htonll(cookie) : OVS_BE64_MAX,
        .table_id = table_id,
        .command = command,
        .buffer_id = UINT32_MAX,
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
        .ofpacts = CONST_CAST(struct ofpact *, ofpacts),
        .ofpacts_len = len,
    };

    return ofputil_encode_flow_mod(&fm, OFCTRL_PROTOCOL);
}

static void
log_flow(const char *what, uint8_t table_id, uint16_t priority,
         const struct minimatch *match, uint64_t cookie,
         const struct ofpact *ofpacts, size_t len, const char *why)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    struct ds s = DS_EMPTY_INITIALIZER;
    struct ofpact_format_params fp = { .s = &s };

    ds_put_format(&s, "%s cookie=%#"PRIx64" ", what, cookie);
    ft_format_key(table_id, priority, match, &s);
    ds_put_cstr(&s, " actions=");
    ofpacts_format(ofpacts, len, &fp);
    VLOG_WARN_RL(&rl, "%s: %s; set aside until it changes", ds_cstr(&s),
                 why);
    ds_destroy(&s);
}

/* Computes into 'ofpacts' and '*cookie' what the 'n' tables want for a key,
 * merged over the tables.  Returns false if no table wants the key. */
static bool
desired_flow(struct flow_table *const *tables, size_t n, uint8_t table_id,
             uint16_t priority, const struct minimatch *match,
             struct ofpbuf *ofpacts, uint64_t *cookie)
{
    const struct ft_flow *found[8];
    const struct ft_flow **flows = n <= ARRAY_SIZE(found)
                                   ? found : xmalloc(n * sizeof *flows);
    size_t n_found = 0;
    bool all_conj = true;

    for (size_t i = 0; i < n; i++) {
        const struct ft_flow *f = flow_table_find(tables[i], table_id,
                                                  priority, match);
        if (f && !ovs_list_is_empty(&f->contribs)) {
            flows[n_found++] = f;
            all_conj = all_conj && ft_flow_is_conjunctive(f);
        }
    }

    bool found_any = n_found > 0;
    if (n_found == 1 || (n_found > 1 && !all_conj)) {
        ft_flow_get_effective(flows[0], ofpacts, cookie);
    } else if (n_found > 1) {
        struct ofpbuf *effs = xmalloc(n_found * sizeof *effs);
        const struct ofpact **lists = xmalloc(n_found * sizeof *lists);
        size_t *lens = xmalloc(n_found * sizeof *lens);

        *cookie = UINT64_MAX;
        for (size_t i = 0; i < n_found; i++) {
            uint64_t c;

            ofpbuf_init(&effs[i], 64);
            ft_flow_get_effective(flows[i], &effs[i], &c);
            lists[i] = effs[i].data;
            lens[i] = effs[i].size;
            *cookie = MIN(*cookie, c);
        }
        ofpbuf_clear(ofpacts);
        ft_merge_conjunctions(lists, lens, n_found, ofpacts);
        for (size_t i = 0; i < n_found; i++) {
            ofpbuf_uninit(&effs[i]);
        }
        free(effs);
        free(lists);
        free(lens);
    }
    if (flows != found) {
        free(flows);
    }
    return found_any;
}

/* Brings one key in line with what the tables want. */
static void
sync_flow(struct ofctrl_sync *s, struct flow_table *const *tables, size_t n,
          uint8_t table_id, uint16_t priority, const struct minimatch *match,
          struct ofctrl_lists *l)
{
    uint32_t hash = ft_key_hash(table_id, priority, match);
    struct ofpbuf *ofpacts = &l->ofpacts;
    uint64_t cookie = 0;
    bool want = desired_flow(tables, n, table_id, priority, match, ofpacts,
                             &cookie);
    struct ofctrl_rejected *r = rejected_find_flow(s, table_id, priority,
                                                   match, hash);
    if (r) {
        if (want && r->cookie == cookie
            && ofpacts_equal(r->ofpacts, r->ofpacts_len,
                             ofpacts->data, ofpacts->size)) {
            return;
        }
        rejected_free(s, r);
    }

    struct ofctrl_iflow *f = iflow_find(&s->flows, table_id, priority,
                                        match, hash);
    struct ofpbuf *msg;
    if (!want) {
        if (f) {
            msg = encode_flow_mod(OFPFC_DELETE_STRICT, table_id, priority,
                                  match, 0, NULL, 0);
            push_msg(s, &l->flow_dels, msg, OFCTRL_FLOW, table_id,
                     priority, match, 0);
            l->n_flow_mods++;
            hmap_remove(&s->flows, &f->node);
            iflow_free(f);
            COVERAGE_INC(ofctrl_sync_flow_delete);
        }
        return;
    }

    uint16_t command;
    if (!f || f->cookie != cookie) {
        command = OFPFC_ADD;
    } else if (!ofpacts_equal(f->ofpacts, f->ofpacts_len,
                              ofpacts->data, ofpacts->size)) {
        command = OFPFC_MODIFY_STRICT;
    } else {
        return;
    }

    msg = encode_flow_mod(command, table_id, priority, match, cookie,
                          ofpacts->data, ofpacts->size);
    if (msg->size > OFCTRL_MAX_INNER_MSG) {
        char *why = xasprintf("too large for one OpenFlow message "
                              "(%"PRIu32" bytes)", msg->size);
        log_flow("flow", table_id, priority, match, cookie, ofpacts->data,
                 ofpacts->size, why);
        free(why);
        rejected_add_flow(s, table_id, priority, match, cookie,
                          ofpacts->data, ofpacts->size);
        ofpbuf_delete(msg);
        return;
    }
    push_msg(s, &l->flow_mods, msg, OFCTRL_FLOW, table_id, priority, match,
             0);
    l->n_flow_mods++;
    if (!f) {
        f = iflow_insert(&s->flows, table_id, priority, match, hash);
        COVERAGE_INC(ofctrl_sync_flow_add);
    } else {
        COVERAGE_INC(ofctrl_sync_flow_modify);
    }
    iflow_set(f, cookie, ofpacts->data, ofpacts->size);
}

/* True if some table before 'i' has a contribution to 'flow''s key. */
static bool
seen_in_earlier_table(struct flow_table *const *tables, size_t i,
                      const struct ft_flow *flow)
{
    for (size_t j = 0; j < i; j++) {
        const struct ft_flow *f = flow_table_find(tables[j], flow->table_id,
                                                  flow->priority,
                                                  &flow->match);
        if (f && !ovs_list_is_empty(&f->contribs)) {
            return true;
        }
    }
    return false;
}

static bool
wanted_anywhere(struct flow_table *const *tables, size_t n,
                const struct ofctrl_iflow *f)
{
    for (size_t i = 0; i < n; i++) {
        const struct ft_flow *d = flow_table_find(tables[i], f->table_id,
                                                  f->priority, &f->match);
        if (d && !ovs_list_is_empty(&d->contribs)) {
            return true;
        }
    }
    return false;
}

static void
sync_flows(struct ofctrl_sync *s, struct flow_table *const *tables,
           size_t n, bool full, struct ofctrl_lists *l)
{
    for (size_t i = 0; i < n; i++) {
        struct ft_flow *flow;

        if (!full) {
            FLOW_TABLE_FOR_EACH_DIRTY (flow, tables[i]) {
                sync_flow(s, tables, n, flow->table_id, flow->priority,
                          &flow->match, l);
            }
            continue;
        }
        FLOW_TABLE_FOR_EACH (flow, tables[i]) {
            if (!ovs_list_is_empty(&flow->contribs)
                && !seen_in_earlier_table(tables, i, flow)) {
                sync_flow(s, tables, n, flow->table_id, flow->priority,
                          &flow->match, l);
            }
        }
    }
    if (!full) {
        return;
    }

    struct ofctrl_iflow *f;
    HMAP_FOR_EACH_SAFE (f, node, &s->flows) {
        if (!wanted_anywhere(tables, n, f)) {
            struct ofpbuf *msg = encode_flow_mod(OFPFC_DELETE_STRICT,
                                                 f->table_id, f->priority,
                                                 &f->match, 0, NULL, 0);
            push_msg(s, &l->flow_dels, msg, OFCTRL_FLOW, f->table_id,
                     f->priority, &f->match, 0);
            l->n_flow_mods++;
            hmap_remove(&s->flows, &f->node);
            iflow_free(f);
            COVERAGE_INC(ofctrl_sync_flow_delete);
        }
    }
}

/* Groups. */

/* Returns the description of group or meter 'id' in the first of the 'n'
 * tables that declares it, or NULL. */
static const char *
desired_id(struct ofctrl_sync *s, struct flow_table *const *tables,
           size_t n, enum ofctrl_kind kind, uint32_t id)
{
    const char *desc = NULL;

    for (size_t i = 0; i < n; i++) {
        const struct ft_id_desc *d
            = (kind == OFCTRL_GROUP ? flow_table_find_group(tables[i], id)
               : flow_table_find_meter(tables[i], id));
        if (!d) {
            continue;
        }
        if (!desc) {
            desc = d->desc;
        } else if (strcmp(desc, d->desc)) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

            s->n_group_conflicts++;
            VLOG_WARN_RL(&rl, "%s %"PRIu32" declared as \"%s\" and as "
                         "\"%s\": using the first",
                         kind == OFCTRL_GROUP ? "group" : "meter", id, desc,
                         d->desc);
        }
    }
    return desc;
}

/* Longest description quoted in a log message. */
#define OFCTRL_LOG_DESC_MAX 200

static void
log_id(enum ofctrl_kind kind, uint32_t id, const char *desc,
       const char *why)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    size_t len = strlen(desc);

    VLOG_WARN_RL(&rl, "%s %"PRIu32" (%.*s%s): %s; set aside until it "
                 "changes", kind == OFCTRL_GROUP ? "group" : "meter", id,
                 (int) MIN(len, OFCTRL_LOG_DESC_MAX), desc,
                 len > OFCTRL_LOG_DESC_MAX ? "..." : "", why);
}

/* Encodes group mod 'gm' with 'command' into 'list', splitting its buckets
 * over OFPGC15_INSERT_BUCKET messages when one message cannot hold them.
 * Returns false if even one bucket is too large. */
static bool
encode_group(struct ofctrl_sync *s, struct ofputil_group_mod *gm,
             uint16_t command, struct ovs_list *list)
{
    struct ofputil_bucket *b;
    struct ofpbuf *msg;
    uint32_t next_id = 0;

    /* Explicit bucket ids, so that the pieces of a split group agree. */
    LIST_FOR_EACH (b, list_node, &gm->buckets) {
        if (b->bucket_id > OFPG15_BUCKET_MAX) {
            b->bucket_id = next_id;
        }
        next_id = MAX(next_id, b->bucket_id + 1);
    }

    gm->command = command;
    msg = ofputil_encode_group_mod(OFCTRL_VERSION, gm, NULL, -1);
    if (msg->size <= OFCTRL_MAX_INNER_MSG) {
        push_msg(s, list, msg, OFCTRL_GROUP, 0, 0, NULL, gm->group_id);
        return true;
    }

    size_t n_buckets = ovs_list_size(&gm->buckets);
    size_t n_chunks = msg->size / OFCTRL_MAX_INNER_MSG + 1;
    struct ofputil_bucket **all = xmalloc(n_buckets * sizeof *all);
    size_t i = 0;
    bool ok = false;

    ofpbuf_delete(msg);
    LIST_FOR_EACH_POP (b, list_node, &gm->buckets) {
        all[i++] = b;
    }
    while (!ok && n_chunks <= n_buckets) {
        struct ovs_list msgs = OVS_LIST_INITIALIZER(&msgs);
        size_t per = DIV_ROUND_UP(n_buckets, n_chunks);

        ok = true;
        for (size_t start = 0; start < n_buckets; start += per) {
            ovs_list_init(&gm->buckets);
            for (size_t j = start; j < MIN(start + per, n_buckets); j++) {
                ovs_list_push_back(&gm->buckets, &all[j]->list_node);
            }
            gm->command = start ? OFPGC15_INSERT_BUCKET : command;
            gm->command_bucket_id = (start ? OFPG15_BUCKET_LAST
                                     : OFPG15_BUCKET_ALL);
            /* Only the first message may carry the group's properties
             * (OVS rejects a selection method on bucket commands). */
            struct ofputil_group_props props = gm->props;
            if (start) {
                memset(&gm->props, 0, sizeof gm->props);
            }
            msg = ofputil_encode_group_mod(OFCTRL_VERSION, gm, NULL, -1);
            gm->props = props;
            ovs_list_push_back(&msgs, &msg->list_node);
            if (msg->size > OFCTRL_MAX_INNER_MSG) {
                ok = false;
                break;
            }
        }
        if (ok) {
            LIST_FOR_EACH_POP (msg, list_node, &msgs) {
                push_msg(s, list, msg, OFCTRL_GROUP, 0, 0, NULL,
                         gm->group_id);
            }
        } else {
            free_msgs(&msgs);
            n_chunks *= 2;
        }
    }
    ovs_list_init(&gm->buckets);
    for (i = 0; i < n_buckets; i++) {
        ovs_list_push_back(&gm->buckets, &all[i]->list_node);
    }
    free(all);
    gm->command = command;
    gm->command_bucket_id = OFPG15_BUCKET_ALL;
    return ok;
}

/* Returns true if 'id' of 'kind' was rejected with exactly 'desc', so that
 * there is nothing to retry.  Otherwise forgets any earlier rejection. */
static bool
id_still_rejected(struct ofctrl_sync *s, enum ofctrl_kind kind, uint32_t id,
                  const char *desc)
{
    struct ofctrl_rejected *r = rejected_find_id(s, kind, id);

    if (!r) {
        return false;
    }
    if (desc && !strcmp(desc, r->desc)) {
        return true;
    }
    rejected_free(s, r);
    return false;
}

/* Logs 'error' for 'id' of 'kind' and quarantines 'desc' until it changes.
 * Takes ownership of 'error'. */
static void
id_reject(struct ofctrl_sync *s, enum ofctrl_kind kind, uint32_t id,
          const char *desc, char *error)
{
    log_id(kind, id, desc, error);
    rejected_add_id(s, kind, id, desc);
    free(error);
}

/* Returns true if 'inst' is installed with the canonical form 'canon', in
 * which case only its description changes to 'desc'. */
static bool
iid_is_current(struct ofctrl_iid *inst, const char *canon, const char *desc)
{
    if (!inst || !inst->canon || strcmp(inst->canon, canon)) {
        return false;
    }
    if (strcmp(inst->desc, desc)) {
        free(inst->desc);
        inst->desc = xstrdup(desc);
    }
    return true;
}

static void
sync_group(struct ofctrl_sync *s, struct flow_table *const *tables,
           size_t n, uint32_t id, struct ofctrl_lists *l)
{
    const char *desc = desired_id(s, tables, n, OFCTRL_GROUP, id);
    struct ofctrl_iid *inst = iid_find(&s->groups, id);
    struct ofputil_group_mod gm;

    if (id_still_rejected(s, OFCTRL_GROUP, id, desc)) {
        return;
    }
    if (!desc) {
        if (inst) {
            memset(&gm, 0, sizeof gm);
            gm.command = OFPGC15_DELETE;
            gm.type = OFPGT11_ALL;
            gm.group_id = id;
            gm.command_bucket_id = OFPG15_BUCKET_ALL;
            ovs_list_init(&gm.buckets);
            push_msg(s, &l->group_dels,
                     ofputil_encode_group_mod(OFCTRL_VERSION, &gm, NULL, -1),
                     OFCTRL_GROUP, 0, 0, NULL, id);
            iid_free(&s->groups, inst);
            COVERAGE_INC(ofctrl_sync_group_mod);
        }
        return;
    }

    char *error = group_parse(id, desc, &gm);
    if (error) {
        id_reject(s, OFCTRL_GROUP, id, desc, error);
        return;
    }

    char *canon = group_canon(gm.type, &gm.buckets, &gm.props);
    if (iid_is_current(inst, canon, desc)) {
        free(canon);
    } else if (encode_group(s, &gm, OFPGC15_ADD_OR_MOD, &l->group_adds)) {
        /* "Add or modify" rather than add: the switch may have a group
         * that its dump could not describe (a group desc reply cannot hold
         * a group larger than 64 kB), and then we believe it absent. */
        iid_set(&s->groups, id, canon, desc);
        COVERAGE_INC(ofctrl_sync_group_mod);
    } else {
        id_reject(s, OFCTRL_GROUP, id, desc,
                  xstrdup("a bucket is too large for one OpenFlow message"));
        free(canon);
    }
    ofputil_uninit_group_mod(&gm);
}

/* Meters. */

static void
sync_meter(struct ofctrl_sync *s, struct flow_table *const *tables,
           size_t n, uint32_t id, struct ofctrl_lists *l)
{
    const char *desc = desired_id(s, tables, n, OFCTRL_METER, id);
    struct ofctrl_iid *inst = iid_find(&s->meters, id);
    struct ofputil_meter_mod mm;

    if (id_still_rejected(s, OFCTRL_METER, id, desc)) {
        return;
    }
    if (!desc) {
        if (inst) {
            memset(&mm, 0, sizeof mm);
            mm.command = OFPMC13_DELETE;
            mm.meter.meter_id = id;
            push_msg(s, &l->meter_dels,
                     ofputil_encode_meter_mod(OFCTRL_VERSION, &mm),
                     OFCTRL_METER, 0, 0, NULL, id);
            iid_free(&s->meters, inst);
            COVERAGE_INC(ofctrl_sync_meter_mod);
        }
        return;
    }

    char *error = meter_parse(id, desc, &mm);
    if (error) {
        id_reject(s, OFCTRL_METER, id, desc, error);
        return;
    }

    char *canon = meter_canon(&mm.meter);
    if (iid_is_current(inst, canon, desc)) {
        free(canon);
    } else {
        mm.command = inst ? OFPMC13_MODIFY : OFPMC13_ADD;
        push_msg(s, &l->meter_adds,
                 ofputil_encode_meter_mod(OFCTRL_VERSION, &mm),
                 OFCTRL_METER, 0, 0, NULL, id);
        iid_set(&s->meters, id, canon, desc);
        COVERAGE_INC(ofctrl_sync_meter_mod);
    }
    free(mm.meter.bands);
}

static void
sync_ids(struct ofctrl_sync *s, struct flow_table *const *tables, size_t n,
         bool full, enum ofctrl_kind kind, struct ofctrl_lists *l)
{
    void (*sync_one)(struct ofctrl_sync *, struct flow_table *const *,
                     size_t, uint32_t, struct ofctrl_lists *)
        = kind == OFCTRL_GROUP ? sync_group : sync_meter;

    for (size_t i = 0; i < n; i++) {
        struct flow_table *t = tables[i];
        struct ft_id_desc *d;

        if (!full) {
            LIST_FOR_EACH (d, dirty_node, (kind == OFCTRL_GROUP
                                           ? &t->dirty_groups
                                           : &t->dirty_meters)) {
                sync_one(s, tables, n, d->id, l);
            }
            continue;
        }
        HMAP_FOR_EACH (d, node, kind == OFCTRL_GROUP ? &t->groups
                                                     : &t->meters) {
            if (d->desc) {
                sync_one(s, tables, n, d->id, l);
            }
        }
    }
    if (full) {
        struct hmap *ids = kind == OFCTRL_GROUP ? &s->groups : &s->meters;
        struct ofctrl_iid *inst;

        HMAP_FOR_EACH_SAFE (inst, node, ids) {
            if (!desired_id(s, tables, n, kind, inst->id)) {
                sync_one(s, tables, n, inst->id, l);
            }
        }
    }
}

void
ofctrl_sync_compute(struct ofctrl_sync *s, struct flow_table *const *tables,
                    size_t n, bool full, struct ofctrl_batch *b)
{
    struct ofctrl_lists l;

    ovs_list_init(&l.group_adds);
    ovs_list_init(&l.flow_dels);
    ovs_list_init(&l.flow_mods);
    ovs_list_init(&l.group_dels);
    ovs_list_init(&l.meter_adds);
    ovs_list_init(&l.meter_dels);
    l.n_flow_mods = 0;
    ofpbuf_init(&l.ofpacts, 256);

    sync_ids(s, tables, n, full, OFCTRL_METER, &l);
    sync_ids(s, tables, n, full, OFCTRL_GROUP, &l);
    sync_flows(s, tables, n, full, &l);
    if (!full) {
        struct ofctrl_suspect *x;

        HMAP_FOR_EACH (x, node, &s->suspects) {
            sync_flow(s, tables, n, x->table_id, x->priority, &x->match,
                      &l);
        }
    }
    suspects_clear(s);

    ovs_list_push_back_all(&b->pre, &l.meter_adds);
    ovs_list_push_back_all(&b->bundle, &l.group_adds);
    ovs_list_push_back_all(&b->bundle, &l.flow_dels);
    ovs_list_push_back_all(&b->bundle, &l.flow_mods);
    ovs_list_push_back_all(&b->bundle, &l.group_dels);
    ovs_list_push_back_all(&b->post, &l.meter_dels);
    b->n_flow_mods += l.n_flow_mods;
    ofpbuf_uninit(&l.ofpacts);
}

/* Rejections. */

bool
ofctrl_sync_reject(struct ofctrl_sync *s, uint32_t xid, enum ofperr error)
{
    struct ofctrl_pending *p, *found = NULL;

    HMAP_FOR_EACH_WITH_HASH (p, node, hash_int(xid, 0), &s->pending) {
        if (p->xid == xid) {
            found = p;
            break;
        }
    }
    if (!found) {
        return false;
    }

    char *why = xasprintf("rejected by the switch: %s (%s)",
                          ofperr_get_name(error),
                          ofperr_get_description(error));
    COVERAGE_INC(ofctrl_sync_rejected);
    p = found;
    if (p->kind == OFCTRL_FLOW) {
        uint32_t hash = ft_key_hash(p->table_id, p->priority, &p->match);
        const struct ofctrl_iflow *f = iflow_find(&s->flows, p->table_id,
                                                  p->priority, &p->match,
                                                  hash);
        if (f) {
            log_flow("flow", f->table_id, f->priority, &f->match,
                     f->cookie, f->ofpacts, f->ofpacts_len, why);
            rejected_add_flow(s, f->table_id, f->priority, &f->match,
                              f->cookie, f->ofpacts, f->ofpacts_len);
        } else {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
            struct ds key = DS_EMPTY_INITIALIZER;

            ft_format_key(p->table_id, p->priority, &p->match, &key);
            VLOG_WARN_RL(&rl, "deleting flow %s: %s", ds_cstr(&key), why);
            ds_destroy(&key);
        }
    } else {
        const struct hmap *ids = (p->kind == OFCTRL_GROUP ? &s->groups
                                  : &s->meters);
        const struct ofctrl_iid *d = iid_find(ids, p->id);

        if (d) {
            log_id(p->kind, p->id, d->desc, why);
            rejected_add_id(s, p->kind, p->id, d->desc);
        } else {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

            VLOG_WARN_RL(&rl, "deleting %s %"PRIu32": %s",
                         p->kind == OFCTRL_GROUP ? "group" : "meter", p->id,
                         why);
        }
    }
    free(why);
    pending_free(s, p);
    return true;
}

/* Formatting. */

void
ofctrl_sync_format_flows(const struct ofctrl_sync *s, int table_id,
                         struct ds *out)
{
    struct ft_line *lines = xmalloc(hmap_count(&s->flows) * sizeof *lines
                                    + 1);
    const struct ofctrl_iflow *f;
    size_t n = 0;

    HMAP_FOR_EACH (f, node, &s->flows) {
        if (table_id < 0 || f->table_id == table_id) {
            ft_line_init(&lines[n++], f->table_id, f->priority, &f->match,
                         f->cookie, f->ofpacts, f->ofpacts_len);
        }
    }
    ft_lines_flush(lines, n, out);
    free(lines);
}

void
ofctrl_sync_count_flows(const struct ofctrl_sync *s, uint64_t installed[256],
                        uint64_t pending[256])
{
    const struct ofctrl_iflow *f;
    HMAP_FOR_EACH (f, node, &s->flows) {
        installed[f->table_id]++;
    }

    const struct ofctrl_pending *p;
    HMAP_FOR_EACH (p, node, &s->pending) {
        if (p->kind == OFCTRL_FLOW) {
            pending[p->table_id]++;
        }
    }
}

static int
iid_ptr_cmp(const void *a_, const void *b_)
{
    const struct ofctrl_iid *const *a = a_, *const *b = b_;

    return ((*a)->id > (*b)->id) - ((*a)->id < (*b)->id);
}

/* "DESC: ID" per line, sorted by id: the format of OVN's
 * group-table-list and meter-table-list. */
static void
format_ids(const struct hmap *ids, struct ds *out)
{
    const struct ofctrl_iid **array = xmalloc(hmap_count(ids)
                                              * sizeof *array + 1);
    const struct ofctrl_iid *d;
    size_t n = 0;

    HMAP_FOR_EACH (d, node, ids) {
        array[n++] = d;
    }
    qsort(array, n, sizeof *array, iid_ptr_cmp);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(out, "%s: %"PRIu32"\n", array[i]->desc, array[i]->id);
    }
    free(array);
}

void
ofctrl_sync_format_groups(const struct ofctrl_sync *s, struct ds *out)
{
    format_ids(&s->groups, out);
}

void
ofctrl_sync_format_meters(const struct ofctrl_sync *s, struct ds *out)
{
    format_ids(&s->meters, out);
}
