#! /bin/sh
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Benchmark of the logical flow compiler against Debian's ovn-controller:
# prints figures, asserts nothing about time.
#
# Usage: tests/perf/lflow-bench.sh [BUILDDIR] [SWITCHES] [ACLS-PER-SWITCH]
#
# Builds a large southbound database with Debian's ovn-northd: SWITCHES
# logical switches (default 50) of 20 ports each, with two port groups and
# 10 address sets (20 addresses each) per switch and ACLS-PER-SWITCH ACLs
# (default 1000) on those port groups, whose matches use @port_group,
# $address_set, $pg_ip4 sets, port ranges, sets of constants, IPv6 CIDRs
# and !=.  The northbound rows go in with ovsdb-client, one transaction per
# switch.  The defaults give about 100,000 Logical_Flow rows.  Then:
#
#   debian   Debian's /usr/bin/ovn-controller on a simulated hypervisor
#            (ovsdb-server + ovs-vswitchd --enable-dummy) with
#            ovn-monitor-all=true and a VIF bound for every port (BIND=all,
#            the default; BIND=one binds one port per switch), so that
#            every datapath is local and, as for ovn-lflow-check, every
#            member of a port group is (ovn-controller keeps only the local
#            ports of a port group), converges on that SB: from its start
#            until the flow count of br-int is stable (no change for
#            STABLE seconds, default 5) and every VIF is up.  CPU time
#            (user+sys from /proc), RSS, OpenFlow flows installed.
#   ours     ovn-lflow-check (BUILDDIR/utilities) compiles the match and
#            actions of every Logical_Flow on each of its datapaths, as
#            chassis hv1 sees the SB.  CPU time and peak RSS from time(1);
#            the part spent compiling (after the download and the IDL's
#            parsing) from a second run under perf(1), when it works.
#   matches  test-ovn bench (BUILDDIR/tests) compiles every distinct match
#            of the SB (no datapath, no actions) ROUNDS times (default 3):
#            matches per second and OpenFlow matches produced.
#
# DUMP=DIR keeps the files test-ovn reads (matches, ports, addr-sets,
# port-groups) and the SB database (sb.db) in DIR, for profiling.
#
# Every wait is bounded (OVN_WAIT_TIMEOUT, default 600 seconds) and every
# daemon is stopped on exit.

set -e
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=$(cd "${1:-.}" && pwd)
SWITCHES=${2:-50}
ACLS=${3:-1000}
PORTS=20
SETS=10
STABLE=${STABLE:-5}
BIND=${BIND:-all}
ROUNDS=${ROUNDS:-3}

LFLOW_CHECK=$builddir/utilities/ovn-lflow-check
TEST_OVN=$builddir/tests/test-ovn
. "$srcdir/tests/perf/perf-lib.sh"
perf_require "$LFLOW_CHECK" "$TEST_OVN" /usr/bin/ovn-controller \
    /usr/bin/ovn-northd
perf_use_ovn /usr/bin/ovn-controller
perf_enter "$work"

secs () {
    awk -v t="$1" -v hz="$hz" 'BEGIN {printf "%.2f", t / hz}'
}

