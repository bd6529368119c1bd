/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The HTTP listener of the metrics over libmicrohttpd, in the daemon's
 * poll loop: see metrics-http.h.
 */

#include <config.h>

#include "controller/metrics-http.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>

#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "socket-util.h"
#include "util.h"

#ifdef OVNMC_HAVE_MICROHTTPD
#include <microhttpd.h>
#endif

VLOG_DEFINE_THIS_MODULE(metrics_http);

COVERAGE_DEFINE(metrics_http_request);
COVERAGE_DEFINE(metrics_http_not_found);
COVERAGE_DEFINE(metrics_http_bad_method);
COVERAGE_DEFINE(metrics_http_error);

/* The path served, and the content type of the exposition format. */
#define METRICS_HTTP_PATH "/metrics"
#define METRICS_HTTP_CONTENT_TYPE "text/plain; version=0.0.4"

/* Limits on what clients may hold: connections at once, and seconds a
 * connection may stay idle. */
#define METRICS_HTTP_MAX_CONNECTIONS 16
#define METRICS_HTTP_IDLE_TIMEOUT_S 10

struct metrics_http {
#ifdef OVNMC_HAVE_MICROHTTPD
    struct MHD_Daemon *daemon;
#endif
    struct sockaddr_storage ss; /* Where it listens, with the bound port. */
    metrics_http_format_cb *format;
    void *aux;                  /* For 'format'. */
    bool starting;              /* In metrics_http_create(). */
    char *start_error;          /* libmicrohttpd's last message while
                                 * starting, or NULL. */
};

/* Parses 'address' into 'ss'.  Returns NULL or a malloc'd error. */
static char *
parse_address(const char *address, struct sockaddr_storage *ss)
{
    if (!inet_parse_active(address, -1, ss, false, NULL)) {
        return xasprintf("metrics address \"%s\": not IP:PORT "
                         "(e.g. 127.0.0.1:9476 or [::1]:9476)", address);
    }
    return NULL;
}

bool
metrics_http_available(void)
{
#ifdef OVNMC_HAVE_MICROHTTPD
    return true;
#else
    return false;
#endif
}

void
metrics_http_format_address(const struct metrics_http *http, struct ds *out)
{
    ss_format_address(&http->ss, out);
    ds_put_format(out, ":%"PRIu16, ss_get_port(&http->ss));
}

#ifdef OVNMC_HAVE_MICROHTTPD
/* libmicrohttpd's log messages: kept while starting (the caller's error
 * quotes the last one), logged afterwards. */
static void
mhd_log(void *http_, const char *format, va_list args)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct metrics_http *http = http_;
    char *msg = xvasprintf(format, args);
    size_t len = strlen(msg);

    while (len && (msg[len - 1] == '\n' || msg[len - 1] == '.')) {
        msg[--len] = '\0';
    }
    COVERAGE_INC(metrics_http_error);
    if (http->starting) {
        free(http->start_error);
        http->start_error = msg;
    } else {
        VLOG_WARN_RL(&rl, "libmicrohttpd: %s", msg);
        free(msg);
    }
}

/* Queues a response of 'status' with 'body' (malloc'd; taken). */
static enum MHD_Result
respond(struct MHD_Connection *conn, unsigned int status, char *body,
        const char *content_type, bool allow)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(body), body, MHD_RESPMEM_MUST_FREE);

    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    if (allow) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    }
    enum MHD_Result result = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return result;
}

/* Answers one request (libmicrohttpd's access handler).  Answers at the
 * first call, before any request body arrives: no request it serves has
 * one. */
static enum MHD_Result
handle_request(void *http_, struct MHD_Connection *conn, const char *url,
               const char *method, const char *version OVS_UNUSED,
               const char *upload_data OVS_UNUSED,
               size_t *upload_data_size OVS_UNUSED,
               void **req_cls OVS_UNUSED)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct metrics_http *http = http_;

    COVERAGE_INC(metrics_http_request);
    if (strcmp(url, METRICS_HTTP_PATH)) {
        COVERAGE_INC(metrics_http_not_found);
        VLOG_DBG_RL(&rl, "%s %s: not found", method, url);
        return respond(conn, MHD_HTTP_NOT_FOUND,
                       xstrdup("not found: metrics are at "
                               METRICS_HTTP_PATH"\n"),
                       "text/plain", false);
    }
    if (strcmp(method, MHD_HTTP_METHOD_GET)
        && strcmp(method, MHD_HTTP_METHOD_HEAD)) {
        COVERAGE_INC(metrics_http_bad_method);
        VLOG_DBG_RL(&rl, "%s %s: method not allowed", method, url);
        return respond(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
                       xstrdup("method not allowed: use GET\n"),
                       "text/plain", true);
    }

    struct ds out = DS_EMPTY_INITIALIZER;
    http->format(http->aux, &out);
    return respond(conn, MHD_HTTP_OK, ds_steal_cstr(&out),
                   METRICS_HTTP_CONTENT_TYPE, false);
}

