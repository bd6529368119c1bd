#! /bin/sh
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Benchmark of failover: prints figures, asserts nothing.
#
# Usage: tests/perf/failover.sh [BUILDDIR] [RUNS] [BFD-SETTINGS]
#
# For each BFD setting of BFD-SETTINGS (default "100 500 default":
# min_rx = min_tx = that many ms with mult 3, or OVS's own defaults), runs
# RUNS times (default 10), interleaved, the failover tests of
# tests/failover.at:
#   gateway  the active member of an HA group loses its NIC (keyword
#            fo-gateway), with our controller and with Debian's
#            ($FO_DEBIAN, default /usr/bin/ovn-controller; "none" skips
#            it): ours, Debian's, ours, Debian's, ...
#   nic      a local NIC dies under NIC failover (fo-nic), ours only
#            (several NICs per chassis are our feature).
# Each test first sends a steady stream of 150 frames with nothing
# failing (frames lost: "steady lost", which the test requires to be 0),
# then cuts the NIC under a stream of numbered frames (one every 20 ms or
# so).  The window is measured from the packets alone: from the last frame
# that went through the old path to the first through the new one.
#
# Prints, per case, controller and setting: the median, minimum and
# maximum window of the runs that passed, the median frames lost in it,
# the runs that passed and failed, the BFD detection time (mult x
# interval) and the target (3 x detection time), the frames the steady
# stream lost (median and maximum over every run that got that far,
# failed or not), and the median CPU seconds the test's controllers used
# over the whole test.  Ours runs without the suite's consistency check
# (OVN_CONSISTENCY_CHECK=no), as deployed.  A run that fails (or exceeds
# $FO_RUN_TIMEOUT seconds, default 600) is counted and left out, and its
# testsuite.log and its test directory (daemon logs, pcaps) are kept in
# BUILDDIR/perf-failover-logs (with runs.txt, every run's figures); it
# never stops the benchmark.
# Also prints the load average at the start and the end: the 100 ms
# timers are sensitive to load.  Progress goes to stderr.
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
. "$srcdir/tests/perf/perf-lib.sh"

builddir=$(cd "${1:-.}" && pwd)
RUNS=${2:-10}
SETTINGS=${3:-100 500 default}
deb=${FO_DEBIAN:-/usr/bin/ovn-controller}
timeout=${FO_RUN_TIMEOUT:-600}
keep=$builddir/perf-failover-logs
perf_require "$builddir/tests/testsuite" "$builddir/controller/ovn-controller"
if test "$deb" != none && test ! -x "$deb"; then
    echo "note: $deb not found: the gateway case runs with ours only" >&2
    deb=none
fi
results=$work/results
: > "$results"
rm -rf "$keep"

# The controllers of a gateway round, then the NIC case.
rounds="gateway:ours"
test "$deb" = none || rounds="$rounds gateway:debian"
rounds="$rounds nic:ours"
n_settings=$(echo $SETTINGS | wc -w)
n_rounds=$(echo $rounds | wc -w)
total=$((RUNS * n_settings * n_rounds))

