#! /usr/bin/env python3
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
#
# Frames for the packet tests of tests/gateway.at:
#
#   gateway-tool.py ping ETH-SRC ETH-DST IP-SRC IP-DST LEN
#       prints an ICMP echo request (IPv4, DF set, TTL 64) whose IP
#       datagram is LEN bytes long, in hexadecimal
#   gateway-tool.py icmp-err
#       reads frames in hexadecimal (one a line, as ovn_pcap_hex prints
#       them) and prints, for each ICMP destination unreachable,
#       "ETH-SRC>ETH-DST IP-SRC>IP-DST ttl=T TYPE/CODE mtu=M
#       inner=SRC>DST len=L" (the quoted datagram's addresses and length)

import ipaddress
import struct
import sys


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


def ping(smac, dmac, sip, dip, n):
    n = int(n)
    body = struct.pack("!BBHHH", 8, 0, 0, 0x77, 1) + bytes(n - 28)
    body = body[:2] + struct.pack("!H", csum(body)) + body[4:]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, n, 0x4343, 0x4000, 64, 1,
                      0, ip(sip), ip(dip))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    print((mac(dmac) + mac(smac) + b"\x08\x00" + hdr + body).hex())


def icmp_err():
    def m(b):
        return ":".join("%02x" % x for x in b)

    def a(b):
        return str(ipaddress.ip_address(b))

    for line in sys.stdin:
        f = bytes.fromhex(line.strip())
        if len(f) < 62 or f[12:14] != b"\x08\x00" or f[23] != 1 \
           or f[34] != 3:
            continue
        inner = f[42:]
        print("%s>%s %s>%s ttl=%d %d/%d mtu=%d inner=%s>%s len=%d" % (
            m(f[6:12]), m(f[0:6]), a(f[26:30]), a(f[30:34]), f[22], f[34],
            f[35], struct.unpack("!H", f[40:42])[0], a(inner[12:16]),
            a(inner[16:20]), struct.unpack("!H", inner[2:4])[0]))


if sys.argv[1] == "ping":
    ping(*sys.argv[2:7])
elif sys.argv[1] == "icmp-err":
    icmp_err()
else:
    sys.exit("unknown command %s" % sys.argv[1])
