/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The connection to the southbound database: see sb-conn.h.
 */

#include <config.h>

#include "controller/sb-conn.h"

#include <errno.h>
#include <string.h>

#include "controller/chassis-config.h"
#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(sb_conn);

COVERAGE_DEFINE(sb_conn_set_remote);
COVERAGE_DEFINE(sb_conn_error);

void
sb_conn_init(struct sb_conn *c, const struct ssl_config_options *ssl_options)
{
    c->remote = NULL;
    c->probe_interval = -1;
    ssl_config_init(&c->ssl, ssl_options);
    c->connected = false;
    c->reported_error = 0;
    c->next_report = LLONG_MIN;
}

void
sb_conn_destroy(struct sb_conn *c)
{
    if (c) {
        free(c->remote);
        c->remote = NULL;
        ssl_config_destroy(&c->ssl);
    }
}

bool
sb_conn_remote_uses_ssl(const char *remote)
{
    if (!remote) {
        return false;
    }

    const char *p = remote;
    for (;;) {
        p += strspn(p, " \t,");
        if (!*p) {
            return false;
        }
        if (!strncmp(p, "ssl:", 4)) {
            return true;
        }
        p += strcspn(p, ",");
    }
}

/* Logs the connection error of 'sb_idl', if any, when it first shows or
 * changes, and every SB_CONN_REPORT_INTERVAL_MS while it lasts; and that
 * the connection is up again after an error was logged. */
static void
report_connection(struct sb_conn *c, struct ovsdb_idl *sb_idl)
{
    if (!c->remote) {
        return;
    }
    if (ovsdb_idl_is_connected(sb_idl)) {
        if (!c->connected && c->reported_error) {
            VLOG_INFO("southbound database %s: connected", c->remote);
        }
        c->connected = true;
        return;
    }
    c->connected = false;

    /* The IDL keeps the last error of its session, also once a later
     * connection succeeded: an error is logged again only when it changes
     * or the interval passed, never once per reconnection. */
    int error = ovsdb_idl_get_last_error(sb_idl);
    long long int now = time_msec();
    if (!error || (error == c->reported_error && now < c->next_report)) {
        return;
    }

    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_format(&s, "southbound database %s: cannot connect (%s",
                  c->remote, ovs_retval_to_string(error));
    if (sb_conn_remote_uses_ssl(c->remote)) {
        if (error == EPROTO) {
            ds_put_cstr(&s, ": the SSL handshake or the protocol failed, "
                        "see the stream_ssl message before this one");
        } else if (error == ENOPROTOOPT) {
            ds_put_cstr(&s, ": SSL is not fully configured");
        }
        ds_put_cstr(&s, "; SSL settings: ");
        ssl_config_format(&c->ssl, &s);
        if (ssl_config_has_problems(&c->ssl)) {
            ds_put_cstr(&s, "; see the ssl_config warnings");
        }
    }
    ds_put_char(&s, ')');
    COVERAGE_INC(sb_conn_error);
    VLOG_WARN("%s", ds_cstr(&s));
    ds_destroy(&s);
    c->reported_error = error;
    c->next_report = now + SB_CONN_REPORT_INTERVAL_MS;
}

void
sb_conn_update(struct sb_conn *c, struct ovsdb_idl *sb_idl,
               const struct chassis_config *cfg, struct ovsdb_idl *ovs_idl)
{
    /* The SSL settings first, so that a new "ssl:" remote connects with
     * them. */
    ssl_config_run(&c->ssl, ovs_idl, sb_conn_remote_uses_ssl(cfg->remote));

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
        c->connected = false;
        c->reported_error = 0;
    }

    int probe = (cfg->probe_interval_ms >= 0 ? cfg->probe_interval_ms
                 : SB_CONN_DEFAULT_PROBE_INTERVAL);
    if (c->remote && probe != c->probe_interval) {
        ovsdb_idl_set_probe_interval(sb_idl, probe);
        c->probe_interval = probe;
    }
    report_connection(c, sb_idl);
}

void
sb_conn_wait(const struct sb_conn *c)
{
    ssl_config_wait(&c->ssl);
}
