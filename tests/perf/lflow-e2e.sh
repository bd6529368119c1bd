#! /bin/sh
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# End-to-end benchmark of the logical flows in the datapath: our
# ovn-controller and Debian's, on the same southbound database, in one
# run.  Prints figures, asserts nothing.
#
# Usage: tests/perf/lflow-e2e.sh [BUILDDIR [BEFORE-BUILDDIR]]
#
# With BEFORE-BUILDDIR (an older build of ours, for a before/after
# comparison), ours is started again at the end from that build, on hv1
# in place of the first, and converge and bind are measured again for it,
# Debian's running all along: the report gets a column "before".
#
# The northbound (every count can be set in the environment):
#   SWITCHES (100) logical switches of PORTS (50) ports each, every switch
#   joined to one router lr0; PGS (10) port groups, port J of every switch
#   in group J mod PGS; ASETS (100) address sets of ADDRS (10) addresses
#   each (1,000 addresses in all); ACLS (1000) ACLs, ACL K on group K mod
#   PGS, "outport == @pgN && ip4.src == $asM && tcp.dst == 10000+K"
#   allow-related, with M = K mod ASETS; LBS (50) load balancers in one
#   group on every switch and the router.
#
# Each controller runs on a hypervisor of its own (ovsdb-server and
# ovs-vswitchd --enable-dummy=system) with one VIF bound per switch: hv1
# (ours) port 0 of each switch, hv2 (Debian's) port PGS of each switch, so
# both have local members in group 0 and the same ACLs apply to both.
# One after the other (the machine has few cores), each is started and
# measured:
#
#   converge    seconds from its start until "ovn-nbctl --wait=hv sync"
#               returns (its chassis acknowledged nb_cfg), and until the
#               OpenFlow flow count of its br-int is stable (no change for
#               STABLE, default 3, seconds); CPU seconds of the controller
#               and its peak RSS at that point; OpenFlow flows installed.
#
# Then, with both running, three changes, each measured on both, from
# the SB's own record (ovsdb-client monitor --timestamp on the SB tables
# concerned: each change as the SB server sent it, to the millisecond):
#
#   acl         one ACL added on group 0: "wall", from the NB change until
#               each chassis acknowledged the nb_cfg it produced (its
#               flows are installed then); "ovn-northd", from the NB
#               change until the SB's Logical_Flow table changed (northd
#               wrote it); "controller", from that SB change until the
#               chassis acknowledged: the controller's own time
#   address     one address added to the set of group 0's ACLs: the same,
#               with the SB's Address_Set table
#   bind        one more VIF bound on each hypervisor, on a local switch,
#               joining group 0: from "ovs-vsctl add-port" until its
#               Port_Binding is up (claimed, flows installed); northd has
#               no part in it, so all of it is the controller's.  BINDS
#               (default 3) times, each on another switch: the mean (the
#               CPU clock ticks are 10 ms)
#
# and each controller's CPU seconds over the change.
#
# Last, ours compiles each flow of a Logical_DP_Group one datapath at a
# time ("lflow/share-datapaths off", as upstream does) and then all at
# once again: the OpenFlow flows installed each way, and the CPU of the
# recompute and of installing the difference.
#
# Targets for ours: <= 300,000 flows, <= 15 s, <= 8 CPU s, <= 400 MB;
# each change <= 0.3 s wall and <= 0.05 CPU s.  The walls include the
# other daemons' work on a shared machine: the CPU seconds tell better.
#
# Every wait is bounded (OVN_WAIT_TIMEOUT, default 600 seconds) and every
# daemon is stopped on exit.

set -e
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=$(cd "${1:-.}" && pwd)
SWITCHES=${SWITCHES:-100}
PORTS=${PORTS:-50}
PGS=${PGS:-10}
ASETS=${ASETS:-100}
ADDRS=${ADDRS:-10}
ACLS=${ACLS:-1000}
LBS=${LBS:-50}
STABLE=${STABLE:-3}
BINDS=${BINDS:-3}
OURS=$builddir/controller/ovn-controller
DEBIAN=/usr/bin/ovn-controller
BEFORE=
if [ -n "${2:-}" ]; then
    BEFORE=$(cd "$2" && pwd)/controller/ovn-controller
