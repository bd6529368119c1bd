# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Shell functions that build a simulated OVN deployment out of real daemons:
# NB and SB ovsdb-servers, Debian's ovn-northd, and hypervisors made of an
# ovsdb-server, "ovs-vswitchd --enable-dummy=system" and an ovn-controller,
# joined by dummy networks.  Sourced by the autotest suite (through
# tests/ovn-macros.at, which documents the functions for test writers) and by
# utilities/ovnmc-sandbox, so both build the same deployment.
#
# Everything lives under one base directory, $ovn_base (the test's directory
# in the suite; the sandbox directory for the sandbox):
#
#   nb/                 NB ovsdb-server (db.sock, ovsdb-server.log, ...)
#   sb/ or sb1..sb3/    SB ovsdb-server, or the members of a raft cluster
#   northd/             ovn-northd
#   net/                the "wire": an ovsdb-server and an ovs-vswitchd with
#                       one bridge per network; *.members lists who is on it
#   HV/                 one directory per hypervisor: its ovsdb-server,
#                       ovs-vswitchd and ovn-controller, their pidfiles,
#                       logs and unixctl sockets
#   ovn-daemons         the pidfile of every daemon started, in order
#   ovn-env             lines to source for OVN_NB_DB and OVN_SB_DB
#
# The functions keep no state in shell variables except OVN_NB_DB and
# OVN_SB_DB (exported by ovn_start, and also written to ovn-env), so they
# also work from subshells such as AT_CHECK's.
#
# Written for POSIX sh ("local" aside, which dash and bash both have).

# Settings.  Callers may set them before calling the functions.
: "${OVN_WAIT_TIMEOUT:=30}"
: "${OVN_NB_SCHEMA:=/usr/share/ovn/ovn-nb.ovsschema}"
: "${OVN_VSWITCH_SCHEMA:=/usr/share/openvswitch/vswitch.ovsschema}"
: "${OVN_NORTHD:=/usr/bin/ovn-northd}"
: "${OVN_CONTROLLER:=ovn-controller}"
: "${OVN_CONTROLLER_ARGS:=}"
# OVN_SB_SCHEMA defaults to our schema, $ovn_srcdir/ovn-sb.ovsschema.
# OVN_SB_ARGS: more options for the (standalone) SB ovsdb-server.
# OVN_CONSISTENCY_CHECK: "yes", "no" or unset (then: on for our controller,
# off for a binary under /usr, which is Debian's reference controller).
# OVN_ASAN_OPTIONS: more AddressSanitizer options, appended to ours (see
# ovn__asan_options); they matter only for programs built with
# --enable-asan.

# ovn__log MESSAGE...: prints a line on stderr.
ovn__log () {
    echo "ovn: $*" >&2
}

# ovn__base: prints the base directory, $ovn_base or else the current one.
ovn__base () {
    echo "${ovn_base:-$PWD}"
}

# ovn__setenv DIR: points the OVS and OVN tools and daemons run from now on
# at DIR for their run, log, database and configuration directories.
ovn__setenv () {
    OVS_RUNDIR=$1; OVS_LOGDIR=$1; OVS_DBDIR=$1; OVS_SYSCONFDIR=$1
    OVN_RUNDIR=$1; OVN_LOGDIR=$1; OVN_DBDIR=$1; OVN_SYSCONFDIR=$1
    export OVS_RUNDIR OVS_LOGDIR OVS_DBDIR OVS_SYSCONFDIR
    export OVN_RUNDIR OVN_LOGDIR OVN_DBDIR OVN_SYSCONFDIR
}

# as NAME [COMMAND [ARG...]]
#
# Runs COMMAND with the run, log, database and configuration directories of
# NAME (a hypervisor, "nb", "sb", "sb1".."sb3", "northd" or "net"), so that
# ovs-vsctl, ovs-ofctl, ovs-appctl and ovn-appctl talk to NAME's daemons.
# Without COMMAND, points the current shell at NAME.
as () {
    local dir
    dir=$(ovn__base)/$1
    if [ ! -d "$dir" ]; then
        ovn__log "as: no such daemon directory: $dir"
        return 1
    fi
    shift
    if [ $# -eq 0 ]; then
        ovn__setenv "$dir"
    else
        (ovn__setenv "$dir" && "$@")
    fi
}

# ovn__asan_options PREFIX: prints the ASAN_OPTIONS under which a program
# built with AddressSanitizer (configure --enable-asan) writes each report
# to the file PREFIX.NAME.PID, NAME being the program's name: one file per
# process, so that the report of a daemon, whose stderr is /dev/null once
# it detached, is not lost, and ovn_check_asan finds it.  Leaks are
# reported when the program exits through exit().  Allocation stacks are
# unwound the slow way (fast_unwind_on_malloc=0): the OVS libraries are
# built without frame pointers, and the fast unwinder stops in them, so a
# leak report would name xmalloc() and not who called it.  Programs built
# without AddressSanitizer ignore ASAN_OPTIONS.
ovn__asan_options () {
    printf '%s' "log_path=$1:log_exe_name=1:detect_leaks=1:halt_on_error=1"
    printf '%s' ":check_initialization_order=1:detect_stack_use_after_return=1"
    printf '%s' ":fast_unwind_on_malloc=0"
    printf '%s\n' "${OVN_ASAN_OPTIONS:+:$OVN_ASAN_OPTIONS}"
}

# ovn__daemon DIR COMMAND [ARG...]: runs COMMAND, which starts a daemon,
# with DIR as its run, log and database directory, and DIR/asan.* as where
# its AddressSanitizer reports go (ovn__asan_options).  What it prints on
# stderr before it detaches (a line saying it opened its log) goes to
# DIR/start.err and is shown only if it fails.
ovn__daemon () {
    local dir=$1
    shift
    if (ovn__setenv "$dir" &&
        ASAN_OPTIONS=$(ovn__asan_options "$dir/asan") &&
        export ASAN_OPTIONS && "$@") 2> "$dir/start.err"; then
        return 0
    fi
    cat "$dir/start.err" >&2
    return 1
}

# ovn__record PIDFILE: remembers a daemon for ovn_stop_all.
ovn__record () {
    echo "$1" >> "$(ovn__base)/ovn-daemons"
}

# ovn__alive PID: true if process PID exists and is not a zombie (a
# detached daemon's parent may be slow to reap it, or never do).
ovn__alive () {
    local state
    state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    case $state in
        Z*|'') return 1 ;;
        *) return 0 ;;
    esac
}

