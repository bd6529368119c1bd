/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Conntrack zone allocation: see ct-zones.h.
 */

#include <config.h>

#include "controller/ct-zones.h"

#include <string.h>
#include "bitmap.h"
#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "sset.h"
#include "svec.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(ct_zones);

COVERAGE_DEFINE(ct_zone_alloc);
COVERAGE_DEFINE(ct_zone_free);

#define CT_ZONE_N_BITS (CT_ZONE_MAX + 1)

void
ct_zones_init(struct ct_zones *cz)
{
    simap_init(&cz->zones);
    cz->in_use = bitmap_allocate(CT_ZONE_N_BITS);
}

void
ct_zones_destroy(struct ct_zones *cz)
{
    if (cz) {
        simap_destroy(&cz->zones);
        bitmap_free(cz->in_use);
        cz->in_use = NULL;
    }
}

/* Parses 'value' as a zone in range into '*zone'. */
static bool
ct_zone_parse(const char *value, unsigned int *zone)
{
    return (str_to_uint(value, 10, zone)
            && *zone >= CT_ZONE_MIN && *zone <= CT_ZONE_MAX);
}

void
ct_zones_parse_saved(const struct smap *external_ids, struct simap *saved,
                     struct svec *errors)
{
    const struct smap_node **sorted = smap_sort(external_ids);
    size_t plen = strlen(CT_ZONE_KEY_PREFIX);

    for (size_t i = 0; i < smap_count(external_ids); i++) {
        const struct smap_node *node = sorted[i];
        unsigned int zone;

        if (strncmp(node->key, CT_ZONE_KEY_PREFIX, plen)
            || !node->key[plen]) {
            continue;
        }
        if (!ct_zone_parse(node->value, &zone)) {
            svec_add_nocopy(errors, xasprintf(
                "bridge external_ids:%s=\"%s\" is not a conntrack zone "
                "(%d..%d); ignored", node->key, node->value,
                CT_ZONE_MIN, CT_ZONE_MAX));
            continue;
        }
        simap_put(saved, node->key + plen, zone);
    }
    free(sorted);
}

void
ct_zones_add_pin(struct simap *pins, const char *name, const char *value,
                 struct svec *errors)
{
    unsigned int zone;

    if (!ct_zone_parse(value, &zone)) {
        svec_add_nocopy(errors, xasprintf(
            "%s: pinned conntrack zone \"%s\" is not in %d..%d; ignored",
            name, value, CT_ZONE_MIN, CT_ZONE_MAX));
        return;
    }
    simap_put(pins, name, zone);
}

/* Assigns 'zone', which must be free, to 'name'. */
static void
ct_zones_assign(struct ct_zones *cz, const char *name, unsigned int zone)
{
    bitmap_set1(cz->in_use, zone);
    simap_put(&cz->zones, name, zone);
}

static bool
ct_zone_in_range(unsigned int zone)
{
    return zone >= CT_ZONE_MIN && zone <= CT_ZONE_MAX;
}

/* Gives the wanted names their pins, in name order.  A zone pinned by two
 * names goes to the first; the other is left unpinned, with a message. */
static void
ct_zones_apply_pins(struct ct_zones *cz, const struct sset *names,
                    const struct simap *pins, struct svec *errors)
{
    const struct simap_node **sorted = simap_sort(pins);

    for (size_t i = 0; i < simap_count(pins); i++) {
        const char *name = sorted[i]->name;
        unsigned int zone = sorted[i]->data;

        if (!sset_contains(names, name) || !ct_zone_in_range(zone)) {
            continue;
        }
        if (bitmap_is_set(cz->in_use, zone)) {
            const struct simap_node *holder;
            const char *other = "another name";

            SIMAP_FOR_EACH (holder, &cz->zones) {
                if (holder->data == zone) {
                    other = holder->name;
                }
            }
            svec_add_nocopy(errors, xasprintf(
                "%s: conntrack zone %u is pinned by %s too; %s keeps it",
                name, zone, other, other));
            continue;
        }
        ct_zones_assign(cz, name, zone);
    }
    free(sorted);
}

/* Gives the wanted names without a zone yet their saved zone when it is
 * still free, in name order. */
static void
ct_zones_apply_saved(struct ct_zones *cz, const char **sorted, size_t n,
                     const struct simap *saved)
{
    for (size_t i = 0; i < n; i++) {
        unsigned int zone = simap_get(saved, sorted[i]);

        if (!simap_contains(&cz->zones, sorted[i]) && ct_zone_in_range(zone)
            && !bitmap_is_set(cz->in_use, zone)) {
            ct_zones_assign(cz, sorted[i], zone);
        }
    }
}

/* Returns the zone a name without a usable saved zone gets: the lowest
 * free zone not in 'reserved', else the lowest free zone, else 0. */
static unsigned int
ct_zones_pick(const struct ct_zones *cz, const unsigned long *reserved)
{
    for (size_t z = bitmap_scan(cz->in_use, false, CT_ZONE_MIN,
                                CT_ZONE_N_BITS);
         z < CT_ZONE_N_BITS;
         z = bitmap_scan(cz->in_use, false, z + 1, CT_ZONE_N_BITS)) {
        if (!bitmap_is_set(reserved, z)) {
            return z;
        }
    }
    size_t z = bitmap_scan(cz->in_use, false, CT_ZONE_MIN, CT_ZONE_N_BITS);
    return z < CT_ZONE_N_BITS ? z : 0;
}

/* Gives a new zone to every wanted name that still has none, in name
 * order, avoiding the zones saved for other names while others are
 * free. */