fi
if [ $((2 * BINDS)) -gt "$SWITCHES" ] || [ "$PORTS" -le $((3 * PGS)) ]; then
    echo "BINDS x 2 must not exceed SWITCHES, PORTS must exceed 3 x PGS" >&2
    exit 2
fi

. "$srcdir/tests/perf/perf-lib.sh"
perf_require "$OURS" "$DEBIAN" /usr/bin/ovn-northd ${BEFORE:+"$BEFORE"}
perf_use_ovn "$OURS"
perf_enter "$work"

# --- The northbound. ---

# nb_switch S: the JSON of a transaction that creates switch S, its ports
# (in their port groups), its router port and the patch to the router.
nb_switch () {
    awk -v s="$1" -v P="$PORTS" -v G="$PGS" '
    function q(str) { return "\"" str "\"" }
    function uuid(name) { return "[\"named-uuid\"," q(name) "]" }
    BEGIN {
        printf "[\"OVN_Northbound\"";
        for (p = 0; p < P; p++) {
            printf ",{\"op\":\"insert\",\"table\":\"Logical_Switch_Port\"," \
                   "\"uuid-name\":\"p%d\",\"row\":{\"name\":\"ls%d-p%d\"," \
                   "\"addresses\":\"00:00:%02x:%02x:00:%02x 10.%d.%d.%d\"}}",
                   p, s, p, int(s / 256), s % 256, p,
                   int(s / 250) + 100, s % 250, p + 10;
        }
        printf ",{\"op\":\"insert\",\"table\":\"Logical_Switch_Port\"," \
               "\"uuid-name\":\"rp\",\"row\":{\"name\":\"ls%d-lr0\"," \
               "\"type\":\"router\",\"addresses\":\"router\"," \
               "\"options\":[\"map\",[[\"router-port\",\"lrp%d\"]]]}}", s, s;
        printf ",{\"op\":\"insert\",\"table\":\"Logical_Switch\"," \
               "\"row\":{\"name\":\"ls%d\",\"ports\":[\"set\",[%s", s,
               uuid("rp");
        for (p = 0; p < P; p++) printf ",%s", uuid("p" p);
        printf "]]}}";
        printf ",{\"op\":\"insert\",\"table\":\"Logical_Router_Port\"," \
               "\"uuid-name\":\"lrp\",\"row\":{\"name\":\"lrp%d\"," \
               "\"mac\":\"00:00:ff:%02x:%02x:01\"," \
               "\"networks\":\"10.%d.%d.1/24\"}}", s, int(s / 256), s % 256,
               int(s / 250) + 100, s % 250;
        printf ",{\"op\":\"mutate\",\"table\":\"Logical_Router\"," \
               "\"where\":[[\"name\",\"==\",\"lr0\"]],\"mutations\":" \
               "[[\"ports\",\"insert\",[\"set\",[%s]]]]}", uuid("lrp");
        for (g = 0; g < G; g++) {
            printf ",{\"op\":\"mutate\",\"table\":\"Port_Group\"," \
                   "\"where\":[[\"name\",\"==\",\"pg%d\"]],\"mutations\":" \
                   "[[\"ports\",\"insert\",[\"set\",[", g;
            sep = "";
            for (p = g; p < P; p += G) {
                printf "%s%s", sep, uuid("p" p);
                sep = ",";
            }
            printf "]]]]}";
        }
        print "]";
    }'
}

