/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Conntrack zone allocation.
 *
 * Every local logical port, and the DNAT and SNAT zones of every local
 * datapath (switches too: the load balancer hairpin commits in a switch's
 * SNAT zone), gets a conntrack zone in 1..65535.  Zones are stable:
 * they are saved in the integration bridge's external_ids as
 * "ct-zone-<name>" = "<zone>" and reused when the daemon starts again.  An
 * operator may pin a zone (Interface external_ids:ovn-ct-zone, router
 * options:snat-ct-zone); a pin wins over a saved or already assigned zone.
 *
 * A pure module: the caller hands in the wanted names, the pins and the
 * saved map as plain sets and maps, and gets back the assignment and the
 * external_ids changes to write.  It never logs and never touches a
 * database; problems are returned as messages.
 *
 * The assignment is a function of (the wanted names, the pins, the saved
 * map) alone, never of the order in which names came and went, so an
 * incremental update and a from-scratch recompute always agree.  Zones are
 * stable because they are saved: once the saved map holds the assignment,
 * recomputing from it gives the same assignment (a fixed point), also after
 * a restart.  Until a new name's zone is saved, a name that sorts before it
 * and arrives in the meantime may take it.
 */

#ifndef OVNMC_CT_ZONES_H
#define OVNMC_CT_ZONES_H 1

#include <stdbool.h>
#include "simap.h"

struct ds;
struct smap;
struct sset;
struct svec;

/* Smallest and largest zone handed out.  Zone 0 is the default zone of
 * everything that is not a logical port and is never allocated. */
#define CT_ZONE_MIN 1
#define CT_ZONE_MAX 65535

/* Prefix of the integration bridge external_ids keys that save zones. */
#define CT_ZONE_KEY_PREFIX "ct-zone-"

/* The allocator. */
struct ct_zones {
    struct simap zones;          /* Name -> zone, for every name in use. */
    unsigned long *in_use;       /* Bitmap of the zones in 'zones', indexed
                                  * by zone number (0..CT_ZONE_MAX). */
};

/* Initializes 'cz' empty. */
void ct_zones_init(struct ct_zones *cz);

/* Frees what 'cz' owns (not 'cz').  Accepts NULL. */
void ct_zones_destroy(struct ct_zones *cz);

/* Parses the "ct-zone-<name>" keys of 'external_ids' into 'saved' (name ->
 * zone), which the caller initialized and owns.  A value that is not a
 * zone in range is skipped and a message naming the key and the value is
 * appended to 'errors'. */
void ct_zones_parse_saved(const struct smap *external_ids,
                          struct simap *saved, struct svec *errors);

/* Parses a pin value 'value' for 'name' (from Interface
 * external_ids:ovn-ct-zone or router options:snat-ct-zone) and adds it to
 * 'pins'.  A bad value is skipped with a message in 'errors'. */
void ct_zones_add_pin(struct simap *pins, const char *name, const char *value,
                      struct svec *errors);

/* Sets the assignment in 'cz' to the one that 'names' (every name that
 * needs a zone), 'pins' and 'saved' determine:
 *   - a pinned name gets its pin; two names pinned to the same zone: the
 *     first in name order wins, the other is treated as unpinned and a
 *     message says so;
 *   - then, in name order, a name gets its zone from 'saved' if no pin or
 *     earlier name took it;
 *   - then, in name order, every other name gets the lowest zone that is
 *     neither taken nor saved for another name, otherwise the lowest free
 *     zone (a message if none is left).
 * Messages for problems are appended to 'errors'.  Returns true if the
 * assignment changed. */
bool ct_zones_update(struct ct_zones *cz, const struct sset *names,
                     const struct simap *pins, const struct simap *saved,
                     struct svec *errors);

/* Returns the zone of 'name', or 0 if it has none. */
unsigned int ct_zones_get(const struct ct_zones *cz, const char *name);

/* Compares the assignment in 'cz' with the saved keys in 'external_ids' and
 * fills 'to_set' with the keys to add or change and 'to_remove' with the
 * "ct-zone-*" keys to delete.  Both are initialized and owned by the
 * caller. */
void ct_zones_external_ids_diff(const struct ct_zones *cz,
                                const struct smap *external_ids,
                                struct smap *to_set, struct sset *to_remove);

/* True if 'a' and 'b' hold the same assignment. */
bool ct_zones_equal(const struct ct_zones *a, const struct ct_zones *b);

/* Returns NULL if 'a' and 'b' agree, otherwise a malloc'd description of
 * the first difference. */
char *ct_zones_diff(const struct ct_zones *a, const struct ct_zones *b);

/* Appends "name zone\n" lines to 'out', sorted by name. */
void ct_zones_format(const struct ct_zones *cz, struct ds *out);

/* Exchanges the assignments of 'a' and 'b'. */
void ct_zones_swap(struct ct_zones *a, struct ct_zones *b);

/* Copies 'src' into 'dst', which must be initialized. */
void ct_zones_clone(struct ct_zones *dst, const struct ct_zones *src);

#endif /* controller/ct-zones.h */
