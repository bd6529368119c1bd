/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Engine leaf "bfd_status": the BFD sessions that ovs-vswitchd runs on our
 * tunnel ports, as its Interface bfd_status column reports them, and how
 * long each has been up.
 *
 * What the spec says: ovs-vswitchd runs BFD on an Interface whose
 * bfd:enable is true and reports, in bfd_status, the session's state and
 * whether it may forward ("forwarding": up, and the peer does not signal
 * concatenated path down).  What we do: for every tunnel port of ours
 * (marked with ovn-chassis-id, port-based), by its key in the mesh
 * (tunnel-mesh.h), keep whether BFD is enabled, up and forwarding, and
 * whether it has been up long enough to count as stable: an up session
 * becomes stable after a hold time, twice its detection time (the
 * Interface's own bfd mult x max(min_rx, min_tx), OVS's defaults if
 * unset) and at least one second.  A session that is already up when the
 * controller starts counts as stable at once: only sessions that come up
 * while we watch must prove themselves (section 9.3 of the architecture
 * page).  A stable session becomes settled one detection time (at least
 * half a second) later: by then the peer's side of it, which came up
 * within a BFD handshake of ours, is stable too, as the peer measures it
 * (controller/ha.h uses this before taking over from a peer).
 *
 * It is a leaf because time makes it change: it reads the OVS IDL itself
 * (the Interface rows it was given at creation) and reports a change when
 * a session's state changed or a session became stable, and asks the
 * poll loop to wake it when the next one will.  The derived nodes that
 * read it ("ha") see only those discrete facts, so their recomputes agree
 * with their handlers.
 */

#ifndef OVNMC_EN_BFD_STATUS_H
#define OVNMC_EN_BFD_STATUS_H 1

#include <stdbool.h>
#include "lib/engine.h"
#include "openvswitch/shash.h"

struct ovsdb_idl;
struct idl_columns;

/* One BFD session, on one of our tunnel ports. */
struct bfd_session {
    char *key;                  /* The tunnel's mesh port key. */
    char *iface;                /* Its Interface name. */
    bool enabled;               /* bfd:enable is true. */
    bool up;                    /* bfd_status:state is "up". */
    bool forwarding;            /* bfd_status:forwarding is "true". */
    bool ever_up;               /* It was up at some point (up now, or
                                 * bfd_status:flap_count > 0): a session
                                 * down since it was enabled says nothing
                                 * about the tunnel (the peer may not run
                                 * BFD). */
    bool stable;                /* Up for the hold time (see above). */
    bool settled;               /* Up for the hold time plus the margin
                                 * (see above). */
    long long int up_since;     /* time_msec() when it came up; 0 if it
                                 * was up when we started. */
    long long int hold_ms;      /* Its hold time. */
    long long int settle_ms;    /* Its hold time plus the margin. */
};

/* The data of "bfd_status". */
struct en_bfd_status_data {
    struct ovsdb_idl *ovs_idl;  /* Not owned. */
    struct shash sessions;      /* Mesh port key -> struct bfd_session. */
    bool started;               /* Read once: later sessions that come up
                                 * must prove themselves. */
};

/* Takes the local OVS IDL as engine_add_node()'s argument. */
extern const struct engine_node_class en_bfd_status_class;

/* Returns the session of tunnel 'key' in 'data', or NULL. */
const struct bfd_session *en_bfd_status_find(
    const struct en_bfd_status_data *data, const char *key);

/* Declares the local OVS database columns the leaf reads. */
void en_bfd_status_declare_columns(struct idl_columns *cols);

#endif /* controller/en-bfd-status.h */
