/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The SSL settings of the southbound connection: the private key, the
 * certificate and the CA certificate that OVS's stream library (one set
 * per process, lib/stream-ssl.h) uses for every "ssl:" connection.
 *
 * Two sources, as in Debian's ovn-controller (man 8 ovn-controller):
 *
 *   - the command line: -p/--private-key, -c/--certificate, -C/--ca-cert
 *     or --bootstrap-ca-cert (struct ssl_config_options);
 *   - the local Open vSwitch database: the SSL row that the Open_vSwitch
 *     row's "ssl" column points to ("ovs-vsctl set-ssl KEY CERT CA"), with
 *     its columns private_key, certificate, ca_cert and bootstrap_ca_cert.
 *
 * The database takes precedence: a non-empty column of the SSL row
 * overrides the matching command-line option.  (Debian's controller also
 * uses an empty column, i.e. no file at all; we fall back to the command
 * line for that column instead and warn, naming the column.)  A row that
 * disappears puts the command-line options back in effect; without any,
 * the files last applied stay in effect (OVS cannot unset them).
 *
 * ssl_config_run() resolves the two sources on every main-loop iteration
 * and hands the result to the stream library, which reads a file again
 * whenever its name or modification time changed.  A file that is missing
 * or unreadable is not handed over (OVS would log an error once and then
 * keep a private key without its certificate): it gets a warning naming
 * the file and where it was configured, repeated every
 * SSL_CONFIG_REPORT_INTERVAL_MS while the problem lasts, and is retried
 * every SSL_CONFIG_RETRY_MS until it appears.  Problems are reported only
 * while the southbound remote uses SSL.
 */

#ifndef OVNMC_SSL_CONFIG_H
#define OVNMC_SSL_CONFIG_H 1

#include <stdbool.h>
#include "svec.h"

struct ds;
struct idl_columns;
struct ovsdb_idl;

/* How often a file that could not be read is looked at again, in ms. */
#define SSL_CONFIG_RETRY_MS 1000

/* How often a lasting problem is reported again, in ms. */
#define SSL_CONFIG_REPORT_INTERVAL_MS 60000

/* The SSL options of the command line.  The strings are not owned (they
 * point into argv). */
struct ssl_config_options {
    const char *private_key;    /* -p; NULL if not given. */
    const char *certificate;    /* -c; NULL if not given. */
    const char *ca_cert;        /* -C or --bootstrap-ca-cert; NULL if
                                 * neither was given. */
    bool bootstrap_ca_cert;     /* 'ca_cert' came from
                                 * --bootstrap-ca-cert. */
};

/* Where a setting came from. */
enum ssl_config_source {
    SSL_CONFIG_NONE,            /* Nowhere: not configured. */
    SSL_CONFIG_CMDLINE,         /* The command line. */
    SSL_CONFIG_DB,              /* The SSL row of the local database. */
};

/* One setting: a file name and its source. */
struct ssl_config_setting {
    char *file;                 /* NULL if SSL_CONFIG_NONE. */
    enum ssl_config_source source;
};

/* The settings, in the order of the SSL table's columns. */
enum ssl_config_item {
    SSL_CONFIG_PRIVATE_KEY,     /* private_key, -p. */
    SSL_CONFIG_CERTIFICATE,     /* certificate, -c. */
    SSL_CONFIG_CA_CERT,         /* ca_cert, -C or --bootstrap-ca-cert. */
    SSL_CONFIG_N_ITEMS
};

/* The settings, resolved from both sources. */
struct ssl_config_files {
    struct ssl_config_setting items[SSL_CONFIG_N_ITEMS];
    bool bootstrap_ca_cert;     /* Bootstrap the CA certificate from the
                                 * peer if its file does not exist. */
};

/* The state of the SSL settings. */
struct ssl_config {
    struct ssl_config_options options;  /* Copied, strings owned. */
    struct ssl_config_files applied;    /* Last handed to OVS (a setting
                                         * not handed over yet is
                                         * SSL_CONFIG_NONE). */
    struct svec problems;       /* Problems of the last run, sorted. */
    struct svec reported;       /* Problems last logged. */
    long long int next_report;  /* When to log lasting problems again. */
};

/* Initializes 'ssl' with the command-line 'options' (copied), and applies
 * those whose files can be read (for a local database reached over
 * SSL). */
void ssl_config_init(struct ssl_config *ssl,
                     const struct ssl_config_options *options);

/* Frees what 'ssl' owns.  NULL-safe. */
void ssl_config_destroy(struct ssl_config *ssl);

/* Resolves the settings from the command line and the SSL row of
 * 'ovs_idl' (the local Open vSwitch database) and hands those whose files
 * can be read to the stream library.  'in_use' tells whether the
 * southbound remote uses SSL: only then are problems logged. */
void ssl_config_run(struct ssl_config *ssl, struct ovsdb_idl *ovs_idl,
                    bool in_use);

/* Arranges for the next poll_block() to wake up when a file that could not
 * be read should be looked at again. */
void ssl_config_wait(const struct ssl_config *ssl);

/* True if the last ssl_config_run() found a problem. */
bool ssl_config_has_problems(const struct ssl_config *ssl);

/* Appends to 'out' a one-line description of the files in effect and
 * where they came from, e.g. "private key /k, certificate /c, CA
 * certificate /ca (from the local Open vSwitch database)". */
void ssl_config_format(const struct ssl_config *ssl, struct ds *out);

/* Declares to 'cols' the local OVS database columns the module reads (see
 * controller/idl-columns.h). */
void ssl_config_declare_columns(struct idl_columns *cols);

#endif /* controller/ssl-config.h */
