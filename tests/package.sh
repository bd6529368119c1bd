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
#      of / in a private mount namespace, as root, with a fresh /run), it
#      replaces ovn-host, diverts ovn-common's ovn-controller(8) to put
#      its own there, keeps the operator's /etc/default/ovn-host, enables
#      ovn-host.service and passes "systemd-analyze verify" there;
#   6. with a local OVS database and a southbound database of its own (two
#      ovsdb-servers in the copy), the unit's ExecStart, run as systemd
#      would with /etc/default/ovn-host, starts our controller through
#      ovn-ctl with the operator's OVN_CTL_OPTS, and its chassis
#      registers; ovn-common's logrotate file rotates its log and the
#      daemon reopens it; ExecStop stops it and the chassis is deleted;
#   7. removing it gives ovn-common its man page back; installing ovn-host
#      again (from apt's cache, or apt-get download) gives Debian's
#      controller back with the same settings, and the same unit cycle
#      works with it; purging ours then leaves ovn-host's conffile alone.
# The running system is never changed: steps 5 to 7 write only to the
# overlay's upper directory and its /run, and every daemon they start is
# stopped, even after a failure.  There is no systemd in the copy, so the
# unit's lines are run by hand.  tests/ovn-ctl.at tests ovn-ctl driving
# our controller against the test harness's servers.
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

# Steps 5 to 7 (below): installing it in place of ovn-host, running it,
# and going back, in an overlay of this system.
# Runs in a new mount namespace, where / is overlaid by $scratch/upper
# (and /run by a tmpfs, so that no socket of the host is seen); the test
# then chroots into the merged view.  The steps print lines "step: ..."
# and "done: install", "done: service", "done: restore" as each part
# succeeds ("skip: restore REASON" if it cannot run).
in_overlay () {
    local merged=$scratch/merged
    mkdir -p "$scratch/upper" "$scratch/work" "$merged"
    mount -t overlay overlay -o "lowerdir=/,upperdir=$scratch/upper,workdir=$scratch/work" "$merged" || return 1
    mount -t proc proc "$merged/proc" || return 1
    mount -t tmpfs tmpfs "$merged/run" || return 1
    mount --rbind /dev "$merged/dev" || return 1
    cp "$deb" "$merged/tmp/ovnmc-host.deb" || return 1
    cp "$0" "$merged/tmp/package-test.sh" || return 1
    chroot "$merged" /bin/bash /tmp/package-test.sh --in-chroot
}

# Inside the copy: a local OVS database (no ovs-vswitchd: the chassis
# registers without one) and a southbound database, both ovsdb-servers in
# $t; the controller finds the first at its default place, as the unit
# starts it.
t=/tmp/package-test
servers_start () {
    local name
    mkdir -p "$t" /run/openvswitch
    ovsdb-tool create "$t/conf.db" /usr/share/openvswitch/vswitch.ovsschema
    ovsdb-tool create "$t/sb.db" /usr/share/ovnmc/ovn-sb.ovsschema
    for name in conf sb; do
        ovsdb-server --detach --no-chdir --pidfile="$t/$name.pid" \
            --log-file="$t/$name.log" --unixctl="$t/$name.ctl" -vconsole:off \
            --remote="punix:$t/$name.sock" "$t/$name.db" 2>/dev/null
    done
    ln -s "$t/conf.sock" /run/openvswitch/db.sock
    ovs-vsctl --no-wait init
    ovs-vsctl --no-wait set Open_vSwitch . \
        external_ids:system-id=pkg-hv1 \
        external_ids:ovn-remote="unix:$t/sb.sock" \
        external_ids:ovn-encap-type=geneve \
        external_ids:ovn-encap-ip=192.0.2.1
}

# Stops whatever the steps started, even after a failure: a daemon left
# behind would outlive the test in the host's process namespace.
servers_stop () {
    local f
    for f in /run/ovn/ovn-controller.pid "$t/sb.pid" "$t/conf.pid"; do
        if [ -s "$f" ]; then
            kill "$(cat "$f")" 2>/dev/null || true
        fi
    done
}

sbctl () {
    ovn-sbctl --db="unix:$t/sb.sock" "$@"
}

# wait_for WHAT COMMAND...: waits up to 30 s for COMMAND to succeed.
wait_for () {
    local what=$1 i
    shift
    for i in $(seq 300); do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    echo "timed out waiting for $what"
    return 1
}

chassis_registered () {
    [ -n "$(sbctl --bare --columns=_uuid find Chassis name=pkg-hv1)" ]
}
chassis_gone () {
    ! chassis_registered
}

