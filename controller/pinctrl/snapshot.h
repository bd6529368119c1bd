/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * What the pinctrl thread knows of the daemon's state: an immutable
 * snapshot that the main thread builds after an engine run that changed
 * something it holds, and publishes (pinctrl.c swaps it in under a mutex
 * and wakes the thread).  The thread takes a reference for each batch of
 * packet-ins and never sees a half-built state; the last reference frees
 * it.  Nothing in it points into an IDL.
 *
 * It holds: the chassis name; the local datapaths by tunnel key, each with
 * its ports (tunnel key, name, type) and, for a switch, the DNS records of
 * the SB DNS rows that name it (lowercased names to addresses);
 * the router ports that send periodic router advertisements (ra.c); the
 * multicast snooping configuration of each switch (IP_Multicast); the
 * services this chassis monitors (Service_Monitor); the addresses it
 * announces on provider networks with gratuitous ARPs (garp.c); the
 * DHCPv6 prefix delegation clients it runs (dhcp6-pd.c).
 */

#ifndef OVNMC_PINCTRL_SNAPSHOT_H
#define OVNMC_PINCTRL_SNAPSHOT_H 1

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/hmap.h"
#include "openvswitch/shash.h"
#include "openvswitch/uuid.h"
#include "packets.h"
#include "smap.h"
#include "ovs-atomic.h"
#include "ovs-thread.h"

struct ds;
struct hmap;
struct ovsdb_idl;

/* A port of a local datapath. */
struct ps_port {
    struct hmap_node node;      /* In 'struct ps_datapath' 'ports', by
                                 * tunnel key. */
    struct hmap_node name_node; /* In 'struct ps_datapath' 'by_name'. */
    uint32_t key;               /* Port_Binding.tunnel_key. */
    char *name;                 /* Port_Binding.logical_port. */
    char *type;                 /* Port_Binding.type. */
    struct uuid uuid;           /* The Port_Binding row. */
    bool local;                 /* Bound to our chassis. */
    struct smap options;        /* Port_Binding.options (copy). */
};

/* A local datapath. */
struct ps_datapath {
    struct hmap_node node;      /* In 'struct pinctrl_snapshot' 'dps', by
                                 * tunnel key. */
    uint32_t key;               /* Datapath_Binding.tunnel_key. */
    struct uuid uuid;           /* The Datapath_Binding row. */
    bool is_router;
    struct hmap ports;          /* struct ps_port, by key. */
    struct hmap by_name;        /* struct ps_port, by name. */
    struct shash dns;           /* Lowercase name -> char *addresses, the
                                 * value of DNS.records (space-separated
                                 * IPv4 and IPv6 addresses). */
    bool mcast_snoop;           /* IP_Multicast.enabled. */
    uint32_t mcast_idle_s;      /* IP_Multicast.idle_timeout (seconds). */
    uint32_t mcast_table_size;  /* IP_Multicast.table_size. */
    bool mcast_querier;         /* IP_Multicast.querier, with a valid
                                 * eth_src and ip4_src (querier.c). */
    struct eth_addr mcast_eth_src;  /* IP_Multicast.eth_src. */
    ovs_be32 mcast_ip4_src;     /* IP_Multicast.ip4_src. */
    struct in6_addr mcast_ip6_src;  /* IP_Multicast.ip6_src, or zero: no
                                     * MLD queries. */
    uint32_t mcast_query_interval_s;    /* IP_Multicast.query_interval. */
    uint32_t mcast_query_max_resp_s;    /* IP_Multicast.query_max_resp. */
};

/* A router port that sends periodic router advertisements (its
 * Port_Binding options:ipv6_ra_send_periodic=true), as seen from the switch
 * it is patched to. */
struct ps_ra {
    char *lrp;                  /* The router port's name. */
    uint32_t dp_key;            /* The switch's tunnel key. */
    uint32_t peer_key;          /* The switch's port of type "router". */
    uint32_t *vifs;             /* Keys of the switch's VIFs bound here. */
    size_t n_vifs;
    struct smap opts;           /* The router port's options. */
};

/* A Service_Monitor row whose logical port is bound here (svc-monitor.c):
 * a service this chassis probes. */
struct ps_svc {
    struct uuid uuid;           /* The Service_Monitor row. */
    bool udp;                   /* Protocol UDP (else TCP). */
    ovs_be32 ip;                /* The service's address... */
    uint16_t port;              /* ...and port. */
    uint32_t dp_key;            /* The logical port's switch... */
    uint32_t port_key;          /* ...and the port. */
    struct eth_addr mac;        /* The logical port's MAC. */
    struct eth_addr src_mac;    /* Where probes come from. */
    ovs_be32 src_ip;
    int interval_ms;            /* options:interval (default 5 s). */
    int timeout_ms;             /* options:timeout (default 20 s). */
    int success_count;          /* options:success_count (default 1). */
    int failure_count;          /* options:failure_count (default 1). */
    char *status;               /* Service_Monitor.status, or NULL. */
};

/* Addresses this chassis announces with gratuitous ARPs (a RARP if there
 * is no IPv4 address) on the localnet ports of a switch (garp.c). */
struct ps_garp {
    char *owner;                /* The logical port whose addresses they
                                 * are (for logs). */
    uint32_t dp_key;            /* The switch. */
    uint32_t in_key;            /* The switch's port they come from. */
    uint32_t *lns;              /* Keys of the switch's localnet ports. */
    size_t n_lns;
    struct eth_addr mac;        /* The announced MAC. */
    ovs_be32 *ips;              /* The announced IPv4 addresses. */
    size_t n_ips;
};