# nb_txn S [FIRST LAST]: the JSON of a transaction that creates switch S
# with its ports, address sets and (empty) port groups; with FIRST and
# LAST, one that creates ACLs FIRST to LAST - 1 of switch S and adds them
# to its port groups (an argument of ovsdb-client must stay under 128 kB).
nb_txn () {
    awk -v s="$1" -v from="${2:--1}" -v to="${3:--1}" -v P="$PORTS" \
        -v A="$ACLS" -v K="$SETS" '
    function q(str) { return "\"" str "\"" }
    function uuid(name) { return "[\"named-uuid\"," q(name) "]" }
    function sep() { r = first ? "" : ","; first = 0; return r }
    function acls(from, to) {
        for (j = from; j < to; j++) {
            pg = "pg_" s; pgb = "pgb_" s; as = "$as_" s "_" (j % K);
            t = j % 6;
            if (t == 0) {
                dir = "to-lport"; act = "allow-related";
                m = "outport == @" pg " && ip4.src == " as \
                    " && tcp.dst == {80, 443, " (8000 + j) "}";
            } else if (t == 1) {
                dir = "from-lport"; act = "allow";
                m = "inport == @" pg " && ip4.dst == " as \
                    " && tcp.dst >= " (1000 + j) " && tcp.dst <= " \
                    (1010 + 3 * j);
            } else if (t == 2) {
                dir = "to-lport"; act = "drop";
                m = "outport == @" pgb " && ip4.src == {172.30." (j % 256) \
                    ".0/24, 172.31." (j % 256) ".0/24, 10.9.9." (j % 250) \
                    "} && udp.dst == " (2000 + j);
            } else if (t == 3) {
                dir = "from-lport"; act = "allow-related";
                m = sprintf("inport == @%s && ip6 && ip6.dst == " \
                            "fd10:%x:%x::/48 && tcp.dst == {22, %d}",
                            pg, s, j, 3000 + j);
            } else if (t == 4) {
                dir = "to-lport"; act = "allow-related";
                m = "outport == @" pgb " && ip4.src == $" pgb "_ip4" \
                    " && tcp.dst == " (4000 + j);
            } else {
                dir = "from-lport"; act = "allow-stateless";
                m = "inport == @" pg " && ip4 && ip4.dst != 10.0.0.0/8" \
                    " && udp.src == " (5000 + j);
            }
            printf ",{\"op\":\"insert\",\"table\":\"ACL\"," \
                   "\"uuid-name\":\"a%d\",\"row\":{\"priority\":%d," \
                   "\"direction\":\"%s\",\"action\":\"%s\"," \
                   "\"match\":\"%s\"}}", j, 1000 + j, dir, act, m;
        }
        for (g = 0; g < 2; g++) {
            printf ",{\"op\":\"mutate\",\"table\":\"Port_Group\"," \
                   "\"where\":[[\"name\",\"==\",\"%s_%d\"]]," \
                   "\"mutations\":[[\"acls\",\"insert\",[\"set\",[",
                   g ? "pgb" : "pg", s;
            first = 1;
            for (j = from; j < to; j++) {
                b = (j % 6 == 2 || j % 6 == 4);
                if (b == g) printf "%s%s", sep(), uuid("a" j);
            }
            printf "]]]]}";
        }
    }
    BEGIN {
        first = 1;
        printf "[\"OVN_Northbound\"";
        if (from >= 0) {
            acls(from, to);
            print "]";
            exit;
        }
        for (p = 0; p < P; p++) {
            printf ",{\"op\":\"insert\",\"table\":\"Logical_Switch_Port\"," \
                   "\"uuid-name\":\"p%d\",\"row\":{\"name\":\"ls%d-p%d\"," \
                   "\"addresses\":\"00:00:%02x:%02x:00:%02x " \
                   "10.%d.%d.%d fd00:%x::%x\"}}",
                   p, s, p, int(s / 256), s % 256, p,
                   int(s / 250) + 100, s % 250, p + 10, s + 1, p + 10;
        }
        printf ",{\"op\":\"insert\",\"table\":\"Logical_Switch\"," \
               "\"row\":{\"name\":\"ls%d\",\"ports\":[\"set\",[", s;
        first = 1;
        for (p = 0; p < P; p++) printf "%s%s", sep(), uuid("p" p);
        printf "]]}}";
        for (k = 0; k < K; k++) {
            printf ",{\"op\":\"insert\",\"table\":\"Address_Set\"," \
                   "\"row\":{\"name\":\"as_%d_%d\",\"addresses\":[\"set\",[",
                   s, k;
            first = 1;
            for (i = 0; i < 20; i++) {
                if (i % 5 == 4) {
                    printf "%s\"172.%d.%d.0/24\"", sep(), 16 + k, i + s;
                } else {
                    printf "%s\"192.168.%d.%d\"", sep(), s % 256,
                           k * 20 + i + 1;
                }
            }
            printf "]]}}";
        }
        for (g = 0; g < 2; g++) {
            printf ",{\"op\":\"insert\",\"table\":\"Port_Group\"," \
                   "\"row\":{\"name\":\"%s_%d\",\"ports\":[\"set\",[",
                   g ? "pgb" : "pg", s;
            first = 1;
            for (p = 0; p < P; p += g + 1) printf "%s%s", sep(), uuid("p" p);
            printf "]]}}";
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

# n_rows TABLE: number of rows of SB TABLE.
n_rows () {
    ovn-sbctl --bare --columns=_uuid list "$1" | grep -c . || true
}

echo "== generating: $SWITCHES switches, $((SWITCHES * PORTS)) ports," \
     "$((SWITCHES * SETS)) address sets, $((SWITCHES * ACLS)) ACLs"
t0=$(now)
ovn_start >/dev/null 2>&1
s=0
while [ $s -lt "$SWITCHES" ]; do
    nb_txn $s > txn.json
    transact
    j=0
    while [ $j -lt "$ACLS" ]; do
        nb_txn $s $j $((j + 250 < ACLS ? j + 250 : ACLS)) > txn.json
        transact
        j=$((j + 250))
    done
    s=$((s + 1))
done
ovn-nbctl --timeout="$OVN_WAIT_TIMEOUT" --wait=sb sync
t1=$(now)
n_lflows=$(n_rows Logical_Flow)
# (flow, datapath) pairs: a flow on a Logical_DP_Group counts once for
# each of its datapaths.
n_pairs=$(python3 -c '
import json, subprocess, sys
def rows(table, cols):
    out = subprocess.run(["ovn-sbctl", "--format=json", "--columns=" + cols,
                          "list", table], check=True, capture_output=True)
    return json.loads(out.stdout)["data"]
size = {}
for uuid, dps in rows("Logical_DP_Group", "_uuid,datapaths"):
    size[uuid[1]] = len(dps[1]) if dps[0] == "set" else 1
n = 0
for (g,) in rows("Logical_Flow", "logical_dp_group"):
    n += size[g[1]] if g[0] == "uuid" else 1
print(n)')
awk -v t0="$t0" -v t1="$t1" -v n="$n_lflows" 'BEGIN {
    printf "SB: %d Logical_Flow rows, built in %.1f s\n", n, t1 - t0 }'
echo "SB: $(n_rows Address_Set) Address_Set, $(n_rows Port_Group)" \
     "Port_Group, $(n_rows Datapath_Binding) Datapath_Binding," \
     "$(n_rows Logical_DP_Group) Logical_DP_Group;" \
     "$n_pairs (flow, datapath) pairs"

# --- Debian's ovn-controller. ---
ovn_attach hv1 192.168.0.1 --no-controller >/dev/null 2>&1
case $BIND in
    all) per=$PORTS ;;
    *) per=1 ;;
esac
as hv1 ovs-vsctl set open_vswitch . external_ids:ovn-monitor-all=true
s=0
while [ $s -lt "$SWITCHES" ]; do
    vifs=
    p=0
    while [ $p -lt $per ]; do
        vifs="$vifs -- add-port br-int vif$s-$p -- set interface vif$s-$p"
        vifs="$vifs external_ids:iface-id=ls$s-p$p"
        p=$((p + 1))
    done
    as hv1 ovs-vsctl $vifs
    s=$((s + 1))
done
n_vifs=$((SWITCHES * per))
n_up () {
    ovn-sbctl --bare --columns=up find port_binding up=true |
        grep -c true || true
}
n_flows () {
    as hv1 ovs-ofctl dump-aggregate br-int 2>/dev/null |
        sed -n 's/.*flow_count=\([0-9]*\).*/\1/p'
}

t0=$(now)
ovn_start_controller hv1
pid=$(cat hv1/ovn-controller.pid)
# Poll every half second: the flow count, the controller's CPU ticks.
# Converged: every VIF up and the count unchanged for STABLE seconds; the
# CPU time and the wall time are those of the first poll that saw the
# final count.
deadline=$(($(date +%s) + OVN_WAIT_TIMEOUT))
last=-1 since=$(date +%s) cpu_at=0 t_at=$t0 converged=false
while [ "$(date +%s)" -lt "$deadline" ]; do
    c=$(cpu_ticks "$pid")
    t=$(now)
    n=$(n_flows)
    n=${n:-0}
    if [ "$n" != "$last" ]; then
        last=$n since=$(date +%s) cpu_at=$c t_at=$t
    elif [ $(($(date +%s) - since)) -ge "$STABLE" ] &&
         [ "$n" -gt 0 ] && [ "$(n_up)" -ge "$n_vifs" ]; then
        converged=true
        break
    fi
    sleep 0.5
done
$converged || echo "debian: did not converge within $OVN_WAIT_TIMEOUT s" \
                   "($last flows, $(n_up) VIFs up)" >&2
deb_cpu=$cpu_at
deb_wall=$(awk -v a="$t0" -v b="$t_at" 'BEGIN {printf "%.2f", b - a}')
deb_flows=$last
deb_rss=$(rss "$pid")
vsw_cpu=$(cpu_ticks "$(cat hv1/ovs-vswitchd.pid)")
# Stop the hypervisor: its ovs-vswitchd must not compete with what follows.
for d in ovn-controller ovs-vswitchd ovsdb-server; do
    ovn_stop_daemon hv1 $d
done

# --- Ours: ovn-lflow-check. ---
# Once under time(1): the CPU time and the peak RSS.  Once more under
# perf(1), if it works here, for the share of that time spent compiling
# (in check_all(), after the download): the socket reads are not in
# /proc/PID/io, so sampling cannot tell the two apart.
/usr/bin/time -f '%U %S %M' -o lfc.time "$LFLOW_CHECK" --db="$OVN_SB_DB" \
    --chassis=hv1 --timeout="$OVN_WAIT_TIMEOUT" > lfc.out 2> lfc.err ||
    true
read -r lfc_user lfc_sys lfc_maxrss < lfc.time
summary=$(tail -n 1 lfc.out)
case $summary in
    *" compiled, "*" failed") ;;
    *) echo "ovn-lflow-check failed:" >&2; cat lfc.err >&2 ;;
