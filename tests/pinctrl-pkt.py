#! /usr/bin/env python3
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
#
# Builds and decodes the frames of the packet-in tests (tests/pinctrl*.at).
#
#   pinctrl-pkt.py build KIND [KEY=VALUE...]    prints a frame in hex
#   pinctrl-pkt.py decode [--inner] [HEX...]    one line per frame (stdin
#                                               if no argument); --inner
#                                               adds the quoted header of
#                                               an ICMPv4 error
#
# Common keys: src, dst (MACs), sip, dip (IPs), ttl (or hlim), vlan.
# KINDs:
#   arp-req      op 1; sha=src spa=sip tha=0 tpa=dip
#   arp-reply    op 2; sha=src spa=sip tha=dst tpa=dip
#   icmp4        echo request (id 0x1234, seq 1, 16 bytes of data)
#   icmp4-err    ICMPv4 error (type, default 3; code, default 3) quoting
#                the IPv4 header and 8 bytes of a TCP segment from isip to
#                idip, isport to idport (the segment the error is about)
#   udp4, tcp4   sport, dport, flags (tcp: S, SA, A, ...), seq, ack,
#                payload (bytes of text)
#   icmp6        echo request over IPv6
#   udp6, tcp6   as udp4, tcp4 over IPv6
#   ns           neighbour solicitation for 'target' (default dip), to
#                its solicited-node address unless dip is given
#   na           neighbour advertisement: target, tll, flags (RSO)
#   igmp         IGMP from src/sip (ttl 1) to dip (default: the group, or
#                224.0.0.22 for v3): type (report, leave, v3, query),
#                group, records (v3: TYPE:GROUP,...), badcsum=1
#   mld          MLD from src (fe80::/64 EUI-64 unless sip), hlim 1:
#                type (report, done, v2), group, records as for igmp
#   rs           router solicitation from src (fe80::/64 EUI-64 unless
#                sip) to all routers, with a source link-layer option
#   dhcp         DHCPv4 from src: type (discover, request), xid, ciaddr,
#                reqip (option 50), sid (option 54), bcast=1
#   dhcp6        DHCPv6 from src (fe80::/64 EUI-64 unless sip): type
#                (solicit, request), xid, iaid, server (server MAC for a
#                request), rapid=1
#   pd           DHCPv6 from a delegating server (RFC 8415 prefix
#                delegation) to a client: type (advertise, reply), xid,
#                client (the client identifier, hex), server (server MAC,
#                DUID-LL), iaid, t1, t2, prefix (P/LEN, none: no
#                IAPREFIX), pref, valid (lifetimes), status (a status
#                code in the IA_PD), cut (drop that many bytes at the end
#                of the DHCPv6 message, keeping the UDP length right)
#   dns          DNS query: name, qtype (A, AAAA, PTR, MX, ...), id
#   sctp4        INIT or DATA chunk: chunk (init, data), vtag, itag
#
# Checksums are computed.  The decoder prints the fields the tests check,
# and "BAD-CSUM" after any layer whose checksum is wrong.

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


def fmac(b):
    return ":".join("%02x" % x for x in b)


def ip4(a):
    return ipaddress.IPv4Address(a).packed


def ip6(a):
    return ipaddress.IPv6Address(a).packed


def eth(args, etype, payload):
    hdr = mac(args.get("dst", "ff:ff:ff:ff:ff:ff")) + mac(args["src"])
    if "vlan" in args:
        hdr += struct.pack("!HH", 0x8100, int(args["vlan"]))
    return hdr + struct.pack("!H", etype) + payload


def ipv4(args, proto, l4, sip=None, dip=None):
    sip = ip4(sip or args["sip"])
    dip = ip4(dip or args["dip"])
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 0x4242, 0,
                    int(args.get("ttl", 64)), proto, 0, sip, dip)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h


def l4csum4(h, proto, l4, ofs):
    pseudo = h[12:20] + struct.pack("!BBH", 0, proto, len(l4))
    if proto == 1:
        pseudo = b""
    c = csum(pseudo + l4)
    if proto == 17 and c == 0:
        c = 0xffff
    return l4[:ofs] + struct.pack("!H", c) + l4[ofs + 2:]


