#!/bin/bash
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Sets up a Debian 12 machine for this project and drives the build, the
# test suite and the sandbox.  Run as root from anywhere in the checkout.
#
# Usage: utilities/ovnmc-dev.sh COMMAND...
#   install   install the Debian packages we need (skipped when they all are)
#   build     build OVS into the cache (utilities/ovs-cache.sh), then this
#             tree out of tree in $OVNMC_BUILD (default: _build/ here), with
#             gcc and --enable-werror: a warning fails the build
#   check     "make check" with TESTSUITEFLAGS (default -j3), output also
#             in $OVNMC_BUILD/check.out
#   asan-check  build everything (the daemon, ovn-lflow-check, the unit
#             drivers) with --enable-asan --enable-werror in
#             $OVNMC_ASAN_BUILD (default: $OVNMC_BUILD-asan) and run the
#             whole suite there with $OVNMC_ASAN_JOBS jobs (default 2),
#             output also in its check.out.  Every program of ours then
#             reports memory errors and leaks (at exit) to asan.* files
#             that fail the test (see tests/ovn-macros.at)
#   clang-build  build everything with CC=clang --enable-werror in
#             $OVNMC_CLANG_BUILD (default: $OVNMC_BUILD-clang), for the
#             warnings only clang gives (e.g. -Wsometimes-uninitialized);
#             no tests
#   plant-check  build with --enable-fault-injection in $OVNMC_FAULT_BUILD
#             (default: $OVNMC_BUILD-fault) and run tests/plant.sh: each
#             planted handler bug must fail the daemon tests through the
#             engine's consistency check; output in its check.out
#   package   build the Debian package ovnmc-host (debian/) with
#             "dpkg-buildpackage -us -uc -b" in a copy of this checkout's
#             files (tracked and untracked, not ignored) in
#             $OVNMC_DEB_BUILD/src (default: $OVNMC_BUILD-deb/src); the .deb
#             lands in $OVNMC_DEB_BUILD.  DEB_BUILD_OPTIONS defaults to
#             "nocheck" (the suite runs in its own phase); set it empty to
#             run the suite in the package build too
#   package-check  package, then tests/package.sh: checks the .deb's
#             fields and files, its systemd units, and installs it in a
#             throw-away overlay of this system in place of ovn-host;
#             output also in $OVNMC_DEB_BUILD/check.out
#   sandbox   start utilities/ovnmc-sandbox with our ovn-controller
#   setup     install, then build
# A build tree configured with other options than these is configured again
# (and cleaned).  The two commands of README.rst:
#   utilities/ovnmc-dev.sh setup sandbox
#   utilities/ovnmc-dev.sh setup check
# CI (.ci/run) runs: setup clang-build check asan-check plant-check
# package-check.

set -e -o pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${OVNMC_BUILD:-$top/_build}
asan_build=${OVNMC_ASAN_BUILD:-$build-asan}
clang_build=${OVNMC_CLANG_BUILD:-$build-clang}
fault_build=${OVNMC_FAULT_BUILD:-$build-fault}
deb_build=${OVNMC_DEB_BUILD:-$build-deb}

# Everything the build, the test suite and the sandbox use.  The metrics
# need libmicrohttpd-dev (the --metrics-address listener), curl and
# prometheus (for promtool, which the tests run on the metrics; its
# service does not start: see do_install).
packages="
    build-essential autoconf automake libtool pkg-config git python3 clang
    libssl-dev libcap-ng-dev libunbound-dev libunwind-dev
    libnl-3-dev libnl-route-3-dev
    libmicrohttpd-dev curl prometheus
    openvswitch-source openvswitch-switch openvswitch-common openvswitch-doc
    ovn-central ovn-host ovn-common ovn-doc
    iproute2 procps util-linux
    debhelper dpkg-dev logrotate
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