# nb_base: the router, the port groups, the address sets, the load
# balancers and their group.
nb_base () {
    awk -v G="$PGS" -v A="$ASETS" -v N="$ADDRS" -v L="$LBS" '
    function q(str) { return "\"" str "\"" }
    function uuid(name) { return "[\"named-uuid\"," q(name) "]" }
    BEGIN {
        printf "[\"OVN_Northbound\"";
        printf ",{\"op\":\"insert\",\"table\":\"Logical_Router\"," \
               "\"row\":{\"name\":\"lr0\"}}";
        for (g = 0; g < G; g++) {
            printf ",{\"op\":\"insert\",\"table\":\"Port_Group\"," \
                   "\"row\":{\"name\":\"pg%d\"}}", g;
        }
        for (a = 0; a < A; a++) {
            printf ",{\"op\":\"insert\",\"table\":\"Address_Set\"," \
                   "\"row\":{\"name\":\"as%d\",\"addresses\":[\"set\",[", a;
            for (i = 0; i < N; i++) {
                printf "%s\"172.%d.%d.%d\"", i ? "," : "", 16 + int(a / 250),
                       a % 250, i + 1;
            }
            printf "]]}}";
        }
        for (l = 0; l < L; l++) {
            printf ",{\"op\":\"insert\",\"table\":\"Load_Balancer\"," \
                   "\"uuid-name\":\"lb%d\",\"row\":{\"name\":\"lb%d\"," \
                   "\"protocol\":\"tcp\",\"vips\":[\"map\",[[" \
                   "\"192.168.%d.%d:80\",\"10.100.%d.10:8080,10.100.%d.11:8080\"" \
                   "]]]}}", l, l, int(l / 250), l % 250, l % 100, l % 100;
        }
        printf ",{\"op\":\"insert\",\"table\":\"Load_Balancer_Group\"," \
               "\"row\":{\"name\":\"lbg\",\"load_balancer\":[\"set\",[";
        for (l = 0; l < L; l++) printf "%s%s", l ? "," : "", uuid("lb" l);
        printf "]]}}";
        print "]";
    }'
}

# nb_acls FROM TO: ACLs FROM to TO - 1, on their port groups.
nb_acls () {
    awk -v from="$1" -v to="$2" -v G="$PGS" -v A="$ASETS" '
    BEGIN {
        printf "[\"OVN_Northbound\"";
        for (k = from; k < to; k++) {
            printf ",{\"op\":\"insert\",\"table\":\"ACL\",\"uuid-name\":" \
                   "\"a%d\",\"row\":{\"priority\":%d,\"direction\":" \
                   "\"to-lport\",\"action\":\"allow-related\",\"match\":" \
                   "\"outport == @pg%d && ip4.src == $as%d && tcp.dst " \
                   "== %d\"}}", k, 1000 + k % 1000, k % G, k % A, 10000 + k;
            printf ",{\"op\":\"mutate\",\"table\":\"Port_Group\"," \
                   "\"where\":[[\"name\",\"==\",\"pg%d\"]],\"mutations\":" \
                   "[[\"acls\",\"insert\",[\"set\",[[\"named-uuid\"," \
                   "\"a%d\"]]]]]}", k % G, k;
        }
        print "]";
    }'
}

# transact: runs the NB transaction in txn.json; exits on error.
transact () {
    ovsdb-client transact "$OVN_NB_DB" "$(cat txn.json)" > txn.out
    if grep -q '"error"' txn.out; then
        echo "NB transaction failed:" >&2
        grep -o '"error"[^}]*' txn.out | head -3 >&2
        exit 1
    fi
}

n_rows () {
    ovn-sbctl --bare --columns=_uuid list "$1" | grep -c . || true
}

echo "== NB: $SWITCHES switches x $PORTS ports behind lr0, $PGS port" \
     "groups, $ASETS address sets x $ADDRS, $ACLS ACLs, $LBS load balancers"
t0=$(now)
ovn_start >/dev/null 2>&1
nb_base > txn.json
transact
s=0
while [ $s -lt "$SWITCHES" ]; do
    nb_switch $s > txn.json
    transact
    s=$((s + 1))
done
k=0
while [ $k -lt "$ACLS" ]; do
    nb_acls $k $((k + 250 < ACLS ? k + 250 : ACLS)) > txn.json
    transact
    k=$((k + 250))
done
lbg=$(ovn-nbctl --bare --columns=_uuid find Load_Balancer_Group name=lbg)
s=0
while [ $s -lt "$SWITCHES" ]; do
    ovn-nbctl add Logical_Switch ls$s load_balancer_group "$lbg"
    s=$((s + 1))