def l4csum6(src, dst, proto, l4, ofs):
    pseudo = src + dst + struct.pack("!IxxxB", len(l4), proto)
    c = csum(pseudo + l4)
    if proto == 17 and c == 0:
        c = 0xffff
    return l4[:ofs] + struct.pack("!H", c) + l4[ofs + 2:]


def v4(args, proto, l4, ofs):
    h = ipv4(args, proto, l4)
    if ofs is not None:
        l4 = l4csum4(h, proto, l4, ofs)
    return eth(args, 0x0800, h + l4)


def v6(args, proto, l4, ofs, sip=None, dip=None):
    s = ip6(sip or args["sip"])
    d = ip6(dip or args["dip"])
    h = struct.pack("!IHBB", 6 << 28, len(l4), proto,
                    int(args.get("hlim", args.get("ttl", 64)))) + s + d
    if ofs is not None:
        l4 = l4csum6(s, d, proto, l4, ofs)
    return eth(args, 0x86dd, h + l4)


def udp(args, payload, sport=None, dport=None):
    return struct.pack("!HHHH", int(sport or args.get("sport", 1234)),
                       int(dport or args.get("dport", 4321)),
                       8 + len(payload), 0) + payload


TCP_FLAGS = "FSRPAU"

# Set by "decode --inner": show the header an ICMPv4 error quotes.
INNER = False


def tcp(args):
    flags = 0
    for c in args.get("flags", "S"):
        flags |= 1 << TCP_FLAGS.index(c)
    payload = args.get("payload", "").encode()
    return struct.pack("!HHIIBBHHH", int(args.get("sport", 1234)),
                       int(args.get("dport", 80)), int(args.get("seq", 1000)),
                       int(args.get("ack", 0)), 0x50, flags, 8192, 0,
                       0) + payload


def echo(t):
    return struct.pack("!BBHHH", t, 0, 0, 0x1234, 1) + b"ovnmc-pinctrl-ts"


def dns_name(n):
    out = b""
    for label in n.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


DNS_TYPES = {"A": 1, "NS": 2, "CNAME": 5, "PTR": 12, "MX": 15, "TXT": 16,
             "AAAA": 28, "ANY": 255}


def dhcp4(args):
    types = {"discover": 1, "request": 3, "release": 7, "inform": 8,
             "decline": 4}
    flags = 0x8000 if args.get("bcast") == "1" else 0
    b = struct.pack("!BBBBIHH4s4s4s4s", 1, 1, 6, 0,
                    int(args.get("xid", "0x11223344"), 0), 0, flags,
                    ip4(args.get("ciaddr", "0.0.0.0")), ip4("0.0.0.0"),
                    ip4("0.0.0.0"), ip4("0.0.0.0"))
    b += mac(args["src"]) + b"\0" * 10 + b"\0" * 192
    b += bytes([99, 130, 83, 99])
    b += bytes([53, 1, types[args.get("type", "discover")]])
    if "reqip" in args:
        b += bytes([50, 4]) + ip4(args["reqip"])
    if "sid" in args:
        b += bytes([54, 4]) + ip4(args["sid"])
    b += bytes([55, 4, 1, 3, 6, 15, 255])
    return b


def dhcp6(args):
    types = {"solicit": 1, "request": 3, "renew": 5, "rebind": 6,
             "release": 8, "confirm": 4, "inforeq": 11}
    xid = int(args.get("xid", "0x123456"), 0)
    b = struct.pack("!I", (types[args.get("type", "solicit")] << 24) | xid)
    duid = struct.pack("!HH", 3, 1) + mac(args["src"])
    b += struct.pack("!HH", 1, len(duid)) + duid
    if "server" in args:
        sduid = struct.pack("!HH", 3, 1) + mac(args["server"])
        b += struct.pack("!HH", 2, len(sduid)) + sduid
    b += struct.pack("!HHIII", 3, 12, int(args.get("iaid", 1)), 0, 0)
    if args.get("rapid") == "1":
        b += struct.pack("!HH", 14, 0)
    b += struct.pack("!HHH", 8, 2, 0)
    return b


