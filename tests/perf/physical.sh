#! /bin/sh
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Benchmark of the physical pipeline's remote output: prints figures,
# asserts nothing.
#
# Usage: tests/perf/physical.sh [BUILDDIR] [C] [N] [P] [MODES] [CONTROLLERS]
#
# Builds, for each mode of MODES (default "port-based planes flow-based")
# and each controller of CONTROLLERS (default "ours"; "debian" adds
# /usr/bin/ovn-controller on the same databases, port-based only, as a
# baseline), a deployment: NB, SB and Debian's ovn-northd; C fake remote
# chassis (default 50), written straight into the SB with N encap IPs each
# (default 4); S = P / 100 logical switches (at least 1) holding P remote
# ports (default 2000) bound to those chassis round-robin, and one VIF per
# switch on the one real hypervisor hv1, which has N local encap IPs.  Then
# it starts hv1's controller and measures:
#
#   converge   from the controller's start until ovn-nbctl --wait=hv sync
#              returns (our nb_cfg waits for the flows to be installed)
#              and table 80 is complete: wall seconds, controller CPU
#              seconds, peak RSS
#   counts     tunnel ports; remote-output flows: in table 39 those of
#              remote ports (output port key below 32768) and in table 80;
#              the figure upstream OVN 24.03 would need for the same remote
#              output (E x P, one flow per remote port per local encap);
#              the multicast groups' flows in table 39; all flows on br-int
#   +port      one more remote port bound: wall seconds until its table 39
#              flow is installed, controller CPU seconds
#   +chassis   one more remote chassis: wall seconds until its table 80
#              flows are installed, controller CPU seconds
#
# The consistency check is off.  OVN_WAIT_TIMEOUT (default 600) bounds
# each wait.

set -e
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=$(cd "${1:-.}" && pwd)
C=${2:-50}
N=${3:-4}
P=${4:-2000}
MODES=${5:-"port-based planes flow-based"}
CONTROLLERS=${6:-ours}
S=$((P / 100))
test "$S" -ge 1 || S=1

. "$srcdir/tests/perf/perf-lib.sh"
perf_require "$builddir/controller/ovn-controller"
perf_use_ovn "$builddir/controller/ovn-controller"

# local_ips MODE: the N local encap IPs (a plane per NIC in "planes").
local_ips () {
    awk -v N="$N" -v mode="$1" 'BEGIN {
        for (j = 1; j <= N; j++) {
            printf "%s10.%d.255.1%s", (j > 1 ? "," : ""), j,
                   (mode == "planes" && j > 1 ? ":p" j : "");
        }
        printf "\n";
    }'
}

# chassis_script MODE FIRST COUNT: creates COUNT fake chassis from number
# FIRST, N encaps each, in one ovn-sbctl transaction.
chassis_script () {
    awk -v first="$2" -v count="$3" -v N="$N" -v mode="$1" 'BEGIN {
        printf "ovn-sbctl";
        for (c = first; c < first + count; c++) {
            refs = "";
            for (j = 1; j <= N; j++) {
                id = "e" c "x" j;
                printf " -- --id=@%s create encap type=geneve", id;
                printf " ip=\\\"10.%d.%d.%d\\\"", j, int(c / 250),
                       c % 250 + 2;
                printf " chassis_name=remote%d options:csum=true", c;
                if (j == 1) {
                    printf " options:is_default=true";
                }
                if (mode == "planes" && j > 1) {
                    printf " options:plane=p%d", j;
                }
                refs = refs ((j > 1) ? "," : "") "@" id;
            }
            printf " -- create chassis name=remote%d encaps=%s", c, refs;
        }
        printf " >/dev/null\n";
    }'
}

# nb_script: S switches, P remote ports and one VIF port per switch.
nb_script () {
    awk -v S="$S" -v P="$P" 'BEGIN {
        printf "ovn-nbctl";
        for (s = 0; s < S; s++) {
            printf " -- ls-add ls%d -- lsp-add ls%d vif%d", s, s, s;
        }
        for (p = 0; p < P; p++) {
            printf " -- lsp-add ls%d rp%d", p % S, p;
        }
        printf " >/dev/null\n";
    }'
}

# bind_script: binds remote port p to chassis p mod C.
bind_script () {
    awk -v P="$P" -v C="$C" 'BEGIN {
        printf "ovn-sbctl";
        for (p = 0; p < P; p++) {
            printf " -- lsp-bind rp%d remote%d", p, p % C;
        }
        printf " >/dev/null\n";
    }'
}

# flows TABLE [PATTERN]: installed flows in TABLE (all if empty) matching
# PATTERN.
flows () {
    as hv1 ovs-ofctl -O OpenFlow15 dump-flows br-int ${1:+table=$1} |
        grep -c -e "${2:-actions}" || true
}

# want_80 MODE: table 80 flows a complete mesh needs.
want_80 () {
    case $1 in
        flow-based) echo "$N" ;;
        *) echo $((C * N * N)) ;;
    esac
}