done
ovn-nbctl add Logical_Router lr0 load_balancer_group "$lbg"
ovn-nbctl --timeout="$OVN_WAIT_TIMEOUT" --wait=sb sync
t1=$(now)
awk -v a="$t0" -v b="$t1" -v n="$(n_rows Logical_Flow)" \
    -v g="$(n_rows Logical_DP_Group)" 'BEGIN {
    printf "SB: %d Logical_Flow rows, %d Logical_DP_Group rows, built " \
           "in %.1f s\n", n, g, b - a }'

# --- The hypervisors, and each controller converging alone. ---

# bind HV PORT-INDEX: one VIF per switch for port PORT-INDEX.
bind () {
    vifs=
    s=0
    while [ $s -lt "$SWITCHES" ]; do
        vifs="$vifs -- add-port br-int vif$s-$2 -- set interface vif$s-$2"
        vifs="$vifs external_ids:iface-id=ls$s-p$2"
        s=$((s + 1))
    done
    as "$1" ovs-vsctl $vifs
}

n_flows () {
    as "$1" ovs-ofctl dump-aggregate br-int 2>/dev/null |
        sed -n 's/.*flow_count=\([0-9]*\).*/\1/p'
}

secs () {
    awk -v t="$1" -v hz="$hz" 'BEGIN {printf "%.2f", t / hz}'
}

# converge HV CONTROLLER NAME: starts CONTROLLER on HV and measures it
# (variables NAME_wall, NAME_ack, NAME_cpu, NAME_rss, NAME_flows).
converge () {
    hv=$1
    OVN_CONTROLLER=$2
    t0=$(now)
    ovn_start_controller $hv
    pid=$(cat $hv/ovn-controller.pid)
    ovn_wait_until "ovn-sbctl --bare --columns=name list Chassis_Private |
                    grep -qx $hv" "$OVN_WAIT_TIMEOUT"
    ovn-nbctl --timeout="$OVN_WAIT_TIMEOUT" --wait=hv sync
    t_ack=$(now)
    cpu_ack=$(cpu_ticks "$pid")
    flows_ack=$(n_flows $hv)
    last=-1 since=$(date +%s) t_at=$t_ack cpu_at=$cpu_ack
    deadline=$(($(date +%s) + OVN_WAIT_TIMEOUT))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        c=$(cpu_ticks "$pid")
        t=$(now)
        n=$(n_flows $hv)
        if [ "$n" != "$last" ]; then
            last=$n since=$(date +%s) t_at=$t cpu_at=$c
        elif [ $(($(date +%s) - since)) -ge "$STABLE" ]; then
            break
        fi
        sleep 0.5
    done
    eval "${3}_ack=$(awk -v a="$t0" -v b="$t_ack" 'BEGIN {printf "%.2f", b - a}')"
    eval "${3}_wall=$(awk -v a="$t0" -v b="$t_at" 'BEGIN {printf "%.2f", (b > a ? b : a) - a}')"
    eval "${3}_cpu=$(secs $(( cpu_at > cpu_ack ? cpu_at : cpu_ack )))"
    eval "${3}_cpuack=$(secs $cpu_ack)"
    eval "${3}_rss=\$(awk '/^VmHWM/ {printf \"%.0f\", \$2 / 1024}' /proc/$pid/status)"
    eval "${3}_flows=$last"
    eval "${3}_flowsack=$flows_ack"
    eval "${3}_pid=$pid"
}