def pd(args):
    types = {"advertise": 2, "reply": 7}
    xid = int(args.get("xid", "0x123456"), 0)
    b = struct.pack("!I", (types[args.get("type", "reply")] << 24) | xid)
    cid = bytes.fromhex(args["client"])
    b += struct.pack("!HH", 1, len(cid)) + cid
    sduid = struct.pack("!HH", 3, 1) + mac(args["server"])
    b += struct.pack("!HH", 2, len(sduid)) + sduid
    ia = struct.pack("!III", int(str(args.get("iaid", 1)), 0),
                     int(args.get("t1", 100)), int(args.get("t2", 160)))
    if "prefix" in args:
        p, plen = args["prefix"].split("/")
        ia += struct.pack("!HHIIB", 26, 25, int(args.get("pref", 300)),
                          int(args.get("valid", 600)), int(plen)) + ip6(p)
    if "status" in args:
        msg = b"no prefix"
        ia += struct.pack("!HHH", 13, 2 + len(msg),
                          int(args["status"])) + msg
    b += struct.pack("!HH", 25, len(ia)) + ia
    cut = int(args.get("cut", 0))
    return b[:len(b) - cut]


def lla(m):
    b = mac(m)
    b = bytes([b[0] ^ 2]) + b[1:3] + b"\xff\xfe" + b[3:]
    return str(ipaddress.IPv6Address(b"\xfe\x80" + b"\0" * 6 + b))


