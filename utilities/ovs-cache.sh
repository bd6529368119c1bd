#!/bin/sh
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Builds Open vSwitch's libraries from Debian's openvswitch-source tarball
# into a cache outside the work tree, once per tarball checksum, and prints
# the cache directory.  The tree in "$cache/src" is both the source and the
# build directory that our configure is pointed at.
#
# Usage: utilities/ovs-cache.sh [--lookup] [TARBALL]
#   --lookup  only print the cache directory if it is already built, and
#             fail (status 1, nothing printed) otherwise (debian/rules
#             reuses a cache this way and builds its own if there is none)
# Environment: OVS_CACHE_ROOT (default /var/cache/ovnmc-ovs).

set -e

lookup=false
if [ "$1" = --lookup ]; then
    lookup=true
    shift
fi
tarball=${1:-/usr/src/openvswitch/openvswitch.tar.gz}
root=${OVS_CACHE_ROOT:-/var/cache/ovnmc-ovs}

if [ ! -f "$tarball" ]; then
    echo "ovs-cache: $tarball not found (apt-get install openvswitch-source)" >&2
    exit 1
fi

sum=$(sha256sum "$tarball" | cut -c1-16)
cache=$root/$sum
if [ -f "$cache/.built" ]; then
    echo "$cache"
    exit 0
fi
if $lookup; then
    exit 1
fi

echo "ovs-cache: building OVS from $tarball into $cache" >&2
# Build in place: libtool records absolute paths, so the tree must not move
# after configure.  The marker file is written last, so an interrupted build
# is started again from scratch.
rm -rf "$cache"
mkdir -p "$cache"
tar -xzf "$tarball" -C "$cache"
src=$(find "$cache" -mindepth 1 -maxdepth 1 -type d | head -n 1)
mv "$src" "$cache/src"
(
    cd "$cache/src"
    [ -x configure ] || ./boot.sh >&2
    ./configure --enable-ssl --disable-dependency-tracking \
        CFLAGS="-g -O2" >&2
    # Generated headers first: the library targets alone do not pull in
    # automake's BUILT_SOURCES.
    built=$(printf 'ovnmc-built:\n\t@echo $(BUILT_SOURCES)\n' |
            make -s -f Makefile -f - ovnmc-built)
    make -j"$(nproc)" $built >&2
    make -j"$(nproc)" lib/libopenvswitch.la lib/libsflow.la \
        ovsdb/libovsdb.la ovsdb/ovsdb-idlc ovsdb/ovsdb-tool >&2
)
touch "$cache/.built"
echo "$cache"
