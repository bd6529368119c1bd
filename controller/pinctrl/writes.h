/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * SB rows that packet-ins ask for: MAC_Binding (put_arp, put_nd), FDB
 * (put_fdb), the claim of a virtual port (bind_vport), Controller_Event
 * (trigger_event), IGMP_Group (igmp, mld; see mcast.h),
 * Service_Monitor.status (svc-monitor.h), Port_Binding
 * options:ipv6_ra_pd_list (dhcp6-pd.h).
 *
 * The pinctrl thread records them in a 'struct pinctrl_writes' batch while
 * it handles packets; at the end of each batch it merges the batch into
 * the queue it shares with the main thread (pinctrl.c), under a mutex.
 * Entries are keyed: a later entry with the same key (the same IP on the
 * same port, the same MAC on the same datapath, ...) replaces the earlier
 * one, so a flood of identical ARPs costs one write.  The queue holds at
 * most PINCTRL_WRITES_MAX entries; more are dropped and counted.
 *
 * The main thread applies the queue in its own SB transaction
 * (pinctrl_writes_apply()), after the engine run, whenever it has one:
 * the SB rows are not a function of the databases but of packets that came
 * and went, so they are no engine node's data (a recompute could not
 * reproduce them, and the consistency check would have nothing to
 * compare).  Each entry is checked against the IDL first: a MAC_Binding
 * that already has that MAC, an FDB entry that already has that port, a
 * virtual port already bound so, are not written again.
 */

#ifndef OVNMC_PINCTRL_WRITES_H
#define OVNMC_PINCTRL_WRITES_H 1

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/hmap.h"
#include "openvswitch/uuid.h"
#include "packets.h"
#include "smap.h"

struct ds;
struct ovsdb_idl;
struct ovsdb_idl_index;
struct ovsdb_idl_txn;
struct pinctrl_snapshot;
struct sbrec_chassis;

#define PINCTRL_WRITES_MAX 10000

enum pw_kind {
    PW_MAC_BINDING,             /* dp_key, port_key, ip, mac. */
    PW_FDB,                     /* dp_key, port_key, mac. */
    PW_VPORT,                   /* dp_key, name (virtual port), port_key
                                 * (its parent). */
    PW_EVENT,                   /* name (event type), info. */
    PW_IGMP,                    /* dp_key, ip (group address), ports (all
                                 * the members here; none: delete). */
    PW_SVC_STATUS,              /* uuid (Service_Monitor), name (status). */
    PW_MB_REFRESH,              /* dp_key, port_key, ip: the MAC_Binding is
                                 * in use at wall_ms. */
    PW_PD_LIST,                 /* dp_key, port_key, name (the
                                 * ipv6_ra_pd_list value; NULL: remove). */
};

/* One row to write. */
struct pw_entry {
    struct hmap_node node;      /* In 'struct pinctrl_writes', by key. */
    char *key;                  /* "kind|..." identity for de-duplication. */
    enum pw_kind kind;
    uint32_t dp_key;            /* Datapath tunnel key. */
    uint32_t port_key;          /* Port tunnel key. */
    char *ip;                   /* Normalized IP text, or NULL. */
    struct eth_addr mac;
    char *name;                 /* See enum pw_kind; or NULL. */
    struct smap info;           /* PW_EVENT: event_info. */
    long long int wall_ms;      /* When the packet came (for timestamps). */
    uint32_t *ports;            /* PW_IGMP: member port keys. */
    size_t n_ports;
    struct uuid uuid;           /* PW_SVC_STATUS: the row. */
};

/* A batch or queue of writes. */
struct pinctrl_writes {
    struct hmap entries;        /* struct pw_entry. */
    uint64_t n_dropped;         /* Entries refused because it was full. */
};

/* Statistics of applying writes, for "pinctrl/show". */
struct pinctrl_writes_stats {
    uint64_t mac_bindings;      /* MAC_Binding rows inserted or updated. */
    uint64_t fdbs;              /* FDB rows inserted or updated. */
    uint64_t vports;            /* Virtual port claims written. */
    uint64_t events;            /* Controller_Event rows inserted. */
    uint64_t igmp_groups;       /* IGMP_Group rows written or deleted. */
    uint64_t svc_status;        /* Service_Monitor.status changes. */
    uint64_t mb_refreshes;      /* MAC_Binding timestamps refreshed. */
    uint64_t pd_lists;          /* ipv6_ra_pd_list values written. */
    uint64_t unchanged;         /* Entries the SB already had. */
    uint64_t stale;             /* Entries whose datapath or port is gone. */
    uint64_t dropped;           /* Entries the full queue refused. */
    int64_t event_seq;          /* Last Controller_Event seq_num used. */
};