/* A DHCPv6 prefix delegation client (dhcp6-pd.h): a router port that
 * wants a prefix (options:ipv6_prefix=true) on a router whose gateway port
 * (options:ipv6_prefix_delegation=true) is resident here. */
struct ps_pd {
    char *gw_port;              /* The gateway port's name. */
    char *port;                 /* The port that wants the prefix. */
    uint32_t dp_key;            /* The router. */
    uint32_t gw_key;            /* The gateway port: frames go out of it. */
    uint32_t port_key;          /* The port that wants the prefix. */
    struct eth_addr gw_mac;     /* The gateway port's MAC. */
    struct eth_addr mac;        /* The other port's MAC (the DUID). */
    char *pd_list;              /* Its options:ipv6_ra_pd_list, or NULL. */
};

/* The snapshot. */
struct pinctrl_snapshot {
    struct ovs_refcount ref;
    uint64_t seqno;             /* Increases with every snapshot. */
    char *chassis;              /* Our chassis name, or NULL. */
    struct hmap dps;            /* struct ps_datapath, by key. */
    struct ps_ra *ras;          /* Periodic RA senders. */
    size_t n_ras;
    struct ps_svc *svcs;        /* Services probed from here. */
    size_t n_svcs;
    struct ps_garp *garps;      /* Gratuitous ARP announcements. */
    size_t n_garps;
    struct ps_pd *pds;          /* Prefix delegation clients. */
    size_t n_pds;
    int garp_max_timeout_ms;    /* SB_Global options:garp_max_timeout_sec,
                                 * in ms (0: not set). */
};

/* Returns a new, empty snapshot with one reference. */
struct pinctrl_snapshot *pinctrl_snapshot_create(uint64_t seqno);

/* Takes a reference on 'snap' and returns it. */
struct pinctrl_snapshot *pinctrl_snapshot_ref(
    const struct pinctrl_snapshot *snap);

/* Drops a reference; the last frees 'snap'.  NULL-safe. */
void pinctrl_snapshot_unref(struct pinctrl_snapshot *snap);

/* Building (main thread, before publication). */
struct ps_datapath *pinctrl_snapshot_add_datapath(
    struct pinctrl_snapshot *, uint32_t key, const struct uuid *,
    bool is_router);
struct ps_port *pinctrl_snapshot_add_port(struct ps_datapath *,
                                          uint32_t key, const char *name,
                                          const char *type,
                                          const struct uuid *);
/* Adds a periodic RA sender for router port 'lrp' (options 'opts', copied)
 * whose peer is port 'peer_key' of switch 'dp_key'; returns it, for the
 * caller to fill 'vifs'. */
struct ps_ra *pinctrl_snapshot_add_ra(struct pinctrl_snapshot *,
                                      const char *lrp, uint32_t dp_key,
                                      uint32_t peer_key,
                                      const struct smap *opts);
/* Adds an empty service to 'snap' and returns it, for the caller to
 * fill ('status' is owned by the snapshot). */
struct ps_svc *pinctrl_snapshot_add_svc(struct pinctrl_snapshot *);

/* Adds an announcement of 'mac' from port 'owner' (key 'in_key') of
 * switch 'dp_key' to 'snap' and returns it, for the caller to fill 'lns'
 * and 'ips' (malloc'd, owned by the snapshot). */
struct ps_garp *pinctrl_snapshot_add_garp(struct pinctrl_snapshot *,
                                          const char *owner, uint32_t dp_key,
                                          uint32_t in_key,
                                          struct eth_addr mac);

/* Adds an empty prefix delegation client to 'snap' and returns it, for
 * the caller to fill (its strings are owned by the snapshot). */
struct ps_pd *pinctrl_snapshot_add_pd(struct pinctrl_snapshot *);

/* Returns the service of row 'uuid' in 'snap', or NULL. */
const struct ps_svc *pinctrl_snapshot_find_svc(
    const struct pinctrl_snapshot *, const struct uuid *uuid);

/* Adds DNS records 'names[i]' -> 'addrs[i]' to 'dp' (names lowercased;
 * the first row to name a host wins). */
void pinctrl_snapshot_add_dns(struct ps_datapath *dp, const char *name,
                              const char *addresses);

/* Fills 'snap' from the local datapaths 'dps' (struct local_datapath, see
 * controller/local-datapaths.h), the SB Port_Binding and DNS rows of those
 * datapaths, and 'chassis'. */
void pinctrl_snapshot_fill(struct pinctrl_snapshot *snap,
                           const struct hmap *dps,
                           const struct ovsdb_idl *sb_idl,
                           const char *chassis);

/* Lookups (any thread). */
const struct ps_datapath *pinctrl_snapshot_find_dp(
    const struct pinctrl_snapshot *, uint32_t key);
const struct ps_port *pinctrl_snapshot_find_port(const struct ps_datapath *,
                                                 uint32_t key);
const struct ps_port *pinctrl_snapshot_find_port_by_name(
    const struct ps_datapath *, const char *name);
/* Returns the addresses of 'name' (case-insensitive) on 'dp', or NULL. */
const char *pinctrl_snapshot_find_dns(const struct ps_datapath *,
                                      const char *name);

/* Prints a summary (counts) for "pinctrl/show". */
void pinctrl_snapshot_format(const struct pinctrl_snapshot *, struct ds *);

#endif /* controller/pinctrl/snapshot.h */
