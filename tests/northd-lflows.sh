#! /bin/sh
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Builds a rich OVN topology with Debian's ovn-northd and dumps what it
# writes to the southbound database, for the expression compiler's tests
# and benchmark.
#
# Usage: northd-lflows.sh SB-SCHEMA OUTDIR
#        northd-lflows.sh --running OUTDIR
#
# The first form starts an ovsdb-server each for NB (Debian's schema) and
# SB (SB-SCHEMA, ours), and ovn-northd, with their files and sockets in
# OUTDIR, and stops them on exit, also on failure.  The second uses the
# databases that $OVN_NB_DB and $OVN_SB_DB name, with an ovn-northd that
# the caller runs (the test suite's OVN_START).
#
# It builds switches, routers with NAT and load balancers, ACLs on port
# groups and address sets, DHCP, DNS, multicast snooping, localnet and
# IPv6 ports; then writes into OUTDIR:
#
#   matches      one logical flow match per line (duplicates removed)
#   actions      one logical flow action string per line
#   addr-sets    "NAME ADDR ADDR ..." per SB Address_Set row
#   port-groups  "NAME PORT PORT ..." per SB Port_Group row, plus each
#                group under its unscoped name with all its members
#   ports        SB Port_Binding and Multicast_Group names, one a line

set -e
if test "$1" = --running; then
    running=true
    dir=$2
else
    running=false
    schema=$1
    dir=$2
    test -n "$schema" || dir=
fi
test -n "$dir" || {
    echo "usage: $0 SB-SCHEMA OUTDIR | --running OUTDIR" >&2
    exit 2
}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

cleanup () {
    for name in northd nb sb; do
        if test -f "$dir/$name.pid"; then
            kill "$(cat "$dir/$name.pid")" 2>/dev/null || true
        fi
    done
}

if $running; then
    nb_db=$OVN_NB_DB
    sb_db=$OVN_SB_DB
else
    trap cleanup EXIT INT TERM
    nb_schema=/usr/share/ovn/ovn-nb.ovsschema
    rm -f "$dir/nb.db" "$dir/sb.db"
    ovsdb-tool create "$dir/nb.db" "$nb_schema"
    ovsdb-tool create "$dir/sb.db" "$schema"
    for name in nb sb; do
        ovsdb-server --detach --no-chdir --pidfile="$dir/$name.pid" \
            --log-file="$dir/$name.log" --remote="punix:$dir/$name.sock" \
            --unixctl="$dir/$name.ctl" "$dir/$name.db"
    done
    ovn-northd --detach --no-chdir --pidfile="$dir/northd.pid" \
        --log-file="$dir/northd.log" --unixctl="$dir/northd.ctl" \
        --ovnnb-db="unix:$dir/nb.sock" --ovnsb-db="unix:$dir/sb.sock"
    nb_db=unix:$dir/nb.sock
    sb_db=unix:$dir/sb.sock
fi

nbctl () {
    ovn-nbctl --no-leader-only --db="$nb_db" "$@"
}
sbctl () {
    ovn-sbctl --no-leader-only --db="$sb_db" "$@"
}

# Two tenant switches behind a distributed router, a gateway router with
# SNAT/DNAT and load balancers, and a public switch with a localnet port.
nbctl ls-add sw0 -- ls-add sw1 -- ls-add public -- ls-add join
nbctl set logical_switch sw0 other_config:mcast_snoop=true \
    other_config:mcast_querier=true other_config:mcast_eth_src=00:00:00:00:05:00 \
    other_config:mcast_ip4_src=10.0.0.254 other_config:mcast_ip6_src=fe80::1
nbctl set logical_switch sw1 other_config:subnet=10.1.0.0/24 \
    other_config:ipv6_prefix=fd01:: other_config:mac_only=false
for i in 1 2 3; do
    nbctl lsp-add sw0 sw0-p$i -- lsp-set-addresses sw0-p$i \
        "50:54:00:00:00:0$i 10.0.0.1$i fd00::1$i"
    nbctl lsp-set-port-security sw0-p$i "50:54:00:00:00:0$i 10.0.0.1$i fd00::1$i"
done
nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 dynamic
nbctl lsp-add sw1 sw1-p2 -- lsp-set-addresses sw1-p2 "50:54:00:00:01:02 10.1.0.12" unknown
nbctl lsp-add sw0 sw0-vip -- lsp-set-type sw0-vip virtual \
    -- set logical_switch_port sw0-vip options:virtual-ip=10.0.0.100 \
       options:virtual-parents=sw0-p1,sw0-p2
nbctl lsp-add sw0 sw0-local -- lsp-set-type sw0-local localport \
    -- lsp-set-addresses sw0-local "50:54:00:00:00:99 10.0.0.99"
nbctl lsp-add public ln-public -- lsp-set-type ln-public localnet \
    -- lsp-set-addresses ln-public unknown \
    -- lsp-set-options ln-public network_name=phys
