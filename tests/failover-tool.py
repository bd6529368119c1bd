#! /usr/bin/env python3
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
"""Helpers of tests/failover.at and tests/perf/failover.sh.

  failover-tool.py frames SRC-MAC DST-MAC SRC-IP DST-IP FROM TO
      Prints "SEQ HEX" for SEQ = FROM..TO: an IPv4 TCP SYN (TTL 64) from
      port SEQ to port 80, as hexadecimal digits.
  failover-tool.py seqs PCAP
      Prints the sequence number (TCP source port) of each IPv4 TCP frame
      of PCAP, plain or inside Geneve, in order.
  failover-tool.py window SENT OLD NEW
      SENT holds "SEQ MS" lines (when each frame was sent, ms since the
      epoch); OLD and NEW the sequence numbers that arrived by the old and
      by the new path.  Prints the failover window: from the last frame
      through the old path to the first through the new, in ms and in
      frames lost in between, as "failover window: MS ms ...".
  failover-tool.py lost SENT PCAP...
      SENT holds "SEQ MS" lines of the frames sent; prints how many of
      them arrived in none of the PCAPs, as "steady: N sent, M lost"
      (and the first few lost sequence numbers).
  failover-tool.py cpu PIDFILE
      Prints the user + system CPU seconds of the process whose PID the
      file holds (from /proc), or "?" if it is gone.
"""
import os
import struct
import sys


def frames(path):
    try:
        data = open(path, "rb").read()
    except OSError:
        return
    if len(data) < 24:
        return
    order = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
    pos = 24
    while pos + 16 <= len(data):
        caplen = struct.unpack(order + "IIII", data[pos:pos + 16])[2]
        yield data[pos + 16:pos + 16 + caplen]
        pos += 16 + caplen


def tcp_sport(f):
    """The TCP source port of IPv4 frame 'f', or of the frame a Geneve
    packet 'f' carries; None if neither."""
    if len(f) < 38 or f[12:14] != b"\x08\x00":
        return None
    ihl = (f[14] & 15) * 4
    l4 = f[14 + ihl:]
    if f[23] == 6:
        return int.from_bytes(l4[0:2], "big")
    if f[23] == 17 and len(l4) >= 16 and l4[2:4] == b"\x17\xc1":
        opt_len = (l4[8] & 0x3f) * 4
        return tcp_sport(l4[16 + opt_len:])
    return None


def seqs(path):
    for f in frames(path):
        seq = tcp_sport(f)
        if seq is not None:
            print(seq)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def make_frames(src, dst, sip, dip, first, last):
    mac = lambda m: bytes(int(x, 16) for x in m.split(":"))
    ip = lambda a: bytes(int(x) for x in a.split("."))
    for seq in range(int(first), int(last) + 1):
        tcp = struct.pack("!HHIIBBHHH", seq, 80, 1, 0, 0x50, 0x02, 8192,
                          0, 0)
        pseudo = ip(sip) + ip(dip) + struct.pack("!BBH", 0, 6, len(tcp))
        tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), seq, 0,
                          64, 6, 0, ip(sip), ip(dip))
        hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
        frame = mac(dst) + mac(src) + b"\x08\x00" + hdr + tcp
        print(seq, frame.hex())


def numbers(path):
    return [int(line) for line in open(path) if line.strip()]


def window(sent_path, old_path, new_path):
    sent = {}
    for line in open(sent_path):
        if line.strip():
            seq, ms = line.split()
            sent[int(seq)] = int(ms)
    old, new = numbers(old_path), numbers(new_path)
    if not old or not new:
        print("failover window: unknown (old path %d frames, new path %d)"
              % (len(old), len(new)))
        return
    last, first = max(old), min(new)
    lost = [s for s in sent if last < s < first]
    print("failover window: %d ms (last frame through the old path #%d, "
          "first through the new #%d, %d lost in between)"
          % (sent[first] - sent[last], last, first, len(lost)))


def pcap_seqs(path):
    return set(s for s in map(tcp_sport, frames(path)) if s is not None)


def lost(sent_path, pcaps):
    sent = [int(line.split()[0]) for line in open(sent_path) if line.strip()]
    arrived = set()
    for path in pcaps:
        arrived |= pcap_seqs(path)
    missing = [s for s in sent if s not in arrived]
    print("steady: %d sent, %d lost%s"
          % (len(sent), len(missing),
             " (#%s)" % " #".join(map(str, missing[:10])) if missing
             else ""))


def cpu(pidfile):
    try:
        pid = open(pidfile).read().strip()
        stat = open("/proc/%s/stat" % pid).read()
    except OSError:
        print("?")
        return
    # Fields after "PID (COMM) ": utime and stime are the 12th and 13th.
    fields = stat[stat.rindex(")") + 2:].split()
    ticks = int(fields[11]) + int(fields[12])
    print("%.2f" % (ticks / os.sysconf("SC_CLK_TCK")))


def main():
    if len(sys.argv) == 8 and sys.argv[1] == "frames":
        make_frames(*sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "seqs":
        seqs(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "window":
        window(*sys.argv[2:])
    elif len(sys.argv) >= 4 and sys.argv[1] == "lost":
        lost(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 3 and sys.argv[1] == "cpu":
        cpu(sys.argv[2])
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