# ovn__wait_gone PID SECONDS: waits up to SECONDS for process PID to be
# gone; fails if it is still there.
ovn__wait_gone () {
    local i=0
    while ovn__alive "$1"; do
        if [ $i -ge $(($2 * 10)) ]; then
            return 1
        fi
        sleep 0.1
        i=$((i + 1))
    done
}

# ovn__kill_pidfile PIDFILE: stops the daemon named by PIDFILE (TERM, then
# KILL after 5 seconds) and removes the pidfile.  Silent if none is running.
ovn__kill_pidfile () {
    local pid i
    [ -f "$1" ] || return 0
    pid=$(cat "$1" 2>/dev/null)
    case $pid in
        ''|*[!0-9]*) rm -f "$1"; return 0 ;;
    esac
    if ovn__alive "$pid"; then
        kill -TERM "$pid" 2>/dev/null
        i=0
        while ovn__alive "$pid" && [ $i -lt 50 ]; do
            sleep 0.1
            i=$((i + 1))
        done
        if ovn__alive "$pid"; then
            ovn__log "$1: pid $pid ignored SIGTERM, sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null
        fi
    fi
    rm -f "$1"
}

# ovn__exit_controller PIDFILE: if PIDFILE is that of a controller of ours
# (ovn_start_controller left ovn-controller.ours next to it), asks it to
# leave ("exit --restart": it keeps its SB rows, as a stop by signal does)
# and waits up to 10 s for it to be gone.  A daemon of Open vSwitch's
# libraries that gets SIGTERM dies of the signal (its handler re-raises
# it), so LeakSanitizer would never run; leaving through exit() lets it
# check the controller for leaks.  Whatever is still running afterwards is
# for ovn__kill_pidfile to stop.
ovn__exit_controller () {
    local dir pid
    case $1 in
        */ovn-controller.pid) ;;
        *) return 0 ;;
    esac
    dir=${1%/*}
    [ -f "$dir/ovn-controller.ours" ] && [ -f "$1" ] || return 0
    pid=$(cat "$1" 2>/dev/null)
    case $pid in
        ''|*[!0-9]*) return 0 ;;
    esac
    ovn__alive "$pid" || return 0
    (ovn__setenv "$dir" &&
     ovs-appctl -T 5 -t ovn-controller exit --restart) >/dev/null 2>&1 ||
        return 0
    ovn__wait_gone "$pid" 10 || true
}

# ovn__stop_pidfile PIDFILE: stops the daemon of PIDFILE, through
# ovn__exit_controller if it is a controller of ours, else (or if that did
# not stop it) by signal (ovn__kill_pidfile).
ovn__stop_pidfile () {
    ovn__exit_controller "$1"
    ovn__kill_pidfile "$1"
}

# ovn_stop_daemon NAME DAEMON
#
# Stops DAEMON (e.g. "ovsdb-server", "ovs-vswitchd", "ovn-controller",
# "ovn-northd") of NAME, e.g. to kill a raft leader or restart a controller.
# A controller of ours is asked to exit ("exit --restart"), so that
# LeakSanitizer checks it; the others get SIGTERM.
ovn_stop_daemon () {
    ovn__stop_pidfile "$(ovn__base)/$1/$2.pid"
}

# ovn_stop_all: stops every daemon started under the base directory, the
# last started first.  Safe to call more than once.
ovn_stop_all () {
    local list
    list=$(ovn__base)/ovn-daemons
    [ -f "$list" ] || return 0
    # Controllers first, so that they do not log the loss of their databases;
    # then the others, newest first.
    for pidfile in $(grep '/ovn-controller.pid$' "$list" | tac) \
                   $(tac "$list"); do
        ovn__stop_pidfile "$pidfile"
    done
    rm -f "$list"
}

# ovn__start_ovsdb DIR DBFILE [ARG...]: starts an ovsdb-server serving
# DBFILE in DIR, listening on DIR/db.sock.
ovn__start_ovsdb () {
    local dir=$1 db=$2
    shift 2
    ovn__daemon "$dir" ovsdb-server --detach --no-chdir --pidfile --log-file \
         --remote=punix:"$dir"/db.sock "$@" "$db" || return 1
    ovn__record "$dir/ovsdb-server.pid"
}

# ovn__create_db DIR SCHEMA: creates DIR and a standalone database DIR/db
# from SCHEMA.
ovn__create_db () {
    mkdir -p "$1" && ovsdb-tool create "$1/db" "$2"
}

# ovn_start_sb_member N: (re)starts member N (1, 2 or 3) of the clustered SB.
ovn_start_sb_member () {
    local dir
    dir=$(ovn__base)/sb$1
    ovn__start_ovsdb "$dir" "$dir/db"
}

# The options of an SB ovsdb-server that serves what the database itself
# configures, as ovn-ctl starts it: the remotes of SB_Global's connections
# (Connection rows, with their RBAC role) and the SSL files of the SSL
# table, so that "ovn-sbctl set-ssl" and "ovn-sbctl set-connection" apply.
OVN_SB_DB_REMOTE_ARGS="--remote=db:OVN_Southbound,SB_Global,connections \
--private-key=db:OVN_Southbound,SSL,private_key \
--certificate=db:OVN_Southbound,SSL,certificate \
--ca-cert=db:OVN_Southbound,SSL,ca_cert"

# ovn_start [--sb-cluster] [--sb-ssl] [--no-northd]
#
# Starts the NB ovsdb-server (nb/), the SB ovsdb-server (sb/, or with
# --sb-cluster a 3-member raft cluster in sb1/ sb2/ sb3/) and ovn-northd
# (northd/), and exports OVN_NB_DB and OVN_SB_DB for ovn-nbctl and
# ovn-sbctl (also written to $ovn_base/ovn-env).  Must run in the shell that
# later uses those variables (not inside AT_CHECK).  With --sb-ssl, the
# (standalone) SB also serves the remotes and SSL files that its
# database configures (OVN_SB_DB_REMOTE_ARGS): see ovn_sb_serve_ssl.
ovn_start () {
    local base cluster=false northd=true sb_schema i sb_args=
    base=$(ovn__base)
    for arg; do
        case $arg in
            --sb-cluster) cluster=true ;;
            --sb-ssl) sb_args=$OVN_SB_DB_REMOTE_ARGS ;;
            --no-northd) northd=false ;;
            *) ovn__log "ovn_start: unknown option $arg"; return 1 ;;
        esac
    done
    if $cluster && [ -n "$sb_args" ]; then
        ovn__log "ovn_start: --sb-ssl works only with a standalone SB"
        return 1
    fi
    sb_schema=${OVN_SB_SCHEMA:-${ovn_srcdir:-.}/ovn-sb.ovsschema}
    if [ ! -f "$sb_schema" ]; then
        ovn__log "ovn_start: SB schema $sb_schema not found"
        return 1
    fi

    ovn__create_db "$base/nb" "$OVN_NB_SCHEMA" &&
        ovn__start_ovsdb "$base/nb" "$base/nb/db" || return 1
    OVN_NB_DB=unix:$base/nb/db.sock

    if $cluster; then
        for i in 1 2 3; do
            mkdir -p "$base/sb$i" || return 1
        done
        ovsdb-tool create-cluster "$base/sb1/db" "$sb_schema" \
            "unix:$base/sb1/raft.sock" || return 1
        for i in 2 3; do
            ovsdb-tool join-cluster "$base/sb$i/db" OVN_Southbound \
                "unix:$base/sb$i/raft.sock" "unix:$base/sb1/raft.sock" \
                || return 1
        done
        OVN_SB_DB=
        for i in 1 2 3; do
            ovn_start_sb_member $i || return 1
            OVN_SB_DB=${OVN_SB_DB:+$OVN_SB_DB,}unix:$base/sb$i/db.sock
        done
        # Wait for the joiners to be in the cluster.
        for i in 2 3; do
            ovn_wait_until "as sb$i ovs-appctl -t ovsdb-server \
                cluster/status OVN_Southbound |
                grep -q '^Status: cluster member'" \
                || return 1
        done
    else
        ovn__create_db "$base/sb" "$sb_schema" &&
            ovn__start_ovsdb "$base/sb" "$base/sb/db" $sb_args $OVN_SB_ARGS \
            || return 1
        OVN_SB_DB=unix:$base/sb/db.sock
    fi
    export OVN_NB_DB OVN_SB_DB
    printf 'OVN_NB_DB=%s\nOVN_SB_DB=%s\nexport OVN_NB_DB OVN_SB_DB\n' \
        "$OVN_NB_DB" "$OVN_SB_DB" > "$base/ovn-env"

    ovn-nbctl --no-wait init >/dev/null || return 1
    if $northd; then
        ovn_start_northd || return 1
    fi
}

# ovn_pki_init DIR
#
# Makes a public key infrastructure in DIR with ovs-pki: DIR/pki holds its
# two certificate authorities, DIR/pki/controllerca/cacert.pem (which signs
# the servers' certificates, type "controller") and
# DIR/pki/switchca/cacert.pem (the chassis', type "switch").  Two PKIs
# made so trust nothing of each other.
ovn_pki_init () {
    mkdir -p "$1" &&
        ovs-pki -d "$1/pki" -l "$1/pki.log" init >/dev/null 2>&1 || {
            ovn__log "ovn_pki_init $1 failed"; return 1; }
}

# ovn_pki_cert DIR NAME [TYPE]
#
# Makes the private key DIR/NAME-privkey.pem and the certificate
# DIR/NAME-cert.pem signed by the CA of TYPE ("switch", the default, or
# "controller") of the PKI in DIR (ovn_pki_init).  The certificate's common
# name is NAME alone (ovs-pki -u), as RBAC wants: a chassis's must be its
# system-id.
ovn_pki_cert () {
    (cd "$1" && ovs-pki -d pki -l pki.log -b -u req+sign "$2" "${3:-switch}" \
         >/dev/null 2>&1) || { ovn__log "ovn_pki_cert $1 $2 failed"; return 1; }
}

# ovn_sb_serve_ssl DIR [ROLE]
#
# Makes the SB (started with ovn_start --sb-ssl) serve SSL on a port of
# 127.0.0.1 that the system picks, with the certificate DIR/sb-cert.pem
# (made here if needed, by the PKI in DIR) and trusting the chassis
# certificates of DIR's PKI; with ROLE (e.g. "ovn-controller"), clients of
# that port get the RBAC role ROLE.  Prints the port.
ovn_sb_serve_ssl () {
    local dir=$1 role=${2:+role=$2}
    if [ ! -f "$dir/sb-cert.pem" ]; then
        ovn_pki_cert "$dir" sb controller || return 1
    fi
    ovn-sbctl set-ssl "$dir/sb-privkey.pem" "$dir/sb-cert.pem" \
        "$dir/pki/switchca/cacert.pem" || return 1
    ovn-sbctl set-connection $role pssl:0:127.0.0.1 || return 1
    ovn_sb_ssl_port
}

# ovn_sb_ssl_port: prints the port on which the SB (sb/) listens for its
# "pssl:0:127.0.0.1" connection, once it does: the port of the last
# "listening on port" line of its log.
ovn_sb_ssl_port () {
    local log
    log=$(ovn__base)/sb/ovsdb-server.log
    if ! ovn_wait_until "grep -q '0:127.0.0.1: listening on port' '$log'"
    then
        ovn__log "the SB does not listen on 127.0.0.1"
        return 1
    fi
    sed -n 's/.*0:127\.0\.0\.1: listening on port \([0-9]*\).*/\1/p' \
        "$log" | tail -n 1
}