for hv in hv1 hv2; do
    n=${hv#hv}
    ovn_attach $hv 192.168.0.$n --no-controller >/dev/null 2>&1
    as $hv ovs-vsctl set open_vswitch . external_ids:ovn-monitor-all=false
done
bind hv1 0
bind hv2 "$PGS"
echo "== converging: ours on hv1"
converge hv1 "$OURS" ours
echo "== converging: Debian's on hv2"
converge hv2 "$DEBIAN" deb

# --- One change at a time, both running. ---

# since T0: seconds from T0 to now.
since () {
    awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.2f", b - a}'
}

# wait_acks NB_CFG T0: sets a1 and a2 to the seconds from T0 until hv1
# and hv2 acknowledged NB_CFG.
wait_acks () {
    a1= a2=
    deadline=$(($(date +%s) + OVN_WAIT_TIMEOUT))
    while { [ -z "$a1" ] || [ -z "$a2" ]; } &&
          [ "$(date +%s)" -lt "$deadline" ]; do
        [ -n "$a1" ] || [ "$(ovn-sbctl get Chassis_Private hv1 nb_cfg)" -lt "$1" ] || a1=$(since "$2")
        [ -n "$a2" ] || [ "$(ovn-sbctl get Chassis_Private hv2 nb_cfg)" -lt "$1" ] || a2=$(since "$2")
        sleep 0.02
    done
}

# wait_up PORT1 PORT2 T0: sets a1 and a2 to the seconds from T0 until
# Port_Binding.up of PORT1 (hv1's) and PORT2 (hv2's) was true.
pb_up () {
    test "$(ovn-sbctl --bare --columns=up find Port_Binding logical_port=$1)" = true
}
wait_up () {
    a1= a2=
    deadline=$(($(date +%s) + OVN_WAIT_TIMEOUT))
    while { [ -z "$a1" ] || [ -z "$a2" ]; } &&
          [ "$(date +%s)" -lt "$deadline" ]; do
        [ -n "$a1" ] || ! pb_up "$1" || a1=$(since "$3")
        [ -n "$a2" ] || ! pb_up "$2" || a2=$(since "$3")
        sleep 0.02
    done
}

# The SB's record of changes: mon_start NAME TABLE COLUMNS starts
# "ovsdb-client monitor" on TABLE's COLUMNS (changes only, each with its
# time) into mon-NAME.txt, once it is watching; mon_stop NAME stops it.
mon_start () {
    OVS_RUNDIR=$work ovsdb-client --detach --no-chdir \
        --pidfile="$work/mon-$1.pid" monitor --timestamp -f csv \
        "$OVN_SB_DB" OVN_Southbound "$2" "$3,!initial" > "$work/mon-$1.txt"
}
mon_stop () {
    kill "$(cat "$work/mon-$1.pid")" 2>/dev/null || true
}

# mon_time NAME [KEY VALUE]: the time (seconds since the epoch) of the
# first change in mon-NAME.txt, or of the first that sets column 3 to KEY
# and column 4 to VALUE or more (a number) or to VALUE (else); "-" if
# none.
mon_time () {
    ts=$(awk -F, -v k="$2" -v v="$3" '
        /^[0-9][0-9][0-9][0-9]-/ { ts = $0; next }
        $1 == "row" { next }
        k == "" && $2 != "" { print ts; exit }
        k != "" && $2 == "new" && $3 == k &&
            (v ~ /^[0-9]+$/ ? $4 + 0 >= v + 0 : $4 == v) { print ts; exit }
        ' "$work/mon-$1.txt")
    if [ -n "$ts" ]; then
        TZ=UTC date -d "$ts" +%s.%N
    else
        echo -
    fi
}

# diff_s A B: B - A in seconds, or "-" if either is "-".
diff_s () {
    case $1$2 in
        *-*) echo - ;;
        *) awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", b - a}' ;;
    esac
}

