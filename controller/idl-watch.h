/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Noticing when an IDL starts a new session with its database.
 *
 * After a reconnection the IDL may replace its whole contents (a full
 * resync), and the rows it drops are not reported as tracked deletions, so
 * change handlers cannot see them: the engine must recompute.  idl_watch
 * notices a new connection and reports it once the first contents of the
 * new session have arrived.
 */

#ifndef OVNMC_IDL_WATCH_H
#define OVNMC_IDL_WATCH_H 1

#include <stdbool.h>
#include <stdint.h>

struct ovsdb_idl;

struct idl_watch {
    const char *name;           /* For the log: "local OVS", "southbound". */
    bool connected;             /* Connected at the last call. */
    bool pending;               /* New session; contents not seen yet. */
    unsigned int seqno;         /* IDL seqno when the session started. */
    unsigned int last_seqno;    /* IDL seqno at the previous call. */
    uint64_t n_connections;     /* Connections seen, the first included
                                 * (for metrics). */
};

/* Initializes 'w' for the IDL called 'name' (a static string). */
void idl_watch_init(struct idl_watch *w, const char *name);

/* Returns true, once per new session of 'idl', when its contents arrived:
 * time to recompute everything. */
bool idl_watch_run(struct idl_watch *w, const struct ovsdb_idl *idl);

#endif /* controller/idl-watch.h */