esac
frac=
if command -v perf >/dev/null &&
   perf record -q -o perf.data -F 49 --call-graph=dwarf,65528 -- \
        "$LFLOW_CHECK" --db="$OVN_SB_DB" --chassis=hv1 \
        --timeout="$OVN_WAIT_TIMEOUT" > /dev/null 2>&1; then
    frac=$(perf report -i perf.data --children --stdio --sort=sym \
               2>/dev/null | awk '$NF == "check_all" {print $1 + 0; exit}')
    # No sample unwound to check_all(): no split.
    case $frac in
        ''|0|0.0*) frac= ;;
    esac
fi
rm -f perf.data

# --- Ours: matches only, with test-ovn bench. ---
mkdir -p dump
ovn-sbctl --bare --columns=match list Logical_Flow | sed '/^$/d' | sort -u \
    > dump/matches
{
    ovn-sbctl --bare --columns=logical_port list Port_Binding
    ovn-sbctl --bare --columns=name list Multicast_Group | sort -u
} | sed '/^$/d' > dump/ports
ovn-sbctl --format=csv --data=bare --no-headings --columns=name,addresses \
    list Address_Set | tr -d '"' | tr ',' ' ' > dump/addr-sets
ovn-sbctl --format=csv --data=bare --no-headings --columns=name,ports \
    list Port_Group | tr -d '"' | tr ',' ' ' |
    awk '{ print } $1 ~ /^[0-9]+_/ {
             name = $1; sub(/^[0-9]+_/, "", name);
             for (i = 2; i <= NF; i++) members[name] = members[name] " " $i }
         END { for (name in members) print name members[name] }' \
    > dump/port-groups