# configure_tree DIR ARG...: makes DIR a build tree of this checkout
# configured with --with-ovs-source=(the OVS cache) ARG..., running boot.sh
# and configure as needed.  A tree configured otherwise is configured again
# and cleaned, so that no object built with other flags survives.
configure_tree () {
    local dir=$1 cache args
    shift
    cache=$(sh "$top/utilities/ovs-cache.sh")
    log "OVS tree: $cache/src"
    if [ ! -x "$top/configure" ]; then
        (cd "$top" && ./boot.sh)
    fi
    args="--with-ovs-source=$cache/src $*"
    mkdir -p "$dir"
    if [ -f "$dir/config.status" ] &&
           [ "$("$dir/config.status" --config)" = "$args" ]; then
        return 0
    fi
    log "configuring $dir: $args"
    (cd "$dir" && "$top/configure" --with-ovs-source="$cache/src" "$@")
    if [ -f "$dir/Makefile" ]; then
        make -s -C "$dir" clean
    fi
}

do_build () {
    configure_tree "$build" --enable-werror
    make -C "$build" -j"$(nproc)"
}

do_clang_build () {
    configure_tree "$clang_build" --enable-werror CC=clang
    make -C "$clang_build" -j"$(nproc)"
}

do_check () {
    local status=0
    make -C "$build" check \
        TESTSUITEFLAGS="${TESTSUITEFLAGS:--j3}" 2>&1 |
        tee "$build/check.out" || status=$?
    return $status
}

# The whole suite, daemon tests included, under AddressSanitizer: every
# program of ours (controller/ovn-controller, utilities/ovn-lflow-check,
# the unit and fuzz drivers) is built with it, and the harness makes a test
# fail on any report (tests/ovn-macros.at).  Two jobs: ASan programs are
# slower and bigger, and the machine may be shared.
do_asan_check () {
    local status=0
    configure_tree "$asan_build" --enable-asan --enable-werror
    make -C "$asan_build" -j"$(nproc)"
    make -C "$asan_build" check \
        TESTSUITEFLAGS="-j${OVNMC_ASAN_JOBS:-2}" 2>&1 |
        tee "$asan_build/check.out" || status=$?
    return $status
}

# The planted bugs (EN_FAULT in controller/en-ctx.h) must each be caught.
do_plant_check () {
    local status=0
    configure_tree "$fault_build" --enable-fault-injection --enable-werror
    make -C "$fault_build" -j"$(nproc)"
    sh "$top/tests/plant.sh" "$fault_build" 2>&1 |
        tee "$fault_build/check.out" || status=$?
    return $status
}

# The Debian package, built from a copy of the files of this checkout (as
# a clean checkout would have them, with the uncommitted changes), so that
# neither the build nor dpkg-buildpackage's output (written next to the
# source tree) touches the checkout.
do_package () {
    local src=$deb_build/src status=0
    rm -rf "$deb_build"
    mkdir -p "$src"
    (cd "$top" &&
     git ls-files -z --cached --others --exclude-standard |
         while IFS= read -r -d '' f; do
             [ -e "$f" ] && printf '%s\0' "$f"
         done | tar --null -T - -cf -) | tar -xf - -C "$src"
    log "building the package in $src"
    (cd "$src" && DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS-nocheck} \
         dpkg-buildpackage -us -uc -b) > "$deb_build/build.log" 2>&1 ||
        status=$?
    if [ $status -ne 0 ]; then
        tail -n 40 "$deb_build/build.log" >&2
        log "package build failed (log: $deb_build/build.log)"
        return $status
    fi
    ls "$deb_build"/*.deb
}

do_package_check () {
    local status=0
    if ! command -v dpkg-buildpackage > /dev/null; then
        mkdir -p "$deb_build"
        echo "  1: package - build skipped (no dpkg-buildpackage: not Debian)" |
            tee "$deb_build/check.out"
        return 0
    fi
    do_package || status=$?
    if [ $status -eq 0 ]; then
        bash "$top/tests/package.sh" "$deb_build" 2>&1 |
            tee "$deb_build/check.out" || status=$?
    else
        echo "  1: package - dpkg-buildpackage FAILED (ovnmc-dev.sh)" |
            tee "$deb_build/check.out"
    fi
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
        clang-build) do_clang_build ;;
        plant-check) do_plant_check ;;
        package) do_package ;;
        package-check) do_package_check ;;
        sandbox) shift; do_sandbox "$@" ;;
        *) log "unknown command $1"; exit 1 ;;
    esac
    shift
done
