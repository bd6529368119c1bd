#! /bin/bash
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
#
# Checks the Debian package that "utilities/ovnmc-dev.sh package" built:
#   1. its control fields: it takes ovn-host's place (Conflicts, Replaces,
#      Provides), depends on ovn-common (ovn-ctl) and openvswitch-switch,
#      names the openvswitch source it contains (Built-Using), and carries
#      configure.ac's version;
#   2. its files, unpacked with "dpkg -x" into a scratch root: our
#      ovn-controller, the units, /etc/default/ovn-host as a conffile, the
#      docs, and no logrotate file (ovn-common's covers our log);
#   3. every man page "make install" installed is in it;
#   4. its systemd units pass "systemd-analyze verify";
#   5. installed with dpkg on a throw-away copy of this system (an overlay
#      of / in a private mount namespace, as root), it replaces ovn-host,
#      keeps the operator's /etc/default/ovn-host, enables ovn-host.service
#      and passes "systemd-analyze verify" there; removing it and
#      installing ovn-host again (from apt's cache) gives Debian's
#      controller back with the same settings, and purging ours then
#      leaves ovn-host's conffile alone.
# The running system is never changed: step 5 writes only to the overlay's
# upper directory, and no service is started (there is no systemd in the
# copy).  ovn-ctl itself driving our controller and the unit's ExecStart
# and ExecStop lines are tested in tests/ovn-ctl.at.
#
# Usage: tests/package.sh DEB-BUILD-DIR
#   DEB-BUILD-DIR holds the .deb files and src/, the tree they were built
#   in (with debian/tmp, what "make install" installed).
#
# Prints one result line per check in the test suite's format, so that
# .ci/run counts them: "  N: package - WHAT ok", "... FAILED (package.sh)"
# or "... skipped (package.sh)", each after the details of a failure or
# the reason for a skip.  Exits 1 if a check failed.

set -u

# Step 5 (below): installing it in place of ovn-host, in an overlay of this
# system.
# Runs in a new mount namespace, where / is overlaid by $scratch/upper and
# the test then chroots into the merged view.  Its steps print lines
# "step: ..." and it ends with "install: ok" when all went well.
in_overlay () {
    local merged=$scratch/merged
    mkdir -p "$scratch/upper" "$scratch/work" "$merged"
    mount -t overlay overlay -o "lowerdir=/,upperdir=$scratch/upper,workdir=$scratch/work" "$merged" || return 1
    mount -t proc proc "$merged/proc" || return 1
    mount --rbind /dev "$merged/dev" || return 1
    cp "$deb" "$merged/tmp/ovnmc-host.deb" || return 1
    cp "$0" "$merged/tmp/package-test.sh" || return 1
    chroot "$merged" /bin/bash /tmp/package-test.sh --in-chroot
}

# The steps inside the copy of the system.  Debian's ovn-host must be
# installed there (as on the machines CI runs on).
in_chroot () {
    local archive out first
    set -e
    trap 'echo "failed: line $LINENO: $BASH_COMMAND"' ERR
    export DEBIAN_FRONTEND=noninteractive
    echo "step: an operator's setting in /etc/default/ovn-host"
    echo 'OVN_CTL_OPTS="--ovn-controller-priority=-5"' >> /etc/default/ovn-host
    echo "step: dpkg -i in place of ovn-host"
    out=$(dpkg -i /tmp/ovnmc-host.deb < /dev/null 2>&1) ||
        { echo "$out"; return 1; }
    echo "$out" | grep -i 'removing\|conffile' | sed 's/^/  /' || true
    test "$(dpkg-query -W -f '${db:Status-Status}' ovn-host)" = config-files
    test "$(dpkg -S /usr/bin/ovn-controller)" = \
        "ovnmc-host: /usr/bin/ovn-controller"
    /usr/bin/ovn-controller --version | grep -q '(ovnmc)'
    grep -qx 'OVN_CTL_OPTS="--ovn-controller-priority=-5"' /etc/default/ovn-host
    test "$(readlink /etc/systemd/system/multi-user.target.wants/ovn-host.service)" = \
        /lib/systemd/system/ovn-host.service
    echo "step: systemd-analyze verify, installed"
    (cd /tmp && systemd-analyze verify ovn-controller.service ovn-host.service)
    archive=$(ls /var/cache/apt/archives/ovn-host_*.deb 2>/dev/null | tail -n 1)
    if [ -n "$archive" ]; then
        echo "step: back to Debian's: dpkg -r ovnmc-host, dpkg -i ${archive##*/}"
        dpkg -r ovnmc-host < /dev/null > /dev/null
        out=$(dpkg -i "$archive" < /dev/null 2>&1) ||
            { echo "$out"; return 1; }
        first=$(/usr/bin/ovn-controller --version | sed -n 1p)
        echo "  /usr/bin/ovn-controller: $first"
        case $first in
            *ovnmc*) false ;;
        esac
        grep -qx 'OVN_CTL_OPTS="--ovn-controller-priority=-5"' \
            /etc/default/ovn-host
        echo "step: dpkg -P ovnmc-host keeps ovn-host's /etc/default/ovn-host"
        dpkg -P ovnmc-host < /dev/null > /dev/null
        grep -qx 'OVN_CTL_OPTS="--ovn-controller-priority=-5"' \
            /etc/default/ovn-host
    else
        echo "step: (no ovn-host .deb in apt's cache: not going back)"
    fi
    echo "install: ok"
}