# ovn_start_northd: (re)starts ovn-northd in northd/.
ovn_start_northd () {
    local dir
    dir=$(ovn__base)/northd
    mkdir -p "$dir" || return 1
    ovn__daemon "$dir" "$OVN_NORTHD" --detach --no-chdir --pidfile --log-file \
         --ovnnb-db="$OVN_NB_DB" --ovnsb-db="$OVN_SB_DB" || return 1
    ovn__record "$dir/ovn-northd.pid"
}

# ovn_sb_leader: prints the name (sb1, sb2 or sb3) of the clustered SB's
# leader; fails if there is none.
ovn_sb_leader () {
    local i
    for i in 1 2 3; do
        if as sb$i ovs-appctl -t ovsdb-server cluster/status OVN_Southbound \
               2>/dev/null | grep -q '^Role: leader'; then
            echo sb$i
            return 0
        fi
    done
    return 1
}

# ovn__have_netns: true if this machine lets us make network namespaces.
ovn__have_netns () {
    [ "${OVN_USE_NETNS:-yes}" = yes ] && unshare -n true 2>/dev/null
}

# ovn__netns NAME COMMAND [ARG...]: runs COMMAND in the network namespace
# of NAME's ovs-vswitchd.
ovn__netns () {
    local pidfile
    pidfile=$(ovn__base)/$1/ovs-vswitchd.pid
    shift
    nsenter --net="/proc/$(cat "$pidfile")/ns/net" "$@"
}