static void
ct_zones_fill(struct ct_zones *cz, const char **sorted, size_t n,
              const struct simap *saved, struct svec *errors)
{
    unsigned long *reserved = bitmap_allocate(CT_ZONE_N_BITS);
    struct simap_node *node;

    SIMAP_FOR_EACH (node, saved) {
        if (ct_zone_in_range(node->data)) {
            bitmap_set1(reserved, node->data);
        }
    }
    for (size_t i = 0; i < n; i++) {
        unsigned int zone;

        if (simap_contains(&cz->zones, sorted[i])) {
            continue;
        }
        zone = ct_zones_pick(cz, reserved);
        if (!zone) {
            svec_add_nocopy(errors, xasprintf(
                "%s: no conntrack zone left to allocate", sorted[i]));
            continue;
        }
        ct_zones_assign(cz, sorted[i], zone);
    }
    bitmap_free(reserved);
}

/* Computes into 'cz', which must be empty, the assignment that 'names',
 * 'pins' and 'saved' determine. */
static void
ct_zones_compute(struct ct_zones *cz, const struct sset *names,
                 const struct simap *pins, const struct simap *saved,
                 struct svec *errors)
{
    const char **sorted = sset_sort(names);
    size_t n = sset_count(names);

    ct_zones_apply_pins(cz, names, pins, errors);
    ct_zones_apply_saved(cz, sorted, n, saved);
    ct_zones_fill(cz, sorted, n, saved, errors);
    free(sorted);
}

bool
ct_zones_update(struct ct_zones *cz, const struct sset *names,
                const struct simap *pins, const struct simap *saved,
                struct svec *errors)
{
    struct ct_zones fresh;
    struct simap_node *node;
    bool changed;

    ct_zones_init(&fresh);
    ct_zones_compute(&fresh, names, pins, saved, errors);
    changed = !ct_zones_equal(cz, &fresh);
    if (changed) {
        SIMAP_FOR_EACH (node, &fresh.zones) {
            if (simap_get(&cz->zones, node->name) != node->data) {
                COVERAGE_INC(ct_zone_alloc);
            }
        }
        SIMAP_FOR_EACH (node, &cz->zones) {
            if (!simap_contains(&fresh.zones, node->name)) {
                COVERAGE_INC(ct_zone_free);
            }
        }
        ct_zones_swap(cz, &fresh);
    }
    ct_zones_destroy(&fresh);
    return changed;
}

unsigned int
ct_zones_get(const struct ct_zones *cz, const char *name)
{
    return simap_get(&cz->zones, name);
}

void
ct_zones_external_ids_diff(const struct ct_zones *cz,
                           const struct smap *external_ids,
                           struct smap *to_set, struct sset *to_remove)
{
    size_t plen = strlen(CT_ZONE_KEY_PREFIX);
    const struct smap_node *snode;
    struct simap_node *node;

    SIMAP_FOR_EACH (node, &cz->zones) {
        char *key = xasprintf(CT_ZONE_KEY_PREFIX "%s", node->name);
        char *value = xasprintf("%u", node->data);
        const char *old = smap_get(external_ids, key);

        if (!old || strcmp(old, value)) {
            smap_replace(to_set, key, value);
        }
        free(key);
        free(value);
    }
    SMAP_FOR_EACH (snode, external_ids) {
        if (!strncmp(snode->key, CT_ZONE_KEY_PREFIX, plen)
            && !simap_contains(&cz->zones, snode->key + plen)) {
            sset_add(to_remove, snode->key);
        }
    }
}

bool
ct_zones_equal(const struct ct_zones *a, const struct ct_zones *b)
{
    return simap_equal(&a->zones, &b->zones);
}

char *
ct_zones_diff(const struct ct_zones *a, const struct ct_zones *b)
{
    struct simap_node *node;

    SIMAP_FOR_EACH (node, &a->zones) {
        struct simap_node *other = simap_find(&b->zones, node->name);
        if (!other) {
            return xasprintf("zone %u of %s missing from recompute",
                             node->data, node->name);
        } else if (other->data != node->data) {
            return xasprintf("%s has zone %u, recompute gives %u",
                             node->name, node->data, other->data);
        }
    }
    SIMAP_FOR_EACH (node, &b->zones) {
        if (!simap_contains(&a->zones, node->name)) {
            return xasprintf("recompute gives %s zone %u, incremental none",
                             node->name, node->data);
        }
    }
    return NULL;
}

void
ct_zones_format(const struct ct_zones *cz, struct ds *out)
{
    const struct simap_node **sorted = simap_sort(&cz->zones);

    for (size_t i = 0; i < simap_count(&cz->zones); i++) {
        ds_put_format(out, "%s %u\n", sorted[i]->name, sorted[i]->data);
    }
    free(sorted);
}

void
ct_zones_swap(struct ct_zones *a, struct ct_zones *b)
{
    unsigned long *in_use = a->in_use;

    simap_swap(&a->zones, &b->zones);
    a->in_use = b->in_use;
    b->in_use = in_use;
}

void
ct_zones_clone(struct ct_zones *dst, const struct ct_zones *src)
{
    struct simap_node *node;

    simap_clear(&dst->zones);
    bitmap_set_multiple(dst->in_use, 0, CT_ZONE_N_BITS, false);
    SIMAP_FOR_EACH (node, &src->zones) {
        simap_put(&dst->zones, node->name, node->data);
        bitmap_set1(dst->in_use, node->data);
    }
}