# step NAME: measures the change 'change_NAME' (a shell function that
# makes it and waits for the acknowledgments, setting 'sbt' to the name
# of the monitor of the SB change northd makes, or to nothing, and 'p1',
# 'p2' to the ports bound, if any), setting s_NAME to "WALL1 CPU1 WALL2
# CPU2 NORTHD OWN1 OWN2".
step () {
    sleep 1
    mon_start lflow Logical_Flow priority
    mon_start aset Address_Set addresses
    mon_start ack Chassis_Private name,nb_cfg
    mon_start pb Port_Binding logical_port,up
    c1=$(cpu_ticks $ours_pid) c2=$(cpu_ticks $deb_pid)
    t0=$(now)
    sbt= p1= p2=
    change_$1
    sleep 1
    d1=$(secs $(( $(cpu_ticks $ours_pid) - c1 )))
    d2=$(secs $(( $(cpu_ticks $deb_pid) - c2 )))
    for m in lflow aset ack pb; do
        mon_stop $m
    done
    if [ -n "$p1" ]; then
        e1=$(mon_time pb "$p1" true) e2=$(mon_time pb "$p2" true)
        sb=$t0
    else
        cfg=$(ovn-sbctl get SB_Global . nb_cfg)
        e1=$(mon_time ack hv1 "$cfg") e2=$(mon_time ack hv2 "$cfg")
        sb=$(mon_time "$sbt")
    fi
    w1=$(diff_s "$t0" "$e1") w2=$(diff_s "$t0" "$e2")
    o1=$(diff_s "$sb" "$e1") o2=$(diff_s "$sb" "$e2")
    if [ -n "$p1" ]; then
        nd=-
    else
        nd=$(diff_s "$t0" "$sb")
    fi
    eval "s_$1=\"$w1 $d1 $w2 $d2 $nd $o1 $o2\""
}

# An ACL, and an address: ovn-northd writes the SB (its time is "sb"),
# then each chassis acknowledges.
change_acl () {
    ovn-nbctl --wait=sb --type=port-group acl-add pg0 to-lport 1999 \
        'outport == @pg0 && ip4.src == $as0 && tcp.dst == 9999' \
        allow-related
    sbt=lflow
    wait_acks "$(ovn-sbctl get SB_Global . nb_cfg)" "$t0"
}
change_address () {
    ovn-nbctl --wait=sb add Address_Set as0 addresses '"172.31.0.1"'
    sbt=aset
    wait_acks "$(ovn-sbctl get SB_Global . nb_cfg)" "$t0"
}
# A VIF on each hypervisor, on a switch already local (switch bind_i):
# until the SB says the port is up (claimed, flows installed).
bind_i=0
change_bind () {
    p1=ls$bind_i-p$((2 * PGS)) p2=ls$bind_i-p$((3 * PGS))
    as hv1 ovs-vsctl add-port br-int vifx1-$bind_i -- set interface \
        vifx1-$bind_i external_ids:iface-id=$p1
    as hv2 ovs-vsctl add-port br-int vifx2-$bind_i -- set interface \
        vifx2-$bind_i external_ids:iface-id=$p2
    wait_up "$p1" "$p2" "$t0"
}
# binds NAME: BINDS bind steps, on the next switches; sets s_NAME to the
# mean of each figure of their s_bind ("-" if one is missing).
binds () {
    all=
    n=0
    while [ $n -lt "$BINDS" ]; do
        step bind
        all="$all$s_bind
"
        bind_i=$((bind_i + 1)) n=$((n + 1))
    done
    eval "s_$1=\"$(printf '%s' "$all" | awk '
        { for (i = 1; i <= NF; i++) { if ($i == "-") bad[i] = 1;
                                      sum[i] += $i } ; n++ ; nf = NF }
        END { for (i = 1; i <= nf; i++)
                  printf "%s%s", (i > 1 ? " " : ""),
                         (bad[i] ? "-" : sprintf("%.3f", sum[i] / n)) }')\""
}
step acl
step address
binds mean_bind

# --- Item: what sharing a datapath group's flows saves. ---
# Ours again, compiling each flow one datapath at a time
# ("lflow/share-datapaths off"), then back: flows installed and the CPU
# of the recompute.
stable_flows () {
    last=-1 since=$(date +%s)
    deadline=$(($(date +%s) + OVN_WAIT_TIMEOUT))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        n=$(n_flows hv1)
        if [ "$n" != "$last" ]; then
            last=$n since=$(date +%s)
        elif [ $(($(date +%s) - since)) -ge "$STABLE" ]; then
            break
        fi
        sleep 0.5
    done
    echo "$last"
}
share () {
    as hv1 ovs-appctl -t ovn-controller lflow/share-datapaths $1 >/dev/null
    c=$(cpu_ticks $ours_pid)
    prev=$(n_flows hv1)
    as hv1 ovs-appctl -t ovn-controller inc-engine/recompute
    # The flows change in one bundle, once installed: wait for it.
    ovn_wait_until "test \"\$(n_flows hv1)\" != $prev" 120 || true
    n=$(stable_flows)
    eval "share_$1=\"$n $(secs $(( $(cpu_ticks $ours_pid) - c )))\""
}
share off
share on