# ovn__start_switch DIR: starts an ovsdb-server and ovs-vswitchd with the
# dummy datapath in DIR.  "--enable-dummy=system" replaces the system
# datapath and system netdevs with dummies but keeps the userspace tunnel
# vports, so that Geneve and VXLAN ports really encapsulate ("=override"
# would turn tunnel ports into dummies too).
#
# ovs-vswitchd runs in a network namespace of its own and learns its routes
# from it: a tunnel with options:local_ip routes only if OVS has a "local"
# route for that address, which "ovs-appctl ovs/route/add" cannot make, so
# ovn_connect makes the kernel of the namespace announce one (see
# ovn__local_route).  Without namespaces (OVN_USE_NETNS=no, or unshare
# fails), ovs-vswitchd ignores the system's routes and tunnels with
# local_ip do not route.
ovn__start_switch () {
    local dir=$1
    ovn__create_db "$dir" "$OVN_VSWITCH_SCHEMA" || return 1
    ovn__start_ovsdb "$dir" "$dir/db" || return 1
    (ovn__setenv "$dir" && ovs-vsctl --no-wait init) || return 1
    ovn__start_vswitchd "$dir"
}

# ovn__start_vswitchd DIR: starts the ovs-vswitchd of DIR (see above).
ovn__start_vswitchd () {
    local dir=$1
    if ovn__have_netns; then
        ovn__daemon "$dir" unshare -n ovs-vswitchd --detach --no-chdir \
            --pidfile --log-file --enable-dummy=system --disable-system \
            "unix:$dir/db.sock" || return 1
        ovn__record "$dir/ovs-vswitchd.pid"
        nsenter --net="/proc/$(cat "$dir/ovs-vswitchd.pid")/ns/net" \
            ip link set lo up || return 1
    else
        ovn__daemon "$dir" ovs-vswitchd --detach --no-chdir \
            --pidfile --log-file --enable-dummy=system --disable-system \
            --disable-system-route "unix:$dir/db.sock" || return 1
        ovn__record "$dir/ovs-vswitchd.pid"
    fi
}

# ovn_net_add NET
#
# Creates the network NET (a bridge in the "net" switch, which floods and
# learns like an Ethernet switch).  Called by ovn_attach when needed.
ovn_net_add () {
    local base
    base=$(ovn__base)
    if [ ! -f "$base/net/ovs-vswitchd.pid" ]; then
        ovn__start_switch "$base/net" || return 1
    fi
    [ -f "$base/net/$1.members" ] && return 0
    as net ovs-vsctl add-br "$1" -- set bridge "$1" fail-mode=standalone \
        || return 1
    : > "$base/net/$1.members"
}