def build(kind, args):
    if kind in ("arp-req", "arp-reply"):
        op = 1 if kind == "arp-req" else 2
        tha = mac(args.get("dst", "00:00:00:00:00:00")) if op == 2 \
            else b"\0" * 6
        a = struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + mac(args["src"]) + \
            ip4(args["sip"]) + tha + ip4(args["dip"])
        return eth(args, 0x0806, a)
    if kind == "icmp4":
        return v4(args, 1, echo(8), 2)
    if kind == "icmp4-err":
        seg = tcp({"sport": args["isport"], "dport": args["idport"]})
        ih = ipv4({}, 6, seg, args["isip"], args["idip"])
        body = struct.pack("!BBHI", int(args.get("type", 3)),
                           int(args.get("code", 3)), 0, 0) + ih + seg[:8]
        return v4(args, 1, body, 2)
    if kind == "udp4":
        return v4(args, 17, udp(args, args.get("payload", "x").encode()), 6)
    if kind == "tcp4":
        return v4(args, 6, tcp(args), 16)
    if kind == "sctp4":
        if args.get("chunk", "init") == "init":
            chunk = struct.pack("!BBHIIHHI", 1, 0, 20,
                                int(args.get("itag", 0x5a5a5a5a)), 65536,
                                1, 1, 1)
            vtag = 0
        else:
            chunk = struct.pack("!BBHIHHI", 0, 3, 16, 1, 1, 0, 0)
            vtag = int(args.get("vtag", 0x01020304))
        sh = struct.pack("!HHII", int(args.get("sport", 5000)),
                         int(args.get("dport", 6000)), vtag, 0)
        pkt = sh + chunk
        import binascii
        crc = crc32c(pkt)
        pkt = pkt[:8] + struct.pack("<I", crc) + pkt[12:]
        return v4(args, 132, pkt, None)
    if kind == "icmp6":
        return v6(args, 58, echo(128), 2)
    if kind == "udp6":
        return v6(args, 17, udp(args, args.get("payload", "x").encode()), 6)
    if kind == "tcp6":
        return v6(args, 6, tcp(args), 16)
    if kind == "ns":
        target = args.get("target", args.get("dip"))
        t = ip6(target)
        dip = args.get("dip")
        if "target" in args and "dip" not in args or dip == target:
            dip = str(ipaddress.IPv6Address(
                b"\xff\x02" + b"\0" * 9 + b"\x01\xff" + t[13:]))
            if "dst" not in args:
                args["dst"] = "33:33:ff:" + fmac(t[13:])
        body = struct.pack("!BBHI", 135, 0, 0, 0) + t
        if args.get("sip", "::") != "::":
            body += bytes([1, 1]) + mac(args["src"])
        return v6(args, 58, body, 2, dip=dip)
    if kind == "na":
        flags = 0
        for c in args.get("flags", "SO"):
            flags |= {"R": 1 << 31, "S": 1 << 30, "O": 1 << 29}[c]
        body = struct.pack("!BBHI", 136, 0, 0, flags) + ip6(args["target"])
        body += bytes([2, 1]) + mac(args.get("tll", args["src"]))
        return v6(args, 58, body, 2)
    if kind == "igmp":
        t = {"report": 0x16, "leave": 0x17, "v3": 0x22, "query": 0x11,
             "v1": 0x12}[args.get("type", "report")]
        args.setdefault("ttl", "1")
        if t == 0x22:
            recs = [r.split(":") for r in args["records"].split(",")]
            body = struct.pack("!BBHHH", t, 0, 0, 0, len(recs))
            for rt, g in recs:
                body += struct.pack("!BBH", int(rt), 0, 0) + ip4(g)
            args.setdefault("dip", "224.0.0.22")
        else:
            body = struct.pack("!BBH", t, 0, 0) + ip4(args["group"])
            args.setdefault("dip", "224.0.0.2" if t == 0x17
                            else args["group"])
        c = csum(body) ^ (0x5555 if args.get("badcsum") else 0)
        body = body[:2] + struct.pack("!H", c) + body[4:]
        args.setdefault("dst", "01:00:5e:" + fmac(
            bytes([ip4(args["dip"])[1] & 0x7f]) + ip4(args["dip"])[2:]))
        return v4(args, 2, body, None)
    if kind == "mld":
        t = {"report": 131, "done": 132, "v2": 143}[args.get("type", "v2")]
        args.setdefault("sip", lla(args["src"]))
        args.setdefault("hlim", "1")
        if t == 143:
            recs = [r.split(":", 1) for r in args["records"].split(",")]
            body = struct.pack("!BBHHH", t, 0, 0, 0, len(recs))
            for rt, g in recs:
                body += struct.pack("!BBH", int(rt), 0, 0) + ip6(g)
            args.setdefault("dip", "ff02::16")
        else:
            body = struct.pack("!BBHHH", t, 0, 0, 0, 0) + ip6(args["group"])
            args.setdefault("dip", "ff02::2" if t == 132 else args["group"])
        args.setdefault("dst", "33:33:" + fmac(ip6(args["dip"])[12:]))
        return v6(args, 58, body, 2)
    if kind == "rs":
        args.setdefault("sip", lla(args["src"]))
        args.setdefault("dip", "ff02::2")
        args.setdefault("dst", "33:33:00:00:00:02")
        args.setdefault("hlim", "255")
        body = struct.pack("!BBHI", 133, 0, 0, 0) + bytes([1, 1]) + \
            mac(args["src"])
        return v6(args, 58, body, 2)
    if kind == "dhcp":
        args.setdefault("sip", "0.0.0.0")
        args.setdefault("dip", "255.255.255.255")
        return v4(args, 17, udp(args, dhcp4(args), 68, 67), 6)
    if kind == "dhcp6":
        args.setdefault("sip", lla(args["src"]))
        args.setdefault("dip", "ff02::1:2")
        args.setdefault("dst", "33:33:00:01:00:02")
        return v6(args, 17, udp(args, dhcp6(args), 546, 547), 6)
    if kind == "pd":
        args.setdefault("sip", lla(args["server"]))
        args.setdefault("src", args["server"])
        return v6(args, 17, udp(args, pd(args), 547, 546), 6)
    if kind == "dns":
        q = struct.pack("!HHHHHH", int(args.get("id", 0x4242)), 0x0100, 1, 0,
                        0, 0) + dns_name(args["name"]) + \
            struct.pack("!HH", DNS_TYPES[args.get("qtype", "A")], 1)
        if ":" in args["sip"]:
            return v6(args, 17, udp(args, q, args.get("sport", 33333), 53), 6)
        return v4(args, 17, udp(args, q, args.get("sport", 33333), 53), 6)
    raise SystemExit("unknown kind %s" % kind)


