/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * What the daemon hands every engine callback: the transactions open in
 * this main-loop iteration.  It is the 'client' of struct engine_context.
 *
 * A node that writes to a database takes its transaction through
 * en_ctx_ovs_txn() or en_ctx_sb_txn(), which return NULL in a consistency
 * check (shadow) run, when no context was given, and when no transaction
 * can be open now (the previous one is still in flight, or the database is
 * not connected).  A node that must write and gets NULL returns
 * ENGINE_RUN_CANCELED (or ENGINE_INPUT_UNHANDLED from a handler), so the
 * engine tries again in a later iteration.
 */

#ifndef OVNMC_EN_CTX_H
#define OVNMC_EN_CTX_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/engine.h"

struct ovsdb_idl_txn;

/* The transactions of one main-loop iteration. */
struct en_ctx {
    struct ovsdb_idl_txn *ovs_txn;  /* Local OVS database, or NULL. */
    struct ovsdb_idl_txn *sb_txn;   /* Southbound database, or NULL. */
    bool ovs_busy;              /* A transaction of ours to the local OVS
                                 * database is in flight: the IDL does not
                                 * show its writes until the reply. */
    bool sb_busy;               /* The same for the southbound. */
    uint64_t gen;               /* The generation of this engine run: the
                                 * flow tables record it in what they add
                                 * or change, and ofctrl reports which
                                 * generation is installed. */
    unsigned int fault;         /* The planted bug to activate (only in a
                                 * --enable-fault-injection build, see
                                 * EN_FAULT below); 0 for none. */
};

/* Returns the local OVS database transaction a node may write to, or
 * NULL. */
static inline struct ovsdb_idl_txn *
en_ctx_ovs_txn(const struct engine_context *ctx)
{
    const struct en_ctx *c = ctx ? ctx->client : NULL;
    return c && !engine_context_is_shadow(ctx) ? c->ovs_txn : NULL;
}

/* Returns the southbound transaction a node may write to, or NULL. */
static inline struct ovsdb_idl_txn *
en_ctx_sb_txn(const struct engine_context *ctx)
{
    const struct en_ctx *c = ctx ? ctx->client : NULL;
    return c && !engine_context_is_shadow(ctx) ? c->sb_txn : NULL;
}

/* True if a transaction of ours to the local OVS database is in flight,
 * so that the IDL shows the database as it was before our last writes.  A
 * shadow run that compares the database with what the node wants must
 * skip (return ENGINE_RUN_CANCELED) then. */
static inline bool
en_ctx_ovs_busy(const struct engine_context *ctx)
{
    const struct en_ctx *c = ctx ? ctx->client : NULL;
    return c && c->ovs_busy;
}

/* The same for the southbound database. */
static inline bool
en_ctx_sb_busy(const struct engine_context *ctx)
{
    const struct en_ctx *c = ctx ? ctx->client : NULL;
    return c && c->sb_busy;
}

/* True if a transaction of ours to either database is in flight. */
static inline bool
en_ctx_any_busy(const struct engine_context *ctx)
{
    return en_ctx_ovs_busy(ctx) || en_ctx_sb_busy(ctx);
}

/* Planted bugs, to prove that the consistency check catches handler bugs
 * (tests/plant.at).  In a build configured with --enable-fault-injection,
 * EN_FAULT(ctx, N) is true when the daemon runs with --fault-injection=N;
 * otherwise it is always false and the planted code is dead. */
#ifdef OVNMC_FAULT_INJECTION
#define EN_FAULT(CTX, N) en_ctx_fault(CTX, N)
static inline bool
en_ctx_fault(const struct engine_context *ctx, unsigned int n)
{
    const struct en_ctx *c = ctx ? ctx->client : NULL;
    return c && c->fault == n;
}
#else
#define EN_FAULT(CTX, N) ((void) (CTX), false)
#endif

/* Returns the generation of this engine run (0 without a context). */
static inline uint64_t
en_ctx_gen(const struct engine_context *ctx)
{
    const struct en_ctx *c = ctx ? ctx->client : NULL;
    return c ? c->gen : 0;
}

/* True if this run must only compute (a consistency check). */
static inline bool
en_ctx_is_shadow(const struct engine_context *ctx)
{
    return ctx && engine_context_is_shadow(ctx);
}

#endif /* controller/en-ctx.h */