# ovn_add_hv HV
#
# Starts hypervisor HV's ovsdb-server and ovs-vswitchd in $ovn_base/HV.
# Usually called through ovn_attach.
ovn_add_hv () {
    local base n
    base=$(ovn__base)
    if [ -d "$base/$1" ]; then
        ovn__log "ovn_add_hv: $1 already exists"
        return 1
    fi
    ovn__start_switch "$base/$1" || return 1
    # A small number per hypervisor, for MAC addresses.
    n=$(ls "$base"/*/hv-index 2>/dev/null | wc -l)
    echo $((n + 1)) > "$base/$1/hv-index"
}

# ovn__split_ip ENTRY: prints the address of an ovn-encap-ip entry, without
# a ":plane" suffix or IPv6 brackets.
ovn__split_ip () {
    case $1 in
        \[*\]*) echo "$1" | sed 's/^\[\([^]]*\)\].*/\1/' ;;
        *:*:*) echo "$1" ;;
        *) echo "${1%%:*}" ;;
    esac
}

# ovn__local_route HV BRIDGE IP: makes HV's ovs-vswitchd learn a local
# route for IP on BRIDGE.  OVS learns local routes only from the kernel, and
# keeps one only if the route's device is one of its netdevs with that
# address: so a kernel device named like the bridge (a Linux bridge, which
# carries no traffic: OVS's BRIDGE is a userspace dummy) gets IP in HV's
# network namespace, after netdev-dummy gave IP to OVS's BRIDGE.
ovn__local_route () {
    local hv=$1 br=$2 ip=$3
    if ! ovn__netns "$hv" ip link show "$br" >/dev/null 2>&1; then
        ovn__netns "$hv" ip link add "$br" type bridge &&
            ovn__netns "$hv" ip link set "$br" up || return 1
    fi
    case $ip in
        *:*) ovn__netns "$hv" ip -6 addr add "$ip/128" dev "$br" nodad ;;
        *) ovn__netns "$hv" ip addr add "$ip/32" dev "$br" ;;
    esac || return 1
    if ! ovn_wait_until "as $hv ovs-appctl ovs/route/show |
                         grep -q ' $ip/[0-9]* dev $br SRC $ip local'"; then
        ovn__log "$hv: no local route for $ip"
        return 1
    fi
}

# ovn__nic_addr HV NIC IP PREFIXLEN: gives HV's ovs-vswitchd the address
# and routes of its NIC number NIC (bridge br-physNIC).
ovn__nic_addr () {
    local hv=$1 nic=$2 ip=$3 plen=$4 cmd
    case $ip in
        *:*) cmd=netdev-dummy/ip6addr ;;
        *) cmd=netdev-dummy/ip4addr ;;
    esac
    as "$hv" ovs-appctl $cmd "br-phys$nic" "$ip/$plen" >/dev/null &&
        as "$hv" ovs-appctl ovs/route/add "$ip/$plen" "br-phys$nic" \
            >/dev/null || return 1
    if ovn__have_netns; then
        ovn__local_route "$hv" "br-phys$nic" "$ip" || return 1
    fi
}

# ovn_restart_vswitchd HV
#
# Starts HV's ovs-vswitchd again (stopping it first if it still runs),
# e.g. after the test killed it: in a new network namespace, with the
# addresses, routes and neighbours ovn_connect gave its NICs (listed in
# HV/nics).  Its ovsdb-server keeps running, so its bridges come back.
ovn_restart_vswitchd () {
    local hv=$1 base nic ip plen net mip mmac mhv mbr
    base=$(ovn__base)
    ovn__kill_pidfile "$base/$hv/ovs-vswitchd.pid"
    ovn__start_vswitchd "$base/$hv" || return 1
    as "$hv" ovs-appctl tnl/neigh/aging 3600 >/dev/null || return 1
    while read -r nic ip plen net; do
        ovn__nic_addr "$hv" "$nic" "$ip" "$plen" || return 1
        while read -r mip mmac mhv mbr; do
            [ "$mhv" = "$hv" ] && continue
            as "$hv" ovs-appctl tnl/neigh/set "br-phys$nic" "$mip" "$mmac" \
                >/dev/null || return 1
        done < "$base/net/$net.members"
    done < "$base/$hv/nics"
}

# ovn_connect HV NIC NET IP PREFIXLEN
#
# Gives HV a NIC: bridge br-physNIC with address IP/PREFIXLEN (and a route
# for its subnet), whose port ethNIC is wired to network NET.  Every pair of
# members of NET knows the other's MAC (tunnel neighbour entries), so the
# first packet already crosses.
ovn_connect () {
    local hv=$1 nic=$2 net=$3 ip=$4 plen=$5 base idx mac sock \
          mip mmac mhv mbr cmd
    base=$(ovn__base)
    ovn_net_add "$net" || return 1
    idx=$(cat "$base/$hv/hv-index")
    mac=$(printf '0a:00:00:00:%02x:%02x' "$idx" "$nic")
    sock=$base/net/$hv-$nic.sock
    as net ovs-vsctl add-port "$net" "$hv-$nic" -- \
        set interface "$hv-$nic" type=dummy options:pstream="punix:$sock" \
        || return 1
    as "$hv" ovs-vsctl add-br "br-phys$nic" -- \
        set bridge "br-phys$nic" fail-mode=standalone \
            other-config:hwaddr="\"$mac\"" -- \
        add-port "br-phys$nic" "eth$nic" -- \
        set interface "eth$nic" type=dummy options:stream="unix:$sock" \
            options:tx_pcap="$base/$hv/eth$nic-tx.pcap" \
        || return 1
    ovn__nic_addr "$hv" "$nic" "$ip" "$plen" || return 1
    echo "$nic $ip $plen $net" >> "$base/$hv/nics"
    # The network answers ARP for IP, for when a neighbour entry expires
    # (tnl/neigh/aging is at its longest, an hour).  IPv6 has no such
    # responder.
    case $ip in
        *:*) ;;
        *) as net ovs-ofctl add-flow "$net" "priority=100,arp,arp_op=1,\
arp_tpa=$ip,actions=move:eth_src->eth_dst,set_field:$mac->eth_src,\
set_field:2->arp_op,move:arp_sha->arp_tha,move:arp_spa->arp_tpa,\
set_field:$mac->arp_sha,set_field:$ip->arp_spa,in_port" || return 1 ;;
    esac
    as "$hv" ovs-appctl tnl/neigh/aging 3600 >/dev/null || return 1
    while read -r mip mmac mhv mbr; do
        as "$mhv" ovs-appctl tnl/neigh/set "$mbr" "$ip" "$mac" >/dev/null &&
            as "$hv" ovs-appctl tnl/neigh/set "br-phys$nic" "$mip" "$mmac" \
                >/dev/null || return 1
    done < "$base/net/$net.members"
    echo "$ip $mac $hv br-phys$nic" >> "$base/net/$net.members"
}

