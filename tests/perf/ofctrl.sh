#! /bin/sh
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Benchmark of ofctrl: prints figures, asserts nothing.
#
# Usage: tests/perf/ofctrl.sh [BUILDDIR] [N] [K]
#
# Starts one hypervisor (ovsdb-server, ovs-vswitchd with br-int) and the
# test daemon tests/test-ofctrl from BUILDDIR (default "."), then:
#
#   install  adds N simple flows (default 300000: "table=10,priority=100,
#            reg0=I actions=load:1->reg1") in one put and waits for the
#            barrier that confirms them;
#   change   changes the actions of K of them (default 1000) in one put;
#   repair   deletes K flows with ovs-ofctl and waits until ofctrl has put
#            them back (the flow monitor, a new dump, a repair bundle).
#
# One line per step:
#
#   step flows seconds test-ofctrl-cpu vswitchd-cpu test-ofctrl-rss
#
#   seconds          wall time from the command to the installed state
#                    (for "install", from the put, not counting the adds)
#   *-cpu            CPU seconds each process used in that time
#   test-ofctrl-rss  resident memory of the test daemon afterwards: its N
#                    desired flows (one flow table) and N installed ones
#
# OVN_WAIT_TIMEOUT (default 600) bounds each wait.

set -e
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=$(cd "${1:-.}" && pwd)
N=${2:-300000}
K=${3:-1000}

. "$srcdir/tests/perf/perf-lib.sh"
perf_require "$builddir/tests/test-ofctrl"
perf_use_ovn ovn-controller
PATH=$builddir/tests:$PATH
perf_enter "$work/ofctrl"

ovn_add_hv hv1 >/dev/null
as hv1 ovs-vsctl add-br br-int -- set bridge br-int fail-mode=secure \
    other-config:disable-in-band=true
dir=$ovn_base/hv1
(ovn__setenv "$dir" && test-ofctrl --detach --no-chdir --pidfile \
     --log-file --unixctl="$dir/test-ofctrl.ctl" br-int) 2>/dev/null
ovn__record "$dir/test-ofctrl.pid"
T () {
    ovs-appctl --timeout="$OVN_WAIT_TIMEOUT" -t "$dir/test-ofctrl.ctl" "$@"
}
ovn_wait_until 'test "$(T ready)" = yes'

# step NAME GEN: waits for generation GEN and prints the figures, from
# the times and CPU counts taken by 'start'.
start () {
    t0=$(now)
    c0=$(cpu_ticks "$dir/test-ofctrl.pid")
    v0=$(cpu_ticks "$dir/ovs-vswitchd.pid")
}
step () {
    ovn_wait_until "test \"\$(T installed-gen)\" = $2" "$OVN_WAIT_TIMEOUT"
    finish "$1"
}
finish () {
    t1=$(now)
    c1=$(cpu_ticks "$dir/test-ofctrl.pid")
    v1=$(cpu_ticks "$dir/ovs-vswitchd.pid")
    n=$(T ofctrl/show | sed -n 's/^flows: //p')
    echo "$1 $n $t0 $t1 $c0 $c1 $v0 $v1 $hz $(rss "$dir/test-ofctrl.pid")" |
        awk '{printf "%s %d %.2f %.2f %.2f %s %s\n", $1, $2, $4 - $3,
              ($6 - $5) / $9, ($8 - $7) / $9, $10, $11}'
}

echo "step flows seconds test-ofctrl-cpu vswitchd-cpu test-ofctrl-rss"
T bulk 0 0 "$N" 1
start
T put 1
step install 1

T bulk 0 0 "$K" 2
start
T put 2
step change 2

repairs=$(T ofctrl/show | sed -n 's/^repairs: //p')
start
i=0
while [ $i -lt "$K" ]; do
    # The last K flows, by exact key, all in one ovs-ofctl call.
    echo "delete_strict table=10,priority=100,reg0=$((N - 1 - i))"
    i=$((i + 1))
done > del.txt
as hv1 ovs-ofctl add-flows br-int del.txt
ovn_wait_until "test \"\$(T ofctrl/show | sed -n 's/^repairs: //p')\" != $repairs" \
    "$OVN_WAIT_TIMEOUT"
ovn_wait_until "test \"\$(as hv1 ovs-ofctl dump-aggregate br-int table=10 |
                        sed -n 's/.*flow_count=//p')\" = $N" "$OVN_WAIT_TIMEOUT"
finish repair
