# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# The autotest suite and its unit drivers.
#
# Each topic adds its .at file to TESTSUITE_AT (and an m4_include line to
# tests/testsuite.at), and its unit driver to noinst_PROGRAMS below.  The
# suite is generated in the build directory, so several build directories
# can share one source tree.

TESTSUITE_AT = \
	tests/testsuite.at \
	tests/ovn-macros.at

EXTRA_DIST += $(TESTSUITE_AT) tests/atlocal.in
TESTSUITE = tests/testsuite
AUTOTEST = $(AUTOM4TE) -l autotest
AUTOM4TE = autom4te
CLEANFILES += tests/package.m4 $(TESTSUITE)

tests/package.m4: $(top_srcdir)/configure.ac
	$(AM_V_GEN){ \
	  echo '# Signature of the current package.'; \
	  echo 'm4_define([AT_PACKAGE_NAME],      [$(PACKAGE_NAME)])'; \
	  echo 'm4_define([AT_PACKAGE_TARNAME],   [$(PACKAGE_TARNAME)])'; \
	  echo 'm4_define([AT_PACKAGE_VERSION],   [$(PACKAGE_VERSION)])'; \
	  echo 'm4_define([AT_PACKAGE_STRING],    [$(PACKAGE_STRING)])'; \
	  echo 'm4_define([AT_PACKAGE_BUGREPORT], [$(PACKAGE_BUGREPORT)])'; \
	} > $@.tmp && mv $@.tmp $@

$(TESTSUITE): $(TESTSUITE_AT:%=$(srcdir)/%) tests/package.m4
	$(AM_V_GEN)$(AUTOTEST) -I $(srcdir) -I $(srcdir)/tests -I tests \
		-o $@.tmp $(srcdir)/tests/testsuite.at && mv $@.tmp $@

# Unit drivers, one per module under test.
noinst_PROGRAMS +=

# The engine (lib/engine.c).
TESTSUITE_AT += tests/engine.at
noinst_PROGRAMS += tests/test-engine
tests_test_engine_SOURCES = tests/test-engine.c
tests_test_engine_LDADD = lib/libovnmc.la $(OVS_LIBS)

# Port binding: ct zones, local datapaths, binding decisions.
TESTSUITE_AT += tests/binding-unit.at
noinst_PROGRAMS += tests/test-binding
tests_test_binding_SOURCES = \
	tests/test-binding.c \
	controller/binding.c \
	controller/ct-zones.c \
	controller/local-datapaths.c
tests_test_binding_LDADD = lib/libovnmc.la $(OVS_LIBS)

# Port binding in the daemon, with real servers; its benchmark.
TESTSUITE_AT += tests/binding.at
EXTRA_DIST += tests/perf/binding.sh tests/perf/perf-lib.sh

# Chassis configuration parser and chassis registration.
TESTSUITE_AT += tests/chassis-config.at tests/chassis.at
noinst_PROGRAMS += tests/test-chassis-config
tests_test_chassis_config_SOURCES = \
	tests/test-chassis-config.c \
	controller/chassis-config.c
tests_test_chassis_config_LDADD = lib/libovnmc.la $(OVS_LIBS)

# Tunnel mesh between chassis (controller/tunnel-mesh.c).
TESTSUITE_AT += tests/tunnel-mesh.at
noinst_PROGRAMS += tests/test-tunnel-mesh
tests_test_tunnel_mesh_SOURCES = \
	tests/test-tunnel-mesh.c \
	controller/tunnel-mesh.c \
	controller/chassis-config.c
tests_test_tunnel_mesh_LDADD = lib/libovnmc.la $(OVS_LIBS)
TESTSUITE_AT += tests/tunnels.at
EXTRA_DIST += tests/perf/tunnel-mesh.sh

# The documentation checks (Documentation/architecture.rst's citations).
TESTSUITE_AT += tests/docs.at
EXTRA_DIST += tests/check-docs.py tests/check-manpage.py

# The harness (tests/ovn-functions.sh, used by tests/ovn-macros.at and by
# utilities/ovnmc-sandbox), its tests, and the SB schema check.
TESTSUITE_AT += tests/harness.at tests/schema.at
EXTRA_DIST += tests/ovn-functions.sh tests/check-schema.py \
	tests/harness-fail.at

# Logical flow expressions (lib/lex.c, lib/symtab.c, lib/expr*.c).
TESTSUITE_AT += tests/lex.at tests/expr.at
noinst_PROGRAMS += tests/test-ovn
tests_test_ovn_SOURCES = tests/test-ovn.c
tests_test_ovn_LDADD = lib/libovnmc.la $(OVS_LIBS)
EXTRA_DIST += tests/northd-lflows.sh tests/perf/expr-bench.sh
EXTRA_DIST += tests/perf/lflow-bench.sh

# Desired flow tables (controller/flow-table.c).
TESTSUITE_AT += tests/flow-table.at
noinst_PROGRAMS += tests/test-flow-table
tests_test_flow_table_SOURCES = \
	tests/test-flow-table.c \
	tests/test-util.c \
	tests/test-util.h \
	controller/flow-table.c
