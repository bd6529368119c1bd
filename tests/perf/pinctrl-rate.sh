#! /bin/sh
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Packet-in rates: reply latency at a steady rate, and replies per second
# at saturation, for our ovn-controller and Debian's on the same SB.
# Prints figures, asserts nothing.
#
# Usage: tests/perf/pinctrl-rate.sh [BUILDDIR]
#
# The northbound: SWITCHES (20) switches of PORTS (25) ports behind one
# router lr0, ACLS (500) ACLs on a port group of all of them, and
# ls-dhcp, also behind lr0, with VIFs vm1 (hv1, ours) and vm2 (hv2,
# Debian's /usr/bin/ovn-controller) that have DHCPv4 options.  Frames go
# in through each VIF's netdev-dummy stream socket
# (tests/pinctrl-inject.py); latencies are taken from the VIF's rx and tx
# pcaps (ovs-vswitchd's timestamps).
#
# Steady (ours): RATE (1000) frames a second for SECS (5) seconds of
#   DHCP DISCOVERs (distinct xids; answered by pinctrl), then of ARP
#   requests for the router's IP (distinct sender IPs; answered by the
#   pipeline, a baseline), with the main loop idle ("idle") and while a
#   loop runs "inc-engine/recompute" without pause ("busy"): median, p99,
#   max and the number unanswered, per type.
# Saturation: DISCOVERs as fast as the injector and ovs-vswitchd go, for
#   SAT (5) seconds, into ours (its meters raised to 10,000,000 a second
#   for the phase, so that the figure is the daemon's), then into
#   Debian's: frames sent, OFFERs, OFFERs per second, and the CPU seconds
#   of the controller and of that chassis's ovs-vswitchd beside the wall
#   seconds.

set -e
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=$(cd "${1:-.}" && pwd)
SWITCHES=${SWITCHES:-20}
PORTS=${PORTS:-25}
ACLS=${ACLS:-500}
RATE=${RATE:-1000}
SECS=${SECS:-5}
SAT=${SAT:-5}
OURS=$builddir/controller/ovn-controller
DEBIAN=/usr/bin/ovn-controller
INJECT=$srcdir/tests/pinctrl-inject.py

. "$srcdir/tests/perf/perf-lib.sh"
perf_require "$OURS" "$DEBIAN" /usr/bin/ovn-northd
perf_use_ovn "$OURS"
perf_enter "$work"

echo "== NB: $SWITCHES switches x $PORTS ports behind lr0, $ACLS ACLs;" \
     "load: $(cut -d' ' -f1-3 /proc/loadavg)"
ovn_start >/dev/null 2>&1
perf_pinctrl_nb "$SWITCHES" "$PORTS" "$ACLS"
s=$(printf '%d' "$SWITCHES")
net=10.$((100 + s / 250)).$((s % 250))
rmac=$(printf '00:00:ff:00:%02x:%02x' $((s / 256)) $((s % 256)))
dhcp=$(ovn-nbctl create DHCP_Options cidr="$net.0/24" \
    options='"lease_time"="3600" "router"="'$net'.1" "server_id"="'$net'.1" "server_mac"="00:00:00:00:ff:01"')
for i in 1 2; do
    ovn-nbctl lsp-add ls-dhcp vm$i -- lsp-set-addresses vm$i \
        "00:00:00:00:aa:0$i $net.1$i" -- lsp-set-dhcpv4-options vm$i "$dhcp"
done
ovn-nbctl --timeout="$OVN_WAIT_TIMEOUT" --wait=sb sync
echo "SB: $(ovn-sbctl --bare --columns=_uuid list Logical_Flow | grep -c .)" \
     "logical flows"

ovn_attach hv1 192.168.0.1 >/dev/null
OVN_CONTROLLER=$DEBIAN ovn_attach hv2 192.168.0.2 >/dev/null
for i in 1 2; do
    as hv$i ovs-vsctl add-port br-int vm$i -- set interface vm$i \
        external_ids:iface-id=vm$i options:pstream="punix:$work/hv$i/vm.sock"
done
ovn_wait_until "test \"\$(ovn-nbctl lsp-get-up vm1)\$(ovn-nbctl lsp-get-up vm2)\" = upup" "$OVN_WAIT_TIMEOUT"
ovn-nbctl --timeout="$OVN_WAIT_TIMEOUT" --wait=hv sync
for i in 1 2; do
    echo "hv$i: $(as hv$i ovs-ofctl dump-aggregate br-int |
                  sed -n 's/.*flow_count=\([0-9]*\).*/\1/p') OpenFlow flows"
done

# pcaps HV NAME: the VIF of HV records into NAME-rx.pcap, NAME-tx.pcap.
pcaps () {
    as "$1" ovs-vsctl set interface "vm${1#hv}" \
        options:rxq_pcap="$work/$2-rx.pcap" options:tx_pcap="$work/$2-tx.pcap"
    sleep 0.5
}

# frames KIND HV N: N frames of KIND (dhcp, arp) from HV's VIF, hex.
frames () {
    python3 - "$srcdir/tests/pinctrl-pkt.py" "$@" "$net" "$rmac" <<'EOF'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("pkt", sys.argv[1])
pkt = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pkt)
kind, i, n, net, rmac = sys.argv[2:7]
src = "00:00:00:00:aa:0" + i[-1]
for x in range(int(n)):
    if kind == "dhcp":
        f = pkt.build("dhcp", {"src": src, "type": "discover",
                               "xid": str(0x10000 + x)})
    else:
        f = pkt.build("arp-req", {"src": src, "sip": "%s.%d" % (net,
                                                                20 + x % 200),
                                  "dip": net + ".1"})
    print(f.hex())
EOF
}

