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


# perf_pinctrl_nb SWITCHES PORTS ACLS [as0]: loads the northbound of the
# pinctrl benchmarks: SWITCHES switches of PORTS ports each ("lsS-pP",
# 00:00:SS:SS:00:PP, 10.100+S/250.S%250.P+10) and ls-dhcp, all behind
# router lr0 (lrpS, 10.x.y.1/24); port group pg0 of every port; ACLS
# allow-related ACLs "outport == @pg0 && ip4.src == SRC && tcp.dst == N",
# SRC being a /24 of 172.16 per ACL, or, with "as0", the address set as0
# of 100 addresses.
perf_pinctrl_nb () {
    awk -v S="$1" -v P="$2" -v A="$3" -v AS="${4:-}" 'BEGIN {
        print "lr-add lr0"
        for (s = 0; s <= S; s++) {
            name = s < S ? "ls" s : "ls-dhcp"
            printf "ls-add %s\n", name
            printf "lrp-add lr0 lrp%d 00:00:ff:00:%02x:%02x 10.%d.%d.1/24\n",
                   s, int(s / 256), s % 256, 100 + int(s / 250), s % 250
            printf "lsp-add %s %s-lr0\n", name, name
            printf "lsp-set-type %s-lr0 router\n", name
            printf "lsp-set-addresses %s-lr0 router\n", name
            printf "lsp-set-options %s-lr0 router-port=lrp%d\n", name, s
            for (p = 0; s < S && p < P; p++) {
                printf "lsp-add %s %s-p%d\n", name, name, p
                printf "lsp-set-addresses %s-p%d \"00:00:%02x:%02x:00:%02x " \
                       "10.%d.%d.%d\"\n", name, p, int(s / 256), s % 256, p,
                       100 + int(s / 250), s % 250, p + 10
                ports = ports " " name "-p" p
            }
        }
        printf "pg-add pg0%s\n", ports
        if (AS) {
            printf "create Address_Set name=as0 addresses="
            for (i = 1; i <= 100; i++)
                printf "%s172.16.0.%d", (i > 1 ? "," : ""), i
            print ""
        }
        for (k = 0; k < A; k++) {
            src = AS ? "\\$as0" : sprintf("172.16.%d.0/24", k % 250)
            printf "acl-add pg0 to-lport %d \"outport == @pg0 && " \
                   "ip4.src == %s && tcp.dst == %d\" allow-related\n",
                   1000 + k % 1000, src, 10000 + k
        }
    }' | sed 's/^/-- /' | tr '\n' ' ' > nb.args
    eval "ovn-nbctl --timeout=$OVN_WAIT_TIMEOUT $(cut -c 4- nb.args)" >/dev/null
}

ovn_base=
work=$(mktemp -d)
trap perf__cleanup EXIT
trap 'exit 1' INT TERM
hz=$(getconf CLK_TCK)