tests_test_flow_table_LDADD = lib/libovnmc.la $(OVS_LIBS)

# The metrics (controller/metrics*.c): metrics/show, the HTTP listener.
TESTSUITE_AT += tests/metrics.at
EXTRA_DIST += tests/metrics-check.py
noinst_PROGRAMS += tests/test-metrics
tests_test_metrics_SOURCES = \
	tests/test-metrics.c \
	controller/metrics.c \
	controller/chassis-config.c \
	controller/flow-table.c \
	controller/idl-columns.c \
	controller/ofctrl.c \
	controller/ofctrl-sync.c \
	controller/tunnel-mesh.c
tests_test_metrics_LDADD = lib/libovnmc.la $(OVS_LIBS)

# ofctrl (controller/ofctrl*.c) against a real ovs-vswitchd, through the
# test daemon tests/test-ofctrl; its benchmark.
TESTSUITE_AT += tests/ofctrl.at
noinst_PROGRAMS += tests/test-ofctrl
tests_test_ofctrl_SOURCES = \
	tests/test-ofctrl.c \
	tests/test-util.c \
	tests/test-util.h \
	controller/flow-table.c \
	controller/ofctrl.c \
	controller/ofctrl-sync.c
tests_test_ofctrl_LDADD = lib/libovnmc.la $(OVS_LIBS)
EXTRA_DIST += tests/perf/ofctrl.sh

check-local: tests/atconfig tests/atlocal $(TESTSUITE) $(noinst_PROGRAMS)
	$(SHELL) '$(TESTSUITE)' -C tests \
		AUTOTEST_PATH='$(abs_builddir)/controller:$(abs_builddir)/tests:$(abs_builddir)/utilities' \
		$(TESTSUITEFLAGS)

clean-local:
	test ! -f '$(TESTSUITE)' || $(SHELL) '$(TESTSUITE)' -C tests --clean

# Logical flow actions, controller-op codec, id tables.
TESTSUITE_AT += tests/actions.at
noinst_PROGRAMS += tests/test-actions
tests_test_actions_SOURCES = tests/test-actions.c
tests_test_actions_LDADD = lib/libovnmc.la $(OVS_LIBS)

# One logical flow on datapaths -> OpenFlow (lib/lflow-compile.c).
TESTSUITE_AT += tests/lflow-compile.at
noinst_PROGRAMS += tests/test-lflow-compile
tests_test_lflow_compile_SOURCES = tests/test-lflow-compile.c
tests_test_lflow_compile_LDADD = lib/libovnmc.la $(OVS_LIBS)

# The chassis lookup tables (controller/en-mac-binding.c, en-fdb.c,
# en-lb-hairpin.c, en-port-sec.c and their modules), with real servers.
TESTSUITE_AT += tests/lflow-tables.at
EXTRA_DIST += tests/lflow-tables-norm.py
TESTSUITE_AT += tests/lookup-flows.at
noinst_PROGRAMS += tests/test-lookup-flows
tests_test_lookup_flows_SOURCES = \
	tests/test-lookup-flows.c \
	controller/chassis-flow.c \
	controller/fdb-flows.c \
	controller/flow-table.c \
	controller/lb-hairpin.c \
	controller/mac-binding-flows.c \
	controller/port-sec.c
tests_test_lookup_flows_LDADD = lib/libovnmc.la $(OVS_LIBS)

# The logical flow check tool (utilities/ovn-lflow-check.c).
TESTSUITE_AT += tests/lflow-check.at

# The logical flows in the datapath (node lflow_output).
TESTSUITE_AT += tests/lflow.at
TESTSUITE_AT += tests/lflow-lb.at
EXTRA_DIST += tests/lflow-frame.py tests/perf/lflow-e2e.sh

# Fuzz targets (tests/fuzz): plain drivers that replay the seed corpora;
# tests/fuzz/build.sh builds the libFuzzer versions with clang.
TESTSUITE_AT += tests/fuzz/fuzz.at
noinst_PROGRAMS += tests/fuzz/fuzz-actions tests/fuzz/fuzz-expr
tests_fuzz_fuzz_actions_SOURCES = tests/fuzz/fuzz-actions.c \
	tests/fuzz/fuzz-main.c tests/fuzz/fuzz-util.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_actions_LDADD = lib/libovnmc.la $(OVS_LIBS)
tests_fuzz_fuzz_expr_SOURCES = tests/fuzz/fuzz-expr.c \
	tests/fuzz/fuzz-main.c tests/fuzz/fuzz-util.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_expr_LDADD = lib/libovnmc.la $(OVS_LIBS)
EXTRA_DIST += tests/fuzz/build.sh tests/fuzz/corpus-actions \
	tests/fuzz/corpus-expr

# SSL settings and RBAC (controller/ssl-config.c, controller/sb-conn.c).
TESTSUITE_AT += tests/ssl.at

