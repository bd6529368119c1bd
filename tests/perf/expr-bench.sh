#! /bin/sh
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Benchmark of the logical flow match compiler: prints figures, asserts
# nothing.
#
# Usage: tests/perf/expr-bench.sh [BUILDDIR] [ROUNDS]
#
# Compiles (parse, annotate, simplify, normalize, OpenFlow matches) three
# corpora ROUNDS times each and prints matches/second and the number of
# OpenFlow matches produced:
#
#   northd      every match Debian's ovn-northd writes for the topology of
#               tests/northd-lflows.sh (skipped without ovn-northd)
#   acl         synthetic ACL matches on address sets and port ranges
#   sets        big address sets, == and !=

set -e
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=${1:-.}
rounds=${2:-20}
test_ovn=$builddir/tests/test-ovn
. "$srcdir/tests/perf/perf-lib.sh"
perf_require "$test_ovn"

run () {
    name=$1
    shift
    echo "== $name"
    "$test_ovn" "$@"
}

if command -v ovn-northd >/dev/null && command -v ovsdb-server >/dev/null; then
    sh "$srcdir/tests/northd-lflows.sh" "$srcdir/ovn-sb.ovsschema" \
        "$work/dump" >/dev/null 2>&1
    echo 'svc_monitor_mac 00:00:00:00:fe:fe' >> "$work/dump/addr-sets"
    run "northd ($(wc -l < "$work/dump/matches") distinct matches)" \
        --ports="$work/dump/ports" --address-sets="$work/dump/addr-sets" \
        --port-groups="$work/dump/port-groups" \
        bench "$work/dump/matches" "$rounds"
else
    echo "== northd: skipped (no ovn-northd or ovsdb-server)"
fi

# Synthetic ACLs: each port group and address set combination, with port
# ranges and sets of ports.
awk 'BEGIN {
    for (i = 0; i < 500; i++) {
        printf "reg0[7] == 1 && (outport == @pg1 && ip4.src == $set1 && tcp.dst >= %d && tcp.dst <= %d)\n", 1000 + i, 1100 + i * 3;
        printf "reg0[8] == 1 && (inport == \"lsp%d\" && ip4 && ip4.dst != $set2 && udp.dst == {53, %d, %d})\n", i % 9 + 1, 100 + i, 200 + i;
        printf "ct.est && !ct.rel && !ct.new && !ct.inv && ct.rpl && ct_mark.blocked == 0 && ip4.src == 10.%d.0.0/16\n", i % 256;
        printf "ip4.src == $set1 && ip4.dst == $set1 && tcp.dst == {80, 443, %d} && tcp.src >= 1024\n", 8000 + i;
    }
}' > "$work/acl"
run "acl ($(wc -l < "$work/acl") matches)" bench "$work/acl" "$rounds"

# Big sets.
awk 'BEGIN {
    for (n = 10; n <= 2560; n *= 4) {
        printf "ip4.src == {";
        for (i = 0; i < n; i++) printf "10.%d.%d.%d ", int(i / 65536), int(i / 256) % 256, i % 256;
        print "} && tcp.dst == {22, 80, 443}";
        printf "ip4.src != {";
        for (i = 0; i < n; i++) printf "10.%d.%d.%d ", int(i / 65536), int(i * 3 / 256) % 256, (i * 3) % 256;
        print "} && ip4";
    }
}' > "$work/sets"
run "sets ($(wc -l < "$work/sets") matches)" bench "$work/sets" \
    "$(( (rounds + 9) / 10 ))"
