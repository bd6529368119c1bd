/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine leaf nodes for OVSDB tables: see en-ovsdb.h.
 *
 * What triggers work: a tracked insert, update or delete in the table.  The
 * leaf itself holds no copy of the rows; the nodes above read them from the
 * IDL, and the tracked changes through the IDL's *_FOR_EACH_TRACKED.
 */

#include <config.h>

#include "controller/en-ovsdb.h"

#include "coverage.h"
#include "openvswitch/util.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(en_ovsdb);

COVERAGE_DEFINE(en_ovsdb_table_changed);

void *
en_ovsdb_table_create(struct ovsdb_idl *idl,
                      const struct ovsdb_idl_table_class *tc)
{
    struct en_ovsdb_table *t = xmalloc(sizeof *t);
    t->idl = idl;
    t->tc = tc;
    return t;
}

void
en_ovsdb_table_cleanup(void *data)
{
    free(data);
}

/* A table leaf has nothing to recompute: the IDL holds the rows. */
enum engine_run_result
en_ovsdb_table_run(struct engine_node *node OVS_UNUSED, void *data OVS_UNUSED,
                   const struct engine_context *ctx OVS_UNUSED)
{
    return ENGINE_RUN_UPDATED;
}

bool
en_ovsdb_table_changed(void *data)
{
    const struct en_ovsdb_table *t = data;
    bool changed = ovsdb_idl_track_get_first(t->idl, t->tc) != NULL;

    if (changed) {
        COVERAGE_INC(en_ovsdb_table_changed);
        VLOG_DBG("table %s changed", t->tc->name);
    }
    return changed;
}

struct ovsdb_idl *
en_ovsdb_input_idl(const struct engine_node *node,
                   const struct engine_node *input)
{
    const struct en_ovsdb_table *t = engine_get_input_data(node, input);
    return t->idl;
}