# The physical pipeline in the daemon, with real servers.
TESTSUITE_AT += tests/physical.at
EXTRA_DIST += tests/pflow-dump.py tests/perf/physical.sh
TESTSUITE_AT += tests/multinic.at

# Provider networks, gateways, HA and NIC failover.
TESTSUITE_AT += tests/provider.at
TESTSUITE_AT += tests/failover.at
TESTSUITE_AT += tests/gateway.at
TESTSUITE_AT += tests/ha.at

# HA decisions (controller/ha.c).
TESTSUITE_AT += tests/ha-unit.at
noinst_PROGRAMS += tests/test-ha
tests_test_ha_SOURCES = \
	tests/test-ha.c \
	controller/ha.c
tests_test_ha_LDADD = lib/libovnmc.la $(OVS_LIBS)
EXTRA_DIST += tests/gateway-tool.py
EXTRA_DIST += tests/failover-tool.py tests/perf/failover.sh
# The chassis feature flags (controller/chassis-sync.c).
TESTSUITE_AT += tests/features.at

# Packet-in handling (controller/pinctrl/).
TESTSUITE_AT += tests/pinctrl.at tests/pinctrl-dhcp.at tests/pinctrl-mcast.at \
	tests/pinctrl-svc.at tests/pinctrl-learn.at tests/pinctrl-garp.at \
	tests/pinctrl-flood.at tests/pinctrl-pd.at
EXTRA_DIST += tests/pinctrl-pkt.py tests/pinctrl-inject.py \
	tests/perf/pinctrl-latency.sh tests/perf/pinctrl-rate.sh
noinst_PROGRAMS += tests/test-pinctrl
tests_test_pinctrl_SOURCES = tests/test-pinctrl.c \
	tests/fuzz/fuzz-pinctrl.c tests/fuzz/fuzz-pinctrl.h \
	tests/fuzz/fuzz-util.c tests/fuzz/fuzz.h $(PINCTRL_HANDLER_SOURCES)
tests_test_pinctrl_LDADD = lib/libovnmc.la $(OVS_LIBS)
TESTSUITE_AT += tests/pinctrl-unit.at
noinst_PROGRAMS += tests/fuzz/fuzz-pinctrl-userdata \
	tests/fuzz/fuzz-pinctrl-dhcp tests/fuzz/fuzz-pinctrl-dhcp6 \
	tests/fuzz/fuzz-pinctrl-dns tests/fuzz/fuzz-pinctrl-frame
FUZZ_PINCTRL_SOURCES = tests/fuzz/fuzz-main.c tests/fuzz/fuzz-util.c \
	tests/fuzz/fuzz.h tests/fuzz/fuzz-pinctrl.c tests/fuzz/fuzz-pinctrl.h \
	$(PINCTRL_HANDLER_SOURCES)
tests_fuzz_fuzz_pinctrl_userdata_SOURCES = \
	tests/fuzz/fuzz-pinctrl-userdata.c $(FUZZ_PINCTRL_SOURCES)
tests_fuzz_fuzz_pinctrl_userdata_LDADD = lib/libovnmc.la $(OVS_LIBS)
tests_fuzz_fuzz_pinctrl_dhcp_SOURCES = \
	tests/fuzz/fuzz-pinctrl-dhcp.c $(FUZZ_PINCTRL_SOURCES)
tests_fuzz_fuzz_pinctrl_dhcp_LDADD = lib/libovnmc.la $(OVS_LIBS)
tests_fuzz_fuzz_pinctrl_dhcp6_SOURCES = \
	tests/fuzz/fuzz-pinctrl-dhcp6.c $(FUZZ_PINCTRL_SOURCES)
tests_fuzz_fuzz_pinctrl_dhcp6_LDADD = lib/libovnmc.la $(OVS_LIBS)
tests_fuzz_fuzz_pinctrl_dns_SOURCES = \
	tests/fuzz/fuzz-pinctrl-dns.c $(FUZZ_PINCTRL_SOURCES)
tests_fuzz_fuzz_pinctrl_dns_LDADD = lib/libovnmc.la $(OVS_LIBS)
tests_fuzz_fuzz_pinctrl_frame_SOURCES = \
	tests/fuzz/fuzz-pinctrl-frame.c $(FUZZ_PINCTRL_SOURCES)
tests_fuzz_fuzz_pinctrl_frame_LDADD = lib/libovnmc.la $(OVS_LIBS)
EXTRA_DIST += tests/fuzz/corpus-pinctrl-userdata \
	tests/fuzz/corpus-pinctrl-dhcp tests/fuzz/corpus-pinctrl-dhcp6 \
	tests/fuzz/corpus-pinctrl-dns tests/fuzz/corpus-pinctrl-frame
# Parity with Debian's ovn-controller, side by side.
TESTSUITE_AT += tests/parity.at

# The sandbox (utilities/ovnmc-sandbox) and its demo, run as a test.
TESTSUITE_AT += tests/sandbox.at

# ovn-ctl (ovn-common) driving our controller, and the package's unit.
TESTSUITE_AT += tests/ovn-ctl.at
