#! /usr/bin/env python3
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
#
# Prints an IPv4 frame in hexadecimal, for the packet tests of
# tests/lflow.at:
#
#   lflow-frame.py ETH-SRC ETH-DST IP-SRC IP-DST TTL [PROTO]
#
# PROTO: "icmp" (an echo request, the default), "icmp-reply" (an echo
# reply), "tcp:SPORT:DPORT" (a SYN, sequence number 1) or
# "tcp:SPORT:DPORT:synack" (the SYN-ACK that answers it: sequence number
# 1000, acknowledging 2).  Checksums are computed.

import struct, sys
def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def mac(m):
    return bytes(int(x, 16) for x in m.split(":"))
def ip(a):
    return bytes(int(x) for x in a.split("."))
src, dst, sip, dip, ttl = sys.argv[1:6]
proto = sys.argv[6] if len(sys.argv) > 6 else "icmp"
if proto.startswith("tcp"):
    fields = proto.split(":")
    sport, dport = fields[1], fields[2]
    if len(fields) > 3 and fields[3] == "synack":
        seq, ack, flags = 1000, 2, 0x12
    else:
        seq, ack, flags = 1, 0, 0x02
    tcp = struct.pack("!HHIIBBHHH", int(sport), int(dport), seq, ack, 0x50,
                      flags, 8192, 0, 0)
    pseudo = ip(sip) + ip(dip) + struct.pack("!BBH", 0, 6, len(tcp))
    l4 = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    pnum = 6
else:
    t = 0 if proto == "icmp-reply" else 8
    body = struct.pack("!BBHHH", t, 0, 0, 0x1234, 1) + b"ovnmc-lflow-test"
    l4 = body[:2] + struct.pack("!H", csum(body)) + body[4:]
    pnum = 1
hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 0x4242, 0,
                  int(ttl), pnum, 0, ip(sip), ip(dip))
hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
print((mac(dst) + mac(src) + b"\x08\x00" + hdr + l4).hex())