# --- Item: ours from an older build, for a before/after comparison. ---
if [ -n "$BEFORE" ]; then
    echo "== converging: ours before ($BEFORE) on hv1"
    ovn_stop_daemon hv1 ovn-controller >/dev/null 2>&1
    converge hv1 "$BEFORE" old
    ours_pid=$old_pid
    binds old_bind
fi

# --- Report. ---
echo
printf '%-34s %12s %12s %12s\n' "" ours debian "target (ours)"
printf '%-34s %12s %12s %12s\n' "converge: --wait=hv returns (s)" \
    "$ours_ack" "$deb_ack" ""
printf '%-34s %12s %12s %12s\n' "converge: flow count stable (s)" \
    "$ours_wall" "$deb_wall" "<= 15"
printf '%-34s %12s %12s %12s\n' "converge: CPU (s)" "$ours_cpu" "$deb_cpu" \
    "<= 8"
printf '%-34s %12s %12s %12s\n' "converge: peak RSS (MB)" "$ours_rss" \
    "$deb_rss" "<= 400"
printf '%-34s %12s %12s %12s\n' "OpenFlow flows installed" "$ours_flows" \
    "$deb_flows" "<= 300000"
set -- $share_off
printf '%-34s %12s %12s %12s\n' "flows, one datapath at a time" "$1" "" ""
printf '%-34s %12s %12s %12s\n' "  its recompute: CPU (s)" "$2" "" ""
set -- $share_on
printf '%-34s %12s %12s %12s\n' "flows, a group's all at once" "$1" "" ""
printf '%-34s %12s %12s %12s\n' "  its recompute: CPU (s)" "$2" "" ""
for s in acl address bind; do
    if [ $s = bind ]; then
        printf '%-34s\n' "bind: the mean of $BINDS"
        set -- $s_mean_bind
    else
        eval "set -- \$s_$s"
    fi
    printf '%-34s %12s %12s %12s\n' "$s: wall (s)" "$1" "$3" "<= 0.3"
    if [ "$5" != - ]; then
        printf '%-34s %12s %12s %12s\n' "  of which ovn-northd (s)" "$5" "$5" ""
    fi
    printf '%-34s %12s %12s %12s\n' "  of which the controller (s)" "$6" \
        "$7" ""
    printf '%-34s %12s %12s %12s\n' "$s: controller CPU (s)" "$2" "$4" \
        "<= 0.05"
done

if [ -n "$BEFORE" ]; then
    echo
    echo "Ours before ($BEFORE), on hv1 after ours; Debian's again:"
    printf '%-34s %12s %12s %12s\n' "" before debian ""
    printf '%-34s %12s %12s\n' "converge: flow count stable (s)" \
        "$old_wall" ""
    printf '%-34s %12s %12s\n' "converge: CPU (s)" "$old_cpu" ""
    printf '%-34s %12s %12s\n' "OpenFlow flows installed" "$old_flows" ""
    set -- $s_old_bind
    printf '%-34s\n' "bind: the mean of $BINDS"
    printf '%-34s %12s %12s\n' "bind: wall (s)" "$1" "$3"
    printf '%-34s %12s %12s\n' "  of which the controller (s)" "$6" "$7"
    printf '%-34s %12s %12s\n' "bind: controller CPU (s)" "$2" "$4"
fi

# KEEP=1 leaves the deployment running in $work, for a closer look (stop
# it with "ovn_stop_all" from tests/ovn-functions.sh, base directory
# $work).
if [ -n "${KEEP:-}" ]; then
    trap - EXIT
    echo "kept running in $work"
fi
