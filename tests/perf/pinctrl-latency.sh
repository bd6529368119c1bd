#! /bin/sh
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Packet-in reply latency of our ovn-controller, with the main loop idle
# and while it recomputes everything, back to back.  Prints figures,
# asserts nothing.
#
# Usage: tests/perf/pinctrl-latency.sh [BUILDDIR]
#
# The northbound: SWITCHES (40) switches of PORTS (25) ports behind one
# router lr0, one port group of all the ports, ACLS (1000) ACLs on it
# ("outport == @pg0 && ip4.src == $as0 && tcp.dst == N"), and ls-dhcp,
# also behind lr0, with a VIF that has DHCPv4 options.  One VIF bound on
# hv1 makes every switch local (they share the router), so a recompute
# compiles all their flows.
#
# Each phase injects N (200) DHCP DISCOVERs into the VIF, one every
# GAP (0.02) seconds, and measures from each DISCOVER's timestamp in the
# VIF's rx pcap to its OFFER's (same xid) in the tx pcap: median, p99,
# max and the number without an answer.  "busy": the same while a loop
# runs "inc-engine/recompute" without pause (each takes the seconds
# printed).

set -e
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=$(cd "${1:-.}" && pwd)
SWITCHES=${SWITCHES:-40}
PORTS=${PORTS:-25}
ACLS=${ACLS:-1000}
N=${N:-200}
GAP=${GAP:-0.02}
OURS=$builddir/controller/ovn-controller

. "$srcdir/tests/perf/perf-lib.sh"
perf_require "$OURS" /usr/bin/ovn-northd
perf_use_ovn "$OURS"
perf_enter "$work"

echo "== NB: $SWITCHES switches x $PORTS ports behind lr0, $ACLS ACLs"
ovn_start >/dev/null 2>&1
perf_pinctrl_nb "$SWITCHES" "$PORTS" "$ACLS" as0
net=10.$((100 + SWITCHES / 250)).$((SWITCHES % 250))
ovn-nbctl lsp-add ls-dhcp vm -- lsp-set-addresses vm \
    "00:00:00:00:aa:01 $net.10"
dhcp=$(ovn-nbctl create DHCP_Options cidr="$net.0/24" \
    options='"lease_time"="3600" "router"="'$net'.1" "server_id"="'$net'.1" "server_mac"="00:00:00:00:ff:01"')
ovn-nbctl lsp-set-dhcpv4-options vm "$dhcp"
ovn-nbctl --timeout="$OVN_WAIT_TIMEOUT" --wait=sb sync
echo "SB: $(ovn-sbctl --bare --columns=_uuid list Logical_Flow | grep -c .)" \
     "logical flows"

ovn_attach hv1 192.168.0.1 >/dev/null
ovn_add_vif hv1 vif vm
ovn_wait_until "test \"\$(ovn-nbctl lsp-get-up vm)\" = up" "$OVN_WAIT_TIMEOUT"
ovn-nbctl --timeout="$OVN_WAIT_TIMEOUT" --wait=hv sync
echo "hv1: $(as hv1 ovs-ofctl dump-aggregate br-int |
             sed -n 's/.*flow_count=\([0-9]*\).*/\1/p') OpenFlow flows"

# frames FIRST: N DISCOVERs with xids FIRST..FIRST+N-1, a hex line each.
frames () {
    python3 - "$srcdir/tests/pinctrl-pkt.py" "$1" "$N" <<'EOF'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("pkt", sys.argv[1])
pkt = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pkt)
for x in range(int(sys.argv[2]), int(sys.argv[2]) + int(sys.argv[3])):
    print(pkt.build("dhcp", {"src": "00:00:00:00:aa:01", "type": "discover",
                             "xid": str(x)}).hex())
EOF
}

# inject FIRST: sends the frames of 'frames FIRST', GAP seconds apart.
inject () {
    frames "$1" > frames.txt
    while read -r f; do
        as hv1 ovs-appctl netdev-dummy/receive vif "$f" >/dev/null
        sleep "$GAP"
    done < frames.txt
    sleep 2
}

# report NAME FIRST: latencies of xids FIRST..FIRST+N-1.
report () {
    python3 - "$1" "$2" "$N" hv1/vif-rx.pcap hv1/vif-tx.pcap <<'EOF'
import struct, sys
name, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    ofs = 24
    while ofs + 16 <= len(data):
        sec, usec, incl, _ = struct.unpack("<IIII", data[ofs:ofs + 16])
        yield sec + usec / 1e6, data[ofs + 16:ofs + 16 + incl]
        ofs += 16 + incl

def xid(frame):
    # Ethernet, IPv4 (20 bytes), UDP, DHCP: xid at offset 4.
    if len(frame) < 14 + 20 + 8 + 8 or frame[12:14] != b"\x08\x00":
        return None
    if frame[23] != 17:
        return None
    return struct.unpack("!I", frame[14 + 20 + 8 + 4:14 + 20 + 8 + 8])[0]

sent = {x: t for t, f in frames(sys.argv[4]) for x in [xid(f)] if x}
got = {}
for t, f in frames(sys.argv[5]):
    x = xid(f)
    if x and x not in got:
        got[x] = t
lat = sorted((got[x] - sent[x]) * 1000 for x in range(first, first + n)
             if x in sent and x in got)
lost = sum(1 for x in range(first, first + n) if x not in got)
if lat:
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
    print("%-5s %4d DISCOVERs: median %6.2f ms  p99 %6.2f ms  max %6.2f ms"
          "  unanswered %d" % (name, n, p(0.5), p(0.99), lat[-1], lost))
else:
    print("%-5s no answer at all" % name)
EOF
}

t0=$(now)
as hv1 ovs-appctl -t ovn-controller inc-engine/recompute >/dev/null
ovn-nbctl --timeout="$OVN_WAIT_TIMEOUT" --wait=hv sync
t1=$(now)
awk -v a="$t0" -v b="$t1" 'BEGIN {
    printf "one forced recompute, until nb_cfg acknowledged: %.2f s\n",
           b - a }'

inject 1000
report idle 1000

(
    while test ! -e stop; do
        as hv1 ovs-appctl -t ovn-controller inc-engine/recompute \
            >/dev/null 2>&1 || break
        as hv1 ovs-appctl -t ovn-controller inc-engine/show-stats \
            lflow_output recompute >> recomputes 2>/dev/null || break
    done
) &
loop=$!
sleep 1
inject 5000
touch stop
wait $loop || true
report busy 5000
echo "recomputes during the busy phase: $(tail -1 recomputes 2>/dev/null)"