nbctl lsp-add sw1 sw1-ext -- lsp-set-type sw1-ext external \
    -- lsp-set-addresses sw1-ext "50:54:00:00:01:99 10.1.0.99"

# Distributed router with a gateway port, ECMP routes, IPv6 RA.
nbctl lr-add lr0
nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64
nbctl lrp-add lr0 lr0-sw1 00:00:00:00:ff:02 10.1.0.1/24 fd01::1/64
nbctl lrp-add lr0 lr0-public 00:00:20:20:12:13 172.168.0.100/24 2001:db8::100/64
nbctl lrp-set-gateway-chassis lr0-public hv1 20
nbctl set logical_router_port lr0-sw0 ipv6_ra_configs:address_mode=slaac \
    ipv6_ra_configs:send_periodic=true ipv6_ra_configs:mtu=1400
for p in sw0 sw1 public; do
    nbctl lsp-add $p $p-lr0 -- lsp-set-type $p-lr0 router \
        -- lsp-set-addresses $p-lr0 router \
        -- lsp-set-options $p-lr0 router-port=lr0-$p
done
nbctl lr-route-add lr0 0.0.0.0/0 172.168.0.1
nbctl --ecmp lr-route-add lr0 192.168.100.0/24 10.0.0.11
nbctl --ecmp lr-route-add lr0 192.168.100.0/24 10.0.0.12
nbctl lr-route-add lr0 ::/0 2001:db8::1
nbctl --policy=src-ip lr-route-add lr0 10.1.0.0/24 172.168.0.2
nbctl lr-policy-add lr0 100 "ip4.src == 10.0.0.11 && ip4.dst == 10.1.0.0/24" drop
nbctl lr-policy-add lr0 90 "ip4.src == 10.0.0.12" reroute 10.1.0.12
nbctl lr-nat-add lr0 snat 172.168.0.100 10.0.0.0/24
nbctl lr-nat-add lr0 dnat_and_snat 172.168.0.110 10.0.0.11 sw0-p1 30:54:00:00:00:03
nbctl lr-nat-add lr0 dnat_and_snat 2001:db8::110 fd00::12
nbctl set logical_router lr0 options:mcast_relay=true

# Gateway router with its own NAT and load balancers.
nbctl lr-add gw -- set logical_router gw options:chassis=hv1 \
    options:lb_force_snat_ip=router_ip options:dynamic_neigh_routers=true
nbctl lrp-add gw gw-join 00:00:00:00:ee:01 100.64.0.1/16
nbctl lsp-add join join-gw -- lsp-set-type join-gw router \
    -- lsp-set-addresses join-gw router -- lsp-set-options join-gw router-port=gw-join
nbctl lr-nat-add gw snat 100.64.0.1 10.1.0.0/24
nbctl lr-nat-add gw dnat 100.64.0.50 10.1.0.12

nbctl lb-add lb0 10.0.0.200:80 10.0.0.11:8080,10.0.0.12:8080 tcp
nbctl lb-add lb1 172.168.0.200 10.0.0.13
nbctl lb-add lb6 "[fd00::200]:443" "[fd00::11]:8443,[fd00::12]:8443" tcp
nbctl lb-add lbs 10.0.0.201:7000 10.0.0.11:7000 sctp
nbctl set load_balancer lb0 options:hairpin_snat_ip=10.0.0.250 \
    selection_fields=ip_src,ip_dst options:affinity_timeout=60
nbctl set load_balancer lbs options:reject=true
nbctl ls-lb-add sw0 lb0 -- ls-lb-add sw0 lb6 -- ls-lb-add sw1 lbs
nbctl lr-lb-add lr0 lb0 -- lr-lb-add lr0 lb1 -- lr-lb-add gw lb1

# Port groups, address sets and ACLs (stateful and stateless, with logs,
# meters and tiers of directions).
nbctl pg-add pg_web sw0-p1 sw0-p2 sw1-p2
nbctl pg-add pg_db sw0-p3
nbctl create address_set name=as_mgmt \
    addresses='"192.168.10.0/24","192.168.20.5","10.9.9.9"' >/dev/null
nbctl create address_set name=as_v6 addresses='"fd10::/64","fd20::5"' >/dev/null
nbctl acl-add pg_web to-lport 1002 'outport == @pg_web && ip4.src == $as_mgmt && tcp.dst == {22, 80, 443}' allow-related
nbctl acl-add pg_web from-lport 1001 'inport == @pg_web && ip4 && ip4.dst != $as_mgmt' allow
nbctl acl-add pg_db to-lport 1000 'outport == @pg_db && ip4.src == $pg_web_ip4 && tcp.dst >= 3300 && tcp.dst <= 3310' allow-related
nbctl acl-add pg_db to-lport 900 'outport == @pg_db && ip6.src == $pg_web_ip6' allow-stateless
nbctl --log --severity=alert --name=dropper acl-add pg_db to-lport 800 'outport == @pg_db && ip' drop
nbctl acl-add sw1 from-lport 500 'ip4.src == {10.1.0.50, 10.1.0.51} && udp.dst == 53' reject
nbctl acl-add sw1 to-lport 400 'ip6 && icmp6' allow
nbctl acl-add sw1 from-lport 300 'arp' allow-stateless