if [ -n "${DUMP:-}" ]; then
    mkdir -p "$DUMP" && cp dump/* "$DUMP" && cp sb/db "$DUMP/sb.db"
fi
/usr/bin/time -f '%U %S %M' -o bench.time "$TEST_OVN" \
    --ports=dump/ports --address-sets=dump/addr-sets \
    --port-groups=dump/port-groups bench dump/matches "$ROUNDS" > bench.out
read -r b_user b_sys b_maxrss < bench.time

# --- Report. ---
awk -v hz="$hz" -v rows="$n_lflows" -v pairs="$n_pairs" \
    -v deb_cpu="$deb_cpu" -v deb_wall="$deb_wall" -v deb_flows="$deb_flows" \
    -v deb_rss="$deb_rss" -v vsw_cpu="$vsw_cpu" -v frac="$frac" \
    -v u="$lfc_user" -v s="$lfc_sys" -v m="$lfc_maxrss" \
    -v summary="$summary" 'BEGIN {
    deb = deb_cpu / hz; all = u + s;
    comp = (frac != "") ? all * frac / 100 : 0;
    rc = (comp > 0) ? rows / comp : 0; ra = (all > 0) ? rows / all : 0;
    xc = (comp > 0) ? deb / comp : 0; xa = (all > 0) ? deb / all : 0;
    printf "\n== debian ovn-controller (23.03), converging on the SB\n";
    printf "cpu-seconds=%.2f (wall %.2f s from start to the final count)\n",
           deb, deb_wall;
    printf "openflow-flows=%d rss: %s\n", deb_flows, deb_rss;
    printf "flows/s=%.0f (Logical_Flow rows per CPU second)\n", rows / deb;
    printf "ovs-vswitchd cpu-seconds=%.2f (installing them, not counted)\n",
           vsw_cpu / hz;
    printf "\n== ours: ovn-lflow-check, match + actions of every flow on " \
           "every datapath\n";
    printf "result: %s\n", summary;
    if (frac != "") {
        printf "cpu-seconds: total=%.2f compile=%.2f (%.1f%% in " \
               "check_all, perf) download=%.2f\n", all, comp, frac,
               all - comp;
    } else {
        printf "cpu-seconds: total=%.2f (no perf: compile not split out)\n",
               all;
    }
    printf "flows/s=%.0f compile only, %.0f with the download " \
           "(%d rows, %d (flow, datapath) pairs)\n", rc, ra, rows, pairs;
    printf "peak-rss-kB=%d\n", m;
    printf "\n== side by side (Logical_Flow rows per CPU second)\n";
    printf "debian %.0f flows/s, ours %.0f (compile) / %.0f (with " \
           "download): %.1fx / %.1fx\n", rows / deb, rc, ra, xc, xa;
}'
echo
echo "== ours: test-ovn bench, distinct matches only ($ROUNDS rounds;" \
     "its rates are per wall second)"
cat bench.out
awk -v u="$b_user" -v s="$b_sys" -v m="$b_maxrss" '
    /^compiled / {n = $2}
    END {printf "cpu-seconds=%.2f matches/cpu-second=%.0f max-rss-kB=%d " \
                "(reading the files included)\n", u + s,
                (u + s > 0) ? n / (u + s) : 0, m}' bench.out