# report NAME KIND PCAPBASE: latencies from the pcaps.
report () {
    python3 - "$@" <<'EOF'
import struct, sys
name, kind, base = sys.argv[1:4]

def frames(path):
    try:
        data = open(path, "rb").read()
    except OSError:
        return
    ofs = 24
    while ofs + 16 <= len(data):
        sec, usec, incl, _ = struct.unpack("<IIII", data[ofs:ofs + 16])
        yield sec + usec / 1e6, data[ofs + 16:ofs + 16 + incl]
        ofs += 16 + incl

def dhcp_key(f, op):
    if len(f) < 50 or f[12:14] != b"\x08\x00" or f[23] != 17:
        return None
    if f[42] != op:
        return None
    return struct.unpack("!I", f[46:50])[0]

def arp_key(f, op):
    if len(f) < 42 or f[12:14] != b"\x08\x06" or f[21] != op:
        return None
    return bytes(f[28:32] if op == 1 else f[38:42])

key = dhcp_key if kind == "dhcp" else arp_key
sent = [(t, key(f, 1)) for t, f in frames(base + "-rx.pcap")]
sent = [(t, k) for t, k in sent if k is not None]
replies = [(t, key(f, 2)) for t, f in frames(base + "-tx.pcap")]
replies = [(t, k) for t, k in replies if k is not None]
# Each reply answers the latest request with its key sent before it.
pending = {}
lat = []
events = sorted([(t, 0, k) for t, k in sent] + [(t, 1, k) for t, k in replies])
for t, is_reply, k in events:
    if not is_reply:
        pending[k] = t
    elif k in pending:
        lat.append((t - pending.pop(k)) * 1000)
lat.sort()
lost = len(sent) - len(lat)
if lat:
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
    print("%-10s %-4s %6d sent: median %7.2f ms  p99 %7.2f ms  max %7.2f ms"
          "  unanswered %d" % (name, kind, len(sent), p(0.5), p(0.99),
                               lat[-1], lost))
else:
    print("%-10s %-4s %6d sent: no answer at all" % (name, kind, len(sent)))
EOF
}

# steady NAME: both kinds at RATE for SECS into ours.
steady () {
    for kind in dhcp arp; do
        frames $kind hv1 $((RATE * SECS)) > $kind.frames
        pcaps hv1 "$1-$kind"
        python3 "$INJECT" "$work/hv1/vm.sock" $kind.frames --rate "$RATE" \
            --duration "$SECS" > inject.out
        sleep 1
        report "$1" $kind "$work/$1-$kind"
        echo "           injector: $(cat inject.out)"
    done
}

echo "== steady: $RATE frames/s for $SECS s into ours (hv1)"
steady idle
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
r0=$(as hv1 ovs-appctl -t ovn-controller inc-engine/show-stats lflow_output recompute)
t0=$(now)
steady busy
t1=$(now)
r1=$(as hv1 ovs-appctl -t ovn-controller inc-engine/show-stats lflow_output recompute)
touch stop
wait $loop || true
awk -v a="$t0" -v b="$t1" -v n=$((r1 - r0)) 'BEGIN {
    printf "busy: %d recomputes of lflow_output in %.1f s\n", n, b - a }'

# saturate HV WHO: DISCOVERs as fast as possible into HV's VIF.
saturate () {
    frames dhcp "$1" 5000 > sat.frames
    pcaps "$1" "sat-$1"
    c0=$(cpu_ticks "$work/$1/ovn-controller.pid")
    v0=$(cpu_ticks "$work/$1/ovs-vswitchd.pid")
    t0=$(now)
    python3 "$INJECT" "$work/$1/vm.sock" sat.frames --duration "$SAT" \
        > inject.out
    sleep 1
    t1=$(now)
    c1=$(cpu_ticks "$work/$1/ovn-controller.pid")
    v1=$(cpu_ticks "$work/$1/ovs-vswitchd.pid")
    python3 - "$2" "$work/sat-$1" "$SAT" "$(cat inject.out)" \
        "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
        "$(awk -v c=$((c1 - c0)) -v h="$hz" 'BEGIN { print c / h }')" \
        "$(awk -v c=$((v1 - v0)) -v h="$hz" 'BEGIN { print c / h }')" <<'EOF'
import re, struct, sys
who, base, secs, inj, wall, cpu, vcpu = sys.argv[1:8]
data = open(base + "-tx.pcap", "rb").read()
ofs, offers = 24, 0
while ofs + 16 <= len(data):
    incl = struct.unpack("<IIII", data[ofs:ofs + 16])[2]
    f = data[ofs + 16:ofs + 16 + incl]
    if len(f) > 42 and f[12:14] == b"\x08\x00" and f[23] == 17 and f[42] == 2:
        offers += 1
    ofs += 16 + incl
sent = int(re.match(r"sent (\d+)", inj).group(1))
print("%-7s sent %7d (%6.0f/s)  OFFERs %7d (%6.0f/s, %3.0f%%)  "
      "wall %5.1f s  controller CPU %5.2f s  vswitchd CPU %5.2f s"
      % (who, sent, sent / float(secs), offers, offers / float(secs),
         100.0 * offers / max(sent, 1), float(wall), float(cpu), float(vcpu)))
EOF
}

echo "== saturation: DISCOVERs as fast as possible for $SAT s" \
     "(ours with ovn-pinctrl-rate-limit=10000000)"
as hv1 ovs-vsctl set open . external_ids:ovn-pinctrl-rate-limit=10000000
ovn_wait_until "as hv1 ovs-ofctl -O OpenFlow15 dump-meters br-int | grep -q 'rate=10000000 '" "$OVN_WAIT_TIMEOUT"
saturate hv1 ours
saturate hv2 debian
as hv1 ovs-vsctl remove open . external_ids ovn-pinctrl-rate-limit
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
