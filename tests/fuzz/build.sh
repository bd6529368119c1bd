#! /bin/sh
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer targets of tests/fuzz (fuzz-actions, fuzz-expr, and
# the pinctrl parsers: fuzz-pinctrl-userdata, -dhcp, -dhcp6, -dns, -frame) with
# clang, AddressSanitizer and UndefinedBehaviorSanitizer, and optionally
# runs them.
#
# Usage: tests/fuzz/build.sh [--run SECONDS] [OUTDIR]
#
# OUTDIR (default /tmp/ovnmc-fuzz) receives the two binaries and, with
# --run, a working corpus per target (seeded from tests/fuzz/corpus-*), the
# fuzzers' logs and any crash-* / leak-* / timeout-* inputs.  Each target
# runs for SECONDS seconds on one core; the end of each log shows the
# execution rate and the coverage reached.
#
# Our lib/*.c and the targets are compiled with clang and instrumented;
# Open vSwitch's static library (the cached OVS build that configure uses,
# or $OVS_SRC) is linked as built by gcc, uninstrumented.  Needs clang and
# its runtime (Debian: clang, libclang-rt-14-dev).  Nothing here is part of
# "make check": the suite replays the seed corpora with the plain drivers
# (tests/fuzz/fuzz.at).

set -e
run=
if [ "$1" = --run ]; then
    run=$2
    shift 2
fi
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/ovnmc-fuzz}
ovs=${OVS_SRC:-$(ls -d /var/cache/ovnmc-ovs/*/src 2>/dev/null | head -1)}
cc=${CC:-clang}

if [ ! -f "$ovs/lib/.libs/libopenvswitch.a" ]; then
    echo "$0: no OVS build at '$ovs' (set OVS_SRC)" >&2
    exit 2
fi
if ! command -v "$cc" >/dev/null; then
    echo "$0: $cc not found (apt-get install clang libclang-rt-14-dev)" >&2
    exit 2
fi

mkdir -p "$out/obj"
cflags="-g -O1 -fno-omit-frame-pointer
        -fsanitize=fuzzer-no-link,address,undefined
        -fno-sanitize-recover=undefined -Wno-unused-command-line-argument
        -I$srcdir/include -I$srcdir -I$ovs/include -I$ovs/lib -I$ovs"
libs="$ovs/lib/.libs/libopenvswitch.a $ovs/lib/.libs/libopenvswitchavx512.a
      -lssl -lcrypto -lcap-ng -latomic -lm -lunbound -lunwind -lpthread"

# The pinctrl handlers, without the thread (pinctrl.c) and the IDL side
# (sb.c), so that no generated IDL is needed.
pinctrl=$(ls "$srcdir"/controller/pinctrl/*.c | grep -v -F -e /pinctrl/pinctrl.c -e /pinctrl/sb.c)
objs=
for src in "$srcdir"/lib/*.c "$srcdir"/tests/fuzz/fuzz-util.c \
           "$srcdir"/tests/fuzz/fuzz-pinctrl.c $pinctrl; do
    obj=$out/obj/$(basename "$src" .c).o
    $cc $cflags -c "$src" -o "$obj"
    objs="$objs $obj"
done
targets="actions expr pinctrl-userdata pinctrl-dhcp pinctrl-dhcp6 pinctrl-dns
         pinctrl-frame"
for target in $targets; do
    $cc $cflags -c "$srcdir/tests/fuzz/fuzz-$target.c" \
        -o "$out/obj/fuzz-$target.o"
    $cc -fsanitize=fuzzer,address,undefined -o "$out/fuzz-$target" \
        "$out/obj/fuzz-$target.o" $objs $libs
    echo "built $out/fuzz-$target"
done

if [ -n "$run" ]; then
    for target in $targets; do
        mkdir -p "$out/corpus-$target"
        (cd "$out" && ./fuzz-$target -max_total_time="$run" -max_len=4096 \
            -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            "corpus-$target" "$srcdir/tests/fuzz/corpus-$target" \
            > "fuzz-$target.log" 2>&1) || echo "fuzz-$target: FAILED"
        grep -E '^#[0-9]+ +DONE|stat::|SUMMARY|ERROR' "$out/fuzz-$target.log" \
            | sed "s/^/fuzz-$target: /"
    done
fi
