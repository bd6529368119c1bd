#! /bin/sh
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Benchmark of port binding: prints figures, asserts nothing.
#
# Usage: tests/perf/binding.sh [BUILDDIR] [SWITCHES] [PORTS-PER-SWITCH]
#                              [BOUND]
#
# Builds a deployment (NB and SB ovsdb-servers, Debian's ovn-northd, one
# hypervisor: ovsdb-server, ovs-vswitchd and our ovn-controller from
# BUILDDIR, default ".") and a northbound of SWITCHES logical switches
# (default 50) of PORTS-PER-SWITCH ports each (default 100: 5,000 ports).
# Then adds BOUND Interfaces (default 500, spread evenly over the
# switches) to br-int in one transaction and waits until every one of
# their ports has Port_Binding up=true; then adds one more and waits for
# it.  Prints:
#
#   ports=5000 switches=50 bound=500
#   bind-all: seconds=S controller-cpu=S     Interfaces added -> all up
#   rss: kB=N peak-kB=N                        controller, once all are up
#   one-more: seconds=S controller-cpu=S     one Interface added -> up
#   runtime_data: recompute N compute N      engine stats over both steps
#
# The consistency check is off (it recomputes after every incremental
# run).  OVN_WAIT_TIMEOUT (default 600) bounds each wait.

set -e
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=$(cd "${1:-.}" && pwd)
SWITCHES=${2:-50}
PER=${3:-100}
BOUND=${4:-500}

. "$srcdir/tests/perf/perf-lib.sh"
perf_require "$builddir/controller/ovn-controller"
perf_use_ovn "$builddir/controller/ovn-controller"
perf_enter "$work"

# nb_script: one ovn-nbctl transaction per switch creating its ports.
nb_script () {
    awk -v S="$SWITCHES" -v P="$PER" 'BEGIN {
        for (s = 0; s < S; s++) {
            printf "ovn-nbctl ls-add ls%d", s;
            for (p = 0; p < P; p++) {
                printf " -- lsp-add ls%d lp%d-%d", s, s, p;
                printf " -- lsp-set-addresses lp%d-%d", s, p;
                printf " \"00:00:00:%02x:%02x:%02x 10.%d.%d.%d\"",
                       s, int(p / 256), p % 256, s, int(p / 250), p % 250 + 1;
            }
            printf "\n";
        }
    }'
}

# vif_script FIRST COUNT: one ovs-vsctl transaction adding COUNT VIFs,
# numbered from FIRST, spread over the switches.
vif_script () {
    awk -v F="$1" -v N="$2" -v S="$SWITCHES" 'BEGIN {
        printf "as hv1 ovs-vsctl";
        for (i = F; i < F + N; i++) {
            printf " -- add-port br-int vif%d", i;
            printf " -- set interface vif%d external_ids:iface-id=lp%d-%d",
                   i, i % S, int(i / S);
        }
        printf "\n";
    }'
}

# n_up: number of Port_Bindings with up=true.
n_up () {
    ovn-sbctl --bare --columns=up find port_binding up=true | grep -c true ||
        true
}

# elapsed T0 T1 TICKS0 TICKS1: "seconds=S controller-cpu=S".
elapsed () {
    awk -v t0="$1" -v t1="$2" -v c="$(($4 - $3))" -v hz="$hz" 'BEGIN {
        printf "seconds=%.2f controller-cpu=%.2f\n", t1 - t0, c / hz
    }'
}

ovn_start >/dev/null 2>&1
nb_script > nb.sh
sh nb.sh
ovn-nbctl --timeout=600 --wait=sb sync
ovn_attach hv1 192.168.0.1 >/dev/null 2>&1
as hv1 ovs-appctl -t ovn-controller inc-engine/consistency-check off \
    >/dev/null
ovn-nbctl --timeout=600 --wait=hv sync
as hv1 ovs-appctl -t ovn-controller inc-engine/clear-stats

echo "ports=$((SWITCHES * PER)) switches=$SWITCHES bound=$BOUND"

# bind_step LABEL FIRST COUNT: adds COUNT VIFs numbered from FIRST in one
# transaction, waits until FIRST + COUNT ports are up and prints
# "LABEL: seconds=S controller-cpu=S".
bind_step () {
    want=$(($2 + $3))
    vif_script "$2" "$3" > "$1.sh"
    c0=$(cpu_ticks hv1/ovn-controller.pid)
    t0=$(now)
    . "./$1.sh"
    ovn_wait_until "test \$(n_up) -ge $want" "$OVN_WAIT_TIMEOUT" ||
        echo "$1: timed out waiting for $want ports up ($(n_up) up)" >&2
    t1=$(now)
    c1=$(cpu_ticks hv1/ovn-controller.pid)
    echo "$1: $(elapsed "$t0" "$t1" "$c0" "$c1")"
}

bind_step bind-all 0 "$BOUND"
echo "rss: $(rss hv1/ovn-controller.pid)"
bind_step one-more "$BOUND" 1

echo "runtime_data: recompute $(as hv1 ovs-appctl -t ovn-controller \
    inc-engine/show-stats runtime_data recompute) compute $(as hv1 \
    ovs-appctl -t ovn-controller inc-engine/show-stats runtime_data compute)"
