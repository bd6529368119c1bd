# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# The chassis daemon.

bin_PROGRAMS += controller/ovn-controller

controller_ovn_controller_SOURCES = \
	controller/ovn-controller.c \
	controller/chassis-config.c \
	controller/chassis-config.h \
	controller/chassis-sync.c \
	controller/chassis-sync.h \
	controller/en-chassis.c \
	controller/en-chassis.h \
	controller/en-ctx.h \
	controller/en-graph.c \
	controller/en-graph.h \
	controller/en-integration-bridge.c \
	controller/en-integration-bridge.h \
	controller/en-nb-cfg.c \
	controller/en-nb-cfg.h \
	controller/en-ovs-config.c \
	controller/en-ovs-config.h \
	controller/en-ovsdb.c \
	controller/en-ovsdb.h \
	controller/daemon-ctl.c \
	controller/daemon-ctl.h \
	controller/engine-ctl.c \
	controller/inject-pkt.c \
	controller/inject-pkt.h \
	controller/engine-ctl.h \
	controller/idl-watch.c \
	controller/idl-watch.h \
	controller/integration-bridge.c \
	controller/integration-bridge.h \
	controller/sb-conn.c \
	controller/sb-conn.h \
	controller/ssl-config.c \
	controller/ssl-config.h \
	controller/binding.c \
	controller/binding.h \
	controller/ct-zones.c \
	controller/ct-zones.h \
	controller/local-datapaths.c \
	controller/local-datapaths.h \
	controller/vif-index.c \
	controller/vif-index.h \
	controller/en-runtime-data.c \
	controller/en-runtime-data.h \
	controller/binding-show.c \
	controller/binding-show.h \
	controller/sb-monitor.c \
	controller/sb-monitor.h \
	controller/en-ct-zones.c \
	controller/en-ct-zones.h \
	controller/en-binding-sync.c \
	controller/en-binding-sync.h \
	controller/tunnel-mesh.c \
	controller/tunnel-mesh.h \
	controller/tunnel-sync.c \
	controller/tunnel-sync.h \
	controller/owned-ports.c \
	controller/owned-ports.h \
	controller/en-tunnels.c \
	controller/en-tunnels.h \
	controller/physical.c \
	controller/physical.h \
	controller/physical-port.c \
	controller/physical-private.h \
	controller/en-ofctrl.c \
	controller/en-ofctrl.h \
	controller/en-pflow.c \
	controller/en-pflow.h \
	controller/en-tunnel-ofports.c \
	controller/en-tunnel-ofports.h \
	controller/en-tunnel-sync.c \
	controller/en-tunnel-sync.h \
	controller/patch-sync.c \
	controller/patch-sync.h \
	controller/en-patch-sync.c \
	controller/en-patch-sync.h \
	controller/en-bfd-status.c \
	controller/en-bfd-status.h \
	controller/ha.c \
	controller/ha.h \
	controller/en-ha.c \
	controller/en-ha.h \
	controller/idl-columns.c \
	controller/idl-columns.h \
	controller/encap-show.c \
	controller/encap-show.h \
	controller/flow-table.c \
	controller/flow-table.h \
	controller/ofctrl.c \
	controller/ofctrl.h \
	controller/ofctrl-sync.c \
	controller/ofctrl-sync.h \
	controller/chassis-flow.c \
	controller/chassis-flow.h \
	controller/mac-binding-flows.c \
	controller/mac-binding-flows.h \
	controller/en-mac-binding.c \
	controller/en-mac-binding.h \
	controller/fdb-flows.c \
	controller/fdb-flows.h \
	controller/en-fdb.c \
	controller/en-fdb.h \
	controller/lb-hairpin.c \
	controller/lb-hairpin.h \
	controller/en-lb-hairpin.c \
	controller/en-lb-hairpin.h \
	controller/port-sec.c \
	controller/port-sec.h \
	controller/en-port-sec.c \
	controller/en-port-sec.h
controller_ovn_controller_LDADD = lib/libovnmc.la $(OVS_LIBS) \
	$(MICROHTTPD_LIBS)

# The metrics (metrics/show, --metrics-address).  The list of OVS coverage
# counters needs coverage_counter_register() wrapped at link time (see
# controller/coverage-list.h).
controller_ovn_controller_SOURCES += \
	controller/coverage-list.c \
	controller/coverage-list.h \
	controller/metrics.c \
	controller/metrics.h \
	controller/metrics-http.c \
	controller/metrics-http.h
controller_ovn_controller_LDFLAGS = $(AM_LDFLAGS) \
	-Wl,--wrap=coverage_counter_register

# The logical flows' flows (node "lflow_output").
controller_ovn_controller_SOURCES += \
	controller/en-lflow.c \
	controller/en-lflow.h \
	controller/lflow.c \
	controller/lflow.h \
	controller/lflow-changes.c \
	controller/lflow-index.c \
	controller/lflow-index.h \
	controller/lflow-private.h \
	controller/lflow-sets.c \
	controller/lflow-sets.h \
	controller/lflow-show.c \
	controller/lflow-show.h

# Packet-in handling (controller/pinctrl/pinctrl.h).  The handlers are
# pure functions of a packet-in (pin.h): tests/test-pinctrl and the fuzz
# targets link them too.
PINCTRL_HANDLER_SOURCES = \
	controller/pinctrl/acl-log.c \
	controller/pinctrl/arp.c \
	controller/pinctrl/dhcp.c \
	controller/pinctrl/dhcp6.c \
	controller/pinctrl/dns.c \
	controller/pinctrl/event.c \
	controller/pinctrl/dhcp6-pd.c \
	controller/pinctrl/dhcp6-pd.h \
	controller/pinctrl/garp.c \
	controller/pinctrl/garp.h \
	controller/pinctrl/held.c \
	controller/pinctrl/held.h \
	controller/pinctrl/icmp.c \
	controller/pinctrl/igmp.c \
	controller/pinctrl/learn.c \
	controller/pinctrl/mb-refresh.c \
	controller/pinctrl/mb-refresh.h \
	controller/pinctrl/mcast.c \
	controller/pinctrl/mcast.h \
	controller/pinctrl/nd.c \
	controller/pinctrl/pin.c \
	controller/pinctrl/pin.h \
	controller/pinctrl/pkt.c \
	controller/pinctrl/pkt.h \
	controller/pinctrl/querier.c \
	controller/pinctrl/querier.h \
	controller/pinctrl/ra.c \
	controller/pinctrl/ra.h \
	controller/pinctrl/snapshot.c \
	controller/pinctrl/snapshot.h \
	controller/pinctrl/svc-monitor.c \
	controller/pinctrl/svc-monitor.h \
	controller/pinctrl/writes.c \
	controller/pinctrl/writes.h
controller_ovn_controller_SOURCES += \
	$(PINCTRL_HANDLER_SOURCES) \
	controller/en-pinctrl-meters.c \
	controller/en-pinctrl-meters.h \
	controller/pinctrl/pinctrl.c \
	controller/pinctrl/sb.c \
	controller/pinctrl/pinctrl.h
man_MANS += controller/ovn-controller.8
EXTRA_DIST += controller/ovn-controller.8
