/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Running one pinctrl handler (controller/pinctrl/pin.h) on one frame, for
 * the fuzz targets fuzz-pinctrl-*.c and the unit driver
 * tests/test-pinctrl.c.
 *
 * The handler's userdata is compiled from a logical action
 * (fuzz_pinctrl_userdata()), as the daemon's encoder would make it for a
 * flow of logical switch 1 (ports p1..p9 are keys 1..9).  The snapshot
 * holds datapath 1 (a switch) with ports p1..p9 (p9 of type "virtual")
 * and DNS records "vm1.ovn.test" -> "10.0.0.1 fd00::1"; the packet's
 * metadata is datapath 1, inport 1, outport 2, reg0 10.0.0.99.
 *
 * fuzz_pinctrl_run() checks what the handler produced: every packet out
 * and a resumed packet parse, only a paused packet resumes, nothing is
 * sent or written for a rejected packet-in, every write names a port of
 * the snapshot.  A failed check aborts (fuzz_check_failed()). */

#ifndef OVN_FUZZ_PINCTRL_H
#define OVN_FUZZ_PINCTRL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds;
struct ofpbuf;

/* Compiles logical action 'action' and stores the userdata of its first
 * controller action in 'userdata', and whether it pauses in '*paused'.
 * Aborts if it has none. */
void fuzz_pinctrl_userdata(const char *action, struct ofpbuf *userdata,
                           bool *paused);

/* Runs the handler that 'userdata' ('ulen' bytes) names on the 'len'-byte
 * frame 'frame'.  If 'out' is nonnull, describes the results in it, one
 * line each ("rejected: ...", "out: HEX actions=...", "resume: HEX
 * result=0|1", "write: ...").  Returns NULL if the handler accepted the
 * packet-in, else a malloc'd reason. */
char *fuzz_pinctrl_run(const void *userdata, size_t ulen, bool paused,
                       const uint8_t *frame, size_t len, struct ds *out);

/* Appends to 'frame' an Ethernet, IPv4 (or IPv6) and UDP header for a
 * payload of 'len' bytes from client port 'sport' to 'dport', then the
 * payload; checksums are not set. */
void fuzz_pinctrl_udp_frame(struct ofpbuf *frame, bool ipv6, int sport,
                            int dport, const uint8_t *payload, size_t len);

#endif /* fuzz-pinctrl.h */