# unit_run KEY: runs the ExecStart= or ExecStop= line of the installed
# ovn-controller.service as systemd would: with the variables of its
# EnvironmentFile, $OVN_CTL_OPTS split at spaces, no shell.
unit_run () {
    local unit=/lib/systemd/system/ovn-controller.service line
    line=$(sed -n "s/^$1=//p" "$unit")
    grep -qx 'EnvironmentFile=-/etc/default/ovn-host' "$unit"
    (set -a -f
     . /etc/default/ovn-host
     line=${line//\$OVN_CTL_OPTS/${OVN_CTL_OPTS:-}}
     exec $line) < /dev/null
}

# service_cycle WHOSE: starts the controller through the unit, checks that
# it is WHOSE ("ovnmc" or "Debian's") and registers its chassis, that the
# operator's OVN_CTL_OPTS reached it, rotates its log with ovn-common's
# logrotate configuration (when logrotate is installed) and stops it
# through the unit, which deletes the chassis.
service_cycle () {
    local pid version inode
    echo "step: $1: ExecStart of ovn-controller.service"
    unit_run ExecStart > /dev/null
    pid=$(cat /run/ovn/ovn-controller.pid)
    wait_for "the chassis of $1" chassis_registered
    version=$(ovn-appctl -t ovn-controller version | sed -n 1p)
    echo "  $version, pid $pid, nice $(ps -o ni= -p "$pid" | tr -d ' ')"
    case $1:$version in
        ovnmc:*'(ovnmc)'*) ;;
        ovnmc:*|*'(ovnmc)'*) echo "not $1's controller"; return 1 ;;
    esac
    test "$(ps -o ni= -p "$pid" | tr -d ' ')" = -5
    test -S "/run/ovn/ovn-controller.$pid.ctl"
    test -s /var/log/ovn/ovn-controller.log
    echo "  chassis pkg-hv1 registered"
    if command -v logrotate > /dev/null; then
        echo "step: $1: logrotate -f /etc/logrotate.d/ovn-common"
        inode=$(stat -c %i /var/log/ovn/ovn-controller.log)
        logrotate -f /etc/logrotate.d/ovn-common
        # It keeps no old log (no "rotate N"): the log was moved away and
        # postrotate's "vlog/reopen" through the control socket made the
        # daemon open a new one, which it now holds instead of the old.
        wait_for "the log reopened" log_reopened "$pid" "$inode"
        echo "  rotated, log reopened"
    fi
    echo "step: $1: ExecStop of ovn-controller.service"
    unit_run ExecStop > /dev/null
    test ! -e /run/ovn/ovn-controller.pid
    ! kill -0 "$pid" 2>/dev/null
    wait_for "the chassis of $1 to go" chassis_gone
    echo "  stopped, chassis deleted"
}

# log_reopened PID INODE: whether the controller's log is a file other than
# INODE, and process PID has it open.
log_reopened () {
    local log=/var/log/ovn/ovn-controller.log
    [ -e "$log" ] && [ "$(stat -c %i "$log")" != "$2" ] &&
        ls -l "/proc/$1/fd" | grep -q " $log\$"
}

man_page_is_ours () {
    zcat /usr/share/man/man8/ovn-controller.8.gz | grep -q ovnmc
}

