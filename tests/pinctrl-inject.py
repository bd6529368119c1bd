#! /usr/bin/env python3
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
#
# A fast frame injector for the packet-in flood test and benchmarks
# (tests/pinctrl-flood.at, tests/perf/pinctrl-rate.sh).
#
#   pinctrl-inject.py SOCKET FRAMES [--rate PPS] [--duration S]
#                     [--count N] [--quiet]
#
# SOCKET is the Unix socket of a netdev-dummy interface configured with
# "options:pstream=punix:SOCKET": ovs-vswitchd reads the frames sent into
# it as if the VIF received them.  The framing (lib/netdev-dummy.c) is a
# 2-byte big-endian length before each Ethernet frame, both ways; what the
# VIF transmits comes back the same way and is read and counted here (the
# dummy netdev drops what does not fit its small queue, so the VIF's
# tx_pcap is the exact count).  FRAMES is a file of hex frames, one a line,
# sent in turn and over again.
#
# --rate PPS sends PPS frames per second, in batches every millisecond
# (0, the default, is as fast as vswitchd reads them: the socket blocks
# when it is full); --duration S stops after S seconds (default 5),
# --count N after N frames.  It prints one line:
#
#   sent N frames in T s: R frames/s (asked RATE/s); read M frames
#
# R is the rate reached: below the rate asked when vswitchd reads slower.

import argparse
import os
import select
import socket
import struct
import sys
import time


def load_frames(path):
    with open(path) as f:
        frames = [bytes.fromhex(line.strip()) for line in f if line.strip()]
    if not frames:
        sys.exit("%s: no frames" % path)
    return [struct.pack("!H", len(fr)) + fr for fr in frames]


class Reader:
    """Counts the frames the VIF transmitted, from the stream."""

    def __init__(self):
        self.buf = b""
        self.frames = 0

    def feed(self, data):
        self.buf += data
        while len(self.buf) >= 2:
            n = struct.unpack("!H", self.buf[:2])[0]
            if len(self.buf) < 2 + n:
                break
            self.buf = self.buf[2 + n:]
            self.frames += 1


def drain(sock, reader):
    while True:
        try:
            data = sock.recv(65536)
        except BlockingIOError:
            return
        if not data:
            return
        reader.feed(data)


def send_all(sock, data, reader):
    """Sends 'data', reading what comes back while the socket is full."""
    view = memoryview(data)
    while view:
        try:
            n = sock.send(view)
            view = view[n:]
        except BlockingIOError:
            r, _, _ = select.select([sock], [sock], [], 1.0)
            if r:
                drain(sock, reader)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("socket")
    ap.add_argument("frames")
    ap.add_argument("--rate", type=float, default=0)
    ap.add_argument("--duration", type=float, default=5)
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()

    frames = load_frames(args.frames)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    deadline = time.monotonic() + 30
    while True:
        try:
            sock.connect(args.socket)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    sock.setblocking(False)
    reader = Reader()

    # Batches: a run of frames joined in one send.
    batch = 64 if args.rate <= 0 else max(1, int(args.rate / 1000))
    sent = 0
    idx = 0
    start = time.monotonic()
    end = start + args.duration
    while True:
        now = time.monotonic()
        if now >= end or (args.count and sent >= args.count):
            break
        if args.rate > 0:
            due = int((now - start) * args.rate) - sent
            if due <= 0:
                r, _, _ = select.select([sock], [], [], 0.0005)
                if r:
                    drain(sock, reader)
                continue
            n = min(due, batch * 4)
        else:
            n = batch
        if args.count:
            n = min(n, args.count - sent)
        chunk = []
        for _ in range(n):
            chunk.append(frames[idx])
            idx = (idx + 1) % len(frames)
        send_all(sock, b"".join(chunk), reader)
        sent += n
        drain(sock, reader)
    elapsed = time.monotonic() - start
    # Let the last frames be read before closing.
    time.sleep(0.2)
    drain(sock, reader)
    sock.close()
    if not args.quiet:
        print("sent %d frames in %.2f s: %.0f frames/s (asked %s); "
              "read %d frames" % (sent, elapsed, sent / elapsed,
                                  "%.0f/s" % args.rate if args.rate > 0
                                  else "max", reader.frames))
    return 0


if __name__ == "__main__":
    sys.exit(main())