run () {
    mode=$1 who=$2
    perf_enter "$work/$mode-$who"
    ovn_start >/dev/null 2>&1
    ovn_attach hv1 "$(local_ips "$mode")" --plen=16 --no-controller \
        >/dev/null 2>&1
    if test "$mode" = flow-based; then
        as hv1 ovs-vsctl set open . \
            external_ids:ovn-enable-flow-based-tunnels=true
    fi
    chassis_script "$mode" 0 "$C" > chassis.sh
    sh chassis.sh
    nb_script > nb.sh
    sh nb.sh
    ovn-nbctl --wait=sb sync
    bind_script > bind.sh
    sh bind.sh
    s=0
    while test $s -lt "$S"; do
        ovn_add_vif hv1 vif$s vif$s
        s=$((s + 1))
    done

    if test "$who" = debian; then
        OVN_CONTROLLER=/usr/bin/ovn-controller
    else
        OVN_CONTROLLER=$builddir/controller/ovn-controller
    fi
    t0=$(now)
    ovn_start_controller hv1
    # --wait=hv counts only registered chassis: wait for ours first.
    ovn_wait_until "ovn-sbctl --bare --columns=name list chassis_private |
                    grep -qx hv1"
    ovn_wait_until "ovn-nbctl --timeout=10 --wait=hv sync" ||
        echo "$mode $who: --wait=hv timed out" >&2
    if test "$who" = ours; then
        want=$(want_80 "$mode")
        ovn_wait_until "test \$(flows 80) -ge $want" ||
            echo "$mode $who: table 80 incomplete" >&2
    fi
    t1=$(now)
    ctl=$(cpu_ticks hv1/ovn-controller.pid)
    mem=$(rss hv1/ovn-controller.pid)
    tunnels=$(as hv1 ovs-vsctl --bare --columns=name find interface \
                  type=geneve | grep -c . || true)
    f39=$(as hv1 ovs-ofctl -O OpenFlow15 dump-flows br-int table=39 |
              grep -e 'tun_dst\|tun_ipv6_dst\|output:' |
              grep -c -v 'reg15=0x[89a-f][0-9a-f][0-9a-f][0-9a-f],' || true)
    fmc=$(as hv1 ovs-ofctl -O OpenFlow15 dump-flows br-int table=39 |
              grep -c 'reg15=0x[89a-f][0-9a-f][0-9a-f][0-9a-f],' || true)
    f80=$(flows 80)
    total=$(flows)
    awk -v m="$mode" -v w="$who" -v t0="$t0" -v t1="$t1" -v hz="$hz" \
        -v ctl="$ctl" -v mem="$mem" -v tun="$tunnels" -v f39="$f39" \
        -v f80="$f80" -v total="$total" -v up=$((N * P)) \
        -v fmc="$fmc" 'BEGIN {
        printf "%-10s %-6s converge: %.2f s wall, %.2f s controller CPU, " \
               "%s\n", m, w, t1 - t0, ctl / hz, mem;
        printf "%-10s %-6s counts: tunnels=%d table39=%d table80=%d " \
               "remote-output=%d (upstream E x P = %d) multicast=%d " \
               "flows=%d\n", m, w, tun, f39, f80, f39 + f80, up, fmc,
               total;
    }'

    # One more remote port.
    ctl0=$(cpu_ticks hv1/ovn-controller.pid)
    t0=$(now)
    ovn-nbctl lsp-add ls0 rpx
    ovn_wait_until "ovn-sbctl --bare --columns=tunnel_key find \
                    port_binding logical_port=rpx | grep -q ."
    key=$(ovn-sbctl --bare --columns=tunnel_key find port_binding \
              logical_port=rpx)
    ovn-sbctl lsp-bind rpx remote1
    ovn_wait_until "test \$(flows 39 \"reg15=$(printf 0x%x "$key"),\") \
                    -ge 1"
    t1=$(now)
    ctl1=$(cpu_ticks hv1/ovn-controller.pid)
    awk -v m="$mode" -v w="$who" -v d="$(echo "$t1 - $t0" | bc)" \
        -v c=$((ctl1 - ctl0)) -v hz="$hz" 'BEGIN {
        printf "%-10s %-6s +port: %.3f s wall, %.3f s controller CPU\n",
               m, w, d, c / hz; }'

    # One more remote chassis.
    before=$(flows 80)
    ctl0=$(cpu_ticks hv1/ovn-controller.pid)
    t0=$(now)
    chassis_script "$mode" "$C" 1 > more.sh
    sh more.sh
    if test "$who" = ours && test "$mode" != flow-based; then
        add=$((N * N))
        test "$mode" = planes && add=$((N * N))
        ovn_wait_until "test \$(flows 80) -ge $((before + add))"
    elif test "$who" = ours; then
        ovn_wait_until "as hv1 ovs-appctl -t ovn-controller encap/show |
                        grep -q 'remote$C: '"
    else
        ovn_wait_until "as hv1 ovs-vsctl --bare --columns=external_ids \
                        find port | grep -q remote$C"
    fi
    t1=$(now)
    ctl1=$(cpu_ticks hv1/ovn-controller.pid)
    awk -v m="$mode" -v w="$who" -v d="$(echo "$t1 - $t0" | bc)" \
        -v c=$((ctl1 - ctl0)) -v hz="$hz" 'BEGIN {
        printf "%-10s %-6s +chassis: %.3f s wall, %.3f s controller CPU\n",
               m, w, d, c / hz; }'

    ovn_stop_all >/dev/null 2>&1
    cd "$work"
    ovn_base=
}

echo "C=$C N=$N P=$P S=$S"
for mode in $MODES; do
    for who in $CONTROLLERS; do
        if test "$who" = debian && test "$mode" != port-based; then
            continue
        fi
        run "$mode" "$who"
    done
done