def crc32c(data):
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 if crc & 1 else 0)
    return crc ^ 0xffffffff


# Decoding.

def dec_dns_name(msg, ofs, depth=0):
    labels = []
    while True:
        n = msg[ofs]
        if n >= 0xc0:
            ptr = ((n & 0x3f) << 8) | msg[ofs + 1]
            name, _ = dec_dns_name(msg, ptr, depth + 1)
            labels.append(name)
            return ".".join(labels), ofs + 2
        ofs += 1
        if not n:
            return ".".join(labels), ofs
        labels.append(msg[ofs:ofs + n].decode())
        ofs += n


def dec_dns(b):
    id_, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", b[:12])
    out = ["dns id=%#x qr=%d rcode=%d an=%d" % (id_, flags >> 15,
                                                 flags & 15, an)]
    ofs = 12
    for _ in range(qd):
        name, ofs = dec_dns_name(b, ofs)
        qt, qc = struct.unpack("!HH", b[ofs:ofs + 4])
        ofs += 4
        out.append("q=%s/%d" % (name, qt))
    for _ in range(an):
        name, ofs = dec_dns_name(b, ofs)
        t, c, ttl, rdlen = struct.unpack("!HHIH", b[ofs:ofs + 10])
        ofs += 10
        rd = b[ofs:ofs + rdlen]
        ofs += rdlen
        if t == 1:
            v = str(ipaddress.IPv4Address(rd))
        elif t == 28:
            v = str(ipaddress.IPv6Address(rd))
        elif t == 12:
            v = dec_dns_name(b, ofs - rdlen)[0]
        else:
            v = rd.hex()
        out.append("an=%s/%d/ttl%d/%s" % (name, t, ttl, v))
    return " ".join(out)


DHCP_NAMES = {1: "netmask", 3: "router", 6: "dns", 12: "hostname",
              15: "domain", 26: "mtu", 28: "bcast", 42: "ntp", 51: "lease",
              53: "type", 54: "sid", 58: "T1", 59: "T2", 119: "search",
              121: "routes", 252: "wpad", 19: "ipfwd", 66: "tftp",
              67: "bootfile"}
DHCP_TYPES = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 5: "ACK", 6: "NAK"}


def dec_dhcp_opt(code, v):
    if code == 53:
        return DHCP_TYPES.get(v[0], str(v[0]))
    if code in (1, 3, 6, 28, 42, 54):
        return ",".join(str(ipaddress.IPv4Address(v[i:i + 4]))
                        for i in range(0, len(v), 4))
    if code in (51, 58, 59):
        return str(struct.unpack("!I", v)[0])
    if code == 26:
        return str(struct.unpack("!H", v)[0])
    if code in (12, 15, 252, 67, 66):
        return v.decode()
    if code == 119:
        names, ofs = [], 0
        while ofs < len(v):
            n, ofs = dec_dns_name(v, ofs)
            names.append(n)
        return ",".join(names)
    if code == 121:
        out, i = [], 0
        while i < len(v):
            plen = v[i]
            n = (plen + 7) // 8
            net = v[i + 1:i + 1 + n] + b"\0" * (4 - n)
            gw = v[i + 1 + n:i + 5 + n]
            out.append("%s/%d>%s" % (ipaddress.IPv4Address(net), plen,
                                     ipaddress.IPv4Address(gw)))
            i += 5 + n
        return ",".join(out)
    return v.hex()