char *
metrics_http_create(const char *address, metrics_http_format_cb *format,
                    void *aux, struct metrics_http **httpp)
{
    struct metrics_http *http = xzalloc(sizeof *http);
    char *error = parse_address(address, &http->ss);

    *httpp = NULL;
    if (error) {
        free(http);
        return error;
    }
    http->format = format;
    http->aux = aux;

    unsigned int flags = MHD_USE_ERROR_LOG;
    if (http->ss.ss_family == AF_INET6) {
        flags |= MHD_USE_IPv6;
    }
    http->starting = true;
    http->daemon = MHD_start_daemon(
        flags, ss_get_port(&http->ss), NULL, NULL, handle_request, http,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &http->ss,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, http,
        MHD_OPTION_CONNECTION_LIMIT,
        (unsigned int) METRICS_HTTP_MAX_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned int) METRICS_HTTP_IDLE_TIMEOUT_S,
        MHD_OPTION_END);
    http->starting = false;
    if (!http->daemon) {
        error = xasprintf("metrics address \"%s\": cannot listen: %s",
                          address, (http->start_error ? http->start_error
                                    : "libmicrohttpd could not start"));
        free(http->start_error);
        free(http);
        return error;
    }
    free(http->start_error);
    http->start_error = NULL;

    const union MHD_DaemonInfo *info
        = MHD_get_daemon_info(http->daemon, MHD_DAEMON_INFO_BIND_PORT);
    if (info && info->port) {
        if (http->ss.ss_family == AF_INET6) {
            ((struct sockaddr_in6 *) &http->ss)->sin6_port
                = htons(info->port);
        } else {
            ((struct sockaddr_in *) &http->ss)->sin_port = htons(info->port);
        }
    }
    *httpp = http;
    return NULL;
}

void
metrics_http_destroy(struct metrics_http *http)
{
    if (http) {
        MHD_stop_daemon(http->daemon);
        free(http);
    }
}

void
metrics_http_run(struct metrics_http *http)
{
    if (http) {
        MHD_run(http->daemon);
    }
}

void
metrics_http_wait(struct metrics_http *http)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    fd_set rfds, wfds, efds;
    MHD_socket max_fd = MHD_INVALID_SOCKET;

    if (!http) {
        return;
    }
    FD_ZERO(&rfds);
    FD_ZERO(&wfds);
    FD_ZERO(&efds);
    if (MHD_get_fdset(http->daemon, &rfds, &wfds, &efds, &max_fd)
        != MHD_YES) {
        /* A descriptor too large for an fd_set: try again soon. */
        COVERAGE_INC(metrics_http_error);
        VLOG_WARN_RL(&rl, "cannot get the listener's descriptors");
        poll_timer_wait(100);
        return;
    }
    for (int fd = 0; fd <= max_fd; fd++) {
        if (FD_ISSET(fd, &rfds)) {
            poll_fd_wait(fd, POLLIN);
        }
        if (FD_ISSET(fd, &wfds)) {
            poll_fd_wait(fd, POLLOUT);
        }
    }

    MHD_UNSIGNED_LONG_LONG timeout;
    if (MHD_get_timeout(http->daemon, &timeout) == MHD_YES) {
        poll_timer_wait(MIN(timeout, INT_MAX));
    }
}

#else  /* !OVNMC_HAVE_MICROHTTPD */

char *
metrics_http_create(const char *address,
                    metrics_http_format_cb *format OVS_UNUSED,
                    void *aux OVS_UNUSED, struct metrics_http **httpp)
{
    struct sockaddr_storage ss;
    char *error = parse_address(address, &ss);

    *httpp = NULL;
    if (!error) {
        COVERAGE_INC(metrics_http_error);
        error = xasprintf("metrics address \"%s\": cannot listen: this "
                          "ovn-controller was built without libmicrohttpd "
                          "(\"metrics/show\" still prints the metrics)",
                          address);
    }
    return error;
}

void
metrics_http_destroy(struct metrics_http *http)
{
    free(http);
}

void
metrics_http_run(struct metrics_http *http OVS_UNUSED)
{
}

void
metrics_http_wait(struct metrics_http *http OVS_UNUSED)
{
}

#endif /* !OVNMC_HAVE_MICROHTTPD */