# The steps inside the copy of the system.  Debian's ovn-host must be
# installed there (as on the machines CI runs on).
in_chroot () {
    local archive out first
    set -e -E
    trap 'echo "failed: line $LINENO: $BASH_COMMAND"' ERR
    trap servers_stop EXIT
    export DEBIAN_FRONTEND=noninteractive
    echo "step: an operator's setting in /etc/default/ovn-host"
    echo 'OVN_CTL_OPTS="--ovn-controller-priority=-5"' >> /etc/default/ovn-host
    ! man_page_is_ours
    # The operator changed the conffile: dpkg asks, and the default (as
    # apt's unattended setups answer) keeps the operator's version.
    echo "step: dpkg -i in place of ovn-host (conffile: keep the operator's)"
    out=$(dpkg --force-confdef --force-confold -i /tmp/ovnmc-host.deb \
              < /dev/null 2>&1) ||
        { echo "$out"; return 1; }
    echo "$out" | grep -i 'removing\|conffile\|diversion' | sed 's/^/  /' ||
        true
    test "$(dpkg-query -W -f '${db:Status-Status}' ovn-host)" = config-files
    test "$(dpkg -S /usr/bin/ovn-controller)" = \
        "ovnmc-host: /usr/bin/ovn-controller"
    /usr/bin/ovn-controller --version | grep -q '(ovnmc)'
    grep -qx 'OVN_CTL_OPTS="--ovn-controller-priority=-5"' /etc/default/ovn-host
    test "$(readlink /etc/systemd/system/multi-user.target.wants/ovn-host.service)" = \
        /lib/systemd/system/ovn-host.service
    echo "step: ovn-common's ovn-controller(8) diverted, ours in its place"
    dpkg-divert --list /usr/share/man/man8/ovn-controller.8.gz |
        grep -q 'ovn-controller.ovn-common.8.gz by ovnmc-host'
    man_page_is_ours
    ! zcat /usr/share/man/man8/ovn-controller.ovn-common.8.gz | grep -q ovnmc
    echo "step: systemd-analyze verify, installed"
    (cd /tmp && systemd-analyze verify ovn-controller.service ovn-host.service)
    echo "done: install"

    servers_start
    service_cycle ovnmc
    echo "done: service"

    # Debian's package: from apt's cache, or else downloaded (into the
    # overlay) as "apt install ovn-host" would fetch it.
    archive=$(ls /var/cache/apt/archives/ovn-host_*.deb 2>/dev/null |
                  tail -n 1)
    if [ -z "$archive" ]; then
        mkdir -p "$t/apt"
        (cd "$t/apt" && timeout 60 apt-get download ovn-host) \
            > /dev/null 2>&1 || true
        archive=$(ls "$t"/apt/ovn-host_*.deb 2>/dev/null | tail -n 1)
    fi
    if [ -z "$archive" ]; then
        echo "skip: restore (no ovn-host .deb in apt's cache, and apt-get download ovn-host failed)"
        return 0
    fi
    echo "step: back to Debian's: dpkg -r ovnmc-host, dpkg -i ${archive##*/}"
    dpkg -r ovnmc-host < /dev/null > /dev/null
    test -z "$(dpkg-divert --list /usr/share/man/man8/ovn-controller.8.gz)"
    test ! -e /usr/share/man/man8/ovn-controller.ovn-common.8.gz
    ! man_page_is_ours
    out=$(dpkg --force-confdef --force-confold -i "$archive" \
              < /dev/null 2>&1) || { echo "$out"; return 1; }
    first=$(/usr/bin/ovn-controller --version | sed -n 1p)
    echo "  /usr/bin/ovn-controller: $first"
    case $first in
        *ovnmc*) false ;;
    esac
    test "$(dpkg -S /usr/bin/ovn-controller)" = \
        "ovn-host: /usr/bin/ovn-controller"
    grep -qx 'OVN_CTL_OPTS="--ovn-controller-priority=-5"' \
        /etc/default/ovn-host
    service_cycle "Debian's"
    echo "step: dpkg -P ovnmc-host keeps ovn-host's /etc/default/ovn-host"
    dpkg -P ovnmc-host < /dev/null > /dev/null
    grep -qx 'OVN_CTL_OPTS="--ovn-controller-priority=-5"' \
        /etc/default/ovn-host
    echo "done: restore"
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

# 5-7. Installing it in place of ovn-host, running it through the unit,
# and going back to Debian's (in_overlay, in_chroot above).
overlay_results () {
    local out=$1 details=$2 what done rc
    for what in "install:install in place of ovn-host, man page diverted (overlay)" \
                "service:the unit starts it, chassis registered, logrotate, stop" \
                "restore:removal restores Debian's ovn-host and its controller"; do
        done=${what%%:*}
        what=${what#*:}
        if echo "$out" | grep -qx "done: $done"; then
            result "$what" 0
        elif echo "$out" | grep -q "^skip: $done"; then
            result "$what" 77 "$(echo "$out" | sed -n "s/^skip: $done //p")"
        else
            # The details of the failure go with the first check it failed.
            result "$what" 1 "$details"
            details=
        fi
    done
}
skip_overlay () {
    local what
    for what in "install in place of ovn-host, man page diverted (overlay)" \
                "the unit starts it, chassis registered, logrotate, stop" \
                "removal restores Debian's ovn-host and its controller"; do
        result "$what" 77 "$1"
    done
}
if [ "$(id -u)" != 0 ]; then
    skip_overlay "not root"
elif ! dpkg-query -W -f '${db:Status-Status}' ovn-host 2>/dev/null |
        grep -qx installed; then
    skip_overlay "ovn-host is not installed here"
elif ! unshare -m true 2>/dev/null; then
    skip_overlay "no mount namespaces (unshare -m)"
else
    export -f in_overlay
    export deb scratch
    out=$(unshare -m --propagation private bash -c in_overlay "$0" 2>&1)
    rm -rf "$scratch/upper" "$scratch/work" "$scratch/merged"
    echo "$out" | grep '^step: \|^  ' | sed 's/^/    /'
    overlay_results "$out" "$(echo "$out" | grep -v '^step: \|^  \|^done: ')"
fi
exit $status