# DHCPv4, DHCPv6 and DNS.
dhcp=$(nbctl create dhcp_options cidr=10.0.0.0/24 \
    options='"lease_time"="3600" "router"="10.0.0.1" "server_id"="10.0.0.1" "server_mac"="00:00:00:00:ff:01" "dns_server"="{8.8.8.8}"')
nbctl lsp-set-dhcpv4-options sw0-p1 "$dhcp" -- lsp-set-dhcpv4-options sw0-p2 "$dhcp"
dhcp6=$(nbctl create dhcp_options cidr='"fd00::/64"' \
    options='"server_id"="00:00:00:00:ff:01"')
nbctl lsp-set-dhcpv6-options sw0-p1 "$dhcp6"
dns=$(nbctl create dns records='{"vm1.ovn.org"="10.0.0.11 fd00::11"}')
nbctl add logical_switch sw0 dns_records "$dns"

# Forwarding groups, QoS, a HA chassis group and port mirroring style
# options that add more flow kinds.
nbctl qos-add sw0 from-lport 100 'ip4.src == 10.0.0.11' rate=1000 burst=100
nbctl qos-add sw0 to-lport 110 'ip4.dst == 10.0.0.12' dscp=10
nbctl fwd-group-add fg0 sw1 10.1.0.254 00:00:00:00:fe:01 sw1-p2
nbctl lsp-add sw0 sw0-p4 -- lsp-set-addresses sw0-p4 "50:54:00:00:00:04 10.0.0.14" \
    -- lsp-set-options sw0-p4 requested-chassis=hv1

# Stateless NAT, a health-checked load balancer, ACL labels and a meter,
# a gateway router port with an IPv6 prefix delegation, port security with
# only a MAC, and a logical switch port of type "vtep".
nbctl --stateless lr-nat-add lr0 dnat_and_snat 172.168.0.120 10.0.0.13
nbctl lb-add lbhc 10.0.0.210:8080 10.0.0.11:80,10.0.0.12:80 tcp
nbctl set load_balancer lbhc \
    ip_port_mappings:10.0.0.11=sw0-p1:10.0.0.254 \
    ip_port_mappings:10.0.0.12=sw0-p2:10.0.0.254
hc=$(nbctl --id=@hc create load_balancer_health_check vip="10.0.0.210\:8080" \
    -- add load_balancer lbhc health_check @hc)
nbctl ls-lb-add sw1 lbhc
nbctl meter-add acl-meter drop 10 pktps
nbctl --log --meter=acl-meter --label=1234 acl-add sw0 from-lport 700 \
    'ip4.dst == 10.0.0.0/24 && udp.dst >= 1000 && udp.dst <= 2000' allow-related
nbctl acl-add sw0 to-lport 600 'tcp.flags == 0x2 && ip6' drop
nbctl set logical_router_port lr0-public options:prefix_delegation=true \
    options:prefix=true
nbctl lsp-add sw1 sw1-mac -- lsp-set-addresses sw1-mac "50:54:00:00:01:55" \
    -- lsp-set-port-security sw1-mac "50:54:00:00:01:55"
nbctl lsp-add public vtep0 -- lsp-set-type vtep0 vtep \
    -- lsp-set-options vtep0 vtep-physical-switch=ps0 vtep-logical-switch=ls0

# Let northd catch up, then dump.
nbctl --wait=sb sync
sbctl --bare --columns=match list Logical_Flow | sed '/^$/d' | sort -u \
    > "$dir/matches"
sbctl --bare --columns=actions list Logical_Flow | sed '/^$/d' | sort -u \
    > "$dir/actions"
sbctl --bare --columns=logical_port list Port_Binding | sed '/^$/d' \
    > "$dir/ports"
sbctl --format=csv --data=bare --no-headings --columns=name,addresses \
    list Address_Set | tr -d '"' | tr ',' ' ' > "$dir/addr-sets"
sbctl --format=csv --data=bare --no-headings --columns=name,ports \
    list Port_Group | tr -d '"' | tr ',' ' ' > "$dir/port-groups.scoped"
# The matches above are not tied to their datapaths, so also give each
# group its unscoped name ("4_pg1" -> "pg1") with the members of every
# datapath's part.
awk '{ print } $1 ~ /^[0-9]+_/ {
         name = $1; sub(/^[0-9]+_/, "", name);
         for (i = 2; i <= NF; i++) members[name] = members[name] " " $i }
     END { for (name in members) print name members[name] }' \
    "$dir/port-groups.scoped" > "$dir/port-groups"
sbctl --bare --columns=name list Multicast_Group | sed '/^$/d' | sort -u \
    >> "$dir/ports"
