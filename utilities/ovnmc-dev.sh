#!/bin/bash
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Sets up a Debian 12 machine for this project and drives the build, the
# test suite and the sandbox.  Run as root from anywhere in the checkout.
#
# Usage: utilities/ovnmc-dev.sh COMMAND...
#   install   install the Debian packages we need (skipped when they all are)
#   build     build OVS into the cache (utilities/ovs-cache.sh), then this
#             tree out of tree in $OVNMC_BUILD (default: _build/ here)
#   check     "make check" with TESTSUITEFLAGS (default -j3), output also
#             in $OVNMC_BUILD/check.out
#   asan-check  build the unit drivers of the compiler and the engine with
#             --enable-asan in $OVNMC_ASAN_BUILD (default: $OVNMC_BUILD-asan)
#             and run their tests there, output also in its check.out
#   sandbox   start utilities/ovnmc-sandbox with our ovn-controller
#   setup     install, then build
# The two commands of README.rst:
#   utilities/ovnmc-dev.sh setup sandbox
#   utilities/ovnmc-dev.sh setup check

set -e -o pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${OVNMC_BUILD:-$top/_build}
asan_build=${OVNMC_ASAN_BUILD:-$build-asan}

# Everything the build, the test suite and the sandbox use.
packages="
    build-essential autoconf automake libtool pkg-config git python3
    libssl-dev libcap-ng-dev libunbound-dev libunwind-dev
    libnl-3-dev libnl-route-3-dev
    openvswitch-source openvswitch-switch openvswitch-common openvswitch-doc
    ovn-central ovn-host ovn-common ovn-doc
    iproute2 procps util-linux
"

log () {
    echo "ovnmc-dev: $*" >&2
}

do_install () {
    local missing=
    for p in $packages; do
        if ! dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null |
                grep -q '^install ok installed$'; then
            missing="$missing $p"
        fi
    done
    if [ -z "$missing" ]; then
        log "all packages are installed"
        return 0
    fi
    log "installing:$missing"
    # Keep the packages' services (a system ovs-vswitchd, ovn-northd, ...)
    # from starting: nothing here uses them, and they would only compete.
    local rcd=/usr/sbin/policy-rc.d made_rcd=false
    if [ ! -e "$rcd" ]; then
        printf '#!/bin/sh\nexit 101\n' > "$rcd"
        chmod +x "$rcd"
        made_rcd=true
    fi
    export DEBIAN_FRONTEND=noninteractive
    local status=0
    apt-get update -q && apt-get install -y -q --no-install-recommends \
        $packages || status=$?
    if $made_rcd; then
        rm -f "$rcd"
    fi
    return $status
}

do_build () {
    local cache
    cache=$(sh "$top/utilities/ovs-cache.sh")
    log "OVS tree: $cache/src"
    if [ ! -x "$top/configure" ]; then
        (cd "$top" && ./boot.sh)
    fi
    mkdir -p "$build"
    if [ ! -f "$build/config.status" ]; then
        (cd "$build" && "$top/configure" --with-ovs-source="$cache/src")
    fi
    make -C "$build" -j"$(nproc)"
}

do_check () {
    local status=0
    make -C "$build" check \
        TESTSUITEFLAGS="${TESTSUITEFLAGS:--j3}" 2>&1 |
        tee "$build/check.out" || status=$?
    return $status
}

# The logical flow compiler (lexer, expressions, actions), its fuzz seed
# corpora and the engine: unit drivers only, so the tests run under
# AddressSanitizer (leaks included) without building the daemon.
asan_programs="tests/test-ovn tests/test-actions tests/test-engine
    tests/fuzz/fuzz-actions tests/fuzz/fuzz-expr"
asan_keywords="-k lex -k expr -k actions -k engine,!chassis"

do_asan_check () {
    local cache status=0
    cache=$(sh "$top/utilities/ovs-cache.sh")
    if [ ! -x "$top/configure" ]; then
        (cd "$top" && ./boot.sh)
    fi
    mkdir -p "$asan_build"
    if [ ! -f "$asan_build/config.status" ]; then
        (cd "$asan_build" &&
         "$top/configure" --with-ovs-source="$cache/src" --enable-asan)
    fi
    # Named targets do not make BUILT_SOURCES (the generated IDL) first.
    local built
    built=$(printf 'ovnmc-print-built:\n\t@echo $(BUILT_SOURCES)\n' |
            make -s -C "$asan_build" -f Makefile -f - ovnmc-print-built)
    make -C "$asan_build" -j"$(nproc)" $built
    make -C "$asan_build" -j"$(nproc)" $asan_programs \
        tests/atconfig tests/atlocal tests/testsuite
    (cd "$asan_build" &&
     ${SHELL:-/bin/sh} tests/testsuite -C tests \
         AUTOTEST_PATH="$asan_build/tests:$asan_build/tests/fuzz" \
         -j"$(nproc)" $asan_keywords) 2>&1 |
        tee "$asan_build/check.out" || status=$?
    return $status
}

do_sandbox () {
    PATH=$build/controller:$build/utilities:$PATH \
        exec "$top/utilities/ovnmc-sandbox" "$@"
}

if [ $# -eq 0 ]; then
    sed -n '4,/^$/s/^# \{0,1\}//p' "$0"
    exit 1
fi
while [ $# -gt 0 ]; do
    case $1 in
        install) do_install ;;
        build) do_build ;;
        setup) do_install; do_build ;;
        check) do_check ;;
        asan-check) do_asan_check ;;
        sandbox) shift; do_sandbox "$@" ;;
        *) log "unknown command $1"; exit 1 ;;
    esac
    shift
done
