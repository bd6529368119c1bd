#! /bin/sh
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Benchmark of the tunnel mesh: prints figures, asserts nothing.
#
# Usage: tests/perf/tunnel-mesh.sh [BUILDDIR] [C] [N] [MODES]
#
# For each mode in MODES (default "port-based planes flow-based"), builds a
# fresh deployment: an SB ovsdb-server (no northd) and one real hypervisor
# (ovsdb-server, ovs-vswitchd, our ovn-controller from BUILDDIR, default
# ".") with N local encap IPs (default 4); then registers C fake remote
# chassis (default 50) with N encap IPs each straight in the SB, in one
# transaction, and waits until the mesh is complete: every tunnel the mode
# wants exists and has an OpenFlow port number, and encap/show reports
# every path up.  Prints one line per mode:
#
#   mode C N ports seconds controller-cpu vswitchd-cpu
#
#   ports           tunnel ports created on br-int
#   seconds         wall time from the SB transaction to a complete mesh
#   controller-cpu  CPU seconds ovn-controller used in that time
#   vswitchd-cpu    CPU seconds ovs-vswitchd used in that time
#
# Modes: "port-based" (all IPs in one plane: C x N x N ports), "planes"
# (one plane per NIC on both sides: C x N ports), "flow-based"
# (ovn-enable-flow-based-tunnels=true: one port, C x N x N paths).
#
# The consistency check is off (OVN_CONSISTENCY_CHECK=no), since it
# recomputes after every incremental run.  OVN_WAIT_TIMEOUT (default 600)
# bounds each wait.

set -e
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=$(cd "${1:-.}" && pwd)
C=${2:-50}
N=${3:-4}
MODES=${4:-"port-based planes flow-based"}

. "$srcdir/tests/perf/perf-lib.sh"
perf_require "$builddir/controller/ovn-controller"
perf_use_ovn "$builddir/controller/ovn-controller"

# local_ips MODE: the N local encap IPs, with planes in "planes" mode.
local_ips () {
    j=1
    ips=
    while test $j -le "$N"; do
        ip=10.$j.255.1
        if test "$1" = planes && test $j -gt 1; then
            ip=$ip:p$j
        fi
        ips=$ips${ips:+,}$ip
        j=$((j + 1))
    done
    echo "$ips"
}

# fake_chassis_script MODE: an ovn-sbctl invocation creating C chassis
# with N encaps each, in one transaction.
fake_chassis_script () {
    awk -v C="$C" -v N="$N" -v mode="$1" 'BEGIN {
        printf "ovn-sbctl";
        for (c = 0; c < C; c++) {
            refs = "";
            for (j = 1; j <= N; j++) {
                id = "e" c "x" j;
                printf " -- --id=@%s create encap type=geneve", id;
                printf " ip=\\\"10.%d.%d.%d\\\"", j, int(c / 250), c % 250 + 2;
                printf " chassis_name=remote%d options:csum=true", c;
                if (mode == "planes" && j > 1) {
                    printf " options:plane=p%d", j;
                }
                refs = refs (j > 1 ? "," : "") "@" id;
            }
            printf " -- create chassis name=remote%d encaps=%s", c, refs;
        }
        printf " >/dev/null\n";
    }'
}

# ports_ready: number of our tunnel ports on br-int with an OpenFlow port.
ports_ready () {
    as hv1 ovs-vsctl --format=csv --no-headings --data=bare \
        --columns=name,external_ids list port | grep -c 'ovn-chassis-id=' \
        > "$current/created" || true
    as hv1 ovs-vsctl --format=csv --no-headings --data=bare \
        --columns=ofport find interface type=geneve | awk '$1 > 0' | wc -l
}

# paths_up: number of paths encap/show reports up.
paths_up () {
    as hv1 ovs-appctl -t ovn-controller encap/show | grep -c 'state=up' ||
        true
}

run_mode () {
    mode=$1
    current=$work/$mode
    perf_enter "$current"

    case $mode in
        port-based) want_ports=$((C * N * N)); want_paths=$((C * N * N)) ;;
        planes) want_ports=$((C * N)); want_paths=$((C * N)) ;;
        flow-based) want_ports=1; want_paths=$((C * N * N)) ;;
        *) echo "unknown mode $mode" >&2; exit 2 ;;
    esac

    ovn_start --no-northd >/dev/null 2>&1
    ovn_attach hv1 "$(local_ips "$mode")" --plen=16 >/dev/null 2>&1
    if test "$mode" = flow-based; then
        as hv1 ovs-vsctl set open . \
            external_ids:ovn-enable-flow-based-tunnels=true
    fi
    ovn_wait_until "ovn-sbctl --bare --columns=name list chassis |
                    grep -q hv1"
    fake_chassis_script "$mode" > fake.sh

    ctl0=$(cpu_ticks hv1/ovn-controller.pid)
    vsw0=$(cpu_ticks hv1/ovs-vswitchd.pid)
    t0=$(now)
    sh fake.sh
    ovn_wait_until "test \$(ports_ready) -ge $want_ports" ||
        echo "$mode: timed out waiting for $want_ports ports" >&2
    ovn_wait_until "test \$(paths_up) -ge $want_paths" ||
        echo "$mode: timed out waiting for $want_paths paths" >&2
    t1=$(now)
    ctl1=$(cpu_ticks hv1/ovn-controller.pid)
    vsw1=$(cpu_ticks hv1/ovs-vswitchd.pid)

    awk -v mode="$mode" -v c="$C" -v n="$N" -v ports="$(cat created)" \
        -v t0="$t0" -v t1="$t1" -v hz="$hz" \
        -v ctl="$((ctl1 - ctl0))" -v vsw="$((vsw1 - vsw0))" 'BEGIN {
        printf "%-10s C=%-4d N=%-2d ports=%-6d seconds=%-7.2f " \
               "controller-cpu=%-7.2f vswitchd-cpu=%.2f\n",
               mode, c, n, ports, t1 - t0, ctl / hz, vsw / hz;
    }'

    ovn_stop_all >/dev/null 2>&1
    cd "$work"
    ovn_base=
}

for mode in $MODES; do
    run_mode "$mode"
done
