#! /bin/sh
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
#
# Proves that the engine's consistency check catches handler bugs: runs the
# daemon tests of a build configured with --enable-fault-injection once per
# planted bug (ovn-controller --fault-injection=N, see EN_FAULT in
# controller/en-ctx.h) and requires that the bug makes some test fail
# through the check, with the node the bug is in named in a controller
# log ("consistency check failed for node NODE").
#
# Usage: tests/plant.sh FAULT-BUILDDIR [N...]
#
# Prints one line per planted bug in the suite's own result format, so that
# .ci/run counts them: "  N: plant N: WHAT: caught (NODE)   ok" or
# "... FAILED (plant.sh)".  Exits 1 if a planted bug went unnoticed.

build=${1:?usage: tests/plant.sh FAULT-BUILDDIR [N...]}
shift
build=$(cd "$build" && pwd) || exit 1
grep -q -- '-DOVNMC_FAULT_INJECTION' "$build/Makefile" || {
    echo "plant.sh: $build is not configured with --enable-fault-injection" >&2
    exit 1
}

# The suite itself is made by "make check", not by "make".
make -s -C "$build" tests/testsuite tests/atconfig tests/atlocal >&2 ||
    exit 1

# N|what the planted bug does|suite keywords|node the check must name
plants='1|runtime_data ignores in-place Port_Binding updates|binding|runtime_data
2|tunnels ignores a chassis deletion|tunnels|tunnels
3|tunnel_sync ignores a change of its own tunnel options|tunnels|tunnel_sync
4|runtime_data datapath handler always says handled|ct-zones|runtime_data'

[ $# -gt 0 ] || set -- $(echo "$plants" | cut -d'|' -f1)
status=0
for n; do
    line=$(echo "$plants" | grep "^$n|") || { echo "plant.sh: no plant $n" >&2; exit 1; }
    what=$(echo "$line" | cut -d'|' -f2)
    keys=$(echo "$line" | cut -d'|' -f3)
    node=$(echo "$line" | cut -d'|' -f4)
    dir=$build/tests/testsuite.dir
    (cd "$build/tests" &&
     ${SHELL:-/bin/sh} ./testsuite -j2 -k "$keys" \
         AUTOTEST_PATH="$build/controller:$build/tests:$build/utilities" \
         OVN_CONTROLLER_ARGS="--fault-injection=$n") > "$build/plant-$n.log" 2>&1
    failed=$(grep -c 'FAILED (' "$build/plant-$n.log")
    if [ "$failed" -gt 0 ] &&
       grep -q "consistency check failed for node $node:" \
           "$dir"/*/*/ovn-controller.log 2>/dev/null; then
        printf '%3d: plant %d: %s: caught in %d tests (%s) ok\n' \
            "$n" "$n" "$what" "$failed" "$node"
    else
        printf '%3d: plant %d: %s: not caught FAILED (plant.sh)\n' \
            "$n" "$n" "$what"
        status=1
    fi
done
exit $status
