/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The connection to the southbound database: see sb-conn.h.
 */

#include <config.h>

#include "controller/sb-conn.h"

#include "controller/chassis-config.h"
#include "coverage.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(sb_conn);

COVERAGE_DEFINE(sb_conn_set_remote);

void
sb_conn_init(struct sb_conn *c)
{
    c->remote = NULL;
    c->probe_interval = -1;
}

void
sb_conn_destroy(struct sb_conn *c)
{
    if (c) {
        free(c->remote);
        c->remote = NULL;
    }
}

void
sb_conn_update(struct sb_conn *c, struct ovsdb_idl *sb_idl,
               const struct chassis_config *cfg)
{
    if (!nullable_string_is_equal(c->remote, cfg->remote)) {
        COVERAGE_INC(sb_conn_set_remote);
        if (cfg->remote) {
            VLOG_INFO("connecting to the southbound database at %s",
                      cfg->remote);
        } else {
            VLOG_WARN("external_ids:ovn-remote is not set: not connected "
                      "to the southbound database");
        }
        ovsdb_idl_set_remote(sb_idl, cfg->remote, true);
        free(c->remote);
        c->remote = nullable_xstrdup(cfg->remote);
        c->probe_interval = -1;
    }

    int probe = (cfg->probe_interval_ms >= 0 ? cfg->probe_interval_ms
                 : SB_CONN_DEFAULT_PROBE_INTERVAL);
    if (c->remote && probe != c->probe_interval) {
        ovsdb_idl_set_probe_interval(sb_idl, probe);
        c->probe_interval = probe;
    }
}
