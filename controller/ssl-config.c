/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The SSL settings of the southbound connection: see ssl-config.h.
 */

#include <config.h>

#include "controller/ssl-config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "controller/idl-columns.h"
#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "stream-ssl.h"
#include "timeval.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(ssl_config);

COVERAGE_DEFINE(ssl_config_applied);
COVERAGE_DEFINE(ssl_config_problem);

/* What the messages say of each setting. */
struct ssl_config_item_name {
    const char *what;           /* "private key". */
    const char *column;         /* Column of the SSL table. */
    const char *option;         /* Command-line option. */
};

static const struct ssl_config_item_name item_names[SSL_CONFIG_N_ITEMS] = {
    [SSL_CONFIG_PRIVATE_KEY] = { "private key", "private_key",
                                 "--private-key" },
    [SSL_CONFIG_CERTIFICATE] = { "certificate", "certificate",
                                 "--certificate" },
    [SSL_CONFIG_CA_CERT] = { "CA certificate", "ca_cert", "--ca-cert" },
};

static void
files_init(struct ssl_config_files *f)
{
    for (size_t i = 0; i < SSL_CONFIG_N_ITEMS; i++) {
        f->items[i].file = NULL;
        f->items[i].source = SSL_CONFIG_NONE;
    }
    f->bootstrap_ca_cert = false;
}

static void
files_destroy(struct ssl_config_files *f)
{
    for (size_t i = 0; i < SSL_CONFIG_N_ITEMS; i++) {
        free(f->items[i].file);
        f->items[i].file = NULL;
    }
}

static bool
setting_equals(const struct ssl_config_setting *a,
               const struct ssl_config_setting *b)
{
    return (a->source == b->source
            && nullable_string_is_equal(a->file, b->file));
}

/* Makes 'dst' a copy of 'src'. */
static void
setting_copy(struct ssl_config_setting *dst,
             const struct ssl_config_setting *src)
{
    free(dst->file);
    dst->file = nullable_xstrdup(src->file);
    dst->source = src->source;
}

/* Appends to 'out' where setting 'i' came from: "(column private_key of
 * the SSL table in the local Open vSwitch database)", or if 'brief'
 * "(SSL table column private_key)", or "(--private-key)". */
static void
format_source(enum ssl_config_item i, enum ssl_config_source source,
              bool bootstrap, bool brief, struct ds *out)
{
    switch (source) {
    case SSL_CONFIG_DB:
        ds_put_format(out, (brief ? "(SSL table column %s)"
                            : "(column %s of the SSL table in the local "
                              "Open vSwitch database)"),
                      item_names[i].column);
        break;
    case SSL_CONFIG_CMDLINE:
        ds_put_format(out, "(%s)",
                      (i == SSL_CONFIG_CA_CERT && bootstrap
                       ? "--bootstrap-ca-cert" : item_names[i].option));
        break;
    case SSL_CONFIG_NONE:
    default:
        ds_put_cstr(out, "(not configured)");
        break;
    }
}

static void apply(struct ssl_config *, const struct ovsrec_ssl *, bool);

void
ssl_config_init(struct ssl_config *ssl,
                const struct ssl_config_options *options)
{
    ssl->options.private_key = nullable_xstrdup(options->private_key);
    ssl->options.certificate = nullable_xstrdup(options->certificate);
    ssl->options.ca_cert = nullable_xstrdup(options->ca_cert);
    ssl->options.bootstrap_ca_cert = options->bootstrap_ca_cert;
    files_init(&ssl->applied);
    svec_init(&ssl->problems);
    svec_init(&ssl->reported);
    ssl->next_report = LLONG_MIN;

    /* Now, for a local database reached over SSL. */
    apply(ssl, NULL, false);
}

void
ssl_config_destroy(struct ssl_config *ssl)
{
    if (ssl) {
        free(CONST_CAST(char *, ssl->options.private_key));
        free(CONST_CAST(char *, ssl->options.certificate));
        free(CONST_CAST(char *, ssl->options.ca_cert));
        files_destroy(&ssl->applied);
        svec_destroy(&ssl->problems);
        svec_destroy(&ssl->reported);
    }
}

/* Fills 'want' from the command-line 'options' and the SSL 'row' (NULL if
 * there is none), and adds to 'problems' each setting that is missing. */
static void
resolve(const struct ssl_config_options *options,
        const struct ovsrec_ssl *row, struct ssl_config_files *want,
        struct svec *problems)
{
    const char *cmdline[SSL_CONFIG_N_ITEMS] = {
        options->private_key, options->certificate, options->ca_cert,
    };
    const char *db[SSL_CONFIG_N_ITEMS] = {
        row ? row->private_key : NULL,
        row ? row->certificate : NULL,
        row ? row->ca_cert : NULL,
    };