# ovn_attach HV ENCAP-IPS [OPTION...]
#
# Starts hypervisor HV (ovn_add_hv) unless it exists, gives it one NIC per
# entry of the comma-separated ENCAP-IPS (ovn_connect: NIC i is br-physI on
# network "nI" unless --nets says otherwise), creates br-int, sets the
# Open_vSwitch external_ids system-id, hostname (HV: each simulated chassis
# reports its own, not the machine's), ovn-remote, ovn-encap-type and
# ovn-encap-ip (ENCAP-IPS as given, so "10.0.2.3:storage" keeps its plane),
# and starts the controller (ovn_start_controller).  Options:
#   --nets=NET0,NET1,...   network of each NIC (default n0,n1,...)
#   --plen=N               prefix length (default 24, or 64 for IPv6)
#   --encap-type=TYPES     ovn-encap-type (default geneve)
#   --system-id=ID         chassis name (default HV)
#   --no-br-int            do not create br-int
#   --no-controller        configure everything but do not start it
ovn_attach () {
    local hv=$1 ips=$2 base nets='' plen='' type=geneve sysid=$1 brint=true \
          ctl=true nic=0 entry ip net p
    shift 2 || { ovn__log "usage: ovn_attach HV ENCAP-IPS [OPTION...]";
                 return 1; }
    for arg; do
        case $arg in
            --nets=*) nets=${arg#--nets=} ;;
            --plen=*) plen=${arg#--plen=} ;;
            --encap-type=*) type=${arg#--encap-type=} ;;
            --system-id=*) sysid=${arg#--system-id=} ;;
            --no-br-int) brint=false ;;
            --no-controller) ctl=false ;;
            *) ovn__log "ovn_attach: unknown option $arg"; return 1 ;;
        esac
    done
    base=$(ovn__base)
    if [ ! -d "$base/$hv" ]; then
        ovn_add_hv "$hv" || return 1
    fi
    for entry in $(echo "$ips" | tr ',' ' '); do
        ip=$(ovn__split_ip "$entry")
        net=$(echo "$nets" | cut -d, -f$((nic + 1)))
        [ -n "$net" ] || net=n$nic
        p=$plen
        if [ -z "$p" ]; then
            case $ip in *:*) p=64 ;; *) p=24 ;; esac
        fi
        ovn_connect "$hv" $nic "$net" "$ip" "$p" || return 1
        nic=$((nic + 1))
    done
    if $brint; then
        as "$hv" ovs-vsctl --may-exist add-br br-int -- \
            set bridge br-int fail-mode=secure \
                other-config:disable-in-band=true || return 1
    fi
    as "$hv" ovs-vsctl set open_vswitch . \
        external_ids:system-id="$sysid" \
        external_ids:hostname="$hv" \
        external_ids:ovn-remote="\"$OVN_SB_DB\"" \
        external_ids:ovn-encap-type="\"$type\"" \
        external_ids:ovn-encap-ip="\"$ips\"" || return 1
    if $ctl; then
        ovn_start_controller "$hv" || return 1
    fi
}

# ovn__is_ours BINARY: true if BINARY (a name in PATH or a path) is our
# controller rather than a packaged one under /usr (OVN_CONSISTENCY_CHECK
# set to "yes" or "no" overrides the guess).
ovn__is_ours () {
    local path
    path=$(command -v "$1") || return 1
    path=$(readlink -f "$path")
    case ${OVN_CONSISTENCY_CHECK:-auto}:$path in
        yes:*) return 0 ;;
        no:*) return 1 ;;
        *:/usr/*) return 1 ;;
        *) return 0 ;;
    esac
}

# ovn_start_controller HV [ARG...]
#
# Starts $OVN_CONTROLLER (default: "ovn-controller" from PATH, which in the
# suite is the build's; OVN_CONTROLLER=/usr/bin/ovn-controller picks
# Debian's) for HV with extra ARGs.  If the binary is ours (ovn__is_ours),
# its command line has --enable-consistency-check, so that its engine
# checks every incremental run from the first one, and HV/ovn-controller.ours
# marks it as ours for ovn_check_engine_checks and ovn_stop_all.
ovn_start_controller () {
    local hv=$1 dir check=
    shift
    dir=$(ovn__base)/$hv
    rm -f "$dir/ovn-controller.ours"
    if ovn__is_ours "$OVN_CONTROLLER"; then
        check=--enable-consistency-check
    fi
    ovn__daemon "$dir" $OVN_CONTROLLER --detach --no-chdir --pidfile \
         --log-file $check $OVN_CONTROLLER_ARGS "$@" "unix:$dir/db.sock" \
         || return 1
    ovn__record "$dir/ovn-controller.pid"
    if [ -n "$check" ]; then
        : > "$dir/ovn-controller.ours"
    fi
}

# ovn_wait_until CONDITION [TIMEOUT]
#
# Evaluates the shell code CONDITION until it succeeds, for at most TIMEOUT
# seconds (default $OVN_WAIT_TIMEOUT).  Returns 1 on timeout.  Stops at
# once and returns 2 if a controller logged "consistency check failed"
# (ovn_check_consistency) while CONDITION did not hold, printing those log
# lines on stderr: waiting on is pointless once the state is wrong.
ovn_wait_until () {
    local deadline broken
    deadline=$(($(date +%s) + ${2:-$OVN_WAIT_TIMEOUT}))
    while :; do
        if eval "$1"; then
            return 0
        fi
        if ! broken=$(ovn_check_consistency); then
            ovn__log "a controller's consistency check failed:"
            echo "$broken" >&2
            return 2
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            return 1
        fi
        sleep 0.1
    done
}

# ovn_logs: prints the name of every daemon log under the base directory.
ovn_logs () {
    ls "$(ovn__base)"/*/*.log 2>/dev/null
}