void pinctrl_writes_init(struct pinctrl_writes *);
void pinctrl_writes_destroy(struct pinctrl_writes *);
bool pinctrl_writes_is_empty(const struct pinctrl_writes *);
size_t pinctrl_writes_count(const struct pinctrl_writes *);

/* Recording (pinctrl thread).  Each returns false if the batch was full. */
bool pinctrl_writes_add_mac_binding(struct pinctrl_writes *,
                                    uint32_t dp_key, uint32_t port_key,
                                    const char *ip, struct eth_addr mac,
                                    long long int wall_ms);
bool pinctrl_writes_add_fdb(struct pinctrl_writes *, uint32_t dp_key,
                            uint32_t port_key, struct eth_addr mac);
bool pinctrl_writes_add_vport(struct pinctrl_writes *, uint32_t dp_key,
                              const char *vport, uint32_t parent_key);
/* Takes ownership of 'info'. */
bool pinctrl_writes_add_event(struct pinctrl_writes *, const char *type,
                              struct smap *info);

/* The members here of group 'address' on datapath 'dp_key' are the
 * 'n_ports' ports of 'ports' (copied): IGMP_Group (none: no row). */
bool pinctrl_writes_add_igmp(struct pinctrl_writes *, uint32_t dp_key,
                             const char *address, const uint32_t *ports,
                             size_t n_ports);
/* Service_Monitor row 'uuid' has status 'status'. */
bool pinctrl_writes_add_svc_status(struct pinctrl_writes *,
                                   const struct uuid *uuid,
                                   const char *status);
/* The MAC_Binding of 'ip' on port 'port_key' of datapath 'dp_key' was in
 * use at 'wall_ms' (mb-refresh.h): its timestamp becomes 'wall_ms'. */
bool pinctrl_writes_add_mb_refresh(struct pinctrl_writes *,
                                   uint32_t dp_key, uint32_t port_key,
                                   const char *ip, long long int wall_ms);
/* Port 'port_key' of router 'dp_key' holds the delegated prefixes 'value'
 * (options:ipv6_ra_pd_list; NULL: none, the option is removed). */
bool pinctrl_writes_add_pd_list(struct pinctrl_writes *, uint32_t dp_key,
                                uint32_t port_key, const char *value);
/* Removes 'e' from 'w' and frees it. */
void pinctrl_writes_remove(struct pinctrl_writes *w, struct pw_entry *e);

/* Moves every entry of 'src' into 'dst' (replacing entries with the same
 * key), leaving 'src' empty; entries beyond PINCTRL_WRITES_MAX are
 * dropped and counted in 'dst'. */
void pinctrl_writes_merge(struct pinctrl_writes *dst,
                          struct pinctrl_writes *src);

/* Writing (main thread, controller/pinctrl/sb.c). */

/* IDL indexes pinctrl_writes_apply() uses; create them with
 * pinctrl_writes_indexes_create() before the IDL first runs. */
struct pinctrl_writes_indexes {
    struct ovsdb_idl_index *mb_by_lport_ip;   /* MAC_Binding. */
    struct ovsdb_idl_index *fdb_by_mac_dp;    /* FDB. */
};
void pinctrl_writes_indexes_create(struct pinctrl_writes_indexes *,
                                   struct ovsdb_idl *sb_idl);

/* Writes every entry of 'w' into 'txn' (resolving keys through 'snap'),
 * and empties 'w'.  'chassis' is our Chassis row (NULL: the entries that
 * need it are kept for later). */
/* Deletes every IGMP_Group row of 'chassis' in 'txn': the groups a
 * previous run of the daemon learnt, which this one does not know. */
void pinctrl_writes_clear_igmp(struct ovsdb_idl *sb_idl,
                               const struct sbrec_chassis *chassis);

void pinctrl_writes_apply(struct pinctrl_writes *w,
                          const struct pinctrl_writes_indexes *,
                          struct ovsdb_idl *sb_idl,
                          struct ovsdb_idl_txn *txn,
                          const struct pinctrl_snapshot *snap,
                          const struct sbrec_chassis *chassis,
                          struct pinctrl_writes_stats *);

void pinctrl_writes_stats_format(const struct pinctrl_writes_stats *,
                                 struct ds *);

#endif /* controller/pinctrl/writes.h */
