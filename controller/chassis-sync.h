/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The chassis's rows in the southbound database: what they should hold, and
 * bringing the database in line with that.
 *
 * A pure module: chassis_sync_compute() turns the parsed configuration and
 * a few facts of the local OVS database into the desired rows (a struct
 * chassis_sync_desired); chassis_sync_apply() compares them with the SB
 * rows and writes, in the caller's transaction, only the columns whose
 * content differs, keeping every row that can be kept (an Encap row for an
 * unchanged (IP, type) pair keeps its UUID).  Problems are returned as
 * messages; nothing here logs.
 *
 * Rows we own: the Chassis and Chassis_Private rows named after our
 * system-id, and the Encap rows our Chassis references.  Nothing else is
 * ever modified.
 */

#ifndef OVNMC_CHASSIS_SYNC_H
#define OVNMC_CHASSIS_SYNC_H 1

#include <stdbool.h>
#include <stddef.h>
#include "controller/chassis-config.h"
#include "smap.h"
#include "sset.h"

struct ovsdb_idl;
struct ovsdb_idl_txn;
struct sbrec_chassis;
struct sbrec_chassis_private;
struct sbrec_encap;
struct svec;

/* One desired Encap row. */
struct chassis_sync_encap {
    enum chassis_encap_type type;
    char *ip;                   /* Canonical text form. */
    struct smap options;        /* csum, is_default, plane. */
};

/* The rows our chassis should have. */
struct chassis_sync_desired {
    char *name;                 /* Chassis and Chassis_Private name. */
    char *hostname;
    struct smap other_config;
    struct sset transport_zones;

    /* Encap rows, in Encap-ID order, geneve before vxlan for an IP. */
    struct chassis_sync_encap *encaps;
    size_t n_encaps;

    /* Every (IP, type) pair the configuration lists, as "type@ip", also the
     * ones skipped because another chassis owns them: a change of an Encap
     * row with one of these pairs concerns us. */
    struct sset pairs;
};

/* Local facts that go into Chassis other_config. */
struct chassis_sync_host {
    const char *datapath_type;  /* The integration bridge's. */
    const char *iface_types;    /* Open_vSwitch iface_types, comma-joined. */
};

void chassis_sync_desired_init(struct chassis_sync_desired *);
void chassis_sync_desired_destroy(struct chassis_sync_desired *);

/* Computes into 'out' (initialized; overwritten) the rows for 'cfg', which
 * must be complete (chassis_config_is_complete()).  'sb_idl' is read for
 * Encap rows other chassis own: such a pair is left out and a message
 * naming the other chassis is appended to 'problems'.  Rows of 'old_name'
 * (nullable; our name before a system-id change) count as ours.  'out' may
 * end up with no encap at all. */
void chassis_sync_compute(const struct chassis_config *cfg,
                          const struct chassis_sync_host *host,
                          const char *old_name, struct ovsdb_idl *sb_idl,
                          struct chassis_sync_desired *out,
                          struct svec *problems);

/* Returns NULL if 'a' and 'b' are equal, otherwise a malloc'd description of
 * the first difference. */
char *chassis_sync_desired_diff(const struct chassis_sync_desired *a,
                                const struct chassis_sync_desired *b);

/* Counts of what chassis_sync_apply() wrote. */
struct chassis_sync_stats {
    unsigned int rows_inserted;
    unsigned int rows_deleted;
    unsigned int columns_written;
    bool hostname_written;      /* Chassis hostname among them. */
};

/* Brings the SB rows of 'desired' in line, in 'txn'.  Adds to 'stats' what
 * it wrote (nothing if the rows already match).
 *
 * 'old_name', if nonnull, is the name this chassis registered before (the
 * system-id changed): its rows are renamed in place when no row has the new
 * name yet, and deleted otherwise.
 *
 * If 'keep_hostname' is true, the hostname of an existing Chassis row is
 * left as it is (a new row still gets the desired one). */
void chassis_sync_apply(const struct chassis_sync_desired *desired,
                        const char *old_name, bool keep_hostname,
                        struct ovsdb_idl *sb_idl, struct ovsdb_idl_txn *txn,
                        struct chassis_sync_stats *stats);

/* Deletes, in 'txn', the Chassis, Chassis_Private and Encap rows of the
 * chassis 'name'.  Returns false if there was none left to delete. */
bool chassis_sync_remove(const char *name, struct ovsdb_idl *sb_idl,
                         struct ovsdb_idl_txn *txn);

/* Change relevance, for the engine's handlers.  Each returns true if the
 * row (inserted, updated or deleted; tracked) may require a write or a
 * different 'desired': it is or was one of ours and does not match, or it
 * carries one of our pairs. */
bool chassis_sync_chassis_changed(const struct chassis_sync_desired *,
                                  const struct sbrec_chassis *);
bool chassis_sync_chassis_private_changed(
    const struct chassis_sync_desired *, const struct sbrec_chassis_private *);
bool chassis_sync_encap_changed(const struct chassis_sync_desired *,
                                const struct sbrec_encap *);

/* Finds the row named 'name', or NULL. */
const struct sbrec_chassis *chassis_sync_find_chassis(
    struct ovsdb_idl *sb_idl, const char *name);
const struct sbrec_chassis_private *chassis_sync_find_chassis_private(
    struct ovsdb_idl *sb_idl, const char *name);

#endif /* controller/chassis-sync.h */
