/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Noticing when an IDL starts a new session: see idl-watch.h.
 */

#include <config.h>

#include "controller/idl-watch.h"

#include "coverage.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"

VLOG_DEFINE_THIS_MODULE(idl_watch);

COVERAGE_DEFINE(idl_watch_new_session);

void
idl_watch_init(struct idl_watch *w, const char *name)
{
    w->name = name;
    w->connected = false;
    w->pending = false;
    w->seqno = 0;
    w->last_seqno = 0;
    w->n_connections = 0;
}

bool
idl_watch_run(struct idl_watch *w, const struct ovsdb_idl *idl)
{
    bool connected = ovsdb_idl_is_connected(idl);
    unsigned int seqno = ovsdb_idl_get_seqno(idl);

    if (connected && !w->connected) {
        /* The contents may have arrived in the same run as the connection:
         * compare with the seqno before it. */
        w->pending = true;
        w->seqno = w->last_seqno;
        w->n_connections++;
    } else if (!connected && w->connected) {
        VLOG_INFO("%s database connection lost", w->name);
    }
    w->connected = connected;
    w->last_seqno = seqno;

    if (w->pending && seqno != w->seqno) {
        w->pending = false;
        COVERAGE_INC(idl_watch_new_session);
        VLOG_INFO("%s database connected: full recompute", w->name);
        return true;
    }
    return false;
}