if [ "${1:-}" = --in-chroot ]; then
    in_chroot
    exit $?
fi

dir=${1:?usage: tests/package.sh DEB-BUILD-DIR}
dir=$(cd "$dir" && pwd) || exit 1
src=$dir/src
deb=$(ls "$dir"/ovnmc-host_*.deb 2>/dev/null | head -n 1)
scratch=$dir/check
rm -rf "$scratch"
mkdir -p "$scratch"
status=0
n=0

# result WHAT STATUS [DETAILS]: prints the result line of check WHAT;
# STATUS is 0 (ok), 77 (skipped, DETAILS the reason) or anything else
# (failed, DETAILS what went wrong).
result () {
    n=$((n + 1))
    if [ -n "${3:-}" ]; then
        printf '%s\n' "$3" | sed '/^$/d; s/^/    /'
    fi
    case $2 in
        0) printf '%3d: package - %s ok\n' $n "$1" ;;
        77) printf '%3d: package - %s skipped (package.sh)\n' $n "$1" ;;
        *) printf '%3d: package - %s FAILED (package.sh)\n' $n "$1"
           status=1 ;;
    esac
}

# expect WHAT ACTUAL WANTED: appends to $errors if ACTUAL != WANTED.
errors=
expect () {
    if [ "$2" != "$3" ]; then
        errors="${errors}$1: \"$2\", want \"$3\"
"
    fi
}

# fails_unless WHAT COMMAND...: appends WHAT to $errors unless COMMAND
# succeeds.
fails_unless () {
    local what=$1
    shift
    if ! "$@" >/dev/null 2>&1; then
        errors="${errors}${what}
"
    fi
}

if [ -z "$deb" ]; then
    result "the .deb exists" 1 "no ovnmc-host_*.deb in $dir"
    exit 1
fi
echo "package: $deb"

# 1. Control fields.
field () {
    dpkg-deb -f "$deb" "$1"
}
check_fields () {
    local version
    errors=
    version=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' \
                  "$src/configure.ac")
    expect Package "$(field Package)" ovnmc-host
    expect Version "$(field Version)" "$version"
    expect Conflicts "$(field Conflicts)" ovn-host
    expect Replaces "$(field Replaces)" ovn-host
    expect Provides "$(field Provides)" ovn-host
    fails_unless "Depends lacks ovn-common: $(field Depends)" \
        sh -c "dpkg-deb -f '$deb' Depends | grep -q 'ovn-common (>= 23.03)'"
    fails_unless "Depends lacks openvswitch-switch: $(field Depends)" \
        sh -c "dpkg-deb -f '$deb' Depends | grep -q 'openvswitch-switch'"
    fails_unless "Depends lacks libssl3 (shlibs): $(field Depends)" \
        sh -c "dpkg-deb -f '$deb' Depends | grep -q 'libssl3'"
    expect Built-Using "$(field Built-Using)" \
        "$(dpkg-query -W -f '${source:Package} (= ${source:Version})' \
               openvswitch-source)"
    [ -z "$errors" ]
}
check_fields
result "control fields (Conflicts/Replaces/Provides: ovn-host)" $? "$errors"