# fo_run CASE CONTROLLER MS RUN: runs the test once and appends to
# $results "CASE CONTROLLER MS ok|failed WINDOW LOST STEADY CPU SECONDS"
# ("-" for a figure the run did not give).
fo_run () {
    case=$1 ctl=$2 ms=$3 run=$4
    dir=$work/run
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$builddir/tests/atconfig" "$builddir/tests/atlocal" "$dir/"
    # Ours without the suite's consistency check (a full recompute after
    # every incremental run), as deployed and as Debian's runs.
    bin=ovn-controller check=no
    test "$ctl" = ours || bin=$deb check=auto
    path_u=$builddir/utilities
    t0=$(date +%s)
    FO_BFD_MS=$ms FO_WINDOW_LOG=$dir/figures OVN_CONTROLLER=$bin \
        OVN_CONSISTENCY_CHECK=$check \
        timeout -k 30 "$timeout" "$builddir/tests/testsuite" -C "$dir" \
        AUTOTEST_PATH="$builddir/controller:$builddir/tests:$path_u" \
        -k "fo-$case" > "$dir/out" 2>&1
    rc=$?
    secs=$(($(date +%s) - t0))
    status=ok
    if test $rc != 0 || ! grep -q "^$case failover window: [0-9]* ms" \
            "$dir/figures" 2>/dev/null; then
        status=failed
        mkdir -p "$keep/$case-$ctl-$ms-$run"
        cat "$dir"/testsuite.dir/*/testsuite.log "$dir/out" \
            > "$keep/$case-$ctl-$ms-$run.log" 2>/dev/null
        cp -r "$dir"/testsuite.dir/*/. "$keep/$case-$ctl-$ms-$run/" \
            2>/dev/null
    fi
    touch "$dir/figures"
    window=$(sed -n "s/^$case failover window: \([0-9]*\) ms.*/\1/p" \
             "$dir/figures")
    lost=$(sed -n "s/^$case failover window: .*, \([0-9]*\) lost.*/\1/p" \
           "$dir/figures")
    steady=$(sed -n "s/^$case steady: [0-9]* sent, \([0-9]*\) lost.*/\1/p" \
             "$dir/figures")
    cpu=$(awk -v c="$case" '$1 == c && $2 == "cpu" && $4 != "?" {
                               s += $4; n++ }
                            END { if (n) printf "%.2f", s; else print "-" }' \
          "$dir/figures")
    where=-
    if test $status = failed; then
        where=$(sed -n 's/.*FAILED (\(failover\.at:[0-9]*\)).*/\1/p' \
                "$dir/out" | head -1)
        if test $rc -ge 124; then
            # Killed: stop the daemons its test started, by their pids.
            where=timeout
            for pf in $(cat "$dir"/testsuite.dir/*/ovn-daemons \
                        2>/dev/null); do
                test -f "$pf" && kill "$(cat "$pf")" 2>/dev/null
            done
        fi
        where=${where:-no-window}
    fi
    echo "$case $ctl $ms $status ${window:--} ${lost:--} ${steady:--}" \
         "$cpu $secs $where" >> "$results"
    done_runs=$((done_runs + 1))
    left=$((($(date +%s) - start) * (total - done_runs) / done_runs))
    echo "[$done_runs/$total] $case $ctl BFD $ms: $status" \
         "(${window:-no} window, $secs s; about $((left / 60 + 1))" \
         "min left)" >&2
}

start=$(date +%s)
done_runs=0
load0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "failover benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs"
echo "BFD settings: $SETTINGS; $RUNS runs each of: $rounds"
echo "load average at start: $load0"
echo "$total test runs of 25 to 40 s: about $((total * 35 / 60)) minutes" \
     "on a 2-core machine" >&2

for ms in $SETTINGS; do
    i=0
    while [ $i -lt "$RUNS" ]; do
        i=$((i + 1))
        for r in $rounds; do
            fo_run "${r%%:*}" "${r#*:}" "$ms" "$i"
        done
    done
done

echo "load average at end:   $(cut -d' ' -f1-3 /proc/loadavg)" \
     "($((($(date +%s) - start) / 60)) minutes)"
python3 - "$results" "$SETTINGS" <<'PY'
import statistics, sys

path, settings = sys.argv[1], sys.argv[2].split()
runs = {}
for line in open(path):
    f = line.split()
    runs.setdefault((f[0], f[1], f[2]), []).append(f[3:])


def med(v):
    return statistics.median(v) if v else None


def num(v, fmt="%d"):
    return "-" if v is None else fmt % v


print("%-8s %-7s %-22s %5s %24s %5s %11s %6s"
      % ("case", "ctl", "BFD: detect (3x)", "ok/F", "window ms: med (min-max)",
         "lost", "steady lost", "CPU s"))
for ms in settings:
    if ms == "default":
        detect, name = 3000, "OVS dflt"
    else:
        detect, name = 3 * int(ms), "%s x 3" % ms
    for case, ctl in (("gateway", "ours"), ("gateway", "debian"),
                      ("nic", "ours")):
        rs = runs.get((case, ctl, ms))
        if not rs:
            continue
        ok = [r for r in rs if r[0] == "ok"]
        w = [int(r[1]) for r in ok]
        lost = [int(r[2]) for r in ok]
        steady = [int(r[3]) for r in rs if r[3] != "-"]
        cpu = [float(r[4]) for r in rs if r[4] != "-"]
        win = ("%d (%d-%d)" % (med(w), min(w), max(w))) if w else "-"
        st = ("%s, max %d" % (num(med(steady)), max(steady))
              if steady else "-")
        print("%-8s %-7s %-22s %2d/%-2d %24s %5s %11s %6s"
              % (case, ctl, "%s: %d (%d)" % (name, detect, 3 * detect),
                 len(ok), len(rs) - len(ok), win, num(med(lost)), st,
                 num(med(cpu), "%.2f")))
for key, rs in sorted(runs.items()):
    where = {}
    for r in rs:
        if r[0] != "ok":
            where[r[6]] = where.get(r[6], 0) + 1
    if where:
        print("%s %s %s failed at: %s" % (key + (", ".join(
            "%s x%d" % kv for kv in sorted(where.items())),)))
print("window: last frame through the old path to the first through the "
      "new (passed runs);\nlost: frames lost in the window (median); "
      "steady lost: frames a 150-frame\nstream lost with nothing failing "
      "(every run that got that far); CPU s: the\ncontrollers' user+system "
      "seconds over the whole test, median (ours without\nthe suite's "
      "consistency check).")
PY
mkdir -p "$keep"
cp "$results" "$keep/runs.txt"
echo "each run (case ctl BFD status window lost steady-lost CPU seconds" \
     "failed-at):" \
     "$keep/runs.txt"
if ls "$keep"/*.log > /dev/null 2>&1; then
    echo "logs of the failed runs: $keep/*.log"
fi
