/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * The optional HTTP listener of the metrics (ovn-controller
 * --metrics-address=IP:PORT): "GET /metrics" (or HEAD) answers with the
 * text a callback formats (metrics.h), with "Content-Type: text/plain;
 * version=0.0.4"; another path gets 404, another method 405.
 *
 * HTTP is libmicrohttpd's (Debian: libmicrohttpd-dev), run without
 * threads inside the daemon's poll loop: libmicrohttpd in "external
 * select" mode, metrics_http_wait() turning its fd sets (MHD_get_fdset())
 * into poll_fd_wait() calls and its timeout (MHD_get_timeout()) into
 * poll_timer_wait(), metrics_http_run() calling MHD_run() after the poll.
 * The callback therefore runs in the main loop, between engine runs, and
 * sees consistent data.
 *
 * A build without libmicrohttpd (configure found none, or
 * --without-microhttpd) still has this interface: metrics_http_create()
 * then fails with an error that says so.
 */

#ifndef OVNMC_METRICS_HTTP_H
#define OVNMC_METRICS_HTTP_H 1

#include <stdbool.h>
#include "compiler.h"

struct ds;
struct metrics_http;

/* Appends the metrics text to 'out'.  'aux' is the value given to
 * metrics_http_create(). */
typedef void metrics_http_format_cb(void *aux, struct ds *out);

/* Starts listening on 'address', "IP:PORT" ("[IPV6]:PORT" for IPv6; port
 * 0 lets the kernel pick a free one, see metrics_http_format_address()),
 * serving what 'format' appends, called with 'aux'.  On success stores
 * the listener in '*httpp' and returns NULL.  On failure (an address that
 * does not parse, a port in use, a build without libmicrohttpd) stores
 * NULL and returns a malloc'd error message that names 'address'. */
char *metrics_http_create(const char *address, metrics_http_format_cb *format,
                          void *aux, struct metrics_http **httpp)
    OVS_WARN_UNUSED_RESULT;

/* Closes the listener and its connections and frees 'http'.  NULL-safe. */
void metrics_http_destroy(struct metrics_http *http);

/* Serves what is ready: accepts connections, reads requests, answers
 * them, writes what the sockets take.  Never blocks.  NULL-safe. */
void metrics_http_run(struct metrics_http *http);

/* Arranges for poll_block() to wake when metrics_http_run() has work.
 * NULL-safe. */
void metrics_http_wait(struct metrics_http *http);

/* Appends the address 'http' listens on, "IP:PORT" with the port actually
 * bound ("[IPV6]:PORT" for IPv6). */
void metrics_http_format_address(const struct metrics_http *http,
                                 struct ds *out);

/* True if this build can listen (it has libmicrohttpd). */
bool metrics_http_available(void);

#endif /* controller/metrics-http.h */
