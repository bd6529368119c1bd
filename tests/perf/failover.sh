#! /bin/sh
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Benchmark of failover: prints figures, asserts nothing.
#
# Usage: tests/perf/failover.sh [BUILDDIR] [RUNS] [BFD-SETTINGS]
#
# Runs the failover tests of tests/failover.at RUNS times (default 10) for
# each BFD setting of BFD-SETTINGS (default "500 100 default": min_rx =
# min_tx = that many ms with mult 3, or OVS's own defaults), and prints,
# per case (gateway: the active member of an HA group loses its NIC;
# nic: a local NIC dies under NIC failover) and setting, the median,
# minimum and maximum failover window over the runs: from the last frame
# that went through the old path to the first through the new one (frames
# every 20 ms or so), and the frames lost in between.  A run whose test
# failed is counted and left out.  Only our controller: the tests read
# ha/show and encap/show.

set -e
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=$(cd "${1:-.}" && pwd)
RUNS=${2:-10}
SETTINGS=${3:-500 100 default}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for ms in $SETTINGS; do
    failed=0
    : > "$log"
    i=0
    while [ $i -lt "$RUNS" ]; do
        i=$((i + 1))
        if ! FO_BFD_MS=$ms FO_WINDOW_LOG=$log \
             make -s -C "$builddir" check TESTSUITEFLAGS='-k failover' \
             >/dev/null 2>&1; then
            failed=$((failed + 1))
        fi
    done
    for case in gateway nic; do
        python3 - "$log" "$case" "$ms" "$RUNS" "$failed" <<'PY'
import re, statistics, sys
path, case, ms, runs, failed = sys.argv[1:]
w, lost = [], []
for line in open(path):
    m = re.match(r"(\S+) failover window: (\d+) ms .*, (\d+) lost", line)
    if m and m.group(1) == case:
        w.append(int(m.group(2)))
        lost.append(int(m.group(3)))
bfd = "OVS defaults" if ms == "default" else "%s ms x 3" % ms
if not w:
    print("%-8s BFD %-13s no figure (%s runs, %s failed)"
          % (case, bfd, runs, failed))
else:
    print("%-8s BFD %-13s window median %5d ms (min %d, max %d), "
          "lost median %d frames, %d runs (%s runs failed)"
          % (case, bfd, statistics.median(w), min(w), max(w),
             statistics.median(lost), len(w), failed))
PY
    done
done