# ovn_dump_logs [LINES]: prints the last LINES (default 30) lines of every
# daemon log, for a failure report.
ovn_dump_logs () {
    local log
    for log in $(ovn_logs); do
        echo "=== last lines of $log"
        tail -n "${1:-30}" "$log"
    done
}

# ovn_check_consistency: prints every "consistency check failed" line of the
# controllers' logs and fails if there is any.
ovn_check_consistency () {
    ! grep -H 'consistency check failed' "$(ovn__base)"/*/ovn-controller.log \
        2>/dev/null
}

# ovn__check_engine_report HV: reads the reply of HV's
# "ovs-appctl -t ovn-controller inc-engine/consistency-check" on stdin:
#
#   on                      (or "off")
#   failures: N
#   NODE: DIFFERENCE        (one line per failed check, if any)
#   nodes:
#   NAME: compute C check K failed F      (a node the check compares)
#   NAME: not compared: REASON            (a node it cannot compare)
#
# Prints a line naming HV for each problem and fails if there is one: the
# check is off, a check failed, or a node was brought up to date by its
# handlers (C > 0) but never checked (K = 0), i.e. the check did not cover
# its incremental processing.
ovn__check_engine_report () {
    awk -v hv="$1" '
        function bad(msg) { print hv ": " msg; status = 1 }
        NR == 1 {
            if ($0 != "on") { bad("the consistency check is " $0) }
            next
        }
        NR == 2 {
            if ($0 !~ /^failures: [0-9]+$/) { bad("unexpected: " $0) }
            else if ($2 != 0) { bad("consistency check " $0) }
            next
        }
        !nodes && $0 == "nodes:" { nodes = 1; next }
        !nodes { bad("failed check: " $0); next }
        $2 == "not" && $3 == "compared:" { next }
        NF == 9 && $2 == "compute" && $4 == "due" && $6 == "check" \
            && $8 == "failed" {
            if ($5 > 0 && $7 == 0) {
                bad($0 " (handled changes that no check covered)")
            }
            next
        }
        { bad("unexpected: " $0) }
        END {
            if (NR < 2 || !nodes) { bad("no node list in the reply") }
            exit status
        }'
}

# ovn_check_engine_checks
#
# Asks each running controller of ours (started by ovn_start_controller,
# which marks it with HV/ovn-controller.ours) for its engine's consistency
# check record ("inc-engine/consistency-check") and checks that the check
# is on, that none failed, and that it covered every node that handled
# changes (ovn__check_engine_report).  Prints every problem, naming the
# hypervisor and the node, and fails if there is any.  Debian's controller
# has no such check and is skipped.
ovn_check_engine_checks () {
    local list pidfile dir hv pid out report tries status=0
    list=$(ovn__base)/ovn-daemons
    [ -f "$list" ] || return 0
    for pidfile in $(grep '/ovn-controller.pid$' "$list" | sort -u); do
        dir=${pidfile%/*}
        hv=${dir##*/}
        [ -f "$dir/ovn-controller.ours" ] && [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile" 2>/dev/null) && ovn__alive "$pid" || continue
        # A check whose shadow run found no transaction (one of ours in
        # flight) is owed until the node's next quiet run, which the
        # transaction's reply brings: give uncovered nodes a few seconds.
        tries=0
        while out=$(as "$hv" ovs-appctl -t ovn-controller \
                        inc-engine/consistency-check 2>&1) \
              && ! report=$(echo "$out" | ovn__check_engine_report "$hv") \
              && ! echo "$report" | grep -v -q 'no check covered' \
              && [ $tries -lt 20 ]; do
            tries=$((tries + 1))
            sleep 0.25
        done
        if ! out=$(as "$hv" ovs-appctl -t ovn-controller \
                       inc-engine/consistency-check 2>&1); then
            # A controller the test told to "exit" answers, then runs its
            # exit handlers (LeakSanitizer's too) before it is gone: no
            # longer running, it has nothing to check.
            if ovn__wait_gone "$pid" 10; then
                continue
            fi
            echo "$hv: inc-engine/consistency-check failed: $out"
            status=1
            continue
        fi
        echo "$out" | ovn__check_engine_report "$hv" || status=1
    done
    return $status
}

# ovn_check_asan: prints every AddressSanitizer report under the base
# directory (the asan.* files that programs built with --enable-asan write:
# see ovn__asan_options) and fails if there is any.  Leak reports of a
# daemon appear only once it has exited: call it after ovn_stop_all.
ovn_check_asan () {
    local report status=0
    for report in $(find "$(ovn__base)" -name 'asan.*' -type f 2>/dev/null |
                    sort); do
        echo "=== AddressSanitizer report $report"
        cat "$report"
        status=1
    done
    return $status
}

# Log lines that are expected in a deployment being torn down, or that the
# dummy datapath produces by design.
OVN_LOG_ALLOW_DEFAULT='ovs_rcu.*blocked|terminating with signal'