def dec_dhcp(b):
    op, _, _, _, xid, _, flags = struct.unpack("!BBBBIHH", b[:12])
    yiaddr = ipaddress.IPv4Address(b[16:20])
    out = ["dhcp op=%d xid=%#x yiaddr=%s chaddr=%s" % (op, xid, yiaddr,
                                                        fmac(b[28:34]))]
    if b[236:240] != bytes([99, 130, 83, 99]):
        return out[0] + " NO-COOKIE"
    ofs = 240
    while ofs < len(b):
        code = b[ofs]
        if code == 255:
            break
        if code == 0:
            ofs += 1
            continue
        n = b[ofs + 1]
        v = b[ofs + 2:ofs + 2 + n]
        ofs += 2 + n
        out.append("%s=%s" % (DHCP_NAMES.get(code, str(code)),
                              dec_dhcp_opt(code, v)))
    # Options in name order, so that the order a server chose does not
    # matter.
    return " ".join(out[:1] + sorted(out[1:]))


DHCP6_TYPES = {1: "SOLICIT", 2: "ADVERTISE", 3: "REQUEST", 5: "RENEW",
               6: "REBIND", 7: "REPLY", 8: "RELEASE"}


def dec_dhcp6_opts(b):
    out, ofs = [], 0
    while ofs + 4 <= len(b):
        code, n = struct.unpack("!HH", b[ofs:ofs + 4])
        v = b[ofs + 4:ofs + 4 + n]
        ofs += 4 + n
        if code == 1:
            out.append("client=%s" % v.hex())
        elif code == 2:
            out.append("server=%s" % v.hex())
        elif code == 3:
            iaid, t1, t2 = struct.unpack("!III", v[:12])
            out.append("ia_na(iaid=%d,t1=%d,t2=%d" % (iaid, t1, t2))
            out.append(" ".join(dec_dhcp6_opts(v[12:])) + ")")
        elif code == 25:
            iaid, t1, t2 = struct.unpack("!III", v[:12])
            out.append("ia_pd(iaid=%d,t1=%d,t2=%d" % (iaid, t1, t2))
            out.append(" ".join(dec_dhcp6_opts(v[12:])) + ")")
        elif code == 26:
            pl, vl, plen = struct.unpack("!IIB", v[:9])
            out.append("ia_prefix=%s/%d/pref%d/valid%d" % (
                ipaddress.IPv6Address(v[9:25]), plen, pl, vl))
        elif code == 6:
            out.append("oro=" + ",".join(
                str(struct.unpack("!H", v[i:i + 2])[0])
                for i in range(0, len(v), 2)))
        elif code == 8:
            out.append("elapsed")
        elif code == 5:
            a = ipaddress.IPv6Address(v[:16])
            pl, vl = struct.unpack("!II", v[16:24])
            out.append("ia_addr=%s/pref%d/valid%d" % (a, pl, vl))
        elif code == 23:
            out.append("dns=" + ",".join(
                str(ipaddress.IPv6Address(v[i:i + 16]))
                for i in range(0, len(v), 16)))
        elif code == 24:
            names, o = [], 0
            while o < len(v):
                nm, o = dec_dns_name(v, o)
                names.append(nm)
            out.append("search=" + ",".join(names))
        elif code == 13:
            out.append("status=%d" % struct.unpack("!H", v[:2]))
        elif code == 14:
            out.append("rapid")
        else:
            out.append("opt%d=%s" % (code, v.hex()))
    return out


def dec_ra_opts(b):
    s = ""
    o = 0
    while o + 2 <= len(b) and b[o + 1]:
        t, n = b[o], b[o + 1] * 8
        v = b[o + 2:o + n]
        if t == 1:
            s += " slla=%s" % fmac(v[:6])
        elif t == 5:
            s += " mtu=%d" % struct.unpack("!I", v[2:6])[0]
        elif t == 3:
            s += " prefix=%s/%d,%s" % (
                ipaddress.IPv6Address(v[14:30]), v[0],
                ("L" if v[1] & 0x80 else "") + ("A" if v[1] & 0x40 else ""))
        elif t == 25:
            s += " rdnss=%s" % ",".join(
                str(ipaddress.IPv6Address(v[i:i + 16]))
                for i in range(6, len(v), 16))
        elif t == 31:
            s += " dnssl=%s" % dec_dns_name(bytes(v[6:]), 0)[0]
        elif t == 24:
            pfx = v[6:] + b"\0" * (16 - len(v[6:]))
            s += " route=%s/%d,prf=%d" % (ipaddress.IPv6Address(pfx), v[0],
                                          v[1] >> 3 & 3)
        else:
            s += " opt%d" % t
        o += n
    return s