# 2. Files.
root=$scratch/root
dpkg -x "$deb" "$root"
dpkg-deb -e "$deb" "$scratch/DEBIAN"
check_files () {
    local f first
    errors=
    for f in usr/bin/ovn-controller usr/bin/ovn-lflow-check; do
        fails_unless "$f is not an executable" test -x "$root/$f"
    done
    first=$("$root/usr/bin/ovn-controller" --version | sed -n 1p)
    expect "ovn-controller --version" "$first" \
        "ovn-controller (ovnmc) $(field Version) for OVN 23.03"
    for f in lib/systemd/system/ovn-controller.service \
             lib/systemd/system/ovn-host.service \
             etc/default/ovn-host \
             usr/share/doc/ovnmc-host/copyright \
             usr/share/doc/ovnmc-host/changelog.gz \
             usr/share/ovnmc/ovn-sb.ovsschema; do
        fails_unless "$f is missing" test -f "$root/$f"
    done
    fails_unless "README.Debian is missing" \
        test -f "$root/usr/share/doc/ovnmc-host/README.Debian.gz" -o \
             -f "$root/usr/share/doc/ovnmc-host/README.Debian"
    expect conffiles "$(cat "$scratch/DEBIAN/conffiles" 2>/dev/null)" \
        /etc/default/ovn-host
    # ovn-common's /etc/logrotate.d/ovn-common rotates /var/log/ovn/*.log;
    # a second entry for our log would be a logrotate error.
    fails_unless "a logrotate file of our own: $(ls "$root/etc/logrotate.d" \
                      2>/dev/null)" test ! -e "$root/etc/logrotate.d"
    fails_unless "the default file sets something" \
        sh -c "! grep -q '^[^#]' '$root/etc/default/ovn-host'"
    [ -z "$errors" ]
}
check_files
result "files (binary, units, default file, docs, no logrotate)" $? \
    "$errors"

# 3. Man pages: all that "make install" installed, compressed.
check_man () {
    local page want= have=
    errors=
    if [ ! -d "$src/debian/tmp/usr/share/man" ]; then
        errors="make install installed no man page (debian/tmp)"
        return 1
    fi
    want=$(cd "$src/debian/tmp/usr/share/man" && find . -type f |
               sed 's|^\./||; s|\.gz$||' | sort)
    have=$(cd "$root/usr/share/man" 2>/dev/null && find . -type f |
               sed 's|^\./||; s|\.gz$||' | sort)
    expect "man pages" "$(echo $have)" "$(echo $want)"
    for page in $want; do
        echo "    man page: $page"
    done
    case " $(echo $have) " in
        *" man8/ovn-controller.8 "*)
            echo "    ovn-controller(8): present" ;;
        *)
            echo "    ovn-controller(8): absent (make install installs none)" ;;
    esac
    [ -z "$errors" ]
}
check_man
result "man pages of make install" $? "$errors"

# 4. The units, as systemd would load them.  The files given are loaded
# from the scratch root; what they run (ovn-ctl of ovn-common, /bin/true)
# must exist on this system.
check_units () {
    local out
    errors=
    out=$(cd "$scratch" && systemd-analyze verify \
              "$root/lib/systemd/system/ovn-controller.service" \
              "$root/lib/systemd/system/ovn-host.service" 2>&1) ||
        errors="systemd-analyze verify failed"
    # A warning about a unit of ours is a failure too.
    if echo "$out" | grep -q 'ovn-\(controller\|host\)\.service'; then
        errors="${errors}
$out"
    fi
    [ -z "$errors" ]
}
if ! command -v systemd-analyze >/dev/null 2>&1; then
    result "systemd-analyze verify of the units" 77 \
        "systemd-analyze is not installed"
elif [ ! -x /usr/share/ovn/scripts/ovn-ctl ]; then
    result "systemd-analyze verify of the units" 77 \
        "ovn-common is not installed: the units run its ovn-ctl"
else
    check_units
    result "systemd-analyze verify of the units" $? "$errors"
fi

# 5. Installing it in place of ovn-host (in_overlay, in_chroot above).
if [ "$(id -u)" != 0 ]; then
    result "install in place of ovn-host (overlay)" 77 "not root"
elif ! dpkg-query -W -f '${db:Status-Status}' ovn-host 2>/dev/null |
        grep -qx installed; then
    result "install in place of ovn-host (overlay)" 77 \
        "ovn-host is not installed here"
elif ! unshare -m true 2>/dev/null; then
    result "install in place of ovn-host (overlay)" 77 \
        "no mount namespaces (unshare -m)"
else
    export -f in_overlay
    export deb scratch
    out=$(unshare -m --propagation private bash -c in_overlay "$0" 2>&1)
    rm -rf "$scratch/upper" "$scratch/work" "$scratch/merged"
    echo "$out" | grep '^step: \|^  ' | sed 's/^/    /'
    if echo "$out" | grep -qx 'install: ok'; then
        result "install in place of ovn-host (overlay)" 0
    else
        result "install in place of ovn-host (overlay)" 1 "$out"
    fi
fi
exit $status