    for (size_t i = 0; i < SSL_CONFIG_N_ITEMS; i++) {
        struct ssl_config_setting *s = &want->items[i];
        const struct ssl_config_item_name *name = &item_names[i];

        if (db[i] && db[i][0]) {
            s->file = xstrdup(db[i]);
            s->source = SSL_CONFIG_DB;
        } else if (cmdline[i]) {
            s->file = xstrdup(cmdline[i]);
            s->source = SSL_CONFIG_CMDLINE;
            if (row) {
                svec_add_nocopy(problems, xasprintf(
                    "column %s of the SSL table in the local Open vSwitch "
                    "database is empty: using the %s %s from the command "
                    "line", name->column, name->what, s->file));
            }
        } else if (row) {
            svec_add_nocopy(problems, xasprintf(
                "column %s of the SSL table in the local Open vSwitch "
                "database is empty: no %s for SSL connections (set it with "
                "\"ovs-vsctl set-ssl\")", name->column, name->what));
        } else {
            svec_add_nocopy(problems, xasprintf(
                "no %s for SSL connections: set one with \"ovs-vsctl "
                "set-ssl\" or %s", name->what, name->option));
        }
    }
    want->bootstrap_ca_cert =
        (want->items[SSL_CONFIG_CA_CERT].source == SSL_CONFIG_DB
         ? row->bootstrap_ca_cert : options->bootstrap_ca_cert);
}

/* Returns 0 if 'file' is a file that can be opened for reading, otherwise
 * an errno value. */
static int
check_file(const char *file)
{
    int fd = open(file, O_RDONLY);
    if (fd < 0) {
        return errno;
    }

    struct stat st;
    int error = fstat(fd, &st) ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
    close(fd);
    return error;
}

/* Adds to 'problems' that setting 'i' of 'want' cannot be read. */
static void
add_file_problem(const struct ssl_config_files *want, enum ssl_config_item i,
                 int error, struct svec *problems)
{
    const struct ssl_config_setting *s = &want->items[i];
    struct ds msg = DS_EMPTY_INITIALIZER;

    ds_put_format(&msg, "SSL %s %s ", item_names[i].what, s->file);
    format_source(i, s->source, want->bootstrap_ca_cert, false, &msg);
    ds_put_format(&msg, " cannot be read (%s): not used until it can be",
                  ovs_strerror(error));
    svec_add_nocopy(problems, ds_steal_cstr(&msg));
}

/* Hands the private key and the certificate of 'want' to the stream
 * library if both can be read. */
static void
apply_key_and_cert(struct ssl_config *ssl, const struct ssl_config_files *want,
                   struct svec *problems)
{
    const struct ssl_config_setting *key
        = &want->items[SSL_CONFIG_PRIVATE_KEY];
    const struct ssl_config_setting *cert
        = &want->items[SSL_CONFIG_CERTIFICATE];
    if (!key->file || !cert->file) {
        return;                 /* resolve() reported it. */
    }

    int key_error = check_file(key->file);
    int cert_error = check_file(cert->file);
    if (key_error) {
        add_file_problem(want, SSL_CONFIG_PRIVATE_KEY, key_error, problems);
    }
    if (cert_error) {
        add_file_problem(want, SSL_CONFIG_CERTIFICATE, cert_error, problems);
    }
    if (!key_error && !cert_error) {
        /* Reads both files again if either changed (name or mtime). */
        stream_ssl_set_key_and_cert(key->file, cert->file);
        setting_copy(&ssl->applied.items[SSL_CONFIG_PRIVATE_KEY], key);
        setting_copy(&ssl->applied.items[SSL_CONFIG_CERTIFICATE], cert);
    }
}

/* Hands the CA certificate of 'want' to the stream library if it can be
 * read, is "none", or is to be bootstrapped. */
static void
apply_ca_cert(struct ssl_config *ssl, const struct ssl_config_files *want,
              struct svec *problems)
{
    const struct ssl_config_setting *ca = &want->items[SSL_CONFIG_CA_CERT];
    if (!ca->file) {
        return;                 /* resolve() reported it. */
    }

    int error = strcmp(ca->file, "none") ? check_file(ca->file) : 0;
    if (error && !(error == ENOENT && want->bootstrap_ca_cert)) {
        add_file_problem(want, SSL_CONFIG_CA_CERT, error, problems);
        return;
    }
    stream_ssl_set_ca_cert_file(ca->file, want->bootstrap_ca_cert);
    setting_copy(&ssl->applied.items[SSL_CONFIG_CA_CERT], ca);
    ssl->applied.bootstrap_ca_cert = want->bootstrap_ca_cert;
}

/* Logs what is in effect when it changed from 'before'. */
static void
log_applied(const struct ssl_config *ssl,
            const struct ssl_config_files *before)
{
    for (size_t i = 0; i < SSL_CONFIG_N_ITEMS; i++) {
        if (!setting_equals(&before->items[i], &ssl->applied.items[i])
            || before->bootstrap_ca_cert != ssl->applied.bootstrap_ca_cert) {
            struct ds s = DS_EMPTY_INITIALIZER;

            COVERAGE_INC(ssl_config_applied);
            ssl_config_format(ssl, &s);
            VLOG_INFO("SSL settings in effect: %s", ds_cstr(&s));
            ds_destroy(&s);
            return;
        }
    }
}