def dec_l4(proto, l4, pseudo_ok, v6hdr=None):
    if proto == 1 or proto == 58:
        t, c = l4[0], l4[1]
        s = "icmp%s type=%d code=%d" % ("6" if proto == 58 else "4", t, c)
        if proto == 1 and t == 3 and c == 4 or proto == 58 and t == 2:
            s += " mtu=%d" % struct.unpack("!I", l4[4:8])[0]
        if proto == 58 and t == 130 and len(l4) >= 28:
            s += " maxresp=%d group=%s qqic=%d" % (
                struct.unpack("!H", l4[4:6])[0],
                ipaddress.IPv6Address(l4[8:24]), l4[25])
        if proto == 58 and t in (135, 136):
            flags = struct.unpack("!I", l4[4:8])[0]
            s += " target=%s" % ipaddress.IPv6Address(l4[8:24])
            if t == 136:
                s += " flags=%s" % "".join(
                    f for f, bit in (("R", 31), ("S", 30), ("O", 29))
                    if flags >> bit & 1)
            o = 24
            while o + 8 <= len(l4):
                s += " opt%d=%s" % (l4[o], fmac(l4[o + 2:o + 8]))
                o += l4[o + 1] * 8 or len(l4)
        elif proto == 58 and t == 134:
            hl, fl, lt = struct.unpack("!BBH", l4[4:8])
            s += " hlim=%d flags=%#x lifetime=%d" % (hl, fl, lt)
            s += dec_ra_opts(l4[16:])
        elif t in (3, 11, 1, 2, 4) and len(l4) > 8:
            s += " data=%d" % (len(l4) - 8)
            if INNER and proto == 1 and len(l4) >= 36:
                q = l4[8:]
                ihl = (q[0] & 15) * 4
                s += " inner=%s>%s" % (ipaddress.IPv4Address(q[12:16]),
                                       ipaddress.IPv4Address(q[16:20]))
                if q[9] in (6, 17) and len(q) >= ihl + 4:
                    s += " %s %d>%d" % (
                        "tcp" if q[9] == 6 else "udp",
                        *struct.unpack("!HH", q[ihl:ihl + 4]))
                if csum(q[:ihl]):
                    s += " INNER-BAD-CSUM"
        return s
    if proto == 6:
        sp, dp, seq, ack, off, flags = struct.unpack("!HHIIBB", l4[:14])
        fl = "".join(TCP_FLAGS[i] for i in range(6) if flags >> i & 1)
        return "tcp %d>%d flags=%s seq=%d ack=%d len=%d" % (
            sp, dp, fl, seq, ack, len(l4) - (off >> 4) * 4)
    if proto == 17:
        sp, dp, ln = struct.unpack("!HHH", l4[:6])
        body = l4[8:ln]
        s = "udp %d>%d" % (sp, dp)
        if sp == 67 or dp == 67 or sp == 68:
            s += " " + dec_dhcp(body)
        elif sp == 547 or dp == 547:
            mt = body[0]
            opts = dec_dhcp6_opts(body[4:])
            # Options in name order (an IA_NA and its contents stay
            # together).
            groups, i = [], 0
            while i < len(opts):
                if opts[i].startswith(("ia_na(", "ia_pd(")):
                    groups.append(opts[i] + " " + opts[i + 1])
                    i += 2
                else:
                    groups.append(opts[i])
                    i += 1
            s += " dhcp6 %s xid=%#x %s" % (
                DHCP6_TYPES.get(mt, str(mt)),
                struct.unpack("!I", b"\0" + body[1:4])[0],
                " ".join(sorted(groups)))
        elif sp == 53 or dp == 53:
            s += " " + dec_dns(body)
        return s
    if proto == 132:
        sp, dp, vtag = struct.unpack("!HHI", l4[:8])
        crc = struct.unpack("<I", l4[8:12])[0]
        ok = crc32c(l4[:8] + b"\0" * 4 + l4[12:]) == crc
        return "sctp %d>%d vtag=%#x chunk=%d flags=%d%s" % (
            sp, dp, vtag, l4[12], l4[13], "" if ok else " BAD-CSUM")
    if proto == 2 and len(l4) >= 12 and l4[0] == 0x11:
        return "igmp query maxresp=%d group=%s qqic=%d" % (
            l4[1], ipaddress.IPv4Address(l4[4:8]), l4[9]) + (
                " BAD-CSUM" if csum(l4) else "")
    return "proto=%d" % proto