# ovn_check_logs [ALLOW-REGEX]
#
# Prints every ERR or EMER line of the daemon logs that matches neither
# ALLOW-REGEX (an extended regular expression) nor OVN_LOG_ALLOW_DEFAULT,
# and fails if there is any.
ovn_check_logs () {
    local allow bad
    allow=$OVN_LOG_ALLOW_DEFAULT${1:+|$1}
    bad=$(ovn_logs | xargs -r grep -H -E '\|(ERR|EMER)\|' |
          grep -v -E "$allow")
    if [ -n "$bad" ]; then
        echo "$bad"
        return 1
    fi
    return 0
}

# ovn_add_vif HV PORT IFACE-ID [OVS-VSCTL-ARG...]
#
# Adds PORT to HV's br-int as the VIF of logical port IFACE-ID, recording
# what it sends to $ovn_base/HV/PORT-tx.pcap and what it receives to
# PORT-rx.pcap.  Extra arguments are appended to the ovs-vsctl command (e.g.
# "--" "set" "interface" "vif1" "external_ids:encap-ip=10.0.1.1").
ovn_add_vif () {
    local hv=$1 port=$2 id=$3 dir
    shift 3
    dir=$(ovn__base)/$hv
    as "$hv" ovs-vsctl add-port br-int "$port" -- \
        set interface "$port" external_ids:iface-id="$id" \
            options:tx_pcap="$dir/$port-tx.pcap" \
            options:rxq_pcap="$dir/$port-rx.pcap" "$@"
}

# ovn_inject HV PORT HEX: makes PORT of HV receive the Ethernet frame HEX
# (hexadecimal digits), as if a VM sent it.
ovn_inject () {
    as "$1" ovs-appctl netdev-dummy/receive "$2" "$3" >/dev/null
}

# ovn_tunnel_tx HV NIC: prints, for each tunnel packet (Geneve or VXLAN
# over IPv4 or IPv6) that HV's NIC number NIC sent to its network (the
# frames in HV/ethNIC-tx.pcap, which ovn_connect records), its outer
# "SRC>DST" addresses, one line each.
ovn_tunnel_tx () {
    python3 -c '
import ipaddress, struct, sys
data = open(sys.argv[1], "rb").read()
order = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
pos = 24
while pos + 16 <= len(data):
    caplen = struct.unpack(order + "IIII", data[pos:pos + 16])[2]
    f = data[pos + 16:pos + 16 + caplen]
    pos += 16 + caplen
    etype = f[12:14]
    if etype == b"\x08\x00" and len(f) >= 38 and f[23] == 17:
        ihl = (f[14] & 15) * 4
        dport = struct.unpack("!H", f[14 + ihl + 2:14 + ihl + 4])[0]
        src, dst = f[26:30], f[30:34]
    elif etype == b"\x86\xdd" and len(f) >= 58 and f[20] == 17:
        dport = struct.unpack("!H", f[56:58])[0]
        src, dst = f[22:38], f[38:54]
    else:
        continue
    if dport in (6081, 4789):
        print("%s>%s" % (ipaddress.ip_address(src),
                         ipaddress.ip_address(dst)))
' "$(ovn__base)/$1/eth$2-tx.pcap" 2>/dev/null
}

# ovn_pcap_hex FILE: prints each frame of the pcap file FILE as a line of
# hexadecimal digits (nothing if the file has no frame yet).
ovn_pcap_hex () {
    python3 -c '
import struct, sys
data = open(sys.argv[1], "rb").read()
if len(data) >= 24:
    order = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
    pos = 24
    while pos + 16 <= len(data):
        caplen = struct.unpack(order + "IIII", data[pos:pos + 16])[2]
        print(data[pos + 16:pos + 16 + caplen].hex())
        pos += 16 + caplen
' "$1"
}

# ovn_exit_hook: the EXIT trap of every test (installed by ovn_test_begin
# or ovn_install_exit_hook).  Stops every daemon; fails the test if a
# controller's consistency check failed or if a program built with
# AddressSanitizer left a report (ovn_check_asan), printing them.
ovn_exit_hook () {
    local status=$? base
    set +x
    trap - 0
    # Stop the daemons even if our output has nowhere to go any more.
    trap '' PIPE HUP INT TERM
    base=$(ovn__base)
    if ! ovn_check_consistency >/dev/null; then
        echo "ovn: a controller's engine consistency check failed:"
        ovn_check_consistency
        status=1
    fi
    if [ -f "$base/ovn-daemons" ]; then
        ovn_stop_all > "$base/ovn-stop.log" 2>&1
    fi
    if ! ovn_check_asan >/dev/null; then
        echo "ovn: AddressSanitizer reported errors:"
        ovn_check_asan
        status=1
    fi
    if [ $status -eq 1 ] && [ -n "$at_status_file" ]; then
        echo 1 > "$at_status_file"
    fi
    exit $status
}

# ovn_install_exit_hook: makes the current shell run ovn_exit_hook when it
# exits, also through a failed check or a signal.
ovn_install_exit_hook () {
    trap ovn_exit_hook 0
    trap 'exit 1' HUP INT TERM
}

# ovn_test_begin: run at the start of every test group (tests/ovn-macros.at
# adds it to AT_SETUP).  Sends the AddressSanitizer reports of the programs
# the test runs to asan.* files in the test's directory (daemons started
# through ovn__daemon use their own directory) and installs the EXIT hook,
# which fails the test if there is any.
ovn_test_begin () {
    ASAN_OPTIONS=$(ovn__asan_options "$PWD/asan")
    export ASAN_OPTIONS
    ovn_install_exit_hook
}
