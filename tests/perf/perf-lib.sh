# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Shared prologue of the benchmarks in tests/perf; sourced, not run.
#
#   srcdir=$(cd "$(dirname "$0")/../.." && pwd)
#   . "$srcdir/tests/perf/perf-lib.sh"
#
# Sourcing it makes a work directory $work, removed on exit (after
# stopping the daemons under $ovn_base, if the script set it), and sets
# $hz, the clock ticks per second of /proc's CPU times.

# perf_require FILE...: exits 2 unless every FILE is executable.
perf_require () {
    for perf_f in "$@"; do
        test -x "$perf_f" || {
            echo "$perf_f not found; pass the build directory" >&2
            exit 2
        }
    done
}

# perf_use_ovn CONTROLLER: sources tests/ovn-functions.sh for a benchmark
# run with ovn-controller binary CONTROLLER, the consistency check off (it
# recomputes after every incremental run) and every wait bounded by
# OVN_WAIT_TIMEOUT (default 600 seconds).
perf_use_ovn () {
    OVN_CONTROLLER=$1
    OVN_CONSISTENCY_CHECK=no
    OVN_WAIT_TIMEOUT=${OVN_WAIT_TIMEOUT:-600}
    export OVN_CONTROLLER OVN_CONSISTENCY_CHECK OVN_WAIT_TIMEOUT
    ovn_srcdir=$srcdir
    . "$srcdir/tests/ovn-functions.sh"
}

# perf_enter DIR: makes DIR, changes to it and makes it the base directory
# of the daemons ovn-functions.sh starts (and the exit trap stops).
perf_enter () {
    mkdir -p "$1"
    cd "$1"
    ovn_base=$1
}

perf__cleanup () {
    if test -n "$ovn_base"; then
        (cd "$ovn_base" && ovn_stop_all) >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}

# now: wall time in seconds, with nanoseconds.
now () {
    date +%s.%N
}

# perf_pid PID|PIDFILE: the PID, or the PID the file holds.
perf_pid () {
    case $1 in
        *[!0-9]*) cat "$1" ;;
        *) echo "$1" ;;
    esac
}

# cpu_ticks PID|PIDFILE: user + system CPU ticks of the process.
cpu_ticks () {
    read -r perf_line < "/proc/$(perf_pid "$1")/stat" || return 1
    # Drop "PID (COMM) " first: COMM may hold spaces.  Then utime and
    # stime, fields 14 and 15 of stat, are fields 12 and 13.
    echo "${perf_line##*) }" | awk '{print $12 + $13}'
}

# rss PID|PIDFILE: "kB=N peak-kB=N" of the process.
rss () {
    awk '/^VmRSS/ {rss = $2} /^VmHWM/ {hwm = $2}
         END {printf "kB=%d peak-kB=%d", rss, hwm}' \
        "/proc/$(perf_pid "$1")/status"
}

ovn_base=
work=$(mktemp -d)
trap perf__cleanup EXIT
trap 'exit 1' INT TERM
hz=$(getconf CLK_TCK)