/* Logs the problems of the last run if they changed since they were last
 * logged, or if they last and the report interval has passed. */
static void
report_problems(struct ssl_config *ssl)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(20, 20);
    long long int now = time_msec();

    if (svec_equal(&ssl->problems, &ssl->reported)
        && (!ssl->problems.n || now < ssl->next_report)) {
        return;
    }
    if (!ssl->problems.n) {
        VLOG_INFO("the SSL settings of the southbound connection have no "
                  "problem any more");
    }

    const char *problem;
    size_t i;
    SVEC_FOR_EACH (i, problem, &ssl->problems) {
        COVERAGE_INC(ssl_config_problem);
        VLOG_WARN_RL(&rl, "%s", problem);
    }
    svec_destroy(&ssl->reported);
    svec_clone(&ssl->reported, &ssl->problems);
    ssl->next_report = now + SSL_CONFIG_REPORT_INTERVAL_MS;
}

/* Resolves the settings from the command line and 'row' (NULL if none)
 * and applies them: see ssl_config_run(). */
static void
apply(struct ssl_config *ssl, const struct ovsrec_ssl *row, bool in_use)
{
    struct ssl_config_files want, before;
    struct svec problems = SVEC_EMPTY_INITIALIZER;

    if (!row && !ssl->options.private_key && !ssl->options.certificate
        && !ssl->options.ca_cert && !in_use) {
        /* Nothing configured, nothing needed. */
        svec_clear(&ssl->problems);
        svec_clear(&ssl->reported);
        return;
    }

    files_init(&want);
    resolve(&ssl->options, row, &want, &problems);

    files_init(&before);
    for (size_t i = 0; i < SSL_CONFIG_N_ITEMS; i++) {
        setting_copy(&before.items[i], &ssl->applied.items[i]);
    }
    before.bootstrap_ca_cert = ssl->applied.bootstrap_ca_cert;

    apply_key_and_cert(ssl, &want, &problems);
    apply_ca_cert(ssl, &want, &problems);
    log_applied(ssl, &before);
    files_destroy(&before);
    files_destroy(&want);

    svec_clear(&ssl->problems);
    if (in_use) {
        svec_sort(&problems);
        svec_swap(&ssl->problems, &problems);
    }
    svec_destroy(&problems);
    report_problems(ssl);
}

void
ssl_config_run(struct ssl_config *ssl, struct ovsdb_idl *ovs_idl,
               bool in_use)
{
    const struct ovsrec_open_vswitch *ovs = ovsrec_open_vswitch_first(ovs_idl);
    apply(ssl, ovs ? ovs->ssl : NULL, in_use);
}

void
ssl_config_wait(const struct ssl_config *ssl)
{
    if (ssl->problems.n) {
        poll_timer_wait(SSL_CONFIG_RETRY_MS);
    }
}

bool
ssl_config_has_problems(const struct ssl_config *ssl)
{
    return ssl->problems.n > 0;
}

void
ssl_config_format(const struct ssl_config *ssl, struct ds *out)
{
    const struct ssl_config_files *f = &ssl->applied;
    enum ssl_config_source source = f->items[0].source;

    for (size_t i = 1; i < SSL_CONFIG_N_ITEMS; i++) {
        if (f->items[i].source != source) {
            source = SSL_CONFIG_NONE;   /* Mixed: say it for each. */
        }
    }
    for (size_t i = 0; i < SSL_CONFIG_N_ITEMS; i++) {
        const struct ssl_config_setting *s = &f->items[i];

        ds_put_cstr(out, i ? ", " : "");
        if (!s->file) {
            ds_put_format(out, "no %s", item_names[i].what);
        } else {
            ds_put_format(out, "%s %s", item_names[i].what, s->file);
            if (source == SSL_CONFIG_NONE) {
                ds_put_char(out, ' ');
                format_source(i, s->source, f->bootstrap_ca_cert, true,
                              out);
            }
        }
    }
    if (f->bootstrap_ca_cert) {
        ds_put_cstr(out, " (bootstrapped from the peer if missing)");
    }
    if (source != SSL_CONFIG_NONE) {
        ds_put_cstr(out, source == SSL_CONFIG_DB
                    ? ", from the SSL table of the local Open vSwitch "
                      "database" : ", from the command line");
    }
}

/* The local OVS database columns this module reads.  None is tracked: the
 * module looks at the row on every run, and no engine node depends on
 * it. */
static const struct idl_column_use ssl_config_columns[] = {
    { &ovsrec_open_vswitch_col_ssl, false },
    { &ovsrec_ssl_col_private_key, false },
    { &ovsrec_ssl_col_certificate, false },
    { &ovsrec_ssl_col_ca_cert, false },
    { &ovsrec_ssl_col_bootstrap_ca_cert, false },
};

void
ssl_config_declare_columns(struct idl_columns *cols)
{
    IDL_COLUMNS_ADD(cols, ssl_config_columns);
}