def decode(h):
    b = bytes.fromhex(h.strip())
    s = "%s>%s" % (fmac(b[6:12]), fmac(b[0:6]))
    et = struct.unpack("!H", b[12:14])[0]
    ofs = 14
    if et == 0x8100:
        s += " vlan=%d" % (struct.unpack("!H", b[14:16])[0] & 0xfff)
        et = struct.unpack("!H", b[16:18])[0]
        ofs = 18
    p = b[ofs:]
    if et in (0x0806, 0x8035):
        op = struct.unpack("!H", p[6:8])[0]
        return s + (" arp" if et == 0x0806 else " rarp") + " op=%d sha=%s spa=%s tha=%s tpa=%s" % (
            op, fmac(p[8:14]), ipaddress.IPv4Address(p[14:18]),
            fmac(p[18:24]), ipaddress.IPv4Address(p[24:28]))
    if et == 0x0800:
        ihl = (p[0] & 15) * 4
        tot = struct.unpack("!H", p[2:4])[0]
        l4 = p[ihl:tot]
        s += " ip4 %s>%s ttl=%d" % (ipaddress.IPv4Address(p[12:16]),
                                    ipaddress.IPv4Address(p[16:20]), p[8])
        if csum(p[:ihl]):
            s += " BAD-CSUM"
        proto = p[9]
        s += " " + dec_l4(proto, l4, True)
        udp_nocsum = proto == 17 and l4[6:8] == b"\0\0"
        if proto in (6, 17) and not udp_nocsum and csum(p[12:20] + struct.pack(
                "!BBH", 0, proto, len(l4)) + l4) not in (0, 0xffff) \
                or proto == 1 and csum(l4):
            s += " BAD-CSUM"
        return s
    if et == 0x86dd:
        plen, nxt, hlim = struct.unpack("!HBB", p[4:8])
        src, dst = p[8:24], p[24:40]
        l4 = p[40:40 + plen]
        s += " ip6 %s>%s hlim=%d " % (ipaddress.IPv6Address(src),
                                      ipaddress.IPv6Address(dst), hlim)
        if nxt == 0 and len(l4) >= 8:
            nxt, l4 = l4[0], l4[8:]
            s += "hbh "
        s += dec_l4(nxt, l4, True)
        if nxt in (6, 17, 58) and csum(src + dst + struct.pack(
                "!IxxxB", len(l4), nxt) + l4):
            s += " BAD-CSUM"
        return s
    return s + " type=%#x" % et


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    if sys.argv[1] == "build":
        args = dict(a.split("=", 1) for a in sys.argv[3:])
        print(build(sys.argv[2], args).hex())
    elif sys.argv[1] == "decode":
        global INNER
        args = sys.argv[2:]
        if args[:1] == ["--inner"]:
            INNER = True
            args = args[1:]
        for h in (args or sys.stdin.read().split()):
            print(decode(h))
    else:
        raise SystemExit("unknown command " + sys.argv[1])


if __name__ == "__main__":
    main()
